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
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut hits: Vec<Hit> = r
        .search_rows()?
        .into_iter()
        .filter(|row| kinds.is_empty() || kinds.contains(&row.entity))
        .filter_map(|row| {
            let on_name = matcher.fuzzy_match(&row.name, q);
            // The detail (company, city, title) counts for less than the name.
            let on_detail = matcher.fuzzy_match(&row.detail, q).map(|s| s / 2);
            let score = on_name.max(on_detail)?;
            // An exact or leading match of the whole text ranks above scattered letters.
            let lower = row.name.to_lowercase();
            let ql = q.to_lowercase();
            let bonus = if lower == ql {
                1000
            } else if lower.starts_with(&ql) {
                500
            } else if lower.contains(&ql) {
                200
            } else {
                0
            };
            Some(Hit {
                kind: row.entity.name().to_string(),
                id: row.id,
                name: row.name,
                detail: row.detail,
                score: score + bonus,
            })
        })
        .collect();
    hits.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.name.len().cmp(&b.name.len()))
            .then(a.id.cmp(&b.id))
    });
    hits.truncate(limit);
    Ok(hits)
}
