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

/// Import a sample in a fresh database; check the preset told on stderr and, per record,
/// each field given.
fn check(file: &str, args: &[&str], told: &str, records: &[(&str, &str, Value)]) {
    let k = Kith::new();
    let path = data(&format!("csv/{file}"));
    let mut a = vec!["import", "csv", path.as_str()];
    a.extend(args);
    let out = k.run(&a);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{file}: {err}");
    assert!(err.contains(told), "{file}: {err}");
    for (noun, name, want) in records {
        let got = k.json(&[noun, "show", name]);
        for (field, value) in want.as_object().unwrap() {
            assert_eq!(&got[field], value, "{file}: {name}: {field}");
        }
    }
}

const DETECTED: &str = "(--from none reads it by its headers alone)";

#[test]
fn outlook_google_and_thunderbird_address_books_come_in_whole() {
    check(
        "outlook_contacts.csv",
        &["--entity", "contact", "--create-missing"],
        "the header row is one Outlook writes: read as --from outlook",
        &[
            (
                "contact",
                "Anna Müller",
                json!({
                    "account": "Müller & Söhne GmbH",
                    "title": "Geschäftsführerin",
                    "emails": ["anna.mueller@mueller-soehne.de", "anna@example.org"],
                    "phones": ["+49 221 123456", "+49 171 2345678"],
                    "birthday": null,
                    "tags": ["kunden", "vip"],
                    "notes": "Met at Hannover Messe\n\nTitle: Dr.\nDepartment: Einkauf\n\
                              Business Street: Hauptstraße 5\nBusiness City: Köln\n\
                              Business State: NRW\nBusiness Postal Code: 50667\n\
                              Business Country/Region: Germany\nBusiness Fax: +49 221 123457\n\
                              Account: AC-1001\nInitials: A.M.\nOffice Location: Building 3\n\
                              Web Page: https://mueller-soehne.example",
                }),
            ),
            (
                "contact",
                "Kenji Watanabe",
                json!({
                    "account": "Contoso Ltd",
                    "title": "Buyer",
                    "emails": ["kenji@contoso.example"],
                    "phones": ["+81 3 5550 1234"],
                    "notes": "Initials: K.W.",
                }),
            ),
        ],
    );
    check(
        "google_contacts.csv",
        &["--entity", "contact", "--create-missing"],
        "one Google Contacts writes: read as --from google",
        &[
            (
                "contact",
                "王芳",
                json!({
                    "account": "白云机场",
                    "title": "采购经理",
                    "birthday": "1985-11-25",
                    "emails": ["wang@baiyun.cn", "fang.wang@example.com", "fang@example.org"],
                    "phones": ["+86 138 0013 8000", "+86 20 3606 6999", "+86 20 3606 0000"],
                    "tags": ["vip"],
                    "notes": "Prefers WeChat\n\nOrganization Department: 采购部\n\
                              Address 1 - Formatted: 机场路 282 号, 广州\n\
                              Address 1 - Street: 机场路 282 号\nAddress 1 - City: 广州\n\
                              Address 1 - Region: 广东\nAddress 1 - Postal Code: 510470\n\
                              Address 1 - Country: 中国\n\
                              Website 1 - Value: https://example.cn/fang",
                }),
            ),
            (
                "contact",
                "John Q. Public Jr.",
                json!({"account": "Acme Inc", "title": "CTO", "tags": [],
                       "phones": ["+1 555 0100"], "notes": "Nickname: JQ"}),
            ),
        ],
    );
    check(
        "thunderbird_addressbook.csv",
        &["--entity", "contact", "--create-missing"],
        "one Thunderbird writes: read as --from thunderbird",
        &[
            (
                "contact",
                "Ann Lee",
                json!({
                    "account": "Initech",
                    "title": "Engineer",
                    "birthday": "1980-07-04",
                    "emails": ["ann@example.com", "ann.lee@work.example"],
                    "phones": ["+1 555 0100", "+1 555 0101"],
                    "notes": "Likes tea\n\nNickname: annie\nWork Address: 1 Main St\n\
                              Work City: Springfield\nWork State: IL\nWork ZipCode: 62701\n\
                              Work Country: USA\nDepartment: R&D\n\
                              Web Page 1: https://initech.example",
                }),
            ),
            (
                "contact",
                "Bob Stone",
                json!({"birthday": null, "emails": ["bob@example.com"],
                       "notes": "birthday: --05-20"}),
            ),
        ],
    );
    check(
        "linkedin_connections.csv",
        &["--entity", "contact", "--create-missing"],
        "one LinkedIn writes: read as --from linkedin",
        &[(
            "contact",
            "Maria Gonzalez",
            json!({"account": "Northwind Traders", "title": "Head of Procurement",
                   "notes": "URL: https://www.linkedin.com/in/maria-gonzalez-0a1b2c\n\
                             Connected On: 14 Mar 2024"}),
        )],
    );
}

