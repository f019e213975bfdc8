//! What a list keeps from one session to the next (`interface.toml`, read and written by
//! `crate::app::interface_state`): the walk through a kind's filter history on the filter
//! line, the mark of a saved view on a list, and the column picker (`C`), with its
//! drawing. What their keys do is in `actions/views.rs`.

use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::core::error::{Error, Result};
use crate::model::query::SortKey;
use crate::model::Entity;
use crate::tui::view::{centered, clear, Theme};

/// Where ↑/↓ have walked to in a kind's filter history, as a shell's history: `at` is the
/// filter shown (none: what was typed, kept in `typed`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryWalk {
    pub at: Option<usize>,
    pub typed: String,
}

impl HistoryWalk {
    /// One step back (`up`) or forward in `history` (oldest first) from the line as it is
    /// (`current`): the text to show, or none when there is nowhere to go. Forward past the
    /// newest gives back what was typed before walking.
    pub fn step(&mut self, history: &[String], current: &str, up: bool) -> Option<String> {
        match (self.at, up) {
            (None, true) if !history.is_empty() => {
                self.typed = current.to_string();
                self.at = Some(history.len() - 1);
            }
            (Some(i), true) if i > 0 => self.at = Some(i - 1),
            (Some(i), false) if i + 1 < history.len() => self.at = Some(i + 1),
            (Some(_), false) => {
                self.at = None;
                return Some(std::mem::take(&mut self.typed));
            }
            _ => return None,
        }
        self.at.and_then(|i| history.get(i)).cloned()
    }
}

/// A list opened from a saved view: its name, with the filter and sort it had, so the
/// title names the view while the list still shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewMark {
    pub name: String,
    pub filter: String,
    pub sort: Vec<SortKey>,
}

impl ViewMark {
    /// Whether a list with this filter and sort still shows the view.
    pub fn shows(&self, filter: &str, sort: &[SortKey]) -> bool {
        self.filter.trim() == filter.trim() && self.sort == sort
    }
}

/// The column picker of a list: the kind's columns (its own, then its custom fields) in
/// the order shown, each shown or hidden.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnPicker {
    pub entity: Entity,
    pub items: Vec<(&'static str, bool)>,
    pub selected: usize,
    /// Why the last key did nothing (the last column shown cannot be hidden).
    pub error: Option<String>,
    /// Every column the kind has, in its own order (for going back to it).
    pub all: Vec<&'static str>,
}

impl ColumnPicker {
    /// The columns `shown` first, in their order, then the others of `all` hidden.
    pub fn new(entity: Entity, all: Vec<&'static str>, shown: &[&'static str]) -> ColumnPicker {
        let mut items: Vec<(&'static str, bool)> = shown.iter().map(|c| (*c, true)).collect();
        items.extend(
            all.iter()
                .filter(|c| !shown.contains(c))
                .map(|c| (*c, false)),
        );
        ColumnPicker {
            entity,
            items,
            selected: 0,
            error: None,
            all,
        }
    }

    pub fn move_by(&mut self, delta: i64) {
        let last = self.items.len().saturating_sub(1) as i64;
        self.selected = (self.selected as i64 + delta).clamp(0, last) as usize;
    }

    /// Show or hide the column under the cursor; the last one shown stays.
    pub fn toggle(&mut self) -> Result<()> {
        let shown = self.items.iter().filter(|(_, s)| *s).count();
        let Some(item) = self.items.get_mut(self.selected) else {
            return Ok(());
        };
        if item.1 && shown <= 1 {
            return Err(Error::invalid(crate::tr!("tui.columns.one_stays")));
        }
        item.1 = !item.1;
        Ok(())
    }

    /// Move the column under the cursor up (`-1`) or down in the order; the cursor goes
    /// with it.
    pub fn shift(&mut self, delta: i64) {
        let to = self.selected as i64 + delta;
        if to < 0 || to >= self.items.len() as i64 {
            return;
        }
        self.items.swap(self.selected, to as usize);
        self.selected = to as usize;
    }

    /// Back to the kind's own columns, all shown, in its order.
    pub fn defaults(&mut self) {
        self.items = self.all.iter().map(|c| (*c, true)).collect();
    }

    /// The columns shown, in their order.
    pub fn chosen(&self) -> Vec<String> {
        self.items
            .iter()
            .filter(|(_, s)| *s)
            .map(|(c, _)| c.to_string())
            .collect()
    }

    /// Whether what is chosen is the kind's own columns (nothing to keep for it).
    pub fn is_default(&self) -> bool {
        self.chosen()
            .iter()
            .map(String::as_str)
            .eq(self.all.iter().copied())
    }
}

