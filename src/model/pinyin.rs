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

/// Every syllable [`phrase`] gives (a test holds them so), for the table of syllables.
const PHRASE_SYLLABLES: &str = "an beng bu chang chao che cheng chong chun da gong hang ji jia jiang kuai le li lu men nan pan qing sha shan shang shi shui tai xia xian xing yang ye yin yu yue zhong zhou";

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
    if any {
        read_as_names(&mut out);
    } else {
        out.clear();
    }
    out
}

/// Phrases, then a person's surname (where no phrase read the first character): the
/// readings names use, over each character's own.
fn read_as_names(out: &mut Reading) {
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
}

/// A word as typed, made once for the many names it is read in: its characters in lower
/// case, its first, and its Latin letters as [`latin_letters`] marks them.
pub struct Typed {
    word: String,
    chars: ArrayVec<char, 32>,
    letters: u32,
    /// What each syllable takes of the word from each place ([`Syllable::takes`]), the
    /// word's length a syllable: made when a name's kept reading first asks.
    table: std::sync::OnceLock<Vec<u8>>,
}

impl Typed {
    /// None for a word of no Latin letter (it is not looked for in pinyin) or longer than
    /// 32 characters.
    pub fn new(word: &str) -> Option<Typed> {
        let word = word.to_lowercase();
        if !typed_in_latin(&word) || word.chars().count() > 32 {
            return None;
        }
        Some(Typed {
            chars: word.chars().collect(),
            letters: latin_letters(&word),
            word,
            table: std::sync::OnceLock::new(),
        })
    }

    /// What each syllable of [`syllables`] takes of the word from each place.
    fn table(&self) -> &[u8] {
        self.table.get_or_init(|| {
            let n = self.chars.len();
            let mut table = Vec::with_capacity(syllables().names.len() * n);
            for s in &syllables().names {
                table.extend((0..n).map(|i| s.takes(self, i)));
            }
            table
        })
    }
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
    letters_and_heads(&reading(name)).0
}

