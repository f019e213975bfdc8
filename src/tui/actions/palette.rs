//! What the keys do on palette (the `impl App` half of `screens/palette.rs`, whose state
//! and drawing stay there, below the shell).

use crate::core::error::{Error, Result};
use crate::model::query::SortKey;
use crate::tui::app::{App, Popup, Screen};
use crate::tui::keymap::{Action, Context, Key};
use crate::tui::screens::palette::*;
use crate::tui::screens::{place_of, Group};
use crate::tui::view::{clear, pad, Theme};
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

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
            Pick::Copy { what, text } => {
                self.copy(&what, &text);
                Ok(())
            }
            p @ (Pick::Assign { .. } | Pick::Stage { .. }) => self.picked_for_targets(p),
            Pick::Value { field, value } => {
                if let Screen::Form(form) = self.screen_mut() {
                    let f = &mut form.fields[field];
                    if f.value != value.as_str() {
                        f.value.set(value);
                    }
                    f.picked = None;
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
            Pick::View(name) => self.open_view(&name),
            Pick::DeleteView(name) => {
                self.ask_delete_view(name);
                Ok(())
            }
            Pick::LineProduct { id, name } => {
                self.picked_product(id, name);
                Ok(())
            }
            Pick::RenderAs { quote, format } => self.ask_render_path(quote, format),
            Pick::AssignCase { case, user } => self.assign_case(case, user),
            Pick::CloseCase { case, survey } => self.close_case(case, survey),
        }
    }
}

impl App {
    /// The command palette: every action the palette offers, with its keys.
    pub(crate) fn open_palette(&mut self) {
        let actions: Vec<Action> = Action::all()
            .into_iter()
            .filter(|a| a.in_palette())
            .collect();
        // In another language an action is found by its English name too (`new deal`).
        let also: Vec<String> = if crate::core::text::language() == "en" {
            vec![]
        } else {
            actions
                .iter()
                .map(|a| a.english_label().to_string())
                .collect()
        };
        let mut items: Vec<(String, String, Pick)> = actions
            .into_iter()
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
        // Then each saved view, by name.
        items.extend(self.view_items());
        self.popup = Some(Popup::Palette(
            Picker::new(crate::tr!("tui.picker.command"), items).with_also(also),
        ));
    }

    /// The key after the go-to key: a screen's letter shows it; esc (or the go-to key
    /// again) closes the hint; any other key closes it and says so.
    pub(crate) fn goto_key(&mut self, key: Key) -> Result<()> {
        self.popup = None;
        match self.keymap.action(key, Context::GoTo) {
            Some(Action::Go(view)) => self.go(view),
            // `g g`: the top of what is shown, as in vim.
            Some(Action::Top) => self.act(Action::Top),
            _ if key.code == KeyCode::Esc => Ok(()),
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
        // The records read for the last finder serve again while nothing was written
        // since, here or by another program: reading 650,000 of them takes a second.
        let now = self.crm.moment().ok();
        let kept = now.is_some() && now == self.finder_read_at;
        match &mut self.finder {
            FinderNames::Ranking(r) if kept => r.asked = None,
            FinderNames::Ready(_) if kept => {}
            _ => {
                self.finder_read_at = now;
                self.finder = match self.crm.finder_ahead() {
                    Some(reading) => FinderNames::Ranking(Ranker::start(reading)),
                    // A database in memory has no second connection: read here, on the
                    // first key.
                    None => FinderNames::Closed,
                }
            }
        }
        let reading = self.finder_reading();
        if let Some(Popup::Finder(p)) = &mut self.popup {
            p.waiting = reading;
        }
    }

    /// Whether the finder waits for its records or for the ranking of what was typed
    /// (the event loop then looks again soon instead of waiting for a key).
    pub fn finder_reading(&self) -> bool {
        matches!(self.popup, Some(Popup::Finder(_)))
            && matches!(&self.finder, FinderNames::Ranking(r) if r.busy())
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
