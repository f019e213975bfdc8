//! The font a PDF is written in: the one named, or one of the system's that has a glyph
//! for every character of the document.
//!
//! **The system's fonts** are the `.ttf`, `.otf`, `.ttc` and `.otc` files under the usual
//! directories: `/usr/share/fonts`, `/usr/local/share/fonts`, `$XDG_DATA_HOME/fonts`
//! (`~/.local/share/fonts`), the `fonts` of each of `$XDG_DATA_DIRS`, `~/.fonts`; on macOS
//! `/System/Library/Fonts` (with `Supplemental`), `/Library/Fonts` and `~/Library/Fonts`;
//! on Windows `%WINDIR%\Fonts`. Nothing else is asked: fontconfig's `fc-list`, when there
//! is one, only adds the files it knows beyond those directories, and only when none of
//! them would do.
//!
//! The files are tried in an order of preference, read one at a time, until one has every
//! character: for a document with Han characters the sans-serif Chinese fonts first (Noto
//! Sans CJK, Source Han Sans, WenQuanYi Micro Hei, WenQuanYi Zen Hei, PingFang, Hiragino
//! Sans GB, Microsoft YaHei, SimHei …), for one without them the common Latin ones
//! (DejaVu Sans, Noto Sans, Liberation Sans, Arial, Helvetica …); regular weights before
//! bold, light, italic, condensed, monospaced or symbol faces. In a collection the face
//! with the glyphs is taken, the Simplified Chinese one (`SC`, `GB`, `CN`) when several
//! have them and the proportional one before the monospaced.
//!
//! A character counts as covered when the font's character map gives it a glyph other
//! than `.notdef`; spaces and invisible formatting characters need no glyph.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use skrifa::instance::{LocationRef, Size};
use skrifa::raw::FileRef;
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider};

use crate::core::error::Result;
use crate::err;

/// A font face chosen for a document: where it is, and the glyph and advance of each
/// character the document has.
#[derive(Clone)]
pub struct Face {
    path: PathBuf,
    index: u32,
    family: String,
    data: Arc<Vec<u8>>,
    /// Glyph id and advance (in ems) of each character of the text it was chosen for.
    glyphs: HashMap<char, (u32, f32)>,
    /// The advance of a space, in ems.
    space: f32,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("path", &self.path)
            .field("index", &self.index)
            .field("family", &self.family)
            .finish_non_exhaustive()
    }
}

impl Face {
    /// The font file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The face's index in its file (0 but in a collection).
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The face's family name, as the font gives it.
    pub fn family(&self) -> &str {
        &self.family
    }

    /// The font file's bytes.
    pub fn data(&self) -> Arc<Vec<u8>> {
        Arc::clone(&self.data)
    }

    /// The glyph of `c` and its advance in ems: `None` for a character the face has no
    /// glyph for or that was not in the text it was chosen for.
    pub fn glyph(&self, c: char) -> Option<(u32, f32)> {
        self.glyphs.get(&c).copied()
    }

    /// The advance of a space, in ems.
    pub fn space(&self) -> f32 {
        self.space
    }
}

/// Characters that take no glyph: spaces, and the invisible formatting characters (zero
/// width space and joiners, word joiner, byte order mark, variation selectors).
pub fn needs_no_glyph(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c as u32,
            0x200B..=0x200F | 0x2060..=0x2064 | 0xFEFF | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF)
}

/// The face to write `text` in: the file `configured` (its face with the glyphs), or
/// without one the system's best font for it.
///
/// Errors: the configured file is missing, unreadable, not a font, or lacks glyphs (each
/// naming the path and, for the last, the characters); no font of the system has every
/// character (naming those missing from the closest one and the packages to install).
pub fn for_text(text: &str, configured: Option<&Path>) -> Result<Face> {
    let needed = needed(text);
    match configured {
        Some(path) => configured_face(path, text, &needed),
        None => system_face(text, &needed),
    }
}

