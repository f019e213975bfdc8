//! `kith account …`: the generic record verbs, and `transfer` (src/cli/nouns/transfer.rs).

use super::{Noun, Run};
use crate::cli::records;
use crate::model::Entity;

pub const NOUN: Noun = Noun {
    name: "account",
    command: || {
        records::noun(Entity::Account, crate::tr!("cli.help.account.about"))
            .subcommand(super::transfer::account_command())
    },
    run: Run::Crm(|crm, m, out| match m.subcommand() {
        Some(("transfer", sub)) => super::transfer::run_account(crm, sub, out),
        _ => records::run(crm, Entity::Account, m, out),
    }),
};
