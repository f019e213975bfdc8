//! A quote as a PDF: A4, laid out here, written by krilla in one font embedded as a subset
//! (with its ToUnicode map, so that the text can be searched, copied and extracted).
//!
//! The page, top to bottom: the title with the heading pairs beside it; the seller and the
//! customer side by side; the lines as a table ruled above and below its heading, between
//! its rows and under the last one, numbers right-aligned, the heading repeated on every
//! page the table runs onto; the totals right-aligned under the numbers, the grand total
//! larger and bold under a rule; the sections, their text wrapped. On every page the
//! footer and, when there is more than one page, the page's number (`2 / 3`).
//!
//! Text wraps at spaces, and between any two Chinese characters (never before a closing
//! mark such as `，` or `）`, nor after an opening one); a word wider than its room breaks
//! where it must. A table row taller than a page goes on over the next ones, line by line.
//! Bold is the font drawn with an outline of its own colour, as one font is embedded.
//!
//! Layout first makes a list of drawing operations per page ([`Op`]); then krilla draws
//! them, so that the number of pages is known when page numbers are written.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, LineCap, LineJoin, Stroke};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};

use super::font::{needs_no_glyph, Face};
use super::{is_wide, Doc, Party};
use crate::core::error::Result;
use crate::err;

/// A4, in points.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 48.0;
const MARGIN_TOP: f32 = 48.0;
const MARGIN_BOTTOM: f32 = 40.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;

/// Sizes, in points.
const TITLE: f32 = 22.0;
const BODY: f32 = 9.0;
const SMALL: f32 = 8.0;
const NAME: f32 = 10.5;
const GRAND: f32 = 11.0;
const FOOT: f32 = 7.5;
/// A line's height, as a multiple of the size.
const LEADING: f32 = 1.38;
/// A table cell's padding.
const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 3.5;
/// The most lines of footer a page keeps room for.
const FOOTER_LINES: usize = 4;

/// The colours of text and rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ink {
    Text,
    Muted,
    Rule,
    Light,
}

impl Ink {
    fn color(self) -> rgb::Color {
        match self {
            Ink::Text => rgb::Color::new(26, 26, 26),
            Ink::Muted => rgb::Color::new(100, 100, 100),
            Ink::Rule => rgb::Color::new(40, 40, 40),
            Ink::Light => rgb::Color::new(190, 190, 190),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Style {
    size: f32,
    bold: bool,
    ink: Ink,
}

const fn style(size: f32, bold: bool, ink: Ink) -> Style {
    Style { size, bold, ink }
}

/// One thing drawn on a page; `y` from the top of the page (or of an [`Item`]), a text's
/// at its baseline.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        ink: Ink,
    },
}

impl Op {
    fn moved(&self, dx: f32, dy: f32) -> Op {
        match self {
            Op::Text { x, y, style, text } => Op::Text {
                x: x + dx,
                y: y + dy,
                style: *style,
                text: text.clone(),
            },
            Op::Rule {
                x1,
                x2,
                y,
                width,
                ink,
            } => Op::Rule {
                x1: x1 + dx,
                x2: x2 + dx,
                y: y + dy,
                width: *width,
                ink: *ink,
            },
        }
    }
}

/// A piece of the page that is not cut: its operations, from its own top, and height.
#[derive(Debug, Clone, Default)]
struct Item {
    ops: Vec<Op>,
    h: f32,
}

/// The height of a line of text of `size`.
fn line_h(size: f32) -> f32 {
    size * LEADING
}

/// The baseline of a line of text of `size` whose box starts at `top`: the em box centred
/// in the line.
fn baseline(top: f32, size: f32) -> f32 {
    top + (line_h(size) - size) / 2.0 + 0.86 * size
}

/// Measures and wraps text in the face.
struct Measure<'a> {
    face: &'a Face,
}

