//! Golden test: what the commands print today, recorded under tests/golden/ and compared byte
//! for byte. The commands run in order against databases made once per run — the sample
//! database (`kith demo`), a small one for the whole-database dump, and the Maven sample
//! dataset — with the clock pinned (2026-11-22T10:00, UTC) and colour off.
//!
//! `KITH_GOLDEN=update cargo test --test golden` rewrites the files; see
//! tests/golden/README.md.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

const NOW: &str = "2026-11-22T10:00";

/// The directory of the golden files.
fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn updating() -> bool {
    std::env::var("KITH_GOLDEN").is_ok_and(|v| v == "update")
}

/// The Maven sample dataset (CRM Sales Opportunities): `KITH_MAVEN_DIR`, else
/// `../shared/datasets/…` beside the clone, else where the machines keep it.
fn maven_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("KITH_MAVEN_DIR").map(PathBuf::from),
        Some(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/datasets/maven-crm-sales-opportunities"),
        ),
        Some(PathBuf::from(
            "/work/shared/datasets/maven-crm-sales-opportunities",
        )),
    ];
    candidates.into_iter().flatten().find(|p| p.exists())
}

/// One database in a temp dir, and the commands run against it.
struct Session {
    dir: TempDir,
    db: PathBuf,
    /// Paths replaced in arguments and output: (placeholder, path).
    places: Vec<(&'static str, String)>,
    failures: Vec<String>,
}

impl Session {
    fn new() -> Session {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("kith.db");
        let mut places = vec![("$DIR", dir.path().display().to_string())];
        if let Ok(real) = dir.path().canonicalize() {
            places.push(("$DIR", real.display().to_string()));
        }
        places.push(("$DATA", data_dir().display().to_string()));
        Session {
            dir,
            db,
            places,
            failures: Vec::new(),
        }
    }

    fn with_maven(mut self, maven: &Path) -> Session {
        self.places.push(("$MAVEN", maven.display().to_string()));
        self
    }

    /// `$DIR`, `$DATA`, `$MAVEN` in an argument become their paths.
    fn expand(&self, arg: &str) -> String {
        let mut s = arg.to_string();
        for (name, path) in &self.places {
            s = s.replace(name, path);
        }
        s
    }

    /// Paths in output become their placeholders again (the longest first).
    fn normalise(&self, text: &str) -> String {
        let mut places = self.places.clone();
        places.sort_by_key(|(_, p)| std::cmp::Reverse(p.len()));
        let mut s = text.to_string();
        for (name, path) in places {
            s = s.replace(&path, name);
        }
        s
    }

    /// Run one command line (`account list --json`, or `cat FILE` for a file's bytes) and
    /// render its section of a golden file.
    fn section(&self, line: &str) -> String {
        let words =
            shlex::split(line).unwrap_or_else(|| panic!("golden command {line:?}: bad quoting"));
        let args: Vec<String> = words.iter().map(|w| self.expand(w)).collect();
        let (header, stdout, stderr, code) = if args.first().map(String::as_str) == Some("cat") {
            let text = std::fs::read(&args[1]).unwrap_or_else(|e| panic!("{line}: {e}"));
            (format!("$ {line}"), text, Vec::new(), 0)
        } else {
            let out = Command::new(env!("CARGO_BIN_EXE_kith"))
                .args(&args)
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .env("HOME", self.dir.path())
                .env("XDG_DATA_HOME", self.dir.path().join("data"))
                .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
                .env("KITH_DB", &self.db)
                .env("KITH_NOW", NOW)
                .env("KITH_USER", "tester")
                .env("TZ", "UTC")
                .env("NO_COLOR", "1")
                .current_dir(self.dir.path())
                .stdin(Stdio::null())
                .output()
                .expect("run kith");
            (
                format!("$ kith {line}"),
                out.stdout,
                out.stderr,
                out.status.code().unwrap_or(-1),
            )
        };
        let mut s = header;
        s.push('\n');
        let mut part = |label: Option<&str>, bytes: &[u8]| {
            if bytes.is_empty() {
                return;
            }
            if let Some(label) = label {
                s.push_str(label);
                s.push('\n');
            }
            s.push_str(&self.normalise(&String::from_utf8_lossy(bytes)));
            if !bytes.ends_with(b"\n") {
                s.push_str("\n--- no newline at the end\n");
            }
        };
        part(None, &stdout);
        part(Some("--- stderr"), &stderr);
        if code != 0 {
            s.push_str(&format!("--- exit {code}\n"));
        }
        s
    }

