//! A document's lines in its detail view (a deal's, a quote's, any kind the library says
//! has lines): the lines as a table and their totals under it, as `kith quote show` prints
//! them. `i` goes into them; a line being changed or added has its quantity, price and
//! discount typed in its row, and its net and the totals show what the library works out
//! for what is typed ([`Crm::preview_line`](crate::app::crm::Crm)) until enter writes it.

use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::app::commerce::{LinePreview, Sheet};
use crate::app::crm::Input;
use crate::core::money::Money;
use crate::model::record::Record;
use crate::tui::input::TextInput;
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::view::{capital, column_title, ellipsis, label_of, pad, pad_left, Theme};

/// The fields a line's editor has, in the order tab goes through them.
pub const QTY: usize = 0;
pub const PRICE: usize = 1;
pub const DISCOUNT: usize = 2;
const FIELDS: [&str; 3] = ["qty", "price", "discount"];

/// A document's lines as its detail view shows them.
pub struct Lines {
    pub sheet: Sheet,
    /// The keys go to the lines (after `i`), not to the detail view's links.
    pub focused: bool,
    pub selected: usize,
    /// The line being changed or added.
    pub edit: Option<LineEdit>,
}

/// A line being changed (or added): what is typed in its fields, and the document as the
/// library works it out with that.
pub struct LineEdit {
    /// The line changed (its id); `None` for a line being added.
    pub line: Option<i64>,
    /// The product of a line being added: its id and name.
    pub product: Option<(i64, String)>,
    /// Quantity, price and discount, as typed.
    pub fields: [TextInput; 3],
    /// What the fields held when the editor opened: only what differs is sent.
    pub was: [String; 3],
    pub focus: usize,
    /// The document with what is typed, as the library works it out; `None` while it
    /// does not take what is typed (or a new line has no quantity yet).
    pub preview: Option<LinePreview>,
    /// Why the library does not take what is typed, in its words.
    pub error: Option<String>,
}

impl Lines {
    pub fn new(sheet: Sheet) -> Lines {
        Lines {
            sheet,
            focused: false,
            selected: 0,
            edit: None,
        }
    }

    /// After the document was read again: where the keys were, the line selected, and a
    /// line being edited that is still there.
    pub fn keep(&mut self, old: Lines) {
        self.focused = old.focused;
        self.selected = old.selected.min(self.sheet.lines.len().saturating_sub(1));
        self.edit = old.edit.filter(|e| {
            e.line
                .is_none_or(|id| self.sheet.lines.iter().any(|l| l.id() == id))
        });
    }

    /// The line selected, if there are lines.
    pub fn selected_line(&self) -> Option<&Record> {
        self.sheet.lines.get(self.selected)
    }
}

impl LineEdit {
    /// The editor of a line, its fields holding what the line has.
    pub fn change(line: &Record, sheet: &Sheet) -> LineEdit {
        let m = |k: &str| line.get(k).and_then(Money::from_json);
        let was = [
            m("qty").map(Money::plain).unwrap_or_default(),
            m("price").map(Money::plain).unwrap_or_default(),
            sheet.discount_text(line),
        ];
        LineEdit {
            line: Some(line.id()),
            product: None,
            fields: was.clone().map(TextInput::new),
            was,
            focus: QTY,
            preview: None,
            error: None,
        }
    }

    /// The editor of a new line of a product: its quantity to type; a price left empty
    /// comes from the price list or the product.
    pub fn add(product: i64, name: String) -> LineEdit {
        LineEdit {
            line: None,
            product: Some((product, name)),
            fields: Default::default(),
            was: Default::default(),
            focus: QTY,
            preview: None,
            error: None,
        }
    }

    pub fn text(&self, field: usize) -> &str {
        self.fields[field].text().trim()
    }

    /// Whether anything typed differs from what the line had.
    pub fn changed(&self) -> bool {
        (0..FIELDS.len()).any(|i| self.text(i) != self.was[i].trim())
    }

    /// A new line that has no quantity yet: nothing to work out.
    pub fn waits_for_quantity(&self) -> bool {
        self.line.is_none() && self.text(QTY).is_empty()
    }

    /// What to hand the library: for a line changed, the fields that differ (so a price
    /// not touched stays as it is when the quantity changes); for a new one, its product
    /// and the fields given.
    pub fn input(&self) -> Input {
        let mut input = Input::new();
        if let Some((id, _)) = &self.product {
            input.set("product", format!("#{id}"));
        }
        for (i, name) in FIELDS.iter().enumerate() {
            let text = self.text(i);
            let send = match self.line {
                Some(_) => text != self.was[i].trim(),
                None => !text.is_empty(),
            };
            if send {
                input.set(name, text);
            }
        }
        input
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % FIELDS.len();
    }

