//! Orders, contracts, payment plans, payments received and invoices (docs/commerce.md):
//! an order from an accepted quote marks its deal won when confirmed; installments add up
//! to the contract exactly; payments are applied oldest first; `overdue` and `expired` are
//! computed when read (the clock is pinned at 2026-11-22); amounts are worked by hand here.

use super::*;
use serde_json::json;

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

/// An account, a product and a contract of 100,000 CNY over 2026.
fn contract() -> Kith {
    let k = Kith::new();
    k.ok(&["account", "add", "华南医药"]);
    k.ok(&[
        "contract",
        "add",
        "--account",
        "华南医药",
        "--number",
        "HT-2026-001",
        "--title",
        "年度供货合同",
        "--amount",
        "100000",
        "--currency",
        "CNY",
        "--start",
        "2026-01-01",
        "--end",
        "2026-12-31",
        "--signed",
        "2026-01-01",
    ]);
    k
}

fn plan(k: &Kith) -> Vec<Value> {
    arr(&k.json(&["plan", "list", "contract:HT-2026-001", "--sort", "due"]))
}

#[test]
fn an_accepted_quote_becomes_an_order_and_confirming_it_wins_the_deal() {
    let k = Kith::new();
    k.ok(&["account", "add", "华南医药"]);
    k.ok(&[
        "product",
        "add",
        "血压计",
        "--sku",
        "BP-1",
        "--price",
        "1200",
        "--currency",
        "CNY",
        "--tax",
        "13%",
        "--cost",
        "800",
    ]);
    let d = k
        .id(&[
            "deal",
            "add",
            "华南大单",
            "--account",
            "华南医药",
            "--currency",
            "CNY",
        ])
        .to_string();
    k.ok(&[
        "deal",
        "line",
        "add",
        &d,
        "BP-1",
        "--qty",
        "10",
        "--discount",
        "5%",
    ]);
    k.ok(&["quote", "add", "--deal", &d]);
    k.ok(&["quote", "send", "Q-2026-0001"]);
    let order = k
        .id(&["quote", "accept", "Q-2026-0001", "--order"])
        .to_string();
    let o = k.json(&["order", "show", &order]);
    assert_eq!(o["number"], "SO-2026-0001");
    assert_eq!(o["status"], "draft");
    assert_eq!(o["quote"], "Q-2026-0001");
    // 10 × 1,200 = 12,000 less 5 % = 11,400; tax 13 % = 1,482; total 12,882. Cost 10 × 800.
    assert_eq!(num(&o["subtotal"]), 11400.0);
    assert_eq!(num(&o["tax"]), 1482.0);
    assert_eq!(num(&o["total"]), 12882.0);
    assert_eq!(num(&o["cost"]), 8000.0);
    assert_eq!(arr(&o["lines"]).len(), 1);
    assert_eq!(
        k.json(&["quote", "show", "Q-2026-0001"])["status"],
        "accepted"
    );
    // A draft's lines change; the deal is still open.
    k.ok(&["order", "line", "edit", &order, "1", "--qty", "12"]);
    assert_eq!(
        num(&k.json(&["order", "show", &order])["subtotal"]),
        13680.0
    );
    assert_eq!(k.json(&["deal", "show", &d])["status"], "open");
    k.ok(&["order", "confirm", &order]);
    let deal = k.json(&["deal", "show", &d]);
    assert_eq!(deal["status"], "won");
    assert_eq!(deal["stage"], "won");
    // Confirmed: its lines are what was ordered.
    let e = k.fails(&["order", "line", "add", &order, "BP-1", "--qty", "1"], 2);
    assert!(e.contains("SO-2026-0001") && e.contains("confirmed"), "{e}");
    let e = k.fails(&["order", "close", &order], 2);
    assert!(e.contains("delivered"), "{e}");
    k.ok(&["order", "deliver", &order]);
    k.ok(&["order", "close", &order]);
    assert_eq!(k.json(&["order", "show", &order])["status"], "closed");
    let e = k.fails(&["order", "cancel", &order, "--reason", "x"], 2);
    assert!(e.contains("closed"), "{e}");
}

#[test]
fn an_order_by_hand_is_refused_without_an_account_and_without_lines_to_confirm() {
    let k = Kith::new();
    k.ok(&["account", "add", "华南医药"]);
    let e = k.fails(&["order", "add"], 2);
    assert!(e.contains("--account"), "{e}");
    let o = k
        .id(&["order", "add", "--account", "华南医药", "--currency", "CNY"])
        .to_string();
    let e = k.fails(&["order", "confirm", &o], 2);
    assert!(e.contains("no lines"), "{e}");
    k.ok(&["order", "cancel", &o, "--reason", "客户改期"]);
    let got = k.json(&["order", "show", &o]);
    assert_eq!(got["status"], "cancelled");
    assert_eq!(got["reason"], "客户改期");
    assert_eq!(got["ordered_on"], "2026-11-22");
    let dated = k
        .id(&[
            "order",
            "add",
            "--account",
            "华南医药",
            "--date",
            "2026-11-01",
        ])
        .to_string();
    assert_eq!(
        k.json(&["order", "show", &dated])["ordered_on"],
        "2026-11-01"
    );
}

