//! `kith sla …`: SLA policies (the record verbs; `add --priority` adds the priorities to
//! its match) and `move` to set their order, the first that matches a case winning.

use clap::{Arg, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::value;
use crate::cli::output::{say, Out};
use crate::cli::records;
use crate::core::error::Result;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "sla",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    records::noun(Entity::Sla, tr!("cli.help.sla.about"))
        .mut_subcommand("add", |c| {
            c.arg(
                Arg::new("priority")
                    .long("priority")
                    .value_name("PRIORITY[,PRIORITY…]")
                    .help(tr!("cli.help.sla.priority")),
            )
        })
        .subcommand(
            Command::new("move")
                .about(tr!("cli.help.sla.move"))
                .arg(Arg::new("ref").required(true).value_name("SLA"))
                .arg(
                    Arg::new("to")
                        .long("to")
                        .required(true)
                        .value_name("N")
                        .value_parser(clap::value_parser!(i64).range(1..))
                        .help(tr!("cli.help.sla.to")),
                ),
        )
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let e = Entity::Sla;
    match m.subcommand() {
        Some(("add", sub)) => {
            let mut input = records::input_of(crm, e, sub)?;
            if let Some(p) = value(sub, "priority") {
                let words: Vec<String> = p
                    .split(',')
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .map(|w| {
                        crate::domain::toolkit::choose(crate::domain::service::cases::PRIORITIES, w)
                            .map(|w| w.to_string())
                            .map_err(|er| er.context("--priority"))
                    })
                    .collect::<Result<_>>()?;
                let term = format!("priority:{}", words.join(","));
                let matched = match input.take("match") {
                    Some(m) if !m.trim().is_empty() => format!("{m} {term}"),
                    _ => term,
                };
                input.set("match", matched);
            }
            println!("{}", crm.create(e, &input)?);
        }
        Some(("move", sub)) => {
            let id = crm.resolve(e, &value(sub, "ref").unwrap_or_default())?;
            let to = sub.get_one::<i64>("to").copied().unwrap_or(1);
            crm.move_policy(id, to)?;
            let p = crm.get(e, id)?;
            say(&tr!(
                "cli.sla.moved",
                name = p.label(),
                position = p.i64("position").unwrap_or(to)
            ));
        }
        _ => return records::run(crm, e, m, out),
    }
    Ok(0)
}
