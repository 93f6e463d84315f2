//! The store is safer than upstream without changing the format: backups, unknown keys,
//! re-reading inside the lock, corrupt files, newer schemas, bounded lock waits, file modes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::{AssignmentStatus, AssignmentStore, LoadSource, StoreError};
use beadboard::persist::lock::FileLock;
use common::{copy_fixture, new_store, ticking_clock};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

fn bak(store: &AssignmentStore) -> Vec<u8> {
    fs::read(store.backup_path()).unwrap()
}

#[test]
fn backup_holds_the_previous_state() {
    let (_home, mut store) = new_store();
    store.assign("a", "A", 1, "claude", "", "").unwrap();
    assert!(
        !store.backup_path().exists(),
        "no backup on the first save, as upstream"
    );
    let first = fs::read(store.path()).unwrap();
    store.mark_working("a").unwrap();
    assert_eq!(bak(&store), first);
    let second = fs::read(store.path()).unwrap();
    store.mark_completed("a").unwrap();
    assert_eq!(bak(&store), second);
}

#[test]
fn unknown_keys_survive_changes_at_every_level() {
    let (_home, mut store) = new_store();
    store.assign("a", "A", 1, "claude", "", "").unwrap();
    let text = fs::read_to_string(store.path()).unwrap();
    let text = text
        .replace(
            "\"version\": 1",
            "\"version\": 1,\n  \"x_top\": {\"k\": [1, 2.50, null]}",
        )
        .replace(
            "\"status\": \"assigned\",",
            "\"status\": \"assigned\",\n      \"x_rec\": \"kept <&>\",",
        );
    fs::write(store.path(), &text).unwrap();
    store.mark_working("a").unwrap();
    let out = fs::read_to_string(store.path()).unwrap();
    assert!(
        out.contains("\"x_rec\": \"kept \\u003c\\u0026\\u003e\""),
        "{out}"
    );
    assert!(
        out.contains("\"x_top\": {\n    \"k\": [\n      1,\n      2.50,\n      null\n    ]\n  }"),
        "{out}"
    );
    assert_eq!(store.get("a").unwrap().extra["x_rec"], "kept <&>");
}

#[test]
fn another_programs_change_is_never_overwritten() {
    let (home, mut mine) = new_store();
    mine.assign("a", "A", 1, "claude", "", "").unwrap();
    let mut theirs = AssignmentStore::load_store(home.path(), "s").unwrap();
    theirs.assign("b", "B", 2, "codex", "", "").unwrap();
    mine.mark_working("a").unwrap();
    let on_disk = AssignmentStore::load_store(home.path(), "s").unwrap();
    assert_eq!(on_disk.stats().total, 2, "b must survive a's change");
    assert_eq!(mine.stats().total, 2, "memory reflects the re-read file");
}

#[test]
fn save_refuses_to_overwrite_a_change_it_has_not_seen() {
    let (home, mut mine) = new_store();
    mine.assign("a", "A", 1, "claude", "", "").unwrap();
    mine.save().unwrap();
    let mut theirs = AssignmentStore::load_store(home.path(), "s").unwrap();
    theirs.assign("b", "B", 2, "codex", "", "").unwrap();
    let before = fs::read(mine.path()).unwrap();
    assert!(matches!(mine.save(), Err(StoreError::Conflict { .. })));
    assert_eq!(fs::read(mine.path()).unwrap(), before);
    mine.load().unwrap();
    mine.save().unwrap();
}

