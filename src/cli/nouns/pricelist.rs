//! `kith pricelist …`: the record verbs, and `set` and `unset` for its prices.

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
    name: "pricelist",
    command,
    run: Run::Crm(run),
};

fn command() -> Command {
    let list = || Arg::new("pricelist").required(true).value_name("PRICELIST");
    let product = || Arg::new("product").required(true).value_name("PRODUCT");
    let min_qty = || {
        Arg::new("min-qty")
            .long("min-qty")
            .value_name("QTY")
            .help(tr!("cli.help.pricelist.min_qty"))
    };
    records::noun(Entity::PriceList, tr!("cli.help.pricelist.about"))
        .subcommand(
            Command::new("set")
                .about(tr!("cli.help.pricelist.set"))
                .arg(list())
                .arg(product())
                .arg(Arg::new("price").required(true).value_name("PRICE"))
                .arg(min_qty()),
        )
        .subcommand(
            Command::new("unset")
                .about(tr!("cli.help.pricelist.unset"))
                .arg(list())
                .arg(product())
                .arg(min_qty()),
        )
}

fn run(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    match m.subcommand() {
        Some((verb @ ("set" | "unset"), sub)) => {
            let list = crm.resolve(
                Entity::PriceList,
                &value(sub, "pricelist").unwrap_or_default(),
            )?;
            let product = value(sub, "product").unwrap_or_default();
            let min_qty = value(sub, "min-qty");
            if verb == "set" {
                let price = value(sub, "price").unwrap_or_default();
                let (id, _) = crm.set_price(list, &product, &price, min_qty.as_deref())?;
                println!("{id}");
            } else {
                let n = crm.unset_price(list, &product, min_qty.as_deref())?;
                if n == 0 {
                    return Err(crate::err!(
                        NotFound,
                        "cli.pricelist.no_price",
                        product = product
                    ));
                }
                eprintln!("{}", crate::plural!("cli.pricelist.unset", n));
            }
            Ok(0)
        }
        _ => records::run(crm, Entity::PriceList, m, out),
    }
}
