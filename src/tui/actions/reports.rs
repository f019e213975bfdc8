//! What the keys do on reports (the `impl App` half of `screens/reports.rs`, whose state
//! and drawing stay there, below the shell).

use crate::core::error::Result;
use crate::model::query::Filter;
use crate::tui::app::{App, Screen};
use crate::tui::keymap::Action;
use crate::tui::screens::reports::*;

impl App {
    /// The reports' own keys: the next period, the next grouping.
    pub(crate) fn reports_key(&mut self, action: Action) -> Result<()> {
        let Screen::Reports(r) = self.screen_mut() else {
            return Ok(());
        };
        match action {
            Action::NextPeriod => {
                r.period = (r.period + 1) % PERIODS.len();
                self.reload_top()?;
            }
            Action::NextGrouping => {
                let n = groupings(r.kind()).len();
                if n == 0 {
                    let name = r.kind().name();
                    self.ok(crate::tr!("tui.report.no_grouping", name = name));
                    return Ok(());
                }
                r.grouping[r.selected] = (r.grouping[r.selected] + 1) % n;
                self.reload_top()?;
            }
            _ => {}
        }
        Ok(())
    }

    /// A report narrowed by a filter line; one that fails keeps the last filter that
    /// worked, and its result.
    pub(crate) fn filter_report(&mut self, text: &str, parsed: Filter) -> Result<()> {
        let Screen::Reports(r) = self.screen_mut() else {
            return Ok(());
        };
        let old = (
            std::mem::replace(&mut r.filter_text, text.to_string()),
            std::mem::replace(&mut r.filter, parsed),
            r.report.clone(),
            r.error.clone(),
        );
        if let Err(e) = self.reload_top() {
            if let Screen::Reports(r) = self.screen_mut() {
                (r.filter_text, r.filter, r.report, r.error) = old;
            }
            return Err(e);
        }
        Ok(())
    }
}
