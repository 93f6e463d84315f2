//! The layout in a tmux sidebar (tall, narrow panes: 64×45, 80×50, 90×30) with bead ids 11–14
//! characters long: snapshots, every id whole, every column reachable with `h`/`l` and the
//! mouse (through `ui::hit`), and the priorities that decide what a narrow pane keeps.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::act;
use beadboard::app::action::Action;
use beadboard::app::model::{Model, Pane};
use common::dash::{Home, now, screen};
use common::sidebar::SIDEBAR_IDS;
use insta::assert_snapshot;

fn sidebar(w: u16, h: u16) -> (Home, Model) {
    let home = Home::sidebar();
    let model = home.model_with(w, h, true, Some(home.beads()));
    (home, model)
}

fn press(model: &mut Model, actions: &[Action]) {
    for a in actions {
        act(model, *a, now());
    }
}

/// Walks the board from its first column to its last with `l`, and down each column with
/// `j`, collecting every screen.
fn walk_columns(model: &mut Model) -> Vec<String> {
    press(model, &[Action::ShowBoard]);
    for _ in 0..10 {
        press(model, &[Action::ColumnLeft]);
    }
    let mut screens = vec![screen(model)];
    for _ in 0..model.board.columns().len() {
        for _ in 0..3 {
            press(model, &[Action::Down]);
            screens.push(screen(model));
        }
        press(model, &[Action::ColumnRight, Action::First]);
        screens.push(screen(model));
    }
    screens
}

#[test]
fn sidebar_64x45_shows_runs_and_board_at_once() {
    let (_home, mut m) = sidebar(64, 45);
    let shown = screen(&m);
    assert!(
        shown.contains("Runs 5") && shown.contains("Board sidebar"),
        "{shown}"
    );
    assert_snapshot!("sidebar_runs_focus_64x45", shown);
    press(&mut m, &[Action::ShowBoard]);
    assert_snapshot!("sidebar_board_focus_64x45", screen(&m));
    press(
        &mut m,
        &[
            Action::Last,
            Action::ColumnRight,
            Action::ColumnRight,
            Action::ColumnRight,
        ],
    );
    assert_snapshot!("sidebar_board_scrolled_64x45", screen(&m));
}

#[test]
fn sidebar_80x50_and_90x30() {
    let (_home, mut m) = sidebar(80, 50);
    assert_snapshot!("sidebar_runs_focus_80x50", screen(&m));
    press(
        &mut m,
        &[Action::ShowBoard, Action::ColumnRight, Action::ColumnRight],
    );
    assert_snapshot!("sidebar_board_focus_80x50", screen(&m));
    let (_home, mut m) = sidebar(90, 30);
    press(&mut m, &[Action::ShowBoard]);
    assert_snapshot!("sidebar_board_90x30", screen(&m));
    press(
        &mut m,
        &[
            Action::ColumnRight,
            Action::ColumnRight,
            Action::ColumnRight,
            Action::ColumnRight,
        ],
    );
    assert_snapshot!("sidebar_board_scrolled_90x30", screen(&m));
}

/// At every sidebar size, walking the columns with `l` shows every bead id whole and every
/// column's header.
#[test]
fn every_id_is_read_whole_and_every_column_reached() {
    for (w, h) in [(64, 45), (80, 50), (90, 30), (60, 15), (80, 24)] {
        let (_home, mut m) = sidebar(w, h);
        let screens = walk_columns(&mut m).concat();
        for id in SIDEBAR_IDS {
            assert!(
                screens.contains(id),
                "{id} never shown whole at {w}×{h}:\n{screens}"
            );
        }
        for header in [
            "◇ ready 3",
            "○ assigned 3",
            "▶ working 2",
            "✓ completed 2",
            "✗ failed 1",
            "→ reassigned 1",
        ] {
            assert!(
                screens.contains(header),
                "{header} never shown at {w}×{h}:\n{screens}"
            );
        }
    }
}

#[test]
fn portrait_keeps_the_last_lower_pane_under_runs() {
    let (_home, mut m) = sidebar(64, 45);
    press(&mut m, &[Action::OpenTranscript]);
    assert_eq!(m.focus, Pane::Transcript);
    press(&mut m, &[Action::ShowRuns]);
    let shown = screen(&m);
    assert!(
        shown.contains("Transcript") && !shown.contains("Board sidebar"),
        "{shown}"
    );
    press(&mut m, &[Action::ShowBoard, Action::ShowRuns]);
    assert!(screen(&m).contains("Board sidebar"));
}
