//! Recurring tasks.
//!
//! A task that repeats carries a recurrence next to its due date. When it is done, the
//! next one is due:
//!
//! - **periodic** (`--repeat SPEC`): on the next date of a calendar rule, counted from the
//!   previous *due* (not from when it was done). The rule is an RFC 5545 `RRULE`; the
//!   words `daily`, `weekdays`, `weekly`, `monthly`, `yearly` and `every N days|weeks|
//!   months|years` are shorthands for common rules.
//! - **chained** (`--chain DURATION`): a fixed time after the previous one was *done*
//!   (`chain:7d`: a week after it was done).
//!
//! Periodic rules are computed in the local time zone, so a task at 09:00 stays at 09:00
//! local time across daylight-saving changes. A date-only due gives date-only dues.
//!
//! Notes on RFC 5545 rules:
//! - `FREQ=MONTHLY` from the 31st skips months without a 31st (Jan 31 → Mar 31), and
//!   `FREQ=YEARLY` from Feb 29 recurs only in leap years. For "the last day of each
//!   month" use `FREQ=MONTHLY;BYMONTHDAY=-1`.
//! - `COUNT=N` counts the task itself: the rule gives N tasks in all. Each new task
//!   carries the rule with the count lowered by one (see [`Recurrence::advance`]); the
//!   task with `COUNT=1` is the last.
//! - `UNTIL=YYYYMMDD` (or `YYYYMMDDTHHMMSS`, local, or with `Z` for UTC) ends the rule;
//!   a date alone includes that whole day.
//! - `DTSTART` is not allowed: the task's due is the start. Rules more frequent than
//!   daily (`HOURLY`, `MINUTELY`, `SECONDLY`) are refused.

use std::str::FromStr;

use chrono::{
    DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc,
};
use rrule::{Frequency, RRule, Tz, Unvalidated};

use crate::core::dates::{parse_duration, Span, When};
use crate::core::error::Result;

/// A recurrence as stored: periodic (an RFC 5545 RRULE, e.g. "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
/// or chained ("chain:7d": the next one is due that long after the previous is done).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recurrence {
    /// A normalized RRULE body, without the `RRULE:` prefix.
    Periodic(String),
    /// The next one is due this long after the previous one was done.
    Chained(Span),
}

const WEEKDAYS: &str = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";

/// Occurrences looked at before giving up on finding the next one (a rule with many
/// times a day and a date-only due needs to look past all of that day's).
const SCAN_LIMIT: usize = 100_000;

