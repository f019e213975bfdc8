//! Import, export, duplicates, merge, undo, backup and check, through the real binary.

use serde_json::{json, Value};

use crate::{arr, col, Kith};

fn data(path: &str) -> String {
    format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn count(k: &Kith, args: &[&str]) -> usize {
    arr(&k.json(args)).len()
}

#[test]
fn messy_csv_files_import_with_their_encodings_and_delimiters() {
    let k = Kith::new();
    let out = k.ok(&[
        "import",
        "csv",
        &data("csv/accounts_utf8_bom.csv"),
        "--entity",
        "account",
    ]);
    assert_eq!(
        out,
        "created 3, updated 0, unchanged 0, rejected 0; batch 2 (kith import undo 2)\n"
    );
    let a = k.json(&["account", "show", "杭州青禾茶业有限公司"]);
    assert_eq!(
        (
            a["phone"].clone(),
            a["email"].clone(),
            a["city"].clone(),
            a["tier"].clone()
        ),
        (
            json!("0571-88001234"),
            json!("info@qinghe.cn"),
            json!("杭州"),
            json!("A")
        )
    );
    assert_eq!(a["tags"], json!(["批发", "茶叶"]));
    // GBK, Chinese headers, accounts by name.
    k.ok(&[
        "import",
        "csv",
        &data("csv/contacts_gbk.csv"),
        "--entity",
        "contact",
        "--create-missing",
    ]);
    let c = k.json(&["contact", "show", "张伟"]);
    assert_eq!(
        (c["account"].clone(), c["title"].clone(), c["email"].clone()),
        (
            json!("杭州青禾茶业有限公司"),
            json!("采购经理"),
            json!("zhangwei@qinghe.cn")
        )
    );
    // Semicolons, CRLF, a quoted value with a line break.
    let out = k.ok(&[
        "import",
        "csv",
        &data("csv/semicolon_crlf.csv"),
        "--entity",
        "contact",
        "--create-missing",
        "--json",
    ]);
    let s: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (s["created"].clone(), s["rejected"].clone()),
        (json!(3), json!(0))
    );
    assert_eq!(count(&k, &["contact", "list"]), 6);
    // Tabs, and UTF-16.
    k.ok(&["import", "csv", &data("csv/tabs.tsv"), "--entity", "lead"]);
    assert!(count(&k, &["lead", "list"]) >= 2);
    k.ok(&[
        "import",
        "csv",
        &data("csv/utf16.csv"),
        "--entity",
        "deal",
        "--create-missing",
    ]);
    assert!(count(&k, &["deal", "list"]) >= 1);
}

#[test]
fn a_rejected_row_means_nothing_is_written_unless_skip_invalid() {
    let k = Kith::new();
    let before = k.snapshot();
    let err = k.fails(
        &[
            "import",
            "csv",
            &data("csv/bad_rows.csv"),
            "--entity",
            "contact",
        ],
        2,
    );
    assert!(
        err.contains("line 3, column email: 'not-an-email' is not an email address"),
        "{err}"
    );
    assert!(
        err.contains("line 4, column birthday: bad date '1990-13-45'"),
        "{err}"
    );
    assert!(
        err.contains("line 5: 5 cells, but the header has 4 columns"),
        "{err}"
    );
    assert!(
        err.contains("3 rows rejected; nothing was imported"),
        "{err}"
    );
    assert_eq!(k.snapshot(), before, "nothing written");
    // A dry run reports and writes nothing either.
    let out = k.run(&[
        "import",
        "csv",
        &data("csv/bad_rows.csv"),
        "--entity",
        "contact",
        "--dry-run",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("dry run: would have created"),
        "{out:?}"
    );
    assert_eq!(k.snapshot(), before);
    // --skip-invalid keeps the good rows and writes the bad ones with their reasons.
    let rejected = k.dir.path().join("rejected.csv");
    let out = k.ok(&[
        "import",
        "csv",
        &data("csv/bad_rows.csv"),
        "--entity",
        "contact",
        "--skip-invalid",
        rejected.to_str().unwrap(),
    ]);
    assert!(out.contains("rejected 3"), "{out}");
    let text = std::fs::read_to_string(&rejected).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers.last().map(String::as_str), Some("reason"));
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][headers.len() - 2], "3");
    assert!(rows[0][headers.len() - 1].contains("not an email address"));
    assert_eq!(rows[0][0].to_string(), "Bad Email");
}

