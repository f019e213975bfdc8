//! Chinese names as they are read: each character's pinyin (the `pinyin` crate's most
//! common reading, without tones), with the readings names use where a character has
//! several — 重庆 chóngqìng, 银行 yínháng, 长沙 chángshā, 厦门 xiàmén, and 单, 曾, 解 … as
//! surnames — and the match of typed Latin letters against them: full pinyin (`baiyun`),
//! initials (`bygj`) or both mixed with characters (`gz白云`, `zhang san`), as search, the
//! filter line and the finder take them.

use ::pinyin::ToPinyin;
use arrayvec::ArrayVec;

/// The most characters of a name read for its pinyin (names are shorter; a longer one is
/// matched on its first ones).
const MOST: usize = 48;

/// A name's characters, each with its reading when it is a Chinese character with one.
pub type Reading = ArrayVec<(char, Option<&'static str>), MOST>;

/// The readings of a phrase whose characters names read otherwise than alone (the
/// `pinyin` crate gives each character its most common reading, not a place's): a match
/// on the pair, so the many pairs that are none cost one comparison or two.
fn phrase(a: char, b: char) -> Option<[&'static str; 2]> {
    Some(match (a, b) {
        ('重', '庆') => ["chong", "qing"],
        ('长', '沙') => ["chang", "sha"],
        ('长', '春') => ["chang", "chun"],
        ('长', '安') => ["chang", "an"],
        ('长', '城') => ["chang", "cheng"],
        ('长', '江') => ["chang", "jiang"],
        ('厦', '门') => ["xia", "men"],
        ('大', '厦') => ["da", "sha"],
        ('银', '行') => ["yin", "hang"],
        ('行', '业') => ["hang", "ye"],
        ('商', '行') => ["shang", "hang"],
        ('车', '行') => ["che", "hang"],
        ('蚌', '埠') => ["beng", "bu"],
        ('六', '安') => ["lu", "an"],
        ('丽', '水') => ["li", "shui"],
        ('乐', '山') => ["le", "shan"],
        ('乐', '清') => ["yue", "qing"],
        ('番', '禺') => ["pan", "yu"],
        ('朝', '阳') => ["chao", "yang"],
        ('台', '州') => ["tai", "zhou"],
        ('单', '县') => ["shan", "xian"],
        ('济', '南') => ["ji", "nan"],
        ('石', '家') => ["shi", "jia"],
        ('音', '乐') => ["yin", "yue"],
        ('快', '乐') => ["kuai", "le"],
        ('重', '工') => ["zhong", "gong"],
        ('重', '型') => ["zhong", "xing"],
        _ => return None,
    })
}

/// Surnames read otherwise than the character alone, when a name looks like a person's
/// (two to four Chinese characters) and begins with one.
const SURNAMES: &[(char, &str)] = &[
    ('单', "shan"),
    ('曾', "zeng"),
    ('解', "xie"),
    ('查', "zha"),
    ('仇', "qiu"),
    ('朴', "piao"),
    ('区', "ou"),
    ('乐', "yue"),
    ('翟', "zhai"),
    ('盖', "ge"),
    ('覃', "qin"),
    ('员', "yun"),
    ('召', "shao"),
    ('缪', "miao"),
    ('种', "chong"),
    ('折', "she"),
    ('秘', "bi"),
    ('繁', "po"),
    ('尉', "yu"),
    ('长', "zhang"),
    ('沈', "shen"),
    ('万', "wan"),
    ('柏', "bai"),
    ('华', "hua"),
];

/// The readings names give a character besides its own, a space apart: those of
/// [`phrase`] and [`SURNAMES`] (a test holds them so); empty for most characters. A match,
/// as it is asked of every character of every name searched.
fn other_readings(c: char) -> &'static str {
    match c {
        '万' => "wan",
        '业' => "ye",
        '丽' => "li",
        '乐' => "le yue",
        '仇' => "qiu",
        '六' => "lu",
        '区' => "ou",
        '华' => "hua",
        '单' => "shan",
        '南' => "nan",
        '厦' => "sha xia",
        '县' => "xian",
        '召' => "shao",
        '台' => "tai",
        '员' => "yun",
        '商' => "shang",
        '型' => "xing",
        '城' => "cheng",
        '埠' => "bu",
        '大' => "da",
        '安' => "an",
        '家' => "jia",
        '尉' => "yu",
        '山' => "shan",
        '州' => "zhou",
        '工' => "gong",
        '庆' => "qing",
        '快' => "kuai",
        '折' => "she",
        '春' => "chun",
        '曾' => "zeng",
        '朝' => "chao",
        '朴' => "piao",
        '柏' => "bai",
        '查' => "zha",
        '水' => "shui",
        '江' => "jiang",
        '沈' => "shen",
        '沙' => "sha",
        '济' => "ji",
        '清' => "qing",
        '番' => "pan",
        '盖' => "ge",
        '石' => "shi",
        '禺' => "yu",
        '种' => "chong",
        '秘' => "bi",
        '繁' => "po",
        '缪' => "miao",
        '翟' => "zhai",
        '蚌' => "beng",
        '行' => "hang",
        '覃' => "qin",
        '解' => "xie",
        '车' => "che",
        '重' => "chong zhong",
        '银' => "yin",
        '长' => "chang zhang",
        '门' => "men",
        '阳' => "yang",
        '音' => "yin",
        _ => "",
    }
}

