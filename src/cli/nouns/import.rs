//! `kith import …`: records in from files; undo an import.

use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};
use serde_json::Value;

use super::{Noun, Run};
use crate::app::crm::Crm;
use crate::cli::args::{flag, value, values};
use crate::cli::output::{say, Out};
use crate::core::error::{Error, Result};
use crate::model::Entity;
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "import",
    command,
    run: Run::Crm(import),
};

fn command() -> Command {
    Command::new("import")
        .about(tr!("cli.help.import.about"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(import_args(
            Command::new("csv")
                .about(tr!("cli.help.import.csv.about"))
                .long_about(tr!("cli.help.import.csv.long_about"))
                .arg(
                    Arg::new("entity")
                        .long("entity")
                        .required(true)
                        .value_parser(crate::cli::args::record_kinds())
                        .help(tr!("cli.help.import.csv.entity")),
                )
                .arg(
                    Arg::new("map")
                        .long("map")
                        .action(ArgAction::Append)
                        .value_name("SRC=FIELD")
                        .help(tr!("cli.help.import.csv.map")),
                )
                .arg(
                    Arg::new("from")
                        .long("from")
                        .value_name("TOOL")
                        .help(tr!("cli.help.import.csv.from")),
                )
                .arg(
                    Arg::new("map-values")
                        .long("map-values")
                        .action(ArgAction::Append)
                        .value_name("FIELD:FROM=TO,…")
                        .help(tr!("cli.help.import.csv.map_values")),
                )
                .arg(
                    Arg::new("skip-lines")
                        .long("skip-lines")
                        .value_parser(value_parser!(u64))
                        .value_name("N")
                        .help(tr!("cli.help.import.csv.skip_lines")),
                )
                .arg(
                    Arg::new("delimiter")
                        .long("delimiter")
                        .value_name("C")
                        .help(tr!("cli.help.import.csv.delimiter")),
                )
                .arg(
                    Arg::new("encoding")
                        .long("encoding")
                        .value_name("E")
                        .help(tr!("cli.help.import.csv.encoding")),
                )
                .arg(
                    Arg::new("date-format")
                        .long("date-format")
                        .value_name("ORDER")
                        .value_parser(["mdy", "dmy", "ymd"])
                        .help(tr!("cli.help.import.csv.date_format")),
                ),
        ))
        .subcommand(import_args(
            Command::new("vcard")
                .about(tr!("cli.help.import.vcard.about"))
                .long_about(tr!("cli.help.import.vcard.long_about"))
                .arg(
                    Arg::new("encoding")
                        .long("encoding")
                        .value_name("E")
                        .help(tr!("cli.help.import.vcard.encoding")),
                )
                .arg(
                    Arg::new("strict")
                        .long("strict")
                        .action(ArgAction::SetTrue)
                        .help(tr!("cli.help.import.vcard.strict")),
                ),
        ))
        .subcommand(
            Command::new("json")
                .about(tr!("cli.help.import.json.about"))
                .arg(
                    Arg::new("file")
                        .required(true)
                        .value_name("FILE")
                        .help(tr!("cli.help.import.json.file")),
                ),
        )
        .subcommand(
            Command::new("undo")
                .about(tr!("cli.help.import.undo.about"))
                .arg(
                    Arg::new("batch")
                        .required(true)
                        .value_parser(value_parser!(i64))
                        .value_name("BATCH"),
                ),
        )
}

/// What `import csv` and `import vcard` share.
fn import_args(cmd: Command) -> Command {
    cmd.arg(
        Arg::new("file")
            .required(true)
            .value_name("FILE")
            .help(tr!("cli.help.import.common.file")),
    )
    .arg(
        Arg::new("key")
            .long("key")
            .value_name("FIELD")
            .help(tr!("cli.help.import.common.key")),
    )
    .arg(
        Arg::new("create-missing")
            .long("create-missing")
            .action(ArgAction::SetTrue)
            .help(tr!("cli.help.import.common.create_missing")),
    )
    .arg(
        Arg::new("allow-duplicate")
            .long("allow-duplicate")
            .action(ArgAction::SetTrue)
            .help(tr!("cli.help.import.common.allow_duplicate")),
    )
    .arg(
        Arg::new("dry-run")
            .long("dry-run")
            .action(ArgAction::SetTrue)
            .help(tr!("cli.help.import.common.dry_run")),
    )
    .arg(
        Arg::new("skip-invalid")
            .long("skip-invalid")
            .value_name("FILE")
            .help(tr!("cli.help.import.common.skip_invalid")),
    )
    .arg(
        Arg::new("json")
            .long("json")
            .action(ArgAction::SetTrue)
            .help(tr!("cli.help.import.common.json")),
    )
}

fn import(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let (what, sub) = m
        .subcommand()
        .ok_or_else(|| Error::invalid(tr!("cli.import.what")))?;
    match what {
        "json" => {
            let file = value(sub, "file").unwrap_or_default();
            let text = read_input(&file)?;
            let doc: Value = serde_json::from_str(&text).map_err(|e| {
                Error::invalid(tr!("cli.import.not_json", file = file, problem = e))
            })?;
            let n = crm.load_dump(&doc)?;
            eprintln!("{}", tr!("cli.import.loaded", n = n, file = file));
            Ok(0)
        }
        "csv" | "vcard" => import_records(crm, what, sub, out),
        "undo" => {
            let batch = sub.get_one::<i64>("batch").copied().unwrap_or(0);
            let done = crm.undo_batch(batch)?;
            eprintln!(
                "{}",
                tr!(
                    "cli.import.undone",
                    batch = batch,
                    changes = done.steps.len()
                )
            );
            Ok(0)
        }
        other => Err(Error::invalid(tr!("cli.import.cannot", what = other))),
    }
}

fn import_records(crm: &mut Crm, what: &str, m: &ArgMatches, out: &Out) -> Result<i32> {
    use crate::io::import::{self, source};
    use std::io::IsTerminal;
    let file = value(m, "file").unwrap_or_default();
    crm.env.allow_duplicates = flag(m, "allow-duplicate");
    let mut opts = import::Options {
        entity: value(m, "entity").and_then(|e| Entity::from_name(&e)),
        key: value(m, "key"),
        create_missing: flag(m, "create-missing"),
        skip_invalid: value(m, "skip-invalid").is_some(),
        dry_run: flag(m, "dry-run"),
        strict: what == "vcard" && flag(m, "strict"),
        date_format: match what {
            "csv" => value(m, "date-format")
                .map(|d| import::dates::DateOrder::parse(&d))
                .transpose()?,
            _ => None,
        },
        ..import::Options::default()
    };
    for spec in values(m, "map-values") {
        opts.map_values
            .push(import::values::parse_map_values(&spec)?);
    }
    for spec in values(m, "map") {
        opts.map
            .push(source::parse_map(&spec).map_err(|e| e.context("--map"))?);
    }
    // vCards: the encoding of the bytes without a CHARSET, if given; any encoding_rs label.
    let vcard_encoding = match (what, value(m, "encoding")) {
        ("vcard", Some(e)) => Some(
            encoding_rs::Encoding::for_label(e.trim().as_bytes())
                .ok_or_else(|| Error::invalid(tr!("cli.import.unknown_encoding", encoding = e)))?,
        ),
        _ => None,
    };
    // Open the input first: its header row heads the --skip-invalid file.
    enum Input {
        Csv(Box<source::Source>),
        Vcard(Vec<u8>),
    }
    let input = match what {
        "csv" => {
            let src_opts = source::Options {
                encoding: value(m, "encoding")
                    .map(|e| source::Encoding::parse(&e))
                    .transpose()
                    .map_err(|e| e.context("--encoding"))?,
                delimiter: value(m, "delimiter").map(|d| delimiter(&d)).transpose()?,
                skip_lines: m.get_one::<u64>("skip-lines").copied().unwrap_or(0),
            };
            let src = source::Source::open_path(&file, &src_opts)?;
            opts.preset = match value(m, "from") {
                Some(name) => import::presets::by_name(&name)?,
                None => {
                    let found = import::presets::detect(src.headers());
                    if let Some(p) = found {
                        eprintln!(
                            "{}",
                            tr!("cli.import.preset_detected", title = p.title, name = p.name)
                        );
                    }
                    found
                }
            };
            Input::Csv(Box::new(src))
        }
        _ => Input::Vcard(read_bytes(&file)?),
    };
    let headers: Vec<String> = match &input {
        Input::Csv(src) => src.headers().to_vec(),
        Input::Vcard(_) => vec!["name".into()],
    };
    // Rejected rows: told on stderr (the first 50), and kept in the --skip-invalid file,
    // which starts with the input's header row and the line and reason columns. Rejected
    // vCards are written whole, as they are in the file, each after a line with its reason
    // (text between cards, which a vCard reader passes over).
    let vcards = matches!(input, Input::Vcard(_));
    let mut skipped = match value(m, "skip-invalid") {
        Some(path) if vcards => Some((Out::to_file(&path)?, path)),
        Some(path) => {
            let w = Out::to_file(&path)?;
            let mut head = csv::WriterBuilder::new().from_writer(vec![]);
            let mut h = headers.clone();
            h.extend(["line".to_string(), "reason".to_string()]);
            head.write_record(&h)
                .map_err(|e| Error::failed(e.to_string()))?;
            let bytes = head
                .into_inner()
                .map_err(|e| Error::failed(e.to_string()))?;
            w.text(&String::from_utf8_lossy(&bytes))?;
            Some((w, path))
        }
        None => None,
    };
    let mut told = 0usize;
    let mut failure: Option<Error> = None;
    let progress = indicatif::ProgressBar::new_spinner();
    if !std::io::stderr().is_terminal() {
        progress.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut on_reject = |r: &import::Rejected| {
        if told < 50 {
            let reason = rejected_reason(r);
            progress.suspend(|| say(&reason));
        } else if told == 50 {
            progress.suspend(|| eprintln!("{}", tr!("cli.import.more_rejected")));
        }
        told += 1;
        if let (true, Some((w, _))) = (vcards, skipped.as_ref()) {
            let mut text = format!("{}\r\n", rejected_reason(r)).into_bytes();
            text.extend_from_slice(&r.raw);
            if !r.raw.ends_with(b"\n") {
                text.extend_from_slice(b"\r\n");
            }
            if let Err(e) = w.bytes(&text) {
                failure.get_or_insert(e);
            }
        } else if let Some((w, _)) = skipped.as_mut() {
            let mut rec = csv::WriterBuilder::new().from_writer(vec![]);
            let mut cells = r.cells.clone();
            cells.resize(headers.len().max(cells.len()), String::new());
            cells.push(r.line.to_string());
            cells.push(match &r.column {
                Some(c) => tr!("cli.import.column_reason", column = c, reason = r.reason),
                None => r.reason.clone(),
            });
            let _ = rec.write_record(&cells);
            if let Ok(bytes) = rec.into_inner() {
                if let Err(e) = w.text(&String::from_utf8_lossy(&bytes)) {
                    failure.get_or_insert(e);
                }
            }
        }
    };
    let on_progress = |line: u64| {
        if line.is_multiple_of(500) {
            progress.set_message(tr!("cli.import.progress", line = line));
            progress.tick();
        }
    };
    let result = match input {
        Input::Csv(src) => import::import_csv(crm, *src, &opts, &mut on_reject, on_progress),
        Input::Vcard(bytes) => {
            let name = if file == "-" {
                tr!("cli.import.stdin")
            } else {
                file.as_str()
            };
            import::vcard::import_vcard(
                crm,
                name,
                &bytes,
                vcard_encoding,
                &opts,
                &mut on_reject,
                on_progress,
            )
        }
    };
    progress.finish_and_clear();
    if let Some(e) = failure {
        return Err(e);
    }
    if let Some((w, path)) = skipped {
        w.finish()?;
        if told > 0 {
            eprintln!("{}", tr!("cli.import.rejected_written", path = path));
        }
    }
    let summary = result?;
    for w in summary.warnings.iter().take(50) {
        say(w);
    }
    if summary.warnings.len() > 50 {
        eprintln!("{}", tr!("cli.import.more_warnings"));
    }
    if flag(m, "json") {
        out.one(&summary)?;
    } else {
        let mut line = if summary.dry_run {
            tr!(
                "cli.import.summary_dry_run",
                created = summary.created,
                updated = summary.updated,
                unchanged = summary.unchanged,
                rejected = summary.rejected
            )
        } else {
            tr!(
                "cli.import.summary",
                created = summary.created,
                updated = summary.updated,
                unchanged = summary.unchanged,
                rejected = summary.rejected
            )
        };
        if summary.with_warnings > 0 {
            line.push_str(&tr!(
                "cli.import.summary_warnings",
                n = summary.with_warnings
            ));
        }
        if summary.created_missing > 0 {
            line.push_str(&tr!(
                "cli.import.summary_created_missing",
                n = summary.created_missing
            ));
        }
        if let Some(b) = summary.batch.filter(|_| !summary.dry_run) {
            line.push_str(&tr!("cli.import.summary_batch", batch = b));
        }
        out.line(&line)?;
    }
    if summary.rejected > 0 {
        for u in &summary.unknown_values {
            eprintln!("{}", import::values::describe(u));
        }
    }
    if !summary.ignored_columns.is_empty() {
        eprintln!(
            "{}",
            tr!(
                "cli.import.ignored_columns",
                columns = summary.ignored_columns.join(", ")
            )
        );
    }
    Ok(if summary.rejected > 0 && summary.dry_run {
        2
    } else {
        0
    })
}

/// Where a rejected row is: `line N` of a CSV file; `card N, line M` of a vCard file.
fn place(r: &crate::io::import::Rejected) -> String {
    match r.card {
        Some(card) => tr!("cli.import.place_card", card = card, line = r.line),
        None => tr!("cli.import.place_line", line = r.line),
    }
}

/// Why a row was rejected, with where it is: `line 3, column email: …`.
fn rejected_reason(r: &crate::io::import::Rejected) -> String {
    match &r.column {
        Some(c) => tr!(
            "cli.import.rejected_at_column",
            place = place(r),
            column = c,
            reason = r.reason
        ),
        None => tr!("cli.import.rejected", place = place(r), reason = r.reason),
    }
}

/// `--delimiter`: one character, or \t / tab.
fn delimiter(d: &str) -> Result<u8> {
    match d {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        s if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(Error::invalid(tr!(
            "cli.import.bad_delimiter",
            delimiter = d
        ))),
    }
}

/// A whole file's bytes, or stdin's for `-`.
fn read_bytes(file: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    if file == "-" {
        std::io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(file)
            .map_err(|e| Error::invalid(tr!("cli.cannot_read", file = file, problem = e)))?;
    }
    Ok(bytes)
}

/// A whole file, or stdin for `-`.
fn read_input(file: &str) -> Result<String> {
    use std::io::Read;
    let mut text = String::new();
    if file == "-" {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(file)
            .map_err(|e| Error::invalid(tr!("cli.cannot_read", file = file, problem = e)))?;
    }
    Ok(text)
}
