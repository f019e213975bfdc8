//! vCard reading and writing (RFC 2426 for 3.0, RFC 6350 for 4.0, and the 2.1 that
//! Outlook and old phones still export), for importing and exporting contacts.
//!
//! Pure: text in, [`Card`]s out, and back. Matching cards to accounts and contacts is the
//! caller's business.
//!
//! Reading:
//! - Any number of `BEGIN:VCARD` … `END:VCARD` in a file (in any case, with or without a
//!   group: `home.begin:vcard`); text between cards is ignored.
//!   CRLF or LF line ends (a CR alone inside a line is part of the value), or lone CR in a
//!   file without LF; property names and parameter names are case-insensitive; groups
//!   (`item1.EMAIL`) are dropped from the name.
//! - Encodings ([`read`]): a byte-order mark says UTF-8 or UTF-16 (UTF-32 is refused);
//!   without one, a file that is valid UTF-8 is UTF-8 throughout. Otherwise each property
//!   is read in its `CHARSET` (vCard 2.1: `CHARSET=SHIFT_JIS`, `CHARSET=Windows-1252`),
//!   else as UTF-8 where its bytes are, else in the encoding chardetng detects from the
//!   file's other bytes (raw 8-bit text). A property whose bytes are not valid in its
//!   encoding is an error of its card only. Kept properties lose their `CHARSET`: their
//!   value is text now, and [`write()`] writes UTF-8.
//! - Folded lines (a line starting with a space or tab continues the previous one, minus
//!   that one character) and quoted-printable soft line breaks (`=` at the end of a line of
//!   a `QUOTED-PRINTABLE` property) are joined. Quoted-printable values are decoded in
//!   their `CHARSET` (without one: UTF-8, else the file's detected encoding).
//! - `PHOTO`, `LOGO` and `SOUND` are skipped (counted in [`Card::skipped_media`]), and so
//!   are unfolded base64 lines that follow them (2.1 style).
//! - The card's name is `FN`, else built from `N` (`王;芳` → `王芳`; `Doe;Jane` →
//!   `Jane Doe`), else the first component of `ORG`, else the first email, else the first
//!   phone. A card with none of those is an error.
//! - Properties kith has no field for go to [`Card::extra`] as written: the name with its
//!   parameters (without the group, and without `ENCODING`/`CHARSET` when the value was
//!   decoded), and the value still escaped. So does a second `FN`, `TITLE`, … and a `BDAY`
//!   without a year. Two are kept only when kith cannot rebuild them: an `N` that differs
//!   from what [`write()`] builds from the name (e.g. `Smith;John;Q.;Dr.;`), and an `ORG`
//!   with units (`Acme;Sales`). [`write()`] puts those in place of the ones it would build.
//! - Errors ([`VcardError`], with the 1-based line in the file): a card without
//!   `END:VCARD` (the line of its `BEGIN`), a property line without `:`, a card with
//!   nothing to call it. [`parse_each`] keeps going past a bad card; [`parse`] stops.
//!
//! Writing ([`write()`]): CRLF, lines folded at 75 octets without splitting a character
//! and away from spaces where it can ([`crate::io::fold`]),
//! text escaped (`\\`, `\n`, `\,`, `\;`), `VERSION` then `PRODID`, `FN`, `N`, `ORG`,
//! `TITLE`, `ROLE`, `EMAIL` (`TYPE=work`, the first preferred), `TEL` (the first
//! preferred), `URL`, `ADR` (the whole line as the street), `BDAY` (`YYYYMMDD`, the basic
//! format both RFCs accept, the only one RFC 6350 does), `NOTE`, `CATEGORIES`, `UID`
//! (`VALUE=text` in 4.0, where the default is a URI), then the extras.

use serde::{Deserialize, Serialize};

/// One contact as a vCard holds it, in kith's terms.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// `FN`, else built from `N` (family + given; CJK without a space).
    pub name: String,
    /// First component of `ORG`.
    pub org: Option<String>,
    pub title: Option<String>,
    pub role: Option<String>,
    /// Every `EMAIL` in order, preferred ones (`PREF=1`, `TYPE=pref`) first.
    pub emails: Vec<String>,
    /// Every `TEL` in order, preferred first; `tel:` URIs as plain numbers
    /// (`tel:+1-555-0100;ext=12` → `+1-555-0100 x12`).
    pub phones: Vec<String>,
    pub urls: Vec<String>,
    /// Every `ADR` on one line: "street, city, region, postcode, country", empty parts left out.
    pub addresses: Vec<String>,
    /// `BDAY` as `YYYY-MM-DD` when it has a year; a birthday without one stays in `extra`.
    pub birthday: Option<String>,
    pub notes: Option<String>,
    pub categories: Vec<String>,
    pub uid: Option<String>,
    /// Properties kith has no field for, as (name with parameters, value as written).
    pub extra: Vec<(String, String)>,
    /// How many `PHOTO`, `LOGO` and `SOUND` properties were skipped.
    pub skipped_media: usize,
}

/// What is wrong with a vCard file, and on which line (1-based, physical).
#[derive(Debug, Clone, PartialEq)]
pub struct VcardError {
    pub line: usize,
    /// Why, in the user's language (from the catalog).
    pub reason: String,
}

impl std::fmt::Display for VcardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::tr!(
            "vcard.error",
            line = self.line,
            reason = self.reason
        ))
    }
}

impl std::error::Error for VcardError {}

/// Which vCard version [`write()`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Version {
    V3,
    #[default]
    V4,
}

/// The UID kith gives contact `id` when exporting it.
pub fn contact_uid(id: i64) -> String {
    format!("kith-contact-{id}@kith")
}

/// The contact id in a UID that [`contact_uid`] made, for matching a re-import.
pub fn contact_id_from_uid(uid: &str) -> Option<i64> {
    uid.trim()
        .strip_prefix("kith-contact-")?
        .strip_suffix("@kith")?
        .parse()
        .ok()
}

/// Every card in `text`; the first error stops it.
pub fn parse(text: &str) -> Result<Vec<Card>, VcardError> {
    parse_each(text).into_iter().collect()
}

/// Every card in `text`, each on its own: a bad card gives its error and reading goes on
/// with the next one.
pub fn parse_each(text: &str) -> Vec<Result<Card, VcardError>> {
    // UTF-8 text has no UTF-16 or UTF-32 byte-order mark: reading it cannot fail.
    read(text.as_bytes())
        .map(|cards| cards.into_iter().map(|c| c.card).collect())
        .unwrap_or_default()
}

/// One card of a file as read: the card (or why it cannot be read), the line its
/// `BEGIN:VCARD` is on, and its lines as they are in the file (for a reject file).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub card: Result<Card, VcardError>,
    pub line: usize,
    pub raw: Vec<u8>,
}

/// Every card in the bytes of a vCard file, each on its own. The file's encoding: a
/// byte-order mark (UTF-8, UTF-16; UTF-32 is refused), else UTF-8 when the whole file is,
/// else per property: its `CHARSET` (vCard 2.1), else UTF-8 where the bytes are, else the
/// encoding the other bytes of the file are in (detected by chardetng). A property whose
/// bytes are not valid in its encoding spoils only its card. The error is for the file as a
/// whole (UTF-32, broken UTF-16).
pub fn read(bytes: &[u8]) -> Result<Vec<Entry>, String> {
    read_in(bytes, None)
}