#[test]
fn installments_add_up_to_the_contract_and_fall_due_month_by_month() {
    let k = contract();
    let out = k.ok(&[
        "contract",
        "plan",
        "HT-2026-001",
        "--installments",
        "3",
        "--every",
        "1m",
        "--from",
        "2026-01-31",
    ]);
    assert_eq!(out.lines().count(), 3, "{out}");
    let p = plan(&k);
    // 100,000 / 3: 33,333.33 twice and the cent left over on the last.
    assert_eq!(
        p.iter().map(|i| num(&i["amount"])).collect::<Vec<_>>(),
        vec![33333.33, 33333.33, 33333.34]
    );
    // From the 31st a month on: the last day of a shorter month, then the 31st again.
    assert_eq!(
        col(&k.json(&["plan", "list", "contract:HT-2026-001"]), "due"),
        vec![
            json!("2026-01-31"),
            json!("2026-02-28"),
            json!("2026-03-31")
        ]
    );
    assert_eq!(p[0]["name"], "HT-2026-001/1");
    let c = k.json(&["contract", "show", "HT-2026-001"]);
    assert_eq!(num(&c["planned"]), 100000.0);
    // Planned twice is refused; --replace takes the unpaid plan off first.
    let e = k.fails(
        &[
            "contract",
            "plan",
            "HT-2026-001",
            "--installments",
            "2",
            "--from",
            "2026-06-30",
        ],
        2,
    );
    assert!(e.contains("--replace"), "{e}");
    k.ok(&[
        "contract",
        "plan",
        "HT-2026-001",
        "--installments",
        "2",
        "--every",
        "6m",
        "--from",
        "2026-06-30",
        "--replace",
    ]);
    assert_eq!(
        plan(&k)
            .iter()
            .map(|i| num(&i["amount"]))
            .collect::<Vec<_>>(),
        vec![50000.0, 50000.0]
    );
}

#[test]
fn a_plan_that_does_not_add_up_warns_and_strict_refuses_it() {
    let k = contract();
    let out = k.run(&[
        "plan",
        "add",
        "HT-2026-001",
        "--due",
        "2026-06-30",
        "--amount",
        "60000",
    ]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("60,000") && err.contains("100,000"), "{err}");
    let e = k.fails(
        &[
            "plan",
            "add",
            "HT-2026-001",
            "--due",
            "2026-12-31",
            "--amount",
            "30000",
            "--strict",
        ],
        2,
    );
    assert!(e.contains("90,000"), "{e}");
    assert_eq!(plan(&k).len(), 1, "nothing written");
    k.ok(&[
        "plan",
        "add",
        "HT-2026-001",
        "--due",
        "2026-12-31",
        "--amount",
        "40000",
        "--strict",
    ]);
    assert_eq!(plan(&k).len(), 2);
}

#[test]
fn payments_are_applied_oldest_first_and_overdue_is_computed_when_read() {
    let k = contract();
    // Due 2026-03-31, 2026-09-30 (both past on 2026-11-22) and 2026-12-31.
    for (due, amount) in [
        ("2026-03-31", "30000"),
        ("2026-09-30", "30000"),
        ("2026-12-31", "40000"),
    ] {
        k.ok(&[
            "plan",
            "add",
            "HT-2026-001",
            "--due",
            due,
            "--amount",
            amount,
        ]);
    }
    let statuses = |k: &Kith| col(&k.json(&["plan", "list", "contract:HT-2026-001"]), "status");
    assert_eq!(
        statuses(&k),
        vec![json!("overdue"), json!("overdue"), json!("pending")]
    );
    // 45,000 pays the first in full and 15,000 of the second, which stays overdue.
    k.ok(&[
        "payment",
        "add",
        "--contract",
        "HT-2026-001",
        "--amount",
        "45000",
        "--on",
        "2026-10-08",
        "--method",
        "bank",
        "--ref",
        "流水 778899",
    ]);
    let p = plan(&k);
    assert_eq!(
        p.iter().map(|i| num(&i["paid"])).collect::<Vec<_>>(),
        vec![30000.0, 15000.0, 0.0]
    );
    assert_eq!(
        statuses(&k),
        vec![json!("paid"), json!("overdue"), json!("pending")]
    );
    assert_eq!(arr(&k.json(&["plan", "list", "status:overdue"])).len(), 1);
    assert_eq!(
        arr(&k.json(&["plan", "list", "status:partly-paid"])).len(),
        0
    );
    // Named: the third first, then the second's 15,000 left.
    k.ok(&[
        "payment",
        "add",
        "--contract",
        "HT-2026-001",
        "--amount",
        "50000",
        "--plan",
        "3",
    ]);
    assert_eq!(
        plan(&k).iter().map(|i| num(&i["paid"])).collect::<Vec<_>>(),
        vec![30000.0, 25000.0, 40000.0]
    );
    // 5,000 is open: 6,000 is refused, and nothing is written.
    let before = k.json(&["payment", "list"]);
    let e = k.fails(
        &[
            "payment",
            "add",
            "--contract",
            "HT-2026-001",
            "--amount",
            "6000",
        ],
        2,
    );
    assert!(
        e.contains("6,000") && e.contains("5,000") && e.contains("--overpay"),
        "{e}"
    );
    assert_eq!(k.json(&["payment", "list"]), before);
    let pay = k.id(&[
        "payment",
        "add",
        "--contract",
        "HT-2026-001",
        "--amount",
        "6000",
        "--overpay",
    ]);
    let got = k.json(&["payment", "show", &pay.to_string()]);
    assert_eq!(num(&got["applied"]), 5000.0);
    assert_eq!(num(&got["credit"]), 1000.0);
    assert_eq!(
        statuses(&k),
        vec![json!("paid"), json!("paid"), json!("paid")]
    );
    let c = k.json(&["contract", "show", "HT-2026-001"]);
    assert_eq!(num(&c["received"]), 101000.0);
    // Reversed: what the first payment paid is owed again; it stays, marked.
    k.ok(&["payment", "reverse", "PAY-2026-0001", "--reason", "退票"]);
    assert_eq!(
        plan(&k).iter().map(|i| num(&i["paid"])).collect::<Vec<_>>(),
        vec![0.0, 15000.0, 40000.0]
    );
    assert_eq!(
        statuses(&k),
        vec![json!("overdue"), json!("overdue"), json!("paid")]
    );
    let reversed = k.json(&["payment", "show", "PAY-2026-0001"]);
    assert_eq!(reversed["status"], "reversed");
    assert_eq!(reversed["reason"], "退票");
    assert_eq!(
        num(&k.json(&["contract", "show", "HT-2026-001"])["received"]),
        56000.0
    );
    let e = k.fails(&["payment", "reverse", "PAY-2026-0001"], 2);
    assert!(e.contains("reversed"), "{e}");
    let e = k.fails(&["payment", "rm", "PAY-2026-0002"], 2);
    assert!(e.contains("reverse"), "{e}");
    let e = k.fails(&["payment", "edit", "PAY-2026-0002", "--amount", "1"], 2);
    assert!(e.contains("reverse"), "{e}");
    // A paid item keeps its payments.
    let e = k.fails(&["plan", "rm", "HT-2026-001/3"], 2);
    assert!(e.contains("HT-2026-001/3"), "{e}");
}

