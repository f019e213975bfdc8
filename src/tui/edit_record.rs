//! `E`: the record selected (or shown) as text in `$EDITOR`. The text and reading it back
//! are the library's ([`crate::app::record_text`]); this holds what an edit in progress
//! keeps between the editor's runs, and how an error is put over the text when the editor
//! opens again (as `kubectl edit` and `git commit` do). What the key does is in
//! `actions/edit_record.rs`; the event loop hands the terminal to the editor.

use crate::app::record_text::RecordText;

/// An edit of a record as text, from `E` until it is applied or given up.
pub struct RecordEdit {
    /// The record as it was written first (what the edited text is compared with).
    pub written: RecordText,
    /// The text the editor is (or was last) given: the record's, or after an error the
    /// user's text under the error.
    pub shown: String,
    /// Why the last text was not applied (written over the text given back).
    pub error: Option<String>,
    /// The editor is to be run (the event loop takes it: [`crate::tui::App::record_editor_request`]).
    pub wants_editor: bool,
}

/// The mark of the lines an error puts at the top of the text.
const ERROR_MARK: &str = "# ✗ ";

impl RecordEdit {
    pub fn new(written: RecordText) -> RecordEdit {
        RecordEdit {
            shown: written.text.clone(),
            written,
            error: None,
            wants_editor: true,
        }
    }

    /// Give the text back to the editor with `error` over it (an earlier error's lines
    /// taken off first).
    pub fn refused(&mut self, text: &str, error: String) {
        let mut shown: String = error
            .lines()
            .map(|l| format!("{ERROR_MARK}{l}\n"))
            .collect();
        shown.push_str(without_errors(text));
        self.shown = shown;
        self.error = Some(error);
        self.wants_editor = true;
    }
}

/// A text without the error lines at its top.
pub fn without_errors(text: &str) -> &str {
    let mut rest = text;
    while rest.starts_with(ERROR_MARK) {
        rest = rest.split_once('\n').map(|(_, r)| r).unwrap_or("");
    }
    rest
}

/// Whether two texts are the same but for the line ends editors add or take away at the
/// end.
pub fn same_text(a: &str, b: &str) -> bool {
    a.trim_end_matches(['\n', '\r']) == b.trim_end_matches(['\n', '\r'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_go_over_the_text_once() {
        let text = "# account 1\nname = \"x\"\n";
        let once = format!("{ERROR_MARK}line 2: bad\n{text}");
        assert_eq!(without_errors(&once), text);
        let twice = format!("{ERROR_MARK}line 3: worse\n{once}");
        assert_eq!(without_errors(&twice), text);
        assert!(same_text("a\n", "a"));
        assert!(!same_text("a\n", "b"));
    }
}
