//! The reading side of CSV import: where the rows come from and which fields the columns
//! hold.
//!
//! [`Source`] streams rows out of a file or stdin, whatever its encoding (UTF-8, GBK/GB18030,
//! UTF-16) and delimiter (comma, semicolon, tab), guessing both unless told. Only a prefix of
//! the input is ever held in memory. [`map_headers`] decides which field of a kind of record
//! each column fills, from the field names, their aliases and common synonyms in English and
//! Chinese, with `--map SRC=FIELD` pairs taking precedence.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Cursor, Read};
use std::rc::Rc;

use encoding_rs_io::DecodeReaderBytesBuilder;

use super::presets::{DatePart, NamePart, Role};
use crate::app::crm::Input;
use crate::core::error::{Error, Result};
use crate::model::custom::Custom;
use crate::model::{Entity, Field, Ty};

/// How many bytes are looked at to guess the encoding and the delimiter.
const PEEK: usize = 64 * 1024;

const BOM_UTF8: &[u8] = b"\xEF\xBB\xBF";
const BOM_UTF16LE: &[u8] = b"\xFF\xFE";
const BOM_UTF16BE: &[u8] = b"\xFE\xFF";
const BOM_UTF32LE: &[u8] = b"\xFF\xFE\x00\x00";
const BOM_UTF32BE: &[u8] = b"\x00\x00\xFE\xFF";

/// A character encoding of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// UTF-32, which encoding_rs does not read: decoded here.
    Utf32Le,
    Utf32Be,
    /// Any other encoding encoding_rs reads: windows-1252 (and latin1, which it stands
    /// for), Shift_JIS, Big5, EUC-KR, GB18030 (which also reads GBK and GB2312)…
    Legacy(&'static encoding_rs::Encoding),
}

impl Encoding {
    /// GB18030, which also reads GBK and GB2312 (its subsets).
    pub const GB18030: Encoding = Encoding::Legacy(encoding_rs::GB18030);
    /// windows-1252, which the labels latin1 and iso-8859-1 also name.
    pub const WINDOWS_1252: Encoding = Encoding::Legacy(encoding_rs::WINDOWS_1252);

    /// Some of the names accepted by [`Encoding::parse`], for messages.
    pub const EXAMPLES: &'static str =
        "utf-8, windows-1252 (latin1), gbk, gb18030, big5, shift_jis, euc-kr, utf-16le, \
         utf-16be, utf-32le, utf-32be";

    /// Read an encoding's name (case-insensitive): any label of the WHATWG Encoding
    /// Standard that encoding_rs knows (utf-8, windows-1252, latin1, iso-8859-15, gbk,
    /// gb18030, big5, shift_jis, euc-kr, euc-jp, koi8-r, utf-16le…), and utf-32, utf-32le,
    /// utf-32be (utf-32 alone: by its byte-order mark, else little endian).
    pub fn parse(name: &str) -> Result<Encoding> {
        let label = name.trim().to_ascii_lowercase();
        match label.as_str() {
            "utf-32" | "utf32" | "utf-32le" | "utf32le" => return Ok(Encoding::Utf32Le),
            "utf-32be" | "utf32be" => return Ok(Encoding::Utf32Be),
            // "utf-16" names no byte order; the BOM (read first) decides, else LE.
            "utf-16" | "utf16" => return Ok(Encoding::Utf16Le),
            _ => {}
        }
        match encoding_rs::Encoding::for_label_no_replacement(label.as_bytes()) {
            Some(e) => Ok(Encoding::of(e)),
            None => Err(crate::err!(
                Invalid,
                "import.unknown_encoding_use",
                name = name.trim(),
                examples = Encoding::EXAMPLES
            )),
        }
    }

    /// The encoding for an encoding_rs one (GBK is read as GB18030, its superset).
    pub fn of(e: &'static encoding_rs::Encoding) -> Encoding {
        if e == encoding_rs::UTF_8 {
            Encoding::Utf8
        } else if e == encoding_rs::UTF_16LE {
            Encoding::Utf16Le
        } else if e == encoding_rs::UTF_16BE {
            Encoding::Utf16Be
        } else if e == encoding_rs::GBK {
            Encoding::GB18030
        } else {
            Encoding::Legacy(e)
        }
    }

    /// The canonical name, as shown to users (lower case: `windows-1252`, `gb18030`).
    pub fn name(self) -> String {
        match self {
            Encoding::Utf8 => "utf-8".into(),
            Encoding::Utf16Le => "utf-16le".into(),
            Encoding::Utf16Be => "utf-16be".into(),
            Encoding::Utf32Le => "utf-32le".into(),
            Encoding::Utf32Be => "utf-32be".into(),
            Encoding::Legacy(e) => e.name().to_ascii_lowercase(),
        }
    }

    /// The byte-order mark this encoding may start with.
    pub fn bom(self) -> &'static [u8] {
        match self {
            Encoding::Utf8 => BOM_UTF8,
            Encoding::Utf16Le => BOM_UTF16LE,
            Encoding::Utf16Be => BOM_UTF16BE,
            Encoding::Utf32Le => BOM_UTF32LE,
            Encoding::Utf32Be => BOM_UTF32BE,
            Encoding::Legacy(_) => &[],
        }
    }

    /// The encoding_rs decoder, for those it has.
    fn codec(self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            Encoding::Utf8 => Some(encoding_rs::UTF_8),
            Encoding::Utf16Le => Some(encoding_rs::UTF_16LE),
            Encoding::Utf16Be => Some(encoding_rs::UTF_16BE),
            Encoding::Utf32Le | Encoding::Utf32Be => None,
            Encoding::Legacy(e) => Some(e),
        }
    }

    /// Decode a whole text (without its byte-order mark), or say where it is not in this
    /// encoding (`None`: a malformed sequence).
    pub fn decode(self, bytes: &[u8]) -> Option<String> {
        let bytes = bytes.strip_prefix(self.bom()).unwrap_or(bytes);
        match self.codec() {
            Some(c) => c
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(Cow::into_owned),
            None => {
                let mut out = Vec::with_capacity(bytes.len());
                let mut utf32 = Utf32::new(Cursor::new(bytes), self == Encoding::Utf32Be);
                utf32.read_to_end(&mut out).ok()?;
                String::from_utf8(out).ok()
            }
        }
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// What [`detect`] makes of a text's first bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// The encoding found, or the best guess when unsure.
    pub encoding: Encoding,
    /// Why the guess is not sure enough to read the text by; `None` when it is.
    pub unsure: Option<String>,
}

impl Detected {
    /// The encoding, or the error that asks for `--encoding` when the guess is unsure.
    pub fn require(&self) -> Result<Encoding> {
        match &self.unsure {
            None => Ok(self.encoding),
            Some(why) => Err(crate::err!(
                Invalid,
                "import.tell_file_encoding",
                why = why,
                encoding = self.encoding,
                examples = Encoding::EXAMPLES
            )),
        }
    }
}

/// Find the encoding of a text from its first bytes (all of it, or a prefix of at least a
/// few KiB; a character cut at the end is allowed).
///
/// In order: a byte-order mark (UTF-8, UTF-32 LE/BE, UTF-16 LE/BE) decides; text whose
/// every fourth or every other byte is zero is UTF-32 or UTF-16 without one; valid UTF-8 is
/// UTF-8. Anything else is guessed by chardetng (the detector Firefox uses for unlabelled
/// pages), which tells Western, Central European, Cyrillic, Greek… single-byte encodings
/// from GBK, Big5, Shift_JIS and EUC-KR by the letters and characters they would make.
///
/// The guess is *unsure* — and [`Detected::require`] refuses it — when the guessed
/// encoding cannot decode the bytes, when it would make control characters, and when there
/// is too little to go on: fewer than 8 bytes beyond ASCII for a double-byte guess (GBK,
/// Big5…), or, for a single-byte guess, fewer than 32 such bytes all in runs of even length
/// (which could as well be double-byte characters: `名` in GBK is two bytes Cyrillic
/// would read as two letters).
pub fn detect(prefix: &[u8]) -> Detected {
    let sure = |encoding| Detected {
        encoding,
        unsure: None,
    };
    for e in [
        Encoding::Utf8,
        Encoding::Utf32Le,
        Encoding::Utf32Be,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
    ] {
        if prefix.starts_with(e.bom()) {
            return sure(e);
        }
    }
    if let Some(e) = sniff_utf32(prefix).or_else(|| sniff_utf16(prefix)) {
        return sure(e);
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => return sure(Encoding::Utf8),
        // Only an incomplete character at the very end: the prefix cut it.
        Err(e) if e.error_len().is_none() => return sure(Encoding::Utf8),
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(prefix, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let encoding = Encoding::of(guess);
    let unsure = |why: String| Detected {
        encoding,
        unsure: Some(why),
    };
    // A multi-byte character may be cut at the end of the prefix: not the last input.
    let mut decoder = guess.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(prefix.len())
            .unwrap_or(prefix.len() * 3),
    );
    let (result, _) = decoder.decode_to_string_without_replacement(prefix, &mut text, false);
    if !matches!(result, encoding_rs::DecoderResult::InputEmpty) {
        return unsure(crate::tr!("import.valid_utf_nor", encoding = encoding));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return unsure(crate::tr!("import.valid_utf_read", encoding = encoding));
    }
    let high = prefix.iter().filter(|b| !b.is_ascii()).count();
    let double_byte = [
        encoding_rs::GBK,
        encoding_rs::GB18030,
        encoding_rs::BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_KR,
        encoding_rs::EUC_JP,
    ]
    .contains(&guess);
    let even_runs = prefix.split(|b| b.is_ascii()).all(|run| run.len() % 2 == 0);
    if (double_byte && high < 8) || (!double_byte && high < 32 && even_runs) {
        return unsure(crate::tr!(
            "import.valid_utf_bytes",
            high = high,
            encoding = encoding
        ));
    }
    sure(encoding)
}

/// What the user said about the input; `None` means "guess".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub encoding: Option<Encoding>,
    pub delimiter: Option<u8>,
    /// Lines before the header row to pass over (a preamble).
    pub skip_lines: u64,
}

/// Where the rows come from: a file or stdin ("-"). Streams: memory stays flat however big
/// the file.
pub struct Source {
    rdr: csv::Reader<Box<dyn Read>>,
    record: csv::ByteRecord,
    lines: Rc<RefCell<Lines>>,
    headers: Vec<String>,
    encoding: Encoding,
    delimiter: u8,
    /// Set after a read failure, so that iteration stops.
    done: bool,
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("headers", &self.headers)
            .field("encoding", &self.encoding)
            .field("delimiter", &(self.delimiter as char))
            .finish_non_exhaustive()
    }
}