/// A reading's Latin letters (of its syllables, of the other readings names give its
/// characters, and its own Latin letters) and the letters a match can begin a character
/// with (their first letters), one bit each as [`latin_letters`] gives them: a word whose
/// letters are not all among the first, or whose first letter is not among the second
/// (and not a character of the name), cannot be read in it.
fn letters_and_heads(read: &[(char, Option<&'static str>)]) -> (u32, u32) {
    let (mut letters, mut heads) = (0, 0);
    for &(c, p) in read {
        match p {
            Some(p) => {
                letters |= latin_letters(p);
                heads |= latin_letters(&p[..1]);
                for other in other_readings(c).split(' ').filter(|o| !o.is_empty()) {
                    letters |= latin_letters(other);
                    heads |= latin_letters(&other[..1]);
                }
            }
            None => {
                let own = latin_letters(c.encode_utf8(&mut [0; 4]));
                letters |= own;
                heads |= own;
            }
        }
    }
    (letters, heads)
}

/// Whether a word can begin a match in a name whose reading begins characters with
/// `heads` ([`letters_and_heads`]): its first letter is one of them, or its first
/// character is one of the name's.
fn may_start(typed: &Typed, heads: u32, name: &str) -> bool {
    let first = typed.chars[0];
    (first.is_ascii_lowercase() && heads & 1 << (first as u32 - 'a' as u32) != 0)
        || name.contains(first)
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
fn typed_in_latin(word: &str) -> bool {
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
pub fn score(typed: &Typed, name: &str) -> Option<(i64, i64)> {
    if !may_have_reading(name) {
        return None;
    }
    // Most names cannot take the word at all, told from their characters' readings as
    // they are read (with every reading names give them): only then are the phrases read
    // and the match worked out.
    let mut read: Reading = name
        .chars()
        .take(MOST)
        .map(|c| (c, c.to_pinyin().map(|p| p.plain())))
        .collect();
    if read.iter().all(|(_, p)| p.is_none()) {
        return None;
    }
    let (letters, heads) = letters_and_heads(&read);
    if !may_start(typed, heads, name) || typed.letters & !letters != 0 {
        return None;
    }
    read_as_names(&mut read);
    matched(typed, read.iter().copied())
}

/// A character's syllable as a match reads it: its text, and which of the typed word's
/// letters from a place it takes.
trait Syllable: Copy {
    fn text(self) -> &'static str;
    /// Which runs of the word's characters from the `i`th the syllable's first letters
    /// are, bit `k - 1` for the first `k` (ü taken by v or u); and whether the `k`
    /// letters are the whole syllable.
    fn takes(self, typed: &Typed, i: usize) -> u8;
    fn whole(self, k: usize) -> bool;
}

/// A syllable read afresh: its letters compared with the word's.
impl Syllable for &'static str {
    fn text(self) -> &'static str {
        self
    }

    fn takes(self, typed: &Typed, i: usize) -> u8 {
        let mut ks = 0;
        for (k, y) in self.chars().enumerate() {
            if k >= 8 || !letter_takes(y, typed.chars.get(i + k).copied()) {
                break;
            }
            ks |= 1 << k;
        }
        ks
    }

    fn whole(self, k: usize) -> bool {
        if self.is_ascii() {
            k == self.len()
        } else {
            k == self.chars().count()
        }
    }
}

/// Whether a syllable's letter `y` is taken by the typed character.
fn letter_takes(y: char, typed: Option<char>) -> bool {
    typed == Some(y) || (y == 'ü' && matches!(typed, Some('v' | 'u')))
}

/// A syllable kept by its number: what it takes of a word is looked up in the word's
/// table ([`Typed::table`]).
#[derive(Clone, Copy)]
struct Kept<'t> {
    id: u16,
    table: &'t [u8],
    n: usize,
}

impl Syllable for Kept<'_> {
    fn text(self) -> &'static str {
        syllables().names[self.id as usize]
    }

    fn takes(self, _: &Typed, i: usize) -> u8 {
        self.table[self.id as usize * self.n + i]
    }

    fn whole(self, k: usize) -> bool {
        k == syllables().lens[self.id as usize] as usize
    }
}

/// The match of a word in a name's reading (see [`score`]): the best points of the
/// word's first `i` characters taken, with the last character of the name taking one of
/// them or not, kept for the places `i` some match reaches (most names reach few).
fn matched<S: Syllable>(
    typed: &Typed,
    read: impl Iterator<Item = (char, Option<S>)> + Clone,
) -> Option<(i64, i64)> {
    let q = &typed.chars;
    let n = q.len();
    const NONE: i32 = i32::MIN / 2;
    let (mut a, mut b) = ([[NONE; 2]; 33], [[NONE; 2]; 33]);
    let (mut best, mut next) = (&mut a, &mut b);
    best[0][0] = 0;
    // The places some match reaches, a bit each.
    let mut alive: u64 = 1;
    let mut prev_space = true;
    for (c, p) in read.clone() {
        // Nothing under way (the first place alone, whose points stay 0): only a
        // character that can begin the word changes anything — most characters of a long
        // name are passed over here at the cost of a look in the word's table.
        if alive == 1 && q[0] != c.to_ascii_lowercase() && p.is_none_or(|p| p.takes(typed, 0) == 0)
        {
            prev_space = c.is_whitespace();
            continue;
        }
        let mut reached: u64 = 0;
        let mut put = |i: usize, m: usize, s: i32| {
            next[i][m] = next[i][m].max(s);
            reached |= 1 << i;
        };
        let lower = c.to_ascii_lowercase();
        // A space or a mark inside the match is passed over (a point less).
        let passed = p.is_none() && !c.is_alphanumeric();
        let start = if prev_space || p.is_some() { START } else { 0 };
        let mut places = alive;
        while places != 0 {
            let i = places.trailing_zeros() as usize;
            places &= places - 1;
            let takes = match p {
                Some(p) if i < n => p.takes(typed, i),
                _ => 0,
            };
            for (m, s) in best[i].into_iter().enumerate() {
                if s == NONE {
                    continue;
                }
                // Passed over: before or after the run, or inside it.
                if i == 0 || i == n {
                    put(i, 0, s);
                } else if passed {
                    put(i, m, s - 1);
                }
                if i == n {
                    continue;
                }
                let follow = if m == 1 { NEXT } else { 0 };
                if q[i] == lower {
                    put(i + 1, 1, s + CHAR + start + follow);
                }
                if let Some(p) = p {
                    let mut ks = takes;
                    while ks != 0 {
                        let k = ks.trailing_zeros() as usize + 1;
                        ks &= ks - 1;
                        let whole = if p.whole(k) { WHOLE } else { 0 };
                        put(i + k, 1, s + CHAR * k as i32 + START + follow + whole);
                    }
                }
            }
        }
        // The row read becomes the next one to write: cleared where it was written.
        let mut places = alive;
        while places != 0 {
            let i = places.trailing_zeros() as usize;
            places &= places - 1;
            best[i] = [NONE; 2];
        }
        std::mem::swap(&mut best, &mut next);
        alive = reached;
        prev_space = c.is_whitespace();
    }
    let points = best[n][0].max(best[n][1]);
    if points == NONE {
        return None;
    }
    Some((points as i64, bonus(&typed.word, read)))
}

