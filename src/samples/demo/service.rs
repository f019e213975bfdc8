//! The sample service desk: the calendar and policies of [`crate::samples::service_desk`]
//! (Shanghai working hours with the Chinese holidays and make-up days, the source
//! document's two rules and one for suggestions), the support people with the managers
//! breaches go to, and cases of all three types over the last months —
//! most answered and resolved in time, some late with the reason why, a few waiting on the
//! customer, closed with a return visit and a survey, one reopened, one turned into an
//! opportunity, and today's queue still open.
//!
//! Each step is written at its own moment, as the person who did it, so the clocks are the
//! ones kith works out; the moments are chosen in working time on the same calendar (the
//! n-th working minute after opening), so met and late come out as planned.

use chrono::{DateTime, TimeDelta, Utc};

use super::{Acct, Gen, Person};
use crate::app::crm::{Crm, Input};
use crate::core::clock::Clock;
use crate::core::error::Result;
use crate::core::worktime::{Calendar, Pause};
use crate::domain::toolkit::{is, list_query};
use crate::model::Entity;
use crate::samples::service_desk::{
    calendar, CALENDAR, EN_BREACH_REASONS, EN_CASES, EN_REPLIES, EN_RESOLUTIONS, HOLIDAYS,
    POLICIES, WORKDAYS, ZH_BREACH_REASONS, ZH_CASES, ZH_REPLIES, ZH_RESOLUTIONS,
    ZH_SURVEY_COMMENTS,
};

/// The support people, the manager breaches go to, and who writes English.
const AGENTS_ZH: &[&str] = &["chen.jie", "wang.fang"];
const AGENTS_EN: &[&str] = &["david.kim"];
const MANAGERS: &[(&str, &str)] = &[
    ("chen.jie", "zhang.min"),
    ("wang.fang", "zhang.min"),
    ("david.kim", "sarah.jones"),
];