/// The characters of `text` that need a glyph, each once, in the order they come.
fn needed(text: &str) -> Vec<char> {
    let mut seen = std::collections::HashSet::new();
    text.chars()
        .filter(|c| !needs_no_glyph(*c) && seen.insert(*c))
        .collect()
}

fn configured_face(path: &Path, text: &str, needed: &[char]) -> Result<Face> {
    let path = expand_home(path);
    let shown = path.display().to_string();
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(err!(Invalid, "documents.font_missing", path = shown));
        }
        Err(e) => {
            return Err(err!(
                Invalid,
                "documents.font_unreadable",
                path = shown,
                reason = e
            ))
        }
    };
    let Some(best) = best_face(&data, needed) else {
        return Err(err!(Invalid, "documents.font_bad", path = shown));
    };
    if !best.missing.is_empty() {
        return Err(err!(
            Invalid,
            plural "documents.font_lacks",
            best.missing.len(),
            path = shown,
            chars = chars_list(&best.missing)
        ));
    }
    load(path, data, best.index, text)
        .ok_or_else(|| err!(Invalid, "documents.font_bad", path = shown))
}

fn system_face(text: &str, needed: &[char]) -> Result<Face> {
    let cjk = needed.iter().any(|c| super::is_wide(*c));
    let mut files = system_files();
    files.sort_by_cached_key(|p| (rank(p, cjk), p.clone()));
    files.dedup();
    // The closest font: the fewest characters missing.
    let mut closest: Option<Vec<char>> = None;
    let mut tried = BTreeSet::new();
    let try_file = |path: &Path, closest: &mut Option<Vec<char>>| -> Option<Face> {
        let data = std::fs::read(path).ok()?;
        let best = best_face(&data, needed)?;
        if best.missing.is_empty() {
            return load(path.to_path_buf(), data, best.index, text);
        }
        if closest
            .as_ref()
            .is_none_or(|c| best.missing.len() < c.len())
        {
            *closest = Some(best.missing);
        }
        None
    };
    for path in &files {
        tried.insert(path.clone());
        if let Some(face) = try_file(path, &mut closest) {
            return Ok(face);
        }
    }
    let mut more: Vec<PathBuf> = fontconfig_files()
        .into_iter()
        .filter(|p| !tried.contains(p))
        .collect();
    more.sort_by_cached_key(|p| (rank(p, cjk), p.clone()));
    more.dedup();
    for path in &more {
        if let Some(face) = try_file(path, &mut closest) {
            return Ok(face);
        }
    }
    let missing = closest.unwrap_or_else(|| needed.to_vec());
    let chars = chars_list(&missing);
    if missing.iter().any(|c| super::is_wide(*c)) {
        Err(err!(Failed, plural "documents.font_none_cjk", missing.len(), chars = chars))
    } else {
        Err(err!(Failed, plural "documents.font_none", missing.len(), chars = chars))
    }
}

/// The characters for a message: the first 40, then `…`.
fn chars_list(chars: &[char]) -> String {
    let mut out: Vec<String> = chars
        .iter()
        .take(40)
        .map(|c| {
            if c.is_alphanumeric() || c.is_ascii_punctuation() || super::is_wide(*c) {
                c.to_string()
            } else {
                format!("{c} (U+{:04X})", *c as u32)
            }
        })
        .collect();
    if chars.len() > 40 {
        out.push("…".to_string());
    }
    out.join(" ")
}

/// `~/…` with the home directory put in.
fn expand_home(path: &Path) -> PathBuf {
    if let Ok(rest) = path.strip_prefix("~") {
        if let Some(home) = dirs::home_dir() {
            return home.join(rest);
        }
    }
    path.to_path_buf()
}

/// The face of a font file that suits `needed` best.
struct Best {
    index: u32,
    missing: Vec<char>,
}

