//! `kith agenda`: the coming days.

use clap::{value_parser, Arg, ArgMatches, Command};
use serde_json::json;

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::output::{self, Format, Out};
use crate::core::error::Result;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "agenda",
    command,
    run: Run::Crm(agenda),
};

fn command() -> Command {
    output::format_args(
        Command::new("agenda")
            .about(tr!("cli.help.agenda.about"))
            .arg(
                Arg::new("days")
                    .long("days")
                    .value_parser(value_parser!(u32).range(1..=366))
                    .default_value("7")
                    .help(tr!("cli.help.agenda.days")),
            ),
    )
}

fn agenda(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let days = m.get_one::<u32>("days").copied().unwrap_or(7);
    let a = crate::app::agenda::agenda(crm, days)?;
    let format = output::format_of(m);
    match format {
        Format::Json => out.one(&a)?,
        _ => {
            // One row per item, the day first: the same rows for a table, CSV, TSV, NDJSON.
            let cols: Vec<String> = [
                "date",
                "time",
                "kind",
                "title",
                "detail",
                "record_kind",
                "record_id",
            ]
            .map(String::from)
            .to_vec();
            let mut rows = Vec::new();
            let row = |date: &str, i: &crate::app::agenda::Item| {
                vec![
                    json!(date),
                    json!(i.time.clone().unwrap_or_default()),
                    json!(i.kind),
                    json!(i.title),
                    json!(i.detail),
                    json!(i.record_kind),
                    json!(i.record_id),
                ]
            };
            for i in &a.overdue {
                rows.push(row("overdue", i));
            }
            for d in &a.days {
                for i in &d.items {
                    rows.push(row(&d.date, i));
                }
            }
            if format == Format::Table {
                agenda_table(out, &a)?;
            } else {
                out.rows(format, &cols, &rows)?;
            }
        }
    }
    Ok(0)
}

/// The agenda for people: a heading per day, its items under it.
fn agenda_table(out: &Out, a: &crate::app::agenda::Agenda) -> Result<()> {
    let item = |i: &crate::app::agenda::Item| {
        vec![
            json!(i.time.clone().unwrap_or_default()),
            json!(i.kind),
            json!(i.title),
            json!(i.detail_shown()),
        ]
    };
    let cols: Vec<String> = ["time", "kind", "title", "detail"]
        .map(String::from)
        .to_vec();
    if !a.overdue.is_empty() {
        out.heading(tr!("cli.agenda.overdue"))?;
        out.table(
            &cols,
            &a.overdue.iter().map(item).collect::<Vec<_>>(),
            false,
        )?;
    }
    for d in &a.days {
        let date = chrono::NaiveDate::parse_from_str(&d.date, "%Y-%m-%d")
            .map(crate::core::dates::day_text)
            .unwrap_or_else(|_| d.date.clone());
        out.heading(&date)?;
        if d.items.is_empty() {
            out.line(tr!("cli.agenda.nothing"))?;
        } else {
            out.table(&cols, &d.items.iter().map(item).collect::<Vec<_>>(), false)?;
        }
    }
    Ok(())
}