impl Source {
    /// Open a reader and read its header row.
    ///
    /// Unless given, the encoding is found by [`detect`] from the first 64 KiB, and an
    /// unsure guess is refused, asking for `--encoding`. A given UTF-16 or UTF-32 still
    /// follows a byte-order mark of its width (`--encoding utf-16` reads a big-endian file
    /// with its BOM). Unless given, the delimiter is the most frequent of ',', ';' and tab
    /// outside quotes on the header line (ties go to ',', then ';').
    ///
    /// Line endings may be LF, CRLF or CR; they are read as LF, also inside quoted values.
    pub fn open(mut reader: Box<dyn Read>, opts: &Options) -> Result<Source> {
        if let Some(d) = opts.delimiter {
            if !d.is_ascii() || matches!(d, b'"' | b'\r' | b'\n') {
                return Err(crate::err!(
                    Invalid,
                    "import.delimiter_must_one",
                    delimiter = format!("{:?}", d as char)
                ));
            }
        }
        let prefix = peek(&mut reader, PEEK)
            .map_err(|e| crate::err!(Failed, "import.reading_input", reason = e))?;

        let encoding = match opts.encoding {
            Some(e @ (Encoding::Utf16Le | Encoding::Utf16Be)) => {
                match detect(&prefix[..prefix.len().min(4)]).encoding {
                    by_bom @ (Encoding::Utf16Le | Encoding::Utf16Be)
                        if prefix.starts_with(by_bom.bom()) =>
                    {
                        by_bom
                    }
                    _ => e,
                }
            }
            Some(e @ (Encoding::Utf32Le | Encoding::Utf32Be)) => {
                match detect(&prefix[..prefix.len().min(4)]).encoding {
                    by_bom @ (Encoding::Utf32Le | Encoding::Utf32Be)
                        if prefix.starts_with(by_bom.bom()) =>
                    {
                        by_bom
                    }
                    _ => e,
                }
            }
            Some(e) => e,
            None => detect(&prefix).require()?,
        };
        let bom = encoding.bom();
        let body = if !bom.is_empty() && prefix.starts_with(bom) {
            &prefix[bom.len()..]
        } else {
            &prefix[..]
        };

        let delimiter = match opts.delimiter {
            Some(d) => d,
            None => sniff_delimiter(after_lines(&decode_prefix(encoding, body), opts.skip_lines)),
        };

        let raw: Box<dyn Read> = Box::new(Cursor::new(body.to_vec()).chain(reader));
        let text: Box<dyn Read> = match encoding {
            // UTF-8 goes through unchanged, so that invalid bytes are reported per row
            // rather than silently replaced.
            Encoding::Utf8 => raw,
            Encoding::Utf32Le => Box::new(Utf32::new(raw, false)),
            Encoding::Utf32Be => Box::new(Utf32::new(raw, true)),
            other => Box::new(
                DecodeReaderBytesBuilder::new()
                    .encoding(other.codec())
                    .build(raw),
            ),
        };
        let lf = Lf::new(text, delimiter);
        let lines = Rc::clone(&lf.lines);
        let text: Box<dyn Read> = Box::new(lf);

        let rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text);
        let mut source = Source {
            rdr,
            record: csv::ByteRecord::new(),
            lines,
            headers: Vec::new(),
            encoding,
            delimiter,
            done: false,
        };
        // The header row: after --skip-lines, and after LinkedIn's preamble (a "Notes:"
        // line and one quoted paragraph).
        let mut notes_preamble = false;
        let mut first = true;
        let headers = loop {
            let next = source.next_cells();
            let was_first = std::mem::replace(&mut first, false);
            match next {
                None => return Err(crate::err!(Invalid, "import.input_empty_there")),
                Some(Err(e)) if line_of_error(&e) <= opts.skip_lines => continue,
                Some(Err(e)) => return Err(e),
                Some(Ok((line, _))) if line <= opts.skip_lines => continue,
                Some(Ok((_, cells)))
                    if was_first && cells.len() == 1 && cells[0].trim() == "Notes:" =>
                {
                    notes_preamble = true;
                }
                Some(Ok((_, cells))) if notes_preamble && cells.len() == 1 => {}
                Some(Ok((_, cells))) => break cells,
            }
        };
        source.headers = headers
            .into_iter()
            .map(|h| {
                h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                    .to_string()
            })
            .collect();
        Ok(source)
    }

    /// Open a file by path, or stdin for "-". A file that does not exist is bad input
    /// (`Error::Invalid`); other failures to open it are `Error::Failed`.
    pub fn open_path(path: &str, opts: &Options) -> Result<Source> {
        let reader: Box<dyn Read> = if path == "-" {
            Box::new(io::stdin())
        } else {
            match std::fs::File::open(path) {
                Ok(f) => Box::new(f),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return Err(crate::err!(Invalid, "import.such_file", path = path))
                }
                Err(e) => {
                    return Err(crate::err!(
                        Failed,
                        "import.path_error",
                        path = path,
                        reason = e
                    ))
                }
            }
        };
        Source::open(reader, opts)
    }

    /// The encoding the input is read in (given or guessed).
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The delimiter between cells (given or guessed).
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The header row (trimmed cells).
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The next data row with the line it starts on (1-based, the header counting as
    /// line 1). Cells are trimmed; a row shorter than the header is padded with empty
    /// cells, one longer is an error unless the extra cells are empty. Rows with no text at
    /// all are skipped. A bad row is an `Error::Invalid` naming its line, and reading may go
    /// on with the next row; a failure to read the input (`Error::Failed`) ends the rows.
    pub fn next_row(&mut self) -> Option<Result<(u64, Vec<String>)>> {
        let (line, mut cells) = match self.next_cells()? {
            Ok(row) => row,
            Err(e) => return Some(Err(e)),
        };
        let width = self.headers.len();
        if cells.len() > width {
            if cells[width..].iter().any(|c| !c.is_empty()) {
                let delim = match self.delimiter {
                    b'\t' => "a tab".to_string(),
                    d => format!("'{}'", d as char),
                };
                return Some(Err(crate::err!(
                    Invalid,
                    "import.line_cells_but",
                    line = line,
                    cells = cells.len(),
                    width = width,
                    delim = delim
                )));
            }
            cells.truncate(width);
        }
        cells.resize(width, String::new());
        Some(Ok((line, cells)))
    }

    /// The next record that has some text, as trimmed cells, with its first line.
    fn next_cells(&mut self) -> Option<Result<(u64, Vec<String>)>> {
        loop {
            if self.done {
                return None;
            }
            match self.rdr.read_byte_record(&mut self.record) {
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Ok(true) => {}
                Err(e) => {
                    let start = self.record.position().map_or(0, |p| p.byte());
                    let line = self.lines.borrow_mut().line_of(start);
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        self.done = true;
                        return Some(Err(crate::err!(
                            Failed,
                            "import.reading_input_line",
                            line = line,
                            reason = e
                        )));
                    }
                    return Some(Err(crate::err!(
                        Invalid,
                        "import.line_error",
                        line = line,
                        reason = e
                    )));
                }
            }
            // A quote still open at the end of the text took every line after it into this
            // record, which is the last: the file is broken there, not the row.
            if let Some(at) = self.lines.borrow().unclosed {
                self.done = true;
                return Some(Err(crate::err!(
                    Invalid,
                    "import.line_quote_opened",
                    at = at
                )));
            }
            let start = self.record.position().map_or(0, |p| p.byte());
            let line = self.lines.borrow_mut().line_of(start);
            if self.record.iter().all(|f| f.trim_ascii().is_empty()) {
                continue;
            }
            let mut cells = Vec::with_capacity(self.record.len());
            for field in self.record.iter() {
                match std::str::from_utf8(field) {
                    // A byte-order mark is only one as the file's first character (dropped
                    // with the encoding); anywhere else it is an invisible character that
                    // a spreadsheet pasted in, which would make the value unfindable.
                    Ok(s) if s.contains('\u{feff}') => {
                        cells.push(s.replace('\u{feff}', "").trim().to_string())
                    }
                    Ok(s) => cells.push(s.trim().to_string()),
                    Err(_) => {
                        return Some(Err(crate::err!(
                            Invalid,
                            "import.line_text_valid",
                            line = line,
                            encoding = self.encoding,
                            examples = Encoding::EXAMPLES
                        )))
                    }
                }
            }
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            return Some(Ok((line, cells)));
        }
    }
}

impl Iterator for Source {
    type Item = Result<(u64, Vec<String>)>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_row()
    }
}

/// The text after its first `n` lines.
fn after_lines(text: &str, n: u64) -> &str {
    let mut rest = text;
    for _ in 0..n {
        match rest.find(['\n', '\r']) {
            Some(i) => {
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
            }
            None => return "",
        }
    }
    rest
}

/// The line a reading error names ("line 12: …"), 0 if none.
fn line_of_error(e: &Error) -> u64 {
    e.to_string()
        .strip_prefix("line ")
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Read up to `limit` bytes (fewer only at the end of the input).
fn peek(reader: &mut dyn Read, limit: usize) -> io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(limit.min(8 * 1024));
    reader.take(limit as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// UTF-32 without a byte-order mark: text whose every four bytes hold three zeros
/// (mostly ASCII), in the order of the byte that is not.
fn sniff_utf32(prefix: &[u8]) -> Option<Encoding> {
    let sample = &prefix[..prefix.len().min(4096) & !3];
    let quads = sample.len() / 4;
    if quads < 2 {
        return None;
    }
    let count = |pattern: fn(&[u8]) -> bool| sample.chunks_exact(4).filter(|q| pattern(q)).count();
    let le = count(|q| q[2] == 0 && q[3] == 0 && (q[0] != 0 || q[1] != 0));
    let be = count(|q| q[0] == 0 && q[1] == 0 && (q[2] != 0 || q[3] != 0));
    if le * 10 >= quads * 9 {
        Some(Encoding::Utf32Le)
    } else if be * 10 >= quads * 9 {
        Some(Encoding::Utf32Be)
    } else {
        None
    }
}

/// UTF-16 without a byte-order mark: text whose every other byte is zero (mostly ASCII).
/// Text files never hold zero bytes otherwise.
fn sniff_utf16(prefix: &[u8]) -> Option<Encoding> {
    let sample = &prefix[..prefix.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zeros = |odd: usize| sample.chunks_exact(2).filter(|pair| pair[odd] == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 >= pairs * 3 && even * 20 < pairs {
        Some(Encoding::Utf16Le)
    } else if even * 10 >= pairs * 3 && odd * 20 < pairs {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// Decode a prefix (without its BOM) for looking at, replacing anything malformed.
fn decode_prefix(encoding: Encoding, body: &[u8]) -> Cow<'_, str> {
    match encoding.codec() {
        Some(codec) if codec == encoding_rs::UTF_8 => String::from_utf8_lossy(body),
        Some(codec) => codec.decode_without_bom_handling(body).0,
        None => {
            let mut out = Vec::new();
            let cut = &body[..body.len() & !3];
            let _ = Utf32::new(cut, encoding == Encoding::Utf32Be).read_to_end(&mut out);
            Cow::Owned(String::from_utf8_lossy(&out).into_owned())
        }
    }
}

/// Decodes UTF-32 (which encoding_rs does not read) into UTF-8, streaming. A unit that is
/// no Unicode scalar value (a surrogate, beyond U+10FFFF) or a text cut short of a whole
/// unit becomes a byte that is not UTF-8, so the row holding it is reported, as for UTF-8.
struct Utf32<R> {
    inner: R,
    big_endian: bool,
    /// Bytes read but not yet a whole unit.
    partial: Vec<u8>,
    /// Decoded bytes not yet handed out.
    out: VecDeque<u8>,
    eof: bool,
}

impl<R> Utf32<R> {
    fn new(inner: R, big_endian: bool) -> Utf32<R> {
        Utf32 {
            inner,
            big_endian,
            partial: Vec::new(),
            out: VecDeque::new(),
            eof: false,
        }
    }
}

impl<R: Read> Read for Utf32<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out.is_empty() && !self.eof {
            let mut chunk = [0u8; 8192];
            let n = self.inner.read(&mut chunk)?;
            if n == 0 {
                self.eof = true;
                if !self.partial.is_empty() {
                    self.partial.clear();
                    self.out.push_back(0xFF);
                }
                break;
            }
            self.partial.extend_from_slice(&chunk[..n]);
            let whole = self.partial.len() & !3;
            for unit in self.partial[..whole].chunks_exact(4) {
                let bytes = [unit[0], unit[1], unit[2], unit[3]];
                let n = if self.big_endian {
                    u32::from_be_bytes(bytes)
                } else {
                    u32::from_le_bytes(bytes)
                };
                match char::from_u32(n) {
                    Some(c) => {
                        let mut b = [0u8; 4];
                        self.out.extend(c.encode_utf8(&mut b).as_bytes());
                    }
                    None => self.out.push_back(0xFF),
                }
            }
            self.partial.drain(..whole);
        }
        let n = buf.len().min(self.out.len());
        for (slot, b) in buf.iter_mut().zip(self.out.drain(..n)) {
            *slot = b;
        }
        Ok(n)
    }
}

/// The most frequent of ',', ';' and tab outside quotes on the first line with text.
fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 3] = [b',', b';', b'\t'];
    let mut counts = [0usize; 3];
    let mut quoted = false;
    let mut started = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            '\n' | '\r' if !quoted && started => break,
            ',' | ';' | '\t' if !quoted => {
                counts[CANDIDATES.iter().position(|&d| d as char == c).unwrap_or(0)] += 1;
                started = true;
            }
            c if !c.is_whitespace() && c != '\u{feff}' => started = true,
            _ => {}
        }
    }
    let best = counts.iter().copied().max().unwrap_or(0);
    CANDIDATES
        .iter()
        .zip(counts)
        .find(|&(_, n)| n == best)
        .map_or(b',', |(&d, _)| d)
}

/// Where the line breaks are in the text handed to the CSV reader, from the oldest one that
/// may still matter: enough to number the lines of records without holding the input.
#[derive(Debug, Default)]
struct Lines {
    /// Line breaks forgotten, all before the current record.
    before: u64,
    /// Byte offsets of the line breaks not yet forgotten, in order.
    at: VecDeque<u64>,
    /// The text ended inside a quoted value opened on this line.
    unclosed: Option<u64>,
}

impl Lines {
    /// The line of the first text at or after byte `start`, skipping the empty lines the
    /// CSV reader skips; forgets the line breaks before `start`.
    fn line_of(&mut self, start: u64) -> u64 {
        while self.at.front().is_some_and(|&b| b < start) {
            self.at.pop_front();
            self.before += 1;
        }
        let blank = self
            .at
            .iter()
            .zip(start..)
            .take_while(|(b, want)| **b == *want)
            .count() as u64;
        1 + self.before + blank
    }
}

/// Where the CSV text is, as far as quotes go (the way the CSV reader reads them: a quote
/// opens a quoted value only at the start of a cell, `""` inside one is a quote).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// At the start of a cell.
    CellStart,
    /// In a cell that did not start with a quote.
    Unquoted,
    /// In a quoted value, opened on this line.
    Quoted(u64),
    /// Just after a quote in a quoted value: a second one is a quote, anything else closes.
    QuoteInQuoted(u64),
}

/// Turns CRLF and lone CR into LF, streaming, and notes where the line breaks are and
/// whether the text ends inside a quoted value.
struct Lf<R> {
    inner: R,
    after_cr: bool,
    /// Bytes handed out so far.
    offset: u64,
    lines: Rc<RefCell<Lines>>,
    delimiter: u8,
    quoting: Quoting,
    /// Line breaks handed out so far.
    breaks: u64,
}

