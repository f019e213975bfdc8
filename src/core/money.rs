//! Exact money: an amount is a whole number of ten-thousandths (minor units at a fixed
//! scale of four places), held in an `i64` and stored as an SQLite INTEGER, so sums,
//! comparisons and ordering are exact in Rust and in SQL alike (0.1 + 0.2 is 0.3).
//! Amounts of different currencies are never added: [`Totals`] keeps one sum per currency.

use std::fmt;

use serde_json::Value;

use crate::core::error::{Error, Result};

/// Minor units per unit: four decimal places.
pub const SCALE: i64 = 10_000;
/// Decimal places of [`SCALE`].
pub const PLACES: u32 = 4;

/// An exact amount of money, in ten-thousandths of its currency's unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);
    /// The largest amount accepted as input: 99,999,999,999.9999 (under 10^11 units: its
    /// minor units stay below 2^53, so JSON's float carries it exactly, and ninety thousand
    /// of them sum without overflowing).
    pub const MAX: Money = Money(100_000_000_000 * SCALE - 1);

    /// An amount from its minor units (ten-thousandths).
    pub const fn from_minor(minor: i64) -> Money {
        Money(minor)
    }

    /// Its minor units (ten-thousandths), as stored.
    pub const fn minor(self) -> i64 {
        self.0
    }

    /// A whole number of units.
    pub fn from_units(units: i64) -> Money {
        Money(units.saturating_mul(SCALE))
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The nearest amount to a float, rounded to the scale (None when not finite or too
    /// large). A float made by [`Money::to_f64`] comes back exactly.
    pub fn from_f64(f: f64) -> Option<Money> {
        let m = (f * SCALE as f64).round();
        (m.is_finite() && m.abs() < 9.0e18).then_some(Money(m as i64))
    }

    /// The amount as the nearest float: what JSON carries. Its shortest decimal text is the
    /// amount's exact text (below 2^53 minor units, about 900 billion units; see [`Money::MAX`]).
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }

    /// The amount as a JSON number (`1200` is written `1200.0`, as amounts always were).
    pub fn to_json(self) -> Value {
        Value::from(self.to_f64())
    }

    /// An amount from a JSON number (None for anything else).
    pub fn from_json(v: &Value) -> Option<Money> {
        match v {
            Value::Number(n) => match n.as_i64() {
                Some(i) => i.checked_mul(SCALE).map(Money),
                None => n.as_f64().and_then(Money::from_f64),
            },
            _ => None,
        }
    }

    /// Round to `places` decimal places (half away from zero).
    pub fn round_to(self, places: u32) -> Money {
        if places >= PLACES {
            return self;
        }
        let unit = 10_i64.pow(PLACES - places);
        let half = unit / 2;
        let r = if self.0 >= 0 {
            (self.0 + half) / unit
        } else {
            (self.0 - half) / unit
        };
        Money(r * unit)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// Parse what a person types: `1200`, `1,234.50`, `1_000`, `0.1`, `50k`, `1.2m`, `-3`
    /// (negative amounts parse; callers that refuse them say so). Digits beyond the fourth
    /// place are rounded, half away from zero. Exponents (`1e3`) are read as a float would.
    pub fn parse(s: &str) -> Result<Money> {
        let t = s.trim();
        let not_a_number = || crate::err!(Invalid, "money.not_a_number", t = t);
        let cleaned: String = t.chars().filter(|c| *c != ',' && *c != '_').collect();
        let (body, factor) = match cleaned.chars().last() {
            Some('k' | 'K') => (&cleaned[..cleaned.len() - 1], 3),
            Some('m' | 'M') => (&cleaned[..cleaned.len() - 1], 6),
            _ => (cleaned.as_str(), 0),
        };
        let (neg, digits) = match body.as_bytes().first() {
            Some(b'-') => (true, &body[1..]),
            Some(b'+') => (false, &body[1..]),
            _ => (false, body),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let plain = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !plain(int) || !plain(frac) {
            // Not plain decimal digits: what a float would read (1e3), else not a number.
            let f: f64 = body.parse().map_err(|_| not_a_number())?;
            let f = f * 10f64.powi(factor);
            if !f.is_finite() {
                return Err(crate::err!(Invalid, "money.finite_number", t = t));
            }
            return Money::from_f64(f).ok_or_else(|| too_large(t));
        }
        // All the digits as one integer of `frac.len() + factor` decimal places less.
        let int = int.trim_start_matches('0');
        let all: String = format!("{int}{frac}");
        let all = all.trim_start_matches('0');
        if all.len() > 30 {
            return Err(too_large(t));
        }
        let n: i128 = if all.is_empty() {
            0
        } else {
            all.parse().map_err(|_| not_a_number())?
        };
        // n × 10^(factor − frac.len()) units = n × 10^(factor + PLACES − frac.len()) minor.
        let shift = factor as i64 + PLACES as i64 - frac.len() as i64;
        let minor: i128 = if shift >= 0 {
            n.checked_mul(10_i128.pow(shift as u32))
                .ok_or_else(|| too_large(t))?
        } else {
            let unit = 10_i128.pow((-shift) as u32);
            (n + unit / 2) / unit
        };
        let minor = i64::try_from(minor).map_err(|_| too_large(t))?;
        Ok(Money(if neg { -minor } else { minor }))
    }

    /// The amount without grouping and without needless zeros: `1200`, `12.5`, `0.3`.
    pub fn plain(self) -> String {
        let (sign, int, frac) = self.parts();
        if frac.is_empty() {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac}")
        }
    }

    /// The amount with its thousands grouped: `1,234,567.5`.
    pub fn grouped(self) -> String {
        let (sign, int, frac) = self.parts();
        let mut out = String::from(sign);
        out.push_str(&group_digits(&int));
        if !frac.is_empty() {
            out.push('.');
            out.push_str(&frac);
        }
        out
    }

    /// Sign, whole units and the fraction's digits without trailing zeros.
    fn parts(self) -> (&'static str, String, String) {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let unit = SCALE as u64;
        let frac = format!("{:04}", a % unit);
        (
            sign,
            (a / unit).to_string(),
            frac.trim_end_matches('0').to_string(),
        )
    }
}

/// Digits with their thousands grouped: `1234567` → `1,234,567` (a count, the whole units
/// of an amount).
pub fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn too_large(t: &str) -> Error {
    crate::err!(Invalid, "money.too_large_amount", t = t)
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain())
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0.saturating_add(o.0))
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        *self = *self + o;
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0.saturating_sub(o.0))
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

