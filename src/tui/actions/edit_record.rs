//! What `E` does: the record selected (or shown) as text in `$EDITOR`, applied when the
//! editor exits (the `impl App` half of `tui/edit_record.rs`).

use crate::app::record_text::Applied;
use crate::core::error::{Error, Result};
use crate::model::Entity;
use crate::tui::app::App;
use crate::tui::edit_record::{same_text, without_errors, RecordEdit};
use crate::tui::view::kind_name;

impl App {
    /// `E`: write the record in front as text and ask for the editor (the event loop
    /// runs it, then calls [`App::record_editor_done`]).
    pub(crate) fn edit_record_in_editor(&mut self) -> Result<()> {
        let (e, id) = self.require_selected()?;
        if !Entity::RECORDS.contains(&e) {
            return Err(Error::invalid(crate::tr!("tui.edit_record.not_a_record")));
        }
        let written = self.crm.record_text(e, id)?;
        self.record_edit = Some(RecordEdit::new(written));
        Ok(())
    }

    /// The text to give the editor when `E` asked for it (once: the request is taken).
    pub fn record_editor_request(&mut self) -> Option<String> {
        let edit = self.record_edit.as_mut()?;
        if !std::mem::take(&mut edit.wants_editor) {
            return None;
        }
        Some(edit.shown.clone())
    }

    /// What the editor made of the record's text. Given back as it was given (or empty),
    /// nothing is written; else the fields changed are applied in one write. A text that
    /// does not read, or values refused, send the text back to the editor with why at its
    /// top; saved as it is then, the edit is given up. An editor that failed changes
    /// nothing, and says why.
    pub fn record_editor_done(&mut self, result: Result<String>) {
        let Some(edit) = self.record_edit.as_ref() else {
            return;
        };
        let text = match result {
            Ok(text) => text,
            Err(e) => {
                self.record_edit = None;
                self.fail(&e);
                return;
            }
        };
        let (e, id) = (edit.written.entity, edit.written.id);
        if without_errors(&text).trim().is_empty() || same_text(&text, &edit.shown) {
            let error = edit.error.clone();
            self.record_edit = None;
            match error {
                Some(why) => self.say(crate::tr!("tui.edit_record.given_up", why = why), true),
                None => self.ok(crate::tr!(
                    "tui.edit_record.unchanged",
                    kind = kind_name(e),
                    id = id
                )),
            }
            return;
        }
        let body = without_errors(&text).to_string();
        let r = self.writing(move |app| app.apply_record_edit(&body));
        if let Err(err) = r {
            self.fail(&err);
        }
    }

    /// Apply the text the editor gave back (again, while the database is busy).
    fn apply_record_edit(&mut self, text: &str) -> Result<()> {
        let Some(edit) = self.record_edit.as_ref() else {
            return Ok(());
        };
        let (e, id) = (edit.written.entity, edit.written.id);
        match self.crm.apply_record_text(&edit.written, text) {
            Ok(applied) => {
                self.record_edit = None;
                match applied {
                    Applied::Unchanged => self.ok(crate::tr!(
                        "tui.edit_record.unchanged",
                        kind = kind_name(e),
                        id = id
                    )),
                    Applied::Saved(fields) => self.ok(crate::tr!(
                        "tui.edit_record.saved",
                        kind = kind_name(e),
                        id = id,
                        fields = fields.join(", ")
                    )),
                }
                self.reload_all()
            }
            Err(err) if err.is_busy() => Err(err),
            Err(err) => {
                let why = err.to_string();
                if let Some(edit) = self.record_edit.as_mut() {
                    edit.refused(text, why);
                }
                self.fail(&err);
                Ok(())
            }
        }
    }
}
