//! A quote (报价单) as a document a customer can receive: PDF, HTML or Markdown.
//!
//! The caller lays out nothing and formats everything: a [`Doc`] holds the texts as they
//! are to be shown (labels in the user's language, amounts like `1,200.00`, dates), and
//! [`render`] writes them in one of the [`Format`]s.
//!
//! - **Markdown** ([`markdown`]): the title as a heading, the heading pairs as a list, the
//!   two parties, the lines as a pipe table (numeric columns right-aligned, `---:`), the
//!   totals as a right-aligned table with the grand total bold, then the sections. Text is
//!   escaped so that none of it reads as markup.
//! - **HTML** ([`html`]): one self-contained UTF-8 file with inline CSS for the screen and
//!   for printing on A4, a font stack that has the common Chinese fonts, `lang` from the
//!   text (`zh-CN` when it has Han characters), every text escaped.
//! - **PDF** ([`pdf`]): A4, laid out here (title and heading pairs, the parties side by
//!   side, a ruled table whose heading repeats on every page, totals, sections with wrapped
//!   text, the footer and page numbers on each page), in one font embedded as a subset with
//!   a ToUnicode map, so that the text can be searched and copied. The font is the one
//!   named (a `.ttf`, `.otf`, `.ttc` or `.otc` file) or, without one, a font of the system
//!   that has every character of the document ([`font`]).
//!
//! Control characters (but line feeds) and bidirectional overrides in the texts are
//! dropped in every format: a document cannot act on whoever reads it. Nothing here
//! panics on any input: empty tables, rows longer or shorter than the columns, cells
//! longer than a page.

use std::path::Path;

use crate::core::error::Result;

pub mod font;
pub mod html;
pub mod markdown;
pub mod pdf;
pub mod quote;

/// One side of the quote: the seller or the customer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    /// The name, shown first and emphasized.
    pub name: String,
    /// The address, phone, email, tax id …: each already formatted, one a line.
    pub lines: Vec<String>,
}

/// A quote, every text formatted as it is to be shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    /// "Quote" / "报价单".
    pub title: String,
    /// Label/value pairs under the title: number, revision, date issued, valid until,
    /// currency, status.
    pub heading: Vec<(String, String)>,
    pub seller_label: String,
    pub seller: Party,
    pub customer_label: String,
    pub customer: Party,
    /// The line table's headings, e.g. #, Product, Qty, Unit, Unit price, Discount, Tax, Net.
    pub columns: Vec<String>,
    /// Per column: whether it holds numbers (right-aligned).
    pub numeric: Vec<bool>,
    /// The table's cells, row by row, already formatted.
    pub lines: Vec<Vec<String>>,
    /// Subtotal, discounts, taxes, total …: label/value; the last is the grand total.
    pub totals: Vec<(String, String)>,
    /// Titled texts after the table ("Terms", "Notes"); a text may have several lines.
    pub sections: Vec<(String, String)>,
    /// A line at the foot of every page (PDF) or of the document.
    pub footer: Option<String>,
}

/// The kinds of document [`render`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Html,
    Md,
}

impl Format {
    /// The format of a name as a user gives it: `pdf`, `html` (or `htm`), `md` (or
    /// `markdown`), in any case.
    pub fn from_name(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pdf" => Some(Format::Pdf),
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Md),
            _ => None,
        }
    }

    /// The format's usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Md => "md",
        }
    }

    /// The names [`Format::from_name`] takes, for a message listing them.
    pub const NAMES: &'static [&'static str] = &["pdf", "html", "md"];
}

/// The document `doc` in `format`. `font` is the font file for a PDF (ignored by the other
/// formats); without one, a font of the system that has every character is used.
///
/// Errors: no usable font (a PDF only: the message names the missing characters and the
/// packages that have them, or the configured file and what is wrong with it), or the PDF
/// writer failing.
pub fn render(doc: &Doc, format: Format, font: Option<&Path>) -> Result<Vec<u8>> {
    let doc = doc.cleaned();
    match format {
        Format::Md => Ok(markdown::render(&doc).into_bytes()),
        Format::Html => Ok(html::render(&doc).into_bytes()),
        Format::Pdf => {
            // The digits and slash of the page numbers too.
            let face = font::for_text(&(doc.all_text() + "0123456789/"), font)?;
            pdf::render(&doc, &face)
        }
    }
}

