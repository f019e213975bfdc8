//! Pickers: the command palette (every action and every screen), the finder (any record
//! by name), and the choosers of forms and sorting.

use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::app::search::{Finder, Hit, Scorer};
use crate::core::error::{Error, Result};
use crate::model::query::SortKey;
use crate::model::Entity;
use crate::tui::app::{App, Popup, Screen};
use crate::tui::keymap::{Action, Context, Key};
use crate::tui::screens::{place_of, Group};
use crate::tui::view::{centered, clear, kind_name, pad, Theme};

/// A list to choose from, narrowed by fuzzy typing.
pub struct Picker<T> {
    pub title: String,
    pub input: String,
    pub items: Vec<(String, String, T)>,
    pub shown: Vec<usize>,
    pub selected: usize,
    /// The items are still being read (the finder, just opened).
    pub waiting: bool,
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
                    f.value = label.into();
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

impl App {
    /// The command palette: every action the palette offers, with its keys.
    pub(crate) fn open_palette(&mut self) {
        let items = Action::all()
            .into_iter()
            .filter(|a| a.in_palette())
            .map(|a| {
                let keys = self.keymap.keys_for(a);
                // A screen says which group it is in.
                let detail = match a {
                    Action::Go(view) => match place_of(view) {
                        Some(p) => format!("{} · {keys}", p.group.name()),
                        None => keys,
                    },
                    _ => keys,
                };
                (a.label().to_string(), detail, Pick::Run(a))
            })
            .collect();
        self.popup = Some(Popup::Palette(Picker::new(
            crate::tr!("tui.picker.command"),
            items,
        )));
    }

    /// The key after the go-to key: a screen's letter shows it; esc (or the go-to key
    /// again) closes the hint; any other key closes it and says so.
    pub(crate) fn goto_key(&mut self, key: Key) -> Result<()> {
        self.popup = None;
        match self.keymap.action(key, Context::GoTo) {
            Some(Action::Go(view)) => self.go(view),
            _ if key.code == KeyCode::Esc
                || self.keymap.action(key, Context::Global) == Some(Action::GoTo) =>
            {
                Ok(())
            }
            _ => Err(Error::invalid(crate::tr!("tui.goto.no_screen", key = key))),
        }
    }

    /// The finder: any record by name, searched as you type. The records it ranks are
    /// read, and ranked, on another thread (see [`FinderNames`]).
    pub(crate) fn open_finder(&mut self) {
        self.popup = Some(Popup::Finder(Picker::new(
            crate::tr!("tui.picker.find"),
            vec![],
        )));
        self.finder = match self.crm.finder_ahead() {
            Some(reading) => FinderNames::Ranking(Ranker::start(reading)),
            // A database in memory has no second connection: read here, on the first key.
            None => FinderNames::Closed,
        };
        let reading = self.finder_reading();
        if let Some(Popup::Finder(p)) = &mut self.popup {
            p.waiting = reading;
        }
    }

    /// Whether the finder waits for its records or for the ranking of what was typed
    /// (the event loop then looks again soon instead of waiting for a key).
    pub fn finder_reading(&self) -> bool {
        matches!(&self.finder, FinderNames::Ranking(r) if r.busy())
    }

    /// Rank the finder's records for what is typed: handed to the ranking thread, whose
    /// answer [`App::tick`] shows; the input shows at once and the last answer stays
    /// until the new one comes. A database in memory is ranked here.
    pub(crate) fn refind(&mut self) -> Result<()> {
        let Some(Popup::Finder(p)) = &mut self.popup else {
            return Ok(());
        };
        if let FinderNames::Ranking(r) = &mut self.finder {
            if p.input.trim().is_empty() {
                r.asked = None;
                p.items.clear();
                p.shown.clear();
                p.selected = 0;
            } else {
                r.ask(&p.input);
            }
            p.waiting = !r.read;
            return Ok(());
        }
        p.waiting = false;
        if p.input.trim().is_empty() {
            p.items.clear();
            p.shown.clear();
            p.selected = 0;
            return Ok(());
        }
        if let FinderNames::Closed = self.finder {
            self.finder = FinderNames::Ready(Box::new(self.crm.finder()?));
        }
        let FinderNames::Ready(finder) = &mut self.finder else {
            return Ok(());
        };
        p.items = find_items(finder, &p.input);
        p.shown = (0..p.items.len()).collect();
        p.selected = 0;
        Ok(())
    }

