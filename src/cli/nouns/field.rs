//! `kith field …`: custom fields, defined at run time for a kind of record.

use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{json, Value};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::app::fields::{record_kind, NewField};
use crate::cli::args::{flag, value, values};
use crate::cli::output::{self, say, Format, Out};
use crate::core::error::{Error, Result};
use crate::model::custom::Def;

pub const NOUN: Noun = Noun {
    name: "field",
    command,
    run: Run::Crm(field),
};

fn command() -> Command {
    let kind = || {
        Arg::new("kind")
            .required(true)
            .value_name("KIND")
            .help(crate::tr!("field.help.the_kind_of_record"))
    };
    let name = || {
        Arg::new("name")
            .required(true)
            .value_name("NAME")
            .help(crate::tr!("field.help.the_fields_name_lowercase"))
    };
    Command::new("field")
        .about(crate::tr!("field.help.custom_fields_add_fields"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("add")
                .about(crate::tr!("field.help.add_a_custom_field"))
                .arg(kind())
                .arg(name())
                .arg(
                    Arg::new("type")
                        .long("type")
                        .required(true)
                        .value_name("TYPE")
                        .help(crate::tr!("field.help.text_long_int_money")),
                )
                .arg(
                    Arg::new("choices")
                        .long("choices")
                        .value_name("A,B,C")
                        .action(ArgAction::Append)
                        .help(crate::tr!("field.help.the_words_of_a")),
                )
                .arg(
                    Arg::new("required")
                        .long("required")
                        .action(ArgAction::SetTrue)
                        .help(crate::tr!("field.help.a_new_record_must")),
                )
                .arg(
                    Arg::new("label")
                        .long("label")
                        .value_name("LABEL")
                        .help(crate::tr!("field.help.what_a_person_sees")),
                ),
        )
        .subcommand(output::format_args(
            Command::new("list")
                .about(crate::tr!("field.help.the_custom_fields_of"))
                .arg(
                    Arg::new("kind")
                        .value_name("KIND")
                        .help(crate::tr!("field.help.only_this_kinds")),
                )
                .arg(
                    Arg::new("all")
                        .long("all")
                        .action(ArgAction::SetTrue)
                        .help(crate::tr!("field.help.also_the_removed_ones")),
                ),
        ))
        .subcommand(
            Command::new("rm")
                .about(crate::tr!("field.help.remove_a_custom_field"))
                .arg(kind())
                .arg(name()),
        )
}

fn field(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    match m.subcommand() {
        Some(("add", sub)) => {
            let new = NewField {
                kind: value(sub, "kind").unwrap_or_default(),
                name: value(sub, "name").unwrap_or_default(),
                ty: value(sub, "type").unwrap_or_default(),
                choices: values(sub, "choices"),
                required: flag(sub, "required"),
                label: value(sub, "label"),
            };
            let (def, back) = crm.add_field(&new)?;
            let kind = def.kind.name();
            if back {
                eprintln!(
                    "{}",
                    crate::tr!("field.back.done", kind = kind, name = def.name)
                );
            } else {
                eprintln!(
                    "{}",
                    crate::tr!("field.added.done", kind = kind, name = def.name)
                );
            }
            Ok(0)
        }
        Some(("list", sub)) => {
            let kind = value(sub, "kind").map(|k| record_kind(&k)).transpose()?;
            let defs = crm.custom_fields(kind, flag(sub, "all"));
            let format = output::format_of(sub);
            if defs.is_empty() && format == Format::Table {
                say(crate::tr!("field.none"));
                return Ok(0);
            }
            let rows: Vec<Vec<Value>> = defs.iter().map(row).collect();
            let columns: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
            if matches!(format, Format::Json | Format::Ndjson) {
                let items: Vec<Value> = defs.iter().map(object).collect();
                return out.json(format, &items).map(|_| 0);
            }
            out.rows(format, &columns, &rows)?;
            Ok(0)
        }
        Some(("rm", sub)) => {
            let kind = value(sub, "kind").unwrap_or_default();
            let name = value(sub, "name").unwrap_or_default();
            let n = crm.remove_field(&kind, &name)?;
            let kind = record_kind(&kind)?;
            eprintln!(
                "{}",
                crate::plural!(
                    "field.removed.done",
                    n,
                    kind = kind.name(),
                    name = name.trim().to_lowercase()
                )
            );
            Ok(0)
        }
        _ => Err(Error::invalid(crate::tr!("cli.record.give_a_verb"))),
    }
}

const COLUMNS: &[&str] = &[
    "kind", "name", "type", "choices", "required", "label", "removed",
];

fn row(d: &Def) -> Vec<Value> {
    vec![
        json!(d.kind.name()),
        json!(d.name),
        json!(d.ty),
        json!(d.choices.join(", ")),
        json!(d.required),
        json!(d.label.clone().unwrap_or_default()),
        json!(d.hidden),
    ]
}

fn object(d: &Def) -> Value {
    json!({
        "kind": d.kind.name(),
        "name": d.name,
        "type": d.ty,
        "choices": d.choices,
        "required": d.required,
        "label": d.label,
        "position": d.position,
        "removed": d.hidden,
        "created_at": d.created_at,
    })
}
