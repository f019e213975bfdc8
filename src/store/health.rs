//! Backup, restore and health checks. Backup and restore use SQLite's online backup, which
//! copies a consistent snapshot page by page while other processes keep writing.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use super::Store;
use crate::core::error::Result;
use crate::model::Entity;

/// One finding of `kith check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What was checked: integrity, foreign_keys, indexes, triggers, money, stages, pipelines,
    /// tasks, leads, accounts, tags, last_activity, dupe_keys, history.
    pub check: String,
    pub problem: String,
}

/// SQL with every run of spaces and line breaks made one space, to compare statements.
fn squeeze(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One of kith's own rules: what it checks, a query returning a row per record that
/// breaks it, and the finding's text from that row (from the catalog).
type Rule = (
    &'static str,
    String,
    fn(&rusqlite::Row<'_>) -> rusqlite::Result<String>,
);

/// kith's own rules.
fn rules() -> Vec<Rule> {
    use crate::tr;
    fn s(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<String> {
        Ok(match r.get_ref(i)? {
            rusqlite::types::ValueRef::Null => String::new(),
            rusqlite::types::ValueRef::Integer(n) => n.to_string(),
            rusqlite::types::ValueRef::Real(f) => f.to_string(),
            v => v.as_str().unwrap_or_default().to_string(),
        })
    }
    // The kinds users keep, each as (its name, its table), for the rules over all of them.
    let each = |cols: &str, only: fn(Entity) -> bool| -> String {
        Entity::RECORDS
            .into_iter()
            .filter(|e| only(*e))
            .map(|e| format!("SELECT '{}' AS kind, id{cols} FROM {}", e.name(), e.table()))
            .collect::<Vec<_>>()
            .join(" UNION ALL ")
    };
    vec![
        (
            "users",
            "SELECT o FROM (SELECT owner AS o FROM accounts UNION SELECT owner FROM contacts
                 UNION SELECT owner FROM leads UNION SELECT owner FROM deals
                 UNION SELECT owner FROM activities UNION SELECT owner FROM tasks)
              WHERE o IS NOT NULL AND o <> '' AND o NOT IN (SELECT login FROM users)"
                .into(),
            |r| Ok(tr!("health.owner_no_user", login = s(r, 0)?)),
        ),
        (
            "users",
            "WITH RECURSIVE up(start, cur) AS (
                 SELECT id, manager_id FROM users WHERE manager_id IS NOT NULL
                 UNION SELECT up.start, u.manager_id FROM up JOIN users u ON u.id = up.cur
                        WHERE u.manager_id IS NOT NULL)
             SELECT start FROM up WHERE cur = start"
                .into(),
            |r| Ok(tr!("health.user_manages_self", id = s(r, 0)?)),
        ),
        (
            "stages",
            "SELECT d.id, d.stage_id FROM deals d JOIN stages s ON s.id = d.stage_id
              WHERE s.pipeline_id <> d.pipeline_id"
                .into(),
            |r| {
                Ok(tr!(
                    "health.deal_stage_other_pipeline",
                    deal = s(r, 0)?,
                    stage = s(r, 1)?
                ))
            },
        ),
        (
            "stages",
            "SELECT d.id, d.status, s.outcome FROM deals d JOIN stages s ON s.id = d.stage_id
              WHERE d.status <> s.outcome"
                .into(),
            |r| {
                Ok(tr!(
                    "health.deal_status_not_stage",
                    deal = s(r, 0)?,
                    status = s(r, 1)?,
                    outcome = s(r, 2)?
                ))
            },
        ),
        (
            "pipelines",
            "SELECT count(*) FROM pipelines WHERE is_default = 1 AND deleted_at IS NULL
             HAVING count(*) <> 1"
                .into(),
            |r| Ok(crate::plural!("health.default_pipelines", r.get::<_, i64>(0)?)),
        ),
        (
            "pipelines",
            "SELECT p.id FROM pipelines p
              WHERE p.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM stages s
                    WHERE s.pipeline_id = p.id AND s.outcome = 'open' AND s.deleted_at IS NULL)"
                .into(),
            |r| Ok(tr!("health.pipeline_no_open_stage", id = s(r, 0)?)),
        ),
        (
            "tasks",
            "SELECT id, done FROM tasks WHERE (done = 1) <> (done_at IS NOT NULL)".into(),
            |r| {
                Ok(if r.get::<_, i64>(1)? == 1 {
                    tr!("health.task_done_without_time", id = s(r, 0)?)
                } else {
                    tr!("health.task_open_with_time", id = s(r, 0)?)
                })
            },
        ),
        (
            "leads",
            "SELECT id FROM leads WHERE status = 'converted' AND converted_account_id IS NULL"
                .into(),
            |r| Ok(tr!("health.lead_converted_no_account", id = s(r, 0)?)),
        ),
        (
            "accounts",
            "WITH RECURSIVE up(start, id, depth) AS (
                 SELECT id, parent_id, 1 FROM accounts WHERE parent_id IS NOT NULL
                 UNION ALL
                 SELECT up.start, a.parent_id, up.depth + 1 FROM up JOIN accounts a ON a.id = up.id
                  WHERE a.parent_id IS NOT NULL AND up.depth < 1000 AND up.id <> up.start)
             SELECT DISTINCT start FROM up WHERE id = start"
                .into(),
            |r| Ok(tr!("health.account_own_parent", id = s(r, 0)?)),
        ),
        (
            "tags",
            format!(
                "SELECT kind, id FROM ({}) WHERE NOT json_valid(tags) OR json_type(tags) <> 'array'",
                each(", tags", |e| e.field("tags").is_some())
            ),
            |r| {
                Ok(tr!(
                    "health.tags_not_a_list",
                    kind = s(r, 0)?,
                    id = s(r, 1)?
                ))
            },
        ),
        (
            "history",
            format!(
                "SELECT kind, id FROM ({}) r
                  WHERE NOT EXISTS (SELECT 1 FROM changes c
                         WHERE c.entity = r.kind AND c.record_id = r.id AND c.op = 'create')",
                each("", |_| true)
            ),
            |r| {
                Ok(tr!(
                    "health.no_creation_logged",
                    kind = s(r, 0)?,
                    id = s(r, 1)?
                ))
            },
        ),
    ]
}