    /// Run the commands in order; compare their output with the golden file `name`.txt (or
    /// write it when updating). Mismatches are collected, so one run reports every file.
    fn group(&mut self, name: &str, what: &str, lines: &[&str]) {
        let mut text = format!(
            "# Golden output of kith: {what}.\n\
             # Clock {NOW} UTC, user tester. Regenerate: KITH_GOLDEN=update cargo test --test golden\n"
        );
        for line in lines {
            let t = std::time::Instant::now();
            text.push('\n');
            text.push_str(&self.section(line));
            if std::env::var_os("KITH_GOLDEN_TIMES").is_some() {
                eprintln!("{:>8.3}s  {name}: {line}", t.elapsed().as_secs_f64());
            }
        }
        let path = golden_dir().join(format!("{name}.txt"));
        let old = std::fs::read(&path).ok();
        if old.as_deref() == Some(text.as_bytes()) {
            return;
        }
        if updating() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
            eprintln!("updated {}", path.display());
            return;
        }
        let report = match old {
            None => format!(
                "tests/golden/{name}.txt is missing; make it with KITH_GOLDEN=update cargo test --test golden"
            ),
            Some(old) => mismatch(name, &String::from_utf8_lossy(&old), &text),
        };
        self.failures.push(report);
    }

    fn finish(self) {
        if !self.failures.is_empty() {
            panic!(
                "{}\n\nThe output differs from the golden files. If the change is intended, \
                 rewrite them with KITH_GOLDEN=update cargo test --test golden and review \
                 the diff in git.",
                self.failures.join("\n\n")
            );
        }
    }
}

/// The sections of a golden file: (header line, whole section, its first line's number).
fn sections(text: &str) -> Vec<(String, String, usize)> {
    let mut out: Vec<(String, String, usize)> = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if line.starts_with("$ ") {
            out.push((line.trim_end().to_string(), String::new(), i + 1));
        }
        if let Some((_, body, _)) = out.last_mut() {
            body.push_str(line);
        }
    }
    out
}

/// A readable account of how `actual` differs from the golden `expected`: the commands
/// whose output changed (the first few, each with a diff of its section).
fn mismatch(name: &str, expected: &str, actual: &str) -> String {
    const SHOWN: usize = 3;
    const LINES: usize = 40;
    let old = sections(expected);
    let new = sections(actual);
    let mut out = format!("tests/golden/{name}.txt differs:");
    let mut shown = 0;
    let mut changed = 0;
    for (header, body, _) in &new {
        let before = old.iter().find(|(h, _, _)| h == header);
        if before.map(|(_, b, _)| b) == Some(body) {
            continue;
        }
        changed += 1;
        if shown == SHOWN {
            continue;
        }
        shown += 1;
        match before {
            None => out.push_str(&format!(
                "\n\n{header}\n  (a command not in the golden file)"
            )),
            Some((_, before, at)) => {
                let diff = similar::TextDiff::from_lines(before.as_str(), body.as_str());
                let text = diff
                    .unified_diff()
                    .context_radius(2)
                    .header("golden", "now")
                    .to_string();
                out.push_str(&format!("\n\n{header}    (line {at} of the file)\n"));
                for (i, l) in text.lines().enumerate() {
                    if i == LINES {
                        out.push_str("  …\n");
                        break;
                    }
                    out.push_str("  ");
                    out.push_str(l);
                    out.push('\n');
                }
            }
        }
    }
    let gone: Vec<&str> = old
        .iter()
        .filter(|(h, _, _)| !new.iter().any(|(n, _, _)| n == h))
        .map(|(h, _, _)| h.as_str())
        .collect();
    if !gone.is_empty() {
        out.push_str(&format!(
            "\n\ncommands in the golden file no longer run: {}",
            gone.join(", ")
        ));
    }
    if changed == 0 && gone.is_empty() {
        // Same sections, other bytes (the file's header, the order).
        let diff = similar::TextDiff::from_lines(expected, actual);
        out.push('\n');
        out.push_str(&diff.unified_diff().context_radius(2).to_string());
    } else if changed > shown {
        out.push_str(&format!(
            "\n\n… and {} more commands differ",
            changed - shown
        ));
    }
    out
}

