//! The one write path. Every change to a record goes through [`Writer`], which stores the
//! change and, in the same transaction, a row of the change log naming who, when, and the
//! values before and after. Asked to ([`Writer::collect_events`]), it also gathers what
//! it changed into a [`Batch`], which the front door hands to its subscribers once the
//! transaction has committed (see `crate::app::events`).

use crate::core::money::Money;
use rusqlite::{params, types::Value as SqlValue, Transaction};
use serde_json::{Map, Value};

use super::dupe_index;
use super::name_keys;
use super::query::{raw_row, raw_rows_json, Reader};
use super::users::KnownUsers;
use crate::core::error::{Error, Result};
use crate::model::custom::Custom;
use crate::model::Entity;

/// Column values to write: (column, value). Lists and objects are stored as JSON text,
/// booleans as 0/1.
pub type Values = Vec<(String, Value)>;

/// What happened to a record, as one event says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// Made (`after` holds the whole new row).
    Create,
    /// Some fields changed (`before` and `after` hold those fields only).
    Update,
    /// Moved to the trash (`deleted_at` before and after).
    Trash,
    /// Taken out of the trash.
    Restore,
    /// Merged into another record of its kind: `after` holds `kept_id`. The record's own
    /// trash comes as a [`Op::Trash`] change before it, and the records moved onto the kept
    /// one as [`Op::Update`]s.
    Merge,
    /// Loaded as it was stored, by a restore of a whole-database dump (only in
    /// [`Batch::bulk`]).
    Load,
}

impl Op {
    /// The word the change log uses (`create`, `update`, `trash`, `restore`), and `merge`,
    /// `load`.
    pub fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Update => "update",
            Op::Trash => "trash",
            Op::Restore => "restore",
            Op::Merge => "merge",
            Op::Load => "load",
        }
    }

    fn from_log(op: &str) -> Op {
        match op {
            "create" => Op::Create,
            "trash" => Op::Trash,
            "restore" => Op::Restore,
            _ => Op::Update,
        }
    }
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One record's change in a [`Batch`]: the same as its row in the change log.
#[derive(Debug, Clone, PartialEq)]
pub struct Changed {
    pub kind: Entity,
    pub id: i64,
    pub op: Op,
    /// The changed columns' values before (None for a creation).
    pub before: Option<Map<String, Value>>,
    /// The changed columns' values after; a creation's whole row.
    pub after: Option<Map<String, Value>>,
}

impl Changed {
    /// A field's value after the change (Null when the change does not hold it).
    pub fn after(&self, col: &str) -> &Value {
        self.after
            .as_ref()
            .and_then(|m| m.get(col))
            .unwrap_or(&Value::Null)
    }

    /// A field's value before the change (Null when the change does not hold it).
    pub fn before(&self, col: &str) -> &Value {
        self.before
            .as_ref()
            .and_then(|m| m.get(col))
            .unwrap_or(&Value::Null)
    }
}

/// Records made or loaded in bulk, announced by kind and id without their values (an import
/// of a million rows is one of these per kind, not a million [`Changed`]s).
#[derive(Debug, Clone, PartialEq)]
pub struct Bulk {
    pub kind: Entity,
    pub op: Op,
    /// In the order they were made.
    pub ids: Vec<i64>,
}

/// A deal entering a stage (the stage history's row).
#[derive(Debug, Clone, PartialEq)]
pub struct StageMove {
    pub deal: i64,
    /// None when the deal was just made.
    pub from: Option<i64>,
    pub to: i64,
    /// When it entered (UTC stamp): the write's time, or a deal's close for one made closed.
    pub at: String,
}

/// What happened to a reminder's delivery (bookkeeping, not a record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Claimed(String),
    Delivered(String),
    Dropped(String),
}

/// The lengths of a [`Batch`]'s lists at a savepoint.
struct Mark {
    changes: usize,
    bulk: Vec<usize>,
    stage_moves: usize,
    deliveries: usize,
}

