use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::{arr, Kith};

/// A CRM as of 2026-11-22 10:00 with one thing for every rule, made over the weeks before.
fn fixture() -> Kith {
    let k = Kith::new();
    let at = |when: &str, args: &[&str]| {
        k.cmd().env("KITH_NOW", when).args(args).assert().success();
    };
    // Made 2026-09-01: accounts and a deal.
    at(
        "2026-09-01T09:00",
        &[
            "account", "add", "Airport", "--type", "customer", "--tier", "A",
        ],
    );
    at(
        "2026-09-01T09:00",
        &[
            "account", "add", "Bakery", "--type", "customer", "--tier", "B",
        ],
    );
    at(
        "2026-09-01T09:00",
        &[
            "account",
            "add",
            "Rival",
            "--type",
            "competitor",
            "--tier",
            "A",
        ],
    );
    at(
        "2026-09-01T09:00",
        &[
            "deal",
            "add",
            "Quiet deal",
            "--account",
            "Bakery",
            "--close",
            "2027-03-01",
        ],
    );
    at(
        "2026-11-01T09:00",
        &[
            "deal",
            "add",
            "Late deal",
            "--account",
            "Bakery",
            "--close",
            "2026-11-20",
        ],
    );
    at(
        "2026-11-01T09:00",
        &[
            "log",
            "call",
            "Deal call",
            "--deal",
            "Late deal",
            "--at",
            "2026-11-15",
        ],
    );
    // The airport (A: 14 days) was last visited 20 days ago; the bakery (B: 30) 10 days ago.
    at(
        "2026-11-02T09:00",
        &[
            "log",
            "visit",
            "Airport visit",
            "--account",
            "Airport",
            "--at",
            "2026-11-02",
        ],
    );
    at(
        "2026-11-12T09:00",
        &[
            "log",
            "call",
            "Bakery call",
            "--account",
            "Bakery",
            "--at",
            "2026-11-12",
        ],
    );
    at(
        "2026-11-12T09:00",
        &[
            "contact",
            "add",
            "王芳",
            "--account",
            "Airport",
            "--birthday",
            "1985-11-25",
        ],
    );
    at(
        "2026-11-12T09:00",
        &["contact", "add", "Far Off", "--birthday", "1985-12-25"],
    );
    at(
        "2026-11-12T09:00",
        &[
            "task",
            "add",
            "Overdue task",
            "--due",
            "2026-11-20",
            "--account",
            "Airport",
        ],
    );
    at(
        "2026-11-12T09:00",
        &["task", "add", "Later today", "--due", "2026-11-22 17:00"],
    );
    at(
        "2026-11-12T09:00",
        &["task", "add", "Tomorrow", "--due", "2026-11-23 09:00"],
    );
    at(
        "2026-11-12T09:00",
        &["task", "add", "Done already", "--due", "2026-11-19"],
    );
    at("2026-11-12T09:00", &["task", "done", "Done already"]);
    k
}

fn reminders(k: &Kith, args: &[&str]) -> Vec<Value> {
    let mut a = vec!["remind"];
    a.extend(args);
    arr(&k.json(&a))
}

fn titles(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_rule_finds_what_it_should_and_only_that() {
    let k = fixture();
    let items = reminders(&k, &[]);
    let got: BTreeSet<(String, String, i64, String)> = items
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_string(),
                r["record_kind"].as_str().unwrap().to_string(),
                r["record_id"].as_i64().unwrap(),
                r["due"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: BTreeSet<(String, String, i64, String)> = [
        ("task", "task", 1, "2026-11-20"),
        ("task", "task", 2, "2026-11-22T17:00:00"),
        ("no_contact", "account", 1, "2026-11-16"),
        ("stale_deal", "deal", 1, "2026-10-01"),
        ("stale_deal", "deal", 2, "2026-11-20"),
        ("birthday", "contact", 1, "2026-11-25"),
    ]
    .into_iter()
    .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c, d.to_string()))
    .collect();
    assert_eq!(got, want, "{items:#?}");
    let overdue = items
        .iter()
        .find(|r| r["record_id"] == 1 && r["kind"] == "task")
        .unwrap();
    assert_eq!(overdue["title"], "Overdue task");
    assert_eq!(overdue["overdue"], true);
    assert_eq!(overdue["detail"], "Airport");
    assert_eq!(overdue["key"], "task:1:2026-11-20");
    let quiet_deal = items
        .iter()
        .find(|r| r["kind"] == "stale_deal" && r["record_id"] == 1)
        .unwrap();
    assert_eq!(
        quiet_deal["title"],
        "Stale deal: Quiet deal (no activity for 82 days)"
    );
    assert_eq!(quiet_deal["detail"], "Bakery");
    assert_eq!(quiet_deal["key"], "stale_deal:1:2026-09-01:2027-03-01");
    let late_deal = items
        .iter()
        .find(|r| r["kind"] == "stale_deal" && r["record_id"] == 2)
        .unwrap();
    assert_eq!(
        late_deal["title"],
        "Stale deal: Late deal (expected to close 2026-11-20)"
    );
    assert_eq!(late_deal["detail"], "Bakery");
    let bday = items.iter().find(|r| r["kind"] == "birthday").unwrap();
    assert_eq!(bday["title"], "Birthday of 王芳 on Wed 2026-11-25");
    assert_eq!(bday["detail"], "turns 41 · Airport");
    let quiet = items.iter().find(|r| r["kind"] == "no_contact").unwrap();
    assert_eq!(quiet["title"], "No contact with Airport for 20 days");
    assert_eq!(quiet["key"], "no_contact:1:2026-11-02");
    assert_eq!(quiet["detail"], "tier A allows 14 days");
}

