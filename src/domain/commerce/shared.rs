//! What the commerce documents share: their numbers (Q-2026-0001, SO-2026-0001 …), a value
//! among checked values, and the record that must be live for a verb.

use serde_json::Value;

use crate::core::error::Result;
use crate::domain::toolkit::{with_value, Env};
use crate::model::record::Record;
use crate::model::Entity;
use crate::store::{Reader, Values, Writer};

/// The value of `column` among checked values, when it is there and not empty.
pub fn value_of(values: &Values, column: &str) -> Option<Value> {
    values
        .iter()
        .rev()
        .find(|(k, v)| k == column && !v.is_null())
        .map(|(_, v)| v.clone())
}

/// A record's amount in `field` (zero when it has none).
pub fn money(rec: &Record, field: &str) -> crate::core::money::Money {
    rec.get(field)
        .and_then(crate::core::money::Money::from_json)
        .unwrap_or_default()
}

/// Put `value` in `column` unless a value is there already.
pub fn default_to(values: &mut Values, column: &str, value: Value) {
    if value_of(values, column).is_none() && !value.is_null() {
        values.push((column.into(), value));
    }
}

/// The next free number of the year for `entity`: `{code}-2026-0001`, `{code}-2026-0002` …
pub fn next_number(w: &Writer<'_>, env: &Env, entity: Entity, code: &str) -> Result<String> {
    let prefix = format!("{code}-{}-", env.clock.today().format("%Y"));
    let n = w.reader().max_numbered(entity, "number", &prefix)?;
    Ok(format!("{prefix}{:04}", n + 1))
}

/// No two records of `entity` share a number, live or in the trash.
pub fn check_number(w: &Writer<'_>, entity: Entity, number: &str, id: Option<i64>) -> Result<()> {
    let r = w.reader();
    let mut taken = None;
    for trashed in [false, true] {
        taken = taken.or(with_value(&r, entity, "number", number, trashed, 2)?
            .iter()
            .map(Record::id)
            .find(|other| Some(*other) != id));
    }
    match taken {
        Some(other) => Err(crate::err!(
            Invalid,
            "commerce.number_taken",
            number = number,
            kind = entity.label(),
            id = other
        )),
        None => Ok(()),
    }
}

/// Number a new record: the number given (checked free), else the next of the year.
pub fn number_new(
    w: &Writer<'_>,
    env: &Env,
    entity: Entity,
    code: &str,
    values: &mut Values,
) -> Result<()> {
    match value_of(values, "number").and_then(|v| v.as_str().map(str::to_string)) {
        Some(n) => check_number(w, entity, &n, None),
        None => {
            values.push((
                "number".into(),
                Value::String(next_number(w, env, entity, code)?),
            ));
            Ok(())
        }
    }
}

/// A record that is not in the trash, or why not.
pub fn live(r: &Reader<'_>, e: Entity, id: i64) -> Result<Record> {
    r.get(e, id)?
        .filter(|rec| !rec.is_trashed())
        .ok_or_else(|| crate::err!(NotFound, "lines.no_record", kind = e.label(), id = id))
}

/// Take a record from one of the states `from` to `to` by `verb`: its status, the moment in
/// `stamp` and the reason, if any; refused (naming the states that take it) from any
/// other. Returns the record as it was.
pub fn transition(
    w: &mut Writer<'_>,
    env: &Env,
    entity: Entity,
    id: i64,
    (verb, from, to): (&str, &[&str], &str),
    stamp: &str,
    reason: Option<&str>,
) -> Result<Record> {
    let rec = live(&w.reader(), entity, id)?;
    if !from.contains(&rec.str("status").unwrap_or_default()) {
        return Err(cannot(&rec, verb, from));
    }
    let mut v: Values = vec![
        ("status".into(), Value::from(to)),
        (stamp.into(), Value::String(env.clock.stamp())),
    ];
    if let Some(r) = reason.map(str::trim).filter(|r| !r.is_empty()) {
        v.push(("reason".into(), Value::from(r)));
    }
    w.update(entity, id, &v)?;
    Ok(rec)
}

/// A refusal of `verb` on a record whose status is not one that takes it.
pub fn cannot(rec: &Record, verb: &str, needs: &[&str]) -> crate::core::error::Error {
    let label = |w: &str| crate::model::record::choice_label(rec.entity, "status", w);
    let needs = needs
        .iter()
        .map(|w| label(w))
        .collect::<Vec<_>>()
        .join(" / ");
    crate::err!(
        Invalid,
        "commerce.cannot",
        kind = rec.entity.label(),
        number = rec.label(),
        status = label(rec.str("status").unwrap_or_default()),
        needs = needs,
        verb = verb
    )
}
