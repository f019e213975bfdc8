//! Actions and the keys bound to them. One table serves key handling, the help overlay and
//! the command palette, so they cannot disagree. Bindings can be changed in `config.toml`:
//!
//! ```toml
//! [keys]
//! quit = ["q", "ctrl-c"]
//! new = "ctrl-n"
//! ```

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::core::error::{Error, Result};
use crate::model::Entity;

pub use crate::app::config::KeySpec;

/// Where the interface is; decides which bindings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Everywhere except in forms and popups that take text.
    Global,
    List,
    Board,
    Detail,
    Form,
    Reports,
    /// After the go-to key: the next key names a screen.
    GoTo,
    /// In a document's lines (a deal's, a quote's detail view, after `i`): its own keys,
    /// then the detail view's, then those of everywhere.
    Lines,
}

impl Context {
    /// The context whose bindings apply here after the context's own, before those of
    /// everywhere: a document's lines are in its detail view.
    pub fn within(self) -> Option<Context> {
        match self {
            Context::Lines => Some(Context::Detail),
            _ => None,
        }
    }
}

pub use crate::tui::places::View;

/// Everything a user can do. Each has a name (for the palette and `config.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    Palette,
    Search,
    Find,
    Back,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Go(View),
    /// The go-to key: the next key picks a screen (a hint shows them, by group).
    GoTo,
    New,
    NewOf(Entity),
    Edit,
    Trash,
    LogActivity,
    FollowUp,
    Done,
    NextStage,
    PrevStage,
    Won,
    Lost,
    Sort,
    Reverse,
    Refresh,
    Undo,
    Redo,
    Snooze,
    Yank,
    JumpBack,
    JumpForward,
    NextPipeline,
    NextPeriod,
    NextGrouping,
    NextField,
    PrevField,
    Save,
    /// In a form: edit the focused field in `$EDITOR`.
    OpenInEditor,
    /// In a list: mark the selected record (or take its mark off) and move down.
    Mark,
    /// In a list: begin a range of marked records at the cursor (again: keep it).
    MarkRange,
    /// Give the selected or marked records another owner.
    Reassign,
    /// Add tags to the selected or marked records, or take tags off.
    Tag,
    /// Move the selected or marked deals to a stage chosen by name.
    MoveToStage,
    /// Show what `kith remind` would deliver now.
    Notices,
    /// Save the list as it is (filter, sort, columns) as a view under a name.
    SaveView,
    /// Delete a saved view (chosen in a picker).
    DeleteView,
    /// Choose the columns of the kind's list, and their order.
    Columns,
    /// The record selected (or shown) as text in `$EDITOR`.
    EditInEditor,
    /// On reports: from the list of reports into the report's rows, and back.
    ReportRows,
    /// On reports: into the rows; on a row, the records behind it.
    DrillDown,
    /// On a deal or a quote: into its lines (and out again), to add, change and remove
    /// them.
    Lines,
    /// In a document's lines: add one, choosing its product, then its quantity.
    AddLine,
    /// In a document's lines: change the selected one's quantity, price and discount.
    EditLine,
    /// In a document's lines: take the selected one off (after a `y`).
    RemoveLine,
    /// A quote's verbs, on the quote shown: send it, accept or reject it (asks why),
    /// revise it (its next revision, a draft), render it as a document.
    SendQuote,
    AcceptQuote,
    RejectQuote,
    ReviseQuote,
    RenderQuote,
    /// A case's verbs, on the case selected or shown: reply (asks the text), wait on the
    /// customer or resume, resolve (asks how), close (with a return visit or not), and
    /// record a survey of it. Assigning it is `Reassign`.
    ReplyCase,
    WaitCase,
    ResolveCase,
    CloseCase,
    SurveyCase,
    /// On the cases: the queue's next filter (all open, mine, unassigned, breached).
    QueueFilter,
}

