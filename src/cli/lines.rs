//! `kith deal line …` and `kith quote line …`: the lines of a document (add, list, edit,
//! rm), and the block of totals `show` and `line list` print under them.

use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{json, Value};

use crate::app::commerce::Sheet;
use crate::app::crm::Crm;
use crate::cli::args::{value, values};
use crate::cli::output::{format_args, format_of, Figure, Format, Out};
use crate::core::error::{Error, Result};
use crate::core::money::Money;
use crate::domain::toolkit::Input;
use crate::model::Entity;
use crate::tr;

/// The `line` verb of a document's noun.
pub fn command(parent: Entity) -> Command {
    let doc = || {
        Arg::new("doc")
            .required(true)
            .value_name(parent.name().to_uppercase())
    };
    let fields = |cmd: Command| {
        cmd.arg(
            Arg::new("qty")
                .long("qty")
                .alias("quantity")
                .value_name("QTY")
                .help(tr!("cli.help.line.qty")),
        )
        .arg(
            Arg::new("price")
                .long("price")
                .value_name("PRICE")
                .help(tr!("cli.help.line.price")),
        )
        .arg(
            Arg::new("discount")
                .long("discount")
                .value_name("DISCOUNT")
                .help(tr!("cli.help.line.discount")),
        )
        .arg(
            Arg::new("tax")
                .long("tax")
                .value_name("RATE")
                .help(tr!("cli.help.line.tax")),
        )
        .arg(
            Arg::new("description")
                .long("description")
                .value_name("TEXT")
                .help(tr!("cli.help.line.description")),
        )
        .arg(
            Arg::new("unit")
                .long("unit")
                .value_name("UNIT")
                .help(tr!("cli.help.line.unit")),
        )
    };
    Command::new("line")
        .about(tr!("cli.help.line.about", kind = parent.label()))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(fields(
            Command::new("add")
                .about(tr!("cli.help.line.add"))
                .arg(doc())
                .arg(
                    Arg::new("product")
                        .value_name("PRODUCT")
                        .help(tr!("cli.help.line.product")),
                ),
        ))
        .subcommand(format_args(
            Command::new("list")
                .about(tr!("cli.help.line.list"))
                .arg(doc()),
        ))
        .subcommand(fields(
            Command::new("edit")
                .about(tr!("cli.help.line.edit"))
                .arg(doc())
                .arg(Arg::new("line").required(true).value_name("LINE"))
                .arg(
                    Arg::new("product")
                        .long("product")
                        .value_name("PRODUCT")
                        .help(tr!("cli.help.line.product")),
                ),
        ))
        .subcommand(
            Command::new("rm")
                .about(tr!("cli.help.line.rm"))
                .arg(doc())
                .arg(
                    Arg::new("line")
                        .required(true)
                        .num_args(1..)
                        .action(ArgAction::Append)
                        .value_name("LINE"),
                ),
        )
}

fn input(m: &ArgMatches) -> Input {
    let mut input = Input::new();
    for k in [
        "product",
        "qty",
        "price",
        "discount",
        "tax",
        "description",
        "unit",
    ] {
        if let Some(v) = value(m, k) {
            input.set(k, v);
        }
    }
    input
}

/// Run `kith <parent> line …`.
pub fn run(crm: &mut Crm, parent: Entity, m: &ArgMatches, out: &Out) -> Result<i32> {
    let (verb, m) = m
        .subcommand()
        .ok_or_else(|| Error::invalid(tr!("cli.record.give_a_verb")))?;
    let doc = crm.resolve(parent, &value(m, "doc").unwrap_or_default())?;
    match verb {
        "add" => {
            let id = crm.add_line(parent, doc, &input(m))?;
            println!("{id}");
        }
        "edit" => {
            let line = value(m, "line").unwrap_or_default();
            let given = input(m);
            if given.is_empty() {
                return Err(Error::invalid(tr!(
                    "cli.record.nothing_to_change",
                    option = "qty"
                )));
            }
            if !crm.edit_line(parent, doc, &line, &given)? {
                eprintln!("{}", tr!("cli.line.nothing_changed", line = line));
            }
        }
        "rm" => {
            let n = crm.remove_lines(parent, doc, &values(m, "line"))?;
            eprintln!("{}", crate::plural!("cli.line.removed", n));
        }
        _ => {
            let sheet = crm.sheet(parent, doc)?;
            print(out, format_of(m), &sheet)?;
        }
    }
    Ok(0)
}

