//! The overlays that are not pickers: help, the filter line, confirmations and prompts.

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::tui::app::App;
use crate::tui::keymap::{Action, Context};
use crate::tui::view::{centered, clear, pad, wrap, Theme};

/// Draw the help; returns the scroll it was drawn at (clamped, so it never scrolls past
/// its end).
pub fn draw_help(f: &mut Frame, app: &App, t: Theme, scroll: usize) -> usize {
    let area = centered(f.area(), 76, f.area().height.saturating_sub(2));
    clear(f, area);
    // Inside the border: the keys, the action's name, then what it does, wrapped under
    // itself when the row is too long for the popup.
    let inner_w = area.width.saturating_sub(2) as usize;
    let (keys_w, name_w) = (18, 16);
    let about_w = inner_w.saturating_sub(2 + keys_w + name_w + 1).max(8);
    let mut lines = vec![];
    for l in wrap(crate::tr!("tui.help.intro"), inner_w) {
        lines.push(Line::from(Span::styled(l, t.dim())));
    }
    lines.push(Line::raw(""));
    let goto = crate::tr!(
        "tui.help.goto",
        key = app
            .keymap
            .keys_for(Action::GoTo)
            .split(", ")
            .next()
            .unwrap_or("")
    );
    let contexts = [
        (Context::Global, crate::tr!("tui.help.everywhere")),
        (Context::List, crate::tr!("tui.help.lists")),
        (Context::Board, crate::tr!("tui.help.board")),
        (Context::Detail, crate::tr!("tui.help.detail")),
        (Context::Form, crate::tr!("tui.help.forms")),
        (Context::Reports, crate::tr!("tui.help.reports")),
        (Context::GoTo, goto.as_str()),
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
            let about = wrap(a.describe(), about_w);
            for (i, part) in about.into_iter().enumerate() {
                let (k, n) = if i == 0 {
                    (keys.join(", "), a.label().to_string())
                } else {
                    (String::new(), String::new())
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("  {}", pad(&k, keys_w)), t.accent()),
                    Span::raw(format!("{} ", pad(&n, name_w))),
                    Span::styled(part, t.dim()),
                ]));
            }
        }
        lines.push(Line::raw(""));
    }
    for l in wrap(crate::tr!("tui.help.filter"), inner_w) {
        lines.push(Line::from(Span::styled(l, t.dim())));
    }
    let height = area.height.saturating_sub(2) as usize;
    let scroll = scroll.min(lines.len().saturating_sub(height));
    let block = Block::bordered().title(Span::styled(
        format!(" {} ", crate::tr!("tui.help.title")),
        t.title(),
    ));
    f.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(block),
        area,
    );
    scroll
}

pub fn draw_filter(f: &mut Frame, input: &str, error: Option<&str>, t: Theme, status: Rect) {
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

pub fn draw_message(f: &mut Frame, title: &str, message: &str, input: Option<&String>, t: Theme) {
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
