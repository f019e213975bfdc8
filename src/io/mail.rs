//! Reading one e-mail message (RFC 5322, with MIME) into what a service case needs.
//!
//! `kith case add --from-mail FILE|-` is fed messages by mutt's `pipe-message`, aerc's
//! `:pipe`, a procmail or maildrop rule, or a `.eml` file saved from Foxmail, Outlook or
//! a webmail. [`read`] turns those bytes into a [`Mail`]: the subject, the sender, the
//! date, the Message-ID, the text and the names of the attachments, all decoded to
//! UTF-8 whatever charset and transfer encoding the sending client chose (GBK,
//! GB2312, GB18030 and Big5 included).
//!
//! The MIME work is done by the `mail-parser` crate (built with its `full_encoding`
//! feature, without which the CJK charsets silently decode as lossy UTF-8). Around it
//! this module adds what `mail-parser` leaves to its caller:
//!
//! * **Is this a message at all?** `mail-parser` is lenient by design and "parses" a
//!   PNG or a vCard into a message with no useful fields. A user who pipes the wrong
//!   file deserves to be told so, so [`read`] first checks that the input starts with
//!   an RFC 5322 header block holding a From field (`check_header_block`).
//! * **Envelope noise**: an mbox `From ` line (procmail, mutt) and a UTF-8 BOM
//!   (Windows editors) before the headers are skipped.
//! * **format=flowed** (RFC 3676, written by mutt, Thunderbird, Apple Mail): soft line
//!   breaks are joined again so a paragraph reads as one line, as the sender typed it.
//! * **HTML-only messages**: converted to readable text with paragraphs, line breaks,
//!   list items and quoted blocks (see [`html_to_text`]); `mail-parser`'s own
//!   converter only knows `<br>` and `</p>`, which runs the `<div>` lines that webmail
//!   and Outlook write into one another.

use std::fmt;

use chrono::{DateTime, Utc};
use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};

/// What a service case takes from a mail message.
///
/// Every text field is decoded to UTF-8. `None` means the message does not have the
/// field (or has it empty); it is never a placeholder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mail {
    /// The Subject, decoded (RFC 2047 encoded-words in any charset) and trimmed.
    /// Reply and forward prefixes ("Re:", "回复：", "答复:", "Fwd:", "转发:") are kept as
    /// they are: the subject is the case's title as the customer wrote it.
    pub subject: Option<String>,
    /// The display name of the first From address, decoded.
    pub from_name: Option<String>,
    /// The first From address, lower-cased so it matches a contact's email however
    /// the sender's client capitalised it. Always holds an `@`.
    pub from_email: Option<String>,
    /// The Date header, in UTC.
    pub date: Option<DateTime<Utc>>,
    /// The Message-ID, without its angle brackets.
    pub message_id: Option<String>,
    /// The text: the text/plain part if there is one (with something in it), else the
    /// HTML part converted to text. Decoded from quoted-printable or base64 and from
    /// its charset, with format=flowed soft breaks joined, CRLF turned into LF and
    /// trailing whitespace trimmed. Nothing else is removed: quoted replies and
    /// signatures stay, as they are part of what the customer sent.
    pub body: String,
    /// The file names of the attachments, decoded (RFC 2231 and RFC 2047), in the
    /// order of the message. Parts without a file name are not listed.
    pub attachments: Vec<String>,
}

/// Why some bytes could not be read as a mail message.
///
/// The English messages match kith's `mail.*` catalogue entries, named by
/// [`MailError::locale_key`], so a caller can show either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailError {
    /// Nothing to read: no bytes, or only whitespace (and perhaps an mbox line).
    Empty,
    /// The bytes are something else: `reason` says what was missing, in plain
    /// English: "binary data", "no header lines" or "no From header".
    NotAMessage { reason: String },
    /// A message, but its From header holds no address to answer.
    NoSender,
}

impl MailError {
    /// The key of this error's message in kith's catalogue (`locales/service.toml`).
    pub fn locale_key(&self) -> &'static str {
        match self {
            MailError::Empty => "mail.empty",
            MailError::NotAMessage { .. } => "mail.not_a_message",
            MailError::NoSender => "mail.no_sender",
        }
    }
}

impl fmt::Display for MailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailError::Empty => f.write_str("the message is empty"),
            MailError::NotAMessage { reason } => write!(f, "not a mail message: {reason}"),
            MailError::NoSender => f.write_str("the message names no sender (no From address)"),
        }
    }
}

impl std::error::Error for MailError {}

/// Reads one RFC 5322 message.
///
/// The input may start with a UTF-8 byte-order mark and an mbox `From ` envelope line;
/// both are skipped. It must then start with a header block that has a From field;
/// otherwise the error says what is missing. A From field without an address is
/// [`MailError::NoSender`].
pub fn parse(bytes: &[u8]) -> Result<Mail, MailError> {
    let raw = strip_envelope(bytes);
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(MailError::Empty);
    }
    check_header_block(raw).map_err(|reason| MailError::NotAMessage {
        reason: reason.to_string(),
    })?;
    let message = MessageParser::default()
        .parse(raw)
        .ok_or_else(|| MailError::NotAMessage {
            reason: "no header lines".to_string(),
        })?;

    let sender = message
        .from()
        .into_iter()
        .flat_map(|from| from.iter())
        .find_map(|addr| {
            let email = addr.address()?.trim();
            email
                .contains('@')
                .then(|| (addr.name(), email.to_lowercase()))
        });
    let Some((from_name, from_email)) = sender else {
        return Err(MailError::NoSender);
    };

    Ok(Mail {
        subject: non_empty(message.subject()),
        from_name: non_empty(from_name),
        from_email: Some(from_email),
        date: message
            .date()
            .filter(|d| d.is_valid())
            .and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0)),
        message_id: non_empty(message.message_id()),
        body: body_text(&message),
        attachments: attachment_names(&message),
    })
}

/// Trims `s`, and makes an empty result `None`.
fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Skips what may come before the headers: a UTF-8 BOM, blank lines, and one mbox
/// envelope line (`From user@host Mon Jan  1 00:00:00 2026`, as procmail and mutt pipe
/// it). The envelope line is told from a From header by the space where the header
/// has a colon.
fn strip_envelope(bytes: &[u8]) -> &[u8] {
    let mut rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    rest = skip_blank_lines(rest);
    if rest.starts_with(b"From ") {
        rest = match rest.iter().position(|&b| b == b'\n') {
            Some(end) => &rest[end + 1..],
            None => &[],
        };
    }
    skip_blank_lines(rest)
}

