//! Custom fields: defined at run time (`kith field add|list|rm`), then everything a
//! built-in field is.

use serde_json::json;

use crate::{arr, col, Kith};

#[test]
fn fields_are_added_listed_removed_and_brought_back() {
    let k = Kith::new();
    assert_eq!(k.json(&["field", "list"]), json!([]));
    k.ok(&[
        "field",
        "add",
        "account",
        "segment",
        "--type",
        "choice",
        "--choices",
        "gold,silver",
        "--label",
        "等级",
    ]);
    k.ok(&[
        "field",
        "add",
        "contact",
        "score",
        "--type",
        "int",
        "--required",
    ]);
    k.ok(&["field", "add", "deal", "partner", "--type", "ref:account"]);
    let all = k.json(&["field", "list"]);
    assert_eq!(
        col(&all, "name"),
        vec![json!("segment"), json!("score"), json!("partner")]
    );
    assert_eq!(arr(&all)[0]["choices"], json!(["gold", "silver"]));
    assert_eq!(arr(&all)[0]["label"], json!("等级"));
    assert_eq!(arr(&all)[1]["required"], json!(true));
    assert_eq!(arr(&all)[2]["type"], json!("ref:account"));
    assert_eq!(
        col(&k.json(&["field", "list", "contact"]), "name"),
        vec![json!("score")]
    );
    let table = k.ok(&["field", "list", "account"]);
    assert!(table.contains("segment  choice  gold, silver"), "{table}");

    let said = k.fails(&["field", "rm", "account", "nope"], 2);
    assert!(said.contains("account has no custom field nope"), "{said}");
    let said =
        String::from_utf8_lossy(&k.run(&["field", "rm", "contact", "score"]).stderr).to_string();
    assert!(said.contains("0 records hold one"), "{said}");
    assert_eq!(
        col(&k.json(&["field", "list"]), "name"),
        vec![json!("segment"), json!("partner")]
    );
    let removed = k.json(&["field", "list", "contact", "--all"]);
    assert_eq!(arr(&removed)[0]["removed"], json!(true));
    // Brought back as it was.
    k.ok(&["field", "add", "contact", "score", "--type", "int"]);
    let back = k.json(&["field", "list", "contact"]);
    assert_eq!(arr(&back)[0]["required"], json!(true));
    let said = k.fails(&["field", "add", "contact", "score", "--type", "int"], 2);
    assert!(
        said.contains("contact already has a custom field score"),
        "{said}"
    );
}

#[test]
fn bad_definitions_are_refused_and_change_nothing() {
    let k = Kith::new();
    let refused = |args: &[&str], says: &str| {
        let mut a = vec!["field", "add"];
        a.extend_from_slice(args);
        let err = k.fails(&a, 2);
        assert!(err.contains(says), "{args:?}: {err}");
    };
    refused(
        &["account", "tier", "--type", "text"],
        "'tier' is a built-in field",
    );
    refused(&["deal", "close", "--type", "text"], "built-in field");
    refused(&["contact", "email", "--type", "text"], "built-in field");
    refused(&["account", "created", "--type", "text"], "reserved word");
    refused(
        &["account", "Segment", "--type", "text"],
        "cannot name a field",
    );
    refused(&["account", "2nd", "--type", "text"], "cannot name a field");
    refused(
        &["account", "x", "--type", "colour"],
        "'colour' is not a field type",
    );
    refused(&["account", "x", "--type", "choice"], "needs its words");
    refused(
        &["account", "x", "--type", "text", "--choices", "a"],
        "choice fields only",
    );
    refused(
        &["account", "x", "--type", "choice", "--choices", "a,A"],
        "given twice",
    );
    refused(
        &["account", "x", "--type", "ref:stage"],
        "not a kind of record",
    );
    refused(
        &["account", "x", "--type", "ref:nope"],
        "not a kind of record",
    );
    refused(
        &["stage", "x", "--type", "text"],
        "'stage' is not a kind of record",
    );
    k.ok(&[
        "field",
        "add",
        "account",
        "region_code",
        "--type",
        "text",
        "--label",
        "Code",
    ]);
    refused(&["account", "region_code", "--type", "text"], "already has");
    refused(
        &["account", "other", "--type", "text", "--label", "code"],
        "already the name or label",
    );
    refused(
        &["account", "other2", "--type", "text", "--label", "Tier"],
        "already the name or label",
    );
    assert_eq!(arr(&k.json(&["field", "list"])).len(), 1);
}

