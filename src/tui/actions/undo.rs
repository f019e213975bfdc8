//! `u` and `ctrl-r`: undo the acting user's last change and redo it, with the same batches
//! as `kith undo` (a form saved, a stage moved, a task done … is one batch). What a batch
//! changed is shown, and asked about, before it is taken back.

use crate::app::undo::{describe_head, last_batches, redoable};
use crate::core::error::{Error, Result};
use crate::tui::app::{App, Pending, Popup};

/// How many of a batch's changes the question shows.
const SHOWN: usize = 8;

impl App {
    /// Show what the last change (or, redoing, the last undo) did, and ask.
    pub(crate) fn ask_undo(&mut self, redo: bool) -> Result<()> {
        let batch = if redo {
            redoable(&self.crm)?
                .ok_or_else(|| Error::invalid(crate::tr!("tui.undo.nothing_to_redo")))?
        } else {
            *last_batches(&self.crm, 1)?
                .first()
                .ok_or_else(|| Error::invalid(crate::tr!("tui.undo.nothing_to_undo")))?
        };
        let (d, count) = describe_head(&self.crm, batch, SHOWN)?;
        let at = crate::tui::view::local(&d.at);
        let mut message = if redo {
            crate::tr!("tui.undo.ask_redo", batch = d.batch, at = at)
        } else {
            crate::tr!("tui.undo.ask_undo", batch = d.batch, at = at)
        };
        for step in &d.steps {
            message.push('\n');
            message.push_str(&crate::tr!("tui.undo.step", step = step));
        }
        if count > d.steps.len() {
            message.push('\n');
            message.push_str(&crate::plural!("tui.undo.more", count - d.steps.len()));
        }
        self.popup = Some(Popup::Confirm {
            message,
            then: Pending::Undo { batch, redo },
        });
        Ok(())
    }

    /// Take the batch back (see [`App::ask_undo`]); the screens are read again.
    pub(crate) fn undo(&mut self, batch: i64, redo: bool) -> Result<()> {
        self.writing(move |app| {
            let done = if redo {
                app.crm.redo_batch(batch)?
            } else {
                app.crm.undo_batch(batch)?
            };
            app.reload_all()?;
            let n = done.steps.len();
            app.ok(if redo {
                crate::plural!("tui.undo.redone", n, batch = done.batch)
            } else {
                crate::plural!("tui.undo.undone", n, batch = done.batch)
            });
            Ok(())
        })
    }
}
