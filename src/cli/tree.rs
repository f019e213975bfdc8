//! The command tree, built in this one place: kith's global options, then every noun in
//! the order of `nouns::ALL`. The same declarations parse the arguments (in full only for
//! the nouns a line names, [`tree_for`]) and give `--help`, the man page and the shell
//! completions (the whole tree, [`command`]).

use clap::{Arg, ArgAction, Command};

use super::{nouns, records};
use crate::model::custom::Custom;
use crate::model::Entity;
use crate::tr;

/// Every command kith has, with clap's own words from the catalog: for help pages, the man
/// page and the completions.
pub fn command() -> Command {
    super::clap_text::localize(tree())
}

/// Every command kith has, as declared: what command lines are parsed with. clap builds
/// only the commands a line goes through; the words it adds itself (the help flag's) are
/// put in from the catalog only when a page shows them (see [`command`]), since building
/// the whole tree costs every command 2 ms.
pub fn tree() -> Command {
    with_nouns(|_| true)
}

/// The tree to parse `argv` with: in full the nouns the line names (any word of it that is
/// a noun's name: the one it runs is among them), every other noun by its name only. Not
/// building the verbs and options of thirty nouns a line does not use spares every command
/// most of its start; a help page, the completions and the man page are made from the
/// whole tree ([`command`]), and clap's suggestion for a misspelt noun needs the names only.
pub fn tree_for(argv: &[String]) -> Command {
    with_nouns(|name| argv.iter().skip(1).any(|a| a == name))
}

/// The global options, then every noun: those `full` chooses with their verbs and options,
/// the rest as bare names.
fn with_nouns(full: impl Fn(&str) -> bool) -> Command {
    let mut cmd = Command::new("kith")
        .version(env!("CARGO_PKG_VERSION"))
        .about(tr!("cli.help.kith.about"))
        .long_about(tr!("cli.help.kith.long_about"))
        .subcommand_required(false)
        .arg(
            Arg::new("db")
                .long("db")
                .global(true)
                .env("KITH_DB")
                .value_name("PATH")
                .help(tr!("cli.help.kith.db")),
        )
        .arg(
            Arg::new("demo")
                .long("demo")
                .global(true)
                .action(ArgAction::SetTrue)
                .help(tr!("cli.help.kith.demo")),
        )
        .arg(
            Arg::new("as")
                .long("as")
                .global(true)
                .env("KITH_USER")
                .value_name("USER")
                .help(tr!("cli.help.kith.as")),
        )
        .arg(
            Arg::new("now")
                .long("now")
                .global(true)
                .env("KITH_NOW")
                .value_name("WHEN")
                .help(tr!("cli.help.kith.now")),
        )
        .arg(
            Arg::new("color")
                .long("color")
                .global(true)
                .value_name("WHEN")
                .value_parser(["auto", "always", "never"])
                .default_value("auto")
                .help(tr!("cli.help.kith.color")),
        )
        .arg(
            Arg::new("amounts")
                .long("amounts")
                .global(true)
                .value_name("HOW")
                .value_parser(crate::core::money::Amounts::NAMES)
                .help(tr!("cli.help.kith.amounts")),
        )
        .arg(
            // Read before the tree is built (its help is in the language): src/cli/mod.rs.
            Arg::new("lang")
                .long("lang")
                .global(true)
                .value_name("LANG")
                .help(tr!("cli.help.kith.lang")),
        );
    for n in nouns::ALL {
        cmd = cmd.subcommand(if full(n.name) {
            (n.command)()
        } else {
            Command::new(n.name)
        });
    }
    cmd
}

