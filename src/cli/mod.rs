//! The scripted face: `kith <noun> <verb> …`.
//!
//! The command tree is built from the model, so every field of every kind of record is an
//! option of `add` and `edit` and a column of `list` without being listed here again. The
//! same tree gives shell completions and the man page.

mod args;
mod output;
mod records;
mod remind;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};

use crate::app::config::{self, Config};
use crate::app::crm::{Crm, Env};
use crate::core::clock::Clock;
use crate::core::error::{Error, Result};
use crate::model::{Entity, Field, Ty};
use crate::store::Store;

pub use args::{escape, unescape};

/// Run kith with the process's arguments; returns the exit status.
pub fn main() -> i32 {
    let argv = escape(std::env::args().collect());
    // clap repeats a value it refuses: with control characters typed, its message is
    // written plain (no colour), control characters shown by their codes.
    let typed_controls = argv
        .iter()
        .any(|a| crate::core::escape::visible(a) != a.as_str());
    let m = match command().try_get_matches_from(argv) {
        Ok(m) => m,
        Err(e) => {
            if typed_controls && e.use_stderr() {
                output::say(e.render().to_string().trim_end());
            } else {
                let _ = e.print();
            }
            return e.exit_code();
        }
    };
    match run(&m) {
        Ok(code) => code,
        Err(e) => {
            output::say(&format!("kith: {e}"));
            e.exit_code()
        }
    }
}

fn run(m: &ArgMatches) -> Result<i32> {
    let color = output::use_color(&args::value(m, "color").unwrap_or_else(|| "auto".into()));
    let mut out = output::Out::stdout(color);
    // `--raw` belongs to the command at the end of the line (`kith account list --raw`).
    let mut leaf = m;
    while let Some((_, sub)) = leaf.subcommand() {
        leaf = sub;
    }
    out.raw = args::flag(leaf, "raw");
    match m.subcommand() {
        None => {
            // On a terminal, the full-screen interface; otherwise usage, for scripts.
            if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
                let (crm, config) = open(m)?;
                let keymap = crate::tui::Keymap::with_overrides(&config.keys)?;
                crate::tui::run(crm, keymap, color)?;
                return Ok(0);
            }
            eprintln!("{}", command().render_usage());
            eprintln!("kith opens its full-screen interface only on a terminal; run 'kith --help' for the commands.");
            Ok(2)
        }
        Some(("completions", sub)) => {
            let shell = *sub
                .get_one::<clap_complete::Shell>("shell")
                .ok_or_else(|| Error::invalid("name a shell"))?;
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut command(), "kith", &mut buf);
            output::emit_bytes(&buf)?;
            Ok(0)
        }
        Some(("man", _)) => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(command())
                .render(&mut buf)
                .map_err(Error::from)?;
            output::emit_bytes(&buf)?;
            Ok(0)
        }
        Some(("demo", sub)) => records::demo(m, sub),
        Some(("remind", sub)) => {
            let (mut crm, config) = open(m)?;
            remind::run(&mut crm, &config, sub)
        }
        // A file too damaged to open is what `check` is for: it still lists the problems.
        Some(("check", sub)) if !args::flag(sub, "repair") => match open(m) {
            Ok((mut crm, _)) => records::dispatch(&mut crm, "check", sub, &out),
            Err(e) if e.exit_code() == 3 => {
                let path = db_path(m, &Config::load(&config::config_path())?);
                records::check_damaged(&path, e, sub, &out)
            }
            Err(e) => Err(e),
        },
        Some((name, sub)) => {
            let (mut crm, _) = open(m)?;
            records::dispatch(&mut crm, name, sub, &out)
        }
    }
}

/// The database, clock and user for this run, and the configuration they came from.
pub(crate) fn open(m: &ArgMatches) -> Result<(Crm, Config)> {
    let config = Config::load(&config::config_path())?;
    let path = db_path(m, &config);
    let demo = args::flag(m, "demo") && needs_demo(&path)?;
    let mut crm = open_at(m, &config, &path)?;
    if demo {
        eprintln!("kith: making the sample database {}", path.display());
        crate::samples::demo::generate(&mut crm, &crate::samples::demo::DemoOptions::default())?;
    }
    Ok((crm, config))
}

fn needs_demo(path: &std::path::Path) -> Result<bool> {
    if !path.exists() {
        return Ok(true);
    }
    Store::open(path)?.reader().is_empty()
}

pub(crate) fn open_at(m: &ArgMatches, config: &Config, path: &std::path::Path) -> Result<Crm> {
    let clock = match args::value(m, "now") {
        Some(s) if !s.trim().is_empty() => {
            Clock::pinned(&s).map_err(|e| e.context("--now / KITH_NOW"))?
        }
        _ => Clock::system(),
    };
    let user = config::user(args::value(m, "as").as_deref(), config);
    let env = Env {
        clock,
        user,
        currency: config.currency.clone().unwrap_or_else(|| "USD".into()),
        allow_duplicates: false,
    };
    let store = Store::open(path)?;
    let mut crm = Crm::new(store, env);
    crm.ensure_setup()?;
    Ok(crm)
}