#[test]
fn corrupt_primary_is_set_aside_and_never_destroys_a_good_backup() {
    let (home, mut store) = new_store();
    store.assign("a", "A", 1, "claude", "", "").unwrap();
    store.mark_working("a").unwrap();
    let good_backup = bak(&store);
    fs::write(store.path(), b"{\"session_name\": \"s\", \"assign").unwrap();
    let mut reader = AssignmentStore::load_store(home.path(), "s").unwrap();
    assert!(matches!(reader.source(), LoadSource::Backup(why) if why.contains("invalid JSON")));
    assert_eq!(
        reader.get("a").unwrap().status,
        AssignmentStatus::Assigned,
        "the backup's state"
    );
    assert!(reader.notes()[0].contains("read from"));
    reader.mark_working("a").unwrap();
    assert_eq!(bak(&reader), good_backup, "the good backup survives");
    let aside: Vec<String> = fs::read_dir(store.path().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("assignments.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    let kept = fs::read(store.path().with_file_name(&aside[0])).unwrap();
    assert_eq!(
        kept, b"{\"session_name\": \"s\", \"assign",
        "the corrupt bytes are kept"
    );
}

#[test]
fn corrupt_primary_without_backup_is_an_error_that_names_the_file() {
    let (home, mut store) = new_store();
    store.assign("a", "A", 1, "claude", "", "").unwrap();
    fs::write(store.path(), b"").unwrap();
    let err = AssignmentStore::load_store(home.path(), "s").unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("[ASSIGN] load failed at "), "{text}");
    assert!(
        text.contains("assignments.json: invalid JSON: EOF while parsing"),
        "{text}"
    );
    assert!(text.contains("no backup"), "{text}");
    assert!(store.mark_working("a").is_err());
    assert_eq!(
        fs::read(store.path()).unwrap(),
        b"",
        "nothing written over it"
    );
}

#[test]
fn newer_schemas_are_read_fully_but_never_written() {
    let home = copy_fixture("examples/ntm");
    let path = home.path().join("sessions/webapp/assignments.json");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace(
            "\"version\": 1",
            "\"version\": 9,\n  \"persistence_generation\": 4",
        )
        .replace(
            "\"status\": \"assigned\"",
            "\"status\": \"claimed\",\n      \"claim_actor\": \"x/ntm-1\"",
        );
    fs::write(&path, &text).unwrap();
    let mut store = AssignmentStore::load_store(home.path(), "webapp").unwrap();
    assert!(store.is_read_only());
    assert_eq!(
        store.get("wa-9p4e").unwrap().status,
        AssignmentStatus::Other("claimed".into())
    );
    assert_eq!(store.document().extra["persistence_generation"], 4);
    let err = store.mark_working("wa-5tq0").unwrap_err();
    assert!(err.to_string().contains("read-only: schema 9"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    assert!(!store.backup_path().exists());
}

#[test]
fn lock_waits_are_bounded_and_reported() {
    let (_home, store) = new_store();
    let mut store = store.with_lock_timeout(Duration::from_millis(100));
    store.assign("a", "A", 1, "claude", "", "").unwrap();
    let before = fs::read(store.path()).unwrap();
    let held = FileLock::acquire(&store.lock_path(), Duration::from_secs(1), || {}).unwrap();
    let err = store.mark_working("a").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("waiting for assignments.json.lock held by another program"),
        "{err}"
    );
    assert_eq!(fs::read(store.path()).unwrap(), before);
    drop(held);
    store.mark_working("a").unwrap();
    assert_eq!(
        fs::metadata(store.lock_path())
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
}

#[test]
fn modes_are_kept_and_stray_temps_cleaned() {
    let (_home, mut store) = new_store();
    store.assign("a", "A", 1, "claude", "", "").unwrap();
    fs::set_permissions(store.path(), fs::Permissions::from_mode(0o640)).unwrap();
    let dir = store.path().parent().unwrap().to_path_buf();
    fs::write(dir.join(".assignments.json.XYZ.tmp"), b"junk").unwrap();
    fs::write(dir.join("assignments.json.tmp"), b"ntm's own").unwrap();
    store.mark_working("a").unwrap();
    assert_eq!(
        fs::metadata(store.path()).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(
        fs::metadata(store.backup_path())
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o640
    );
    assert!(!dir.join(".assignments.json.XYZ.tmp").exists());
    assert!(
        dir.join("assignments.json.tmp").exists(),
        "NTM's fixed temp name is not ours to remove"
    );
}

#[test]
fn odd_but_readable_files_load_with_notes() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("sessions/s");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("assignments.json"),
        r#"{"session_name":"other","assignments":{"x":null},"version":1}"#,
    )
    .unwrap();
    let mut store = AssignmentStore::load_store(home.path(), "s")
        .unwrap()
        .with_clock(ticking_clock());
    assert_eq!(store.stats().total, 0);
    let notes = store.notes();
    assert!(
        notes.iter().any(|n| n.contains("null records ignored: x")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("session_name is \"other\"")),
        "{notes:?}"
    );
    store.assign("a", "A", 1, "claude", "", "").unwrap();
    let out = fs::read_to_string(dir.join("assignments.json")).unwrap();
    assert!(!out.contains("null"), "a null record is never written back");
    assert!(
        out.contains("\"session_name\": \"other\""),
        "session_name kept as read"
    );
    fs::write(
        dir.join("assignments.json"),
        r#"{"session_name":"s","version":1}"#,
    )
    .unwrap();
    assert_eq!(
        AssignmentStore::load_store(home.path(), "s")
            .unwrap()
            .stats()
            .total,
        0
    );
}

#[test]
fn wrong_types_name_the_record_and_field() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("sessions/s");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("assignments.json"),
        r#"{"assignments":{"wa-1":{"bead_id":"wa-1","pane":"two"}}}"#,
    )
    .unwrap();
    let err = AssignmentStore::load_store(home.path(), "s")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "field \"assignments.wa-1.pane\": expected an integer, found the string \"two\""
        ),
        "{err}"
    );
}

