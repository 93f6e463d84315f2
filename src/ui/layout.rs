//! Which panes fit, and where. Every threshold is named here:
//!
//! - **wide** (at least [`WIDE_MIN`]): all three panes;
//! - **medium** (at least [`MEDIUM_MIN_WIDTH`] columns): Runs beside Transcript, the Board on
//!   its own screen;
//! - **portrait** (narrower than [`MEDIUM_MIN_WIDTH`], at least [`PORTRAIT_MIN_HEIGHT`] rows: a
//!   tmux split beside the agents): Runs on top, sized to its rows, with the Board or the
//!   Transcript below it;
//! - **narrow**: one pane at a time;
//! - below [`MIN_SIZE`] the terminal is too small.
//!
//! Portrait follows lazygit's portrait mode (side panels stacked above the main view when the
//! window is narrow and tall; lazygit switches at ≤ 84 columns and > 45 rows). Ours switches
//! wider and lower: below 100 columns two panes never fit side by side, and since the top pane
//! is only as tall as its runs, 36 rows already leave the lower pane more than 20.

pub use crate::present::scroll::window_start;

use crate::app::model::{Model, Pane};
use ratatui::layout::{Constraint, Layout, Rect};

/// The smallest usable terminal.
pub const MIN_SIZE: (u16, u16) = (60, 15);
/// From this size up, all three panes show at once.
pub const WIDE_MIN: (u16, u16) = (160, 40);
/// From this width up, Runs and Transcript sit side by side.
pub const MEDIUM_MIN_WIDTH: u16 = 100;
/// Narrower than [`MEDIUM_MIN_WIDTH`] and at least this tall: panes stack (portrait).
pub const PORTRAIT_MIN_HEIGHT: u16 = 36;
/// In portrait, Runs never takes less than this many rows (borders included)…
pub const PORTRAIT_RUNS_MIN: u16 = 6;
/// …nor more than this share of the rows between header and status line (in percent).
pub const PORTRAIT_RUNS_MAX_PERCENT: u16 = 40;

/// How the screen is laid out at a size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayoutMode {
    /// Below 60×15.
    TooSmall,
    /// One pane at a time.
    Narrow,
    /// Runs on top, Board or Transcript below (a tall, narrow pane).
    Portrait,
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
        } else if width >= WIDE_MIN.0 && height >= WIDE_MIN.1 {
            LayoutMode::Wide
        } else if width >= MEDIUM_MIN_WIDTH {
            LayoutMode::Medium
        } else if height >= PORTRAIT_MIN_HEIGHT {
            LayoutMode::Portrait
        } else {
            LayoutMode::Narrow
        }
    }
}

/// What the arrangement depends on besides the size: the focused pane, the pane shown with
/// Runs when only two fit, and how many rows Runs would like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrange {
    /// The focused pane.
    pub focus: Pane,
    /// Transcript or Board: the one shown below Runs in portrait while Runs has the focus.
    pub partner: Pane,
    /// Rows the Runs pane wants, borders included.
    pub runs_rows: u16,
}

impl Arrange {
    /// The arrangement the model asks for.
    #[must_use]
    pub fn of(model: &Model) -> Arrange {
        let listed = u16::try_from(model.runs.visible_len()).unwrap_or(u16::MAX);
        let problems = u16::from(!model.runs.problems().is_empty());
        // Borders, the column header, the rows (at least two, for the empty message), and one
        // row for the selected run's attention reason, kept so the pane does not jump.
        let runs_rows = 2 + 1 + listed.max(2).saturating_add(1 + problems);
        Arrange {
            focus: model.focus,
            partner: model.partner,
            runs_rows,
        }
    }

