//! End to end in a real terminal: `kith` runs in a private tmux server, a record is created
//! through the palette and a form with keys sent by `tmux send-keys`, the screen is read with
//! `tmux capture-pane`, and the record is then checked with the scripted commands.
//!
//! Needs tmux. Without it the test is skipped with a notice, except when `CI` is set: CI
//! must run it, so there it fails.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const NOW: &str = "2026-11-22T10:00";
const NAME: &str = "测试客户 Test Co";
/// How long to wait for the screen to show something.
const PATIENCE: Duration = Duration::from_secs(10);

/// A private tmux server with one session running kith. Dropping it kills the server, also
/// when the test fails.
struct Tmux {
    socket: String,
    /// The server's socket file, removed at the end.
    socket_path: Option<std::path::PathBuf>,
}

const TARGET: &str = "kith";

impl Tmux {
    fn command(&self) -> Command {
        let mut c = Command::new("tmux");
        c.env_remove("TMUX").arg("-L").arg(&self.socket);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run tmux")
    }

    /// Start the server and a detached 100×30 session running `command`.
    fn start(command: &str) -> Tmux {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let mut tmux = Tmux {
            socket: format!("kith-e2e-{}-{nanos}", std::process::id()),
            socket_path: None,
        };
        let out = tmux
            .command()
            .args(["-f", "/dev/null", "new-session", "-d", "-s", TARGET])
            .args(["-x", "100", "-y", "30", command])
            .output()
            .expect("run tmux");
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = tmux.format("#{socket_path}");
        tmux.socket_path = (!path.is_empty()).then(|| path.into());
        tmux
    }

    /// Send keys by their tmux names (`Enter`, `Tab`, `C-s`, `Escape`, `q`).
    fn keys(&self, keys: &[&str]) {
        let out = self
            .command()
            .args(["send-keys", "-t", TARGET])
            .args(keys)
            .output()
            .expect("run tmux");
        assert!(out.status.success(), "tmux send-keys {keys:?} failed");
    }

    /// Type text as it is.
    fn type_text(&self, text: &str) {
        self.keys(&["-l", text]);
    }

    fn screen(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", TARGET]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn alive(&self) -> bool {
        self.run(&["has-session", "-t", TARGET]).status.success()
    }

