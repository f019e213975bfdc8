//! Drawing: one function per screen and popup, from the app state. Nothing here changes
//! data; the only state it writes is what the next frame and the mouse need (scroll
//! position, where the rows are).

use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::app::{
    cell, refs, App, Board, Detail, ListView, Pick, Picker, Popup, Reports, Screen, Today, PERIODS,
};
use super::form::Form;
use super::keymap::{Action, Context, View};
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
        Some(Screen::Today(s)) => draw_today(f, s, t, body, today),
        Some(Screen::List(l)) => rows_area = Some(draw_list(f, l, t, body)),
        Some(Screen::Board(b)) => draw_board(f, b, t, body),
        Some(Screen::Detail(d)) => draw_detail(f, d, t, body),
        Some(Screen::Form(form)) => draw_form(f, form, t, body, now),
        Some(Screen::Reports(r)) => draw_reports(f, r, t, body),
        None => {}
    }
    app.rows_area = rows_area;
    draw_status(f, app, t, status);
    match &app.popup {
        Some(Popup::Help { scroll }) => draw_help(f, app, t, *scroll),
        Some(Popup::Palette(p)) | Some(Popup::Finder(p)) | Some(Popup::Pick(p)) => {
            draw_picker(f, p, t)
        }
        Some(Popup::Filter { input, error, .. }) => {
            draw_filter(f, input, error.as_deref(), t, status)
        }
        Some(Popup::Confirm { message, .. }) => draw_message(f, "Confirm", message, None, t),
        Some(Popup::Prompt { title, input, .. }) => draw_message(f, title, "", Some(input), t),
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
// Today

fn draw_today(f: &mut Frame, s: &Today, t: Theme, area: Rect, today: chrono::NaiveDate) {
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
        let name_w = open.iter().map(|x| x.name.width()).max().unwrap_or(0);
        // Room for the widest total (two currencies take more than one).
        let amount_w = open
            .iter()
            .map(|x| x.amount.text().width())
            .max()
            .unwrap_or(0)
            .max(14);
        let bar_w = (top.width as usize)
            .saturating_sub(name_w + 22 + amount_w)
            .max(4);
        let lines: Vec<Line> = open
            .iter()
            .map(|x| {
                let n = if max > 0.0 {
                    ((size(x) / max) * bar_w as f64).round() as usize
                } else {
                    0
                };
                Line::from(vec![
                    Span::raw(format!(" {:<w$} ", x.name, w = name_w)),
                    Span::styled(format!("{:<bar_w$}", "█".repeat(n)), t.accent()),
                    Span::raw(format!(
                        " {:>3} deals {:>amount_w$}",
                        x.count,
                        x.amount.text()
                    )),
                ])
            })
            .collect();
        let title = format!(" Pipeline at a glance · {} ", p.name);
        f.render_widget(
            Paragraph::new(lines).block(Block::bordered().title(Span::styled(title, t.title()))),
            top,
        );
    }
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0;
    let mut i = 0;
    for (title, items) in &s.sections {
        lines.push(Line::from(Span::styled(
            format!("{title} ({})", items.len()),
            t.title(),
        )));
        if items.is_empty() {
            lines.push(Line::from(Span::styled("  nothing", t.dim())));
        }
        for r in items {
            let mut line = today_line(r, t, today);
            if i == s.selected {
                selected_line = lines.len();
                line = line.patch_style(t.selected());
            }
            lines.push(line);
            i += 1;
        }
        lines.push(Line::raw(""));
    }
    let h = rest.height as usize;
    let scroll = selected_line.saturating_sub(h.saturating_sub(3));
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), rest);
}

fn today_line<'a>(r: &Record, t: Theme, today: chrono::NaiveDate) -> Line<'a> {
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
            Span::styled(format!("{:<7} ", cell(r, "kind")), t.accent()),
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
                    money(r.f64("amount").unwrap_or(0.0)),
                    cell(r, "currency"),
                    cell(r, "stage")
                ),
                t.dim(),
            ),
            Span::styled(tail, t.dim()),
        ]),
        _ => Line::raw(format!("  {}", r.label())),
    }
}

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

// ---------------------------------------------------------------------------------------
// Lists

fn columns(e: Entity) -> Vec<&'static str> {
    e.list_columns()
        .into_iter()
        .map(|c| match c {
            "emails" => "email",
            "phones" => "phone",
            o => o,
        })
        .collect()
}

