//! Fuzzy search across accounts, contacts, leads and deals (fuzzy-matcher's skim
//! algorithm), ranked. Works on characters, so Chinese names match by any of their
//! characters in order: 白云 finds 广州白云国际机场.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::Entity;
use crate::store::Reader;

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
        return Err(Error::invalid("search: give some text to look for"));
    }
    let scorer = Scorer::new(q);
    let score_chunk = |rows: Vec<crate::store::SearchRow>| -> Vec<Hit> {
        rows.into_iter()
            .filter(|row| kinds.is_empty() || kinds.contains(&row.entity))
            .filter_map(|row| {
                let score = scorer.score(&row.name, &row.detail)?;
                Some(Hit {
                    kind: row.entity.name().to_string(),
                    id: row.id,
                    name: row.name,
                    detail: row.detail,
                    score,
                })
            })
            .collect()
    };
    // Reading rows and matching them each take one core: the store reads on this thread
    // while a second one matches the chunks already read.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<crate::store::SearchRow>>(4);
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
            .map_err(|_| Error::failed("search: matching failed"))?;
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
        let on_name = self.matcher.fuzzy_match(name, &self.query);
        let on_detail = if detail.is_empty() {
            None
        } else {
            self.matcher.fuzzy_match(detail, &self.query).map(|s| s / 2)
        };
        let score = on_name.max(on_detail)?;
        let lower = name.to_lowercase();
        let bonus = if lower == self.lower {
            1000
        } else if lower.starts_with(&self.lower) {
            500
        } else if lower.contains(&self.lower) {
            200
        } else {
            0
        };
        Some(score + bonus)
    }

    /// Rank (id, name) pairs, best first; those that do not match are left out.
    pub fn rank(&self, items: Vec<(i64, String)>) -> Vec<i64> {
        let mut scored: Vec<(i64, usize, i64)> = items
            .into_iter()
            .filter_map(|(id, name)| self.score(&name, "").map(|s| (s, name.len(), id)))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        scored.into_iter().map(|(_, _, id)| id).collect()
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
}
