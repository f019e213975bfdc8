//! Natural date words.
//!
//! Everywhere kith asks for a date or a time you can type any of the forms
//! below. Case does not matter and surrounding spaces are ignored. All times
//! are local times; kith does not store time zones.
//!
//! **Calendar dates (ISO)**
//! - `2026-11-22`, `2026/11/22`, `20261122`
//! - with a time: `2026-11-22T09:30`, `2026-11-22 09:30`, `2026-11-22T09:30:15`
//! - a time zone (`Z`, `+08:00`) is rejected: give the local time instead.
//!
//! **Words**
//! - `now` (the current date and time), `today`, `tomorrow`, `yesterday`,
//!   `eod` (end of day, same as `today`)
//!
//! **Chinese** (`zh.rs`): any input with a character beyond ASCII is read there first —
//! `今天`, `明天`, `下周五`, `月底`, `3天后`, `5月20日`, `国庆`, `下周一上午十点` … (the list is
//! in that module and in docs/dates.md). English words before a Chinese time
//! (`fri 下午3点`) and a Chinese weekday after `next`/`last` (`last 周一`) are read too.
//!
//! **Weekdays**
//! - `mon`/`monday`, `tue`/`tues`/`tuesday`, `wed`/`wednesday`,
//!   `thu`/`thur`/`thurs`/`thursday`, `fri`/`friday`, `sat`/`saturday`,
//!   `sun`/`sunday`, and `周一`…`周日`, `星期一`…`星期日` (or `星期天`/`周天`):
//!   the next such day strictly after today (on a Friday, `fri` is a week away).
//! - `next fri` (or `this fri`) is the same as `fri`; `last fri` is the most
//!   recent Friday strictly before today.
//!
//! **Relative**
//! - `+3d`, `-2w`, `+1m`, `+1y`, `3d` (no sign means later), `+3 days`
//! - `in 3 days`, `3 days ago`, `2 weeks ago`
//! - hours and minutes give a date and time counted from now: `+2h`, `-30min`, `in 4 hours`
//! - units: `d` `day` `days`, `w` `wk` `week` `weeks`, `m` `mo` `month` `months`,
//!   `y` `yr` `year` `years`, `h` `hr` `hour` `hours`, `min` `mins` `minute` `minutes`
//! - months and years keep the day of month, or use the last day of a shorter
//!   month: Jan 31 `+1m` is Feb 28 (Feb 29 in a leap year).
//!
//! **Period boundaries** (weeks start on Monday)
//! - `sow`/`eow` start/end of this week (Monday/Sunday), `sonw`/`eonw` of next week
//! - `som`/`eom` first/last day of this month, `sonm`/`eonm` of next month
//! - `soq`/`eoq` first/last day of this quarter (Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec)
//! - `soy`/`eoy` January 1 / December 31 of this year
//!
//! **Times**
//! - Any of the above may be followed by a time: `tomorrow 9am`, `fri 14:00`,
//!   `today 17:30`, `+2d 9:15pm`, `2026-11-22 9am`, `next fri 10am`, `eom noon`.
//! - Time forms: `14:30`, `9:05`, `14:30:15`, `9am`, `9 am`, `9:15pm`, `noon` (12:00).
//!   `12am` is 00:00 and `12pm` is 12:00.
//! - A time alone (`9am`, `14:30`) means today at that time.

use chrono::{
    Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Weekday,
};

mod zh;

/// A parsed point in time: either a whole calendar day or a local date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl When {
    /// The calendar date (the date part of a `DateTime`).
    pub fn date(&self) -> NaiveDate {
        match self {
            When::Date(d) => *d,
            When::DateTime(dt) => dt.date(),
        }
    }

    /// ISO text: `YYYY-MM-DD` for a date, `YYYY-MM-DDTHH:MM` for a date and
    /// time whose seconds are 0, else `YYYY-MM-DDTHH:MM:SS`.
    pub fn to_iso(&self) -> String {
        match self {
            When::Date(d) => d.format("%Y-%m-%d").to_string(),
            When::DateTime(dt) if dt.second() == 0 => dt.format("%Y-%m-%dT%H:%M").to_string(),
            When::DateTime(dt) => dt.format("%Y-%m-%dT%H:%M:%S").to_string(),
        }
    }
}

/// A date, time or duration that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub input: String,
    /// Why, in the user's language (from the catalog).
    pub reason: String,
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::tr!(
            "dates.bad",
            input = self.input,
            reason = self.reason
        ))
    }
}

impl std::error::Error for DateError {}

/// A length of time, as in `3d`, `-2w` or `30min`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Minutes(i64),
    Hours(i64),
    Days(i64),
    Weeks(i64),
    Months(i64),
    Years(i64),
}

impl Span {
    /// Add this span to a point in time. Days, weeks, months and years keep a
    /// `Date` a `Date`; hours and minutes turn a `Date` into a `DateTime`
    /// counted from its midnight. Months and years clamp to the last day of a
    /// shorter month. Overflow is an error.
    pub fn add_to(&self, w: When) -> Result<When, DateError> {
        self.add_inner(w).map_err(|reason| DateError {
            input: self.to_string_short(),
            reason,
        })
    }

    /// The same span in the other direction.
    pub fn negate(self) -> Span {
        match self {
            Span::Minutes(n) => Span::Minutes(n.saturating_neg()),
            Span::Hours(n) => Span::Hours(n.saturating_neg()),
            Span::Days(n) => Span::Days(n.saturating_neg()),
            Span::Weeks(n) => Span::Weeks(n.saturating_neg()),
            Span::Months(n) => Span::Months(n.saturating_neg()),
            Span::Years(n) => Span::Years(n.saturating_neg()),
        }
    }

    fn to_string_short(self) -> String {
        let (n, unit) = match self {
            Span::Minutes(n) => (n, "min"),
            Span::Hours(n) => (n, "h"),
            Span::Days(n) => (n, "d"),
            Span::Weeks(n) => (n, "w"),
            Span::Months(n) => (n, "m"),
            Span::Years(n) => (n, "y"),
        };
        format!("{n:+}{unit}")
    }