#[test]
fn re_importing_with_a_key_updates_instead_of_duplicating() {
    let k = Kith::new();
    let file = k.dir.path().join("accounts.csv");
    std::fs::write(&file, "name,tier,city\nAcme,B,Shanghai\n北京科创,C,北京\n").unwrap();
    let f = file.to_str().unwrap();
    k.ok(&["import", "csv", f, "--entity", "account"]);
    // Without a key the same rows are duplicates, refused.
    let err = k.fails(&["import", "csv", f, "--entity", "account"], 2);
    assert!(
        err.contains("looks like a duplicate of account 1 'Acme'"),
        "{err}"
    );
    let out = k.ok(&["import", "csv", f, "--entity", "account", "--key", "name"]);
    assert!(
        out.starts_with("created 0, updated 0, unchanged 2, rejected 0"),
        "{out}"
    );
    std::fs::write(&file, "name,tier,city\nAcme,A,Shanghai\nNew One,C,\n").unwrap();
    let out = k.ok(&[
        "import", "csv", f, "--entity", "account", "--key", "name", "--json",
    ]);
    let s: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (
            s["created"].clone(),
            s["updated"].clone(),
            s["unchanged"].clone()
        ),
        (json!(1), json!(1), json!(0))
    );
    assert_eq!(k.json(&["account", "show", "Acme"])["tier"], "A");
    assert_eq!(count(&k, &["account", "list"]), 3);
    // The import was one batch: undo takes it all back.
    let batch = s["batch"].as_i64().unwrap().to_string();
    k.ok(&["import", "undo", &batch]);
    assert_eq!(k.json(&["account", "show", "Acme"])["tier"], "B");
    assert_eq!(count(&k, &["account", "list"]), 2);
    let err = k.fails(&["import", "undo", &batch], 2);
    assert!(err.contains("undone already"), "{err}");
    // Mapping explicitly; unknown columns are told.
    std::fs::write(&file, "公司,备注,whatever\nZeta,hello,x\n").unwrap();
    let out = k.run(&[
        "import",
        "csv",
        f,
        "--entity",
        "account",
        "--map",
        "备注=notes",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("columns not imported: whatever"));
    assert_eq!(k.json(&["account", "show", "Zeta"])["notes"], "hello");
    let err = k.fails(
        &[
            "import",
            "csv",
            f,
            "--entity",
            "account",
            "--map",
            "nope=notes",
        ],
        2,
    );
    assert!(err.contains("nope"), "{err}");
}

