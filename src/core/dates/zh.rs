//! Chinese date words, read by the same [`super::parse_when`] as the English ones: any
//! input with a character beyond ASCII comes here first. docs/dates.md, "Chinese date
//! words", lists every form; in short:
//!
//! - days `今天` `明天` `后天` `大后天` `昨天` `前天` `大前天`, and `今早` `今晚` `明早` `明晚`
//!   `昨晚` (a day and a part of it: `明早9点`);
//! - weekdays `周五` `星期五` `礼拜五` (the next Friday strictly after today, as `fri`),
//!   `本周五` (this Monday-to-Sunday week's Friday, even if past), `下周五` (next week's),
//!   `上周一`, `下下周一`;
//! - `月底` `月初` (this month's last and first day, as `eom` and `som`), `下月初`,
//!   `下个月` (the same day next month, as `+1m`), `下个月5号`, `本季度末`, `年底`, `年初`,
//!   `明年` (the same day next year, as `+1y`), `明年初`, `3月底`;
//! - `3天后` `两周后` `一个月后` `三天前` `半个月后` `2小时后` `30分钟后` `一年半后`;
//! - `5月20日` `5月20号` `20号` (the next such day on or after today), `2027年5月20日`;
//! - `元旦` `五一`/`劳动节` `十一`/`国庆` `圣诞节` (the next one on or after today);
//! - any of them followed by a time: `下午3点` `上午10点` `晚上8点半` `3点15分` `9点一刻`
//!   `中午12点` `凌晨2点` `15:30` `9am`, with or without a space: `下周一上午十点`.
//!
//! Numbers are Arabic or Chinese ([`crate::core::zh_numerals`]).

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

use super::{Span, When};
use crate::core::zh_numerals::{is_numeral_char, zh_int_prefix};

type Res<T> = Result<T, String>;

/// A part of the day a clock time is read in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Period {
    /// 凌晨: 0–6 o'clock.
    Dawn,
    /// 上午, 早上: 0–12.
    Morning,
    /// 中午: 11–14, and 1–2 for 13–14.
    Noon,
    /// 下午, 傍晚: 1–12 for 13:00–24:00 (12 is noon), or 13–23.
    Afternoon,
    /// 晚上: 5–11 for 17–23, 12 for midnight at the day's end, or 17–23.
    Evening,
}

const PERIODS: &[(&str, Period)] = &[
    ("上午", Period::Morning),
    ("早上", Period::Morning),
    ("早晨", Period::Morning),
    ("清晨", Period::Morning),
    ("早", Period::Morning),
    ("中午", Period::Noon),
    ("下午", Period::Afternoon),
    ("午后", Period::Afternoon),
    ("傍晚", Period::Afternoon),
    ("晚上", Period::Evening),
    ("晚间", Period::Evening),
    ("夜里", Period::Evening),
    ("夜间", Period::Evening),
    ("晚", Period::Evening),
    ("凌晨", Period::Dawn),
    ("半夜", Period::Dawn),
];

/// Days counted from today, some with a part of the day (`明早` is tomorrow morning).
const DAYS: &[(&str, (i64, Option<Period>))] = &[
    ("今天", (0, None)),
    ("今日", (0, None)),
    ("明天", (1, None)),
    ("明日", (1, None)),
    ("后天", (2, None)),
    ("大后天", (3, None)),
    ("昨天", (-1, None)),
    ("昨日", (-1, None)),
    ("前天", (-2, None)),
    ("大前天", (-3, None)),
    ("今早", (0, Some(Period::Morning))),
    ("今晨", (0, Some(Period::Morning))),
    ("今晚", (0, Some(Period::Evening))),
    ("明早", (1, Some(Period::Morning))),
    ("明晨", (1, Some(Period::Morning))),
    ("明晚", (1, Some(Period::Evening))),
    ("昨晚", (-1, Some(Period::Evening))),
];

/// Weeks: how many from this one, or `None` for a bare `周五` (the next Friday).
const WEEKS: &[(&str, Option<i64>)] = &[
    ("本周", Some(0)),
    ("这周", Some(0)),
    ("这个周", Some(0)),
    ("本星期", Some(0)),
    ("这星期", Some(0)),
    ("这个星期", Some(0)),
    ("本礼拜", Some(0)),
    ("这礼拜", Some(0)),
    ("这个礼拜", Some(0)),
    ("下周", Some(1)),
    ("下个周", Some(1)),
    ("下星期", Some(1)),
    ("下个星期", Some(1)),
    ("下礼拜", Some(1)),
    ("下个礼拜", Some(1)),
    ("下下周", Some(2)),
    ("下下个星期", Some(2)),
    ("下下星期", Some(2)),
    ("下下礼拜", Some(2)),
    ("上周", Some(-1)),
    ("上个周", Some(-1)),
    ("上星期", Some(-1)),
    ("上个星期", Some(-1)),
    ("上礼拜", Some(-1)),
    ("上个礼拜", Some(-1)),
    ("上上周", Some(-2)),
    ("上上个星期", Some(-2)),
    ("上上星期", Some(-2)),
    ("周", None),
    ("星期", None),
    ("礼拜", None),
];

/// Months from this one; `月` alone only before 初, 底 or 末.
const MONTHS: &[(&str, Option<i64>)] = &[
    ("本月", Some(0)),
    ("这个月", Some(0)),
    ("这月", Some(0)),
    ("当月", Some(0)),
    ("下月", Some(1)),
    ("下个月", Some(1)),
    ("下下个月", Some(2)),
    ("上月", Some(-1)),
    ("上个月", Some(-1)),
    ("月", None),
];

/// Quarters from this one; `季度` and `季` alone only before 初, 底 or 末.
const QUARTERS: &[(&str, Option<i64>)] = &[
    ("本季度", Some(0)),
    ("这个季度", Some(0)),
    ("这季度", Some(0)),
    ("本季", Some(0)),
    ("下季度", Some(1)),
    ("下个季度", Some(1)),
    ("下季", Some(1)),
    ("上季度", Some(-1)),
    ("上个季度", Some(-1)),
    ("上季", Some(-1)),
    ("季度", None),
    ("季", None),
];

/// Years from this one; `年` alone only before 初, 底 or 末.
const YEARS: &[(&str, Option<i64>)] = &[
    ("今年", Some(0)),
    ("明年", Some(1)),
    ("后年", Some(2)),
    ("去年", Some(-1)),
    ("前年", Some(-2)),
    ("年", None),
];

/// Holidays on a fixed day of the Gregorian calendar, as (month, day).
const HOLIDAYS: &[(&str, (u32, u32))] = &[
    ("元旦", (1, 1)),
    ("劳动节", (5, 1)),
    ("五一", (5, 1)),
    ("国庆节", (10, 1)),
    ("国庆", (10, 1)),
    ("十一", (10, 1)),
    ("圣诞节", (12, 25)),
    ("圣诞", (12, 25)),
];

/// Holidays of the lunar calendar (or a solar term): a different day each year.
const MOVING_HOLIDAYS: &[&str] = &[
    "春节",
    "过年",
    "除夕",
    "元宵节",
    "元宵",
    "清明节",
    "清明",
    "端午节",
    "端午",
    "七夕",
    "中秋节",
    "中秋",
    "重阳节",
    "重阳",
];

/// Units of a length of time.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Unit {
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

const UNITS: &[(&str, Unit)] = &[
    ("个星期", Unit::Week),
    ("个礼拜", Unit::Week),
    ("个周", Unit::Week),
    ("个小时", Unit::Hour),
    ("个钟头", Unit::Hour),
    ("个月", Unit::Month),
    ("星期", Unit::Week),
    ("礼拜", Unit::Week),
    ("小时", Unit::Hour),
    ("钟头", Unit::Hour),
    ("分钟", Unit::Minute),
    ("天", Unit::Day),
    ("日", Unit::Day),
    ("周", Unit::Week),
    ("年", Unit::Year),
    ("分", Unit::Minute),
    ("月", Unit::Month),
];

/// 后 (later) and 前 (earlier); 内 is "within", a deadline that far ahead.
const DIRECTIONS: &[(&str, i64)] = &[
    ("以后", 1),
    ("之后", 1),
    ("以内", 1),
    ("之内", 1),
    ("后", 1),
    ("内", 1),
    ("以前", -1),
    ("之前", -1),
    ("前", -1),
];

