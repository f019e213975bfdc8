//! Names sort by a key kept beside them: a Chinese name by its pinyin, among the Latin
//! names as one alphabet — in lists, `--sort name`, the 360° view's contacts, and after
//! edits, undo, imports and a dump loaded; `kith check` finds keys another program left
//! stale and `--repair` makes them again.

use crate::Kith;

fn names(k: &Kith, args: &[&str]) -> Vec<String> {
    k.json(args)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

fn contacts(k: &Kith) -> Vec<String> {
    names(k, &["contact", "list"])
}

#[test]
fn chinese_names_sort_by_pinyin_among_latin_ones() {
    let k = Kith::new();
    for n in [
        "张伟",
        "Zoe Adams",
        "黄伟",
        "alice Chen",
        "白云",
        "Huang Min",
        "马超",
        "Li Na",
    ] {
        k.id(&["contact", "add", n]);
    }
    // By hand: alice chen · bai yun · huang min · huang wei · li na · ma chao · zhang wei ·
    // zoe adams ("huang min" before "huang wei": m < w).
    let want = [
        "alice Chen",
        "白云",
        "Huang Min",
        "黄伟",
        "Li Na",
        "马超",
        "张伟",
        "Zoe Adams",
    ];
    assert_eq!(contacts(&k), want);
    assert_eq!(names(&k, &["contact", "list", "--sort", "name"]), want);
    let mut back = want.to_vec();
    back.reverse();
    assert_eq!(names(&k, &["contact", "list", "--sort", "-name"]), back);

    // A name changed sorts under its new key; undone, under the old one again.
    k.ok(&["contact", "edit", "白云", "--name", "吴云"]);
    assert_eq!(
        contacts(&k),
        [
            "alice Chen",
            "Huang Min",
            "黄伟",
            "Li Na",
            "马超",
            "吴云",
            "张伟",
            "Zoe Adams"
        ]
    );
    k.ok(&["undo", "--yes"]);
    assert_eq!(contacts(&k), want);
}

#[test]
fn accounts_and_their_contacts_sort_by_pinyin() {
    let k = Kith::new();
    for n in [
        "深圳宝安国际机场",
        "Acme",
        "广州白云国际机场",
        "北京机场集团",
    ] {
        k.id(&["account", "add", n]);
    }
    assert_eq!(
        names(&k, &["account", "list"]),
        [
            "Acme",
            "北京机场集团",
            "广州白云国际机场",
            "深圳宝安国际机场"
        ]
    );
    for n in ["朱霞", "林军", "宋杰"] {
        k.id(&["contact", "add", n, "--account", "Acme"]);
    }
    let show = k.json(&["account", "show", "Acme"]);
    let shown: Vec<&str> = show["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(shown, ["林军", "宋杰", "朱霞"]);
}

#[test]
fn imported_and_loaded_names_sort_the_same() {
    let k = Kith::new();
    let csv = k.dir.path().join("people.csv");
    std::fs::write(&csv, "name,email\n张伟,z@x.cn\nBob,b@x.cn\n黄伟,h@x.cn\n").unwrap();
    k.ok(&[
        "import",
        "csv",
        "--entity",
        "contact",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(contacts(&k), ["Bob", "黄伟", "张伟"]);

    let dump = k.dir.path().join("all.json");
    std::fs::write(&dump, k.ok(&["export", "json", "--all"])).unwrap();
    let text = std::fs::read_to_string(&dump).unwrap();
    assert!(!text.contains("name_key"), "the dump holds no sort keys");
    let other = Kith::new();
    other.ok(&["import", "json", dump.to_str().unwrap()]);
    assert_eq!(contacts(&other), ["Bob", "黄伟", "张伟"]);
}

#[test]
fn check_finds_keys_another_program_left_stale_and_repair_makes_them() {
    let k = Kith::new();
    for n in ["张伟", "Bob"] {
        k.id(&["contact", "add", n]);
    }
    let conn = rusqlite::Connection::open(&k.db).unwrap();
    conn.execute("UPDATE contacts SET name = '阿明' WHERE name = '张伟'", [])
        .unwrap();
    drop(conn);
    let out = k.run(&["check"]);
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("1 of the contacts sorts under a key its name does not make (contact 1)"),
        "{text}"
    );
    assert_ne!(out.status.code(), Some(0));
    k.ok(&["check", "--repair"]);
    k.ok(&["check"]);
    // 阿明 is a ming: before Bob.
    assert_eq!(contacts(&k), ["阿明", "Bob"]);
}