/// Drops leading empty lines (CR and LF only: a leading space would be a folded line).
fn skip_blank_lines(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// Checks that `raw` starts with an RFC 5322 header block that has a From field.
///
/// The block is the run of lines from the start up to the first empty line. Each is a
/// field (`Name: value`, the name printable ASCII without a colon, RFC 5322 3.6.8;
/// white space before the colon is the obsolete form, still accepted) or a folded
/// continuation (starting with a space or tab). A line that is neither ends the block
/// early, as lenient readers do. The error is the reason shown to the user.
///
/// Binary data is caught first, by its magic number or by NUL and other control bytes
/// that no mail header holds, so a PNG is "binary data", not "no header lines".
fn check_header_block(raw: &[u8]) -> Result<(), &'static str> {
    if looks_binary(raw) {
        return Err("binary data");
    }
    let mut fields = 0usize;
    let mut has_from = false;
    for line in raw.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if fields == 0 {
                return Err("no header lines");
            }
            continue;
        }
        match field_name(line) {
            Some(name) => {
                fields += 1;
                has_from |= name.eq_ignore_ascii_case(b"From");
            }
            None => break,
        }
    }
    match (fields, has_from) {
        (0, _) => Err("no header lines"),
        (_, false) => Err("no From header"),
        _ => Ok(()),
    }
}

/// The field name of a header line, if `line` is one: one or more printable ASCII
/// characters other than the colon, then optional white space, then a colon.
fn field_name(line: &[u8]) -> Option<&[u8]> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = &line[..colon];
    let end = name
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |p| p + 1);
    let name = &name[..end];
    (!name.is_empty() && name.iter().all(|&b| (33..=126).contains(&b))).then_some(name)
}

/// Whether `raw` is binary data rather than text: a known file signature, or a NUL or
/// other C0 control byte (bar tab, CR, LF, form feed, escape, which ISO-2022-JP uses,
/// and the DOS end-of-file ^Z) where the header block would be (up to the first empty
/// line, at most 8 KiB). The body is not looked at: a stray NUL there does not make a
/// message binary. Bytes above 127 are not counted: they are normal in 8-bit GBK or
/// Big5 mail.
fn looks_binary(raw: &[u8]) -> bool {
    const SIGNATURES: [&[u8]; 8] = [
        b"\x89PNG",
        b"%PDF-",
        b"\xFF\xD8\xFF",
        b"GIF8",
        b"PK\x03\x04",
        b"\x1F\x8B",
        b"\xD0\xCF\x11\xE0", // OLE: an Outlook .msg, not an .eml
        b"RIFF",
    ];
    if SIGNATURES.iter().any(|sig| raw.starts_with(sig)) {
        return true;
    }
    let head = &raw[..raw.len().min(8192)];
    let end = head
        .windows(2)
        .position(|w| w == b"\n\n" || w == b"\n\r")
        .map_or(head.len(), |p| p + 1);
    head[..end]
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A | 0x1B))
}

/// The message's text, as described at [`Mail::body`].
///
/// `mail-parser` lists the body parts to show: for multipart/alternative the
/// text/plain one, for an HTML-only message the HTML part. Several inline parts (text,
/// a picture, more text, as Apple Mail writes) are joined with a blank line. When the
/// plain parts are blank (some clients send an empty text alternative) the HTML parts
/// are used instead.
fn body_text(message: &Message<'_>) -> String {
    let from_text = join_parts(message.text_bodies());
    let text = if from_text.trim().is_empty() {
        join_parts(message.html_bodies())
    } else {
        from_text
    };
    let mut text = text.replace("\r\n", "\n");
    text.truncate(text.trim_end().len());
    text
}

/// The text of each body part (HTML converted, flowed text joined), a blank line
/// between parts.
fn join_parts<'a>(parts: impl Iterator<Item = &'a MessagePart<'a>>) -> String {
    let mut out = String::new();
    for part in parts {
        let text = match &part.body {
            PartType::Text(text) if is_flowed(part) => unflow(text, delsp(part)),
            PartType::Text(text) => text.to_string(),
            PartType::Html(html) => html_to_text(html),
            _ => continue,
        };
        let text = text.trim_end();
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(text);
    }
    out
}

/// Whether a text part is `format=flowed` (RFC 3676).
fn is_flowed(part: &MessagePart<'_>) -> bool {
    part.content_type()
        .and_then(|ct| ct.attribute("format"))
        .is_some_and(|f| f.trim().eq_ignore_ascii_case("flowed"))
}

/// Whether a flowed part says `DelSp=yes`: its soft breaks' spaces are not text.
fn delsp(part: &MessagePart<'_>) -> bool {
    part.content_type()
        .and_then(|ct| ct.attribute("delsp"))
        .is_some_and(|f| f.trim().eq_ignore_ascii_case("yes"))
}

/// Undoes format=flowed (RFC 3676 4.1–4.5): a line that ends in a space continues on
/// the next line of the same quote depth, so the two are joined (without the space if
/// `delsp`). The space that senders add after the quote marks or before a line that
/// starts with a space, `>` or `From ` (space-stuffing) is removed. The signature
/// separator `-- ` is never a soft break. Quoted lines keep their `>` marks, written as
/// `>` per level and a space.
fn unflow(text: &str, delsp: bool) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len());
    // The paragraph being joined: its quote depth and its text so far.
    let mut open: Option<(usize, String)> = None;

    fn finish(out: &mut String, depth: usize, content: &str) {
        if depth > 0 {
            out.push_str(&">".repeat(depth));
            if !content.is_empty() {
                out.push(' ');
            }
        }
        out.push_str(content);
        out.push('\n');
    }

    let lines: Vec<&str> = text.split('\n').collect();
    // A final "\n" leaves an empty last element that is not a line.
    let count = if text.ends_with('\n') {
        lines.len() - 1
    } else {
        lines.len()
    };
    for line in &lines[..count] {
        let depth = line.bytes().take_while(|&b| b == b'>').count();
        let mut content = &line[depth..];
        content = content.strip_prefix(' ').unwrap_or(content);
        let is_signature = content == "-- ";
        let soft = !is_signature && content.ends_with(' ');

        if let Some((open_depth, mut joined)) = open.take() {
            if open_depth == depth {
                joined.push_str(content);
                if soft {
                    if delsp {
                        joined.pop();
                    }
                    open = Some((depth, joined));
                } else {
                    finish(&mut out, depth, &joined);
                }
                continue;
            }
            // The quote depth changed: the open paragraph ends here (RFC 3676 4.5).
            finish(&mut out, open_depth, joined.trim_end_matches(' '));
        }
        if soft {
            let mut joined = content.to_string();
            if delsp {
                joined.pop();
            }
            open = Some((depth, joined));
        } else {
            finish(&mut out, depth, content);
        }
    }
    if let Some((depth, joined)) = open {
        finish(&mut out, depth, joined.trim_end_matches(' '));
    }
    out
}