/// [`matched`] of a word of one Latin letter, worked out without the match's rows (the
/// first key typed, which reads most Chinese names): the best character taking it — a
/// syllable it begins, or the letter itself — and the bonus [`bonus`] would give: 1000
/// when the name is one character read so, 500 when its first one is, else 200 (the
/// letter is then in its pinyin).
fn one_letter<S: Syllable>(
    typed: &Typed,
    read: impl Iterator<Item = (char, Option<S>)>,
) -> Option<(i64, i64)> {
    let q = typed.chars[0];
    let mut best: Option<i32> = None;
    let (mut first, mut tokens) = (None, 0);
    let mut prev_space = true;
    for (c, p) in read {
        let begins = p.map(|p| p.takes(typed, 0) & 1 != 0);
        let gain = match (p, begins) {
            (Some(p), Some(true)) => Some(CHAR + START + if p.whole(1) { WHOLE } else { 0 }),
            _ if c.to_ascii_lowercase() == q => {
                Some(CHAR + if prev_space || p.is_some() { START } else { 0 })
            }
            _ => None,
        };
        best = best.max(gain);
        if !(p.is_none() && c.is_whitespace()) {
            let head = match begins {
                Some(begins) => begins,
                None => c.to_lowercase().next() == Some(q),
            };
            first = first.or(Some(head));
            tokens += 1;
        }
        prev_space = c.is_whitespace();
    }
    let points = best?;
    let bonus = match (tokens, first) {
        (1, Some(true)) => 1000,
        (_, Some(true)) => 500,
        _ => 200,
    };
    Some((points as i64, bonus))
}