/// Forms offered when a word is not understood: the fixed ones, and those with a number in
/// them (`{a}`, `{b}`: the numbers the word had).
const VOCABULARY: &[&str] = &[
    "今天",
    "明天",
    "后天",
    "大后天",
    "昨天",
    "前天",
    "今早",
    "今晚",
    "明早",
    "明晚",
    "周一",
    "周二",
    "周三",
    "周四",
    "周五",
    "周六",
    "周日",
    "星期一",
    "星期五",
    "星期日",
    "星期天",
    "礼拜五",
    "礼拜天",
    "本周一",
    "本周五",
    "本周日",
    "下周一",
    "下周五",
    "下周日",
    "上周一",
    "上周五",
    "月底",
    "月初",
    "月末",
    "下月初",
    "下月底",
    "下个月",
    "上个月",
    "本季度末",
    "本季度初",
    "下季度初",
    "年底",
    "年初",
    "明年",
    "去年",
    "明年初",
    "元旦",
    "五一",
    "劳动节",
    "十一",
    "国庆",
    "国庆节",
    "圣诞节",
];

const TEMPLATES: &[&str] = &[
    "{a}月{b}日",
    "{a}月{b}号",
    "{a}号",
    "{a}日",
    "{a}天后",
    "{a}天前",
    "{a}周后",
    "{a}周前",
    "{a}个星期后",
    "{a}个月后",
    "{a}个月前",
    "{a}年后",
    "{a}小时后",
    "{a}分钟后",
    "{a}月底",
    "{a}月初",
    "{a}点",
    "{a}点半",
    "{a}点{b}分",
    "上午{a}点",
    "下午{a}点",
    "晚上{a}点",
    "中午{a}点",
    "凌晨{a}点",
    "明天{a}点",
    "明早{a}点",
    "下周一上午{a}点",
];

const TIME_TEMPLATES: &[&str] = &[
    "{a}点",
    "{a}点半",
    "{a}点{b}分",
    "上午{a}点",
    "下午{a}点",
    "晚上{a}点",
    "中午{a}点",
    "凌晨{a}点",
    "早上{a}点",
];

/// The entry of `table` that `s` starts with, the longest if several do: its value, its
/// word and what follows.
fn longest<'a, T: Copy>(
    s: &'a str,
    table: &[(&'static str, T)],
) -> Option<(T, &'static str, &'a str)> {
    table
        .iter()
        .filter(|(w, _)| s.starts_with(w))
        .max_by_key(|(w, _)| w.len())
        .map(|(w, v)| (*v, *w, &s[w.len()..]))
}

fn too_far() -> String {
    crate::tr!("dates.too_far").to_string()
}

/// A date read from the start of a word, what part of the day it names (`明早`), the text
/// it was read from and what follows.
struct Read<'a> {
    when: When,
    period: Option<Period>,
    word: &'a str,
    rest: &'a str,
}

/// Read a date word holding Chinese (`s`: trimmed, lower case, full-width forms folded).
pub(super) fn parse(s: &str, now: NaiveDateTime) -> Res<When> {
    let compact: String = s.split_whitespace().collect();
    if let Some(read) = date(&compact, now)? {
        return with_time(&read);
    }
    if let Some((t, days)) = time(&compact, None)? {
        return at(now.date(), t, days);
    }
    if s.starts_with(|c: char| c.is_ascii()) {
        return english_led(s, &compact, now);
    }
    Err(unknown(&compact))
}

/// A length of time in Chinese, as `--within` and `--chain` take it: `3天`, `两周`,
/// `一个月`, `半小时`, `30分钟`. `None` when `s` is not one.
pub(super) fn duration(s: &str) -> Option<Res<Span>> {
    let compact: String = s.split_whitespace().collect();
    let (spans, rest) = match amount(&compact) {
        Ok(Some(read)) => read,
        Ok(None) => return None,
        Err(e) => return Some(Err(e)),
    };
    if !rest.is_empty() {
        return None;
    }
    Some(match spans.as_slice() {
        [one] => Ok(*one),
        _ => Err(crate::tr!("dates.zh_half", word = compact)),
    })
}

/// A month and day without a year, `5月20日`, `5月20号`, `五月二十日`, as (month, day); 29
/// February is one.
pub(super) fn month_day(s: &str) -> Option<(u32, u32)> {
    let compact: String = s.split_whitespace().collect();
    let (m, r) = zh_int_prefix(&compact)?;
    let (d, r) = zh_int_prefix(r.strip_prefix('月')?)?;
    if !matches!(r, "" | "日" | "号") {
        return None;
    }
    let (m, d) = (u32::try_from(m).ok()?, u32::try_from(d).ok()?);
    // 2000 was a leap year.
    NaiveDate::from_ymd_opt(2000, m, d).map(|_| (m, d))
}

/// The day `d` (plus `days`) at `t`.
fn at(d: NaiveDate, t: NaiveTime, days: i64) -> Res<When> {
    let d = Span::Days(days).add_inner(When::Date(d))?.date();
    Ok(When::DateTime(d.and_time(t)))
}

/// A date read, and the time that follows it, if any.
fn with_time(read: &Read) -> Res<When> {
    if read.rest.is_empty() {
        return match read.period {
            Some(p) => Err(needs_clock(read.word, p)),
            None => Ok(read.when),
        };
    }
    let inherited = read.period.map(|p| (p, read.word));
    match time(read.rest, inherited)? {
        Some(_) if matches!(read.when, When::DateTime(_)) => Err(crate::tr!(
            "dates.zh_already_time",
            word = read.word,
            got = read.rest
        )),
        Some((t, days)) => at(read.when.date(), t, days),
        None => Err(crate::tr!(
            "dates.zh_not_time",
            got = read.rest,
            date = read.word,
            example = format!("{}{}", read.word, nearest_time(read.rest))
        )),
    }
}

/// English date words before a Chinese time (`fri 下午3点`, `2026-11-22 下午3点`), or English
/// words with a Chinese weekday (`last 周一`).
fn english_led(s: &str, compact: &str, now: NaiveDateTime) -> Res<When> {
    if let Some(i) = s.find(|c: char| !c.is_ascii()) {
        let (head, tail) = s.split_at(i);
        let tail: String = tail.split_whitespace().collect();
        let head: Vec<&str> = head.split_whitespace().collect();
        if !head.is_empty() {
            if let Some((t, days)) = time(&tail, None)? {
                return at(super::parse_date_expr(&head, now)?.date(), t, days);
            }
        }
    }
    let tokens = super::merge_am_pm(s.split_whitespace().collect());
    let refs: Vec<&str> = tokens.iter().map(String::as_str).collect();
    if let [head @ .., last] = refs.as_slice() {
        if !head.is_empty() && !last.is_ascii() {
            if let Some((t, days)) = time(last, None)? {
                return at(super::parse_date_expr(head, now)?.date(), t, days);
            }
        }
    }
    // What English does not read either is told as Chinese when it starts that way
    // (`3随便`); `next 周八` keeps the English reason.
    super::parse_tokens(&refs, now).map_err(|e| match refs.first() {
        Some(first) if !first.is_ascii() => unknown(compact),
        _ => e,
    })
}

/// A date at the start of `s`, or `None` when `s` does not start with one.
fn date<'a>(s: &'a str, now: NaiveDateTime) -> Res<Option<Read<'a>>> {
    let today = now.date();
    let read = |when: When, period: Option<Period>, rest: &'a str| {
        Ok(Some(Read {
            when,
            period,
            word: &s[..s.len() - rest.len()],
            rest,
        }))
    };
    if let Some(w) = MOVING_HOLIDAYS.iter().find(|w| s.starts_with(**w)) {
        return Err(crate::tr!("dates.zh_moving_holiday", word = w));
    }
    if let Some(((m, d), rest)) = holiday(s) {
        return read(When::Date(next_month_day(None, m, d, today)?), None, rest);
    }
    if let Some(((n, period), _, rest)) = longest(s, DAYS) {
        return read(Span::Days(n).add_inner(When::Date(today))?, period, rest);
    }
    if let Some((d, rest)) = week(s, today)? {
        return read(When::Date(d), None, rest);
    }
    if let Some((w, rest)) = month_ref(s, today)? {
        return read(w, None, rest);
    }
    if let Some((d, rest)) = quarter_ref(s, today)? {
        return read(When::Date(d), None, rest);
    }
    if let Some((w, rest)) = year_ref(s, today)? {
        return read(w, None, rest);
    }
    if let Some((w, rest)) = numeral_led(s, None, now)? {
        return read(w, None, rest);
    }
    Ok(None)
}

