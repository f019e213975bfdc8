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
    // The service report has a command of its own (its --month summary); the others
    // share one shape.
    for k in crate::app::reports::Kind::ALL
        .into_iter()
        .filter(|k| *k != crate::app::reports::Kind::Service)
    {
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
            scoped(
                Command::new(k.name()).about(crate::cli::words::message_or(
                    &format!("cli.help.report.{}.about", k.name()),
                    k.about(),
                )),
                tr!("cli.help.report.common.filter"),
                by_help,
            )
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
    cmd.subcommand(service_command())
}

/// What every report takes: a filter, the period (`--from`, `--to`) and `--by`.
fn scoped(cmd: Command, filter_help: &'static str, by_help: &'static str) -> Command {
    cmd.arg(
        Arg::new("filter")
            .num_args(0..)
            .value_name("FILTER")
            .help(filter_help),
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
        Arg::new("team")
            .long("team")
            .value_name("TEAM")
            .help(tr!("cli.help.report.common.team")),
    )
}

/// `--team NAME`: the report reads only what the team's members (and the teams below it)
/// own.
fn narrow(crm: &mut Crm, sub: &ArgMatches) -> Result<()> {
    if let Some(team) = sub.try_get_one::<String>("team").ok().flatten() {
        let id = crm
            .resolve(crate::model::Entity::Team, team)
            .map_err(|e| e.context("--team"))?;
        crm.narrow_to_team(id)?;
    }
    Ok(())
}

/// `kith report service`: the service desk's report, and with `--month` its monthly
/// summary.
fn service_command() -> Command {
    output::format_args(
        scoped(
            Command::new("service").about(tr!("cli.help.report.service.about")),
            tr!("cli.help.report.service.filter"),
            tr!("cli.help.report.service.by"),
        )
        .arg(
            Arg::new("month")
                .long("month")
                .value_name("YYYY-MM")
                .help(tr!("cli.help.report.service.month")),
        )
        .arg(
            Arg::new("md")
                .long("md")
                .action(clap::ArgAction::SetTrue)
                .conflicts_with_all(["json", "ndjson", "csv", "tsv"])
                .help(tr!("cli.help.report.service.md")),
        ),
    )
}

fn report(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let (name, sub) = m
        .subcommand()
        .ok_or_else(|| Error::invalid(tr!("cli.report.which")))?;
    if name == "service" {
        return service(crm, sub, out);
    }
    let kind = crate::app::reports::Kind::from_name(name)
        .ok_or_else(|| Error::invalid(tr!("cli.report.unknown", name = name)))?;
    narrow(crm, sub)?;
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

/// `kith report service …`: the groups with a total line, or with `--month` the monthly
/// summary; as a table, Markdown (`--md`) or data.
fn service(crm: &mut Crm, sub: &ArgMatches, out: &Out) -> Result<i32> {
    narrow(crm, sub)?;
    let params = crate::app::reports::Params {
        filter: crate::model::query::parse_args(&values(sub, "filter"))?,
        from: value(sub, "from"),
        to: value(sub, "to"),
        by: value(sub, "by"),
        ..Default::default()
    };
    let month = value(sub, "month");
    let mut report = crate::app::service_reports::run(crm, &params, month.as_deref())?;
    let md = sub.get_flag("md");
    let format = output::format_of(sub);
    if format == Format::Json {
        out.one(&report)?;
        return Ok(0);
    }
    if format != Format::Table {
        // Data formats carry the main table (--json has it all).
        report_rows(
            out,
            format,
            report.tables.first().map(|t| &t.1[..]).unwrap_or(&[]),
        )?;
        return Ok(0);
    }
    for (_, rows) in &mut report.tables {
        crate::app::service_reports::label_rows(rows);
        for r in rows.iter_mut() {
            for k in ["due", "done"] {
                if let Some(local) = r
                    .get(k)
                    .and_then(crate::app::queries::Cell::as_str)
                    .and_then(crate::core::clock::local_iso)
                {
                    let shown = local.get(..16).unwrap_or(&local).replacen('T', " ", 1);
                    r.insert(k, crate::app::queries::Cell::from(shown));
                }
            }
        }
    }
    let totals_lines = |report: &crate::app::reports::Report| -> Vec<String> {
        report
            .totals
            .iter()
            .filter(|(k, v)| !v.is_null() && *k != "month")
            .map(|(k, v)| {
                tr!(
                    "cli.report.total",
                    name = crate::core::text::label_of("tui.report.total", k),
                    value = value_text(v)
                )
            })
            .collect()
    };
    match month {
        None => {
            let title = tr!("service_reports.title");
            let mut rows = report
                .tables
                .first()
                .map(|t| t.1.clone())
                .unwrap_or_default();
            // The total line under the groups.
            if let Some(by) = params.by.as_deref() {
                let mut total = crate::app::queries::Row::with_capacity(14);
                total.insert(
                    by.to_string(),
                    crate::app::queries::Cell::from(tr!("service_reports.total")),
                );
                for (k, v) in &report.totals {
                    total.insert(k.clone(), crate::app::queries::Cell::from_json(v));
                }
                rows.push(total);
            }
            if md {
                out.line(&format!("# {title}"))?;
                out.line("")?;
                markdown_table(out, &rows)?;
            } else {
                report_rows(out, format, &rows)?;
            }
        }
        Some(m) => {
            let title = tr!("service_reports.month_title", month = m);
            if md {
                out.line(&format!("# {title}"))?;
                out.line("")?;
                out.line(&format!("## {}", tr!("service_reports.summary")))?;
                out.line("")?;
                for l in totals_lines(&report) {
                    out.line(&format!("- {l}"))?;
                }
            } else {
                out.heading(&title)?;
                for l in totals_lines(&report) {
                    out.line(&l)?;
                }
            }
            for (name, rows) in &report.tables {
                let heading = crate::core::text::label_of("tui.report.table", name);
                out.line("")?;
                if md {
                    out.line(&format!("## {}", crate::core::text::capital(&heading)))?;
                    out.line("")?;
                    markdown_table(out, rows)?;
                } else {
                    out.heading(&crate::core::text::capital(&heading))?;
                    report_rows(out, format, rows)?;
                }
            }
        }
    }
    Ok(0)
}

/// Rows as a Markdown table (a header, its rule, a line per row), or "nothing" for none.
fn markdown_table(out: &Out, rows: &[crate::app::queries::Row]) -> Result<()> {
    let Some(first) = rows.first() else {
        return out.line(tr!("cli.report.nothing"));
    };
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let cols: Vec<String> = first.keys().map(String::from).collect();
    let head: Vec<String> = cols
        .iter()
        .map(|c| cell(&crate::cli::words::report_column_title(c)))
        .collect();
    out.line(&format!("| {} |", head.join(" | ")))?;
    out.line(&format!("|{}|", vec!["---"; cols.len()].join("|")))?;
    for r in rows {
        let line: Vec<String> = cols
            .iter()
            .map(|c| {
                cell(&value_text(
                    &r.get(c).map_or(serde_json::Value::Null, |v| v.to_json()),
                ))
            })
            .collect();
        out.line(&format!("| {} |", line.join(" | ")))?;
    }
    Ok(())
}