    fn add_inner(self, w: When) -> Result<When, String> {
        let too_far = || crate::tr!("dates.too_far").to_string();
        match self {
            Span::Minutes(n) | Span::Hours(n) => {
                let delta = match self {
                    Span::Minutes(_) => TimeDelta::try_minutes(n),
                    _ => TimeDelta::try_hours(n),
                }
                .ok_or_else(too_far)?;
                let dt = match w {
                    When::Date(d) => d.and_time(NaiveTime::MIN),
                    When::DateTime(dt) => dt,
                };
                dt.checked_add_signed(delta)
                    .map(When::DateTime)
                    .ok_or_else(too_far)
            }
            Span::Days(n) | Span::Weeks(n) => {
                let days = match self {
                    Span::Weeks(_) => n.checked_mul(7).ok_or_else(too_far)?,
                    _ => n,
                };
                let delta = TimeDelta::try_days(days).ok_or_else(too_far)?;
                match w {
                    When::Date(d) => d.checked_add_signed(delta).map(When::Date),
                    When::DateTime(dt) => dt.checked_add_signed(delta).map(When::DateTime),
                }
                .ok_or_else(too_far)
            }
            Span::Months(n) | Span::Years(n) => {
                let months = match self {
                    Span::Years(_) => n.checked_mul(12).ok_or_else(too_far)?,
                    _ => n,
                };
                let m = Months::new(u32::try_from(months.unsigned_abs()).map_err(|_| too_far())?);
                let forward = months >= 0;
                match w {
                    When::Date(d) => if forward {
                        d.checked_add_months(m)
                    } else {
                        d.checked_sub_months(m)
                    }
                    .map(When::Date),
                    When::DateTime(dt) => if forward {
                        dt.checked_add_months(m)
                    } else {
                        dt.checked_sub_months(m)
                    }
                    .map(When::DateTime),
                }
                .ok_or_else(too_far)
            }
        }
    }
}

fn err(input: &str, reason: impl Into<String>) -> DateError {
    DateError {
        input: input.trim().to_string(),
        reason: reason.into(),
    }
}

/// The date a stored `YYYY-MM-DD…` starts with (a date, or a local date-time), read by hand:
/// it runs once per row of reminders and reports, where a format string costs more than
/// the rest of the work on the row.
pub fn day_of(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)
}

/// The local date of a kith UTC stamp (`…Z`), or of a local date or date-time.
pub fn local_day(s: &str) -> Option<NaiveDate> {
    if s.ends_with('Z') {
        return chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&chrono::Local).date_naive());
    }
    day_of(s)
}

