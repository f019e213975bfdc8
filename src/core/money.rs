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

/// Whether `n` percentage points is a rate kith keeps: from 0 to 100.
pub fn is_rate(n: Money) -> bool {
    !n.is_negative() && n <= Money::from_units(100)
}

/// A rate in percent as a person types it — `13%`, `13`, `6.5%`, `１３％` — in percentage
/// points from 0 to 100, exact to the ten-thousandth of a point (held as a [`Money`] of
/// points, stored as amounts are).
pub fn parse_percent(s: &str) -> Result<Money> {
    let t = s.trim();
    let bare = t
        .strip_suffix('%')
        .or_else(|| t.strip_suffix('％'))
        .unwrap_or(t)
        .trim();
    let n =
        Money::parse(bare).map_err(|_| crate::err!(Invalid, "money.percent_unreadable", t = t))?;
    if !is_rate(n) {
        return Err(crate::err!(Invalid, "money.percent_range", t = t));
    }
    Ok(n)
}

/// A quantity as a person types it — `3`, `2.5`, `1,000`, `１２` — not negative and exact to
/// four decimal places (held as a [`Money`] of units, stored as amounts are).
pub fn parse_quantity(s: &str) -> Result<Money> {
    let t = s.trim();
    let n =
        Money::parse(t).map_err(|_| crate::err!(Invalid, "money.quantity_unreadable", t = t))?;
    if n.is_negative() {
        return Err(crate::err!(Invalid, "money.quantity_negative", t = t));
    }
    if n > Money::MAX {
        return Err(crate::err!(Invalid, "money.quantity_too_large", t = t));
    }
    Ok(n)
}