#[test]
fn bad_payments_are_refused_naming_the_value() {
    let k = contract();
    let e = k.fails(
        &[
            "payment",
            "add",
            "--contract",
            "HT-2026-001",
            "--amount",
            "-5",
        ],
        2,
    );
    assert!(e.contains("-5"), "{e}");
    let e = k.fails(
        &[
            "payment",
            "add",
            "--contract",
            "HT-2026-001",
            "--amount",
            "0",
        ],
        2,
    );
    assert!(e.contains("0"), "{e}");
    let e = k.fails(
        &[
            "payment",
            "add",
            "--contract",
            "HT-2026-001",
            "--amount",
            "10",
            "--currency",
            "USD",
        ],
        2,
    );
    assert!(e.contains("USD") && e.contains("CNY"), "{e}");
    // With a rate of the pair, one in another currency pays what it is worth on its day:
    // 1,000 USD at 7.1 is 7,100 CNY; before the rate's day it is refused, naming the day.
    k.ok(&["rate", "set", "USD", "CNY", "7.1", "--on", "2026-11-01"]);
    let e = k.fails(
        &[
            "payment",
            "add",
            "--contract",
            "HT-2026-001",
            "--amount",
            "1000",
            "--currency",
            "USD",
            "--on",
            "2026-10-31",
        ],
        2,
    );
    assert!(e.contains("2026-10-31") && e.contains("USD"), "{e}");
    let p = k
        .id(&[
            "payment",
            "add",
            "--contract",
            "HT-2026-001",
            "--amount",
            "1000",
            "--currency",
            "USD",
            "--on",
            "2026-11-02",
        ])
        .to_string();
    let got = k.json(&["payment", "show", &p]);
    assert_eq!(got["currency"], "USD");
    assert_eq!(num(&got["amount"]), 1000.0);
    assert_eq!(num(&got["applied"]), 7100.0);
    assert_eq!(
        num(&k.json(&["contract", "show", "HT-2026-001"])["received"]),
        7100.0
    );
    k.ok(&["payment", "reverse", &p]);
    let e = k.fails(
        &[
            "payment",
            "add",
            "--contract",
            "HT-2099-1",
            "--amount",
            "10",
        ],
        2,
    );
    assert!(e.contains("HT-2099-1"), "{e}");
    let e = k.fails(
        &[
            "payment",
            "add",
            "--contract",
            "HT-2026-001",
            "--amount",
            "10",
            "--plan",
            "4",
        ],
        1,
    );
    assert!(e.contains("4"), "{e}");
    assert_eq!(
        arr(&k.json(&["payment", "list", "status:received"])).len(),
        0
    );
}

