//! The large dataset's service desk: the sample calendar (Shanghai working hours, the
//! Chinese holidays and make-up days) and its three policies, cases of all three types
//! over the last two years with their replies, waits, resolutions and closings, and
//! surveys of closed cases.
//!
//! Each case is planned in working time on the same calendar (its reply the n-th working
//! minute after it was opened, most within the policy's time and some late), and its clocks
//! are the ones `domain::service::clocks` works out from those moments, so the stored
//! deadlines, minutes and states are what kith would have written. The step due after
//! now has not happened yet: the newest cases are today's queue.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};

use super::{choose, Gen, KINDS};
use crate::core::clock::stamp;
use crate::core::error::Result;
use crate::core::worktime::{Calendar, Pause};
use crate::domain::service::clocks::{work_out, Facts, Rule};
use crate::domain::service::slas::WorkSpan;
use crate::samples::service_desk::{
    calendar, Template, CALENDAR, EN_BREACH_REASONS, EN_CASES, EN_REPLIES, EN_RESOLUTIONS,
    HOLIDAYS, POLICIES, WORKDAYS, ZH_BREACH_REASONS, ZH_CASES, ZH_REPLIES, ZH_RESOLUTIONS,
    ZH_SURVEY_COMMENTS,
};
use crate::store::{
    ActivityRow, BulkLoader, CalendarDayRow, CalendarRow, CaseRow, SlaRow, SurveyRow,
};

/// The support team: (login, writes Chinese).
const AGENTS: &[(&str, bool)] = &[
    ("kf.zhao", true),
    ("kf.qian", true),
    ("kf.sun", true),
    ("kf.li", true),
    ("kf.zhou", true),
    ("kf.wu", true),
    ("kf.zheng", true),
    ("kf.feng", true),
    ("support.anna", false),
    ("support.tom", false),
];

/// How far back cases reach.
const SPAN_DAYS: i64 = 730;

/// A case as planned: its moments (None: not yet by now) and what it is.
struct Plan {
    opened: DateTime<Utc>,
    acct: u32,
    contact: Option<i64>,
    template: Template,
    zh: bool,
    rule: usize,
    agent: Option<u8>,
    replied: Option<DateTime<Utc>>,
    wait: Option<Pause>,
    resolved: Option<DateTime<Utc>>,
    closed: Option<DateTime<Utc>>,
    late: bool,
}

