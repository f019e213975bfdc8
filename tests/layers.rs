//! The faces speak to the library through `Crm` only: no file under a face names the store,
//! holds a reader or a writer, or speaks SQL. Read from the sources, so a new file is
//! covered the day it is added.

use std::path::{Path, PathBuf};

/// What a face must not say, and why.
const FORBIDDEN: &[(&str, &str)] = &[
    ("crate::store", "names the store"),
    (".store.", "reaches into Crm's store"),
    ("&mut crm.store", "hands out Crm's store"),
    (".reader()", "holds a reader"),
    (
        "crm.write(",
        "holds a writer (a write belongs behind a Crm method)",
    ),
    (
        "crm.dry_run(",
        "holds a writer (a write belongs behind a Crm method)",
    ),
    ("SELECT ", "speaks SQL"),
    ("INSERT INTO", "speaks SQL"),
    ("DELETE FROM", "speaks SQL"),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Every line of the face's files that says something forbidden: "file:line: why".
fn violations(face: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(face);
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(!files.is_empty(), "no sources under {}", root.display());
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for (word, why) in FORBIDDEN {
                if code.contains(word) {
                    found.push(format!("{}:{}: {why}: {}", file.display(), n + 1, code));
                }
            }
        }
        // A call split over lines (`crm` then `.write(` on the next, as rustfmt breaks
        // long chains) is found in the code with its spaces and line ends taken out.
        for (word, why) in spread(&text) {
            found.push(format!(
                "{}: {why}: {word} over several lines",
                file.display()
            ));
        }
    }
    found
}

/// The forbidden words that only the code without whitespace says.
fn spread(text: &str) -> Vec<(&'static str, &'static str)> {
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    // Only calls can be split so: `crm.write(`, `crm.dry_run(`.
    FORBIDDEN
        .iter()
        .filter(|(w, _)| w.ends_with('('))
        .map(|(w, why)| (w.replace(' ', ""), *w, *why))
        .filter(|(w, _, _)| {
            code.contains(w.as_str()) && !lines.iter().any(|l| l.contains(w.as_str()))
        })
        .map(|(_, w, why)| (w, why))
        .collect()
}

#[test]
fn the_scripted_face_goes_through_crm_only() {
    let found = violations("cli");
    assert!(
        found.is_empty(),
        "src/cli reaches around Crm:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_interface_goes_through_crm_only() {
    let found = violations("tui");
    assert!(
        found.is_empty(),
        "src/tui reaches around Crm:\n{}",
        found.join("\n")
    );
}

/// The check itself finds what it looks for (it would pass vacuously otherwise).
#[test]
fn the_check_sees_a_store_use() {
    let dir = std::env::temp_dir().join(format!("kith-layers-{}", std::process::id()));
    let face = dir.join("src").join("face");
    std::fs::create_dir_all(&face).unwrap();
    std::fs::write(
        face.join("x.rs"),
        "// crate::store in a comment is fine\nuse crate::store::Store;\nlet r = crm.reader();\n",
    )
    .unwrap();
    let mut files = Vec::new();
    rust_files(&face, &mut files);
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let hits: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .filter(|l| FORBIDDEN.iter().any(|(w, _)| l.contains(w)))
        .collect();
    assert_eq!(hits, ["use crate::store::Store;", "let r = crm.reader();"]);
    assert_eq!(
        spread("let x = crm\n    .write(|w, env| f(w));\n"),
        [(
            "crm.write(",
            "holds a writer (a write belongs behind a Crm method)"
        )]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The interface's layers run one way: `actions` (what keys do) and `draw` (the frame) above
/// the shell `app`, the shell above the screens' state and drawing, and those above the
/// shared pieces (`view`, `places`, `keymap`, `input`, `wait`). No lower file names a
/// higher one, so there is no circle among them.
#[test]
fn the_interfaces_layers_run_one_way() {
    let tui = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join("tui");
    let higher = [
        "tui::app",
        "super::app",
        "tui::actions",
        "super::actions",
        "tui::draw",
        "super::draw",
    ];
    let mut files = Vec::new();
    rust_files(&tui.join("screens"), &mut files);
    for f in ["view.rs", "places.rs", "keymap.rs", "input.rs", "wait.rs"] {
        files.push(tui.join(f));
    }
    let mut bad = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for h in higher {
                if line.contains(h) {
                    bad.push(format!("{}:{}: names {h}", path.display(), n + 1));
                }
            }
        }
    }
    // The shared pieces do not name the screens either.
    for f in ["view.rs", "places.rs", "input.rs", "wait.rs"] {
        let text = std::fs::read_to_string(tui.join(f)).unwrap();
        for (n, line) in text.lines().enumerate() {
            if !line.trim_start().starts_with("//") && line.contains("tui::screens") {
                bad.push(format!("{f}:{}: names the screens", n + 1));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