/// `--demo`, else `--db` / `KITH_DB`, else the configuration's `db`, else the default.
pub(crate) fn db_path(m: &ArgMatches, config: &Config) -> PathBuf {
    if args::flag(m, "demo") {
        return config::demo_db();
    }
    args::value(m, "db")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| config.db.clone())
        .unwrap_or_else(config::default_db)
}

// ---------------------------------------------------------------------------------------
// The command tree

/// Every command kith has.
pub fn command() -> Command {
    let mut cmd = Command::new("kith")
        .version(env!("CARGO_PKG_VERSION"))
        .about("A customer relationship manager for people who live in the terminal")
        .long_about(
            "kith keeps customers, contacts, leads, deals, activities and follow-ups in one \
             SQLite file. Every command prints data on stdout and messages on stderr.\n\n\
             Exit status: 0 success; 1 nothing matched; 2 bad usage or invalid input (nothing \
             was written); 3 the database or file system failed, or a reminder could not be \
             delivered.",
        )
        .subcommand_required(false)
        .arg(
            Arg::new("db")
                .long("db")
                .global(true)
                .env("KITH_DB")
                .value_name("PATH")
                .help("The database file [default: $XDG_DATA_HOME/kith/kith.db]"),
        )
        .arg(
            Arg::new("demo")
                .long("demo")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Use the sample database ($XDG_DATA_HOME/kith/demo.db), made on first use"),
        )
        .arg(
            Arg::new("as")
                .long("as")
                .global(true)
                .env("KITH_USER")
                .value_name("USER")
                .help("Who the changes are recorded as [default: $USER]"),
        )
        .arg(
            Arg::new("now")
                .long("now")
                .global(true)
                .env("KITH_NOW")
                .value_name("WHEN")
                .help("Pin the clock (2026-11-22T09:30, or any date word) for scripts and tests"),
        )
        .arg(
            Arg::new("color")
                .long("color")
                .global(true)
                .value_name("WHEN")
                .value_parser(["auto", "always", "never"])
                .default_value("auto")
                .help("Colour tables: auto (on a terminal, unless NO_COLOR is set), always, never"),
        );
    for e in Entity::RECORDS {
        cmd = cmd.subcommand(noun(e));
    }
    cmd.subcommand(
        add(Entity::Activity)
            .name("log")
            .about("Log an activity (the same as 'kith activity add')"),
    )
    .subcommand(output::format_args(
        Command::new("search")
            .about("Fuzzy search across accounts, contacts, leads and deals")
            .arg(
                Arg::new("text")
                    .required(true)
                    .num_args(1..)
                    .value_name("TEXT"),
            )
            .arg(
                Arg::new("kind")
                    .long("kind")
                    .action(ArgAction::Append)
                    .value_parser(["account", "contact", "lead", "deal"])
                    .help("Search only this kind (repeatable)"),
            )
            .arg(
                Arg::new("limit")
                    .long("limit")
                    .value_parser(value_parser!(usize))
                    .default_value("20")
                    .help("Show at most this many hits"),
            ),
    ))
    .subcommand(pipeline())
    .subcommand(report())
    .subcommand(
        Command::new("backup")
            .about("Copy the database to FILE (safe while other kith processes write)")
            .arg(Arg::new("file").required(true).value_name("FILE")),
    )
    .subcommand(
        Command::new("restore")
            .about("Replace the database with a backup (asks first on a terminal)")
            .arg(Arg::new("file").required(true).value_name("FILE"))
            .arg(Arg::new("yes").long("yes").action(ArgAction::SetTrue).help("Do not ask")),
    )
    .subcommand(
        Command::new("check")
            .about("Check the database: SQLite integrity, foreign keys and kith's own rules; exit 0 only when all hold")
            .arg(Arg::new("json").long("json").action(ArgAction::SetTrue).help("Print the problems as JSON"))
            .arg(
                Arg::new("repair")
                    .long("repair")
                    .action(ArgAction::SetTrue)
                    .help("First make again what kith derives: missing indexes and triggers, each account's and deal's latest activity"),
            ),
    )
    .subcommand(output::format_args(
        Command::new("dedupe")
            .about("List likely duplicates: same email, phone, website domain or name")
            .arg(
                Arg::new("entity")
                    .long("entity")
                    .value_parser(["account", "contact", "lead"])
                    .action(ArgAction::Append)
                    .help("Only this kind (repeatable) [default: accounts, contacts and leads]"),
            ),
    ))
    .subcommand(
        Command::new("merge")
            .about("Merge OTHER into KEEP: move what points at OTHER, fill KEEP's empty fields, trash OTHER")
            .arg(
                Arg::new("kind")
                    .required(true)
                    .value_parser(["account", "contact", "lead", "deal", "activity", "task"]),
            )
            .arg(Arg::new("keep").required(true).value_name("KEEP"))
            .arg(Arg::new("other").required(true).value_name("OTHER"))
            .arg(Arg::new("dry-run").long("dry-run").action(ArgAction::SetTrue).help("Show what would happen, change nothing"))
            .arg(Arg::new("json").long("json").action(ArgAction::SetTrue).help("Print what was done as JSON")),
    )
    .subcommand(
        Command::new("undo")
            .about(
                "Undo your last change (a command, a saved form, an import), from the change log",
            )
            .long_about(
                "Undo the last change you made: everything one command, one saved form or one \
                 import did. A created record goes to the trash, an edit gets its old values \
                 back. An undo that would overwrite a later change is refused. Asks first on a \
                 terminal; scripts pass --yes.",
            )
            .arg(
                Arg::new("steps")
                    .long("steps")
                    .value_parser(value_parser!(u32).range(1..=1000))
                    .default_value("1")
                    .value_name("N")
                    .help("Undo your last N changes"),
            )
            .arg(
                Arg::new("yes")
                    .long("yes")
                    .action(ArgAction::SetTrue)
                    .help("Do not ask"),
            ),
    )
    .subcommand(output::format_args(
        Command::new("agenda")
            .about(
                "The coming days, day by day: tasks, visits and meetings, birthdays, deals closing",
            )
            .arg(
                Arg::new("days")
                    .long("days")
                    .value_parser(value_parser!(u32).range(1..=366))
                    .default_value("7")
                    .help("How many days, from today"),
            ),
    ))
    .subcommand(export())
    .subcommand(import())
    .subcommand(
        Command::new("remind")
            .about("Deliver what is due and the customer-care reminders, once each (for cron)")
            .long_about(
                "Deliver open tasks due up to the end of today (or within --within), and the \
                 customer-care reminders: accounts not contacted for longer than their tier \
                 allows, stale deals, birthdays coming up. Each reminder is delivered once; a \
                 second run prints nothing new, so cron mails only when there is something to \
                 say. Rules and thresholds are set in config.toml [care]. Exit status 3 when a \
                 delivery failed (those reminders are tried again next run).",
            )
            .arg(
                Arg::new("within")
                    .long("within")
                    .value_name("DURATION")
                    .help(
                    "Tasks due within this long from now (2h, 3d, 1w) [default: the rest of today]",
                ),
            )
            .arg(
                Arg::new("all")
                    .long("all")
                    .action(ArgAction::SetTrue)
                    .help("Show everything, delivered before or not"),
            )
            .arg(
                Arg::new("json")
                    .long("json")
                    .action(ArgAction::SetTrue)
                    .help("Print the reminders as a JSON array"),
            )
            .arg(
                Arg::new("mail")
                    .long("mail")
                    .value_name("ADDRESS")
                    .help("Mail them to ADDRESS through sendmail (config.toml [remind] sendmail)"),
            )
            .arg(Arg::new("exec").long("exec").value_name("COMMAND").help(
                "Run COMMAND once per reminder, the reminder as JSON on its stdin (no shell)",
            )),
    )
    .subcommand(
        Command::new("demo")
            .about("Fill a database with a realistic sample CRM")
            .long_about(
                "Fill a database with a realistic sample CRM: accounts with Chinese and English \
                 names across industries and tiers, their contacts, leads in every status, deals \
                 in every stage, months of activities, open and overdue tasks. Without --db it \
                 (re)makes the sample database that --demo uses; with --db the file must hold \
                 no records yet, so sample data is never mixed into real data.",
            )
            .arg(
                Arg::new("seed")
                    .long("seed")
                    .value_parser(value_parser!(u64))
                    .default_value("42")
                    .help("The same seed (and --now) gives the same data"),
            )
            .arg(
                Arg::new("accounts")
                    .long("accounts")
                    .value_parser(value_parser!(u64).range(1..=100_000))
                    .default_value("300")
                    .help("How many accounts; everything else scales with it"),
            )
            .arg(
                Arg::new("size")
                    .long("size")
                    .value_parser(["small", "large", "huge"])
                    .default_value("small")
                    .conflicts_with("accounts")
                    .help(
                        "small: --accounts accounts, written record by record; large: 100,000 \
                         accounts, 300,000 contacts, 50,000 leads, 200,000 deals, 2,000,000 \
                         activities, 500,000 tasks; huge: ten times large (for benchmarks)",
                    ),
            ),
    )
    .subcommand(
        Command::new("completions")
            .about("Print a shell completion script")
            .arg(
                Arg::new("shell")
                    .required(true)
                    .value_parser(value_parser!(clap_complete::Shell)),
            ),
    )
    .subcommand(Command::new("man").about("Print the man page (roff)"))
}

