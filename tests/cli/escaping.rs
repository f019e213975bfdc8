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