impl Action {
    /// The name used in `config.toml` (English whatever the language shown; the palette
    /// and the help show [`Action::label`]).
    pub fn name(self) -> String {
        match self {
            Action::Quit => "quit".into(),
            Action::Help => "help".into(),
            Action::Palette => "palette".into(),
            Action::Search => "search".into(),
            Action::Find => "find record".into(),
            Action::Back => "back".into(),
            Action::Up => "up".into(),
            Action::Down => "down".into(),
            Action::Left => "left".into(),
            Action::Right => "right".into(),
            Action::PageUp => "page up".into(),
            Action::PageDown => "page down".into(),
            Action::Top => "top".into(),
            Action::Bottom => "bottom".into(),
            Action::Open => "open".into(),
            Action::Go(View::Today) => "today".into(),
            Action::Go(View::Board) => "pipeline".into(),
            Action::Go(View::Reports) => "reports".into(),
            Action::Go(View::Report(k)) => k.name().into(),
            Action::Go(View::List(e)) => e.plural().into(),
            Action::GoTo => "go to".into(),
            Action::New => "new".into(),
            Action::NewOf(e) => format!("new {}", e.name()),
            Action::Edit => "edit".into(),
            Action::Trash => "trash".into(),
            Action::LogActivity => "log activity".into(),
            Action::FollowUp => "add follow-up".into(),
            Action::Done => "mark done".into(),
            Action::NextStage => "next stage".into(),
            Action::PrevStage => "previous stage".into(),
            Action::Won => "won".into(),
            Action::Lost => "lost".into(),
            Action::Sort => "sort".into(),
            Action::Reverse => "reverse sort".into(),
            Action::Refresh => "refresh".into(),
            Action::Undo => "undo".into(),
            Action::Redo => "redo".into(),
            Action::Snooze => "snooze".into(),
            Action::Yank => "yank".into(),
            Action::JumpBack => "jump back".into(),
            Action::JumpForward => "jump forward".into(),
            Action::NextPipeline => "next pipeline".into(),
            Action::NextPeriod => "next period".into(),
            Action::NextGrouping => "next grouping".into(),
            Action::NextField => "next field".into(),
            Action::PrevField => "previous field".into(),
            Action::Save => "save".into(),
            Action::OpenInEditor => "open in editor".into(),
            Action::Mark => "mark".into(),
            Action::MarkRange => "mark range".into(),
            Action::Reassign => "reassign".into(),
            Action::Tag => "tag".into(),
            Action::MoveToStage => "move to stage".into(),
            Action::Notices => "notifications".into(),
            Action::SaveView => "save view".into(),
            Action::DeleteView => "delete view".into(),
            Action::Columns => "columns".into(),
            Action::EditInEditor => "edit in editor".into(),
            Action::ReportRows => "report rows".into(),
            Action::DrillDown => "drill down".into(),
            Action::Lines => "lines".into(),
            Action::AddLine => "add line".into(),
            Action::EditLine => "edit line".into(),
            Action::RemoveLine => "remove line".into(),
            Action::SendQuote => "send quote".into(),
            Action::AcceptQuote => "accept quote".into(),
            Action::RejectQuote => "reject quote".into(),
            Action::ReviseQuote => "revise quote".into(),
            Action::RenderQuote => "render quote".into(),
            Action::ReplyCase => "reply case".into(),
            Action::WaitCase => "wait case".into(),
            Action::ResolveCase => "resolve case".into(),
            Action::CloseCase => "close case".into(),
            Action::SurveyCase => "survey case".into(),
            Action::QueueFilter => "queue filter".into(),
        }
    }

