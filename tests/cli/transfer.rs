//! Handing ownership over: `kith account transfer` moves the accounts a filter matches,
//! with the records of `--with` that their owner owned, in one batch `kith undo` takes
//! back; `kith user deactivate --transfer-to` freezes a leaver and gives everything they
//! own to another user.

use serde_json::{json, Value};

use super::{arr, col, Kith};

fn owner(k: &Kith, noun: &str, id: i64) -> Value {
    let field = if noun == "case" { "assignee" } else { "owner" };
    k.json(&[noun, "show", &id.to_string()])[field].clone()
}

/// The cases too, which the harness's snapshot leaves out.
fn everything(k: &Kith) -> Vec<Value> {
    let mut all = k.snapshot();
    all.push(k.json(&["case", "list"]));
    all.push(k.json(&["user", "list"]));
    all
}

struct Book {
    k: Kith,
    acme: i64,
    east: i64,
    beta: i64,
    gamma: i64,
    wang: i64,
    li: i64,
    zhao: i64,
    deal_acme: i64,
    deal_gamma: i64,
    task_east: i64,
    case_acme: i64,
    lead: i64,
}

/// ann owns Acme, Acme East (tier A) and Gamma (tier B), bob owns Beta (tier A); on Acme a
/// contact of ann's and one of bob's.
fn book() -> Book {
    let k = Kith::new();
    for u in ["ann", "bob", "lin"] {
        k.ok(&["user", "add", u]);
    }
    let account = |name: &str, tier: &str, who: &str| {
        k.id(&["account", "add", name, "--tier", tier, "--owner", who])
    };
    let acme = account("Acme", "A", "ann");
    let east = account("Acme East", "A", "ann");
    let beta = account("Beta", "A", "bob");
    let gamma = account("Gamma", "B", "ann");
    let contact = |name: &str, acc: &str, who: &str| {
        k.id(&["contact", "add", name, "--account", acc, "--owner", who])
    };
    let wang = contact("Wang", "#1", "ann");
    let li = contact("Li", "#1", "bob");
    let zhao = contact("Zhao", "Beta", "bob");
    let deal =
        |name: &str, acc: &str| k.id(&["deal", "add", name, "--account", acc, "--owner", "ann"]);
    let deal_acme = deal("Acme renewal", "#1");
    let deal_gamma = deal("Gamma pilot", "Gamma");
    let task_east = k.id(&[
        "task",
        "add",
        "Call back",
        "--account",
        "Acme East",
        "--owner",
        "ann",
    ]);
    let case_acme = k.id(&[
        "case",
        "add",
        "Late delivery",
        "--account",
        "#1",
        "--type",
        "complaint",
        "--assignee",
        "ann",
    ]);
    let lead = k.id(&["lead", "add", "Delta Ltd", "--owner", "ann"]);
    Book {
        k,
        acme,
        east,
        beta,
        gamma,
        wang,
        li,
        zhao,
        deal_acme,
        deal_gamma,
        task_east,
        case_acme,
        lead,
    }
}

