//! Output formats: aligned tables for people (CJK-aware widths, colour only on a terminal
//! without NO_COLOR), and JSON, NDJSON, CSV and TSV for scripts. Data goes to stdout.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Command};
use serde::Serialize;
use serde_json::Value;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::app::queries::Cell;
use crate::core::error::{Error, Result};
use crate::core::escape::{spreadsheet_text, visible, visible_line};
use crate::core::money::Money;
use crate::model::record::{format_number, value_data_text, value_text};
use crate::tr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Ndjson,
    Csv,
    Tsv,
}

/// The encoding CSV and TSV are written in (`--encoding`): UTF-8 as it is (the default),
/// UTF-8 after a byte order mark (which tells Excel the file is UTF-8), GBK (what Excel on
/// Chinese Windows reads a CSV as: code page 936) or GB18030 (GBK's superset, which holds
/// every character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf8,
    Utf8Bom,
    Gbk,
    Gb18030,
}

impl Encoding {
    /// The names `--encoding` takes.
    pub const NAMES: [&'static str; 4] = ["utf-8", "utf-8-bom", "gbk", "gb18030"];

    /// The encoding `--encoding NAME` names (one of [`Encoding::NAMES`]); UTF-8 for any other.
    pub fn from_name(name: &str) -> Encoding {
        match name {
            "utf-8-bom" => Encoding::Utf8Bom,
            "gbk" => Encoding::Gbk,
            "gb18030" => Encoding::Gb18030,
            _ => Encoding::Utf8,
        }
    }

    /// The encoding of `--encoding` on this command (UTF-8 without it).
    pub fn of(m: &ArgMatches) -> Encoding {
        super::args::value(m, "csv_encoding")
            .map(|n| Encoding::from_name(&n))
            .unwrap_or_default()
    }

    fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 | Encoding::Utf8Bom => "UTF-8",
            Encoding::Gbk => "GBK",
            Encoding::Gb18030 => "GB18030",
        }
    }

    /// The first character of `text` this encoding cannot write (only GBK lacks any).
    pub fn lacks(self, text: &str) -> Option<char> {
        if self != Encoding::Gbk || text.is_ascii() {
            return None;
        }
        let (_, _, unmappable) = encoding_rs::GBK.encode(text);
        if !unmappable {
            return None;
        }
        let mut buf = [0u8; 4];
        text.chars()
            .find(|c| encoding_rs::GBK.encode(c.encode_utf8(&mut buf)).2)
    }

    /// `text` in this encoding (what [`Encoding::lacks`] finds written as an HTML
    /// character reference by encoding_rs, which callers check for first).
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 | Encoding::Utf8Bom => text.as_bytes().to_vec(),
            Encoding::Gbk => encoding_rs::GBK.encode(text).0.into_owned(),
            Encoding::Gb18030 => encoding_rs::GB18030.encode(text).0.into_owned(),
        }
    }
}

/// A CSV or TSV cell the encoding cannot write: where it is (a record, a row, the header),
/// its column and the character. Nothing is written.
/// A row named by its place as a spreadsheet counts rows (the header being row 1).
fn row_place(i: usize) -> String {
    tr!("export.place_row", n = i + 2)
}

fn not_in_encoding(encoding: Encoding, place: &str, column: &str, c: char) -> Error {
    crate::err!(
        Invalid,
        "export.not_in_encoding",
        place = place,
        column = column,
        char = c,
        code = format!("{:04X}", c as u32),
        encoding = encoding.name()
    )
}

/// `--encoding`, for every command that writes CSV or TSV (`requires`: the arguments or
/// group it needs, on commands whose output is not always CSV).
pub fn encoding_arg(requires: Option<&'static str>) -> Arg {
    let arg = Arg::new("csv_encoding")
        .long("encoding")
        .value_name("ENCODING")
        .value_parser(Encoding::NAMES)
        .help(tr!("cli.help.format.encoding"));
    match requires {
        Some(r) => arg.requires(r),
        None => arg,
    }
}

/// `--headers names|zh`, for the commands that write records as CSV or TSV.
pub fn headers_arg(requires: Option<&'static str>) -> Arg {
    let arg = Arg::new("headers")
        .long("headers")
        .value_name("HEADERS")
        .value_parser(["names", "zh"])
        .help(tr!("cli.help.format.headers"));
    match requires {
        Some(r) => arg.requires(r),
        None => arg,
    }
}