/// `YYYY-MM-DDTHH:MM:SS`: a local date-time as kith stores and compares them (seconds
/// always written).
pub fn iso_seconds(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// A day of the year without a year: `--05-20` (ISO 8601's truncated form, as vCard 4 and
/// Google Contacts write a birthday whose year is not known) or `--0520`, as (month, day).
/// 29 February is a day of the year. A month and day in Chinese (`5月20日`, `五月二十号`) is
/// one too: a birthday typed so is kept without a year.
pub fn month_day(s: &str) -> Option<(u32, u32)> {
    let Some(rest) = s.trim().strip_prefix("--") else {
        return zh::month_day(&fold(s));
    };
    let digits: String = match rest.len() {
        5 if rest.as_bytes()[2] == b'-' => format!("{}{}", &rest[..2], &rest[3..]),
        4 => rest.to_string(),
        _ => return None,
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (m, d) = (digits[..2].parse().ok()?, digits[2..].parse().ok()?);
    // 2000 was a leap year.
    NaiveDate::from_ymd_opt(2000, m, d).map(|_| (m, d))
}

/// A day's weekday, short, as people read it ("Fri"), from the catalog.
pub fn weekday_name(d: NaiveDate) -> &'static str {
    match d.weekday() {
        chrono::Weekday::Mon => crate::tr!("dates.weekday.mon"),
        chrono::Weekday::Tue => crate::tr!("dates.weekday.tue"),
        chrono::Weekday::Wed => crate::tr!("dates.weekday.wed"),
        chrono::Weekday::Thu => crate::tr!("dates.weekday.thu"),
        chrono::Weekday::Fri => crate::tr!("dates.weekday.fri"),
        chrono::Weekday::Sat => crate::tr!("dates.weekday.sat"),
        chrono::Weekday::Sun => crate::tr!("dates.weekday.sun"),
    }
}

/// A day as people read it with its weekday: "Fri 2026-11-27" (the order from the
/// catalog). The agenda's headings, the reminders, the interface's date hints.
pub fn day_text(d: NaiveDate) -> String {
    crate::tr!("dates.day", weekday = weekday_name(d), date = ymd(d))
}

/// `YYYY-MM-DD`, as chrono writes a date, without going through a format string.
pub fn ymd(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Parse a date word relative to `now` (local naive time). Case-insensitive,
/// surrounding whitespace ignored. See the module documentation for the grammar.
/// A stored date or date-time as people read it: `2026-11-22` or `2026-11-22 16:00`.
pub fn display(stored: &str) -> String {
    match stored.split_once('T') {
        Some((d, t)) => format!("{d} {}", t.get(..5).unwrap_or(t)),
        None => stored.to_string(),
    }
}

/// A date or date-time as kith stores it: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]`.
pub fn stored(s: &str) -> Option<When> {
    let s = s.trim();
    if s.len() <= 10 {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .map(When::Date);
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .ok()
        .map(When::DateTime)
}

pub fn parse_when(input: &str, now: NaiveDateTime) -> Result<When, DateError> {
    let lower = fold(input);
    if !lower.is_ascii() {
        return zh::parse(&lower, now).map_err(|reason| err(input, reason));
    }
    let tokens = merge_am_pm(lower.split_whitespace().collect());
    if tokens.is_empty() {
        return Err(err(input, crate::tr!("dates.empty_date")));
    }
    let refs: Vec<&str> = tokens.iter().map(String::as_str).collect();
    parse_tokens(&refs, now).map_err(|reason| err(input, reason))
}

/// Like [`parse_when`] but always a calendar date (a date and time is reduced
/// to its date).
pub fn parse_date(input: &str, now: NaiveDateTime) -> Result<NaiveDate, DateError> {
    parse_when(input, now).map(|w| w.date())
}

/// Parse a duration such as `3d`, `+3d`, `-2w`, `1m`, `1y`, `4h`, `30min` or
/// `3 days`. No sign means a positive span.
pub fn parse_duration(input: &str) -> Result<Span, DateError> {
    let compact: String = fold(input).split_whitespace().collect();
    if compact.is_empty() {
        return Err(err(input, crate::tr!("dates.empty_duration")));
    }
    if !compact.is_ascii() {
        return match zh::duration(&compact) {
            Some(span) => span,
            None => Err(crate::tr!("dates.zh_duration", word = compact)),
        }
        .map_err(|reason| err(input, reason));
    }
    parse_span(&compact).map_err(|reason| err(input, reason))
}

/// What a date word is read from: trimmed, in lower case, with the full-width forms a
/// Chinese input method types (`３点`, `１５：３０`) as the ASCII ones.
fn fold(input: &str) -> String {
    input
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect::<String>()
        .to_lowercase()
}

/// Join a lone `am`/`pm` token onto the number before it ("9 am" -> "9am").
fn merge_am_pm(tokens: Vec<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    for t in tokens {
        if t == "am" || t == "pm" {
            if let Some(prev) = out.last_mut() {
                if prev.chars().last().is_some_and(|c| c.is_ascii_digit()) {
                    prev.push_str(t);
                    continue;
                }
            }
        }
        out.push(t.to_string());
    }
    out
}

fn parse_tokens(tokens: &[&str], now: NaiveDateTime) -> Result<When, String> {
    let Some((last, rest)) = tokens.split_last() else {
        return Err(crate::tr!("dates.empty_date").to_string());
    };
    match parse_time(last) {
        Some(Ok(t)) => {
            let date = if rest.is_empty() {
                now.date()
            } else {
                parse_date_expr(rest, now)?.date()
            };
            Ok(When::DateTime(date.and_time(t)))
        }
        Some(Err(e)) => {
            if !rest.is_empty() {
                parse_date_expr(rest, now)?;
            }
            Err(e)
        }
        None => parse_date_expr(tokens, now),
    }
}

fn truncate_secs(dt: NaiveDateTime) -> NaiveDateTime {
    dt.with_nanosecond(0).unwrap_or(dt)
}

fn parse_date_expr(tokens: &[&str], now: NaiveDateTime) -> Result<When, String> {
    let today = now.date();
    match tokens {
        [] => Err(crate::tr!("dates.empty_date").to_string()),
        [first @ ("next" | "this" | "last"), rest @ ..] => {
            let phrase = rest.join(" ");
            match (rest, parse_weekday(&phrase)) {
                ([_], Some(wd)) => {
                    let d = if *first == "last" {
                        prev_weekday(today, wd)
                    } else {
                        next_weekday(today, wd)
                    };
                    d.map(When::Date)
                        .ok_or_else(|| crate::tr!("dates.too_far").to_string())
                }
                ([], _) => Err(crate::tr!("dates.must_followed_weekday", first = first)),
                _ => Err(crate::tr!(
                    "dates.must_followed_weekday_got",
                    first = first,
                    phrase = phrase
                )),
            }
        }
        [one] => parse_single(one, now),
        ["in", rest @ ..] => {
            let compact = rest.concat();
            if compact.starts_with(['+', '-']) {
                return Err(crate::tr!("dates.takes_plain_number").to_string());
            }
            relative(parse_span(&compact)?, now)
        }
        [rest @ .., "ago"] => {
            let compact = rest.concat();
            if compact.starts_with(['+', '-']) {
                return Err(crate::tr!("dates.ago_takes_plain").to_string());
            }
            relative(parse_span(&compact)?.negate(), now)
        }
        [first, rest @ ..] => {
            let compact = tokens.concat();
            if compact.starts_with(|c: char| c == '+' || c == '-' || c.is_ascii_digit()) {
                if parse_iso(first)?.is_some() {
                    // An ISO date followed by something that is not a time.
                    if rest.iter().any(|t| is_tz_token(t)) {
                        return Err(crate::tr!("dates.time_zone").to_string());
                    }
                    return Err(crate::tr!(
                        "dates.expected_time_after",
                        rest = rest.join(" ")
                    ));
                }
                relative(parse_span(&compact)?, now)
            } else {
                Err(crate::tr!("dates.unknown_words", tokens = tokens.join(" ")))
            }
        }
    }
}

/// `z`, `utc`, `gmt`, `+08:00`, `-0500`, `+08`.
fn is_tz_token(t: &str) -> bool {
    if matches!(t, "z" | "utc" | "gmt") {
        return true;
    }
    match t.strip_prefix(['+', '-']) {
        Some(body) => {
            let digits = body.replace(':', "");
            (2..=4).contains(&digits.len()) && all_digits(&digits) && body.len() <= 5
        }
        None => false,
    }
}

fn relative(span: Span, now: NaiveDateTime) -> Result<When, String> {
    let base = match span {
        Span::Minutes(_) | Span::Hours(_) => When::DateTime(truncate_secs(now)),
        _ => When::Date(now.date()),
    };
    span.add_inner(base)
}

fn parse_single(word: &str, now: NaiveDateTime) -> Result<When, String> {
    let today = now.date();
    let day = |n: i64| Span::Days(n).add_inner(When::Date(today));
    match word {
        "now" => return Ok(When::DateTime(truncate_secs(now))),
        "today" | "eod" | "今天" | "今日" => return Ok(When::Date(today)),
        "tomorrow" | "明天" => return day(1),
        "后天" => return day(2),
        "yesterday" | "昨天" => return day(-1),
        "前天" => return day(-2),
        _ => {}
    }
    if let Some(d) = period_boundary(word, today)? {
        return Ok(When::Date(d));
    }
    if let Some(wd) = parse_weekday(word) {
        return next_weekday(today, wd)
            .map(When::Date)
            .ok_or_else(|| crate::tr!("dates.too_far").to_string());
    }
    if let Some(w) = parse_iso(word)? {
        return Ok(w);
    }
    if word.starts_with(|c: char| c == '+' || c == '-' || c.is_ascii_digit()) {
        return relative(parse_span(word)?, now);
    }
    Err(crate::tr!("dates.unknown_word", word = word))
}

fn parse_weekday(word: &str) -> Option<Weekday> {
    let wd = match word {
        "mon" | "monday" | "周一" | "星期一" => Weekday::Mon,
        "tue" | "tues" | "tuesday" | "周二" | "星期二" => Weekday::Tue,
        "wed" | "weds" | "wednesday" | "周三" | "星期三" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" | "周四" | "星期四" => Weekday::Thu,
        "fri" | "friday" | "周五" | "星期五" => Weekday::Fri,
        "sat" | "saturday" | "周六" | "星期六" => Weekday::Sat,
        "sun" | "sunday" | "周日" | "周天" | "星期日" | "星期天" => Weekday::Sun,
        _ => return None,
    };
    Some(wd)
}

/// The first `wd` strictly after `today`.
fn next_weekday(today: NaiveDate, wd: Weekday) -> Option<NaiveDate> {
    let from = i64::from(today.weekday().num_days_from_monday());
    let to = i64::from(wd.num_days_from_monday());
    let mut diff = (to - from).rem_euclid(7);
    if diff == 0 {
        diff = 7;
    }
    today.checked_add_signed(TimeDelta::try_days(diff)?)
}

/// The most recent `wd` strictly before `today`.
fn prev_weekday(today: NaiveDate, wd: Weekday) -> Option<NaiveDate> {
    let from = i64::from(today.weekday().num_days_from_monday());
    let to = i64::from(wd.num_days_from_monday());
    let mut diff = (from - to).rem_euclid(7);
    if diff == 0 {
        diff = 7;
    }
    today.checked_sub_signed(TimeDelta::try_days(diff)?)
}

fn period_boundary(word: &str, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
    let too_far = || crate::tr!("dates.too_far").to_string();
    let add_days = |d: NaiveDate, n: u64| d.checked_add_days(Days::new(n)).ok_or_else(too_far);
    let add_months =
        |d: NaiveDate, n: u32| d.checked_add_months(Months::new(n)).ok_or_else(too_far);
    let last_day =
        |first: NaiveDate, months: u32| add_months(first, months)?.pred_opt().ok_or_else(too_far);
    let sow = || {
        today
            .checked_sub_days(Days::new(u64::from(today.weekday().num_days_from_monday())))
            .ok_or_else(too_far)
    };
    let som = || today.with_day(1).ok_or_else(too_far);
    let soq = || {
        let m = (today.month0() / 3) * 3 + 1;
        NaiveDate::from_ymd_opt(today.year(), m, 1).ok_or_else(too_far)
    };
    let soy = || NaiveDate::from_ymd_opt(today.year(), 1, 1).ok_or_else(too_far);
    let d = match word {
        "sow" => sow()?,
        "eow" => add_days(sow()?, 6)?,
        "sonw" => add_days(sow()?, 7)?,
        "eonw" => add_days(sow()?, 13)?,
        "som" => som()?,
        "eom" => last_day(som()?, 1)?,
        "sonm" => add_months(som()?, 1)?,
        "eonm" => last_day(som()?, 2)?,
        "soq" => soq()?,
        "eoq" => last_day(soq()?, 3)?,
        "soy" => soy()?,
        "eoy" => NaiveDate::from_ymd_opt(today.year(), 12, 31).ok_or_else(too_far)?,
        _ => return Ok(None),
    };
    Ok(Some(d))
}

fn month_name(m: u32) -> &'static str {
    match m {
        1 => crate::tr!("dates.month_january"),
        2 => crate::tr!("dates.month_february"),
        3 => crate::tr!("dates.month_march"),
        4 => crate::tr!("dates.month_april"),
        5 => crate::tr!("dates.month_may"),
        6 => crate::tr!("dates.month_june"),
        7 => crate::tr!("dates.month_july"),
        8 => crate::tr!("dates.month_august"),
        9 => crate::tr!("dates.month_september"),
        10 => crate::tr!("dates.month_october"),
        11 => crate::tr!("dates.month_november"),
        _ => crate::tr!("dates.month_december"),
    }
}

fn make_date(y: i32, m: u32, d: u32) -> Result<NaiveDate, String> {
    if !(1..=12).contains(&m) {
        return Err(crate::tr!("dates.month_out_range", m = m));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        if d == 0 {
            crate::tr!("dates.day_zero").to_string()
        } else {
            crate::tr!("dates.day_out_range", d = d, month = month_name(m), y = y)
        }
    })
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn num<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse()
        .map_err(|_| crate::tr!("dates.valid_number", s = s))
}

/// `Ok(None)` when `word` does not look like an ISO date at all.
fn parse_iso(word: &str) -> Result<Option<When>, String> {
    // Compact form: YYYYMMDD.
    if word.len() == 8 && all_digits(word) {
        let (y, md) = word.split_at(4);
        let (m, d) = md.split_at(2);
        return make_date(num(y)?, num(m)?, num(d)?).map(|d| Some(When::Date(d)));
    }
    let bytes = word.as_bytes();
    let looks_iso = bytes.len() >= 5
        && bytes.iter().take(4).all(u8::is_ascii_digit)
        && matches!(bytes.get(4), Some(b'-' | b'/'));
    if !looks_iso {
        return Ok(None);
    }
    let (date_part, time_part) = match word.split_once('t') {
        Some((d, t)) => (d, Some(t)),
        None => (word, None),
    };
    let sep = if date_part.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = date_part.split(sep).collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(crate::tr!("dates.date_write_yyyy", date_part = date_part));
    };
    if y.len() != 4
        || !all_digits(y)
        || !(1..=2).contains(&m.len())
        || !all_digits(m)
        || !(1..=2).contains(&d.len())
        || !all_digits(d)
    {
        return Err(crate::tr!("dates.date_write_yyyy", date_part = date_part));
    }
    let date = make_date(num(y)?, num(m)?, num(d)?)?;
    match time_part {
        None => Ok(Some(When::Date(date))),
        Some(t) => match parse_time(t) {
            Some(Ok(time)) => Ok(Some(When::DateTime(date.and_time(time)))),
            Some(Err(e)) => Err(e),
            None => Err(crate::tr!("dates.time_write_hh", t = t)),
        },
    }
}

