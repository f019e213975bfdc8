//! The overlays that are not pickers: help, the filter line, confirmations and prompts.

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::core::error::{Kind, Result};
use crate::tui::app::{App, Pending, Popup};
use crate::tui::input::TextInput;
use crate::tui::keymap::{Action, Context};
use crate::tui::view::{centered, clear, pad, wrap, Theme};
use crate::tui::wait::Waiting;

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

pub fn draw_filter(f: &mut Frame, input: &TextInput, error: Option<&str>, t: Theme, status: Rect) {
    clear(f, status);
    let error = error.map(|e| format!("   {e}"));
    // The text scrolls under the cursor; the error keeps what room it needs, up to half.
    let room = (status.width as usize).saturating_sub(1);
    let error_w = error.as_ref().map(|e| e.width()).unwrap_or(0).min(room / 2);
    let (shown, col) = input.window(room.saturating_sub(error_w).max(1));
    let mut spans = vec![Span::styled("/", t.accent()), Span::raw(shown)];
    if let Some(e) = error {
        spans.push(Span::styled(e, t.error()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), status);
    f.set_cursor_position(Position::new(
        (status.x + 1 + col as u16).min(status.x + status.width.saturating_sub(1)),
        status.y,
    ));
}

/// A message in a box (a confirmation).
pub fn draw_message(f: &mut Frame, title: &str, message: &str, t: Theme) {
    let area = centered(f.area(), 64, 4);
    clear(f, area);
    let block = Block::bordered().title(Span::styled(format!(" {title} "), t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    f.render_widget(
        Paragraph::new(Text::raw(message.to_string())).wrap(Wrap { trim: true }),
        inner,
    );
}

/// A question and the answer being typed, with why the last answer did not do under it.
pub fn draw_prompt(f: &mut Frame, title: &str, input: &TextInput, error: Option<&str>, t: Theme) {
    // The message takes a row under the answer; the box stays where it was.
    let mut area = centered(f.area(), 64, 3);
    if error.is_some() && area.bottom() < f.area().bottom() {
        area.height += 1;
    }
    clear(f, area);
    let block = Block::bordered().title(Span::styled(format!(" {title} "), t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let (shown, col) = input.window((inner.width as usize).saturating_sub(3));
    let mut lines = vec![Line::from(vec![
        Span::styled("> ", t.accent()),
        Span::raw(shown),
    ])];
    if let Some(e) = error {
        lines.push(Line::from(Span::styled(format!("✗ {e}"), t.error())));
    }
    f.render_widget(Paragraph::new(lines), inner);
    f.set_cursor_position(Position::new(
        (inner.x + 2 + col as u16).min(inner.x + inner.width.saturating_sub(1)),
        inner.y,
    ));
}

impl App {
    /// The answer to a prompt: what it was asked for is done with it. An answer that does
    /// not do (an empty reason) puts the question back, the answer in it and why beside
    /// it (and on the status line), so the next keys still go to the question.
    pub(crate) fn answered(
        &mut self,
        asked: Option<Popup>,
        then: Pending,
        answer: String,
    ) -> Result<()> {
        let answered = self.writing(move |app| app.run_pending(then.clone(), Some(answer.clone())));
        match answered {
            // Waiting for the database: given up, the question comes back.
            Ok(()) if self.waiting.is_some() => {
                if let Some(w) = self.waiting.as_mut() {
                    w.back = asked;
                }
                Ok(())
            }
            Err(e) if e.kind() == Kind::Invalid => {
                self.popup = asked;
                if let Some(Popup::Prompt { error, .. }) = &mut self.popup {
                    *error = Some(e.to_string());
                }
                // On the status line too, as a form's errors are.
                Err(e)
            }
            r => r,
        }
    }
}

/// The sign of a write waiting for the database, over the status line.
pub fn draw_waiting(f: &mut Frame, w: &Waiting, t: Theme, status: Rect) {
    clear(f, status);
    let text = crate::tr!("tui.input.waiting", seconds = w.waited().as_secs());
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{} ", w.spinner()), t.accent()),
            Span::styled(text, t.warn()),
        ])),
        status,
    );
}
