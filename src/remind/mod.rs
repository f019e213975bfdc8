//! `kith remind`, the cron face: what is due or overdue, and the customer-care rules
//! (客户关怀) — accounts nobody has contacted for longer than their tier allows, deals gone
//! stale, birthdays coming up. Each reminder occurrence has a key and is delivered once:
//! a run claims the keys it will deliver (in one write transaction, so two runs at the same
//! moment cannot both claim one), delivers, then marks them delivered, or drops the claims
//! of those whose delivery failed so the next run tries again.

pub mod deliver;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use crate::config::Care;
use crate::crm::Crm;
use crate::dates::{local_day as local_date, Span, When};
use crate::error::Result;
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
    crm: &Crm,
    within: Option<Span>,
    care: &Care,
    which: Which,
) -> Result<Vec<Reminder>> {
    let now = crm.env.clock.now();
    let today = now.date();
    let limit = match within {
        Some(span) => match span.add_to(When::DateTime(now))? {
            When::DateTime(t) => t,
            When::Date(d) => d.and_hms_opt(23, 59, 59).unwrap_or(now),
        },
        None => today.and_hms_opt(23, 59, 59).unwrap_or(now),
    };
    let first = |r: &Reader<'_>| -> Result<Vec<Reminder>> {
        let mut out = tasks(r, now, limit, which)?;
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
        Ok(out)
    };
    let (mut out, rest) = crm.store.read_both(first, second)?;
    out.extend(rest);
    Ok(out)
}

/// The keys of one kind delivered already, when only undelivered reminders are wanted.
fn delivered(r: &Reader<'_>, kind: &str, which: Which) -> Result<Option<HashSet<String>>> {
    match which {
        Which::All => Ok(None),
        Which::Undelivered => Ok(Some(r.delivered(kind)?)),
    }
}

fn is_new(done: &Option<HashSet<String>>, key: &str) -> bool {
    done.as_ref().is_none_or(|d| !d.contains(key))
}

