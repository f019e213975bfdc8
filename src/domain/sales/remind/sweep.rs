//! Which rules can have nothing new, known before reading them. A run that delivered
//! everything it found records, for each rule it read whole, a sweep: the rule's settings
//! and reader (its scope), the last change of the change log it had seen, and its horizon —
//! the reach (the end of the rule's look-ahead) from which time alone could give it
//! something new. A later run with the same scope, not earlier in time, whose reach is
//! before the horizon, while no record of a kind the rule reads has changed since, finds
//! nothing new in that rule: it does not read it (the rule is quiet).
//!
//! Each rule's horizon is worked out from how it decides: the task rule's is the soonest
//! due date after its reach; the day rules (no contact, stale deals, birthdays, the
//! quote-to-cash rules) decide by the day, so theirs is the next midnight, and sooner when
//! an activity dated ahead comes due and can make a reminder due at once (a deal past its
//! close gets a new key with its new latest activity; an account with a tier that allows 0
//! days, too). No horizon is later than the next midnight: every rule is read whole once a
//! day at least, so a row another program wrote into the file without the change log is
//! seen by the first run of the next day. What a run found and did not deliver forgets its rule's
//! sweeps ([`super::settle`]), and a run that found reminders another run had claimed
//! records none: the next run reads those rules whole again.

