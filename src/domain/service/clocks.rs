//! A case's SLA clocks: which policy sets them, and their moments — at risk, due, met —
//! worked out in working time on the policy's calendar, the time spent waiting on the
//! customer left out. They are worked out again whenever a write changes what they
//! follow: the case (its type, priority, waiting, reply, resolution, reopening), a policy,
//! or a calendar; from the case's opening each time, so that nothing already spent is
//! lost or counted twice. Whether a clock is breached is not stored: it is read against
//! the moment of the read (`crate::domain::service::cases::CASE`'s `derived`).

use chrono::{DateTime, Utc};

use crate::core::clock::parse_stamp;
use serde_json::Value;

use crate::core::error::Result;
use crate::core::worktime::{Calendar, Pause};
use crate::domain::commerce::shared::live;
use crate::domain::toolkit::{list_query, Env};
use crate::model::query::Term;
use crate::model::record::Record;
use crate::model::Entity;
use crate::store::{QueryCtx, Reader, Values, Writer};

use super::slas::WorkSpan;

/// A moment as typed (`now`, `2026-05-06 09:30`, `yesterday 14:00`, local time), or with its
/// offset as kith's exports and other tools write it (`2026-05-06T01:30:00Z`,
/// `2026-05-06T09:30:00+08:00`), as a stamp.
pub fn stamp_of(env: &Env, text: &str) -> Result<String> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(crate::core::clock::stamp(t.with_timezone(&chrono::Utc)));
    }
    let when = crate::core::dates::parse_when(text, env.clock.now())?;
    let local = match when {
        crate::core::dates::When::Date(d) => d.and_hms_opt(0, 0, 0).unwrap_or_default(),
        crate::core::dates::When::DateTime(t) => t,
    };
    Ok(crate::core::clock::Clock::at_local(local).stamp())
}

/// What a policy asks, read for counting.
#[derive(Debug, Clone)]
pub struct Rule {
    pub policy: i64,
    pub respond: Option<WorkSpan>,
    pub resolve: Option<WorkSpan>,
    /// The share of a clock's time at which it is at risk, in percent.
    pub at_risk: u32,
    pub calendar: i64,
}

impl Rule {
    /// A policy's record as a rule; None when its spans do not read (never written so).
    pub fn of(p: &Record) -> Option<Rule> {
        let span = |c: &str| p.str(c).and_then(|t| WorkSpan::parse(t).ok());
        Some(Rule {
            policy: p.id(),
            respond: span("respond"),
            resolve: span("resolve"),
            at_risk: p.i64("at_risk").unwrap_or(80).clamp(1, 99) as u32,
            calendar: p.i64("calendar_id")?,
        })
    }
}

/// What a case's clocks are, as its row keeps them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clocks {
    pub respond_target: Option<i64>,
    pub respond_risk: Option<String>,
    pub respond_due: Option<String>,
    pub response_minutes: Option<i64>,
    pub resolve_target: Option<i64>,
    pub resolve_risk: Option<String>,
    pub resolve_due: Option<String>,
    pub resolution_minutes: Option<i64>,
    pub due: Option<String>,
}

/// The moments a case tells the clocks: when it was opened, its waiting spans, and when
/// it was answered and resolved.
#[derive(Debug, Clone)]
pub struct Facts {
    pub opened: DateTime<Utc>,
    pub pauses: Vec<Pause>,
    pub responded: Option<DateTime<Utc>>,
    pub resolved: Option<DateTime<Utc>>,
}

impl Facts {
    /// Read from a case's record.
    pub fn of(case: &Record) -> Facts {
        let at = |c: &str| case.str(c).and_then(parse_stamp);
        Facts {
            opened: at("opened")
                .or_else(|| case.str("created_at").and_then(parse_stamp))
                .unwrap_or_default(),
            pauses: super::cases::waits(case)
                .iter()
                .filter_map(|(from, to)| {
                    Some(Pause {
                        from: parse_stamp(from)?,
                        to: to.as_deref().and_then(parse_stamp),
                    })
                })
                .collect(),
            responded: at("responded_at"),
            resolved: at("resolved_at"),
        }
    }
}