fn iso(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn tasks(
    r: &Reader<'_>,
    now: NaiveDateTime,
    limit: NaiveDateTime,
    which: Which,
) -> Result<Vec<Reminder>> {
    let done = delivered(r, "task", which)?;
    // Keys from the index first; whole tasks only for those to remind about.
    let due: Vec<(i64, String)> = r
        .open_tasks_due(&iso(limit))?
        .into_iter()
        .filter(|(id, due)| is_new(&done, &format!("task:{id}:{due}")))
        .collect();
    let ids: Vec<i64> = due.iter().map(|(id, _)| *id).collect();
    let mut tasks: HashMap<i64, crate::record::Record> = r
        .get_many(Entity::Task, &ids)?
        .into_iter()
        .map(|t| (t.id(), t))
        .collect();
    let today = now.date().format("%Y-%m-%d").to_string();
    let now_iso = iso(now);
    Ok(due
        .into_iter()
        .filter_map(|(id, due)| Some((tasks.remove(&id)?, id, due)))
        .map(|(t, id, due)| {
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
    let done = delivered(r, "no_contact", which)?;
    let mut out = Vec::new();
    for a in r.account_touches(&iso(now))? {
        let since_text = a
            .last_activity
            .clone()
            .unwrap_or_else(|| a.created_at.clone());
        let Some(since) = local_date(&since_text) else {
            continue;
        };
        let allowed = care.no_contact_days.for_tier(a.extra.as_deref());
        let due = since + Duration::days(allowed as i64);
        if due > today {
            continue;
        }
        let key = format!("no_contact:{}:{}", a.id, crate::dates::ymd(since));
        if !is_new(&done, &key) {
            continue;
        }
        let days = (today - since).num_days();
        let tier = a.extra.clone().unwrap_or_else(|| "none".into());
        let what = if a.last_activity.is_some() {
            "No contact with"
        } else {
            "Never contacted:"
        };
        out.push(Reminder {
            kind: "no_contact".into(),
            title: format!("{what} {} for {days} days", a.name),
            due: crate::dates::ymd(due),
            record_kind: "account".into(),
            record_id: a.id,
            detail: format!("tier {tier} allows {allowed} days"),
            overdue: due < today,
            key,
        });
    }
    Ok(out)
}

fn stale_deals(
    r: &Reader<'_>,
    now: NaiveDateTime,
    days: u32,
    which: Which,
) -> Result<Vec<Reminder>> {
    let today = now.date();
    let done = delivered(r, "stale_deal", which)?;
    let mut out = Vec::new();
    let mut accounts = Vec::new();
    for d in r.deal_touches(&iso(now))? {
        let since_text = d
            .last_activity
            .clone()
            .unwrap_or_else(|| d.created_at.clone());
        let Some(since) = local_date(&since_text) else {
            continue;
        };
        let quiet_from = since + Duration::days(days as i64);
        let close = d.extra.as_deref().and_then(local_date);
        let past_close = close.filter(|c| *c < today);
        let quiet = quiet_from <= today;
        if !quiet && past_close.is_none() {
            continue;
        }
        let key = format!(
            "stale_deal:{}:{}:{}",
            d.id,
            crate::dates::ymd(since),
            d.extra.as_deref().unwrap_or("")
        );
        if !is_new(&done, &key) {
            continue;
        }
        let mut why = Vec::new();
        if quiet {
            why.push(format!(
                "no activity for {} days",
                (today - since).num_days()
            ));
        }
        if let Some(c) = past_close {
            why.push(format!("expected to close {c}"));
        }
        let due = match (quiet, past_close) {
            (true, Some(c)) => quiet_from.min(c),
            (true, None) => quiet_from,
            (false, Some(c)) => c,
            (false, None) => today,
        };
        accounts.push(d.account_id);
        out.push(Reminder {
            kind: "stale_deal".into(),
            title: format!("Stale deal: {} ({})", d.name, why.join(", ")),
            due: crate::dates::ymd(due),
            record_kind: "deal".into(),
            record_id: d.id,
            detail: String::new(),
            overdue: due < today,
            key,
        });
    }
    // The accounts' names, for the deals reminded about only.
    let ids: Vec<i64> = accounts.iter().flatten().copied().collect();
    let names = r.names(Entity::Account, &ids)?;
    for (item, account) in out.iter_mut().zip(accounts) {
        if let Some(name) = account.and_then(|a| names.get(&a)) {
            item.detail = name.clone();
        }
    }
    Ok(out)
}

fn birthdays(r: &Reader<'_>, today: NaiveDate, days: u32, which: Which) -> Result<Vec<Reminder>> {
    let done = delivered(r, "birthday", which)?;
    Ok(r.birthdays(today, days)?
        .into_iter()
        .filter(|(c, day)| is_new(&done, &format!("birthday:{}:{day}", c.id())))
        .map(|(c, day)| {
            let born = c.str("birthday").and_then(local_date);
            // A placeholder year (1900 or before) says nothing of the age.
            let age = born
                .filter(|b| b.year() > 1900)
                .map(|b| day.year() - b.year());
            let when = if day == today {
                "today".to_string()
            } else {
                format!("on {}", day.format("%a %Y-%m-%d"))
            };
            let mut detail = c.text("account");
            if let Some(a) = age.filter(|a| *a > 0) {
                detail = if detail.is_empty() {
                    format!("turns {a}")
                } else {
                    format!("turns {a} · {detail}")
                };
            }
            Reminder {
                kind: "birthday".into(),
                title: format!("Birthday of {} {when}", c.label()),
                due: day.format("%Y-%m-%d").to_string(),
                record_kind: "contact".into(),
                record_id: c.id(),
                detail,
                overdue: false,
                key: format!("birthday:{}:{day}", c.id()),
            }
        })
        .collect())
}

/// Keep only the reminders not delivered yet.
pub fn undelivered(crm: &Crm, items: Vec<Reminder>) -> Result<Vec<Reminder>> {
    let r = crm.reader();
    let mut done: HashMap<String, HashSet<String>> = HashMap::new();
    let mut out = Vec::new();
    for item in items {
        let keys = match done.entry(item.kind.clone()) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(r.delivered(&item.kind)?),
        };
        if !keys.contains(&item.key) {
            out.push(item);
        }
    }
    Ok(out)
}

/// Claim reminders for this run: those not delivered and not being delivered by another
/// run. All in one write transaction.
pub fn claim(crm: &mut Crm, items: Vec<Reminder>) -> Result<Vec<Reminder>> {
    // Nothing new: no write (and no wait for another process's).
    if items.is_empty() {
        return Ok(items);
    }
    let stale = crate::clock::stamp(crm.env.clock.utc() - Duration::minutes(STALE_CLAIM_MINUTES));
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
pub fn settle(crm: &mut Crm, delivered: &[String], failed: &[String]) -> Result<()> {
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
        Ok(())
    })
}