/// Decimal places of a currency's minor unit (ISO 4217): 0 for yen and won, 3 for the
/// dinars of Bahrain, Kuwait, Jordan, Iraq, Libya, Tunisia and Oman's rial, else 2.
pub fn minor_places(currency: &str) -> u32 {
    match currency.to_ascii_uppercase().as_str() {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "PYG" | "UGX" | "XAF" | "XOF" | "KMF" | "RWF"
        | "DJF" | "GNF" | "VUV" | "XPF" | "BIF" => 0,
        "BHD" | "KWD" | "JOD" | "IQD" | "LYD" | "TND" | "OMR" => 3,
        _ => 2,
    }
}

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
    /// (negative amounts parse; callers that refuse them say so); Chinese amounts — `12万`,
    /// `1.2亿`, `3千`, `五十万`, `一百二十万`, `三千五百`, `一万二` (12,000), `1万5千` — and
    /// full-width digits (`１２万`): see [`crate::core::zh_number`]. Digits beyond the fourth
    /// place are rounded, half away from zero. Exponents (`1e3`) are read as a float would.
    /// A currency mark (`¥12万`, `12万元`) is refused: see [`Money::parse_marked`].
    pub fn parse(s: &str) -> Result<Money> {
        match Money::parse_marked(s)? {
            (m, None) => Ok(m),
            (_, Some(mark)) => Err(crate::err!(
                Invalid,
                "money.no_mark_here",
                t = s.trim(),
                mark = mark.text,
                bare = mark.amount
            )),
        }
    }

    /// [`Money::parse`], also taking a currency mark before or after the amount — `¥`, `￥`
    /// (CNY or JPY), `元`, `块`, `块钱`, `人民币` (CNY), `美元`, `美金` (USD), `港元`, `港币`
    /// (HKD), `欧元` (EUR), `日元` (JPY), `英镑` (GBP) — and handing back the mark, for the
    /// caller to hold against the currency the amount is in. The mark never sets it.
    pub fn parse_marked(s: &str) -> Result<(Money, Option<Mark>)> {
        let t = s.trim();
        match read_amount(t) {
            Ok(x) => Ok(x),
            Err(Unreadable::Error(e)) => Err(e),
            // A Chinese amount not read: the nearest form that is, when one is near.
            Err(Unreadable::Chinese) => {
                let near = crate::core::zh_number::nearest(t, |c| read_amount(c).is_ok());
                match near.and_then(|n| read_amount(&n).ok().map(|(m, _)| (n, m))) {
                    Some((near, m)) => Err(crate::err!(
                        Invalid,
                        "money.zh_nearest",
                        t = t,
                        near = near,
                        value = m.grouped()
                    )),
                    None => Err(crate::err!(Invalid, "money.zh_unreadable", t = t)),
                }
            }
        }
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
    /// Grouped with exactly `places` decimals, as a document writes an amount of a currency
    /// whose minor unit has that many (`1,528.80`; `1,529` for yen); rounded first.
    pub fn fixed(self, places: u32) -> String {
        let r = self.round_to(places);
        let (sign, int, _) = r.parts();
        let frac = format!("{:04}", r.0.unsigned_abs() % SCALE as u64);
        let mut out = format!("{sign}{}", group_digits(&int));
        if places > 0 {
            out.push('.');
            out.push_str(&frac[..places.min(PLACES) as usize]);
        }
        out
    }

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

    /// The amount as people read it in tables and the interface, in the way of showing
    /// amounts chosen for this run ([`set_amounts`]): `1,280,000`, or `128万`. Data files
    /// (JSON, CSV, TSV) never use it.
    pub fn shown(self) -> String {
        self.shown_as(amounts())
    }

    /// The amount shown as `how` says.
    pub fn shown_as(self, how: Amounts) -> String {
        match how {
            Amounts::Group => self.grouped(),
            Amounts::Wan => self.wan(),
        }
    }

    /// The amount in 万 and 亿, exactly: below 10,000 as [`Money::grouped`] (`8,600`,
    /// `9,999.5`); from 10,000 in 万 (`1万`, `128万`, `123.4567万`, `1.23456万` for
    /// 12,345.6); from 100,000,000 in 亿 (`1.2亿`, `1.23456789亿`). Every digit is kept
    /// (none rounded), trailing zeros dropped, so what is shown reads back as the same
    /// amount.
    pub fn wan(self) -> String {
        let a = u128::from(self.0.unsigned_abs());
        let scale = SCALE as u128;
        let (unit, word, width) = if a >= 100_000_000 * scale {
            (100_000_000 * scale, "亿", 12)
        } else if a >= 10_000 * scale {
            (10_000 * scale, "万", 8)
        } else {
            return self.grouped();
        };
        let sign = if self.0 < 0 { "-" } else { "" };
        let frac = format!("{:0width$}", a % unit);
        let frac = frac.trim_end_matches('0');
        // A count of 亿 past 9999 (a sum) has its thousands grouped.
        let int = (a / unit).to_string();
        let int = if int.len() > 4 {
            group_digits(&int)
        } else {
            int
        };
        if frac.is_empty() {
            format!("{sign}{int}{word}")
        } else {
            format!("{sign}{int}.{frac}{word}")
        }
    }

    /// The amount short enough to sit on a bar, in 万 and 亿 to three figures: `128万`,
    /// `35.5万`, `1.28亿`; below 10,000 the whole units (`8600`).
    pub fn short_wan(self) -> String {
        let a = u128::from(self.0.unsigned_abs());
        let scale = SCALE as u128;
        let sign = if self.0 < 0 { "-" } else { "" };
        // The amount in `unit`s to `d` places, rounded half away from zero.
        let round = |unit: u128, d: u32| {
            let p = 10u128.pow(d);
            (a * p + unit / 2) / unit
        };
        for (unit, word) in [(100_000_000 * scale, "亿"), (10_000 * scale, "万")] {
            if a * 1000 < unit * 999 {
                // Under 0.999 of the unit: the next unit down.
                continue;
            }
            let d = match round(unit, 0) {
                100.. => 0,
                10.. => 1,
                _ => 2,
            };
            let r = round(unit, d);
            let p = 10u128.pow(d);
            if word == "万" && r / p >= 10_000 {
                return format!("{sign}1亿");
            }
            let frac = format!("{:0w$}", r % p, w = d as usize);
            let frac = frac.trim_end_matches('0');
            return if frac.is_empty() {
                format!("{sign}{}{word}", r / p)
            } else {
                format!("{sign}{}.{frac}{word}", r / p)
            };
        }
        format!("{sign}{}", round(scale, 0))
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

/// How tables and the interface show amounts (`--amounts`, `amounts` in the
/// configuration): thousands grouped (`1,280,000`, the default) or in 万 and 亿 (`128万`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Amounts {
    #[default]
    Group,
    Wan,
}

impl Amounts {
    /// The names `--amounts` and the configuration take.
    pub const NAMES: [&'static str; 2] = ["group", "wan"];

    pub fn name(self) -> &'static str {
        match self {
            Amounts::Group => "group",
            Amounts::Wan => "wan",
        }
    }

    pub fn from_name(name: &str) -> Option<Amounts> {
        match name.trim().to_ascii_lowercase().as_str() {
            "group" => Some(Amounts::Group),
            "wan" => Some(Amounts::Wan),
            _ => None,
        }
    }

    /// [`Amounts::from_name`], or an error naming the word.
    pub fn parse(name: &str) -> Result<Amounts> {
        Amounts::from_name(name)
            .ok_or_else(|| crate::err!(Invalid, "money.amounts_unknown", name = name))
    }
}

/// How this run shows amounts: one setting for the process, as its language is.
static AMOUNTS: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Show amounts as `how` says from now on (the faces call it once, at start).
pub fn set_amounts(how: Amounts) {
    AMOUNTS.store(how as u8, std::sync::atomic::Ordering::Relaxed);
}

/// How amounts are shown in this run.
pub fn amounts() -> Amounts {
    match AMOUNTS.load(std::sync::atomic::Ordering::Relaxed) {
        1 => Amounts::Wan,
        _ => Amounts::Group,
    }
}

/// Digits with their thousands grouped: `1234567` → `1,234,567` (a count, the whole units
/// of an amount).
pub fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A currency written with an amount (`¥12万`, `12万元`, `5万美元`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The mark as typed: `¥`, `元`, `¥ 元` when there are two.
    pub text: String,
    /// The currencies it may stand for (`¥`: CNY or JPY).
    pub currencies: Vec<&'static str>,
    /// The amount as typed without its mark: `12万`.
    pub amount: String,
}

impl Mark {
    /// Whether the mark may stand for the currency `code`.
    pub fn allows(&self, code: &str) -> bool {
        self.currencies.iter().any(|c| c.eq_ignore_ascii_case(code))
    }
}

/// Marks before an amount, and the currencies each may stand for.
const PREFIXES: &[(&str, &[&str])] = &[("¥", &["CNY", "JPY"]), ("￥", &["CNY", "JPY"])];

/// Marks after an amount, longest first where one ends another (`美元` before `元`).
const SUFFIXES: &[(&str, &[&str])] = &[
    ("人民币", &["CNY"]),
    ("块钱", &["CNY"]),
    ("美元", &["USD"]),
    ("美金", &["USD"]),
    ("港元", &["HKD"]),
    ("港币", &["HKD"]),
    ("欧元", &["EUR"]),
    ("日元", &["JPY"]),
    ("英镑", &["GBP"]),
    ("元", &["CNY"]),
    ("块", &["CNY"]),
];

/// Why an amount was not read: a message, or a Chinese amount not read (for which the
/// nearest form is looked for).
enum Unreadable {
    Error(Error),
    Chinese,
}

impl From<Error> for Unreadable {
    fn from(e: Error) -> Unreadable {
        Unreadable::Error(e)
    }
}

/// Full-width ASCII (`１２，０００．５`) as ASCII, the ideographic space as a space.
pub(crate) fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

fn read_amount(t: &str) -> std::result::Result<(Money, Option<Mark>), Unreadable> {
    let norm = half_width(t);
    let mut body = norm.trim();
    // A sign before the mark (`-¥5`) or after it (`¥-5`).
    let mut sign = "";
    let take_sign = |body: &mut &str, sign: &mut &'static str| {
        if sign.is_empty() {
            if let Some(rest) = body.strip_prefix('-') {
                (*body, *sign) = (rest, "-");
            } else if let Some(rest) = body.strip_prefix('+') {
                (*body, *sign) = (rest, "+");
            }
        }
    };
    let mut marks: Vec<(&str, &[&str])> = Vec::new();
    take_sign(&mut body, &mut sign);
    if let Some(&(p, cs)) = PREFIXES.iter().find(|(p, _)| body.starts_with(p)) {
        marks.push((p, cs));
        body = body[p.len()..].trim_start();
        take_sign(&mut body, &mut sign);
    }
    if let Some(&(x, cs)) = SUFFIXES.iter().find(|(x, _)| body.ends_with(x)) {
        marks.push((x, cs));
        body = body[..body.len() - x.len()].trim_end();
    }
    let mark = match marks.as_slice() {
        [] => None,
        _ => {
            let text: Vec<&str> = marks.iter().map(|(m, _)| *m).collect();
            let currencies: Vec<&'static str> = marks[0]
                .1
                .iter()
                .filter(|c| marks.iter().all(|(_, cs)| cs.contains(c)))
                .copied()
                .collect();
            if currencies.is_empty() {
                return Err(crate::err!(Invalid, "money.two_currencies", t = t).into());
            }
            Some(Mark {
                text: text.join(" "),
                currencies,
                amount: format!("{sign}{body}"),
            })
        }
    };
    let money = if body.is_ascii() {
        parse_plain(&format!("{sign}{body}"), t)?
    } else {
        let digits: String = body.chars().filter(|c| *c != ',' && *c != '_').collect();
        let d = match crate::core::zh_number::read(&digits) {
            Ok(d) => d,
            Err(crate::core::zh_number::Unread::TooLarge) => return Err(too_large(t).into()),
            Err(crate::core::zh_number::Unread::NotANumber) => return Err(Unreadable::Chinese),
        };
        let minor = d
            .scaled(PLACES)
            .and_then(|m| i64::try_from(m).ok())
            .ok_or_else(|| too_large(t))?;
        Money(if sign == "-" { -minor } else { minor })
    };
    Ok((money, mark))
}

