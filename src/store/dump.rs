//! The whole database as one JSON document (`kith export json --all`), and loading such a
//! document into an empty database (`kith import json`). Every table row is kept as stored,
//! ids, the change log and the trash included, so a dump loaded and dumped again is the
//! same document. Loading is a restore, like `kith restore`: it writes the rows and their
//! change log as they were, not new changes.

use rusqlite::types::{Value as SqlValue, ValueRef};
use serde_json::{Map, Value};

use super::Store;
use crate::error::{Error, Result};

/// Tables in the order they are loaded (each after those it points at).
const TABLES: &[&str] = &[
    "pipelines",
    "stages",
    "accounts",
    "contacts",
    "deals",
    "leads",
    "deal_stage_history",
    "activities",
    "tasks",
    "changes",
    "deliveries",
    "merges",
];

const FORMAT: &str = "kith-dump";

impl Store {
    /// Every row of every table.
    pub fn dump(&self) -> Result<Value> {
        let mut tables = Map::new();
        for t in TABLES {
            let mut stmt = self
                .conn
                .prepare(&format!("SELECT * FROM {t} ORDER BY rowid"))?;
            let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
            let rows = stmt.query_map([], |r| {
                let mut m = Map::new();
                for (i, n) in names.iter().enumerate() {
                    m.insert(n.clone(), to_json(r.get_ref(i)?));
                }
                Ok(Value::Object(m))
            })?;
            tables.insert(
                (*t).to_string(),
                Value::Array(rows.collect::<rusqlite::Result<Vec<_>>>()?),
            );
        }
        let mut doc = Map::new();
        doc.insert("format".into(), Value::from(FORMAT));
        doc.insert("schema_version".into(), Value::from(self.schema_version()?));
        doc.insert("tables".into(), Value::Object(tables));
        Ok(Value::Object(doc))
    }

    /// Load a dump into this database, which must hold no records yet (a new database's
    /// default pipeline is replaced by the dump's). All or nothing.
    pub fn load_dump(&mut self, doc: &Value) -> Result<usize> {
        let bad = |why: &str| Error::invalid(format!("not a kith dump: {why}"));
        if doc.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(bad("\"format\" is not \"kith-dump\""));
        }
        let version = doc
            .get("schema_version")
            .and_then(Value::as_i64)
            .ok_or_else(|| bad("no schema_version"))?;
        if version > self.schema_version()? {
            return Err(Error::invalid(format!(
                "the dump was made by a newer kith (schema version {version}); upgrade kith"
            )));
        }
        let tables = doc
            .get("tables")
            .and_then(Value::as_object)
            .ok_or_else(|| bad("no tables"))?;
        if let Some(unknown) = tables.keys().find(|k| !TABLES.contains(&k.as_str())) {
            return Err(bad(&format!("unknown table '{unknown}'")));
        }
        if !self.reader().is_empty()? {
            return Err(Error::invalid(
                "the database already holds records; load a dump into a new, empty database (--db NEW.db)",
            ));
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Rows may point forwards (a branch made before its parent): check at commit.
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        // What a new database was given (the default pipeline) makes way for the dump's.
        for t in TABLES.iter().rev() {
            tx.execute(&format!("DELETE FROM {t}"), [])?;
        }
        let mut n = 0;
        for t in TABLES {
            let Some(rows) = tables.get(*t) else { continue };
            let rows = rows
                .as_array()
                .ok_or_else(|| bad(&format!("table {t} is not a list")))?;
            for (i, row) in rows.iter().enumerate() {
                let obj = row
                    .as_object()
                    .ok_or_else(|| bad(&format!("{t} row {}: not an object", i + 1)))?;
                let cols: Vec<String> = obj
                    .keys()
                    .map(|k| format!("\"{}\"", k.replace('"', "\"\"")))
                    .collect();
                let sql = format!(
                    "INSERT INTO {t} ({}) VALUES ({})",
                    cols.join(", "),
                    vec!["?"; cols.len()].join(", ")
                );
                let params: Vec<SqlValue> = obj.values().map(super::write::to_sql).collect();
                tx.prepare_cached(&sql)?
                    .execute(rusqlite::params_from_iter(params))
                    .map_err(|e| Error::invalid(format!("{t} row {}: {e}", i + 1)))?;
                n += 1;
            }
        }
        // The index of duplicate keys is made from the records, not loaded.
        super::dupe_index::rebuild(&tx)?;
        let broken: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if broken > 0 {
            return Err(Error::invalid(format!(
                "the dump has {broken} rows pointing at rows it does not have; nothing was loaded"
            )));
        }
        tx.commit()?;
        Ok(n)
    }
}

fn to_json(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::String(String::from_utf8_lossy(b).into_owned()),
    }
}
