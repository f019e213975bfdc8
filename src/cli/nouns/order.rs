//! `kith order …`: the record verbs (add takes `--quote`, `--deal` or `--account` and
//! numbers the order itself), its lines, and `confirm`, `deliver`, `close`, `cancel`.

use clap::{ArgMatches, Command};

use super::documents::{self, number_status, one, target};
use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::value;
use crate::cli::output::{say, Out};
use crate::cli::records;
use crate::core::error::Result;
use crate::domain::commerce::orders::Step;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "order",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    let e = Entity::Order;
    documents::noun(
        e,
        tr!("cli.help.order.about"),
        tr!("cli.help.order.number").into(),
    )
    .mut_subcommand("add", |c| {
        c.mut_arg("ordered_on", |a| a.visible_alias("date"))
    })
    .subcommand(crate::cli::lines::command(e))
    .subcommand(one(
        "confirm",
        tr!("cli.help.order.confirm").into(),
        "ORDER",
    ))
    .subcommand(one(
        "deliver",
        tr!("cli.help.order.deliver").into(),
        "ORDER",
    ))
    .subcommand(one("close", tr!("cli.help.order.close").into(), "ORDER"))
    .subcommand(
        one("cancel", tr!("cli.help.order.cancel").into(), "ORDER").arg(documents::reason(false)),
    )
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let e = Entity::Order;
    let Some((verb, sub)) = m.subcommand() else {
        return records::run(crm, e, m, out);
    };
    let step = match verb {
        "add" => {
            let input = documents::add_input(crm, e, sub)?;
            println!("{}", crm.create(e, &input)?);
            return Ok(0);
        }
        "line" => return crate::cli::lines::run(crm, e, sub, out),
        "confirm" => Step::Confirm,
        "deliver" => Step::Deliver,
        "close" => Step::Close,
        "cancel" => Step::Cancel,
        _ => return records::run(crm, e, m, out),
    };
    let id = target(crm, e, sub)?;
    crm.step_order(id, step, value(sub, "reason").as_deref())?;
    let (number, status) = number_status(crm, e, id)?;
    say(&tr!("cli.order.stepped", number = number, status = status));
    if step == Step::Confirm {
        let o = crm.get(e, id)?;
        if let Some(deal) = o.i64("deal_id") {
            let d = crm.get(Entity::Deal, deal)?;
            say(&tr!("cli.order.deal_won", deal = d.label()));
        }
    }
    Ok(0)
}
