//! `kith case …`: the record verbs (add takes the title as its argument, numbers the case
//! itself unless given `--number`, and can read the case from a mail message), and the
//! verbs of a case's life: assign, reply, wait, resume, resolve, close, reopen, to-deal,
//! thread.

use std::io::Read;

use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::Value;

use super::documents::{number_status, one, target};
use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::{flag, value};
use crate::cli::output::{self, say, Format, Out};
use crate::cli::records;
use crate::core::error::Result;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "case",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    let e = Entity::Case;
    records::noun(e, tr!("cli.help.case.about"))
        .mut_subcommand("add", |c| {
            c.mut_arg("number", |a| {
                a.required(false)
                    .value_name("TITLE")
                    .help(tr!("cli.help.case.title"))
            })
            .mut_arg("title", |a| a.conflicts_with("number"))
            .arg(
                Arg::new("number-option")
                    .long("number")
                    .value_name("NUMBER")
                    .help(tr!("cli.help.case.number")),
            )
            .mut_arg("opened", |a| {
                a.value_name("WHEN").help(tr!("cli.help.case.opened"))
            })
            .arg(
                Arg::new("from-mail")
                    .long("from-mail")
                    .value_name("FILE")
                    .help(tr!("cli.help.case.from_mail")),
            )
            .arg(
                Arg::new("create-missing")
                    .long("create-missing")
                    .action(ArgAction::SetTrue)
                    .requires("from-mail")
                    .help(tr!("cli.help.case.create_missing")),
            )
        })
        .subcommand(
            one("assign", tr!("cli.help.case.assign").into(), "CASE").arg(
                Arg::new("user")
                    .required(true)
                    .value_name("USER")
                    .help(tr!("cli.help.case.user")),
            ),
        )
        .subcommand(
            one("reply", tr!("cli.help.case.reply").into(), "CASE")
                .arg(
                    Arg::new("text")
                        .required(true)
                        .value_name("TEXT")
                        .help(tr!("cli.help.case.text")),
                )
                .arg(
                    Arg::new("channel")
                        .long("channel")
                        .value_name("CHANNEL")
                        .help(tr!("cli.help.case.channel")),
                ),
        )
        .subcommand(one("wait", tr!("cli.help.case.wait").into(), "CASE"))
        .subcommand(one("resume", tr!("cli.help.case.resume").into(), "CASE"))
        .subcommand(
            one("resolve", tr!("cli.help.case.resolve").into(), "CASE").arg(
                Arg::new("resolution")
                    .long("resolution")
                    .value_name("TEXT")
                    .required(true)
                    .help(tr!("cli.help.case.resolution")),
            ),
        )
        .subcommand(
            one("close", tr!("cli.help.case.close").into(), "CASE").arg(
                Arg::new("survey")
                    .long("survey")
                    .action(ArgAction::SetTrue)
                    .help(tr!("cli.help.case.survey")),
            ),
        )
        .subcommand(
            one("reopen", tr!("cli.help.case.reopen").into(), "CASE").arg(
                Arg::new("reason")
                    .long("reason")
                    .value_name("TEXT")
                    .required(true)
                    .help(tr!("cli.help.case.reason")),
            ),
        )
        .subcommand(
            one("to-deal", tr!("cli.help.case.to_deal").into(), "CASE").arg(
                Arg::new("title")
                    .long("title")
                    .value_name("TITLE")
                    .help(tr!("cli.help.case.deal_title")),
            ),
        )
        .subcommand(output::format_args(one(
            "thread",
            tr!("cli.help.case.thread").into(),
            "CASE",
        )))
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let e = Entity::Case;
    let Some((verb, sub)) = m.subcommand() else {
        return records::run(crm, e, m, out);
    };
    let said = |crm: &Crm, id: i64, id_msg: &str| -> Result<()> {
        let (number, status) = number_status(crm, e, id)?;
        say(&match id_msg {
            "assigned" => tr!("cli.case.assigned", number = number, status = status),
            "waiting" => tr!("cli.case.waiting", number = number, status = status),
            "resumed" => tr!("cli.case.resumed", number = number, status = status),
            "resolved" => tr!("cli.case.resolved", number = number, status = status),
            "closed" => tr!("cli.case.closed", number = number, status = status),
            _ => tr!("cli.case.reopened", number = number, status = status),
        });
        Ok(())
    };
    match verb {
        "add" => {
            let id = add(crm, sub)?;
            println!("{id}");
        }
        "assign" => {
            let id = target(crm, e, sub)?;
            crm.assign_case(id, &value(sub, "user").unwrap_or_default())?;
            said(crm, id, "assigned")?;
        }
        "reply" => {
            let id = target(crm, e, sub)?;
            let activity = crm.reply_case(
                id,
                &value(sub, "text").unwrap_or_default(),
                value(sub, "channel").as_deref(),
            )?;
            let (number, _) = number_status(crm, e, id)?;
            say(&tr!(
                "cli.case.replied",
                number = number,
                activity = activity
            ));
        }
        "wait" => {
            let id = target(crm, e, sub)?;
            crm.wait_case(id)?;
            said(crm, id, "waiting")?;
        }
        "resume" => {
            let id = target(crm, e, sub)?;
            crm.resume_case(id)?;
            said(crm, id, "resumed")?;
        }
        "resolve" => {
            let id = target(crm, e, sub)?;
            crm.resolve_case(id, &value(sub, "resolution").unwrap_or_default())?;
            said(crm, id, "resolved")?;
        }
        "close" => {
            let id = target(crm, e, sub)?;
            let task = crm.close_case(id, flag(sub, "survey"))?;
            said(crm, id, "closed")?;
            if let Some(t) = task {
                say(&tr!("cli.case.survey_task", task = t));
            }
        }
        "reopen" => {
            let id = target(crm, e, sub)?;
            crm.reopen_case(id, &value(sub, "reason").unwrap_or_default())?;
            said(crm, id, "reopened")?;
        }
        "to-deal" => {
            let id = target(crm, e, sub)?;
            let deal = crm.case_to_deal(id, value(sub, "title").as_deref())?;
            let (number, _) = number_status(crm, e, id)?;
            say(&tr!("cli.case.to_deal", number = number, deal = deal));
            println!("{deal}");
        }
        "thread" => {
            let id = crm.find(e, &value(sub, "ref").unwrap_or_default())?;
            print_thread(crm, id, sub, out)?;
        }
        "show" => {
            records::run(crm, e, m, out)?;
            if output::format_of(sub) == Format::Table {
                let id = crm.find(e, &value(sub, "ref").unwrap_or_default())?;
                let thread = crm.case_thread(id)?;
                if !thread.is_empty() {
                    println!();
                    println!("{}", tr!("cli.case.thread_head"));
                    print_thread_lines(&thread);
                }
            }
        }
        _ => return records::run(crm, e, m, out),
    }
    Ok(0)
}