/// The decoded file names of the message's attachments, in order.
///
/// `mail-parser` decodes RFC 2231 (`filename*=utf-8''%E5%8F%91…`, continuations too)
/// and RFC 2047 words in `name=`; the Content-Disposition file name wins over the
/// Content-Type name. A path some clients leave in the name (`C:\Users\…\a.pdf`) is cut
/// to its last part. Unnamed parts (a forwarded message/rfc822, a calendar invitation
/// without a name) are skipped: they have no file name to show.
fn attachment_names(message: &Message<'_>) -> Vec<String> {
    message
        .attachments()
        .filter_map(|part| part.attachment_name())
        .map(|name| {
            let name = name.trim();
            let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
            base.trim().to_string()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

// ---------------------------------------------------------------------------------
// HTML to text
// ---------------------------------------------------------------------------------

/// Converts an HTML body to plain text that reads like the mail did on screen.
///
/// * Block elements (`p`, `div`, headings, lists, tables, …) start new lines;
///   paragraphs, headings, lists, tables and quotes are set apart by a blank line.
/// * `<br>` is a line break; `<hr>` a line of dashes.
/// * `<li>` becomes `- ` (or `1. ` in an `<ol>`), indented two spaces per nesting.
/// * `<blockquote>` lines get `> ` in front, as a text mail quotes.
/// * A link keeps its text, and its address in `<…>` after it when that is a web
///   address the text does not already show.
/// * White space collapses as a browser collapses it, except in `<pre>`.
/// * Character references (`&amp;`, `&eacute;`, `&#8220;`, `&#x2019;`) are decoded;
///   `&nbsp;` becomes a plain space.
/// * `<head>`, `<style>`, `<script>`, `<title>`, `<template>` and comments are dropped.
///
/// It is a reader for mail, not a browser: no CSS, and malformed markup is read as
/// well as it can be, never rejected.
pub fn html_to_text(html: &str) -> String {
    let mut w = TextWriter::default();
    let mut rest = html;
    // Elements whose content is not shown, up to their end tag.
    const HIDDEN: [&str; 6] = ["head", "style", "script", "title", "template", "noscript"];

    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            w.text(rest);
            break;
        };
        w.text(&rest[..lt]);
        rest = &rest[lt..];

        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
            continue;
        }
        let Some(tag) = Tag::parse(rest) else {
            // A '<' that starts no tag ("a < b") is text.
            w.text("<");
            rest = &rest[1..];
            continue;
        };
        rest = &rest[tag.len..];

        if !tag.closing && HIDDEN.contains(&tag.name.as_str()) {
            rest = skip_to_end_tag(rest, &tag.name);
            continue;
        }
        w.tag(&tag);
    }
    w.finish()
}

/// The text after the end tag `</name>` (any case), or nothing if there is none.
fn skip_to_end_tag<'a>(rest: &'a str, name: &str) -> &'a str {
    let lower = rest.to_ascii_lowercase();
    let needle = format!("</{name}");
    match lower.find(&needle) {
        Some(start) => {
            let after = &rest[start..];
            after.find('>').map_or("", |end| &after[end + 1..])
        }
        None => "",
    }
}

/// One start or end tag.
#[derive(Debug)]
struct Tag {
    /// The element name, lower-cased (`o:p` stays `o:p`).
    name: String,
    /// Whether this is an end tag (`</p>`).
    closing: bool,
    /// The `href` attribute, for links, decoded.
    href: Option<String>,
    /// Whether this is a paragraph of Word's (`<p class=MsoNormal>`, as Outlook
    /// writes every line): it has no margins, so it is a line, not a paragraph.
    word_line: bool,
    /// The bytes the tag takes in the source, `<` to `>`.
    len: usize,
}

impl Tag {
    /// Reads the tag that `s` starts with (`s` starts with `<`), or `None` if the `<` is
    /// not followed by a tag name. Quoted attribute values may hold `>`.
    fn parse(s: &str) -> Option<Tag> {
        let bytes = s.as_bytes();
        let mut i = 1;
        let closing = bytes.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        if !bytes.get(i)?.is_ascii_alphabetic() {
            return None;
        }
        let name_start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b':' | b'-' | b'_'))
        {
            i += 1;
        }
        let name = s[name_start..i].to_ascii_lowercase();
        let attrs_start = i;
        let mut quote: Option<u8> = None;
        while i < bytes.len() {
            match (quote, bytes[i]) {
                (Some(q), b) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(bytes[i]),
                (None, b'>') => break,
                _ => {}
            }
            i += 1;
        }
        let attrs = &s[attrs_start..i.min(s.len())];
        let href = (name == "a")
            .then(|| attribute(attrs, "href"))
            .flatten()
            .map(|v| decode_entities(&v));
        let word_line = name == "p"
            && attribute(attrs, "class").is_some_and(|c| c.to_ascii_lowercase().starts_with("mso"));
        Some(Tag {
            name,
            closing,
            href,
            word_line,
            len: (i + 1).min(s.len()),
        })
    }
}

/// The value of attribute `name` in the attribute text of a tag, unquoted.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let bytes = attrs.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'/')
        {
            i += 1;
        }
        let key = &attrs[start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && matches!(bytes[i], b'"' | b'\'') {
                let q = bytes[i];
                let vstart = i + 1;
                i = vstart;
                while i < bytes.len() && bytes[i] != q {
                    i += 1;
                }
                value = attrs[vstart..i.min(attrs.len())].to_string();
                i += 1;
            } else {
                let vstart = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = attrs[vstart..i].to_string();
            }
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
    }
    None
}

/// Builds the text for [`html_to_text`]: collapses white space, keeps count of the
/// line breaks asked for, and remembers where quotes, list items and links start.
#[derive(Default)]
struct TextWriter {
    out: String,
    /// A space is due before the next word (white space was seen since the last one).
    space: bool,
    /// Depth of `<pre>`: white space is kept as it is.
    pre: usize,
    /// Open lists: `None` for `<ul>`, `Some(next number)` for `<ol>`.
    lists: Vec<Option<u32>>,
    /// Where in `out` each open `<blockquote>` starts.
    quotes: Vec<usize>,
    /// Open links: where their text starts in `out`, and their address.
    links: Vec<(usize, Option<String>)>,
    /// The open `<p>` is one of Word's lines (see [`Tag::word_line`]).
    word_line: bool,
    /// A list item's `- ` was just written: its text, not a new line, comes next,
    /// even when the item starts with a `<p>` or `<div>`.
    marker: bool,
}

