//! `kith account …`: the generic record verbs, nothing of its own.

use super::{Noun, Run};
use crate::cli::records;
use crate::model::Entity;

pub const NOUN: Noun = Noun {
    name: "account",
    command: || records::noun(Entity::Account, crate::tr!("cli.help.account.about")),
    run: Run::Crm(|crm, m, out| records::run(crm, Entity::Account, m, out)),
};
