//! Pickers: the command palette (every action and every screen), the finder (any record
//! by name), and the choosers of forms and sorting.

use ratatui::layout::{Constraint, Layout, Position};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::app::crm::Crm;
use crate::app::search::{Hit, Scorer};
use crate::core::error::Result;
use crate::model::query::SortKey;
use crate::model::Entity;
use crate::tui::app::{App, Popup, Screen};
use crate::tui::keymap::Action;
use crate::tui::view::{centered, clear, Theme};

/// A list to choose from, narrowed by fuzzy typing.
pub struct Picker<T> {
    pub title: String,
    pub input: String,
    pub items: Vec<(String, String, T)>,
    pub shown: Vec<usize>,
    pub selected: usize,
}

impl<T> Picker<T> {
    pub fn new(title: impl Into<String>, items: Vec<(String, String, T)>) -> Picker<T> {
        let mut p = Picker {
            title: title.into(),
            input: String::new(),
            items,
            shown: vec![],
            selected: 0,
        };
        p.narrow();
        p
    }

    pub fn narrow(&mut self) {
        if self.input.trim().is_empty() {
            self.shown = (0..self.items.len()).collect();
        } else {
            let scorer = Scorer::new(&self.input);
            let mut scored: Vec<(i64, usize)> = self
                .items
                .iter()
                .enumerate()
                .filter_map(|(i, (label, detail, _))| scorer.score(label, detail).map(|s| (s, i)))
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.shown = scored.into_iter().map(|(_, i)| i).collect();
        }
        self.selected = 0;
    }

    pub fn chosen(&self) -> Option<&T> {
        self.shown.get(self.selected).map(|&i| &self.items[i].2)
    }
}

/// What a picked item does.
#[derive(Debug, Clone, PartialEq)]
pub enum Pick {
    Run(Action),
    Open(Entity, i64),
    /// Fill a form field with a record's name (and remember its id).
    Field {
        field: usize,
        id: i64,
        label: String,
    },
    SortBy(String),
}

impl App {
    pub(crate) fn picked(&mut self, p: Pick) -> Result<()> {
        match p {
            Pick::Run(a) => self.act(a),
            Pick::Open(e, id) => self.open(e, id),
            Pick::Field { field, id, label } => {
                if let Screen::Form(form) = self.screen_mut() {
                    let f = &mut form.fields[field];
                    f.value = label;
                    f.picked = Some(id);
                    f.error = None;
                    form.next();
                }
                Ok(())
            }
            Pick::SortBy(field) => {
                if let Screen::List(l) = self.screen_mut() {
                    l.query.sort = vec![SortKey { field, desc: false }];
                }
                self.reload_top()
            }
        }
    }
}

fn hit_item(h: Hit) -> (String, String, Pick) {
    let kind = Entity::from_name(&h.kind).unwrap_or(Entity::Account);
    (
        h.name,
        format!("{} · {}", h.kind, h.detail),
        Pick::Open(kind, h.id),
    )
}

pub fn draw_picker(f: &mut Frame, p: &Picker<Pick>, t: Theme) {
    let area = centered(f.area(), 70, f.area().height.saturating_sub(4).min(20));
    clear(f, area);
    let block = Block::bordered().title(Span::styled(format!(" {} ", p.title), t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [input, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("> ", t.accent()),
            Span::raw(p.input.clone()),
        ])),
        input,
    );
    f.set_cursor_position(Position::new(
        (input.x + 2 + p.input.width() as u16).min(input.x + input.width.saturating_sub(1)),
        input.y,
    ));
    let h = list.height as usize;
    let top = p.selected.saturating_sub(h.saturating_sub(1));
    let lines: Vec<Line> = p
        .shown
        .iter()
        .enumerate()
        .skip(top)
        .take(h)
        .map(|(i, &idx)| {
            let (label, detail, _) = &p.items[idx];
            let line = Line::from(vec![
                Span::raw(label.clone()),
                Span::styled(format!("  {detail}"), t.dim()),
            ]);
            if i == p.selected {
                line.patch_style(t.selected())
            } else {
                line
            }
        })
        .collect();
    let empty = lines.is_empty();
    f.render_widget(Paragraph::new(lines), list);
    if empty {
        let msg = if p.input.is_empty() {
            "type to search"
        } else {
            "no match"
        };
        f.render_widget(Paragraph::new(Span::styled(msg, t.dim())), list);
    }
}

impl App {
    /// The command palette: every action the palette offers, with its keys.
    pub(crate) fn open_palette(&mut self) {
        let items = Action::all()
            .into_iter()
            .filter(|a| a.in_palette())
            .map(|a| (a.name(), self.keymap.keys_for(a), Pick::Run(a)))
            .collect();
        self.popup = Some(Popup::Palette(Picker::new("command", items)));
    }

    /// The finder: any record by name, searched as you type.
    pub(crate) fn open_finder(&mut self) {
        self.popup = Some(Popup::Finder(Picker::new("find", vec![])));
    }
}

/// The finder's items for what is typed (none for nothing).
pub fn find_items(crm: &Crm, text: &str) -> Result<Vec<(String, String, Pick)>> {
    if text.trim().is_empty() {
        return Ok(vec![]);
    }
    Ok(crm.search(text, 50)?.into_iter().map(hit_item).collect())
}