impl Measure<'_> {
    fn char_w(&self, c: char, size: f32) -> f32 {
        if c.is_whitespace() {
            return self.face.glyph(c).map_or(self.face.space(), |g| g.1) * size;
        }
        if needs_no_glyph(c) {
            return 0.0;
        }
        self.face.glyph(c).map_or(0.5, |g| g.1) * size
    }

    fn width(&self, s: &str, size: f32) -> f32 {
        s.chars().map(|c| self.char_w(c, size)).sum()
    }

    /// `text` in lines no wider than `width` (a line feed starts a new line; an empty line
    /// stays). Empty text is no line.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let width = width.max(size);
        let mut out = Vec::new();
        if text.trim().is_empty() {
            return out;
        }
        for para in text.split('\n') {
            self.wrap_line(para.trim_end(), size, width, &mut out);
        }
        // No blank lines at the end.
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        out
    }

    fn wrap_line(&self, text: &str, size: f32, width: f32, out: &mut Vec<String>) {
        let space = self.char_w(' ', size);
        let mut line = String::new();
        let mut w = 0.0f32;
        let fits = |w: f32, add: f32| w + add <= width + 0.01;
        for atom in atoms(text) {
            let aw = self.width(&atom.text, size);
            let sp = if line.is_empty() || !atom.space_before {
                0.0
            } else {
                space
            };
            if fits(w, sp + aw) {
                if sp > 0.0 {
                    line.push(' ');
                }
                line.push_str(&atom.text);
                w += sp + aw;
            } else if aw <= width + 0.01 {
                out.push(std::mem::take(&mut line));
                line.push_str(&atom.text);
                w = aw;
            } else {
                // Wider than a line: it breaks where it must, going on from this line if
                // a fair part of it fits there.
                if !line.is_empty() {
                    if width - w - sp > width / 3.0 {
                        if sp > 0.0 {
                            line.push(' ');
                        }
                        w += sp;
                    } else {
                        out.push(std::mem::take(&mut line));
                        w = 0.0;
                    }
                }
                for c in atom.text.chars() {
                    let cw = self.char_w(c, size);
                    if !fits(w, cw) && !line.is_empty() {
                        out.push(std::mem::take(&mut line));
                        w = 0.0;
                    }
                    line.push(c);
                    w += cw;
                }
            }
        }
        out.push(line);
    }
}

/// A run of text that a line does not break inside, and whether a space came before it.
struct Atom {
    text: String,
    space_before: bool,
}

/// Marks a line does not start with.
fn closing(c: char) -> bool {
    ",.;:!?)]}%，。、；：！？）》」』】〕〉〗’”…‥ー々・～·".contains(c)
}

/// Marks a line does not end with.
fn opening(c: char) -> bool {
    "([{（《「『【〔〈〖‘“".contains(c)
}

/// The unbreakable runs of a line: words between spaces, each wide character on its own
/// (a closing mark kept with what is before it, an opening one with what follows).
fn atoms(text: &str) -> Vec<Atom> {
    let mut out: Vec<Atom> = Vec::new();
    let mut cur = String::new();
    let mut cur_space = false;
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !cur.is_empty() {
                out.push(Atom {
                    text: std::mem::take(&mut cur),
                    space_before: cur_space,
                });
            }
            pending_space = true;
            continue;
        }
        let glue = match cur.chars().next_back() {
            None => false,
            Some(last) => {
                closing(c) || opening(last) || !(is_wide(c) || is_wide(last) || opening(c))
            }
        };
        if !glue && !cur.is_empty() {
            out.push(Atom {
                text: std::mem::take(&mut cur),
                space_before: cur_space,
            });
        }
        if cur.is_empty() {
            cur_space = pending_space;
        }
        cur.push(c);
        pending_space = false;
    }
    if !cur.is_empty() {
        out.push(Atom {
            text: cur,
            space_before: cur_space,
        });
    }
    out
}

/// The pages as they are laid out.
struct Layout<'a> {
    m: Measure<'a>,
    pages: Vec<Vec<Op>>,
    /// Where the next thing goes, from the top of the page.
    y: f32,
    /// Where the page's content ends (the footer is below).
    bottom: f32,
    /// The table's heading, drawn again at the top of each page while the table goes on.
    head: Option<Item>,
}