/// The tree with the custom fields of a database as options of `add` and `edit` (and of
/// `log`, which is `activity add`). Built only when a command line names an option the
/// plain tree does not know, so that other commands need not open the database to parse.
pub fn command_with(custom: &Custom) -> Command {
    let mut cmd = tree();
    for e in Entity::RECORDS {
        if custom.of(e).is_empty() {
            continue;
        }
        cmd = cmd.mut_subcommand(e.name(), |noun| {
            noun.mut_subcommand("add", |c| records::custom_args(c, e, custom))
                .mut_subcommand("edit", |c| records::custom_args(c, e, custom))
        });
        if e == Entity::Activity {
            cmd = cmd.mut_subcommand("log", |c| records::custom_args(c, e, custom));
        }
    }
    super::clap_text::localize(cmd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_valid() {
        command().debug_assert();
    }

    /// Every help text of the tree is a message of the catalogs (its placeholders
    /// filled), so none is written in code.
    #[test]
    fn every_help_text_comes_from_the_catalog() {
        let templates: Vec<&str> = crate::core::text::english_texts().collect();
        // A template of placeholders and punctuation only ("%{field}: %{what}") would
        // match most texts: such a text is matched part by part instead.
        let lettered: Vec<Vec<&str>> = templates
            .iter()
            .map(|t| pieces(t))
            .filter(|p| p.iter().any(|s| s.chars().any(char::is_alphabetic)))
            .collect();
        let known = |text: &str| -> bool {
            let mut rest = text;
            loop {
                if lettered.iter().any(|p| matches(p, rest)) {
                    return true;
                }
                match rest.split_once(": ") {
                    Some((_, after)) => rest = after,
                    None => return false,
                }
            }
        };
        let mut unknown = Vec::new();
        let mut seen = 0;
        let mut stack = vec![(String::from("kith"), command())];
        while let Some((path, cmd)) = stack.pop() {
            let mut texts: Vec<(String, String)> = Vec::new();
            if let Some(a) = cmd.get_about() {
                texts.push((format!("{path} about"), a.to_string()));
            }
            if let Some(a) = cmd.get_long_about() {
                texts.push((format!("{path} long_about"), a.to_string()));
            }
            for arg in cmd.get_arguments() {
                if let Some(h) = arg.get_help() {
                    texts.push((format!("{path} {}", arg.get_id()), h.to_string()));
                }
            }
            for (at, text) in texts {
                seen += 1;
                // clap's own help and version flags.
                if text == "Print help" || text == "Print version" {
                    continue;
                }
                if !known(&text) {
                    unknown.push(format!("{at}: {text:?}"));
                }
            }
            for sub in cmd.get_subcommands() {
                stack.push((format!("{path} {}", sub.get_name()), sub.clone()));
            }
        }
        assert!(seen > 300, "only {seen} help texts");
        assert!(
            unknown.is_empty(),
            "not from the catalog:\n{}",
            unknown.join("\n")
        );
    }

    /// The literal parts of a template, between its placeholders.
    fn pieces(template: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut rest = template;
        while let Some(at) = rest.find("%{") {
            out.push(&rest[..at]);
            match rest[at..].find('}') {
                Some(end) => rest = &rest[at + end + 1..],
                None => break,
            }
        }
        out.push(rest);
        out
    }

    /// Whether `text` is the template of `pieces` with its placeholders filled.
    fn matches(pieces: &[&str], text: &str) -> bool {
        if pieces.len() == 1 {
            return pieces[0] == text;
        }
        let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
        if !text.starts_with(first)
            || !text.ends_with(last)
            || text.len() < first.len() + last.len()
        {
            return false;
        }
        let mut rest = &text[first.len()..text.len() - last.len()];
        for p in &pieces[1..pieces.len() - 1] {
            match rest.find(p) {
                Some(at) => rest = &rest[at + p.len()..],
                None => return false,
            }
        }
        true
    }

    #[test]
    fn contract_options_exist() {
        let cmd = command();
        let opts = |noun: &str, verb: &str| -> Vec<String> {
            cmd.find_subcommand(noun)
                .and_then(|n| n.find_subcommand(verb))
                .map(|c| {
                    c.get_arguments()
                        .filter_map(|a| a.get_long().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let has = |noun: &str, verb: &str, want: &[&str]| {
            let got = opts(noun, verb);
            for w in want {
                assert!(
                    got.iter().any(|g| g == w),
                    "{noun} {verb} lacks --{w}: {got:?}"
                );
            }
        };
        has(
            "account",
            "add",
            &[
                "type", "tier", "industry", "owner", "parent", "phone", "email", "website", "city",
                "tag",
            ],
        );
        has(
            "contact",
            "add",
            &[
                "account", "title", "role", "email", "phone", "birthday", "tag",
            ],
        );
        has(
            "lead",
            "add",
            &["company", "source", "email", "phone", "score"],
        );
        has(
            "deal",
            "add",
            &[
                "account",
                "contact",
                "amount",
                "currency",
                "stage",
                "pipeline",
                "close",
                "probability",
            ],
        );
        has(
            "task",
            "add",
            &["due", "priority", "account", "contact", "lead", "deal"],
        );
        has(
            "activity",
            "add",
            &[
                "account", "contact", "lead", "deal", "at", "body", "outcome", "minutes", "next",
                "due",
            ],
        );
        assert!(cmd.find_subcommand("log").is_some());
    }
}
