//! The interface's shell: the stack of screens, the popup over them, the status line,
//! and where each key goes. What a screen holds and draws lives in its own module under
//! `screens/`, below this one; what its keys do, in `actions/`, above it; every read and
//! write goes through the library (`Crm`).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::keymap::{Action, Context, Key, Keymap, View};
use super::screens::board::load_board;
use super::screens::detail::load_detail;
use super::screens::list::{default_filter, go_to_end, move_in_list, reload_list};
use super::screens::reports::load_report;
use super::screens::today::load_today;
use crate::app::crm::{Crm, Input};
use crate::app::interface_state::{InterfaceFile, SavedView};
use crate::app::reports::Kind;
use crate::core::error::{Error, Result};
use crate::model::Entity;
use crate::tui::input::TextInput;
use crate::tui::screens::views::{ColumnPicker, HistoryWalk};
use crate::tui::view::kind_name;
use crate::tui::wait::Waiting;

pub use super::screens::board::Board;
pub use super::screens::detail::{refs, Detail};
pub use super::screens::form::Form;
pub use super::screens::list::{ListView, Names, PAGE};
pub use super::screens::palette::{FinderNames, Pick, Picker};
pub use super::screens::reports::{groupings, period_bounds, Reports, PERIODS};
pub use super::screens::today::Today;

pub struct App {
    pub crm: Crm,
    pub keymap: Keymap,
    /// Screens, the one shown last; the first is a top-level view.
    pub screens: Vec<Screen>,
    pub popup: Option<Popup>,
    pub status: Option<Status>,
    pub quit: bool,
    pub color: bool,
    /// Where the last frame drew the rows of the current list (for the mouse).
    pub rows_area: Option<Rect>,
    /// The day the screens were last read on: when the clock passes midnight they are
    /// read again, so "today" is today.
    pub day: chrono::NaiveDate,
    /// A write waiting for a database another program is writing to (see `wait.rs`).
    pub waiting: Option<Waiting<App, Popup>>,
    /// How long a write waits for the database before it is given up.
    pub write_patience: std::time::Duration,
    /// The records the finder ranks, kept after it closes while the data stays as it was.
    pub finder: FinderNames,
    /// The moment of the data ([`Crm::moment`]) the finder's records were read at.
    pub finder_read_at: Option<(i64, u64)>,
    /// What to put on the clipboard, as the terminal takes it (OSC 52): written by the
    /// event loop after the next frame.
    pub clipboard: Option<String>,
    /// The records opened, for ctrl-o and ctrl-i.
    pub jumps: Jumps,
    /// The care rules `kith remind` follows (`[care]` in the configuration), for the
    /// notifications.
    pub care: crate::app::config::Care,
    /// How many reminders `kith remind` would deliver now (the tab bar's `! 3`), when
    /// counted; `due_stale` once the screens were read again since.
    pub due: Option<usize>,
    pub due_stale: bool,
    /// The reminders due being read on another connection: all of them (for `!`), or
    /// only those `kith remind` would deliver (for the count).
    pub due_reading: Option<(
        bool,
        std::thread::JoinHandle<Result<crate::app::tui_reads::Preview>>,
    )>,
    /// The database's `data_version` when last looked at, and when that was: another
    /// program's change makes the screens read again (see `actions/notices.rs`).
    pub data_version: Option<i64>,
    pub looked: Option<std::time::Instant>,
    pub look_every: std::time::Duration,
    /// What the interface keeps between sessions (`interface.toml`): filter history,
    /// saved views, columns. In memory until [`App::open_interface`] names the file.
    pub interface: InterfaceFile,
    /// `E`: the record being edited as text in `$EDITOR`.
    pub record_edit: Option<crate::tui::edit_record::RecordEdit>,
    /// Who sells, and the font of a PDF: what a quote rendered from the interface needs
    /// (`[seller]` and `[document]` in the configuration).
    pub seller: crate::app::config::Seller,
    pub font: Option<std::path::PathBuf>,
}

/// The records opened in this session, oldest first, and where ctrl-o and ctrl-i have
/// walked to among them. Opening a record after walking back drops those ahead, as vim's
/// jump list does.
#[derive(Debug, Default)]
pub struct Jumps {
    pub list: Vec<(Entity, i64)>,
    pub at: usize,
}

impl Jumps {
    fn visited(&mut self, e: Entity, id: i64) {
        if self.list.get(self.at) == Some(&(e, id)) {
            return;
        }
        self.list.truncate(self.at + 1);
        self.list.push((e, id));
        self.at = self.list.len() - 1;
    }