/// Draw a list; returns where its rows are.
fn draw_list(f: &mut Frame, l: &mut ListView, t: Theme, area: Rect) -> Rect {
    let more = if l.exhausted { "" } else { "+" };
    let mut title = format!(" {} · {}{more} ", capital(l.entity.plural()), l.rows.len());
    if !l.filter_text.is_empty() {
        title.push_str(&format!("· / {} ", l.filter_text));
    }
    if let Some(k) = l.query.sort.first() {
        title.push_str(&format!(
            "· sort {}{} ",
            if k.desc { "-" } else { "" },
            k.field
        ));
    }
    let block = Block::bordered().title(Span::styled(title, t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let height = inner.height.saturating_sub(1) as usize;
    if l.selected < l.top {
        l.top = l.selected;
    } else if height > 0 && l.selected >= l.top + height {
        l.top = l.selected + 1 - height;
    }
    let visible: Vec<&Record> = l.rows.iter().skip(l.top).take(height).collect();
    let all = columns(l.entity);
    let natural: Vec<usize> = all
        .iter()
        .map(|c| {
            let w = visible
                .iter()
                .map(|r| shown(r, c).width())
                .max()
                .unwrap_or(0)
                .max(c.width());
            w.min(40)
        })
        .collect();
    let keep = columns_that_fit(l.entity, &all, &natural, inner.width as usize);
    let cols: Vec<&str> = keep.iter().map(|&i| all[i]).collect();
    let label = cols.iter().position(|c| *c == l.entity.label_field());
    let widths = fit_widths(
        keep.iter().map(|&i| natural[i]).collect(),
        inner.width as usize,
        2,
        label,
    );
    let header = Row::new(cols.iter().map(|c| Cell::from(c.to_uppercase()))).style(t.header());
    let rows: Vec<Row> = visible
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let cells = cols.iter().map(|c| Cell::from(shown(r, c)));
            let row = Row::new(cells);
            if l.top + i == l.selected {
                row.style(t.selected())
            } else {
                row
            }
        })
        .collect();
    let table = Table::new(rows, widths.iter().map(|w| Constraint::Length(*w)))
        .header(header)
        .column_spacing(2);
    f.render_widget(table, inner);
    if l.rows.is_empty() {
        let msg = if l.filter_text.is_empty() {
            format!("No {} yet. Press n to add one.", l.entity.plural())
        } else {
            "Nothing matches. Press / to change the filter, esc to clear it.".to_string()
        };
        let r = Rect {
            y: inner.y + 2,
            height: 1,
            ..inner
        };
        f.render_widget(Paragraph::new(Span::styled(msg, t.dim())), r);
    }
    Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    }
}

/// Columns dropped first when a list is narrow, least useful first.
const DROP_ORDER: &[&str] = &[
    "tags",
    "owner",
    "currency",
    "probability",
    "kind",
    "type",
    "minutes",
    "outcome",
    "industry",
    "source",
    "priority",
    "role",
    "title",
    "status",
    "score",
    "done",
    "phone",
    "company",
    "city",
    "account",
    "stage",
    "email",
    "tier",
];

/// Which columns (by index) to show in `room` cells: drop the least useful until the name
/// column gets its natural width (up to 24 cells).
pub fn columns_that_fit(e: Entity, cols: &[&str], natural: &[usize], room: usize) -> Vec<usize> {
    let label = e.label_field();
    let want = |i: usize| {
        if cols[i] == label {
            natural[i].min(24)
        } else {
            natural[i].min(12)
        }
    };
    let mut keep: Vec<usize> = (0..cols.len()).collect();
    let need = |keep: &[usize]| {
        keep.iter().map(|&i| want(i)).sum::<usize>() + 2 * keep.len().saturating_sub(1)
    };
    for name in DROP_ORDER {
        if need(&keep) <= room {
            break;
        }
        // The label and the id always stay; `title` is a deal's name but a contact's job.
        if *name == label {
            continue;
        }
        keep.retain(|&i| cols[i] != *name);
    }
    keep
}

