//! The whole database as one JSON document (`kith export json --all`), and loading such a
//! document into an empty database (`kith import json`). Every table row is kept as stored,
//! ids, the change log and the trash included, so a dump loaded and dumped again is the
//! same document. Loading is a restore, like `kith restore`: it writes the rows and their
//! change log as they were, not new changes.

use rusqlite::types::{Value as SqlValue, ValueRef};
use serde_json::{Map, Value};

use super::Store;
use crate::core::error::{Error, Result};
use crate::core::money::Money;
use crate::core::values::check_controls;
use crate::model::{Entity, Ty};

/// Tables in the order they are loaded (each after those it points at).
pub(super) const TABLES: &[&str] = &[
    "teams",
    "roles",
    "users",
    "pipelines",
    "stages",
    "products",
    "pricelists",
    "prices",
    "accounts",
    "contacts",
    "deals",
    "leads",
    "deal_stage_history",
    "calendars",
    "calendar_days",
    "slas",
    "cases",
    "surveys",
    "activities",
    "tasks",
    "quotes",
    "orders",
    "lines",
    "contracts",
    "plans",
    "payments",
    "allocations",
    "invoices",
    "rates",
    "shares",
    "changes",
    "deliveries",
    "merges",
    "pool_moves",
    "account_locks",
];

const FORMAT: &str = "kith-dump";

/// The table of custom fields' definitions, dumped when it exists.
const CUSTOM_FIELDS: &str = "custom_fields";