/// Everything one committed write transaction changed, in the order it changed it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Batch {
    /// The batch's number in the change log (what `kith undo` names); None when it changed
    /// no record (a delivery's bookkeeping, a stage history alone).
    pub number: Option<i64>,
    pub user: String,
    /// UTC stamp of the write.
    pub at: String,
    /// The batch this one undoes (`kith undo`, `kith import undo`).
    pub undo_of: Option<i64>,
    pub changes: Vec<Changed>,
    pub bulk: Vec<Bulk>,
    pub stage_moves: Vec<StageMove>,
    pub deliveries: Vec<Delivery>,
}

impl Batch {
    /// Nothing changed: no subscriber hears of it.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
            && self.bulk.is_empty()
            && self.stage_moves.is_empty()
            && self.deliveries.is_empty()
    }

    /// How far each list had grown, to cut back to when a savepoint is taken back.
    fn mark(&self) -> Mark {
        Mark {
            changes: self.changes.len(),
            bulk: self.bulk.iter().map(|b| b.ids.len()).collect(),
            stage_moves: self.stage_moves.len(),
            deliveries: self.deliveries.len(),
        }
    }

    fn truncate(&mut self, mark: Mark) {
        self.changes.truncate(mark.changes);
        self.bulk.truncate(mark.bulk.len());
        for (b, n) in self.bulk.iter_mut().zip(mark.bulk) {
            b.ids.truncate(n);
        }
        self.stage_moves.truncate(mark.stage_moves);
        self.deliveries.truncate(mark.deliveries);
    }

    fn add_bulk(&mut self, kind: Entity, op: Op, ids: impl IntoIterator<Item = i64>) {
        match self.bulk.iter_mut().find(|b| b.kind == kind && b.op == op) {
            Some(b) => b.ids.extend(ids),
            None => self.bulk.push(Bulk {
                kind,
                op,
                ids: ids.into_iter().collect(),
            }),
        }
    }

    /// A summary batch of records loaded as stored (a restored dump).
    pub fn loaded(user: &str, at: &str, loaded: Vec<(Entity, Vec<i64>)>) -> Batch {
        let mut b = Batch {
            user: user.to_string(),
            at: at.to_string(),
            ..Batch::default()
        };
        for (kind, ids) in loaded {
            if !ids.is_empty() {
                b.add_bulk(kind, Op::Load, ids);
            }
        }
        b
    }
}

pub struct Writer<'c> {
    tx: Transaction<'c>,
    user: String,
    at: String,
    /// This transaction's number in the change log, taken at its first change.
    batch: Option<i64>,
    /// The batch this transaction undoes.
    undo_of: Option<i64>,
    /// Records made by [`Writer::insert_logged_later`] whose creation is not logged yet,
    /// in the order they were made.
    unlogged: Vec<(Entity, i64)>,
    /// What this transaction changed, when asked to gather it.
    events: Option<Batch>,
    /// The owners and acting user resolved to users in this transaction.
    users: KnownUsers,
    /// The database's custom fields, whose values it keeps in the `custom` column.
    custom: &'c Custom,
    /// What it checks before each change, if anything (see [`Guard`]).
    guard: Option<std::sync::Arc<dyn Guard>>,
}

/// A change a write is about to make, as a [`Guard`] sees it.
#[derive(Debug)]
pub enum Act<'a> {
    /// A new record of `entity` with these checked values.
    Create { entity: Entity, values: &'a Values },
    /// A change of record `id`: its row before, and the columns that change (a trash or a
    /// restore changes `deleted_at` alone).
    Update {
        entity: Entity,
        id: i64,
        before: &'a Map<String, Value>,
        changed: &'a [&'a (String, Value)],
    },
}

/// What every write checks before each change it makes: the acting user's rights
/// (src/domain/team/rights.rs). A refusal rolls the whole write back.
pub trait Guard: Send + Sync {
    fn check(&self, r: &Reader<'_>, act: Act<'_>) -> Result<()>;
}

