//! Fuzzy search across accounts, contacts, leads and deals (fuzzy-matcher's skim
//! algorithm), ranked. Works on characters, so Chinese names match by any of their
//! characters in order: 白云 finds 广州白云国际机场.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use serde::Serialize;

use crate::core::error::Result;
use crate::model::Entity;
use crate::store::{Reader, SearchRows};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    pub kind: String,
    pub id: i64,
    pub name: String,
    pub detail: String,
    pub score: i64,
}

/// Search everything for `text`; best first, at most `limit`. `kinds` narrows the kinds
/// searched (empty: all).
pub fn search(r: &Reader<'_>, text: &str, kinds: &[Entity], limit: usize) -> Result<Vec<Hit>> {
    let q = text.trim();
    if q.is_empty() {
        return Err(crate::err!(Invalid, "search.search_give_some"));
    }
    let scorer = Scorer::new(q);
    let score_chunk = |rows: SearchRows| -> Vec<Hit> {
        rows.iter()
            .filter(|(entity, ..)| kinds.is_empty() || kinds.contains(entity))
            .filter_map(|(entity, id, name, detail)| {
                let score = scorer.score(name, detail)?;
                Some(Hit {
                    kind: entity.name().to_string(),
                    id,
                    name: name.to_string(),
                    detail: detail.to_string(),
                    score,
                })
            })
            .collect()
    };
    // Reading rows and matching them each take one core: the store reads on this thread
    // while a second one matches the chunks already read.
    let (tx, rx) = std::sync::mpsc::sync_channel::<SearchRows>(4);
    let mut hits: Vec<Hit> = std::thread::scope(|s| -> Result<Vec<Hit>> {
        let matcher = s.spawn(|| {
            let mut hits = Vec::new();
            for rows in rx {
                hits.extend(score_chunk(rows));
            }
            hits
        });
        let read = r.search_rows(4096, |rows| {
            // The matcher only stops early by panicking, which join reports below.
            let _ = tx.send(rows);
        });
        drop(tx);
        let hits = matcher
            .join()
            .map_err(|_| crate::err!(Failed, "search.search_matching_failed"))?;
        read?;
        Ok(hits)
    })?;
    // Equal scores: accounts before contacts, leads and deals; then the shorter name.
    let rank = |kind: &str| {
        ["account", "contact", "lead", "deal"]
            .iter()
            .position(|k| *k == kind)
    };
    hits.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(rank(&a.kind).cmp(&rank(&b.kind)))
            .then(a.name.len().cmp(&b.name.len()))
            .then(a.id.cmp(&b.id))
    });
    hits.truncate(limit);
    Ok(hits)
}

/// Scores names against one query: fuzzy (skim), with bonuses for an exact name, a name
/// that starts with the text, and one that holds it whole.
pub struct Scorer {
    matcher: SkimMatcherV2,
    query: String,
    lower: String,
}

impl Scorer {
    pub fn new(query: &str) -> Scorer {
        Scorer {
            matcher: SkimMatcherV2::default().ignore_case(),
            query: query.trim().to_string(),
            lower: query.trim().to_lowercase(),
        }
    }

    /// The score of a name (and a line of detail, which counts for half), or None when
    /// the query does not match.
    pub fn score(&self, name: &str, detail: &str) -> Option<i64> {
        if !self.in_order(name) && (detail.is_empty() || !self.in_order(detail)) {
            return None;
        }
        let on_detail = if detail.is_empty() {
            None
        } else {
            self.matcher.fuzzy_match(detail, &self.query).map(|s| s / 2)
        };
        let on_name = self.matcher.fuzzy_match(name, &self.query);
        let score = on_name.max(on_detail)?;
        Some(score + self.bonus(name))
    }