/// The clocks of a case with these facts under `rule` on `cal`.
pub fn work_out(facts: &Facts, rule: &Rule, cal: &Calendar) -> Clocks {
    let day = cal.hours.standard_minutes();
    let stamp = |t: Option<DateTime<Utc>>| t.map(crate::core::clock::stamp);
    let clock = |span: Option<WorkSpan>, met: Option<DateTime<Utc>>| {
        let Some(span) = span else {
            return (None, None, None, None);
        };
        let secs = span.seconds(day);
        let due = cal.deadline(facts.opened, secs, &facts.pauses);
        let risk = cal.at_share(facts.opened, secs, rule.at_risk * 10, &facts.pauses);
        let took = met.map(|t| cal.worked(facts.opened, t, &facts.pauses) / 60);
        (Some(secs / 60), stamp(risk), stamp(due), took)
    };
    let (respond_target, respond_risk, respond_due, response_minutes) =
        clock(rule.respond, facts.responded);
    let (resolve_target, resolve_risk, resolve_due, resolution_minutes) =
        clock(rule.resolve, facts.resolved);
    let running = [
        (facts.responded.is_none(), &respond_due),
        (facts.resolved.is_none(), &resolve_due),
    ];
    let due = running
        .iter()
        .filter(|(open, _)| *open)
        .filter_map(|(_, d)| (*d).clone())
        .min();
    Clocks {
        respond_target,
        respond_risk,
        respond_due,
        response_minutes,
        resolve_target,
        resolve_risk,
        resolve_due,
        resolution_minutes,
        due,
    }
}

impl Clocks {
    /// The columns to write.
    pub fn values(&self, policy: Option<i64>) -> Values {
        let s = |v: &Option<String>| v.clone().map(Value::String).unwrap_or(Value::Null);
        let n = |v: &Option<i64>| v.map(Value::from).unwrap_or(Value::Null);
        vec![
            (
                "policy_id".into(),
                policy.map(Value::from).unwrap_or(Value::Null),
            ),
            ("respond_target".into(), n(&self.respond_target)),
            ("respond_risk".into(), s(&self.respond_risk)),
            ("respond_due".into(), s(&self.respond_due)),
            ("response_minutes".into(), n(&self.response_minutes)),
            ("resolve_target".into(), n(&self.resolve_target)),
            ("resolve_risk".into(), s(&self.resolve_risk)),
            ("resolve_due".into(), s(&self.resolve_due)),
            ("resolution_minutes".into(), n(&self.resolution_minutes)),
            ("due".into(), s(&self.due)),
        ]
    }
}

/// Calendars read once for many cases.
#[derive(Default)]
pub struct Calendars(Vec<(i64, Calendar)>);

impl Calendars {
    pub fn get(&mut self, r: &Reader<'_>, id: i64) -> Result<&Calendar> {
        if let Some(i) = self.0.iter().position(|(c, _)| *c == id) {
            return Ok(&self.0[i].1);
        }
        let cal = super::calendars::load(r, id)?;
        self.0.push((id, cal));
        Ok(&self.0.last().expect("just pushed").1)
    }
}

/// Whether a filter's text is one over cases (a policy's `--match`).
pub fn check_match(r: &Reader<'_>, text: &str) -> Result<()> {
    let mut q = match_query(text)?;
    q.filter.terms.push(crate::domain::toolkit::is("id", "0"));
    r.list(Entity::Case, &q, &QueryCtx::none()).map(|_| ())
}

fn match_query(text: &str) -> Result<crate::store::ListQuery> {
    let filter = crate::model::query::parse_line(text).map_err(|e| {
        crate::err!(
            Invalid,
            "slas.bad_match",
            text = text,
            reason = e.to_string()
        )
    })?;
    let mut q = list_query(filter.terms, "id", None);
    q.limit = None;
    Ok(q)
}

/// The first active policy that matches a case (by its row as stored now).
fn matching(r: &Reader<'_>, env: &Env, case: i64) -> Result<Option<Rule>> {
    for p in super::slas::policies(r, true)? {
        let Some(rule) = Rule::of(&p) else { continue };
        let mut q = match_query(p.str("match").unwrap_or(""))?;
        q.filter
            .terms
            .push(crate::domain::toolkit::is("id", &case.to_string()));
        q.limit = Some(1);
        if !r.list(Entity::Case, &q, &env.ctx())?.is_empty() {
            return Ok(Some(rule));
        }
    }
    Ok(None)
}

