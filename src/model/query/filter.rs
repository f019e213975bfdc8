//! Taskwarrior-style filter language.
//!
//! A filter is a list of terms; a record matches when every term matches.
//!
//! - `field:value`, `field=value` — field equals value
//! - `field!=value` — field differs from value
//! - `field<value`, `field<=value`, `field>value`, `field>=value` — comparisons
//! - `field:` or `field=` — field is empty; `field!=` — field is not empty
//! - modifiers: `field.is:v` (equals), `field.not:v` (differs; `field.not:` is
//!   not empty), `field.has:v` / `field.contains:v` (contains), `field.hasnt:v`
//!   (does not contain), `field.startswith:v` / `field.left:v`,
//!   `field.endswith:v` / `field.right:v`, `field.before:v` / `field.below:v`
//!   (less than), `field.after:v` / `field.above:v` (greater than),
//!   `field.any:` (not empty), `field.none:` (empty)
//! - `+tag` — has the tag; `-tag` — does not have it (`+重点` works too)
//! - any other word or phrase — the record's text contains it (case kept)
//!
//! A field name is letters, digits and `_`, not starting with a digit. A value
//! may be wrapped in double or single quotes, which are removed:
//! `name:"China Eastern"`. Quoting a whole term (`"a:b"`) makes it a plain
//! word. A word starting with a backslash is searched without it, so `\+1`
//! searches for the text `+1` rather than the tag `1`.

/// How a field is compared with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Has,
    NotHas,
    StartsWith,
    EndsWith,
    IsEmpty,
    NotEmpty,
}

/// One filter term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// `field` is lowercased; `value` is as typed, with one pair of
    /// surrounding quotes removed. `value` is empty for `IsEmpty`/`NotEmpty`.
    Field {
        field: String,
        op: Op,
        value: String,
    },
    /// `+vip` / `-vip`; `tag` is lowercased.
    Tag { tag: String, present: bool },
    /// A bare word or phrase: the record's text contains it.
    Word(String),
}

/// A parsed filter; its terms are ANDed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub terms: Vec<Term>,
}

/// A filter term (or sort spec) that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    pub term: String,
    /// Why, in the user's language (from the catalog).
    pub reason: String,
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::tr!(
            "filter.bad",
            term = self.term,
            reason = self.reason
        ))
    }
}

impl std::error::Error for FilterError {}

/// One key of a `--sort` spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    pub field: String,
    pub desc: bool,
}

fn ferr(term: &str, reason: impl Into<String>) -> FilterError {
    FilterError {
        term: term.to_string(),
        reason: reason.into(),
    }
}

/// Parse filter terms. Each element is one term exactly as the shell passed
/// it (it may contain spaces: `name:China Eastern`). Empty and
/// whitespace-only elements are skipped.
pub fn parse_args<S: AsRef<str>>(args: &[S]) -> Result<Filter, FilterError> {
    let mut terms = Vec::with_capacity(args.len());
    for arg in args {
        if let Some(term) = parse_term(arg.as_ref())? {
            terms.push(term);
        }
    }
    Ok(Filter { terms })
}

/// Parse one line typed by a user (e.g. in the TUI): it is split like a shell
/// would, honouring single and double quotes, then parsed as [`parse_args`].
/// Unlike a shell, a `#` or `\` at the start of a word is kept literally, so
/// `#hashtag` and `\+1` work as typed. Unbalanced quotes are an error.
pub fn parse_line(line: &str) -> Result<Filter, FilterError> {
    let protected = protect_word_starts(line);
    match shlex::split(&protected) {
        Some(words) => parse_args(&words),
        None => Err(ferr(
            line.trim(),
            crate::tr!("filter.unbalanced_quotes_trailing"),
        )),
    }
}