/// [`read`], with the encoding of the bytes that have no `CHARSET` given instead of
/// detected (`kith import vcard --encoding`): UTF-16 for the whole file, any other for every
/// value without a `CHARSET` (UTF-8 or not).
pub fn read_in(bytes: &[u8], encoding: Option<Encoding>) -> Result<Vec<Entry>, String> {
    let file = Text::decode(bytes, encoding)?;
    let lines = file.logical_lines();
    let mut out: Vec<Entry> = Vec::new();
    // The card being read: the line of its BEGIN, and its builder (None after an error,
    // while skipping to its END).
    let mut open: Option<(usize, Option<Builder>)> = None;
    let entry = |card, begin: usize, end: usize| Entry {
        card,
        line: begin,
        raw: file.raw(begin, end),
    };
    for line in &lines {
        let trimmed = line.text.trim();
        if trimmed.is_empty() {
            continue;
        }
        let is_begin = marker(trimmed) == Some(Marker::Begin);
        let is_end = marker(trimmed) == Some(Marker::End);
        match open.take() {
            None => {
                if is_begin {
                    open = Some((line.num, Some(Builder::new(file.fallback))));
                }
                // Anything else between cards is ignored.
            }
            Some((begin, builder)) => {
                if is_begin {
                    if builder.is_some() {
                        let e = VcardError {
                            line: begin,
                            reason: crate::tr!("vcard.card_no_end_before", line = line.num),
                        };
                        out.push(entry(Err(e), begin, line.num - 1));
                    }
                    open = Some((line.num, Some(Builder::new(file.fallback))));
                } else if is_end {
                    match builder {
                        Some(b) => out.push(entry(b.finish(begin), begin, line.last)),
                        // A card that failed: its lines run to its END.
                        None => {
                            if let Some(last) = out.last_mut() {
                                last.raw = file.raw(begin, line.last);
                            }
                        }
                    }
                } else if let Some(mut b) = builder {
                    match b.take(line) {
                        Ok(()) => open = Some((begin, Some(b))),
                        Err(e) => {
                            // Skip to its END, where its lines are taken.
                            out.push(entry(Err(e), begin, line.last));
                            open = Some((begin, None));
                        }
                    }
                } else {
                    if let Some(last) = out.last_mut() {
                        last.raw = file.raw(begin, line.last);
                    }
                    open = Some((begin, None));
                }
            }
        }
    }
    if let Some((begin, Some(_))) = open {
        let e = VcardError {
            line: begin,
            reason: crate::tr!("vcard.card_no_end").to_string(),
        };
        out.push(entry(Err(e), begin, file.count()));
    }
    Ok(out)
}

/// The cards as one vCard file (CRLF line ends, folded at 75 octets).
pub fn write(cards: &[Card], version: Version) -> String {
    let mut out = String::new();
    for card in cards {
        write_card(&mut out, card, version);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

/// A logical line: folds and soft breaks joined, with the physical lines it spans
/// (1-based), decoded; `bad` says why some of its bytes could not be read.
struct Line {
    num: usize,
    last: usize,
    text: String,
    bad: Option<String>,
}

type Encoding = &'static encoding_rs::Encoding;

/// A file's bytes, split into physical lines, with what is known of its encoding.
struct Text {
    /// The bytes: as in the file, or as UTF-8 when the file was UTF-16.
    bytes: Vec<u8>,
    /// Each physical line's start and end (without its line end), and where the next starts.
    lines: Vec<(usize, usize, usize)>,
    /// The whole file is Unicode (UTF-8, or UTF-16 made UTF-8): `CHARSET` does not apply.
    unicode: bool,
    /// The encoding of the bytes that are not UTF-8 and have no `CHARSET` (detected).
    fallback: Option<Encoding>,
    /// The fallback was given (`--encoding`): it is used for every value without a
    /// `CHARSET`, even one that would read as UTF-8.
    forced: bool,
}

impl Text {
    fn decode(bytes: &[u8], forced: Option<Encoding>) -> Result<Text, String> {
        let utf16 = |enc: Encoding, bytes: &[u8]| -> Result<Vec<u8>, String> {
            let text = enc
                .decode_without_bom_handling_and_without_replacement(bytes)
                .ok_or_else(|| crate::tr!("vcard.file_valid", encoding = enc.name()))?;
            Ok(text.into_owned().into_bytes())
        };
        let (bytes, unicode): (Vec<u8>, bool) = if let Some(enc) =
            forced.filter(|e| *e == encoding_rs::UTF_16LE || *e == encoding_rs::UTF_16BE)
        {
            let bom: &[u8] = if enc == encoding_rs::UTF_16LE {
                &[0xFF, 0xFE]
            } else {
                &[0xFE, 0xFF]
            };
            (utf16(enc, bytes.strip_prefix(bom).unwrap_or(bytes))?, true)
        } else if let Some(enc) = forced {
            let rest = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            let unicode = enc == encoding_rs::UTF_8 && std::str::from_utf8(rest).is_ok();
            (rest.to_vec(), unicode)
        } else if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
            (rest.to_vec(), std::str::from_utf8(rest).is_ok())
        } else if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
            return Err(crate::tr!("vcard.file_utf_which").to_string());
        } else if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            let enc = if bytes[0] == 0xFF {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            let text = enc
                .decode_without_bom_handling_and_without_replacement(&bytes[2..])
                .ok_or_else(|| crate::tr!("vcard.file_starts_but", encoding = enc.name()))?;
            (text.into_owned().into_bytes(), true)
        } else {
            (bytes.to_vec(), std::str::from_utf8(bytes).is_ok())
        };
        // LF ends lines (with a CR before it, or not) when the file has one; else a lone CR
        // does. A CR inside a line of a file with LFs is part of the value.
        let mut lines = Vec::new();
        let sep = if bytes.contains(&b'\n') { b'\n' } else { b'\r' };
        let mut start = 0;
        while start <= bytes.len() {
            let end = bytes[start..]
                .iter()
                .position(|&b| b == sep)
                .map_or(bytes.len(), |i| start + i);
            let mut text_end = end;
            if sep == b'\n' && text_end > start && bytes[text_end - 1] == b'\r' {
                text_end -= 1;
            }
            lines.push((start, text_end, (end + 1).min(bytes.len())));
            start = end + 1;
        }
        let mut text = Text {
            bytes,
            lines,
            unicode,
            fallback: forced,
            forced: forced.is_some(),
        };
        if !unicode && !text.forced {
            // What the bytes that are neither UTF-8 nor marked with a CHARSET are in.
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            for i in 0..text.lines.len() {
                let line = text.line(i);
                if std::str::from_utf8(line).is_err() && charset(head_of(line)).is_none() {
                    detector.feed(line, false);
                    detector.feed(b"\n", false);
                }
            }
            detector.feed(b"", true);
            text.fallback = Some(detector.guess(None, chardetng::Utf8Detection::Deny));
        }
        Ok(text)
    }

    fn count(&self) -> usize {
        self.lines.len()
    }

    /// Physical line `i` (0-based), without its line end.
    fn line(&self, i: usize) -> &[u8] {
        let (s, e, _) = self.lines[i];
        &self.bytes[s..e]
    }

    /// Physical lines `first..=last` (1-based) with their line ends, as in the file.
    fn raw(&self, first: usize, last: usize) -> Vec<u8> {
        if first == 0 || last < first || first > self.lines.len() {
            return Vec::new();
        }
        let last = last.min(self.lines.len());
        self.bytes[self.lines[first - 1].0..self.lines[last - 1].2].to_vec()
    }

    /// The logical lines: folded lines and quoted-printable soft breaks joined (as bytes,
    /// which are ASCII where it matters), then each decoded.
    fn logical_lines(&self) -> Vec<Line> {
        let mut joined: Vec<(usize, usize, Vec<u8>)> = Vec::new();
        let mut soft = false; // the last line ends in a quoted-printable soft break
        for i in 0..self.lines.len() {
            let raw = self.line(i);
            let num = i + 1;
            // A soft break joins the next line as it is (but never swallows the card's END).
            if soft && marker(&String::from_utf8_lossy(raw)) != Some(Marker::End) {
                if let Some(last) = joined.last_mut() {
                    last.2.pop(); // the '='
                    last.2.extend_from_slice(raw);
                    last.1 = num;
                    soft = qp_soft_break(&last.2);
                    continue;
                }
            }
            if let Some(rest) = raw.strip_prefix(b" ").or_else(|| raw.strip_prefix(b"\t")) {
                if let Some(last) = joined.last_mut() {
                    last.2.extend_from_slice(rest);
                    last.1 = num;
                    soft = qp_soft_break(&last.2);
                    continue;
                }
            }
            soft = qp_soft_break(raw);
            joined.push((num, num, raw.to_vec()));
        }
        joined
            .into_iter()
            .map(|(num, last, bytes)| {
                let (text, bad) = self.decode_line(&bytes);
                Line {
                    num,
                    last,
                    text,
                    bad,
                }
            })
            .collect()
    }

    /// A logical line as text: its value in its `CHARSET`, else UTF-8, else the file's
    /// encoding; and why, if some bytes could not be read.
    fn decode_line(&self, bytes: &[u8]) -> (String, Option<String>) {
        let head = head_of(bytes);
        let given = charset(head);
        if let Ok(t) = std::str::from_utf8(bytes) {
            if self.unicode || t.is_ascii() || (given.is_none() && !self.forced) {
                return (t.to_string(), None);
            }
        }
        let value = &bytes[(head.len() + 1).min(bytes.len())..];
        let fallback = self.fallback.unwrap_or(encoding_rs::WINDOWS_1252);
        let head_text = match std::str::from_utf8(head) {
            Ok(t) => t.to_string(),
            Err(_) => fallback.decode_without_bom_handling(head).0.into_owned(),
        };
        let sep = if head.len() < bytes.len() { ":" } else { "" };
        let quoted = String::from_utf8_lossy(head)
            .to_ascii_uppercase()
            .contains("QUOTED-PRINTABLE");
        let (enc, why) = match given {
            Some(c) if !quoted => match encoding_rs::Encoding::for_label(c.trim().as_bytes()) {
                Some(e) => (e, crate::tr!("vcard.charset", c = c)),
                None => {
                    return (
                        format!("{head_text}{sep}{}", String::from_utf8_lossy(value)),
                        Some(crate::tr!("vcard.charset_encoding_knows", c = c)),
                    )
                }
            },
            _ if self.forced => (fallback, "--encoding".to_string()),
            _ => {
                if let Ok(t) = std::str::from_utf8(value) {
                    return (format!("{head_text}{sep}{t}"), None);
                }
                (
                    fallback,
                    crate::tr!("vcard.encoding_file_other", encoding = fallback.name()),
                )
            }
        };
        match enc.decode_without_bom_handling_and_without_replacement(value) {
            Some(t) => (format!("{head_text}{sep}{t}"), None),
            None => (
                format!(
                    "{head_text}{sep}{}",
                    enc.decode_without_bom_handling(value).0
                ),
                Some(crate::tr!(
                    "vcard.bytes_not",
                    encoding = enc.name(),
                    why = why
                )),
            ),
        }
    }
}

