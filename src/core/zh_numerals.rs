//! Chinese numerals as people write whole numbers: `三`, `十一`, `二十五`, `一百零五`,
//! `两千`, `三千五`, `一万二`, `一亿零五百万`, `壹佰贰拾`.
//!
//! [`parse_zh_int`] reads one whole string; [`zh_int_prefix`] reads the longest numeral a
//! string starts with (how the date words read `3天后`, `二十号`, `十点半`).
//!
//! What is read:
//! - digits `零`/`〇` `一` `二` `三` … `九`, `两` for 2 before `百`, `千`, `万`, `亿` or alone
//!   (`两千`, `两万`, `两`), and the financial capitals `壹贰叁肆伍陆柒捌玖拾佰仟` and the
//!   traditional `萬` `億` `兩`;
//! - the units `十` `百` `千` within a group of four digits, `万` (10⁴) and `亿` (10⁸) between
//!   groups, `万亿` for 10¹²; up to 10¹⁶ − 1;
//! - `十` alone for 10 at the start of a number (`十`, `十五`, `十万`), `一十` anywhere;
//! - `零` where positions are skipped, as written: `一百零五` (105), `一千零一十` (1010),
//!   `一万零五百` (10500); a `零` that skips nothing (`一千零五百`) or ends a number is refused;
//! - the spoken short form, a last digit standing for the next lower unit: `一百二` (120),
//!   `三千五` (3500), `一万二` (12000), `一亿五` (150000000); after `零` a digit is ones
//!   (`一百零二` is 102);
//! - Arabic digits alone (`25`) or before `万`/`亿` (`3万`, `12万`, `1万2千`).
//!
//! Anything else is `None`: a position skipped without `零` (`一千五十`), digits in a row
//! (`二二`, `五一`: digit-by-digit readings such as years are not numbers here), units out of
//! order (`一百一千`), a unit without a digit in the middle (`一百十`).

/// One character of a numeral.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sym {
    /// 1–9; `true` for `两`.
    Digit(u64, bool),
    Zero,
    /// `十` `百` `千`: the power of ten, 1–3.
    Unit(u32),
    Wan,
    Yi,
    Ascii(u8),
}

/// A character of a numeral, from the characters the amounts' reader knows
/// ([`crate::core::zh_number`]), 两 told apart.
fn sym(c: char) -> Option<Sym> {
    use crate::core::zh_number::{chinese_digit, unit_power};
    if let Some(d) = chinese_digit(c) {
        return Some(match d {
            0 => Sym::Zero,
            d => Sym::Digit(d as u64, matches!(c, '两' | '兩')),
        });
    }
    if c.is_ascii_digit() {
        return Some(Sym::Ascii(c as u8 - b'0'));
    }
    Some(match unit_power(c)? {
        4 => Sym::Wan,
        8 => Sym::Yi,
        p => Sym::Unit(p),
    })
}

/// Whether `c` can be part of a numeral.
pub fn is_numeral_char(c: char) -> bool {
    sym(c).is_some()
}

/// The whole number `s` writes in Chinese numerals (or Arabic digits), or `None`. Surrounding
/// spaces are ignored. See the module documentation for what is read.
pub fn parse_zh_int(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let syms: Vec<Sym> = s.chars().map(sym).collect::<Option<_>>()?;
    number(&syms)
}

/// The longest numeral `s` starts with, and what follows it: `("二十五", "号")` gives
/// `(25, "号")`. `None` when `s` does not start with a numeral.
pub fn zh_int_prefix(s: &str) -> Option<(u64, &str)> {
    // The characters that could belong to it, at most 32 (no number kith reads is longer).
    let ends: Vec<usize> = s
        .char_indices()
        .take_while(|&(_, c)| is_numeral_char(c))
        .take(32)
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    ends.iter()
        .rev()
        .find_map(|&end| parse_zh_int(&s[..end]).map(|n| (n, &s[end..])))
}