/// `-o FILE` for commands that write files.
fn output_arg() -> Arg {
    Arg::new("output")
        .short('o')
        .long("output")
        .value_name("FILE")
        .help(
            "Write to FILE instead of stdout (- is stdout); a file is replaced whole or not at all",
        )
}

fn export() -> Command {
    let records = |name: &'static str, about: &'static str| {
        Command::new(name)
            .about(about)
            .arg(
                Arg::new("entity")
                    .long("entity")
                    .value_parser(["account", "contact", "lead", "deal", "activity", "task"])
                    .help("The kind of record"),
            )
            .arg(
                Arg::new("filter")
                    .num_args(0..)
                    .value_name("FILTER")
                    .help("Only records matching this filter"),
            )
            .arg(
                Arg::new("trash")
                    .long("trash")
                    .action(ArgAction::SetTrue)
                    .help("Export the trash instead"),
            )
            .arg(output_arg())
    };
    Command::new("export")
        .about("Write records out: CSV, JSON, NDJSON, vCard, iCalendar, or the whole database")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            records("csv", "Records as CSV, every field, a header row")
                .mut_arg("entity", |a| a.required(true))
                .arg(output::raw_arg()),
        )
        .subcommand(
            records(
                "json",
                "Records as a JSON array; with --all, the whole database for 'kith import json'",
            )
            .mut_arg("entity", |a| a.required_unless_present("all"))
            .arg(
                Arg::new("all")
                    .long("all")
                    .action(ArgAction::SetTrue)
                    .conflicts_with_all(["entity", "filter", "trash"])
                    .help("Every table, ids, trash and change log included: a lossless dump"),
            ),
        )
        .subcommand(
            records("ndjson", "Records as JSON, one object per line")
                .mut_arg("entity", |a| a.required(true)),
        )
        .subcommand(
            Command::new("vcard")
                .about("Contacts as vCard (4.0, or 3.0 with --v3)")
                .arg(
                    Arg::new("entity")
                        .long("entity")
                        .value_parser(["contact"])
                        .default_value("contact")
                        .help("Only contacts have vCards"),
                )
                .arg(Arg::new("filter").num_args(0..).value_name("FILTER"))
                .arg(
                    Arg::new("v3")
                        .long("v3")
                        .action(ArgAction::SetTrue)
                        .help("Write vCard 3.0 (older address books)"),
                )
                .arg(output_arg()),
        )
        .subcommand(
            Command::new("ical")
                .about("Open tasks (VTODO) and planned activities (VEVENT) as an iCalendar file")
                .long_about(
                    "Open tasks as VTODO and planned activities as VEVENT, with stable UIDs, so \
                     importing again updates instead of duplicating. For khal, Thunderbird, \
                     Apple Calendar and the like.",
                )
                .arg(output_arg()),
        )
}