/// Whether what follows a word continues a number (`十一点`, `十一号`, `五一天`), so the word
/// is not the holiday.
fn continues_number(rest: &str) -> bool {
    rest.chars()
        .next()
        .is_some_and(|c| is_numeral_char(c) || "点时點號号日月天周个年小分半星礼钟刻:".contains(c))
}

fn holiday(s: &str) -> Option<((u32, u32), &str)> {
    let (md, word, rest) = longest(s, HOLIDAYS)?;
    if matches!(word, "五一" | "十一") && continues_number(rest) {
        return None;
    }
    Some((md, rest))
}

fn weekday_of(c: char) -> Option<Weekday> {
    Some(match c {
        '一' => Weekday::Mon,
        '二' => Weekday::Tue,
        '三' => Weekday::Wed,
        '四' => Weekday::Thu,
        '五' => Weekday::Fri,
        '六' => Weekday::Sat,
        '日' | '天' => Weekday::Sun,
        _ => return None,
    })
}

/// `周五`, `本周五`, `下周五`, `上周一`, `下下周一`.
fn week(s: &str, today: NaiveDate) -> Res<Option<(NaiveDate, &str)>> {
    let Some((weeks, word, rest)) = longest(s, WEEKS) else {
        return Ok(None);
    };
    let first = format!("{word}一");
    let last = format!("{word}日");
    let Some(c) = rest.chars().next() else {
        return Err(crate::tr!(
            "dates.zh_weekday_missing",
            word = word,
            first = first,
            last = last
        ));
    };
    let Some(wd) = weekday_of(c) else {
        return Err(crate::tr!(
            "dates.zh_weekday",
            got = format!("{word}{c}"),
            first = first,
            last = last
        ));
    };
    let rest = &rest[c.len_utf8()..];
    let d = match weeks {
        None => super::next_weekday(today, wd),
        Some(k) => {
            let monday = today
                .checked_sub_days(Days::new(u64::from(today.weekday().num_days_from_monday())));
            let days = 7 * k + i64::from(wd.num_days_from_monday());
            monday.and_then(|m| {
                Span::Days(days)
                    .add_inner(When::Date(m))
                    .ok()
                    .map(|w| w.date())
            })
        }
    };
    d.map(|d| Some((d, rest))).ok_or_else(too_far)
}

/// The first day of the month `k` months from the one `today` is in.
fn month_start(today: NaiveDate, k: i64) -> Res<NaiveDate> {
    let first = today.with_day(1).ok_or_else(too_far)?;
    Span::Months(k)
        .add_inner(When::Date(first))
        .map(|w| w.date())
}

/// The last day of the month `first` starts.
fn month_end(first: NaiveDate) -> Res<NaiveDate> {
    first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .ok_or_else(too_far)
}

/// `月底`, `月初`, `下月初`, `下个月`, `上月底`, `下个月5号`.
fn month_ref(s: &str, today: NaiveDate) -> Res<Option<(When, &str)>> {
    let Some((months, word, rest)) = longest(s, MONTHS) else {
        return Ok(None);
    };
    let first = month_start(today, months.unwrap_or(0))?;
    if let Some(r) = rest.strip_prefix('初') {
        return Ok(Some((When::Date(first), r)));
    }
    if let Some(r) = rest.strip_prefix('底').or_else(|| rest.strip_prefix('末')) {
        return Ok(Some((When::Date(month_end(first)?), r)));
    }
    let Some(k) = months else {
        return Ok(None);
    };
    if let Some((d, r)) = zh_int_prefix(rest) {
        if let Some(r) = r.strip_prefix('号').or_else(|| r.strip_prefix('日')) {
            let d = u32::try_from(d).unwrap_or(u32::MAX);
            return super::make_date(first.year(), first.month(), d)
                .map(|d| Some((When::Date(d), r)));
        }
    }
    if k == 0 {
        return Err(crate::tr!(
            "dates.zh_needs_day",
            word = word,
            example = format!("{word}底、{word}20号")
        ));
    }
    Span::Months(k)
        .add_inner(When::Date(today))
        .map(|w| Some((w, rest)))
}

/// `本季度末`, `季度初`, `下季度初`, `上季度末`.
fn quarter_ref(s: &str, today: NaiveDate) -> Res<Option<(NaiveDate, &str)>> {
    let Some((quarters, word, rest)) = longest(s, QUARTERS) else {
        return Ok(None);
    };
    let this =
        NaiveDate::from_ymd_opt(today.year(), today.month0() / 3 * 3 + 1, 1).ok_or_else(too_far)?;
    let first = |k: i64| {
        Span::Months(3 * (quarters.unwrap_or(0) + k))
            .add_inner(When::Date(this))
            .map(|w| w.date())
    };
    if let Some(r) = rest.strip_prefix('初') {
        return Ok(Some((first(0)?, r)));
    }
    if let Some(r) = rest.strip_prefix('末').or_else(|| rest.strip_prefix('底')) {
        return Ok(Some((first(1)?.pred_opt().ok_or_else(too_far)?, r)));
    }
    if quarters.is_none() {
        return Ok(None);
    }
    Err(crate::tr!(
        "dates.zh_needs_day",
        word = word,
        example = format!("{word}初、{word}末")
    ))
}

/// A year of four digits, Arabic or Chinese (`2027`, `二〇二七`), then `年`.
fn calendar_year(s: &str) -> Option<(i32, &str)> {
    let mut year = 0i32;
    let mut chars = s.char_indices();
    for _ in 0..4 {
        let (_, c) = chars.next()?;
        let d = match c {
            '0'..='9' => c as i32 - '0' as i32,
            '〇' | '零' => 0,
            _ => "一二三四五六七八九".chars().position(|x| x == c)? as i32 + 1,
        };
        year = year * 10 + d;
    }
    let (i, c) = chars.next()?;
    (c == '年').then(|| (year, &s[i + c.len_utf8()..]))
}

/// `明年`, `去年`, `年底`, `明年初`, `今年国庆`, `2027年5月20日`, `明年3月底`.
fn year_ref(s: &str, today: NaiveDate) -> Res<Option<(When, &str)>> {
    let (year, k, word, rest) = match calendar_year(s) {
        Some((y, rest)) => (y, None, &s[..s.len() - rest.len()], rest),
        None => match longest(s, YEARS) {
            Some((k, word, rest)) => {
                let y = i64::from(today.year()) + k.unwrap_or(0);
                (i32::try_from(y).map_err(|_| too_far())?, k, word, rest)
            }
            None => return Ok(None),
        },
    };
    let bare = word == "年";
    let ymd = |m: u32, d: u32| super::make_date(year, m, d).map(When::Date);
    for (after, (m, d)) in [
        ("年初", (1, 1)),
        ("初", (1, 1)),
        ("年底", (12, 31)),
        ("年末", (12, 31)),
        ("底", (12, 31)),
        ("末", (12, 31)),
    ] {
        if let Some(r) = rest.strip_prefix(after) {
            // `年年底` is not a word.
            if !(bare && after.starts_with('年')) {
                return Ok(Some((ymd(m, d)?, r)));
            }
        }
    }
    if bare {
        return Ok(None);
    }
    if let Some(((m, d), r)) = holiday(rest) {
        return Ok(Some((ymd(m, d)?, r)));
    }
    let now = today.and_time(NaiveTime::MIN);
    if let Some(read) = numeral_led(rest, Some(year), now)? {
        return Ok(Some(read));
    }
    match k {
        Some(k) if k != 0 => Span::Years(k)
            .add_inner(When::Date(today))
            .map(|w| Some((w, rest))),
        _ => Err(crate::tr!(
            "dates.zh_needs_day",
            word = word,
            example = format!("{word}5月20日")
        )),
    }
}

/// The next `m`/`d` on or after `today` (within eight years: 29 February), or that day of
/// `year`.
fn next_month_day(year: Option<i32>, m: u32, d: u32, today: NaiveDate) -> Res<NaiveDate> {
    if let Some(y) = year {
        return super::make_date(y, m, d);
    }
    let found = (0..=8)
        .filter_map(|k| NaiveDate::from_ymd_opt(today.year().checked_add(k)?, m, d))
        .find(|date| *date >= today);
    match found {
        Some(date) => Ok(date),
        // Not a day of any year (2月30日) says why; a day past the calendar's end is too far.
        None => super::make_date(today.year(), m, d).and_then(|_| Err(too_far())),
    }
}

