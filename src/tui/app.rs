//! The interface's state and what actions do to it. Rendering lives in `view`; keys become
//! actions through the keymap; every read and write goes through the library (`Crm`).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use serde_json::Value;

use super::form::Form;
use super::keymap::{Action, Context, Key, Keymap, View};
use crate::app::crm::{by, list_query, Crm, Input, Overview};
use crate::app::reports::{Kind, Params, Report};
use crate::app::search::{Hit, Pool, Scorer};
use crate::core::error::{Error, Result};
use crate::domain::sales::deals::Move;
use crate::domain::sales::pipelines::{Board as PipelineBoard, BoardStage};
use crate::model::query::{Filter, Op, SortKey, Term};
use crate::model::record::Record;
use crate::model::Entity;
use crate::store::{Change, ListQuery};

/// Records loaded at a time in a list.
pub const PAGE: usize = 200;

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
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

pub enum Screen {
    Today(Today),
    List(ListView),
    Board(Board),
    Detail(Box<Detail>),
    Form(Box<Form>),
    Reports(Box<Reports>),
}

/// The start screen: what needs doing today.
pub struct Today {
    pub sections: Vec<(String, Vec<Record>)>,
    pub pipeline: Option<PipelineBoard>,
    pub selected: usize,
}

pub struct ListView {
    pub entity: Entity,
    /// The filter line as typed.
    pub filter_text: String,
    pub query: ListQuery,
    /// Fuzzy words from the filter line; when set, `ranked` holds the matching ids, best
    /// first.
    pub words: String,
    pub ranked: Option<Vec<i64>>,
    /// The names the fuzzy words rank, for the list's other terms.
    pub names: Names,
    pub rows: Vec<Record>,
    pub exhausted: bool,
    pub selected: usize,
    pub top: usize,
}

/// The names a list's fuzzy filter ranks. They are read on a second connection on another
/// thread as soon as the list is shown or read again after a write (100,000 names take
/// tens of milliseconds to read), so the first keystroke of a filter finds them read
/// instead of waiting a frame or more. Other filter terms read them when a word is typed.
#[derive(Default)]
pub enum Names {
    /// Not read yet (a database in memory, which has no second connection, reads them
    /// when the first word is typed).
    #[default]
    Unread,
    Reading(std::thread::JoinHandle<Result<Pool>>),
    Ready(Pool),
}

pub struct Board {
    pub boards: Vec<PipelineBoard>,
    pub current: usize,
    pub columns: Vec<Vec<Record>>,
    pub col: usize,
    pub row: usize,
}

pub struct Detail {
    pub entity: Entity,
    pub id: i64,
    pub overview: Overview,
    pub history: Vec<Change>,
    /// Related records that can be opened, in the order shown.
    pub links: Vec<(Entity, i64)>,
    pub selected: usize,
}

/// The periods `p` cycles through, in order.
pub const PERIODS: [&str; 5] = [
    "all time",
    "this month",
    "last month",
    "this quarter",
    "this year",
];

/// What `b` cycles through for a report; the first is the report's default.
pub fn groupings(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Winloss => &["owner", "source", "competitor", "reason", "tags"],
        Kind::Forecast => &["month", "week", "quarter"],
        Kind::Activity => &["owner", "day", "week", "month"],
        Kind::Customers => &["revenue", "profit"],
        Kind::Leads => &["source", "owner"],
        Kind::Pipeline | Kind::Funnel => &[],
    }
}

/// The first and last day of a period (`PERIODS[i]`), as date words where kith has
/// them, else as dates from `today`.
pub fn period_bounds(i: usize, today: chrono::NaiveDate) -> (Option<String>, Option<String>) {
    let words = |a: &str, b: &str| (Some(a.to_string()), Some(b.to_string()));
    match i {
        1 => words("som", "eom"),
        2 => {
            use chrono::{Datelike, Months};
            let first = today.with_day(1).unwrap_or(today);
            let prev = first.checked_sub_months(Months::new(1)).unwrap_or(first);
            let last = first.pred_opt().unwrap_or(first);
            (
                Some(prev.format("%Y-%m-%d").to_string()),
                Some(last.format("%Y-%m-%d").to_string()),
            )
        }
        3 => words("soq", "eoq"),
        4 => words("soy", "eoy"),
        _ => (None, None),
    }
}

/// The reports screen: the seven reports, the selected one run with the period,
/// grouping and filter chosen.
pub struct Reports {
    /// Index in `Kind::ALL`.
    pub selected: usize,
    /// Index in `PERIODS`.
    pub period: usize,
    /// Per report (index in `Kind::ALL`), the index in its `groupings`.
    pub grouping: [usize; 7],
    /// The filter line as typed, and as parsed.
    pub filter_text: String,
    pub filter: Filter,
    /// The selected report's result; None when it failed (`error` says why).
    pub report: Option<Report>,
    pub error: Option<String>,
}

impl Reports {
    pub fn new() -> Reports {
        Reports {
            selected: 0,
            period: 0,
            grouping: [0; 7],
            filter_text: String::new(),
            filter: Filter::default(),
            report: None,
            error: None,
        }
    }

