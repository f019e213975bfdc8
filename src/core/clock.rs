//! The clock: the system's, or one pinned by `--now` / `KITH_NOW` for scripts and tests.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::core::dates::{parse_when, When};
use crate::core::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    utc: DateTime<Utc>,
}

impl Clock {
    /// The real time.
    pub fn system() -> Clock {
        Clock { utc: Utc::now() }
    }

    /// A fixed time: an RFC 3339 moment (`2026-11-22T09:30:00+08:00`), or any date word
    /// (`2026-11-22T09:30`, `2026-11-22`, `tomorrow 9am`) read as local time. A date alone
    /// means midnight.
    pub fn pinned(spec: &str) -> Result<Clock> {
        let spec = spec.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(spec) {
            return Ok(Clock {
                utc: t.with_timezone(&Utc),
            });
        }
        let now = Local::now().naive_local();
        let local = match parse_when(spec, now)? {
            When::Date(d) => d.and_time(NaiveTime::MIN),
            When::DateTime(t) => t,
        };
        let utc = Local
            .from_local_datetime(&local)
            .earliest()
            .ok_or_else(|| {
                Error::invalid(format!("'{spec}' does not exist in the local time zone"))
            })?
            .with_timezone(&Utc);
        Ok(Clock { utc })
    }

    /// A fixed moment.
    pub fn at(utc: DateTime<Utc>) -> Clock {
        Clock { utc }
    }

    /// A fixed local wall-clock time (the earliest, when a clock change makes it twice).
    pub fn at_local(local: NaiveDateTime) -> Clock {
        let utc = Local
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local));
        Clock { utc }
    }

    /// The moment in UTC.
    pub fn utc(&self) -> DateTime<Utc> {
        self.utc
    }

    /// Local wall-clock time.
    pub fn now(&self) -> NaiveDateTime {
        self.utc.with_timezone(&Local).naive_local()
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date()
    }

    /// The moment as kith stores it in `created_at`, `updated_at` and the change log.
    pub fn stamp(&self) -> String {
        stamp(self.utc)
    }
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
    fn bad_pins_are_refused() {
        assert!(Clock::pinned("someday").is_err());
    }
}
