//! The verbs every kind of record has, shared by the record nouns: the commands built from
//! the model (every field of a kind is an option of `add` and `edit` and a column of
//! `list`, without being listed here again) and their handlers, each one library call whose
//! answer goes to the output formatter. No SQL and no rules live here.

use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};
use serde_json::{json, Map, Value};

use super::args::{flag, value, values};
use super::output::{self, Format, Out};
use super::words::{a_kind, kind, kinds};
use crate::app::crm::{Crm, Input, Overview};
use crate::app::queries::ListQuery;
use crate::core::error::{Error, Result};
use crate::domain::sales::activities::FollowUp;
use crate::model::custom::Custom;
use crate::model::record::{value_text, Record};
use crate::model::{Entity, Field, Ty};
use crate::tr;

/// A verb taking one or more records (`rm`, `restore`, `task done`).
pub fn refs(name: &'static str, about: String) -> Command {
    Command::new(name).about(about).arg(
        Arg::new("ref")
            .required(true)
            .num_args(1..)
            .value_name("REF")
            .help(tr!("cli.help.record.ref")),
    )
}

/// A verb taking one record, with the output formats (`show`, `history`).
fn one_ref(name: &'static str, about: String) -> Command {
    output::format_args(
        Command::new(name).about(about).arg(
            Arg::new("ref")
                .required(true)
                .value_name("REF")
                .help(tr!("cli.help.record.ref")),
        ),
    )
}

/// A record noun's command: `kith <kind>` with the verbs every kind of record has (add, list,
/// show, edit, rm, restore, history). A noun with verbs of its own adds them after these.
pub fn noun(e: Entity, about: &'static str) -> Command {
    let cmd = verbs(e, about);
    if Entity::RECORDS.contains(&e) && e.owner_field().is_some() {
        return super::sharing::verbs(cmd);
    }
    cmd
}

fn verbs(e: Entity, about: &'static str) -> Command {
    Command::new(e.name())
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(add_command(e))
        .subcommand(list_command(e))
        .subcommand(one_ref(
            "show",
            tr!("cli.help.record.show.about", kind = kind(e)),
        ))
        .subcommand(edit_command(e))
        .subcommand(refs(
            "rm",
            tr!("cli.help.record.rm.about", kinds = kinds(e)),
        ))
        .subcommand(refs(
            "restore",
            tr!("cli.help.record.restore.about", kinds = kinds(e)),
        ))
        .subcommand(one_ref(
            "history",
            tr!("cli.help.record.history.about", kind = kind(e)),
        ))
}

/// The option name of a field: `--close` for expected_close, `--email` for emails …
pub fn flag_name(f: &Field) -> String {
    match f.name {
        "expected_close" => "close".into(),
        "emails" => "email".into(),
        "phones" => "phone".into(),
        "tags" => "tag".into(),
        n => n.replace('_', "-"),
    }
}

pub fn field_help(f: &Field) -> String {
    let what = match f.ty {
        Ty::Text => tr!("cli.help.field.text").to_string(),
        Ty::LongText => tr!("cli.help.field.long_text").to_string(),
        Ty::Int { min, max } => tr!("cli.help.field.int", min = min, max = max),
        Ty::Money => tr!("cli.help.field.money").to_string(),
        Ty::Percent => tr!("cli.help.field.percent").to_string(),
        Ty::Quantity => tr!("cli.help.field.quantity").to_string(),
        Ty::ExchangeRate => tr!("cli.help.field.exchange_rate").to_string(),
        Ty::Date => tr!("cli.help.field.date").to_string(),
        Ty::When => tr!("cli.help.field.when").to_string(),
        Ty::Stamp => tr!("cli.help.field.stamp").to_string(),
        Ty::Bool => tr!("cli.help.field.bool").to_string(),
        Ty::Enum(c) => tr!("cli.help.field.enum", choices = c.join(", ")),
        // `--account`: its label says the kind already.
        Ty::Ref(t) if f.name == t.name() => tr!("cli.help.field.ref_same").to_string(),
        Ty::Ref(t) => tr!("cli.help.field.ref", a_kind = a_kind(t)),
        Ty::List { .. } => tr!("cli.help.field.list").to_string(),
        Ty::Tags => tr!("cli.help.field.tags").to_string(),
        Ty::Email => tr!("cli.help.field.email").to_string(),
        Ty::Phone => tr!("cli.help.field.phone").to_string(),
        Ty::Currency => tr!("cli.help.field.currency").to_string(),
    };
    tr!(
        "cli.help.field.line",
        field = super::words::field(f.name),
        what = what
    )
}

