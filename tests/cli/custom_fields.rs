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
