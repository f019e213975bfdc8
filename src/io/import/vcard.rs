//! vCard files in and out of contacts. A card's ORG names the contact's account (made with
//! `create_missing`); what kith has no field for — URLs, addresses, nicknames, vendor
//! properties — is kept at the end of the contact's notes, under a `[vCard]` line, so
//! nothing in the file is lost and it goes back out on export.

use super::{import_rows, key_of, Options, Rejected, Row, Summary};
use crate::app::crm::{Crm, Input};
use crate::core::error::{Error, Result};
use crate::io::vcard::{self, Card, Version};
use crate::model::record::Record;
use crate::model::Entity;

/// The marker before the kept vCard properties in a contact's notes.
const MARK: &str = "[vCard]";

/// Import every card of the bytes of the file `name` as a contact (the encodings as
/// [`vcard::read`] reads them). With `key` (email by default) a card updates the contact
/// that has that email instead of adding another. A file without a card is an error.
/// `encoding`, when given, is what the bytes without a `CHARSET` are in, instead of detected.
pub fn import_vcard(
    crm: &mut Crm,
    name: &str,
    bytes: &[u8],
    encoding: Option<&'static encoding_rs::Encoding>,
    opts: &Options,
    reject: impl FnMut(&Rejected),
    progress: impl FnMut(u64),
) -> Result<Summary> {
    let mut opts = opts.clone();
    opts.entity = Some(Entity::Contact);
    if opts.key.is_none() {
        // Address books are imported again and again: a card updates the contact with its
        // email, or the one it would duplicate (same phone, same name at the account).
        // A card with a UID updates the contact that has it, first of all.
        opts.match_first = Some("uid");
        opts.key = Some("emails".into());
        opts.key_optional = true;
        opts.update_duplicates = !crm.env.allow_duplicates;
    }
    let key = key_of(Entity::Contact, &opts, |f| {
        matches!(f, "emails" | "name" | "phones" | "uid")
    })?;
    let cards = vcard::read_in(bytes, encoding)
        .map_err(|why| crate::err!(Invalid, "import.vcard_bad", name = name, why = why))?;
    if cards.is_empty() {
        return Err(crate::err!(Invalid, "import.vcard_file_begin", name = name));
    }
    let strict = opts.strict;
    let rows = cards.into_iter().enumerate().map(move |(i, entry)| {
        let number = i as u64 + 1;
        let begin = entry.line as u64;
        match entry.card {
            Ok(card) => {
                let (input, warnings) = match card_input(&card, strict) {
                    Ok((input, warnings)) => (Ok(input), warnings),
                    Err(e) => (Err(e), vec![]),
                };
                Row {
                    line: begin,
                    card: Some(number),
                    cells: vec![card.name.clone()],
                    input,
                    raw: entry.raw,
                    warnings: warnings
                        .into_iter()
                        .map(|w| {
                            crate::tr!(
                                "import.card_line",
                                number = number,
                                line = begin,
                                warning = w
                            )
                        })
                        .collect(),
                }
            }
            // A card that cannot be read: the line of the problem.
            Err(e) => Row {
                line: e.line as u64,
                card: Some(number),
                cells: vec![],
                input: Err(Error::invalid(e.reason)),
                raw: entry.raw,
                warnings: vec![],
            },
        }
    });
    let locate = |e: &Error| {
        let t = e.to_string();
        match t.split_once(": ") {
            Some((field, rest)) if Entity::Contact.field(field).is_some() => {
                (Some(field.to_string()), rest.to_string())
            }
            _ => (None, t),
        }
    };
    import_rows(
        crm,
        Entity::Contact,
        key,
        rows,
        &opts,
        locate,
        reject,
        progress,
    )
}

