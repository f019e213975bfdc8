//! The pipeline board: one column per stage, deals as cards, moved with > < W L.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use crate::app::crm::{by, list_query, Crm};
use crate::core::error::{Error, Result};
use crate::domain::sales::deals::{Move, Step};
use crate::domain::sales::pipelines::{Board as PipelineBoard, BoardStage};
use crate::model::record::Record;
use crate::model::Entity;
use crate::tui::app::Pending;
use crate::tui::app::{cell, App, Popup, Screen};
use crate::tui::keymap::{Action, Keymap};
use crate::tui::screens::today::count_text;
use crate::tui::view::{amount, ellipsis, Theme};

pub struct Board {
    pub boards: Vec<PipelineBoard>,
    pub current: usize,
    pub columns: Vec<Vec<Record>>,
    /// How many deals each column stands for: an open stage's open deals, a closed
    /// stage's deals (its column shows the 50 most recent), counted from an index.
    pub counts: Vec<usize>,
    pub col: usize,
    pub row: usize,
}

impl App {
    pub(crate) fn follow_deal_on_board(&mut self, id: i64) {
        if let Screen::Board(b) = self.screen_mut() {
            for (c, col) in b.columns.iter().enumerate() {
                if let Some(r) = col.iter().position(|d| d.id() == id) {
                    b.col = c;
                    b.row = r;
                }
            }
        }
    }
}

pub fn load_board(crm: &Crm, b: &mut Board) -> Result<()> {
    b.boards = crm.boards()?;
    if b.boards.is_empty() {
        b.columns.clear();
        b.counts.clear();
        return Ok(());
    }
    if b.current >= b.boards.len() {
        b.current = b.boards.iter().position(|x| x.is_default).unwrap_or(0);
    }
    let stages: Vec<BoardStage> = b.boards[b.current].stages.clone();
    b.columns = stages
        .iter()
        .map(|s| {
            let (sort, limit) = if s.outcome == "open" {
                ("-amount", 500)
            } else {
                ("-closed_at", 50)
            };
            crm.list(
                Entity::Deal,
                &list_query(vec![by("stage", s.id)], sort, Some(limit)),
            )
        })
        .collect::<Result<_>>()?;
    b.counts = stages
        .iter()
        .zip(&b.columns)
        .map(|(s, deals)| {
            if s.outcome == "open" {
                Ok(s.count as usize)
            } else if deals.len() < 50 {
                Ok(deals.len())
            } else {
                crm.count(Entity::Deal, &list_query(vec![by("stage", s.id)], "", None))
            }
        })
        .collect::<Result<_>>()?;
    b.col = b.col.min(b.columns.len().saturating_sub(1));
    b.row = b.row.min(
        b.columns
            .get(b.col)
            .map(Vec::len)
            .unwrap_or(0)
            .saturating_sub(1),
    );
    Ok(())
}