fn ascii_value(syms: &[Sym], max_digits: usize) -> Option<u64> {
    if syms.is_empty() || syms.len() > max_digits {
        return None;
    }
    let n = syms.iter().try_fold(0u64, |n, s| match s {
        Sym::Ascii(d) => Some(n * 10 + u64::from(*d)),
        _ => None,
    })?;
    (n > 0).then_some(n)
}

fn number(syms: &[Sym]) -> Option<u64> {
    if syms == [Sym::Zero] {
        return Some(0);
    }
    let mut yis = syms.iter().enumerate().filter(|(_, s)| **s == Sym::Yi);
    match (yis.next(), yis.next()) {
        (None, _) => below_yi(syms, true, true),
        (Some((p, _)), None) => {
            let (left, right) = (&syms[..p], &syms[p + 1..]);
            let hi = ascii_value(left, 8).or_else(|| below_yi(left, true, false))?;
            let lo = tail(right, 100_000_000, true, |r| below_yi(r, false, true))?;
            Some(hi * 100_000_000 + lo)
        }
        _ => None,
    }
}

/// A number below 10⁸ (nonzero): groups around one `万`.
fn below_yi(syms: &[Sym], start: bool, abbrev: bool) -> Option<u64> {
    if syms.contains(&Sym::Yi) {
        return None;
    }
    let mut wans = syms.iter().enumerate().filter(|(_, s)| **s == Sym::Wan);
    match (wans.next(), wans.next()) {
        (None, _) => section(syms, start, abbrev),
        (Some((p, _)), None) => {
            let (left, right) = (&syms[..p], &syms[p + 1..]);
            let hi = ascii_value(left, 4).or_else(|| section(left, start, false))?;
            let lo = tail(right, 10_000, abbrev, |r| section(r, false, abbrev))?;
            Some(hi * 10_000 + lo)
        }
        _ => None,
    }
}

/// What follows `万` or `亿` (`mag`): nothing, `零` and a number below a tenth of `mag`, a
/// lone digit (the short form: a tenth of `mag` times it), or a number with the top position.
fn tail(r: &[Sym], mag: u64, abbrev: bool, inner: impl Fn(&[Sym]) -> Option<u64>) -> Option<u64> {
    match r {
        [] => Some(0),
        [Sym::Zero, rest @ ..] => inner(rest).filter(|&v| v < mag / 10),
        [Sym::Digit(d, false)] if abbrev => Some(d * mag / 10),
        [Sym::Ascii(d @ 1..=9)] if abbrev => Some(u64::from(*d) * mag / 10),
        _ => inner(r).filter(|&v| v >= mag / 10),
    }
}

/// A digit 1–9 (an Arabic one too), and whether it is `两`.
fn digit(s: Sym) -> Option<(u64, bool)> {
    match s {
        Sym::Digit(d, liang) => Some((d, liang)),
        Sym::Ascii(d @ 1..=9) => Some((u64::from(d), false)),
        _ => None,
    }
}

