//! `kith remind`, the cron face: what is due or overdue, and the customer-care rules
//! (客户关怀) — accounts nobody has contacted for longer than their tier allows, deals gone
//! stale, birthdays coming up. Each reminder occurrence has a key and is delivered once:
//! a run claims the keys it will deliver (in one write transaction, so two runs at the same
//! moment cannot both claim one), delivers, marking each delivered as soon as it has gone
//! out, and drops the claims of those whose delivery failed so the next run tries again.

pub mod care;
pub mod deliver;
pub mod sweep;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fmt::Write as _;

pub use care::Care;
pub use sweep::Plan;

use arrayvec::ArrayString;
use foldhash::HashSet;

use crate::core::dates::{iso_seconds, local_day as local_date, Span, When};
use crate::core::error::Result;
use crate::domain::toolkit::Door;
use crate::model::Entity;
use crate::store::Reader;

/// A claim older than this is taken to be from a run that died, and is claimed again.
const STALE_CLAIM_MINUTES: i64 = 10;

/// One reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    /// `task`, `no_contact`, `stale_deal` or `birthday`.
    pub kind: String,
    pub title: String,
    /// When it is (or was) due: a date or a local date-time, ISO 8601.
    pub due: String,
    /// The record it concerns.
    pub record_kind: String,
    pub record_id: i64,
    /// A line of context: the account, the stage, the age.
    pub detail: String,
    /// Due before now.
    pub overdue: bool,
    /// What makes this occurrence unique; delivered once per key.
    pub key: String,
    /// Whom it is for, by login, when a rule says (an escalation: the case's assignee and
    /// their manager); empty for whoever runs `kith remind`.
    pub to: Vec<String>,
}

/// Which reminders [`collect`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Every reminder due, delivered before or not (`kith remind --all`).
    All,
    /// Only those not delivered yet: each rule leaves out the keys already delivered
    /// before it reads anything more about the rest.
    Undelivered,
}

/// What to remind about as of the clock: open tasks due up to the end of today (or within
/// `within` from now), and the care rules' hits. Tasks and accounts are read on this
/// thread while deals and birthdays are read on a second connection on another.
pub fn collect(
    crm: &impl Door,
    within: Option<Span>,
    care: &Care,
    which: Which,
) -> Result<Vec<Reminder>> {
    Ok(collect_planned(crm, within, care, which)?.0)
}

/// [`collect`], and for undelivered reminders the plan that left out the quiet rules
/// ([`sweep`]): [`record`] it once everything found is delivered.
pub fn collect_planned(
    crm: &impl Door,
    within: Option<Span>,
    care: &Care,
    which: Which,
) -> Result<(Vec<Reminder>, Option<Plan>)> {
    let now = crm.env().clock.now();
    let utc = crm.env().clock.utc();
    let today = now.date();
    let limit = match within {
        Some(span) => match span.add_to(When::DateTime(now))? {
            When::DateTime(t) => t,
            When::Date(d) => d.and_hms_opt(23, 59, 59).unwrap_or(now),
        },
        None => today.and_hms_opt(23, 59, 59).unwrap_or(now),
    };
    let plan = match which {
        Which::Undelivered => Some(Plan::read(crm, care, now, limit)?),
        Which::All => None,
    };
    let with_tasks = !plan.as_ref().is_some_and(|p| p.quiet("task"));
    let care = &plan.as_ref().map_or_else(|| care.clone(), |p| p.care(care));
    let first = |r: &Reader<'_>| -> Result<Vec<Reminder>> {
        let mut out = if with_tasks {
            tasks(r, now, limit, which)?
        } else {
            vec![]
        };
        if care.no_contact {
            out.extend(no_contact(r, now, care, which)?);
        }
        Ok(out)
    };
    let second = |r: &Reader<'_>| -> Result<Vec<Reminder>> {
        let mut out = Vec::new();
        if care.stale_deal {
            out.extend(stale_deals(r, now, care.stale_deal_days, which)?);
        }
        if care.birthday {
            out.extend(birthdays(r, today, care.birthday_days, which)?);
        }
        out.extend(cash(r, today, care, which)?);
        out.extend(service(r, utc, care, which)?);
        Ok(out)
    };
    let (mut out, rest) = crm.store().read_both(first, second)?;
    out.extend(rest);
    Ok((out, plan))
}