pub fn draw_columns(f: &mut Frame, p: &ColumnPicker, t: Theme) {
    let keys = crate::tr!("tui.columns.keys");
    // As wide as the keys at its foot, or the longest name.
    let widest = p
        .items
        .iter()
        .map(|(c, _)| c.width() + 5)
        .chain([
            keys.width(),
            p.error.as_deref().map_or(0, |e| e.width() + 2),
        ])
        .max()
        .unwrap_or(0);
    let width = (widest + 4).max(44).min(u16::MAX as usize) as u16;
    let rows = p.items.len() as u16 + 2 + 2;
    let area = centered(f.area(), width, rows.min(f.area().height.saturating_sub(2)));
    clear(f, area);
    let block = Block::bordered().title(Span::styled(
        format!(
            " {} ",
            crate::tr!(
                "tui.columns.title",
                kinds = crate::tui::view::kinds_name(p.entity)
            )
        ),
        t.title(),
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    // The foot: the keys, or why the last one did nothing.
    let list_h = inner.height.saturating_sub(1) as usize;
    let top = p.selected.saturating_sub(list_h.saturating_sub(1));
    let mut lines: Vec<Line> = p
        .items
        .iter()
        .enumerate()
        .skip(top)
        .take(list_h)
        .map(|(i, (name, shown))| {
            let mark = if *shown { "[x]" } else { "[ ]" };
            let line = Line::from(vec![
                Span::styled(format!(" {mark} "), t.accent()),
                Span::raw(name.to_string()),
            ]);
            if i == p.selected {
                line.patch_style(t.selected())
            } else if *shown {
                line
            } else {
                line.patch_style(t.dim())
            }
        })
        .collect();
    while lines.len() < list_h {
        lines.push(Line::raw(""));
    }
    lines.push(match &p.error {
        Some(e) => Line::from(Span::styled(format!(" ✗ {e}"), t.error())),
        None => Line::from(Span::styled(format!(" {keys}"), t.dim())),
    });
    f.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_is_walked_as_a_shell_does() {
        let h: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let mut w = HistoryWalk::default();
        assert_eq!(w.step(&h, "typed", false), None, "nothing ahead");
        assert_eq!(w.step(&h, "typed", true).as_deref(), Some("c"));
        assert_eq!(w.step(&h, "c", true).as_deref(), Some("b"));
        assert_eq!(w.step(&h, "b", true).as_deref(), Some("a"));
        assert_eq!(w.step(&h, "a", true), None, "the oldest");
        assert_eq!(w.step(&h, "a", false).as_deref(), Some("b"));
        assert_eq!(w.step(&h, "b", false).as_deref(), Some("c"));
        assert_eq!(w.step(&h, "c", false).as_deref(), Some("typed"));
        assert_eq!(w.step(&h, "typed", false), None);
        assert_eq!(HistoryWalk::default().step(&[], "x", true), None);
    }

    #[test]
    fn the_picker_keeps_one_column_and_moves_them() {
        let mut p = ColumnPicker::new(Entity::Deal, vec!["id", "title", "amount"], &["title"]);
        assert_eq!(
            p.items,
            vec![("title", true), ("id", false), ("amount", false)]
        );
        assert!(p.toggle().is_err(), "the last one shown");
        p.move_by(2);
        p.toggle().unwrap();
        p.shift(-1);
        assert_eq!(p.selected, 1);
        assert_eq!(p.chosen(), ["title", "amount"]);
        assert!(!p.is_default());
        p.defaults();
        assert!(p.is_default());
    }
}
