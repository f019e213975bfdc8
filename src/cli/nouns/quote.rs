//! `kith quote …`: the record verbs (add takes `--deal` or `--account` and numbers the quote
//! itself), its lines, and `send`, `accept`, `reject`, `revise`.

use clap::{Arg, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::value;
use crate::cli::output::{say, Out};
use crate::cli::records;
use crate::core::error::Result;
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "quote",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    let one = |name: &'static str, about: &'static str| {
        Command::new(name)
            .about(about)
            .arg(Arg::new("ref").required(true).value_name("QUOTE"))
    };
    records::noun(Entity::Quote, tr!("cli.help.quote.about"))
        .mut_subcommand("add", |c| {
            c.mut_arg("number", |a| {
                a.required(false).help(tr!("cli.help.quote.number"))
            })
            .mut_arg("valid_until", |a| a.visible_alias("valid"))
        })
        .mut_subcommand("edit", |c| {
            c.mut_arg("valid_until", |a| a.visible_alias("valid"))
        })
        .subcommand(crate::cli::lines::command(Entity::Quote))
        .subcommand(one("send", tr!("cli.help.quote.send")))
        .subcommand(
            one("accept", tr!("cli.help.quote.accept")).arg(
                Arg::new("order")
                    .long("order")
                    .action(clap::ArgAction::SetTrue)
                    .help(tr!("cli.help.quote.order")),
            ),
        )
        .subcommand(
            one("reject", tr!("cli.help.quote.reject")).arg(
                Arg::new("reason")
                    .long("reason")
                    .value_name("TEXT")
                    .help(tr!("cli.help.quote.reason")),
            ),
        )
        .subcommand(
            one("render", tr!("cli.help.quote.render"))
                .arg(
                    Arg::new("format")
                        .long("format")
                        .value_name("FORMAT")
                        .value_parser(["pdf", "html", "md"])
                        .help(tr!("cli.help.quote.format")),
                )
                .arg(crate::cli::args::output_arg()),
        )
        .subcommand(
            one("revise", tr!("cli.help.quote.revise")).arg(
                Arg::new("valid")
                    .long("valid")
                    .value_name("WHEN")
                    .help(tr!("cli.help.quote.valid")),
            ),
        )
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let Some((verb, sub)) = m.subcommand() else {
        return records::run(crm, Entity::Quote, m, out);
    };
    let id = || crm.resolve(Entity::Quote, &value(sub, "ref").unwrap_or_default());
    match verb {
        "add" => {
            let mut input = records::input_of(crm, Entity::Quote, sub)?;
            let config = crate::cli::configuration()?;
            for (k, v) in [
                ("rounding", config.quote.rounding),
                ("valid_until", config.quote.valid),
                ("terms", config.quote.terms),
            ] {
                if let Some(v) = v.filter(|_| !input.has(k)) {
                    input.set(k, v);
                }
            }
            println!("{}", crm.create(Entity::Quote, &input)?);
        }
        "line" => return crate::cli::lines::run(crm, Entity::Quote, sub, out),
        "send" => {
            let id = id()?;
            crm.send_quote(id)?;
            said(crm, id, "cli.quote.sent")?;
        }
        "accept" if crate::cli::args::flag(sub, "order") => {
            let id = id()?;
            let order = crm.accept_quote_to_order(id)?;
            said(crm, id, "cli.quote.accepted")?;
            let o = crm.get(Entity::Order, order)?;
            say(&tr!("cli.quote.ordered", number = o.label(), id = order));
            println!("{order}");
        }
        "accept" | "reject" => {
            let id = id()?;
            crm.decide_quote(id, verb == "accept", value(sub, "reason").as_deref())?;
            said(
                crm,
                id,
                if verb == "accept" {
                    "cli.quote.accepted"
                } else {
                    "cli.quote.rejected"
                },
            )?;
        }
        "render" => render(crm, id()?, sub)?,
        "revise" => {
            let old = id()?;
            let new = crm.revise_quote(old, value(sub, "valid").as_deref())?;
            let q = crm.get(Entity::Quote, new)?;
            say(&tr!("cli.quote.revised", number = q.label(), id = new));
            println!("{new}");
        }
        _ => return records::run(crm, Entity::Quote, m, out),
    }
    Ok(0)
}

fn said(crm: &Crm, id: i64, what: &str) -> Result<()> {
    let q = crm.get(Entity::Quote, id)?;
    let text = match what {
        "cli.quote.sent" => tr!(
            "cli.quote.sent",
            number = q.label(),
            valid = q.text("valid_until")
        ),
        "cli.quote.accepted" => tr!("cli.quote.accepted", number = q.label()),
        _ => tr!("cli.quote.rejected", number = q.label()),
    };
    say(&text);
    Ok(())
}

/// `kith quote render Q [--format pdf|html|md] [-o FILE]`: the format named, else the one
/// of the file's extension, else Markdown; to the file, else to stdout.
fn render(crm: &Crm, id: i64, m: &ArgMatches) -> Result<()> {
    use crate::io::quote_doc::{self, Format};
    let output = value(m, "output");
    let format = value(m, "format")
        .as_deref()
        .and_then(Format::from_name)
        .or_else(|| {
            let ext = output.as_deref()?.rsplit_once('.')?.1.to_string();
            Format::from_name(&ext)
        })
        .unwrap_or(Format::Md);
    let config = crate::cli::configuration()?;
    let doc = quote_doc::quote::of_quote(crm, id, &config.seller)?;
    let bytes = quote_doc::render(&doc, format, config.document.font.as_deref())?;
    let path = output.unwrap_or_else(|| "-".into());
    if path == "-" && format == Format::Pdf && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        return Err(crate::err!(Invalid, "cli.quote.pdf_to_terminal"));
    }
    let out = Out::to_file(&path)?;
    out.bytes(&bytes)?;
    out.finish()?;
    if path != "-" {
        say(&tr!("cli.quote.rendered", path = path));
    }
    Ok(())
}
