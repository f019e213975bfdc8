//! Handing ownership over on the command line: `kith account transfer` and `kith user
//! deactivate [--transfer-to]`. The work is `Crm::transfer` and `Crm::deactivate_user`
//! (src/app/transfer.rs); this reads the arguments and prints what moved.

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::app::crm::Crm;
use crate::app::transfer::{with_kinds, Handover, KindMoved, Transfer};
use crate::cli::args::{flag, value, values};
use crate::cli::output::Out;
use crate::core::error::Result;
use crate::tr;

fn dry_run_arg() -> Arg {
    Arg::new("dry-run")
        .long("dry-run")
        .action(ArgAction::SetTrue)
        .help(tr!("transfer.cli.dry_run"))
}

fn json_arg() -> Arg {
    Arg::new("json")
        .long("json")
        .action(ArgAction::SetTrue)
        .help(tr!("transfer.cli.json"))
}

/// `kith account transfer FILTER --to USER [--from USER] [--with KINDS] [--dry-run]`.
pub fn account_command() -> Command {
    Command::new("transfer")
        .about(tr!("transfer.cli.about"))
        .arg(
            Arg::new("filter")
                .num_args(1..)
                .required(true)
                .value_name("FILTER")
                .help(tr!("transfer.cli.filter")),
        )
        .arg(
            Arg::new("to")
                .long("to")
                .required(true)
                .value_name("USER")
                .help(tr!("transfer.cli.to")),
        )
        .arg(
            Arg::new("from")
                .long("from")
                .value_name("USER")
                .help(tr!("transfer.cli.from")),
        )
        .arg(
            Arg::new("with")
                .long("with")
                .value_name("KINDS")
                .action(ArgAction::Append)
                .help(tr!("transfer.cli.with")),
        )
        .arg(dry_run_arg())
        .arg(json_arg())
}

pub fn run_account(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let t = Transfer {
        to: value(m, "to").unwrap_or_default(),
        from: value(m, "from"),
        with: with_kinds(&values(m, "with"))?,
        dry_run: flag(m, "dry-run"),
    };
    let done = crm.transfer(&values(m, "filter"), &t)?;
    if flag(m, "json") {
        out.one(&done)?;
    } else {
        out.line(&summary(&done))?;
    }
    Ok(0)
}

/// `kith user deactivate LOGIN [--transfer-to USER] [--dry-run] [--json]`.
pub fn deactivate_command() -> Command {
    Command::new("deactivate")
        .about(tr!("transfer.cli.deactivate"))
        .arg(
            Arg::new("ref")
                .required(true)
                .value_name("LOGIN")
                .help(tr!("transfer.cli.login")),
        )
        .arg(
            Arg::new("transfer-to")
                .long("transfer-to")
                .value_name("USER")
                .help(tr!("transfer.cli.transfer_to")),
        )
        .arg(dry_run_arg())
        .arg(json_arg())
}

pub fn run_deactivate(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let dry = flag(m, "dry-run");
    let to = value(m, "transfer-to");
    let done = crm.deactivate_user(&value(m, "ref").unwrap_or_default(), to.as_deref(), dry)?;
    if flag(m, "json") {
        out.one(&done)?;
        return Ok(0);
    }
    if let Some(h) = &done.handover {
        out.line(&summary(h))?;
    }
    let login = &done.login;
    eprintln!(
        "{}",
        match (dry, done.deactivated) {
            (true, true) => tr!("transfer.would_deactivate", login = login),
            (false, true) => tr!("user.deactivated", login = login),
            (_, false) => tr!("user.already_inactive", login = login),
        }
    );
    if !done.still_owns.is_empty() {
        eprintln!(
            "{}",
            tr!(
                "transfer.still_owns",
                login = login,
                counts = counts(&done.still_owns)
            )
        );
    }
    Ok(0)
}

/// "3 accounts, 5 contacts (1 in the trash)".
fn counts(kinds: &[KindMoved]) -> String {
    kinds
        .iter()
        .map(|k| {
            let n = k.count as i64;
            let id = crate::core::text::plural_id(&format!("transfer.count.{}", k.kind), n);
            let count = crate::core::text::fill(crate::core::text::t(&id), &[("n", &n)]);
            if k.trashed > 0 {
                tr!("transfer.with_trashed", count = count, n = k.trashed)
            } else {
                count
            }
        })
        .collect::<Vec<_>>()
        .join(crate::tr!("transfer.sep"))
}

/// The line a hand-over prints: what moved (or would) to whom.
fn summary(h: &Handover) -> String {
    if h.moved.is_empty() {
        tr!("transfer.nothing", login = h.to)
    } else if h.dry_run {
        tr!(
            "transfer.would_move",
            counts = counts(&h.moved),
            login = h.to
        )
    } else {
        tr!("transfer.moved", counts = counts(&h.moved), login = h.to)
    }
}
