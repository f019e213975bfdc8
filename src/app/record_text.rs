//! A record as text to edit in an editor (the interface's `E`), and that text read back.
//!
//! The text is TOML: comments (`#`) at the top say what it is and how to change nothing,
//! the read-only fields (id, created, updated, those kith sets) are comments too, then one
//! `field = "value"` line per field `kith <kind> edit` can set, built-in and custom, in the
//! order of the interface's form, each field of fixed values under a comment listing them:
//!
//! ```toml
//! # account 2 · Acme Robotics Ltd
//! # …
//! name = "Acme Robotics Ltd"
//! # one of: prospect, customer, partner, distributor, competitor, supplier
//! type = "prospect"
//! notes = """
//! two
//! lines"""
//! ```
//!
//! Reading it back is strict: a line that is not TOML, a key given twice, a field the kind
//! does not have or one that cannot be set is an error naming its line, and nothing is
//! written. Only the fields whose value differs from the one written are sent, in one
//! `Crm::update` — one write, one batch, checked as the command line checks it.

use crate::app::crm::{Crm, Input};
use crate::core::error::{Error, Result};
use crate::model::custom::Custom;
use crate::model::record::{value_text, Record};
use crate::model::{Entity, Field, Ty};

/// The fields a user sets on a record of a kind, in the order the interface's form shows
/// them: the name or title first (an activity's kind before its subject), then the
/// others, the custom ones last.
pub fn editable_fields(e: Entity, custom: &Custom) -> Vec<&'static Field> {
    let mut fields: Vec<&'static Field> =
        custom.fields(e).into_iter().filter(|f| !f.system).collect();
    fields.sort_by_key(|f| match f.name {
        "kind" if e == Entity::Activity => 0,
        n if n == e.label_field() => 1,
        _ => 2,
    });
    fields
}

/// A record written as text: what was written, and the value of each field in it (what
/// the text read back is compared with).
#[derive(Debug, Clone)]
pub struct RecordText {
    pub entity: Entity,
    pub id: i64,
    pub text: String,
    values: Vec<(&'static str, String)>,
}

/// What applying an edited text did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// No value differs from the one written: nothing was written.
    Unchanged,
    /// These fields were sent, in one write.
    Saved(Vec<&'static str>),
}

impl Crm {
    /// A record as text to edit (see the module's help).
    pub fn record_text(&self, e: Entity, id: i64) -> Result<RecordText> {
        let r = self.get(e, id)?;
        let custom = self.custom();
        let mut out = String::new();
        let comment = |out: &mut String, text: &str| {
            for l in text.lines() {
                out.push_str("# ");
                out.push_str(l);
                out.push('\n');
            }
        };
        comment(
            &mut out,
            &crate::tr!(
                "record_text.title",
                kind = e.name(),
                id = id,
                label = r.label()
            ),
        );
        comment(
            &mut out,
            &crate::tr!(
                "record_text.how",
                command = format!("kith {} edit", e.name())
            ),
        );
        out.push_str("#\n");
        // The fields no one sets here: shown, as comments.
        let read_only: Vec<&Field> = ["id", "created_at", "updated_at"]
            .iter()
            .filter_map(|n| e.field(n))
            .chain(e.fields().iter().filter(|f| f.system))
            .collect();
        for f in read_only {
            let v = r.fields.get(f.name).map(value_text).unwrap_or_default();
            if !v.is_empty() {
                out.push_str(&format!("# {} = {}\n", key(f.name), quoted(&v)));
            }
        }
        out.push('\n');
        let mut values = Vec::new();
        for f in editable_fields(e, custom) {
            let v = r.fields.get(f.name).map(value_text).unwrap_or_default();
            if let Some(about) = self.about(&r, f) {
                comment(&mut out, &about);
            }
            out.push_str(&format!("{} = {}\n", key(f.name), quoted(&v)));
            values.push((f.name, v));
        }
        Ok(RecordText {
            entity: e,
            id,
            text: out,
            values,
        })
    }

    /// The comment over a field: the values a field of fixed values takes (a deal's stage:
    /// its pipeline's stages), what a link takes, that a list is comma-separated.
    fn about(&self, r: &Record, f: &Field) -> Option<String> {
        match f.ty {
            Ty::Enum(c) => Some(crate::tr!("record_text.one_of", values = c.join(", "))),
            Ty::Bool => Some(crate::tr!("record_text.one_of", values = "yes, no")),
            Ty::Ref(Entity::Stage) => {
                let pipeline = r
                    .i64("pipeline_id")
                    .map(|p| format!("#{p}"))
                    .unwrap_or_default();
                let stages = self.pipeline_stages(&pipeline).ok()?;
                let names: Vec<&str> = stages.iter().map(Record::label).collect();
                Some(crate::tr!("record_text.one_of", values = names.join(", ")))
            }
            Ty::Ref(kind) => Some(match r.i64(&f.id_key()) {
                Some(id) => crate::tr!("record_text.link_now", kind = kind.name(), id = id),
                None => crate::tr!("record_text.link", kind = kind.name()),
            }),
            Ty::Tags | Ty::List { .. } => Some(crate::tr!("record_text.comma_separated").into()),
            _ => None,
        }
    }

