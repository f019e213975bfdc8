//! Numbers written the Chinese way, read exactly: Chinese numerals (五十万, 一百二十万,
//! 三千五百, 十万, 两百五, the financial 壹拾贰万), Arabic digits with Chinese units (12万,
//! 1.2亿, 3千, 1万5千), and the spoken shorthand in which a lone digit after a unit counts in
//! the next unit down (一万二 = 12,000, 三千五 = 3,500, 1亿5 = 150,000,000).
//!
//! The grammar, from the largest unit down:
//!
//! - 亿 (10^8) and 万 (10^4) each at most once, 亿 before 万 (`12万万` is not read; 一万亿,
//!   10^12, is: 万 inside the count of 亿). What comes after a unit is less than the unit
//!   (`1万12000` is not read); a gap is written 零 (一万零五 = 10,005, 一亿零一万 =
//!   100,010,000).
//! - Below 万, 千 (10^3), 百 (10^2) and 十 (10) in that order, each counted by one digit
//!   (三千五百, 3千5百); 十, 百 and 千 may stand alone at the start (十万, 百万, 千万, 十二).
//! - The first count may be any number (1200万, 12000万, 1.5千), the others are bound by
//!   the unit above them.
//! - A lone digit right after a unit, ending what the unit counts, is the shorthand: 一万二
//!   = 12,000, 1万5 = 15,000, 三千五 = 3,500. Written with 零 or with more digits it is
//!   plain: 一万零二 = 10,002, 1万05 = 10,005, 1万500 = 10,500.
//! - Only the last number may have a fraction: `1.2亿`, `1亿2.5万`, `一点五万`; not `1.2万5千`.
//!
//! Digits are Arabic (`0`–`9`, with `.` or 点 before a fraction) or Chinese (零〇, 一壹, 二两贰兩,
//! 三叁, 四肆, 五伍, 六陆, 七柒, 八捌, 九玖; a fraction after 点); units 十拾, 百佰, 千仟, 万萬,
//! 亿億. Grouping commas, full-width forms, signs and currency marks are the caller's
//! (`Money::parse` in money.rs).

/// An exact number read: `n / 10^places`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub n: u128,
    pub places: u32,
}

/// Why a text was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// Not a number of this grammar.
    NotANumber,
    /// A number, but beyond what 128 bits hold.
    TooLarge,
}

type Read<T> = Result<T, Unread>;

impl Decimal {
    pub const ZERO: Decimal = Decimal { n: 0, places: 0 };

    fn int(n: u128) -> Decimal {
        Decimal { n, places: 0 }
    }

    /// × 10^e.
    fn shift(self, e: u32) -> Read<Decimal> {
        if self.places >= e {
            return Ok(Decimal {
                n: self.n,
                places: self.places - e,
            });
        }
        let n = pow10(e - self.places)
            .and_then(|p| self.n.checked_mul(p))
            .ok_or(Unread::TooLarge)?;
        Ok(Decimal::int(n))
    }

    fn add(self, o: Decimal) -> Read<Decimal> {
        let places = self.places.max(o.places);
        let scale = |d: Decimal| {
            pow10(places - d.places)
                .and_then(|p| d.n.checked_mul(p))
                .ok_or(Unread::TooLarge)
        };
        let n = scale(self)?
            .checked_add(scale(o)?)
            .ok_or(Unread::TooLarge)?;
        Ok(Decimal { n, places })
    }

    /// Whether it is below 10^e.
    fn below(self, e: u32) -> bool {
        match pow10(e + self.places) {
            Some(limit) => self.n < limit,
            None => true,
        }
    }

    /// The digit 1–9 it is, when it is a whole one.
    fn digit(self) -> Option<u128> {
        (self.places == 0 && (1..=9).contains(&self.n)).then_some(self.n)
    }

    /// In units of 10^-places, rounded half away from zero (None when too large).
    pub fn scaled(self, places: u32) -> Option<u128> {
        if self.places <= places {
            self.n.checked_mul(pow10(places - self.places)?)
        } else {
            let unit = pow10(self.places - places)?;
            Some(self.n / unit + u128::from(self.n % unit >= unit.div_ceil(2)))
        }
    }
}