/// What `import csv` and `import vcard` share.
fn import_args(cmd: Command) -> Command {
    cmd.arg(Arg::new("file").required(true).value_name("FILE").help("The file (- is stdin)"))
        .arg(
            Arg::new("key")
                .long("key")
                .value_name("FIELD")
                .help("Update the record with the same FIELD (email, phone, name…) instead of adding another"),
        )
        .arg(
            Arg::new("create-missing")
                .long("create-missing")
                .action(ArgAction::SetTrue)
                .help("Make the accounts (and contacts) that rows name but that do not exist yet"),
        )
        .arg(
            Arg::new("allow-duplicate")
                .long("allow-duplicate")
                .action(ArgAction::SetTrue)
                .help("Add rows that look like existing records (same email, phone, domain or name)"),
        )
        .arg(Arg::new("dry-run").long("dry-run").action(ArgAction::SetTrue).help("Report what would be created, updated and rejected; change nothing"))
        .arg(
            Arg::new("skip-invalid")
                .long("skip-invalid")
                .value_name("FILE")
                .help("Import the good rows; write the rejected ones to FILE with the line and the reason"),
        )
        .arg(Arg::new("json").long("json").action(ArgAction::SetTrue).help("Print the summary as JSON"))
}

fn report() -> Command {
    let mut cmd = Command::new("report")
        .about("Reports: pipeline, forecast, funnel, winloss, activity, customers, leads")
        .subcommand_required(true)
        .arg_required_else_help(true);
    for k in crate::app::reports::Kind::ALL {
        let by_help = match k {
            crate::app::reports::Kind::Forecast => "Period: day, week (ISO), month, quarter or year [default: month]",
            crate::app::reports::Kind::Winloss => "Group by this deal field: owner, source, competitor, reason, tags (products)… [default: owner]",
            crate::app::reports::Kind::Activity => "Group by owner (or another activity field, by week), or by owner per day, week, month, quarter or year [default: owner, by week]",
            crate::app::reports::Kind::Customers => "Class accounts by revenue or profit [default: revenue]",
            crate::app::reports::Kind::Leads => "Group by source, owner or another lead field [default: source]",
            _ => "Also split each stage by this deal field",
        };
        let mut sub = output::format_args(
            Command::new(k.name())
                .about(k.about())
                .arg(
                    Arg::new("filter")
                        .num_args(0..)
                        .value_name("FILTER")
                        .help("Only records matching this filter"),
                )
                .arg(
                    Arg::new("from")
                        .long("from")
                        .value_name("DATE")
                        .help("First day of the period (a date word: 2026-01-01, som, -3m…)"),
                )
                .arg(
                    Arg::new("to")
                        .long("to")
                        .value_name("DATE")
                        .help("Last day of the period"),
                )
                .arg(Arg::new("by").long("by").value_name("FIELD").help(by_help)),
        );
        if matches!(
            k,
            crate::app::reports::Kind::Pipeline | crate::app::reports::Kind::Funnel
        ) {
            sub = sub.arg(
                Arg::new("pipeline")
                    .long("pipeline")
                    .value_name("PIPELINE")
                    .help("Which pipeline [default: the default one]"),
            );
        }
        if k == crate::app::reports::Kind::Customers {
            sub = sub.arg(
                Arg::new("dormant")
                    .long("dormant")
                    .value_parser(value_parser!(u32))
                    .value_name("DAYS")
                    .help("No activity for this many days makes an account dormant [default: 90]"),
            );
        }
        cmd = cmd.subcommand(sub);
    }
    cmd
}