    /// The same arrangement with `focus` focused.
    #[must_use]
    pub fn focused(self, focus: Pane) -> Arrange {
        Arrange { focus, ..self }
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

    fn set(&mut self, pane: Pane, rect: Rect) {
        match pane {
            Pane::Runs => self.runs = Some(rect),
            Pane::Transcript => self.transcript = Some(rect),
            Pane::Board => self.board = Some(rect),
        }
    }
}

/// Lays out `area` as `arrange` asks.
#[must_use]
pub fn areas(area: Rect, arrange: Arrange) -> Areas {
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
    let focus = arrange.focus;
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
        LayoutMode::Portrait => {
            let most = body.height * PORTRAIT_RUNS_MAX_PERCENT / 100;
            let height = arrange
                .runs_rows
                .min(most)
                .max(PORTRAIT_RUNS_MIN)
                .min(body.height);
            let [runs, below] = body.layout(&Layout::vertical([
                Constraint::Length(height),
                Constraint::Fill(1),
            ]));
            out.runs = Some(runs);
            let lower = match (focus, arrange.partner) {
                (Pane::Runs, Pane::Runs) => Pane::Board,
                (Pane::Runs, partner) => partner,
                (focus, _) => focus,
            };
            out.set(lower, below);
        }
        LayoutMode::Narrow => out.set(focus, body),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrange(focus: Pane, partner: Pane, runs_rows: u16) -> Arrange {
        Arrange {
            focus,
            partner,
            runs_rows,
        }
    }

    #[test]
    fn window_keeps_the_selection_visible() {
        assert_eq!(window_start(0, 3, 10, 50), 0);
        assert_eq!(window_start(0, 12, 10, 50), 3);
        assert_eq!(window_start(20, 5, 10, 50), 5);
        assert_eq!(window_start(45, 49, 10, 50), 40);
        // Columns: three of six in view; moving left from the last keeps the window.
        assert_eq!(window_start(3, 4, 3, 6), 3);
        assert_eq!(window_start(3, 2, 3, 6), 2);
    }

    #[test]
    fn modes_by_size() {
        assert_eq!(LayoutMode::of(59, 40), LayoutMode::TooSmall);
        assert_eq!(LayoutMode::of(80, 14), LayoutMode::TooSmall);
        assert_eq!(LayoutMode::of(80, 24), LayoutMode::Narrow);
        assert_eq!(LayoutMode::of(90, 30), LayoutMode::Narrow);
        assert_eq!(LayoutMode::of(99, 35), LayoutMode::Narrow);
        assert_eq!(LayoutMode::of(64, 45), LayoutMode::Portrait);
        assert_eq!(LayoutMode::of(80, 50), LayoutMode::Portrait);
        assert_eq!(LayoutMode::of(99, 36), LayoutMode::Portrait);
        assert_eq!(LayoutMode::of(100, 60), LayoutMode::Medium);
        assert_eq!(LayoutMode::of(120, 30), LayoutMode::Medium);
        assert_eq!(LayoutMode::of(200, 39), LayoutMode::Medium);
        assert_eq!(LayoutMode::of(160, 40), LayoutMode::Wide);
        let all = arrange(Pane::Runs, Pane::Board, 10);
        let wide = areas(Rect::new(0, 0, 200, 50), all);
        assert!(wide.runs.is_some() && wide.transcript.is_some() && wide.board.is_some());
        let medium = areas(Rect::new(0, 0, 120, 30), all.focused(Pane::Board));
        assert!(medium.board.is_some() && medium.runs.is_none());
        let narrow = areas(Rect::new(0, 0, 80, 24), all.focused(Pane::Transcript));
        assert_eq!(narrow.transcript, Some(Rect::new(0, 1, 80, 21)));
    }

    #[test]
    fn portrait_stacks_runs_sized_to_its_rows_above_the_partner() {
        let screen = Rect::new(0, 0, 64, 45);
        // Ten rows wanted: Runs takes exactly that, the Board the rest.
        let a = areas(screen, arrange(Pane::Runs, Pane::Board, 10));
        assert_eq!(a.runs, Some(Rect::new(0, 1, 64, 10)));
        assert_eq!(a.board, Some(Rect::new(0, 11, 64, 32)));
        assert_eq!(a.transcript, None);
        // With Runs focused the partner stays below; focusing the other pane swaps it in.
        let a = areas(screen, arrange(Pane::Runs, Pane::Transcript, 10));
        assert!(a.transcript.is_some() && a.board.is_none());
        let a = areas(screen, arrange(Pane::Board, Pane::Transcript, 10));
        assert!(a.board.is_some() && a.transcript.is_none() && a.runs.is_some());
        // Many runs: Runs is capped at 40 % of the 42 body rows; few: at least 6.
        let a = areas(screen, arrange(Pane::Runs, Pane::Board, 200));
        assert_eq!(a.runs.map(|r| r.height), Some(16));
        let a = areas(screen, arrange(Pane::Runs, Pane::Board, 2));
        assert_eq!(a.runs.map(|r| r.height), Some(PORTRAIT_RUNS_MIN));
    }
}
