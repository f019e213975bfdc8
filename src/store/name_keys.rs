//! The keys names sort by (`name_key`, see [`crate::model::name_order`]), kept beside the
//! label of each kind that has one ([`crate::model::kind::Kind::name_key`]) and indexed
//! with the id, so a list in name order pages from the index. The write path sets a
//! record's key with its name; what loads rows around it (the bulk loader, a dump, a file
//! written by another program) is filled here, and `kith check` finds keys gone stale.

use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use crate::model::name_order::sort_key;
use crate::model::Entity;

/// The column.
pub const COLUMN: &str = "name_key";

/// The kinds that keep one.
pub fn kinds() -> impl Iterator<Item = Entity> {
    Entity::ALL.into_iter().filter(|e| e.kind().name_key)
}

/// The key to store beside a record of `entity` written with these values: when the kind
/// keeps one and the values hold its name (none for a name that is not text).
pub fn key_in<'a>(
    entity: Entity,
    values: impl IntoIterator<Item = &'a (String, Value)>,
) -> Option<rusqlite::types::Value> {
    if !entity.kind().name_key {
        return None;
    }
    let (_, name) = values
        .into_iter()
        .find(|(c, _)| c == entity.label_field())?;
    Some(match name {
        Value::String(s) => rusqlite::types::Value::Text(sort_key(s)),
        _ => rusqlite::types::Value::Null,
    })
}

/// Each record of a kind whose key is not the one its name makes, with the right key;
/// every record when `all`, else only those with none.
fn wrong(conn: &Connection, entity: Entity, all: bool) -> rusqlite::Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT id, \"{label}\", {COLUMN} FROM {table}{only}",
        label = entity.label_field(),
        table = entity.table(),
        only = if all {
            String::new()
        } else {
            format!(" WHERE {COLUMN} IS NULL")
        },
    ))?;
    let mut out = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let name: Option<String> = r.get(1)?;
        let want = sort_key(name.as_deref().unwrap_or(""));
        if r.get_ref(2)?.as_str_or_null()? != Some(want.as_str()) {
            out.push((r.get(0)?, want));
        }
    }
    Ok(out)
}

/// Give every record of these kinds the key its name makes: all of them (`all`: after a
/// migration, on repair), or those with none (after a bulk load). How many were set.
pub fn fill(conn: &Connection, all: bool) -> rusqlite::Result<usize> {
    let mut n = 0;
    for entity in kinds() {
        let wrong = wrong(conn, entity, all)?;
        let mut set = conn.prepare(&format!(
            "UPDATE {} SET {COLUMN} = ?1 WHERE id = ?2",
            entity.table()
        ))?;
        for (id, key) in &wrong {
            set.execute(rusqlite::params![key, id])?;
        }
        n += wrong.len();
    }
    Ok(n)
}

/// For `kith check`: per kind, how many records sort under a key their name does not
/// make, and the first of them.
pub fn stale(conn: &Connection) -> rusqlite::Result<Vec<(Entity, usize, i64)>> {
    let mut out = Vec::new();
    for entity in kinds() {
        // A file from before the column (a check run on it before it is upgraded).
        let has: Option<i64> = conn
            .query_row(
                &format!(
                    "SELECT 1 FROM pragma_table_info('{}') WHERE name = '{COLUMN}'",
                    entity.table()
                ),
                [],
                |r| r.get(0),
            )
            .optional()?;
        if has.is_none() {
            continue;
        }
        let wrong = wrong(conn, entity, true)?;
        if let Some((first, _)) = wrong.first() {
            out.push((entity, wrong.len(), *first));
        }
    }
    Ok(out)
}