impl Gen {
    /// The calendar, the policies, `cases` cases with `replies` replies, and up to `surveys`
    /// surveys of the closed ones.
    pub(super) fn service(
        &mut self,
        ld: &mut BulkLoader<'_>,
        cases: usize,
        replies: usize,
        surveys: usize,
        first_activity: i64,
    ) -> Result<()> {
        if cases == 0 || self.accts.is_empty() {
            return Ok(());
        }
        let now = self.now_utc;
        let cal = calendar();
        let set_up = stamp(now - TimeDelta::days(SPAN_DAYS + 1));
        self.set_up(ld, &set_up)?;
        let day = cal.hours.standard_minutes();
        let rules: Vec<Rule> = POLICIES
            .iter()
            .enumerate()
            .map(|(i, (_, _, respond, resolve))| Rule {
                policy: i as i64 + 1,
                respond: WorkSpan::parse(respond).ok(),
                resolve: WorkSpan::parse(resolve).ok(),
                at_risk: 80,
                calendar: 1,
            })
            .collect();
        let targets: Vec<(i64, i64)> = rules
            .iter()
            .map(|r| {
                let m = |s: Option<WorkSpan>| s.map_or(0, |s| s.seconds(day) / 60);
                (m(r.respond), m(r.resolve))
            })
            .collect();

        let plans = self.plan_cases(&cal, cases, &targets);
        // Each answered case's first reply, then the rest of the count spread over them.
        let answered: Vec<usize> = (0..plans.len())
            .filter(|&i| plans[i].replied.is_some())
            .collect();
        let mut extra = vec![0u8; plans.len()];
        if !answered.is_empty() {
            for _ in answered.len().min(replies)..replies {
                let i = answered[self.r.below(answered.len())];
                extra[i] = extra[i].saturating_add(1);
            }
        }
        let mut budget = replies;
        let mut activity = first_activity;
        let mut numbers: HashMap<i32, u32> = HashMap::new();
        let mut closed = Vec::new();
        let mut numbers_of = Vec::with_capacity(plans.len());
        let mut waits = String::new();
        let mut number = String::new();
        for (i, p) in plans.iter().enumerate() {
            let id = i as i64 + 1;
            let (_, title, category, sku) = p.template;
            let rule = &rules[p.rule];
            let pauses: Vec<Pause> = p.wait.iter().copied().collect();
            let facts = Facts {
                opened: p.opened,
                pauses,
                responded: p.replied,
                resolved: p.resolved,
            };
            let clocks = work_out(&facts, rule, &cal);
            let waiting = p.wait.is_some_and(|w| w.to.is_none());
            let status = if p.closed.is_some() {
                "closed"
            } else if p.resolved.is_some() {
                "resolved"
            } else if waiting {
                "waiting"
            } else if p.replied.is_some() {
                "in-progress"
            } else if p.agent.is_some() {
                "assigned"
            } else {
                "new"
            };
            let local_year = (p.opened + TimeDelta::seconds(self.cal.utc_offset)).year();
            let seq = numbers.entry(local_year).or_default();
            *seq += 1;
            number.clear();
            std::fmt::Write::write_fmt(&mut number, format_args!("CS-{local_year}-{seq:04}")).ok();
            numbers_of.push(number.clone());
            waits.clear();
            if let Some(w) = p.wait {
                waits.push_str("[[\"");
                waits.push_str(&stamp(w.from));
                match w.to {
                    Some(t) => {
                        waits.push_str("\",\"");
                        waits.push_str(&stamp(t));
                        waits.push_str("\"]]");
                    }
                    None => waits.push_str("\",null]]"),
                }
            }
            let last = [
                p.closed,
                p.resolved,
                p.wait.and_then(|w| w.to.or(Some(w.from))),
                p.replied,
            ]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(p.opened);
            let (a, b) = (stamp(p.opened), stamp(last));
            let (c, d, e) = (
                p.replied.map(stamp).unwrap_or_default(),
                p.resolved.map(stamp).unwrap_or_default(),
                p.closed.map(stamp).unwrap_or_default(),
            );
            let agent = p.agent.map(|x| AGENTS[x as usize].0);
            let breached = p.late
                || clocks
                    .response_minutes
                    .zip(clocks.respond_target)
                    .is_some_and(|(m, t)| m > t);
            let reason = (breached && p.resolved.is_some() && self.r.chance(0.7)).then(|| {
                self.r.pick(if p.zh {
                    ZH_BREACH_REASONS
                } else {
                    EN_BREACH_REASONS
                })
            });
            let resolution = p.resolved.map(|_| {
                self.r
                    .pick(if p.zh { ZH_RESOLUTIONS } else { EN_RESOLUTIONS })
            });
            let channel = self
                .r
                .pick(&["phone", "phone", "email", "email", "wechat", "web"]);
            let priority = ["normal", "normal", "normal", "high", "urgent", "low"][self.r.below(6)];
            let product = sku
                .filter(|_| !self.prods.is_empty())
                .map(|_| self.r.below(self.prods.len()) as i64 + 1);
            ld.case(&CaseRow {
                id,
                number: &number,
                title,
                account_id: i64::from(p.acct) + 1,
                contact_id: p.contact,
                type_: p.template.0,
                priority,
                status,
                due: clocks.due.as_deref(),
                assignee: agent,
                channel,
                category,
                product_id: product,
                description: None,
                policy_id: rule.policy,
                opened: &a,
                respond_target: clocks.respond_target,
                respond_risk: clocks.respond_risk.as_deref(),
                respond_due: clocks.respond_due.as_deref(),
                responded_at: p.replied.map(|_| c.as_str()),
                response_minutes: clocks.response_minutes,
                resolve_target: clocks.resolve_target,
                resolve_risk: clocks.resolve_risk.as_deref(),
                resolve_due: clocks.resolve_due.as_deref(),
                resolved_at: p.resolved.map(|_| d.as_str()),
                resolution_minutes: clocks.resolution_minutes,
                resolution,
                closed_at: p.closed.map(|_| e.as_str()),
                waits: p.wait.map(|_| waits.as_str()),
                breach_reason: reason,
                created_at: &a,
                updated_at: &b,
            })?;
            if let (Some(at), Some(agent)) = (p.replied, agent) {
                let until = p.resolved.unwrap_or(now);
                let n = usize::from(budget > 0) + usize::from(extra[i]);
                for k in 0..n {
                    let t = if k == 0 {
                        at
                    } else {
                        let span = (until - at).num_seconds().max(2);
                        at + TimeDelta::seconds(self.r.range(1, span - 1))
                    };
                    let text = self.r.pick(if p.zh { ZH_REPLIES } else { EN_REPLIES });
                    let via = if k == 0 {
                        channel
                    } else {
                        self.r.pick(&["phone", "email", "wechat"])
                    };
                    let kind = match via {
                        "phone" => KINDS[0],
                        "email" => KINDS[3],
                        _ => KINDS[4],
                    };
                    let f = local_text(t + TimeDelta::seconds(self.cal.utc_offset));
                    let g = stamp(t);
                    let subject: String = text.chars().take(80).collect();
                    ld.activity(&ActivityRow {
                        id: activity,
                        kind,
                        subject: &subject,
                        at: &f,
                        body: Some(text),
                        outcome: None,
                        minutes: None,
                        account_id: Some(i64::from(p.acct) + 1),
                        contact_id: p.contact,
                        lead_id: None,
                        deal_id: None,
                        case_id: Some(id),
                        via: Some(via),
                        owner: agent,
                        tags: "[]",
                        created_at: &g,
                        updated_at: &g,
                    })?;
                    activity += 1;
                    budget = budget.saturating_sub(1);
                }
            }
            if let (Some(t), Some(agent)) = (p.closed, agent) {
                let happy = !breached;
                closed.push((id, i, t, agent, happy));
            }
        }
        // The surveys: a share of the closed cases, answered a few hours after closing.
        for (sid, k) in choose(&mut self.r, closed.len(), surveys)
            .into_iter()
            .enumerate()
        {
            let (case, i, t, agent, happy) = closed[k];
            let p = &plans[i];
            let on_at = (t + TimeDelta::hours(self.r.range(2, 30))).min(now);
            let on = (on_at + TimeDelta::seconds(self.cal.utc_offset))
                .date_naive()
                .to_string();
            let (score, nps) = if happy {
                (self.r.range(4, 5), self.r.range(7, 10))
            } else {
                (self.r.range(1, 3), self.r.range(0, 6))
            };
            let comment = (p.zh && self.r.chance(0.3)).then(|| self.r.pick(ZH_SURVEY_COMMENTS));
            let h = format!("{} {on}", numbers_of[i]);
            let a = stamp(on_at);
            ld.survey(&SurveyRow {
                id: sid as i64 + 1,
                name: &h,
                case_id: case,
                account_id: i64::from(p.acct) + 1,
                contact_id: p.contact,
                score,
                nps: self.r.chance(0.8).then_some(nps),
                comment,
                on: &on,
                owner: agent,
                created_at: &a,
            })?;
        }
        Ok(())
    }

