//! Pickers: the command palette (every action and every screen), the finder (any record
//! by name), and the choosers of forms and sorting.

use ratatui::layout::{Constraint, Layout, Position};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::app::search::{Finder, Hit, Scorer};
use crate::core::error::Result;
use crate::model::Entity;
use crate::tui::keymap::Action;
use crate::tui::view::{centered, clear, kind_name, Theme};

/// A list to choose from, narrowed by fuzzy typing.
pub struct Picker<T> {
    pub title: String,
    pub input: String,
    pub items: Vec<(String, String, T)>,
    pub shown: Vec<usize>,
    pub selected: usize,
    /// The items are still being read (the finder, just opened).
    pub waiting: bool,
    /// Headings of the groups the items fall in, in the order they are shown (a form's
    /// contact picker: the account's contacts, then the others); empty for one list.
    pub groups: Vec<String>,
    /// The group of each item (an index into `groups`), when there are groups.
    pub group_of: Vec<usize>,
    /// Other words each item is found by but not shown with (the palette's actions by
    /// their English names in another language); empty for none.
    pub also: Vec<String>,
}

impl<T> Picker<T> {
    pub fn new(title: impl Into<String>, items: Vec<(String, String, T)>) -> Picker<T> {
        let mut p = Picker {
            title: title.into(),
            input: String::new(),
            items,
            shown: vec![],
            selected: 0,
            waiting: false,
            groups: vec![],
            group_of: vec![],
            also: vec![],
        };
        p.narrow();
        p
    }

    /// The items are found by these words too (`also[i]` for item `i`), not shown.
    pub fn with_also(mut self, also: Vec<String>) -> Picker<T> {
        self.also = also;
        self.narrow();
        self
    }

    /// The items fall in groups shown one after the other under their headings, in the
    /// order of `groups`: `group_of[i]` is the group of item `i`. Typing narrows every
    /// group, and the matches of the first still come first.
    pub fn with_groups(mut self, groups: Vec<String>, group_of: Vec<usize>) -> Picker<T> {
        self.groups = groups;
        self.group_of = group_of;
        self.narrow();
        self
    }

    /// The group of an item (0 without groups).
    pub fn group(&self, item: usize) -> usize {
        self.group_of.get(item).copied().unwrap_or(0)
    }

    /// Select the first item shown that `is` says is the one (the current value of the
    /// field a chooser is for); the selection stays where it is when none is.
    pub fn select_where(&mut self, is: impl Fn(&T) -> bool) {
        if let Some(k) = self.shown.iter().position(|&i| is(&self.items[i].2)) {
            self.selected = k;
        }
    }