#[test]
fn the_sample_database() {
    let mut s = Session::new();
    s.group(
        "demo/build",
        "the sample database (kith demo, seed 42)",
        &["demo", "check"],
    );
    s.group(
        "demo/lists",
        "lists of every kind, with filters, sorts and every format, on the sample database",
        &[
            "account list",
            "account list tier:A --sort -name",
            "account list type:customer +vip --columns id,name,tier,tags",
            "account list city:广州 --json",
            "account list tier:B --sort city,name --limit 10 --offset 5 --csv",
            "account list status:dormant --tsv --limit 20",
            "account list parent_id!= --ndjson",
            "account list name.has:'blue harbor' --columns id,name,parent,city",
            "account list name.endswith:公司 --columns id,name",
            "account list industry:航空 -vip --columns id,name,industry,owner,tags",
            "account list 'created_at>=2026-06-01' --sort created_at --limit 10",
            "contact list --limit 60",
            "contact list --offset 760",
            "contact list account:广州白云国际机场 --json",
            "contact list birthday!= --sort birthday,id --columns id,name,birthday,account --limit 20",
            "contact list email.endswith:.cn --csv --limit 15",
            "contact list +champion --tsv",
            "lead list",
            "lead list status:qualified --sort -score --json",
            "lead list 'score>=80' source:web --csv",
            "lead list status:converted --ndjson",
            "deal list",
            "deal list status:open 'amount>500k' --sort -amount --limit 15",
            "deal list currency:USD --json",
            "deal list stage:negotiation --csv",
            "deal list 'close<=eoq' status:open --sort close,id --tsv",
            "deal list status:won --sort -closed_at --columns id,title,amount,currency,closed_at,owner --limit 20",
            "deal list competitor.any: --columns id,title,competitor,reason --limit 10",
            "deal list 'probability<50' owner:wang.fang --ndjson --limit 5",
            "activity list --limit 40",
            "activity list kind:visit 'at>=2026-11-01' --sort at,id",
            "activity list account:16 --json",
            "activity list outcome.none: --csv --limit 20",
            "activity list 'minutes>=60' --tsv --limit 20",
            "task list",
            "task list done:no 'due<today' --sort due,id",
            "task list priority:high --json",
            "task list done:yes --csv --limit 20",
            "task list account:广州白云国际机场 --ndjson",
            "pipeline list",
            "pipeline list --json",
            "pool list",
            "pool list tier:B --json",
            "pool sweep --dry-run",
            "pipeline show sales",
            "pipeline show sales --json",
            "dedupe",
            "dedupe --entity contact --json",
            "account list tier:D",
            "deal list nosuchfield:1",
            "account list name:nobody",
            "account list --trash",
        ],
    );
    s.group(
        "demo/shows",
        "one record of every kind, the 360° views, on the sample database",
        &[
            "account show 16",
            "account show 广州白云国际机场 --json",
            "account show 107",
            "account show 111 --json",
            "account show 白云 --csv",
            "account show Acme",
            "account show nobody",
            "contact show 42",
            "contact show 42 --json",
            "contact show 166 --tsv",
            "lead show 95",
            "lead show 6 --json",
            "deal show 250",
            "deal show 250 --json",
            "deal show 112 --tsv",
            "activity show 1188",
            "activity show 1188 --json",
            "task show 87",
            "task show 87 --json",
        ],
    );
    s.group(
        "demo/search",
        "search on the sample database",
        &[
            "search 白云",
            "search harbour",
            "search acme --kind account --limit 5",
            "search 酒店 --json",
            "search chloe --kind contact --csv",
            "search crm --kind deal --tsv --limit 10",
            "search wang fang --ndjson --limit 5",
            "search zzzqqqxxx",
        ],
    );
    s.group(
        "demo/reports",
        "every report in table, JSON and CSV, on the sample database",
        &[
            "report pipeline",
            "report pipeline --json",
            "report pipeline --csv",
            "report pipeline --by owner --tsv",
            "report pipeline currency:USD --ndjson",
            "report forecast",
            "report forecast --json",
            "report forecast --csv",
            "report forecast --by quarter",
            "report forecast --by week --from 2026-11-01 --to 2026-12-31",
            "report funnel",
            "report funnel --json",
            "report funnel --csv",
            "report funnel --by owner",
            "report winloss",
            "report winloss --json",
            "report winloss --csv",
            "report winloss --by source --from 2026-09-01",
            "report winloss --by tags --ndjson",
            "report activity",
            "report activity --json --from 2026-11-01",
            "report activity --csv --from 2026-10-01",
            "report activity --by month",
            "report activity --by kind --from 2026-11-01 --to 2026-11-30",
            "report customers",
            "report customers tier:A --json",
            "report customers --csv",
            "report customers --by profit --dormant 30 --tsv",
            "report leads",
            "report leads --json",
            "report leads --csv",
            "report leads --by owner",
            "report winloss --from 2030-01-01",
        ],
    );
    s.group(
        "demo/agenda",
        "the agenda on the sample database",
        &[
            "agenda",
            "agenda --days 14",
            "agenda --days 1 --json",
            "agenda --csv",
            "agenda --tsv --days 3",
            "agenda --ndjson --days 2",
            "--now 2026-12-24T09:00 agenda --days 10",
            "agenda --days 0",
        ],
    );
    s.group(
        "demo/exports",
        "exports in every format on the sample database",
        &[
            "export csv --entity account",
            "export json --entity account tier:A",
            "export json --entity contact account:16",
            "export ndjson --entity deal status:open currency:USD",
            "export csv --entity lead",
            "export json --entity activity account:16",
            "export ndjson --entity task done:no priority:high",
            "export csv --entity task done:no account:16",
            "export vcard account:16",
            "export vcard --v3 account:16",
            "export ical",
            "export csv --entity deal stage:proposal -o $DIR/proposal.csv",
            "cat $DIR/proposal.csv",
            "export csv --entity deal --trash",
        ],
    );
    s.group(
        "demo/changes",
        "changes and their history on the sample database",
        &[
            "account edit 16 --tier B --tag golden --untag key",
            "account edit 16 --tier B",
            "account history 16",
            "deal move 250 proposal",
            "deal won 250 --reason 'best offer'",
            "deal history 250",
            "deal show 250",
            "contact rm 42",
            "contact list --trash",
            "account show 16",
            "contact restore 42",
            "contact history 42 --json",
            "task add 'Weekly golden call' --account 16 --due 'fri 17:00' --repeat weekly",
            "task done 'Weekly golden call'",
            "task list title.has:golden",
            "task snooze 254 tomorrow 9am",
            "task history 253 --csv",
            "log visit 'Golden visit' --account 16 --contact 42 --minutes 45 --next 'Send the golden notes' --due tomorrow",
            "activity list subject:'Golden visit'",
            "lead convert 44 --deal 'Golden deal' --amount 10k --currency CNY --close eoq",
            "lead show 44",
            "merge account 54 312 --dry-run",
            "merge account 54 312",
            "account show 54",
            "check",
            "account list --trash",
            "undo --yes",
            "account list --trash",
            "import csv $DATA/csv/contacts_gbk.csv --entity contact --create-missing",
            "contact list account:杭州青禾茶业有限公司",
            "undo --yes",
            "contact list account:杭州青禾茶业有限公司",
            "account history 16 --tsv",
            "deal list --trash",
            "check",
        ],
    );
    s.group(
        "demo/remind",
        "reminders at several clocks and horizons on the sample database",
        &[
            "remind --json",
            "remind",
            "remind --all",
            "remind --within 1w",
            "remind --within 2h --all",
            "--now 2026-11-23T08:00 remind",
            "--now 2026-11-25T09:00 remind --json",
            "--now 2026-11-25T09:00 remind --within 3d",
            "--now 2026-11-25T09:00 remind",
            "--now 2026-11-25T09:00 remind --all --within 30min --json",
        ],
    );
    s.finish();
}

