//! The benchmark script (benches/run.py) on a tiny dataset, so it cannot rot: every
//! command it times must still exist and succeed, and it must print its table.

use std::process::Command;

#[test]
fn benchmark_script_runs_on_a_tiny_dataset() {
    let out = Command::new("python3")
        .args([
            concat!(env!("CARGO_MANIFEST_DIR"), "/benches/run.py"),
            "--size",
            "smoke",
            "--skip-interface",
            "--bin",
            env!("CARGO_BIN_EXE_kith"),
        ])
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "benches/run.py failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    for measure in [
        "account list --limit 50",
        "deal list stage:proposal amount>50000 --sort -amount --limit 50",
        "search 白云",
        "import 1,000 contacts (CSV)",
        "report funnel",
        "case list status:open --sort due --limit 50",
        "remind with the escalations (nothing new)",
        "pool sweep --dry-run",
        "pool list --limit 50",
        "as a rep: deal list stage:proposal --sort -amount --limit 50",
        "as a rep: search 白云",
        "database size (MB)",
    ] {
        assert!(stdout.contains(measure), "no '{measure}' row in:\n{stdout}");
    }
    assert!(
        stdout.contains(" measures, "),
        "no summary line in:\n{stdout}"
    );
}