/// The face of the file (a font or a collection) with the fewest characters of `needed`
/// missing; of those, the Simplified Chinese and proportional one. `None` when the data is
/// no font.
fn best_face(data: &[u8], needed: &[char]) -> Option<Best> {
    let faces: Vec<(u32, FontRef<'_>)> = match FileRef::new(data).ok()? {
        FileRef::Font(f) => vec![(0, f)],
        FileRef::Collection(c) => (0..c.len())
            .filter_map(|i| c.get(i).ok().map(|f| (i, f)))
            .collect(),
    };
    faces
        .into_iter()
        .filter(|(_, f)| f.charmap().has_map())
        .map(|(i, f)| {
            let charmap = f.charmap();
            let missing: Vec<char> = needed
                .iter()
                .copied()
                .filter(|c| charmap.map(*c).is_none_or(|g| g.to_u32() == 0))
                .collect();
            let name = family(&f).to_lowercase();
            (missing, face_rank(&name), i)
        })
        .min_by(|a, b| (a.0.len(), a.1, a.2).cmp(&(b.0.len(), b.1, b.2)))
        .map(|(missing, _, index)| Best { index, missing })
}

/// The order of a collection's faces: Simplified Chinese first, then unmarked faces, then
/// the other Chinese, Japanese and Korean ones; a monospaced face after its proportional
/// sibling.
fn face_rank(family: &str) -> u32 {
    let words: Vec<&str> = family
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    let script = if has("sc") || has("gb") || has("cn") || has("hans") || has("简") {
        0
    } else if has("tc") || has("hk") || has("jp") || has("kr") || has("hant") {
        2
    } else {
        1
    };
    let mono = u32::from(has("mono") || family.contains("等宽"));
    script * 2 + mono
}

/// The face's family name, English if it has one.
fn family(f: &FontRef<'_>) -> String {
    for id in [StringId::TYPOGRAPHIC_FAMILY_NAME, StringId::FAMILY_NAME] {
        if let Some(name) = f.localized_strings(id).english_or_first() {
            let s: String = name.chars().collect();
            if !s.trim().is_empty() {
                return s;
            }
        }
    }
    String::new()
}

/// The face `index` of `data`, with the glyphs of the characters of `text` (and those of
/// page numbers).
fn load(path: PathBuf, data: Vec<u8>, index: u32, text: &str) -> Option<Face> {
    let font = FontRef::from_index(&data, index).ok()?;
    let metrics = font.metrics(Size::unscaled(), LocationRef::default());
    let upem = f32::from(metrics.units_per_em.max(1));
    let charmap = font.charmap();
    let widths = font.glyph_metrics(Size::unscaled(), LocationRef::default());
    let mut glyphs = HashMap::new();
    let chars: BTreeSet<char> = text.chars().chain(" 0123456789/.".chars()).collect();
    for c in chars {
        if let Some(g) = charmap.map(c).filter(|g| g.to_u32() != 0) {
            let advance = widths.advance_width(g).unwrap_or(upem / 2.0) / upem;
            glyphs.insert(c, (g.to_u32(), advance.max(0.0)));
        }
    }
    let space = glyphs.get(&' ').map_or(0.28, |g| g.1);
    let family = family(&font);
    Some(Face {
        path,
        index,
        family,
        glyphs,
        space,
        data: Arc::new(data),
    })
}

