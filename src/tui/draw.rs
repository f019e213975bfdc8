//! Drawing the frame: the tabs, the screen in front (each screen's module draws its own),
//! the popup over it and the status line, from the app state. Nothing here changes data;
//! the only state it writes is what the next frame and the mouse need (scroll position,
//! where the rows are).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::app::{App, Popup, Screen};
use super::keymap::{Action, Context};
use super::screens::today::count_text;
use super::screens::{board, detail, form, list, notices, palette, popups, reports, today, views};
use super::screens::{place_of, Place, PLACES};
use super::view::*;
use crate::model::Entity;

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
        Some(Screen::List(l)) => rows_area = Some(list::draw_list(f, l, t, body, &app.keymap)),
        Some(Screen::Board(b)) => board::draw_board(f, b, t, body, &app.keymap),
        Some(Screen::Detail(d)) => detail::draw_detail(f, d, t, body, &app.keymap),
        Some(Screen::Form(form)) => form::draw_form(f, form, t, body, now, &app.keymap),
        Some(Screen::Reports(r)) => reports::draw_reports(f, r, t, body),
        None => {}
    }
    app.rows_area = rows_area;
    draw_status(f, app, t, status);
    let mut help_at = None;
    match &app.popup {
        Some(Popup::Help { scroll }) => {
            help_at = Some(crate::tui::actions::popups::draw_help(f, app, t, *scroll))
        }
        Some(Popup::GoTo) => crate::tui::actions::palette::draw_goto(f, app, t, body),
        Some(Popup::Palette(p)) | Some(Popup::Finder(p)) | Some(Popup::Pick(p)) => {
            palette::draw_picker(f, p, t)
        }
        Some(Popup::Filter { input, error, .. }) => {
            popups::draw_filter(f, input, error.as_deref(), t, status)
        }
        Some(Popup::Columns(p)) => views::draw_columns(f, p, t),
        Some(Popup::Confirm { message, .. }) => {
            popups::draw_message(f, crate::tr!("tui.confirm.title"), message, t)
        }
        Some(Popup::Notices(n)) => notices::draw_notices(f, n, t),
        Some(Popup::Prompt {
            title,
            input,
            error,
            then,
        }) => {
            let hint = then.hint(input.text(), app.crm.env.clock.now());
            popups::draw_prompt(f, title, input, error.as_deref(), hint, t)
        }
        None => {}
    }
    // The help scrolls no further than its end: the next key up moves at once.
    if let (Some(at), Some(Popup::Help { scroll })) = (help_at, app.popup.as_mut()) {
        *scroll = at;
    }
    if let Some(w) = &app.waiting {
        popups::draw_waiting(f, w, t, status);
    }
}

fn draw_tabs(f: &mut Frame, app: &App, t: Theme, area: Rect) {
    let current = app.view();
    // The tabs are the screens that have a digit; a screen reached otherwise (by the
    // go-to key or the palette) is shown after them with its group.
    let tabs: Vec<&Place> = PLACES.iter().filter(|p| p.digit.is_some()).collect();
    let extra = place_of(current)
        .filter(|p| p.digit.is_none())
        .map(|p| format!(" {} › {} ", p.group.name(), p.name()));
    let extra_w = extra.as_ref().map(|e| e.width() + 1).unwrap_or(0);
    // On a narrow terminal the brand goes and the tabs close up; narrower still, some
    // names are shortened, so all nine fit in 80.
    let names: usize = tabs.iter().map(|p| p.name().width() + 2).sum::<usize>() + extra_w;
    let wide = area.width as usize >= 6 + names + 2 * tabs.len();
    let short = !wide && (area.width as usize) < names + tabs.len() - 1;
    let mut spans = if wide {
        vec![Span::styled(" kith ", t.title())]
    } else {
        vec![]
    };
    for (i, p) in tabs.iter().enumerate() {
        let name = if short { p.short() } else { p.name() };
        let digit = p.digit.unwrap_or(' ');
        let label = if wide {
            format!(" {digit} {name} ")
        } else {
            format!("{digit} {name}")
        };
        if !wide && i > 0 {
            spans.push(Span::raw(" "));
        }
        if p.view == current {
            spans.push(Span::styled(
                label,
                t.selected().add_modifier(Modifier::BOLD),
            ));
        } else {
            spans.push(Span::raw(label));
        }
    }
    if let Some(e) = extra {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(e, t.selected().add_modifier(Modifier::BOLD)));
    }
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    f.render_widget(Paragraph::new(Line::from(spans)), area);
    // At the right end, when there is room: how many reminders `kith remind` would
    // deliver now, with the key that shows them (`! 3`).
    if let (Some(n), Some(key)) = (
        app.due.filter(|n| *n > 0),
        app.keymap.key_in(Action::Notices, Context::Global),
    ) {
        let due = format!("{key} {} ", count_text(n));
        if used + due.width() < area.width as usize {
            let right = Rect {
                x: area.x + area.width - due.width() as u16,
                width: due.width() as u16,
                ..area
            };
            f.render_widget(Paragraph::new(Span::styled(due, t.accent())), right);
        }
    }
}