/// A card as contact fields, and a warning for each value kith cannot take (an email
/// without a dot in its domain, a placeholder phone such as `BusinessPhone`, a title on
/// two lines): such a value is kept in the notes under `[vCard]`, as the property it was,
/// so it goes back out on export. With `strict` such a value is an error instead.
pub fn card_input(c: &Card, strict: bool) -> Result<(Input, Vec<String>)> {
    let mut input = Input::new().with("name", c.name.clone());
    let mut kept: Vec<String> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    // A value refused: an error when strict, else kept as its property with a warning.
    let mut refuse = |prop: &str, value: &str, why: String| -> Result<()> {
        if strict {
            return Err(crate::err!(
                Invalid,
                "import.strict_refuses_card",
                prop = prop.to_lowercase(),
                why = why
            ));
        }
        warnings.push(crate::tr!(
            "import.kept_notes_under",
            prop = prop,
            why = why,
            mark = MARK
        ));
        kept.push(format!("{prop}:{}", vcard::escape(value)));
        Ok(())
    };
    for (f, prop, v) in [
        ("uid", "UID", &c.uid),
        ("account", "ORG", &c.org),
        ("title", "TITLE", &c.title),
        ("role", "ROLE", &c.role),
        ("birthday", "BDAY", &c.birthday),
    ] {
        let Some(v) = v.as_ref().filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        if v.contains(['\n', '\r']) {
            refuse(
                prop,
                v,
                crate::tr!("import.more_than_one", value = one_line(v)),
            )?;
        } else {
            input.set(f, v.clone());
        }
    }
    // Checked whole here: the list of a contact's emails or phones is split on ',' and ';'.
    for e in &c.emails {
        match crate::core::values::check_email(e) {
            Ok(_) if !e.contains([',', ';']) => input.set("emails", e.clone()),
            _ => refuse(
                "EMAIL",
                e,
                crate::tr!("import.email_address", value = one_line(e)),
            )?,
        }
    }
    for p in &c.phones {
        match crate::core::values::check_phone(p) {
            Ok(_) if !p.contains([',', ';']) => input.set("phones", p.clone()),
            _ => refuse(
                "TEL",
                p,
                crate::tr!("import.phone_number", value = one_line(p)),
            )?,
        }
    }
    for cat in &c.categories {
        // A tag is one word.
        let t: String = cat
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-")
            .replace(',', "-");
        if !t.trim_start_matches('+').is_empty() {
            input.tags_add.push(t);
        }
    }
    kept.extend(c.urls.iter().map(|u| format!("URL:{u}")));
    kept.extend(c.addresses.iter().map(|a| format!("ADR:{a}")));
    kept.extend(c.extra.iter().map(|(k, v)| format!("{k}:{v}")));
    let mut notes = c.notes.clone().unwrap_or_default();
    if !kept.is_empty() {
        if !notes.is_empty() {
            notes.push_str("\n\n");
        }
        notes.push_str(MARK);
        for k in kept {
            notes.push('\n');
            notes.push_str(&k);
        }
    }
    if !notes.is_empty() {
        input.set("notes", notes);
    }
    Ok((input, warnings))
}

/// A value for a message: line breaks shown as `\n`.
fn one_line(v: &str) -> String {
    v.replace("\r\n", "\n").replace(['\r', '\n'], "\\n")
}

/// Contacts as a vCard file.
pub fn export(contacts: &[Record], version: Version) -> String {
    let cards: Vec<Card> = contacts.iter().map(contact_card).collect();
    vcard::write(&cards, version)
}

fn contact_card(r: &Record) -> Card {
    let list = |k: &str| -> Vec<String> {
        r.get(k)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let notes = r.str("notes").unwrap_or("");
    let (own, kept) = match notes.split_once(MARK) {
        Some((own, kept)) => (own.trim_end().to_string(), kept.to_string()),
        None => (notes.to_string(), String::new()),
    };
    let mut card = Card {
        name: r.label().to_string(),
        org: r.str("account").map(str::to_string),
        title: r.str("title").map(str::to_string),
        role: r.str("role").map(str::to_string),
        emails: list("emails"),
        phones: list("phones"),
        birthday: r.str("birthday").map(str::to_string),
        notes: (!own.is_empty()).then_some(own),
        categories: list("tags"),
        // The UID it came with, unchanged; else one of kith's own.
        uid: Some(
            r.str("uid")
                .filter(|u| !u.trim().is_empty())
                .map_or_else(|| vcard::contact_uid(r.id()), str::to_string),
        ),
        ..Card::default()
    };
    for line in kept.lines().filter(|l| !l.trim().is_empty()) {
        match line.split_once(':') {
            Some(("URL", v)) => card.urls.push(v.to_string()),
            Some(("ADR", v)) => card.addresses.push(v.to_string()),
            Some((k, v)) => card.extra.push((k.to_string(), v.to_string())),
            None => {}
        }
    }
    card
}
