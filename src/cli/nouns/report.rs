//! `kith report …`: the reports.

use clap::{value_parser, Arg, ArgMatches, Command};

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::{value, values};
use crate::cli::output::{self, Format, Out};
use crate::core::error::{Error, Result};
use crate::model::record::value_text;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "report",
    command,
    run: Run::Crm(report),
};

fn command() -> Command {
    let mut cmd = Command::new("report")
        .about(tr!("cli.help.report.about"))
        .subcommand_required(true)
        .arg_required_else_help(true);
    for k in crate::app::reports::Kind::ALL {
        let by_help = match k {
            crate::app::reports::Kind::Forecast => tr!("cli.help.report.forecast.by"),
            crate::app::reports::Kind::Winloss => tr!("cli.help.report.winloss.by"),
            crate::app::reports::Kind::Activity => tr!("cli.help.report.activity.by"),
            crate::app::reports::Kind::Customers => tr!("cli.help.report.customers.by"),
            crate::app::reports::Kind::Leads => tr!("cli.help.report.leads.by"),
            crate::app::reports::Kind::Receivables => tr!("cli.help.report.receivables.by"),
            crate::app::reports::Kind::Collections => tr!("cli.help.report.collections.by"),
            crate::app::reports::Kind::Orders => tr!("cli.help.report.orders.by"),
            _ => tr!("cli.help.report.common.by"),
        };
        let mut sub = output::format_args(
            Command::new(k.name())
                .about(crate::cli::words::message_or(
                    &format!("cli.help.report.{}.about", k.name()),
                    k.about(),
                ))
                .arg(
                    Arg::new("filter")
                        .num_args(0..)
                        .value_name("FILTER")
                        .help(tr!("cli.help.report.common.filter")),
                )
                .arg(
                    Arg::new("from")
                        .long("from")
                        .value_name("DATE")
                        .help(tr!("cli.help.report.common.from")),
                )
                .arg(
                    Arg::new("to")
                        .long("to")
                        .value_name("DATE")
                        .help(tr!("cli.help.report.common.to")),
                )
                .arg(Arg::new("by").long("by").value_name("FIELD").help(by_help))
                .arg(
                    Arg::new("currency")
                        .long("currency")
                        .value_name("CURRENCY")
                        .help(tr!("cli.help.report.common.currency")),
                ),
        );
        if matches!(
            k,
            crate::app::reports::Kind::Pipeline | crate::app::reports::Kind::Funnel
        ) {
            sub = sub.arg(
                Arg::new("pipeline")
                    .long("pipeline")
                    .value_name("PIPELINE")
                    .help(tr!("cli.help.report.common.pipeline")),
            );
        }
        if k == crate::app::reports::Kind::Receivables {
            sub = sub.arg(
                Arg::new("as-of")
                    .long("as-of")
                    .value_name("DATE")
                    .help(tr!("cli.help.report.common.as_of")),
            );
        }
        if k == crate::app::reports::Kind::Customers {
            sub = sub.arg(
                Arg::new("basis")
                    .long("basis")
                    .value_name("BASIS")
                    .value_parser(["deals", "orders", "payments"])
                    .help(tr!("cli.help.report.common.basis")),
            );
            sub = sub.arg(
                Arg::new("dormant")
                    .long("dormant")
                    .value_parser(value_parser!(u32))
                    .value_name("DAYS")
                    .help(tr!("cli.help.report.common.dormant")),
            );
        }
        cmd = cmd.subcommand(sub);
    }
    cmd
}

fn report(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let (name, sub) = m
        .subcommand()
        .ok_or_else(|| Error::invalid(tr!("cli.report.which")))?;
    let kind = crate::app::reports::Kind::from_name(name)
        .ok_or_else(|| Error::invalid(tr!("cli.report.unknown", name = name)))?;
    let params = crate::app::reports::Params {
        filter: crate::model::query::parse_args(&values(sub, "filter"))?,
        from: value(sub, "from"),
        to: value(sub, "to"),
        by: value(sub, "by"),
        pipeline: value(sub, "pipeline"),
        dormant_days: sub.try_get_one::<u32>("dormant").ok().flatten().copied(),
        as_of: value(sub, "as-of"),
        basis: value(sub, "basis"),
        currency: value(sub, "currency"),
    };
    let mut report = crate::app::reports::run(crm, kind, &params)?;
    let format = output::format_of(sub);
    if format == Format::Table {
        // Stages and stored words as the language names them; data formats keep the
        // stored words.
        for (_, rows) in &mut report.tables {
            crate::app::reports::label_rows(kind, rows);
        }
    }
    match format {
        Format::Json => out.one(&report)?,
        Format::Table => {
            for (i, (title, rows)) in report.tables.iter().enumerate() {
                if report.tables.len() > 1 {
                    if i > 0 {
                        out.line("")?;
                    }
                    out.heading(&crate::core::text::capital(&crate::core::text::label_of(
                        "tui.report.table",
                        title,
                    )))?;
                }
                report_rows(out, format, rows)?;
            }
            if !report.totals.is_empty() {
                out.line("")?;
                for (k, v) in report.totals.iter().filter(|(_, v)| !v.is_null()) {
                    out.line(&tr!(
                        "cli.report.total",
                        name = crate::core::text::label_of("tui.report.total", k),
                        value = value_text(v)
                    ))?;
                }
            }
        }
        // Data formats carry the main table (--json has them all).
        _ => report_rows(
            out,
            format,
            report.tables.first().map(|t| &t.1[..]).unwrap_or(&[]),
        )?,
    }
    let empty = report.tables.first().is_none_or(|t| t.1.is_empty());
    Ok(if empty { 1 } else { 0 })
}

fn report_rows(out: &Out, format: Format, rows: &[crate::app::queries::Row]) -> Result<()> {
    let Some(first) = rows.first() else {
        if format == Format::Table {
            out.line(tr!("cli.report.nothing"))?;
        }
        return Ok(());
    };
    let cols: Vec<String> = first.keys().map(String::from).collect();
    out.report_rows(format, &cols, rows, &crate::app::reports::is_amount)
}
