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
    args.extend(["--map", "Birthday=-"]);
    let out = k.ok(&args);
    assert!(
        out.starts_with("created 3, updated 0, unchanged 0, rejected 0"),
        "{out}"
    );
    let anna = k.json(&["contact", "show", "Schmidt"]);
    assert_eq!(anna["account"], json!("Müller & Söhne GmbH"));
    assert_eq!(anna["title"], json!("Geschäftsführerin"));
    assert_eq!(anna["emails"], json!(["anna.schmidt@mueller-soehne.de"]));
    assert_eq!(anna["phones"], json!(["+49 170 1234567"]));
    assert_eq!(anna["notes"], json!("Trifft sich gern im Café."));
    let dupont = k.json(&["contact", "show", "Dupont"]);
    assert_eq!(dupont["account"], json!("Société Générale"));
    assert_eq!(dupont["title"], json!("Directeur général"));
    let aberg = k.json(&["contact", "show", "Åberg"]);
    assert_eq!(aberg["account"], json!("Nordisk Café ApS"));
    assert_eq!(aberg["emails"], json!(["soren@nordisk-cafe.dk"]));
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
    args.extend(["--map", "Birthday=-", "--encoding", "latin1"]);
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
    let py = std::process::Command::new("python3")
        .args(["-c", script, out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
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
