//! The command tree, built in this one place: kith's global options, then every noun in
//! the order of `nouns::ALL`. The same tree parses the arguments and gives `--help`, the
//! man page and the shell completions.

use clap::{Arg, ArgAction, Command};

use super::nouns;
use crate::tr;

/// Every command kith has.
pub fn command() -> Command {
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
        );
    for n in nouns::ALL {
        cmd = cmd.subcommand((n.command)());
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
