//! `kith invoice …`: invoices issued against contracts (`add NUMBER --contract C --amount
//! A [--tax T]`), and `void` (invoices are voided, not deleted).

use clap::{ArgMatches, Command};

use super::documents::{self, number_status, one, target};
use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::value;
use crate::cli::output::{say, Out};
use crate::cli::records;
use crate::core::error::Result;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "invoice",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    let e = Entity::Invoice;
    documents::noun(
        e,
        tr!("cli.help.invoice.about"),
        tr!("cli.help.invoice.number").into(),
    )
    .mut_subcommand("add", |c| c.mut_arg("issued", |a| a.visible_alias("on")))
    .subcommand(
        one("void", tr!("cli.help.invoice.void").into(), "INVOICE").arg(documents::reason(false)),
    )
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let e = Entity::Invoice;
    match m.subcommand() {
        Some(("add", sub)) => {
            let input = documents::add_input(crm, e, sub)?;
            println!("{}", crm.create(e, &input)?);
        }
        Some(("void", sub)) => {
            let id = target(crm, e, sub)?;
            crm.void_invoice(id, value(sub, "reason").as_deref())?;
            let (number, status) = number_status(crm, e, id)?;
            say(&tr!("cli.invoice.voided", number = number, status = status));
        }
        _ => return records::run(crm, e, m, out),
    }
    Ok(0)
}