    /// 1000 for the name itself, 500 for a name that starts with the text, 200 for one
    /// that holds it whole (case aside). Worked out for matches only; ASCII names and
    /// queries without making the name's lower case.
    fn bonus(&self, name: &str) -> i64 {
        let (q, n) = (self.lower.as_bytes(), name.as_bytes());
        let (exact, starts, holds) = if name.is_ascii() && self.lower.is_ascii() {
            (
                n.eq_ignore_ascii_case(q),
                n.len() >= q.len() && n[..q.len()].eq_ignore_ascii_case(q),
                n.windows(q.len().max(1)).any(|w| w.eq_ignore_ascii_case(q)),
            )
        } else {
            let lower = name.to_lowercase();
            (
                lower == self.lower,
                lower.starts_with(&self.lower),
                lower.contains(&self.lower),
            )
        };
        if exact {
            1000
        } else if starts {
            500
        } else if holds {
            200
        } else {
            0
        }
    }

    /// Which characters the query holds, as [`char_mask`] marks them.
    fn mask(&self) -> u64 {
        char_mask(&self.query)
    }

    /// Whether the query's characters all appear in `text` in order (ASCII letters in
    /// either case) — skim's own first test, without its set-up, so text that cannot match
    /// costs a scan and nothing more.
    fn in_order(&self, text: &str) -> bool {
        let mut chars = text.chars();
        self.query
            .chars()
            .all(|q| chars.any(|c| c.eq_ignore_ascii_case(&q)))
    }

    /// Rank (id, name) pairs, best first; those that do not match are left out.
    pub fn rank(&self, items: Vec<(i64, String)>) -> Vec<i64> {
        Pool::new(items).rank(&self.query)
    }
}

/// The characters a text holds, one bit each (ASCII letters either case alike, as
/// [`Scorer`]'s first test compares them; other characters share bits): a name can only
/// match a query whose bits it has, which one AND tells.
fn char_mask(text: &str) -> u64 {
    text.chars().fold(0, |m, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            'A'..='Z' => c as u32 - 'A' as u32,
            '0'..='9' => 26 + (c as u32 - '0' as u32),
            c if c.is_ascii() => 36 + c as u32 % 8,
            c => 44 + c as u32 % 20,
        };
        m | 1 << bit
    })
}

/// Names ranked again and again as a query grows, as in the interface's filter line: the
/// names each query matched are kept, so a longer query (the same text and more) only
/// scores what the shorter one matched — a name that does not hold "gu" in order cannot
/// hold "gua". Large sets are scored on two threads.
pub struct Pool {
    items: Vec<(i64, String)>,
    /// Each name's [`char_mask`], made once.
    masks: Vec<u64>,
    /// The queries typed so far, each with the positions (in `items`) of its matches;
    /// each query extends the one before.
    narrowed: Vec<(String, Vec<u32>)>,
}

/// Fewer candidates than this are scored on one thread.
const PARALLEL_FROM: usize = 8192;

impl Pool {
    pub fn new(items: Vec<(i64, String)>) -> Pool {
        Pool {
            masks: items.iter().map(|(_, name)| char_mask(name)).collect(),
            items,
            narrowed: Vec::new(),
        }
    }

