use super::*;

use std::process::Command;

fn s(v: &str) -> String {
    v.to_string()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(a, b)| (s(a), s(b))).collect()
}

fn row(v: &[&str]) -> Vec<String> {
    v.iter().map(|c| s(c)).collect()
}

/// A Chinese quote with Latin in it.
fn quote() -> Doc {
    Doc {
        title: s("报价单"),
        heading: pairs(&[
            ("编号", "Q-2024-0012"),
            ("版本", "2"),
            ("日期", "2024-05-01"),
            ("有效期至", "2024-05-31"),
            ("币种", "CNY"),
            ("状态", "已发送"),
        ]),
        seller_label: s("卖方"),
        seller: Party {
            name: s("深圳市科思软件有限公司"),
            lines: row(&[
                "深圳市南山区科技园南区 R2-B 栋 3 楼",
                "电话 0755-8888 6666",
                "sales@kith.example",
                "税号 91440300MA5F0XXXX1",
            ]),
        },
        customer_label: s("客户"),
        customer: Party {
            name: s("广州白云国际机场股份有限公司"),
            lines: row(&["广州市白云区机场路 282 号", "联系人：李伟"]),
        },
        columns: row(&["#", "产品", "数量", "单位", "单价", "折扣", "税率", "金额"]),
        numeric: vec![true, false, true, false, true, true, true, true],
        lines: vec![
            row(&[
                "1",
                "智能电表 DTZ-341",
                "10",
                "台",
                "1,000.00",
                "5%",
                "13%",
                "9,500.00",
            ]),
            row(&[
                "2",
                "安装调试服务 | 现场",
                "1",
                "项",
                "1,467.00",
                "",
                "6%",
                "1,467.00",
            ]),
        ],
        totals: pairs(&[
            ("小计", "10,967.00"),
            ("税额", "1,378.67"),
            ("合计", "¥ 12,345.67"),
        ]),
        sections: pairs(&[
            (
                "条款",
                "1. 报价有效期 30 天。\n2. 付款方式：预付 30%，到货后付清余款。",
            ),
            ("备注", "交货期 2 周 *含运输*"),
        ]),
        footer: Some(s("深圳市科思软件有限公司 · www.kith.example")),
    }
}

/// An English quote whose texts are full of markup characters.
fn marked_up() -> Doc {
    Doc {
        title: s("Quote #7"),
        heading: pairs(&[("Number", "Q-7"), ("Valid until", "2024-06-30")]),
        seller_label: s("From"),
        seller: Party {
            name: s("Smith & Sons <Ltd>"),
            lines: row(&["1 Main St.", "- not a list", "# not a heading"]),
        },
        customer_label: s("To"),
        customer: Party::default(),
        columns: row(&["#", "Item", "Price"]),
        numeric: vec![true, false, true],
        lines: vec![
            row(&["1", "Cable | 2m *braided* _blue_", "1,200.00"]),
            row(&["2", "[link](http://x) `code` \\ ~x~ &amp;", "-5.00"]),
            row(&["3", "two\nlines"]),
        ],
        totals: pairs(&[("Subtotal", "1,195.00"), ("Total", "$1,195.00")]),
        sections: pairs(&[(
            "Terms",
            "1. Net 30\n+ no surprises\n\nSecond \"paragraph\" it's <b>here</b>",
        )]),
        footer: None,
    }
}

#[test]
fn format_names() {
    assert_eq!(Format::from_name("pdf"), Some(Format::Pdf));
    assert_eq!(Format::from_name("HTML"), Some(Format::Html));
    assert_eq!(Format::from_name("md"), Some(Format::Md));
    assert_eq!(Format::from_name("markdown"), Some(Format::Md));
    assert_eq!(Format::from_name("docx"), None);
    assert_eq!(Format::Html.extension(), "html");
}

#[test]
fn markdown_of_a_chinese_quote() {
    let md = String::from_utf8(render(&quote(), Format::Md, None).unwrap()).unwrap();
    let want = "\
# 报价单

- **编号：** Q-2024-0012
- **版本：** 2
- **日期：** 2024-05-01
- **有效期至：** 2024-05-31
- **币种：** CNY
- **状态：** 已发送

## 卖方

**深圳市科思软件有限公司**\\
深圳市南山区科技园南区 R2-B 栋 3 楼\\
电话 0755-8888 6666\\
sales@kith.example\\
税号 91440300MA5F0XXXX1

## 客户

**广州白云国际机场股份有限公司**\\
广州市白云区机场路 282 号\\
联系人：李伟

| # | 产品 | 数量 | 单位 | 单价 | 折扣 | 税率 | 金额 |
| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: |
| 1 | 智能电表 DTZ-341 | 10 | 台 | 1,000.00 | 5% | 13% | 9,500.00 |
| 2 | 安装调试服务 \\| 现场 | 1 | 项 | 1,467.00 |  | 6% | 1,467.00 |

| | |
| ---: | ---: |
| 小计 | 10,967.00 |
| 税额 | 1,378.67 |
| **合计** | **¥ 12,345.67** |

## 条款

1\\. 报价有效期 30 天。\\
2\\. 付款方式：预付 30%，到货后付清余款。

## 备注

交货期 2 周 \\*含运输\\*

---

深圳市科思软件有限公司 · www.kith.example
";
    assert_eq!(md, want);
}