/// 1000, 500, 200 or 0, as the plain words' bonus: the word is the name's full pinyin or
/// its initials, begins one of them, or is held in one. Made on the stack (a keystroke's
/// tens of thousands of matches allocate nothing); a name too long for it is cut.
fn bonus<S: Syllable>(word: &str, read: impl Iterator<Item = (char, Option<S>)>) -> i64 {
    let mut full = arrayvec::ArrayString::<{ MOST * 7 }>::new();
    let mut initials = arrayvec::ArrayString::<{ MOST * 4 }>::new();
    spell(read.map(|(c, p)| (c, p.map(S::text))), |f, i| {
        let _ = full.try_push_str(f);
        let _ = initials.try_push_str(i);
        true
    });
    let (full, initials) = (full.as_str(), initials.as_str());
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

/// A reading's full pinyin and its initials, a piece of each at a time, to `put`: a
/// syllable and its first letter, or a character's lower case (both times); spaces are
/// left out. `put` says whether to go on.
fn spell(
    read: impl Iterator<Item = (char, Option<&'static str>)>,
    mut put: impl FnMut(&str, &str) -> bool,
) {
    for (c, p) in read {
        let go = match p {
            Some(p) => put(p, &p[..1]),
            None if c.is_whitespace() => true,
            None => c.to_lowercase().all(|l| {
                let mut buf = [0; 4];
                let l: &str = l.encode_utf8(&mut buf);
                put(l, l)
            }),
        };
        if !go {
            return;
        }
    }
}

/// The readings of many names, made once when they are read (the interface's filter
/// line and finder rank the same names at every keystroke): for each name, whether it has
/// one, the letters a syllable of it can begin with and the letters of its pinyin; and
/// the few characters names read otherwise than alone (phrases, surnames). Each character's
/// own syllable is looked up again when a word is matched, in a table of the characters
/// (faster than reading the `pinyin` crate's, and nothing to hold a character).
#[derive(Default)]
pub struct Readings {
    /// Each name's letters that begin a syllable (of any reading names give it) or stand
    /// in it (bits 0 to 25: the first letter of a word read in it must be one), and
    /// whether it has a reading ([`HAS_READING`]) and characters read otherwise
    /// ([`HAS_FIXES`]).
    heads: Vec<u32>,
    /// Each name's letters of its reading, as [`letters_mask`] gives them.
    letters: Vec<u32>,
    /// The characters read otherwise than alone, in the order of the names: the name's
    /// number, the character's place in it and its syllable.
    fixes: Vec<(u32, u8, u16)>,
}

/// Where [`Readings::letters`] holds, for a plain name (see [`Readings::push`]), its first
/// syllable's first letter (1 for a, 26 for z; 0 for another name).
const FIRST_SHIFT: u32 = 26;

/// [`Readings::heads`]' bit for a name with a reading.
const HAS_READING: u32 = 1 << 31;
/// [`Readings::heads`]' bit for a name with characters read otherwise than alone.
const HAS_FIXES: u32 = 1 << 30;

/// A character without a syllable.
const NO_SYLLABLE: u16 = u16::MAX;

/// Every syllable the `pinyin` crate's readings and this module's tables hold, found once
/// (about 400): each one's text, number and length in letters; and the number of each
/// Chinese character's own syllable.
struct Syllables {
    names: Vec<&'static str>,
    ids: std::collections::HashMap<&'static str, u16>,
    lens: Vec<u8>,
    /// The syllable of each character from U+3400 to U+9FFF (the blocks of Chinese
    /// characters [`CHINESE`] names, and the few symbols between them, which have none).
    by_char: Vec<u16>,
}

/// The blocks of Chinese characters the `pinyin` crate reads.
const CHINESE: [std::ops::RangeInclusive<char>; 2] =
    ['\u{3400}'..='\u{4DBF}', '\u{4E00}'..='\u{9FFF}'];

impl Syllables {
    /// A character's own syllable (the `pinyin` crate's reading), or [`NO_SYLLABLE`].
    #[inline]
    fn of(&self, c: char) -> u16 {
        match self.by_char.get((c as u32).wrapping_sub(0x3400) as usize) {
            Some(&id) => id,
            None if c.is_ascii() => NO_SYLLABLE,
            None => self.of_other(c),
        }
    }

    /// [`Syllables::of`] a character beyond the table (a few have a reading).
    #[cold]
    fn of_other(&self, c: char) -> u16 {
        c.to_pinyin()
            .and_then(|p| self.ids.get(p.plain()).copied())
            .unwrap_or(NO_SYLLABLE)
    }
}

fn syllables() -> &'static Syllables {
    static TABLE: std::sync::OnceLock<Syllables> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let own = || {
            CHINESE
                .into_iter()
                .flatten()
                .map(|c| c.to_pinyin().map(|p| p.plain()))
        };
        let mut names: Vec<&'static str> = own()
            .flatten()
            .chain(SURNAMES.iter().map(|(_, r)| *r))
            .chain(PHRASE_SYLLABLES.split(' '))
            .collect();
        names.sort_unstable();
        names.dedup();
        let ids: std::collections::HashMap<&'static str, u16> = names
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, i as u16))
            .collect();
        let lens = names.iter().map(|s| s.chars().count() as u8).collect();
        let by_char = ('\u{3400}'..='\u{9FFF}')
            .map(|c| c.to_pinyin().map_or(NO_SYLLABLE, |p| ids[p.plain()]))
            .collect();
        Syllables {
            names,
            ids,
            lens,
            by_char,
        }
    })
}

