//! `kith pool …`: the shared pool (公海) — the accounts with no owner: list them, claim
//! (领取) some, give one back (退回) with a reason, and sweep (回收) the accounts the
//! `[pool]` rules take back.

use clap::{Arg, ArgAction, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::{flag, value, values};
use crate::cli::output::{self, Format, Out};
use crate::cli::records;
use crate::core::error::{Error, Result};
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "pool",
    command,
    run: Run::Crm(run),
};

/// What a pool list shows of each account beyond its fields.
const MOVED: [&str; 3] = ["fell_back_at", "reason", "former_owner"];

fn command() -> Command {
    Command::new("pool")
        .about(tr!("pool.cli.about"))
        .subcommand_required(true)
        .subcommand(
            records::list_command(Entity::Account)
                .about(tr!("pool.cli.list"))
                .long_about(tr!("pool.cli.list_long")),
        )
        .subcommand(
            Command::new("claim").about(tr!("pool.cli.claim")).arg(
                Arg::new("ref")
                    .required(true)
                    .num_args(1..)
                    .value_name("ACCOUNT"),
            ),
        )
        .subcommand(
            Command::new("release")
                .about(tr!("pool.cli.release"))
                .arg(Arg::new("ref").required(true).value_name("ACCOUNT"))
                .arg(
                    Arg::new("reason")
                        .long("reason")
                        .required(true)
                        .value_name("TEXT")
                        .help(tr!("pool.cli.reason")),
                ),
        )
        .subcommand(
            Command::new("sweep")
                .about(tr!("pool.cli.sweep"))
                .arg(
                    Arg::new("dry-run")
                        .long("dry-run")
                        .action(ArgAction::SetTrue)
                        .help(tr!("pool.cli.dry_run")),
                )
                .arg(
                    Arg::new("json")
                        .long("json")
                        .action(ArgAction::SetTrue)
                        .help(tr!("pool.cli.json")),
                ),
        )
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let config = crate::cli::configuration()?.pool;
    match m.subcommand() {
        Some(("list", sub)) => list(crm, sub, out),
        Some(("claim", sub)) => {
            let mut ids = Vec::new();
            for r in values(sub, "ref") {
                let id = crm.resolve(Entity::Account, &r)?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            crm.pool_claim(&config, &ids)?;
            for id in ids {
                let name = crm.get(Entity::Account, id)?.label().to_string();
                output::say(&tr!("pool.claimed", name = name, user = crm.env.user));
            }
            Ok(0)
        }
        Some(("release", sub)) => {
            let id = crm.resolve(Entity::Account, &value(sub, "ref").unwrap_or_default())?;
            let name = crm.pool_release(id, &value(sub, "reason").unwrap_or_default())?;
            output::say(&tr!("pool.released", name = name));
            Ok(0)
        }
        Some(("sweep", sub)) => {
            let dry = flag(sub, "dry-run");
            let moved = crm.pool_sweep(&config, dry)?;
            if flag(sub, "json") {
                out.one(&moved)?;
            } else {
                for r in &moved {
                    out.line(&tr!(
                        "pool.swept_line",
                        id = r.id,
                        name = r.name,
                        owner = r.owner,
                        reason = r.reason,
                        since = r.since
                    ))?;
                }
                output::say(&if dry {
                    crate::plural!("pool.would_sweep", moved.len())
                } else {
                    crate::plural!("pool.swept", moved.len())
                });
            }
            Ok(0)
        }
        _ => Err(Error::invalid(tr!("cli.record.give_a_verb"))),
    }
}

fn list(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let q = crate::cli::records::list_query_of(m)?;
    let records = crm.pool_list(&q)?;
    let format = output::format_of(m);
    let columns: Vec<String> = match value(m, "columns") {
        Some(spec) => {
            let mut cols = Vec::new();
            for c in spec.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                let c = c.to_lowercase();
                if !MOVED.contains(&c.as_str()) && crm.custom().field(Entity::Account, &c).is_none()
                {
                    return Err(crate::err!(
                        Invalid,
                        "pool.unknown_column",
                        field = c,
                        columns = MOVED.join(", ")
                    ));
                }
                cols.push(c);
            }
            cols
        }
        None if format == Format::Table => Entity::Account
            .list_columns()
            .into_iter()
            .filter(|c| *c != "owner")
            .map(str::to_string)
            .chain(MOVED.iter().map(|c| c.to_string()))
            .collect(),
        None => vec![],
    };
    records::print_records(out, crm.custom(), format, &columns, &records)?;
    if records.is_empty() {
        if format == Format::Table {
            output::say(tr!("pool.empty"));
        }
        return Ok(1);
    }
    Ok(0)
}
