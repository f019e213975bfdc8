use serde_json::json;

use crate::{arr, col, fixture};

#[test]
fn logging_an_activity_with_a_follow_up() {
    let k = fixture();
    let out = k.run(&[
        "log",
        "visit",
        "季度拜访",
        "--contact",
        "王芳",
        "--deal",
        "1",
        "--at",
        "2026-11-20 15:00",
        "--body",
        "讨论了新航站楼的需求",
        "--outcome",
        "positive",
        "--minutes",
        "90",
        "--next",
        "发送报价",
        "--due",
        "fri 9am",
    ]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("follow-up task 1 created"));
    let a = k.json(&["activity", "show", "1"]);
    assert_eq!(a["kind"], "visit");
    assert_eq!(a["subject"], "季度拜访");
    assert_eq!(a["at"], "2026-11-20T15:00:00");
    assert_eq!(a["minutes"], 90);
    assert_eq!(a["outcome"], "positive");
    assert_eq!(a["account_id"], 1, "the contact's account is filled in");
    let t = k.json(&["task", "show", "1"]);
    assert_eq!(t["title"], "发送报价");
    assert_eq!(t["due"], "2026-11-27T09:00:00");
    assert_eq!(t["done"], false);
    assert_eq!(
        (
            t["account_id"].clone(),
            t["contact_id"].clone(),
            t["deal_id"].clone()
        ),
        (json!(1), json!(1), json!(1))
    );
    // The same through `activity add`, and the default time is now.
    let id = k.id(&[
        "activity",
        "add",
        "call",
        "Follow-up call",
        "--account",
        "Acme Logistics",
    ]);
    assert_eq!(
        k.json(&["activity", "show", &id.to_string()])["at"],
        "2026-11-22T10:00:00"
    );
    // The deal's view shows both.
    let d = k.json(&["deal", "show", "1"]);
    assert_eq!(
        col(&d["recent_activities"], "subject"),
        vec![json!("季度拜访")]
    );
    assert_eq!(col(&d["open_tasks"], "title"), vec![json!("发送报价")]);
}

#[test]
fn activity_kinds_and_lists() {
    let k = fixture();
    for (kind, subject, at) in [
        ("call", "电话沟通", "2026-11-18 10:00"),
        ("meeting", "Kick-off", "2026-11-19"),
        ("email", "Sent brochure", "yesterday"),
        ("note", "Budget is 1.5m", "today"),
    ] {
        k.id(&[
            "activity",
            "add",
            kind,
            subject,
            "--account",
            "1",
            "--at",
            at,
        ]);
    }
    let err = k.fails(&["activity", "add", "lunch", "x"], 2);
    assert!(
        err.contains("kind: 'lunch' is not one of call, visit, meeting, email, note"),
        "{err}"
    );
    // Newest first by default.
    assert_eq!(
        col(&k.json(&["activity", "list"]), "subject"),
        vec![
            json!("Budget is 1.5m"),
            json!("Sent brochure"),
            json!("Kick-off"),
            json!("电话沟通")
        ]
    );
    assert_eq!(
        col(&k.json(&["activity", "list", "kind:call"]), "subject"),
        vec![json!("电话沟通")]
    );
    assert_eq!(
        arr(&k.json(&["activity", "list", "at>=2026-11-19", "at<today"])).len(),
        2
    );
    k.ok(&["activity", "rm", "1"]);
    assert_eq!(arr(&k.json(&["activity", "list"])).len(), 3);
    k.ok(&["activity", "edit", "2", "--outcome", "agreed on scope"]);
    assert_eq!(
        k.json(&["activity", "show", "2"])["outcome"],
        "agreed on scope"
    );
}

#[test]
fn tasks_are_done_and_reopened() {
    let k = fixture();
    k.id(&[
        "task",
        "add",
        "Call back",
        "--due",
        "yesterday",
        "--priority",
        "high",
        "--account",
        "Acme Logistics",
    ]);
    k.id(&[
        "task",
        "add",
        "Send contract",
        "--due",
        "today 17:00",
        "--deal",
        "1",
    ]);
    k.id(&["task", "add", "Plan Q1", "--due", "+1w"]);
    k.id(&["task", "add", "Someday"]);
    let t = k.json(&["task", "show", "2"]);
    assert_eq!(t["due"], "2026-11-22T17:00:00");
    assert_eq!(t["priority"], "normal");
    assert_eq!(t["account_id"], 1, "a deal's task is also its account's");
    assert_eq!(
        col(&k.json(&["task", "list", "due<=today"]), "title"),
        vec![json!("Call back"), json!("Send contract")]
    );
    assert_eq!(
        col(&k.json(&["task", "list", "due<today"]), "title"),
        vec![json!("Call back")]
    );
    assert_eq!(
        col(&k.json(&["task", "list", "due:"]), "title"),
        vec![json!("Someday")]
    );
    k.ok(&["task", "done", "Call back", "2"]);
    let t = k.json(&["task", "show", "1"]);
    assert_eq!(
        (t["done"].clone(), t["done_at"].clone()),
        (json!(true), json!("2026-11-22T10:00:00Z"))
    );
    assert_eq!(
        col(&k.json(&["task", "list", "done:no"]), "title"),
        vec![json!("Plan Q1"), json!("Someday")]
    );
    k.ok(&["task", "reopen", "1"]);
    let t = k.json(&["task", "show", "1"]);
    assert_eq!(
        (t["done"].clone(), t["done_at"].clone()),
        (json!(false), json!(null))
    );
    let err = k.fails(&["task", "add", "x", "--priority", "urgent"], 2);
    assert!(
        err.contains("priority: 'urgent' is not one of low, normal, high"),
        "{err}"
    );
    let err = k.fails(&["task", "add", "x", "--due", "next blursday"], 2);
    assert!(err.contains("due: bad date"), "{err}");
    let err = k.fails(&["task", "edit", "1", "--done-at", "now"], 2);
    assert!(err.contains("--done-at"), "{err}");
}
