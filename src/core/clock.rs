//! The clock: the system's, read afresh each time it is asked (so a session of hours
//! stamps each change at its own minute, and "today" rolls over at midnight); or one
//! pinned by `--now` / `KITH_NOW` for scripts and tests, which never moves; or a manual
//! one that a test (or a simulation) sets and advances by hand.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};

use crate::core::dates::{parse_when, When};
use crate::core::error::Result;

/// Where a clock reads the time. Copy, so every holder of an environment reads the same
/// source: a manual clock's handle is shared by all its copies.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    source: Source,
}

#[derive(Debug, Clone, Copy)]
enum Source {
    /// The system's time, read at each call.
    System,
    /// One moment, always.
    Fixed(DateTime<Utc>),
    /// A moment set by hand (microseconds since the epoch), shared by every copy.
    Manual(&'static AtomicI64),
}

impl PartialEq for Clock {
    fn eq(&self, other: &Clock) -> bool {
        match (self.source, other.source) {
            (Source::System, Source::System) => true,
            (Source::Fixed(a), Source::Fixed(b)) => a == b,
            (Source::Manual(a), Source::Manual(b)) => std::ptr::eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Clock {}

/// The hand of a manual clock ([`Clock::manual`]): set it or move it on, and every copy of
/// the clock reads the new time.
#[derive(Debug, Clone, Copy)]
pub struct Hand {
    micros: &'static AtomicI64,
}

impl Hand {
    /// Set the clock to a moment.
    pub fn set(&self, utc: DateTime<Utc>) {
        self.micros.store(utc.timestamp_micros(), Ordering::SeqCst);
    }

    /// Set the clock to a local wall-clock time (the earliest, when it happens twice).
    pub fn set_local(&self, local: NaiveDateTime) {
        self.set(Clock::at_local(local).utc());
    }

    /// Move the clock on (or back, with a negative step).
    pub fn advance(&self, by: TimeDelta) {
        self.micros
            .fetch_add(by.num_microseconds().unwrap_or(i64::MAX), Ordering::SeqCst);
    }
}

impl Clock {
    /// The real time, read afresh each time the clock is asked.
    pub fn system() -> Clock {
        Clock {
            source: Source::System,
        }
    }

    /// A clock that shows `start` until its [`Hand`] moves it: for tests that drive a long
    /// session (across midnight) and for simulations. Each manual clock lives as long as
    /// the program (a few bytes).
    pub fn manual(start: DateTime<Utc>) -> (Clock, Hand) {
        let micros: &'static AtomicI64 =
            Box::leak(Box::new(AtomicI64::new(start.timestamp_micros())));
        (
            Clock {
                source: Source::Manual(micros),
            },
            Hand { micros },
        )
    }

    /// This clock's time now, as a clock that stays there (one write stamps every change
    /// it makes with the same moment).
    pub fn frozen(&self) -> Clock {
        Clock::at(self.utc())
    }

    /// Whether the clock stays at one moment (pinned, or frozen).
    pub fn is_fixed(&self) -> bool {
        matches!(self.source, Source::Fixed(_))
    }

    /// A fixed time: an RFC 3339 moment (`2026-11-22T09:30:00+08:00`), or any date word
    /// (`2026-11-22T09:30`, `2026-11-22`, `tomorrow 9am`) read as local time. A date alone
    /// means midnight.
    pub fn pinned(spec: &str) -> Result<Clock> {
        let spec = spec.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(spec) {
            return Ok(Clock::at(t.with_timezone(&Utc)));
        }
        let now = Local::now().naive_local();
        let local = match parse_when(spec, now)? {
            When::Date(d) => d.and_time(NaiveTime::MIN),
            When::DateTime(t) => t,
        };
        let utc = Local
            .from_local_datetime(&local)
            .earliest()
            .ok_or_else(|| crate::err!(Invalid, "clock.does_exist_local", spec = spec))?
            .with_timezone(&Utc);
        Ok(Clock::at(utc))
    }

    /// A fixed moment.
    pub fn at(utc: DateTime<Utc>) -> Clock {
        Clock {
            source: Source::Fixed(utc),
        }
    }

    /// A fixed local wall-clock time (the earliest, when a clock change makes it twice).
    pub fn at_local(local: NaiveDateTime) -> Clock {
        let utc = Local
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local));
        Clock::at(utc)
    }

    /// The moment in UTC: read now for the system's clock and a manual one.
    pub fn utc(&self) -> DateTime<Utc> {
        match self.source {
            Source::System => Utc::now(),
            Source::Fixed(t) => t,
            Source::Manual(m) => DateTime::from_timestamp_micros(m.load(Ordering::SeqCst))
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
        }
    }

    /// Local wall-clock time.
    pub fn now(&self) -> NaiveDateTime {
        self.utc().with_timezone(&Local).naive_local()
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date()
    }

    /// The moment as kith stores it in `created_at`, `updated_at` and the change log.
    pub fn stamp(&self) -> String {
        stamp(self.utc())
    }
}

/// A stamp as kith records it (`YYYY-MM-DDTHH:MM:SSZ`), read back.
pub fn parse_stamp(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A stamp as the local date-time kith compares local times with
/// (`YYYY-MM-DDTHH:MM:SS`: reminders' days, sweeps' horizons).
pub fn local_iso(stamp: &str) -> Option<String> {
    parse_stamp(stamp)
        .map(|t| crate::core::dates::iso_seconds(t.with_timezone(&Local).naive_local()))
}

/// `YYYY-MM-DDTHH:MM:SSZ`, the form of every time kith records itself.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_rfc3339_keeps_the_instant() {
        let c = Clock::pinned("2026-11-22T09:30:00+08:00").unwrap();
        assert_eq!(c.stamp(), "2026-11-22T01:30:00Z");
    }