    fn back(&mut self) -> Option<(Entity, i64)> {
        if self.at == 0 {
            return None;
        }
        self.at -= 1;
        self.list.get(self.at).copied()
    }

    fn forward(&mut self) -> Option<(Entity, i64)> {
        if self.at + 1 >= self.list.len() {
            return None;
        }
        self.at += 1;
        self.list.get(self.at).copied()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
    /// When it was shown, by the app's clock: it goes after [`STATUS_FOR`], or at the
    /// next key, and the screen's key hints come back.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// How long a message stays on the status line while no key is pressed.
pub const STATUS_FOR: chrono::TimeDelta = chrono::TimeDelta::seconds(5);

/// A screen on the stack. Each lives in its own module under `screens/` (its state and
/// drawing) and `actions/` (its `impl App` methods); the matches on it here are
/// exhaustive, so a new screen is not forgotten by any of them.
pub enum Screen {
    Today(Today),
    List(Box<ListView>),
    Board(Board),
    Detail(Box<Detail>),
    Form(Box<Form>),
    Reports(Box<Reports>),
}

pub enum Popup {
    Help {
        scroll: usize,
    },
    /// After the go-to key: the screens by group, each with the letter that shows it.
    GoTo,
    Palette(Picker<Pick>),
    /// Jump to any record: search as you type.
    Finder(Picker<Pick>),
    Pick(Picker<Pick>),
    /// The filter line of the current list, applied as you type; esc goes back to the
    /// filter it replaced.
    Filter {
        input: TextInput,
        error: Option<String>,
        before: String,
        /// Where ↑/↓ have walked to in the list's filter history.
        walk: HistoryWalk,
    },
    Confirm {
        message: String,
        then: Pending,
    },
    /// A question: enter answers; an answer that does not do keeps the question open, with
    /// why beside it.
    Prompt {
        title: String,
        input: TextInput,
        then: Pending,
        error: Option<String>,
    },
    /// What `kith remind` would deliver now (`!`).
    Notices(crate::tui::screens::notices::Notices),
    /// The column picker of a list (`C`).
    Columns(ColumnPicker),
}

/// An action waiting for a confirmation or an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    Trash(Entity, i64),
    Lost(i64),
    /// Move a task's due date to the words answered.
    Snooze(i64),
    /// Undo a batch (or, redoing, take back an undo), once what it changed was shown.
    Undo {
        batch: i64,
        redo: bool,
    },
    /// Close the form on top without saving what was typed in it.
    Discard,
    /// Trash the records marked.
    TrashMany(Entity, Vec<i64>),
    /// Close the deals marked as lost, for the reason answered.
    LostMany(Vec<i64>),
    /// Add and take off the tags answered.
    Tag(crate::tui::screens::list::Targets),
    /// Save the list of this kind in front as a view, under the name answered.
    SaveView(Entity),
    /// Save this view over the one of its name.
    ReplaceView(SavedView),
    /// Delete the view of this name.
    DeleteView(String),
    /// Take a line (its id; its position, for the message) off a document.
    RemoveLine {
        doc: (Entity, i64),
        line: i64,
        position: i64,
    },
    /// Reject the quote, for the reason answered.
    RejectQuote(i64),
    /// Write the quote in this format to the file answered.
    RenderQuote {
        quote: i64,
        format: String,
    },
    /// Reply on the case with the text answered.
    ReplyCase(i64),
    /// Resolve the case with the resolution answered.
    ResolveCase(i64),
    /// Record a survey of the case: the score, NPS and comment answered.
    SurveyCase(i64),
}

impl Pending {
    /// What an answer being typed means, shown under it: a snooze's date words as the day
    /// they name.
    pub fn hint(&self, answer: &str, now: chrono::NaiveDateTime) -> Option<Result<String, String>> {
        match self {
            Pending::Snooze(_) if !answer.trim().is_empty() => {
                Some(crate::tui::screens::form::when_hint(answer, now, false))
            }
            _ => None,
        }
    }
}

impl App {
    pub fn new(mut crm: Crm, keymap: Keymap, color: bool) -> Result<App> {
        let day = crm.env.clock.today();
        // A write waits a moment in the call, then on the ticks, drawing (see `wait.rs`).
        crm.set_busy_timeout(super::wait::TRY_FOR)?;
        let mut app = App {
            crm,
            keymap,
            screens: vec![],
            popup: None,
            status: None,
            quit: false,
            color,
            rows_area: None,
            day,
            waiting: None,
            write_patience: Crm::BUSY_TIMEOUT,
            finder: FinderNames::Closed,
            finder_read_at: None,
            clipboard: None,
            jumps: Jumps::default(),
            care: Default::default(),
            due: None,
            due_stale: true,
            due_reading: None,
            data_version: None,
            looked: None,
            look_every: crate::tui::actions::notices::LOOK_EVERY,
            interface: InterfaceFile::in_memory(),
            record_edit: None,
            seller: Default::default(),
            font: None,
        };
        app.data_version = app.crm.data_version().ok();
        app.go(View::Today)?;
        Ok(app)
    }

