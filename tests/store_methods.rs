//! Unit tests of every `AssignmentStore` method, on real files in a temp directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::{AssignmentStatus, AssignmentStore, StoreError, read_history};
use common::{at, new_store};
use std::fs;

#[test]
fn assign_creates_and_replaces() {
    let (home, mut store) = new_store();
    let a = store
        .assign(
            "wa-1",
            "Title <&>",
            2,
            "claude",
            "webapp_claude_2",
            "Work on wa-1",
        )
        .unwrap();
    assert_eq!(a.status, AssignmentStatus::Assigned);
    assert_eq!(a.assigned_at, at(0));
    let text = fs::read_to_string(store.path()).unwrap();
    assert_eq!(
        text,
        "{\n  \"session_name\": \"s\",\n  \"assignments\": {\n    \"wa-1\": {\n      \"bead_id\": \"wa-1\",\n      \"bead_title\": \"Title \\u003c\\u0026\\u003e\",\n      \"pane\": 2,\n      \"agent_type\": \"claude\",\n      \"agent_name\": \"webapp_claude_2\",\n      \"status\": \"assigned\",\n      \"assigned_at\": \"2026-11-22T10:00:00Z\",\n      \"prompt_sent\": \"Work on wa-1\"\n    }\n  },\n  \"updated_at\": \"2026-11-22T10:00:00Z\",\n  \"version\": 1\n}"
    );
    assert!(home.path().join("sessions/s/assignments.json").exists());
    store.mark_working("wa-1").unwrap();
    store.mark_failed("wa-1", "crashed").unwrap();
    store.retry("wa-1").unwrap();
    assert_eq!(store.get("wa-1").unwrap().retry_count, 1);
    let again = store.assign("wa-1", "New", 3, "codex", "", "").unwrap();
    assert_eq!(
        (again.retry_count, again.pane, again.status),
        (0, 3, AssignmentStatus::Assigned)
    );
}

#[test]
fn queries() {
    let (_home, mut store) = new_store();
    store.assign("b", "B", 1, "claude", "", "").unwrap();
    store.assign("a", "A", 2, "codex", "", "").unwrap();
    store.assign("c", "C", 1, "claude", "", "").unwrap();
    store.mark_working("c").unwrap();
    store.mark_working("a").unwrap();
    store.mark_completed("a").unwrap();
    let ids = |v: Vec<&beadboard::persist::assignment::Assignment>| {
        v.iter().map(|a| a.bead_id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(store.list()), vec!["a", "b", "c"]);
    assert_eq!(store.get_all().len(), 3);
    assert_eq!(ids(store.list_active()), vec!["b", "c"]);
    assert_eq!(ids(store.list_by_pane(1)), vec!["b", "c"]);
    assert_eq!(
        ids(store.list_by_status(&AssignmentStatus::Completed)),
        vec!["a"]
    );
    assert!(store.get("zz").is_none());
    let s = store.stats();
    assert_eq!(
        (
            s.total,
            s.assigned,
            s.working,
            s.completed,
            s.failed,
            s.reassigned
        ),
        (3, 1, 1, 1, 0, 0)
    );
    let mut reloaded = AssignmentStore::load_store(
        store
            .path()
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .parent()
            .unwrap(),
        "s",
    )
    .unwrap();
    assert_eq!(reloaded.get_all(), store.get_all());
    reloaded.load().unwrap();
    assert_eq!(reloaded.document(), store.document());
}

#[test]
fn status_changes_set_their_timestamps() {
    let (_home, mut store) = new_store();
    store.assign("b", "B", 1, "claude", "", "").unwrap();
    let w = store.mark_working("b").unwrap();
    assert_eq!(w.started_at, Some(at(1)));
    let c = store.mark_completed("b").unwrap();
    assert_eq!(c.completed_at, Some(at(2)));
    store.assign("f", "F", 1, "claude", "", "").unwrap();
    let f = store.mark_failed("f", "gave up").unwrap();
    assert_eq!(
        (f.failed_at, f.fail_reason.as_str()),
        (Some(at(4)), "gave up")
    );
    let u = store
        .update_status("f", AssignmentStatus::Assigned)
        .unwrap();
    assert_eq!((u.status, u.retry_count), (AssignmentStatus::Assigned, 1));
    let f2 = store.update_status("f", AssignmentStatus::Failed).unwrap();
    assert!(f2.failed_at.is_some());
    assert_eq!(store.retry("f").unwrap().retry_count, 2);
}

#[test]
fn reassign_only_from_working_and_keeps_what_matters() {
    let (_home, mut store) = new_store();
    store
        .assign("b", "Bead", 2, "claude", "webapp_claude_2", "prompt")
        .unwrap();
    let err = store.reassign("b", 4, "codex", "webapp_codex").unwrap_err();
    assert_eq!(
        err.to_string(),
        "[ASSIGN] Invalid transition assigned -> reassigned for b"
    );
    store.mark_working("b").unwrap();
    store.mark_failed("b", "x").unwrap();
    store.retry("b").unwrap();
    store.mark_working("b").unwrap();
    let r = store.reassign("b", 4, "codex", "webapp_codex").unwrap();
    assert_eq!(
        (
            r.status,
            r.pane,
            r.agent_type.as_str(),
            r.agent_name.as_str()
        ),
        (AssignmentStatus::Assigned, 4, "codex", "webapp_codex")
    );
    assert_eq!(
        (r.bead_title.as_str(), r.prompt_sent.as_str(), r.retry_count),
        ("Bead", "prompt", 1)
    );
    assert!(r.started_at.is_none());
    let history = read_history(&store.history_path()).unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last.op.as_str(), last.from.as_str(), last.to.as_str()),
        ("reassign", "working", "assigned")
    );
    assert_eq!((last.pane_before, last.pane_after), (Some(2), Some(4)));
    assert_eq!(
        (
            last.agent_name_before.as_str(),
            last.agent_name_after.as_str()
        ),
        ("webapp_claude_2", "webapp_codex")
    );
}