    pub fn kind(&self) -> Kind {
        Kind::ALL[self.selected.min(Kind::ALL.len() - 1)]
    }

    /// What the selected report is grouped by, when it has a choice.
    pub fn by(&self) -> Option<&'static str> {
        groupings(self.kind())
            .get(self.grouping[self.selected])
            .copied()
    }

    pub fn params(&self, today: chrono::NaiveDate) -> Params {
        let (from, to) = period_bounds(self.period, today);
        Params {
            filter: self.filter.clone(),
            from,
            to,
            by: self.by().map(str::to_string),
            pipeline: None,
            dormant_days: None,
        }
    }
}

impl Default for Reports {
    fn default() -> Reports {
        Reports::new()
    }
}

/// A list to choose from, narrowed by fuzzy typing.
pub struct Picker<T> {
    pub title: String,
    pub input: String,
    pub items: Vec<(String, String, T)>,
    pub shown: Vec<usize>,
    pub selected: usize,
}

impl<T> Picker<T> {
    pub fn new(title: impl Into<String>, items: Vec<(String, String, T)>) -> Picker<T> {
        let mut p = Picker {
            title: title.into(),
            input: String::new(),
            items,
            shown: vec![],
            selected: 0,
        };
        p.narrow();
        p
    }

    pub fn narrow(&mut self) {
        if self.input.trim().is_empty() {
            self.shown = (0..self.items.len()).collect();
        } else {
            let scorer = Scorer::new(&self.input);
            let mut scored: Vec<(i64, usize)> = self
                .items
                .iter()
                .enumerate()
                .filter_map(|(i, (label, detail, _))| scorer.score(label, detail).map(|s| (s, i)))
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.shown = scored.into_iter().map(|(_, i)| i).collect();
        }
        self.selected = 0;
    }

    pub fn chosen(&self) -> Option<&T> {
        self.shown.get(self.selected).map(|&i| &self.items[i].2)
    }
}

/// What a picked item does.
#[derive(Debug, Clone, PartialEq)]
pub enum Pick {
    Run(Action),
    Open(Entity, i64),
    /// Fill a form field with a record's name (and remember its id).
    Field {
        field: usize,
        id: i64,
        label: String,
    },
    SortBy(String),
}

pub enum Popup {
    Help {
        scroll: usize,
    },
    Palette(Picker<Pick>),
    /// Jump to any record: search as you type.
    Finder(Picker<Pick>),
    Pick(Picker<Pick>),
    /// The filter line of the current list, applied as you type; esc goes back to the
    /// filter it replaced.
    Filter {
        input: String,
        error: Option<String>,
        before: String,
    },
    Confirm {
        message: String,
        then: Pending,
    },
    Prompt {
        title: String,
        input: String,
        then: Pending,
    },
}

/// An action waiting for a confirmation or an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    Trash(Entity, i64),
    Lost(i64),
}

impl App {
    pub fn new(crm: Crm, keymap: Keymap, color: bool) -> Result<App> {
        let mut app = App {
            crm,
            keymap,
            screens: vec![],
            popup: None,
            status: None,
            quit: false,
            color,
            rows_area: None,
        };
        app.go(View::Today)?;
        Ok(app)
    }

    pub fn screen(&self) -> &Screen {
        self.screens.last().expect("there is always a screen")
    }

    fn screen_mut(&mut self) -> &mut Screen {
        self.screens.last_mut().expect("there is always a screen")
    }

    /// The top-level view the user is in (for the tab bar).
    pub fn view(&self) -> View {
        match self.screens.first() {
            Some(Screen::List(l)) => View::List(l.entity),
            Some(Screen::Board(_)) => View::Board,
            Some(Screen::Reports(_)) => View::Reports,
            _ => View::Today,
        }
    }

    pub fn context(&self) -> Context {
        match self.screen() {
            Screen::List(_) => Context::List,
            Screen::Board(_) => Context::Board,
            Screen::Detail(_) => Context::Detail,
            Screen::Form(_) => Context::Form,
            Screen::Reports(_) => Context::Reports,
            Screen::Today(_) => Context::Global,
        }
    }

