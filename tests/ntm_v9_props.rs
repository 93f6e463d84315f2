//! Property: after any sequence of beadboard's direct writes (start, the complete and fail
//! requests) on a schema-9 store, the store still passes NTM's strict load rules, as
//! ntm-store.md §2 and ntm-v9.md state them (written out in `tests/common/strict.rs`, apart from
//! beadboard's own reader). Between the writes, NTM's watcher may finish a requested outcome
//! (simulated as the spec describes it), so later writes meet terminal rows too. Every write
//! advances the generation by exactly one; a refused write leaves both files byte-identical.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::v9::NtmWriter;
use beadboard::persist::assignment::{AssignmentStore, Clock};
use beadboard::persist::gojson;
use common::strict::strict_rules;
use proptest::prelude::*;
use std::fs;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

// ---- the property ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Op {
    Start(usize),
    Complete(usize),
    Fail(usize, String),
    /// NTM's watcher finishes a requested outcome (the spec: it records the outcome).
    NtmFinishes(usize),
}

const BEADS: [&str; 6] = ["wa-01", "wa-02", "wa-03", "wa-04", "wa-05", "wa-09"];
const FOLDERS: [&str; 6] = [
    "00-start",
    "01-assign-atomic",
    "03-complete-detector",
    "05-retry-failed",
    "06-recover-pending",
    "08-legacy-api",
];

fn op() -> impl Strategy<Value = Op> {
    let bead = 0..BEADS.len();
    prop_oneof![
        3 => bead.clone().prop_map(Op::Start),
        3 => bead.clone().prop_map(Op::Complete),
        3 => (bead.clone(), "[a-z <>&\"]{0,12}").prop_map(|(b, r)| Op::Fail(b, r)),
        2 => bead.prop_map(Op::NtmFinishes),
    ]
}

fn ticking() -> (Clock, Arc<AtomicI64>) {
    let n = Arc::new(AtomicI64::new(0));
    let m = Arc::clone(&n);
    (
        Clock::from_fn(move || common::at(m.fetch_add(1, Ordering::SeqCst))),
        n,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn beadboard_writes_keep_the_store_loadable_by_ntm(
        folder in 0..FOLDERS.len(),
        ops in prop::collection::vec(op(), 1..14),
    ) {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("sessions/webapp");
        fs::create_dir_all(&dir).unwrap();
        for f in ["assignments.json", "assignments.json.bak"] {
            fs::copy(common::fixture("upstream/ntm-v9").join(FOLDERS[folder]).join(f), dir.join(f)).unwrap();
        }
        let mut generation = strict_rules(&dir, "webapp").unwrap();
        let (clock, ticks) = ticking();
        let writer = NtmWriter::new(root.path(), "webapp").unwrap().with_clock(clock);
        for op in &ops {
            let before = (fs::read(dir.join("assignments.json")).unwrap(), fs::read(dir.join("assignments.json.bak")).unwrap());
            let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
            let bead = |i: &usize| store.get(BEADS[*i]).cloned();
            let result = match op {
                Op::NtmFinishes(i) => {
                    let now = gojson::format_time(&common::at(ticks.fetch_add(1, Ordering::SeqCst)));
                    common::ntm9::ntm_finishes(&dir, BEADS[*i], &now);
                    generation = strict_rules(&dir, "webapp").unwrap();
                    continue;
                }
                Op::Start(i) => bead(i).map(|r| writer.start(&r)),
                Op::Complete(i) => bead(i).map(|r| writer.request_complete(&r)),
                Op::Fail(i, why) => bead(i).map(|r| writer.request_fail(&r, why)),
            };
            let after = strict_rules(&dir, "webapp");
            prop_assert!(after.is_ok(), "{op:?} broke NTM's strict rules: {after:?}");
            match result {
                Some(Ok(out)) if !out.unchanged => {
                    prop_assert_eq!(after.clone().unwrap(), generation + 1, "{:?}", op);
                    prop_assert_eq!(out.generation, generation + 1);
                    prop_assert_eq!(
                        fs::read(dir.join("assignments.json")).unwrap(),
                        fs::read(dir.join("assignments.json.bak")).unwrap()
                    );
                }
                Some(Ok(_)) | Some(Err(_)) | None => {
                    let now = (fs::read(dir.join("assignments.json")).unwrap(), fs::read(dir.join("assignments.json.bak")).unwrap());
                    prop_assert!(now == before, "{op:?}: nothing written, yet the files changed");
                }
            }
            generation = after.unwrap();
        }
    }
}

/// The checker is not vacuous: it rejects what NTM's strict load rejects, and accepts every
/// store NTM itself wrote and reads.
#[test]
fn the_checker_rejects_what_ntm_rejects() {
    for folder in FOLDERS {
        let dir = common::fixture("upstream/ntm-v9").join(folder);
        assert!(strict_rules(&dir, "webapp").is_ok(), "{folder}");
    }
    let poison = common::fixture("upstream/ntm-v9/10-store-retry-poison");
    let err = strict_rules(&poison, "webapp").unwrap_err();
    assert!(err.contains("needs a terminal outcome"), "{err}");
    assert!(strict_rules(&common::fixture("upstream/ntm-v9/00-start"), "api").is_err());
    let dir = tempfile::tempdir().unwrap();
    let start =
        fs::read_to_string(common::fixture("upstream/ntm-v9/00-start/assignments.json")).unwrap();
    fs::write(dir.path().join("assignments.json"), &start).unwrap();
    fs::write(
        dir.path().join("assignments.json.bak"),
        start.replace("API handler", "API"),
    )
    .unwrap();
    assert!(
        strict_rules(dir.path(), "webapp")
            .unwrap_err()
            .contains("diverged")
    );
    fs::write(
        dir.path().join("assignments.json.bak"),
        start.replace("\"persistence_generation\": 38,\n", ""),
    )
    .unwrap();
    assert!(
        strict_rules(dir.path(), "webapp")
            .unwrap_err()
            .contains("without a persistence generation")
    );
}