impl<'a> Layout<'a> {
    fn new(face: &'a Face, bottom: f32) -> Self {
        Layout {
            m: Measure { face },
            pages: vec![Vec::new()],
            y: MARGIN_TOP,
            bottom,
            head: None,
        }
    }

    /// The top of a page's content (below a repeated table heading).
    fn top(&self) -> f32 {
        MARGIN_TOP + self.head.as_ref().map_or(0.0, |h| h.h)
    }

    /// The height a whole page has for content.
    fn page_room(&self) -> f32 {
        self.bottom - self.top()
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
        if let Some(head) = self.head.clone() {
            self.place(&head, 0.0);
        }
    }

    /// A new page unless `h` fits on this one (or this one is still empty).
    fn ensure(&mut self, h: f32) {
        if self.y + h > self.bottom + 0.01 && self.y > self.top() + 0.01 {
            self.new_page();
        }
    }

    /// `item` at the current place, moved right by `dx`.
    fn place(&mut self, item: &Item, dx: f32) {
        let y = self.y;
        if let Some(page) = self.pages.last_mut() {
            page.extend(item.ops.iter().map(|op| op.moved(dx, y)));
        }
        self.y += item.h;
    }

    /// Items one under the other, each on a new page when it does not fit.
    fn flow(&mut self, items: &[Item], dx: f32) {
        for item in items {
            self.ensure(item.h);
            self.place(item, dx);
        }
    }

    /// Two columns side by side, kept on one page when they fit one; else one after the
    /// other.
    fn columns(&mut self, left: &[Item], right: &[Item], right_x: f32) {
        let hl: f32 = left.iter().map(|i| i.h).sum();
        let hr: f32 = right.iter().map(|i| i.h).sum();
        let h = hl.max(hr);
        if h > self.page_room() {
            self.flow(left, 0.0);
            self.flow(right, right_x);
            return;
        }
        self.ensure(h);
        let top = self.y;
        for item in left {
            self.place(item, 0.0);
        }
        self.y = top;
        for item in right {
            self.place(item, right_x);
        }
        self.y = top + h;
    }

    /// Lines of text in one style, each an item, starting at `x`.
    fn text_items(&self, text: &str, st: Style, x: f32, width: f32) -> Vec<Item> {
        let h = line_h(st.size);
        self.m
            .wrap(text, st.size, width)
            .into_iter()
            .map(|line| Item {
                ops: vec![text_op(x, 0.0, st, line)],
                h,
            })
            .collect()
    }

    fn gap(&mut self, h: f32) {
        self.y += h;
    }
}

/// Space between the blocks.
fn gap_item(h: f32) -> Item {
    Item { ops: Vec::new(), h }
}

/// The document as a PDF, in `face`.
pub fn render(doc: &Doc, face: &Face) -> Result<Vec<u8>> {
    let m = Measure { face };
    // The footer's lines, and the room they take at the foot of each page.
    let footer: Vec<String> = doc
        .footer
        .as_deref()
        .map(|f| m.wrap(f.trim(), FOOT, CONTENT_W - 60.0))
        .unwrap_or_default()
        .into_iter()
        .take(FOOTER_LINES)
        .collect();
    let footer_h = (footer.len().max(1) as f32) * line_h(FOOT) + 10.0;
    let bottom = PAGE_H - MARGIN_BOTTOM - footer_h;

    let mut l = Layout::new(face, bottom);
    heading(&mut l, doc);
    parties(&mut l, doc);
    table(&mut l, doc);
    totals(&mut l, doc);
    sections(&mut l, doc);

    let pages = l.pages;
    let count = pages.len();
    let pages: Vec<Vec<Op>> = pages
        .into_iter()
        .enumerate()
        .map(|(i, mut ops)| {
            ops.extend(foot(&m, &footer, i + 1, count));
            ops
        })
        .collect();
    let mut title = doc.title.trim().to_string();
    if let Some((_, number)) = doc.heading.first().filter(|(_, v)| !v.trim().is_empty()) {
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(number.trim());
    }
    write(&pages, face, &title, doc.language())
}