    /// At a tick: the ranking thread's answers, the last shown. A read that failed is
    /// done again here, and fails with its error.
    pub(crate) fn finder_answers(&mut self) -> Result<()> {
        let FinderNames::Ranking(r) = &mut self.finder else {
            return Ok(());
        };
        let mut last = None;
        let mut failed = false;
        while let Ok(answer) = r.answers.try_recv() {
            match answer {
                Answer::Read => r.read = true,
                Answer::Ranked(query, items) => {
                    r.read = true;
                    if r.asked.as_deref() == Some(query.as_str()) {
                        r.asked = None;
                    }
                    last = Some((query, items));
                }
                Answer::Failed => failed = true,
            }
        }
        let Some(Popup::Finder(p)) = &mut self.popup else {
            return Ok(());
        };
        if failed {
            self.finder = FinderNames::Closed;
            return self.refind();
        }
        p.waiting = !r.read;
        if let Some((query, items)) = last {
            // An answer to what is no longer typed (the box emptied since) is let go.
            if !p.input.trim().is_empty() && (query == p.input || r.asked.is_some()) {
                let keep = p.chosen().cloned();
                p.items = items.into_iter().map(hit_item).collect();
                p.shown = (0..p.items.len()).collect();
                p.selected = if query == p.input {
                    0
                } else {
                    keep.and_then(|k| p.items.iter().position(|i| i.2 == k))
                        .unwrap_or(0)
                };
            }
        }
        Ok(())
    }

    /// After a key: once the finder is closed, its records are let go.
    pub(crate) fn forget_finder(&mut self) {
        if !matches!(self.popup, Some(Popup::Finder(_)))
            && !matches!(self.finder, FinderNames::Closed)
        {
            self.finder = FinderNames::Closed;
        }
    }
}

/// The records the finder ranks: read on a second connection on another thread as soon
/// as the finder opens (650,000 records take a few hundred milliseconds to read), then
/// ranked on that thread at each key, without reading the database again, while the
/// interface goes on drawing what is typed; let go when the finder closes, so the next
/// one sees what changed.
#[derive(Default)]
pub enum FinderNames {
    /// No finder open (or one over a database in memory, read on the first key).
    #[default]
    Closed,
    Ranking(Ranker),
    /// Read and ranked here (a database in memory).
    Ready(Box<Finder>),
}

/// The finder's thread: it reads the records, then ranks each query it is sent (the
/// newest of those waiting: a query typed over is skipped) and sends back the best.
pub struct Ranker {
    ask: std::sync::mpsc::Sender<String>,
    answers: std::sync::mpsc::Receiver<Answer>,
    /// The query sent last, until its answer comes.
    asked: Option<String>,
    /// Whether the records are read.
    read: bool,
}

enum Answer {
    Read,
    Ranked(String, Vec<Hit>),
    Failed,
}

impl Ranker {
    fn start(reading: std::thread::JoinHandle<Result<Finder>>) -> Ranker {
        let (ask, queries) = std::sync::mpsc::channel::<String>();
        let (tell, answers) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
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

    fn ask(&mut self, query: &str) {
        if self.ask.send(query.to_string()).is_ok() {
            self.asked = Some(query.to_string());
        }
    }

    fn busy(&self) -> bool {
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

/// The go-to hint: at the foot of the screen, one line per group that has screens, each
/// screen with its letter.
pub fn draw_goto(f: &mut Frame, app: &App, t: Theme, body: Rect) {
    let letter = |view| {
        app.keymap
            .bindings
            .iter()
            .find(|b| b.context == Context::GoTo && b.action == Action::Go(view))
            .map(|b| b.key.to_string())
    };
    let groups: Vec<(Group, Vec<(String, &'static str)>)> = Group::ALL
        .into_iter()
        .map(|g| {
            let places = g
                .places()
                .filter_map(|p| letter(p.view).map(|k| (k, p.name())))
                .collect::<Vec<_>>();
            (g, places)
        })
        .filter(|(_, places)| !places.is_empty())
        .collect();
    let name_w = groups
        .iter()
        .map(|(g, _)| g.name().width())
        .max()
        .unwrap_or(0);
    // A group's screens go on as many lines as they need inside the border.
    let room = (body.width as usize).saturating_sub(2);
    let indent = name_w + 3;
    let mut lines: Vec<Line> = Vec::new();
    for (g, places) in &groups {
        let mut spans = vec![Span::styled(
            format!(" {}  ", pad(g.name(), name_w)),
            t.title(),
        )];
        let mut used = indent;
        for (k, name) in places {
            let w = k.width() + name.width() + 3;
            if used + w > room && used > indent {
                lines.push(Line::from(std::mem::take(&mut spans)));
                spans.push(Span::raw(" ".repeat(indent)));
                used = indent;
            }
            spans.push(Span::styled(k.clone(), t.accent()));
            spans.push(Span::raw(format!(" {name}  ")));
            used += w;
        }
        lines.push(Line::from(spans));
    }
    let h = (lines.len() as u16 + 2).min(body.height);
    let area = Rect {
        y: body.y + body.height - h,
        height: h,
        ..body
    };
    clear(f, area);
    let block = Block::bordered().title(Span::styled(
        format!(" {} ", crate::tr!("tui.goto.title")),
        t.title(),
    ));
    f.render_widget(Paragraph::new(lines).block(block), area);
}
