use serde_json::json;

use crate::{arr, col, fixture, Kith};

#[test]
fn add_prints_the_id_alone_and_list_shows_the_contract_fields() {
    let k = Kith::new();
    let out = k.ok(&[
        "account",
        "add",
        "广州白云国际机场",
        "--type",
        "customer",
        "--tier",
        "a",
        "--industry",
        "aviation",
        "--owner",
        "lin",
        "--phone",
        "+86 20 3606 6999",
        "--email",
        "info@baiyun.cn",
        "--website",
        "baiyun.cn",
        "--city",
        "广州",
        "--tag",
        "VIP",
        "--tag",
        "重点",
    ]);
    assert_eq!(out, "1\n");
    let child = k.id(&[
        "account",
        "add",
        "白云物流",
        "--parent",
        "广州白云国际机场",
        "--kind",
        "company",
    ]);
    assert_eq!(child, 2);
    let list = k.json(&["account", "list"]);
    let find = |id: i64| {
        arr(&list)
            .into_iter()
            .find(|a| a["id"] == id)
            .expect("listed")
    };
    let a = &find(1);
    assert_eq!(a["id"], 1);
    assert_eq!(a["name"], "广州白云国际机场");
    assert_eq!(a["kind"], "company");
    assert_eq!(a["type"], "customer");
    assert_eq!(a["tier"], "A");
    assert_eq!(a["status"], "active");
    assert_eq!(a["industry"], "aviation");
    assert_eq!(a["owner"], "lin");
    assert_eq!(a["parent_id"], json!(null));
    assert_eq!(a["tags"], json!(["vip", "重点"]));
    assert_eq!(a["created_at"], "2026-11-22T10:00:00Z");
    assert_eq!(a["updated_at"], "2026-11-22T10:00:00Z");
    let b = &find(2);
    assert_eq!(b["parent_id"], 1);
    assert_eq!(b["parent"], "广州白云国际机场");
    assert_eq!(
        b["owner"], "tester",
        "the owner defaults to the acting user"
    );
    assert_eq!(b["type"], "prospect");
}

#[test]
fn show_is_the_360_view() {
    let k = fixture();
    k.id(&[
        "log",
        "visit",
        "季度拜访",
        "--account",
        "1",
        "--contact",
        "王芳",
        "--at",
        "2026-11-20 15:00",
    ]);
    k.id(&[
        "task",
        "add",
        "发送报价",
        "--account",
        "1",
        "--due",
        "tomorrow",
    ]);
    k.id(&["account", "add", "白云货运", "--parent", "1"]);
    let v = k.json(&["account", "show", "广州白云国际机场"]);
    assert_eq!(v["id"], 1);
    assert_eq!(col(&v["contacts"], "name"), vec![json!("王芳")]);
    assert_eq!(
        col(&v["open_deals"], "title"),
        vec![json!("航站楼系统升级")]
    );
    assert_eq!(
        col(&v["recent_activities"], "subject"),
        vec![json!("季度拜访")]
    );
    assert_eq!(col(&v["open_tasks"], "title"), vec![json!("发送报价")]);
    assert_eq!(col(&v["children"], "name"), vec![json!("白云货运")]);
    let table = k.ok(&["account", "show", "1"]);
    assert!(
        table.starts_with("account 1  广州白云国际机场\n"),
        "{table}"
    );
    assert!(table.contains("Contacts (1)"), "{table}");
    assert!(table.contains("Children (1)"), "{table}");
}

#[test]
fn references_by_id_exact_name_prefix_and_part() {
    let k = fixture();
    assert_eq!(k.json(&["account", "show", "#2"])["name"], "Acme Logistics");
    assert_eq!(k.json(&["account", "show", "acme logistics"])["id"], 2);
    assert_eq!(k.json(&["account", "show", "Acme S"])["id"], 3);
    assert_eq!(k.json(&["account", "show", "白云"])["id"], 1);
    let err = k.fails(&["account", "edit", "Acme", "--tier", "A"], 2);
    assert!(
        err.contains("Acme Logistics") && err.contains("Acme Shenzhen"),
        "{err}"
    );
    assert!(err.contains("give the id"), "{err}");
    let err = k.fails(&["account", "edit", "Nobody", "--tier", "A"], 2);
    assert!(err.contains("no account named 'Nobody'"), "{err}");
}