impl Recurrence {
    /// Read `--repeat SPEC`: daily, weekdays, weekly, monthly, yearly, "every N
    /// days|weeks|months|years" (also "every day", "every week", "every other week",
    /// "every weekday"), or an RRULE ("FREQ=MONTHLY;BYMONTHDAY=-1", with or without a
    /// leading "RRULE:"; case-insensitive).
    pub fn parse_repeat(spec: &str) -> Result<Recurrence> {
        let trimmed = spec.trim();
        if trimmed.is_empty() {
            return Err(crate::err!(Invalid, "recur.empty_repeat_use"));
        }
        let lower = trimmed.to_lowercase();
        if lower.contains('=') || lower.starts_with("rrule") || lower.contains("dtstart") {
            let rule = normalize_rule(trimmed, trimmed)?;
            check_occurs(trimmed, &rule)?;
            return Ok(Recurrence::Periodic(rule));
        }
        let words: Vec<&str> = lower.split_whitespace().collect();
        let unknown = || crate::err!(Invalid, "recur.repeat_understood_use", trimmed = trimmed);
        let rule = match words.as_slice() {
            ["daily"] | ["every", "day"] => "FREQ=DAILY".to_string(),
            ["weekdays"] | ["every", "weekday"] | ["every", "weekdays"] => WEEKDAYS.to_string(),
            ["weekly"] | ["every", "week"] => "FREQ=WEEKLY".to_string(),
            ["monthly"] | ["every", "month"] => "FREQ=MONTHLY".to_string(),
            ["yearly"] | ["annually"] | ["every", "year"] => "FREQ=YEARLY".to_string(),
            ["every", n, unit] => {
                let freq = freq_word(unit).ok_or_else(unknown)?;
                let n: u64 = if *n == "other" {
                    2
                } else if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
                    n.parse().unwrap_or(u64::MAX)
                } else {
                    return Err(unknown());
                };
                if n == 0 {
                    return Err(crate::err!(
                        Invalid,
                        "recur.repeat_number_must",
                        trimmed = trimmed
                    ));
                }
                if n > u64::from(u16::MAX) {
                    return Err(crate::err!(
                        Invalid,
                        "recur.repeat_number_too",
                        trimmed = trimmed,
                        max = u16::MAX
                    ));
                }
                if n == 1 {
                    format!("FREQ={freq}")
                } else {
                    format!("FREQ={freq};INTERVAL={n}")
                }
            }
            _ => return Err(unknown()),
        };
        normalize_rule(trimmed, &rule).map(Recurrence::Periodic)
    }

    /// Read `--chain DURATION` ("7d", "2w", "1m", "+3d", "12h"): must be a positive number
    /// of days, weeks, months, years or hours.
    pub fn parse_chain(spec: &str) -> Result<Recurrence> {
        let trimmed = spec.trim();
        let span = parse_duration(trimmed).map_err(|e| {
            crate::err!(
                Invalid,
                "recur.chain_use_positive",
                trimmed = trimmed,
                reason = e.reason
            )
        })?;
        let n = match span {
            Span::Minutes(_) => {
                return Err(crate::err!(
                    Invalid,
                    "recur.chain_minutes_too",
                    trimmed = trimmed
                ))
            }
            Span::Hours(n) | Span::Days(n) | Span::Weeks(n) | Span::Months(n) | Span::Years(n) => n,
        };
        if n <= 0 {
            return Err(crate::err!(
                Invalid,
                "recur.chain_duration_must",
                trimmed = trimmed
            ));
        }
        Ok(Recurrence::Chained(span))
    }

    /// The stored text: the RRULE body, or "chain:7d" (the duration normalized, e.g. "chain:2w").
    pub fn to_stored(&self) -> String {
        match self {
            Recurrence::Periodic(rule) => rule.clone(),
            Recurrence::Chained(span) => format!("chain:{}", span_text(*span)),
        }
    }

    /// Read the stored text back (what [`to_stored`](Self::to_stored) wrote).
    pub fn from_stored(s: &str) -> Result<Recurrence> {
        let t = s.trim();
        match t.get(..6) {
            Some(p) if p.eq_ignore_ascii_case("chain:") => Recurrence::parse_chain(&t[6..]),
            _ => normalize_rule(t, t).map(Recurrence::Periodic),
        }
    }

    /// A short description for people: "every weekday", "monthly", "7 days after done",
    /// or the RRULE itself when there are no words for it.
    pub fn describe(&self) -> String {
        match self {
            Recurrence::Chained(span) => crate::tr!("recur.after_done", span = span_words(*span)),
            Recurrence::Periodic(rule) => describe_rule(rule),
        }
    }

    /// The due of the next occurrence, in the local time zone. See [`next_in`](Self::next_in).
    pub fn next(&self, due: When, done_at: NaiveDateTime) -> Result<Option<When>> {
        self.next_in(due, done_at, Tz::LOCAL)
    }

    /// The due of the next occurrence, with rules computed in the zone `tz`.
    ///
    /// Periodic: the first occurrence of the rule (started at `due`) strictly after `due`,
    /// at the same local wall-clock time across daylight-saving changes. A date-only due
    /// gives a date-only due (the first occurrence on a later date). `Ok(None)` when the
    /// rule has no further occurrence (COUNT or UNTIL reached).
    ///
    /// Chained: `done_at` + the span; a date-only due gives a date-only result (the done
    /// date + the span; for hours, the date of `done_at` + the hours).
    pub fn next_in(&self, due: When, done_at: NaiveDateTime, tz: Tz) -> Result<Option<When>> {
        Ok(self.advance_in(due, done_at, tz)?.map(|(when, _)| when))
    }

    /// The next occurrence and the recurrence the new task should carry: the same, except
    /// that a `COUNT` is lowered by one (so a rule with `COUNT=N` gives N tasks in all).
    /// `Ok(None)` when there is no next occurrence. Uses the local time zone.
    pub fn advance(&self, due: When, done_at: NaiveDateTime) -> Result<Option<(When, Recurrence)>> {
        self.advance_in(due, done_at, Tz::LOCAL)
    }

    /// [`advance`](Self::advance) with rules computed in the zone `tz`.
    pub fn advance_in(
        &self,
        due: When,
        done_at: NaiveDateTime,
        tz: Tz,
    ) -> Result<Option<(When, Recurrence)>> {
        match self {
            Recurrence::Chained(span) => {
                let next = match due {
                    When::DateTime(_) => span.add_to(When::DateTime(done_at))?,
                    When::Date(_) => match span {
                        Span::Hours(_) | Span::Minutes(_) => {
                            When::Date(span.add_to(When::DateTime(done_at))?.date())
                        }
                        _ => span.add_to(When::Date(done_at.date()))?,
                    },
                };
                Ok(Some((next, self.clone())))
            }
            Recurrence::Periodic(rule) => {
                let parts = RuleParts::split(rule, rule)?;
                if parts.count == Some(1) {
                    return Ok(None);
                }
                let Some(next) = next_periodic(rule, &parts, due, tz)? else {
                    return Ok(None);
                };
                let carried = match parts.count {
                    Some(n) => Recurrence::Periodic(parts.with_count(n - 1)),
                    None => self.clone(),
                };
                Ok(Some((next, carried)))
            }
        }
    }
}