/// Record what a run read whole (see [`sweep`]), once everything it found is delivered
/// and none of it was another run's to deliver.
pub fn record(crm: &mut impl Door, plan: &Plan, care: &Care) -> Result<()> {
    let sweeps = plan.sweeps(&crm.store().reader(), care)?;
    if sweeps.is_empty() {
        return Ok(());
    }
    crm.write(|w, _| w.record_sweeps(&sweeps))
}

/// The longest key held inline by [`Delivered`]: every key kith makes for ids below ten
/// digits (`stale_deal:123456789:2026-11-22:2026-12-31` is 42 bytes).
const INLINE_KEY: usize = 48;

/// The keys of one kind delivered already, by record id. A run looks up one key per
/// candidate (tens of thousands on a large database); the rules go through their records
/// in id order, so a lookup moves a cursor forward through this sorted list instead of
/// hashing: no allocation per key, memory read in order.
#[derive(Default)]
struct Delivered {
    /// (record id, key), sorted.
    keys: Vec<(i64, ArrayString<INLINE_KEY>)>,
    /// Keys too long to hold inline.
    long: HashSet<String>,
    /// Where the last lookup ended.
    at: usize,
}

impl Delivered {
    fn read(r: &Reader<'_>, kind: &str) -> Result<Delivered> {
        let mut d = Delivered::default();
        r.delivered(kind, |id, key| match ArrayString::from(key) {
            Ok(k) => d.keys.push((id, k)),
            Err(_) => {
                d.long.insert(key.to_string());
            }
        })?;
        Ok(d)
    }

    /// Whether `key` (of record `id`) was delivered. Fastest when asked in id order; any
    /// order gives the right answer.
    fn contains(&mut self, id: i64, key: &str) -> bool {
        if key.len() > INLINE_KEY {
            return self.long.contains(key);
        }
        if self.at > 0 && self.keys.get(self.at - 1).is_some_and(|(i, _)| *i >= id) {
            self.at = self.keys.partition_point(|(i, _)| *i < id);
        }
        while self.keys.get(self.at).is_some_and(|(i, _)| *i < id) {
            self.at += 1;
        }
        self.keys[self.at..]
            .iter()
            .take_while(|(i, _)| *i == id)
            .any(|(_, k)| k.as_str() == key)
    }
}

/// The keys of one kind delivered already, when only undelivered reminders are wanted.
fn delivered(r: &Reader<'_>, kind: &str, which: Which) -> Result<Option<Delivered>> {
    match which {
        Which::All => Ok(None),
        Which::Undelivered => Ok(Some(Delivered::read(r, kind)?)),
    }
}

fn is_new(done: &mut Option<Delivered>, id: i64, key: &str) -> bool {
    done.as_mut().is_none_or(|d| !d.contains(id, key))
}

fn tasks(
    r: &Reader<'_>,
    now: NaiveDateTime,
    limit: NaiveDateTime,
    which: Which,
) -> Result<Vec<Reminder>> {
    let mut done = delivered(r, "task", which)?;
    // Keys from the index first (soonest first; the due dates kept in one string), looked
    // up in id order; whole tasks only for those to remind about.
    let mut dues = String::new();
    let mut found: Vec<(i64, usize, usize)> = Vec::new();
    r.open_tasks_due(&iso_seconds(limit), |id, when| {
        found.push((id, dues.len(), dues.len() + when.len()));
        dues.push_str(when);
    })?;
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_unstable_by_key(|&i| found[i].0);
    let mut key = String::new();
    let mut fresh = Vec::new();
    for i in order {
        let (id, from, to) = found[i];
        key.clear();
        let _ = write!(key, "task:{id}:{}", &dues[from..to]);
        if is_new(&mut done, id, &key) {
            fresh.push(i);
        }
    }
    fresh.sort_unstable();
    let due: Vec<(i64, String)> = fresh
        .into_iter()
        .map(|i| (found[i].0, dues[found[i].1..found[i].2].to_string()))
        .collect();
    let today = now.date().format("%Y-%m-%d").to_string();
    let now_iso = iso_seconds(now);
    Ok(r.get_paired(Entity::Task, due)?
        .into_iter()
        .map(|(t, due)| {
            let id = t.id();
            let overdue = if due.len() == 10 {
                due < today
            } else {
                due < now_iso
            };
            Reminder {
                kind: "task".into(),
                title: t.label().to_string(),
                key: format!("task:{id}:{due}"),
                due,
                record_kind: "task".into(),
                record_id: id,
                detail: t.text("account"),
                overdue,
                to: vec![],
            }
        })
        .collect())
}

