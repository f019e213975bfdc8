//! `kith rate …`: exchange rates — set a pair's rate from a day on, list them, take one off.

use clap::{Arg, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::value;
use crate::cli::output::{self, Figure, Format, Out};
use crate::cli::records::print_records;
use crate::core::error::Result;
use crate::core::exchange::Rate;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "rate",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    let from = |required| {
        Arg::new("from")
            .required(required)
            .value_name("FROM")
            .help(tr!("cli.help.rate.from"))
    };
    let to = |required| {
        Arg::new("to")
            .required(required)
            .value_name("TO")
            .help(tr!("cli.help.rate.to"))
    };
    let on = |required| {
        Arg::new("on")
            .long("on")
            .required(required)
            .value_name("DATE")
            .help(if required {
                tr!("cli.help.rate.on_rm")
            } else {
                tr!("cli.help.rate.on")
            })
    };
    Command::new("rate")
        .about(tr!("cli.help.rate.about"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("set")
                .about(tr!("cli.help.rate.set"))
                .arg(from(true))
                .arg(to(true))
                .arg(
                    Arg::new("rate")
                        .required(true)
                        .value_name("RATE")
                        .help(tr!("cli.help.rate.rate")),
                )
                .arg(on(false)),
        )
        .subcommand(output::format_args(
            Command::new("list")
                .about(tr!("cli.help.rate.list"))
                .arg(from(false))
                .arg(to(false)),
        ))
        .subcommand(
            Command::new("convert")
                .about(tr!("cli.help.rate.convert"))
                .arg(
                    Arg::new("amount")
                        .required(true)
                        .value_name("AMOUNT")
                        .help(tr!("cli.help.rate.amount")),
                )
                .arg(from(true))
                .arg(to(true))
                .arg(
                    Arg::new("on")
                        .long("on")
                        .value_name("DATE")
                        .help(tr!("cli.help.rate.on_convert")),
                ),
        )
        .subcommand(
            Command::new("rm")
                .about(tr!("cli.help.rate.rm"))
                .arg(from(true))
                .arg(to(true))
                .arg(on(true)),
        )
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let given = |sub: &ArgMatches, id: &str| value(sub, id).unwrap_or_default();
    match m.subcommand() {
        Some(("set", sub)) => {
            let set = crm.set_rate(
                &given(sub, "from"),
                &given(sub, "to"),
                &given(sub, "rate"),
                value(sub, "on").as_deref(),
            )?;
            println!("{}", set.id);
            let said = tr!(
                "cli.rate.set",
                from = set.from,
                to = set.to,
                rate = set.rate,
                day = set.day
            );
            eprintln!("{said}");
            Ok(0)
        }
        Some(("list", sub)) => {
            let rates = crm.rates(value(sub, "from").as_deref(), value(sub, "to").as_deref())?;
            let format = output::format_of(sub);
            if format == Format::Table {
                // A rate shown with every digit it has (7.8123), not to the cent as other
                // numbers of a table.
                let columns = ["from_currency", "to_currency", "day", "rate"].map(String::from);
                let text = |r: &crate::model::record::Record, f: &str| {
                    Figure::left(r.str(f).unwrap_or_default())
                };
                let rows: Vec<Vec<Figure>> = rates
                    .iter()
                    .map(|r| {
                        let rate = r.get("rate").and_then(Rate::from_json);
                        vec![
                            text(r, "from_currency"),
                            text(r, "to_currency"),
                            text(r, "day"),
                            Figure::right(rate.map(Rate::plain).unwrap_or_default()),
                        ]
                    })
                    .collect();
                if !rows.is_empty() {
                    out.rows(format, &columns, &rows)?;
                }
            } else {
                print_records(out, crm.custom(), format, &[], &rates)?;
            }
            if rates.is_empty() {
                if format == Format::Table {
                    eprintln!("{}", tr!("cli.rate.none"));
                }
                return Ok(1);
            }
            Ok(0)
        }
        Some(("convert", sub)) => {
            let c = crm.convert_typed(
                &given(sub, "amount"),
                &given(sub, "from"),
                &given(sub, "to"),
                value(sub, "on").as_deref(),
            )?;
            println!("{}", c.converted.plain());
            let day = c.day.format("%Y-%m-%d");
            if let Some(f) = c.rate {
                let set = f.day.format("%Y-%m-%d");
                let said = if f.inverse {
                    tr!(
                        "cli.rate.converted_inverse",
                        amount = c.amount.plain(),
                        from = c.from,
                        converted = c.converted.plain(),
                        to = c.to,
                        rate = f.rate,
                        set = set,
                        day = day
                    )
                } else {
                    tr!(
                        "cli.rate.converted",
                        amount = c.amount.plain(),
                        from = c.from,
                        converted = c.converted.plain(),
                        to = c.to,
                        rate = f.rate,
                        set = set,
                        day = day
                    )
                };
                eprintln!("{said}");
            }
            Ok(0)
        }
        Some(("rm", sub)) => {
            let (from, to) = (given(sub, "from"), given(sub, "to"));
            let day = crm.remove_rate(&from, &to, &given(sub, "on"))?;
            let said = tr!(
                "cli.rate.removed",
                from = from.to_uppercase(),
                to = to.to_uppercase(),
                day = day
            );
            eprintln!("{said}");
            Ok(0)
        }
        _ => Err(crate::core::error::Error::invalid(tr!("cli.rate.which"))),
    }
}