/// shlex treats `#` at the start of a word as a comment and drops a `\`
/// escape; escape both when they start an unquoted word so they reach
/// [`parse_args`] unchanged.
fn protect_word_starts(line: &str) -> String {
    #[derive(PartialEq)]
    enum State {
        Plain,
        Double,
        Single,
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut state = State::Plain;
    let mut word_start = true;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match state {
            State::Plain => {
                if c == ' ' || c == '\t' || c == '\n' {
                    word_start = true;
                    out.push(c);
                    continue;
                }
                let at_start = word_start;
                word_start = false;
                match c {
                    '#' if at_start => out.push_str("\\#"),
                    '\\' if at_start => out.push_str("\\\\"),
                    '\\' => {
                        out.push(c);
                        if let Some(next) = chars.next() {
                            out.push(next);
                        }
                    }
                    '"' => {
                        state = State::Double;
                        out.push(c);
                    }
                    '\'' => {
                        state = State::Single;
                        out.push(c);
                    }
                    _ => out.push(c),
                }
            }
            State::Double => {
                out.push(c);
                if c == '\\' {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                } else if c == '"' {
                    state = State::Plain;
                }
            }
            State::Single => {
                out.push(c);
                if c == '\'' {
                    state = State::Plain;
                }
            }
        }
    }
    out
}

/// Parse a `--sort` value: comma-separated field names, each optionally
/// prefixed with `-` (descending) or `+` (ascending), e.g. `tier,-amount`.
/// Field names are lowercased.
pub fn parse_sort(spec: &str) -> Result<Vec<SortKey>, FilterError> {
    let trimmed = spec.trim();
    if trimmed.is_empty() {
        return Err(ferr(spec, crate::tr!("filter.empty_sort_spec")));
    }
    let mut keys = Vec::new();
    for part in trimmed.split(',') {
        let part = part.trim();
        let (desc, name) = if let Some(n) = part.strip_prefix('-') {
            (true, n)
        } else if let Some(n) = part.strip_prefix('+') {
            (false, n)
        } else {
            (false, part)
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(ferr(trimmed, crate::tr!("filter.empty_field_name")));
        }
        if field_name_len(name) != name.len() {
            return Err(ferr(
                part,
                crate::tr!("filter.invalid_sort_field", name = name),
            ));
        }
        keys.push(SortKey {
            field: name.to_lowercase(),
            desc,
        });
    }
    Ok(keys)
}

/// Length in bytes of the `[A-Za-z_][A-Za-z0-9_]*` prefix of `s`.
fn field_name_len(s: &str) -> usize {
    let mut len = 0;
    for (i, b) in s.bytes().enumerate() {
        let ok = b == b'_' || b.is_ascii_alphabetic() || (i > 0 && b.is_ascii_digit());
        if !ok {
            break;
        }
        len = i + 1;
    }
    len
}

/// Remove one pair of matching surrounding quotes.
fn strip_quotes(s: &str) -> &str {
    for q in ['"', '\''] {
        if s.len() >= 2 {
            if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
                return inner;
            }
        }
    }
    s
}

fn parse_term(raw: &str) -> Result<Option<Term>, FilterError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if let Some(rest) = s.strip_prefix('\\') {
        if rest.is_empty() {
            return Err(ferr(s, crate::tr!("filter.nothing_after_write")));
        }
        return Ok(Some(Term::Word(rest.to_string())));
    }
    for (sign, present) in [('+', true), ('-', false)] {
        if let Some(rest) = s.strip_prefix(sign) {
            return parse_tag(s, sign, rest, present).map(Some);
        }
    }
    if let Some(term) = parse_field(s)? {
        return Ok(Some(term));
    }
    let word = strip_quotes(s);
    if word.is_empty() {
        return Ok(None);
    }
    Ok(Some(Term::Word(word.to_string())))
}

fn parse_tag(s: &str, sign: char, rest: &str, present: bool) -> Result<Term, FilterError> {
    if rest.trim().is_empty() {
        return Err(ferr(s, crate::tr!("filter.missing_tag_name", sign = sign)));
    }
    if rest.starts_with(['+', '-']) {
        return Err(ferr(s, crate::tr!("filter.tag_name_start")));
    }
    if rest.chars().any(char::is_whitespace) {
        return Err(ferr(s, crate::tr!("filter.tag_name_contain")));
    }
    Ok(Term::Tag {
        tag: rest.to_lowercase(),
        present,
    })
}