/// An account kind with a field of each type worth checking.
fn with_fields() -> Kith {
    let k = Kith::new();
    let add = |args: &[&str]| {
        let mut a = vec!["field", "add", "account"];
        a.extend_from_slice(args);
        k.ok(&a);
    };
    add(&[
        "segment",
        "--type",
        "choice",
        "--choices",
        "gold,silver,bronze",
        "--label",
        "等级",
    ]);
    add(&["revenue", "--type", "money"]);
    add(&["since", "--type", "date"]);
    add(&["vip", "--type", "bool"]);
    add(&["labels", "--type", "tags"]);
    add(&["partner", "--type", "ref:account"]);
    add(&["seats", "--type", "int"]);
    add(&["motto", "--type", "text"]);
    k
}

#[test]
fn values_are_set_checked_shown_and_exported() {
    let k = with_fields();
    let acme = k.id(&[
        "account",
        "add",
        "Acme",
        "--segment",
        "gold",
        "--revenue",
        "1,234.50",
        "--since",
        "2026-01-02",
        "--vip",
        "yes",
        "--labels",
        "a",
        "--labels",
        "B",
        "--seats",
        "12",
    ]);
    let beta = k.id(&[
        "account",
        "add",
        "Beta",
        "--field",
        "segment=sil",
        "--field",
        "partner=Acme",
        "--motto",
        "Fast and kind",
    ]);
    let a = k.json(&["account", "show", &acme.to_string()]);
    assert_eq!(a["segment"], json!("gold"));
    assert_eq!(a["revenue"], json!(1234.5));
    assert_eq!(a["since"], json!("2026-01-02"));
    assert_eq!(a["vip"], json!(true));
    assert_eq!(a["labels"], json!(["a", "b"]));
    assert_eq!(a["seats"], json!(12));
    assert_eq!(a["partner"], json!(null));
    let b = k.json(&["account", "show", &beta.to_string()]);
    assert_eq!(b["segment"], json!("silver"));
    assert_eq!(b["partner_id"], json!(acme));
    assert_eq!(b["partner"], json!("Acme"));
    let shown = k.ok(&["account", "show", &beta.to_string()]);
    assert!(shown.contains(" 等级     silver"), "{shown}");
    assert!(shown.contains(" partner  Acme (#1)"), "{shown}");
    let csv = k.ok(&[
        "account",
        "list",
        "--csv",
        "--columns",
        "name,segment,revenue,vip",
    ]);
    assert_eq!(
        csv,
        "name,segment,revenue,vip\nAcme,gold,1234.5,yes\nBeta,silver,,\n"
    );
    // Checked as built-in fields of their types are; nothing written.
    let before = k.snapshot();
    for (args, says) in [
        (
            vec!["--segment", "platinum"],
            "segment: 'platinum' is not one of gold, silver, bronze",
        ),
        (vec!["--revenue", "-5"], "revenue: -5 is negative"),
        (vec!["--since", "someday"], "since:"),
        (vec!["--vip", "perhaps"], "vip:"),
        (vec!["--seats", "many"], "seats:"),
        (vec!["--partner", "Nobody"], "partner:"),
        (vec!["--field", "nope=1"], "account has no field 'nope'"),
        (
            vec!["--field", "segment"],
            "--field segment: give name=value",
        ),
    ] {
        let mut a = vec!["account", "add", "Gamma"];
        a.extend(args.iter().copied());
        let err = k.fails(&a, 2);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    k.fails(&["account", "add", "Gamma", "--nope", "1"], 2);
    assert_eq!(k.snapshot(), before);
    // A database without custom fields has no custom keys.
    let plain = Kith::new();
    plain.ok(&["account", "add", "Plain"]);
    let p = plain.json(&["account", "show", "1"]);
    assert!(
        p.get("segment").is_none() && p.get("custom").is_none(),
        "{p}"
    );
}

#[test]
fn a_required_field_must_be_given_to_new_records() {
    let k = Kith::new();
    k.ok(&[
        "field",
        "add",
        "contact",
        "badge",
        "--type",
        "text",
        "--required",
    ]);
    let err = k.fails(&["contact", "add", "Ann"], 2);
    assert!(err.contains("badge is required"), "{err}");
    k.ok(&["contact", "add", "Ann", "--badge", "A1"]);
    let err = k.fails(&["contact", "edit", "Ann", "--badge", ""], 2);
    assert!(err.contains("badge must not be empty"), "{err}");
}

#[test]
fn changes_are_logged_per_field_and_undone() {
    let k = with_fields();
    k.ok(&[
        "account",
        "add",
        "Acme",
        "--segment",
        "gold",
        "--revenue",
        "100",
    ]);
    k.ok(&[
        "account",
        "edit",
        "Acme",
        "--segment",
        "bronze",
        "--revenue",
        "7.5",
        "--vip",
        "no",
    ]);
    let h = k.json(&["account", "history", "Acme"]);
    let update = arr(&h)
        .into_iter()
        .find(|c| c["op"] == json!("update"))
        .unwrap();
    assert_eq!(
        update["before"],
        json!({"custom.segment": "gold", "custom.revenue": 100.0, "custom.vip": null})
    );
    assert_eq!(
        update["after"],
        json!({"custom.segment": "bronze", "custom.revenue": 7.5, "custom.vip": false})
    );
    k.ok(&["undo", "--yes"]);
    let a = k.json(&["account", "show", "Acme"]);
    assert_eq!(
        (&a["segment"], &a["revenue"], &a["vip"]),
        (&json!("gold"), &json!(100.0), &json!(null))
    );
    // Removing a field keeps its values; bringing it back shows them again.
    k.ok(&["field", "rm", "account", "segment"]);
    let a = k.json(&["account", "show", "Acme"]);
    assert!(a.get("segment").is_none(), "{a}");
    k.fails(&["account", "edit", "Acme", "--field", "segment=gold"], 2);
    k.ok(&["field", "add", "account", "segment", "--type", "choice"]);
    let a = k.json(&["account", "show", "Acme"]);
    assert_eq!(a["segment"], json!("gold"));
}

#[test]
fn custom_fields_filter_and_sort_as_built_in_ones() {
    let k = with_fields();
    for (name, seg, rev, since) in [
        ("A", "gold", "300", "2026-01-05"),
        ("B", "silver", "20", "2026-03-01"),
        ("C", "bronze", "1000.25", "2025-12-31"),
        ("D", "gold", "", ""),
    ] {
        let mut a = vec!["account", "add", name, "--segment", seg];
        if !rev.is_empty() {
            a.extend(["--revenue", rev, "--since", since]);
        }
        k.ok(&a);
    }
    k.ok(&[
        "account",
        "edit",
        "B",
        "--motto",
        "Never give up",
        "--labels",
        "vip",
    ]);
    let names = |args: &[&str]| {
        let mut a = vec!["account", "list"];
        a.extend_from_slice(args);
        col(&k.json(&a), "name")
    };
    assert_eq!(names(&["segment:gold"]), vec![json!("A"), json!("D")]);
    assert_eq!(names(&["segment:gold", "revenue>100"]), vec![json!("A")]);
    assert_eq!(
        names(&["revenue>=20", "revenue<=300"]),
        vec![json!("A"), json!("B")]
    );
    assert_eq!(names(&["since<2026-01-01"]), vec![json!("C")]);
    assert_eq!(names(&["motto.has:give"]), vec![json!("B")]);
    assert_eq!(names(&["give"]), vec![json!("B")]);
    assert_eq!(names(&["labels:vip"]), vec![json!("B")]);
    assert_eq!(
        names(&["--sort", "segment,name"]),
        vec![json!("A"), json!("D"), json!("B"), json!("C")]
    );
    assert_eq!(
        names(&["--sort", "-revenue"]),
        vec![json!("C"), json!("A"), json!("B"), json!("D")]
    );
    let err = k.fails(&["account", "list", "segment:platinum"], 2);
    assert!(err.contains("not one of gold, silver, bronze"), "{err}");
    let err = k.fails(&["account", "list", "--sort", "nope"], 2);
    assert!(err.contains("segment"), "{err}");
}

#[test]
fn the_dump_keeps_definitions_and_values_and_loads_them_back() {
    let k = with_fields();
    k.ok(&[
        "account",
        "add",
        "Acme",
        "--segment",
        "gold",
        "--revenue",
        "5.5",
    ]);
    k.ok(&["field", "rm", "account", "seats"]);
    let path = k.dir.path().join("all.json");
    k.ok(&["export", "json", "--all", "-o", path.to_str().unwrap()]);
    let dump: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let defs = arr(&dump["tables"]["custom_fields"]);
    assert_eq!(defs.len(), 8);
    assert_eq!(defs[6]["name"], json!("seats"));
    assert_eq!(defs[6]["hidden"], json!(1));
    let other = Kith::new();
    other.ok(&["import", "json", path.to_str().unwrap()]);
    let a = other.json(&["account", "show", "Acme"]);
    assert_eq!(
        (&a["segment"], &a["revenue"]),
        (&json!("gold"), &json!(5.5))
    );
    assert_eq!(
        col(&other.json(&["account", "list", "segment:gold"]), "name"),
        vec![json!("Acme")]
    );
    assert_eq!(
        other.json(&["field", "list", "--all"]),
        k.json(&["field", "list", "--all"])
    );
    assert_eq!(
        other.ok(&["export", "json", "--all"]),
        k.ok(&["export", "json", "--all"])
    );
    other.ok(&["check"]);
    // A database without custom fields dumps no trace of them.
    let plain = Kith::new();
    plain.ok(&["account", "add", "Plain"]);
    let d = plain.ok(&["export", "json", "--all"]);
    assert!(!d.contains("custom"), "{d}");
}

#[test]
fn csv_import_reads_a_custom_field_by_name_or_label() {
    let k = Kith::new();
    k.ok(&[
        "field",
        "add",
        "account",
        "grp",
        "--type",
        "choice",
        "--choices",
        "alpha,beta",
        "--label",
        "客户分群",
    ]);
    k.ok(&["field", "add", "account", "revenue", "--type", "money"]);
    let file = k.dir.path().join("a.csv");
    std::fs::write(
        &file,
        "name,客户分群,Revenue,city\nZed,beta,12.5,Paris\nYak,Alpha,,Rome\n",
    )
    .unwrap();
    k.ok(&[
        "import",
        "csv",
        file.to_str().unwrap(),
        "--entity",
        "account",
    ]);
    let list = k.json(&["account", "list", "--sort", "name"]);
    assert_eq!(col(&list, "grp"), vec![json!("alpha"), json!("beta")]);
    assert_eq!(col(&list, "revenue"), vec![json!(null), json!(12.5)]);
    let file = k.dir.path().join("b.csv");
    std::fs::write(&file, "name,group\nWho,gamma\n").unwrap();
    let err = k.fails(
        &[
            "import",
            "csv",
            file.to_str().unwrap(),
            "--entity",
            "account",
            "--map",
            "group=grp",
        ],
        2,
    );
    assert!(err.contains("'gamma' is not one of alpha, beta"), "{err}");
    let csv = k.ok(&["export", "csv", "--entity", "account"]);
    assert!(csv.starts_with("id,name,"), "{csv}");
    assert!(csv.contains(",grp,revenue,created_at,"), "{csv}");
    assert!(csv.contains(",beta,12.5,"), "{csv}");
}

#[test]
fn a_merge_fills_custom_fields_and_moves_custom_links() {
    let k = Kith::new();
    k.ok(&[
        "field",
        "add",
        "account",
        "segment",
        "--type",
        "choice",
        "--choices",
        "gold,silver",
    ]);
    k.ok(&["field", "add", "deal", "partner", "--type", "ref:account"]);
    k.ok(&["account", "add", "Acme"]);
    k.ok(&[
        "account",
        "add",
        "Acme Ltd",
        "--segment",
        "gold",
        "--allow-duplicate",
    ]);
    k.ok(&["deal", "add", "D1", "--partner", "Acme Ltd"]);
    k.ok(&["merge", "account", "1", "2"]);
    assert_eq!(k.json(&["account", "show", "1"])["segment"], json!("gold"));
    let d = k.json(&["deal", "show", "D1"]);
    assert_eq!(
        (&d["partner_id"], &d["partner"]),
        (&json!(1), &json!("Acme"))
    );
    k.ok(&["undo", "--yes"]);
    assert_eq!(k.json(&["account", "show", "1"])["segment"], json!(null));
    assert_eq!(k.json(&["deal", "show", "D1"])["partner_id"], json!(2));
}

#[test]
fn text_custom_fields_are_searched_and_others_are_not() {
    let k = with_fields();
    k.ok(&["field", "add", "contact", "nickname", "--type", "text"]);
    let acme = k.id(&["account", "add", "Acme", "--motto", "Zephyr quality"]);
    k.id(&["account", "add", "Globex", "--seats", "424242"]);
    k.id(&["contact", "add", "Ann Lee", "--nickname", "Zephyrine"]);
    let hits = k.json(&["search", "zephyr"]);
    let found: Vec<(serde_json::Value, serde_json::Value)> = arr(&hits)
        .iter()
        .map(|h| (h["kind"].clone(), h["name"].clone()))
        .collect();
    assert_eq!(
        found,
        vec![
            (json!("account"), json!("Acme")),
            (json!("contact"), json!("Ann Lee"))
        ]
    );
    // The value is in the hit's detail line, which says why it was found.
    assert_eq!(arr(&hits)[0]["detail"], json!("Zephyr quality"));
    assert_eq!(arr(&hits)[0]["id"], json!(acme));
    // A number is not text: not searched.
    assert_eq!(k.json(&["search", "424242"]), json!([]));
    // A removed field is not searched either.
    k.ok(&["field", "rm", "contact", "nickname"]);
    let kinds = col(&k.json(&["search", "zephyr"]), "kind");
    assert_eq!(kinds, vec![json!("account")]);
}

#[test]
fn reports_group_by_a_custom_field() {
    let k = Kith::new();
    k.ok(&[
        "field",
        "add",
        "deal",
        "segment",
        "--type",
        "choice",
        "--choices",
        "gold,silver",
    ]);
    k.ok(&["field", "add", "activity", "channel", "--type", "text"]);
    k.ok(&["account", "add", "Acme"]);
    for (t, amount, seg) in [
        ("A", "1000", "gold"),
        ("B", "500", "gold"),
        ("C", "300", "silver"),
    ] {
        k.ok(&[
            "deal",
            "add",
            t,
            "--account",
            "Acme",
            "--amount",
            amount,
            "--currency",
            "CNY",
            "--segment",
            seg,
        ]);
    }
    k.ok(&["deal", "won", "A"]);
    k.ok(&["deal", "lost", "B", "--reason", "price"]);
    k.ok(&["deal", "won", "C"]);
    // By hand: gold won A (1000) and lost B (500), a rate of 1/2; silver won C (300).
    let rows = k.json(&["report", "winloss", "--by", "segment"]);
    let got: Vec<(String, i64, i64, f64, f64, f64)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["segment"].as_str().unwrap().to_string(),
                r["won"].as_i64().unwrap(),
                r["lost"].as_i64().unwrap(),
                r["win_rate"].as_f64().unwrap(),
                r["won_amount"].as_f64().unwrap(),
                r["lost_amount"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("gold".to_string(), 1, 1, 0.5, 1000.0, 500.0),
            ("silver".to_string(), 1, 0, 1.0, 300.0, 0.0)
        ]
    );
    k.ok(&[
        "log",
        "call",
        "X",
        "--account",
        "Acme",
        "--channel",
        "wechat",
    ]);
    k.ok(&[
        "log",
        "visit",
        "Y",
        "--account",
        "Acme",
        "--channel",
        "wechat",
    ]);
    k.ok(&["log", "call", "Z", "--account", "Acme"]);
    let act = k.json(&["report", "activity", "--by", "channel"]);
    let got: Vec<(String, i64, i64, i64)> = act["activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["channel"].as_str().unwrap().to_string(),
                r["calls"].as_i64().unwrap(),
                r["visits"].as_i64().unwrap(),
                r["total"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("(none)".to_string(), 1, 0, 1),
            ("wechat".to_string(), 1, 1, 2)
        ]
    );
    // A field that is not there is named with the ones that are, custom ones too.
    let err = k.fails(&["report", "winloss", "--by", "colour"], 2);
    assert!(
        err.contains("fields are:") && err.contains("segment"),
        "{err}"
    );
}
