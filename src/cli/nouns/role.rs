//! `kith role …`: the record verbs on roles (`add NAME --scope own|team|subtree|all`, per
//! kind `--scope team,deal=own`, `--rights create,edit,…`), and `field` to limit how a role
//! sees one field (`kith role field rep deal.cost masked`).

use clap::{Arg, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::value;
use crate::cli::output::Out;
use crate::cli::records;
use crate::core::error::Result;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "role",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    records::noun(Entity::Role, tr!("cli.help.role.about")).subcommand(
        Command::new("field")
            .about(tr!("cli.help.role.field"))
            .arg(Arg::new("ref").required(true).value_name("ROLE"))
            .arg(Arg::new("field").required(true).value_name("KIND.FIELD"))
            .arg(
                Arg::new("access")
                    .required(true)
                    .value_name("hidden|masked|read|full"),
            ),
    )
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    match m.subcommand() {
        Some(("field", sub)) => {
            let id = crm.resolve(Entity::Role, &value(sub, "ref").unwrap_or_default())?;
            let field = value(sub, "field").unwrap_or_default();
            let access = value(sub, "access").unwrap_or_default();
            let changed = crm.set_role_field(id, &field, &access)?;
            let name = crm.get(Entity::Role, id)?.label().to_string();
            eprintln!(
                "{}",
                if changed {
                    tr!(
                        "role.field_set",
                        role = name,
                        field = field,
                        access = access
                    )
                } else {
                    tr!(
                        "role.field_same",
                        role = name,
                        field = field,
                        access = access
                    )
                }
            );
            Ok(0)
        }
        _ => records::run(crm, Entity::Role, m, out),
    }
}