/// Every problem found on a connection (in a transaction too: a dump is checked before it
/// is committed).
pub(super) fn check_conn(conn: &Connection) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    let lines = (|| -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect()
    })();
    match lines {
        Ok(lines) => out.extend(problems(lines).map(|problem| Finding {
            check: "integrity".into(),
            problem,
        })),
        // So damaged that SQLite cannot even list what is wrong: its one reason.
        Err(e) => {
            return Ok(vec![Finding {
                check: "integrity".into(),
                problem: sqlite_reason(&e),
            }])
        }
    }
    let damaged = !out.is_empty();
    // On a damaged file the other checks may meet a damaged page: what SQLite listed is the
    // answer, with a line saying where checking stopped.
    if let Err(e) = other_checks(conn, &mut out) {
        if !damaged {
            return Err(e);
        }
        out.push(Finding {
            check: "integrity".into(),
            problem: crate::tr!("health.other_checks_could", reason = e),
        });
    }
    Ok(out)
}

/// The checks after SQLite's integrity check: references, kith's indexes and triggers, the
/// tables kith derives, kith's rules.
fn other_checks(conn: &Connection, out: &mut Vec<Finding>) -> Result<()> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        Ok(crate::tr!(
            "health.row_points_missing",
            table = r.get::<_, String>(0)?,
            row = r.get::<_, Option<i64>>(1)?.unwrap_or(0),
            target = r.get::<_, String>(2)?
        ))
    })?;
    for row in rows {
        out.push(Finding {
            check: "foreign_keys".into(),
            problem: row?,
        });
    }
    out.extend(missing_indexes(conn)?);
    // Amounts are whole numbers of ten-thousandths (crate::core::money), exchange rates of
    // hundred-millionths (crate::core::exchange): a fraction or text there would sum and
    // compare wrongly.
    let money = Entity::ALL.into_iter().flat_map(|e| {
        e.fields()
            .iter()
            .filter(|f| f.ty.is_whole_minor())
            .map(move |f| (e, f.column(), f.ty == crate::model::Ty::ExchangeRate))
    });
    for (e, col, rate) in money {
        let (kind, table) = (e.name(), e.table());
        let sql = format!(
            "SELECT count(*), min(id) FROM {table}
              WHERE typeof({col}) NOT IN ('integer', 'null') HAVING count(*) > 0"
        );
        let mut stmt = conn.prepare(&sql)?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
            let (n, first) = row?;
            let problem = if rate {
                crate::plural!(
                    "health.rate_not_whole",
                    n,
                    plural = e.plural(),
                    col = col,
                    kind = kind,
                    first = first
                )
            } else {
                crate::plural!(
                    "health.money_not_whole",
                    n,
                    plural = e.plural(),
                    col = col,
                    kind = kind,
                    first = first
                )
            };
            out.push(Finding {
                check: "money".into(),
                problem,
            });
        }
    }
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
                 SELECT count(*), min(id) FROM wrong HAVING count(*) > 0"
        );
        let mut stmt = conn.prepare(&sql)?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
            let (n, first) = row?;
            out.push(Finding {
                check: "last_activity".into(),
                problem: crate::plural!(
                    "health.wrong_latest_activity",
                    n,
                    kind = kind,
                    plural = crate::model::Entity::from_name(kind).map_or(kind, |e| e.plural()),
                    first = first
                ),
            });
        }
    }
    for (entity, n, first) in super::name_keys::stale(conn)? {
        out.push(Finding {
            check: "name_keys".into(),
            problem: crate::plural!(
                "health.stale_name_keys",
                n,
                plural = entity.plural(),
                kind = entity.name(),
                first = first
            ),
        });
    }
    let (missing, extra, first) = super::dupe_index::differences(conn)?;
    if missing + extra > 0 {
        let (kind, id) = first.unwrap_or_default();
        out.push(Finding {
            check: "dupe_keys".into(),
            problem: crate::tr!(
                "health.index_duplicate_keys",
                missing = missing,
                extra = extra,
                kind = kind,
                id = id
            ),
        });
    }
    for (check, sql, text) in rules() {
        let mut stmt = conn.prepare(&sql)?;
        for problem in stmt.query_map([], text)? {
            out.push(Finding {
                check: check.into(),
                problem: problem?,
            });
        }
    }
    Ok(())
}

