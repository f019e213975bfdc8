//! Calendar export (RFC 5545): open tasks as `VTODO`s and planned activities as `VEVENT`s,
//! in one `VCALENDAR`, for calendar and to-do apps to import or subscribe to.
//!
//! - **Stable UIDs.** A re-import updates what an earlier one brought instead of doubling
//!   it: a task's UID is `kith-task-{id}-{db}@kith`, an activity's
//!   `kith-activity-{id}-{db}@kith`. `{db}` tells databases apart without depending on
//!   where the file lies: it is the `created_at` of pipeline 1 (the first record every
//!   database gets, when it is set up) in digits, e.g. `20261122100000` for
//!   `2026-11-22T10:00:00Z`, so `kith-task-12-20261122100000@kith`. A database without
//!   pipeline 1 uses `kith-task-12@kith`.
//! - **Stable output.** `DTSTAMP` and `LAST-MODIFIED` are the record's `updated_at` (UTC),
//!   not the time of the export, so exporting unchanged data gives the same bytes.
//! - **Local times float.** kith keeps local times without a zone, so times are floating
//!   `DATE-TIME`s (no `TZID`, no `Z`); date-only values are `VALUE=DATE`.
//! - **Tasks**: every open task (done ones and the trash are left out), with `SUMMARY`
//!   (the title), `DUE` when it has one, `PRIORITY` (high 1, normal 5, low 9), `STATUS`
//!   `NEEDS-ACTION`, `DESCRIPTION` (notes, then the linked account, contact, deal and
//!   lead), `CATEGORIES` (tags), `CREATED`, `LAST-MODIFIED`.
//! - **Activities**: those planned from now on (`at` now or later; one given a date only
//!   counts from today), with `SUMMARY` "kind: subject", `DTSTART`, `DTEND` (start plus
//!   `minutes`, 60 when not known; none for 0 minutes, a point in time; the next day for
//!   a date), `DESCRIPTION` (body, then
//!   the linked names), `LOCATION` (the account's city), `CATEGORIES`, `CREATED`,
//!   `LAST-MODIFIED`.
//!
//! The `icalendar` crate escapes text (`\\`, `;`, `,`, newlines); kith turns CR LF and
//! lone CR in text into LF first, which the escaping then writes as `\n`. Lines are folded
//! at 75 octets by [`crate::io::fold`]: never inside a UTF-8 character, and away from
//! spaces where it can.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use icalendar::{Calendar, Component, EventLike, Todo, TodoStatus};

use crate::app::crm::{list_query, Crm};
use crate::core::dates::stored;
use crate::core::dates::When;
use crate::core::error::Result;
use crate::model::query::{Op, Term};
use crate::model::record::Record;
use crate::model::Entity;

/// Minutes an activity lasts when it does not say.
pub const DEFAULT_MINUTES: i64 = 60;

/// Open tasks as VTODO, planned activities (at >= now) as VEVENT, in one VCALENDAR
/// (RFC 5545: CRLF line ends, folded lines).
pub fn export(crm: &Crm) -> Result<String> {
    let db = database_id(crm)?;
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"));
    cal.append_property(("PRODID", "-//kith//kith//EN"));
    cal.append_property(("CALSCALE", "GREGORIAN"));
    cal.append_property(("X-WR-CALNAME", "kith"));

    let tasks = crm.list(
        Entity::Task,
        &list_query(vec![term("done", Op::Eq, "no")], "due", None),
    )?;
    for t in &tasks {
        cal.push(todo(t, &db));
    }

    let now = crm.env.clock.now();
    let today = now.date().format("%Y-%m-%d").to_string();
    let activities = crm.list(
        Entity::Activity,
        &list_query(vec![term("at", Op::Ge, &today)], "at", None),
    )?;
    let mut cities: HashMap<i64, Option<String>> = HashMap::new();
    for a in &activities {
        let Some(start) = a.str("at").and_then(stored) else {
            continue;
        };
        if matches!(start, When::DateTime(t) if t < now) {
            continue;
        }
        let city = match a.i64("account_id") {
            Some(id) => match cities.get(&id) {
                Some(c) => c.clone(),
                None => {
                    let c = crm
                        .reader()
                        .get(Entity::Account, id)?
                        .and_then(|acc| acc.str("city").map(str::to_string))
                        .filter(|c| !c.trim().is_empty());
                    cities.insert(id, c.clone());
                    c
                }
            },
            None => None,
        };
        cal.push(event(a, start, city.as_deref(), &db)?);
    }
    // The crate folds at 75 octets without splitting a character, but may fold beside a
    // space (it looks for spaces by counting characters where it cuts by octets), which a
    // parser that trims physical lines loses: folded again by kith's own rule.
    Ok(crate::io::fold::refold(&cal.done().to_string()))
}

