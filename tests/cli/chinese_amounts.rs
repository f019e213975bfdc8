//! Chinese amounts wherever an amount is taken (`--amount`, `--cost`, custom money fields,
//! filters, CSV import), `--amounts wan` for people while JSON, CSV and TSV stay as they
//! are, and amounts that cannot be read: exit 2, a message naming them, nothing written.

use serde_json::json;

use crate::{arr, col, Kith};

/// Every form of amount, as typed, and the amount it is (worked out by hand).
const FORMS: &[(&str, f64)] = &[
    ("12万", 120_000.0),
    ("1.2万", 12_000.0),
    ("1.2亿", 120_000_000.0),
    ("3千", 3_000.0),
    ("3百", 300.0),
    ("5k", 5_000.0),
    ("1.5m", 1_500_000.0),
    ("十万", 100_000.0),
    ("五十万", 500_000.0),
    ("一百二十万", 1_200_000.0),
    ("三千五百", 3_500.0),
    ("一万二", 12_000.0),
    ("一万零二", 10_002.0),
    ("1万5千", 15_000.0),
    ("1万5", 15_000.0),
    ("两百五", 250.0),
    ("壹拾贰万", 120_000.0),
    ("一点五万", 15_000.0),
    ("１２万", 120_000.0),
    ("１２０，０００", 120_000.0),
    ("1.23456万", 12_345.6),
    ("1,200万", 12_000_000.0),
    ("120,000", 120_000.0),
    // A currency mark agreeing with the deal's currency (CNY).
    ("¥12万", 120_000.0),
    ("￥12万", 120_000.0),
    ("12万元", 120_000.0),
    ("12万块", 120_000.0),
    ("¥1,200元", 1_200.0),
];

#[test]
fn every_form_of_amount_is_kept_exactly() {
    let k = Kith::new();
    for (i, (typed, _)) in FORMS.iter().enumerate() {
        let title = format!("D{i}");
        k.id(&[
            "deal",
            "add",
            &title,
            "--amount",
            typed,
            "--currency",
            "CNY",
        ]);
    }
    let got = k.json(&["deal", "list", "--sort", "id", "--limit", "100"]);
    assert_eq!(arr(&got).len(), FORMS.len());
    for ((typed, want), deal) in FORMS.iter().zip(arr(&got)) {
        assert_eq!(deal["amount"], json!(want), "{typed}");
        // The mark never changes the currency.
        assert_eq!(deal["currency"], json!("CNY"), "{typed}");
    }
}

#[test]
fn a_deal_added_with_12_wan_has_the_amount_120000() {
    let k = Kith::new();
    let id = k.id(&["deal", "add", "X", "--amount", "12万"]);
    let deal = k.json(&["deal", "show", &id.to_string()]);
    assert_eq!(deal["amount"], json!(120_000.0));
    assert_eq!(deal["currency"], json!("USD"));
    // --cost, and an edit, the same way.
    k.ok(&[
        "deal",
        "edit",
        &id.to_string(),
        "--cost",
        "三千五百",
        "--amount",
        "1.2亿",
    ]);
    let deal = k.json(&["deal", "show", &id.to_string()]);
    assert_eq!(deal["amount"], json!(120_000_000.0));
    assert_eq!(deal["cost"], json!(3_500.0));
    // A lead converted with a deal.
    k.id(&["lead", "add", "陈先生", "--company", "深圳湾科技"]);
    k.ok(&[
        "lead",
        "convert",
        "陈先生",
        "--deal",
        "湾区项目",
        "--amount",
        "五十万",
    ]);
    let deals = k.json(&["deal", "list", "title:湾区项目"]);
    assert_eq!(col(&deals, "amount"), vec![json!(500_000.0)]);
}

