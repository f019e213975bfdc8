//! Dates as spreadsheets and address books write them, read for an import's date columns.
//!
//! A date column may hold what `kith add` takes (ISO dates, date words) and also:
//!
//! - `3/12/1985`, `3.12.1985`, `3-12-1985` (with a time after a space: `3/12/1985 14:30`,
//!   `3/12/1985 2:30 PM`), read month first or day first as `--date-format mdy|dmy` says, or
//!   as the column shows: a value whose first number is above 12 makes a column day first,
//!   one whose second is makes it month first. The year has four digits.
//! - `1985/3/12`, `1985.03.12`: year first, always year-month-day.
//! - Outlook's `0/0/00` (and `0/0/0000`): no date.
//! - Google's `--05-20` (and vCard's `--0520`), a birthday without a year: kept as
//!   `--05-20` in a contact's birthday (see [`crate::core::dates::month_day`]).
//!
//! The order of a column is found by looking ahead in the file when a value needs it; see
//! [`DateColumns`].

use std::collections::VecDeque;

use chrono::{NaiveDate, NaiveDateTime};

use crate::core::error::Result;

/// The order of day, month and year in dates like `3/12/1985`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// Month, day, year: `3/12/1985` is 12 March (US).
    Mdy,
    /// Day, month, year: `3/12/1985` is 3 December (most of the world).
    Dmy,
    /// Year, month, day: `1985/3/12`.
    Ymd,
}

impl DateOrder {
    /// `mdy`, `dmy` or `ymd` (case-insensitive).
    pub fn parse(s: &str) -> Result<DateOrder> {
        match s.trim().to_ascii_lowercase().as_str() {
            "mdy" => Ok(DateOrder::Mdy),
            "dmy" => Ok(DateOrder::Dmy),
            "ymd" => Ok(DateOrder::Ymd),
            other => Err(crate::err!(Invalid, "import.date_order_use", other = other)),
        }
    }

    fn name(self) -> &'static str {
        match self {
            DateOrder::Mdy => "mdy",
            DateOrder::Dmy => "dmy",
            DateOrder::Ymd => "ymd",
        }
    }
}

/// The forms a date cell may take, for messages.
pub const FORMATS: &str = "2026-11-22 (or 2026/11/22), 2026-11-22 09:30, 11/22/2026 or \
                           22.11.2026 (with --date-format mdy or dmy when the file does not \
                           show which), or a date word (today, +3d…)";

/// A date cell split into its numbers: `a/b/c` and what follows (a time).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Parts {
    nums: [u32; 3],
    /// The digits of each number as written (for the year's width).
    widths: [usize; 3],
    rest: String,
}

fn split(value: &str) -> Option<Parts> {
    let v = value.trim();
    let (date, rest) = match v.split_once(char::is_whitespace) {
        Some((d, r)) => (d, r.trim().to_string()),
        None => (v, String::new()),
    };
    let sep = date.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let pieces: Vec<&str> = date.split(sep).collect();
    if pieces.len() != 3
        || pieces
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut nums = [0u32; 3];
    let mut widths = [0usize; 3];
    for (i, p) in pieces.iter().enumerate() {
        nums[i] = p.parse().ok()?;
        widths[i] = p.len();
    }
    Some(Parts { nums, widths, rest })
}

/// What a cell says about its column's order: `Some(order)` when only one order reads it.
fn evidence(value: &str) -> Option<DateOrder> {
    let p = split(value)?;
    if p.widths[0] == 4 || p.widths[2] != 4 {
        return None;
    }
    let [a, b, _] = p.nums;
    match (a > 12, b > 12) {
        (true, false) if b >= 1 => Some(DateOrder::Dmy),
        (false, true) if a >= 1 => Some(DateOrder::Mdy),
        _ => None,
    }
}

/// How one cell of a date column is to be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// As it is: an ISO date, a date word, what `kith add` reads.
    Keep,
    /// No date (Outlook's `0/0/00`).
    Empty,
    /// Read as this (ISO) text.
    Text(String),
}

