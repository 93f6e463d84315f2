//! Moves that ask first, refuse what would do nothing, say when they lost a race, and apply to
//! every marked card: headless on copies of the golden store (and the several-sessions home),
//! checked on disk; the CLI as a real process.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::model::{CardKey, Model, Overlay};
use beadboard::persist::assignment::{AssignmentStatus, AssignmentStore};
use common::dash::{Home, press, status};
use std::path::PathBuf;

fn store_path(home: &Home, session: &str) -> PathBuf {
    home.ntm()
        .join("sessions")
        .join(session)
        .join("assignments.json")
}

fn file(home: &Home) -> Vec<u8> {
    std::fs::read(store_path(home, "webapp")).unwrap()
}

fn on_disk(home: &Home, session: &str, bead: &str) -> beadboard::persist::assignment::Assignment {
    AssignmentStore::load_store(&home.ntm(), session)
        .unwrap()
        .get(bead)
        .unwrap()
        .clone()
}

fn board(home: &Home) -> Model {
    let mut m = home.model(120, 40, true);
    press(&mut m, "3");
    m
}

/// The open confirm dialog's title.
fn asked(m: &Model) -> Option<String> {
    match &m.overlay {
        Some(Overlay::Confirm(c)) => Some(c.title.clone()),
        _ => None,
    }
}

#[test]
fn complete_and_start_ask_first_and_only_y_writes() {
    let home = Home::golden();
    let mut m = board(&home);
    let before = file(&home);
    m.board.follow_bead("wa-5tq0");
    press(&mut m, "c");
    assert_eq!(asked(&m).as_deref(), Some("Complete wa-5tq0?"));
    press(&mut m, "n");
    assert_eq!(asked(&m), None, "n closes the question");
    assert_eq!(file(&home), before, "c then n writes nothing");
    press(&mut m, "c Enter");
    assert_eq!(
        asked(&m).as_deref(),
        Some("Complete wa-5tq0?"),
        "Enter is not yes: the question stays"
    );
    assert_eq!(file(&home), before, "c then Enter writes nothing");
    press(&mut m, "Esc");
    assert_eq!(asked(&m), None);
    assert_eq!(file(&home), before);
    press(&mut m, "c y");
    assert_eq!(
        on_disk(&home, "webapp", "wa-5tq0").status,
        AssignmentStatus::Completed,
        "{}",
        status(&m)
    );
    let completed = file(&home);
    m.board.follow_bead("wa-9p4e");
    press(&mut m, "s");
    assert_eq!(asked(&m).as_deref(), Some("Start wa-9p4e?"));
    press(&mut m, "n");
    assert_eq!(file(&home), completed);
    press(&mut m, "s y");
    assert_eq!(
        on_disk(&home, "webapp", "wa-9p4e").status,
        AssignmentStatus::Working
    );
}

#[test]
fn a_move_the_table_can_reverse_does_not_ask() {
    let home = Home::golden();
    let mut m = board(&home);
    m.board.follow_bead("wa-6wz3");
    press(&mut m, "R");
    assert_eq!(asked(&m), None);
    assert_eq!(
        on_disk(&home, "webapp", "wa-6wz3").status,
        AssignmentStatus::Assigned
    );
}

#[test]
fn with_confirm_moves_off_complete_writes_at_once() {
    let home = Home::golden();
    let mut m = board(&home);
    m.settings.confirm_moves = false;
    m.board.follow_bead("wa-5tq0");
    press(&mut m, "c");
    assert_eq!(asked(&m), None);
    assert_eq!(
        on_disk(&home, "webapp", "wa-5tq0").status,
        AssignmentStatus::Completed
    );
}

#[test]
fn confirm_moves_false_in_the_config_file_is_read() {
    let home = Home::golden();
    let config = home.dir.path().join("config.toml");
    std::fs::write(&config, "confirm_moves = false\n").unwrap();
    let overrides = beadboard::config::Overrides {
        config: Some(config),
        ..Default::default()
    };
    let resolved = beadboard::config::resolve(
        &overrides,
        None,
        Some(home.dir.path()),
        home.dir.path(),
        true,
    )
    .unwrap();
    assert!(!resolved.confirm_moves);
    let defaults = beadboard::config::resolve(
        &Default::default(),
        None,
        Some(home.dir.path()),
        home.dir.path(),
        true,
    )
    .unwrap();
    assert!(defaults.confirm_moves, "asking is the default");
}