/// `None` when `word` does not look like a time; `Some(Err)` when it does but
/// is invalid.
fn parse_time(word: &str) -> Option<Result<NaiveTime, String>> {
    if word == "noon" {
        return Some(Ok(NaiveTime::from_hms_opt(12, 0, 0)?));
    }
    if !word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (body, ampm) = if let Some(b) = word.strip_suffix("am") {
        (b, Some(false))
    } else if let Some(b) = word.strip_suffix("pm") {
        (b, Some(true))
    } else {
        (word, None)
    };
    let has_colon = body.contains(':');
    if ampm.is_none() && !has_colon {
        return None;
    }
    // "09:30z", "09:30+08:00", "09:30-05:00"
    if ampm.is_none() {
        if let Some(pos) = body.find(['+', '-', 'z']) {
            let (prefix, _) = body.split_at(pos);
            if prefix.contains(':') && prefix.bytes().all(|b| b.is_ascii_digit() || b == b':') {
                return Some(Err(crate::tr!("dates.time_zone").to_string()));
            }
            return None;
        }
    }
    if !body.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return if has_colon {
            Some(Err(crate::tr!("dates.time_write_hh_word", word = word)))
        } else {
            None
        };
    }
    Some(build_time(word, body, ampm))
}

fn build_time(word: &str, body: &str, ampm: Option<bool>) -> Result<NaiveTime, String> {
    let bad = || crate::tr!("dates.time_write_hh_or_am", word = word);
    let parts: Vec<&str> = body.split(':').collect();
    let (h, m, s) = match parts.as_slice() {
        [h] => (*h, "0", "0"),
        [h, m] => (*h, *m, "0"),
        [h, m, s] => (*h, *m, *s),
        _ => return Err(bad()),
    };
    if h.is_empty()
        || h.len() > 2
        || (parts.len() > 1 && m.len() != 2)
        || (parts.len() > 2 && s.len() != 2)
    {
        return Err(bad());
    }
    let mut hour: u32 = h.parse().map_err(|_| bad())?;
    let minute: u32 = m.parse().map_err(|_| bad())?;
    let second: u32 = s.parse().map_err(|_| bad())?;
    if let Some(pm) = ampm {
        if !(1..=12).contains(&hour) {
            return Err(crate::tr!("dates.hour_out_range_12", hour = hour));
        }
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    } else if hour > 23 {
        return Err(crate::tr!("dates.hour_out_range_24", hour = hour));
    }
    if minute > 59 {
        return Err(crate::tr!("dates.minute_out_range", minute = minute));
    }
    if second > 59 {
        return Err(crate::tr!("dates.second_out_range", second = second));
    }
    NaiveTime::from_hms_opt(hour, minute, second).ok_or_else(bad)
}

