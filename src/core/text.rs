//! The message catalog: every text kith shows a person, looked up by id.
//!
//! Messages live in `locales/*.toml`, one file per area of kith (`core.toml`, `cli.toml`,
//! `tui.toml` …), each message a table of its text per language:
//!
//! ```toml
//! [deal.won]
//! en = "deal %{id} won"
//! ```
//!
//! `%{name}` is filled from the arguments of [`tr!`]. A message whose wording depends on a
//! number has the forms `one` and `other` as ids of their own (`[records.one]`,
//! `[records.other]`), and [`plural!`] picks one by the language's rule — so no English
//! grammar (plurals, articles) is written in code. The build compiles the files into sorted
//! tables (src/build.rs): nothing is parsed at start, and a lookup is a binary search.
//!
//! Tests hold that every id the code names exists, with the placeholders the code fills.

use std::fmt::Display;
use std::sync::atomic::{AtomicUsize, Ordering};

mod generated {
    include!(concat!(env!("OUT_DIR"), "/catalog.rs"));
}

/// The language messages are shown in: an index of the generated tables (0 = English).
static LANGUAGE: AtomicUsize = AtomicUsize::new(0);

/// The languages the catalogs hold, as tags (`en`, `zh-CN`).
pub fn languages() -> impl Iterator<Item = &'static str> {
    generated::TEXTS.iter().map(|(tag, _)| *tag)
}

/// Show messages in the language `tag` (`en`, `zh-CN`); false, and no change, when the
/// catalogs do not know it.
pub fn set_language(tag: &str) -> bool {
    match generated::TEXTS
        .iter()
        .position(|(t, _)| t.eq_ignore_ascii_case(tag))
    {
        Some(i) => {
            LANGUAGE.store(i, Ordering::Relaxed);
            true
        }
        None => false,
    }
}

/// The catalogs' language for a language or locale name as people and systems write it:
/// `zh-CN`, `zh_CN.UTF-8`, `zh`, `zh-Hans` → `zh-CN`; `en`, `en_US.UTF-8`, `C`, `POSIX`
/// → `en`. A name of the same language in another region (`zh_TW`, `en_GB`) takes the
/// catalogs' one of that language. None for a language the catalogs do not hold.
pub fn tag_for(name: &str) -> Option<&'static str> {
    // `language[_territory][.codeset][@modifier]`, or a tag written with `-`.
    let name = name.split(['.', '@']).next().unwrap_or("").trim();
    if name.eq_ignore_ascii_case("c") || name.eq_ignore_ascii_case("posix") {
        return Some("en");
    }
    let name = name.replace('_', "-");
    let primary = name.split('-').next().unwrap_or("");
    if primary.is_empty() {
        return None;
    }
    languages()
        .find(|t| t.eq_ignore_ascii_case(&name))
        .or_else(|| {
            languages().find(|t| {
                t.split('-')
                    .next()
                    .is_some_and(|p| p.eq_ignore_ascii_case(primary))
            })
        })
}

/// [`tag_for`], or an error naming the name and the languages kith speaks.
pub fn tag_or_error(name: &str) -> crate::core::error::Result<&'static str> {
    tag_for(name).ok_or_else(|| {
        crate::err!(
            Invalid,
            "lang.unknown",
            lang = name,
            known = languages().collect::<Vec<_>>().join(", ")
        )
    })
}

/// The language the environment asks for, as POSIX reads it: the first of `LC_ALL`,
/// `LC_MESSAGES` and `LANG` that is set and not empty decides; a language the catalogs do
/// not hold, or none set, is English.
pub fn tag_from_env(var: impl Fn(&str) -> Option<String>) -> &'static str {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|v| var(v).filter(|s| !s.trim().is_empty()))
        .and_then(|s| tag_for(&s))
        .unwrap_or("en")
}

/// The tag of the language messages are shown in.
pub fn language() -> &'static str {
    generated::TEXTS[LANGUAGE.load(Ordering::Relaxed)].0
}

fn index(id: &str) -> Option<usize> {
    generated::IDS.binary_search(&id).ok()
}

