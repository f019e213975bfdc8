//! Exact money: amounts are kept, compared and summed exactly, and sums are per currency.

use serde_json::json;

use crate::{arr, col, Kith};

/// Five open deals in proposal (50 %) unless said: three in USD, two in CNY.
fn two_currencies() -> Kith {
    let k = Kith::new();
    let deal = |title: &str, amount: &str, currency: &str, extra: &[&str]| {
        let mut a = vec![
            "deal",
            "add",
            title,
            "--amount",
            amount,
            "--currency",
            currency,
            "--stage",
            "proposal",
        ];
        a.extend_from_slice(extra);
        k.id(&a)
    };
    deal("D1", "1,234.50", "USD", &[]);
    deal("D2", "0.1", "USD", &[]);
    deal("D3", "0.2", "usd", &[]);
    deal("D4", "80,000", "CNY", &["--probability", "25"]);
    deal("D5", "0.07", "CNY", &[]);
    k
}

#[test]
fn amounts_are_kept_and_compared_exactly() {
    let k = two_currencies();
    // Kept as typed and written as numbers, without float artefacts.
    assert_eq!(
        col(&k.json(&["deal", "list", "--sort", "id"]), "amount"),
        vec![
            json!(1234.5),
            json!(0.1),
            json!(0.2),
            json!(80000.0),
            json!(0.07)
        ]
    );
    // 0.1 + 0.2 is 0.3: D2 and D3 together are exactly 0.3 …
    let small = k.json(&["report", "pipeline"]);
    let usd = arr(&small)
        .into_iter()
        .find(|r| r["stage"] == "proposal" && r["currency"] == "USD")
        .unwrap();
    // … so the USD sum is 1234.5 + 0.1 + 0.2 = 1234.8 exactly.
    assert_eq!(usd["amount"], json!(1234.8));
    // Filters compare exactly: 0.1 matches 0.1, and 0.3 matches nothing.
    assert_eq!(
        col(&k.json(&["deal", "list", "amount:0.1"]), "title"),
        vec![json!("D2")]
    );
    k.fails(&["deal", "list", "amount:0.3"], 1);
    assert_eq!(
        col(
            &k.json(&["deal", "list", "amount>0.1", "amount<1234.5"]),
            "title"
        ),
        vec![json!("D3")]
    );
    // Sorted by amount, whatever the currency: 0.07, 0.1, 0.2, 1234.5, 80000.
    assert_eq!(
        col(&k.json(&["deal", "list", "--sort", "amount"]), "title"),
        vec![
            json!("D5"),
            json!("D2"),
            json!("D3"),
            json!("D1"),
            json!("D4")
        ]
    );
    // Text shows the amount as entered.
    let show = k.ok(&["deal", "show", "2"]);
    assert!(show.contains("0.1"), "{show}");
    assert!(!show.contains("0.1000000"), "{show}");
}

#[test]
fn sums_are_per_currency_on_the_board_and_the_pipeline_report() {
    let k = two_currencies();
    // By hand: USD 1234.5 + 0.1 + 0.2 = 1234.8, weighted at 50 %: 617.25 + 0.05 + 0.1 =
    // 617.4. CNY 80000 + 0.07 = 80000.07, weighted 80000 × 25 % + 0.07 × 50 % = 20000.035.
    let board = k.json(&["pipeline", "show", "sales"]);
    let proposal = arr(&board["stages"])
        .into_iter()
        .find(|s| s["name"] == "proposal")
        .unwrap();
    assert_eq!(proposal["count"], 5);
    assert_eq!(proposal["amount"], json!({"CNY": 80000.07, "USD": 1234.8}));
    assert_eq!(
        proposal["weighted_amount"],
        json!({"CNY": 20000.035, "USD": 617.4})
    );
    let text = k.ok(&["pipeline", "list"]);
    let line = text.lines().find(|l| l.contains("proposal")).unwrap();
    assert!(
        line.contains("CNY 80,000.07 · USD 1,234.8") && line.contains("CNY 20,000.035 · USD 617.4"),
        "{text}"
    );
    // Nothing adds CNY to USD: no 81,234.87 anywhere.
    assert!(
        !text.contains("81,234.87") && !text.contains("81234.87"),
        "{text}"
    );

    let report = k.json(&["report", "pipeline"]);
    let proposal: Vec<_> = arr(&report)
        .into_iter()
        .filter(|r| r["stage"] == "proposal")
        .collect();
    assert_eq!(
        proposal,
        vec![
            // Report figures are written to the cent, as before: 20000.035 → 20000.04.
            json!({"stage": "proposal", "currency": "CNY", "count": 2, "amount": 80000.07,
                   "weighted_amount": 20000.04, "probability": 50}),
            json!({"stage": "proposal", "currency": "USD", "count": 3, "amount": 1234.8,
                   "weighted_amount": 617.4, "probability": 50}),
        ]
    );
}