#[test]
fn the_maven_sample_dataset_imports_end_to_end() {
    let dir = "/work/shared/datasets/maven-crm-sales-opportunities";
    let dir = std::env::var("KITH_MAVEN_DIR").unwrap_or_else(|_| {
        let rel = format!(
            "{}/../shared/datasets/maven-crm-sales-opportunities",
            env!("CARGO_MANIFEST_DIR")
        );
        if std::path::Path::new(&rel).exists() {
            rel
        } else {
            dir.to_string()
        }
    });
    if !std::path::Path::new(&dir).exists() {
        eprintln!("skipped: the Maven dataset is not at {dir}");
        return;
    }
    let k = Kith::new();
    let out = k.ok(&[
        "import",
        "csv",
        &format!("{dir}/accounts.csv"),
        "--entity",
        "account",
        "--create-missing",
        "--key",
        "name",
    ]);
    assert!(out.contains("rejected 0"), "{out}");
    assert_eq!(count(&k, &["account", "list"]), 85);
    assert_eq!(
        k.json(&["account", "show", "Bluth Company"])["parent"],
        "Acme Corporation"
    );
    assert_eq!(
        k.json(&["account", "show", "Acme Corporation"])["industry"],
        "technolgy",
        "data kept as it is"
    );
    k.ok(&[
        "pipeline",
        "add",
        "maven",
        "--stage",
        "Prospecting:10",
        "--stage",
        "Engaging:50",
        "--stage",
        "Won",
        "--stage",
        "Lost",
        "--default",
    ]);
    let out = k.ok(&[
        "import",
        "csv",
        &format!("{dir}/sales_pipeline.csv"),
        "--entity",
        "deal",
        "--map",
        "opportunity_id=title",
        "--map",
        "product=tags",
        "--map",
        "engage_date=-",
        "--json",
    ]);
    let s: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (s["created"].clone(), s["rejected"].clone()),
        (json!(8800), json!(0))
    );
    assert_eq!(count(&k, &["deal", "list", "status:won"]), 4238);
    assert_eq!(count(&k, &["deal", "list", "status:lost"]), 2473);
    assert_eq!(count(&k, &["deal", "list", "account:"]), 1425);
    let d = k.json(&["deal", "show", "1C1I7A6R"]);
    assert_eq!(
        (
            d["account"].clone(),
            d["amount"].clone(),
            d["owner"].clone(),
            d["tags"].clone()
        ),
        (
            json!("Cancity"),
            json!(1054.0),
            json!("Moses Frase"),
            json!(["gtx-plus-basic"])
        )
    );
    k.ok(&["check"]);
}

#[test]
fn vcards_from_address_books_import_and_round_trip() {
    for f in ["google", "apple", "outlook", "monica"] {
        let k = Kith::new();
        let file = data(&format!("vcard/{f}.vcf"));
        let out = k.run(&["import", "vcard", &file, "--create-missing"]);
        assert!(
            out.status.success(),
            "{f}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let n = count(&k, &["contact", "list"]);
        assert!(n >= 1, "{f}: no contacts");
        // Importing the same file again updates by email: no duplicates.
        k.ok(&["import", "vcard", &file, "--create-missing"]);
        assert_eq!(count(&k, &["contact", "list"]), n, "{f}");
        // Export and import into another database: the same contacts and emails.
        let out = k.dir.path().join("all.vcf");
        k.ok(&["export", "vcard", "-o", out.to_str().unwrap()]);
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"), "{f}");
        assert!(
            text.split("\r\n").all(|l| l.len() <= 75),
            "{f}: a line longer than 75 octets"
        );
        assert_eq!(kith::io::vcard::parse(&text).unwrap().len(), n);
        let k2 = Kith::new();
        k2.ok(&["import", "vcard", out.to_str().unwrap(), "--create-missing"]);
        let people = |k: &Kith| -> Vec<(Value, Value, Value, Value)> {
            arr(&k.json(&["contact", "list", "--sort", "name,id"]))
                .iter()
                .map(|c| {
                    (
                        c["name"].clone(),
                        c["emails"].clone(),
                        c["phones"].clone(),
                        c["account"].clone(),
                    )
                })
                .collect()
        };
        assert_eq!(people(&k), people(&k2), "{f}: round trip");
        assert!(k.ok(&["export", "vcard", "--v3"]).contains("VERSION:3.0"));
    }
    // The Chinese card from Apple keeps its name.
    let k = Kith::new();
    k.ok(&[
        "import",
        "vcard",
        &data("vcard/apple.vcf"),
        "--create-missing",
    ]);
    assert_eq!(k.json(&["contact", "show", "王芳"])["name"], "王芳");
    // A broken file: its error names the line.
    let err = k.fails(&["import", "vcard", &data("vcard/messy.vcf")], 2);
    assert!(err.contains("line 18"), "{err}");
}

#[test]
fn the_vcard_export_is_read_by_vobject_as_address_books_do() {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import vobject"])
        .output();
    if !probe.map(|o| o.status.success()).unwrap_or(false) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have python3 with vobject (.ci/run installs it)"
        );
        eprintln!("skipped: python3 with vobject is not installed");
        return;
    }
    let k = Kith::new();
    k.id(&["account", "add", "广州白云国际机场"]);
    k.id(&[
        "contact",
        "add",
        "王芳",
        "--account",
        "白云",
        "--email",
        "wang@baiyun.cn",
        "--email",
        "fang@example.com",
        "--phone",
        "+86 20 3606 6999",
        "--birthday",
        "1985-11-25",
        "--title",
        "采购经理, 华南区",
    ]);
    k.id(&[
        "contact",
        "add",
        "Sarah Jones",
        "--email",
        "sarah@acme.com",
        "--tag",
        "champion",
    ]);
    let out = k.dir.path().join("c.vcf");
    k.ok(&["export", "vcard", "-o", out.to_str().unwrap()]);
    let script = r#"