fn no_contact(
    r: &Reader<'_>,
    now: NaiveDateTime,
    care: &Care,
    which: Which,
) -> Result<Vec<Reminder>> {
    let today = now.date();
    let mut done = delivered(r, "no_contact", which)?;
    let mut key = String::new();
    // (reminder without the account's name in its title, the title's start)
    let mut found: Vec<(Reminder, &str)> = Vec::new();
    r.account_touches(&iso_seconds(now), |a| {
        let Some(since) = local_date(a.last_activity.unwrap_or(a.created_at)) else {
            return Ok(());
        };
        let allowed = care.no_contact_days.for_tier(a.extra);
        let due = since + Duration::days(allowed as i64);
        if due > today {
            return Ok(());
        }
        key.clear();
        let _ = write!(
            key,
            "no_contact:{}:{}",
            a.id,
            crate::core::dates::ymd(since)
        );
        if !is_new(&mut done, a.id, &key) {
            return Ok(());
        }
        let days = (today - since).num_days();
        let what = if a.last_activity.is_some() {
            crate::tr!("remind.no_contact_with")
        } else {
            crate::tr!("remind.never_contacted")
        };
        found.push((
            Reminder {
                kind: "no_contact".into(),
                title: crate::plural!("remind.for_days", days),
                due: crate::core::dates::ymd(due),
                record_kind: "account".into(),
                record_id: a.id,
                detail: crate::plural!(
                    "remind.tier_allows",
                    allowed,
                    tier = a.extra.unwrap_or("none")
                ),
                overdue: due < today,
                key: key.clone(),
                to: vec![],
            },
            what,
        ));
        Ok(())
    })?;
    // The names, for the accounts reminded about only.
    let ids: Vec<i64> = found.iter().map(|(item, _)| item.record_id).collect();
    let names = r.names(Entity::Account, &ids)?;
    Ok(found
        .into_iter()
        .map(|(mut item, what)| {
            let name = names.get(&item.record_id).map_or("", String::as_str);
            item.title = crate::tr!(
                "remind.no_contact_title",
                what = what,
                name = name,
                rest = item.title
            );
            item
        })
        .collect())
}