    pub fn prev(&mut self) {
        self.focus = (self.focus + FIELDS.len() - 1) % FIELDS.len();
    }
}

/// One cell of the table: its text, aligned right (a number) or left, and the field of
/// the editor it shows (typed in), if any.
struct Cell {
    text: String,
    right: bool,
    input: Option<usize>,
    /// Not typed: what the library gives for a field left empty (a new line's price).
    given: bool,
}

fn cell(text: impl Into<String>, right: bool) -> Cell {
    Cell {
        text: text.into(),
        right,
        input: None,
        given: false,
    }
}

/// The columns: position, description (the product's name), quantity, unit, price,
/// discount, tax, net.
const COLUMNS: [&str; 8] = [
    "position",
    "description",
    "qty",
    "unit",
    "price",
    "discount",
    "tax",
    "net",
];

fn money(l: &Record, k: &str) -> Option<Money> {
    l.get(k).and_then(Money::from_json)
}

/// A stored (or worked out) line as cells.
fn line_cells(sheet: &Sheet, i: usize) -> Vec<Cell> {
    let l = &sheet.lines[i];
    let p = sheet.places;
    let net = sheet
        .worked
        .lines
        .get(i)
        .map(|w| w.net.fixed(p))
        .unwrap_or_default();
    vec![
        cell(l.i64("position").unwrap_or(0).to_string(), true),
        cell(l.label(), false),
        cell(money(l, "qty").map(Money::plain).unwrap_or_default(), true),
        cell(l.text("unit"), false),
        cell(
            money(l, "price").map(|m| m.fixed(p)).unwrap_or_default(),
            true,
        ),
        cell(sheet.discount_text(l), true),
        cell(
            money(l, "tax")
                .map(|t| format!("{}%", t.plain()))
                .unwrap_or_default(),
            true,
        ),
        cell(net, true),
    ]
}

/// The row of the line being edited: its fields as typed, the rest as the library worked
/// it out (or, before it has, as the line was).
fn edit_cells(e: &LineEdit, worked: Option<(&Sheet, usize)>, position: usize) -> Vec<Cell> {
    let mut cells = match worked {
        Some((sheet, i)) => line_cells(sheet, i),
        None => {
            let mut c: Vec<Cell> = COLUMNS.iter().map(|_| cell("", true)).collect();
            c[0] = cell(position.to_string(), true);
            c[1] = cell(
                e.product
                    .as_ref()
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
                false,
            );
            c
        }
    };
    for (field, col) in [(QTY, 2), (PRICE, 4), (DISCOUNT, 5)] {
        let typed = e.fields[field].text();
        let c = &mut cells[col];
        // A new line's price left empty: the one the price list or the product gives.
        if typed.is_empty() && !c.text.is_empty() && e.line.is_none() {
            c.given = true;
        } else {
            c.text = typed.to_string();
        }
        c.input = Some(field);
    }
    if worked.is_none() {
        cells[7].text = "—".into();
    }
    cells
}

/// What the change typed makes of the line's net and of the total, as the library works
/// them out: `line 2: 104,000.00 → 130,000.00 · total 991,640.00 → 1,019,200.00`.
fn change_text(lines: &Lines, e: &LineEdit) -> String {
    let Some(p) = &e.preview else {
        return String::new();
    };
    let places = lines.sheet.places;
    let total = crate::tr!(
        "tui.lines.total_change",
        from = lines.sheet.worked.total.fixed(places),
        to = p.sheet.worked.total.fixed(places)
    );
    let was = e.line.and_then(|id| {
        let i = lines.sheet.lines.iter().position(|l| l.id() == id)?;
        lines.sheet.worked.lines.get(i).map(|w| w.net)
    });
    let now = p.sheet.worked.lines.get(p.line).map(|w| w.net);
    let position = p
        .sheet
        .lines
        .get(p.line)
        .and_then(|l| l.i64("position"))
        .unwrap_or(0);
    match (was, now) {
        (Some(was), Some(now)) => format!(
            "{} · {total}",
            crate::tr!(
                "tui.lines.net_change",
                n = position,
                from = was.fixed(places),
                to = now.fixed(places)
            )
        ),
        (None, Some(now)) => format!(
            "{} · {total}",
            crate::tr!("tui.lines.new_net", n = position, net = now.fixed(places))
        ),
        _ => total,
    }
}