/// The directories fonts are installed in, on this system.
fn font_dirs() -> Vec<PathBuf> {
    let mut dirs_ = vec![
        PathBuf::from("/usr/share/fonts"),
        PathBuf::from("/usr/local/share/fonts"),
    ];
    let home = dirs::home_dir();
    if let Some(data) = dirs::data_dir() {
        dirs_.push(data.join("fonts"));
    }
    if let Some(home) = &home {
        dirs_.push(home.join(".local/share/fonts"));
        dirs_.push(home.join(".fonts"));
    }
    if let Some(list) = std::env::var_os("XDG_DATA_DIRS") {
        for d in std::env::split_paths(&list) {
            if d.is_absolute() {
                dirs_.push(d.join("fonts"));
            }
        }
    }
    dirs_.push(PathBuf::from("/System/Library/Fonts"));
    dirs_.push(PathBuf::from("/Library/Fonts"));
    if let Some(home) = &home {
        dirs_.push(home.join("Library/Fonts"));
    }
    if let Some(windir) = std::env::var_os("WINDIR") {
        dirs_.push(PathBuf::from(windir).join("Fonts"));
    }
    if let Some(local) = dirs::data_local_dir() {
        if cfg!(windows) {
            dirs_.push(local.join("Microsoft/Windows/Fonts"));
        }
    }
    let mut seen = BTreeSet::new();
    dirs_.retain(|d| seen.insert(d.clone()));
    dirs_
}

/// Whether a file's name says it is a font file kith reads.
fn is_font_file(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["ttf", "otf", "ttc", "otc"].contains(&e.to_ascii_lowercase().as_str()))
}

/// The font files under the font directories.
fn system_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in font_dirs() {
        walk(&dir, 0, &mut out);
    }
    out
}

/// At most this many files are looked at, and this deep.
const MAX_FILES: usize = 50_000;
const MAX_DEPTH: usize = 8;

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > MAX_DEPTH || out.len() >= MAX_FILES {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if out.len() >= MAX_FILES {
            return;
        }
        if p.is_dir() {
            walk(&p, depth + 1, out);
        } else if is_font_file(&p) {
            out.push(p);
        }
    }
}

