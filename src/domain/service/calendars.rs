//! Working-hours calendars (工作日历): a time zone, the hours of each weekday, and days
//! that differ — public holidays, and the make-up working days (调休) on which a weekend
//! is worked. SLA clocks count time on them ([`crate::core::worktime`]). A calendar's
//! days are records of their own (`CALENDAR_DAY`), so that adding a holiday is one change
//! in the log and can be undone.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde_json::Value;

use crate::core::error::Result;
use crate::core::worktime::{Calendar, Hours};
use crate::domain::commerce::shared::{live, value_of};
use crate::domain::toolkit::{by, list_query, validate, Env, Input};
use crate::model::record::Record;
use crate::model::{f, listed, required, text, Entity, Kind, Section, Ty};
use crate::store::{Reader, Values, Writer};

pub const DAY_KINDS: &[&str] = &["holiday", "workday"];

/// Calendars.
pub static CALENDAR: Kind = Kind {
    name: "calendar",
    plural: "calendars",
    label: "name",
    fields: &[
        listed(text(required(f("name", Ty::Text)))),
        listed(required(f("tz", Ty::Text))),
        listed(required(f("hours", Ty::Text))),
        text(f("notes", Ty::LongText)),
    ],
    default_order: "t.name ASC, t.id ASC",
    record: false,
    linkable: false,
    sections: &[Section {
        name: "days",
        kind: Entity::CalendarDay,
        via: "calendar",
        only: None,
        sort: "day",
        limit: None,
    }],
    dupes: None,
    synonyms: &[],
    summary: &["tz", "hours"],
    hint: Some("tz"),
    search: None,
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// The days of calendars that are not as their weekday: a holiday, or a make-up working
/// day (worked with the hours of a standard working day).
pub static CALENDAR_DAY: Kind = Kind {
    name: "calendar_day",
    plural: "calendar_days",
    label: "day",
    fields: &[
        listed(required(f("calendar", Ty::Ref(Entity::Calendar)))),
        listed(required(f("day", Ty::Date))),
        listed(required(f("kind", Ty::Enum(DAY_KINDS)))),
        listed(text(f("name", Ty::Text))),
    ],
    default_order: "t.day ASC, t.id ASC",
    record: false,
    linkable: false,
    sections: &[],
    dupes: None,
    synonyms: &[],
    summary: &["kind", "name"],
    hint: Some("name"),
    search: None,
    name_key: false,
    code: None,
    belongs: &["calendar"],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// Check a calendar's time zone and hours as typed, and keep the hours in their canonical
/// form (`mon-fri 09:00-12:00,13:30-18:00`).
pub(crate) fn check(values: &mut Values) -> Result<()> {
    if let Some(tz) = value_of(values, "tz").and_then(|v| v.as_str().map(str::to_string)) {
        let zone = parse_tz(&tz)?;
        set(values, "tz", Value::from(zone.name()));
    }
    if let Some(h) = value_of(values, "hours").and_then(|v| v.as_str().map(str::to_string)) {
        let hours = Hours::parse(&h).map_err(|e| {
            crate::err!(
                Invalid,
                "calendars.bad_hours",
                hours = h,
                reason = e.to_string()
            )
        })?;
        set(values, "hours", Value::from(hours.spec()));
    }
    Ok(())
}

fn set(values: &mut Values, col: &str, v: Value) {
    values.retain(|(c, _)| c != col);
    values.push((col.into(), v));
}

/// A time zone by its IANA name (`Asia/Shanghai`), case-insensitive.
pub fn parse_tz(name: &str) -> Result<chrono_tz::Tz> {
    name.trim()
        .parse::<chrono_tz::Tz>()
        .or_else(|_| {
            chrono_tz::TZ_VARIANTS
                .iter()
                .find(|z| z.name().eq_ignore_ascii_case(name.trim()))
                .copied()
                .ok_or(())
        })
        .map_err(|_| crate::err!(Invalid, "calendars.bad_tz", tz = name.trim()))
}

/// A calendar as SLA clocks count on it: its zone, hours and days.
pub fn load(r: &Reader<'_>, id: i64) -> Result<Calendar> {
    let cal = live(r, Entity::Calendar, id)?;
    let tz = parse_tz(&cal.text("tz"))?;
    let hours = Hours::parse(&cal.text("hours")).map_err(|e| {
        crate::err!(
            Invalid,
            "calendars.bad_hours",
            hours = cal.text("hours"),
            reason = e.to_string()
        )
    })?;
    let mut holidays = BTreeSet::new();
    let mut workdays = BTreeSet::new();
    for d in days(r, id)? {
        let Some(day) = d.str("day").and_then(|s| s.parse::<NaiveDate>().ok()) else {
            continue;
        };
        if d.str("kind") == Some("workday") {
            workdays.insert(day);
        } else {
            holidays.insert(day);
        }
    }
    Ok(Calendar {
        tz,
        hours,
        holidays,
        workdays,
    })
}

/// The days of a calendar, in order.
pub fn days(r: &Reader<'_>, calendar: i64) -> Result<Vec<Record>> {
    r.list(
        Entity::CalendarDay,
        &list_query(vec![by("calendar", calendar)], "day", None),
        &crate::store::QueryCtx::none(),
    )
}

/// Mark the days `from..=to` of a calendar as `kind` (holiday or workday) named `name`:
/// a day already marked takes the new kind and name. Returns how many days were written.
pub fn mark(
    w: &mut Writer<'_>,
    env: &Env,
    calendar: i64,
    (from, to): (NaiveDate, NaiveDate),
    kind: &str,
    name: Option<&str>,
) -> Result<usize> {
    live(&w.reader(), Entity::Calendar, calendar)?;
    check_range(from, to, 366)?;
    let mut marks = days(&w.reader(), calendar)?;
    let name = name.map(str::trim);
    let mut n = 0;
    for day in from.iter_days().take_while(|d| *d <= to) {
        if mark_one(w, &mut marks, calendar, day, kind, name)? {
            n += 1;
        }
    }
    super::clocks::follow_calendar(w, env, calendar)?;
    Ok(n)
}

/// Refuse a range of days given backwards, or longer than `most` days.
fn check_range(from: NaiveDate, to: NaiveDate, most: i64) -> Result<()> {
    if to < from {
        return Err(crate::err!(
            Invalid,
            "calendars.range_backwards",
            from = from,
            to = to
        ));
    }
    if (to - from).num_days() > most {
        return Err(crate::err!(
            Invalid,
            "calendars.range_too_long",
            from = from,
            to = to
        ));
    }
    Ok(())
}

/// Take the marks off the days `from..=to` of a calendar: they are as their weekday
/// again. Returns how many were taken off.
pub fn unmark(
    w: &mut Writer<'_>,
    env: &Env,
    calendar: i64,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<usize> {
    check_range(from, to, i64::MAX)?;
    let (a, b) = (from.to_string(), to.to_string());
    let mut n = 0;
    for d in days(&w.reader(), calendar)? {
        let day = d.text("day");
        if day >= a && day <= b && w.trash(Entity::CalendarDay, d.id())? {
            n += 1;
        }
    }
    super::clocks::follow_calendar(w, env, calendar)?;
    Ok(n)
}

/// A range of days as typed: `2026-10-01..2026-10-07`, or one day (date words too).
pub fn parse_range(env: &Env, text: &str) -> Result<(NaiveDate, NaiveDate)> {
    let day = |t: &str| -> Result<NaiveDate> {
        crate::core::dates::parse_date(t.trim(), env.clock.now()).map_err(|e| {
            crate::err!(
                Invalid,
                "calendars.bad_day",
                day = t.trim(),
                reason = e.to_string()
            )
        })
    };
    match text.split_once("..") {
        Some((a, b)) => Ok((day(a)?, day(b)?)),
        None => {
            let d = day(text)?;
            Ok((d, d))
        }
    }
}

/// Read a published holiday calendar (.ics) into a calendar: its holidays and make-up
/// working days. Returns (holidays, workdays) written.
pub fn import_ics(
    w: &mut Writer<'_>,
    env: &Env,
    calendar: i64,
    text: &str,
) -> Result<(usize, usize)> {
    let days = crate::core::worktime::parse_ics(text)
        .map_err(|e| crate::err!(Invalid, "calendars.bad_ics", reason = e.to_string()))?;
    if days.is_empty() {
        return Err(crate::err!(Invalid, "calendars.ics_empty"));
    }
    let mut marks = self::days(&w.reader(), calendar)?;
    let (mut holidays, mut workdays) = (0, 0);
    for d in days {
        let kind = if d.workday { "workday" } else { "holiday" };
        let name = (!d.name.is_empty()).then_some(d.name.as_str());
        mark_one(w, &mut marks, calendar, d.date, kind, name)?;
        if d.workday {
            workdays += 1;
        } else {
            holidays += 1;
        }
    }
    super::clocks::follow_calendar(w, env, calendar)?;
    Ok((holidays, workdays))
}

/// Mark one day of a calendar whose marks are `marks` (kept up to date), without
/// following the calendar's cases (the caller does, once). Returns whether it changed.
fn mark_one(
    w: &mut Writer<'_>,
    marks: &mut Vec<Record>,
    calendar: i64,
    day: NaiveDate,
    kind: &str,
    name: Option<&str>,
) -> Result<bool> {
    let text_day = day.format("%Y-%m-%d").to_string();
    let v: Values = vec![
        ("kind".into(), Value::from(kind)),
        ("name".into(), name.map(Value::from).unwrap_or(Value::Null)),
    ];
    match marks
        .iter()
        .find(|d| d.str("day") == Some(text_day.as_str()))
    {
        Some(d) => w.update(Entity::CalendarDay, d.id(), &v),
        None => {
            let mut v = v;
            v.push(("calendar_id".into(), Value::from(calendar)));
            v.push(("day".into(), Value::from(text_day)));
            let id = w.insert(Entity::CalendarDay, &v)?;
            marks.extend(w.reader().get(Entity::CalendarDay, id)?);
            Ok(true)
        }
    }
}

/// Create a calendar from its checked input.
pub fn create(w: &mut Writer<'_>, env: &Env, input: Input) -> Result<i64> {
    let mut values = validate(&w.reader(), env, Entity::Calendar, &input, None)?;
    for f in ["name", "tz", "hours"] {
        if value_of(&values, f).is_none() {
            return Err(crate::err!(Invalid, "records.required", field = f));
        }
    }
    check(&mut values)?;
    if let Some(name) = super::taken_name(&w.reader(), Entity::Calendar, &values)? {
        return Err(crate::err!(Invalid, "calendars.exists", name = name));
    }
    w.insert(Entity::Calendar, &values)
}

/// Change a calendar: the zone and hours checked, and the open cases counted on it
/// worked out again.
pub fn edit(w: &mut Writer<'_>, env: &Env, existing: &Record, input: &Input) -> Result<bool> {
    let mut values = validate(&w.reader(), env, Entity::Calendar, input, Some(existing))?;
    check(&mut values)?;
    let changed = w.update(Entity::Calendar, existing.id(), &values)?;
    if changed {
        super::clocks::follow_calendar(w, env, existing.id())?;
    }
    Ok(changed)
}

/// One day of a calendar as `calendar show` lists it: the date, whether it is worked, its
/// hours (local), and why it differs from its weekday.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShownDay {
    pub day: String,
    pub weekday: String,
    pub working: bool,
    pub hours: String,
    pub minutes: u32,
    /// `holiday`, `workday` (a make-up working day), or empty for an ordinary day.
    pub kind: String,
    pub name: String,
}

/// The days `from..=to` of a calendar.
pub fn show(
    r: &Reader<'_>,
    calendar: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ShownDay>> {
    check_range(from, to, 3660)?;
    let cal = load(r, calendar)?;
    let marks = days(r, calendar)?;
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        let text_day = day.format("%Y-%m-%d").to_string();
        let mark = marks
            .iter()
            .find(|d| d.str("day") == Some(text_day.as_str()));
        let hours = local_hours(&cal, day);
        out.push(ShownDay {
            weekday: crate::core::dates::weekday_name(day).to_string(),
            working: !hours.is_empty(),
            minutes: hours.iter().map(|(a, b)| u32::from(b - a)).sum(),
            hours: hours
                .iter()
                .map(|(a, b)| format!("{:02}:{:02}-{:02}:{:02}", a / 60, a % 60, b / 60, b % 60))
                .collect::<Vec<_>>()
                .join(","),
            kind: mark.map(|m| m.text("kind")).unwrap_or_default(),
            name: mark.map(|m| m.text("name")).unwrap_or_default(),
            day: text_day,
        });
        day = match day.succ_opt() {
            Some(d) => d,
            None => break,
        };
    }
    Ok(out)
}

/// The working hours of a local day (minutes from midnight): a make-up working day works
/// the standard day's, a holiday none, any other day its weekday's.
pub fn local_hours(cal: &Calendar, day: NaiveDate) -> Vec<(u16, u16)> {
    use chrono::Datelike;
    if cal.workdays.contains(&day) {
        cal.hours.standard().to_vec()
    } else if cal.holidays.contains(&day) {
        vec![]
    } else {
        cal.hours.day(day.weekday()).to_vec()
    }
}
