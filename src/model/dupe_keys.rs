//! The keys duplicate detection compares, made the same way wherever a record is written
//! or looked up: an email in lower case, a phone as a number ([`crate::core::phones`]), a
//! website's (or company mail's) domain, a name without case, punctuation and company suffixes. The store keeps
//! them in an index (`dupe_keys`) on every write, so finding the records like a new one is
//! a few index lookups however many records there are; [`crate::domain::dupes`] compares them.

use crate::core::phones::{number, Number};
use crate::model::Entity;

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

/// A phone as duplicate checks compare it: the number it is, and how the record wrote it
/// (what a reason shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    pub number: Number,
    pub written: String,
}

/// A phone of a record, or None when it has too few digits to compare.
pub fn phone(written: &str) -> Option<Phone> {
    number(written).map(|number| Phone {
        number,
        written: written.trim().to_string(),
    })
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Keys {
    pub name: String,
    pub emails: Vec<String>,
    pub phones: Vec<Phone>,
    pub domain: Option<String>,
    /// A contact's account id, a lead's company in lower case: names match only within it.
    pub within: Option<String>,
}

/// The keys of a record of `entity` (an account, contact or lead) with these values.
pub fn keys(
    entity: Entity,
    name: &str,
    emails: &[String],
    phones: &[String],
    website: Option<&str>,
    within: Option<&str>,
) -> Keys {
    Keys {
        name: normalize_name(name),
        emails: emails
            .iter()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty())
            .collect(),
        phones: phones.iter().filter_map(|p| phone(p)).collect(),
        domain: if entity == Entity::Account {
            domain(website, emails.first().map(String::as_str))
        } else {
            None
        },
        within: within.map(str::to_string),
    }
}

/// What a lead's name matches within: its company, in lower case.
pub fn lead_within(company: Option<&str>) -> Option<String> {
    company.map(str::to_lowercase)
}

impl Keys {
    /// The entries of the index: `e:` email, `p:` a phone's last digits
    /// ([`Number::tail`]: every number that may be it shares them; which of those are it is
    /// told after the lookup), `d:` domain, `n:` name and (after a unit separator) what it
    /// matches within. Each once.
    pub fn index(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |k: String| {
            if !out.contains(&k) {
                out.push(k);
            }
        };
        for e in &self.emails {
            push(format!("e:{e}"));
        }
        for p in &self.phones {
            push(format!("p:{}", p.number.tail()));
        }
        if let Some(d) = &self.domain {
            push(format!("d:{d}"));
        }
        if !self.name.is_empty() {
            push(format!(
                "n:{}\u{1f}{}",
                self.name,
                self.within.as_deref().unwrap_or("")
            ));
        }
        out
    }
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
    fn phones_are_keyed_by_their_last_seven_digits_and_compared_as_numbers() {
        let p = |s: &str| phone(s).unwrap();
        assert_eq!(p("+86 20 3606 6999").number.tail(), "6066999");
        assert_eq!(p("020-3606-6999").number, p("+86 20 3606 6999").number);
        assert_eq!(p(" 020-3606-6999 ").written, "020-3606-6999");
        assert_eq!(phone("123"), None);
        assert_eq!(p("(415) 555-0101 x12").number.tail(), "5550101");
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

    #[test]
    fn the_index_holds_each_key_once_with_its_kind() {
        let k = keys(
            Entity::Account,
            "Acme Co., Ltd.",
            &[" Info@Acme.com ".into(), "info@acme.com".into()],
            &["+86 20 3606-6999".into(), "(020) 3606 6999".into()],
            Some("https://www.acme.com/"),
            None,
        );
        assert_eq!(
            k.index(),
            vec!["e:info@acme.com", "p:6066999", "d:acme.com", "n:acme\u{1f}"]
        );
        // A contact's name is keyed with its account; no domain for contacts.
        let c = keys(
            Entity::Contact,
            "王芳",
            &[],
            &[],
            Some("acme.com"),
            Some("7"),
        );
        assert_eq!(c.index(), vec!["n:王芳\u{1f}7"]);
        // A name of punctuation only has no name key.
        assert!(keys(Entity::Lead, "!!", &[], &[], None, None)
            .index()
            .is_empty());
    }
}