/// The next day numbered `d` on or after `today`: this month's, or a later month's.
fn next_day_of_month(d: u64, today: NaiveDate) -> Res<NaiveDate> {
    let Some(day) = u32::try_from(d).ok().filter(|d| (1..=31).contains(d)) else {
        return Err(crate::tr!("dates.zh_day_range", d = d));
    };
    let d = day;
    (0..=12)
        .filter_map(|k| month_start(today, k).ok()?.with_day(d))
        .find(|date| *date >= today)
        .ok_or_else(too_far)
}

/// A word that starts with a number: `5月20日`, `3月底`, `20号`, `3天后`, `半个月后` (after a
/// year, only the first two).
fn numeral_led(s: &str, year: Option<i32>, now: NaiveDateTime) -> Res<Option<(When, &str)>> {
    let today = now.date();
    if let Some((n, after)) = zh_int_prefix(s) {
        let number = &s[..s.len() - after.len()];
        if let Some(r) = after.strip_prefix('月') {
            let m = u32::try_from(n).unwrap_or(u32::MAX);
            if !(1..=12).contains(&m) {
                return Err(crate::tr!("dates.month_out_range", m = n));
            }
            if let Some(r) = r.strip_prefix('初') {
                return next_month_day(year, m, 1, today).map(|d| Some((When::Date(d), r)));
            }
            if let Some(r) = r.strip_prefix('底').or_else(|| r.strip_prefix('末')) {
                let end = |y: i32| super::make_date(y, m, 1).and_then(month_end);
                let d = match year {
                    Some(y) => end(y)?,
                    None => {
                        let this = end(today.year())?;
                        if this >= today {
                            this
                        } else {
                            end(today.year().checked_add(1).ok_or_else(too_far)?)?
                        }
                    }
                };
                return Ok(Some((When::Date(d), r)));
            }
            if let Some((d, r)) = zh_int_prefix(r) {
                let r = r
                    .strip_prefix('日')
                    .or_else(|| r.strip_prefix('号'))
                    .unwrap_or(r);
                let d = u32::try_from(d).unwrap_or(u32::MAX);
                return next_month_day(year, m, d, today).map(|d| Some((When::Date(d), r)));
            }
            if year.is_none() && longest(r, DIRECTIONS).is_some() {
                return Err(crate::tr!(
                    "dates.zh_months",
                    word = format!("{number}月"),
                    suggestion = format!("{number}个月")
                ));
            }
            return Err(crate::tr!(
                "dates.zh_needs_day",
                word = format!("{number}月"),
                example = format!("{number}月20日")
            ));
        }
        if year.is_some() {
            return Ok(None);
        }
        if let Some(r) = after.strip_prefix('号').or_else(|| {
            after
                .strip_prefix('日')
                .filter(|r| longest(r, DIRECTIONS).is_none())
        }) {
            return next_day_of_month(n, today).map(|d| Some((When::Date(d), r)));
        }
    }
    if year.is_some() {
        return Ok(None);
    }
    relative(s, now)
}

/// An amount of time at the start of `s`: `3天`, `两周`, `一个月`, `半个月`, `一个半小时`,
/// `一年半`; the spans it adds up to and what follows. `None` when `s` does not start with
/// one.
fn amount(s: &str) -> Res<Option<(Vec<Span>, &str)>> {
    let (n, half_before, after) = if let Some(r) = s.strip_prefix('半') {
        (0, true, r)
    } else if let Some((n, r)) = zh_int_prefix(s) {
        match r.strip_prefix("个半") {
            Some(r) => (n, true, r),
            None => (n, false, r),
        }
    } else {
        return Ok(None);
    };
    // "半个月": the 个 belongs to the unit; "一个半月": it was read with 半.
    let Some((unit, _, r)) = longest(after, UNITS) else {
        return Ok(None);
    };
    let (half, r) = match r.strip_prefix('半') {
        Some(r) if !half_before => (true, r),
        _ => (half_before, r),
    };
    let word = &s[..s.len() - r.len()];
    let n = i64::try_from(n).map_err(|_| too_far())?;
    let bad_half = || crate::tr!("dates.zh_half", word = word);
    let whole = match unit {
        Unit::Minute => Span::Minutes(n),
        Unit::Hour => Span::Hours(n),
        Unit::Day => Span::Days(n),
        Unit::Week => Span::Weeks(n),
        Unit::Month => Span::Months(n),
        Unit::Year => Span::Years(n),
    };
    if !half {
        return Ok(Some((vec![whole], r)));
    }
    let in_smaller = |per: i64, half: i64| n.checked_mul(per).and_then(|v| v.checked_add(half));
    let spans = match unit {
        Unit::Hour => vec![Span::Minutes(in_smaller(60, 30).ok_or_else(too_far)?)],
        Unit::Day => vec![Span::Hours(in_smaller(24, 12).ok_or_else(too_far)?)],
        Unit::Year => vec![Span::Months(in_smaller(12, 6).ok_or_else(too_far)?)],
        Unit::Month if n == 0 => vec![Span::Days(15)],
        Unit::Month => vec![whole, Span::Days(15)],
        Unit::Minute | Unit::Week => return Err(bad_half()),
    };
    Ok(Some((spans, r)))
}

/// `3天后`, `两周后`, `一个月后`, `三天前`, `半个月后`, `2小时后`, `3天内`.
fn relative(s: &str, now: NaiveDateTime) -> Res<Option<(When, &str)>> {
    let Some((spans, r)) = amount(s)? else {
        return Ok(None);
    };
    let word = &s[..s.len() - r.len()];
    let Some((sign, _, rest)) = longest(r, DIRECTIONS) else {
        return Err(crate::tr!(
            "dates.zh_needs_direction",
            word = word,
            later = format!("{word}后"),
            earlier = format!("{word}前")
        ));
    };
    let timed = spans
        .iter()
        .any(|s| matches!(s, Span::Hours(_) | Span::Minutes(_)));
    let mut w = if timed {
        When::DateTime(super::truncate_secs(now))
    } else {
        When::Date(now.date())
    };
    for span in spans {
        let span = if sign < 0 { span.negate() } else { span };
        w = span.add_inner(w)?;
    }
    Ok(Some((w, rest)))
}

/// A clock time, with the part of the day before it or given by the date (`明早`): the time
/// and the days it moves the date (晚上12点 is the next day's 00:00). `None` when `s` does
/// not look like a time.
fn time(s: &str, inherited: Option<(Period, &str)>) -> Res<Option<(NaiveTime, i64)>> {
    let (period, body) = match inherited {
        Some(p) => (Some(p), s),
        None => match longest(s, PERIODS) {
            Some((p, w, rest)) => (Some((p, w)), rest),
            None => (None, s),
        },
    };
    let noon = || NaiveTime::from_hms_opt(12, 0, 0).ok_or_else(too_far);
    if body.is_empty() {
        return match period {
            Some((Period::Noon, _)) => Ok(Some((noon()?, 0))),
            Some((p, w)) => Err(needs_clock(w, p)),
            None => Ok(None),
        };
    }
    // A part of the day and then no clock: the nearest time if it is close (`下午3奌`).
    let needs = |found: Option<NaiveTime>| match (found, period) {
        (Some(t), _) => Ok(Some((t, 0))),
        (None, Some((p, w))) => Err(match nearest(s, &[], TIME_TEMPLATES) {
            Some(suggestion) => {
                crate::tr!("dates.zh_unknown", word = s, suggestion = suggestion)
            }
            None => needs_clock(w, p),
        }),
        (None, None) => Ok(None),
    };
    // 15:30, 9am, noon: read as in English, then in the part of the day.
    if body.is_ascii() {
        return match super::parse_time(body) {
            Some(Ok(t)) => match period {
                None => Ok(Some((t, 0))),
                Some((p, w)) => {
                    let (h, days) = in_period(p, w, s, u64::from(t.hour()))?;
                    let t =
                        NaiveTime::from_hms_opt(h, t.minute(), t.second()).ok_or_else(too_far)?;
                    Ok(Some((t, days)))
                }
            },
            Some(Err(e)) => Err(e),
            None => needs(None),
        };
    }
    let Some((h, after)) = zh_int_prefix(body) else {
        return needs(None);
    };
    let Some(mins) = ["点", "時", "时", "點"]
        .iter()
        .find_map(|u| after.strip_prefix(u))
    else {
        return needs(None);
    };
    let minute = match mins {
        "" | "整" | "钟" => 0,
        "半" => 30,
        "一刻" | "1刻" => 15,
        "三刻" | "3刻" => 45,
        _ => {
            let digits = match mins.strip_prefix('零') {
                Some(r) if r.starts_with(is_numeral_char) => r,
                _ => mins,
            };
            match zh_int_prefix(digits) {
                Some((m, "" | "分" | "分钟")) => m,
                _ => {
                    let time = &s[..s.len() - mins.len()];
                    return Err(crate::tr!("dates.zh_after_time", got = mins, time = time));
                }
            }
        }
    };
    if minute > 59 {
        return Err(crate::tr!("dates.minute_out_range", minute = minute));
    }
    let (hour, days) = match period {
        Some((p, w)) => in_period(p, w, s, h)?,
        None if h <= 23 => (h as u32, 0),
        None => return Err(crate::tr!("dates.hour_out_range_24", hour = h)),
    };
    let t = NaiveTime::from_hms_opt(hour, minute as u32, 0).ok_or_else(too_far)?;
    Ok(Some((t, days)))
}