/// The title, and the heading pairs beside it.
fn heading(l: &mut Layout, doc: &Doc) {
    let pairs: Vec<&(String, String)> = doc
        .heading
        .iter()
        .filter(|(k, v)| !(k.trim().is_empty() && v.trim().is_empty()))
        .collect();
    let gutter = 20.0;
    let (left_w, right_w) = if pairs.is_empty() {
        (CONTENT_W, 0.0)
    } else {
        let w = (CONTENT_W - gutter) / 2.0;
        (w, w)
    };
    let title = l.text_items(
        doc.title.trim(),
        style(TITLE, true, Ink::Text),
        MARGIN_X,
        left_w,
    );
    let label_st = style(BODY, false, Ink::Muted);
    let value_st = style(BODY, true, Ink::Text);
    let label_w = pairs
        .iter()
        .map(|(k, _)| widest_line(&l.m, k, BODY))
        .fold(0.0f32, f32::max)
        .min(right_w * 0.45);
    let value_x = label_w + 12.0;
    let value_w = right_w - value_x;
    let right_x = MARGIN_X + left_w + gutter;
    let mut right = Vec::new();
    for (k, v) in pairs {
        let labels = l.m.wrap(k.trim(), BODY, label_w);
        let values = l.m.wrap(v.trim(), BODY, value_w);
        let n = labels.len().max(values.len()).max(1);
        let lh = line_h(BODY);
        let mut item = Item {
            ops: Vec::new(),
            h: n as f32 * lh,
        };
        for (i, t) in labels.into_iter().enumerate() {
            item.ops.push(text_op(0.0, i as f32 * lh, label_st, t));
        }
        for (i, t) in values.into_iter().enumerate() {
            item.ops.push(text_op(value_x, i as f32 * lh, value_st, t));
        }
        right.push(item);
    }
    if title.is_empty() && right.is_empty() {
        return;
    }
    l.columns(&title, &right, right_x);
    l.gap(20.0);
}

/// A text op whose line box starts at `top`.
fn text_op(x: f32, top: f32, st: Style, text: String) -> Op {
    Op::Text {
        x,
        y: baseline(top, st.size),
        style: st,
        text,
    }
}

/// The width of the widest line of `s`, unwrapped.
fn widest_line(m: &Measure, s: &str, size: f32) -> f32 {
    s.trim()
        .split('\n')
        .map(|line| m.width(line.trim(), size))
        .fold(0.0, f32::max)
}

/// The seller and the customer, side by side.
fn parties(l: &mut Layout, doc: &Doc) {
    let gutter = 24.0;
    let w = (CONTENT_W - gutter) / 2.0;
    let block = |l: &Layout, label: &str, p: &Party| -> Vec<Item> {
        let mut items = Vec::new();
        if p.is_empty() {
            return items;
        }
        items.extend(l.text_items(label.trim(), style(SMALL, true, Ink::Muted), MARGIN_X, w));
        if !items.is_empty() {
            items.push(gap_item(2.0));
        }
        items.extend(l.text_items(p.name.trim(), style(NAME, true, Ink::Text), MARGIN_X, w));
        for line in &p.lines {
            items.extend(l.text_items(line.trim(), style(BODY, false, Ink::Text), MARGIN_X, w));
        }
        items
    };
    let left = block(l, &doc.seller_label, &doc.seller);
    let right = block(l, &doc.customer_label, &doc.customer);
    if left.is_empty() && right.is_empty() {
        return;
    }
    if left.is_empty() {
        l.columns(&right, &[], 0.0);
    } else {
        l.columns(&left, &right, w + gutter);
    }
    l.gap(18.0);
}

/// A text column at most this wide keeps its width (a unit, a code); wider ones share
/// what room is left.
const SHORT_COLUMN: f32 = 64.0;
/// The most a column of numbers is widened by, for air between the numbers.
const NUMBER_AIR: f32 = 10.0;

