//! A list of records of one kind: paged reading, the filter line (field terms and fuzzy
//! words), sorting, and the table drawn to fit the terminal.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};
use ratatui::Frame;
use std::collections::BTreeSet;
use unicode_width::UnicodeWidthStr;

use crate::app::crm::Crm;
use crate::app::search::Pool;
use crate::app::tui_reads::ListQuery;
use crate::core::error::{Error, Result};
use crate::model::record::Record;
use crate::model::Entity;
use crate::tui::keymap::{Action, Keymap};
use crate::tui::screens::cases::{countdown, countdown_style, left_of, Left};
use crate::tui::screens::today::count_text;
use crate::tui::screens::views::ViewMark;
use crate::tui::view::{capital, ellipsis, kind_name, kinds_name, pad_left, shown, Theme};

/// Records loaded at a time in a list.
pub const PAGE: usize = 200;

pub struct ListView {
    pub entity: Entity,
    /// The filter line as typed.
    pub filter_text: String,
    pub query: ListQuery,
    /// Fuzzy words from the filter line; when set, `ranked` holds the matching ids, best
    /// first.
    pub words: String,
    pub ranked: Option<Vec<i64>>,
    /// The names the fuzzy words rank, for the list's other terms.
    pub names: Names,
    /// The rows loaded: a window of the list, from its start unless `G` read its end.
    pub rows: Vec<Record>,
    /// Whether the window reaches the end of the list.
    pub exhausted: bool,
    /// How many rows of the list come before the window (`None`: some, not counted yet —
    /// after `G`, which reads the last page without counting what is before it).
    pub skipped: Option<usize>,
    /// `selected` and `top` are positions in `rows`.
    pub selected: usize,
    pub top: usize,
    /// The kind's custom fields, shown after its columns (set when the list is read).
    pub custom: Vec<&'static str>,
    /// The widest text seen in each column (its header included) since the list was read:
    /// grown as rows are loaded, never shrunk while scrolling, so the columns stay put.
    pub widths: Vec<usize>,
    /// The records marked (`space`, `V`) for an action on all of them at once, by id:
    /// kept while the list scrolls, reads on and is read again.
    pub marks: BTreeSet<i64>,
    /// Where a range (`V`) began, by id: the rows from it to the cursor count as marked
    /// until `V` again keeps them marked or `esc` drops the range.
    pub range_from: Option<i64>,
    /// How many records the list holds in all, for its title (`37/74,915`).
    pub total: Total,
    /// The columns chosen for it (the kind's, from the column picker, or a saved view's),
    /// in their order; names the kind no longer has are passed over. None: the kind's own.
    pub chosen: Option<Vec<String>>,
    /// The saved view it was opened from, named in its title while it still shows it.
    pub view: Option<ViewMark>,
    /// Of the cases loaded, the working time left on each one's nearest clock: the
    /// queue's countdown column (`left`).
    pub left: Left,
}

/// How many records a list holds: counted on another connection once the keys stop (a
/// count of 100,000 rows through an index takes milliseconds, but not one per keystroke
/// of a filter), and shown as `200+` until it comes.
#[derive(Default)]
pub enum Total {
    /// Not counted since the list was read.
    #[default]
    Unknown,
    Counting(std::thread::JoinHandle<Result<usize>>),
    Known(usize),
    /// The count failed (the title keeps `200+`; the list works on).
    Unavailable,
}

impl Total {
    pub fn known(&self) -> Option<usize> {
        match self {
            Total::Known(n) => Some(*n),
            _ => None,
        }
    }
}

/// The filter a list opens with (and `esc` goes back to): tasks and deals show the open
/// ones. It is a filter like any other, shown in the list's title ("open only") and on the
/// filter line, so a sort never brings back what it leaves out; `/` `ctrl-u` `enter` shows
/// them all.
pub fn default_filter(e: Entity) -> &'static str {
    match e {
        Entity::Task => "done:no",
        Entity::Deal => "status:open",
        // The cases open as the queue: the open ones, the nearest deadline first.
        Entity::Case => "status:open",
        _ => "",
    }
}

