//! Drawing: one function per screen and popup, from the app state. Nothing here changes
//! data; the only state it writes is what the next frame and the mouse need (scroll
//! position, where the rows are).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::app::{cell, App, Popup, Screen};
use super::keymap::{Action, Context, View};
use super::screens::{board, detail, form, list, palette, popups, reports, today};
use crate::model::record::{format_number, Record};
use crate::model::Entity;

/// Styles, with colour or (NO_COLOR) without.
#[derive(Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }
    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn header(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn accent(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
}

/// The tabs: a view, its name, and the short name used when the names do not fit.
const TABS: [(View, &str, &str); 9] = [
    (View::Today, "Today", "Today"),
    (View::List(Entity::Account), "Accounts", "Accts"),
    (View::List(Entity::Contact), "Contacts", "Contacts"),
    (View::List(Entity::Lead), "Leads", "Leads"),
    (View::List(Entity::Deal), "Deals", "Deals"),
    (View::Board, "Pipeline", "Board"),
    (View::List(Entity::Activity), "Activities", "Activity"),
    (View::List(Entity::Task), "Tasks", "Tasks"),
    (View::Reports, "Reports", "Reports"),
];

pub fn draw(f: &mut Frame, app: &mut App) {
    let t = Theme { color: app.color };
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(f.area());
    draw_tabs(f, app, t, tabs);
    app.rows_area = None;
    let today = app.crm.env.clock.today();
    let now = app.crm.env.clock.now();
    let mut rows_area = None;
    match app.screens.last_mut() {
        Some(Screen::Today(s)) => today::draw_today(f, s, t, body, today),
        Some(Screen::List(l)) => rows_area = Some(list::draw_list(f, l, t, body)),
        Some(Screen::Board(b)) => board::draw_board(f, b, t, body),
        Some(Screen::Detail(d)) => detail::draw_detail(f, d, t, body),
        Some(Screen::Form(form)) => form::draw_form(f, form, t, body, now),
        Some(Screen::Reports(r)) => reports::draw_reports(f, r, t, body),
        None => {}
    }
    app.rows_area = rows_area;
    draw_status(f, app, t, status);
    match &app.popup {
        Some(Popup::Help { scroll }) => popups::draw_help(f, app, t, *scroll),
        Some(Popup::Palette(p)) | Some(Popup::Finder(p)) | Some(Popup::Pick(p)) => {
            palette::draw_picker(f, p, t)
        }
        Some(Popup::Filter { input, error, .. }) => {
            popups::draw_filter(f, input, error.as_deref(), t, status)
        }
        Some(Popup::Confirm { message, .. }) => {
            popups::draw_message(f, "Confirm", message, None, t)
        }
        Some(Popup::Prompt { title, input, .. }) => {
            popups::draw_message(f, title, "", Some(input), t)
        }
        None => {}
    }
}

fn draw_tabs(f: &mut Frame, app: &App, t: Theme, area: Rect) {
    let current = app.view();
    // On a narrow terminal the brand goes and the tabs close up; narrower still, some
    // names are shortened, so all nine fit in 80.
    let names: usize = TABS.iter().map(|(_, n, _)| n.width() + 2).sum();
    let wide = area.width as usize >= 6 + names + 2 * TABS.len();
    let short = !wide && (area.width as usize) < names + TABS.len() - 1;
    let mut spans = if wide {
        vec![Span::styled(" kith ", t.title())]
    } else {
        vec![]
    };
    for (i, (view, long, brief)) in TABS.iter().enumerate() {
        let name = if short { brief } else { long };
        let label = if wide {
            format!(" {} {name} ", i + 1)
        } else {
            format!("{} {name}", i + 1)
        };
        if !wide && i > 0 {
            spans.push(Span::raw(" "));
        }
        if *view == current {
            spans.push(Span::styled(
                label,
                t.selected().add_modifier(Modifier::BOLD),
            ));
        } else {
            spans.push(Span::raw(label));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_status(f: &mut Frame, app: &App, t: Theme, area: Rect) {
    let line = match &app.status {
        Some(s) if s.error => Line::from(Span::styled(s.text.clone(), t.error())),
        Some(s) => Line::from(Span::styled(s.text.clone(), t.good())),
        None => {
            let hint = |a: Action| {
                format!(
                    "{} {}",
                    app.keymap.keys_for(a).split(", ").next().unwrap_or(""),
                    a.name()
                )
            };
            let mut parts = vec![hint(Action::Help), hint(Action::Palette)];
            match app.context() {
                Context::List => parts.extend([
                    hint(Action::Search),
                    hint(Action::New),
                    hint(Action::Sort),
                    hint(Action::Open),
                ]),
                Context::Board => parts.extend([
                    hint(Action::NextStage),
                    hint(Action::Won),
                    hint(Action::Lost),
                    hint(Action::Open),
                ]),
                Context::Detail => parts.extend([
                    hint(Action::Edit),
                    hint(Action::LogActivity),
                    hint(Action::FollowUp),
                    hint(Action::Back),
                ]),
                Context::Form => {
                    parts = vec![
                        hint(Action::NextField),
                        hint(Action::Save),
                        hint(Action::Back),
                    ]
                }
                Context::Reports => parts.extend([
                    hint(Action::NextPeriod),
                    hint(Action::NextGrouping),
                    hint(Action::Search),
                ]),
                Context::Global => parts.extend([hint(Action::Find), hint(Action::Open)]),
            }
            if app.context() != Context::Form {
                parts.push(hint(Action::Quit));
            }
            Line::from(Span::styled(parts.join("  "), t.dim()))
        }
    };
    f.render_widget(Paragraph::new(line), area);
}

// ---------------------------------------------------------------------------------------
// What the screens share

/// A field of a record as the interface shows it: amounts grouped, local date-times to
/// the minute, kith's own UTC stamps in local time.
pub fn shown(r: &Record, field: &str) -> String {
    let v = cell(r, field);
    if v.is_empty() {
        return v;
    }
    match r.entity.field(field).map(|f| f.ty) {
        Some(crate::model::Ty::Money) => money(r.f64(field).unwrap_or(0.0)),
        Some(crate::model::Ty::When) => crate::core::dates::display(&v),
        Some(crate::model::Ty::Stamp) => local(&v),
        _ => v,
    }
}

/// 1234567.5 → "1,234,567.5".
pub fn money(v: f64) -> String {
    let s = format_number(v);
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), format!(".{f}")),
        None => (s.clone(), String::new()),
    };
    let neg = int.starts_with('-');
    let digits: Vec<char> = int.trim_start_matches('-').chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(*c);
    }
    format!("{}{out}{frac}", if neg { "-" } else { "" })
}

pub fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A UTC stamp in local time, to the minute.
pub fn local(stamp: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stamp)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| stamp.to_string())
}

/// Cut a label to `w` cells.
pub fn cut(s: &str, w: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw > w {
            break;
        }
        used += cw;
        out.push(c);
    }
    out
}
/// Clear where a popup goes, and the cell left of it: a wide (CJK) character that starts
/// there would otherwise reach into the popup and hide its border.
pub fn clear(f: &mut Frame, area: Rect) {
    let grow = u16::from(area.x > 0);
    f.render_widget(
        Clear,
        Rect {
            x: area.x - grow,
            width: area.width + grow,
            ..area
        },
    );
}

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(1234567.5), "1,234,567.5");
        assert_eq!(money(999.0), "999");
        assert_eq!(money(1000.0), "1,000");
        assert_eq!(money(0.0), "0");
    }
}
