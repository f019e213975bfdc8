//! `kith task …`: the record verbs and `done`, `reopen`, `snooze`.

use clap::{Arg, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::{value, values};
use crate::cli::output::Out;
use crate::cli::records;
use crate::core::error::Result;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "task",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    records::noun(Entity::Task, tr!("cli.help.task.about"))
        .subcommand(records::refs(
            "done",
            tr!("cli.help.task.done.about").into(),
        ))
        .subcommand(records::refs(
            "reopen",
            tr!("cli.help.task.reopen.about").into(),
        ))
        .subcommand(
            Command::new("snooze")
                .about(tr!("cli.help.task.snooze.about"))
                .arg(Arg::new("ref").required(true).value_name("REF"))
                .arg(
                    Arg::new("when")
                        .required(true)
                        .num_args(1..)
                        .value_name("WHEN")
                        .help(tr!("cli.help.task.snooze.when")),
                ),
        )
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    match m.subcommand() {
        Some(("done", sub)) => task_done(crm, sub, true),
        Some(("reopen", sub)) => task_done(crm, sub, false),
        Some(("snooze", sub)) => task_snooze(crm, sub),
        _ => records::run(crm, Entity::Task, m, out),
    }
}

fn task_done(crm: &mut Crm, m: &ArgMatches, done: bool) -> Result<i32> {
    let mut ids = Vec::new();
    for r in values(m, "ref") {
        ids.push(crm.resolve(Entity::Task, &r)?);
    }
    let next = crm.set_tasks_done(&ids, done)?;
    for (id, next) in ids.iter().zip(next) {
        if done {
            eprintln!("{}", tr!("cli.task.done", id = id));
        } else {
            eprintln!("{}", tr!("cli.task.reopened", id = id));
        }
        if let Some(n) = next {
            let t = crm.get(Entity::Task, n)?;
            eprintln!(
                "{}",
                tr!(
                    "cli.task.next",
                    id = n,
                    due = crate::core::dates::display(&t.text("due"))
                )
            );
        }
    }
    Ok(0)
}

fn task_snooze(crm: &mut Crm, m: &ArgMatches) -> Result<i32> {
    let id = crm.resolve(Entity::Task, &value(m, "ref").unwrap_or_default())?;
    let when = values(m, "when").join(" ");
    let due = crm.snooze_task(id, &when)?;
    eprintln!(
        "{}",
        tr!(
            "cli.task.due",
            id = id,
            due = crate::core::dates::display(&due)
        )
    );
    Ok(0)
}
