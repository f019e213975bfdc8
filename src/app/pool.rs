//! The front door's verbs on the shared pool (公海): list it, claim from it, give back to
//! it, lock accounts, sweep it, and the warnings `kith remind` gives before a sweep.

use serde_json::Value;

use crate::app::crm::Crm;
use crate::app::queries::ListQuery;
use crate::core::error::Result;
use crate::domain::sales::remind::Reminder;
use crate::domain::team::pool::{self, PoolConfig, Recycled};
use crate::model::record::Record;
use crate::model::Entity;

impl Crm {
    /// The accounts in the pool (no owner) that `q` lists, each with when and why it last
    /// fell back (`fell_back_at`, `fell_back`, `reason`) and who had it (`former_owner`).
    pub fn pool_list(&self, q: &ListQuery) -> Result<Vec<Record>> {
        let mut q = q.clone();
        let empty = crate::model::query::parse_args(&["owner:"])?;
        q.filter.terms.extend(empty.terms);
        let mut records = self.list(Entity::Account, &q)?;
        let ids: Vec<i64> = records.iter().map(Record::id).collect();
        let moves = self.reader().fell_back(&ids)?;
        for r in &mut records {
            let m = moves.get(&r.id());
            let text = |v: Option<String>| v.map_or(Value::Null, Value::String);
            let reason = m.and_then(|m| match (&m.rule, m.days) {
                (Some(rule), Some(days)) => Some(pool::reason_of(rule, days)),
                _ => m.reason.clone(),
            });
            r.fields
                .insert("fell_back".into(), text(m.map(|m| m.kind.clone())));
            r.fields.insert(
                "fell_back_at".into(),
                text(m.and_then(|m| crate::core::clock::local_iso(&m.at))),
            );
            r.fields.insert("reason".into(), text(reason));
            r.fields
                .insert("former_owner".into(), text(m.and_then(|m| m.from.clone())));
        }
        Ok(records)
    }

    /// The acting user claims these accounts from the pool, all or none.
    pub fn pool_claim(&mut self, config: &PoolConfig, ids: &[i64]) -> Result<()> {
        self.write(|w, env| pool::claim(w, env, config, ids))
    }

    /// The acting user, its owner, gives this account back to the pool; its name.
    pub fn pool_release(&mut self, id: i64, reason: &str) -> Result<String> {
        self.write(|w, env| pool::release(w, env, id, reason))
    }

    /// Lock or unlock these accounts as the acting user, in one write; for each, whether
    /// it changed.
    pub fn set_locked(
        &mut self,
        config: &PoolConfig,
        ids: &[i64],
        lock: bool,
    ) -> Result<Vec<bool>> {
        self.write(|w, env| {
            ids.iter()
                .map(|&id| pool::set_lock(w, env, config, id, lock))
                .collect()
        })
    }

    /// Recycle what falls back now, in one write (a sweep racing it finds them moved);
    /// with `dry_run`, only what would be, nothing written.
    pub fn pool_sweep(&mut self, config: &PoolConfig, dry_run: bool) -> Result<Vec<Recycled>> {
        if dry_run {
            return pool::due(&self.reader(), config, self.env.clock.now());
        }
        if !config.recycles() {
            return Ok(vec![]);
        }
        self.write_by_rule(|w, env| pool::sweep(w, env, config))
    }

    /// The owners' warnings of accounts that fall back within `warn_days`.
    pub fn pool_warnings(&self, config: &PoolConfig) -> Result<Vec<Reminder>> {
        pool::warnings(&self.reader(), config, self.env.clock.now())
    }
}