/// `Ok(None)` when `s` is not shaped like a field term.
fn parse_field(s: &str) -> Result<Option<Term>, FilterError> {
    let name_len = field_name_len(s);
    if name_len == 0 {
        return Ok(None);
    }
    let (name, rest) = s.split_at(name_len);
    let field = name.to_lowercase();

    if let Some(after_dot) = rest.strip_prefix('.') {
        let mod_len = after_dot
            .bytes()
            .take_while(u8::is_ascii_alphabetic)
            .count();
        let (modifier, tail) = after_dot.split_at(mod_len);
        let value = match tail.strip_prefix([':', '=']) {
            Some(v) if mod_len > 0 => strip_quotes(v),
            // "readme.md", "a.b" — not a field term.
            _ => return Ok(None),
        };
        return field_with_modifier(s, field, &modifier.to_lowercase(), value).map(Some);
    }

    // Longest operators first.
    let ops: [(&str, Op); 8] = [
        ("!=", Op::Ne),
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("==", Op::Eq),
        ("<", Op::Lt),
        (">", Op::Gt),
        (":", Op::Eq),
        ("=", Op::Eq),
    ];
    let Some((sym, op, raw_value)) = ops
        .iter()
        .find_map(|(sym, op)| rest.strip_prefix(sym).map(|v| (*sym, *op, v)))
    else {
        return Ok(None);
    };
    let value = strip_quotes(raw_value);
    let term = |op: Op, value: &str| Term::Field {
        field: field.clone(),
        op,
        value: value.to_string(),
    };
    if value.is_empty() {
        return match op {
            Op::Eq => Ok(Some(term(Op::IsEmpty, ""))),
            Op::Ne => Ok(Some(term(Op::NotEmpty, ""))),
            _ => Err(ferr(s, crate::tr!("filter.missing_value_after", sym = sym))),
        };
    }
    Ok(Some(term(op, value)))
}

fn field_with_modifier(
    s: &str,
    field: String,
    modifier: &str,
    value: &str,
) -> Result<Term, FilterError> {
    let op = match modifier {
        "is" | "equals" => Op::Eq,
        "not" | "isnt" => Op::Ne,
        "has" | "contains" => Op::Has,
        "hasnt" => Op::NotHas,
        "startswith" | "left" => Op::StartsWith,
        "endswith" | "right" => Op::EndsWith,
        "before" | "below" => Op::Lt,
        "after" | "above" => Op::Gt,
        "any" | "none" => {
            if !value.is_empty() {
                return Err(ferr(
                    s,
                    crate::tr!(
                        "filter.takes_value_write",
                        modifier = modifier,
                        field = field
                    ),
                ));
            }
            let op = if modifier == "any" {
                Op::NotEmpty
            } else {
                Op::IsEmpty
            };
            return Ok(Term::Field {
                field,
                op,
                value: String::new(),
            });
        }
        other => {
            return Err(ferr(
                s,
                crate::tr!("filter.unknown_modifier_use", other = other),
            ))
        }
    };
    if value.is_empty() {
        return match op {
            Op::Eq => Ok(Term::Field {
                field,
                op: Op::IsEmpty,
                value: String::new(),
            }),
            Op::Ne => Ok(Term::Field {
                field,
                op: Op::NotEmpty,
                value: String::new(),
            }),
            _ => Err(ferr(
                s,
                crate::tr!(
                    "filter.missing_value_after_modifier",
                    field = field,
                    modifier = modifier
                ),
            )),
        };
    }
    Ok(Term::Field {
        field,
        op,
        value: value.to_string(),
    })
}

/// A filter that does not parse is bad input.
impl From<FilterError> for crate::core::error::Error {
    fn from(e: FilterError) -> crate::core::error::Error {
        crate::err!(Invalid, "filter.bad", term = e.term, reason = e.reason)
    }
}