pub fn draw_board(f: &mut Frame, b: &Board, t: Theme, area: Rect, keys: &Keymap) {
    let Some(p) = b.boards.get(b.current) else {
        f.render_widget(Paragraph::new(crate::tr!("tui.board.no_pipeline")), area);
        return;
    };
    let [head, cols_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let n = p.stages.len().max(1);
    // Show as many columns as fit at 20 cells or more (a stage's name and count), keeping
    // the selected one in view.
    let fit = ((cols_area.width / 20) as usize).clamp(1, n);
    let first = if b.col >= fit { b.col + 1 - fit } else { 0 };
    let shown_range = if fit < n {
        format!(
            "  {}",
            crate::tr!(
                "tui.board.stages_shown",
                first = first + 1,
                last = first + fit,
                n = n,
                left = keys.first_key(Action::Left),
                right = keys.first_key(Action::Right)
            )
        )
    } else {
        String::new()
    };
    let more = if b.boards.len() > 1 {
        format!(
            "  {}",
            crate::tr!(
                "tui.board.keys_pipeline",
                key = keys.first_key(Action::NextPipeline)
            )
        )
    } else {
        String::new()
    };
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!(" {}", crate::tr!("tui.board.title", name = p.name)),
                t.title(),
            ),
            Span::styled(shown_range, t.accent()),
            Span::styled(
                format!(
                    "   {}{more}",
                    crate::tr!(
                        "tui.board.keys",
                        next = keys.first_key(Action::NextStage),
                        previous = keys.first_key(Action::PrevStage),
                        won = keys.first_key(Action::Won),
                        lost = keys.first_key(Action::Lost)
                    )
                ),
                t.dim(),
            ),
        ])),
        head,
    );
    let areas = Layout::horizontal(vec![Constraint::Ratio(1, fit as u32); fit]).split(cols_area);
    for (slot, area) in areas.iter().enumerate() {
        let c = first + slot;
        let (Some(stage), Some(deals)) = (p.stages.get(c), b.columns.get(c)) else {
            continue;
        };
        let title = format!(
            " {} {} ",
            stage.name,
            count_text(b.counts.get(c).copied().unwrap_or(deals.len()))
        );
        let foot = if stage.outcome == "open" {
            format!(" {} ", stage.amount.text())
        } else {
            format!(" {} ", crate::tr!("tui.board.recent"))
        };
        let style = if c == b.col {
            t.accent()
        } else {
            Style::default()
        };
        let block = Block::bordered()
            .border_style(style)
            .title(Span::styled(
                title,
                // Reversed as well, so the column stands out without colour.
                if c == b.col {
                    t.accent().add_modifier(Modifier::REVERSED)
                } else {
                    t.title()
                },
            ))
            .title_bottom(Span::styled(foot, t.dim()));
        let inner = block.inner(*area);
        f.render_widget(block, *area);
        let per = 2usize;
        let visible = (inner.height as usize / per).max(1);
        let top = if c == b.col && b.row >= visible {
            b.row + 1 - visible
        } else {
            0
        };
        let mut lines = Vec::new();
        for (i, d) in deals.iter().enumerate().skip(top).take(visible) {
            let sel = c == b.col && i == b.row;
            let st = if sel { t.selected() } else { Style::default() };
            // A card's lines end in … when the column is too narrow for them.
            let room = inner.width as usize;
            lines.push(Line::from(Span::styled(
                ellipsis(d.label(), room),
                st.add_modifier(Modifier::BOLD),
            )));
            lines.push(Line::from(Span::styled(
                ellipsis(
                    &format!(
                        "{} {} · {}",
                        amount(d, "amount"),
                        cell(d, "currency"),
                        cell(d, "account")
                    ),
                    room,
                ),
                if sel { st } else { t.dim() },
            )));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
}

impl Board {
    /// An empty board, read by the first reload.
    pub fn new() -> Board {
        Board {
            boards: vec![],
            current: 0,
            columns: vec![],
            counts: vec![],
            col: 0,
            row: 0,
        }
    }

    /// The deal under the cursor.
    pub fn selected(&self) -> Option<(Entity, i64)> {
        self.columns
            .get(self.col)
            .and_then(|c| c.get(self.row))
            .map(|r| (Entity::Deal, r.id()))
    }
}

impl Default for Board {
    fn default() -> Board {
        Board::new()
    }
}

impl App {
    /// The board's own keys: move between columns, show the next pipeline.
    pub(crate) fn board_key(&mut self, action: Action) -> Result<()> {
        let Screen::Board(b) = self.screen_mut() else {
            return Ok(());
        };
        match action {
            Action::Left | Action::Right => {
                let n = b.columns.len();
                if n > 0 {
                    b.col = if action == Action::Left {
                        b.col.saturating_sub(1)
                    } else {
                        (b.col + 1).min(n - 1)
                    };
                    b.row = b.row.min(b.columns[b.col].len().saturating_sub(1));
                }
            }
            Action::NextPipeline => {
                if !b.boards.is_empty() {
                    b.current = (b.current + 1) % b.boards.len();
                    b.col = 0;
                    b.row = 0;
                }
                self.reload_top()?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Move or close the selected deal (on the board, in a deal's detail, in a list of
    /// deals): the library does the moving.
    pub(crate) fn deal_key(&mut self, action: Action) -> Result<()> {
        let id = self.selected_deal()?;
        match action {
            Action::NextStage | Action::PrevStage => {
                let way = if action == Action::NextStage {
                    Step::Next
                } else {
                    Step::Previous
                };
                let Some(to) = self.crm.step_deal(id, way)? else {
                    return Err(Error::invalid(if way == Step::Next {
                        crate::tr!(
                            "tui.board.no_next_stage",
                            won = self.keymap.first_key(Action::Won),
                            lost = self.keymap.first_key(Action::Lost)
                        )
                    } else {
                        crate::tr!("tui.board.at_first_stage").to_string()
                    }));
                };
                self.ok(crate::tr!(
                    "tui.status.deal_moved",
                    id = id,
                    stage = to.label()
                ));
                self.reload_all()?;
                self.follow_deal_on_board(id);
            }
            Action::Won => {
                self.crm.close_deal(
                    id,
                    "won",
                    &Move {
                        probability: None,
                        reason: None,
                    },
                )?;
                self.ok(crate::tr!("tui.status.deal_won", id = id));
                self.reload_all()?;
            }
            Action::Lost => {
                self.popup = Some(Popup::Prompt {
                    title: crate::tr!("tui.prompt.why_lost", id = id),
                    input: Default::default(),
                    then: Pending::Lost(id),
                    error: None,
                });
            }
            _ => {}
        }
        Ok(())
    }

    /// Close a deal as lost, with the reason the prompt asked for.
    pub(crate) fn lose_deal(&mut self, id: i64, reason: String) -> Result<()> {
        if reason.trim().is_empty() {
            return Err(Error::invalid(crate::tr!("tui.status.lost_needs_reason")));
        }
        self.crm.close_deal(
            id,
            "lost",
            &Move {
                probability: None,
                reason: Some(reason),
            },
        )?;
        self.ok(crate::tr!("tui.status.deal_lost", id = id));
        self.reload_all()
    }
}
