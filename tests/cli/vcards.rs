//! vCard files as other tools write them: no card at all, other encodings, values kith
//! cannot take, UIDs, and the reject file.

use serde_json::{json, Value};

use crate::{arr, Kith};

/// Write `bytes` to a file in the test's directory and give its path.
fn file(k: &Kith, name: &str, bytes: &[u8]) -> String {
    let p = k.dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn a_file_without_a_card_is_an_error_naming_it() {
    let k = Kith::new();
    for (name, text) in [
        ("empty.vcf", ""),
        ("notes.vcf", "FN:Jane Doe\nEMAIL:jane@example.com\n"),
        ("begun.txt", "hello\nBEGIN:VCALENDAR\nEND:VCALENDAR\n"),
    ] {
        let f = file(&k, name, text.as_bytes());
        let err = k.fails(&["import", "vcard", &f], 2);
        assert_eq!(
            err,
            format!("kith: {f}: no vCard in the file (no BEGIN:VCARD … END:VCARD)\n"),
            "{name}"
        );
    }
    // A group on BEGIN and END, in lower case, is read.
    let f = file(
        &k,
        "group.vcf",
        b"home.begin:vcard\r\nhome.version:3.0\r\nhome.fn:Jane Doe\r\nhome.email:jane@example.com\r\nhome.end:vcard\r\n",
    );
    let out = k.ok(&["import", "vcard", &f]);
    assert!(out.starts_with("created 1, updated 0"), "{out}");
    let c = k.json(&["contact", "show", "Jane Doe"]);
    assert_eq!(c["emails"], json!(["jane@example.com"]));
    assert_eq!(arr(&k.json(&["contact", "list"])).len(), 1);
}

fn data(path: &str) -> String {
    format!("{}/tests/data/vcard/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// A contact's fields as (name, account, title, emails, phones, notes).
fn fields(k: &Kith, name: &str) -> (String, Value, Value, Value, Value, Value) {
    let c = k.json(&["contact", "show", name]);
    (
        c["name"].as_str().unwrap_or_default().to_string(),
        c["account"].clone(),
        c["title"].clone(),
        c["emails"].clone(),
        c["phones"].clone(),
        c["notes"].clone(),
    )
}

#[test]
fn android_shift_jis_cards_are_read_in_their_charset() {
    let k = Kith::new();
    let out = k.ok(&[
        "import",
        "vcard",
        &data("android_shift_jis.vcf"),
        "--create-missing",
    ]);
    assert!(
        out.starts_with("created 2, updated 0, unchanged 0, rejected 0"),
        "{out}"
    );
    assert_eq!(
        fields(&k, "山田 花子"),
        (
            "山田 花子".to_string(),
            json!("株式会社さくら商事"),
            Value::Null,
            json!(["hanako.yamada@example.ne.jp"]),
            json!(["090-1234-5678", "03-5555-0123"]),
            json!("営業部、火曜定休\n\n[vCard]\nN:山田;花子;;;"),
        )
    );
    assert_eq!(
        fields(&k, "鈴木一郎"),
        (
            "鈴木一郎".to_string(),
            Value::Null,
            Value::Null,
            json!([]),
            json!(["06-5555-0456"]),
            json!("[vCard]\nN:鈴木;一郎;;;"),
        )
    );
}

#[test]
fn outlook_windows_1252_cards_are_read_in_their_charset() {
    let k = Kith::new();
    k.ok(&[
        "import",
        "vcard",
        &data("outlook_windows1252.vcf"),
        "--create-missing",
    ]);
    assert_eq!(
        fields(&k, "Jürgen Müller"),
        (
            "Jürgen Müller".to_string(),
            json!("Müller & Söhne GmbH"),
            json!("Geschäftsführer"),
            json!(["j.mueller@mueller-soehne.example"]),
            json!(["+49 89 5555 0100"]),
            json!(
                "[vCard]\nADR:Hauptstraße 1, München, 80331, Deutschland\n\
                 LABEL;WORK;PREF:Hauptstraße 1\\n80331 München\n\
                 X-MS-OL-DEFAULT-POSTAL-ADDRESS:2\nREV:20240115T093000Z"
            ),
        )
    );
}

#[test]
fn a_utf16_file_with_a_byte_order_mark_is_read() {
    let k = Kith::new();
    let out = k.ok(&[
        "import",
        "vcard",
        &data("utf16le_bom.vcf"),
        "--create-missing",
    ]);
    assert!(out.starts_with("created 2,"), "{out}");
    assert_eq!(
        fields(&k, "Karin Åström"),
        (
            "Karin Åström".to_string(),
            json!("Nordljus AB"),
            Value::Null,
            json!(["karin@nordljus.example"]),
            json!(["+46 70 555 01 23"]),
            Value::Null,
        )
    );
    assert_eq!(
        k.json(&["contact", "show", "陈静"])["phones"],
        json!(["+86 21 5555 0188"])
    );
    // UTF-32 is refused, naming it.
    let mut utf32 = vec![0xFF, 0xFE, 0, 0];
    for c in "BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n".chars() {
        utf32.extend((c as u32).to_le_bytes());
    }
    let f = file(&k, "u32.vcf", &utf32);
    let err = k.fails(&["import", "vcard", &f], 2);
    assert_eq!(
        err,
        format!("kith: {f}: the file is UTF-32, which kith does not read; save it as UTF-8\n")
    );
}

#[test]
fn raw_8bit_text_is_detected_and_a_card_with_unreadable_bytes_is_rejected_alone() {
    let k = Kith::new();
    let f = data("latin1_8bit.vcf");
    let err = k.fails(&["import", "vcard", &f, "--create-missing"], 2);
    assert!(
        err.contains("N has bytes that are not UTF-8 (its CHARSET=UTF-8)"),
        "{err}"
    );
    assert!(arr(&k.json(&["contact", "list"])).is_empty());
    let rej = k.dir.path().join("rejected.vcf");
    let out = k.ok(&[
        "import",
        "vcard",
        &f,
        "--create-missing",
        "--skip-invalid",
        rej.to_str().unwrap(),
    ]);
    assert!(
        out.starts_with("created 2, updated 0, unchanged 0, rejected 1"),
        "{out}"
    );
    assert_eq!(
        fields(&k, "François Lefèvre"),
        (
            "François Lefèvre".to_string(),
            json!("Boulangerie Crémieux"),
            Value::Null,
            json!(["francois@cremieux.example"]),
            json!([]),
            json!("Préfère être appelé le matin; très ponctuel."),
        )
    );
    assert_eq!(
        k.json(&["contact", "show", "Hélène Dubois"])["phones"],
        json!(["+33 1 55 55 01 99"])
    );
}

#[test]
fn a_value_kith_cannot_take_goes_to_the_notes_with_a_warning() {
    let k = Kith::new();
    // Thunderbird writes contact1@invalid: no dot in the domain.
    let out = k.run(&["import", "vcard", &data("thunderbird.vcf")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "created 2, updated 0, unchanged 0, rejected 0, imported with warnings 2; batch 2 (kith import undo 2)\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "card 1, line 1: EMAIL 'contact1@invalid' is not an email address; kept in the notes under [vCard]\n\
         card 2, line 8: EMAIL 'anna@invalid' is not an email address; kept in the notes under [vCard]\n"
    );
    let one = k.json(&["contact", "show", "contact number one"]);
    assert_eq!(one["emails"], json!([]));
    assert_eq!(
        one["notes"],
        json!("[vCard]\nEMAIL:contact1@invalid\nN:one;contact;;;")
    );
    assert_eq!(
        fields(&k, "Anna Berg"),
        (
            "Anna Berg".to_string(),
            Value::Null,
            Value::Null,
            json!(["anna.berg@example.se"]),
            json!(["+46 8 555 012 34"]),
            json!("[vCard]\nEMAIL:anna@invalid"),
        )
    );
    // The kept email goes back out as the EMAIL it was.
    let v = k.ok(&["export", "vcard", "Anna"]);
    assert!(
        v.contains("\r\nEMAIL;TYPE=work;PREF=1:anna.berg@example.se\r\n"),
        "{v}"
    );
    assert!(v.contains("\r\nEMAIL:anna@invalid\r\nEND:VCARD\r\n"), "{v}");

    // Placeholder phones, an escaped ';' in an email, a CR alone inside a note.
    let out = k.run(&[
        "import",
        "vcard",
        &data("placeholders.vcf"),
        "--create-missing",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (s["created"].clone(), s["with_warnings"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(
        s["warnings"],
        json!([
            "card 1, line 1: EMAIL 'jane;doe@acme.example' is not an email address; kept in the notes under [vCard]",
            "card 1, line 1: TEL 'BusinessPhone' is not a phone number; kept in the notes under [vCard]",
            "card 1, line 1: TEL '2' is not a phone number; kept in the notes under [vCard]",
        ])
    );
    assert_eq!(
        fields(&k, "Jane Placeholder"),
        (
            "Jane Placeholder".to_string(),
            json!("Acme Widgets"),
            Value::Null,
            json!(["jane@acme.example"]),
            json!(["+1 555 0100 123"]),
            json!("First line\nsecond line\n\n[vCard]\nEMAIL:jane\\;doe@acme.example\nTEL:BusinessPhone\nTEL:2"),
        )
    );
}

#[test]
fn strict_refuses_the_card_and_names_the_whole_value() {
    let k = Kith::new();
    let err = k.fails(
        &[
            "import",
            "vcard",
            &data("placeholders.vcf"),
            "--create-missing",
            "--strict",
        ],
        2,
    );
    // The escaped ';' is part of the email shown, not where it is cut.
    assert!(
        err.contains(
            "column email: 'jane;doe@acme.example' is not an email address (--strict refuses the card"
        ),
        "{err}"
    );
    assert!(arr(&k.json(&["contact", "list"])).is_empty());
}

#[test]
fn the_uid_is_kept_exported_unchanged_and_matched_on_when_the_file_comes_again() {
    let k = Kith::new();
    k.ok(&["import", "vcard", &data("thunderbird.vcf")]);
    let anna = k.json(&["contact", "show", "Anna Berg"]);
    assert_eq!(anna["uid"], json!("4f1d2e6a-93b7-4c0e-8a5f-7d6e2c1b0a98"));
    let id = anna["id"].as_i64().unwrap();
    // A contact made by hand has none, and exports with one of kith's own.
    let own = k.id(&["contact", "add", "Per Holm", "--email", "per@example.se"]);
    assert_eq!(k.json(&["contact", "show", "Per Holm"])["uid"], Value::Null);
    let v = k.ok(&["export", "vcard"]);
    assert!(
        v.contains("\r\nUID;VALUE=text:4f1d2e6a-93b7-4c0e-8a5f-7d6e2c1b0a98\r\n"),
        "{v}"
    );
    assert!(
        v.contains("\r\nUID;VALUE=text:0e3a7c52-6d14-4f8b-9a0e-2b5c1d7f8e31\r\n"),
        "{v}"
    );
    assert!(
        v.contains(&format!("\r\nUID;VALUE=text:kith-contact-{own}@kith\r\n")),
        "{v}"
    );
    // The address book again, Anna renamed with a new email: the UID finds her.
    let again = std::fs::read_to_string(data("thunderbird.vcf"))
        .unwrap()
        .replace("anna.berg@example.se", "anna@newjob.example")
        .replace("FN:Anna Berg", "FN:Anna Berg-Lind");
    let f = file(&k, "again.vcf", again.as_bytes());
    let out = k.ok(&["import", "vcard", &f]);
    assert!(
        out.starts_with("created 0, updated 1, unchanged 1, rejected 0"),
        "{out}"
    );
    let anna = k.json(&["contact", "show", &id.to_string()]);
    assert_eq!(
        (anna["name"].clone(), anna["emails"].clone()),
        (json!("Anna Berg-Lind"), json!(["anna@newjob.example"]))
    );
    assert_eq!(arr(&k.json(&["contact", "list"])).len(), 3);
    // kith's own export comes back as the same contacts too; Per Holm (found by his email)
    // takes the UID he was exported with, so the next import finds him by it.
    let out_file = k.dir.path().join("out.vcf");
    k.ok(&["export", "vcard", "-o", out_file.to_str().unwrap()]);
    let out = k.ok(&["import", "vcard", out_file.to_str().unwrap()]);
    assert!(
        out.starts_with("created 0, updated 1, unchanged 2"),
        "{out}"
    );
    let out = k.ok(&["import", "vcard", out_file.to_str().unwrap()]);
    assert!(
        out.starts_with("created 0, updated 0, unchanged 3"),
        "{out}"
    );
    // --key uid matches on it alone; the dump and check know the column.
    let out = k.ok(&["import", "vcard", &f, "--key", "uid"]);
    assert!(
        out.starts_with("created 0, updated 0, unchanged 2"),
        "{out}"
    );
    let dump: Value = serde_json::from_str(&k.ok(&["export", "json", "--all"])).unwrap();
    let uids: Vec<Value> = arr(&dump["tables"]["contacts"])
        .iter()
        .map(|c| c["uid"].clone())
        .collect();
    assert_eq!(
        uids,
        vec![
            json!("0e3a7c52-6d14-4f8b-9a0e-2b5c1d7f8e31"),
            json!("4f1d2e6a-93b7-4c0e-8a5f-7d6e2c1b0a98"),
            json!(format!("kith-contact-{own}@kith")),
        ]
    );
    k.ok(&["check"]);
}

#[test]
fn the_reject_file_holds_the_whole_cards_and_messages_say_card_and_line() {
    let k = Kith::new();
    let rej = k.dir.path().join("rejected.vcf");
    let err = k.fails(&["import", "vcard", &data("messy.vcf")], 2);
    assert_eq!(
        err,
        "card 2, line 11, column account: no account named 'Park & Sons' (--create-missing makes it)\n\
         card 3, line 18: the card begun here has no END:VCARD (the file ends first)\n\
         kith: 2 rows rejected; nothing was imported (fix them, or keep the good rows with --skip-invalid FILE)\n"
    );
    k.ok(&[
        "import",
        "vcard",
        &data("messy.vcf"),
        "--skip-invalid",
        rej.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&rej).unwrap();
    assert_eq!(
        text,
        "card 2, line 11, column account: no account named 'Park & Sons' (--create-missing makes it)\r\n\
         BEGIN:VCARD\nVERSION:3.0\nFN:  Sam Park  \nEmail:sam@park.example\norg:Park & Sons;\nEND:VCARD\n\
         card 3, line 18: the card begun here has no END:VCARD (the file ends first)\r\n\
         BEGIN:VCARD\nVERSION:3.0\nFN:Unfinished Person\nEMAIL:unfinished@example.com\n"
    );
    // Fixed, the reject file comes in.
    let fixed = text + "END:VCARD\n";
    let f = file(&k, "fixed.vcf", fixed.as_bytes());
    let out = k.ok(&["import", "vcard", &f, "--create-missing"]);
    assert!(
        out.starts_with("created 2, updated 0, unchanged 0, rejected 0"),
        "{out}"
    );
    assert_eq!(
        k.json(&["contact", "show", "Sam Park"])["account"],
        json!("Park & Sons")
    );
    assert_eq!(
        k.json(&["contact", "show", "Unfinished Person"])["emails"],
        json!(["unfinished@example.com"])
    );

    // A card in another encoding is written back in its own bytes.
    let rej = k.dir.path().join("latin1.vcf");
    k.ok(&[
        "import",
        "vcard",
        &data("latin1_8bit.vcf"),
        "--create-missing",
        "--skip-invalid",
        rej.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read(&rej).unwrap(),
        b"card 2, line 11: N has bytes that are not UTF-8 (its CHARSET=UTF-8)\r\n\
          BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8:Ren\xe9;Ana\xefs;;;\r\n\
          EMAIL;INTERNET:anais@example.fr\r\nEND:VCARD\r\n"
            .to_vec()
    );
}

/// What Python's vobject (the library khard and other address books use) reads in a vCard
/// file: per card, sorted by FN, its FN, emails, phones, ORG and UID. None when python3
/// with vobject is not installed (CI must have it).
fn vobject_reads(path: &std::path::Path) -> Option<Value> {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import vobject"])
        .output();
    if !probe.map(|o| o.status.success()).unwrap_or(false) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have python3 with vobject (.ci/run installs it)"
        );
        eprintln!("skipped: python3 with vobject is not installed");
        return None;
    }
    let script = r#"
import sys, vobject, json
out = []
for c in vobject.readComponents(open(sys.argv[1], encoding="utf-8").read()):
    out.append({"fn": c.fn.value,
                "emails": [e.value for e in c.contents.get("email", [])],
                "tel": [t.value for t in c.contents.get("tel", [])],
                "org": c.org.value if hasattr(c, "org") else None,
                "uid": c.uid.value if hasattr(c, "uid") else None})
out.sort(key=lambda c: c["fn"])
print(json.dumps(out, ensure_ascii=False))
"#;
    Some(crate::python_json(script, path))
}

#[test]
fn the_real_world_samples_go_out_as_vobject_reads_them() {
    let card = |fn_: &str, emails: Value, tel: Value, org: Value, uid: &str| json!({"fn": fn_, "emails": emails, "tel": tel, "org": org, "uid": uid});
    let samples = [
        (
            "android_shift_jis.vcf",
            json!([
                card(
                    "山田 花子",
                    json!(["hanako.yamada@example.ne.jp"]),
                    json!(["090-1234-5678", "03-5555-0123"]),
                    json!(["株式会社さくら商事"]),
                    "kith-contact-1@kith"
                ),
                card(
                    "鈴木一郎",
                    json!([]),
                    json!(["06-5555-0456"]),
                    Value::Null,
                    "kith-contact-2@kith"
                ),
            ]),
        ),
        (
            "outlook_windows1252.vcf",
            json!([card(
                "Jürgen Müller",
                json!(["j.mueller@mueller-soehne.example"]),
                json!(["+49 89 5555 0100"]),
                json!(["Müller & Söhne GmbH"]),
                "kith-contact-1@kith"
            )]),
        ),
        (
            "utf16le_bom.vcf",
            json!([
                card(
                    "Karin Åström",
                    json!(["karin@nordljus.example"]),
                    json!(["+46 70 555 01 23"]),
                    json!(["Nordljus AB"]),
                    "kith-contact-1@kith"
                ),
                card(
                    "陈静",
                    json!([]),
                    json!(["+86 21 5555 0188"]),
                    Value::Null,
                    "kith-contact-2@kith"
                ),
            ]),
        ),
        (
            "latin1_8bit.vcf",
            json!([
                card(
                    "François Lefèvre",
                    json!(["francois@cremieux.example"]),
                    json!([]),
                    json!(["Boulangerie Crémieux"]),
                    "kith-contact-1@kith"
                ),
                card(
                    "Hélène Dubois",
                    json!([]),
                    json!(["+33 1 55 55 01 99"]),
                    Value::Null,
                    "kith-contact-2@kith"
                ),
            ]),
        ),
        (
            // The emails kith could not take go back out as they came, and so do the UIDs.
            "thunderbird.vcf",
            json!([
                card(
                    "Anna Berg",
                    json!(["anna.berg@example.se", "anna@invalid"]),
                    json!(["+46 8 555 012 34"]),
                    Value::Null,
                    "4f1d2e6a-93b7-4c0e-8a5f-7d6e2c1b0a98"
                ),
                card(
                    "contact number one",
                    json!(["contact1@invalid"]),
                    json!([]),
                    Value::Null,
                    "0e3a7c52-6d14-4f8b-9a0e-2b5c1d7f8e31"
                ),
            ]),
        ),
        (
            "placeholders.vcf",
            json!([card(
                "Jane Placeholder",
                json!(["jane@acme.example", "jane;doe@acme.example"]),
                json!(["+1 555 0100 123", "BusinessPhone", "2"]),
                json!(["Acme Widgets"]),
                "kith-contact-1@kith"
            )]),
        ),
    ];
    for (sample, want) in samples {
        for v3 in [false, true] {
            let k = Kith::new();
            let rej = k.dir.path().join("rejected.vcf");
            k.ok(&[
                "import",
                "vcard",
                &data(sample),
                "--create-missing",
                "--skip-invalid",
                rej.to_str().unwrap(),
            ]);
            let out = k.dir.path().join("out.vcf");
            let mut args = vec!["export", "vcard", "-o", out.to_str().unwrap()];
            if v3 {
                args.push("--v3");
            }
            k.ok(&args);
            let Some(got) = vobject_reads(&out) else {
                return;
            };
            assert_eq!(got, want, "{sample}, v3 {v3}");
            // And kith reads its own export back as the same contacts (those that came
            // without a UID take the one they were exported with, once).
            let n = want.as_array().unwrap().len();
            let first = k.ok(&["import", "vcard", out.to_str().unwrap()]);
            assert!(first.starts_with("created 0, "), "{sample}: {first}");
            let again = k.ok(&["import", "vcard", out.to_str().unwrap()]);
            assert!(
                again.starts_with(&format!("created 0, updated 0, unchanged {n}, rejected 0")),
                "{sample}: {again}"
            );
        }
    }
}

#[test]
fn encoding_says_what_the_bytes_without_a_charset_are_in() {
    let k = Kith::new();
    // Windows-1252 bytes, and two bytes that also read as UTF-8 (é).
    let f = file(
        &k,
        "mixed.vcf",
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:J\xfcrgen M\xfcller\r\nNOTE:Caf\xc3\xa9\r\nEND:VCARD\r\n",
    );
    k.ok(&["import", "vcard", &f]);
    assert_eq!(
        k.json(&["contact", "show", "Jürgen Müller"])["notes"],
        json!("Café")
    );
    let k = Kith::new();
    k.ok(&["import", "vcard", &f, "--encoding", "windows-1252"]);
    assert_eq!(
        k.json(&["contact", "show", "Jürgen Müller"])["notes"],
        json!("CafÃ©")
    );
    // Shift_JIS without any CHARSET, as older Japanese phones write it.
    let mut sjis = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:".to_vec();
    sjis.extend([0x8E, 0x52, 0x93, 0x63, b';', 0x89, 0xD4, 0x8E, 0x71]); // 山田;花子
    sjis.extend(b"\r\nTEL:090-1234-5678\r\nEND:VCARD\r\n");
    let f = file(&k, "sjis.vcf", &sjis);
    k.ok(&["import", "vcard", &f, "--encoding", "shift_jis"]);
    assert_eq!(
        k.json(&["contact", "show", "山田花子"])["phones"],
        json!(["090-1234-5678"])
    );
    // UTF-16 given by name, and a name kith does not know.
    let k = Kith::new();
    k.ok(&[
        "import",
        "vcard",
        &data("utf16le_bom.vcf"),
        "--encoding",
        "utf-16le",
        "--create-missing",
    ]);
    assert_eq!(arr(&k.json(&["contact", "list"])).len(), 2);
    let err = k.fails(&["import", "vcard", &f, "--encoding", "utf-32"], 2);
    assert!(
        err.starts_with("kith: --encoding: 'utf-32' is not an encoding kith knows"),
        "{err}"
    );
}