#[test]
fn a_contract_expires_when_read_and_keeps_what_was_invoiced_beside_what_was_received() {
    let k = contract();
    k.ok(&[
        "contract",
        "add",
        "--account",
        "华南医药",
        "--number",
        "HT-2025-009",
        "--amount",
        "5000",
        "--currency",
        "CNY",
        "--start",
        "2025-11-01",
        "--end",
        "2026-10-31",
        "--signed",
        "2025-11-01",
    ]);
    k.ok(&[
        "contract",
        "add",
        "--account",
        "华南医药",
        "--amount",
        "800",
        "--currency",
        "CNY",
    ]);
    let numbers = |filter: &str| {
        col(
            &k.json(&["contract", "list", filter, "--sort", "number"]),
            "number",
        )
    };
    assert_eq!(numbers("status:expired"), vec![json!("HT-2025-009")]);
    assert_eq!(numbers("status:active"), vec![json!("HT-2026-001")]);
    // Numbered after the highest of the year, HT-2026-001 counting as 1.
    assert_eq!(numbers("status:draft"), vec![json!("HT-2026-0002")]);
    let e = k.fails(
        &[
            "contract",
            "edit",
            "HT-2026-001",
            "--field",
            "status=terminated",
        ],
        2,
    );
    assert!(e.contains("terminate"), "{e}");
    k.ok(&["contract", "sign", "HT-2026-0002", "--on", "2026-11-20"]);
    assert_eq!(
        k.json(&["contract", "show", "HT-2026-0002"])["signed"],
        "2026-11-20"
    );
    // Without an end, a signed contract stays active: it never expires.
    assert_eq!(
        numbers("status:active"),
        vec![json!("HT-2026-0002"), json!("HT-2026-001")]
    );
    k.ok(&[
        "contract",
        "terminate",
        "HT-2025-009",
        "--reason",
        "双方协商",
    ]);
    assert_eq!(numbers("status:terminated"), vec![json!("HT-2025-009")]);
    let e = k.fails(
        &[
            "contract",
            "add",
            "--account",
            "华南医药",
            "--amount",
            "1",
            "--start",
            "2026-05-01",
            "--end",
            "2026-04-30",
        ],
        2,
    );
    assert!(e.contains("2026-04-30") && e.contains("2026-05-01"), "{e}");
    // Invoiced 50,000 + 6,500 tax, one voided; received 20,000.
    k.ok(&[
        "invoice",
        "add",
        "04400261",
        "--contract",
        "HT-2026-001",
        "--amount",
        "50000",
        "--tax",
        "6500",
    ]);
    k.ok(&[
        "invoice",
        "add",
        "04400262",
        "--contract",
        "HT-2026-001",
        "--amount",
        "1000",
    ]);
    k.ok(&["invoice", "void", "04400262", "--reason", "开错抬头"]);
    let e = k.fails(
        &[
            "invoice",
            "add",
            "04400261",
            "--contract",
            "HT-2026-001",
            "--amount",
            "1",
        ],
        2,
    );
    assert!(e.contains("04400261"), "{e}");
    k.ok(&[
        "payment",
        "add",
        "--contract",
        "HT-2026-001",
        "--amount",
        "20000",
    ]);
    let c = k.json(&["contract", "show", "HT-2026-001"]);
    assert_eq!(num(&c["invoiced"]), 56500.0);
    assert_eq!(num(&c["received"]), 20000.0);
    assert_eq!(arr(&c["invoices"]).len(), 2);
    assert_eq!(arr(&c["payments"]).len(), 1);
    let shown = k.ok(&["contract", "show", "HT-2026-001"]);
    assert!(
        shown.contains("56,500") && shown.contains("20,000"),
        "{shown}"
    );
}

/// Two contracts with plans, some paid: on 2026-11-22 (the pinned today).
fn receivables() -> Kith {
    let k = contract();
    k.ok(&["account", "add", "Acme Ltd"]);
    k.ok(&[
        "contract",
        "add",
        "--account",
        "Acme Ltd",
        "--number",
        "HT-2026-002",
        "--amount",
        "9000",
        "--currency",
        "USD",
        "--signed",
        "2026-01-05",
    ]);
    // HT-2026-001 (CNY): due 2026-06-30 (145 days before today), 2026-09-30 (53),
    // 2026-11-01 (21), 2026-12-31 (not due).
    for (due, amount) in [
        ("2026-06-30", "10000"),
        ("2026-09-30", "20000"),
        ("2026-11-01", "30000"),
        ("2026-12-31", "40000"),
    ] {
        k.ok(&[
            "plan",
            "add",
            "HT-2026-001",
            "--due",
            due,
            "--amount",
            amount,
        ]);
    }
    // HT-2026-002 (USD): due 2026-08-24 (90 days) and 2026-08-23 (91 days).
    k.ok(&[
        "plan",
        "add",
        "HT-2026-002",
        "--due",
        "2026-08-24",
        "--amount",
        "4000",
    ]);
    k.ok(&[
        "plan",
        "add",
        "HT-2026-002",
        "--due",
        "2026-08-23",
        "--amount",
        "5000",
    ]);
    // 10,000 + 5,000 of the second on 2026-07-15; 2,500 more on 2026-11-20.
    k.ok(&[
        "payment",
        "add",
        "--contract",
        "HT-2026-001",
        "--amount",
        "15000",
        "--on",
        "2026-07-15",
    ]);
    k.ok(&[
        "payment",
        "add",
        "--contract",
        "HT-2026-001",
        "--amount",
        "2500",
        "--on",
        "2026-11-20",
    ]);
    k
}

