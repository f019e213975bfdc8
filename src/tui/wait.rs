//! Writes that wait for a database another program is writing to, without freezing the
//! screen.
//!
//! SQLite lets one connection write at a time; a write finding the lock taken waits up to
//! the busy timeout (30 s for the command line) inside the call, and an interface waiting
//! there draws nothing and takes no key. So the interface's connection waits only a moment
//! ([`TRY_FOR`]), and a write that still finds the database busy is kept, not failed: the
//! event loop wakes every [`RETRY_EVERY`] and tries it again, drawing a spinner
//! ("waiting for the database… esc cancels") meanwhile, until it goes through or
//! the app's `write_patience` (the busy timeout of the command line) has passed, when it says
//! so. `esc` gives up at once. Either way the form or question it came from is as it was,
//! with what was typed in it.
//!
//! Why not a thread: the write needs the app's connection (rusqlite's is not shared between
//! threads) and its screens (a save closes its form, opens the record, reloads the lists).
//! A write that fails busy changed nothing (its `BEGIN IMMEDIATE` is what failed, or its
//! commit, which rolls it back), so trying the very same write again is safe; and between
//! tries the screen is drawn and keys are read as ever, so nothing blocks for more than
//! [`TRY_FOR`].

use std::time::{Duration, Instant};

use crate::core::error::Result;

/// How long one try waits for the lock (the connection's busy timeout while the
/// interface runs): a moment, so that a short write elsewhere goes unnoticed.
pub const TRY_FOR: Duration = Duration::from_millis(50);

/// How often a waiting write is tried again (and the spinner turns).
pub const RETRY_EVERY: Duration = Duration::from_millis(150);

/// A write to do again until the database lets it, on the app `A`.
pub type Write<A> = Box<dyn FnMut(&mut A) -> Result<()>>;

/// A write waiting for the database: on the app `A`, answering the popup `P` (the
/// interface's `App` and `Popup`; generic so that this module stays below them).
pub struct Waiting<A, P> {
    pub(crate) write: Write<A>,
    pub(crate) since: Instant,
    /// How many times it was tried (the spinner's turn).
    pub tries: u32,
    /// The question the write answers, put back if the wait is given up.
    pub back: Option<P>,
}

impl<A, P> Waiting<A, P> {
    /// How long it has waited.
    pub fn waited(&self) -> Duration {
        self.since.elapsed()
    }

    /// The spinner's character at this turn.
    pub fn spinner(&self) -> char {
        const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
        FRAMES[self.tries as usize % FRAMES.len()]
    }
}
