//! Phone numbers compared as numbers, not as text: `+86 138 0013 8000`, `13800138000`,
//! `138-0013-8000`, `0086 13800138000` and `+86-138-0013-8000` are one number, and so are
//! `020-8888 8888`, `(020) 88888888` and `+86 20 8888 8888`. Duplicate checks and
//! `kith search` read numbers through [`number`].
//!
//! A number is reduced to its digits with the country code in front (`+8613800138000`,
//! `+862088888888`, `+14155550101`), read this way:
//!
//! - what follows an extension mark (`x`, `X`, `转`, as [`super::values::check_phone`]
//!   takes them) is left out: a switchboard's extensions are one line;
//! - a number starting with `+` or `00` (China's international prefix) gives its country
//!   code; for China (`+86`) a trunk `0` written after it (`+86 020 …`) is dropped, and so
//!   is a `(0)` after any country code (`+44 (0)20 …`);
//! - a number without a country code is Chinese when it looks Chinese: a leading `0` is
//!   the trunk prefix of an area code (`020`, `0755`) or of a mobile number (`013…`); 11
//!   digits starting with 1 are a mobile number; 10 digits starting with 400 or 800 are a
//!   service number; 13 digits `861…` are a mobile number with its country code but no
//!   `+`;
//! - any other number has no known country (a local number without its area code,
//!   `8888 8888`, or another country's number written without its code,
//!   `(415) 555-0101`) and is kept as its digits.
//!
//! Two numbers of known country are the same number when they are equal. A number of no
//! known country is the same as another whose digits end with its digits (`8888 8888` is
//! `020-8888 8888` as far as anyone can tell). Numbers of fewer than 7 digits (an
//! extension alone, a short service code) are nobody's.
//!
//! Why not libphonenumber's rules (the `phonenumber` crate): its first number loads the
//! metadata of every country, 70 ms in a release build and half a second in a debug one,
//! on every command that writes or looks up a phone, and it reads no `转`. What comparing
//! needs is one canonical form per number, which the rules above give for Chinese numbers
//! and for any number written with its country code.

/// The fewest digits a phone number has to be compared at all.
pub const FEWEST_DIGITS: usize = 7;

/// How many of a number's last digits the index of duplicate keys holds: every number that
/// may be the same as another ends with the same this many digits.
pub const TAIL_DIGITS: usize = 7;

/// A phone number as it is compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// The digits, after `+` and the country code when it is known: `+8613800138000`;
    /// only the digits when not: `88888888`.
    pub key: String,
}

/// The number `phone` is, or None when it has fewer than [`FEWEST_DIGITS`] digits.
pub fn number(phone: &str) -> Option<Number> {
    let main = phone.split(['x', 'X', '转']).next().unwrap_or("").trim();
    let international = main.starts_with('+') || digits(main).starts_with("00");
    // A trunk zero in brackets after a country code is not dialled from abroad.
    let main = if international {
        main.replace("(0)", "")
    } else {
        main.to_string()
    };
    let d = digits(&main);
    let key = if main.starts_with('+') {
        with_code(&d)
    } else if let Some(rest) = d.strip_prefix("00") {
        with_code(rest)
    } else if let Some(national) = d.strip_prefix('0') {
        format!("+86{national}")
    } else if is_mobile(&d) || (d.len() == 10 && (d.starts_with("400") || d.starts_with("800"))) {
        format!("+86{d}")
    } else if d.len() == 13 && d.starts_with("86") && is_mobile(&d[2..]) {
        format!("+{d}")
    } else {
        d
    };
    let n = Number { key };
    (n.digits().len() >= FEWEST_DIGITS).then_some(n)
}

/// The digits of a number that starts with its country code: `+` and them, without a
/// Chinese trunk `0` after `86`.
fn with_code(d: &str) -> String {
    match d.strip_prefix("86") {
        Some(national) => format!("+86{}", national.strip_prefix('0').unwrap_or(national)),
        None => format!("+{d}"),
    }
}

