//! `u` undoes the last board move by the compensating move when the transition table allows
//! one, and otherwise says why not; a card another program changed since is left alone.
//! Headless, with a fixed clock, checked on disk.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::event::{Change, Msg};
use beadboard::persist::assignment::{AssignmentStatus, AssignmentStore};
use common::dash::{Home, now, press, status};

fn on_disk(home: &Home, bead: &str) -> Option<beadboard::persist::assignment::Assignment> {
    AssignmentStore::load_store(&home.ntm(), "webapp")
        .unwrap()
        .get(bead)
        .cloned()
}

fn board(home: &Home) -> beadboard::app::model::Model {
    let mut m = home.model(120, 40, true);
    press(&mut m, "3");
    m
}

#[test]
fn nothing_to_undo_says_so() {
    let home = Home::golden();
    let mut m = board(&home);
    press(&mut m, "u");
    assert!(status(&m).contains("nothing to undo"), "{}", status(&m));
}

#[test]
fn a_removal_is_undone_by_putting_the_record_back_as_it_was() {
    let home = Home::golden();
    let mut m = board(&home);
    let before = on_disk(&home, "wa-2c9d").unwrap();
    m.board.follow_bead("wa-2c9d");
    press(&mut m, "d y");
    assert!(on_disk(&home, "wa-2c9d").is_none());
    press(&mut m, "u");
    assert_eq!(on_disk(&home, "wa-2c9d"), Some(before), "{}", status(&m));
    assert!(status(&m).contains("restored"), "{}", status(&m));
}

#[test]
fn a_retry_is_undone_by_failing_again_with_the_old_reason() {
    let home = Home::golden();
    let mut m = board(&home);
    let before = on_disk(&home, "wa-6wz3").unwrap();
    assert_eq!(before.status, AssignmentStatus::Failed);
    m.board.follow_bead("wa-6wz3");
    press(&mut m, "R");
    assert_eq!(
        on_disk(&home, "wa-6wz3").unwrap().status,
        AssignmentStatus::Assigned
    );
    press(&mut m, "u");
    let after = on_disk(&home, "wa-6wz3").unwrap();
    assert_eq!(after.status, AssignmentStatus::Failed, "{}", status(&m));
    assert_eq!(after.reason(), before.reason());
}

#[test]
fn moves_without_a_way_back_say_why_and_write_nothing() {
    let home = Home::golden();
    let mut m = board(&home);
    m.board.follow_bead("wa-9p4e");
    press(&mut m, "s");
    let started = std::fs::read(home.ntm().join("sessions/webapp/assignments.json")).unwrap();
    press(&mut m, "u");
    assert!(
        status(&m).contains("no move from working back to assigned"),
        "{}",
        status(&m)
    );
    assert_eq!(
        std::fs::read(home.ntm().join("sessions/webapp/assignments.json")).unwrap(),
        started
    );
}

#[test]
fn a_card_changed_by_another_program_since_is_left_alone() {
    let home = Home::golden();
    let mut m = board(&home);
    m.board.follow_bead("wa-2c9d");
    press(&mut m, "d y");
    // Another program assigns the bead again before the user presses u.
    AssignmentStore::load_store(&home.ntm(), "webapp")
        .unwrap()
        .assign("wa-2c9d", "Again", 9, "codex", "", "")
        .unwrap();
    beadboard::app::step(&mut m, Msg::Disk(Change::Store("webapp".into())), now());
    press(&mut m, "u");
    assert!(status(&m).contains("changed since"), "{}", status(&m));
    assert_eq!(
        on_disk(&home, "wa-2c9d").unwrap().pane,
        9,
        "nothing overwritten"
    );
}
