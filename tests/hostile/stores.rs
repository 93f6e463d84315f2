//! Broken and odd `assignments.json` files beside a good session. (The API-level cases of
//! `tests/store_safety.rs`, e.g. a corrupt primary with a backup, are not repeated here.)

use crate::common::dash::{Home, screen};
use crate::support::{
    FAILED, Snapshot, assert_names, assign_args, cli, deep_arrays, deep_objects, empty_home,
};
use beadboard::persist::assignment::{AssignmentStatus, AssignmentStore, list_sessions};
use serde_json::Value;
use std::fs;
use std::path::PathBuf;

/// Session name, store bytes, and what the error must say.
fn broken() -> Vec<(&'static str, Vec<u8>, Vec<&'static str>)> {
    vec![
        (
            "array",
            b"[]".to_vec(),
            vec!["expected a JSON object, found an array"],
        ),
        (
            "deep-arrays",
            deep_arrays(100_000),
            vec!["recursion limit exceeded"],
        ),
        (
            "deep-objects",
            deep_objects(100_000),
            vec!["recursion limit exceeded"],
        ),
        ("empty", Vec::new(), vec!["invalid JSON: EOF while parsing"]),
        (
            "garbage",
            b"{\"session_name\": \xff\xfe}".to_vec(),
            vec!["invalid JSON"],
        ),
        (
            "list-of-records",
            br#"{"assignments":[{"bead_id":"x"}]}"#.to_vec(),
            vec!["field \"assignments\": expected an object, found an array"],
        ),
        (
            "null",
            b"null".to_vec(),
            vec!["expected a JSON object, found null"],
        ),
        (
            "status-number",
            br#"{"assignments":{"b":{"status":3}}}"#.to_vec(),
            vec!["field \"assignments.b.status\": expected a string"],
        ),
    ]
}

fn store_path(home: &Home, session: &str) -> PathBuf {
    home.ntm()
        .join("sessions")
        .join(session)
        .join("assignments.json")
}

fn write_stores(home: &Home, stores: &[(&str, Vec<u8>)]) {
    for (session, bytes) in stores {
        let path = store_path(home, session);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
    }
}

#[test]
fn broken_stores_are_named_and_skipped_and_never_touched() {
    let home = Home::golden();
    let stores: Vec<(&str, Vec<u8>)> = broken().into_iter().map(|(s, b, _)| (s, b)).collect();
    write_stores(&home, &stores);
    let before = Snapshot::take(home.dir.path());

    for (session, _, causes) in broken() {
        let err = AssignmentStore::load_store(&home.ntm(), session).unwrap_err();
        let mut all = causes.clone();
        all.extend(["[ASSIGN] load failed at ", "backup: no backup"]);
        assert_names(&err.to_string(), &store_path(&home, session), &all);
    }
    assert_eq!(list_sessions(&home.ntm()).len(), broken().len() + 1);
    assert_eq!(
        AssignmentStore::load_store(&home.ntm(), "webapp")
            .unwrap()
            .stats()
            .total,
        8
    );

    let bin_home = empty_home();
    let none = home.dir.path().join("no-ap");
    let bb = |args: &[&str]| cli(&none, &home.ntm(), bin_home.path(), args);
    let all = bb(&["assignments"]);
    assert_eq!(all.code, 0, "{all:?}");
    for (session, _, causes) in broken() {
        assert!(
            all.err.contains(&format!(
                "beadboard: skipped session {session}: [ASSIGN] load failed at {}: ",
                store_path(&home, session).display()
            )),
            "{session}: {}",
            all.err
        );
        assert_names(&all.err, &store_path(&home, session), &causes);
        for args in [
            vec!["assignments", session],
            vec!["stats", session],
            vec!["start", session, "wa-9p4e"],
            assign_args(session).to_vec(),
        ] {
            let out = bb(&args);
            assert_eq!(out.code, FAILED, "{args:?}: {out:?}");
            assert_names(&out.err, &store_path(&home, session), &causes);
        }
    }
    assert_eq!(
        all.out.lines().count(),
        1 + 8,
        "webapp's records: {}",
        all.out
    );
    let json = bb(&["assignments", "--json"]);
    assert_eq!(json.code, 0);
    assert_eq!(
        serde_json::from_str::<Vec<Value>>(&json.out).unwrap().len(),
        8
    );

    // The dashboard: every session can be shown; broken ones say why, webapp shows its cards.
    let mut model = home.model(160, 40, false);
    assert_eq!(model.board.sessions.len(), broken().len() + 1);
    for _ in 0..model.board.sessions.len() {
        let session = model.board.session.clone().unwrap();
        let screen = screen(&model);
        if session == "webapp" {
            assert!(model.board.store.is_some() && model.board.error.is_none());
            assert!(screen.contains("wa-9p4e"), "{screen}");
        } else {
            let error = model.board.error.clone().unwrap();
            assert_names(&error, &store_path(&home, &session), &["load failed"]);
            assert!(screen.contains("✗ [ASSIGN] load failed at"), "{screen}");
        }
        model.board.next_session();
        beadboard::app::settle_pending(&mut model, crate::common::dash::now());
    }

    before.assert_same(&Snapshot::take(home.dir.path()), "reading broken stores");
}

