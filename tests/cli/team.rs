//! The team: teams, roles, who sees what and who may do what, tried as users would, face by
//! face. The visibility matrix sets up a sales department with two regions, reps,
//! managers, a read-only user and an administrator, records of five kinds owned by the
//! reps, a record shared and an account in the pool, and checks for every role, every face
//! and every kind that exactly the records the role may see come back.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{arr, Kith};

fn as_user(k: &Kith, who: &str, args: &[&str]) -> std::process::Output {
    k.cmd()
        .env("KITH_USER", who)
        .args(args)
        .output()
        .expect("run kith")
}

fn ok_as(k: &Kith, who: &str, args: &[&str]) -> String {
    let out = as_user(k, who, args);
    assert!(
        out.status.success(),
        "{who}: kith {args:?} failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json_as(k: &Kith, who: &str, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    serde_json::from_str(&ok_as(k, who, &a)).unwrap()
}

fn fails_as(k: &Kith, who: &str, args: &[&str], code: i32) -> String {
    let out = as_user(k, who, args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{who}: kith {args:?}: expected exit {code}:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const REPS: [&str; 3] = ["mei", "lin", "zhou"];
const KINDS: [&str; 5] = ["account", "contact", "lead", "deal", "task"];

/// 销售部 (lead boss) → 华南区 (mei, lin, manager wang), 华东区 (zhou); ro reads all; admin
/// administers. Each rep owns one record of each kind, named `<kind>-<rep>`; lin's account
/// is shared with mei to read; one account is in the pool.
fn team() -> Kith {
    let k = Kith::new();
    let admin = |args: &[&str]| ok_as(&k, "admin", args);
    admin(&["user", "add", "admin", "--role", "admin"]);
    admin(&["team", "add", "销售部", "--lead", "admin"]);
    admin(&["user", "add", "boss", "--role", "manager"]);
    admin(&["team", "edit", "销售部", "--lead", "boss"]);
    admin(&["team", "add", "华南区", "--parent", "销售部"]);
    admin(&["team", "add", "华东区", "--parent", "销售部"]);
    for (u, t, r) in [
        ("mei", "华南区", "rep"),
        ("lin", "华南区", "rep"),
        ("wang", "华南区", "manager"),
        ("zhou", "华东区", "rep"),
        ("ro", "华东区", "read-only"),
    ] {
        admin(&["user", "add", u, "--team", t, "--role", r]);
    }
    for rep in REPS {
        let acct = format!("account-{rep}");
        admin(&["account", "add", &acct, "--owner", rep]);
        admin(&[
            "contact",
            "add",
            &format!("contact-{rep}"),
            "--account",
            &acct,
            "--owner",
            rep,
        ]);
        admin(&["lead", "add", &format!("lead-{rep}"), "--owner", rep]);
        admin(&[
            "deal",
            "add",
            &format!("deal-{rep}"),
            "--account",
            &acct,
            "--amount",
            "1000",
            "--currency",
            "CNY",
            "--owner",
            rep,
        ]);
        admin(&[
            "task",
            "add",
            &format!("task-{rep}"),
            "--due",
            "2026-11-22",
            "--owner",
            rep,
        ]);
    }
    admin(&["account", "add", "account-pool", "--owner", ""]);
    ok_as(
        &k,
        "lin",
        &["account", "share", "account-lin", "--with", "mei"],
    );
    k
}

/// The names of every record of `kind` that `who` may see, worked out from the roles.
fn may_see(who: &str, kind: &str) -> BTreeSet<String> {
    let owners: &[&str] = match who {
        "mei" => &["mei"],
        "lin" => &["lin"],
        "zhou" => &["zhou"],
        // wang manages 华南区 (subtree of his own team).
        "wang" => &["mei", "lin"],
        // boss leads 销售部: both regions below it.
        _ => &REPS,
    };
    let mut out: BTreeSet<String> = owners.iter().map(|o| format!("{kind}-{o}")).collect();
    if kind == "account" {
        out.insert("account-pool".into());
        if who == "mei" {
            out.insert("account-lin".into());
        }
    }
    out
}

fn names(v: &Value, field: &str) -> BTreeSet<String> {
    arr(v)
        .iter()
        .filter_map(|r| r[field].as_str().map(str::to_string))
        .collect()
}

fn label(kind: &str) -> &'static str {
    match kind {
        "deal" | "task" => "title",
        _ => "name",
    }
}

#[test]
fn every_face_shows_each_role_exactly_what_it_may_see() {
    let k = team();
    let everyone = ["mei", "lin", "zhou", "wang", "boss", "ro", "admin"];
    for who in everyone {
        for kind in KINDS {
            let want = may_see(who, kind);
            // list
            let listed = names(&json_as(&k, who, &[kind, "list"]), label(kind));
            assert_eq!(listed, want, "{who}: {kind} list");
            // show, and references by name: each record of every rep, seen or not.
            for rep in REPS.iter().chain(["pool"].iter()) {
                let name = format!("{kind}-{rep}");
                if kind != "account" && *rep == "pool" {
                    continue;
                }
                let out = as_user(&k, who, &[kind, "show", &name]);
                assert_eq!(
                    out.status.success(),
                    want.contains(&name),
                    "{who}: {kind} show {name}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
        // search, over every kind at once: each rep's name finds their records.
        for rep in REPS {
            // (No hit at all exits 1 with an empty list.)
            let out = as_user(&k, who, &["search", rep, "--json"]);
            let hits = names(&serde_json::from_slice(&out.stdout).unwrap(), "name");
            // (Search looks for accounts, contacts, leads and deals, not tasks.)
            for kind in ["account", "contact", "lead", "deal"] {
                let name = format!("{kind}-{rep}");
                assert_eq!(
                    hits.contains(&name),
                    may_see(who, kind).contains(&name),
                    "{who}: search {rep}: {hits:?}"
                );
            }
        }
        // the pipeline report sums only the deals seen: 1000 each.
        let pipe = json_as(&k, who, &["report", "pipeline"]);
        let total: f64 = arr(&pipe).iter().filter_map(|r| r["amount"].as_f64()).sum();
        assert_eq!(
            total,
            1000.0 * may_see(who, "deal").len() as f64,
            "{who}: pipeline"
        );
        // the agenda: the tasks due today that are theirs to see.
        let agenda = ok_as(&k, who, &["agenda", "--days", "1"]);
        for rep in REPS {
            let task = format!("task-{rep}");
            assert_eq!(
                agenda.contains(&task),
                may_see(who, "task").contains(&task),
                "{who}: agenda {task}:\n{agenda}"
            );
        }
    }
}

#[test]
fn exports_need_the_right_and_the_whole_database_an_administrator() {
    let k = team();
    // A rep may not export; a manager exports what they see; only admin dumps it all.
    let e = fails_as(&k, "mei", &["export", "csv", "--entity", "account"], 4);
    assert!(e.contains("mei may not export"), "{e}");
    let csv = ok_as(&k, "wang", &["export", "csv", "--entity", "deal"]);
    assert!(
        csv.contains("deal-mei") && csv.contains("deal-lin"),
        "{csv}"
    );
    assert!(!csv.contains("deal-zhou"), "{csv}");
    let e = fails_as(&k, "boss", &["export", "json", "--all"], 4);
    assert!(e.contains("only an administrator"), "{e}");
    let dump = ok_as(&k, "admin", &["export", "json", "--all"]);
    assert!(dump.contains("deal-zhou"));
    fails_as(
        &k,
        "ro",
        &["backup", &k.dir.path().join("b.db").to_string_lossy()],
        4,
    );
}

#[test]
fn a_rep_changes_only_what_is_theirs_and_nothing_is_written_when_refused() {
    let k = team();
    // Someone else's record: not even found by name.
    fails_as(&k, "mei", &["deal", "edit", "deal-lin", "--amount", "5"], 2);
    // Shared to read: seen, not changed.
    let e = fails_as(
        &k,
        "mei",
        &["account", "edit", "account-lin", "--tier", "A"],
        4,
    );
    assert!(e.contains("mei may not change account"), "{e}");
    // Shared to change: changed.
    ok_as(
        &k,
        "lin",
        &[
            "account",
            "share",
            "account-lin",
            "--with",
            "mei",
            "--write",
        ],
    );
    ok_as(
        &k,
        "mei",
        &["account", "edit", "account-lin", "--tier", "A"],
    );
    let a = json_as(&k, "admin", &["account", "show", "account-lin"]);
    assert_eq!(a["tier"], "A");
    // Unshared: gone from mei's view.
    ok_as(&k, "lin", &["account", "unshare", "account-lin"]);
    fails_as(&k, "mei", &["account", "show", "account-lin"], 1);
    // A record for someone else, a hand-over, the trash for read-only, administering.
    let e = fails_as(&k, "mei", &["deal", "add", "x", "--owner", "lin"], 4);
    assert!(e.contains("may not give a record to lin"), "{e}");
    let e = fails_as(
        &k,
        "mei",
        &["deal", "edit", "deal-mei", "--owner", "lin"],
        4,
    );
    assert!(e.contains("mei may not transfer"), "{e}");
    fails_as(&k, "ro", &["deal", "rm", "deal-mei"], 4);
    fails_as(&k, "ro", &["deal", "add", "y"], 4);
    fails_as(&k, "mei", &["user", "add", "newbie"], 4);
    fails_as(&k, "wang", &["role", "add", "boss2", "--scope", "all"], 4);
    fails_as(
        &k,
        "mei",
        &["field", "add", "deal", "margin", "--type", "money"],
        4,
    );
    // Nothing of that was written.
    let deals = json_as(&k, "admin", &["deal", "list"]);
    assert_eq!(names(&deals, "title").len(), 3);
    assert!(arr(&deals).iter().all(|d| d["amount"] == 1000.0));
    assert!(arr(&json_as(&k, "admin", &["user", "list"]))
        .iter()
        .all(|u| u["login"] != "newbie"));
    // The manager edits his team's records and hands them over within it.
    ok_as(
        &k,
        "wang",
        &["deal", "edit", "deal-mei", "--amount", "2000"],
    );
    ok_as(&k, "wang", &["deal", "edit", "deal-mei", "--owner", "lin"]);
    assert_eq!(
        json_as(&k, "admin", &["deal", "show", "deal-mei"])["owner"],
        "lin"
    );
}

#[test]
fn field_rules_hide_mask_and_keep_fields_in_every_output() {
    let k = team();
    ok_as(&k, "admin", &["deal", "edit", "deal-mei", "--cost", "600"]);
    ok_as(
        &k,
        "admin",
        &["role", "field", "rep", "deal.cost", "masked"],
    );
    ok_as(
        &k,
        "admin",
        &["role", "field", "rep", "deal.competitor", "hidden"],
    );
    ok_as(
        &k,
        "admin",
        &["role", "field", "rep", "deal.source", "read"],
    );
    let d = json_as(&k, "mei", &["deal", "show", "deal-mei"]);
    assert_eq!(d["cost"], "***");
    assert!(d.get("competitor").is_none(), "{d}");
    let listed = json_as(&k, "mei", &["deal", "list"]);
    assert_eq!(arr(&listed)[0]["cost"], "***");
    assert!(arr(&listed)[0].get("competitor").is_none());
    let e = fails_as(
        &k,
        "mei",
        &["deal", "edit", "deal-mei", "--source", "web"],
        4,
    );
    assert!(e.contains("deal.source"), "{e}");
    fails_as(&k, "mei", &["deal", "edit", "deal-mei", "--cost", "1"], 4);
    // Filtering on a hidden field would tell its values: refused as a field unknown.
    fails_as(&k, "mei", &["deal", "list", "competitor:acme"], 2);
    // The manager sees the cost.
    assert_eq!(
        json_as(&k, "wang", &["deal", "show", "deal-mei"])["cost"],
        600.0
    );
    // Unknown fields and accesses are refused.
    let e = fails_as(
        &k,
        "admin",
        &["role", "field", "rep", "deal.nope", "hidden"],
        2,
    );
    assert!(e.contains("deal has no field 'nope'"), "{e}");
    fails_as(
        &k,
        "admin",
        &["role", "field", "rep", "deal.cost", "secret"],
        2,
    );
    ok_as(&k, "admin", &["role", "field", "rep", "deal.cost", "full"]);
    assert_eq!(
        json_as(&k, "mei", &["deal", "show", "deal-mei"])["cost"],
        600.0
    );
}

#[test]
fn who_acts_is_the_system_login_and_only_an_administrator_acts_as_another() {
    let k = team();
    ok_as(
        &k,
        "admin",
        &["user", "edit", "mei", "--os-login", "mei_unix"],
    );
    // The system login maps to mei: she acts as mei without naming herself.
    let run = |user: &str, kith_user: Option<&str>, args: &[&str]| {
        let mut c = k.cmd();
        c.env_remove("KITH_USER").env("USER", user);
        if let Some(u) = kith_user {
            c.env("KITH_USER", u);
        }
        c.args(args).output().unwrap()
    };
    let out = run("mei_unix", None, &["account", "list", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(names(&v, "name"), may_see("mei", "account"));
    // mei may not act as boss; admin (mapped by login) may act as mei.
    let out = run("mei_unix", Some("boss"), &["account", "list"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only an administrator"));
    let out = run("admin", Some("mei"), &["account", "list", "--json"]);
    assert!(out.status.success());
    // A login that is no user may do nothing; a deactivated user is frozen.
    let e = fails_as(&k, "stranger", &["account", "list"], 4);
    assert!(e.contains("stranger is not a user"), "{e}");
    ok_as(&k, "admin", &["user", "rm", "zhou"]);
    let e = fails_as(&k, "zhou", &["account", "list"], 4);
    assert!(e.contains("frozen"), "{e}");
}

#[test]
fn teams_and_roles_refuse_what_makes_no_sense() {
    let k = team();
    let e = fails_as(
        &k,
        "admin",
        &["team", "edit", "销售部", "--parent", "华南区"],
        2,
    );
    assert!(e.contains("cannot be under"), "{e}");
    fails_as(&k, "admin", &["team", "add", "华南区"], 2);
    fails_as(&k, "admin", &["team", "add", "海外", "--lead", "nobody"], 2);
    let e = fails_as(
        &k,
        "admin",
        &["user", "edit", "mei", "--role", "销售代表"],
        2,
    );
    assert!(e.contains("no role is named '销售代表'"), "{e}");
    ok_as(
        &k,
        "admin",
        &[
            "role",
            "add",
            "销售代表",
            "--scope",
            "team, deal=own",
            "--rights",
            "create,edit",
        ],
    );
    let r = json_as(&k, "admin", &["role", "show", "销售代表"]);
    assert_eq!(r["scope"], "team");
    assert_eq!(r["scopes"], "deal=own");
    assert_eq!(r["rights"], "create, edit");
    fails_as(&k, "admin", &["role", "add", "x", "--scope", "everyone"], 2);
    fails_as(&k, "admin", &["role", "add", "y", "--rights", "fly"], 2);
    fails_as(
        &k,
        "admin",
        &["role", "add", "z", "--scope", "planet=own"],
        2,
    );
    let e = fails_as(&k, "admin", &["role", "rm", "rep"], 2);
    assert!(e.contains("held by"), "{e}");
    // 销售代表: lin sees 华南区's accounts but only her own deals.
    ok_as(&k, "admin", &["user", "edit", "lin", "--role", "销售代表"]);
    assert_eq!(
        names(&json_as(&k, "lin", &["account", "list"]), "name"),
        ["account-lin", "account-mei", "account-pool"]
            .map(String::from)
            .into()
    );
    assert_eq!(
        names(&json_as(&k, "lin", &["deal", "list"]), "title"),
        ["deal-lin"].map(String::from).into()
    );
    let tree = ok_as(&k, "admin", &["team", "tree"]);
    assert!(tree.contains("销售部  lead boss"), "{tree}");
    assert!(tree.contains("  华南区  [lin, mei, wang]"), "{tree}");
}

#[test]
fn without_roles_kith_is_one_persons_and_everyone_does_everything() {
    let k = Kith::new();
    ok_as(&k, "a", &["account", "add", "Mine", "--owner", "b"]);
    ok_as(&k, "c", &["account", "edit", "Mine", "--tier", "A"]);
    ok_as(&k, "c", &["export", "json", "--all"]);
    assert_eq!(
        json_as(&k, "z", &["account", "list"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_hand_over_needs_the_right_and_moves_only_what_the_mover_may_change() {
    let k = team();
    // A rep may not hand over even their own accounts.
    let e = fails_as(
        &k,
        "mei",
        &["account", "transfer", "account-mei", "--to", "lin"],
        4,
    );
    assert!(e.contains("mei may not transfer"), "{e}");
    // The manager of 华南区 hands mei's account with its deal to lin.
    ok_as(
        &k,
        "wang",
        &[
            "account",
            "transfer",
            "account-mei",
            "--to",
            "lin",
            "--with",
            "deals",
        ],
    );
    assert_eq!(
        json_as(&k, "admin", &["deal", "show", "deal-mei"])["owner"],
        "lin"
    );
    // zhou's account is not his to see: it matches nothing.
    fails_as(
        &k,
        "wang",
        &["account", "transfer", "account-zhou", "--to", "lin"],
        1,
    );
    // Deactivating a leaver is administering.
    fails_as(
        &k,
        "wang",
        &["user", "deactivate", "lin", "--transfer-to", "mei"],
        4,
    );
    ok_as(
        &k,
        "admin",
        &["user", "deactivate", "lin", "--transfer-to", "mei"],
    );
    let e = fails_as(&k, "lin", &["deal", "list"], 4);
    assert!(e.contains("frozen"), "{e}");
    assert_eq!(
        names(&json_as(&k, "mei", &["deal", "list"]), "title"),
        ["deal-lin", "deal-mei"].map(String::from).into()
    );
}

#[cfg(unix)]
#[test]
fn init_shared_gives_the_folder_and_the_file_to_a_group_and_nobody_else() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let k = Kith::new();
    // The group of whoever runs the tests: they may give their files to it.
    let gid = std::fs::metadata(k.dir.path()).unwrap().gid();
    let group = std::process::Command::new("getent")
        .args(["group", &gid.to_string()])
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8(o.stdout)
                .ok()?
                .split(':')
                .next()
                .map(str::to_string)
        })
        .filter(|g| !g.is_empty());
    let Some(group) = group else {
        return;
    };
    let db = k.dir.path().join("team").join("team.db");
    let db_arg = db.to_string_lossy().to_string();
    let e = fails_as(
        &k,
        "admin",
        &["--db", &db_arg, "init", "--shared", "no-such-group-x"],
        2,
    );
    assert!(e.contains("no group named 'no-such-group-x'"), "{e}");
    ok_as(&k, "admin", &["--db", &db_arg, "init", "--shared", &group]);
    let dir = std::fs::metadata(db.parent().unwrap()).unwrap();
    assert_eq!(dir.permissions().mode() & 0o7777, 0o2770);
    assert_eq!(dir.gid(), gid);
    let file = std::fs::metadata(&db).unwrap();
    assert_eq!(file.permissions().mode() & 0o777, 0o660);
    assert_eq!(file.gid(), gid);
    // The database is there and works.
    ok_as(&k, "admin", &["--db", &db_arg, "account", "add", "x"]);
    let file = std::fs::metadata(&db).unwrap();
    assert_eq!(file.permissions().mode() & 0o777, 0o660);
}

#[test]
fn a_report_of_a_team_sums_what_its_members_own_within_what_the_reader_sees() {
    let k = team();
    let total = |who: &str, team: &str| -> f64 {
        let v = json_as(&k, who, &["report", "pipeline", "--team", team]);
        arr(&v).iter().filter_map(|r| r["amount"].as_f64()).sum()
    };
    // 销售部 holds both regions: 3 deals of 1000; 华南区 mei's and lin's; 华东区 zhou's.
    assert_eq!(total("admin", "销售部"), 3000.0);
    assert_eq!(total("admin", "华南区"), 2000.0);
    assert_eq!(total("admin", "华东区"), 1000.0);
    // mei sees her own deal only, whatever the team asked for.
    assert_eq!(total("mei", "华南区"), 1000.0);
    assert_eq!(total("mei", "华东区"), 0.0);
    // The pool is nobody's team: a team's accounts leave it out.
    let v = json_as(&k, "admin", &["report", "customers", "--team", "华南区"]);
    let text = v.to_string();
    assert!(
        text.contains("account-mei") && !text.contains("account-pool"),
        "{text}"
    );
    let e = fails_as(&k, "admin", &["report", "pipeline", "--team", "火星区"], 2);
    assert!(e.contains("--team"), "{e}");
}
