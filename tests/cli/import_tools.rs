//! Files exported by other tools (Outlook, Google, Thunderbird, Salesforce, HubSpot, Odoo,
//! Zoho, LinkedIn, Pipedrive, Chinese CRMs): what comes in, field by field.

use serde_json::{json, Value};

use crate::{arr, Kith};

fn data(path: &str) -> String {
    format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// Write a file into the test's directory, returning its path.
fn file(k: &Kith, name: &str, text: &str) -> String {
    let p = k.dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// The deals as (title, stage, status), in id order.
fn deals(k: &Kith) -> Vec<(String, String, String)> {
    let mut all = arr(&k.json(&["deal", "list", "--sort", "id"]));
    all.sort_by_key(|d| d["id"].as_i64());
    all.iter()
        .map(|d| {
            (
                d["title"].as_str().unwrap_or_default().to_string(),
                d["stage"].as_str().unwrap_or_default().to_string(),
                d["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn t(title: &str, stage: &str, status: &str) -> (String, String, String) {
    (title.into(), stage.into(), status.into())
}

#[test]
fn salesforce_stages_come_in_by_name_and_by_the_usual_words() {
    let k = Kith::new();
    let out = k.ok(&[
        "import",
        "csv",
        &data("csv/salesforce_opportunities.csv"),
        "--entity",
        "deal",
    ]);
    assert!(out.starts_with("created 11, updated 0"), "{out}");
    assert_eq!(
        deals(&k),
        vec![
            t("Dickenson Mobile Generators", "qualification", "open"),
            t(
                "United Oil Office Portable Generators",
                "negotiation",
                "open"
            ),
            t("Express Logistics Standby Generator", "won", "won"),
            t("GenePoint Lab Generators", "needs analysis", "open"),
            t("Grand Hotels Kitchen Generator", "lost", "lost"),
            t("Edge Emergency Generator", "qualification", "open"),
            t("University of AZ Installations", "proposal", "open"),
            t("Burlington Textiles Weaving Plant Generator", "won", "won"),
            t("Pyramid Emergency Generators", "needs analysis", "open"),
            t("sForce", "needs analysis", "open"),
            t("Omega Standby Generators", "needs analysis", "open"),
        ]
    );
    let won = k.json(&["deal", "show", "Express Logistics Standby Generator"]);
    assert_eq!(
        (won["amount"].clone(), won["probability"].clone()),
        (json!(220000.0), json!(100))
    );
    // Closed on its close date, not today.
    assert_eq!(won["closed_at"], json!("2026-10-02T12:00:00Z"));
}

#[test]
fn unknown_stage_and_tier_values_are_named_at_once_with_counts_and_map_values_maps_them() {
    let k = Kith::new();
    let path = file(
        &k,
        "deals.csv",
        "Deal Name,Stage,Amount\n\
         A,Verbal Commit,10\n\
         B,On Hold,20\n\
         C,Verbal Commit,30\n\
         D,Closed Won,40\n",
    );
    let before = k.snapshot();
    let err = k.fails(&["import", "csv", &path, "--entity", "deal"], 2);
    assert!(
        err.contains(
            "stage: 2 values kith does not know: 'Verbal Commit' (2 rows), 'On Hold' (1 row); \
             map them with --map-values stage:'Verbal Commit=qualification,On Hold=qualification' \
             (it takes: qualification, needs analysis, proposal, negotiation, won, lost)"
        ),
        "{err}"
    );
    assert!(
        err.contains("line 2, column Stage: pipeline 'sales' has no stage 'Verbal Commit'"),
        "{err}"
    );
    assert_eq!(k.snapshot(), before);
    let out = k.ok(&[
        "import",
        "csv",
        &path,
        "--entity",
        "deal",
        "--map-values",
        "stage:Verbal Commit=negotiation",
        "--map-values",
        "stage:on hold=Qualification",
    ]);
    assert!(out.starts_with("created 4,"), "{out}");
    assert_eq!(
        deals(&k),
        vec![
            t("A", "negotiation", "open"),
            t("B", "qualification", "open"),
            t("C", "negotiation", "open"),
            t("D", "won", "won"),
        ]
    );

    // Any choice field: an account's tier.
    let path = file(
        &k,
        "accounts.csv",
        "客户名称,客户等级\n甲公司,VIP\n乙公司,普通\n丙公司,VIP\n丁公司,B\n",
    );
    let err = k.fails(&["import", "csv", &path, "--entity", "account"], 2);
    assert!(
        err.contains("tier: 2 values kith does not know: 'VIP' (2 rows), '普通' (1 row)"),
        "{err}"
    );
    assert!(err.contains("--map-values tier:'VIP=A,普通=A'"), "{err}");
    k.ok(&[
        "import",
        "csv",
        &path,
        "--entity",
        "account",
        "--map-values",
        "tier:VIP=A,普通=C",
    ]);
    let tiers: Vec<(Value, Value)> = arr(&k.json(&["account", "list", "--sort", "id"]))
        .iter()
        .map(|a| (a["name"].clone(), a["tier"].clone()))
        .collect();
    assert_eq!(
        tiers,
        vec![
            (json!("甲公司"), json!("A")),
            (json!("乙公司"), json!("C")),
            (json!("丙公司"), json!("A")),
            (json!("丁公司"), json!("B")),
        ]
    );
    let err = k.fails(
        &[
            "import",
            "csv",
            &path,
            "--entity",
            "account",
            "--map-values",
            "tier",
        ],
        2,
    );
    assert!(err.contains("FIELD:FROM=TO"), "{err}");
}

#[test]
fn first_and_last_names_are_joined_as_the_locale_writes_them() {
    let k = Kith::new();
    let path = file(
        &k,
        "people.csv",
        "First Name,Middle Name,Last Name,Email\n\
         Ann,,Lee,ann@example.com\n\
         John,Q.,Public,john@example.com\n\
         三,,张,zhang@example.cn\n\
         ,,Ono,ono@example.jp\n",
    );
    let out = k.ok(&["import", "csv", &path, "--entity", "contact"]);
    assert!(out.starts_with("created 4,"), "{out}");
    let names: Vec<Value> = arr(&k.json(&["contact", "list", "--sort", "id"]))
        .iter()
        .map(|c| c["name"].clone())
        .collect();
    assert_eq!(
        names,
        vec![
            json!("Ann Lee"),
            json!("John Q. Public"),
            json!("张三"),
            json!("Ono")
        ]
    );
    // A whole name wins; the parts fill in where it is empty.
    let path = file(
        &k,
        "named.csv",
        "Display Name,First Name,Last Name\nThe Boss,Mary,Major\n,Tom,Minor\n",
    );
    k.ok(&["import", "csv", &path, "--entity", "lead"]);
    let names: Vec<Value> = arr(&k.json(&["lead", "list", "--sort", "id"]))
        .iter()
        .map(|c| c["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("The Boss"), json!("Tom Minor")]);
    // Any columns, joined by --map in the order given; the family name first for CJK.
    let path = file(
        &k,
        "kunden.csv",
        "Vorname,Nachname,Company\nHans,Müller,Müller & Söhne GmbH\n",
    );
    k.ok(&[
        "import",
        "csv",
        &path,
        "--entity",
        "lead",
        "--map",
        "Vorname+Nachname=name",
    ]);
    let l = k.json(&["lead", "show", "Hans Müller"]);
    assert_eq!(l["company"], json!("Müller & Söhne GmbH"));
    let path = file(&k, "cn.csv", "名,姓,手机\n伟,李,13800138000\n");
    k.ok(&[
        "import",
        "csv",
        &path,
        "--entity",
        "lead",
        "--map",
        "名+姓=name",
    ]);
    let l = k.json(&["lead", "show", "李伟"]);
    assert_eq!(l["phone"], json!("13800138000"));
    let err = k.fails(
        &[
            "import",
            "csv",
            &path,
            "--entity",
            "lead",
            "--map",
            "名+Surname=name",
        ],
        2,
    );
    assert!(err.contains("no column 'Surname'"), "{err}");
}

#[test]
fn every_column_problem_is_reported_at_once_with_the_maps_that_fix_them() {
    let k = Kith::new();
    // Outlook's Title is the honorific, its Account a billing number; and no name column.
    let path = file(
        &k,
        "outlook.csv",
        "Title,Company,Account,Job Title,E-mail Address\n\
         Dr.,Contoso Ltd,AC-1001,Buyer,ann@contoso.com\n",
    );
    let before = k.snapshot();
    let err = k.fails(&["import", "csv", &path, "--entity", "contact"], 2);
    assert!(
        err.contains("the columns do not map (3 problems):"),
        "{err}"
    );
    assert!(
        err.contains(
            "columns 'Company' and 'Account' all map to the contact field 'account', which \
             takes one value: keep one and keep the others in the notes with --map 'Account=notes'"
        ),
        "{err}"
    );
    assert!(
        err.contains("columns 'Title' and 'Job Title' all map to the contact field 'title'"),
        "{err}"
    );
    assert!(
        err.contains("no column gives the contact name: say which one with --map 'COLUMN=name'"),
        "{err}"
    );
    assert!(
        err.contains(
            "all at once: --map 'Account=notes' --map 'Job Title=notes' --map 'COLUMN=name'"
        ),
        "{err}"
    );
    assert_eq!(k.snapshot(), before);
    // Several --map mistakes are told together too.
    let err = k.fails(
        &[
            "import",
            "csv",
            &path,
            "--entity",
            "contact",
            "--map",
            "Nope=name",
            "--map",
            "Title=colour",
        ],
        2,
    );
    assert!(
        err.contains("--map 'Nope=name': the file has no column 'Nope'"),
        "{err}"
    );
    assert!(err.contains("contacts has no field 'colour'"), "{err}");
    k.ok(&[
        "import",
        "csv",
        &path,
        "--entity",
        "contact",
        "--map",
        "Title=notes",
        "--map",
        "Account=notes",
        "--map",
        "E-mail Address=name",
        "--create-missing",
    ]);
    let c = k.json(&["contact", "show", "ann@contoso.com"]);
    assert_eq!(
        (c["account"].clone(), c["title"].clone(), c["notes"].clone()),
        (
            json!("Contoso Ltd"),
            json!("Buyer"),
            json!("Title: Dr.\nAccount: AC-1001")
        )
    );
}

#[test]
fn a_preamble_is_skipped_and_lines_keep_their_numbers() {
    let k = Kith::new();
    let path = file(
        &k,
        "export.csv",
        "Exported by SomeCRM on 2026-11-01\n\
         Filter: all accounts; owner: mei\n\
         name;city;email\n\
         Acme;Berlin;info@acme.example\n\
         Bad;Paris;not-an-email\n",
    );
    let err = k.fails(&["import", "csv", &path, "--entity", "account"], 2);
    assert!(err.contains("no column gives the account name"), "{err}");
    let err = k.fails(
        &[
            "import",
            "csv",
            &path,
            "--entity",
            "account",
            "--skip-lines",
            "2",
        ],
        2,
    );
    assert!(err.contains("line 5, column email:"), "{err}");
    let skipped = k.dir.path().join("rejected.csv");
    k.ok(&[
        "import",
        "csv",
        &path,
        "--entity",
        "account",
        "--skip-lines",
        "2",
        "--skip-invalid",
        &skipped.to_string_lossy(),
    ]);
    let a = k.json(&["account", "show", "Acme"]);
    assert_eq!(
        (a["city"].clone(), a["email"].clone()),
        (json!("Berlin"), json!("info@acme.example"))
    );
    // LinkedIn's "Notes:" preamble is found by itself.
    let out = k.ok(&[
        "import",
        "csv",
        &data("csv/linkedin_connections.csv"),
        "--entity",
        "contact",
        "--create-missing",
    ]);
    assert!(out.starts_with("created 3,"), "{out}");
    let c = k.json(&["contact", "show", "Maria Gonzalez"]);
    assert_eq!(
        (c["account"].clone(), c["title"].clone(), c["email"].clone()),
        (
            json!("Northwind Traders"),
            json!("Head of Procurement"),
            json!("maria.gonzalez@example.com")
        )
    );
    assert_eq!(
        k.json(&["contact", "show", "王芳"])["account"],
        json!("白云机场")
    );
}
