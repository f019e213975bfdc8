//! Integration tests: the real `kith` binary against a fresh database per test, with the
//! clock pinned (2026-11-22T10:00, a Sunday, in UTC) and colour off.

mod accounts;
mod activities_tasks;
mod cash;
mod chinese_amounts;
mod chinese_dates;
mod chinese_files;
mod contacts_leads;
mod custom_fields;
mod deals;
mod escaping;
mod examples;
mod files;
mod filters_search;
mod followups;
mod hardening;
mod import_tools;
mod interop;
mod language;
mod money;
mod name_order;
mod pinyin;
mod pool;
mod products;
mod quotes;
mod rates;
mod real_files;
mod remind;
mod reports;
mod service;
mod service_report;
mod storage;
mod team;
mod transcripts;
mod transfer;
mod upgrade;
mod users;
mod vcards;

use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;
use tempfile::TempDir;

pub const NOW: &str = "2026-11-22T10:00";

pub struct Kith {
    pub dir: TempDir,
    pub db: PathBuf,
}

impl Default for Kith {
    fn default() -> Kith {
        Kith::new()
    }
}

impl Kith {
    pub fn new() -> Kith {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("kith.db");
        Kith { dir, db }
    }

    /// The binary with this test's environment: its own files, the clock pinned.
    pub fn std_cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("kith"));
        c.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("KITH_DB", &self.db)
            .env("KITH_NOW", NOW)
            .env("KITH_USER", "tester")
            .env("TZ", "UTC")
            .env("NO_COLOR", "1");
        c
    }

    pub fn cmd(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.std_cmd())
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run kith")
    }

    /// Run, expect exit 0, return stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "kith {args:?} failed ({:?}):\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Run an `add`, return the printed id.
    pub fn id(&self, args: &[&str]) -> i64 {
        let s = self.ok(args);
        s.trim()
            .parse()
            .unwrap_or_else(|_| panic!("kith {args:?} printed {s:?}, not an id"))
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        let out = self.run(&a);
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "kith {a:?}: not JSON ({e}):\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }

    /// Run, expect this exit status, return stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "kith {args:?}: expected exit {code}, stdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Everything in the database, for "nothing was written" checks.
    pub fn snapshot(&self) -> Vec<Value> {
        ["account", "contact", "lead", "deal", "activity", "task"]
            .iter()
            .flat_map(|n| {
                let mut all = vec![self.json(&[n, "list"]), self.json(&[n, "list", "--trash"])];
                for r in all
                    .clone()
                    .iter()
                    .flat_map(|v| v.as_array().cloned().unwrap_or_default())
                {
                    let id = r["id"].to_string();
                    all.push(self.json(&[n, "history", &id]));
                }
                all
            })
            .chain([self.json(&["pipeline", "list"])])
            .collect()
    }
}

/// The array behind a JSON list, or an empty one.
pub fn arr(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

/// The `field` of every element of a JSON list.
pub fn col(v: &Value, field: &str) -> Vec<Value> {
    arr(v).iter().map(|r| r[field].clone()).collect()
}

/// A small CRM most tests start from: two accounts (one a branch), a contact, a deal.
pub fn fixture() -> Kith {
    let k = Kith::new();
    k.id(&[
        "account",
        "add",
        "广州白云国际机场",
        "--type",
        "customer",
        "--tier",
        "A",
        "--industry",
        "aviation",
        "--city",
        "广州",
        "--tag",
        "vip",
    ]);
    k.id(&[
        "account",
        "add",
        "Acme Logistics",
        "--type",
        "prospect",
        "--tier",
        "B",
        "--city",
        "Shanghai",
        "--email",
        "info@acme.com",
    ]);
    k.id(&[
        "account",
        "add",
        "Acme Shenzhen",
        "--parent",
        "2",
        "--tier",
        "C",
    ]);
    k.id(&[
        "contact",
        "add",
        "王芳",
        "--account",
        "白云",
        "--title",
        "采购经理",
        "--email",
        "wang@baiyun.cn",
        "--phone",
        "+86 20 3606 6999",
        "--birthday",
        "1985-11-25",
    ]);
    k.id(&[
        "deal",
        "add",
        "航站楼系统升级",
        "--account",
        "1",
        "--contact",
        "王芳",
        "--amount",
        "1.2m",
        "--currency",
        "CNY",
        "--close",
        "eom",
    ]);
    k
}

/// Run a Python script with FILE as its argument; it prints JSON, which is returned.
pub fn python_json(script: &str, file: &std::path::Path) -> Value {
    let py = std::process::Command::new("python3")
        .args(["-c", script, file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    serde_json::from_slice(&py.stdout).unwrap()
}
