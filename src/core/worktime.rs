//! Working time for SLA clocks.
//!
//! A service desk promises to answer within so many *working* hours, not
//! wall-clock hours. This module knows a desk's calendar — weekly working
//! hours in a time zone, public holidays, and the Chinese make-up working days
//! (调休: a weekend day that is worked to pay for a long holiday) — and counts
//! working seconds between two instants, or finds the instant at which a given
//! amount of working time has passed. Pauses (a ticket waiting on the customer)
//! stop the clock.
//!
//! Everything is counted in whole seconds on UTC instants; sub-second parts of
//! an instant are dropped. Local times are resolved in the calendar's zone:
//! a local time that does not exist (the hour skipped when clocks go forward)
//! moves to the first instant after the gap, and a local time that happens
//! twice (when clocks go back) means the earlier of the two.
//!
//! The clock walks the calendar a day at a time and a working interval at a
//! time, so a deadline a few working days away costs a handful of time-zone
//! look-ups and no allocation beyond one small list of merged pauses.
//!
//! Holidays and make-up days usually come from a published `.ics` calendar;
//! [`parse_ics`] reads one into [`IcsDay`]s and [`Calendar::add_ics_days`]
//! files them into a calendar.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

/// Short English names of the weekdays, Monday first, as [`Hours::spec`] writes them.
const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A pause end standing for "not ended yet".
const OPEN: i64 = i64::MAX;

/// How many days in a row without any working hours on the calendar make
/// [`Calendar::deadline`] give up: twenty years.
const MAX_IDLE_DAYS: u32 = 7305;

/// How far past its start [`Calendar::deadline`] looks at most: a hundred
/// years, which bounds the cost of absurd targets.
const MAX_SEARCH_DAYS: u64 = 36_525;

/// The last local day the clock looks at. Nothing later counts, which keeps
/// every instant the clock computes inside what `DateTime<Utc>` can hold.
fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).expect("9999-12-31 is a valid date")
}

// ---------------------------------------------------------------------------
// Weekly working hours
// ---------------------------------------------------------------------------

/// The weekly working hours of a desk.
///
/// For each weekday, Monday to Sunday, a sorted list of non-overlapping
/// `(start, end)` pairs in minutes from local midnight, with `end <= 1440`.
/// Intervals that touch are merged, so the lists are also canonical: two
/// `Hours` that work the same minutes compare equal. There is always at least
/// one working interval in the week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hours {
    days: [Vec<(u16, u16)>; 7],
    /// Index of the first weekday from Monday that has hours.
    standard: usize,
}

/// Why a working-hours spec could not be read. Each variant carries the
/// piece of the spec that is wrong, as it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoursError {
    /// The spec is empty or gives no working hours at all.
    Empty(String),
    /// A group gives hours but names no days, like `09:00-18:00`.
    MissingDays(String),
    /// A group names days but gives no hours, like `mon-fri`.
    MissingIntervals(String),
    /// A day name that is not known, like `mo` or `funday`.
    UnknownDay(String),
    /// A day range that runs backwards, like `fri-mon`; ranges do not wrap.
    BackwardsDayRange(String),
    /// A time that is not `HH:MM` between 00:00 and 24:00, like `25:00` or `9h`.
    BadTime(String),
    /// Something in the hours that is not an interval `HH:MM-HH:MM`, like `09:00`.
    MalformedInterval(String),
    /// An interval that is empty or ends before it starts, like `12:00-12:00`.
    EmptyInterval(String),
    /// Two intervals on one day overlap.
    Overlap {
        /// The day, as its short English name (`mon`).
        day: String,
        /// The earlier interval, as written.
        first: String,
        /// The interval that starts inside the earlier one, as written.
        second: String,
    },
}

impl fmt::Display for HoursError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const EXAMPLE: &str = "write it like \"mon-fri 09:00-12:00,13:30-18:00\"";
        match self {
            HoursError::Empty(spec) if spec.trim().is_empty() => {
                write!(f, "no working hours given; {EXAMPLE}")
            }
            HoursError::Empty(spec) => write!(f, "\"{spec}\" gives no working hours; {EXAMPLE}"),
            HoursError::MissingDays(group) => {
                write!(f, "\"{group}\" does not say which days; {EXAMPLE}")
            }
            HoursError::MissingIntervals(group) => {
                write!(f, "\"{group}\" gives no hours for its days; {EXAMPLE}")
            }
            HoursError::UnknownDay(name) => write!(
                f,
                "unknown day \"{name}\"; use mon, tue, wed, thu, fri, sat, sun (or 周一..周日)"
            ),
            HoursError::BackwardsDayRange(range) => write!(
                f,
                "the day range \"{range}\" runs backwards; ranges go from Monday towards Sunday \
                 and do not wrap (write \"fri-sun,mon\" instead of \"fri-mon\")"
            ),
            HoursError::BadTime(time) => write!(
                f,
                "\"{time}\" is not a time; use HH:MM from 00:00 to 24:00, like 09:30"
            ),
            HoursError::MalformedInterval(text) => write!(
                f,
                "\"{text}\" is not an interval; use start-end, like 09:00-18:00"
            ),
            HoursError::EmptyInterval(text) => write!(
                f,
                "the interval \"{text}\" is empty or ends before it starts"
            ),
            HoursError::Overlap { day, first, second } => {
                write!(f, "on {day} the intervals {first} and {second} overlap")
            }
        }
    }
}

impl std::error::Error for HoursError {}

/// True for the characters that separate groups: `;` and the full-width `；`.
fn is_group_sep(c: char) -> bool {
    c == ';' || c == '；'
}

/// True for the characters that separate list items: `,`, `，` and `、`.
fn is_list_sep(c: char) -> bool {
    c == ',' || c == '，' || c == '、'
}

/// True for the characters that join a range: `-`, dashes, tildes and `至`.
fn is_range_sep(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '~' | '～' | '至')
}

/// The weekday index (Monday = 0) of a day name, in English or Chinese.
fn day_index(name: &str) -> Option<usize> {
    let lower = name.trim().to_lowercase();
    let index = match lower.as_str() {
        "mon" | "monday" | "周一" | "星期一" => 0,
        "tue" | "tues" | "tuesday" | "周二" | "星期二" => 1,
        "wed" | "wednesday" | "周三" | "星期三" => 2,
        "thu" | "thur" | "thurs" | "thursday" | "周四" | "星期四" => 3,
        "fri" | "friday" | "周五" | "星期五" => 4,
        "sat" | "saturday" | "周六" | "星期六" => 5,
        "sun" | "sunday" | "周日" | "周天" | "星期日" | "星期天" => 6,
        _ => return None,
    };
    Some(index)
}

/// Reads the day list of one group (`mon-fri,sun`) into weekday indexes.
fn parse_days(text: &str, group: &str) -> Result<Vec<usize>, HoursError> {
    let mut days = Vec::new();
    for token in text.split(is_list_sep) {
        let token = token.trim();
        if token.is_empty() {
            continue;
        }
        if let Some((a, b)) = token.split_once(is_range_sep) {
            let unknown = || HoursError::UnknownDay(token.to_string());
            let (a, b) = (a.trim(), b.trim());
            if a.is_empty() || b.is_empty() {
                return Err(unknown());
            }
            let first = day_index(a).ok_or_else(|| HoursError::UnknownDay(a.to_string()))?;
            let last = day_index(b).ok_or_else(|| HoursError::UnknownDay(b.to_string()))?;
            if last < first {
                return Err(HoursError::BackwardsDayRange(token.to_string()));
            }
            days.extend(first..=last);
        } else {
            days.push(day_index(token).ok_or_else(|| HoursError::UnknownDay(token.to_string()))?);
        }
    }
    if days.is_empty() {
        return Err(HoursError::MissingDays(group.to_string()));
    }
    Ok(days)
}

/// Reads a time `H:MM` or `HH:MM` (00:00 to 24:00) into minutes from midnight.
fn parse_time(text: &str) -> Result<u16, HoursError> {
    let bad = || HoursError::BadTime(text.to_string());
    let (h, m) = text.split_once([':', '：']).ok_or_else(bad)?;
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 1, 2) || !digits(m, 2, 2) {
        return Err(bad());
    }
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// Reads the interval list of one group (`09:00-12:00,13:30-18:00`), keeping
/// each interval's text for error messages.
fn parse_intervals(text: &str, group: &str) -> Result<Vec<(u16, u16, String)>, HoursError> {
    let mut intervals = Vec::new();
    for token in text.split(is_list_sep) {
        let token = token.trim();
        if token.is_empty() {
            continue;
        }
        let Some((a, b)) = token.split_once(is_range_sep) else {
            // A lone valid time is a half interval; anything else is a bad time.
            return Err(match parse_time(token) {
                Ok(_) => HoursError::MalformedInterval(token.to_string()),
                Err(e) => e,
            });
        };
        if b.contains(is_range_sep) {
            return Err(HoursError::MalformedInterval(token.to_string()));
        }
        let start = parse_time(a.trim())?;
        let end = parse_time(b.trim())?;
        if end <= start {
            return Err(HoursError::EmptyInterval(token.to_string()));
        }
        intervals.push((start, end, token.to_string()));
    }
    if intervals.is_empty() {
        return Err(HoursError::MissingIntervals(group.to_string()));
    }
    Ok(intervals)
}

/// Writes minutes from midnight as `HH:MM` (1440 as `24:00`).
fn format_time(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl Hours {
    /// Reads a working-hours spec such as `"mon-fri 09:00-12:00,13:30-18:00"`.
    ///
    /// Groups are separated by `;`; each names its days (a comma list of day
    /// names or ranges such as `mon-fri`, in English or as 周一..周日 /
    /// 星期一..星期日) followed by a comma list of `HH:MM-HH:MM` intervals, where
    /// `24:00` may end an interval. A day named in several groups works all of
    /// their intervals; those must not overlap, but touching intervals
    /// (`09:00-12:00,12:00-13:00`) are allowed and merged. Spaces anywhere
    /// between the pieces are ignored.
    pub fn parse(spec: &str) -> Result<Hours, HoursError> {
        let mut raw: [Vec<(u16, u16, String)>; 7] = Default::default();
        for group in spec.split(is_group_sep) {
            let group = group.trim();
            if group.is_empty() {
                continue;
            }
            // Day names hold no ASCII digits, so the hours start at the first one.
            let split = group
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(group.len());
            let (days_text, hours_text) = group.split_at(split);
            if days_text.trim().is_empty() {
                return Err(HoursError::MissingDays(group.to_string()));
            }
            let days = parse_days(days_text, group)?;
            let intervals = parse_intervals(hours_text, group)?;
            for day in days {
                raw[day].extend(intervals.iter().cloned());
            }
        }

        let mut days: [Vec<(u16, u16)>; 7] = Default::default();
        for (index, list) in raw.iter_mut().enumerate() {
            list.sort_by_key(|&(start, end, _)| (start, end));
            // Sorted by start, an interval overlaps an earlier one exactly when
            // it starts before the latest end seen so far; without overlaps
            // the latest end is always the previous interval's.
            let mut previous: Option<&(u16, u16, String)> = None;
            let merged = &mut days[index];
            for interval in list.iter() {
                if let Some(prev) = previous {
                    if interval.0 < prev.1 {
                        return Err(HoursError::Overlap {
                            day: DAY_NAMES[index].to_string(),
                            first: prev.2.clone(),
                            second: interval.2.clone(),
                        });
                    }
                }
                match merged.last_mut() {
                    Some(last) if last.1 == interval.0 => last.1 = interval.1,
                    _ => merged.push((interval.0, interval.1)),
                }
                previous = Some(interval);
            }
        }

        let Some(standard) = days.iter().position(|d| !d.is_empty()) else {
            return Err(HoursError::Empty(spec.to_string()));
        };
        Ok(Hours { days, standard })
    }

    /// The canonical spec of these hours; [`Hours::parse`] reads it back to
    /// equal hours.
    ///
    /// Weekdays with the same intervals share a group, groups come in the
    /// order of their first weekday, three or more consecutive days are
    /// written as a range, and days without hours are left out:
    /// `"mon-fri 09:00-12:00,13:30-18:00; sat 10:00-14:00"`.
    pub fn spec(&self) -> String {
        // Each group is its weekdays; the first one's intervals are the group's.
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (index, intervals) in self.days.iter().enumerate() {
            if intervals.is_empty() {
                continue;
            }
            match groups.iter_mut().find(|g| self.days[g[0]] == *intervals) {
                Some(days) => days.push(index),
                None => groups.push(vec![index]),
            }
        }
        let mut parts = Vec::with_capacity(groups.len());
        for days in groups {
            let intervals = &self.days[days[0]];
            let mut names = Vec::new();
            let mut i = 0;
            while i < days.len() {
                let mut j = i;
                while j + 1 < days.len() && days[j + 1] == days[j] + 1 {
                    j += 1;
                }
                if j - i >= 2 {
                    names.push(format!("{}-{}", DAY_NAMES[days[i]], DAY_NAMES[days[j]]));
                } else {
                    names.extend(days[i..=j].iter().map(|&d| DAY_NAMES[d].to_string()));
                }
                i = j + 1;
            }
            let times: Vec<String> = intervals
                .iter()
                .map(|&(s, e)| format!("{}-{}", format_time(s), format_time(e)))
                .collect();
            parts.push(format!("{} {}", names.join(","), times.join(",")));
        }
        parts.join("; ")
    }

    /// The working intervals of a weekday, in minutes from local midnight.
    pub fn day(&self, wd: Weekday) -> &[(u16, u16)] {
        &self.days[wd.num_days_from_monday() as usize]
    }

    /// The hours of a standard working day: those of the first weekday from
    /// Monday that has any. A make-up working day works these hours.
    pub fn standard(&self) -> &[(u16, u16)] {
        &self.days[self.standard]
    }

    /// The length of a standard working day in minutes; this is what "one
    /// working day" means when an SLA target is given in days.
    pub fn standard_minutes(&self) -> u32 {
        self.standard().iter().map(|&(s, e)| u32::from(e - s)).sum()
    }
}

impl FromStr for Hours {
    type Err = HoursError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Hours::parse(s)
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spec())
    }
}

