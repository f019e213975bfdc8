//! SLA policies: which cases a policy is for (a filter over cases, `type:inquiry`), how
//! soon they must be answered and resolved in working time of its calendar, and at what
//! share of that time a case is at risk. The first active policy that matches a case, in
//! the order of their positions, sets its clocks.

use serde_json::Value;

use crate::core::error::Result;
use crate::domain::commerce::shared::{live, value_of};
use crate::domain::toolkit::{validate, Env, Input};
use crate::model::record::Record;
use crate::model::{f, listed, required, text, Entity, Kind, Ty};
use crate::store::{Reader, Values, Writer};

/// SLA policies.
pub static SLA: Kind = Kind {
    name: "sla",
    plural: "slas",
    label: "name",
    fields: &[
        listed(text(required(f("name", Ty::Text)))),
        listed(f(
            "position",
            Ty::Int {
                min: 1,
                max: 10_000,
            },
        )),
        // The cases it is for, in the filter language over cases; empty for every case.
        listed(f("match", Ty::Text)),
        listed(f("respond", Ty::Text)),
        listed(f("resolve", Ty::Text)),
        listed(required(f("calendar", Ty::Ref(Entity::Calendar)))),
        // The share of a clock's time used at which a case is at risk, in percent.
        listed(f("at_risk", Ty::Int { min: 1, max: 99 })),
        listed(f("active", Ty::Bool)),
        text(f("notes", Ty::LongText)),
    ],
    default_order: "t.position ASC, t.id ASC",
    record: false,
    linkable: false,
    sections: &[],
    dupes: None,
    synonyms: &[],
    summary: &["match", "respond", "resolve"],
    hint: Some("match"),
    search: None,
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// A length of working time as a policy gives it: minutes, hours and working days of its
/// calendar (`10min`, `4h`, `1d`, `1h30min`, `0.5d`), kept as minutes and days so that a day
/// is the calendar's own working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WorkSpan {
    /// Minutes, from the `min` and `h` parts.
    pub minutes: u32,
    /// Thousandths of a working day, from the `d` parts (`0.5d` is 500).
    pub day_millis: u32,
}

impl WorkSpan {
    /// Read `10min`, `4h`, `1d`, `1d4h`, `1.5h`, `90 min`; `m` alone is refused, as months
    /// are `m` everywhere else in kith.
    pub fn parse(text: &str) -> Result<WorkSpan> {
        let t: String = text
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let bad = || crate::err!(Invalid, "slas.bad_span", span = text.trim());
        if t.is_empty() {
            return Err(bad());
        }
        let mut span = WorkSpan::default();
        let mut rest = t.as_str();
        while !rest.is_empty() {
            let n_end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .ok_or_else(bad)?;
            if n_end == 0 {
                return Err(bad());
            }
            let n: f64 = rest[..n_end].parse().map_err(|_| bad())?;
            rest = &rest[n_end..];
            let unit_end = rest
                .find(|c: char| c.is_ascii_digit() || c == '.')
                .unwrap_or(rest.len());
            let unit = &rest[..unit_end];
            rest = &rest[unit_end..];
            match unit {
                "min" | "mins" | "minute" | "minutes" | "分钟" => {
                    span.minutes += whole(n, 1.0).ok_or_else(bad)?
                }
                "h" | "hr" | "hrs" | "hour" | "hours" | "小时" => {
                    span.minutes += whole(n, 60.0).ok_or_else(bad)?
                }
                "d" | "day" | "days" | "天" | "工作日" => {
                    span.day_millis += whole(n, 1000.0).ok_or_else(bad)?
                }
                "m" | "mo" | "month" | "months" => {
                    return Err(crate::err!(Invalid, "slas.months", span = text.trim()))
                }
                _ => return Err(bad()),
            }
        }
        if span == WorkSpan::default() {
            return Err(crate::err!(Invalid, "slas.zero_span", span = text.trim()));
        }
        Ok(span)
    }

    /// In working seconds, a day being `day_minutes` long.
    pub fn seconds(&self, day_minutes: u32) -> i64 {
        i64::from(self.minutes) * 60
            + i64::from(self.day_millis) * i64::from(day_minutes) * 60 / 1000
    }
}

/// `n` times `by`, when that is a whole number that fits.
fn whole(n: f64, by: f64) -> Option<u32> {
    let v = n * by;
    (v >= 0.0 && v <= f64::from(u32::MAX / 2) && (v - v.round()).abs() < 1e-6)
        .then(|| v.round() as u32)
}