/// Whether a name holds a character beyond ASCII (only such a name can have a reading).
fn may_have_reading(name: &str) -> bool {
    !name.is_ascii()
}

/// Each character of `name` (its first [`MOST`]) with its pinyin, None for a character
/// that has none (a Latin letter, a digit, a space). Empty for a name without Chinese.
pub fn reading(name: &str) -> Reading {
    let mut out = Reading::new();
    if !may_have_reading(name) {
        return out;
    }
    let mut any = false;
    for c in name.chars().take(MOST) {
        let p = c.to_pinyin().map(|p| p.plain());
        any |= p.is_some();
        out.push((c, p));
    }
    if !any {
        out.clear();
        return out;
    }
    // Phrases, then a person's surname (where no phrase read the first character).
    let mut first_read = false;
    for i in 0..out.len().saturating_sub(1) {
        if let Some(r) = phrase(out[i].0, out[i + 1].0) {
            out[i].1 = Some(r[0]);
            out[i + 1].1 = Some(r[1]);
            first_read |= i == 0;
        }
    }
    let chinese = out.iter().all(|(_, p)| p.is_some());
    if chinese && !first_read && (2..=4).contains(&out.len()) {
        if let Some((_, r)) = SURNAMES.iter().find(|(c, _)| *c == out[0].0) {
            out[0].1 = Some(r);
        }
    }
    out
}

/// The name's pinyin, a syllable apart, other characters in lower case as they are: the
/// key names sort by (`广州白云` → `guang zhou bai yun`, `3M 中国` → `3m zhong guo`).
pub fn spelled(name: &str) -> String {
    let name = name.trim();
    let mut key = String::with_capacity(name.len() * 2);
    // Whether the last thing written was a syllable (the next letter starts apart).
    let mut after_syllable = false;
    let read = reading(name);
    let rest = name.chars().skip(read.len());
    let chars = read
        .iter()
        .copied()
        .chain(rest.map(|c| (c, c.to_pinyin().map(|p| p.plain()))));
    for (c, p) in chars {
        match p {
            Some(p) => {
                if !key.is_empty() && !key.ends_with(' ') {
                    key.push(' ');
                }
                key.push_str(p);
                after_syllable = true;
            }
            None => {
                if after_syllable && !c.is_whitespace() {
                    key.push(' ');
                }
                after_syllable = false;
                key.extend(c.to_lowercase());
            }
        }
    }
    key
}

/// The Latin letters of a name's pinyin, one bit each (`a` bit 0 … `z` bit 25), so that a
/// typed letter's test (one AND on a name's character mask) lets a Chinese name through.
pub fn letters_mask(name: &str) -> u32 {
    reading(name)
        .iter()
        .filter_map(|(_, p)| *p)
        .fold(0, |m, p| m | latin_letters(p))
}

/// The Latin letters of a text, one bit each (`a` bit 0 … `z` bit 25), either case; ü
/// counts as v (lv for 吕, as input methods type it) and as u.
fn latin_letters(text: &str) -> u32 {
    text.chars().fold(0, |m, c| match c.to_ascii_lowercase() {
        c @ 'a'..='z' => m | 1 << (c as u32 - 'a' as u32),
        'ü' => m | 1 << ('v' as u32 - 'a' as u32) | 1 << ('u' as u32 - 'a' as u32),
        _ => m,
    })
}

/// Whether a word is looked for in pinyin: it holds a Latin letter.
pub fn typed_in_latin(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_alphabetic())
}

/// A match's points, as skim's scale gives them: a character 16, a syllable's first
/// letter (or a Chinese character typed itself) 8 more, 4 more for following the
/// character matched before, 2 for a syllable typed whole; 1 less for a space or a mark
/// passed over inside the match. At most 32 a typed character, as skim.
const CHAR: i32 = 16;
const START: i32 = 8;
const NEXT: i32 = 4;
const WHOLE: i32 = 2;