    pub fn screen(&self) -> &Screen {
        self.screens.last().expect("there is always a screen")
    }

    pub(crate) fn screen_mut(&mut self) -> &mut Screen {
        self.screens.last_mut().expect("there is always a screen")
    }

    /// The top-level view the user is in (for the tab bar).
    pub fn view(&self) -> View {
        match self.screens.first() {
            Some(Screen::List(l)) => View::List(l.entity),
            Some(Screen::Board(_)) => View::Board,
            // On the report its tab opened, that tab; on any other, the reports'.
            Some(Screen::Reports(r)) => match r.opened_on {
                Some(k) if r.kind() == k => View::Report(k),
                _ => View::Reports,
            },
            // The first screen is always a top-level one; a detail view or a form over
            // nothing counts as Today's.
            Some(Screen::Today(_) | Screen::Detail(_) | Screen::Form(_)) | None => View::Today,
        }
    }

    pub fn context(&self) -> Context {
        match self.screen() {
            Screen::List(_) => Context::List,
            Screen::Board(_) => Context::Board,
            // A line being edited takes the form's keys; the lines, their own.
            Screen::Detail(d) => match &d.lines {
                Some(l) if l.edit.is_some() => Context::Form,
                Some(l) if l.focused => Context::Lines,
                _ => Context::Detail,
            },
            Screen::Form(_) => Context::Form,
            Screen::Reports(_) => Context::Reports,
            Screen::Today(_) => Context::Global,
        }
    }

    pub(crate) fn ok(&mut self, text: impl Into<String>) {
        self.say(text.into(), false);
    }

    pub(crate) fn fail(&mut self, e: &Error) {
        self.say(e.to_string(), true);
    }

    pub(crate) fn say(&mut self, text: String, error: bool) {
        let at = self.crm.env.clock.utc();
        self.status = Some(Status { text, error, at });
    }

    // -----------------------------------------------------------------------------------
    // Input

    /// Let time pass: when the day has changed since the screens were read (a session
    /// left open past midnight), read them again. The event loop calls it while no key
    /// comes, and every key calls it first.
    pub fn tick(&mut self) {
        if let Err(e) = self.finder_answers() {
            self.fail(&e);
        }
        self.due_answers();
        if self.waiting.is_some() {
            self.retry_write();
        }
        self.count_list();
        if self
            .status
            .as_ref()
            .is_some_and(|s| self.crm.env.clock.utc() - s.at >= STATUS_FOR)
        {
            self.status = None;
        }
        let today = self.crm.env.clock.today();
        if today != self.day {
            self.day = today;
            if let Err(e) = self.reload_all() {
                self.fail(&e);
            }
        }
    }

    /// Handle a key; errors end up in the status line, never as a crash.
    pub fn key(&mut self, ev: KeyEvent) {
        // The last message has been read: the next key clears it.
        self.status = None;
        self.tick();
        if self.waiting.is_some() {
            // While a write waits, esc gives it up; other keys are ignored.
            if ev.code == KeyCode::Esc {
                self.cancel_write();
            }
            return;
        }
        if let Err(e) = self.key_inner(ev) {
            self.fail(&e);
        }
    }

    fn key_inner(&mut self, ev: KeyEvent) -> Result<()> {
        let key = Key::from_event(ev);
        if self.popup.is_some() {
            return self.popup_key(key);
        }
        if let Screen::Form(_) = self.screen() {
            return self.form_key(key);
        }
        if self.editing_line() {
            return self.line_edit_key(key);
        }
        match self.keymap.action(key, self.context()) {
            Some(a) => self.act(a),
            None => Ok(()),
        }
    }

    pub fn mouse(&mut self, ev: MouseEvent) {
        self.tick();
        if self.waiting.is_some() {
            return;
        }
        let wheel = |code| Key {
            code,
            mods: KeyModifiers::NONE,
        };
        if matches!(self.popup, Some(Popup::GoTo)) {
            // The go-to hint waits for a key.
            return;
        }
        if !matches!(ev.kind, MouseEventKind::Moved | MouseEventKind::Drag(_)) {
            self.status = None;
        }
        let r = match ev.kind {
            // With a popup open, the wheel moves in the popup.
            MouseEventKind::ScrollDown if self.popup.is_some() => {
                self.popup_key(wheel(KeyCode::Down))
            }
            MouseEventKind::ScrollUp if self.popup.is_some() => self.popup_key(wheel(KeyCode::Up)),
            MouseEventKind::ScrollDown => self.act(Action::Down),
            MouseEventKind::ScrollUp => self.act(Action::Up),
            MouseEventKind::Down(_) if self.popup.is_none() => self.list_click(ev.column, ev.row),
            _ => Ok(()),
        };
        if let Err(e) = r {
            self.fail(&e);
        }
    }