/// Work a case's clocks out again and write them where they differ; with `rematch`, the
/// first matching policy first.
pub fn apply(w: &mut Writer<'_>, env: &Env, id: i64, rematch: bool) -> Result<()> {
    let r = w.reader();
    let case = live(&r, Entity::Case, id)?;
    let rule = if rematch {
        matching(&r, env, id)?
    } else {
        match case.i64("policy_id") {
            Some(p) => r
                .get(Entity::Sla, p)?
                .filter(|p| !p.is_trashed())
                .and_then(|p| Rule::of(&p)),
            None => None,
        }
    };
    let mut cals = Calendars::default();
    write_clocks(w, &mut cals, &case, rule.as_ref())
}

/// Write the clocks of `case` under `rule` where they differ from its row.
fn write_clocks(
    w: &mut Writer<'_>,
    cals: &mut Calendars,
    case: &Record,
    rule: Option<&Rule>,
) -> Result<()> {
    let values = match rule {
        Some(rule) => {
            let r = w.reader();
            let cal = cals.get(&r, rule.calendar)?;
            work_out(&Facts::of(case), rule, cal).values(Some(rule.policy))
        }
        None => Clocks::default().values(None),
    };
    let differs: Values = values
        .into_iter()
        .filter(|(c, v)| case.get(c).unwrap_or(&Value::Null) != v)
        .collect();
    if !differs.is_empty() {
        w.update(Entity::Case, case.id(), &differs)?;
    }
    Ok(())
}

/// The open cases, or those of one policy.
fn open_cases(r: &Reader<'_>, policy: Option<i64>) -> Result<Vec<Record>> {
    let mut terms = vec![crate::domain::toolkit::is("status", "open")];
    if let Some(p) = policy {
        terms.push(crate::domain::toolkit::by("policy", p));
    }
    r.list(
        Entity::Case,
        &list_query(terms, "id", None),
        &QueryCtx::none(),
    )
}

/// A calendar changed: the open cases counted on it are worked out again.
pub fn follow_calendar(w: &mut Writer<'_>, _env: &Env, calendar: i64) -> Result<()> {
    let r = w.reader();
    let rules: Vec<Rule> = super::slas::policies(&r, false)?
        .iter()
        .filter_map(Rule::of)
        .filter(|p| p.calendar == calendar)
        .collect();
    let mut cals = Calendars::default();
    for rule in rules {
        for case in open_cases(&w.reader(), Some(rule.policy))? {
            write_clocks(w, &mut cals, &case, Some(&rule))?;
        }
    }
    Ok(())
}

/// The policies changed: every open case takes the first that matches it now, each
/// policy's cases found with one read.
pub fn follow_policies(w: &mut Writer<'_>, env: &Env) -> Result<()> {
    let r = w.reader();
    let open = open_cases(&r, None)?;
    if open.is_empty() {
        return Ok(());
    }
    let mut taken: std::collections::HashMap<i64, Rule> = std::collections::HashMap::new();
    for p in super::slas::policies(&r, true)? {
        let Some(rule) = Rule::of(&p) else { continue };
        let mut q = match_query(p.str("match").unwrap_or(""))?;
        q.filter.terms.push(Term::Field {
            field: "status".into(),
            op: crate::model::query::Op::Eq,
            value: "open".into(),
        });
        for c in r.list(Entity::Case, &q, &env.ctx())? {
            taken.entry(c.id()).or_insert_with(|| rule.clone());
        }
    }
    let mut cals = Calendars::default();
    for case in open {
        write_clocks(w, &mut cals, &case, taken.get(&case.id()))?;
    }
    Ok(())
}

/// The working time left on a case's nearest running clock at `now`, in seconds (negative
/// once past): what the queue counts down. None when no clock runs.
pub fn left(
    cals: &mut Calendars,
    r: &Reader<'_>,
    case: &Record,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let Some(due) = case.str("due").and_then(parse_stamp) else {
        return Ok(None);
    };
    let Some(policy) = case.i64("policy_id") else {
        return Ok(None);
    };
    let Some(rule) = r.get(Entity::Sla, policy)?.and_then(|p| Rule::of(&p)) else {
        return Ok(None);
    };
    let cal = cals.get(r, rule.calendar)?;
    let pauses = Facts::of(case).pauses;
    Ok(Some(if due >= now {
        cal.worked(now, due, &pauses)
    } else {
        -cal.worked(due, now, &pauses)
    }))
}
