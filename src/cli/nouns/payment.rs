//! `kith payment …`: payments received against contracts. `add` applies the payment to the
//! contract's plan (`--plan N` first to its item N) and refuses more than is open unless
//! `--overpay`; `reverse` marks a payment reversed (payments are never deleted).

use clap::{Arg, ArgAction, ArgMatches, Command};

use super::documents::{self, number_status, one, target};
use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::{flag, value};
use crate::cli::output::{say, Out};
use crate::cli::records;
use crate::core::error::Result;
use crate::core::money::Money;
use crate::domain::commerce::payments::Receive;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "payment",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    let e = Entity::Payment;
    documents::noun(
        e,
        tr!("cli.help.payment.about"),
        tr!("cli.help.payment.number").into(),
    )
    .mut_subcommand("add", |c| {
        c.mut_arg("received_on", |a| a.visible_alias("on"))
            .mut_arg("reference", |a| a.visible_alias("ref"))
            .mut_arg("plan", |a| a.help(tr!("cli.help.payment.plan")))
            .arg(
                Arg::new("overpay")
                    .long("overpay")
                    .action(ArgAction::SetTrue)
                    .help(tr!("cli.help.payment.overpay")),
            )
    })
    .mut_subcommand("edit", |c| {
        c.mut_arg("received_on", |a| a.visible_alias("on"))
            .mut_arg("reference", |a| a.visible_alias("ref"))
    })
    .subcommand(
        one("reverse", tr!("cli.help.payment.reverse").into(), "PAYMENT")
            .arg(documents::reason(false)),
    )
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let e = Entity::Payment;
    match m.subcommand() {
        Some(("add", sub)) => {
            let input = documents::add_input(crm, e, sub)?;
            let how = Receive {
                overpay: flag(sub, "overpay"),
            };
            let id = crm.receive_payment(&input, &how)?;
            let p = crm.get(e, id)?;
            let m = |f: &str| p.get(f).and_then(Money::from_json).unwrap_or_default();
            if m("credit") > Money::ZERO {
                say(&tr!(
                    "cli.payment.credit",
                    number = p.label(),
                    credit = m("credit").grouped()
                ));
            }
            println!("{id}");
        }
        Some(("reverse", sub)) => {
            let id = target(crm, e, sub)?;
            crm.reverse_payment(id, value(sub, "reason").as_deref())?;
            let (number, status) = number_status(crm, e, id)?;
            say(&tr!(
                "cli.payment.reversed",
                number = number,
                status = status
            ));
        }
        _ => return records::run(crm, e, m, out),
    }
    Ok(0)
}