#[test]
fn a_custom_money_field_takes_chinese_amounts() {
    let k = Kith::new();
    k.ok(&["field", "add", "account", "budget", "--type", "money"]);
    k.id(&["account", "add", "青禾茶业", "--budget", "八十万"]);
    // An account has no currency: a mark is taken with the amount.
    k.id(&["account", "add", "明远贸易", "--budget", "¥3万"]);
    let got = k.json(&["account", "list", "--sort", "id"]);
    assert_eq!(col(&got, "budget"), vec![json!(800_000.0), json!(30_000.0)]);
    assert_eq!(
        col(&k.json(&["account", "list", "budget>=50万"]), "name"),
        vec![json!("青禾茶业")]
    );
}

/// Four CNY deals: 1,280,000, 500,000 exactly, 350,000 and 120,000,000.
fn deals() -> Kith {
    let k = Kith::new();
    for (title, amount) in [
        ("安检升级", "128万"),
        ("行李系统", "五十万"),
        ("仓储机器人", "35万"),
        ("新航站楼", "1.2亿"),
    ] {
        k.id(&[
            "deal",
            "add",
            title,
            "--amount",
            amount,
            "--currency",
            "CNY",
            "--stage",
            "proposal",
        ]);
    }
    k
}

#[test]
fn filters_compare_chinese_amounts_exactly() {
    let k = deals();
    let titles = |args: &[&str]| {
        let mut a = vec!["deal", "list", "--sort", "amount"];
        a.extend_from_slice(args);
        col(&k.json(&a), "title")
    };
    assert_eq!(
        titles(&["amount>50万"]),
        vec![json!("安检升级"), json!("新航站楼")]
    );
    assert_eq!(
        titles(&["amount>=五十万"]),
        vec![json!("行李系统"), json!("安检升级"), json!("新航站楼")]
    );
    assert_eq!(titles(&["amount:1.2亿"]), vec![json!("新航站楼")]);
    assert_eq!(
        titles(&["amount<一百万", "amount>30万"]),
        vec![json!("仓储机器人"), json!("行李系统")]
    );
    // A mark in a filter would compare every currency: refused, saying what to write.
    let e = k.fails(&["deal", "list", "amount>¥50万"], 2);
    assert_eq!(
        e.trim(),
        "kith: filter 'amount': '¥50万': a filter's amount takes no currency mark; write 50万 and filter the currency with currency:CNY"
    );
    let e = k.fails(&["deal", "list", "amount>50万x"], 2);
    assert!(e.contains("did you mean 50万 (500,000)?"), "{e}");
}

#[test]
fn amounts_wan_shows_wan_in_tables_and_leaves_data_formats_alone() {
    let k = deals();
    let table = k.ok(&["--amounts", "wan", "deal", "list", "--sort", "amount"]);
    for want in ["35万", "50万", "128万", "1.2亿"] {
        assert!(table.contains(want), "no {want} in\n{table}");
    }
    assert!(!table.contains("1,280,000"), "{table}");
    // The default groups thousands.
    let grouped = k.ok(&["deal", "list", "--sort", "amount"]);
    assert!(grouped.contains("1,280,000"), "{grouped}");
    assert!(grouped.contains("120,000,000"), "{grouped}");
    assert!(!grouped.contains("128万"), "{grouped}");
    // JSON, CSV and TSV are the same whatever the option says.
    for format in ["--json", "--csv", "--tsv", "--ndjson"] {
        assert_eq!(
            k.ok(&["--amounts", "wan", "deal", "list", format]),
            k.ok(&["deal", "list", format]),
            "{format}"
        );
    }
    let json = k.json(&["--amounts", "wan", "deal", "list", "--sort", "amount"]);
    assert_eq!(col(&json, "amount")[2], json!(1_280_000.0));
    let csv = k.ok(&["--amounts", "wan", "deal", "list", "--csv"]);
    assert!(csv.contains(",1280000,"), "{csv}");
    // show, the reports and the pipeline, in 万.
    let show = k.ok(&["--amounts", "wan", "deal", "show", "安检升级"]);
    assert!(show.contains(" amount       128万"), "{show}");
    let report = k.ok(&["--amounts", "wan", "report", "pipeline"]);
    // 1,280,000 + 500,000 + 350,000 + 120,000,000 = 122,130,000; half of it weighted.
    assert!(report.contains("1.2213亿"), "{report}");
    assert!(report.contains("6106.5万"), "{report}");
    assert_eq!(
        k.ok(&["--amounts", "wan", "report", "pipeline", "--json"]),
        k.ok(&["report", "pipeline", "--json"])
    );
    let pipeline = k.ok(&["--amounts", "wan", "pipeline", "list"]);
    assert!(pipeline.contains("CNY 1.2213亿"), "{pipeline}");
    let pipeline_csv = k.ok(&["--amounts", "wan", "pipeline", "list", "--csv"]);
    assert!(pipeline_csv.contains("CNY 122,130,000"), "{pipeline_csv}");
}

