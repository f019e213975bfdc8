//! Backup, restore and health checks. Backup and restore use SQLite's online backup, which
//! copies a consistent snapshot page by page while other processes keep writing.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use super::Store;
use crate::error::{Error, Result};

/// One finding of `kith check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What was checked: integrity, foreign_keys, indexes, triggers, stages, pipelines,
    /// tasks, leads, accounts, tags, last_activity, dupe_keys, history.
    pub check: String,
    pub problem: String,
}

/// SQL with every run of spaces and line breaks made one space, to compare statements.
fn squeeze(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// kith's own rules, each a query returning one line per record that breaks it.
const RULES: &[(&str, &str)] = &[
    (
        "stages",
        "SELECT 'deal ' || d.id || ' is in stage ' || d.stage_id || ' of another pipeline'
           FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.pipeline_id <> d.pipeline_id",
    ),
    (
        "stages",
        "SELECT 'deal ' || d.id || ' has status ' || d.status || ' but its stage is ' || s.outcome
           FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.status <> s.outcome",
    ),
    (
        "pipelines",
        "SELECT 'there are ' || count(*) || ' default pipelines (want 1)' FROM pipelines
          WHERE is_default = 1 AND deleted_at IS NULL HAVING count(*) <> 1",
    ),
    (
        "pipelines",
        "SELECT 'pipeline ' || p.id || ' has no open stage' FROM pipelines p
          WHERE p.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM stages s
                WHERE s.pipeline_id = p.id AND s.outcome = 'open' AND s.deleted_at IS NULL)",
    ),
    (
        "tasks",
        "SELECT 'task ' || id || (CASE WHEN done = 1 THEN ' is done without a done time'
                                      ELSE ' is open with a done time' END)
           FROM tasks WHERE (done = 1) <> (done_at IS NOT NULL)",
    ),
    (
        "leads",
        "SELECT 'lead ' || id || ' is converted but links to no account'
           FROM leads WHERE status = 'converted' AND converted_account_id IS NULL",
    ),
    (
        "accounts",
        "WITH RECURSIVE up(start, id, depth) AS (
             SELECT id, parent_id, 1 FROM accounts WHERE parent_id IS NOT NULL
             UNION ALL
             SELECT up.start, a.parent_id, up.depth + 1 FROM up JOIN accounts a ON a.id = up.id
              WHERE a.parent_id IS NOT NULL AND up.depth < 1000 AND up.id <> up.start)
         SELECT DISTINCT 'account ' || start || ' is its own parent, through its parents'
           FROM up WHERE id = start",
    ),
    (
        "tags",
        "SELECT kind || ' ' || id || ' has tags that are not a list' FROM (
             SELECT 'account' AS kind, id, tags FROM accounts UNION ALL
             SELECT 'contact', id, tags FROM contacts UNION ALL
             SELECT 'lead', id, tags FROM leads UNION ALL
             SELECT 'deal', id, tags FROM deals UNION ALL
             SELECT 'activity', id, tags FROM activities UNION ALL
             SELECT 'task', id, tags FROM tasks)
          WHERE NOT json_valid(tags) OR json_type(tags) <> 'array'",
    ),
    (
        "history",
        "SELECT kind || ' ' || id || ' has no creation in the change log' FROM (
             SELECT 'account' AS kind, id FROM accounts UNION ALL
             SELECT 'contact', id FROM contacts UNION ALL
             SELECT 'lead', id FROM leads UNION ALL
             SELECT 'deal', id FROM deals UNION ALL
             SELECT 'activity', id FROM activities UNION ALL
             SELECT 'task', id FROM tasks) r
          WHERE NOT EXISTS (SELECT 1 FROM changes c
                 WHERE c.entity = r.kind AND c.record_id = r.id AND c.op = 'create')",
    ),
];