// ---------------------------------------------------------------------------
// Calendar and the clock
// ---------------------------------------------------------------------------

/// A stretch of time during which the SLA clock stands still, such as a
/// ticket waiting for the customer. `to: None` means the pause has not ended.
///
/// Pauses may overlap each other and may start before the clock does; the
/// clock stops during their union, so overlapping pauses are not subtracted
/// twice. A pause whose end is not after its start stops nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: DateTime<Utc>,
    pub to: Option<DateTime<Utc>>,
}

impl Pause {
    /// A pause that has ended.
    pub fn closed(from: DateTime<Utc>, to: DateTime<Utc>) -> Pause {
        Pause { from, to: Some(to) }
    }

    /// A pause that is still going on.
    pub fn open(from: DateTime<Utc>) -> Pause {
        Pause { from, to: None }
    }
}

/// A working calendar: weekly hours in a time zone, plus dated exceptions.
///
/// A date in `workdays` (a make-up working day) works the standard hours
/// ([`Hours::standard`]) whatever its weekday; otherwise a date in `holidays`
/// works nothing; otherwise the date works its weekday's hours. Dates are
/// local dates in `tz`.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    pub tz: Tz,
    pub hours: Hours,
    pub holidays: BTreeSet<NaiveDate>,
    pub workdays: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// A calendar with the given hours and no holidays or make-up days.
    pub fn new(tz: Tz, hours: Hours) -> Calendar {
        Calendar {
            tz,
            hours,
            holidays: BTreeSet::new(),
            workdays: BTreeSet::new(),
        }
    }

    /// Files days read from an `.ics` calendar: make-up working days into
    /// `workdays`, the rest into `holidays`.
    pub fn add_ics_days(&mut self, days: &[IcsDay]) {
        for day in days {
            if day.workday {
                self.workdays.insert(day.date);
            } else {
                self.holidays.insert(day.date);
            }
        }
    }

    /// The working intervals of a local date, in minutes from its midnight.
    fn slots(&self, day: NaiveDate) -> &[(u16, u16)] {
        if self.workdays.contains(&day) {
            self.hours.standard()
        } else if self.holidays.contains(&day) {
            &[]
        } else {
            self.hours.day(day.weekday())
        }
    }

    /// Whether any time is worked on a local date.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !self.slots(day).is_empty()
    }

    /// The working intervals of a local date as UTC instants, in order.
    /// Intervals that vanish in a daylight-saving gap are left out.
    pub fn day_intervals(&self, day: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        self.slots(day)
            .iter()
            .filter_map(|&(s, e)| {
                let (s, e) = (self.local_instant(day, s), self.local_instant(day, e));
                if s < e {
                    Some((
                        DateTime::from_timestamp(s, 0)?,
                        DateTime::from_timestamp(e, 0)?,
                    ))
                } else {
                    None
                }
            })
            .collect()
    }

    /// The UTC timestamp of `minute` minutes after the local midnight of
    /// `day` (1440 is the next midnight). A time skipped by a clock change
    /// becomes the instant the clocks jumped; a repeated time its first
    /// occurrence. This mapping never runs backwards, which the clock relies on.
    fn local_instant(&self, day: NaiveDate, minute: u16) -> i64 {
        let Some(local) = day
            .and_time(NaiveTime::MIN)
            .checked_add_signed(Duration::minutes(i64::from(minute)))
        else {
            return i64::MAX; // past the end of time: never reached
        };
        match self.tz.from_local_datetime(&local) {
            LocalResult::Single(t) => t.timestamp(),
            LocalResult::Ambiguous(a, b) => a.timestamp().min(b.timestamp()),
            LocalResult::None => self.gap_end(local),
        }
    }

    /// The instant at which the clocks jumped over the nonexistent local time
    /// `local`: the first instant after the gap.
    fn gap_end(&self, local: NaiveDateTime) -> i64 {
        if let Some(end) = chrono_tz::GapInfo::new(&local, &self.tz).and_then(|gap| gap.end) {
            return end.timestamp();
        }
        // The time zone data gives no end (never seen in practice): read the
        // local time with the offset in force a day earlier, which lands
        // after the jump.
        let naive = local.and_utc().timestamp();
        let before = DateTime::from_timestamp(naive - 86_400, 0).map_or(0, |t| {
            self.tz
                .offset_from_utc_datetime(&t.naive_utc())
                .fix()
                .local_minus_utc()
        });
        naive - i64::from(before)
    }

    /// The local date of a UTC timestamp.
    /// Instants beyond what chrono can hold give its first or last date.
    fn local_date(&self, ts: i64) -> NaiveDate {
        let beyond = if ts < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        };
        let Some(utc) = DateTime::from_timestamp(ts, 0) else {
            return beyond;
        };
        let offset = self.tz.offset_from_utc_datetime(&utc.naive_utc()).fix();
        utc.naive_utc()
            .checked_add_offset(offset)
            .map_or(beyond, |local| local.date())
    }

    /// Working seconds in `[from, to)` that are not inside any pause; 0 when
    /// `to` is not after `from`.
    pub fn worked(&self, from: DateTime<Utc>, to: DateTime<Utc>, pauses: &[Pause]) -> i64 {
        if to <= from {
            return 0;
        }
        Walk::new(self, from.timestamp(), Some(to.timestamp()), pauses)
            .map(|(a, b)| b - a)
            .sum()
    }

    /// The earliest instant `t >= from` at which `worked(from, t, pauses)`
    /// reaches `target_secs`; `from` itself for a target of zero or less.
    ///
    /// `None` when the target is never reached: a pause with no end starts
    /// before it is, or the calendar has no working hours for twenty years in
    /// a row. Also `None` for a deadline more than a hundred years after
    /// `from` or after the year 9999, which no SLA has.
    pub fn deadline(
        &self,
        from: DateTime<Utc>,
        target_secs: i64,
        pauses: &[Pause],
    ) -> Option<DateTime<Utc>> {
        if target_secs <= 0 {
            return Some(from);
        }
        let mut remaining = target_secs;
        for (a, b) in Walk::new(self, from.timestamp(), None, pauses) {
            if remaining <= b - a {
                return DateTime::from_timestamp(a + remaining, 0);
            }
            remaining -= b - a;
        }
        None
    }

    /// The deadline of `share_permille` thousandths of the target, rounded up
    /// to a whole second: the moment a ticket becomes "at risk" (say at 800‰).
    pub fn at_share(
        &self,
        from: DateTime<Utc>,
        target_secs: i64,
        share_permille: u32,
        pauses: &[Pause],
    ) -> Option<DateTime<Utc>> {
        let product = i128::from(target_secs) * i128::from(share_permille);
        let share = product.div_euclid(1000) + i128::from(product.rem_euclid(1000) != 0);
        let share = share.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
        self.deadline(from, share, pauses)
    }
}

/// Sorts pauses and merges the overlapping and touching ones, as
/// `(start, end)` timestamps with [`OPEN`] for an unended pause. Pauses that
/// end after the last day the clock looks at are as good as unended.
fn merge_pauses(pauses: &[Pause]) -> Vec<(i64, i64)> {
    let horizon = last_day().succ_opt().map_or(i64::MAX, |d| {
        d.and_time(NaiveTime::MIN).and_utc().timestamp() + 86_400
    });
    let mut spans: Vec<(i64, i64)> = pauses
        .iter()
        .map(|p| {
            let end = p.to.map_or(OPEN, |t| t.timestamp());
            (p.from.timestamp(), if end > horizon { OPEN } else { end })
        })
        .filter(|&(s, e)| s < e)
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// Walks a calendar forward from an instant and yields the counted working
/// time as `(start, end)` timestamp segments: working intervals, clipped to
/// the walk's bounds, with the pauses cut out. Segments come in order and do
/// not overlap, so [`Calendar::worked`] sums them and [`Calendar::deadline`]
/// consumes them until its target is met; the two always agree.
///
/// The walk goes a local day at a time. Inside a closed pause it jumps
/// straight to the day the pause ends; it stops for good at an unended pause.
struct Walk<'a> {
    cal: &'a Calendar,
    /// Counting starts here.
    from: i64,
    /// Counting stops here (exclusive); `i64::MAX` for an open-ended walk.
    until: i64,
    /// No local day after this one is looked at.
    last_day: NaiveDate,
    /// Whether the walk gives up after [`MAX_IDLE_DAYS`] days without hours.
    open_ended: bool,
    pauses: Vec<(i64, i64)>,
    /// Index of the first pause that may still matter.
    next_pause: usize,
    day: NaiveDate,
    slots: &'a [(u16, u16)],
    next_slot: usize,
    /// The UTC instant of the current day's local midnight when the day is
    /// exactly 24 hours long, so that its intervals are plain offsets from
    /// it; `None` on the day of a clock change.
    midnight: Option<i64>,
    /// A day and the UTC instant of its local midnight, kept from the
    /// previous day's end so that each day costs one time-zone look-up.
    known_midnight: Option<(NaiveDate, i64)>,
    /// The uncounted rest of the current working interval.
    pending: Option<(i64, i64)>,
    /// All working time before this instant has been dealt with.
    cursor: i64,
    /// Days in a row, up to now, on which the calendar works nothing.
    idle_days: u32,
    done: bool,
}

impl<'a> Walk<'a> {
    fn new(cal: &'a Calendar, from: i64, until: Option<i64>, pauses: &[Pause]) -> Walk<'a> {
        let day = cal.local_date(from);
        let last_day = match until {
            Some(u) => cal.local_date(u),
            None => day
                .checked_add_days(chrono::Days::new(MAX_SEARCH_DAYS))
                .unwrap_or(NaiveDate::MAX),
        }
        .min(last_day());
        let mut walk = Walk {
            cal,
            from,
            until: until.unwrap_or(i64::MAX),
            last_day,
            open_ended: until.is_none(),
            pauses: merge_pauses(pauses),
            next_pause: 0,
            day,
            slots: &[],
            next_slot: 0,
            midnight: None,
            known_midnight: None,
            pending: None,
            cursor: from,
            idle_days: 0,
            done: day > last_day,
        };
        if !walk.done {
            walk.enter_day(day);
        }
        walk
    }

    /// Makes `day` the current day and looks up its working intervals.
    fn enter_day(&mut self, day: NaiveDate) {
        self.day = day;
        self.slots = self.cal.slots(day);
        self.next_slot = 0;
        self.midnight = None;
        if self.slots.is_empty() {
            return;
        }
        let start = match self.known_midnight {
            Some((known, instant)) if known == day => instant,
            _ => self.cal.local_instant(day, 0),
        };
        let end = self.cal.local_instant(day, 1440);
        if let Some(next) = day.succ_opt() {
            self.known_midnight = Some((next, end));
        }
        // A clock change always makes its day shorter or longer than 24 h
        // (no zone changes its clocks twice in a day), so a 24-hour day has
        // one offset throughout.
        if end - start == 86_400 {
            self.midnight = Some(start);
        }
    }

    /// The UTC instant of `minute` minutes into the current local day.
    fn instant(&self, minute: u16) -> i64 {
        match self.midnight {
            Some(midnight) => midnight + 60 * i64::from(minute),
            None => self.cal.local_instant(self.day, minute),
        }
    }

    /// Moves to the next local day worth looking at; false when the walk is over.
    fn advance_day(&mut self) -> bool {
        let Some(mut next) = self.day.succ_opt() else {
            return false;
        };
        while self.next_pause < self.pauses.len() && self.pauses[self.next_pause].1 <= self.cursor {
            self.next_pause += 1;
        }
        if let Some(&(start, end)) = self.pauses.get(self.next_pause) {
            if start <= self.cursor {
                // Everything from the cursor to the pause's end is paused.
                if end == OPEN {
                    return false;
                }
                // The days before the pause's local end date work only
                // inside the pause (local times map to instants in order).
                next = next.max(self.cal.local_date(end));
            }
        }
        if next > self.last_day {
            return false;
        }
        self.enter_day(next);
        if self.slots.is_empty() {
            self.idle_days += 1;
            if self.open_ended && self.idle_days > MAX_IDLE_DAYS {
                return false;
            }
        } else {
            self.idle_days = 0;
        }
        true
    }
}

impl Iterator for Walk<'_> {
    type Item = (i64, i64);