/// The font files fontconfig knows, when `fc-list` is there (else none).
fn fontconfig_files() -> Vec<PathBuf> {
    let Ok(out) = std::process::Command::new("fc-list")
        .args(["--format", "%{file}\\n"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
    else {
        return Vec::new();
    };
    if !out.status.success() {
        return Vec::new();
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(PathBuf::from)
        .filter(|p| is_font_file(p))
        .collect()
}

/// Sans-serif Chinese fonts, best first, by the squeezed lower-case file name they start
/// with (or contain).
const CJK_NAMES: &[&str] = &[
    "notosanscjksc",
    "notosanscjk",
    "sourcehansanssc",
    "sourcehanssanscn",
    "sourcehansans",
    "notosanssc",
    "wqymicrohei",
    "wqyzenhei",
    "pingfang",
    "hiraginosansgb",
    "stheiti",
    "msyh",
    "simhei",
    "droidsansfallback",
    "notoserifcjk",
    "sourcehanserif",
    "uming",
    "ukai",
    "simsun",
    "songti",
    "arialuni",
];

/// Common Latin sans-serif fonts, best first.
const LATIN_NAMES: &[&str] = &[
    "dejavusans",
    "notosans",
    "liberationsans",
    "arial",
    "helvetica",
    "roboto",
    "opensans",
    "freesans",
    "ubuntu",
    "cantarell",
    "segoeui",
    "verdana",
];

/// Words of a file name that mark a face other than the regular one.
const STYLE_WORDS: &[&str] = &[
    "bold",
    "black",
    "heavy",
    "light",
    "thin",
    "medium",
    "semibold",
    "demi",
    "italic",
    "oblique",
    "condensed",
    "narrow",
    "mono",
    "code",
    "math",
    "emoji",
    "symbol",
    "color",
];

/// The order a font file is tried in (lower first): the known fonts of the document's
/// script in their order, then the others' known fonts, then the rest; a regular face
/// before any other.
fn rank(path: &Path, cjk: bool) -> u32 {
    let name: String = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let position = |list: &[&str]| list.iter().position(|n| name.contains(n));
    // A Chinese font's name may hold a Latin one's ("NotoSansCJK"): it is a Chinese font.
    let known = match (position(CJK_NAMES), position(LATIN_NAMES), cjk) {
        (Some(i), _, true) | (None, Some(i), false) => i as u32,
        (Some(i), _, false) | (None, Some(i), true) => 100 + i as u32,
        (None, None, _) => 200,
    };
    let mut styled = STYLE_WORDS.iter().any(|w| name.contains(w));
    // "Noto Sans CJK" comes as NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc; a regular
    // name marks the regular face even if a style word is in it (DemiLight).
    if name.ends_with("regular") {
        styled = false;
    }
    // A serif font of a sans-serif document only if nothing else will do.
    let serif = name.contains("serif") && !name.contains("sansserif");
    u32::from(styled) * 1000 + u32::from(serif) * 300 + known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_sans_fonts_are_tried_first() {
        let order = |names: &[&str], cjk: bool| {
            let mut v: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
            v.sort_by_cached_key(|p| (rank(p, cjk), p.clone()));
            v.iter()
                .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
                .collect::<Vec<_>>()
        };
        let names = [
            "/f/DejaVuSans-Bold.ttf",
            "/f/DejaVuSerif.ttf",
            "/f/NotoSansCJK-Bold.ttc",
            "/f/wqy-microhei.ttc",
            "/f/DejaVuSans.ttf",
            "/f/NotoSansCJK-Regular.ttc",
            "/f/Zzz.ttf",
        ];
        assert_eq!(
            order(&names, true),
            [
                "NotoSansCJK-Regular.ttc",
                "wqy-microhei.ttc",
                "DejaVuSans.ttf",
                "Zzz.ttf",
                "DejaVuSerif.ttf",
                "NotoSansCJK-Bold.ttc",
                "DejaVuSans-Bold.ttf",
            ]
        );
        assert_eq!(
            order(&names, false)[..3],
            [
                "DejaVuSans.ttf",
                "NotoSansCJK-Regular.ttc",
                "wqy-microhei.ttc"
            ]
        );
    }

    #[test]
    fn the_simplified_chinese_face_of_a_collection_comes_first() {
        let mut faces = [
            "Noto Sans CJK JP",
            "Noto Sans Mono CJK SC",
            "Noto Sans CJK SC",
            "Noto Sans CJK TC",
            "WenQuanYi Micro Hei Mono",
            "WenQuanYi Micro Hei",
        ];
        faces.sort_by_key(|f| face_rank(&f.to_lowercase()));
        assert_eq!(faces[0], "Noto Sans CJK SC");
        assert_eq!(faces[1], "Noto Sans Mono CJK SC");
        assert_eq!(faces[2], "WenQuanYi Micro Hei");
        assert_eq!(faces[3], "WenQuanYi Micro Hei Mono");
    }

    #[test]
    fn a_configured_font_that_is_not_there_or_not_a_font_is_named() {
        let e = for_text("Quote", Some(Path::new("/nonexistent/kith/font.ttf"))).unwrap_err();
        assert_eq!(e.code(), "documents.font_missing");
        assert!(e.to_string().contains("/nonexistent/kith/font.ttf"), "{e}");

        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("not-a-font.ttf");
        std::fs::write(&bad, b"this is no font").unwrap();
        let e = for_text("Quote", Some(&bad)).unwrap_err();
        assert_eq!(e.code(), "documents.font_bad");
        assert!(e.to_string().contains("not-a-font.ttf"), "{e}");

        let e = for_text("Quote", Some(dir.path())).unwrap_err();
        assert_eq!(e.code(), "documents.font_unreadable");
    }

    #[test]
    fn characters_listed_in_a_message_are_shown_and_cut() {
        assert_eq!(chars_list(&['智', '能']), "智 能");
        assert_eq!(chars_list(&['\u{e000}']), "\u{e000} (U+E000)");
        let many: Vec<char> = ('一'..='龥').take(50).collect();
        assert!(chars_list(&many).ends_with(" …"));
    }
}
