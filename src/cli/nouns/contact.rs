//! `kith contact …`: the generic record verbs, nothing of its own.

use super::{Noun, Run};
use crate::cli::records;
use crate::model::Entity;

pub const NOUN: Noun = Noun {
    name: "contact",
    command: || records::noun(Entity::Contact, crate::tr!("cli.help.contact.about")),
    run: Run::Crm(|crm, m, out| records::run(crm, Entity::Contact, m, out)),
};