    /// The name shown in the palette, the help and the status line (from the catalog:
    /// `tui.key.name.<action>`).
    pub fn label(self) -> &'static str {
        crate::core::text::t(&format!("tui.key.name.{}", self.id()))
    }

    /// Its name in English whatever the language, by which the palette finds it too.
    pub fn english_label(self) -> &'static str {
        crate::core::text::english(&format!("tui.key.name.{}", self.id())).unwrap_or_default()
    }

    /// What it does, for the help overlay (`tui.key.about.<action>`).
    pub fn describe(self) -> &'static str {
        crate::core::text::t(&format!("tui.key.about.{}", self.id()))
    }

    /// The action's part of its catalog ids: its name as `config.toml` writes it
    /// (`new_account`, `add_follow_up`).
    fn id(self) -> String {
        self.name().replace([' ', '-'], "_")
    }

    /// Actions the palette offers (moves and form keys are left out).
    pub fn in_palette(self) -> bool {
        !matches!(
            self,
            Action::Up
                | Action::Down
                | Action::Left
                | Action::Right
                | Action::PageUp
                | Action::PageDown
                | Action::Top
                | Action::Bottom
                | Action::Back
                | Action::Open
                | Action::Palette
                | Action::NextField
                | Action::PrevField
                | Action::Save
                | Action::OpenInEditor
                | Action::ReportRows
                | Action::DrillDown
        )
    }

    /// Every action, in the order help and the palette show them.
    pub fn all() -> Vec<Action> {
        let mut v: Vec<Action> = crate::tui::places::PLACES
            .iter()
            .map(|p| Action::Go(p.view))
            .collect();
        v.push(Action::GoTo);
        v.extend(crate::model::Entity::RECORDS.map(Action::NewOf));
        v.extend([
            Action::New,
            Action::Edit,
            Action::EditInEditor,
            Action::Trash,
            Action::LogActivity,
            Action::FollowUp,
            Action::Done,
            Action::Snooze,
            Action::NextStage,
            Action::PrevStage,
            Action::MoveToStage,
            Action::Won,
            Action::Lost,
            Action::Reassign,
            Action::Tag,
            Action::Lines,
            Action::AddLine,
            Action::EditLine,
            Action::RemoveLine,
            Action::SendQuote,
            Action::AcceptQuote,
            Action::RejectQuote,
            Action::ReviseQuote,
            Action::RenderQuote,
            Action::ReplyCase,
            Action::WaitCase,
            Action::ResolveCase,
            Action::CloseCase,
            Action::SurveyCase,
            Action::QueueFilter,
            Action::Mark,
            Action::MarkRange,
            Action::Search,
            Action::Find,
            Action::Sort,
            Action::Reverse,
            Action::Columns,
            Action::SaveView,
            Action::DeleteView,
            Action::NextPipeline,
            Action::NextPeriod,
            Action::NextGrouping,
            Action::Yank,
            Action::Notices,
            Action::JumpBack,
            Action::JumpForward,
            Action::Undo,
            Action::Redo,
            Action::Refresh,
            Action::Help,
            Action::Palette,
            Action::Quit,
            Action::Back,
            Action::Open,
            Action::Up,
            Action::Down,
            Action::Left,
            Action::Right,
            Action::PageUp,
            Action::PageDown,
            Action::Top,
            Action::Bottom,
            Action::NextField,
            Action::PrevField,
            Action::Save,
            Action::OpenInEditor,
            Action::ReportRows,
            Action::DrillDown,
        ]);
        v
    }

    /// The action of a name; `_`, `-` and spaces count alike (`new_account`, `add-follow-up`).
    pub fn from_name(name: &str) -> Option<Action> {
        let norm = |s: &str| s.trim().to_lowercase().replace(['_', '-'], " ");
        let n = norm(name);
        Action::all().into_iter().find(|a| norm(&a.name()) == n)
    }
}