/// The RRULE frequency for a unit word in "every N <unit>".
fn freq_word(unit: &str) -> Option<&'static str> {
    match unit {
        "day" | "days" => Some("DAILY"),
        "week" | "weeks" => Some("WEEKLY"),
        "month" | "months" => Some("MONTHLY"),
        "year" | "years" => Some("YEARLY"),
        _ => None,
    }
}

fn span_text(span: Span) -> String {
    match span {
        Span::Minutes(n) => format!("{n}min"),
        Span::Hours(n) => format!("{n}h"),
        Span::Days(n) => format!("{n}d"),
        Span::Weeks(n) => format!("{n}w"),
        Span::Months(n) => format!("{n}m"),
        Span::Years(n) => format!("{n}y"),
    }
}

fn span_words(span: Span) -> String {
    match span {
        Span::Minutes(n) => crate::plural!("recur.minutes", n),
        Span::Hours(n) => crate::plural!("recur.hours", n),
        Span::Days(n) => crate::plural!("recur.days", n),
        Span::Weeks(n) => crate::plural!("recur.weeks", n),
        Span::Months(n) => crate::plural!("recur.months", n),
        Span::Years(n) => crate::plural!("recur.years", n),
    }
}

/// An RRULE body split into what the rrule crate is given and what kith handles itself
/// (`COUNT` and `UNTIL`, which depend on where the chain of tasks is).
struct RuleParts {
    /// The rule without COUNT and UNTIL, in rrule's canonical order.
    core: String,
    count: Option<u32>,
    /// The UNTIL value as written, and what it means.
    until: Option<(String, Until)>,
}

#[derive(Clone, Copy)]
enum Until {
    /// A date: through the end of that day, local time.
    Date(NaiveDate),
    /// A local date and time.
    Local(NaiveDateTime),
    /// A moment in UTC (written with `Z`).
    Utc(DateTime<Utc>),
}

impl RuleParts {
    /// Check and split a rule. `spec` is what the user typed, for messages.
    fn split(spec: &str, text: &str) -> Result<RuleParts> {
        let bad = |why: String| crate::err!(Invalid, "recur.repeat_rule", spec = spec, why = why);
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if !compact.is_ascii() {
            return Err(bad(
                crate::tr!("recur.unexpected_characters_use").to_string()
            ));
        }
        if compact.contains("DTSTART") {
            return Err(bad(crate::tr!("recur.dtstart_allowed_task").to_string()));
        }
        let body = compact.strip_prefix("RRULE:").unwrap_or(&compact);
        if body.contains(':') {
            return Err(bad(crate::tr!("recur.give_only_rule").to_string()));
        }
        let mut count = None;
        let mut until = None;
        let mut rest = Vec::new();
        for part in body.split(';').filter(|p| !p.is_empty()) {
            let Some((key, value)) = part.split_once('=') else {
                return Err(bad(crate::tr!("recur.name_value_use", part = part)));
            };
            match key {
                "COUNT" if count.is_some() => {
                    return Err(bad(crate::tr!("recur.count_given_twice").to_string()))
                }
                "UNTIL" if until.is_some() => {
                    return Err(bad(crate::tr!("recur.until_given_twice").to_string()))
                }
                "COUNT" => {
                    let n: u32 =
                        value.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                            bad(crate::tr!("recur.count_use_whole", value = value))
                        })?;
                    count = Some(n);
                }
                "UNTIL" => {
                    let u = parse_until(value).ok_or_else(|| {
                        bad(crate::tr!("recur.until_use_yyyymmdd", value = value))
                    })?;
                    until = Some((value.to_string(), u));
                }
                _ => rest.push(part),
            }
        }
        if rest.is_empty() {
            return Err(bad(crate::tr!("recur.freq_missing_use").to_string()));
        }
        let core_text = rest.join(";");
        let rule = RRule::<Unvalidated>::from_str(&core_text).map_err(|e| {
            bad(crate::tr!(
                "recur.use_daily_weekdays",
                reason = plain_rrule_error(&e)
            ))
        })?;
        if matches!(
            rule.get_freq(),
            Frequency::Hourly | Frequency::Minutely | Frequency::Secondly
        ) {
            return Err(bad(crate::tr!("recur.tasks_repeat_most").to_string()));
        }
        let core = rule.to_string();
        // Check the rule is one the crate can run (it depends on the start only for the
        // time of day, which a noon start provides).
        let start = Tz::UTC
            .with_ymd_and_hms(2000, 1, 1, 12, 0, 0)
            .single()
            .ok_or_else(|| bad(crate::tr!("recur.internal_start").to_string()))?;
        rule.validate(start).map_err(|e| {
            bad(crate::tr!(
                "recur.use_daily_weekdays",
                reason = plain_rrule_error(&e)
            ))
        })?;
        Ok(RuleParts { core, count, until })
    }

    /// The normalized body: FREQ first, then UNTIL and COUNT, then the rest (rrule's order).
    fn text(&self, count: Option<u32>) -> String {
        let mut pieces: Vec<String> = self.core.split(';').map(str::to_string).collect();
        let mut at = 1.min(pieces.len());
        if let Some((raw, _)) = &self.until {
            pieces.insert(at, format!("UNTIL={raw}"));
            at += 1;
        }
        if let Some(n) = count {
            pieces.insert(at, format!("COUNT={n}"));
        }
        pieces.join(";")
    }

    fn with_count(&self, n: u32) -> String {
        self.text(Some(n))
    }
}