// ---------------------------------------------------------------------------------------
// Writing a filter back as text

impl Term {
    /// The term as it would be typed: `owner:lin.wei`, `'close>=2026-11-01'` is written
    /// `close>=2026-11-01`, `name:"x "` keeps its space. [`parse_args`] of the text gives the
    /// term back.
    pub fn to_text(&self) -> String {
        match self {
            Term::Tag { tag, present } => format!("{}{tag}", if *present { '+' } else { '-' }),
            Term::Word(w) => {
                let looks_like_more = w.starts_with(['+', '-', '\\'])
                    || strip_quotes(w) != w
                    || w.trim() != w
                    || matches!(parse_field(w), Ok(Some(_)) | Err(_));
                if looks_like_more {
                    format!("\\{w}")
                } else {
                    w.clone()
                }
            }
            Term::Field { field, op, value } => {
                let value = if value.starts_with(['"', '\'', '='])
                    || value.ends_with(['"', '\''])
                    || value.trim() != value
                {
                    format!("\"{value}\"")
                } else {
                    value.clone()
                };
                let (sym, value) = match op {
                    Op::Eq => (":", value),
                    Op::Ne => ("!=", value),
                    Op::Lt => ("<", value),
                    Op::Le => ("<=", value),
                    Op::Gt => (">", value),
                    Op::Ge => (">=", value),
                    Op::Has => (".has:", value),
                    Op::NotHas => (".hasnt:", value),
                    Op::StartsWith => (".startswith:", value),
                    Op::EndsWith => (".endswith:", value),
                    Op::IsEmpty => (":", String::new()),
                    Op::NotEmpty => ("!=", String::new()),
                };
                format!("{field}{sym}{value}")
            }
        }
    }
}

impl Filter {
    /// The filter as one line of [`parse_line`]: its terms, each quoted as a shell would
    /// need when it holds a space, a quote or a backslash (`'owner:Darcel Schlecht'`).
    /// [`parse_line`] of the line gives the filter back.
    pub fn to_line(&self) -> String {
        self.terms
            .iter()
            .map(|t| quote_word(&t.to_text()))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One word of a line for [`parse_line`]: as it is when the line's splitting leaves it
/// whole, else in single quotes (double quotes, escaped, when it holds a single quote).
fn quote_word(w: &str) -> String {
    if !w
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '\'' | '"' | '\\'))
    {
        return w.to_string();
    }
    if !w.contains('\'') {
        return format!("'{w}'");
    }
    let mut out = String::from("\"");
    for c in w.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn field(f: &str, op: Op, v: &str) -> Term {
        Term::Field {
            field: f.to_string(),
            op,
            value: v.to_string(),
        }
    }

    fn tag(t: &str, present: bool) -> Term {
        Term::Tag {
            tag: t.to_string(),
            present,
        }
    }

    fn word(w: &str) -> Term {
        Term::Word(w.to_string())
    }

    fn one(s: &str) -> Term {
        let f = parse_args(&[s]).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(f.terms.len(), 1, "{s}: {f:?}");
        f.terms.into_iter().next().unwrap()
    }

    fn reason(s: &str) -> String {
        match parse_args(&[s]) {
            Ok(f) => panic!("{s} parsed as {f:?}"),
            Err(e) => e.reason,
        }
    }