fn draw_status(f: &mut Frame, app: &App, t: Theme, area: Rect) {
    let line = match &app.status {
        Some(s) if s.error => Line::from(Span::styled(s.text.clone(), t.error())),
        Some(s) => Line::from(Span::styled(s.text.clone(), t.good())),
        None => {
            // The keys of the screen in front: a key its own bindings give to something
            // else is not offered for the action (in a detail view `q` goes back).
            let context = app.context();
            let hint = |a: Action| {
                app.keymap
                    .key_in(a, context)
                    .map(|k| format!("{k} {}", a.label()))
                    .unwrap_or_default()
            };
            let mut parts = vec![hint(Action::Help), hint(Action::Palette)];
            let marked = app.marked();
            match app.context() {
                // With records marked: what works on them, and how to drop the marks.
                Context::List if marked.is_some() => {
                    let entity = marked.as_ref().map(|t| t.entity);
                    parts = vec![hint(Action::Mark), hint(Action::MarkRange)];
                    match entity {
                        Some(Entity::Task) => parts.push(hint(Action::Done)),
                        Some(Entity::Deal) => parts.extend([
                            hint(Action::NextStage),
                            hint(Action::MoveToStage),
                            hint(Action::Won),
                            hint(Action::Lost),
                        ]),
                        _ => {}
                    }
                    parts.extend([
                        hint(Action::Reassign),
                        hint(Action::Tag),
                        hint(Action::Trash),
                    ]);
                    parts.push(hint(Action::Back));
                }
                // The queue: its filters and a case's main verbs.
                Context::List if matches!(app.screen(), Screen::List(l) if l.entity == Entity::Case) => {
                    parts.extend([
                        hint(Action::Search),
                        hint(Action::QueueFilter),
                        hint(Action::ReplyCase),
                        hint(Action::Reassign),
                        hint(Action::ResolveCase),
                        hint(Action::Open),
                    ])
                }
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
                // A quote: the verbs its state takes (the key into a document's lines is
                // said above them).
                Context::Detail => {
                    parts.push(hint(Action::Edit));
                    let shown = match app.screen() {
                        Screen::Detail(d) => Some((d.entity, &d.overview.record)),
                        _ => None,
                    };
                    match shown {
                        Some((Entity::Quote, q)) => {
                            let verbs: &[Action] = match q.str("status") {
                                Some("draft") => &[Action::SendQuote],
                                Some("sent") => &[
                                    Action::AcceptQuote,
                                    Action::RejectQuote,
                                    Action::ReviseQuote,
                                ],
                                Some("rejected" | "expired") => &[Action::ReviseQuote],
                                _ => &[],
                            };
                            parts.extend(verbs.iter().map(|a| hint(*a)));
                            parts.push(hint(Action::RenderQuote));
                        }
                        // A case: the verbs its status takes.
                        Some((Entity::Case, c)) => {
                            let verbs: &[Action] = match c.str("status") {
                                Some("resolved") => &[Action::CloseCase, Action::SurveyCase],
                                Some("closed") => &[Action::SurveyCase],
                                _ => &[
                                    Action::ReplyCase,
                                    Action::Reassign,
                                    Action::WaitCase,
                                    Action::ResolveCase,
                                    Action::CloseCase,
                                ],
                            };
                            parts.extend(verbs.iter().map(|a| hint(*a)));
                        }
                        _ => parts.extend([hint(Action::LogActivity), hint(Action::FollowUp)]),
                    }
                    parts.push(hint(Action::Back));
                }
                Context::Lines => parts.extend([
                    hint(Action::AddLine),
                    hint(Action::EditLine),
                    hint(Action::RemoveLine),
                    hint(Action::Undo),
                    hint(Action::Back),
                ]),
                // A line being edited: its fields, enter writes it, back leaves it.
                Context::Form if app.editing_line() => {
                    parts = vec![
                        hint(Action::NextField),
                        format!("enter {}", Action::Save.label()),
                        format!(
                            "{} {}",
                            app.keymap
                                .key_in(Action::Back, Context::Form)
                                .unwrap_or_default(),
                            crate::tr!("tui.lines.cancel")
                        ),
                    ]
                }
                Context::Form => {
                    parts = vec![
                        hint(Action::NextField),
                        hint(Action::Save),
                        hint(Action::Back),
                    ]
                }
                Context::Reports => {
                    parts.extend([
                        hint(Action::NextPeriod),
                        hint(Action::NextGrouping),
                        hint(Action::Search),
                    ]);
                    // In the rows: enter lists the records behind one, esc goes back.
                    let in_table = matches!(app.screen(), Screen::Reports(r) if r.in_table);
                    if in_table {
                        parts.extend([hint(Action::DrillDown), hint(Action::Back)]);
                    } else {
                        parts.push(hint(Action::ReportRows));
                    }
                }
                Context::Global => {
                    parts.extend([hint(Action::Find), hint(Action::GoTo), hint(Action::Open)])
                }
                Context::GoTo => {}
            }
            if app.context() != Context::Form {
                parts.push(hint(Action::Quit));
            }
            parts.retain(|p| !p.is_empty());
            // A hint that does not fit is left out whole, not cut after its key.
            let mut used = 0;
            parts.retain(|p| {
                let w = p.width() + if used == 0 { 0 } else { 2 };
                used += w;
                used <= area.width as usize
            });
            Line::from(Span::styled(parts.join("  "), t.dim()))
        }
    };
    f.render_widget(Paragraph::new(line), area);
}
