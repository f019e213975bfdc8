//! A record as the library hands it to the faces: its kind and its fields as JSON values,
//! in display order, with snake_case keys.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::Entity;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    #[serde(skip)]
    pub entity: Entity,
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

impl Record {
    pub fn new(entity: Entity, fields: Map<String, Value>) -> Record {
        Record { entity, fields }
    }

    pub fn id(&self) -> i64 {
        self.fields.get("id").and_then(Value::as_i64).unwrap_or(0)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.get(key).filter(|v| !v.is_null())
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    pub fn i64(&self, key: &str) -> Option<i64> {
        self.get(key).and_then(Value::as_i64)
    }

    pub fn f64(&self, key: &str) -> Option<f64> {
        self.get(key).and_then(Value::as_f64)
    }

    pub fn bool(&self, key: &str) -> bool {
        self.get(key).and_then(Value::as_bool).unwrap_or(false)
    }

    /// The record's name or title.
    pub fn label(&self) -> &str {
        self.str(self.entity.label_field()).unwrap_or("")
    }

    pub fn is_trashed(&self) -> bool {
        self.get("deleted_at").is_some()
    }

    /// A field's value as plain text for tables and CSV: lists joined with ", ",
    /// booleans as yes/no, numbers without a trailing ".0".
    pub fn text(&self, key: &str) -> String {
        value_text(self.fields.get(key).unwrap_or(&Value::Null))
    }
}

/// Plain text of a JSON value, as tables and CSV show it.
/// A stored value of a field of fixed values (or a yes/no field) as a person reads it in
/// the current language: the catalog's `choice.<kind>.<field>.<word>` (`choice.yes`,
/// `choice.no`), else the word itself. English shows the stored words, which are also what
/// filters and `--sort` take.
pub fn choice_label(entity: crate::model::Entity, field: &str, word: &str) -> String {
    if crate::core::text::language() == "en" {
        return word.to_string();
    }
    let id = match word {
        "yes" | "no"
            if matches!(
                entity.field(field).map(|f| f.ty),
                Some(crate::model::Ty::Bool)
            ) =>
        {
            format!("choice.{word}")
        }
        _ => format!("choice.{}.{field}.{word}", entity.name()),
    };
    if crate::core::text::has(&id) {
        crate::core::text::t(&id).to_string()
    } else {
        word.to_string()
    }
}

/// The name of a record kith makes itself and names in English — the default pipeline
/// `sales` and its stages — as the catalog names it in the current language
/// (`name.<kind>.<name>`, spaces as `_`: 商务谈判 for the stage `negotiation`); any other
/// name, and every name in English, as it is. The stored name stays what JSON, CSV and
/// `--sort` show; [`name_of_label`] reads the labels back.
pub fn name_label(entity: crate::model::Entity, name: &str) -> String {
    let prefix = match names_prefix(entity) {
        Some(p) if crate::core::text::language() != "en" && !name.is_empty() => p,
        _ => return name.to_string(),
    };
    let id = format!("{prefix}{}", name.replace(' ', "_"));
    if crate::core::text::has(&id) {
        crate::core::text::t(&id).to_string()
    } else {
        name.to_string()
    }
}

/// The stored name of the record kith made itself that `text` names in any language the
/// catalogs hold (方案报价 or `proposal` → `proposal`), ignoring case; None for any other
/// text.
pub fn name_of_label(entity: crate::model::Entity, text: &str) -> Option<&'static str> {
    let prefix = names_prefix(entity)?;
    let text = text.trim().to_lowercase();
    crate::core::text::ids_under(prefix).find_map(|id| {
        let stored = crate::core::text::english(id)?;
        crate::core::text::in_every_language(id)
            .any(|t| t.to_lowercase() == text)
            .then_some(stored)
    })
}

/// Where the catalog names the records of a kind kith makes itself (`name.stage.`); None
/// for the kinds whose records only their users name.
fn names_prefix(entity: crate::model::Entity) -> Option<&'static str> {
    match entity {
        crate::model::Entity::Pipeline => Some("name.pipeline."),
        crate::model::Entity::Stage => Some("name.stage."),
        _ => None,
    }
}

pub fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.to_string()
            } else if let Some(f) = n.as_f64() {
                format_number(f)
            } else {
                n.to_string()
            }
        }
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(value_text).collect::<Vec<_>>().join(", "),
        Value::Object(_) => v.to_string(),
    }
}

/// Plain text of a value for data files (CSV, TSV): like [`value_text`], but fractions keep
/// every digit (a rate of 0.6311 stays 0.6311).
pub fn value_data_text(v: &Value) -> String {
    match v {
        Value::Number(n) if n.as_i64().is_none() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            Some(f) => f.to_string(),
            None => n.to_string(),
        },
        _ => value_text(v),
    }
}

/// A decimal without needless zeros: 1200 → "1200", 12.5 → "12.5", 0.1+0.2 → "0.3".
pub fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        let s = format!("{f:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word of a field of fixed values has its label in the catalog (the tiers,
    /// letters, are shown as they are).
    #[test]
    fn every_choice_has_its_label() {
        for e in crate::model::Entity::ALL {
            for f in e.fields() {
                if let crate::model::Ty::Enum(words) = f.ty {
                    if f.name == "tier" {
                        continue;
                    }
                    for w in words {
                        let id = format!("choice.{}.{}.{w}", e.name(), f.name);
                        assert!(crate::core::text::has(&id), "no message {id}");
                    }
                }
            }
        }
        // In English the stored word itself.
        assert_eq!(
            choice_label(crate::model::Entity::Deal, "status", "won"),
            "won"
        );
    }
    use serde_json::json;

    #[test]
    fn text_of_values() {
        assert_eq!(value_text(&json!(null)), "");
        assert_eq!(value_text(&json!(true)), "yes");
        assert_eq!(value_text(&json!(1200.0)), "1200");
        assert_eq!(value_text(&json!(12.5)), "12.5");
        assert_eq!(value_text(&json!(0.1 + 0.2)), "0.3");
        assert_eq!(
            value_text(&json!(["a@x.com", "b@x.com"])),
            "a@x.com, b@x.com"
        );
    }

    #[test]
    fn record_accessors() {
        let mut m = Map::new();
        m.insert("id".into(), json!(7));
        m.insert("title".into(), json!("Big deal"));
        m.insert("amount".into(), json!(10.5));
        let r = Record::new(Entity::Deal, m);
        assert_eq!(r.id(), 7);
        assert_eq!(r.label(), "Big deal");
        assert_eq!(r.f64("amount"), Some(10.5));
        assert_eq!(r.str("missing"), None);
        assert_eq!(
            serde_json::to_value(&r).unwrap()["title"],
            json!("Big deal")
        );
    }
}
