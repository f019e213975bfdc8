//! The agenda: what is on each of the coming days, and which tasks are overdue.
//!
//! A day holds its open tasks (due that day), its activities (every activity whose `at`
//! falls on the day, the earlier ones of today too: they are part of the day), the
//! birthdays of live contacts and the open deals expected to close that day. Items with a
//! time come first, by time; then the untimed ones: tasks, activities given a date only,
//! deals, birthdays (each group in the order it was listed: by id).
//!
//! Everything is read through [`Crm::list`] and [`crate::store::Reader::birthdays`], so
//! trashed records never show.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::app::crm::{list_query, Crm};
use crate::core::dates::{stored, When};
use crate::core::error::Result;
use crate::core::money::Money;
use crate::model::query::{Op, Term};
use crate::model::record::Record;
use crate::model::Entity;

/// The most days one agenda covers.
pub const MAX_DAYS: u32 = 366;

/// One thing on the agenda.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Item {
    /// "task", the activity's kind ("visit", "meeting", "call", "email", "note"),
    /// "birthday" or "deal".
    pub kind: String,
    /// "HH:MM" when the item has a time of day.
    pub time: Option<String>,
    pub title: String,
    /// A line about it: the linked records' names for tasks and activities ("account ·
    /// contact · deal · lead", those set); "stage · amount currency · account" for a deal;
    /// "turns N · account" for a birthday; overdue tasks start with "due YYYY-MM-DD".
    pub detail: String,
    /// The detail for people when it differs from `detail`: a deal's amount as the run
    /// shows amounts (`128万 CNY`); `detail`, in JSON, keeps it grouped (`1,280,000 CNY`).
    #[serde(skip)]
    pub shown: Option<String>,
    /// The kind of record behind the item: "task", "activity", "contact" or "deal".
    pub record_kind: String,
    pub record_id: i64,
}

impl Item {
    /// The detail for people ([`Item::shown`], else [`Item::detail`]).
    pub fn detail_shown(&self) -> &str {
        self.shown.as_deref().unwrap_or(&self.detail)
    }
}

/// One day of the agenda.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Day {
    /// YYYY-MM-DD
    pub date: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Agenda {
    /// Open tasks due before today, oldest first.
    pub overdue: Vec<Item>,
    /// Today and the days after it, one entry for every day even when it is empty.
    pub days: Vec<Day>,
}

/// The agenda of `days` days starting today (1 to [`MAX_DAYS`]).
pub fn agenda(crm: &Crm, days: u32) -> Result<Agenda> {
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(crate::err!(
            Invalid,
            "agenda.days_must_between",
            max = MAX_DAYS,
            days = days
        ));
    }
    let today = crm.env.clock.today();
    let dates: Vec<NaiveDate> = today.iter_days().take(days as usize).collect();
    let last = *dates.last().unwrap_or(&today);
    let (from, to) = (iso(today), iso(last));

    // (day, group rank, item): sorted within each day below.
    let mut found: Vec<(NaiveDate, u8, Item)> = Vec::new();

    let tasks = crm.list(
        Entity::Task,
        &list_query(
            vec![
                term("done", Op::Eq, "no"),
                term("due", Op::Ge, &from),
                term("due", Op::Le, &to),
            ],
            "due",
            None,
        ),
    )?;
    for t in &tasks {
        if let Some(when) = t.str("due").and_then(stored) {
            found.push((when.date(), 0, task_item(t, &when, false)));
        }
    }

    let activities = crm.list(
        Entity::Activity,
        &list_query(
            vec![term("at", Op::Ge, &from), term("at", Op::Le, &to)],
            "at",
            None,
        ),
    )?;
    for a in &activities {
        if let Some(when) = a.str("at").and_then(stored) {
            let item = Item {
                kind: a.str("kind").unwrap_or("note").to_string(),
                time: time_of(&when),
                title: a.label().to_string(),
                detail: links(a),
                shown: None,
                record_kind: "activity".into(),
                record_id: a.id(),
            };
            found.push((when.date(), 1, item));
        }
    }

    let deals = crm.list(
        Entity::Deal,
        &list_query(
            vec![
                term("status", Op::Eq, "open"),
                term("expected_close", Op::Ge, &from),
                term("expected_close", Op::Le, &to),
            ],
            "expected_close",
            None,
        ),
    )?;
    for d in &deals {
        if let Some(day) = d.str("expected_close").and_then(stored) {
            found.push((day.date(), 2, deal_item(d)));
        }
    }

    // A birthday comes once in 365 days: a longer window asks twice, or the day a year
    // from today would miss the birthdays of today.
    let mut chunk_start = 0;
    while chunk_start < days {
        let len = (days - chunk_start).min(365);
        if let Some(start) = dates.get(chunk_start as usize) {
            for (c, day) in crm.reader().birthdays(*start, len)? {
                found.push((day, 3, birthday_item(&c, day)));
            }
        }
        chunk_start += len;
    }

    // Timed items first by time, then the untimed by group; a stable sort keeps each
    // group's list order.
    found.sort_by(|(da, ra, a), (db, rb, b)| {
        da.cmp(db)
            .then(a.time.is_none().cmp(&b.time.is_none()))
            .then(a.time.cmp(&b.time))
            .then(ra.cmp(rb))
    });
    let mut out: Vec<Day> = dates
        .iter()
        .map(|d| Day {
            date: iso(*d),
            items: vec![],
        })
        .collect();
    for (day, _, item) in found {
        let i = (day - today).num_days();
        if let Some(d) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) {
            d.items.push(item);
        }
    }

    let overdue = crm
        .list(
            Entity::Task,
            &list_query(
                vec![term("done", Op::Eq, "no"), term("due", Op::Lt, &from)],
                "due",
                None,
            ),
        )?
        .iter()
        .filter_map(|t| {
            let when = t.str("due").and_then(stored)?;
            Some(task_item(t, &when, true))
        })
        .collect();

    Ok(Agenda { overdue, days: out })
}

