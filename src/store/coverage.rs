//! Tests that the store covers every kind and every table: the kinds' descriptions and the
//! SQLite schema agree column by column; every table is in the dump (or is derived and made
//! again when a dump is loaded); every kind users keep is written by the bulk loader; and
//! `kith check` notices a missing index of any table.

use std::collections::BTreeSet;

use rusqlite::Connection;

use super::Store;
use crate::model::Entity;

/// Tables the dump leaves out because they are made from the others when it is loaded, or
/// (`remind_sweeps`, what `kith remind` knew it had done) are emptied then.
const DERIVED: &[&str] = &[
    "dupe_keys",
    "account_last_activity",
    "deal_last_activity",
    "remind_sweeps",
];

fn tables(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
              ORDER BY name",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn columns(conn: &Connection, table: &str) -> BTreeSet<String> {
    let mut stmt = conn
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn every_kind_and_its_table_agree_column_by_column() {
    let s = Store::open_in_memory().unwrap();
    for e in Entity::ALL {
        let mut want: BTreeSet<String> = ["id", "created_at", "updated_at", "deleted_at"]
            .map(String::from)
            .into();
        if e.kind().name_key {
            want.insert(super::name_keys::COLUMN.to_string());
        }
        // A state read from other fields has no column of its own.
        for f in e
            .fields()
            .iter()
            .filter(|f| !e.kind().derived.iter().any(|d| d.field == f.name))
        {
            assert!(
                want.insert(f.column()),
                "{e}: two fields store in column {}",
                f.column()
            );
        }
        assert_eq!(
            columns(&s.conn, e.table()),
            want,
            "{e}: table {}",
            e.table()
        );
    }
}

#[test]
fn every_table_is_dumped_or_made_again_when_a_dump_is_loaded() {
    let s = Store::open_in_memory().unwrap();
    for t in tables(&s.conn) {
        assert!(
            super::dump::TABLES.contains(&t.as_str()) || DERIVED.contains(&t.as_str()),
            "table {t} is neither in the dump nor derived"
        );
    }
    for t in super::dump::TABLES {
        assert!(
            tables(&s.conn).iter().any(|x| x == t),
            "the dump names {t}, which is no table"
        );
    }
    for e in Entity::ALL {
        assert!(
            super::dump::TABLES.contains(&e.table()),
            "{e}: its table is not in the dump"
        );
    }
}

#[test]
fn every_kind_users_keep_is_written_by_the_bulk_loader() {
    for e in Entity::ALL.into_iter().filter(|e| e.kind().record) {
        assert!(
            super::bulk::TABLES.contains(&e.table()),
            "{e}: the bulk loader does not write {}",
            e.table()
        );
    }
}

#[test]
fn check_notices_a_missing_index_of_any_table() {
    let s = Store::open_in_memory().unwrap();
    let mut stmt = s
        .conn
        .prepare(
            "SELECT tbl_name, min(name) FROM sqlite_master
              WHERE type = 'index' AND sql IS NOT NULL GROUP BY tbl_name ORDER BY tbl_name",
        )
        .unwrap();
    let indexes: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    drop(stmt);
    assert!(indexes.len() >= 8, "{indexes:?}");
    for (table, index) in indexes {
        let sql: String = s
            .conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = ?1",
                [&index],
                |r| r.get(0),
            )
            .unwrap();
        s.conn
            .execute_batch(&format!("DROP INDEX \"{index}\""))
            .unwrap();
        let found = s.check().unwrap();
        assert!(
            found
                .iter()
                .any(|f| f.check == "indexes" && f.problem.contains(&index)),
            "{table}: dropping {index} went unnoticed: {found:?}"
        );
        s.conn.execute_batch(&sql).unwrap();
    }
}
