//! `y`: copy the selected or shown record — its id, its name, an email or phone of it, or
//! the whole record as JSON — to the clipboard, through the terminal (see `clipboard.rs`).

use crate::core::error::Result;
use crate::model::Ty;
use crate::tui::app::{App, Popup};
use crate::tui::screens::palette::{Pick, Picker};
use crate::tui::view::{cell, field_label};

impl App {
    /// Offer what of the record can be copied.
    pub(crate) fn ask_yank(&mut self) -> Result<()> {
        let (e, id) = self.require_selected()?;
        let r = self.crm.get(e, id)?;
        let mut items = Vec::new();
        let mut add = |what: String, text: String| {
            if !text.trim().is_empty() {
                items.push((
                    what.clone(),
                    crate::tui::view::ellipsis(&text, 48),
                    Pick::Copy { what, text },
                ));
            }
        };
        add(crate::tr!("tui.yank.id").to_string(), id.to_string());
        add(field_label(e.label_field()), r.label().to_string());
        for f in self.crm.custom().fields(e) {
            let contact = matches!(f.ty, Ty::Email | Ty::Phone)
                || matches!(f.ty, Ty::List { first, .. } if first == "email" || first == "phone");
            if contact {
                add(field_label(f.name), cell(&r, f.name));
            }
        }
        let json = serde_json::to_string_pretty(&r).unwrap_or_default();
        add(crate::tr!("tui.yank.json").to_string(), json);
        self.popup = Some(Popup::Pick(Picker::new(
            crate::tr!(
                "tui.yank.title",
                kind = crate::tui::view::kind_name(e),
                id = id
            ),
            items,
        )));
        Ok(())
    }

    /// Put `text` on the clipboard (at the next frame) and say what was copied.
    pub(crate) fn copy(&mut self, what: &str, text: &str) {
        let tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
        self.clipboard = Some(crate::tui::clipboard::osc52(text, tmux));
        self.ok(crate::tr!("tui.yank.copied", what = what));
    }
}
