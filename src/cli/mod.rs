//! The scripted face: `kith <noun> <verb> …`.
//!
//! - `tree`: the command tree, built in one place from the nouns' declarations;
//! - `nouns/`: one module per noun (`account`, `deal`, `import`, `report` …), each declaring
//!   its command and the function that runs it;
//! - `records`: the verbs every kind of record has (add, list, show, edit, rm, restore,
//!   history), built from the model and shared by the record nouns;
//! - `args` and `output`: reading the parsed arguments, writing tables, CSV and JSON.
//!
//! This face holds a `Crm` and nothing below it: no store, no reader, no SQL.

mod args;
mod clap_text;
mod lines;
mod nouns;
mod output;
mod records;
mod sharing;
mod tree;
mod words;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::ArgMatches;

use crate::app::config::{self, Config};
use crate::app::crm::{Crm, Env};
use crate::core::clock::Clock;
use crate::core::error::{Error, Result};
use crate::tr;

pub use args::{escape, unescape};
pub use tree::command;

/// Run kith with the process's arguments; returns the exit status.
pub fn main() -> i32 {
    let argv = escape(std::env::args().collect());
    // clap repeats a value it refuses: with control characters typed, its message is
    // written plain (no colour), control characters shown by their codes.
    if let Err(e) = choose_language(&argv) {
        output::say(&tr!("cli.error", error = e));
        return e.exit_code();
    }
    let typed_controls = argv
        .iter()
        .any(|a| crate::core::escape::visible(a) != a.as_str());
    let m = match tree::tree_for(&argv)
        .try_get_matches_from(&argv)
        .or_else(|e| match e.kind() {
            clap::error::ErrorKind::UnknownArgument => match custom_tree(&argv) {
                Some(tree) => tree.try_get_matches_from(&argv),
                None => Err(e),
            },
            _ => Err(e),
        }) {
        Ok(m) => m,
        Err(e) => {
            // A help page is made again from the tree with clap's words from the catalog.
            let e = match e.kind() {
                clap::error::ErrorKind::DisplayHelp
                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
                | clap::error::ErrorKind::DisplayVersion => {
                    command().try_get_matches_from(&argv).err().unwrap_or(e)
                }
                _ => e,
            };
            let text = clap_text::render(&e, &clap::builder::Styles::styled());
            if typed_controls && e.use_stderr() {
                output::say(&plain(&text));
            } else if e.use_stderr() {
                let _ = std::io::Write::write_all(&mut anstream::stderr(), text.as_bytes());
            } else {
                // A closed pipe (`kith --help | head`) ends the page quietly.
                let _ = std::io::Write::write_all(&mut anstream::stdout(), text.as_bytes());
            }
            return e.exit_code();
        }
    };
    match run(&m) {
        Ok(code) => code,
        Err(e) => {
            output::say(&tr!("cli.error", error = e));
            e.exit_code()
        }
    }
}

/// The configuration file, read once a run: the language, the way of showing amounts, the
/// custom-field tree and the command itself all need it (a file that does not read is the
/// same error each time).
pub(crate) fn configuration() -> Result<Config> {
    static LOADED: std::sync::OnceLock<Result<Config>> = std::sync::OnceLock::new();
    LOADED
        .get_or_init(|| Config::load(&config::config_path()))
        .clone()
}

/// The language of this run's messages and help, chosen before the command tree (whose
/// help is in it) is built: `--lang`, else the configuration's `lang`, else the
/// environment's. A configuration that does not read leaves the environment's language;
/// its error is then reported, in that language, when the command opens it.
fn choose_language(argv: &[String]) -> Result<()> {
    let tag = match args::long_value(argv, "lang") {
        Some(name) => crate::core::text::tag_or_error(&name).map_err(|e| e.context("--lang"))?,
        None => match configuration() {
            Ok(Config { lang: Some(l), .. }) => crate::core::text::tag_or_error(&l)?,
            _ => crate::core::text::tag_from_env(|v| std::env::var(v).ok()),
        },
    };
    crate::core::text::set_language(tag);
    Ok(())
}

/// How this run's tables and interface show amounts: `--amounts`, else the configuration's
/// `amounts`, else grouped. A configuration that does not read leaves the default; its
/// error is reported when the command opens it.
fn choose_amounts(m: &ArgMatches) {
    let how = match args::value(m, "amounts") {
        Some(name) => crate::core::money::Amounts::from_name(&name).unwrap_or_default(),
        None => configuration().map(|c| c.amounts()).unwrap_or_default(),
    };
    crate::core::money::set_amounts(how);
}