    fn popup_key(&mut self, key: Key) -> Result<()> {
        let finder = matches!(self.popup, Some(Popup::Finder(_)));
        let on_report = matches!(self.screen(), Screen::Reports(_));
        let list_kind = match self.screen() {
            Screen::List(l) => Some(l.entity),
            _ => None,
        };
        let Some(popup) = self.popup.as_mut() else {
            return Ok(());
        };
        let esc = key.code == KeyCode::Esc;
        let ctrl = key.mods.contains(KeyModifiers::CONTROL);
        match popup {
            Popup::Help { scroll } => match self.keymap.action(key, Context::Global) {
                Some(Action::Down) => *scroll += 1,
                Some(Action::Up) => *scroll = scroll.saturating_sub(1),
                Some(Action::PageDown) => *scroll += 10,
                Some(Action::PageUp) => *scroll = scroll.saturating_sub(10),
                Some(Action::Back | Action::Help | Action::Quit) => self.popup = None,
                _ => {}
            },
            Popup::GoTo => return self.goto_key(key),
            Popup::Notices(_) => return self.notices_key(key),
            Popup::Columns(_) => return self.columns_key(key),
            Popup::Palette(p) | Popup::Finder(p) | Popup::Pick(p) => match key.code {
                KeyCode::Esc => self.popup = None,
                KeyCode::Enter => {
                    // Nothing matches what was typed: the picker stays, to type on.
                    if let Some(c) = p.chosen().cloned() {
                        self.popup = None;
                        self.picked(c)?;
                    }
                }
                KeyCode::Down | KeyCode::Tab => {
                    if p.selected + 1 < p.shown.len() {
                        p.selected += 1;
                    }
                }
                KeyCode::Char('n' | 'j') if ctrl => {
                    if p.selected + 1 < p.shown.len() {
                        p.selected += 1;
                    }
                }
                KeyCode::Up | KeyCode::BackTab => p.selected = p.selected.saturating_sub(1),
                KeyCode::Char('p' | 'k') if ctrl => p.selected = p.selected.saturating_sub(1),
                _ => {
                    if edit_text(&mut p.input, key) {
                        if finder {
                            return self.refind();
                        } else {
                            p.narrow();
                        }
                    }
                }
            },
            Popup::Filter {
                input,
                error,
                before,
                walk,
            } => {
                if esc {
                    let before = before.clone();
                    self.popup = None;
                    self.apply_filter(&before)?;
                } else if key.code == KeyCode::Enter {
                    if let Some(e) = error.clone() {
                        // A report goes back to the filter it had before, and the error to
                        // the status line.
                        if on_report {
                            let before = before.clone();
                            self.popup = None;
                            self.apply_filter(&before)?;
                            self.say(e, true);
                        }
                    } else {
                        let text = input.text().to_string();
                        self.popup = None;
                        if let Some(e) = list_kind {
                            self.remember_filter(e, &text);
                        }
                    }
                } else if let (Some(e), KeyCode::Up | KeyCode::Down, true) =
                    (list_kind, key.code, key.mods.is_empty())
                {
                    // The list's filter history, as a shell's.
                    let history = self.interface.state.history(e);
                    if let Some(text) = walk.step(history, input.text(), key.code == KeyCode::Up) {
                        input.set(text.clone());
                        let result = self.apply_filter(&text).err().map(|e| e.to_string());
                        if let Some(Popup::Filter { error, .. }) = self.popup.as_mut() {
                            *error = result;
                        }
                    }
                } else if input.key(key).changed() {
                    let text = input.text().to_string();
                    let result = self.apply_filter(&text).err().map(|e| e.to_string());
                    if let Some(Popup::Filter { error, .. }) = self.popup.as_mut() {
                        *error = result;
                    }
                }
            }
            Popup::Confirm { then, .. } => match key.code {
                KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
                    let then = then.clone();
                    self.popup = None;
                    self.writing(move |app| app.run_pending(then.clone(), None))?;
                }
                _ => {
                    self.popup = None;
                    self.ok(crate::tr!("tui.status.cancelled"));
                }
            },
            Popup::Prompt {
                input, then, error, ..
            } => {
                if esc {
                    self.popup = None;
                    self.ok(crate::tr!("tui.status.cancelled"));
                } else if key.code == KeyCode::Enter {
                    let (then, text) = (then.clone(), input.text().to_string());
                    let asked = self.popup.take();
                    self.answered(asked, then, text)?;
                } else if input.key(key).changed() {
                    *error = None;
                }
            }
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Actions

    pub fn act(&mut self, action: Action) -> Result<()> {
        // With records marked in the list, these keys work on all of them.
        if matches!(
            action,
            Action::Done
                | Action::NextStage
                | Action::PrevStage
                | Action::Won
                | Action::Lost
                | Action::Trash
        ) && self.act_on_marked(action)?
        {
            return Ok(());
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.popup = Some(Popup::Help { scroll: 0 }),
            Action::Palette => self.open_palette(),
            Action::Search => match self.screen() {
                Screen::List(l) => {
                    // After the filter in force, a space: what is typed is a new term.
                    let mut input = l.filter_text.clone();
                    if !input.is_empty() && !input.ends_with(' ') {
                        input.push(' ');
                    }
                    self.popup = Some(Popup::Filter {
                        input: TextInput::new(input),
                        error: None,
                        before: l.filter_text.clone(),
                        walk: HistoryWalk::default(),
                    })
                }
                Screen::Reports(r) => {
                    self.popup = Some(Popup::Filter {
                        input: TextInput::new(r.filter_text.clone()),
                        error: None,
                        before: r.filter_text.clone(),
                        walk: HistoryWalk::default(),
                    })
                }
                _ => return self.act(Action::Find),
            },
            Action::Find => self.open_finder(),
            Action::GoTo => self.popup = Some(Popup::GoTo),
            Action::Back if matches!(self.screen(), Screen::Reports(r) if r.in_table) => {
                self.reports_key(action)?
            }
            Action::Back => {
                if self.drop_marks() {
                    return Ok(());
                }
                // Out of a document's lines, back to its view.
                if let Screen::Detail(d) = self.screen_mut() {
                    if let Some(l) = d.lines.as_mut().filter(|l| l.focused) {
                        l.focused = false;
                        return Ok(());
                    }
                }
                if self.screens.len() > 1 {
                    self.screens.pop();
                    self.reload_top()?;
                } else {
                    // Back to the list's own filter (its open records, or none).
                    let reset = match self.screen() {
                        Screen::List(l) => {
                            let own = default_filter(l.entity);
                            (l.filter_text != own).then_some(own)
                        }
                        Screen::Reports(r) => (!r.filter_text.is_empty()).then_some(""),
                        _ => None,
                    };
                    if let Some(filter) = reset {
                        self.apply_filter(filter)?;
                    }
                }
            }
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-20),
            Action::PageDown => self.move_by(20),
            Action::Top => self.move_by(i64::MIN / 2),
            Action::Bottom => {
                // The real end of a list: its last page, read from the end.
                let crm = &self.crm;
                if let Some(Screen::List(l)) = self.screens.last_mut() {
                    return go_to_end(crm, l);
                }
                self.move_by(i64::MAX / 2)
            }
            Action::Left | Action::Right if matches!(self.screen(), Screen::Reports(_)) => {
                self.reports_key(action)?
            }
            Action::Left | Action::Right | Action::NextPipeline => self.board_key(action)?,
            Action::Open if matches!(self.screen(), Screen::Reports(_)) => {
                self.reports_key(action)?
            }
            Action::Open => {
                if let Some((e, id)) = self.selected() {
                    self.open(e, id)?;
                }
            }
            Action::Go(view) => self.go(view)?,
            Action::New => {
                let e = match self.screen() {
                    Screen::List(l) => l.entity,
                    Screen::Board(_) => Entity::Deal,
                    Screen::Detail(d) => d.entity,
                    _ => Entity::Task,
                };
                let prefill = self.shown_links()?;
                self.new_form(e, prefill)?;
            }
            Action::NewOf(e) => {
                let prefill = self.shown_links()?;
                self.new_form(e, prefill)?
            }
            Action::EditInEditor => self.edit_record_in_editor()?,
            Action::Edit => {
                let (e, id) = self.require_selected()?;
                let record = self.crm.get(e, id)?;
                self.screens.push(Screen::Form(Box::new(Form::edit(
                    &record,
                    self.crm.custom(),
                ))));
            }
            Action::Trash => {
                let (e, id) = self.require_selected()?;
                let r = self.crm.get(e, id)?;
                self.popup = Some(Popup::Confirm {
                    message: crate::tr!(
                        "tui.confirm.trash",
                        kind = kind_name(e),
                        id = id,
                        label = r.label()
                    ),
                    then: Pending::Trash(e, id),
                });
            }
            Action::LogActivity | Action::FollowUp => {
                let mut input = self.selected_links()?;
                if action == Action::LogActivity {
                    input.set("kind", "call");
                    self.new_form(Entity::Activity, input)?;
                } else {
                    input.set("due", "tomorrow");
                    self.new_form(Entity::Task, input)?;
                }
            }
            Action::Done => {
                let (e, id) = (Entity::Task, self.task_in_front()?);
                let done = self.crm.get(e, id)?.bool("done");
                let input = Input::new().with("done", if done { "no" } else { "yes" });
                self.writing(move |app| {
                    app.crm.update(Entity::Task, id, &input)?;
                    app.ok(if done {
                        crate::tr!("tui.status.task_reopened", id = id)
                    } else {
                        crate::tr!("tui.status.task_done", id = id)
                    });
                    app.reload_all()
                })?;
            }
            Action::NextStage | Action::PrevStage | Action::Won | Action::Lost => {
                self.writing(move |app| app.deal_key(action))?
            }
            Action::Sort | Action::Reverse => self.list_key(action)?,
            Action::Refresh => {
                self.reload_all()?;
                self.ok(crate::tr!("tui.status.reloaded"));
            }
            Action::Undo | Action::Redo => self.ask_undo(action == Action::Redo)?,
            Action::Yank => self.ask_yank()?,
            Action::JumpBack | Action::JumpForward => self.jump(action == Action::JumpBack)?,
            Action::Snooze => {
                let id = self.task_in_front()?;
                let title = self.crm.get(Entity::Task, id)?.label().to_string();
                self.popup = Some(Popup::Prompt {
                    title: crate::tr!("tui.snooze.ask", id = id, title = title),
                    input: TextInput::new("tomorrow 9am"),
                    then: Pending::Snooze(id),
                    error: None,
                });
            }
            Action::NextPeriod | Action::NextGrouping | Action::ReportRows | Action::DrillDown => {
                self.reports_key(action)?
            }
            Action::Notices => self.open_notices()?,
            Action::Mark => self.mark()?,
            Action::MarkRange => self.mark_range(),
            Action::Reassign => match self.case_to_assign() {
                Some(case) => self.ask_assign_case(case)?,
                None => self.ask_owner()?,
            },
            Action::Tag => self.ask_tags()?,
            Action::MoveToStage => self.ask_stage()?,
            Action::SaveView | Action::DeleteView | Action::Columns => self.views_key(action)?,
            Action::Lines | Action::AddLine | Action::EditLine | Action::RemoveLine => {
                self.lines_key(action)?
            }
            Action::SendQuote
            | Action::AcceptQuote
            | Action::RejectQuote
            | Action::ReviseQuote
            | Action::RenderQuote => self.quote_key(action)?,
            Action::ReplyCase
            | Action::WaitCase
            | Action::ResolveCase
            | Action::CloseCase
            | Action::SurveyCase => self.case_key(action)?,
            Action::QueueFilter => self.next_queue_filter()?,
            Action::NextField | Action::PrevField | Action::Save | Action::OpenInEditor => {}
        }
        Ok(())
    }

