//! What the keys do on reports (the `impl App` half of `screens/reports.rs`, whose state
//! and drawing stay there, below the shell).

use crate::core::error::{Error, Result};
use crate::model::query::Filter;
use crate::tui::app::{App, ListView, Screen};
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
                    let name = crate::tui::screens::reports::report_name(r.kind());
                    self.ok(crate::tr!("tui.report.no_grouping", name = name));
                    return Ok(());
                }
                r.grouping[r.selected] = (r.grouping[r.selected] + 1) % n;
                self.reload_top()?;
            }
            Action::ReportRows if r.in_table => r.in_table = false,
            Action::ReportRows | Action::Right => return self.enter_rows(),
            Action::Left | Action::Back => r.in_table = false,
            Action::DrillDown | Action::Open if !r.in_table => return self.enter_rows(),
            Action::DrillDown | Action::Open => return self.drill_down(),
            _ => {}
        }
        Ok(())
    }

    /// From the list of reports into the rows of the one shown.
    fn enter_rows(&mut self) -> Result<()> {
        let Screen::Reports(r) = self.screen_mut() else {
            return Ok(());
        };
        if r.main_rows().is_empty() {
            return Err(Error::invalid(crate::tr!("tui.report.no_rows")));
        }
        r.in_table = true;
        r.row = r.row.min(r.main_rows().len() - 1);
        Ok(())
    }

    /// The records behind the row selected, listed on top of the report with the filter
    /// that selects them (the report's own filter and period in it), which the list's
    /// title shows and `/` edits; `esc` goes back to the report as it was.
    fn drill_down(&mut self) -> Result<()> {
        let today = self.crm.env.clock.today();
        let Screen::Reports(r) = self.screen() else {
            return Ok(());
        };
        let row = r
            .main_rows()
            .get(r.row)
            .ok_or_else(|| Error::invalid(crate::tr!("tui.report.no_rows")))?;
        let d = crate::app::reports::drill(&self.crm, r.kind(), &r.params(today), row)?;
        let text = d.filter.to_line();
        self.screens
            .push(Screen::List(Box::new(ListView::new(d.entity))));
        if let Err(e) = self.apply_filter(&text) {
            self.screens.pop();
            return Err(e);
        }
        self.ok(crate::tr!("tui.report.drilled"));
        Ok(())
    }

    /// Up and down over the report's rows (`delta` rows; the top or the end when far).
    pub(crate) fn move_in_report(&mut self, delta: i64) -> bool {
        let Screen::Reports(r) = self.screen_mut() else {
            return false;
        };
        if !r.in_table {
            return false;
        }
        let n = r.main_rows().len();
        r.row = (r.row as i64)
            .saturating_add(delta)
            .clamp(0, n.saturating_sub(1) as i64) as usize;
        true
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