/// An amount in ASCII: `1,234.50`, `50k`, `1.2m`, `-3`, `1e3`; `t` is what was typed.
fn parse_plain(s: &str, t: &str) -> Result<Money> {
    let not_a_number = || crate::err!(Invalid, "money.not_a_number", t = t);
    let cleaned: String = s.chars().filter(|c| *c != ',' && *c != '_').collect();
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

    /// As text for people, each amount as [`Money::shown`]: `CNY 8万 · USD 12,000`.
    pub fn shown(&self) -> String {
        self.text_with(Money::shown)
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

    /// Chinese amounts, each worked out by hand: ten-thousandths of a unit.
    #[test]
    fn chinese_amounts_are_read_exactly() {
        for (typed, units) in [
            ("12万", 120_000),
            ("1.2万", 12_000),
            ("1.2亿", 120_000_000),
            ("3千", 3_000),
            ("3百", 300),
            ("十万", 100_000),
            ("五十万", 500_000),
            ("一百二十万", 1_200_000),
            ("三千五百", 3_500),
            ("一万二", 12_000),
            ("1万5千", 15_000),
            ("１２万", 120_000),
            ("１.２万", 12_000),
            ("１２０，０００", 120_000),
            ("-12万", -120_000),
            ("1,200万", 12_000_000),
            ("一亿二千万", 120_000_000),
            ("两千五百万", 25_000_000),
            ("壹拾贰万", 120_000),
            ("999.99999999亿", 99_999_999_999),
        ] {
            assert_eq!(m(typed), Money::from_units(units), "{typed}");
        }
        assert_eq!(m("1.23456万").minor(), 123_456_000, "12,345.6");
        assert_eq!(m("1.2345678万").minor(), 123_456_780, "12,345.678");
        // Past the fourth place, rounded half away from zero, as for 0.00005.
        assert_eq!(m("0.000000005万").minor(), 1);
        assert_eq!(m("0.000000004万").minor(), 0);
        assert_eq!(m("一点五万"), Money::from_units(15_000));
        assert_eq!(m("5k"), Money::from_units(5_000));
        assert_eq!(m("1.5m"), Money::from_units(1_500_000));
        assert_eq!(m("５k"), Money::from_units(5_000));
    }

    #[test]
    fn currency_marks_are_handed_back_never_taken_as_the_currency() {
        let marked = |s: &str| Money::parse_marked(s).unwrap();
        let (a, mark) = marked("¥12万");
        assert_eq!(a, Money::from_units(120_000));
        let mark = mark.unwrap();
        assert_eq!((mark.text.as_str(), mark.amount.as_str()), ("¥", "12万"));
        assert!(mark.allows("CNY") && mark.allows("jpy") && !mark.allows("USD"));
        let (a, mark) = marked("￥ 12万");
        assert_eq!(a, Money::from_units(120_000));
        assert_eq!(mark.unwrap().currencies, vec!["CNY", "JPY"]);
        for (typed, units, currencies) in [
            ("12万块", 120_000, vec!["CNY"]),
            ("3000块钱", 3_000, vec!["CNY"]),
            ("5万美元", 50_000, vec!["USD"]),
            ("¥12万元", 120_000, vec!["CNY"]),
            ("-¥5", -5, vec!["CNY", "JPY"]),
            ("¥-5", -5, vec!["CNY", "JPY"]),
            ("¥1,200", 1_200, vec!["CNY", "JPY"]),
        ] {
            let (a, mark) = marked(typed);
            assert_eq!(a, Money::from_units(units), "{typed}");
            assert_eq!(mark.unwrap().currencies, currencies, "{typed}");
        }
        assert_eq!(marked("12万").1, None);
        // ¥ and 美元 are two currencies.
        let e = Money::parse_marked("¥5美元").unwrap_err();
        assert_eq!(e.code(), "money.two_currencies");
        // Where no currency can be checked, a mark is refused, naming the bare amount.
        let e = Money::parse("¥12万").unwrap_err();
        assert_eq!(e.code(), "money.no_mark_here");
        assert_eq!(
            e.to_string(),
            "'¥12万': write the amount without ¥ here (12万)"
        );
    }

    #[test]
    fn an_unread_chinese_amount_names_the_nearest_form() {
        let e = |s: &str| Money::parse(s).unwrap_err();
        assert_eq!(
            e("五十万x").to_string(),
            "'五十万x' is not an amount kith can read; did you mean 五十万 (500,000)?"
        );
        assert_eq!(
            e("12万万").to_string(),
            "'12万万' is not an amount kith can read; did you mean 12万 (120,000)?"
        );
        assert_eq!(
            e("1.2.3万").to_string(),
            "'1.2.3万' is not an amount kith can read; did you mean 1.23万 (12,300)?"
        );
        assert_eq!(
            e("¥五十万x").to_string(),
            "'¥五十万x' is not an amount kith can read; did you mean ¥五十万 (500,000)?"
        );
        assert_eq!(
            e("一二三万").to_string(),
            "'一二三万' is not an amount kith can read; write it like 12万, 1.2亿, 三千五百 or 120000"
        );
        assert_eq!(e("五十万x").code(), "money.zh_nearest");
        assert_eq!(e("五十万x").exit_code(), 2);
        // Too large is said so, in Chinese as in digits.
        assert_eq!(m("1万亿"), Money::from_units(1_000_000_000_000));
        assert_eq!(e("1亿万亿").code(), "money.zh_nearest");
        assert_eq!(e("100000000万亿").code(), "money.too_large_amount");
        assert_eq!(
            e("99999999999999999999999999999999999999999万").code(),
            "money.too_large_amount"
        );
        // ASCII keeps its messages.
        assert_eq!(e("12x").code(), "money.not_a_number");
    }

    #[test]
    fn amounts_in_wan_are_exact() {
        let w = |s: &str| m(s).wan();
        assert_eq!(w("0"), "0");
        assert_eq!(w("8600"), "8,600");
        assert_eq!(w("9999.5"), "9,999.5");
        assert_eq!(w("10000"), "1万");
        assert_eq!(w("1280000"), "128万");
        assert_eq!(w("1200000"), "120万");
        assert_eq!(w("1234567"), "123.4567万");
        assert_eq!(w("12345.6"), "1.23456万");
        assert_eq!(w("350000.5"), "35.00005万");
        assert_eq!(w("99999999.99"), "9999.999999万");
        assert_eq!(w("100000000"), "1亿");
        assert_eq!(w("128000000"), "1.28亿");
        assert_eq!(w("123456789"), "1.23456789亿");
        assert_eq!(w("99999999999.99"), "999.9999999999亿");
        assert_eq!(w("-1280000"), "-128万");
        assert_eq!(Money::from_units(123_456_000_000_000).wan(), "1,234,560亿");
        assert_eq!(m("1280000").shown_as(Amounts::Group), "1,280,000");
        assert_eq!(m("1280000").shown_as(Amounts::Wan), "128万");
    }

    #[test]
    fn short_amounts_in_wan_for_bars() {
        let s = |units: i64| Money::from_units(units).short_wan();
        assert_eq!(s(0), "0");
        assert_eq!(s(8_600), "8600");
        assert_eq!(s(9_995), "1万");
        assert_eq!(s(12_345), "1.23万");
        assert_eq!(s(350_000), "35万");
        assert_eq!(s(355_000), "35.5万");
        assert_eq!(s(1_280_000), "128万");
        assert_eq!(s(99_000_000), "9900万");
        assert_eq!(s(99_990_000), "1亿");
        assert_eq!(s(128_000_000), "1.28亿");
        assert_eq!(s(-1_280_000), "-128万");
    }

    #[test]
    fn the_ways_of_showing_amounts_have_names() {
        assert_eq!(Amounts::from_name("wan"), Some(Amounts::Wan));
        assert_eq!(Amounts::from_name(" Group "), Some(Amounts::Group));
        assert_eq!(Amounts::from_name("万"), None);
        assert_eq!(
            Amounts::parse("wan2").unwrap_err().to_string(),
            "'wan2' is not a way of showing amounts; use group (1,280,000) or wan (128万)"
        );
        assert_eq!(Amounts::default(), Amounts::Group);
        for n in Amounts::NAMES {
            assert_eq!(Amounts::from_name(n).unwrap().name(), n);
        }
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(s in "\\PC{0,24}") {
            let _ = Money::parse(&s);
            let _ = Money::parse_marked(&s);
        }

        #[test]
        fn parsing_amount_soup_never_panics(s in "[-+¥￥0-9.,点零一二两三五十百千万亿元块美x ]{0,16}") {
            let _ = Money::parse_marked(&s);
        }

        /// What is shown in 万 reads back as the same amount.
        #[test]
        fn wan_reads_back_equal(minor in -Money::MAX.minor()..=Money::MAX.minor()) {
            let a = Money::from_minor(minor);
            proptest::prop_assert_eq!(Money::parse(&a.wan()).unwrap(), a, "{}", a.wan());
            proptest::prop_assert_eq!(Money::parse(&a.grouped()).unwrap(), a);
        }
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
    fn rates_in_percent() {
        let p = |s: &str| parse_percent(s).map(Money::minor);
        assert_eq!(p("13%").unwrap(), 130_000);
        assert_eq!(p(" 13 ").unwrap(), 130_000);
        assert_eq!(p("6.5%").unwrap(), 65_000);
        assert_eq!(p("１３％").unwrap(), 130_000);
        assert_eq!(p("0").unwrap(), 0);
        assert_eq!(p("100%").unwrap(), 1_000_000);
        assert!(p("100.01%").is_err());
        assert!(p("-1").is_err());
        assert!(p("%").is_err());
        assert!(p("thirteen").is_err());
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