/// Shrink column widths to fit `room` (with `gap` between columns): the widest column
/// gives way first, none below 4 cells; the `keep` column (the name) only when the others
/// cannot give more.
pub fn fit_widths(mut w: Vec<usize>, room: usize, gap: usize, keep: Option<usize>) -> Vec<u16> {
    let total = |w: &[usize]| w.iter().sum::<usize>() + gap * w.len().saturating_sub(1);
    while total(&w) > room {
        let widest = |skip: Option<usize>| {
            w.iter()
                .enumerate()
                .filter(|(i, x)| Some(*i) != skip && **x > 4)
                .max_by_key(|(_, x)| **x)
                .map(|(i, _)| i)
        };
        match widest(keep).or_else(|| widest(None)) {
            Some(i) => w[i] -= 1,
            None => break,
        }
    }
    w.into_iter().map(|x| x as u16).collect()
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Pipeline board

fn draw_board(f: &mut Frame, b: &Board, t: Theme, area: Rect) {
    let Some(p) = b.boards.get(b.current) else {
        f.render_widget(Paragraph::new("No pipeline."), area);
        return;
    };
    let [head, cols_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let n = p.stages.len().max(1);
    // Show as many columns as fit at 20 cells or more (a stage's name and count), keeping
    // the selected one in view.
    let fit = ((cols_area.width / 20) as usize).clamp(1, n);
    let first = if b.col >= fit { b.col + 1 - fit } else { 0 };
    let shown_range = if fit < n {
        format!("  stages {}–{} of {n} (h/l)", first + 1, first + fit)
    } else {
        String::new()
    };
    let more = if b.boards.len() > 1 {
        "  p next pipeline"
    } else {
        ""
    };
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!(" Pipeline: {}", p.name), t.title()),
            Span::styled(shown_range, t.accent()),
            Span::styled(
                format!("   > next stage  < back  W won  L lost{more}"),
                t.dim(),
            ),
        ])),
        head,
    );
    let areas = Layout::horizontal(vec![Constraint::Ratio(1, fit as u32); fit]).split(cols_area);
    for (slot, area) in areas.iter().enumerate() {
        let c = first + slot;
        let (Some(stage), Some(deals)) = (p.stages.get(c), b.columns.get(c)) else {
            continue;
        };
        let title = format!(
            " {} {} ",
            stage.name,
            if stage.outcome == "open" {
                stage.count
            } else {
                deals.len() as i64
            }
        );
        let foot = if stage.outcome == "open" {
            format!(" {} ", stage.amount.text())
        } else {
            " recent ".into()
        };
        let style = if c == b.col {
            t.accent()
        } else {
            Style::default()
        };
        let block = Block::bordered()
            .border_style(style)
            .title(Span::styled(
                title,
                // Reversed as well, so the column stands out without colour.
                if c == b.col {
                    t.accent().add_modifier(Modifier::REVERSED)
                } else {
                    t.title()
                },
            ))
            .title_bottom(Span::styled(foot, t.dim()));
        let inner = block.inner(*area);
        f.render_widget(block, *area);
        let per = 2usize;
        let visible = (inner.height as usize / per).max(1);
        let top = if c == b.col && b.row >= visible {
            b.row + 1 - visible
        } else {
            0
        };
        let mut lines = Vec::new();
        for (i, d) in deals.iter().enumerate().skip(top).take(visible) {
            let sel = c == b.col && i == b.row;
            let st = if sel { t.selected() } else { Style::default() };
            lines.push(Line::from(Span::styled(
                d.label().to_string(),
                st.add_modifier(Modifier::BOLD),
            )));
            lines.push(Line::from(Span::styled(
                format!(
                    "{} {} · {}",
                    money(d.f64("amount").unwrap_or(0.0)),
                    cell(d, "currency"),
                    cell(d, "account")
                ),
                if sel { st } else { t.dim() },
            )));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
}

// ---------------------------------------------------------------------------------------
// Detail

fn draw_detail(f: &mut Frame, d: &Detail, t: Theme, area: Rect) {
    let r = &d.overview.record;
    let trashed = if r.is_trashed() {
        "  (in the trash)"
    } else {
        ""
    };
    let title = format!(
        " {} {} · {}{trashed} ",
        capital(d.entity.name()),
        d.id,
        r.label()
    );
    let block = Block::bordered().title(Span::styled(title, t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let left_w = (inner.width * 2 / 5).clamp(24, 60).min(inner.width);
    let [left, right] = Layout::horizontal([Constraint::Length(left_w), Constraint::Min(1)])
        .spacing(2)
        .areas(inner);

    // Fields.
    let key_w = d
        .entity
        .fields()
        .iter()
        .map(|f| f.name.width())
        .max()
        .unwrap_or(8)
        .min(14);
    // Short fields in a two-column table (values cut, never wrapped under the labels);
    // long text below, wrapped.
    let mut rows = Vec::new();
    let mut long = Vec::new();
    for fd in d.entity.fields() {
        let v = shown(r, fd.name);
        if fd.name == d.entity.label_field() || v.is_empty() {
            continue;
        }
        if fd.ty == crate::model::Ty::LongText {
            long.push(Line::from(Span::styled(fd.name.replace('_', " "), t.dim())));
            long.extend(v.lines().map(|l| Line::raw(l.to_string())));
        } else {
            rows.push(Row::new([
                Cell::from(Span::styled(fd.name.replace('_', " "), t.dim())),
                Cell::from(v),
            ]));
        }
    }
    let table_h = (rows.len() as u16).min(left.height);
    let [fields_area, long_area] =
        Layout::vertical([Constraint::Length(table_h), Constraint::Min(0)]).areas(left);
    let widths = [Constraint::Length(key_w as u16), Constraint::Min(1)];
    f.render_widget(Table::new(rows, widths).column_spacing(1), fields_area);
    f.render_widget(Paragraph::new(long).wrap(Wrap { trim: false }), long_area);

    // Links, related records, stage history and the change log.
    let mut lines: Vec<Line> = Vec::new();
    let mut link = 0usize;
    let mut selected_line = 0usize;
    let mut push_link = |lines: &mut Vec<Line>, text: Line<'static>| {
        if link == d.selected {
            selected_line = lines.len();
            lines.push(text.patch_style(t.selected()));
        } else {
            lines.push(text);
        }
        link += 1;
    };
    let refs = refs(r);
    if !refs.is_empty() {
        lines.push(Line::from(Span::styled("Links", t.title())));
        for (name, _, _) in &refs {
            let text = Line::from(vec![
                Span::styled(format!("  {name}: "), t.dim()),
                Span::raw(cell(r, name)),
            ]);
            push_link(&mut lines, text);
        }
    }
    for (name, recs) in &d.overview.related {
        lines.push(Line::from(Span::styled(
            format!("{} ({})", capital(&name.replace('_', " ")), recs.len()),
            t.title(),
        )));
        for rec in recs {
            let text = Line::from(vec![
                Span::raw(format!("  {}", rec.label())),
                Span::styled(format!("  {}", related_detail(rec)), t.dim()),
            ]);
            if rec.entity == Entity::Stage {
                lines.push(text);
            } else {
                push_link(&mut lines, text);
            }
        }
    }
    if !d.overview.stage_history.is_empty() {
        lines.push(Line::from(Span::styled("Stage history", t.title())));
        for s in &d.overview.stage_history {
            lines.push(Line::from(Span::styled(
                format!(
                    "  {}  {} → {}  by {}",
                    local(&s.at),
                    s.from.clone().unwrap_or_else(|| "·".into()),
                    s.to,
                    s.user
                ),
                t.dim(),
            )));
        }
    }
    lines.push(Line::from(Span::styled(
        format!("History ({})", d.history.len()),
        t.title(),
    )));
    for c in d.history.iter().rev().take(20) {
        let fields: Vec<String> = c
            .after
            .as_object()
            .map(|o| o.keys().filter(|k| *k != "updated_at").cloned().collect())
            .unwrap_or_default();
        let fields: Vec<String> = fields
            .iter()
            .map(|col| {
                d.entity
                    .fields()
                    .iter()
                    .find(|f| f.has_column(col))
                    .map(|f| f.name.replace('_', " "))
                    .unwrap_or_else(|| col.replace('_', " "))
            })
            .collect();
        let what = if c.op == "create" {
            String::new()
        } else {
            fields.join(", ")
        };
        lines.push(Line::from(Span::styled(
            format!("  {}  {} {} {what}", local(&c.at), c.user, c.op),
            t.dim(),
        )));
    }
    let h = right.height as usize;
    let scroll = selected_line.saturating_sub(h.saturating_sub(2));
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), right);
}

