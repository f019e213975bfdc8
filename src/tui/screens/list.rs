//! A list of records of one kind: paged reading, the filter line (field terms and fuzzy
//! words), sorting, and the table drawn to fit the terminal.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::app::crm::Crm;
use crate::app::search::Pool;
use crate::app::tui_reads::ListQuery;
use crate::core::error::{Error, Result};
use crate::model::query::{Filter, SortKey, Term};
use crate::model::record::Record;
use crate::model::Entity;
use crate::tui::app::{App, Popup, Screen};
use crate::tui::app::{Pick, Picker};
use crate::tui::keymap::{Action, Keymap};
use crate::tui::view::{capital, kinds_name, shown, Theme};

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
    pub rows: Vec<Record>,
    pub exhausted: bool,
    pub selected: usize,
    pub top: usize,
    /// The kind's custom fields, shown after its columns (set when the list is read).
    pub custom: Vec<&'static str>,
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

impl App {
    /// On a list shown without fuzzy words, start reading the names a filter would rank
    /// (see [`Names`]); once per list shown or written to, not for the screens beneath.
    pub(crate) fn read_names_ahead(&mut self) {
        let crm = &self.crm;
        let Some(Screen::List(l)) = self.screens.last_mut() else {
            return;
        };
        if !l.words.is_empty() || !matches!(l.names, Names::Unread) {
            return;
        }
        if let Some(reading) = crm.name_pool_ahead(l.entity, &l.query) {
            l.names = Names::Reading(reading);
        }
    }

    /// Apply a filter line to the current list: field and tag terms filter as on the
    /// command line; bare words rank the names by fuzzy match.
    pub fn apply_filter(&mut self, text: &str) -> Result<()> {
        let parsed = crate::model::query::parse_line(text)?;
        if let Screen::Reports(_) = self.screen() {
            return self.filter_report(text, parsed);
        }
        let (words, terms): (Vec<Term>, Vec<Term>) = parsed
            .terms
            .into_iter()
            .partition(|t| matches!(t, Term::Word(_)));
        let words: Vec<String> = words
            .into_iter()
            .filter_map(|t| match t {
                Term::Word(w) => Some(w),
                _ => None,
            })
            .collect();
        let crm = &self.crm;
        let Some(Screen::List(l)) = self.screens.last_mut() else {
            return Ok(());
        };
        let old = (
            l.filter_text.clone(),
            l.query.filter.clone(),
            l.words.clone(),
        );
        l.filter_text = text.to_string();
        let filter = Filter { terms };
        if filter != l.query.filter {
            // Other terms choose other names.
            l.names = Names::Unread;
        }
        l.query.filter = filter;
        l.words = words.join(" ");
        if let Err(e) = reload_list(crm, l) {
            if let Screen::List(l) = self.screen_mut() {
                (l.filter_text, l.query.filter, l.words) = old;
            }
            self.reload_top()?;
            return Err(e);
        }
        Ok(())
    }

    pub(crate) fn load_more(&mut self) -> Result<()> {
        let crm = &self.crm;
        match self.screens.last_mut() {
            Some(Screen::List(l)) => load_page(crm, l),
            _ => Ok(()),
        }
    }
}

/// Load the next page of a list: by the query, or by the ranked ids of a fuzzy search.
fn load_page(crm: &Crm, l: &mut ListView) -> Result<()> {
    if l.exhausted {
        return Ok(());
    }
    let start = l.rows.len();
    let page = match &l.ranked {
        Some(ids) => {
            let end = (start + PAGE).min(ids.len());
            crm.get_many(l.entity, &ids[start..end])?
        }
        None => {
            let mut q = l.query.clone();
            q.limit = Some(PAGE);
            q.offset = start;
            crm.list(l.entity, &q)?
        }
    };
    l.exhausted = page.len() < PAGE
        || l.ranked
            .as_ref()
            .is_some_and(|ids| start + page.len() >= ids.len());
    l.rows.extend(page);
    Ok(())
}

/// Load every row of a list not loaded yet, in one query.
pub fn load_rest(crm: &Crm, l: &mut ListView) -> Result<()> {
    if l.exhausted {
        return Ok(());
    }
    let start = l.rows.len();
    let rest = match &l.ranked {
        Some(ids) => crm.get_many(l.entity, &ids[start.min(ids.len())..])?,
        None => {
            let mut q = l.query.clone();
            q.limit = None;
            q.offset = start;
            crm.list(l.entity, &q)?
        }
    };
    l.rows.extend(rest);
    l.exhausted = true;
    Ok(())
}