    /// Apply an edited text to the record it was written from: the fields whose value
    /// differs from the one written, in one update, checked as `kith <kind> edit` checks
    /// them. A text that does not read, or values refused, write nothing.
    pub fn apply_record_text(&mut self, written: &RecordText, edited: &str) -> Result<Applied> {
        let read = parse(written.entity, self.custom(), edited)?;
        let mut input = Input::new();
        let mut sent = Vec::new();
        for (name, value) in read {
            let before = written
                .values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str());
            if before != Some(value.as_str()) {
                input.set(name, value);
                sent.push(name);
            }
        }
        if sent.is_empty() || !self.update(written.entity, written.id, &input)? {
            return Ok(Applied::Unchanged);
        }
        Ok(Applied::Saved(sent))
    }
}

/// A field's name as a TOML key: bare when it can be, else quoted.
fn key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        name.to_string()
    } else {
        quoted(name)
    }
}

/// A value as a TOML string: one line in `"…"`, several in `"""…"""`, escaped so that it
/// reads back the same.
fn quoted(v: &str) -> String {
    let multi = v.contains('\n');
    let mut s = String::from(if multi { "\"\"\"\n" } else { "\"" });
    for c in v.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' if multi => s.push('\n'),
            '\n' => s.push_str("\\n"),
            '\t' => s.push('\t'),
            '\r' => s.push_str("\\r"),
            c if c.is_control() => s.push_str(&format!("\\u{:04X}", c as u32)),
            c => s.push(c),
        }
    }
    s.push_str(if multi { "\"\"\"" } else { "\"" });
    s
}

/// The line (from 1) a key is set on: the first line, not a comment, that begins with it
/// (bare or quoted) followed by `=`, or that opens a table of that name (`[city]`).
fn line_of(text: &str, name: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            let header = l
                .trim_end()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .trim();
            (l.starts_with('[') && header.trim_matches(['"', '\'']) == name)
                || [name.to_string(), format!("\"{name}\""), format!("'{name}'")]
                    .iter()
                    .any(|k| {
                        l.strip_prefix(k.as_str())
                            .is_some_and(|rest| rest.trim_start().starts_with(['=', '.']))
                    })
        })
        .map(|i| i + 1)
        .unwrap_or(1)
}

/// Read an edited text: each field set in it with its value as text (`yes`/`no` for
/// `true`/`false`, a list's items joined by commas), in the order of its lines.
pub fn parse(e: Entity, custom: &Custom, text: &str) -> Result<Vec<(&'static str, String)>> {
    let table: toml::Table = text.parse().map_err(|err: toml::de::Error| {
        let line = err
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
            .unwrap_or(1);
        let reason = err.message().trim().to_string();
        crate::err!(
            Invalid,
            "record_text.bad_line",
            line = line,
            reason = reason
        )
    })?;
    let fields = editable_fields(e, custom);
    let mut read = Vec::new();
    let mut problems: Vec<(usize, Error)> = Vec::new();
    for (name, value) in &table {
        let line = line_of(text, name);
        let Some(f) = fields.iter().find(|f| f.name == name) else {
            let read_only = e.field(name).is_some_and(|f| f.system)
                || ["id", "created_at", "updated_at"].contains(&name.as_str());
            let problem = if read_only {
                crate::err!(Invalid, "record_text.read_only", line = line, field = name)
            } else {
                let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
                crate::err!(
                    Invalid,
                    "record_text.unknown",
                    line = line,
                    field = name,
                    kind = e.name(),
                    fields = names.join(", ")
                )
            };
            problems.push((line, problem));
            continue;
        };
        match scalar(value) {
            Some(v) => read.push((line, f.name, v)),
            None => problems.push((
                line,
                crate::err!(Invalid, "record_text.not_text", line = line, field = name),
            )),
        }
    }
    if let Some((_, first)) = problems.into_iter().min_by_key(|(line, _)| *line) {
        return Err(first);
    }
    read.sort_by_key(|(line, _, _)| *line);
    Ok(read.into_iter().map(|(_, n, v)| (n, v)).collect())
}

