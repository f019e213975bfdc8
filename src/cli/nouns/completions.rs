//! `kith completions` and `kith man`: the command tree for shells and man.

use clap::{value_parser, Arg, ArgMatches, Command};

use super::{Noun, Run};
use crate::cli::output::{self, Out};
use crate::core::error::{Error, Result};
use crate::tr;

pub const COMPLETIONS: Noun = Noun {
    name: "completions",
    command: completions_command,
    run: Run::Top(completions),
};

pub const MAN: Noun = Noun {
    name: "man",
    command: man_command,
    run: Run::Top(man),
};

fn completions_command() -> Command {
    Command::new("completions")
        .about(tr!("cli.help.completions.about"))
        .arg(
            Arg::new("shell")
                .required(true)
                .value_parser(value_parser!(clap_complete::Shell)),
        )
}

fn man_command() -> Command {
    Command::new("man").about(tr!("cli.help.man.about"))
}

fn completions(_: &ArgMatches, m: &ArgMatches, _: &Out) -> Result<i32> {
    let shell = *m
        .get_one::<clap_complete::Shell>("shell")
        .ok_or_else(|| Error::invalid(tr!("cli.completions.which")))?;
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command(), "kith", &mut buf);
    output::emit_bytes(&buf)?;
    Ok(0)
}

fn man(_: &ArgMatches, _: &ArgMatches, _: &Out) -> Result<i32> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(crate::cli::command())
        .render(&mut buf)
        .map_err(Error::from)?;
    let page = String::from_utf8_lossy(&buf);
    output::emit_bytes(headings_in_language(&page).as_bytes())?;
    Ok(0)
}

/// The man page with its section headings (clap_mangen's, in English: NAME, SYNOPSIS …)
/// in the user's language.
fn headings_in_language(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    for line in page.split_inclusive('\n') {
        let heading = line.strip_prefix(".SH ").map(str::trim_end);
        let shown = match heading {
            Some("NAME") => tr!("cli.man.name"),
            Some("SYNOPSIS") => tr!("cli.man.synopsis"),
            Some("DESCRIPTION") => tr!("cli.man.description"),
            Some("OPTIONS") => tr!("cli.man.options"),
            Some("SUBCOMMANDS") => tr!("cli.man.subcommands"),
            Some("EXTRA") => tr!("cli.man.extra"),
            Some("VERSION") => tr!("cli.man.version"),
            Some("AUTHORS") => tr!("cli.man.authors"),
            _ => {
                out.push_str(line);
                continue;
            }
        };
        out.push_str(".SH ");
        out.push_str(shown);
        out.push('\n');
    }
    out
}
