//! `kith survey …`: satisfaction surveys and return visits, of a case or an account
//! (`kith survey add --case CS-2026-0001 --score 4 --nps 9`); the record verbs otherwise.

use clap::{ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::output::Out;
use crate::cli::records;
use crate::core::error::Result;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "survey",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    // A survey is named by kith (what it was of, and when): `add` takes no name.
    records::noun(Entity::Survey, tr!("cli.help.survey.about")).mut_subcommand("add", |c| {
        c.mut_arg("name", |a| a.required(false).hide(true))
    })
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let e = Entity::Survey;
    match m.subcommand() {
        Some(("add", sub)) => {
            let mut input = records::input_of(crm, e, sub)?;
            if input.take("name").is_some() {
                return Err(crate::err!(Invalid, "surveys.named_by_kith"));
            }
            println!("{}", crm.create(e, &input)?);
            Ok(0)
        }
        _ => records::run(crm, e, m, out),
    }
}