impl TextWriter {
    /// Adds character data from the source (entities still encoded).
    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let text = decode_entities(raw);
        if self.pre > 0 {
            self.out.push_str(&text.replace("\r\n", "\n"));
            self.marker = false;
            return;
        }
        for ch in text.chars() {
            if ch.is_whitespace() && ch != '\u{A0}' {
                self.space = true;
                continue;
            }
            if self.space && !self.out.is_empty() && !self.out.ends_with([' ', '\n']) {
                self.out.push(' ');
            }
            self.space = false;
            self.marker = false;
            // A no-break space stays one until `finish`, so that a paragraph holding
            // only `&nbsp;` (Outlook's empty line) is not trimmed away before then.
            self.out.push(ch);
        }
    }

    /// Whether the next character would start a line.
    fn at_line_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    /// Ends the current line and makes sure `n` line ends (1: a new line, 2: a blank
    /// line) stand at the end of the text, unless the text is still empty or a list
    /// item's marker waits for its text.
    fn breaks(&mut self, n: usize) {
        self.space = false;
        if self.out.is_empty() || self.marker {
            return;
        }
        // Inside a list, a paragraph in an item does not set the items apart.
        let n = if self.lists.is_empty() { n } else { n.min(1) };
        trim_trailing_spaces(&mut self.out);
        let have = self.out.len() - self.out.trim_end_matches('\n').len();
        for _ in have..n {
            self.out.push('\n');
        }
    }

    fn tag(&mut self, tag: &Tag) {
        let name = tag.name.as_str();
        match (name, tag.closing) {
            ("br", _) => {
                trim_trailing_spaces(&mut self.out);
                self.out.push('\n');
                self.space = false;
                self.marker = false;
            }
            ("hr", _) => {
                self.breaks(2);
                self.out.push_str("----");
                self.breaks(2);
            }
            ("pre", false) => {
                self.breaks(2);
                self.pre += 1;
            }
            ("pre", true) => {
                self.pre = self.pre.saturating_sub(1);
                self.breaks(2);
            }
            ("ul", false) | ("ol", false) => {
                self.breaks(if self.lists.is_empty() { 2 } else { 1 });
                self.lists.push((name == "ol").then_some(1));
            }
            ("ul", true) | ("ol", true) => {
                self.lists.pop();
                self.breaks(if self.lists.is_empty() { 2 } else { 1 });
            }
            ("li", false) => {
                self.breaks(1);
                let depth = self.lists.len().max(1);
                self.out.push_str(&"  ".repeat(depth - 1));
                match self.lists.last_mut() {
                    Some(Some(n)) => {
                        self.out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => self.out.push_str("- "),
                }
                self.marker = true;
            }
            ("li", true) => self.breaks(1),
            ("blockquote", false) => {
                self.breaks(2);
                self.quotes.push(self.out.len());
            }
            ("blockquote", true) => {
                if let Some(start) = self.quotes.pop() {
                    self.quote_from(start);
                }
                self.breaks(2);
            }
            ("a", false) => self.links.push((self.out.len(), tag.href.clone())),
            ("a", true) => {
                if let Some((start, Some(href))) = self.links.pop() {
                    self.link_address(start, &href);
                }
            }
            // Cells of one row stay on one line, a little apart.
            ("td" | "th", false) if !self.at_line_start() => self.space = true,
            ("p", false) => {
                self.word_line = tag.word_line;
                self.breaks(if self.word_line { 1 } else { 2 });
            }
            ("p", true) => {
                self.breaks(if self.word_line { 1 } else { 2 });
                self.word_line = false;
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "dl", _)
            | ("figure" | "address" | "fieldset", _) => self.breaks(2),
            (
                "div" | "tr" | "dt" | "dd" | "section" | "article" | "header" | "footer" | "nav"
                | "aside" | "main" | "center" | "form" | "figcaption" | "caption" | "body" | "html",
                _,
            ) => self.breaks(1),
            _ => {}
        }
    }

    /// Prefixes every line from `start` to the end with `> ` (a bare `>` on an empty
    /// line), as a plain-text mail quotes.
    fn quote_from(&mut self, start: usize) {
        let quoted = self.out[start..].trim_matches('\n').to_string();
        self.out.truncate(start);
        for (i, line) in quoted.split('\n').enumerate() {
            if i > 0 {
                self.out.push('\n');
            }
            if line.is_empty() {
                self.out.push('>');
            } else if line.starts_with('>') {
                self.out.push('>');
                self.out.push_str(line);
            } else {
                self.out.push_str("> ");
                self.out.push_str(line);
            }
        }
        self.out.push('\n');
    }

    /// Writes ` <href>` after a link's text when the address is a web address the
    /// text does not already show; `mailto:` and in-page links add nothing.
    fn link_address(&mut self, start: usize, href: &str) {
        let href = href.trim();
        if !(href.starts_with("http://") || href.starts_with("https://")) {
            return;
        }
        let text = self.out.get(start..).unwrap_or("").trim();
        let bare = |s: &str| {
            s.trim_start_matches("https://")
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .to_ascii_lowercase()
        };
        if text.is_empty() || bare(text) == bare(href) {
            return;
        }
        self.out.push_str(&format!(" <{href}>"));
    }

    /// The text: spaces at line ends removed, no more than one blank line in a row,
    /// no blank lines at the start or end.
    fn finish(mut self) -> String {
        while let Some(start) = self.quotes.pop() {
            self.quote_from(start);
        }
        let mut out = String::with_capacity(self.out.len());
        let mut blank_run = 0;
        for line in self.out.replace('\u{A0}', " ").split('\n') {
            let line = line.trim_end();
            if line.is_empty() {
                blank_run += 1;
                continue;
            }
            if !out.is_empty() {
                out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
            }
            blank_run = 0;
            out.push_str(line);
        }
        out
    }
}

/// Removes spaces at the very end of `s` (not line breaks).
fn trim_trailing_spaces(s: &mut String) {
    let len = s.trim_end_matches([' ', '\t']).len();
    s.truncate(len);
}

