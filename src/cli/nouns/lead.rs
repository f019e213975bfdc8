//! `kith lead …`: the record verbs and `convert`.

use clap::{Arg, ArgAction, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::{Crm, Input};
use crate::cli::args::{flag, value};
use crate::cli::output::Out;
use crate::cli::records;
use crate::cli::records::{field_help, flag_name};
use crate::core::error::Result;
use crate::domain::sales::leads::Convert;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "lead",
    command: || {
        records::noun(Entity::Lead, tr!("cli.help.lead.about")).subcommand(convert_command())
    },
    run: Run::Crm(run),
};

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    match m.subcommand() {
        Some(("convert", sub)) => convert(crm, sub, out),
        _ => records::run(crm, Entity::Lead, m, out),
    }
}

fn convert_command() -> Command {
    let deal_opts = ["amount", "currency", "stage", "pipeline", "probability"];
    let mut cmd = Command::new("convert")
        .about(tr!("cli.help.lead.convert.about"))
        .long_about(tr!("cli.help.lead.convert.long_about"))
        .arg(Arg::new("ref").required(true).value_name("REF"))
        .arg(
            Arg::new("account")
                .long("account")
                .value_name("ACCOUNT")
                .help(tr!("cli.help.lead.convert.account")),
        )
        .arg(
            Arg::new("contact")
                .long("contact")
                .value_name("CONTACT")
                .help(tr!("cli.help.lead.convert.contact")),
        )
        .arg(
            Arg::new("deal")
                .long("deal")
                .value_name("TITLE")
                .help(tr!("cli.help.lead.convert.deal")),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help(tr!("cli.help.lead.convert.json")),
        );
    for name in deal_opts {
        if let Some(f) = Entity::Deal.field(name) {
            cmd = cmd.arg(
                Arg::new(f.name)
                    .long(flag_name(f))
                    .requires("deal")
                    .help(tr!(
                        "cli.help.lead.convert.deal_field",
                        help = field_help(f)
                    )),
            );
        }
    }
    cmd.arg(
        Arg::new("expected_close")
            .long("close")
            .requires("deal")
            .value_name("DATE")
            .help(tr!("cli.help.lead.convert.expected_close")),
    )
}

fn convert(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let lead = crm.resolve(Entity::Lead, &value(m, "ref").unwrap_or_default())?;
    let mut deal_input = Input::new();
    for f in [
        "amount",
        "currency",
        "stage",
        "pipeline",
        "probability",
        "expected_close",
    ] {
        if let Some(v) = value(m, f) {
            deal_input.set(f, v);
        }
    }
    let c = Convert {
        account: value(m, "account"),
        contact: value(m, "contact"),
        deal: value(m, "deal"),
        deal_input,
    };
    let done = crm.convert_lead(lead, &c)?;
    if flag(m, "json") {
        out.one(&done)?;
    } else {
        out.line(&format!("account {}", done.account_id))?;
        out.line(&format!("contact {}", done.contact_id))?;
        if let Some(d) = done.deal_id {
            out.line(&format!("deal {d}"))?;
        }
        let new_or_existing = |created: bool| {
            if created {
                tr!("cli.lead.new")
            } else {
                tr!("cli.lead.existing")
            }
        };
        eprintln!(
            "{}",
            tr!(
                "cli.lead.converted",
                id = lead,
                account = done.account_id,
                account_is = new_or_existing(done.account_created),
                contact = done.contact_id,
                contact_is = new_or_existing(done.contact_created),
                deal = done
                    .deal_id
                    .map(|d| tr!("cli.lead.converted_deal", id = d))
                    .unwrap_or_default()
            )
        );
    }
    Ok(0)
}