use chrono::{Duration, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

use super::Care;
use crate::core::dates::iso_seconds;
use crate::core::error::Result;
use crate::domain::toolkit::Door;
use crate::model::Entity;
use crate::store::{Reader, Sweep};

/// The kinds of record the quote-to-cash rules read (an item's payments and contract, an
/// order's contract, a quote).
const CASH: &[Entity] = &[
    Entity::Plan,
    Entity::Payment,
    Entity::Contract,
    Entity::Quote,
    Entity::Order,
    Entity::Invoice,
];

/// Each rule, as its reminders' kind names it, and the kinds of record it reads. Users
/// are read by every rule: who sees what is theirs.
/// The kinds of record the escalations read (a case, its policy and calendar).
const SERVICE: &[Entity] = &[
    Entity::Case,
    Entity::Sla,
    Entity::Calendar,
    Entity::CalendarDay,
];

pub const RULES: [(&str, &[Entity]); 11] = [
    ("task", &[Entity::Task]),
    ("no_contact", &[Entity::Account, Entity::Activity]),
    ("stale_deal", &[Entity::Deal, Entity::Activity]),
    ("birthday", &[Entity::Contact]),
    ("plan_due", CASH),
    ("payment_overdue", CASH),
    ("contract_expiring", CASH),
    ("quote_expiring", CASH),
    ("case_at_risk", SERVICE),
    ("case_breached", SERVICE),
    ("case_unassigned", SERVICE),
];

/// What a run knows of its rules before it reads them.
pub struct Plan {
    /// The change log's last entry when the run began.
    mark: i64,
    /// The run's moment, local ISO.
    now: String,
    /// The run's day.
    today: NaiveDate,
    rules: Vec<Planned>,
}

struct Planned {
    rule: &'static str,
    /// Whether the rule is on.
    on: bool,
    scope: String,
    /// What the rule's horizon is compared with: the end of its look-ahead.
    reach: String,
    /// The horizon of the sweep that makes it quiet; None when it is to be read.
    quiet: Option<Option<String>>,
}

impl Plan {
    /// Which rules are quiet for a run at `now` whose tasks reach `limit`.
    pub fn read(
        crm: &impl Door,
        care: &Care,
        now: NaiveDateTime,
        limit: NaiveDateTime,
    ) -> Result<Plan> {
        let r = crm.store().reader();
        let mark = r.change_mark()?;
        let sweeps = r.sweeps()?;
        // The local time's offset from UTC, in seconds, at `now`.
        let offset = Local
            .offset_from_local_datetime(&now)
            .earliest()
            .map_or(0, |o| o.local_minus_utc());
        let common = format!(
            "{:?}|v{}|{offset}",
            crm.store().visibility(),
            crm.store().schema_version()?
        );
        let scopes: Vec<String> = RULES
            .iter()
            .map(|&(rule, _)| format!("{}|{common}", settings(care, rule)))
            .collect();
        let mine = |s: &Sweep| {
            RULES
                .iter()
                .zip(&scopes)
                .any(|((rule, _), scope)| s.rule == *rule && s.scope == *scope)
        };
        // What changed since the oldest of this run's sweeps (those of other settings are
        // not this run's to read).
        let changed = match sweeps.iter().filter(|s| mine(s)).map(|s| s.mark).min() {
            Some(m) if m < mark => r.changed_since(m)?,
            _ => vec![],
        };
        let now_iso = iso_seconds(now);
        let rules = RULES
            .iter()
            .zip(scopes)
            .map(|(&(rule, reads), scope)| {
                let on = care.is_on(rule);
                let reach = if rule == "task" {
                    iso_seconds(limit)
                } else {
                    now_iso.clone()
                };
                let touched = |since: i64| {
                    changed.iter().any(|(kind, last)| {
                        *last > since
                            && (kind == Entity::User.name()
                                || reads.iter().any(|e| e.name() == kind))
                    })
                };
                let quiet = sweeps
                    .iter()
                    .find(|s| s.rule == rule && s.scope == scope)
                    .filter(|s| s.at <= now_iso && s.mark <= mark && !touched(s.mark))
                    .filter(|s| s.horizon.as_ref().is_none_or(|h| reach < *h))
                    .map(|s| s.horizon.clone());
                Planned {
                    rule,
                    on,
                    scope,
                    reach,
                    quiet,
                }
            })
            .collect();
        Ok(Plan {
            mark,
            now: now_iso,
            today: now.date(),
            rules,
        })
    }

    /// Whether `rule` has nothing new and need not be read.
    pub fn quiet(&self, rule: &str) -> bool {
        self.rules
            .iter()
            .any(|p| p.rule == rule && p.quiet.is_some())
    }

    /// `care` with the quiet rules off.
    pub fn care(&self, care: &Care) -> Care {
        let mut c = care.clone();
        for p in self.rules.iter().filter(|p| p.quiet.is_some()) {
            c.turn_off(p.rule);
        }
        c
    }

    /// The sweeps to record once everything the run found is delivered: each rule that is
    /// on, read whole with its horizon worked out now, or quiet and carried on to this
    /// run's mark. None when every rule was quiet (nothing to record, no write).
    pub fn sweeps(&self, r: &Reader<'_>, care: &Care) -> Result<Vec<Sweep>> {
        if self.rules.iter().all(|p| !p.on || p.quiet.is_some()) {
            return Ok(vec![]);
        }
        let midnight = Some(iso_seconds(
            (self.today + Duration::days(1)).and_time(NaiveTime::MIN),
        ));
        let sooner = |a: Option<String>, b: Option<String>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let mut out = Vec::new();
        for p in self.rules.iter().filter(|p| p.on) {
            let horizon = match &p.quiet {
                Some(h) => h.clone(),
                None => match p.rule {
                    "task" => sooner(midnight.clone(), r.next_open_task_due(&p.reach)?),
                    "no_contact" if care.no_contact_days.least() == 0 => sooner(
                        midnight.clone(),
                        r.next_activity_of(Entity::Account, &self.now)?,
                    ),
                    "stale_deal" => sooner(
                        midnight.clone(),
                        r.next_activity_of(Entity::Deal, &self.now)?,
                    ),
                    // An escalation decides by the minute: the next moment a case's clock
                    // comes to risk or its deadline, or an unassigned case comes of age.
                    "case_at_risk" | "case_breached" | "case_unassigned" => sooner(
                        midnight.clone(),
                        r.next_case_moment(&self.now, care.case_unassigned_minutes)?,
                    ),
                    _ => midnight.clone(),
                },
            };
            out.push(Sweep {
                rule: p.rule.to_string(),
                scope: p.scope.clone(),
                at: self.now.clone(),
                mark: self.mark,
                horizon,
            });
        }
        Ok(out)
    }
}

/// A rule's settings as its scope holds them.
fn settings(care: &Care, rule: &str) -> String {
    match rule {
        "no_contact" => format!("{:?}", care.no_contact_days),
        "stale_deal" => care.stale_deal_days.to_string(),
        "birthday" => care.birthday_days.to_string(),
        "plan_due" => care.plan_due_days.to_string(),
        "contract_expiring" => care.contract_notice_days.to_string(),
        "quote_expiring" => care.quote_expiring_days.to_string(),
        "case_unassigned" => format!("{}|{:?}", care.case_unassigned_minutes, care.service_lead),
        _ => String::new(),
    }
}
