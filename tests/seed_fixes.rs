//! Seed-era behaviours the differential against upstream's own code found wrong, now as
//! upstream: a refused command writes nothing anywhere; a lone UTF-16 surrogate escape reads
//! as U+FFFD (as Go reads it); the map key, not the record's `bead_id`, names the bead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::{AssignmentStore, StoreDocument};
use beadboard::persist::run::{Transcript, TranscriptLine};
use std::fs;

fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn remove_in_a_session_directory_without_a_store_writes_nothing() {
    let ntm = tempfile::tempdir().unwrap();
    let dir = ntm.path().join("sessions/s");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("prompts.json"), b"{}").unwrap();
    let out = common::beadboard(ntm.path())
        .env("BEADBOARD_NTM_DIR", ntm.path())
        .args(["remove", "s", "X"])
        .output()
        .unwrap();
    // Nothing found (exit 1): a session directory without a store is no session.
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no session s: ") && err.contains("assignments.json does not exist"),
        "{err}"
    );
    assert_eq!(
        listing(&dir),
        ["prompts.json"],
        "no store, no lock, nothing"
    );
    // The same through the library, for every change that cannot apply.
    let mut store = AssignmentStore::load_store(ntm.path(), "s").unwrap();
    assert_eq!(store.remove("X").unwrap(), None);
    assert!(store.mark_working("X").is_err());
    store.clear().unwrap();
    assert_eq!(listing(&dir), ["prompts.json"]);
    // A change that applies still creates the store, as before.
    store.assign("b", "B", 1, "claude", "", "").unwrap();
    assert!(dir.join("assignments.json").exists());
}

#[test]
fn a_lone_surrogate_escape_reads_as_the_replacement_character() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("transcript.jsonl");
    fs::write(
        &path,
        concat!(
            r#"{"type":"message","timestamp":"2026-11-22T15:58:56Z","run_id":1,"content":"half \ud800 of a pair, low \udc00, whole \ud83d\ude00"}"#,
            "\n"
        ),
    )
    .unwrap();
    let lines = Transcript::new(&path, 1).read_lines().unwrap();
    let [TranscriptLine::Entry(entry)] = lines.as_slice() else {
        panic!("read as one entry, not unreadable: {lines:?}");
    };
    assert_eq!(
        entry.content,
        "half \u{fffd} of a pair, low \u{fffd}, whole 😀"
    );
    assert_eq!(Transcript::new(&path, 1).read_all().unwrap().len(), 1);
}

const MISMATCHED: &str = r#"{
  "session_name": "s",
  "assignments": {
    "X": {
      "bead_id": "Y",
      "bead_title": "T",
      "pane": 1,
      "agent_type": "claude",
      "status": "working",
      "assigned_at": "2026-11-22T10:00:00Z"
    }
  },
  "updated_at": "2026-11-22T10:00:00Z",
  "version": 1
}"#;

#[test]
fn the_map_key_names_the_bead() {
    let doc = StoreDocument::from_bytes(MISMATCHED.as_bytes()).unwrap();
    assert_eq!(doc.assignments["X"].bead_id, "X");
    assert_eq!(doc.assignments["X"].recorded_bead_id.as_deref(), Some("Y"));
    assert_eq!(
        doc.to_bytes(),
        MISMATCHED.as_bytes(),
        "the file round-trips"
    );

    let ntm = tempfile::tempdir().unwrap();
    let dir = ntm.path().join("sessions/s");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("assignments.json"), MISMATCHED).unwrap();
    let mut store = AssignmentStore::load_store(ntm.path(), "s")
        .unwrap()
        .with_clock(common::ticking_clock());
    let listed: Vec<&str> = store.list().iter().map(|a| a.bead_id.as_str()).collect();
    assert_eq!(listed, ["X"]);
    // A status change keeps the record's own field, as upstream's UpdateStatus does.
    store.mark_failed("X", "r").unwrap();
    let text = fs::read_to_string(dir.join("assignments.json")).unwrap();
    assert!(
        text.contains("\"X\": {\n      \"bead_id\": \"Y\""),
        "{text}"
    );
    // A replacement record is upstream's fresh one: its bead_id is the key.
    store.retry("X").unwrap();
    store.mark_working("X").unwrap();
    let fresh = store.reassign("X", 2, "codex", "").unwrap();
    assert_eq!(
        (fresh.bead_id.as_str(), fresh.recorded_bead_id.as_deref()),
        ("X", None)
    );
    let text = fs::read_to_string(dir.join("assignments.json")).unwrap();
    assert!(
        text.contains("\"X\": {\n      \"bead_id\": \"X\""),
        "{text}"
    );
}
