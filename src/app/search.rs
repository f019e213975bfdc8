//! Fuzzy search across accounts, contacts, leads and deals (fuzzy-matcher's skim
//! algorithm), ranked. Works on characters, so Chinese names match by any of their
//! characters in order: 白云 finds 广州白云国际机场. A search that is a phone number also
//! finds the records with that number however they wrote it ([`crate::core::phones`]):
//! `13800138000` finds a contact whose phone is `+86 138-0013-8000`.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use serde::Serialize;

use crate::core::error::Result;
use crate::model::{pinyin, Entity};
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
    let by_phone = phone_hits(r, q)?;
    // The order of hits: higher score; equal scores, accounts before contacts, leads and
    // deals, then the shorter name, then the lower id.
    let order = |a: &(i64, usize, usize, i64), b: &(i64, usize, usize, i64)| {
        b.0.cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    };
    // A chunk's best `limit` become hits (the best of all are among them): a query that
    // matches many records (`bygj` in pinyin) makes no hit for most of them.
    let score_chunk = |rows: SearchRows| -> Vec<Hit> {
        let mut found: Vec<((i64, usize, usize, i64), usize)> = rows
            .iter()
            .enumerate()
            .filter(|(_, (entity, ..))| kinds.is_empty() || kinds.contains(entity))
            .filter_map(|(k, (entity, id, name, detail))| {
                let score = match by_phone.get(&(entity, id)) {
                    Some(_) => scorer.score(name, detail).unwrap_or(0).max(PHONE_SCORE),
                    None => scorer.score(name, detail)?,
                };
                Some(((score, kind_rank(entity), name.len(), id), k))
            })
            .collect();
        if found.len() > limit {
            found.select_nth_unstable_by(limit, |a, b| order(&a.0, &b.0));
            found.truncate(limit);
        }
        found.sort_unstable_by_key(|f| f.1);
        let mut wanted = found.into_iter().peekable();
        rows.iter()
            .enumerate()
            .filter_map(|(k, (entity, id, name, detail))| {
                let ((score, ..), _) = wanted.next_if(|f| f.1 == k)?;
                // A hit by its phone shows the number as the record wrote it.
                let detail = match by_phone.get(&(entity, id)) {
                    Some(p) if detail.is_empty() => p.clone(),
                    Some(p) => format!("{detail} {p}"),
                    None => detail.to_string(),
                };
                Some(Hit {
                    kind: entity.name().to_string(),
                    id,
                    name: name.to_string(),
                    detail,
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
    hits.sort_by(|a, b| {
        let key = |h: &Hit| {
            let rank = Entity::from_name(&h.kind).map_or(usize::MAX, kind_rank);
            (h.score, rank, h.name.len(), h.id)
        };
        order(&key(a), &key(b))
    });
    hits.truncate(limit);
    Ok(hits)
}

/// The score of a record one of whose phones is the number searched for: above any name
/// (a name that is the query scores 1000 and its letters' score).
const PHONE_SCORE: i64 = 2000;

/// When `text` is a phone number: the live records (of the kinds with duplicate keys:
/// accounts, contacts, leads) with a phone that is the same number, and that phone as
/// written. Found through the index of duplicate keys, by the number's last digits.
fn phone_hits(
    r: &Reader<'_>,
    text: &str,
) -> Result<std::collections::HashMap<(Entity, i64), String>> {
    let mut hits = std::collections::HashMap::new();
    let Some(wanted) =
        crate::core::phones::number(text).filter(|_| crate::core::phones::looks_like_phone(text))
    else {
        return Ok(hits);
    };
    let keys = [format!("p:{}", wanted.tail())];
    for entity in Entity::RECORDS {
        if entity.kind().dupes.is_none() || entity.kind().search.is_none() {
            continue;
        }
        for row in r.dedupe_rows(entity, Some(crate::store::DedupeQuery { keys: &keys }))? {
            let same = row
                .phones
                .iter()
                .find(|p| crate::core::phones::number(p).is_some_and(|n| n.same(&wanted)));
            if let Some(p) = same {
                hits.insert((entity, row.id), p.trim().to_string());
            }
        }
    }
    Ok(hits)
}

/// The order of kinds among equal scores: accounts, contacts, leads, deals.
fn kind_rank(kind: Entity) -> usize {
    match kind {
        Entity::Account => 0,
        Entity::Contact => 1,
        Entity::Lead => 2,
        Entity::Deal => 3,
        _ => 4,
    }
}

/// Scores names against one query. The query is words parted by spaces, as fzf takes
/// them: each word must match on its own, in any order, each fuzzily (skim), with bonuses
/// for a name that is the word, starts with it, or holds it whole; a name's score is the
/// sum of its words' scores. `blue hotels` finds what `hotels blue` finds, and `白云 机场`
/// finds 广州白云国际机场.
pub struct Scorer {
    matcher: SkimMatcherV2,
    words: Vec<Word>,
}

/// One word of a query, as typed and in lower case, and whether it is also looked for in
/// Chinese names' pinyin (it holds a Latin letter).
struct Word {
    text: String,
    lower: String,
    pinyin: Option<pinyin::Typed>,
    /// The word's characters as [`narrow`] marks them: a text holding them in order has
    /// every bit.
    mask: u64,
}

/// Where a name's pinyin comes from: read afresh, or from the readings made when the
/// names were read (the `i`th of them).
#[derive(Clone, Copy)]
enum Kept<'a> {
    Afresh,
    In(&'a pinyin::Readings, usize),
}

impl Word {
    /// The word read in a Chinese name's pinyin (`bygj`, `baiyun`, `gz白云` in
    /// 广州白云国际机场): its points and bonus, as [`pinyin::score`] gives them.
    fn read_in(&self, name: &str, kept: Kept<'_>) -> Option<(i64, i64)> {
        let typed = self.pinyin.as_ref()?;
        match kept {
            Kept::Afresh => pinyin::score(typed, name),
            Kept::In(readings, i) => readings.score(i, typed, name),
        }
    }
}

/// The most words whose pinyin reading is kept between a name's test and its score (a
/// word beyond is read again).
const KEPT_WORDS: usize = 8;

impl Scorer {
    pub fn new(query: &str) -> Scorer {
        Scorer {
            matcher: SkimMatcherV2::default().ignore_case(),
            words: query
                .split_whitespace()
                .map(|w| Word {
                    text: w.to_string(),
                    lower: w.to_lowercase(),
                    pinyin: pinyin::Typed::new(w),
                    mask: narrow(char_mask(w)),
                })
                .collect(),
        }
    }

    /// The score of a name (and a line of detail, which counts for half), or None when
    /// a word of the query matches neither. A query without words matches nothing.
    pub fn score(&self, name: &str, detail: &str) -> Option<i64> {
        self.score_in(name, detail, Kept::Afresh, u64::MAX)
    }

    /// [`Scorer::score`], the name's pinyin as `kept` holds it, and `own` the name's
    /// characters as [`narrow`] marks them (a word whose bits it lacks is not in order in
    /// the name, which is not looked at for it).
    fn score_in(&self, name: &str, detail: &str, kept: Kept<'_>, own: u64) -> Option<i64> {
        if self.words.is_empty() {
            return None;
        }
        // Every word is tested before any is scored: most names fail a test. A word whose
        // characters are not in order in the name or the detail must read in the name's
        // pinyin; that reading is kept for its score.
        let mut reads: [Option<Option<(i64, i64)>>; KEPT_WORDS] = [None; KEPT_WORDS];
        let mut literal = [true; KEPT_WORDS];
        for (k, w) in self.words.iter().enumerate() {
            let in_name = own & w.mask == w.mask && in_order(&w.text, name);
            if k < KEPT_WORDS {
                literal[k] = in_name;
            }
            if in_name || (!detail.is_empty() && in_order(&w.text, detail)) {
                continue;
            }
            let read = w.read_in(name, kept);
            read?;
            if k < KEPT_WORDS {
                reads[k] = Some(read);
            }
        }
        self.words
            .iter()
            .enumerate()
            .map(|(k, w)| {
                let read = match reads.get(k).copied().flatten() {
                    Some(read) => read,
                    None => w.read_in(name, kept),
                };
                let literal = literal.get(k).copied().unwrap_or(true);
                self.word_score(w, name, detail, read, literal)
            })
            .sum()
    }

    /// One word's score (it was in order in the name or the detail, or read in the name's
    /// pinyin as `read`): the better of the two on the name. A name known not to hold the
    /// word's characters in order (`literal` false) has no fuzzy score nor bonus of its own.
    fn word_score(
        &self,
        w: &Word,
        name: &str,
        detail: &str,
        read: Option<(i64, i64)>,
        literal: bool,
    ) -> Option<i64> {
        // skim's first test is [`in_order`]'s; a word of ASCII held whole is in order.
        let literal = literal || !w.text.is_ascii();
        let on_name = literal
            .then(|| self.fuzzy(name, &w.text))
            .flatten()
            .max(read.map(|(points, _)| points));
        // The detail counts for half: at most half of [`MOST_PER_CHAR`] a character, so
        // a name scoring that much needs no look at the detail.
        let half = MOST_PER_CHAR / 2 * w.text.chars().count() as i64;
        let on_detail = if detail.is_empty() || on_name.is_some_and(|s| s >= half) {
            None
        } else {
            self.fuzzy(detail, &w.text).map(|s| s / 2)
        };
        let score = on_name.max(on_detail)?;
        let own = if literal { bonus(&w.lower, name) } else { 0 };
        Some(score + own.max(read.map_or(0, |(_, b)| b)))
    }

    /// skim's fuzzy score of `word` in `text`. A word of one character (the first key
    /// typed, which scores every name holding it) is scored here without skim's matrix,
    /// to the same score (a test holds the two equal).
    fn fuzzy(&self, text: &str, word: &str) -> Option<i64> {
        let mut chars = word.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => one_char_score(text, c),
            _ => self.matcher.fuzzy_match(text, word),
        }
    }

    /// Which characters the query's words hold, as [`char_mask`] marks them (the spaces
    /// between words are not looked for).
    fn mask(&self) -> u128 {
        self.words.iter().fold(0, |m, w| m | char_mask(&w.text))
    }

    /// Rank (id, name) pairs, best first; those that do not match are left out.
    pub fn rank(&self, items: Vec<(i64, String)>) -> Vec<i64> {
        let query: Vec<&str> = self.words.iter().map(|w| w.text.as_str()).collect();
        Pool::new(items).rank(&query.join(" "))
    }
}

/// skim's score (`SkimMatcherV2`, case ignored) of a pattern of one character `p`: at the
/// best place where the text holds it (ASCII case aside), 16 for the match less 2 when the
/// case differs, less 1 for the gap before it, plus the place's bonus — 8 at the start of a
/// word (after nothing, a space, a slash or a bracket), 7 after other punctuation, 6 for an
/// upper-case letter after a lower-case one or a digit, nothing elsewhere — twice over for
/// the text's first character. skim classes only ASCII characters: any other is a letter
/// in lower case.
fn one_char_score(text: &str, p: char) -> Option<i64> {
    #[derive(Clone, Copy, PartialEq)]
    enum Class {
        Start,
        HardSep,
        SoftSep,
        Digit,
        Upper,
        Lower,
    }
    let class = |c: char| match c {
        '\0' => Class::Start,
        ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => Class::HardSep,
        '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => Class::SoftSep,
        '0'..='9' => Class::Digit,
        'A'..='Z' => Class::Upper,
        _ => Class::Lower,
    };
    let mut best: Option<i64> = None;
    let mut prev = Class::Start;
    for (j, c) in text.chars().enumerate() {
        let here = class(c);
        if c.eq_ignore_ascii_case(&p) {
            let mut bonus = match (prev, here) {
                (Class::Start | Class::HardSep, _) => 8,
                (Class::SoftSep, _) => 7,
                (Class::Lower | Class::Digit, Class::Upper) => 6,
                _ => 0,
            };
            if j == 0 {
                bonus *= 2;
            }
            let matched = if c == p { 16 } else { 14 };
            let score = matched - 1 + bonus;
            best = Some(best.map_or(score, |b| b.max(score)));
        }
        prev = here;
    }
    best
}

/// 1000 for the name itself, 500 for a name that starts with the word, 200 for one that
/// holds it whole (case aside). Worked out for matches only, and without making the name's
/// lower case when its letters beyond ASCII have no case (Chinese, Japanese, Korean, and
/// the marks written among them): a keystroke's thousands of matches then allocate nothing.
fn bonus(lower: &str, name: &str) -> i64 {
    let (exact, starts, holds) = if name.is_ascii() || name.chars().all(caseless) {
        // The name's lower case differs from it in ASCII letters only, and the word is in
        // lower case already: comparing bytes with ASCII case aside is comparing them.
        let (q, n) = (lower.as_bytes(), name.as_bytes());
        (
            n.eq_ignore_ascii_case(q),
            n.len() >= q.len() && n[..q.len()].eq_ignore_ascii_case(q),
            n.windows(q.len().max(1)).any(|w| w.eq_ignore_ascii_case(q)),
        )
    } else {
        let name = name.to_lowercase();
        (name == lower, name.starts_with(lower), name.contains(lower))
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

/// Whether a character's lower case is, for certain, its ASCII lower case (itself but for
/// the ASCII capitals), told without Unicode's tables: ASCII, the middle dot, general
/// punctuation (dashes, quotes), the blocks of Chinese, Japanese and Korean scripts
/// (U+2E80 to U+9FFF, the Hangul syllables) and the full-width forms but their letters
/// (brackets, commas): no character there has a case.
fn caseless(c: char) -> bool {
    c.is_ascii()
        || matches!(c,
            '\u{B7}'
            | '\u{2000}'..='\u{206F}'
            | '\u{2E80}'..='\u{9FFF}'
            | '\u{AC00}'..='\u{D7A3}'
            | '\u{FF00}'..='\u{FF20}'
            | '\u{FF3B}'..='\u{FF40}'
            | '\u{FF5B}'..='\u{FFEF}')
}

/// Whether the word's characters all appear in `text` in order (ASCII letters in either
/// case) — skim's own first test, without its set-up, so text that cannot match costs a
/// scan and nothing more.
fn in_order(word: &str, text: &str) -> bool {
    if word.is_ascii() {
        // Byte by byte: no byte of a character beyond ASCII equals an ASCII one.
        let mut bytes = text.bytes();
        return word
            .bytes()
            .all(|q| bytes.any(|c| c.eq_ignore_ascii_case(&q)));
    }
    let mut rest = text;
    word.chars().all(|q| after(&mut rest, q))
}

/// Move `rest` past the first place that holds `q` (an ASCII letter in either case), or
/// tell that none does. A character beyond ASCII is looked for as its bytes, which the
/// standard library finds with a fast scan for their last byte, not a character at a time.
fn after(rest: &mut &str, q: char) -> bool {
    let found = if q.is_ascii_alphabetic() {
        rest.find([q.to_ascii_lowercase(), q.to_ascii_uppercase()])
    } else {
        rest.find(q)
    };
    match found {
        Some(i) => {
            *rest = &rest[i + q.len_utf8()..];
            true
        }
        None => false,
    }
}

/// How many of the word's characters, from its first, appear in order in `text`: taken
/// greedily, as [`in_order`] takes them, so the word is in order in a text made of `text`
/// and more exactly when the rest of the word is in order in the more.
fn held(word: &str, text: &str) -> usize {
    if word.is_ascii() {
        let mut bytes = text.bytes();
        return word
            .bytes()
            .take_while(|q| bytes.any(|c| c.eq_ignore_ascii_case(q)))
            .count();
    }
    let mut rest = text;
    word.chars().take_while(|&q| after(&mut rest, q)).count()
}

/// The characters a text holds, one bit each (ASCII letters either case alike, as
/// [`Scorer`]'s first test compares them; other characters share bits — those beyond ASCII
/// 80 bits, so that a Chinese character leaves out most Chinese names that lack it): a
/// name can only match a query whose bits it has, which one AND tells.
fn char_mask(text: &str) -> u128 {
    text.chars().fold(0, |m, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            'A'..='Z' => c as u32 - 'A' as u32,
            '0'..='9' => 26 + (c as u32 - '0' as u32),
            c if c.is_ascii() => 36 + c as u32 % 8,
            c => BEYOND_ASCII + c as u32 % 80,
        };
        m | 1 << bit
    })
}

/// The first bit of [`char_mask`] for characters beyond ASCII.
const BEYOND_ASCII: u32 = 44;

/// A [`char_mask`] in 64 bits, for the finder's many records: the characters beyond ASCII
/// share 20 bits (each its bit in the wide mask modulo 20), and what matches in the wide
/// mask matches here.
fn narrow(mask: u128) -> u64 {
    let ascii = (mask & ((1 << BEYOND_ASCII) - 1)) as u64;
    let (mut rest, mut folded) = (mask >> BEYOND_ASCII, 0u64);
    while rest != 0 {
        folded |= (rest & 0xF_FFFF) as u64;
        rest >>= 20;
    }
    ascii | folded << BEYOND_ASCII
}

/// Names ranked again and again as a query grows, as in the interface's filter line: the
/// names each query matched are kept, so a longer query (the same text and more) only
/// scores what the shorter one matched — a name that does not hold "gu" in order cannot
/// hold "gua". Large sets are scored on two threads.
pub struct Pool {
    /// The names one after another (held apart, each in its own allocation, they would be
    /// spread over memory, and a keystroke reading them all would wait on each), where
    /// each ends, and their ids.
    text: String,
    ends: Vec<u32>,
    ids: Vec<i64>,
    /// The Chinese names' readings in pinyin, made once.
    readings: pinyin::Readings,
    /// Each name's [`char_mask`], made once (a name can also match the letters of its
    /// pinyin: `bygj`).
    masks: Vec<u128>,
    /// The queries typed so far, each with the positions (in `ids`) of its matches;
    /// each query extends the one before.
    narrowed: Vec<(String, Vec<u32>)>,
}

/// Fewer candidates than this are scored on one thread.
const PARALLEL_FROM: usize = 8192;

impl Pool {
    pub fn new(items: Vec<(i64, String)>) -> Pool {
        let mut readings = pinyin::Readings::with_capacity(items.len());
        let mut text = String::with_capacity(items.iter().map(|(_, n)| n.len()).sum());
        let (mut ends, mut ids) = (
            Vec::with_capacity(items.len()),
            Vec::with_capacity(items.len()),
        );
        let masks = items
            .into_iter()
            .map(|(id, name)| {
                readings.push(&name);
                text.push_str(&name);
                ends.push(text.len() as u32);
                ids.push(id);
                char_mask(&name)
            })
            .collect();
        Pool {
            text,
            ends,
            ids,
            masks,
            readings,
            narrowed: Vec::new(),
        }
    }

    /// The `i`th name.
    fn name(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// The `i`th name's characters and its pinyin's letters, as [`char_mask`] marks them.
    fn mask(&self, i: u32) -> u128 {
        self.masks[i as usize] | self.readings.letters(i as usize) as u128
    }

    /// The ids of the names matching `query`, best first: higher score, then the shorter
    /// name, then the lower id.
    pub fn rank(&mut self, query: &str) -> Vec<i64> {
        let query = query.trim();
        let scorer = Scorer::new(query);
        if scorer.words.is_empty() {
            // No words match nothing (and narrow nothing).
            return Vec::new();
        }
        while let Some((prev, _)) = self.narrowed.last() {
            if query.starts_with(prev.as_str()) {
                break;
            }
            self.narrowed.pop();
        }
        let wanted = scorer.mask();
        let all: Vec<u32>;
        let candidates: &[u32] = match self.narrowed.last() {
            Some((_, matched)) => matched,
            None => {
                // Every name: those without the query's characters are left out here.
                all = (0..self.ids.len() as u32)
                    .filter(|&i| self.mask(i) & wanted == wanted)
                    .collect();
                &all
            }
        };
        // Each match's place in the order as one number ([`rank_key`]), and its position.
        let (mut keys, mut matched) = fill_in_halves(candidates, |part, keys, at| {
            for &i in part {
                if self.mask(i) & wanted != wanted {
                    continue;
                }
                let (id, name) = (self.ids[i as usize], self.name(i));
                let own = narrow(self.masks[i as usize]);
                if let Some(s) =
                    scorer.score_in(name, "", Kept::In(&self.readings, i as usize), own)
                {
                    keys.push(rank_key(s, name.len(), id));
                    at.push(i);
                }
            }
            // Each half sorted on its own thread; the two are merged below.
            keys.sort_unstable();
        });
        matched.shrink_to_fit();
        // Two runs in order, merged in one pass (the positions matched are in the
        // candidates' order, which is theirs).
        keys.sort();
        if self.narrowed.last().is_some_and(|(q, _)| q == query) {
            self.narrowed.pop();
        }
        self.narrowed.push((query.to_string(), matched));
        keys.into_iter().map(key_id).collect()
    }
}

/// Two lists filled from `items`: `fill` pushes what it finds in a part of them onto the
/// lists it is given — the first half here and the second on another thread when they are
/// many, then put together in the items' order. The lists are made here, with room for
/// every item: a thread new each time would take fresh memory of its own from the system
/// for them, which outlives it.
fn fill_in_halves<A: Send, B: Send>(
    items: &[u32],
    fill: impl Fn(&[u32], &mut Vec<A>, &mut Vec<B>) + Sync,
) -> (Vec<A>, Vec<B>) {
    let (mut a, mut b) = (
        Vec::with_capacity(items.len()),
        Vec::with_capacity(items.len()),
    );
    if items.len() < PARALLEL_FROM {
        fill(items, &mut a, &mut b);
        return (a, b);
    }
    let (first, second) = items.split_at(items.len() / 2);
    let (mut a2, mut b2) = (
        Vec::with_capacity(second.len()),
        Vec::with_capacity(second.len()),
    );
    let fill = &fill;
    std::thread::scope(|s| {
        let other = s.spawn(move || {
            fill(second, &mut a2, &mut b2);
            (a2, b2)
        });
        fill(first, &mut a, &mut b);
        // Filling cannot panic but for a bug; the second half is filled here then.
        let (a2, b2) = other.join().unwrap_or_else(|_| {
            let (mut a2, mut b2) = (Vec::new(), Vec::new());
            fill(second, &mut a2, &mut b2);
            (a2, b2)
        });
        a.extend(a2);
        b.extend(b2);
    });
    (a, b)
}

/// A match's place in the list's order as one number, smaller first: higher score, then
/// the shorter name, then the lower id (sorting numbers is faster than comparing three
/// fields).
fn rank_key(score: i64, len: usize, id: i64) -> u128 {
    // Scores below zero are possible (skim's gaps cost points): kept in order by
    // flipping the sign bit of the score as 32 bits.
    let score = (score.clamp(i32::MIN as i64, i32::MAX as i64) as i32 as u32) ^ 1 << 31;
    let len = len.min(u32::MAX as usize) as u32;
    ((u32::MAX - score) as u128) << 96 | (len as u128) << 64 | (id as u64 ^ 1 << 63) as u128
}

/// The id a [`rank_key`] holds.
fn key_id(key: u128) -> i64 {
    (key as u64 ^ 1 << 63) as i64
}

/// The most a word's fuzzy score can be: skim gives a matched character 16, and at most 16
/// more for where it falls (a word's first character, doubled) or for following a match.
/// A name's score is at most this for each word's characters, plus its words' bonuses.
const MOST_PER_CHAR: i64 = 32;

/// A record scored by the finder: score, kind's rank, name's length, id, position.
type Ranked = (i64, usize, usize, i64, u32);

/// Every record `kith search` looks through — kind, id, name and detail line — held in
/// memory for the finder, which ranks them again at each keystroke without reading the
/// database. Like [`Pool`], it keeps what each query matched, so a longer query tests only
/// those; and of the matches it scores only as many as the best `limit` need: the bonuses
/// for a word held whole outweigh any fuzzy score of a short word, so the names with the
/// highest bonuses are scored first, and the rest only while they could still place.
pub struct Finder {
    /// Names and details side by side, in pieces of [`PIECE`] bytes that stay where they
    /// are as more are read (one text growing would be copied at each doubling, holding
    /// three times its size meanwhile).
    text: Vec<String>,
    /// Where each record's name starts, its name ends and its detail ends, counted over
    /// the pieces as if each were full: a record is never split between two.
    at: Vec<[u32; 3]>,
    /// The record (an account) whose name begins each record's detail line, or
    /// [`NO_LINK`]: the detail is then that name, a space and the text the record holds
    /// (so the name of an account with thousands of contacts and deals is held once).
    link: Vec<u32>,
    /// How many records, the first ones, are accounts (in the order of their ids).
    accounts: usize,
    kinds: Vec<Entity>,
    ids: Vec<i64>,
    /// Each record's [`char_mask`] of its name and of its detail, [`narrow`]ed (a name can
    /// also match the letters of its pinyin, which its reading holds).
    masks: Vec<(u64, u64)>,
    /// The Chinese names' readings in pinyin, made once.
    readings: pinyin::Readings,
    /// The records in the order of their names' first letters, as [`pinyin::Readings::keys`]
    /// spells them: by their full pinyin (every record), and by their initials (the
    /// records with a reading; another's are its full spelling). The records a word
    /// begins are found here without looking at the others.
    by_full: Vec<u32>,
    by_initials: Vec<u32>,
    /// As in [`Pool`]: the queries typed so far, each with the positions it matched and
    /// the best it found (so a backspace back to a query answers without ranking again).
    narrowed: Vec<Narrowed>,
}

/// The size of a piece of the finder's text.
const PIECE: usize = 1 << 20;

/// A record whose detail line begins with no other's name.
const NO_LINK: u32 = u32::MAX;

impl Finder {
    /// Read every record search looks through (the kinds and visibility of `search`).
    pub fn read(r: &Reader<'_>) -> Result<Finder> {
        // Room for them all at once: a list doubling as it grows would be copied, and
        // held twice meanwhile, each time.
        let mut f = Finder::with_capacity(r.search_rows_most()?);
        r.search_rows(4096, |rows| {
            for (entity, id, name, detail, account) in rows.linked() {
                f.push(entity, id, name, detail, account);
            }
        })?;
        f.sort_by_keys();
        // Trashed records leave room unused: given back when it is much.
        if f.at.capacity() > f.at.len() + f.at.len() / 8 {
            f.at.shrink_to_fit();
            f.link.shrink_to_fit();
            f.kinds.shrink_to_fit();
            f.ids.shrink_to_fit();
            f.masks.shrink_to_fit();
        }
        Ok(f)
    }

    /// A finder holding nothing, with room for `most` records.
    fn with_capacity(most: usize) -> Finder {
        Finder {
            text: Vec::new(),
            at: Vec::with_capacity(most),
            link: Vec::with_capacity(most),
            accounts: 0,
            kinds: Vec::with_capacity(most),
            ids: Vec::with_capacity(most),
            masks: Vec::with_capacity(most),
            readings: pinyin::Readings::with_capacity(most),
            by_full: Vec::new(),
            by_initials: Vec::new(),
            narrowed: Vec::new(),
        }
    }

    /// Add a record; `account` is the account whose name its detail line begins with.
    fn push(&mut self, entity: Entity, id: i64, name: &str, detail: &str, account: Option<i64>) {
        self.readings.push(name);
        let mask = (narrow(char_mask(name)), narrow(char_mask(detail)));
        let (link, detail) = self.linked(detail, account);
        // A record longer than a piece (no real one is) keeps what fits.
        let name = cut_at(name, PIECE / 2);
        let detail = cut_at(detail, PIECE / 2);
        let need = name.len() + detail.len();
        if self
            .text
            .last()
            .is_none_or(|t| t.capacity() - t.len() < need)
        {
            self.text.push(String::with_capacity(PIECE));
        }
        let piece = self.text.len() - 1;
        let t = &mut self.text[piece];
        let start = (piece * PIECE + t.len()) as u32;
        t.push_str(name);
        t.push_str(detail);
        let name_end = start + name.len() as u32;
        self.at
            .push([start, name_end, name_end + detail.len() as u32]);
        self.link.push(link);
        if entity == Entity::Account && self.accounts == self.ids.len() {
            self.accounts += 1;
        }
        self.kinds.push(entity);
        self.ids.push(id);
        self.masks.push(mask);
    }

    /// Make the orders of [`Finder::by_full`] and [`Finder::by_initials`].
    fn sort_by_keys(&mut self) {
        let n = self.ids.len() as u32;
        let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(n as usize);
        for k in 0..2 {
            keyed.clear();
            keyed.extend(
                (0..n)
                    .filter(|&i| k == 0 || self.readings.has(i as usize))
                    .map(|i| (self.key(i, k), i)),
            );
            keyed.sort_unstable();
            let order = keyed.iter().map(|&(_, i)| i).collect();
            match k {
                0 => self.by_full = order,
                _ => self.by_initials = order,
            }
        }
    }

    /// A record's key in [`Finder::by_full`] (`k` 0) or [`Finder::by_initials`] (1).
    fn key(&self, i: u32, k: usize) -> u64 {
        self.readings.keys(i as usize, self.own(i).0)[k]
    }

    /// The records whose key begins with `word` (ASCII, no longer than 8 bytes: longer, its
    /// first 8), from both orders, each once.
    fn beginning(&self, word: &str) -> Vec<u32> {
        let w = &word.as_bytes()[..word.len().min(8)];
        let (mut lo, mut hi) = ([0u8; 8], [0xFFu8; 8]);
        lo[..w.len()].copy_from_slice(w);
        hi[..w.len()].copy_from_slice(w);
        let (lo, hi) = (u64::from_be_bytes(lo), u64::from_be_bytes(hi));
        let mut found = Vec::new();
        for (k, order) in [&self.by_full, &self.by_initials].into_iter().enumerate() {
            let from = order.partition_point(|&i| self.key(i, k) < lo);
            let to = from + order[from..].partition_point(|&i| self.key(i, k) <= hi);
            found.extend_from_slice(&order[from..to]);
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The record whose name `detail` begins with (the account's, when it is held and
    /// the detail is that name alone or the name, a space and more), and what follows.
    fn linked<'d>(&self, detail: &'d str, account: Option<i64>) -> (u32, &'d str) {
        let Some(i) = account.and_then(|a| self.ids[..self.accounts].binary_search(&a).ok()) else {
            return (NO_LINK, detail);
        };
        let head = self.own(i as u32).0;
        if head.is_empty() {
            return (NO_LINK, detail);
        }
        match detail.strip_prefix(head).map(|rest| rest.strip_prefix(' ')) {
            Some(_) if detail.len() == head.len() => (i as u32, ""),
            Some(Some(rest)) if !rest.is_empty() => (i as u32, rest),
            _ => (NO_LINK, detail),
        }
    }

    /// How many records it holds.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// A record's name and the text of its detail line it holds itself.
    fn own(&self, i: u32) -> (&str, &str) {
        let [start, name_end, end] = self.at[i as usize].map(|x| x as usize);
        let t = &self.text[start / PIECE];
        let base = start / PIECE * PIECE;
        (
            &t[start - base..name_end - base],
            &t[name_end - base..end - base],
        )
    }

    /// A record's name, and its detail line in two: the name it begins with (empty when
    /// none) and the rest; the line is the two with a space between when both are there.
    fn parts(&self, i: u32) -> (&str, &str, &str) {
        let (name, rest) = self.own(i);
        match self.link[i as usize] {
            NO_LINK => (name, "", rest),
            j => (name, self.own(j).0, rest),
        }
    }

    /// A record's name and whole detail line (put together in `buf` when it is in two).
    fn name_detail<'a>(&'a self, i: u32, buf: &'a mut String) -> (&'a str, &'a str) {
        let (name, head, rest) = self.parts(i);
        if head.is_empty() {
            return (name, rest);
        }
        if rest.is_empty() {
            return (name, head);
        }
        buf.clear();
        buf.push_str(head);
        buf.push(' ');
        buf.push_str(rest);
        (name, buf.as_str())
    }

    /// The best `limit` records for `query`, as [`search`] ranks them over all kinds.
    pub fn top(&mut self, query: &str, limit: usize) -> Vec<Hit> {
        let query = query.trim();
        let scorer = Scorer::new(query);
        if scorer.words.is_empty() || limit == 0 {
            return Vec::new();
        }
        while let Some(prev) = self.narrowed.last() {
            if query.starts_with(prev.query.as_str()) {
                break;
            }
            self.narrowed.pop();
        }
        if let Some(last) = self.narrowed.last() {
            if last.query == query && last.limit == limit {
                return self.hits(&last.best);
            }
        }
        // The best `limit` of some records, in the order of `search`.
        let order = |a: &Ranked, b: &Ranked| {
            b.0.cmp(&a.0)
                .then(a.1.cmp(&b.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
        };
        let best_of = |part: &[u32]| -> Vec<Ranked> {
            let mut best: Vec<Ranked> = Vec::new();
            let mut buf = String::new();
            for &i in part {
                let (name, detail) = self.name_detail(i, &mut buf);
                let (kept, own) = (
                    Kept::In(&self.readings, i as usize),
                    self.masks[i as usize].0,
                );
                if let Some(s) = scorer.score_in(name, detail, kept, own) {
                    let kind = self.kinds[i as usize];
                    best.push((s, kind_rank(kind), name.len(), self.ids[i as usize], i));
                    if best.len() >= 4 * limit {
                        best.sort_unstable_by(order);
                        best.truncate(limit);
                    }
                }
            }
            best
        };
        // Scored on two threads when they are many.
        let best_among = |part: &[u32]| -> Vec<Ranked> {
            if part.len() < PARALLEL_FROM / 4 {
                return best_of(part);
            }
            let (a, b) = part.split_at(part.len() / 2);
            std::thread::scope(|s| {
                let second = s.spawn(|| best_of(b));
                let mut best = best_of(a);
                best.extend(second.join().unwrap_or_else(|_| best_of(b)));
                best
            })
        };
        // A word that begins at least `limit` names scoring more than any name it does
        // not begin can (the bonus for holding it, 200, and the most of its characters):
        // those are the best, found without testing the rest (which a longer word then
        // tests from the last query that tested them all).
        if let [w] = &scorer.words[..] {
            if w.lower.is_ascii() {
                let begun = self.beginning(&w.lower);
                if begun.len() >= limit {
                    let mut best = best_among(&begun);
                    best.sort_unstable_by(order);
                    best.truncate(limit);
                    let others = 200 + MOST_PER_CHAR * w.text.chars().count() as i64;
                    if best.len() == limit && best[limit - 1].0 > others {
                        let hits = self.hits(&best);
                        self.remember(query, None, limit, best);
                        return hits;
                    }
                }
            }
        }
        let wanted = narrow(scorer.mask());
        // A word of one letter or digit is tested by its bit alone: the bit is that
        // character's own (either case).
        let by_mask: Vec<Option<u64>> = scorer
            .words
            .iter()
            .map(|w| {
                let mut c = w.text.chars();
                match (c.next(), c.next()) {
                    (Some(c), None) if c.is_ascii_alphanumeric() => {
                        Some(narrow(char_mask(w.text.as_str())))
                    }
                    _ => None,
                }
            })
            .collect();
        // The most a word can score: on the name, [`MOST_PER_CHAR`] a character; on the
        // detail only, half that.
        let most: Vec<i64> = scorer
            .words
            .iter()
            .map(|w| MOST_PER_CHAR * w.text.chars().count() as i64)
            .collect();
        let all: Vec<u32>;
        let candidates: &[u32] = match self
            .narrowed
            .iter()
            .rev()
            .find_map(|n| n.matched.as_deref())
        {
            Some(matched) => matched,
            None => {
                all = (0..self.ids.len() as u32).collect();
                &all
            }
        };
        // For each word tested in order: how many of its characters each account's name
        // holds in order, and where each of its characters starts. An account's name
        // begins the detail of its contacts and deals; worked out here once, it is not
        // read again (from elsewhere in memory) at each of the records that share it.
        // (Not when fewer records are left to test than there are accounts.)
        let heads: Vec<Vec<u32>> = scorer
            .words
            .iter()
            .zip(&by_mask)
            .map(|(w, bit)| match bit {
                Some(_) => Vec::new(),
                None if candidates.len() < self.accounts => Vec::new(),
                None => (0..self.accounts as u32)
                    .map(|j| held(&w.text, self.own(j).0) as u32)
                    .collect(),
            })
            .collect();
        let starts: Vec<Vec<usize>> = scorer
            .words
            .iter()
            .map(|w| {
                let mut at: Vec<usize> = w.text.char_indices().map(|(i, _)| i).collect();
                at.push(w.text.len());
                at
            })
            .collect();
        // The matches, grouped by the most each could score: its words' bonuses, and
        // their most on the name, or on the detail for a word only the detail holds.
        let test = |part: &[u32], matched: &mut Vec<u32>, reach: &mut Vec<i64>| {
            'items: for &i in part {
                let (own, on_detail) = self.masks[i as usize];
                let on_name = own | self.readings.letters(i as usize) as u64;
                if (on_name | on_detail) & wanted != wanted {
                    continue;
                }
                let (name, rest) = self.own(i);
                let link = self.link[i as usize];
                let mut b = 0;
                for (n, ((w, bit), most)) in
                    scorer.words.iter().zip(&by_mask).zip(&most).enumerate()
                {
                    // A word read in a Chinese name's pinyin has that reading's bonus:
                    // part of what the name could reach.
                    // `literal`: whether the name itself may hold the word whole.
                    let (in_name, in_detail, read, literal) = match bit {
                        Some(bit) => {
                            let mut in_name = on_name & bit != 0;
                            let mut read = None;
                            // A name with a reading holds a letter if it is one of its
                            // own characters or its reading takes it (as a syllable's
                            // first letter), not for every letter of its pinyin, which
                            // the mask holds.
                            if in_name && w.pinyin.is_some() && self.readings.has(i as usize) {
                                read = w.read_in(name, Kept::In(&self.readings, i as usize));
                                in_name = read.is_some() || own & bit != 0;
                            }
                            (in_name, on_detail & bit != 0, read, true)
                        }
                        None => {
                            let read = w.read_in(name, Kept::In(&self.readings, i as usize));
                            let literal = own & w.mask == w.mask && in_order(&w.text, name);
                            let in_name = literal || read.is_some();
                            // The detail: the characters its account's name does not
                            // hold, looked for in the rest.
                            let in_detail = !in_name
                                && on_detail & w.mask == w.mask
                                && match link {
                                    NO_LINK => in_order(&w.text, rest),
                                    j => match starts[n].get(heads[n].get(j as usize).map_or_else(
                                        || held(&w.text, self.own(j).0),
                                        |&k| k as usize,
                                    )) {
                                        Some(&at) => in_order(&w.text[at..], rest),
                                        None => true,
                                    },
                                };
                            (in_name, in_detail, read, literal || !w.text.is_ascii())
                        }
                    };
                    b += if in_name {
                        let own = if literal { bonus(&w.lower, name) } else { 0 };
                        own.max(read.map_or(0, |(_, b)| b)) + most
                    } else if in_detail {
                        most / 2
                    } else {
                        continue 'items;
                    };
                }
                matched.push(i);
                reach.push(b);
            }
        };
        let (mut matched, reach) = fill_in_halves(candidates, test);
        matched.shrink_to_fit();
        let mut levels: Vec<i64> = reach.clone();
        levels.sort_unstable_by(|a, b| b.cmp(a));
        levels.dedup();
        // Scored level by level, the highest reach first; once `limit` are held and the
        // last of them beats all the next level could reach, the rest cannot place.
        let mut best: Vec<Ranked> = Vec::new();
        for (n, level) in levels.iter().enumerate() {
            let group: Vec<u32> = matched
                .iter()
                .zip(&reach)
                .filter(|(_, r)| *r == level)
                .map(|(i, _)| *i)
                .collect();
            best.extend(best_among(&group));
            best.sort_unstable_by(order);
            best.truncate(limit);
            match levels.get(n + 1) {
                Some(next) if best.len() == limit && best[limit - 1].0 > *next => break,
                _ => {}
            }
        }
        let hits = self.hits(&best);
        self.remember(query, Some(matched), limit, best);
        hits
    }

    /// Keep what a query found, in place of what the same query found before.
    fn remember(
        &mut self,
        query: &str,
        matched: Option<Vec<u32>>,
        limit: usize,
        best: Vec<Ranked>,
    ) {
        if self.narrowed.last().is_some_and(|n| n.query == query) {
            self.narrowed.pop();
        }
        self.narrowed.push(Narrowed {
            query: query.to_string(),
            matched,
            limit,
            best,
        });
    }

    fn hits(&self, best: &[Ranked]) -> Vec<Hit> {
        best.iter()
            .map(|&(score, _, _, id, i)| {
                let mut buf = String::new();
                let (name, detail) = self.name_detail(i, &mut buf);
                Hit {
                    kind: self.kinds[i as usize].name().to_string(),
                    id,
                    name: name.to_string(),
                    detail: detail.to_string(),
                    score,
                }
            })
            .collect()
    }
}

/// At most `max` bytes of `text`, cut at a character's start.
fn cut_at(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A query the finder answered: the records it matched (what a longer query tests; None
/// when it found its best among the records its word begins, without testing the rest)
/// and its best `limit`.
struct Narrowed {
    query: String,
    matched: Option<Vec<u32>>,
    limit: usize,
    best: Vec<Ranked>,
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A word of one character scores as skim scores it, whatever the text: letters of
        /// either case, digits, every kind of separator, CJK, accents, a NUL.
        #[test]
        fn one_character_scores_as_skim_does(
            text in "[aAbBzZ0-9 /.\\-_(:)\\[\\]{}|'~`^@!*,白云机场éÉ\\x00]{0,24}",
            p in "[aAbBzZ0-9 ./_\\-白éÉ]",
        ) {
            let skim = SkimMatcherV2::default().ignore_case();
            let p: char = p.chars().next().unwrap();
            proptest::prop_assert_eq!(
                one_char_score(&text, p),
                skim.fuzzy_match(&text, &p.to_string()),
                "{:?} in {:?}", p, text
            );
        }
    }

    proptest::proptest! {
        /// The bonus, worked out a character at a time, is what the lower-cased name gives.
        #[test]
        fn the_bonus_is_that_of_the_lower_cased_name(
            name in "[aAbB白云기İıẞß ΣσςK\\u{212a}\\u{2e7f}\\u{a000}·–（）Ａａ\\u{ff21}\\u{ff41}]{0,10}",
            word in "[abAB白云기i̇ıßσςk\\u{307}ａ（]{0,4}",
        ) {
            let lower = word.to_lowercase();
            let folded = name.to_lowercase();
            let want = if folded == lower {
                1000
            } else if folded.starts_with(&lower) {
                500
            } else if folded.contains(&lower) {
                200
            } else {
                0
            };
            proptest::prop_assert_eq!(bonus(&lower, &name), want, "{:?} in {:?}", lower, name);
        }
    }

    proptest::proptest! {
        /// The in-order test and the count of characters held in order take each character
        /// of the word in turn, the first place after the one before (ASCII letters in
        /// either case), whatever the mix of scripts.
        #[test]
        fn words_are_found_in_order_a_character_at_a_time(
            text in "[aAbB白云机场éÉ -]{0,16}",
            word in "[abAB白云场éÉ-]{1,4}",
        ) {
            let mut chars = text.chars();
            let want = word
                .chars()
                .take_while(|q| chars.any(|c| c.eq_ignore_ascii_case(q)))
                .count();
            proptest::prop_assert_eq!(held(&word, &text), want);
            proptest::prop_assert_eq!(in_order(&word, &text), want == word.chars().count());
        }
    }

    proptest::proptest! {
        /// The finder's narrow mask gives each character beyond ASCII the bit its code
        /// modulo 20 picks, and keeps the ASCII bits as they are.
        #[test]
        fn a_narrow_mask_folds_the_characters_beyond_ascii(text in "[a-zA-Z0-9 .!白云机场é\u{4e00}-\u{9fff}]{0,12}") {
            let want = text.chars().fold(0u64, |m, c| {
                let bit = if c.is_ascii() {
                    char_mask(&c.to_string()).trailing_zeros()
                } else {
                    BEYOND_ASCII + c as u32 % 20
                };
                m | 1 << bit
            });
            proptest::prop_assert_eq!(narrow(char_mask(&text)), want);
        }
    }

    #[test]
    fn one_character_scores_of_names() {
        let skim = SkimMatcherV2::default().ignore_case();
        for name in [
            "Guangzhou Baiyun Airport",
            "gua",
            "AcmeCorp",
            "x.Guide",
            "123Go",
            "HTTP server",
            "广州白云国际机场",
            "[g]",
        ] {
            for p in ['g', 'G', 'a', 'c', 'o', '白', 'p', ' '] {
                assert_eq!(
                    one_char_score(name, p),
                    skim.fuzzy_match(name, &p.to_string()),
                    "{p:?} in {name:?}"
                );
            }
        }
    }

    #[test]
    fn the_finders_records_keep_their_text_across_pieces() {
        let mut f = Finder::with_capacity(0);
        f.push(Entity::Account, 7, "Acme Robotics Ltd", "Suzhou", None);
        f.push(Entity::Account, 9, "Acme ", "", None);
        // 30,000 records of 40-odd bytes fill more than one piece; one longer than a
        // piece keeps what fits, cut at a character.
        for i in 0..30_000 {
            f.push(
                Entity::Contact,
                i,
                &format!("联系人 Person {i}"),
                "Acme Robotics Ltd buyer",
                Some(7),
            );
        }
        let long = "长".repeat(PIECE);
        f.push(Entity::Account, 30_000, &long, "", None);
        assert_eq!(f.text.len(), 2);
        let mut buf = String::new();
        for i in 0..30_000u32 {
            assert_eq!(
                f.name_detail(i + 2, &mut buf),
                (
                    format!("联系人 Person {i}").as_str(),
                    "Acme Robotics Ltd buyer"
                )
            );
        }
        // The account's name is held once; the contacts hold what follows it.
        assert_eq!(
            f.parts(2),
            ("联系人 Person 0", "Acme Robotics Ltd", "buyer")
        );
        let (name, detail) = f.name_detail(30_002, &mut buf);
        assert_eq!((name.chars().count(), detail), (PIECE / 2 / 3, ""));
        // A detail that is the name alone, or does not begin with it, or an account held
        // with a space at its end, or one not held at all: each detail as it was.
        for (detail, account, linked) in [
            ("Acme Robotics Ltd", Some(7), true),
            ("Acme Robotics Ltdx", Some(7), false),
            ("Acme Robotics Ltd ", Some(7), false),
            ("Acme  x", Some(9), true),
            ("Acme", Some(9), false),
            ("Other Co", Some(7), false),
            ("Acme Robotics Ltd buyer", Some(8), false),
            ("Acme Robotics Ltd buyer", Some(30_000), false),
        ] {
            f.push(Entity::Deal, 1, "deal", detail, account);
            let i = f.len() as u32 - 1;
            assert_eq!(f.name_detail(i, &mut buf), ("deal", detail));
            assert_eq!(f.link[i as usize] != NO_LINK, linked, "{detail:?}");
        }
        let hits = f.top("person 29999", 5);
        assert_eq!(hits[0].id, 29_999);
        assert_eq!(hits[0].detail, "Acme Robotics Ltd buyer");
        let hits = f.top("person 29999 buyer robotics", 5);
        assert_eq!(hits[0].id, 29_999);
        assert_eq!(cut_at("ab长", 3), "ab");
        // A word in order over an account's name and the rest of a detail line.
        let hits = f.top("person 29999 ltdbu", 5);
        assert_eq!(hits[0].id, 29_999);
        assert!(f.top("person 29999 buyerltd", 5).is_empty());
        assert_eq!(held("ltdbu", "Acme Robotics Ltd"), 3);
        assert_eq!(held("苏州空港", "苏州机场"), 2);
        assert_eq!(held("xyz", "Acme"), 0);
    }

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
        // 广州 is read guang zhou: it starts with "gua" in pinyin (500), above Acme Guards,
        // which holds it (200), and Gulf Air, which has its letters apart.
        assert_eq!(pool.rank("gua"), vec![1, 2, 4, 5, 3]);
        assert_eq!(pool.rank("guan"), vec![1, 2, 4]);
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
    #[test]
    fn words_match_on_their_own_in_any_order() {
        let s = Scorer::new("hotels blue");
        let t = Scorer::new("blue hotels");
        for name in [
            "Blue Hotels Group",
            "Bluewater Hotels",
            "Hotels of the Blue Coast",
        ] {
            assert!(s.score(name, "").is_some(), "{name}");
            assert_eq!(s.score(name, ""), t.score(name, ""), "{name}");
        }
        assert_eq!(s.score("Blue Harbour", ""), None);
        // Each word fuzzily, and on the name or the detail line.
        assert!(Scorer::new("白云 机场")
            .score("广州白云国际机场", "")
            .is_some());
        assert!(Scorer::new("机场 白云")
            .score("广州白云国际机场", "")
            .is_some());
        assert!(Scorer::new("苏州 空港")
            .score("苏州工业园区空港物流", "")
            .is_some());
        assert!(Scorer::new("wang acme")
            .score("Wang Fang", "Acme Ltd")
            .is_some());
        assert_eq!(Scorer::new("wang zzz").score("Wang Fang", "Acme Ltd"), None);
        // A word's score is what it scores alone: the sum ranks.
        let one = Scorer::new("blue").score("Blue Hotels", "").unwrap();
        let two = Scorer::new("hotels").score("Blue Hotels", "").unwrap();
        assert_eq!(s.score("Blue Hotels", ""), Some(one + two));
        // Spaces alone are no query.
        assert_eq!(Scorer::new("   ").score("Blue Hotels", ""), None);
    }

    /// A letter held by a long Chinese name past the characters its reading covers is
    /// still found by the finder, as search finds it.
    #[test]
    fn the_finder_finds_a_letter_past_a_long_names_reading() {
        let mut f = Finder::with_capacity(0);
        let long = format!("{}x", "中".repeat(60));
        f.push(Entity::Account, 1, &long, "", None);
        f.push(Entity::Account, 2, "广州白云", "", None);
        f.sort_by_keys();
        let ids: Vec<i64> = f.top("x", 5).iter().map(|h| h.id).collect();
        assert_eq!(ids, [1]);
        assert!(Scorer::new("x").score(&long, "").is_some());
    }

    /// The pool's order as one number: higher score (below zero too), shorter name, lower
    /// id; and the id read back.
    #[test]
    fn rank_keys_sort_as_the_order_says() {
        let mut keys = vec![
            rank_key(-13, 5, 9),
            rank_key(40, 12, 3),
            rank_key(40, 7, 8),
            rank_key(40, 7, 2),
            rank_key(1200, 30, 1),
            rank_key(0, 1, 4),
        ];
        keys.sort();
        let ids: Vec<i64> = keys.into_iter().map(key_id).collect();
        assert_eq!(ids, [1, 2, 8, 3, 4, 9]);
    }

    #[test]
    fn a_pool_ranks_words_in_any_order() {
        let items: Vec<(i64, String)> = [
            "Blue Hotels Group",
            "Hotels Blue",
            "Bluebird Airways",
            "Crescent Hotels",
        ]
        .iter()
        .enumerate()
        .map(|(i, n)| (i as i64 + 1, n.to_string()))
        .collect();
        let mut pool = Pool::new(items.clone());
        let mut a = pool.rank("blue hotels");
        let mut b = pool.rank("hotels blue");
        assert_eq!(a.len(), 2);
        a.sort();
        b.sort();
        assert_eq!(a, vec![1, 2]);
        assert_eq!(a, b);
    }

    /// skim's score of a word is at most [`MOST_PER_CHAR`] a character: the finder's
    /// bound.
    #[test]
    fn a_words_fuzzy_score_stays_under_the_bound() {
        let m = SkimMatcherV2::default().ignore_case();
        let names = [
            "Guangzhou Metro",
            "GUANGDONG power",
            "gu",
            "G",
            "g-u-a",
            "a_g_u",
            "GuGuGu",
            "广州白云国际机场",
            "白云",
            "x白y云",
            "AcmeAcme",
            "acme",
            "ACME Co",
            "a c m e",
        ];
        for q in [
            "g", "G", "gu", "GU", "gua", "白", "白云", "acme", "Acme", "am", "a",
        ] {
            for n in names {
                if let Some(s) = m.fuzzy_match(n, q) {
                    assert!(
                        s <= MOST_PER_CHAR * q.chars().count() as i64,
                        "{q} in {n}: {s}"
                    );
                }
            }
        }
    }

    /// The finder's best records are `search`'s, for queries typed a character at a time
    /// (narrowing), then changed (widening), in several words.
    #[test]
    fn the_finder_ranks_as_search_does() {
        let mut crm = crate::app::crm::testing::crm();
        crate::samples::demo::generate(
            &mut crm,
            &crate::samples::demo::DemoOptions {
                seed: 7,
                accounts: 60,
            },
        )
        .unwrap();
        let r = crm.reader();
        let mut finder = Finder::read(&r).unwrap();
        assert!(finder.len() > 300, "{}", finder.len());
        let mut typed = Vec::new();
        let mut begun = 0;
        for text in [
            "acme",
            "白云 机场",
            "wang f",
            "hotels blue",
            "a",
            "e 1",
            "zzz",
            "gu",
            "guangzhou",
            "bygj",
            "shenzhen",
            "zhang wei",
            "h",
            "ho",
            "szby",
        ] {
            typed.clear();
            for c in text.chars() {
                typed.push(c);
                let q: String = typed.iter().collect();
                if q.trim().is_empty() {
                    continue;
                }
                for limit in [1, 5, 50] {
                    let want = search(&r, &q, &[], limit).unwrap();
                    assert_eq!(finder.top(&q, limit), want, "query {q:?}, limit {limit}");
                    begun += finder.narrowed.last().is_some_and(|n| n.matched.is_none()) as usize;
                }
            }
        }
        // Some were answered from the records their word begins alone.
        assert!(begun > 10, "{begun}");
    }
}
