//! `kith dedupe`: likely duplicates.

use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{json, Value};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::values;
use crate::cli::output::{self, Format, Out};
use crate::core::error::Result;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "dedupe",
    command,
    run: Run::Crm(dedupe),
};

fn command() -> Command {
    output::format_args(
        Command::new("dedupe")
            .about(tr!("cli.help.dedupe.about"))
            .arg(
                Arg::new("entity")
                    .long("entity")
                    .value_parser(["account", "contact", "lead"])
                    .action(ArgAction::Append)
                    .help(tr!("cli.help.dedupe.entity")),
            ),
    )
}

fn dedupe(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let mut kinds: Vec<Entity> = values(m, "entity")
        .iter()
        .filter_map(|k| Entity::from_name(k))
        .collect();
    if kinds.is_empty() {
        kinds = vec![Entity::Account, Entity::Contact, Entity::Lead];
    }
    let mut pairs = Vec::new();
    for k in kinds {
        pairs.extend(crm.duplicate_pairs(k)?);
    }
    let format = output::format_of(m);
    match format {
        Format::Json | Format::Ndjson => out.json(format, &pairs)?,
        _ if pairs.is_empty() => {}
        _ => {
            let cols: Vec<String> = ["kind", "a", "a_name", "b", "b_name", "score", "reasons"]
                .map(String::from)
                .to_vec();
            let rows: Vec<Vec<Value>> = pairs
                .iter()
                .map(|p| {
                    vec![
                        json!(p.kind),
                        json!(p.a),
                        json!(p.a_name),
                        json!(p.b),
                        json!(p.b_name),
                        json!(p.score),
                        json!(p.reasons.join("; ")),
                    ]
                })
                .collect();
            out.rows(format, &cols, &rows)?;
        }
    }
    if pairs.is_empty() {
        if format == Format::Table {
            eprintln!("{}", tr!("cli.dedupe.none"));
        }
        return Ok(1);
    }
    Ok(0)
}
