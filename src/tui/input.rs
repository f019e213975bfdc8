//! A line (or lines) of text being typed, with a cursor: the one text input of the
//! interface's forms, prompts and filter line. The keys are those of a shell's line editor:
//!
//! | Keys | What they do |
//! |---|---|
//! | `←` `→`, `ctrl-b` `ctrl-f` | a character left, right |
//! | `alt-b` `alt-f`, `ctrl-←` `ctrl-→` | a word left, right |
//! | `home` `end`, `ctrl-a` `ctrl-e` | the start, the end of the line |
//! | `backspace`, `delete` | delete the character before, under the cursor |
//! | `ctrl-w`, `alt-backspace` | delete the word before the cursor |
//! | `alt-d` | delete the word after the cursor |
//! | `ctrl-u`, `ctrl-k` | delete to the start, to the end of the line |
//!
//! A word is a run of one class of characters ([`Class`]): Chinese, Japanese and Korean
//! characters, letters and digits, or punctuation; the spaces between it and the cursor go
//! with it. So `ctrl-w` at the end of `报价单 for Acme公司` deletes `公司`, then `Acme`, then
//! `for `, then `报价单 `.
//!
//! The cursor is a byte offset on a character boundary; columns are counted in terminal
//! cells, so a Chinese character moves the cursor two columns.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::core::error::Result;
use crate::tui::keymap::Key;

#[derive(Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Where the cursor is: a byte offset into `text`, on a character boundary.
    cursor: usize,
}

/// What a key did to a text input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text changed.
    Changed,
    /// Only the cursor moved.
    Moved,
    /// The key is not an editing key (or changed nothing).
    Ignored,
}

impl Edit {
    pub fn changed(self) -> bool {
        self == Edit::Changed
    }

    /// Whether the input took the key (it changed the text or moved the cursor).
    pub fn handled(self) -> bool {
        self != Edit::Ignored
    }
}

/// The classes of characters a word is made of (see the module's help).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Space,
    /// Chinese, Japanese and Korean characters.
    Cjk,
    /// Letters and digits (and `_`) of other scripts.
    Word,
    Punct,
}

impl Class {
    pub fn of(c: char) -> Class {
        if c.is_whitespace() {
            Class::Space
        } else if is_cjk(c) {
            Class::Cjk
        } else if c.is_alphanumeric() || c == '_' {
            Class::Word
        } else {
            Class::Punct
        }
    }
}

/// Han characters, kana and hangul (the punctuation of those scripts is punctuation).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF       // Hangul Jamo
        | 0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3130..=0x318F     // Hangul compatibility Jamo
        | 0x31F0..=0x31FF     // Katakana phonetic extensions
        | 0x3400..=0x4DBF     // CJK extension A
        | 0x4E00..=0x9FFF     // CJK unified ideographs
        | 0xAC00..=0xD7AF     // Hangul syllables
        | 0xF900..=0xFAFF     // CJK compatibility ideographs
        | 0xFF66..=0xFF9F     // half-width Katakana
        | 0x20000..=0x3134F // CJK extensions B to G
    )
}