/// The names a list's fuzzy filter ranks. They are read on a second connection on another
/// thread as soon as the list is shown or read again after a write (100,000 names take
/// tens of milliseconds to read), so the first keystroke of a filter finds them read
/// instead of waiting a frame or more. Other filter terms read them when a word is typed.
#[derive(Default)]
pub enum Names {
    /// Not read yet (a database in memory, which has no second connection, reads them
    /// when the first word is typed).
    #[default]
    Unread,
    Reading(std::thread::JoinHandle<Result<Pool>>),
    Ready(Pool),
}

/// Load the next page of a list: by the query, or by the ranked ids of a fuzzy search.
fn load_page(crm: &Crm, l: &mut ListView) -> Result<()> {
    if l.exhausted {
        return Ok(());
    }
    let from = l.rows.len();
    let start = l.skipped.unwrap_or(0) + from;
    let page = read_range(crm, l, start, PAGE)?;
    l.exhausted = page.len() < PAGE
        || l.ranked
            .as_ref()
            .is_some_and(|ids| start + page.len() >= ids.len());
    l.left.extend(left_of(crm, &page)?);
    l.rows.extend(page);
    measure(l, from..l.rows.len());
    Ok(())
}

/// `n` rows of the list from position `start`.
fn read_range(crm: &Crm, l: &ListView, start: usize, n: usize) -> Result<Vec<Record>> {
    match &l.ranked {
        Some(ids) => {
            let a = start.min(ids.len());
            let b = (start + n).min(ids.len());
            crm.get_many(l.entity, &ids[a..b])
        }
        None => {
            let mut q = l.query.clone();
            q.limit = Some(n);
            q.offset = start;
            crm.list(l.entity, &q)
        }
    }
}

/// Load the page before the window (moving up from the end `G` read); the cursor stays
/// on its row.
fn load_before(crm: &Crm, l: &mut ListView) -> Result<()> {
    let skipped = match l.skipped {
        Some(n) => n,
        None => {
            let total = match &l.ranked {
                Some(ids) => ids.len(),
                None => crm.count(l.entity, &l.query)?,
            };
            total.saturating_sub(l.rows.len())
        }
    };
    let start = skipped.saturating_sub(PAGE);
    let page = read_range(crm, l, start, skipped - start)?;
    let n = page.len();
    l.left.extend(left_of(crm, &page)?);
    l.rows.splice(0..0, page);
    l.selected += n;
    l.top += n;
    l.skipped = Some(start);
    measure(l, 0..n);
    Ok(())
}

/// `G` on a list: its last page, read from the end through the order's index (with the
/// order reversed), not every row before it.
pub fn go_to_end(crm: &Crm, l: &mut ListView) -> Result<()> {
    if !l.exhausted {
        let tail = match &l.ranked {
            Some(ids) => {
                let start = ids.len().saturating_sub(PAGE);
                l.skipped = Some(start);
                crm.get_many(l.entity, &ids[start..])?
            }
            None => {
                let tail = crm.list_tail(l.entity, &l.query, PAGE)?;
                l.skipped = if tail.len() < PAGE { Some(0) } else { None };
                tail
            }
        };
        l.left = left_of(crm, &tail)?;
        l.rows = tail;
        l.exhausted = true;
        measure(l, 0..l.rows.len());
    }
    l.selected = l.rows.len().saturating_sub(1);
    Ok(())
}

