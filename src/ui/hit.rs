//! What is at a screen cell: a pane tab, a run, a board column or card, or just a pane. A pure
//! function of the model, the screen and `now`, computed with the very functions the views
//! draw with, so a click lands on what the eye sees there (the event loop turns it into an
//! action).

use super::layout::{Arrange, LayoutMode, areas};
use super::{Theme, board, header, runs};
use crate::app::model::{Model, Pane};
use chrono::{DateTime, Utc};
use ratatui::layout::{Position, Rect};

/// Something on screen a pointer can be on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A pane tab in the header (`1 Runs`, `2 Transcript`, `3 Board`).
    Tab(Pane),
    /// A run row: its index among the runs shown (as `RunsPane::visible` lists them).
    Run(usize),
    /// A board column: its header, rule or empty space, or the `◂ N more` / `N more ▸`
    /// marker (then the nearest hidden column).
    Column(usize),
    /// A card: its column and its row within the column.
    Card {
        /// The column.
        column: usize,
        /// The card's row in it.
        row: usize,
    },
    /// Anywhere else inside a pane (its border included): the wheel scrolls it.
    Pane(Pane),
}

/// What is at `(x, y)` on a screen `area`, drawn at `now`; `None` outside every pane and tab,
/// and while a dialog or overlay is on top.
#[must_use]
pub fn hit(model: &Model, area: Rect, x: u16, y: u16, now: DateTime<Utc>) -> Option<Target> {
    let at = Position { x, y };
    if model.overlay.is_some()
        || !area.contains(at)
        || LayoutMode::of(area.width, area.height) == LayoutMode::TooSmall
    {
        return None;
    }
    let shown = areas(area, Arrange::of(model));
    if shown.header.contains(at) {
        let waiting = model.observer.attention_count();
        return header::tabs(model, shown.header, waiting, now)
            .into_iter()
            .find(|(_, r)| r.contains(at))
            .map(|(pane, _)| Target::Tab(pane));
    }
    if let Some(pane) = shown.runs.filter(|r| r.contains(at)) {
        let (rows, start) = runs::rows(model, pane, now);
        let index = start + usize::from(y.saturating_sub(rows.y));
        if rows.contains(at) && index < model.runs.visible_len() {
            return Some(Target::Run(index));
        }
        return Some(Target::Pane(Pane::Runs));
    }
    if let Some(pane) = shown.board.filter(|r| r.contains(at)) {
        return Some(on_board(model, pane, at, now).unwrap_or(Target::Pane(Pane::Board)));
    }
    shown
        .transcript
        .filter(|r| r.contains(at))
        .map(|_| Target::Pane(Pane::Transcript))
}

fn on_board(model: &Model, pane: Rect, at: Position, now: DateTime<Utc>) -> Option<Target> {
    let grid = board::columns_area(model, pane)?;
    if let Some(strip) = grid.strip.filter(|s| s.contains(at)) {
        let (left, right) = grid.hidden();
        let middle = strip.x + strip.width / 2;
        return if left > 0 && at.x < middle {
            Some(Target::Column(grid.first - 1))
        } else if right > 0 && at.x >= middle {
            Some(Target::Column(grid.first + grid.shown.len()))
        } else {
            None
        };
    }
    let (index, rect) = grid.shown.iter().find(|(_, r)| r.contains(at))?;
    let columns = model.board.columns();
    let column = columns.get(*index)?;
    let selected = (*index == model.board.column)
        .then(|| model.board.selected_row())
        .flatten();
    let placed = board::geometry::stack(model, &Theme::default(), column, *rect, selected, now);
    let card = placed.cards.iter().find(|(_, top, lines)| {
        let rows = u16::try_from(lines.len()).unwrap_or(u16::MAX);
        at.y >= *top && at.y < top.saturating_add(rows)
    });
    Some(match card {
        Some((row, _, _)) => Target::Card {
            column: *index,
            row: *row,
        },
        None => Target::Column(*index),
    })
}