/// A line's name and parameters: the bytes before its first ':' outside double quotes
/// (all of it when it has none).
fn head_of(line: &[u8]) -> &[u8] {
    let mut quoted = false;
    for (i, &b) in line.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b':' if !quoted => return &line[..i],
            _ => {}
        }
    }
    match line.iter().position(|&b| b == b':') {
        Some(i) => &line[..i],
        None => line,
    }
}

/// The `CHARSET` parameter of a line's head, if it has one.
fn charset(head: &[u8]) -> Option<String> {
    String::from_utf8_lossy(head)
        .split(';')
        .skip(1)
        .find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("CHARSET")
                .then(|| v.trim().trim_matches('"').to_string())
                .filter(|v| !v.is_empty())
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Begin,
    End,
}

/// Whether a line is `BEGIN:VCARD` or `END:VCARD`, in any case and with or without a group
/// (`home.begin:vcard`).
fn marker(line: &str) -> Option<Marker> {
    let (name, value) = line.trim().split_once(':')?;
    if !value.trim().eq_ignore_ascii_case("VCARD") {
        return None;
    }
    let name = name.rsplit('.').next()?.trim();
    if name.eq_ignore_ascii_case("BEGIN") {
        Some(Marker::Begin)
    } else if name.eq_ignore_ascii_case("END") {
        Some(Marker::End)
    } else {
        None
    }
}

/// Whether a line is a quoted-printable property whose value goes on with the next line.
fn qp_soft_break(line: &[u8]) -> bool {
    line.ends_with(b"=")
        && line.iter().position(|&b| b == b':').is_some_and(|colon| {
            String::from_utf8_lossy(&line[..colon])
                .to_ascii_uppercase()
                .contains("QUOTED-PRINTABLE")
        })
}

/// One property line, split up.
struct Prop {
    /// The name as written, without the group.
    name: String,
    /// The name upper-cased, for matching.
    key: String,
    /// Parameters as written (`TYPE=WORK`, `PREF=1`, `WORK`).
    params: Vec<String>,
    value: String,
}

impl Prop {
    fn split(line: &Line) -> Result<Prop, VcardError> {
        let text = line.text.as_str();
        let colon = first_unquoted(text, ':')
            .or_else(|| text.find(':'))
            .ok_or_else(|| VcardError {
                line: line.num,
                reason: crate::tr!("vcard.property_line", text = shorten(text)),
            })?;
        let mut parts = split_unquoted(&text[..colon], ';').into_iter();
        let full = parts.next().unwrap_or_default();
        let full = full.trim();
        let name = match full.split_once('.') {
            Some((_group, name)) => name,
            None => full,
        };
        if name.is_empty() {
            return Err(VcardError {
                line: line.num,
                reason: crate::tr!("vcard.property_name", text = shorten(text)),
            });
        }
        Ok(Prop {
            name: name.to_string(),
            key: name.to_ascii_uppercase(),
            params: parts.map(|p| p.trim().to_string()).collect(),
            value: text[colon + 1..].to_string(),
        })
    }

    /// The values of parameter `key` (`TYPE=a,b;TYPE="c"` → a, b, c), unquoted.
    fn param(&self, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        for p in &self.params {
            if let Some((k, v)) = p.split_once('=') {
                if k.trim().eq_ignore_ascii_case(key) {
                    let v = v.trim().trim_matches('"');
                    out.extend(v.split(',').map(|s| s.trim().to_string()));
                }
            }
        }
        out
    }

    /// `TYPE` values and 2.1's bare parameters (`TEL;WORK;VOICE`), lower-cased.
    fn types(&self) -> Vec<String> {
        let mut out: Vec<String> = self.param("TYPE");
        out.extend(self.params.iter().filter(|p| !p.contains('=')).cloned());
        out.iter().map(|t| t.to_ascii_lowercase()).collect()
    }

    fn encoding(&self) -> Option<String> {
        let bare = self.params.iter().find(|p| {
            let p = p.to_ascii_uppercase();
            p == "QUOTED-PRINTABLE" || p == "BASE64"
        });
        bare.cloned()
            .or_else(|| self.param("ENCODING").into_iter().next())
            .map(|e| e.to_ascii_uppercase())
    }

    /// Preference rank: `PREF=n` is n, `TYPE=pref` is 1, none is 101 (after all).
    fn pref(&self) -> u32 {
        let numbered = self
            .param("PREF")
            .iter()
            .filter_map(|v| v.parse::<u32>().ok())
            .min();
        match numbered {
            Some(n) => n,
            None if self.types().iter().any(|t| t == "pref") => 1,
            None => 101,
        }
    }

    /// The name and parameters as kept in `extra`; without the encoding ones when the
    /// value has been decoded.
    fn head(&self, decoded: bool) -> String {
        let mut head = self.name.clone();
        for p in &self.params {
            let up = p.to_ascii_uppercase();
            let encoding = up == "QUOTED-PRINTABLE"
                || up.starts_with("ENCODING=")
                || up.starts_with("CHARSET=");
            if decoded && encoding {
                continue;
            }
            head.push(';');
            head.push_str(p);
        }
        head
    }
}

/// A card being read.
#[derive(Default)]
struct Builder {
    full_name: Option<String>,
    /// N's five components, unescaped and trimmed, with N as written (for `extra`).
    n: Option<([String; 5], (String, String))>,
    org: Option<String>,
    /// An ORG with units, as written.
    org_whole: Option<(String, String)>,
    title: Option<String>,
    role: Option<String>,
    emails: Vec<(u32, String)>,
    phones: Vec<(u32, String)>,
    urls: Vec<String>,
    addresses: Vec<String>,
    birthday: Option<String>,
    notes: Vec<String>,
    categories: Vec<String>,
    uid: Option<String>,
    extra: Vec<(String, String)>,
    skipped_media: usize,
    /// The last property was media: unfolded base64 lines may follow.
    in_media: bool,
    /// What quoted-printable bytes without a `CHARSET` are in when they are not UTF-8.
    fallback: Option<Encoding>,
}

impl Builder {
    fn new(fallback: Option<Encoding>) -> Builder {
        Builder {
            fallback,
            ..Builder::default()
        }
    }

