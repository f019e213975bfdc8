use serde_json::json;

use crate::{arr, col, fixture, Kith};

fn deals() -> Kith {
    let k = fixture();
    for (title, amount, stage, close, tag) in [
        ("Fleet tracking", "80000", "proposal", "2026-12-15", "rush"),
        ("Cold storage", "45000", "proposal", "2026-11-25", "rush"),
        ("Spare parts", "120000", "negotiation", "2027-01-10", "big"),
        ("Training", "5000", "qualification", "2026-11-10", "small"),
    ] {
        k.id(&[
            "deal",
            "add",
            title,
            "--account",
            "Acme Logistics",
            "--amount",
            amount,
            "--stage",
            stage,
            "--close",
            close,
            "--tag",
            tag,
        ]);
    }
    k
}

#[test]
fn the_documented_filtered_list() {
    let k = deals();
    let v = k.json(&[
        "deal",
        "list",
        "stage:proposal",
        "amount>50000",
        "--sort",
        "-amount",
        "--limit",
        "50",
    ]);
    assert_eq!(col(&v, "title"), vec![json!("Fleet tracking")]);
    let v = k.json(&["deal", "list", "amount>=45000", "--sort", "-amount"]);
    assert_eq!(
        col(&v, "title"),
        vec![
            json!("航站楼系统升级"),
            json!("Spare parts"),
            json!("Fleet tracking"),
            json!("Cold storage")
        ]
    );
    let v = k.json(&[
        "deal",
        "list",
        "amount>=45000",
        "--sort",
        "amount",
        "--limit",
        "2",
        "--offset",
        "1",
    ]);
    assert_eq!(
        col(&v, "title"),
        vec![json!("Fleet tracking"), json!("Spare parts")]
    );
}

#[test]
fn dates_compare_by_day_with_date_words() {
    let k = deals();
    // eom is 2026-11-30.
    assert_eq!(
        col(
            &k.json(&["deal", "list", "close<eom", "--sort", "close"]),
            "title"
        ),
        vec![json!("Training"), json!("Cold storage")]
    );
    assert_eq!(
        col(
            &k.json(&["deal", "list", "close<=eom", "--sort", "close"]),
            "title"
        ),
        vec![
            json!("Training"),
            json!("Cold storage"),
            json!("航站楼系统升级")
        ]
    );
    assert_eq!(
        col(&k.json(&["deal", "list", "close:eom"]), "title"),
        vec![json!("航站楼系统升级")]
    );
    assert_eq!(
        col(
            &k.json(&["deal", "list", "expected_close.after:2026-12-31"]),
            "title"
        ),
        vec![json!("Spare parts")]
    );
    assert_eq!(arr(&k.json(&["deal", "list", "created:today"])).len(), 5);
    assert_eq!(arr(&k.json(&["deal", "list", "created<today"])).len(), 0);
}

#[test]
fn tags_words_references_and_modifiers() {
    let k = deals();
    assert_eq!(
        col(
            &k.json(&["deal", "list", "+rush", "--sort", "title"]),
            "title"
        ),
        vec![json!("Cold storage"), json!("Fleet tracking")]
    );
    assert_eq!(arr(&k.json(&["deal", "list", "-rush"])).len(), 3);
    assert_eq!(
        arr(&k.json(&["deal", "list", "-rush", "-small", "--sort", "-amount"])).len(),
        2
    );
    assert_eq!(
        col(&k.json(&["deal", "list", "storage"]), "title"),
        vec![json!("Cold storage")]
    );
    assert_eq!(
        col(&k.json(&["deal", "list", "航站楼"]), "title"),
        vec![json!("航站楼系统升级")]
    );
    assert_eq!(
        arr(&k.json(&["deal", "list", "account:Acme Logistics"])).len(),
        4
    );
    assert_eq!(arr(&k.json(&["deal", "list", "account:2"])).len(), 4);
    assert_eq!(arr(&k.json(&["deal", "list", "account.has:白云"])).len(), 1);
    assert_eq!(arr(&k.json(&["deal", "list", "account!=2"])).len(), 1);
    assert_eq!(
        arr(&k.json(&["deal", "list", "title.startswith:f"])).len(),
        1
    );
    assert_eq!(arr(&k.json(&["deal", "list", "contact:"])).len(), 4);
    assert_eq!(arr(&k.json(&["deal", "list", "contact.any:"])).len(), 1);
    assert_eq!(
        col(&k.json(&["account", "list", "tier:a"]), "name"),
        vec![json!("广州白云国际机场")]
    );
    assert_eq!(
        arr(&k.json(&["account", "list", "parent:Acme Logistics"])).len(),
        1
    );
    assert_eq!(
        col(&k.json(&["account", "list", "--sort", "tier"]), "tier"),
        vec![json!("A"), json!("B"), json!("C")]
    );
    // A stage sorts by its place in the pipeline, not by name.
    let stages = col(&k.json(&["deal", "list", "--sort", "stage,title"]), "stage");
    assert_eq!(
        stages,
        vec![
            json!("qualification"),
            json!("qualification"),
            json!("proposal"),
            json!("proposal"),
            json!("negotiation")
        ]
    );
}