/// The message of an rrule error, without the crate's "RRule parsing error:" prefix.
fn plain_rrule_error(e: &rrule::RRuleError) -> String {
    let text = match e {
        rrule::RRuleError::ParserError(p) => p.to_string(),
        rrule::RRuleError::ValidationError(v) => v.to_string(),
        other => other.to_string(),
    };
    text.trim_end_matches('.').to_string()
}

/// Refuse a rule that never gives a date (`FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30`).
fn check_occurs(spec: &str, rule: &str) -> Result<()> {
    let parts = RuleParts::split(spec, rule)?;
    let core = RuleParts {
        core: parts.core.clone(),
        count: None,
        until: None,
    };
    let start = When::Date(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN));
    match next_periodic(spec, &core, start, Tz::UTC)? {
        Some(_) => Ok(()),
        None => Err(crate::err!(Invalid, "recur.repeat_rule_never", spec = spec)),
    }
}

fn parse_until(value: &str) -> Option<Until> {
    if let Some(v) = value.strip_suffix('Z') {
        let dt = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").ok()?;
        return Some(Until::Utc(Utc.from_utc_datetime(&dt)));
    }
    if value.contains('T') {
        return NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S")
            .ok()
            .map(Until::Local);
    }
    if value.len() != 8 {
        return None;
    }
    NaiveDate::parse_from_str(value, "%Y%m%d")
        .ok()
        .map(Until::Date)
}

/// Check a rule and give its normalized text.
fn normalize_rule(spec: &str, text: &str) -> Result<String> {
    let parts = RuleParts::split(spec, text)?;
    Ok(parts.text(parts.count))
}

/// A local wall-clock time in `tz`: the earlier of two when clocks go back, an hour later
/// when it falls in a gap when clocks go forward.
fn localize(tz: Tz, naive: NaiveDateTime) -> Result<DateTime<Tz>> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t),
        LocalResult::None => naive
            .checked_add_signed(TimeDelta::hours(1))
            .and_then(|later| tz.from_local_datetime(&later).earliest())
            .ok_or_else(|| {
                crate::err!(
                    Invalid,
                    "recur.does_exist_time",
                    naive = naive,
                    zone = tz.name()
                )
            }),
    }
}

fn end_of_day(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN))
}

fn next_periodic(spec: &str, parts: &RuleParts, due: When, tz: Tz) -> Result<Option<When>> {
    let (start_wall, date_only) = match due {
        // Noon, not midnight: some zones skip midnight when clocks go forward.
        When::Date(d) => (
            d.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN)),
            true,
        ),
        When::DateTime(dt) => (dt, false),
    };
    let start = localize(tz, start_wall)?;
    let mut rule = RRule::<Unvalidated>::from_str(&parts.core).map_err(|e| {
        crate::err!(
            Invalid,
            "recur.repeat_rule_rrule",
            spec = spec,
            reason = plain_rrule_error(&e)
        )
    })?;
    if let Some((_, until)) = parts.until {
        let wall = match until {
            Until::Date(d) => end_of_day(d),
            Until::Local(t) => t,
            Until::Utc(t) => t.with_timezone(&tz).naive_local(),
        };
        let wall = if date_only {
            end_of_day(wall.date())
        } else {
            wall
        };
        let until = localize(tz, wall)?.with_timezone(&Tz::UTC);
        if until <= start {
            return Ok(None);
        }
        rule = rule.until(until);
    }
    let set = rule
        .build(start)
        .map_err(|e| {
            crate::err!(
                Invalid,
                "recur.repeat_rule_rrule",
                spec = spec,
                reason = plain_rrule_error(&e)
            )
        })?
        .limit();
    let due_date = due.date();
    for occ in set.into_iter().take(SCAN_LIMIT) {
        let wall = occ.naive_local();
        if date_only {
            if wall.date() > due_date {
                return Ok(Some(When::Date(wall.date())));
            }
        } else if occ > start {
            return Ok(Some(When::DateTime(wall)));
        }
    }
    Ok(None)
}