fn task_item(t: &Record, due: &When, overdue: bool) -> Item {
    let mut parts = Vec::new();
    if overdue {
        parts.push(crate::tr!("agenda.due", date = iso(due.date())));
    }
    let links = links(t);
    if !links.is_empty() {
        parts.push(links);
    }
    Item {
        kind: "task".into(),
        time: time_of(due),
        title: t.label().to_string(),
        detail: parts.join(" · "),
        shown: None,
        record_kind: "task".into(),
        record_id: t.id(),
    }
}

fn deal_item(d: &Record) -> Item {
    // The line once with the amount grouped and the stage as stored (for JSON), once as
    // the run shows them.
    let line = |amount: fn(Money) -> String, shown: bool| {
        let mut parts: Vec<String> = Vec::new();
        if let Some(stage) = d.str("stage") {
            parts.push(if shown {
                crate::model::record::name_label(Entity::Stage, stage)
            } else {
                stage.to_string()
            });
        }
        if let Some(a) = d.get("amount").and_then(Money::from_json) {
            parts.push(match d.str("currency") {
                Some(c) => format!("{} {c}", amount(a)),
                None => amount(a),
            });
        }
        if let Some(account) = d.str("account") {
            parts.push(account.to_string());
        }
        parts.join(" · ")
    };
    let (detail, shown) = (line(Money::grouped, false), line(Money::shown, true));
    Item {
        kind: "deal".into(),
        time: None,
        title: d.label().to_string(),
        shown: (shown != detail).then_some(shown),
        detail,
        record_kind: "deal".into(),
        record_id: d.id(),
    }
}

fn birthday_item(c: &Record, day: NaiveDate) -> Item {
    let mut parts: Vec<String> = Vec::new();
    if let Some(age) = c
        .str("birthday")
        .and_then(stored)
        .and_then(|b| age_on(b.date(), day))
    {
        parts.push(crate::tr!("agenda.turns", age = age));
    }
    if let Some(account) = c.str("account") {
        parts.push(account.to_string());
    }
    Item {
        kind: "birthday".into(),
        time: None,
        title: crate::tr!("agenda.birthday", label = c.label()),
        detail: parts.join(" · "),
        shown: None,
        record_kind: "contact".into(),
        record_id: c.id(),
    }
}

/// The age someone born on `born` reaches on `day`, when the year of birth is known: a
/// year up to 1900 is taken for a placeholder ("no year"), as some address books store.
fn age_on(born: NaiveDate, day: NaiveDate) -> Option<i32> {
    let age = day.year() - born.year();
    (born.year() > 1900 && age > 0).then_some(age)
}

