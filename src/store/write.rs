//! The one write path. Every change to a record goes through [`Writer`], which stores the
//! change and, in the same transaction, a row of the change log naming who, when, and the
//! values before and after.

use rusqlite::{params, types::Value as SqlValue, Transaction};
use serde_json::{Map, Value};

use super::query::{raw_row, Reader};
use crate::error::{Error, Result};
use crate::model::Entity;

/// Column values to write: (column, value). Lists and objects are stored as JSON text,
/// booleans as 0/1.
pub type Values = Vec<(String, Value)>;

pub struct Writer<'c> {
    tx: Transaction<'c>,
    user: String,
    at: String,
}

impl<'c> Writer<'c> {
    pub(super) fn new(tx: Transaction<'c>, user: &str, at: &str) -> Writer<'c> {
        Writer {
            tx,
            user: user.to_string(),
            at: at.to_string(),
        }
    }

    pub(super) fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }

    /// Queries that see this transaction's own changes.
    pub fn reader(&self) -> Reader<'_> {
        Reader::new(&self.tx)
    }

    /// The user this write is recorded under.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The time (UTC) this write is recorded at.
    pub fn at(&self) -> &str {
        &self.at
    }

    /// Insert a record and log its creation. Returns the new id.
    pub fn insert(&mut self, entity: Entity, values: &Values) -> Result<i64> {
        let mut cols: Vec<String> = values.iter().map(|(c, _)| quote(c)).collect();
        let mut params: Vec<SqlValue> = values.iter().map(|(_, v)| to_sql(v)).collect();
        cols.push("created_at".into());
        cols.push("updated_at".into());
        params.push(SqlValue::Text(self.at.clone()));
        params.push(SqlValue::Text(self.at.clone()));
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            entity.table(),
            cols.join(", "),
            vec!["?"; cols.len()].join(", ")
        );
        self.tx
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(params))
            .map_err(|e| constraint_error(entity, e))?;
        let id = self.tx.last_insert_rowid();
        let after = raw_row(&self.tx, entity, id)?;
        self.log("create", entity, id, None, after.map(Value::Object))?;
        Ok(id)
    }

    /// Change some columns of a record; log only the columns whose value changed.
    /// Returns whether anything changed.
    pub fn update(&mut self, entity: Entity, id: i64, values: &Values) -> Result<bool> {
        let before = raw_row(&self.tx, entity, id)?
            .ok_or_else(|| Error::not_found(format!("no {entity} with id {id}")))?;
        let changed: Vec<&(String, Value)> = values
            .iter()
            .filter(|(c, v)| before.get(c).unwrap_or(&Value::Null) != v)
            .collect();
        if changed.is_empty() {
            return Ok(false);
        }
        let sets: Vec<String> = changed
            .iter()
            .map(|(c, _)| format!("{} = ?", quote(c)))
            .collect();
        let mut params: Vec<SqlValue> = changed.iter().map(|(_, v)| to_sql(v)).collect();
        params.push(SqlValue::Text(self.at.clone()));
        params.push(SqlValue::Integer(id));
        let sql = format!(
            "UPDATE {} SET {}, updated_at = ? WHERE id = ?",
            entity.table(),
            sets.join(", ")
        );
        self.tx
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(params))
            .map_err(|e| constraint_error(entity, e))?;
        let mut old = Map::new();
        let mut new = Map::new();
        for (c, v) in &changed {
            old.insert(c.clone(), before.get(c).cloned().unwrap_or(Value::Null));
            new.insert(c.clone(), v.clone());
        }
        let op = match changed.as_slice() {
            [(c, v)] if c == "deleted_at" && !v.is_null() => "trash",
            [(c, v)] if c == "deleted_at" && v.is_null() => "restore",
            _ => "update",
        };
        self.log(
            op,
            entity,
            id,
            Some(Value::Object(old)),
            Some(Value::Object(new)),
        )?;
        Ok(true)
    }

    /// Move a record to the trash. Returns false if it already was there.
    pub fn trash(&mut self, entity: Entity, id: i64) -> Result<bool> {
        let at = Value::String(self.at.clone());
        self.update(entity, id, &vec![("deleted_at".into(), at)])
    }

    /// Take a record out of the trash. Returns false if it was not there.
    pub fn restore(&mut self, entity: Entity, id: i64) -> Result<bool> {
        self.update(entity, id, &vec![("deleted_at".into(), Value::Null)])
    }

    /// Claim a reminder for delivery by this run. Returns false when it was delivered
    /// already, or another run claimed it after `stale_before` (UTC stamp) and may still be
    /// delivering it. Deliveries are bookkeeping, not records: they are not in the change log.
    pub fn claim_delivery(
        &mut self,
        key: &str,
        kind: &str,
        record: (&str, i64),
        stale_before: &str,
    ) -> Result<bool> {
        let n = self
            .tx
            .prepare_cached(
                "INSERT INTO deliveries (key, kind, record_kind, record_id, state, at)
                 VALUES (?1, ?2, ?3, ?4, 'claimed', ?5)
                 ON CONFLICT (key) DO UPDATE SET at = excluded.at
                 WHERE deliveries.state = 'claimed' AND deliveries.at < ?6",
            )?
            .execute(params![
                key,
                kind,
                record.0,
                record.1,
                self.at,
                stale_before
            ])?;
        Ok(n == 1)
    }

    /// A claimed reminder went out.
    pub fn mark_delivered(&mut self, key: &str) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE deliveries SET state = 'delivered', at = ? WHERE key = ?")?
            .execute(params![self.at, key])?;
        Ok(())
    }

    /// A claimed reminder could not go out: leave it for the next run.
    pub fn drop_claim(&mut self, key: &str) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM deliveries WHERE key = ? AND state = 'claimed'")?
            .execute([key])?;
        Ok(())
    }

    /// Note that a deal entered a stage (the history funnel and velocity reports read).
    pub fn record_stage_change(&mut self, deal: i64, from: Option<i64>, to: i64) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO deal_stage_history (deal_id, from_stage_id, to_stage_id, at, user)
                 VALUES (?, ?, ?, ?, ?)",
            )?
            .execute(params![deal, from, to, self.at, self.user])?;
        Ok(())
    }

    fn log(
        &mut self,
        op: &str,
        entity: Entity,
        id: i64,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO changes (at, user, op, entity, record_id, before, after)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![
                self.at,
                self.user,
                op,
                entity.name(),
                id,
                before.map(|v| v.to_string()),
                after.map(|v| v.to_string()),
            ])?;
        Ok(())
    }
}

fn quote(col: &str) -> String {
    format!("\"{}\"", col.replace('"', "\"\""))
}

pub(super) fn to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(*b as i64),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        Value::Array(_) | Value::Object(_) => SqlValue::Text(v.to_string()),
    }
}

/// A constraint the library should have caught is still reported as bad input, not a crash.
fn constraint_error(entity: Entity, e: rusqlite::Error) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, msg)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Error::invalid(format!(
                "{entity}: the database refused the change ({})",
                msg.as_deref().unwrap_or("constraint failed")
            ))
        }
        _ => e.into(),
    }
}