impl Readings {
    /// Room for `n` names.
    pub fn with_capacity(n: usize) -> Readings {
        Readings {
            heads: Vec::with_capacity(n),
            letters: Vec::with_capacity(n),
            fixes: Vec::new(),
        }
    }

    /// Read the next name.
    pub fn push(&mut self, name: &str) {
        let read = reading(name);
        let (mut letters, _) = letters_and_heads(&read);
        // The letters its own syllables begin with (no other reading of theirs: the
        // match reads these).
        let mut heads = read.iter().fold(0, |m, &(c, p)| match p {
            Some(p) => m | latin_letters(&p[..1]),
            None => m | latin_letters(c.encode_utf8(&mut [0; 4])),
        });
        if !read.is_empty() {
            heads |= HAS_READING;
            // A name of two characters or more, each with a syllable of two letters or
            // more (no space, no letter of its own), all read: a word of one letter
            // scores the same in each that it begins a syllable of, but for the first.
            let plain = read.len() >= 2
                && name.chars().nth(MOST).is_none()
                && read.iter().all(|(_, p)| p.is_some_and(|p| p.len() >= 2));
            if plain {
                let first = read[0].1.map_or(0, |p| p.as_bytes()[0] - b'a' + 1);
                letters |= (first as u32) << FIRST_SHIFT;
            }
            let table = syllables();
            let number = self.heads.len() as u32;
            for (k, (c, p)) in read.iter().enumerate() {
                let id = p
                    .and_then(|p| table.ids.get(p).copied())
                    .unwrap_or(NO_SYLLABLE);
                if id != table.of(*c) {
                    self.fixes.push((number, k as u8, id));
                    heads |= HAS_FIXES;
                }
            }
        }
        self.heads.push(heads);
        self.letters.push(letters);
    }

    /// Whether the `i`th name read has a reading (it holds a Chinese character).
    pub fn has(&self, i: usize) -> bool {
        self.heads[i] & HAS_READING != 0
    }

    /// The letters of the `i`th name's reading (as [`letters_mask`] gives them): a word
    /// with another cannot be read in it.
    pub fn letters(&self, i: usize) -> u32 {
        self.letters[i] & ((1 << FIRST_SHIFT) - 1)
    }