#[test]
fn within_widens_the_task_window() {
    let k = fixture();
    let items = reminders(&k, &["--within", "1d"]);
    assert!(
        titles(&items).contains(&"Tomorrow".to_string()),
        "{items:#?}"
    );
    let err = k.fails(&["remind", "--within", "soon"], 2);
    assert!(err.contains("--within"), "{err}");
    let err = k.fails(&["remind", "--within", "-1d"], 2);
    assert!(err.contains("looks back"), "{err}");
}

#[test]
fn each_reminder_is_delivered_once_and_all_shows_them_again() {
    let k = fixture();
    let first = k.ok(&["remind"]);
    assert_eq!(first.lines().count(), 6, "{first}");
    assert!(
        first.contains("overdue   task 1        Overdue task  (due 2026-11-20) · Airport"),
        "{first}"
    );
    assert_eq!(k.ok(&["remind"]), "", "a second run prints nothing new");
    assert_eq!(
        k.ok(&["remind", "--json"]),
        "",
        "nothing new is silent as JSON too"
    );
    assert_eq!(k.ok(&["remind", "--all"]).lines().count(), 6);
    // A snoozed task is a new occurrence.
    k.ok(&["task", "edit", "Overdue task", "--due", "2026-11-22 15:00"]);
    let again = k.ok(&["remind"]);
    assert_eq!(again.lines().count(), 1, "{again}");
    assert!(again.contains("Overdue task"), "{again}");
    // A new activity on the airport, then a long silence: a new no-contact reminder.
    k.ok(&[
        "log",
        "call",
        "Check-in",
        "--account",
        "Airport",
        "--at",
        "2026-11-22 09:00",
    ]);
    assert_eq!(k.ok(&["remind"]), "");
    let later = k
        .cmd()
        .env("KITH_NOW", "2026-12-10T10:00")
        .args(["remind", "--json"])
        .output()
        .unwrap();
    let later: Vec<Value> = serde_json::from_slice(&later.stdout).unwrap();
    assert!(
        later
            .iter()
            .any(|r| r["kind"] == "no_contact" && r["record_id"] == 1),
        "{later:#?}"
    );
}

