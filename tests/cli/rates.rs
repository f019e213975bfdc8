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