#[test]
fn a_store_path_that_is_a_directory_is_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    fs::create_dir_all(home.path().join("sessions/s/assignments.json")).unwrap();
    let err = AssignmentStore::load_store(home.path(), "s")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("assignments.json") && err.to_lowercase().contains("directory"),
        "{err}"
    );
}

#[test]
fn a_failed_save_leaves_memory_and_disk_as_they_were() {
    use beadboard::persist::assignment::fail_point;
    let (_home, mut store) = new_store();
    store.assign("a", "A", 1, "claude", "", "").unwrap();
    store.mark_working("a").unwrap();
    let dir = store.path().parent().unwrap().to_path_buf();
    let listing = || {
        let mut names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let files_before = listing();
    let primary = fs::read(store.path()).unwrap();
    let backup = bak(&store);
    let history = fs::read(store.history_path()).unwrap();
    let memory = store.document().clone();
    for point in ["after-temp", "before-commit"] {
        fail_point::arm(point);
        let err = store.mark_completed("a").unwrap_err();
        assert!(
            err.to_string().starts_with("[ASSIGN] save failed at "),
            "{err}"
        );
        assert!(err.to_string().contains(point), "{err}");
        assert_eq!(store.document(), &memory, "memory unchanged ({point})");
        assert_eq!(
            fs::read(store.path()).unwrap(),
            primary,
            "primary unchanged ({point})"
        );
        assert_eq!(bak(&store), backup, "backup unchanged ({point})");
        assert_eq!(
            fs::read(store.history_path()).unwrap(),
            history,
            "no history for a failed change"
        );
        assert_eq!(listing(), files_before, "no temp files left ({point})");
    }
    store.mark_completed("a").unwrap();
}

/// The store file is streamed without building a JSON tree; it must be byte-identical to the
/// tree encoded, for every kind of record (all optional fields, unknown keys, escapes).
#[test]
fn streamed_store_bytes_equal_the_encoded_tree() {
    use beadboard::persist::assignment::StoreDocument;
    use beadboard::persist::gojson::{Style, encode};
    for rel in [
        "examples/ntm/sessions/webapp/assignments.json",
        "upstream/ntm/home-ntm/sessions/webapp/assignments.json",
    ] {
        let raw = fs::read(common::fixture(rel)).unwrap();
        let mut doc = StoreDocument::from_bytes(&raw).unwrap();
        assert_eq!(
            doc.to_bytes(),
            encode(&doc.to_value(), Style::DOCUMENT).into_bytes()
        );
        let rec = doc.assignments.values_mut().next().unwrap();
        rec.extra.insert(
            "x_nested".into(),
            serde_json::json!({"a": [1, {"b": "<&>"}], "e": {}}),
        );
        rec.failure_reason = "tab\\there \u{2028}".into();
        doc.extra.insert("persistence_generation".into(), 4.into());
        assert_eq!(
            doc.to_bytes(),
            encode(&doc.to_value(), Style::DOCUMENT).into_bytes()
        );
        let empty = StoreDocument::new("s", doc.updated_at);
        assert_eq!(
            empty.to_bytes(),
            encode(&empty.to_value(), Style::DOCUMENT).into_bytes()
        );
        assert!(
            String::from_utf8(empty.to_bytes())
                .unwrap()
                .contains("\"assignments\": {},")
        );
    }
}
