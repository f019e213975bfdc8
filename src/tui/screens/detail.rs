//! A record's detail view: its fields, links, related records, stage history and change
//! log; the links and related records can be opened. A document with lines (a deal, a
//! quote) shows them under it, with their totals (`screens/lines.rs`).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::app::crm::{Crm, Overview};
use crate::app::service::{Satisfaction, ThreadItem};
use crate::app::tui_reads::Change;
use crate::core::error::Result;
use crate::model::record::{name_label, Record};
use crate::model::{Entity, Field};
use crate::tui::keymap::Keymap;
use crate::tui::screens::cases::{countdown, countdown_style, satisfaction_text};
use crate::tui::screens::lines::{self, Lines};
use crate::tui::view::cell;
use crate::tui::view::{
    amount, capital, ellipsis, field_label, kind_name, label_of, local, shown, Theme,
};

pub struct Detail {
    pub entity: Entity,
    pub id: i64,
    pub overview: Overview,
    pub history: Vec<Change>,
    /// Related records that can be opened, in the order shown.
    pub links: Vec<(Entity, i64)>,
    pub selected: usize,
    /// Its kind's fields in this database (custom ones after the built-in ones), each with
    /// the name shown for it.
    pub fields: Vec<(&'static Field, String)>,
    /// A document's lines and totals (a deal's, a quote's), shown under it instead of
    /// among its related records.
    pub lines: Option<Lines>,
    /// A case's replies and changes, oldest first, and the working time left on its
    /// nearest running clock.
    pub thread: Vec<ThreadItem>,
    pub left: Option<i64>,
    /// How satisfied a case's, a contact's or an account's customers were.
    pub satisfaction: Option<Satisfaction>,
}

pub fn load_detail(crm: &Crm, e: Entity, id: i64) -> Result<Detail> {
    let overview = crm.overview(e, id)?;
    let history = crm.history(e, id)?;
    let fields: Vec<(&'static Field, String)> = crm
        .custom()
        .fields(e)
        .into_iter()
        .map(|f| {
            let shown = match crm.custom().label(e, f.name) {
                Some(l) if f.custom => l.to_string(),
                _ => field_label(f.name).to_string(),
            };
            (f, shown)
        })
        .collect();
    let lines = match crate::app::commerce::has_lines(e) {
        true => Some(Lines::new(crm.sheet(e, id)?)),
        false => None,
    };
    let mut links: Vec<(Entity, i64)> = refs(fields.iter().map(|(f, _)| *f), &overview.record)
        .into_iter()
        .map(|(_, t, id)| (t, id))
        .collect();
    for (_, recs) in &overview.related {
        for r in recs {
            if r.entity != Entity::Stage && !(lines.is_some() && r.entity == Entity::Line) {
                links.push((r.entity, r.id()));
            }
        }
    }
    let (thread, left) = match e {
        Entity::Case => (
            crm.case_thread(id)?,
            crm.cases_left(std::slice::from_ref(&overview.record))?
                .first()
                .and_then(|(_, l)| *l),
        ),
        _ => (vec![], None),
    };
    let satisfaction = crm.satisfaction(e, id)?;
    Ok(Detail {
        thread,
        left,
        satisfaction,
        fields,
        entity: e,
        id,
        overview,
        history,
        links,
        selected: 0,
        lines,
    })
}

/// The records a record links to that can be opened, as (field, kind, id), in field order.
/// The detail view lists these first, then the related records.
/// Custom references (`ref:account`) are links as built-in ones are.
pub fn refs(
    fields: impl IntoIterator<Item = &'static Field>,
    r: &Record,
) -> Vec<(&'static str, Entity, i64)> {
    fields
        .into_iter()
        .filter_map(|f| {
            let target = f.is_ref()?;
            let id = r.i64(&f.id_key())?;
            (target.is_linkable() || target == Entity::Task).then_some((f.name, target, id))
        })
        .collect()
}

pub fn draw_detail(f: &mut Frame, d: &Detail, t: Theme, area: Rect, keys: &Keymap) {
    let r = &d.overview.record;
    let trashed = if r.is_trashed() {
        format!("  {}", crate::tr!("tui.detail.trashed"))
    } else {
        String::new()
    };
    let title = format!(
        " {} {} · {}{trashed} ",
        capital(kind_name(d.entity)),
        d.id,
        r.label()
    );
    let block = Block::bordered().title(Span::styled(title, t.title()));
    let mut inner = block.inner(area);
    f.render_widget(block, area);
    // A document's lines under the rest: as tall as they need, up to half the view (all
    // but three rows while the keys are in them).
    let in_lines = d.lines.as_ref().is_some_and(|l| l.focused);
    if let Some(l) = &d.lines {
        let cap = if in_lines || l.edit.is_some() {
            inner.height.saturating_sub(3)
        } else {
            inner.height / 2
        };
        let h = lines::height(l).min(cap).max(1).min(inner.height);
        let [top, _, bottom] = Layout::vertical([
            Constraint::Min(0),
            Constraint::Length(u16::from(inner.height > h)),
            Constraint::Length(h),
        ])
        .areas(inner);
        lines::draw_lines(f, l, t, bottom, keys);
        inner = top;
    }
    let left_w = (inner.width * 2 / 5).clamp(24, 60).min(inner.width);
    let [left, right] = Layout::horizontal([Constraint::Length(left_w), Constraint::Min(1)])
        .spacing(2)
        .areas(inner);

    // Fields.
    let key_w = d
        .fields
        .iter()
        .map(|(_, name)| name.width())
        .max()
        .unwrap_or(8)
        .min(14);
    // Short fields in a two-column table (values cut, never wrapped under the labels);
    // long text below, wrapped.
    // A value cut to its column ends in … (an address cut at the edge passed for whole).
    let value_w = (left.width as usize).saturating_sub(key_w + 1);
    let mut rows = Vec::new();
    let mut long = Vec::new();
    for (fd, name) in &d.fields {
        let v = shown(r, fd.name);
        if fd.name == d.entity.label_field() || v.is_empty() {
            continue;
        }
        if fd.ty == crate::model::Ty::LongText {
            long.push(Line::from(Span::styled(name.clone(), t.dim())));
            long.extend(v.lines().map(|l| Line::raw(l.to_string())));
        } else {
            rows.push(Row::new([
                Cell::from(Span::styled(ellipsis(name, key_w), t.dim())),
                Cell::from(ellipsis(&v, value_w)),
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
        if link == d.selected && !in_lines {
            selected_line = lines.len();
            lines.push(text.patch_style(t.selected()));
        } else {
            lines.push(text);
        }
        link += 1;
    };
    // What is owed first: the money of an account or a deal at a glance.
    if !d.overview.owed.is_empty() {
        lines.push(Line::from(Span::styled(
            crate::tr!("tui.detail.owed"),
            t.title(),
        )));
        for o in &d.overview.owed {
            let text = crate::tr!(
                "tui.detail.owed_line",
                currency = o.currency,
                open = o.open.shown(),
                overdue = o.overdue.shown(),
                late = o.overdue_items,
                items = o.items
            );
            let style = if o.overdue_items > 0 {
                t.warn()
            } else {
                t.dim()
            };
            lines.push(Line::from(Span::styled(format!("  {text}"), style)));
        }
    }
    // A case: the time left on its nearest clock, in the colour of its SLA state.
    if d.entity == Entity::Case {
        let left = countdown(r, d.left);
        if !left.is_empty() {
            lines.push(Line::from(Span::styled(
                crate::tr!("tui.cases.clock", left = left),
                countdown_style(r, d.left, t),
            )));
        }
    }
    // How satisfied its customers were: a case's, a contact's, an account's surveys.
    if let Some(s) = &d.satisfaction {
        lines.push(Line::from(Span::styled(
            crate::tr!("tui.cases.satisfaction"),
            t.title(),
        )));
        lines.push(Line::from(Span::raw(format!("  {}", satisfaction_text(s)))));
    }
    // A case's thread: its replies and changes in time order.
    if d.entity == Entity::Case {
        lines.push(Line::from(Span::styled(
            crate::tr!("tui.cases.thread", n = d.thread.len()),
            t.title(),
        )));
        for item in &d.thread {
            let what = match (item.kind.as_str(), &item.channel) {
                ("reply", Some(c)) => format!(
                    "{} · {}",
                    crate::tr!("tui.cases.thread_reply"),
                    crate::model::record::choice_label(Entity::Case, "channel", c)
                ),
                ("reply", None) => crate::tr!("tui.cases.thread_reply").to_string(),
                _ => crate::tr!("tui.cases.thread_change").to_string(),
            };
            let text = item.text.lines().next().unwrap_or_default().to_string();
            let style = if item.kind == "reply" {
                ratatui::style::Style::default()
            } else {
                t.dim()
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {}  {}  {what}: ", local(&item.at), item.user),
                    t.dim(),
                ),
                Span::styled(text, style),
            ]));
        }
    }
    let refs = refs(d.fields.iter().map(|(f, _)| *f), r);
    if !refs.is_empty() {
        lines.push(Line::from(Span::styled(
            crate::tr!("tui.detail.links"),
            t.title(),
        )));
        for (name, _, _) in &refs {
            let text = Line::from(vec![
                Span::styled(format!("  {}: ", field_label(name)), t.dim()),
                Span::raw(shown(r, name)),
            ]);
            push_link(&mut lines, text);
        }
    }
    for (name, recs) in &d.overview.related {
        if (d.lines.is_some() && *name == "lines")
            || !crate::app::commerce::section_shown(name, recs.len())
        {
            continue;
        }
        lines.push(Line::from(Span::styled(
            crate::tr!(
                "tui.detail.section",
                title = capital(&label_of("tui.related", name)),
                n = recs.len()
            ),
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
        lines.push(Line::from(Span::styled(
            crate::tr!("tui.detail.stage_history"),
            t.title(),
        )));
        for s in &d.overview.stage_history {
            lines.push(Line::from(Span::styled(
                format!(
                    "  {}",
                    crate::tr!(
                        "tui.detail.stage_move",
                        at = local(&s.at),
                        from = s
                            .from
                            .as_deref()
                            .map_or_else(|| "·".into(), |f| name_label(Entity::Stage, f)),
                        to = name_label(Entity::Stage, &s.to),
                        user = s.user
                    )
                ),
                t.dim(),
            )));
        }
    }
    lines.push(Line::from(Span::styled(
        crate::tr!("tui.detail.history", n = d.history.len()),
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
                    .map(|f| field_label(f.name))
                    .unwrap_or_else(|| col.replace('_', " "))
            })
            .collect();
        let what = if c.op == "create" {
            String::new()
        } else {
            fields.join(", ")
        };
        lines.push(Line::from(Span::styled(
            format!(
                "  {}  {} {} {what}",
                local(&c.at),
                c.user,
                label_of("tui.detail.op", &c.op)
            ),
            t.dim(),
        )));
    }
    let h = right.height as usize;
    let scroll = selected_line.saturating_sub(h.saturating_sub(2));
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), right);
}

/// The line after a related record's label: how the kinds shown most often are summed up
/// here, else the fields its description names as its summary.
fn related_detail(r: &Record) -> String {
    match r.entity {
        Entity::Deal => format!(
            "{} {} · {} · {}",
            amount(r, "amount"),
            cell(r, "currency"),
            shown(r, "stage"),
            cell(r, "expected_close")
        ),
        Entity::Activity => format!("{} · {}", shown(r, "kind"), shown(r, "at")),
        Entity::Task => crate::tr!("tui.detail.due", when = shown(r, "due")),
        Entity::Stage => format!("{}% {}", cell(r, "probability"), shown(r, "outcome")),
        _ => r
            .entity
            .kind()
            .summary
            .iter()
            .map(|f| shown(r, f))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
    }
}