/// The hour of the 24 `h` o'clock means in a part of the day (`晚上8点` is 20:00), and the
/// days it moves the date.
fn in_period(p: Period, word: &str, text: &str, h: u64) -> Res<(u32, i64)> {
    let (hour, days) = match (p, h) {
        (Period::Dawn, 0..=6) => (h, 0),
        (Period::Dawn, 12) => (0, 0),
        (Period::Morning, 0..=12) => (h, 0),
        (Period::Noon, 11..=14) => (h, 0),
        (Period::Noon, 1..=2) => (h + 12, 0),
        (Period::Afternoon, 1..=11) => (h + 12, 0),
        (Period::Afternoon, 12..=23) => (h, 0),
        (Period::Evening, 5..=11) => (h + 12, 0),
        (Period::Evening, 12) => (0, 1),
        (Period::Evening, 17..=23) => (h, 0),
        _ => {
            let (from, to) = match p {
                Period::Dawn => (0, 6),
                Period::Morning => (0, 12),
                Period::Noon => (11, 2),
                Period::Afternoon => (1, 12),
                Period::Evening => (5, 12),
            };
            return Err(crate::tr!(
                "dates.zh_hour_period",
                word = text,
                period = word,
                from = from,
                to = to
            ));
        }
    };
    Ok((hour as u32, days))
}

/// "明早 needs a time, like 明早9点".
fn needs_clock(word: &str, p: Period) -> String {
    let h = match p {
        Period::Dawn => 2,
        Period::Morning => 9,
        Period::Noon => 12,
        Period::Afternoon => 3,
        Period::Evening => 8,
    };
    crate::tr!(
        "dates.zh_needs_clock",
        word = word,
        example = format!("{word}{h}点")
    )
}

/// The numbers written in `s`, as written, for the forms offered instead of it.
fn numbers_in(s: &str) -> (String, String) {
    let mut found = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(is_numeral_char) {
        let run = &rest[i..];
        match zh_int_prefix(run) {
            Some((_, after)) => {
                found.push(run[..run.len() - after.len()].to_string());
                rest = after;
            }
            None => rest = &run[run.chars().next().map_or(1, char::len_utf8)..],
        }
    }
    let mut it = found.into_iter();
    let a = it.next().unwrap_or_else(|| "3".into());
    let b = it.next().unwrap_or_else(|| "20".into());
    (a, b)
}

