use serde_json::json;

use crate::{arr, col, fixture, Kith};

#[test]
fn a_new_deal_starts_in_the_first_stage_of_the_default_pipeline() {
    let k = fixture();
    let d = k.json(&["deal", "show", "1"]);
    assert_eq!(d["title"], "航站楼系统升级");
    assert_eq!(d["account_id"], 1);
    assert_eq!(d["contact_id"], 1);
    assert_eq!(d["amount"], 1200000.0);
    assert_eq!(d["currency"], "CNY");
    assert_eq!(d["pipeline"], "sales");
    assert_eq!(d["stage"], "qualification");
    assert_eq!(d["probability"], 10);
    assert_eq!(d["status"], "open");
    assert_eq!(d["expected_close"], "2026-11-30");
    assert_eq!(
        d["stage_history"],
        json!([{"from": null, "to": "qualification", "at": "2026-11-22T10:00:00Z", "user": "tester"}])
    );
    // Currency defaults to the configured one (USD without configuration).
    let id = k.id(&["deal", "add", "Small deal", "--amount", "500"]);
    assert_eq!(
        k.json(&["deal", "show", &id.to_string()])["currency"],
        "USD"
    );
}

#[test]
fn moving_stages_sets_probability_status_and_history() {
    let k = fixture();
    k.cmd()
        .args(["deal", "move", "1", "prop"])
        .env("KITH_NOW", "2026-11-24T09:00")
        .env("KITH_USER", "lin")
        .assert()
        .success();
    let d = k.json(&["deal", "show", "1"]);
    assert_eq!(
        (
            d["stage"].clone(),
            d["probability"].clone(),
            d["status"].clone()
        ),
        (json!("proposal"), json!(50), json!("open"))
    );
    k.ok(&["deal", "move", "1", "negotiation", "--probability", "80"]);
    assert_eq!(k.json(&["deal", "show", "1"])["probability"], 80);
    k.cmd()
        .args(["deal", "won", "1"])
        .env("KITH_NOW", "2026-11-30T17:00")
        .assert()
        .success();
    let d = k.json(&["deal", "show", "1"]);
    assert_eq!(
        (
            d["stage"].clone(),
            d["status"].clone(),
            d["probability"].clone()
        ),
        (json!("won"), json!("won"), json!(100))
    );
    assert_eq!(d["closed_at"], "2026-11-30T17:00:00Z");
    let steps: Vec<(String, String)> = arr(&d["stage_history"])
        .iter()
        .map(|s| {
            (
                s["to"].as_str().unwrap().to_string(),
                s["user"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            ("qualification".into(), "tester".into()),
            ("proposal".into(), "lin".into()),
            ("negotiation".into(), "tester".into()),
            ("won".into(), "tester".into()),
        ]
    );
    assert_eq!(arr(&d["stage_history"])[1]["at"], "2026-11-24T09:00:00Z");
    let table = k.ok(&["deal", "history", "1"]);
    assert!(
        table.contains("qualification (#1)") && table.contains("proposal (#3)"),
        "{table}"
    );
    // Reopening by moving back clears the close.
    k.ok(&["deal", "move", "1", "proposal"]);
    let d = k.json(&["deal", "show", "1"]);
    assert_eq!(
        (d["status"].clone(), d["closed_at"].clone()),
        (json!("open"), json!(null))
    );
}

#[test]
fn lost_needs_a_reason_and_keeps_it() {
    let k = fixture();
    k.fails(&["deal", "lost", "1"], 2);
    k.ok(&["deal", "lost", "1", "--reason", "price"]);
    let d = k.json(&["deal", "show", "1"]);
    assert_eq!(
        (
            d["status"].clone(),
            d["stage"].clone(),
            d["reason"].clone(),
            d["probability"].clone()
        ),
        (json!("lost"), json!("lost"), json!("price"), json!(0))
    );
    // Status follows the stage: it is no option of add or edit.
    let err = k.fails(&["deal", "edit", "1", "--status", "open"], 2);
    assert!(err.contains("unexpected argument '--status'"), "{err}");
    let err = k.fails(&["deal", "move", "1", "nowhere"], 2);
    assert!(err.contains("has no stage 'nowhere'; its stages are: qualification, needs analysis, proposal, negotiation, won, lost"), "{err}");
}

#[test]
fn pipelines_and_stages_are_data() {
    let k = Kith::new();
    let boards = k.json(&["pipeline", "list"]);
    assert_eq!(arr(&boards).len(), 1);
    let stages: Vec<(String, i64, String)> = arr(&boards[0]["stages"])
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().into(),
                s["probability"].as_i64().unwrap(),
                s["outcome"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        stages,
        vec![
            ("qualification".into(), 10, "open".into()),
            ("needs analysis".into(), 25, "open".into()),
            ("proposal".into(), 50, "open".into()),
            ("negotiation".into(), 75, "open".into()),
            ("won".into(), 100, "won".into()),
            ("lost".into(), 0, "lost".into()),
        ]
    );
    assert_eq!(boards[0]["is_default"], true);

    let p = k.id(&[
        "pipeline",
        "add",
        "renewals",
        "--stage",
        "due:30",
        "--stage",
        "quoted:60",
        "--stage",
        "renewed:100:won",
        "--stage",
        "churned:0:lost",
    ]);
    assert_eq!(p, 2);
    k.id(&[
        "pipeline",
        "stage",
        "add",
        "renewals",
        "contacted",
        "--probability",
        "45",
        "--after",
        "due",
    ]);
    k.ok(&[
        "pipeline",
        "stage",
        "rename",
        "renewals",
        "quoted",
        "quote sent",
    ]);
    k.ok(&[
        "pipeline",
        "stage",
        "move",
        "renewals",
        "contacted",
        "--position",
        "1",
    ]);
    k.ok(&[
        "pipeline",
        "stage",
        "set",
        "renewals",
        "due",
        "--probability",
        "20",
    ]);
    let b = k.json(&["pipeline", "show", "renewals"]);
    assert_eq!(
        col(&b["stages"], "name"),
        vec![
            json!("contacted"),
            json!("due"),
            json!("quote sent"),
            json!("renewed"),
            json!("churned")
        ]
    );
    assert_eq!(
        col(&b["stages"], "position"),
        vec![json!(1), json!(2), json!(3), json!(4), json!(5)]
    );
    assert_eq!(arr(&b["stages"])[1]["probability"], 20);

    // Deals use it by name; moves stay inside it.
    let d = k.id(&[
        "deal",
        "add",
        "Renewal 2027",
        "--pipeline",
        "renewals",
        "--amount",
        "10000",
    ]);
    let deal = k.json(&["deal", "show", &d.to_string()]);
    assert_eq!(
        (deal["stage"].clone(), deal["probability"].clone()),
        (json!("contacted"), json!(45))
    );
    k.ok(&["deal", "won", &d.to_string()]);
    assert_eq!(
        k.json(&["deal", "show", &d.to_string()])["stage"],
        "renewed"
    );
    let err = k.fails(&["pipeline", "stage", "rm", "renewals", "renewed"], 2);
    assert!(err.contains("deals are in this stage"), "{err}");
    k.ok(&["pipeline", "stage", "rm", "renewals", "due"]);
    assert_eq!(
        arr(&k.json(&["pipeline", "show", "renewals"])["stages"]).len(),
        4
    );

    k.ok(&["pipeline", "default", "renewals"]);
    let d2 = k.id(&["deal", "add", "Another"]);
    assert_eq!(
        k.json(&["deal", "show", &d2.to_string()])["pipeline"],
        "renewals"
    );
    k.ok(&["pipeline", "rename", "renewals", "续约"]);
    assert_eq!(
        k.json(&["deal", "show", &d2.to_string()])["pipeline"],
        "续约"
    );

    for (args, want) in [
        (vec!["pipeline", "add", "sales"], "already exists"),
        (
            vec!["pipeline", "add", "x", "--stage", "won"],
            "at least one open stage",
        ),
        (
            vec!["pipeline", "add", "x", "--stage", "a:200"],
            "out of range",
        ),
        (
            vec!["pipeline", "stage", "add", "sales", "proposal"],
            "already has a stage named 'proposal'",
        ),
        (
            vec!["pipeline", "stage", "move", "sales", "won"],
            "say where",
        ),
        (
            vec!["pipeline", "stage", "add", "nope", "x"],
            "no pipeline named 'nope'",
        ),
    ] {
        let err = k.fails(&args, 2);
        assert!(
            err.contains(want),
            "kith {args:?}: wanted {want:?} in:\n{err}"
        );
    }
}

#[test]
fn the_pipeline_board_counts_open_deals() {
    let k = fixture();
    k.id(&[
        "deal", "add", "B", "--amount", "1000", "--stage", "proposal",
    ]);
    k.id(&[
        "deal",
        "add",
        "C",
        "--amount",
        "3000",
        "--stage",
        "proposal",
        "--probability",
        "20",
    ]);
    let b = k.json(&["pipeline", "show", "sales"]);
    let proposal = arr(&b["stages"])
        .into_iter()
        .find(|s| s["name"] == "proposal")
        .unwrap();
    assert_eq!(proposal["count"], 2);
    // Per currency (the deals are in the default currency, USD).
    assert_eq!(proposal["amount"], json!({"USD": 4000.0}));
    assert_eq!(proposal["weighted_amount"], json!({"USD": 1100.0}));
}
