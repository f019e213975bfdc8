//! Exchange rates (汇率), exact, and the conversion of an amount from one currency to
//! another with the rate in effect on a day.
//!
//! A [`Rate`] is how many units of one currency one unit of another is worth (1 USD = 7.12
//! CNY), a whole number of hundred-millionths (eight decimal places, enough for 1 CNY =
//! 0.13888889 USD) in an `i64`, stored as an SQLite INTEGER. Integers were chosen over a
//! decimal crate as [`Money`] was: the arithmetic is one multiplication or division in
//! `i128`, exact, with the one rounding at the end, and SQLite compares and orders the
//! stored values exactly.
//!
//! A conversion ([`times`], [`divided`], [`Book::convert`]) is worked out exactly and
//! rounded once, to the minor unit of the currency it is converted into
//! ([`crate::core::money::minor_places`]: cents, whole yen), half away from zero. Through
//! the inverse pair (only CNY→USD is known and USD is asked into CNY), the amount is divided
//! by that rate, not multiplied by a rounded inverse.
//!
//! A [`Book`] holds the rates set, by pair and day, and says which one is in effect on a
//! day: the latest set on or before it, of the pair or of its inverse.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::Value;

use crate::core::error::Result;
use crate::core::money::{minor_places, Money, PLACES, SCALE};

/// Hundred-millionths per unit: eight decimal places.
pub const RATE_SCALE: i64 = 100_000_000;
/// Decimal places of [`RATE_SCALE`].
pub const RATE_PLACES: u32 = 8;

/// An exchange rate: units of the currency converted into per unit of the currency
/// converted from, positive, in hundred-millionths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(i64);

impl Rate {
    /// The largest rate taken: 10,000,000 (its hundred-millionths stay below 2^53, so
    /// JSON's float carries every rate exactly).
    pub const MAX: Rate = Rate(10_000_000 * RATE_SCALE);

    /// A rate from its hundred-millionths, as stored (None unless positive).
    pub fn from_minor(minor: i64) -> Option<Rate> {
        (minor > 0).then_some(Rate(minor))
    }

    /// Its hundred-millionths, as stored.
    pub fn minor(self) -> i64 {
        self.0
    }

    /// Read a rate as a person types it: `7.12`, `0.138889`, `16,250`, full-width digits
    /// (`７．１２`). Positive, at most [`Rate::MAX`], and at most eight decimal places: a
    /// finer rate is refused, not rounded.
    pub fn parse(s: &str) -> Result<Rate> {
        let t = s.trim();
        let norm = crate::core::money::half_width(t);
        let cleaned: String = norm
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '_')
            .collect();
        let unreadable = || crate::err!(Invalid, "rates.unreadable", t = t);
        if cleaned.starts_with('-') {
            return Err(crate::err!(Invalid, "rates.not_positive", t = t));
        }
        let body = cleaned.strip_prefix('+').unwrap_or(&cleaned);
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
            return Err(unreadable());
        }
        if frac.len() > RATE_PLACES as usize {
            return Err(crate::err!(Invalid, "rates.too_fine", t = t));
        }
        let int = int.trim_start_matches('0');
        if int.len() > 12 {
            return Err(crate::err!(
                Invalid,
                "rates.too_large",
                t = t,
                max = Rate::MAX.plain()
            ));
        }
        let whole: i128 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| unreadable())?
        };
        let part: i128 = if frac.is_empty() {
            0
        } else {
            frac.parse::<i128>().map_err(|_| unreadable())?
                * 10_i128.pow(RATE_PLACES - frac.len() as u32)
        };
        let minor = whole * i128::from(RATE_SCALE) + part;
        if minor == 0 {
            return Err(crate::err!(Invalid, "rates.not_positive", t = t));
        }
        if minor > i128::from(Rate::MAX.0) {
            return Err(crate::err!(
                Invalid,
                "rates.too_large",
                t = t,
                max = Rate::MAX.plain()
            ));
        }
        Ok(Rate(minor as i64))
    }

    /// The rate without needless zeros: `7.12`, `0.13888889`, `16250`.
    pub fn plain(self) -> String {
        let int = self.0 / RATE_SCALE;
        let frac = format!("{:08}", self.0 % RATE_SCALE);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        }
    }

    /// The rate as a JSON number (`7.12`): below [`Rate::MAX`], the float's shortest text
    /// is the rate's exact text.
    pub fn to_json(self) -> Value {
        Value::from(self.0 as f64 / RATE_SCALE as f64)
    }

    /// A rate from a JSON number (None for anything else, or a rate not positive).
    pub fn from_json(v: &Value) -> Option<Rate> {
        let minor = match v {
            Value::Number(n) => match n.as_i64() {
                Some(i) => i.checked_mul(RATE_SCALE)?,
                None => {
                    let f = (n.as_f64()? * RATE_SCALE as f64).round();
                    if !f.is_finite() || f.abs() >= 9.0e18 {
                        return None;
                    }
                    f as i64
                }
            },
            _ => return None,
        };
        Rate::from_minor(minor)
    }
}