/// A report's rows: the array itself, or its `groups` beside its totals.
fn groups(v: &Value) -> Vec<Value> {
    match v.as_array() {
        Some(a) => a.clone(),
        None => arr(&v["groups"]),
    }
}

fn row<'a>(rows: &'a [Value], key: &str, value: &str) -> &'a Value {
    rows.iter()
        .find(|r| r[key] == value)
        .unwrap_or_else(|| panic!("no row {key}={value} in {rows:?}"))
}

#[test]
fn receivables_are_aged_by_days_past_due_per_currency() {
    let k = receivables();
    let got = k.json(&["report", "receivables", "--by", "contract"]);
    assert_eq!(got["as_of"], "2026-11-22");
    let rows = groups(&got);
    let cny = row(&rows, "contract", "HT-2026-001");
    assert_eq!(cny["currency"], "CNY");
    // The first is paid; 20,000 − 7,500 paid of the second, 53 days late; 30,000, 21 days
    // late; 40,000 not due.
    assert_eq!(num(&cny["not_due"]), 40000.0);
    assert_eq!(num(&cny["days_1_30"]), 30000.0);
    assert_eq!(num(&cny["days_31_60"]), 12500.0);
    assert_eq!(num(&cny["days_61_90"]), 0.0);
    assert_eq!(num(&cny["over_90"]), 0.0);
    assert_eq!(num(&cny["open"]), 82500.0);
    assert_eq!(cny["items"], 3);
    assert_eq!(cny["overdue_items"], 2);
    let usd = row(&rows, "contract", "HT-2026-002");
    assert_eq!(usd["currency"], "USD");
    assert_eq!(num(&usd["days_61_90"]), 4000.0);
    assert_eq!(num(&usd["over_90"]), 5000.0);
    // Aged on 2026-11-01: the payment of 2026-11-20 had not come in (10,000 still owed of
    // the second, 32 days late), the third was due that day.
    let then = k.json(&[
        "report",
        "receivables",
        "--by",
        "contract",
        "--as-of",
        "2026-11-01",
    ]);
    let cny = row(&groups(&then), "contract", "HT-2026-001").clone();
    assert_eq!(num(&cny["days_31_60"]), 15000.0);
    assert_eq!(num(&cny["not_due"]), 70000.0);
    assert_eq!(num(&cny["open"]), 85000.0);
    // Per account: never CNY and USD in one sum.
    let acc = groups(&k.json(&["report", "receivables"]));
    assert_eq!(acc.len(), 2);
    assert_eq!(row(&acc, "account", "Acme Ltd")["currency"], "USD");
    // In one currency: the USD owed converted on the day it is aged on, at 7 CNY a dollar.
    k.ok(&["rate", "set", "USD", "CNY", "7", "--on", "2026-01-01"]);
    let one = groups(&k.json(&[
        "report",
        "receivables",
        "--by",
        "contract",
        "--currency",
        "CNY",
    ]));
    let usd = row(&one, "contract", "HT-2026-002");
    assert_eq!(usd["currency"], "CNY");
    assert_eq!(num(&usd["days_61_90"]), 28000.0);
    assert_eq!(num(&usd["over_90"]), 35000.0);
    assert_eq!(num(&usd["open"]), 63000.0);
    let e = k.fails(&["report", "receivables", "--by", "month"], 2);
    assert!(
        e.contains("month") && e.contains("account, owner, contract"),
        "{e}"
    );
}

#[test]
fn an_account_and_a_deal_show_what_they_are_owed_today_per_currency() {
    let k = receivables();
    // 华南医药's HT-2026-001: 12,500 + 30,000 + 40,000 open, the first two past due.
    let owed = arr(&k.json(&["account", "show", "华南医药"])["owed"]);
    assert_eq!(owed.len(), 1, "{owed:?}");
    assert_eq!(owed[0]["currency"], "CNY");
    assert_eq!(num(&owed[0]["open"]), 82500.0);
    assert_eq!(num(&owed[0]["overdue"]), 42500.0);
    assert_eq!(owed[0]["items"], 3);
    assert_eq!(owed[0]["overdue_items"], 2);
    // Acme's dollars, both items late, never in a sum with yuan.
    let owed = arr(&k.json(&["account", "show", "Acme Ltd"])["owed"]);
    assert_eq!(owed.len(), 1, "{owed:?}");
    assert_eq!(owed[0]["currency"], "USD");
    assert_eq!(num(&owed[0]["open"]), 9000.0);
    assert_eq!(num(&owed[0]["overdue"]), 9000.0);
    let table = k.ok(&["account", "show", "Acme Ltd"]);
    assert!(table.contains("Owed today"), "{table}");
    assert!(table.contains("9,000"), "{table}");
    // A deal's contract: 5,000 of 6,000 open, not yet due; a terminated one owes nothing.
    k.ok(&[
        "deal",
        "add",
        "Renewal",
        "--account",
        "Acme Ltd",
        "--amount",
        "6000",
    ]);
    k.ok(&[
        "contract",
        "add",
        "--account",
        "Acme Ltd",
        "--deal",
        "Renewal",
        "--number",
        "HT-2026-003",
        "--amount",
        "6000",
        "--currency",
        "EUR",
        "--signed",
        "2026-02-01",
    ]);
    k.ok(&[
        "plan",
        "add",
        "HT-2026-003",
        "--due",
        "2027-01-31",
        "--amount",
        "6000",
    ]);
    k.ok(&[
        "payment",
        "add",
        "--contract",
        "HT-2026-003",
        "--amount",
        "1000",
        "--on",
        "2026-11-21",
    ]);
    let owed = arr(&k.json(&["deal", "show", "Renewal"])["owed"]);
    assert_eq!(owed.len(), 1, "{owed:?}");
    assert_eq!(owed[0]["currency"], "EUR");
    assert_eq!(num(&owed[0]["open"]), 5000.0);
    assert_eq!(num(&owed[0]["overdue"]), 0.0);
    assert_eq!(owed[0]["overdue_items"], 0);
    let owed = arr(&k.json(&["account", "show", "Acme Ltd"])["owed"]);
    assert_eq!(
        owed.iter()
            .map(|o| o["currency"].clone())
            .collect::<Vec<_>>(),
        [json!("EUR"), json!("USD")]
    );
    k.ok(&["contract", "terminate", "HT-2026-003", "--reason", "moved"]);
    assert_eq!(
        arr(&k.json(&["deal", "show", "Renewal"])["owed"]),
        Vec::<Value>::new()
    );
}

