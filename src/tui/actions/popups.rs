//! What the keys do on popups (the `impl App` half of `screens/popups.rs`, whose state
//! and drawing stay there, below the shell).

use crate::core::error::{Kind, Result};
use crate::tui::app::{App, Pending, Popup};
use crate::tui::keymap::{Action, Context};
use crate::tui::view::{centered, clear, pad, wrap, Theme};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

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
        (Context::Lines, crate::tr!("tui.help.lines")),
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
