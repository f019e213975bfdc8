//! vCard files as other tools write them: no card at all, other encodings, values kith
//! cannot take, UIDs, and the reject file.

use serde_json::json;

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