/// The widths of the table's columns, filling the page's width: numbers and short texts
/// at their widths, long texts sharing the rest by their widths (each at least its longest
/// word); when even that is too wide, every column shrinks alike and its text breaks.
fn column_widths(m: &Measure, doc: &Doc, n: usize) -> Vec<f32> {
    let cells = |i: usize| {
        doc.lines
            .iter()
            .filter_map(move |r| r.get(i))
            .map(String::as_str)
    };
    let mut natural = Vec::with_capacity(n);
    let mut least = Vec::with_capacity(n);
    for i in 0..n {
        let heading = widest_line(m, doc.column(i), SMALL);
        let widest = cells(i)
            .map(|c| widest_line(m, c, BODY))
            .fold(heading, f32::max);
        let word = cells(i)
            .flat_map(|c| atoms(c).into_iter().map(|a| a.text))
            .map(|a| m.width(&a, BODY))
            .fold(heading.min(SHORT_COLUMN), f32::max);
        let w = (widest + 2.0 * PAD_X).min(CONTENT_W);
        natural.push(w);
        least.push((word.clamp(SHORT_COLUMN, 90.0) + 2.0 * PAD_X).min(w));
    }
    let long: Vec<usize> = (0..n)
        .filter(|i| !doc.is_numeric(*i) && natural[*i] > SHORT_COLUMN + 2.0 * PAD_X)
        .collect();
    let fixed: f32 = (0..n)
        .filter(|i| !long.contains(i))
        .map(|i| natural[i])
        .sum();
    let total: f32 = natural.iter().sum();
    let mut w = natural.clone();
    if total <= CONTENT_W {
        // Room to spare: some air for the numbers, the rest to the long texts (else to the
        // texts, else to all).
        let mut spare = CONTENT_W - total;
        let numbers: Vec<usize> = (0..n).filter(|i| doc.is_numeric(*i)).collect();
        if !numbers.is_empty() {
            let air = (spare / 2.0 / numbers.len() as f32).min(NUMBER_AIR);
            for &i in &numbers {
                w[i] += air;
            }
            spare -= air * numbers.len() as f32;
        }
        let texts: Vec<usize> = (0..n).filter(|i| !doc.is_numeric(*i)).collect();
        let grow = if !long.is_empty() {
            long
        } else if !texts.is_empty() {
            texts
        } else {
            (0..n).collect()
        };
        let base: f32 = grow.iter().map(|i| natural[*i]).sum::<f32>().max(1.0);
        for &i in &grow {
            w[i] += spare * natural[i] / base;
        }
        return w;
    }
    let long_least: f32 = long.iter().map(|i| least[*i]).sum();
    if !long.is_empty() && fixed + long_least <= CONTENT_W {
        // The long texts share what is left by their widths; one whose share is below its
        // least gets its least, and the others share the rest.
        let room = CONTENT_W - fixed;
        let mut at_least = vec![false; n];
        loop {
            let free: Vec<usize> = long.iter().copied().filter(|i| !at_least[*i]).collect();
            let taken: f32 = long.iter().filter(|i| at_least[**i]).map(|i| w[*i]).sum();
            let base: f32 = free.iter().map(|i| natural[*i]).sum::<f32>().max(1.0);
            let left = room - taken;
            let mut changed = false;
            for &i in &free {
                if left * natural[i] / base < least[i] {
                    w[i] = least[i];
                    at_least[i] = true;
                    changed = true;
                }
            }
            if !changed {
                for &i in &free {
                    w[i] = left * natural[i] / base;
                }
                return w;
            }
        }
    }
    // Far too many columns: every one shrinks alike, and their text breaks.
    natural.iter().map(|w| w * CONTENT_W / total).collect()
}