/// Add `--json`, `--ndjson`, `--csv`, `--tsv` (and, for CSV and TSV, `--raw` and
/// `--encoding`) to a command.
pub fn format_args(cmd: Command) -> Command {
    cmd.arg(
        Arg::new("json")
            .long("json")
            .action(ArgAction::SetTrue)
            .help(tr!("cli.help.format.json")),
    )
    .arg(
        Arg::new("ndjson")
            .long("ndjson")
            .action(ArgAction::SetTrue)
            .help(tr!("cli.help.format.ndjson")),
    )
    .arg(
        Arg::new("csv")
            .long("csv")
            .action(ArgAction::SetTrue)
            .help(tr!("cli.help.format.csv")),
    )
    .arg(
        Arg::new("tsv")
            .long("tsv")
            .action(ArgAction::SetTrue)
            .help(tr!("cli.help.format.tsv")),
    )
    .arg(raw_arg())
    .arg(encoding_arg(Some("sheet")))
    .group(
        ArgGroup::new("format")
            .args(["json", "ndjson", "csv", "tsv"])
            .multiple(false),
    )
    .group(ArgGroup::new("sheet").args(["csv", "tsv"]).multiple(false))
}

/// `--raw`, for every command that writes CSV or TSV.
pub fn raw_arg() -> Arg {
    Arg::new("raw")
        .long("raw")
        .action(ArgAction::SetTrue)
        .help(tr!("cli.help.format.raw"))
}

pub fn format_of(m: &ArgMatches) -> Format {
    let on = |id: &str| super::args::flag(m, id);
    if on("json") {
        Format::Json
    } else if on("ndjson") {
        Format::Ndjson
    } else if on("csv") {
        Format::Csv
    } else if on("tsv") {
        Format::Tsv
    } else {
        Format::Table
    }
}

/// Whether to colour what goes to stdout.
pub fn use_color(choice: &str) -> bool {
    match choice {
        "always" => true,
        "never" => false,
        _ => {
            io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map(|t| t != "dumb").unwrap_or(true)
        }
    }
}

pub struct Out {
    pub color: bool,
    /// `--raw`: CSV and TSV cells as stored, without the `'` that keeps a spreadsheet from
    /// running a text cell as a formula.
    pub raw: bool,
    /// `--encoding`: what CSV and TSV are written in.
    pub encoding: Encoding,
    /// Whether anything was written yet (a byte order mark goes before the first bytes).
    started: std::cell::Cell<bool>,
    /// Where data goes instead of stdout (`-o FILE`): see [`crate::core::files::Output`].
    file: Option<std::cell::RefCell<crate::core::files::Output>>,
}

/// Longest text shown in a table cell before it is cut with '…' (in terminal columns).
const CELL_WIDTH: usize = 40;

impl Out {
    pub fn stdout(color: bool) -> Out {
        Out {
            color,
            raw: false,
            encoding: Encoding::Utf8,
            started: std::cell::Cell::new(false),
            file: None,
        }
    }

    /// Write to FILE (see [`crate::core::files::Output`]); `-` is stdout.
    pub fn to_file(path: &str) -> Result<Out> {
        if path == "-" {
            return Ok(Out::stdout(false));
        }
        let f = crate::core::files::Output::create(std::path::Path::new(path))?;
        Ok(Out {
            color: false,
            raw: false,
            encoding: Encoding::Utf8,
            started: std::cell::Cell::new(false),
            file: Some(std::cell::RefCell::new(f)),
        })
    }

    /// Put a file written with [`Out::to_file`] in place.
    pub fn finish(self) -> Result<()> {
        match self.file {
            Some(cell) => cell.into_inner().finish(),
            None => Ok(()),
        }
    }

    fn emit(&self, s: &str) -> Result<()> {
        self.started.set(true);
        match &self.file {
            Some(_) => self.bytes(s.as_bytes()),
            None => emit(s),
        }
    }

