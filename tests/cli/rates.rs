//! Exchange rates (docs/commerce.md#exchange-rates): setting, listing and taking off rates,
//! conversions worked by hand — the rate in effect on each day, the inverse pair divided,
//! one rounding to the minor unit half away from zero — and a missing rate named with its
//! pair and day.

use super::*;
use serde_json::json;

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

/// USD→CNY from January, March and June; CNY→JPY from March (JPY→CNY only through it).
fn rates() -> Kith {
    let k = Kith::new();
    k.ok(&["rate", "set", "USD", "CNY", "7.30", "--on", "2026-01-01"]);
    k.ok(&["rate", "set", "usd", "cny", "7.12", "--on", "2026-03-01"]);
    k.ok(&["rate", "set", "USD", "CNY", "7.2", "--on", "2026-06-01"]);
    k.ok(&["rate", "set", "CNY", "JPY", "20.5", "--on", "2026-03-01"]);
    k
}

#[test]
fn rates_are_set_listed_changed_and_taken_off() {
    let k = rates();
    let all = k.json(&["rate", "list"]);
    let pairs: Vec<(String, String, String, f64)> = arr(&all)
        .iter()
        .map(|r| {
            (
                r["from_currency"].as_str().unwrap().to_string(),
                r["to_currency"].as_str().unwrap().to_string(),
                r["day"].as_str().unwrap().to_string(),
                num(&r["rate"]),
            )
        })
        .collect();
    let p = |f: &str, t: &str, d: &str, r: f64| (f.to_string(), t.to_string(), d.to_string(), r);
    assert_eq!(
        pairs,
        vec![
            p("CNY", "JPY", "2026-03-01", 20.5),
            p("USD", "CNY", "2026-01-01", 7.3),
            p("USD", "CNY", "2026-03-01", 7.12),
            p("USD", "CNY", "2026-06-01", 7.2),
        ]
    );
    // One currency, one pair; the table shows every digit of a rate.
    assert_eq!(arr(&k.json(&["rate", "list", "cny"])).len(), 1);
    assert_eq!(arr(&k.json(&["rate", "list", "USD", "CNY"])).len(), 3);
    k.ok(&["rate", "set", "EUR", "USD", "1.08765432"]);
    let table = k.ok(&["rate", "list", "EUR"]);
    assert_eq!(
        table,
        " FROM_CURRENCY  TO_CURRENCY  DAY         RATE\n \
         EUR            USD          2026-11-22  1.08765432\n"
    );
    // Without --on: today. Set again for a day: changed, not a second rate.
    let id = k.id(&["rate", "set", "USD", "CNY", "7.15", "--on", "2026-03-01"]);
    assert_eq!(id, 2);
    let march = &arr(&k.json(&["rate", "list", "USD", "CNY"]))[1];
    assert_eq!(
        (num(&march["rate"]), &march["day"]),
        (7.15, &json!("2026-03-01"))
    );
    // Natural dates, as elsewhere.
    k.ok(&["rate", "set", "USD", "CNY", "7.18", "--on", "som"]);
    assert_eq!(
        col(&k.json(&["rate", "list", "USD", "CNY"]), "day").last(),
        Some(&json!("2026-11-01"))
    );
    // Taken off a day's rate; again, it is not there (exit 1); undo brings it back.
    let said = k.fails(&["rate", "rm", "USD", "CNY", "--on", "2026-06-01"], 0);
    assert_eq!(said, "the rate USD→CNY of 2026-06-01 is taken off\n");
    let err = k.fails(&["rate", "rm", "USD", "CNY", "--on", "2026-06-01"], 1);
    assert_eq!(
        err,
        "kith: no exchange rate USD→CNY is set for 2026-06-01\n"
    );
    assert_eq!(arr(&k.json(&["rate", "list", "USD", "CNY"])).len(), 3);
    k.ok(&["undo", "--yes"]);
    assert_eq!(arr(&k.json(&["rate", "list", "USD", "CNY"])).len(), 4);
    // Nothing set: exit 1.
    k.fails(&["rate", "list", "GBP"], 1);
}