fn pow10(e: u32) -> Option<u128> {
    10u128.checked_pow(e)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    /// A number: Arabic digits, or a Chinese digit, with or without a fraction. `lone`: one
    /// digit without a fraction (the shorthand's digit); `frac`: it has fraction digits.
    Num { v: Decimal, lone: bool, frac: bool },
    /// 零 (or 〇): a gap.
    Zero,
    /// 十, 百, 千: the power of ten.
    Small(u32),
    /// 万, 亿: the power of ten.
    Big(u32),
}

/// A Chinese digit's value (the plain, financial and traditional forms); 两 is 2.
pub(crate) fn chinese_digit(c: char) -> Option<u128> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' | '兩' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// The power of ten a Chinese unit stands for: 十 1, 百 2, 千 3, 万 4, 亿 8 (and their
/// financial and traditional forms).
pub(crate) fn unit_power(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 1,
        '百' | '佰' => 2,
        '千' | '仟' => 3,
        '万' | '萬' => 4,
        '亿' | '億' => 8,
        _ => return None,
    })
}

fn unit(c: char) -> Option<Tok> {
    unit_power(c).map(|p| if p < 4 { Tok::Small(p) } else { Tok::Big(p) })
}

/// Whether `c` is a character of this grammar beyond ASCII: a Chinese digit, unit or 点.
pub fn is_numeral(c: char) -> bool {
    chinese_digit(c).is_some() || unit(c).is_some() || c == '点'
}

/// A number from its digits and the digits of its fraction.
fn number(int: &[u128], frac: &[u128]) -> Read<Decimal> {
    let mut n: u128 = 0;
    for d in int.iter().chain(frac) {
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(*d))
            .ok_or(Unread::TooLarge)?;
    }
    Ok(Decimal {
        n,
        places: frac.len() as u32,
    })
}

fn tokens(s: &str) -> Read<Vec<Tok>> {
    let cs: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // Digits from `i` while `digit` reads them.
    let run = |i: &mut usize, digit: &dyn Fn(char) -> Option<u128>| {
        let mut ds = Vec::new();
        while let Some(d) = cs.get(*i).and_then(|c| digit(*c)) {
            ds.push(d);
            *i += 1;
        }
        ds
    };
    let arabic = |c: char| c.to_digit(10).map(u128::from);
    let is_point = |cs: &[char], i: usize| {
        cs.get(i) == Some(&'.')
            || (cs.get(i) == Some(&'点') && cs.get(i + 1).is_some_and(char::is_ascii_digit))
    };
    while i < cs.len() {
        let c = cs[i];
        if c.is_ascii_digit() || c == '.' {
            let int = run(&mut i, &arabic);
            let mut frac = Vec::new();
            let pointed = is_point(&cs, i);
            if pointed {
                i += 1;
                frac = run(&mut i, &arabic);
                if is_point(&cs, i) {
                    return Err(Unread::NotANumber);
                }
            }
            if int.is_empty() && frac.is_empty() {
                return Err(Unread::NotANumber);
            }
            out.push(Tok::Num {
                v: number(&int, &frac)?,
                lone: int.len() == 1 && !pointed,
                frac: !frac.is_empty(),
            });
        } else if let Some(d) = chinese_digit(c) {
            i += 1;
            if cs.get(i) == Some(&'点') {
                i += 1;
                let frac = run(&mut i, &chinese_digit);
                if frac.is_empty() {
                    return Err(Unread::NotANumber);
                }
                out.push(Tok::Num {
                    v: number(&[d], &frac)?,
                    lone: false,
                    frac: true,
                });
            } else if d == 0 {
                out.push(Tok::Zero);
            } else {
                out.push(Tok::Num {
                    v: Decimal::int(d),
                    lone: true,
                    frac: false,
                });
            }
        } else if let Some(u) = unit(c) {
            out.push(u);
            i += 1;
        } else {
            return Err(Unread::NotANumber);
        }
    }
    Ok(out)
}