    /// Bytes as they are (a rejected vCard in its own encoding).
    pub fn bytes(&self, b: &[u8]) -> Result<()> {
        self.started.set(true);
        match &self.file {
            Some(cell) => {
                let mut f = cell.borrow_mut();
                f.write_all(b).map_err(|e| cannot_write(&f, e))
            }
            None => emit_bytes(b),
        }
    }

    /// Pretty JSON and a line break, written as it is made (through a buffer) rather than
    /// built as one string first: a report of 100,000 rows is tens of megabytes.
    fn emit_json<T: Serialize + ?Sized>(&self, item: &T) -> Result<()> {
        fn write<W: Write, T: Serialize + ?Sized>(w: W, item: &T) -> io::Result<()> {
            let mut w = io::BufWriter::with_capacity(1 << 16, w);
            serde_json::to_writer_pretty(&mut w, item).map_err(io::Error::from)?;
            w.write_all(b"\n")?;
            w.flush()
        }
        match &self.file {
            Some(cell) => {
                let mut f = cell.borrow_mut();
                write(&mut *f, item).map_err(|e| cannot_write(&f, e))
            }
            None => match write(io::stdout().lock(), item) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
                Err(e) => Err(e.into()),
            },
        }
    }

    /// Raw text (an iCalendar or vCard file).
    pub fn text(&self, s: &str) -> Result<()> {
        self.emit(s)
    }

    /// Rows as a table (with a header), or in a data format. Rows are lists of values in
    /// the columns' order, or JSON objects keyed by column; nothing is copied to print them.
    pub fn rows<R: Cells>(&self, format: Format, columns: &[String], rows: &[R]) -> Result<()> {
        self.rows_with(format, columns, rows, &|_| false, &row_place)
    }

    /// A report's rows: [`Out::rows`], the columns `is_amount` names shown in a table as
    /// amounts ([`crate::core::money::Money::shown`]: `1,280,000` or `128万`; data formats
    /// write them as always), headed by the report's column labels
    /// ([`super::words::report_column_title`]).
    pub fn report_rows<R: Cells>(
        &self,
        format: Format,
        columns: &[String],
        rows: &[R],
        is_amount: &dyn Fn(&str) -> bool,
    ) -> Result<()> {
        match format {
            Format::Table => self.table_with(
                columns,
                rows,
                true,
                is_amount,
                &super::words::report_column_title,
            ),
            _ => self.rows_with(format, columns, rows, is_amount, &row_place),
        }
    }

    /// [`Out::rows`], the columns `is_amount` names shown in a table as amounts, with
    /// `place` naming the row of a given index (from 0) in a message about a cell the
    /// encoding cannot write (`contact 12 '王芳'`; by default `row 3`, counted as a
    /// spreadsheet counts them, the header being row 1).
    pub fn rows_with<R: Cells>(
        &self,
        format: Format,
        columns: &[String],
        rows: &[R],
        is_amount: &dyn Fn(&str) -> bool,
        place: &dyn Fn(usize) -> String,
    ) -> Result<()> {
        match format {
            Format::Table => {
                self.table_with(columns, rows, true, is_amount, &super::words::column_title)
            }
            Format::Json => self.emit_json(&Objects { columns, rows }),
            Format::Ndjson => {
                let mut s = String::new();
                for row in rows {
                    s.push_str(&serde_json::to_string(&Object { columns, row }).map_err(json_err)?);
                    s.push('\n');
                }
                self.emit(&s)
            }
            Format::Csv | Format::Tsv => {
                let mut w = csv::WriterBuilder::new()
                    .delimiter(if format == Format::Tsv { b'\t' } else { b',' })
                    .from_writer(vec![]);
                let encoding = self.encoding;
                for c in columns {
                    if let Some(ch) = encoding.lacks(c) {
                        return Err(not_in_encoding(encoding, tr!("export.place_header"), c, ch));
                    }
                }
                w.write_record(columns).map_err(csv_err)?;
                // Made for spreadsheets: a text cell that would run as a formula is marked
                // as text (numbers stay numbers), unless --raw.
                let cell = |v: &R::Value| {
                    if self.raw || v.is_number() {
                        v.data_text()
                    } else {
                        spreadsheet_text(v.data_text())
                    }
                };
                let mut cells: Vec<String> = Vec::with_capacity(columns.len());
                for (n, r) in rows.iter().enumerate() {
                    cells.clear();
                    for (i, c) in columns.iter().enumerate() {
                        let text = r.cell(i, c).map(cell).unwrap_or_default();
                        // A character the encoding lacks is refused before anything is
                        // written, never turned into a '?'.
                        if let Some(ch) = encoding.lacks(&text) {
                            return Err(not_in_encoding(encoding, &place(n), c, ch));
                        }
                        cells.push(text);
                    }
                    w.write_record(&cells).map_err(csv_err)?;
                }
                let bytes = w.into_inner().map_err(|e| Error::failed(e.to_string()))?;
                let text = String::from_utf8_lossy(&bytes);
                let mut out = Vec::with_capacity(bytes.len() + 3);
                if encoding == Encoding::Utf8Bom && !self.started.get() {
                    out.extend_from_slice(b"\xEF\xBB\xBF");
                }
                out.extend_from_slice(&encoding.encode(&text));
                self.bytes(&out)
            }
        }
    }

    /// Values that already are JSON objects (records, hits) as JSON or NDJSON.
    pub fn json<T: Serialize>(&self, format: Format, items: &[T]) -> Result<()> {
        if format == Format::Ndjson {
            let mut s = String::new();
            for i in items {
                s.push_str(&serde_json::to_string(i).map_err(json_err)?);
                s.push('\n');
            }
            self.emit(&s)
        } else {
            self.emit_json(items)
        }
    }

    /// One JSON value, pretty.
    pub fn one<T: Serialize>(&self, item: &T) -> Result<()> {
        self.emit_json(item)
    }

    /// An aligned table; columns stay aligned with wide (CJK) characters. Each cell is
    /// padded to its column's width with a space either side, numbers to the right; the
    /// header is the columns' names in upper case (their labels in a language other than
    /// English; bold on a terminal); lines end without trailing spaces.
    pub fn table<R: Cells>(&self, columns: &[String], rows: &[R], header: bool) -> Result<()> {
        self.table_with(
            columns,
            rows,
            header,
            &|_| false,
            &super::words::column_title,
        )
    }

    /// [`Out::table`], the columns `is_amount` names shown as amounts, headed by `title`
    /// of each column.
    fn table_with<R: Cells>(
        &self,
        columns: &[String],
        rows: &[R],
        header: bool,
        is_amount: &dyn Fn(&str) -> bool,
        title: &dyn Fn(&str) -> String,
    ) -> Result<()> {
        let amounts: Vec<bool> = columns.iter().map(|c| is_amount(c)).collect();
        // Each cell's text is made twice, for the widths of the columns and to write it:
        // keeping the texts of a report of 100,000 rows between the two cost more in fresh
        // memory than making them again.
        let cell = |r: &R, i: usize, c: &str| match r.cell(i, c) {
            Some(v) => {
                let text = match amounts[i].then(|| v.amount_text()).flatten() {
                    Some(a) => a,
                    None => v.text(),
                };
                let (text, width) = cell_text(text);
                (text, width, v.is_number())
            }
            None => (String::new(), 0, false),
        };
        let titles: Vec<String> = columns
            .iter()
            .map(|c| visible_line(&title(c)).into_owned())
            .collect();
        // As comfy-table (which kith used before) laid them out: a column is at least one
        // wide, even with nothing in it.
        let mut widths: Vec<usize> = vec![1; columns.len()];
        if header {
            for (w, t) in widths.iter_mut().zip(&titles) {
                *w = t.width();
            }
        }
        for r in rows {
            for (i, (w, c)) in widths.iter_mut().zip(columns).enumerate() {
                *w = (*w).max(cell(r, i, c).1);
            }
        }
        // Written line by line through a buffer: a report of 100,000 rows is tens of
        // megabytes, which built as one text first cost a third of its time.
        let mut text = String::new();
        let mut line = String::new();
        let end_line = |line: &mut String, text: &mut String| -> Result<()> {
            text.push_str(line.trim_end());
            text.push('\n');
            line.clear();
            if text.len() >= 1 << 16 {
                self.emit(text)?;
                text.clear();
            }
            Ok(())
        };
        let pad = |line: &mut String, s: &str, width: usize, column: usize, right: bool| {
            let fill = " ".repeat(widths[column].saturating_sub(width));
            line.push(' ');
            if right {
                line.push_str(&fill);
                line.push_str(s);
            } else {
                line.push_str(s);
                line.push_str(&fill);
            }
            line.push(' ');
        };
        if header {
            for (i, t) in titles.iter().enumerate() {
                if self.color {
                    line.push_str("\x1b[1m");
                }
                pad(&mut line, t, t.width(), i, false);
                if self.color {
                    line.push_str("\x1b[0m");
                }
            }
            end_line(&mut line, &mut text)?;
        }
        for r in rows {
            for (i, c) in columns.iter().enumerate() {
                let (s, width, right) = cell(r, i, c);
                pad(&mut line, &s, width, i, right);
            }
            end_line(&mut line, &mut text)?;
        }
        if text.is_empty() {
            return Ok(());
        }
        self.emit(&text)
    }

    /// A heading line (bold on a terminal). Like every text for people, control
    /// characters in it are shown by their code ([`crate::core::escape`]).
    pub fn heading(&self, text: &str) -> Result<()> {
        let text = visible(text);
        if self.color {
            self.emit(&format!("\x1b[1m{text}\x1b[0m\n"))
        } else {
            self.emit(&format!("{text}\n"))
        }
    }

    /// Lines of text for people, control characters shown by their code.
    pub fn line(&self, text: &str) -> Result<()> {
        self.emit(&format!("{}\n", visible(text)))
    }
}