impl<'c> Writer<'c> {
    pub(super) fn new(
        tx: Transaction<'c>,
        user: &str,
        at: &str,
        custom: &'c Custom,
        guard: Option<std::sync::Arc<dyn Guard>>,
    ) -> Writer<'c> {
        Writer {
            custom,
            guard,
            tx,
            user: user.to_string(),
            at: at.to_string(),
            batch: None,
            undo_of: None,
            unlogged: Vec::new(),
            events: None,
            users: KnownUsers::default(),
        }
    }

    /// Gather what this transaction changes into a [`Batch`], for [`Writer::commit`] to
    /// hand back.
    pub(super) fn collect_events(&mut self) {
        self.events = Some(Batch {
            user: self.user.clone(),
            at: self.at.clone(),
            ..Batch::default()
        });
    }

    /// Commit; what changed, if it was gathered.
    pub(super) fn commit(mut self) -> Result<Option<Batch>> {
        self.log_unlogged()?;
        let mut events = self.events.take();
        if let Some(e) = &mut events {
            e.number = self.batch;
            e.undo_of = self.undo_of;
        }
        self.tx.commit()?;
        Ok(events)
    }

    /// Add to the gathered batch, when one is gathered.
    fn note(&mut self, f: impl FnOnce(&mut Batch)) {
        if let Some(e) = &mut self.events {
            f(e);
        }
    }

    pub(super) fn rollback(self) -> Result<()> {
        Ok(self.tx.rollback()?)
    }

    /// Queries that see this transaction's own changes.
    pub fn reader(&self) -> Reader<'_> {
        Reader::new(&self.tx, self.custom)
    }

    /// A custom value as the `custom` object stores it: amounts in minor units, as a money
    /// column holds them (see crate::core::money); anything else as given.
    fn custom_stored(&self, entity: Entity, name: &str, v: &Value) -> Value {
        match (
            self.custom.def(entity, name).map(|d| d.ty.as_str()),
            Money::from_json(v),
        ) {
            (Some("money"), Some(m)) => Value::from(m.minor()),
            _ => v.clone(),
        }
    }

    /// The values of custom fields among `values` taken out: the other values, and those
    /// by field name (empty when there are none).
    fn take_custom(&self, entity: Entity, values: &Values) -> (Values, Map<String, Value>) {
        let mut patch = Map::new();
        if self.custom.of(entity).is_empty() {
            return (values.clone(), patch);
        }
        let mut rest = Values::new();
        for (c, v) in values {
            match self.custom.of(entity).iter().find(|f| f.has_column(c)) {
                Some(f) => {
                    patch.insert(f.name.to_string(), v.clone());
                }
                None => rest.push((c.clone(), v.clone())),
            }
        }
        (rest, patch)
    }

    /// The user this write is recorded under.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The time (UTC) this write is recorded at.
    pub fn at(&self) -> &str {
        &self.at
    }

    /// This transaction's batch number (what `kith import undo` and `kith undo` name).
    pub fn batch(&mut self) -> Result<i64> {
        if let Some(b) = self.batch {
            return Ok(b);
        }
        // Whoever changes something is a user (their first change makes them one).
        self.users.ensure_exact(&self.tx, &self.user, &self.at)?;
        // Inside BEGIN IMMEDIATE no other writer runs, so the next number is ours alone.
        let b: i64 =
            self.tx
                .query_row("SELECT coalesce(max(batch), 0) + 1 FROM changes", [], |r| {
                    r.get(0)
                })?;
        self.batch = Some(b);
        Ok(b)
    }

    /// Mark this transaction as undoing `batch`.
    pub fn set_undo_of(&mut self, batch: i64) {
        self.undo_of = Some(batch);
    }

    /// Remember that `merged` was merged into `kept`.
    pub fn record_merge(&mut self, entity: Entity, kept: i64, merged: i64) -> Result<()> {
        let batch = self.batch()?;
        self.tx
            .prepare_cached(
                "INSERT INTO merges (entity, kept_id, merged_id, batch, at, user) VALUES (?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![entity.name(), kept, merged, batch, self.at, self.user])?;
        self.note(|e| {
            let mut after = Map::new();
            after.insert("kept_id".into(), Value::from(kept));
            e.changes.push(Changed {
                kind: entity,
                id: merged,
                op: Op::Merge,
                before: None,
                after: Some(after),
            })
        });
        Ok(())
    }

    /// Roll back to a savepoint on error, so one bad row of an import leaves nothing behind.
    pub fn savepoint<T>(&mut self, f: impl FnOnce(&mut Writer<'c>) -> Result<T>) -> Result<T> {
        // Creations made before are logged before: a log written inside the savepoint would
        // go if it were taken back.
        self.log_unlogged()?;
        let mark = self.events.as_ref().map(Batch::mark);
        self.tx.execute_batch("SAVEPOINT kith_row")?;
        match f(self) {
            Ok(v) => {
                self.tx.execute_batch("RELEASE kith_row")?;
                Ok(v)
            }
            Err(e) => {
                self.tx
                    .execute_batch("ROLLBACK TO kith_row; RELEASE kith_row")?;
                // What the savepoint took back has no creation to log, and no event.
                self.unlogged.clear();
                if let (Some(events), Some(mark)) = (&mut self.events, mark) {
                    events.truncate(mark);
                }
                Err(e)
            }
        }
    }

    /// Insert a record and log its creation. Returns the new id.
    pub fn insert(&mut self, entity: Entity, values: &Values) -> Result<i64> {
        let id = self.insert_row(entity, values)?;
        let after = raw_row(&self.tx, self.custom, entity, id)?;
        self.log("create", entity, id, None, after.map(Value::Object))?;
        Ok(id)
    }

    /// Insert a record whose creation is logged a little later, with the others made this
    /// way, by one pass over them (an import's hundreds of thousands of rows): before
    /// anything else is logged, and before the transaction commits. The log is the same
    /// as [`Writer::insert`] writes. Returns the new id.
    pub fn insert_logged_later(&mut self, entity: Entity, values: &Values) -> Result<i64> {
        let id = self.insert_row(entity, values)?;
        self.unlogged.push((entity, id));
        Ok(id)
    }

    /// Log the creations [`Writer::insert_logged_later`] left: each kind's records read
    /// back in one statement, in the order they were made.
    fn log_unlogged(&mut self) -> Result<()> {
        let unlogged = std::mem::take(&mut self.unlogged);
        for run in unlogged.chunk_by(|a, b| a.0 == b.0) {
            let entity = run[0].0;
            let mut ids: Vec<i64> = run.iter().map(|(_, id)| *id).collect();
            ids.sort_unstable();
            let (first, last) = (ids[0], ids[ids.len() - 1]);
            let batch = self.batch()?;
            let entry = self.entry(batch);
            raw_rows_json(&self.tx, self.custom, entity, first, last, |id, row| {
                if ids.binary_search(&id).is_err() {
                    return Ok(());
                }
                entry.write(&self.tx, "create", entity, id, None, Some(row))
            })?;
            self.note(|e| e.add_bulk(entity, Op::Create, run.iter().map(|(_, id)| *id)));
        }
        Ok(())
    }

    /// The INSERT of [`Writer::insert`], without its log.
    fn insert_row(&mut self, entity: Entity, values: &Values) -> Result<i64> {
        if let Some(g) = &self.guard {
            g.check(&self.reader(), Act::Create { entity, values })?;
        }
        let owned = self.owner_as_login(entity, values)?;
        let values = owned.as_ref().unwrap_or(values);
        let (mut values, mut patch) = self.take_custom(entity, values);
        patch.retain(|_, v| !v.is_null());
        for (k, v) in patch.iter_mut() {
            *v = self.custom_stored(entity, k, v);
        }
        if !patch.is_empty() {
            values.push(("custom".into(), Value::Object(patch)));
        }
        let values = &values;
        let mut cols: Vec<String> = values.iter().map(|(c, _)| quote(c)).collect();
        let mut params: Vec<SqlValue> = values
            .iter()
            .map(|(c, v)| column_sql(entity, c, v))
            .collect();
        cols.push("created_at".into());
        cols.push("updated_at".into());
        params.push(SqlValue::Text(self.at.clone()));
        params.push(SqlValue::Text(self.at.clone()));
        if let Some(key) = name_keys::key_in(entity, values) {
            cols.push(name_keys::COLUMN.into());
            params.push(key);
        }
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
        if entity.kind().dupes.is_some() {
            let get = |c: &str| values.iter().find(|(n, _)| n == c).map(|(_, v)| v);
            dupe_index::add(&self.tx, entity, id, &dupe_index::entries(entity, get))?;
        }
        Ok(id)
    }

    /// Change some columns of a record; log only the columns whose value changed.
    /// Returns whether anything changed.
    pub fn update(&mut self, entity: Entity, id: i64, values: &Values) -> Result<bool> {
        let before = raw_row(&self.tx, self.custom, entity, id)?.ok_or_else(|| {
            crate::err!(NotFound, "write.no_id", entity = entity.label(), id = id)
        })?;
        let owned = self.owner_as_login(entity, values)?;
        let values = owned.as_ref().unwrap_or(values);
        // Custom fields' values are keys of the one `custom` object, each compared and
        // logged as `custom.<name>` (as the undo gives them back).
        let (mut values, patch) = self.take_custom(entity, values);
        for (k, v) in patch {
            values.push((format!("custom.{k}"), v));
        }
        // Amounts compare as amounts (5 is 5.0) and are logged as stored.
        let values: Values = values
            .iter()
            .map(|(c, v)| (c.clone(), column_json(entity, c, v)))
            .collect();
        let changed: Vec<&(String, Value)> = values
            .iter()
            .filter(|(c, v)| before.get(c).unwrap_or(&Value::Null) != v)
            .collect();
        if changed.is_empty() {
            return Ok(false);
        }
        if let Some(g) = &self.guard {
            let act = Act::Update {
                entity,
                id,
                before: &before,
                changed: &changed,
            };
            g.check(&self.reader(), act)?;
        }
        let is_custom = |c: &str| c.starts_with("custom.");
        let mut sets: Vec<String> = changed
            .iter()
            .filter(|(c, _)| !is_custom(c))
            .map(|(c, _)| format!("{} = ?", quote(c)))
            .collect();
        let mut params: Vec<SqlValue> = changed
            .iter()
            .filter(|(c, _)| !is_custom(c))
            .map(|(c, v)| column_sql(entity, c, v))
            .collect();
        if changed.iter().any(|(c, _)| is_custom(c)) {
            let mut object: Map<String, Value> = before
                .iter()
                .filter_map(|(c, v)| Some((c.strip_prefix("custom.")?.to_string(), v.clone())))
                .collect();
            let keys: Vec<String> = object.keys().cloned().collect();
            for k in keys {
                let v = self.custom_stored(entity, &k, &object[&k]);
                object.insert(k, v);
            }
            for (c, v) in changed.iter().filter(|(c, _)| is_custom(c)) {
                let k = &c["custom.".len()..];
                if v.is_null() {
                    object.remove(k);
                } else {
                    object.insert(k.to_string(), self.custom_stored(entity, k, v));
                }
            }
            sets.push("custom = ?".into());
            params.push(if object.is_empty() {
                SqlValue::Null
            } else {
                SqlValue::Text(Value::Object(object).to_string())
            });
        }
        if let Some(key) = name_keys::key_in(entity, changed.iter().copied()) {
            sets.push(format!("{} = ?", name_keys::COLUMN));
            params.push(key);
        }
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
        if changed
            .iter()
            .any(|(c, _)| dupe_index::keyed_column(entity, c))
        {
            let was = dupe_index::entries(entity, |c| before.get(c));
            let now = dupe_index::entries(entity, |c| {
                changed
                    .iter()
                    .find(|(n, _)| n == c)
                    .map(|(_, v)| v)
                    .or_else(|| before.get(c))
            });
            let gone: Vec<String> = was.iter().filter(|k| !now.contains(k)).cloned().collect();
            let new: Vec<String> = now.iter().filter(|k| !was.contains(k)).cloned().collect();
            dupe_index::remove(&self.tx, entity, id, &gone)?;
            dupe_index::add(&self.tx, entity, id, &new)?;
        }
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

    /// `values` with the owner they name as a user's login (see [`KnownUsers::resolve`]),
    /// when that is another text; None when they stand as they are.
    fn owner_as_login(&mut self, entity: Entity, values: &Values) -> Result<Option<Values>> {
        let Some(field) = entity.owner_field() else {
            return Ok(None);
        };
        let Some(i) = values.iter().position(|(c, _)| c == field) else {
            return Ok(None);
        };
        let Value::String(text) = &values[i].1 else {
            return Ok(None);
        };
        if text.is_empty() {
            return Ok(None);
        }
        // The acting user first: owning their own record names them as they act.
        self.users.ensure_exact(&self.tx, &self.user, &self.at)?;
        let login = self.users.resolve(&self.tx, text, &self.at)?;
        if login == *text {
            return Ok(None);
        }
        let mut out = values.clone();
        out[i].1 = Value::String(login);
        Ok(Some(out))
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

    /// The transaction, for the store's other writes of bookkeeping.
    pub(super) fn conn(&self) -> &rusqlite::Connection {
        &self.tx
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
        if n == 1 {
            self.note(|e| e.deliveries.push(Delivery::Claimed(key.to_string())));
        }
        Ok(n == 1)
    }

    /// A claimed reminder went out.
    pub fn mark_delivered(&mut self, key: &str) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE deliveries SET state = 'delivered', at = ? WHERE key = ?")?
            .execute(params![self.at, key])?;
        self.note(|e| e.deliveries.push(Delivery::Delivered(key.to_string())));
        Ok(())
    }

    /// A claimed reminder could not go out: leave it for the next run.
    pub fn drop_claim(&mut self, key: &str) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM deliveries WHERE key = ? AND state = 'claimed'")?
            .execute([key])?;
        self.note(|e| e.deliveries.push(Delivery::Dropped(key.to_string())));
        Ok(())
    }

    /// Note that a deal entered a stage (the history funnel and velocity reports read).
    pub fn record_stage_change(&mut self, deal: i64, from: Option<i64>, to: i64) -> Result<()> {
        let at = self.at.clone();
        self.record_stage_change_at(deal, from, to, &at)
    }

    /// The same, at a given time (a deal entered already closed entered its stage when it
    /// closed).
    pub fn record_stage_change_at(
        &mut self,
        deal: i64,
        from: Option<i64>,
        to: i64,
        at: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO deal_stage_history (deal_id, from_stage_id, to_stage_id, at, user)
                 VALUES (?, ?, ?, ?, ?)",
            )?
            .execute(params![deal, from, to, at, self.user])?;
        self.note(|e| {
            e.stage_moves.push(StageMove {
                deal,
                from,
                to,
                at: at.to_string(),
            })
        });
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
        // Creations waiting for their log come first, as they came first.
        if !self.unlogged.is_empty() {
            self.log_unlogged()?;
        }
        let batch = self.batch()?;
        let (before_text, after_text) = (
            before.as_ref().map(|v| v.to_string()),
            after.as_ref().map(|v| v.to_string()),
        );
        self.note(|e| {
            let map = |v: Option<Value>| match v {
                Some(Value::Object(m)) => Some(m),
                _ => None,
            };
            e.changes.push(Changed {
                kind: entity,
                id,
                op: Op::from_log(op),
                before: map(before),
                after: map(after),
            })
        });
        let (before, after) = (before_text, after_text);
        self.entry(batch).write(
            &self.tx,
            op,
            entity,
            id,
            before.as_deref(),
            after.as_deref(),
        )
    }

    /// What this write's change-log rows share.
    fn entry(&self, batch: i64) -> Entry<'_> {
        Entry {
            at: &self.at,
            user: &self.user,
            batch,
            undo_of: self.undo_of,
        }
    }
}

