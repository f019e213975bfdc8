//! The shared pool (公海): an account with no owner is in it. A rep claims (领取) an
//! account from it under the caps of `[pool]`, gives one back (退回) with a reason, and
//! locks (锁定) the accounts that must stay theirs; `kith pool sweep` recycles (回收) the
//! accounts whose owner let them lie — no follow-up, no new deal, not won in time — and
//! `kith remind` warns the owner some days before. Every move is one write: the owner's
//! change in the change log and the move, with its reason, in the pool's moves.

use std::collections::BTreeMap;

use chrono::{Duration, Local, NaiveDate, NaiveDateTime, TimeZone};
use serde::Deserialize;
use serde_json::Value;

use crate::core::dates::{iso_seconds, local_day, ymd};
use crate::core::error::Result;
use crate::domain::sales::remind::Reminder;
use crate::domain::toolkit::Env;
use crate::model::Entity;
use crate::store::{PoolMove, Reader, Standing, Writer};

/// `[pool]` of config.toml. A rule or a cap left out is off.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PoolConfig {
    /// Recycle an account without an activity for this many days.
    pub recycle_after_days: Option<u32>,
    /// Recycle an account without a new deal for this many days.
    pub recycle_without_deal_days: Option<u32>,
    /// Recycle an account not won within this many days of being claimed (or made).
    pub recycle_not_won_days: Option<u32>,
    /// Warn the owner (through `kith remind`) this many days before.
    pub warn_days: Option<u32>,
    /// Accounts won in the last this many days are not recycled.
    pub exempt_won_days: Option<u32>,
    /// A former owner may not claim an account again within this many days of losing it.
    pub reclaim_after_days: Option<u32>,
    /// A rep owns at most this many accounts.
    pub max_owned: Option<u32>,
    /// A rep claims at most this many accounts a day.
    pub claims_per_day: Option<u32>,
    /// A rep keeps at most this many accounts locked.
    pub max_locked: Option<u32>,
    /// `kith remind` sweeps the pool first.
    pub sweep_with_remind: bool,
    /// Per tier (`[pool.tier.A]`): the rules that differ for that tier's accounts.
    pub tier: BTreeMap<String, TierRules>,
}

/// `[pool.tier.X]`: what differs for the accounts of tier X.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TierRules {
    pub recycle_after_days: Option<u32>,
    pub recycle_without_deal_days: Option<u32>,
    pub recycle_not_won_days: Option<u32>,
    pub warn_days: Option<u32>,
    pub exempt_won_days: Option<u32>,
    pub reclaim_after_days: Option<u32>,
}

impl PoolConfig {
    /// The rules for an account of `tier`: the tier's, else the pool's.
    pub fn rules(&self, tier: Option<&str>) -> TierRules {
        let t = tier
            .and_then(|t| self.tier.get(t))
            .cloned()
            .unwrap_or_default();
        TierRules {
            recycle_after_days: t.recycle_after_days.or(self.recycle_after_days),
            recycle_without_deal_days: t
                .recycle_without_deal_days
                .or(self.recycle_without_deal_days),
            recycle_not_won_days: t.recycle_not_won_days.or(self.recycle_not_won_days),
            warn_days: t.warn_days.or(self.warn_days),
            exempt_won_days: t.exempt_won_days.or(self.exempt_won_days),
            reclaim_after_days: t.reclaim_after_days.or(self.reclaim_after_days),
        }
    }

    /// Whether any recycle rule is on, for any tier.
    pub fn recycles(&self) -> bool {
        let on = |r: &TierRules| {
            r.recycle_after_days.is_some()
                || r.recycle_without_deal_days.is_some()
                || r.recycle_not_won_days.is_some()
        };
        on(&self.rules(None)) || self.tier.values().any(on)
    }

