//! Handlers: each turns parsed arguments into one library call and hands the result to
//! the output formatter. No SQL and no rules live here.

use clap::ArgMatches;
use serde_json::{json, Map, Value};

use super::args::{flag, value, values};
use super::flag_name;
use super::output::{say, Format, Out};
use crate::app::crm::{Crm, Input, Overview};
use crate::core::error::{Error, Result};
use crate::domain::sales::activities::FollowUp;
use crate::domain::sales::deals::Move;
use crate::domain::sales::leads::Convert;
use crate::domain::sales::pipelines::{Place, StageSpec};
use crate::model::record::{value_text, Record};
use crate::model::{Entity, Ty};
use crate::store::ListQuery;

pub fn dispatch(crm: &mut Crm, noun: &str, m: &ArgMatches, out: &Out) -> Result<i32> {
    match noun {
        "log" => add(crm, Entity::Activity, m),
        "agenda" => agenda(crm, m, out),
        "export" => export(crm, m),
        "undo" => undo(crm, m),
        "import" => import(crm, m, out),
        "dedupe" => dedupe(crm, m, out),
        "report" => report(crm, m, out),
        "backup" => {
            let file = value(m, "file").unwrap_or_default();
            crm.store.backup_to(std::path::Path::new(&file))?;
            eprintln!("backed up to {file}");
            Ok(0)
        }
        "restore" => {
            let file = value(m, "file").unwrap_or_default();
            if !confirm(m, &format!("Replace the whole database with {file}?"))? {
                eprintln!("nothing restored");
                return Ok(1);
            }
            crm.store.restore_from(std::path::Path::new(&file))?;
            eprintln!("restored from {file}");
            Ok(0)
        }
        "check" => {
            if flag(m, "repair") {
                for line in crm.store.repair()? {
                    say(&line);
                }
            }
            let found = crm.store.check()?;
            print_findings(&found, m, out)
        }
        "merge" => merge(crm, m, out),
        "search" => search(crm, m, out),
        "pipeline" => pipeline(crm, m, out),
        _ => {
            let e = Entity::from_name(noun)
                .ok_or_else(|| Error::invalid(format!("unknown command {noun}")))?;
            let (verb, sub) = m
                .subcommand()
                .ok_or_else(|| Error::invalid("give a verb"))?;
            verb_of(crm, e, verb, sub, out)
        }
    }
}

/// `kith check`'s output: one line per problem (or JSON); exit 1 when there are any.
fn print_findings(found: &[crate::store::Finding], m: &ArgMatches, out: &Out) -> Result<i32> {
    if flag(m, "json") {
        out.one(&found)?;
    } else {
        for f in found {
            out.line(&format!("{}: {}", f.check, f.problem))?;
        }
        if found.is_empty() {
            eprintln!("ok: integrity, foreign keys and kith's rules all hold");
        }
    }
    Ok(if found.is_empty() { 0 } else { 1 })
}

/// `kith check` on a file that could not be opened as a kith database (`failed` says why):
/// the problems SQLite finds in it, read only, exit 1; or, if it finds none, the failure.
pub(crate) fn check_damaged(
    path: &std::path::Path,
    failed: Error,
    m: &ArgMatches,
    out: &Out,
) -> Result<i32> {
    let found = crate::store::Store::check_damaged(path)?;
    if found.is_empty() {
        return Err(failed);
    }
    print_findings(&found, m, out)
}

fn verb_of(crm: &mut Crm, e: Entity, verb: &str, m: &ArgMatches, out: &Out) -> Result<i32> {
    match verb {
        "add" => add(crm, e, m),
        "list" => list(crm, e, m, out),
        "show" => show(crm, e, m, out),
        "edit" => edit(crm, e, m),
        "rm" => trash(crm, e, m, true),
        "restore" => trash(crm, e, m, false),
        "history" => history(crm, e, m, out),
        "convert" => convert(crm, m, out),
        "move" | "won" | "lost" => deal_move(crm, verb, m),
        "done" | "reopen" => task_done(crm, m, verb == "done"),
        "snooze" => task_snooze(crm, m),
        _ => Err(Error::invalid(format!("unknown command {e} {verb}"))),
    }
}

/// The field values given as options.
fn input_of(e: Entity, m: &ArgMatches) -> Input {
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
    input.tags_remove = values(m, "untag");
    if e == Entity::Task {
        for k in ["repeat", "chain"] {
            if let Some(v) = value(m, k) {
                input.set(k, v);
            }
        }
    }
    input
}