#[test]
fn every_listing_speaks_every_format() {
    let k = deals();
    let csv = k.ok(&[
        "deal",
        "list",
        "+rush",
        "--csv",
        "--columns",
        "id,title,amount,account",
        "--sort",
        "id",
    ]);
    assert_eq!(csv, "id,title,amount,account\n2,Fleet tracking,80000,Acme Logistics\n3,Cold storage,45000,Acme Logistics\n");
    let tsv = k.ok(&[
        "deal",
        "list",
        "+rush",
        "--tsv",
        "--columns",
        "id,title",
        "--sort",
        "id",
    ]);
    assert_eq!(tsv, "id\ttitle\n2\tFleet tracking\n3\tCold storage\n");
    let nd = k.ok(&["deal", "list", "+rush", "--ndjson", "--sort", "id"]);
    let lines: Vec<serde_json::Value> = nd
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["title"], "Cold storage");
    // `email` is a contact's first email, `emails` all of them.
    k.ok(&[
        "contact", "edit", "1", "--email", "a@x.com", "--email", "b@x.com",
    ]);
    let csv = k.ok(&["contact", "list", "--csv", "--columns", "name,email,emails"]);
    assert_eq!(
        csv,
        "name,email,emails\n王芳,a@x.com,\"a@x.com, b@x.com\"\n"
    );
    // Full CSV carries every field, lists joined.
    let csv = k.ok(&["contact", "list", "--csv"]);
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with(
            "id,name,account_id,account,title,role,emails,email,phones,phone,birthday"
        ),
        "{header}"
    );
    let table = k.ok(&["deal", "list", "+rush"]);
    assert!(table.lines().next().unwrap().contains("TITLE"), "{table}");
    for f in ["--json", "--ndjson", "--csv", "--tsv"] {
        k.ok(&["account", "show", "1", f]);
        k.ok(&["account", "history", "1", f]);
        k.ok(&["search", "acme", f]);
        k.ok(&["pipeline", "list", f]);
    }
    k.fails(&["deal", "list", "--json", "--csv"], 2);
}

