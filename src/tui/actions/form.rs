//! What the keys do on form (the `impl App` half of `screens/form.rs`, whose state
//! and drawing stay there, below the shell).

use crate::app::crm::{list_query, Input};
use crate::app::form_reads::account_link;
use crate::core::error::Result;
use crate::domain::sales::activities::FollowUp;
use crate::model::record::Record;
use crate::model::Entity;
use crate::tui::app::{App, Pending, Popup, Screen};
use crate::tui::app::{Pick, Picker};
use crate::tui::keymap::{Action, Context, Key};
use crate::tui::screens::form::*;
use crate::tui::view::{kind_name, kinds_name};
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

impl App {
    /// The links a quick action's form starts with ([`links_from`]): those of the record
    /// selected, or shown in a detail view; none when nothing is selected.
    pub(crate) fn selected_links(&self) -> Result<Input> {
        match self.require_selected() {
            Ok((e, id)) => Ok(links_from(&self.crm.get(e, id)?)),
            Err(_) => Ok(Input::new()),
        }
    }

    /// The links of the record a detail view shows (a new record made there carries them);
    /// none elsewhere.
    pub(crate) fn shown_links(&self) -> Result<Input> {
        match self.screen() {
            Screen::Detail(d) => Ok(links_from(&d.overview.record)),
            _ => Ok(Input::new()),
        }
    }

    pub(crate) fn form_key(&mut self, key: Key) -> Result<()> {
        let action = self.keymap.action(key, Context::Form);
        let Screen::Form(form) = self.screen_mut() else {
            return Ok(());
        };
        let plain = key.mods.is_empty();
        let multiline = form
            .fields
            .get(form.focus)
            .is_some_and(FormField::multiline);
        // A multi-line field keeps enter (a new line) and, inside its text, up and down.
        if multiline {
            let value = &mut form.fields[form.focus].value;
            let taken = match key.code {
                KeyCode::Enter if plain || key.mods == KeyModifiers::ALT => {
                    value.insert('\n');
                    form.fields[form.focus].error = None;
                    true
                }
                KeyCode::Up if plain => value.line_up(),
                KeyCode::Down if plain => value.line_down(),
                _ => false,
            };
            if taken {
                return Ok(());
            }
        }
        match action {
            Some(Action::NextField) => form.next(),
            Some(Action::PrevField) => form.prev(),
            Some(Action::Back) => {
                if form.changed() {
                    self.popup = Some(Popup::Confirm {
                        message: crate::tr!("tui.input.discard").into(),
                        then: Pending::Discard,
                    });
                } else {
                    self.screens.pop();
                    self.ok(crate::tr!("tui.status.not_saved"));
                }
            }
            Some(Action::Save) => self.writing(|app| app.save_form())?,
            Some(Action::OpenInEditor) => form.wants_editor = true,
            _ if key.code == KeyCode::Enter => {
                // Enter on a link opens the picker, on a field of fixed values its chooser;
                // elsewhere it moves on.
                let field = form.focus;
                if let Some(kind) = form.focused_ref() {
                    let picker = self.link_picker(kind, field)?;
                    self.popup = Some(Popup::Pick(picker));
                } else if let Some(picker) = form.chooser(field) {
                    self.popup = Some(Popup::Pick(picker));
                } else {
                    form.next();
                }
            }
            _ => {
                let field = &mut form.fields[form.focus];
                if field.value.key(key).changed() {
                    field.picked = None;
                    field.error = None;
                }
            }
        }
        Ok(())
    }

    /// The text of the form's focused field when it asked for `$EDITOR` (once: the request
    /// is taken). The event loop then suspends the terminal, runs the editor
    /// ([`crate::tui::input::edit_in_editor`]) and gives back what it made to
    /// [`App::editor_done`].
    pub fn editor_request(&mut self) -> Option<String> {
        let Some(Screen::Form(form)) = self.screens.last_mut() else {
            return None;
        };
        if !std::mem::take(&mut form.wants_editor) {
            return None;
        }
        form.fields.get(form.focus).map(|f| f.value.to_string())
    }