/// Whether the catalog has a message `id`.
pub fn has(id: &str) -> bool {
    index(id).is_some()
}

/// The text of message `id` in the current language (English where it has no translation).
/// An id the catalog lacks is returned as it is — the tests hold that none is.
pub fn t(id: &str) -> &'static str {
    let Some(i) = index(id) else {
        debug_assert!(false, "no message {id:?} in locales/*.toml");
        // Not reached in tested code; an unknown id shows itself rather than nothing.
        return Box::leak(id.to_string().into_boxed_str());
    };
    let lang = LANGUAGE.load(Ordering::Relaxed);
    generated::TEXTS[lang].1[i]
        .or(generated::TEXTS[0].1[i])
        .unwrap_or_default()
}

/// The ids of the catalog that begin with `prefix`, in order.
pub fn ids_under(prefix: &'static str) -> impl Iterator<Item = &'static str> {
    let from = generated::IDS.partition_point(|id| *id < prefix);
    generated::IDS[from..]
        .iter()
        .take_while(move |id| id.starts_with(prefix))
        .copied()
}

/// The texts of message `id` in every language the catalogs give it in, English first.
pub fn in_every_language(id: &str) -> impl Iterator<Item = &'static str> {
    let i = index(id);
    generated::TEXTS
        .iter()
        .filter_map(move |(_, texts)| i.and_then(|i| texts[i]))
}

/// The catalog's text `<prefix>.<name>` where it has one, else `name` with spaces for
/// underscores.
pub fn label_of(prefix: &str, name: &str) -> String {
    let id = format!("{prefix}.{name}");
    if has(&id) {
        t(&id).to_string()
    } else {
        name.replace('_', " ")
    }
}

/// `s` with its first letter in capitals ("activity" → "Activity").
pub fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The text of message `id` in English, whatever the current language.
pub fn english(id: &str) -> Option<&'static str> {
    index(id).and_then(|i| generated::TEXTS[0].1[i])
}

/// Every English text of the catalogs (for tests that hold a face's texts to them).
pub fn english_texts() -> impl Iterator<Item = &'static str> {
    generated::TEXTS[0].1.iter().flatten().copied()
}

/// `template` with each `%{name}` replaced by the argument of that name. A placeholder
/// without an argument is left as it is (the tests hold that none is).
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(at) = rest.find("%{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => {
                        use std::fmt::Write as _;
                        let _ = write!(out, "{v}");
                    }
                    None => {
                        debug_assert!(false, "no argument {name:?} for {template:?}");
                        out.push_str(&rest[at..at + 2 + end + 1]);
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The id of the form of `id` that a count `n` takes in the current language: `id.one` or
/// `id.other`.
pub fn plural_id(id: &str, n: i64) -> String {
    let form = match language() {
        // Chinese has one form for every number.
        tag if tag.starts_with("zh") => "other",
        _ if n == 1 => "one",
        _ => "other",
    };
    let chosen = format!("{id}.{form}");
    if has(&chosen) {
        chosen
    } else {
        format!("{id}.other")
    }
}

/// A message from the catalog, its placeholders filled: `tr!("deal.won", id = 5)`.
/// Without arguments it gives the `&'static str` itself.
#[macro_export]
macro_rules! tr {
    ($id:literal) => {
        $crate::core::text::t($id)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::core::text::fill(
            $crate::core::text::t($id),
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+],
        )
    };
}