    /// The task shown, else the task selected (in a list, on Today, or among a detail's
    /// links).
    fn task_in_front(&self) -> Result<i64> {
        let (e, id) = match self.screen() {
            Screen::Detail(d) if d.entity == Entity::Task => (d.entity, d.id),
            _ => self
                .selected()
                .ok_or_else(|| Error::invalid(crate::tr!("tui.status.nothing_selected")))?,
        };
        if e != Entity::Task {
            return Err(Error::invalid(crate::tr!("tui.status.select_a_task")));
        }
        Ok(id)
    }

    pub(crate) fn run_pending(&mut self, p: Pending, answer: Option<String>) -> Result<()> {
        match p {
            Pending::Trash(e, id) => {
                self.crm.trash(e, &[id])?;
                if matches!(self.screen(), Screen::Detail(d) if d.entity == e && d.id == id) {
                    self.screens.pop();
                }
                // The command to undo it names the kind as the command line does.
                self.ok(crate::tr!(
                    "tui.status.trashed",
                    kind = kind_name(e),
                    id = id,
                    command = e.name()
                ));
                self.reload_all()
            }
            Pending::Lost(id) => match answer {
                Some(reason) => self.lose_deal(id, reason),
                None => Ok(()),
            },
            Pending::Discard => {
                self.screens.pop();
                self.ok(crate::tr!("tui.status.not_saved"));
                Ok(())
            }
            Pending::Undo { batch, redo } => self.undo(batch, redo),
            Pending::TrashMany(entity, ids) => {
                let t = crate::tui::screens::list::Targets { entity, ids };
                let undo = self.keymap.first_key(Action::Undo);
                let msg = crate::tr!("tui.marks.trashed", what = t.what(), undo = undo);
                self.run_bulk(t, crate::app::bulk::Bulk::Trash, msg)
            }
            Pending::LostMany(ids) => {
                let reason = answer.unwrap_or_default();
                if reason.trim().is_empty() {
                    return Err(Error::invalid(crate::tr!("tui.status.lost_needs_reason")));
                }
                let t = crate::tui::screens::list::Targets {
                    entity: Entity::Deal,
                    ids,
                };
                let msg = crate::tr!("tui.marks.lost", what = t.what());
                let close = crate::app::bulk::Bulk::Close {
                    outcome: "lost".into(),
                    reason: Some(reason),
                };
                self.run_bulk(t, close, msg)
            }
            Pending::Tag(t) => self.tag(t, &answer.unwrap_or_default()),
            Pending::SaveView(e) => self.save_view_as(e, answer.unwrap_or_default()),
            Pending::ReplaceView(v) => self.store_view(v),
            Pending::DeleteView(name) => self.delete_view(&name),
            Pending::RemoveLine {
                doc,
                line,
                position,
            } => self.remove_line(doc, line, position),
            Pending::RejectQuote(id) => self.reject_quote(id, answer.unwrap_or_default()),
            Pending::RenderQuote { quote, format } => {
                self.render_quote(quote, &format, &answer.unwrap_or_default())
            }
            p @ (Pending::ReplyCase(_) | Pending::ResolveCase(_) | Pending::SurveyCase(_)) => {
                self.case_answered(p, answer.unwrap_or_default())
            }
            Pending::Snooze(id) => {
                let when = answer.unwrap_or_default();
                self.writing(move |app| {
                    let due = app.crm.snooze_task(id, &when)?;
                    app.ok(crate::tr!(
                        "tui.snooze.done",
                        id = id,
                        due = crate::core::dates::display(&due)
                    ));
                    app.reload_all()
                })
            }
        }
    }