    /// The calendar with its days, and the policies.
    fn set_up(&mut self, ld: &mut BulkLoader<'_>, at: &str) -> Result<()> {
        let (name, tz, hours) = CALENDAR;
        ld.calendar(&CalendarRow {
            id: 1,
            name,
            tz,
            hours,
            created_at: at,
        })?;
        for (kind, list) in [("holiday", HOLIDAYS), ("workday", WORKDAYS)] {
            for (range, day_name) in list {
                let (from, to) = range.split_once("..").unwrap_or((range, range));
                let (Ok(from), Ok(to)) = (from.parse::<NaiveDate>(), to.parse::<NaiveDate>())
                else {
                    continue;
                };
                for d in from.iter_days().take_while(|d| *d <= to) {
                    ld.calendar_day(&CalendarDayRow {
                        calendar_id: 1,
                        day: &d.to_string(),
                        kind,
                        name: day_name,
                        created_at: at,
                    })?;
                }
            }
        }
        for (i, (name, matches, respond, resolve)) in POLICIES.iter().enumerate() {
            ld.sla(&SlaRow {
                id: i as i64 + 1,
                name,
                position: i as i64 + 1,
                matches,
                respond: Some(respond),
                resolve: Some(resolve),
                calendar_id: 1,
                at_risk: 80,
                created_at: at,
            })?;
        }
        Ok(())
    }