#[test]
fn show_of_nothing_exits_1_and_list_of_nothing_exits_1() {
    let k = fixture();
    let err = k.fails(&["account", "show", "999"], 1);
    assert!(err.contains("no account with id 999"), "{err}");
    k.fails(&["account", "show", "Nobody"], 1);
    let out = k.run(&["account", "list", "tier:C", "city:Beijing", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}

#[test]
fn edit_changes_tags_and_clears_fields() {
    let k = fixture();
    k.ok(&[
        "account",
        "edit",
        "1",
        "--tier",
        "B",
        "--tag",
        "key",
        "--untag",
        "vip",
        "--industry",
        "",
        "--name",
        "白云机场",
    ]);
    let a = k.json(&["account", "show", "1"]);
    assert_eq!(a["tier"], "B");
    assert_eq!(a["tags"], json!(["key"]));
    assert_eq!(a["industry"], json!(null));
    assert_eq!(a["name"], "白云机场");
    let err = k.fails(&["account", "edit", "1"], 2);
    assert!(err.contains("nothing to change"), "{err}");
    let err = k.fails(&["account", "edit", "1", "--name", ""], 2);
    assert!(err.contains("name must not be empty"), "{err}");
}

#[test]
fn bad_input_exits_2_names_the_problem_and_writes_nothing() {
    let k = fixture();
    let before = k.snapshot();
    for (args, want) in [
        (
            vec!["account", "add", "X", "--tier", "D"],
            "tier: 'D' is not one of A, B, C",
        ),
        (
            vec!["account", "add", "X", "--type", "friend"],
            "type: 'friend' is not one of",
        ),
        (
            vec!["account", "add", "X", "--email", "not-an-email"],
            "email: 'not-an-email' is not an email address",
        ),
        (
            vec!["account", "add", "X", "--phone", "call me"],
            "phone: 'call me' is not a phone number",
        ),
        (
            vec!["account", "add", "X", "--parent", "Nowhere"],
            "parent: no account named 'Nowhere'",
        ),
        (
            vec!["account", "add", "X", "--tag", "two words"],
            "a tag is one word",
        ),
        (vec!["account", "add", "   "], "name must not be empty"),
        (
            vec!["account", "edit", "2", "--parent", "3"],
            "parent: account 3 is account 2 itself or one of its branches",
        ),
        (vec!["account", "edit", "1", "--parent", "1"], "itself"),
        (
            vec!["account", "list", "nosuch:1"],
            "unknown field 'nosuch' for accounts",
        ),
        (
            vec!["account", "list", "--sort", "nosuch"],
            "--sort: unknown field 'nosuch'",
        ),
        (
            vec!["account", "list", "created<someday"],
            "bad date 'someday'",
        ),
        (
            vec!["account", "list", "tier:Z"],
            "'Z' is not one of A, B, C",
        ),
        (
            vec!["account", "list", "--columns", "name,bogus"],
            "--columns: unknown field 'bogus'",
        ),
        (
            vec!["account", "rm", "1", "Nobody"],
            "no account named 'Nobody'",
        ),
    ] {
        let err = k.fails(&args, 2);
        assert!(
            err.contains(want),
            "kith {args:?}: wanted {want:?} in:\n{err}"
        );
        assert!(err.starts_with("kith: "), "{err}");
    }
    k.fails(&["account", "add"], 2);
    k.fails(&["account", "frobnicate"], 2);
    assert_eq!(
        k.snapshot(),
        before,
        "a refused command changed the database"
    );
}

#[test]
fn rm_moves_to_the_trash_and_restore_brings_back() {
    let k = fixture();
    k.ok(&["account", "rm", "Acme Shenzhen", "2"]);
    assert_eq!(col(&k.json(&["account", "list"]), "id"), vec![json!(1)]);
    assert_eq!(
        col(&k.json(&["account", "list", "--trash"]), "id"),
        vec![json!(2), json!(3)]
    );
    // A trashed record cannot be edited or linked to, but can be shown by id.
    let err = k.fails(&["account", "edit", "2", "--tier", "A"], 2);
    assert!(err.contains("in the trash"), "{err}");
    let err = k.fails(&["deal", "add", "X", "--account", "2"], 2);
    assert!(err.contains("in the trash"), "{err}");
    assert!(k.json(&["account", "show", "2"])["deleted_at"].is_string());
    k.ok(&["account", "restore", "Acme Logistics", "3"]);
    assert_eq!(arr(&k.json(&["account", "list"])).len(), 3);
    let err = k.fails(&["account", "restore", "1"], 2);
    assert!(err.contains("not in the trash"), "{err}");
}

#[test]
fn history_records_who_when_before_and_after() {
    let k = fixture();
    k.cmd()
        .args(["account", "edit", "2", "--tier", "A", "--as", "lin"])
        .env("KITH_NOW", "2026-11-23T08:00")
        .assert()
        .success();
    k.ok(&["account", "rm", "2"]);
    k.ok(&["account", "restore", "2"]);
    let h = k.json(&["account", "history", "2"]);
    let ops: Vec<_> = col(&h, "op");
    assert_eq!(
        ops,
        vec![
            json!("create"),
            json!("update"),
            json!("trash"),
            json!("restore")
        ]
    );
    let upd = &arr(&h)[1];
    assert_eq!(upd["user"], "lin");
    assert_eq!(upd["at"], "2026-11-23T08:00:00Z");
    assert_eq!(upd["before"], json!({"tier": "B"}));
    assert_eq!(upd["after"], json!({"tier": "A"}));
    assert_eq!(arr(&h)[0]["user"], "tester");
    assert_eq!(arr(&h)[0]["after"]["name"], "Acme Logistics");
    let csv = k.ok(&["account", "history", "2", "--csv"]);
    assert!(
        csv.starts_with("change,at,user,op,field,before,after\n"),
        "{csv}"
    );
    assert!(csv.contains(",lin,update,tier,B,A\n"), "{csv}");
}

#[test]
fn tables_align_chinese_text_and_have_no_colour() {
    let k = fixture();
    let out = k.ok(&["account", "list", "--columns", "id,name,city"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(!out.contains('\x1b'), "colour with NO_COLOR set");
    // The CITY column starts at the same display column on every line.
    use unicode_width::UnicodeWidthStr;
    let starts: Vec<usize> = lines
        .iter()
        .map(|l| {
            let city = ["CITY", "广州", "Shanghai"].iter().find_map(|c| l.rfind(c));
            match city {
                Some(i) => l[..i].width(),
                None => l.width() + 1,
            }
        })
        .collect();
    assert_eq!(starts[0], starts[1], "{out}");
    assert_eq!(starts[0], starts[3], "{out}");
}
