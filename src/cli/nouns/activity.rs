//! `kith activity …`: the generic record verbs, nothing of its own.

use super::{Noun, Run};
use crate::cli::records;
use crate::model::Entity;

pub const NOUN: Noun = Noun {
    name: "activity",
    command: || records::noun(Entity::Activity, crate::tr!("cli.help.activity.about")),
    run: Run::Crm(|crm, m, out| records::run(crm, Entity::Activity, m, out)),
};