/// A row of a table: its value in a column, by position or by name.
pub trait Cells {
    type Value: Shown;
    fn cell(&self, index: usize, column: &str) -> Option<&Self::Value>;
}

impl Cells for Vec<Value> {
    type Value = Value;
    fn cell(&self, index: usize, _: &str) -> Option<&Value> {
        self.get(index)
    }
}

impl Cells for crate::app::queries::Row {
    type Value = Cell;
    fn cell(&self, index: usize, column: &str) -> Option<&Cell> {
        self.get_at(index, column)
    }
}

/// A value in a table: its text there and in data files, whether it is a number (set to
/// the right), and itself in JSON.
/// A cell of text made for people, numbers (amounts written as a document writes them)
/// aligned right: for tables whose cells are not records' values.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Figure {
    pub text: String,
    #[serde(skip)]
    pub right: bool,
}

impl Figure {
    pub fn left(text: impl Into<String>) -> Figure {
        Figure {
            text: text.into(),
            right: false,
        }
    }
    pub fn right(text: impl Into<String>) -> Figure {
        Figure {
            text: text.into(),
            right: true,
        }
    }
}

impl Shown for Figure {
    fn text(&self) -> String {
        self.text.clone()
    }
    fn data_text(&self) -> String {
        self.text.clone()
    }
    fn is_number(&self) -> bool {
        self.right
    }
    fn amount_text(&self) -> Option<String> {
        None
    }
}