/// Parse a compact span such as `+3d`, `-30min`, `2weeks`.
fn parse_span(s: &str) -> Result<Span, String> {
    let (neg, body) = if let Some(b) = s.strip_prefix('+') {
        (false, b)
    } else if let Some(b) = s.strip_prefix('-') {
        (true, b)
    } else {
        (false, s)
    };
    let split = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    let (digits, unit) = body.split_at(split);
    if digits.is_empty() {
        return Err(crate::tr!("dates.missing_number_use", s = s));
    }
    let n: i64 = digits
        .parse()
        .map_err(|_| crate::tr!("dates.number_too_large", digits = digits))?;
    let n = if neg { -n } else { n };
    let span = match unit {
        "d" | "day" | "days" => Span::Days(n),
        "w" | "wk" | "wks" | "week" | "weeks" => Span::Weeks(n),
        "m" | "mo" | "mon" | "mos" | "month" | "months" => Span::Months(n),
        "y" | "yr" | "yrs" | "year" | "years" => Span::Years(n),
        "h" | "hr" | "hrs" | "hour" | "hours" => Span::Hours(n),
        "min" | "mins" | "minute" | "minutes" => Span::Minutes(n),
        "" => return Err(crate::tr!("dates.missing_unit_use", s = s)),
        "s" | "sec" | "secs" | "second" | "seconds" => {
            return Err(crate::tr!("dates.seconds_supported_use", s = s))
        }
        other => return Err(crate::tr!("dates.unknown_unit_use", other = other, s = s)),
    };
    Ok(span)
}

#[cfg(test)]
mod tests {
    const TZ_REASON: &str = "time zone offsets are not accepted; give local time";
    const TOO_FAR: &str = "the result is outside the supported range of dates";
    use super::*;

