//! `kith plan …`: the items of contracts' payment plans. `add` names the contract first
//! (`kith plan add HT-2026-001 --due 2026-06-30 --amount 100000`) and warns when the plan
//! then does not add up to the contract's amount (`--strict` refuses instead).

use clap::{Arg, ArgAction, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::commerce::PlanCheck;
use crate::app::crm::Crm;
use crate::cli::args::{flag, value};
use crate::cli::output::{say, Out};
use crate::cli::records;
use crate::core::error::Result;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "plan",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    records::noun(Entity::Plan, tr!("cli.help.plan.about")).mut_subcommand("add", |c| {
        c.mut_arg("name", |a| {
            a.id("contract-arg")
                .required(false)
                .value_name("CONTRACT")
                .help(tr!("cli.help.plan.contract"))
        })
        .arg(
            Arg::new("strict")
                .long("strict")
                .action(ArgAction::SetTrue)
                .help(tr!("cli.help.plan.strict")),
        )
    })
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let e = Entity::Plan;
    match m.subcommand() {
        Some(("add", sub)) => {
            let mut input = records::input_of(crm, e, sub)?;
            let contract = value(sub, "contract-arg")
                .or_else(|| input.take("contract"))
                .ok_or_else(|| crate::err!(Invalid, "records.required", field = "contract"))?;
            let id = crm.resolve(Entity::Contract, &contract)?;
            let check = crm.add_plan_item(id, &input, flag(sub, "strict"))?;
            for id in &check.ids {
                println!("{id}");
            }
            warn_mismatch(&check);
            Ok(0)
        }
        _ => records::run(crm, e, m, out),
    }
}

/// The items made, one line each: id, due day, amount.
pub fn print_items(crm: &Crm, ids: &[i64]) -> Result<()> {
    for id in ids {
        let p = crm.get(Entity::Plan, *id)?;
        println!(
            "{id}\t{}\t{}",
            p.text("due"),
            p.get("amount")
                .and_then(crate::core::money::Money::from_json)
                .unwrap_or_default()
                .grouped()
        );
    }
    Ok(())
}

/// Warn when a plan does not add up to its contract's amount.
pub fn warn_mismatch(check: &PlanCheck) {
    if let Some((number, planned, amount)) = &check.mismatch {
        say(&tr!(
            "cli.plan.does_not_add_up",
            number = number,
            planned = planned.grouped(),
            amount = amount.grouped()
        ));
    }
}
