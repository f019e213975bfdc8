//! The command tree, built in this one place: kith's global options, then every noun in
//! the order of `nouns::ALL`. The same tree parses the arguments and gives `--help`, the
//! man page and the shell completions.

use clap::{Arg, ArgAction, Command};

use super::{nouns, records};
use crate::model::custom::Custom;
use crate::model::Entity;

/// Every command kith has.
pub fn command() -> Command {
    let mut cmd = Command::new("kith")
        .version(env!("CARGO_PKG_VERSION"))
        .about("A customer relationship manager for people who live in the terminal")
        .long_about(
            "kith keeps customers, contacts, leads, deals, activities and follow-ups in one \
             SQLite file. Every command prints data on stdout and messages on stderr.\n\n\
             Exit status: 0 success; 1 nothing matched; 2 bad usage or invalid input (nothing \
             was written); 3 the database or file system failed, or a reminder could not be \
             delivered.",
        )
        .subcommand_required(false)
        .arg(
            Arg::new("db")
                .long("db")
                .global(true)
                .env("KITH_DB")
                .value_name("PATH")
                .help("The database file [default: $XDG_DATA_HOME/kith/kith.db]"),
        )
        .arg(
            Arg::new("demo")
                .long("demo")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Use the sample database ($XDG_DATA_HOME/kith/demo.db), made on first use"),
        )
        .arg(
            Arg::new("as")
                .long("as")
                .global(true)
                .env("KITH_USER")
                .value_name("USER")
                .help("Who the changes are recorded as [default: $USER]"),
        )
        .arg(
            Arg::new("now")
                .long("now")
                .global(true)
                .env("KITH_NOW")
                .value_name("WHEN")
                .help("Pin the clock (2026-11-22T09:30, or any date word) for scripts and tests"),
        )
        .arg(
            Arg::new("color")
                .long("color")
                .global(true)
                .value_name("WHEN")
                .value_parser(["auto", "always", "never"])
                .default_value("auto")
                .help("Colour tables: auto (on a terminal, unless NO_COLOR is set), always, never"),
        );
    for n in nouns::ALL {
        cmd = cmd.subcommand((n.command)());
    }
    cmd
}

/// The tree with the custom fields of a database as options of `add` and `edit` (and of
/// `log`, which is `activity add`). Built only when a command line names an option the
/// plain tree does not know, so that other commands need not open the database to parse.
pub fn command_with(custom: &Custom) -> Command {
    let mut cmd = command();
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
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_valid() {
        command().debug_assert();
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