    /// Open a record's detail view on top of the current screen.
    pub fn open(&mut self, e: Entity, id: i64) -> Result<()> {
        let d = load_detail(&self.crm, e, id)?;
        self.screens.push(Screen::Detail(Box::new(d)));
        self.jumps.visited(e, id);
        Ok(())
    }

    /// ctrl-o / ctrl-i: the record before or after in the records opened, as in vim.
    fn jump(&mut self, back: bool) -> Result<()> {
        let to = if back {
            self.jumps.back()
        } else {
            self.jumps.forward()
        };
        let (e, id) = to.ok_or_else(|| Error::invalid(crate::tr!("tui.jump.none")))?;
        let d = load_detail(&self.crm, e, id)?;
        // Over the record it leaves, not on top of it: back goes to the list, as before.
        if matches!(self.screen(), Screen::Detail(_)) {
            self.screens.pop();
        }
        self.screens.push(Screen::Detail(Box::new(d)));
        Ok(())
    }

    /// Show a top-level view, forgetting the screens on top.
    pub fn go(&mut self, view: View) -> Result<()> {
        let screen = match view {
            View::Today => Screen::Today(Today::new()),
            View::List(e) => {
                let mut l = ListView::new(e);
                // The columns chosen for the kind (the column picker, `C`).
                l.chosen = self.interface.state.columns(e).map(<[String]>::to_vec);
                Screen::List(Box::new(l))
            }
            View::Board => Screen::Board(Board::new()),
            View::Reports => Screen::Reports(Box::default()),
            View::Report(k) => Screen::Reports(Box::new(Reports::on(k))),
        };
        self.screens = vec![screen];
        self.reload_top()?;
        self.read_names_ahead();
        Ok(())
    }

