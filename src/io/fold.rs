//! Content lines folded as vCard (RFC 6350 §3.2) and iCalendar (RFC 5545 §3.1) want them:
//! no physical line longer than 75 octets, CRLF, each continuation starting with one space.
//! A fold never splits a UTF-8 character, and falls between two characters that are not
//! white space wherever the line has such a place near the limit: a parser that trims the
//! end of a physical line or the start of a continuation (the `ical` crate trims the end)
//! would otherwise lose the space beside the fold, which in Chinese text with spaces
//! ("转 8203") happens on nearly every long line.

/// Octets in a physical line, its line break aside.
const LIMIT: usize = 75;

/// How far before the limit a fold may move to keep away from white space: a line of
/// nothing but spaces still folds (at the limit).
const SLACK: usize = 24;

/// One content line, folded, with its CRLF, appended to `out`.
pub fn put(out: &mut String, line: &str) {
    let mut rest = line;
    // The first physical line holds 75 octets; a continuation, its space and 74.
    let mut limit = LIMIT;
    while rest.len() > limit {
        let cut = cut(rest, limit);
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = LIMIT - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// Where to fold `s` (longer than `limit`): the last place at or before `limit` that is
/// between two characters, neither of them white space; else the last character boundary.
fn cut(s: &str, limit: usize) -> usize {
    let mut last = limit;
    while !s.is_char_boundary(last) {
        last -= 1;
    }
    let space_at = |i: usize| s[i..].chars().next().is_some_and(char::is_whitespace);
    let space_before = |i: usize| s[..i].chars().next_back().is_some_and(char::is_whitespace);
    let mut at = last;
    while at > 0 && last - at <= SLACK {
        if s.is_char_boundary(at) && !space_at(at) && !space_before(at) {
            return at;
        }
        at -= 1;
    }
    last
}

/// Text of folded content lines (CRLF, continuations starting with a space or a tab),
/// unfolded and folded again by [`put`].
pub fn refold(text: &str) -> String {
    let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
    let mut out = String::with_capacity(text.len());
    for line in unfolded.split_terminator("\r\n") {
        put(&mut out, line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn physical(folded: &str) -> Vec<&str> {
        folded.strip_suffix("\r\n").unwrap().split("\r\n").collect()
    }

    #[test]
    fn short_lines_stay_whole() {
        let mut out = String::new();
        put(&mut out, "FN:王芳");
        assert_eq!(out, "FN:王芳\r\n");
        let exactly = "N:".to_string() + &"a".repeat(73);
        let mut out = String::new();
        put(&mut out, &exactly);
        assert_eq!(out, format!("{exactly}\r\n"));
    }

    #[test]
    fn folds_keep_away_from_spaces_and_never_split_a_character() {
        // 72 octets of ASCII, then a space at 72 and "转 8203": a fold at the limit would
        // come right after or before a space.
        let line = format!("NOTE:{} 转 8203 {}", "a".repeat(67), "长".repeat(40));
        let mut out = String::new();
        put(&mut out, &line);
        let lines = physical(&out);
        for (i, l) in lines.iter().enumerate() {
            assert!(l.len() <= 75, "{l:?}");
            let content = if i == 0 { *l } else { &l[1..] };
            assert!(
                !content.ends_with(' ') && !content.starts_with(' '),
                "{l:?}"
            );
        }
        assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
        // Nothing but spaces: still folded, at the limit.
        let mut out = String::new();
        put(&mut out, &format!("NOTE:{}", " ".repeat(200)));
        assert!(physical(&out).iter().all(|l| l.len() <= 75));
    }

    #[test]
    fn refolding_gives_back_the_lines() {
        let mut folded = String::new();
        put(
            &mut folded,
            &format!("DESCRIPTION:{}", "中 文, a;b ".repeat(30)),
        );
        put(&mut folded, "END:VTODO");
        // Folded otherwise (at 40 octets, by another writer), then folded again.
        let other =
            folded
                .replace("\r\n ", "")
                .replacen("DESCRIPTION:中 文", "DESCRIPTION:中\r\n  文", 1);
        assert_eq!(refold(&other), folded);
        assert_eq!(refold(&folded), folded);
    }

    proptest! {
        /// Whatever the text: lines of at most 75 octets, each whole UTF-8, and unfolding
        /// gives the line back.
        #[test]
        fn any_line_unfolds_to_itself(s in "[a-z 中文😀,;\\\\]{0,400}") {
            let line = format!("NOTE:{s}");
            let mut out = String::new();
            put(&mut out, &line);
            for l in physical(&out) {
                prop_assert!(l.len() <= 75);
            }
            prop_assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
        }
    }
}