/// `--field VALUE` options for every settable field, except those in `skip`.
fn field_args(mut cmd: Command, e: Entity, skip: &[&str]) -> Command {
    for f in e
        .fields()
        .iter()
        .filter(|f| !f.system && !skip.contains(&f.name))
    {
        let multi = matches!(f.ty, Ty::List { .. } | Ty::Tags);
        let mut arg = Arg::new(f.name)
            .long(flag_name(f))
            .value_name(f.name.to_uppercase())
            .help(field_help(f))
            .action(if multi {
                ArgAction::Append
            } else {
                ArgAction::Set
            });
        if f.name == "expected_close" {
            arg = arg.alias("expected-close");
        }
        // `--role rep` as `--roles rep, manager`.
        if f.name == "roles" {
            arg = arg.visible_alias("role");
        }
        cmd = cmd.arg(arg);
    }
    cmd.arg(
        Arg::new("field")
            .long("field")
            .value_name("NAME=VALUE")
            .action(ArgAction::Append)
            .help(tr!("field.help.set")),
    )
}

/// `--name VALUE` options for the custom fields of `e` (added to the tree when a command
/// line names one: see `cli::main`).
pub fn custom_args(mut cmd: Command, e: Entity, custom: &Custom) -> Command {
    for f in custom.of(e) {
        let multi = f.ty == Ty::Tags;
        let mut help = field_help(f);
        if let Some(l) = custom.label(e, f.name) {
            help = format!("{l} ({help})");
        }
        cmd = cmd.arg(
            Arg::new(f.name)
                .long(flag_name(f))
                .value_name(f.name.to_uppercase())
                .help(help)
                .action(if multi {
                    ArgAction::Append
                } else {
                    ArgAction::Set
                }),
        );
    }
    cmd
}

pub fn add_command(e: Entity) -> Command {
    let label = e.label_field();
    let mut cmd = Command::new("add").about(tr!("cli.help.record.add.about", a_kind = a_kind(e)));
    let mut skip = vec![label];
    if e == Entity::Activity {
        skip.push("kind");
        cmd = cmd.arg(
            Arg::new("kind")
                .required(true)
                .value_name("KIND")
                .help(tr!("cli.help.record.kind")),
        );
    }
    cmd = cmd.arg(
        Arg::new(label)
            .required(true)
            .value_name(label.to_uppercase()),
    );
    cmd = field_args(cmd, e, &skip);
    if e == Entity::Task {
        cmd = repeat_args(cmd);
    }
    if matches!(e, Entity::Account | Entity::Contact | Entity::Lead) {
        cmd = cmd.arg(
            Arg::new("allow-duplicate")
                .long("allow-duplicate")
                .action(ArgAction::SetTrue)
                .help(tr!("cli.help.record.allow_duplicate")),
        );
    }
    if e == Entity::Activity {
        cmd = cmd
            .arg(
                Arg::new("next")
                    .long("next")
                    .value_name("TEXT")
                    .help(tr!("cli.help.record.next")),
            )
            .arg(
                Arg::new("due")
                    .long("due")
                    .value_name("WHEN")
                    .requires("next")
                    .help(tr!("cli.help.record.due")),
            );
    }
    cmd
}

/// `--repeat` and `--chain` for tasks.
fn repeat_args(cmd: Command) -> Command {
    cmd.arg(
        Arg::new("repeat")
            .long("repeat")
            .value_name("SPEC")
            .help(tr!("cli.help.record.repeat")),
    )
    .arg(
        Arg::new("chain")
            .long("chain")
            .value_name("DURATION")
            .conflicts_with("repeat")
            .help(tr!("cli.help.record.chain")),
    )
}

