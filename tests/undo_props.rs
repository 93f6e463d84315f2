//! Property test of exact undo and redo in the persistence layer: random sequences of moves on
//! the golden store (unknown keys, retry counts, reasons and all). After every move, taking it
//! back gives the store file back byte for byte and making it again gives the file the move
//! left; at the end, taking every move back, latest first, gives the original file. A record
//! another writer changed in between is refused and left as it is.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::{AssignmentStore, RecordChange, StoreError};
use proptest::prelude::*;
use std::fs;

const BEADS: [&str; 5] = ["wa-1f6b", "wa-5tq0", "wa-9p4e", "wa-7hq2", "new-1"];

#[derive(Debug, Clone)]
enum Op {
    Assign(usize, i64),
    Start(usize),
    Complete(usize),
    Fail(usize),
    Retry(usize),
    Reassign(usize, i64),
    Remove(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let bead = 0..BEADS.len();
    prop_oneof![
        (bead.clone(), 0i64..4).prop_map(|(b, p)| Op::Assign(b, p)),
        bead.clone().prop_map(Op::Start),
        bead.clone().prop_map(Op::Complete),
        bead.clone().prop_map(Op::Fail),
        bead.clone().prop_map(Op::Retry),
        (bead.clone(), 0i64..4).prop_map(|(b, p)| Op::Reassign(b, p)),
        bead.prop_map(Op::Remove),
    ]
}

fn apply(store: &mut AssignmentStore, op: &Op) -> Result<(), StoreError> {
    match *op {
        Op::Assign(b, p) => store
            .assign(BEADS[b], "title", p, "claude", "", "prompt")
            .map(drop),
        Op::Start(b) => store.mark_working(BEADS[b]).map(drop),
        Op::Complete(b) => store.mark_completed(BEADS[b]).map(drop),
        Op::Fail(b) => store.mark_failed(BEADS[b], "why").map(drop),
        Op::Retry(b) => store.retry(BEADS[b]).map(drop),
        Op::Reassign(b, p) => store.reassign(BEADS[b], p, "codex", "").map(drop),
        Op::Remove(b) => store.remove(BEADS[b]).map(drop),
    }
}

/// The one change a successful move made.
fn only(changes: Vec<RecordChange>) -> RecordChange {
    assert_eq!(changes.len(), 1, "{changes:?}");
    changes.into_iter().next().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_move_is_undone_and_redone_exactly(
        ops in proptest::collection::vec(op(), 1..16),
        meddle in proptest::option::of(0usize..16),
    ) {
        let home = common::copy_fixture("examples/ntm");
        let mut store = AssignmentStore::load_store(home.path(), "webapp")
            .unwrap()
            .with_clock(common::ticking_clock());
        let original = fs::read(store.path()).unwrap();
        let mut made = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            let before = fs::read(store.path()).unwrap();
            let result = apply(&mut store, op);
            let changes = store.take_changes();
            if result.is_err() || changes.is_empty() {
                prop_assert_eq!(fs::read(store.path()).unwrap(), before, "a refused {:?} wrote", op);
                continue;
            }
            let change = only(changes);
            let after = fs::read(store.path()).unwrap();
            store.revert(&change, false).unwrap();
            prop_assert_eq!(fs::read(store.path()).unwrap(), before.clone(), "undo of {:?}", op);
            let undo = only(store.take_changes());
            store.revert(&undo, true).unwrap();
            prop_assert_eq!(fs::read(store.path()).unwrap(), after.clone(), "redo of {:?}", op);
            let redo = only(store.take_changes());
            if meddle == Some(i) {
                // Another writer changes the record: the undo is refused, nothing written.
                let mut other = AssignmentStore::load_store(home.path(), "webapp").unwrap();
                let meddled = match &redo.after {
                    Some(r) => other.reassign(&r.bead_id, 99, "gemini", "").is_ok()
                        || other.remove(&r.bead_id).is_ok(),
                    None => other.assign(&redo.bead_id, "x", 99, "gemini", "", "").is_ok(),
                };
                prop_assert!(meddled);
                let now = fs::read(store.path()).unwrap();
                let refused = store.revert(&redo, false);
                prop_assert!(matches!(refused, Err(StoreError::Changed { .. })), "{:?}", refused);
                prop_assert_eq!(fs::read(store.path()).unwrap(), now);
                return Ok(());
            }
            made.push(redo);
        }
        for change in made.iter().rev() {
            store.revert(change, false).unwrap();
        }
        prop_assert_eq!(fs::read(store.path()).unwrap(), original, "every move undone");
    }
}
