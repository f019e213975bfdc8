//! The full-screen face: `kith` on a terminal. `app` is the shell (the stack of screens,
//! popups, and which key goes where); each screen has its state and drawing under
//! `screens/` and what its keys do under `actions/`; `places` lists every screen with its
//! group and go-to key. `draw` draws the frame around them with the pieces of `view`,
//! `keymap` binds keys to actions. It reads and writes only through the library (`Crm`).

mod actions;
pub mod app;
pub mod clipboard;
mod draw;
pub mod edit_record;
pub mod input;
pub mod keymap;
pub mod places;
pub mod screens;
pub mod view;
pub mod wait;

pub use screens::form;

use std::io::stdout;

use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind,
};
use ratatui::crossterm::execute;
use ratatui::{DefaultTerminal, Terminal};

use crate::app::config as app_config;
use crate::app::crm::Crm;
use crate::core::error::{Error, Result};
pub use app::App;
pub use keymap::Keymap;

/// How long the interface waits for a key before it looks at the clock.
const TICK: std::time::Duration = std::time::Duration::from_secs(20);

/// How long it waits for a key while something it shows is being read.
const SOON: std::time::Duration = std::time::Duration::from_millis(25);

/// Run the interface until the user quits, with what the configuration says of care
/// rules, the seller and documents. The terminal is restored afterwards, also when
/// something panics.
pub fn run(crm: Crm, keymap: Keymap, color: bool, config: &app_config::Config) -> Result<()> {
    let mut app = App::new(crm, keymap, color)?;
    app.care = config.care.clone();
    app.seller = config.seller.clone();
    app.font = config.document.font.clone();
    // Filter history, saved views and columns, beside the configuration file.
    app.open_interface(crate::app::config::interface_path());
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
        // `E`: the record as text in $EDITOR, again while what it gives back is refused
        // (asked by a key, or by a write that waited for the database and then was).
        while let Some(text) = app.record_editor_request() {
            let edited = suspended(terminal, || input::edit_in_editor(&text))?;
            app.record_editor_done(edited);
        }
        draw(terminal, app)?;
        // What was copied goes to the terminal, which puts it on the clipboard.
        if let Some(osc) = app.clipboard.take() {
            use std::io::Write;
            let mut out = stdout();
            let _ = out.write_all(osc.as_bytes());
            let _ = out.flush();
        }
        // Wake up now and then with no key, so a screen left open past midnight rolls
        // over to the new day.
        // A write waiting for the database is tried again soon, the spinner turning; the
        // finder's names being read, and the count of the list in front, are looked at
        // soon; while a message shows, wake up
        // each second so it goes in time.
        let wake = if app.waiting.is_some() {
            wait::RETRY_EVERY
        } else if app.finder_reading() || app.list_counting() || app.due_reading() {
            SOON
        } else if app.status.is_some() {
            std::time::Duration::from_secs(1)
        } else {
            TICK
        };
        if !event::poll(wake.min(actions::notices::LOOK_EVERY)).map_err(failed)? {
            app.tick();
            app.idle();
            continue;
        }
        match event::read().map_err(failed)? {
            Event::Key(k) if k.kind != KeyEventKind::Release => app.key(k),
            Event::Mouse(m) => app.mouse(m),
            _ => {}
        }
        // A form's field to edit in $EDITOR: the editor gets the terminal meanwhile.
        if let Some(text) = app.editor_request() {
            let edited = suspended(terminal, || input::edit_in_editor(&text))?;
            app.editor_done(edited);
        }
    }
    Ok(())
}

/// Run `f` with the terminal as it was before the interface took it (no raw mode, the
/// main screen, no mouse), then take it back and draw everything afresh.
fn suspended<T>(terminal: &mut DefaultTerminal, f: impl FnOnce() -> T) -> Result<T> {
    use ratatui::crossterm::cursor::Show;
    use ratatui::crossterm::terminal::{
        disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
    };
    let failed = |e: std::io::Error| Error::failed(crate::tr!("tui.terminal", reason = e));
    let _ = execute!(stdout(), DisableMouseCapture, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
    let out = f();
    enable_raw_mode().map_err(failed)?;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture).map_err(failed)?;
    terminal.clear().map_err(failed)?;
    Ok(out)
}

/// Draw one frame of the app on any backend (a terminal, or a test buffer).
pub fn draw<B: ratatui::backend::Backend>(terminal: &mut Terminal<B>, app: &mut App) -> Result<()> {
    terminal
        .draw(|f| draw::draw(f, app))
        .map(|_| ())
        .map_err(|e| Error::failed(crate::tr!("tui.terminal", reason = e)))
}
