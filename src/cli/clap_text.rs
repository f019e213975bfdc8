//! The words clap writes itself, from the catalog: the help flag's, version flag's and
//! help command's descriptions, the headings of a help page (`Usage:`, `Commands:`,
//! `Arguments:`, `Options:`), and the messages of a command line clap refuses. The English
//! texts are clap's own, so English output is what clap prints; another language gets its
//! words everywhere clap would have put English.
//!
//! The descriptions are set on the built tree (so `--help`, the man page and the shell
//! completions all have them); the headings are put in the rendered page; errors are
//! rendered here from the error's kind and context (`clap::error::ContextKind`), as clap's
//! rich formatter lays them out.

use std::fmt::Write as _;

use clap::builder::Styles;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::Command;

use crate::tr;

/// The tree with clap's own descriptions from the catalog. Builds it (which makes the help
/// and version flags and the `help` commands), so call it on the finished tree.
pub fn localize(mut cmd: Command) -> Command {
    cmd.build();
    described(cmd)
}

fn described(cmd: Command) -> Command {
    let mut cmd = cmd;
    let has = |cmd: &Command, id: &str| cmd.get_arguments().any(|a| a.get_id() == id);
    if has(&cmd, "help") {
        cmd = cmd.mut_arg("help", |a| {
            let short = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            let a = a.help(help_text(&short).unwrap_or(short));
            match a.get_long_help().map(|h| h.to_string()) {
                Some(long) => a.long_help(help_text(&long).unwrap_or(long)),
                None => a,
            }
        });
    }
    if has(&cmd, "version") {
        cmd = cmd.mut_arg("version", |a| a.help(tr!("cli.clap.print_version")));
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |sub| {
            let sub = if name == "help"
                && sub.get_about().map(|a| a.to_string()).as_deref() == Some(HELP_ABOUT)
            {
                let sub = sub.about(tr!("cli.clap.help_about"));
                if sub.get_arguments().any(|a| a.get_id() == "subcommand") {
                    sub.mut_arg("subcommand", |a| a.help(tr!("cli.clap.help_subcommand")))
                } else {
                    sub
                }
            } else {
                sub
            };
            described(sub)
        });
    }
    cmd
}

/// What clap gives its `help` commands.
const HELP_ABOUT: &str = "Print this message or the help of the given subcommand(s)";

/// The catalog's text for one of the help flag's descriptions clap makes.
fn help_text(clap: &str) -> Option<String> {
    Some(match clap {
        "Print help" => tr!("cli.clap.print_help").to_string(),
        "Print help (see more with '--help')" => tr!("cli.clap.print_help_more").to_string(),
        "Print help (see a summary with '-h')" => tr!("cli.clap.print_help_summary").to_string(),
        _ => return None,
    })
}