#[test]
fn crm_exports_come_in_whole() {
    check(
        "salesforce_accounts.csv",
        &["--entity", "account"],
        "one Salesforce writes: read as --from salesforce",
        &[
            (
                "account",
                "Burlington Textiles Corp of America",
                json!({
                    "type": "customer", "industry": "Apparel", "phone": "(336) 222-7000",
                    "website": "www.burlington.com", "address": "525 S. Lexington Ave",
                    "city": "Burlington", "region": "NC", "country": "USA",
                    "notes": "ID: 0015g00000XyZa1AAA\nBILLINGPOSTALCODE: 27215\n\
                              FAX: (336) 222-8000\nANNUALREVENUE: 350000000\n\
                              NUMBEROFEMPLOYEES: 9000\nOWNERID: 0055g00000AbCdEAA0\n\
                              RATING: Warm\nACCOUNTNUMBER: CD656092",
                }),
            ),
            (
                "account",
                "Edge Communications",
                json!({"type": "partner", "city": "Austin", "region": "TX"}),
            ),
        ],
    );
    check(
        "salesforce_opportunities.csv",
        &["--entity", "deal"],
        "read as --from salesforce",
        &[(
            "deal",
            "sForce",
            json!({"stage": "needs analysis", "status": "open", "amount": 100000.0,
                   "probability": 70, "expected_close": "2027-03-01", "source": "Partner",
                   "notes": "ID: 0065g00000AbCeAAAQ\nACCOUNTID: 0015g00000XyZbAAAQ\n\
                             TYPE: New Customer\nFORECASTCATEGORY: Pipeline"}),
        )],
    );
    check(
        "hubspot_deals.csv",
        &["--entity", "deal", "--create-missing"],
        "one HubSpot writes: read as --from hubspot",
        &[
            (
                "deal",
                "Acme renewal",
                json!({"account": "Acme Logistics", "stage": "won", "status": "won",
                       "amount": 12000.0, "owner": "Mei Lin",
                       "closed_at": "2026-10-15T12:00:00Z",
                       "notes": "Record ID: 9876543210\nPipeline: Sales Pipeline\n\
                                 Deal Type: existingbusiness\nCreate Date: 2026-06-01"}),
            ),
            ("deal", "Globex pilot", json!({"stage": "qualification"})),
            ("deal", "Initech expansion", json!({"stage": "negotiation"})),
            (
                "deal",
                "Umbrella trial",
                json!({"stage": "lost", "status": "lost"}),
            ),
        ],
    );
    check(
        "pipedrive_deals.csv",
        &["--entity", "deal", "--create-missing"],
        "one Pipedrive writes: read as --from pipedrive",
        &[
            (
                "deal",
                "Cold-chain monitoring",
                json!({"account": "Northwind Traders", "stage": "proposal", "status": "open",
                       "currency": "EUR", "amount": 18000.0, "owner": "Mei Lin",
                       "notes": "Deal - ID: 101\nDeal - Pipeline: Pipeline"}),
            ),
            // The status column wins over the stage the deal was in.
            (
                "deal",
                "Fleet telematics",
                json!({"stage": "won", "status": "won"}),
            ),
            (
                "deal",
                "Warehouse sensors",
                json!({"stage": "lost", "status": "lost", "reason": "Price too high"}),
            ),
        ],
    );
    check(
        "zoho_leads.csv",
        &["--entity", "lead"],
        "one Zoho CRM writes: read as --from zoho",
        &[
            (
                "lead",
                "Christopher Maclead",
                json!({"company": "Rangoni Of Florence", "title": "VP Accounting",
                       "email": "christopher-maclead@example.com", "phone": "555-555-5555",
                       "source": "Cold Call", "status": "contacted", "owner": "Mei Lin",
                       "notes": "Interested in the pilot\n\nRecord Id: zcrm_5109870000000431001\n\
                                 Salutation: Mr.\nMobile: 555-555-5556\n\
                                 Industry: Large Enterprise\nAnnual Revenue: 850000\n\
                                 Street: 37275 St  Rt 17m M\nCity: Middle Island\nState: NY\n\
                                 Zip Code: 11953\nCountry: United States\n\
                                 Created Time: 2026-10-01 09:12:00"}),
            ),
            ("lead", "Carissa Kidman", json!({"status": "qualified"})),
            ("lead", "James Merced", json!({"status": "disqualified"})),
        ],
    );
    // Odoo: Customer and Vendor are flags, not names; Related Company is the account.
    check(
        "odoo_companies.csv",
        &["--entity", "account"],
        "one Odoo writes: read as --from odoo",
        &[
            (
                "account",
                "Deco Addict",
                json!({"type": "customer", "owner": "Mitchell Admin",
                       "email": "deco.addict82@example.com", "phone": "(603)-996-3829",
                       "address": "77 Santa Barbara Rd", "city": "Pleasant Hill",
                       "region": "California (US)", "country": "United States",
                       "website": "http://www.deco-addict.com", "tags": [],
                       "notes": "Is a Company: TRUE"}),
            ),
            (
                "account",
                "Wood Corner",
                json!({"type": "supplier", "tags": ["vendor"]}),
            ),
        ],
    );
    check(
        "odoo_contacts.csv",
        &["--entity", "contact", "--create-missing"],
        "read as --from odoo",
        &[(
            "contact",
            "Addison Olson",
            json!({"account": "Deco Addict", "title": "Purchase Manager",
                   "phones": ["(223)-399-7637", "(223)-399-7638"],
                   "notes": "Street: 77 Santa Barbara Rd\nCity: Pleasant Hill\n\
                             State: California (US)\nCountry: United States\nCustomer: TRUE"}),
        )],
    );
}