impl Cells for Vec<Figure> {
    type Value = Figure;
    fn cell(&self, index: usize, _: &str) -> Option<&Figure> {
        self.get(index)
    }
}

pub trait Shown: Serialize {
    fn text(&self) -> String;
    fn data_text(&self) -> String;
    fn is_number(&self) -> bool;
    /// A number as an amount for people ([`Money::shown`]); None for anything else.
    fn amount_text(&self) -> Option<String>;
}

impl Shown for Value {
    fn text(&self) -> String {
        value_text(self)
    }
    fn data_text(&self) -> String {
        value_data_text(self)
    }
    fn is_number(&self) -> bool {
        Value::is_number(self)
    }
    fn amount_text(&self) -> Option<String> {
        Money::from_json(self).map(Money::shown)
    }
}

/// As the same value in JSON would be shown.
impl Shown for Cell {
    fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => format_number(*f),
            Cell::Text(s) => s.to_string(),
        }
    }
    fn data_text(&self) -> String {
        match self {
            Cell::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Cell::Float(f) => f.to_string(),
            _ => self.text(),
        }
    }
    fn is_number(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Float(_))
    }
    fn amount_text(&self) -> Option<String> {
        match self {
            Cell::Int(i) => Some(Money::from_units(*i)),
            Cell::Float(f) => Money::from_f64(*f),
            _ => None,
        }
        .map(Money::shown)
    }
}