    /// The `i`th name's (`name`'s) characters read (its first [`MOST`]), each with its
    /// syllable or [`NO_SYLLABLE`].
    #[inline]
    fn read<'a>(
        &'a self,
        i: usize,
        name: &'a str,
    ) -> impl Iterator<Item = (char, u16)> + Clone + 'a {
        let fixes: &[(u32, u8, u16)] = if self.heads[i] & HAS_FIXES != 0 {
            let from = self.fixes.partition_point(|f| (f.0 as usize) < i);
            let to = from + self.fixes[from..].partition_point(|f| f.0 as usize == i);
            &self.fixes[from..to]
        } else {
            &[]
        };
        let table = syllables();
        name.chars().take(MOST).enumerate().map(move |(k, c)| {
            let fixed = fixes.iter().find(|f| f.1 as usize == k);
            (c, fixed.map_or_else(|| table.of(c), |f| f.2))
        })
    }

    /// The first eight bytes of the `i`th name's (`name`'s) full pinyin and of its
    /// initials, as [`bonus`] spells them (a name without a reading: its characters but
    /// spaces, in lower case, both times), each a number whose order is the bytes' (zeros
    /// after a shorter one): the keys to find, by a binary search, the names that begin
    /// with a word.
    pub fn keys(&self, i: usize, name: &str) -> [u64; 2] {
        let (mut full, mut initials) = ([0u8; 8], [0u8; 8]);
        let (mut f, mut n) = (0, 0);
        let fill = |to: &mut [u8; 8], at: &mut usize, text: &str| {
            for &b in text.as_bytes() {
                if *at < 8 {
                    to[*at] = b;
                    *at += 1;
                }
            }
        };
        // The characters its reading covers (none without one), then the others.
        let names = &syllables().names;
        let taken = if self.has(i) { MOST } else { 0 };
        let read = self
            .read(i, name)
            .take(taken)
            .map(|(c, id)| (c, names.get(id as usize).copied()));
        let rest = name.chars().skip(taken).map(|c| (c, None));
        spell(read.chain(rest), |whole, first| {
            fill(&mut full, &mut f, whole);
            fill(&mut initials, &mut n, first);
            f < 8 || n < 8
        });
        [u64::from_be_bytes(full), u64::from_be_bytes(initials)]
    }

    /// [`score`] of a word in the `i`th name read (`name`, as it was read), from its
    /// reading made then.
    pub fn score(&self, i: usize, typed: &Typed, name: &str) -> Option<(i64, i64)> {
        if !self.has(i) || !may_start(typed, self.heads[i], name) {
            return None;
        }
        // A letter begins a syllable of a plain name: [`one_letter`] gives a syllable's
        // first letter and the bonus by the first syllable, without reading it.
        let first = self.letters[i] >> FIRST_SHIFT;
        if let ([q], true) = (&typed.chars[..], first != 0) {
            if q.is_ascii_lowercase() {
                let starts = first == *q as u32 - 'a' as u32 + 1;
                return Some(((CHAR + START) as i64, if starts { 500 } else { 200 }));
            }
        }
        let (table, n) = (typed.table(), typed.chars.len());
        let read = self.read(i, name).map(|(c, id)| {
            let kept = (id != NO_SYLLABLE).then_some(Kept { id, table, n });
            (c, kept)
        });
        match typed.chars[..] {
            [first] if first.is_ascii_lowercase() => one_letter(typed, read),
            _ => matched(typed, read),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// [`super::score`] of a word as typed.
    fn score(word: &str, name: &str) -> Option<(i64, i64)> {
        super::score(&Typed::new(word)?, name)
    }

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

    #[test]
    fn every_syllable_of_a_phrase_is_in_the_table() {
        let source = include_str!("pinyin.rs");
        let arm = ["') =", "> ["].concat();
        for line in source.lines().filter(|l| l.contains(&arm)) {
            for r in line.split('"').skip(1).step_by(2) {
                assert!(PHRASE_SYLLABLES.split(' ').any(|s| s == r), "{r}");
            }
        }
    }

    proptest! {
        /// A word's score from the readings made when the names were read is its score
        /// read afresh.
        #[test]
        fn readings_kept_score_as_names_read_afresh(
            word in "[a-z白云张]{1,6}",
            names in proptest::collection::vec("[a-zA-Z 白云国际机场广州深圳宝安张三李四王芳重庆长沙单伟公司]{0,12}", 1..8),
        ) {
            let mut kept = Readings::default();
            for name in &names {
                kept.push(name);
            }
            for (i, name) in names.iter().enumerate() {
                prop_assert_eq!(kept.letters(i), letters_mask(name));
                if let Some(typed) = Typed::new(&word) {
                    prop_assert_eq!(kept.score(i, &typed, name), super::score(&typed, name), "{} in {}", word, name);
                }
            }
        }

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