#[test]
fn chinese_crm_and_krayin_exports_keep_every_phone_and_messenger() {
    check(
        "chinese_crm_accounts.csv",
        &[
            "--entity",
            "account",
            "--map-values",
            "tier:VIP=A,重要=B,普通=C",
        ],
        "",
        &[
            (
                "account",
                "杭州青禾茶业有限公司",
                json!({"tier": "A", "phone": "13800138000", "owner": "李娜",
                       "address": "西湖区文三路 100 号", "city": "杭州",
                       "notes": "老客户\n\n电话: 0571-88001234\nQQ: 10001\n微信: qinghe_tea"}),
            ),
            (
                "account",
                "上海明远贸易",
                json!({"tier": "C", "phone": "021-66778899", "notes": "微信: mingyuan88"}),
            ),
            (
                "account",
                "广州南方物流",
                json!({"tier": "B", "notes": null}),
            ),
        ],
    );
    check(
        "krayin_persons.csv",
        &["--entity", "contact", "--create-missing"],
        "",
        &[(
            "contact",
            "Jane Doe",
            json!({"account": "Acme Logistics", "title": "Buyer",
                   "emails": ["jane@acme.example", "jane.doe@example.com"],
                   "phones": ["+1 555 0199"]}),
        )],
    );
    // A contact keeps both phones.
    let k = Kith::new();
    let path = file(
        &k,
        "c.csv",
        "联系人,手机,电话,QQ,微信\n李娜,13800138000,0571-88001234,10001,lina_w\n",
    );
    let out = k.run(&["import", "csv", &path, "--entity", "contact"]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains(DETECTED));
    let c = k.json(&["contact", "show", "李娜"]);
    assert_eq!(c["phones"], json!(["13800138000", "0571-88001234"]));
    assert_eq!(c["notes"], json!("QQ: 10001\n微信: lina_w"));
}

#[test]
fn from_names_a_preset_detection_is_told_and_none_turns_it_off() {
    let k = Kith::new();
    // Apple's labels are not unmistakable: only --from apple reads them.
    let path = file(
        &k,
        "apple.csv",
        "First,Last,Organization,Job Title,Email (work),Phone (mobile),Phone (work),Note\n\
         Tim,Lee,Fabrikam,Designer,tim@fabrikam.example,+1 555 0142,+1 555 0143,Met at WWDC\n",
    );
    let err = k.fails(&["import", "csv", &path, "--entity", "contact"], 2);
    assert!(err.contains("no column gives the contact name"), "{err}");
    k.ok(&[
        "import",
        "csv",
        &path,
        "--entity",
        "contact",
        "--from",
        "apple",
        "--create-missing",
    ]);
    let c = k.json(&["contact", "show", "Tim Lee"]);
    assert_eq!(
        (
            c["account"].clone(),
            c["title"].clone(),
            c["emails"].clone(),
            c["phones"].clone(),
            c["notes"].clone()
        ),
        (
            json!("Fabrikam"),
            json!("Designer"),
            json!(["tim@fabrikam.example"]),
            json!(["+1 555 0142", "+1 555 0143"]),
            json!("Met at WWDC")
        )
    );
    // --from none: the Outlook header read by name only, its problems told at once.
    let err = k.fails(
        &[
            "import",
            "csv",
            &data("csv/outlook_contacts.csv"),
            "--entity",
            "contact",
            "--from",
            "none",
        ],
        2,
    );
    assert!(err.contains("the columns do not map"), "{err}");
    assert!(!err.contains(DETECTED), "{err}");
    let err = k.fails(
        &[
            "import", "csv", &path, "--entity", "contact", "--from", "sugarcrm",
        ],
        2,
    );
    assert!(err.contains("--from: no preset 'sugarcrm' (presets: outlook, google, thunderbird, apple, salesforce, hubspot, odoo, zoho, linkedin, pipedrive, or none)"), "{err}");
}