/// How many rows the lines take drawn whole at `width`: their title, the table and the
/// totals (the title only when there are none and nothing is being added).
pub fn height(lines: &Lines) -> u16 {
    let rows = shown_rows(lines);
    if rows == 0 {
        return 1;
    }
    let totals = sheet_shown(lines).total_rows().len();
    let message = usize::from(lines.edit.is_some());
    (1 + 1 + rows + message + 1 + totals) as u16
}

/// The sheet shown: the one worked out for what is typed, else the one stored.
fn sheet_shown(lines: &Lines) -> &Sheet {
    lines
        .edit
        .as_ref()
        .and_then(|e| e.preview.as_ref())
        .map_or(&lines.sheet, |p| &p.sheet)
}

/// How many rows of lines the table has: a new line not yet worked out takes one more.
fn shown_rows(lines: &Lines) -> usize {
    let sheet = sheet_shown(lines);
    let extra = lines
        .edit
        .as_ref()
        .is_some_and(|e| e.line.is_none() && e.preview.is_none());
    sheet.lines.len() + usize::from(extra)
}

/// Draw the lines in `area`: the title, the table (scrolled to the line selected or
/// edited), a line saying why what is typed is not taken, and the totals.
pub fn draw_lines(f: &mut Frame, lines: &Lines, t: Theme, area: Rect, keys: &Keymap) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let sheet = sheet_shown(lines);
    let edit = lines.edit.as_ref();
    // The title, and how to go in when the keys are elsewhere.
    let title = crate::tr!(
        "tui.detail.section",
        title = capital(&label_of("tui.related", "lines")),
        n = lines.sheet.lines.len()
    );
    let mut spans = vec![Span::styled(
        if lines.focused {
            format!("▸ {title}")
        } else {
            title
        },
        t.title(),
    )];
    if !lines.focused {
        if let Some(k) = keys.key_in(Action::Lines, Context::Detail) {
            spans.push(Span::styled(
                format!("  {}", crate::tr!("tui.lines.go_in", key = k)),
                t.dim(),
            ));
        }
    }
    let title_area = Rect { height: 1, ..area };
    f.render_widget(Paragraph::new(Line::from(spans)), title_area);
    let rows_n = shown_rows(lines);
    if rows_n == 0 || area.height < 3 {
        return;
    }

    // The row being edited, and what it shows.
    let edit_row = edit.map(|e| match (&e.preview, e.line) {
        (Some(p), _) => p.line,
        (None, Some(id)) => lines
            .sheet
            .lines
            .iter()
            .position(|l| l.id() == id)
            .unwrap_or(0),
        (None, None) => lines.sheet.lines.len(),
    });
    let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(rows_n);
    for i in 0..rows_n {
        match (edit, edit_row) {
            (Some(e), Some(at)) if at == i => {
                let worked = e.preview.as_ref().map(|p| (&p.sheet, p.line));
                // Before the library takes what is typed, the line as it is stored.
                let worked = worked.or_else(|| e.line.map(|_| (&lines.sheet, i)));
                let worked = worked.filter(|(s, i)| *i < s.lines.len());
                rows.push(edit_cells(e, worked, i + 1));
            }
            _ if i < sheet.lines.len() => rows.push(line_cells(sheet, i)),
            _ => {}
        }
    }
    let headers: Vec<String> = COLUMNS
        .iter()
        .map(|c| match *c {
            "position" => "#".to_string(),
            c => column_title(c),
        })
        .collect();
    // Columns as wide as their widest cell (a field typed in one more, for the cursor);
    // the description gives way when they do not fit.
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in &rows {
        for (i, c) in row.iter().enumerate() {
            let w = c.text.width() + usize::from(c.input.is_some());
            widths[i] = widths[i].max(w);
        }
    }
    let gap = 2;
    let room = area.width as usize;
    let total = |w: &[usize]| w.iter().sum::<usize>() + gap * (w.len() - 1);
    if total(&widths) > room {
        let over = total(&widths) - room;
        widths[1] = widths[1].saturating_sub(over).max(6);
    }
    let table_w = total(&widths).min(room);

    // Rows: title, header, the lines, a message, a blank, the totals; lines scroll.
    let totals = sheet.total_rows();
    let message = edit.map(|e| match (&e.error, e.waits_for_quantity()) {
        (Some(err), _) => Line::from(Span::styled(format!("✗ {err}"), t.error())),
        (None, true) => Line::from(Span::styled(crate::tr!("tui.lines.type_qty"), t.dim())),
        (None, false) if e.line.is_some() && !e.changed() => {
            Line::from(Span::styled(crate::tr!("tui.lines.type_change"), t.dim()))
        }
        (None, false) => Line::from(Span::styled(change_text(lines, e), t.dim())),
    });
    // The lines get what the message and the totals leave, three at least (then the
    // totals give way from the top); they scroll to the line selected or edited.
    let for_rows = (area.height as usize - 2).saturating_sub(usize::from(message.is_some()));
    let totals_need = 1 + totals.len();
    let rows_h = if rows_n + totals_need <= for_rows {
        rows_n
    } else {
        for_rows
            .saturating_sub(totals_need)
            .max(rows_n.min(3))
            .min(for_rows)
            .min(rows_n)
    };
    let focus_row = edit_row.unwrap_or(lines.selected);
    let top = (focus_row + 1)
        .saturating_sub(rows_h)
        .min(rows_n.saturating_sub(rows_h));
    let mut y = area.y + 1;
    let line_at = |f: &mut Frame, y: u16, line: Line| {
        f.render_widget(
            Paragraph::new(line),
            Rect {
                x: area.x,
                y,
                width: area.width,
                height: 1,
            },
        );
    };
    let header: Vec<Span> = headers
        .iter()
        .enumerate()
        .flat_map(|(i, h)| {
            let text = if COLUMNS[i] == "description" || COLUMNS[i] == "unit" {
                pad(&ellipsis(h, widths[i]), widths[i])
            } else {
                pad_left(&ellipsis(h, widths[i]), widths[i])
            };
            let sep = (i > 0).then(|| Span::raw(" ".repeat(gap)));
            sep.into_iter().chain([Span::styled(text, t.header())])
        })
        .collect();
    line_at(f, y, Line::from(header));
    y += 1;
    let mut cursor: Option<Position> = None;
    for (i, row) in rows.iter().enumerate().skip(top).take(rows_h) {
        let editing = edit_row == Some(i) && edit.is_some();
        let mut spans: Vec<Span> = Vec::new();
        let mut x = area.x as usize;
        for (c, cell) in row.iter().enumerate() {
            if c > 0 {
                spans.push(Span::raw(" ".repeat(gap)));
                x += gap;
            }
            let w = widths[c];
            let mut text = if cell.input.is_some() {
                // Room for the cursor after what is typed.
                format!("{} ", cell.text)
            } else {
                ellipsis(&cell.text, w)
            };
            if text.width() > w {
                text = ellipsis(&text, w);
            }
            let shown = if cell.right {
                pad_left(&text, w)
            } else {
                pad(&text, w)
            };
            let style = match (cell.input, edit) {
                (Some(field), Some(e)) if editing && e.focus == field => {
                    let input = &e.fields[field];
                    let lead = w.saturating_sub(text.width());
                    let col = input.text()[..input.cursor()].width();
                    cursor = Some(Position::new(
                        (x + lead + col).min(area.x as usize + room - 1) as u16,
                        y,
                    ));
                    t.selected()
                }
                (Some(_), _) if editing && cell.given => t.dim(),
                (Some(_), _) if editing => t.header().remove_modifier(Modifier::BOLD),
                _ if editing && c == 7 && edit.is_some_and(|e| e.preview.is_some()) => t.accent(),
                _ => ratatui::style::Style::default(),
            };
            x += w;
            spans.push(Span::styled(shown, style));
        }
        let mut line = Line::from(spans);
        if lines.focused && !editing && edit.is_none() && i == lines.selected {
            line = line.patch_style(t.selected());
        }
        line_at(f, y, line);
        y += 1;
    }
    if let Some(m) = message {
        if y < area.bottom() {
            line_at(f, y, m);
            y += 1;
        }
    }
    // The totals, right-aligned under the net; the last rows (the total) kept when the
    // room is short.
    y += 1;
    let left = area.bottom().saturating_sub(y) as usize;
    let label_w = totals.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
    let amount_w = totals.iter().map(|(_, a)| a.width()).max().unwrap_or(0);
    let block_w = label_w + 2 + amount_w;
    let indent = table_w.saturating_sub(block_w);
    let previewing = edit.is_some_and(|e| e.preview.is_some());
    let skip = totals.len().saturating_sub(left);
    let last = totals.len().saturating_sub(1);
    for (i, (label, amount)) in totals.iter().enumerate().skip(skip) {
        if y >= area.bottom() {
            break;
        }
        let strong = if i == last {
            t.title()
        } else {
            ratatui::style::Style::default()
        };
        let amount_style = if previewing { t.accent() } else { strong };
        line_at(
            f,
            y,
            Line::from(vec![
                Span::raw(" ".repeat(indent)),
                Span::styled(pad(label, label_w), strong),
                Span::raw("  "),
                Span::styled(pad_left(amount, amount_w), amount_style),
            ]),
        );
        y += 1;
    }
    if let Some(c) = cursor {
        f.set_cursor_position(c);
    }
}