    #[test]
    fn pinned_local_round_trips_to_local() {
        let c = Clock::pinned("2026-11-22T09:30").unwrap();
        assert_eq!(
            c.now(),
            NaiveDate::from_ymd_opt(2026, 11, 22)
                .unwrap()
                .and_hms_opt(9, 30, 0)
                .unwrap()
        );
        let d = Clock::pinned("2026-11-22").unwrap();
        assert_eq!(d.today(), NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    }

    #[test]
    fn the_system_clock_is_read_at_each_call() {
        let c = Clock::system();
        let first = c.utc();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(c.utc() > first, "the system clock moved on");
        assert!(!c.is_fixed());
        assert_eq!(c, Clock::system());
    }

    #[test]
    fn pinned_and_frozen_clocks_stay() {
        let c = Clock::pinned("2026-11-22T09:30:00+08:00").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert_eq!(c.stamp(), "2026-11-22T01:30:00Z");
        assert!(c.is_fixed());
        let f = Clock::system().frozen();
        let at = f.utc();
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert_eq!(f.utc(), at);
    }

    #[test]
    fn a_manual_clock_moves_every_copy() {
        let start = DateTime::parse_from_rfc3339("2026-11-22T23:59:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let (c, hand) = Clock::manual(start);
        let copy = c;
        assert_eq!(copy.stamp(), "2026-11-22T23:59:00Z");
        hand.advance(TimeDelta::minutes(2));
        assert_eq!(c.stamp(), "2026-11-23T00:01:00Z");
        assert_eq!(copy.stamp(), "2026-11-23T00:01:00Z");
        let frozen = c.frozen();
        hand.advance(TimeDelta::hours(1));
        assert_eq!(frozen.stamp(), "2026-11-23T00:01:00Z");
        assert_eq!(c.stamp(), "2026-11-23T01:01:00Z");
        assert_eq!(c, copy);
        assert_ne!(
            c,
            Clock::manual(start).0,
            "another manual clock is another clock"
        );
    }

    #[test]
    fn bad_pins_are_refused() {
        assert!(Clock::pinned("someday").is_err());
    }
}