    /// The ids of the names matching `query`, best first: higher score, then the shorter
    /// name, then the lower id.
    pub fn rank(&mut self, query: &str) -> Vec<i64> {
        let query = query.trim();
        while let Some((prev, _)) = self.narrowed.last() {
            if query.starts_with(prev.as_str()) {
                break;
            }
            self.narrowed.pop();
        }
        let scorer = Scorer::new(query);
        let wanted = scorer.mask();
        let all: Vec<u32>;
        let candidates: &[u32] = match self.narrowed.last() {
            Some((_, matched)) => matched,
            None => {
                // Every name: those without the query's characters are left out here.
                all = (0..self.items.len() as u32)
                    .filter(|&i| self.masks[i as usize] & wanted == wanted)
                    .collect();
                &all
            }
        };
        let score = |part: &[u32]| -> Vec<(i64, usize, i64, u32)> {
            part.iter()
                .filter_map(|&i| {
                    let (id, name) = &self.items[i as usize];
                    if self.masks[i as usize] & wanted != wanted {
                        return None;
                    }
                    let s = scorer.score(name, "")?;
                    Some((s, name.len(), *id, i))
                })
                .collect()
        };
        let mut scored = if candidates.len() < PARALLEL_FROM {
            score(candidates)
        } else {
            let (a, b) = candidates.split_at(candidates.len() / 2);
            std::thread::scope(|s| {
                let second = s.spawn(|| score(b));
                let mut first = score(a);
                // Scoring cannot panic but for a bug; fall back to one thread then.
                first.extend(second.join().unwrap_or_else(|_| score(b)));
                first
            })
        };
        scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut matched: Vec<u32> = scored.iter().map(|x| x.3).collect();
        matched.sort_unstable();
        if self.narrowed.last().is_some_and(|(q, _)| q == query) {
            self.narrowed.pop();
        }
        self.narrowed.push((query.to_string(), matched));
        scored.into_iter().map(|x| x.2).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scorer_prefers_exact_then_prefix_then_substring_then_scattered() {
        let s = Scorer::new("白云");
        let ranked = s.rank(vec![
            (1, "广州白云国际机场".into()),
            (2, "白云山制药".into()),
            (3, "白云".into()),
            (4, "北京首都机场".into()),
            (5, "白色云朵".into()),
        ]);
        assert_eq!(ranked, vec![3, 2, 1, 5]);
    }

    #[test]
    fn a_pool_narrows_as_the_query_grows_and_widens_when_it_shrinks() {
        let names = [
            "Guangzhou Metro",
            "Guangdong Power",
            "Gulf Air",
            "广州白云国际机场",
            "Acme Guards",
            "Nanjing Gas",
        ];
        let items: Vec<(i64, String)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (i as i64 + 1, n.to_string()))
            .collect();
        let mut pool = Pool::new(items.clone());
        // Each answer is the same as ranking the whole list afresh.
        for q in ["g", "gu", "gua", "guan", "gu", "gul", "", "白", "白云", "x"] {
            let fresh = Pool::new(items.clone()).rank(q);
            assert_eq!(pool.rank(q), fresh, "query {q:?}");
        }
        assert_eq!(pool.rank("gua"), vec![1, 2, 5, 3]);
        assert_eq!(pool.rank("guan"), vec![1, 2]);
        assert_eq!(pool.rank("gul"), vec![3]);
        assert_eq!(pool.rank("白云"), vec![4]);
        assert!(pool.rank("gux").is_empty());
    }

    /// The character masks leave out only names that cannot match: a pool ranks as the
    /// scorer alone does, whatever the case, script or punctuation.
    #[test]
    fn masks_leave_out_only_names_that_cannot_match() {
        let names = [
            "Guangzhou Metro",
            "GUANGDONG power",
            "广州白云国际机场",
            "白云山制药",
            "O'Brien & Co.",
            "Café Müller",
            "3M China",
            "x-ray 42",
            "",
        ];
        let items: Vec<(i64, String)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (i as i64, n.to_string()))
            .collect();
        for q in [
            "g", "GU", "gd p", "白", "白云", "o'b", "&", "café", "Mü", "3m", "42", "-", "é",
        ] {
            let scorer = Scorer::new(q);
            let mut want: Vec<(i64, usize, i64)> = items
                .iter()
                .filter_map(|(id, n)| scorer.score(n, "").map(|s| (s, n.len(), *id)))
                .collect();
            want.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            let want: Vec<i64> = want.into_iter().map(|x| x.2).collect();
            assert_eq!(Pool::new(items.clone()).rank(q), want, "query {q:?}");
        }
    }

    #[test]
    fn many_names_score_on_two_threads_with_the_same_order() {
        let items: Vec<(i64, String)> = (0..20_000)
            .map(|i| (i, format!("Account {} {}", i % 97, i)))
            .collect();
        let ranked = Pool::new(items.clone()).rank("ac 5");
        let mut one: Vec<(i64, usize, i64)> = items
            .iter()
            .filter_map(|(id, n)| Scorer::new("ac 5").score(n, "").map(|s| (s, n.len(), *id)))
            .collect();
        one.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        assert!(ranked.len() > 1000);
        assert_eq!(ranked, one.into_iter().map(|x| x.2).collect::<Vec<_>>());
    }
}
