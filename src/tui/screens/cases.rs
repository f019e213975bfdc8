//! What the service desk's screens share: the countdown of a case's nearest running
//! clock (the queue's column, a case's view, Today's cases at risk) in words and in its
//! colour, the satisfaction line of a 360° view, and the filters of the queue.

use std::collections::HashMap;

use ratatui::style::Style;

use crate::app::crm::Crm;
use crate::app::service::Satisfaction;
use crate::core::error::Result;
use crate::model::record::Record;
use crate::model::Entity;
use crate::tui::view::Theme;

/// The working time left on each case's nearest running clock, by id (seconds, negative
/// once past its deadline; `None` for a case with no clock running).
pub type Left = HashMap<i64, Option<i64>>;

/// The time left of the cases among `rows` (others are passed over).
pub fn left_of(crm: &Crm, rows: &[Record]) -> Result<Left> {
    let cases: Vec<Record> = rows
        .iter()
        .filter(|r| r.entity == Entity::Case)
        .cloned()
        .collect();
    if cases.is_empty() {
        return Ok(Left::new());
    }
    Ok(crm.cases_left(&cases)?.into_iter().collect())
}

/// Working seconds as the countdown says them: `1h 20m`, `35m`.
pub fn span_text(secs: i64) -> String {
    let minutes = secs.abs() / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    if h > 0 {
        crate::tr!("tui.cases.hours_minutes", h = h, m = m)
    } else {
        crate::tr!("tui.cases.minutes", m = m)
    }
}

/// A case's countdown: the time left on its nearest running clock, `breached 35m` once
/// past it, `paused` while it waits on the customer; empty when no clock runs.
pub fn countdown(case: &Record, left: Option<i64>) -> String {
    if case.str("status") == Some("waiting") && case.i64("policy_id").is_some() {
        return crate::tr!("tui.cases.paused").to_string();
    }
    match left {
        Some(s) if s < 0 => crate::tr!("tui.cases.breached_by", over = span_text(s)),
        Some(s) => span_text(s),
        None => String::new(),
    }
}

/// The countdown's style by the case's SLA state: breached red (bold without colour),
/// at risk yellow, on track green, paused dim.
pub fn countdown_style(case: &Record, left: Option<i64>, t: Theme) -> Style {
    match case.str("sla") {
        _ if left.is_some_and(|s| s < 0) => t.error(),
        Some("breached") => t.error(),
        Some("at-risk") => t.warn(),
        Some("paused") => t.dim(),
        Some("on-track") => t.good(),
        _ => Style::default(),
    }
}

/// The line of a 360° view saying how satisfied its customers were: `4.5/5 average of 2
/// surveys · latest NPS 9`.
pub fn satisfaction_text(s: &Satisfaction) -> String {
    let average = format!("{:.1}", s.average);
    let mut text = crate::plural!("tui.cases.satisfaction_line", s.count, average = average);
    if let Some(nps) = s.latest_nps {
        text.push_str(" · ");
        text.push_str(&crate::tr!("tui.cases.latest_nps", nps = nps));
    }
    text
}

/// The queue's filters, in the order `F` goes through them, each with what the status
/// line calls it: all open cases, the acting user's, the unassigned, the breached.
pub fn queue_filters(user: &str) -> [(String, &'static str); 4] {
    [
        ("status:open".into(), crate::tr!("tui.cases.queue.open")),
        (
            format!("status:open assignee:{user}"),
            crate::tr!("tui.cases.queue.mine"),
        ),
        (
            "status:open assignee:".into(),
            crate::tr!("tui.cases.queue.unassigned"),
        ),
        (
            "status:open sla:breached".into(),
            crate::tr!("tui.cases.queue.breached"),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_in_hours_and_minutes() {
        assert_eq!(span_text(35 * 60), "35m");
        assert_eq!(span_text(80 * 60 + 59), "1h 20m");
        assert_eq!(span_text(-35 * 60), "35m");
        assert_eq!(span_text(0), "0m");
    }
}
