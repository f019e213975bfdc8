//! Parsing and checking single values typed by a user: numbers, yes/no, emails, phones,
//! currency codes. Used by validation and by filters alike.

use crate::core::error::Result;

/// A number as people type it: `120000`, `120,000`, `120_000`, `1.5`, `50k`, `1.2m`.
pub fn parse_number(s: &str) -> Result<f64> {
    let t = s.trim();
    let cleaned: String = t.chars().filter(|c| *c != ',' && *c != '_').collect();
    let (digits, factor) = match cleaned.chars().last() {
        Some('k' | 'K') => (&cleaned[..cleaned.len() - 1], 1e3),
        Some('m' | 'M') => (&cleaned[..cleaned.len() - 1], 1e6),
        _ => (cleaned.as_str(), 1.0),
    };
    let n: f64 = digits
        .parse()
        .map_err(|_| crate::err!(Invalid, "values.not_a_number", t = t))?;
    let n = n * factor;
    if !n.is_finite() {
        return Err(crate::err!(Invalid, "values.finite_number", t = t));
    }
    Ok(n)
}

/// A whole number (also `1k`, `2,000`).
pub fn parse_int(s: &str) -> Result<i64> {
    let n = parse_number(s)?;
    if n.fract() != 0.0 || n.abs() > 9.0e15 {
        return Err(crate::err!(Invalid, "values.whole_number", s = s.trim()));
    }
    Ok(n as i64)
}

/// yes/no, true/false, y/n, 1/0, on/off, done/open.
pub fn parse_bool(s: &str) -> Result<bool> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "t" | "1" | "on" | "done" => Ok(true),
        "no" | "n" | "false" | "f" | "0" | "off" | "open" => Ok(false),
        other => Err(crate::err!(Invalid, "values.not_yes_or_no", other = other)),
    }
}

/// A plausible email address: one '@', something before it, a dot in the domain, no spaces.
pub fn check_email(s: &str) -> Result<String> {
    let t = s.trim();
    let ok = match t.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !t.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(t.to_string())
    } else {
        Err(crate::err!(Invalid, "values.email_address", t = t))
    }
}

/// A phone number: digits with spaces, dots, dashes, parentheses, a leading '+', and an
/// optional extension (`x123`, `ext 123`, `转123`). At least three digits.
pub fn check_phone(s: &str) -> Result<String> {
    let t = s.trim();
    let main = t
        .split(['x', 'X', '转'])
        .next()
        .unwrap_or("")
        .trim_end_matches(|c: char| c == ' ' || c.is_alphabetic());
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let allowed = |c: char| c.is_ascii_digit() || " +-.()/".contains(c);
    if digits >= 3 && main.chars().all(allowed) && !main.is_empty() {
        Ok(t.to_string())
    } else {
        Err(crate::err!(Invalid, "values.phone_number", t = t))
    }
}

/// Text a terminal would not act on: no control characters (C0, DEL, C1) but tab, and line
/// breaks only where `line_breaks` (multi-line fields: notes, an activity's body). Every
/// value kith stores is checked here first, whichever way it came in (`add`, `edit`, the
/// interface, CSV, vCard, a dump); output escapes what older databases may hold
/// ([`crate::core::escape`]).
pub fn check_controls(s: &str, line_breaks: bool) -> Result<()> {
    for (i, c) in s.chars().enumerate() {
        if !c.is_control() || c == '\t' {
            continue;
        }
        if c == '\n' || c == '\r' {
            if line_breaks {
                continue;
            }
            return Err(crate::err!(Invalid, "values.must_one_line"));
        }
        return Err(crate::err!(
            Invalid,
            "values.control_character_character",
            code = format!("{:04X}", c as u32),
            c = control_name(c),
            i = i + 1
        ));
    }
    Ok(())
}

