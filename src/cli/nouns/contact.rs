//! `kith contact …`: the generic record verbs, nothing of its own.

use super::{Noun, Run};
use crate::cli::records;
use crate::model::Entity;

pub const NOUN: Noun = Noun {
    name: "contact",
    command: || {
        records::noun(
            Entity::Contact,
            "Contacts (联系人): people, usually at an account",
        )
    },
    run: Run::Crm(|crm, m, out| records::run(crm, Entity::Contact, m, out)),
};