#[test]
fn collections_compare_what_fell_due_with_what_was_paid() {
    let k = receivables();
    let period = [
        "report",
        "collections",
        "--from",
        "2026-06-01",
        "--to",
        "2026-09-30",
    ];
    let got = k.json(&[&period[..], &["--by", "month"]].concat());
    let rows = groups(&got);
    // June: 10,000 due, paid in full (by 2026-09-30). July: nothing due, 15,000 received.
    // August: USD 9,000 due, nothing paid. September: 20,000 due, 5,000 of it paid.
    let june = row(&rows, "month", "2026-06");
    assert_eq!(num(&june["planned"]), 10000.0);
    assert_eq!(num(&june["collected"]), 10000.0);
    assert_eq!(num(&june["collection_rate"]), 1.0);
    let july = row(&rows, "month", "2026-07");
    assert_eq!(num(&july["planned"]), 0.0);
    assert_eq!(num(&july["received"]), 15000.0);
    assert!(july["collection_rate"].is_null());
    let sept = row(&rows, "month", "2026-09");
    assert_eq!(num(&sept["collected"]), 5000.0);
    assert_eq!(num(&sept["outstanding"]), 15000.0);
    assert_eq!(num(&sept["collection_rate"]), 0.25);
    // Per owner, the CNY row: due 30,000 in the period, 15,000 of it paid: 50 %.
    let owner = groups(&k.json(&period));
    let cny = owner.iter().find(|r| r["currency"] == "CNY").unwrap();
    assert_eq!(cny["owner"], "tester");
    assert_eq!(num(&cny["planned"]), 30000.0);
    assert_eq!(num(&cny["collected"]), 15000.0);
    assert_eq!(num(&cny["collection_rate"]), 0.5);
    let usd = owner.iter().find(|r| r["currency"] == "USD").unwrap();
    assert_eq!(num(&usd["collection_rate"]), 0.0);
    // In yuan, each dollar item converted on its due day: 5,000 due 2026-08-23 at 7, 4,000
    // due 2026-08-24 at 7.5 (the rate from that day): 35,000 + 30,000 beside the 30,000
    // in yuan; 15,000 of the 95,000 collected, 15,000 received.
    k.ok(&["rate", "set", "USD", "CNY", "7", "--on", "2026-01-01"]);
    k.ok(&["rate", "set", "USD", "CNY", "7.5", "--on", "2026-08-24"]);
    let one = groups(&k.json(&[&period[..], &["--currency", "CNY"]].concat()));
    assert_eq!(one.len(), 1, "{one:?}");
    assert_eq!(one[0]["currency"], "CNY");
    assert_eq!(num(&one[0]["planned"]), 95000.0);
    assert_eq!(num(&one[0]["collected"]), 15000.0);
    assert_eq!(num(&one[0]["received"]), 15000.0);
    assert_eq!(num(&one[0]["collection_rate"]), 0.1579);
    let months = groups(&k.json(&[&period[..], &["--currency", "CNY", "--by", "month"]].concat()));
    assert_eq!(num(&row(&months, "month", "2026-08")["planned"]), 65000.0);
    // A dollar amount on a day with no rate is refused, naming the pair and the day.
    let e = k.fails(
        &[
            "report",
            "collections",
            "--from",
            "2026-06-01",
            "--to",
            "2026-09-30",
            "--currency",
            "EUR",
        ],
        2,
    );
    assert!(e.contains("USD") || e.contains("CNY"), "{e}");
    assert!(e.contains("EUR"), "{e}");
}