/// The usual abbreviation of a control character.
fn control_name(c: char) -> &'static str {
    const C0: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
        "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB",
        "ESC", "FS", "GS", "RS", "US",
    ];
    match c as u32 {
        n @ 0..=0x1f => C0[n as usize],
        0x7f => "DEL",
        _ => "C1 control",
    }
}

/// A three-letter currency code, upper-cased (`usd` → `USD`, `cny` → `CNY`).
pub fn check_currency(s: &str) -> Result<String> {
    let t = s.trim();
    if t.len() == 3 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(t.to_ascii_uppercase())
    } else {
        Err(crate::err!(Invalid, "values.three_letter_currency", t = t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number("120000").unwrap(), 120000.0);
        assert_eq!(parse_number(" 120,000 ").unwrap(), 120000.0);
        assert_eq!(parse_number("1_000").unwrap(), 1000.0);
        assert_eq!(parse_number("50k").unwrap(), 50000.0);
        assert_eq!(parse_number("1.2M").unwrap(), 1_200_000.0);
        assert_eq!(parse_number("-3.5").unwrap(), -3.5);
        assert!(parse_number("abc").is_err());
        assert!(parse_number("").is_err());
        assert!(parse_number("inf").is_err());
        assert!(parse_number("k").is_err());
        assert_eq!(
            parse_number("12a").unwrap_err().to_string(),
            "'12a' is not a number"
        );
    }

    #[test]
    fn ints() {
        assert_eq!(parse_int("85").unwrap(), 85);
        assert_eq!(parse_int("2k").unwrap(), 2000);
        assert!(parse_int("1.5").is_err());
    }

    #[test]
    fn bools() {
        assert!(parse_bool("Yes").unwrap());
        assert!(!parse_bool("0").unwrap());
        assert!(parse_bool("maybe").is_err());
    }

    #[test]
    fn emails() {
        assert_eq!(check_email(" li@baiyun.cn ").unwrap(), "li@baiyun.cn");
        assert!(check_email("li@").is_err());
        assert!(check_email("li baiyun.cn").is_err());
        assert!(check_email("a@b@c.com").is_err());
        assert!(check_email("a@localhost").is_err());
    }

    #[test]
    fn phones() {
        assert!(check_phone("+86 20 3606 6999").is_ok());
        assert!(check_phone("(020) 8612-3456 x12").is_ok());
        assert!(check_phone("138-0013-8000转123").is_ok());
        assert!(check_phone("12").is_err());
        assert!(check_phone("call me").is_err());
    }

    #[test]
    fn currencies() {
        assert_eq!(check_currency("cny").unwrap(), "CNY");
        assert!(check_currency("yuan").is_err());
    }

    #[test]
    fn control_characters() {
        assert!(check_controls("Acme\tLtd", false).is_ok());
        assert!(check_controls("two\nlines\r\n", true).is_ok());
        assert_eq!(
            check_controls("two\nlines", false).unwrap_err().to_string(),
            "must be one line"
        );
        assert_eq!(
            check_controls("\u{1b}]0;x\u{7}", true)
                .unwrap_err()
                .to_string(),
            "control character U+001B (ESC) at character 1 is not allowed"
        );
        assert_eq!(
            check_controls("广州\0", false).unwrap_err().to_string(),
            "control character U+0000 (NUL) at character 3 is not allowed"
        );
        assert_eq!(
            check_controls("x\u{85}", true).unwrap_err().to_string(),
            "control character U+0085 (C1 control) at character 2 is not allowed"
        );
        assert!(check_controls("x\u{7f}", true).is_err());
        // Not controls: format characters such as a right-to-left mark are text.
        assert!(check_controls("\u{200f}שלום \u{202e}", false).is_ok());
    }

    proptest! {
        #[test]
        fn no_value_parser_panics(s in "\\PC*") {
            let _ = parse_number(&s);
            let _ = parse_int(&s);
            let _ = parse_bool(&s);
            let _ = check_email(&s);
            let _ = check_phone(&s);
            let _ = check_currency(&s);
        }
    }
}