/// Write the calendar, the policies and the cases; how many cases.
pub(super) fn generate(
    crm: &mut Crm,
    g: &mut Gen,
    now: DateTime<Utc>,
    accts: &[Acct],
    people: &[Person],
    account_ids: &[i64],
    contact_ids: &[i64],
) -> Result<()> {
    let (name, tz, hours) = CALENDAR;
    let start = now - TimeDelta::days(95);
    crm.env.user = "zhang.min".into();
    crm.env.clock = Clock::at(start - TimeDelta::days(1));
    for (agent, manager) in MANAGERS {
        set_manager(crm, agent, manager)?;
    }
    let cal_id = crm.create(
        Entity::Calendar,
        &Input::new()
            .with("name", name)
            .with("tz", tz)
            .with("hours", hours),
    )?;
    for (range, day) in HOLIDAYS {
        crm.mark_days(cal_id, range, "holiday", Some(day))?;
    }
    for (range, day) in WORKDAYS {
        crm.mark_days(cal_id, range, "workday", Some(day))?;
    }
    for (policy, m, respond, resolve) in POLICIES {
        crm.create(
            Entity::Sla,
            &Input::new()
                .with("name", *policy)
                .with("match", *m)
                .with("respond", *respond)
                .with("resolve", *resolve)
                .with("calendar", name),
        )?;
    }
    let cal = calendar();

    // The days cases come in on: working days of the calendar, oldest first.
    let mut days = Vec::new();
    let mut d = (start + TimeDelta::hours(8)).date_naive();
    while d <= (now + TimeDelta::hours(8)).date_naive() {
        if cal.is_working_day(d) {
            days.push(d);
        }
        d = d.succ_opt().unwrap_or(d);
    }
    let n = (accts.len() / 5).clamp(8, 80);
    let mut opened_at: Vec<DateTime<Utc>> = (0..n)
        .filter_map(|_| {
            let day = days[g.range(0, days.len() as i64 - 1) as usize];
            let spans = cal.day_intervals(day);
            let (a, b) = spans[g.range(0, spans.len() as i64 - 1) as usize];
            let secs = g.range(0, (b - a).num_seconds() - 1);
            let t = a + TimeDelta::seconds(secs);
            (t < now).then_some(t)
        })
        .collect();
    // Today's queue: cases that came in over the last hours, still open.
    for back in [1500, 400, 190, 70, 25] {
        opened_at.push(now - TimeDelta::minutes(back));
    }
    opened_at.sort();

    let mut to_deal = false;
    let mut reopened = false;
    for (k, &opened) in opened_at.iter().enumerate() {
        let a = g.range(0, accts.len() as i64 - 1) as usize;
        let zh = accts[a].zh;
        let (ty, title, category, sku) = g.pick(if zh { ZH_CASES } else { EN_CASES });
        let agent = g.pick(if zh { AGENTS_ZH } else { AGENTS_EN });
        let contact = people
            .iter()
            .position(|p| p.acct == a)
            .map(|c| contact_ids[c]);
        let mut input = Input::new()
            .with("title", title)
            .with("account", format!("#{}", account_ids[a]))
            .with("type", ty)
            .with("category", category)
            .with(
                "channel",
                g.weighted(&[("phone", 4), ("email", 3), ("wechat", 3), ("web", 1)]),
            )
            .with(
                "priority",
                g.weighted(&[("normal", 6), ("high", 3), ("urgent", 1), ("low", 1)]),
            );
        if let Some(c) = contact {
            input.set("contact", format!("#{c}"));
        }
        if let Some(sku) = sku {
            input.set("product", sku);
        }
        // The newest case waits for someone to take it.
        let unassigned = k + 1 == opened_at.len();
        if !unassigned {
            input.set("assignee", agent);
        }
        at(crm, opened, "zhang.min");
        let id = crm.create(Entity::Case, &input)?;
        if unassigned {
            continue;
        }
        let (respond, resolve) = match ty {
            "inquiry" => (10, 450),
            "complaint" => (30, 240),
            _ => (450, 5 * 450),
        };
        // Most answered in time; about one in five late.
        let first = if g.chance(0.8) {
            g.range(1, respond * 9 / 10)
        } else {
            g.range(respond * 13 / 10, respond * 4)
        };
        let Some(replied) = step(&cal, opened, first, &[], now) else {
            continue;
        };
        at(crm, replied, agent);
        crm.reply_case(
            id,
            g.pick(if zh { ZH_REPLIES } else { EN_REPLIES }),
            Some(g.weighted(&[("phone", 2), ("email", 2), ("wechat", 2)])),
        )?;
        // Some wait on the customer for a day or two (not counted).
        let mut pauses = Vec::new();
        if g.chance(0.25) {
            let from = replied + TimeDelta::minutes(g.range(5, 40));
            let to = from + TimeDelta::hours(g.range(20, 60));
            if to >= now {
                if from < now {
                    at(crm, from, agent);
                    crm.wait_case(id)?;
                }
                continue;
            }
            at(crm, from, agent);
            crm.wait_case(id)?;
            at(crm, to, agent);
            crm.resume_case(id)?;
            pauses.push(Pause::closed(from, to));
        }
        let late = !g.chance(0.78);
        let worked = if late {
            g.range(resolve * 11 / 10, resolve * 3)
        } else {
            g.range(first + 5, (resolve * 9 / 10).max(first + 10))
        };
        let Some(resolved) = step(&cal, opened, worked, &pauses, now) else {
            continue;
        };
        let resolved = resolved.max(replied + TimeDelta::minutes(1));
        if late || first > respond {
            let reasons = if zh {
                ZH_BREACH_REASONS
            } else {
                EN_BREACH_REASONS
            };
            at(crm, resolved, agent);
            crm.update(
                Entity::Case,
                id,
                &Input::new().with("breach_reason", g.pick(reasons)),
            )?;
        }
        at(crm, resolved, agent);
        crm.resolve_case(id, g.pick(if zh { ZH_RESOLUTIONS } else { EN_RESOLUTIONS }))?;
        // A complaint about a machine becomes the sale of a new one.
        if !to_deal && ty == "complaint" && sku.is_some() && zh {
            to_deal = true;
            crm.case_to_deal(id, Some("更换新一代自助值机终端"))?;
        }
        let closed = resolved + TimeDelta::hours(g.range(20, 50));
        if closed >= now {
            continue;
        }
        at(crm, closed, agent);
        let survey = g.chance(0.6);
        let visit = crm.close_case(id, survey)?;
        if survey {
            let on = closed + TimeDelta::hours(g.range(2, 30));
            if on < now {
                at(crm, on, agent);
                let happy = !late && first <= respond;
                let score = if happy { g.range(4, 5) } else { g.range(2, 3) };
                let nps = if happy { g.range(8, 10) } else { g.range(3, 7) };
                let mut s = Input::new()
                    .with("case", format!("#{id}"))
                    .with("score", score.to_string())
                    .with("nps", nps.to_string());
                if zh && g.chance(0.6) {
                    s.set("comment", g.pick(ZH_SURVEY_COMMENTS));
                }
                crm.create(Entity::Survey, &s)?;
                // The return visit is done: the survey is what it found.
                if let Some(task) = visit {
                    crm.set_tasks_done(&[task], true)?;
                }
            }
        }
        // One comes back: the fault returned a week later.
        if !reopened && zh && ty == "complaint" {
            let again = closed + TimeDelta::days(7);
            if let Some(fixed) = step(&cal, again, 90, &[], now) {
                reopened = true;
                at(crm, again, agent);
                crm.reopen_case(id, "客户反馈故障再次出现")?;
                at(crm, fixed, agent);
                crm.resolve_case(id, "更换主板后连续观察三天无异常。")?;
            }
        }
    }
    crm.env.clock = Clock::at(now);
    Ok(())
}

/// The moment `minutes` working minutes after `from` (pauses skipped), if before now.
fn step(
    cal: &Calendar,
    from: DateTime<Utc>,
    minutes: i64,
    pauses: &[Pause],
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    cal.deadline(from, minutes * 60, pauses)
        .filter(|t| *t < now)
}

fn at(crm: &mut Crm, t: DateTime<Utc>, user: &str) {
    crm.env.clock = Clock::at(t);
    crm.env.user = user.to_string();
}

/// Make `agent` report to `manager` (the user records exist once they own something, or
/// are made here).
fn set_manager(crm: &mut Crm, agent: &str, manager: &str) -> Result<()> {
    let user = |crm: &mut Crm, login: &str| -> Result<i64> {
        let q = list_query(vec![is("login", login)], "", Some(1));
        match crm.list(Entity::User, &q)?.first() {
            Some(u) => Ok(u.id()),
            None => crm.create(Entity::User, &Input::new().with("login", login)),
        }
    };
    user(crm, manager)?;
    let id = user(crm, agent)?;
    crm.update(Entity::User, id, &Input::new().with("manager", manager))?;
    Ok(())
}