#[test]
fn a_transfer_moves_exactly_the_records_asked_for_in_one_batch_undo_takes_back() {
    let b = book();
    let k = &b.k;
    let before = everything(k);

    // A dry run says what would move and writes nothing.
    let args = [
        "account",
        "transfer",
        "tier:A",
        "--from",
        "ann",
        "--to",
        "lin",
        "--with",
        "contacts,deals",
        "--with",
        "tasks,cases",
    ];
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    assert_eq!(
        k.ok(&dry),
        "would move 2 accounts, 1 contact, 1 deal, 1 task, 1 case to lin (dry run: nothing written)\n"
    );
    let mut dry_json = dry.clone();
    dry_json.push("--json");
    let plan: Value = serde_json::from_str(&k.ok(&dry_json)).unwrap();
    assert_eq!(plan["dry_run"], json!(true));
    assert_eq!(plan["to"], json!("lin"));
    assert_eq!(plan["from"], json!("ann"));
    assert_eq!(
        col(&plan["moved"], "kind"),
        vec![
            json!("account"),
            json!("contact"),
            json!("deal"),
            json!("task"),
            json!("case")
        ]
    );
    assert_eq!(plan["moved"][0]["ids"], json!([b.acme, b.east]));
    assert_eq!(plan["moved"][4]["field"], json!("assignee"));
    assert_eq!(everything(k), before, "a dry run writes nothing");

    // The transfer: ann's tier-A accounts (not bob's Beta, not the tier-B Gamma), and of
    // their records those ann owned.
    assert_eq!(
        k.ok(&args),
        "moved 2 accounts, 1 contact, 1 deal, 1 task, 1 case to lin\n"
    );
    for (noun, id, who) in [
        ("account", b.acme, "lin"),
        ("account", b.east, "lin"),
        ("account", b.beta, "bob"),
        ("account", b.gamma, "ann"),
        ("contact", b.wang, "lin"),
        ("contact", b.li, "bob"),
        ("contact", b.zhao, "bob"),
        ("deal", b.deal_acme, "lin"),
        ("deal", b.deal_gamma, "ann"),
        ("task", b.task_east, "lin"),
        ("case", b.case_acme, "lin"),
        ("lead", b.lead, "ann"),
    ] {
        assert_eq!(owner(k, noun, id), json!(who), "{noun} {id}");
    }

    // The change log holds each owner change, under the acting user, in one batch.
    let h = arr(&k.json(&["account", "history", "Acme"]));
    let last = h.last().unwrap();
    assert_eq!(
        (&last["op"], &last["user"], &last["before"], &last["after"]),
        (
            &json!("update"),
            &json!("tester"),
            &json!({"owner": "ann"}),
            &json!({"owner": "lin"})
        )
    );
    let c = arr(&k.json(&["case", "history", &b.case_acme.to_string()]));
    let moved = c.last().unwrap();
    assert_eq!(moved["after"]["assignee"], json!("lin"));
    assert_eq!(
        moved["batch"], last["batch"],
        "one batch for the whole transfer"
    );

    // One undo puts every record back.
    let out = k.run(&["undo", "--yes"]);
    assert!(out.status.success());
    let listed = String::from_utf8_lossy(&out.stderr);
    assert_eq!(listed.matches(": owner").count(), 5, "{listed}");
    assert_eq!(listed.matches(": assignee").count(), 1, "{listed}");
    for (noun, id, who) in [
        ("account", b.acme, "ann"),
        ("account", b.east, "ann"),
        ("contact", b.wang, "ann"),
        ("deal", b.deal_acme, "ann"),
        ("task", b.task_east, "ann"),
        ("case", b.case_acme, "ann"),
    ] {
        assert_eq!(owner(k, noun, id), json!(who), "{noun} {id} after undo");
    }
}

#[test]
fn without_from_each_account_takes_the_records_its_own_owner_had() {
    let b = book();
    let k = &b.k;
    // Acme and Acme East were ann's, Beta bob's: Wang (ann's, on Acme) and Zhao (bob's, on
    // Beta) move; Li, bob's contact on ann's Acme, stays bob's.
    assert_eq!(
        k.ok(&["account", "transfer", "tier:A", "--to", "lin", "--with", "contacts"]),
        "moved 3 accounts, 2 contacts to lin\n"
    );
    assert_eq!(owner(k, "contact", b.wang), json!("lin"));
    assert_eq!(owner(k, "contact", b.zhao), json!("lin"));
    assert_eq!(owner(k, "contact", b.li), json!("bob"));
    assert_eq!(
        owner(k, "deal", b.deal_acme),
        json!("ann"),
        "no --with deals"
    );
    // One account by name; what lin owns already is not moved again.
    assert_eq!(
        k.ok(&["account", "transfer", "Acme", "--to", "lin"]),
        "nothing to move to lin\n"
    );
    assert_eq!(
        k.ok(&["account", "transfer", "Gamma", "--to", "lin", "--with", "deals"]),
        "moved 1 account, 1 deal to lin\n"
    );
    // Only Acme, named exactly, and not Acme East with it.
    assert_eq!(
        k.ok(&["account", "transfer", "#1", "--to", "bob", "--dry-run"]),
        "would move 1 account to bob (dry run: nothing written)\n"
    );
}