/// Read a number written the Chinese way (or plain Arabic digits), exactly.
pub fn read(s: &str) -> Read<Decimal> {
    let toks = tokens(s)?;
    if toks.is_empty() {
        return Err(Unread::NotANumber);
    }
    // Only the last number may have a fraction.
    let nums: Vec<bool> = toks
        .iter()
        .filter_map(|t| match t {
            Tok::Num { frac, .. } => Some(*frac),
            _ => None,
        })
        .collect();
    if nums.iter().rev().skip(1).any(|f| *f) {
        return Err(Unread::NotANumber);
    }
    part(&toks, 0, None)
}

/// The big units, largest first.
const BIGS: [u32; 2] = [8, 4];

/// The value of `toks`, which may hold the big units from `BIGS[level]` down; `bound`:
/// below 10^bound, or None for the first count of the number (any size).
fn part(toks: &[Tok], level: usize, bound: Option<u32>) -> Read<Decimal> {
    let Some(&e) = BIGS.get(level) else {
        return section(toks, bound);
    };
    let Some(at) = toks.iter().position(|t| *t == Tok::Big(e)) else {
        return part(toks, level + 1, bound);
    };
    let (count, rest) = (&toks[..at], &toks[at + 1..]);
    if count.is_empty() {
        return Err(Unread::NotANumber);
    }
    let v = part(count, level + 1, bound.map(|b| b.saturating_sub(e)))?.shift(e)?;
    let rest = match rest {
        [] => Decimal::ZERO,
        // The shorthand: 一万二 is 12,000.
        [Tok::Num { v, lone: true, .. }] => v.shift(e - 1)?,
        _ => part(rest, level + 1, Some(e))?,
    };
    let v = v.add(rest)?;
    match bound {
        Some(b) if !v.below(b) => Err(Unread::NotANumber),
        _ => Ok(v),
    }
}

/// A number below 万: 千, 百, 十 each counted by one digit, 零 in the gaps, and what is
/// left after the last unit.
fn section(toks: &[Tok], bound: Option<u32>) -> Read<Decimal> {
    if toks.is_empty() || bound == Some(0) {
        return Err(Unread::NotANumber);
    }
    let mut total = Decimal::ZERO;
    // The last small unit written (4: none yet).
    let mut last = 4;
    let mut pending: Option<(Decimal, bool)> = None;
    let mut gap = false;
    for (i, t) in toks.iter().enumerate() {
        match *t {
            Tok::Zero => {
                if pending.is_some() {
                    return Err(Unread::NotANumber);
                }
                gap = true;
            }
            Tok::Num { v, lone, .. } => {
                if pending.is_some() {
                    return Err(Unread::NotANumber);
                }
                pending = Some((v, lone));
            }
            Tok::Small(k) => {
                if k >= last {
                    return Err(Unread::NotANumber);
                }
                let first = bound.is_none() && i <= 1;
                let count = match pending.take() {
                    // The first count of the number may be any (12千, 1.5千) …
                    Some((v, _)) if first && !gap => v,
                    // … the others one digit.
                    Some((v, true)) if v.digit().is_some() => v,
                    // 十, 百, 千 alone at the start.
                    None if i == 0 && bound.is_none() => Decimal::int(1),
                    _ => return Err(Unread::NotANumber),
                };
                total = total.add(count.shift(k)?)?;
                last = k;
                gap = false;
            }
            Tok::Big(_) => return Err(Unread::NotANumber),
        }
    }
    match pending {
        // 零 alone is zero; 零 at the end of more is not read.
        None if gap && toks.len() > 1 && !toks.iter().all(|t| *t == Tok::Zero) => {
            return Err(Unread::NotANumber)
        }
        None => {}
        Some((v, _)) if last == 4 => total = v,
        // The shorthand: 三千五 is 3,500.
        Some((v, true)) if !gap => total = total.add(v.shift(last - 1)?)?,
        Some((v, _)) if v.below(last) => total = total.add(v)?,
        Some(_) => return Err(Unread::NotANumber),
    }
    match bound {
        Some(b) if !total.below(b) => Err(Unread::NotANumber),
        _ => Ok(total),
    }
}