import sys, vobject, json
cards = list(vobject.readComponents(open(sys.argv[1], encoding="utf-8").read()))
print(json.dumps([{"fn": c.fn.value, "emails": [e.value for e in c.contents.get("email", [])],
                   "tel": [t.value for t in c.contents.get("tel", [])],
                   "org": c.org.value if hasattr(c, "org") else None,
                   "title": c.title.value if hasattr(c, "title") else None} for c in cards], ensure_ascii=False))
"#;
    let cards = crate::python_json(script, &out);
    assert_eq!(arr(&cards).len(), 2);
    let wang = arr(&cards)
        .into_iter()
        .find(|c| c["fn"] == "王芳")
        .expect("王芳 read back");
    assert_eq!(
        wang["emails"],
        json!(["wang@baiyun.cn", "fang@example.com"])
    );
    assert_eq!(wang["tel"], json!(["+86 20 3606 6999"]));
    assert_eq!(wang["org"], json!(["广州白云国际机场"]));
    assert_eq!(wang["title"], "采购经理, 华南区");
    assert!(arr(&cards).iter().any(|c| c["fn"] == "Sarah Jones"));
}

#[test]
fn exports_honour_the_filter_and_the_dump_round_trips() {
    let k = Kith::new();
    // With KITH_DB set, the demo fills that (empty) file.
    k.ok(&["demo", "--accounts", "15"]);
    let csv = k.ok(&["export", "csv", "--entity", "deal", "status:won"]);
    let won = count(&k, &["deal", "list", "status:won"]);
    assert_eq!(
        csv.lines().count(),
        won + 1,
        "a header and one line per won deal"
    );
    let nd = k.ok(&["export", "ndjson", "--entity", "account", "tier:A"]);
    assert_eq!(
        nd.lines().count(),
        count(&k, &["account", "list", "tier:A"])
    );
    let path = k.dir.path().join("dump.json");
    k.ok(&["export", "json", "--all", "-o", path.to_str().unwrap()]);
    let other = k.dir.path().join("restored.db");
    let o = other.to_str().unwrap();
    k.ok(&["--db", o, "import", "json", path.to_str().unwrap()]);
    let again = k.ok(&["--db", o, "export", "json", "--all"]);
    assert_eq!(again, std::fs::read_to_string(&path).unwrap(), "lossless");
    k.ok(&["--db", o, "check"]);
    let err = k.fails(&["--db", o, "import", "json", path.to_str().unwrap()], 2);
    assert!(err.contains("already holds records"), "{err}");
}