#[test]
fn amounts_in_the_configuration_and_the_flag_over_it() {
    let k = deals();
    let config = k.dir.path().join("config").join("kith");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "amounts = \"wan\"\n").unwrap();
    let table = k.ok(&["deal", "list"]);
    assert!(table.contains("128万"), "{table}");
    let table = k.ok(&["--amounts", "group", "deal", "list"]);
    assert!(table.contains("1,280,000"), "{table}");
    // A value the configuration cannot mean: exit 2, naming the file and the key.
    std::fs::write(config.join("config.toml"), "amounts = \"yuan\"\n").unwrap();
    let e = k.fails(&["deal", "list"], 2);
    assert!(
        e.contains("config.toml: amounts: 'yuan' is not a way of showing amounts; use group (1,280,000) or wan (128万)"),
        "{e}"
    );
    std::fs::remove_file(config.join("config.toml")).unwrap();
    let e = k.fails(&["--amounts", "yuan", "deal", "list"], 2);
    assert!(e.contains("'yuan'") && e.contains("group, wan"), "{e}");
}

#[test]
fn an_unreadable_amount_is_refused_by_name_and_nothing_is_written() {
    let k = deals();
    let before = k.snapshot();
    for (typed, says) in [
        (
            "12万万",
            "kith: amount: '12万万' is not an amount kith can read; did you mean 12万 (120,000)?",
        ),
        (
            "1.2.3万",
            "kith: amount: '1.2.3万' is not an amount kith can read; did you mean 1.23万 (12,300)?",
        ),
        (
            "五十万x",
            "kith: amount: '五十万x' is not an amount kith can read; did you mean 五十万 (500,000)?",
        ),
        (
            "一二三万",
            "kith: amount: '一二三万' is not an amount kith can read; write it like 12万, 1.2亿, 三千五百 or 120000",
        ),
        (
            "1万亿",
            "kith: amount: 1万亿 is too large (at most 99,999,999,999.9999)",
        ),
    ] {
        let e = k.fails(&["deal", "add", "坏", "--amount", typed, "--currency", "CNY"], 2);
        assert_eq!(e.trim(), says);
        let e = k.fails(&["deal", "edit", "安检升级", "--amount", typed], 2);
        assert_eq!(e.trim(), says);
    }
    // In the user's language.
    let e = k.fails(
        &[
            "--lang",
            "zh-CN",
            "deal",
            "add",
            "坏",
            "--amount",
            "五十万x",
        ],
        2,
    );
    assert_eq!(
        e.trim(),
        "kith：amount：无法识别金额 '五十万x'；是否想写 五十万（500,000）？"
    );
    let e = k.fails(
        &[
            "--lang",
            "zh-CN",
            "deal",
            "add",
            "坏",
            "--amount",
            "一二三万",
        ],
        2,
    );
    assert_eq!(
        e.trim(),
        "kith：amount：无法识别金额 '一二三万'；请写成 12万、1.2亿、三千五百 或 120000 这样的形式"
    );
    assert_eq!(k.snapshot(), before, "nothing was written");
}

