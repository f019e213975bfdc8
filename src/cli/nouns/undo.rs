//! `kith undo`: take back your last changes.

use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::confirm;
use crate::cli::output::say;
use crate::core::error::Result;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "undo",
    command,
    run: Run::Crm(|crm, m, _| undo(crm, m)),
};

fn command() -> Command {
    Command::new("undo")
        .about(tr!("cli.help.undo.about"))
        .long_about(tr!("cli.help.undo.long_about"))
        .arg(
            Arg::new("steps")
                .long("steps")
                .value_parser(value_parser!(u32).range(1..=1000))
                .default_value("1")
                .value_name("N")
                .help(tr!("cli.help.undo.steps")),
        )
        .arg(
            Arg::new("yes")
                .long("yes")
                .action(ArgAction::SetTrue)
                .help(tr!("cli.help.undo.yes")),
        )
}

fn undo(crm: &mut Crm, m: &ArgMatches) -> Result<i32> {
    let steps = m.get_one::<u32>("steps").copied().unwrap_or(1) as usize;
    let batches = crate::app::undo::last_batches(crm, steps)?;
    for b in &batches {
        let d = crate::app::undo::describe(crm, *b)?;
        say(&tr!(
            "cli.undo.batch",
            batch = d.batch,
            at = d.at,
            user = d.user
        ));
        for s in &d.steps {
            say(&tr!("cli.undo.step", step = s));
        }
    }
    if !confirm(m, tr!("cli.undo.confirm"))? {
        eprintln!("{}", tr!("cli.undo.nothing"));
        return Ok(1);
    }
    let done = crm.undo_batches(&batches)?;
    eprintln!(
        "{}",
        tr!(
            "cli.undo.done",
            batches = done
                .iter()
                .map(|b| b.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    );
    Ok(0)
}