    #[test]
    fn local_days_read_by_hand_agree_with_chrono() {
        for s in [
            "2026-11-22",
            "2026-11-22T10:00:00",
            "2026-11-22 10:00",
            "0999-01-05",
            "2024-02-29T23:59",
        ] {
            let want = NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").unwrap();
            assert_eq!(local_day(s), Some(want), "{s}");
            assert_eq!(ymd(want), want.to_string());
        }
        for bad in [
            "2026-02-30",
            "2026-1-22",
            "2026/11/22",
            "2026-11-2x",
            "+2026-11",
            "",
        ] {
            assert_eq!(local_day(bad), None, "{bad}");
        }
        assert_eq!(
            local_day("2026-11-22T23:30:00Z"),
            Some(
                chrono::DateTime::parse_from_rfc3339("2026-11-22T23:30:00Z")
                    .unwrap()
                    .with_timezone(&chrono::Local)
                    .date_naive()
            )
        );
    }
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dt(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, 0).unwrap()
    }

    /// Wednesday 2026-11-18 10:20:30.
    fn now() -> NaiveDateTime {
        d(2026, 11, 18).and_hms_opt(10, 20, 30).unwrap()
    }

    fn pd(s: &str) -> NaiveDate {
        parse_date(s, now()).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn pw(s: &str) -> When {
        parse_when(s, now()).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn reason(s: &str) -> String {
        match parse_when(s, now()) {
            Ok(w) => panic!("{s} parsed as {w:?}"),
            Err(e) => e.reason,
        }
    }

    #[test]
    fn iso_forms() {
        assert_eq!(pw("2026-11-22"), When::Date(d(2026, 11, 22)));
        assert_eq!(pw("2026/11/22"), When::Date(d(2026, 11, 22)));
        assert_eq!(pw("20261122"), When::Date(d(2026, 11, 22)));
        assert_eq!(pw("2026-1-5"), When::Date(d(2026, 1, 5)));
        assert_eq!(
            pw("2026-11-22T09:30"),
            When::DateTime(dt(2026, 11, 22, 9, 30))
        );
        assert_eq!(
            pw("2026-11-22t09:30"),
            When::DateTime(dt(2026, 11, 22, 9, 30))
        );
        assert_eq!(
            pw("2026-11-22 09:30"),
            When::DateTime(dt(2026, 11, 22, 9, 30))
        );
        assert_eq!(
            pw("2026-11-22T09:30:15"),
            When::DateTime(d(2026, 11, 22).and_hms_opt(9, 30, 15).unwrap())
        );
        assert_eq!(
            pw("2026-11-22 09:30:15"),
            When::DateTime(d(2026, 11, 22).and_hms_opt(9, 30, 15).unwrap())
        );
        assert_eq!(
            pw("  2026-11-22 9am "),
            When::DateTime(dt(2026, 11, 22, 9, 0))
        );
        assert_eq!(pw("2024-02-29"), When::Date(d(2024, 2, 29)));
    }

    #[test]
    fn iso_errors() {
        assert_eq!(reason("2026-13-01"), "month 13 is out of range (1-12)");
        assert_eq!(reason("20261301"), "month 13 is out of range (1-12)");
        assert_eq!(
            reason("2026-02-30"),
            "day 30 is out of range for February 2026"
        );
        assert_eq!(reason("2026-02-00"), "day 0 is out of range");
        assert_eq!(reason("2026-11-22T09:30Z"), TZ_REASON);
        assert_eq!(reason("2026-11-22T09:30+08:00"), TZ_REASON);
        assert_eq!(reason("2026-11-22T09:30-05:00"), TZ_REASON);
        assert_eq!(reason("2026-11-22 09:30+08:00"), TZ_REASON);
        assert_eq!(reason("2026-11-22T25:00"), "hour 25 is out of range (0-23)");
        assert_eq!(
            reason("2026-11-22 10:60"),
            "minute 60 is out of range (0-59)"
        );
        assert!(reason("2026-11").contains("write YYYY-MM-DD"));
        assert!(reason("2026-11-22 foo").contains("expected a time after the date"));
        assert_eq!(reason("2026-11-22 09:30 +08:00"), TZ_REASON);
        assert_eq!(reason("2026-11-22 09:30 Z"), TZ_REASON);
        assert_eq!(
            reason("2026-13-01 09:30"),
            "month 13 is out of range (1-12)"
        );
        assert_eq!(reason("2026-13-01 foo"), "month 13 is out of range (1-12)");
    }

    #[test]
    fn words() {
        assert_eq!(pw("now"), When::DateTime(now()));
        assert_eq!(pw("today"), When::Date(d(2026, 11, 18)));
        assert_eq!(pw("TODAY"), When::Date(d(2026, 11, 18)));
        assert_eq!(pw("eod"), When::Date(d(2026, 11, 18)));
        assert_eq!(pw("tomorrow"), When::Date(d(2026, 11, 19)));
        assert_eq!(pw("yesterday"), When::Date(d(2026, 11, 17)));
        assert_eq!(pd("今天"), d(2026, 11, 18));
        assert_eq!(pd("明天"), d(2026, 11, 19));
        assert_eq!(pd("后天"), d(2026, 11, 20));
        assert_eq!(pd("昨天"), d(2026, 11, 17));
        assert_eq!(pd("前天"), d(2026, 11, 16));
    }

    #[test]
    fn now_drops_subseconds() {
        let n = now().with_nanosecond(123_456_789).unwrap();
        assert_eq!(parse_when("now", n).unwrap(), When::DateTime(now()));
    }

    #[test]
    fn weekdays() {
        // now() is a Wednesday.
        assert_eq!(now().weekday(), Weekday::Wed);
        assert_eq!(pd("thu"), d(2026, 11, 19));
        assert_eq!(pd("thur"), d(2026, 11, 19));
        assert_eq!(pd("thurs"), d(2026, 11, 19));
        assert_eq!(pd("Thursday"), d(2026, 11, 19));
        assert_eq!(pd("fri"), d(2026, 11, 20));
        assert_eq!(pd("sat"), d(2026, 11, 21));
        assert_eq!(pd("sun"), d(2026, 11, 22));
        assert_eq!(pd("mon"), d(2026, 11, 23));
        assert_eq!(pd("monday"), d(2026, 11, 23));
        assert_eq!(pd("tue"), d(2026, 11, 24));
        assert_eq!(pd("tues"), d(2026, 11, 24));
        assert_eq!(pd("tuesday"), d(2026, 11, 24));
        // Same weekday as today: a week later.
        assert_eq!(pd("wed"), d(2026, 11, 25));
        assert_eq!(pd("wednesday"), d(2026, 11, 25));
        assert_eq!(pd("next fri"), d(2026, 11, 20));
        assert_eq!(pd("this fri"), d(2026, 11, 20));
        assert_eq!(pd("next   wed"), d(2026, 11, 25));
        assert_eq!(pd("last fri"), d(2026, 11, 13));
        assert_eq!(pd("last tue"), d(2026, 11, 17));
        assert_eq!(pd("last wed"), d(2026, 11, 11));
        assert_eq!(pd("周五"), d(2026, 11, 20));
        assert_eq!(pd("星期五"), d(2026, 11, 20));
        assert_eq!(pd("周一"), d(2026, 11, 23));
        assert_eq!(pd("周日"), d(2026, 11, 22));
        assert_eq!(pd("星期日"), d(2026, 11, 22));
        assert_eq!(pd("星期天"), d(2026, 11, 22));
        assert_eq!(pd("周三"), d(2026, 11, 25));
        assert_eq!(pd("last 周一"), d(2026, 11, 16));
        assert!(reason("next month").contains("'next' must be followed by a weekday"));
        assert!(reason("next").contains("must be followed by a weekday"));
    }

    #[test]
    fn friday_fri_is_a_week_later() {
        let fri = dt(2026, 11, 20, 8, 0);
        assert_eq!(parse_date("fri", fri).unwrap(), d(2026, 11, 27));
        assert_eq!(parse_date("last fri", fri).unwrap(), d(2026, 11, 13));
        assert_eq!(parse_date("sat", fri).unwrap(), d(2026, 11, 21));
    }

    #[test]
    fn relative() {
        assert_eq!(pw("+3d"), When::Date(d(2026, 11, 21)));
        assert_eq!(pw("3d"), When::Date(d(2026, 11, 21)));
        assert_eq!(pw("0d"), When::Date(d(2026, 11, 18)));
        assert_eq!(pw("-2w"), When::Date(d(2026, 11, 4)));
        assert_eq!(pw("+1m"), When::Date(d(2026, 12, 18)));
        assert_eq!(pw("+2mo"), When::Date(d(2027, 1, 18)));
        assert_eq!(pw("+1y"), When::Date(d(2027, 11, 18)));
        assert_eq!(pw("-1yr"), When::Date(d(2025, 11, 18)));
        assert_eq!(pw("+3 days"), When::Date(d(2026, 11, 21)));
        assert_eq!(
            pw("+2h"),
            When::DateTime(d(2026, 11, 18).and_hms_opt(12, 20, 30).unwrap())
        );
        assert_eq!(
            pw("-30min"),
            When::DateTime(d(2026, 11, 18).and_hms_opt(9, 50, 30).unwrap())
        );
        assert_eq!(pw("in 3 days"), When::Date(d(2026, 11, 21)));
        assert_eq!(pw("in 1 week"), When::Date(d(2026, 11, 25)));
        assert_eq!(pw("in 3d"), When::Date(d(2026, 11, 21)));
        assert_eq!(pw("3 days ago"), When::Date(d(2026, 11, 15)));
        assert_eq!(pw("2 weeks ago"), When::Date(d(2026, 11, 4)));
        assert_eq!(pw("1 month ago"), When::Date(d(2026, 10, 18)));
        assert_eq!(
            pw("in 4 hours"),
            When::DateTime(d(2026, 11, 18).and_hms_opt(14, 20, 30).unwrap())
        );
        assert!(reason("in -3 days").contains("plain number"));
        assert!(reason("+3 days ago").contains("plain number"));
    }

    #[test]
    fn month_clamping() {
        let jan31 = dt(2026, 1, 31, 12, 0);
        assert_eq!(parse_date("+1m", jan31).unwrap(), d(2026, 2, 28));
        let jan31_leap = dt(2024, 1, 31, 12, 0);
        assert_eq!(parse_date("+1m", jan31_leap).unwrap(), d(2024, 2, 29));
        let feb29 = dt(2024, 2, 29, 12, 0);
        assert_eq!(parse_date("+1y", feb29).unwrap(), d(2025, 2, 28));
        assert_eq!(
            parse_date("-1m", dt(2026, 3, 31, 0, 0)).unwrap(),
            d(2026, 2, 28)
        );
    }

    #[test]
    fn relative_errors() {
        assert_eq!(
            reason("+3x"),
            "unknown unit 'x' in '+3x'; use d, w, m, y, h or min (e.g. +3d, 2w, 30min)"
        );
        assert!(reason("3").starts_with("missing unit in '3'"));
        assert!(reason("+d").starts_with("missing number in '+d'"));
        assert!(reason("+90s").starts_with("seconds are not supported"));
        assert_eq!(
            reason("+99999999999999999999d"),
            "number 99999999999999999999 is too large"
        );
        assert_eq!(reason("+9999999999d"), TOO_FAR);
        assert_eq!(reason("+9223372036854775807w"), TOO_FAR);
        assert_eq!(reason("+9223372036854775807y"), TOO_FAR);
        assert_eq!(reason("-9223372036854775807min"), TOO_FAR);
    }

    #[test]
    fn boundaries() {
        // Wednesday 2026-11-18
        assert_eq!(pd("sow"), d(2026, 11, 16));
        assert_eq!(pd("eow"), d(2026, 11, 22));
        assert_eq!(pd("sonw"), d(2026, 11, 23));
        assert_eq!(pd("eonw"), d(2026, 11, 29));
        assert_eq!(pd("som"), d(2026, 11, 1));
        assert_eq!(pd("eom"), d(2026, 11, 30));
        assert_eq!(pd("sonm"), d(2026, 12, 1));
        assert_eq!(pd("eonm"), d(2026, 12, 31));
        assert_eq!(pd("soq"), d(2026, 10, 1));
        assert_eq!(pd("eoq"), d(2026, 12, 31));
        assert_eq!(pd("soy"), d(2026, 1, 1));
        assert_eq!(pd("eoy"), d(2026, 12, 31));
        assert_eq!(pw("eom"), When::Date(d(2026, 11, 30)));

        let feb = dt(2024, 2, 10, 0, 0);
        assert_eq!(parse_date("eom", feb).unwrap(), d(2024, 2, 29));
        assert_eq!(parse_date("soq", feb).unwrap(), d(2024, 1, 1));
        assert_eq!(parse_date("eoq", feb).unwrap(), d(2024, 3, 31));
        assert_eq!(
            parse_date("eonm", dt(2026, 1, 31, 0, 0)).unwrap(),
            d(2026, 2, 28)
        );
        assert_eq!(
            parse_date("sonm", dt(2026, 12, 31, 0, 0)).unwrap(),
            d(2027, 1, 1)
        );
        // Sunday: the week is Mon 16 .. Sun 22.
        let sun = dt(2026, 11, 22, 0, 0);
        assert_eq!(parse_date("sow", sun).unwrap(), d(2026, 11, 16));
        assert_eq!(parse_date("eow", sun).unwrap(), d(2026, 11, 22));
        // Monday
        let mon = dt(2026, 11, 16, 0, 0);
        assert_eq!(parse_date("sow", mon).unwrap(), d(2026, 11, 16));
    }

    #[test]
    fn times() {
        assert_eq!(pw("tomorrow 9am"), When::DateTime(dt(2026, 11, 19, 9, 0)));
        assert_eq!(pw("tomorrow 9 am"), When::DateTime(dt(2026, 11, 19, 9, 0)));
        assert_eq!(pw("fri 14:00"), When::DateTime(dt(2026, 11, 20, 14, 0)));
        assert_eq!(pw("today 17:30"), When::DateTime(dt(2026, 11, 18, 17, 30)));
        assert_eq!(pw("+2d 9:15pm"), When::DateTime(dt(2026, 11, 20, 21, 15)));
        assert_eq!(pw("next fri 10am"), When::DateTime(dt(2026, 11, 20, 10, 0)));
        assert_eq!(
            pw("in 3 days 10:00"),
            When::DateTime(dt(2026, 11, 21, 10, 0))
        );
        assert_eq!(pw("明天 9am"), When::DateTime(dt(2026, 11, 19, 9, 0)));
        assert_eq!(pw("eom noon"), When::DateTime(dt(2026, 11, 30, 12, 0)));
        assert_eq!(pw("noon"), When::DateTime(dt(2026, 11, 18, 12, 0)));
        assert_eq!(pw("9am"), When::DateTime(dt(2026, 11, 18, 9, 0)));
        assert_eq!(pw("14:30"), When::DateTime(dt(2026, 11, 18, 14, 30)));
        assert_eq!(pw("9:05"), When::DateTime(dt(2026, 11, 18, 9, 5)));
        assert_eq!(pw("12am"), When::DateTime(dt(2026, 11, 18, 0, 0)));
        assert_eq!(pw("12pm"), When::DateTime(dt(2026, 11, 18, 12, 0)));
        assert_eq!(pw("12:30am"), When::DateTime(dt(2026, 11, 18, 0, 30)));
        assert_eq!(pw("1PM"), When::DateTime(dt(2026, 11, 18, 13, 0)));
        assert_eq!(pw("00:00"), When::DateTime(dt(2026, 11, 18, 0, 0)));
        assert_eq!(pw("23:59"), When::DateTime(dt(2026, 11, 18, 23, 59)));
    }

    #[test]
    fn time_errors() {
        assert_eq!(reason("24:00"), "hour 24 is out of range (0-23)");
        assert_eq!(reason("today 10:75"), "minute 75 is out of range (0-59)");
        assert_eq!(reason("13pm"), "hour 13 is out of range for am/pm (1-12)");
        assert_eq!(reason("0am"), "hour 0 is out of range for am/pm (1-12)");
        assert_eq!(reason("10:00:61"), "second 61 is out of range (0-59)");
        assert!(reason("9:5").contains("is not a time"));
        assert!(reason("1:2:3:4").contains("is not a time"));
        assert_eq!(reason("today 09:30+08:00"), TZ_REASON);
        // A bad date before a good time reports the date.
        assert!(reason("tomorow 9am").starts_with("unknown date word 'tomorow'"));
        assert!(reason("tomorow 25:00").starts_with("unknown date word 'tomorow'"));
    }

    #[test]
    fn unknown_and_empty() {
        assert_eq!(
            reason("tomorow"),
            "unknown date word 'tomorow'; try an ISO date (2026-11-22), today, tomorrow, a weekday, +3d, eom …"
        );
        assert!(reason("next week please").contains("must be followed by a weekday"));
        assert!(reason("foo bar").starts_with("unknown date word 'foo bar'"));
        assert_eq!(reason(""), "empty date");
        assert_eq!(reason("   "), "empty date");
        let e = parse_when(" tomorow ", now()).unwrap_err();
        assert_eq!(e.input, "tomorow");
        assert!(e
            .to_string()
            .starts_with("bad date 'tomorow': unknown date word"));
    }

    #[test]
    fn to_iso() {
        assert_eq!(When::Date(d(2026, 1, 5)).to_iso(), "2026-01-05");
        assert_eq!(
            When::DateTime(dt(2026, 1, 5, 9, 3)).to_iso(),
            "2026-01-05T09:03"
        );
        assert_eq!(
            When::DateTime(d(2026, 1, 5).and_hms_opt(9, 3, 7).unwrap()).to_iso(),
            "2026-01-05T09:03:07"
        );
        assert_eq!(pw("tomorrow 9am").to_iso(), "2026-11-19T09:00");
        assert_eq!(When::DateTime(now()).date(), d(2026, 11, 18));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("3d").unwrap(), Span::Days(3));
        assert_eq!(parse_duration("+3d").unwrap(), Span::Days(3));
        assert_eq!(parse_duration("-3d").unwrap(), Span::Days(-3));
        assert_eq!(parse_duration("2w").unwrap(), Span::Weeks(2));
        assert_eq!(parse_duration("1m").unwrap(), Span::Months(1));
        assert_eq!(parse_duration("1y").unwrap(), Span::Years(1));
        assert_eq!(parse_duration("4h").unwrap(), Span::Hours(4));
        assert_eq!(parse_duration("30min").unwrap(), Span::Minutes(30));
        assert_eq!(parse_duration(" 3 Days ").unwrap(), Span::Days(3));
        assert_eq!(parse_duration("").unwrap_err().reason, "empty duration");
        assert!(parse_duration("90s")
            .unwrap_err()
            .reason
            .starts_with("seconds are not supported"));
        assert!(parse_duration("3q")
            .unwrap_err()
            .reason
            .starts_with("unknown unit 'q'"));
        assert!(parse_duration("d")
            .unwrap_err()
            .reason
            .starts_with("missing number"));
    }

    #[test]
    fn span_arithmetic() {
        let date = When::Date(d(2026, 1, 31));
        assert_eq!(
            Span::Months(1).add_to(date).unwrap(),
            When::Date(d(2026, 2, 28))
        );
        assert_eq!(
            Span::Months(-2).add_to(date).unwrap(),
            When::Date(d(2025, 11, 30))
        );
        assert_eq!(
            Span::Years(1).add_to(date).unwrap(),
            When::Date(d(2027, 1, 31))
        );
        assert_eq!(
            Span::Weeks(-1).add_to(date).unwrap(),
            When::Date(d(2026, 1, 24))
        );
        assert_eq!(
            Span::Days(1).add_to(date).unwrap(),
            When::Date(d(2026, 2, 1))
        );
        assert_eq!(
            Span::Hours(5).add_to(date).unwrap(),
            When::DateTime(dt(2026, 1, 31, 5, 0))
        );
        assert_eq!(
            Span::Minutes(-1).add_to(date).unwrap(),
            When::DateTime(d(2026, 1, 30).and_hms_opt(23, 59, 0).unwrap())
        );
        let t = When::DateTime(dt(2026, 1, 31, 9, 0));
        assert_eq!(
            Span::Days(2).add_to(t).unwrap(),
            When::DateTime(dt(2026, 2, 2, 9, 0))
        );
        assert_eq!(
            Span::Months(1).add_to(t).unwrap(),
            When::DateTime(dt(2026, 2, 28, 9, 0))
        );
        assert_eq!(Span::Days(3).negate(), Span::Days(-3));
        assert_eq!(Span::Minutes(i64::MIN).negate(), Span::Minutes(i64::MAX));
        let e = Span::Years(i64::MAX).add_to(date).unwrap_err();
        assert_eq!(e.reason, TOO_FAR);
        assert!(Span::Days(i64::MIN).add_to(date).is_err());
        assert!(Span::Months(i64::MIN).add_to(t).is_err());
        assert!(Span::Days(1).add_to(When::Date(NaiveDate::MAX)).is_err());
    }

    #[test]
    fn edges_of_calendar_do_not_panic() {
        for now in [NaiveDateTime::MIN, NaiveDateTime::MAX] {
            for w in [
                "sow",
                "eow",
                "sonw",
                "eonw",
                "som",
                "eom",
                "sonm",
                "eonm",
                "soq",
                "eoq",
                "soy",
                "eoy",
                "fri",
                "last fri",
                "tomorrow",
                "yesterday",
                "前天",
                "后天",
                "+1y",
                "-1y",
                "+2h",
                "-2h",
                "now",
                "9am",
            ] {
                let _ = parse_when(w, now);
            }
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = parse_when(&s, now());
            let _ = parse_duration(&s);
        }

        #[test]
        fn never_panics_on_date_like(s in "[ +\\-0-9a-zT:/.Z ]{0,24}") {
            let _ = parse_when(&s, now());
            let _ = parse_duration(&s);
        }

        #[test]
        fn plus_n_days(n in 0u64..10000, days in -700_000i32..700_000) {
            let base = NaiveDate::from_num_days_from_ce_opt(days)
                .unwrap()
                .and_hms_opt(13, 0, 0)
                .unwrap();
            let expected = base.date().checked_add_days(Days::new(n)).unwrap();
            prop_assert_eq!(parse_date(&format!("+{n}d"), base).unwrap(), expected);
            prop_assert_eq!(parse_when(&format!("+{n}d"), base).unwrap(), When::Date(expected));
        }

        #[test]
        fn plus_n_days_from_real_now(n in 0u64..10000) {
            let now = chrono::Local::now().naive_local();
            let expected = now.date().checked_add_days(Days::new(n)).unwrap();
            prop_assert_eq!(parse_date(&format!("+{n}d"), now).unwrap(), expected);
        }

        #[test]
        fn iso_round_trip(days in -300_000i32..1_000_000, h in 0u32..24, m in 0u32..60, s in 0u32..60) {
            let date = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            if (1000..=9999).contains(&date.year()) {
                let w = When::Date(date);
                prop_assert_eq!(parse_when(&w.to_iso(), now()).unwrap(), w);
                let w = When::DateTime(date.and_hms_opt(h, m, s).unwrap());
                prop_assert_eq!(parse_when(&w.to_iso(), now()).unwrap(), w);
            }
        }

        #[test]
        fn any_now_never_panics(days in -100_000_000i32..100_000_000, s in "[a-z+\\-0-9 ]{0,12}") {
            if let Some(date) = NaiveDate::from_num_days_from_ce_opt(days) {
                let _ = parse_when(&s, date.and_time(NaiveTime::MIN));
            }
        }
    }
}