    fn ok(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    fn fail(&mut self, e: &Error) {
        self.status = Some(Status {
            text: e.to_string(),
            error: true,
        });
    }

    // -----------------------------------------------------------------------------------
    // Input

    /// Handle a key; errors end up in the status line, never as a crash.
    pub fn key(&mut self, ev: KeyEvent) {
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
        match self.keymap.action(key, self.context()) {
            Some(a) => self.act(a),
            None => Ok(()),
        }
    }

    pub fn mouse(&mut self, ev: MouseEvent) {
        let wheel = |code| Key {
            code,
            mods: KeyModifiers::NONE,
        };
        let r = match ev.kind {
            // With a popup open, the wheel moves in the popup.
            MouseEventKind::ScrollDown if self.popup.is_some() => {
                self.popup_key(wheel(KeyCode::Down))
            }
            MouseEventKind::ScrollUp if self.popup.is_some() => self.popup_key(wheel(KeyCode::Up)),
            MouseEventKind::ScrollDown => self.act(Action::Down),
            MouseEventKind::ScrollUp => self.act(Action::Up),
            MouseEventKind::Down(_) if self.popup.is_none() => {
                if let (Some(area), Screen::List(l)) = (self.rows_area, self.screen()) {
                    let inside = ev.column >= area.x
                        && ev.column < area.x + area.width
                        && ev.row >= area.y
                        && ev.row < area.y + area.height;
                    let index = l.top + (ev.row.saturating_sub(area.y)) as usize;
                    if inside && index < l.rows.len() {
                        let same = index == l.selected;
                        if let Screen::List(l) = self.screen_mut() {
                            l.selected = index;
                        }
                        // A second click on the selected row opens it.
                        if same {
                            if let Err(e) = self.act(Action::Open) {
                                self.fail(&e);
                            }
                        }
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(e) = r {
            self.fail(&e);
        }
    }

    fn popup_key(&mut self, key: Key) -> Result<()> {
        let finder = matches!(self.popup, Some(Popup::Finder(_)));
        let on_report = matches!(self.screen(), Screen::Reports(_));
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
            Popup::Palette(p) | Popup::Finder(p) | Popup::Pick(p) => match key.code {
                KeyCode::Esc => self.popup = None,
                KeyCode::Enter => {
                    let chosen = p.chosen().cloned();
                    self.popup = None;
                    if let Some(c) = chosen {
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
                            let hits = if p.input.trim().is_empty() {
                                vec![]
                            } else {
                                crate::app::search::search(&self.crm.reader(), &p.input, &[], 50)?
                            };
                            p.items = hits.into_iter().map(hit_item).collect();
                            p.shown = (0..p.items.len()).collect();
                            p.selected = 0;
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
                            self.status = Some(Status {
                                text: e,
                                error: true,
                            });
                        }
                    } else {
                        self.popup = None;
                    }
                } else if edit_text(input, key) {
                    let text = input.clone();
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
                    self.run_pending(then, None)?;
                }
                _ => {
                    self.popup = None;
                    self.ok("cancelled");
                }
            },
            Popup::Prompt { input, then, .. } => {
                if esc {
                    self.popup = None;
                    self.ok("cancelled");
                } else if key.code == KeyCode::Enter {
                    let (then, text) = (then.clone(), input.clone());
                    self.popup = None;
                    self.run_pending(then, Some(text))?;
                } else {
                    edit_text(input, key);
                }
            }
        }
        Ok(())
    }

    fn form_key(&mut self, key: Key) -> Result<()> {
        let action = self.keymap.action(key, Context::Form);
        let Screen::Form(form) = self.screen_mut() else {
            return Ok(());
        };
        match action {
            Some(Action::NextField) => form.next(),
            Some(Action::PrevField) => form.prev(),
            Some(Action::Back) => {
                self.screens.pop();
                self.ok("not saved");
            }
            Some(Action::Save) => self.save_form()?,
            _ if key.code == KeyCode::Enter => {
                // Enter on a link opens the picker; elsewhere it moves on.
                if let Some(kind) = form.focused_ref() {
                    let field = form.focus;
                    let items = self.pick_items(kind, field)?;
                    let title = format!("choose {}", kind.name());
                    self.popup = Some(Popup::Pick(Picker::new(title, items)));
                } else {
                    form.next();
                }
            }
            _ => {
                let field = &mut form.fields[form.focus];
                if edit_text(&mut field.value, key) {
                    field.picked = None;
                    field.error = None;
                }
            }
        }
        Ok(())
    }

    /// Candidates for a link field of a form.
    fn pick_items(&self, kind: Entity, field: usize) -> Result<Vec<(String, String, Pick)>> {
        let r = self.crm.reader();
        let records = match kind {
            Entity::Stage => {
                let pipeline = match self.screen() {
                    Screen::Form(f) => f.value("pipeline").to_string(),
                    _ => String::new(),
                };
                let p = if pipeline.trim().is_empty() {
                    crate::domain::sales::pipelines::default_pipeline(&r)?
                } else {
                    crate::domain::sales::pipelines::resolve(&r, &pipeline)?
                };
                crate::domain::sales::pipelines::stages(
                    &r,
                    p.id(),
                    &crate::store::QueryCtx::none(),
                )?
            }
            _ => self.crm.list(kind, &list_query(vec![], "", Some(5000)))?,
        };
        Ok(records
            .into_iter()
            .map(|rec| {
                let detail = match kind {
                    Entity::Contact => rec.text("account"),
                    Entity::Deal => rec.text("account"),
                    Entity::Account => rec.text("city"),
                    Entity::Lead => rec.text("company"),
                    _ => String::new(),
                };
                let label = rec.label().to_string();
                (
                    label.clone(),
                    detail,
                    Pick::Field {
                        field,
                        id: rec.id(),
                        label,
                    },
                )
            })
            .collect())
    }

    fn picked(&mut self, p: Pick) -> Result<()> {
        match p {
            Pick::Run(a) => self.act(a),
            Pick::Open(e, id) => self.open(e, id),
            Pick::Field { field, id, label } => {
                if let Screen::Form(form) = self.screen_mut() {
                    let f = &mut form.fields[field];
                    f.value = label;
                    f.picked = Some(id);
                    f.error = None;
                    form.next();
                }
                Ok(())
            }
            Pick::SortBy(field) => {
                if let Screen::List(l) = self.screen_mut() {
                    l.query.sort = vec![SortKey { field, desc: false }];
                }
                self.reload_top()
            }
        }
    }

    // -----------------------------------------------------------------------------------
    // Actions

    pub fn act(&mut self, action: Action) -> Result<()> {
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.popup = Some(Popup::Help { scroll: 0 }),
            Action::Palette => {
                let items = Action::all()
                    .into_iter()
                    .filter(|a| a.in_palette())
                    .map(|a| (a.name(), self.keymap.keys_for(a), Pick::Run(a)))
                    .collect();
                self.popup = Some(Popup::Palette(Picker::new("command", items)));
            }
            Action::Search => match self.screen() {
                Screen::List(l) => {
                    self.popup = Some(Popup::Filter {
                        input: l.filter_text.clone(),
                        error: None,
                        before: l.filter_text.clone(),
                    })
                }
                Screen::Reports(r) => {
                    self.popup = Some(Popup::Filter {
                        input: r.filter_text.clone(),
                        error: None,
                        before: r.filter_text.clone(),
                    })
                }
                _ => return self.act(Action::Find),
            },
            Action::Find => self.popup = Some(Popup::Finder(Picker::new("find", vec![]))),
            Action::Back => {
                if self.screens.len() > 1 {
                    self.screens.pop();
                    self.reload_top()?;
                } else {
                    let filtered = match self.screen() {
                        Screen::List(l) => !l.filter_text.is_empty(),
                        Screen::Reports(r) => !r.filter_text.is_empty(),
                        _ => false,
                    };
                    if filtered {
                        self.apply_filter("")?;
                    }
                }
            }
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-20),
            Action::PageDown => self.move_by(20),
            Action::Top => self.move_by(i64::MIN / 2),
            Action::Bottom => {
                // The real end: load what is left of a list first.
                let crm = &self.crm;
                if let Some(Screen::List(l)) = self.screens.last_mut() {
                    load_rest(crm, l)?;
                }
                self.move_by(i64::MAX / 2)
            }
            Action::Left | Action::Right => {
                if let Screen::Board(b) = self.screen_mut() {
                    let n = b.columns.len();
                    if n > 0 {
                        b.col = if action == Action::Left {
                            b.col.saturating_sub(1)
                        } else {
                            (b.col + 1).min(n - 1)
                        };
                        b.row = b.row.min(b.columns[b.col].len().saturating_sub(1));
                    }
                }
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
                self.new_form(e, Input::new())?;
            }
            Action::NewOf(e) => self.new_form(e, Input::new())?,
            Action::Edit => {
                let (e, id) = self.require_selected()?;
                let record = self.crm.get(e, id)?;
                self.screens
                    .push(Screen::Form(Box::new(Form::edit(&record))));
            }
            Action::Trash => {
                let (e, id) = self.require_selected()?;
                let r = self.crm.get(e, id)?;
                self.popup = Some(Popup::Confirm {
                    message: format!("Move {e} {id} '{}' to the trash? (y/n)", r.label()),
                    then: Pending::Trash(e, id),
                });
            }
            Action::LogActivity | Action::FollowUp => {
                let mut input = Input::new();
                if let Some((e, id)) = self
                    .require_selected()
                    .ok()
                    .filter(|(e, _)| e.is_linkable())
                {
                    input.set(e.name(), format!("#{id}"));
                }
                if action == Action::LogActivity {
                    input.set("kind", "call");
                    self.new_form(Entity::Activity, input)?;
                } else {
                    input.set("due", "tomorrow");
                    self.new_form(Entity::Task, input)?;
                }
            }
            Action::Done => {
                // A task shown, else the task selected (in a list, or among a detail's links).
                let (e, id) = match self.screen() {
                    Screen::Detail(d) if d.entity == Entity::Task => (d.entity, d.id),
                    _ => self
                        .selected()
                        .ok_or_else(|| Error::invalid("nothing is selected"))?,
                };
                if e != Entity::Task {
                    return Err(Error::invalid("select a task to mark it done"));
                }
                let done = self.crm.get(e, id)?.bool("done");
                let input = Input::new().with("done", if done { "no" } else { "yes" });
                self.crm.update(Entity::Task, id, &input)?;
                self.ok(format!(
                    "task {id} {}",
                    if done { "reopened" } else { "done" }
                ));
                self.reload_all()?;
            }
            Action::NextStage | Action::PrevStage => {
                let id = self.selected_deal()?;
                let deal = self.crm.get(Entity::Deal, id)?;
                let stages = crate::domain::sales::pipelines::stages(
                    &self.crm.reader(),
                    deal.i64("pipeline_id").unwrap_or(0),
                    &crate::store::QueryCtx::none(),
                )?;
                let open: Vec<&Record> = stages
                    .iter()
                    .filter(|s| s.str("outcome") == Some("open"))
                    .collect();
                let at = open
                    .iter()
                    .position(|s| Some(s.id()) == deal.i64("stage_id"));
                let to = match (at, action) {
                    (Some(i), Action::NextStage) => open.get(i + 1),
                    (Some(i), _) if i > 0 => open.get(i - 1),
                    (None, Action::PrevStage) => open.last(),
                    _ => None,
                };
                let Some(to) = to else {
                    return Err(Error::invalid(if action == Action::NextStage {
                        "no further open stage; mark it won (W) or lost (L)"
                    } else {
                        "already at the first stage"
                    }));
                };
                let stage = to.id().to_string();
                let name = to.label().to_string();
                self.crm.write(|w, env| {
                    crate::domain::sales::deals::move_to(w, env, id, &stage, &Move::default())
                })?;
                self.ok(format!("deal {id} → {name}"));
                self.reload_all()?;
                self.follow_deal_on_board(id);
            }
            Action::Won => {
                let id = self.selected_deal()?;
                self.crm.write(|w, env| {
                    crate::domain::sales::deals::close(w, env, id, "won", &Move::default())
                })?;
                self.ok(format!("deal {id} won"));
                self.reload_all()?;
            }
            Action::Lost => {
                let id = self.selected_deal()?;
                self.popup = Some(Popup::Prompt {
                    title: format!("Why was deal {id} lost?"),
                    input: String::new(),
                    then: Pending::Lost(id),
                });
            }
            Action::Sort => {
                if let Screen::List(l) = self.screen() {
                    let items = l
                        .entity
                        .fields()
                        .iter()
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
                    self.popup = Some(Popup::Pick(Picker::new("sort by", items)));
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
            Action::Refresh => {
                self.reload_all()?;
                self.ok("reloaded");
            }
            Action::NextPipeline => {
                if let Screen::Board(b) = self.screen_mut() {
                    if !b.boards.is_empty() {
                        b.current = (b.current + 1) % b.boards.len();
                        b.col = 0;
                        b.row = 0;
                    }
                }
                self.reload_top()?;
            }
            Action::NextPeriod => {
                if let Screen::Reports(r) = self.screen_mut() {
                    r.period = (r.period + 1) % PERIODS.len();
                    self.reload_top()?;
                }
            }
            Action::NextGrouping => {
                if let Screen::Reports(r) = self.screen_mut() {
                    let n = groupings(r.kind()).len();
                    if n == 0 {
                        let name = r.kind().name();
                        self.ok(format!("the {name} report has no other grouping"));
                        return Ok(());
                    }
                    r.grouping[r.selected] = (r.grouping[r.selected] + 1) % n;
                    self.reload_top()?;
                }
            }
            Action::NextField | Action::PrevField | Action::Save => {}
        }
        Ok(())
    }

    fn run_pending(&mut self, p: Pending, answer: Option<String>) -> Result<()> {
        match p {
            Pending::Trash(e, id) => {
                self.crm.trash(e, &[id])?;
                if matches!(self.screen(), Screen::Detail(d) if d.entity == e && d.id == id) {
                    self.screens.pop();
                }
                self.ok(format!(
                    "{e} {id} moved to the trash (kith {e} restore {id})"
                ));
                self.reload_all()
            }
            Pending::Lost(id) => {
                let Some(reason) = answer else {
                    return Ok(());
                };
                if reason.trim().is_empty() {
                    return Err(Error::invalid("a lost deal needs a reason"));
                }
                let m = Move {
                    probability: None,
                    reason: Some(reason),
                };
                self.crm
                    .write(|w, env| crate::domain::sales::deals::close(w, env, id, "lost", &m))?;
                self.ok(format!("deal {id} lost"));
                self.reload_all()
            }
        }
    }

    fn new_form(&mut self, e: Entity, prefill: Input) -> Result<()> {
        let form = Form::new(e, &prefill, |kind, text| {
            crate::app::crm::resolve(&self.crm.reader(), kind, text, false)
                .ok()
                .and_then(|id| self.crm.get(kind, id).ok())
        });
        self.screens.push(Screen::Form(Box::new(form)));
        Ok(())
    }

    fn save_form(&mut self) -> Result<()> {
        let Screen::Form(form) = self.screen() else {
            return Ok(());
        };
        let (entity, id) = (form.entity, form.id);
        let input = form.input();
        let result = match id {
            Some(id) => self.crm.update(entity, id, &input).map(|_| id),
            None => self.crm.create(entity, &input),
        };
        match result {
            Ok(new_id) => {
                self.screens.pop();
                self.ok(format!(
                    "{entity} {new_id} {}",
                    if id.is_some() { "saved" } else { "created" }
                ));
                self.reload_all()?;
                if id.is_none() {
                    self.open(entity, new_id)?;
                }
                Ok(())
            }
            Err(e) => {
                if let Screen::Form(form) = self.screen_mut() {
                    form.show_error(&e);
                }
                Err(e)
            }
        }
    }

    /// Open a record's detail view on top of the current screen.
    pub fn open(&mut self, e: Entity, id: i64) -> Result<()> {
        let d = self.load_detail(e, id)?;
        self.screens.push(Screen::Detail(Box::new(d)));
        Ok(())
    }

    /// Show a top-level view, forgetting the screens on top.
    pub fn go(&mut self, view: View) -> Result<()> {
        let screen = match view {
            View::Today => Screen::Today(Today {
                sections: vec![],
                pipeline: None,
                selected: 0,
            }),
            View::List(e) => Screen::List(ListView {
                entity: e,
                filter_text: String::new(),
                query: ListQuery::default(),
                words: String::new(),
                ranked: None,
                names: Names::Unread,
                rows: vec![],
                exhausted: false,
                selected: 0,
                top: 0,
            }),
            View::Board => Screen::Board(Board {
                boards: vec![],
                current: 0,
                columns: vec![],
                col: 0,
                row: 0,
            }),
            View::Reports => Screen::Reports(Box::default()),
        };
        self.screens = vec![screen];
        self.reload_top()?;
        self.read_names_ahead();
        Ok(())
    }

    /// On a list shown without fuzzy words, start reading the names a filter would rank
    /// (see [`Names`]); once per list shown or written to, not for the screens beneath.
    fn read_names_ahead(&mut self) {
        let crm = &self.crm;
        let Some(Screen::List(l)) = self.screens.last_mut() else {
            return;
        };
        if !l.words.is_empty() || !matches!(l.names, Names::Unread) {
            return;
        }
        let (entity, query, ctx) = (l.entity, l.query.clone(), crm.env.ctx());
        if let Some(reading) =
            crm.read_on_thread(move |r| Ok(Pool::new(r.labels(entity, &query, &ctx)?)))
        {
            l.names = Names::Reading(reading);
        }
    }

    /// The record under the cursor, on any screen.
    pub fn selected(&self) -> Option<(Entity, i64)> {
        match self.screen() {
            Screen::Today(t) => {
                let mut i = t.selected;
                for (_, items) in &t.sections {
                    if i < items.len() {
                        let r = &items[i];
                        return Some((r.entity, r.id()));
                    }
                    i -= items.len();
                }
                None
            }
            Screen::List(l) => l.rows.get(l.selected).map(|r| (r.entity, r.id())),
            Screen::Board(b) => b
                .columns
                .get(b.col)
                .and_then(|c| c.get(b.row))
                .map(|r| (Entity::Deal, r.id())),
            Screen::Detail(d) => Some(d.links.get(d.selected).copied().unwrap_or((d.entity, d.id))),
            Screen::Form(_) | Screen::Reports(_) => None,
        }
    }

    /// The record an action is about: in a detail view the record shown, elsewhere the one
    /// under the cursor.
    fn require_selected(&self) -> Result<(Entity, i64)> {
        if let Screen::Detail(d) = self.screen() {
            return Ok((d.entity, d.id));
        }
        self.selected()
            .ok_or_else(|| Error::invalid("nothing is selected"))
    }

    fn selected_deal(&self) -> Result<i64> {
        if let Screen::Detail(d) = self.screen() {
            if d.entity == Entity::Deal {
                return Ok(d.id);
            }
        }
        match self.selected() {
            Some((Entity::Deal, id)) => Ok(id),
            _ => Err(Error::invalid("select a deal first")),
        }
    }

    fn follow_deal_on_board(&mut self, id: i64) {
        if let Screen::Board(b) = self.screen_mut() {
            for (c, col) in b.columns.iter().enumerate() {
                if let Some(r) = col.iter().position(|d| d.id() == id) {
                    b.col = c;
                    b.row = r;
                }
            }
        }
    }

    fn move_by(&mut self, delta: i64) {
        let step = |cur: usize, len: usize| -> usize {
            if len == 0 {
                return 0;
            }
            (cur as i64).saturating_add(delta).clamp(0, len as i64 - 1) as usize
        };
        let mut load_more = false;
        let mut rerun = false;
        match self.screen_mut() {
            Screen::Today(t) => {
                let len = t.sections.iter().map(|(_, v)| v.len()).sum();
                t.selected = step(t.selected, len);
            }
            Screen::List(l) => {
                l.selected = step(l.selected, l.rows.len());
                load_more = !l.exhausted && l.selected + 50 >= l.rows.len();
            }
            Screen::Board(b) => {
                let len = b.columns.get(b.col).map(Vec::len).unwrap_or(0);
                b.row = step(b.row, len);
            }
            Screen::Detail(d) => d.selected = step(d.selected, d.links.len()),
            Screen::Reports(r) => {
                let before = r.selected;
                r.selected = step(r.selected, Kind::ALL.len());
                rerun = r.selected != before;
            }
            Screen::Form(_) => {}
        }
        if rerun {
            if let Err(e) = self.reload_top() {
                self.fail(&e);
            }
        }
        if load_more {
            if let Err(e) = self.load_more() {
                self.fail(&e);
            }
        }
    }

    // -----------------------------------------------------------------------------------
    // Loading

    /// Apply a filter line to the current list: field and tag terms filter as on the
    /// command line; bare words rank the names by fuzzy match.
    pub fn apply_filter(&mut self, text: &str) -> Result<()> {
        let parsed = crate::model::query::parse_line(text)?;
        if let Screen::Reports(r) = self.screen_mut() {
            // The report narrowed by the whole line; one that fails keeps the last filter
            // that worked, and its result.
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
            return Ok(());
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

    fn load_more(&mut self) -> Result<()> {
        let crm = &self.crm;
        match self.screens.last_mut() {
            Some(Screen::List(l)) => load_page(crm, l),
            _ => Ok(()),
        }
    }

    /// Reload every screen (after a write). A detail view whose record has gone (to the
    /// trash, elsewhere) is closed.
    pub fn reload_all(&mut self) -> Result<()> {
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

    fn reload_top(&mut self) -> Result<()> {
        let crm = &self.crm;
        match self.screens.last_mut() {
            Some(s) => reload(crm, s),
            None => Ok(()),
        }
    }

    fn load_detail(&self, e: Entity, id: i64) -> Result<Detail> {
        load_detail(&self.crm, e, id)
    }
}

/// Load the next page of a list: by the query, or by the ranked ids of a fuzzy search.
fn load_page(crm: &Crm, l: &mut ListView) -> Result<()> {
    if l.exhausted {
        return Ok(());
    }
    let start = l.rows.len();
    let page = match &l.ranked {
        Some(ids) => {
            let end = (start + PAGE).min(ids.len());
            crm.reader().get_many(l.entity, &ids[start..end])?
        }
        None => {
            let mut q = l.query.clone();
            q.limit = Some(PAGE);
            q.offset = start;
            crm.list(l.entity, &q)?
        }
    };
    l.exhausted = page.len() < PAGE
        || l.ranked
            .as_ref()
            .is_some_and(|ids| start + page.len() >= ids.len());
    l.rows.extend(page);
    Ok(())
}

/// Load every row of a list not loaded yet, in one query.
fn load_rest(crm: &Crm, l: &mut ListView) -> Result<()> {
    if l.exhausted {
        return Ok(());
    }
    let start = l.rows.len();
    let rest = match &l.ranked {
        Some(ids) => crm
            .reader()
            .get_many(l.entity, &ids[start.min(ids.len())..])?,
        None => {
            let mut q = l.query.clone();
            q.limit = None;
            q.offset = start;
            crm.list(l.entity, &q)?
        }
    };
    l.rows.extend(rest);
    l.exhausted = true;
    Ok(())
}

/// Read a list again, keeping the cursor where it was. Fuzzy words rank the list's
/// [`Names`], read once for the list's other terms and kept while only the words change, so typing narrows the names already
/// matched instead of reading and scoring them all again.
fn reload_list(crm: &Crm, l: &mut ListView) -> Result<()> {
    l.rows.clear();
    l.exhausted = false;
    l.ranked = if l.words.is_empty() {
        None
    } else {
        let words = l.words.clone();
        Some(names_pool(crm, l)?.rank(&words))
    };
    load_page(crm, l)?;
    while l.selected >= l.rows.len() && !l.exhausted {
        load_page(crm, l)?;
    }
    l.selected = l.selected.min(l.rows.len().saturating_sub(1));
    Ok(())
}

/// The list's names to rank, read here if they were not read on another thread (or that
/// read failed: here it fails again with its error).
fn names_pool<'a>(crm: &Crm, l: &'a mut ListView) -> Result<&'a mut Pool> {
    if !matches!(l.names, Names::Ready(_)) {
        let read = match std::mem::take(&mut l.names) {
            Names::Reading(reading) => reading.join().ok().and_then(Result::ok),
            _ => None,
        };
        let pool = match read {
            Some(pool) => pool,
            None => Pool::new(crm.reader().labels(l.entity, &l.query, &crm.env.ctx())?),
        };
        l.names = Names::Ready(pool);
    }
    match &mut l.names {
        Names::Ready(pool) => Ok(pool),
        _ => Err(Error::failed("the list's names were not read")),
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
            **d = load_detail(crm, d.entity, d.id)?;
            d.selected = selected.min(d.links.len().saturating_sub(1));
        }
        Screen::Reports(r) => {
            let kind = r.kind();
            match crate::app::reports::run(crm, kind, &r.params(crm.env.clock.today())) {
                Ok(report) => {
                    r.report = Some(report);
                    r.error = None;
                }
                Err(e) => {
                    r.report = None;
                    r.error = Some(e.to_string());
                    return Err(e);
                }
            }
        }
        Screen::Form(_) => {}
    }
    Ok(())
}

fn load_today(crm: &Crm, selected: usize) -> Result<Today> {
    let term = |f: &str, op: Op, v: &str| Term::Field {
        field: f.into(),
        op,
        value: v.into(),
    };
    let tasks = crm.list(
        Entity::Task,
        &list_query(
            vec![term("done", Op::Eq, "no"), term("due", Op::Le, "today")],
            "due,-priority",
            Some(100),
        ),
    )?;
    let planned = crm.list(
        Entity::Activity,
        &list_query(
            vec![
                term("at", Op::Eq, "today"),
                term("kind", Op::Ne, "note"),
                term("kind", Op::Ne, "email"),
            ],
            "at",
            Some(50),
        ),
    )?;
    let closing = crm.list(
        Entity::Deal,
        &list_query(
            vec![term("status", Op::Eq, "open"), term("close", Op::Le, "eom")],
            "close,-amount",
            Some(50),
        ),
    )?;
    let recent = crm.list(
        Entity::Activity,
        &list_query(vec![term("at", Op::Le, "now")], "-at", Some(10)),
    )?;
    let pipeline = crate::domain::sales::pipelines::boards(&crm.reader())?
        .into_iter()
        .find(|b| b.is_default);
    let sections = vec![
        ("Overdue and due today".to_string(), tasks),
        ("Today's visits, meetings and calls".to_string(), planned),
        (
            "Deals closing this month (and overdue)".to_string(),
            closing,
        ),
        ("Recent activity".to_string(), recent),
    ];
    let total: usize = sections.iter().map(|(_, v)| v.len()).sum();
    Ok(Today {
        sections,
        pipeline,
        selected: selected.min(total.saturating_sub(1)),
    })
}

fn load_board(crm: &Crm, b: &mut Board) -> Result<()> {
    b.boards = crate::domain::sales::pipelines::boards(&crm.reader())?;
    if b.boards.is_empty() {
        b.columns.clear();
        return Ok(());
    }
    if b.current >= b.boards.len() {
        b.current = b.boards.iter().position(|x| x.is_default).unwrap_or(0);
    }
    let stages: Vec<BoardStage> = b.boards[b.current].stages.clone();
    b.columns = stages
        .iter()
        .map(|s| {
            let (sort, limit) = if s.outcome == "open" {
                ("-amount", 500)
            } else {
                ("-closed_at", 50)
            };
            crm.list(
                Entity::Deal,
                &list_query(vec![by("stage", s.id)], sort, Some(limit)),
            )
        })
        .collect::<Result<_>>()?;
    b.col = b.col.min(b.columns.len().saturating_sub(1));
    b.row = b.row.min(
        b.columns
            .get(b.col)
            .map(Vec::len)
            .unwrap_or(0)
            .saturating_sub(1),
    );
    Ok(())
}

fn load_detail(crm: &Crm, e: Entity, id: i64) -> Result<Detail> {
    let overview = crm.overview(e, id)?;
    let history = crm.history(e, id)?;
    let mut links: Vec<(Entity, i64)> = refs(&overview.record)
        .into_iter()
        .map(|(_, t, id)| (t, id))
        .collect();
    for (_, recs) in &overview.related {
        for r in recs {
            if r.entity != Entity::Stage {
                links.push((r.entity, r.id()));
            }
        }
    }
    Ok(Detail {
        entity: e,
        id,
        overview,
        history,
        links,
        selected: 0,
    })
}

/// The records a record links to that can be opened, as (field, kind, id), in field order.
/// The detail view lists these first, then the related records.
pub fn refs(r: &Record) -> Vec<(&'static str, Entity, i64)> {
    r.entity
        .fields()
        .iter()
        .filter_map(|f| {
            let target = f.is_ref()?;
            let id = r.i64(&f.id_key())?;
            (target.is_linkable() || target == Entity::Task).then_some((f.name, target, id))
        })
        .collect()
}

fn hit_item(h: Hit) -> (String, String, Pick) {
    let kind = Entity::from_name(&h.kind).unwrap_or(Entity::Account);
    (
        h.name,
        format!("{} · {}", h.kind, h.detail),
        Pick::Open(kind, h.id),
    )
}

/// Apply a typing key to a line of text. Returns whether the text changed.
pub fn edit_text(text: &mut String, key: Key) -> bool {
    let ctrl = key.mods.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('u') if ctrl => {
            let changed = !text.is_empty();
            text.clear();
            changed
        }
        KeyCode::Char('w') if ctrl => {
            let trimmed = text.trim_end().len();
            let cut = text[..trimmed]
                .rfind(char::is_whitespace)
                .map(|i| i + 1)
                .unwrap_or(0);
            let changed = cut != text.len();
            text.truncate(cut);
            changed
        }
        KeyCode::Char(c) if !ctrl && !key.mods.contains(KeyModifiers::ALT) => {
            text.push(c);
            true
        }
        KeyCode::Backspace => text.pop().is_some(),
        _ => false,
    }
}

/// The text of a record's field for display.
pub fn cell(r: &Record, field: &str) -> String {
    match r.fields.get(field) {
        Some(Value::Null) | None => String::new(),
        Some(v) => crate::model::record::value_text(v),
    }
}