#[test]
fn the_whole_database_dump() {
    let mut s = Session::new();
    s.group(
        "dump/all",
        "the whole-database dump of a small sample database with trash, a merge, an undo and deliveries",
        &[
            "demo --accounts 5",
            "account add 'Golden Duplicate' --email info@golden.example",
            "account add 'Golden Duplicate Ltd' --email info@golden.example --allow-duplicate",
            "merge account 6 7",
            "contact rm 1",
            "task done 1",
            "undo --yes",
            "remind",
            "export json --all",
            "export json --all -o $DIR/all.json",
        ],
    );
    s.finish();
}

#[test]
fn the_maven_dataset() {
    let Some(maven) = maven_dir() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have the Maven dataset at ../shared/datasets/maven-crm-sales-opportunities"
        );
        eprintln!("skipped: the Maven dataset is not there (set KITH_MAVEN_DIR)");
        return;
    };
    let mut s = Session::new().with_maven(&maven);
    s.group(
        "maven/import",
        "importing the Maven CRM Sales Opportunities dataset",
        &[
            "import csv $MAVEN/accounts.csv --entity account --create-missing --key name",
            "pipeline add maven --stage Prospecting:10 --stage Engaging:50 --stage Won --stage Lost --default",
            "import csv $MAVEN/sales_pipeline.csv --entity deal --map opportunity_id=title --map product=tags --map engage_date=- --json",
            "pipeline list",
            "check",
        ],
    );
    s.group(
        "maven/records",
        "lists, shows, search and history on the Maven dataset",
        &[
            "account list",
            "account list parent!= --columns id,name,parent,industry --csv",
            "account list industry:technolgy --sort name --json",
            "deal list --limit 20",
            "deal list status:won --sort -amount,id --limit 20",
            "deal list owner:'Moses Frase' status:lost --csv --limit 20",
            "deal list +gtxpro 'amount>5000' --sort id --json --limit 5",
            "deal list account: --sort id --limit 10 --tsv",
            "deal list status:open --sort close,id --ndjson --limit 10",
            "deal list 'closed_at>=2017-12-25' --sort -closed_at,id --columns id,title,account,amount,closed_at,owner",
            "deal show 1C1I7A6R",
            "deal show 1C1I7A6R --json",
            "deal history 1C1I7A6R",
            "account show 'Acme Corporation'",
            "account show Cancity --json",
            "account history Bluth",
            "search acme",
            "search cancity --json",
            "search 1C1I --kind deal --limit 5",
        ],
    );
    s.group(
        "maven/reports",
        "every report on the Maven dataset",
        &[
            "report pipeline",
            "report pipeline --by owner --csv",
            "report forecast --by quarter",
            "report forecast --by year --json",
            "report forecast --csv",
            "report funnel",
            "report funnel --json",
            "report winloss",
            "report winloss --by tags --from 2017-10-01 --to 2017-12-31",
            "report winloss --by account --csv",
            "report winloss --by tags --json",
            "report customers",
            "report customers --by profit --json",
            "report customers --csv",
            "report activity",
            "report leads",
        ],
    );
    s.group(
        "maven/exports",
        "exports on the Maven dataset",
        &[
            "export csv --entity account",
            "export ndjson --entity deal account:Cancity status:won 'amount>=1000'",
            "export json --entity deal 'amount>=30000' status:won",
            "agenda",
            "remind --all",
        ],
    );
    s.finish();
}
