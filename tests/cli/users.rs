//! `kith user …`: users are added, listed, shown and edited like records; `rm` deactivates
//! and never deletes; owners name users; the acting user becomes one on their first change.

use serde_json::{json, Value};

use super::{arr, col, Kith};

fn logins(k: &Kith) -> Vec<Value> {
    col(&k.json(&["user", "list"]), "login")
}

#[test]
fn users_are_added_listed_shown_and_edited() {
    let k = Kith::new();
    assert_eq!(
        k.id(&[
            "user",
            "add",
            "mei",
            "--name",
            "Mei Lin",
            "--email",
            "mei@example.com"
        ]),
        2,
        "kith, who made the default pipeline, is user 1"
    );
    let bob = k.id(&["user", "add", "bob", "--manager", "mei"]);
    // kith, mei, then tester (who added mei) and bob.
    assert_eq!(bob, 4);
    assert_eq!(
        logins(&k),
        vec![json!("bob"), json!("kith"), json!("mei"), json!("tester")]
    );
    let b = k.json(&["user", "show", "bob"]);
    assert_eq!(
        (&b["name"], &b["active"], &b["manager"], &b["manager_id"]),
        (&json!("bob"), &json!(true), &json!("mei"), &json!(2))
    );
    let m = k.json(&["user", "show", "mei"]);
    assert_eq!(
        (&m["name"], &m["email"]),
        (&json!("Mei Lin"), &json!("mei@example.com"))
    );
    assert_eq!(col(&m["direct_reports"], "login"), vec![json!("bob")]);
    k.ok(&[
        "user",
        "edit",
        "bob",
        "--name",
        "Bob Wong",
        "--email",
        "bob@example.com",
    ]);
    let csv = k.ok(&["user", "list", "--csv", "--columns", "login,name,manager"]);
    assert_eq!(
        csv,
        "login,name,manager\nbob,Bob Wong,mei\nkith,kith,\nmei,Mei Lin,\ntester,tester,\n"
    );
    // Filters work as on any kind.
    assert_eq!(
        col(&k.json(&["user", "list", "manager:mei"]), "login"),
        vec![json!("bob")]
    );
    // The change log holds who added and changed them.
    let h = k.json(&["user", "history", "bob"]);
    assert_eq!(col(&h, "op"), vec![json!("create"), json!("update")]);
    assert_eq!(col(&h, "user"), vec![json!("tester"), json!("tester")]);
}

#[test]
fn bad_user_input_is_refused_with_a_clear_message() {
    let k = Kith::new();
    k.ok(&["user", "add", "mei"]);
    k.ok(&["user", "add", "bob", "--manager", "mei"]);
    k.ok(&["user", "add", "ann", "--manager", "bob"]);
    let before = k.json(&["user", "list"]);
    let err = k.fails(&["user", "add", "mei"], 2);
    assert!(
        err.contains("a user with login 'mei' exists already"),
        "{err}"
    );
    let err = k.fails(&["user", "edit", "mei", "--manager", "mei"], 2);
    assert_eq!(
        err,
        "kith: manager: mei cannot report to mei: a user cannot manage themselves, directly or through others\n"
    );
    let err = k.fails(&["user", "edit", "mei", "--manager", "ann"], 2);
    assert_eq!(
        err,
        "kith: manager: mei cannot report to ann → bob → mei: a user cannot manage themselves, directly or through others\n"
    );
    let err = k.fails(&["user", "edit", "mei", "--login", "mei2"], 2);
    assert!(err.contains("a user's login never changes"), "{err}");
    let err = k.fails(&["user", "edit", "mei", "--email", "not-an-email"], 2);
    assert!(err.contains("email"), "{err}");
    let err = k.fails(&["user", "add", " "], 2);
    assert!(err.contains("login"), "{err}");
    let err = k.fails(&["merge", "user", "mei", "bob"], 2);
    assert!(err.contains("invalid value 'user'"), "{err}");
    let err = k.fails(&["import", "csv", "x.csv", "--entity", "user"], 2);
    assert!(err.contains("invalid value 'user'"), "{err}");
    assert_eq!(k.json(&["user", "list"]), before, "nothing was written");
}