    fn take(&mut self, line: &Line) -> Result<(), VcardError> {
        if self.in_media && !line.text.contains(':') && is_base64(line.text.trim()) {
            return Ok(());
        }
        let prop = Prop::split(line)?;
        if let Some(why) = &line.bad {
            return Err(VcardError {
                line: line.num,
                reason: crate::tr!("vcard.property_has", property = prop.name, why = why),
            });
        }
        self.in_media = false;
        if matches!(prop.key.as_str(), "PHOTO" | "LOGO" | "SOUND") {
            self.skipped_media += 1;
            self.in_media = true;
            return Ok(());
        }
        let encoding = prop.encoding();
        let raw =
            match encoding.as_deref() {
                Some("QUOTED-PRINTABLE") => {
                    let charset = prop.param("CHARSET").into_iter().next();
                    let decoded = decode_qp(&prop.value, charset.as_deref(), self.fallback)
                        .map_err(|why| VcardError {
                            line: line.num,
                            reason: crate::tr!(
                                "vcard.property_has",
                                property = prop.name,
                                why = why
                            ),
                        })?;
                    // Real line breaks become the escape the rest of the reader expects.
                    decoded
                        .replace("\r\n", "\n")
                        .replace('\r', "\n")
                        .replace('\n', "\\n")
                }
                Some("B" | "BASE64") => {
                    // Binary kith cannot use: keep it as it was.
                    self.in_media = true;
                    self.extra.push((prop.head(false), prop.value.clone()));
                    return Ok(());
                }
                // A CR inside a value (a file with LF line ends) is a line break in it.
                _ => prop
                    .value
                    .replace("\r\n", "\n")
                    .replace('\r', "\n")
                    .replace('\n', "\\n"),
            };
        // The value is text now, whatever its CHARSET and ENCODING were.
        let decoded = true;
        let text = || unescape(&raw).trim().to_string();
        let mut keep = false;
        match prop.key.as_str() {
            "VERSION" | "PRODID" => {}
            "FN" => keep = !fill(&mut self.full_name, text()),
            "N" if self.n.is_none() => {
                let parts = components(&raw, ';');
                let mut n: [String; 5] = Default::default();
                for (slot, part) in n.iter_mut().zip(parts) {
                    *slot = part;
                }
                self.n = Some((n, (prop.head(decoded), raw.clone())));
            }
            "ORG" if self.org.is_none() => {
                let parts = components(&raw, ';');
                let first = parts.first().cloned().unwrap_or_default();
                if first.is_empty() {
                    keep = parts.iter().any(|p| !p.is_empty());
                } else {
                    if parts.iter().skip(1).any(|p| !p.is_empty()) {
                        self.org_whole = Some((prop.head(decoded), raw.clone()));
                    }
                    self.org = Some(first);
                }
            }
            "TITLE" => keep = !fill(&mut self.title, text()),
            "ROLE" => keep = !fill(&mut self.role, text()),
            "UID" => keep = !fill(&mut self.uid, text()),
            "EMAIL" => {
                let v = text();
                let v = strip_prefix_ci(&v, "mailto:").unwrap_or(&v).trim();
                if !v.is_empty() {
                    self.emails.push((prop.pref(), v.to_string()));
                }
            }
            "TEL" => {
                let v = phone(&text());
                if !v.is_empty() {
                    self.phones.push((prop.pref(), v));
                }
            }
            "URL" => {
                let v = text();
                if !v.is_empty() {
                    self.urls.push(v);
                }
            }
            "ADR" => {
                let v = address(&raw);
                if !v.is_empty() {
                    self.addresses.push(v);
                }
            }
            "BDAY" => {
                let omitted = prop.param("X-APPLE-OMIT-YEAR");
                match date(&text()) {
                    Some(d) if self.birthday.is_none() && !omitted.iter().any(|y| d[..4] == *y) => {
                        self.birthday = Some(d)
                    }
                    _ => keep = true,
                }
            }
            "NOTE" => {
                let v = text();
                if !v.is_empty() {
                    self.notes.push(v);
                }
            }
            "CATEGORIES" => self
                .categories
                .extend(components(&raw, ',').into_iter().filter(|c| !c.is_empty())),
            _ => keep = true,
        }
        if keep {
            self.extra.push((prop.head(decoded), raw));
        }
        Ok(())
    }

    fn finish(self, begin: usize) -> Result<Card, VcardError> {
        let Builder {
            full_name,
            n,
            org,
            org_whole,
            title,
            role,
            mut emails,
            mut phones,
            urls,
            addresses,
            birthday,
            notes,
            categories,
            uid,
            mut extra,
            skipped_media,
            in_media: _,
            fallback: _,
        } = self;
        emails.sort_by_key(|(pref, _)| *pref);
        phones.sort_by_key(|(pref, _)| *pref);
        let emails: Vec<String> = emails.into_iter().map(|(_, e)| e).collect();
        let phones: Vec<String> = phones.into_iter().map(|(_, p)| p).collect();
        let name = full_name
            .or_else(|| {
                n.as_ref()
                    .map(|(n, _)| name_from_n(n))
                    .filter(|s| !s.is_empty())
            })
            .or_else(|| org.clone())
            .or_else(|| emails.first().cloned())
            .or_else(|| phones.first().cloned())
            .ok_or_else(|| VcardError {
                line: begin,
                reason: crate::tr!("vcard.no_name").into(),
            })?;
        if let Some((parts, written)) = n {
            let rebuilt = n_from_name(&name);
            if parts != rebuilt {
                extra.push(written);
            }
        }
        if let Some(written) = org_whole {
            extra.push(written);
        }
        Ok(Card {
            name,
            org,
            title,
            role,
            emails,
            phones,
            urls,
            addresses,
            birthday,
            notes: if notes.is_empty() {
                None
            } else {
                Some(notes.join("\n\n"))
            },
            categories,
            uid,
            extra,
            skipped_media,
        })
    }
}

/// Put a non-empty value in an empty slot; false when the value is left over (the slot was
/// taken), to be kept in `extra`.
fn fill(slot: &mut Option<String>, value: String) -> bool {
    if value.is_empty() {
        true
    } else if slot.is_none() {
        *slot = Some(value);
        true
    } else {
        false
    }
}

/// A TEL value as a plain number: `tel:+1-555-0100;ext=12` → `+1-555-0100 x12`.
fn phone(v: &str) -> String {
    let Some(uri) = strip_prefix_ci(v, "tel:") else {
        return v.to_string();
    };
    let mut parts = uri.split(';');
    let mut number = parts.next().unwrap_or("").trim().to_string();
    for p in parts {
        if let Some(ext) = strip_prefix_ci(p.trim(), "ext=") {
            if !ext.is_empty() {
                number.push_str(" x");
                number.push_str(ext);
            }
        }
    }
    number
}