#[test]
fn the_orders_report_sums_quantity_revenue_cost_and_margin() {
    let k = Kith::new();
    k.ok(&["account", "add", "华南医药"]);
    for (name, sku, price, cost, cat) in [
        ("血压计", "BP-1", "1200", "800", "器械"),
        ("血糖仪", "BG-2", "300", "120", "器械"),
        ("安装服务", "SVC", "500", "100", "服务"),
    ] {
        k.ok(&[
            "product",
            "add",
            name,
            "--sku",
            sku,
            "--price",
            price,
            "--currency",
            "CNY",
            "--cost",
            cost,
            "--category",
            cat,
        ]);
    }
    let order = |lines: &[(&str, &str)], confirm: bool| {
        let o = k
            .id(&["order", "add", "--account", "华南医药", "--currency", "CNY"])
            .to_string();
        for (sku, qty) in lines {
            k.ok(&["order", "line", "add", &o, sku, "--qty", qty]);
        }
        if confirm {
            k.ok(&["order", "confirm", &o]);
        }
    };
    order(&[("BP-1", "3"), ("SVC", "1")], true);
    order(&[("BP-1", "2"), ("BG-2", "10")], true);
    // A draft is not yet ordered.
    order(&[("BP-1", "100")], false);
    let rows = groups(&k.json(&["report", "orders"]));
    // 血压计: 5 × 1,200 = 6,000 revenue, 5 × 800 = 4,000 cost, 2,000 margin (1/3).
    let bp = row(&rows, "product", "血压计");
    assert_eq!(num(&bp["quantity"]), 5.0);
    assert_eq!(num(&bp["revenue"]), 6000.0);
    assert_eq!(num(&bp["cost"]), 4000.0);
    assert_eq!(num(&bp["margin"]), 2000.0);
    assert_eq!(num(&bp["margin_rate"]), 0.3333);
    assert_eq!(bp["orders"], 2);
    let cats = groups(&k.json(&["report", "orders", "--by", "category"]));
    // 器械: 6,000 + 3,000 revenue, 4,000 + 1,200 cost.
    let dev = row(&cats, "category", "器械");
    assert_eq!(num(&dev["revenue"]), 9000.0);
    assert_eq!(num(&dev["margin"]), 3800.0);
    let svc = row(&cats, "category", "服务");
    assert_eq!(num(&svc["margin"]), 400.0);
}

#[test]
fn remind_tells_of_money_due_overdue_renewals_and_quotes_about_to_expire_once() {
    let k = contract();
    // Today is 2026-11-22: one item due in three days, one a week late, one far off.
    k.ok(&[
        "plan",
        "add",
        "HT-2026-001",
        "--due",
        "2026-11-15",
        "--amount",
        "30000",
    ]);
    k.ok(&[
        "plan",
        "add",
        "HT-2026-001",
        "--due",
        "2026-11-25",
        "--amount",
        "30000",
    ]);
    k.ok(&[
        "plan",
        "add",
        "HT-2026-001",
        "--due",
        "2027-03-01",
        "--amount",
        "40000",
    ]);
    // Ends 2026-12-31 with 60 days' notice: within it since 2026-11-01.
    k.ok(&["contract", "edit", "HT-2026-001", "--notice", "60"]);
    k.ok(&[
        "product",
        "add",
        "血压计",
        "--sku",
        "BP-1",
        "--price",
        "100",
        "--currency",
        "CNY",
    ]);
    k.ok(&[
        "quote",
        "add",
        "--account",
        "华南医药",
        "--currency",
        "CNY",
        "--valid",
        "2026-11-24",
    ]);
    k.ok(&["quote", "line", "add", "Q-2026-0001", "BP-1", "--qty", "1"]);
    k.ok(&["quote", "send", "Q-2026-0001"]);
    let items = arr(&k.json(&["remind"]));
    let mut got: Vec<(String, String, String)> = items
        .iter()
        .filter(|r| r["record_kind"] != "task")
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_string(),
                r["due"].as_str().unwrap().to_string(),
                r["detail"].as_str().unwrap().to_string(),
            )
        })
        .filter(|(kind, _, _)| kind != "no_contact")
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "contract_expiring".into(),
                "2026-12-31".into(),
                "华南医药".into()
            ),
            (
                "payment_overdue".into(),
                "2026-11-15".into(),
                "华南医药".into()
            ),
            ("plan_due".into(), "2026-11-25".into(), "华南医药".into()),
            (
                "quote_expiring".into(),
                "2026-11-24".into(),
                "华南医药".into()
            ),
        ]
    );
    let late = items
        .iter()
        .find(|r| r["kind"] == "payment_overdue")
        .unwrap();
    assert!(late["overdue"].as_bool().unwrap());
    assert!(late["title"].as_str().unwrap().contains("7 days"), "{late}");
    // Delivered once: a second run has nothing new of them.
    let again = k.ok(&["remind", "--json"]);
    let again: Vec<Value> = if again.trim().is_empty() {
        vec![]
    } else {
        arr(&serde_json::from_str(&again).unwrap())
    };
    assert!(
        again.iter().all(|r| ![
            "plan_due",
            "payment_overdue",
            "contract_expiring",
            "quote_expiring"
        ]
        .contains(&r["kind"].as_str().unwrap())),
        "{again:?}"
    );
    // Paid in full, an item is not overdue any more; nothing is reminded of it again.
    k.ok(&[
        "payment",
        "add",
        "--contract",
        "HT-2026-001",
        "--amount",
        "30000",
    ]);
    assert_eq!(
        col(&k.json(&["plan", "list", "status:overdue"]), "due"),
        Vec::<Value>::new()
    );
}