impl Store {
    /// Every problem found: SQLite's integrity and foreign-key checks, then kith's rules.
    pub fn check(&self) -> Result<Vec<Finding>> {
        check_conn(&self.conn)
    }

    /// The problems SQLite finds in a file too damaged to open as a kith database, read
    /// only: the lines of `PRAGMA integrity_check`, or, when not even that runs (a file
    /// that is not a database, a damaged header or schema), SQLite's one reason. Empty
    /// when the file is sound (it failed to open for another reason) or missing.
    pub fn check_damaged(path: &Path) -> Result<Vec<Finding>> {
        if !path.exists() {
            return Ok(vec![]);
        }
        let finding = |problem: String| Finding {
            check: "integrity".into(),
            problem,
        };
        let conn = match Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ) {
            Ok(c) => c,
            Err(e) => return Ok(vec![finding(sqlite_reason(&e))]),
        };
        let lines = (|| -> rusqlite::Result<Vec<String>> {
            let mut stmt = conn.prepare("PRAGMA integrity_check")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect()
        })();
        Ok(match lines {
            Ok(lines) => problems(lines).map(finding).collect(),
            Err(e) => vec![finding(sqlite_reason(&e))],
        })
    }

    /// Put back what kith derives and can make again (`kith check --repair`): the indexes
    /// and triggers the file lacks, and the latest activity per account and deal. All in
    /// one transaction; records are not touched. Returns what was done, one line each.
    pub fn repair(&mut self) -> Result<Vec<String>> {
        let missing = schema_objects(&self.conn)?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut done = Vec::new();
        for (kind, name, sql, got) in missing {
            if got.is_none() {
                tx.execute_batch(&sql)?;
                done.push(crate::tr!("health.made_object", kind = kind, name = name));
            }
        }
        tx.execute_batch(super::schema::LAST_ACTIVITY_REBUILD)?;
        done.push(crate::tr!("health.rebuilt_latest_activity").to_string());
        super::dupe_index::rebuild(&tx)?;
        done.push(crate::tr!("health.rebuilt_index_duplicate").to_string());
        let n = super::name_keys::fill(&tx, true)?;
        if n > 0 {
            done.push(crate::plural!("health.made_name_keys", n));
        }
        tx.commit()?;
        Ok(done)
    }

    /// Copy the database to a new file, safely while other kith processes write.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        // Anything there, a symbolic link (even to nothing) too, is kept.
        if dest.symlink_metadata().is_ok() {
            return Err(crate::err!(
                Invalid,
                "health.exists_give_new",
                dest = dest.display()
            ));
        }
        let (temp, file) = crate::core::files::Temp::beside(dest)?;
        drop(file);
        let tmp = temp.path().to_path_buf();
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
        // On an error the temporary file (and its journal) goes with `temp`.
        if let Err(e) = result {
            return Err(e.context(crate::tr!("health.backup_to", dest = dest.display())));
        }
        temp.persist(dest)
    }

    /// Replace this database with a backup. The backup is checked first: a kith database,
    /// not from a newer kith, passing SQLite's integrity check.
    pub fn restore_from(&mut self, src: &Path) -> Result<()> {
        let from =
            Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| {
                crate::err!(
                    Invalid,
                    "health.cannot_open",
                    src = src.display(),
                    reason = e
                )
            })?;
        let not_kith = |why: String| {
            crate::err!(
                Invalid,
                "health.not_a_backup",
                src = src.display(),
                why = why
            )
        };
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
            return Err(not_kith(crate::tr!("health.no_kith_tables").to_string()));
        }
        if version > super::schema::STEPS.len() as i64 {
            return Err(crate::err!(
                Invalid,
                "health.made_newer_schema",
                src = src.display(),
                version = version
            ));
        }
        let ok: String = from.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(not_kith(crate::tr!("health.integrity_check_says", ok = ok)));
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

