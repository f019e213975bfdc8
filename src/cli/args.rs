//! Reading arguments. Filters use `-tag` and dates use `-2w`, which a command-line parser
//! would take for options; [`escape`] marks such words before clap sees them and
//! [`values`] / [`value`] give them back as typed. Every argument is read through these.

use clap::{Arg, ArgMatches};

use crate::core::error::{Error, Result};
use crate::tr;

/// Stands in for a leading '-' that is a value, not an option.
const DASH: char = '\u{E000}';

/// Short options kith defines; every other `-x…` word is a value.
const SHORT_OPTIONS: &[&str] = &["-h", "-V", "-o"];

pub fn escape(args: Vec<String>) -> Vec<String> {
    let mut after_double_dash = false;
    args.into_iter()
        .enumerate()
        .map(|(i, a)| {
            if i == 0 || after_double_dash {
                return a;
            }
            if a == "--" {
                after_double_dash = true;
                return a;
            }
            let is_value = a.starts_with('-')
                && !a.starts_with("--")
                && a.len() > 1
                && !SHORT_OPTIONS.contains(&a.as_str());
            if is_value {
                format!("{DASH}{}", &a[1..])
            } else {
                a
            }
        })
        .collect()
}

pub fn unescape(s: &str) -> String {
    match s.strip_prefix(DASH) {
        Some(rest) => format!("-{rest}"),
        None => s.to_string(),
    }
}

/// Every value of an argument, as typed.
pub fn values(m: &ArgMatches, id: &str) -> Vec<String> {
    match m.try_get_many::<String>(id) {
        Ok(Some(v)) => v.map(|s| unescape(s)).collect(),
        _ => vec![],
    }
}

/// The value of an argument, as typed.
pub fn value(m: &ArgMatches, id: &str) -> Option<String> {
    match m.try_get_one::<String>(id) {
        Ok(Some(v)) => Some(unescape(v)),
        _ => None,
    }
}

/// The value of the long option `--name` on a command line not yet parsed (`--name V` or
/// `--name=V`; the last one given, as clap takes it), for what must be known before the
/// command tree is built. Nothing after `--` is an option.
pub fn long_value(argv: &[String], name: &str) -> Option<String> {
    let flag = format!("--{name}");
    let mut found = None;
    let mut words = argv.iter().skip(1);
    while let Some(a) = words.next() {
        if a == "--" {
            break;
        }
        if *a == flag {
            found = words.next().map(|v| unescape(v));
        } else if let Some(v) = a.strip_prefix(&flag).and_then(|r| r.strip_prefix('=')) {
            found = Some(unescape(v));
        }
    }
    found
}

pub fn flag(m: &ArgMatches, id: &str) -> bool {
    matches!(m.try_get_one::<bool>(id), Ok(Some(true)))
}

/// `-o FILE` for commands that write files.
/// The names of the kinds users keep records of (`--entity account|contact|…|product`),
/// for an option that takes one.
pub fn record_kinds() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        crate::model::Entity::RECORDS.map(crate::model::Entity::name),
    )
}

pub fn output_arg() -> Arg {
    Arg::new("output")
        .short('o')
        .long("output")
        .value_name("FILE")
        .help(tr!("cli.help.common.output"))
}

/// Ask on the terminal (or go ahead with `--yes`); refuse when not on a terminal.
/// Ask on a terminal unless --yes; off a terminal, --yes is required (kith never prompts a
/// script).
pub fn confirm(m: &ArgMatches, question: &str) -> Result<bool> {
    use std::io::{BufRead, IsTerminal, Write};
    if flag(m, "yes") {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid(tr!(
            "cli.confirm.not_a_terminal",
            question = question
        )));
    }
    eprint!("{}", tr!("cli.confirm.ask", question = question));
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_long_option_is_found_before_parsing() {
        let lang = |a: &[&str]| long_value(&escape(v(a)), "lang");
        assert_eq!(
            lang(&["kith", "--lang", "zh-CN", "deal", "list"]),
            Some("zh-CN".into())
        );
        assert_eq!(
            lang(&["kith", "deal", "list", "--lang=en"]),
            Some("en".into())
        );
        assert_eq!(
            lang(&["kith", "--lang", "en", "--lang", "zh"]),
            Some("zh".into())
        );
        assert_eq!(lang(&["kith", "note", "add", "--", "--lang", "zh"]), None);
        assert_eq!(lang(&["kith", "--language", "zh"]), None);
        assert_eq!(lang(&["kith", "--lang"]), None);
        assert_eq!(lang(&["kith"]), None);
    }

    #[test]
    fn dash_words_are_escaped_and_restored() {
        let out = escape(v(&[
            "kith", "account", "list", "-vip", "--sort", "-name", "-h", "-",
        ]));
        assert_eq!(out[3], format!("{DASH}vip"));
        assert_eq!(out[4], "--sort");
        assert_eq!(out[5], format!("{DASH}name"));
        assert_eq!(out[6], "-h");
        assert_eq!(out[7], "-");
        assert_eq!(unescape(&out[3]), "-vip");
        assert_eq!(unescape("plain"), "plain");
    }

    #[test]
    fn nothing_after_double_dash_is_touched() {
        let out = escape(v(&["kith", "search", "--", "-x"]));
        assert_eq!(out[3], "-x");
    }
}