/// The lines table.
fn table(l: &mut Layout, doc: &Doc) {
    let n = doc.column_count();
    if n == 0 || (doc.lines.is_empty() && doc.columns.iter().all(|c| c.trim().is_empty())) {
        return;
    }
    let widths = column_widths(&l.m, doc, n);
    let mut xs = Vec::with_capacity(n);
    let mut x = MARGIN_X;
    for w in &widths {
        xs.push(x);
        x += w;
    }
    let right = MARGIN_X + CONTENT_W;
    let cell_lines = |l: &Layout, i: usize, text: &str, size: f32| {
        l.m.wrap(text.trim(), size, widths[i] - 2.0 * PAD_X)
    };
    let put = |l: &Layout, ops: &mut Vec<Op>, i: usize, top: f32, st: Style, t: String| {
        let x = if doc.is_numeric(i) {
            xs[i] + widths[i] - PAD_X - l.m.width(&t, st.size)
        } else {
            xs[i] + PAD_X
        };
        ops.push(text_op(x, top, st, t));
    };

    // The heading, ruled above and below.
    let head_st = style(SMALL, true, Ink::Muted);
    let head_lines: Vec<Vec<String>> = (0..n)
        .map(|i| cell_lines(l, i, doc.column(i), SMALL))
        .collect();
    let rows = head_lines.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let mut head = Item {
        ops: vec![rule(MARGIN_X, right, 0.0, 1.2, Ink::Rule)],
        h: rows as f32 * line_h(SMALL) + 2.0 * PAD_Y,
    };
    for (i, lines) in head_lines.into_iter().enumerate() {
        for (k, t) in lines.into_iter().enumerate() {
            put(
                l,
                &mut head.ops,
                i,
                PAD_Y + k as f32 * line_h(SMALL),
                head_st,
                t,
            );
        }
    }
    head.ops.push(rule(MARGIN_X, right, head.h, 0.8, Ink::Rule));

    // The heading stays with the first row.
    let cell_st = style(BODY, false, Ink::Text);
    let lh = line_h(BODY);
    let first = doc.lines.first().map_or(0.0, |_| lh + 2.0 * PAD_Y);
    l.ensure(head.h + first);
    l.place(&head, 0.0);
    // (A heading that would take much of every page is not repeated.)
    if head.h <= (l.bottom - MARGIN_TOP) / 3.0 {
        l.head = Some(head);
    }

    let last = doc.lines.len().saturating_sub(1);
    for (r, line) in doc.lines.iter().enumerate() {
        let cells: Vec<Vec<String>> = (0..n)
            .map(|i| cell_lines(l, i, line.get(i).map_or("", String::as_str), BODY))
            .collect();
        let count = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let h = count as f32 * lh + 2.0 * PAD_Y;
        let (width, ink) = if r == last {
            (1.2, Ink::Rule)
        } else {
            (0.4, Ink::Light)
        };
        if h <= l.page_room() {
            let mut item = Item { ops: Vec::new(), h };
            for (i, lines) in cells.into_iter().enumerate() {
                for (k, t) in lines.into_iter().enumerate() {
                    put(l, &mut item.ops, i, PAD_Y + k as f32 * lh, cell_st, t);
                }
            }
            item.ops.push(rule(MARGIN_X, right, h, width, ink));
            l.ensure(h);
            l.place(&item, 0.0);
        } else {
            // Taller than a page: line by line, going on over the next pages.
            l.ensure(PAD_Y + lh);
            l.gap(PAD_Y);
            for k in 0..count {
                let mut item = Item {
                    ops: Vec::new(),
                    h: lh,
                };
                for (i, lines) in cells.iter().enumerate() {
                    if let Some(t) = lines.get(k) {
                        put(l, &mut item.ops, i, 0.0, cell_st, t.clone());
                    }
                }
                l.ensure(lh);
                l.place(&item, 0.0);
            }
            l.ensure(PAD_Y);
            let end = Item {
                ops: vec![rule(MARGIN_X, right, PAD_Y, width, ink)],
                h: PAD_Y,
            };
            l.place(&end, 0.0);
        }
    }
    l.head = None;
    l.gap(10.0);
}

fn rule(x1: f32, x2: f32, y: f32, width: f32, ink: Ink) -> Op {
    Op::Rule {
        x1,
        x2,
        y,
        width,
        ink,
    }
}

