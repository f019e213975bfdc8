//! The start screen: what needs doing today (tasks due, today's visits and calls, deals
//! closing, recent activity) under the default pipeline at a glance.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::app::crm::{list_query, Crm};
use crate::core::error::Result;
use crate::domain::sales::pipelines::Board as PipelineBoard;
use crate::model::query::{Op, Term};
use crate::model::record::Record;
use crate::model::Entity;
use crate::tui::screens::cases::{countdown, countdown_style, left_of, Left};
use crate::tui::view::cell;
use crate::tui::view::{amount, fit_line, pad, pad_left, shown, Theme};

/// The start screen: what needs doing today.
pub struct Today {
    pub sections: Vec<(String, Vec<Record>)>,
    /// How many records each section stands for, counted (a section shows the first 100
    /// or 50 of them; the recent activity is the last ten, its count is what it shows).
    pub totals: Vec<usize>,
    pub pipeline: Option<PipelineBoard>,
    pub selected: usize,
    /// Of the acting user's cases at risk (a section first when there are some), the
    /// working time left on each one's nearest clock.
    pub left: Left,
}

impl Today {
    /// An empty start screen, read by the first reload.
    pub fn new() -> Today {
        Today {
            sections: vec![],
            totals: vec![],
            pipeline: None,
            selected: 0,
            left: Left::new(),
        }
    }

    /// The record under the cursor (the sections count as one list).
    pub fn selected(&self) -> Option<(Entity, i64)> {
        let mut i = self.selected;
        for (_, items) in &self.sections {
            if i < items.len() {
                let r = &items[i];
                return Some((r.entity, r.id()));
            }
            i -= items.len();
        }
        None
    }
}

impl Default for Today {
    fn default() -> Today {
        Today::new()
    }
}

pub fn load_today(crm: &Crm, selected: usize) -> Result<Today> {
    let term = |f: &str, op: Op, v: &str| Term::Field {
        field: f.into(),
        op,
        value: v.into(),
    };
    let tasks_q = list_query(
        vec![term("done", Op::Eq, "no"), term("due", Op::Le, "today")],
        "due,-priority",
        Some(100),
    );
    let tasks = crm.list(Entity::Task, &tasks_q)?;
    let planned_q = list_query(
        vec![
            term("at", Op::Eq, "today"),
            term("kind", Op::Ne, "note"),
            term("kind", Op::Ne, "email"),
        ],
        "at",
        Some(50),
    );
    let planned = crm.list(Entity::Activity, &planned_q)?;
    let closing_q = list_query(
        vec![term("status", Op::Eq, "open"), term("close", Op::Le, "eom")],
        "close,-amount",
        Some(50),
    );
    let closing = crm.list(Entity::Deal, &closing_q)?;
    let recent = crm.list(
        Entity::Activity,
        &list_query(vec![term("at", Op::Le, "now")], "-at", Some(10)),
    )?;
    // A full section is counted (from an index, without reading the records), so its
    // title says how many there are, not how many are shown.
    let count = |shown: &[Record], limit: usize, e: Entity, q| -> Result<usize> {
        if shown.len() < limit {
            Ok(shown.len())
        } else if e == Entity::Task {
            crm.count_tasks_due_by(crm.env.clock.today())
        } else if e == Entity::Deal {
            crm.count_deals_closing_in_month_of(crm.env.clock.today())
        } else {
            crm.count(e, q)
        }
    };
    let totals = vec![
        count(&tasks, 100, Entity::Task, &tasks_q)?,
        count(&planned, 50, Entity::Activity, &planned_q)?,
        count(&closing, 50, Entity::Deal, &closing_q)?,
        recent.len(),
    ];
    let pipeline = crm.default_board()?;
    let mut sections = vec![
        (crate::tr!("tui.today.due").to_string(), tasks),
        (crate::tr!("tui.today.planned").to_string(), planned),
        (crate::tr!("tui.today.closing").to_string(), closing),
        (crate::tr!("tui.today.recent").to_string(), recent),
    ];
    let mut totals = totals;
    // The acting user's cases at risk or breached, first, when there are any.
    let at_risk = crm.my_cases_at_risk(50)?;
    let left = left_of(crm, &at_risk)?;
    if !at_risk.is_empty() {
        totals.insert(0, at_risk.len());
        sections.insert(
            0,
            (crate::tr!("tui.today.cases_at_risk").to_string(), at_risk),
        );
    }
    let total: usize = sections.iter().map(|(_, v)| v.len()).sum();
    Ok(Today {
        left,
        sections,
        totals,
        pipeline,
        selected: selected.min(total.saturating_sub(1)),
    })
}