/// Sums kept apart per currency: nothing adds CNY to USD. Listed by currency code, amounts
/// without a currency last.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// (currency code or None, sum), sorted by code with None last.
    sums: Vec<(Option<String>, Money)>,
}

impl Totals {
    pub fn new() -> Totals {
        Totals::default()
    }

    /// Add an amount in a currency (None: a deal with no currency).
    pub fn add(&mut self, currency: Option<&str>, amount: Money) {
        let key = |c: &Option<String>| (c.is_none(), c.clone());
        let wanted = (currency.is_none(), currency.map(str::to_string));
        match self.sums.binary_search_by(|(c, _)| key(c).cmp(&wanted)) {
            Ok(at) => self.sums[at].1 += amount,
            Err(at) => self.sums.insert(at, (currency.map(str::to_string), amount)),
        }
    }

    /// Add every sum of another.
    pub fn merge(&mut self, other: &Totals) {
        for (c, m) in &other.sums {
            self.add(c.as_deref(), *m);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.sums.is_empty()
    }

    pub fn len(&self) -> usize {
        self.sums.len()
    }

    /// The sums, by currency code (None last).
    pub fn iter(&self) -> impl Iterator<Item = (Option<&str>, Money)> {
        self.sums.iter().map(|(c, m)| (c.as_deref(), *m))
    }

    /// The sum in one currency (zero when there is none).
    pub fn get(&self, currency: Option<&str>) -> Money {
        self.iter()
            .find(|(c, _)| *c == currency)
            .map_or(Money::ZERO, |(_, m)| m)
    }

    /// The largest single sum (for scaling bars), zero when empty.
    pub fn largest(&self) -> Money {
        self.iter().map(|(_, m)| m).max().unwrap_or(Money::ZERO)
    }

    /// As text: `CNY 80,000 · USD 12,000`; an amount without a currency has no code; `0`
    /// when there is nothing.
    pub fn text(&self) -> String {
        self.text_with(Money::grouped)
    }

    /// As text with each amount written by `f`.
    pub fn text_with(&self, f: impl Fn(Money) -> String) -> String {
        if self.sums.is_empty() {
            return "0".into();
        }
        self.iter()
            .map(|(c, m)| match c {
                Some(c) => format!("{c} {}", f(m)),
                None => f(m),
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// As JSON: an object of currency code → amount (`{"CNY": 80000.0, "USD": 12000.0}`);
    /// amounts without a currency under `""`.
    pub fn to_json(&self) -> Value {
        Value::Object(
            self.iter()
                .map(|(c, m)| (c.unwrap_or("").to_string(), m.to_json()))
                .collect(),
        )
    }
}

/// Written as [`Totals::to_json`].
impl serde::Serialize for Totals {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(self.iter().map(|(c, m)| (c.unwrap_or(""), m.to_f64())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    #[test]
    fn a_tenth_and_two_tenths_are_three_tenths() {
        assert_eq!(m("0.1") + m("0.2"), m("0.3"));
        assert_eq!((m("0.1") + m("0.2")).plain(), "0.3");
        assert_eq!((m("0.1") + m("0.2")).to_json().to_string(), "0.3");
        // Floats do not: the reason for this type.
        assert_ne!(0.1 + 0.2, 0.3);
        let ten: Money = std::iter::repeat_n(m("0.1"), 10).sum();
        assert_eq!(ten, Money::from_units(1));
    }

    #[test]
    fn input_is_read_exactly() {
        assert_eq!(m("1,234.50").minor(), 12_345_000);
        assert_eq!(m("0.1").minor(), 1_000);
        assert_eq!(m("1200").minor(), 12_000_000);
        assert_eq!(m("1_000").minor(), 10_000_000);
        assert_eq!(m("50k"), Money::from_units(50_000));
        assert_eq!(m("1.2m"), Money::from_units(1_200_000));
        assert_eq!(m(".5").minor(), 5_000);
        assert_eq!(m("5.").minor(), 50_000);
        assert_eq!(m("-3"), Money::from_minor(-30_000));
        assert_eq!(
            m("0.00005").minor(),
            1,
            "half away from zero at the fifth place"
        );
        assert_eq!(m("0.00004").minor(), 0);
        assert_eq!(m("1e3"), Money::from_units(1000));
        assert_eq!(m(" 7 "), Money::from_units(7));
        for bad in ["", "abc", "1.2.3", "k", "12x", "--1", "1,2a"] {
            assert!(Money::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Money::parse("inf").is_err());
        assert!(Money::parse("99999999999999999999999").is_err());
    }

    #[test]
    fn amounts_print_without_float_artefacts() {
        assert_eq!(m("1234567.5").grouped(), "1,234,567.5");
        assert_eq!(m("999").grouped(), "999");
        assert_eq!(m("1000").grouped(), "1,000");
        assert_eq!(Money::ZERO.grouped(), "0");
        assert_eq!(m("0.07").plain(), "0.07");
        assert_eq!(m("1200").plain(), "1200");
        assert_eq!(m("-1234.5").grouped(), "-1,234.5");
        assert_eq!(m("1.2345").plain(), "1.2345");
        // JSON as amounts always were: whole amounts with ".0".
        assert_eq!(m("1412000").to_json().to_string(), "1412000.0");
        assert_eq!(m("19.99").to_json().to_string(), "19.99");
    }

    #[test]
    fn floats_and_json_come_back_exactly() {
        for s in ["0.1", "19.99", "1234567.89", "99999999999.9999", "0.0001"] {
            let a = m(s);
            assert_eq!(Money::from_f64(a.to_f64()), Some(a), "{s}");
            assert_eq!(Money::from_json(&a.to_json()), Some(a), "{s}");
        }
        assert_eq!(
            Money::from_json(&Value::from(5)),
            Some(Money::from_units(5))
        );
        assert_eq!(Money::from_json(&Value::from("5")), None);
        assert_eq!(Money::from_f64(f64::NAN), None);
    }

    #[test]
    fn rounding_to_cents() {
        assert_eq!(m("0.125").round_to(2), m("0.13"));
        assert_eq!(m("0.124").round_to(2), m("0.12"));
        assert_eq!(m("-0.125").round_to(2), m("-0.13"));
        assert_eq!(m("7").round_to(2), m("7"));
    }

    #[test]
    fn totals_keep_currencies_apart() {
        let mut t = Totals::new();
        assert_eq!(t.text(), "0");
        t.add(Some("USD"), m("12000"));
        t.add(Some("CNY"), m("50000"));
        t.add(None, m("5"));
        t.add(Some("USD"), m("0.5"));
        t.add(Some("CNY"), m("30000"));
        assert_eq!(t.text(), "CNY 80,000 · USD 12,000.5 · 5");
        assert_eq!(t.get(Some("USD")), m("12000.5"));
        assert_eq!(t.get(Some("EUR")), Money::ZERO);
        assert_eq!(t.largest(), m("80000"));
        assert_eq!(
            t.to_json().to_string(),
            r#"{"CNY":80000.0,"USD":12000.5,"":5.0}"#
        );
        let mut u = Totals::new();
        u.add(Some("EUR"), m("1"));
        u.merge(&t);
        assert_eq!(u.len(), 4);
        assert_eq!(u.text(), "CNY 80,000 · EUR 1 · USD 12,000.5 · 5");
    }
}
