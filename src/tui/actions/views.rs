//! What the keys do with what the interface keeps between sessions (the `impl App` half
//! of `screens/views.rs`): the filter history, saved views and the column picker, kept
//! in `interface.toml` by `crate::app::interface_state`.

use std::path::PathBuf;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use crate::app::interface_state::{InterfaceFile, SavedView};
use crate::core::error::{Error, Result};
use crate::model::query::SortKey;
use crate::model::Entity;
use crate::tui::app::{App, Pending, Pick, Picker, Popup, Screen};
use crate::tui::input::TextInput;
use crate::tui::keymap::{Action, Key, View};
use crate::tui::screens::list::{all_columns, available_columns};
use crate::tui::screens::views::{ColumnPicker, ViewMark};
use crate::tui::view::kinds_name;

impl App {
    /// Read what the interface keeps (`interface.toml`) from `path`, and keep it there from
    /// now on. A file that does not read is said on the status line and left as it is.
    pub fn open_interface(&mut self, path: PathBuf) {
        let (file, problem) = InterfaceFile::open(path);
        self.interface = file;
        if let Some(e) = problem {
            self.fail(&e);
        }
        // A list already shown takes its kind's columns.
        let columns = match self.screen() {
            Screen::List(l) => Some(self.interface.state.columns(l.entity).map(<[_]>::to_vec)),
            _ => None,
        };
        if let (Some(chosen), Screen::List(l)) = (columns, self.screen_mut()) {
            l.chosen = chosen;
            l.widths.clear();
        }
    }

    /// Write `interface.toml` after a change; a failure (or a file left alone) is said on
    /// the status line, and the change lasts for the session.
    fn keep_interface(&mut self) {
        if let Err(e) = self.interface.save() {
            self.fail(&e);
        }
    }

    /// A filter applied with `enter` in a list: remembered in its kind's history. A file
    /// left alone is not written (that was said when the interface opened).
    pub(crate) fn remember_filter(&mut self, e: Entity, text: &str) {
        if self.interface.state.remember(e, text) && !self.interface.left_alone() {
            self.keep_interface();
        }
    }

    /// Save view, delete view, the column picker.
    pub(crate) fn views_key(&mut self, action: Action) -> Result<()> {
        match action {
            Action::SaveView => {
                let Screen::List(l) = self.screen() else {
                    return Err(Error::invalid(crate::tr!("tui.views.not_a_list")));
                };
                // The name of the view shown is offered, to save it again.
                let name = l
                    .view
                    .as_ref()
                    .filter(|v| v.shows(&l.filter_text, &l.query.sort))
                    .map(|v| v.name.clone())
                    .unwrap_or_default();
                let e = l.entity;
                self.popup = Some(Popup::Prompt {
                    title: crate::tr!("tui.views.ask_name", kinds = kinds_name(e)),
                    input: TextInput::new(name),
                    then: Pending::SaveView(e),
                    error: None,
                });
            }
            Action::DeleteView => {
                if self.interface.state.views.is_empty() {
                    return Err(Error::invalid(crate::tr!(
                        "tui.views.none",
                        save = self.keymap.first_key(Action::SaveView)
                    )));
                }
                let items = self
                    .interface
                    .state
                    .views
                    .iter()
                    .map(|v| {
                        let kind = v.entity().map(kinds_name).unwrap_or(&v.kind).to_string();
                        (v.name.clone(), kind, Pick::DeleteView(v.name.clone()))
                    })
                    .collect();
                self.popup = Some(Popup::Pick(Picker::new(
                    crate::tr!("tui.views.delete_which"),
                    items,
                )));
            }
            Action::Columns => {
                let Screen::List(l) = self.screen() else {
                    return Err(Error::invalid(crate::tr!("tui.columns.not_a_list")));
                };
                let picker = ColumnPicker::new(l.entity, available_columns(l), &all_columns(l));
                self.popup = Some(Popup::Columns(picker));
            }
            _ => {}
        }
        Ok(())
    }