pub fn draw_today(f: &mut Frame, s: &Today, t: Theme, area: Rect, today: chrono::NaiveDate) {
    let stages = s
        .pipeline
        .as_ref()
        .map(|p| p.stages.iter().filter(|x| x.outcome == "open").count())
        .unwrap_or(0);
    let board_h = if stages > 0 {
        (stages as u16 + 2).min(area.height / 3)
    } else {
        0
    };
    let [top, rest] =
        Layout::vertical([Constraint::Length(board_h), Constraint::Min(1)]).areas(area);
    if let Some(p) = &s.pipeline {
        let open: Vec<_> = p.stages.iter().filter(|x| x.outcome == "open").collect();
        // Bars by amount when the pipeline holds one currency; by deals when it holds more
        // (amounts of different currencies do not compare).
        let mut all = crate::core::money::Totals::new();
        open.iter().for_each(|x| all.merge(&x.amount));
        let size = |x: &crate::domain::sales::pipelines::BoardStage| {
            if all.len() > 1 {
                x.count as f64
            } else {
                x.amount.largest().to_f64()
            }
        };
        let max = open.iter().map(|x| size(x)).fold(0.0_f64, f64::max);
        let name_w = open
            .iter()
            .map(|x| x.shown_name().width())
            .max()
            .unwrap_or(0);
        // Room for the widest total (two currencies take more than one).
        let amount_w = open
            .iter()
            .map(|x| x.amount.shown().width())
            .max()
            .unwrap_or(0)
            .max(14);
        let bar_w = (top.width as usize)
            .saturating_sub(name_w + 22 + amount_w)
            .max(4);
        // "1 deal" is shorter than "2 deals": the amounts line up after the widest.
        let deals = |x: &crate::domain::sales::pipelines::BoardStage| {
            crate::plural!(
                "tui.today.deals",
                x.count,
                count = pad_left(&x.count.to_string(), 3)
            )
        };
        let deals_w = open.iter().map(|x| deals(x).width()).max().unwrap_or(0);
        let lines: Vec<Line> = open
            .iter()
            .map(|x| {
                let n = if max > 0.0 {
                    ((size(x) / max) * bar_w as f64).round() as usize
                } else {
                    0
                };
                Line::from(vec![
                    Span::raw(format!(" {} ", pad(&x.shown_name(), name_w))),
                    Span::styled(format!("{:<bar_w$}", "█".repeat(n)), t.accent()),
                    Span::raw(format!(
                        " {} {}",
                        pad(&deals(x), deals_w),
                        pad_left(&x.amount.shown(), amount_w)
                    )),
                ])
            })
            .collect();
        let title = format!(
            " {} ",
            crate::tr!("tui.today.pipeline", name = p.shown_name())
        );
        f.render_widget(
            Paragraph::new(lines).block(Block::bordered().title(Span::styled(title, t.title()))),
            top,
        );
    }
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0;
    let mut i = 0;
    for (k, (title, items)) in s.sections.iter().enumerate() {
        let total = s.totals.get(k).copied().unwrap_or(items.len());
        lines.push(Line::from(Span::styled(
            crate::tr!("tui.today.section", title = title, n = count_text(total)),
            t.title(),
        )));
        if items.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("  {}", crate::tr!("tui.today.nothing")),
                t.dim(),
            )));
        }
        for r in items {
            // A line too long for the screen ends in …
            let mut line = fit_line(today_line(r, t, today, &s.left), rest.width as usize);
            if i == s.selected {
                selected_line = lines.len();
                line = line.patch_style(t.selected());
            }
            lines.push(line);
            i += 1;
        }
        if total > items.len() {
            lines.push(Line::from(Span::styled(
                format!(
                    "  {}",
                    crate::tr!("tui.lists.more", n = count_text(total - items.len()))
                ),
                t.dim(),
            )));
        }
        lines.push(Line::raw(""));
    }
    let h = rest.height as usize;
    let scroll = selected_line.saturating_sub(h.saturating_sub(3));
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), rest);
}

/// A count as the screens show it: 74,915.
pub fn count_text(n: usize) -> String {
    crate::core::money::group_digits(&n.to_string())
}

fn today_line<'a>(r: &Record, t: Theme, today: chrono::NaiveDate, left: &Left) -> Line<'a> {
    let account = cell(r, "account");
    let tail = if account.is_empty() {
        String::new()
    } else {
        format!("  · {account}")
    };
    match r.entity {
        Entity::Task => {
            let due = cell(r, "due");
            let overdue = due
                .get(..10)
                .is_some_and(|d| d < today.format("%Y-%m-%d").to_string().as_str());
            Line::from(vec![
                Span::raw("  ☐ "),
                Span::styled(
                    format!("{:<16} ", crate::core::dates::display(&due)),
                    if overdue { t.error() } else { t.warn() },
                ),
                Span::raw(r.label().to_string()),
                Span::styled(tail, t.dim()),
            ])
        }
        Entity::Activity => Line::from(vec![
            Span::raw("  "),
            Span::styled(format!("{:<16} ", shown(r, "at")), t.dim()),
            Span::styled(format!("{} ", pad(&shown(r, "kind"), 7)), t.accent()),
            Span::raw(r.label().to_string()),
            Span::styled(tail, t.dim()),
        ]),
        Entity::Deal => Line::from(vec![
            Span::raw("  "),
            Span::styled(format!("{:<11} ", cell(r, "expected_close")), t.warn()),
            Span::raw(r.label().to_string()),
            Span::styled(
                format!(
                    "  {} {} · {}",
                    amount(r, "amount"),
                    cell(r, "currency"),
                    shown(r, "stage")
                ),
                t.dim(),
            ),
            Span::styled(tail, t.dim()),
        ]),
        Entity::Case => {
            let left = left.get(&r.id()).copied().flatten();
            Line::from(vec![
                Span::raw("  "),
                Span::styled(
                    format!("{} ", pad(&countdown(r, left), 16)),
                    countdown_style(r, left, t),
                ),
                Span::raw(format!("{} {}", r.label(), r.text("title"))),
                Span::styled(tail, t.dim()),
            ])
        }
        _ => Line::raw(format!("  {}", r.label())),
    }
}