#[test]
fn two_runs_at_the_same_moment_deliver_each_item_once() {
    let k = fixture();
    let runs: Vec<_> = (0..2)
        .map(|_| {
            k.std_cmd()
                .args(["remind", "--json"])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut seen: Vec<String> = Vec::new();
    for r in runs {
        let out = r.wait_with_output().unwrap();
        assert!(out.status.success());
        // A run with nothing new prints nothing at all.
        let items: Vec<Value> = if out.stdout.is_empty() {
            vec![]
        } else {
            serde_json::from_slice(&out.stdout).unwrap()
        };
        seen.extend(items.iter().map(|i| i["key"].as_str().unwrap().to_string()));
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(seen.len(), 6, "delivered {seen:?}");
    assert_eq!(unique.len(), 6);
}

#[test]
fn a_failing_exec_is_reported_and_tried_again() {
    let k = fixture();
    let err = k.fails(&["remind", "--exec", "false"], 3);
    assert!(
        err.contains("--exec for task 1") && err.contains("not delivered"),
        "{err}"
    );
    // Nothing was marked delivered: a working program gets every reminder, as JSON.
    let log = k.dir.path().join("got.jsonl");
    let cmd = format!("sh -c 'cat >> \"$0\"; echo >> \"$0\"' {}", log.display());
    k.ok(&["remind", "--exec", &cmd]);
    let lines: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["kind"], "task");
    assert_eq!(lines[0]["record_kind"], "task");
    assert!(lines
        .iter()
        .all(|l| l["title"].is_string() && l["due"].is_string() && l["record_id"].is_i64()));
    assert_eq!(k.ok(&["remind"]), "", "delivered through --exec");
}

#[test]
fn mail_goes_through_the_configured_sendmail() {
    let k = fixture();
    let bin = k.dir.path().join("fake-sendmail");
    let spool = k.dir.path().join("spool");
    std::fs::write(
        &bin,
        format!(
            "#!/bin/sh\necho \"ARGS: $*\" > {0}\ncat >> {0}\n",
            spool.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let cfg = k.dir.path().join("config").join("kith");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(
        cfg.join("config.toml"),
        format!("[remind]\nsendmail = \"{}\"\n", bin.display()),
    )
    .unwrap();
    assert_eq!(
        k.ok(&["remind", "--mail", "mei@example.com"]),
        "",
        "mail, not stdout"
    );
    let mail = std::fs::read_to_string(&spool).unwrap();
    assert!(mail.starts_with("ARGS: -i mei@example.com\n"), "{mail}");
    assert!(mail.contains("Subject: kith: 6 reminders\r\n"), "{mail}");
    assert!(
        mail.contains("Content-Type: text/plain; charset=utf-8"),
        "{mail}"
    );
    assert!(mail.contains("Birthday of 王芳"), "{mail}");
    // A bad address is bad input, before anything is claimed.
    for bad in ["", "-oi", "two words"] {
        let err = k.fails(&["remind", "--mail", bad], 2);
        assert!(err.contains("is not an address"), "{err}");
    }
    assert!(mail.contains("\r\nDate: "), "{mail}");
    // A broken sendmail leaves everything for the next run.
    std::fs::write(
        cfg.join("config.toml"),
        "[remind]\nsendmail = \"/nonexistent/sendmail\"\n",
    )
    .unwrap();
    k.ok(&["task", "add", "New today", "--due", "today"]);
    let err = k.fails(&["remind", "--mail", "mei@example.com"], 3);
    assert!(err.contains("cannot run /nonexistent/sendmail"), "{err}");
    std::fs::write(cfg.join("config.toml"), "").unwrap();
    let out = k.ok(&["remind"]);
    assert!(out.contains("New today"), "{out}");
}

#[test]
fn care_rules_follow_the_configuration() {
    let k = fixture();
    let cfg = k.dir.path().join("config").join("kith");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(
        cfg.join("config.toml"),
        "[care]\nstale_deal = false\nbirthday_days = 40\nno_contact_days = { A = 30 }\n",
    )
    .unwrap();
    let items = reminders(&k, &[]);
    let kinds: BTreeSet<String> = items
        .iter()
        .map(|r| r["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        ["birthday", "task"].into_iter().map(String::from).collect()
    );
    assert_eq!(
        items.iter().filter(|r| r["kind"] == "birthday").count(),
        2,
        "{items:#?}"
    );
    let _ = json!(null);
}

/// Run `kith remind ARGS` with stdout on `out`; its exit status and stderr.
fn remind_to(k: &Kith, args: &[&str], out: std::process::Stdio) -> (Option<i32>, String) {
    let got = k
        .std_cmd()
        .arg("remind")
        .args(args)
        .stdout(out)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    (
        got.status.code(),
        String::from_utf8_lossy(&got.stderr).into_owned(),
    )
}

#[test]
fn printing_to_a_full_disk_is_a_failed_delivery() {
    for json in [false, true] {
        let k = fixture();
        let args: &[&str] = if json { &["--json"] } else { &[] };
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let (code, err) = remind_to(&k, args, full.into());
        assert_eq!(code, Some(3), "{err}");
        assert!(
            err.contains("cannot print the reminders")
                && err.contains("No space left on device")
                && err.contains("6 reminders not delivered"),
            "{err}"
        );
        // All six are left for the next run.
        let again = if json {
            reminders(&k, &[]).len()
        } else {
            k.ok(&["remind"]).lines().count()
        };
        assert_eq!(again, 6, "--json: {json}");
    }
}

#[test]
fn printing_to_a_closed_pipe_is_a_failed_delivery() {
    for json in [false, true] {
        let k = fixture();
        let mut cmd = k.std_cmd();
        cmd.arg("remind")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        if json {
            cmd.arg("--json");
        }
        let mut child = cmd.spawn().unwrap();
        // Nobody reads: the reading end is closed before kith prints.
        drop(child.stdout.take());
        let got = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&got.stderr);
        assert_eq!(got.status.code(), Some(3), "{err}");
        assert!(
            err.contains("cannot print the reminders") && err.contains("Broken pipe"),
            "{err}"
        );
        assert_eq!(k.ok(&["remind"]).lines().count(), 6, "--json: {json}");
    }
}

#[test]
fn a_run_killed_mid_delivery_leaves_only_the_rest_for_the_next() {
    let k = fixture();
    let log = k.dir.path().join("got.jsonl");
    // Delivers three, then kills kith (its parent) while the fourth is under way.
    let killer = format!(
        "sh -c 'if [ $(cat \"$0\" 2>/dev/null | wc -l) -ge 3 ]; then kill -9 $PPID; exit 1; fi; cat >> \"$0\"; echo >> \"$0\"' {}",
        log.display()
    );
    let out = k.run(&["remind", "--exec", &killer]);
    assert_eq!(out.status.code(), None, "killed by a signal");
    let keys = || -> Vec<String> {
        std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["key"].to_string())
            .collect()
    };
    assert_eq!(keys().len(), 3);
    // Eleven minutes later the dead run's claims are stale; the next run delivers the
    // other three and none of the first three again.
    let normal = format!("sh -c 'cat >> \"$0\"; echo >> \"$0\"' {}", log.display());
    k.cmd()
        .env("KITH_NOW", "2026-11-22T10:11")
        .args(["remind", "--exec", &normal])
        .assert()
        .success();
    let got = keys();
    let unique: BTreeSet<&String> = got.iter().collect();
    assert_eq!(got.len(), 6, "{got:#?}");
    assert_eq!(unique.len(), 6, "{got:#?}");
    assert_eq!(
        k.cmd()
            .env("KITH_NOW", "2026-11-22T10:30")
            .arg("remind")
            .output()
            .unwrap()
            .stdout,
        b""
    );
}

/// `kith remind --json` at `when`: what it delivered (nothing new prints nothing).
fn delivered_at(k: &Kith, when: &str) -> Vec<(String, String)> {
    let out = k
        .cmd()
        .env("KITH_NOW", when)
        .args(["remind", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if out.stdout.is_empty() {
        return vec![];
    }
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    items
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_string(),
                r["key"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// A run that delivered everything lets the next ones pass over the rules nothing has
/// changed for: each of these is what a run that read everything would find.
#[test]
fn a_later_run_finds_what_came_due_or_changed_and_nothing_else() {
    let k = fixture();
    assert_eq!(delivered_at(&k, "2026-11-22T10:00").len(), 6);
    // Later the same day: tomorrow's 09:00 task is not due by tonight.
    assert_eq!(delivered_at(&k, "2026-11-22T18:00"), vec![]);
    // A call logged ahead, at 15:00, on the deal past its close: nothing while it is
    // ahead; when it has happened it is the deal's latest activity, and the deal, still
    // past its close, is stale from that day on — a new occurrence, the same day.
    k.ok(&[
        "log",
        "call",
        "Afternoon call",
        "--deal",
        "Late deal",
        "--at",
        "2026-11-22 15:00",
    ]);
    assert_eq!(delivered_at(&k, "2026-11-22T14:59"), vec![]);
    assert_eq!(
        delivered_at(&k, "2026-11-22T15:00"),
        pairs(&[("stale_deal", "stale_deal:2:2026-11-22:2026-11-20")])
    );
    // The next morning, the 09:00 task is due by tonight.
    assert_eq!(
        delivered_at(&k, "2026-11-23T08:00"),
        pairs(&[("task", "task:3:2026-11-23T09:00:00")])
    );
    // A birthday moved into the coming week (a change to a contact).
    k.ok(&["contact", "edit", "Far Off", "--birthday", "1985-11-27"]);
    assert_eq!(
        delivered_at(&k, "2026-11-23T08:05"),
        pairs(&[("birthday", "birthday:2:2026-11-27")])
    );
    // A task done and opened again is the same occurrence: nothing new.
    k.ok(&["task", "done", "Tomorrow"]);
    k.ok(&["task", "reopen", "Tomorrow"]);
    assert_eq!(delivered_at(&k, "2026-11-23T08:10"), vec![]);
    // Other settings: a birthday 33 days ahead is within 40 days.
    let cfg = k.dir.path().join("config").join("kith");
    std::fs::create_dir_all(&cfg).unwrap();
    k.ok(&["contact", "edit", "Far Off", "--birthday", "1985-12-25"]);
    assert_eq!(delivered_at(&k, "2026-11-23T08:15"), vec![]);
    std::fs::write(cfg.join("config.toml"), "[care]\nbirthday_days = 40\n").unwrap();
    assert_eq!(
        delivered_at(&k, "2026-11-23T08:20"),
        pairs(&[("birthday", "birthday:2:2026-12-25")])
    );
    // A run that could not deliver leaves it to the next, which reads it again.
    k.ok(&["task", "add", "Call back", "--due", "2026-11-23 12:00"]);
    k.cmd()
        .env("KITH_NOW", "2026-11-23T08:25")
        .args(["remind", "--exec", "false"])
        .assert()
        .code(3);
    assert_eq!(
        delivered_at(&k, "2026-11-23T08:30"),
        pairs(&[("task", "task:5:2026-11-23T12:00:00")])
    );
    assert_eq!(delivered_at(&k, "2026-11-23T08:35"), vec![]);
}