#[test]
fn a_currency_mark_never_changes_the_currency() {
    let k = Kith::new();
    // The default currency is USD: ¥ is refused rather than taken as CNY.
    let e = k.fails(&["deal", "add", "X", "--amount", "¥12万"], 2);
    assert_eq!(
        e.trim(),
        "kith: amount: '¥12万' is marked ¥ (CNY/JPY), but this deal is in USD: write the amount alone, or set the currency to CNY/JPY"
    );
    k.fails(&["deal", "list"], 1);
    let id = k.id(&["deal", "add", "X", "--amount", "5万美元"]);
    // Edited: 元 against the deal's USD is refused …
    let e = k.fails(&["deal", "edit", &id.to_string(), "--amount", "8万元"], 2);
    assert!(e.contains("but this deal is in USD"), "{e}");
    // … and taken with the currency it names.
    k.ok(&[
        "deal",
        "edit",
        &id.to_string(),
        "--amount",
        "8万元",
        "--currency",
        "CNY",
    ]);
    let deal = k.json(&["deal", "show", &id.to_string()]);
    assert_eq!(
        (deal["amount"].clone(), deal["currency"].clone()),
        (json!(80_000.0), json!("CNY"))
    );
    let e = k.fails(&["deal", "add", "Y", "--amount", "¥5美元"], 2);
    assert!(
        e.contains("'¥5美元' is marked with two different currencies"),
        "{e}"
    );
}

#[test]
fn a_csv_import_takes_chinese_amounts_and_refuses_bad_ones_whole() {
    let k = Kith::new();
    let good = k.dir.path().join("good.csv");
    std::fs::write(
        &good,
        "商机名称,金额,币种\n安检升级,128万,CNY\n新航站楼,¥1.2亿,CNY\n展会服务,三千五百,USD\n",
    )
    .unwrap();
    k.ok(&["import", "csv", "--entity", "deal", good.to_str().unwrap()]);
    let got = k.json(&["deal", "list", "--sort", "id"]);
    assert_eq!(
        col(&got, "amount"),
        vec![json!(1_280_000.0), json!(120_000_000.0), json!(3_500.0)]
    );
    let before = k.snapshot();
    let bad = k.dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "商机名称,金额,币种\n好,12万,CNY\n美元单,¥1.2亿,USD\n坏,五十万x,CNY\n",
    )
    .unwrap();
    let e = k.fails(
        &["import", "csv", "--entity", "deal", bad.to_str().unwrap()],
        2,
    );
    assert!(
        e.contains("line 3, column 金额: '¥1.2亿' is marked ¥ (CNY/JPY), but this deal is in USD"),
        "{e}"
    );
    assert!(
        e.contains("line 4, column 金额: '五十万x' is not an amount kith can read; did you mean 五十万 (500,000)?"),
        "{e}"
    );
    assert_eq!(k.snapshot(), before, "nothing was written");
}

#[test]
fn the_agenda_shows_a_deal_in_wan_and_its_json_keeps_the_grouped_amount() {
    let k = Kith::new();
    k.id(&[
        "deal",
        "add",
        "安检升级",
        "--amount",
        "128万",
        "--currency",
        "CNY",
        "--close",
        "2026-11-25",
    ]);
    let table = k.ok(&["--amounts", "wan", "agenda", "--days", "7"]);
    assert!(table.contains("qualification · 128万 CNY"), "{table}");
    let grouped = k.ok(&["agenda", "--days", "7"]);
    assert!(
        grouped.contains("qualification · 1,280,000 CNY"),
        "{grouped}"
    );
    let json = k.json(&["--amounts", "wan", "agenda", "--days", "7"]);
    let deal = json["days"][3]["items"][0].clone();
    assert_eq!(deal["detail"], json!("qualification · 1,280,000 CNY"));
    assert_eq!(
        k.ok(&["--amounts", "wan", "agenda", "--days", "7", "--csv"]),
        k.ok(&["agenda", "--days", "7", "--csv"])
    );
}