    pub fn narrow(&mut self) {
        if self.input.trim().is_empty() {
            let mut shown: Vec<usize> = (0..self.items.len()).collect();
            shown.sort_by_key(|&i| self.group(i));
            self.shown = shown;
        } else {
            let scorer = Scorer::new(&self.input);
            let mut scored: Vec<(i64, usize)> = self
                .items
                .iter()
                .enumerate()
                .filter_map(|(i, (label, detail, _))| {
                    let also = self.also.get(i).and_then(|a| scorer.score(a, ""));
                    scorer.score(label, detail).max(also).map(|s| (s, i))
                })
                .collect();
            scored.sort_by(|a, b| {
                self.group(a.1)
                    .cmp(&self.group(b.1))
                    .then(b.0.cmp(&a.0))
                    .then(a.1.cmp(&b.1))
            });
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
    /// Give these records this owner.
    Assign {
        owner: String,
        targets: crate::tui::screens::list::Targets,
    },
    /// Move these deals to the stage of this name.
    Stage {
        stage: String,
        targets: crate::tui::screens::list::Targets,
    },
    /// Put this text on the clipboard; what it is, for the status line.
    Copy {
        what: String,
        text: String,
    },
    /// Show the saved view of this name.
    View(String),
    /// Delete the saved view of this name (after a `y`).
    DeleteView(String),
    /// Put one of a field's fixed values in a form field (a chooser's choice).
    Value {
        field: usize,
        value: String,
    },
    /// Add a line of this product to the document in front (its quantity next).
    LineProduct {
        id: i64,
        name: String,
    },
    /// Give this case to this user.
    AssignCase {
        case: i64,
        user: String,
    },
    /// Close this case, asking a return visit or not.
    CloseCase {
        case: i64,
        survey: bool,
    },
    /// Render the quote in this format (its file next).
    RenderAs {
        quote: i64,
        format: String,
    },
}

pub(crate) fn hit_item(h: Hit) -> (String, String, Pick) {
    let kind = Entity::from_name(&h.kind).unwrap_or(Entity::Account);
    (
        h.name,
        format!("{} · {}", kind_name(kind), h.detail),
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
    // The rows: the items shown, each group's under its heading (when there are groups).
    let mut rows: Vec<(Option<usize>, Line)> = Vec::new();
    let mut group = None;
    for (i, &idx) in p.shown.iter().enumerate() {
        if !p.groups.is_empty() && group != Some(p.group(idx)) {
            group = Some(p.group(idx));
            let heading = p.groups.get(p.group(idx)).cloned().unwrap_or_default();
            rows.push((None, Line::from(Span::styled(heading, t.title()))));
        }
        let (label, detail, _) = &p.items[idx];
        let line = Line::from(vec![
            Span::raw(label.clone()),
            Span::styled(format!("  {detail}"), t.dim()),
        ]);
        let line = if i == p.selected {
            line.patch_style(t.selected())
        } else {
            line
        };
        rows.push((Some(i), line));
    }
    let h = list.height as usize;
    let at = rows
        .iter()
        .position(|(i, _)| *i == Some(p.selected))
        .unwrap_or(0);
    // The heading of the first group shows while its first item is selected.
    let top = if p.selected == 0 {
        0
    } else {
        at.saturating_sub(h.saturating_sub(1))
    };
    let lines: Vec<Line> = rows.into_iter().skip(top).take(h).map(|(_, l)| l).collect();
    let empty = lines.is_empty();
    f.render_widget(Paragraph::new(lines), list);
    if empty {
        let msg = if p.waiting {
            crate::tr!("tui.search.reading")
        } else if p.input.is_empty() {
            crate::tr!("tui.picker.type_to_search")
        } else {
            crate::tr!("tui.picker.no_match")
        };
        f.render_widget(Paragraph::new(Span::styled(msg, t.dim())), list);
    }
}

/// The records the finder ranks: read on a second connection on another thread as soon
/// as the finder opens (650,000 records take a few hundred milliseconds to read), then
/// ranked on that thread at each key, without reading the database again, while the
/// interface goes on drawing what is typed; kept when the finder closes, for the next one,
/// while nothing is written (the app reads them again when the data has changed).
#[derive(Default)]
pub enum FinderNames {
    /// No records read (or a database in memory's, read on the first key).
    #[default]
    Closed,
    Ranking(Ranker),
    /// Read and ranked here (a database in memory).
    Ready(Box<Finder>),
}

/// The finder's thread: it reads the records, then ranks each query it is sent (the
/// newest of those waiting: a query typed over is skipped) and sends back the best.
pub struct Ranker {
    pub(crate) ask: std::sync::mpsc::Sender<String>,
    pub(crate) answers: std::sync::mpsc::Receiver<Answer>,
    /// The query sent last, until its answer comes.
    pub(crate) asked: Option<String>,
    /// Whether the records are read.
    pub(crate) read: bool,
}

pub(crate) enum Answer {
    Read,
    Ranked(String, Vec<Hit>),
    Failed,
}

impl Ranker {
    pub(crate) fn start(reading: std::thread::JoinHandle<Result<Finder>>) -> Ranker {
        let (ask, queries) = std::sync::mpsc::channel::<String>();
        let (tell, answers) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // Ranking 650,000 records takes a core for a tenth of a second at a letter
            // that matches most of them; at the lowest priority it takes what the screen
            // in front leaves (the finder closed, another screen opened), as the reading
            // threads do.
            crate::core::threads::run_in_background();
            let Some(mut finder) = reading.join().ok().and_then(Result::ok) else {
                let _ = tell.send(Answer::Failed);
                return;
            };
            if tell.send(Answer::Read).is_err() {
                return;
            }
            // Ends when the interface lets the finder go (its end of the channel drops).
            while let Ok(mut query) = queries.recv() {
                while let Ok(newer) = queries.try_recv() {
                    query = newer;
                }
                let best = finder.top(&query, FOUND);
                if tell.send(Answer::Ranked(query, best)).is_err() {
                    return;
                }
            }
        });
        Ranker {
            ask,
            answers,
            asked: None,
            read: false,
        }
    }

    pub(crate) fn ask(&mut self, query: &str) {
        if self.ask.send(query.to_string()).is_ok() {
            self.asked = Some(query.to_string());
        }
    }

    pub(crate) fn busy(&self) -> bool {
        !self.read || self.asked.is_some()
    }
}

/// How many records the finder shows.
const FOUND: usize = 50;

/// The finder's items for what is typed (none for nothing): the best [`FOUND`], as
/// `kith search` ranks them.
pub fn find_items(finder: &mut Finder, text: &str) -> Vec<(String, String, Pick)> {
    finder.top(text, FOUND).into_iter().map(hit_item).collect()
}