#[test]
fn won_amounts_are_per_currency_in_winloss_forecast_and_customers() {
    let k = two_currencies();
    let acme = k.id(&["account", "add", "Acme", "--type", "customer"]);
    for d in ["1", "2", "4", "5"] {
        k.ok(&["deal", "edit", d, "--account", &acme.to_string()]);
        k.ok(&["deal", "won", d]);
    }
    // Won: USD 1234.5 + 0.1 = 1234.6; CNY 80000 + 0.07 = 80000.07.
    let w = k.json(&["report", "winloss"]);
    let got: Vec<_> = arr(&w)
        .iter()
        .map(|r| {
            (
                r["currency"].clone(),
                r["won"].clone(),
                r["won_amount"].clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (json!("CNY"), json!(2), json!(80000.07)),
            (json!("USD"), json!(2), json!(1234.6)),
        ]
    );
    let f = k.json(&["report", "forecast"]);
    let won: Vec<_> = arr(&f)
        .iter()
        .filter(|r| r["won_deals"] != 0)
        .map(|r| (r["currency"].clone(), r["won_amount"].clone()))
        .collect();
    assert_eq!(
        won,
        vec![
            (json!("CNY"), json!(80000.07)),
            (json!("USD"), json!(1234.6))
        ]
    );
    // The customer has a row per currency it paid in, each ranked among its currency.
    let c = k.json(&["report", "customers"]);
    let acme_rows: Vec<_> = arr(&c)
        .iter()
        .filter(|r| r["name"] == "Acme")
        .map(|r| {
            (
                r["currency"].clone(),
                r["won_amount"].clone(),
                r["abc"].clone(),
            )
        })
        .collect();
    assert_eq!(
        acme_rows,
        vec![
            (json!("CNY"), json!(80000.07), json!("A")),
            (json!("USD"), json!(1234.6), json!("A")),
        ]
    );
}

#[test]
fn a_too_large_or_negative_amount_is_refused_and_nothing_is_written() {
    let k = Kith::new();
    let before = k.snapshot();
    let e = k.fails(&["deal", "add", "X", "--amount", "100000000000"], 2);
    assert!(e.contains("too large"), "{e}");
    let e = k.fails(&["deal", "add", "X", "--amount", "-1"], 2);
    assert!(e.contains("negative"), "{e}");
    assert_eq!(k.snapshot(), before);
}

/// An amount finer than a cent is refused, naming the nearest cent, not rounded where
/// nobody sees it; trailing zeros and 万 that come out whole cents are taken.
#[test]
fn an_amount_finer_than_a_cent_is_refused_and_nothing_is_written() {
    let k = Kith::new();
    let before = k.snapshot();
    let e = k.fails(&["deal", "add", "X", "--amount", "12.345"], 2);
    assert_eq!(
        e.trim(),
        "kith: amount: 12.345 goes below a cent: amounts are kept to the cent (the nearest is 12.35)"
    );
    let e = k.fails(&["deal", "add", "X", "--amount", "0.001"], 2);
    assert!(e.contains("the nearest is 0)"), "{e}");
    assert_eq!(k.snapshot(), before);
    let id = k.id(&["deal", "add", "Y", "--amount", "12.340"]);
    assert_eq!(k.json(&["deal", "show", &id.to_string()])["amount"], 12.34);
    // 1.2345万 is 12,345: whole.
    let id = k.id(&["deal", "add", "Z", "--amount", "1.2345万"]);
    assert_eq!(
        k.json(&["deal", "show", &id.to_string()])["amount"],
        12345.0
    );
    // An edit too.
    let e = k.fails(&["deal", "edit", "Y", "--cost", "1.005"], 2);
    assert!(e.contains("cost: 1.005 goes below a cent"), "{e}");
}