/// Move the cursor of a list by `delta` rows, loading the rows it moves onto.
pub fn move_in_list(crm: &Crm, l: &mut ListView, delta: i64) -> Result<()> {
    if l.selected as i64 + delta < 0 && l.skipped != Some(0) {
        if delta <= i64::MIN / 4 {
            // `g` from the end: the list from its start.
            l.selected = 0;
            l.top = 0;
            l.skipped = Some(0);
            return reload_list(crm, l);
        }
        load_before(crm, l)?;
    }
    let len = l.rows.len();
    l.selected = if len == 0 {
        0
    } else {
        (l.selected as i64)
            .saturating_add(delta)
            .clamp(0, len as i64 - 1) as usize
    };
    if !l.exhausted && l.selected + 50 >= l.rows.len() {
        load_page(crm, l)?;
    }
    Ok(())
}

/// Every column a list can show: its kind's, then its custom fields.
pub fn available_columns(l: &ListView) -> Vec<&'static str> {
    let mut all = columns(l.entity);
    all.extend(l.custom.iter().copied());
    all
}

/// The columns a list shows: those chosen for it, in their order (names it no longer has
/// passed over), else all of them. None of the chosen left: all of them.
pub fn all_columns(l: &ListView) -> Vec<&'static str> {
    let all = available_columns(l);
    let Some(chosen) = &l.chosen else {
        return all;
    };
    let shown: Vec<&'static str> = chosen
        .iter()
        .filter_map(|c| all.iter().copied().find(|a| a == c))
        .collect();
    if shown.is_empty() {
        all
    } else {
        shown
    }
}

/// Grow the list's column widths to fit the rows in `range`.
fn measure(l: &mut ListView, range: std::ops::Range<usize>) {
    let all = all_columns(l);
    if l.widths.len() != all.len() {
        l.widths = all
            .iter()
            .map(|c| crate::tui::view::column_title(c).width())
            .collect();
    }
    for r in &l.rows[range] {
        for (i, c) in all.iter().enumerate() {
            l.widths[i] = l.widths[i].max(text_of(&l.left, r, c).width());
        }
    }
}

/// Whether a column holds numbers (drawn right-aligned; the id, a name more than a
/// number, stays left).
fn numeric(e: Entity, column: &str) -> bool {
    column != "id"
        && matches!(
            e.field(column).map(|f| f.ty),
            Some(
                crate::model::Ty::Money
                    | crate::model::Ty::Percent
                    | crate::model::Ty::Quantity
                    | crate::model::Ty::Int { .. }
            )
        )
}

/// Read a list again, keeping the cursor where it was. Fuzzy words rank the list's
/// [`Names`], read once for the list's other terms and kept while only the words change, so typing narrows the names already
/// matched instead of reading and scoring them all again.
pub fn reload_list(crm: &Crm, l: &mut ListView) -> Result<()> {
    l.custom = crm.custom().of(l.entity).iter().map(|f| f.name).collect();
    // A window read from the end is read from the end again, the cursor as far from it.
    let from_end = (l.skipped != Some(0)).then(|| l.rows.len().saturating_sub(l.selected));
    l.rows.clear();
    l.left.clear();
    l.widths.clear();
    l.exhausted = false;
    l.skipped = Some(0);
    l.total = Total::Unknown;
    l.ranked = if l.words.is_empty() {
        None
    } else {
        let words = l.words.clone();
        Some(names_pool(crm, l)?.rank(&words))
    };
    if let Some(ids) = &l.ranked {
        l.total = Total::Known(ids.len());
    }
    if let Some(back) = from_end {
        go_to_end(crm, l)?;
        l.selected = l.rows.len().saturating_sub(back.max(1));
        return Ok(());
    }
    load_page(crm, l)?;
    while l.selected >= l.rows.len() && !l.exhausted {
        load_page(crm, l)?;
    }
    l.selected = l.selected.min(l.rows.len().saturating_sub(1));
    Ok(())
}

