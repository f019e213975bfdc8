//! A quote's verbs in the interface, on the quote shown (or selected): send, accept,
//! reject (asking why), revise (opening the new revision) and render (a format, then a
//! file). Each is the library's verb, which refuses what its rules refuse (sending without
//! lines, accepting an expired quote) in its own words, shown on the status line.

use std::path::{Path, PathBuf};

use crate::core::error::{Error, Result};
use crate::io::quote_doc::{self, Format};
use crate::model::Entity;
use crate::tui::app::{App, Pending, Pick, Picker, Popup, Screen};
use crate::tui::input::TextInput;
use crate::tui::keymap::Action;

impl App {
    /// The quote shown, else the quote selected.
    fn quote_in_front(&self) -> Result<i64> {
        let (e, id) = match self.screen() {
            Screen::Detail(d) if d.entity == Entity::Quote => (d.entity, d.id),
            _ => self
                .selected()
                .ok_or_else(|| Error::invalid(crate::tr!("tui.quote.select_a_quote")))?,
        };
        if e != Entity::Quote {
            return Err(Error::invalid(crate::tr!("tui.quote.select_a_quote")));
        }
        Ok(id)
    }

    pub(crate) fn quote_key(&mut self, action: Action) -> Result<()> {
        let id = self.quote_in_front()?;
        let q = self.crm.get(Entity::Quote, id)?;
        let number = q.label().to_string();
        match action {
            Action::SendQuote => self.writing(move |app| {
                app.crm.send_quote(id)?;
                let q = app.crm.get(Entity::Quote, id)?;
                app.reload_all()?;
                app.ok(crate::tr!(
                    "tui.quote.sent",
                    number = q.label(),
                    valid = q.text("valid_until")
                ));
                Ok(())
            }),
            Action::AcceptQuote => self.writing(move |app| {
                app.crm.decide_quote(id, true, None)?;
                app.reload_all()?;
                app.ok(crate::tr!("tui.quote.accepted", number = number.as_str()));
                Ok(())
            }),
            Action::RejectQuote if q.str("status") == Some("sent") => {
                self.popup = Some(Popup::Prompt {
                    title: crate::tr!("tui.quote.reject_ask", number = number),
                    input: TextInput::new(""),
                    then: Pending::RejectQuote(id),
                    error: None,
                });
                Ok(())
            }
            // A quote that is not waiting for an answer: the library says why not, and
            // nothing is asked for nothing.
            Action::RejectQuote => self.reject_quote(id, String::new()),
            Action::ReviseQuote => self.writing(move |app| {
                let new = app.crm.revise_quote(id, None)?;
                app.reload_all()?;
                app.open(Entity::Quote, new)?;
                let q = app.crm.get(Entity::Quote, new)?;
                app.ok(crate::tr!("tui.quote.revised", number = q.label()));
                Ok(())
            }),
            Action::RenderQuote => {
                let items = [Format::Pdf, Format::Html, Format::Md]
                    .into_iter()
                    .map(|f| {
                        let about = match f {
                            Format::Pdf => crate::tr!("tui.quote.format.pdf"),
                            Format::Html => crate::tr!("tui.quote.format.html"),
                            Format::Md => crate::tr!("tui.quote.format.md"),
                        };
                        (
                            f.extension().to_string(),
                            about.to_string(),
                            Pick::RenderAs {
                                quote: id,
                                format: f.extension().to_string(),
                            },
                        )
                    })
                    .collect();
                self.popup = Some(Popup::Pick(Picker::new(
                    crate::tr!("tui.quote.format_title", number = number),
                    items,
                )));
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Reject a quote, for the reason answered (none when left empty).
    pub(crate) fn reject_quote(&mut self, id: i64, reason: String) -> Result<()> {
        let reason = reason.trim().to_string();
        self.writing(move |app| {
            let why = (!reason.is_empty()).then_some(reason.as_str());
            app.crm.decide_quote(id, false, why)?;
            let q = app.crm.get(Entity::Quote, id)?;
            app.reload_all()?;
            app.ok(crate::tr!("tui.quote.rejected", number = q.label()));
            Ok(())
        })
    }

    /// A format chosen: ask for the file, `<number>.<ext>` in the current folder offered.
    pub(crate) fn ask_render_path(&mut self, quote: i64, format: String) -> Result<()> {
        let q = self.crm.get(Entity::Quote, quote)?;
        let name: String = q
            .label()
            .chars()
            .map(|c| if matches!(c, '/' | '\\') { '-' } else { c })
            .collect();
        self.popup = Some(Popup::Prompt {
            title: crate::tr!(
                "tui.quote.path_ask",
                number = q.label(),
                format = format.to_uppercase()
            ),
            input: TextInput::new(format!("{name}.{format}")),
            then: Pending::RenderQuote { quote, format },
            error: None,
        });
        Ok(())
    }

    /// Write the quote as a document to the file answered, and say where.
    pub(crate) fn render_quote(&mut self, quote: i64, format: &str, path: &str) -> Result<()> {
        let path = path.trim();
        if path.is_empty() {
            return Err(Error::invalid(crate::tr!("tui.quote.path_empty")));
        }
        let format = Format::from_name(format).unwrap_or(Format::Pdf);
        let doc = quote_doc::quote::of_quote(&self.crm, quote, &self.seller)?;
        let bytes = quote_doc::render(&doc, format, self.font.as_deref())?;
        let dest = where_to(Path::new(path));
        let mut out = crate::core::files::Output::create(&dest)?;
        std::io::Write::write_all(&mut out, &bytes).map_err(|e| {
            crate::err!(
                Failed,
                "files.cannot_write",
                dest = dest.display(),
                reason = e
            )
        })?;
        out.finish()?;
        self.ok(crate::tr!("tui.quote.rendered", path = dest.display()));
        Ok(())
    }
}

/// A file named relative to the current folder, as a path to show in full.
fn where_to(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    match std::env::current_dir() {
        Ok(dir) => dir.join(path),
        Err(_) => path.to_path_buf(),
    }
}