/// Who, when and which batch: what every row of the change log of one write shares.
struct Entry<'a> {
    at: &'a str,
    user: &'a str,
    batch: i64,
    undo_of: Option<i64>,
}

impl Entry<'_> {
    /// One row of the change log.
    fn write(
        &self,
        conn: &rusqlite::Connection,
        op: &str,
        entity: Entity,
        id: i64,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO changes (at, user, op, entity, record_id, before, after, batch, undo_of)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )?
        .execute(params![
            self.at,
            self.user,
            op,
            entity.name(),
            id,
            before,
            after,
            self.batch,
            self.undo_of,
        ])?;
        Ok(())
    }
}

fn quote(col: &str) -> String {
    format!("\"{}\"", col.replace('"', "\"\""))
}

/// How a column holds a number as a whole number of minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Minor {
    /// Amounts, rates in percent and quantities: ten-thousandths (crate::core::money).
    Money,
    /// Exchange rates: hundred-millionths (crate::core::exchange).
    Rate,
}

impl Minor {
    /// The stored minor units of a number as records and JSON carry it.
    pub(super) fn to_minor(self, v: &Value) -> Option<i64> {
        match self {
            Minor::Money => Money::from_json(v).map(Money::minor),
            Minor::Rate => crate::core::exchange::Rate::from_json(v).map(|r| r.minor()),
        }
    }

