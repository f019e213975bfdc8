//! A quote as Markdown (CommonMark with GitHub's pipe tables).
//!
//! ```text
//! # 报价单
//!
//! - **编号：** Q-2024-0012
//! - **日期：** 2024-05-01
//!
//! ## 卖方
//!
//! **深圳市科思软件有限公司**\
//! 深圳市南山区科技园
//!
//! | # | 产品 | 数量 | 金额 |
//! | ---: | --- | ---: | ---: |
//! | 1 | 智能电表 DTZ-341 | 2 | 1,200.00 |
//!
//! | | |
//! | ---: | ---: |
//! | 小计 | 1,200.00 |
//! | **合计** | **¥ 1,356.00** |
//! ```
//!
//! Line breaks inside a block are hard breaks (a backslash at the end of the line), inside
//! a table cell `<br>`. Every text is escaped: the characters that make emphasis, links,
//! code, HTML or a table cell's end (`\` `` ` `` `*` `_` `[` `]` `<` `>` `|` `~`, and `&`
//! before a letter or `#`), and at the start of a line what would begin a heading, a
//! quote, a list or a rule.

use super::{label_colon, Doc, Party};

/// The document as Markdown.
pub fn render(doc: &Doc) -> String {
    let mut out = String::new();
    let block = |out: &mut String, text: String| {
        if text.is_empty() {
            return;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    };

    if !doc.title.trim().is_empty() {
        block(&mut out, format!("# {}", one_line(&doc.title)));
    }
    let heading: Vec<String> = doc
        .heading
        .iter()
        .filter(|(k, v)| !(k.trim().is_empty() && v.trim().is_empty()))
        .map(|(k, v)| format!("- {}", pair(k, v)))
        .collect();
    block(&mut out, lines(&heading));
    for (label, party) in [
        (&doc.seller_label, &doc.seller),
        (&doc.customer_label, &doc.customer),
    ] {
        if !party.is_empty() {
            if !label.trim().is_empty() {
                block(&mut out, format!("## {}", one_line(label)));
            }
            block(&mut out, party_block(party));
        }
    }
    block(&mut out, table(doc));
    block(&mut out, totals(doc));
    for (title, text) in &doc.sections {
        if !title.trim().is_empty() {
            block(&mut out, format!("## {}", one_line(title)));
        }
        block(&mut out, paragraphs(text));
    }
    if let Some(footer) = doc.footer.as_deref().filter(|f| !f.trim().is_empty()) {
        block(&mut out, "---".to_string());
        block(&mut out, paragraphs(footer));
    }
    out
}

/// `**label：** value`, or the one of them that is there.
fn pair(label: &str, value: &str) -> String {
    let (label, value) = (label.trim(), value.trim());
    // The lines after the first are indented to stay in the list item.
    let value = block_text(value, "\\\n  ");
    if label.is_empty() {
        return value;
    }
    let label = inline(&joined(label));
    let colon = if label.ends_with([':', '：']) {
        ""
    } else {
        label_colon(&label).trim_end()
    };
    if value.is_empty() {
        format!("**{label}{colon}**")
    } else {
        format!("**{label}{colon}** {value}")
    }
}

fn party_block(p: &Party) -> String {
    let mut rows = Vec::new();
    if !p.name.trim().is_empty() {
        rows.push(format!("**{}**", inline(&joined(&p.name))));
    }
    for line in p.lines.iter().flat_map(|l| l.split('\n')) {
        if !line.trim().is_empty() {
            rows.push(line_start(&inline(line.trim())));
        }
    }
    rows.join("\\\n") + "\n"
}

/// The line table: headings, the alignment row, a row per line.
fn table(doc: &Doc) -> String {
    let n = doc.column_count();
    if n == 0 || (doc.lines.is_empty() && doc.columns.iter().all(|c| c.trim().is_empty())) {
        return String::new();
    }
    let mut out = String::new();
    let row = |out: &mut String, cells: &mut dyn Iterator<Item = String>| {
        out.push('|');
        for c in cells {
            out.push(' ');
            out.push_str(&c);
            out.push_str(" |");
        }
        out.push('\n');
    };
    row(&mut out, &mut (0..n).map(|i| cell(doc.column(i))));
    row(
        &mut out,
        &mut (0..n).map(|i| if doc.is_numeric(i) { "---:" } else { "---" }.to_string()),
    );
    for line in &doc.lines {
        row(
            &mut out,
            &mut (0..n).map(|i| cell(line.get(i).map_or("", String::as_str))),
        );
    }
    out
}

/// The totals, right-aligned, the last (the grand total) bold.
fn totals(doc: &Doc) -> String {
    if doc.totals.is_empty() {
        return String::new();
    }
    let mut out = String::from("| | |\n| ---: | ---: |\n");
    let last = doc.totals.len() - 1;
    for (i, (label, value)) in doc.totals.iter().enumerate() {
        let (label, value) = (cell(label), cell(value));
        let bold = |s: String| {
            if i == last && !s.is_empty() {
                format!("**{s}**")
            } else {
                s
            }
        };
        out.push_str(&format!("| {} | {} |\n", bold(label), bold(value)));
    }
    out
}

/// Text of several lines: paragraphs at blank lines, hard breaks at the others.
fn paragraphs(text: &str) -> String {
    let mut paras: Vec<String> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                paras.push(current.join("\\\n"));
                current.clear();
            }
        } else {
            current.push(line_start(&inline(line)));
        }
    }
    if !current.is_empty() {
        paras.push(current.join("\\\n"));
    }
    paras.join("\n\n")
}

/// Text inside a block whose lines are joined by `sep` (a hard break).
fn block_text(text: &str, sep: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| line_start(&inline(l)))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The lines of `s` as one line.
fn joined(s: &str) -> String {
    s.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn lines(rows: &[String]) -> String {
    if rows.is_empty() {
        String::new()
    } else {
        rows.join("\n") + "\n"
    }
}

/// A heading's text: one line, escaped, and not ending in `#`s a heading would drop.
fn one_line(s: &str) -> String {
    let mut out = inline(&joined(s));
    if out.ends_with('#') {
        out.insert(out.len() - 1, '\\');
    }
    out
}

/// A table cell: escaped, line feeds as `<br>`.
fn cell(s: &str) -> String {
    s.trim()
        .split('\n')
        .map(|l| inline(l.trim()))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Text escaped so that nothing in it is inline markup.
pub(crate) fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("\\&");
            }
            c => out.push(c),
        }
    }
    out
}

/// An escaped line that is to start a line of a block: what would make it a heading
/// (`#`), a list (`-`, `+`, `1.`, `1)`), a rule or a setext underline (`=`, `-`) is
/// escaped. (`*`, `>`, `|`, `~`… are escaped already by [`inline`].)
fn line_start(s: &str) -> String {
    let first = s.chars().next();
    match first {
        Some('#' | '-' | '+' | '=') => format!("\\{s}"),
        Some(c) if c.is_ascii_digit() => {
            let digits = s.chars().take_while(char::is_ascii_digit).count();
            // digits are ASCII: one byte each
            match s[digits..].chars().next() {
                Some('.' | ')') => format!("{}\\{}", &s[..digits], &s[digits..]),
                _ => s.to_string(),
            }
        }
        _ => s.to_string(),
    }
}