fn stale_deals(
    r: &Reader<'_>,
    now: NaiveDateTime,
    days: u32,
    which: Which,
) -> Result<Vec<Reminder>> {
    let today = now.date();
    let mut done = delivered(r, "stale_deal", which)?;
    let mut key = String::new();
    // (reminder without the deal's title in its title, the deal's account)
    let mut found: Vec<(Reminder, Option<i64>)> = Vec::new();
    r.deal_touches(&iso_seconds(now), |d| {
        let Some(since) = local_date(d.last_activity.unwrap_or(d.created_at)) else {
            return Ok(());
        };
        let quiet_from = since + Duration::days(days as i64);
        let close = d.extra.and_then(local_date);
        let past_close = close.filter(|c| *c < today);
        let quiet = quiet_from <= today;
        if !quiet && past_close.is_none() {
            return Ok(());
        }
        key.clear();
        let _ = write!(
            key,
            "stale_deal:{}:{}:{}",
            d.id,
            crate::core::dates::ymd(since),
            d.extra.unwrap_or("")
        );
        if !is_new(&mut done, d.id, &key) {
            return Ok(());
        }
        let mut why = Vec::new();
        if quiet {
            why.push(crate::plural!(
                "remind.no_activity_for",
                (today - since).num_days()
            ));
        }
        if let Some(c) = past_close {
            why.push(crate::tr!("remind.expected_to_close", date = c));
        }
        let due = match (quiet, past_close) {
            (true, Some(c)) => quiet_from.min(c),
            (true, None) => quiet_from,
            (false, Some(c)) => c,
            (false, None) => today,
        };
        found.push((
            Reminder {
                kind: "stale_deal".into(),
                title: crate::tr!("remind.why", why = why.join(", ")),
                due: crate::core::dates::ymd(due),
                record_kind: "deal".into(),
                record_id: d.id,
                detail: String::new(),
                overdue: due < today,
                key: key.clone(),
                to: vec![],
            },
            d.account_id,
        ));
        Ok(())
    })?;
    // The deals' titles and their accounts' names, for the deals reminded about only.
    let ids: Vec<i64> = found.iter().map(|(item, _)| item.record_id).collect();
    let titles = r.names(Entity::Deal, &ids)?;
    let ids: Vec<i64> = found.iter().filter_map(|(_, account)| *account).collect();
    let names = r.names(Entity::Account, &ids)?;
    Ok(found
        .into_iter()
        .map(|(mut item, account)| {
            let title = titles.get(&item.record_id).map_or("", String::as_str);
            item.title = crate::tr!("remind.stale_deal", title = title, rest = item.title);
            if let Some(name) = account.and_then(|a| names.get(&a)) {
                item.detail = name.clone();
            }
            item
        })
        .collect())
}

fn birthdays(r: &Reader<'_>, today: NaiveDate, days: u32, which: Which) -> Result<Vec<Reminder>> {
    let mut done = delivered(r, "birthday", which)?;
    // Keys from the index first; whole contacts only for those to remind about.
    let due: Vec<(i64, NaiveDate)> = r
        .birthday_days(today, days)?
        .into_iter()
        .filter(|(id, day)| is_new(&mut done, *id, &format!("birthday:{id}:{day}")))
        .collect();
    Ok(r.get_paired(Entity::Contact, due)?
        .into_iter()
        .map(|(c, day)| {
            let born = c.str("birthday").and_then(local_date);
            // A placeholder year (1900 or before) says nothing of the age.
            let age = born
                .filter(|b| b.year() > 1900)
                .map(|b| day.year() - b.year());
            let when = if day == today {
                crate::tr!("remind.today").to_string()
            } else {
                crate::tr!("remind.on_day", day = crate::core::dates::day_text(day))
            };
            let mut detail = c.text("account");
            if let Some(a) = age.filter(|a| *a > 0) {
                detail = if detail.is_empty() {
                    crate::tr!("remind.turns", age = a)
                } else {
                    crate::tr!("remind.turns_at", age = a, account = detail)
                };
            }
            Reminder {
                kind: "birthday".into(),
                title: crate::tr!("remind.birthday_of", name = c.label(), when = when),
                due: day.format("%Y-%m-%d").to_string(),
                record_kind: "contact".into(),
                record_id: c.id(),
                detail,
                overdue: false,
                key: format!("birthday:{}:{day}", c.id()),
                to: vec![],
            }
        })
        .collect())
}

/// The quote-to-cash rules' reminders ([`crate::domain::commerce::remind`]), with the
/// keys delivered already left out.
fn cash(r: &Reader<'_>, today: NaiveDate, care: &Care, which: Which) -> Result<Vec<Reminder>> {
    let mut done: HashMap<&str, Option<Delivered>> = HashMap::new();
    for rule in crate::domain::commerce::remind::RULES {
        if care.is_on(rule) {
            done.insert(rule, delivered(r, rule, which)?);
        }
    }
    let mut fresh = |rule: &str, id: i64, key: &str| -> bool {
        done.get_mut(rule).is_none_or(|d| is_new(d, id, key))
    };
    crate::domain::commerce::remind::collect(r, today, care, &mut fresh)
}