    #[test]
    fn operators() {
        assert_eq!(one("name:acme"), field("name", Op::Eq, "acme"));
        assert_eq!(one("name=acme"), field("name", Op::Eq, "acme"));
        assert_eq!(one("name==acme"), field("name", Op::Eq, "acme"));
        assert_eq!(one("Name:Acme"), field("name", Op::Eq, "Acme"));
        assert_eq!(one("name!=acme"), field("name", Op::Ne, "acme"));
        assert_eq!(one("amount<5"), field("amount", Op::Lt, "5"));
        assert_eq!(one("amount<=5"), field("amount", Op::Le, "5"));
        assert_eq!(one("amount>5"), field("amount", Op::Gt, "5"));
        assert_eq!(one("amount>=5"), field("amount", Op::Ge, "5"));
        assert_eq!(one("a<b"), field("a", Op::Lt, "b"));
        assert_eq!(one("due<-2w"), field("due", Op::Lt, "-2w"));
        assert_eq!(
            one("at>2026-11-22T09:30"),
            field("at", Op::Gt, "2026-11-22T09:30")
        );
        assert_eq!(one("note:a:b"), field("note", Op::Eq, "a:b"));
        assert_eq!(one("http://x.com"), field("http", Op::Eq, "//x.com"));
        assert_eq!(one("_x1:y"), field("_x1", Op::Eq, "y"));
        assert_eq!(
            one("name:China Eastern"),
            field("name", Op::Eq, "China Eastern")
        );
    }

    #[test]
    fn empty_values() {
        assert_eq!(one("email:"), field("email", Op::IsEmpty, ""));
        assert_eq!(one("email="), field("email", Op::IsEmpty, ""));
        assert_eq!(one("email!="), field("email", Op::NotEmpty, ""));
        assert_eq!(one("email:\"\""), field("email", Op::IsEmpty, ""));
        assert_eq!(one("email!=''"), field("email", Op::NotEmpty, ""));
        assert_eq!(reason("amount>"), "missing value after '>'");
        assert_eq!(reason("amount>="), "missing value after '>='");
        assert_eq!(reason("amount<"), "missing value after '<'");
        assert_eq!(reason("amount<="), "missing value after '<='");
    }

    #[test]
    fn modifiers() {
        assert_eq!(one("name.is:acme"), field("name", Op::Eq, "acme"));
        assert_eq!(one("name.is:"), field("name", Op::IsEmpty, ""));
        assert_eq!(one("name.not:acme"), field("name", Op::Ne, "acme"));
        assert_eq!(one("name.not:"), field("name", Op::NotEmpty, ""));
        assert_eq!(one("name.has:ac"), field("name", Op::Has, "ac"));
        assert_eq!(one("name.contains:ac"), field("name", Op::Has, "ac"));
        assert_eq!(one("name.hasnt:ac"), field("name", Op::NotHas, "ac"));
        assert_eq!(
            one("name.startswith:ac"),
            field("name", Op::StartsWith, "ac")
        );
        assert_eq!(one("name.left:ac"), field("name", Op::StartsWith, "ac"));
        assert_eq!(one("name.endswith:me"), field("name", Op::EndsWith, "me"));
        assert_eq!(one("name.right:me"), field("name", Op::EndsWith, "me"));
        assert_eq!(one("due.before:eom"), field("due", Op::Lt, "eom"));
        assert_eq!(one("amount.below:5"), field("amount", Op::Lt, "5"));
        assert_eq!(
            one("due.after:2026-11-22T09:30"),
            field("due", Op::Gt, "2026-11-22T09:30")
        );
        assert_eq!(one("amount.above:5"), field("amount", Op::Gt, "5"));
        assert_eq!(one("email.any:"), field("email", Op::NotEmpty, ""));
        assert_eq!(one("email.none:"), field("email", Op::IsEmpty, ""));
        assert_eq!(one("Name.HAS:Ac"), field("name", Op::Has, "Ac"));
        assert_eq!(one("name.has=ac"), field("name", Op::Has, "ac"));
        assert_eq!(
            one("name.has:\"China Eastern\""),
            field("name", Op::Has, "China Eastern")
        );
    }

