//! `kith account …`: the generic record verbs, `transfer` (src/cli/nouns/transfer.rs),
//! and `lock` / `unlock` (锁定): a locked account is never recycled to the shared pool.

use clap::{Arg, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::values;
use crate::cli::output::{say, Out};
use crate::cli::records;
use crate::core::error::Result;
use crate::model::Entity;

pub const NOUN: Noun = Noun {
    name: "account",
    command: || {
        let refs = || {
            Arg::new("ref")
                .required(true)
                .num_args(1..)
                .value_name("ACCOUNT")
        };
        records::noun(Entity::Account, crate::tr!("cli.help.account.about"))
            .subcommand(super::transfer::account_command())
            .subcommand(
                Command::new("lock")
                    .about(crate::tr!("pool.cli.lock"))
                    .arg(refs()),
            )
            .subcommand(
                Command::new("unlock")
                    .about(crate::tr!("pool.cli.unlock"))
                    .arg(refs()),
            )
    },
    run: Run::Crm(run),
};

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let lock = match m.subcommand() {
        Some(("lock", _)) => true,
        Some(("unlock", _)) => false,
        Some(("transfer", sub)) => return super::transfer::run_account(crm, sub, out),
        _ => return records::run(crm, Entity::Account, m, out),
    };
    let sub = m.subcommand().map(|(_, s)| s).unwrap_or(m);
    let mut ids = Vec::new();
    for r in values(sub, "ref") {
        let id = crm.resolve(Entity::Account, &r)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let config = crate::cli::configuration()?.pool;
    let changed = crm.set_locked(&config, &ids, lock)?;
    for (id, changed) in ids.iter().zip(changed) {
        let name = crm.get(Entity::Account, *id)?.label().to_string();
        say(&match (lock, changed) {
            (true, true) => crate::tr!("pool.locked", name = name),
            (true, false) => crate::tr!("pool.already_locked", name = name),
            (false, true) => crate::tr!("pool.unlocked", name = name),
            (false, false) => crate::tr!("pool.not_locked", name = name),
        });
    }
    Ok(0)
}
