//! Price lists, deal lines and quotes (docs/commerce.md): prices from the account's list
//! and its tiers, exact totals worked by hand here, rounding per line and once, the whole
//! discount shared before tax, states with `expired` computed when read, revisions, and
//! the documents a customer receives.

use super::*;

/// Two products, a dealer price list with a tier, and an account on it.
fn shop() -> Kith {
    let k = Kith::new();
    k.ok(&[
        "product",
        "add",
        "智能电表 DTZ-341",
        "--sku",
        "DTZ-341",
        "--price",
        "1200",
        "--currency",
        "CNY",
        "--unit",
        "台",
        "--tax",
        "13%",
    ]);
    k.ok(&[
        "product",
        "add",
        "安装服务",
        "--sku",
        "SVC-INST",
        "--price",
        "350",
        "--currency",
        "CNY",
        "--tax",
        "6%",
    ]);
    k.ok(&["pricelist", "add", "经销商价", "--currency", "CNY"]);
    k.ok(&["pricelist", "set", "经销商价", "DTZ-341", "1100"]);
    k.ok(&[
        "pricelist",
        "set",
        "经销商价",
        "DTZ-341",
        "980",
        "--min-qty",
        "10",
    ]);
    k.ok(&[
        "account",
        "add",
        "广州白云国际机场",
        "--pricelist",
        "经销商价",
    ]);
    k.ok(&["account", "add", "Acme Ltd"]);
    k
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

#[test]
fn a_line_takes_its_price_from_the_account_list_and_its_tier() {
    let k = shop();
    let d = k.id(&[
        "deal",
        "add",
        "电表改造",
        "--account",
        "广州白云国际机场",
        "--currency",
        "CNY",
    ]);
    let d = d.to_string();
    // 9 meters: the list's price from one (1,100); 12: the tier from ten (980).
    k.ok(&["deal", "line", "add", &d, "DTZ-341", "--qty", "9"]);
    k.ok(&["deal", "line", "add", &d, "DTZ-341", "--qty", "12"]);
    // No list for Acme: the product's own price.
    let d2 = k.id(&[
        "deal",
        "add",
        "Meters",
        "--account",
        "Acme Ltd",
        "--currency",
        "CNY",
    ]);
    k.ok(&[
        "deal",
        "line",
        "add",
        &d2.to_string(),
        "DTZ-341",
        "--qty",
        "2",
        "--discount",
        "50",
    ]);
    let lines = k.json(&["deal", "line", "list", &d]);
    let prices: Vec<f64> = arr(&lines["lines"])
        .iter()
        .map(|l| num(&l["price"]))
        .collect();
    assert_eq!(prices, vec![1100.0, 980.0]);
    // The deal's amount is its lines' nets: 9 × 1,100 + 12 × 980 = 9,900 + 11,760.
    assert_eq!(num(&k.json(&["deal", "show", &d])["amount"]), 21660.0);
    // 2 × 1,200 less 50.
    assert_eq!(
        num(&k.json(&["deal", "show", &d2.to_string()])["amount"]),
        2350.0
    );
    // An overridden price stays when the quantity changes.
    k.ok(&["deal", "line", "edit", &d, "1", "--price", "1000"]);
    k.ok(&["deal", "line", "edit", &d, "1", "--qty", "10"]);
    let l = &arr(&k.json(&["deal", "line", "list", &d])["lines"])[0];
    assert_eq!(
        (num(&l["qty"]), num(&l["price"]), num(&l["net"])),
        (10.0, 1000.0, 10000.0)
    );
    k.ok(&["deal", "line", "rm", &d, "1"]);
    assert_eq!(num(&k.json(&["deal", "show", &d])["amount"]), 11760.0);
}

#[test]
fn quote_totals_are_exact_shared_and_explained() {
    let k = shop();
    let q = k.id(&[
        "quote",
        "add",
        "--account",
        "广州白云国际机场",
        "--currency",
        "CNY",
        "--discount",
        "500",
    ]);
    assert_eq!(q, 1);
    k.ok(&[
        "quote",
        "line",
        "add",
        "Q-2026-0001",
        "DTZ-341",
        "--qty",
        "12",
    ]);
    k.ok(&[
        "quote",
        "line",
        "add",
        "Q-2026-0001",
        "SVC-INST",
        "--qty",
        "12",
        "--discount",
        "10%",
    ]);
    let s = k.json(&["quote", "show", "Q-2026-0001"]);
    let t = &s["totals"];
    // Nets: 12 × 980 = 11,760 (13%); 12 × 350 = 4,200 less 10% = 3,780 (6%).
    assert_eq!(num(&t["subtotal"]), 15540.0);
    assert_eq!(num(&t["line_discounts"]), 420.0);
    // 500 shared by nets: 500 × 11,760 / 15,540 = 378.378… → 378.38, the rest 121.62.
    assert_eq!(num(&t["discount"]), 500.0);
    assert_eq!(num(&t["net"]), 15040.0);
    let taxes = arr(&t["taxes"]);
    assert_eq!(
        (num(&taxes[0]["rate"]), num(&taxes[0]["base"])),
        (6.0, 3658.38)
    );
    // 6% of 3,658.38 = 219.5028 → 219.50; 13% of 11,381.62 = 1,479.6106 → 1,479.61.
    assert_eq!(num(&taxes[0]["tax"]), 219.5);
    assert_eq!(
        (num(&taxes[1]["base"]), num(&taxes[1]["tax"])),
        (11381.62, 1479.61)
    );
    assert_eq!(num(&t["tax"]), 1699.11);
    assert_eq!(num(&t["total"]), 16739.11);
    assert_eq!(
        num(&s["total"]),
        16739.11,
        "the list's total is the sheet's"
    );
    assert_eq!(s["status"], "draft");
    assert_eq!(s["valid_until"], "2026-12-22", "30 days by default");
    let table = k.ok(&["quote", "show", "Q-2026-0001"]);
    assert!(table.contains("Tax 6% on 3,658.38"), "{table}");
    assert!(
        table.contains("Total CNY                  16,739.11"),
        "{table}"
    );
}

#[test]
fn rounding_once_on_the_total_differs_from_per_line_by_what_it_should() {
    let k = Kith::new();
    k.ok(&["account", "add", "Acme Ltd"]);
    let conf = k.dir.path().join("config/kith");
    std::fs::create_dir_all(&conf).unwrap();
    for (rounding, tax, total) in [("line", 0.03, 0.33), ("total", 0.02, 0.32)] {
        std::fs::write(
            conf.join("config.toml"),
            format!("[quote]\nrounding = \"{rounding}\"\n"),
        )
        .unwrap();
        let q = k
            .id(&["quote", "add", "--account", "Acme Ltd", "--currency", "USD"])
            .to_string();
        // Three lines of 0.10 at 6.5%: each line's tax 0.0065 rounds to 0.01 (0.03 in all);
        // once, 0.0195 rounds to 0.02.
        for _ in 0..3 {
            k.ok(&[
                "quote",
                "line",
                "add",
                &q,
                "--description",
                "Widget",
                "--qty",
                "1",
                "--price",
                "0.10",
                "--tax",
                "6.5",
            ]);
        }
        let t = &k.json(&["quote", "show", &q])["totals"];
        assert_eq!(t["rounding"], rounding);
        assert_eq!(
            (num(&t["tax"]), num(&t["total"])),
            (tax, total),
            "{rounding}"
        );
    }
}

#[test]
fn states_expire_when_read_and_sent_quotes_are_revised_not_edited() {
    let k = shop();
    k.ok(&[
        "quote",
        "add",
        "--account",
        "Acme Ltd",
        "--currency",
        "CNY",
        "--valid",
        "10d",
    ]);
    k.fails(&["quote", "send", "1"], 2);
    k.ok(&["quote", "line", "add", "1", "DTZ-341", "--qty", "1"]);
    k.ok(&["quote", "send", "1"]);
    let err = k.fails(&["quote", "line", "edit", "1", "1", "--qty", "2"], 2);
    assert!(err.contains("revise it"), "{err}");
    let err = k.fails(&["quote", "edit", "1", "--notes", "x"], 2);
    assert!(err.contains("is sent"), "{err}");
    // Valid until 2026-12-02: on the 3rd it reads expired, with nothing having run.
    let later = |args: &[&str]| {
        let mut a = vec!["--now", "2026-12-03T09:00"];
        a.extend_from_slice(args);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let on = |args: &[&str]| -> Value {
        let a = later(args);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        k.json(&a)
    };
    assert_eq!(on(&["quote", "show", "1"])["status"], "expired");
    assert_eq!(arr(&on(&["quote", "list", "status:expired"])).len(), 1);
    assert_eq!(arr(&on(&["quote", "list", "status:sent"])).len(), 0);
    // On its last valid day it is still sent, and not expired.
    let last_day = ["--now", "2026-12-02T18:00", "quote", "list"];
    assert_eq!(
        arr(&k.json(&[&last_day[..], &["status:sent"]].concat())).len(),
        1
    );
    assert_eq!(
        arr(&k.json(&[&last_day[..], &["status:expired"]].concat())).len(),
        0
    );
    assert_eq!(
        k.json(&["quote", "show", "1"])["status"],
        "sent",
        "before its date"
    );
    let a = later(&["quote", "accept", "1"]);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let err = k.fails(&a, 2);
    assert!(err.contains("expired on 2026-12-02"), "{err}");
    // The revision: a draft with the same lines, the first kept as the customer saw it.
    let r = k.id(&["quote", "revise", "1"]);
    let rev = k.json(&["quote", "show", &r.to_string()]);
    assert_eq!(rev["number"], "Q-2026-0001-2");
    assert_eq!(
        (rev["revision"].as_i64(), rev["previous_id"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(num(&rev["total"]), 1356.0, "1 × 1,200 + 13%");
    assert_eq!(k.json(&["quote", "show", "1"])["status"], "revised");
    k.ok(&["quote", "line", "edit", &r.to_string(), "1", "--qty", "2"]);
    assert_eq!(
        num(&k.json(&["quote", "show", "1"])["total"]),
        1356.0,
        "the first is kept"
    );
    k.ok(&["quote", "send", &r.to_string()]);
    k.ok(&["quote", "reject", &r.to_string(), "--reason", "budget"]);
    let rejected = k.json(&["quote", "show", &r.to_string()]);
    assert_eq!(
        (rejected["status"].as_str(), rejected["reason"].as_str()),
        (Some("rejected"), Some("budget"))
    );
}

#[test]
fn bad_lines_are_refused_naming_the_value_and_write_nothing() {
    let k = shop();
    let q = k
        .id(&["quote", "add", "--account", "Acme Ltd", "--currency", "CNY"])
        .to_string();
    k.ok(&["quote", "line", "add", &q, "DTZ-341", "--qty", "1"]);
    let before = k.json(&["quote", "show", &q]);
    for (args, says) in [
        (vec!["--qty", "-2"], "-2 is negative"),
        (vec!["--qty", "0"], "a quantity of 0"),
        (
            vec!["--qty", "1", "--discount", "120%"],
            "120% is not between 0% and 100%",
        ),
        (
            vec!["--qty", "1", "--discount", "1300"],
            "1,300 is more than the line comes to (1,200)",
        ),
        (
            vec!["--qty", "1", "--tax", "130"],
            "130 is not between 0% and 100%",
        ),
    ] {
        let mut a = vec!["quote", "line", "add", &q, "DTZ-341"];
        a.extend(args.iter());
        let err = k.fails(&a, 2);
        assert!(err.contains(says), "{a:?}: {err}");
    }
    let err = k.fails(&["quote", "line", "add", &q, "NO-SUCH", "--qty", "1"], 2);
    assert!(err.contains("NO-SUCH"), "{err}");
    assert_eq!(k.json(&["quote", "show", &q]), before);
}

#[test]
fn a_rendered_pdf_reads_back_with_its_lines_and_total() {
    let k = shop();
    k.ok(&[
        "quote",
        "add",
        "--account",
        "广州白云国际机场",
        "--currency",
        "CNY",
        "--terms",
        "货到付款",
    ]);
    k.ok(&["quote", "line", "add", "1", "DTZ-341", "--qty", "12"]);
    let md = k.ok(&["quote", "render", "1", "--format", "md"]);
    assert!(
        md.contains("| 1 | 智能电表 DTZ-341 (DTZ-341) | 12 | 台 | 980.00 |  | 13% | 11,760.00 |"),
        "{md}"
    );
    // 11,760 + 13% (1,528.80) = 13,288.80.
    assert!(md.contains("| **Total (CNY)** | **13,288.80** |"), "{md}");
    let html = k.dir.path().join("q.html");
    k.ok(&["quote", "render", "1", "-o", html.to_str().unwrap()]);
    let h = std::fs::read_to_string(&html).unwrap();
    assert!(
        h.contains("广州白云国际机场") && h.contains("13,288.80"),
        "{h}"
    );
    let pdf = k.dir.path().join("q.pdf");
    let rendered = k.run(&[
        "--lang",
        "zh-CN",
        "quote",
        "render",
        "1",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    if !rendered.status.success() && std::env::var_os("CI").is_none() {
        eprintln!(
            "no font for the PDF here: {}",
            String::from_utf8_lossy(&rendered.stderr)
        );
        return;
    }
    assert!(
        rendered.status.success(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    let text = match std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
    {
        Ok(o) => String::from_utf8_lossy(&o.stdout).into_owned(),
        Err(_) if std::env::var_os("CI").is_none() => return eprintln!("pdftotext missing"),
        Err(e) => panic!("pdftotext: {e}"),
    };
    for want in [
        "报价单",
        "广州白云国际机场",
        "智能电表 DTZ-341",
        "11,760.00",
        "合计（CNY）",
        "13,288.80",
        "货到付款",
    ] {
        assert!(text.contains(want), "{want} not in:\n{text}");
    }
}