    /// What the editor made of the focused field: its text replaces the field's (the line
    /// end editors add taken off; a one-line field's lines joined by spaces). An editor
    /// that failed leaves the field as it was, and says why.
    pub fn editor_done(&mut self, result: Result<String>) {
        match result {
            Ok(text) => {
                if let Some(Screen::Form(form)) = self.screens.last_mut() {
                    if let Some(f) = form.fields.get_mut(form.focus) {
                        let text = text.trim_end_matches(['\n', '\r']);
                        let text = if f.multiline() {
                            text.replace("\r\n", "\n")
                        } else {
                            text.lines().collect::<Vec<_>>().join(" ")
                        };
                        if f.value != text {
                            f.value.set(text);
                            f.picked = None;
                            f.error = None;
                        }
                    }
                }
            }
            Err(e) => self.fail(&e),
        }
    }

    /// The picker of a link field of a form: the records of its kind, each with its hint
    /// and the one the field holds selected. Once the form names an account (picked,
    /// prefilled, or typed so that it reads as a reference), a kind that links to accounts
    /// (contacts, deals, activities, tasks) lists that account's records first, under the
    /// account's name, then the others; a deal picker whose form names a contact lists the
    /// contact's deals (among its account's) before them. The account's records are read
    /// through the index on their link, not by looking through all of them.
    pub(crate) fn link_picker(&self, kind: Entity, field: usize) -> Result<Picker<Pick>> {
        let Screen::Form(form) = self.screen() else {
            return Ok(Picker::new(String::new(), vec![]));
        };
        let title = crate::tr!("tui.picker.choose", kind = kind_name(kind));
        let lookup = |e: Entity, text: &str| self.crm.lookup(e, text).map(|r| r.id());
        let held = form.fields.get(field).and_then(|f| f.picked);
        let item = |rec: &Record| {
            let detail = kind.kind().hint.map(|h| rec.text(h)).unwrap_or_default();
            // A default stage or pipeline by its name in the language (方案报价), which the
            // form takes back.
            let label = crate::model::record::name_label(kind, rec.label());
            (
                label.clone(),
                detail,
                Pick::Field {
                    field,
                    id: rec.id(),
                    label,
                },
            )
        };
        if kind == Entity::Stage {
            let stages = self.crm.pipeline_stages(form.value("pipeline"))?;
            let mut p = Picker::new(title, stages.iter().map(item).collect());
            p.select_where(|c| matches!(c, Pick::Field { id, .. } if Some(*id) == held));
            return Ok(p);
        }
        // The records to offer first: (heading, records), the narrowest first.
        let mut firsts: Vec<(String, Vec<Record>)> = Vec::new();
        if let Some(link) = account_link(kind) {
            let contact = (kind == Entity::Deal)
                .then(|| form.link_id("contact", Entity::Contact, lookup))
                .flatten()
                .and_then(|id| self.crm.get(Entity::Contact, id).ok());
            // The form's account, else (on a deal) its contact's.
            let account = form
                .link_id("account", Entity::Account, lookup)
                .or_else(|| contact.as_ref().and_then(|c| c.i64("account_id")))
                .and_then(|id| self.crm.get(Entity::Account, id).ok());
            if let Some(account) = account {
                let mut of_account =
                    self.crm
                        .linked_records(kind, link, account.id(), PICKED_FIRST)?;
                if let Some(c) = &contact {
                    let (of_contact, rest): (Vec<Record>, Vec<Record>) = of_account
                        .into_iter()
                        .partition(|r| r.i64("contact_id") == Some(c.id()));
                    of_account = rest;
                    if !of_contact.is_empty() {
                        firsts.push((group_heading(Entity::Contact, c.label()), of_contact));
                    }
                }
                firsts.push((group_heading(Entity::Account, account.label()), of_account));
            }
        }
        let rest = self
            .crm
            .list(kind, &list_query(vec![], "", Some(PICKED_MAX)))?;
        if firsts.iter().all(|(_, v)| v.is_empty()) {
            let mut p = Picker::new(title, rest.iter().map(item).collect());
            p.select_where(|c| matches!(c, Pick::Field { id, .. } if Some(*id) == held));
            return Ok(p);
        }
        let first_ids: std::collections::HashSet<i64> = firsts
            .iter()
            .flat_map(|(_, v)| v.iter().map(Record::id))
            .collect();
        let mut items = Vec::new();
        let mut group_of = Vec::new();
        let mut headings = Vec::new();
        for (heading, records) in firsts.into_iter().filter(|(_, v)| !v.is_empty()) {
            items.extend(records.iter().map(item));
            group_of.extend(std::iter::repeat_n(headings.len(), records.len()));
            headings.push(heading);
        }
        let others: Vec<&Record> = rest
            .iter()
            .filter(|r| !first_ids.contains(&r.id()))
            .collect();
        if !others.is_empty() {
            items.extend(others.iter().map(|r| item(r)));
            group_of.extend(std::iter::repeat_n(headings.len(), others.len()));
            headings.push(crate::tr!("tui.pickers.others", kinds = kinds_name(kind)).to_string());
        }
        let mut p = Picker::new(title, items).with_groups(headings, group_of);
        p.select_where(|c| matches!(c, Pick::Field { id, .. } if Some(*id) == held));
        Ok(p)
    }

