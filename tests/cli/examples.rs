//! The shipped examples run, and do what they say.

#[test]
fn the_week_of_sales_work_runs_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("bash")
        .arg(root.join("examples").join("week.sh"))
        .env("KITH_BIN", assert_cmd::cargo::cargo_bin("kith"))
        .env_remove("KITH_DB")
        .env_remove("KITH_NOW")
        .env("NO_COLOR", "1")
        // In English whatever the locale of the machine running the tests.
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("run bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "examples/week.sh failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The week ends with one deal won, one lost, two open in the pipeline.
    assert!(stdout.contains("Harbour loyalty upgrade  won"), "{stdout}");
    assert!(
        stdout.contains("冷链拜访跟踪             lost    price: competitor 30% lower"),
        "{stdout}"
    );
    assert!(
        stdout.contains("T3 客服中心 CRM      广州白云国际机场  1,200,000  proposal"),
        "{stdout}"
    );
    // Deterministic: a second run prints the same.
    let again = std::process::Command::new("bash")
        .arg(root.join("examples").join("week.sh"))
        .env("KITH_BIN", assert_cmd::cargo::cargo_bin("kith"))
        .env("NO_COLOR", "1")
        // In English whatever the locale of the machine running the tests.
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("run bash");
    assert_eq!(String::from_utf8_lossy(&again.stdout), stdout);
}