fn related_detail(r: &Record) -> String {
    match r.entity {
        Entity::Contact => [cell(r, "title"), cell(r, "email")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        Entity::Deal => format!(
            "{} {} · {} · {}",
            money(r.f64("amount").unwrap_or(0.0)),
            cell(r, "currency"),
            cell(r, "stage"),
            cell(r, "expected_close")
        ),
        Entity::Activity => format!("{} · {}", cell(r, "kind"), shown(r, "at")),
        Entity::Task => format!("due {}", shown(r, "due")),
        Entity::Account => [cell(r, "type"), cell(r, "tier"), cell(r, "city")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        Entity::Stage => format!("{}% {}", cell(r, "probability"), cell(r, "outcome")),
        _ => String::new(),
    }
}

/// A UTC stamp in local time, to the minute.
fn local(stamp: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stamp)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| stamp.to_string())
}

// ---------------------------------------------------------------------------------------
// Reports

/// Keys that hold a share (0–1), shown as a percentage.
fn is_rate(key: &str) -> bool {
    key.ends_with("rate") || matches!(key, "conversion" | "coverage")
}

/// A report's value as the screen shows it: amounts grouped, shares as percentages.
fn report_text(key: &str, v: &crate::store::Cell) -> String {
    use crate::store::Cell as C;
    let number = |x: f64, id: String| {
        if is_rate(key) {
            format!("{:.1}%", x * 100.0)
        } else if key == "probability" {
            format!("{}%", format_number(x))
        } else if key.ends_with("id") {
            id
        } else {
            money(x)
        }
    };
    match v {
        C::Null => "–".into(),
        C::Bool(b) => if *b { "yes" } else { "no" }.into(),
        C::Int(i) => number(*i as f64, i.to_string()),
        C::Float(f) => number(*f, serde_json::Value::from(*f).to_string()),
        C::Text(s) if s.is_empty() => "–".into(),
        C::Text(s) if key.starts_with("last_") => crate::core::dates::display(s),
        C::Text(s) => s.to_string(),
    }
}

/// 1280000 → "1.28M", 350000 → "350k": short enough to sit on a bar.
fn short_amount(v: f64) -> String {
    let a = v.abs();
    let (x, unit) = if a >= 1e9 {
        (v / 1e9, "G")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let s = if x.abs() >= 100.0 || unit.is_empty() {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    format!("{s}{unit}")
}

/// Columns of a report dropped first when the table is too wide, least useful first.
const REPORT_DROP_ORDER: &[&str] = &[
    "account_id",
    "recency",
    "frequency",
    "monetary",
    "won_deals",
    "last_won",
    "probability",
    "notes",
    "emails",
    "disqualified",
    "touched",
    "lost_amount",
    "profit",
    "last_activity",
    "avg_days",
    "outcome",
    "tier",
    "deals",
];

/// A report table's columns and their widths in `room` cells: the least useful columns
/// dropped first when it is too wide, never the row's name or `measure` (what the chart
/// shows).
fn report_table_width(
    rows: &[crate::store::Row],
    room: usize,
    measure: Option<&str>,
) -> (Vec<String>, Vec<u16>) {
    let Some(first) = rows.first() else {
        return (vec![], vec![]);
    };
    let all: Vec<String> = first.keys().map(String::from).collect();
    let natural: Vec<usize> = all
        .iter()
        .map(|k| {
            rows.iter()
                .map(|r| report_text(k, r.get(k).unwrap_or(&crate::store::Cell::Null)).width())
                .max()
                .unwrap_or(0)
                .max(header_text(k).width())
                .min(24)
        })
        .collect();
    let mut keep: Vec<usize> = (0..all.len()).collect();
    let need = |keep: &[usize]| {
        keep.iter().map(|&i| natural[i]).sum::<usize>() + 2 * keep.len().saturating_sub(1)
    };
    // The first column names the row (customers: the name after the id).
    let label = all.iter().position(|k| k == "name").unwrap_or(0);
    for name in REPORT_DROP_ORDER {
        if need(&keep) <= room || keep.len() <= 2 {
            break;
        }
        if Some(*name) == measure {
            continue;
        }
        keep.retain(|&i| all[i] != *name || i == label);
    }
    let label = keep.iter().position(|&i| i == label);
    let widths = fit_widths(keep.iter().map(|&i| natural[i]).collect(), room, 2, label);
    (keep.into_iter().map(|i| all[i].clone()).collect(), widths)
}

fn header_text(key: &str) -> String {
    match key {
        "weighted_amount" => "WEIGHTED".into(),
        "conversion_rate" => "CONVERSION".into(),
        "disqualified" => "DISQUAL.".into(),
        "probability" => "PROB.".into(),
        _ => key.replace('_', " ").to_uppercase(),
    }
}

/// Draw one table of a report in `area`.
fn draw_report_table(
    f: &mut Frame,
    rows: &[crate::store::Row],
    cols: &[String],
    widths: &[u16],
    t: Theme,
    area: Rect,
) {
    if rows.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled("nothing in this period", t.dim())),
            area,
        );
        return;
    }
    let numeric: Vec<bool> = cols
        .iter()
        .map(|k| {
            use crate::store::Cell as C;
            rows.iter()
                .any(|r| matches!(r.get(k), Some(C::Int(_) | C::Float(_))))
                && rows
                    .iter()
                    .all(|r| matches!(r.get(k), Some(C::Int(_) | C::Float(_) | C::Null) | None))
        })
        .collect();
    let align = |text: String, right: bool| {
        let line = Line::from(text);
        Cell::from(if right { line.right_aligned() } else { line })
    };
    // Headers are cut at their end, also when right-aligned.
    let header = Row::new(
        cols.iter()
            .zip(&numeric)
            .zip(widths)
            .map(|((k, n), w)| align(cut(&header_text(k), *w as usize), *n)),
    )
    .style(t.header());
    let body: Vec<Row> = rows
        .iter()
        .map(|r| {
            Row::new(cols.iter().zip(&numeric).map(|(k, n)| {
                align(
                    report_text(k, r.get(k).unwrap_or(&crate::store::Cell::Null)),
                    *n,
                )
            }))
        })
        .collect();
    let table = Table::new(body, widths.iter().map(|w| Constraint::Length(*w)))
        .header(header)
        .column_spacing(2);
    f.render_widget(table, area);
}

