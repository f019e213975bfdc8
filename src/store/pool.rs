//! The shared pool (公海) in the store: what the sweep reads of every owned account in one
//! pass, the counts the caps read, the locks, and the moves in and out of the pool
//! (`pool_moves`, written in the same transaction as the owner's change).

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use super::query::{latest_activity, Reader};
use super::write::Writer;
use crate::core::error::Result;
use crate::model::Entity;

/// What the recycle rules read of one owned account that is not locked and has no open
/// deal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub id: i64,
    pub name: String,
    pub owner: String,
    pub tier: Option<String>,
    /// Its last claim, else when it was made (UTC stamp).
    pub owned_since: String,
    /// Its latest activity up to now (local ISO).
    pub last_activity: Option<String>,
    /// When its latest deal was made (UTC stamp).
    pub last_deal: Option<String>,
    /// When its latest won deal was won.
    pub last_won: Option<String>,
}

/// One move in or out of the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolMove {
    pub account: i64,
    /// `claim`, `release` or `recycle`.
    pub kind: &'static str,
    pub from: Option<String>,
    pub to: Option<String>,
    /// A release's words.
    pub reason: Option<String>,
    /// A recycling's rule and its days.
    pub rule: Option<String>,
    pub days: Option<u32>,
}

/// The last time an account fell back to the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FellBack {
    /// `release` or `recycle`.
    pub kind: String,
    pub at: String,
    pub from: Option<String>,
    pub reason: Option<String>,
    pub rule: Option<String>,
    pub days: Option<u32>,
}

impl Reader<'_> {
    /// Every live owned account this reader sees that is not locked and has no open deal,
    /// in id order, with what the recycle rules read of it: one query, each value from an
    /// index (the latest activity from `account_last_activity`).
    /// `now` is the local moment (ISO) whose activities count.
    pub fn pool_standings(&self, now: &str, mut each: impl FnMut(Standing)) -> Result<()> {
        let (join, latest) = latest_activity(Entity::Account, "a.id", "?1", &self.vis);
        let sql = format!(
            "SELECT a.id, a.name, a.owner, a.tier,
                    coalesce((SELECT max(m.at) FROM pool_moves m INDEXED BY pool_moves_by_account
                               WHERE m.account_id = a.id AND m.kind = 'claim'), a.created_at),
                    {latest},
                    (SELECT max(d.created_at) FROM deals d INDEXED BY deals_live_by_account_created
                      WHERE d.account_id = a.id AND d.deleted_at IS NULL),
                    (SELECT max(d.closed_at) FROM deals d INDEXED BY deals_live_by_account
                      WHERE d.account_id = a.id AND d.status = 'won' AND d.deleted_at IS NULL)
               FROM accounts a {join}
              WHERE a.deleted_at IS NULL AND a.owner > ''
                AND NOT EXISTS (SELECT 1 FROM account_locks l WHERE l.account_id = a.id)
                AND NOT EXISTS (SELECT 1 FROM deals d INDEXED BY deals_live_by_account
                                 WHERE d.account_id = a.id AND d.status = 'open'
                                   AND d.deleted_at IS NULL){}
              ORDER BY a.id",
            self.seen(Entity::Account, "a")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([now])?;
        while let Some(r) = rows.next()? {
            each(Standing {
                id: r.get(0)?,
                name: r.get(1)?,
                owner: r.get(2)?,
                tier: r.get(3)?,
                owned_since: r.get(4)?,
                last_activity: r.get(5)?,
                last_deal: r.get(6)?,
                last_won: r.get(7)?,
            });
        }
        Ok(())
    }

    /// How many live accounts `login` owns.
    pub fn owned_accounts(&self, login: &str) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM accounts INDEXED BY accounts_live_by_owner
                  WHERE owner = ?1 AND deleted_at IS NULL",
            )?
            .query_row([login], |r| r.get(0))?)
    }

    /// How many accounts `login` claimed from `from` (inclusive) to `to` (UTC stamps).
    pub fn claims_between(&self, login: &str, from: &str, to: &str) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM pool_moves INDEXED BY pool_moves_claims_by_user
                  WHERE kind = 'claim' AND user = ?1 AND at >= ?2 AND at < ?3",
            )?
            .query_row(params![login, from, to], |r| r.get(0))?)
    }

    /// When account `id` last left `login` (released or recycled), if it did.
    pub fn left_owner(&self, id: i64, login: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT max(at) FROM pool_moves INDEXED BY pool_moves_by_from_owner
                  WHERE from_owner = ?1 AND account_id = ?2 AND kind IN ('release', 'recycle')",
            )?
            .query_row(params![login, id], |r| r.get(0))?)
    }

    /// Who locked account `id`, and when.
    pub fn lock_of(&self, id: i64) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT login, at FROM account_locks WHERE account_id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// How many live accounts `login` keeps locked.
    pub fn locked_by(&self, login: &str) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM account_locks l JOIN accounts a ON a.id = l.account_id
                  WHERE l.login = ?1 AND a.deleted_at IS NULL",
            )?
            .query_row([login], |r| r.get(0))?)
    }

    /// The last fall back to the pool of each of `ids` that this reader sees, by id.
    pub fn fell_back(&self, ids: &[i64]) -> Result<HashMap<i64, FellBack>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
            let sql = format!(
                "SELECT m.account_id, m.kind, m.at, m.from_owner, m.reason, m.rule, m.days
                   FROM pool_moves m
                  WHERE m.id IN (SELECT max(x.id) FROM pool_moves x
                                  WHERE x.account_id IN ({}) AND x.kind IN ('release', 'recycle')
                                  GROUP BY x.account_id)
                    AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = m.account_id{})",
                list.join(", "),
                self.seen(Entity::Account, "a")
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    FellBack {
                        kind: r.get(1)?,
                        at: r.get(2)?,
                        from: r.get(3)?,
                        reason: r.get(4)?,
                        rule: r.get(5)?,
                        days: r.get(6)?,
                    },
                ))
            })?;
            for row in rows {
                let (id, f) = row?;
                out.insert(id, f);
            }
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Record a move in or out of the pool, in this write's batch.
    pub fn record_pool_move(&mut self, m: &PoolMove) -> Result<()> {
        let batch = self.batch()?;
        let (at, user) = (self.at().to_string(), self.user().to_string());
        self.conn()
            .prepare_cached(
                "INSERT INTO pool_moves
                   (account_id, kind, from_owner, to_owner, reason, rule, days, at, user, batch)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                m.account, m.kind, m.from, m.to, m.reason, m.rule, m.days, at, user, batch
            ])?;
        Ok(())
    }

    /// Lock account `id` as this write's user; whether it was not locked before.
    pub fn lock_account(&mut self, id: i64) -> Result<bool> {
        let (at, user) = (self.at().to_string(), self.user().to_string());
        Ok(self
            .conn()
            .prepare_cached(
                "INSERT INTO account_locks (account_id, login, at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account_id) DO NOTHING",
            )?
            .execute(params![id, user, at])?
            > 0)
    }

    /// Unlock account `id`; whether it was locked.
    pub fn unlock_account(&mut self, id: i64) -> Result<bool> {
        Ok(self
            .conn()
            .prepare_cached("DELETE FROM account_locks WHERE account_id = ?1")?
            .execute([id])?
            > 0)
    }
}