impl<R> Lf<R> {
    fn new(inner: R, delimiter: u8) -> Lf<R> {
        Lf {
            inner,
            after_cr: false,
            offset: 0,
            lines: Rc::default(),
            delimiter,
            quoting: Quoting::CellStart,
            breaks: 0,
        }
    }

    /// Follow the quotes through one byte of the text as handed out (line breaks are LF).
    fn quote(&mut self, b: u8) {
        let line = self.breaks + 1;
        self.quoting = match (self.quoting, b) {
            (Quoting::CellStart, b'"') => Quoting::Quoted(line),
            (Quoting::Quoted(at), b'"') => Quoting::QuoteInQuoted(at),
            (Quoting::Quoted(at), _) => Quoting::Quoted(at),
            (Quoting::QuoteInQuoted(at), b'"') => Quoting::Quoted(at),
            (_, b'\n') => Quoting::CellStart,
            (_, d) if d == self.delimiter => Quoting::CellStart,
            _ => Quoting::Unquoted,
        };
        if b == b'\n' {
            self.breaks += 1;
        }
    }
}

impl<R: Read> Read for Lf<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                if let Quoting::Quoted(at) = self.quoting {
                    self.lines.borrow_mut().unclosed = Some(at);
                }
                return Ok(0);
            }
            let lines = Rc::clone(&self.lines);
            let mut lines = lines.borrow_mut();
            let mut w = 0;
            for r in 0..n {
                let b = buf[r];
                if b == b'\n' && self.after_cr {
                    self.after_cr = false;
                    continue;
                }
                self.after_cr = b == b'\r';
                if b == b'\r' || b == b'\n' {
                    buf[w] = b'\n';
                    lines.at.push_back(self.offset + w as u64);
                } else {
                    buf[w] = b;
                }
                self.quote(buf[w]);
                w += 1;
            }
            if w > 0 {
                self.offset += w as u64;
                return Ok(w);
            }
        }
    }
}

/// How columns map to fields of one kind of record.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    /// The field name per column; `None` = the column is ignored. Columns kept in the notes
    /// show as `notes`.
    pub columns: Vec<Option<&'static str>>,
    /// How each column fills its field.
    pub roles: Vec<Role>,
    /// The header of each column, for `Header: value` lines in the notes.
    pub headers: Vec<String>,
}

impl Mapping {
    /// The (field, value) pairs of a row given as plain values, in column order, skipping
    /// ignored columns. A list field (emails, phones, tags) may come several times.
    pub fn pairs<'a>(
        &'a self,
        row: &'a [String],
    ) -> impl Iterator<Item = (&'static str, &'a str)> + 'a {
        self.columns
            .iter()
            .zip(&self.roles)
            .zip(row)
            .filter(|((_, r), _)| **r == Role::Value)
            .filter_map(|((f, _), v)| f.map(|f| (f, v.as_str())))
    }

    /// The columns that fill a field.
    pub fn columns_of(&self, field: &str) -> Vec<usize> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, f)| **f == Some(field))
            .map(|(i, _)| i)
            .collect()
    }

    /// A row as the input of one record. Empty cells give nothing.
    pub fn input(&self, entity: Entity, row: &[String]) -> Input {
        let mut input = Input::new();
        let mut notes: Option<String> = None;
        let mut lines: Vec<String> = Vec::new();
        let mut names: Vec<(&'static str, NamePart, u8, String)> = Vec::new();
        let mut dates: Vec<(&'static str, DatePart, String)> = Vec::new();
        let mut outcome: Option<&'static str> = None;
        let mut flags: Vec<(&'static str, &'static str)> = Vec::new();
        for (i, cell) in row.iter().enumerate() {
            let v = cell.trim();
            let Some(field) = self.columns.get(i).copied().flatten() else {
                continue;
            };
            if v.is_empty() {
                continue;
            }
            let note = |lines: &mut Vec<String>, v: &str| {
                lines.push(format!("{}: {v}", header_label(&self.headers, i)))
            };
            match self.roles[i] {
                Role::Value => {
                    let f = entity.field(field);
                    if field == "notes" {
                        match &mut notes {
                            None => notes = Some(v.to_string()),
                            Some(_) => note(&mut lines, v),
                        }
                        continue;
                    }
                    let multi = f.is_some_and(is_multi);
                    let parts = split_values(v);
                    if multi {
                        for p in parts {
                            input.set(field, p);
                        }
                        continue;
                    }
                    if f.is_some_and(|f| f.ty == Ty::Date) && is_zero_date(v) {
                        continue;
                    }
                    let mut parts = parts.into_iter();
                    if let Some(first) = parts.next() {
                        if input.has(field) {
                            note(&mut lines, &first);
                        } else {
                            input.set(field, first);
                        }
                    }
                    for rest in parts {
                        note(&mut lines, &rest);
                    }
                }
                Role::Note => {
                    if !is_default_value(v) {
                        note(&mut lines, v);
                    }
                }
                Role::Name(part, order) => names.push((field, part, order, v.to_string())),
                Role::Date(part) => dates.push((field, part, v.to_string())),
                Role::Flag(value) => {
                    if crate::core::values::parse_bool(v).unwrap_or(false)
                        || matches!(v, "是" | "√" | "✓" | "x" | "X")
                    {
                        flags.push((field, value));
                    }
                }
                Role::Outcome => {
                    outcome = match v.to_lowercase().as_str() {
                        "won" | "closed won" | "赢单" => Some("closed won"),
                        "lost" | "closed lost" | "输单" => Some("closed lost"),
                        _ => outcome,
                    }
                }
            }
        }
        for (field, value) in flags {
            if !input.has(field) {
                input.set(field, value);
            }
        }
        // A name from its parts, when no column gave the whole name.
        let mut joined: Vec<&'static str> = names.iter().map(|n| n.0).collect();
        joined.dedup();
        for field in joined {
            if input.has(field) {
                continue;
            }
            let parts: Vec<(NamePart, u8, &str)> = names
                .iter()
                .filter(|n| n.0 == field)
                .map(|n| (n.1, n.2, n.3.as_str()))
                .collect();
            let name = join_name(&parts);
            if !name.is_empty() {
                input.set(field, name);
            }
        }
        let mut date_fields: Vec<&'static str> = dates.iter().map(|d| d.0).collect();
        date_fields.dedup();
        for field in date_fields {
            let part = |p: DatePart| {
                dates
                    .iter()
                    .find(|d| d.0 == field && d.1 == p)
                    .and_then(|d| d.2.trim().parse::<u32>().ok())
                    .filter(|n| *n > 0)
            };
            match (
                part(DatePart::Year),
                part(DatePart::Month),
                part(DatePart::Day),
            ) {
                (Some(y), Some(m), Some(d)) if !input.has(field) => {
                    input.set(field, format!("{y:04}-{m:02}-{d:02}"))
                }
                (None, Some(m), Some(d)) => lines.push(format!("{field}: --{m:02}-{d:02}")),
                _ => {}
            }
        }
        if let Some(words) = outcome {
            input.take("stage");
            input.set("stage", words);
        }
        if !lines.is_empty() && entity.field("notes").is_some() {
            let mut text = notes.take().unwrap_or_default();
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&lines.join("\n"));
            notes = Some(text);
        }
        if let Some(n) = notes {
            input.set("notes", n);
        }
        input
    }
}

/// A cell's values: Google joins several with ` ::: `, Krayin writes a JSON list of
/// `{"value": …, "label": …}`.
fn split_values(v: &str) -> Vec<String> {
    let t = v.trim();
    if t.starts_with('[') && t.ends_with(']') {
        if let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(t) {
            let values: Vec<String> = items
                .iter()
                .filter_map(|item| match item {
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Object(o) => {
                        o.get("value").and_then(|v| v.as_str()).map(str::to_string)
                    }
                    _ => None,
                })
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            return values;
        }
    }
    t.split(":::")
        .map(|p| p.trim().trim_start_matches("* ").trim().to_string())
        .filter(|p| !p.is_empty() && p != "myContacts")
        .collect()
}

/// Outlook writes `0/0/00` for a date it does not have.
fn is_zero_date(v: &str) -> bool {
    v.chars().any(|c| c == '0') && v.chars().all(|c| c == '0' || "/-.".contains(c))
}

/// Values export tools write into every row for "nothing set" (Outlook's `Normal`
/// sensitivity, `Unspecified` gender, a `FALSE` flag): kept out of the notes.
fn is_default_value(v: &str) -> bool {
    let l = v.to_lowercase();
    matches!(l.as_str(), "normal" | "unspecified" | "false" | "no") || is_zero_date(v)
}

/// A name from its parts: family name first without spaces when every part is CJK
/// (张 + 三 → 张三), otherwise in order (given, middle, family, suffix; or as `--map`
/// listed them) with spaces.
pub fn join_name(parts: &[(NamePart, u8, &str)]) -> String {
    let mut parts: Vec<(NamePart, u8, &str)> = parts
        .iter()
        .map(|&(p, o, v)| (p, o, v.trim()))
        .filter(|(_, _, v)| !v.is_empty())
        .collect();
    parts.sort_by_key(|p| p.1);
    let cjk = !parts.is_empty()
        && parts
            .iter()
            .all(|(_, _, v)| v.chars().all(|c| is_cjk(c) || c == '·'));
    if cjk {
        let family = parts.iter().filter(|p| p.0 == NamePart::Family);
        let rest = parts.iter().filter(|p| p.0 != NamePart::Family);
        return family.chain(rest).map(|p| p.2).collect();
    }
    parts.iter().map(|p| p.2).collect::<Vec<_>>().join(" ")
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x1100..=0x11FF
        | 0x3130..=0x318F
        | 0xAC00..=0xD7AF
        | 0x20000..=0x2FA1F)
}

/// Parse a `--map` value `SRC=FIELD`. The last '=' splits, so the header may contain '='.
/// Both sides are trimmed and must not be empty. SRC may join columns: `First+Last=name`.
pub fn parse_map(spec: &str) -> Result<(String, String)> {
    let bad = || crate::err!(Invalid, "import.map_expected_column", spec = spec);
    let (src, field) = spec.rsplit_once('=').ok_or_else(bad)?;
    let (src, field) = (src.trim(), field.trim());
    if src.is_empty() || field.is_empty() {
        return Err(bad());
    }
    Ok((src.to_string(), field.to_string()))
}

/// What a column was mapped by, strongest last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum By {
    Name,
    Preset,
    Hand,
}

/// The columns a `--map` source names: one header (case-insensitive; failing that,
/// ignoring spaces, '_' and '-').
fn find_header(headers: &[String], src: &str) -> Vec<usize> {
    let wanted = src.trim().to_lowercase();
    let hits: Vec<usize> = (0..headers.len())
        .filter(|&i| headers[i].trim().to_lowercase() == wanted)
        .collect();
    if !hits.is_empty() {
        return hits;
    }
    let wanted = norm(src);
    (0..headers.len())
        .filter(|&i| !wanted.is_empty() && norm(&headers[i]) == wanted)
        .collect()
}

/// Map headers to fields of `entity`, without a preset. See [`map_headers_with`].
pub fn map_headers(
    entity: Entity,
    headers: &[String],
    explicit: &[(String, String)],
) -> Result<(Mapping, Vec<String>)> {
    map_headers_with(entity, Custom::none(), headers, explicit, None)
}

