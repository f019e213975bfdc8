//! The index of duplicate keys (`dupe_keys`, schema version 9): for every account, contact
//! and lead, trashed or not, one row per key it offers for matching
//! ([`crate::model::dupe_keys::Keys::index`]: its emails in lower case, its phones' last 7 digits,
//! an account's domain, its name key). Finding the records like a new one is then a few
//! lookups in this table's primary key instead of a scan of every record: an import of a
//! million contacts checks each row against those already there, and against the rows of
//! the same file written before it in the same transaction, in constant time.
//!
//! The keys are made in Rust (the name key drops company suffixes in many languages), so
//! SQLite cannot keep them by triggers: the write path keeps them — [`super::Writer`]'s
//! insert and update, the bulk loader and the dump loader rebuild them whole, the migration
//! to version 9 fills them, `kith check` compares them with the records and
//! `kith check --repair` makes them again.

use rusqlite::{params, Connection};
use serde_json::Value;

use crate::model::dupe_keys::{keys, lead_within};
use crate::model::{DupeKeys, Entity, Within};

/// The kinds of record that have keys: those whose description names duplicate keys.
pub(super) fn keyed() -> impl Iterator<Item = (Entity, DupeKeys)> {
    Entity::ALL
        .into_iter()
        .filter_map(|e| e.kind().dupes.map(|d| (e, d)))
}

/// The columns a kind's keys are made from, the label's first.
fn key_columns(entity: Entity, dupes: &DupeKeys) -> Vec<String> {
    dupes
        .fields(entity.label_field())
        .into_iter()
        .map(|f| {
            entity
                .field(f)
                .expect("a duplicate key is a field of its kind")
                .column()
        })
        .collect()
}

/// Whether a change of this column of `entity` can change its keys.
pub(super) fn keyed_column(entity: Entity, col: &str) -> bool {
    entity
        .kind()
        .dupes
        .is_some_and(|d| key_columns(entity, &d).iter().any(|c| c == col))
}

/// The index entries of a record of `entity` whose columns `get` gives (as the write path
/// holds them: text, a number, a list as a JSON array or as its JSON text).
pub(super) fn entries<'v>(entity: Entity, get: impl Fn(&str) -> Option<&'v Value>) -> Vec<String> {
    let Some(dupes) = entity.kind().dupes else {
        return vec![];
    };
    let column = |f: &str| entity.field(f).map(|f| f.column()).unwrap_or_default();
    let text = |c: &str| get(c).and_then(Value::as_str).map(str::to_string);
    let list = |c: &str| -> Vec<String> {
        match get(c) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(Value::String(s)) => match serde_json::from_str::<Vec<Option<String>>>(s) {
                Ok(l) => l.into_iter().flatten().collect(),
                Err(_) => vec![s.clone()],
            },
            _ => vec![],
        }
    };
    let name = text(entity.label_field()).unwrap_or_default();
    let within = match dupes.within {
        Within::All => None,
        Within::Same(f) => get(&column(f)).and_then(|v| match v {
            Value::Number(n) => n.as_i64().map(|i| i.to_string()),
            Value::String(s) => Some(s.clone()),
            _ => None,
        }),
        Within::Company(f) => lead_within(text(&column(f)).as_deref()),
    };
    keys(
        entity,
        &name,
        &list(&column(dupes.emails)),
        &list(&column(dupes.phones)),
        dupes.website.and_then(|w| text(&column(w))).as_deref(),
        within.as_deref(),
    )
    .index()
}

/// Add a record's entries.
pub(super) fn add(
    conn: &Connection,
    entity: Entity,
    id: i64,
    entries: &[String],
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO dupe_keys (entity, key, record_id) VALUES (?1, ?2, ?3)",
    )?;
    for key in entries {
        stmt.execute(params![entity.name(), key, id])?;
    }
    Ok(())
}

/// Remove a record's entries.
pub(super) fn remove(
    conn: &Connection,
    entity: Entity,
    id: i64,
    entries: &[String],
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "DELETE FROM dupe_keys WHERE entity = ?1 AND key = ?2 AND record_id = ?3",
    )?;
    for key in entries {
        stmt.execute(params![entity.name(), key, id])?;
    }
    Ok(())
}

