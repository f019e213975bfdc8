//! The order names sort in: a key made from a name, stored beside it (`name_key`, schema
//! version 13) and indexed, so lists sorted by name page in SQL from the index.
//!
//! A Chinese character stands for its pinyin (the `pinyin` crate's most common reading,
//! without tones, or the one names use: 重庆 chong qing, 厦门 xia men, 单 shan as a
//! surname; src/model/pinyin.rs), a syllable apart; other letters stand for themselves in lower case. So
//! Latin and Chinese names interleave as one alphabet: `Acme`, `白云机场` (bai yun ji chang),
//! `Crescent Hotels`, `黄伟` (huang wei), `Huawei`, `Zeta`, `张伟` (zhang wei). Names that make the
//! same key (`黄伟` and `Huang Wei`, or two characters read alike) keep id order.

/// The sort key of a name: see the module's comment (its pinyin as
/// [`super::pinyin::spelled`] writes it, with the readings names use: 重庆 chong qing).
pub fn sort_key(name: &str) -> String {
    super::pinyin::spelled(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_sort_by_pinyin_among_latin_ones() {
        assert_eq!(sort_key("黄伟"), "huang wei");
        assert_eq!(sort_key("Huang Wei"), "huang wei");
        assert_eq!(
            sort_key("广州白云国际机场"),
            "guang zhou bai yun guo ji ji chang"
        );
        assert_eq!(sort_key("  3M 中国 "), "3m zhong guo");
        assert_eq!(sort_key("A公司B"), "a gong si b");
        assert_eq!(sort_key(""), "");
        let mut names = vec![
            "张伟",
            "Crescent Hotels",
            "黄伟",
            "acme",
            "白云机场",
            "Huawei",
            "Zeta",
            "Acme B",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            vec![
                "acme",
                "Acme B",
                "白云机场",
                "Crescent Hotels",
                "黄伟",
                "Huawei",
                "Zeta",
                "张伟"
            ]
        );
    }
}