/// The score of `word` (in lower case) as typed for `name` read in pinyin: each character
/// of a run of the name's characters taken in turn by its syllable's first letters (one
/// or more, from its start) or by itself — a character without a reading only by itself,
/// and nothing passed over inside the run but spaces and marks (`gzby` and `baiyun` find
/// 广州白云, `gzyun` does not: a word of pinyin is read as the name is, not scattered over
/// it, which would let most short words match most long Chinese names). Its
/// fuzzy points (see the constants) and the bonus `bonus` gives the plain words: 1000 for
/// the name itself (its full pinyin or its initials), 500 for a start of either, 200 for
/// either holding the word. None when the word cannot be read in the name so.
pub fn score(word: &str, name: &str) -> Option<(i64, i64)> {
    // Most names cannot take the word at all, told from their characters' readings alone
    // before a name's reading (its phrases) and the match are worked out: the word's first
    // character must begin a syllable (or be a character of the name), and its Latin
    // letters must all be among the readings' letters.
    let first = word.chars().next()?;
    let want = latin_letters(word);
    let (mut have, mut starts) = (0u32, false);
    for c in name.chars().take(MOST) {
        match c.to_pinyin() {
            Some(p) => {
                let p = p.plain();
                have |= latin_letters(p);
                starts |= p.starts_with(first) || c == first;
                let other = other_readings(c);
                if !other.is_empty() {
                    have |= latin_letters(other);
                    starts |= other.split(' ').any(|r| r.starts_with(first));
                }
            }
            None => {
                let l = c.to_ascii_lowercase();
                have |= latin_letters(l.encode_utf8(&mut [0; 4]));
                starts |= l == first;
            }
        }
    }
    if !starts || want & !have != 0 {
        return None;
    }
    let read = reading(name);
    if read.is_empty() {
        return None;
    }
    let q: ArrayVec<char, 32> = word.chars().take(32).collect();
    if q.len() != word.chars().count() {
        return None;
    }
    let n = q.len();
    const NONE: i32 = i32::MIN / 2;
    // best[i][m]: the best points with the word's first i characters taken, m whether the
    // last character of the name was one of those taking them.
    let mut best = [[NONE; 2]; 33];
    best[0][0] = 0;
    let mut prev_space = true;
    for &(c, p) in &read {
        let mut next = [[NONE; 2]; 33];
        let lower = c.to_ascii_lowercase();
        for i in 0..=n {
            for m in 0..2 {
                let s = best[i][m];
                if s == NONE {
                    continue;
                }
                // Passed over: before or after the run, or a space or a mark inside it
                // (a point less).
                if i == 0 || i == n {
                    next[i][0] = next[i][0].max(s);
                } else if p.is_none() && !c.is_alphanumeric() {
                    next[i][m] = next[i][m].max(s - 1);
                }
                if i == n {
                    continue;
                }
                let follow = if m == 1 { NEXT } else { 0 };
                if q[i] == lower {
                    let start = if prev_space || p.is_some() { START } else { 0 };
                    next[i + 1][1] = next[i + 1][1].max(s + CHAR + start + follow);
                }
                if let Some(p) = p {
                    let len = p.chars().count();
                    let mut k = 0;
                    for y in p.chars() {
                        let typed = q.get(i + k).copied();
                        if !(typed == Some(y) || (y == 'ü' && matches!(typed, Some('v' | 'u')))) {
                            break;
                        }
                        k += 1;
                        let whole = if k == len { WHOLE } else { 0 };
                        let gain = CHAR * k as i32 + START + follow + whole;
                        next[i + k][1] = next[i + k][1].max(s + gain);
                    }
                }
            }
        }
        best = next;
        prev_space = c.is_whitespace();
    }
    let points = best[n][0].max(best[n][1]);
    if points == NONE {
        return None;
    }
    Some((points as i64, bonus(word, &read)))
}