/// A bank's statement export (GBK, as Chinese banks write it): each row's contract is
/// found by its number in the summary, else by its payer; rows paid out or not matched go
/// to the reject file, named by their line.
#[test]
fn a_bank_statement_imports_as_payments_matched_to_contracts() {
    let k = contract();
    k.ok(&["account", "add", "广州白云国际机场"]);
    k.ok(&[
        "contract",
        "add",
        "--account",
        "广州白云国际机场",
        "--number",
        "HT-2025-087",
        "--amount",
        "360000",
        "--currency",
        "CNY",
        "--signed",
        "2025-07-01",
    ]);
    let csv = "交易日期,交易时间,收入金额,支出金额,余额,对方户名,对方账号,摘要,流水号\n\
               20261028,10:22:01,\"20,000.00\",,\"1,020,000.00\",华南医药集团,6222000011112222,货款 HT-2026-001 第二期,SN00001\n\
               20261029,09:00:00,,\"5,000.00\",\"1,015,000.00\",某某供应商,6222,采购付款,SN00002\n\
               20261030,11:00:00,\"90,000.00\",,\"1,105,000.00\",广州白云国际机场,6222000099,运维费,SN00003\n\
               20261031,11:00:00,\"1,000.00\",,\"1,106,000.00\",不认识的公司,6222000099,咨询费,SN00004\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let file = k.dir.path().join("statement.csv");
    std::fs::write(&file, &gbk).unwrap();
    let rejects = k.dir.path().join("rejects.csv");
    k.ok(&[
        "import",
        "csv",
        file.to_str().unwrap(),
        "--entity",
        "payment",
        "--skip-invalid",
        rejects.to_str().unwrap(),
    ]);
    let pays = arr(&k.json(&["payment", "list", "--sort", "received_on"]));
    assert_eq!(pays.len(), 2, "{pays:?}");
    assert_eq!(pays[0]["contract"], "HT-2026-001");
    assert_eq!(num(&pays[0]["amount"]), 20000.0);
    assert_eq!(pays[0]["received_on"], "2026-10-28");
    assert_eq!(pays[0]["reference"], "SN00001");
    assert_eq!(pays[0]["payer"], "华南医药集团");
    // By its payer: the airport has one active contract owing money.
    assert_eq!(pays[1]["contract"], "HT-2025-087");
    assert_eq!(num(&pays[1]["amount"]), 90000.0);
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    let lines: Vec<&str> = rejected.lines().collect();
    assert_eq!(lines.len(), 3, "{rejected}");
    assert!(
        lines[1].contains("SN00002") && lines[1].contains(",3,"),
        "{rejected}"
    );
    assert!(
        lines[2].contains("SN00004") && lines[2].contains(",5,"),
        "{rejected}"
    );
    assert!(lines[2].contains("不认识的公司"), "{rejected}");
}

#[test]
fn the_customers_report_reads_an_accounts_orders_when_it_has_them() {
    let k = Kith::new();
    k.ok(&["account", "add", "Deals Only"]);
    k.ok(&["account", "add", "华南医药"]);
    k.ok(&[
        "product",
        "add",
        "血压计",
        "--sku",
        "BP-1",
        "--price",
        "1000",
        "--currency",
        "CNY",
        "--cost",
        "400",
        "--tax",
        "13%",
    ]);
    k.ok(&[
        "deal",
        "add",
        "Big",
        "--account",
        "Deals Only",
        "--amount",
        "10000",
        "--currency",
        "CNY",
    ]);
    k.ok(&["deal", "won", "Big"]);
    // 华南医药: a deal won of 99,999 and an order of 5 × 1,000 (cost 2,000): the order counts.
    k.ok(&[
        "deal",
        "add",
        "Old",
        "--account",
        "华南医药",
        "--amount",
        "99999",
        "--currency",
        "CNY",
    ]);
    k.ok(&["deal", "won", "Old"]);
    let o = k
        .id(&["order", "add", "--account", "华南医药", "--currency", "CNY"])
        .to_string();
    k.ok(&["order", "line", "add", &o, "BP-1", "--qty", "5"]);
    k.ok(&["order", "confirm", &o]);
    let rows = arr(&k.json(&["report", "customers"]));
    let deals_only = row(&rows, "name", "Deals Only");
    assert_eq!(num(&deals_only["won_amount"]), 10000.0);
    let hn = row(&rows, "name", "华南医药");
    // Before tax: 5,000; less the cost 5 × 400.
    assert_eq!(num(&hn["won_amount"]), 5000.0);
    assert_eq!(num(&hn["profit"]), 3000.0);
    // By deals alone, as before orders.
    let by_deals = arr(&k.json(&["report", "customers", "--basis", "deals"]));
    assert_eq!(
        num(&row(&by_deals, "name", "华南医药")["won_amount"]),
        99999.0
    );
    let e = k.fails(
        &[
            "report",
            "customers",
            "--basis",
            "payments",
            "--by",
            "profit",
        ],
        2,
    );
    assert!(e.contains("cost"), "{e}");
}