/// The indexes and triggers kith's schema makes that this file lacks or has in another
/// form (some queries name their index, and fail without it; the triggers keep the
/// latest activity per account and deal).
fn missing_indexes(conn: &Connection) -> Result<Vec<Finding>> {
    Ok(schema_objects(conn)?
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
                    crate::tr!(
                        "health.missing_check_repair",
                        kind = kind,
                        name = name,
                        sql = sql
                    )
                }
                Some(_) => {
                    crate::tr!(
                        "health.differs_drop_make",
                        kind = kind,
                        name = name,
                        sql = sql
                    )
                }
            },
        })
        .collect())
}

/// (type, name, kith's SQL, this file's SQL if any) of each index and trigger of kith's
/// schema that this file lacks or has in another form.
#[allow(clippy::type_complexity)]
fn schema_objects(conn: &Connection) -> Result<Vec<(String, String, String, Option<String>)>> {
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
    let have = objects(conn)?;
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

/// SQLite's words for a failure, without rusqlite's wrapping.
fn sqlite_reason(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(f, Some(m))
            if f.code == rusqlite::ErrorCode::NotADatabase =>
        {
            crate::tr!("health.not_sqlite", reason = m)
        }
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
        other => other.to_string(),
    }
}

/// The problems `PRAGMA integrity_check` lists, one each: a row can hold several lines under
/// a heading naming the database.
fn problems(rows: Vec<String>) -> impl Iterator<Item = String> {
    rows.into_iter()
        .flat_map(|r| r.lines().map(str::to_string).collect::<Vec<_>>())
        .filter(|l| l != "ok" && !(l.starts_with("*** in database ") && l.ends_with(" ***")))
}