#[test]
fn duplicates_are_refused_listed_and_merged() {
    let k = Kith::new();
    k.id(&[
        "account",
        "add",
        "Acme Co., Ltd.",
        "--website",
        "https://acme.com",
        "--tier",
        "B",
    ]);
    let err = k.fails(&["account", "add", "ACME"], 2);
    assert!(
        err.contains("looks like a duplicate of account 1 'Acme Co., Ltd.' (same name)"),
        "{err}"
    );
    let err = k.fails(
        &[
            "account",
            "add",
            "Acme Logistics",
            "--email",
            "ops@acme.com",
        ],
        2,
    );
    assert!(err.contains("same domain acme.com"), "{err}");
    k.id(&[
        "account",
        "add",
        "ACME",
        "--allow-duplicate",
        "--city",
        "Shanghai",
        "--tag",
        "vip",
    ]);
    k.id(&[
        "contact",
        "add",
        "Li Lei",
        "--account",
        "2",
        "--phone",
        "+86 138 0013 8000",
    ]);
    let err = k.fails(&["contact", "add", "Lily Li", "--phone", "13800138000"], 2);
    assert!(err.contains("same phone"), "{err}");
    // Same name at another company is another person.
    k.id(&["contact", "add", "Li Lei", "--account", "1"]);
    let pairs = k.json(&["dedupe"]);
    assert_eq!(arr(&pairs)[0]["a"], 1);
    assert_eq!(arr(&pairs)[0]["b"], 2);
    assert_eq!(arr(&pairs)[0]["reasons"], json!(["same name"]));
    // Merge: a preview first, then the real thing.
    let before = k.snapshot();
    k.ok(&["merge", "account", "1", "2", "--dry-run"]);
    assert_eq!(k.snapshot(), before, "a dry run changes nothing");
    let m = k.json(&["merge", "account", "1", "2"]);
    assert_eq!(m["moved"], json!(["contact 1 (account)"]));
    assert_eq!(m["filled"], json!(["city", "tags"]));
    let a = k.json(&["account", "show", "1"]);
    assert_eq!(
        (a["city"].clone(), a["tags"].clone()),
        (json!("Shanghai"), json!(["vip"]))
    );
    assert_eq!(col(&a["contacts"], "id"), vec![json!(1), json!(2)]);
    assert!(k.json(&["account", "show", "2"])["deleted_at"].is_string());
    // The kept account's history includes the merged one's.
    let h = k.json(&["account", "history", "1"]);
    assert!(arr(&h).iter().any(|c| c["record_id"] == 2), "{h}");
    // And it undoes as one batch.
    k.ok(&["undo", "--yes"]);
    assert_eq!(k.json(&["contact", "show", "1"])["account_id"], 2);
    assert!(k.json(&["account", "show", "2"])["deleted_at"].is_null());
    k.fails(&["merge", "account", "1", "1"], 2);
}

#[test]
fn undo_steps_back_through_your_changes_only() {
    let k = Kith::new();
    k.id(&["account", "add", "Acme", "--tier", "B"]);
    k.ok(&["account", "edit", "Acme", "--tier", "A"]);
    k.cmd()
        .env("KITH_USER", "lin")
        .args(["account", "edit", "Acme", "--city", "Shanghai"])
        .assert()
        .success();
    // tester's last change is the tier; lin's city stays.
    k.ok(&["undo", "--yes"]);
    let a = k.json(&["account", "show", "Acme"]);
    assert_eq!(
        (a["tier"].clone(), a["city"].clone()),
        (json!("B"), json!("Shanghai"))
    );
    // Off a terminal, undo wants --yes.
    let err = k.fails(&["undo"], 2);
    assert!(err.contains("pass --yes"), "{err}");
    // An undo that would overwrite a later change is refused.
    k.ok(&["account", "edit", "Acme", "--tier", "C"]);
    k.cmd()
        .env("KITH_USER", "lin")
        .args(["account", "edit", "Acme", "--tier", "A"])
        .assert()
        .success();
    let err = k.fails(&["undo", "--yes"], 2);
    assert!(err.contains("tier was changed again"), "{err}");
    k.cmd()
        .env("KITH_USER", "nobody")
        .args(["undo", "--yes"])
        .assert()
        .code(1);
}