/// A key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn from_event(e: KeyEvent) -> Key {
        let mut mods =
            e.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        // A typed capital or symbol carries SHIFT on some terminals and not others, and
        // shift-tab arrives as BackTab with SHIFT.
        if matches!(e.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Key { code: e.code, mods }
    }

    /// Read `q`, `G`, `?`, `ctrl-s`, `alt-x`, `enter`, `esc`, `tab`, `shift-tab`, `up`,
    /// `pgdn`, `f1`, `space` …
    pub fn parse(s: &str) -> Result<Key> {
        let t = s.trim();
        let bad = || Error::invalid(crate::tr!("tui.key.bad_key", key = t));
        let mut mods = KeyModifiers::NONE;
        let mut rest = t;
        loop {
            let lower = rest.to_lowercase();
            if let Some(r) = lower
                .strip_prefix("ctrl-")
                .or_else(|| lower.strip_prefix("c-"))
            {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower
                .strip_prefix("alt-")
                .or_else(|| lower.strip_prefix("m-"))
            {
                mods |= KeyModifiers::ALT;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("shift-") {
                mods |= KeyModifiers::SHIFT;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                let c = if mods.contains(KeyModifiers::CONTROL) {
                    c.to_ascii_lowercase()
                } else {
                    c
                };
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c)
            }
            _ => match rest.to_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if mods.contains(KeyModifiers::SHIFT) => {
                    mods.remove(KeyModifiers::SHIFT);
                    KeyCode::BackTab
                }
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" | "bs" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pagedown" => KeyCode::PageDown,
                "space" => KeyCode::Char(' '),
                f if f.starts_with('f') => match f[1..].parse::<u8>() {
                    Ok(n) if (1..=12).contains(&n) => KeyCode::F(n),
                    _ => return Err(bad()),
                },
                _ => return Err(bad()),
            },
        };
        Ok(Key { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            _ => f.write_str("?"),
        }
    }
}