    /// A tmux format of the pane (`#{alternate_on}`).
    fn format(&self, f: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", TARGET, f]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Wait until the screen satisfies `ok`; fail with the screen after `PATIENCE`.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool, stderr: &Path) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if start.elapsed() > PATIENCE || !self.alive() {
                panic!(
                    "waiting for {what}: {}\n--- screen ---\n{screen}\n--- kith's stderr ---\n{}",
                    if self.alive() {
                        "timed out"
                    } else {
                        "the terminal closed"
                    },
                    std::fs::read_to_string(stderr).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_for_text(&self, text: &str, stderr: &Path) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text), stderr)
    }

    fn wait_until_gone(&self) {
        let start = Instant::now();
        while self.alive() {
            assert!(
                start.elapsed() < PATIENCE,
                "the tmux session did not end:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self
            .command()
            .arg("kill-server")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn tmux_installed() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Quote for sh.
fn q(s: impl AsRef<str>) -> String {
    format!("'{}'", s.as_ref().replace('\'', r"'\''"))
}

/// The environment kith runs with: its own files in `dir`, the clock pinned.
fn kith_env(dir: &Path) -> Vec<(&'static str, String)> {
    let p = |s: &str| dir.join(s).to_string_lossy().into_owned();
    vec![
        ("HOME", p("home")),
        ("XDG_DATA_HOME", p("data")),
        ("XDG_CONFIG_HOME", p("config")),
        ("KITH_DB", p("kith.db")),
        ("KITH_NOW", NOW.into()),
        ("KITH_USER", "tester".into()),
        ("TZ", "UTC".into()),
        ("NO_COLOR", "1".into()),
    ]
}

#[test]
fn a_record_created_in_the_interface_is_there_for_the_scripted_commands() {
    if !tmux_installed() {
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            panic!("tmux is not installed, and CI must run the end-to-end test: install tmux");
        }
        eprintln!("NOTICE: tmux is not installed; skipping the end-to-end terminal test");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let kith = assert_cmd::cargo::cargo_bin("kith");
    let (stderr, exit, stty) = (d.join("stderr"), d.join("exit"), d.join("stty"));
    let vars: Vec<String> = kith_env(d)
        .into_iter()
        .map(|(k, v)| format!("{k}={}", q(v)))
        .collect();
    // kith, then its exit status and the terminal's settings; then wait for Enter, so the
    // test can look at the terminal kith left behind.
    let script = format!(
        "env -i TERM=\"$TERM\" LANG=C.UTF-8 {} {} 2>{}\n\
         echo \"EXIT=$?\" >{}\n\
         stty -a >{}\n\
         echo 'kith has exited'\n\
         read _\n",
        vars.join(" "),
        q(kith.to_string_lossy()),
        q(stderr.to_string_lossy()),
        q(exit.to_string_lossy()),
        q(stty.to_string_lossy()),
    );
    let script_path = d.join("run.sh");
    std::fs::write(&script_path, script).expect("write the script");
    let t = Tmux::start(&format!("sh {}", q(script_path.to_string_lossy())));

    // The Today screen.
    t.wait_for(
        "the interface",
        |s| s.contains("1 Today") && s.contains("Overdue and due today"),
        &stderr,
    );

    // The palette, narrowed to `new account`.
    t.keys(&[":"]);
    t.wait_for_text(" command ", &stderr);
    t.type_text("new account");
    t.wait_for_text("> new account", &stderr);
    t.keys(&["Enter"]);
    t.wait_for_text("New account", &stderr);

    // The form: name, kind, type, tier…
    t.type_text(NAME);
    t.wait_for_text(NAME, &stderr);
    t.keys(&["Tab", "Tab", "Tab"]);
    // The tier field has the focus when its choices show.
    t.wait_for_text("A | B | C", &stderr);
    t.type_text("A");
    t.wait_for_text("tier  A ", &stderr);
    t.keys(&["C-s"]);
    let screen = t.wait_for_text(&format!("Account 1 · {NAME}"), &stderr);
    assert!(screen.contains("account 1 created"), "{screen}");
    assert!(screen.contains("tester"), "the owner is shown:\n{screen}");

    // Back to Today, then quit.
    t.keys(&["Escape"]);
    t.wait_for(
        "Today again",
        |s| s.contains("Overdue and due today") && !s.contains(NAME),
        &stderr,
    );
    // The go-to key: its hint by group, then a letter shows the board.
    t.keys(&["g"]);
    t.wait_for_text("go to · esc to close", &stderr);
    t.keys(&["p"]);
    t.wait_for(
        "the board",
        |s| s.contains("Pipeline: sales") && !s.contains("go to · esc"),
        &stderr,
    );
    t.keys(&["q"]);
    let screen = t.wait_for_text("kith has exited", &stderr);

    // The terminal is restored: normal screen, cursor shown, no mouse reporting, not raw.
    assert_eq!(
        t.format("#{alternate_on} #{cursor_flag} #{mouse_any_flag}"),
        "0 1 0",
        "alternate screen, cursor, mouse after kith:\n{screen}"
    );
    assert!(
        !screen.contains("Overdue"),
        "the interface is gone from the screen:\n{screen}"
    );
    let exit_status = std::fs::read_to_string(&exit).unwrap_or_default();
    assert_eq!(
        exit_status.trim(),
        "EXIT=0",
        "kith's stderr: {}",
        std::fs::read_to_string(&stderr).unwrap_or_default()
    );
    let stty = std::fs::read_to_string(&stty).unwrap_or_default();
    for flag in ["icanon", "echo", "isig"] {
        assert!(
            stty.split_whitespace().any(|w| w == flag),
            "the terminal is left with -{flag}:\n{stty}"
        );
    }
    t.keys(&["Enter"]);
    t.wait_until_gone();
    drop(t);

    // The scripted commands see the account.
    let mut list = Command::new(&kith);
    list.env_clear().args(["account", "list", "--json"]);
    for (k, v) in kith_env(d) {
        list.env(k, v);
    }
    let out = list.output().expect("run kith");
    assert!(
        out.status.success(),
        "kith account list: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let accounts: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let accounts = accounts.as_array().expect("an array");
    assert_eq!(accounts.len(), 1, "{accounts:?}");
    let a = &accounts[0];
    assert_eq!(a["name"], NAME, "{a}");
    assert_eq!(a["tier"], "A", "{a}");
    assert_eq!(a["owner"], "tester", "{a}");
}

#[test]
fn off_a_terminal_kith_alone_prints_usage_and_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("kith"));
    c.env_clear().stdin(Stdio::null());
    for (k, v) in kith_env(dir.path()) {
        c.env(k, v);
    }
    let out = c.output().expect("run kith");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage: kith"));
    assert!(!dir.path().join("kith.db").exists(), "no database is made");
}

/// In a real terminal: `ctrl-x` gives a field to `$EDITOR` and takes the terminal back, and
/// a save while another connection holds the write lock shows a turning spinner (the screen
/// is drawn meanwhile) and lands once the lock is gone.
#[test]
fn the_editor_gets_the_terminal_and_a_locked_save_waits_with_a_spinner() {
    if !tmux_installed() {
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            panic!("tmux is not installed, and CI must run the end-to-end test: install tmux");
        }
        eprintln!("NOTICE: tmux is not installed; skipping the end-to-end terminal test");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let kith = assert_cmd::cargo::cargo_bin("kith");
    let stderr = d.join("stderr");
    // The "editor" adds a line to the file it is given.
    let editor = d.join("editor.sh");
    std::fs::write(&editor, "printf 'written in the editor\\n' >> \"$1\"\n").unwrap();
    let mut env = kith_env(d);
    env.push(("EDITOR", format!("sh {}", editor.display())));
    let vars: Vec<String> = env
        .into_iter()
        .map(|(k, v)| format!("{k}={}", q(v)))
        .collect();
    let script = format!(
        "env -i TERM=\"$TERM\" LANG=C.UTF-8 {} {} 2>{}\n",
        vars.join(" "),
        q(kith.to_string_lossy()),
        q(stderr.to_string_lossy()),
    );
    let script_path = d.join("run.sh");
    std::fs::write(&script_path, script).expect("write the script");
    let t = Tmux::start(&format!("sh {}", q(script_path.to_string_lossy())));
    t.wait_for_text("Overdue and due today", &stderr);

    // A new task (n on Today); its notes, the last field, in the editor.
    t.keys(&["n"]);
    t.wait_for_text("New task", &stderr);
    t.type_text("报价单 follow-up");
    t.keys(&["BTab"]);
    t.wait_for_text("$EDITOR", &stderr);
    t.keys(&["C-x"]);
    let screen = t.wait_for(
        "the form again, with the editor's line",
        |s| s.contains("New task") && s.contains("written in the editor"),
        &stderr,
    );
    assert_eq!(t.format("#{alternate_on}"), "1", "{screen}");

    // Another connection holds the write lock.
    let lock = rusqlite::Connection::open(d.join("kith.db")).expect("open the database");
    lock.execute_batch("BEGIN IMMEDIATE").expect("lock");
    t.keys(&["C-s"]);
    let first = t.wait_for_text("waiting for the database", &stderr);
    let spinner = |s: &str| {
        s.lines()
            .find(|l| l.contains("waiting for the database"))
            .and_then(|l| l.chars().next())
    };
    let before = spinner(&first);
    t.wait_for(
        "the spinner to turn",
        |s| spinner(s).is_some() && spinner(s) != before,
        &stderr,
    );
    lock.execute_batch("COMMIT").expect("unlock");
    let screen = t.wait_for_text("task 1 created", &stderr);
    assert!(screen.contains("written in the editor"), "{screen}");
    // q closes the new task's view, then quits.
    t.keys(&["q"]);
    t.wait_for(
        "Today again",
        |s| s.contains("Overdue and due today") && !s.contains("Task 1"),
        &stderr,
    );
    t.keys(&["q"]);
    t.wait_until_gone();
}