#[test]
fn a_transfer_refuses_bad_input_and_writes_nothing() {
    let b = book();
    let k = &b.k;
    k.ok(&["user", "rm", "bob"]);
    let before = everything(k);
    let cases: [(&[&str], i32, &str); 7] = [
        (
            &["account", "transfer", "tier:A", "--to", "nobody"],
            2,
            "no user with login 'nobody'",
        ),
        (
            &["account", "transfer", "tier:A", "--to", "bob"],
            2,
            "user bob is deactivated and cannot own records",
        ),
        (
            &["account", "transfer", "tier:A", "--to", "lin", "--with", "contacts,leads"],
            2,
            "--with: 'leads' is not a kind that moves with an account (one of contacts, deals, tasks, cases)",
        ),
        (
            &["account", "transfer", "tier:A", "--to", "lin", "--from", "nobody"],
            2,
            "no user with login 'nobody'",
        ),
        (
            &["account", "transfer", "tier:Z", "--to", "lin"],
            2,
            "filter 'tier': 'Z' is not one of A, B, C",
        ),
        (
            &["account", "transfer", "city:Nowhere", "--to", "lin"],
            1,
            "no accounts match",
        ),
        (
            &["account", "transfer", "tier:B", "--from", "bob", "--to", "lin"],
            1,
            "no accounts match",
        ),
    ];
    for (args, code, msg) in cases {
        let err = k.fails(args, code);
        assert!(err.contains(msg), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(everything(k), before, "nothing was written");
}

#[test]
fn a_leaver_is_frozen_and_everything_they_own_goes_to_one_user() {
    let b = book();
    let k = &b.k;
    let activity = k.id(&[
        "activity",
        "add",
        "call",
        "Intro call",
        "--account",
        "Gamma",
        "--owner",
        "ann",
    ]);
    let gone = k.id(&[
        "contact",
        "add",
        "Old Contact",
        "--account",
        "Gamma",
        "--owner",
        "ann",
    ]);
    k.ok(&["contact", "rm", &gone.to_string()]);

    // Refused: to themselves, to an inactive or unknown user; nothing written.
    k.ok(&["user", "rm", "bob"]);
    let before = everything(k);
    let err = k.fails(&["user", "deactivate", "ann", "--transfer-to", "ann"], 2);
    assert!(
        err.contains("cannot hand over the records of ann to ann"),
        "{err}"
    );
    let err = k.fails(&["user", "deactivate", "ann", "--transfer-to", "bob"], 2);
    assert!(err.contains("user bob is deactivated"), "{err}");
    let err = k.fails(&["user", "deactivate", "ann", "--transfer-to", "nobody"], 2);
    assert!(err.contains("no user with login 'nobody'"), "{err}");
    let out = k.ok(&[
        "user",
        "deactivate",
        "ann",
        "--transfer-to",
        "lin",
        "--dry-run",
    ]);
    assert_eq!(
        out,
        "would move 3 accounts, 2 contacts (1 in the trash), 1 lead, 2 deals, 1 activity, \
         1 task, 1 case to lin (dry run: nothing written)\n"
    );
    assert_eq!(everything(k), before);

    // The hand-over: every kind, the trash too, and ann frozen, in one batch.
    let out = k.run(&["user", "deactivate", "ann", "--transfer-to", "lin"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "moved 3 accounts, 2 contacts (1 in the trash), 1 lead, 2 deals, 1 activity, 1 task, \
         1 case to lin\n"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("user ann deactivated"));
    assert_eq!(k.json(&["user", "show", "ann"])["active"], json!(false));
    for (noun, id) in [
        ("account", b.acme),
        ("account", b.east),
        ("account", b.gamma),
        ("contact", b.wang),
        ("lead", b.lead),
        ("deal", b.deal_acme),
        ("deal", b.deal_gamma),
        ("activity", activity),
        ("task", b.task_east),
        ("case", b.case_acme),
    ] {
        assert_eq!(owner(k, noun, id), json!("lin"), "{noun} {id}");
    }
    let trashed = k.json(&["contact", "list", "--trash"]);
    assert_eq!(col(&trashed, "owner"), vec![json!("lin")]);
    assert_eq!(owner(k, "contact", b.li), json!("bob"), "bob's stay bob's");
    let h = arr(&k.json(&["lead", "history", &b.lead.to_string()]));
    assert_eq!(h.last().unwrap()["user"], json!("tester"));
    assert_eq!(h.last().unwrap()["after"], json!({"owner": "lin"}));

    // A frozen user is given no new record.
    let err = k.fails(&["contact", "add", "New", "--owner", "ann"], 2);
    assert!(err.contains("user ann is deactivated"), "{err}");

    // One undo gives ann back her records and her place.
    k.ok(&["undo", "--yes"]);
    assert_eq!(k.json(&["user", "show", "ann"])["active"], json!(true));
    assert_eq!(owner(k, "deal", b.deal_gamma), json!("ann"));
    assert_eq!(owner(k, "case", b.case_acme), json!("ann"));
}

#[test]
fn deactivating_without_a_successor_says_what_they_still_own() {
    let b = book();
    let k = &b.k;
    let out = k.run(&["user", "deactivate", "bob"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("user bob deactivated"), "{err}");
    assert!(
        err.contains("bob still owns 1 account, 2 contacts (kith user deactivate bob --transfer-to LOGIN hands them over)"),
        "{err}"
    );
    assert_eq!(k.json(&["user", "show", "bob"])["active"], json!(false));
    assert_eq!(owner(k, "account", b.beta), json!("bob"));
    // Later, the hand-over of a user inactive already.
    let out = k.run(&[
        "user",
        "deactivate",
        "bob",
        "--transfer-to",
        "lin",
        "--json",
    ]);
    assert!(out.status.success());
    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(done["deactivated"], json!(false));
    assert_eq!(
        col(&done["handover"]["moved"], "count"),
        vec![json!(1), json!(2)]
    );
    assert_eq!(done["still_owns"], json!([]));
    assert_eq!(owner(k, "account", b.beta), json!("lin"));
}
