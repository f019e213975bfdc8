//! `kith backup` and `kith restore`: the whole database to a file and back.

use clap::{Arg, ArgAction, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::{confirm, value};
use crate::cli::output::Out;
use crate::core::error::Result;
use crate::tr;

pub const BACKUP: Noun = Noun {
    name: "backup",
    command: backup_command,
    run: Run::Crm(backup),
};

pub const RESTORE: Noun = Noun {
    name: "restore",
    command: restore_command,
    run: Run::Crm(restore),
};

fn backup_command() -> Command {
    Command::new("backup")
        .about(tr!("cli.help.backup.about"))
        .arg(Arg::new("file").required(true).value_name("FILE"))
}

fn restore_command() -> Command {
    Command::new("restore")
        .about(tr!("cli.help.restore.about"))
        .arg(Arg::new("file").required(true).value_name("FILE"))
        .arg(
            Arg::new("yes")
                .long("yes")
                .action(ArgAction::SetTrue)
                .help(tr!("cli.help.restore.yes")),
        )
}

fn backup(crm: &mut Crm, m: &ArgMatches, _: &Out) -> Result<i32> {
    let file = value(m, "file").unwrap_or_default();
    crm.backup_to(std::path::Path::new(&file))?;
    eprintln!("{}", tr!("cli.backup.done", file = file));
    Ok(0)
}

fn restore(crm: &mut Crm, m: &ArgMatches, _: &Out) -> Result<i32> {
    let file = value(m, "file").unwrap_or_default();
    if !confirm(m, &tr!("cli.restore.confirm", file = file))? {
        eprintln!("{}", tr!("cli.restore.nothing"));
        return Ok(1);
    }
    crm.restore_from(std::path::Path::new(&file))?;
    eprintln!("{}", tr!("cli.restore.done", file = file));
    Ok(0)
}
