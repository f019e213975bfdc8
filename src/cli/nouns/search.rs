//! `kith search`: fuzzy search across the kinds people look up.

use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};
use serde_json::{json, Value};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::values;
use crate::cli::output::{self, say, Format, Out};
use crate::core::error::Result;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "search",
    command,
    run: Run::Crm(search),
};

fn command() -> Command {
    output::format_args(
        Command::new("search")
            .about(tr!("cli.help.search.about"))
            .arg(
                Arg::new("text")
                    .required(true)
                    .num_args(1..)
                    .value_name("TEXT"),
            )
            .arg(
                Arg::new("kind")
                    .long("kind")
                    .action(ArgAction::Append)
                    .value_parser(["account", "contact", "lead", "deal"])
                    .help(tr!("cli.help.search.kind")),
            )
            .arg(
                Arg::new("limit")
                    .long("limit")
                    .value_parser(value_parser!(usize))
                    .default_value("20")
                    .help(tr!("cli.help.search.limit")),
            ),
    )
}

fn search(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let text = values(m, "text").join(" ");
    let kinds: Vec<Entity> = values(m, "kind")
        .iter()
        .filter_map(|k| Entity::from_name(k))
        .collect();
    let limit = m.get_one::<usize>("limit").copied().unwrap_or(20);
    let hits = crm.search(&text, &kinds, limit)?;
    let format = output::format_of(m);
    match format {
        Format::Json | Format::Ndjson => out.json(format, &hits)?,
        _ => {
            let cols: Vec<String> = ["kind", "id", "name", "detail", "score"]
                .map(String::from)
                .to_vec();
            let rows: Vec<Vec<Value>> = hits
                .iter()
                .map(|h| {
                    // A table says the kind as the language does (商机); CSV and TSV keep
                    // the name commands take.
                    let kind = match Entity::from_name(&h.kind) {
                        Some(e) if format == Format::Table => e.label(),
                        _ => h.kind.as_str(),
                    };
                    vec![
                        json!(kind),
                        json!(h.id),
                        json!(h.name),
                        json!(h.detail),
                        json!(h.score),
                    ]
                })
                .collect();
            if !hits.is_empty() || format != Format::Table {
                out.rows(format, &cols, &rows)?;
            }
        }
    }
    if hits.is_empty() {
        if format == Format::Table {
            say(&tr!("cli.search.nothing", text = text));
        }
        return Ok(1);
    }
    Ok(0)
}