#[test]
fn a_reassignment_to_the_same_pane_and_agent_is_refused_on_the_board() {
    let home = Home::golden();
    let mut m = board(&home);
    let before = file(&home);
    m.board.follow_bead("wa-5tq0");
    // The form comes prefilled with the card's own pane and agent.
    press(&mut m, "r Enter");
    let Some(Overlay::Form(form)) = &m.overlay else {
        panic!("the form stays open: {:?}", m.overlay)
    };
    assert_eq!(
        form.error.as_deref(),
        Some("same pane and agent: nothing to reassign")
    );
    assert_eq!(file(&home), before);
    assert_eq!(
        on_disk(&home, "webapp", "wa-5tq0").status,
        AssignmentStatus::Working,
        "still working, started_at kept"
    );
}

#[test]
fn a_reassignment_to_the_same_pane_and_agent_is_refused_by_the_cli_with_exit_3() {
    let home = Home::golden();
    let before = file(&home);
    let out = common::beadboard(home.dir.path())
        .env("BEADBOARD_NTM_DIR", home.ntm())
        .env("BEADBOARD_AGENTPAIR_DIR", home.agentpair())
        .args([
            "reassign",
            "webapp",
            "wa-5tq0",
            "--pane",
            "5",
            "--agent-type",
            "gemini",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("same pane and agent: nothing to reassign"),
        "{err}"
    );
    assert_eq!(file(&home), before, "the file is unchanged");
}

#[test]
fn a_move_that_lost_a_race_says_so_in_words() {
    let home = Home::golden();
    let mut m = board(&home);
    m.board.follow_bead("wa-9p4e");
    // Another writer starts the bead before the board hears of it.
    AssignmentStore::load_store(&home.ntm(), "webapp")
        .unwrap()
        .mark_working("wa-9p4e")
        .unwrap();
    let before = file(&home);
    press(&mut m, "s y");
    assert_eq!(
        status(&m),
        "wa-9p4e was already started by someone else (now working)"
    );
    assert_eq!(file(&home), before, "nothing written");
    // And one that failed it while the board showed it working.
    m.board.follow_bead("wa-7hq2");
    AssignmentStore::load_store(&home.ntm(), "webapp")
        .unwrap()
        .mark_failed("wa-7hq2", "gone")
        .unwrap();
    press(&mut m, "c y");
    assert_eq!(
        status(&m),
        "wa-7hq2 was already failed by someone else (now failed)"
    );
}

#[test]
fn space_marks_and_a_batch_retry_sums_up_with_the_refusal() {
    let home = Home::golden();
    let mut m = board(&home);
    for bead in ["wa-1f6b", "wa-3kd9", "wa-6wz3"] {
        m.board.follow_bead(bead);
        press(&mut m, "Space");
    }
    assert_eq!(m.board.marked.len(), 3);
    assert!(status(&m).contains("3 in all"), "{}", status(&m));
    press(&mut m, "R");
    assert_eq!(status(&m), "2 retried, 1 refused: wa-3kd9 is completed");
    assert!(
        m.board.marked.is_empty(),
        "marks are cleared after the move"
    );
    for bead in ["wa-1f6b", "wa-6wz3"] {
        assert_eq!(
            on_disk(&home, "webapp", bead).status,
            AssignmentStatus::Assigned
        );
    }
    assert_eq!(
        on_disk(&home, "webapp", "wa-3kd9").status,
        AssignmentStatus::Completed
    );
}

#[test]
fn a_batch_that_asks_asks_once_naming_the_count() {
    let home = Home::golden();
    let mut m = board(&home);
    for bead in ["wa-5tq0", "wa-7hq2", "wa-9p4e"] {
        m.board.follow_bead(bead);
        press(&mut m, "Space");
    }
    let before = file(&home);
    press(&mut m, "c");
    assert_eq!(asked(&m).as_deref(), Some("Complete 3 cards?"));
    press(&mut m, "n");
    assert_eq!(file(&home), before);
    assert_eq!(
        m.board.marked.len(),
        3,
        "a question said no to keeps the marks"
    );
    press(&mut m, "c y");
    assert_eq!(status(&m), "2 completed, 1 refused: wa-9p4e is assigned");
    // The fail reason is asked once too.
    for bead in ["wa-1f6b", "wa-6wz3"] {
        m.board.follow_bead(bead);
        press(&mut m, "Space");
    }
    press(&mut m, "x");
    let Some(Overlay::Form(form)) = &m.overlay else {
        panic!("no form")
    };
    assert_eq!(form.title, "Fail 2 cards");
}

#[test]
fn esc_clears_the_marks() {
    let home = Home::golden();
    let mut m = board(&home);
    m.board.follow_bead("wa-1f6b");
    press(&mut m, "Space");
    m.board.follow_bead("wa-6wz3");
    press(&mut m, "Space Space");
    assert_eq!(m.board.marked.len(), 1, "Space again unmarks");
    press(&mut m, "Esc");
    assert!(m.board.marked.is_empty());
    assert_eq!(
        m.focus,
        beadboard::app::model::Pane::Board,
        "Esc cleared, not left"
    );
    // Runs: marked and cleared the same way.
    press(&mut m, "1 Space");
    assert_eq!(m.runs.marked.len(), 1);
    press(&mut m, "j Space");
    assert_eq!(m.runs.marked.len(), 2);
    press(&mut m, "Esc");
    assert!(m.runs.marked.is_empty());
}

#[test]
fn a_batch_on_the_all_sessions_board_acts_in_each_cards_own_store() {
    let home = Home::sessions();
    let mut m = home.model(200, 50, true);
    press(&mut m, "3 S Home Enter");
    assert!(m.board.is_merged());
    let webapp_before = file(&home);
    for (session, bead) in [("api", "api-2"), ("billing", "bl-1"), ("api", "api-3")] {
        m.board.follow(CardKey::new(session, bead));
        press(&mut m, "Space");
    }
    press(&mut m, "c y");
    assert_eq!(status(&m), "2 completed, 1 refused: api-3 is completed");
    assert_eq!(
        on_disk(&home, "api", "api-2").status,
        AssignmentStatus::Completed
    );
    assert_eq!(
        on_disk(&home, "billing", "bl-1").status,
        AssignmentStatus::Completed
    );
    assert_eq!(
        file(&home),
        webapp_before,
        "the other session is left alone"
    );
    let api_after = std::fs::read(store_path(&home, "api")).unwrap();
    // Undo takes both back, each in its own store.
    press(&mut m, "u");
    assert_eq!(status(&m), "2 undone");
    assert_eq!(
        on_disk(&home, "api", "api-2").status,
        AssignmentStatus::Working
    );
    assert_eq!(
        on_disk(&home, "billing", "bl-1").status,
        AssignmentStatus::Working
    );
    press(&mut m, "C-r");
    assert_eq!(status(&m), "2 redone");
    assert_eq!(std::fs::read(store_path(&home, "api")).unwrap(), api_after);
}

#[test]
fn on_todays_ntm_undo_says_why_a_direct_write_cannot_be_taken_back() {
    use common::ntm9::press9;
    let home = Home::ntm9("00-start");
    let mut m = home.model9(200, 50);
    m.board.follow(CardKey::new("webapp", "wa-01"));
    press9(&mut m, "s");
    assert_eq!(asked(&m).as_deref(), Some("Start wa-01?"), "{}", status(&m));
    press9(&mut m, "y");
    assert!(status(&m).contains("wa-01 started"), "{}", status(&m));
    let started = std::fs::read(home.store9()).unwrap();
    press9(&mut m, "u");
    assert!(
        status(&m).contains("cannot undo wa-01's start on today's NTM store (schema 9)"),
        "{}",
        status(&m)
    );
    assert_eq!(
        std::fs::read(home.store9()).unwrap(),
        started,
        "nothing written"
    );
}