/// The list's names to rank, read here if they were not read on another thread (or that
/// read failed: here it fails again with its error).
fn names_pool<'a>(crm: &Crm, l: &'a mut ListView) -> Result<&'a mut Pool> {
    if !matches!(l.names, Names::Ready(_)) {
        let read = match std::mem::take(&mut l.names) {
            Names::Reading(reading) => reading.join().ok().and_then(Result::ok),
            _ => None,
        };
        let pool = match read {
            Some(pool) => pool,
            None => crm.name_pool(l.entity, &l.query)?,
        };
        l.names = Names::Ready(pool);
    }
    match &mut l.names {
        Names::Ready(pool) => Ok(pool),
        _ => Err(Error::failed(crate::tr!("tui.list.names_unread"))),
    }
}

pub fn columns(e: Entity) -> Vec<&'static str> {
    let mut cols: Vec<&'static str> = e
        .list_columns()
        .into_iter()
        .map(|c| match c {
            "emails" => "email",
            "phones" => "phone",
            o => o,
        })
        .collect();
    // The queue's countdown, after the SLA state: worked out when read, not a field.
    if e == Entity::Case {
        let at = cols
            .iter()
            .position(|c| *c == "sla")
            .map_or(cols.len(), |p| p + 1);
        cols.insert(at, LEFT);
    }
    cols
}

/// The cases' countdown column: the working time left on the nearest running clock.
pub const LEFT: &str = "left";

/// A cell of a list: the record's field as shown, or a case's countdown.
fn text_of(left: &Left, r: &Record, column: &str) -> String {
    if column == LEFT && r.entity == Entity::Case {
        return countdown(r, left.get(&r.id()).copied().flatten());
    }
    shown(r, column)
}