/// A group of four digits, 1–9999, written with `千` `百` `十` (and `零`).
fn section(syms: &[Sym], start: bool, abbrev: bool) -> Option<u64> {
    let mut value = 0u64;
    let mut last: Option<u32> = None;
    let mut zero = false;
    let mut i = 0;
    while i < syms.len() {
        let (d, pos) = match syms[i] {
            Sym::Zero => {
                if last.is_none() || zero {
                    return None;
                }
                zero = true;
                i += 1;
                continue;
            }
            Sym::Unit(1) if start && i == 0 => {
                i += 1;
                (1, 1)
            }
            other => {
                let (d, liang) = digit(other)?;
                match syms.get(i + 1) {
                    Some(Sym::Unit(p)) => {
                        if liang && *p == 1 {
                            return None;
                        }
                        i += 2;
                        (d, *p)
                    }
                    Some(_) => return None,
                    None => {
                        if liang && syms.len() != 1 {
                            return None;
                        }
                        i += 1;
                        let pos = match last {
                            None | Some(1) => 0,
                            Some(_) if zero => 0,
                            Some(lp) if abbrev => lp - 1,
                            Some(_) => return None,
                        };
                        (d, pos)
                    }
                }
            }
        };
        if let Some(lp) = last {
            let fits = if zero { pos + 1 < lp } else { pos + 1 == lp };
            if !fits {
                return None;
            }
        }
        value += d * 10u64.pow(pos);
        last = Some(pos);
        zero = false;
    }
    if zero {
        return None;
    }
    last.map(|_| value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

    /// A group below 10⁴ as written, `first` when it opens the number (then 10–19 is `十…`).
    fn fmt_section(n: u64, first: bool) -> String {
        let ds = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
        let units = ["千", "百", "十", ""];
        let mut out = String::new();
        let mut gap = false;
        for (i, &d) in ds.iter().enumerate() {
            if d == 0 {
                gap = !out.is_empty();
                continue;
            }
            if gap {
                out.push('零');
                gap = false;
            }
            if !(first && out.is_empty() && i == 2 && d == 1) {
                out.push_str(DIGITS[d as usize]);
            }
            out.push_str(units[i]);
        }
        out
    }

    fn fmt_below_yi(n: u64, first: bool) -> String {
        let (hi, lo) = (n / 10_000, n % 10_000);
        if hi == 0 {
            return fmt_section(lo, first);
        }
        let mut s = fmt_section(hi, first) + "万";
        if lo > 0 {
            if lo < 1000 {
                s.push('零');
            }
            s += &fmt_section(lo, false);
        }
        s
    }

    /// The reference: how a number is written in full, by the school rules.
    fn fmt_zh(n: u64) -> String {
        if n == 0 {
            return "零".into();
        }
        let (hi, lo) = (n / 100_000_000, n % 100_000_000);
        if hi == 0 {
            return fmt_below_yi(lo, true);
        }
        let mut s = fmt_below_yi(hi, true) + "亿";
        if lo > 0 {
            if lo < 10_000_000 {
                s.push('零');
            }
            s += &fmt_below_yi(lo, false);
        }
        s
    }

    /// The written-in-full form of a spelling the reader takes: `两` as `二`, a leading
    /// `一十` as `十`, a short last digit given its unit.
    fn canonical(s: &str) -> String {
        let mut t = s.replace('两', "二");
        if let Some(rest) = t.strip_prefix("一十") {
            t = format!("十{rest}");
        }
        let cs: Vec<char> = t.chars().collect();
        if let [.., unit, d] = cs.as_slice() {
            if DIGITS[1..].iter().any(|x| x.starts_with(*d)) {
                match unit {
                    '百' => t.push('十'),
                    '千' => t.push('百'),
                    '万' => t.push('千'),
                    '亿' => t.push_str("千万"),
                    _ => {}
                }
            }
        }
        t
    }

    #[test]
    fn the_forms_the_issue_names() {
        for (s, n) in [
            ("三", 3),
            ("十", 10),
            ("十一", 11),
            ("二十", 20),
            ("二十五", 25),
            ("一百", 100),
            ("一百二十", 120),
            ("一百二", 120),
            ("一百零五", 105),
            ("一百零二", 102),
            ("两千", 2000),
            ("三千五百", 3500),
            ("三千五", 3500),
            ("三千零五", 3005),
            ("一千零一十", 1010),
            ("一万二", 12000),
            ("一万二千", 12000),
            ("一万零二", 10002),
            ("一万零五百", 10500),
            ("十万", 100_000),
            ("两万五", 25000),
            ("一亿", 100_000_000),
            ("一亿五", 150_000_000),
            ("一亿零五百万", 105_000_000),
            ("三亿五千万", 350_000_000),
            ("一万亿", 1_000_000_000_000),
            ("零", 0),
            ("〇", 0),
            ("两", 2),
            ("一十五", 15),
            ("壹佰贰拾", 120),
            ("叁仟伍佰", 3500),
            ("一萬二", 12000),
            ("25", 25),
            ("3万", 30000),
            ("12万", 120_000),
            ("1万2千", 12000),
            ("1万2", 12000),
            ("3千5百", 3500),
            ("3亿", 300_000_000),
            (" 十一 ", 11),
        ] {
            assert_eq!(parse_zh_int(s), Some(n), "{s}");
        }
    }

    #[test]
    fn what_is_not_a_number() {
        for s in [
            "",
            "百",
            "万",
            "二二",
            "五一",
            "一千五十",
            "一百十",
            "一百一千",
            "十十",
            "一千零五百",
            "一百零",
            "零五",
            "零零",
            "两十",
            "二十两",
            "一百两",
            "一万两",
            "十万万",
            "一亿亿",
            "三千五万",
            "一十一十",
            "abc",
            "3.5万",
            "12345万",
            "0万",
            "一亿零五千万",
            "一万零一千",
        ] {
            assert_eq!(parse_zh_int(s), None, "{s}");
        }
    }

    #[test]
    fn prefixes() {
        assert_eq!(zh_int_prefix("二十五号"), Some((25, "号")));
        assert_eq!(zh_int_prefix("3点15分"), Some((3, "点15分")));
        assert_eq!(zh_int_prefix("十一点"), Some((11, "点")));
        assert_eq!(zh_int_prefix("两周后"), Some((2, "周后")));
        assert_eq!(zh_int_prefix("2027年"), Some((2027, "年")));
        // "五一" is not a number: the longest numeral is "五".
        assert_eq!(zh_int_prefix("五一"), Some((5, "一")));
        assert_eq!(zh_int_prefix("天"), None);
        assert_eq!(zh_int_prefix(""), None);
    }

    #[test]
    fn the_reference_writes_what_schools_teach() {
        for (n, s) in [
            (10, "十"),
            (15, "十五"),
            (110, "一百一十"),
            (1010, "一千零一十"),
            (10_010, "一万零一十"),
            (100_000, "十万"),
            (10_001_000, "一千万一千"),
            (100_100_000, "一亿零一十万"),
            (1_000_000_000_000, "一万亿"),
        ] {
            assert_eq!(fmt_zh(n), s);
        }
    }

    proptest! {
        #[test]
        fn reads_what_the_reference_writes(n in 0u64..10_000_000_000_000_000) {
            let s = fmt_zh(n);
            prop_assert_eq!(parse_zh_int(&s), Some(n), "{}", s);
            let with_unit = format!("{s}天");
            prop_assert_eq!(zh_int_prefix(&with_unit), Some((n, "天")));
        }

        #[test]
        fn reads_small_numbers_written_out(n in 0u64..100_000) {
            let s = fmt_zh(n);
            prop_assert_eq!(parse_zh_int(&s), Some(n), "{}", s);
            prop_assert_eq!(parse_zh_int(&n.to_string()), Some(n));
        }

        /// Near-misses of a number written out (a character dropped, changed or put in) are
        /// read as the number they spell in full, or not at all.
        #[test]
        fn a_near_miss_is_read_right_or_refused(
            n in 0u64..10_000_000_000,
            edit in 0usize..3,
            at in 0usize..40,
            c in prop::sample::select("零一二两三四五六七八九十百千万亿".chars().collect::<Vec<_>>()),
        ) {
            let mut cs: Vec<char> = fmt_zh(n).chars().collect();
            let at = at % (cs.len() + 1);
            match edit {
                0 if at < cs.len() => { cs.remove(at); }
                1 if at < cs.len() => cs[at] = c,
                _ => cs.insert(at, c),
            }
            let s: String = cs.into_iter().collect();
            if let Some(m) = parse_zh_int(&s) {
                prop_assert_eq!(canonical(&s), fmt_zh(m), "{} read as {}", s, m);
            }
        }

        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_zh_int(&s);
            let _ = zh_int_prefix(&s);
        }

        #[test]
        fn never_panics_on_numeral_characters(s in "[零〇一二两三四五六七八九十百千万亿0-9壹佰]{0,24}") {
            let _ = parse_zh_int(&s);
            let _ = zh_int_prefix(&s);
        }
    }
}