fn edit_command(e: Entity) -> Command {
    let cmd = Command::new("edit")
        .about(tr!("cli.help.record.edit.about", kind = kind(e)))
        .arg(Arg::new("ref").required(true).value_name("REF"))
        .arg_required_else_help(true);
    let cmd = if e == Entity::Task {
        repeat_args(cmd)
    } else {
        cmd
    };
    let cmd = field_args(cmd, e, &[]);
    if e.field("tags").is_none() {
        return cmd;
    }
    cmd.arg(
        Arg::new("untag")
            .long("untag")
            .action(ArgAction::Append)
            .value_name("TAG")
            .help(tr!("cli.help.record.untag")),
    )
    .mut_arg("tags", |a| a.help(tr!("cli.help.record.edit.tags")))
}

pub(crate) fn list_command(e: Entity) -> Command {
    output::format_args(
        Command::new("list")
            .about(tr!("cli.help.record.list.about", kinds = kinds(e)))
            .long_about(tr!(
                "cli.help.record.list.long_about",
                kinds = kinds(e),
                fields = e.field_names().join(", ")
            ))
            .arg(Arg::new("filter").num_args(0..).value_name("FILTER"))
            .arg(
                Arg::new("sort")
                    .long("sort")
                    .value_name("FIELDS")
                    .help(tr!("cli.help.record.list.sort")),
            )
            .arg(
                Arg::new("limit")
                    .long("limit")
                    .value_parser(value_parser!(usize))
                    .value_name("N")
                    .help(tr!("cli.help.record.list.limit")),
            )
            .arg(
                Arg::new("offset")
                    .long("offset")
                    .value_parser(value_parser!(usize))
                    .value_name("N")
                    .help(tr!("cli.help.record.list.offset")),
            )
            .arg(
                Arg::new("collate")
                    .long("collate")
                    .value_name("HOW")
                    .value_parser(["pinyin", "unicode"])
                    .default_value("pinyin")
                    .help(tr!("cli.help.record.list.collate")),
            )
            .arg(
                Arg::new("trash")
                    .long("trash")
                    .action(ArgAction::SetTrue)
                    .help(tr!("cli.help.record.list.trash")),
            )
            .arg(
                Arg::new("columns")
                    .long("columns")
                    .value_name("FIELDS")
                    .help(tr!("cli.help.record.list.columns")),
            ),
    )
    .arg(output::headers_arg(Some("sheet")))
}

/// Run a generic record verb on `kith <kind> <verb>`.
pub fn run(crm: &mut Crm, e: Entity, m: &ArgMatches, out: &Out) -> Result<i32> {
    let (verb, m) = m
        .subcommand()
        .ok_or_else(|| Error::invalid(tr!("cli.record.give_a_verb")))?;
    match verb {
        "add" => add(crm, e, m),
        "list" => list(crm, e, m, out),
        "show" => show(crm, e, m, out),
        "edit" => edit(crm, e, m),
        "rm" => trash(crm, e, m, true),
        "restore" => trash(crm, e, m, false),
        "history" => history(crm, e, m, out),
        "share" | "unshare" => super::sharing::run(crm, e, verb, m),
        _ => Err(Error::invalid(tr!(
            "cli.unknown_command",
            name = format!("{e} {verb}")
        ))),
    }
}

/// The field values given as options.
pub(crate) fn input_of(crm: &Crm, e: Entity, m: &ArgMatches) -> Result<Input> {
    let mut input = Input::new();
    for f in e.fields().iter().filter(|f| !f.system) {
        for v in values(m, f.name) {
            if f.ty == Ty::Tags {
                input.tags_add.push(v);
            } else {
                input.set(f.name, v);
            }
        }
    }
    for f in crm.custom().of(e) {
        for v in values(m, f.name) {
            input.set(f.name, v);
        }
    }
    for given in values(m, "field") {
        let (name, v) = given.split_once('=').ok_or_else(|| {
            Error::invalid(crate::tr!("field.value.form", given = given.as_str()))
        })?;
        input.set(name.trim(), v);
    }
    input.tags_remove = values(m, "untag");
    if e == Entity::Task {
        for k in ["repeat", "chain"] {
            if let Some(v) = value(m, k) {
                input.set(k, v);
            }
        }
    }
    Ok(input)
}