impl TextInput {
    /// A text with the cursor at its end.
    pub fn new(text: impl Into<String>) -> TextInput {
        let text = text.into();
        TextInput {
            cursor: text.len(),
            text,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_string(self) -> String {
        self.text
    }

    /// The cursor's byte offset.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Replace the text; the cursor goes to its end.
    pub fn set(&mut self, text: impl Into<String>) {
        self.text = text.into();
        self.cursor = self.text.len();
    }

    /// Put the cursor at a byte offset (moved back to a character boundary).
    pub fn set_cursor(&mut self, at: usize) {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        self.cursor = at;
    }

    pub fn insert(&mut self, c: char) {
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    pub fn insert_str(&mut self, s: &str) {
        self.text.insert_str(self.cursor, s);
        self.cursor += s.len();
    }

    /// Apply a key. Enter is never an editing key here: a multi-line field inserts its line
    /// break itself ([`TextInput::insert`] of `'\n'`), and up and down are its own too
    /// ([`TextInput::line_up`]).
    pub fn key(&mut self, key: Key) -> Edit {
        let ctrl = key.mods.contains(KeyModifiers::CONTROL);
        let alt = key.mods.contains(KeyModifiers::ALT);
        let text_before = self.text.len();
        match key.code {
            KeyCode::Char('a') if ctrl => self.cursor = self.line_start(),
            KeyCode::Char('e') if ctrl => self.cursor = self.line_end(),
            KeyCode::Char('b') if ctrl => self.cursor = self.prev_char(),
            KeyCode::Char('f') if ctrl => self.cursor = self.next_char(),
            KeyCode::Char('b') if alt => self.cursor = self.word_start(),
            KeyCode::Char('f') if alt => self.cursor = self.word_end(),
            KeyCode::Char('w') if ctrl => self.delete_to(self.word_start()),
            KeyCode::Backspace if alt || ctrl => self.delete_to(self.word_start()),
            KeyCode::Char('d') if alt => self.delete_to(self.word_end()),
            KeyCode::Char('u') if ctrl => self.delete_to(self.line_start()),
            KeyCode::Char('k') if ctrl => self.delete_to(self.line_end()),
            KeyCode::Char(c) if !ctrl && !alt => {
                self.insert(c);
                return Edit::Changed;
            }
            KeyCode::Left if ctrl || alt => self.cursor = self.word_start(),
            KeyCode::Right if ctrl || alt => self.cursor = self.word_end(),
            KeyCode::Left => self.cursor = self.prev_char(),
            KeyCode::Right => self.cursor = self.next_char(),
            KeyCode::Home => self.cursor = self.line_start(),
            KeyCode::End => self.cursor = self.line_end(),
            KeyCode::Backspace => self.delete_to(self.prev_char()),
            KeyCode::Delete => self.delete_to(self.next_char()),
            _ => return Edit::Ignored,
        }
        // A key that edits with nothing to do (backspace at the start) counts as moved: it is
        // taken all the same, so it does not fall through to another meaning.
        if self.text.len() != text_before {
            Edit::Changed
        } else {
            Edit::Moved
        }
    }

    /// Delete between the cursor and `to` (before or after it).
    fn delete_to(&mut self, to: usize) {
        let (a, b) = if to < self.cursor {
            (to, self.cursor)
        } else {
            (self.cursor, to)
        };
        self.text.replace_range(a..b, "");
        self.cursor = a;
    }

    fn prev_char(&self) -> usize {
        self.text[..self.cursor]
            .char_indices()
            .next_back()
            .map(|(i, _)| i)
            .unwrap_or(0)
    }

    fn next_char(&self) -> usize {
        self.text[self.cursor..]
            .chars()
            .next()
            .map(|c| self.cursor + c.len_utf8())
            .unwrap_or(self.cursor)
    }

    /// Where the word before the cursor starts: spaces back, then the run of one class.
    fn word_start(&self) -> usize {
        let mut chars = self.text[..self.cursor].char_indices().rev().peekable();
        let mut at = self.cursor;
        while let Some(&(i, c)) = chars.peek() {
            if Class::of(c) != Class::Space {
                break;
            }
            at = i;
            chars.next();
        }
        let Some(&(_, first)) = chars.peek() else {
            return at;
        };
        let class = Class::of(first);
        for (i, c) in chars {
            if Class::of(c) != class {
                break;
            }
            at = i;
        }
        at
    }

    /// Where the word after the cursor ends: spaces on, then the run of one class.
    fn word_end(&self) -> usize {
        let rest = &self.text[self.cursor..];
        let mut chars = rest.char_indices().peekable();
        let mut at = self.cursor;
        while let Some(&(i, c)) = chars.peek() {
            if Class::of(c) != Class::Space {
                break;
            }
            at = self.cursor + i + c.len_utf8();
            chars.next();
        }
        let Some(&(_, first)) = chars.peek() else {
            return at;
        };
        let class = Class::of(first);
        for (i, c) in chars {
            if Class::of(c) != class {
                break;
            }
            at = self.cursor + i + c.len_utf8();
        }
        at
    }

    /// The start of the cursor's line.
    fn line_start(&self) -> usize {
        self.text[..self.cursor]
            .rfind('\n')
            .map(|i| i + 1)
            .unwrap_or(0)
    }

    /// The end of the cursor's line.
    fn line_end(&self) -> usize {
        self.text[self.cursor..]
            .find('\n')
            .map(|i| self.cursor + i)
            .unwrap_or(self.text.len())
    }

    /// The line the cursor is on (from 0), and its column in terminal cells.
    pub fn cursor_line_col(&self) -> (usize, usize) {
        let before = &self.text[..self.cursor];
        let line = before.matches('\n').count();
        let col = before[self.line_start()..].width();
        (line, col)
    }

    /// Move the cursor a line up (`-1`) or down (`1`), to the same column as near as the
    /// line allows. False when there is no line there (the first or the last).
    pub fn line_move(&mut self, delta: i32) -> bool {
        let (line, col) = self.cursor_line_col();
        let lines: Vec<&str> = self.text.split('\n').collect();
        let target = line as i64 + delta as i64;
        if target < 0 || target as usize >= lines.len() {
            return false;
        }
        let target = target as usize;
        let start: usize = lines[..target].iter().map(|l| l.len() + 1).sum();
        let mut at = start;
        let mut w = 0;
        for c in lines[target].chars() {
            let cw = c.width().unwrap_or(0);
            if w + cw > col {
                break;
            }
            w += cw;
            at += c.len_utf8();
        }
        self.cursor = at;
        true
    }

    /// Move a line up; false on the first line.
    pub fn line_up(&mut self) -> bool {
        self.line_move(-1)
    }

    /// Move a line down; false on the last line.
    pub fn line_down(&mut self) -> bool {
        self.line_move(1)
    }

    /// What a line of `width` cells shows of a one-line text, and the cursor's column in
    /// it: all of it if it fits, else the part that ends at the cursor (the text scrolls
    /// under a cursor past the edge).
    pub fn window(&self, width: usize) -> (String, usize) {
        let width = width.max(1);
        let before = &self.text[..self.cursor];
        let col = before.width();
        if col < width {
            return (cut_to(&self.text, width), col);
        }
        // Drop characters from the start until the cursor fits, one cell to spare.
        let mut start = 0;
        let mut w = col;
        for (i, c) in before.char_indices() {
            if w < width {
                break;
            }
            w -= c.width().unwrap_or(0);
            start = i + c.len_utf8();
        }
        (cut_to(&self.text[start..], width), w)
    }
}

/// The editor to run: `$EDITOR`, else `$VISUAL`, else `vi`. It may carry arguments
/// (`code --wait`), split as a shell splits words.
pub fn editor_command() -> String {
    ["EDITOR", "VISUAL"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".into())
}

/// Edit `text` in the editor of [`editor_command`]: see [`edit_with`].
pub fn edit_in_editor(text: &str) -> Result<String> {
    edit_with(&editor_command(), text)
}

/// Edit `text` with `command`: written to a new private file in the temporary folder
/// (mode 0600, a line end added), the command run on it and waited for, the file read back
/// and removed. The terminal must be the editor's meanwhile (the event loop leaves raw mode
/// and the alternate screen around it). An editor that cannot start or exits with a
/// failure gives an error, and the text is not used.
pub fn edit_with(command: &str, text: &str) -> Result<String> {
    use std::io::Write;
    let failed = |reason: &dyn fmt::Display| {
        crate::err!(
            Failed,
            "tui.input.editor_failed",
            command = command,
            reason = reason
        )
    };
    let words = shlex::split(command)
        .filter(|w| !w.is_empty())
        .ok_or_else(|| failed(&"?"))?;
    let dir = std::env::temp_dir();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let path = dir.join(format!("kith-{}-{stamp}.txt", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let temp_failed = |e: std::io::Error| {
        crate::err!(
            Failed,
            "tui.input.editor_temp",
            dir = dir.display(),
            reason = e
        )
    };
    let mut file = options.open(&path).map_err(temp_failed)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|_| file.write_all(if text.is_empty() { b"" } else { b"\n" }));
    drop(file);
    let result = match written {
        Err(e) => Err(temp_failed(e)),
        Ok(()) => match std::process::Command::new(&words[0])
            .args(&words[1..])
            .arg(&path)
            .status()
        {
            Ok(s) if s.success() => std::fs::read_to_string(&path).map_err(|e| failed(&e)),
            Ok(s) => Err(failed(&s)),
            Err(e) => Err(failed(&e)),
        },
    };
    let _ = std::fs::remove_file(&path);
    result
}

/// The start of `s` that fits in `width` cells.
fn cut_to(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > width {
            break;
        }
        w += cw;
        out.push(c);
    }
    out
}

impl std::ops::Deref for TextInput {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for TextInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl fmt::Display for TextInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq<str> for TextInput {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for TextInput {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl PartialEq<String> for TextInput {
    fn eq(&self, other: &String) -> bool {
        &self.text == other
    }
}

impl From<&str> for TextInput {
    fn from(s: &str) -> TextInput {
        TextInput::new(s)
    }
}

impl From<String> for TextInput {
    fn from(s: String) -> TextInput {
        TextInput::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Key {
        Key::parse(s).unwrap()
    }

    fn at(text: &str, cursor: usize) -> TextInput {
        let mut t = TextInput::new(text);
        t.set_cursor(cursor);
        t
    }

    #[test]
    fn the_cursor_moves_and_typing_goes_where_it_is() {
        let mut t = TextInput::new("Acme");
        assert_eq!(t.key(k("left")), Edit::Moved);
        assert_eq!(t.key(k("left")), Edit::Moved);
        assert_eq!(t.key(k("x")), Edit::Changed);
        assert_eq!(t.text(), "Acxme");
        t.key(k("ctrl-a"));
        assert_eq!(t.cursor(), 0);
        t.key(k("delete"));
        assert_eq!(t.text(), "cxme");
        t.key(k("ctrl-e"));
        t.key(k("backspace"));
        assert_eq!(t.text(), "cxm");
        t.key(k("home"));
        t.key(k("right"));
        t.key(k("ctrl-k"));
        assert_eq!(t.text(), "c");
        t.key(k("end"));
        t.key(k("backspace"));
        assert_eq!(t.key(k("backspace")), Edit::Moved, "taken, nothing to do");
        assert_eq!(t.text(), "");
        assert_eq!(t.key(k("tab")), Edit::Ignored);
    }

    #[test]
    fn chinese_characters_are_one_step_and_two_columns() {
        let mut t = TextInput::new("广州ab");
        t.key(k("left"));
        t.key(k("left"));
        t.key(k("left"));
        assert_eq!(t.cursor(), "广".len());
        assert_eq!(t.cursor_line_col(), (0, 2));
        t.key(k("backspace"));
        assert_eq!(t.text(), "州ab");
        t.insert('白');
        assert_eq!(t.text(), "白州ab");
        assert_eq!(t.cursor_line_col(), (0, 2));
    }

    #[test]
    fn ctrl_w_deletes_a_run_of_one_class() {
        let mut t = TextInput::new("报价单 for Acme公司");
        let mut seen = vec![];
        while !t.is_empty() {
            t.key(k("ctrl-w"));
            seen.push(t.text().to_string());
        }
        assert_eq!(seen, ["报价单 for Acme", "报价单 for ", "报价单 ", ""]);
        let mut t = TextInput::new("价格：100元");
        t.key(k("ctrl-w"));
        assert_eq!(t.text(), "价格：100");
        t.key(k("ctrl-w"));
        assert_eq!(t.text(), "价格：");
        t.key(k("ctrl-w"));
        assert_eq!(t.text(), "价格");
        // In the middle: only what is before the cursor.
        let mut t = at("hello world again", "hello world".len());
        t.key(k("ctrl-w"));
        assert_eq!(t.text(), "hello  again");
        assert_eq!(t.cursor(), "hello ".len());
        t.key(k("alt-d"));
        assert_eq!(t.text(), "hello ");
        // ctrl-u deletes to the start of the line.
        let mut t = at("first second", "first ".len());
        t.key(k("ctrl-u"));
        assert_eq!((t.text(), t.cursor()), ("second", 0));
    }

    #[test]
    fn words_move_the_cursor() {
        let mut t = TextInput::new("广州白云 airport, T2");
        t.key(k("alt-b"));
        assert_eq!(&t[t.cursor()..], "T2");
        t.key(k("alt-b"));
        assert_eq!(&t[t.cursor()..], ", T2");
        t.key(k("ctrl-left"));
        assert_eq!(&t[t.cursor()..], "airport, T2");
        t.key(k("ctrl-left"));
        assert_eq!(t.cursor(), 0);
        t.key(k("alt-f"));
        assert_eq!(&t[t.cursor()..], " airport, T2");
    }

    #[test]
    fn lines_move_up_and_down_keeping_the_column() {
        let mut t = TextInput::new("first line\n短\nthird");
        assert_eq!(t.cursor_line_col(), (2, 5));
        assert!(t.line_up());
        assert_eq!(t.cursor_line_col(), (1, 2));
        assert!(t.line_up());
        assert_eq!(t.cursor_line_col(), (0, 2));
        assert!(!t.line_up());
        t.key(k("end"));
        assert_eq!(
            t.cursor(),
            "first line".len(),
            "end of the line, not the text"
        );
        assert!(t.line_down());
        assert_eq!(t.cursor_line_col(), (1, 2));
        t.key(k("ctrl-a"));
        assert_eq!(t.cursor_line_col(), (1, 0));
        assert!(t.line_down());
        assert!(!t.line_down());
    }

    #[cfg(unix)]
    #[test]
    fn the_editor_edits_a_private_file_and_its_text_comes_back() {
        // The "editor" appends a line to the file it is given, if only its owner can read it.
        let out = edit_with(
            "sh -c '[ \"$(stat -c %a \"$0\")\" = 600 ] && printf \"second line\\n\" >> \"$0\"'",
            "first line",
        )
        .unwrap();
        assert_eq!(out, "first line\nsecond line\n");
        let err = edit_with("false", "x").unwrap_err().to_string();
        assert!(
            err.starts_with("the editor (false) did not finish well"),
            "{err}"
        );
        let err = edit_with("/no/such/editor", "x").unwrap_err().to_string();
        assert!(err.contains("the field is unchanged"), "{err}");
    }

    #[test]
    fn a_long_line_scrolls_under_the_cursor() {
        let t = TextInput::new("abcdefghij");
        assert_eq!(t.window(20), ("abcdefghij".into(), 10));
        assert_eq!(t.window(6), ("fghij".into(), 5));
        let t = TextInput::new("广州白云国际机场");
        // 16 cells; in 9 the cursor at the end needs the last four characters.
        assert_eq!(t.window(9), ("白云国际机场".chars().skip(2).collect(), 8));
        let t = at("广州白云国际机场", 0);
        assert_eq!(t.window(9), ("广州白云".into(), 0));
    }
}