/// Read one cell of a date column, in `order` (when known). `field` names the field in
/// errors; `yearless` allows a birthday without a year.
pub fn read(
    value: &str,
    order: Option<DateOrder>,
    field: &str,
    yearless: bool,
    now: NaiveDateTime,
) -> Result<Cell> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(Cell::Keep);
    }
    if let Some((m, d)) = crate::core::dates::month_day(v) {
        if yearless {
            return Ok(Cell::Text(format!("--{m:02}-{d:02}")));
        }
        return Err(crate::err!(
            Invalid,
            "import.year_only_birthday",
            field = field,
            v = v
        ));
    }
    let bad =
        |why: String| crate::err!(Invalid, "import.value_bad", field = field, v = v, why = why);
    let Some(p) = split(v) else {
        // What `kith add` reads is read here too; anything else is told the file's forms.
        return match crate::core::dates::parse_when(v, now) {
            Ok(_) => Ok(Cell::Keep),
            Err(_) => Err(bad(crate::tr!("import.date_dates_file").to_string())),
        };
    };
    if p.nums[0] == 0 && p.nums[1] == 0 && p.nums[2] == 0 {
        return Ok(Cell::Empty);
    }
    // An ISO date is read (and its mistakes told) as `kith add` reads it.
    if p.widths[0] == 4 && v.as_bytes().get(4) == Some(&b'-') {
        return Ok(Cell::Keep);
    }
    let (y, m, d) = if p.widths[0] == 4 {
        (p.nums[0], p.nums[1], p.nums[2])
    } else {
        if p.widths[2] != 4 {
            return Err(bad(crate::tr!("import.two_digit_year").to_string()));
        }
        let order = match order.or_else(|| evidence(v)) {
            Some(o) => o,
            None => {
                return Err(bad(crate::tr!(
                    "import.could_say_which",
                    first = show(p.nums[2], p.nums[0], p.nums[1]),
                    second = show(p.nums[2], p.nums[1], p.nums[0])
                )))
            }
        };
        match order {
            DateOrder::Mdy => (p.nums[2], p.nums[0], p.nums[1]),
            DateOrder::Dmy => (p.nums[2], p.nums[1], p.nums[0]),
            DateOrder::Ymd => return Err(bad(crate::tr!("import.year_month_day").to_string())),
        }
    };
    let date = NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| {
        let read = match order {
            Some(o) if p.widths[0] != 4 => crate::tr!("import.read_as", order = o.name()),
            _ => String::new(),
        };
        bad(crate::tr!(
            "import.date_day_month",
            read = read,
            d = d,
            m = m,
            y = y
        ))
    })?;
    let iso = crate::core::dates::ymd(date);
    if p.rest.is_empty() {
        return Ok(Cell::Text(iso));
    }
    let text = format!("{iso} {}", p.rest);
    match crate::core::dates::parse_when(&text, now) {
        Ok(_) => Ok(Cell::Text(text)),
        Err(e) => Err(bad(crate::tr!("import.time_read", reason = e.reason))),
    }
}

fn show(y: u32, m: u32, d: u32) -> String {
    match NaiveDate::from_ymd_opt(y as i32, m, d) {
        Some(date) => date.format("%-d %B %Y").to_string(),
        None => format!("{y}-{m:02}-{d:02}"),
    }
}

/// How far ahead an import looks for a value that shows a date column's order.
pub const LOOK_AHEAD: usize = 10_000;