/// Decodes HTML character references: named ones from [`named_entity`], decimal
/// `&#8220;` and hexadecimal `&#x201C;`. Numbers 128–159 are read as Windows-1252, as
/// browsers do (`&#146;` is ’). An unknown or malformed reference stays as written.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest[1..]
            .find(';')
            .filter(|&semi| semi > 0 && semi <= 32)
            .and_then(|semi| {
                let reference = &rest[1..semi + 1];
                entity(reference).map(|ch| (ch, semi + 2))
            });
        match decoded {
            Some((ch, len)) => {
                out.push_str(&ch);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of one character reference, `reference` being what stands between `&`
/// and `;`.
fn entity(reference: &str) -> Option<String> {
    if let Some(number) = reference.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse::<u32>().ok()?,
        };
        if (0x80..=0x9F).contains(&code) {
            let byte = [code as u8];
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
            return Some(text.into_owned());
        }
        return Some(
            char::from_u32(code)
                .filter(|&c| c != '\0')
                .unwrap_or(char::REPLACEMENT_CHARACTER)
                .to_string(),
        );
    }
    named_entity(reference).map(|c| c.to_string())
}

/// The named character references that mail HTML uses: markup, spaces, punctuation,
/// symbols and the Latin letters with accents (HTML 4's set, which is what mail
/// clients write). Names are case-sensitive (`&Eacute;` is É, `&eacute;` is é).
fn named_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" | "AMP" => "&",
        "lt" | "LT" => "<",
        "gt" | "GT" => ">",
        "quot" | "QUOT" => "\"",
        "apos" => "'",
        "nbsp" => "\u{A0}",
        "ensp" => "\u{2002}",
        "emsp" => "\u{2003}",
        "thinsp" => "\u{2009}",
        "zwnj" => "\u{200C}",
        "zwj" => "\u{200D}",
        "lrm" => "\u{200E}",
        "rlm" => "\u{200F}",
        "shy" => "",
        "ndash" => "–",
        "mdash" => "—",
        "lsquo" => "‘",
        "rsquo" => "’",
        "sbquo" => "‚",
        "ldquo" => "“",
        "rdquo" => "”",
        "bdquo" => "„",
        "laquo" => "«",
        "raquo" => "»",
        "lsaquo" => "‹",
        "rsaquo" => "›",
        "hellip" => "…",
        "bull" => "•",
        "middot" => "·",
        "prime" => "′",
        "Prime" => "″",
        "dagger" => "†",
        "Dagger" => "‡",
        "permil" => "‰",
        "iexcl" => "¡",
        "iquest" => "¿",
        "sect" => "§",
        "para" => "¶",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "deg" => "°",
        "plusmn" => "±",
        "times" => "×",
        "divide" => "÷",
        "micro" => "µ",
        "frac14" => "¼",
        "frac12" => "½",
        "frac34" => "¾",
        "sup1" => "¹",
        "sup2" => "²",
        "sup3" => "³",
        "ordf" => "ª",
        "ordm" => "º",
        "not" => "¬",
        "macr" => "¯",
        "acute" => "´",
        "cedil" => "¸",
        "uml" => "¨",
        "brvbar" => "¦",
        "curren" => "¤",
        "cent" => "¢",
        "pound" => "£",
        "yen" => "¥",
        "euro" => "€",
        "larr" => "←",
        "rarr" => "→",
        "uarr" => "↑",
        "darr" => "↓",
        "harr" => "↔",
        "rArr" => "⇒",
        "minus" => "−",
        "le" => "≤",
        "ge" => "≥",
        "ne" => "≠",
        "asymp" => "≈",
        "infin" => "∞",
        "hearts" => "♥",
        "check" => "✓",
        "Agrave" => "À",
        "Aacute" => "Á",
        "Acirc" => "Â",
        "Atilde" => "Ã",
        "Auml" => "Ä",
        "Aring" => "Å",
        "AElig" => "Æ",
        "Ccedil" => "Ç",
        "Egrave" => "È",
        "Eacute" => "É",
        "Ecirc" => "Ê",
        "Euml" => "Ë",
        "Igrave" => "Ì",
        "Iacute" => "Í",
        "Icirc" => "Î",
        "Iuml" => "Ï",
        "ETH" => "Ð",
        "Ntilde" => "Ñ",
        "Ograve" => "Ò",
        "Oacute" => "Ó",
        "Ocirc" => "Ô",
        "Otilde" => "Õ",
        "Ouml" => "Ö",
        "Oslash" => "Ø",
        "OElig" => "Œ",
        "Scaron" => "Š",
        "Ugrave" => "Ù",
        "Uacute" => "Ú",
        "Ucirc" => "Û",
        "Uuml" => "Ü",
        "Yacute" => "Ý",
        "Yuml" => "Ÿ",
        "THORN" => "Þ",
        "szlig" => "ß",
        "agrave" => "à",
        "aacute" => "á",
        "acirc" => "â",
        "atilde" => "ã",
        "auml" => "ä",
        "aring" => "å",
        "aelig" => "æ",
        "ccedil" => "ç",
        "egrave" => "è",
        "eacute" => "é",
        "ecirc" => "ê",
        "euml" => "ë",
        "igrave" => "ì",
        "iacute" => "í",
        "icirc" => "î",
        "iuml" => "ï",
        "eth" => "ð",
        "ntilde" => "ñ",
        "ograve" => "ò",
        "oacute" => "ó",
        "ocirc" => "ô",
        "otilde" => "õ",
        "ouml" => "ö",
        "oslash" => "ø",
        "oelig" => "œ",
        "scaron" => "š",
        "ugrave" => "ù",
        "uacute" => "ú",
        "ucirc" => "û",
        "uuml" => "ü",
        "yacute" => "ý",
        "yuml" => "ÿ",
        "thorn" => "þ",
        "fnof" => "ƒ",
        "circ" => "ˆ",
        "tilde" => "˜",
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "mu" => "μ",
        "pi" => "π",
        "Omega" => "Ω",
        _ => return None,
    })
}