#[test]
fn a_bad_rate_is_refused_naming_the_value_and_nothing_is_written() {
    let k = rates();
    let before = k.json(&["rate", "list"]);
    for (args, says) in [
        (
            vec!["USD", "CNY", "7.123456789"],
            "kith: RATE: '7.123456789' has more than eight decimal places: a rate is kept to eight, exactly\n",
        ),
        (
            vec!["USD", "CNY", "0"],
            "kith: RATE: '0' is not an exchange rate: a rate is more than 0\n",
        ),
        (
            vec!["USD", "CNY", "-7"],
            "kith: RATE: '-7' is not an exchange rate: a rate is more than 0\n",
        ),
        (
            vec!["USD", "CNY", "seven"],
            "kith: RATE: 'seven' is not an exchange rate: write it as a number, such as 7.12 or 0.138889\n",
        ),
        (
            vec!["USD", "USD", "1"],
            "kith: a rate is between two currencies: USD to USD is always 1\n",
        ),
        (
            vec!["US", "CNY", "7"],
            "kith: FROM: 'US' is not a three-letter currency code (like USD, CNY, EUR)\n",
        ),
        (
            vec!["USD", "CNY", "7", "--on", "2026-02-30"],
            "kith: --on: bad date '2026-02-30': day 30 is out of range for February 2026\n",
        ),
    ] {
        let mut a = vec!["rate", "set"];
        a.extend(args);
        assert_eq!(k.fails(&a, 2), says, "{a:?}");
    }
    assert_eq!(k.json(&["rate", "list"]), before);
}

