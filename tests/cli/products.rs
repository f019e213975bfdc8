//! Products (docs/commands.md, "Records"; docs/data-model.md, "Product"): the record verbs,
//! the SKU that names one product, exact tax rates, retiring, and Chinese CSV headers.

use super::*;
use serde_json::json;

fn catalogue() -> Kith {
    let k = Kith::new();
    k.ok(&[
        "product",
        "add",
        "航站楼旅客服务系统",
        "--sku",
        "AP-PSS-01",
        "--price",
        "86万",
        "--currency",
        "CNY",
        "--unit",
        "套",
        "--tax",
        "13%",
        "--cost",
        "51万",
        "--category",
        "机场系统",
    ]);
    k.ok(&[
        "product",
        "add",
        "现场实施服务",
        "--sku",
        "SV-IMP-91",
        "--price",
        "3800",
        "--currency",
        "CNY",
        "--unit",
        "人天",
        "--tax",
        "6.5",
        "--category",
        "服务",
    ]);
    k.ok(&[
        "product",
        "add",
        "Annual support",
        "--sku",
        "SV-MNT-90",
        "--price",
        "16000",
        "--currency",
        "USD",
        "--tax",
        "0%",
    ]);
    k
}

#[test]
fn a_product_keeps_its_price_and_rate_exactly_and_is_named_by_its_sku() {
    let k = catalogue();
    let p = k.json(&["product", "show", "ap-pss-01"]);
    assert_eq!(p["id"], 1);
    assert_eq!(p["name"], "航站楼旅客服务系统");
    assert_eq!(p["price"], 860000.0);
    assert_eq!(p["cost"], 510000.0);
    assert_eq!(p["tax"], 13.0);
    assert_eq!(p["unit"], "套");
    assert_eq!(p["retired"], false);
    // 6.5 is 6.5%: a rate is in percent, exactly.
    assert_eq!(k.json(&["product", "show", "SV-IMP-91"])["tax"], 6.5);
    // The show view says the rate as a rate.
    let show = k.ok(&["product", "show", "现场"]);
    assert!(show.contains("6.5%"), "{show}");
    // Filters compare rates in percent, and take a SKU.
    let ids = |args: &[&str]| col(&k.json(args), "id");
    // (航站楼 hang… before 现场 xian…, by pinyin.)
    assert_eq!(
        ids(&["product", "list", "tax>=6.5"]),
        vec![json!(1), json!(2)]
    );
    assert_eq!(ids(&["product", "list", "tax<1"]), vec![json!(3)]);
    assert_eq!(ids(&["product", "list", "sku:sv-mnt-90"]), vec![json!(3)]);
}

#[test]
fn a_second_product_of_a_sku_or_a_bad_rate_is_refused_and_nothing_is_written() {
    let k = catalogue();
    let before = k.snapshot();
    let e = k.fails(&["product", "add", "二期", "--sku", "ap-pss-01"], 2);
    assert_eq!(
        e.trim(),
        "kith: sku: ap-pss-01 is the SKU of product 1 already; a SKU names one product"
    );
    let e = k.fails(&["product", "edit", "SV-IMP-91", "--sku", "SV-MNT-90"], 2);
    assert!(e.contains("the SKU of product 3 already"), "{e}");
    let e = k.fails(&["product", "add", "X", "--tax", "130%"], 2);
    assert_eq!(e.trim(), "kith: tax: 130% is not between 0% and 100%");
    let e = k.fails(&["product", "add", "X", "--tax", "-1%"], 2);
    assert!(e.contains("is not between 0% and 100%"), "{e}");
    let e = k.fails(&["product", "add", "X", "--tax", "abc"], 2);
    assert!(e.contains("'abc' is not a rate"), "{e}");
    let e = k.fails(&["product", "add", "X", "--price", "12.345"], 2);
    assert!(e.contains("goes below a cent"), "{e}");
    assert_eq!(k.snapshot(), before);
    // Its own SKU again is no clash; a trashed product's SKU may be used again.
    k.ok(&[
        "product",
        "edit",
        "AP-PSS-01",
        "--sku",
        "AP-PSS-01",
        "--price",
        "90万",
    ]);
    k.ok(&["product", "rm", "SV-MNT-90"]);
    k.ok(&[
        "product",
        "add",
        "Annual support 2027",
        "--sku",
        "SV-MNT-90",
    ]);
}

#[test]
fn a_retired_product_stays_in_history_and_leaves_lists_that_ask() {
    let k = catalogue();
    k.ok(&["product", "edit", "SV-IMP-91", "--retired", "yes"]);
    let offered = col(&k.json(&["product", "list", "retired:no"]), "sku");
    assert_eq!(offered, vec![json!("SV-MNT-90"), json!("AP-PSS-01")]);
    let h = k.ok(&["product", "history", "SV-IMP-91"]);
    assert!(h.contains("retired") && h.contains("yes"), "{h}");
    // Undo brings it back on offer.
    k.ok(&["undo", "--yes"]);
    assert_eq!(k.json(&["product", "show", "SV-IMP-91"])["retired"], false);
}

#[test]
fn products_go_out_and_come_back_with_chinese_headers() {
    let k = catalogue();
    let csv = k.ok(&["product", "list", "--csv", "--headers", "zh"]);
    let header = csv.lines().next().unwrap();
    for h in [
        "产品名称",
        "产品编码",
        "单价",
        "币种",
        "单位",
        "税率",
        "成本",
        "产品类别",
        "已停售",
    ] {
        assert!(header.contains(h), "{header}");
    }
    let file = k.dir.path().join("products.csv");
    std::fs::write(&file, &csv).unwrap();
    let other = Kith::new();
    other.ok(&[
        "import",
        "csv",
        file.to_str().unwrap(),
        "--entity",
        "product",
    ]);
    let a = k.json(&[
        "product",
        "list",
        "--columns",
        "name,sku,price,currency,unit,tax,cost,category,retired",
    ]);
    let b = other.json(&[
        "product",
        "list",
        "--columns",
        "name,sku,price,currency,unit,tax,cost,category,retired",
    ]);
    assert_eq!(a, b);
}
