//! Writes that wait for the database: the `impl App` half of `wait.rs` (see there).

use std::time::Instant;

use crate::core::error::Result;
use crate::tui::app::App;
use crate::tui::wait::{Waiting, Write};

impl App {
    /// Do a write (with what it shows after); if the database is busy, keep it and try it
    /// again on the next ticks (see the module's help). `Ok` then means "waiting".
    pub(crate) fn writing(
        &mut self,
        write: impl FnMut(&mut App) -> Result<()> + 'static,
    ) -> Result<()> {
        let mut write: Write<App> = Box::new(write);
        match write(self) {
            Err(e) if e.is_busy() => {
                self.waiting = Some(Waiting {
                    write,
                    since: Instant::now(),
                    tries: 1,
                    back: None,
                });
                Ok(())
            }
            r => r,
        }
    }

    /// Try the waiting write again, or give it up when it has waited long enough.
    pub(crate) fn retry_write(&mut self) {
        let Some(mut w) = self.waiting.take() else {
            return;
        };
        if w.waited() >= self.write_patience {
            self.popup = w.back.take();
            self.say(
                crate::tr!(
                    "tui.input.still_locked",
                    seconds = self.write_patience.as_secs()
                ),
                true,
            );
            return;
        }
        match (w.write)(self) {
            Ok(()) => {}
            Err(e) if e.is_busy() => {
                w.tries += 1;
                self.waiting = Some(w);
            }
            Err(e) => {
                if self.popup.is_none() {
                    self.popup = w.back.take();
                }
                self.fail(&e);
            }
        }
    }

    /// esc while a write waits: it is given up; nothing was written, and the form or the
    /// question it came from is back as it was.
    pub(crate) fn cancel_write(&mut self) {
        if let Some(mut w) = self.waiting.take() {
            self.popup = w.back.take();
            self.ok(crate::tr!("tui.input.write_cancelled"));
        }
    }
}