/// Worked by hand: the rate of the latest day on or before the one asked, multiplied; the
/// inverse divided; each rounded once to the target's minor unit, half away from zero.
#[test]
fn an_amount_converts_with_the_rate_of_its_day() {
    let k = rates();
    let convert = |a: &[&str]| {
        let mut args = vec!["rate", "convert"];
        args.extend(a);
        k.ok(&args).trim().to_string()
    };
    // 1,000 USD on 2026-02-28 at January's 7.30; on 2026-03-01 at 7.12; in July at 7.2.
    assert_eq!(
        convert(&["1000", "USD", "CNY", "--on", "2026-02-28"]),
        "7300"
    );
    assert_eq!(
        convert(&["1000", "USD", "CNY", "--on", "2026-03-01"]),
        "7120"
    );
    assert_eq!(
        convert(&["1000", "USD", "CNY", "--on", "2026-07-15"]),
        "7200"
    );
    // 0.07 × 7.12 = 0.4984 → 0.50.
    assert_eq!(
        convert(&["0.07", "USD", "CNY", "--on", "2026-03-02"]),
        "0.5"
    );
    // CNY→USD only through USD→CNY: 100 / 7.12 = 14.0449… → 14.04 (not 100 × 0.14045).
    assert_eq!(
        convert(&["100", "CNY", "USD", "--on", "2026-04-01"]),
        "14.04"
    );
    // 1 / 7.2 = 0.13888… → 0.14.
    assert_eq!(convert(&["1", "CNY", "USD"]), "0.14");
    // Whole yen: 12.34 CNY × 20.5 = 252.97 → 253; back, 1,000 JPY / 20.5 = 48.780… → 48.78.
    assert_eq!(
        convert(&["12.34", "CNY", "JPY", "--on", "2026-03-01"]),
        "253"
    );
    assert_eq!(
        convert(&["1000", "JPY", "CNY", "--on", "2026-03-01"]),
        "48.78"
    );
    // Amounts as typed elsewhere.
    assert_eq!(
        convert(&["1.5万", "USD", "CNY", "--on", "2026-03-01"]),
        "106800"
    );
    let out = k.run(&["rate", "convert", "100", "CNY", "USD", "--on", "2026-04-01"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "100 CNY = 14.04 USD on 2026-04-01, divided by 1 USD = 7.12 CNY (set for 2026-03-01)\n"
    );
}

#[test]
fn a_missing_rate_names_the_pair_and_the_day() {
    let k = rates();
    let err = k.fails(
        &["rate", "convert", "5", "USD", "CNY", "--on", "2025-12-31"],
        2,
    );
    assert_eq!(
        err,
        "kith: no exchange rate USD→CNY on or before 2025-12-31: set one with kith rate set USD CNY RATE --on 2025-12-31\n"
    );
    let err = k.fails(
        &["--lang", "zh-CN", "rate", "convert", "5", "EUR", "CNY"],
        2,
    );
    assert_eq!(
        err,
        "kith：没有 2026-11-22 当日或之前的 EUR→CNY 汇率：请用 kith rate set EUR CNY 汇率 --on 2026-11-22 设置\n"
    );
}

fn rows(v: &Value) -> Vec<Value> {
    arr(v)
}

/// Open deals in three currencies over the year, and won and lost ones, on [`rates`].
fn deals() -> Kith {
    let k = rates();
    k.ok(&["account", "add", "Acme"]);
    let deal = |title: &str, amount: &str, currency: &str, more: &[&str]| {
        let mut a = vec![
            "deal",
            "add",
            title,
            "--amount",
            amount,
            "--currency",
            currency,
            "--account",
            "Acme",
        ];
        a.extend(more);
        k.id(&a)
    };
    // Open: A in February (7.30), B in April (7.12), C in CNY, D in yen through CNY→JPY,
    // E without an expected close (today's 7.2).
    deal("A", "1000", "USD", &["--close", "2026-02-15"]);
    deal("B", "1000", "USD", &["--close", "2026-04-15"]);
    deal("C", "5000", "CNY", &["--close", "2026-04-15"]);
    deal(
        "D",
        "10000",
        "JPY",
        &["--close", "2026-07-01", "--stage", "proposal"],
    );
    deal("E", "123.45", "USD", &["--stage", "proposal"]);
    // Won on 2026-02-20 and 2026-03-02, lost in November.
    let w1 = deal("W1", "2000", "USD", &[]).to_string();
    let w2 = deal("W2", "0.07", "USD", &[]).to_string();
    let l1 = deal("L1", "500", "CNY", &[]).to_string();
    k.ok(&["--now", "2026-02-20T10:00", "deal", "won", &w1]);
    k.ok(&["--now", "2026-03-02T10:00", "deal", "won", &w2]);
    k.ok(&["deal", "lost", &l1, "--reason", "price"]);
    k
}

/// (stage, currency, count, amount, weighted_amount) of the pipeline's rows.
fn stages(v: &Value) -> Vec<(String, Value, i64, f64, f64)> {
    rows(v)
        .iter()
        .map(|r| {
            (
                r["stage"].as_str().unwrap().to_string(),
                r["currency"].clone(),
                r["count"].as_i64().unwrap(),
                num(&r["amount"]),
                num(&r["weighted_amount"]),
            )
        })
        .collect()
}

#[test]
fn the_pipeline_in_one_currency_converts_each_deal_on_its_expected_close() {
    let k = deals();
    let s = |stage: &str, cur: Value, n, a, w| (stage.to_string(), cur, n, a, w);
    // Per currency, as ever, without --currency.
    assert_eq!(
        stages(&k.json(&["report", "pipeline"])),
        vec![
            s("qualification", json!("CNY"), 1, 5000.0, 500.0),
            s("qualification", json!("USD"), 2, 2000.0, 200.0),
            s("needs analysis", Value::Null, 0, 0.0, 0.0),
            s("proposal", json!("JPY"), 1, 10000.0, 5000.0),
            s("proposal", json!("USD"), 1, 123.45, 61.73),
            s("negotiation", Value::Null, 0, 0.0, 0.0),
        ]
    );
    // In CNY: A 1,000 × 7.30 (February) + B 1,000 × 7.12 (April) + C 5,000 = 19,420; D
    // 10,000 JPY / 20.5 = 487.8048… → 487.80; E 123.45 × 7.2 (today) = 888.84. Weighted
    // at 10% and 50%: 1,942 and (487.80 + 888.84) / 2 = 688.32.
    assert_eq!(
        stages(&k.json(&["report", "pipeline", "--currency", "cny"])),
        vec![
            s("qualification", json!("CNY"), 3, 19420.0, 1942.0),
            s("needs analysis", Value::Null, 0, 0.0, 0.0),
            s("proposal", json!("CNY"), 2, 1376.64, 688.32),
            s("negotiation", Value::Null, 0, 0.0, 0.0),
        ]
    );
    // In USD: C 5,000 CNY / 7.12 (April) = 702.2471… → 702.25; D has no JPY→USD rate.
    let err = k.fails(&["report", "pipeline", "--currency", "USD"], 2);
    assert_eq!(
        err,
        "kith: no exchange rate JPY→USD on or before 2026-07-01: set one with kith rate set JPY USD RATE --on 2026-07-01\n"
    );
    k.ok(&["deal", "edit", "D", "--currency", "USD", "--amount", "100"]);
    let usd = stages(&k.json(&["report", "pipeline", "--currency", "USD"]));
    assert_eq!(usd[0], s("qualification", json!("USD"), 3, 2702.25, 270.23));
    // A deal without a currency is in the base currency (the configuration's; USD here).
    k.ok(&["deal", "edit", "E", "--currency", ""]);
    let cny = stages(&k.json(&["report", "pipeline", "--currency", "CNY"]));
    // 100 USD × 7.2 (July's rate on July 1st) = 720; E 888.84 as before.
    assert_eq!(cny[2], s("proposal", json!("CNY"), 2, 1608.84, 804.42));
}

#[test]
fn a_missing_rate_stops_a_report_naming_the_pair_and_the_day_and_changes_nothing() {
    let k = deals();
    k.ok(&[
        "deal",
        "add",
        "F",
        "--amount",
        "100",
        "--currency",
        "EUR",
        "--close",
        "2026-05-01",
    ]);
    let before = (k.snapshot(), k.json(&["rate", "list"]));
    for report in ["pipeline", "forecast"] {
        let err = k.fails(&["report", report, "--currency", "CNY"], 2);
        assert_eq!(
            err,
            "kith: no exchange rate EUR→CNY on or before 2026-05-01: set one with kith rate set EUR CNY RATE --on 2026-05-01\n",
            "{report}"
        );
    }
    assert_eq!((k.snapshot(), k.json(&["rate", "list"])), before);
    // A rate set for a later day does not count; one on or before does.
    k.ok(&["rate", "set", "EUR", "CNY", "7.8", "--on", "2026-05-02"]);
    k.fails(&["report", "pipeline", "--currency", "CNY"], 2);
    k.ok(&["rate", "set", "EUR", "CNY", "7.75", "--on", "2026-05-01"]);
    let q = &stages(&k.json(&["report", "pipeline", "--currency", "CNY"]))[0];
    // 19,420 + 100 × 7.75.
    assert_eq!((q.2, q.3), (4, 20195.0));
    // Not a currency.
    let err = k.fails(&["report", "winloss", "--currency", "yuan"], 2);
    assert_eq!(
        err,
        "kith: --currency: 'yuan' is not a three-letter currency code (like USD, CNY, EUR)\n"
    );
}

#[test]
fn won_deals_convert_on_the_day_they_were_won() {
    let k = deals();
    // Won: 2,000 USD on 2026-02-20 × 7.30 = 14,600; 0.07 USD on 2026-03-02 × 7.12 =
    // 0.4984 → 0.50. Lost: 500 CNY.
    let w = rows(&k.json(&["report", "winloss", "--currency", "CNY"]));
    assert_eq!(w.len(), 1);
    assert_eq!(
        w[0],
        json!({"owner": "tester", "currency": "CNY", "won": 2, "lost": 1, "win_rate": 0.6667,
               "won_amount": 14600.5, "lost_amount": 500.0})
    );
    // Per currency without it.
    let per = rows(&k.json(&["report", "winloss"]));
    assert_eq!(
        col(&json!(per), "currency"),
        vec![json!("CNY"), json!("USD")]
    );
    // The forecast: open deals on their expected close, wins on the day they were won.
    let f = rows(&k.json(&["report", "forecast", "--currency", "CNY"]));
    let periods: Vec<(String, f64, f64, f64)> = f
        .iter()
        .map(|r| {
            (
                r["period"].as_str().unwrap().to_string(),
                num(&r["best_case"]),
                num(&r["weighted"]),
                num(&r["won_amount"]),
            )
        })
        .collect();
    let p = |m: &str, b, wt, won| (m.to_string(), b, wt, won);
    assert_eq!(
        periods,
        vec![
            p("2026-02", 7300.0, 730.0, 14600.0),
            p("2026-03", 0.0, 0.0, 0.5),
            p("2026-04", 12120.0, 1212.0, 0.0),
            p("2026-07", 487.8, 243.9, 0.0),
        ]
    );
    assert!(f.iter().all(|r| r["currency"] == json!("CNY")));
    // The customers report: one row for the account, its wins in CNY.
    let c = rows(&k.json(&["report", "customers", "--currency", "CNY"]));
    assert_eq!(c.len(), 1);
    assert_eq!(
        (&c[0]["name"], &c[0]["currency"], num(&c[0]["won_amount"])),
        (&json!("Acme"), &json!("CNY"), 14600.5)
    );
    // A cost converts as the amount does: 300 USD on February 20th is 2,190 CNY.
    k.ok(&["deal", "edit", "W1", "--cost", "300"]);
    let c = rows(&k.json(&["report", "customers", "--currency", "CNY"]));
    assert_eq!(num(&c[0]["profit"]), 14600.5 - 2190.0);
    // Reports without amounts take the option and are as they were.
    assert_eq!(
        k.json(&["report", "leads", "--currency", "CNY"]),
        k.json(&["report", "leads"])
    );
}

/// Three products in two categories; deals won and lost with lines, one without lines, one
/// in USD: the shop of docs/reports.md's win/loss by product.
fn shop() -> Kith {
    let k = rates();
    for (name, sku, price, category) in [
        ("智能电表", "DTZ-341", "1000", "hardware"),
        ("安装服务", "SVC-INST", "300", "services"),
        ("电缆", "CBL-10", "50", "hardware"),
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
            "--category",
            category,
        ]);
    }
    let deal = |title: &str, currency: &str| {
        k.id(&["deal", "add", title, "--currency", currency])
            .to_string()
    };
    let line = |d: &str, more: &[&str]| {
        let mut a = vec!["deal", "line", "add", d];
        a.extend(more);
        k.ok(&a);
    };
    // 1, won: two meters at 1,000, one installation at 300, one more meter at 900.
    let d1 = deal("电表改造", "CNY");
    line(&d1, &["DTZ-341", "--qty", "2"]);
    line(&d1, &["SVC-INST", "--qty", "1"]);
    line(&d1, &["DTZ-341", "--qty", "1", "--price", "900"]);
    // 2, lost: ten cables at 50, and a line of no product at 70.
    let d2 = deal("布线", "CNY");
    line(&d2, &["CBL-10", "--qty", "10"]);
    line(
        &d2,
        &["--description", "辅材", "--qty", "1", "--price", "70"],
    );
    // 3, won: no lines, an amount of 5,000.
    let d3 = k
        .id(&[
            "deal",
            "add",
            "咨询",
            "--currency",
            "CNY",
            "--amount",
            "5000",
        ])
        .to_string();
    // 4, won: three meters.
    let d4 = deal("电表二期", "CNY");
    line(&d4, &["DTZ-341", "--qty", "3"]);
    // 5, won on 2026-03-10 in USD: two meters at 150 USD.
    let d5 = deal("Meters", "USD");
    line(&d5, &["DTZ-341", "--qty", "2", "--price", "150"]);
    for d in [&d1, &d3, &d4] {
        k.ok(&["deal", "won", d]);
    }
    k.ok(&["deal", "lost", &d2, "--reason", "price"]);
    k.ok(&["--now", "2026-03-10T10:00", "deal", "won", &d5]);
    k
}