pub fn add(crm: &mut Crm, e: Entity, m: &ArgMatches) -> Result<i32> {
    let input = input_of(crm, e, m)?;
    crm.env.allow_duplicates = flag(m, "allow-duplicate");
    let id = if e == Entity::Activity {
        let next = value(m, "next").map(|title| FollowUp {
            title,
            due: value(m, "due"),
            priority: None,
        });
        let (id, task) = crm.log_activity(&input, next.as_ref())?;
        if let Some(t) = task {
            eprintln!("{}", tr!("cli.record.follow_up_created", id = t));
        }
        id
    } else {
        crm.create(e, &input)?
    };
    println!("{id}");
    Ok(0)
}

fn edit(crm: &mut Crm, e: Entity, m: &ArgMatches) -> Result<i32> {
    let id = crm.resolve(e, &value(m, "ref").unwrap_or_default())?;
    let input = input_of(crm, e, m)?;
    if input.is_empty() {
        return Err(Error::invalid(tr!(
            "cli.record.nothing_to_change",
            option = flag_name(e.field(e.label_field()).expect("label field"))
        )));
    }
    if !crm.update(e, id, &input)? {
        eprintln!(
            "{}",
            tr!("cli.record.nothing_changed", kind = kind(e), id = id)
        );
    }
    Ok(0)
}