/// A Chinese mobile number: 11 digits starting with 1.
fn is_mobile(d: &str) -> bool {
    d.len() == 11 && d.starts_with('1')
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

impl Number {
    /// Whether its country code is known.
    pub fn placed(&self) -> bool {
        self.key.starts_with('+')
    }

    fn digits(&self) -> &str {
        self.key.trim_start_matches('+')
    }

    /// Its last [`TAIL_DIGITS`] digits: what the index of duplicate keys holds.
    pub fn tail(&self) -> &str {
        let d = self.digits();
        &d[d.len().saturating_sub(TAIL_DIGITS)..]
    }

    /// Whether the two are one number: equal, or (when either has no known country) the
    /// digits of one ending with the digits of the other.
    pub fn same(&self, other: &Number) -> bool {
        if self.placed() && other.placed() {
            return self.key == other.key;
        }
        let (a, b) = (self.digits(), other.digits());
        if a.len() <= b.len() {
            b.ends_with(a)
        } else {
            a.ends_with(b)
        }
    }
}

/// Whether a search's text is a phone number rather than words: digits (at least
/// [`FEWEST_DIGITS`]) with only the punctuation phone numbers are written with.
pub fn looks_like_phone(text: &str) -> bool {
    let t = text.trim();
    t.chars()
        .all(|c| c.is_ascii_digit() || " +-.()/".contains(c))
        && t.chars().filter(char::is_ascii_digit).count() >= FEWEST_DIGITS
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(s: &str) -> String {
        number(s).map(|n| n.key).unwrap_or_default()
    }

    #[test]
    fn a_chinese_mobile_number_written_five_ways_is_one_number() {
        for s in [
            "+86 138 0013 8000",
            "13800138000",
            "138-0013-8000",
            "0086 13800138000",
            "+86-138-0013-8000",
            "+86 (0)138 0013 8000",
            "8613800138000",
            "013800138000",
            "138.0013.8000",
        ] {
            assert_eq!(key(s), "+8613800138000", "{s}");
        }
    }

    #[test]
    fn landlines_keep_their_area_codes() {
        for s in [
            "020-8888 8888",
            "(020) 88888888",
            "+86 20 8888 8888",
            "+86 020 8888 8888",
            "0086-20-88888888",
            "020-8888 8888 转 123",
            "020 8888 8888 x9",
        ] {
            assert_eq!(key(s), "+862088888888", "{s}");
        }
        for s in ["0755-8888 8888", "(0755) 88888888", "+86 755 8888 8888"] {
            assert_eq!(key(s), "+8675588888888", "{s}");
        }
        assert_eq!(key("0571-88001234"), "+8657188001234");
        assert_eq!(key("400-800-8888"), "+864008008888");
        // The same local number in two cities is two numbers.
        assert!(!number("020-8888 8888")
            .unwrap()
            .same(&number("0755-8888 8888").unwrap()));
    }

    #[test]
    fn two_mobile_numbers_differing_in_their_first_digits_are_two() {
        // They share their last 8 digits, which is all kith compared before.
        let a = number("138 0013 8000").unwrap();
        let b = number("139 0013 8000").unwrap();
        assert!(!a.same(&b));
        assert_eq!(a.tail(), b.tail(), "found by one lookup, told apart after");
    }

    #[test]
    fn other_countries_by_their_codes() {
        assert_eq!(key("+1 415 555 0101"), "+14155550101");
        assert_eq!(key("+1 (415) 555-0101 x12"), "+14155550101");
        assert_eq!(key("+44 (0)20 7946 0958"), "+442079460958");
        assert_eq!(key("0044 20 7946 0958"), "+442079460958");
        assert_eq!(key("+852 2123 4567"), "+85221234567");
        assert_ne!(key("+852 2123 4567"), key("+86 2123 4567"));
    }

    #[test]
    fn a_number_of_no_known_country_matches_those_it_ends() {
        let local = number("8888 8888").unwrap();
        assert!(!local.placed());
        assert_eq!(local.key, "88888888");
        assert!(local.same(&number("020-8888 8888").unwrap()));
        assert!(number("0755-8888 8888").unwrap().same(&local));
        assert!(!local.same(&number("020-8888 8887").unwrap()));
        let us = number("(415) 555-0101").unwrap();
        assert_eq!(us.key, "4155550101");
        assert!(us.same(&number("+1 415 555 0101").unwrap()));
        assert!(!us.same(&number("+1 416 555 0101").unwrap()));
    }

    #[test]
    fn short_numbers_are_nobodys() {
        assert_eq!(number("123"), None);
        assert_eq!(number("95588"), None);
        assert_eq!(number("+86 12"), None);
        assert_eq!(number("x1234567"), None);
        assert_eq!(number(""), None);
        assert!(number("888 8888").is_some());
    }

    #[test]
    fn phone_like_searches() {
        assert!(looks_like_phone("13800138000"));
        assert!(looks_like_phone("+86 138-0013-8000"));
        assert!(looks_like_phone(" (020) 8888 8888 "));
        assert!(!looks_like_phone("138"));
        assert!(!looks_like_phone("王芳 13800138000"));
        assert!(!looks_like_phone("2026 plan 1234567"));
    }

    proptest! {
        /// However a number is punctuated, it is the same number; and a number is the
        /// same as itself, and sameness goes both ways.
        #[test]
        fn punctuation_does_not_count(
            d in "1[3-9][0-9]{9}",
            seps in proptest::collection::vec(prop_oneof![Just(""), Just(" "), Just("-"), Just(".")], 11),
            prefix in prop_oneof![Just(""), Just("+86 "), Just("0086 "), Just("+86-")],
        ) {
            let mut written = prefix.to_string();
            for (c, s) in d.chars().zip(&seps) {
                written.push(c);
                written.push_str(s);
            }
            let n = number(&written).unwrap();
            prop_assert_eq!(&n.key, &format!("+86{d}"));
            prop_assert!(n.same(&n));
        }

        #[test]
        fn sameness_is_symmetric(a in "[+0-9 ()-]{0,20}", b in "[+0-9 ()-]{0,20}") {
            if let (Some(x), Some(y)) = (number(&a), number(&b)) {
                prop_assert_eq!(x.same(&y), y.same(&x));
                if x.same(&y) {
                    prop_assert_eq!(x.tail(), y.tail(), "the same numbers share an index entry");
                }
            }
        }
    }
}