/// A TOML value as the text a field is given: strings as they are, numbers and dates as
/// written, `true`/`false` as `yes`/`no`, an array's items joined by commas; `None` for a
/// table (or an array holding one).
fn scalar(v: &toml::Value) -> Option<String> {
    use toml::Value as V;
    Some(match v {
        V::String(s) => s.clone(),
        V::Integer(i) => i.to_string(),
        V::Float(f) => f.to_string(),
        V::Boolean(b) => if *b { "yes" } else { "no" }.to_string(),
        V::Datetime(d) => d.to_string(),
        V::Array(items) => items
            .iter()
            .map(|i| match i {
                V::Array(_) | V::Table(_) => None,
                i => scalar(i),
            })
            .collect::<Option<Vec<_>>>()?
            .join(", "),
        V::Table(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::crm::testing::crm;
    use crate::model::custom::Custom;

    fn account(crm: &mut Crm) -> i64 {
        crm.create(
            Entity::Account,
            &Input::new()
                .with("name", "Acme \"Robotics\" \\ Ltd")
                .with("tier", "B")
                .with("city", "Austin")
                .with("tags", "vip,robots")
                .with("notes", "line one\n\ttabbed \"\"\" quotes\nlast \\ line\n"),
        )
        .unwrap()
    }

    #[test]
    fn a_record_written_reads_back_the_same() {
        let mut crm = crm();
        let id = account(&mut crm);
        let t = crm.record_text(Entity::Account, id).unwrap();
        assert!(t.text.starts_with("# account "), "{}", t.text);
        assert!(t.text.contains(&format!("# id = \"{id}\"")), "{}", t.text);
        assert!(
            t.text.contains("# one of: A, B, C\ntier = \"B\"\n"),
            "{}",
            t.text
        );
        assert!(t
            .text
            .contains("name = \"Acme \\\"Robotics\\\" \\\\ Ltd\"\n"));
        // Every editable field, in the form's order, and back to the same values.
        let read = parse(Entity::Account, crm.custom(), &t.text).unwrap();
        let names: Vec<&str> = read.iter().map(|(n, _)| *n).collect();
        let order: Vec<&str> = editable_fields(Entity::Account, crm.custom())
            .iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, order);
        assert_eq!(read, t.values);
        let notes = read.iter().find(|(n, _)| *n == "notes").unwrap();
        // (The store keeps no line end at the end of a text.)
        assert_eq!(notes.1, "line one\n\ttabbed \"\"\" quotes\nlast \\ line");
        assert_eq!(
            crm.apply_record_text(&t, &t.text).unwrap(),
            Applied::Unchanged
        );
    }

    #[test]
    fn only_the_changed_fields_are_sent_in_one_write() {
        let mut crm = crm();
        let id = account(&mut crm);
        let t = crm.record_text(Entity::Account, id).unwrap();
        let edited = t
            .text
            .replace("tier = \"B\"", "tier = \"A\"")
            .replace("city = \"Austin\"", "city = \"\"")
            .replace("# account", "# edited: account");
        let before = crm.history(Entity::Account, id).unwrap().len();
        assert_eq!(
            crm.apply_record_text(&t, &edited).unwrap(),
            Applied::Saved(vec!["tier", "city"])
        );
        let r = crm.get(Entity::Account, id).unwrap();
        assert_eq!((r.text("tier"), r.text("city")), ("A".into(), "".into()));
        assert_eq!(r.text("name"), "Acme \"Robotics\" \\ Ltd");
        assert_eq!(crm.history(Entity::Account, id).unwrap().len(), before + 1);
        // A line taken out leaves its field as it was.
        let t = crm.record_text(Entity::Account, id).unwrap();
        let edited: String = t
            .text
            .lines()
            .filter(|l| !l.starts_with("tier ="))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(
            crm.apply_record_text(&t, &edited).unwrap(),
            Applied::Unchanged
        );
    }

    #[test]
    fn a_text_that_does_not_read_names_its_line() {
        let c = Custom::none();
        let e = Entity::Account;
        let err = |text: &str| parse(e, c, text).unwrap_err().to_string();
        assert_eq!(
            err("name = \"x\"\n\nsize = \"big\"\n"),
            "line 3: the account has no field 'size' (its fields: name, kind, type, tier, status, \
             industry, owner, parent, phone, email, website, address, city, region, country, \
             source, tags, notes, pricelist)"
        );
        assert!(
            err("name = \"x\"\nname = \"y\"\n").starts_with("line 2: "),
            "{}",
            err("name = \"x\"\nname = \"y\"\n")
        );
        assert!(err("name = \"x\ncity = \"y\"\n").starts_with("line 1: "));
        assert!(err("name = x\n").starts_with("line 1: "));
        assert_eq!(
            err("name = \"x\"\nid = 5\n"),
            "line 2: id cannot be changed here"
        );
        assert_eq!(
            err("name = \"x\"\n[city]\na = 1\n"),
            "line 2: city takes one value (text in quotes)"
        );
        // Numbers, yes/no and lists read as the text a field takes.
        let read = parse(e, c, "name = 'x'\ntags = [\"a\", \"b\"]\nphone = 5550100\n").unwrap();
        assert_eq!(
            read,
            [
                ("name", "x".to_string()),
                ("tags", "a, b".to_string()),
                ("phone", "5550100".to_string())
            ]
        );
    }

    #[test]
    fn values_refused_write_nothing() {
        let mut crm = crm();
        let id = account(&mut crm);
        let t = crm.record_text(Entity::Account, id).unwrap();
        let edited = t
            .text
            .replace("tier = \"B\"", "tier = \"D\"")
            .replace("city = \"Austin\"", "city = \"Dallas\"");
        let e = crm.apply_record_text(&t, &edited).unwrap_err();
        assert_eq!(e.to_string(), "tier: 'D' is not one of A, B, C");
        assert_eq!(crm.get(Entity::Account, id).unwrap().text("city"), "Austin");
    }
}
