//! What `kith remind` knows it has done: each rule's last whole pass with everything it
//! found delivered (a sweep), and what tells a later run whether anything that rule reads
//! has changed since. Bookkeeping, like deliveries: not in the change log.

use rusqlite::{params, OptionalExtension};

use super::query::Reader;
use super::write::Writer;
use crate::core::error::Result;
use crate::model::Entity;

/// One rule's sweep (see the comment of the `remind_sweeps` table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sweep {
    /// The rule, as its reminders' kind names it.
    pub rule: String,
    /// The settings and the reader the rule ran with.
    pub scope: String,
    /// The local moment of the run (ISO 8601).
    pub at: String,
    /// The last change of the change log the run had seen.
    pub mark: i64,
    /// The rule's reach from which time alone could give it something new; None when only
    /// a change could.
    pub horizon: Option<String>,
}

impl Reader<'_> {
    /// The id of the change log's last entry (0 when it is empty).
    pub fn change_mark(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT coalesce(max(id), 0) FROM changes")?
            .query_row([], |r| r.get(0))?)
    }

    /// Each kind of record changed after the change `mark`, with its last change's id.
    pub fn changed_since(&self, mark: i64) -> Result<Vec<(String, i64)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT entity, max(id) FROM changes WHERE id > ?1 GROUP BY entity")?;
        let rows = stmt.query_map([mark], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every sweep recorded.
    pub fn sweeps(&self) -> Result<Vec<Sweep>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT rule, scope, at, mark, horizon FROM remind_sweeps")?;
        let rows = stmt.query_map([], |r| {
            Ok(Sweep {
                rule: r.get(0)?,
                scope: r.get(1)?,
                at: r.get(2)?,
                mark: r.get(3)?,
                horizon: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The soonest due date of an open task due after `after` (as `open_tasks_due`
    /// compares them: as text), from the open tasks' index.
    pub fn next_open_task_due(&self, after: &str) -> Result<Option<String>> {
        let sql = format!(
            "SELECT min(due) FROM tasks INDEXED BY tasks_open_by_due
              WHERE done = 0 AND deleted_at IS NULL AND due > ?1{}",
            self.seen(Entity::Task, "tasks")
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([after], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// The soonest moment after `after` (local, ISO) of a live activity about an account
    /// (`of` = account) or a deal (`of` = deal): when it comes, it is the latest activity of
    /// its record and the care rules see that record anew.
    pub fn next_activity_of(&self, of: Entity, after: &str) -> Result<Option<String>> {
        let column = match of {
            Entity::Deal => "deal_id",
            _ => "account_id",
        };
        let sql = format!(
            "SELECT at FROM activities INDEXED BY activities_by_at
              WHERE at > ?1 AND {column} IS NOT NULL AND deleted_at IS NULL{}
              ORDER BY at LIMIT 1",
            self.seen(Entity::Activity, "activities")
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([after], |r| r.get(0))
            .optional()?)
    }
}

impl Writer<'_> {
    /// Record these sweeps, each in place of the one before it of its rule and scope.
    pub fn record_sweeps(&mut self, sweeps: &[Sweep]) -> Result<()> {
        for s in sweeps {
            self.conn()
                .prepare_cached(
                    "INSERT OR REPLACE INTO remind_sweeps (rule, scope, at, mark, horizon)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![s.rule, s.scope, s.at, s.mark, s.horizon])?;
        }
        Ok(())
    }

    /// Forget the sweeps of these rules: something they found was not delivered, so the
    /// next run reads them whole again.
    pub fn forget_sweeps(&mut self, rules: &[&str]) -> Result<()> {
        for rule in rules {
            self.conn()
                .prepare_cached("DELETE FROM remind_sweeps WHERE rule = ?1")?
                .execute([rule])?;
        }
        Ok(())
    }
}
