//! The notifications (`!`): what `kith remind` would deliver now, read without claiming
//! or delivering anything, and the count shown in the tab bar. And the screens following
//! another program's changes to the database.

use std::time::{Duration, Instant};

use crate::app::tui_reads::Preview;
use crate::core::error::Result;
use crate::model::Entity;
use crate::tui::app::{App, Popup};
use crate::tui::keymap::{Action, Context, Key};
use crate::tui::screens::notices::Notices;

/// How often the interface looks whether another program changed the database.
pub const LOOK_EVERY: Duration = Duration::from_secs(1);

impl App {
    /// `!`: the reminders due, as `kith remind` would deliver them. They are read on
    /// another connection (75,000 overdue tasks on the large dataset take most of a
    /// second): the box opens at once and fills when they come.
    pub(crate) fn open_notices(&mut self) -> Result<()> {
        self.popup = Some(Popup::Notices(Notices {
            items: vec![],
            selected: 0,
            reading: true,
        }));
        self.read_due(true);
        Ok(())
    }

    /// Start reading the reminders due — every one (`all`, for the box) or only those
    /// `kith remind` would deliver (for the count, as cheap as `kith remind` with nothing
    /// new) — unless a read is under way; a database in memory is read here and now.
    fn read_due(&mut self, all: bool) {
        self.due_stale = false;
        if self.due_reading.is_some() {
            return;
        }
        match self.crm.remind_preview_ahead(&self.care, all) {
            Some(reading) => self.due_reading = Some((all, reading)),
            None => {
                let read = self.crm.remind_preview(&self.care, all);
                self.due_read(all, read);
            }
        }
    }

    /// The reminders read: the count for the tab bar, and the box's list if it is open
    /// (and they are all of them; else they are read again, all of them).
    fn due_read(&mut self, all: bool, read: Result<Preview>) {
        match read {
            Ok(items) => {
                self.due = Some(items.iter().filter(|(_, delivered)| !delivered).count());
                if let Some(Popup::Notices(n)) = self.popup.as_mut() {
                    if all {
                        n.items = items;
                        n.reading = false;
                    } else if n.reading {
                        self.read_due(true);
                    }
                }
            }
            Err(e) => {
                if let Some(Popup::Notices(n)) = self.popup.as_mut() {
                    n.reading = false;
                }
                self.fail(&e);
            }
        }
    }

    /// Take the reminders read on the other connection once they are in (the event loop
    /// looks again soon while they are being read).
    pub(crate) fn due_answers(&mut self) {
        if self
            .due_reading
            .as_ref()
            .is_some_and(|(_, r)| r.is_finished())
        {
            if let Some((all, reading)) = self.due_reading.take() {
                let read = reading.join().unwrap_or_else(|_| {
                    Err(crate::core::error::Error::failed(crate::tr!(
                        "tui.notices.read_failed"
                    )))
                });
                self.due_read(all, read);
            }
        }
    }

    /// Whether the reminders are being read.
    pub fn due_reading(&self) -> bool {
        self.due_reading.is_some()
    }

    /// A key in the notifications: move, open the record of one, close.
    pub(crate) fn notices_key(&mut self, key: Key) -> Result<()> {
        let action = self.keymap.action(key, Context::Global);
        let Some(Popup::Notices(n)) = self.popup.as_mut() else {
            return Ok(());
        };
        let last = n.items.len().saturating_sub(1);
        match action {
            Some(Action::Down) => n.selected = (n.selected + 1).min(last),
            Some(Action::Up) => n.selected = n.selected.saturating_sub(1),
            Some(Action::PageDown) => n.selected = (n.selected + 10).min(last),
            Some(Action::PageUp) => n.selected = n.selected.saturating_sub(10),
            Some(Action::Open) => {
                let target = n
                    .items
                    .get(n.selected)
                    .and_then(|(r, _)| Entity::from_name(&r.record_kind).map(|e| (e, r.record_id)));
                self.popup = None;
                if let Some((e, id)) = target {
                    self.open(e, id)?;
                }
            }
            Some(Action::Back | Action::Quit | Action::Notices) => self.popup = None,
            _ => {}
        }
        Ok(())
    }

    /// While no key comes: read the screens again when another program changed the
    /// database (at most once every [`LOOK_EVERY`]), and read the reminders due again
    /// (on another connection) when the screens were read since. Never while a write
    /// waits for the database.
    pub fn idle(&mut self) {
        if self.waiting.is_some() {
            return;
        }
        let due_to_look = self.looked.is_none_or(|at| at.elapsed() >= self.look_every);
        if due_to_look {
            self.looked = Some(Instant::now());
            if let Ok(v) = self.crm.data_version() {
                let changed = self.data_version.is_some_and(|seen| seen != v);
                self.data_version = Some(v);
                if changed {
                    match self.reload_all() {
                        Ok(()) => self.ok(crate::tr!("tui.notices.changed_elsewhere")),
                        Err(e) => self.fail(&e),
                    }
                }
            }
        }
        if self.due_stale {
            self.read_due(false);
        }
    }
}