/// The nearest text to `s` that `reads` accepts: `s` with one character left out (the last
/// such first), or a Chinese full stop written as a decimal point. None when none is.
pub fn nearest(s: &str, reads: impl Fn(&str) -> bool) -> Option<String> {
    let cs: Vec<char> = s.chars().collect();
    if cs.len() < 2 || cs.len() > 40 {
        return None;
    }
    let points = (0..cs.len())
        .filter(|&i| matches!(cs[i], '。' | '｡' | '·'))
        .map(|i| {
            let mut c = cs.clone();
            c[i] = '.';
            c.into_iter().collect::<String>()
        });
    let less_one = (0..cs.len()).rev().map(|i| {
        cs.iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, c)| *c)
            .collect::<String>()
    });
    points
        .chain(less_one)
        .find(|c| !c.trim().is_empty() && reads(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn n(s: &str) -> u128 {
        let d = read(s).unwrap_or_else(|e| panic!("{s:?}: {e:?}"));
        assert_eq!(d.places, 0, "{s:?}");
        d.n
    }

    /// In ten-thousandths, as money keeps it.
    fn ten_thousandths(s: &str) -> u128 {
        let d = read(s).unwrap_or_else(|e| panic!("{s:?}: {e:?}"));
        d.scaled(4).unwrap()
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(n("零"), 0);
        assert_eq!(n("〇"), 0);
        assert_eq!(n("五"), 5);
        assert_eq!(n("十"), 10);
        assert_eq!(n("十二"), 12);
        assert_eq!(n("一十二"), 12);
        assert_eq!(n("二十"), 20);
        assert_eq!(n("一百零五"), 105);
        assert_eq!(n("三千五百"), 3_500);
        assert_eq!(n("一千零五十"), 1_050);
        assert_eq!(n("十万"), 100_000);
        assert_eq!(n("五十万"), 500_000);
        assert_eq!(n("一百二十万"), 1_200_000);
        assert_eq!(n("百万"), 1_000_000);
        assert_eq!(n("千万"), 10_000_000);
        assert_eq!(n("两万"), 20_000);
        assert_eq!(n("一万零五百"), 10_500);
        assert_eq!(n("十万零一十"), 100_010);
        assert_eq!(n("一亿零一万"), 100_010_000);
        assert_eq!(n("一亿零一"), 100_000_001);
        assert_eq!(n("一亿一千万"), 110_000_000);
        assert_eq!(n("一万亿"), 1_000_000_000_000);
        assert_eq!(n("壹拾贰万"), 120_000);
        assert_eq!(n("叁仟伍佰"), 3_500);
        assert_eq!(n("一億二千萬"), 120_000_000);
    }

    #[test]
    fn the_shorthand_counts_a_lone_digit_in_the_next_unit() {
        assert_eq!(n("一万二"), 12_000);
        assert_eq!(n("三千五"), 3_500);
        assert_eq!(n("两百五"), 250);
        assert_eq!(n("一亿二"), 120_000_000);
        assert_eq!(n("十万二"), 102_000);
        assert_eq!(n("一万二千五"), 12_500);
        assert_eq!(n("三千五万"), 35_000_000);
        assert_eq!(n("1万5"), 15_000);
        assert_eq!(n("1亿5"), 150_000_000);
        assert_eq!(n("3千5"), 3_500);
        // With 零 or more digits it is not the shorthand.
        assert_eq!(n("一万零二"), 10_002);
        assert_eq!(n("1万05"), 10_005);
        assert_eq!(n("1万50"), 10_050);
        assert_eq!(n("1万500"), 10_500);
        assert_eq!(n("1千50"), 1_050);
    }

    #[test]
    fn arabic_digits_with_units() {
        assert_eq!(n("12万"), 120_000);
        assert_eq!(n("3千"), 3_000);
        assert_eq!(n("3百"), 300);
        assert_eq!(n("1万5千"), 15_000);
        assert_eq!(n("1万五千"), 15_000);
        assert_eq!(n("1200万"), 12_000_000);
        assert_eq!(n("12000万"), 120_000_000);
        assert_eq!(n("12亿3456万7890"), 1_234_567_890);
        assert_eq!(n("1亿0005万0003"), 100_050_003);
        assert_eq!(n("120000"), 120_000);
        assert_eq!(ten_thousandths("1.2万"), 120_000_000); // 12,000
        assert_eq!(n("1.2亿"), 120_000_000);
        assert_eq!(ten_thousandths("1.23456万"), 123_456_000); // 12,345.6
        assert_eq!(n("1亿2.5万"), 100_025_000);
        assert_eq!(ten_thousandths("3万2.5"), 300_025_000); // 30,002.5
        assert_eq!(n("一点五万"), 15_000);
        assert_eq!(ten_thousandths("零点五"), 5_000); // 0.5
        assert_eq!(n("1点2万"), 12_000);
        assert_eq!(n(".5万"), 5_000);
        assert_eq!(n("1.5千"), 1_500);
    }

    #[test]
    fn what_is_not_read() {
        for bad in [
            "",
            "万",
            "亿",
            "12万万",
            "1亿2亿",
            "1.2.3万",
            "五十万x",
            "一二三",
            "五五",
            "十十",
            "百千",
            "一百零",
            "1万12000",
            "1亿12000万",
            "1.2万5千",
            "2〇26",
            "1二",
            "一点",
            "点五",
            "1..2",
            ".",
            "12 万",
            "3千2.5百",
            "一百十",
            "万二",
        ] {
            assert_eq!(read(bad), Err(Unread::NotANumber), "{bad:?}");
        }
        assert_eq!(
            read("99999999999999999999999999999999999999999万"),
            Err(Unread::TooLarge)
        );
    }

    #[test]
    fn the_nearest_form() {
        let reads = |s: &str| read(s).is_ok();
        assert_eq!(nearest("五十万x", reads).as_deref(), Some("五十万"));
        assert_eq!(nearest("12万万", reads).as_deref(), Some("12万"));
        assert_eq!(nearest("1.2.3万", reads).as_deref(), Some("1.23万"));
        assert_eq!(nearest("12 万", reads).as_deref(), Some("12万"));
        assert_eq!(nearest("1。2万", reads).as_deref(), Some("1.2万"));
        assert_eq!(nearest("一二三", reads), None);
        assert_eq!(nearest("x", reads), None);
    }

    #[test]
    fn scaled_rounds_half_away_from_zero() {
        let d = Decimal {
            n: 123_455,
            places: 5,
        };
        assert_eq!(d.scaled(4), Some(12_346));
        assert_eq!(
            Decimal {
                n: 123_454,
                places: 5
            }
            .scaled(4),
            Some(12_345)
        );
        assert_eq!(Decimal::int(12).scaled(4), Some(120_000));
    }

    // A reference writer of Chinese numerals, written here apart from the reader: the
    // standard form (十 alone at the start, 零 in each gap, no 零 at the end).
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

    fn below_wan(n: u64, first: bool) -> String {
        let mut out = String::new();
        let mut zero = false;
        for (k, u) in [(3, "千"), (2, "百"), (1, "十"), (0, "")] {
            let d = (n / 10u64.pow(k)) % 10;
            if d == 0 {
                zero = !out.is_empty();
                continue;
            }
            if zero {
                out.push('零');
                zero = false;
            }
            if !(k == 1 && d == 1 && first && out.is_empty()) {
                out.push(DIGITS[d as usize]);
            }
            out.push_str(u);
        }
        out
    }

    fn zh(n: u64, first: bool) -> String {
        if n == 0 {
            return "零".into();
        }
        let rest = |r: u64, e: u32| match r {
            0 => String::new(),
            r if r < 10u64.pow(e - 1) => format!("零{}", zh(r, false)),
            r => zh(r, false),
        };
        if n >= 100_000_000 {
            format!(
                "{}亿{}",
                zh(n / 100_000_000, first),
                rest(n % 100_000_000, 8)
            )
        } else if n >= 10_000 {
            format!("{}万{}", zh(n / 10_000, first), rest(n % 10_000, 4))
        } else {
            below_wan(n, first)
        }
    }

    /// The financial (大写) form of the same numeral.
    fn upper(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '一' => '壹',
                '二' => '贰',
                '三' => '叁',
                '四' => '肆',
                '五' => '伍',
                '六' => '陆',
                '七' => '柒',
                '八' => '捌',
                '九' => '玖',
                '十' => '拾',
                '百' => '佰',
                '千' => '仟',
                c => c,
            })
            .collect()
    }

    #[test]
    fn the_reference_writer_writes_the_standard_form() {
        assert_eq!(zh(0, true), "零");
        assert_eq!(zh(10, true), "十");
        assert_eq!(zh(12, true), "十二");
        assert_eq!(zh(1_010, true), "一千零一十");
        assert_eq!(zh(100_010, true), "十万零一十");
        assert_eq!(zh(1_200_000, true), "一百二十万");
        assert_eq!(zh(100_001_000, true), "一亿零一千");
        assert_eq!(zh(100_010_000, true), "一亿零一万");
        assert_eq!(zh(101_000_000, true), "一亿零一百万");
        assert_eq!(zh(1_000_000_000_000, true), "一万亿");
        assert_eq!(
            zh(123_456_789_012, true),
            "一千二百三十四亿五千六百七十八万九千零一十二"
        );
    }

    fn numbers() -> impl Strategy<Value = u64> {
        prop_oneof![
            0..=1_000_000_000_000u64,
            0..100_000u64,
            // Numbers with many zeros: each digit zero half the time.
            proptest::collection::vec(0..10u64, 13).prop_map(|ds| {
                ds.iter()
                    .enumerate()
                    .fold(0, |n, (i, d)| n * 10 + if i % 2 == 0 { *d } else { 0 })
                    % 1_000_000_000_001
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn chinese_numerals_read_back_equal(n in numbers()) {
            let s = zh(n, true);
            prop_assert_eq!(read(&s), Ok(Decimal::int(n as u128)), "{}", s);
            let u = upper(&s);
            prop_assert_eq!(read(&u), Ok(Decimal::int(n as u128)), "{}", u);
            // 一十 at the start, 两 for 二, 〇 for 零: the same number.
            let v = zh(n, false).replace('二', "两").replace('零', "〇");
            prop_assert_eq!(read(&v), Ok(Decimal::int(n as u128)), "{}", v);
        }

        #[test]
        fn arabic_counts_of_units_read_back_equal(n in 0..1_000_000_000_000u64) {
            let (yi, wan, rest) = (n / 100_000_000, n / 10_000 % 10_000, n % 10_000);
            let s = format!("{yi}亿{wan:04}万{rest:04}");
            prop_assert_eq!(read(&s), Ok(Decimal::int(n as u128)), "{}", s);
            let s = format!("{}万{rest:04}", n / 10_000);
            prop_assert_eq!(read(&s), Ok(Decimal::int(n as u128)), "{}", s);
        }

        #[test]
        fn decimals_of_wan_and_yi_are_exact(n in 0..10_000_000_000u64, places in 0..6u32) {
            let p = 10u64.pow(places);
            let s = if places == 0 {
                format!("{n}万")
            } else {
                format!("{}.{:0w$}万", n / p, n % p, w = places as usize)
            };
            // n / 10^places 万 = n × 10^(4 − places)
            let d = read(&s).unwrap();
            prop_assert_eq!(d.scaled(8), Some(n as u128 * 10u128.pow(12 - places)), "{}", s);
            let s = s.replace('万', "亿");
            let d = read(&s).unwrap();
            prop_assert_eq!(d.scaled(8), Some(n as u128 * 10u128.pow(16 - places)), "{}", s);
        }

        #[test]
        fn the_shorthand_is_the_next_unit(a in 1..10_000u64, d in 1..10u64) {
            prop_assert_eq!(read(&format!("{a}万{d}")), Ok(Decimal::int((a * 10_000 + d * 1_000) as u128)));
            let s = format!("{}万{}", zh(a, true), DIGITS[d as usize]);
            prop_assert_eq!(read(&s), Ok(Decimal::int((a * 10_000 + d * 1_000) as u128)), "{}", s);
        }

        #[test]
        fn reading_never_panics(s in "\\PC{0,20}") {
            let _ = read(&s);
            let _ = nearest(&s, |c| read(c).is_ok());
        }

        #[test]
        fn reading_numeral_soup_never_panics(s in "[0-9.点零〇一二两三四五六七八九十百千万亿]{0,16}") {
            let _ = read(&s);
        }
    }
}
