//! The service-desk report (服务报表) above the store: per group, the cases opened, resolved
//! and open at the period's end, the medians and 90th percentiles of first response and
//! resolution in working minutes, the SLA attainment of each clock, the breaches, and
//! satisfaction and NPS; and the monthly summary a head office is sent (counts by type and
//! category, the breaches with their reasons, recurring issues, satisfaction). The store
//! counts; here the rates are worked out and the groups checked.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;

use crate::app::crm::Crm;
use crate::app::reports::{Params, Report};
use crate::core::dates::parse_date;
use crate::core::error::{Error, Result};
use crate::store::{Cell, Desk, DeskPart, Row, Scope, SERVICE_GROUPS};

/// The columns of a group's row after its group, in order (and the fields of the total).
pub const COLUMNS: [&str; 13] = [
    "opened",
    "resolved",
    "open_at_end",
    "response_median_min",
    "response_p90_min",
    "resolution_median_min",
    "resolution_p90_min",
    "response_attainment",
    "resolution_attainment",
    "breaches",
    "satisfaction",
    "nps",
    "surveys",
];

/// Run the service report: with `month` (YYYY-MM), the monthly summary of that month;
/// else the groups of `p.by` (none: one row of all cases) over `p.from`..`p.to`.
pub fn run(crm: &Crm, p: &Params, month: Option<&str>) -> Result<Report> {
    if let Some(by) = p.by.as_deref() {
        if !SERVICE_GROUPS.contains(&by) {
            return Err(crate::err!(
                Invalid,
                "reports.by_one_of",
                report = "service",
                by = by,
                choices = SERVICE_GROUPS.join(", ")
            ));
        }
    }
    let now = crm.env.clock.now();
    let (from, to) = match month {
        Some(m) => {
            if p.from.is_some() || p.to.is_some() {
                return Err(crate::err!(Invalid, "service_reports.month_or_period"));
            }
            if p.by.is_some() {
                return Err(crate::err!(Invalid, "service_reports.month_not_by"));
            }
            let (first, last) = month_days(m)?;
            (Some(first.to_string()), Some(last.to_string()))
        }
        None => {
            let day = |s: &Option<String>, flag: &str| -> Result<Option<String>> {
                s.as_ref()
                    .map(|d| {
                        parse_date(d, now)
                            .map(|d| d.format("%Y-%m-%d").to_string())
                            .map_err(|e| Error::from(e).context(flag))
                    })
                    .transpose()
            };
            (day(&p.from, "--from")?, day(&p.to, "--to")?)
        }
    };
    if let (Some(f), Some(t)) = (&from, &to) {
        if f > t {
            return Err(crate::err!(Invalid, "reports.from_after_to", f = f, t = t));
        }
    }
    let scope = Scope {
        filter: &p.filter,
        from,
        to,
        ctx: crm.env.ctx(),
        convert: None,
    };
    let stamp = crm.env.clock.stamp();
    let r = crm.reader();
    let mut report = Report::default();
    match month {
        None => {
            let by = p.by.as_deref();
            let groups = desk(crm, &scope, by, &stamp)?;
            let mut total = Desk::default();
            for g in groups.values() {
                total.add(g);
            }
            // Open at the end of the period is the last month's, not their sum.
            if by == Some("month") {
                total.open_at_end = groups.values().last().map_or(0, |g| g.open_at_end);
            }
            let mut keyed: Vec<(String, Desk)> = groups.into_iter().collect();
            if by.is_some_and(|b| b != "month") {
                // The most cases opened first; groups without a value last.
                keyed.sort_by(|(a, x), (b, y)| {
                    (a == "(none)", y.opened, a).cmp(&(b == "(none)", x.opened, b))
                });
            }
            let rows = match by {
                None => vec![desk_row(None, &total)],
                Some(b) => keyed
                    .iter()
                    .map(|(k, d)| desk_row(Some((b, k)), d))
                    .collect(),
            };
            report.tables.push(("groups".into(), rows));
            for (k, v) in desk_row(None, &total).iter() {
                report.totals.insert(k.to_string(), v.to_json());
            }
        }
        Some(m) => {
            report.totals.insert("month".into(), Value::from(m));
            let groups = desk(crm, &scope, None, &stamp)?;
            let total = groups.into_values().next().unwrap_or_default();
            for (k, v) in desk_row(None, &total).iter() {
                if k != "breaches" {
                    report.totals.insert(k.to_string(), v.to_json());
                }
            }
            report
                .tables
                .push(("by_type".into(), r.service_counts(&scope, "type")?));
            report
                .tables
                .push(("by_category".into(), r.service_counts(&scope, "category")?));
            report
                .tables
                .push(("breaches".into(), r.service_breaches(&scope, &stamp)?));
            report
                .tables
                .push(("recurring".into(), r.service_recurring(&scope)?));
        }
    }
    Ok(report)
}

