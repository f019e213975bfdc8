//! `kith merge`: one record into another.

use clap::{Arg, ArgAction, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::{flag, value};
use crate::cli::output::Out;
use crate::core::error::{Error, Result};
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "merge",
    command,
    run: Run::Crm(merge),
};

fn command() -> Command {
    Command::new("merge")
        .about(tr!("cli.help.merge.about"))
        .arg(
            Arg::new("kind")
                .required(true)
                .value_parser(crate::cli::args::record_kinds()),
        )
        .arg(Arg::new("keep").required(true).value_name("KEEP"))
        .arg(Arg::new("other").required(true).value_name("OTHER"))
        .arg(
            Arg::new("dry-run")
                .long("dry-run")
                .action(ArgAction::SetTrue)
                .help(tr!("cli.help.merge.dry_run")),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help(tr!("cli.help.merge.json")),
        )
}

fn merge(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let e = Entity::from_name(&value(m, "kind").unwrap_or_default())
        .ok_or_else(|| Error::invalid(tr!("cli.merge.what")))?;
    let keep = crm
        .resolve(e, &value(m, "keep").unwrap_or_default())
        .map_err(|x| x.context("KEEP"))?;
    let other = crm
        .resolve(e, &value(m, "other").unwrap_or_default())
        .map_err(|x| x.context("OTHER"))?;
    let dry = flag(m, "dry-run");
    let done = crm.merge(e, keep, other, dry)?;
    if flag(m, "json") {
        out.one(&done)?;
    } else {
        let kind = crate::cli::words::kind(e);
        for mv in &done.moved {
            if dry {
                eprintln!(
                    "{}",
                    tr!("cli.merge.would_move", what = mv, kind = kind, id = keep)
                );
            } else {
                eprintln!(
                    "{}",
                    tr!("cli.merge.moved", what = mv, kind = kind, id = keep)
                );
            }
        }
        if !done.filled.is_empty() {
            let fields = done.filled.join(", ");
            if dry {
                eprintln!(
                    "{}",
                    tr!(
                        "cli.merge.would_fill",
                        kind = kind,
                        id = keep,
                        fields = fields
                    )
                );
            } else {
                eprintln!(
                    "{}",
                    tr!("cli.merge.filled", kind = kind, id = keep, fields = fields)
                );
            }
        }
        if dry {
            eprintln!(
                "{}",
                tr!(
                    "cli.merge.would_merge",
                    kind = kind,
                    other = other,
                    keep = keep
                )
            );
        } else {
            eprintln!(
                "{}",
                tr!("cli.merge.merged", kind = kind, other = other, keep = keep)
            );
        }
    }
    Ok(0)
}