#[test]
fn search_is_fuzzy_ranked_and_finds_chinese_names() {
    let k = deals();
    k.id(&["lead", "add", "白云山制药", "--company", "白云山"]);
    let hits = k.json(&["search", "白云"]);
    // A name that starts with the text ranks first; the airport, which holds it, follows.
    let first = &arr(&hits)[0];
    assert_eq!(
        (
            first["kind"].clone(),
            first["id"].clone(),
            first["name"].clone()
        ),
        (json!("lead"), json!(1), json!("白云山制药"))
    );
    let second = &arr(&hits)[1];
    assert_eq!(
        (
            second["kind"].clone(),
            second["id"].clone(),
            second["name"].clone()
        ),
        (json!("account"), json!(1), json!("广州白云国际机场"))
    );
    assert!(first["score"].as_i64().unwrap() > second["score"].as_i64().unwrap());
    let hits = k.json(&["search", "广州白云国际机场"]);
    assert_eq!(arr(&hits)[0]["id"], 1);
    let hits = k.json(&["search", "flt trk"]);
    assert_eq!(arr(&hits)[0]["name"], "Fleet tracking");
    let hits = k.json(&["search", "acme", "--kind", "account"]);
    // Equal matches: the shorter name first.
    assert_eq!(
        col(&hits, "name"),
        vec![json!("Acme Shenzhen"), json!("Acme Logistics")]
    );
    assert_eq!(col(&hits, "kind"), vec![json!("account"), json!("account")]);
    let out = k.run(&["search", "zzzzqqq", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    // Trashed records are not found.
    k.ok(&["account", "rm", "Acme Shenzhen"]);
    assert_eq!(
        arr(&k.json(&["search", "acme", "--kind", "account"])).len(),
        1
    );
}

#[test]
fn search_details_name_the_account_company_title_and_status() {
    let k = deals();
    k.id(&["lead", "add", "Zhou Qing", "--company", "Qing Foods"]);
    k.id(&[
        "contact",
        "add",
        "Zhou Min",
        "--account",
        "Acme Logistics",
        "--title",
        "Buyer",
    ]);
    k.id(&["contact", "add", "Zhou Lone"]);
    let detail = |q: &str| -> Vec<(String, String)> {
        arr(&k.json(&["search", q]))
            .iter()
            .map(|h| {
                (
                    h["name"].as_str().unwrap().to_string(),
                    h["detail"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let d = detail("zhou");
    for want in [
        ("Zhou Qing", "Qing Foods new"),
        ("Zhou Min", "Acme Logistics Buyer"),
        ("Zhou Lone", ""),
    ] {
        assert!(
            d.contains(&(want.0.to_string(), want.1.to_string())),
            "{want:?} in {d:?}"
        );
    }
    // A contact whose account went to the trash still names it.
    k.ok(&["account", "rm", "Acme Logistics"]);
    assert!(detail("zhou min").contains(&("Zhou Min".into(), "Acme Logistics Buyer".into())));
    assert!(
        detail("fleet")[0].1.ends_with(" open"),
        "{:?}",
        detail("fleet")
    );
}

#[test]
fn a_link_name_shared_by_two_records_filters_by_both() {
    let k = deals();
    // A second pipeline with its own 'proposal' stage.
    k.id(&[
        "pipeline",
        "add",
        "renewals",
        "--stage",
        "Proposal:50",
        "--stage",
        "won",
        "--stage",
        "lost",
    ]);
    k.id(&[
        "deal",
        "add",
        "Renewal 2027",
        "--account",
        "Acme Logistics",
        "--pipeline",
        "renewals",
        "--stage",
        "proposal",
        "--amount",
        "60000",
    ]);
    let v = k.json(&["deal", "list", "stage:proposal", "--sort", "-amount"]);
    assert_eq!(
        col(&v, "title"),
        vec![
            json!("Fleet tracking"),
            json!("Renewal 2027"),
            json!("Cold storage")
        ]
    );
    let v = k.json(&[
        "deal",
        "list",
        "stage!=PROPOSAL",
        "amount>=45000",
        "--sort",
        "-amount",
    ]);
    assert_eq!(
        col(&v, "title"),
        vec![json!("航站楼系统升级"), json!("Spare parts")]
    );
    // One name, one record: the same answer as its id.
    let by_name = k.json(&["deal", "list", "account:acme logistics", "--limit", "3"]);
    let id = k.json(&["account", "show", "Acme Logistics"])["id"].clone();
    let by_id = k.json(&["deal", "list", &format!("account:#{id}"), "--limit", "3"]);
    assert_eq!(by_name, by_id);
    assert_eq!(arr(&by_name).len(), 3);
}

#[test]
fn reading_does_not_wait_for_another_process_writing() {
    let k = deals();
    // Deliver what is due now, so the reminder run below has nothing new.
    k.ok(&["remind"]);
    // Another process holds the write lock (a long import, say).
    let conn = rusqlite::Connection::open(&k.db).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let v = k.json(&["deal", "list", "stage:proposal"]);
    assert_eq!(arr(&v).len(), 2);
    assert_eq!(
        arr(&k.json(&["search", "fleet"]))[0]["name"],
        "Fleet tracking"
    );
    assert!(!arr(&k.json(&["report", "pipeline"])).is_empty());
    let out = k.run(&["remind"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "waited {:?}",
        started.elapsed()
    );
    conn.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn search_words_match_on_their_own_in_any_order() {
    let k = deals();
    for name in ["Blue Hotels Group", "Crescent Hotels", "Bluebird Air"] {
        k.id(&["account", "add", name]);
    }
    let names = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut a = vec!["search"];
        a.extend_from_slice(args);
        col(&k.json(&a), "name")
    };
    // The airport's contacts and deals name it in their detail line: after it.
    let all = names(&["白云 机场"]);
    assert_eq!(all[0], json!("广州白云国际机场"));
    assert!(all.len() > 1, "{all:?}");
    // A space parts words: each must match, in any order, each fuzzily.
    assert_eq!(
        names(&["白云 机场", "--kind", "account"]),
        vec![json!("广州白云国际机场")]
    );
    assert_eq!(
        names(&["机场 白云", "--kind", "account"]),
        vec![json!("广州白云国际机场")]
    );
    assert_eq!(
        names(&["白 场", "--kind", "account"]),
        vec![json!("广州白云国际机场")]
    );
    assert_eq!(
        names(&["blue hotels", "--kind", "account"]),
        vec![json!("Blue Hotels Group")]
    );
    assert_eq!(
        names(&["hotels blue", "--kind", "account"]),
        vec![json!("Blue Hotels Group")]
    );
    // Words given as separate arguments are the same words.
    assert_eq!(
        names(&["hotels", "blue", "--kind", "account"]),
        vec![json!("Blue Hotels Group")]
    );
    // A word may match the detail line: the contact's account.
    k.id(&["contact", "add", "Zhou Min", "--account", "Crescent Hotels"]);
    assert_eq!(
        names(&["zhou crescent", "--kind", "contact"]),
        vec![json!("Zhou Min")]
    );
    // The score is the sum of the words' scores.
    let hit = |q: &str| {
        k.json(&["search", q, "--kind", "account", "--limit", "1"])[0]["score"]
            .as_i64()
            .unwrap()
    };
    let both = hit("blue hotels");
    let blue = arr(&k.json(&["search", "blue", "--kind", "account"]))
        .iter()
        .find(|h| h["name"] == "Blue Hotels Group")
        .unwrap()["score"]
        .as_i64()
        .unwrap();
    let hotels = arr(&k.json(&["search", "hotels", "--kind", "account"]))
        .iter()
        .find(|h| h["name"] == "Blue Hotels Group")
        .unwrap()["score"]
        .as_i64()
        .unwrap();
    assert_eq!(both, blue + hotels);
    assert_eq!(hit("hotels blue"), both);
    let out = k.run(&["search", "blue zzz"]);
    assert_eq!(out.status.code(), Some(1));
}
