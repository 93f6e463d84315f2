//! End to end, in tmux: a store lock held by another program (`flock`, as NTM holds it) never
//! freezes the screen. The board says what it waits for, a transcript line appended meanwhile
//! still appears, Esc stops the wait with nothing written, and a change made while the lock is
//! held lands once it is released.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::{AssignmentStatus, AssignmentStore};
use beadboard::persist::run::Transcript;
use common::dash::Home;
use common::tmux::Session;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// Holds the store's lock with the `flock` tool until [`Held::release`]; returns once it is
/// held.
fn hold_lock(home: &Home) -> Held {
    let dir = home.ntm().join("sessions/webapp");
    let ready = dir.join("held.marker");
    let release = dir.join("release.marker");
    let child = Command::new("flock")
        .arg(dir.join("assignments.json.lock"))
        .arg("sh")
        .arg("-c")
        .arg(format!(
            "touch '{}'; while [ ! -e '{}' ]; do sleep 0.02; done",
            ready.display(),
            release.display()
        ))
        .spawn()
        .expect("the flock tool (util-linux)");
    let deadline = Instant::now() + common::tmux::timeout();
    while !ready.exists() {
        assert!(Instant::now() < deadline, "flock never took the lock");
        std::thread::sleep(Duration::from_millis(10));
    }
    Held { child, release }
}

/// The `flock` holding the lock, and the file that tells it to let go.
struct Held {
    child: Child,
    release: std::path::PathBuf,
}

impl Held {
    /// Whether it still holds the lock.
    fn holding(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Lets go of the lock and waits until it has.
    fn release(mut self) {
        std::fs::write(&self.release, "").unwrap();
        assert!(self.child.wait().unwrap().success());
    }
}

fn store_bytes(home: &Home) -> Vec<u8> {
    std::fs::read(home.ntm().join("sessions/webapp/assignments.json")).unwrap()
}

fn status_of(ntm: &Path, bead: &str) -> AssignmentStatus {
    let store = AssignmentStore::load_store(ntm, "webapp").unwrap();
    store.get(bead).unwrap().status.clone()
}

/// Opens the wide layout (runs, transcript and board at once) with the working card selected.
fn open_on_working_card(home: &Home) -> Session {
    let s = Session::open(home, 200, 50, &[], &[]);
    s.wait_until(
        |screen| screen.contains("Transcript api #2") && screen.contains("▶ working 2"),
        "the wide screen",
    );
    s.send(&["3", "l"]);
    s.wait_for("wa-5tq0");
    s
}

#[test]
fn a_held_lock_keeps_the_screen_live_and_the_move_lands_on_release() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = open_on_working_card(&home);
    let mut holder = hold_lock(&home);
    s.send(&["c"]);
    // It cannot be reversed by the table: it asks first.
    s.wait_for("y yes");
    s.send(&["y"]);
    s.wait_for("waiting for NTM's lock on webapp… Esc cancels");

    // While the write waits, a line appended to the open transcript still shows up.
    Transcript::new(
        home.agentpair()
            .join("runs/ea93126eefee3546/2/transcript.jsonl"),
        2,
    )
    .log_error("loop", 3, "written while the store was locked")
    .unwrap();
    let screen = s.wait_for("written while the store was locked");
    assert!(
        screen.contains("waiting for NTM's lock"),
        "still waiting:\n{screen}"
    );
    assert!(holder.holding(), "the lock is still held");
    assert_eq!(status_of(&home.ntm(), "wa-5tq0"), AssignmentStatus::Working);

    // Released: the move lands.
    holder.release();
    s.wait_for("wa-5tq0 completed (pane 5, gemini)");
    assert_eq!(
        status_of(&home.ntm(), "wa-5tq0"),
        AssignmentStatus::Completed
    );
    s.wait_for("✓ completed 3");
}

#[test]
fn esc_stops_waiting_for_a_held_lock_and_nothing_is_written() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = open_on_working_card(&home);
    let before = store_bytes(&home);
    let mut holder = hold_lock(&home);
    s.send(&["c"]);
    // It cannot be reversed by the table: it asks first.
    s.wait_for("y yes");
    s.send(&["y"]);
    s.wait_for("waiting for NTM's lock on webapp… Esc cancels");
    s.send(&["Escape"]);
    s.wait_for("nothing was written");
    assert!(holder.holding(), "stopped before the release");
    holder.release();
    assert_eq!(store_bytes(&home), before, "the store is byte-identical");
    assert_eq!(status_of(&home.ntm(), "wa-5tq0"), AssignmentStatus::Working);
}