impl Store {
    /// Every problem found: SQLite's integrity and foreign-key checks, then kith's rules.
    pub fn check(&self) -> Result<Vec<Finding>> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = row?;
            if line != "ok" {
                out.push(Finding {
                    check: "integrity".into(),
                    problem: line,
                });
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok(format!(
                "{} row {} points at a missing {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                r.get::<_, String>(2)?
            ))
        })?;
        for row in rows {
            out.push(Finding {
                check: "foreign_keys".into(),
                problem: row?,
            });
        }
        out.extend(self.missing_indexes()?);
        // Each account's and deal's latest activity, kept by triggers, against the activities.
        for kind in ["account", "deal"] {
            let sql = format!(
                "WITH want(id, at) AS (SELECT {kind}_id, max(at) FROM activities
                                         WHERE {kind}_id IS NOT NULL AND deleted_at IS NULL
                                         GROUP BY {kind}_id),
                      wrong(id) AS (SELECT w.id FROM want w
                                      LEFT JOIN {kind}_last_activity k ON k.{kind}_id = w.id
                                     WHERE k.at IS NOT w.at
                                    UNION
                                    SELECT k.{kind}_id FROM {kind}_last_activity k
                                     WHERE k.{kind}_id NOT IN (SELECT id FROM want))
                 SELECT count(*) || ' {kind}s have a wrong latest activity (the first is {kind} '
                        || min(id) || '); kith check --repair makes it again'
                   FROM wrong HAVING count(*) > 0"
            );
            let mut stmt = self.conn.prepare(&sql)?;
            for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
                out.push(Finding {
                    check: "last_activity".into(),
                    problem: row?,
                });
            }
        }
        let (missing, extra, first) = super::dupe_index::differences(&self.conn)?;
        if missing + extra > 0 {
            let (kind, id) = first.unwrap_or_default();
            out.push(Finding {
                check: "dupe_keys".into(),
                problem: format!(
                    "the index of duplicate keys lacks {missing} and has {extra} wrong entries (the first for {kind} {id}); kith check --repair makes it again"
                ),
            });
        }
        for (check, sql) in RULES {
            let mut stmt = self.conn.prepare(sql)?;
            for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
                out.push(Finding {
                    check: (*check).into(),
                    problem: row?,
                });
            }
        }
        Ok(out)
    }

    /// Put back what kith derives and can make again (`kith check --repair`): the indexes
    /// and triggers the file lacks, and the latest activity per account and deal. All in
    /// one transaction; records are not touched. Returns what was done, one line each.
    pub fn repair(&mut self) -> Result<Vec<String>> {
        let missing = self.schema_objects()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut done = Vec::new();
        for (kind, name, sql, got) in missing {
            if got.is_none() {
                tx.execute_batch(&sql)?;
                done.push(format!("made {kind} {name}"));
            }
        }
        tx.execute_batch(super::schema::LAST_ACTIVITY_REBUILD)?;
        done.push("rebuilt the latest activity of every account and deal".into());
        super::dupe_index::rebuild(&tx)?;
        done.push("rebuilt the index of duplicate keys".into());
        tx.commit()?;
        Ok(done)
    }

    /// The indexes and triggers kith's schema makes that this file lacks or has in another
    /// form (some queries name their index, and fail without it; the triggers keep the
    /// latest activity per account and deal).
    fn missing_indexes(&self) -> Result<Vec<Finding>> {
        Ok(self
            .schema_objects()?
            .into_iter()
            .map(|(kind, name, sql, got)| Finding {
                check: if kind == "index" {
                    "indexes"
                } else {
                    "triggers"
                }
                .into(),
                problem: match got {
                    None => {
                        format!("{kind} {name} is missing; kith check --repair makes it, as: {sql}")
                    }
                    Some(_) => format!(
                        "{kind} {name} differs from kith's; drop it and make it with: {sql}"
                    ),
                },
            })
            .collect())
    }

    /// (type, name, kith's SQL, this file's SQL if any) of each index and trigger of kith's
    /// schema that this file lacks or has in another form.
    #[allow(clippy::type_complexity)]
    fn schema_objects(&self) -> Result<Vec<(String, String, String, Option<String>)>> {
        let mut model = Connection::open_in_memory()?;
        super::schema::migrate(&mut model)?;
        let objects = |c: &Connection| -> Result<Vec<(String, String, String)>> {
            let mut stmt = c.prepare(
                "SELECT type, name, sql FROM sqlite_master
                  WHERE type IN ('index', 'trigger') AND sql IS NOT NULL
                  ORDER BY type, name",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        };
        let have = objects(&self.conn)?;
        let mut out = Vec::new();
        for (kind, name, sql) in objects(&model)? {
            let got = have
                .iter()
                .find(|(k, n, _)| *k == kind && *n == name)
                .map(|(_, _, got)| got.clone());
            if got.as_ref().is_none_or(|g| squeeze(g) != squeeze(&sql)) {
                out.push((kind, name, sql, got));
            }
        }
        Ok(out)
    }

    /// Copy the database to a new file, safely while other kith processes write.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::invalid(format!(
                "{} exists; give a new file name",
                dest.display()
            )));
        }
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dest.with_file_name(format!(".{name}.kith-tmp"));
        let _ = std::fs::remove_file(&tmp);
        super::create_private(&tmp)?;
        let result = (|| -> Result<()> {
            let mut out = Connection::open(&tmp)?;
            Backup::new(&self.conn, &mut out)?.run_to_completion(
                256,
                Duration::from_millis(5),
                None,
            )?;
            // A backup is one self-contained file: no -wal beside it.
            out.query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            })?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.context(format!("backup to {}", dest.display())));
        }
        std::fs::rename(&tmp, dest)
            .map_err(|e| Error::failed(format!("cannot write {}: {e}", dest.display())))
    }

    /// Replace this database with a backup. The backup is checked first: a kith database,
    /// not from a newer kith, passing SQLite's integrity check.
    pub fn restore_from(&mut self, src: &Path) -> Result<()> {
        let from = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| Error::invalid(format!("{}: cannot open: {e}", src.display())))?;
        let not_kith =
            |why: String| Error::invalid(format!("{} is not a kith backup: {why}", src.display()));
        let version: i64 = from
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| not_kith(e.to_string()))?;
        let has_tables: bool = from
            .query_row(
                "SELECT count(*) = 3 FROM sqlite_master WHERE type = 'table' AND name IN ('accounts', 'deals', 'changes')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| not_kith(e.to_string()))?;
        if version < 1 || !has_tables {
            return Err(not_kith("it has no kith tables".into()));
        }
        if version > super::schema::STEPS.len() as i64 {
            return Err(Error::invalid(format!(
                "{} was made by a newer kith (schema version {version})",
                src.display()
            )));
        }
        let ok: String = from.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(not_kith(format!("its integrity check says: {ok}")));
        }
        Backup::new(&from, &mut self.conn)?.run_to_completion(
            256,
            Duration::from_millis(5),
            None,
        )?;
        drop(from);
        // The copy keeps the backup's journal mode and schema version: set up again.
        self.setup()
    }
}
