//! Duplicates: records that are probably the same customer, contact or lead. Two records
//! match on the same email, the same phone (its last 8 digits), the same website domain
//! (accounts), or the same normalised name — case, spaces, punctuation and company suffixes
//! such as Ltd, Inc, 有限公司 do not count. A contact's name only matches within the same
//! account, a lead's within the same company: 王芳 at two companies are two people.

use std::collections::HashMap;

use serde::Serialize;

use crate::error::Result;
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

const SUFFIXES: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "集团",
    "公司",
    "limited",
    "ltd",
    "inc",
    "incorporated",
    "corporation",
    "corp",
    "co",
    "company",
    "llc",
    "gmbh",
    "plc",
    "sa",
    "ag",
    "bv",
];

/// A name reduced for comparison: lower case, letters and digits only, without company
/// suffixes. "Acme Co., Ltd." and "ACME" are both "acme".
pub fn normalize_name(name: &str) -> String {
    let mut s: String = name
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    loop {
        let before = s.len();
        for suf in SUFFIXES {
            if s.len() > suf.len() && s.ends_with(suf) {
                s.truncate(s.len() - suf.len());
            }
        }
        if s.len() == before {
            break;
        }
    }
    s
}

/// The last 8 digits of a phone number (enough to ignore country and area prefixes), or
/// None when it has fewer than 7.
pub fn phone_tail(phone: &str) -> Option<String> {
    let main = phone.split(['x', 'X', '转']).next().unwrap_or("");
    let digits: String = main.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 7 {
        return None;
    }
    Some(digits[digits.len().saturating_sub(8)..].to_string())
}

const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "outlook.com",
    "hotmail.com",
    "yahoo.com",
    "icloud.com",
    "foxmail.com",
    "live.com",
    "aliyun.com",
    "yeah.net",
];

/// The domain of a website, or of an email that is not a free mail service.
pub fn domain(website: Option<&str>, email: Option<&str>) -> Option<String> {
    if let Some(w) = website.map(str::trim).filter(|w| !w.is_empty()) {
        let w = w.to_lowercase();
        let w = w.split("://").last().unwrap_or(&w);
        let host = w.split(['/', '?', '#', ':']).next().unwrap_or("");
        let host = host.strip_prefix("www.").unwrap_or(host);
        if host.contains('.') {
            return Some(host.to_string());
        }
    }
    let d = email?.rsplit_once('@')?.1.trim().to_lowercase();
    (d.contains('.') && !FREE_MAIL.contains(&d.as_str())).then_some(d)
}

/// What a record offers for matching.
struct Keys {
    name: String,
    emails: Vec<String>,
    tails: Vec<String>,
    domain: Option<String>,
    within: Option<String>,
}

fn keys(entity: Entity, row: &DedupeRow) -> Keys {
    Keys {
        name: normalize_name(&row.name),
        emails: row
            .emails
            .iter()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty())
            .collect(),
        tails: row.phones.iter().filter_map(|p| phone_tail(p)).collect(),
        domain: if entity == Entity::Account {
            domain(
                row.website.as_deref(),
                row.emails.first().map(String::as_str),
            )
        } else {
            None
        },
        within: row.within.clone(),
    }
}

/// Score how alike two records are; None when nothing matches.
fn compare(a: &Keys, b: &Keys) -> Option<(u32, Vec<String>)> {
    let mut score = 0;
    let mut why = Vec::new();
    if let Some(e) = a.emails.iter().find(|e| b.emails.contains(e)) {
        score += 100;
        why.push(format!("same email {e}"));
    }
    if let Some(t) = a.tails.iter().find(|t| b.tails.contains(t)) {
        score += 90;
        why.push(format!("same phone …{t}"));
    }
    if let (Some(x), Some(y)) = (&a.domain, &b.domain) {
        if x == y {
            score += 60;
            why.push(format!("same domain {x}"));
        }
    }
    if !a.name.is_empty() && a.name == b.name && a.within == b.within {
        score += 80;
        why.push("same name".to_string());
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
    let prefix: String = candidate.name.chars().take(3).collect();
    let prefix = if k.name.is_empty() {
        String::new()
    } else {
        prefix
    };
    let rows = r.dedupe_rows(
        entity,
        Some(crate::store::DedupeQuery {
            name_prefix: &prefix,
            emails: &k.emails,
            phone_tails: &k.tails,
            domain: k.domain.as_deref(),
        }),
    )?;
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
        for t in &k.tails {
            groups.entry(format!("p:{t}")).or_default().push(i);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_away_case_punctuation_and_suffixes() {
        assert_eq!(normalize_name("Acme Co., Ltd."), "acme");
        assert_eq!(normalize_name("ACME"), "acme");
        assert_eq!(
            normalize_name("广州白云国际机场股份有限公司"),
            "广州白云国际机场"
        );
        assert_eq!(
            normalize_name("Co"),
            "co",
            "a name that is only a suffix stays"
        );
        assert_ne!(
            normalize_name("Acme Logistics"),
            normalize_name("Acme Shenzhen")
        );
    }

    #[test]
    fn phones_compare_by_their_last_digits() {
        assert_eq!(phone_tail("+86 20 3606 6999"), Some("36066999".into()));
        assert_eq!(phone_tail("020-3606-6999"), Some("36066999".into()));
        assert_eq!(phone_tail("123"), None);
        assert_eq!(phone_tail("(415) 555-0101 x12"), Some("55550101".into()));
    }

    #[test]
    fn domains_from_websites_and_company_mail() {
        assert_eq!(
            domain(Some("https://www.Acme.com/about"), None),
            Some("acme.com".into())
        );
        assert_eq!(domain(None, Some("li@baiyun.cn")), Some("baiyun.cn".into()));
        assert_eq!(domain(None, Some("li@qq.com")), None);
        assert_eq!(domain(Some("intranet"), None), None);
    }
}