impl Store {
    /// Every row of every table (that this store's reads see: see [`seen_rows`]).
    pub fn dump(&self) -> Result<Value> {
        let mut tables = Map::new();
        // The custom fields' definitions, first, when the database has any (their table
        // is made by the first one: see super::custom).
        let custom = super::custom::has_table(&self.conn)?.then_some(CUSTOM_FIELDS);
        for t in custom.iter().chain(TABLES) {
            let seen = seen_rows(&self.vis, t)
                .map(|c| format!(" WHERE {c}"))
                .unwrap_or_default();
            let mut stmt = self
                .conn
                .prepare(&format!("SELECT * FROM {t}{seen} ORDER BY rowid"))?;
            let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
            // Amounts are written in units, as numbers (stored in minor units).
            let entity = Entity::from_name(t).filter(|e| e.table() == *t);
            let money: Vec<Option<super::write::Minor>> = names
                .iter()
                .map(|n| entity.and_then(|e| super::write::minor_of(e, n)))
                .collect();
            let rows = stmt.query_map([], |r| {
                let mut m = Map::new();
                for (i, n) in names.iter().enumerate() {
                    // The names' sort keys are made again from the names when loaded.
                    if n == super::name_keys::COLUMN {
                        continue;
                    }
                    let v = match r.get_ref(i)? {
                        ValueRef::Integer(minor) if money[i].is_some() => {
                            money[i].map_or(Value::Null, |m| m.to_json(minor))
                        }
                        v => to_json(v),
                    };
                    m.insert(n.clone(), v);
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
        let bad = |why: &str| crate::err!(Invalid, "dump.not_a_dump", why = why);
        if doc.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(bad("\"format\" is not \"kith-dump\""));
        }
        let version = doc
            .get("schema_version")
            .and_then(Value::as_i64)
            .ok_or_else(|| bad("no schema_version"))?;
        if version > self.schema_version()? {
            return Err(crate::err!(
                Invalid,
                "dump.dump_made_newer",
                version = version
            ));
        }
        let tables = doc
            .get("tables")
            .and_then(Value::as_object)
            .ok_or_else(|| bad(crate::tr!("dump.no_tables")))?;
        if let Some(unknown) = tables
            .keys()
            .find(|k| !TABLES.contains(&k.as_str()) && *k != CUSTOM_FIELDS)
        {
            return Err(bad(&crate::tr!("dump.unknown_table", unknown = unknown)));
        }
        if !self.reader().is_empty()? {
            return Err(crate::err!(Invalid, "dump.database_already_holds"));
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
        // What `kith remind` knew it had done was of the data made way for.
        tx.execute("DELETE FROM remind_sweeps", [])?;
        // Custom fields: their table and columns first, their definitions replaced.
        let custom = tables.contains_key(CUSTOM_FIELDS).then_some(CUSTOM_FIELDS);
        if custom.is_some() {
            super::custom::ensure_schema(&tx)?;
            tx.execute(&format!("DELETE FROM {CUSTOM_FIELDS}"), [])?;
        }
        let mut n = 0;
        for t in custom.iter().chain(TABLES) {
            let Some(rows) = tables.get(*t) else { continue };
            let rows = rows
                .as_array()
                .ok_or_else(|| bad(&crate::tr!("dump.table_list", t = t)))?;
            let columns = columns_of(&tx, t)?;
            let entity = crate::model::Entity::from_name(t).filter(|e| e.table() == *t);
            for (i, row) in rows.iter().enumerate() {
                // Rows are named by their place in the dump's list and, when they have
                // one, their id: "tasks row 3 (id 7)".
                let at = match row.get("id").and_then(Value::as_i64) {
                    Some(id) => crate::tr!("dump.row_at_id", t = t, i = i + 1, id = id),
                    None => crate::tr!("dump.row_at", t = t, i = i + 1),
                };
                let obj = row
                    .as_object()
                    .ok_or_else(|| crate::err!(Invalid, "dump.not_an_object", at = at))?;
                check_text(t, i + 1, obj)?;
                check_row(&columns, entity, obj).map_err(|e| e.context(&at))?;
                let cols: Vec<String> = obj
                    .keys()
                    .map(|k| format!("\"{}\"", k.replace('"', "\"\"")))
                    .collect();
                let sql = format!(
                    "INSERT INTO {t} ({}) VALUES ({})",
                    cols.join(", "),
                    vec!["?"; cols.len()].join(", ")
                );
                let params: Vec<SqlValue> = obj
                    .iter()
                    .map(|(c, v)| match entity {
                        Some(e) => super::write::column_sql(e, c, v),
                        None => super::write::to_sql(v),
                    })
                    .collect();
                tx.prepare_cached(&sql)?
                    .execute(rusqlite::params_from_iter(params))
                    .map_err(|e| refused(&at, e))?;
                n += 1;
            }
        }
        // The index of duplicate keys and the names' sort keys are made from the
        // records, not loaded.
        super::dupe_index::rebuild(&tx)?;
        super::name_keys::fill(&tx, true)?;
        // A dump made before version 11 has no users: its owners become users, as the
        // migration makes them.
        tx.execute_batch(super::users::USERS_FROM_NAMES)?;
        // Every row pointing at a row the dump lacks, named with the field that points.
        let broken = broken_references(&tx)?;
        if !broken.is_empty() {
            return Err(
                crate::err!(Invalid, plural "dump.broken_rows", broken.len(), rows = broken
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")),
            );
        }
        // And kith's own rules, the ones `kith check` holds: what is loaded passes it.
        let findings = super::health::check_conn(&tx)?;
        if !findings.is_empty() {
            return Err(crate::err!(
                Invalid,
                "dump.dump_breaks_rules",
                findings = findings
                    .iter()
                    .take(5)
                    .map(|f| format!("{}: {}", f.check, f.problem))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        let defs = super::custom::load(&tx)?;
        for d in defs.defs() {
            super::custom::ensure_index(&tx, d)?;
        }
        tx.commit()?;
        self.custom = std::sync::Arc::new(defs);
        Ok(n)
    }
}

/// The condition a row of `table` meets to be in a dump read under `vis`: a record the
/// reader sees, or a row about one (its changes, stage moves, merges, deliveries). None
/// when every row is.
fn seen_rows(vis: &super::Visibility, table: &str) -> Option<String> {
    if vis.is_all() {
        return None;
    }
    // `kind` and `id` name a record: it is one of a kind this reader sees all of, or one
    // this reader sees.
    let about = |kind: &str, id: &str| {
        let mut any = Vec::new();
        let mut limited = Vec::new();
        for e in Entity::ALL {
            match vis.condition(e, "v") {
                None => any.push(format!("'{}'", e.name())),
                Some(c) => limited.push(format!(
                    "({kind} = '{}' AND {id} IN (SELECT v.id FROM {} v WHERE {c}))",
                    e.name(),
                    e.table()
                )),
            }
        }
        limited.insert(0, format!("{kind} IN ({})", any.join(", ")));
        format!("({})", limited.join(" OR "))
    };
    match table {
        "changes" => Some(about("entity", "record_id")),
        "merges" => Some(about("entity", "kept_id")),
        "deliveries" => Some(about("record_kind", "record_id")),
        "pool_moves" | "account_locks" => vis
            .condition(Entity::Account, "v")
            .map(|c| format!("account_id IN (SELECT v.id FROM accounts v WHERE {c})")),
        "deal_stage_history" => vis
            .condition(Entity::Deal, "v")
            .map(|c| format!("deal_id IN (SELECT v.id FROM deals v WHERE {c})")),
        t => Entity::ALL
            .into_iter()
            .find(|e| e.table() == t)
            .and_then(|e| vis.condition(e, t)),
    }
}

/// A dump is held to the rule every other way in keeps (`values::check_controls`): what a
/// user sets holds no control characters, line breaks only in multi-line fields.
fn check_text(table: &str, row: usize, obj: &Map<String, Value>) -> Result<()> {
    let Some(entity) = Entity::ALL.into_iter().find(|e| e.table() == table) else {
        return Ok(());
    };
    for (key, v) in obj {
        let (Some(s), Some(f)) = (v.as_str(), entity.field(key)) else {
            continue;
        };
        if f.system {
            continue;
        }
        let at = |e: Error| {
            e.context(crate::tr!(
                "dump.row_key",
                table = table,
                row = row,
                key = key
            ))
        };
        match f.ty {
            // Stored as a JSON list of text.
            Ty::List { .. } | Ty::Tags => {
                for item in serde_json::from_str::<Vec<Value>>(s).unwrap_or_default() {
                    if let Some(t) = item.as_str() {
                        check_controls(t, false).map_err(at)?;
                    }
                }
            }
            ty => check_controls(s, ty == Ty::LongText).map_err(at)?,
        }
    }
    Ok(())
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

/// A column of a table, as SQLite declares it.
struct Column {
    name: String,
    /// INTEGER, TEXT or REAL.
    ty: String,
    /// NOT NULL without a default: a row must give it.
    required: bool,
}

fn columns_of(conn: &rusqlite::Connection, table: &str) -> Result<Vec<Column>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let cols = stmt
        .query_map([], |r| {
            let notnull: bool = r.get(3)?;
            let default: Option<String> = r.get(4)?;
            let pk: i64 = r.get(5)?;
            let ty: String = r.get(2)?;
            Ok(Column {
                name: r.get(1)?,
                // An INTEGER PRIMARY KEY (a row's id) must be given: other rows point at it.
                required: (notnull && default.is_none()) || (pk > 0 && ty == "INTEGER"),
                ty,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(cols)
}

/// Check one row of a dump as the write path checks a record: every column known, of its
/// type, the required ones given, and each field's value one kith could have written (an
/// enum's word, a number in range, a date, a list of texts).
fn check_row(
    columns: &[Column],
    entity: Option<crate::model::Entity>,
    row: &Map<String, Value>,
) -> Result<()> {
    if row.is_empty() {
        return Err(crate::err!(Invalid, "dump.row_columns"));
    }
    for (name, value) in row {
        let col = columns.iter().find(|c| c.name == *name).ok_or_else(|| {
            crate::err!(
                Invalid,
                "dump.unknown_column_table",
                name = name,
                columns = columns
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        let field = entity.and_then(|e| e.field(name).filter(|f| f.has_column(name)));
        check_value(col, field, value).map_err(|e| e.context(name))?;
    }
    if let Some(c) = columns
        .iter()
        .find(|c| c.required && row.get(&c.name).is_none_or(Value::is_null))
    {
        return Err(crate::err!(
            Invalid,
            "dump.missing_must_value",
            column = c.name
        ));
    }
    Ok(())
}

fn check_value(col: &Column, field: Option<&crate::model::Field>, v: &Value) -> Result<()> {
    use crate::model::Ty;
    let kind = match v {
        Value::Null => return Ok(()),
        Value::Bool(_) => crate::tr!("dump.json_bool"),
        Value::Number(n) if n.is_i64() => crate::tr!("dump.json_whole_number"),
        Value::Number(_) => crate::tr!("dump.json_number"),
        Value::String(_) => crate::tr!("dump.json_text"),
        Value::Array(_) => crate::tr!("dump.json_list"),
        Value::Object(_) => crate::tr!("dump.json_object"),
    };
    let ok = match col.ty.as_str() {
        // An amount is a number of units in a dump, whatever its column holds.
        _ if field.is_some_and(|f| f.ty.is_whole_minor()) => v.is_number(),
        "INTEGER" => v.is_i64(),
        "REAL" => v.is_number(),
        _ => v.is_string(),
    };
    if !ok {
        let want = match col.ty.as_str() {
            "INTEGER" => crate::tr!("dump.json_whole_number"),
            "REAL" => crate::tr!("dump.json_number"),
            _ => crate::tr!("dump.json_text"),
        };
        return Err(crate::err!(
            Invalid,
            "dump.where_belongs",
            kind = kind,
            want = want
        ));
    }
    let Some(f) = field else { return Ok(()) };
    let text = v.as_str().unwrap_or_default();
    let date = |fmt: &str, t: &str| chrono::NaiveDateTime::parse_from_str(t, fmt).is_ok();
    let day = |t: &str| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok() && t.len() == 10;
    match f.ty {
        Ty::Text if text.contains(['\n', '\r']) => Err(crate::err!(Invalid, "dump.must_one_line")),
        Ty::Int { min, max } => match v.as_i64() {
            Some(n) if n < min || n > max => Err(crate::err!(
                Invalid,
                "dump.out_range",
                n = n,
                min = min,
                max = max
            )),
            _ => Ok(()),
        },
        Ty::Money | Ty::Quantity if v.as_f64().is_some_and(|n| n < 0.0) => {
            Err(crate::err!(Invalid, "dump.negative", v = v))
        }
        Ty::Money | Ty::Quantity if Money::from_json(v).is_none_or(|m| m > Money::MAX) => {
            Err(crate::err!(Invalid, "dump.too_large_amount", v = v))
        }
        Ty::Percent if !Money::from_json(v).is_some_and(crate::core::money::is_rate) => {
            Err(crate::err!(Invalid, "dump.percent_range", v = v))
        }
        Ty::ExchangeRate
            if crate::core::exchange::Rate::from_json(v)
                .is_none_or(|r| r > crate::core::exchange::Rate::MAX) =>
        {
            Err(crate::err!(Invalid, "dump.exchange_rate_range", v = v))
        }
        Ty::Bool if !matches!(v.as_i64(), Some(0 | 1)) => {
            Err(crate::err!(Invalid, "dump.not_0_or_1", v = v))
        }
        Ty::Enum(choices) if !choices.contains(&text) => Err(crate::err!(
            Invalid,
            "dump.not_one_of",
            text = text,
            choices = choices.join(", ")
        )),
        Ty::Date if !day(text) => Err(crate::err!(Invalid, "dump.date_yyyy_mm", text = text)),
        Ty::When if !day(text) && !date("%Y-%m-%dT%H:%M:%S", text) => {
            Err(crate::err!(Invalid, "dump.date_date_time", text = text))
        }
        Ty::Stamp if !date("%Y-%m-%dT%H:%M:%SZ", text) => {
            Err(crate::err!(Invalid, "dump.time_records_yyyy", text = text))
        }
        Ty::Email => crate::core::values::check_email(text).map(drop),
        Ty::Phone => crate::core::values::check_phone(text).map(drop),
        Ty::Currency => crate::core::values::check_currency(text).map(drop),
        Ty::List { .. } | Ty::Tags => match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(items)) if items.iter().all(Value::is_string) => Ok(()),
            _ => Err(crate::err!(Invalid, "dump.list_texts_json", text = text)),
        },
        _ => Ok(()),
    }
}

/// A refused INSERT: bad input, named where it is (SQLite's own words for the constraint).
fn refused(at: &str, e: rusqlite::Error) -> Error {
    let why = match &e {
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
        other => other.to_string(),
    };
    crate::err!(Invalid, "dump.database_refused_row", at = at, why = why)
}

/// "contacts row with id 3: account_id points at a missing accounts row", one per broken
/// reference.
fn broken_references(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT c.\"table\", c.rowid, c.parent, k.\"from\"
           FROM pragma_foreign_key_check c
           LEFT JOIN pragma_foreign_key_list(c.\"table\") k ON k.id = c.fkid
          ORDER BY c.\"table\", c.rowid",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "{} row with id {}: {} points at a missing {} row",
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?.unwrap_or(0),
            r.get::<_, Option<String>>(3)?.unwrap_or_default(),
            r.get::<_, String>(2)?
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
