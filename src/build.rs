//! Build script: the message catalogs, and how the `kith` binary is linked on Linux.
//!
//! **Catalogs.** Every file `locales/*.toml` holds messages keyed by id, each with its text
//! per language (see src/core/text.rs). They are turned here into one sorted table per
//! language, compiled into the binary, so a message is found by a binary search with
//! nothing parsed or built at start. A file that does not parse, a message without English,
//! or an id given twice stops the build with the file and the id named.
//!
//! **Linking.** A position-independent kith has some 50,000 relocations for the dynamic
//! loader to apply at every start, which touch about 350 pages: 1.2–1.5 ms of a command that
//! takes 4–6 ms in all (`kith --version` 3.4 → 1.9 ms, a filtered deal list 5.8 → 4.5 ms on
//! the large dataset; docs/performance.md). So the binary is linked position-dependent; the
//! cost is that the binary itself is not placed at a random address (libraries, stack and
//! heap still are). Only the binary is linked this way; tests, benchmarks and examples keep
//! the default.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The languages a catalog may hold, in the order their tables are generated; English first,
/// as every message must have it.
const LANGUAGES: &[&str] = &["en", "zh-CN"];

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=src/build.rs");
    println!("cargo:rerun-if-changed=locales");
    if let Err(e) = catalogs() {
        eprintln!("catalog: {e}");
        std::process::exit(1);
    }
}

fn catalogs() -> Result<(), String> {
    let mut files: Vec<_> = std::fs::read_dir("locales")
        .map_err(|e| format!("locales/: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    // id → language → text
    let mut messages: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut origin: BTreeMap<String, String> = BTreeMap::new();
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let table: toml::Table = text
            .parse()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.display().to_string();
        collect(&name, "", &table, &mut messages, &mut origin)?;
    }
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("catalog.rs");
    let mut code = String::new();
    writeln!(code, "/// Every message id, sorted.").unwrap();
    writeln!(code, "pub static IDS: &[&str] = &[").unwrap();
    for id in messages.keys() {
        writeln!(code, "    {id:?},").unwrap();
    }
    writeln!(code, "];").unwrap();
    writeln!(
        code,
        "/// Per language, the text of each id in [`IDS`]' order (None: not translated)."
    )
    .unwrap();
    writeln!(code, "pub static TEXTS: &[(&str, &[Option<&str>])] = &[").unwrap();
    for lang in LANGUAGES {
        writeln!(code, "    ({lang:?}, &[").unwrap();
        for texts in messages.values() {
            match texts.get(*lang) {
                Some(t) => writeln!(code, "        Some({t:?}),").unwrap(),
                None => writeln!(code, "        None,").unwrap(),
            }
        }
        writeln!(code, "    ]),").unwrap();
    }
    writeln!(code, "];").unwrap();
    std::fs::write(&out, code).map_err(|e| format!("{}: {e}", out.display()))
}

/// Walk a catalog file: a table whose values are all strings keyed by language is one
/// message; any other table is a level of the id (`[deal.won]` is the id `deal.won`).
fn collect(
    file: &str,
    prefix: &str,
    table: &toml::Table,
    messages: &mut BTreeMap<String, BTreeMap<String, String>>,
    origin: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    for (key, value) in table {
        let id = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        let toml::Value::Table(inner) = value else {
            return Err(format!(
                "{file}: {id}: expected a table of texts by language (en = \"…\")"
            ));
        };
        let is_message = inner.keys().any(|k| LANGUAGES.contains(&k.as_str()));
        if !is_message {
            collect(file, &id, inner, messages, origin)?;
            continue;
        }
        let mut texts = BTreeMap::new();
        for (lang, text) in inner {
            if !LANGUAGES.contains(&lang.as_str()) {
                return Err(format!(
                    "{file}: {id}: unknown language {lang:?} (known: {})",
                    LANGUAGES.join(", ")
                ));
            }
            let toml::Value::String(text) = text else {
                return Err(format!("{file}: {id}.{lang}: expected a string"));
            };
            texts.insert(lang.clone(), text.clone());
        }
        if !texts.contains_key("en") {
            return Err(format!("{file}: {id}: no English text (en = \"…\")"));
        }
        if let Some(first) = origin.insert(id.clone(), file.to_string()) {
            return Err(format!("{file}: {id}: already given in {first}"));
        }
        messages.insert(id, texts);
    }
    Ok(())
}