/// A rendered help page or usage with its headings from the catalog. A heading is a line
/// that starts with one (after its style's escape codes).
pub fn headings(page: &str) -> String {
    let words: [(&str, &str); 4] = [
        ("Usage:", tr!("cli.clap.usage")),
        ("Commands:", tr!("cli.clap.commands")),
        ("Arguments:", tr!("cli.clap.arguments")),
        ("Options:", tr!("cli.clap.options")),
    ];
    let mut out = String::with_capacity(page.len());
    for line in page.split_inclusive('\n') {
        let codes = leading_codes(line);
        let rest = &line[codes..];
        match words.iter().find(|(w, _)| rest.starts_with(w)) {
            Some((w, ours)) => {
                out.push_str(&line[..codes]);
                out.push_str(ours);
                out.push_str(&rest[w.len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// How many bytes of escape codes (`ESC [ … m`) a line starts with.
fn leading_codes(line: &str) -> usize {
    let b = line.as_bytes();
    let mut i = 0;
    while b.get(i) == Some(&0x1b) && b.get(i + 1) == Some(&b'[') {
        match b[i + 2..].iter().position(|c| c.is_ascii_alphabetic()) {
            Some(end) => i += 2 + end + 1,
            None => break,
        }
    }
    i
}

/// A refused command line's message, as clap lays it out (with its styles, for a terminal
/// that shows them), in the catalog's words. Help and version pages are rendered by clap,
/// their headings from the catalog.
pub fn render(e: &clap::Error, styles: &Styles) -> String {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        return headings(&e.render().ansi().to_string());
    }
    let (error, valid, invalid, literal) = (
        styles.get_error(),
        styles.get_valid(),
        styles.get_invalid(),
        styles.get_literal(),
    );
    let s = |v: &str, style: &clap::builder::styling::Style| format!("{style}{v}{style:#}");
    let text = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(v)) => Some(v.clone()),
        _ => None,
    };
    let number = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::Number(n)) => Some(*n),
        _ => None,
    };
    let mut out = String::new();
    let _ = write!(out, "{} ", s(tr!("cli.clap.error"), error));
    let arg = text(ContextKind::InvalidArg);
    let value = text(ContextKind::InvalidValue);
    let message: Option<String> = match e.kind() {
        ErrorKind::ArgumentConflict => {
            let mut prior = e.get(ContextKind::PriorArg);
            let mut m = if let Some(a) = &arg {
                if Some(&ContextValue::String(a.clone())) == prior {
                    prior = None;
                    tr!("cli.clap.used_twice", arg = s(a, invalid))
                } else {
                    tr!("cli.clap.cannot_be_used_with", arg = s(a, invalid))
                }
            } else if let Some(sub) = text(ContextKind::InvalidSubcommand) {
                tr!(
                    "cli.clap.subcommand_cannot_be_used_with",
                    sub = s(&sub, invalid)
                )
            } else {
                tr!("cli.clap.kind.argument_conflict").to_string()
            };
            match prior {
                Some(ContextValue::Strings(values)) => {
                    m.push(':');
                    for v in values {
                        let _ = write!(m, "\n  {}", s(v, invalid));
                    }
                }
                Some(ContextValue::String(v)) => {
                    let _ = write!(m, " '{}'", s(v, invalid));
                }
                Some(_) => m.push_str(tr!("cli.clap.other_arguments")),
                None => {}
            }
            Some(m)
        }
        ErrorKind::NoEquals => arg.map(|a| tr!("cli.clap.no_equals", arg = s(&a, invalid))),
        ErrorKind::InvalidValue => match (&arg, &value) {
            (Some(a), Some(v)) => {
                let mut m = if v.is_empty() {
                    tr!("cli.clap.value_required", arg = s(a, invalid))
                } else {
                    tr!(
                        "cli.clap.invalid_value",
                        value = s(v, invalid),
                        arg = s(a, literal)
                    )
                };
                values_list(
                    &mut m,
                    tr!("cli.clap.possible_values"),
                    e.get(ContextKind::ValidValue),
                    valid,
                );
                Some(m)
            }
            _ => None,
        },
        ErrorKind::InvalidSubcommand => text(ContextKind::InvalidSubcommand)
            .map(|sub| tr!("cli.clap.unrecognized_subcommand", sub = s(&sub, invalid))),
        ErrorKind::MissingRequiredArgument => match e.get(ContextKind::InvalidArg) {
            Some(ContextValue::Strings(args)) => {
                let mut m = tr!("cli.clap.required_not_provided").to_string();
                for a in args {
                    let _ = write!(m, "\n  {}", s(a, valid));
                }
                Some(m)
            }
            _ => None,
        },
        ErrorKind::MissingSubcommand => text(ContextKind::InvalidSubcommand).map(|sub| {
            let mut m = tr!("cli.clap.requires_subcommand", sub = s(&sub, invalid));
            values_list(
                &mut m,
                tr!("cli.clap.subcommands"),
                e.get(ContextKind::ValidSubcommand),
                valid,
            );
            m
        }),
        ErrorKind::TooManyValues => match (&arg, &value) {
            (Some(a), Some(v)) => Some(tr!(
                "cli.clap.too_many_values",
                value = s(v, invalid),
                arg = s(a, literal)
            )),
            _ => None,
        },
        ErrorKind::TooFewValues => match (
            &arg,
            number(ContextKind::ActualNumValues),
            number(ContextKind::MinValues),
        ) {
            (Some(a), Some(n), Some(min)) => Some(crate::plural!(
                "cli.clap.too_few_values",
                n as i64,
                min = s(&min.to_string(), valid),
                arg = s(a, literal)
            )),
            _ => None,
        },
        ErrorKind::WrongNumberOfValues => match (
            &arg,
            number(ContextKind::ActualNumValues),
            number(ContextKind::ExpectedNumValues),
        ) {
            (Some(a), Some(n), Some(expected)) => Some(crate::plural!(
                "cli.clap.wrong_number_of_values",
                n as i64,
                expected = s(&expected.to_string(), valid),
                arg = s(a, literal)
            )),
            _ => None,
        },
        ErrorKind::ValueValidation => match (&arg, &value) {
            (Some(a), Some(v)) => {
                let mut m = tr!(
                    "cli.clap.invalid_value",
                    value = s(v, invalid),
                    arg = s(a, literal)
                );
                if let Some(source) = std::error::Error::source(e) {
                    let _ = write!(m, ": {source}");
                }
                Some(m)
            }
            _ => None,
        },
        ErrorKind::UnknownArgument => {
            arg.map(|a| tr!("cli.clap.unexpected_argument", arg = s(&a, invalid)))
        }
        _ => None,
    };
    match message {
        Some(m) => out.push_str(&m),
        None => out.push_str(&kind_text(e)),
    }
    let mut suggested = false;
    for kind in [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ] {
        let list: Vec<String> = match e.get(kind) {
            Some(ContextValue::String(v)) => vec![v.clone()],
            Some(ContextValue::Strings(v)) => v.clone(),
            _ => continue,
        };
        out.push('\n');
        if !suggested {
            out.push('\n');
            suggested = true;
        }
        let one = list.len() == 1;
        let similar = list
            .iter()
            .map(|v| format!("'{}'", s(v, valid)))
            .collect::<Vec<_>>()
            .join(", ");
        let line = match (kind, one) {
            (ContextKind::SuggestedSubcommand, true) => {
                tr!("cli.clap.similar_subcommand", similar = similar)
            }
            (ContextKind::SuggestedSubcommand, false) => {
                tr!("cli.clap.similar_subcommands", similar = similar)
            }
            (ContextKind::SuggestedArg, true) => {
                tr!("cli.clap.similar_argument", similar = similar)
            }
            (ContextKind::SuggestedArg, false) => {
                tr!("cli.clap.similar_arguments", similar = similar)
            }
            (_, true) => tr!("cli.clap.similar_value", similar = similar),
            (_, false) => tr!("cli.clap.similar_values", similar = similar),
        };
        let _ = write!(out, "  {} {line}", s(tr!("cli.clap.tip"), valid));
    }
    if let Some(ContextValue::StyledStrs(tips)) = e.get(ContextKind::Suggested) {
        if !suggested {
            out.push('\n');
        }
        for t in tips {
            let _ = write!(out, "\n  {} {}", s(tr!("cli.clap.tip"), valid), t.ansi());
        }
    }
    if let Some(ContextValue::StyledStr(usage)) = e.get(ContextKind::Usage) {
        out.push_str("\n\n");
        out.push_str(&headings(&usage.ansi().to_string()));
    }
    let _ = write!(
        out,
        "\n\n{}\n",
        tr!("cli.clap.more_information", help = s("--help", literal))
    );
    out
}

/// ` [possible values: a, b]` after a message, as clap writes it.
fn values_list(
    m: &mut String,
    name: &str,
    values: Option<&ContextValue>,
    valid: &clap::builder::styling::Style,
) {
    if let Some(ContextValue::Strings(values)) = values {
        if !values.is_empty() {
            let list: Vec<String> = values
                .iter()
                .map(|v| format!("{valid}{v}{valid:#}"))
                .collect();
            let _ = write!(m, "\n  [{name}: {}]", list.join(", "));
        }
    }
}

/// The message of an error kind without context of its own.
fn kind_text(e: &clap::Error) -> String {
    match e.kind() {
        ErrorKind::InvalidValue => tr!("cli.clap.kind.invalid_value"),
        ErrorKind::UnknownArgument => tr!("cli.clap.kind.unknown_argument"),
        ErrorKind::InvalidSubcommand => tr!("cli.clap.kind.invalid_subcommand"),
        ErrorKind::NoEquals => tr!("cli.clap.kind.no_equals"),
        ErrorKind::ValueValidation => tr!("cli.clap.kind.value_validation"),
        ErrorKind::TooManyValues => tr!("cli.clap.kind.too_many_values"),
        ErrorKind::TooFewValues => tr!("cli.clap.kind.too_few_values"),
        ErrorKind::WrongNumberOfValues => tr!("cli.clap.kind.wrong_number_of_values"),
        ErrorKind::ArgumentConflict => tr!("cli.clap.kind.argument_conflict"),
        ErrorKind::MissingRequiredArgument => tr!("cli.clap.kind.missing_required_argument"),
        ErrorKind::MissingSubcommand => tr!("cli.clap.kind.missing_subcommand"),
        ErrorKind::InvalidUtf8 => tr!("cli.clap.kind.invalid_utf8"),
        _ => {
            return std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_else(|| tr!("cli.clap.kind.unknown").to_string())
        }
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In English, kith's rendering of clap's errors is clap's own, styles and all.
    #[test]
    fn english_errors_are_what_clap_writes() {
        let lines: &[&[&str]] = &[
            &["kith", "account", "list", "--bogus"],
            &["kith", "account", "lsit"],
            &["kith", "deal", "add"],
            &["kith", "agenda", "--days", "0"],
            &["kith", "account", "list", "--limit", "x"],
            &["kith", "report"],
            &["kith", "deal", "list", "--json", "--csv"],
            &["kith", "deal", "list", "--json", "--json"],
            &["kith", "--color", "purple"],
            &["kith", "--color", "alway"],
            &["kith", "account", "list", "--sort"],
            &["kith", "account", "list", "--jsno"],
            &["kith", "nosuch"],
            &["kith", "task", "add", "x", "--repeat"],
        ];
        let styles = Styles::styled();
        for argv in lines {
            let e = crate::cli::tree::tree()
                .try_get_matches_from(*argv)
                .expect_err("refused");
            assert_eq!(
                render(&e, &styles),
                e.render().ansi().to_string(),
                "{argv:?}"
            );
        }
    }

    /// The help pages, the man page and the completions take clap's words from the tree
    /// that [`localize`] made: in English, the same tree clap makes.
    #[test]
    fn the_localized_tree_shows_what_clap_shows() {
        for argv in [
            vec!["kith", "--help"],
            vec!["kith", "deal", "move", "-h"],
            vec!["kith", "report", "pipeline", "--help"],
            vec!["kith", "help", "account"],
        ] {
            let ours = crate::cli::command()
                .try_get_matches_from(&argv)
                .unwrap_err();
            let clap = crate::cli::tree::tree()
                .try_get_matches_from(&argv)
                .unwrap_err();
            assert_eq!(
                render(&ours, &Styles::styled()),
                clap.render().ansi().to_string(),
                "{argv:?}"
            );
        }
    }

    #[test]
    fn headings_are_found_after_their_style() {
        let page = "\x1b[1m\x1b[4mUsage:\x1b[0m kith\n  Options: not a heading\nOptions:\n";
        assert_eq!(headings(page), page);
        assert_eq!(leading_codes("\x1b[1m\x1b[4mUsage:"), 8);
        assert_eq!(leading_codes("Usage:"), 0);
    }
}