fn trash(crm: &mut Crm, e: Entity, m: &ArgMatches, to_trash: bool) -> Result<i32> {
    let mut ids = Vec::new();
    for r in values(m, "ref") {
        let id = if to_trash {
            crm.resolve(e, &r)?
        } else {
            crm.resolve_trashed(e, &r)?
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if to_trash {
        crm.trash(e, &ids)?;
    } else {
        crm.restore(e, &ids)?;
    }
    for id in ids {
        if to_trash {
            eprintln!("{}", tr!("cli.record.trashed", kind = kind(e), id = id));
        } else {
            eprintln!("{}", tr!("cli.record.restored", kind = kind(e), id = id));
        }
    }
    Ok(0)
}

/// The query a list command's filter and options ask for: the filter, `--sort`,
/// `--limit`, `--offset`, `--trash`, `--collate`.
pub(crate) fn list_query_of(m: &ArgMatches) -> Result<ListQuery> {
    let filter = crate::model::query::parse_args(&values(m, "filter"))?;
    let sort = match value(m, "sort") {
        Some(s) => crate::model::query::parse_sort(&s).map_err(|e| {
            Error::invalid(tr!("cli.option_problem", option = "--sort", problem = e))
        })?,
        None => vec![],
    };
    Ok(ListQuery {
        filter,
        sort,
        limit: m.get_one::<usize>("limit").copied(),
        offset: m.get_one::<usize>("offset").copied().unwrap_or(0),
        trash: flag(m, "trash"),
        collate: value(m, "collate")
            .and_then(|c| crate::app::queries::Collate::parse(&c))
            .unwrap_or_default(),
    })
}

fn list(crm: &mut Crm, e: Entity, m: &ArgMatches, out: &Out) -> Result<i32> {
    let q = list_query_of(m)?;
    let records = crm.list(e, &q)?;
    let format = output::format_of(m);
    let mut columns = columns(crm.custom(), e, m, format)?;
    columns.retain(|c| !crm.field_hidden(e, c));
    let zh = value(m, "headers").as_deref() == Some("zh");
    print_records_headed(
        out,
        crm.custom(),
        format,
        &columns,
        &records,
        zh.then_some(e),
    )?;
    if records.is_empty() {
        if format == Format::Table {
            eprintln!("{}", tr!("cli.record.none_match", kinds = kinds(e)));
        }
        return Ok(1);
    }
    Ok(0)
}

/// The columns to print: `--columns`, else the kind's table columns, else (data formats)
/// every field.
fn columns(custom: &Custom, e: Entity, m: &ArgMatches, format: Format) -> Result<Vec<String>> {
    if let Some(spec) = value(m, "columns") {
        let mut cols = Vec::new();
        for c in spec.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let known = custom.field(e, c).is_some()
                || e.fields()
                    .iter()
                    .any(|f| matches!(f.ty, Ty::List { first, .. } if first == c));
            if !known {
                return Err(Error::invalid(tr!(
                    "cli.record.unknown_column",
                    field = c,
                    kinds = kinds(e),
                    fields = custom.field_names(e).join(", ")
                )));
            }
            // A reference shows its name (`account_id` asks for the id); `email` is the
            // first of a contact's emails, `emails` all of them.
            let c = c.to_lowercase();
            let first_of_list = e
                .fields()
                .iter()
                .any(|f| matches!(f.ty, Ty::List { first, .. } if first == c));
            cols.push(match custom.field(e, &c) {
                _ if first_of_list => c,
                Some(f) if f.id_key() == c => f.id_key(),
                Some(f) => f.name.to_string(),
                None => c,
            });
        }
        return Ok(cols);
    }
    Ok(match format {
        Format::Table => e
            .list_columns()
            .into_iter()
            .map(|c| match c {
                "emails" => "email".to_string(),
                "phones" => "phone".to_string(),
                other => other.to_string(),
            })
            .collect(),
        _ => vec![],
    })
}

pub fn print_records(
    out: &Out,
    custom: &Custom,
    format: Format,
    columns: &[String],
    records: &[Record],
) -> Result<()> {
    print_records_headed(out, custom, format, columns, records, None)
}

/// A value of a field of fixed values or a yes/no field as its label
/// ([`crate::model::record::choice_label`]), the name of a record kith made itself (a
/// default stage) as the language names it ([`crate::model::record::name_label`]); any
/// other value as it is.
fn choice_shown(r: &Record, field: &str, v: Value) -> Value {
    let word = match (&v, r.entity.field(field).map(|f| f.ty)) {
        (Value::String(s), Some(Ty::Enum(_))) => s.as_str(),
        (Value::Bool(true), Some(Ty::Bool)) => "yes",
        (Value::Bool(false), Some(Ty::Bool)) => "no",
        (Value::String(s), Some(Ty::Ref(target))) => {
            return Value::String(crate::model::record::name_label(target, s))
        }
        (Value::String(s), _) if field == r.entity.label_field() => {
            return Value::String(crate::model::record::name_label(r.entity, s))
        }
        _ => return v,
    };
    Value::String(crate::model::record::choice_label(r.entity, field, word))
}

/// [`print_records`], with CSV and TSV headed by the Chinese column names `kith import csv`
/// reads back when `zh` gives the records' kind (`--headers zh`).
pub fn print_records_headed(
    out: &Out,
    custom: &Custom,
    format: Format,
    columns: &[String],
    records: &[Record],
    zh: Option<Entity>,
) -> Result<()> {
    match format {
        Format::Json | Format::Ndjson if columns.is_empty() => out.json(format, records),
        _ => {
            let cols: Vec<String> = if columns.is_empty() {
                records
                    .first()
                    .map(|r| r.fields.keys().cloned().collect())
                    .unwrap_or_else(|| vec!["id".to_string()])
            } else {
                columns.to_vec()
            };
            // A table shows a field of fixed values by its label in the language (进行中 for
            // `open`); the data formats keep the stored word.
            let labelled = format == Format::Table && crate::core::text::language() != "en";
            let rows: Vec<Vec<Value>> = records
                .iter()
                .map(|r| {
                    cols.iter()
                        .map(|c| {
                            let v = r.fields.get(c).cloned().unwrap_or(Value::Null);
                            if labelled {
                                choice_shown(r, c, v)
                            } else {
                                v
                            }
                        })
                        .collect()
                })
                .collect();
            if format == Format::Table && records.is_empty() {
                return Ok(());
            }
            // A table shows amounts as the run says (1,280,000 or 128万).
            let entity = records.first().map(|r| r.entity);
            let is_amount = |c: &str| {
                entity
                    .and_then(|e| custom.field(e, c))
                    .is_some_and(|f| f.ty == Ty::Money)
            };
            let titles: Vec<String> = match zh {
                Some(e) if matches!(format, Format::Csv | Format::Tsv) => cols
                    .iter()
                    .map(|c| crate::io::import::chinese_headers::title(e, custom, c))
                    .collect(),
                _ => cols,
            };
            // A cell the encoding cannot write is named by its record.
            let place = |i: usize| {
                let r = &records[i];
                tr!(
                    "export.place_record",
                    kind = r.entity.label(),
                    id = r.id(),
                    name = r.label()
                )
            };
            out.rows_with(format, &titles, &rows, &is_amount, &place)
        }
    }
}

fn show(crm: &mut Crm, e: Entity, m: &ArgMatches, out: &Out) -> Result<i32> {
    let id = crm.find(e, &value(m, "ref").unwrap_or_default())?;
    let ov = crm.overview(e, id)?;
    let format = output::format_of(m);
    match format {
        Format::Json | Format::Ndjson => {
            let mut obj = ov.record.fields.clone();
            for (name, recs) in &ov.related {
                obj.insert(
                    (*name).to_string(),
                    serde_json::to_value(recs).unwrap_or(Value::Null),
                );
            }
            if crate::app::commerce::has_lines(e) {
                let sheet = crm.sheet(e, id)?;
                if e != Entity::Deal || !sheet.lines.is_empty() {
                    obj.insert(
                        "lines".into(),
                        Value::Array(super::lines::lines_json(&sheet)),
                    );
                    obj.insert("totals".into(), super::lines::totals_json(&sheet));
                }
            }
            if crate::app::commerce::owed_via(e).is_some() {
                obj.insert("owed".into(), Value::Array(owed_json(&ov.owed)));
            }
            if e == Entity::Deal {
                obj.insert(
                    "stage_history".into(),
                    serde_json::to_value(&ov.stage_history).unwrap_or(Value::Null),
                );
            }
            if format == Format::Ndjson {
                out.json(format, &[Value::Object(obj)])
            } else {
                out.one(&Value::Object(obj))
            }?;
        }
        Format::Csv | Format::Tsv => print_records(out, crm.custom(), format, &[], &[ov.record])?,
        Format::Table => {
            show_table(out, crm.custom(), e, &ov)?;
            if crate::app::commerce::has_lines(e) {
                let sheet = crm.sheet(e, id)?;
                if e != Entity::Deal || !sheet.lines.is_empty() {
                    out.line("")?;
                    out.heading(&super::words::related("lines", sheet.lines.len()))?;
                    super::lines::print_table(out, &sheet)?;
                }
            }
        }
    }
    Ok(0)
}

/// A section of `show` after the fields: a blank line, its heading, and a table headed by
/// the catalog's words of `columns`.
fn section(out: &Out, heading: &str, columns: &[&str], rows: &[Vec<Value>]) -> Result<()> {
    out.line("")?;
    out.heading(heading)?;
    let titles: Vec<String> = columns
        .iter()
        .map(|c| crate::core::text::t(c).to_string())
        .collect();
    out.table(&titles, rows, true)
}

/// What an account or a deal is owed, a currency at a time, as `show --json` gives it.
fn owed_json(owed: &[crate::app::crm::Owed]) -> Vec<Value> {
    owed.iter()
        .map(|o| {
            json!({
                "currency": o.currency,
                "open": o.open.to_json(),
                "overdue": o.overdue.to_json(),
                "items": o.items,
                "overdue_items": o.overdue_items,
            })
        })
        .collect()
}

fn show_table(out: &Out, custom: &Custom, e: Entity, ov: &Overview) -> Result<()> {
    let r = &ov.record;
    let heading = if r.is_trashed() {
        tr!(
            "cli.show.heading_trashed",
            kind = kind(e),
            id = r.id(),
            label = r.label()
        )
    } else {
        tr!(
            "cli.show.heading",
            kind = kind(e),
            id = r.id(),
            label = r.label()
        )
    };
    out.heading(&heading)?;
    let mut rows = Vec::new();
    for f in custom.fields(e) {
        if f.name == e.label_field() {
            continue;
        }
        let v = r.fields.get(f.name).cloned().unwrap_or(Value::Null);
        let empty = v.is_null() || v.as_array().is_some_and(|a| a.is_empty()) || v == json!("");
        if empty {
            continue;
        }
        let shown = match f.ty {
            Ty::Ref(target) => Value::String(format!(
                "{} (#{})",
                crate::model::record::name_label(target, &value_text(&v)),
                r.i64(&f.id_key()).unwrap_or(0)
            )),
            Ty::Money => Value::String(
                crate::core::money::Money::from_json(&v)
                    .map(crate::core::money::Money::shown)
                    .unwrap_or_else(|| value_text(&v)),
            ),
            Ty::Percent => Value::String(format!("{}%", value_text(&v))),
            // Text, so that numbers line up with the other values; fixed values and yes/no
            // as the language says them.
            _ => Value::String(value_text(&choice_shown(r, f.name, v))),
        };
        let name = match custom.label(e, f.name) {
            Some(l) if f.custom => l.to_string(),
            _ => super::words::field(f.name),
        };
        rows.push(vec![Value::String(name), shown]);
    }
    for (k, label) in [
        ("created_at", tr!("cli.show.created")),
        ("updated_at", tr!("cli.show.updated")),
        ("deleted_at", tr!("cli.show.trashed")),
    ] {
        if let Some(v) = r.get(k) {
            rows.push(vec![Value::String(label.into()), v.clone()]);
        }
    }
    out.table(
        &[tr!("cli.show.field").into(), tr!("cli.show.value").into()],
        &rows,
        false,
    )?;
    if !ov.stage_history.is_empty() {
        let rows: Vec<Vec<Value>> = ov
            .stage_history
            .iter()
            .map(|s| {
                vec![
                    json!(s.at),
                    json!(s
                        .from
                        .as_deref()
                        .map(|f| crate::model::record::name_label(Entity::Stage, f))
                        .unwrap_or_default()),
                    json!(crate::model::record::name_label(Entity::Stage, &s.to)),
                    json!(s.user),
                ]
            })
            .collect();
        section(
            out,
            tr!("cli.show.stage_history"),
            &[
                "cli.show.stage_at",
                "cli.show.stage_from",
                "cli.show.stage_to",
                "cli.show.stage_by",
            ],
            &rows,
        )?;
    }
    if !ov.owed.is_empty() {
        let rows: Vec<Vec<Value>> = ov
            .owed
            .iter()
            .map(|o| {
                vec![
                    json!(o.currency),
                    json!(o.open.shown()),
                    json!(o.overdue.shown()),
                    json!(o.items),
                    json!(o.overdue_items),
                ]
            })
            .collect();
        section(
            out,
            tr!("cli.show.owed"),
            &[
                "cli.show.owed_currency",
                "cli.show.owed_open",
                "cli.show.owed_overdue",
                "cli.show.owed_items",
                "cli.show.owed_overdue_items",
            ],
            &rows,
        )?;
    }
    // A document's lines are printed with its totals, after the rest.
    for (name, recs) in ov
        .related
        .iter()
        .filter(|(n, recs)| *n != "lines" && crate::app::commerce::section_shown(n, recs.len()))
    {
        out.line("")?;
        out.heading(&super::words::related(name, recs.len()))?;
        if let Some(first) = recs.first() {
            let cols: Vec<String> = first
                .entity
                .list_columns()
                .into_iter()
                .filter(|c| {
                    !(*c == "account" && e == Entity::Account) && *c != "owner" && *c != "tags"
                })
                .map(|c| match c {
                    "emails" => "email".to_string(),
                    "phones" => "phone".to_string(),
                    o => o.to_string(),
                })
                .collect();
            print_records(out, custom, Format::Table, &cols, recs)?;
        }
    }
    Ok(())
}

fn history(crm: &mut Crm, e: Entity, m: &ArgMatches, out: &Out) -> Result<i32> {
    let r = value(m, "ref").unwrap_or_default();
    let id = crm.find(e, &r)?;
    let changes = crm.history(e, id)?;
    let format = output::format_of(m);
    if changes.is_empty() {
        if format == Format::Json {
            out.line("[]")?;
        }
        return Ok(1);
    }
    match format {
        Format::Json | Format::Ndjson => out.json(format, &changes)?,
        _ => {
            // A table in another language says the operations, fields and values as the
            // language does (修改, 阶段, 方案报价); the data formats as stored.
            let table = format == Format::Table;
            let labelled = table && crate::core::text::language() != "en";
            let op = |c: &crate::app::tui_reads::Change| {
                json!(if labelled {
                    crate::core::text::label_of("tui.detail.op", &c.op)
                } else {
                    c.op.clone()
                })
            };
            let field = |column: &str| {
                json!(match e.fields().iter().find(|f| f.has_column(column)) {
                    Some(f) if labelled => super::words::field(f.name),
                    _ => column.to_string(),
                })
            };
            // One row per field changed.
            let mut rows = Vec::new();
            for c in &changes {
                let empty = Map::new();
                let before = c.before.as_object().unwrap_or(&empty);
                let after = c.after.as_object().unwrap_or(&empty);
                let mut keys: Vec<&String> = after.keys().chain(before.keys()).collect();
                keys.dedup();
                let mut seen = Vec::new();
                for k in keys {
                    if seen.contains(&k) || ["id", "created_at", "updated_at"].contains(&k.as_str())
                    {
                        continue;
                    }
                    seen.push(k);
                    let b = logged_value(crm, e, k, before.get(k), labelled);
                    let a = logged_value(crm, e, k, after.get(k), labelled);
                    // A table shows an amount as the run says; data formats as stored.
                    let money =
                        table && crm.custom().field(e, k).is_some_and(|f| f.ty == Ty::Money);
                    let (b, a) = if money {
                        (amount_shown(b), amount_shown(a))
                    } else {
                        (b, a)
                    };
                    if c.op == "create" && (a.is_null() || a == json!([])) {
                        continue;
                    }
                    rows.push(vec![
                        json!(c.id),
                        json!(c.at),
                        json!(c.user),
                        op(c),
                        field(k),
                        b,
                        a,
                    ]);
                }
                if seen.is_empty() {
                    rows.push(vec![
                        json!(c.id),
                        json!(c.at),
                        json!(c.user),
                        op(c),
                        Value::Null,
                        Value::Null,
                        Value::Null,
                    ]);
                }
            }
            let mut cols: Vec<String> = ["change", "at", "user", "op", "field", "before", "after"]
                .map(String::from)
                .to_vec();
            // A merged record's history is part of this one's: say whose each line is.
            if changes.iter().any(|c| c.record_id != id) {
                cols.insert(1, "record".into());
                for r in rows.iter_mut() {
                    let cid = r[0].as_i64().unwrap_or(0);
                    let whose = changes
                        .iter()
                        .find(|c| c.id == cid)
                        .map(|c| format!("{} {}", c.entity, c.record_id));
                    r.insert(1, json!(whose));
                }
            }
            out.rows(format, &cols, &rows)?;
        }
    }
    Ok(0)
}

/// An amount of the change log as a table shows it (`1,280,000`, `128万`).
fn amount_shown(v: Value) -> Value {
    match crate::core::money::Money::from_json(&v) {
        Some(m) => Value::String(m.shown()),
        None => v,
    }
}

/// A value in the change log: a reference shown as "name (#id)" for people; with
/// `labelled`, a default stage's name and a fixed value as the language says them.
fn logged_value(crm: &Crm, e: Entity, column: &str, v: Option<&Value>, labelled: bool) -> Value {
    let v = v.cloned().unwrap_or(Value::Null);
    let target = e
        .field(column)
        .filter(|f| f.id_key() == column)
        .and_then(|f| f.is_ref());
    match (target, v.as_i64()) {
        (Some(t), Some(id)) => match crm.get_any(t, id) {
            Ok(Some(r)) if labelled => json!(format!(
                "{} (#{id})",
                crate::model::record::name_label(t, r.label())
            )),
            Ok(Some(r)) => json!(format!("{} (#{id})", r.label())),
            _ => v,
        },
        _ if labelled => match (e.field(column).map(|f| f.ty), &v) {
            (Some(Ty::Enum(_)), Value::String(word)) => {
                json!(crate::model::record::choice_label(e, column, word))
            }
            _ => v,
        },
        _ => v,
    }
}