    #[test]
    fn modifier_errors() {
        assert_eq!(
            reason("name.foo:x"),
            "unknown modifier 'foo'; use one of is, not, has, contains, hasnt, startswith, left, endswith, right, before, below, after, above, any, none"
        );
        assert_eq!(reason("name.has:"), "missing value after 'name.has:'");
        assert_eq!(reason("due.before:"), "missing value after 'due.before:'");
        assert_eq!(
            reason("email.any:x"),
            "'.any' takes no value; write 'email.any:'"
        );
        assert_eq!(
            reason("email.none:x"),
            "'.none' takes no value; write 'email.none:'"
        );
        let e = parse_args(&["name.foo:x"]).unwrap_err();
        assert_eq!(e.term, "name.foo:x");
        assert!(e
            .to_string()
            .starts_with("bad filter 'name.foo:x': unknown modifier"));
    }

    #[test]
    fn not_field_terms() {
        assert_eq!(one("readme.md"), word("readme.md"));
        assert_eq!(one("a.b"), word("a.b"));
        assert_eq!(one("a.:b"), word("a.:b"));
        assert_eq!(one("<5"), word("<5"));
        assert_eq!(one("1a:b"), word("1a:b"));
        assert_eq!(one("hello!"), word("hello!"));
        assert_eq!(one("Acme"), word("Acme"));
        assert_eq!(one("China Eastern"), word("China Eastern"));
        assert_eq!(one("\"a:b\""), word("a:b"));
        assert_eq!(one("'quoted phrase'"), word("quoted phrase"));
        assert_eq!(one("#hashtag"), word("#hashtag"));
    }

    #[test]
    fn tags() {
        assert_eq!(one("+vip"), tag("vip", true));
        assert_eq!(one("+VIP"), tag("vip", true));
        assert_eq!(one("-vip"), tag("vip", false));
        assert_eq!(one("+重点"), tag("重点", true));
        assert_eq!(one("-重点"), tag("重点", false));
        assert_eq!(one("+3d"), tag("3d", true));
        assert_eq!(one("-2w"), tag("2w", false));
        assert_eq!(one("+a:b"), tag("a:b", true));
        assert_eq!(one("+a-b"), tag("a-b", true));
        assert_eq!(
            reason("+"),
            "missing tag name after '+'; write +vip, or \\+ to search for the text"
        );
        assert!(reason("-").starts_with("missing tag name after '-'"));
        assert!(reason("  -  ").starts_with("missing tag name after '-'"));
        assert_eq!(reason("++vip"), "a tag name cannot start with '+' or '-'");
        assert_eq!(reason("--vip"), "a tag name cannot start with '+' or '-'");
        assert_eq!(reason("+-vip"), "a tag name cannot start with '+' or '-'");
        assert_eq!(reason("+big deal"), "a tag name cannot contain spaces");
    }

    #[test]
    fn backslash_words() {
        assert_eq!(one("\\+1"), word("+1"));
        assert_eq!(one("\\-x"), word("-x"));
        assert_eq!(one("\\name:x"), word("name:x"));
        assert_eq!(one("\\\\x"), word("\\x"));
        assert!(reason("\\").starts_with("nothing after '\\'"));
    }

    #[test]
    fn quoting() {
        assert_eq!(
            one("name:\"China Eastern\""),
            field("name", Op::Eq, "China Eastern")
        );
        assert_eq!(
            one("name:'China Eastern'"),
            field("name", Op::Eq, "China Eastern")
        );
        assert_eq!(one("name!=\"x\""), field("name", Op::Ne, "x"));
        // Only one matching pair is stripped.
        assert_eq!(one("name:\"'x'\""), field("name", Op::Eq, "'x'"));
        // Unmatched quotes stay.
        assert_eq!(one("name:\"x"), field("name", Op::Eq, "\"x"));
        assert_eq!(one("name:\"x'"), field("name", Op::Eq, "\"x'"));
        assert_eq!(one("name:\""), field("name", Op::Eq, "\""));
    }

    #[test]
    fn cjk() {
        assert_eq!(one("name:白云"), field("name", Op::Eq, "白云"));
        assert_eq!(one("city.has:广"), field("city", Op::Has, "广"));
        assert_eq!(one("广州"), word("广州"));
        assert_eq!(one("白云:机场"), word("白云:机场"));
        let f = parse_line("广州 +重点 name:白云").unwrap();
        assert_eq!(
            f.terms,
            vec![
                word("广州"),
                tag("重点", true),
                field("name", Op::Eq, "白云")
            ]
        );
    }