/// What the index should hold, made from the records: (entity, key, record id), sorted as
/// the table's primary key is.
fn expected(conn: &Connection) -> rusqlite::Result<Vec<(&'static str, String, i64)>> {
    let mut out = Vec::new();
    for (entity, dupes) in keyed() {
        let cols = key_columns(entity, &dupes);
        let mut stmt = conn.prepare(&format!(
            "SELECT id, {} FROM {}",
            cols.join(", "),
            entity.table()
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let mut values: Vec<(&str, Value)> = Vec::with_capacity(cols.len());
            for (i, c) in cols.iter().enumerate() {
                let v = match row.get_ref(i + 1)? {
                    rusqlite::types::ValueRef::Integer(n) => Value::from(n),
                    rusqlite::types::ValueRef::Text(t) => {
                        Value::String(String::from_utf8_lossy(t).into_owned())
                    }
                    _ => Value::Null,
                };
                values.push((c, v));
            }
            let get = |c: &str| values.iter().find(|(n, _)| *n == c).map(|(_, v)| v);
            for key in entries(entity, get) {
                out.push((entity.name(), key, id));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Make the whole index again from the records (a migration, a bulk load, a dump loaded,
/// `kith check --repair`): one sorted pass of inserts.
pub(super) fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    let want = expected(conn)?;
    conn.execute("DELETE FROM dupe_keys", [])?;
    let mut stmt = conn
        .prepare("INSERT OR IGNORE INTO dupe_keys (entity, key, record_id) VALUES (?1, ?2, ?3)")?;
    for (entity, key, id) in &want {
        stmt.execute(params![entity, key, id])?;
    }
    Ok(())
}

/// How the index differs from the records: entries missing, entries that should not be
/// there, and the first record concerned (its kind and id).
pub(super) type Differences = (usize, usize, Option<(String, i64)>);

/// How the index differs from the records (see [`Differences`]).
pub(super) fn differences(conn: &Connection) -> rusqlite::Result<Differences> {
    let want = expected(conn)?;
    let mut stmt = conn
        .prepare("SELECT entity, key, record_id FROM dupe_keys ORDER BY entity, key, record_id")?;
    let have = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (mut missing, mut extra, mut first) = (0, 0, None);
    let (mut i, mut j) = (0, 0);
    let note = |e: &str, id: i64, first: &mut Option<(String, i64)>| {
        if first
            .as_ref()
            .is_none_or(|(fe, fid)| (fe.as_str(), *fid) > (e, id))
        {
            *first = Some((e.to_string(), id));
        }
    };
    while i < want.len() || j < have.len() {
        let w = want.get(i).map(|(e, k, id)| (*e, k.as_str(), *id));
        let h = have.get(j).map(|(e, k, id)| (e.as_str(), k.as_str(), *id));
        match (w, h) {
            (Some(w), Some(h)) if w == h => {
                i += 1;
                j += 1;
            }
            (Some(w), h) if h.is_none_or(|h| w < h) => {
                missing += 1;
                note(w.0, w.2, &mut first);
                i += 1;
            }
            (_, Some(h)) => {
                extra += 1;
                note(h.0, h.2, &mut first);
                j += 1;
            }
            _ => break,
        }
    }
    Ok((missing, extra, first))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use serde_json::json;

    #[test]
    fn finding_duplicates_reads_the_index_not_every_record() {
        let s = Store::open_in_memory().unwrap();
        for (entity, _) in keyed() {
            let sql = super::super::query::dedupe_sql(entity, Some(3)).unwrap();
            let mut stmt = s
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let plan: Vec<String> = stmt
                .query_map(["x", "a", "b", "c"], |r| r.get(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(
                plan.iter().all(|p| !p.starts_with("SCAN")),
                "{entity}: {plan:?}"
            );
            assert!(
                plan.iter()
                    .any(|p| p.contains("dupe_keys USING PRIMARY KEY")),
                "{entity}: {plan:?}"
            );
        }
    }

    #[test]
    fn writes_keep_the_index_and_check_finds_it_wrong() {
        let mut s = Store::open_in_memory().unwrap();
        s.write("u", "2026-11-22T10:00:00Z", |w| {
            let id = w.insert(
                Entity::Contact,
                &vec![
                    ("name".into(), json!("王芳")),
                    ("emails".into(), json!(["Wang@Baiyun.cn"])),
                    ("phones".into(), json!(["+86 20 3606-6999"])),
                ],
            )?;
            w.update(
                Entity::Contact,
                id,
                &vec![("emails".into(), json!(["fang@baiyun.cn"]))],
            )?;
            w.trash(Entity::Contact, id)?;
            Ok(())
        })
        .unwrap();
        let keys = |s: &Store| -> Vec<String> {
            s.conn
                .prepare("SELECT key FROM dupe_keys ORDER BY key")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        assert_eq!(
            keys(&s),
            vec!["e:fang@baiyun.cn", "n:王芳\u{1f}", "p:6066999"]
        );
        // (A bare store has no default pipeline: only this check's findings count here.)
        let ours = |s: &Store| -> Vec<crate::store::Finding> {
            s.check()
                .unwrap()
                .into_iter()
                .filter(|f| f.check == "dupe_keys")
                .collect()
        };
        assert!(ours(&s).is_empty());
        // Broken behind kith's back: check says so, repair makes it again.
        s.conn
            .execute_batch("DELETE FROM dupe_keys WHERE key LIKE 'p:%'")
            .unwrap();
        let found = ours(&s);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].check, "dupe_keys");
        assert!(
            found[0].problem.starts_with(
                "the index of duplicate keys lacks 1 and has 0 wrong entries (the first for contact 1)"
            ),
            "{}",
            found[0].problem
        );
        s.repair().unwrap();
        assert!(ours(&s).is_empty());
        assert_eq!(keys(&s).len(), 3);
    }
}