/// Map headers to fields of `entity`.
///
/// Explicit `--map SRC=FIELD` pairs come first: SRC is a header (case-insensitive; failing
/// that, ignoring spaces, '_' and '-') or several joined with '+' (`First Name+Last
/// Name=name`), FIELD a field name or alias of the entity, `notes` (several columns may go
/// there, each after the first as a `Header: value` line), or "-" to ignore the column.
/// Then the preset's columns (`--from outlook` …). Every other header is matched by name:
/// the field's name or alias (ignoring case, spaces, '_', '-', '.', '*', ':' and a trailing
/// "(…)" note, so "Expected Close", "expected_close" and "close" all work), then common
/// synonyms in English and Chinese, first and last names (joined into the name when no
/// column gives it whole), and headers kept in the notes (QQ, 微信, fax…). With a preset,
/// a column that maps to nothing goes to the notes. Fields kith sets itself (id, status of
/// deals, timestamps…) are never mapped.
///
/// Returns the mapping and the headers left unmapped, for the caller to warn about
/// (columns ignored with "-" are not in the list; a blank header shows as "(column N)").
///
/// Errors, all reported in one message with the `--map` that fixes each: a `--map` naming
/// a header not in the file or a field the entity doesn't have; two columns mapped to the
/// same single-valued field (emails, phones, tags and notes may take several columns; a
/// mapping by hand wins over a preset, which wins over a match by name); no column for the
/// entity's label field (name, title or subject).
pub fn map_headers_with(
    entity: Entity,
    custom: &Custom,
    headers: &[String],
    explicit: &[(String, String)],
    preset: Option<&crate::io::import::presets::Preset>,
) -> Result<(Mapping, Vec<String>)> {
    let n = headers.len();
    let mut columns: Vec<Option<&'static str>> = vec![None; n];
    let mut roles: Vec<Role> = vec![Role::Value; n];
    let mut by: Vec<Option<By>> = vec![None; n];
    let mut problems: Vec<String> = Vec::new();
    let mut fixes: Vec<String> = Vec::new();

    for (src, field) in explicit {
        let spec = format!("--map '{src}={field}'");
        let mut hits = find_header(headers, src);
        let mut parts: Vec<Vec<usize>> = Vec::new();
        if hits.is_empty() && src.contains('+') {
            parts = src.split('+').map(|s| find_header(headers, s)).collect();
            let missing: Vec<&str> = src
                .split('+')
                .zip(&parts)
                .filter(|(_, p)| p.is_empty())
                .map(|(s, _)| s.trim())
                .collect();
            if missing.is_empty() {
                hits = parts.iter().flatten().copied().collect();
            } else {
                problems.push(format!(
                    "{spec}: the file has no column '{}' (its columns: {})",
                    missing.join("', '"),
                    list_headers(headers)
                ));
                continue;
            }
        }
        if hits.is_empty() {
            problems.push(format!(
                "{spec}: the file has no column '{}' (its columns: {})",
                src.trim(),
                list_headers(headers)
            ));
            continue;
        }
        let target = if field.trim() == "-" {
            None
        } else {
            let custom_field = custom.field(entity, field).filter(|f| f.custom);
            match resolve_field(entity, field).or_else(|e| custom_field.ok_or(e)) {
                Ok(f) => Some(f),
                Err(e) => {
                    problems.push(e.context(&spec).to_string());
                    continue;
                }
            }
        };
        if !parts.is_empty() {
            // Joined columns: a name from its parts, or other text joined with spaces.
            let Some(f) = target else {
                for i in hits {
                    columns[i] = None;
                    by[i] = Some(By::Hand);
                }
                continue;
            };
            for (order, cols) in parts.iter().enumerate() {
                for &i in cols {
                    let part = name_part(&headers[i]).unwrap_or(NamePart::Other);
                    columns[i] = Some(f.name);
                    roles[i] = Role::Name(part, order as u8);
                    by[i] = Some(By::Hand);
                }
            }
            continue;
        }
        for i in hits {
            columns[i] = target.map(|f| f.name);
            // A column sent to the notes that is not itself a notes column is kept as
            // "Header: value".
            let own_notes = auto_field(entity, &headers[i]).is_some_and(|f| f.name == "notes");
            roles[i] = if columns[i] == Some("notes") && !own_notes {
                Role::Note
            } else {
                Role::Value
            };
            by[i] = Some(By::Hand);
        }
    }

    if let Some(p) = preset {
        for (i, h) in headers.iter().enumerate() {
            if by[i].is_some() {
                continue;
            }
            if let Some(target) = p.target(h) {
                let (field, role) = crate::io::import::presets::resolve(entity, target);
                columns[i] = field;
                roles[i] = role;
                by[i] = Some(By::Preset);
            }
        }
    }

    for (i, h) in headers.iter().enumerate() {
        if by[i].is_some() {
            continue;
        }
        if let Some((field, part)) = date_part(entity, h, headers) {
            columns[i] = Some(field);
            roles[i] = Role::Date(part);
            by[i] = Some(By::Name);
        } else if let Some(f) = auto_field(entity, h) {
            columns[i] = Some(f.name);
            by[i] = Some(By::Name);
        } else if let Some(part) = name_part(h).filter(|_| settable_name(entity)) {
            columns[i] = Some("name");
            roles[i] = Role::Name(part, part as u8);
            by[i] = Some(By::Name);
        } else if is_note_header(h) && entity.field("notes").is_some() {
            columns[i] = Some("notes");
            roles[i] = Role::Note;
            by[i] = Some(By::Name);
        }
    }

    // Custom fields, by name or label.
    for (i, h) in headers.iter().enumerate() {
        if by[i].is_some() || columns[i].is_some() {
            continue;
        }
        let n = norm(h);
        let hit = custom.of(entity).iter().find(|f| {
            norm(f.name) == n || custom.label(entity, f.name).is_some_and(|l| norm(l) == n)
        });
        if let Some(f) = hit {
            columns[i] = Some(f.name);
            by[i] = Some(By::Name);
        }
    }

    // Single-valued fields given as plain values by more than one column.
    for field in entity.fields() {
        if is_multi(field) || matches!(field.ty, Ty::Phone | Ty::Email) || field.name == "notes" {
            continue;
        }
        let users: Vec<usize> = (0..n)
            .filter(|&i| columns[i] == Some(field.name) && roles[i] == Role::Value)
            .collect();
        if users.len() < 2 {
            continue;
        }
        let top = users.iter().filter_map(|&i| by[i]).max();
        let winners: Vec<usize> = users.iter().copied().filter(|&i| by[i] == top).collect();
        if top == Some(By::Preset) && entity.field("notes").is_some() {
            // A tool's second organisation, address…: kept in the notes.
            for &i in &winners[1..] {
                roles[i] = Role::Note;
            }
            for &i in &users {
                if by[i] != top {
                    columns[i] = None;
                    by[i] = None;
                }
            }
            continue;
        }
        if winners.len() == 1 {
            for &i in &users {
                if by[i] != top {
                    columns[i] = None;
                    by[i] = None;
                }
            }
            continue;
        }
        let names: Vec<String> = winners
            .iter()
            .map(|&i| format!("'{}'", header_label(headers, i)))
            .collect();
        let keep_notes = entity.field("notes").is_some();
        let send = if keep_notes { "notes" } else { "-" };
        let others: Vec<String> = winners[1..]
            .iter()
            .map(|&i| format!("--map '{}={send}'", header_label(headers, i)))
            .collect();
        let others_h: Vec<String> = winners[1..]
            .iter()
            .map(|&i| header_label(headers, i))
            .collect();
        let names = names.join(crate::tr!("import.and"));
        let fix = others.join(" ");
        // The one or several other columns the advice names take their pronoun from the
        // catalog's forms for their count.
        let n = others_h.len();
        problems.push(if keep_notes {
            crate::plural!(
                "import.columns_one_field_notes",
                n,
                names = names,
                entity = entity.label(),
                field = field.name,
                fix = fix,
                first = others_h[0]
            )
        } else {
            crate::plural!(
                "import.columns_one_field",
                n,
                names = names,
                entity = entity.label(),
                field = field.name,
                fix = fix,
                first = others_h[0]
            )
        });
        fixes.extend(others);
    }

    let label = entity.label_field();
    // A label kith makes itself (a quote's number, a plan item's name) need not be given.
    let label_given = entity.field(label).is_some_and(|f| f.required);
    let has_label = !label_given
        || columns
            .iter()
            .zip(&roles)
            .any(|(c, r)| *c == Some(label) && matches!(r, Role::Value | Role::Name(..)));
    let unmapped: Vec<String> = (0..n)
        .filter(|&i| columns[i].is_none() && by[i].is_none())
        .map(|i| header_label(headers, i))
        .collect();
    if !has_label {
        let candidates = if unmapped.is_empty() {
            crate::tr!("import.its_columns", columns = list_headers(headers))
        } else {
            crate::tr!("import.columns_not_mapped", columns = unmapped.join(", "))
        };
        problems.push(if label == "name" {
            crate::tr!(
                "import.no_label_column_join",
                entity = entity.label(),
                label = label,
                candidates = candidates
            )
        } else {
            crate::tr!(
                "import.no_label_column",
                entity = entity.label(),
                label = label,
                candidates = candidates
            )
        });
        fixes.push(format!("--map 'COLUMN={label}'"));
    }
    if problems.len() == 1 {
        return Err(Error::invalid(problems.remove(0)));
    }
    if !problems.is_empty() {
        let mut text = crate::tr!("import.columns_do_not_map", n = problems.len());
        for p in &problems {
            text.push_str("\n  ");
            text.push_str(p);
        }
        if fixes.len() > 1 {
            text.push_str(crate::tr!("import.all_at_once"));
            text.push_str(&fixes.join(" "));
        }
        return Err(Error::invalid(text));
    }
    // With a preset every column the tool writes is kept: those no field takes go to the
    // notes.
    let mut unmapped = unmapped;
    if preset.is_some() && entity.field("notes").is_some() {
        for i in 0..n {
            if columns[i].is_none() && by[i].is_none() && !headers[i].trim().is_empty() {
                columns[i] = Some("notes");
                roles[i] = Role::Note;
            }
        }
        unmapped.retain(|h| h.starts_with("(column "));
    }
    Ok((
        Mapping {
            columns,
            roles,
            headers: headers.to_vec(),
        },
        unmapped,
    ))
}

/// Whether the entity's label is a settable `name` (contacts, accounts, leads).
fn settable_name(entity: Entity) -> bool {
    entity.label_field() == "name"
}

/// The part of a name a header holds ("First Name", "Last Name", "姓", "名" …).
fn name_part(header: &str) -> Option<NamePart> {
    let n = norm(header);
    let is = |words: &[&str]| words.iter().any(|w| norm(w) == n);
    if is(&["first name", "given name", "firstname", "forename", "名"]) {
        Some(NamePart::Given)
    } else if is(&["middle name", "additional name", "middlename", "middle"]) {
        Some(NamePart::Middle)
    } else if is(&[
        "last name",
        "family name",
        "surname",
        "lastname",
        "姓",
        "姓氏",
    ]) {
        Some(NamePart::Family)
    } else if is(&["suffix", "name suffix"]) {
        Some(NamePart::Suffix)
    } else {
        None
    }
}

/// A date given in three columns: "Birth Year", "Birth Month", "Birth Day".
fn date_part(entity: Entity, header: &str, headers: &[String]) -> Option<(&'static str, DatePart)> {
    let n = norm(header);
    let f = entity.field("birthday")?;
    // "Birth Day" is a day of the month only beside "Birth Month" (read loosely, it is
    // the field's name).
    let beside_month = || headers.iter().any(|h| norm(h) == "birthmonth");
    let part = match n.as_str() {
        "birthyear" | "出生年份" => DatePart::Year,
        "birthmonth" | "出生月份" => DatePart::Month,
        "birthday" if header.trim().contains(char::is_whitespace) && beside_month() => {
            DatePart::Day
        }
        "出生日" => DatePart::Day,
        _ => return None,
    };
    Some((f.name, part))
}

/// Headers no field takes that are kept in the notes wherever they come: messenger ids,
/// fax, post code, department.
fn is_note_header(header: &str) -> bool {
    let n = norm(header);
    [
        "qq",
        "qq号",
        "微信",
        "微信号",
        "wechat",
        "skype",
        "传真",
        "fax",
        "邮编",
        "邮政编码",
        "postal code",
        "zip",
        "zip code",
        "postcode",
        "部门",
        "department",
        "nickname",
        "昵称",
    ]
    .iter()
    .any(|w| norm(w) == n)
}

fn list_headers(headers: &[String]) -> String {
    if headers.is_empty() {
        return "none".to_string();
    }
    (0..headers.len())
        .map(|i| header_label(headers, i))
        .collect::<Vec<_>>()
        .join(", ")
}

fn header_label(headers: &[String], i: usize) -> String {
    let h = headers[i].trim();
    if h.is_empty() {
        format!("(column {})", i + 1)
    } else {
        h.to_string()
    }
}

/// Emails, phones and tags: several columns may feed them.
fn is_multi(field: &Field) -> bool {
    matches!(field.ty, Ty::List { .. } | Ty::Tags)
}

/// The fields an import may set.
fn settable(entity: Entity) -> impl Iterator<Item = &'static Field> {
    entity.fields().iter().filter(|f| !f.system)
}

/// The field a `--map` names.
fn resolve_field(entity: Entity, name: &str) -> Result<&'static Field> {
    let n = norm(name);
    let found = entity.field(name).or_else(|| {
        settable(entity).find(|f| norm(f.name) == n || f.aliases.iter().any(|a| norm(a) == n))
    });
    let names = || {
        settable(entity)
            .map(|f| f.name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match found {
        Some(f) if !f.system => Ok(f),
        Some(f) => Err(crate::err!(
            Invalid,
            "import.field_set_imported",
            entity = entity.label(),
            field = f.name,
            names = names()
        )),
        None => Err(crate::err!(
            Invalid,
            "import.field_fields",
            kind = entity.plural(),
            name = name.trim(),
            names = names()
        )),
    }
}

/// The field a header names by itself: a field's name or alias, else a synonym.
fn auto_field(entity: Entity, header: &str) -> Option<&'static Field> {
    let n = norm(header);
    if n.is_empty() {
        return None;
    }
    if let Some(f) =
        settable(entity).find(|f| norm(f.name) == n || f.aliases.iter().any(|a| norm(a) == n))
    {
        return Some(f);
    }
    entity
        .kind()
        .synonyms
        .iter()
        .chain(COMMON_SYNONYMS)
        .find(|(_, words)| words.iter().any(|w| norm(w) == n))
        .and_then(|(target, _)| synonym_target(entity, target))
}

