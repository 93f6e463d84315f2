//! Several writers with separate store handles (as separate processes would have) hammering one
//! store under the lock: no update is lost, no deadlock, and racing transitions resolve cleanly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::persist::assignment::{AssignmentStatus, AssignmentStore, StoreError, read_history};
use std::sync::{Arc, Barrier};
use std::thread;

#[test]
fn parallel_writers_lose_no_update() {
    let home = tempfile::tempdir().unwrap();
    let writers = 4;
    let beads = 20;
    let barrier = Arc::new(Barrier::new(writers));
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let root = home.path().to_path_buf();
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                let mut store = AssignmentStore::load_store(&root, "swarm").unwrap();
                barrier.wait();
                for b in 0..beads {
                    let id = format!("w{w}-b{b}");
                    store
                        .assign(&id, "t", i64::try_from(w).unwrap(), "claude", "", "")
                        .unwrap();
                    store.mark_working(&id).unwrap();
                    store.mark_completed(&id).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let store = AssignmentStore::load_store(home.path(), "swarm").unwrap();
    assert_eq!(store.stats().total, writers * beads);
    assert_eq!(store.stats().completed, writers * beads);
    assert_eq!(
        read_history(&store.history_path()).unwrap().len(),
        writers * beads * 3
    );
}

#[test]
fn racing_starts_of_one_bead_let_exactly_one_win() {
    let home = tempfile::tempdir().unwrap();
    AssignmentStore::new(home.path(), "s")
        .unwrap()
        .assign("b", "t", 1, "claude", "", "")
        .unwrap();
    let racers = 6;
    let barrier = Arc::new(Barrier::new(racers));
    let handles: Vec<_> = (0..racers)
        .map(|_| {
            let root = home.path().to_path_buf();
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                let mut store = AssignmentStore::load_store(&root, "s").unwrap();
                // Each saw it assigned, as a board or the CLI does before its move.
                store.expect("b", Some(AssignmentStatus::Assigned));
                barrier.wait();
                store.mark_working("b")
            })
        })
        .collect();
    let results: Vec<Result<_, StoreError>> =
        handles.into_iter().map(|h| h.join().unwrap()).collect();
    let wins = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(wins, 1);
    // The losers are told in words what happened, not `Invalid transition working -> working`.
    for r in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(
            r.to_string(),
            "b was already started by someone else (now working)"
        );
        assert!(r.is_invalid_transition(), "a refused move (CLI exit 3)");
    }
    let store = AssignmentStore::load_store(home.path(), "s").unwrap();
    assert_eq!(store.get("b").unwrap().status, AssignmentStatus::Working);
}
