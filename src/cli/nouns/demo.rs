//! `kith demo`: the sample database.

use clap::{value_parser, Arg, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::{flag, value};
use crate::core::error::{Error, Result};
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "demo",
    command,
    run: Run::Top(|top, m, _| demo(top, m)),
};

fn command() -> Command {
    Command::new("demo")
        .about(tr!("cli.help.demo.about"))
        .long_about(tr!("cli.help.demo.long_about"))
        .arg(
            Arg::new("seed")
                .long("seed")
                .value_parser(value_parser!(u64))
                .default_value("42")
                .help(tr!("cli.help.demo.seed")),
        )
        .arg(
            Arg::new("accounts")
                .long("accounts")
                .value_parser(value_parser!(u64).range(1..=100_000))
                .default_value("300")
                .help(tr!("cli.help.demo.accounts")),
        )
        .arg(
            Arg::new("size")
                .long("size")
                .value_parser(["small", "large", "huge"])
                .default_value("small")
                .conflicts_with("accounts")
                .help(tr!("cli.help.demo.size")),
        )
}

/// `kith demo`: make the sample database, or fill an empty one named with --db.
pub fn demo(top: &ArgMatches, m: &ArgMatches) -> Result<i32> {
    let config = crate::app::config::Config::load(&crate::app::config::config_path())?;
    let explicit = !flag(top, "demo") && value(top, "db").is_some_and(|s| !s.is_empty());
    let path = crate::cli::db_path(top, &config);
    if explicit {
        if !Crm::is_empty_at(&path)? {
            return Err(Error::invalid(tr!(
                "cli.demo.not_empty",
                path = path.display()
            )));
        }
    } else {
        let path = crate::app::config::demo_db();
        for suffix in ["", "-wal", "-shm"] {
            let p = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            if p.exists() {
                std::fs::remove_file(&p).map_err(|e| {
                    Error::failed(tr!(
                        "cli.demo.cannot_replace",
                        path = p.display(),
                        problem = e
                    ))
                })?;
            }
        }
    }
    let path = if explicit {
        path
    } else {
        crate::app::config::demo_db()
    };
    let mut crm = crate::cli::open_at(top, &config, &path)?;
    let seed = m.get_one::<u64>("seed").copied().unwrap_or(42);
    let size = value(m, "size").and_then(|s| crate::samples::bulk::Size::parse(&s));
    let summary = match size {
        Some(size) => {
            let c = crate::samples::bulk::generate_in(&mut crm, size, seed)?;
            crate::samples::demo::DemoSummary::from(&c)
        }
        None => {
            let opts = crate::samples::demo::DemoOptions {
                seed,
                accounts: m.get_one::<u64>("accounts").copied().unwrap_or(300) as usize,
            };
            crate::samples::demo::generate(&mut crm, &opts)?
        }
    };
    eprintln!(
        "{}",
        tr!(
            "cli.demo.made",
            path = path.display(),
            accounts = crate::plural!("cli.count.accounts", summary.accounts),
            contacts = crate::plural!("cli.count.contacts", summary.contacts),
            leads = crate::plural!("cli.count.leads", summary.leads),
            deals = crate::plural!("cli.count.deals", summary.deals),
            activities = crate::plural!("cli.count.activities", summary.activities),
            tasks = crate::plural!("cli.count.tasks", summary.tasks)
        )
    );
    eprintln!(
        "{}",
        tr!(
            "cli.demo.made_commerce",
            products = crate::plural!("cli.count.products", summary.products),
            quotes = crate::plural!("cli.count.quotes", summary.quotes),
            orders = crate::plural!("cli.count.orders", summary.orders),
            contracts = crate::plural!("cli.count.contracts", summary.contracts),
            payments = crate::plural!("cli.count.payments", summary.payments),
            invoices = crate::plural!("cli.count.invoices", summary.invoices)
        )
    );
    eprintln!(
        "{}",
        tr!(
            "cli.demo.made_service",
            cases = crate::plural!("cli.count.cases", summary.cases),
            surveys = crate::plural!("cli.count.surveys", summary.surveys)
        )
    );
    Ok(0)
}
