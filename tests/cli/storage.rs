use serde_json::json;

use crate::{arr, col, Kith};

#[test]
fn the_default_database_lives_in_xdg_data_home_and_is_private() {
    let k = Kith::new();
    k.cmd()
        .env_remove("KITH_DB")
        .args(["account", "add", "A"])
        .assert()
        .success();
    let path = k.dir.path().join("data").join("kith").join("kith.db");
    assert!(path.exists(), "no database at {}", path.display());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // --db wins over KITH_DB.
    let other = k.dir.path().join("other.db");
    k.cmd()
        .args(["--db", other.to_str().unwrap(), "account", "add", "B"])
        .assert()
        .success();
    assert_eq!(
        col(
            &k.json(&["--db", other.to_str().unwrap(), "account", "list"]),
            "name"
        ),
        vec![json!("B")]
    );
    assert_eq!(
        arr(&k.json(&["account", "list"])).len(),
        0,
        "KITH_DB's file is untouched"
    );
}

#[test]
fn the_configuration_file_sets_user_currency_and_db() {
    let k = Kith::new();
    let cfg = k.dir.path().join("config").join("kith");
    std::fs::create_dir_all(&cfg).unwrap();
    let db = k.dir.path().join("from-config.db");
    std::fs::write(
        cfg.join("config.toml"),
        format!(
            "user = \"mei\"\ncurrency = \"cny\"\ndb = \"{}\"\n",
            db.display()
        ),
    )
    .unwrap();
    k.cmd()
        .env_remove("KITH_DB")
        .env_remove("KITH_USER")
        .args(["deal", "add", "D"])
        .assert()
        .success();
    let d = k
        .cmd()
        .env_remove("KITH_DB")
        .args(["deal", "show", "1", "--json"])
        .output()
        .unwrap();
    let d: serde_json::Value = serde_json::from_slice(&d.stdout).unwrap();
    assert_eq!(
        (d["currency"].clone(), d["owner"].clone()),
        (json!("CNY"), json!("mei"))
    );
    assert!(db.exists());
    // KITH_CONFIG points elsewhere; a broken file is an error naming it.
    let bad = k.dir.path().join("bad.toml");
    std::fs::write(&bad, "colour = \"red\"\n").unwrap();
    let out = k
        .cmd()
        .env("KITH_CONFIG", &bad)
        .args(["account", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml") && err.contains("colour"), "{err}");
}

#[test]
fn who_is_acting_flag_then_environment_then_user() {
    let k = Kith::new();
    k.cmd()
        .args(["account", "add", "A", "--as", "lin"])
        .assert()
        .success();
    k.cmd()
        .env_remove("KITH_USER")
        .env("USER", "zhang")
        .args(["account", "add", "B"])
        .assert()
        .success();
    assert_eq!(
        col(&k.json(&["account", "list", "--sort", "id"]), "owner"),
        vec![json!("lin"), json!("zhang")]
    );
    assert_eq!(arr(&k.json(&["account", "history", "1"]))[0]["user"], "lin");
}

#[test]
fn the_clock_is_pinned_by_flag_or_environment() {
    let k = Kith::new();
    k.ok(&[
        "--now",
        "2027-01-05T08:30",
        "task",
        "add",
        "x",
        "--due",
        "tomorrow",
    ]);
    let t = k.json(&["task", "show", "1"]);
    assert_eq!(
        (t["due"].clone(), t["created_at"].clone()),
        (json!("2027-01-06"), json!("2027-01-05T08:30:00Z"))
    );
    let err = k.fails(&["--now", "whenever", "account", "list"], 2);
    assert!(
        err.contains("--now / KITH_NOW") && err.contains("bad date 'whenever'"),
        "{err}"
    );
}

#[test]
fn two_processes_writing_at_once_both_succeed() {
    let k = Kith::new();
    k.ok(&["account", "add", "seed"]);
    let bin = assert_cmd::cargo::cargo_bin("kith");
    let spawn = |who: &str| {
        let mut script = String::new();
        for i in 0..25 {
            script.push_str(&format!(
                "\"{}\" account add {who}-{i} >/dev/null || exit 1\n",
                bin.display()
            ));
        }
        std::process::Command::new("sh")
            .arg("-c")
            .arg(script)
            .env("KITH_DB", &k.db)
            .env("KITH_NOW", crate::NOW)
            .env("KITH_USER", who)
            .env("HOME", k.dir.path())
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn("a"), spawn("b"));
    assert!(a.wait().unwrap().success(), "writer a failed");
    assert!(b.wait().unwrap().success(), "writer b failed");
    let all = k.json(&["account", "list"]);
    assert_eq!(arr(&all).len(), 51);
    let ids: std::collections::BTreeSet<i64> = col(&all, "id")
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 51);
    assert_eq!(arr(&k.json(&["account", "list", "owner:a"])).len(), 25);
}

#[test]
fn processes_racing_to_create_a_new_database_all_succeed() {
    let k = Kith::new();
    for round in 0..5 {
        let db = k.dir.path().join(format!("race{round}.db"));
        let children: Vec<_> = (0..3)
            .map(|i| {
                k.std_cmd()
                    .env("KITH_DB", &db)
                    .args(["account", "add", &format!("p{i}")])
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut c in children {
            assert!(c.wait().unwrap().success(), "a racing first run failed");
        }
        let dbs = db.to_str().unwrap();
        assert_eq!(arr(&k.json(&["--db", dbs, "account", "list"])).len(), 3);
        assert_eq!(
            arr(&k.json(&["--db", dbs, "pipeline", "list"])).len(),
            1,
            "one default pipeline"
        );
    }
}

#[test]
fn no_subcommand_off_a_terminal_prints_usage_and_exits_2() {
    let k = Kith::new();
    let err = k.fails(&[], 2);
    assert!(err.contains("Usage: kith"), "{err}");
    k.fails(&["--db", "x.db"], 2);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let k = Kith::new();
    k.ok(&["account", "add", "A"]);
    assert!(!k.ok(&["account", "list"]).contains('\x1b'));
    assert!(k
        .ok(&["account", "list", "--color", "always"])
        .contains('\x1b'));
}

#[test]
fn completions_and_man_page_come_from_the_same_definitions() {
    let k = Kith::new();
    let bash = k.ok(&["completions", "bash"]);
    assert!(
        bash.contains("kith") && bash.contains("convert"),
        "no completions"
    );
    let zsh = k.ok(&["completions", "zsh"]);
    assert!(zsh.contains("#compdef kith"));
    let man = k.ok(&["man"]);
    assert!(man.contains(".TH kith"), "{}", &man[..200.min(man.len())]);
    k.fails(&["completions", "tcsh"], 2);
    // A reader that stops early (| head) is no error.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "\"{}\" completions bash | head -1; \"{}\" man | head -1",
            assert_cmd::cargo::cargo_bin("kith").display(),
            assert_cmd::cargo::cargo_bin("kith").display()
        ))
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn help_and_version_exit_0() {
    let k = Kith::new();
    assert!(k.ok(&["--help"]).contains("Exit status"));
    assert!(k.ok(&["--version"]).starts_with("kith "));
    assert!(k.ok(&["deal", "list", "--help"]).contains("stage"));
}

#[test]
fn demo_fills_an_empty_database_deterministically() {
    let k = Kith::new();
    let a = k.dir.path().join("a.db");
    let b = k.dir.path().join("b.db");
    for db in [&a, &b] {
        let out = k
            .cmd()
            .args([
                "--db",
                db.to_str().unwrap(),
                "demo",
                "--seed",
                "7",
                "--accounts",
                "40",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("accounts"));
    }
    for noun in ["account", "contact", "lead", "deal", "activity", "task"] {
        let la = k.json(&["--db", a.to_str().unwrap(), noun, "list"]);
        let lb = k.json(&["--db", b.to_str().unwrap(), noun, "list"]);
        assert!(!arr(&la).is_empty(), "no {noun}s in the demo");
        assert_eq!(la, lb, "{noun}s differ between two runs with the same seed");
    }
    let ad = a.to_str().unwrap();
    assert_eq!(
        arr(&k.json(&["--db", ad, "account", "list", "name:广州白云国际机场"])).len(),
        1
    );
    for status in ["open", "won", "lost"] {
        assert!(
            !arr(&k.json(&["--db", ad, "deal", "list", &format!("status:{status}")])).is_empty(),
            "no {status} deal"
        );
    }
    assert!(
        !arr(&k.json(&["--db", ad, "task", "list", "done:no", "due<today"])).is_empty(),
        "no overdue task"
    );
    assert!(
        !arr(&k.json(&["--db", ad, "activity", "list", "at>now"])).is_empty(),
        "no planned activity"
    );
    // It never mixes sample data into a database that has records.
    let err = k.fails(&["--db", ad, "demo"], 2);
    assert!(err.contains("already holds records"), "{err}");
}

#[test]
fn the_demo_flag_uses_its_own_file() {
    let k = Kith::new();
    k.ok(&["account", "add", "Real customer"]);
    let shown = k.json(&["--demo", "account", "show", "广州白云国际机场"]);
    assert_eq!(shown["name"], "广州白云国际机场");
    assert!(k
        .dir
        .path()
        .join("data")
        .join("kith")
        .join("demo.db")
        .exists());
    assert_eq!(
        col(&k.json(&["account", "list"]), "name"),
        vec![json!("Real customer")],
        "the real database is untouched"
    );
    // `kith demo` without --db remakes the sample file.
    k.cmd()
        .env_remove("KITH_DB")
        .args(["demo", "--accounts", "10"])
        .assert()
        .success();
    assert!(arr(&k.json(&["--demo", "account", "list"])).len() < 30);
}

#[test]
fn demo_sizes_are_checked_and_never_mix_into_real_data() {
    let k = Kith::new();
    let err = k.fails(&["demo", "--size", "large", "--accounts", "5"], 2);
    assert!(err.contains("--accounts"), "{err}");
    let err = k.fails(&["demo", "--size", "medium"], 2);
    assert!(err.contains("medium"), "{err}");
    // A database with records refuses a large demo before writing anything.
    k.ok(&["account", "add", "Acme"]);
    let err = k.fails(&["demo", "--size", "large"], 2);
    assert!(err.contains("already holds records"), "{err}");
    assert_eq!(arr(&k.json(&["account", "list"])).len(), 1);
}