fn import() -> Command {
    Command::new("import")
        .about("Read records in: CSV, vCard, a kith JSON dump; undo an import")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(import_args(
            Command::new("csv")
                .about("Import CSV rows as records; one batch, all or nothing unless --skip-invalid")
                .long_about(
                    "Import CSV rows as accounts, contacts, leads, deals, activities or tasks. \
                     Columns map to fields by header name (English and Chinese synonyms: 客户名称, \
                     联系人, 电话, 手机, 邮箱, 地址…) or with --map. UTF-8 (with or without BOM), \
                     UTF-16, UTF-32, GBK/GB18030, Big5, Shift_JIS, EUC-KR and the single-byte \
                     encodings (windows-1252…) are detected, or refused naming --encoding when \
                     unclear; comma, semicolon and tab are detected. Every \
                     row is checked like 'add'; by default any rejected row means nothing is \
                     written (exit 2). The import is one batch: 'kith import undo BATCH' takes it back.",
                )
                .arg(
                    Arg::new("entity")
                        .long("entity")
                        .required(true)
                        .value_parser(["account", "contact", "lead", "deal", "activity", "task"])
                        .help("What the rows are"),
                )
                .arg(
                    Arg::new("map")
                        .long("map")
                        .action(ArgAction::Append)
                        .value_name("SRC=FIELD")
                        .help("Map column SRC to FIELD (repeatable); FIELD - ignores the column; 'First Name+Last Name=name' joins columns"),
                )
                .arg(
                    Arg::new("from")
                        .long("from")
                        .value_name("TOOL")
                        .help("The tool the file was exported from: outlook, google, thunderbird, apple, salesforce, hubspot, odoo, zoho, linkedin, pipedrive, or none [default: detected from the header row when unmistakable]"),
                )
                .arg(
                    Arg::new("map-values")
                        .long("map-values")
                        .action(ArgAction::Append)
                        .value_name("FIELD:FROM=TO,…")
                        .help("Map values of a choice field (stage, tier, type, status…), e.g. stage:'Negotiation/Review=negotiation' (repeatable)"),
                )
                .arg(
                    Arg::new("skip-lines")
                        .long("skip-lines")
                        .value_parser(value_parser!(u64))
                        .value_name("N")
                        .help("Pass over N lines before the header row (a preamble)"),
                )
                .arg(Arg::new("delimiter").long("delimiter").value_name("C").help("The separator: , ; tab (\\t) [default: detected]"))
                .arg(
                    Arg::new("encoding")
                        .long("encoding")
                        .value_name("E")
                        .help("utf-8, windows-1252 (latin1), gbk, big5, shift_jis, euc-kr, utf-16le, utf-32… (any WHATWG label) [default: detected]"),
                )
                .arg(
                    Arg::new("date-format")
                        .long("date-format")
                        .value_name("ORDER")
                        .value_parser(["mdy", "dmy", "ymd"])
                        .help("How dates like 3/12/1985 read: mdy (12 March), dmy (3 December), ymd [default: as the column shows, else asked]"),
                ),
        ))
        .subcommand(import_args(
            Command::new("vcard")
                .about("Import contacts from a vCard file (3.0, 4.0; Google, Apple, Outlook exports)")
                .long_about(
                    "Import contacts from vCards. A card's ORG is the contact's account \
                     (--create-missing makes accounts that do not exist). A card with the UID of a \
                     contact already there updates it, else one with its email (--key picks another \
                     field). Any encoding: a BOM, CHARSET per property, else detected (--encoding). URLs, \
                     addresses and other properties kith has no field for are kept in the notes, \
                     and so is a value kith cannot take (an email without a dot in its domain, a \
                     placeholder phone), with a warning.",
                )
                .arg(
                    Arg::new("encoding")
                        .long("encoding")
                        .value_name("E")
                        .help("What the bytes without a CHARSET are in: utf-8, utf-16le, windows-1252, shift_jis, gbk… (any WHATWG label) [default: detected]"),
                )
                .arg(
                    Arg::new("strict")
                        .long("strict")
                        .action(ArgAction::SetTrue)
                        .help("Reject a card with a value kith cannot take, instead of keeping the value in its notes"),
                ),
        ))
        .subcommand(
            Command::new("json")
                .about("Load a dump made by 'kith export json --all' into a new, empty database")
                .arg(
                    Arg::new("file")
                        .required(true)
                        .value_name("FILE")
                        .help("The dump (- is stdin)"),
                ),
        )
        .subcommand(
            Command::new("undo")
                .about("Undo one import (or any batch) by its batch number")
                .arg(
                    Arg::new("batch")
                        .required(true)
                        .value_parser(value_parser!(i64))
                        .value_name("BATCH"),
                ),
        )
}