/// Check a policy's values: its spans read, its filter is one over cases, and at least one
/// clock is set.
fn check(r: &Reader<'_>, values: &Values, existing: Option<&Record>) -> Result<()> {
    let cur = |c: &str| {
        value_of(values, c)
            .or_else(|| existing.and_then(|e| e.get(c).cloned()))
            .and_then(|v| v.as_str().map(str::to_string))
    };
    for (col, flag) in [("respond", "--respond"), ("resolve", "--resolve")] {
        if let Some(t) = cur(col) {
            WorkSpan::parse(&t).map_err(|e| e.context(flag))?;
        }
    }
    if cur("respond").is_none() && cur("resolve").is_none() {
        return Err(crate::err!(Invalid, "slas.no_clock"));
    }
    if let Some(m) = cur("match") {
        super::clocks::check_match(r, &m).map_err(|e| e.context("--match"))?;
    }
    Ok(())
}

/// Create a policy: last in the order unless given a position (the policies from there on
/// move down one).
pub fn create(w: &mut Writer<'_>, env: &Env, input: Input) -> Result<i64> {
    let mut values = validate(&w.reader(), env, Entity::Sla, &input, None)?;
    if value_of(&values, "calendar_id").is_none() {
        return Err(crate::err!(Invalid, "slas.no_calendar"));
    }
    if value_of(&values, "name").is_none() {
        return Err(crate::err!(Invalid, "records.required", field = "name"));
    }
    check(&w.reader(), &values, None)?;
    if let Some(name) = super::taken_name(&w.reader(), Entity::Sla, &values)? {
        return Err(crate::err!(Invalid, "slas.exists", name = name));
    }
    let all = policies(&w.reader(), false)?;
    let last = all.len() as i64 + 1;
    let at = value_of(&values, "position")
        .and_then(|v| v.as_i64())
        .map_or(last, |p| p.clamp(1, last));
    values.retain(|(c, _)| c != "position");
    values.push(("position".into(), Value::from(at)));
    if value_of(&values, "at_risk").is_none() {
        values.push(("at_risk".into(), Value::from(80)));
    }
    if value_of(&values, "active").is_none() {
        values.push(("active".into(), Value::Bool(true)));
    }
    for p in all.iter().filter(|p| p.i64("position").unwrap_or(0) >= at) {
        let n = p.i64("position").unwrap_or(0) + 1;
        w.update(
            Entity::Sla,
            p.id(),
            &vec![("position".into(), Value::from(n))],
        )?;
    }
    let id = w.insert(Entity::Sla, &values)?;
    super::clocks::follow_policies(w, env)?;
    Ok(id)
}

/// Change a policy; a new position moves the others to make room. The open cases follow.
pub fn edit(w: &mut Writer<'_>, env: &Env, existing: &Record, input: &Input) -> Result<bool> {
    let mut values = validate(&w.reader(), env, Entity::Sla, input, Some(existing))?;
    if values
        .iter()
        .any(|(c, v)| c == "calendar_id" && v.is_null())
    {
        return Err(crate::err!(Invalid, "slas.no_calendar"));
    }
    check(&w.reader(), &values, Some(existing))?;
    if let Some(to) = value_of(&values, "position").and_then(|v| v.as_i64()) {
        values.retain(|(c, _)| c != "position");
        move_to(w, existing.id(), to)?;
    }
    let changed = w.update(Entity::Sla, existing.id(), &values)?;
    super::clocks::follow_policies(w, env)?;
    Ok(changed)
}

/// Put a policy at `to` in the order (1 is first), the others keeping theirs.
pub fn move_to(w: &mut Writer<'_>, id: i64, to: i64) -> Result<()> {
    live(&w.reader(), Entity::Sla, id)?;
    let mut order: Vec<i64> = policies(&w.reader(), false)?
        .iter()
        .map(Record::id)
        .collect();
    order.retain(|x| *x != id);
    let at = (to.max(1) as usize - 1).min(order.len());
    order.insert(at, id);
    for (i, p) in order.iter().enumerate() {
        w.update(
            Entity::Sla,
            *p,
            &vec![("position".into(), Value::from(i as i64 + 1))],
        )?;
    }
    Ok(())
}

/// The policies in their order; with `active`, only those in force.
pub fn policies(r: &Reader<'_>, active: bool) -> Result<Vec<Record>> {
    let mut all = r.list(
        Entity::Sla,
        &crate::domain::toolkit::list_query(vec![], "position", None),
        &crate::store::QueryCtx::none(),
    )?;
    if active {
        all.retain(|p| p.get("active").and_then(Value::as_bool).unwrap_or(true));
    }
    Ok(all)
}
