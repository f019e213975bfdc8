//! What kith promises about bad input and damaged files: duplicates found through the
//! index of normalised keys, dumps validated like any other input, bad input reported as
//! exit 2 and never as a database failure, `kith check` on a damaged file.

use crate::{arr, Kith};

/// Write a file in the test's folder, return its path.
fn file(k: &Kith, name: &str, text: &str) -> String {
    let p = k.dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn duplicates_are_found_by_their_normalised_keys_in_the_database_and_in_the_file() {
    let k = Kith::new();
    k.id(&["account", "add", "Acme"]);
    k.id(&[
        "contact",
        "add",
        "王芳",
        "--email",
        "Wang@Baiyun.cn",
        "--phone",
        "+86 20 3606 6999",
    ]);
    k.id(&["contact", "add", "Sam Lee", "--phone", "(415) 555-0101 x12"]);
    // Punctuation, case and company suffixes do not count, whatever the first letters.
    let err = k.fails(&["account", "add", "A.C.M.E. Co., Ltd."], 2);
    assert!(
        err.contains("looks like a duplicate of account 1 'Acme' (same name)"),
        "{err}"
    );
    // A phone's extension does not count; a country prefix and punctuation do not either.
    let err = k.fails(
        &["contact", "add", "S. Lee", "--phone", "+1 415 555 0101"],
        2,
    );
    assert!(
        err.contains(
            "looks like a duplicate of contact 2 'Sam Lee' (same phone (415) 555-0101 x12)"
        ),
        "{err}"
    );
    // A CSV: one row like a contact already there (email in other case, phone written
    // otherwise), two rows like each other (the second is the duplicate), one new.
    let csv = file(
        &k,
        "in.csv",
        "name,email,phone\n\
         Fang Wang,WANG@baiyun.CN ,\n\
         Li Ming,,020-3606 6999\n\
         Zhao Lei,zhao@bolt.cn,\n\
         Lei Zhao, Zhao@Bolt.CN,\n\
         Qian Yi,qian@bolt.cn,13900001111\n",
    );
    let before = k.snapshot();
    let err = k.fails(&["import", "csv", &csv, "--entity", "contact"], 2);
    assert!(
        err.contains(
            "line 2: looks like a duplicate of contact 1 '王芳' (same email wang@baiyun.cn)"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "line 3: looks like a duplicate of contact 1 '王芳' (same phone +86 20 3606 6999)"
        ),
        "{err}"
    );
    // The fourth row looks like the third, which this import made (contact 3: the rows
    // before it were refused).
    assert!(
        err.contains(
            "line 5: looks like a duplicate of contact 3 'Zhao Lei' (same email zhao@bolt.cn)"
        ),
        "{err}"
    );
    assert!(!err.contains("line 4") && !err.contains("line 6"), "{err}");
    assert!(
        err.contains("3 rows rejected; nothing was imported"),
        "{err}"
    );
    assert_eq!(k.snapshot(), before, "nothing written");
    // Allowed, every row goes in; and the index knows them all afterwards.
    let out = k.ok(&[
        "import",
        "csv",
        &csv,
        "--entity",
        "contact",
        "--allow-duplicate",
    ]);
    assert!(out.starts_with("created 5,"), "{out}");
    let err = k.fails(&["contact", "add", "Q", "--phone", "139-0000-1111"], 2);
    assert!(err.contains("'Qian Yi' (same phone 13900001111)"), "{err}");
    k.ok(&["check"]);
}

#[test]
fn the_index_of_keys_follows_edits_and_the_trash() {
    let k = Kith::new();
    k.id(&[
        "lead",
        "add",
        "Li Lei",
        "--company",
        "Bolt",
        "--email",
        "li@bolt.cn",
    ]);
    k.ok(&["lead", "edit", "1", "--email", "lei@bolt.cn"]);
    // The old email is free again; the new one is taken.
    k.id(&["lead", "add", "Someone", "--email", "LI@bolt.cn"]);
    let err = k.fails(&["lead", "add", "Other", "--email", "Lei@Bolt.cn"], 2);
    assert!(err.contains("duplicate of lead 1 'Li Lei'"), "{err}");
    // A lead's name counts within its company, in any case.
    let err = k.fails(&["lead", "add", "LI LEI", "--company", "BOLT"], 2);
    assert!(
        err.contains("duplicate of lead 1 'Li Lei' (same name)"),
        "{err}"
    );
    k.id(&["lead", "add", "Li Lei", "--company", "Acme"]);
    // A record in the trash is no duplicate; restored, it is again.
    k.ok(&["lead", "rm", "1"]);
    let id = k.id(&["lead", "add", "Other", "--email", "lei@bolt.cn"]);
    assert_eq!(id, 4);
    k.ok(&["lead", "rm", "4"]);
    k.ok(&["lead", "restore", "1"]);
    k.fails(&["lead", "add", "Third", "--email", "lei@bolt.cn"], 2);
    k.ok(&["check"]);
    // Lead 3 shares lead 1's name at another company, lead 2 another email: no pairs.
    assert_eq!(arr(&k.json(&["dedupe"])), Vec::<serde_json::Value>::new());
}

#[test]
fn huge_counts_and_overlong_words_are_bad_input_or_plain_answers_never_a_database_failure() {
    let k = Kith::new();
    k.id(&["account", "add", "Acme"]);
    // More than SQLite's 64-bit LIMIT can count is all of them; an offset past the end,
    // nothing (exit 1).
    for limit in ["9223372036854775808", "18446744073709551615"] {
        let all = k.json(&["account", "list", "--limit", limit]);
        assert_eq!(arr(&all).len(), 1, "--limit {limit}: {all}");
    }
    for offset in ["9223372036854775808", "18446744073709551615"] {
        let err = k.fails(&["account", "list", "--offset", offset], 1);
        assert!(err.contains("no accounts match"), "{err}");
        k.fails(&["account", "list", "--limit", "5", "--offset", offset], 1);
    }
    // A word SQLite cannot compare (a pattern over 50,000 bytes): bad input.
    let long = "a".repeat(50_000);
    let name = format!("name:{long}");
    for args in [
        vec!["account", "list", long.as_str()],
        vec!["account", "show", long.as_str()],
        vec!["account", "edit", long.as_str(), "--tier", "A"],
        vec!["contact", "add", "Li", "--account", long.as_str()],
        vec!["account", "list", name.as_str()],
    ] {
        let out = k.run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.code() == Some(2) || out.status.code() == Some(1),
            "{:?}: {:?} {err}",
            &args[..2],
            out.status.code()
        );
        assert!(!err.contains("database"), "{err}");
    }
    let err = k.fails(&["account", "list", long.as_str()], 2);
    assert!(err.contains("a word to look for is too long"), "{err}");
}