/// The first and last day of a month written YYYY-MM.
/// The report's counts per group, its two halves read at once on two connections.
fn desk(
    crm: &Crm,
    scope: &Scope<'_>,
    by: Option<&str>,
    now: &str,
) -> Result<BTreeMap<String, Desk>> {
    let (mut groups, clocks) = crm.store.read_both(
        |r| r.report_service(scope, by, now, DeskPart::Cases),
        |r| r.report_service(scope, by, now, DeskPart::Clocks),
    )?;
    for (k, d) in clocks {
        groups.entry(k).or_default().add(&d);
    }
    Ok(groups)
}

pub fn month_days(m: &str) -> Result<(NaiveDate, NaiveDate)> {
    let bad = || crate::err!(Invalid, "service_reports.bad_month", month = m);
    let b = m.as_bytes();
    if b.len() != 7 || b[4] != b'-' || !m[..4].bytes().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let (y, mm) = (m[..4].parse::<i32>(), m[5..].parse::<u32>());
    let (Ok(y), Ok(mm)) = (y, mm) else {
        return Err(bad());
    };
    if !m[5..].bytes().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let first = NaiveDate::from_ymd_opt(y, mm, 1).ok_or_else(bad)?;
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(bad)?;
    Ok((first, next.pred_opt().ok_or_else(bad)?))
}

/// A group's row: its group (when grouped), then [`COLUMNS`].
fn desk_row(group: Option<(&str, &str)>, d: &Desk) -> Row {
    let mut row = Row::with_capacity(COLUMNS.len() + 1);
    if let Some((col, value)) = group {
        row.insert(col.to_string(), Cell::from(value));
    }
    row.insert("opened", Cell::Int(d.opened));
    row.insert("resolved", Cell::Int(d.resolved));
    row.insert("open_at_end", Cell::Int(d.open_at_end));
    row.insert("response_median_min", whole(d.response.median()));
    row.insert(
        "response_p90_min",
        d.response.p90().map_or(Cell::Null, Cell::Int),
    );
    row.insert("resolution_median_min", whole(d.resolution.median()));
    row.insert(
        "resolution_p90_min",
        d.resolution.p90().map_or(Cell::Null, Cell::Int),
    );
    row.insert(
        "response_attainment",
        ratio(d.response_met, d.response_met + d.response_breached),
    );
    row.insert(
        "resolution_attainment",
        ratio(d.resolution_met, d.resolution_met + d.resolution_breached),
    );
    row.insert(
        "breaches",
        Cell::Int(d.response_breached + d.resolution_breached),
    );
    row.insert(
        "satisfaction",
        if d.surveys == 0 {
            Cell::Null
        } else {
            Cell::from(((d.score_sum as f64 / d.surveys as f64) * 100.0).round() / 100.0)
        },
    );
    row.insert(
        "nps",
        if d.nps_answers == 0 {
            Cell::Null
        } else {
            let n = (d.promoters - d.detractors) as f64 * 100.0 / d.nps_answers as f64;
            whole(Some((n * 10.0).round() / 10.0))
        },
    );
    row.insert("surveys", Cell::Int(d.surveys));
    row
}

/// A number of minutes (or points) as a whole number when it is one (20, not 20.0).
fn whole(v: Option<f64>) -> Cell {
    match v {
        None => Cell::Null,
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => Cell::Int(x as i64),
        Some(x) => Cell::from(x),
    }
}

/// a / b to four places, or null when b is 0.
fn ratio(a: i64, b: i64) -> Cell {
    if b == 0 {
        return Cell::Null;
    }
    Cell::from(((a as f64 / b as f64) * 10_000.0).round() / 10_000.0)
}

/// The service report's rows with the stored words of a case's type, priority and
/// channel as the language names them (投诉 for `complaint`), in place, for a table.
pub fn label_rows(rows: &mut [Row]) {
    if crate::core::text::language() == "en" {
        return;
    }
    for r in rows {
        for col in ["type", "priority", "channel"] {
            let shown = match r.get(col) {
                Some(Cell::Text(t)) if t != "(none)" => {
                    crate::model::record::choice_label(crate::model::Entity::Case, col, t)
                }
                _ => continue,
            };
            r.insert(col.to_string(), Cell::from(shown));
        }
        if let Some(Cell::Text(t)) = r.get("clock") {
            let shown = crate::core::text::label_of("service_reports.clock", t);
            r.insert("clock", Cell::from(shown));
        }
    }
}