    /// The cases in the order they were opened: nine in ten in working hours, the rest by
    /// mail at any hour; replies mostly within the policy's time, resolutions likewise.
    fn plan_cases(&mut self, cal: &Calendar, n: usize, targets: &[(i64, i64)]) -> Vec<Plan> {
        let now = self.now_utc;
        let start = now - TimeDelta::days(SPAN_DAYS);
        let days: Vec<Vec<(DateTime<Utc>, DateTime<Utc>)>> = (0..=SPAN_DAYS)
            .filter_map(|k| {
                let d = (start + TimeDelta::days(k) + TimeDelta::hours(8)).date_naive();
                let spans = cal.day_intervals(d);
                (!spans.is_empty()).then_some(spans)
            })
            .collect();
        let mut opened: Vec<DateTime<Utc>> = (0..n)
            .map(|_| {
                if days.is_empty() || self.r.chance(0.1) {
                    start + TimeDelta::seconds(self.r.range(0, SPAN_DAYS * 86_400))
                } else {
                    let spans = &days[self.r.below(days.len())];
                    let (a, b) = spans[self.r.below(spans.len())];
                    a + TimeDelta::seconds(self.r.range(0, (b - a).num_seconds() - 1))
                }
            })
            .map(|t| t.min(now - TimeDelta::minutes(1)))
            .collect();
        opened.sort_unstable();
        let na = self.accts.len();
        let zh_agents: Vec<u8> = (0..AGENTS.len() as u8)
            .filter(|&i| AGENTS[i as usize].1)
            .collect();
        let en_agents: Vec<u8> = (0..AGENTS.len() as u8)
            .filter(|&i| !AGENTS[i as usize].1)
            .collect();
        let step = |from: DateTime<Utc>, minutes: i64, pauses: &[Pause]| {
            cal.deadline(from, minutes * 60, pauses)
                .filter(|t| *t < now)
        };
        opened
            .into_iter()
            .map(|opened| {
                let mut acct = self.r.below(na);
                for _ in 0..4 {
                    if self.created_utc(acct) <= opened {
                        break;
                    }
                    acct = self.r.below(na);
                }
                let ac = &self.accts[acct];
                let zh = ac.parts.zh;
                let contact = (ac.contacts > 0 && self.r.chance(0.8)).then(|| {
                    i64::from(ac.first_contact) + self.r.below(ac.contacts as usize) as i64
                });
                let template = self.r.pick(if zh { ZH_CASES } else { EN_CASES });
                let rule = match template.0 {
                    "inquiry" => 0,
                    "complaint" => 1,
                    _ => 2,
                };
                let (respond, resolve) = targets[rule];
                let agents = if zh { &zh_agents } else { &en_agents };
                let recent = now - opened < TimeDelta::hours(2);
                let agent = (!(recent && self.r.chance(0.3))).then(|| self.r.pick(agents));
                let mut plan = Plan {
                    opened,
                    acct: acct as u32,
                    contact,
                    template,
                    zh,
                    rule,
                    agent,
                    replied: None,
                    wait: None,
                    resolved: None,
                    closed: None,
                    late: false,
                };
                if agent.is_none() {
                    return plan;
                }
                let first = if self.r.chance(0.82) {
                    self.r.range(1, (respond * 9 / 10).max(1))
                } else {
                    self.r.range(respond * 13 / 10 + 1, respond * 4)
                };
                let Some(replied) = step(opened, first, &[]) else {
                    return plan;
                };
                plan.replied = Some(replied);
                if self.r.chance(0.15) {
                    let from = replied + TimeDelta::minutes(self.r.range(5, 40));
                    let to = from + TimeDelta::hours(self.r.range(20, 60));
                    if from >= now {
                        return plan;
                    }
                    if to >= now {
                        plan.wait = Some(Pause::open(from));
                        return plan;
                    }
                    plan.wait = Some(Pause::closed(from, to));
                }
                plan.late = !self.r.chance(0.8);
                let worked = if plan.late {
                    self.r.range(resolve * 11 / 10, resolve * 3)
                } else {
                    self.r.range(first + 5, (resolve * 9 / 10).max(first + 10))
                };
                let pauses: Vec<Pause> = plan.wait.iter().copied().collect();
                let Some(resolved) = step(opened, worked, &pauses) else {
                    plan.late = false;
                    return plan;
                };
                let resolved = resolved.max(replied + TimeDelta::minutes(1));
                if resolved >= now {
                    plan.late = false;
                    return plan;
                }
                plan.resolved = Some(resolved);
                let closed = resolved + TimeDelta::hours(self.r.range(20, 70));
                plan.closed = (closed < now).then_some(closed);
                plan
            })
            .collect()
    }

    /// When an account was made, in UTC.
    fn created_utc(&self, acct: usize) -> DateTime<Utc> {
        let local = self.cal.local(self.accts[acct].created) - self.cal.utc_offset;
        self.cal.base.and_time(chrono::NaiveTime::MIN).and_utc() + TimeDelta::seconds(local)
    }
}

/// Local `YYYY-MM-DDTHH:MM:SS` of a UTC moment already moved by the offset.
fn local_text(t: DateTime<Utc>) -> String {
    t.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string()
}
