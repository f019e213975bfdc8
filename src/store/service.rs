//! The service desk's reads that no list gives: the cases an escalation may concern, and
//! the next moment one could.

use chrono::NaiveDateTime;

use super::query::Reader;
use crate::core::error::Result;
use crate::model::record::Record;
use crate::model::Entity;

/// The local ISO time `iso` as a UTC stamp.
fn utc_stamp(iso: &str) -> String {
    let local = NaiveDateTime::parse_from_str(iso, "%Y-%m-%dT%H:%M:%S").unwrap_or_default();
    crate::core::clock::Clock::at_local(local).stamp()
}

impl Reader<'_> {
    /// The open cases with a running clock at risk or past due at `now` (a UTC stamp), or
    /// unassigned since `unassigned_before`: those the escalations look at, from the
    /// index of open cases.
    pub fn cases_escalating(&self, now: &str, unassigned_before: &str) -> Result<Vec<Record>> {
        let sql = format!(
            "SELECT t.id FROM cases t INDEXED BY cases_open_by_due
              WHERE t.status IN ('new', 'assigned', 'in-progress', 'waiting') AND t.deleted_at IS NULL
                AND ((t.responded_at IS NULL AND (t.respond_risk <= ?1 OR t.respond_due <= ?1))
                  OR (t.resolved_at IS NULL AND (t.resolve_risk <= ?1 OR t.resolve_due <= ?1))
                  OR ((t.assignee IS NULL OR t.assignee = '') AND t.opened <= ?2)){}
              ORDER BY t.id",
            self.seen(Entity::Case, "t")
        );
        let ids: Vec<i64> = self
            .conn
            .prepare_cached(&sql)?
            .query_map([now, unassigned_before], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        self.get_many(Entity::Case, &ids)
    }

    /// The next moment after `now` (local ISO) at which an open case's running clock comes
    /// to risk or to its deadline, or an unassigned case has waited `unassigned_minutes`:
    /// the horizon of the escalations (local ISO). One pass over the open cases.
    pub fn next_case_moment(&self, now: &str, unassigned_minutes: u32) -> Result<Option<String>> {
        let at = utc_stamp(now);
        let sql = format!(
            "SELECT min(CASE WHEN t.responded_at IS NULL AND t.respond_risk > ?1 THEN t.respond_risk END),
                    min(CASE WHEN t.responded_at IS NULL AND t.respond_due > ?1 THEN t.respond_due END),
                    min(CASE WHEN t.resolved_at IS NULL AND t.resolve_risk > ?1 THEN t.resolve_risk END),
                    min(CASE WHEN t.resolved_at IS NULL AND t.resolve_due > ?1 THEN t.resolve_due END),
                    min(CASE WHEN coalesce(t.assignee, '') = ''
                              AND strftime('%Y-%m-%dT%H:%M:%SZ', t.opened, '+' || ?2 || ' minutes') > ?1
                             THEN strftime('%Y-%m-%dT%H:%M:%SZ', t.opened, '+' || ?2 || ' minutes') END)
               FROM cases t INDEXED BY cases_open_by_due
              WHERE t.status IN ('new', 'assigned', 'in-progress', 'waiting') AND t.deleted_at IS NULL{}",
            self.seen(Entity::Case, "t")
        );
        let moments: [Option<String>; 5] = self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params![at, unassigned_minutes], |r| {
                Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])
            })?;
        Ok(moments
            .into_iter()
            .flatten()
            .min()
            .and_then(|s| crate::core::clock::local_iso(&s)))
    }
}