/// One binding: a key, in a context, does an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub key: Key,
    pub context: Context,
    pub action: Action,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        use Action::*;
        use Context::*;
        let g = |k: &str, a: Action| (k.to_string(), Global, a);
        let mut raw: Vec<(String, Context, Action)> = vec![
            g("q", Quit),
            g("ctrl-c", Quit),
            g("?", Help),
            g(":", Palette),
            g("/", Search),
            g("ctrl-p", Find),
            g("f", Find),
            g("esc", Back),
            g("backspace", Back),
            g("k", Up),
            g("up", Up),
            g("j", Down),
            g("down", Down),
            g("h", Left),
            g("left", Left),
            g("l", Right),
            g("right", Right),
            g("ctrl-u", PageUp),
            g("pgup", PageUp),
            g("ctrl-d", PageDown),
            g("pgdn", PageDown),
            g("home", Top),
            g("G", Bottom),
            g("end", Bottom),
            g("enter", Open),
            // A prefix, as in vim and lazygit: `g` then a screen's letter, `g g` the top.
            g("g", Action::GoTo),
            g("n", New),
            g("e", Edit),
            g("E", EditInEditor),
            g("d", Trash),
            g("a", LogActivity),
            g("t", FollowUp),
            g("x", Done),
            g("z", Snooze),
            g("y", Yank),
            // ctrl-i is tab on a terminal: both go forward.
            g("ctrl-o", JumpBack),
            g("ctrl-i", JumpForward),
            g("tab", JumpForward),
            g(">", NextStage),
            g("<", PrevStage),
            g("W", Won),
            g("L", Lost),
            // ctrl-r redoes, as in vim; refreshing moved to R and f5.
            g("u", Undo),
            g("ctrl-r", Redo),
            g("R", Refresh),
            g("f5", Refresh),
            g("o", Reassign),
            g("+", Tag),
            g("m", MoveToStage),
            g("!", Notices),
            // A case's verbs, wherever a case is selected or shown (the queue, its view,
            // Today); `o` assigns it, as it gives other records an owner.
            g("r", ReplyCase),
            g("p", WaitCase),
            g("D", ResolveCase),
            g("c", CloseCase),
            g("v", SurveyCase),
            (String::from("F"), List, QueueFilter),
            (String::from("space"), List, Mark),
            (String::from("V"), List, MarkRange),
            (String::from("s"), List, Sort),
            (String::from("S"), List, Reverse),
            (String::from("w"), List, SaveView),
            (String::from("C"), List, Columns),
            (String::from("p"), Board, NextPipeline),
            (String::from("p"), Reports, NextPeriod),
            (String::from("b"), Reports, NextGrouping),
            (String::from("/"), Reports, Search),
            (String::from("q"), Detail, Back),
            (String::from("tab"), Form, NextField),
            (String::from("down"), Form, NextField),
            (String::from("shift-tab"), Form, PrevField),
            (String::from("up"), Form, PrevField),
            (String::from("ctrl-s"), Form, Save),
            // Not ctrl-e, which goes to the end of the line in a text field, as in a shell;
            // ctrl-x begins a shell's own "edit in $EDITOR" (ctrl-x ctrl-e).
            (String::from("ctrl-x"), Form, OpenInEditor),
            (String::from("esc"), Form, Back),
            // Reports: into the rows of the report and out again; enter on a row lists
            // the records behind it (h/l and ←/→ move in and out too, as in a tree).
            (String::from("tab"), Reports, ReportRows),
            (String::from("enter"), Reports, DrillDown),
            // A deal's or a quote's lines: `i` goes into them (esc out); there the keys
            // of a list's record work on the line selected. A quote's verbs are capitals
            // no other key of a detail view takes.
            (String::from("i"), Detail, Action::Lines),
            (String::from("n"), Context::Lines, AddLine),
            (String::from("e"), Context::Lines, EditLine),
            (String::from("enter"), Context::Lines, EditLine),
            (String::from("d"), Context::Lines, RemoveLine),
            (String::from("S"), Detail, SendQuote),
            (String::from("A"), Detail, AcceptQuote),
            (String::from("X"), Detail, RejectQuote),
            (String::from("V"), Detail, ReviseQuote),
            (String::from("P"), Detail, RenderQuote),
        ];
        // The first screens' digits, and every screen's letter after the go-to key.
        for p in crate::tui::places::PLACES {
            if let Some(d) = p.digit {
                raw.push((d.to_string(), Global, Go(p.view)));
            }
        }
        for p in crate::tui::places::PLACES {
            raw.push((p.goto.to_string(), Context::GoTo, Go(p.view)));
        }
        raw.push(("g".to_string(), Context::GoTo, Top));
        let bindings = raw
            .drain(..)
            .filter_map(|(k, context, action)| {
                Key::parse(&k).ok().map(|key| Binding {
                    key,
                    context,
                    action,
                })
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The default bindings with those of `[keys]` in the configuration replacing the
    /// defaults of the actions they name.
    pub fn with_overrides(overrides: &BTreeMap<String, KeySpec>) -> Result<Keymap> {
        let mut map = Keymap::default();
        for (name, spec) in overrides {
            let action = Action::from_name(name).ok_or_else(|| {
                Error::invalid(crate::tr!(
                    "tui.key.no_action",
                    name = name,
                    actions = Action::all()
                        .iter()
                        .map(|a| a.id())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            let keys = match spec {
                KeySpec::One(k) => vec![k.clone()],
                KeySpec::Many(v) => v.clone(),
            };
            // The new keys serve in every context the action had keys in (back: everywhere,
            // in forms and in detail views). A screen's go-to letter stays.
            let mut contexts: Vec<Context> = Vec::new();
            for b in map
                .bindings
                .iter()
                .filter(|b| b.action == action && b.context != Context::GoTo)
            {
                if !contexts.contains(&b.context) {
                    contexts.push(b.context);
                }
            }
            if contexts.is_empty() {
                contexts.push(Context::Global);
            }
            map.bindings
                .retain(|b| b.action != action || b.context == Context::GoTo);
            for k in keys {
                let key = Key::parse(&k)
                    .map_err(|e| e.context(crate::tr!("tui.key.in_config", name = name)))?;
                for &context in &contexts {
                    // The key is taken from whatever had it in the same context.
                    map.bindings
                        .retain(|b| !(b.key == key && b.context == context));
                    map.bindings.push(Binding {
                        key,
                        context,
                        action,
                    });
                }
            }
        }
        Ok(map)
    }

    /// The action a key does in a context; the context's own bindings come first.
    pub fn action(&self, key: Key, context: Context) -> Option<Action> {
        let find = |c: Context| {
            self.bindings
                .iter()
                .find(|b| b.key == key && b.context == c)
                .map(|b| b.action)
        };
        match context {
            Context::Form => find(Context::Form),
            Context::GoTo => find(Context::GoTo),
            Context::Global => find(Context::Global),
            c => find(c)
                .or_else(|| c.within().and_then(find))
                .or_else(|| find(Context::Global)),
        }
    }

    /// The first key bound to an action, as text: the one a hint names ("n" for new).
    pub fn first_key(&self, action: Action) -> String {
        self.keys_for(action)
            .split(", ")
            .next()
            .unwrap_or("")
            .to_string()
    }

    /// The first key that does `action` on the screen in front (`context`), as text: a
    /// key bound to it that the screen's own bindings give to something else is passed
    /// over (in a detail view `q` goes back, so quit's hint there is `ctrl-c`). `None`
    /// when no key does it there.
    pub fn key_in(&self, action: Action, context: Context) -> Option<String> {
        let own = self
            .bindings
            .iter()
            .filter(|b| b.action == action && b.context == context);
        let within = self
            .bindings
            .iter()
            .filter(|b| b.action == action && Some(b.context) == context.within());
        let global = self
            .bindings
            .iter()
            .filter(|b| b.action == action && b.context == Context::Global);
        own.chain(within)
            .chain(global)
            .find(|b| self.action(b.key, context) == Some(action))
            .map(|b| b.key.to_string())
    }

    /// The keys bound to an action, as text ("j, ↓"; a screen's "2, space a").
    pub fn keys_for(&self, action: Action) -> String {
        let leader = self
            .bindings
            .iter()
            .find(|b| b.action == Action::GoTo && b.context == Context::Global)
            .map(|b| b.key.to_string());
        let mut keys: Vec<String> = Vec::new();
        // Keys of their own first, then the go-to letter.
        let bindings = self
            .bindings
            .iter()
            .filter(|b| b.action == action && b.context != Context::GoTo)
            .chain(
                self.bindings
                    .iter()
                    .filter(|b| b.action == action && b.context == Context::GoTo),
            );
        for b in bindings {
            let k = match (&leader, b.context) {
                (Some(l), Context::GoTo) => format!("{l} {}", b.key),
                (None, Context::GoTo) => continue,
                _ => b.key.to_string(),
            };
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        keys.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Key {
        Key::parse(s).unwrap()
    }

    #[test]
    fn keys_parse_and_print() {
        assert_eq!(
            k("q"),
            Key {
                code: KeyCode::Char('q'),
                mods: KeyModifiers::NONE
            }
        );
        assert_eq!(
            k("ctrl-s"),
            Key {
                code: KeyCode::Char('s'),
                mods: KeyModifiers::CONTROL
            }
        );
        assert_eq!(k("C-S"), k("ctrl-s"));
        assert_eq!(k("shift-tab").code, KeyCode::BackTab);
        assert_eq!(k("G").code, KeyCode::Char('G'));
        assert_eq!(k("f5").code, KeyCode::F(5));
        for s in ["ctrl-s", "enter", "shift-tab", "pgdn", "G", "f1", "space"] {
            assert_eq!(k(s).to_string(), s);
        }
        assert!(Key::parse("ctrl-").is_err());
        assert!(Key::parse("f99").is_err());
        assert!(Key::parse("hyper-x").is_err());
    }

    #[test]
    fn defaults_cover_the_contract() {
        let m = Keymap::default();
        assert_eq!(m.action(k("?"), Context::List), Some(Action::Help));
        assert_eq!(m.action(k("/"), Context::List), Some(Action::Search));
        assert_eq!(m.action(k(":"), Context::Board), Some(Action::Palette));
        assert_eq!(m.action(k("q"), Context::List), Some(Action::Quit));
        assert_eq!(m.action(k("q"), Context::Board), Some(Action::Quit));
        assert_eq!(m.action(k("ctrl-s"), Context::Form), Some(Action::Save));
        assert_eq!(m.action(k("tab"), Context::Form), Some(Action::NextField));
        assert_eq!(
            m.action(k("shift-tab"), Context::Form),
            Some(Action::PrevField)
        );
        assert_eq!(m.action(k("esc"), Context::Form), Some(Action::Back));
        // Typing in a form never triggers global letters.
        assert_eq!(m.action(k("q"), Context::Form), None);
        assert_eq!(m.action(k("j"), Context::List), Some(Action::Down));
        assert_eq!(m.action(k("down"), Context::List), Some(Action::Down));
        assert_eq!(m.action(k("s"), Context::List), Some(Action::Sort));
        assert_eq!(m.action(k("s"), Context::Detail), None);
        assert_eq!(
            m.action(k("q"), Context::Detail),
            Some(Action::Back),
            "q closes a detail view"
        );
        assert_eq!(
            m.action(k("9"), Context::Global),
            Some(Action::Go(View::Reports))
        );
        assert_eq!(m.action(k("p"), Context::Reports), Some(Action::NextPeriod));
        assert_eq!(m.action(k("p"), Context::Board), Some(Action::NextPipeline));
        assert_eq!(
            m.action(k("b"), Context::Reports),
            Some(Action::NextGrouping)
        );
        assert_eq!(m.action(k("b"), Context::List), None);
        assert_eq!(m.action(k("j"), Context::Reports), Some(Action::Down));
        assert_eq!(
            m.action(k("tab"), Context::Reports),
            Some(Action::ReportRows)
        );
        assert_eq!(
            m.action(k("enter"), Context::Reports),
            Some(Action::DrillDown)
        );
        assert_eq!(m.action(k("l"), Context::Reports), Some(Action::Right));
        assert_eq!(m.action(k("esc"), Context::Reports), Some(Action::Back));
        assert_eq!(
            m.action(k("tab"), Context::List),
            Some(Action::JumpForward),
            "tab keeps jumping forward elsewhere"
        );
        assert_eq!(m.action(k("enter"), Context::List), Some(Action::Open));
        assert_eq!(m.keys_for(Action::Search), "/", "each key once");
        // Hints name the key that works on the screen in front.
        assert_eq!(m.key_in(Action::Quit, Context::List).as_deref(), Some("q"));
        assert_eq!(
            m.key_in(Action::Quit, Context::Detail).as_deref(),
            Some("ctrl-c")
        );
        assert_eq!(
            m.key_in(Action::Back, Context::Detail).as_deref(),
            Some("q")
        );
        assert_eq!(
            m.key_in(Action::Save, Context::Form).as_deref(),
            Some("ctrl-s")
        );
        assert_eq!(m.key_in(Action::Quit, Context::Form), None);
        // A document's lines: `i` goes in; there the record keys work on the line, the
        // detail view's keys after them (q goes back), and the moves of everywhere.
        assert_eq!(m.action(k("i"), Context::Detail), Some(Action::Lines));
        assert_eq!(m.action(k("n"), Context::Lines), Some(Action::AddLine));
        assert_eq!(m.action(k("e"), Context::Lines), Some(Action::EditLine));
        assert_eq!(m.action(k("enter"), Context::Lines), Some(Action::EditLine));
        assert_eq!(m.action(k("d"), Context::Lines), Some(Action::RemoveLine));
        assert_eq!(m.action(k("q"), Context::Lines), Some(Action::Back));
        assert_eq!(m.action(k("j"), Context::Lines), Some(Action::Down));
        assert_eq!(m.action(k("n"), Context::Detail), Some(Action::New));
        assert_eq!(m.key_in(Action::Back, Context::Lines).as_deref(), Some("q"));
        assert_eq!(
            m.key_in(Action::Quit, Context::Lines).as_deref(),
            Some("ctrl-c")
        );
        // A quote's verbs, in its view; the list keeps its own capitals.
        for (key, action) in [
            ("S", Action::SendQuote),
            ("A", Action::AcceptQuote),
            ("X", Action::RejectQuote),
            ("V", Action::ReviseQuote),
            ("P", Action::RenderQuote),
        ] {
            assert_eq!(m.action(k(key), Context::Detail), Some(action), "{key}");
            assert_eq!(m.action(k(key), Context::Lines), Some(action), "{key}");
        }
        assert_eq!(m.action(k("S"), Context::List), Some(Action::Reverse));
        assert_eq!(m.action(k("V"), Context::List), Some(Action::MarkRange));
        assert_eq!(m.action(k("A"), Context::List), None);
    }

    /// The guide names every action as `[keys]` in config.toml takes it, so a new one
    /// (a screen, a kind's `new`, a verb) is not left out of it.
    #[test]
    fn the_guide_names_every_action_for_the_configuration() {
        let doc = include_str!("../../docs/interface.md");
        let (_, rest) = doc
            .split_once("case does not matter. The actions:")
            .expect("the list of actions in docs/interface.md");
        let list = rest.split("\n\n").next().unwrap_or_default();
        for a in Action::all() {
            let id = format!("`{}`", a.id());
            assert!(list.contains(&id), "docs/interface.md does not name {id}");
        }
    }

    /// No key of a context is bound twice there: a key a context's bindings give to one
    /// action does not hide another of the same context.
    #[test]
    fn no_key_does_two_things_in_one_context() {
        let m = Keymap::default();
        for (i, a) in m.bindings.iter().enumerate() {
            for b in &m.bindings[i + 1..] {
                assert!(
                    !(a.key == b.key && a.context == b.context),
                    "{} in {:?}: {:?} and {:?}",
                    a.key,
                    a.context,
                    a.action,
                    b.action
                );
            }
        }
    }

    #[test]
    fn every_action_has_a_unique_name() {
        let names: Vec<String> = Action::all().iter().map(|a| a.name()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        for a in Action::all() {
            assert_eq!(Action::from_name(&a.name()), Some(a));
        }
        assert_eq!(
            Action::from_name("new_account"),
            Some(Action::NewOf(Entity::Account))
        );
    }

    /// Every action's name and description are in the catalog (their ids are made from
    /// the action's name, so the catalog test of `tr!` calls does not see them).
    #[test]
    fn every_action_has_its_words_in_the_catalog() {
        for a in Action::all() {
            for id in [
                format!("tui.key.name.{}", a.id()),
                format!("tui.key.about.{}", a.id()),
            ] {
                assert!(crate::core::text::has(&id), "no message {id:?}");
            }
        }
        assert_eq!(Action::NewOf(Entity::Account).label(), "new account");
        assert_eq!(Action::NewOf(Entity::Account).describe(), "add an account");
        assert_eq!(Action::Go(View::Board).describe(), "go to pipeline");
    }

    #[test]
    fn overrides_replace_defaults() {
        let mut o = BTreeMap::new();
        o.insert("quit".to_string(), KeySpec::One("ctrl-q".into()));
        o.insert(
            "down".to_string(),
            KeySpec::Many(vec!["n".into(), "down".into()]),
        );
        let m = Keymap::with_overrides(&o).unwrap();
        assert_eq!(m.action(k("ctrl-q"), Context::List), Some(Action::Quit));
        assert_eq!(m.action(k("q"), Context::List), None);
        assert_eq!(
            m.action(k("n"), Context::List),
            Some(Action::Down),
            "n was 'new'; down took it"
        );
        assert_eq!(m.keys_for(Action::Down), "n, ↓");
        // Back keeps working in forms and detail views when rebound.
        let mut o = BTreeMap::new();
        o.insert("back".to_string(), KeySpec::One("ctrl-g".into()));
        let m = Keymap::with_overrides(&o).unwrap();
        for c in [
            Context::Global,
            Context::Form,
            Context::Detail,
            Context::List,
        ] {
            assert_eq!(m.action(k("ctrl-g"), c), Some(Action::Back), "{c:?}");
        }
        assert_eq!(m.action(k("esc"), Context::Form), None);
        let mut bad = BTreeMap::new();
        bad.insert("fly".to_string(), KeySpec::One("z".into()));
        assert!(Keymap::with_overrides(&bad)
            .unwrap_err()
            .to_string()
            .contains("no action named 'fly'"));
        let mut bad = BTreeMap::new();
        bad.insert("quit".to_string(), KeySpec::One("ctrl-".into()));
        assert!(Keymap::with_overrides(&bad)
            .unwrap_err()
            .to_string()
            .contains("[keys] quit"));
    }
}
