//! `kith pipeline …`: pipelines and their stages.

use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};
use serde_json::json;

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::{flag, value, values};
use crate::cli::output::{self, say, Format, Out};
use crate::core::error::{Error, Result};
use crate::domain::sales::pipelines::{Place, StageSpec};
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "pipeline",
    command,
    run: Run::Crm(pipeline),
};

fn command() -> Command {
    let place = |cmd: Command| {
        cmd.arg(
            Arg::new("after")
                .long("after")
                .value_name("STAGE")
                .help(tr!("cli.help.pipeline.common.after")),
        )
        .arg(
            Arg::new("before")
                .long("before")
                .value_name("STAGE")
                .help(tr!("cli.help.pipeline.common.before")),
        )
        .arg(
            Arg::new("position")
                .long("position")
                .value_parser(value_parser!(usize))
                .value_name("N")
                .help(tr!("cli.help.pipeline.common.position")),
        )
        .group(
            clap::ArgGroup::new("place")
                .args(["after", "before", "position"])
                .multiple(false),
        )
    };
    let pipe = || Arg::new("pipeline").required(true).value_name("PIPELINE");
    let stage = || Arg::new("stage").required(true).value_name("STAGE");
    Command::new("pipeline")
        .about(tr!("cli.help.pipeline.about"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(output::format_args(
            Command::new("list").about(tr!("cli.help.pipeline.list.about")),
        ))
        .subcommand(output::format_args(
            Command::new("show")
                .about(tr!("cli.help.pipeline.show.about"))
                .arg(pipe()),
        ))
        .subcommand(
            Command::new("add")
                .about(tr!("cli.help.pipeline.add.about"))
                .arg(Arg::new("name").required(true).value_name("NAME"))
                .arg(
                    Arg::new("stage")
                        .long("stage")
                        .action(ArgAction::Append)
                        .value_name("NAME[:PROB[:OUTCOME]]")
                        .help(tr!("cli.help.pipeline.add.stage")),
                )
                .arg(
                    Arg::new("default")
                        .long("default")
                        .action(ArgAction::SetTrue)
                        .help(tr!("cli.help.pipeline.add.default")),
                ),
        )
        .subcommand(
            Command::new("rename")
                .about(tr!("cli.help.pipeline.rename.about"))
                .arg(pipe())
                .arg(Arg::new("name").required(true).value_name("NEW")),
        )
        .subcommand(
            Command::new("default")
                .about(tr!("cli.help.pipeline.default.about"))
                .arg(pipe()),
        )
        .subcommand(
            Command::new("stage")
                .about(tr!("cli.help.pipeline.stage.about"))
                .subcommand_required(true)
                .arg_required_else_help(true)
                .subcommand(place(
                    Command::new("add")
                        .about(tr!("cli.help.pipeline.stage.add.about"))
                        .arg(pipe())
                        .arg(Arg::new("name").required(true).value_name("NAME"))
                        .arg(
                            Arg::new("probability")
                                .long("probability")
                                .value_name("PERCENT")
                                .help(tr!("cli.help.pipeline.stage.add.probability")),
                        )
                        .arg(
                            Arg::new("outcome")
                                .long("outcome")
                                .value_name("OUTCOME")
                                .help(tr!("cli.help.pipeline.stage.add.outcome")),
                        ),
                ))
                .subcommand(
                    Command::new("rename")
                        .about(tr!("cli.help.pipeline.stage.rename.about"))
                        .arg(pipe())
                        .arg(stage())
                        .arg(Arg::new("name").required(true).value_name("NEW")),
                )
                .subcommand(
                    Command::new("set")
                        .about(tr!("cli.help.pipeline.stage.set.about"))
                        .arg(pipe())
                        .arg(stage())
                        .arg(
                            Arg::new("probability")
                                .long("probability")
                                .value_name("PERCENT"),
                        )
                        .arg(Arg::new("outcome").long("outcome").value_name("OUTCOME"))
                        .arg_required_else_help(true),
                )
                .subcommand(place(
                    Command::new("move")
                        .about(tr!("cli.help.pipeline.stage.move.about"))
                        .arg(pipe())
                        .arg(stage()),
                ))
                .subcommand(
                    Command::new("rm")
                        .about(tr!("cli.help.pipeline.stage.rm.about"))
                        .arg(pipe())
                        .arg(stage()),
                ),
        )
}

fn pipeline(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let (verb, sub) = m
        .subcommand()
        .ok_or_else(|| Error::invalid(tr!("cli.record.give_a_verb")))?;
    match verb {
        "list" | "show" => {
            let mut boards = crm.boards()?;
            if verb == "show" {
                let p = crm.resolve_pipeline(&value(sub, "pipeline").unwrap_or_default())?;
                boards.retain(|b| b.id == p.id());
            }
            let format = output::format_of(sub);
            match format {
                Format::Json | Format::Ndjson if verb == "show" => out.one(&boards[0])?,
                Format::Json | Format::Ndjson => out.json(format, &boards)?,
                _ => {
                    let cols: Vec<String> = [
                        "pipeline",
                        "position",
                        "stage",
                        "probability",
                        "outcome",
                        "deals",
                        "amount",
                        "weighted",
                    ]
                    .map(String::from)
                    .to_vec();
                    // A table shows the default pipeline's and stages' names and the
                    // outcomes in the language; CSV and TSV the stored words.
                    let table = format == Format::Table;
                    let mut rows = Vec::new();
                    for b in &boards {
                        let shown = if table {
                            b.shown_name()
                        } else {
                            b.name.clone()
                        };
                        let name = if b.is_default {
                            tr!("cli.pipeline.default_name", name = shown)
                        } else {
                            shown
                        };
                        for s in &b.stages {
                            rows.push(vec![
                                json!(name),
                                json!(s.position),
                                json!(if table {
                                    s.shown_name()
                                } else {
                                    s.name.clone()
                                }),
                                json!(s.probability),
                                json!(if table {
                                    s.shown_outcome()
                                } else {
                                    s.outcome.clone()
                                }),
                                json!(s.count),
                                // A table as the run shows amounts; CSV and TSV as
                                // always.
                                json!(if table {
                                    s.amount.shown()
                                } else {
                                    s.amount.text()
                                }),
                                json!(if table {
                                    s.weighted_amount.shown()
                                } else {
                                    s.weighted_amount.text()
                                }),
                            ]);
                        }
                    }
                    out.rows(format, &cols, &rows)?;
                }
            }
            Ok(0)
        }
        "add" => {
            let specs = values(sub, "stage")
                .iter()
                .map(|s| StageSpec::parse(s))
                .collect::<Result<Vec<_>>>()?;
            let specs = if specs.is_empty() {
                crate::domain::sales::pipelines::DEFAULT_STAGES
                    .iter()
                    .map(|(n, p, o)| StageSpec {
                        name: n.to_string(),
                        probability: *p,
                        outcome: o.to_string(),
                    })
                    .collect()
            } else {
                specs
            };
            let name = value(sub, "name").unwrap_or_default();
            let make_default = flag(sub, "default");
            let id = crm.add_pipeline(&name, &specs, make_default)?;
            println!("{id}");
            Ok(0)
        }
        "rename" => {
            let p = crm.resolve_pipeline(&value(sub, "pipeline").unwrap_or_default())?;
            let name = value(sub, "name").unwrap_or_default();
            crm.rename_pipeline(p.id(), &name)?;
            Ok(0)
        }
        "default" => {
            let p = crm.resolve_pipeline(&value(sub, "pipeline").unwrap_or_default())?;
            crm.set_default_pipeline(p.id())?;
            say(&tr!("cli.pipeline.default_set", name = p.label()));
            Ok(0)
        }
        "stage" => stage(crm, sub),
        _ => Err(Error::invalid(tr!(
            "cli.unknown_command",
            name = format!("pipeline {verb}")
        ))),
    }
}

fn place_of(m: &ArgMatches) -> Place {
    if let Some(s) = value(m, "after") {
        Place::After(s)
    } else if let Some(s) = value(m, "before") {
        Place::Before(s)
    } else if let Some(n) = m.get_one::<usize>("position") {
        Place::At(*n)
    } else {
        Place::End
    }
}

fn stage(crm: &mut Crm, m: &ArgMatches) -> Result<i32> {
    let (verb, sub) = m
        .subcommand()
        .ok_or_else(|| Error::invalid(tr!("cli.record.give_a_verb")))?;
    let p = crm.resolve_pipeline(&value(sub, "pipeline").unwrap_or_default())?;
    let pid = p.id();
    let stage_id = match value(sub, "stage") {
        Some(s) => Some(crm.resolve_stage(pid, &s)?.id()),
        None => None,
    };
    let probability = match value(sub, "probability") {
        Some(s) => Some(
            crate::core::values::parse_int(s.trim_end_matches('%'))
                .map_err(|e| e.context("--probability"))?,
        ),
        None => None,
    };
    let outcome = value(sub, "outcome");
    match (verb, stage_id) {
        ("add", _) => {
            let spec = StageSpec {
                name: value(sub, "name").unwrap_or_default(),
                probability: probability.unwrap_or(0),
                outcome: crate::app::crm::choose(
                    crate::domain::sales::pipelines::STAGE_OUTCOMES,
                    outcome.as_deref().unwrap_or("open"),
                )
                .map_err(|e| e.context("--outcome"))?
                .to_string(),
            };
            if spec.name.trim().is_empty() {
                return Err(Error::invalid(tr!("cli.pipeline.stage_name_empty")));
            }
            if !(0..=100).contains(&spec.probability) {
                return Err(Error::invalid(tr!(
                    "cli.pipeline.probability_range",
                    probability = spec.probability
                )));
            }
            let place = place_of(sub);
            let id = crm.add_stage(pid, &spec, &place)?;
            println!("{id}");
        }
        ("rename", Some(s)) => {
            let name = value(sub, "name").unwrap_or_default();
            crm.edit_stage(pid, s, Some(&name), None, None)?;
        }
        ("set", Some(s)) => {
            crm.edit_stage(pid, s, None, probability, outcome.as_deref())?;
        }
        ("move", Some(s)) => {
            let place = place_of(sub);
            if matches!(place, Place::End) {
                return Err(Error::invalid(tr!("cli.pipeline.say_where")));
            }
            crm.move_stage(pid, s, &place)?;
        }
        ("rm", Some(s)) => {
            crm.remove_stage(pid, s)?;
            eprintln!("{}", tr!("cli.pipeline.stage_removed"));
        }
        _ => {
            return Err(Error::invalid(tr!(
                "cli.unknown_command",
                name = format!("pipeline stage {verb}")
            )))
        }
    }
    Ok(0)
}