#[test]
fn remove_and_clear() {
    let (_home, mut store) = new_store();
    store.assign("a", "A", 1, "claude", "", "").unwrap();
    store.assign("b", "B", 1, "claude", "", "").unwrap();
    let before = fs::read(store.path()).unwrap();
    assert_eq!(store.remove("zz").unwrap(), None);
    assert_eq!(
        fs::read(store.path()).unwrap(),
        before,
        "removing nothing writes nothing"
    );
    assert_eq!(store.remove("a").unwrap().unwrap().bead_id, "a");
    assert!(store.get("a").is_none());
    store.clear().unwrap();
    assert_eq!(store.stats().total, 0);
    assert!(
        fs::read_to_string(store.path())
            .unwrap()
            .contains("\"assignments\": {}")
    );
    let ops: Vec<String> = read_history(&store.history_path())
        .unwrap()
        .into_iter()
        .map(|h| h.op)
        .collect();
    assert_eq!(ops, vec!["assign", "assign", "remove", "clear"]);
}

#[test]
fn missing_beads_use_upstreams_wording() {
    let (_home, mut store) = new_store();
    for result in [
        store.mark_working("nope"),
        store.mark_completed("nope"),
        store.mark_failed("nope", "r"),
        store.retry("nope"),
        store.reassign("nope", 1, "c", ""),
    ] {
        let err = result.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }));
        assert_eq!(err.to_string(), "[ASSIGN] Assignment not found: nope");
    }
    assert!(
        !store.path().parent().unwrap().exists(),
        "a failed change creates nothing on disk"
    );
}

#[test]
fn history_records_every_transition() {
    let (_home, mut store) = new_store();
    store.assign("b", "B", 1, "claude", "n1", "").unwrap();
    store.mark_working("b").unwrap();
    store.mark_failed("b", "pane gone").unwrap();
    store.retry("b").unwrap();
    let _ = store.mark_completed("b");
    let h = read_history(&store.history_path()).unwrap();
    let summary: Vec<(String, String, String, String)> = h
        .iter()
        .map(|r| (r.op.clone(), r.from.clone(), r.to.clone(), r.reason.clone()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "assign".into(),
                String::new(),
                "assigned".into(),
                String::new()
            ),
            (
                "start".into(),
                "assigned".into(),
                "working".into(),
                String::new()
            ),
            (
                "fail".into(),
                "working".into(),
                "failed".into(),
                "pane gone".into()
            ),
            (
                "retry".into(),
                "failed".into(),
                "assigned".into(),
                String::new()
            ),
        ],
        "the forbidden assigned -> completed left no record"
    );
    assert_eq!(h[1].time, at(1));
    let line = fs::read_to_string(store.history_path()).unwrap();
    assert!(line.starts_with(r#"{"time":"2026-11-22T10:00:00Z","bead_id":"b","op":"assign","to":"assigned","pane_after":1,"agent_type_after":"claude","agent_name_after":"n1","by":"beadboard"}"#), "{line}");
}

#[test]
fn invalid_session_names_are_refused() {
    let home = tempfile::tempdir().unwrap();
    for bad in ["", ".", "..", "a/b", "../x"] {
        assert!(
            matches!(
                AssignmentStore::new(home.path(), bad),
                Err(StoreError::InvalidSession(_))
            ),
            "{bad:?}"
        );
    }
}
