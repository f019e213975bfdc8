//! Files kith writes: their modes, what `-o FILE` does with what is already there, and the
//! temporary files a failed or interrupted write leaves (none).

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::{fixture, Kith};

/// Run kith under umask 022 (the usual one, which leaves new files readable by all).
fn run_022(k: &Kith, args: &[&str]) -> Output {
    let mut c = k.std_cmd();
    c.args(args);
    // SAFETY: umask is async-signal-safe and touches nothing else.
    unsafe {
        c.pre_exec(|| {
            libc::umask(0o022);
            Ok(())
        });
    }
    c.output().unwrap()
}

fn ok_022(k: &Kith, args: &[&str]) -> Output {
    let out = run_022(k, args);
    assert!(
        out.status.success(),
        "kith {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
}

fn at(k: &Kith, name: &str) -> PathBuf {
    k.dir.path().join(name)
}

#[test]
fn every_file_kith_writes_is_private_under_umask_022() {
    let k = fixture();
    let file = |name: &str| at(&k, name).display().to_string();
    let exports: Vec<(&str, Vec<&str>)> = vec![
        ("accounts.csv", vec!["export", "csv", "--entity", "account"]),
        (
            "contacts.json",
            vec!["export", "json", "--entity", "contact"],
        ),
        ("deals.ndjson", vec!["export", "ndjson", "--entity", "deal"]),
        ("all.json", vec!["export", "json", "--all"]),
        ("contacts.vcf", vec!["export", "vcard"]),
        ("kith.ics", vec!["export", "ical"]),
    ];
    for (name, args) in &exports {
        let path = file(name);
        let mut a = args.clone();
        a.extend(["-o", &path]);
        ok_022(&k, &a);
        assert_eq!(mode(Path::new(&path)), 0o600, "{args:?}");
    }
    // The rejected rows of an import.
    let input = at(&k, "in.csv");
    std::fs::write(&input, "name,email\nGood,g@example.com\nBad,not-an-email\n").unwrap();
    let rejected = file("rejected.csv");
    ok_022(
        &k,
        &[
            "import",
            "csv",
            input.to_str().unwrap(),
            "--entity",
            "contact",
            "--skip-invalid",
            &rejected,
        ],
    );
    assert!(std::fs::read_to_string(&rejected)
        .unwrap()
        .contains("not-an-email"));
    assert_eq!(mode(Path::new(&rejected)), 0o600);
    // A backup, and a new database.
    let backup = file("backup.db");
    ok_022(&k, &["backup", &backup]);
    assert_eq!(mode(Path::new(&backup)), 0o600);
    let other = Kith::new();
    ok_022(&other, &["account", "add", "New"]);
    assert_eq!(mode(&other.db), 0o600);
}
