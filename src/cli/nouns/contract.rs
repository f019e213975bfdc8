//! `kith contract …`: the record verbs (add numbers the contract itself unless given, and
//! takes `--order`), `sign`, `terminate`, and `plan` (installments of its amount).

use clap::{Arg, ArgAction, ArgMatches, Command};

use super::documents::{self, number_status, one, target};
use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::{flag, value};
use crate::cli::output::{say, Out};
use crate::cli::records;
use crate::core::error::Result;
use crate::domain::commerce::contracts::Installments;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "contract",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    let e = Entity::Contract;
    documents::noun(
        e,
        tr!("cli.help.contract.about"),
        tr!("cli.help.contract.number").into(),
    )
    .subcommand(
        one("sign", tr!("cli.help.contract.sign").into(), "CONTRACT").arg(
            Arg::new("on")
                .long("on")
                .value_name("DATE")
                .help(tr!("cli.help.contract.on")),
        ),
    )
    .subcommand(
        one(
            "terminate",
            tr!("cli.help.contract.terminate").into(),
            "CONTRACT",
        )
        .arg(documents::reason(false)),
    )
    .subcommand(
        one("plan", tr!("cli.help.contract.plan").into(), "CONTRACT")
            .arg(
                Arg::new("installments")
                    .long("installments")
                    .value_name("N")
                    .required(true)
                    .value_parser(clap::value_parser!(u32))
                    .help(tr!("cli.help.contract.installments")),
            )
            .arg(
                Arg::new("every")
                    .long("every")
                    .value_name("SPAN")
                    .default_value("1m")
                    .help(tr!("cli.help.contract.every")),
            )
            .arg(
                Arg::new("from")
                    .long("from")
                    .value_name("DATE")
                    .required(true)
                    .help(tr!("cli.help.contract.from")),
            )
            .arg(
                Arg::new("replace")
                    .long("replace")
                    .action(ArgAction::SetTrue)
                    .help(tr!("cli.help.contract.replace")),
            ),
    )
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let e = Entity::Contract;
    let Some((verb, sub)) = m.subcommand() else {
        return records::run(crm, e, m, out);
    };
    match verb {
        "add" => {
            let input = documents::add_input(crm, e, sub)?;
            println!("{}", crm.create(e, &input)?);
        }
        "sign" => {
            let id = target(crm, e, sub)?;
            crm.sign_contract(id, value(sub, "on").as_deref())?;
            let (number, status) = number_status(crm, e, id)?;
            say(&tr!(
                "cli.contract.signed",
                number = number,
                status = status
            ));
        }
        "terminate" => {
            let id = target(crm, e, sub)?;
            crm.terminate_contract(id, value(sub, "reason").as_deref())?;
            let (number, status) = number_status(crm, e, id)?;
            say(&tr!(
                "cli.contract.terminated",
                number = number,
                status = status
            ));
        }
        "plan" => {
            let id = target(crm, e, sub)?;
            let spec = Installments {
                count: sub.get_one::<u32>("installments").copied().unwrap_or(1),
                every: value(sub, "every").unwrap_or_else(|| "1m".into()),
                from: value(sub, "from").unwrap_or_default(),
                replace: flag(sub, "replace"),
            };
            let check = crm.plan_installments(id, &spec)?;
            super::plan::print_items(crm, &check.ids)?;
            super::plan::warn_mismatch(&check);
        }
        _ => return records::run(crm, e, m, out),
    }
    Ok(0)
}
