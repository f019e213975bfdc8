//! Custom fields in the database: their definitions (table `custom_fields`, made on first
//! use), the `custom` column of every record kind's table holding their values, and the
//! index on each field's key there (see crate::model::custom).

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::Store;
use crate::core::error::Result;
use crate::model::custom::{Custom, Def};
use crate::model::Entity;

/// The table of definitions, made by the first definition.
const SCHEMA: &str = include_str!("migrations/custom_fields.sql");

/// The definitions stored in `conn` (none when the table was never made: one failed
/// prepare, no read of any table).
pub(super) fn load(conn: &Connection) -> rusqlite::Result<Custom> {
    let Ok(mut stmt) = conn.prepare(
        "SELECT kind, name, type, choices, required, label, position, hidden, created_at
         FROM custom_fields ORDER BY kind, position, name",
    ) else {
        return Ok(Custom::default());
    };
    let rows = stmt.query_map([], |r| {
        let kind: String = r.get(0)?;
        let choices: Option<String> = r.get(3)?;
        Ok((
            kind,
            Def {
                kind: Entity::Account,
                name: r.get(1)?,
                ty: r.get(2)?,
                choices: choices
                    .and_then(|c| serde_json::from_str(&c).ok())
                    .unwrap_or_default(),
                required: r.get(4)?,
                label: r.get(5)?,
                position: r.get(6)?,
                hidden: r.get(7)?,
                created_at: r.get(8)?,
            },
        ))
    })?;
    let mut defs = Vec::new();
    for row in rows {
        let (kind, mut def) = row?;
        // A kind this kith does not know (a newer kith's) is left alone.
        if let Some(e) = Entity::from_name(&kind) {
            def.kind = e;
            defs.push(def);
        }
    }
    Ok(Custom::new(defs))
}

/// Make the table of definitions and the `custom` columns, where missing.
pub(super) fn ensure_schema(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)?;
    for e in Entity::RECORDS {
        if !has_column(conn, e.table(), "custom")? {
            conn.execute_batch(&format!("ALTER TABLE {} ADD COLUMN custom TEXT", e.table()))?;
        }
    }
    Ok(())
}

/// Whether the table of definitions was made.
pub(super) fn has_table(conn: &Connection) -> rusqlite::Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'custom_fields'",
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Whether `table` has the column `column`.
pub(super) fn has_column(conn: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2",
            params![table, column],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The name of the index on a custom field's values.
pub(super) fn index_name(kind: Entity, name: &str) -> String {
    format!("{}_custom_{name}", kind.table())
}

/// Make the index on a custom field's values, if missing or made otherwise (by an older
/// kith). Words compare ignoring case (`segment:Gold`), so a text field's index is in that
/// order; numbers, dates and ids in their own. After the value come the terms of the kind's
/// own order that an index can give, so a list filtered by the field (`segment:gold`) reads
/// its first page in order from the index instead of sorting every record that matches.
pub(super) fn ensure_index(conn: &Connection, def: &Def) -> rusqlite::Result<()> {
    let (kind, field) = (def.kind, &def.name);
    let nocase = matches!(
        def.ty.as_str(),
        "text" | "long" | "choice" | "email" | "phone"
    );
    let name = index_name(kind, field);
    let sql = format!(
        "CREATE INDEX {name} ON {}(json_extract(custom, '$.{field}'){}{})",
        kind.table(),
        if nocase { " COLLATE NOCASE" } else { "" },
        order_terms(kind.kind().default_order)
            .iter()
            .map(|t| format!(", {t}"))
            .collect::<String>()
    );
    let made: Option<String> = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1",
            [&name],
            |r| r.get(0),
        )
        .optional()?;
    match made {
        Some(made) if made == sql => {}
        Some(_) => conn.execute_batch(&format!("DROP INDEX {name}; {sql}"))?,
        None => conn.execute_batch(&sql)?,
    }
    Ok(())
}

/// Make again every custom field's index that an older kith made otherwise (on upgrade).
pub(super) fn ensure_indexes(conn: &Connection) -> rusqlite::Result<()> {
    for def in load(conn)?.defs() {
        ensure_index(conn, def)?;
    }
    Ok(())
}