/// 1000, 500, 200 or 0, as the plain words' bonus: the word is the name's full pinyin or
/// its initials, begins one of them, or is held in one.
fn bonus(word: &str, read: &Reading) -> i64 {
    let mut full = String::with_capacity(read.len() * 4);
    let mut initials = String::with_capacity(read.len());
    for &(c, p) in read {
        match p {
            Some(p) => {
                full.push_str(p);
                initials.push_str(&p[..1]);
            }
            None if c.is_whitespace() => {}
            None => {
                full.extend(c.to_lowercase());
                initials.extend(c.to_lowercase());
            }
        }
    }
    if full == word || initials == word {
        1000
    } else if full.starts_with(word) || initials.starts_with(word) {
        500
    } else if full.contains(word) || initials.contains(word) {
        200
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn plain(name: &str) -> Vec<&'static str> {
        reading(name).iter().filter_map(|(_, p)| *p).collect()
    }

    #[test]
    fn names_are_read_as_names_are() {
        assert_eq!(
            plain("广州白云国际机场"),
            ["guang", "zhou", "bai", "yun", "guo", "ji", "ji", "chang"]
        );
        assert_eq!(plain("重庆银行"), ["chong", "qing", "yin", "hang"]);
        assert_eq!(plain("长沙"), ["chang", "sha"]);
        assert_eq!(plain("厦门航空"), ["xia", "men", "hang", "kong"]);
        assert_eq!(plain("单伟"), ["shan", "wei"]);
        assert_eq!(plain("曾国强"), ["zeng", "guo", "qiang"]);
        // A surname's reading only for a name like a person's: 单位 is not one.
        assert_eq!(
            plain("单位采购中心"),
            ["dan", "wei", "cai", "gou", "zhong", "xin"]
        );
        assert!(reading("Acme Robotics").is_empty());
        assert!(reading("Café Zürich").is_empty());
        assert_eq!(spelled("广州白云"), "guang zhou bai yun");
        assert_eq!(spelled("  3M 中国 "), "3m zhong guo");
        assert_eq!(spelled("重庆"), "chong qing");
    }

    #[test]
    fn full_pinyin_initials_and_characters_find_a_name() {
        let airport = "广州白云国际机场";
        for word in [
            "baiyun",
            "bygj",
            "gzby",
            "guangzhou",
            "gz白云",
            "白云gj",
            "jichang",
            "gzbygjjc",
        ] {
            assert!(score(word, airport).is_some(), "{word}");
        }
        // Not scattered over the name: gz…jc passes over 白云国际.
        for word in ["acme", "baiyunx", "yb", "gzx", "bai yun", "gzjc", "白云jc"] {
            assert_eq!(score(word, airport), None, "{word}");
        }
        assert!(score("chongqing", "重庆银行").is_some());
        assert!(score("cqyh", "重庆银行").is_some());
        assert!(score("xiamen", "厦门航空").is_some());
        assert!(score("zhangsan", "张三").is_some());
        assert!(score("shanwei", "单伟").is_some());
        // ü typed as v, as input methods take it, or as u.
        assert!(score("lvbu", "吕布").is_some());
        assert!(score("lubu", "吕布").is_some());
        assert_ne!(letters_mask("吕布") & (1 << ('v' as u32 - 'a' as u32)), 0);
    }

    #[test]
    fn the_name_itself_scores_above_a_name_holding_it() {
        let (p1, b1) = score("baiyun", "白云").unwrap();
        let (p2, b2) = score("baiyun", "广州白云国际机场").unwrap();
        assert_eq!((b1, b2), (1000, 200));
        assert!(p1 + b1 > p2 + b2);
        assert_eq!(score("bygj", "白云国际").unwrap().1, 1000);
        assert_eq!(score("gz", "广州白云").unwrap().1, 500);
        // Points by hand: b(8 start + 16) a(16) i(16) + 2 whole = 58 for 白; y 16 + 8 + 4
        // following, u n 32, + 2 whole = 62 for 云: 120.
        assert_eq!(score("baiyun", "白云").unwrap().0, 120);
        // Initials: each 16 + 8, the three after the first 4 more: 24 + 3 × 28 = 108.
        assert_eq!(score("bygj", "白云国际").unwrap().0, 108);
        // A character passed over ends the run: 白 and 国 are not next to each other.
        assert_eq!(score("bg", "白云国际"), None);
        // A space passed over costs one: z 24, (space) s 24 + 4 following.
        assert_eq!(score("zs", "张 三").unwrap().0, 51);
    }

    #[test]
    fn every_character_of_a_phrase_is_known_to_be_read_otherwise() {
        for (c, r) in SURNAMES {
            assert!(other_readings(*c).split(' ').any(|o| o == *r), "{c}");
        }
        // Every phrase the source lists.
        let source = include_str!("pinyin.rs");
        let arm = ["') =", "> ["].concat();
        for line in source.lines().filter(|l| l.contains(&arm)) {
            let cs: Vec<char> = line.chars().filter(|c| !c.is_ascii()).collect();
            let rs: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
            assert!(cs.len() >= 2 && rs.len() == 2, "{line}");
            for (c, r) in cs.iter().zip(&rs) {
                assert!(other_readings(*c).split(' ').any(|o| o == *r), "{line}");
            }
        }
    }

    proptest! {
        #[test]
        fn any_word_and_name_give_a_score_or_none(word in "\\PC{0,40}", name in "\\PC{0,60}") {
            let _ = score(&word.to_lowercase(), &name);
            let _ = letters_mask(&name);
            let _ = spelled(&name);
        }

        /// No typed character earns more than 32 points, skim's most.
        #[test]
        fn a_match_earns_at_most_32_a_character(
            word in "[a-z]{1,8}",
            name in "[白云国际机场广州深圳宝安张三李四王芳 ]{1,12}",
        ) {
            if let Some((points, _)) = score(&word, &name) {
                prop_assert!(points <= 32 * word.chars().count() as i64);
            }
        }
    }
}
