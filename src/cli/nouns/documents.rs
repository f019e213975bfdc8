//! What the commerce nouns share on the command line: a verb on one record (`kith order
//! confirm SO-2026-0001 [--reason …]`), `add` taking its number as an argument or as
//! `--number` (and numbering the record itself when neither is given), and the line that
//! says what a verb did.

use clap::{Arg, ArgMatches, Command};

use crate::app::crm::Crm;
use crate::cli::args::value;
use crate::core::error::Result;
use crate::domain::toolkit::Input;
use crate::model::Entity;

/// `VERB REF` with its help, the record named by `value_name`.
pub fn one(name: &'static str, about: String, value_name: &'static str) -> Command {
    Command::new(name)
        .about(about)
        .arg(Arg::new("ref").required(true).value_name(value_name))
}

/// `--reason TEXT`.
pub fn reason(required: bool) -> Arg {
    Arg::new("reason")
        .long("reason")
        .value_name("TEXT")
        .required(required)
        .help(crate::tr!("cli.help.quote.reason"))
}

/// The record verbs of `e`, with `add`'s number optional and also taken as `--number`.
pub fn noun(e: Entity, about: &'static str, number_help: String) -> Command {
    crate::cli::records::noun(e, about).mut_subcommand("add", |c| {
        c.mut_arg("number", |a| a.required(false).help(number_help.clone()))
            .arg(
                Arg::new("number-option")
                    .long("number")
                    .value_name("NUMBER")
                    .conflicts_with("number")
                    .help(number_help),
            )
    })
}

/// `add`'s input, its number from either place.
pub fn add_input(crm: &Crm, e: Entity, m: &ArgMatches) -> Result<Input> {
    let mut input = crate::cli::records::input_of(crm, e, m)?;
    if let Some(n) = value(m, "number-option") {
        input.set("number", n);
    }
    Ok(input)
}

/// The record a verb names.
pub fn target(crm: &Crm, e: Entity, m: &ArgMatches) -> Result<i64> {
    crm.resolve(e, &value(m, "ref").unwrap_or_default())
}

/// A record's number (its label) and its status as a person reads it, to say what a verb
/// did.
pub fn number_status(crm: &Crm, e: Entity, id: i64) -> Result<(String, String)> {
    let r = crm.get(e, id)?;
    Ok((
        r.label().to_string(),
        crate::model::record::choice_label(e, "status", r.str("status").unwrap_or_default()),
    ))
}
