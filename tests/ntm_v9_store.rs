//! Schema-9 stores through the library: the snapshot is chosen as NTM's strict read does and
//! reading never writes; the direct writer takes NTM's locks (cancellable, reported), checks
//! the generation, refuses what it must, and bases its write on the newest snapshot.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::v9::{
    NtmSource, NtmWriteError, NtmWriter, Refusal, WaitingFor, bead_lock_path,
};
use beadboard::persist::assignment::{AssignmentStore, Clock, list_sessions};
use beadboard::persist::gojson;
use beadboard::persist::lock::{FileLock, LockError};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn session_from(folder: &str) -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("sessions/webapp");
    fs::create_dir_all(&dir).unwrap();
    for name in ["assignments.json", "assignments.json.bak"] {
        fs::copy(
            common::fixture("upstream/ntm-v9").join(folder).join(name),
            dir.join(name),
        )
        .unwrap();
    }
    (root, dir)
}

fn clock() -> Clock {
    let now = gojson::parse_time("2026-12-01T08:00:00Z").unwrap();
    Clock::from_fn(move || now)
}

fn writer(root: &Path) -> NtmWriter {
    NtmWriter::new(root, "webapp").unwrap().with_clock(clock())
}

fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

#[test]
fn a_backup_one_generation_ahead_is_shown_and_not_promoted() {
    // NTM stopped between its two renames: 01's backup (generation 43) over 00's primary (38)
    // is a gap; take 02 (40) as the backup of a primary at 39 instead: 09 (39) + 02 (40).
    let (root, dir) = session_from("09-terminal-barrier");
    fs::copy(
        common::fixture("upstream/ntm-v9/02-start-then-fail/assignments.json"),
        dir.join("assignments.json.bak"),
    )
    .unwrap();
    let primary = fs::read(dir.join("assignments.json")).unwrap();
    let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
    let view = store.ntm().unwrap();
    assert_eq!(
        view.choice.source,
        NtmSource::BackupAhead {
            primary_generation: 39
        }
    );
    assert_eq!(view.generation(), 40);
    assert_eq!(view.choice.refusal, None);
    assert_eq!(store.get("wa-01").unwrap().status.as_str(), "failed");
    assert!(
        store.notes()[0].contains("one generation ahead"),
        "{:?}",
        store.notes()
    );
    assert_eq!(
        fs::read(dir.join("assignments.json")).unwrap(),
        primary,
        "not promoted"
    );
    // A write bases itself on the newer backup: generation 41, both files equal.
    let out = writer(root.path())
        .request_complete(store.get("wa-02").unwrap())
        .unwrap();
    assert_eq!(out.generation, 41);
    assert_eq!(
        fs::read(dir.join("assignments.json")).unwrap(),
        fs::read(dir.join("assignments.json.bak")).unwrap()
    );
}

#[test]
fn a_diverged_pair_is_shown_read_only_with_the_reason_and_never_written() {
    let (root, dir) = session_from("00-start");
    let bak = dir.join("assignments.json.bak");
    let text = fs::read_to_string(&bak)
        .unwrap()
        .replace("API handler", "API handler!");
    fs::write(&bak, text).unwrap();
    let before = (
        fs::read(dir.join("assignments.json")).unwrap(),
        fs::read(&bak).unwrap(),
    );
    let mut store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
    let view = store.ntm().unwrap();
    assert_eq!(
        view.choice.refusal.as_deref(),
        Some("primary and backup diverge at persistence generation 38")
    );
    assert!(!view.is_writable());
    assert_eq!(
        store.get("wa-01").unwrap().bead_title,
        "API handler",
        "the primary is shown"
    );
    let err = writer(root.path())
        .start(store.get("wa-01").unwrap())
        .unwrap_err();
    assert!(matches!(err, NtmWriteError::StoreRefused { .. }), "{err}");
    assert!(err.to_string().contains("diverge"), "{err}");
    assert!(
        store
            .mark_working("wa-01")
            .unwrap_err()
            .to_string()
            .contains("read-only: schema 9")
    );
    assert_eq!(
        (
            fs::read(dir.join("assignments.json")).unwrap(),
            fs::read(&bak).unwrap()
        ),
        before
    );
}

/// A change made to a session directory before reading it.
type Edit = dyn Fn(&Path);