fn noun(e: Entity) -> Command {
    let about = match e {
        Entity::Account => "Accounts (客户): the companies and people you sell to",
        Entity::Contact => "Contacts (联系人): people, usually at an account",
        Entity::Lead => "Leads (线索): prospects not yet qualified",
        Entity::Deal => "Deals (商机): opportunities moving through a pipeline",
        Entity::Activity => "Activities (拜访): calls, visits, meetings, emails, notes",
        Entity::Task => "Tasks (跟进): follow-ups with a due date",
        _ => "",
    };
    let refs = |name: &'static str, about: String| {
        Command::new(name).about(about).arg(
            Arg::new("ref")
                .required(true)
                .num_args(1..)
                .value_name("REF")
                .help("Id or name (exact, or a unique prefix)"),
        )
    };
    let one_ref = |name: &'static str, about: String| {
        output::format_args(
            Command::new(name).about(about).arg(
                Arg::new("ref")
                    .required(true)
                    .value_name("REF")
                    .help("Id or name (exact, or a unique prefix)"),
            ),
        )
    };
    let mut cmd = Command::new(e.name())
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(add(e))
        .subcommand(list(e))
        .subcommand(one_ref(
            "show",
            format!("Show one {e} with everything around it"),
        ))
        .subcommand(edit(e))
        .subcommand(refs(
            "rm",
            format!(
                "Move {} to the trash (restore brings them back)",
                e.plural()
            ),
        ))
        .subcommand(refs(
            "restore",
            format!("Take {} out of the trash", e.plural()),
        ))
        .subcommand(one_ref(
            "history",
            format!("Every change made to one {e}: who, when, before and after"),
        ));
    match e {
        Entity::Lead => {
            cmd = cmd.subcommand(convert());
        }
        Entity::Deal => {
            cmd = cmd
                .subcommand(
                    Command::new("move")
                        .about("Move a deal to another stage of its pipeline")
                        .arg(Arg::new("ref").required(true).value_name("REF"))
                        .arg(Arg::new("stage").required(true).value_name("STAGE"))
                        .arg(
                            Arg::new("probability")
                                .long("probability")
                                .value_name("PERCENT")
                                .help("Override the stage's probability"),
                        )
                        .arg(
                            Arg::new("reason")
                                .long("reason")
                                .value_name("TEXT")
                                .help("Why (kept with a won or lost deal)"),
                        ),
                )
                .subcommand(
                    Command::new("won")
                        .about("Mark a deal won (moves it to its pipeline's won stage)")
                        .arg(Arg::new("ref").required(true).value_name("REF"))
                        .arg(
                            Arg::new("reason")
                                .long("reason")
                                .value_name("TEXT")
                                .help("Why it was won"),
                        ),
                )
                .subcommand(
                    Command::new("lost")
                        .about("Mark a deal lost, with the reason (moves it to the lost stage)")
                        .arg(Arg::new("ref").required(true).value_name("REF"))
                        .arg(
                            Arg::new("reason")
                                .long("reason")
                                .required(true)
                                .value_name("TEXT")
                                .help("Why it was lost"),
                        ),
                );
        }
        Entity::Task => {
            cmd = cmd
                .subcommand(refs(
                    "done",
                    "Mark tasks done (a repeating task gets its next occurrence)".into(),
                ))
                .subcommand(refs("reopen", "Mark done tasks open again".into()))
                .subcommand(
                    Command::new("snooze")
                        .about("Put a task off to a new due date")
                        .arg(Arg::new("ref").required(true).value_name("REF"))
                        .arg(
                            Arg::new("when")
                                .required(true)
                                .num_args(1..)
                                .value_name("WHEN")
                                .help("The new due: +2d, tomorrow 9am, mon, 2026-12-01 (from now)"),
                        ),
                );
        }
        _ => {}
    }
    cmd
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

fn field_help(f: &Field) -> String {
    let what = match f.ty {
        Ty::Text => "text".to_string(),
        Ty::LongText => "text (may span lines)".to_string(),
        Ty::Int { min, max } => format!("a whole number {min}–{max}"),
        Ty::Money => "an amount (120000, 120,000, 50k, 1.2m)".to_string(),
        Ty::Date => "a date (2026-11-22, tomorrow, fri, +3d, eom…)".to_string(),
        Ty::When => "a date or date and time (2026-11-22T14:00, tomorrow 9am, +2d…)".to_string(),
        Ty::Stamp => "a time".to_string(),
        Ty::Bool => "yes or no".to_string(),
        Ty::Enum(c) => format!("one of {}", c.join(", ")),
        Ty::Ref(t) => format!(
            "{} {}: id or name",
            if t == Entity::Account { "an" } else { "a" },
            t.name()
        ),
        Ty::List { .. } => "repeat or separate with commas for several".to_string(),
        Ty::Tags => "a tag; repeat for several".to_string(),
        Ty::Email => "an email address".to_string(),
        Ty::Phone => "a phone number".to_string(),
        Ty::Currency => "a currency code (USD, CNY, EUR…)".to_string(),
    };
    format!("{}: {what}", f.name.replace('_', " "))
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
        cmd = cmd.arg(arg);
    }
    cmd
}

