//! `kith export …`: records out to files.

use clap::{Arg, ArgAction, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::app::queries::ListQuery;
use crate::cli::args::output_arg;
use crate::cli::args::{flag, value, values};
use crate::cli::output::{self, Format, Out};
use crate::cli::records::print_records_headed;
use crate::core::error::{Error, Result};
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "export",
    command,
    run: Run::Crm(|crm, m, _| export(crm, m)),
};

fn command() -> Command {
    let records = |name: &'static str, about: &'static str| {
        Command::new(name)
            .about(about)
            .arg(
                Arg::new("entity")
                    .long("entity")
                    .value_parser(crate::cli::args::record_kinds())
                    .help(tr!("cli.help.export.common.entity")),
            )
            .arg(
                Arg::new("filter")
                    .num_args(0..)
                    .value_name("FILTER")
                    .help(tr!("cli.help.export.common.filter")),
            )
            .arg(
                Arg::new("trash")
                    .long("trash")
                    .action(ArgAction::SetTrue)
                    .help(tr!("cli.help.export.common.trash")),
            )
            .arg(output_arg())
    };
    Command::new("export")
        .about(tr!("cli.help.export.about"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            records("csv", tr!("cli.help.export.csv.about"))
                .mut_arg("entity", |a| a.required(true))
                .arg(output::raw_arg())
                .arg(output::encoding_arg(None))
                .arg(output::headers_arg(None)),
        )
        .subcommand(
            records("json", tr!("cli.help.export.json.about"))
                .mut_arg("entity", |a| a.required_unless_present("all"))
                .arg(
                    Arg::new("all")
                        .long("all")
                        .action(ArgAction::SetTrue)
                        .conflicts_with_all(["entity", "filter", "trash"])
                        .help(tr!("cli.help.export.json.all")),
                ),
        )
        .subcommand(
            records("ndjson", tr!("cli.help.export.ndjson.about"))
                .mut_arg("entity", |a| a.required(true)),
        )
        .subcommand(
            Command::new("vcard")
                .about(tr!("cli.help.export.vcard.about"))
                .arg(
                    Arg::new("entity")
                        .long("entity")
                        .value_parser(["contact"])
                        .default_value("contact")
                        .help(tr!("cli.help.export.vcard.entity")),
                )
                .arg(Arg::new("filter").num_args(0..).value_name("FILTER"))
                .arg(
                    Arg::new("v3")
                        .long("v3")
                        .action(ArgAction::SetTrue)
                        .help(tr!("cli.help.export.vcard.v3")),
                )
                .arg(output_arg()),
        )
        .subcommand(
            Command::new("ical")
                .about(tr!("cli.help.export.ical.about"))
                .long_about(tr!("cli.help.export.ical.long_about"))
                .arg(output_arg()),
        )
}

fn export(crm: &mut Crm, m: &ArgMatches) -> Result<i32> {
    let (what, sub) = m
        .subcommand()
        .ok_or_else(|| Error::invalid(tr!("cli.export.what")))?;
    if what != "ical" {
        crm.require("export")?;
    }
    let mut out = Out::to_file(&value(sub, "output").unwrap_or_else(|| "-".into()))?;
    out.raw = flag(sub, "raw");
    out.encoding = output::Encoding::of(sub);
    match what {
        "ical" => out.text(&crate::io::ical::export(crm)?)?,
        "json" if flag(sub, "all") => {
            let dump = crm.dump()?;
            out.one(&dump)?;
        }
        "vcard" => {
            let q = ListQuery {
                filter: crate::model::query::parse_args(&values(sub, "filter"))?,
                ..ListQuery::default()
            };
            let contacts = crm.list(Entity::Contact, &q)?;
            let version = if flag(sub, "v3") {
                crate::io::vcard::Version::V3
            } else {
                crate::io::vcard::Version::V4
            };
            out.text(&crate::io::import::vcard::export(&contacts, version))?;
        }
        "csv" | "json" | "ndjson" => {
            let e = Entity::from_name(&value(sub, "entity").unwrap_or_default())
                .ok_or_else(|| Error::invalid(tr!("cli.export.which_kind")))?;
            let q = ListQuery {
                filter: crate::model::query::parse_args(&values(sub, "filter"))?,
                trash: flag(sub, "trash"),
                ..ListQuery::default()
            };
            let records = crm.list(e, &q)?;
            let format = match what {
                "csv" => Format::Csv,
                "json" => Format::Json,
                _ => Format::Ndjson,
            };
            let zh = value(sub, "headers").as_deref() == Some("zh");
            print_records_headed(&out, crm.custom(), format, &[], &records, zh.then_some(e))?;
        }
        other => return Err(Error::invalid(tr!("cli.export.cannot", what = other))),
    }
    out.finish()?;
    if let Some(path) = value(sub, "output").filter(|p| p != "-") {
        eprintln!("{}", tr!("cli.export.wrote", path = path));
    }
    Ok(0)
}