/// The columns of a table of lines.
const COLUMNS: [&str; 7] = [
    "position",
    "description",
    "qty",
    "price",
    "discount",
    "tax",
    "net",
];

fn money(v: Option<&Value>) -> Option<Money> {
    v.and_then(Money::from_json)
}

/// The lines as a table row each.
fn line_rows(sheet: &Sheet) -> Vec<Vec<Figure>> {
    let p = sheet.places;
    sheet
        .lines
        .iter()
        .zip(&sheet.worked.lines)
        .map(|(l, w)| {
            let qty = money(l.get("qty")).unwrap_or_default().plain();
            let qty = match l.str("unit") {
                Some(u) => format!("{qty} {u}"),
                None => qty,
            };
            vec![
                Figure::right(l.i64("position").unwrap_or(0).to_string()),
                Figure::left(l.label()),
                Figure::right(qty),
                Figure::right(money(l.get("price")).unwrap_or_default().fixed(p)),
                Figure::right(sheet.discount_text(l)),
                Figure::right(
                    money(l.get("tax"))
                        .map(|t| format!("{}%", t.plain()))
                        .unwrap_or_default(),
                ),
                Figure::right(w.net.fixed(p)),
            ]
        })
        .collect()
}

/// The totals as (label, amount) rows, in order ([`Sheet::total_rows`]).
fn total_rows(sheet: &Sheet) -> Vec<Vec<Figure>> {
    sheet
        .total_rows()
        .into_iter()
        .map(|(label, m)| vec![Figure::left(label), Figure::right(m)])
        .collect()
}

/// The totals as JSON: every amount a number of units, the taxes per rate.
pub fn totals_json(sheet: &Sheet) -> Value {
    let w = &sheet.worked;
    json!({
        "currency": sheet.currency,
        "rounding": sheet.rounding,
        "gross": w.gross.to_json(),
        "line_discounts": w.line_discounts.to_json(),
        "subtotal": w.subtotal.to_json(),
        "discount": w.discount.to_json(),
        "net": w.net.to_json(),
        "taxes": w.taxes.iter().map(|t| json!({
            "rate": t.rate.to_json(),
            "base": t.base.to_json(),
            "tax": t.tax.to_json(),
        })).collect::<Vec<_>>(),
        "tax": w.tax.to_json(),
        "rounding_difference": w.rounding.to_json(),
        "total": w.total.to_json(),
    })
}

/// A document's lines as `line list` prints them: a table and its totals, or the lines and
/// totals as data.
pub fn print(out: &Out, format: Format, sheet: &Sheet) -> Result<()> {
    match format {
        Format::Table => print_table(out, sheet),
        Format::Json => out.one(&json!({
            "lines": lines_json(sheet),
            "totals": totals_json(sheet),
        })),
        _ => {
            let cols: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
            crate::cli::records::print_records(
                out,
                crate::model::custom::Custom::none(),
                format,
                &cols,
                &sheet.lines,
            )
        }
    }
}

/// The lines with what each comes to.
pub fn lines_json(sheet: &Sheet) -> Vec<Value> {
    sheet
        .lines
        .iter()
        .zip(&sheet.worked.lines)
        .map(|(l, w)| {
            let mut o = l.fields.clone();
            o.insert("gross".into(), w.gross.to_json());
            o.insert("shared_discount".into(), w.shared.to_json());
            o.insert("line_tax".into(), w.tax.to_json());
            Value::Object(o)
        })
        .collect()
}

/// The lines and totals as tables.
pub fn print_table(out: &Out, sheet: &Sheet) -> Result<()> {
    if sheet.lines.is_empty() {
        return out.line(tr!("cli.line.none"));
    }
    let cols: Vec<String> = COLUMNS
        .iter()
        .map(|c| match *c {
            "position" => "#".to_string(),
            c => crate::cli::words::field(c),
        })
        .collect();
    out.table(&cols, &line_rows(sheet), true)?;
    out.line("")?;
    out.table(&[String::new(), String::new()], &total_rows(sheet), false)
}