/// The date columns of an import and the order each reads in: given by `--date-format`, or
/// shown by the first value only one order reads (`25/12/1985`). When a value needs the
/// order and its column has not shown it yet, rows are read ahead (at most
/// [`LOOK_AHEAD`], held until imported) to find one; a column that never shows it leaves
/// such values to be rejected, asking for `--date-format`.
pub struct DateColumns {
    /// (column, field, birthday) of every date column.
    pub columns: Vec<(usize, &'static str, bool)>,
    given: Option<DateOrder>,
    /// The order each column showed (same index as `columns`).
    shown: Vec<Option<DateOrder>>,
}

impl DateColumns {
    pub fn new(columns: Vec<(usize, &'static str, bool)>, given: Option<DateOrder>) -> Self {
        let shown = vec![None; columns.len()];
        DateColumns {
            columns,
            given,
            shown,
        }
    }

    /// Learn from a row read from the file.
    pub fn observe(&mut self, cells: &[String]) {
        for (i, (col, _, _)) in self.columns.iter().enumerate() {
            if self.shown[i].is_none() {
                if let Some(e) = cells.get(*col).and_then(|v| evidence(v)) {
                    self.shown[i] = Some(e);
                }
            }
        }
    }

    /// Whether a cell of this row waits for its column's order.
    fn waiting(&self, cells: &[String]) -> bool {
        self.given.is_none()
            && self.columns.iter().enumerate().any(|(i, (col, _, _))| {
                self.shown[i].is_none()
                    && cells.get(*col).and_then(|v| split(v)).is_some_and(|p| {
                        p.widths[0] != 4 && p.widths[2] == 4 && p.nums != [0, 0, 0]
                    })
            })
    }

    /// Rewrite the date cells of a row as kith reads them; the first cell that cannot be is
    /// the error.
    pub fn convert(&self, cells: &mut [String], now: NaiveDateTime) -> Result<()> {
        for (i, (col, field, yearless)) in self.columns.iter().enumerate() {
            let Some(v) = cells.get_mut(*col) else {
                continue;
            };
            match read(v, self.given.or(self.shown[i]), field, *yearless, now)? {
                Cell::Keep => {}
                Cell::Empty => v.clear(),
                Cell::Text(t) => *v = t,
            }
        }
        Ok(())
    }
}

/// Rows with their date cells read, looking ahead when a column's order is still unknown.
pub struct WithDates<I> {
    rows: I,
    dates: DateColumns,
    ahead: VecDeque<Result<(u64, Vec<String>)>>,
    now: NaiveDateTime,
}

impl<I: Iterator<Item = Result<(u64, Vec<String>)>>> WithDates<I> {
    pub fn new(rows: I, dates: DateColumns, now: NaiveDateTime) -> Self {
        WithDates {
            rows,
            dates,
            ahead: VecDeque::new(),
            now,
        }
    }

    fn pull(&mut self) -> Option<Result<(u64, Vec<String>)>> {
        let next = self.rows.next()?;
        if let Ok((_, cells)) = &next {
            self.dates.observe(cells);
        }
        Some(next)
    }
}

/// A row whose date cells are read, or why one is not: (line, cells as in the file, the
/// cells as kith reads them or the error).
pub type DatedRow = (u64, Vec<String>, Result<Vec<String>>);

impl<I: Iterator<Item = Result<(u64, Vec<String>)>>> Iterator for WithDates<I> {
    type Item = Result<DatedRow>;

