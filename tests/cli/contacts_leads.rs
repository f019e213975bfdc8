use serde_json::json;

use crate::{arr, col, fixture, Kith};

#[test]
fn contacts_have_several_emails_and_phones() {
    let k = fixture();
    let id = k.id(&[
        "contact",
        "add",
        "Sarah Jones",
        "--account",
        "Acme Logistics",
        "--title",
        "IT Director",
        "--role",
        "decision maker",
        "--email",
        "sarah@acme.com",
        "--email",
        "s.jones@gmail.com",
        "--phone",
        "+1 415 555 0101, +1 415 555 0199",
        "--birthday",
        "1990-03-14",
        "--tag",
        "champion",
    ]);
    let c = k.json(&["contact", "show", &id.to_string()]);
    assert_eq!(c["name"], "Sarah Jones");
    assert_eq!(c["account_id"], 2);
    assert_eq!(c["account"], "Acme Logistics");
    assert_eq!(c["email"], "sarah@acme.com");
    assert_eq!(c["emails"], json!(["sarah@acme.com", "s.jones@gmail.com"]));
    assert_eq!(c["phone"], "+1 415 555 0101");
    assert_eq!(c["phones"], json!(["+1 415 555 0101", "+1 415 555 0199"]));
    assert_eq!(c["birthday"], "1990-03-14");
    assert_eq!(c["role"], "decision maker");
    // Filters look into every email.
    assert_eq!(
        col(
            &k.json(&["contact", "list", "email:s.jones@gmail.com"]),
            "id"
        ),
        vec![json!(id)]
    );
    assert_eq!(
        col(&k.json(&["contact", "list", "email.has:gmail"]), "id"),
        vec![json!(id)]
    );
    // Editing the emails replaces them.
    k.ok(&["contact", "edit", "Sarah", "--email", "sarah@acme.io"]);
    assert_eq!(
        k.json(&["contact", "show", "Sarah"])["emails"],
        json!(["sarah@acme.io"])
    );
    let err = k.fails(
        &[
            "contact", "add", "X", "--email", "ok@x.com", "--email", "broken",
        ],
        2,
    );
    assert!(
        err.contains("email: 'broken' is not an email address"),
        "{err}"
    );
    let err = k.fails(&["contact", "add", "X", "--birthday", "1990-02-30"], 2);
    assert!(err.contains("birthday"), "{err}");
}

#[test]
fn contacts_without_an_account_are_fine() {
    let k = Kith::new();
    let id = k.id(&["contact", "add", "李雷"]);
    let c = k.json(&["contact", "show", "李雷"]);
    assert_eq!(c["id"], id);
    assert_eq!(c["account_id"], json!(null));
    assert_eq!(c["emails"], json!([]));
    assert_eq!(c["email"], json!(null));
}

#[test]
fn leads_move_through_their_statuses() {
    let k = Kith::new();
    let id = k.id(&[
        "lead",
        "add",
        "Li Lei",
        "--company",
        "Sunshine Pharma",
        "--source",
        "exhibition",
        "--email",
        "li@sunshine.cn",
        "--phone",
        "13800138000",
        "--score",
        "70",
    ]);
    let l = k.json(&["lead", "show", "Li Lei"]);
    assert_eq!(
        (l["id"].clone(), l["status"].clone(), l["score"].clone()),
        (json!(id), json!("new"), json!(70))
    );
    assert_eq!(l["company"], "Sunshine Pharma");
    assert_eq!(l["source"], "exhibition");
    k.ok(&["lead", "edit", "Li Lei", "--status", "contacted"]);
    k.ok(&["lead", "edit", "Li Lei", "--status", "qual"]);
    assert_eq!(k.json(&["lead", "show", "1"])["status"], "qualified");
    let err = k.fails(&["lead", "edit", "1", "--status", "converted"], 2);
    assert!(err.contains("kith lead convert"), "{err}");
    let err = k.fails(&["lead", "edit", "1", "--score", "101"], 2);
    assert!(err.contains("score: 101 is out of range 0–100"), "{err}");
}

#[test]
fn convert_makes_account_contact_and_deal_in_one_step() {
    let k = Kith::new();
    k.id(&[
        "lead",
        "add",
        "Li Lei",
        "--company",
        "Sunshine Pharma",
        "--source",
        "exhibition",
        "--email",
        "li@sunshine.cn",
        "--tag",
        "hot",
    ]);
    let out = k.ok(&[
        "lead",
        "convert",
        "Li Lei",
        "--deal",
        "ERP rollout",
        "--amount",
        "300k",
        "--close",
        "+30d",
        "--stage",
        "proposal",
    ]);
    assert_eq!(out, "account 1\ncontact 1\ndeal 1\n");
    let l = k.json(&["lead", "show", "1"]);
    assert_eq!(l["status"], "converted");
    assert_eq!(
        (
            l["converted_account_id"].clone(),
            l["converted_contact_id"].clone(),
            l["converted_deal_id"].clone()
        ),
        (json!(1), json!(1), json!(1))
    );
    assert_eq!(l["converted_at"], "2026-11-22T10:00:00Z");
    let a = k.json(&["account", "show", "1"]);
    assert_eq!(a["name"], "Sunshine Pharma");
    assert_eq!(a["source"], "exhibition");
    let c = k.json(&["contact", "show", "1"]);
    assert_eq!(
        (
            c["name"].clone(),
            c["account_id"].clone(),
            c["email"].clone()
        ),
        (json!("Li Lei"), json!(1), json!("li@sunshine.cn"))
    );
    assert_eq!(c["tags"], json!(["hot"]));
    let d = k.json(&["deal", "show", "1"]);
    assert_eq!(d["title"], "ERP rollout");
    assert_eq!(
        (d["account_id"].clone(), d["contact_id"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(d["amount"], 300000.0);
    assert_eq!(d["stage"], "proposal");
    assert_eq!(d["expected_close"], "2026-12-22");
    assert_eq!(d["source"], "exhibition");
    let err = k.fails(&["lead", "convert", "1"], 2);
    assert!(err.contains("already converted"), "{err}");
}

#[test]
fn convert_links_to_an_existing_account_and_json_names_the_ids() {
    let k = fixture();
    k.id(&["lead", "add", "陈静", "--company", "广州白云国际机场"]);
    let v = k.json(&["lead", "convert", "陈静"]);
    assert_eq!(v["account_id"], 1);
    assert_eq!(v["account_created"], false);
    assert_eq!(v["contact_id"], 2);
    assert_eq!(v["contact_created"], true);
    assert_eq!(v["deal_id"], json!(null));
    assert_eq!(
        arr(&k.json(&["account", "list"])).len(),
        3,
        "no new account"
    );
    // A lead with no company becomes a person account.
    k.id(&["lead", "add", "Tom Walker"]);
    let v = k.json(&["lead", "convert", "Tom"]);
    assert_eq!(
        k.json(&["account", "show", &v["account_id"].to_string()])["kind"],
        "person"
    );
}

#[test]
fn a_failing_convert_writes_nothing() {
    let k = Kith::new();
    k.id(&["lead", "add", "Li Lei", "--company", "Sunshine Pharma"]);
    let before = k.snapshot();
    let err = k.fails(
        &[
            "lead", "convert", "1", "--deal", "ERP", "--stage", "nonsense",
        ],
        2,
    );
    assert!(err.contains("no stage 'nonsense'"), "{err}");
    let err = k.fails(&["lead", "convert", "1", "--amount", "5"], 2);
    assert!(err.contains("--deal"), "{err}");
    assert_eq!(k.snapshot(), before);
    assert_eq!(k.json(&["lead", "show", "1"])["status"], "new");
}