/// A message whose wording follows a count: `plural!("records", n)` picks `records.one` or
/// `records.other` by the language's rule and fills `%{n}` (and any other arguments).
#[macro_export]
macro_rules! plural {
    ($id:literal, $n:expr $(, $name:ident = $value:expr)* $(,)?) => {{
        let n: i64 = $n as i64;
        $crate::core::text::fill(
            $crate::core::text::t(&$crate::core::text::plural_id($id, n)),
            &[("n", &n as &dyn ::std::fmt::Display) $(, (stringify!($name), &$value as &dyn ::std::fmt::Display))*],
        )
    }};
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(fill("deal %{id} won", &[("id", &5)]), "deal 5 won");
        assert_eq!(
            fill("%{a} and %{b}, %{a}", &[("b", &"y"), ("a", &"x")]),
            "x and y, x"
        );
        assert_eq!(fill("no placeholders", &[]), "no placeholders");
        assert_eq!(fill("100%{", &[]), "100%{");
    }

    #[test]
    fn ids_are_sorted_and_every_message_has_english() {
        assert!(generated::IDS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(generated::TEXTS[0].0, "en");
        for (i, id) in generated::IDS.iter().enumerate() {
            assert!(generated::TEXTS[0].1[i].is_some(), "{id} has no English");
        }
    }

    /// Every `tr!`/`plural!`/`err!` in the source names an id the catalog has, with arguments for
    /// exactly the placeholders of its English text.
    #[test]
    fn every_message_used_exists_with_its_placeholders() {
        let mut problems = Vec::new();
        let mut seen = 0;
        for file in rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
            if file.ends_with("core/text.rs") {
                continue; // the macros' own definitions and examples
            }
            let text = std::fs::read_to_string(&file).unwrap();
            for call in calls(&text) {
                seen += 1;
                let where_ = format!("{}: {}", file.display(), call.id);
                let forms: Vec<String> = if call.plural {
                    vec![format!("{}.other", call.id)]
                } else {
                    vec![call.id.clone()]
                };
                for id in forms {
                    let Some(en) = english(&id) else {
                        problems.push(format!("{where_}: no message {id:?}"));
                        continue;
                    };
                    let mut want = placeholders(en);
                    if call.plural {
                        want.remove("n");
                    }
                    if want != call.args {
                        problems.push(format!(
                            "{where_}: the text has {want:?}, the call gives {:?}",
                            call.args
                        ));
                    }
                }
            }
        }
        assert!(seen > 0, "no tr! calls found");
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// The placeholders of every translation are those of its English text.
    #[test]
    fn translations_have_the_placeholders_of_english() {
        for (lang, texts) in generated::TEXTS.iter().skip(1) {
            for (i, text) in texts.iter().enumerate() {
                if let (Some(t), Some(en)) = (text, generated::TEXTS[0].1[i]) {
                    assert_eq!(
                        placeholders(t),
                        placeholders(en),
                        "{lang} {}",
                        generated::IDS[i]
                    );
                }
            }
        }
    }

    /// Both catalogs hold the same messages: every English text has its Chinese, but the
    /// `.one` form of a count (Chinese has only `.other`), and no Chinese stands alone.
    #[test]
    fn every_message_has_its_chinese() {
        let zh = generated::TEXTS
            .iter()
            .find(|(t, _)| *t == "zh-CN")
            .expect("a zh-CN catalog");
        let missing: Vec<&str> = generated::IDS
            .iter()
            .enumerate()
            .filter(|(i, id)| zh.1[*i].is_none() && !id.ends_with(".one"))
            .map(|(_, id)| *id)
            .collect();
        assert!(
            missing.is_empty(),
            "{} messages without zh-CN: {missing:?}",
            missing.len()
        );
        for (i, id) in generated::IDS.iter().enumerate() {
            if id.ends_with(".one") {
                let other = format!("{}.other", id.trim_end_matches(".one"));
                assert!(has(&other), "{id} without {other}");
            }
            assert!(
                generated::TEXTS[0].1[i].is_some(),
                "{id}: Chinese without English"
            );
        }
    }

    #[test]
    fn locale_names_give_the_catalogs_language() {
        for (name, want) in [
            ("zh_CN.UTF-8", Some("zh-CN")),
            ("zh_CN", Some("zh-CN")),
            ("zh-cn", Some("zh-CN")),
            ("zh", Some("zh-CN")),
            ("zh-Hans", Some("zh-CN")),
            ("zh_TW.Big5", Some("zh-CN")),
            ("en_US.UTF-8", Some("en")),
            ("en_GB@euro", Some("en")),
            ("C", Some("en")),
            ("C.UTF-8", Some("en")),
            ("POSIX", Some("en")),
            ("fr_FR.UTF-8", None),
            ("", None),
            ("_", None),
        ] {
            assert_eq!(tag_for(name), want, "{name:?}");
        }
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |v: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == v)
                    .map(|(_, s)| s.to_string())
            }
        };
        assert_eq!(tag_from_env(env(&[])), "en");
        assert_eq!(tag_from_env(env(&[("LANG", "zh_CN.UTF-8")])), "zh-CN");
        // LC_ALL, then LC_MESSAGES, then LANG: the first set decides.
        let all = &[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")];
        assert_eq!(tag_from_env(env(all)), "en");
        let msgs = &[("LC_MESSAGES", "zh_CN.UTF-8"), ("LANG", "en_US.UTF-8")];
        assert_eq!(tag_from_env(env(msgs)), "zh-CN");
        let empty = &[("LC_ALL", ""), ("LANG", "zh_CN.UTF-8")];
        assert_eq!(tag_from_env(env(empty)), "zh-CN");
        let french = &[("LC_ALL", "fr_FR.UTF-8"), ("LANG", "zh_CN.UTF-8")];
        assert_eq!(tag_from_env(env(french)), "en");
    }

    fn placeholders(text: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = text;
        while let Some(at) = rest.find("%{") {
            let after = &rest[at + 2..];
            let Some(end) = after.find('}') else { break };
            out.insert(after[..end].to_string());
            rest = &after[end + 1..];
        }
        out
    }

    struct Call {
        id: String,
        plural: bool,
        args: BTreeSet<String>,
    }

    /// The `tr!("id", a = …)` and `plural!("id", n, a = …)` calls of a source file: the id
    /// and the names of the arguments at the call's own depth.
    fn calls(text: &str) -> Vec<Call> {
        let mut out = Vec::new();
        for (macro_, plural) in [("tr!(", false), ("plural!(", true), ("err!(", false)] {
            let mut rest = text;
            while let Some(at) = rest.find(macro_) {
                let preceded = rest[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_');
                let line_start = rest[..at].rfind('\n').map_or(0, |n| n + 1);
                let in_comment = rest[line_start..at].trim_start().starts_with("//");
                rest = &rest[at + macro_.len()..];
                if preceded || in_comment {
                    continue;
                }
                let mut body = rest.trim_start();
                let mut plural = plural;
                if macro_ == "err!(" {
                    // `err!(Kind, "id", …)` or `err!(Kind, plural "id", n, …)`
                    let Some((_, after)) = body.split_once(',') else {
                        continue;
                    };
                    body = after.trim_start();
                    if let Some(after) = body.strip_prefix("plural ") {
                        body = after.trim_start();
                        plural = true;
                    }
                }
                let Some(body) = body.strip_prefix('"') else {
                    continue; // the macro's own definition, or a non-literal id
                };
                let Some(end) = body.find('"') else { continue };
                let id = body[..end].to_string();
                let args = arg_names(&body[end + 1..], plural);
                out.push(Call { id, plural, args });
            }
        }
        out
    }

    /// Names `x` of `x = …` at depth 0 of a macro's argument list, up to its closing paren.
    fn arg_names(rest: &str, plural: bool) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        let mut depth = 0i32;
        let mut in_str = false;
        let mut escaped = false;
        let mut segment = String::new();
        let mut segments = Vec::new();
        for c in rest.chars() {
            if in_str {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_str = false;
                }
                segment.push(c);
                continue;
            }
            match c {
                '"' => in_str = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => break,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    segments.push(std::mem::take(&mut segment));
                    continue;
                }
                _ => {}
            }
            segment.push(c);
        }
        segments.push(segment);
        // The first segment is empty (the text before the first comma, after the id); a
        // plural's count is the second.
        let skip = if plural { 2 } else { 1 };
        for s in segments.iter().skip(skip) {
            if let Some((name, _)) = s.split_once('=') {
                let name = name.trim();
                if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    names.insert(name.to_string());
                }
            }
        }
        names
    }

    fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(rust_files(&p));
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
        out
    }
}