fn add(e: Entity) -> Command {
    let label = e.label_field();
    let mut cmd = Command::new("add").about(format!(
        "Add {} {e}; prints its id",
        if e == Entity::Account || e == Entity::Activity {
            "an"
        } else {
            "a"
        }
    ));
    let mut skip = vec![label];
    if e == Entity::Activity {
        skip.push("kind");
        cmd = cmd.arg(
            Arg::new("kind")
                .required(true)
                .value_name("KIND")
                .help("call, visit, meeting, email or note"),
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
                .help("Add it even if it looks like an existing one (same email, phone, domain or name)"),
        );
    }
    if e == Entity::Activity {
        cmd = cmd
            .arg(
                Arg::new("next")
                    .long("next")
                    .value_name("TEXT")
                    .help("Also create this follow-up task"),
            )
            .arg(
                Arg::new("due")
                    .long("due")
                    .value_name("WHEN")
                    .requires("next")
                    .help("When the follow-up is due [default: tomorrow]"),
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
            .help("Repeat: daily, weekdays, weekly, monthly, yearly, 'every N days|weeks|months', an RRULE (FREQ=MONTHLY;BYMONTHDAY=-1), or none"),
    )
    .arg(
        Arg::new("chain")
            .long("chain")
            .value_name("DURATION")
            .conflicts_with("repeat")
            .help("Repeat this long after each is done (7d, 2w, 1m)"),
    )
}

fn edit(e: Entity) -> Command {
    let cmd = Command::new("edit")
        .about(format!(
            "Change fields of one {e}; an empty value clears a field"
        ))
        .arg(Arg::new("ref").required(true).value_name("REF"))
        .arg_required_else_help(true);
    let cmd = if e == Entity::Task {
        repeat_args(cmd)
    } else {
        cmd
    };
    field_args(cmd, e, &[])
        .arg(
            Arg::new("untag")
                .long("untag")
                .action(ArgAction::Append)
                .value_name("TAG")
                .help("Remove a tag; repeat for several"),
        )
        .mut_arg("tags", |a| a.help("Add a tag; repeat for several"))
}

fn list(e: Entity) -> Command {
    output::format_args(
        Command::new("list")
            .about(format!("List {} matching a filter", e.plural()))
            .long_about(format!(
                "List {} matching a filter. Terms are ANDed: field:value, field>value \
                 (also <, <=, >=, !=), field.has:text, +tag, -tag, and bare words matching text. \
                 Dates take date words: close<eom, due<=today. See docs/filters.md.\n\nFields: {}",
                e.plural(),
                e.field_names().join(", ")
            ))
            .arg(Arg::new("filter").num_args(0..).value_name("FILTER"))
            .arg(
                Arg::new("sort")
                    .long("sort")
                    .value_name("FIELDS")
                    .help("Sort by these fields, comma-separated; -field for descending"),
            )
            .arg(
                Arg::new("limit")
                    .long("limit")
                    .value_parser(value_parser!(usize))
                    .value_name("N")
                    .help("Show at most N"),
            )
            .arg(
                Arg::new("offset")
                    .long("offset")
                    .value_parser(value_parser!(usize))
                    .value_name("N")
                    .help("Skip the first N"),
            )
            .arg(
                Arg::new("trash")
                    .long("trash")
                    .action(ArgAction::SetTrue)
                    .help("List the trash instead"),
            )
            .arg(
                Arg::new("columns")
                    .long("columns")
                    .value_name("FIELDS")
                    .help("Columns to show, comma-separated (table, CSV, TSV)"),
            ),
    )
}

fn convert() -> Command {
    let deal_opts = ["amount", "currency", "stage", "pipeline", "probability"];
    let mut cmd = Command::new("convert")
        .about("Turn a lead into an account and contact (and a deal), in one step")
        .long_about(
            "Turn a lead into an account and a contact, and with --deal a deal, in one \
                 transaction. The account is the one given with --account, else an existing \
                 account with the lead's company name, else a new one. Prints the ids as \
                 'account ID', 'contact ID', 'deal ID' lines (--json: an object).",
        )
        .arg(Arg::new("ref").required(true).value_name("REF"))
        .arg(
            Arg::new("account")
                .long("account")
                .value_name("ACCOUNT")
                .help("Link to this existing account"),
        )
        .arg(
            Arg::new("contact")
                .long("contact")
                .value_name("CONTACT")
                .help("Link to this existing contact"),
        )
        .arg(
            Arg::new("deal")
                .long("deal")
                .value_name("TITLE")
                .help("Also create a deal with this title"),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help("Print the ids as a JSON object"),
        );
    for name in deal_opts {
        if let Some(f) = Entity::Deal.field(name) {
            cmd = cmd.arg(
                Arg::new(f.name)
                    .long(flag_name(f))
                    .requires("deal")
                    .help(format!("The deal's {}", field_help(f))),
            );
        }
    }
    cmd.arg(
        Arg::new("expected_close")
            .long("close")
            .requires("deal")
            .value_name("DATE")
            .help("The deal's expected close date"),
    )
}

fn pipeline() -> Command {
    let place = |cmd: Command| {
        cmd.arg(
            Arg::new("after")
                .long("after")
                .value_name("STAGE")
                .help("Put it after this stage"),
        )
        .arg(
            Arg::new("before")
                .long("before")
                .value_name("STAGE")
                .help("Put it before this stage"),
        )
        .arg(
            Arg::new("position")
                .long("position")
                .value_parser(value_parser!(usize))
                .value_name("N")
                .help("Put it at this position (1 is first)"),
        )
        .group(
            clap::ArgGroup::new("place")
                .args(["after", "before", "position"])
                .multiple(false),
        )
    };
    let pipe = || Arg::new("pipeline").required(true).value_name("PIPELINE");
    let stage = || Arg::new("stage").required(true).value_name("STAGE");
    Command::new("pipeline")
        .about("Pipelines and their stages")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(output::format_args(
            Command::new("list").about("Every pipeline with its stages and the open deals in each"),
        ))
        .subcommand(output::format_args(
            Command::new("show")
                .about("One pipeline with its stages and the open deals in each")
                .arg(pipe()),
        ))
        .subcommand(
            Command::new("add")
                .about("Add a pipeline; prints its id")
                .arg(Arg::new("name").required(true).value_name("NAME"))
                .arg(
                    Arg::new("stage")
                        .long("stage")
                        .action(ArgAction::Append)
                        .value_name("NAME[:PROB[:OUTCOME]]")
                        .help("A stage, in order (repeat); default: the sales stages"),
                )
                .arg(
                    Arg::new("default")
                        .long("default")
                        .action(ArgAction::SetTrue)
                        .help("Make it the default for new deals"),
                ),
        )
        .subcommand(
            Command::new("rename")
                .about("Rename a pipeline")
                .arg(pipe())
                .arg(Arg::new("name").required(true).value_name("NEW")),
        )
        .subcommand(
            Command::new("default")
                .about("Make a pipeline the default for new deals")
                .arg(pipe()),
        )
        .subcommand(
            Command::new("stage")
                .about("Add, rename, reorder, change and remove stages")
                .subcommand_required(true)
                .arg_required_else_help(true)
                .subcommand(place(
                    Command::new("add")
                        .about("Add a stage (at the end unless placed); prints its id")
                        .arg(pipe())
                        .arg(Arg::new("name").required(true).value_name("NAME"))
                        .arg(
                            Arg::new("probability")
                                .long("probability")
                                .value_name("PERCENT")
                                .help("Default probability of deals in it [default: 0]"),
                        )
                        .arg(
                            Arg::new("outcome")
                                .long("outcome")
                                .value_name("OUTCOME")
                                .help("open, won or lost [default: open]"),
                        ),
                ))
                .subcommand(
                    Command::new("rename")
                        .about("Rename a stage")
                        .arg(pipe())
                        .arg(stage())
                        .arg(Arg::new("name").required(true).value_name("NEW")),
                )
                .subcommand(
                    Command::new("set")
                        .about("Change a stage's probability or outcome")
                        .arg(pipe())
                        .arg(stage())
                        .arg(
                            Arg::new("probability")
                                .long("probability")
                                .value_name("PERCENT"),
                        )
                        .arg(Arg::new("outcome").long("outcome").value_name("OUTCOME"))
                        .arg_required_else_help(true),
                )
                .subcommand(place(
                    Command::new("move")
                        .about("Reorder: move a stage to another place")
                        .arg(pipe())
                        .arg(stage()),
                ))
                .subcommand(
                    Command::new("rm")
                        .about("Remove a stage no deal is in")
                        .arg(pipe())
                        .arg(stage()),
                ),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_valid() {
        command().debug_assert();
    }

    #[test]
    fn contract_options_exist() {
        let cmd = command();
        let opts = |noun: &str, verb: &str| -> Vec<String> {
            cmd.find_subcommand(noun)
                .and_then(|n| n.find_subcommand(verb))
                .map(|c| {
                    c.get_arguments()
                        .filter_map(|a| a.get_long().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let has = |noun: &str, verb: &str, want: &[&str]| {
            let got = opts(noun, verb);
            for w in want {
                assert!(
                    got.iter().any(|g| g == w),
                    "{noun} {verb} lacks --{w}: {got:?}"
                );
            }
        };
        has(
            "account",
            "add",
            &[
                "type", "tier", "industry", "owner", "parent", "phone", "email", "website", "city",
                "tag",
            ],
        );
        has(
            "contact",
            "add",
            &[
                "account", "title", "role", "email", "phone", "birthday", "tag",
            ],
        );
        has(
            "lead",
            "add",
            &["company", "source", "email", "phone", "score"],
        );
        has(
            "deal",
            "add",
            &[
                "account",
                "contact",
                "amount",
                "currency",
                "stage",
                "pipeline",
                "close",
                "probability",
            ],
        );
        has(
            "task",
            "add",
            &["due", "priority", "account", "contact", "lead", "deal"],
        );
        has(
            "activity",
            "add",
            &[
                "account", "contact", "lead", "deal", "at", "body", "outcome", "minutes", "next",
                "due",
            ],
        );
        assert!(cmd.find_subcommand("log").is_some());
    }
}
