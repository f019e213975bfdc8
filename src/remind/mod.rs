//! `kith remind`, the cron face: what is due or overdue, and the customer-care rules
//! (客户关怀) — accounts nobody has contacted for longer than their tier allows, deals gone
//! stale, birthdays coming up. Each reminder occurrence has a key and is delivered once:
//! a run claims the keys it will deliver (in one write transaction, so two runs at the same
//! moment cannot both claim one), delivers, then marks them delivered, or drops the claims
//! of those whose delivery failed so the next run tries again.

pub mod deliver;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::config::Care;
use crate::crm::{list_query, Crm};
use crate::dates::{Span, When};
use crate::error::Result;
use crate::model::Entity;
use crate::query::{Op, Term};

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

/// Everything to remind about as of the clock: open tasks due up to the end of today (or
/// within `within` from now), and the care rules' hits.
pub fn collect(crm: &Crm, within: Option<Span>, care: &Care) -> Result<Vec<Reminder>> {
    let now = crm.env.clock.now();
    let today = now.date();
    let limit = match within {
        Some(span) => match span.add_to(When::DateTime(now))? {
            When::DateTime(t) => t,
            When::Date(d) => d.and_hms_opt(23, 59, 59).unwrap_or(now),
        },
        None => today.and_hms_opt(23, 59, 59).unwrap_or(now),
    };
    let mut out = tasks(crm, now, limit)?;
    if care.no_contact {
        out.extend(no_contact(crm, today, care)?);
    }
    if care.stale_deal {
        out.extend(stale_deals(crm, today, care.stale_deal_days)?);
    }
    if care.birthday {
        out.extend(birthdays(crm, today, care.birthday_days)?);
    }
    Ok(out)
}

fn iso(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn tasks(crm: &Crm, now: NaiveDateTime, limit: NaiveDateTime) -> Result<Vec<Reminder>> {
    let terms = vec![
        Term::Field {
            field: "done".into(),
            op: Op::Eq,
            value: "no".into(),
        },
        Term::Field {
            field: "due".into(),
            op: Op::Le,
            value: iso(limit),
        },
    ];
    let today = now.date().format("%Y-%m-%d").to_string();
    let now_iso = iso(now);
    Ok(crm
        .list(Entity::Task, &list_query(terms, "due,id", None))?
        .into_iter()
        .map(|t| {
            let due = t.str("due").unwrap_or("").to_string();
            let overdue = if due.len() == 10 {
                due < today
            } else {
                due < now_iso
            };
            let account = t.text("account");
            Reminder {
                kind: "task".into(),
                title: t.label().to_string(),
                key: format!("task:{}:{due}", t.id()),
                due,
                record_kind: "task".into(),
                record_id: t.id(),
                detail: account,
                overdue,
            }
        })
        .collect())
}

/// The local date of a UTC stamp or a local date-time.
fn local_date(s: &str) -> Option<NaiveDate> {
    if s.ends_with('Z') {
        chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&chrono::Local).date_naive())
    } else {
        NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
    }
}

fn no_contact(crm: &Crm, today: NaiveDate, care: &Care) -> Result<Vec<Reminder>> {
    let now = iso(crm.env.clock.now());
    let mut out = Vec::new();
    for a in crm.reader().account_touches(&now)? {
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
            due: due.format("%Y-%m-%d").to_string(),
            record_kind: "account".into(),
            record_id: a.id,
            detail: format!("tier {tier} allows {allowed} days"),
            overdue: due < today,
            key: format!("no_contact:{}:{since}", a.id),
        });
    }
    Ok(out)
}

fn stale_deals(crm: &Crm, today: NaiveDate, days: u32) -> Result<Vec<Reminder>> {
    let now = iso(crm.env.clock.now());
    let mut out = Vec::new();
    for d in crm.reader().deal_touches(&now)? {
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
        out.push(Reminder {
            kind: "stale_deal".into(),
            title: format!("Stale deal: {} ({})", d.name, why.join(", ")),
            due: due.format("%Y-%m-%d").to_string(),
            record_kind: "deal".into(),
            record_id: d.id,
            detail: d.account.clone().unwrap_or_default(),
            overdue: due < today,
            key: format!(
                "stale_deal:{}:{since}:{}",
                d.id,
                d.extra.as_deref().unwrap_or("")
            ),
        });
    }
    Ok(out)
}

fn birthdays(crm: &Crm, today: NaiveDate, days: u32) -> Result<Vec<Reminder>> {
    use chrono::Datelike;
    Ok(crm
        .reader()
        .birthdays(today, days)?
        .into_iter()
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
    let keys: Vec<String> = items.iter().map(|r| r.key.clone()).collect();
    let done = crm.reader().delivered(&keys)?;
    Ok(items
        .into_iter()
        .filter(|r| !done.contains(&r.key))
        .collect())
}

/// Claim reminders for this run: those not delivered and not being delivered by another
/// run. All in one write transaction.
pub fn claim(crm: &mut Crm, items: Vec<Reminder>) -> Result<Vec<Reminder>> {
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
