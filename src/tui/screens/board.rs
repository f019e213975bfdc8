//! The pipeline board: one column per stage, deals as cards, moved with > < W L.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use crate::app::crm::{by, list_query, Crm};
use crate::core::error::Result;
use crate::domain::sales::pipelines::{Board as PipelineBoard, BoardStage};
use crate::model::record::Record;
use crate::model::Entity;
use crate::tui::keymap::{Action, Keymap};
use crate::tui::screens::today::count_text;
use crate::tui::view::cell;
use crate::tui::view::{amount, ellipsis, Theme};

pub struct Board {
    pub boards: Vec<PipelineBoard>,
    pub current: usize,
    pub columns: Vec<Vec<Record>>,
    /// How many deals each column stands for: an open stage's open deals (its column
    /// shows the 200 largest), a closed stage's deals (its column shows the 50 most
    /// recent), counted from an index.
    pub counts: Vec<usize>,
    pub col: usize,
    pub row: usize,
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
            // More cards than a column shows, not every deal: 500 were read for each
            // open stage before, half the board's time on the large dataset.
            let (sort, limit) = if s.outcome == "open" {
                ("-amount", 200)
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
                format!(" {}", crate::tr!("tui.board.title", name = p.shown_name())),
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
            stage.shown_name(),
            count_text(b.counts.get(c).copied().unwrap_or(deals.len()))
        );
        let foot = if stage.outcome == "open" {
            format!(" {} ", stage.amount.shown())
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