    fn next(&mut self) -> Option<(i64, i64)> {
        while !self.done {
            if let Some((a, b)) = self.pending.take() {
                if a >= self.until {
                    break;
                }
                while self.next_pause < self.pauses.len() && self.pauses[self.next_pause].1 <= a {
                    self.next_pause += 1;
                }
                let mut end = b.min(self.until);
                if let Some(&(start, stop)) = self.pauses.get(self.next_pause) {
                    if start <= a {
                        // `a` is paused: resume at the pause's end, if ever.
                        if stop == OPEN {
                            break;
                        }
                        if stop < b {
                            self.pending = Some((stop, b));
                        }
                        continue;
                    }
                    end = end.min(start);
                }
                if end < b {
                    self.pending = Some((end, b));
                }
                return Some((a, end));
            }
            if let Some(&(s, e)) = self.slots.get(self.next_slot) {
                self.next_slot += 1;
                let start = self.instant(s).max(self.from);
                let end = self.instant(e);
                if start < end {
                    self.pending = Some((start, end));
                    self.cursor = self.cursor.max(end);
                }
                continue;
            }
            if !self.advance_day() {
                break;
            }
        }
        self.done = true;
        None
    }
}

// ---------------------------------------------------------------------------
// Holiday calendars (.ics)
// ---------------------------------------------------------------------------

/// One date read from a holiday calendar: a public holiday, or a make-up
/// working day when `workday` is true. `name` is the event's summary with the
/// holiday and make-up markers trimmed ("国庆节 补班" → "国庆节").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsDay {
    pub date: NaiveDate,
    pub name: String,
    pub workday: bool,
}

/// Why a holiday calendar could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IcsError {
    /// The text has no `BEGIN:VCALENDAR`; carries the start of the text.
    NotCalendar(String),
    /// The iCalendar parser rejected the text; carries its message.
    Syntax(String),
    /// An event has no readable start date; names the event (its summary, or
    /// the line it begins on) and carries the DTSTART value, if any.
    BadStart { event: String, text: String },
    /// An event's DTEND or DURATION cannot be read.
    BadEnd { event: String, text: String },
    /// An event ends before it starts.
    EndBeforeStart {
        event: String,
        start: String,
        end: String,
    },
    /// An event spans more than a year, which no holiday does; carries the
    /// number of days it would cover.
    TooLong { event: String, days: i64 },
}

impl fmt::Display for IcsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IcsError::NotCalendar(start) if start.is_empty() => {
                write!(f, "not a calendar: the file is empty")
            }
            IcsError::NotCalendar(start) => write!(
                f,
                "not a calendar: no BEGIN:VCALENDAR line (the text starts with \"{start}\")"
            ),
            IcsError::Syntax(message) => write!(f, "the calendar cannot be read: {message}"),
            IcsError::BadStart { event, text } if text.is_empty() => {
                write!(f, "the event {event} has no start date (DTSTART)")
            }
            IcsError::BadStart { event, text } => write!(
                f,
                "the event {event} has a start \"{text}\" that is not a date"
            ),
            IcsError::BadEnd { event, text } => write!(
                f,
                "the event {event} has an end or duration \"{text}\" that cannot be read"
            ),
            IcsError::EndBeforeStart { event, start, end } => write!(
                f,
                "the event {event} ends ({end}) before it starts ({start})"
            ),
            IcsError::TooLong { event, days } => write!(
                f,
                "the event {event} covers {days} days, more than a year; it is not a holiday"
            ),
        }
    }
}

impl std::error::Error for IcsError {}