    /// The record under the cursor, on any screen.
    pub fn selected(&self) -> Option<(Entity, i64)> {
        match self.screen() {
            Screen::Today(t) => t.selected(),
            Screen::List(l) => l.rows.get(l.selected).map(|r| (r.entity, r.id())),
            Screen::Board(b) => b.selected(),
            // In a document's lines, the document.
            Screen::Detail(d) if d.lines.as_ref().is_some_and(|l| l.focused) => {
                Some((d.entity, d.id))
            }
            Screen::Detail(d) => Some(d.links.get(d.selected).copied().unwrap_or((d.entity, d.id))),
            Screen::Form(_) | Screen::Reports(_) => None,
        }
    }

    /// The record an action is about: in a detail view the record shown, elsewhere the one
    /// under the cursor.
    pub(crate) fn require_selected(&self) -> Result<(Entity, i64)> {
        if let Screen::Detail(d) = self.screen() {
            return Ok((d.entity, d.id));
        }
        self.selected()
            .ok_or_else(|| Error::invalid(crate::tr!("tui.status.nothing_selected")))
    }

    pub(crate) fn selected_deal(&self) -> Result<i64> {
        if let Screen::Detail(d) = self.screen() {
            if d.entity == Entity::Deal {
                return Ok(d.id);
            }
        }
        match self.selected() {
            Some((Entity::Deal, id)) => Ok(id),
            _ => Err(Error::invalid(crate::tr!("tui.status.select_a_deal"))),
        }
    }