/// What a report's chart shows: a title and (label, value, value as text) per bar.
struct ChartData {
    title: String,
    bars: Vec<(String, u64, String)>,
}

fn num(r: &crate::store::Row, k: &str) -> f64 {
    r.get(k).and_then(crate::store::Cell::as_f64).unwrap_or(0.0)
}

fn label_of(r: &crate::store::Row, k: &str) -> String {
    match r.get(k) {
        Some(crate::store::Cell::Text(s)) if !s.is_empty() => s.to_string(),
        Some(crate::store::Cell::Null) | None => "(none)".into(),
        Some(v) => report_text(k, v),
    }
}

/// A report row's label with the currency of its sums, when it has one ("proposal CNY"):
/// rows of one stage or owner in two currencies are two bars.
fn with_currency(r: &crate::store::Row, label: String) -> String {
    match r.get("currency").and_then(crate::store::Cell::as_str) {
        Some(c) => format!("{label} {c}"),
        None => label,
    }
}

/// Sum `value` per distinct `key`, in the order the keys first appear.
fn sum_by(rows: &[crate::store::Row], key: &str, value: &str) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for r in rows {
        let k = label_of(r, key);
        let v = num(r, value);
        match out.iter_mut().find(|(x, _)| *x == k) {
            Some((_, total)) => *total += v,
            None => out.push((k, v)),
        }
    }
    out
}

/// The main measure of a report, as bars (all but the forecast, which has its own chart).
fn chart_data(r: &Reports, rows: &[crate::store::Row]) -> ChartData {
    use crate::app::reports::Kind;
    let amount = |v: f64| (v.max(0.0).round() as u64, short_amount(v));
    let count = |v: f64| (v.max(0.0).round() as u64, money(v));
    let bars = |pairs: Vec<(String, f64)>, money: bool| {
        pairs
            .into_iter()
            .map(|(l, v)| {
                let (n, s) = if money { amount(v) } else { count(v) };
                (l, n, s)
            })
            .collect()
    };
    let first = rows
        .first()
        .and_then(|r| r.keys().next().map(String::from))
        .unwrap_or_default();
    let col = |k: &str| -> Vec<(String, f64)> {
        rows.iter()
            .map(|x| (with_currency(x, label_of(x, &first)), num(x, k)))
            .collect()
    };
    match r.kind() {
        Kind::Pipeline => ChartData {
            title: "amount per stage".into(),
            bars: bars(col("amount"), true),
        },
        Kind::Funnel => ChartData {
            title: "deals entering each stage".into(),
            bars: bars(col("entered"), false),
        },
        Kind::Winloss => ChartData {
            title: format!("won amount per {first}"),
            bars: bars(col("won_amount"), true),
        },
        Kind::Activity => {
            let by = if r.by() == Some("owner") {
                "owner"
            } else {
                "period"
            };
            ChartData {
                title: format!("activities per {by}"),
                bars: bars(sum_by(rows, by, "total"), false),
            }
        }
        Kind::Customers => {
            let key = if r.by() == Some("profit") {
                "profit"
            } else {
                "won_amount"
            };
            let top: Vec<(String, f64)> = rows
                .iter()
                .map(|x| (with_currency(x, label_of(x, "name")), num(x, key)))
                .filter(|(_, v)| *v > 0.0)
                .collect();
            ChartData {
                title: format!("{} of the top accounts", key.replace('_', " ")),
                bars: bars(top, true),
            }
        }
        Kind::Leads => ChartData {
            title: format!("leads per {first}"),
            bars: bars(col("leads"), false),
        },
        Kind::Forecast => ChartData {
            title: "best case and won per period".into(),
            bars: vec![],
        },
    }
}

