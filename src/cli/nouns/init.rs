//! `kith init [--shared GROUP]`: make the database (its folder, its file, its tables), and
//! for a team on one shared host give both to a group, readable and writable by it only.

use clap::{Arg, ArgMatches, Command};

use super::{Noun, Run};
use crate::cli::args::value;
use crate::cli::output::Out;
use crate::core::error::Result;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "init",
    command,
    run: Run::Top(run),
};

fn command() -> Command {
    Command::new("init").about(tr!("cli.help.init.about")).arg(
        Arg::new("shared")
            .long("shared")
            .value_name("GROUP")
            .help(tr!("cli.help.init.shared")),
    )
}

fn run(top: &ArgMatches, m: &ArgMatches, _: &Out) -> Result<i32> {
    let config = crate::cli::configuration()?;
    let path = crate::cli::db_path(top, &config);
    let existed = path.exists();
    let group = value(m, "shared").filter(|g| !g.trim().is_empty());
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            crate::err!(
                Failed,
                "store.create_folder",
                dir = dir.display(),
                reason = e
            )
        })?;
    }
    // The folder first: SQLite's files made while the tables are made take its group.
    if let Some(g) = &group {
        crate::core::files::share_with_group(&path, g.trim())?;
    }
    drop(crate::cli::open_at(top, &config, &path)?);
    if let Some(g) = &group {
        crate::core::files::share_with_group(&path, g.trim())?;
        eprintln!(
            "{}",
            tr!("cli.init.shared", path = path.display(), group = g.trim())
        );
    } else if existed {
        eprintln!("{}", tr!("cli.init.there", path = path.display()));
    } else {
        eprintln!("{}", tr!("cli.init.made", path = path.display()));
    }
    Ok(0)
}