/// Draw a list; returns where its rows are.
pub fn draw_list(f: &mut Frame, l: &mut ListView, t: Theme, area: Rect, keys: &Keymap) -> Rect {
    // Where the cursor is in the list, and how many records it holds: 37/74,915 — or,
    // until they are counted, 37/200+ (the rows read so far, and more to come), and
    // …/200+ at the end `G` read, whose place is not known yet.
    let whole = l.exhausted && l.skipped == Some(0);
    let total = l.total.known().or(whole.then_some(l.rows.len()));
    let count = match total {
        Some(n) => count_text(n),
        None => format!("{}+", count_text(l.rows.len())),
    };
    let at = match (l.skipped, total) {
        (Some(skipped), _) => count_text(skipped + l.selected + 1),
        (None, Some(n)) => count_text(n - l.rows.len() + l.selected + 1),
        (None, None) => "…".to_string(),
    };
    let at = if l.rows.is_empty() {
        count
    } else {
        crate::tr!("tui.list.position", at = at, count = count)
    };
    let mut title = format!(" {} · ", capital(kinds_name(l.entity)));
    // The saved view it shows, named first.
    if let Some(v) = l
        .view
        .as_ref()
        .filter(|v| v.shows(&l.filter_text, &l.query.sort))
    {
        title.push_str(&format!(
            "{} · ",
            crate::tr!("tui.views.in_title", name = v.name)
        ));
    }
    title.push_str(&format!("{at} "));
    // The range being made, found once a frame (not once a row).
    let range = l.range_rows();
    let marked = l.marked().len();
    if marked > 0 {
        title.push_str(&format!("· {} ", crate::plural!("tui.list.marked", marked)));
    }
    // The filter in force, the list's default one too.
    let default = default_filter(l.entity);
    if !default.is_empty() && l.filter_text == default {
        title.push_str(&format!("· {} ", crate::tr!("tui.lists.open_only")));
    } else if !default.is_empty() && l.filter_text.is_empty() {
        title.push_str(&format!("· {} ", crate::tr!("tui.lists.all")));
    } else if !l.filter_text.is_empty() {
        title.push_str(&format!("· / {} ", l.filter_text));
    }
    if let Some(k) = l.query.sort.first() {
        // The field as the filter line and --sort take it (-amount: largest first).
        let field = format!("{}{}", if k.desc { "-" } else { "" }, k.field);
        title.push_str(&format!(
            "· {} ",
            crate::tr!("tui.list.sorted", field = field)
        ));
    }
    let block = Block::bordered().title(Span::styled(title, t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let height = inner.height.saturating_sub(1) as usize;
    if l.selected < l.top {
        l.top = l.selected;
    } else if height > 0 && l.selected >= l.top + height {
        l.top = l.selected + 1 - height;
    }
    let all = all_columns(l);
    if l.widths.len() != all.len() {
        measure(l, 0..l.rows.len());
    }
    // The widths of every row loaded, not of the rows on screen, so the columns stay put
    // while scrolling; no column wider than a third of a wide terminal (40 on a narrow one).
    // While records are marked, a column before the others shows which.
    let gutter = if marked > 0 { 3 } else { 0 };
    let room = (inner.width as usize).saturating_sub(gutter);
    let cap = (room / 3).max(40);
    let natural: Vec<usize> = l.widths.iter().map(|w| (*w).min(cap)).collect();
    let keep = columns_that_fit(l.entity, &all, &natural, room);
    let cols: Vec<&str> = keep.iter().map(|&i| all[i]).collect();
    let label = cols.iter().position(|c| *c == l.entity.label_field());
    // The name is fitted at the width the plan gave it (30 at most), the others at theirs;
    // room left over then goes to the columns cut, the name first.
    let planned = keep
        .iter()
        .map(|&i| {
            if Some(i) == label.map(|p| keep[p]) {
                natural[i].min(30)
            } else {
                natural[i]
            }
        })
        .collect();
    let mut widths = fit_widths(planned, room, 2, label);
    let used =
        widths.iter().map(|w| *w as usize).sum::<usize>() + 2 * widths.len().saturating_sub(1);
    let mut spare = room.saturating_sub(used);
    let order = label
        .into_iter()
        .chain((0..widths.len()).filter(|&p| Some(p) != label));
    for p in order.collect::<Vec<_>>() {
        let more = l.widths[keep[p]]
            .saturating_sub(widths[p] as usize)
            .min(spare);
        widths[p] += more as u16;
        spare -= more;
    }
    // Text cut to its column ends in …; numbers are right-aligned.
    let fit = |c: &str, text: &str, w: u16| {
        let text = ellipsis(text, w as usize);
        if numeric(l.entity, c) {
            pad_left(&text, w as usize)
        } else {
            text
        }
    };
    let mark_cell = |on: bool| Cell::from(if on { MARK } else { "" });
    let header = Row::new(
        (gutter > 0).then(|| mark_cell(false)).into_iter().chain(
            cols.iter()
                .zip(&widths)
                .map(|(c, w)| Cell::from(fit(c, &crate::tui::view::column_title(c), *w))),
        ),
    )
    .style(t.header());
    let rows: Vec<Row> = l
        .rows
        .iter()
        .enumerate()
        .skip(l.top)
        .take(height)
        .map(|(i, r)| {
            let on = l.marks.contains(&r.id()) || range.as_ref().is_some_and(|x| x.contains(&i));
            let cells = (gutter > 0).then(|| mark_cell(on)).into_iter().chain(
                cols.iter().zip(&widths).map(|(c, w)| {
                    let text = fit(c, &text_of(&l.left, r, c), *w);
                    if *c == LEFT {
                        // Coloured by the case's SLA state: breached, at risk, on track.
                        let left = l.left.get(&r.id()).copied().flatten();
                        Cell::from(Span::styled(text, countdown_style(r, left, t)))
                    } else {
                        Cell::from(text)
                    }
                }),
            );
            let row = Row::new(cells);
            match (i == l.selected, on) {
                (true, _) => row.style(t.selected()),
                (false, true) => row.style(t.accent()),
                _ => row,
            }
        })
        .collect();
    let constraints = (gutter > 0)
        .then_some(Constraint::Length(1))
        .into_iter()
        .chain(widths.iter().map(|w| Constraint::Length(*w)));
    let table = Table::new(rows, constraints)
        .header(header)
        .column_spacing(2);
    f.render_widget(table, inner);
    if l.rows.is_empty() {
        let msg = if l.filter_text.is_empty() {
            crate::tr!(
                "tui.list.empty",
                kinds = kinds_name(l.entity),
                new = keys.first_key(Action::New)
            )
        } else if l.filter_text == default {
            crate::tr!(
                "tui.lists.none_open",
                kinds = kinds_name(l.entity),
                search = keys.first_key(Action::Search)
            )
        } else {
            crate::tr!(
                "tui.list.no_match",
                search = keys.first_key(Action::Search),
                back = keys.first_key(Action::Back)
            )
        };
        let r = Rect {
            y: inner.y + 2,
            height: 1,
            ..inner
        };
        f.render_widget(Paragraph::new(Span::styled(msg, t.dim())), r);
    }
    Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    }
}

/// Records an action works on: of one kind, by id.
#[derive(Debug, Clone, PartialEq)]
pub struct Targets {
    pub entity: Entity,
    pub ids: Vec<i64>,
}

impl Targets {
    /// How a message names them: `deal 12`, or `3 deals`.
    pub fn what(&self) -> String {
        match self.ids.as_slice() {
            [id] => crate::tr!("tui.marks.single", kind = kind_name(self.entity), id = id),
            ids => crate::tr!(
                "tui.marks.many",
                n = ids.len(),
                kinds = kinds_name(self.entity)
            ),
        }
    }
}

/// The sign before a marked row.
pub const MARK: &str = "*";

/// Columns dropped first when a list is narrow, least useful first.
const DROP_ORDER: &[&str] = &[
    "tags",
    "owner",
    "currency",
    "probability",
    "kind",
    "type",
    "minutes",
    "outcome",
    "industry",
    "source",
    "priority",
    "role",
    "title",
    "status",
    "score",
    "done",
    "phone",
    "company",
    "city",
    "account",
    "stage",
    "email",
    "tier",
];

/// The queue's columns dropped first when it is narrow.
const CASE_DROP_ORDER: &[&str] = &[
    "type", "priority", "due", "status", "sla", "account", "assignee",
];

/// Which columns (by index) to show in `room` cells: drop the least useful until the name
/// column gets its natural width (up to 30 cells) and the others theirs (up to 16), so
/// what is shown is seldom cut.
fn columns_that_fit(e: Entity, cols: &[&str], natural: &[usize], room: usize) -> Vec<usize> {
    let label = e.label_field();
    let want = |i: usize| {
        if cols[i] == label {
            natural[i].min(30)
        } else {
            natural[i].min(16)
        }
    };
    let mut keep: Vec<usize> = (0..cols.len()).collect();
    let need = |keep: &[usize]| {
        keep.iter().map(|&i| want(i)).sum::<usize>() + 2 * keep.len().saturating_sub(1)
    };
    // Custom fields' columns give way first, the last first.
    let builtin = columns(e);
    while need(&keep) > room {
        match keep.iter().rposition(|&i| !builtin.contains(&cols[i])) {
            Some(p) => {
                keep.remove(p);
            }
            None => break,
        }
    }
    // The queue keeps a case's title and countdown longest: its deadline, state and
    // status give way first (the countdown and its colour say them).
    let order = if e == Entity::Case {
        CASE_DROP_ORDER
    } else {
        DROP_ORDER
    };
    for name in order {
        if need(&keep) <= room {
            break;
        }
        // The label and the id always stay; `title` is a deal's name but a contact's job.
        if *name == label {
            continue;
        }
        keep.retain(|&i| cols[i] != *name);
    }
    keep
}

/// Shrink column widths to fit `room` (with `gap` between columns): the widest column
/// gives way first, none below 4 cells; the `keep` column (the name) only when the others
/// cannot give more.
pub fn fit_widths(mut w: Vec<usize>, room: usize, gap: usize, keep: Option<usize>) -> Vec<u16> {
    let total = |w: &[usize]| w.iter().sum::<usize>() + gap * w.len().saturating_sub(1);
    while total(&w) > room {
        let widest = |skip: Option<usize>| {
            w.iter()
                .enumerate()
                .filter(|(i, x)| Some(*i) != skip && **x > 4)
                .max_by_key(|(_, x)| **x)
                .map(|(i, _)| i)
        };
        match widest(keep).or_else(|| widest(None)) {
            Some(i) => w[i] -= 1,
            None => break,
        }
    }
    w.into_iter().map(|x| x as u16).collect()
}

impl ListView {
    /// An empty list of a kind, read by the first reload.
    pub fn new(entity: Entity) -> ListView {
        let text = default_filter(entity);
        let filter = crate::model::query::parse_line(text).unwrap_or_default();
        // The queue sorts by the nearest deadline (from the open cases' index).
        let sort = match entity {
            Entity::Case => vec![crate::model::query::SortKey {
                field: "due".into(),
                desc: false,
            }],
            _ => vec![],
        };
        ListView {
            entity,
            filter_text: text.to_string(),
            query: ListQuery {
                filter,
                sort,
                ..ListQuery::default()
            },
            words: String::new(),
            ranked: None,
            names: Names::Unread,
            rows: vec![],
            exhausted: false,
            skipped: Some(0),
            selected: 0,
            top: 0,
            custom: vec![],
            widths: vec![],
            marks: BTreeSet::new(),
            range_from: None,
            total: Total::Unknown,
            chosen: None,
            view: None,
            left: Left::new(),
        }
    }

    /// The rows of the range being made (`V`), as positions in `rows`. When its first row
    /// is no longer loaded — `G` read the end of a long list anew — it begins at the first
    /// row loaded.
    pub fn range_rows(&self) -> Option<std::ops::RangeInclusive<usize>> {
        let from = self.range_from?;
        let p = self.rows.iter().position(|r| r.id() == from).unwrap_or(0);
        Some(p.min(self.selected)..=p.max(self.selected))
    }

    /// Every record marked, the range being made with them, by id.
    pub fn marked(&self) -> Vec<i64> {
        let mut all = self.marks.clone();
        if let Some(range) = self.range_rows() {
            all.extend(self.rows[range].iter().map(|r| r.id()));
        }
        all.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_by_shrinking_the_widest() {
        assert_eq!(fit_widths(vec![3, 30, 10], 60, 2, None), vec![3, 30, 10]);
        assert_eq!(fit_widths(vec![3, 30, 10], 30, 2, None), vec![3, 13, 10]);
        assert_eq!(fit_widths(vec![10, 10], 5, 2, None), vec![4, 4]);
        // The name column keeps its width while the others can give.
        assert_eq!(
            fit_widths(vec![3, 30, 20, 20], 60, 2, Some(1)),
            vec![3, 30, 11, 10]
        );
        assert_eq!(fit_widths(vec![3, 30, 10], 20, 2, Some(1)), vec![3, 9, 4]);
    }

    #[test]
    fn narrow_lists_drop_the_least_useful_columns() {
        let cols = columns(Entity::Deal);
        let natural: Vec<usize> = cols
            .iter()
            .map(|c| if *c == "title" { 30 } else { 10 })
            .collect();
        let keep: Vec<&str> = columns_that_fit(Entity::Deal, &cols, &natural, 78)
            .into_iter()
            .map(|i| cols[i])
            .collect();
        assert!(
            keep.contains(&"id") && keep.contains(&"title") && keep.contains(&"expected_close"),
            "{keep:?}"
        );
        assert!(
            !keep.contains(&"owner") && !keep.contains(&"currency"),
            "{keep:?}"
        );
        let wide: Vec<usize> = columns_that_fit(Entity::Deal, &cols, &natural, 300);
        assert_eq!(wide.len(), cols.len());
    }
}