/// The totals, right-aligned; the last one, the grand total, under a rule, larger, bold.
fn totals(l: &mut Layout, doc: &Doc) {
    if doc.totals.is_empty() {
        return;
    }
    let right = MARGIN_X + CONTENT_W - PAD_X;
    let last = doc.totals.len() - 1;
    let st = |i: usize| {
        if i == last {
            (style(GRAND, true, Ink::Text), style(GRAND, true, Ink::Text))
        } else {
            (
                style(BODY, false, Ink::Muted),
                style(BODY, false, Ink::Text),
            )
        }
    };
    let value_w = doc
        .totals
        .iter()
        .enumerate()
        .map(|(i, (_, v))| widest_line(&l.m, v, st(i).1.size))
        .fold(0.0f32, f32::max)
        .min(CONTENT_W * 0.4);
    let label_w = doc
        .totals
        .iter()
        .enumerate()
        .map(|(i, (k, _))| widest_line(&l.m, k, st(i).0.size))
        .fold(0.0f32, f32::max)
        .min(CONTENT_W * 0.45);
    let gutter = 18.0;
    let label_right = right - value_w - gutter;
    let mut items = Vec::new();
    for (i, (k, v)) in doc.totals.iter().enumerate() {
        let (ls, vs) = st(i);
        let labels = l.m.wrap(k.trim(), ls.size, label_w);
        let values = l.m.wrap(v.trim(), vs.size, value_w);
        let lh = line_h(ls.size.max(vs.size));
        let n = labels.len().max(values.len()).max(1);
        let pad = if i == last { 4.0 } else { 0.0 };
        let mut item = Item {
            ops: Vec::new(),
            h: n as f32 * lh + pad,
        };
        if i == last {
            item.ops.push(rule(
                label_right - label_w,
                right + PAD_X,
                1.0,
                0.8,
                Ink::Rule,
            ));
        }
        for (k, t) in labels.into_iter().enumerate() {
            let x = label_right - l.m.width(&t, ls.size);
            item.ops.push(text_op(x, pad + k as f32 * lh, ls, t));
        }
        for (k, t) in values.into_iter().enumerate() {
            let x = right - l.m.width(&t, vs.size);
            item.ops.push(text_op(x, pad + k as f32 * lh, vs, t));
        }
        items.push(item);
    }
    let h: f32 = items.iter().map(|i| i.h).sum();
    if h <= l.page_room() {
        l.ensure(h);
    }
    l.flow(&items, 0.0);
    l.gap(16.0);
}

/// The sections: a title, then the text in paragraphs.
fn sections(l: &mut Layout, doc: &Doc) {
    let lh = line_h(BODY);
    for (title, text) in &doc.sections {
        let titles = l.text_items(
            title.trim(),
            style(10.0, true, Ink::Text),
            MARGIN_X,
            CONTENT_W,
        );
        let body: Vec<Item> =
            l.m.wrap(text.trim(), BODY, CONTENT_W)
                .into_iter()
                .map(|line| {
                    if line.is_empty() {
                        // A blank line between paragraphs: half a line.
                        gap_item(lh / 2.0)
                    } else {
                        Item {
                            ops: vec![text_op(MARGIN_X, 0.0, style(BODY, false, Ink::Text), line)],
                            h: lh,
                        }
                    }
                })
                .collect();
        if titles.is_empty() && body.is_empty() {
            continue;
        }
        // A title stays with the first two lines of its text.
        let keep: f32 = titles.iter().map(|i| i.h).sum::<f32>()
            + 2.0
            + body.iter().take(2).map(|i| i.h).sum::<f32>();
        if keep <= l.page_room() {
            l.ensure(keep);
        }
        l.flow(&titles, 0.0);
        if !titles.is_empty() {
            l.gap(2.0);
        }
        l.flow(&body, 0.0);
        l.gap(12.0);
    }
}