fn describe_rule(rule: &str) -> String {
    let Ok(parts) = RuleParts::split(rule, rule) else {
        return rule.to_string();
    };
    let base = match parts.core.as_str() {
        "FREQ=DAILY" => Some(crate::tr!("recur.daily").to_string()),
        WEEKDAYS => Some(crate::tr!("recur.every_weekday").to_string()),
        "FREQ=WEEKLY" => Some(crate::tr!("recur.weekly").to_string()),
        "FREQ=MONTHLY" => Some(crate::tr!("recur.monthly").to_string()),
        "FREQ=YEARLY" => Some(crate::tr!("recur.yearly").to_string()),
        "FREQ=MONTHLY;BYMONTHDAY=-1" => Some(crate::tr!("recur.last_day_of_month").to_string()),
        core => core
            .strip_prefix("FREQ=")
            .and_then(|r| r.split_once(";INTERVAL="))
            .and_then(|(freq, n)| {
                let n: u16 = n.parse().ok()?;
                match freq {
                    "DAILY" => Some(crate::plural!("recur.every_days", n)),
                    "WEEKLY" => Some(crate::plural!("recur.every_weeks", n)),
                    "MONTHLY" => Some(crate::plural!("recur.every_months", n)),
                    "YEARLY" => Some(crate::plural!("recur.every_years", n)),
                    _ => None,
                }
            }),
    };
    let Some(mut text) = base else {
        return rule.to_string();
    };
    if let Some((_, until)) = parts.until {
        let shown = match until {
            Until::Date(d) => d.format("%Y-%m-%d").to_string(),
            Until::Local(t) => When::DateTime(t).to_iso(),
            Until::Utc(t) => t.format("%Y-%m-%dT%H:%MZ").to_string(),
        };
        text = crate::tr!("recur.until", rule = text, date = shown);
    }
    if let Some(n) = parts.count {
        text = crate::plural!("recur.times", n, rule = text);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dt(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, 0).unwrap()
    }

    fn stored(spec: &str) -> String {
        Recurrence::parse_repeat(spec).unwrap().to_stored()
    }

    fn utc() -> Tz {
        Tz::UTC
    }

    /// The next due in UTC (for rules where the zone does not matter).
    fn next(spec: &str, due: When) -> Option<When> {
        Recurrence::parse_repeat(spec)
            .unwrap()
            .next_in(due, dt(2000, 1, 1, 0, 0), utc())
            .unwrap()
    }

    fn next_date(spec: &str, due: NaiveDate) -> NaiveDate {
        match next(spec, When::Date(due)).unwrap() {
            When::Date(d) => d,
            other => panic!("expected a date, got {other:?}"),
        }
    }

    fn invalid_message(r: Result<Recurrence>) -> String {
        match r {
            Err(e) if e.kind() == crate::core::error::Kind::Invalid => {
                assert_eq!(e.exit_code(), 2);
                e.to_string()
            }
            other => panic!("expected an invalid-input error, got {other:?}"),
        }
    }

    #[test]
    fn words_parse_to_rules() {
        assert_eq!(stored("daily"), "FREQ=DAILY");
        assert_eq!(stored("every day"), "FREQ=DAILY");
        assert_eq!(stored("Weekdays"), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
        assert_eq!(stored("every weekday"), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
        assert_eq!(stored("weekly"), "FREQ=WEEKLY");
        assert_eq!(stored("every week"), "FREQ=WEEKLY");
        assert_eq!(stored("monthly"), "FREQ=MONTHLY");
        assert_eq!(stored("yearly"), "FREQ=YEARLY");
        assert_eq!(stored("  every   2 weeks "), "FREQ=WEEKLY;INTERVAL=2");
        assert_eq!(stored("every 3 days"), "FREQ=DAILY;INTERVAL=3");
        assert_eq!(stored("every 6 months"), "FREQ=MONTHLY;INTERVAL=6");
        assert_eq!(stored("every 2 years"), "FREQ=YEARLY;INTERVAL=2");
        assert_eq!(stored("every 1 days"), "FREQ=DAILY");
        assert_eq!(stored("every other week"), "FREQ=WEEKLY;INTERVAL=2");
    }

    #[test]
    fn rrules_are_normalized() {
        assert_eq!(
            stored("FREQ=MONTHLY;BYMONTHDAY=-1"),
            "FREQ=MONTHLY;BYMONTHDAY=-1"
        );
        assert_eq!(
            stored("rrule:freq=monthly;bymonthday=-1"),
            "FREQ=MONTHLY;BYMONTHDAY=-1"
        );
        assert_eq!(
            stored("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
        );
        assert_eq!(stored("INTERVAL=2;FREQ=WEEKLY"), "FREQ=WEEKLY;INTERVAL=2");
        assert_eq!(
            stored("FREQ=DAILY;COUNT=3;UNTIL=20261231"),
            "FREQ=DAILY;UNTIL=20261231;COUNT=3"
        );
        assert_eq!(
            stored("FREQ=WEEKLY;UNTIL=20261231T235959Z"),
            "FREQ=WEEKLY;UNTIL=20261231T235959Z"
        );
    }

    #[test]
    fn bad_repeats_are_explained() {
        let m = invalid_message(Recurrence::parse_repeat("every 0 days"));
        assert!(
            m.contains("every 0 days") && m.contains("at least 1"),
            "{m}"
        );
        let m = invalid_message(Recurrence::parse_repeat("every fortnight"));
        assert!(
            m.contains("every fortnight") && m.contains("weekdays"),
            "{m}"
        );
        let m = invalid_message(Recurrence::parse_repeat("sometimes"));
        assert!(m.contains("sometimes") && m.contains("FREQ="), "{m}");
        let m = invalid_message(Recurrence::parse_repeat("FREQ=SOMETIMES"));
        assert!(
            m.contains("FREQ=SOMETIMES") && m.contains("SOMETIMES"),
            "{m}"
        );
        let m = invalid_message(Recurrence::parse_repeat(
            "DTSTART:20260101T090000\nRRULE:FREQ=DAILY",
        ));
        assert!(m.contains("DTSTART is not allowed"), "{m}");
        let m = invalid_message(Recurrence::parse_repeat("FREQ=DAILY;DTSTART=20260101"));
        assert!(m.contains("DTSTART is not allowed"), "{m}");
        let m = invalid_message(Recurrence::parse_repeat("FREQ=HOURLY"));
        assert!(m.contains("at most daily"), "{m}");
        let m = invalid_message(Recurrence::parse_repeat("FREQ=DAILY;COUNT=0"));
        assert!(m.contains("COUNT=0"), "{m}");
        let m = invalid_message(Recurrence::parse_repeat("FREQ=DAILY;UNTIL=tomorrow"));
        assert!(m.contains("UNTIL=TOMORROW"), "{m}");
        let m = invalid_message(Recurrence::parse_repeat("BYDAY=MO"));
        assert!(m.contains("FREQ"), "{m}");
        let m = invalid_message(Recurrence::parse_repeat("FREQ=WEEKLY;BYDAY=XX"));
        assert!(m.contains("XX"), "{m}");
        let m = invalid_message(Recurrence::parse_repeat(""));
        assert!(m.contains("empty"), "{m}");
        let m = invalid_message(Recurrence::parse_repeat(
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        ));
        assert!(m.contains("never gives a date"), "{m}");
        let m = invalid_message(Recurrence::parse_repeat("FREQ=WEEKLY;BYSETPOS=400"));
        assert!(m.contains("BYSETPOS") && !m.contains(".;"), "{m}");
        assert!(Recurrence::parse_repeat("every 70000 days").is_err());
        assert!(Recurrence::parse_repeat("every -1 days").is_err());
    }

    #[test]
    fn chains_parse_and_normalize() {
        let c = |s: &str| Recurrence::parse_chain(s).unwrap().to_stored();
        assert_eq!(c("7d"), "chain:7d");
        assert_eq!(c("+3d"), "chain:3d");
        assert_eq!(c("2w"), "chain:2w");
        assert_eq!(c("2 weeks"), "chain:2w");
        assert_eq!(c("1m"), "chain:1m");
        assert_eq!(c("1y"), "chain:1y");
        assert_eq!(c("12h"), "chain:12h");
        for bad in ["0d", "-3d", "30min", "soon", "", "5"] {
            let m = invalid_message(Recurrence::parse_chain(bad));
            assert!(m.contains("chain") && m.contains("positive"), "{bad}: {m}");
        }
    }

    #[test]
    fn stored_text_round_trips() {
        for r in [
            Recurrence::parse_repeat("weekdays").unwrap(),
            Recurrence::parse_repeat("every 2 weeks").unwrap(),
            Recurrence::parse_repeat("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4").unwrap(),
            Recurrence::parse_repeat("FREQ=YEARLY;UNTIL=20300101").unwrap(),
            Recurrence::parse_chain("7d").unwrap(),
            Recurrence::parse_chain("2w").unwrap(),
            Recurrence::parse_chain("36h").unwrap(),
        ] {
            assert_eq!(Recurrence::from_stored(&r.to_stored()).unwrap(), r);
        }
        assert_eq!(
            Recurrence::from_stored("chain:7d").unwrap(),
            Recurrence::Chained(Span::Days(7))
        );
        assert_eq!(
            Recurrence::from_stored("FREQ=DAILY").unwrap(),
            Recurrence::Periodic("FREQ=DAILY".into())
        );
        assert!(Recurrence::from_stored("chain:soon").is_err());
        assert!(Recurrence::from_stored("nonsense").is_err());
    }

    #[test]
    fn descriptions() {
        let r = |s: &str| Recurrence::parse_repeat(s).unwrap().describe();
        assert_eq!(r("daily"), "daily");
        assert_eq!(r("weekdays"), "every weekday");
        assert_eq!(r("weekly"), "weekly");
        assert_eq!(r("monthly"), "monthly");
        assert_eq!(r("yearly"), "yearly");
        assert_eq!(r("every 2 weeks"), "every 2 weeks");
        assert_eq!(
            r("FREQ=MONTHLY;BYMONTHDAY=-1"),
            "on the last day of every month"
        );
        assert_eq!(r("FREQ=DAILY;COUNT=3"), "daily (3 times)");
        assert_eq!(r("FREQ=WEEKLY;UNTIL=20261231"), "weekly until 2026-12-31");
        assert_eq!(
            r("FREQ=MONTHLY;BYDAY=2TU"),
            "FREQ=MONTHLY;BYDAY=2TU",
            "no words for it: the rule itself"
        );
        let c = |s: &str| Recurrence::parse_chain(s).unwrap().describe();
        assert_eq!(c("7d"), "7 days after done");
        assert_eq!(c("1d"), "1 day after done");
        assert_eq!(c("2w"), "2 weeks after done");
        assert_eq!(c("1m"), "1 month after done");
        assert_eq!(c("12h"), "12 hours after done");
    }

    #[test]
    fn daily_weekly_and_weekdays() {
        // 2026-03-06 is a Friday.
        assert_eq!(next_date("daily", d(2026, 3, 6)), d(2026, 3, 7));
        assert_eq!(next_date("weekly", d(2026, 3, 6)), d(2026, 3, 13));
        assert_eq!(next_date("weekdays", d(2026, 3, 6)), d(2026, 3, 9));
        assert_eq!(next_date("weekdays", d(2026, 3, 9)), d(2026, 3, 10));
        // From a Saturday (not itself a weekday) the next is Monday.
        assert_eq!(next_date("weekdays", d(2026, 3, 7)), d(2026, 3, 9));
        assert_eq!(next_date("every 2 weeks", d(2026, 3, 6)), d(2026, 3, 20));
        assert_eq!(next_date("every 3 days", d(2026, 12, 30)), d(2027, 1, 2));
        assert_eq!(
            next("weekdays", When::DateTime(dt(2026, 3, 6, 9, 30))),
            Some(When::DateTime(dt(2026, 3, 9, 9, 30)))
        );
        assert_eq!(
            next("daily", When::DateTime(dt(2026, 3, 6, 23, 45))),
            Some(When::DateTime(dt(2026, 3, 7, 23, 45)))
        );
    }

    #[test]
    fn month_ends() {
        // RFC 5545: months without a 31st are skipped.
        assert_eq!(next_date("monthly", d(2026, 1, 31)), d(2026, 3, 31));
        assert_eq!(next_date("monthly", d(2026, 1, 15)), d(2026, 2, 15));
        // BYMONTHDAY=-1 is the last day of each month.
        let last = "FREQ=MONTHLY;BYMONTHDAY=-1";
        assert_eq!(next_date(last, d(2026, 1, 31)), d(2026, 2, 28));
        assert_eq!(next_date(last, d(2028, 1, 31)), d(2028, 2, 29));
        assert_eq!(next_date(last, d(2026, 2, 28)), d(2026, 3, 31));
        // Started mid-month, the first is the end of that month.
        assert_eq!(next_date(last, d(2026, 4, 10)), d(2026, 4, 30));
    }

    #[test]
    fn yearly_from_leap_day() {
        assert_eq!(next_date("yearly", d(2028, 2, 29)), d(2032, 2, 29));
        assert_eq!(next_date("yearly", d(2026, 7, 1)), d(2027, 7, 1));
    }

    #[test]
    fn count_and_until_end_the_rule() {
        let due = When::Date(d(2026, 3, 6));
        let done = dt(2026, 3, 6, 10, 0);
        assert_eq!(next("FREQ=DAILY;COUNT=1", due), None);
        let r = Recurrence::parse_repeat("FREQ=DAILY;COUNT=3").unwrap();
        let (w, r2) = r.advance_in(due, done, utc()).unwrap().unwrap();
        assert_eq!(w, When::Date(d(2026, 3, 7)));
        assert_eq!(r2.to_stored(), "FREQ=DAILY;COUNT=2");
        let (w, r3) = r2.advance_in(w, done, utc()).unwrap().unwrap();
        assert_eq!(w, When::Date(d(2026, 3, 8)));
        assert_eq!(r3.to_stored(), "FREQ=DAILY;COUNT=1");
        assert_eq!(r3.next_in(w, done, utc()).unwrap(), None);

        // UNTIL as a date includes that day.
        let until = "FREQ=DAILY;UNTIL=20260308";
        assert_eq!(next_date(until, d(2026, 3, 7)), d(2026, 3, 8));
        assert_eq!(next(until, When::Date(d(2026, 3, 8))), None);
        assert_eq!(next(until, When::Date(d(2026, 3, 20))), None);
        assert_eq!(
            next(until, When::DateTime(dt(2026, 3, 7, 9, 0))),
            Some(When::DateTime(dt(2026, 3, 8, 9, 0)))
        );
        assert_eq!(next(until, When::DateTime(dt(2026, 3, 8, 9, 0))), None);
        let until = "FREQ=WEEKLY;UNTIL=20260313T090000";
        assert_eq!(
            next(until, When::DateTime(dt(2026, 3, 6, 9, 0))),
            Some(When::DateTime(dt(2026, 3, 13, 9, 0)))
        );
        assert_eq!(next(until, When::DateTime(dt(2026, 3, 6, 9, 1))), None);
    }

    #[test]
    fn wall_clock_time_survives_daylight_saving() {
        // Europe/Berlin moves to summer time on 2026-03-29 and back on 2026-10-25.
        let berlin = Tz::Europe__Berlin;
        let weekly = Recurrence::parse_repeat("weekly").unwrap();
        let done = dt(2026, 3, 23, 10, 0);
        assert_eq!(
            weekly
                .next_in(When::DateTime(dt(2026, 3, 23, 9, 0)), done, berlin)
                .unwrap(),
            Some(When::DateTime(dt(2026, 3, 30, 9, 0)))
        );
        assert_eq!(
            weekly
                .next_in(When::DateTime(dt(2026, 10, 19, 9, 0)), done, berlin)
                .unwrap(),
            Some(When::DateTime(dt(2026, 10, 26, 9, 0)))
        );
        let daily = Recurrence::parse_repeat("daily").unwrap();
        assert_eq!(
            daily
                .next_in(When::DateTime(dt(2026, 3, 28, 9, 0)), done, berlin)
                .unwrap(),
            Some(When::DateTime(dt(2026, 3, 29, 9, 0)))
        );
        assert_eq!(
            daily
                .next_in(When::Date(d(2026, 3, 28)), done, berlin)
                .unwrap(),
            Some(When::Date(d(2026, 3, 29)))
        );
        // Santiago (Chile) skips midnight when clocks go forward (2026-09-06): date-only
        // dues still work.
        let santiago = Tz::America__Santiago;
        assert_eq!(
            daily
                .next_in(When::Date(d(2026, 9, 5)), done, santiago)
                .unwrap(),
            Some(When::Date(d(2026, 9, 6)))
        );
        assert_eq!(
            daily
                .next_in(When::Date(d(2026, 9, 6)), done, santiago)
                .unwrap(),
            Some(When::Date(d(2026, 9, 7)))
        );
    }

    #[test]
    fn chained_counts_from_done() {
        let week = Recurrence::parse_chain("7d").unwrap();
        assert_eq!(
            week.next_in(
                When::DateTime(dt(2026, 3, 1, 9, 0)),
                dt(2026, 3, 5, 14, 20),
                utc()
            )
            .unwrap(),
            Some(When::DateTime(dt(2026, 3, 12, 14, 20)))
        );
        assert_eq!(
            week.next_in(When::Date(d(2026, 3, 1)), dt(2026, 3, 5, 14, 20), utc())
                .unwrap(),
            Some(When::Date(d(2026, 3, 12)))
        );
        let month = Recurrence::parse_chain("1m").unwrap();
        assert_eq!(
            month
                .next_in(When::Date(d(2026, 1, 1)), dt(2026, 1, 31, 8, 0), utc())
                .unwrap(),
            Some(When::Date(d(2026, 2, 28)))
        );
        let hours = Recurrence::parse_chain("36h").unwrap();
        assert_eq!(
            hours
                .next_in(When::Date(d(2026, 3, 1)), dt(2026, 3, 2, 18, 0), utc())
                .unwrap(),
            Some(When::Date(d(2026, 3, 4)))
        );
        assert_eq!(
            hours
                .next_in(
                    When::DateTime(dt(2026, 3, 1, 9, 0)),
                    dt(2026, 3, 2, 18, 0),
                    utc()
                )
                .unwrap(),
            Some(When::DateTime(dt(2026, 3, 4, 6, 0)))
        );
        let (_, carried) = week
            .advance_in(When::Date(d(2026, 3, 1)), dt(2026, 3, 5, 14, 20), utc())
            .unwrap()
            .unwrap();
        assert_eq!(carried, week);
    }

    #[test]
    fn local_zone_entry_point_works() {
        let r = Recurrence::parse_repeat("weekly").unwrap();
        assert_eq!(
            r.next(When::Date(d(2026, 3, 6)), dt(2026, 3, 6, 9, 0))
                .unwrap(),
            Some(When::Date(d(2026, 3, 13)))
        );
    }

    proptest! {
        #[test]
        fn parsing_never_panics(s in "\\PC{0,40}") {
            let _ = Recurrence::parse_repeat(&s);
            let _ = Recurrence::parse_chain(&s);
            let _ = Recurrence::from_stored(&s);
        }

        #[test]
        fn rule_like_text_never_panics(
            s in "(RRULE:)?(FREQ|INTERVAL|COUNT|UNTIL|BYDAY|BYMONTHDAY|BYSETPOS|WKST)=[-0-9A-Za-z,]{0,12}(;(FREQ|INTERVAL|COUNT|UNTIL|BYDAY|BYMONTHDAY|BYSETPOS|BYMONTH)=[-0-9A-Za-z,]{0,12}){0,3}"
        ) {
            if let Ok(r) = Recurrence::parse_repeat(&s) {
                let _ = r.describe();
                prop_assert_eq!(Recurrence::from_stored(&r.to_stored()).unwrap(), r.clone());
                let _ = r.next_in(When::Date(NaiveDate::from_ymd_opt(2026, 3, 6).unwrap()),
                    NaiveDate::from_ymd_opt(2026, 3, 6).unwrap().and_hms_opt(9, 0, 0).unwrap(), Tz::UTC);
            }
        }
    }
}
