//! What the keys do in a document's lines (the `impl App` half of `screens/lines.rs`):
//! go in and out, add a line (a product from a picker, then its quantity), change the
//! selected one in its row with the totals worked out by the library as you type, and
//! take one off. Every change is the library's: [`Crm::preview_line`] works out what is
//! typed without writing it, `add_line` and `edit_line` write it on enter, and a
//! document whose lines may not change says so in its words before an editor opens.
//!
//! [`Crm::preview_line`]: crate::app::crm::Crm

use ratatui::crossterm::event::KeyCode;

use crate::app::crm::list_query;
use crate::core::error::{Error, Result};
use crate::core::money::Money;
use crate::model::Entity;
use crate::tui::app::{App, Pending, Pick, Picker, Popup, Screen};
use crate::tui::keymap::{Action, Context, Key};
use crate::tui::screens::lines::{LineEdit, Lines};
use crate::tui::view::kind_name;

/// How many products the picker of a new line offers.
const PRODUCTS_MAX: usize = 5000;

impl App {
    /// The document in front (a detail view of a kind with lines), and its lines.
    pub(crate) fn lines_in_front(&self) -> Option<(Entity, i64, &Lines)> {
        match self.screen() {
            Screen::Detail(d) => d.lines.as_ref().map(|l| (d.entity, d.id, l)),
            _ => None,
        }
    }

    fn lines_mut(&mut self) -> Option<&mut Lines> {
        match self.screen_mut() {
            Screen::Detail(d) => d.lines.as_mut(),
            _ => None,
        }
    }

    /// The document in front, or why there is none.
    fn document(&self) -> Result<(Entity, i64)> {
        self.lines_in_front()
            .map(|(e, id, _)| (e, id))
            .ok_or_else(|| Error::invalid(crate::tr!("tui.lines.not_a_document")))
    }

    /// Whether a line is being changed or added (its keys go to its fields).
    pub fn editing_line(&self) -> bool {
        self.lines_in_front()
            .is_some_and(|(_, _, l)| l.edit.is_some())
    }