#[test]
fn other_pairs_ntm_refuses_are_named() {
    let cases: [(&str, &Edit, &str); 4] = [
        (
            "gap",
            &|dir| {
                fs::copy(
                    common::fixture("upstream/ntm-v9/01-assign-atomic/assignments.json"),
                    dir.join("assignments.json.bak"),
                )
                .unwrap();
            },
            "backup generation 43 is not the immediate successor of primary generation 38",
        ),
        (
            "no primary",
            &|dir| fs::remove_file(dir.join("assignments.json")).unwrap(),
            "primary ledger is missing while backup generation is 38, want initial generation 1",
        ),
        (
            "bad backup",
            &|dir| fs::write(dir.join("assignments.json.bak"), b"{").unwrap(),
            "invalid backup ledger: invalid JSON",
        ),
        (
            "other session",
            &|dir| {
                for f in ["assignments.json", "assignments.json.bak"] {
                    let t = fs::read_to_string(dir.join(f)).unwrap();
                    fs::write(dir.join(f), t.replace("\"webapp\"", "\"api\"")).unwrap();
                }
            },
            "invalid primary ledger: ledger session \"api\" does not match requested session \"webapp\"",
        ),
    ];
    for (what, edit, want) in cases {
        let (root, dir) = session_from("00-start");
        edit(&dir);
        let before = names(&dir);
        let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
        let refusal = store.ntm().unwrap().choice.refusal.clone().unwrap();
        assert!(refusal.starts_with(want), "{what}: {refusal}");
        assert_eq!(names(&dir), before, "{what}: reading wrote nothing");
    }
}

#[test]
fn reading_never_creates_a_directory_or_a_lock_file() {
    let root = tempfile::tempdir().unwrap();
    let store = AssignmentStore::load_store(root.path(), "ghost").unwrap();
    assert!(store.list().is_empty());
    assert!(list_sessions(root.path()).is_empty());
    assert!(names(root.path()).is_empty(), "{:?}", names(root.path()));
    let (root, dir) = session_from("00-start");
    let before = names(&dir);
    for _ in 0..2 {
        let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
        assert!(store.ntm().is_some());
        assert_eq!(list_sessions(root.path()).len(), 1);
    }
    assert_eq!(names(&dir), before);
}

#[test]
fn the_generation_the_user_saw_must_still_be_the_one_on_disk() {
    let (root, dir) = session_from("00-start");
    let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
    let seen = store.get("wa-02").unwrap().clone();
    // NTM reassigns wa-02 meanwhile (04: a new generation, key ...22).
    for f in ["assignments.json", "assignments.json.bak"] {
        fs::copy(
            common::fixture("upstream/ntm-v9/04-reassign-atomic/assignments.json"),
            dir.join(f),
        )
        .unwrap();
    }
    let before = fs::read(dir.join("assignments.json")).unwrap();
    let err = writer(root.path())
        .request_fail(&seen, "stale")
        .unwrap_err();
    assert!(
        err.to_string().starts_with(
            "wa-02 changed since it was shown: it is now assigned (generation 000000000000…)"
        ),
        "{err}"
    );
    assert_eq!(fs::read(dir.join("assignments.json")).unwrap(), before);
}

#[test]
fn rows_that_may_not_be_touched_are_refused_and_nothing_is_written() {
    let (root, dir) = session_from("00-start");
    let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
    let w = writer(root.path());
    let refusal = |e: NtmWriteError| match e {
        NtmWriteError::Refused(r) => r,
        other => panic!("{other}"),
    };
    let r = refusal(
        w.request_fail(store.get("wa-04").unwrap(), "x")
            .unwrap_err(),
    );
    assert!(matches!(r, Refusal::Claiming { .. }), "{r}");
    let r = refusal(w.request_complete(store.get("wa-05").unwrap()).unwrap_err());
    assert!(matches!(r, Refusal::UnacknowledgedEvent { .. }), "{r}");
    let r = refusal(w.start(store.get("wa-03").unwrap()).unwrap_err());
    assert_eq!(
        r.to_string(),
        "wa-03 is claimed: start applies to assigned rows"
    );
    // Mid-dispatch: NTM recorded `sending` and stopped.
    let text = fs::read_to_string(dir.join("assignments.json"))
        .unwrap()
        .replace(
            "\"dispatch_state\": \"pending\",\n      \"dispatch_target\": \"%4\"",
            "\"dispatch_state\": \"sending\",\n      \"dispatch_target\": \"%4\"",
        );
    fs::write(dir.join("assignments.json"), &text).unwrap();
    fs::write(dir.join("assignments.json.bak"), &text).unwrap();
    let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
    let r = refusal(
        w.request_fail(store.get("wa-03").unwrap(), "x")
            .unwrap_err(),
    );
    assert_eq!(
        r.to_string(),
        "wa-03 is mid-dispatch (sending → %4): whether the prompt arrived is unknown until NTM reconciles it"
    );
    assert_eq!(
        fs::read(dir.join("assignments.json")).unwrap(),
        text.as_bytes()
    );
    // No %N identity (NTM's legacy API row).
    let (root, _) = session_from("08-legacy-api");
    let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
    let r = refusal(
        writer(root.path())
            .start(store.get("wa-10").unwrap())
            .unwrap_err(),
    );
    assert!(matches!(r, Refusal::NoPaneIdentity { pane: 13, .. }), "{r}");
}