/// The settable field a synonym table entry points at, if the entity has it.
fn synonym_target(entity: Entity, target: &str) -> Option<&'static Field> {
    settable(entity).find(|f| f.name == target || f.aliases.contains(&target))
}

/// A header or name as compared: lower case, without spaces, '_', '-', '.', '*', ':', '#'
/// and a trailing note in brackets ("Amount (USD)", "金额（元）").
fn norm(s: &str) -> String {
    let mut base = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    for (open, close) in [('(', ')'), ('（', '）'), ('[', ']'), ('【', '】')] {
        if let Some(inner) = base.strip_suffix(close) {
            if let Some(i) = inner.rfind(open) {
                if !inner[..i].trim().is_empty() {
                    base = inner[..i].trim_end();
                }
            }
        }
    }
    base.chars()
        .filter(|&c| !(c.is_whitespace() || matches!(c, '_' | '-' | '.' | '*' | ':' | '：' | '#')))
        .flat_map(char::to_lowercase)
        .collect()
}

use crate::model::kind::Synonyms;

/// Synonyms that mean the same field wherever the entity has it. The target is a field name
/// or alias (contacts take "phone" as their `phones`).
const COMMON_SYNONYMS: &[Synonyms] = &[
    (
        "phone",
        &[
            "电话",
            "手机",
            "手机号",
            "手机号码",
            "联系电话",
            "联系方式",
            "电话号码",
            "座机",
            "移动电话",
            "首选电话",
            "mobile",
            "mobile phone",
            "mobile number",
            "telephone",
            "tel",
            "phone number",
            "cell",
            "cell phone",
            "work phone",
            "contact numbers",
        ],
    ),
    (
        "email",
        &[
            "邮箱",
            "电子邮件",
            "电子邮箱",
            "邮件",
            "邮箱地址",
            "首选邮箱",
            "e-mail",
            "mail",
            "email address",
            "e-mail address",
        ],
    ),
    (
        "address",
        &[
            "地址",
            "详细地址",
            "通讯地址",
            "联系地址",
            "办公地址",
            "street",
            "street address",
        ],
    ),
    ("city", &["城市", "市", "所在城市", "town"]),
    (
        "region",
        &[
            "省份",
            "省",
            "地区",
            "所在地区",
            "区域",
            "state",
            "province",
            "state/province",
        ],
    ),
    (
        "country",
        &[
            "国家",
            "国家/地区",
            "country/region",
            "nation",
            "office location",
        ],
    ),
    ("industry", &["行业", "所属行业", "sector", "vertical"]),
    (
        "website",
        &[
            "网址", "网站", "官网", "主页", "url", "web", "web site", "homepage",
        ],
    ),
    (
        "notes",
        &[
            "备注",
            "说明",
            "描述",
            "备注信息",
            "description",
            "comments",
            "comment",
            "note",
            "remarks",
            "memo",
        ],
    ),
    ("tags", &["标签", "labels", "label", "tag"]),
    (
        "owner",
        &[
            "负责人",
            "销售",
            "客户经理",
            "销售代表",
            "销售人员",
            "跟进人",
            "所有者",
            "sales agent",
            "sales rep",
            "sales representative",
            "salesperson",
            "assigned to",
            "account manager",
        ],
    ),
    (
        "source",
        &[
            "来源",
            "客户来源",
            "线索来源",
            "渠道",
            "lead source",
            "channel",
        ],
    ),
    (
        "birthday",
        &[
            "生日",
            "出生日期",
            "date of birth",
            "dob",
            "birth date",
            "birthdate",
        ],
    ),
    (
        "amount",
        &[
            "金额",
            "预计金额",
            "商机金额",
            "合同金额",
            "value",
            "deal value",
            "deal amount",
            "close value",
        ],
    ),
    (
        "stage",
        &[
            "阶段",
            "销售阶段",
            "商机阶段",
            "商机状态",
            "deal stage",
            "sales stage",
            "stagename",
            "stage name",
            "opportunity stage",
            "pipeline stage",
        ],
    ),
    (
        "expected_close",
        &[
            "预计成交日期",
            "预计成交时间",
            "预计签单日期",
            "成交日期",
            "close date",
            "expected close date",
            "expected closing date",
            "closing date",
        ],
    ),
    (
        "due",
        &[
            "截止日期",
            "截止时间",
            "到期",
            "到期日",
            "期限",
            "due date",
            "deadline",
        ],
    ),
    ("status", &["状态", "客户状态", "线索状态", "lead status"]),
    (
        "tier",
        &["级别", "等级", "客户级别", "客户等级", "level", "grade"],
    ),
    ("score", &["评分", "分数", "线索评分", "lead score"]),
    (
        "probability",
        &[
            "概率",
            "赢率",
            "成交概率",
            "赢单率",
            "win probability",
            "likelihood",
        ],
    ),
    ("currency", &["币种", "货币", "currency code"]),
    (
        "parent",
        &[
            "上级公司",
            "母公司",
            "上级客户",
            "subsidiary of",
            "parent company",
            "parent account",
        ],
    ),
    ("role", &["角色"]),
    ("cost", &["成本", "商机成本"]),
    ("lead", &["线索"]),
    ("competitor", &["竞争对手", "competitors"]),
    (
        "reason",
        &[
            "原因",
            "输赢原因",
            "win/loss reason",
            "loss reason",
            "lost reason",
        ],
    ),
    ("priority", &["优先级"]),
    (
        "done",
        &["完成", "已完成", "completed", "complete", "is done"],
    ),
    ("pipeline", &["销售流程", "管道"]),
    (
        "at",
        &[
            "时间",
            "日期",
            "活动时间",
            "拜访时间",
            "date",
            "time",
            "datetime",
            "when",
        ],
    ),
    ("outcome", &["结果", "result"]),
    ("minutes", &["时长", "分钟", "duration minutes"]),
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample(name: &str) -> Box<dyn Read> {
        let path = format!("{}/tests/data/csv/{name}", env!("CARGO_MANIFEST_DIR"));
        Box::new(std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
    }

    fn bytes(b: &[u8]) -> Box<dyn Read> {
        Box::new(Cursor::new(b.to_vec()))
    }

    fn open(b: &[u8]) -> Source {
        Source::open(bytes(b), &Options::default()).unwrap()
    }

    /// Every row, errors as their messages.
    fn rows(src: &mut Source) -> Vec<std::result::Result<(u64, Vec<String>), String>> {
        std::iter::from_fn(|| src.next_row())
            .map(|r| r.map_err(|e| e.to_string()))
            .collect()
    }

    fn ok_rows(src: &mut Source) -> Vec<(u64, Vec<String>)> {
        rows(src)
            .into_iter()
            .map(|r| r.expect("row reads"))
            .collect()
    }

    fn row(line: u64, cells: &[&str]) -> (u64, Vec<String>) {
        (line, cells.iter().map(|c| c.to_string()).collect())
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn mapped(entity: Entity, headers: &[&str]) -> (Vec<Option<&'static str>>, Vec<String>) {
        let (m, unmapped) = map_headers(entity, &strings(headers), &[]).unwrap();
        (m.columns, unmapped)
    }

    fn map_err(entity: Entity, headers: &[&str], explicit: &[(&str, &str)]) -> Error {
        let explicit: Vec<(String, String)> = explicit
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        map_headers(entity, &strings(headers), &explicit).unwrap_err()
    }

    #[test]
    fn open_by_path() {
        let path = format!("{}/tests/data/csv/tabs.tsv", env!("CARGO_MANIFEST_DIR"));
        let src = Source::open_path(&path, &Options::default()).unwrap();
        assert_eq!(src.headers().len(), 8);
        let e = Source::open_path("/no/such/file.csv", &Options::default()).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("/no/such/file.csv"), "{e}");
    }

    #[test]
    fn encodings_parse_by_name() {
        assert_eq!(Encoding::parse("UTF-8").unwrap(), Encoding::Utf8);
        assert_eq!(Encoding::parse("utf8").unwrap(), Encoding::Utf8);
        assert_eq!(Encoding::parse("GBK").unwrap(), Encoding::GB18030);
        assert_eq!(Encoding::parse("gb2312").unwrap(), Encoding::GB18030);
        assert_eq!(Encoding::parse("Gb18030").unwrap(), Encoding::GB18030);
        assert_eq!(Encoding::parse("utf-16LE").unwrap(), Encoding::Utf16Le);
        assert_eq!(Encoding::parse("UTF-16BE").unwrap(), Encoding::Utf16Be);
        // Any label encoding_rs knows.
        assert_eq!(Encoding::parse("latin1").unwrap(), Encoding::WINDOWS_1252);
        assert_eq!(
            Encoding::parse("windows-1252").unwrap(),
            Encoding::WINDOWS_1252
        );
        assert_eq!(Encoding::parse("cp1252").unwrap(), Encoding::WINDOWS_1252);
        assert_eq!(
            Encoding::parse("Shift_JIS").unwrap(),
            Encoding::Legacy(encoding_rs::SHIFT_JIS)
        );
        assert_eq!(
            Encoding::parse("big5").unwrap(),
            Encoding::Legacy(encoding_rs::BIG5)
        );
        assert_eq!(
            Encoding::parse("euc-kr").unwrap(),
            Encoding::Legacy(encoding_rs::EUC_KR)
        );
        assert_eq!(
            Encoding::parse("iso-8859-15").unwrap(),
            Encoding::Legacy(encoding_rs::ISO_8859_15)
        );
        assert_eq!(Encoding::parse("utf-32").unwrap(), Encoding::Utf32Le);
        assert_eq!(Encoding::parse("UTF-32BE").unwrap(), Encoding::Utf32Be);
        assert_eq!(Encoding::WINDOWS_1252.name(), "windows-1252");
        assert_eq!(Encoding::GB18030.name(), "gb18030");
        let e = Encoding::parse("klingon").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("klingon"), "{e}");
        assert!(e.to_string().contains("windows-1252"), "{e}");
        // Labels that decode nothing (encoding_rs's "replacement") are not encodings.
        assert!(Encoding::parse("iso-2022-kr").is_err());
    }

    #[test]
    fn utf8_with_bom_and_chinese_headers() {
        let mut src = Source::open(sample("accounts_utf8_bom.csv"), &Options::default()).unwrap();
        assert_eq!(src.encoding(), Encoding::Utf8);
        assert_eq!(src.delimiter(), b',');
        assert_eq!(
            src.headers(),
            strings(&[
                "客户名称",
                "联系电话",
                "邮箱",
                "地址",
                "城市",
                "级别",
                "标签"
            ])
        );
        assert_eq!(
            ok_rows(&mut src),
            vec![
                row(
                    2,
                    &[
                        "杭州青禾茶业有限公司",
                        "0571-88001234",
                        "info@qinghe.cn",
                        "西湖区文三路 100 号",
                        "杭州",
                        "A",
                        "茶叶,批发"
                    ]
                ),
                row(
                    3,
                    &[
                        "上海明远贸易",
                        "021-66778899",
                        "",
                        "浦东新区世纪大道 8 号",
                        "上海",
                        "B",
                        ""
                    ]
                ),
                row(
                    4,
                    &[
                        "北京科创软件",
                        "13800138000",
                        "sales@kechuang.com",
                        "海淀区中关村大街 1 号",
                        "北京",
                        "C",
                        "软件"
                    ]
                ),
            ]
        );
        let (cols, unmapped) = mapped(Entity::Account, &strs(src.headers()));
        assert_eq!(
            cols,
            vec![
                Some("name"),
                Some("phone"),
                Some("email"),
                Some("address"),
                Some("city"),
                Some("tier"),
                Some("tags")
            ]
        );
        assert!(unmapped.is_empty());
    }

    fn strs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }

    #[test]
    fn gbk_is_detected_and_empty_rows_are_skipped() {
        let mut src = Source::open(sample("contacts_gbk.csv"), &Options::default()).unwrap();
        assert_eq!(src.encoding(), Encoding::GB18030);
        assert_eq!(src.delimiter(), b',');
        assert_eq!(
            src.headers(),
            strings(&["姓名", "公司", "职位", "手机", "电子邮件", "生日", "备注"])
        );
        let got = ok_rows(&mut src);
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[0],
            row(
                2,
                &[
                    "张伟",
                    "杭州青禾茶业有限公司",
                    "采购经理",
                    "13900001111",
                    "zhangwei@qinghe.cn",
                    "1985-03-12",
                    "喜欢龙井"
                ]
            )
        );
        assert_eq!(got[1].0, 3);
        // Line 4 is blank and line 5 holds only commas.
        assert_eq!(
            got[2],
            row(
                6,
                &[
                    "王芳",
                    "北京科创软件",
                    "技术总监",
                    "13600003333",
                    "wangfang@kechuang.com",
                    "1990-11-02",
                    "周三下午有空"
                ]
            )
        );
        let (cols, unmapped) = mapped(Entity::Contact, &strs(src.headers()));
        assert_eq!(
            cols,
            vec![
                Some("name"),
                Some("account"),
                Some("title"),
                Some("phones"),
                Some("emails"),
                Some("birthday"),
                Some("notes")
            ]
        );
        assert!(unmapped.is_empty());
    }

    #[test]
    fn gbk_read_as_utf8_when_told_is_an_error_naming_the_line() {
        let opts = Options {
            encoding: Some(Encoding::Utf8),
            delimiter: None,
            ..Options::default()
        };
        let e = Source::open(sample("contacts_gbk.csv"), &opts).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().starts_with("line 1:"), "{e}");
        assert!(e.to_string().contains("--encoding"), "{e}");
    }

    #[test]
    fn semicolons_crlf_and_a_value_across_lines() {
        let mut src = Source::open(sample("semicolon_crlf.csv"), &Options::default()).unwrap();
        assert_eq!(src.encoding(), Encoding::Utf8);
        assert_eq!(src.delimiter(), b';');
        assert_eq!(
            src.headers(),
            strings(&["Name", "Company", "Email", "Notes"])
        );
        assert_eq!(
            ok_rows(&mut src),
            vec![
                row(
                    2,
                    &[
                        "Anna Schmidt",
                        "Müller GmbH",
                        "anna@mueller.de",
                        "Met at the fair;\nfollow up in May"
                    ]
                ),
                row(
                    4,
                    &["Jean Dupont", "Dupont SARL", "jean@dupont.fr", "Plain note"]
                ),
                row(
                    5,
                    &[
                        "Smith; Jones",
                        "Acme, Inc.",
                        "sj@acme.com",
                        "She said \"hi\""
                    ]
                ),
            ]
        );
        let (cols, unmapped) = mapped(Entity::Contact, &strs(src.headers()));
        assert_eq!(
            cols,
            vec![Some("name"), Some("account"), Some("emails"), Some("notes")]
        );
        assert!(unmapped.is_empty());
    }

    #[test]
    fn tabs() {
        let mut src = Source::open(sample("tabs.tsv"), &Options::default()).unwrap();
        assert_eq!(src.encoding(), Encoding::Utf8);
        assert_eq!(src.delimiter(), b'\t');
        assert_eq!(
            ok_rows(&mut src),
            vec![
                row(
                    2,
                    &[
                        "Wang Lei",
                        "Northwind",
                        "CTO",
                        "+86 138 0000 0000",
                        "wang@northwind.cn",
                        "Website",
                        "80",
                        "new"
                    ]
                ),
                row(
                    3,
                    &[
                        "Maria Garcia",
                        "Contoso, Ltd",
                        "Buyer",
                        "",
                        "maria@contoso.com",
                        "Referral",
                        "55",
                        "contacted"
                    ]
                ),
            ]
        );
        let (cols, unmapped) = mapped(Entity::Lead, &strs(src.headers()));
        assert_eq!(
            cols,
            vec![
                Some("name"),
                Some("company"),
                Some("title"),
                Some("phone"),
                Some("email"),
                Some("source"),
                Some("score"),
                Some("status")
            ]
        );
        assert!(unmapped.is_empty());
    }

    #[test]
    fn utf16_with_bom() {
        let mut src = Source::open(sample("utf16.csv"), &Options::default()).unwrap();
        assert_eq!(src.encoding(), Encoding::Utf16Le);
        assert_eq!(src.delimiter(), b',');
        assert_eq!(
            src.headers(),
            strings(&[
                "商机名称",
                "客户",
                "金额",
                "币种",
                "阶段",
                "预计成交日期",
                "负责人",
                "赢率"
            ])
        );
        assert_eq!(
            ok_rows(&mut src),
            vec![
                row(
                    2,
                    &[
                        "年度茶叶采购",
                        "杭州青禾茶业有限公司",
                        "120000",
                        "CNY",
                        "proposal",
                        "2025-06-30",
                        "小陈",
                        "50"
                    ]
                ),
                row(
                    3,
                    &[
                        "软件升级",
                        "北京科创软件",
                        "45,000.50",
                        "CNY",
                        "negotiation",
                        "2025-07-15",
                        "小李",
                        "75"
                    ]
                ),
            ]
        );
        let (cols, unmapped) = mapped(Entity::Deal, &strs(src.headers()));
        assert_eq!(
            cols,
            vec![
                Some("title"),
                Some("account"),
                Some("amount"),
                Some("currency"),
                Some("stage"),
                Some("expected_close"),
                Some("owner"),
                Some("probability")
            ]
        );
        assert!(unmapped.is_empty());
    }

    #[test]
    fn utf16_big_endian_and_without_bom() {
        let text = "name,city\nAcme,Berlin\n";
        let be: Vec<u8> = b"\xFE\xFF"
            .iter()
            .copied()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let mut src = open(&be);
        assert_eq!(src.encoding(), Encoding::Utf16Be);
        assert_eq!(ok_rows(&mut src), vec![row(2, &["Acme", "Berlin"])]);

        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut src = open(&le);
        assert_eq!(src.encoding(), Encoding::Utf16Le);
        assert_eq!(src.headers(), strings(&["name", "city"]));
        assert_eq!(ok_rows(&mut src), vec![row(2, &["Acme", "Berlin"])]);
    }

    #[test]
    fn utf32_is_read_not_taken_for_utf16() {
        let text = "name,city\nMüller & Söhne,München\n张伟,杭州\n";
        let le: Vec<u8> = text
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        let be: Vec<u8> = text
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        let want = vec![
            row(2, &["Müller & Söhne", "München"]),
            row(3, &["张伟", "杭州"]),
        ];
        for (data, enc) in [
            ([BOM_UTF32LE, &le].concat(), Encoding::Utf32Le),
            ([BOM_UTF32BE, &be].concat(), Encoding::Utf32Be),
            (le.clone(), Encoding::Utf32Le),
            (be.clone(), Encoding::Utf32Be),
        ] {
            let mut src = open(&data);
            assert_eq!(src.encoding(), enc);
            assert_eq!(src.headers(), strings(&["name", "city"]));
            assert_eq!(ok_rows(&mut src), want, "{enc}");
            assert_eq!(enc.decode(&data).unwrap(), text);
        }
        // `--encoding utf-32` follows the byte-order mark.
        let opts = Options {
            encoding: Some(Encoding::parse("utf-32").unwrap()),
            delimiter: None,
            ..Options::default()
        };
        let src = Source::open(bytes(&[BOM_UTF32BE, &be].concat()), &opts).unwrap();
        assert_eq!(src.encoding(), Encoding::Utf32Be);
        // A unit that is no character is reported with its line.
        let mut bad = le.clone();
        bad.extend_from_slice(&0xD800u32.to_le_bytes());
        bad.extend(",x\n".chars().flat_map(|c| (c as u32).to_le_bytes()));
        let mut src = open(&bad);
        let got = rows(&mut src);
        assert!(
            got[2].as_ref().unwrap_err().starts_with("line 4:"),
            "{got:?}"
        );
    }

    #[test]
    fn bad_rows_are_reported_by_line_and_reading_goes_on() {
        let mut src = Source::open(sample("bad_rows.csv"), &Options::default()).unwrap();
        let got = rows(&mut src);
        assert_eq!(got.len(), 6, "{got:?}");
        // Values are not checked here: that is the importer's job.
        assert_eq!(
            got[0],
            Ok(row(
                2,
                &["Good Person", "good@example.com", "1990-01-01", "123"]
            ))
        );
        assert_eq!(
            got[1],
            Ok(row(3, &["Bad Email", "not-an-email", "1990-01-01", ""]))
        );
        assert_eq!(
            got[2],
            Ok(row(4, &["Bad Date", "bad@example.com", "1990-13-45", ""]))
        );
        let e = got[3].as_ref().unwrap_err();
        assert!(
            e.starts_with("line 5: 5 cells, but the header has 4 columns"),
            "{e}"
        );
        // Empty extra cells are dropped, missing ones padded.
        assert_eq!(
            got[4],
            Ok(row(6, &["Trailing Empty", "te@example.com", "", ""]))
        );
        assert_eq!(
            got[5],
            Ok(row(7, &["Short Row", "short@example.com", "", ""]))
        );

        let mut src = Source::open(sample("bad_rows.csv"), &Options::default()).unwrap();
        let e = std::iter::from_fn(|| src.next_row())
            .find_map(|r| r.err())
            .unwrap();
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn a_quote_never_closed_is_an_error_at_its_line() {
        let data = b"name,email,notes\nAnna,anna@a.com,\"Met at the fair\nBen,ben@b.com,fine\nCai,cai@c.com,ok\n";
        let mut src = open(data);
        let got = rows(&mut src);
        assert_eq!(got.len(), 1, "{got:?}");
        let e = got[0].as_ref().unwrap_err();
        assert!(
            e.starts_with("line 2: quote opened here is never closed"),
            "{e}"
        );
        // In the header too, and after good rows and quoted values across lines.
        let e =
            Source::open(bytes(b"\"name,email\nAnna,a@a.com\n"), &Options::default()).unwrap_err();
        assert!(
            e.to_string().starts_with("line 1: quote opened here"),
            "{e}"
        );
        let data = b"name;notes\r\nA;\"two\r\nlines\";\r\nB;\"say \"\"hi\"\"\"\r\nC;5\" screen\r\nD;\"open\r\nE;x\r\n";
        let mut src = open(data);
        let got = rows(&mut src);
        assert_eq!(got[0], Ok(row(2, &["A", "two\nlines"])));
        assert_eq!(got[1], Ok(row(4, &["B", "say \"hi\""])));
        // A quote inside a cell that did not start with one is a character.
        assert_eq!(got[2], Ok(row(5, &["C", "5\" screen"])));
        let e = got[3].as_ref().unwrap_err();
        assert!(
            e.starts_with("line 6: quote opened here is never closed"),
            "{e}"
        );
        assert_eq!(got.len(), 4);
        // Closed on the very last byte is closed.
        let mut src = open(b"name,notes\nA,\"x\ny\"");
        assert_eq!(ok_rows(&mut src), vec![row(2, &["A", "x\ny"])]);
    }

    #[test]
    fn byte_order_marks_inside_the_text_are_dropped() {
        let data = "\u{feff}name,\u{feff}email\n\u{feff}Zero Width,zw@example.com\u{feff}\nA\u{feff}B, \u{feff} \n";
        let mut src = open(data.as_bytes());
        assert_eq!(src.headers(), strings(&["name", "email"]));
        assert_eq!(
            ok_rows(&mut src),
            vec![
                row(2, &["Zero Width", "zw@example.com"]),
                row(3, &["AB", ""])
            ]
        );
        // In UTF-16 too.
        let le: Vec<u8> = "\u{feff}name\n\u{feff}Zero Width\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let mut src = open(&le);
        assert_eq!(ok_rows(&mut src), vec![row(2, &["Zero Width"])]);
    }

    #[test]
    fn line_numbers_count_every_line_break() {
        let data = b"\n\nh1,h2\r\n\r\na,\"x\r\ny\nz\"\r\n,\n\"b\",c\rd,e\n\"\n\",f";
        let mut src = open(data);
        assert_eq!(src.headers(), strings(&["h1", "h2"]));
        assert_eq!(
            ok_rows(&mut src),
            vec![
                row(5, &["a", "x\ny\nz"]),
                row(9, &["b", "c"]),
                row(10, &["d", "e"]),
                row(11, &["", "f"]),
            ]
        );
    }

    #[test]
    fn given_options_win() {
        let opts = Options {
            encoding: Some(Encoding::GB18030),
            delimiter: Some(b';'),
            ..Options::default()
        };
        let mut src = Source::open(bytes("a,b;c\n1,2;3\n".as_bytes()), &opts).unwrap();
        assert_eq!(src.encoding(), Encoding::GB18030);
        assert_eq!(src.delimiter(), b';');
        assert_eq!(src.headers(), strings(&["a,b", "c"]));
        assert_eq!(ok_rows(&mut src), vec![row(2, &["1,2", "3"])]);

        // A BOM of the given encoding is dropped.
        let opts = Options {
            encoding: Some(Encoding::Utf8),
            delimiter: None,
            ..Options::default()
        };
        let src = Source::open(bytes(b"\xEF\xBB\xBFname\n"), &opts).unwrap();
        assert_eq!(src.headers(), strings(&["name"]));

        let opts = Options {
            encoding: None,
            delimiter: Some(b'"'),
            ..Options::default()
        };
        assert_eq!(
            Source::open(bytes(b"a\n"), &opts).unwrap_err().exit_code(),
            2
        );
    }

    #[test]
    fn delimiter_guess() {
        assert_eq!(sniff_delimiter("a,b,c\n"), b',');
        assert_eq!(sniff_delimiter("a;b;c"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc,d"), b'\t');
        assert_eq!(sniff_delimiter("\"a,b,c\";d;e\n1,2,3,4,5"), b';');
        assert_eq!(sniff_delimiter("a;b,c\n;;;;"), b',');
        assert_eq!(sniff_delimiter("\n\n  \na;b\n"), b';');
        assert_eq!(sniff_delimiter("name"), b',');
        assert_eq!(sniff_delimiter(""), b',');
    }

    #[test]
    fn encoding_guess() {
        let sure = |b: &[u8]| detect(b).require().unwrap();
        assert_eq!(sure(b""), Encoding::Utf8);
        assert_eq!(sure(b"plain,ascii\n"), Encoding::Utf8);
        assert_eq!(sure("名称,城市".as_bytes()), Encoding::Utf8);
        // A character cut by the end of the prefix.
        let cut = &"名称".as_bytes()[..4];
        assert_eq!(sure(cut), Encoding::Utf8);
        let (gbk, _, _) = encoding_rs::GBK.encode("名称,城市\n杭州青禾茶业有限公司,杭州\n");
        assert_eq!(sure(&gbk), Encoding::GB18030);
    }

    /// Bytes of `text` in `e`.
    fn encoded(e: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
        let (b, _, unmappable) = e.encode(text);
        assert!(!unmappable, "{text} in {}", e.name());
        b.into_owned()
    }

    #[test]
    fn western_single_byte_text_is_not_read_as_gbk() {
        let text = "Name,Company,Job Title\nAnna Schmidt,Müller & Söhne GmbH,Geschäftsführer\n";
        let mut src = open(&encoded(encoding_rs::WINDOWS_1252, text));
        assert_eq!(src.encoding(), Encoding::WINDOWS_1252);
        assert_eq!(
            ok_rows(&mut src),
            vec![row(
                2,
                &["Anna Schmidt", "Müller & Söhne GmbH", "Geschäftsführer"]
            )]
        );
        // One accented letter is enough when it cannot be half of a Chinese character.
        for (e, text) in [
            (encoding_rs::WINDOWS_1252, "name\nRenée Dupont\n"),
            (encoding_rs::WINDOWS_1252, "name\nJosé,x\n"),
            (encoding_rs::WINDOWS_1250, "name\nŁukasz Żółć\n"),
            (
                encoding_rs::WINDOWS_1251,
                "name,city\nИван Петров,Москва\nОльга Смирнова,Санкт-Петербург\n",
            ),
            (encoding_rs::WINDOWS_1253, "name\nΓιώργος Παπαδόπουλος\n"),
        ] {
            assert_eq!(
                detect(&encoded(e, text)).require().unwrap(),
                Encoding::of(e),
                "{text}"
            );
        }
    }

    #[test]
    fn the_outlook_sample_reads_as_windows_1252() {
        let mut src = Source::open(
            sample("outlook_contacts_windows1252.csv"),
            &Options::default(),
        )
        .unwrap();
        assert_eq!(src.encoding(), Encoding::WINDOWS_1252);
        assert_eq!(src.delimiter(), b',');
        assert_eq!(src.headers().len(), 92);
        let col = |name: &str| src.headers().iter().position(|h| h == name).unwrap();
        let (company, job, city, birthday, notes) = (
            col("Company"),
            col("Job Title"),
            col("Business City"),
            col("Birthday"),
            col("Notes"),
        );
        let got = ok_rows(&mut src);
        assert_eq!(got.len(), 3);
        let (line, anna) = &got[0];
        assert_eq!(*line, 2);
        assert_eq!(anna[company], "Müller & Söhne GmbH");
        assert_eq!(anna[job], "Geschäftsführerin");
        assert_eq!(anna[city], "München");
        assert_eq!(anna[birthday], "3/12/1985");
        assert_eq!(anna[notes], "Trifft sich gern im Café.");
        assert_eq!(got[1].1[company], "Société Générale");
        assert_eq!(got[1].1[birthday], "0/0/00");
        assert_eq!(got[2].1[city], "København");
    }

    #[test]
    fn east_asian_encodings_are_told_apart() {
        for (e, text) in [
            (encoding_rs::GBK, "姓名,公司\n张伟,杭州青禾茶业有限公司\n"),
            (encoding_rs::BIG5, "姓名,公司\n陳大文,台灣積體電路製造\n"),
            (
                encoding_rs::SHIFT_JIS,
                "氏名,会社\n山田太郎,株式会社テスト\n",
            ),
            (encoding_rs::EUC_KR, "이름,회사\n김민수,삼성전자\n"),
        ] {
            let mut src = open(&encoded(e, text));
            assert_eq!(src.encoding(), Encoding::of(e), "{text}");
            let got = ok_rows(&mut src);
            let want: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
            assert_eq!(got, vec![row(2, &want)], "{text}");
        }
    }

    #[test]
    fn an_unsure_guess_is_refused_naming_encoding() {
        // Two Chinese characters in GBK are also four Cyrillic letters.
        let few = encoded(encoding_rs::GBK, "名\n王\n");
        let d = detect(&few);
        assert!(d.unsure.is_some(), "{d:?}");
        let e = Source::open(bytes(&few), &Options::default()).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        let msg = e.to_string();
        assert!(msg.contains("cannot tell the file's encoding"), "{msg}");
        assert!(msg.contains("--encoding"), "{msg}");
        // Told, it reads.
        let opts = Options {
            encoding: Some(Encoding::parse("gbk").unwrap()),
            delimiter: None,
            ..Options::default()
        };
        let mut src = Source::open(bytes(&few), &opts).unwrap();
        assert_eq!(src.headers(), strings(&["名"]));
        assert_eq!(ok_rows(&mut src), vec![row(2, &["王"])]);
        // Control characters in the only reading there is.
        let d = detect(b"name\nab\x81\x81\x81cd\x01\n");
        assert!(d.unsure.is_some(), "{d:?}");
    }

    #[test]
    fn a_character_cut_at_the_peek_boundary_still_reads_as_utf8() {
        let mut data = b"name,note\n".to_vec();
        while data.len() < PEEK - 100 {
            data.extend_from_slice(b"x,y\n");
        }
        data.extend_from_slice(b"z,");
        data.resize(PEEK - 2, b'a');
        data.push(b'\n');
        assert_eq!(data.len(), PEEK - 1);
        // "名" spans the 64 KiB boundary.
        data.extend_from_slice("名,字\n".as_bytes());
        let mut src = open(&data);
        assert_eq!(src.encoding(), Encoding::Utf8);
        let last = std::iter::from_fn(|| src.next_row())
            .last()
            .unwrap()
            .unwrap();
        assert_eq!(last.1, strings(&["名", "字"]));
    }

    #[test]
    fn invalid_utf8_after_the_prefix_names_its_line() {
        let mut data = b"name,note\n".to_vec();
        let mut lines = 1;
        while data.len() < PEEK + 1000 {
            data.extend_from_slice(b"some name,some note\n");
            lines += 1;
        }
        data.extend_from_slice(b"bad \xFF byte,x\nafter,y\n");
        let mut src = open(&data);
        assert_eq!(src.encoding(), Encoding::Utf8);
        let got = rows(&mut src);
        let bad = got.iter().position(|r| r.is_err()).unwrap();
        let e = got[bad].as_ref().unwrap_err();
        assert!(e.starts_with(&format!("line {}:", lines + 1)), "{e}");
        assert_eq!(got.last().unwrap(), &Ok(row(lines + 2, &["after", "y"])));
    }

    #[test]
    fn empty_input_has_no_header() {
        for data in [&b""[..], b"\n\n", b"\xEF\xBB\xBF", b",,\n,\n"] {
            let e = Source::open(bytes(data), &Options::default()).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{data:?}");
        }
        let mut src = open(b"name\n");
        assert!(src.next_row().is_none());
    }

    /// An endless input: `name,n` then rows; counts what was taken from it.
    struct Endless {
        taken: std::rc::Rc<std::cell::Cell<usize>>,
        pending: Vec<u8>,
        n: u64,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            while self.pending.len() < buf.len() {
                self.n += 1;
                self.pending
                    .extend_from_slice(format!("person {},{}\r\n", self.n, self.n).as_bytes());
            }
            let k = buf.len();
            buf.copy_from_slice(&self.pending[..k]);
            self.pending.drain(..k);
            self.taken.set(self.taken.get() + k);
            Ok(k)
        }
    }

    #[test]
    fn reading_streams() {
        let taken = std::rc::Rc::new(std::cell::Cell::new(0));
        let endless = Endless {
            taken: taken.clone(),
            pending: b"name,n\r\n".to_vec(),
            n: 0,
        };
        let mut src = Source::open(Box::new(endless), &Options::default()).unwrap();
        assert_eq!(src.headers(), strings(&["name", "n"]));
        assert!(taken.get() <= PEEK, "open took {} bytes", taken.get());
        for i in 1..=20_000u64 {
            let (line, cells) = src.next_row().unwrap().unwrap();
            assert_eq!(line, i + 1);
            assert_eq!(cells[1], i.to_string());
        }
        assert!(taken.get() < 2 * 1024 * 1024, "took {} bytes", taken.get());
    }

    #[test]
    fn maven_accounts_map() {
        let headers = [
            "account",
            "sector",
            "year_established",
            "revenue",
            "employees",
            "office_location",
            "subsidiary_of",
        ];
        let (cols, unmapped) = mapped(Entity::Account, &headers);
        assert_eq!(
            cols,
            vec![
                Some("name"),
                Some("industry"),
                None,
                None,
                None,
                Some("country"),
                Some("parent")
            ]
        );
        assert_eq!(
            unmapped,
            strings(&["year_established", "revenue", "employees"])
        );
    }

    #[test]
    fn maven_deals_map_once_told_the_title() {
        let headers = [
            "opportunity_id",
            "sales_agent",
            "product",
            "account",
            "deal_stage",
            "engage_date",
            "close_date",
            "close_value",
        ];
        let e = map_err(Entity::Deal, &headers, &[]);
        assert_eq!(e.exit_code(), 2);
        let msg = e.to_string();
        assert!(msg.contains("--map 'COLUMN=title'"), "{msg}");
        assert!(
            msg.contains("opportunity_id, product, engage_date"),
            "{msg}"
        );

        let (m, unmapped) = map_headers(
            Entity::Deal,
            &strings(&headers),
            &[parse_map("opportunity_id=title").unwrap()],
        )
        .unwrap();
        assert_eq!(
            m.columns,
            vec![
                Some("title"),
                Some("owner"),
                None,
                Some("account"),
                Some("stage"),
                None,
                Some("expected_close"),
                Some("amount")
            ]
        );
        assert_eq!(unmapped, strings(&["product", "engage_date"]));
    }

    #[test]
    fn the_maven_files_map_as_they_are() {
        let dir = "/work/shared/datasets/maven-crm-sales-opportunities";
        let Ok(file) = std::fs::File::open(format!("{dir}/accounts.csv")) else {
            return; // not on this machine
        };
        let mut src = Source::open(Box::new(file), &Options::default()).unwrap();
        let (m, _) = map_headers(Entity::Account, src.headers(), &[]).unwrap();
        let (line, first) = src.next_row().unwrap().unwrap();
        assert_eq!(line, 2);
        let pairs: Vec<_> = m.pairs(&first).collect();
        assert_eq!(pairs[0], ("name", "Acme Corporation"));
        assert!(src.all(|r| r.is_ok()));

        let file = std::fs::File::open(format!("{dir}/sales_pipeline.csv")).unwrap();
        let mut src = Source::open(Box::new(file), &Options::default()).unwrap();
        let (m, _) = map_headers(
            Entity::Deal,
            src.headers(),
            &[("opportunity_id".to_string(), "title".to_string())],
        )
        .unwrap();
        let mut n = 0;
        for r in &mut src {
            let (line, cells) = r.unwrap();
            n += 1;
            assert_eq!(line, n + 1);
            assert_eq!(m.pairs(&cells).next().unwrap().0, "title");
        }
        assert!(n > 8000, "{n}");
    }

    #[test]
    fn names_aliases_and_synonyms() {
        let (cols, unmapped) = mapped(
            Entity::Deal,
            &["Expected Close", "Name", "Close Value", "prob", "Misc"],
        );
        assert_eq!(
            cols,
            vec![
                Some("expected_close"),
                Some("title"),
                Some("amount"),
                Some("probability"),
                None
            ]
        );
        assert_eq!(unmapped, strings(&["Misc"]));
        // Written out plainly: "Close Value" and "Amount (USD)" both mean amount.
        let e = map_err(
            Entity::Deal,
            &[
                "Expected Close",
                "Name",
                "Close Value",
                "prob",
                "Amount (USD)",
            ],
            &[],
        );
        assert!(
            e.to_string().contains("'Close Value' and 'Amount (USD)'"),
            "{e}"
        );
        assert!(e.to_string().contains("--map 'Amount (USD)=-'"), "{e}");

        let (cols, _) = mapped(Entity::Deal, &["close", "title", "Amount (USD)"]);
        assert_eq!(
            cols,
            vec![Some("expected_close"), Some("title"), Some("amount")]
        );

        let (cols, _) = mapped(Entity::Deal, &["deal name", "联系人", "公司", "状态"]);
        // Deal status follows the stage: never imported.
        assert_eq!(
            cols,
            vec![Some("title"), Some("contact"), Some("account"), None]
        );

        let (cols, _) = mapped(
            Entity::Account,
            &["公司名称", "类型", "状态", "行业", "省份"],
        );
        assert_eq!(
            cols,
            vec![
                Some("name"),
                Some("type"),
                Some("status"),
                Some("industry"),
                Some("region")
            ]
        );

        let (cols, _) = mapped(Entity::Activity, &["主题", "类型", "时间", "内容", "客户"]);
        assert_eq!(
            cols,
            vec![
                Some("subject"),
                Some("kind"),
                Some("at"),
                Some("body"),
                Some("account")
            ]
        );

        let (cols, _) = mapped(Entity::Task, &["任务", "截止日期", "优先级", "负责人"]);
        assert_eq!(
            cols,
            vec![Some("title"), Some("due"), Some("priority"), Some("owner")]
        );

        let (cols, _) = mapped(Entity::Lead, &["姓名", "公司", "评分", "来源", "*手机号码"]);
        assert_eq!(
            cols,
            vec![
                Some("name"),
                Some("company"),
                Some("score"),
                Some("source"),
                Some("phone")
            ]
        );
    }

    #[test]
    fn lists_take_several_columns_single_fields_do_not() {
        let (cols, _) = mapped(
            Entity::Contact,
            &["name", "手机", "座机", "email", "mail 2", "tags", "labels"],
        );
        assert_eq!(
            cols,
            vec![
                Some("name"),
                Some("phones"),
                Some("phones"),
                Some("emails"),
                None,
                Some("tags"),
                Some("tags")
            ]
        );
        // An account's one phone takes the first of several columns; the others go to the
        // notes (a second phone is not an error).
        let (m, _) =
            map_headers(Entity::Account, &strings(&["name", "手机", "座机"]), &[]).unwrap();
        assert_eq!(m.columns, vec![Some("name"), Some("phone"), Some("phone")]);
        let input = m.input(
            Entity::Account,
            &strings(&["Acme", "138 0013 8000", "021-5555 1234"]),
        );
        assert_eq!(input.get("phone"), Some("138 0013 8000"));
        assert_eq!(input.get("notes"), Some("座机: 021-5555 1234"));
        let input = m.input(Entity::Account, &strings(&["Acme", "", "021-5555 1234"]));
        assert_eq!(input.get("phone"), Some("021-5555 1234"));
        assert_eq!(input.get("notes"), None);
        let e = map_err(Entity::Account, &["name", "城市", "city"], &[]);
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("'城市' and 'city'"), "{e}");
        assert!(e.to_string().contains("'city'"), "{e}");
    }

    fn explicit(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn explicit_maps_come_first() {
        let headers = strings(&[
            "Firma",
            "Ansprechpartner",
            "Telefon",
            "Ort",
            "Kommentar",
            "city",
        ]);
        let (m, unmapped) = map_headers(
            Entity::Contact,
            &headers,
            &explicit(&[
                ("firma", "company"),
                ("ANSPRECHPARTNER", "Name"),
                ("Telefon", "mobile"),
                ("Kommentar", "-"),
                ("ort", "notes"),
            ]),
        )
        .unwrap();
        assert_eq!(
            m.columns,
            vec![
                Some("account"),
                Some("name"),
                Some("phones"),
                Some("notes"),
                None,
                None
            ]
        );
        // "city" is not a contact field; "Kommentar" was ignored on purpose.
        assert_eq!(unmapped, strings(&["city"]));
        assert_eq!(m.columns_of("phones"), vec![2]);
        let row = strings(&["Acme", "Ann", "123", "Köln", "x", "y"]);
        assert_eq!(
            m.pairs(&row).collect::<Vec<_>>(),
            vec![("account", "Acme"), ("name", "Ann"), ("phones", "123")]
        );
        // "Ort" is no notes column of its own: it is kept as a line naming it.
        assert_eq!(
            m.input(Entity::Contact, &row).get("notes"),
            Some("Ort: Köln")
        );

        // A --map to a field wins over a column matched by name.
        let (m, unmapped) = map_headers(
            Entity::Account,
            &strings(&["name", "公司名称"]),
            &explicit(&[("公司名称", "name")]),
        )
        .unwrap();
        assert_eq!(m.columns, vec![None, Some("name")]);
        assert_eq!(unmapped, strings(&["name"]));

        // A --map may take a column away from a field.
        let (m, _) = map_headers(
            Entity::Account,
            &strings(&["name", "手机", "座机"]),
            &explicit(&[("座机", "-")]),
        )
        .unwrap();
        assert_eq!(m.columns, vec![Some("name"), Some("phone"), None]);

        // Headers match loosely when nothing matches exactly.
        let (m, _) = map_headers(
            Entity::Deal,
            &strings(&["Opportunity ID"]),
            &explicit(&[("opportunity_id", "title")]),
        )
        .unwrap();
        assert_eq!(m.columns, vec![Some("title")]);
    }

    #[test]
    fn explicit_map_errors() {
        let headers = ["name", "phone", "other"];
        let e = map_err(Entity::Account, &headers, &[("nope", "city")]);
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("no column 'nope'"), "{e}");
        assert!(e.to_string().contains("name, phone, other"), "{e}");

        let e = map_err(Entity::Account, &headers, &[("other", "colour")]);
        assert!(
            e.to_string().contains("accounts has no field 'colour'"),
            "{e}"
        );
        assert!(e.to_string().contains("--map 'other=colour'"), "{e}");

        let e = map_err(Entity::Deal, &["title", "other"], &[("other", "status")]);
        assert!(e.to_string().contains("set by kith"), "{e}");
        let e = map_err(Entity::Account, &headers, &[("other", "id")]);
        assert!(e.to_string().contains("set by kith"), "{e}");

        let e = map_err(
            Entity::Account,
            &headers,
            &[("other", "industry"), ("phone", "INDUSTRY")],
        );
        assert!(e.to_string().contains("'phone' and 'other'"), "{e}");
        // Two --maps to one field.
        let e = map_err(
            Entity::Account,
            &headers,
            &[("other", "city"), ("phone", "city")],
        );
        assert!(e.to_string().contains("the account field 'city'"), "{e}");

        // No label field.
        let e = map_err(Entity::Contact, &["email", "phone"], &[]);
        assert!(e.to_string().contains("--map 'COLUMN=name'"), "{e}");
        assert!(e.to_string().contains("email, phone"), "{e}");
        let e = map_err(Entity::Account, &["name", "x"], &[("name", "-")]);
        assert!(e.to_string().contains("--map 'COLUMN=name'"), "{e}");
    }

    #[test]
    fn blank_headers_are_named_by_position() {
        let (m, unmapped) = map_headers(Entity::Account, &strings(&["name", ""]), &[]).unwrap();
        assert_eq!(m.columns, vec![Some("name"), None]);
        assert_eq!(unmapped, strings(&["(column 2)"]));
    }

    #[test]
    fn map_specs() {
        assert_eq!(
            parse_map("客户名称=name").unwrap(),
            ("客户名称".to_string(), "name".to_string())
        );
        assert_eq!(
            parse_map(" a=b = title ").unwrap(),
            ("a=b".to_string(), "title".to_string())
        );
        assert_eq!(
            parse_map("x=-").unwrap(),
            ("x".to_string(), "-".to_string())
        );
        for bad in ["", "name", "=name", "name=", " = ", "a= "] {
            let e = parse_map(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad:?}");
            assert!(e.to_string().contains("COLUMN=FIELD"), "{e}");
        }
    }

    #[test]
    fn synonym_tables_are_consistent() {
        for entity in Entity::RECORDS {
            let mut seen: std::collections::HashMap<String, &str> = Default::default();
            for (target, words) in entity.kind().synonyms {
                let f = synonym_target(entity, target)
                    .unwrap_or_else(|| panic!("{entity}: no field {target}"));
                for w in *words {
                    let n = norm(w);
                    assert!(!n.is_empty(), "{w}");
                    if let Some(prev) = seen.insert(n.clone(), f.name) {
                        assert_eq!(prev, f.name, "{entity}: '{w}' means two fields");
                    }
                }
            }
            for (target, words) in COMMON_SYNONYMS {
                let Some(f) = synonym_target(entity, target) else {
                    continue;
                };
                for w in *words {
                    let n = norm(w);
                    // An entity's own synonyms may take a word over, on purpose.
                    seen.entry(n).or_insert(f.name);
                }
            }
            // A synonym never hides a field's own name or alias.
            for f in settable(entity) {
                for name in std::iter::once(&f.name).chain(f.aliases) {
                    if let Some(other) = seen.get(&norm(name)) {
                        assert_eq!(*other, f.name, "{entity}: synonym '{name}' hides a field");
                    }
                }
            }
        }
        // Every common target is some entity's field.
        for (target, _) in COMMON_SYNONYMS {
            assert!(
                Entity::RECORDS
                    .iter()
                    .any(|&e| synonym_target(e, target).is_some()),
                "{target}"
            );
        }
    }

    #[test]
    fn normalising_headers() {
        assert_eq!(norm(" Expected_Close-Date "), "expectedclosedate");
        assert_eq!(norm("E-Mail"), "email");
        assert_eq!(norm("金额（元）"), "金额");
        assert_eq!(norm("Amount (USD)"), "amount");
        assert_eq!(norm("(x)"), "(x)");
        assert_eq!(norm("*客户名称："), "客户名称");
    }

    #[test]
    fn crlf_to_lf_across_reads() {
        // A reader that hands out one byte at a time.
        struct Trickle(Vec<u8>, usize);
        impl Read for Trickle {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.1 >= self.0.len() || buf.is_empty() {
                    return Ok(0);
                }
                buf[0] = self.0[self.1];
                self.1 += 1;
                Ok(1)
            }
        }
        let mut out = String::new();
        Lf::new(Trickle(b"a\r\nb\rc\n\r\r\nd".to_vec(), 0), b',')
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "a\nb\nc\n\n\nd");
    }

    proptest! {
        #[test]
        fn any_bytes_read_without_panic(
            data in proptest::collection::vec(any::<u8>(), 0..600),
            enc in proptest::option::of(prop_oneof![
                Just(Encoding::Utf8),
                Just(Encoding::GB18030),
                Just(Encoding::Utf16Le),
                Just(Encoding::Utf16Be),
                Just(Encoding::Utf32Le),
                Just(Encoding::Utf32Be),
                Just(Encoding::WINDOWS_1252),
            ]),
            delim in proptest::option::of(prop_oneof![Just(b','), Just(b';'), Just(b'\t'), Just(b'|')]),
        ) {
            let opts = Options { encoding: enc, delimiter: delim, ..Options::default() };
            if let Ok(mut src) = Source::open(bytes(&data), &opts) {
                let width = src.headers().len();
                let mut last = 1;
                for _ in 0..1000 {
                    match src.next_row() {
                        None => break,
                        Some(Ok((line, cells))) => {
                            prop_assert!(line > last, "line {} after {}", line, last);
                            last = line;
                            prop_assert_eq!(cells.len(), width);
                        }
                        Some(Err(_)) => {}
                    }
                }
            }
        }

        #[test]
        fn rows_carry_the_line_they_start_on(
            rows in proptest::collection::vec(
                (0usize..3, proptest::collection::vec("[a-z]{0,3}", 2), 0usize..3, any::<bool>()),
                0..20,
            ),
        ) {
            // Each row: blank lines before it, two cells, line breaks inside the second, CRLF.
            let mut text = String::from("a,b\n");
            let mut line = 2u64;
            let mut want = Vec::new();
            for (blank, cells, breaks, crlf) in &rows {
                let nl = if *crlf { "\r\n" } else { "\n" };
                for _ in 0..*blank {
                    text.push_str(nl);
                }
                line += *blank as u64;
                let inner: Vec<&str> = std::iter::repeat_n(cells[1].as_str(), breaks + 1).collect();
                text.push_str(&format!("{},\"{}\"{nl}", cells[0], inner.join(nl)));
                let value = inner.join("\n");
                if !(cells[0].is_empty() && value.trim().is_empty()) {
                    want.push((line, vec![cells[0].clone(), value.trim().to_string()]));
                }
                line += 1 + *breaks as u64;
            }
            let mut src = open(text.as_bytes());
            prop_assert_eq!(ok_rows(&mut src), want);
        }

        #[test]
        fn csv_like_text_reads_without_panic(
            text in "[a-z,;\t\"\r\n 名é]{0,300}",
        ) {
            if let Ok(mut src) = Source::open(bytes(text.as_bytes()), &Options::default()) {
                while let Some(r) = src.next_row() {
                    let _ = r;
                }
            }
        }

        #[test]
        fn any_headers_map_without_panic(
            headers in proptest::collection::vec(".{0,12}", 0..12),
            maps in proptest::collection::vec((".{0,8}", "[-a-z_ ]{0,10}"), 0..3),
        ) {
            for entity in Entity::ALL {
                let _ = map_headers(entity, &headers, &maps);
                if let Ok((m, unmapped)) = map_headers(entity, &headers, &[]) {
                    prop_assert_eq!(m.columns.len(), headers.len());
                    prop_assert!(unmapped.len() <= headers.len());
                }
            }
        }

        #[test]
        fn any_spec_parses_without_panic(spec in ".{0,20}") {
            if let Ok((src, field)) = parse_map(&spec) {
                prop_assert!(!src.is_empty() && !field.is_empty());
                prop_assert!(!field.contains('='));
            }
        }
    }
}
