//! `kith deal …`: the record verbs and `move`, `won`, `lost`.

use clap::{Arg, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::value;
use crate::cli::output::{say, Out};
use crate::cli::records;
use crate::core::error::Result;
use crate::domain::sales::deals::Move;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "deal",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    records::noun(Entity::Deal, tr!("cli.help.deal.about"))
        .subcommand(crate::cli::lines::command(Entity::Deal))
        .subcommand(
            Command::new("move")
                .about(tr!("cli.help.deal.move.about"))
                .arg(Arg::new("ref").required(true).value_name("REF"))
                .arg(Arg::new("stage").required(true).value_name("STAGE"))
                .arg(
                    Arg::new("probability")
                        .long("probability")
                        .value_name("PERCENT")
                        .help(tr!("cli.help.deal.move.probability")),
                )
                .arg(
                    Arg::new("reason")
                        .long("reason")
                        .value_name("TEXT")
                        .help(tr!("cli.help.deal.move.reason")),
                ),
        )
        .subcommand(
            Command::new("won")
                .about(tr!("cli.help.deal.won.about"))
                .arg(Arg::new("ref").required(true).value_name("REF"))
                .arg(
                    Arg::new("reason")
                        .long("reason")
                        .value_name("TEXT")
                        .help(tr!("cli.help.deal.won.reason")),
                ),
        )
        .subcommand(
            Command::new("lost")
                .about(tr!("cli.help.deal.lost.about"))
                .arg(Arg::new("ref").required(true).value_name("REF"))
                .arg(
                    Arg::new("reason")
                        .long("reason")
                        .required(true)
                        .value_name("TEXT")
                        .help(tr!("cli.help.deal.lost.reason")),
                ),
        )
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    match m.subcommand() {
        Some((verb @ ("move" | "won" | "lost"), sub)) => deal_move(crm, verb, sub),
        Some(("line", sub)) => crate::cli::lines::run(crm, Entity::Deal, sub, out),
        _ => records::run(crm, Entity::Deal, m, out),
    }
}

fn deal_move(crm: &mut Crm, verb: &str, m: &ArgMatches) -> Result<i32> {
    let id = crm.resolve(Entity::Deal, &value(m, "ref").unwrap_or_default())?;
    let mv = Move {
        probability: value(m, "probability"),
        reason: value(m, "reason"),
    };
    let changed = match verb {
        "move" => {
            let stage = value(m, "stage").unwrap_or_default();
            crm.move_deal(id, &stage, &mv)?
        }
        outcome => crm.close_deal(id, outcome, &mv)?,
    };
    let d = crm.get(Entity::Deal, id)?;
    let stage = crate::model::record::name_label(Entity::Stage, &d.text("stage"));
    if changed {
        say(&tr!(
            "cli.deal.moved",
            id = id,
            stage = stage,
            status = crate::model::record::choice_label(Entity::Deal, "status", &d.text("status")),
            probability = d.text("probability")
        ));
    } else {
        say(&tr!("cli.deal.already", id = id, stage = stage));
    }
    Ok(0)
}
