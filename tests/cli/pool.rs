//! The shared pool (公海): claiming under caps (refused with exit 4, nothing written),
//! releasing, locking, the recycle rules worked out by hand with a pinned clock, the
//! owner's warning through `kith remind` delivered once, two sweeps racing, dry runs.

use std::collections::BTreeSet;

use super::{arr, Kith};

fn config(k: &Kith, text: &str) {
    let dir = k.dir.path().join("config").join("kith");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

/// Run at another moment (local, UTC), as `as_user`; expect exit 0; stdout.
fn at(k: &Kith, now: &str, user: &str, args: &[&str]) -> String {
    let out = k
        .cmd()
        .env("KITH_NOW", now)
        .env("KITH_USER", user)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kith {args:?} at {now}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn code_at(k: &Kith, now: &str, user: &str, args: &[&str]) -> (i32, String) {
    let out = k
        .cmd()
        .env("KITH_NOW", now)
        .env("KITH_USER", user)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn owner(k: &Kith, name: &str) -> serde_json::Value {
    k.json(&["account", "show", name])["owner"].clone()
}

fn pooled(k: &Kith, names: &[&str]) {
    for n in names {
        k.ok(&["account", "add", n, "--owner", ""]);
    }
}

#[test]
fn claims_are_refused_by_each_cap_with_exit_4_and_nothing_written() {
    let k = Kith::new();
    config(
        &k,
        "[pool]\nmax_owned = 3\nclaims_per_day = 2\nreclaim_after_days = 7\nmax_locked = 1\n",
    );
    pooled(&k, &["P1", "P2", "P3", "P4"]);
    k.ok(&["account", "add", "Mine", "--owner", "tester"]);
    k.ok(&["account", "add", "Bobs", "--owner", "bob"]);

    // Not in the pool: bad input (exit 2), naming the owner; with it, nothing is claimed.
    let before = k.snapshot();
    let err = k.fails(&["pool", "claim", "P1", "Bobs"], 2);
    assert!(
        err.contains("Bobs is not in the pool: its owner is bob"),
        "{err}"
    );
    assert_eq!(k.snapshot(), before);

    // claims_per_day = 2: two today, and a third refused (exit 4) whole.
    k.ok(&["pool", "claim", "P1", "P2"]);
    let before = k.snapshot();
    let err = k.fails(&["pool", "claim", "P3"], 4);
    assert!(
        err.contains(
            "tester claimed 2 accounts today; with 1 more that is over claims_per_day = 2"
        ),
        "{err}"
    );
    assert_eq!(k.snapshot(), before);
    assert_eq!(owner(&k, "P3"), serde_json::Value::Null);

    // The next day the day's count starts again; max_owned = 3: Mine, P1, P2 owned, so
    // P3 is one too many.
    let (code, err) = code_at(&k, "2026-11-23T09:00", "tester", &["pool", "claim", "P3"]);
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("tester owns 3 accounts; with 1 more that is over max_owned = 3"),
        "{err}"
    );
    assert_eq!(k.snapshot(), before);

    // Given back on 2026-11-22 with reclaim_after_days = 7: not before 2026-11-29.
    k.ok(&["pool", "release", "P1", "--reason", "moved to another city"]);
    let before = k.snapshot();
    let (code, err) = code_at(&k, "2026-11-28T23:00", "tester", &["pool", "claim", "P1"]);
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains(
            "P1 left 2026-11-22: a former owner may claim it again 7 days after, from 2026-11-29"
        ),
        "{err}"
    );
    assert_eq!(k.snapshot(), before);
    // Someone else may; and the former owner from the 29th.
    at(&k, "2026-11-28T23:00", "lin", &["pool", "claim", "P4"]);
    at(&k, "2026-11-29T08:00", "tester", &["pool", "claim", "P1"]);
    assert_eq!(owner(&k, "P1"), "tester");

    // max_locked = 1.
    k.ok(&["account", "lock", "Mine"]);
    let before = k.snapshot();
    let err = k.fails(&["account", "lock", "P2"], 4);
    assert!(
        err.contains("tester keeps 1 accounts locked, the most max_locked = 1 of [pool] allows"),
        "{err}"
    );
    assert_eq!(k.snapshot(), before);
    k.ok(&["account", "unlock", "Mine"]);
    k.ok(&["account", "lock", "P2"]);

    // Only the owner gives back (exit 4), and --reason is required (exit 2).
    let err = k.fails(&["pool", "release", "Bobs", "--reason", "x"], 4);
    assert!(err.contains("Bobs is owned by bob, not tester"), "{err}");
    k.fails(&["pool", "release", "P2"], 2);
    let err = k.fails(&["pool", "release", "P2", "--reason", "  "], 2);
    assert!(err.contains("--reason"), "{err}");
    assert_eq!(owner(&k, "Bobs"), "bob");
}

#[test]
fn the_pool_list_says_when_and_why_each_fell_back_and_who_had_it() {
    let k = Kith::new();
    pooled(&k, &["Never owned"]);
    k.ok(&[
        "account",
        "add",
        "华南电子",
        "--owner",
        "tester",
        "--tier",
        "A",
    ]);
    k.ok(&["account", "add", "Kept", "--owner", "tester"]);
    k.ok(&["pool", "release", "华南电子", "--reason", "客户搬迁"]);
    let rows = arr(&k.json(&["pool", "list"]));
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    // By name as account lists sort: 华南电子 by its pinyin (hua…) before Never.
    assert_eq!(names, ["华南电子", "Never owned"]);
    assert_eq!(rows[0]["reason"], "客户搬迁");
    assert_eq!(rows[0]["former_owner"], "tester");
    assert_eq!(rows[0]["fell_back"], "release");
    assert_eq!(rows[0]["fell_back_at"], "2026-11-22T10:00:00");
    assert_eq!(rows[1]["reason"], serde_json::Value::Null);
    // The account list's filters and options.
    let rows = arr(&k.json(&["pool", "list", "tier:A"]));
    assert_eq!(rows.len(), 1);
    let csv = k.ok(&["pool", "list", "--csv", "--columns", "name,former_owner"]);
    assert_eq!(csv, "name,former_owner\n华南电子,tester\nNever owned,\n");
    k.fails(&["pool", "list", "name:nothing"], 1);
    // The change log has the owner's change.
    let h = k.ok(&["account", "history", "华南电子"]);
    assert!(h.contains("owner"), "{h}");
}

#[test]
fn each_recycle_rule_worked_out_by_hand_and_the_exempt_stay() {
    let k = Kith::new();
    config(
        &k,
        "[pool]\nrecycle_after_days = 30\nrecycle_without_deal_days = 60\nexempt_won_days = 30\n\
         [pool.tier.A]\nrecycle_after_days = 100\nrecycle_not_won_days = 20\n\
         [pool.tier.B]\nrecycle_after_days = 100\nrecycle_without_deal_days = 25\n",
    );
    // Every account made (so owned since) 2026-11-22.
    for (name, tier) in [
        ("Quiet", "C"),
        ("Busy", "C"),
        ("Open deal", "C"),
        ("Locked", "C"),
        ("Won lately", "C"),
        ("Plain", "C"),
        ("Slow A", "A"),
        ("Dealless B", "B"),
    ] {
        k.ok(&["account", "add", name, "--owner", "tester", "--tier", tier]);
    }
    let log = |day: &str, account: &str| {
        at(
            &k,
            &format!("{day}T09:00"),
            "tester",
            &["log", "call", "Call", "--account", account, "--at", day],
        );
    };
    // Quiet: last call 2026-11-25, + 30 days = 2026-12-25: falls back on the 25th.
    log("2026-11-25", "Quiet");
    // Busy: 2026-12-01 + 30 = 2026-12-31: stays.
    log("2026-12-01", "Busy");
    // Open deal: never called, but an open deal keeps it.
    k.ok(&["deal", "add", "Pending", "--account", "Open deal"]);
    // Locked: never called, locked.
    k.ok(&["account", "lock", "Locked"]);
    // Won lately: never called (2026-11-22 + 30 = 2026-12-22), but won on 2026-12-10,
    // within exempt_won_days = 30 of the 25th.
    k.ok(&["deal", "add", "Won one", "--account", "Won lately"]);
    at(
        &k,
        "2026-12-10T09:00",
        "tester",
        &["deal", "won", "Won one"],
    );
    // Plain: never called: 2026-11-22 + 30 = 2026-12-22: falls back.
    // Slow A (tier A: 100 days without a call, not won within 20 days): called on
    // 2026-12-20, but 2026-11-22 + 20 = 2026-12-12 passed without a win: falls back.
    log("2026-12-20", "Slow A");
    // Dealless B (tier B: 100 days without a call, 25 without a new deal): called on
    // 2026-12-20; its one deal, made 2026-11-28 and lost, is its latest: 2026-11-28 + 25
    // = 2026-12-23: falls back.
    log("2026-12-20", "Dealless B");
    at(
        &k,
        "2026-11-28T09:00",
        "tester",
        &["deal", "add", "Lost one", "--account", "Dealless B"],
    );
    at(
        &k,
        "2026-11-28T10:00",
        "tester",
        &["deal", "lost", "Lost one", "--reason", "price"],
    );

    let want = [
        ("Quiet", "no follow-up for 30 days", "2026-11-25"),
        ("Plain", "no follow-up for 30 days", "2026-11-22"),
        (
            "Slow A",
            "not won within 20 days of being claimed",
            "2026-11-22",
        ),
        ("Dealless B", "no new deal for 25 days", "2026-11-28"),
    ];
    // A dry run says what would move and writes nothing.
    let before = k.snapshot();
    let dry = at(
        &k,
        "2026-12-25T08:00",
        "sweeper",
        &["pool", "sweep", "--dry-run", "--json"],
    );
    let dry: serde_json::Value = serde_json::from_str(&dry).unwrap();
    let got: BTreeSet<(String, String, String)> = arr(&dry)
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["reason"].as_str().unwrap().to_string(),
                r["since"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(k.snapshot(), before);

    // The day before, Dealless B is not due yet (2026-12-23) and neither is Quiet.
    let text = at(
        &k,
        "2026-12-22T08:00",
        "sweeper",
        &["pool", "sweep", "--dry-run"],
    );
    assert!(text.contains("Plain") && text.contains("Slow A"), "{text}");
    assert!(
        !text.contains("Quiet") && !text.contains("Dealless B"),
        "{text}"
    );

    let out = at(&k, "2026-12-25T08:00", "sweeper", &["pool", "sweep"]);
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(
        out.contains("Quiet  from tester: no follow-up for 30 days (since 2026-11-25)"),
        "{out}"
    );
    for (name, _, _) in want {
        assert_eq!(owner(&k, name), serde_json::Value::Null, "{name}");
    }
    for name in ["Busy", "Open deal", "Locked", "Won lately"] {
        assert_eq!(owner(&k, name), "tester", "{name}");
    }
    let rows = arr(&k.json(&["pool", "list", "name:Quiet"]));
    assert_eq!(rows[0]["reason"], "no follow-up for 30 days");
    assert_eq!(rows[0]["former_owner"], "tester");
    assert_eq!(rows[0]["fell_back"], "recycle");
    // Swept again: nothing more.
    let out = at(
        &k,
        "2026-12-25T09:00",
        "sweeper",
        &["pool", "sweep", "--json"],
    );
    assert_eq!(out.trim(), "[]");
}

#[test]
fn the_owner_is_warned_once_before_an_account_falls_back() {
    let k = Kith::new();
    config(
        &k,
        "[care]\nno_contact = false\n[pool]\nrecycle_after_days = 30\nwarn_days = 5\n",
    );
    k.ok(&["account", "add", "华南电子", "--owner", "mei"]);
    at(
        &k,
        "2026-11-25T09:00",
        "mei",
        &[
            "log",
            "call",
            "Call",
            "--account",
            "华南电子",
            "--at",
            "2026-11-25",
        ],
    );
    // Falls back on 2026-12-25; warned from 2026-12-20 (5 days before).
    assert_eq!(at(&k, "2026-12-19T09:00", "mei", &["remind"]), "");
    let out = at(&k, "2026-12-22T09:00", "mei", &["remind", "--json"]);
    let items: serde_json::Value = serde_json::from_str(&out).unwrap();
    let items = arr(&items);
    assert_eq!(items.len(), 1, "{out}");
    assert_eq!(
        items[0]["title"],
        "华南电子 falls back to the pool in 3 days: no follow-up since 2026-11-25"
    );
    assert_eq!(items[0]["kind"], "pool_warn");
    assert_eq!(items[0]["to"], serde_json::json!(["mei"]));
    assert_eq!(items[0]["due"], "2026-12-25");
    // Delivered once.
    assert_eq!(at(&k, "2026-12-23T09:00", "mei", &["remind"]), "");
    // With sweep_with_remind, the run on the 25th takes it back.
    config(
        &k,
        "[care]\nno_contact = false\n[pool]\nrecycle_after_days = 30\nwarn_days = 5\nsweep_with_remind = true\n",
    );
    at(&k, "2026-12-25T09:00", "mei", &["remind"]);
    assert_eq!(owner(&k, "华南电子"), serde_json::Value::Null);
}

#[test]
fn two_racing_sweeps_move_and_record_each_account_once() {
    let k = Kith::new();
    config(&k, "[pool]\nrecycle_after_days = 30\n");
    let mut args: Vec<String> = vec![
        "import".into(),
        "csv".into(),
        "--entity".into(),
        "account".into(),
    ];
    let csv = k.dir.path().join("a.csv");
    let mut text = String::from("name,owner\n");
    for i in 0..60 {
        text.push_str(&format!("Account {i:02},tester\n"));
    }
    std::fs::write(&csv, text).unwrap();
    args.push(csv.display().to_string());
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    k.ok(&a);
    let spawn = || {
        let mut c = k.std_cmd();
        c.env("KITH_NOW", "2027-01-05T09:00")
            .args(["pool", "sweep", "--json"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        c.spawn().unwrap()
    };
    let (one, two) = (spawn(), spawn());
    let mut ids = Vec::new();
    for child in [one, two] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        ids.extend(arr(&v).iter().map(|r| r["id"].as_i64().unwrap()));
    }
    ids.sort_unstable();
    assert_eq!(ids, (1..=60).collect::<Vec<i64>>());
    assert_eq!(arr(&k.json(&["pool", "list"])).len(), 60);
    // One owner change each in the change log.
    for id in [1, 30, 60] {
        let h = arr(&k.json(&["account", "history", &id.to_string()]));
        let changes = h.iter().filter(|c| c["op"] == "update").count();
        assert_eq!(changes, 1, "{h:?}");
    }
}

#[test]
fn a_bad_pool_configuration_is_refused_clearly() {
    let k = Kith::new();
    config(&k, "[pool]\nrecycle_days = 30\n");
    let err = k.fails(&["pool", "list"], 2);
    assert!(err.contains("recycle_days"), "{err}");
    config(&k, "[pool.tier.D]\nwarn_days = 3\n");
    let err = k.fails(&["pool", "list"], 2);
    assert!(err.contains("there is no tier D"), "{err}");
    config(&k, "[pool.tier.A]\nmax_owned = 3\n");
    let err = k.fails(&["pool", "list"], 2);
    assert!(err.contains("max_owned"), "{err}");
}