#[test]
fn odd_stores_load_with_notes_and_unknown_statuses_as_they_are() {
    let home = Home::golden();
    write_stores(
        &home,
        &[
            (
                "odd",
                b"{\"session_name\":\"someone-else\",\"assignments\":{\
                  \"n1\":null,\
                  \"u1\":{\"bead_id\":\"u1\",\"bead_title\":\"claimed by today's NTM\",\"pane\":2,\"agent_type\":\"claude\",\"status\":\"claiming\"},\
                  \"u2\":{\"bead_id\":\"u2\",\"bead_title\":\"no status\",\"status\":\"\"},\
                  \"w1\":{\"bead_id\":\"w1\",\"bead_title\":\"caf\xe9\",\"pane\":1,\"agent_type\":\"codex\",\"status\":\"working\",\"assigned_at\":\"2026-11-22T15:00:00Z\"}\
                  },\"version\":1}"
                    .to_vec(),
            ),
            ("bare", br#"{"session_name":"bare","version":1}"#.to_vec()),
            (
                "nulls",
                br#"{"session_name":null,"assignments":null,"updated_at":null,"version":null}"#
                    .to_vec(),
            ),
        ],
    );
    let odd = store_path(&home, "odd");
    let before = Snapshot::take(home.dir.path());

    let store = AssignmentStore::load_store(&home.ntm(), "odd").unwrap();
    assert_eq!(
        store.get("u1").unwrap().status,
        AssignmentStatus::Other("claiming".into())
    );
    assert_eq!(store.get("w1").unwrap().bead_title, "caf\u{fffd}");
    assert_eq!(store.notes().len(), 2, "{:?}", store.notes());
    for name in ["bare", "nulls"] {
        assert_eq!(
            AssignmentStore::load_store(&home.ntm(), name)
                .unwrap()
                .stats()
                .total,
            0
        );
    }

    let bin_home = empty_home();
    let none = home.dir.path().join("no-ap");
    let bb = |args: &[&str]| cli(&none, &home.ntm(), bin_home.path(), args);
    let listed = bb(&["assignments", "odd"]);
    assert_eq!(listed.code, 0, "{listed:?}");
    assert!(listed.err.contains(&format!(
        "beadboard: note: {}: null records ignored: n1",
        odd.display()
    )));
    assert!(listed.err.contains(&format!(
        "beadboard: note: {}: session_name is \"someone-else\" but the directory is \"odd\"",
        odd.display()
    )));
    let row = |bead: &str| {
        listed
            .out
            .lines()
            .find(|l| l.contains(&format!("  {bead}  ")))
            .unwrap_or_else(|| panic!("no {bead} in:\n{}", listed.out))
            .to_owned()
    };
    assert!(row("u1").contains("claiming"), "{}", listed.out);
    assert!(row("w1").contains("caf\u{fffd}"), "{}", listed.out);
    let json = bb(&["assignments", "odd", "--json"]);
    let records: Vec<Value> = serde_json::from_str(&json.out).unwrap();
    let statuses: Vec<&str> = records
        .iter()
        .filter_map(|r| r["status"].as_str())
        .collect();
    assert_eq!(statuses, ["claiming", "", "working"]);
    let stats = bb(&["stats", "odd", "--json"]);
    let stats: Value = serde_json::from_str(&stats.out).unwrap();
    assert_eq!(
        (stats["total"].as_i64(), stats["working"].as_i64()),
        (Some(3), Some(1))
    );
    for name in ["bare", "nulls"] {
        let empty = bb(&["assignments", name]);
        assert_eq!(empty.code, 0, "{empty:?}");
        assert!(
            empty
                .out
                .contains(&format!("No assignments in session {name}"))
        );
    }
    let all = bb(&["assignments"]);
    assert_eq!(all.code, 0, "{all:?}");
    assert!(all.out.contains("claiming") && all.out.contains("wa-9p4e"));
    before.assert_same(&Snapshot::take(home.dir.path()), "reading odd stores");

    // A record with an unknown status has no legal move: refused in upstream's words.
    let refused = bb(&["start", "odd", "u1"]);
    assert_eq!(refused.code, 3, "{refused:?}");
    assert!(
        refused
            .err
            .contains("[ASSIGN] Invalid transition claiming -> working for u1"),
        "{}",
        refused.err
    );
    let mut after = Snapshot::take(home.dir.path());
    let lock = odd.with_file_name("assignments.json.lock");
    after.0.remove(&lock);
    before.assert_same(&after, "a refused transition (beside its lock file)");

    // The dashboard shows the unknown statuses in an "other" column, with the notes.
    let mut model = home.model(160, 40, false);
    model.board.open_session("odd");
    beadboard::app::settle_pending(&mut model, crate::common::dash::now());
    assert!(model.board.error.is_none());
    let other = model
        .board
        .columns()
        .into_iter()
        .find(|c| c.status.is_none());
    assert_eq!(other.map(|c| c.ids.len()), Some(2));
    // At 160 columns the board shows four columns at once: go to the last one, "other".
    crate::common::dash::press(&mut model, "3 l l l l");
    let screen = screen(&model);
    assert!(
        screen.contains("null records ignored") && screen.contains("u1"),
        "{screen}"
    );
}