/// The escalations of the service desk.
fn service(
    r: &Reader<'_>,
    now: chrono::DateTime<chrono::Utc>,
    care: &Care,
    which: Which,
) -> Result<Vec<Reminder>> {
    let mut done: HashMap<&str, Option<Delivered>> = HashMap::new();
    for rule in crate::domain::service::remind::RULES {
        if care.is_on(rule) {
            done.insert(rule, delivered(r, rule, which)?);
        }
    }
    let mut fresh = |rule: &str, id: i64, key: &str| -> bool {
        done.get_mut(rule).is_none_or(|d| is_new(d, id, key))
    };
    crate::domain::service::remind::collect(r, now, care, &mut fresh)
}

/// Keep only the reminders not delivered yet.
pub fn undelivered(crm: &impl Door, items: Vec<Reminder>) -> Result<Vec<Reminder>> {
    let r = crm.store().reader();
    let mut done: HashMap<String, Delivered> = HashMap::new();
    let mut out = Vec::new();
    for item in items {
        let keys = match done.entry(item.kind.clone()) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(Delivered::read(&r, &item.kind)?),
        };
        if !keys.contains(item.record_id, &item.key) {
            out.push(item);
        }
    }
    Ok(out)
}

/// Claim reminders for this run: those not delivered and not being delivered by another
/// run. All in one write transaction.
pub fn claim(crm: &mut impl Door, items: Vec<Reminder>) -> Result<Vec<Reminder>> {
    // Nothing new: no write (and no wait for another process's).
    if items.is_empty() {
        return Ok(items);
    }
    let stale =
        crate::core::clock::stamp(crm.env().clock.utc() - Duration::minutes(STALE_CLAIM_MINUTES));
    crm.write(|w, _| {
        let mut mine = Vec::new();
        for r in items {
            if w.claim_delivery(&r.key, &r.kind, (&r.record_kind, r.record_id), &stale)? {
                mine.push(r);
            }
        }
        Ok(mine)
    })
}

/// After delivery: the delivered keys are done, the failed ones go back for the next run.
pub fn settle(crm: &mut impl Door, delivered: &[String], failed: &[String]) -> Result<()> {
    if delivered.is_empty() && failed.is_empty() {
        return Ok(());
    }
    crm.write(|w, _| {
        for k in delivered {
            w.mark_delivered(k)?;
        }
        for k in failed {
            w.drop_claim(k)?;
        }
        // A rule whose reminder did not go out is read whole again next time.
        let mut rules: Vec<&str> = failed.iter().filter_map(|k| k.split(':').next()).collect();
        rules.sort_unstable();
        rules.dedup();
        w.forget_sweeps(&rules)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivered_keys_are_found_in_any_order_and_long_ones_too() {
        let long = format!("task:1:{}", "x".repeat(60));
        let mut d = Delivered::default();
        for (id, key) in [
            (1, "task:1:a"),
            (1, "task:1:b"),
            (3, "task:3:c"),
            (7, "task:7:d"),
        ] {
            d.keys.push((id, ArrayString::from(key).unwrap()));
        }
        d.long.insert(long.clone());
        // In id order, as the rules ask.
        assert!(d.contains(1, "task:1:a"));
        assert!(d.contains(1, "task:1:b"));
        assert!(!d.contains(2, "task:2:a"));
        assert!(d.contains(3, "task:3:c"));
        assert!(!d.contains(3, "task:3:x"));
        // Backwards, and past the end.
        assert!(d.contains(1, "task:1:b"));
        assert!(!d.contains(0, "task:1:a"));
        assert!(d.contains(7, "task:7:d"));
        assert!(!d.contains(9, "task:9:d"));
        assert!(d.contains(3, "task:3:c"));
        assert!(d.contains(1, &long));
        assert!(!d.contains(1, &format!("{long}y")));
    }
}
