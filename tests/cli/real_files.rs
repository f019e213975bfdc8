//! Files as other tools write them (tests/data/csv/SOURCES.md says where each comes from),
//! imported through the real binary and checked field by field.

use serde_json::json;

use crate::Kith;

fn data(path: &str) -> String {
    format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// The Outlook export's columns that today's header matching cannot place by itself:
/// Outlook's `Title` is the honorific and `Account` an account number; the name is in
/// `First Name` and `Last Name`.
const OUTLOOK_MAPS: &[&str] = &[
    "--map",
    "Title=-",
    "--map",
    "Account=-",
    "--map",
    "Job Title=title",
    "--map",
    "Last Name=name",
];

#[test]
fn an_outlook_export_in_windows_1252_comes_in_with_its_accents() {
    let k = Kith::new();
    let file = data("csv/outlook_contacts_windows1252.csv");
    let mut args = vec![
        "import",
        "csv",
        &file,
        "--entity",
        "contact",
        "--create-missing",
    ];
    args.extend(OUTLOOK_MAPS);
    let out = k.ok(&args);
    assert!(
        out.starts_with("created 3, updated 0, unchanged 0, rejected 0"),
        "{out}"
    );
    let anna = k.json(&["contact", "show", "Schmidt"]);
    assert_eq!(anna["account"], json!("Müller & Söhne GmbH"));
    assert_eq!(anna["title"], json!("Geschäftsführerin"));
    assert_eq!(anna["emails"], json!(["anna.schmidt@mueller-soehne.de"]));
    assert_eq!(anna["phones"], json!(["+49 89 1234567", "+49 170 1234567"]));
    // The Outlook preset keeps every column kith has no field for in the notes.
    assert_eq!(
        anna["notes"],
        json!(
            "Trifft sich gern im Café.\n\nBusiness Street: Königstraße 12\nBusiness City: München\nBusiness Postal Code: 80331\nBusiness Country/Region: Deutschland\nInitials: A.S.\nWeb Page: https://mueller-soehne.de/"
        )
    );
    // US Outlook writes month first: 12/24/1979 below shows it, so 3/12/1985 is 12 March.
    assert_eq!(anna["birthday"], json!("1985-03-12"));
    let dupont = k.json(&["contact", "show", "Dupont"]);
    assert_eq!(dupont["account"], json!("Société Générale"));
    assert_eq!(dupont["title"], json!("Directeur général"));
    // Outlook's 0/0/00 is no birthday.
    assert_eq!(dupont["birthday"], json!(null));
    let aberg = k.json(&["contact", "show", "Åberg"]);
    assert_eq!(aberg["account"], json!("Nordisk Café ApS"));
    assert_eq!(aberg["emails"], json!(["soren@nordisk-cafe.dk"]));
    assert_eq!(aberg["birthday"], json!("1979-12-24"));
    // Told the encoding by any of its names, the same.
    let k = Kith::new();
    let mut args = vec![
        "import",
        "csv",
        &file,
        "--entity",
        "contact",
        "--create-missing",
    ];
    args.extend(OUTLOOK_MAPS);
    args.extend(["--encoding", "latin1"]);
    k.ok(&args);
    assert_eq!(
        k.json(&["contact", "show", "Schmidt"])["account"],
        json!("Müller & Söhne GmbH")
    );
}

#[test]
fn a_file_whose_encoding_cannot_be_told_is_refused_naming_encoding() {
    let k = Kith::new();
    let before = k.snapshot();
    let file = k.dir.path().join("few.csv");
    // 名 and 王 in GBK: four bytes that read as well as Cyrillic letters.
    std::fs::write(&file, b"name\n\xc3\xfb\n\xcd\xf5\n").unwrap();
    let path = file.to_str().unwrap();
    let err = k.fails(&["import", "csv", path, "--entity", "account"], 2);
    assert!(err.contains("cannot tell the file's encoding"), "{err}");
    assert!(err.contains("--encoding"), "{err}");
    assert_eq!(k.snapshot(), before);
    k.ok(&[
        "import",
        "csv",
        path,
        "--entity",
        "account",
        "--encoding",
        "gbk",
    ]);
    assert_eq!(k.json(&["account", "show", "王"])["name"], json!("王"));
}

#[test]
fn a_quote_never_closed_refuses_the_file_instead_of_swallowing_it() {
    let k = Kith::new();
    let before = k.snapshot();
    let file = k.dir.path().join("quote.csv");
    std::fs::write(
        &file,
        "name,email,notes\nAnna,anna@a.com,\"Met at the fair\nBen,ben@b.com,fine\nCai,cai@c.com,ok\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let err = k.fails(&["import", "csv", path, "--entity", "contact"], 2);
    assert!(
        err.contains("line 2: quote opened here is never closed"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(k.snapshot(), before);
}

#[test]
fn a_byte_order_mark_inside_a_cell_is_dropped_so_the_record_is_found() {
    let k = Kith::new();
    let file = k.dir.path().join("bom.csv");
    // Pasted from another file: the mark opens the file and, again, a cell and a header.
    std::fs::write(
        &file,
        "\u{feff}name,\u{feff}email\n\u{feff}Zero Width,zw@example.com\n",
    )
    .unwrap();
    k.ok(&[
        "import",
        "csv",
        file.to_str().unwrap(),
        "--entity",
        "contact",
    ]);
    let c = k.json(&["contact", "show", "Zero Width"]);
    assert_eq!(c["name"], json!("Zero Width"));
    assert_eq!(c["emails"], json!(["zw@example.com"]));
}

/// Python with `module`, or (outside CI) a skip.
fn python_with(module: &str) -> bool {
    let probe = std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output();
    if probe.map(|o| o.status.success()).unwrap_or(false) {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must have python3 with {module} (.ci/run installs it)"
    );
    eprintln!("skipped: python3 with {module} is not installed");
    false
}

#[test]
fn the_ical_export_is_read_by_python_icalendar_with_its_durations() {
    if !python_with("icalendar") {
        return;
    }
    let k = Kith::new();
    k.id(&["account", "add", "Müller & Söhne GmbH", "--city", "München"]);
    for (subject, minutes) in [("Quick check", "0"), ("Review", "90")] {
        k.ok(&[
            "log",
            "call",
            subject,
            "--account",
            "Müller",
            "--at",
            "2026-11-24 14:00",
            "--minutes",
            minutes,
        ]);
    }
    k.ok(&["log", "meeting", "No length", "--at", "2026-11-25 09:00"]);
    k.ok(&["task", "add", "Send quote", "--due", "2026-11-26"]);
    let out = k.dir.path().join("k.ics");
    k.ok(&["export", "ical", "-o", out.to_str().unwrap()]);
    let script = r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
out = []
for c in cal.walk():
    if c.name not in ("VEVENT", "VTODO"):
        continue
    start = c.get("dtstart")
    end = c.get("dtend")
    due = c.get("due")
    out.append({"kind": c.name, "summary": str(c.get("summary")),
                "start": start.dt.isoformat() if start else None,
                "end": end.dt.isoformat() if end else None,
                "due": due.dt.isoformat() if due else None,
                "location": str(c.get("location")) if c.get("location") else None})
print(json.dumps(out, ensure_ascii=False))
"#;
    let got = crate::python_json(script, &out);
    let find = |summary: &str| {
        got.as_array()
            .unwrap()
            .iter()
            .find(|c| c["summary"] == summary)
            .unwrap_or_else(|| panic!("{summary} in {got}"))
            .clone()
    };
    let quick = find("call: Quick check");
    assert_eq!(
        (&quick["start"], &quick["end"], &quick["location"]),
        (
            &json!("2026-11-24T14:00:00"),
            &json!(null),
            &json!("München")
        )
    );
    let review = find("call: Review");
    assert_eq!(
        (&review["start"], &review["end"]),
        (&json!("2026-11-24T14:00:00"), &json!("2026-11-24T15:30:00"))
    );
    let none = find("meeting: No length");
    assert_eq!(none["end"], json!("2026-11-25T10:00:00"));
    let task = find("Send quote");
    assert_eq!(
        (&task["kind"], &task["due"]),
        (&json!("VTODO"), &json!("2026-11-26"))
    );
}

#[test]
fn a_google_export_keeps_a_birthday_without_a_year_and_remind_finds_it() {
    let k = Kith::new();
    let file = data("csv/google_contacts_birthday.csv");
    let out = k.ok(&[
        "import",
        "csv",
        &file,
        "--entity",
        "contact",
        "--create-missing",
        "--map",
        "E-mail 1 - Value=email",
        "--map",
        "Phone 1 - Value=phone",
        "--map",
        "Organization 1 - Name=account",
        "--map",
        "Organization 1 - Title=title",
    ]);
    assert!(
        out.starts_with("created 3, updated 0, unchanged 0, rejected 0"),
        "{out}"
    );
    let zoe = k.json(&["contact", "show", "Zoë Laurent"]);
    assert_eq!(zoe["birthday"], json!("--05-20"));
    assert_eq!(zoe["account"], json!("Laurent SARL"));
    assert_eq!(zoe["title"], json!("Gérante"));
    assert_eq!(zoe["phones"], json!(["+33 6 12 34 56 78"]));
    assert_eq!(
        zoe["notes"],
        json!("Met at the Lyon fair\n\nAddress 1 - City: Lyon\nAddress 1 - Country: France")
    );
    let kenji = k.json(&["contact", "show", "Kenji Watanabe"]);
    assert_eq!(kenji["birthday"], json!("1979-11-02"));
    assert_eq!(kenji["emails"], json!(["kenji@watanabe.example"]));
    assert_eq!(
        k.json(&["contact", "show", "Priya Nair"])["birthday"],
        json!(null)
    );
    // 20 May comes round every year, with no age to tell.
    let mut cmd = k.std_cmd();
    cmd.env("KITH_NOW", "2027-05-19T08:00")
        .args(["remind", "--within", "3d"]);
    let out = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = text
        .lines()
        .find(|l| l.contains("Birthday of Zoë Laurent"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("Thu 2027-05-20"), "{line}");
    assert!(!line.contains("turns"), "{line}");
    // By hand too.
    k.id(&["contact", "add", "No Year", "--birthday=--02-29"]);
    assert_eq!(
        k.json(&["contact", "show", "No Year"])["birthday"],
        json!("--02-29")
    );
}

#[test]
fn day_first_or_month_first_is_asked_when_the_file_does_not_show_it() {
    let k = Kith::new();
    let before = k.snapshot();
    let file = k.dir.path().join("dates.csv");
    std::fs::write(
        &file,
        "name,birthday\nAnna,3/12/1985\nBen,1/2/1990\nCai,0/0/00\nDee,March 3rd\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let err = k.fails(&["import", "csv", path, "--entity", "contact"], 2);
    assert!(
        err.contains(
            "line 2, column birthday: '3/12/1985' could be 12 March 1985 or 3 December 1985: \
             say which with --date-format mdy or --date-format dmy"
        ),
        "{err}"
    );
    assert!(
        err.contains("line 3, column birthday: '1/2/1990' could be"),
        "{err}"
    );
    // The forms a file may use, not the units of date words.
    assert!(
        err.contains(
            "line 5, column birthday: 'March 3rd' is not a date; dates in a file may be 2026-11-22"
        ),
        "{err}"
    );
    assert!(!err.contains("use d, w, m, y"), "{err}");
    assert_eq!(k.snapshot(), before);
    std::fs::write(
        &file,
        "name,birthday\nAnna,3/12/1985\nBen,1/2/1990\nCai,0/0/00\n",
    )
    .unwrap();
    k.ok(&[
        "import",
        "csv",
        path,
        "--entity",
        "contact",
        "--date-format",
        "dmy",
    ]);
    assert_eq!(
        k.json(&["contact", "show", "Anna"])["birthday"],
        json!("1985-12-03")
    );
    assert_eq!(
        k.json(&["contact", "show", "Ben"])["birthday"],
        json!("1990-02-01")
    );
    assert_eq!(k.json(&["contact", "show", "Cai"])["birthday"], json!(null));
    // Tasks' due dates with a time, month first as the column shows (12/24).
    std::fs::write(
        k.dir.path().join("tasks.csv"),
        "title,due\nCall,12/24/2026 9:30 AM\nSend,1/5/2027\n",
    )
    .unwrap();
    let tasks = k.dir.path().join("tasks.csv");
    k.ok(&["import", "csv", tasks.to_str().unwrap(), "--entity", "task"]);
    assert_eq!(
        k.json(&["task", "show", "Call"])["due"],
        json!("2026-12-24T09:30:00")
    );
    assert_eq!(
        k.json(&["task", "show", "Send"])["due"],
        json!("2027-01-05")
    );
}

#[test]
fn thunderbirds_own_test_address_books_come_in() {
    for file in [
        "csv/thunderbird_basic_addressbook.csv",
        "csv/thunderbird_semicolon.csv",
    ] {
        let k = Kith::new();
        let out = k.ok(&[
            "import",
            "csv",
            &data(file),
            "--entity",
            "contact",
            "--map",
            "Display Name=name",
            "--map",
            "Primary Email=email",
        ]);
        assert!(
            out.starts_with("created 2, updated 0, unchanged 0, rejected 0"),
            "{file}: {out}"
        );
        for (name, email) in [
            ("John Doe", "john@doe.invalid"),
            ("Jane Doe", "jane@doe.invalid"),
        ] {
            let c = k.json(&["contact", "show", name]);
            assert_eq!(c["name"], json!(name), "{file}");
            assert_eq!(c["emails"], json!([email]), "{file}");
            assert_eq!(c["account"], json!(null), "{file}");
            assert_eq!(c["birthday"], json!(null), "{file}");
        }
    }
}