    pub(crate) fn new_form(&mut self, e: Entity, prefill: Input) -> Result<()> {
        let form = Form::new(e, self.crm.custom(), &prefill, |kind, text| {
            self.crm.lookup(kind, text)
        });
        self.screens.push(Screen::Form(Box::new(form)));
        Ok(())
    }

    pub(crate) fn save_form(&mut self) -> Result<()> {
        let Screen::Form(form) = self.screen() else {
            return Ok(());
        };
        let (entity, id) = (form.entity, form.id);
        let mut input = form.input();
        // A new activity's next step: its follow-up task, in the same write.
        let next = input.take(NEXT);
        let next_due = input.take(NEXT_DUE);
        let result = match (id, next) {
            (Some(id), _) => self.crm.update(entity, id, &input).map(|_| (id, None)),
            (None, Some(title)) => {
                let follow = FollowUp {
                    title,
                    due: next_due,
                    priority: None,
                };
                self.crm.log_activity(&input, Some(&follow))
            }
            (None, None) if next_due.is_some() => {
                Err(crate::err!(Invalid, "tui.form.due_needs_next").context(NEXT))
            }
            (None, None) => self.crm.create(entity, &input).map(|id| (id, None)),
        };
        match result {
            Ok((new_id, task)) => {
                self.screens.pop();
                let kind = kind_name(entity);
                self.ok(match (id, task) {
                    (Some(_), _) => crate::tr!("tui.status.saved", kind = kind, id = new_id),
                    (None, Some(task)) => crate::tr!(
                        "tui.status.logged_with_next",
                        kind = kind,
                        id = new_id,
                        task = task
                    ),
                    (None, None) => crate::tr!("tui.status.created", kind = kind, id = new_id),
                });
                self.reload_all()?;
                if id.is_none() {
                    self.open(entity, new_id)?;
                }
                Ok(())
            }
            // Another program is writing: the save waits (the form is as it was).
            Err(e) if e.is_busy() => Err(e),
            Err(e) => {
                if let Screen::Form(form) = self.screen_mut() {
                    form.show_error(&e);
                }
                Err(e)
            }
        }
    }
}

/// How many of the records linked to the form's account (or contact) a picker offers first.
const PICKED_FIRST: usize = 1000;

/// How many records of a kind a link picker offers in all (those of the form's account
/// come on top of these).
const PICKED_MAX: usize = 5000;

/// The heading of the records a picker offers first: the record they link to, with its
/// kind ("account · 广州白云国际机场").
fn group_heading(kind: Entity, name: &str) -> String {
    crate::tr!("tui.pickers.of", kind = kind_name(kind), name = name).to_string()
}
