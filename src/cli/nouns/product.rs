//! `kith product …`: the generic record verbs, nothing of its own.

use super::{Noun, Run};
use crate::cli::records;
use crate::model::Entity;

pub const NOUN: Noun = Noun {
    name: "product",
    command: || records::noun(Entity::Product, crate::tr!("cli.help.product.about")),
    run: Run::Crm(|crm, m, out| records::run(crm, Entity::Product, m, out)),
};