/// Cut a label to `w` cells.
fn cut(s: &str, w: usize) -> String {
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

fn draw_chart(f: &mut Frame, r: &Reports, rows: &[crate::store::Row], t: Theme, area: Rect) {
    use ratatui::widgets::{Bar, BarChart, BarGroup, Sparkline};
    let data = chart_data(r, rows);
    let block = Block::bordered().title(Span::styled(format!(" {} ", data.title), t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    if r.kind() == crate::app::reports::Kind::Forecast {
        // Per period: best case and won side by side; below, the weighted amount as a
        // sparkline.
        let spark_h = u16::from(inner.height >= 6);
        let [bars_area, spark_area] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(spark_h)]).areas(inner);
        let bar_w = 5u16;
        let group_w = bar_w * 2 + 1 + 2;
        let fit = ((bars_area.width + 3) / (group_w + 1)).max(1) as usize;
        let shown: Vec<&crate::store::Row> = rows.iter().take(fit).collect();
        let mut chart = BarChart::default()
            .bar_width(bar_w)
            .bar_gap(1)
            .group_gap(2)
            .value_style(t.selected())
            .bar_style(t.accent());
        for p in &shown {
            let (best, won) = (num(p, "best_case"), num(p, "won_amount"));
            let bar = |label: &'static str, v: f64, style: Style| {
                Bar::default()
                    .label(Line::from(label))
                    .value(v.max(0.0).round() as u64)
                    .text_value(short_amount(v))
                    .style(style)
            };
            chart = chart.data(
                BarGroup::default()
                    .label(Line::from(with_currency(p, label_of(p, "period"))))
                    .bars(&[bar("best", best, t.accent()), bar("won", won, t.good())]),
            );
        }
        f.render_widget(chart, bars_area);
        if spark_h > 0 && !shown.is_empty() {
            let label = "weighted ";
            let [l, s] =
                Layout::horizontal([Constraint::Length(label.len() as u16), Constraint::Min(1)])
                    .areas(spark_area);
            f.render_widget(Paragraph::new(Span::styled(label, t.dim())), l);
            // Each period gets the same share of the width.
            let each = ((s.width as usize) / shown.len()).max(1);
            let values: Vec<u64> = shown
                .iter()
                .flat_map(|p| std::iter::repeat_n(num(p, "weighted").max(0.0).round() as u64, each))
                .collect();
            f.render_widget(Sparkline::default().data(&values).style(t.good()), s);
        }
        return;
    }
    if data.bars.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled("nothing to chart", t.dim())),
            inner,
        );
        return;
    }
    let longest = data
        .bars
        .iter()
        .map(|(l, _, _)| l.width())
        .max()
        .unwrap_or(0);
    let label_w = longest.min(18).min((inner.width as usize / 2).max(4));
    let bars: Vec<Bar> = data
        .bars
        .iter()
        .take(inner.height as usize)
        .map(|(label, v, text)| {
            Bar::default()
                .label(Line::from(cut(label, label_w)))
                .value(*v)
                .text_value(text.clone())
        })
        .collect();
    let chart = BarChart::horizontal(bars)
        .bar_width(1)
        .bar_gap(0)
        .bar_style(t.accent())
        .value_style(t.selected());
    f.render_widget(chart, inner);
}

fn draw_reports(f: &mut Frame, r: &Reports, t: Theme, area: Rect) {
    use crate::app::reports::Kind;
    let list_w = 13u16.min(area.width);
    let [list, main] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Min(1)]).areas(area);
    let lines: Vec<Line> = Kind::ALL
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let line = Line::from(format!(" {:<10}", k.name()));
            if i == r.selected {
                line.patch_style(t.selected())
            } else {
                line
            }
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(Span::styled(" Reports ", t.title()))),
        list,
    );

    let kind = r.kind();
    let mut title = format!(" {} · {}", capital(kind.name()), PERIODS[r.period]);
    if let Some(by) = r.by() {
        title.push_str(&format!(" · by {by}"));
    }
    if !r.filter_text.is_empty() {
        title.push_str(&format!(" · / {}", r.filter_text));
    }
    title.push(' ');
    let block = Block::bordered().title(Span::styled(title, t.title()));
    let inner = block.inner(main);
    f.render_widget(block, main);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let mut lines = vec![Line::from(Span::styled(kind.about(), t.dim()))];
    // The line on what the report shows wraps on a narrow screen.
    let about_h = kind.about().width().div_ceil(inner.width as usize).max(1) as u16;
    let Some(report) = &r.report else {
        let msg = r.error.clone().unwrap_or_else(|| "not run".into());
        lines.push(Line::from(Span::styled(msg, t.error())));
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        return;
    };
    if !report.totals.is_empty() {
        let parts: Vec<String> = report
            .totals
            .iter()
            .map(|(k, v)| {
                let v = crate::store::Cell::from_json(v);
                format!("{} {}", k.replace('_', " "), report_text(k, &v))
            })
            .collect();
        lines.push(Line::from(Span::styled(parts.join(" · "), t.accent())));
    }
    let head_h = lines.len() as u16 + about_h - 1;
    let [head, rest] = Layout::vertical([
        Constraint::Length(head_h.min(inner.height)),
        Constraint::Min(0),
    ])
    .areas(inner);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), head);

    let main_rows: &[crate::store::Row] = report.tables.first().map(|x| &x.1[..]).unwrap_or(&[]);
    let room = rest.width as usize;
    let measure = match (kind, r.by()) {
        (Kind::Customers, Some("profit")) => Some("profit"),
        _ => None,
    };
    let (cols, widths) = report_table_width(main_rows, room, measure);
    let table_w =
        widths.iter().map(|w| *w as usize).sum::<usize>() + 2 * widths.len().saturating_sub(1);
    // The chart beside the tables when there is room for both, else below them.
    let chart_w = if kind == Kind::Forecast {
        // Three periods at least, of two bars each.
        14 * main_rows.len().clamp(3, 6) + 2
    } else {
        34
    };
    let beside = room >= table_w.max(30) + 2 + chart_w;
    let (tables_area, chart_area) = if beside {
        let [a, b] = Layout::horizontal([
            Constraint::Length(table_w.max(30) as u16),
            Constraint::Min(1),
        ])
        .spacing(2)
        .areas(rest);
        (a, Some(b))
    } else {
        (rest, None)
    };
    // Heights: each table its rows and a header (one line when empty), a title line for
    // tables after the first; below, the chart gets what is left, if that is enough.
    let extra: Vec<&(String, Vec<crate::store::Row>)> = report.tables.iter().skip(1).collect();
    let main_h = main_rows.len() as u16 + 1;
    let extra_h: u16 = extra.iter().map(|(_, rows)| rows.len() as u16 + 3).sum();
    let (tables_area, chart_area) = match chart_area {
        Some(c) => (tables_area, Some(c)),
        None => {
            let left = tables_area.height.saturating_sub(main_h + 1 + extra_h);
            let chart_h = if kind == Kind::Forecast {
                left.min(12)
            } else {
                left.min(chart_data(r, main_rows).bars.len().max(1) as u16 + 2)
            };
            if chart_h >= 3 {
                let [a, b] = Layout::vertical([Constraint::Min(1), Constraint::Length(chart_h)])
                    .areas(tables_area);
                (a, Some(b))
            } else {
                (tables_area, None)
            }
        }
    };
    let mut y = tables_area.y + 1;
    let bottom = tables_area.y + tables_area.height;
    let mut place = |h: u16| -> Option<Rect> {
        if y >= bottom {
            return None;
        }
        let h = h.min(bottom - y);
        let r = Rect {
            x: tables_area.x,
            y,
            width: tables_area.width,
            height: h,
        };
        y += h;
        Some(r)
    };
    if let Some(a) = place(main_h) {
        draw_report_table(f, main_rows, &cols, &widths, t, a);
    }
    for (name, rows) in extra {
        let _ = place(1);
        if let Some(a) = place(1) {
            let what = if name == "coverage" {
                "Visit coverage per tier".to_string()
            } else {
                capital(&name.replace('_', " "))
            };
            f.render_widget(Paragraph::new(Span::styled(what, t.title())), a);
        }
        let (cols, widths) = report_table_width(rows, tables_area.width as usize, None);
        if let Some(a) = place(rows.len().max(1) as u16 + 1) {
            draw_report_table(f, rows, &cols, &widths, t, a);
        }
    }
    if let Some(c) = chart_area {
        let c = if beside {
            // Beside the table, the chart is no taller than it needs to be.
            let want = if kind == Kind::Forecast {
                14
            } else {
                chart_data(r, main_rows).bars.len().max(1) as u16 + 2
            };
            Rect {
                y: c.y + 1,
                height: want.min(c.height.saturating_sub(1)),
                ..c
            }
        } else {
            c
        };
        draw_chart(f, r, main_rows, t, c);
    }
}

