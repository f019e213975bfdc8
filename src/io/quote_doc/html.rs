//! A quote as one self-contained HTML file: UTF-8, inline CSS for the screen and for
//! printing on A4 (the table's heading repeats on every printed page, a row is not cut),
//! `lang` from the text, a font stack with the common Chinese fonts of Linux, macOS and
//! Windows. Every text is escaped (`&` `<` `>` `"` `'`); a line feed in a text is a `<br>`.

use std::fmt::Write as _;

use super::{Doc, Party};

/// The fonts asked for, Chinese ones first in a Chinese document; the browser takes the
/// first it has for each character.
const CJK_FONTS: &str = "\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Noto Sans SC\", \
     \"WenQuanYi Micro Hei\", \"PingFang SC\", \"Hiragino Sans GB\", \"Microsoft YaHei\"";
const LATIN_FONTS: &str = "\"Noto Sans\", \"Helvetica Neue\", Helvetica, Arial";

const STYLE: &str = r#"
@page { size: A4; margin: 16mm 15mm 18mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #1a1a1a; background: #fff; font-size: 10pt; line-height: 1.45; }
main { max-width: 190mm; margin: 0 auto; padding: 12mm 0; }
@media print { main { padding: 0; max-width: none; } }
header.top { display: flex; justify-content: space-between; align-items: flex-start; gap: 8mm; margin-bottom: 7mm; }
h1 { font-size: 22pt; font-weight: 700; margin: 0; letter-spacing: 0.02em; }
dl.heading { display: grid; grid-template-columns: auto auto; column-gap: 5mm; row-gap: 0.6mm; margin: 0; }
dl.heading dt { color: #666; }
dl.heading dd { margin: 0; font-weight: 600; }
.parties { display: flex; gap: 8mm; margin-bottom: 7mm; }
.party { flex: 1 1 0; min-width: 0; }
.party h2 { font-size: 8.5pt; font-weight: 600; color: #666; text-transform: uppercase; letter-spacing: 0.06em; margin: 0 0 1mm; }
.party .name { font-size: 11pt; font-weight: 700; margin: 0 0 0.5mm; }
.party p { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; }
table.lines { margin-bottom: 4mm; }
table.lines thead { display: table-header-group; }
table.lines th { font-size: 8.5pt; font-weight: 600; color: #444; text-align: left; border-top: 1.5pt solid #1a1a1a; border-bottom: 1pt solid #1a1a1a; padding: 1.6mm 1.6mm; }
table.lines td { padding: 1.4mm 1.6mm; border-bottom: 0.5pt solid #bbb; vertical-align: top; overflow-wrap: anywhere; }
table.lines tbody tr:last-child td { border-bottom: 1.5pt solid #1a1a1a; }
table.lines tr { break-inside: avoid; page-break-inside: avoid; }
table.lines .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.totals { width: auto; margin: 0 0 7mm auto; break-inside: avoid; page-break-inside: avoid; }
table.totals th { font-weight: normal; color: #444; text-align: right; padding: 0.8mm 6mm 0.8mm 0; }
table.totals td { text-align: right; padding: 0.8mm 1.6mm 0.8mm 0; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.totals tr.grand th, table.totals tr.grand td { font-weight: 700; font-size: 12pt; color: #1a1a1a; border-top: 1pt solid #1a1a1a; padding-top: 1.6mm; }
section.text { margin-bottom: 5mm; break-inside: avoid; page-break-inside: avoid; }
section.text h2 { font-size: 10.5pt; font-weight: 700; margin: 0 0 1mm; }
section.text p { margin: 0 0 1.5mm; overflow-wrap: anywhere; }
footer { margin-top: 8mm; padding-top: 2mm; border-top: 0.5pt solid #bbb; color: #666; font-size: 8pt; text-align: center; }
"#;

/// The document as HTML.
pub fn render(doc: &Doc) -> String {
    let lang = doc.language();
    let fonts = if lang == "en" {
        format!("{LATIN_FONTS}, {CJK_FONTS}, sans-serif")
    } else {
        format!("{CJK_FONTS}, {LATIN_FONTS}, sans-serif")
    };
    let mut title = doc.title.trim().to_string();
    if let Some((_, number)) = doc.heading.first().filter(|(_, v)| !v.trim().is_empty()) {
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(number.trim());
    }
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n");
    let _ = writeln!(h, "<html lang=\"{lang}\">");
    h.push_str("<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(h, "<title>{}</title>", esc(&one_line(&title)));
    h.push_str("<style>");
    let _ = write!(h, "\nbody {{ font-family: {fonts}; }}");
    h.push_str(STYLE);
    h.push_str("</style>\n</head>\n<body>\n<main>\n");

    // The title and the heading pairs beside it.
    h.push_str("<header class=\"top\">\n");
    let _ = writeln!(h, "<h1>{}</h1>", text(doc.title.trim()));
    let pairs: Vec<&(String, String)> = doc
        .heading
        .iter()
        .filter(|(k, v)| !(k.trim().is_empty() && v.trim().is_empty()))
        .collect();
    if !pairs.is_empty() {
        h.push_str("<dl class=\"heading\">\n");
        for (k, v) in pairs {
            let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", text(k.trim()), text(v.trim()));
        }
        h.push_str("</dl>\n");
    }
    h.push_str("</header>\n");

    // The parties.
    let parties: Vec<(&String, &Party)> = [
        (&doc.seller_label, &doc.seller),
        (&doc.customer_label, &doc.customer),
    ]
    .into_iter()
    .filter(|(_, p)| !p.is_empty())
    .collect();
    if !parties.is_empty() {
        h.push_str("<section class=\"parties\">\n");
        for (label, p) in parties {
            h.push_str("<div class=\"party\">\n");
            if !label.trim().is_empty() {
                let _ = writeln!(h, "<h2>{}</h2>", text(label.trim()));
            }
            if !p.name.trim().is_empty() {
                let _ = writeln!(h, "<p class=\"name\">{}</p>", text(p.name.trim()));
            }
            for line in p.lines.iter().filter(|l| !l.trim().is_empty()) {
                let _ = writeln!(h, "<p>{}</p>", text(line.trim()));
            }
            h.push_str("</div>\n");
        }
        h.push_str("</section>\n");
    }

    // The lines.
    let n = doc.column_count();
    if n > 0 {
        let class = |i: usize| {
            if doc.is_numeric(i) {
                " class=\"num\""
            } else {
                ""
            }
        };
        h.push_str("<table class=\"lines\">\n<thead>\n<tr>");
        for i in 0..n {
            let _ = write!(h, "<th{}>{}</th>", class(i), text(doc.column(i).trim()));
        }
        h.push_str("</tr>\n</thead>\n<tbody>\n");
        for line in &doc.lines {
            h.push_str("<tr>");
            for i in 0..n {
                let cell = line.get(i).map_or("", |c| c.trim());
                let _ = write!(h, "<td{}>{}</td>", class(i), text(cell));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table>\n");
    }

    // The totals.
    if !doc.totals.is_empty() {
        h.push_str("<table class=\"totals\">\n");
        let last = doc.totals.len() - 1;
        for (i, (k, v)) in doc.totals.iter().enumerate() {
            let class = if i == last { " class=\"grand\"" } else { "" };
            let _ = writeln!(
                h,
                "<tr{class}><th scope=\"row\">{}</th><td>{}</td></tr>",
                text(k.trim()),
                text(v.trim())
            );
        }
        h.push_str("</table>\n");
    }

    // The sections.
    for (title, body) in &doc.sections {
        if title.trim().is_empty() && body.trim().is_empty() {
            continue;
        }
        h.push_str("<section class=\"text\">\n");
        if !title.trim().is_empty() {
            let _ = writeln!(h, "<h2>{}</h2>", text(title.trim()));
        }
        for para in paragraphs(body) {
            let _ = writeln!(h, "<p>{}</p>", text(&para));
        }
        h.push_str("</section>\n");
    }

    if let Some(footer) = doc.footer.as_deref().filter(|f| !f.trim().is_empty()) {
        let _ = writeln!(h, "<footer>{}</footer>", text(footer.trim()));
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

/// `s` escaped for an element's text or an attribute value.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `s` escaped, its line feeds as `<br>`.
fn text(s: &str) -> String {
    s.split('\n')
        .map(|l| esc(l.trim_end()))
        .collect::<Vec<_>>()
        .join("<br>")
}

fn one_line(s: &str) -> String {
    s.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A text's paragraphs: split at blank lines, each with its line feeds.
fn paragraphs(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in s.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line.trim());
        }
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out
}
