//! `kith calendar …`: working-hours calendars (the record verbs), their holidays and
//! make-up working days (`holiday add|rm`, `workday add|rm`), a published holiday
//! calendar read from an .ics file (`import`), and `show` with the days of a period.

use clap::{Arg, ArgMatches, Command};
use serde_json::Value;

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::value;
use crate::cli::output::{self, say, Format, Out};
use crate::cli::records;
use crate::core::error::Result;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "calendar",
    command,
    run: Run::Crm(run),
};

fn days_command(
    name: &'static str,
    about: &'static str,
    add: &'static str,
    rm: &'static str,
) -> Command {
    let cal = || Arg::new("calendar").required(true).value_name("CALENDAR");
    let range = || {
        Arg::new("days")
            .required(true)
            .value_name("DAY[..DAY]")
            .help(tr!("cli.help.calendar.days"))
    };
    Command::new(name)
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("add").about(add).arg(cal()).arg(range()).arg(
                Arg::new("name")
                    .long("name")
                    .value_name("NAME")
                    .help(tr!("cli.help.calendar.name")),
            ),
        )
        .subcommand(Command::new("rm").about(rm).arg(cal()).arg(range()))
}

fn command() -> Command {
    records::noun(Entity::Calendar, tr!("cli.help.calendar.about"))
        .mut_subcommand("show", |c| {
            c.arg(
                Arg::new("from")
                    .long("from")
                    .value_name("DATE")
                    .help(tr!("cli.help.calendar.from")),
            )
            .arg(
                Arg::new("to")
                    .long("to")
                    .value_name("DATE")
                    .help(tr!("cli.help.calendar.to")),
            )
        })
        .subcommand(days_command(
            "holiday",
            tr!("cli.help.calendar.holiday"),
            tr!("cli.help.calendar.holiday_add"),
            tr!("cli.help.calendar.holiday_rm"),
        ))
        .subcommand(days_command(
            "workday",
            tr!("cli.help.calendar.workday"),
            tr!("cli.help.calendar.workday_add"),
            tr!("cli.help.calendar.workday_rm"),
        ))
        .subcommand(
            Command::new("import")
                .about(tr!("cli.help.calendar.import"))
                .arg(Arg::new("calendar").required(true).value_name("CALENDAR"))
                .arg(
                    Arg::new("file")
                        .required(true)
                        .value_name("FILE.ics")
                        .help(tr!("cli.help.calendar.file")),
                ),
        )
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let e = Entity::Calendar;
    let Some((verb, sub)) = m.subcommand() else {
        return records::run(crm, e, m, out);
    };
    let cal = |crm: &Crm, m: &ArgMatches| crm.resolve(e, &value(m, "calendar").unwrap_or_default());
    match verb {
        "holiday" | "workday" => {
            let kind = verb;
            let Some((op, m)) = sub.subcommand() else {
                return Ok(2);
            };
            let id = cal(crm, m)?;
            let days = value(m, "days").unwrap_or_default();
            let name = crm.get(e, id)?.label().to_string();
            if op == "add" {
                let n = crm.mark_days(id, &days, kind, value(m, "name").as_deref())?;
                say(&if kind == "holiday" {
                    crate::plural!("cli.calendar.holidays_marked", n as i64, calendar = name)
                } else {
                    crate::plural!("cli.calendar.workdays_marked", n as i64, calendar = name)
                });
            } else {
                let n = crm.unmark_days(id, &days)?;
                say(&crate::plural!(
                    "cli.calendar.unmarked",
                    n as i64,
                    calendar = name
                ));
            }
        }
        "import" => {
            let id = cal(crm, sub)?;
            let path = value(sub, "file").unwrap_or_default();
            let text = std::fs::read(&path).map_err(|er| {
                crate::err!(Invalid, "calendars.cannot_read", path = path, reason = er)
            })?;
            let text = String::from_utf8_lossy(&text).into_owned();
            let (h, w) = crm
                .import_holidays(id, &text)
                .map_err(|er| er.context(&path))?;
            say(&tr!(
                "cli.calendar.imported",
                holidays = h,
                workdays = w,
                path = path
            ));
        }
        "show" => {
            let id = crm.find(e, &value(sub, "ref").unwrap_or_default())?;
            let from = value(sub, "from").unwrap_or_else(|| "today".into());
            let days = crm.calendar_days(id, &from, value(sub, "to").as_deref())?;
            let format = output::format_of(sub);
            match format {
                Format::Json | Format::Ndjson => {
                    let mut obj = crm.get(e, id)?.fields.clone();
                    obj.insert(
                        "days".into(),
                        serde_json::to_value(&days).unwrap_or(Value::Null),
                    );
                    out.one(&Value::Object(obj))?;
                }
                _ => {
                    if format == Format::Table {
                        let c = crm.get(e, id)?;
                        println!("{}  {}  {}", c.label(), c.text("tz"), c.text("hours"));
                    }
                    let cols: Vec<String> = ["day", "weekday", "hours", "kind", "name"]
                        .map(String::from)
                        .to_vec();
                    let rows: Vec<Vec<Value>> = days
                        .iter()
                        .map(|d| {
                            vec![
                                Value::from(d.day.clone()),
                                Value::from(d.weekday.clone()),
                                Value::from(if d.working {
                                    d.hours.clone()
                                } else {
                                    "—".into()
                                }),
                                Value::from(d.kind.clone()),
                                Value::from(d.name.clone()),
                            ]
                        })
                        .collect();
                    out.rows(format, &cols, &rows)?;
                }
            }
        }
        _ => return records::run(crm, e, m, out),
    }
    Ok(0)
}