    /// `i`, `n`, `e` and `d` of the lines.
    pub(crate) fn lines_key(&mut self, action: Action) -> Result<()> {
        let (e, id) = self.document()?;
        match action {
            Action::Lines => {
                if let Some(l) = self.lines_mut() {
                    l.focused = !l.focused;
                }
            }
            Action::AddLine => {
                self.crm.check_lines_open(e, id)?;
                self.pick_product()?;
            }
            Action::EditLine | Action::RemoveLine => {
                let Some((_, _, lines)) = self.lines_in_front() else {
                    return Ok(());
                };
                if !lines.focused {
                    return Err(Error::invalid(crate::tr!(
                        "tui.lines.go_in_first",
                        key = self.keymap.first_key(Action::Lines)
                    )));
                }
                let Some(line) = lines.selected_line().cloned() else {
                    return Err(Error::invalid(crate::tr!(
                        "tui.lines.none_yet",
                        key = self
                            .keymap
                            .key_in(Action::AddLine, Context::Lines)
                            .unwrap_or_default()
                    )));
                };
                let edit = LineEdit::change(&line, &lines.sheet);
                // A document whose lines may not change (a quote that was sent) says so in
                // the library's words, before anything is typed or asked.
                self.crm.check_lines_open(e, id)?;
                if action == Action::EditLine {
                    if let Some(l) = self.lines_mut() {
                        l.edit = Some(edit);
                    }
                    self.preview_line();
                } else {
                    let doc = self.crm.get(e, id)?;
                    self.popup = Some(Popup::Confirm {
                        message: crate::tr!(
                            "tui.lines.confirm_remove",
                            n = line.i64("position").unwrap_or(0),
                            description = line.label(),
                            kind = kind_name(e),
                            label = doc.label()
                        ),
                        then: Pending::RemoveLine {
                            doc: (e, id),
                            line: line.id(),
                            position: line.i64("position").unwrap_or(0),
                        },
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The picker of a new line's product: the products on sale, found by name or SKU.
    fn pick_product(&mut self) -> Result<()> {
        let products = self
            .crm
            .list(Entity::Product, &list_query(vec![], "", Some(PRODUCTS_MAX)))?;
        let items: Vec<(String, String, Pick)> = products
            .iter()
            .filter(|p| !p.bool("retired"))
            .map(|p| {
                let price = p
                    .get("price")
                    .and_then(Money::from_json)
                    .map(|m| format!("{} {}", m.grouped(), p.text("currency")))
                    .unwrap_or_default();
                let unit = p.text("unit");
                let detail = [p.text("sku"), price, unit]
                    .into_iter()
                    .filter(|s| !s.trim().is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ");
                (
                    p.label().to_string(),
                    detail,
                    Pick::LineProduct {
                        id: p.id(),
                        name: p.label().to_string(),
                    },
                )
            })
            .collect();
        if items.is_empty() {
            return Err(Error::invalid(crate::tr!(
                "tui.lines.no_products",
                action = Action::NewOf(Entity::Product).label()
            )));
        }
        self.popup = Some(Popup::Pick(Picker::new(
            crate::tr!("tui.lines.choose_product"),
            items,
        )));
        Ok(())
    }

    /// A product chosen for a new line: its row opens, for its quantity.
    pub(crate) fn picked_product(&mut self, id: i64, name: String) {
        if let Some(l) = self.lines_mut() {
            l.focused = true;
            l.edit = Some(LineEdit::add(id, name));
        }
        self.preview_line();
    }

    /// A key while a line is being edited: the form's keys move between its fields,
    /// enter (or the form's save) writes it, back leaves it unwritten; the rest edit the
    /// field, and every change is worked out again.
    pub(crate) fn line_edit_key(&mut self, key: Key) -> Result<()> {
        let action = self.keymap.action(key, Context::Form);
        let Some(edit) = self.lines_mut().and_then(|l| l.edit.as_mut()) else {
            return Ok(());
        };
        match action {
            Some(Action::NextField) => edit.next(),
            Some(Action::PrevField) => edit.prev(),
            Some(Action::Back) => {
                if let Some(l) = self.lines_mut() {
                    l.edit = None;
                }
                self.ok(crate::tr!("tui.status.not_saved"));
            }
            Some(Action::Save) => return self.writing(|app| app.save_line()),
            _ if key.code == KeyCode::Enter => return self.writing(|app| app.save_line()),
            _ => {
                if edit.fields[edit.focus].key(key).changed() {
                    self.preview_line();
                }
            }
        }
        Ok(())
    }

    /// Work out the document with what is typed (the library's preview, nothing written);
    /// what it refuses is said under the line.
    pub(crate) fn preview_line(&mut self) {
        let Some((e, id, lines)) = self.lines_in_front() else {
            return;
        };
        let Some(edit) = &lines.edit else { return };
        if edit.waits_for_quantity() {
            if let Some(edit) = self.lines_mut().and_then(|l| l.edit.as_mut()) {
                edit.preview = None;
                edit.error = None;
            }
            return;
        }
        let (line, input) = (edit.line, edit.input());
        let worked = self.crm.preview_line(e, id, line, &input);
        if let Some(edit) = self.lines_mut().and_then(|l| l.edit.as_mut()) {
            match worked {
                Ok(p) => {
                    edit.preview = Some(p);
                    edit.error = None;
                }
                Err(err) => {
                    edit.preview = None;
                    edit.error = Some(err.to_string());
                }
            }
        }
    }

    /// Enter on a line being edited: write it (what differs from the line, or the new
    /// line). What the library refuses keeps the row open with why.
    fn save_line(&mut self) -> Result<()> {
        let Some((e, id, lines)) = self.lines_in_front() else {
            return Ok(());
        };
        let Some(edit) = &lines.edit else {
            return Ok(());
        };
        let (line, input, changed) = (edit.line, edit.input(), edit.changed());
        let position = |app: &App, line_id: i64| {
            app.lines_in_front()
                .and_then(|(_, _, l)| {
                    l.sheet
                        .lines
                        .iter()
                        .find(|r| r.id() == line_id)
                        .and_then(|r| r.i64("position"))
                })
                .unwrap_or(0)
        };
        let written = match line {
            Some(l) if !changed => {
                let n = position(self, l);
                if let Some(lines) = self.lines_mut() {
                    lines.edit = None;
                }
                self.ok(crate::tr!("tui.lines.unchanged", n = n));
                return Ok(());
            }
            Some(l) => self
                .crm
                .edit_line(e, id, &format!("#{l}"), &input)
                .map(|_| l),
            None => self.crm.add_line(e, id, &input),
        };
        match written {
            Ok(l) => {
                if let Some(lines) = self.lines_mut() {
                    lines.edit = None;
                }
                self.reload_all()?;
                let n = position(self, l);
                if let Some(lines) = self.lines_mut() {
                    if let Some(at) = lines.sheet.lines.iter().position(|r| r.id() == l) {
                        lines.selected = at;
                    }
                }
                self.ok(if line.is_some() {
                    crate::tr!("tui.lines.saved", n = n)
                } else {
                    crate::tr!("tui.lines.added", n = n)
                });
                Ok(())
            }
            Err(err) if err.is_busy() => Err(err),
            Err(err) => {
                if let Some(edit) = self.lines_mut().and_then(|l| l.edit.as_mut()) {
                    edit.error = Some(err.to_string());
                }
                Ok(())
            }
        }
    }

    /// A line taken off, once confirmed: one write, which `u` takes back.
    pub(crate) fn remove_line(
        &mut self,
        doc: (Entity, i64),
        line: i64,
        position: i64,
    ) -> Result<()> {
        self.crm.remove_lines(doc.0, doc.1, &[format!("#{line}")])?;
        self.reload_all()?;
        self.ok(crate::tr!(
            "tui.lines.removed",
            n = position,
            undo = self.keymap.first_key(Action::Undo)
        ));
        Ok(())
    }
}