/// `case add`: from the command line, or from a mail message with it.
fn add(crm: &mut Crm, m: &ArgMatches) -> Result<i64> {
    let e = Entity::Case;
    let mut input = records::input_of(crm, e, m)?;
    // The argument is the title (the number is `--number`).
    if let Some(t) = input.take("number") {
        input.set("title", t);
    }
    if let Some(n) = value(m, "number-option") {
        input.set("number", n);
    }
    match value(m, "from-mail") {
        Some(path) => {
            let bytes = read_source(&path)?;
            let mail = crate::io::mail::read(&bytes).map_err(|e| e.context(&path))?;
            crm.case_from_mail(&mail, input, flag(m, "create-missing"))
        }
        None => {
            if !input.has("title") {
                return Err(crate::err!(Invalid, "records.required", field = "title"));
            }
            crm.create(e, &input)
        }
    }
}

/// The bytes of a file, or of standard input for `-`.
fn read_source(path: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| crate::err!(Failed, "mail.cannot_read", path = "-", reason = e))?;
    } else {
        bytes = std::fs::read(path)
            .map_err(|e| crate::err!(Invalid, "mail.cannot_read", path = path, reason = e))?;
    }
    Ok(bytes)
}

fn print_thread(crm: &Crm, id: i64, m: &ArgMatches, out: &Out) -> Result<()> {
    let thread = crm.case_thread(id)?;
    match output::format_of(m) {
        Format::Table => {
            print_thread_lines(&thread);
            Ok(())
        }
        format => {
            let rows: Vec<Vec<Value>> = thread
                .iter()
                .map(|t| {
                    vec![
                        Value::from(t.at.clone()),
                        Value::from(t.user.clone()),
                        Value::from(t.kind.clone()),
                        t.channel.clone().map(Value::from).unwrap_or(Value::Null),
                        Value::from(t.text.clone()),
                    ]
                })
                .collect();
            if matches!(format, Format::Json | Format::Ndjson) {
                return out.json(format, &thread);
            }
            let cols: Vec<String> = ["at", "user", "kind", "channel", "text"]
                .map(String::from)
                .to_vec();
            out.rows(format, &cols, &rows)
        }
    }
}

/// The thread as people read it: one entry a paragraph, its time local.
fn print_thread_lines(thread: &[crate::app::service::ThreadItem]) {
    for t in thread {
        let when = crate::core::clock::parse_stamp(&t.at)
            .map(|u| {
                u.with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|| t.at.clone());
        let head = match (&t.kind[..], &t.channel) {
            ("reply", Some(c)) => tr!(
                "cli.case.thread_reply",
                when = when,
                user = t.user,
                channel = c
            ),
            ("reply", None) => tr!(
                "cli.case.thread_reply",
                when = when,
                user = t.user,
                channel = "—"
            ),
            _ => tr!("cli.case.thread_change", when = when, user = t.user),
        };
        println!("{}", crate::core::escape::visible_line(&head));
        for l in t.text.lines() {
            println!("    {}", crate::core::escape::visible_line(l));
        }
    }
}