    /// Refuse a tier kith does not know (`[pool.tier.D]`).
    pub fn check(&self) -> Result<()> {
        for t in self.tier.keys() {
            if !crate::domain::sales::accounts::TIERS.contains(&t.as_str()) {
                return Err(crate::err!(
                    Invalid,
                    "pool.unknown_tier",
                    tier = t,
                    tiers = crate::domain::sales::accounts::TIERS.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// Why an account falls back: the rule, its days, and the day it counts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fall {
    /// `no_follow_up`, `no_deal` or `not_won`.
    pub rule: &'static str,
    pub days: u32,
    pub since: NaiveDate,
    /// The day it falls back: `since` and `days`.
    pub due: NaiveDate,
}

impl Fall {
    /// The reason, in the language: "no follow-up for 30 days".
    pub fn reason(&self) -> String {
        reason_of(self.rule, self.days)
    }
}

/// A recycle rule and its days as words.
pub fn reason_of(rule: &str, days: u32) -> String {
    match rule {
        "no_follow_up" => crate::plural!("pool.rule.no_follow_up", days),
        "no_deal" => crate::plural!("pool.rule.no_deal", days),
        _ => crate::plural!("pool.rule.not_won", days),
    }
}

/// When an owned account (not locked, without an open deal) falls back under `rules`:
/// the soonest of its rules; None when no rule holds or it was won recently.
pub fn fall(rules: &TierRules, s: &Standing, today: NaiveDate) -> Option<Fall> {
    let day = |t: &Option<String>| t.as_deref().and_then(local_day);
    let owned = local_day(&s.owned_since).unwrap_or(today);
    let won = day(&s.last_won);
    if let (Some(n), Some(w)) = (rules.exempt_won_days, won) {
        if w + Duration::days(n as i64) >= today {
            return None;
        }
    }
    let mut falls = Vec::new();
    let mut rule = |rule: &'static str, days: Option<u32>, since: NaiveDate| {
        if let Some(days) = days {
            falls.push(Fall {
                rule,
                days,
                since,
                due: since + Duration::days(days as i64),
            });
        }
    };
    rule(
        "no_follow_up",
        rules.recycle_after_days,
        day(&s.last_activity).map_or(owned, |a| a.max(owned)),
    );
    rule(
        "no_deal",
        rules.recycle_without_deal_days,
        day(&s.last_deal).map_or(owned, |d| d.max(owned)),
    );
    if won.is_none_or(|w| w < owned) {
        rule("not_won", rules.recycle_not_won_days, owned);
    }
    falls.into_iter().min_by_key(|f| f.due)
}

/// An account recycled (or that a dry run would recycle).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Recycled {
    pub id: i64,
    pub name: String,
    pub owner: String,
    pub rule: String,
    pub days: u32,
    pub since: String,
    pub reason: String,
}

/// The owned accounts that fall back today, read by `r`.
pub fn due(r: &Reader<'_>, config: &PoolConfig, now: NaiveDateTime) -> Result<Vec<Recycled>> {
    let mut out = Vec::new();
    if !config.recycles() {
        return Ok(out);
    }
    let today = now.date();
    r.pool_standings(&iso_seconds(now), |s| {
        if let Some(f) = fall(&config.rules(s.tier.as_deref()), &s, today) {
            if f.due <= today {
                out.push(Recycled {
                    id: s.id,
                    name: s.name,
                    owner: s.owner,
                    rule: f.rule.to_string(),
                    days: f.days,
                    since: ymd(f.since),
                    reason: f.reason(),
                });
            }
        }
    })?;
    Ok(out)
}

/// Recycle what falls back today, evaluated and moved in this one write: a second sweep
/// waiting for it finds those accounts in the pool already.
pub fn sweep(w: &mut Writer<'_>, env: &Env, config: &PoolConfig) -> Result<Vec<Recycled>> {
    let moved = due(&w.reader(), config, env.clock.now())?;
    for m in &moved {
        w.update(Entity::Account, m.id, &vec![("owner".into(), Value::Null)])?;
        w.record_pool_move(&PoolMove {
            account: m.id,
            kind: "recycle",
            from: Some(m.owner.clone()),
            to: None,
            reason: None,
            rule: Some(m.rule.clone()),
            days: Some(m.days),
        })?;
    }
    Ok(moved)
}

/// The warnings of `kith remind`: each owned account that falls back within its
/// `warn_days`, to its owner, keyed by the day it falls back (a new activity moves that
/// day, and a new warning comes before it).
pub fn warnings(r: &Reader<'_>, config: &PoolConfig, now: NaiveDateTime) -> Result<Vec<Reminder>> {
    let mut out = Vec::new();
    if !config.recycles() {
        return Ok(out);
    }
    let today = now.date();
    r.pool_standings(&iso_seconds(now), |s| {
        let rules = config.rules(s.tier.as_deref());
        let Some(warn) = rules.warn_days else {
            return;
        };
        let Some(f) = fall(&rules, &s, today) else {
            return;
        };
        let left = (f.due - today).num_days();
        if left <= 0 || left > warn as i64 {
            return;
        }
        let since = match f.rule {
            "no_follow_up" => crate::tr!("pool.warn.since_follow_up", day = ymd(f.since)),
            "no_deal" => crate::tr!("pool.warn.since_deal", day = ymd(f.since)),
            _ => crate::tr!("pool.warn.since_claimed", day = ymd(f.since)),
        };
        out.push(Reminder {
            kind: "pool_warn".into(),
            title: crate::plural!("pool.warn.title", left, name = s.name, why = since),
            due: ymd(f.due),
            record_kind: "account".into(),
            record_id: s.id,
            detail: f.reason(),
            overdue: false,
            key: format!("pool_warn:{}:{}", s.id, ymd(f.due)),
            to: vec![s.owner.clone()],
        });
    })?;
    Ok(out)
}

/// The UTC stamps of the local day `today` begins and ends at.
fn day_bounds(today: NaiveDate) -> (String, String) {
    let at = |d: NaiveDate| {
        let local = d.and_time(chrono::NaiveTime::MIN);
        let utc = Local
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_else(|| chrono::Utc.from_utc_datetime(&local));
        crate::core::clock::stamp(utc)
    };
    (at(today), at(today + Duration::days(1)))
}

/// The acting user claims `ids` from the pool, all or none: each must be in the pool and
/// not have left the user too recently, and the user's caps must hold for them all.
pub fn claim(w: &mut Writer<'_>, env: &Env, config: &PoolConfig, ids: &[i64]) -> Result<()> {
    let me = env.user.clone();
    let today = env.clock.today();
    let r = w.reader();
    for &id in ids {
        let a = r
            .get(Entity::Account, id)?
            .ok_or_else(|| crate::err!(Invalid, "pool.no_account", id = id))?;
        let owner = a.text("owner");
        if !owner.is_empty() {
            return Err(crate::err!(
                Invalid,
                "pool.not_in_pool",
                name = a.label(),
                owner = owner
            ));
        }
        let rules = config.rules(a.str("tier"));
        if let (Some(n), Some(left)) = (rules.reclaim_after_days, r.left_owner(id, &me)?) {
            if let Some(day) = local_day(&left) {
                let free = day + Duration::days(n as i64);
                if today < free {
                    return Err(crate::err!(
                        NotAllowed,
                        "pool.reclaim_too_soon",
                        name = a.label(),
                        day = ymd(day),
                        days = n,
                        free = ymd(free)
                    ));
                }
            }
        }
    }
    let n = ids.len() as i64;
    if let Some(max) = config.claims_per_day {
        let (from, to) = day_bounds(today);
        let claimed = r.claims_between(&me, &from, &to)?;
        if claimed + n > max as i64 {
            return Err(crate::err!(
                NotAllowed,
                "pool.claims_per_day",
                user = me,
                claimed = claimed,
                max = max,
                n = n
            ));
        }
    }
    if let Some(max) = config.max_owned {
        let owned = r.owned_accounts(&me)?;
        if owned + n > max as i64 {
            return Err(crate::err!(
                NotAllowed,
                "pool.max_owned",
                user = me,
                owned = owned,
                max = max,
                n = n
            ));
        }
    }
    drop(r);
    for &id in ids {
        let values = vec![("owner".to_string(), Value::String(me.clone()))];
        let existing = w.reader().get(Entity::Account, id)?;
        crate::domain::team::users::check_owner(&w.reader(), &values, existing.as_ref())?;
        w.update(Entity::Account, id, &values)?;
        w.record_pool_move(&PoolMove {
            account: id,
            kind: "claim",
            from: None,
            to: Some(me.clone()),
            reason: None,
            rule: None,
            days: None,
        })?;
    }
    Ok(())
}

/// The owner gives account `id` back to the pool, saying why; its lock goes with it.
pub fn release(w: &mut Writer<'_>, env: &Env, id: i64, reason: &str) -> Result<String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(crate::err!(Invalid, "pool.reason_required"));
    }
    let a = w
        .reader()
        .get(Entity::Account, id)?
        .ok_or_else(|| crate::err!(Invalid, "pool.no_account", id = id))?;
    let owner = a.text("owner");
    if owner.is_empty() {
        return Err(crate::err!(
            Invalid,
            "pool.already_in_pool",
            name = a.label()
        ));
    }
    if owner != env.user {
        return Err(crate::err!(
            NotAllowed,
            "pool.not_yours",
            name = a.label(),
            owner = owner,
            user = env.user
        ));
    }
    w.update(Entity::Account, id, &vec![("owner".into(), Value::Null)])?;
    w.unlock_account(id)?;
    w.record_pool_move(&PoolMove {
        account: id,
        kind: "release",
        from: Some(owner),
        to: None,
        reason: Some(reason.to_string()),
        rule: None,
        days: None,
    })?;
    Ok(a.label().to_string())
}

/// Lock (or unlock) account `id` as the acting user: a locked account is never recycled.
/// Returns whether it changed. An account in the pool has no one to keep it for.
pub fn set_lock(
    w: &mut Writer<'_>,
    env: &Env,
    config: &PoolConfig,
    id: i64,
    lock: bool,
) -> Result<bool> {
    let a = w
        .reader()
        .get(Entity::Account, id)?
        .ok_or_else(|| crate::err!(Invalid, "pool.no_account", id = id))?;
    let locked = w.reader().lock_of(id)?.is_some();
    if !lock {
        return if locked {
            w.unlock_account(id)
        } else {
            Ok(false)
        };
    }
    if locked {
        return Ok(false);
    }
    if a.text("owner").is_empty() {
        return Err(crate::err!(Invalid, "pool.lock_in_pool", name = a.label()));
    }
    if let Some(max) = config.max_locked {
        let n = w.reader().locked_by(&env.user)?;
        if n >= max as i64 {
            return Err(crate::err!(
                NotAllowed,
                "pool.max_locked",
                user = env.user,
                locked = n,
                max = max
            ));
        }
    }
    w.lock_account(id)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(activity: Option<&str>, deal: Option<&str>, won: Option<&str>) -> Standing {
        Standing {
            id: 1,
            name: "Acme".into(),
            owner: "mei".into(),
            tier: Some("A".into()),
            owned_since: "2026-09-01T09:00:00Z".into(),
            last_activity: activity.map(str::to_string),
            last_deal: deal.map(str::to_string),
            last_won: won.map(str::to_string),
        }
    }

    #[test]
    fn the_soonest_rule_decides_and_a_recent_win_exempts() {
        let config: PoolConfig = toml::from_str(
            "recycle_after_days = 30\nrecycle_without_deal_days = 90\nexempt_won_days = 60\n[tier.A]\nrecycle_after_days = 10\n",
        )
        .unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let s = standing(Some("2026-11-01T10:00:00"), None, None);
        // Tier A allows 10 days from 2026-11-01: due 2026-11-11.
        let f = fall(&config.rules(Some("A")), &s, today).unwrap();
        assert_eq!(
            (f.rule, f.days, ymd(f.due)),
            ("no_follow_up", 10, "2026-11-11".into())
        );
        // Tier B: 30 days from 2026-11-01 is 2026-12-01; 90 days without a deal from
        // the claim (2026-09-01) is 2026-11-30, sooner.
        let f = fall(&config.rules(Some("B")), &s, today).unwrap();
        assert_eq!((f.rule, ymd(f.due)), ("no_deal", "2026-11-30".into()));
        // Won 2026-10-01: within 60 days, exempt.
        let s = standing(None, None, Some("2026-10-01"));
        assert_eq!(fall(&config.rules(Some("A")), &s, today), None);
        assert!(PoolConfig::default()
            .rules(None)
            .recycle_after_days
            .is_none());
        assert!(!PoolConfig::default().recycles());
        let bad: PoolConfig = toml::from_str("[tier.D]\nwarn_days = 1\n").unwrap();
        assert!(bad.check().unwrap_err().to_string().contains('D'));
    }
}