// ---------------------------------------------------------------------------------------
// Forms

fn draw_form(f: &mut Frame, form: &Form, t: Theme, area: Rect, now: chrono::NaiveDateTime) {
    let block = Block::bordered()
        .title(Span::styled(format!(" {} ", form.title()), t.title()))
        .title_bottom(Span::styled(
            " tab/shift-tab move · enter choose link · ctrl-s save · esc cancel ",
            t.dim(),
        ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let label_w = form
        .fields
        .iter()
        .map(|x| x.label().width())
        .max()
        .unwrap_or(8)
        + 2;
    let mut lines = Vec::new();
    let mut cursor = None;
    let mut focus_line = 0;
    if let Some(e) = &form.error {
        lines.push(Line::from(Span::styled(e.clone(), t.error())));
    }
    for (i, fld) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let mark = if fld.required { "*" } else { " " };
        let label = format!("{:>w$}{mark} ", fld.label(), w = label_w - 1);
        let value_style = if focused {
            t.selected()
        } else {
            Style::default()
        };
        let mut spans = vec![
            Span::styled(label.clone(), if focused { t.accent() } else { t.dim() }),
            Span::styled(fld.value.clone(), value_style),
        ];
        if focused {
            focus_line = lines.len();
            cursor = Some((label.width() + fld.value.width()) as u16);
            spans.push(Span::styled(" ", value_style));
        }
        match form.hint(i, now) {
            Some(Ok(h)) => spans.push(Span::styled(format!("  → {h}"), t.good())),
            Some(Err(e)) => spans.push(Span::styled(format!("  ✗ {e}"), t.warn())),
            None if focused => {
                if let Some(c) = form.choices(i) {
                    spans.push(Span::styled(format!("  {c}"), t.dim()));
                }
            }
            None => {}
        }
        if let Some(e) = &fld.error {
            spans.push(Span::styled(format!("  ✗ {e}"), t.error()));
        }
        lines.push(Line::from(spans));
    }
    let h = inner.height as usize;
    let scroll = focus_line.saturating_sub(h.saturating_sub(2));
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
    if let Some(x) = cursor {
        let y = inner.y + (focus_line - scroll) as u16;
        let x = (inner.x + x).min(inner.x + inner.width.saturating_sub(1));
        f.set_cursor_position(Position::new(x, y));
    }
}

// ---------------------------------------------------------------------------------------
// Popups

/// Clear where a popup goes, and the cell left of it: a wide (CJK) character that starts
/// there would otherwise reach into the popup and hide its border.
fn clear(f: &mut Frame, area: Rect) {
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

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn draw_help(f: &mut Frame, app: &App, t: Theme, scroll: usize) {
    let area = centered(f.area(), 76, f.area().height.saturating_sub(2));
    clear(f, area);
    let mut lines = vec![
        Line::from(Span::styled(
            "Keys (change them in config.toml under [keys])",
            t.dim(),
        )),
        Line::raw(""),
    ];
    let contexts = [
        (Context::Global, "Everywhere"),
        (Context::List, "Lists"),
        (Context::Board, "Pipeline board"),
        (Context::Detail, "Detail view"),
        (Context::Form, "Forms"),
        (Context::Reports, "Reports"),
    ];
    for (ctx, name) in contexts {
        lines.push(Line::from(Span::styled(name, t.title())));
        for a in Action::all() {
            let keys: Vec<String> = app
                .keymap
                .bindings
                .iter()
                .filter(|b| b.action == a && b.context == ctx)
                .map(|b| b.key.to_string())
                .collect();
            if keys.is_empty() {
                continue;
            }
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<18}", keys.join(", ")), t.accent()),
                Span::raw(format!("{:<16} ", a.name())),
                Span::styled(a.describe(), t.dim()),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::from(Span::styled(
        "In lists, / takes the filter language of the command line (tier:A amount>50k +vip); bare words rank names by fuzzy match.",
        t.dim(),
    )));
    let block = Block::bordered().title(Span::styled(" Help · esc to close ", t.title()));
    f.render_widget(
        // Lines are cut at the edge rather than wrapped under the key column.
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(block),
        area,
    );
}

fn draw_picker(f: &mut Frame, p: &Picker<Pick>, t: Theme) {
    let area = centered(f.area(), 70, f.area().height.saturating_sub(4).min(20));
    clear(f, area);
    let block = Block::bordered().title(Span::styled(format!(" {} ", p.title), t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [input, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("> ", t.accent()),
            Span::raw(p.input.clone()),
        ])),
        input,
    );
    f.set_cursor_position(Position::new(
        (input.x + 2 + p.input.width() as u16).min(input.x + input.width.saturating_sub(1)),
        input.y,
    ));
    let h = list.height as usize;
    let top = p.selected.saturating_sub(h.saturating_sub(1));
    let lines: Vec<Line> = p
        .shown
        .iter()
        .enumerate()
        .skip(top)
        .take(h)
        .map(|(i, &idx)| {
            let (label, detail, _) = &p.items[idx];
            let line = Line::from(vec![
                Span::raw(label.clone()),
                Span::styled(format!("  {detail}"), t.dim()),
            ]);
            if i == p.selected {
                line.patch_style(t.selected())
            } else {
                line
            }
        })
        .collect();
    let empty = lines.is_empty();
    f.render_widget(Paragraph::new(lines), list);
    if empty {
        let msg = if p.input.is_empty() {
            "type to search"
        } else {
            "no match"
        };
        f.render_widget(Paragraph::new(Span::styled(msg, t.dim())), list);
    }
}

fn draw_filter(f: &mut Frame, input: &str, error: Option<&str>, t: Theme, status: Rect) {
    clear(f, status);
    let mut spans = vec![Span::styled("/", t.accent()), Span::raw(input.to_string())];
    if let Some(e) = error {
        spans.push(Span::styled(format!("   {e}"), t.error()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), status);
    f.set_cursor_position(Position::new(
        (status.x + 1 + input.width() as u16).min(status.x + status.width.saturating_sub(1)),
        status.y,
    ));
}

fn draw_message(f: &mut Frame, title: &str, message: &str, input: Option<&String>, t: Theme) {
    let area = centered(f.area(), 64, if input.is_some() { 3 } else { 4 });
    clear(f, area);
    let block = Block::bordered().title(Span::styled(format!(" {title} "), t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    match input {
        Some(text) => {
            f.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled("> ", t.accent()),
                    Span::raw(text.clone()),
                ])),
                inner,
            );
            f.set_cursor_position(Position::new(
                (inner.x + 2 + text.width() as u16).min(inner.x + inner.width.saturating_sub(1)),
                inner.y,
            ));
        }
        None => f.render_widget(
            Paragraph::new(Text::raw(message.to_string())).wrap(Wrap { trim: true }),
            inner,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_by_shrinking_the_widest() {
        assert_eq!(fit_widths(vec![3, 30, 10], 60, 2, None), vec![3, 30, 10]);
        assert_eq!(fit_widths(vec![3, 30, 10], 30, 2, None), vec![3, 13, 10]);
        assert_eq!(fit_widths(vec![10, 10], 5, 2, None), vec![4, 4]);
        // The name column keeps its width while the others can give.
        assert_eq!(
            fit_widths(vec![3, 30, 20, 20], 60, 2, Some(1)),
            vec![3, 30, 11, 10]
        );
        assert_eq!(fit_widths(vec![3, 30, 10], 20, 2, Some(1)), vec![3, 9, 4]);
    }

    #[test]
    fn narrow_lists_drop_the_least_useful_columns() {
        let cols = columns(Entity::Deal);
        let natural: Vec<usize> = cols
            .iter()
            .map(|c| if *c == "title" { 30 } else { 10 })
            .collect();
        let keep: Vec<&str> = columns_that_fit(Entity::Deal, &cols, &natural, 78)
            .into_iter()
            .map(|i| cols[i])
            .collect();
        assert!(
            keep.contains(&"id") && keep.contains(&"title") && keep.contains(&"expected_close"),
            "{keep:?}"
        );
        assert!(
            !keep.contains(&"owner") && !keep.contains(&"currency"),
            "{keep:?}"
        );
        let wide: Vec<usize> = columns_that_fit(Entity::Deal, &cols, &natural, 300);
        assert_eq!(wide.len(), cols.len());
    }

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(1234567.5), "1,234,567.5");
        assert_eq!(money(999.0), "999");
        assert_eq!(money(1000.0), "1,000");
        assert_eq!(money(0.0), "0");
    }
}