/// The names of the records an activity or task is about: account · contact · deal · lead.
pub(crate) fn links(r: &Record) -> String {
    ["account", "contact", "deal", "lead"]
        .iter()
        .filter_map(|k| r.str(k))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

fn time_of(w: &When) -> Option<String> {
    match w {
        When::Date(_) => None,
        When::DateTime(t) => Some(t.format("%H:%M").to_string()),
    }
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn term(field: &str, op: Op, value: &str) -> Term {
    Term::Field {
        field: field.into(),
        op,
        value: value.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::crm::testing::{add, crm};
    use crate::app::crm::Input;

    fn item(
        kind: &str,
        time: Option<&str>,
        title: &str,
        detail: &str,
        record_kind: &str,
        record_id: i64,
    ) -> Item {
        Item {
            kind: kind.into(),
            time: time.map(str::to_string),
            title: title.into(),
            detail: detail.into(),
            shown: None,
            record_kind: record_kind.into(),
            record_id,
        }
    }

    struct Ids {
        older: i64,
        old: i64,
        call_back: i64,
        quote: i64,
        next_week: i64,
        visit: i64,
        call: i64,
        untimed_note: i64,
        deal: i64,
        li: i64,
        zhang: i64,
        wu: i64,
    }

    fn fixture(c: &mut Crm) -> Ids {
        let acc = add(
            c,
            Entity::Account,
            &[("name", "广州白云国际机场"), ("city", "广州")],
        );
        let acc = acc.to_string();
        let zhang = add(
            c,
            Entity::Contact,
            &[
                ("name", "张伟"),
                ("account", &acc),
                ("birthday", "1980-11-24"),
            ],
        );
        let li = add(
            c,
            Entity::Contact,
            &[("name", "Li"), ("birthday", "1990-11-22")],
        );
        // A birthday without a known year, and one outside the window.
        let wu = add(
            c,
            Entity::Contact,
            &[("name", "Wu"), ("birthday", "1900-11-25")],
        );
        add(
            c,
            Entity::Contact,
            &[("name", "Far"), ("birthday", "1970-12-25")],
        );
        let trashed_contact = add(
            c,
            Entity::Contact,
            &[("name", "Gone"), ("birthday", "1970-11-23")],
        );
        c.trash(Entity::Contact, &[trashed_contact]).unwrap();

        let older = add(
            c,
            Entity::Task,
            &[("title", "Older"), ("due", "2026-11-18T09:00")],
        );
        let old = add(
            c,
            Entity::Task,
            &[("title", "Old"), ("due", "2026-11-20"), ("account", &acc)],
        );
        let call_back = add(
            c,
            Entity::Task,
            &[
                ("title", "Call back"),
                ("due", "2026-11-22T15:30"),
                ("contact", &zhang.to_string()),
            ],
        );
        let quote = add(
            c,
            Entity::Task,
            &[
                ("title", "Send quote"),
                ("due", "2026-11-22"),
                ("priority", "high"),
            ],
        );
        let next_week = add(
            c,
            Entity::Task,
            &[("title", "Next week"), ("due", "2026-11-29")],
        );
        add(c, Entity::Task, &[("title", "Someday")]);
        let done = add(c, Entity::Task, &[("title", "Done"), ("due", "2026-11-22")]);
        c.update(Entity::Task, done, &Input::new().with("done", "yes"))
            .unwrap();
        let done_late = add(
            c,
            Entity::Task,
            &[("title", "Done late"), ("due", "2026-11-01")],
        );
        c.update(Entity::Task, done_late, &Input::new().with("done", "yes"))
            .unwrap();
        let trashed = add(
            c,
            Entity::Task,
            &[("title", "Trashed"), ("due", "2026-11-22")],
        );
        let trashed_late = add(
            c,
            Entity::Task,
            &[("title", "Trashed late"), ("due", "2026-11-02")],
        );
        c.trash(Entity::Task, &[trashed, trashed_late]).unwrap();

        let visit = add(
            c,
            Entity::Activity,
            &[
                ("kind", "visit"),
                ("subject", "季度拜访"),
                ("at", "2026-11-22T09:00"),
                ("account", &acc),
            ],
        );
        let call = add(
            c,
            Entity::Activity,
            &[
                ("kind", "call"),
                ("subject", "Follow up"),
                ("at", "2026-11-23T14:00"),
                ("contact", &zhang.to_string()),
            ],
        );
        let untimed_note = add(
            c,
            Entity::Activity,
            &[("kind", "note"), ("subject", "Plan"), ("at", "2026-11-23")],
        );
        add(
            c,
            Entity::Activity,
            &[
                ("kind", "meeting"),
                ("subject", "Yesterday"),
                ("at", "2026-11-21T10:00"),
            ],
        );

        let deal = add(
            c,
            Entity::Deal,
            &[
                ("title", "机场扩建"),
                ("amount", "1200000"),
                ("account", &acc),
                ("close", "2026-11-22"),
            ],
        );
        add(
            c,
            Entity::Deal,
            &[
                ("title", "Won already"),
                ("stage", "won"),
                ("close", "2026-11-23"),
            ],
        );
        let trashed_deal = add(
            c,
            Entity::Deal,
            &[("title", "Trashed deal"), ("close", "2026-11-23")],
        );
        c.trash(Entity::Deal, &[trashed_deal]).unwrap();
        add(
            c,
            Entity::Deal,
            &[("title", "Later"), ("close", "2026-12-20")],
        );
        Ids {
            older,
            old,
            call_back,
            quote,
            next_week,
            visit,
            call,
            untimed_note,
            deal,
            li,
            zhang,
            wu,
        }
    }

    #[test]
    fn a_week_of_agenda() {
        let mut c = crm();
        let ids = fixture(&mut c);
        let a = agenda(&c, 7).unwrap();
        let acc = "广州白云国际机场";

        assert_eq!(
            a.overdue,
            vec![
                item(
                    "task",
                    Some("09:00"),
                    "Older",
                    "due 2026-11-18",
                    "task",
                    ids.older
                ),
                item(
                    "task",
                    None,
                    "Old",
                    &format!("due 2026-11-20 · {acc}"),
                    "task",
                    ids.old
                ),
            ]
        );
        let dates: Vec<&str> = a.days.iter().map(|d| d.date.as_str()).collect();
        assert_eq!(
            dates,
            [
                "2026-11-22",
                "2026-11-23",
                "2026-11-24",
                "2026-11-25",
                "2026-11-26",
                "2026-11-27",
                "2026-11-28"
            ]
        );
        assert_eq!(
            a.days[0].items,
            vec![
                item(
                    "visit",
                    Some("09:00"),
                    "季度拜访",
                    acc,
                    "activity",
                    ids.visit
                ),
                item(
                    "task",
                    Some("15:30"),
                    "Call back",
                    &format!("{acc} · 张伟"),
                    "task",
                    ids.call_back
                ),
                item("task", None, "Send quote", "", "task", ids.quote),
                item(
                    "deal",
                    None,
                    "机场扩建",
                    &format!("qualification · 1,200,000 CNY · {acc}"),
                    "deal",
                    ids.deal
                ),
                item(
                    "birthday",
                    None,
                    "Birthday: Li",
                    "turns 36",
                    "contact",
                    ids.li
                ),
            ]
        );
        assert_eq!(
            a.days[1].items,
            vec![
                item(
                    "call",
                    Some("14:00"),
                    "Follow up",
                    &format!("{acc} · 张伟"),
                    "activity",
                    ids.call
                ),
                item("note", None, "Plan", "", "activity", ids.untimed_note),
            ]
        );
        assert_eq!(
            a.days[2].items,
            vec![item(
                "birthday",
                None,
                "Birthday: 张伟",
                &format!("turns 46 · {acc}"),
                "contact",
                ids.zhang
            )]
        );
        assert_eq!(
            a.days[3].items,
            vec![item(
                "birthday",
                None,
                "Birthday: Wu",
                "",
                "contact",
                ids.wu
            )]
        );
        for d in &a.days[4..] {
            assert!(d.items.is_empty(), "{d:?}");
        }

        // A longer window reaches next week's task; overdue does not change.
        let b = agenda(&c, 8).unwrap();
        assert_eq!(b.days.len(), 8);
        assert_eq!(b.days[..7], a.days[..]);
        assert_eq!(
            b.days[7].items,
            vec![item("task", None, "Next week", "", "task", ids.next_week)]
        );
        assert_eq!(b.overdue, a.overdue);
    }

    #[test]
    fn days_must_be_1_to_366() {
        let mut c = crm();
        fixture(&mut c);
        for bad in [0, 367, u32::MAX] {
            let e = agenda(&c, bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{e}");
        }
        let one = agenda(&c, 1).unwrap();
        assert_eq!(one.days.len(), 1);
        assert_eq!(one.days[0].date, "2026-11-22");
        let year = agenda(&c, 366).unwrap();
        assert_eq!(year.days.len(), 366);
        assert_eq!(year.days[365].date, "2027-11-22");
        // The year holds every birthday (and next year's 22 November again).
        let birthdays = year
            .days
            .iter()
            .flat_map(|d| &d.items)
            .filter(|i| i.kind == "birthday")
            .count();
        assert_eq!(birthdays, 5);
        let later = year.days.iter().find(|d| d.date == "2026-12-20").unwrap();
        assert_eq!(later.items[0].title, "Later");
    }

    #[test]
    fn an_empty_database_has_empty_days() {
        let c = crm();
        let a = agenda(&c, 3).unwrap();
        assert!(a.overdue.is_empty());
        assert_eq!(a.days.len(), 3);
        assert!(a.days.iter().all(|d| d.items.is_empty()));
    }

    #[test]
    fn ages_need_a_real_year() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(age_on(d(1980, 11, 24), d(2026, 11, 24)), Some(46));
        assert_eq!(age_on(d(1900, 11, 24), d(2026, 11, 24)), None);
        assert_eq!(age_on(d(2026, 11, 24), d(2026, 11, 24)), None);
    }
}
