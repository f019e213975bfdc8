//! Files exported by other tools (Outlook, Google, Thunderbird, Salesforce, HubSpot, Odoo,
//! Zoho, LinkedIn, Pipedrive, Chinese CRMs): what comes in, field by field.

use serde_json::{json, Value};

use crate::{arr, Kith};

fn data(path: &str) -> String {
    format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// Write a file into the test's directory, returning its path.
fn file(k: &Kith, name: &str, text: &str) -> String {
    let p = k.dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// The deals as (title, stage, status), in id order.
fn deals(k: &Kith) -> Vec<(String, String, String)> {
    let mut all = arr(&k.json(&["deal", "list", "--sort", "id"]));
    all.sort_by_key(|d| d["id"].as_i64());
    all.iter()
        .map(|d| {
            (
                d["title"].as_str().unwrap_or_default().to_string(),
                d["stage"].as_str().unwrap_or_default().to_string(),
                d["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn t(title: &str, stage: &str, status: &str) -> (String, String, String) {
    (title.into(), stage.into(), status.into())
}

#[test]
fn salesforce_stages_come_in_by_name_and_by_the_usual_words() {
    let k = Kith::new();
    let out = k.ok(&[
        "import",
        "csv",
        &data("csv/salesforce_opportunities.csv"),
        "--entity",
        "deal",
    ]);
    assert!(out.starts_with("created 11, updated 0"), "{out}");
    assert_eq!(
        deals(&k),
        vec![
            t("Dickenson Mobile Generators", "qualification", "open"),
            t(
                "United Oil Office Portable Generators",
                "negotiation",
                "open"
            ),
            t("Express Logistics Standby Generator", "won", "won"),
            t("GenePoint Lab Generators", "needs analysis", "open"),
            t("Grand Hotels Kitchen Generator", "lost", "lost"),
            t("Edge Emergency Generator", "qualification", "open"),
            t("University of AZ Installations", "proposal", "open"),
            t("Burlington Textiles Weaving Plant Generator", "won", "won"),
            t("Pyramid Emergency Generators", "needs analysis", "open"),
            t("sForce", "needs analysis", "open"),
            t("Omega Standby Generators", "needs analysis", "open"),
        ]
    );
    let won = k.json(&["deal", "show", "Express Logistics Standby Generator"]);
    assert_eq!(
        (won["amount"].clone(), won["probability"].clone()),
        (json!(220000.0), json!(100))
    );
    // Closed on its close date, not today.
    assert_eq!(won["closed_at"], json!("2026-10-02T12:00:00Z"));
}

#[test]
fn unknown_stage_and_tier_values_are_named_at_once_with_counts_and_map_values_maps_them() {
    let k = Kith::new();
    let path = file(
        &k,
        "deals.csv",
        "Deal Name,Stage,Amount\n\
         A,Verbal Commit,10\n\
         B,On Hold,20\n\
         C,Verbal Commit,30\n\
         D,Closed Won,40\n",
    );
    let before = k.snapshot();
    let err = k.fails(&["import", "csv", &path, "--entity", "deal"], 2);
    assert!(
        err.contains(
            "stage: 2 values kith does not know: 'Verbal Commit' (2 rows), 'On Hold' (1 row); \
             map them with --map-values stage:'Verbal Commit=qualification,On Hold=qualification' \
             (it takes: qualification, needs analysis, proposal, negotiation, won, lost)"
        ),
        "{err}"
    );
    assert!(
        err.contains("line 2, column Stage: pipeline 'sales' has no stage 'Verbal Commit'"),
        "{err}"
    );
    assert_eq!(k.snapshot(), before);
    let out = k.ok(&[
        "import",
        "csv",
        &path,
        "--entity",
        "deal",
        "--map-values",
        "stage:Verbal Commit=negotiation",
        "--map-values",
        "stage:on hold=Qualification",
    ]);
    assert!(out.starts_with("created 4,"), "{out}");
    assert_eq!(
        deals(&k),
        vec![
            t("A", "negotiation", "open"),
            t("B", "qualification", "open"),
            t("C", "negotiation", "open"),
            t("D", "won", "won"),
        ]
    );

    // Any choice field: an account's tier.
    let path = file(
        &k,
        "accounts.csv",
        "客户名称,客户等级\n甲公司,VIP\n乙公司,普通\n丙公司,VIP\n丁公司,B\n",
    );
    let err = k.fails(&["import", "csv", &path, "--entity", "account"], 2);
    assert!(
        err.contains("tier: 2 values kith does not know: 'VIP' (2 rows), '普通' (1 row)"),
        "{err}"
    );
    assert!(err.contains("--map-values tier:'VIP=A,普通=A'"), "{err}");
    k.ok(&[
        "import",
        "csv",
        &path,
        "--entity",
        "account",
        "--map-values",
        "tier:VIP=A,普通=C",
    ]);
    let tiers: Vec<(Value, Value)> = arr(&k.json(&["account", "list", "--sort", "id"]))
        .iter()
        .map(|a| (a["name"].clone(), a["tier"].clone()))
        .collect();
    assert_eq!(
        tiers,
        vec![
            (json!("甲公司"), json!("A")),
            (json!("乙公司"), json!("C")),
            (json!("丙公司"), json!("A")),
            (json!("丁公司"), json!("B")),
        ]
    );
    let err = k.fails(
        &[
            "import",
            "csv",
            &path,
            "--entity",
            "account",
            "--map-values",
            "tier",
        ],
        2,
    );
    assert!(err.contains("FIELD:FROM=TO"), "{err}");
}
