//! `kith check`: is the database sound?

use clap::{Arg, ArgAction, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::flag;
use crate::cli::output::{say, Out};
use crate::core::error::{Error, Result};
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "check",
    command,
    run: Run::Top(run),
};

fn command() -> Command {
    Command::new("check")
        .about(tr!("cli.help.check.about"))
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help(tr!("cli.help.check.json")),
        )
        .arg(
            Arg::new("repair")
                .long("repair")
                .action(ArgAction::SetTrue)
                .help(tr!("cli.help.check.repair")),
        )
}

/// `kith check`'s output: one line per problem (or JSON); exit 1 when there are any.
fn print_findings(
    found: &[crate::app::queries::Finding],
    m: &ArgMatches,
    out: &Out,
) -> Result<i32> {
    if flag(m, "json") {
        out.one(&found)?;
    } else {
        for f in found {
            out.line(&format!("{}: {}", f.check, f.problem))?;
        }
        if found.is_empty() {
            eprintln!("{}", tr!("cli.check.ok"));
        }
    }
    Ok(if found.is_empty() { 0 } else { 1 })
}

/// `kith check` on a file that could not be opened as a kith database (`failed` says why):
/// the problems SQLite finds in it, read only, exit 1; or, if it finds none, the failure.
pub(crate) fn check_damaged(
    path: &std::path::Path,
    failed: Error,
    m: &ArgMatches,
    out: &Out,
) -> Result<i32> {
    let found = Crm::check_damaged(path)?;
    if found.is_empty() {
        return Err(failed);
    }
    print_findings(&found, m, out)
}

/// A file too damaged to open is what `check` is for: it still lists the problems.
fn run(top: &ArgMatches, m: &ArgMatches, out: &Out) -> Result<i32> {
    let mut crm = if flag(m, "repair") {
        crate::cli::open(top)?.0
    } else {
        match crate::cli::open(top) {
            Ok((crm, _)) => crm,
            Err(e) if e.exit_code() == 3 => {
                let config = crate::app::config::Config::load(&crate::app::config::config_path())?;
                let path = crate::cli::db_path(top, &config);
                return check_damaged(&path, e, m, out);
            }
            Err(e) => return Err(e),
        }
    };
    if flag(m, "repair") {
        for line in crm.repair()? {
            say(&line);
        }
    }
    let found = crm.check()?;
    print_findings(&found, m, out)
}
