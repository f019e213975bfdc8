//! The walkthroughs in docs/ print what kith prints: each `$ kith …` of a page is run in
//! order on one fresh database, in its own folder, with the clock the page names, and its
//! output (standard output and errors as a terminal shows them) is compared with the lines
//! under it. A `$ cat FILE` whose file is not there yet writes the lines under it (a file
//! the page shows before it is used); one that is there is compared as any command.

use std::path::Path;

/// One command of a page and what the page says it prints.
struct Step {
    line: usize,
    command: String,
    shown: Vec<String>,
}

/// The commands of a page's code blocks, in order.
fn steps(page: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut in_block = false;
    for (i, l) in page.lines().enumerate() {
        if l.starts_with("```") {
            in_block = !in_block;
            // What follows a block's last command is not its output.
            if in_block {
                steps.push(Step {
                    line: 0,
                    command: String::new(),
                    shown: vec![],
                });
            }
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(c) = l.strip_prefix("$ ") {
            steps.push(Step {
                line: i + 1,
                command: c.to_string(),
                shown: vec![],
            });
        } else if let Some(s) = steps.last_mut() {
            s.shown.push(l.trim_end().to_string());
        }
    }
    steps.retain(|s| !s.command.is_empty());
    steps
}

/// Replay `doc` with the clock at `now`, in the language of `lang` (a `LANG`); every step
/// whose output differs is named.
fn replay(doc: &str, now: &str, lang: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join(doc)).expect("read the page");
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = assert_cmd::cargo::cargo_bin("kith");
    let mut wrong = Vec::new();
    for s in steps(&page) {
        if let Some(name) = s.command.strip_prefix("cat ") {
            let file = dir.path().join(name.trim());
            if !file.exists() {
                std::fs::write(&file, s.shown.join("\n") + "\n").expect("write the file shown");
                continue;
            }
        }
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "exec 2>&1; kith() {{ '{}' \"$@\"; }}; {}",
                bin.display(),
                s.command
            ))
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("KITH_DB", dir.path().join("kith.db"))
            .env("KITH_NOW", now)
            .env("KITH_USER", "mei")
            .env("TZ", "UTC")
            .env("LANG", lang)
            .env("NO_COLOR", "1")
            .output()
            .expect("run bash");
        let text = String::from_utf8_lossy(&out.stdout);
        let got: Vec<String> = text.lines().map(|l| l.trim_end().to_string()).collect();
        // A document in a script kith must find a font for: a machine without one is told
        // which package to install, which is what the page says too.
        if text.contains("no font on this system has glyphs") {
            continue;
        }
        if got != s.shown {
            wrong.push(format!(
                "{doc}:{}: $ {}\n--- the page says:\n{}\n--- kith prints:\n{}",
                s.line,
                s.command,
                s.shown.join("\n"),
                got.join("\n")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn the_quote_to_cash_walkthrough_prints_what_it_says() {
    replay("docs/commerce.md", "2026-12-07T10:00", "C.UTF-8");
}

#[test]
fn the_team_walkthrough_prints_what_it_says() {
    replay("docs/team.md", "2026-11-22T10:00", "C.UTF-8");
}

#[test]
fn the_service_desk_walkthrough_prints_what_it_says() {
    replay("docs/service.md", "2026-09-30T09:00:00+08:00", "C.UTF-8");
}

#[test]
fn getting_started_prints_what_it_says_in_english_and_in_chinese() {
    replay("docs/getting-started.md", "2026-11-23T09:00", "C.UTF-8");
    replay(
        "docs/zh/getting-started.md",
        "2026-11-23T09:00",
        "zh_CN.UTF-8",
    );
}