/// The terms of an order (`t.done ASC, t.due ASC NULLS LAST, t.id ASC`) an index can hold
/// and give in that order, as an index names them: nulls last as `due IS NULL, due` (as a
/// list filtered by one value orders them), up to a term that asks for nulls otherwise,
/// without the id (every index ends with it); none when the terms do not all run the same
/// way (an index is read one way or the other).
fn order_terms(order: &str) -> Vec<String> {
    let terms: Vec<&str> = order.split(", ").map(str::trim).collect();
    let desc = |t: &str| t.contains(" DESC");
    if terms.iter().any(|t| desc(t)) && !terms.iter().all(|t| desc(t)) {
        return Vec::new();
    }
    terms
        .iter()
        // Nulls last, as the list's order writes it for a filter of one value.
        .flat_map(|t| match t.strip_suffix(" ASC NULLS LAST") {
            Some(expr) => vec![format!("{expr} IS NULL"), expr.to_string()],
            None => vec![t.to_string()],
        })
        .take_while(|t| !t.contains(" NULLS "))
        .map(|t| {
            let t = t
                .strip_suffix(" DESC")
                .or(t.strip_suffix(" ASC"))
                .unwrap_or(&t);
            // Columns as the table names them: `t.status` is `status`.
            let mut out = String::new();
            let mut rest = t;
            while let Some(at) = rest.find("t.") {
                let word_start = rest[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
                out.push_str(&rest[..at]);
                if !word_start {
                    out.push_str("t.");
                }
                rest = &rest[at + 2..];
            }
            out.push_str(rest);
            out
        })
        .filter(|t| t != "id")
        .collect()
}

impl Store {
    /// The custom fields of this database.
    pub fn custom(&self) -> &Custom {
        &self.custom
    }

    /// Read the definitions again (after they changed).
    fn reload_custom(&mut self) -> Result<()> {
        self.custom = std::sync::Arc::new(load(&self.conn)?);
        Ok(())
    }

    /// Store a new custom field (checked by the caller), or bring a hidden one back as it
    /// was; make its index. `at` is the time (UTC stamp).
    pub fn define_field(&mut self, def: &Def, at: &str) -> Result<()> {
        self.writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        ensure_schema(&tx)?;
        let hidden: Option<bool> = tx
            .query_row(
                "SELECT hidden FROM custom_fields WHERE kind = ?1 AND name = ?2",
                params![def.kind.name(), def.name],
                |r| r.get(0),
            )
            .optional()?;
        if hidden.is_some() {
            tx.execute(
                "UPDATE custom_fields SET hidden = 0, updated_at = ?3 WHERE kind = ?1 AND name = ?2",
                params![def.kind.name(), def.name, at],
            )?;
        } else {
            let position: i64 = tx.query_row(
                "SELECT coalesce(max(position), 0) + 1 FROM custom_fields WHERE kind = ?1",
                [def.kind.name()],
                |r| r.get(0),
            )?;
            let choices = (!def.choices.is_empty())
                .then(|| serde_json::Value::from(def.choices.clone()).to_string());
            tx.execute(
                "INSERT INTO custom_fields
                   (kind, name, type, choices, required, label, position, hidden, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?8)",
                params![
                    def.kind.name(),
                    def.name,
                    def.ty,
                    choices,
                    def.required,
                    def.label,
                    position,
                    at
                ],
            )?;
        }
        ensure_index(&tx, def)?;
        tx.commit()?;
        self.reload_custom()
    }

    /// Hide a custom field: its values and index stay, `define_field` brings it back.
    pub fn hide_field(&mut self, kind: Entity, name: &str, at: &str) -> Result<()> {
        self.writable()?;
        self.conn.execute(
            "UPDATE custom_fields SET hidden = 1, updated_at = ?3 WHERE kind = ?1 AND name = ?2",
            params![kind.name(), name, at],
        )?;
        self.reload_custom()
    }

    /// How many live records of `kind` hold a value for the custom field `name`.
    pub fn custom_values(&self, kind: Entity, name: &str) -> Result<i64> {
        if !has_column(&self.conn, kind.table(), "custom")? {
            return Ok(0);
        }
        Ok(self.conn.query_row(
            &format!(
                "SELECT count(*) FROM {} WHERE json_extract(custom, '$.{name}') IS NOT NULL",
                kind.table()
            ),
            [],
            |r| r.get(0),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::QueryCtx;

    fn segment() -> Def {
        Def {
            kind: Entity::Account,
            name: "segment".into(),
            ty: "choice".into(),
            choices: vec!["gold".into(), "silver".into()],
            required: false,
            label: None,
            position: 0,
            hidden: false,
            created_at: String::new(),
        }
    }

    #[test]
    fn a_custom_fields_index_holds_the_kinds_order_where_an_index_can() {
        assert_eq!(
            order_terms(Entity::Deal.kind().default_order),
            [
                "CASE status WHEN 'open' THEN 0 WHEN 'won' THEN 1 ELSE 2 END",
                "expected_close IS NULL",
                "expected_close"
            ]
        );
        assert_eq!(order_terms("t.name_key ASC, t.id ASC"), ["name_key"]);
        assert_eq!(order_terms("t.at DESC, t.id DESC"), ["at"]);
        assert_eq!(
            order_terms("t.done ASC, t.due ASC NULLS LAST, t.id ASC"),
            ["done", "due IS NULL", "due"]
        );
        assert!(order_terms("t.a ASC, t.b DESC NULLS LAST").is_empty());
        assert_eq!(order_terms("t.a DESC, t.b DESC NULLS FIRST"), ["a"]);
        assert!(order_terms("t.a ASC, t.b DESC").is_empty());
        assert_eq!(order_terms("t.dt.x ASC"), ["dt.x"]);
    }

    /// The plan of a first page of accounts in their own order, filtered.
    fn plan_ordered(s: &Store, filter: &str) -> String {
        plan_of(
            s,
            filter,
            &format!(
                " ORDER BY {} LIMIT 50",
                Entity::Account.kind().default_order
            ),
        )
    }

    fn plan(s: &Store, filter: &str) -> String {
        plan_of(s, filter, "")
    }

    fn plan_of(s: &Store, filter: &str, order: &str) -> String {
        let f = crate::model::query::parse_line(filter).unwrap();
        let (wh, params) = super::super::query::where_clause(
            s.custom(),
            Entity::Account,
            &f,
            false,
            &QueryCtx::none(),
        )
        .unwrap();
        let sql = format!("EXPLAIN QUERY PLAN SELECT t.id FROM accounts t WHERE {wh}{order}");
        let mut stmt = s.conn.prepare(&sql).unwrap();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params), |r| {
                r.get::<_, String>(3)
            })
            .unwrap();
        rows.map(|r| r.unwrap()).collect::<Vec<_>>().join("; ")
    }

    #[test]
    fn a_new_database_has_no_custom_schema_and_the_first_field_makes_it() {
        let mut s = Store::open_in_memory().unwrap();
        assert!(s.custom().is_empty());
        assert!(!has_column(&s.conn, "accounts", "custom").unwrap());
        s.define_field(&segment(), "2026-11-22T10:00:00Z").unwrap();
        for e in Entity::RECORDS {
            assert!(has_column(&s.conn, e.table(), "custom").unwrap(), "{e}");
        }
        assert!(!has_column(&s.conn, "stages", "custom").unwrap());
        assert_eq!(s.custom().of(Entity::Account).len(), 1);
        // Hidden, then back: the index stays all along.
        s.hide_field(Entity::Account, "segment", "2026-11-22T10:00:00Z")
            .unwrap();
        assert!(s.custom().of(Entity::Account).is_empty());
        assert!(s.custom().def(Entity::Account, "segment").unwrap().hidden);
        let index: i64 = s
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'accounts_custom_segment'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(index, 1);
    }

    #[test]
    fn a_filter_on_a_custom_field_uses_its_index() {
        let mut s = Store::open_in_memory().unwrap();
        s.define_field(&segment(), "2026-11-22T10:00:00Z").unwrap();
        let p = plan(&s, "segment:gold");
        assert!(p.contains("USING INDEX accounts_custom_segment"), "{p}");
        let mut seats = segment();
        seats.name = "seats".into();
        seats.ty = "int".into();
        seats.choices = vec![];
        s.define_field(&seats, "2026-11-22T10:00:00Z").unwrap();
        let p = plan(&s, "seats>10");
        assert!(p.contains("USING INDEX accounts_custom_seats"), "{p}");
        // A page of the list in the kind's order comes from the index, unsorted.
        let p = plan_ordered(&s, "segment:gold");
        assert!(p.contains("USING INDEX accounts_custom_segment"), "{p}");
        assert!(!p.contains("TEMP B-TREE"), "{p}");
    }

    #[test]
    fn an_upgrade_makes_again_a_custom_index_made_by_an_older_kith() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        {
            let mut s = Store::open(&path).unwrap();
            s.define_field(&segment(), "2026-11-22T10:00:00Z").unwrap();
            // As version 13 made it: the value alone.
            s.conn
                .execute_batch(
                    "DROP TABLE pool_moves;
                     DROP TABLE account_locks;
                     DROP INDEX accounts_live_by_owner;
                     DROP INDEX deals_live_by_account_created;
                     DROP INDEX accounts_custom_segment;
                     CREATE INDEX accounts_custom_segment
                         ON accounts(json_extract(custom, '$.segment') COLLATE NOCASE);
                     DROP INDEX deals_live_by_close;
                     DROP INDEX deals_live_by_stage_closed;
                     DROP TABLE shares;
                     DROP TABLE roles;
                     DROP INDEX users_by_team;
                     DROP INDEX users_by_os_login;
                     ALTER TABLE users DROP COLUMN team_id;
                     ALTER TABLE users DROP COLUMN roles;
                     ALTER TABLE users DROP COLUMN os_login;
                     DROP TABLE teams;
                     DROP TABLE surveys;
                     DROP INDEX activities_by_case;
                     ALTER TABLE activities DROP COLUMN case_id;
                     ALTER TABLE activities DROP COLUMN via;
                     DROP INDEX tasks_by_case;
                     ALTER TABLE tasks DROP COLUMN case_id;
                     DROP TABLE cases;
                     DROP TABLE slas;
                     DROP TABLE calendar_days;
                     DROP TABLE calendars;
                     DROP TABLE remind_sweeps;
                     DROP TABLE invoices;
                     DROP TABLE allocations;
                     DROP TABLE payments;
                     DROP TABLE plans;
                     DROP TABLE contracts;
                     DROP TABLE rates;
                     DROP TABLE lines;
                     DROP TABLE orders;
                     DROP TABLE quotes;
                     DROP TABLE prices;
                     DROP INDEX accounts_by_pricelist;
                     ALTER TABLE accounts DROP COLUMN pricelist_id;
                     DROP TABLE pricelists;
                     DROP TABLE products;
                     PRAGMA user_version = 13;",
                )
                .unwrap();
            assert!(plan_ordered(&s, "segment:gold").contains("TEMP B-TREE"));
        }
        let s = Store::open(&path).unwrap();
        let p = plan_ordered(&s, "segment:gold");
        assert!(!p.contains("TEMP B-TREE"), "{p}");
    }

    #[test]
    fn definitions_are_read_again_when_the_database_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        {
            let mut s = Store::open(&path).unwrap();
            s.define_field(&segment(), "2026-11-22T10:00:00Z").unwrap();
        }
        let s = Store::open(&path).unwrap();
        let d = s.custom().def(Entity::Account, "segment").unwrap();
        assert_eq!(d.choices, vec!["gold", "silver"]);
        assert_eq!(d.position, 1);
        // Another database in the same process has none.
        assert!(Store::open_in_memory().unwrap().custom().is_empty());
    }
}