#[test]
fn the_same_request_twice_writes_once() {
    let (root, dir) = session_from("00-start");
    let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
    let w = writer(root.path());
    let first = w.request_fail(store.get("wa-01").unwrap(), "why").unwrap();
    assert!(!first.unchanged);
    let bytes = fs::read(dir.join("assignments.json")).unwrap();
    let again = w.request_fail(store.get("wa-01").unwrap(), "why").unwrap();
    assert!(again.unchanged);
    assert_eq!(fs::read(dir.join("assignments.json")).unwrap(), bytes);
    let other = w
        .request_fail(store.get("wa-01").unwrap(), "another reason")
        .unwrap_err();
    assert!(
        other
            .to_string()
            .contains("already has a failure requested"),
        "{other}"
    );
    let history = fs::read_to_string(dir.join("assignments.history.jsonl")).unwrap();
    assert_eq!(history.lines().count(), 1, "{history}");
    assert!(history.contains("\"op\":\"request-fail\""), "{history}");
}

#[test]
fn a_held_lock_is_waited_for_reported_and_cancellable() {
    let (root, dir) = session_from("00-start");
    let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
    let store_path = dir.join("assignments.json");
    let before = fs::read(&store_path).unwrap();
    let held = FileLock::acquire(
        &bead_lock_path(&store_path, "wa-01"),
        Duration::from_secs(1),
        || {},
    )
    .unwrap();
    let cancel = Arc::new(AtomicBool::new(false));
    let heard = Arc::new(Mutex::new(Vec::new()));
    let (c, h) = (Arc::clone(&cancel), Arc::clone(&heard));
    let w = writer(root.path())
        .with_cancel(Arc::clone(&cancel))
        .on_wait(move |what| {
            h.lock().unwrap().push(what.clone());
            c.store(true, Ordering::SeqCst); // the user presses cancel on seeing it
        });
    let err = w.start(store.get("wa-01").unwrap()).unwrap_err();
    assert!(
        matches!(err, NtmWriteError::Lock(LockError::Cancelled { .. })),
        "{err}"
    );
    assert_eq!(
        *heard.lock().unwrap(),
        [WaitingFor::BeadLock {
            bead: "wa-01".into()
        }]
    );
    assert_eq!(
        heard.lock().unwrap()[0].to_string(),
        "waiting for NTM's lock on wa-01"
    );
    let err = writer(root.path())
        .with_timeout(Duration::from_millis(50))
        .start(store.get("wa-01").unwrap())
        .unwrap_err();
    assert!(
        matches!(err, NtmWriteError::Lock(LockError::Timeout { .. })),
        "{err}"
    );
    assert_eq!(fs::read(&store_path).unwrap(), before);
    drop(held);
    writer(root.path())
        .start(store.get("wa-01").unwrap())
        .unwrap();
}

#[test]
fn a_write_interrupted_after_the_backup_leaves_what_ntm_leaves() {
    let (root, dir) = session_from("00-start");
    let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
    beadboard::persist::assignment::fail_point::arm("after-backup");
    let err = writer(root.path())
        .start(store.get("wa-01").unwrap())
        .unwrap_err();
    assert!(matches!(err, NtmWriteError::Io { .. }), "{err}");
    // The backup is one generation ahead: NTM's strict read takes it; so do we.
    let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
    let view = store.ntm().unwrap();
    assert_eq!(
        view.choice.source,
        NtmSource::BackupAhead {
            primary_generation: 38
        }
    );
    assert_eq!(store.get("wa-01").unwrap().status.as_str(), "working");
    assert!(
        names(&dir).iter().all(|n| !n.ends_with(".tmp")),
        "{:?}",
        names(&dir)
    );
}