/// A row as a JSON object of its columns (missing values are null).
struct Object<'a, R> {
    columns: &'a [String],
    row: &'a R,
}

impl<R: Cells> Serialize for Object<'_, R> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.columns.len()))?;
        for (i, c) in self.columns.iter().enumerate() {
            m.serialize_entry(c, &self.row.cell(i, c))?;
        }
        m.end()
    }
}

/// Rows as a JSON array of objects.
struct Objects<'a, R> {
    columns: &'a [String],
    rows: &'a [R],
}

impl<R: Cells> Serialize for Objects<'_, R> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.rows.iter().map(|row| Object {
            columns: self.columns,
            row,
        }))
    }
}

/// Cut text to `max` terminal columns, ending in '…' when cut.
/// A value's text as a table cell, and its width: on one line, control characters shown
/// by their code, cut to [`CELL_WIDTH`]. Copied only when something changes.
fn cell_text(text: String) -> (String, usize) {
    let text = if text.contains(['\n', '\r', '\t']) {
        text.replace(['\n', '\r', '\t'], " ")
    } else {
        text
    };
    let text = match visible(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(shown) => shown,
    };
    let columns: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    let text = if columns <= CELL_WIDTH {
        text
    } else {
        cut(&text, CELL_WIDTH)
    };
    let width = text.width();
    (text, width)
}

pub fn cut(s: &str, max: usize) -> String {
    let mut width = 0;
    let mut out = String::new();
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= max {
        return s.to_string();
    }
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if width + w > max.saturating_sub(1) {
            break;
        }
        width += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// A message for people on stderr, control characters shown by their code: messages
/// repeat names and what was typed.
pub fn say(msg: &str) {
    eprintln!("{}", visible(msg));
}

/// Write to stdout; a closed pipe (`kith … | head`) ends quietly.
pub fn emit(s: &str) -> Result<()> {
    emit_bytes(s.as_bytes())
}

pub fn emit_bytes(b: &[u8]) -> Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(b).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(e.into()),
    }
}

fn cannot_write(f: &crate::core::files::Output, e: io::Error) -> Error {
    Error::failed(tr!(
        "cli.cannot_write",
        file = f.dest().display(),
        problem = e
    ))
}

fn json_err(e: serde_json::Error) -> Error {
    Error::failed(tr!("cli.cannot_write_json", problem = e))
}

fn csv_err(e: csv::Error) -> Error {
    Error::failed(tr!("cli.cannot_write_csv", problem = e))
}

#[cfg(test)]
mod tests {

    /// A report's cell is shown, written to data files and to JSON exactly as the same
    /// value in JSON is.
    #[test]
    fn a_cell_is_shown_as_its_json_value() {
        use crate::app::queries::Cell;
        let cells = [
            Cell::Null,
            Cell::Bool(true),
            Cell::Bool(false),
            Cell::Int(-42),
            Cell::Int(1_200_000),
            Cell::from(0.6311),
            Cell::from(100.0),
            Cell::from(1234.5678),
            Cell::from(1e20),
            Cell::from(f64::NAN),
            Cell::from("广州白云"),
            Cell::from(""),
        ];
        for c in cells {
            let v = c.to_json();
            assert_eq!(Shown::text(&c), value_text(&v), "{c:?}");
            assert_eq!(c.data_text(), value_data_text(&v), "{c:?}");
            assert_eq!(Shown::is_number(&c), v.is_number(), "{c:?}");
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                serde_json::to_string(&v).unwrap()
            );
            assert_eq!(crate::app::queries::Cell::from_json(&v), c, "{c:?}");
        }
    }
    use super::*;

    #[test]
    fn encodings_write_what_they_hold_and_name_what_gbk_lacks() {
        let text = "广州白云国际机场，龘 € abc";
        assert_eq!(Encoding::Utf8.encode(text), text.as_bytes());
        assert_eq!(Encoding::Utf8Bom.encode(text), text.as_bytes());
        // 广 is B9E3 in GBK and GB18030 alike; € is 0x80 in GBK (code page 936).
        let gbk = Encoding::Gbk.encode(text);
        assert_eq!(&gbk[..2], &[0xB9, 0xE3]);
        assert!(gbk.contains(&0x80));
        let (back, _, bad) = encoding_rs::GBK.decode(&gbk);
        assert!(!bad);
        assert_eq!(back, text);
        assert_eq!(Encoding::Gbk.lacks(text), None);
        assert_eq!(Encoding::Gbk.lacks("陈𠀀 😀"), Some('𠀀'));
        assert_eq!(Encoding::Gbk.lacks("周末 ⛰️"), Some('⛰'));
        for e in [Encoding::Utf8, Encoding::Utf8Bom, Encoding::Gb18030] {
            assert_eq!(e.lacks("陈𠀀 😀"), None);
        }
        let gb = Encoding::Gb18030.encode("陈𠀀");
        assert_eq!(gb, [0xB3, 0xC2, 0x95, 0x32, 0x82, 0x36]);
        for name in Encoding::NAMES {
            assert_ne!(
                Encoding::from_name(name) == Encoding::Utf8,
                name != "utf-8",
                "{name}"
            );
        }
    }

    #[test]
    fn cut_counts_terminal_columns() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("广州白云国际机场", 8), "广州白…");
        assert_eq!(cut("abcdefghij", 5), "abcd…");
    }
}