#[test]
fn backup_while_another_process_writes_and_restore() {
    let k = Kith::new();
    k.ok(&["account", "add", "seed"]);
    let bin = assert_cmd::cargo::cargo_bin("kith");
    let mut script = String::new();
    for i in 0..40 {
        script.push_str(&format!(
            "\"{}\" account add writer-{i} >/dev/null || exit 1\n",
            bin.display()
        ));
    }
    let mut writer = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("KITH_DB", &k.db)
        .env("KITH_NOW", crate::NOW)
        .env("HOME", k.dir.path())
        .spawn()
        .unwrap();
    let mut backups = Vec::new();
    for i in 0..3 {
        let b = k.dir.path().join(format!("backup-{i}.db"));
        k.ok(&["backup", b.to_str().unwrap()]);
        backups.push(b);
    }
    assert!(writer.wait().unwrap().success());
    for b in &backups {
        // Each backup is a whole, consistent database.
        k.ok(&["--db", b.to_str().unwrap(), "check"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(b).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }
    let err = k.fails(&["backup", backups[0].to_str().unwrap()], 2);
    assert!(err.contains("exists"), "{err}");
    assert_eq!(count(&k, &["account", "list"]), 41);
    let first = count(
        &k,
        &["--db", backups[0].to_str().unwrap(), "account", "list"],
    );
    k.fails(&["restore", backups[0].to_str().unwrap()], 2);
    k.ok(&["restore", backups[0].to_str().unwrap(), "--yes"]);
    assert_eq!(count(&k, &["account", "list"]), first);
    let junk = k.dir.path().join("junk.db");
    std::fs::write(
        &junk,
        "not a database at all, just some text that is long enough",
    )
    .unwrap();
    let err = k.fails(&["restore", junk.to_str().unwrap(), "--yes"], 2);
    assert!(err.contains("junk.db"), "{err}");
    assert_eq!(
        count(&k, &["account", "list"]),
        first,
        "a refused restore changes nothing"
    );
}

#[test]
fn check_finds_what_breaks_the_rules() {
    let k = Kith::new();
    k.id(&["deal", "add", "D"]);
    k.id(&["task", "add", "T"]);
    k.ok(&["task", "done", "T"]);
    assert_eq!(k.ok(&["check"]), "");
    // Break two rules behind kith's back.
    let conn = rusqlite::Connection::open(&k.db).unwrap();
    conn.execute_batch("UPDATE deals SET status = 'won'; UPDATE tasks SET done_at = NULL;")
        .unwrap();
    drop(conn);
    let out = k.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("stages: deal 1 has status won but its stage is open"),
        "{text}"
    );
    assert!(
        text.contains("tasks: task 1 is done without a done time"),
        "{text}"
    );
    let j = k.json(&["check"]);
    assert_eq!(arr(&j).len(), 2);
}

#[test]
fn check_finds_a_missing_index_and_says_how_to_make_it() {
    let k = Kith::new();
    k.id(&["task", "add", "Call back", "--due", "2026-11-01"]);
    assert_eq!(k.ok(&["check"]), "");
    let conn = rusqlite::Connection::open(&k.db).unwrap();
    conn.execute_batch("DROP INDEX tasks_open_by_due").unwrap();
    let out = k.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let want = "indexes: index tasks_open_by_due is missing; kith check --repair makes it, as: ";
    assert!(text.starts_with(want), "{text}");
    // The statement it gives puts it back.
    let sql = text.trim_end().strip_prefix(want).unwrap();
    conn.execute_batch(sql).unwrap();
    drop(conn);
    assert_eq!(k.ok(&["check"]), "");
}

#[test]
fn a_new_databases_setup_cannot_be_undone_by_a_user() {
    let k = Kith::new();
    k.ok(&["pipeline", "list"]);
    let err = k.fails(&["undo", "--yes"], 1);
    assert!(
        err.contains("tester has made no change that can be undone"),
        "{err}"
    );
    assert_eq!(arr(&k.json(&["pipeline", "list"])).len(), 1);
    assert_eq!(
        arr(&k.json(&["pipeline", "list"]))[0]["stages"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
}

#[test]
fn a_card_sharing_only_a_phone_with_someone_else_does_not_rename_them() {
    let k = Kith::new();
    k.id(&[
        "contact",
        "add",
        "王芳",
        "--phone",
        "138 0013 8000",
        "--email",
        "wang@baiyun.cn",
    ]);
    let file = k.dir.path().join("li.vcf");
    std::fs::write(
        &file,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:李明\r\nTEL:13800138000\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let err = k.fails(&["import", "vcard", file.to_str().unwrap()], 2);
    assert!(
        err.contains("looks like a duplicate of contact 1 '王芳' (same phone"),
        "{err}"
    );
    assert_eq!(k.json(&["contact", "show", "1"])["name"], "王芳");
    // The same person again (same name) is updated, not added.
    std::fs::write(
        &file,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王芳\r\nTEL:138-0013-8000\r\nTITLE:经理\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let out = k.ok(&["import", "vcard", file.to_str().unwrap()]);
    assert!(out.starts_with("created 0, updated 1"), "{out}");
    assert_eq!(k.json(&["contact", "show", "1"])["title"], "经理");
}

#[test]
fn a_merged_records_history_says_whose_each_line_is() {
    let k = Kith::new();
    k.id(&["account", "add", "Acme"]);
    k.id(&[
        "account",
        "add",
        "ACME Ltd",
        "--allow-duplicate",
        "--city",
        "Shanghai",
    ]);
    k.ok(&["merge", "account", "1", "2"]);
    let csv = k.ok(&["account", "history", "1", "--csv"]);
    assert!(
        csv.starts_with("change,record,at,user,op,field,before,after\n"),
        "{csv}"
    );
    assert!(csv.contains(",account 2,"), "{csv}");
    // With nothing rejected, the --skip-invalid file still has its header.
    let src = k.dir.path().join("ok.csv");
    std::fs::write(&src, "name\nZeta\n").unwrap();
    let rej = k.dir.path().join("rej.csv");
    k.ok(&[
        "import",
        "csv",
        src.to_str().unwrap(),
        "--entity",
        "account",
        "--skip-invalid",
        rej.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read_to_string(&rej).unwrap(), "name,line,reason\n");
}

/// The latest activity per account and deal (schema version 7) follows every kind of change
/// to activities: `kith check` compares it with the activities after each one.
#[test]
fn the_latest_activity_follows_every_change_and_check_repairs_it() {
    let k = Kith::new();
    k.id(&["account", "add", "Acme"]);
    k.id(&["account", "add", "Bolt"]);
    k.id(&[
        "deal",
        "add",
        "Acme renewal",
        "--account",
        "Acme",
        "--amount",
        "100",
    ]);
    let latest = |table: &str, id: i64| -> Option<String> {
        let conn = rusqlite::Connection::open(&k.db).unwrap();
        let key = if table == "account" {
            "account_id"
        } else {
            "deal_id"
        };
        conn.query_row(
            &format!("SELECT at FROM {table}_last_activity WHERE {key} = ?1"),
            [id],
            |r| r.get(0),
        )
        .ok()
    };
    let log = |subject: &str, at: &str| {
        k.id(&[
            "log",
            "call",
            subject,
            "--account",
            "Acme",
            "--deal",
            "1",
            "--at",
            at,
        ])
    };
    log("first", "2026-11-01 10:00");
    log("planned", "2026-12-01 10:00");
    log("second", "2026-11-10 10:00");
    assert_eq!(latest("account", 1).as_deref(), Some("2026-12-01T10:00:00"));
    assert_eq!(latest("deal", 1).as_deref(), Some("2026-12-01T10:00:00"));
    assert_eq!(k.ok(&["check"]), "");
    // The planned call moves to Bolt, then to another day.
    k.ok(&["activity", "edit", "2", "--account", "Bolt", "--deal", ""]);
    assert_eq!(latest("account", 1).as_deref(), Some("2026-11-10T10:00:00"));
    assert_eq!(latest("account", 2).as_deref(), Some("2026-12-01T10:00:00"));
    assert_eq!(latest("deal", 1).as_deref(), Some("2026-11-10T10:00:00"));
    k.ok(&["activity", "edit", "2", "--at", "2026-11-05 09:00"]);
    assert_eq!(latest("account", 2).as_deref(), Some("2026-11-05T09:00:00"));
    // Trashed, restored, and its account merged away.
    k.ok(&["activity", "rm", "3"]);
    assert_eq!(latest("account", 1).as_deref(), Some("2026-11-01T10:00:00"));
    k.ok(&["activity", "restore", "3"]);
    assert_eq!(latest("account", 1).as_deref(), Some("2026-11-10T10:00:00"));
    k.ok(&["merge", "account", "1", "2"]);
    assert_eq!(latest("account", 1).as_deref(), Some("2026-11-10T10:00:00"));
    assert_eq!(latest("account", 2), None);
    assert_eq!(k.ok(&["check"]), "");
    k.ok(&["undo", "--yes"]);
    assert_eq!(latest("account", 2).as_deref(), Some("2026-11-05T09:00:00"));
    assert_eq!(k.ok(&["check"]), "");

    // Without its trigger the table goes wrong; check says so and --repair mends both.
    let conn = rusqlite::Connection::open(&k.db).unwrap();
    conn.execute_batch("DROP TRIGGER activities_last_update")
        .unwrap();
    drop(conn);
    k.ok(&["activity", "rm", "3"]);
    let out = k.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        text.starts_with(
            "triggers: trigger activities_last_update is missing; kith check --repair makes it, as: CREATE TRIGGER"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "last_activity: 1 of the accounts has a wrong latest activity (account 1); kith check --repair makes it again\n\
             last_activity: 1 of the deals has a wrong latest activity (deal 1); kith check --repair makes it again\n"
        ),
        "{text}"
    );
    let out = k.run(&["check", "--repair"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "made trigger activities_last_update\n\
         rebuilt the latest activity of every account and deal\n\
         rebuilt the index of duplicate keys\n\
         ok: integrity, foreign keys and kith's rules all hold\n"
    );
    assert_eq!(latest("account", 1).as_deref(), Some("2026-11-01T10:00:00"));
    // The trigger is back: the next change is followed again.
    k.ok(&["activity", "restore", "3"]);
    assert_eq!(latest("account", 1).as_deref(), Some("2026-11-10T10:00:00"));
    assert_eq!(k.ok(&["check"]), "");
}

#[test]
fn merging_an_account_with_its_own_branch_does_not_make_it_its_own_parent() {
    let k = Kith::new();
    k.id(&["account", "add", "Head Office"]);
    k.id(&["account", "add", "Branch North", "--parent", "1"]);
    k.id(&["account", "add", "Branch North East", "--parent", "2"]);
    // KEEP has no parent; OTHER's parent is KEEP itself.
    k.ok(&["merge", "account", "1", "2"]);
    let a = k.json(&["account", "show", "1"]);
    assert_eq!(a["parent_id"], Value::Null, "{a}");
    // OTHER's child is now KEEP's.
    assert_eq!(k.json(&["account", "show", "3"])["parent_id"], 1);
    k.ok(&["check"]);

    // Deeper: OTHER's parent is one of KEEP's branches.
    let k = Kith::new();
    k.id(&["account", "add", "Head Office"]);
    k.id(&["account", "add", "Branch North", "--parent", "1"]);
    k.id(&["account", "add", "Branch North East", "--parent", "2"]);
    k.ok(&["merge", "account", "1", "3"]);
    assert_eq!(k.json(&["account", "show", "1"])["parent_id"], Value::Null);
    k.ok(&["check"]);
}
