//! Reports against a small CRM whose figures are worked out by hand (see the comments), and
//! the Maven sample dataset checked against figures computed here from its CSV files.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::{arr, Kith};

/// Made over two and a half months; "today" is 2026-11-22.
///
/// | deal | account | owner | amount | cost | created    | history                              |
/// |------|---------|-------|--------|------|------------|--------------------------------------|
/// | D1   | Big     | ann   | 1000   | 400  | 2026-09-01 | proposal 09-10, won 10-01            |
/// | D2   | Big     | ann   | 500    | 100  | 2026-09-05 | lost (price) 10-15                   |
/// | D3   | Mid     | bob   | 300    |      | 2026-10-01 | won 11-05                            |
/// | D4   | Small   | bob   | 200    |      | 2026-10-10 | proposal 10-20; open, close 12-15    |
/// | D5   | Mid     | ann   | 100    |      | 2026-11-01 | open in qualification, close 12-20   |
/// | D6   | Small   | bob   | 50     |      | 2026-11-01 | won 11-10                            |
fn crm() -> Kith {
    let k = Kith::new();
    let at = |when: &str, args: &[&str]| {
        let out = k
            .cmd()
            .env("KITH_NOW", format!("{when}T10:00"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    at(
        "2026-06-01",
        &["account", "add", "Big", "--type", "customer", "--tier", "A"],
    );
    at(
        "2026-06-01",
        &["account", "add", "Mid", "--type", "customer", "--tier", "B"],
    );
    at(
        "2026-06-01",
        &[
            "account", "add", "Small", "--type", "customer", "--tier", "C",
        ],
    );
    at(
        "2026-06-01",
        &[
            "account", "add", "Idle", "--type", "prospect", "--tier", "C",
        ],
    );
    at(
        "2026-09-01",
        &[
            "deal",
            "add",
            "D1",
            "--account",
            "Big",
            "--amount",
            "1000",
            "--cost",
            "400",
            "--owner",
            "ann",
        ],
    );
    at(
        "2026-09-05",
        &[
            "deal",
            "add",
            "D2",
            "--account",
            "Big",
            "--amount",
            "500",
            "--cost",
            "100",
            "--owner",
            "ann",
            "--source",
            "web",
        ],
    );
    at("2026-09-10", &["deal", "move", "D1", "proposal"]);
    at("2026-10-01", &["deal", "won", "D1"]);
    at(
        "2026-10-01",
        &[
            "deal",
            "add",
            "D3",
            "--account",
            "Mid",
            "--amount",
            "300",
            "--owner",
            "bob",
        ],
    );
    at(
        "2026-10-10",
        &[
            "deal",
            "add",
            "D4",
            "--account",
            "Small",
            "--amount",
            "200",
            "--owner",
            "bob",
            "--close",
            "2026-12-15",
        ],
    );
    at("2026-10-15", &["deal", "lost", "D2", "--reason", "price"]);
    at("2026-10-20", &["deal", "move", "D4", "proposal"]);
    at(
        "2026-11-01",
        &[
            "deal",
            "add",
            "D5",
            "--account",
            "Mid",
            "--amount",
            "100",
            "--owner",
            "ann",
            "--close",
            "2026-12-20",
        ],
    );
    at(
        "2026-11-01",
        &[
            "deal",
            "add",
            "D6",
            "--account",
            "Small",
            "--amount",
            "50",
            "--owner",
            "bob",
        ],
    );
    at("2026-11-05", &["deal", "won", "D3"]);
    at("2026-11-10", &["deal", "won", "D6"]);
    at(
        "2026-11-20",
        &[
            "log",
            "visit",
            "Site visit",
            "--account",
            "Big",
            "--owner",
            "ann",
            "--at",
            "2026-11-20 10:00",
        ],
    );
    at(
        "2026-11-20",
        &[
            "log",
            "call",
            "Check-in",
            "--account",
            "Big",
            "--owner",
            "ann",
            "--at",
            "2026-11-18 09:00",
        ],
    );
    at(
        "2026-11-20",
        &[
            "log",
            "visit",
            "Summer visit",
            "--account",
            "Mid",
            "--owner",
            "bob",
            "--at",
            "2026-07-01 10:00",
        ],
    );
    at(
        "2026-11-20",
        &[
            "log",
            "email",
            "Newsletter",
            "--owner",
            "bob",
            "--at",
            "2026-11-19 08:00",
        ],
    );
    at("2026-11-01", &["lead", "add", "L1", "--source", "web"]);
    at(
        "2026-11-01",
        &["lead", "add", "L2", "--source", "web", "--company", "Big"],
    );
    at("2026-11-01", &["lead", "add", "L3", "--source", "referral"]);
    at("2026-11-01", &["lead", "add", "L4"]);
    at("2026-11-02", &["lead", "convert", "L2", "--account", "Big"]);
    at(
        "2026-11-03",
        &["lead", "edit", "L3", "--status", "disqualified"],
    );
    k
}

fn rows(v: &Value) -> Vec<Value> {
    arr(v)
}

#[test]
fn pipeline_counts_open_deals_per_stage() {
    let k = crm();
    let r = k.json(&["report", "pipeline"]);
    let got: Vec<(String, i64, f64, f64)> = rows(&r)
        .iter()
        .map(|s| {
            (
                s["stage"].as_str().unwrap().into(),
                s["count"].as_i64().unwrap(),
                s["amount"].as_f64().unwrap(),
                s["weighted_amount"].as_f64().unwrap(),
            )
        })
        .collect();
    // D5 (100 at 10 %) in qualification; D4 (200 at 50 %) in proposal.
    assert_eq!(
        got,
        vec![
            ("qualification".into(), 1, 100.0, 10.0),
            ("needs analysis".into(), 0, 0.0, 0.0),
            ("proposal".into(), 1, 200.0, 100.0),
            ("negotiation".into(), 0, 0.0, 0.0),
        ]
    );
    let by = k.json(&["report", "pipeline", "--by", "owner"]);
    let proposal = rows(&by)
        .into_iter()
        .find(|s| s["stage"] == "proposal")
        .unwrap();
    assert_eq!(proposal["owner"], "bob");
    // A filter narrows the deals counted.
    let only_ann = k.json(&["report", "pipeline", "owner:ann"]);
    assert_eq!(rows(&only_ann)[2]["count"], 0);
    let table = k.ok(&["report", "pipeline"]);
    assert!(table.contains("WEIGHTED_AMOUNT"), "{table}");
}

#[test]
fn forecast_by_month_and_quarter() {
    let k = crm();
    let f = k.json(&["report", "forecast"]);
    let got: Vec<(String, i64, f64, f64, i64, f64)> = rows(&f)
        .iter()
        .map(|p| {
            (
                p["period"].as_str().unwrap().into(),
                p["open_deals"].as_i64().unwrap(),
                p["best_case"].as_f64().unwrap(),
                p["weighted"].as_f64().unwrap(),
                p["won_deals"].as_i64().unwrap(),
                p["won_amount"].as_f64().unwrap(),
            )
        })
        .collect();
    // Won: D1 in October; D3 and D6 (300 + 50) in November. Open: D4 and D5 close in December
    // (200 + 100; weighted 100 + 10).
    assert_eq!(
        got,
        vec![
            ("2026-10".into(), 0, 0.0, 0.0, 1, 1000.0),
            ("2026-11".into(), 0, 0.0, 0.0, 2, 350.0),
            ("2026-12".into(), 2, 300.0, 110.0, 0, 0.0),
        ]
    );
    let q = k.json(&["report", "forecast", "--by", "quarter"]);
    assert_eq!(rows(&q)[0]["period"], "2026-Q4");
    assert_eq!(rows(&q)[0]["won_amount"], 1350.0);
    let err = k.fails(&["report", "forecast", "--by", "fortnight"], 2);
    assert!(err.contains("not a period"), "{err}");
}

#[test]
fn funnel_from_the_stage_history() {
    let k = crm();
    let f = k.json(&["report", "funnel"]);
    let stages: BTreeMap<String, Value> = rows(&f["stages"])
        .into_iter()
        .map(|s| (s["stage"].as_str().unwrap().to_string(), s))
        .collect();
    // Every deal started in qualification; D1 and D4 entered proposal; three were won, one lost.
    assert_eq!(stages["qualification"]["entered"], 6);
    assert_eq!(stages["needs analysis"]["entered"], 0);
    assert_eq!(stages["proposal"]["entered"], 2);
    assert_eq!(stages["won"]["entered"], 3);
    assert_eq!(stages["lost"]["entered"], 1);
    // Conversion: of the 6 that entered qualification, 4 went on to a later stage (D1, D4 to
    // proposal, D3, D6 won; D2 was lost, D5 is still there); of the 2 in proposal, D1 won.
    assert_eq!(stages["qualification"]["conversion"], json!(0.6667));
    assert_eq!(stages["needs analysis"]["conversion"], Value::Null);
    assert_eq!(stages["proposal"]["conversion"], json!(0.5));
    // Days in qualification: D1 9, D2 40, D3 35, D4 10, D6 9 (D5 is still there): 103 / 5.
    assert_eq!(stages["qualification"]["avg_days"], 20.6);
    // D1 stayed in proposal from 09-10 to 10-01.
    assert_eq!(stages["proposal"]["avg_days"], 21.0);
    // Won 3, lost 1; cycles 30, 35 and 9 days.
    assert_eq!(
        (f["won"].clone(), f["lost"].clone(), f["win_rate"].clone()),
        (json!(3), json!(1), json!(0.75))
    );
    assert_eq!(f["avg_cycle_days"], 24.7);
    // In November only D3 and D6 closed (both won), and D5 and D6 entered qualification.
    let nov = k.json(&[
        "report",
        "funnel",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
    ]);
    assert_eq!(
        (
            nov["won"].clone(),
            nov["lost"].clone(),
            nov["win_rate"].clone()
        ),
        (json!(2), json!(0), json!(1.0))
    );
    assert_eq!(rows(&nov["stages"])[0]["entered"], 2);
}

#[test]
fn winloss_by_owner_and_any_field() {
    let k = crm();
    let w = k.json(&["report", "winloss", "--by", "owner"]);
    // ann won D1 (1000) and lost D2; bob won D3 and D6 (350).
    assert_eq!(
        w,
        json!([
            {"owner": "ann", "currency": "USD", "won": 1, "lost": 1, "win_rate": 0.5, "won_amount": 1000.0, "lost_amount": 500.0},
            {"owner": "bob", "currency": "USD", "won": 2, "lost": 0, "win_rate": 1.0, "won_amount": 350.0, "lost_amount": 0.0}
        ])
    );
    // Deals without a source are their own group.
    let src = k.json(&["report", "winloss", "--by", "source"]);
    assert!(rows(&src).iter().any(|g| g["source"] == "(none)"), "{src}");
    let r = k.json(&["report", "winloss", "--by", "reason"]);
    assert!(
        rows(&r)
            .iter()
            .any(|g| g["reason"] == "price" && g["lost"] == 1),
        "{r}"
    );
    let a = k.json(&["report", "winloss", "--by", "account"]);
    assert_eq!(rows(&a)[0]["account"], "Big");
    // Closed in November: bob's two wins.
    let nov = k.json(&["report", "winloss", "--from", "2026-11-01"]);
    assert_eq!(rows(&nov).len(), 1);
    assert_eq!(
        (rows(&nov)[0]["owner"].clone(), rows(&nov)[0]["won"].clone()),
        (json!("bob"), json!(2))
    );
    let csv = k.ok(&["report", "winloss", "--csv"]);
    assert_eq!(
        csv.lines().next(),
        // The sums' currency beside the group.
        Some("owner,currency,won,lost,win_rate,won_amount,lost_amount")
    );
    let err = k.fails(&["report", "winloss", "--by", "colour"], 2);
    assert!(err.contains("--by: deals have no field 'colour'"), "{err}");
    // Nothing closed in the period: exit 1.
    k.fails(&["report", "winloss", "--from", "2027-01-01"], 1);
}

#[test]
fn activity_per_owner_and_coverage_per_tier() {
    let k = crm();
    let a = k.json(&["report", "activity", "--by", "month"]);
    let got: Vec<(String, String, i64, i64, i64)> = rows(&a["activity"])
        .iter()
        .map(|r| {
            (
                r["owner"].as_str().unwrap().into(),
                r["period"].as_str().unwrap().into(),
                r["calls"].as_i64().unwrap(),
                r["visits"].as_i64().unwrap(),
                r["total"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("bob".into(), "2026-07".into(), 0, 1, 1),
            ("ann".into(), "2026-11".into(), 1, 1, 2),
            ("bob".into(), "2026-11".into(), 0, 0, 1),
        ]
    );
    // In November the A-tier account was visited, the B-tier one and the two C-tier ones not.
    let nov = k.json(&[
        "report",
        "activity",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
    ]);
    let cov: Vec<(String, i64, i64, Value)> = rows(&nov["coverage"])
        .iter()
        .map(|r| {
            (
                r["tier"].as_str().unwrap().into(),
                r["accounts"].as_i64().unwrap(),
                r["visited"].as_i64().unwrap(),
                r["coverage"].clone(),
            )
        })
        .collect();
    assert_eq!(
        cov,
        vec![
            ("A".into(), 1, 1, json!(1.0)),
            ("B".into(), 1, 0, json!(0.0)),
            ("C".into(), 2, 0, json!(0.0)),
        ]
    );
}

#[test]
fn customers_by_revenue_and_profit_with_abc_and_rfm() {
    let k = crm();
    let c = k.json(&["report", "customers"]);
    let by_name: BTreeMap<String, Value> = rows(&c)
        .into_iter()
        .map(|r| (r["name"].as_str().unwrap().to_string(), r))
        .collect();
    // Revenue: Big 1000, Mid 300, Small 50 of 1350. Big is A; Mid starts at 74 % so is A too;
    // Small starts at 96 %: C; Idle has none: C.
    let abc: Vec<(&str, &str)> = ["Big", "Mid", "Small", "Idle"]
        .iter()
        .map(|n| (*n, by_name[*n]["abc"].as_str().unwrap()))
        .collect();
    assert_eq!(
        abc,
        vec![("Big", "A"), ("Mid", "A"), ("Small", "C"), ("Idle", "C")]
    );
    assert_eq!(by_name["Big"]["won_amount"], 1000.0);
    assert_eq!(by_name["Big"]["profit"], 600.0);
    assert_eq!(by_name["Big"]["deals"], 2);
    assert_eq!(by_name["Mid"]["deals"], 2);
    assert_eq!(rows(&c)[0]["account_id"], 1, "best first");
    // RFM among buyers, by rank (worst 1, best 5, ties in the middle). Days since the last
    // win: Big 52, Mid 17, Small 12; one win each (all tied: 3); revenue 1000, 300, 50.
    let rfm: Vec<(i64, i64, i64)> = ["Big", "Mid", "Small", "Idle"]
        .iter()
        .map(|n| {
            (
                by_name[*n]["recency"].as_i64().unwrap(),
                by_name[*n]["frequency"].as_i64().unwrap(),
                by_name[*n]["monetary"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(rfm, vec![(1, 3, 5), (3, 3, 3), (5, 3, 1), (1, 1, 1)]);
    // Dormant: no activity in 90 days (Mid's last was in July; Small and Idle none).
    let dormant: Vec<bool> = ["Big", "Mid", "Small", "Idle"]
        .iter()
        .map(|n| by_name[*n]["dormant"].as_bool().unwrap())
        .collect();
    assert_eq!(dormant, vec![false, true, true, true]);
    // By profit: Big 600, Mid 300, Small 50 of 950: Small starts at 94.7 %: B.
    let p = k.json(&["report", "customers", "--by", "profit"]);
    let small = rows(&p).into_iter().find(|r| r["name"] == "Small").unwrap();
    assert_eq!(small["abc"], "B");
    let err = k.fails(&["report", "customers", "--by", "owner"], 2);
    assert!(err.contains("revenue or profit"), "{err}");
}

#[test]
fn leads_by_source_with_conversion() {
    let k = crm();
    let l = k.json(&["report", "leads"]);
    let got: Vec<(String, i64, i64, Value)> = rows(&l)
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap().into(),
                r["leads"].as_i64().unwrap(),
                r["converted"].as_i64().unwrap(),
                r["conversion_rate"].clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("web".into(), 2, 1, json!(0.5)),
            ("(none)".into(), 1, 0, json!(0.0)),
            ("referral".into(), 1, 0, json!(0.0)),
        ]
    );
    let o = k.json(&["report", "leads", "--by", "owner"]);
    assert_eq!(rows(&o)[0]["leads"], 4);
    let err = k.fails(&["report", "leads", "--from", "someday"], 2);
    assert!(err.contains("--from"), "{err}");
    let err = k.fails(
        &[
            "report",
            "leads",
            "--from",
            "2026-12-01",
            "--to",
            "2026-11-01",
        ],
        2,
    );
    assert!(err.contains("is after"), "{err}");
}

#[test]
fn the_maven_dataset_win_rates_and_won_amounts_match_the_csv() {
    let dir = format!(
        "{}/../shared/datasets/maven-crm-sales-opportunities",
        env!("CARGO_MANIFEST_DIR")
    );
    let dir = if std::path::Path::new(&dir).exists() {
        dir
    } else {
        "/work/shared/datasets/maven-crm-sales-opportunities".to_string()
    };
    if !std::path::Path::new(&dir).exists() {
        eprintln!("skipped: the Maven dataset is not at {dir}");
        return;
    }
    // The figures, straight from the CSV.
    let mut per_agent: BTreeMap<String, (i64, i64, f64)> = BTreeMap::new();
    let mut per_product: BTreeMap<String, (i64, i64, f64)> = BTreeMap::new();
    let mut r = csv::Reader::from_path(format!("{dir}/sales_pipeline.csv")).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        let (agent, product, stage, value) = (&rec[1], &rec[2], &rec[4], &rec[7]);
        let product = product
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-");
        for (map, key) in [
            (&mut per_agent, agent.to_string()),
            (&mut per_product, product),
        ] {
            let e = map.entry(key).or_default();
            match stage {
                "Won" => {
                    e.0 += 1;
                    e.2 += value.parse::<f64>().unwrap_or(0.0);
                }
                "Lost" => e.1 += 1,
                _ => {}
            }
        }
    }
    let k = Kith::new();
    k.ok(&[
        "import",
        "csv",
        &format!("{dir}/accounts.csv"),
        "--entity",
        "account",
        "--create-missing",
        "--key",
        "name",
    ]);
    k.ok(&[
        "pipeline",
        "add",
        "maven",
        "--stage",
        "Prospecting:10",
        "--stage",
        "Engaging:50",
        "--stage",
        "Won",
        "--stage",
        "Lost",
        "--default",
    ]);
    k.ok(&[
        "import",
        "csv",
        &format!("{dir}/sales_pipeline.csv"),
        "--entity",
        "deal",
        "--map",
        "opportunity_id=title",
        "--map",
        "product=tags",
        "--map",
        "engage_date=-",
    ]);
    let check = |by: &str, want: &BTreeMap<String, (i64, i64, f64)>| {
        let got = k.json(&["report", "winloss", "--by", by]);
        assert_eq!(
            arr(&got).len(),
            want.iter().filter(|(_, v)| v.0 + v.1 > 0).count(),
            "{by}: groups"
        );
        for g in arr(&got) {
            let key = g[by].as_str().unwrap().to_string();
            let (won, lost, amount) = want[&key];
            assert_eq!(
                (g["won"].as_i64().unwrap(), g["lost"].as_i64().unwrap()),
                (won, lost),
                "{by} {key}"
            );
            let rate = won as f64 / (won + lost) as f64;
            assert!(
                (g["win_rate"].as_f64().unwrap() - rate).abs() < 0.0001,
                "{by} {key}: win rate"
            );
            assert!(
                (g["won_amount"].as_f64().unwrap() - amount).abs() < 0.01,
                "{by} {key}: won amount"
            );
        }
    };
    check("owner", &per_agent);
    check("tags", &per_product);
}

#[test]
fn a_deal_moved_back_has_not_advanced() {
    let k = Kith::new();
    let at = |when: &str, args: &[&str]| {
        k.cmd()
            .env("KITH_NOW", format!("{when}T10:00"))
            .args(args)
            .assert()
            .success();
    };
    at("2026-11-01", &["deal", "add", "Back"]);
    at("2026-11-02", &["deal", "move", "Back", "proposal"]);
    at("2026-11-03", &["deal", "move", "Back", "qualification"]);
    // Entered qualification twice; the later entry has not (yet) gone anywhere.
    let f = k.json(&["report", "funnel", "--from", "2026-11-03"]);
    let q = &arr(&f["stages"])[0];
    assert_eq!(
        (
            q["entered"].clone(),
            q["advanced"].clone(),
            q["conversion"].clone()
        ),
        (json!(1), json!(0), json!(0.0))
    );
    assert!(
        arr(&f["stages"])[4].get("advanced").is_none(),
        "no advanced on the won stage"
    );
    let table = k.ok(&["report", "funnel", "--from", "2026-11-03"]);
    assert!(
        !table.contains("avg cycle days"),
        "no total without a value: {table}"
    );
}
