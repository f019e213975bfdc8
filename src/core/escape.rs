//! What kith writes out cannot act on whoever reads it: on a terminal, control characters
//! are shown by their code; in CSV and TSV for a spreadsheet, text that would run as a
//! formula is marked as text.
//!
//! Values cannot take in control characters any more ([`crate::core::values::check_controls`]),
//! but a database written by an older kith may hold them, and error messages repeat what
//! was typed. So every text face (tables, `show`, `history`, the agenda, reports, reminder
//! lines, messages) writes a control character — C0 but tab and line feed, DEL, C1 — and
//! the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069),
//! which reorder what a line seems to say, as its code in Rust's notation: ESC is shown
//! `\u{1b}`, BEL `\u{7}`, RIGHT-TO-LEFT OVERRIDE `\u{202e}`. JSON output carries values
//! exactly (JSON escapes control characters itself); the interface draws through ratatui,
//! which leaves control characters out.

use std::borrow::Cow;

/// Whether a terminal would act on `c` instead of showing it.
fn acts(c: char, keep_line_feed: bool) -> bool {
    match c {
        '\t' => false,
        '\n' => !keep_line_feed,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    }
}

fn escape(s: &str, keep_line_feed: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| acts(c, keep_line_feed)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if acts(c, keep_line_feed) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for a terminal, line feeds and tabs kept: every other control character (and bidi
/// override) written as `\u{…}`.
pub fn visible(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

/// One line for a terminal: as [`visible`], line feeds escaped too.
pub fn visible_line(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// The characters a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
const FORMULA: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a text cell, after the `'`s it starts with, starts a formula.
fn formula_after_quotes(s: &str) -> bool {
    s.trim_start_matches('\'').starts_with(FORMULA)
}

/// A text cell for CSV or TSV meant for a spreadsheet: one that would start a formula
/// (`=HYPERLINK(…)`, `+1`, `-2`, `@SUM(…)`, a tab or carriage return first) gets a leading
/// `'`, which a spreadsheet reads as "this is text", as OWASP advises. So does one that
/// already starts with `'`s and then such a character, so that [`from_spreadsheet`] gives
/// every value back exactly. Only text: numbers are written as numbers (`-500`).
pub fn spreadsheet_text(mut s: String) -> String {
    if formula_after_quotes(&s) {
        s.insert(0, '\'');
    }
    s
}

/// A cell read from CSV as [`spreadsheet_text`] wrote it: the leading `'` before a formula
/// character taken off again.
pub fn from_spreadsheet(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if formula_after_quotes(rest) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_given_back() {
        for (value, cell) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+86 20 3606 6999", "'+86 20 3606 6999"),
            ("-dash", "'-dash"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=quoted", "''=quoted"),
            ("''+1", "'''+1"),
            ("Acme = good", "Acme = good"),
            ("'quoted'", "'quoted'"),
            ("'", "'"),
            ("", ""),
            ("广州", "广州"),
        ] {
            assert_eq!(spreadsheet_text(value.to_string()), cell, "{value:?}");
            assert_eq!(from_spreadsheet(cell), value, "{cell:?}");
        }
        // A cell someone else neutralised comes in as its value too.
        assert_eq!(from_spreadsheet("'-5"), "-5");
        assert_eq!(from_spreadsheet("'plain"), "'plain");
    }

    #[test]
    fn controls_are_shown_by_their_code() {
        assert_eq!(visible("Acme 广州\tLtd\n"), "Acme 广州\tLtd\n");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(
            visible("\u{1b}]0;pwned\u{7}Evil"),
            "\\u{1b}]0;pwned\\u{7}Evil"
        );
        assert_eq!(
            visible("a\rb\0c\u{7f}d\u{9b}e"),
            "a\\u{d}b\\u{0}c\\u{7f}d\\u{9b}e"
        );
        assert_eq!(
            visible("abc\u{202e}fed\u{2066}"),
            "abc\\u{202e}fed\\u{2066}"
        );
        assert_eq!(visible_line("two\nlines"), "two\\u{a}lines");
        // Right-to-left text and its marks are text, not shown as codes.
        assert_eq!(visible("\u{200f}שלום"), "\u{200f}שלום");
        // Escaping twice changes nothing more.
        let once = visible("\u{1b}[2J").into_owned();
        assert_eq!(visible(&once), once);
    }
}
