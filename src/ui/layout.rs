//! Which panes fit: wide (at least 160×40) shows all three; medium (at least 100 columns)
//! shows Runs beside Transcript with Board on its own screen; narrow shows one pane at a time;
//! below 60×15 the terminal is too small.

use crate::app::model::Pane;
use ratatui::layout::{Constraint, Layout, Rect};

/// The smallest usable terminal.
pub const MIN_SIZE: (u16, u16) = (60, 15);

/// How the screen is laid out at a size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayoutMode {
    /// Below 60×15.
    TooSmall,
    /// One pane at a time.
    Narrow,
    /// Runs | Transcript, Board on its own screen.
    Medium,
    /// All three panes.
    Wide,
}

impl LayoutMode {
    /// The mode for a terminal of `width`×`height`.
    #[must_use]
    pub fn of(width: u16, height: u16) -> LayoutMode {
        if width < MIN_SIZE.0 || height < MIN_SIZE.1 {
            LayoutMode::TooSmall
        } else if width >= 160 && height >= 40 {
            LayoutMode::Wide
        } else if width >= 100 {
            LayoutMode::Medium
        } else {
            LayoutMode::Narrow
        }
    }
}

/// Where everything goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// The header row.
    pub header: Rect,
    /// The Runs pane, if shown.
    pub runs: Option<Rect>,
    /// The Transcript pane, if shown.
    pub transcript: Option<Rect>,
    /// The Board pane, if shown.
    pub board: Option<Rect>,
    /// The status line.
    pub status: Rect,
    /// The key hints.
    pub footer: Rect,
}

impl Areas {
    /// The rectangle of `pane`, if shown.
    #[must_use]
    pub fn of(&self, pane: Pane) -> Option<Rect> {
        match pane {
            Pane::Runs => self.runs,
            Pane::Transcript => self.transcript,
            Pane::Board => self.board,
        }
    }
}

/// Lays out `area` with `focus` as the focused pane.
#[must_use]
pub fn areas(area: Rect, focus: Pane) -> Areas {
    let [header, body, status, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    let mut out = Areas {
        header,
        runs: None,
        transcript: None,
        board: None,
        status,
        footer,
    };
    match LayoutMode::of(area.width, area.height) {
        LayoutMode::TooSmall => {}
        LayoutMode::Wide => {
            let [left, right] = body.layout(&Layout::horizontal([
                Constraint::Percentage(55),
                Constraint::Percentage(45),
            ]));
            let [runs, board] = left.layout(&Layout::vertical([
                Constraint::Percentage(42),
                Constraint::Percentage(58),
            ]));
            out.runs = Some(runs);
            out.board = Some(board);
            out.transcript = Some(right);
        }
        LayoutMode::Medium if focus == Pane::Board => out.board = Some(body),
        LayoutMode::Medium => {
            let [runs, transcript] = body.layout(&Layout::horizontal([
                Constraint::Percentage(45),
                Constraint::Percentage(55),
            ]));
            out.runs = Some(runs);
            out.transcript = Some(transcript);
        }
        LayoutMode::Narrow => match focus {
            Pane::Runs => out.runs = Some(body),
            Pane::Transcript => out.transcript = Some(body),
            Pane::Board => out.board = Some(body),
        },
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_by_size() {
        assert_eq!(LayoutMode::of(59, 40), LayoutMode::TooSmall);
        assert_eq!(LayoutMode::of(80, 14), LayoutMode::TooSmall);
        assert_eq!(LayoutMode::of(80, 24), LayoutMode::Narrow);
        assert_eq!(LayoutMode::of(120, 30), LayoutMode::Medium);
        assert_eq!(LayoutMode::of(200, 39), LayoutMode::Medium);
        assert_eq!(LayoutMode::of(160, 40), LayoutMode::Wide);
        let wide = areas(Rect::new(0, 0, 200, 50), Pane::Runs);
        assert!(wide.runs.is_some() && wide.transcript.is_some() && wide.board.is_some());
        let medium = areas(Rect::new(0, 0, 120, 30), Pane::Board);
        assert!(medium.board.is_some() && medium.runs.is_none());
        let narrow = areas(Rect::new(0, 0, 80, 24), Pane::Transcript);
        assert_eq!(narrow.transcript, Some(Rect::new(0, 1, 80, 21)));
    }
}