    /// The number records and JSON carry, from its stored minor units.
    pub(super) fn to_json(self, minor: i64) -> Value {
        match self {
            Minor::Money => Money::from_minor(minor).to_json(),
            Minor::Rate => crate::core::exchange::Rate::from_minor(minor)
                .map_or_else(|| Value::from(minor), |r| r.to_json()),
        }
    }
}

/// Whether a column of `entity` holds whole minor units (an amount, a rate), and which.
pub(super) fn minor_of(entity: Entity, col: &str) -> Option<Minor> {
    let f = entity
        .fields()
        .iter()
        .find(|f| f.ty.is_whole_minor() && f.name == col)?;
    Some(if f.ty == crate::model::Ty::ExchangeRate {
        Minor::Rate
    } else {
        Minor::Money
    })
}

/// A value for a column of `entity`: amounts and rates as their minor units (see
/// crate::core::money, crate::core::exchange), anything else as [`to_sql`].
pub(super) fn column_sql(entity: Entity, col: &str, v: &Value) -> SqlValue {
    if let Some(minor) = minor_of(entity, col).and_then(|m| m.to_minor(v)) {
        return SqlValue::Integer(minor);
    }
    to_sql(v)
}

/// A value as the column of `entity` gives it back: amounts as [`Money::to_json`], rates
/// as [`crate::core::exchange::Rate::to_json`].
fn column_json(entity: Entity, col: &str, v: &Value) -> Value {
    match minor_of(entity, col) {
        Some(m) => m
            .to_minor(v)
            .map_or_else(|| v.clone(), |minor| m.to_json(minor)),
        None => v.clone(),
    }
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
            crate::err!(
                Invalid,
                "write.database_refused_change",
                entity = entity.label(),
                reason = msg.as_deref().unwrap_or("constraint failed")
            )
        }
        _ => e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use serde_json::json;

    fn account(name: &str) -> Values {
        vec![("name".into(), json!(name))]
    }

    /// (op, record id, after) of the change log, in order.
    fn log(s: &Store) -> Vec<(String, i64, Value)> {
        let mut stmt = s
            .conn
            .prepare(
                "SELECT op, record_id, after FROM changes WHERE entity = 'account' ORDER BY id",
            )
            .unwrap();
        stmt.query_map([], |r| {
            let after: String = r.get(2)?;
            Ok((r.get(0)?, r.get(1)?, serde_json::from_str(&after).unwrap()))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    #[test]
    fn creations_logged_later_are_logged_as_insert_logs_them_in_order() {
        let mut now = Store::open_in_memory().unwrap();
        now.write("u", "2026-11-22T10:00:00Z", |w| {
            for n in ["A", "B", "C"] {
                w.insert(Entity::Account, &account(n))?;
            }
            Ok(())
        })
        .unwrap();
        let mut later = Store::open_in_memory().unwrap();
        later
            .write("u", "2026-11-22T10:00:00Z", |w| {
                w.insert_logged_later(Entity::Account, &account("A"))?;
                // Taken back by its savepoint: made, then gone, never logged.
                let gone = w.savepoint(|w| {
                    w.insert_logged_later(Entity::Account, &account("gone"))?;
                    Err::<(), _>(Error::invalid("no"))
                });
                assert!(gone.is_err());
                w.insert_logged_later(Entity::Account, &account("B"))?;
                // A change logged now comes after the creations waiting for their log.
                w.insert(Entity::Account, &account("C"))?;
                Ok(())
            })
            .unwrap();
        let (a, b) = (log(&now), log(&later));
        assert_eq!(a.len(), 3);
        assert_eq!(
            b.iter()
                .map(|(_, _, after)| after["name"].clone())
                .collect::<Vec<_>>(),
            vec![json!("A"), json!("B"), json!("C")],
            "the taken-back record has no log"
        );
        for ((op_a, _, after_a), (op_b, _, after_b)) in a.iter().zip(&b) {
            assert_eq!(op_a, op_b);
            let strip = |v: &Value| {
                let mut v = v.clone();
                v.as_object_mut().unwrap().remove("id");
                v
            };
            assert_eq!(strip(after_a), strip(after_b));
        }
        // A creation waiting for its log survives a savepoint taken back after logging.
        let mut s = Store::open_in_memory().unwrap();
        s.write("u", "2026-11-22T10:00:00Z", |w| {
            w.insert_logged_later(Entity::Account, &account("A"))?;
            let gone = w.savepoint(|w| {
                w.insert(Entity::Account, &account("logged, then taken back"))?;
                Err::<(), _>(Error::invalid("no"))
            });
            assert!(gone.is_err());
            Ok(())
        })
        .unwrap();
        assert_eq!(log(&s).len(), 1);
        assert_eq!(log(&s)[0].2["name"], "A");
        // Left for the commit: logged there.
        let mut s = Store::open_in_memory().unwrap();
        s.write("u", "2026-11-22T10:00:00Z", |w| {
            w.insert_logged_later(Entity::Account, &account("A"))
        })
        .unwrap();
        assert_eq!(log(&s).len(), 1);
        assert_eq!(log(&s)[0].2["name"], "A");
    }

    #[test]
    fn a_batch_holds_what_committed_and_nothing_a_savepoint_took_back() {
        let mut s = Store::open_in_memory().unwrap();
        let ((), b) = s
            .write_with_events("u", "2026-11-22T10:00:00Z", |w| {
                w.insert_logged_later(Entity::Account, &account("A"))?;
                let gone = w.savepoint(|w| {
                    w.insert(Entity::Account, &account("gone"))?;
                    w.insert_logged_later(Entity::Account, &account("gone too"))?;
                    w.update(Entity::Account, 1, &account("A2"))?;
                    w.claim_delivery("k", "task", ("task", 1), "2026-11-22T09:00:00Z")?;
                    Err::<(), _>(Error::invalid("no"))
                });
                assert!(gone.is_err());
                w.insert_logged_later(Entity::Account, &account("B"))?;
                w.update(Entity::Account, 1, &account("A3"))?;
                Ok(())
            })
            .unwrap();
        assert_eq!(b.number, Some(1));
        assert_eq!(
            (b.user.as_str(), b.at.as_str()),
            ("u", "2026-11-22T10:00:00Z")
        );
        // A, then B (ids as the database gave them: the taken-back rows' ids are free again).
        assert_eq!(
            b.bulk,
            vec![Bulk {
                kind: Entity::Account,
                op: Op::Create,
                ids: vec![1, 2]
            }]
        );
        assert_eq!(b.changes.len(), 1);
        assert_eq!(b.changes[0].op, Op::Update);
        assert_eq!(b.changes[0].before("name"), "A");
        assert_eq!(b.changes[0].after("name"), "A3");
        assert!(b.deliveries.is_empty());
        // A failed write hands back its error, no batch.
        let failed = s.write_with_events("u", "2026-11-22T10:00:00Z", |w| {
            w.insert(Entity::Account, &account("C"))?;
            Err::<(), _>(Error::invalid("no"))
        });
        assert!(failed.is_err());
    }
}