fn add(crm: &mut Crm, e: Entity, m: &ArgMatches) -> Result<i32> {
    let input = input_of(e, m);
    crm.env.allow_duplicates = flag(m, "allow-duplicate");
    let id = if e == Entity::Activity {
        let next = value(m, "next").map(|title| FollowUp {
            title,
            due: value(m, "due"),
            priority: None,
        });
        let (id, task) = crm
            .write(|w, env| crate::domain::sales::activities::log(w, env, &input, next.as_ref()))?;
        if let Some(t) = task {
            eprintln!("follow-up task {t} created");
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
    let input = input_of(e, m);
    if input.is_empty() {
        return Err(Error::invalid(format!(
            "nothing to change; give options like --{}",
            flag_name(e.field(e.label_field()).expect("label field"))
        )));
    }
    if !crm.update(e, id, &input)? {
        eprintln!("{e} {id}: nothing changed");
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
        eprintln!("{} {e} {id}", if to_trash { "trashed" } else { "restored" });
    }
    Ok(0)
}

fn list(crm: &mut Crm, e: Entity, m: &ArgMatches, out: &Out) -> Result<i32> {
    let filter = crate::model::query::parse_args(&values(m, "filter"))?;
    let sort = match value(m, "sort") {
        Some(s) => crate::model::query::parse_sort(&s)
            .map_err(|e| Error::invalid(format!("--sort: {e}")))?,
        None => vec![],
    };
    let q = ListQuery {
        filter,
        sort,
        limit: m.get_one::<usize>("limit").copied(),
        offset: m.get_one::<usize>("offset").copied().unwrap_or(0),
        trash: flag(m, "trash"),
    };
    let records = crm.list(e, &q)?;
    let format = super::output::format_of(m);
    let columns = columns(e, m, format)?;
    print_records(out, format, &columns, &records)?;
    if records.is_empty() {
        if format == Format::Table {
            eprintln!("no {} match", e.plural());
        }
        return Ok(1);
    }
    Ok(0)
}

/// The columns to print: `--columns`, else the kind's table columns, else (data formats)
/// every field.
fn columns(e: Entity, m: &ArgMatches, format: Format) -> Result<Vec<String>> {
    if let Some(spec) = value(m, "columns") {
        let mut cols = Vec::new();
        for c in spec.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let known = e.field(c).is_some()
                || e.fields()
                    .iter()
                    .any(|f| matches!(f.ty, Ty::List { first, .. } if first == c));
            if !known {
                return Err(Error::invalid(format!(
                    "--columns: unknown field '{c}' for {}; fields are: {}",
                    e.plural(),
                    e.field_names().join(", ")
                )));
            }
            // A reference shows its name (`account_id` asks for the id); `email` is the
            // first of a contact's emails, `emails` all of them.
            let c = c.to_lowercase();
            let first_of_list = e
                .fields()
                .iter()
                .any(|f| matches!(f.ty, Ty::List { first, .. } if first == c));
            cols.push(match e.field(&c) {
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

fn print_records(out: &Out, format: Format, columns: &[String], records: &[Record]) -> Result<()> {
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
            let rows: Vec<Vec<Value>> = records
                .iter()
                .map(|r| {
                    cols.iter()
                        .map(|c| r.fields.get(c).cloned().unwrap_or(Value::Null))
                        .collect()
                })
                .collect();
            if format == Format::Table && records.is_empty() {
                return Ok(());
            }
            out.rows(format, &cols, &rows)
        }
    }
}

fn show(crm: &mut Crm, e: Entity, m: &ArgMatches, out: &Out) -> Result<i32> {
    let id = crm.find(e, &value(m, "ref").unwrap_or_default())?;
    let ov = crm.overview(e, id)?;
    let format = super::output::format_of(m);
    match format {
        Format::Json | Format::Ndjson => {
            let mut obj = ov.record.fields.clone();
            for (name, recs) in &ov.related {
                obj.insert(
                    (*name).to_string(),
                    serde_json::to_value(recs).unwrap_or(Value::Null),
                );
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
        Format::Csv | Format::Tsv => print_records(out, format, &[], &[ov.record])?,
        Format::Table => show_table(out, e, &ov)?,
    }
    Ok(0)
}

fn show_table(out: &Out, e: Entity, ov: &Overview) -> Result<()> {
    let r = &ov.record;
    out.heading(&format!(
        "{e} {}  {}{}",
        r.id(),
        r.label(),
        if r.is_trashed() {
            "  (in the trash)"
        } else {
            ""
        }
    ))?;
    let mut rows = Vec::new();
    for f in e.fields() {
        if f.name == e.label_field() {
            continue;
        }
        let v = r.fields.get(f.name).cloned().unwrap_or(Value::Null);
        let empty = v.is_null() || v.as_array().is_some_and(|a| a.is_empty()) || v == json!("");
        if empty {
            continue;
        }
        let shown = match f.ty {
            Ty::Ref(_) => Value::String(format!(
                "{} (#{})",
                value_text(&v),
                r.i64(&f.id_key()).unwrap_or(0)
            )),
            // Text, so that numbers line up with the other values.
            _ => Value::String(value_text(&v)),
        };
        rows.push(vec![Value::String(f.name.replace('_', " ")), shown]);
    }
    for (k, label) in [
        ("created_at", "created"),
        ("updated_at", "updated"),
        ("deleted_at", "trashed"),
    ] {
        if let Some(v) = r.get(k) {
            rows.push(vec![Value::String(label.into()), v.clone()]);
        }
    }
    out.table(&["field".into(), "value".into()], &rows, false)?;
    if !ov.stage_history.is_empty() {
        out.line("")?;
        out.heading("Stage history")?;
        let rows: Vec<Vec<Value>> = ov
            .stage_history
            .iter()
            .map(|s| {
                vec![
                    json!(s.at),
                    json!(s.from.clone().unwrap_or_default()),
                    json!(s.to),
                    json!(s.user),
                ]
            })
            .collect();
        out.table(
            &["at".into(), "from".into(), "to".into(), "by".into()],
            &rows,
            true,
        )?;
    }
    for (name, recs) in &ov.related {
        out.line("")?;
        let title = name.replace('_', " ");
        let mut chars = title.chars();
        let title = match chars.next() {
            Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
            None => title,
        };
        out.heading(&format!("{title} ({})", recs.len()))?;
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
            print_records(out, Format::Table, &cols, recs)?;
        }
    }
    Ok(())
}

fn history(crm: &mut Crm, e: Entity, m: &ArgMatches, out: &Out) -> Result<i32> {
    let r = value(m, "ref").unwrap_or_default();
    let id = crm.find(e, &r)?;
    let changes = crm.history(e, id)?;
    let format = super::output::format_of(m);
    if changes.is_empty() {
        if format == Format::Json {
            out.line("[]")?;
        }
        return Ok(1);
    }
    match format {
        Format::Json | Format::Ndjson => out.json(format, &changes)?,
        _ => {
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
                    let b = ref_name(crm, e, k, before.get(k));
                    let a = ref_name(crm, e, k, after.get(k));
                    if c.op == "create" && (a.is_null() || a == json!([])) {
                        continue;
                    }
                    rows.push(vec![
                        json!(c.id),
                        json!(c.at),
                        json!(c.user),
                        json!(c.op),
                        json!(k),
                        b,
                        a,
                    ]);
                }
                if seen.is_empty() {
                    rows.push(vec![
                        json!(c.id),
                        json!(c.at),
                        json!(c.user),
                        json!(c.op),
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

/// A reference in the change log, shown as "name (#id)" for people.
fn ref_name(crm: &Crm, e: Entity, column: &str, v: Option<&Value>) -> Value {
    let v = v.cloned().unwrap_or(Value::Null);
    let target = e
        .field(column)
        .filter(|f| f.id_key() == column)
        .and_then(|f| f.is_ref());
    match (target, v.as_i64()) {
        (Some(t), Some(id)) => match crm.reader().get(t, id) {
            Ok(Some(r)) => json!(format!("{} (#{id})", r.label())),
            _ => v,
        },
        _ => v,
    }
}

fn convert(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let lead = crm.resolve(Entity::Lead, &value(m, "ref").unwrap_or_default())?;
    let mut deal_input = Input::new();
    for f in [
        "amount",
        "currency",
        "stage",
        "pipeline",
        "probability",
        "expected_close",
    ] {
        if let Some(v) = value(m, f) {
            deal_input.set(f, v);
        }
    }
    let c = Convert {
        account: value(m, "account"),
        contact: value(m, "contact"),
        deal: value(m, "deal"),
        deal_input,
    };
    let done = crm.write(|w, env| crate::domain::sales::leads::convert(w, env, lead, &c))?;
    if flag(m, "json") {
        out.one(&done)?;
    } else {
        out.line(&format!("account {}", done.account_id))?;
        out.line(&format!("contact {}", done.contact_id))?;
        if let Some(d) = done.deal_id {
            out.line(&format!("deal {d}"))?;
        }
        eprintln!(
            "lead {lead} converted: account {} ({}), contact {} ({}){}",
            done.account_id,
            if done.account_created {
                "new"
            } else {
                "existing"
            },
            done.contact_id,
            if done.contact_created {
                "new"
            } else {
                "existing"
            },
            done.deal_id
                .map(|d| format!(", deal {d} (new)"))
                .unwrap_or_default()
        );
    }
    Ok(0)
}

fn deal_move(crm: &mut Crm, verb: &str, m: &ArgMatches) -> Result<i32> {
    let id = crm.resolve(Entity::Deal, &value(m, "ref").unwrap_or_default())?;
    let mv = Move {
        probability: value(m, "probability"),
        reason: value(m, "reason"),
    };
    let changed = match verb {
        "move" => {
            let stage = value(m, "stage").unwrap_or_default();
            crm.write(|w, env| crate::domain::sales::deals::move_to(w, env, id, &stage, &mv))?
        }
        outcome => {
            crm.write(|w, env| crate::domain::sales::deals::close(w, env, id, outcome, &mv))?
        }
    };
    let d = crm.get(Entity::Deal, id)?;
    if changed {
        say(&format!(
            "deal {id}: {} ({}, {}%)",
            d.text("stage"),
            d.text("status"),
            d.text("probability")
        ));
    } else {
        say(&format!("deal {id}: already {}", d.text("stage")));
    }
    Ok(0)
}

fn task_done(crm: &mut Crm, m: &ArgMatches, done: bool) -> Result<i32> {
    let mut ids = Vec::new();
    for r in values(m, "ref") {
        ids.push(crm.resolve(Entity::Task, &r)?);
    }
    let next = crm.write(|w, env| {
        let mut next = Vec::new();
        for id in &ids {
            next.push(crate::domain::sales::tasks::set_done(w, env, *id, done)?);
        }
        Ok(next)
    })?;
    for (id, next) in ids.iter().zip(next) {
        eprintln!("task {id} {}", if done { "done" } else { "reopened" });
        if let Some(n) = next {
            let t = crm.get(Entity::Task, n)?;
            eprintln!(
                "next: task {n} due {}",
                crate::core::dates::display(&t.text("due"))
            );
        }
    }
    Ok(0)
}

fn task_snooze(crm: &mut Crm, m: &ArgMatches) -> Result<i32> {
    let id = crm.resolve(Entity::Task, &value(m, "ref").unwrap_or_default())?;
    let when = values(m, "when").join(" ");
    let due = crm.write(|w, env| crate::domain::sales::tasks::snooze(w, env, id, &when))?;
    eprintln!("task {id} due {}", crate::core::dates::display(&due));
    Ok(0)
}

fn agenda(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let days = m.get_one::<u32>("days").copied().unwrap_or(7);
    let a = crate::app::agenda::agenda(crm, days)?;
    let format = super::output::format_of(m);
    match format {
        Format::Json => out.one(&a)?,
        _ => {
            // One row per item, the day first: the same rows for a table, CSV, TSV, NDJSON.
            let cols: Vec<String> = [
                "date",
                "time",
                "kind",
                "title",
                "detail",
                "record_kind",
                "record_id",
            ]
            .map(String::from)
            .to_vec();
            let mut rows = Vec::new();
            let row = |date: &str, i: &crate::app::agenda::Item| {
                vec![
                    json!(date),
                    json!(i.time.clone().unwrap_or_default()),
                    json!(i.kind),
                    json!(i.title),
                    json!(i.detail),
                    json!(i.record_kind),
                    json!(i.record_id),
                ]
            };
            for i in &a.overdue {
                rows.push(row("overdue", i));
            }
            for d in &a.days {
                for i in &d.items {
                    rows.push(row(&d.date, i));
                }
            }
            if format == Format::Table {
                agenda_table(out, &a)?;
            } else {
                out.rows(format, &cols, &rows)?;
            }
        }
    }
    Ok(0)
}

/// The agenda for people: a heading per day, its items under it.
fn agenda_table(out: &Out, a: &crate::app::agenda::Agenda) -> Result<()> {
    let item = |i: &crate::app::agenda::Item| {
        vec![
            json!(i.time.clone().unwrap_or_default()),
            json!(i.kind),
            json!(i.title),
            json!(i.detail),
        ]
    };
    let cols: Vec<String> = ["time", "kind", "title", "detail"]
        .map(String::from)
        .to_vec();
    if !a.overdue.is_empty() {
        out.heading("Overdue")?;
        out.table(
            &cols,
            &a.overdue.iter().map(item).collect::<Vec<_>>(),
            false,
        )?;
    }
    for d in &a.days {
        let date = chrono::NaiveDate::parse_from_str(&d.date, "%Y-%m-%d")
            .map(|x| x.format("%a %Y-%m-%d").to_string())
            .unwrap_or_else(|_| d.date.clone());
        out.heading(&date)?;
        if d.items.is_empty() {
            out.line("  nothing")?;
        } else {
            out.table(&cols, &d.items.iter().map(item).collect::<Vec<_>>(), false)?;
        }
    }
    Ok(())
}

fn export(crm: &mut Crm, m: &ArgMatches) -> Result<i32> {
    let (what, sub) = m
        .subcommand()
        .ok_or_else(|| Error::invalid("export what?"))?;
    let mut out = Out::to_file(&value(sub, "output").unwrap_or_else(|| "-".into()))?;
    out.raw = flag(sub, "raw");
    match what {
        "ical" => out.text(&crate::io::ical::export(crm)?)?,
        "json" if flag(sub, "all") => {
            let dump = crm.store.dump()?;
            out.one(&dump)?;
        }
        "vcard" => {
            let q = ListQuery {
                filter: crate::model::query::parse_args(&values(sub, "filter"))?,
                ..ListQuery::default()
            };
            let contacts = crm.list(Entity::Contact, &q)?;
            let version = if flag(sub, "v3") {
                crate::io::vcard::Version::V3
            } else {
                crate::io::vcard::Version::V4
            };
            out.text(&crate::io::import::vcard::export(&contacts, version))?;
        }
        "csv" | "json" | "ndjson" => {
            let e = Entity::from_name(&value(sub, "entity").unwrap_or_default())
                .ok_or_else(|| Error::invalid("--entity: which kind of record?"))?;
            let q = ListQuery {
                filter: crate::model::query::parse_args(&values(sub, "filter"))?,
                trash: flag(sub, "trash"),
                ..ListQuery::default()
            };
            let records = crm.list(e, &q)?;
            let format = match what {
                "csv" => Format::Csv,
                "json" => Format::Json,
                _ => Format::Ndjson,
            };
            print_records(&out, format, &[], &records)?;
        }
        other => return Err(Error::invalid(format!("cannot export {other}"))),
    }
    out.finish()?;
    if let Some(path) = value(sub, "output").filter(|p| p != "-") {
        eprintln!("wrote {path}");
    }
    Ok(0)
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
        ("vcard", Some(e)) => Some(encoding_rs::Encoding::for_label(e.trim().as_bytes()).ok_or_else(|| {
            Error::invalid(format!(
                "--encoding: '{e}' is not an encoding kith knows (utf-8, utf-16le, utf-16be, windows-1252, iso-8859-1, shift_jis, euc-jp, gbk, big5, euc-kr…)"
            ))
        })?),
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
                            "the header row is one {} writes: read as --from {} (--from none reads it by its headers alone)",
                            p.title, p.name
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
            let col = r
                .column
                .as_ref()
                .map(|c| format!(", column {c}"))
                .unwrap_or_default();
            progress.suspend(|| say(&format!("{}{col}: {}", place(r), r.reason)));
        } else if told == 50 {
            progress.suspend(|| eprintln!("… more rejected rows not shown"));
        }
        told += 1;
        if let (true, Some((w, _))) = (vcards, skipped.as_ref()) {
            let col = r
                .column
                .as_ref()
                .map(|c| format!(", column {c}"))
                .unwrap_or_default();
            let mut text = format!("{}{col}: {}\r\n", place(r), r.reason).into_bytes();
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
                Some(c) => format!("{c}: {}", r.reason),
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
        if line % 500 == 0 {
            progress.set_message(format!("line {line}"));
            progress.tick();
        }
    };
    let result = match input {
        Input::Csv(src) => import::import_csv(crm, *src, &opts, &mut on_reject, on_progress),
        Input::Vcard(bytes) => {
            let name = if file == "-" { "stdin" } else { file.as_str() };
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
            eprintln!("rejected rows written to {path}");
        }
    }
    let summary = result?;
    for w in summary.warnings.iter().take(50) {
        say(w);
    }
    if summary.warnings.len() > 50 {
        eprintln!("… more warnings not shown (--json lists them all)");
    }
    if flag(m, "json") {
        out.one(&summary)?;
    } else {
        let mut line = format!(
            "{}created {}, updated {}, unchanged {}, rejected {}",
            if summary.dry_run {
                "dry run: would have "
            } else {
                ""
            },
            summary.created,
            summary.updated,
            summary.unchanged,
            summary.rejected
        );
        if summary.with_warnings > 0 {
            line.push_str(&format!(
                ", imported with warnings {}",
                summary.with_warnings
            ));
        }
        if summary.created_missing > 0 {
            line.push_str(&format!(
                " (and made {} missing accounts or contacts)",
                summary.created_missing
            ));
        }
        if let Some(b) = summary.batch.filter(|_| !summary.dry_run) {
            line.push_str(&format!("; batch {b} (kith import undo {b})"));
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
            "columns not imported: {} (map them with --map 'COLUMN=FIELD')",
            summary.ignored_columns.join(", ")
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
        Some(card) => format!("card {card}, line {}", r.line),
        None => format!("line {}", r.line),
    }
}

/// `--delimiter`: one character, or \t / tab.
fn delimiter(d: &str) -> Result<u8> {
    match d {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        s if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(Error::invalid(format!(
            "--delimiter: '{d}' is not one character (, ; tab)"
        ))),
    }
}

fn import(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let (what, sub) = m
        .subcommand()
        .ok_or_else(|| Error::invalid("import what?"))?;
    match what {
        "json" => {
            let file = value(sub, "file").unwrap_or_default();
            let text = read_input(&file)?;
            let doc: Value = serde_json::from_str(&text)
                .map_err(|e| Error::invalid(format!("{file}: not JSON: {e}")))?;
            let n = crm.store.load_dump(&doc)?;
            eprintln!("loaded {n} rows from {file}");
            Ok(0)
        }
        "csv" | "vcard" => import_records(crm, what, sub, out),
        "undo" => {
            let batch = sub.get_one::<i64>("batch").copied().unwrap_or(0);
            let done = crm.write(|w, _| crate::app::undo::undo_batch(w, batch))?;
            eprintln!("undone batch {batch} ({} changes)", done.steps.len());
            Ok(0)
        }
        other => Err(Error::invalid(format!("cannot import {other}"))),
    }
}

/// A whole file's bytes, or stdin's for `-`.
fn read_bytes(file: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    if file == "-" {
        std::io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes =
            std::fs::read(file).map_err(|e| Error::invalid(format!("cannot read {file}: {e}")))?;
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
            .map_err(|e| Error::invalid(format!("cannot read {file}: {e}")))?;
    }
    Ok(text)
}

fn undo(crm: &mut Crm, m: &ArgMatches) -> Result<i32> {
    let steps = m.get_one::<u32>("steps").copied().unwrap_or(1) as usize;
    let batches = crate::app::undo::last_batches(crm, steps)?;
    for b in &batches {
        let d = crate::app::undo::describe(crm, *b)?;
        say(&format!("batch {} ({} by {}):", d.batch, d.at, d.user));
        for s in &d.steps {
            say(&format!("  {s}"));
        }
    }
    if !confirm(m, "Undo this?")? {
        eprintln!("nothing undone");
        return Ok(1);
    }
    let done = crm.write(|w, _| {
        let mut done = Vec::new();
        for b in &batches {
            done.push(crate::app::undo::undo_batch(w, *b)?.batch);
        }
        Ok(done)
    })?;
    eprintln!(
        "undone: batch {}",
        done.iter()
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(0)
}

fn report(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let (name, sub) = m
        .subcommand()
        .ok_or_else(|| Error::invalid("which report?"))?;
    let kind = crate::app::reports::Kind::from_name(name)
        .ok_or_else(|| Error::invalid(format!("no report {name}")))?;
    let params = crate::app::reports::Params {
        filter: crate::model::query::parse_args(&values(sub, "filter"))?,
        from: value(sub, "from"),
        to: value(sub, "to"),
        by: value(sub, "by"),
        pipeline: value(sub, "pipeline"),
        dormant_days: sub.try_get_one::<u32>("dormant").ok().flatten().copied(),
    };
    let report = crate::app::reports::run(crm, kind, &params)?;
    let format = super::output::format_of(sub);
    match format {
        Format::Json => out.one(&report)?,
        Format::Table => {
            for (i, (title, rows)) in report.tables.iter().enumerate() {
                if report.tables.len() > 1 {
                    if i > 0 {
                        out.line("")?;
                    }
                    out.heading(title)?;
                }
                report_rows(out, format, rows)?;
            }
            if !report.totals.is_empty() {
                out.line("")?;
                for (k, v) in report.totals.iter().filter(|(_, v)| !v.is_null()) {
                    out.line(&format!("{}: {}", k.replace('_', " "), value_text(v)))?;
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

fn report_rows(out: &Out, format: Format, rows: &[crate::store::Row]) -> Result<()> {
    let Some(first) = rows.first() else {
        if format == Format::Table {
            out.line("  nothing in this period")?;
        }
        return Ok(());
    };
    let cols: Vec<String> = first.keys().map(String::from).collect();
    out.rows(format, &cols, rows)
}

fn dedupe(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let mut kinds: Vec<Entity> = values(m, "entity")
        .iter()
        .filter_map(|k| Entity::from_name(k))
        .collect();
    if kinds.is_empty() {
        kinds = vec![Entity::Account, Entity::Contact, Entity::Lead];
    }
    let mut pairs = Vec::new();
    for k in kinds {
        pairs.extend(crate::app::dupes::pairs(&crm.reader(), k)?);
    }
    let format = super::output::format_of(m);
    match format {
        Format::Json | Format::Ndjson => out.json(format, &pairs)?,
        _ if pairs.is_empty() => {}
        _ => {
            let cols: Vec<String> = ["kind", "a", "a_name", "b", "b_name", "score", "reasons"]
                .map(String::from)
                .to_vec();
            let rows: Vec<Vec<Value>> = pairs
                .iter()
                .map(|p| {
                    vec![
                        json!(p.kind),
                        json!(p.a),
                        json!(p.a_name),
                        json!(p.b),
                        json!(p.b_name),
                        json!(p.score),
                        json!(p.reasons.join("; ")),
                    ]
                })
                .collect();
            out.rows(format, &cols, &rows)?;
        }
    }
    if pairs.is_empty() {
        if format == Format::Table {
            eprintln!("no likely duplicates");
        }
        return Ok(1);
    }
    Ok(0)
}

fn merge(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let e = Entity::from_name(&value(m, "kind").unwrap_or_default())
        .ok_or_else(|| Error::invalid("merge what?"))?;
    let keep = crm
        .resolve(e, &value(m, "keep").unwrap_or_default())
        .map_err(|x| x.context("KEEP"))?;
    let other = crm
        .resolve(e, &value(m, "other").unwrap_or_default())
        .map_err(|x| x.context("OTHER"))?;
    let dry = flag(m, "dry-run");
    let done = if dry {
        crm.dry_run(|w, _| crate::app::merge::merge(w, e, keep, other))?
    } else {
        crm.write(|w, _| crate::app::merge::merge(w, e, keep, other))?
    };
    if flag(m, "json") {
        out.one(&done)?;
    } else {
        let verb = if dry { "would move" } else { "moved" };
        for mv in &done.moved {
            eprintln!("{verb} {mv} to {e} {keep}");
        }
        if !done.filled.is_empty() {
            eprintln!(
                "{} {e} {keep}: {}",
                if dry { "would fill" } else { "filled" },
                done.filled.join(", ")
            );
        }
        eprintln!(
            "{} {e} {other} into {e} {keep}{}",
            if dry { "would merge" } else { "merged" },
            if dry {
                " (dry run: nothing changed)"
            } else {
                "; kith undo takes it back"
            }
        );
    }
    Ok(0)
}

/// Ask on a terminal unless --yes; off a terminal, --yes is required (kith never prompts a
/// script).
fn confirm(m: &ArgMatches, question: &str) -> Result<bool> {
    use std::io::{BufRead, IsTerminal, Write};
    if flag(m, "yes") {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid(format!(
            "{question} Not on a terminal: pass --yes to go ahead"
        )));
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

fn search(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let text = values(m, "text").join(" ");
    let kinds: Vec<Entity> = values(m, "kind")
        .iter()
        .filter_map(|k| Entity::from_name(k))
        .collect();
    let limit = m.get_one::<usize>("limit").copied().unwrap_or(20);
    let hits = crate::app::search::search(&crm.reader(), &text, &kinds, limit)?;
    let format = super::output::format_of(m);
    match format {
        Format::Json | Format::Ndjson => out.json(format, &hits)?,
        _ => {
            let cols: Vec<String> = ["kind", "id", "name", "detail", "score"]
                .map(String::from)
                .to_vec();
            let rows: Vec<Vec<Value>> = hits
                .iter()
                .map(|h| {
                    vec![
                        json!(h.kind),
                        json!(h.id),
                        json!(h.name),
                        json!(h.detail),
                        json!(h.score),
                    ]
                })
                .collect();
            if !hits.is_empty() || format != Format::Table {
                out.rows(format, &cols, &rows)?;
            }
        }
    }
    if hits.is_empty() {
        if format == Format::Table {
            say(&format!("nothing matches '{text}'"));
        }
        return Ok(1);
    }
    Ok(0)
}

fn pipeline(crm: &mut Crm, m: &ArgMatches, out: &Out) -> Result<i32> {
    let (verb, sub) = m
        .subcommand()
        .ok_or_else(|| Error::invalid("give a verb"))?;
    match verb {
        "list" | "show" => {
            let mut boards = crate::domain::sales::pipelines::boards(&crm.reader())?;
            if verb == "show" {
                let p = crate::domain::sales::pipelines::resolve(
                    &crm.reader(),
                    &value(sub, "pipeline").unwrap_or_default(),
                )?;
                boards.retain(|b| b.id == p.id());
            }
            let format = super::output::format_of(sub);
            match format {
                Format::Json | Format::Ndjson if verb == "show" => out.one(&boards[0])?,
                Format::Json | Format::Ndjson => out.json(format, &boards)?,
                _ => {
                    let cols: Vec<String> = [
                        "pipeline",
                        "position",
                        "stage",
                        "probability",
                        "outcome",
                        "deals",
                        "amount",
                        "weighted",
                    ]
                    .map(String::from)
                    .to_vec();
                    let mut rows = Vec::new();
                    for b in &boards {
                        let name = if b.is_default {
                            format!("{} (default)", b.name)
                        } else {
                            b.name.clone()
                        };
                        for s in &b.stages {
                            rows.push(vec![
                                json!(name),
                                json!(s.position),
                                json!(s.name),
                                json!(s.probability),
                                json!(s.outcome),
                                json!(s.count),
                                json!(s.amount.text()),
                                json!(s.weighted_amount.text()),
                            ]);
                        }
                    }
                    out.rows(format, &cols, &rows)?;
                }
            }
            Ok(0)
        }
        "add" => {
            let specs = values(sub, "stage")
                .iter()
                .map(|s| StageSpec::parse(s))
                .collect::<Result<Vec<_>>>()?;
            let specs = if specs.is_empty() {
                crate::model::DEFAULT_STAGES
                    .iter()
                    .map(|(n, p, o)| StageSpec {
                        name: n.to_string(),
                        probability: *p,
                        outcome: o.to_string(),
                    })
                    .collect()
            } else {
                specs
            };
            let name = value(sub, "name").unwrap_or_default();
            let make_default = flag(sub, "default");
            let id = crm.write(|w, _| {
                crate::domain::sales::pipelines::add(w, &name, &specs, make_default)
            })?;
            println!("{id}");
            Ok(0)
        }
        "rename" => {
            let p = crate::domain::sales::pipelines::resolve(
                &crm.reader(),
                &value(sub, "pipeline").unwrap_or_default(),
            )?;
            let name = value(sub, "name").unwrap_or_default();
            crm.write(|w, _| crate::domain::sales::pipelines::rename(w, p.id(), &name))?;
            Ok(0)
        }
        "default" => {
            let p = crate::domain::sales::pipelines::resolve(
                &crm.reader(),
                &value(sub, "pipeline").unwrap_or_default(),
            )?;
            crm.write(|w, _| crate::domain::sales::pipelines::set_default(w, p.id()))?;
            say(&format!("new deals go to pipeline '{}'", p.label()));
            Ok(0)
        }
        "stage" => stage(crm, sub),
        _ => Err(Error::invalid(format!("unknown command pipeline {verb}"))),
    }
}

fn place_of(m: &ArgMatches) -> Place {
    if let Some(s) = value(m, "after") {
        Place::After(s)
    } else if let Some(s) = value(m, "before") {
        Place::Before(s)
    } else if let Some(n) = m.get_one::<usize>("position") {
        Place::At(*n)
    } else {
        Place::End
    }
}

fn stage(crm: &mut Crm, m: &ArgMatches) -> Result<i32> {
    let (verb, sub) = m
        .subcommand()
        .ok_or_else(|| Error::invalid("give a verb"))?;
    let p = crate::domain::sales::pipelines::resolve(
        &crm.reader(),
        &value(sub, "pipeline").unwrap_or_default(),
    )?;
    let pid = p.id();
    let stage_id = match value(sub, "stage") {
        Some(s) => {
            Some(crate::domain::sales::pipelines::resolve_stage(&crm.reader(), pid, &s)?.id())
        }
        None => None,
    };
    let probability = match value(sub, "probability") {
        Some(s) => Some(
            crate::core::values::parse_int(s.trim_end_matches('%'))
                .map_err(|e| e.context("--probability"))?,
        ),
        None => None,
    };
    let outcome = value(sub, "outcome");
    match (verb, stage_id) {
        ("add", _) => {
            let spec = StageSpec {
                name: value(sub, "name").unwrap_or_default(),
                probability: probability.unwrap_or(0),
                outcome: crate::app::crm::choose(
                    crate::model::STAGE_OUTCOMES,
                    outcome.as_deref().unwrap_or("open"),
                )
                .map_err(|e| e.context("--outcome"))?
                .to_string(),
            };
            if spec.name.trim().is_empty() {
                return Err(Error::invalid("stage: the name is empty"));
            }
            if !(0..=100).contains(&spec.probability) {
                return Err(Error::invalid(format!(
                    "--probability: {} is out of range 0–100",
                    spec.probability
                )));
            }
            let place = place_of(sub);
            let id = crm
                .write(|w, _| crate::domain::sales::pipelines::add_stage(w, pid, &spec, &place))?;
            println!("{id}");
        }
        ("rename", Some(s)) => {
            let name = value(sub, "name").unwrap_or_default();
            crm.write(|w, _| {
                crate::domain::sales::pipelines::edit_stage(w, pid, s, Some(&name), None, None)
            })?;
        }
        ("set", Some(s)) => {
            crm.write(|w, _| {
                crate::domain::sales::pipelines::edit_stage(
                    w,
                    pid,
                    s,
                    None,
                    probability,
                    outcome.as_deref(),
                )
            })?;
        }
        ("move", Some(s)) => {
            let place = place_of(sub);
            if matches!(place, Place::End) {
                return Err(Error::invalid(
                    "say where: --after STAGE, --before STAGE or --position N",
                ));
            }
            crm.write(|w, _| crate::domain::sales::pipelines::move_stage(w, pid, s, &place))?;
        }
        ("rm", Some(s)) => {
            crm.write(|w, _| crate::domain::sales::pipelines::remove_stage(w, pid, s))?;
            eprintln!("stage removed");
        }
        _ => {
            return Err(Error::invalid(format!(
                "unknown command pipeline stage {verb}"
            )))
        }
    }
    Ok(0)
}

/// `kith demo`: make the sample database, or fill an empty one named with --db.
pub fn demo(top: &ArgMatches, m: &ArgMatches) -> Result<i32> {
    let config = crate::app::config::Config::load(&crate::app::config::config_path())?;
    let explicit = !flag(top, "demo") && value(top, "db").is_some_and(|s| !s.is_empty());
    let path = super::db_path(top, &config);
    if explicit {
        if path.exists() && !crate::store::Store::open(&path)?.reader().is_empty()? {
            return Err(Error::invalid(format!(
                "{} already holds records; kith demo fills only a new or empty database",
                path.display()
            )));
        }
    } else {
        let path = crate::app::config::demo_db();
        for suffix in ["", "-wal", "-shm"] {
            let p = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            if p.exists() {
                std::fs::remove_file(&p)
                    .map_err(|e| Error::failed(format!("cannot replace {}: {e}", p.display())))?;
            }
        }
    }
    let path = if explicit {
        path
    } else {
        crate::app::config::demo_db()
    };
    let mut crm = super::open_at(top, &config, &path)?;
    let seed = m.get_one::<u64>("seed").copied().unwrap_or(42);
    let size = value(m, "size").and_then(|s| crate::samples::bulk::Size::parse(&s));
    let summary = match size {
        Some(size) => {
            crm.ensure_setup()?;
            let now = crm.env.clock.now();
            let user = crm.env.user.clone();
            let c = crate::samples::bulk::generate(&mut crm.store, size, seed, now, &user)?;
            crate::samples::demo::DemoSummary {
                accounts: c.accounts as usize,
                contacts: c.contacts as usize,
                leads: c.leads as usize,
                deals: c.deals as usize,
                activities: c.activities as usize,
                tasks: c.tasks as usize,
            }
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
        "{}: {} accounts, {} contacts, {} leads, {} deals, {} activities, {} tasks",
        path.display(),
        summary.accounts,
        summary.contacts,
        summary.leads,
        summary.deals,
        summary.activities,
        summary.tasks
    );
    Ok(0)
}