/// A text without its style's escape codes.
fn plain(text: &str) -> String {
    let mut out = Vec::new();
    let mut w = anstream::StripStream::new(&mut out);
    let _ = std::io::Write::write_all(&mut w, text.trim_end().as_bytes());
    String::from_utf8_lossy(&out).into_owned()
}

/// The command tree with the custom fields of the database a command line names, when it
/// adds or edits a record of a kind that has some (None otherwise, or when the database
/// cannot be opened: the plain tree's error stands).
fn custom_tree(argv: &[String]) -> Option<clap::Command> {
    let pre = tree::tree_for(argv)
        .ignore_errors(true)
        .try_get_matches_from(argv)
        .ok()?;
    let (noun, sub) = pre.subcommand()?;
    let verb = if noun == "log" {
        "add"
    } else {
        sub.subcommand_name()?
    };
    let kind = if noun == "log" {
        crate::model::Entity::Activity
    } else {
        crate::model::Entity::from_name(noun)?
    };
    if !matches!(verb, "add" | "edit") || !kind.kind().record {
        return None;
    }
    let config = configuration().ok()?;
    let path = db_path(&pre, &config);
    if !path.is_file() {
        return None;
    }
    let crm = open_at(&pre, &config, &path).ok()?;
    if crm.custom().of(kind).is_empty() {
        return None;
    }
    Some(tree::command_with(crm.custom()))
}

fn run(m: &ArgMatches) -> Result<i32> {
    choose_amounts(m);
    let color = output::use_color(&args::value(m, "color").unwrap_or_else(|| "auto".into()));
    let mut out = output::Out::stdout(color);
    // `--raw` belongs to the command at the end of the line (`kith account list --raw`).
    let mut leaf = m;
    while let Some((_, sub)) = leaf.subcommand() {
        leaf = sub;
    }
    out.raw = args::flag(leaf, "raw");
    out.encoding = output::Encoding::of(leaf);
    match m.subcommand() {
        None => {
            // On a terminal, the full-screen interface; otherwise usage, for scripts.
            if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
                let (crm, config) = open(m)?;
                let keymap = crate::tui::Keymap::with_overrides(&config.keys)?;
                crate::tui::run(crm, keymap, color, &config)?;
                return Ok(0);
            }
            eprintln!(
                "{}",
                clap_text::headings(&command().render_usage().to_string())
            );
            eprintln!("{}", tr!("cli.no_terminal"));
            Ok(2)
        }
        Some((name, sub)) => {
            let noun = nouns::find(name)
                .ok_or_else(|| Error::invalid(tr!("cli.unknown_command", name = name)))?;
            match noun.run {
                nouns::Run::Crm(run) => {
                    let (mut crm, _) = open(m)?;
                    run(&mut crm, sub, &out)
                }
                nouns::Run::Top(run) => run(m, sub, &out),
            }
        }
    }
}

/// The database, clock and user for this run, and the configuration they came from.
pub(crate) fn open(m: &ArgMatches) -> Result<(Crm, Config)> {
    let config = configuration()?;
    let path = db_path(m, &config);
    let demo = args::flag(m, "demo") && needs_demo(&path)?;
    let mut crm = open_at(m, &config, &path)?;
    if demo {
        eprintln!("{}", tr!("cli.making_demo", path = path.display()));
        crate::samples::demo::generate(&mut crm, &crate::samples::demo::DemoOptions::default())?;
    }
    Ok((crm, config))
}

fn needs_demo(path: &std::path::Path) -> Result<bool> {
    Crm::is_empty_at(path)
}

pub(crate) fn open_at(m: &ArgMatches, config: &Config, path: &std::path::Path) -> Result<Crm> {
    let clock = match args::value(m, "now") {
        Some(s) if !s.trim().is_empty() => {
            Clock::pinned(&s).map_err(|e| e.context("--now / KITH_NOW"))?
        }
        _ => Clock::system(),
    };
    let as_flag = args::value(m, "as");
    let user = config::user(as_flag.as_deref(), config);
    let named = as_flag.is_some_and(|s| !s.trim().is_empty()) || config.user.is_some();
    let env = Env {
        clock,
        user,
        currency: config.currency.clone().unwrap_or_else(|| "USD".into()),
        allow_duplicates: false,
    };
    let mut crm = Crm::open(path, env)?;
    crm.act(config::system_login().as_deref(), named)?;
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