impl std::fmt::Display for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.plain())
    }
}

/// `n / d` rounded to a whole number, half away from zero (`d` positive).
fn div_round(n: i128, d: i128) -> i128 {
    let (q, r) = (n.abs() / d, n.abs() % d);
    let q = if 2 * r >= d { q + 1 } else { q };
    if n < 0 {
        -q
    } else {
        q
    }
}

/// `amount × num / den` units, rounded once to `places` decimal places (half away from
/// zero), as an amount; None when it does not fit.
fn scaled(amount: Money, num: i128, den: i128, places: u32) -> Option<Money> {
    let places = places.min(PLACES);
    // amount is in 10^-4 units: the result in 10^-places units is
    // amount × num × 10^places / (den × 10^4).
    let n = i128::from(amount.minor())
        .checked_mul(num)?
        .checked_mul(10_i128.pow(places))?;
    let d = den.checked_mul(i128::from(SCALE))?;
    let q = div_round(n, d);
    let minor = q.checked_mul(10_i128.pow(PLACES - places))?;
    i64::try_from(minor).ok().map(Money::from_minor)
}

/// `amount × rate`, rounded once to `places` decimal places (the minor unit of the
/// currency converted into), half away from zero. None when the result is too large.
pub fn times(amount: Money, rate: Rate, places: u32) -> Option<Money> {
    scaled(amount, i128::from(rate.0), i128::from(RATE_SCALE), places)
}

/// `amount / rate` (converting through the inverse pair), exactly, rounded once to
/// `places` decimal places, half away from zero. None when the result is too large.
pub fn divided(amount: Money, rate: Rate, places: u32) -> Option<Money> {
    scaled(amount, i128::from(RATE_SCALE), i128::from(rate.0), places)
}

/// The rate a conversion uses: the rate set, the day it was set for, and whether it is
/// the inverse pair's (to be divided by).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub rate: Rate,
    pub day: NaiveDate,
    pub inverse: bool,
}

impl Found {
    /// `amount` converted with this rate into a currency of `places` decimal places.
    pub fn apply(self, amount: Money, places: u32) -> Option<Money> {
        if self.inverse {
            divided(amount, self.rate, places)
        } else {
            times(amount, self.rate, places)
        }
    }
}

/// The rates set, by pair (from, to) and day: what [`Book::find`] and [`Book::convert`]
/// read. Currencies are upper-case codes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Book {
    /// Each pair's rates, by day ascending (one per day).
    pairs: HashMap<(String, String), Vec<(NaiveDate, Rate)>>,
}

impl Book {
    pub fn new() -> Book {
        Book::default()
    }