#[test]
fn rm_deactivates_and_never_deletes() {
    let k = Kith::new();
    k.ok(&["user", "add", "bob"]);
    k.ok(&["--as", "bob", "account", "add", "Acme"]);
    let out = k.run(&["user", "rm", "bob"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("user bob deactivated"));
    let b = k.json(&["user", "show", "bob"]);
    assert_eq!(
        (&b["active"], &b["deleted_at"]),
        (&json!(false), &json!(null))
    );
    assert!(logins(&k).contains(&json!("bob")), "still listed");
    assert_eq!(
        col(&k.json(&["user", "list", "active:no"]), "login"),
        vec![json!("bob")]
    );
    // What they own and what they did stays theirs.
    assert_eq!(k.json(&["account", "show", "Acme"])["owner"], "bob");
    assert_eq!(
        arr(&k.json(&["account", "history", "Acme"]))[0]["user"],
        "bob"
    );
    // Deactivating again changes nothing; restore makes them active.
    let again = k.run(&["user", "rm", "bob"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("was inactive already"));
    k.ok(&["user", "restore", "bob"]);
    assert_eq!(k.json(&["user", "show", "bob"])["active"], true);
    assert_eq!(k.json(&["user", "list", "--trash"]), json!([]));
}

#[test]
fn owners_name_users_and_unknown_ones_become_users() {
    let k = Kith::new();
    k.ok(&[
        "user",
        "add",
        "mei",
        "--name",
        "Mei Lin",
        "--email",
        "mei@example.com",
    ]);
    // By login, display name or email (ignoring case), the owner stored is the login.
    for (i, owner) in ["mei", "mei lin", "MEI@EXAMPLE.COM"].iter().enumerate() {
        let name = format!("Account {i}");
        k.ok(&["account", "add", &name, "--owner", owner]);
        assert_eq!(
            k.json(&["account", "show", &name])["owner"],
            "mei",
            "{owner}"
        );
    }
    // A name no user has makes a new user with that login: `--owner bob` keeps working.
    k.ok(&["deal", "add", "Deal", "--owner", "bob"]);
    assert_eq!(k.json(&["deal", "show", "Deal"])["owner"], "bob");
    let bob = k.json(&["user", "show", "bob"]);
    assert_eq!(
        (&bob["name"], &bob["active"]),
        (&json!("bob"), &json!(true))
    );
    // The acting user is a user after their first change, and owns what they add.
    k.ok(&["--as", "zhao", "lead", "add", "Lead"]);
    assert_eq!(k.json(&["lead", "show", "Lead"])["owner"], "zhao");
    assert!(logins(&k).contains(&json!("zhao")));
    // Undoing the change that named a new owner keeps the user (bookkeeping, not a change).
    k.ok(&["undo", "--yes"]);
    assert!(logins(&k).contains(&json!("zhao")));
    k.ok(&["check"]);
}

#[test]
fn check_finds_an_owner_who_is_no_user_and_a_manager_cycle() {
    let k = Kith::new();
    k.ok(&["account", "add", "Acme", "--owner", "bob"]);
    k.ok(&["user", "add", "ann"]);
    k.ok(&["check"]);
    let conn = rusqlite::Connection::open(&k.db).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DELETE FROM users WHERE login = 'bob';
         UPDATE users SET manager_id = (SELECT id FROM users WHERE login = 'ann')
          WHERE login = 'kith';
         UPDATE users SET manager_id = (SELECT id FROM users WHERE login = 'kith')
          WHERE login = 'ann';",
    )
    .unwrap();
    drop(conn);
    let out = k.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let found = String::from_utf8_lossy(&out.stdout);
    assert!(
        found.contains("users: owner 'bob' is no user (kith user add bob makes them one)"),
        "{found}"
    );
    assert!(
        found.contains("users: user 1 manages themselves, directly or through others"),
        "{found}"
    );
}

#[test]
fn a_deactivated_user_is_given_no_records_but_keeps_those_they_own() {
    let k = Kith::new();
    k.ok(&["user", "add", "bob"]);
    k.ok(&["account", "add", "Acme", "--owner", "bob"]);
    k.ok(&["user", "rm", "bob"]);
    let before = k.json(&["account", "list"]);
    // Not the owner of a new record, of any kind, nor of another one's.
    let said = k.fails(&["account", "add", "Globex", "--owner", "bob"], 2);
    assert!(
        said.contains("owner: user bob is deactivated and cannot own records"),
        "{said}"
    );
    k.fails(&["deal", "add", "Robots", "--owner", "bob"], 2);
    k.ok(&["contact", "add", "Ann"]);
    k.fails(&["contact", "edit", "Ann", "--owner", "bob"], 2);
    // Nor by acting: a new record's owner is who acts.
    k.fails(&["--as", "bob", "task", "add", "Call"], 2);
    assert_eq!(k.json(&["account", "list"]), before, "nothing written");
    assert_eq!(k.json(&["deal", "list"]), json!([]));
    // What they own stays theirs, and is edited as before.
    k.ok(&["account", "edit", "Acme", "--city", "Paris"]);
    assert_eq!(k.json(&["account", "show", "Acme"])["owner"], "bob");
    // Given to someone else, then back once bob is active again.
    k.ok(&["account", "edit", "Acme", "--owner", "tester"]);
    k.fails(&["account", "edit", "Acme", "--owner", "bob"], 2);
    k.ok(&["user", "restore", "bob"]);
    k.ok(&["account", "edit", "Acme", "--owner", "bob"]);
    assert_eq!(k.json(&["account", "show", "Acme"])["owner"], "bob");
}
