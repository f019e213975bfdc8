//! `kith <kind> share REF --with USER|TEAM [--write]` and `kith <kind> unshare REF
//! [--with USER|TEAM]`: the verbs every kind of record with an owner has, to let a user or
//! a team see (and with `--write`, change) a record someone else owns.

use clap::{Arg, ArgAction, ArgMatches, Command};

use super::args::{flag, value};
use crate::app::crm::Crm;
use crate::app::team::With;
use crate::core::error::Result;
use crate::model::Entity;
use crate::tr;

/// `cmd` with the share verbs.
pub fn verbs(cmd: Command) -> Command {
    let with = |required: bool| {
        Arg::new("with")
            .long("with")
            .value_name("USER|TEAM")
            .required(required)
            .help(tr!("cli.help.share.with"))
    };
    cmd.subcommand(
        Command::new("share")
            .about(tr!("cli.help.share.about"))
            .arg(Arg::new("ref").required(true).value_name("REF"))
            .arg(with(true))
            .arg(
                Arg::new("write")
                    .long("write")
                    .action(ArgAction::SetTrue)
                    .help(tr!("cli.help.share.write")),
            ),
    )
    .subcommand(
        Command::new("unshare")
            .about(tr!("cli.help.unshare.about"))
            .arg(Arg::new("ref").required(true).value_name("REF"))
            .arg(with(false)),
    )
}

/// Run `share` or `unshare`.
pub fn run(crm: &mut Crm, e: Entity, verb: &str, m: &ArgMatches) -> Result<i32> {
    let id = crm.resolve(e, &value(m, "ref").unwrap_or_default())?;
    let label = crm.get(e, id)?.label().to_string();
    let with = value(m, "with")
        .map(|w| whom(crm, &w).map_err(|er| er.context("--with")))
        .transpose()?;
    if verb == "share" {
        let with = with.expect("--with is required");
        let whom = match &with {
            With::User(login) => login.clone(),
            With::Team(t) => crm.get(Entity::Team, *t)?.label().to_string(),
        };
        let write = flag(m, "write");
        let changed = crm.share(e, id, &with, write)?;
        let line = match (changed, write) {
            (false, _) => tr!("share.already", name = label, with = whom),
            (true, true) => tr!("share.shared_write", name = label, with = whom),
            (true, false) => tr!("share.shared_read", name = label, with = whom),
        };
        eprintln!("{line}");
        return Ok(0);
    }
    let n = crm.unshare(e, id, with.as_ref())?;
    eprintln!("{}", crate::plural!("share.unshared", n, name = label));
    Ok(if n == 0 { 1 } else { 0 })
}

/// A user by login (or name), else a team by name.
fn whom(crm: &Crm, text: &str) -> Result<With> {
    match crm.resolve(Entity::User, text) {
        Ok(id) => Ok(With::User(crm.get(Entity::User, id)?.text("login"))),
        Err(user_err) => match crm.resolve(Entity::Team, text) {
            Ok(t) => Ok(With::Team(t)),
            Err(_) => Err(user_err),
        },
    }
}
