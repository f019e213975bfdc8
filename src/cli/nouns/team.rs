//! `kith team …`: the record verbs on teams (a tree of departments: `--parent`, with a
//! `--lead`), and `tree` to see the whole tree with its members.

use clap::{ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::app::queries::ListQuery;
use crate::cli::output::Out;
use crate::cli::records;
use crate::core::error::Result;
use crate::model::record::Record;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "team",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    records::noun(Entity::Team, tr!("cli.help.team.about"))
        .subcommand(Command::new("tree").about(tr!("cli.help.team.tree")))
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    match m.subcommand() {
        Some(("tree", _)) => tree(crm),
        _ => records::run(crm, Entity::Team, m, out),
    }
}

/// Each team under its parent, with its lead and members.
fn tree(crm: &Crm) -> Result<i32> {
    let teams = crm.list(Entity::Team, &ListQuery::default())?;
    let users = crm.list(Entity::User, &ListQuery::default())?;
    fn show(teams: &[Record], users: &[Record], parent: Option<i64>, depth: usize) {
        for t in teams.iter().filter(|t| t.i64("parent_id") == parent) {
            let members: Vec<String> = users
                .iter()
                .filter(|u| u.i64("team_id") == Some(t.id()))
                .map(|u| u.text("login"))
                .collect();
            let lead = t.text("lead");
            println!(
                "{}{}{}{}",
                "  ".repeat(depth),
                t.label(),
                if lead.is_empty() {
                    String::new()
                } else {
                    format!("  {}", tr!("team.tree_lead", lead = lead))
                },
                if members.is_empty() {
                    String::new()
                } else {
                    format!("  [{}]", members.join(", "))
                }
            );
            show(teams, users, Some(t.id()), depth + 1);
        }
    }
    show(&teams, &users, None, 0);
    Ok(0)
}
