//! What the keys do on list (the `impl App` half of `screens/list.rs`, whose state
//! and drawing stay there, below the shell).

use crate::core::error::Result;
use crate::model::query::{Filter, SortKey, Term};
use crate::tui::app::{App, Popup, Screen};
use crate::tui::app::{Pick, Picker};
use crate::tui::keymap::Action;
use crate::tui::screens::list::*;

/// A count as the title shows it; one that failed leaves the title at `200+`.
fn counted(n: Option<usize>) -> Total {
    n.map_or(Total::Unavailable, Total::Known)
}

impl App {
    /// On a list shown without fuzzy words, start reading the names a filter would rank
    /// (see [`Names`]); once per list shown or written to, not for the screens beneath.
    pub(crate) fn read_names_ahead(&mut self) {
        let crm = &self.crm;
        let Some(Screen::List(l)) = self.screens.last_mut() else {
            return;
        };
        if !l.words.is_empty() || !matches!(l.names, Names::Unread) {
            return;
        }
        if let Some(reading) = crm.name_pool_ahead(l.entity, &l.query) {
            l.names = Names::Reading(reading);
        }
    }

    /// Count the list in front (see [`Total`]): started once no key has come for a
    /// moment (the event loop's tick), on another connection; its answer is taken at a
    /// later tick. A database in memory is counted here and now.
    pub(crate) fn count_list(&mut self) {
        let crm = &self.crm;
        let Some(Screen::List(l)) = self.screens.last_mut() else {
            return;
        };
        match std::mem::take(&mut l.total) {
            Total::Unknown if l.exhausted && l.skipped == Some(0) => {
                l.total = Total::Known(l.rows.len())
            }
            Total::Unknown => {
                l.total = match crm.count_ahead(l.entity, &l.query) {
                    Some(counting) => Total::Counting(counting),
                    None => counted(crm.count(l.entity, &l.query).ok()),
                }
            }
            Total::Counting(c) if c.is_finished() => {
                l.total = counted(c.join().ok().and_then(Result::ok))
            }
            other => l.total = other,
        }
        // At the end `G` read, the count says where the window begins.
        if let (None, Some(n)) = (l.skipped, l.total.known()) {
            l.skipped = Some(n.saturating_sub(l.rows.len()));
        }
    }

    /// Whether the list in front waits to be counted (the event loop then looks again
    /// soon instead of waiting for a key).
    pub fn list_counting(&self) -> bool {
        matches!(self.screens.last(), Some(Screen::List(l))
            if matches!(l.total, Total::Unknown | Total::Counting(_)))
    }

    /// Whether the current list's names are still being read for its filter (see
    /// [`Names`]).
    pub fn names_reading(&self) -> bool {
        matches!(self.screens.last(), Some(Screen::List(l))
            if matches!(&l.names, Names::Reading(r) if !r.is_finished()))
    }

    /// Apply a filter line to the current list: field and tag terms filter as on the
    /// command line; bare words rank the names by fuzzy match.
    pub fn apply_filter(&mut self, text: &str) -> Result<()> {
        let parsed = crate::model::query::parse_line(text)?;
        if let Screen::Reports(_) = self.screen() {
            return self.filter_report(text, parsed);
        }
        let (words, terms): (Vec<Term>, Vec<Term>) = parsed
            .terms
            .into_iter()
            .partition(|t| matches!(t, Term::Word(_)));
        let words: Vec<String> = words
            .into_iter()
            .filter_map(|t| match t {
                Term::Word(w) => Some(w),
                _ => None,
            })
            .collect();
        let crm = &self.crm;
        let Some(Screen::List(l)) = self.screens.last_mut() else {
            return Ok(());
        };
        let old = (
            l.filter_text.clone(),
            l.query.filter.clone(),
            l.words.clone(),
        );
        if l.filter_text != text {
            // Marks are for the rows in view: another filter drops them, so an action
            // never reaches records the list no longer shows.
            l.marks.clear();
            l.range_from = None;
        }
        l.filter_text = text.to_string();
        let filter = Filter { terms };
        if filter != l.query.filter {
            // Other terms choose other names.
            l.names = Names::Unread;
        }
        l.query.filter = filter;
        l.words = words.join(" ");
        if let Err(e) = reload_list(crm, l) {
            if let Screen::List(l) = self.screen_mut() {
                (l.filter_text, l.query.filter, l.words) = old;
            }
            self.reload_top()?;
            return Err(e);
        }
        Ok(())
    }
}

impl App {
    /// The list's own keys: choose the sort column, reverse the sort.
    pub(crate) fn list_key(&mut self, action: Action) -> Result<()> {
        match action {
            Action::Sort => {
                if let Screen::List(l) = self.screen() {
                    let items = self
                        .crm
                        .custom()
                        .fields(l.entity)
                        .into_iter()
                        .chain(l.entity.field("created_at"))
                        .chain(l.entity.field("updated_at"))
                        .map(|f| {
                            (
                                f.name.to_string(),
                                String::new(),
                                Pick::SortBy(f.name.to_string()),
                            )
                        })
                        .collect();
                    self.popup = Some(Popup::Pick(Picker::new(
                        crate::tr!("tui.picker.sort_by"),
                        items,
                    )));
                }
            }
            Action::Reverse => {
                if let Screen::List(l) = self.screen_mut() {
                    let label = l.entity.label_field().to_string();
                    match l.query.sort.first_mut() {
                        Some(k) => k.desc = !k.desc,
                        None => {
                            l.query.sort = vec![SortKey {
                                field: label,
                                desc: true,
                            }]
                        }
                    }
                }
                self.reload_top()?;
            }
            _ => {}
        }
        Ok(())
    }

    /// A click on a row selects it; a second click on the selected row opens it.
    pub(crate) fn list_click(&mut self, column: u16, row: u16) -> Result<()> {
        if let (Some(area), Screen::List(l)) = (self.rows_area, self.screen()) {
            let inside = column >= area.x
                && column < area.x + area.width
                && row >= area.y
                && row < area.y + area.height;
            let index = l.top + (row.saturating_sub(area.y)) as usize;
            if inside && index < l.rows.len() {
                let same = index == l.selected;
                if let Screen::List(l) = self.screen_mut() {
                    l.selected = index;
                }
                if same {
                    self.act(Action::Open)?;
                }
            }
        }
        Ok(())
    }
}
