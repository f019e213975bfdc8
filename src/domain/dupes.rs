//! Duplicates: records that are probably the same customer, contact or lead. Two records
//! match on the same email, the same phone number (however it is written:
//! [`crate::core::phones`]), the same website domain
//! (accounts), or the same normalised name — case, spaces, punctuation and company suffixes
//! such as Ltd, Inc, 有限公司 do not count. A contact's name only matches within the same
//! account, a lead's within the same company: 王芳 at two companies are two people.

use std::collections::HashMap;

use serde::Serialize;

use crate::core::error::Result;
use crate::model::dupe_keys::Keys;
pub use crate::model::dupe_keys::{domain, normalize_name, phone};
use crate::model::Entity;
use crate::store::{DedupeRow, Reader};

/// Why two records look like one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    pub id: i64,
    pub name: String,
    pub score: u32,
    pub reasons: Vec<String>,
}

/// A likely duplicate pair, for `kith dedupe`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pair {
    pub kind: String,
    pub a: i64,
    pub a_name: String,
    pub b: i64,
    pub b_name: String,
    pub score: u32,
    pub reasons: Vec<String>,
}

/// The keys of a record as the store reads it.
fn keys(entity: Entity, row: &DedupeRow) -> Keys {
    crate::model::dupe_keys::keys(
        entity,
        &row.name,
        &row.emails,
        &row.phones,
        row.website.as_deref(),
        row.within.as_deref(),
    )
}

/// Score how alike two records are; None when nothing matches.
fn compare(a: &Keys, b: &Keys) -> Option<(u32, Vec<String>)> {
    let mut score = 0;
    let mut why = Vec::new();
    if let Some(e) = a.emails.iter().find(|e| b.emails.contains(e)) {
        score += 100;
        why.push(crate::tr!("dupes.same_email", email = e));
    }
    // The reason shows the number as the record already there wrote it.
    if let Some(p) = b
        .phones
        .iter()
        .find(|p| a.phones.iter().any(|q| q.number.same(&p.number)))
    {
        score += 90;
        why.push(crate::tr!("dupes.same_phone", phone = p.written));
    }
    if let (Some(x), Some(y)) = (&a.domain, &b.domain) {
        if x == y {
            score += 60;
            why.push(crate::tr!("dupes.same_domain", domain = x));
        }
    }
    if !a.name.is_empty() && a.name == b.name && a.within == b.within {
        score += 80;
        why.push(crate::tr!("dupes.same_name").to_string());
    }
    (score > 0).then_some((score, why))
}

/// Live records that look like `candidate` (a record about to be written; its id, if it has
/// one, is left out). Best match first.
pub fn matches(r: &Reader<'_>, entity: Entity, candidate: &DedupeRow) -> Result<Vec<Match>> {
    if !matches!(entity, Entity::Account | Entity::Contact | Entity::Lead) {
        return Ok(vec![]);
    }
    let k = keys(entity, candidate);
    let index = k.index();
    // Only the records sharing a key: a few lookups in the store's index of keys.
    let rows = r.dedupe_rows(entity, Some(crate::store::DedupeQuery { keys: &index }))?;
    let mut out: Vec<Match> = rows
        .iter()
        .filter(|row| row.id != candidate.id)
        .filter_map(|row| {
            compare(&k, &keys(entity, row)).map(|(score, reasons)| Match {
                id: row.id,
                name: row.name.clone(),
                score,
                reasons,
            })
        })
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// Every likely duplicate pair among the live records of a kind, best first. Records are
/// grouped by each key, so this stays fast on large tables.
pub fn pairs(r: &Reader<'_>, entity: Entity) -> Result<Vec<Pair>> {
    let rows = r.dedupe_rows(entity, None)?;
    let keyed: Vec<Keys> = rows.iter().map(|row| keys(entity, row)).collect();
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, k) in keyed.iter().enumerate() {
        for e in &k.emails {
            groups.entry(format!("e:{e}")).or_default().push(i);
        }
        for p in &k.phones {
            groups
                .entry(format!("p:{}", p.number.tail()))
                .or_default()
                .push(i);
        }
        if let Some(d) = &k.domain {
            groups.entry(format!("d:{d}")).or_default().push(i);
        }
        if !k.name.is_empty() {
            groups
                .entry(format!(
                    "n:{}:{}",
                    k.name,
                    k.within.as_deref().unwrap_or("")
                ))
                .or_default()
                .push(i);
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for members in groups.values() {
        // A key shared by very many records (a switchboard number) says little; skip it.
        if members.len() > 50 {
            continue;
        }
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                let (i, j) = (i.min(j), i.max(j));
                if i == j || !seen.insert((i, j)) {
                    continue;
                }
                if let Some((score, reasons)) = compare(&keyed[i], &keyed[j]) {
                    out.push(Pair {
                        kind: entity.name().to_string(),
                        a: rows[i].id,
                        a_name: rows[i].name.clone(),
                        b: rows[j].id,
                        b_name: rows[j].name.clone(),
                        score,
                        reasons,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.a.cmp(&b.a))
            .then(a.b.cmp(&b.b))
    });
    Ok(out)
}