/// The part of UIDs that tells databases apart: pipeline 1's `created_at` in digits.
fn database_id(crm: &Crm) -> Result<Option<String>> {
    Ok(crm
        .reader()
        .get(Entity::Pipeline, 1)?
        .and_then(|p| p.str("created_at").map(digits))
        .filter(|d| !d.is_empty()))
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// `kith-{kind}-{id}-{db}@kith`.
fn uid(kind: &str, id: i64, db: &Option<String>) -> String {
    match db {
        Some(db) => format!("kith-{kind}-{id}-{db}@kith"),
        None => format!("kith-{kind}-{id}@kith"),
    }
}

fn todo(t: &Record, db: &Option<String>) -> Todo {
    let mut c = Todo::new();
    c.uid(&uid("task", t.id(), db))
        .summary(&text(t.label()))
        .status(TodoStatus::NeedsAction);
    stamps(&mut c, t);
    match t.str("due").and_then(stored) {
        Some(When::Date(d)) => {
            c.due(d);
        }
        Some(When::DateTime(dt)) => {
            c.due(dt);
        }
        None => {}
    }
    let priority = match t.str("priority") {
        Some("high") => Some(1),
        Some("normal") => Some(5),
        Some("low") => Some(9),
        _ => None,
    };
    if let Some(p) = priority {
        c.priority(p);
    }
    if let Some(d) = description(t.str("notes"), t) {
        c.description(&d);
    }
    let tags = tags(t);
    if !tags.is_empty() {
        c.categories(&tags);
    }
    c.done()
}

fn event(
    a: &Record,
    start: When,
    city: Option<&str>,
    db: &Option<String>,
) -> Result<icalendar::Event> {
    let mut c = icalendar::Event::new();
    let kind = a.str("kind").unwrap_or("note");
    c.uid(&uid("activity", a.id(), db))
        .summary(&text(&format!("{kind}: {}", a.label())));
    stamps(&mut c, a);
    let out_of_range = || crate::err!(Invalid, "ical.activity_date_out", id = a.id());
    match start {
        When::Date(d) => {
            let end = d.succ_opt().ok_or_else(out_of_range)?;
            c.starts(d).ends(end);
        }
        When::DateTime(t) => {
            c.starts(t);
            // 0 minutes is a point in time: no DTEND, which RFC 5545 reads as ending when
            // it starts (a DTEND equal to DTSTART is not allowed).
            let minutes = a.i64("minutes").unwrap_or(DEFAULT_MINUTES);
            if minutes > 0 {
                let end = t
                    .checked_add_signed(Duration::minutes(minutes))
                    .ok_or_else(out_of_range)?;
                c.ends(end);
            }
        }
    }
    if let Some(d) = description(a.str("body"), a) {
        c.description(&d);
    }
    if let Some(city) = city {
        c.location(&text(city));
    }
    let tags = tags(a);
    if !tags.is_empty() {
        c.categories(&tags);
    }
    Ok(c.done())
}

/// DTSTAMP and LAST-MODIFIED from `updated_at`, CREATED from `created_at`.
fn stamps<C: Component>(c: &mut C, r: &Record) {
    let created = r.str("created_at").and_then(utc);
    let updated = r.str("updated_at").and_then(utc).or(created);
    if let Some(u) = updated {
        c.timestamp(u).last_modified(u);
    }
    if let Some(cr) = created {
        c.created(cr);
    }
}

/// A stamp as kith records it: `YYYY-MM-DDTHH:MM:SSZ`.
fn utc(s: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M:%SZ")
        .ok()
        .map(|t| t.and_utc())
}

/// The free text, then a line for each linked record ("Account: 广州白云国际机场").
fn description(free: Option<&str>, r: &Record) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Some(f) = free.map(str::trim).filter(|f| !f.is_empty()) {
        parts.push(text(f));
    }
    let links: Vec<String> = [
        ("account", "Account"),
        ("contact", "Contact"),
        ("deal", "Deal"),
        ("lead", "Lead"),
    ]
    .iter()
    .filter_map(|(key, name)| {
        r.str(key)
            .filter(|v| !v.is_empty())
            .map(|v| format!("{name}: {}", text(v)))
    })
    .collect();
    if !links.is_empty() {
        parts.push(links.join("\n"));
    }
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

fn tags(r: &Record) -> Vec<String> {
    r.get("tags")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(text))
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Text as the crate should escape it: line ends as LF (the crate writes `\n` for LF but
/// would leave a CR raw), and no other control characters.
fn text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
        .collect()
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
    use crate::app::crm::{Env, Input};
    use crate::core::clock::Clock;
    use crate::store::Store;
    use chrono::NaiveDate;
    use std::io::BufReader;

    const SUBJECT: &str = "季度拜访, 第二轮; 准备材料";
    const NOTES: &str = "第一行\r\n第二行, with comma; semicolon \\ backslash";

    struct Ids {
        call_back: i64,
        quote: i64,
        someday: i64,
        visit: i64,
        offsite: i64,
        later_today: i64,
    }

    fn fixture(c: &mut Crm) -> Ids {
        let acc = add(
            c,
            Entity::Account,
            &[("name", "广州白云国际机场"), ("city", "广州")],
        )
        .to_string();
        let zhang = add(c, Entity::Contact, &[("name", "张伟"), ("account", &acc)]).to_string();
        let call_back = add(
            c,
            Entity::Task,
            &[
                ("title", "Call back, then; email"),
                ("due", "2026-11-24T15:30"),
                ("priority", "high"),
                ("contact", &zhang),
                ("notes", NOTES),
                ("tags", "vip,重点"),
            ],
        );
        let quote = add(
            c,
            Entity::Task,
            &[
                ("title", "Send quote"),
                ("due", "2026-11-25"),
                ("priority", "low"),
            ],
        );
        let someday = add(c, Entity::Task, &[("title", "Someday")]);
        let done = add(c, Entity::Task, &[("title", "Done"), ("due", "2026-11-23")]);
        c.update(Entity::Task, done, &Input::new().with("done", "yes"))
            .unwrap();
        let trashed = add(
            c,
            Entity::Task,
            &[("title", "Trashed"), ("due", "2026-11-23")],
        );
        c.trash(Entity::Task, &[trashed]).unwrap();

        let visit = add(
            c,
            Entity::Activity,
            &[
                ("kind", "visit"),
                ("subject", SUBJECT),
                ("at", "2026-11-25T09:30"),
                ("minutes", "90"),
                ("account", &acc),
                ("body", &"很长的描述内容".repeat(20)),
            ],
        );
        let offsite = add(
            c,
            Entity::Activity,
            &[
                ("kind", "meeting"),
                ("subject", "Offsite"),
                ("at", "2026-11-26"),
            ],
        );
        let later_today = add(
            c,
            Entity::Activity,
            &[
                ("kind", "call"),
                ("subject", "Later today"),
                ("at", "2026-11-22T16:00"),
            ],
        );
        // The past: yesterday, and earlier today.
        add(
            c,
            Entity::Activity,
            &[
                ("kind", "call"),
                ("subject", "Yesterday"),
                ("at", "2026-11-21T10:00"),
            ],
        );
        add(
            c,
            Entity::Activity,
            &[
                ("kind", "call"),
                ("subject", "This morning"),
                ("at", "2026-11-22T09:00"),
            ],
        );
        Ids {
            call_back,
            quote,
            someday,
            visit,
            offsite,
            later_today,
        }
    }

    type Props = Vec<::ical::property::Property>;

    fn prop<'a>(props: &'a Props, name: &str) -> &'a ::ical::property::Property {
        props
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no {name} in {props:?}"))
    }

    fn value(props: &Props, name: &str) -> String {
        prop(props, name).value.clone().unwrap_or_default()
    }

    fn is_date(props: &Props, name: &str) -> bool {
        prop(props, name)
            .params
            .as_ref()
            .is_some_and(|ps| ps.iter().any(|(k, v)| k == "VALUE" && v == &["DATE"]))
    }

    /// RFC 5545 §3.3.11 in reverse.
    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') | Some('N') => out.push('\n'),
                    Some(o) => out.push(o),
                    None => out.push('\\'),
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    fn parse(text: &str) -> ::ical::parser::ical::component::IcalCalendar {
        let mut cals: Vec<_> = ::ical::IcalParser::new(BufReader::new(text.as_bytes()))
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        assert_eq!(cals.len(), 1);
        cals.remove(0)
    }

    fn uids(cal: &::ical::parser::ical::component::IcalCalendar) -> Vec<String> {
        cal.todos
            .iter()
            .map(|t| value(&t.properties, "UID"))
            .chain(cal.events.iter().map(|e| value(&e.properties, "UID")))
            .collect()
    }

    #[test]
    fn tasks_become_todos() {
        let mut c = crm();
        let ids = fixture(&mut c);
        let out = export(&c).unwrap();
        let cal = parse(&out);
        let db = digits(&c.env.clock.stamp());
        let stamp = c.env.clock.utc().format("%Y%m%dT%H%M%SZ").to_string();
        assert_eq!(value(&cal.properties, "VERSION"), "2.0");

        let todos: Vec<&Props> = cal.todos.iter().map(|t| &t.properties).collect();
        assert_eq!(todos.len(), 3, "done and trashed tasks are left out");
        let (a, b, s) = (todos[0], todos[1], todos[2]);

        assert_eq!(
            value(a, "UID"),
            format!("kith-task-{}-{db}@kith", ids.call_back)
        );
        assert_eq!(unescape(&value(a, "SUMMARY")), "Call back, then; email");
        assert_eq!(value(a, "SUMMARY"), "Call back\\, then\\; email");
        assert_eq!(value(a, "DUE"), "20261124T153000");
        assert!(!is_date(a, "DUE") && prop(a, "DUE").params.is_none());
        assert_eq!(value(a, "PRIORITY"), "1");
        assert_eq!(value(a, "STATUS"), "NEEDS-ACTION");
        assert_eq!(value(a, "DTSTAMP"), stamp);
        assert_eq!(value(a, "LAST-MODIFIED"), stamp);
        assert_eq!(
            unescape(&value(a, "DESCRIPTION")),
            "第一行\n第二行, with comma; semicolon \\ backslash\n\n\
             Account: 广州白云国际机场\nContact: 张伟"
        );
        assert_eq!(value(a, "CATEGORIES"), "vip,重点");

        assert_eq!(
            value(b, "UID"),
            format!("kith-task-{}-{db}@kith", ids.quote)
        );
        assert_eq!(value(b, "DUE"), "20261125");
        assert!(is_date(b, "DUE"));
        assert_eq!(value(b, "PRIORITY"), "9");
        assert!(b
            .iter()
            .all(|p| p.name != "DESCRIPTION" && p.name != "CATEGORIES"));

        assert_eq!(
            value(s, "UID"),
            format!("kith-task-{}-{db}@kith", ids.someday)
        );
        assert!(s.iter().all(|p| p.name != "DUE"));
        assert_eq!(value(s, "PRIORITY"), "5");
    }

    #[test]
    fn planned_activities_become_events() {
        let mut c = crm();
        let ids = fixture(&mut c);
        let out = export(&c).unwrap();
        let cal = parse(&out);
        let db = digits(&c.env.clock.stamp());

        let events: Vec<&Props> = cal.events.iter().map(|e| &e.properties).collect();
        assert_eq!(events.len(), 3, "past activities are left out");
        let (later, visit, offsite) = (events[0], events[1], events[2]);

        assert_eq!(
            value(later, "UID"),
            format!("kith-activity-{}-{db}@kith", ids.later_today)
        );
        assert_eq!(value(later, "SUMMARY"), "call: Later today");
        assert_eq!(value(later, "DTSTART"), "20261122T160000");
        assert_eq!(value(later, "DTEND"), "20261122T170000", "60 minutes");
        assert!(later.iter().all(|p| p.name != "LOCATION"));

        assert_eq!(
            value(visit, "UID"),
            format!("kith-activity-{}-{db}@kith", ids.visit)
        );
        assert_eq!(
            value(visit, "SUMMARY"),
            "visit: 季度拜访\\, 第二轮\\; 准备材料"
        );
        assert_eq!(
            unescape(&value(visit, "SUMMARY")),
            format!("visit: {SUBJECT}")
        );
        assert_eq!(value(visit, "DTSTART"), "20261125T093000");
        assert!(!is_date(visit, "DTSTART"));
        assert_eq!(value(visit, "DTEND"), "20261125T110000", "90 minutes");
        assert_eq!(value(visit, "LOCATION"), "广州");
        assert_eq!(
            unescape(&value(visit, "DESCRIPTION")),
            format!(
                "{}\n\nAccount: 广州白云国际机场",
                "很长的描述内容".repeat(20)
            )
        );

        assert_eq!(
            value(offsite, "UID"),
            format!("kith-activity-{}-{db}@kith", ids.offsite)
        );
        assert_eq!(value(offsite, "DTSTART"), "20261126");
        assert!(is_date(offsite, "DTSTART"));
        assert_eq!(value(offsite, "DTEND"), "20261127");
        assert!(is_date(offsite, "DTEND"));
    }

    #[test]
    fn an_activity_of_0_minutes_is_a_point_in_time() {
        let mut c = crm();
        let id = add(
            &mut c,
            Entity::Activity,
            &[
                ("kind", "call"),
                ("subject", "Quick check"),
                ("at", "2026-11-23T09:00"),
                ("minutes", "0"),
            ],
        );
        let cal = parse(&export(&c).unwrap());
        let e = cal
            .events
            .iter()
            .map(|e| &e.properties)
            .find(|p| value(p, "UID").starts_with(&format!("kith-activity-{id}-")))
            .unwrap();
        assert_eq!(value(e, "DTSTART"), "20261123T090000");
        assert!(
            e.iter().all(|p| p.name != "DTEND" && p.name != "DURATION"),
            "{e:?}"
        );
    }

    #[test]
    fn the_text_is_crlf_folded_and_stable() {
        let mut c = crm();
        let ids = fixture(&mut c);
        let out = export(&c).unwrap();
        assert!(out.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(out.ends_with("END:VCALENDAR\r\n"));
        let lines: Vec<&str> = out.strip_suffix("\r\n").unwrap().split("\r\n").collect();
        for l in &lines {
            assert!(!l.contains(['\r', '\n']), "a bare line end in {l:?}");
            assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
        }
        assert!(
            lines.iter().any(|l| l.starts_with(' ')),
            "the long description is folded"
        );
        // Unfolding (RFC 5545 §3.1) gives the whole line back, CJK intact.
        let unfolded = out.replace("\r\n ", "").replace("\r\n\t", "");
        let description = unfolded
            .split("\r\n")
            .find(|l| l.starts_with("DESCRIPTION:很长"))
            .unwrap();
        assert_eq!(
            unescape(description.strip_prefix("DESCRIPTION:").unwrap()),
            format!(
                "{}\n\nAccount: 广州白云国际机场",
                "很长的描述内容".repeat(20)
            )
        );

        // The same data gives the same bytes; a change keeps every UID.
        assert_eq!(export(&c).unwrap(), out);
        let before = uids(&parse(&out));
        assert_eq!(before.len(), 6);
        c.update(
            Entity::Task,
            ids.quote,
            &Input::new().with("title", "Send the quote"),
        )
        .unwrap();
        let again = export(&c).unwrap();
        assert_ne!(again, out);
        assert_eq!(uids(&parse(&again)), before);
    }

    #[test]
    fn uids_tell_databases_apart_by_their_setup_time() {
        let mut c = crm();
        fixture(&mut c);
        let setup = Clock::at_local(
            NaiveDate::from_ymd_opt(2025, 1, 2)
                .unwrap()
                .and_hms_opt(3, 4, 5)
                .unwrap(),
        );
        let env = Env {
            clock: setup,
            ..c.env.clone()
        };
        let mut other = Crm::new(Store::open_in_memory().unwrap(), env);
        other.ensure_setup().unwrap();
        other.env.clock = c.env.clock;
        add(&mut other, Entity::Task, &[("title", "x")]);
        let mine = uids(&parse(&export(&c).unwrap()));
        let theirs = uids(&parse(&export(&other).unwrap()));
        assert_eq!(
            mine[0],
            format!("kith-task-1-{}@kith", digits(&c.env.clock.stamp()))
        );
        assert_eq!(
            theirs,
            [format!("kith-task-1-{}@kith", digits(&setup.stamp()))]
        );
    }

    #[test]
    fn any_text_survives_escaping_and_folding() {
        let mut c = crm();
        let mut bodies = Vec::new();
        for shift in 0..8 {
            let mut body = "x".repeat(shift);
            body.push_str(&"中 文, a;b\\c\n 空格  ".repeat(12));
            body.push_str("\r\nend\t ");
            bodies.push(body);
        }
        for (i, body) in bodies.iter().enumerate() {
            add(
                &mut c,
                Entity::Activity,
                &[
                    ("kind", "note"),
                    ("subject", &format!("s{i}")),
                    ("at", "2026-12-01T08:00"),
                    ("body", body),
                ],
            );
        }
        let out = export(&c).unwrap();
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{l:?}");
        }
        let unfolded = out.replace("\r\n ", "");
        let got: Vec<String> = unfolded
            .split("\r\n")
            .filter_map(|l| l.strip_prefix("DESCRIPTION:"))
            .map(unescape)
            .collect();
        let want: Vec<String> = bodies
            .iter()
            .map(|b| b.trim().replace("\r\n", "\n"))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn an_empty_database_exports_an_empty_calendar() {
        let c = crm();
        let cal = parse(&export(&c).unwrap());
        assert!(cal.todos.is_empty() && cal.events.is_empty());
        let bare = Crm::new(Store::open_in_memory().unwrap(), c.env.clone());
        assert_eq!(
            uid("task", 3, &database_id(&bare).unwrap()),
            "kith-task-3@kith"
        );
    }
}
