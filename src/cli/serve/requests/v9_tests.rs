//! A host's journal of moves on a store of today's NTM (schema 9): a direct write's key is
//! recorded under NTM's locks just before the write, so a retry after a crash between NTM's
//! write and the journal's outcome is answered as the first try, and a retry whose bead another
//! writer changed in between is refused as stale, never made twice.

use super::tests::{host_with, moved};
use super::*;
use crate::persist::assignment::v9::NtmWriter;
use crate::remote::protocol::{Expected, MoveAction};

/// A host's roots with the schema-9 store `00-start` as session `webapp`.
fn v9_host() -> (tempfile::TempDir, Roots) {
    host_with(
        "upstream/ntm-v9/00-start",
        &["assignments.json", "assignments.json.bak"],
    )
}

/// Starting wa-01, which the board saw assigned.
fn start() -> Move {
    Move {
        session: "webapp".to_owned(),
        bead: "wa-01".to_owned(),
        action: MoveAction::Start,
        expected: Expected {
            status: Some("assigned".to_owned()),
            ..Expected::default()
        },
    }
}

/// The first try of `mv` under `key`: NTM's store is written, then the process ends before the
/// outcome is recorded (a panic unwinds through the journal, which records nothing more).
fn crash_after_the_write(roots: &Roots, journal: &Journal, key: &str, mv: &Move) {
    let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        journal.once(
            key,
            mv,
            crate::clock::now,
            || {},
            |_| None,
            |precommit| {
                let notify: Notify = Arc::new(|_| {});
                let said = moves::make(roots, call_of(mv, precommit), &notify);
                assert!(said.error.is_none(), "{said:?}");
                panic!("the process ends here");
            },
        )
    }));
    assert!(crashed.is_err());
}

fn store(roots: &Roots) -> AssignmentStore {
    AssignmentStore::load_store(&roots.ntm, "webapp").unwrap()
}

#[test]
fn a_retry_after_a_crash_between_ntms_write_and_the_journals_answers_as_the_first() {
    let (dir, roots) = v9_host();
    let journal = Journal::at(&dir.path().join("state"));
    let mv = start();
    crash_after_the_write(&roots, &journal, "k1", &mv);
    let after = store(&roots).get("wa-01").unwrap().clone();
    assert_eq!(after.status.as_str(), "working");
    let generation = store(&roots).ntm().unwrap().generation();
    // The retry: answered as the first try would have been, and not made again.
    let retry = moved(make_move(&roots, Some(&journal), 2, "k1", &mv));
    assert_eq!(retry.outcome, MoveResult::Applied, "{retry:#?}");
    assert!(retry.replayed);
    assert_eq!(
        retry.lines,
        [format!(
            "wa-01: started · ▶ working · generation {generation}"
        )],
        "{retry:#?}"
    );
    assert_eq!(retry.json.as_ref().unwrap()["status"], "working");
    assert_eq!(store(&roots).get("wa-01"), Some(&after));
    assert_eq!(store(&roots).ntm().unwrap().generation(), generation);
    // And again, from the outcome now recorded.
    let again = moved(make_move(&roots, Some(&journal), 3, "k1", &mv));
    assert_eq!(again, retry);
}

#[test]
fn a_retry_whose_bead_another_writer_changed_since_the_crash_is_refused_as_stale() {
    let (dir, roots) = v9_host();
    let journal = Journal::at(&dir.path().join("state"));
    let mv = start();
    crash_after_the_write(&roots, &journal, "k1", &mv);
    // Another writer moves the bead on before the retry: it asks for completion.
    let working = store(&roots).get("wa-01").unwrap().clone();
    NtmWriter::for_store(&store(&roots))
        .request_complete(&working)
        .unwrap();
    let changed = store(&roots).get("wa-01").unwrap().clone();
    assert_ne!(changed, working);
    let generation = store(&roots).ntm().unwrap().generation();
    // The retry is not taken for the first try's answer, nor made again.
    let retry = moved(make_move(&roots, Some(&journal), 2, "k1", &mv));
    assert_eq!(retry.outcome, MoveResult::Refused, "{retry:#?}");
    assert_eq!(retry.reason_code.as_deref(), Some("stale"), "{retry:#?}");
    assert!(!retry.replayed);
    assert_eq!(store(&roots).get("wa-01"), Some(&changed));
    assert_eq!(store(&roots).ntm().unwrap().generation(), generation);
}

#[test]
fn a_direct_write_whose_journal_entry_cannot_be_recorded_is_not_made() {
    let (_dir, roots) = v9_host();
    let before = std::fs::read(store(&roots).path()).unwrap();
    let assigned = store(&roots).get("wa-01").unwrap().clone();
    let failing = Precommit(Arc::new(|_, _| {
        Err(crate::persist::assignment::StoreError::NotFound {
            bead_id: "the journal".to_owned(),
        })
    }));
    let written = NtmWriter::for_store(&store(&roots))
        .with_precommit(failing)
        .start(&assigned);
    assert!(
        matches!(
            written,
            Err(crate::persist::assignment::v9::NtmWriteError::Precommit(_))
        ),
        "{written:?}"
    );
    assert_eq!(std::fs::read(store(&roots).path()).unwrap(), before);
    assert_eq!(store(&roots).get("wa-01"), Some(&assigned));
}
