//! What kith writes out for people cannot act on the terminal that shows it.
//!
//! Values cannot take in control characters any more ([`crate::values::check_controls`]),
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

#[cfg(test)]
mod tests {
    use super::*;

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
