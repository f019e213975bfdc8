//! The notifications: what `kith remind` would deliver now, in a box over the screen.

use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use crate::domain::sales::remind::{deliver, Reminder};
use crate::tui::view::{centered, clear, ellipsis, Theme};

/// The reminders due, each with whether `kith remind` delivered it already.
pub struct Notices {
    pub items: Vec<(Reminder, bool)>,
    pub selected: usize,
    /// Still being read (on another connection): the box says so meanwhile.
    pub reading: bool,
}

impl Notices {
    /// How many `kith remind` would deliver now.
    pub fn fresh(&self) -> usize {
        self.items
            .iter()
            .filter(|(_, delivered)| !delivered)
            .count()
    }
}

pub fn draw_notices(f: &mut Frame, n: &Notices, t: Theme) {
    let area = centered(f.area(), 100, f.area().height.saturating_sub(4).min(24));
    clear(f, area);
    let title = if n.reading {
        crate::tr!("tui.notices.title_reading").to_string()
    } else {
        crate::tr!(
            "tui.notices.title",
            fresh = n.fresh(),
            delivered = n.items.len() - n.fresh()
        )
    };
    let block = Block::bordered().title(Span::styled(format!(" {title} "), t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let room = inner.width as usize;
    let height = inner.height as usize;
    let mut lines: Vec<Line> = Vec::new();
    if n.reading {
        lines.push(Line::from(Span::styled(
            crate::tr!("tui.notices.reading"),
            t.dim(),
        )));
    } else if n.items.is_empty() {
        lines.push(Line::from(Span::styled(
            crate::tr!("tui.notices.none"),
            t.dim(),
        )));
    }
    // The selected one in view.
    let top = (n.selected + 1).saturating_sub(height);
    for (i, (r, delivered)) in n.items.iter().enumerate().skip(top).take(height) {
        // The line `kith remind` prints, marked when a run delivered it already.
        let mark = if *delivered {
            crate::tr!("tui.notices.delivered").to_string()
        } else {
            String::new()
        };
        let text = ellipsis(&format!("{}{mark}", deliver::line(r)), room);
        let style = if i == n.selected {
            t.selected()
        } else if *delivered {
            t.dim()
        } else if r.overdue {
            t.error()
        } else {
            Default::default()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