/// ADR on one line: street, extended, PO box, city, region, postcode, country.
fn address(raw: &str) -> String {
    let parts = components(raw, ';');
    let get = |i: usize| parts.get(i).map(String::as_str).unwrap_or("");
    [get(2), get(1), get(0), get(3), get(4), get(5), get(6)]
        .iter()
        .map(|p| {
            p.split('\n')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A date with a year as `YYYY-MM-DD` (from `19850125`, `1985-01-25`, either with a time).
fn date(v: &str) -> Option<String> {
    let d = v.split(['T', 't']).next()?.trim();
    let digits: String = match d.len() {
        8 => d.to_string(),
        10 if d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-' => d.replace('-', ""),
        _ => return None,
    };
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, m, day) = (&digits[..4], &digits[4..6], &digits[6..]);
    chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, day.parse().ok()?)?;
    Some(format!("{y}-{m}-{day}"))
}

/// The name N gives: family then given for CJK (`王芳`), else prefix given additional
/// family suffix (`Dr. John Q. Public Jr.`).
fn name_from_n(n: &[String; 5]) -> String {
    let [family, given, additional, prefix, suffix] = n;
    let core = [family, given, additional];
    let present: Vec<&String> = core.iter().copied().filter(|s| !s.is_empty()).collect();
    if !present.is_empty() && present.iter().all(|s| s.chars().all(is_cjk)) {
        let core = format!("{family}{given}{additional}");
        return [prefix.as_str(), core.as_str(), suffix.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
    }
    [prefix, given, additional, family, suffix]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// N's components built from a name: only CJK characters → first is the family name, the
/// rest the given name; otherwise the last word is the family name; one word is a given
/// name.
fn n_from_name(name: &str) -> [String; 5] {
    let name = name.trim();
    let mut n: [String; 5] = Default::default();
    if !name.is_empty() && name.chars().all(is_cjk) {
        let mut chars = name.chars();
        n[0] = chars.next().map(String::from).unwrap_or_default();
        n[1] = chars.as_str().to_string();
    } else if let Some(i) = name.rfind(char::is_whitespace) {
        let ws = name[i..].chars().next().map_or(1, char::len_utf8);
        n[0] = name[i + ws..].to_string();
        n[1] = name[..i].trim_end().to_string();
    } else {
        n[1] = name.to_string();
    }
    n
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF       // Hiragana, Katakana
        | 0x3400..=0x4DBF     // CJK Extension A
        | 0x4E00..=0x9FFF     // CJK Unified Ideographs
        | 0xF900..=0xFAFF     // CJK Compatibility Ideographs
        | 0x1100..=0x11FF     // Hangul Jamo
        | 0x3130..=0x318F     // Hangul Compatibility Jamo
        | 0xAC00..=0xD7AF     // Hangul Syllables
        | 0x20000..=0x2FA1F) // CJK Extensions B–F, Compatibility Supplement
}

/// Quoted-printable bytes decoded in `charset`; without one, UTF-8, else the encoding of
/// the file's other bytes (`fallback`, when it has any that are not UTF-8). Why not, when
/// the bytes are not valid in it.
fn decode_qp(v: &str, charset: Option<&str>, fallback: Option<Encoding>) -> Result<String, String> {
    let b = v.as_bytes();
    let mut bytes = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            let hex = |x: u8| (x as char).to_digit(16);
            match (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            ) {
                (Some(h), Some(l)) => {
                    bytes.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ if i + 1 == b.len() => {
                    // A soft break left at the very end.
                    i += 1;
                    continue;
                }
                _ => {}
            }
        }
        bytes.push(b[i]);
        i += 1;
    }
    let (encoding, why) = match charset {
        Some(c) => match encoding_rs::Encoding::for_label(c.trim().as_bytes()) {
            Some(e) => (e, crate::tr!("vcard.charset", c = c)),
            None => return Err(crate::tr!("vcard.charset_encoding_knows", c = c)),
        },
        None => match (std::str::from_utf8(&bytes), fallback) {
            (Ok(t), _) => return Ok(t.to_string()),
            (Err(_), Some(e)) => (
                e,
                crate::tr!("vcard.encoding_file_other", encoding = e.name()),
            ),
            (Err(_), None) => return Err(crate::tr!("vcard.qp_not_utf8").into()),
        },
    };
    encoding
        .decode_without_bom_handling_and_without_replacement(&bytes)
        .map(|t| t.into_owned())
        .ok_or_else(|| {
            crate::tr!(
                "vcard.quoted_printable_bytes",
                encoding = encoding.name(),
                why = why
            )
        })
}

fn is_base64(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
}

/// Text unescaped: `\n` → newline, `\,` `\;` `\:` `\\` → the character; any other
/// backslash stays.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(c @ (',' | ';' | ':' | '\\')) => out.push(c),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A structured value split on unescaped `sep`, each part unescaped and trimmed.
fn components(raw: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            current.push(c);
            if let Some(next) = chars.next() {
                current.push(next);
            }
        } else if c == sep {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    parts
        .iter()
        .map(|p| unescape(p).trim().to_string())
        .collect()
}

/// Byte index of the first `c` outside double quotes.
fn first_unquoted(s: &str, c: char) -> Option<usize> {
    let mut quoted = false;
    for (i, ch) in s.char_indices() {
        if ch == '"' {
            quoted = !quoted;
        } else if ch == c && !quoted {
            return Some(i);
        }
    }
    None
}

fn split_unquoted(s: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(i) = first_unquoted(rest, sep) {
        parts.push(rest[..i].to_string());
        rest = &rest[i + sep.len_utf8()..];
    }
    parts.push(rest.to_string());
    parts
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// A line for an error message: at most 40 characters.
fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

fn write_card(out: &mut String, card: &Card, version: Version) {
    let v3 = version == Version::V3;
    put(out, "BEGIN:VCARD");
    put(out, if v3 { "VERSION:3.0" } else { "VERSION:4.0" });
    put(out, "PRODID:-//kith//kith//EN");

    // Extras that stand in for what kith would build.
    let base = |head: &str| -> String {
        head.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_uppercase()
    };
    let mut used = vec![false; card.extra.len()];
    let name = card.name.trim();
    put(out, &format!("FN:{}", escape(name)));
    match card.extra.iter().position(|(h, _)| base(h) == "N") {
        Some(i) => {
            used[i] = true;
            put_extra(out, &card.extra[i]);
        }
        None => {
            let n = n_from_name(name).map(|p| escape(&p));
            put(out, &format!("N:{}", n.join(";")));
        }
    }
    if let Some(org) = present(&card.org) {
        let whole = card.extra.iter().position(|(h, v)| {
            base(h) == "ORG" && components(v, ';').first().map(String::as_str) == Some(org)
        });
        match whole {
            Some(i) => {
                used[i] = true;
                put_extra(out, &card.extra[i]);
            }
            None => put(out, &format!("ORG:{}", escape(org))),
        }
    }
    if let Some(title) = present(&card.title) {
        put(out, &format!("TITLE:{}", escape(title)));
    }
    if let Some(role) = present(&card.role) {
        put(out, &format!("ROLE:{}", escape(role)));
    }
    for (i, email) in listed(&card.emails).enumerate() {
        let params = match (v3, i == 0) {
            (true, true) => "TYPE=internet,work,pref",
            (true, false) => "TYPE=internet,work",
            (false, true) => "TYPE=work;PREF=1",
            (false, false) => "TYPE=work",
        };
        put(out, &format!("EMAIL;{params}:{}", escape(email)));
    }
    for (i, tel) in listed(&card.phones).enumerate() {
        let params = match (v3, i == 0) {
            (true, true) => ";TYPE=voice,pref",
            (false, true) => ";PREF=1",
            _ => "",
        };
        put(out, &format!("TEL{params}:{}", escape(tel)));
    }
    for url in listed(&card.urls) {
        put(out, &format!("URL:{}", escape_url(url)));
    }
    for adr in listed(&card.addresses) {
        put(out, &format!("ADR:;;{};;;;", escape(adr)));
    }
    if let Some(bday) = present(&card.birthday) {
        match date(bday) {
            Some(d) => put(out, &format!("BDAY:{}", d.replace('-', ""))),
            None if v3 => put(out, &format!("BDAY:{}", escape(bday))),
            None => put(out, &format!("BDAY;VALUE=text:{}", escape(bday))),
        }
    }
    if let Some(notes) = present(&card.notes) {
        put(out, &format!("NOTE:{}", escape(notes)));
    }
    let categories: Vec<String> = listed(&card.categories).map(escape).collect();
    if !categories.is_empty() {
        put(out, &format!("CATEGORIES:{}", categories.join(",")));
    }
    if let Some(uid) = present(&card.uid) {
        let is_uri = uid.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        let params = if v3 || is_uri { "" } else { ";VALUE=text" };
        put(out, &format!("UID{params}:{}", escape_url(uid)));
    }
    for (i, prop) in card.extra.iter().enumerate() {
        let structural = matches!(base(&prop.0).as_str(), "BEGIN" | "END" | "VERSION");
        if !used[i] && !structural {
            put_extra(out, prop);
        }
    }
    put(out, "END:VCARD");
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn listed(v: &[String]) -> impl Iterator<Item = &str> {
    v.iter().map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// An extra property as kept: value already escaped; only line breaks are made safe.
fn put_extra(out: &mut String, (head, value): &(String, String)) {
    let head: String = head.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    if head.trim().is_empty() {
        return;
    }
    put(
        out,
        &format!("{head}:{}", newlines(value).replace('\n', "\\n")),
    );
}

fn newlines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Text escaped for any property: `\\`, newline, `,` and `;`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in newlines(s).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            c => out.push(c),
        }
    }
    out
}

/// A URI: only a backslash and line breaks need escaping (neither belongs in one).
fn escape_url(s: &str) -> String {
    newlines(s).replace('\\', "\\\\").replace('\n', "\\n")
}

/// One content line, folded at 75 octets (continuations start with a space), CRLF: see
/// [`crate::io::fold`].
fn put(out: &mut String, line: &str) {
    crate::io::fold::put(out, line);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const GOOGLE: &str = include_str!("../../tests/data/vcard/google.vcf");
    const APPLE: &str = include_str!("../../tests/data/vcard/apple.vcf");
    const OUTLOOK: &str = include_str!("../../tests/data/vcard/outlook.vcf");
    const MONICA: &str = include_str!("../../tests/data/vcard/monica.vcf");
    const MESSY: &str = include_str!("../../tests/data/vcard/messy.vcf");

    fn s(v: &str) -> String {
        v.to_string()
    }

    fn some(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn extra(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    /// The cards before the unterminated one at the end of messy.vcf.
    fn messy_complete() -> &'static str {
        &MESSY[..MESSY.rfind("BEGIN:VCARD").unwrap()]
    }

    #[test]
    fn google() {
        let cards = parse(GOOGLE).unwrap();
        assert_eq!(
            cards,
            vec![
                Card {
                    name: s("Maria Okafor"),
                    org: some("Northwind Freight"),
                    title: some("Logistics Manager"),
                    emails: strs(&[
                        "m.okafor@northwind-freight.example",
                        "maria.okafor@example.net",
                        "billing@northwind-freight.example",
                    ]),
                    phones: strs(&["+1 415-555-0134", "(415) 555-0199", "+1 510-555-0112"]),
                    urls: strs(&["https://www.linkedin.com/in/maria-okafor-example"]),
                    addresses: strs(&[
                        "200 Harbor Way, Suite 4, San Francisco, CA, 94107, United States"
                    ]),
                    birthday: some("1985-01-25"),
                    notes: some(
                        "Met at the Oakland trade fair, asked about the cold-chain pilot. \
                         Call after the 15th; she is travelling until then."
                    ),
                    categories: strs(&["myContacts", "Customers"]),
                    extra: extra(&[("X-ABLabel", "Billing"), ("X-ABLabel", "LinkedIn")]),
                    ..Card::default()
                },
                Card {
                    name: s("Chen Wei"),
                    phones: strs(&["+86 139 0000 1234"]),
                    categories: strs(&["myContacts"]),
                    extra: extra(&[("BDAY", "--03-14")]),
                    ..Card::default()
                },
            ]
        );
    }

    #[test]
    fn apple() {
        let cards = parse(APPLE).unwrap();
        assert_eq!(cards.len(), 3);
        let photo_lines = APPLE.lines().filter(|l| l.starts_with(' ')).count();
        assert!(
            photo_lines > 30,
            "the sample folds its PHOTO over many lines"
        );
        assert_eq!(
            cards[0],
            Card {
                name: s("Jonas Lindqvist"),
                org: some("Fjällbacka Design AB"),
                title: some("Creative Director"),
                emails: strs(&["jonas@fjallbacka.example", "jonas.l@example.se"]),
                phones: strs(&["+46 70 123 45 67", "+46 8 555 120 00"]),
                urls: strs(&["https://fjallbacka.example"]),
                addresses: strs(&["Strandvägen 7, Stockholm, 114 56, Sweden"]),
                birthday: some("1979-11-02"),
                notes: some(
                    "Introduced by Karin at the Malmö design week. Wants a quote for the \
                     spring catalogue, delivery before 1 March.\nFollow up: send the paper \
                     samples (matte, 170 g) and the revised price list."
                ),
                extra: extra(&[
                    ("X-ABADR", "se"),
                    ("X-ABLabel", "_$!<HomePage>!$_"),
                    ("X-ABUID", "5B0C2A8E-7F11-4C2B-9E0D-1A2B3C4D5E6F:ABPerson"),
                    ("ORG", "Fjällbacka Design AB;Studio"),
                ]),
                skipped_media: 1,
                ..Card::default()
            }
        );
        assert_eq!(
            cards[1],
            Card {
                name: s("Baiyun Trading Co."),
                org: some("Baiyun Trading Co."),
                phones: strs(&["+86 20 3606 6999"]),
                // An empty N is not what kith would build from the name: kept as it was.
                extra: extra(&[("X-ABShowAs", "COMPANY"), ("N", ";;;;")]),
                ..Card::default()
            }
        );
        assert_eq!(
            cards[2],
            Card {
                name: s("王芳"),
                org: some("白云贸易有限公司"),
                title: some("采购经理"),
                emails: strs(&["wang.fang@baiyun.example.cn"]),
                phones: strs(&["138 0013 8000"]),
                notes: some(
                    "喜欢喝乌龙茶。下次去广州时约她吃早茶，顺便看新样品（春季系列）。\
                     她的助理姓刘, 电话在公司总机转 8203。"
                ),
                extra: extra(&[
                    ("X-PHONETIC-FIRST-NAME", "Fāng"),
                    ("X-PHONETIC-LAST-NAME", "Wáng"),
                    ("X-ABLabel", "工作"),
                    ("BDAY;X-APPLE-OMIT-YEAR=1604", "1604-05-20"),
                ]),
                skipped_media: 1,
                ..Card::default()
            }
        );
    }

    #[test]
    fn outlook() {
        let cards = parse(OUTLOOK).unwrap();
        assert_eq!(
            cards,
            vec![
                Card {
                    name: s("Siobhan Brennan"),
                    org: some("Corrib Analytics Ltd"),
                    title: some("Head of Data"),
                    emails: strs(&[
                        "siobhan.brennan@corrib-analytics.example",
                        "s.brennan@gmail.example",
                    ]),
                    phones: strs(&["+353 91 555 0142", "+353 87 555 0178"]),
                    urls: strs(&["http://www.corrib-analytics.example"]),
                    addresses: strs(&[
                        "Unit 3, Galway Technology Park, Parkmore, Galway, H91 X2E7, Ireland"
                    ]),
                    notes: some(
                        "Prefers calls before 11:00. Café meeting notes:\n- renewal due in \
                         Q3\n- ask about the Dublin office"
                    ),
                    extra: extra(&[
                        (
                            "LABEL;WORK;PREF",
                            "Unit 3, Galway Technology Park\\nParkmore\\nGalway H91 X2E7"
                        ),
                        ("X-MS-OL-DEFAULT-POSTAL-ADDRESS", "2"),
                        (
                            "X-MS-OL-DESIGN",
                            "<card xmlns=\"http://schemas.microsoft.com/office/outlook/12/\
                             electronicbusinesscards\" ver=\"1.0\" layout=\"left\" \
                             bgcolor=\"ffffff\"><img xmlns=\"\" align=\"fit\" area=\"16\" \
                             use=\"cardpicture\"/></card>"
                        ),
                        ("REV", "20240311T094512Z"),
                        ("ORG", "Corrib Analytics Ltd;Research"),
                    ]),
                    ..Card::default()
                },
                Card {
                    name: s("李明"),
                    org: some("白云贸易"),
                    phones: strs(&["13800138000"]),
                    extra: extra(&[
                        ("X-MS-IMADDRESS", "liming@im.example.cn"),
                        ("REV", "20240311T094512Z"),
                    ]),
                    ..Card::default()
                },
                Card {
                    name: s("Renée Dubois"),
                    emails: strs(&["renee.dubois@example.fr"]),
                    birthday: some("1991-07-08"),
                    extra: extra(&[(
                        "X-MS-OL-DESIGN",
                        "<card xmlns=\"http://schemas.microsoft.com/office/outlook/12/\
                         electronicbusinesscards\" ver=\"1.0\"/>"
                    )]),
                    skipped_media: 1,
                    ..Card::default()
                },
            ]
        );
    }

    #[test]
    fn monica() {
        let cards = parse(MONICA).unwrap();
        assert_eq!(
            cards,
            vec![
                Card {
                    name: s("Tomás Rivera"),
                    org: some("Quanta Labs"),
                    emails: strs(&["t.rivera@quanta-labs.example", "tomas.rivera@example.org"]),
                    phones: strs(&["+1-555-555-0188 x204", "+1-555-555-0121"]),
                    urls: strs(&["https://tomasrivera.example"]),
                    addresses: strs(&["742 Alder Street, Portland, OR, 97205, USA"]),
                    birthday: some("1988-04-12"),
                    categories: strs(&["friends", "work"]),
                    uid: some("8f4e2a1c-3b7d-4e9a-9c15-6d2f0e8b7a41"),
                    extra: extra(&[
                        (
                            "SOURCE",
                            "https://monica.example/dav/addressbooks/user/contacts/\
                             8f4e2a1c-3b7d-4e9a-9c15-6d2f0e8b7a41.vcf"
                        ),
                        ("KIND", "individual"),
                        ("NICKNAME", "Tom"),
                        ("GENDER", "M"),
                        ("REV", "20240902T101530Z"),
                    ]),
                    ..Card::default()
                },
                Card {
                    name: s("Aiko Tanaka"),
                    emails: strs(&["aiko.tanaka@example.jp"]),
                    phones: strs(&["+81-3-5555-0147"]),
                    uid: some("2c9d7e51-0a44-4f3b-8d6e-93b1f7c2a085"),
                    extra: extra(&[
                        ("KIND", "individual"),
                        ("BDAY", "--0704"),
                        ("IMPP;PREF=1", "xmpp:aiko@chat.example.jp"),
                        ("REV", "20240903T080000Z"),
                    ]),
                    ..Card::default()
                },
                Card {
                    name: s("Dr. Priya Natarajan"),
                    role: some("Technical advisor"),
                    notes: some(
                        "First line\nSecond line, with a comma; and a semicolon \\ and a \
                         backslash"
                    ),
                    uid: some("urn:uuid:b7a0c3d2-5e1f-4a6b-8c9d-0e1f2a3b4c5d"),
                    extra: extra(&[
                        ("KIND", "individual"),
                        ("REV", "20240904T120000Z"),
                        ("N", "Natarajan;Priya;;Dr.;"),
                    ]),
                    ..Card::default()
                },
            ]
        );
    }

    #[test]
    fn messy() {
        assert!(MESSY.starts_with('\u{feff}'));
        assert!(!MESSY.contains('\r'));
        let err = parse(MESSY).unwrap_err();
        assert_eq!(err.line, 18);
        assert_eq!(
            err.to_string(),
            "vCard line 18: the card begun here has no END:VCARD (the file ends first)"
        );
        let each = parse_each(MESSY);
        assert_eq!(each.len(), 3);
        assert!(each[0].is_ok() && each[1].is_ok() && each[2].is_err());

        let cards = parse(messy_complete()).unwrap();
        assert_eq!(
            cards,
            vec![
                Card {
                    name: s("Jane Doe"),
                    emails: strs(&["jane.doe@example.com"]),
                    phones: strs(&["555-0100"]),
                    extra: extra(&[("x-custom-thing", "whatever"), ("favorite-color", "teal")]),
                    ..Card::default()
                },
                Card {
                    name: s("Sam Park"),
                    org: some("Park & Sons"),
                    emails: strs(&["sam@park.example"]),
                    ..Card::default()
                },
            ]
        );
    }

    #[test]
    fn errors_name_their_line() {
        let no_colon = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nthis has no colon\r\nEND:VCARD\r\n";
        let err = parse(no_colon).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.reason.contains("no ':'"), "{err}");

        let nameless = "\n\nBEGIN:VCARD\nVERSION:4.0\nNOTE:who?\nEND:VCARD\n";
        let err = parse(nameless).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.reason.contains("nothing to call it"), "{err}");

        // A card cut short by the next one: the error, then the next card still reads.
        let cut = "BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nFN:B\nEND:VCARD\n";
        let each = parse_each(cut);
        assert_eq!(each[0].as_ref().unwrap_err().line, 1);
        assert_eq!(each[1].as_ref().unwrap().name, "B");
        assert!(parse(cut).is_err());

        // A bad line spoils only its card.
        let each = parse_each("BEGIN:VCARD\nFN:A\nbad\nEND:VCARD\nBEGIN:VCARD\nFN:B\nEND:VCARD");
        assert_eq!(each.len(), 2);
        assert_eq!(each[0].as_ref().unwrap_err().line, 3);
        assert_eq!(each[1].as_ref().unwrap().name, "B");

        // BEGIN and END in any case, with a group.
        let each =
            parse_each("home.begin:vcard\nFN:A\nhome.end:vcard\nBegin:VCard\nFN:B\nEND:vcard\n");
        assert_eq!(each.len(), 2);
        assert_eq!(each[0].as_ref().unwrap().name, "A");
        assert_eq!(each[1].as_ref().unwrap().name, "B");

        assert_eq!(parse("").unwrap(), vec![]);
        assert_eq!(parse("no cards here\n").unwrap(), vec![]);
    }

    #[test]
    fn names_from_n_and_fallbacks() {
        let card = |body: &str| {
            parse(&format!("BEGIN:VCARD\nVERSION:3.0\n{body}\nEND:VCARD\n"))
                .unwrap()
                .remove(0)
        };
        assert_eq!(card("N:王;芳;;;").name, "王芳");
        assert_eq!(card("N:김;민준;;;").name, "김민준");
        assert_eq!(
            card("N:Public;John;Quinn;Dr.;Jr.").name,
            "Dr. John Quinn Public Jr."
        );
        assert_eq!(card("N:;;;;\nORG:Acme Ltd").name, "Acme Ltd");
        assert_eq!(card("EMAIL:a@b.example").name, "a@b.example");
        assert_eq!(card("TEL:+1 555 0100").name, "+1 555 0100");
        assert_eq!(card("FN:\nN:Doe;Jane").name, "Jane Doe");

        assert_eq!(n_from_name("王芳")[..2], [s("王"), s("芳")]);
        assert_eq!(n_from_name("欧阳娜娜")[..2], [s("欧"), s("阳娜娜")]);
        assert_eq!(n_from_name("Jane van Doe")[..2], [s("Doe"), s("Jane van")]);
        assert_eq!(n_from_name("Madonna")[..2], [s(""), s("Madonna")]);
    }

    #[test]
    fn values() {
        let card = |body: &str| {
            parse(&format!(
                "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:X\r\n{body}\r\nEND:VCARD\r\n"
            ))
            .unwrap()
            .remove(0)
        };
        for (bday, want) in [
            ("19850125", some("1985-01-25")),
            ("1985-01-25", some("1985-01-25")),
            ("1985-01-25T00:00:00Z", some("1985-01-25")),
            ("19850125T120000", some("1985-01-25")),
            ("--0125", None),
            ("1985-02-30", None),
            ("circa 1800", None),
        ] {
            let c = card(&format!("BDAY:{bday}"));
            assert_eq!(c.birthday, want, "{bday}");
            assert_eq!(c.extra.is_empty(), want.is_some(), "{bday}");
        }
        // TYPE=pref in 3.0, PREF=n in 4.0 (lowest first), bare PREF in 2.1.
        let c = card("EMAIL:c@x.example\r\nEMAIL;PREF=2:b@x.example\r\nEMAIL;PREF=1:a@x.example");
        assert_eq!(
            c.emails,
            strs(&["a@x.example", "b@x.example", "c@x.example"])
        );
        let c = card("TEL:1 111\r\nTEL;TYPE=\"voice,pref\":2 222\r\nTEL;PREF;CELL:3 333");
        assert_eq!(c.phones, strs(&["2 222", "3 333", "1 111"]));
        let c = card("EMAIL;VALUE=uri:mailto:m@x.example\r\nTEL;VALUE=uri:TEL:+1-555-0100");
        assert_eq!(
            (c.emails[0].as_str(), c.phones[0].as_str()),
            ("m@x.example", "+1-555-0100")
        );
        let c = card("CATEGORIES:a\\,b,c, d ,,\r\nCATEGORIES:e");
        assert_eq!(c.categories, strs(&["a,b", "c", "d", "e"]));
        let c = card("ADR;TYPE=home:PO Box 7;Flat 2;1 High St;Leeds;;LS1 1AA;UK");
        assert_eq!(
            c.addresses,
            strs(&["1 High St, Flat 2, PO Box 7, Leeds, LS1 1AA, UK"])
        );
        let c = card("X-FOO;LABEL=\"a:b;c\":value:with:colons");
        assert_eq!(
            c.extra,
            extra(&[("X-FOO;LABEL=\"a:b;c\"", "value:with:colons")])
        );
        let c = card("NOTE:one\r\nNOTE:two\r\nTITLE:CEO\r\nTITLE:Founder");
        assert_eq!(c.notes, some("one\n\ntwo"));
        assert_eq!(c.title, some("CEO"));
        assert_eq!(c.extra, extra(&[("TITLE", "Founder")]));
        // 3.0 base64 on something other than media: kept as it is.
        let c = card("KEY;ENCODING=b;TYPE=PGP:bWFkZSB1cA==");
        assert_eq!(
            c.extra,
            extra(&[("KEY;ENCODING=b;TYPE=PGP", "bWFkZSB1cA==")])
        );
        // A CR alone inside a line of a file with LF line ends is part of the value (a line
        // break in a note, not the end of the property).
        let c = parse("BEGIN:VCARD\r\nFN:A\r\nNOTE:one\rtwo\r\nEMAIL:a@x.example\r\nEND:VCARD\r\n")
            .unwrap();
        assert_eq!(c[0].notes, some("one\ntwo"));
        assert_eq!(c[0].emails, strs(&["a@x.example"]));
        let c = parse("BEGIN:VCARD\nFN:A\nEMAIL:a\r@x.example\nEND:VCARD\n").unwrap();
        assert_eq!(c[0].emails, strs(&["a\n@x.example"]));
        // Lone CR line ends and tab folding.
        let c = parse("BEGIN:VCARD\rFN:Long\r\tName\rEND:VCARD\r").unwrap();
        assert_eq!(c[0].name, "LongName");
    }

    #[test]
    fn uids() {
        assert_eq!(contact_uid(12), "kith-contact-12@kith");
        assert_eq!(contact_id_from_uid("kith-contact-12@kith"), Some(12));
        assert_eq!(contact_id_from_uid("kith-task-12@kith"), None);
        assert_eq!(contact_id_from_uid("8f4e2a1c"), None);
    }

    #[test]
    fn writes_each_version() {
        let card = Card {
            name: s("王芳"),
            org: some("白云贸易有限公司"),
            title: some("采购经理"),
            emails: strs(&["wang.fang@baiyun.example.cn", "fang@example.cn"]),
            phones: strs(&["138 0013 8000"]),
            birthday: some("1990-05-20"),
            notes: some("line one\nline two, with; marks \\ here"),
            categories: strs(&["vip", "a,b"]),
            uid: Some(contact_uid(7)),
            ..Card::default()
        };
        let v4 = write(std::slice::from_ref(&card), Version::V4);
        assert_eq!(
            v4,
            "BEGIN:VCARD\r\nVERSION:4.0\r\nPRODID:-//kith//kith//EN\r\nFN:王芳\r\nN:王;芳;;;\r\n\
             ORG:白云贸易有限公司\r\nTITLE:采购经理\r\n\
             EMAIL;TYPE=work;PREF=1:wang.fang@baiyun.example.cn\r\n\
             EMAIL;TYPE=work:fang@example.cn\r\nTEL;PREF=1:138 0013 8000\r\n\
             BDAY:19900520\r\nNOTE:line one\\nline two\\, with\\; marks \\\\ here\r\n\
             CATEGORIES:vip,a\\,b\r\nUID;VALUE=text:kith-contact-7@kith\r\nEND:VCARD\r\n"
        );
        let v3 = write(std::slice::from_ref(&card), Version::V3);
        assert!(v3.contains("VERSION:3.0\r\n"));
        assert!(v3.contains("EMAIL;TYPE=internet,work,pref:wang.fang@baiyun.example.cn\r\n"));
        assert!(v3.contains("TEL;TYPE=voice,pref:138 0013 8000\r\n"));
        assert!(v3.contains("UID:kith-contact-7@kith\r\n"));
        assert_eq!(parse(&v3).unwrap(), vec![card.clone()]);
        assert_eq!(parse(&v4).unwrap(), vec![card]);
        assert_eq!(Version::default(), Version::V4);
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let card = Card {
            name: s("Long"),
            notes: Some("长".repeat(100) + &"a".repeat(200) + "é"),
            ..Card::default()
        };
        let text = write(std::slice::from_ref(&card), Version::V4);
        check_lines(&text);
        assert!(text.lines().count() > 8);
        assert_eq!(parse(&text).unwrap(), vec![card]);
    }

    fn check_lines(text: &str) {
        assert!(text.ends_with("\r\n"));
        for line in text.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
            assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
        }
    }

    fn without_media(mut cards: Vec<Card>) -> Vec<Card> {
        for c in &mut cards {
            c.skipped_media = 0;
        }
        cards
    }

    #[test]
    fn samples_round_trip() {
        for sample in [GOOGLE, APPLE, OUTLOOK, MONICA, messy_complete()] {
            let cards = without_media(parse(sample).unwrap());
            for version in [Version::V4, Version::V3] {
                let text = write(&cards, version);
                check_lines(&text);
                assert_eq!(parse(&text).unwrap(), cards, "{version:?}\n{text}");
                // Writing is stable: the second round gives the same bytes.
                assert_eq!(write(&parse(&text).unwrap(), version), text);
            }
        }
    }

    #[test]
    fn writes_what_it_keeps() {
        let cards = parse(APPLE).unwrap();
        let text = write(&cards, Version::V4);
        assert!(text.contains("\r\nORG:Fjällbacka Design AB;Studio\r\n"));
        assert!(text.contains("\r\nN:王;芳;;;\r\n"));
        assert!(text.contains("\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-05-20\r\n"));
        assert!(!text.contains("PHOTO"));
        let monica = write(&parse(MONICA).unwrap(), Version::V4);
        assert!(monica.contains("\r\nN:Natarajan;Priya;;Dr.;\r\n"));
        assert!(monica.contains("\r\nUID:urn:uuid:b7a0c3d2-5e1f-4a6b-8c9d-0e1f2a3b4c5d\r\n"));
        assert_eq!(monica.matches("\r\nN:").count(), 3);
        // CR LF in text is written as one line break.
        let card = Card {
            name: s("A"),
            notes: some("x\r\ny\rz"),
            extra: extra(&[("X-BAD\r\nNAME", "v\nw")]),
            ..Card::default()
        };
        let text = write(&[card], Version::V4);
        assert!(text.contains("NOTE:x\\ny\\nz\r\n"));
        assert!(text.contains("X-BADNAME:v\\nw\r\n"));
    }

    /// Text a person might type: Latin, CJK, punctuation vCard cares about, line breaks.
    fn text() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9王芳李明é ,;:.\\\\\"'=\n-]{1,60}"
            .prop_map(|s| s.trim().to_string())
            .prop_filter("not blank", |s| !s.is_empty())
    }

    #[test]
    fn reads_bytes_in_their_encodings() {
        // UTF-16 with a BOM, both byte orders.
        let text = "BEGIN:VCARD\r\nFN:Åsa 王\r\nEND:VCARD\r\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        for bytes in [le, be] {
            let got = read(&bytes).unwrap();
            assert_eq!(got[0].card.as_ref().unwrap().name, "Åsa 王");
            // The raw card of a UTF-16 file is its text as UTF-8.
            assert_eq!(got[0].raw, text.as_bytes());
        }
        // CHARSET per property; a CHARSET kith does not know spoils the card, with its line.
        let got = read(
            b"BEGIN:VCARD\nFN;CHARSET=ISO-8859-1:Jos\xe9\nEND:VCARD\n\
                        BEGIN:VCARD\nFN;CHARSET=X-MADE-UP:Jos\xe9\nEND:VCARD\n",
        )
        .unwrap();
        assert_eq!(got[0].card.as_ref().unwrap().name, "José");
        assert_eq!(
            got[1].card.as_ref().unwrap_err().to_string(),
            "vCard line 5: FN has CHARSET=X-MADE-UP, not an encoding kith knows"
        );
        assert_eq!(got[1].line, 4);
        assert_eq!(
            got[1].raw,
            b"BEGIN:VCARD\nFN;CHARSET=X-MADE-UP:Jos\xe9\nEND:VCARD\n"
        );
        // Quoted-printable bytes that are not UTF-8, with no CHARSET, in a UTF-8 file.
        let got = read(b"BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:Jos=E9\nEND:VCARD\n").unwrap();
        assert!(got[0]
            .card
            .as_ref()
            .unwrap_err()
            .reason
            .contains("not UTF-8, and no CHARSET"));
        assert!(read(&[0xFF, 0xFE, 0, 0, b'B', 0, 0, 0]).is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(input in "\\PC*") {
            let _ = parse(&input);
        }

        #[test]
        fn read_never_panics_on_any_bytes(
            bytes in proptest::collection::vec(any::<u8>(), 0..300),
            charset in proptest::sample::select(vec!["", ";CHARSET=SHIFT_JIS", ";CHARSET=UTF-8", ";CHARSET=bogus", ";ENCODING=QUOTED-PRINTABLE"]),
        ) {
            let _ = read(&bytes);
            let mut card = format!("BEGIN:VCARD\r\nFN{charset}:").into_bytes();
            card.extend(&bytes);
            card.extend(b"\r\nEND:VCARD\r\n");
            let _ = read(&card);
            let _ = read_in(&card, Some(encoding_rs::SHIFT_JIS));
            let _ = read_in(&card, Some(encoding_rs::UTF_16LE));
        }

        #[test]
        fn parse_never_panics_inside_a_card(
            body in "(\\PC|[\r\n\t:;=\\\\\"])*",
            folds in proptest::collection::vec(any::<proptest::sample::Index>(), 0..8),
            crlf in any::<bool>(),
        ) {
            let mut body = body;
            for at in folds {
                let mut i = at.index(body.len() + 1);
                while !body.is_char_boundary(i) {
                    i -= 1;
                }
                body.insert_str(i, if crlf { "\r\n " } else { "\n\t" });
            }
            let _ = parse(&format!("BEGIN:VCARD\r\nVERSION:3.0\r\n{body}\r\nEND:VCARD\r\n"));
            let _ = parse(&format!("BEGIN:VCARD\nN;ENCODING=QUOTED-PRINTABLE:{body}=\n"));
        }

        #[test]
        fn write_then_parse_round_trips(
            name in text(),
            emails in proptest::collection::vec(text(), 0..4),
            notes in proptest::option::of(text()),
            org in proptest::option::of(text()),
            categories in proptest::collection::vec(text(), 0..3),
            v3 in any::<bool>(),
        ) {
            let card = Card {
                name,
                org,
                emails,
                notes,
                categories,
                ..Card::default()
            };
            let text = write(std::slice::from_ref(&card), if v3 { Version::V3 } else { Version::V4 });
            check_lines(&text);
            prop_assert_eq!(parse(&text).unwrap(), vec![card]);
        }
    }
}
