//! Files Chinese users exchange — CSV for Excel on Chinese Windows, vCard and iCalendar with
//! Chinese text — and Chinese phone numbers, through the real binary.

use serde_json::{json, Value};

use crate::{arr, Kith};

/// A contact's or account's `add` that should be refused as a duplicate: its message.
fn refused(k: &Kith, args: &[&str]) -> String {
    k.fails(args, 2)
}

#[test]
fn a_phone_written_any_way_is_one_number_for_duplicate_checks() {
    let k = Kith::new();
    assert_eq!(
        k.id(&["contact", "add", "王芳", "--phone", "+86 138 0013 8000"]),
        1
    );
    for written in [
        "13800138000",
        "138-0013-8000",
        "0086 13800138000",
        "+86-138-0013-8000",
    ] {
        let err = refused(&k, &["contact", "add", "李娜", "--phone", written]);
        assert!(
            err.contains(
                "looks like a duplicate of contact 1 '王芳' (same phone +86 138 0013 8000)"
            ),
            "{written}: {err}"
        );
    }
    // Another mobile number with the same last eight digits is another person's.
    assert_eq!(
        k.id(&["contact", "add", "张伟", "--phone", "139 0013 8000"]),
        2
    );
    // Landlines keep their area codes: 020 is Guangzhou, 0755 Shenzhen.
    assert_eq!(
        k.id(&[
            "account",
            "add",
            "广州白云国际机场",
            "--phone",
            "020-8888 8888"
        ]),
        1
    );
    for written in ["(020) 88888888", "+86 20 8888 8888"] {
        let err = refused(&k, &["account", "add", "白云机场", "--phone", written]);
        assert!(
            err.contains("account 1 '广州白云国际机场' (same phone 020-8888 8888)"),
            "{written}: {err}"
        );
    }
    assert_eq!(
        k.id(&["account", "add", "深圳湾科技", "--phone", "0755-8888 8888"]),
        2
    );
    let err = refused(
        &k,
        &["account", "add", "深圳湾", "--phone", "+86 755 8888 8888"],
    );
    assert!(
        err.contains("account 2 '深圳湾科技' (same phone 0755-8888 8888)"),
        "{err}"
    );
    // In Chinese too.
    let err = refused(
        &k,
        &[
            "--lang",
            "zh-CN",
            "contact",
            "add",
            "李娜",
            "--phone",
            "13800138000",
        ],
    );
    assert!(
        err.contains("疑似与 联系人 1 '王芳' 重复（电话相同：+86 138 0013 8000）"),
        "{err}"
    );

    // An import compares its rows with the records and with each other (赵磊 is made
    // contact 3 by this import: the row before his is refused).
    let csv = k.dir.path().join("contacts.csv");
    std::fs::write(
        &csv,
        "姓名,手机\n李娜,0086 138-0013-8000\n赵磊,+86 137 0000 1111\n钱一,13700001111\n孙二,137 0000 1112\n",
    )
    .unwrap();
    let before = k.snapshot();
    let err = k.fails(
        &[
            "import",
            "csv",
            csv.to_str().unwrap(),
            "--entity",
            "contact",
        ],
        2,
    );
    assert!(
        err.contains(
            "line 2: looks like a duplicate of contact 1 '王芳' (same phone +86 138 0013 8000)"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "line 4: looks like a duplicate of contact 3 '赵磊' (same phone +86 137 0000 1111)"
        ),
        "{err}"
    );
    assert!(!err.contains("line 3") && !err.contains("line 5"), "{err}");
    assert_eq!(k.snapshot(), before, "nothing written");

    // Added anyway, `dedupe` pairs them, and only them.
    k.ok(&[
        "import",
        "csv",
        csv.to_str().unwrap(),
        "--entity",
        "contact",
        "--allow-duplicate",
    ]);
    let pairs = k.json(&["dedupe", "--entity", "contact"]);
    let got: Vec<(i64, i64, Value)> = arr(&pairs)
        .iter()
        .map(|p| {
            (
                p["a"].as_i64().unwrap(),
                p["b"].as_i64().unwrap(),
                p["reasons"].clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (1, 3, json!(["same phone 0086 138-0013-8000"])),
            (4, 5, json!(["same phone 13700001111"])),
        ]
    );
    k.ok(&["check"]);
}

#[test]
fn a_local_number_without_its_area_code_matches_the_numbers_it_ends() {
    let k = Kith::new();
    k.id(&[
        "account",
        "add",
        "广州白云国际机场",
        "--phone",
        "(020) 3606 6999",
    ]);
    let err = refused(&k, &["account", "add", "白云", "--phone", "3606 6999"]);
    assert!(
        err.contains("account 1 '广州白云国际机场' (same phone (020) 3606 6999)"),
        "{err}"
    );
    // Another country's number written without its code, and with it.
    k.id(&["contact", "add", "Sam Lee", "--phone", "(415) 555-0101"]);
    let err = refused(
        &k,
        &["contact", "add", "S. Lee", "--phone", "+1 415 555 0101"],
    );
    assert!(err.contains("(same phone (415) 555-0101)"), "{err}");
    // Too short to say anything.
    k.id(&["account", "add", "工商银行", "--phone", "95588"]);
    k.id(&["account", "add", "工商银行广州分行", "--phone", "95588"]);
}

#[test]
fn search_finds_a_phone_however_it_is_written() {
    let k = Kith::new();
    k.id(&[
        "account",
        "add",
        "广州白云国际机场",
        "--phone",
        "(020) 88888888",
    ]);
    k.id(&[
        "contact",
        "add",
        "王芳",
        "--account",
        "1",
        "--title",
        "采购经理",
        "--phone",
        "+86 138-0013-8000",
    ]);
    k.id(&["contact", "add", "张伟", "--phone", "139 0013 8000"]);
    k.id(&["lead", "add", "李娜", "--phone", "+86 138 0013 8001"]);
    let hits = |args: &[&str]| -> Vec<(String, i64, String, i64)> {
        let mut a = vec!["search"];
        a.extend_from_slice(args);
        arr(&k.json(&a))
            .iter()
            .map(|h| {
                (
                    h["kind"].as_str().unwrap().to_string(),
                    h["id"].as_i64().unwrap(),
                    h["detail"].as_str().unwrap().to_string(),
                    h["score"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let wang = vec![(
        "contact".to_string(),
        1,
        "广州白云国际机场 采购经理 +86 138-0013-8000".to_string(),
        2000,
    )];
    for q in [
        &["13800138000"][..],
        &["138-0013-8000"],
        &["0086 13800138000"],
        &["+86", "138", "0013", "8000"],
    ] {
        assert_eq!(hits(q), wang, "{q:?}");
    }
    assert_eq!(
        hits(&["020-8888-8888"]),
        vec![("account".to_string(), 1, "(020) 88888888".to_string(), 2000)]
    );
    assert_eq!(
        hits(&["+86 139 0013 8000"]),
        vec![("contact".to_string(), 2, "139 0013 8000".to_string(), 2000)]
    );
    // A number nobody has: nothing, exit status 1.
    let err = k.fails(&["search", "13700001111"], 1);
    assert!(err.contains("nothing matches '13700001111'"), "{err}");
    // The trash is searched by nobody.
    k.ok(&["contact", "rm", "1"]);
    k.fails(&["search", "13800138000"], 1);
}
