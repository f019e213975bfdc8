//! The full-screen face: `kith` on a terminal. `app` is the shell (the stack of screens,
//! popups, and which key goes where); each screen lives in its own module under
//! `screens/` with its state, its actions and its drawing; `screens` also lists every
//! screen with its group and go-to key. `view` draws the frame around them, `keymap`
//! binds keys to actions. It reads and writes only through the library (`Crm`).

pub mod app;
pub mod keymap;
pub mod screens;
pub mod view;

pub use screens::form;

use std::io::stdout;

use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind,
};
use ratatui::crossterm::execute;
use ratatui::{DefaultTerminal, Terminal};

use crate::app::crm::Crm;
use crate::core::error::{Error, Result};
pub use app::App;
pub use keymap::Keymap;

/// How long the interface waits for a key before it looks at the clock.
const TICK: std::time::Duration = std::time::Duration::from_secs(20);

/// How long it waits for a key while something it shows is being read.
const SOON: std::time::Duration = std::time::Duration::from_millis(25);

/// Run the interface until the user quits. The terminal is restored afterwards, also
/// when something panics.
pub fn run(crm: Crm, keymap: Keymap, color: bool) -> Result<()> {
    let mut app = App::new(crm, keymap, color)?;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture);
        previous(info);
    }));
    // ratatui::init enters raw mode and the alternate screen, and chains its own panic
    // hook (which restores both) in front of ours.
    let mut terminal = ratatui::init();
    let _ = execute!(stdout(), EnableMouseCapture);
    let result = event_loop(&mut terminal, &mut app);
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App) -> Result<()> {
    let failed = |e: std::io::Error| Error::failed(crate::tr!("tui.terminal", reason = e));
    while !app.quit {
        draw(terminal, app)?;
        // Wake up now and then with no key, so a screen left open past midnight rolls
        // over to the new day.
        let wait = if app.waiting() { SOON } else { TICK };
        if !event::poll(wait).map_err(failed)? {
            app.tick();
            continue;
        }
        match event::read().map_err(failed)? {
            Event::Key(k) if k.kind != KeyEventKind::Release => app.key(k),
            Event::Mouse(m) => app.mouse(m),
            _ => {}
        }
    }
    Ok(())
}

/// Draw one frame of the app on any backend (a terminal, or a test buffer).
pub fn draw<B: ratatui::backend::Backend>(terminal: &mut Terminal<B>, app: &mut App) -> Result<()> {
    terminal
        .draw(|f| view::draw(f, app))
        .map(|_| ())
        .map_err(|e| Error::failed(crate::tr!("tui.terminal", reason = e)))
}