    fn move_by(&mut self, delta: i64) {
        let step = |cur: usize, len: usize| -> usize {
            if len == 0 {
                return 0;
            }
            (cur as i64).saturating_add(delta).clamp(0, len as i64 - 1) as usize
        };
        if self.move_in_report(delta) {
            return;
        }
        let crm = &self.crm;
        if let Some(Screen::List(l)) = self.screens.last_mut() {
            if let Err(e) = move_in_list(crm, l, delta) {
                self.fail(&e);
            }
            return;
        }
        let mut rerun = false;
        match self.screen_mut() {
            Screen::Today(t) => {
                let len = t.sections.iter().map(|(_, v)| v.len()).sum();
                t.selected = step(t.selected, len);
            }
            Screen::List(_) => {}
            Screen::Board(b) => {
                let len = b.columns.get(b.col).map(Vec::len).unwrap_or(0);
                b.row = step(b.row, len);
            }
            Screen::Detail(d) => match d.lines.as_mut().filter(|l| l.focused) {
                Some(l) => l.selected = step(l.selected, l.sheet.lines.len()),
                None => d.selected = step(d.selected, d.links.len()),
            },
            Screen::Reports(r) => {
                let before = r.selected;
                r.selected = step(r.selected, Kind::ALL.len());
                rerun = r.selected != before;
                if rerun {
                    // Another report: its rows from the first.
                    r.row = 0;
                }
            }
            Screen::Form(_) => {}
        }
        if rerun {
            if let Err(e) = self.reload_top() {
                self.fail(&e);
            }
        }
    }

    // -----------------------------------------------------------------------------------
    // Loading

    /// Reload every screen (after a write). A detail view whose record has gone (to the
    /// trash, elsewhere) is closed.
    pub fn reload_all(&mut self) -> Result<()> {
        // What changed may change what is due: counted again when no key comes.
        self.due_stale = true;
        let crm = &self.crm;
        for i in 0..self.screens.len() {
            if let Err(e) = reload(crm, &mut self.screens[i]) {
                if i == 0 {
                    return Err(e);
                }
                self.screens.truncate(i);
                break;
            }
        }
        self.read_names_ahead();
        Ok(())
    }

    pub(crate) fn reload_top(&mut self) -> Result<()> {
        let crm = &self.crm;
        match self.screens.last_mut() {
            Some(s) => reload(crm, s),
            None => Ok(()),
        }
    }
}

/// Read a screen's data again, keeping the cursor where it was.
fn reload(crm: &Crm, s: &mut Screen) -> Result<()> {
    match s {
        Screen::Today(t) => *t = load_today(crm, t.selected)?,
        Screen::List(l) => {
            // The data may have changed: names are read again for the next fuzzy filter.
            l.names = Names::Unread;
            reload_list(crm, l)?;
        }
        Screen::Board(b) => load_board(crm, b)?,
        Screen::Detail(d) => {
            let selected = d.selected;
            let lines = d.lines.take();
            **d = load_detail(crm, d.entity, d.id)?;
            d.selected = selected.min(d.links.len().saturating_sub(1));
            if let (Some(old), Some(new)) = (lines, d.lines.as_mut()) {
                new.keep(old);
            }
        }
        Screen::Reports(r) => load_report(crm, r)?,
        Screen::Form(_) => {}
    }
    Ok(())
}

/// Apply a typing key to a line of text typed at its end (a picker's): the editing keys
/// of [`TextInput`]. Returns whether the text changed.
pub fn edit_text(text: &mut String, key: Key) -> bool {
    let mut input = TextInput::new(std::mem::take(text));
    let changed = input.key(key).changed();
    *text = input.into_string();
    changed
}

pub use crate::tui::view::cell;
