//! `kith user …`: the record verbs on users, with `rm` deactivating (a user stays, with
//! their changes and the records they own), `restore` making them active again, and
//! `deactivate` handing a leaver's records over (src/cli/nouns/transfer.rs).

use clap::{ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::values;
use crate::cli::output::Out;
use crate::cli::records;
use crate::core::error::Result;
use crate::model::Entity;

pub const NOUN: Noun = Noun {
    name: "user",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    records::noun(Entity::User, crate::tr!("user.cli.about"))
        .mut_subcommand("rm", |c| c.about(crate::tr!("user.cli.rm")))
        .mut_subcommand("restore", |c| c.about(crate::tr!("user.cli.restore")))
        .subcommand(super::transfer::deactivate_command())
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    match m.subcommand() {
        Some(("rm", sub)) => set_active(crm, sub, false),
        Some(("restore", sub)) => set_active(crm, sub, true),
        Some(("deactivate", sub)) => super::transfer::run_deactivate(crm, sub, out),
        _ => records::run(crm, Entity::User, m, out),
    }
}

fn set_active(crm: &mut Crm, m: &ArgMatches, active: bool) -> Result<i32> {
    let mut ids = Vec::new();
    for r in values(m, "ref") {
        let id = crm.resolve(Entity::User, &r)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let changed = crm.set_users_active(&ids, active)?;
    for (id, changed) in ids.iter().zip(changed) {
        let login = crm.get(Entity::User, *id)?.text("login");
        eprintln!(
            "{}",
            match (active, changed) {
                (false, true) => crate::tr!("user.deactivated", login = login),
                (false, false) => crate::tr!("user.already_inactive", login = login),
                (true, true) => crate::tr!("user.activated", login = login),
                (true, false) => crate::tr!("user.already_active", login = login),
            }
        );
    }
    Ok(0)
}