/// (group, currency, won, lost, won_amount, lost_amount) of win/loss rows.
fn groups(v: &Value, by: &str) -> Vec<(String, String, i64, i64, f64, f64)> {
    rows(v)
        .iter()
        .map(|r| {
            (
                r[by].as_str().unwrap().to_string(),
                r["currency"].as_str().unwrap().to_string(),
                r["won"].as_i64().unwrap(),
                r["lost"].as_i64().unwrap(),
                num(&r["won_amount"]),
                num(&r["lost_amount"]),
            )
        })
        .collect()
}

#[test]
fn winloss_by_product_counts_a_deal_in_each_product_of_its_lines() {
    let k = shop();
    let g = |p: &str, c: &str, w, l, wa, la| (p.to_string(), c.to_string(), w, l, wa, la);
    // 智能电表: deal 1 (2 × 1,000 + 900 = 2,900) and deal 4 (3,000), once each: 2 won, 5,900.
    // (none): deal 3 without lines (5,000) won; deal 2's line of no product (70) lost.
    // In USD, deal 5's two meters at 150.
    let by_product = groups(
        &k.json(&["report", "winloss", "--by", "product"]),
        "product",
    );
    assert_eq!(
        by_product,
        vec![
            g("智能电表", "CNY", 2, 0, 5900.0, 0.0),
            g("(none)", "CNY", 1, 1, 5000.0, 70.0),
            g("安装服务", "CNY", 1, 0, 300.0, 0.0),
            g("电缆", "CNY", 0, 1, 0.0, 500.0),
            g("智能电表", "USD", 1, 0, 300.0, 0.0),
        ]
    );
    // The groups count 4 CNY wins of 3 won deals (deal 1 is in two), and their amounts add
    // up to the deals': 3,200 + 5,000 + 3,000 won, 570 lost — as by owner.
    let by_owner = groups(&k.json(&["report", "winloss"]), "owner");
    assert_eq!(by_owner[0], g("tester", "CNY", 3, 1, 11200.0, 570.0));
    let cny: Vec<_> = by_product.iter().filter(|r| r.1 == "CNY").collect();
    assert_eq!(cny.iter().map(|r| r.2).sum::<i64>(), 4);
    assert_eq!(cny.iter().map(|r| r.4).sum::<f64>(), 11200.0);
    assert_eq!(cny.iter().map(|r| r.5).sum::<f64>(), 570.0);

    // By category: the meters and the cables are hardware; deal 1 counts once in it.
    assert_eq!(
        groups(
            &k.json(&["report", "winloss", "--by", "category"]),
            "category"
        ),
        vec![
            g("hardware", "CNY", 2, 1, 5900.0, 500.0),
            g("(none)", "CNY", 1, 1, 5000.0, 70.0),
            g("services", "CNY", 1, 0, 300.0, 0.0),
            g("hardware", "USD", 1, 0, 300.0, 0.0),
        ]
    );
    // In one currency: deal 5's 300 USD on 2026-03-10 at 7.12 is 2,136 CNY.
    assert_eq!(
        groups(
            &k.json(&["report", "winloss", "--by", "product", "--currency", "CNY"]),
            "product"
        ),
        vec![
            g("智能电表", "CNY", 3, 0, 8036.0, 0.0),
            g("(none)", "CNY", 1, 1, 5000.0, 70.0),
            g("安装服务", "CNY", 1, 0, 300.0, 0.0),
            g("电缆", "CNY", 0, 1, 0.0, 500.0),
        ]
    );
    // The period and filters narrow the deals as for any grouping.
    assert_eq!(
        groups(
            &k.json(&["report", "winloss", "--by", "product", "--to", "2026-06-30"]),
            "product"
        ),
        vec![g("智能电表", "USD", 1, 0, 300.0, 0.0)]
    );
    assert_eq!(
        groups(
            &k.json(&["report", "winloss", "--by", "category", "status:lost"]),
            "category"
        ),
        // Nothing won in either: by name.
        vec![
            g("(none)", "CNY", 0, 1, 0.0, 70.0),
            g("hardware", "CNY", 0, 1, 0.0, 500.0),
        ]
    );
    // A table, as every win/loss.
    let table = k.ok(&["report", "winloss", "--by", "category", "currency:CNY"]);
    assert_eq!(
        table,
        " CATEGORY  CURRENCY  WON  LOST  WIN_RATE  WON_AMOUNT  LOST_AMOUNT
 hardware  CNY         2     1      0.67       5,900          500
 (none)    CNY         1     1       0.5       5,000           70
 services  CNY         1     0         1         300            0
"
    );
}

#[test]
fn a_custom_field_named_product_groups_as_a_field_does() {
    let k = shop();
    k.ok(&["field", "add", "deal", "product", "--type", "text"]);
    k.ok(&["deal", "edit", "咨询", "--product", "consulting"]);
    let by = groups(
        &k.json(&["report", "winloss", "--by", "product"]),
        "product",
    );
    assert_eq!(by[0].0, "(none)");
    assert!(by.iter().any(|r| r.0 == "consulting" && r.4 == 5000.0));
}
