//! `kith log`: `kith activity add` under a shorter name.

use clap::Command;

use super::{Noun, Run};
use crate::cli::records;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "log",
    command,
    run: Run::Crm(|crm, m, _| records::add(crm, Entity::Activity, m)),
};

fn command() -> Command {
    records::add_command(Entity::Activity)
        .name("log")
        .about(tr!("cli.help.log.about"))
}