    /// The answer to "save view as": an empty name keeps the question open; a name taken
    /// asks before the view is replaced.
    pub(crate) fn save_view_as(&mut self, e: Entity, name: String) -> Result<()> {
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(Error::invalid(crate::tr!("tui.views.name_empty")));
        }
        let Screen::List(l) = self.screen() else {
            return Err(Error::invalid(crate::tr!("tui.views.not_a_list")));
        };
        if l.entity != e {
            return Err(Error::invalid(crate::tr!("tui.views.not_a_list")));
        }
        let view = SavedView {
            name: name.clone(),
            kind: e.name().to_string(),
            filter: l.filter_text.trim().to_string(),
            sort: l
                .query
                .sort
                .first()
                .map(|k| format!("{}{}", if k.desc { "-" } else { "" }, k.field)),
            columns: all_columns(l).into_iter().map(String::from).collect(),
        };
        match self.interface.state.view(&name) {
            Some(old) => {
                let kinds = old.entity().map(kinds_name).unwrap_or(&old.kind);
                self.popup = Some(Popup::Confirm {
                    message: crate::tr!("tui.views.replace", name = name, kinds = kinds),
                    then: Pending::ReplaceView(view),
                });
                Ok(())
            }
            None => self.store_view(view),
        }
    }

    /// Keep a view (over the one of its name) and mark the list in front with it.
    pub(crate) fn store_view(&mut self, view: SavedView) -> Result<()> {
        let name = view.name.clone();
        if let Screen::List(l) = self.screen_mut() {
            l.view = Some(ViewMark {
                name: name.clone(),
                filter: l.filter_text.clone(),
                sort: l.query.sort.clone(),
            });
        }
        self.interface.state.save_view(view);
        let palette = self.keymap.first_key(Action::Palette);
        self.ok(crate::tr!(
            "tui.views.saved",
            name = name,
            palette = palette
        ));
        self.keep_interface();
        Ok(())
    }

    pub(crate) fn delete_view(&mut self, name: &str) -> Result<()> {
        if !self.interface.state.delete_view(name) {
            return Err(Error::invalid(crate::tr!("tui.views.unknown", name = name)));
        }
        for s in &mut self.screens {
            if let Screen::List(l) = s {
                if l.view.as_ref().is_some_and(|v| v.name == name) {
                    l.view = None;
                }
            }
        }
        self.ok(crate::tr!("tui.views.deleted", name = name));
        self.keep_interface();
        Ok(())
    }

    /// After choosing a view to delete: ask first.
    pub(crate) fn ask_delete_view(&mut self, name: String) {
        self.popup = Some(Popup::Confirm {
            message: crate::tr!("tui.views.confirm_delete", name = name),
            then: Pending::DeleteView(name),
        });
    }

    /// Show a saved view: its kind's list with its columns, sort and filter. A sort field
    /// or a filter that no longer reads (a custom field removed) is said on the status
    /// line, and the list shows what did read.
    pub(crate) fn open_view(&mut self, name: &str) -> Result<()> {
        let v = self
            .interface
            .state
            .view(name)
            .cloned()
            .ok_or_else(|| Error::invalid(crate::tr!("tui.views.unknown", name = name)))?;
        let e = v.entity().ok_or_else(|| {
            Error::invalid(crate::tr!(
                "tui.views.kind_unknown",
                name = name,
                kind = v.kind
            ))
        })?;
        self.go(View::List(e))?;
        let mut problem = None;
        let sort = match v.sort_key() {
            Some((field, desc)) => match self.crm.custom().field(e, field) {
                Some(f) => vec![SortKey {
                    field: f.name.to_string(),
                    desc,
                }],
                None => {
                    problem = Some(crate::tr!(
                        "tui.views.sort_unknown",
                        name = name,
                        field = field
                    ));
                    vec![]
                }
            },
            None => vec![],
        };
        if let Screen::List(l) = self.screen_mut() {
            if !v.columns.is_empty() {
                l.chosen = Some(v.columns.clone());
                l.widths.clear();
            }
            l.query.sort = sort.clone();
            l.view = Some(ViewMark {
                name: v.name.clone(),
                filter: v.filter.clone(),
                sort,
            });
        }
        if let Err(err) = self.apply_filter(&v.filter) {
            problem = Some(crate::tr!(
                "tui.views.filter_failed",
                name = name,
                reason = err
            ));
        }
        match problem {
            Some(p) => Err(Error::invalid(p)),
            None => Ok(()),
        }
    }

    /// The palette's entries for the saved views (of kinds kith knows).
    pub(crate) fn view_items(&self) -> Vec<(String, String, Pick)> {
        self.interface
            .state
            .views
            .iter()
            .filter_map(|v| {
                let e = v.entity()?;
                Some((
                    crate::tr!("tui.views.entry", name = v.name),
                    kinds_name(e).to_string(),
                    Pick::View(v.name.clone()),
                ))
            })
            .collect()
    }

    /// A key in the column picker: `j`/`k` move, `space` shows or hides, `K`/`J` (or
    /// shift-↑/↓) move the column, `r` the kind's own columns, `enter` applies and keeps
    /// them for the kind, `esc` leaves them as they were.
    pub(crate) fn columns_key(&mut self, key: Key) -> Result<()> {
        let Some(Popup::Columns(p)) = self.popup.as_mut() else {
            return Ok(());
        };
        p.error = None;
        let shift = key.mods.contains(KeyModifiers::SHIFT);
        match key.code {
            KeyCode::Esc => {
                self.popup = None;
                self.ok(crate::tr!("tui.status.cancelled"));
            }
            KeyCode::Up if shift => p.shift(-1),
            KeyCode::Down if shift => p.shift(1),
            KeyCode::Char('K') => p.shift(-1),
            KeyCode::Char('J') => p.shift(1),
            KeyCode::Up | KeyCode::Char('k') => p.move_by(-1),
            KeyCode::Down | KeyCode::Char('j') => p.move_by(1),
            KeyCode::Home | KeyCode::Char('g') => p.move_by(i64::MIN / 2),
            KeyCode::End | KeyCode::Char('G') => p.move_by(i64::MAX / 2),
            KeyCode::Char(' ') => {
                if let Err(e) = p.toggle() {
                    p.error = Some(e.to_string());
                }
            }
            KeyCode::Char('r') => p.defaults(),
            KeyCode::Enter => {
                let (e, chosen) = (p.entity, (!p.is_default()).then(|| p.chosen()));
                self.popup = None;
                if let Screen::List(l) = self.screen_mut() {
                    l.chosen = chosen.clone();
                    l.widths.clear();
                }
                let kept = chosen.is_some();
                self.interface.state.set_columns(e, chosen);
                self.ok(if kept {
                    crate::tr!("tui.columns.kept", kinds = kinds_name(e))
                } else {
                    crate::tr!("tui.columns.default", kinds = kinds_name(e))
                });
                self.keep_interface();
            }
            _ => {}
        }
        Ok(())
    }
}
