//! The overlays that are not pickers: help, the filter line, confirmations and prompts.

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::tui::input::TextInput;
use crate::tui::view::{centered, clear, wrap, Theme};
use crate::tui::wait::Waiting;

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
    // As tall as its lines wrapped (an undo's question lists the changes), two at least.
    let rows: usize = message.lines().map(|l| wrap(l, 62).len().max(1)).sum();
    let area = centered(
        f.area(),
        64,
        (rows.max(2) + 2).min(u16::MAX as usize) as u16,
    );
    clear(f, area);
    let block = Block::bordered().title(Span::styled(format!(" {title} "), t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    f.render_widget(
        Paragraph::new(Text::raw(message.to_string())).wrap(Wrap { trim: true }),
        inner,
    );
}

/// A question with its answer being typed; under it, why the last answer did not do, or
/// else what the answer means (`hint`: a date's words as the day they name).
pub fn draw_prompt(
    f: &mut Frame,
    title: &str,
    input: &TextInput,
    error: Option<&str>,
    hint: Option<Result<String, String>>,
    t: Theme,
) {
    // The message takes a row under the answer; the box stays where it was.
    let mut area = centered(f.area(), 64, 3);
    if (error.is_some() || hint.is_some()) && area.bottom() < f.area().bottom() {
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
    match (error, hint) {
        (Some(e), _) => lines.push(Line::from(Span::styled(format!("✗ {e}"), t.error()))),
        (None, Some(Ok(h))) => lines.push(Line::from(Span::styled(format!("→ {h}"), t.good()))),
        (None, Some(Err(h))) => lines.push(Line::from(Span::styled(format!("? {h}"), t.dim()))),
        (None, None) => {}
    }
    f.render_widget(Paragraph::new(lines), inner);
    f.set_cursor_position(Position::new(
        (inner.x + 2 + col as u16).min(inner.x + inner.width.saturating_sub(1)),
        inner.y,
    ));
}

/// The sign of a write waiting for the database, over the status line.
pub fn draw_waiting<A, P>(f: &mut Frame, w: &Waiting<A, P>, t: Theme, status: Rect) {
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