#[test]
fn markdown_escapes_what_would_be_markup() {
    let md = markdown::render(&marked_up());
    let want = "\
# Quote #7

- **Number:** Q-7
- **Valid until:** 2024-06-30

## From

**Smith & Sons \\<Ltd\\>**\\
1 Main St.\\
\\- not a list\\
\\# not a heading

| # | Item | Price |
| ---: | --- | ---: |
| 1 | Cable \\| 2m \\*braided\\* \\_blue\\_ | 1,200.00 |
| 2 | \\[link\\](http://x) \\`code\\` \\\\ \\~x\\~ \\&amp; | -5.00 |
| 3 | two<br>lines |  |

| | |
| ---: | ---: |
| Subtotal | 1,195.00 |
| **Total** | **$1,195.00** |

## Terms

1\\. Net 30\\
\\+ no surprises

Second \"paragraph\" it's \\<b\\>here\\</b\\>
";
    assert_eq!(md, want);
    // The empty customer leaves no block; a title ending in `#` keeps it.
    assert!(!md.contains("## To"));
    let mut d = marked_up();
    d.title = s("Quote #");
    assert!(markdown::render(&d).starts_with("# Quote \\#\n"));
}

#[test]
fn html_of_a_chinese_quote() {
    let html = String::from_utf8(render(&quote(), Format::Html, None).unwrap()).unwrap();
    assert!(html
        .starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"));
    assert!(html.contains("<title>报价单 Q-2024-0012</title>"));
    // Chinese fonts first in a Chinese document.
    assert!(html.contains(
        "body { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Noto Sans SC\", \
         \"WenQuanYi Micro Hei\", \"PingFang SC\", \"Hiragino Sans GB\", \"Microsoft YaHei\", \
         \"Noto Sans\""
    ));
    assert!(html.contains("@page { size: A4;"));
    assert!(html.contains("<h1>报价单</h1>"));
    assert!(html.contains("<dt>编号</dt><dd>Q-2024-0012</dd>\n<dt>版本</dt><dd>2</dd>"));
    assert!(html.contains(
        "<div class=\"party\">\n<h2>客户</h2>\n<p class=\"name\">广州白云国际机场股份有限公司</p>\n\
         <p>广州市白云区机场路 282 号</p>\n<p>联系人：李伟</p>\n</div>"
    ));
    assert!(html.contains(
        "<thead>\n<tr><th class=\"num\">#</th><th>产品</th><th class=\"num\">数量</th><th>单位</th>"
    ));
    assert!(html.contains(
        "<tr><td class=\"num\">1</td><td>智能电表 DTZ-341</td><td class=\"num\">10</td><td>台</td>\
         <td class=\"num\">1,000.00</td><td class=\"num\">5%</td><td class=\"num\">13%</td>\
         <td class=\"num\">9,500.00</td></tr>"
    ));
    assert!(html.contains("<td>安装调试服务 | 现场</td>"));
    assert!(html.contains("<tr><th scope=\"row\">小计</th><td>10,967.00</td></tr>"));
    assert!(
        html.contains("<tr class=\"grand\"><th scope=\"row\">合计</th><td>¥ 12,345.67</td></tr>")
    );
    assert!(html.contains(
        "<h2>条款</h2>\n<p>1. 报价有效期 30 天。<br>2. 付款方式：预付 30%，到货后付清余款。</p>"
    ));
    assert!(html.contains("<footer>深圳市科思软件有限公司 · www.kith.example</footer>"));
    assert!(html.ends_with("</main>\n</body>\n</html>\n"));
}

#[test]
fn html_escapes_every_text() {
    let mut d = marked_up();
    d.customer = Party {
        name: s("O'Brien \"&\" Co"),
        lines: vec![s("<script>alert(1)</script>")],
    };
    let html = html::render(&d);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    // Latin fonts first, the Chinese ones still there.
    assert!(html.contains("body { font-family: \"Noto Sans\", \"Helvetica Neue\", Helvetica, Arial, \"Noto Sans CJK SC\""));
    assert!(html.contains("<title>Quote #7 Q-7</title>"));
    assert!(html.contains("<p class=\"name\">Smith &amp; Sons &lt;Ltd&gt;</p>"));
    assert!(html.contains("<p class=\"name\">O&#39;Brien &quot;&amp;&quot; Co</p>"));
    assert!(html.contains("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"));
    assert!(!html.contains("<script>"));
    assert!(html.contains("<td>[link](http://x) `code` \\ ~x~ &amp;amp;</td>"));
    assert!(html.contains("<td>two<br>lines</td><td class=\"num\"></td>"));
    assert!(html.contains("<p>Second &quot;paragraph&quot; it&#39;s &lt;b&gt;here&lt;/b&gt;</p>"));
    assert!(!html.contains("<footer>"));
}

#[test]
fn control_characters_and_bidi_overrides_are_dropped() {
    let mut d = marked_up();
    d.title = s("Quote\u{1b}[31m\u{202e}7");
    d.lines = vec![row(&["1", "a\tb\r\nc\u{7}"])];
    let md = markdown::render(&d.cleaned());
    assert!(md.starts_with("# Quote\\[31m7\n"), "{md}");
    assert!(md.contains("| 1 | a b<br>c |  |"), "{md}");
}

#[test]
fn language_follows_the_text() {
    assert_eq!(quote().language(), "zh-CN");
    assert_eq!(marked_up().language(), "en");
    assert_eq!(Doc::default().language(), "en");
}

/// Whether a test that needs `what` should skip (not under CI) or fail (under CI).
fn missing(what: &str) -> bool {
    if std::env::var_os("CI").is_some() {
        panic!("CI: {what} (.ci/run installs poppler-utils and fonts-wqy-microhei)");
    }
    eprintln!("skipped: {what}");
    true
}

/// The PDF of `doc`, or `None` (the test skipped) when the system has no font for it.
fn pdf_or_skip(doc: &Doc) -> Option<Vec<u8>> {
    match render(doc, Format::Pdf, None) {
        Ok(pdf) => Some(pdf),
        Err(e) if e.code().starts_with("documents.font_none") => {
            missing(&format!("no font for the test document: {e}"));
            None
        }
        Err(e) => panic!("{e}"),
    }
}

/// `pdftotext -layout` of `pdf`, or `None` (skipped) without pdftotext.
fn pdftotext(pdf: &[u8]) -> Option<String> {
    if Command::new("pdftotext").arg("-v").output().is_err() {
        missing("pdftotext is not installed (Debian: poppler-utils)");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("quote.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

#[test]
fn pdf_of_a_chinese_quote_has_its_text_and_embeds_a_subset() {
    let doc = quote();
    let Some(pdf) = pdf_or_skip(&doc) else { return };
    assert!(pdf.starts_with(b"%PDF-"));
    // The font is embedded (TrueType or CFF), once, as a subset.
    let embedded = count(&pdf, b"/FontFile2") + count(&pdf, b"/FontFile3");
    assert_eq!(embedded, 1, "one embedded font");
    assert!(count(&pdf, b"/ToUnicode") >= 1);
    assert!(pdf.len() < 120_000, "{} bytes: not a subset?", pdf.len());
    eprintln!("quote PDF: {} bytes", pdf.len());

    let Some(text) = pdftotext(&pdf) else { return };
    for want in [
        "报价单",
        "Q-2024-0012",
        "有效期至",
        "深圳市科思软件有限公司",
        "广州白云国际机场股份有限公司",
        "广州市白云区机场路 282 号",
        "sales@kith.example",
        "智能电表 DTZ-341",
        "安装调试服务 | 现场",
        "1,000.00",
        "9,500.00",
        "1,467.00",
        "10,967.00",
        "¥ 12,345.67",
        "付款方式：预付 30%，到货后付清余款。",
        "交货期 2 周 *含运输*",
        "www.kith.example",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    // A row's cells on one line, in order; the numbers right-aligned in their columns.
    let line = text
        .lines()
        .find(|l| l.contains("智能电表 DTZ-341"))
        .unwrap();
    let at = |s: &str| line.find(s).unwrap_or_else(|| panic!("{s:?} in {line:?}"));
    assert!(
        at("智能电表") < at("台") && at("台") < at("1,000.00") && at("1,000.00") < at("9,500.00")
    );
    let total = text.lines().find(|l| l.contains("¥ 12,345.67")).unwrap();
    assert!(total.contains("合计"), "{total:?}");
    // One page: no page number.
    assert_eq!(text.matches('\u{c}').count(), 1, "{text}");
}

#[test]
fn pdf_table_runs_over_pages_with_its_heading() {
    let mut doc = quote();
    doc.lines = (1..=120)
        .map(|i| {
            row(&[
                &i.to_string(),
                &format!("产品 P-{i:03}"),
                "1",
                "台",
                "100.00",
                "",
                "13%",
                &format!("{i}00.00"),
            ])
        })
        .collect();
    // A cell longer than a page, and a section that wraps.
    doc.lines[60][1] = "很长的说明文字".repeat(400);
    doc.sections.push((s("Notes"), "word ".repeat(600)));
    let Some(pdf) = pdf_or_skip(&doc) else { return };
    let Some(text) = pdftotext(&pdf) else { return };
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 5, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let n = i + 1;
        let squeezed: String = page.chars().filter(|c| *c != ' ').collect();
        assert!(
            squeezed.contains(&format!("{n}/{}", pages.len())),
            "page {n}"
        );
        assert!(page.contains("www.kith.example"), "footer on page {n}");
    }
    // The heading on every page the table is on.
    let table_pages = pages.iter().filter(|p| p.contains("产品 P-")).count();
    let headed = pages
        .iter()
        .filter(|p| p.contains("产品 P-") && p.contains("单价"))
        .count();
    assert!(table_pages >= 3);
    assert_eq!(headed, table_pages);
    // (P-061 is the long one.)
    for i in [1, 60, 62, 120] {
        assert!(text.contains(&format!("产品 P-{i:03}")), "line {i}");
    }
    assert!(text.contains("¥ 12,345.67"));
}

#[test]
fn nothing_panics_on_odd_documents() {
    let long = "x".repeat(5000) + &"长".repeat(3000);
    let docs = [
        Doc::default(),
        Doc {
            title: long.clone(),
            heading: pairs(&[
                ("", ""),
                ("a very long label indeed, longer than the column", &long),
            ]),
            seller: Party {
                name: long.clone(),
                lines: vec![s(""), long.clone(), s("\n\n")],
            },
            columns: vec![],
            numeric: vec![true; 20],
            lines: vec![vec![], row(&["1", "2", "3"]), vec![long.clone(); 14]],
            totals: pairs(&[("", ""), (&long, &long)]),
            sections: pairs(&[("", ""), ("", &long), (&long, "")]),
            footer: Some(long.clone()),
            ..Doc::default()
        },
        Doc {
            columns: row(&["only", "headings"]),
            numeric: vec![],
            totals: pairs(&[("Total", "0.00")]),
            ..Doc::default()
        },
    ];
    for doc in &docs {
        assert!(!render(doc, Format::Md, None).unwrap().is_empty() || *doc == Doc::default());
        assert!(!render(doc, Format::Html, None).unwrap().is_empty());
        if let Some(pdf) = pdf_or_skip(doc) {
            assert!(pdf.starts_with(b"%PDF-"));
        }
    }
}

#[test]
fn a_font_that_lacks_characters_is_named_with_them() {
    // A character no font has.
    let mut doc = quote();
    doc.title = s("报价单 \u{10fffd}");
    let e = render(&doc, Format::Pdf, None).unwrap_err();
    assert!(e.code().starts_with("documents.font_none"), "{e}");
    assert!(e.to_string().contains("\u{10fffd} (U+10FFFD)"), "{e}");

    // A configured Latin font asked for Chinese.
    let Ok(latin) = font::for_text("Quote", None) else {
        missing("no font at all");
        return;
    };
    if latin.glyph('智').is_none() {
        let e = render(&quote(), Format::Pdf, Some(latin.path())).unwrap_err();
        assert_eq!(e.code(), "documents.font_lacks");
        let msg = e.to_string();
        assert!(msg.contains(&latin.path().display().to_string()), "{msg}");
        // In the order they come in.
        assert!(msg.contains(": 报 价 单 编 号 "), "{msg}");
    }
}

#[test]
fn the_font_found_for_chinese_has_every_character() {
    let text = quote().all_text();
    match font::for_text(&text, None) {
        Ok(face) => {
            eprintln!(
                "font: {} ({}, face {})",
                face.family(),
                face.path().display(),
                face.index()
            );
            for c in text.chars().filter(|c| !font::needs_no_glyph(*c)) {
                assert!(face.glyph(c).is_some(), "{c}");
            }
            assert!(
                !face.family().to_lowercase().contains("mono"),
                "{}",
                face.family()
            );
        }
        Err(e) => {
            missing(&format!("no Chinese font: {e}"));
        }
    }
}