/// A property of an iCalendar component, by case-insensitive name.
fn ics_prop<'c>(
    component: &'c icalendar::parser::Component<'_>,
    name: &str,
) -> Option<&'c icalendar::parser::Property<'c>> {
    component
        .properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

/// A property parameter's value, by case-insensitive name.
fn ics_param<'p>(prop: &'p icalendar::parser::Property<'_>, name: &str) -> Option<&'p str> {
    prop.params
        .iter()
        .find(|p| p.key.as_str().eq_ignore_ascii_case(name))
        .and_then(|p| p.val.as_ref())
        .map(|v| v.as_str())
}

/// Reads a DATE or DATE-TIME value into a local date-time (midnight for a
/// date). A UTC value (`...Z`) is moved into `zone`, the calendar's own zone,
/// when it has one, since an all-day event published in UTC still means a
/// local date.
fn ics_datetime(value: &str, zone: Option<Tz>) -> Option<NaiveDateTime> {
    let value = value.trim();
    let (body, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(body) => (body, true),
        None => (value, false),
    };
    if let Some(date) = ["%Y%m%d", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(body, f).ok())
    {
        return Some(date.and_time(NaiveTime::MIN));
    }
    let local = [
        "%Y%m%dT%H%M%S",
        "%Y%m%dT%H%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(body, f).ok())?;
    match (utc, zone) {
        (true, Some(tz)) => Some(tz.from_utc_datetime(&local).naive_local()),
        _ => Some(local),
    }
}

/// Reads an iCalendar DURATION (`P1D`, `P1W`, `PT24H`, `-P1D`) into seconds.
fn ics_duration(value: &str) -> Option<i64> {
    let value = value.trim();
    let (sign, rest) = match value.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, value.strip_prefix('+').unwrap_or(value)),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let (mut total, mut number, mut in_time, mut any) = (0i64, None::<i64>, false, false);
    for c in rest.chars() {
        if let Some(d) = c.to_digit(10) {
            number = Some(
                number
                    .unwrap_or(0)
                    .checked_mul(10)?
                    .checked_add(i64::from(d))?,
            );
            continue;
        }
        let unit = match (c.to_ascii_uppercase(), in_time) {
            ('T', false) if number.is_none() => {
                in_time = true;
                continue;
            }
            ('W', false) => 7 * 86_400,
            ('D', false) => 86_400,
            ('H', true) => 3_600,
            ('M', true) => 60,
            ('S', true) => 1,
            _ => return None,
        };
        total = total.checked_add(number.take()?.checked_mul(unit)?)?;
        any = true;
    }
    (any && number.is_none()).then_some(sign * total)
}

/// Whether a summary or category says "make-up working day".
fn says_workday(text: &str) -> bool {
    const MARKERS: [&str; 6] = ["补班", "上班", "（班）", "(班)", "【班】", "[班]"];
    const ENGLISH: [&str; 6] = [
        "workday",
        "working day",
        "work day",
        "make-up",
        "makeup",
        "make up",
    ];
    let lower = text.to_lowercase();
    MARKERS.iter().any(|m| text.contains(m))
        || text.trim_end().ends_with('班')
        || ENGLISH.iter().any(|m| lower.contains(m))
}

/// Whether a summary or category says "day off".
fn says_holiday(text: &str) -> bool {
    const ENGLISH: [&str; 4] = ["holiday", "day off", "off day", "vacation"];
    let lower = text.to_lowercase();
    text.contains('休') || text.contains('假') || ENGLISH.iter().any(|m| lower.contains(m))
}

/// Whether an event is a make-up working day rather than a holiday.
///
/// The most specific source decides: Apple's `X-APPLE-SPECIAL-DAY`, then the
/// summary, then the categories, then the description. Descriptions of
/// holidays often mention the make-up days ("10月1日至7日放假调休……10月10日
/// 上班"), so in a description a day-off word beats a working word, and 调休
/// alone (which also appears in 调休上班) counts as neither. With no marker
/// anywhere the event is a holiday.
fn is_workday_event(event: &icalendar::parser::Component<'_>) -> bool {
    let text = |name: &str| ics_prop(event, name).map(|p| p.val.as_str().to_string());
    if let Some(special) = text("X-APPLE-SPECIAL-DAY") {
        let special = special.to_ascii_uppercase();
        if special.contains("WORKDAY") {
            return true;
        }
        if special.contains("HOLIDAY") {
            return false;
        }
    }
    for source in [text("SUMMARY"), text("CATEGORIES")].into_iter().flatten() {
        if says_workday(&source) {
            return true;
        }
        if says_holiday(&source) {
            return false;
        }
    }
    if let Some(description) = text("DESCRIPTION") {
        const DAY_OFF: [&str; 6] = ["放假", "假期", "休息", "休假", "holiday", "day off"];
        let lower = description.to_lowercase();
        if DAY_OFF.iter().any(|m| lower.contains(m)) {
            return false;
        }
        return says_workday(&description);
    }
    false
}

/// Whether a word is a day counter like `第1天/共7天` or `第3天`.
fn is_day_counter(word: &str) -> bool {
    let counter = |s: &str, prefix: char| -> Option<usize> {
        let rest = s.strip_prefix(prefix)?;
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let rest = &rest[digits..];
        (digits > 0 && rest.starts_with('天')).then_some(s.len() - rest.len() + '天'.len_utf8())
    };
    let Some(used) = counter(word, '第') else {
        return false;
    };
    let rest = &word[used..];
    rest.is_empty()
        || rest
            .strip_prefix(['/', '／'])
            .and_then(|r| counter(r, '共').map(|n| n == r.len()))
            .unwrap_or(false)
}

/// Replaces every ASCII-case-insensitive occurrence of `needle` with a space.
fn remove_ignoring_case(text: &str, needle: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in lower.match_indices(needle) {
        out.push_str(&text[last..at]);
        out.push(' ');
        last = at + needle.len();
    }
    out.push_str(&text[last..]);
    out
}

/// Removes bracket pairs that hold nothing but spaces, such as the "( )"
/// left behind once a marker in brackets has been taken out.
fn drop_empty_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((at, open)) = rest.char_indices().find(|(_, c)| "(（[【".contains(*c)) {
        let close = match open {
            '(' => ')',
            '（' => '）',
            '[' => ']',
            _ => '】',
        };
        let after = &rest[at + open.len_utf8()..];
        let inner = after.len() - after.trim_start().len();
        out.push_str(&rest[..at]);
        if after[inner..].starts_with(close) {
            out.push(' ');
            rest = &after[inner + close.len_utf8()..];
        } else {
            out.push(open);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The holiday's name: the summary without holiday or make-up markers and
/// day counters ("国庆节 补班" → "国庆节", "春节 假期 第1天/共9天" → "春节",
/// "国庆节（班）" → "国庆节"). When nothing would be left, the summary itself.
fn holiday_name(summary: &str) -> String {
    const MARKERS: [&str; 21] = [
        "（调休上班）",
        "(调休上班)",
        "（补班）",
        "(补班)",
        "（班）",
        "(班)",
        "【班】",
        "[班]",
        "（休）",
        "(休)",
        "【休】",
        "[休]",
        "调休上班",
        "放假调休",
        "补班",
        "上班",
        "放假",
        "假期",
        "休假",
        "休息",
        "调休",
    ];
    const ENGLISH: [&str; 7] = [
        "make-up working day",
        "make-up workday",
        "make-up day",
        "working day",
        "workday",
        "make-up",
        "makeup",
    ];
    let mut name = summary.to_string();
    for marker in MARKERS {
        name = name.replace(marker, " ");
    }
    for marker in ENGLISH {
        name = remove_ignoring_case(&name, marker);
    }
    let name = drop_empty_brackets(&name);
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| !is_day_counter(w) && *w != "班" && *w != "休")
        .collect();
    let trim = |c: char| c.is_whitespace() || " -–—:：,，、·/|".contains(c);
    let mut name = words.join(" ").trim_matches(trim).to_string();
    // A lone marker glued to the end: "国庆节班", "国庆节休".
    if name.chars().count() > 1 && (name.ends_with('班') || name.ends_with('休')) {
        name.pop();
        name = name.trim_matches(trim).to_string();
    }
    if name.is_empty() {
        summary.trim().to_string()
    } else {
        name
    }
}

/// Reads a published holiday calendar (.ics) into one [`IcsDay`] per date.
///
/// Each VEVENT is an all-day event (`DTSTART;VALUE=DATE:20261001`) that
/// covers its start date up to its exclusive DTEND, or the length of its
/// DURATION, or just its start date when it has neither. Start and end may
/// also be date-times (some calendars give make-up days office hours); a
/// date-time end covers its own date unless it is exactly midnight. Events
/// marked `STATUS:CANCELLED` are skipped. See [`is_workday_event`] for how a
/// make-up working day is told from a holiday. The days come back sorted by
/// date, with repeats of the same date and kind dropped; recurring events
/// (RRULE) are read as their first occurrence only.
///
/// Tolerates a byte-order mark, CRLF or LF line ends, folded lines, blank
/// lines, and text around the calendar.
pub fn parse_ics(text: &str) -> Result<Vec<IcsDay>, IcsError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let unfolded = icalendar::parser::unfold(text);
    let mut lines = Vec::new();
    let mut started = false;
    for line in unfolded.lines() {
        let line = line.trim();
        if !started {
            started = line.eq_ignore_ascii_case("BEGIN:VCALENDAR");
            if !started {
                continue;
            }
        }
        if line.is_empty() {
            continue;
        }
        lines.push(line);
        if line.eq_ignore_ascii_case("END:VCALENDAR") {
            break;
        }
    }
    if !started {
        let start: String = text.trim_start().chars().take(40).collect();
        let start = start.lines().next().unwrap_or_default().to_string();
        return Err(IcsError::NotCalendar(start));
    }
    let clean = lines.join("\n") + "\n";
    let calendar = icalendar::parser::read_calendar(&clean)
        .map_err(|e| IcsError::Syntax(e.trim().trim_start_matches("error: ").to_string()))?;

    let zone = calendar
        .properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case("X-WR-TIMEZONE"))
        .and_then(|p| p.val.as_str().trim().parse::<Tz>().ok());
    // Lines of the original text where events begin, to name an event that
    // has no summary in an error.
    let event_lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim().eq_ignore_ascii_case("BEGIN:VEVENT"))
        .map(|(i, _)| i + 1)
        .collect();

    let mut days = Vec::new();
    let events = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT"));
    for (index, event) in events.enumerate() {
        let summary = ics_prop(event, "SUMMARY")
            .map(|p| p.val.as_str().trim().to_string())
            .unwrap_or_default();
        let label = if !summary.is_empty() {
            format!("\"{summary}\"")
        } else if let Some(line) = event_lines.get(index) {
            format!("beginning on line {line}")
        } else {
            format!("number {}", index + 1)
        };
        if ics_prop(event, "STATUS")
            .is_some_and(|p| p.val.as_str().trim().eq_ignore_ascii_case("CANCELLED"))
        {
            continue;
        }
        let zone_of = |p: &icalendar::parser::Property<'_>| {
            ics_param(p, "TZID")
                .and_then(|z| z.parse::<Tz>().ok())
                .or(zone)
        };

        let start_prop = ics_prop(event, "DTSTART");
        let start = start_prop
            .and_then(|p| ics_datetime(p.val.as_str(), zone_of(p)))
            .ok_or_else(|| IcsError::BadStart {
                event: label.clone(),
                text: start_prop
                    .map(|p| p.val.as_str().to_string())
                    .unwrap_or_default(),
            })?;
        let end = if let Some(p) = ics_prop(event, "DTEND") {
            let end = ics_datetime(p.val.as_str(), zone_of(p)).ok_or_else(|| IcsError::BadEnd {
                event: label.clone(),
                text: p.val.as_str().to_string(),
            })?;
            Some((end, p.val.as_str()))
        } else if let Some(p) = ics_prop(event, "DURATION") {
            let bad = || IcsError::BadEnd {
                event: label.clone(),
                text: p.val.as_str().to_string(),
            };
            let secs = ics_duration(p.val.as_str()).ok_or_else(bad)?;
            let end = start
                .checked_add_signed(Duration::seconds(secs))
                .ok_or_else(bad)?;
            Some((end, p.val.as_str()))
        } else {
            None
        };

        let first = start.date();
        let last = match end {
            None => first,
            Some((end, end_text)) => {
                if end < start {
                    return Err(IcsError::EndBeforeStart {
                        event: label,
                        start: start_prop.map(|p| p.val.as_str()).unwrap_or("").to_string(),
                        end: end_text.to_string(),
                    });
                }
                // The end is exclusive: an end at midnight covers the day before.
                let last = if end.time() == NaiveTime::MIN {
                    end.date().pred_opt().unwrap_or(first)
                } else {
                    end.date()
                };
                last.max(first)
            }
        };
        let count = (last - first).num_days() + 1;
        if count > 366 {
            return Err(IcsError::TooLong {
                event: label,
                days: count,
            });
        }
        let workday = is_workday_event(event);
        let name = holiday_name(&summary);
        days.extend(first.iter_days().take(count as usize).map(|date| IcsDay {
            date,
            name: name.clone(),
            workday,
        }));
    }
    days.sort_by_key(|d| d.date);
    days.dedup_by(|a, b| a.date == b.date && a.workday == b.workday);
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;
    use chrono_tz::Asia::Shanghai;
    use chrono_tz::Australia::Lord_Howe;
    use chrono_tz::Europe::Berlin;
    use proptest::prelude::*;

    const MIN: i64 = 60;
    const HOUR: i64 = 3_600;
    /// One working day of the office calendar: 09:00-12:00 (3 h) plus
    /// 13:30-18:00 (4.5 h) = 7.5 h = 27,000 s.
    const DAY: i64 = 27_000;

    /// A local wall-clock time in `tz` as a UTC instant (the time must be unambiguous).
    fn at(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("an unambiguous local time")
            .with_timezone(&Utc)
    }

    /// A Shanghai wall-clock time in 2026.
    fn sh(mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        at(Shanghai, 2026, mo, d, h, mi)
    }

    /// A UTC instant, for expectations worked out in UTC.
    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn secs(n: i64) -> Duration {
        Duration::seconds(n)
    }

    /// The calendar of most tests: Shanghai office hours, Monday to Friday.
    fn office() -> Calendar {
        Calendar::new(
            Shanghai,
            Hours::parse("mon-fri 09:00-12:00,13:30-18:00").unwrap(),
        )
    }

    /// The office calendar with the 2026 National Day holiday: Thursday
    /// 10-01 to Wednesday 10-07 off, Sunday 09-20 and Saturday 10-10 worked
    /// (the dates the State Council published for 2026).
    fn national_day() -> Calendar {
        let mut cal = office();
        cal.holidays.extend(date(2026, 10, 1).iter_days().take(7));
        cal.workdays.insert(date(2026, 9, 20));
        cal.workdays.insert(date(2026, 10, 10));
        cal
    }

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/data/holidays/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
    }

    // --- Hours -------------------------------------------------------------

    #[test]
    fn hours_parse_the_office_spec() {
        let h = Hours::parse("mon-fri 09:00-12:00,13:30-18:00").unwrap();
        // 09:00 = 540, 12:00 = 720, 13:30 = 810, 18:00 = 1080 minutes.
        for wd in [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ] {
            assert_eq!(h.day(wd), &[(540, 720), (810, 1080)]);
        }
        assert!(h.day(Weekday::Sat).is_empty());
        assert!(h.day(Weekday::Sun).is_empty());
        assert_eq!(h.standard(), &[(540, 720), (810, 1080)]);
        // 180 + 270 = 450 minutes.
        assert_eq!(h.standard_minutes(), 450);
        assert_eq!(h.spec(), "mon-fri 09:00-12:00,13:30-18:00");
        assert_eq!(h.to_string(), h.spec());
        assert_eq!(
            "mon-fri 09:00-12:00,13:30-18:00".parse::<Hours>().unwrap(),
            h
        );
    }

    #[test]
    fn hours_spec_is_canonical_and_round_trips() {
        let cases = [
            // (written, canonical)
            (
                "Mon-Fri 9:00-18:00; SAT 10:00-14:00",
                "mon-fri 09:00-18:00; sat 10:00-14:00",
            ),
            (
                "  mon - fri   09:00 - 12:00 , 13:30-18:00 ; ",
                "mon-fri 09:00-12:00,13:30-18:00",
            ),
            (
                "mon,wed,fri 08:00-12:00; tue,thu 13:00-17:00",
                "mon,wed,fri 08:00-12:00; tue,thu 13:00-17:00",
            ),
            ("mon-fri,sun 09:00-17:00", "mon-fri,sun 09:00-17:00"),
            ("sat,sun 10:00-24:00", "sat,sun 10:00-24:00"),
            ("mon-sun 00:00-24:00", "mon-sun 00:00-24:00"),
            // Monday named twice gets both groups' hours.
            (
                "mon-fri 09:00-12:00; mon 13:00-15:00",
                "mon 09:00-12:00,13:00-15:00; tue-fri 09:00-12:00",
            ),
            // Touching intervals merge, also across groups.
            ("mon 09:00-12:00,12:00-13:00", "mon 09:00-13:00"),
            ("tue 12:00-13:00; tue 09:00-12:00", "tue 09:00-13:00"),
            // Chinese day names and separators.
            ("周一至周五 09:00～18:00", "mon-fri 09:00-18:00"),
            (
                "星期一-星期五 09:00-12:00，13:00-18:00；星期六 10:00-12:00",
                "mon-fri 09:00-12:00,13:00-18:00; sat 10:00-12:00",
            ),
            ("周日、周六 10:00-12:00", "sat,sun 10:00-12:00"),
            ("monday-friday 09:00-17:00", "mon-fri 09:00-17:00"),
        ];
        for (written, canonical) in cases {
            let h = Hours::parse(written).unwrap_or_else(|e| panic!("{written}: {e}"));
            assert_eq!(h.spec(), canonical, "spec of {written:?}");
            assert_eq!(
                Hours::parse(&h.spec()).unwrap(),
                h,
                "round trip of {written:?}"
            );
        }
    }

    #[test]
    fn hours_standard_day_is_the_first_weekday_with_hours() {
        let h = Hours::parse("tue-sat 10:00-19:00; sun 12:00-16:00").unwrap();
        // Monday works nothing, so Tuesday's 10:00-19:00 (600-1140) is standard: 540 minutes.
        assert_eq!(h.standard(), &[(600, 1140)]);
        assert_eq!(h.standard_minutes(), 540);
        let h = Hours::parse("sun 12:00-16:00").unwrap();
        assert_eq!(h.standard(), &[(720, 960)]);
        assert_eq!(h.standard_minutes(), 240);
    }

    #[test]
    fn hours_parse_errors() {
        use HoursError::*;
        let cases: Vec<(&str, HoursError)> = vec![
            ("", Empty(String::new())),
            ("  ;  ; ", Empty("  ;  ; ".into())),
            ("mon-fri", MissingIntervals("mon-fri".into())),
            ("mon-fri ,", MissingIntervals("mon-fri ,".into())),
            ("09:00-18:00", MissingDays("09:00-18:00".into())),
            ("mo 09:00-18:00", UnknownDay("mo".into())),
            ("mon-funday 09:00-18:00", UnknownDay("funday".into())),
            ("mon wed 09:00-18:00", UnknownDay("mon wed".into())),
            ("fri-mon 09:00-12:00", BackwardsDayRange("fri-mon".into())),
            ("mon 25:00-26:00", BadTime("25:00".into())),
            ("mon 9h-18h", BadTime("9h".into())),
            ("mon 9h", BadTime("9h".into())),
            ("mon 12:60-13:00", BadTime("12:60".into())),
            ("mon 09:00-24:30", BadTime("24:30".into())),
            ("mon 0900-1200", BadTime("0900".into())),
            ("mon 09:00", MalformedInterval("09:00".into())),
            (
                "mon 09:00-12:00-13:00",
                MalformedInterval("09:00-12:00-13:00".into()),
            ),
            ("mon 12:00-12:00", EmptyInterval("12:00-12:00".into())),
            ("mon 18:00-09:00", EmptyInterval("18:00-09:00".into())),
            ("mon 24:00-24:00", EmptyInterval("24:00-24:00".into())),
            (
                "mon 09:00-12:00,11:00-13:00",
                Overlap {
                    day: "mon".into(),
                    first: "09:00-12:00".into(),
                    second: "11:00-13:00".into(),
                },
            ),
            (
                "mon-fri 09:00-12:00; wed 11:00-14:00",
                Overlap {
                    day: "wed".into(),
                    first: "09:00-12:00".into(),
                    second: "11:00-14:00".into(),
                },
            ),
            // A long interval swallowing a later one is caught even after a
            // short one in between: sorted, 08:00-18:00 comes first.
            (
                "thu 10:00-11:00,08:00-18:00",
                Overlap {
                    day: "thu".into(),
                    first: "08:00-18:00".into(),
                    second: "10:00-11:00".into(),
                },
            ),
            // The same interval twice overlaps itself.
            (
                "fri 09:00-10:00; fri 09:00-10:00",
                Overlap {
                    day: "fri".into(),
                    first: "09:00-10:00".into(),
                    second: "09:00-10:00".into(),
                },
            ),
        ];
        for (spec, expected) in cases {
            assert_eq!(Hours::parse(spec), Err(expected), "parsing {spec:?}");
        }
    }

    #[test]
    fn hours_errors_read_as_english_and_name_the_text() {
        let message = |spec: &str| Hours::parse(spec).unwrap_err().to_string();
        assert_eq!(
            message("mon 09:00-12:00,11:00-13:00"),
            "on mon the intervals 09:00-12:00 and 11:00-13:00 overlap"
        );
        assert!(message("mo 09:00-18:00").contains("unknown day \"mo\""));
        assert!(message("mon 25:00-26:00").contains("\"25:00\" is not a time"));
        assert!(message("mon 18:00-09:00").contains("\"18:00-09:00\" is empty or ends before"));
        assert!(message("fri-mon 09:00-12:00").contains("\"fri-mon\" runs backwards"));
        assert!(message("").starts_with("no working hours given"));
        assert!(message("mon-fri").contains("\"mon-fri\" gives no hours"));
        assert!(message("09:00-18:00").contains("does not say which days"));
        assert!(message("mon 09:00").contains("\"09:00\" is not an interval"));
    }

    // --- The clock, office calendar (week of Monday 2026-03-02) -----------

    #[test]
    fn within_one_morning() {
        let cal = office();
        // 09:30 plus 1 h, all inside 09:00-12:00.
        assert_eq!(
            cal.deadline(sh(3, 2, 9, 30), HOUR, &[]),
            Some(sh(3, 2, 10, 30))
        );
        // 09:30 to 11:00 is 1.5 h.
        assert_eq!(cal.worked(sh(3, 2, 9, 30), sh(3, 2, 11, 0), &[]), 90 * MIN);
        // The whole morning is used up exactly at 12:00; the earliest such
        // instant is 12:00, not the 13:30 reopening.
        assert_eq!(
            cal.deadline(sh(3, 2, 9, 0), 3 * HOUR, &[]),
            Some(sh(3, 2, 12, 0))
        );
    }

    #[test]
    fn across_lunch() {
        let cal = office();
        // 11:00-12:00 is 1 h, lunch, then 1 h from 13:30: 14:30.
        assert_eq!(
            cal.deadline(sh(3, 2, 11, 0), 2 * HOUR, &[]),
            Some(sh(3, 2, 14, 30))
        );
        assert_eq!(cal.worked(sh(3, 2, 11, 0), sh(3, 2, 14, 30), &[]), 2 * HOUR);
        // 11:30 to 13:00 counts only 11:30-12:00.
        assert_eq!(cal.worked(sh(3, 2, 11, 30), sh(3, 2, 13, 0), &[]), 30 * MIN);
        // Lunch itself counts nothing.
        assert_eq!(cal.worked(sh(3, 2, 12, 0), sh(3, 2, 13, 30), &[]), 0);
        // One second from inside lunch is one second after 13:30.
        assert_eq!(
            cal.deadline(sh(3, 2, 12, 15), 1, &[]),
            Some(sh(3, 2, 13, 30) + secs(1))
        );
    }

    #[test]
    fn across_a_night() {
        let cal = office();
        // Monday 17:00-18:00 is 1 h; Tuesday 09:00 plus 1 h is 10:00.
        assert_eq!(
            cal.deadline(sh(3, 2, 17, 0), 2 * HOUR, &[]),
            Some(sh(3, 3, 10, 0))
        );
        assert_eq!(cal.worked(sh(3, 2, 17, 0), sh(3, 3, 10, 0), &[]), 2 * HOUR);
        // Monday 09:00 to Tuesday 09:00 is one working day.
        assert_eq!(cal.worked(sh(3, 2, 9, 0), sh(3, 3, 9, 0), &[]), DAY);
    }

    #[test]
    fn friday_evening_to_monday() {
        let cal = office();
        // Friday 03-06 17:30-18:00 is 30 min; the weekend is off; Monday
        // 03-09 09:00 plus 30 min is 09:30.
        assert_eq!(
            cal.deadline(sh(3, 6, 17, 30), HOUR, &[]),
            Some(sh(3, 9, 9, 30))
        );
        assert_eq!(cal.worked(sh(3, 6, 17, 30), sh(3, 9, 9, 30), &[]), HOUR);
        // Friday close to Monday opening is nothing at all.
        assert_eq!(cal.worked(sh(3, 6, 18, 0), sh(3, 9, 9, 0), &[]), 0);
    }

    #[test]
    fn clock_starts_at_the_next_opening() {
        let cal = office();
        // Monday 22:00: the clock starts Tuesday 09:00; plus 1 h is 10:00.
        assert_eq!(
            cal.deadline(sh(3, 2, 22, 0), HOUR, &[]),
            Some(sh(3, 3, 10, 0))
        );
        // Monday 06:00, before opening: 09:00 plus 1 h.
        assert_eq!(
            cal.deadline(sh(3, 2, 6, 0), HOUR, &[]),
            Some(sh(3, 2, 10, 0))
        );
        // Saturday 03-07 10:00: Monday 03-09 09:00 plus 30 min.
        assert_eq!(
            cal.deadline(sh(3, 7, 10, 0), 30 * MIN, &[]),
            Some(sh(3, 9, 9, 30))
        );
        // During lunch 12:30: 13:30 plus 1 h.
        assert_eq!(
            cal.deadline(sh(3, 2, 12, 30), HOUR, &[]),
            Some(sh(3, 2, 14, 30))
        );
        // Friday 19:00 plus one working day: all of Monday, ending 18:00.
        assert_eq!(
            cal.deadline(sh(3, 6, 19, 0), DAY, &[]),
            Some(sh(3, 9, 18, 0))
        );
    }

    #[test]
    fn several_working_days() {
        let cal = office();
        // Three full days from Monday 09:00 end Wednesday 18:00.
        assert_eq!(
            cal.deadline(sh(3, 2, 9, 0), 3 * DAY, &[]),
            Some(sh(3, 4, 18, 0))
        );
        // Two days from Monday 14:00: Monday 14:00-18:00 is 4 h, Tuesday
        // 7.5 h, together 11.5 h of 15 h; Wednesday gives the last 3.5 h as
        // 09:00-12:00 and 13:30-14:00. So Wednesday 14:00.
        assert_eq!(
            cal.deadline(sh(3, 2, 14, 0), 2 * DAY, &[]),
            Some(sh(3, 4, 14, 0))
        );
        // A week from Monday 09:00 to the next Monday 09:00 is five days.
        assert_eq!(cal.worked(sh(3, 2, 9, 0), sh(3, 9, 9, 0), &[]), 5 * DAY);
    }

    #[test]
    fn zero_and_negative_targets_and_empty_ranges() {
        let cal = office();
        let night = sh(3, 2, 22, 0);
        // worked(from, from) = 0 already meets a target of 0 or less.
        assert_eq!(cal.deadline(night, 0, &[]), Some(night));
        assert_eq!(cal.deadline(night, -5, &[]), Some(night));
        assert_eq!(cal.worked(sh(3, 2, 10, 0), sh(3, 2, 10, 0), &[]), 0);
        assert_eq!(cal.worked(sh(3, 2, 11, 0), sh(3, 2, 10, 0), &[]), 0);
        assert_eq!(cal.at_share(night, 0, 800, &[]), Some(night));
    }

    #[test]
    fn at_share_rounds_up() {
        let cal = office();
        // 800‰ of one day is 21,600 s = 6 h: 09:00-12:00 (3 h) and
        // 13:30-16:30 (3 h).
        assert_eq!(
            cal.at_share(sh(3, 2, 9, 0), DAY, 800, &[]),
            Some(sh(3, 2, 16, 30))
        );
        // 500‰ of 1,001 s is 500.5 s, rounded up to 501 s = 8 min 21 s.
        assert_eq!(
            cal.at_share(sh(3, 2, 9, 0), 1_001, 500, &[]),
            Some(sh(3, 2, 9, 8) + secs(21))
        );
        assert_eq!(
            cal.at_share(sh(3, 2, 9, 0), DAY, 1000, &[]),
            cal.deadline(sh(3, 2, 9, 0), DAY, &[])
        );
        assert_eq!(
            cal.at_share(sh(3, 2, 9, 0), DAY, 0, &[]),
            Some(sh(3, 2, 9, 0))
        );
    }

    // --- Holidays and make-up days ----------------------------------------

    #[test]
    fn national_day_week_and_make_up_days() {
        let cal = national_day();
        assert!(!cal.is_working_day(date(2026, 10, 1)));
        assert!(!cal.is_working_day(date(2026, 10, 7)));
        assert!(cal.is_working_day(date(2026, 10, 8)));
        assert!(cal.is_working_day(date(2026, 9, 20)), "make-up Sunday");
        assert!(cal.is_working_day(date(2026, 10, 10)), "make-up Saturday");
        assert!(!cal.is_working_day(date(2026, 10, 11)), "plain Sunday");
        assert!(!cal.is_working_day(date(2026, 9, 19)), "plain Saturday");

        // The make-up Saturday works standard hours: 09:00 Shanghai is 01:00
        // UTC, 12:00 is 04:00, 13:30 is 05:30, 18:00 is 10:00.
        assert_eq!(
            cal.day_intervals(date(2026, 10, 10)),
            vec![
                (utc(2026, 10, 10, 1, 0), utc(2026, 10, 10, 4, 0)),
                (utc(2026, 10, 10, 5, 30), utc(2026, 10, 10, 10, 0)),
            ]
        );
        assert!(cal.day_intervals(date(2026, 10, 3)).is_empty());

        // Wednesday 09-30 17:00-18:00 is 1 h; 10-01..10-07 are off;
        // Thursday 10-08 09:00 plus 1 h.
        assert_eq!(
            cal.deadline(sh(9, 30, 17, 0), 2 * HOUR, &[]),
            Some(sh(10, 8, 10, 0))
        );
        // Friday 10-09 17:00-18:00, then the make-up Saturday 09:00 plus 1 h.
        assert_eq!(
            cal.deadline(sh(10, 9, 17, 0), 2 * HOUR, &[]),
            Some(sh(10, 10, 10, 0))
        );
        // Saturday 09-19 10:00 waits for the make-up Sunday 09-20.
        assert_eq!(
            cal.deadline(sh(9, 19, 10, 0), HOUR, &[]),
            Some(sh(9, 20, 10, 0))
        );
        // 1 h on 09-30 plus a whole day on 10-08 ends at 10-08 18:00.
        assert_eq!(
            cal.deadline(sh(9, 30, 17, 0), DAY + HOUR, &[]),
            Some(sh(10, 8, 18, 0))
        );
        // Monday 09-28 to Monday 10-12: 09-28, 09-29, 09-30, 10-08, 10-09
        // and the make-up 10-10 are worked: six days.
        assert_eq!(cal.worked(sh(9, 28, 0, 0), sh(10, 12, 0, 0), &[]), 6 * DAY);
        // Without the holidays the same fortnight has ten weekdays.
        assert_eq!(
            office().worked(sh(9, 28, 0, 0), sh(10, 12, 0, 0), &[]),
            10 * DAY
        );
    }

    #[test]
    fn a_make_up_day_beats_a_holiday_on_the_same_date() {
        let mut cal = national_day();
        cal.workdays.insert(date(2026, 10, 5));
        assert!(cal.is_working_day(date(2026, 10, 5)));
        assert_eq!(cal.worked(sh(10, 5, 0, 0), sh(10, 6, 0, 0), &[]), DAY);
    }

    #[test]
    fn make_up_days_work_the_standard_hours() {
        // Saturdays normally work a short morning; a make-up Saturday works
        // Monday's hours instead: 08:00-12:00 and 13:00-17:00, 8 h.
        let mut cal = Calendar::new(
            Shanghai,
            Hours::parse("mon-fri 08:00-12:00,13:00-17:00; sat 09:00-11:00").unwrap(),
        );
        assert_eq!(cal.worked(sh(3, 7, 0, 0), sh(3, 8, 0, 0), &[]), 2 * HOUR);
        cal.workdays.insert(date(2026, 3, 7));
        assert_eq!(cal.worked(sh(3, 7, 0, 0), sh(3, 8, 0, 0), &[]), 8 * HOUR);
    }

    // --- Pauses ------------------------------------------------------------

    #[test]
    fn pause_over_a_night() {
        let cal = office();
        let from = sh(3, 2, 16, 0);
        // Without a pause: Monday 16:00-18:00 is 2 h, Tuesday 09:00 plus 1 h.
        assert_eq!(cal.deadline(from, 3 * HOUR, &[]), Some(sh(3, 3, 10, 0)));
        // Paused Monday 17:00 to Tuesday 10:00: Monday 16:00-17:00 counts
        // 1 h, Tuesday 10:00-12:00 the other 2 h. The pause hid 2 working
        // hours (Monday 17-18 and Tuesday 9-10), so the deadline moves 2
        // working hours later.
        let pause = [Pause::closed(sh(3, 2, 17, 0), sh(3, 3, 10, 0))];
        assert_eq!(cal.deadline(from, 3 * HOUR, &pause), Some(sh(3, 3, 12, 0)));
        assert_eq!(cal.worked(from, sh(3, 3, 12, 0), &pause), 3 * HOUR);
        // Paused only during the night (18:30 to 08:00): nothing changes.
        let night = [Pause::closed(sh(3, 2, 18, 30), sh(3, 3, 8, 0))];
        assert_eq!(
            cal.deadline(sh(3, 2, 17, 0), 2 * HOUR, &night),
            Some(sh(3, 3, 10, 0))
        );
        assert_eq!(
            cal.worked(sh(3, 2, 17, 0), sh(3, 3, 10, 0), &night),
            2 * HOUR
        );
        // Paused 17:30 to 09:30: Monday 17:00-17:30 (30 min), then Tuesday
        // 09:30 plus 90 min is 11:00.
        let edges = [Pause::closed(sh(3, 2, 17, 30), sh(3, 3, 9, 30))];
        assert_eq!(
            cal.deadline(sh(3, 2, 17, 0), 2 * HOUR, &edges),
            Some(sh(3, 3, 11, 0))
        );
    }

    #[test]
    fn pause_over_a_holiday() {
        let cal = national_day();
        // Paused 09-30 17:30 to 10-08 09:30: 09-30 17:00-17:30 counts 30 min,
        // 10-08 09:30 plus 90 min is 11:00.
        let across = [Pause::closed(sh(9, 30, 17, 30), sh(10, 8, 9, 30))];
        assert_eq!(
            cal.deadline(sh(9, 30, 17, 0), 2 * HOUR, &across),
            Some(sh(10, 8, 11, 0))
        );
        assert_eq!(
            cal.worked(sh(9, 30, 17, 0), sh(10, 8, 11, 0), &across),
            2 * HOUR
        );
        // A pause inside the holiday hides no working time at all.
        let inside = [Pause::closed(sh(10, 2, 0, 0), sh(10, 5, 0, 0))];
        assert_eq!(
            cal.deadline(sh(9, 30, 17, 0), 2 * HOUR, &inside),
            Some(sh(10, 8, 10, 0))
        );
        assert_eq!(
            cal.worked(sh(9, 30, 17, 0), sh(10, 8, 10, 0), &inside),
            2 * HOUR
        );
        // Paused Friday 10-09 12:00 to the make-up Saturday 12:00: Friday
        // morning 09:00-12:00 is 3 h, Saturday afternoon 13:30-18:00 the
        // other 4.5 h of the day.
        let makeup = [Pause::closed(sh(10, 9, 12, 0), sh(10, 10, 12, 0))];
        assert_eq!(
            cal.deadline(sh(10, 9, 9, 0), DAY, &makeup),
            Some(sh(10, 10, 18, 0))
        );
    }

    #[test]
    fn overlapping_pauses_count_once() {
        let cal = office();
        let from = sh(3, 2, 9, 0);
        // Union of 09:30-10:30 and 10:00-11:00 is 09:30-11:00. Counted:
        // 09:00-09:30 (30 min), 11:00-12:00 (1 h), 13:30-14:00 (30 min).
        let pauses = [
            Pause::closed(sh(3, 2, 9, 30), sh(3, 2, 10, 30)),
            Pause::closed(sh(3, 2, 10, 0), sh(3, 2, 11, 0)),
        ];
        assert_eq!(cal.deadline(from, 2 * HOUR, &pauses), Some(sh(3, 2, 14, 0)));
        let reversed = [pauses[1], pauses[0]];
        assert_eq!(
            cal.deadline(from, 2 * HOUR, &reversed),
            Some(sh(3, 2, 14, 0))
        );
        // The morning's 3 h less the 1.5 h union.
        assert_eq!(cal.worked(from, sh(3, 2, 12, 0), &pauses), 90 * MIN);
        // A pause nested in another: 3 h less 09:30-11:30 (2 h).
        let nested = [
            Pause::closed(sh(3, 2, 9, 30), sh(3, 2, 11, 30)),
            Pause::closed(sh(3, 2, 10, 0), sh(3, 2, 10, 15)),
        ];
        assert_eq!(cal.worked(from, sh(3, 2, 12, 0), &nested), HOUR);
        // The same pause twice: 3 h less 1 h.
        let twice = [Pause::closed(sh(3, 2, 10, 0), sh(3, 2, 11, 0)); 2];
        assert_eq!(cal.worked(from, sh(3, 2, 12, 0), &twice), 2 * HOUR);
        // Touching pauses 09:30-10:00 and 10:00-10:30: 3 h less 1 h.
        let touching = [
            Pause::closed(sh(3, 2, 9, 30), sh(3, 2, 10, 0)),
            Pause::closed(sh(3, 2, 10, 0), sh(3, 2, 10, 30)),
        ];
        assert_eq!(cal.worked(from, sh(3, 2, 12, 0), &touching), 2 * HOUR);
    }

    #[test]
    fn open_pause() {
        let cal = office();
        let from = sh(3, 2, 9, 0);
        let open = [Pause::open(sh(3, 2, 10, 0))];
        // Only 09:00-10:00 is ever counted: 1 h.
        assert_eq!(cal.deadline(from, 2 * HOUR, &open), None);
        assert_eq!(cal.deadline(from, HOUR + 1, &open), None);
        // Reached exactly as the pause starts.
        assert_eq!(cal.deadline(from, HOUR, &open), Some(sh(3, 2, 10, 0)));
        assert_eq!(cal.deadline(from, 30 * MIN, &open), Some(sh(3, 2, 9, 30)));
        assert_eq!(cal.worked(from, sh(3, 6, 18, 0), &open), HOUR);
        // Paused since before the clock started: nothing ever counts.
        let before = [Pause::open(sh(3, 1, 12, 0))];
        assert_eq!(cal.deadline(from, 1, &before), None);
        assert_eq!(cal.deadline(from, 0, &before), Some(from));
        assert_eq!(cal.worked(from, sh(3, 20, 0, 0), &before), 0);
        // A closed pause running into an open one: union 09:30 onwards.
        let chained = [
            Pause::closed(sh(3, 2, 9, 30), sh(3, 2, 10, 30)),
            Pause::open(sh(3, 2, 10, 15)),
        ];
        assert_eq!(cal.worked(from, sh(3, 3, 18, 0), &chained), 30 * MIN);
        // An open pause starting at night, after Monday's close: the last
        // countable hour is Monday 17:00-18:00.
        let evening = [Pause::open(sh(3, 2, 20, 0))];
        assert_eq!(
            cal.deadline(sh(3, 2, 17, 0), HOUR, &evening),
            Some(sh(3, 2, 18, 0))
        );
        assert_eq!(cal.deadline(sh(3, 2, 17, 0), HOUR + 1, &evening), None);
    }

    #[test]
    fn pause_starting_before_from() {
        let cal = office();
        let from = sh(3, 2, 9, 0);
        // Paused from Sunday noon to Monday 10:00: counting starts at 10:00.
        let pause = [Pause::closed(sh(3, 1, 12, 0), sh(3, 2, 10, 0))];
        assert_eq!(cal.deadline(from, HOUR, &pause), Some(sh(3, 2, 11, 0)));
        assert_eq!(cal.worked(from, sh(3, 2, 12, 0), &pause), 2 * HOUR);
        // A pause over before the clock starts changes nothing.
        let old = [Pause::closed(sh(3, 1, 10, 0), sh(3, 1, 11, 0))];
        assert_eq!(cal.deadline(from, HOUR, &old), Some(sh(3, 2, 10, 0)));
    }

    #[test]
    fn empty_and_backwards_pauses_stop_nothing() {
        let cal = office();
        let from = sh(3, 2, 9, 0);
        let pauses = [
            Pause::closed(sh(3, 2, 10, 0), sh(3, 2, 9, 30)),
            Pause::closed(sh(3, 2, 9, 15), sh(3, 2, 9, 15)),
        ];
        assert_eq!(cal.deadline(from, HOUR, &pauses), Some(sh(3, 2, 10, 0)));
        assert_eq!(cal.worked(from, sh(3, 2, 12, 0), &pauses), 3 * HOUR);
    }

    #[test]
    fn a_pause_of_twenty_five_years_is_jumped_over() {
        let cal = office();
        let from = sh(3, 2, 9, 0);
        // 2026-03-02 is a Monday; 25 years later is 25 * 365 + 6 leap days
        // (2028, 2032, 2036, 2040, 2044, 2048) = 9,131 days = 1,304 weeks
        // and 3 days, so 2051-03-02 is a Thursday.
        let end = at(Shanghai, 2051, 3, 2, 10, 0);
        let pause = [Pause::closed(sh(3, 2, 9, 0), end)];
        assert_eq!(
            cal.deadline(from, HOUR, &pause),
            Some(at(Shanghai, 2051, 3, 2, 11, 0))
        );
        assert_eq!(
            cal.worked(from, at(Shanghai, 2051, 3, 2, 12, 0), &pause),
            2 * HOUR
        );
    }

    #[test]
    fn twenty_years_without_working_time_is_never() {
        // Works Mondays 09:00-10:00 only, and every Monday up to 2050 is a holiday.
        let mut cal = Calendar::new(Shanghai, Hours::parse("mon 09:00-10:00").unwrap());
        cal.holidays.extend(
            date(2026, 1, 5)
                .iter_weeks()
                .take_while(|d| d.year() <= 2050),
        );
        let from = sh(1, 1, 0, 0);
        assert_eq!(cal.deadline(from, 1, &[]), None);
        assert_eq!(cal.worked(from, at(Shanghai, 2040, 1, 1, 0, 0), &[]), 0);
        // A make-up day fourteen years on is still found; it works
        // Monday's hours whatever its weekday.
        cal.workdays.insert(date(2040, 6, 2));
        assert_eq!(
            cal.deadline(from, 1, &[]),
            Some(at(Shanghai, 2040, 6, 2, 9, 0) + secs(1))
        );
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        let cal = office();
        let (min, max) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
        let _ = cal.day_intervals(NaiveDate::MAX);
        let _ = cal.day_intervals(NaiveDate::MIN);
        assert_eq!(cal.deadline(max, HOUR, &[]), None);
        assert_eq!(cal.worked(max - Duration::days(3), max, &[]), 0);
        assert_eq!(
            cal.deadline(sh(3, 2, 9, 0), i64::MAX, &[Pause::open(max)]),
            None
        );
        assert_eq!(
            cal.worked(sh(3, 2, 9, 0), sh(3, 2, 10, 0), &[Pause::closed(min, max)]),
            0
        );
        let _ = cal.worked(min, min + Duration::days(3), &[]);
        let _ = cal.deadline(min, HOUR, &[]);
    }

    #[test]
    fn deadline_looks_a_hundred_years_ahead() {
        // Round the clock in UTC, every second counts: the deadline is
        // simply `from` plus the target, up to a hundred years.
        let cal = Calendar::new(chrono_tz::UTC, Hours::parse("mon-sun 00:00-24:00").unwrap());
        let from = utc(2026, 3, 2, 9, 0);
        let ninety_nine_years = 99 * 365 * 86_400;
        assert_eq!(
            cal.deadline(from, ninety_nine_years, &[]),
            Some(from + secs(ninety_nine_years))
        );
        assert_eq!(cal.deadline(from, 101 * 365 * 86_400, &[]), None);
    }

    // --- Daylight saving ---------------------------------------------------

    #[test]
    fn dst_round_the_clock_counts_real_seconds() {
        let cal = Calendar::new(Berlin, Hours::parse("mon-sun 00:00-24:00").unwrap());
        // 2026-03-29: clocks go 02:00 -> 03:00. Local midnight is 03-28
        // 23:00 UTC (UTC+1); the next is 03-29 22:00 UTC (UTC+2): 23 h.
        let spring = cal.day_intervals(date(2026, 3, 29));
        assert_eq!(
            spring,
            vec![(utc(2026, 3, 28, 23, 0), utc(2026, 3, 29, 22, 0))]
        );
        assert_eq!(cal.worked(spring[0].0, spring[0].1, &[]), 23 * HOUR);
        // 3 real hours after local midnight is 02:00 UTC (04:00 summer time).
        assert_eq!(
            cal.deadline(utc(2026, 3, 28, 23, 0), 3 * HOUR, &[]),
            Some(utc(2026, 3, 29, 2, 0))
        );
        // 2026-10-25: clocks go 03:00 -> 02:00. Midnight is 10-24 22:00
        // UTC (UTC+2); the next is 10-25 23:00 UTC (UTC+1): 25 h.
        let autumn = cal.day_intervals(date(2026, 10, 25));
        assert_eq!(
            autumn,
            vec![(utc(2026, 10, 24, 22, 0), utc(2026, 10, 25, 23, 0))]
        );
        assert_eq!(cal.worked(autumn[0].0, autumn[0].1, &[]), 25 * HOUR);
    }

    #[test]
    fn dst_intervals_touching_the_change() {
        let hours = |spec: &str| Calendar::new(Berlin, Hours::parse(spec).unwrap());
        // Sunday 01:00-04:00 on 03-29: 01:00 CET is 00:00 UTC, 04:00 CEST is
        // 02:00 UTC: 2 h. On 10-25: 01:00 CEST is 10-24 23:00 UTC, 04:00
        // CET is 03:00 UTC: 4 h.
        let cal = hours("sun 01:00-04:00");
        assert_eq!(
            cal.day_intervals(date(2026, 3, 29)),
            vec![(utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 2, 0))]
        );
        assert_eq!(
            cal.day_intervals(date(2026, 10, 25)),
            vec![(utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 3, 0))]
        );
        // 02:30 does not exist on 03-29 and moves to the jump at 01:00 UTC;
        // 03:30 CEST is 01:30 UTC: 30 min.
        let cal = hours("sun 02:30-03:30");
        assert_eq!(
            cal.day_intervals(date(2026, 3, 29)),
            vec![(utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 30))]
        );
        // 02:30 happens twice on 10-25; the first is 00:30 UTC (CEST).
        // 05:00 CET is 04:00 UTC: 3.5 h.
        let cal = hours("sun 02:30-05:00");
        assert_eq!(
            cal.day_intervals(date(2026, 10, 25)),
            vec![(utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 4, 0))]
        );
        // An interval wholly inside the gap vanishes: the clock waits for
        // the next Sunday, 04-05 02:00 CEST = 00:00 UTC.
        let cal = hours("sun 02:00-02:45");
        assert!(cal.day_intervals(date(2026, 3, 29)).is_empty());
        assert_eq!(
            cal.deadline(utc(2026, 3, 28, 12, 0), 1, &[]),
            Some(utc(2026, 4, 5, 0, 0) + secs(1))
        );
    }

    #[test]
    fn dst_weekend_between_two_working_days() {
        // Berlin, clocks go forward Sunday 03-29. Friday 03-27 16:00 CET is
        // 15:00 UTC: 1 h to 17:00; Monday 03-30 09:00 CEST is 07:00 UTC,
        // plus 1 h is 08:00 UTC.
        let berlin = Calendar::new(Berlin, Hours::parse("mon-fri 09:00-17:00").unwrap());
        assert_eq!(
            berlin.deadline(utc(2026, 3, 27, 15, 0), 2 * HOUR, &[]),
            Some(utc(2026, 3, 30, 8, 0))
        );
        assert_eq!(
            berlin.worked(utc(2026, 3, 27, 15, 0), utc(2026, 3, 30, 8, 0), &[]),
            2 * HOUR
        );
        // New York, clocks go forward Sunday 03-08. Friday 03-06 16:00 EST
        // is 21:00 UTC; Monday 03-09 10:00 EDT is 14:00 UTC.
        let ny = Calendar::new(New_York, Hours::parse("mon-fri 09:00-17:00").unwrap());
        assert_eq!(
            ny.deadline(at(New_York, 2026, 3, 6, 16, 0), 2 * HOUR, &[]),
            Some(utc(2026, 3, 9, 14, 0))
        );
        // And back on Sunday 11-01: Friday 10-30 16:00 EDT is 20:00 UTC;
        // Monday 11-02 10:00 EST is 15:00 UTC.
        assert_eq!(
            ny.deadline(utc(2026, 10, 30, 20, 0), 2 * HOUR, &[]),
            Some(utc(2026, 11, 2, 15, 0))
        );
    }

    #[test]
    fn dst_gap_moves_to_the_jump() {
        // New York 03-08 02:30 does not exist; the jump is 02:00 EST = 07:00 UTC.
        let ny = Calendar::new(New_York, Hours::parse("sun 02:30-04:00").unwrap());
        assert_eq!(
            ny.local_instant(date(2026, 3, 8), 150),
            utc(2026, 3, 8, 7, 0).timestamp()
        );
        // Lord Howe Island jumps only half an hour, 02:00 -> 02:30 on Sunday
        // 10-04, from UTC+10:30: the jump is 10-03 15:30 UTC, and 02:10 moves there.
        let lh = Calendar::new(Lord_Howe, Hours::parse("sun 02:10-03:00").unwrap());
        assert_eq!(
            lh.local_instant(date(2026, 10, 4), 130),
            utc(2026, 10, 3, 15, 30).timestamp()
        );
        // 03:00 at UTC+11 is 16:00 UTC: the interval lasts 30 min.
        assert_eq!(
            lh.day_intervals(date(2026, 10, 4)),
            vec![(utc(2026, 10, 3, 15, 30), utc(2026, 10, 3, 16, 0))]
        );
    }

    #[test]
    fn worked_and_deadline_agree() {
        let cal = national_day();
        let starts = [
            sh(9, 18, 17, 0),
            sh(9, 19, 23, 59),
            sh(9, 30, 11, 59),
            sh(10, 1, 12, 0),
            sh(10, 9, 17, 59),
        ];
        let targets = [1, 59, HOUR, 3 * HOUR + 1, DAY, 2 * DAY + 17, 7 * DAY];
        let pauses = [Pause::closed(sh(9, 30, 11, 0), sh(10, 8, 14, 0))];
        for from in starts {
            for target in targets {
                for p in [&[][..], &pauses[..]] {
                    let t = cal.deadline(from, target, p).unwrap();
                    assert_eq!(
                        cal.worked(from, t, p),
                        target,
                        "from {from} target {target}"
                    );
                    assert_eq!(cal.worked(from, t - secs(1), p), target - 1);
                }
            }
        }
    }

    // --- .ics holiday calendars -------------------------------------------

    /// The 2026 holiday dates published by the State Council, as
    /// (first day, number of days), and the make-up working days.
    const HOLIDAYS_2026: [((u32, u32), u32, &str); 7] = [
        ((1, 1), 3, "元旦"),
        ((2, 15), 9, "春节"),
        ((4, 4), 3, "清明节"),
        ((5, 1), 5, "劳动节"),
        ((6, 19), 3, "端午节"),
        ((9, 25), 3, "中秋节"),
        ((10, 1), 7, "国庆节"),
    ];
    const MAKE_UP_2026: [((u32, u32), &str); 6] = [
        ((1, 4), "元旦"),
        ((2, 14), "春节"),
        ((2, 28), "春节"),
        ((5, 9), "劳动节"),
        ((9, 20), "国庆节"),
        ((10, 10), "国庆节"),
    ];

    /// The days a correct reading of a 2026 calendar gives, sorted by date.
    fn expected_2026() -> Vec<IcsDay> {
        let mut days = Vec::new();
        for ((m, d), n, name) in HOLIDAYS_2026 {
            for date in date(2026, m, d).iter_days().take(n as usize) {
                days.push(IcsDay {
                    date,
                    name: name.into(),
                    workday: false,
                });
            }
        }
        for ((m, d), name) in MAKE_UP_2026 {
            days.push(IcsDay {
                date: date(2026, m, d),
                name: name.into(),
                workday: true,
            });
        }
        days.sort_by_key(|d| d.date);
        days
    }

    #[test]
    fn ics_daily_calendar_with_crlf_folding_and_alarms() {
        // One event per day ("国庆节 假期 第1天/共7天"), make-up days as
        // 09:00-18:00 date-time events ("国庆节 补班 第1天/共2天") with an
        // alarm inside, descriptions folded over several lines.
        let days = parse_ics(&fixture("china-2026-daily.ics")).unwrap();
        // 3 + 9 + 3 + 5 + 3 + 3 + 7 = 33 holidays and 6 make-up days.
        assert_eq!(days.len(), 39);
        assert_eq!(days.iter().filter(|d| d.workday).count(), 6);
        assert_eq!(days, expected_2026());
    }

    #[test]
    fn ics_span_calendar_with_bom_duration_and_utc_times() {
        // One event per holiday span with an exclusive DTEND ("国庆节（休）"),
        // 清明节 as DURATION:P3D, make-up days ("国庆节（班）") given by
        // DTSTART only, by TZID date-times, or by a UTC date-time that is
        // midnight in Shanghai; a BOM, LF line ends, blank lines and a
        // cancelled event (10-12) that must not appear.
        let days = parse_ics(&fixture("china-2026-apple.ics")).unwrap();
        assert_eq!(days, expected_2026());
        assert!(days.iter().all(|d| d.date != date(2026, 10, 12)));
    }

    #[test]
    fn ics_calendar_drives_the_clock() {
        let mut cal = office();
        cal.add_ics_days(&parse_ics(&fixture("china-2026-daily.ics")).unwrap());
        assert_eq!(cal.holidays.len(), 33);
        assert_eq!(cal.workdays.len(), 6);
        // Wednesday 2025-12-31 17:00-18:00 is 1 h; 01-01..01-03 are off;
        // the make-up Sunday 01-04 09:00 plus 1 h.
        assert_eq!(
            cal.deadline(at(Shanghai, 2025, 12, 31, 17, 0), 2 * HOUR, &[]),
            Some(sh(1, 4, 10, 0))
        );
        // Friday 02-13 17:00-18:00, then the make-up Saturday 02-14.
        assert_eq!(
            cal.deadline(sh(2, 13, 17, 0), 2 * HOUR, &[]),
            Some(sh(2, 14, 10, 0))
        );
        // Saturday 02-14 17:00-18:00, then 02-15..02-23 are off; Tuesday
        // 02-24 09:00 plus 1 h.
        assert_eq!(
            cal.deadline(sh(2, 14, 17, 0), 2 * HOUR, &[]),
            Some(sh(2, 24, 10, 0))
        );
        // Friday 09-18 17:00-18:00, then the make-up Sunday 09-20.
        assert_eq!(
            cal.deadline(sh(9, 18, 17, 0), 2 * HOUR, &[]),
            Some(sh(9, 20, 10, 0))
        );
        // Thursday 09-24 17:00-18:00; 09-25..09-27 are 中秋节; Monday 09-28.
        assert_eq!(
            cal.deadline(sh(9, 24, 17, 0), 2 * HOUR, &[]),
            Some(sh(9, 28, 10, 0))
        );
        // 1 h on 09-30 and a whole day on 10-08.
        assert_eq!(
            cal.deadline(sh(9, 30, 17, 0), DAY + HOUR, &[]),
            Some(sh(10, 8, 18, 0))
        );
    }

    /// Wraps events in a calendar with CRLF line ends.
    fn calendar_of(events: &[&str]) -> String {
        let mut lines = vec!["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"];
        for event in events {
            lines.push("BEGIN:VEVENT");
            lines.extend(event.lines().map(str::trim).filter(|l| !l.is_empty()));
            lines.push("END:VEVENT");
        }
        lines.push("END:VCALENDAR");
        lines.join("\r\n") + "\r\n"
    }

    /// The (date, name, workday) triples read from one event.
    fn read_event(event: &str) -> Vec<(NaiveDate, String, bool)> {
        parse_ics(&calendar_of(&[event]))
            .unwrap_or_else(|e| panic!("{event}: {e}"))
            .into_iter()
            .map(|d| (d.date, d.name, d.workday))
            .collect()
    }

    #[test]
    fn ics_event_lengths() {
        let one = |name: &str, workday| vec![(date(2026, 10, 1), name.to_string(), workday)];
        // Only DTSTART: the one day.
        assert_eq!(
            read_event("DTSTART;VALUE=DATE:20261001\nSUMMARY:国庆节"),
            one("国庆节", false)
        );
        // DTEND equal to DTSTART: still the one day.
        assert_eq!(
            read_event("DTSTART;VALUE=DATE:20261001\nDTEND;VALUE=DATE:20261001\nSUMMARY:国庆节"),
            one("国庆节", false)
        );
        // Midnight to midnight as date-times: the exclusive end is the next day.
        assert_eq!(
            read_event("DTSTART:20261001T000000\nDTEND:20261002T000000\nSUMMARY:国庆节"),
            one("国庆节", false)
        );
        // PT24H from midnight ends at the next midnight: one day.
        assert_eq!(
            read_event("DTSTART;VALUE=DATE:20261001\nDURATION:PT24H\nSUMMARY:国庆节"),
            one("国庆节", false)
        );
        // P1W from 10-01 covers 10-01..10-07.
        let week = read_event("DTSTART;VALUE=DATE:20261001\nDURATION:P1W\nSUMMARY:国庆节");
        let dates: Vec<NaiveDate> = week.iter().map(|d| d.0).collect();
        assert_eq!(
            dates,
            date(2026, 10, 1).iter_days().take(7).collect::<Vec<_>>()
        );
        // Office hours on one day.
        assert_eq!(
            read_event("DTSTART:20261001T090000\nDTEND:20261001T180000\nSUMMARY:国庆节 补班"),
            one("国庆节", true)
        );
        // A date-time ending mid-morning the next day covers both days.
        let two = read_event("DTSTART:20261001T200000\nDTEND:20261002T090000\nSUMMARY:国庆节");
        assert_eq!(two.len(), 2);
    }

    #[test]
    fn ics_folded_summary_and_escapes() {
        // The summary is folded after 国庆; CRLF plus a space joins it again.
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261010\r\nSUMMARY:国庆\r\n 节 补班\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let days = parse_ics(text).unwrap();
        assert_eq!(
            days,
            vec![IcsDay {
                date: date(2026, 10, 10),
                name: "国庆节".into(),
                workday: true
            }]
        );
        // An escaped comma in the summary is unescaped.
        assert_eq!(
            read_event("DTSTART;VALUE=DATE:20261001\nSUMMARY:国庆节\\, 中秋节"),
            vec![(date(2026, 10, 1), "国庆节, 中秋节".to_string(), false)]
        );
    }

    #[test]
    fn ics_make_up_day_markers() {
        let kind = |summary: &str| {
            let event = format!("DTSTART;VALUE=DATE:20261010\nSUMMARY:{summary}");
            let day = read_event(&event).remove(0);
            (day.1, day.2)
        };
        let work = |name: &str| (name.to_string(), true);
        let rest = |name: &str| (name.to_string(), false);
        assert_eq!(kind("国庆节 补班"), work("国庆节"));
        assert_eq!(kind("国庆节补班"), work("国庆节"));
        assert_eq!(kind("国庆节 补班 第2天/共2天"), work("国庆节"));
        assert_eq!(kind("国庆节（班）"), work("国庆节"));
        assert_eq!(kind("国庆节(班)"), work("国庆节"));
        assert_eq!(kind("国庆节（调休上班）"), work("国庆节"));
        assert_eq!(kind("国庆节 上班"), work("国庆节"));
        assert_eq!(kind("国庆节 班"), work("国庆节"));
        assert_eq!(kind("国庆节班"), work("国庆节"));
        assert_eq!(kind("班"), work("班"));
        assert_eq!(kind("National Day (make-up workday)"), work("National Day"));
        assert_eq!(kind("National Day working day"), work("National Day"));
        assert_eq!(kind("Make-up Day"), work("Make-up Day"));
        assert_eq!(kind("国庆节 休"), rest("国庆节"));
        assert_eq!(kind("国庆节（休）"), rest("国庆节"));
        assert_eq!(kind("国庆节 假期 第1天/共7天"), rest("国庆节"));
        assert_eq!(kind("国庆节放假"), rest("国庆节"));
        assert_eq!(kind("国庆节"), rest("国庆节"));
        assert_eq!(kind("休"), rest("休"));
        assert_eq!(kind("National Day Holiday"), rest("National Day Holiday"));
    }

    #[test]
    fn ics_markers_in_categories_and_descriptions() {
        let workday = |extra: &str| {
            let event = format!("DTSTART;VALUE=DATE:20261010\n{extra}");
            read_event(&event).remove(0).2
        };
        // The summary says nothing; the categories or the description do.
        assert!(workday("SUMMARY:国庆节\nCATEGORIES:补班"));
        assert!(workday("SUMMARY:国庆补周五\nDESCRIPTION:调休上班"));
        assert!(workday(
            "SUMMARY:National Day\nDESCRIPTION:a make-up working day"
        ));
        // A holiday's description naming its make-up days does not make it one.
        assert!(!workday(
            "SUMMARY:国庆节\nDESCRIPTION:10月1日至7日放假调休，共7天。9月20日、10月10日上班。"
        ));
        // The summary wins over the description.
        assert!(!workday("SUMMARY:国庆节 休\nDESCRIPTION:补班提醒"));
        assert!(workday("SUMMARY:国庆节 补班\nDESCRIPTION:放假调休"));
        // Apple's machine-readable marker wins over everything.
        assert!(workday(
            "SUMMARY:国庆节\nX-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY"
        ));
        assert!(!workday(
            "SUMMARY:国庆节 班\nX-APPLE-SPECIAL-DAY:WORK-HOLIDAY"
        ));
    }

    #[test]
    fn ics_text_around_the_calendar_is_tolerated() {
        let text = "\u{feff}\n\nsome header\nBEGIN:VCALENDAR\n\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nSUMMARY:元旦\nEND:VEVENT\n\nEND:VCALENDAR\n\ntrailing junk\n";
        let days = parse_ics(text).unwrap();
        assert_eq!(
            days,
            vec![IcsDay {
                date: date(2026, 1, 1),
                name: "元旦".into(),
                workday: false
            }]
        );
        // A calendar without events is simply empty.
        assert_eq!(
            parse_ics("BEGIN:VCALENDAR\nEND:VCALENDAR\n").unwrap(),
            vec![]
        );
    }

    #[test]
    fn ics_repeated_dates_are_kept_once() {
        let text = calendar_of(&[
            "DTSTART;VALUE=DATE:20261002\nSUMMARY:国庆节",
            "DTSTART;VALUE=DATE:20261001\nDTEND;VALUE=DATE:20261003\nSUMMARY:国庆节",
        ]);
        let days = parse_ics(&text).unwrap();
        let dates: Vec<NaiveDate> = days.iter().map(|d| d.date).collect();
        assert_eq!(dates, vec![date(2026, 10, 1), date(2026, 10, 2)]);
    }

    #[test]
    fn ics_errors() {
        assert_eq!(parse_ics(""), Err(IcsError::NotCalendar(String::new())));
        assert_eq!(
            parse_ics("hello\nworld"),
            Err(IcsError::NotCalendar("hello".into()))
        );
        assert!(matches!(
            parse_ics("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VCALENDAR\n"),
            Err(IcsError::Syntax(_))
        ));
        assert_eq!(
            parse_ics(&calendar_of(&["SUMMARY:国庆节"])),
            Err(IcsError::BadStart {
                event: "\"国庆节\"".into(),
                text: String::new()
            })
        );
        // Without a summary the event is named by its line: line 4 of the
        // text, after BEGIN:VCALENDAR, VERSION and PRODID.
        assert_eq!(
            parse_ics(&calendar_of(&["DTSTART:tomorrow"])),
            Err(IcsError::BadStart {
                event: "beginning on line 4".into(),
                text: "tomorrow".into()
            })
        );
        assert_eq!(
            parse_ics(&calendar_of(&[
                "DTSTART;VALUE=DATE:20261008\nDTEND;VALUE=DATE:20261001\nSUMMARY:国庆节"
            ])),
            Err(IcsError::EndBeforeStart {
                event: "\"国庆节\"".into(),
                start: "20261008".into(),
                end: "20261001".into()
            })
        );
        assert!(matches!(
            parse_ics(&calendar_of(&[
                "DTSTART;VALUE=DATE:20261008\nDURATION:-P1D\nSUMMARY:x"
            ])),
            Err(IcsError::EndBeforeStart { .. })
        ));
        assert_eq!(
            parse_ics(&calendar_of(&[
                "DTSTART;VALUE=DATE:20261008\nDURATION:P1X\nSUMMARY:x"
            ])),
            Err(IcsError::BadEnd {
                event: "\"x\"".into(),
                text: "P1X".into()
            })
        );
        assert!(matches!(
            parse_ics(&calendar_of(&[
                "DTSTART;VALUE=DATE:20261008\nDTEND:soon\nSUMMARY:x"
            ])),
            Err(IcsError::BadEnd { .. })
        ));
        assert_eq!(
            parse_ics(&calendar_of(&[
                "DTSTART;VALUE=DATE:20260101\nDTEND;VALUE=DATE:20280101\nSUMMARY:x"
            ])),
            Err(IcsError::TooLong {
                event: "\"x\"".into(),
                days: 730
            })
        );
    }

    #[test]
    fn ics_errors_read_as_english() {
        let message = |text: &str| parse_ics(text).unwrap_err().to_string();
        assert!(message("hello").contains("no BEGIN:VCALENDAR"));
        assert_eq!(
            message(&calendar_of(&["SUMMARY:国庆节"])),
            "the event \"国庆节\" has no start date (DTSTART)"
        );
        assert_eq!(
            message(&calendar_of(&["DTSTART:tomorrow"])),
            "the event beginning on line 4 has a start \"tomorrow\" that is not a date"
        );
        assert!(message(&calendar_of(&[
            "DTSTART;VALUE=DATE:20261008\nDTEND;VALUE=DATE:20261001\nSUMMARY:国庆节"
        ]))
        .contains("ends (20261001) before it starts (20261008)"));
    }

    #[test]
    fn ics_durations() {
        assert_eq!(ics_duration("P1D"), Some(86_400));
        assert_eq!(ics_duration("P1W"), Some(7 * 86_400));
        assert_eq!(ics_duration("PT24H"), Some(86_400));
        // 1 day, 2 h, 3 min, 4 s = 86,400 + 7,200 + 180 + 4.
        assert_eq!(ics_duration("P1DT2H3M4S"), Some(93_784));
        assert_eq!(ics_duration("-P2D"), Some(-2 * 86_400));
        assert_eq!(ics_duration("P"), None);
        assert_eq!(ics_duration("P1"), None);
        assert_eq!(ics_duration("1D"), None);
        assert_eq!(ics_duration("PT1D"), None);
        assert_eq!(ics_duration("P1H"), None);
    }

    // --- Speed -------------------------------------------------------------

    /// 200,000 deadlines of a few working days each. Run in release with
    /// `cargo test --release -- --ignored perf`; it should take well under
    /// a second.
    #[test]
    #[ignore]
    fn perf_200k_deadlines() {
        let cal = national_day();
        let start = std::time::Instant::now();
        let mut checksum = 0i64;
        for i in 0..200_000i64 {
            let from = sh(9, 1, 0, 0) + secs((i * 7_919) % (40 * 86_400));
            let target = 3 * DAY + (i % 1_000) * MIN;
            let pauses = [Pause::closed(from + secs(3_600), from + secs(7_200))];
            checksum += cal.deadline(from, target, &pauses).unwrap().timestamp() % 7;
        }
        let elapsed = start.elapsed();
        eprintln!("200,000 deadlines in {elapsed:?} (checksum {checksum})");
        assert!(
            elapsed < std::time::Duration::from_secs(1),
            "took {elapsed:?}"
        );
    }

    // --- Properties --------------------------------------------------------

    /// The calendars the properties run on: plain office hours, the National
    /// Day fortnight, and Berlin with both clock changes of 2026 and a
    /// Sunday shift that runs through them.
    fn calendars() -> Vec<Calendar> {
        let berlin = Calendar::new(
            Berlin,
            Hours::parse("mon-fri 08:00-12:00,13:00-17:00; sun 01:00-04:00").unwrap(),
        );
        vec![office(), national_day(), berlin]
    }

    /// An instant in 2026, as seconds since 2026-01-01 UTC.
    fn instant(offset: i64) -> DateTime<Utc> {
        utc(2026, 1, 1, 0, 0) + secs(offset)
    }

    const YEAR: i64 = 365 * 86_400;

    fn pauses_strategy() -> impl Strategy<Value = Vec<(i64, i64, bool)>> {
        // (start relative to `from`, length, open?) with starts from three
        // days before to six days after, lengths up to three days.
        prop::collection::vec(
            (
                -3 * 86_400i64..6 * 86_400,
                0i64..3 * 86_400,
                prop::bool::weighted(0.15),
            ),
            0..4,
        )
    }

    fn make_pauses(from: DateTime<Utc>, raw: &[(i64, i64, bool)]) -> Vec<Pause> {
        raw.iter()
            .map(|&(start, len, open)| Pause {
                from: from + secs(start),
                to: (!open).then(|| from + secs(start + len)),
            })
            .collect()
    }

    /// The union of pauses as (start, end) timestamps, `i64::MAX` for none.
    fn union(pauses: &[Pause]) -> Vec<(i64, i64)> {
        let mut spans: Vec<(i64, i64)> = pauses
            .iter()
            .map(|p| (p.from.timestamp(), p.to.map_or(i64::MAX, |t| t.timestamp())))
            .filter(|(s, e)| s < e)
            .collect();
        spans.sort();
        let mut out: Vec<(i64, i64)> = Vec::new();
        for (s, e) in spans {
            match out.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => out.push((s, e)),
            }
        }
        out
    }

    /// Working seconds by brute force over `day_intervals`: every day that
    /// could touch the range, each interval clipped, each pause overlap
    /// subtracted.
    fn worked_by_days(
        cal: &Calendar,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        pauses: &[Pause],
    ) -> i64 {
        let (f, t) = (from.timestamp(), to.timestamp());
        if t <= f {
            return 0;
        }
        let paused = union(pauses);
        let first = from.with_timezone(&cal.tz).date_naive().pred_opt().unwrap();
        let last = to.with_timezone(&cal.tz).date_naive().succ_opt().unwrap();
        let mut total = 0;
        for day in first.iter_days().take_while(|d| *d <= last) {
            for (s, e) in cal.day_intervals(day) {
                let (s, e) = (s.timestamp().max(f), e.timestamp().min(t));
                if s >= e {
                    continue;
                }
                let hidden: i64 = paused
                    .iter()
                    .map(|&(ps, pe)| (e.min(pe) - s.max(ps)).max(0))
                    .sum();
                total += e - s - hidden;
            }
        }
        total
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn prop_deadline_is_exact_and_earliest(
            which in 0usize..3,
            start in 0i64..YEAR,
            target in 0i64..4 * DAY,
            raw in pauses_strategy(),
        ) {
            let cal = &calendars()[which];
            let from = instant(start);
            let pauses = make_pauses(from, &raw);
            match cal.deadline(from, target, &pauses) {
                Some(t) => {
                    prop_assert!(t >= from);
                    prop_assert_eq!(cal.worked(from, t, &pauses), target);
                    if target > 0 {
                        prop_assert_eq!(cal.worked(from, t - secs(1), &pauses), target - 1);
                    } else {
                        prop_assert_eq!(t, from);
                    }
                }
                None => {
                    // Only an open pause can stop these calendars for good.
                    prop_assert!(pauses.iter().any(|p| p.to.is_none()));
                    let far = from + Duration::days(90);
                    prop_assert!(cal.worked(from, far, &pauses) < target);
                }
            }
        }

        #[test]
        fn prop_worked_is_additive(
            which in 0usize..3,
            start in 0i64..YEAR,
            first in 0i64..10 * 86_400,
            second in 0i64..10 * 86_400,
            raw in pauses_strategy(),
        ) {
            let cal = &calendars()[which];
            let (a, b, c) = (instant(start), instant(start + first), instant(start + first + second));
            let pauses = make_pauses(a, &raw);
            prop_assert_eq!(
                cal.worked(a, b, &pauses) + cal.worked(b, c, &pauses),
                cal.worked(a, c, &pauses)
            );
        }

        #[test]
        fn prop_pauses_subtract_their_union(
            which in 0usize..3,
            start in 0i64..YEAR,
            len in 0i64..12 * 86_400,
            raw in pauses_strategy(),
        ) {
            let cal = &calendars()[which];
            let (from, to) = (instant(start), instant(start + len));
            let pauses = make_pauses(from, &raw);
            let hidden: i64 = union(&pauses)
                .into_iter()
                .map(|(s, e)| {
                    let s = DateTime::from_timestamp(s.max(from.timestamp()), 0).unwrap();
                    let e = DateTime::from_timestamp(e.min(to.timestamp()), 0).unwrap();
                    cal.worked(s, e, &[])
                })
                .sum();
            prop_assert_eq!(cal.worked(from, to, &pauses), cal.worked(from, to, &[]) - hidden);
        }

        #[test]
        fn prop_worked_matches_day_by_day_count(
            which in 0usize..3,
            start in 0i64..YEAR,
            len in 0i64..12 * 86_400,
            raw in pauses_strategy(),
        ) {
            let cal = &calendars()[which];
            let (from, to) = (instant(start), instant(start + len));
            let pauses = make_pauses(from, &raw);
            prop_assert_eq!(cal.worked(from, to, &pauses), worked_by_days(cal, from, to, &pauses));
        }

        #[test]
        fn prop_deadline_grows_with_the_target(
            which in 0usize..3,
            start in 0i64..YEAR,
            target in 0i64..3 * DAY,
            more in 0i64..DAY,
        ) {
            let cal = &calendars()[which];
            let from = instant(start);
            let near = cal.deadline(from, target, &[]).unwrap();
            let far = cal.deadline(from, target + more, &[]).unwrap();
            prop_assert!(near <= far);
            prop_assert_eq!(cal.worked(near, far, &[]), more);
        }

        #[test]
        fn prop_hours_spec_round_trips(
            days in prop::collection::vec(
                prop::collection::btree_set(0u16..=1440, 0..7),
                7,
            ),
        ) {
            // Distinct sorted boundaries paired up give strictly separated
            // intervals on each day.
            let mut groups = Vec::new();
            let mut expected: Vec<Vec<(u16, u16)>> = Vec::new();
            for (index, bounds) in days.iter().enumerate() {
                let bounds: Vec<u16> = bounds.iter().copied().collect();
                let pairs: Vec<(u16, u16)> = bounds.chunks_exact(2).map(|p| (p[0], p[1])).collect();
                if !pairs.is_empty() {
                    let times: Vec<String> = pairs
                        .iter()
                        .map(|&(s, e)| format!("{}-{}", format_time(s), format_time(e)))
                        .collect();
                    groups.push(format!("{} {}", DAY_NAMES[index], times.join(",")));
                }
                expected.push(pairs);
            }
            prop_assume!(!groups.is_empty());
            let hours = Hours::parse(&groups.join("; ")).unwrap();
            let weekdays = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
            for (wd, want) in weekdays.iter().zip(&expected) {
                prop_assert_eq!(hours.day(*wd), want.as_slice());
            }
            prop_assert_eq!(Hours::parse(&hours.spec()).unwrap(), hours);
        }
    }
}