/// Run kith as an unprivileged user when the tests run as root (root is not stopped by
/// permission bits), so that a directory without write permission really refuses.
fn as_nobody(k: &Kith, args: &[&str]) -> std::process::Output {
    let mut c = k.std_cmd();
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if root {
        let bin = c.get_program().to_owned();
        let mut s = std::process::Command::new("setpriv");
        s.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin)
            .env_clear()
            .envs(c.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))));
        c = s;
    }
    c.args(args).output().expect("run kith")
}

#[test]
fn a_database_in_a_directory_kith_cannot_write_is_read_and_a_write_says_why() {
    use std::os::unix::fs::PermissionsExt;
    let k = Kith::new();
    k.id(&["account", "add", "Acme"]);
    // Cleanly closed: no -wal or -shm beside it, and none can be made in the directory.
    let dir = k.db.parent().unwrap().to_path_buf();
    let set = |p: &std::path::Path, mode: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    set(&k.db, 0o666);
    set(&dir, 0o555);
    let list = as_nobody(&k, &["account", "list", "--json"]);
    let show = as_nobody(&k, &["account", "show", "Acme", "--json"]);
    let add = as_nobody(&k, &["account", "add", "Bolt"]);
    set(&dir, 0o755);
    assert_eq!(
        list.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(arr(&rows)[0]["name"], "Acme");
    assert_eq!(show.status.code(), Some(0));
    let err = String::from_utf8_lossy(&add.stderr);
    assert_eq!(add.status.code(), Some(3), "{err}");
    assert!(
        err.contains(&format!(
            "cannot write: the directory {} is not writable",
            dir.display()
        )),
        "{err}"
    );
    // Nothing was written, and the file is as it was.
    assert_eq!(arr(&k.json(&["account", "list"])).len(), 1);
    k.ok(&["check"]);
}

#[test]
fn a_dump_breaking_kiths_rules_is_refused_naming_table_row_and_field() {
    let k = crate::fixture();
    k.id(&["task", "add", "Call back", "--due", "tomorrow"]);
    let dump: serde_json::Value =
        serde_json::from_str(&k.ok(&["export", "json", "--all"])).unwrap();
    type Break = Box<dyn Fn(&mut serde_json::Value)>;
    let cases: Vec<(&str, Break, &str)> = vec![
        (
            "tags",
            Box::new(|d| d["tables"]["accounts"][0]["tags"] = "vip".into()),
            "accounts row 1 (id 1): tags: 'vip' is not a list of texts",
        ),
        (
            "open task done",
            Box::new(|d| d["tables"]["tasks"][0]["done_at"] = "2026-11-22T10:00:00Z".into()),
            "tasks: task 1 is open with a done time",
        ),
        (
            "type",
            Box::new(|d| d["tables"]["accounts"][1]["name"] = 5.into()),
            "accounts row 2 (id 2): name: a whole number where text belongs",
        ),
        (
            "column",
            Box::new(|d| d["tables"]["accounts"][0]["colour"] = "red".into()),
            "accounts row 1 (id 1): unknown column 'colour'",
        ),
        (
            "empty row",
            Box::new(|d| {
                d["tables"]["merges"] = serde_json::json!([{}]);
            }),
            "merges row 1: a row with no columns",
        ),
        (
            "enum",
            Box::new(|d| d["tables"]["accounts"][0]["tier"] = "Z".into()),
            "accounts row 1 (id 1): tier: 'Z' is not one of A, B, C",
        ),
        (
            "reference",
            Box::new(|d| d["tables"]["contacts"][0]["account_id"] = 99.into()),
            "contacts row with id 1: account_id points at a missing accounts row",
        ),
        (
            "required",
            Box::new(|d| {
                d["tables"]["tasks"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("title");
            }),
            "tasks row 1 (id 1): title: missing",
        ),
    ];
    for (what, break_it, want) in cases {
        let mut d = dump.clone();
        break_it(&mut d);
        let path = file(&k, "broken.json", &d.to_string());
        let fresh = Kith::new();
        let err = fresh.fails(&["import", "json", &path], 2);
        assert!(err.contains(want), "{what}: {err}");
        // Nothing written: the new database has only what a new database has.
        assert_eq!(arr(&fresh.json(&["account", "list"])).len(), 0, "{what}");
        fresh.ok(&["check"]);
    }
    // The dump as made still loads, and passes check.
    let path = file(&k, "good.json", &dump.to_string());
    let fresh = Kith::new();
    fresh.ok(&["import", "json", &path]);
    fresh.ok(&["check"]);
}

#[test]
fn check_lists_the_problems_of_a_damaged_file_and_says_when_it_is_no_database() {
    let k = Kith::new();
    for n in ["Acme", "Bolt", "Cedar", "Delta"] {
        k.id(&["account", "add", n]);
    }
    // Overwrite the index entries (the end of the root page of an index; closed cleanly:
    // no -wal), leaving the page's header: SQLite lists what no longer agrees.
    let (page, size): (i64, i64) = {
        let c = rusqlite::Connection::open(&k.db).unwrap();
        let page = c
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'accounts_by_name'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (
            page,
            c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap(),
        )
    };
    let mut bytes = std::fs::read(&k.db).unwrap();
    let end = (page * size) as usize;
    for b in &mut bytes[end - 60..end] {
        *b = b'z';
    }
    std::fs::write(&k.db, &bytes).unwrap();
    let out = k.run(&["check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty());
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("integrity: ") && l.contains(&format!("page {page}"))),
        "{text}"
    );
    // Not a database at all: one line, exit 1.
    std::fs::write(&k.db, "this is a text file, not a database\n".repeat(200)).unwrap();
    let out = k.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "integrity: file is not a database (the file is not a SQLite database, or its header is destroyed)\n"
    );
    // Other commands still fail as the file system failure they are.
    k.fails(&["account", "list"], 3);
}