/// Read a list again, keeping the cursor where it was. Fuzzy words rank the list's
/// [`Names`], read once for the list's other terms and kept while only the words change, so typing narrows the names already
/// matched instead of reading and scoring them all again.
pub fn reload_list(crm: &Crm, l: &mut ListView) -> Result<()> {
    l.custom = crm.custom().of(l.entity).iter().map(|f| f.name).collect();
    l.rows.clear();
    l.exhausted = false;
    l.ranked = if l.words.is_empty() {
        None
    } else {
        let words = l.words.clone();
        Some(names_pool(crm, l)?.rank(&words))
    };
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
    e.list_columns()
        .into_iter()
        .map(|c| match c {
            "emails" => "email",
            "phones" => "phone",
            o => o,
        })
        .collect()
}

/// Draw a list; returns where its rows are.
pub fn draw_list(f: &mut Frame, l: &mut ListView, t: Theme, area: Rect, keys: &Keymap) -> Rect {
    let more = if l.exhausted { "" } else { "+" };
    let mut title = format!(
        " {} · {}{more} ",
        capital(kinds_name(l.entity)),
        l.rows.len()
    );
    if !l.filter_text.is_empty() {
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
    let visible: Vec<&Record> = l.rows.iter().skip(l.top).take(height).collect();
    let mut all = columns(l.entity);
    all.extend(l.custom.iter().copied());
    let natural: Vec<usize> = all
        .iter()
        .map(|c| {
            let w = visible
                .iter()
                .map(|r| shown(r, c).width())
                .max()
                .unwrap_or(0)
                .max(c.width());
            w.min(40)
        })
        .collect();
    let keep = columns_that_fit(l.entity, &all, &natural, inner.width as usize);
    let cols: Vec<&str> = keep.iter().map(|&i| all[i]).collect();
    let label = cols.iter().position(|c| *c == l.entity.label_field());
    let widths = fit_widths(
        keep.iter().map(|&i| natural[i]).collect(),
        inner.width as usize,
        2,
        label,
    );
    let header = Row::new(cols.iter().map(|c| Cell::from(c.to_uppercase()))).style(t.header());
    let rows: Vec<Row> = visible
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let cells = cols.iter().map(|c| Cell::from(shown(r, c)));
            let row = Row::new(cells);
            if l.top + i == l.selected {
                row.style(t.selected())
            } else {
                row
            }
        })
        .collect();
    let table = Table::new(rows, widths.iter().map(|w| Constraint::Length(*w)))
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

/// Which columns (by index) to show in `room` cells: drop the least useful until the name
/// column gets its natural width (up to 24 cells).
fn columns_that_fit(e: Entity, cols: &[&str], natural: &[usize], room: usize) -> Vec<usize> {
    let label = e.label_field();
    let want = |i: usize| {
        if cols[i] == label {
            natural[i].min(24)
        } else {
            natural[i].min(12)
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
    for name in DROP_ORDER {
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
        ListView {
            entity,
            filter_text: String::new(),
            query: ListQuery::default(),
            words: String::new(),
            ranked: None,
            names: Names::Unread,
            rows: vec![],
            exhausted: false,
            selected: 0,
            top: 0,
            custom: vec![],
        }
    }
}

impl App {
    /// The list's own keys: choose the sort column, reverse the sort.
    pub(crate) fn list_key(&mut self, action: Action) -> Result<()> {
        match action {
            Action::Sort => {
                if let Screen::List(l) = self.screen() {
                    let items = self
                        .crm
                        .custom()
                        .fields(l.entity)
                        .into_iter()
                        .chain(l.entity.field("created_at"))
                        .chain(l.entity.field("updated_at"))
                        .map(|f| {
                            (
                                f.name.to_string(),
                                String::new(),
                                Pick::SortBy(f.name.to_string()),
                            )
                        })
                        .collect();
                    self.popup = Some(Popup::Pick(Picker::new(
                        crate::tr!("tui.picker.sort_by"),
                        items,
                    )));
                }
            }
            Action::Reverse => {
                if let Screen::List(l) = self.screen_mut() {
                    let label = l.entity.label_field().to_string();
                    match l.query.sort.first_mut() {
                        Some(k) => k.desc = !k.desc,
                        None => {
                            l.query.sort = vec![SortKey {
                                field: label,
                                desc: true,
                            }]
                        }
                    }
                }
                self.reload_top()?;
            }
            _ => {}
        }
        Ok(())
    }

    /// A click on a row selects it; a second click on the selected row opens it.
    pub(crate) fn list_click(&mut self, column: u16, row: u16) -> Result<()> {
        if let (Some(area), Screen::List(l)) = (self.rows_area, self.screen()) {
            let inside = column >= area.x
                && column < area.x + area.width
                && row >= area.y
                && row < area.y + area.height;
            let index = l.top + (row.saturating_sub(area.y)) as usize;
            if inside && index < l.rows.len() {
                let same = index == l.selected;
                if let Screen::List(l) = self.screen_mut() {
                    l.selected = index;
                }
                if same {
                    self.act(Action::Open)?;
                }
            }
        }
        Ok(())
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
