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

fn export_to(k: &Kith, path: &Path) -> Output {
    run_022(
        k,
        &[
            "export",
            "csv",
            "--entity",
            "account",
            "-o",
            path.to_str().unwrap(),
        ],
    )
}

#[test]
fn output_to_a_fifo_writes_through_it() {
    let k = fixture();
    let fifo = at(&k, "pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // Held open for writing too, so that the reader does not wait for kith to open it, and
    // sees the end only when this is closed after kith is done.
    let keep = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .unwrap();
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = export_to(&k, &fifo);
    drop(keep);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let got = reader.join().unwrap();
    assert!(got.starts_with("id,name,"), "{got}");
    assert_eq!(got.lines().count(), 4, "a header and three accounts: {got}");
    let t = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    use std::os::unix::fs::FileTypeExt;
    assert!(t.is_fifo(), "still a FIFO");
}

#[test]
fn output_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let k = fixture();
    // To a device: written through, and a full disk is a failure, not a success.
    let link = at(&k, "full.csv");
    std::os::unix::fs::symlink("/dev/full", &link).unwrap();
    let out = export_to(&k, &link);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("/dev/full"));
    // To a file: the file is replaced, keeping its mode; the link stays a link to it.
    let real = at(&k, "real.csv");
    std::fs::write(&real, "old\n").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = at(&k, "link.csv");
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    let out = export_to(&k, &link);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("real.csv"));
    let got = std::fs::read_to_string(&real).unwrap();
    assert!(got.starts_with("id,name,"), "{got}");
    assert_eq!(mode(&real), 0o640);
    assert!(!at(&k, ".real.csv.kith-tmp").exists() && !at(&k, ".link.csv.kith-tmp").exists());
    // To nothing: refused, and nothing is made.
    let dangling = at(&k, "dangling.csv");
    std::os::unix::fs::symlink("nowhere.csv", &dangling).unwrap();
    let out = export_to(&k, &dangling);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("a symbolic link to nothing"), "{err}");
    assert!(std::fs::symlink_metadata(&dangling)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(!at(&k, "nowhere.csv").exists());
    // A backup is never made over a link either.
    let out = run_022(&k, &["backup", dangling.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(std::fs::symlink_metadata(&dangling)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn output_replaces_a_file_keeping_its_mode_and_refuses_a_folder() {
    let k = fixture();
    let file = at(&k, "shared.csv");
    std::fs::write(&file, "old\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(export_to(&k, &file).status.success());
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .starts_with("id,name,"));
    assert_eq!(mode(&file), 0o644, "a file replaced keeps its permissions");
    let dir = at(&k, "folder");
    std::fs::create_dir(&dir).unwrap();
    let out = export_to(&k, &dir);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is a folder"), "{err}");
    assert!(dir.is_dir());
}

#[test]
fn a_database_made_through_a_symlink_to_nothing_is_private() {
    let k = Kith::new();
    std::os::unix::fs::symlink("real.db", &k.db).unwrap();
    ok_022(&k, &["account", "add", "New"]);
    let real = at(&k, "real.db");
    assert_eq!(mode(&real), 0o600);
    assert!(std::fs::symlink_metadata(&k.db)
        .unwrap()
        .file_type()
        .is_symlink());
}

/// The names in the test's folder that are temporary files kith makes.
fn temps(k: &Kith) -> Vec<String> {
    std::fs::read_dir(k.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("kith-tmp"))
        .collect()
}

#[test]
fn a_failed_export_leaves_no_temporary_file() {
    let k = fixture();
    let out = at(&k, "out.csv");
    // Bad input after the file was opened.
    let got = run_022(
        &k,
        &[
            "export",
            "csv",
            "--entity",
            "account",
            "nosuchfield:x",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(got.status.code(), Some(2), "{got:?}");
    assert_eq!(temps(&k), Vec::<String>::new());
    assert!(!out.exists());
    // A write that fails half-way, as on a full disk: files may not grow past 64 KiB, and
    // the dump is larger.
    let notes = "x".repeat(100_000);
    k.ok(&["account", "add", "Big", "--notes", &notes]);
    let mut c = k.std_cmd();
    c.args(["export", "json", "--all", "-o", out.to_str().unwrap()]);
    // SAFETY: setrlimit and signal are async-signal-safe.
    unsafe {
        c.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 64 * 1024,
                rlim_max: 64 * 1024,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &limit);
            Ok(())
        });
    }
    let got = c.output().unwrap();
    let err = String::from_utf8_lossy(&got.stderr);
    assert_eq!(got.status.code(), Some(3), "{err}");
    assert!(err.contains("File too large"), "{err}");
    assert_eq!(temps(&k), Vec::<String>::new(), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_stale_temporary_file_and_journal_are_removed_by_the_next_backup() {
    let k = fixture();
    std::fs::write(at(&k, ".b.db.kith-tmp"), "left by a killed backup").unwrap();
    std::fs::write(at(&k, ".b.db.kith-tmp-journal"), "and its journal").unwrap();
    let b = at(&k, "b.db");
    k.ok(&["backup", b.to_str().unwrap()]);
    assert_eq!(temps(&k), Vec::<String>::new());
    // The backup is whole.
    let copy = Kith {
        dir: tempfile::tempdir().unwrap(),
        db: b,
    };
    assert_eq!(copy.json(&["account", "list"]).as_array().unwrap().len(), 3);
}

#[test]
fn an_interrupted_backup_leaves_no_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    let k = fixture();
    // Make the database large enough that the backup takes a while (page by page, with a
    // pause between steps): 24 MB of padding beside kith's tables.
    {
        let c = rusqlite::Connection::open(&k.db).unwrap();
        c.execute_batch(
            "CREATE TABLE padding (b BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 24)
             INSERT INTO padding SELECT zeroblob(1000000) FROM n;",
        )
        .unwrap();
    }
    let b = at(&k, "b.db");
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let mut child = k
            .std_cmd()
            .args(["backup", b.to_str().unwrap()])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let temp = at(&k, ".b.db.kith-tmp");
        let started = std::time::Instant::now();
        while !temp.exists() && started.elapsed() < std::time::Duration::from_secs(20) {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert!(temp.exists(), "the backup started");
        std::thread::sleep(std::time::Duration::from_millis(20));
        // SAFETY: a process of ours.
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait().unwrap();
        assert_eq!(
            status.signal(),
            Some(signal),
            "ended by the signal: {status:?}"
        );
        assert_eq!(temps(&k), Vec::<String>::new());
        assert!(!b.exists());
    }
}
