//! What kith writes out cannot act: control characters are refused on the way in and shown
//! visibly on the way out (docs/data-model.md, "Guarantees").

use serde_json::{json, Value};

use crate::{arr, col, Kith};

/// Sets a terminal's title, then rings its bell.
const EVIL: &str = "\u{1b}]0;pwned\u{7}Evil";

/// The characters of `text` a terminal would act on: control characters other than tab and
/// line feed, and the bidirectional overrides and isolates that reorder what is shown.
fn acting(text: &[u8]) -> Vec<char> {
    String::from_utf8_lossy(text)
        .chars()
        .filter(|c| {
            (c.is_control() && !matches!(c, '\n' | '\t'))
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[test]
fn control_characters_are_refused_by_add_edit_and_pipelines() {
    let k = Kith::new();
    let err = k.fails(&["account", "add", EVIL], 2);
    assert!(
        err.contains("name: control character U+001B (ESC) at character 1 is not allowed"),
        "{err}"
    );
    assert_eq!(acting(err.as_bytes()), vec![], "{err:?}");
    let err = k.fails(
        &["contact", "add", "Li Lei", "--title", "Sales\u{8}\u{8}CEO"],
        2,
    );
    assert!(
        err.contains("title: control character U+0008 (BS) at character 6 is not allowed"),
        "{err}"
    );
    // C1 controls (here CSI, which starts an escape sequence on its own) and DEL too.
    let err = k.fails(&["account", "add", "Acme\u{9b}2J"], 2);
    assert!(err.contains("U+009B (C1 control) at character 5"), "{err}");
    let err = k.fails(&["lead", "add", "Del\u{7f}"], 2);
    assert!(err.contains("U+007F (DEL) at character 4"), "{err}");
    // An email or a phone is checked for them before anything else.
    let err = k.fails(&["lead", "add", "Wu", "--email", "wu\u{1b}@example.com"], 2);
    assert!(
        err.contains("email: control character U+001B (ESC) at character 3"),
        "{err}"
    );
    // Notes are multi-line: line breaks and tabs are kept, other controls refused.
    let id = k.id(&[
        "account",
        "add",
        "Acme",
        "--notes",
        "first line\nsecond\tline",
    ]);
    assert_eq!(
        k.json(&["account", "show", &id.to_string()])["notes"],
        json!("first line\nsecond\tline")
    );
    let err = k.fails(&["account", "edit", "Acme", "--notes", "bell\u{7}"], 2);
    assert!(
        err.contains("notes: control character U+0007 (BEL) at character 5 is not allowed"),
        "{err}"
    );
    // A one-line field still says so for a line break; a tab is kept.
    let err = k.fails(&["account", "edit", "Acme", "--name", "Acme\nCorp"], 2);
    assert!(err.contains("name: must be one line"), "{err}");
    k.ok(&["account", "edit", "Acme", "--city", "Tab\tCity"]);
    let err = k.fails(&["account", "edit", "Acme", "--tag", "vip\u{1b}[31m"], 2);
    assert!(err.contains("U+001B (ESC)"), "{err}");
    // Pipelines and stages are named through the same check.
    let err = k.fails(&["pipeline", "add", "Evil\u{1b}[2J"], 2);
    assert!(
        err.contains("pipeline: control character U+001B (ESC)"),
        "{err}"
    );
    let err = k.fails(&["pipeline", "add", "Ok", "--stage", "lead\u{7}:10"], 2);
    assert!(err.contains("U+0007 (BEL)"), "{err}");
    assert_eq!(
        col(&k.json(&["account", "list"]), "name"),
        vec![json!("Acme")]
    );
    assert_eq!(
        col(&k.json(&["account", "list"]), "city"),
        vec![json!("Tab\tCity")]
    );
    assert_eq!(arr(&k.json(&["pipeline", "list"])).len(), 1);
    assert_eq!(arr(&k.json(&["lead", "list"])).len(), 0);
}

#[test]
fn imports_refuse_control_characters_naming_the_line_and_column() {
    let k = Kith::new();
    let before = k.snapshot();
    let file = k.dir.path().join("evil.csv");
    std::fs::write(
        &file,
        "name,city,notes\n\
         Good,Paris,fine\n\
         Evil\u{1b}]0;x\u{7},Lyon,\n\
         Nul,Be\0rlin,\n\
         Multi,Nice,\"two\nlines\u{7}\"\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let err = k.fails(&["import", "csv", f, "--entity", "account"], 2);
    for want in [
        "line 3, column name: control character U+001B (ESC) at character 5 is not allowed",
        "line 4, column city: control character U+0000 (NUL) at character 3 is not allowed",
        "line 5, column notes: control character U+0007 (BEL) at character 10 is not allowed",
        "3 rows rejected; nothing was imported",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    assert_eq!(acting(err.as_bytes()), vec![], "{err:?}");
    assert_eq!(k.snapshot(), before, "nothing written");

    let card = k.dir.path().join("evil.vcf");
    std::fs::write(
        &card,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Card\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Evil\u{1b}]0;x\u{7}Card\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let err = k.fails(&["import", "vcard", card.to_str().unwrap()], 2);
    assert!(
        err.contains("control character U+001B (ESC) at character 5 is not allowed"),
        "{err}"
    );
    assert_eq!(k.snapshot(), before, "nothing written");

    // A dump is a restore, not a way around the rules.
    k.ok(&["account", "add", "PLACEHOLDER"]);
    let dump = k
        .ok(&["export", "json", "--all"])
        .replace("PLACEHOLDER", "\\u001b]0;x");
    let path = k.dir.path().join("dump.json");
    std::fs::write(&path, dump).unwrap();
    let other = k.dir.path().join("other.db");
    let o = other.to_str().unwrap();
    let err = k.fails(&["--db", o, "import", "json", path.to_str().unwrap()], 2);
    assert!(
        err.contains(
            "accounts row 1: name: control character U+001B (ESC) at character 1 is not allowed"
        ),
        "{err}"
    );
    assert_eq!(
        k.json(&["--db", o, "account", "list"]),
        json!([]),
        "nothing loaded"
    );
}

/// Records written before kith refused control characters still hold them: every text
/// face shows them escaped, JSON keeps them exactly.
#[test]
fn old_records_holding_control_characters_are_shown_escaped() {
    let k = Kith::new();
    k.ok(&["account", "add", "Zenith PLACEHOLDER", "--tier", "A"]);
    k.ok(&["account", "edit", "1", "--industry", "PLACEHOLDER"]);
    k.ok(&[
        "task",
        "add",
        "Call PLACEHOLDER",
        "--due",
        "yesterday",
        "--account",
        "1",
    ]);
    // A terminal title, a bell, a C1 CSI, a right-to-left override, a carriage return.
    // (Tables show a line break or carriage return as a space, lines by its code.)
    let bad = "\u{1b}]0\u{7}\u{9b}\u{202e}X\rY".to_string();
    let shown = "\\u{1b}]0\\u{7}\\u{9b}\\u{202e}X";
    let as_json = serde_json::to_string(&bad).unwrap();
    let as_json = as_json.trim_matches('"');
    let conn = rusqlite::Connection::open(&k.db).unwrap();
    conn.execute(
        "UPDATE accounts SET name = replace(name, 'PLACEHOLDER', ?1), \
         industry = replace(industry, 'PLACEHOLDER', ?1)",
        [&bad],
    )
    .unwrap();
    conn.execute(
        "UPDATE tasks SET title = replace(title, 'PLACEHOLDER', ?1)",
        [&bad],
    )
    .unwrap();
    conn.execute(
        "UPDATE changes SET before = replace(before, 'PLACEHOLDER', ?1), \
         after = replace(after, 'PLACEHOLDER', ?1)",
        [as_json],
    )
    .unwrap();
    drop(conn);
    for args in [
        &["account", "list"][..],
        &["account", "show", "1"],
        &["account", "history", "1"],
        &["task", "list"],
        &["search", "Zenith"],
        &["agenda"],
        &["report", "customers"],
        &["remind"],
    ] {
        let out = k.run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(acting(&out.stdout), vec![], "{args:?}:\n{stdout}");
        assert_eq!(acting(&out.stderr), vec![], "{args:?}: {out:?}");
        assert!(stdout.contains(shown), "{args:?}:\n{stdout}");
    }
    // Error messages that repeat what was typed or stored.
    let out = k.run(&["account", "show", &format!("{EVIL} nobody")]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(acting(&out.stderr), vec![], "{stderr}");
    assert!(
        stderr.contains("\\u{1b}]0;pwned\\u{7}Evil nobody"),
        "{stderr}"
    );
    let out = k.run(&["account", "list", "--limit", EVIL]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(acting(&out.stderr), vec![], "{out:?}");
    // JSON carries the value exactly as stored.
    let v: Value = k.json(&["account", "show", "1"]);
    assert_eq!(v["name"], json!(format!("Zenith {bad}")));
    assert_eq!(v["industry"], json!(bad));
}

/// A text cell a spreadsheet would run as a formula (it starts with = + - @, a tab or a
/// carriage return) is written with a leading `'`; numbers stay numbers; `--raw` writes
/// cells as stored; the importer takes the `'` off again.
#[test]
fn csv_for_spreadsheets_carries_no_formula_and_comes_back_unchanged() {
    let k = Kith::new();
    let link = "=HYPERLINK(\"http://evil.example\",\"Click\")";
    k.ok(&[
        "account",
        "add",
        link,
        "--city",
        "+Lyon",
        "--industry",
        "-dash",
        "--owner",
        "@me",
        "--region",
        "'=quoted",
        "--phone",
        "+86 20 3606 6999",
        "--notes",
        "=1+2\nsecond line",
        "--tier",
        "A",
    ]);
    k.ok(&[
        "deal",
        "add",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "--account",
        "1",
        "--amount",
        "500",
        "--cost",
        "1000",
    ]);
    k.ok(&["deal", "won", "1"]);
    let cols = "name,city,industry,owner,region,phone";
    assert_eq!(
        k.ok(&["account", "list", "--csv", "--columns", cols]),
        "name,city,industry,owner,region,phone\n\
         \"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\",'+Lyon,'-dash,'@me,''=quoted,'+86 20 3606 6999\n"
    );
    assert_eq!(
        k.ok(&[
            "account",
            "list",
            "--tsv",
            "--columns",
            "city,industry,tier"
        ]),
        "city\tindustry\ttier\n'+Lyon\t'-dash\tA\n"
    );
    assert_eq!(
        k.ok(&["account", "list", "--csv", "--raw", "--columns", cols]),
        "name,city,industry,owner,region,phone\n\
         \"=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\",+Lyon,-dash,@me,'=quoted,+86 20 3606 6999\n"
    );
    // A report's numbers are numbers: the profit of 500 − 1000 stays -500.
    let report = k.ok(&["report", "customers", "--csv"]);
    let row = report.lines().nth(1).unwrap();
    assert!(
        row.starts_with(
            "1,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\",A,USD,500,-500,1,1,"
        ),
        "{report}"
    );
    let raw = k.ok(&["report", "customers", "--csv", "--raw"]);
    assert!(
        raw.lines().nth(1).unwrap().starts_with("1,\"=HYPERLINK("),
        "{raw}"
    );
    // Every other CSV: the deal's title in a list, a show, the history, the agenda rows.
    let deals = k.ok(&["deal", "list", "--csv", "--columns", "title,amount"]);
    assert_eq!(deals, "title,amount\n'@SUM(1+1)*cmd|' /C calc'!A0,500\n");
    let show = k.ok(&["deal", "show", "1", "--tsv"]);
    assert!(show.contains("\t'@SUM(1+1)"), "{show}");
    let history = k.ok(&["deal", "history", "1", "--csv"]);
    assert!(history.contains(",'@SUM(1+1)"), "{history}");
    assert!(!history.contains(",@SUM"), "{history}");

    // export csv neutralises the same way; importing its file gives back every value.
    let file = k.dir.path().join("accounts.csv");
    k.ok(&[
        "export",
        "csv",
        "--entity",
        "account",
        "-o",
        file.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&file).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    let rec = r.records().next().unwrap().unwrap();
    for (h, cell) in headers.iter().zip(rec.iter()) {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{h}: {cell:?}"
        );
    }
    let raw = k.dir.path().join("raw.csv");
    k.ok(&[
        "export",
        "csv",
        "--entity",
        "account",
        "--raw",
        "-o",
        raw.to_str().unwrap(),
    ]);
    assert!(
        std::fs::read_to_string(&raw).unwrap().contains(",+Lyon,"),
        "--raw"
    );
    let other = k.dir.path().join("other.db");
    let o = other.to_str().unwrap();
    k.ok(&[
        "--db",
        o,
        "import",
        "csv",
        file.to_str().unwrap(),
        "--entity",
        "account",
    ]);
    let fields = [
        "name", "city", "industry", "owner", "region", "phone", "notes", "tier",
    ];
    let a = k.json(&["account", "show", "1"]);
    let b = k.json(&["--db", o, "account", "show", "1"]);
    for f in fields {
        assert_eq!(b[f], a[f], "{f}");
    }
    assert_eq!(b["name"], json!(link));
    assert_eq!(b["region"], json!("'=quoted"));
    assert_eq!(b["notes"], json!("=1+2\nsecond line"));
    // And exported again, the file is the same.
    let again = k.ok(&["--db", o, "export", "csv", "--entity", "account"]);
    assert_eq!(again, text);
}