/// The form among `fixed` and `templates` (filled with the numbers of `s`) closest to `s`,
/// if it is close: at most one character in two different.
fn nearest(s: &str, fixed: &[&str], templates: &[&str]) -> Option<String> {
    let (a, b) = numbers_in(s);
    let len = s.chars().count();
    templates
        .iter()
        .map(|t| t.replace("{a}", &a).replace("{b}", &b))
        .chain(fixed.iter().map(|f| f.to_string()))
        .map(|c| (strsim::levenshtein(s, &c), c))
        .filter(|(d, c)| *d > 0 && *d <= (len.min(c.chars().count()) / 2).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn nearest_time(s: &str) -> String {
    nearest(s, &[], TIME_TEMPLATES).unwrap_or_else(|| "下午3点".into())
}

/// Why a Chinese word is not a date, with the closest form kith knows.
fn unknown(s: &str) -> String {
    match nearest(s, VOCABULARY, TEMPLATES) {
        Some(suggestion) => crate::tr!("dates.zh_unknown", word = s, suggestion = suggestion),
        None => crate::tr!("dates.zh_unknown_examples", word = s),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_date, parse_duration, parse_when};
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dt(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, 0).unwrap()
    }

    /// The clock the command-line tests pin: Sunday 2026-11-22 10:00.
    fn sunday() -> NaiveDateTime {
        dt(2026, 11, 22, 10, 0)
    }

    /// Wednesday 2026-11-18 10:20:30.
    fn wednesday() -> NaiveDateTime {
        d(2026, 11, 18).and_hms_opt(10, 20, 30).unwrap()
    }

    fn on(now: NaiveDateTime, s: &str) -> When {
        parse_when(s, now).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// Each word, read on Sunday 2026-11-22 10:00, is the given day.
    fn days(cases: &[(&str, NaiveDate)]) {
        for (s, want) in cases {
            assert_eq!(on(sunday(), s), When::Date(*want), "{s}");
        }
    }

    fn times(now: NaiveDateTime, cases: &[(&str, NaiveDateTime)]) {
        for (s, want) in cases {
            assert_eq!(on(now, s), When::DateTime(*want), "{s}");
        }
    }

    fn reason(now: NaiveDateTime, s: &str) -> String {
        match parse_when(s, now) {
            Ok(w) => panic!("{s} read as {w:?}"),
            Err(e) => e.reason,
        }
    }

    #[test]
    fn days_around_today() {
        days(&[
            ("今天", d(2026, 11, 22)),
            ("今日", d(2026, 11, 22)),
            ("明天", d(2026, 11, 23)),
            ("明日", d(2026, 11, 23)),
            ("后天", d(2026, 11, 24)),
            ("大后天", d(2026, 11, 25)),
            ("昨天", d(2026, 11, 21)),
            ("前天", d(2026, 11, 20)),
            ("大前天", d(2026, 11, 19)),
            (" 明天 ", d(2026, 11, 23)),
        ]);
    }

    #[test]
    fn weekdays_on_a_sunday() {
        // This week is Mon 16 .. Sun 22; next week Mon 23 .. Sun 29.
        days(&[
            ("本周五", d(2026, 11, 20)),
            ("本周一", d(2026, 11, 16)),
            ("本周日", d(2026, 11, 22)),
            ("这周三", d(2026, 11, 18)),
            ("这个星期六", d(2026, 11, 21)),
            ("下周五", d(2026, 11, 27)),
            ("下周一", d(2026, 11, 23)),
            ("下周日", d(2026, 11, 29)),
            ("下周天", d(2026, 11, 29)),
            ("下个星期二", d(2026, 11, 24)),
            ("下星期四", d(2026, 11, 26)),
            ("下礼拜五", d(2026, 11, 27)),
            ("下个周五", d(2026, 11, 27)),
            ("下下周一", d(2026, 11, 30)),
            ("上周一", d(2026, 11, 9)),
            ("上周五", d(2026, 11, 13)),
            ("上个星期日", d(2026, 11, 15)),
            ("上上周一", d(2026, 11, 2)),
            // Bare: the next such day strictly after today, as `fri`.
            ("周五", d(2026, 11, 27)),
            ("星期五", d(2026, 11, 27)),
            ("礼拜五", d(2026, 11, 27)),
            ("周一", d(2026, 11, 23)),
            ("周日", d(2026, 11, 29)),
            ("星期天", d(2026, 11, 29)),
            ("礼拜天", d(2026, 11, 29)),
            ("周六", d(2026, 11, 28)),
        ]);
        assert_eq!(on(sunday(), "周五"), parse_when("fri", sunday()).unwrap());
    }

    #[test]
    fn weekdays_on_a_wednesday() {
        let now = wednesday();
        for (s, want) in [
            ("本周五", d(2026, 11, 20)),
            ("本周一", d(2026, 11, 16)),
            ("下周五", d(2026, 11, 27)),
            ("下周一", d(2026, 11, 23)),
            ("上周一", d(2026, 11, 9)),
            ("周五", d(2026, 11, 20)),
            ("周三", d(2026, 11, 25)),
            ("星期二", d(2026, 11, 24)),
        ] {
            assert_eq!(parse_date(s, now).unwrap(), want, "{s}");
        }
        // `next fri` is the coming Friday; 下周五 is always in next week.
        assert_eq!(parse_date("next fri", now).unwrap(), d(2026, 11, 20));
    }

    #[test]
    fn months_quarters_years() {
        days(&[
            ("月底", d(2026, 11, 30)),
            ("月末", d(2026, 11, 30)),
            ("本月底", d(2026, 11, 30)),
            ("月初", d(2026, 11, 1)),
            ("本月初", d(2026, 11, 1)),
            ("下月初", d(2026, 12, 1)),
            ("下个月初", d(2026, 12, 1)),
            ("下月底", d(2026, 12, 31)),
            ("下个月", d(2026, 12, 22)),
            ("下月", d(2026, 12, 22)),
            ("上个月", d(2026, 10, 22)),
            ("上月底", d(2026, 10, 31)),
            ("上个月初", d(2026, 10, 1)),
            ("下个月5号", d(2026, 12, 5)),
            ("本月20号", d(2026, 11, 20)),
            ("这个月28日", d(2026, 11, 28)),
            ("本季度末", d(2026, 12, 31)),
            ("季度末", d(2026, 12, 31)),
            ("本季度初", d(2026, 10, 1)),
            ("下季度初", d(2027, 1, 1)),
            ("下个季度末", d(2027, 3, 31)),
            ("上季度末", d(2026, 9, 30)),
            ("年底", d(2026, 12, 31)),
            ("年末", d(2026, 12, 31)),
            ("今年年底", d(2026, 12, 31)),
            ("今年底", d(2026, 12, 31)),
            ("年初", d(2026, 1, 1)),
            ("明年", d(2027, 11, 22)),
            ("明年初", d(2027, 1, 1)),
            ("明年年底", d(2027, 12, 31)),
            ("去年", d(2025, 11, 22)),
            ("去年底", d(2025, 12, 31)),
            ("后年", d(2028, 11, 22)),
            ("3月底", d(2027, 3, 31)),
            ("十二月底", d(2026, 12, 31)),
            ("11月初", d(2027, 11, 1)),
            ("明年3月底", d(2027, 3, 31)),
            ("2027年底", d(2027, 12, 31)),
        ]);
        // The same words as the English ones.
        for (zh, en) in [
            ("月底", "eom"),
            ("月初", "som"),
            ("下月初", "sonm"),
            ("下月底", "eonm"),
            ("下个月", "+1m"),
            ("本季度末", "eoq"),
            ("本季度初", "soq"),
            ("年底", "eoy"),
            ("年初", "soy"),
            ("明年", "+1y"),
        ] {
            for now in [
                sunday(),
                wednesday(),
                dt(2024, 2, 29, 8, 0),
                dt(2026, 1, 31, 8, 0),
            ] {
                assert_eq!(on(now, zh), on(now, en), "{zh} on {now}");
            }
        }
        let jan31 = dt(2026, 1, 31, 8, 0);
        assert_eq!(parse_date("下个月", jan31).unwrap(), d(2026, 2, 28));
        assert_eq!(
            parse_date("月底", dt(2024, 2, 10, 0, 0)).unwrap(),
            d(2024, 2, 29)
        );
    }

    #[test]
    fn counted_from_now() {
        days(&[
            ("3天后", d(2026, 11, 25)),
            ("三天后", d(2026, 11, 25)),
            ("3天以后", d(2026, 11, 25)),
            ("3天之后", d(2026, 11, 25)),
            ("3天内", d(2026, 11, 25)),
            ("3日后", d(2026, 11, 25)),
            ("十天后", d(2026, 12, 2)),
            ("十一天后", d(2026, 12, 3)),
            ("二十天后", d(2026, 12, 12)),
            ("一百天后", d(2027, 3, 2)),
            ("两周后", d(2026, 12, 6)),
            ("2周后", d(2026, 12, 6)),
            ("两个星期后", d(2026, 12, 6)),
            ("一个礼拜后", d(2026, 11, 29)),
            ("一个月后", d(2026, 12, 22)),
            ("三个月后", d(2027, 2, 22)),
            ("半个月后", d(2026, 12, 7)),
            ("半月后", d(2026, 12, 7)),
            ("一个半月后", d(2027, 1, 6)),
            ("半年后", d(2027, 5, 22)),
            ("一年后", d(2027, 11, 22)),
            ("一年半后", d(2028, 5, 22)),
            ("三天前", d(2026, 11, 19)),
            ("3天以前", d(2026, 11, 19)),
            ("两周前", d(2026, 11, 8)),
            ("一个月前", d(2026, 10, 22)),
            ("0天后", d(2026, 11, 22)),
        ]);
        times(
            sunday(),
            &[
                ("2小时后", dt(2026, 11, 22, 12, 0)),
                ("两个小时后", dt(2026, 11, 22, 12, 0)),
                ("半小时后", dt(2026, 11, 22, 10, 30)),
                ("一个半小时后", dt(2026, 11, 22, 11, 30)),
                ("30分钟后", dt(2026, 11, 22, 10, 30)),
                ("十五分钟前", dt(2026, 11, 22, 9, 45)),
                ("3个钟头后", dt(2026, 11, 22, 13, 0)),
                ("半天后", dt(2026, 11, 22, 22, 0)),
                ("3天后下午3点", dt(2026, 11, 25, 15, 0)),
            ],
        );
        // Hours count from the moment, seconds and all, as `+2h` does.
        assert_eq!(on(wednesday(), "2小时后"), on(wednesday(), "+2h"));
        assert_eq!(on(wednesday(), "3天后"), on(wednesday(), "+3d"));
    }

    #[test]
    fn clock_times() {
        times(
            sunday(),
            &[
                ("下午3点", dt(2026, 11, 22, 15, 0)),
                ("上午10点", dt(2026, 11, 22, 10, 0)),
                ("上午十点", dt(2026, 11, 22, 10, 0)),
                ("早上8点", dt(2026, 11, 22, 8, 0)),
                ("晚上8点半", dt(2026, 11, 22, 20, 30)),
                ("晚上8点", dt(2026, 11, 22, 20, 0)),
                ("晚上12点", dt(2026, 11, 23, 0, 0)),
                ("中午12点", dt(2026, 11, 22, 12, 0)),
                ("中午1点", dt(2026, 11, 22, 13, 0)),
                ("中午", dt(2026, 11, 22, 12, 0)),
                ("凌晨2点", dt(2026, 11, 22, 2, 0)),
                ("凌晨12点", dt(2026, 11, 22, 0, 0)),
                ("下午12点", dt(2026, 11, 22, 12, 0)),
                ("下午15点", dt(2026, 11, 22, 15, 0)),
                ("3点15分", dt(2026, 11, 22, 3, 15)),
                ("3点15", dt(2026, 11, 22, 3, 15)),
                ("15点", dt(2026, 11, 22, 15, 0)),
                ("15时30分", dt(2026, 11, 22, 15, 30)),
                ("9点一刻", dt(2026, 11, 22, 9, 15)),
                ("9点三刻", dt(2026, 11, 22, 9, 45)),
                ("三点零五分", dt(2026, 11, 22, 3, 5)),
                ("3点05分", dt(2026, 11, 22, 3, 5)),
                ("十点整", dt(2026, 11, 22, 10, 0)),
                ("十一点", dt(2026, 11, 22, 11, 0)),
                ("两点", dt(2026, 11, 22, 2, 0)),
                ("下午3:30", dt(2026, 11, 22, 15, 30)),
                ("下午 3点", dt(2026, 11, 22, 15, 0)),
                ("下午３点", dt(2026, 11, 22, 15, 0)),
                ("１５：３０", dt(2026, 11, 22, 15, 30)),
            ],
        );
    }

    #[test]
    fn a_date_then_a_time() {
        times(
            sunday(),
            &[
                ("明早9点", dt(2026, 11, 23, 9, 0)),
                ("明晚8点", dt(2026, 11, 23, 20, 0)),
                ("今晚8点半", dt(2026, 11, 22, 20, 30)),
                ("今早7点", dt(2026, 11, 22, 7, 0)),
                ("明天早上9点", dt(2026, 11, 23, 9, 0)),
                ("明天下午3点", dt(2026, 11, 23, 15, 0)),
                ("明天 下午3点", dt(2026, 11, 23, 15, 0)),
                ("明天8:30", dt(2026, 11, 23, 8, 30)),
                ("明天 8:30", dt(2026, 11, 23, 8, 30)),
                ("明天 9am", dt(2026, 11, 23, 9, 0)),
                ("明天 9 am", dt(2026, 11, 23, 9, 0)),
                ("明天 noon", dt(2026, 11, 23, 12, 0)),
                ("下周一上午十点", dt(2026, 11, 23, 10, 0)),
                ("下周一 上午十点", dt(2026, 11, 23, 10, 0)),
                ("下周一 10:00", dt(2026, 11, 23, 10, 0)),
                ("下周五下午3点", dt(2026, 11, 27, 15, 0)),
                ("周五 14:00", dt(2026, 11, 27, 14, 0)),
                ("月底下午5点", dt(2026, 11, 30, 17, 0)),
                ("5月20日下午3点", dt(2027, 5, 20, 15, 0)),
                ("5月20日 15:00", dt(2027, 5, 20, 15, 0)),
                ("十一上午10点", dt(2027, 10, 1, 10, 0)),
                ("今晚12点", dt(2026, 11, 23, 0, 0)),
                // English date words before a Chinese time.
                ("fri 下午3点", dt(2026, 11, 27, 15, 0)),
                ("next fri 下午3点", dt(2026, 11, 27, 15, 0)),
                ("2026-12-01 下午3点", dt(2026, 12, 1, 15, 0)),
                ("2026-12-01下午3点", dt(2026, 12, 1, 15, 0)),
                ("tomorrow 晚上8点", dt(2026, 11, 23, 20, 0)),
                ("next 周五 下午3点", dt(2026, 11, 27, 15, 0)),
            ],
        );
        assert_eq!(on(sunday(), "last 周一"), When::Date(d(2026, 11, 16)));
    }

    #[test]
    fn days_of_the_calendar() {
        days(&[
            ("5月20日", d(2027, 5, 20)),
            ("5月20号", d(2027, 5, 20)),
            ("5月20", d(2027, 5, 20)),
            ("五月二十日", d(2027, 5, 20)),
            ("12月25日", d(2026, 12, 25)),
            ("11月22日", d(2026, 11, 22)),
            ("十一月五日", d(2027, 11, 5)),
            ("2月29日", d(2028, 2, 29)),
            ("2027年5月20日", d(2027, 5, 20)),
            ("2026年5月20日", d(2026, 5, 20)),
            ("二〇二七年五月二十日", d(2027, 5, 20)),
            ("今年5月20日", d(2026, 5, 20)),
            ("明年5月20日", d(2027, 5, 20)),
            ("20号", d(2026, 12, 20)),
            ("22号", d(2026, 11, 22)),
            ("30号", d(2026, 11, 30)),
            ("31号", d(2026, 12, 31)),
            ("二十号", d(2026, 12, 20)),
            ("十一号", d(2026, 12, 11)),
            ("25日", d(2026, 11, 25)),
        ]);
        assert_eq!(parse_date("20号", wednesday()).unwrap(), d(2026, 11, 20));
        assert_eq!(parse_date("5月20日", wednesday()).unwrap(), d(2027, 5, 20));
        assert_eq!(
            parse_date("30号", dt(2026, 2, 10, 0, 0)).unwrap(),
            d(2026, 3, 30)
        );
    }

    #[test]
    fn a_day_of_the_year_without_a_year() {
        use super::super::month_day;
        assert_eq!(month_day("5月20日"), Some((5, 20)));
        assert_eq!(month_day("五月二十号"), Some((5, 20)));
        assert_eq!(month_day(" 2月29日 "), Some((2, 29)));
        assert_eq!(month_day("--05-20"), Some((5, 20)));
        assert_eq!(month_day("5月20"), Some((5, 20)));
        for not in [
            "2月30日",
            "13月1日",
            "2027年5月20日",
            "20号",
            "5月20日下午3点",
        ] {
            assert_eq!(month_day(not), None, "{not}");
        }
    }

    #[test]
    fn holidays() {
        days(&[
            ("十一", d(2027, 10, 1)),
            ("国庆", d(2027, 10, 1)),
            ("国庆节", d(2027, 10, 1)),
            ("元旦", d(2027, 1, 1)),
            ("五一", d(2027, 5, 1)),
            ("劳动节", d(2027, 5, 1)),
            ("圣诞节", d(2026, 12, 25)),
            ("今年国庆", d(2026, 10, 1)),
            ("明年元旦", d(2027, 1, 1)),
            ("2028年十一", d(2028, 10, 1)),
        ]);
        let sept = dt(2026, 9, 30, 9, 0);
        assert_eq!(parse_date("十一", sept).unwrap(), d(2026, 10, 1));
        assert_eq!(
            parse_date("国庆", dt(2026, 10, 1, 9, 0)).unwrap(),
            d(2026, 10, 1)
        );
        // 十一 is eleven wherever it is a number.
        assert_eq!(parse_date("十一号", sept).unwrap(), d(2026, 10, 11));
        assert_eq!(parse_date("十一天后", sept).unwrap(), d(2026, 10, 11));
        assert_eq!(parse_date("十一月1日", sept).unwrap(), d(2026, 11, 1));
        assert_eq!(
            parse_when("十一点", sept).unwrap(),
            When::DateTime(dt(2026, 9, 30, 11, 0))
        );
    }

    #[test]
    fn what_cannot_be_read_says_why_and_the_nearest_form() {
        let r = |s| reason(sunday(), s);
        assert_eq!(
            r("下周八"),
            "'下周八' is not a day of the week; write 下周一 … 下周日"
        );
        assert_eq!(
            r("周八"),
            "'周八' is not a day of the week; write 周一 … 周日"
        );
        assert_eq!(r("下周"), "'下周' needs a day of the week: 下周一 … 下周日");
        assert_eq!(
            r("下周末"),
            "'下周末' is not a day of the week; write 下周一 … 下周日"
        );
        assert_eq!(
            r("月低"),
            "'月低' is not a date kith knows; did you mean '月底'?"
        );
        assert_eq!(
            r("明填"),
            "'明填' is not a date kith knows; did you mean '明天'?"
        );
        assert_eq!(
            r("3天候"),
            "'3天' needs 后 (later) or 前 (earlier): 3天后 or 3天前"
        );
        assert_eq!(
            r("3天"),
            "'3天' needs 后 (later) or 前 (earlier): 3天后 or 3天前"
        );
        assert_eq!(
            r("下午3奌"),
            "'下午3奌' is not a date kith knows; did you mean '下午3点'?"
        );
        assert_eq!(
            r("随便"),
            "'随便' is not a date kith knows; try 明天, 下周五, 月底, 3天后, 5月20日, 下午3点 or an ISO date (2026-11-22)"
        );
        assert_eq!(
            r("3月后"),
            "'3月' is a month, not a number of months; write 3个月"
        );
        assert_eq!(r("5月"), "'5月' needs a day, like 5月20日");
        assert_eq!(r("今年"), "'今年' needs a day, like 今年5月20日");
        assert_eq!(r("本季度"), "'本季度' needs a day, like 本季度初、本季度末");
        assert_eq!(r("本月"), "'本月' needs a day, like 本月底、本月20号");
        assert_eq!(r("13月5日"), "month 13 is out of range (1-12)");
        assert_eq!(r("2月30日"), "day 30 is out of range for February 2026");
        assert_eq!(r("本月31号"), "day 31 is out of range for November 2026");
        assert_eq!(r("32号"), "day 32 is out of range (1-31)");
        assert_eq!(r("明早"), "'明早' needs a time, like 明早9点");
        assert_eq!(r("下午"), "'下午' needs a time, like 下午3点");
        assert_eq!(r("明天下午"), "'下午' needs a time, like 下午3点");
        assert_eq!(
            r("下午3"),
            "'下午3' is not a date kith knows; did you mean '下午3点'?"
        );
        assert_eq!(r("下午好"), "'下午' needs a time, like 下午3点");
        assert_eq!(r("晚上3点"), "'晚上3点': 晚上 takes the hours 5 to 12");
        assert_eq!(r("今晚3点"), "'3点': 今晚 takes the hours 5 to 12");
        assert_eq!(r("上午13点"), "'上午13点': 上午 takes the hours 0 to 12");
        assert_eq!(r("25点"), "hour 25 is out of range (0-23)");
        assert_eq!(r("3点75分"), "minute 75 is out of range (0-59)");
        assert_eq!(
            r("3点钟头"),
            "'钟头' after the time '3点' is not minutes; write like 3点15分, 3点半 or 3点一刻"
        );
        assert_eq!(
            r("明天xyz"),
            "'xyz' after '明天' is not a time; write it like 明天下午3点"
        );
        assert_eq!(
            r("明天下吴3点"),
            "'下吴3点' after '明天' is not a time; write it like 明天下午3点"
        );
        assert_eq!(
            r("2小时后下午3点"),
            "'2小时后' is already a time of day; '下午3点' cannot follow it"
        );
        assert_eq!(
            r("春节"),
            "'春节' falls on a different day every year; type its date, like 2027年2月6日"
        );
        assert_eq!(
            r("一个半周后"),
            "'一个半周' is not a length of time kith counts; use 半天, 半个月, 半年, 半小时 or a whole number"
        );
        // English words first keep the English reason.
        assert!(r("next 周八").contains("'next' must be followed by a weekday"));
        assert!(r("fri 晚上3点").contains("晚上 takes the hours 5 to 12"));
        assert!(r("3随便").starts_with("'3随便' is not a date kith knows"));
        // The error names the input as typed.
        let e = parse_when(" 下周八 ", sunday()).unwrap_err();
        assert_eq!(e.input, "下周八");
        assert!(e.to_string().starts_with("bad date '下周八': "));
    }

    /// The tables of docs/dates.md, "Chinese date words": every form in the first column,
    /// and the English word of the second where it is one (in `code`), reads as the third
    /// on Sunday 2026-11-22 10:00; every word of the errors' table is refused so.
    #[test]
    fn the_documentation_says_what_kith_does() {
        let doc = include_str!("../../../docs/dates.md");
        let start = doc.find("## Chinese date words").unwrap();
        let section = &doc[start..];
        let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
        let code = |cell: &str| -> Vec<String> {
            cell.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect()
        };
        let (mut read, mut refused) = (0, 0);
        for line in section.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            match cells.as_slice() {
                // (The table of the parts of the day has no dates.)
                [typed, english, result] if result.starts_with("20") => {
                    let forms = code(typed).into_iter().chain(code(english));
                    for form in forms {
                        let got = match on(sunday(), &form) {
                            When::Date(d) => super::super::ymd(d),
                            When::DateTime(t) => super::super::iso_seconds(t),
                        };
                        assert_eq!(&got, result, "{form}: {line}");
                        read += 1;
                    }
                }
                [typed, says] => {
                    for form in code(typed) {
                        assert_eq!(&reason(sunday(), &form), says, "{line}");
                        refused += 1;
                    }
                }
                _ => {}
            }
        }
        assert!(read > 250 && refused > 10, "{read} forms, {refused} errors");
    }

    #[test]
    fn durations_in_chinese() {
        for (s, span) in [
            ("3天", Span::Days(3)),
            ("两周", Span::Weeks(2)),
            ("一个月", Span::Months(1)),
            ("1年", Span::Years(1)),
            ("半小时", Span::Minutes(30)),
            ("30分钟", Span::Minutes(30)),
            ("2小时", Span::Hours(2)),
            ("半天", Span::Hours(12)),
            ("半个月", Span::Days(15)),
            ("３天", Span::Days(3)),
        ] {
            assert_eq!(parse_duration(s).unwrap(), span, "{s}");
        }
        assert_eq!(
            parse_duration("3天后").unwrap_err().reason,
            "'3天后' is not a length of time; write it like 3天, 2周, 1个月, 半小时 or 30分钟"
        );
        assert!(parse_duration("一个半月").is_err());
    }

    #[test]
    fn calendar_edges_do_not_panic() {
        for now in [NaiveDateTime::MIN, NaiveDateTime::MAX] {
            for w in [
                "明天",
                "大前天",
                "下周五",
                "上周一",
                "本周日",
                "周五",
                "月底",
                "月初",
                "下月初",
                "上月底",
                "下个月",
                "本季度末",
                "下季度初",
                "上季度末",
                "年底",
                "明年",
                "去年",
                "明年初",
                "3天后",
                "一年半后",
                "2小时后",
                "5月20日",
                "20号",
                "十一",
                "元旦",
                "2月29日",
                "明早9点",
                "晚上12点",
                "下个月5号",
                "3月底",
                "今年5月20日",
            ] {
                let _ = parse_when(w, now);
            }
        }
    }

    /// Characters date words are made of, and others.
    const ZH: &str = "今明后昨前大天日周星期礼拜本这个下上月底初末季度年号点时分半刻整钟\
                      早晚午中凌晨夜里以之内后前小零一二两三四五六七八九十百千万亿元旦国庆劳动节\
                      圣诞春：:0123456789 amp";

    proptest! {
        #[test]
        fn any_input_is_a_date_or_a_reason(s in "\\PC{0,16}") {
            let _ = parse_when(&s, sunday());
            let _ = parse_duration(&s);
        }

        #[test]
        fn date_like_chinese_is_a_date_or_a_reason(
            cs in prop::collection::vec(prop::sample::select(ZH.chars().collect::<Vec<_>>()), 0..12),
            days in -800_000i32..800_000,
        ) {
            let s: String = cs.into_iter().collect();
            for now in [sunday(), wednesday()] {
                if let Err(e) = parse_when(&s, now) {
                    prop_assert!(!e.reason.is_empty());
                }
            }
            if let Some(date) = NaiveDate::from_num_days_from_ce_opt(days) {
                let _ = parse_when(&s, date.and_hms_opt(23, 59, 0).unwrap());
            }
            let _ = parse_duration(&s);
        }

        #[test]
        fn random_cjk_and_digits(s in "[\\u{4e00}-\\u{9fff}0-9 :]{0,10}") {
            let _ = parse_when(&s, sunday());
            let _ = parse_duration(&s);
        }

        #[test]
        fn n_days_later_and_earlier(n in 0u64..5000, days in 0i32..1_000_000) {
            let now = NaiveDate::from_num_days_from_ce_opt(days).unwrap().and_hms_opt(9, 0, 0).unwrap();
            let later = now.date().checked_add_days(Days::new(n)).unwrap();
            let earlier = now.date().checked_sub_days(Days::new(n)).unwrap();
            prop_assert_eq!(parse_date(&format!("{n}天后"), now).unwrap(), later);
            prop_assert_eq!(parse_date(&format!("{n}天前"), now).unwrap(), earlier);
        }

        #[test]
        fn weeks_are_monday_to_sunday(days in 0i32..1_000_000, wd in 0usize..7) {
            let now = NaiveDate::from_num_days_from_ce_opt(days).unwrap().and_hms_opt(9, 0, 0).unwrap();
            let today = now.date();
            let c = "一二三四五六日".chars().nth(wd).unwrap();
            let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
            let this = parse_date(&format!("本周{c}"), now).unwrap();
            let next = parse_date(&format!("下周{c}"), now).unwrap();
            let last = parse_date(&format!("上周{c}"), now).unwrap();
            let bare = parse_date(&format!("周{c}"), now).unwrap();
            prop_assert_eq!(this, monday + Days::new(wd as u64));
            prop_assert_eq!(next, this + Days::new(7));
            prop_assert_eq!(last, this - Days::new(7));
            prop_assert_eq!(this.weekday().num_days_from_monday() as usize, wd);
            prop_assert!(bare > today && bare <= today + Days::new(7));
            prop_assert_eq!(bare.weekday(), this.weekday());
        }

        #[test]
        fn a_day_of_the_year_is_the_next_one(days in 0i32..1_000_000, m in 1u32..=12, day in 1u32..=31) {
            let now = NaiveDate::from_num_days_from_ce_opt(days).unwrap().and_hms_opt(9, 0, 0).unwrap();
            let today = now.date();
            match parse_date(&format!("{m}月{day}日"), now) {
                Ok(got) => {
                    prop_assert_eq!((got.month(), got.day()), (m, day));
                    prop_assert!(got >= today);
                    // Not a year too late (29 February waits for a leap year).
                    let year_before = got.with_year(got.year() - 1);
                    if let Some(before) = year_before {
                        prop_assert!(before < today || (m, day) == (2, 29));
                    }
                }
                Err(_) => prop_assert!(NaiveDate::from_ymd_opt(2000, m, day).is_none()),
            }
        }

        #[test]
        fn afternoon_hours(h in 1u32..=11, m in 0u32..60) {
            prop_assert_eq!(
                parse_when(&format!("下午{h}点{m}分"), sunday()).unwrap(),
                When::DateTime(dt(2026, 11, 22, h + 12, m))
            );
        }
    }
}