/// The foot of page `page` of `count`: a rule, the footer's lines, the page number.
fn foot(m: &Measure, footer: &[String], page: usize, count: usize) -> Vec<Op> {
    let mut ops = Vec::new();
    let lh = line_h(FOOT);
    let top = PAGE_H - MARGIN_BOTTOM - (footer.len().max(1) as f32) * lh;
    let right = MARGIN_X + CONTENT_W;
    if !footer.is_empty() {
        ops.push(rule(MARGIN_X, right, top - 4.0, 0.4, Ink::Light));
    }
    let st = style(FOOT, false, Ink::Muted);
    for (i, line) in footer.iter().enumerate() {
        ops.push(text_op(MARGIN_X, top + i as f32 * lh, st, line.clone()));
    }
    if count > 1 {
        let n = format!("{page} / {count}");
        let x = right - m.width(&n, FOOT);
        ops.push(text_op(x, top, st, n));
    }
    ops
}

/// The glyphs of `text` in `face`; a character it has no glyph for (a space, an invisible
/// mark) takes none, and its advance goes to the glyph before. (Text is drawn from its
/// first visible character: lines are trimmed.)
fn glyphs(face: &Face, text: &str) -> Vec<KrillaGlyph> {
    let mut out: Vec<KrillaGlyph> = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let range = i..i + c.len_utf8();
        match face.glyph(c) {
            Some((id, advance)) if !needs_no_glyph(c) || c.is_whitespace() => {
                out.push(KrillaGlyph::new(
                    GlyphId::new(id),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    range,
                    None,
                ));
            }
            _ => {
                let advance = if c.is_whitespace() {
                    face.space()
                } else if needs_no_glyph(c) {
                    0.0
                } else {
                    0.5
                };
                if let Some(g) = out.last_mut() {
                    g.x_advance += advance;
                    g.text_range.end = range.end;
                }
            }
        }
    }
    out
}

/// The pages drawn by krilla, the font embedded as a subset.
fn write(pages: &[Vec<Op>], face: &Face, title: &str, lang: &str) -> Result<Vec<u8>> {
    let font = Font::new(face.data().into(), face.index())
        .ok_or_else(|| err!(Invalid, "documents.font_bad", path = face.path().display()))?;
    let mut pdf = Document::new_with(SerializeSettings {
        xmp_metadata: false,
        ..SerializeSettings::default()
    });
    pdf.set_metadata(
        Metadata::new()
            .title(title.to_string())
            .language(lang.to_string())
            .creator("kith".to_string()),
    );
    for ops in pages {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).unwrap_or_default();
        let mut page = pdf.start_page_with(settings);
        let mut s = page.surface();
        for op in ops {
            match op {
                Op::Text { x, y, style, text } => {
                    let glyphs = glyphs(face, text);
                    if glyphs.is_empty() {
                        continue;
                    }
                    let color = style.ink.color();
                    s.set_fill(Some(Fill {
                        paint: color.into(),
                        ..Fill::default()
                    }));
                    s.set_stroke(style.bold.then(|| Stroke {
                        paint: color.into(),
                        width: style.size * 0.035,
                        line_join: LineJoin::Round,
                        opacity: NormalizedF32::ONE,
                        ..Stroke::default()
                    }));
                    s.draw_glyphs(
                        Point::from_xy(*x, *y),
                        &glyphs,
                        font.clone(),
                        text,
                        style.size,
                        false,
                    );
                }
                Op::Rule {
                    x1,
                    x2,
                    y,
                    width,
                    ink,
                } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x1, *y);
                    path.line_to(*x2, *y);
                    let Some(path) = path.finish() else { continue };
                    s.set_fill(None);
                    s.set_stroke(Some(Stroke {
                        paint: ink.color().into(),
                        width: *width,
                        line_cap: LineCap::Butt,
                        ..Stroke::default()
                    }));
                    s.draw_path(&path);
                }
            }
        }
        s.finish();
        page.finish();
    }
    pdf.finish()
        .map_err(|e| err!(Failed, "documents.pdf_failed", reason = e))
}