    /// Set the rate of `from` → `to` on `day` (replacing one set for that day).
    pub fn set(&mut self, from: &str, to: &str, day: NaiveDate, rate: Rate) {
        let days = self
            .pairs
            .entry((from.to_ascii_uppercase(), to.to_ascii_uppercase()))
            .or_default();
        match days.binary_search_by_key(&day, |(d, _)| *d) {
            Ok(at) => days[at].1 = rate,
            Err(at) => days.insert(at, (day, rate)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The latest rate of `from` → `to` set on or before `day`.
    fn latest(&self, from: &str, to: &str, day: NaiveDate) -> Option<(NaiveDate, Rate)> {
        let days = self.pairs.get(&(from.to_string(), to.to_string()))?;
        let after = days.partition_point(|(d, _)| *d <= day);
        after.checked_sub(1).map(|at| days[at])
    }

    /// The rate in effect for `from` → `to` on `day`: the latest set on or before it, of
    /// the pair itself or of its inverse (`to` → `from`, then divided by); when both were
    /// set on that latest day, the pair's own. None when neither has a rate by then.
    pub fn find(&self, from: &str, to: &str, day: NaiveDate) -> Option<Found> {
        let (from, to) = (from.to_ascii_uppercase(), to.to_ascii_uppercase());
        let direct = self.latest(&from, &to, day);
        let inverse = self.latest(&to, &from, day);
        let found = |(day, rate): (NaiveDate, Rate), inverse| Found { rate, day, inverse };
        match (direct, inverse) {
            (Some(d), Some(i)) if i.0 > d.0 => Some(found(i, true)),
            (Some(d), _) => Some(found(d, false)),
            (None, Some(i)) => Some(found(i, true)),
            (None, None) => None,
        }
    }

    /// `amount` in `from` converted into `to` with the rate in effect on `day`
    /// ([`Book::find`]), rounded once to `to`'s minor unit, half away from zero. The same
    /// currency gives the amount back as it is. Without a rate, an error naming the pair
    /// and the day, and how to set one (exit status 2).
    pub fn convert(&self, amount: Money, from: &str, to: &str, day: NaiveDate) -> Result<Money> {
        if from.eq_ignore_ascii_case(to) {
            return Ok(amount);
        }
        let (from, to) = (from.to_ascii_uppercase(), to.to_ascii_uppercase());
        let found = self.find(&from, &to, day).ok_or_else(|| {
            crate::err!(
                Invalid,
                "rates.missing",
                from = from,
                to = to,
                day = day.format("%Y-%m-%d")
            )
        })?;
        found.apply(amount, minor_places(&to)).ok_or_else(|| {
            crate::err!(
                Invalid,
                "rates.result_too_large",
                amount = amount.grouped(),
                from = from,
                to = to
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn r(s: &str) -> Rate {
        Rate::parse(s).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn rates_are_read_exactly_to_eight_places() {
        assert_eq!(r("7.12").minor(), 712_000_000);
        assert_eq!(r("0.13888889").minor(), 13_888_889);
        assert_eq!(r("16,250").minor(), 1_625_000_000_000);
        assert_eq!(r("７．１２"), r("7.12"));
        assert_eq!(r(" .5 ").plain(), "0.5");
        assert_eq!(r("7.1200").plain(), "7.12");
        assert_eq!(r("10000000").plain(), "10000000");
        assert_eq!(r("0.00000001").minor(), 1);
        for (bad, code) in [
            ("0", "rates.not_positive"),
            ("0.000", "rates.not_positive"),
            ("-7.12", "rates.not_positive"),
            ("0.000000001", "rates.too_fine"),
            ("10000000.00000001", "rates.too_large"),
            ("99999999999999999999", "rates.too_large"),
            ("7.1.2", "rates.unreadable"),
            ("abc", "rates.unreadable"),
            ("", "rates.unreadable"),
            ("1e3", "rates.unreadable"),
        ] {
            assert_eq!(Rate::parse(bad).unwrap_err().code(), code, "{bad}");
        }
    }

    #[test]
    fn rates_go_through_json_unchanged() {
        for s in [
            "7.12",
            "0.13888889",
            "16250",
            "0.00000001",
            "9999999.99999999",
        ] {
            let rate = r(s);
            let v = rate.to_json();
            assert_eq!(Rate::from_json(&v), Some(rate), "{s}");
            // JSON's own spelling of the same number.
            let text = match s {
                "16250" => "16250.0",
                "0.00000001" => "1e-8",
                s => s,
            };
            assert_eq!(v.to_string(), text);
        }
        assert_eq!(Rate::from_json(&Value::from(7)), Some(r("7")));
        assert_eq!(Rate::from_json(&Value::from(0)), None);
        assert_eq!(Rate::from_json(&Value::from("7.12")), None);
    }

    /// Worked by hand: each product exact, then rounded once to the target's minor unit.
    #[test]
    fn an_amount_times_a_rate_is_rounded_once_half_away_from_zero() {
        // 1,000 USD × 7.12 = 7,120 CNY.
        assert_eq!(times(m("1000"), r("7.12"), 2), Some(m("7120")));
        // 0.07 × 7.12 = 0.4984 → 0.50.
        assert_eq!(times(m("0.07"), r("7.12"), 2), Some(m("0.5")));
        // 12.34 × 0.13888889 = 1.7138889026 → 1.71.
        assert_eq!(times(m("12.34"), r("0.13888889"), 2), Some(m("1.71")));
        // Exactly half a cent goes away from zero: 0.25 × 0.1 = 0.025 → 0.03; -0.025 → -0.03.
        assert_eq!(times(m("0.25"), r("0.1"), 2), Some(m("0.03")));
        assert_eq!(times(m("-0.25"), r("0.1"), 2), Some(m("-0.03")));
        // Whole yen: 100 USD × 151.235 = 15,123.5 → 15,124.
        assert_eq!(times(m("100"), r("151.235"), 0), Some(m("15124")));
        // Three places for dinars: 100 USD × 0.30712345 = 30.712345 → 30.712.
        assert_eq!(times(m("100"), r("0.30712345"), 3), Some(m("30.712")));
        // The largest amount at the largest rate does not fit an amount.
        assert_eq!(times(Money::MAX, Rate::MAX, 2), None);
    }

    /// Through the inverse pair the amount is divided by the rate, exactly.
    #[test]
    fn an_amount_divided_by_a_rate_is_rounded_once() {
        // 7,120 CNY / 7.12 = 1,000 USD.
        assert_eq!(divided(m("7120"), r("7.12"), 2), Some(m("1000")));
        // 100 CNY / 7.12 = 14.04494382… → 14.04 (a rounded inverse, 0.14045, gives 14.05).
        assert_eq!(divided(m("100"), r("7.12"), 2), Some(m("14.04")));
        assert_eq!(times(m("100"), r("0.14045"), 2), Some(m("14.05")));
        // 1 CNY / 7.2 = 0.13888… → 0.14; 0.25 / 10 = 0.025 → 0.03.
        assert_eq!(divided(m("1"), r("7.2"), 2), Some(m("0.14")));
        assert_eq!(divided(m("0.25"), r("10"), 2), Some(m("0.03")));
        assert_eq!(divided(m("-0.25"), r("10"), 2), Some(m("-0.03")));
        // 10,000 JPY / 0.04878 = 205,002.05… CNY → 205,002.05.
        assert_eq!(divided(m("10000"), r("0.04878"), 2), Some(m("205002.05")));
        assert_eq!(divided(Money::MAX, r("0.00000001"), 2), None);
    }

    #[test]
    fn the_rate_in_effect_is_the_latest_on_or_before_the_day() {
        let mut b = Book::new();
        b.set("USD", "CNY", d("2026-01-01"), r("7.30"));
        b.set("usd", "cny", d("2026-03-01"), r("7.12"));
        b.set("USD", "CNY", d("2026-06-01"), r("7.20"));
        let on = |day: &str| b.find("USD", "CNY", d(day));
        assert_eq!(on("2025-12-31"), None);
        assert_eq!(on("2026-01-01").unwrap().rate, r("7.30"));
        assert_eq!(on("2026-02-28").unwrap().rate, r("7.30"));
        assert_eq!(on("2026-03-01").unwrap().rate, r("7.12"));
        let may = on("2026-05-31").unwrap();
        assert_eq!(
            (may.rate, may.day, may.inverse),
            (r("7.12"), d("2026-03-01"), false)
        );
        assert_eq!(on("2030-01-01").unwrap().rate, r("7.20"));
        // Set again for a day: replaced.
        b.set("USD", "CNY", d("2026-03-01"), r("7.10"));
        assert_eq!(
            b.convert(m("100"), "USD", "CNY", d("2026-03-02")).unwrap(),
            m("710")
        );
        // The other way: through the inverse, divided.
        let back = b.find("CNY", "USD", d("2026-03-02")).unwrap();
        assert!(back.inverse);
        assert_eq!(
            b.convert(m("710"), "CNY", "USD", d("2026-03-02")).unwrap(),
            m("100")
        );
        // 100 CNY / 7.20 = 13.888… → 13.89.
        assert_eq!(
            b.convert(m("100"), "cny", "usd", d("2026-07-01")).unwrap(),
            m("13.89")
        );
    }

    #[test]
    fn the_later_of_a_pair_and_its_inverse_is_in_effect() {
        let mut b = Book::new();
        b.set("USD", "CNY", d("2026-01-01"), r("7.30"));
        b.set("CNY", "USD", d("2026-02-01"), r("0.125"));
        // From February the inverse was set later: 100 USD / 0.125 = 800 CNY.
        assert_eq!(
            b.convert(m("100"), "USD", "CNY", d("2026-01-31")).unwrap(),
            m("730")
        );
        assert_eq!(
            b.convert(m("100"), "USD", "CNY", d("2026-02-01")).unwrap(),
            m("800")
        );
        // Both on one day: the pair's own.
        b.set("USD", "CNY", d("2026-02-01"), r("8.1"));
        assert_eq!(
            b.convert(m("100"), "USD", "CNY", d("2026-02-01")).unwrap(),
            m("810")
        );
    }

    #[test]
    fn a_missing_rate_names_the_pair_and_the_day() {
        let mut b = Book::new();
        b.set("USD", "CNY", d("2026-03-01"), r("7.12"));
        // The same currency needs no rate and is not rounded.
        assert_eq!(
            b.convert(m("0.1234"), "CNY", "cny", d("2020-01-01"))
                .unwrap(),
            m("0.1234")
        );
        let e = b
            .convert(m("5"), "USD", "CNY", d("2026-02-28"))
            .unwrap_err();
        assert_eq!((e.code(), e.exit_code()), ("rates.missing", 2));
        assert_eq!(
            e.to_string(),
            "no exchange rate USD→CNY on or before 2026-02-28: set one with \
             kith rate set USD CNY RATE --on 2026-02-28"
        );
        let e = b
            .convert(m("5"), "EUR", "CNY", d("2026-04-01"))
            .unwrap_err();
        assert_eq!(e.arg("from"), Some("EUR"));
        assert_eq!(e.arg("day"), Some("2026-04-01"));
    }
}