#[cfg(test)]
mod table_tests {
    use super::*;
    use comfy_table::{presets, Attribute, Cell, CellAlignment, Table};

    /// What comfy-table (which kith used before) prints for the same rows.
    fn comfy(columns: &[String], rows: &[Vec<Value>], header: bool, color: bool) -> String {
        let mut t = Table::new();
        t.load_preset(presets::NOTHING);
        if color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        if header {
            t.set_header(columns.iter().map(|c| {
                let cell = Cell::new(c.to_uppercase());
                if color {
                    cell.add_attribute(Attribute::Bold)
                } else {
                    cell
                }
            }));
        }
        for r in rows {
            t.add_row(r.iter().map(|v| {
                let cell = Cell::new(cut(&value_text(v).replace(['\n', '\r'], " "), CELL_WIDTH));
                if v.is_number() {
                    cell.set_alignment(CellAlignment::Right)
                } else {
                    cell
                }
            }));
        }
        let text = t.to_string();
        let lines: Vec<&str> = text.lines().map(|l| l.trim_end()).collect();
        format!("{}\n", lines.join("\n"))
    }

    fn ours(columns: &[String], rows: &[Vec<Value>], header: bool, color: bool) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.txt");
        let mut out = Out::to_file(path.to_str().unwrap()).unwrap();
        out.color = color;
        out.table(columns, rows, header).unwrap();
        out.finish().unwrap();
        std::fs::read_to_string(&path).unwrap()
    }

    #[test]
    fn tables_print_as_comfy_table_printed_them() {
        let columns: Vec<String> = ["id", "name", "amount", "notes", "empty"]
            .map(String::from)
            .to_vec();
        let rows = vec![
            vec![
                Value::from(1),
                Value::from("广州白云国际机场"),
                Value::from(1200.5),
                Value::from("two\nlines"),
                Value::Null,
            ],
            vec![
                Value::from(12345),
                Value::from("Acme"),
                Value::from(-3),
                Value::from("a very long note that goes on and on beyond forty columns wide"),
                Value::from(""),
            ],
            vec![
                Value::from(7),
                Value::from("Ünïcödé ﾊﾝｶｸ 한국어"),
                Value::Null,
                Value::Bool(true),
                Value::from(vec!["a", "b"]),
            ],
        ];
        for header in [true, false] {
            for color in [false, true] {
                assert_eq!(
                    ours(&columns, &rows, header, color),
                    comfy(&columns, &rows, header, color),
                    "header {header}, color {color}"
                );
            }
        }
        // A column with nothing in it, without a header.
        let blank = vec![
            vec![Value::from(""), Value::from("task"), Value::from(3)],
            vec![Value::Null, Value::from("visit"), Value::from(40)],
        ];
        let three: Vec<String> = ["time", "kind", "n"].map(String::from).to_vec();
        for header in [true, false] {
            assert_eq!(
                ours(&three, &blank, header, false),
                comfy(&three, &blank, header, false)
            );
        }
        let none: Vec<Vec<Value>> = vec![];
        assert_eq!(
            ours(&columns, &none, true, false),
            comfy(&columns, &none, true, false)
        );
    }
}