    fn next(&mut self) -> Option<Self::Item> {
        let next = match self.ahead.pop_front() {
            Some(r) => r,
            None => self.pull()?,
        };
        let (line, cells) = match next {
            Ok(row) => row,
            Err(e) => return Some(Err(e)),
        };
        if self.dates.waiting(&cells) {
            while self.ahead.len() < LOOK_AHEAD && self.dates.waiting(&cells) {
                match self.pull() {
                    Some(r) => self.ahead.push_back(r),
                    None => break,
                }
            }
        }
        let mut read = cells.clone();
        let result = self.dates.convert(&mut read, self.now).map(|()| read);
        Some(Ok((line, cells, result)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
    }

    fn text(v: &str, order: Option<DateOrder>) -> String {
        match read(v, order, "birthday", true, now()).unwrap() {
            Cell::Text(t) => t,
            other => panic!("{v}: {other:?}"),
        }
    }

    fn err(v: &str, order: Option<DateOrder>) -> String {
        read(v, order, "birthday", false, now())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn spreadsheet_dates() {
        use DateOrder::*;
        assert_eq!(text("3/12/1985", Some(Mdy)), "1985-03-12");
        assert_eq!(text("3/12/1985", Some(Dmy)), "1985-12-03");
        assert_eq!(text("03.12.1985", Some(Dmy)), "1985-12-03");
        assert_eq!(text("3-12-1985", Some(Mdy)), "1985-03-12");
        // One order reads it: no flag needed.
        assert_eq!(text("25/12/1985", None), "1985-12-25");
        assert_eq!(text("12/25/1985", None), "1985-12-25");
        // Year first is year-month-day, whatever the flag.
        assert_eq!(text("1985/3/12", None), "1985-03-12");
        assert_eq!(text("1985.03.12", Some(Dmy)), "1985-03-12");
        assert_eq!(text("1985/3/12", Some(Ymd)), "1985-03-12");
        // A time after the date.
        assert_eq!(text("3/12/2026 14:30", Some(Mdy)), "2026-03-12 14:30");
        assert_eq!(text("3/12/2026 2:30 PM", Some(Mdy)), "2026-03-12 2:30 PM");
        // Outlook's empty date, ISO dates and date words.
        assert_eq!(
            read("0/0/00", None, "birthday", true, now()).unwrap(),
            Cell::Empty
        );
        assert_eq!(
            read("0/0/0000", None, "due", false, now()).unwrap(),
            Cell::Empty
        );
        assert_eq!(
            read("1985-03-12", None, "b", false, now()).unwrap(),
            Cell::Keep
        );
        assert_eq!(
            read("2026-11-22T09:30", None, "b", false, now()).unwrap(),
            Cell::Keep
        );
        assert_eq!(
            read("tomorrow", None, "b", false, now()).unwrap(),
            Cell::Keep
        );
        // Google's birthday without a year.
        assert_eq!(text("--05-20", None), "--05-20");
        assert_eq!(text("--0520", None), "--05-20");
        assert_eq!(text("--02-29", None), "--02-29");
    }

    #[test]
    fn what_cannot_be_read_says_why() {
        use DateOrder::*;
        let e = err("3/12/1985", None);
        assert!(
            e.contains("could be 12 March 1985 or 3 December 1985"),
            "{e}"
        );
        assert!(e.contains("--date-format mdy"), "{e}");
        let e = err("25/12/1985", Some(Mdy));
        assert!(
            e.contains("is not a date read as mdy: no day 12 in month 25"),
            "{e}"
        );
        let e = err("3/12/85", Some(Mdy));
        assert!(e.contains("two-digit year"), "{e}");
        let e = err("3/12/1985", Some(Ymd));
        assert!(e.contains("not year-month-day"), "{e}");
        let e = err("--05-20", None);
        assert!(e.contains("no year"), "{e}");
        assert!(read("--13-01", None, "b", true, now()).is_err());
        assert!(read("--02-30", None, "b", true, now()).is_err());
        // Not a date: the forms a file may use, not the units of date words.
        let e = err("March 3rd", None);
        assert!(
            e.starts_with("birthday: 'March 3rd' is not a date; dates in a file"),
            "{e}"
        );
        assert!(e.contains("11/22/2026"), "{e}");
        assert!(!e.contains("min"), "{e}");
        let e = err("3/12/1985/1", None);
        assert!(e.contains("is not a date; dates in a file"), "{e}");
        assert_eq!(DateOrder::parse("DMY").unwrap(), Dmy);
        assert!(DateOrder::parse("myd").is_err());
    }

    fn rows(v: &[&str]) -> Vec<Result<(u64, Vec<String>)>> {
        v.iter()
            .enumerate()
            .map(|(i, d)| Ok((i as u64 + 2, vec![format!("p{i}"), d.to_string()])))
            .collect()
    }

    fn run(v: &[&str], given: Option<DateOrder>) -> Vec<std::result::Result<String, String>> {
        let dates = DateColumns::new(vec![(1, "birthday", true)], given);
        WithDates::new(rows(v).into_iter(), dates, now())
            .map(|r| {
                let (_, _, read) = r.unwrap();
                read.map(|c| c[1].clone()).map_err(|e| e.to_string())
            })
            .collect()
    }

    #[test]
    fn a_column_shows_its_order_further_down() {
        let got = run(&["3/12/1985", "", "0/0/00", "1/2/1990", "25/12/1985"], None);
        assert_eq!(
            got,
            vec![
                Ok("1985-12-03".into()),
                Ok("".into()),
                Ok("".into()),
                Ok("1990-02-01".into()),
                Ok("1985-12-25".into()),
            ]
        );
        let got = run(&["3/12/1985", "12/25/1985"], None);
        assert_eq!(got[0], Ok("1985-03-12".into()));
        // Never shown: the ambiguous ones ask for --date-format, the others are read.
        let got = run(&["3/12/1985", "1985-01-02", "--05-20"], None);
        assert!(got[0].as_ref().unwrap_err().contains("--date-format"));
        assert_eq!(got[1], Ok("1985-01-02".into()));
        // An ISO date's mistakes are told as `kith add` tells them.
        assert_eq!(run(&["1990-13-45"], None), vec![Ok("1990-13-45".into())]);
        assert_eq!(got[2], Ok("--05-20".into()));
        // Given, it wins; a value it cannot read is rejected.
        let got = run(&["3/12/1985", "25/12/1985"], Some(DateOrder::Mdy));
        assert_eq!(got[0], Ok("1985-03-12".into()));
        assert!(got[1].is_err());
    }
}