impl Doc {
    /// Every text of the document, for choosing a font and the language.
    pub fn all_text(&self) -> String {
        let mut all = String::new();
        let mut add = |s: &str| {
            all.push_str(s);
            all.push('\n');
        };
        add(&self.title);
        for (k, v) in self
            .heading
            .iter()
            .chain(&self.totals)
            .chain(&self.sections)
        {
            add(k);
            add(v);
        }
        for s in [&self.seller_label, &self.customer_label] {
            add(s);
        }
        for p in [&self.seller, &self.customer] {
            add(&p.name);
            p.lines.iter().for_each(|l| add(l));
        }
        self.columns.iter().for_each(|c| add(c));
        self.lines.iter().flatten().for_each(|c| add(c));
        if let Some(f) = &self.footer {
            add(f);
        }
        all
    }

    /// The document's language: `zh-CN` when its text has Han characters, else `en`.
    pub fn language(&self) -> &'static str {
        if self.all_text().chars().any(is_han) {
            "zh-CN"
        } else {
            "en"
        }
    }

    /// The number of table columns: the headings or the longest row, whichever is more.
    pub(crate) fn column_count(&self) -> usize {
        self.lines
            .iter()
            .map(Vec::len)
            .chain([self.columns.len()])
            .max()
            .unwrap_or(0)
    }

    /// Whether column `i` holds numbers.
    pub(crate) fn is_numeric(&self, i: usize) -> bool {
        self.numeric.get(i).copied().unwrap_or(false)
    }

    /// The heading of column `i` (empty past the headings given).
    pub(crate) fn column(&self, i: usize) -> &str {
        self.columns.get(i).map_or("", String::as_str)
    }

    /// The same document with control characters (but line feeds; a tab is a space) and
    /// bidirectional controls taken out of every text, and CRLF line ends made LF.
    fn cleaned(&self) -> Doc {
        let party = |p: &Party| Party {
            name: clean(&p.name),
            lines: p.lines.iter().map(|l| clean(l)).collect(),
        };
        let pairs = |v: &[(String, String)]| -> Vec<(String, String)> {
            v.iter().map(|(k, v)| (clean(k), clean(v))).collect()
        };
        Doc {
            title: clean(&self.title),
            heading: pairs(&self.heading),
            seller_label: clean(&self.seller_label),
            seller: party(&self.seller),
            customer_label: clean(&self.customer_label),
            customer: party(&self.customer),
            columns: self.columns.iter().map(|c| clean(c)).collect(),
            numeric: self.numeric.clone(),
            lines: self
                .lines
                .iter()
                .map(|r| r.iter().map(|c| clean(c)).collect())
                .collect(),
            totals: pairs(&self.totals),
            sections: pairs(&self.sections),
            footer: self.footer.as_deref().map(clean),
        }
    }
}

impl Party {
    /// Whether there is nothing to show of this party.
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty() && self.lines.iter().all(|l| l.trim().is_empty())
    }
}

/// `s` without control characters but line feeds (a tab becomes a space, CRLF and a lone
/// CR a line feed) and without bidirectional embeddings, overrides and isolates.
fn clean(s: &str) -> String {
    let s = s.replace("\r\n", "\n");
    s.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\r' => Some('\n'),
            '\t' => Some(' '),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Han characters (the ideographs of Chinese, and of Japanese and Korean).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF         // CJK extension A
        | 0x4E00..=0x9FFF       // CJK unified ideographs
        | 0xF900..=0xFAFF       // CJK compatibility ideographs
        | 0x20000..=0x3134F // CJK extensions B to G
    )
}

/// Characters of the wide scripts and their punctuation (Han, kana, hangul, CJK symbols,
/// full-width forms): a line may break before or after any of them.
pub(crate) fn is_wide(c: char) -> bool {
    is_han(c)
        || matches!(c as u32,
            0x1100..=0x11FF         // Hangul Jamo
            | 0x2E80..=0x2FDF       // CJK radicals, Kangxi radicals
            | 0x3000..=0x303F       // CJK symbols and punctuation
            | 0x3040..=0x30FF       // Hiragana, Katakana
            | 0x3100..=0x318F       // Bopomofo, Hangul compatibility Jamo
            | 0x31F0..=0x31FF       // Katakana phonetic extensions
            | 0x3200..=0x33FF       // enclosed CJK letters, CJK compatibility
            | 0xAC00..=0xD7AF       // Hangul syllables
            | 0xFE30..=0xFE4F       // CJK compatibility forms
            | 0xFF00..=0xFFEF // half-width and full-width forms
        )
}

/// The separator between a label and its value: a full-width colon after a label that
/// ends in a wide character (`编号：`), else `: `.
pub(crate) fn label_colon(label: &str) -> &'static str {
    if label.trim_end().chars().next_back().is_some_and(is_wide) {
        "："
    } else {
        ": "
    }
}

#[cfg(test)]
mod tests;