    #[test]
    fn args_lists() {
        let f = parse_args(&["", "  ", "+vip", "tier:a", "Acme", "-lost"]).unwrap();
        assert_eq!(
            f.terms,
            vec![
                tag("vip", true),
                field("tier", Op::Eq, "a"),
                word("Acme"),
                tag("lost", false)
            ]
        );
        let owned: Vec<String> = vec!["x".into()];
        assert_eq!(parse_args(&owned).unwrap().terms, vec![word("x")]);
        let none: [&str; 0] = [];
        assert_eq!(parse_args(&none).unwrap(), Filter::default());
        let f = parse_args(&["  name:acme  "]).unwrap();
        assert_eq!(f.terms, vec![field("name", Op::Eq, "acme")]);
        assert_eq!(parse_args(&["\"\""]).unwrap(), Filter::default());
    }

    #[test]
    fn lines() {
        let f = parse_line(r#"name:"China Eastern" +vip amount>=100 'big deal' -lost"#).unwrap();
        assert_eq!(
            f.terms,
            vec![
                field("name", Op::Eq, "China Eastern"),
                tag("vip", true),
                field("amount", Op::Ge, "100"),
                word("big deal"),
                tag("lost", false),
            ]
        );
        let f = parse_line(r#""name:China Eastern""#).unwrap();
        assert_eq!(f.terms, vec![field("name", Op::Eq, "China Eastern")]);
        assert_eq!(parse_line("").unwrap(), Filter::default());
        assert_eq!(parse_line("   \t ").unwrap(), Filter::default());
        // Backslash and # at the start of a word are kept.
        assert_eq!(parse_line(r"\+1").unwrap().terms, vec![word("+1")]);
        assert_eq!(
            parse_line("#urgent +vip").unwrap().terms,
            vec![word("#urgent"), tag("vip", true)]
        );
        assert_eq!(parse_line(r"a\ b").unwrap().terms, vec![word("a b")]);
        assert_eq!(parse_line(r#""\+1""#).unwrap().terms, vec![word("+1")]);
        assert_eq!(parse_line("'#x'").unwrap().terms, vec![word("#x")]);
    }

    #[test]
    fn line_errors() {
        let e = parse_line(r#"name:"China Eastern"#).unwrap_err();
        assert!(e.reason.starts_with("unbalanced quotes"), "{e}");
        assert_eq!(e.term, "name:\"China Eastern");
        assert!(parse_line("'abc")
            .unwrap_err()
            .reason
            .starts_with("unbalanced quotes"));
        assert!(parse_line(r"abc\")
            .unwrap_err()
            .reason
            .starts_with("unbalanced quotes"));
        assert_eq!(
            parse_line("+vip amount>").unwrap_err().reason,
            "missing value after '>'"
        );
    }

    #[test]
    fn sort_specs() {
        assert_eq!(
            parse_sort("tier,-amount").unwrap(),
            vec![
                SortKey {
                    field: "tier".into(),
                    desc: false
                },
                SortKey {
                    field: "amount".into(),
                    desc: true
                }
            ]
        );
        assert_eq!(
            parse_sort(" +Name , -due ").unwrap(),
            vec![
                SortKey {
                    field: "name".into(),
                    desc: false
                },
                SortKey {
                    field: "due".into(),
                    desc: true
                }
            ]
        );
        assert_eq!(
            parse_sort("").unwrap_err().reason,
            "empty sort spec; give field names like tier,-amount"
        );
        assert!(parse_sort("  ")
            .unwrap_err()
            .reason
            .starts_with("empty sort spec"));
        assert!(parse_sort("tier,,amount")
            .unwrap_err()
            .reason
            .starts_with("empty field name"));
        assert!(parse_sort("-")
            .unwrap_err()
            .reason
            .starts_with("empty field name"));
        assert!(parse_sort("tier,")
            .unwrap_err()
            .reason
            .starts_with("empty field name"));
        let e = parse_sort("tier,am ount").unwrap_err();
        assert_eq!(
            e.reason,
            "invalid sort field 'am ount'; use letters, digits and _ (not starting with a digit)"
        );
        assert_eq!(e.term, "am ount");
        assert!(parse_sort("1st")
            .unwrap_err()
            .reason
            .starts_with("invalid sort field"));
        assert!(parse_sort("--x")
            .unwrap_err()
            .reason
            .starts_with("invalid sort field"));
        assert!(parse_sort("名字")
            .unwrap_err()
            .reason
            .starts_with("invalid sort field"));
    }

    proptest! {
        #[test]
        fn parse_args_never_panics(args in proptest::collection::vec("\\PC*", 0..5)) {
            let _ = parse_args(&args);
        }

        #[test]
        fn parse_args_never_panics_on_syntax(args in proptest::collection::vec("[a-z_.:=!<>+\\-\"'\\\\ 重]{0,10}", 0..5)) {
            let _ = parse_args(&args);
        }

        #[test]
        fn parse_line_never_panics(line in "\\PC*") {
            let _ = parse_line(&line);
        }

        #[test]
        fn parse_line_never_panics_on_syntax(line in "[a-z:#+\\-\"'\\\\ \t\n重]{0,16}") {
            let _ = parse_line(&line);
        }

        #[test]
        fn parse_sort_never_panics(spec in "\\PC*") {
            let _ = parse_sort(&spec);
        }

        #[test]
        fn simple_field_round_trip(f in "[a-z_][a-z0-9_]{0,8}", v in "[A-Za-z0-9白云]{1,8}") {
            prop_assert_eq!(
                parse_args(&[format!("{f}:{v}")]).unwrap().terms,
                vec![field(&f, Op::Eq, &v)]
            );
        }
    }

    #[test]
    fn a_filter_written_back_reads_the_same() {
        for line in [
            "owner:lin.wei status:open 'close>=2026-11-01' +vip -old",
            "'owner:Darcel Schlecht' competitor: closed!= name.has:ac 广州",
            "\\+852 '\\name:x' tags: title.hasnt:CRM name.startswith:a name.endswith:b",
            "\"name:it's\" 'note:a \"b\"' 'x:\"q\"' 'y: padded ' 'amount<\"=5\"'",
        ] {
            let f = parse_line(line).unwrap();
            let back = f.to_line();
            assert_eq!(parse_line(&back).unwrap(), f, "{line} → {back}");
        }
        let f = parse_line("'owner:Darcel Schlecht' status!=open 'close>=2026-11-01'").unwrap();
        assert_eq!(
            f.to_line(),
            "'owner:Darcel Schlecht' status!=open close>=2026-11-01"
        );
    }

    proptest! {
        #[test]
        fn any_filter_written_back_reads_the_same(
            terms in proptest::collection::vec(
                (0usize..12, "[a-z_][a-z0-9_]{0,6}", "[ -~是a]{1,8}"),
                0..5,
            )
        ) {
            let ops = [Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Has, Op::NotHas,
                       Op::StartsWith, Op::EndsWith, Op::IsEmpty, Op::NotEmpty];
            let f = Filter {
                terms: terms
                    .into_iter()
                    .filter_map(|(op, name, value)| {
                        let op = ops[op];
                        let value = if matches!(op, Op::IsEmpty | Op::NotEmpty) {
                            String::new()
                        } else {
                            value
                        };
                        // What parsing makes of a value: never empty for a comparison.
                        let t = Term::Field { field: name, op, value };
                        parse_args(&[t.to_text()]).ok().filter(|p| p.terms == [t.clone()]).map(|_| t)
                    })
                    .collect(),
            };
            let back = f.to_line();
            prop_assert_eq!(parse_line(&back).unwrap(), f);
        }
    }
}