/// A mail message as kith reads it for `kith case add --from-mail`: [`parse`], its
/// refusals as kith's errors (bad input, exit 2).
pub fn read(bytes: &[u8]) -> crate::core::error::Result<Mail> {
    parse(bytes).map_err(|e| match e {
        MailError::Empty => crate::err!(Invalid, "mail.empty"),
        MailError::NotAMessage { reason } => {
            crate::err!(Invalid, "mail.not_a_message", reason = reason)
        }
        MailError::NoSender => crate::err!(Invalid, "mail.no_sender"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn not_a_message(bytes: &[u8]) -> String {
        match parse(bytes) {
            Err(MailError::NotAMessage { reason }) => reason,
            other => panic!("expected NotAMessage, got {other:?}"),
        }
    }

    #[test]
    fn bom_and_envelope_line_are_skipped() {
        let mail = parse(
            b"\xEF\xBB\xBFFrom a@b.example Mon Jan  1 00:00:00 2026\r\n\
              From: A <A@B.example>\r\nSubject: hi\r\n\r\nbody\r\n",
        )
        .unwrap();
        assert_eq!(mail.from_email.as_deref(), Some("a@b.example"));
        assert_eq!(mail.subject.as_deref(), Some("hi"));
        assert_eq!(mail.body, "body");
    }

    #[test]
    fn header_block_rules() {
        assert_eq!(
            not_a_message(b"Hello there, my order\nis late.\n"),
            "no header lines"
        );
        assert_eq!(
            not_a_message(b" folded: first\nFrom: a@b.c\n"),
            "no header lines"
        );
        assert_eq!(
            not_a_message(b"Subject: x\n\nFrom: a@b.c\n"),
            "no From header"
        );
        assert_eq!(not_a_message(b"\x00\x01\x02From: a@b.c"), "binary data");
        assert_eq!(not_a_message(b"F\0r\0o\0m\0:\0"), "binary data"); // UTF-16
                                                                      // A NUL in the body does not make a message binary.
        assert_eq!(parse(b"From: a@b.c\n\nx\0y").unwrap().body, "x\0y");
        // Folded lines and the obsolete space before the colon are header lines.
        let mail = parse(b"Subject: a\n long one\nFROM : x <X@Y.example>\n\ntext").unwrap();
        assert_eq!(mail.subject.as_deref(), Some("a long one"));
        assert_eq!(mail.from_email.as_deref(), Some("x@y.example"));
    }

    #[test]
    fn empty_inputs() {
        assert_eq!(parse(b""), Err(MailError::Empty));
        assert_eq!(parse(b" \r\n\n"), Err(MailError::Empty));
        assert_eq!(parse(b"\xEF\xBB\xBF"), Err(MailError::Empty));
        assert_eq!(
            parse(b"From a@b Mon Jan  1 00:00:00 2026\n"),
            Err(MailError::Empty)
        );
    }

    #[test]
    fn sender_without_address() {
        assert_eq!(parse(b"From: <>\n\nbounce"), Err(MailError::NoSender));
        assert_eq!(
            parse(b"From: undisclosed-recipients:;\n\nx"),
            Err(MailError::NoSender)
        );
    }

    #[test]
    fn errors_read_in_plain_english() {
        assert_eq!(MailError::Empty.to_string(), "the message is empty");
        assert_eq!(
            MailError::NotAMessage {
                reason: "no From header".into()
            }
            .to_string(),
            "not a mail message: no From header"
        );
        assert_eq!(
            MailError::NoSender.to_string(),
            "the message names no sender (no From address)"
        );
        assert_eq!(MailError::NoSender.locale_key(), "mail.no_sender");
    }

    #[test]
    fn unflow_joins_soft_breaks_per_quote_depth() {
        let text = "> one \n> two\n>> deep \n>> er\nplain \nline\n-- \nsig\n";
        assert_eq!(
            unflow(text, false),
            "> one two\n>> deep er\nplain line\n-- \nsig\n"
        );
        // DelSp=yes: the space of a soft break is not text (CJK text is written so).
        assert_eq!(unflow("你好 \n世界\n", true), "你好世界\n");
        // A soft break before a change of quote depth ends the paragraph.
        assert_eq!(unflow("> end \nnew\n", false), "> end\nnew\n");
        // Space-stuffing is undone; an empty quoted line stays a bare '>'.
        assert_eq!(unflow(" From me\n>\n", false), "From me\n>\n");
    }

    #[test]
    fn html_blocks_breaks_and_entities() {
        let html = "<div>Hi&nbsp;there,</div><div><br></div><div>line&nbsp;two<br>three</div>\
                    <p>A &amp; B &lt;c&gt; &#8220;q&#8221; &#x2019; &#146; &bogus; &eacute;</p>";
        assert_eq!(
            html_to_text(html),
            "Hi there,\n\nline two\nthree\n\nA & B <c> “q” ’ ’ &bogus; é"
        );
    }

    #[test]
    fn html_lists_quotes_links_pre() {
        let html = "<p>See <a href=\"https://x.example/a\">the page</a> or \
                    <a href=\"https://x.example/\">x.example</a> or \
                    <a href=\"mailto:a@b.example\">mail</a>.</p>\
                    <ol><li>one</li><li>two<ul><li>inner</li></ul></li></ol>\
                    <blockquote><p>quoted</p><p>more</p></blockquote>\
                    <pre>  keep   this\n  as is</pre><table><tr><td>a</td><td>b</td></tr></table>";
        assert_eq!(
            html_to_text(html),
            "See the page <https://x.example/a> or x.example or mail.\n\n\
             1. one\n2. two\n  - inner\n\n\
             > quoted\n>\n> more\n\n\
             \u{20}\u{20}keep   this\n  as is\n\na b"
        );
    }

    #[test]
    fn html_list_items_holding_blocks() {
        let html =
            "<ul>\n  <li><p>first</p></li>\n  <li> <div>second</div> </li>\n</ul><p>after</p>";
        assert_eq!(html_to_text(html), "- first\n- second\n\nafter");
    }

    /// Cut markup and odd bytes anywhere: the reader must never panic (it slices
    /// strings at byte offsets, so a cut inside a character would).
    #[test]
    fn never_panics_on_cut_or_odd_input() {
        let html = "<p a='>' b=\"é\" = é>Ünïcødé &eacute &#xZZ; &#99999999; <a href=é>链接</a>\
                    <blockquote><li>项<pre>x</blockquote><ol><li><hr><br/><td>表</p><!-- ";
        for cut in 0..=html.len() {
            if html.is_char_boundary(cut) {
                html_to_text(&html[..cut]);
                let _ = parse(
                    format!(
                        "From: a@b.example\nContent-Type: text/html\n\n{}",
                        &html[..cut]
                    )
                    .as_bytes(),
                );
            }
        }
        let mut seed: u32 = 12345;
        let source = b"From: a@b.c\r\n =?gbk?B?1cXV3Q==?= \xb3\x5c<>&;=\r\n\r\n--";
        for _ in 0..2000 {
            let mut bytes = Vec::new();
            for _ in 0..(seed % 64) {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                bytes.push(source[(seed >> 16) as usize % source.len()]);
            }
            let _ = parse(&bytes);
            html_to_text(&String::from_utf8_lossy(&bytes));
            unflow(&String::from_utf8_lossy(&bytes), seed.is_multiple_of(2));
        }
    }

    #[test]
    fn html_outlook_word_paragraphs_are_lines() {
        let html = "<div class=WordSection1><p class=MsoNormal>Hello,<o:p></o:p></p>\
                    <p class=MsoNormal><o:p>&nbsp;</o:p></p>\
                    <p class=MsoNormal>Text.<o:p></o:p></p>\
                    <p class=MsoNormal><o:p>&nbsp;</o:p></p>\
                    <p class=MsoNormal>Regards,<o:p></o:p></p>\
                    <p class=MsoNormal>Wang Fang<o:p></o:p></p></div><p>Other</p>";
        assert_eq!(
            html_to_text(html),
            "Hello,\n\nText.\n\nRegards,\nWang Fang\n\nOther"
        );
    }

    #[test]
    fn html_hidden_parts_and_stray_angle_brackets() {
        let html = "<html><head><title>T</title><style>p{x:1}</style></head>\
                    <body><script>var a = '<p>';</script><!-- c -->1 < 2 <b>bold</b></body></html>";
        assert_eq!(html_to_text(html), "1 < 2 bold");
    }
}

/// The messages of tests/data/mail, as the clients they are named after write them.
#[cfg(test)]
mod fixtures {
    // Reads the messages in tests/data (written by tests/data/make.py, each as the client
    // it is named after writes them) and checks every decoded field against values
    // written out by hand.

    use super::{parse as read, Mail, MailError};
    use chrono::{DateTime, TimeZone, Utc};

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/data/mail/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn mail(name: &str) -> Mail {
        read(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap())
    }

    fn reason(name: &str) -> String {
        match read(&fixture(name)) {
            Err(MailError::NotAMessage { reason }) => reason,
            other => panic!("{name}: expected NotAMessage, got {other:?}"),
        }
    }

    #[test]
    fn foxmail_gbk_base64() {
        let m = mail("foxmail_gbk.eml");
        assert_eq!(
            m.subject.as_deref(),
            Some("订单 20260108-3321 迟迟未发货，请尽快处理")
        );
        // 喆 is GBK, not GB2312: the name decodes only with a real GBK decoder.
        assert_eq!(m.from_name.as_deref(), Some("张喆"));
        assert_eq!(m.from_email.as_deref(), Some("zhang.wei@example.cn"));
        assert_eq!(m.date, utc(2026, 1, 13, 1, 41, 27));
        assert_eq!(
            m.message_id.as_deref(),
            Some("202601130941271238516@example.cn")
        );
        assert_eq!(
            m.body,
            "您好：\n\
             \n\
             我在 1 月 8 日下的订单（订单号 20260108-3321）到现在还没有发货，\n\
             页面上一直显示“备货中”。当时客服承诺 48 小时内发出，已经过去五天了。\n\
             \n\
             这批货是给客户准备的年会礼品，1 月 20 日之前必须收到，否则只能退款。\n\
             请尽快给我一个明确的发货时间。\n\
             \n\
             张喆\n\
             上海喆联贸易有限公司\n\
             电话：021-5555 0123"
        );
        assert!(m.attachments.is_empty());
    }

    #[test]
    fn netease_163_gb2312_quoted_printable_alternative() {
        let m = mail("163_gb2312_qp.eml");
        // The full-width "回复：" prefix is kept; the subject is two folded Q-words.
        assert_eq!(
            m.subject.as_deref(),
            Some("回复：发票抬头需要修改（订单 20251230-0087）")
        );
        assert_eq!(m.from_name.as_deref(), Some("李娜"));
        assert_eq!(m.from_email.as_deref(), Some("lina_2026@163.com"));
        // "+0800 (CST)": the comment after the zone is ignored.
        assert_eq!(m.date, utc(2026, 1, 14, 8, 5, 12));
        assert_eq!(
            m.message_id.as_deref(),
            Some("6a1b2c3d.4e5f.19bb0c1d2e3.Coremail.lina_2026@163.com")
        );
        // The text/plain alternative, whose QP soft breaks split GB2312 characters.
        assert_eq!(
            m.body,
            "王经理：\n\
             \n\
             您好！上周开的发票抬头写错了，应为“杭州明远科技有限公司”，税号 91330106MA2K0XXXX8。麻烦重新开具，旧发票我会寄回。\n\
             \n\
             谢谢！\n\
             李娜"
        );
        // The HTML alternative is not an attachment.
        assert!(m.attachments.is_empty());
    }

    #[test]
    fn outlook_mixed_alternative_with_pdf() {
        let m = mail("outlook_mixed_pdf.eml");
        assert_eq!(
            m.subject.as_deref(),
            Some("答复: 退款申请 #4521 的进度（已提交三次，请尽快回复）")
        );
        assert_eq!(m.from_name.as_deref(), Some("王芳"));
        // Outlook keeps the directory's capitals; kith matches on lower case.
        assert_eq!(
            m.from_email.as_deref(),
            Some("wang.fang@contoso-example.com")
        );
        assert_eq!(m.date, utc(2026, 1, 15, 2, 13, 45));
        // Folded onto its own line by Outlook.
        assert_eq!(
            m.message_id.as_deref(),
            Some(
                "TYCPR01MB12345ABCD6E7F8A9B0C1D2E3F4A5B6C7D8@TYCPR01MB12345.jpnprd01.prod.outlook.com"
            )
        );
        assert_eq!(
            m.body,
            "您好，\n\
             \n\
             我们在 12 月 20 日提交的退款申请（编号 #4521）至今没有进展，这已经是第三次询问了。附件是当时的发票，退款金额 = ¥12,800.00，请核对。\n\
             \n\
             Best regards,\n\
             王芳 | Wang Fang\n\
             采购部 Purchasing – Contoso China\n\
             Tel: +86 10 5555 0199"
        );
        // filename*=utf-8''%E5%8F%91%E7%A5%A8.pdf (RFC 2231).
        assert_eq!(m.attachments, vec!["发票.pdf".to_string()]);
    }

    #[test]
    fn html_only_base64_reads_as_text() {
        let m = mail("html_only_base64.eml");
        assert_eq!(
            m.subject.as_deref(),
            Some("Colis endommagé – commande KX-2231")
        );
        assert_eq!(m.from_name.as_deref(), Some("Émilie Dubois"));
        assert_eq!(m.from_email.as_deref(), Some("emilie.dubois@example.fr"));
        assert_eq!(m.date, utc(2026, 1, 16, 17, 45, 0));
        assert_eq!(
            m.message_id.as_deref(),
            Some("contact-8812.1768585500@shop.example")
        );
        assert_eq!(
            m.body,
            "Bonjour,\n\
             \n\
             Mon colis « KX-2231 » est arrivé abîmé — le carton était écrasé & deux tasses étaient cassées.\n\
             Date de commande : 3 janvier 2026\n\
             Suivi : KX-2231 <https://track.example/KX-2231>\n\
             \n\
             - Tasse bleue × 2\n\
             - Soucoupe “Lin”\n\
             \n\
             Pouvez-vous m’envoyer des remplacements ? Prix < 30 €.\n\
             \n\
             Merci,\n\
             Émilie Dubois\n\
             \n\
             Envoyé depuis le formulaire de contact"
        );
        assert!(m.attachments.is_empty());
    }

    #[test]
    fn mutt_procmail_mbox_line_and_format_flowed() {
        let m = mail("mutt_flowed.eml");
        assert_eq!(
            m.subject.as_deref(),
            Some("Re: [kith #88] Printer still jams after the firmware update")
        );
        assert_eq!(m.from_name.as_deref(), Some("Emily Carter"));
        assert_eq!(m.from_email.as_deref(), Some("emily.carter@example.org"));
        // 08:29:51 -0500, not the envelope line's 13:29:52.
        assert_eq!(m.date, utc(2026, 1, 12, 13, 29, 51));
        assert_eq!(
            m.message_id.as_deref(),
            Some("aWQx8k2Lm9pTz3vB@lab.example.org")
        );
        // Soft breaks joined, the quote kept (and joined within itself), " From"
        // unstuffed, the "-- " signature separator kept with its space.
        assert_eq!(
            m.body,
            "On Fri, Jan 09, 2026 at 10:02:11AM +0000, Kith Support wrote:\n\
             > Please install firmware 4.2.1 and tell us whether the paper jams continue.\n\
             \n\
             I installed 4.2.1 on Friday as you suggested. The printer still jams on the second sheet of every duplex job, and the display shows error E-204.\n\
             \n\
             From here on I will send all jobs single-sided.\n\
             \n\
             Could someone come and look at it this week?\n\
             \n\
             Emily\n\
             \n\
             -- \n\
             Emily Carter, Lab Manager\n\
             Example Research Lab"
        );
        assert!(m.attachments.is_empty());
    }

    #[test]
    fn qq_gb18030_eight_bit() {
        let m = mail("qq_gb18030_8bit.eml");
        // 䶮 and 𠀾 are four-byte GB18030 sequences, outside GBK.
        assert_eq!(m.subject.as_deref(), Some("刘䶮：保修卡上的名字打错了"));
        assert_eq!(m.from_name.as_deref(), Some("刘䶮"));
        assert_eq!(m.from_email.as_deref(), Some("10086123@qq.com"));
        assert_eq!(m.date, utc(2026, 1, 17, 13, 3, 9));
        assert_eq!(
            m.message_id.as_deref(),
            Some("tencent_5F1D2A3B4C5D6E7F8A9B0C1D2E3F@qq.com")
        );
        assert_eq!(
            m.body,
            "你好，保修卡上我的名字印成了“刘言”，正确的是“刘䶮”（䶮 读 yǎn）。\n\
             另外店名里的“𠀾”也显示不出来。请帮忙更正，谢谢。"
        );
    }

    #[test]
    fn outlook_big5_base64() {
        let m = mail("outlook_big5.eml");
        assert_eq!(m.subject.as_deref(), Some("請問保固期限"));
        // 許 is B3 5C in Big5: a backslash as its second byte.
        assert_eq!(m.from_name.as_deref(), Some("許志明"));
        assert_eq!(m.from_email.as_deref(), Some("hsu.cm@example.com.tw"));
        assert_eq!(m.date, utc(2026, 1, 19, 2, 15, 0));
        assert_eq!(
            m.message_id.as_deref(),
            Some("000001dc8a2b$3c4d5e60$b4e81b20$@example.com.tw")
        );
        assert_eq!(
            m.body,
            "您好：\n\n我的機器序號是 TW-7731，請問保固到什麼時候？\n\n許志明 敬上"
        );
    }

    #[test]
    fn thunderbird_rfc2231_continued_file_name() {
        let m = mail("thunderbird_2231.eml");
        // Only the last word is encoded.
        assert_eq!(
            m.subject.as_deref(),
            Some("Reklamation: Lieferung unvollständig")
        );
        assert_eq!(m.from_name.as_deref(), Some("Jürgen Müller"));
        assert_eq!(m.from_email.as_deref(), Some("juergen.mueller@example.de"));
        assert_eq!(m.date, utc(2026, 1, 20, 6, 58, 3));
        assert_eq!(
            m.body,
            "Guten Tag,\n\
             \n\
             in der Lieferung vom 15.01. fehlen zwei Kartons. Die Übersicht liegt bei.\n\
             \n\
             Grüße\n\
             Jürgen Müller"
        );
        // filename*0*=UTF-8''…; filename*1*=… joined.
        assert_eq!(m.attachments, vec!["客户投诉记录汇总.xlsx".to_string()]);
    }

    #[test]
    fn no_body_has_carriage_returns_or_trailing_space() {
        for name in [
            "foxmail_gbk.eml",
            "163_gb2312_qp.eml",
            "outlook_mixed_pdf.eml",
            "html_only_base64.eml",
            "mutt_flowed.eml",
            "qq_gb18030_8bit.eml",
            "outlook_big5.eml",
            "thunderbird_2231.eml",
        ] {
            let body = mail(name).body;
            assert!(!body.contains('\r'), "{name}");
            assert_eq!(body.trim_end(), body, "{name}");
            assert!(!body.contains('\u{FFFD}'), "{name}: undecoded bytes");
        }
    }

    #[test]
    fn png_is_binary_data() {
        assert_eq!(reason("not_tiny.png"), "binary data");
    }

    #[test]
    fn pdf_is_binary_data() {
        assert_eq!(reason("not_invoice.pdf"), "binary data");
    }

    #[test]
    fn paragraph_of_text_has_no_header_lines() {
        assert_eq!(reason("not_paragraph.txt"), "no header lines");
    }

    #[test]
    fn csv_has_no_header_lines() {
        assert_eq!(reason("not_contacts.csv"), "no header lines");
    }

    #[test]
    fn vcard_has_no_from_header() {
        // "BEGIN:VCARD" and "FN:Zhang Wei" look like header fields; none is From.
        assert_eq!(reason("not_contact.vcf"), "no From header");
    }

    #[test]
    fn headers_without_from() {
        assert_eq!(reason("not_headers_no_from.eml"), "no From header");
    }

    #[test]
    fn empty_file() {
        assert_eq!(read(&fixture("not_empty.eml")), Err(MailError::Empty));
    }

    #[test]
    fn from_without_address_is_no_sender() {
        assert_eq!(read(&fixture("no_sender.eml")), Err(MailError::NoSender));
    }
}
