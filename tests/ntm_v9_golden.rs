//! Golden tests against stores written by NTM HEAD's own `internal/assignment` code
//! (tests/fixtures/upstream/ntm-v9, copied from ../shared/golden/upstream/ntm-v9):
//! - every folder reads as NTM's strict read-only load reads it (`read.json`), without writing
//!   anything, and its files round-trip byte for byte;
//! - beadboard's direct writes (start; the fail and complete requests) produce what NTM wrote,
//!   byte for byte, with the timestamps the write sets as placeholders.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::v9::{NtmWriter, PaneIdentity};
use beadboard::persist::assignment::{AssignmentStore, Clock, StoreDocument};
use beadboard::persist::gojson::{self, GoTime, Style};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const FOLDERS: [&str; 11] = [
    "00-start",
    "01-assign-atomic",
    "02-start-then-fail",
    "03-complete-detector",
    "04-reassign-atomic",
    "05-retry-failed",
    "06-recover-pending",
    "07-remove-clear",
    "08-legacy-api",
    "09-terminal-barrier",
    "10-store-retry-poison",
];

fn golden(folder: &str) -> PathBuf {
    common::fixture("upstream/ntm-v9").join(folder)
}

/// A fresh NTM root with `folder`'s three files as session `webapp`.
fn session_from(folder: &str) -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("sessions/webapp");
    fs::create_dir_all(&dir).unwrap();
    for name in [
        "assignments.json",
        "assignments.json.bak",
        "assignments.json.lock",
    ] {
        fs::copy(golden(folder).join(name), dir.join(name)).unwrap();
    }
    (root, dir)
}

fn listing(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// What beadboard reads, in the shape of NTM's `read.json`.
fn read_like_ntm(store: &AssignmentStore) -> Value {
    let view = store.ntm().expect("a schema-9 store");
    if let Some(why) = &view.choice.refusal {
        return json!({"ok": false, "error": why});
    }
    let panes: serde_json::Map<String, Value> = view
        .pane_identities()
        .into_iter()
        .map(|(bead, id)| {
            let shown = match &id {
                PaneIdentity::Pane(p) => p.clone(),
                PaneIdentity::Missing { .. } => {
                    format!("ERR: {}", id.migration_error(&bead).unwrap())
                }
            };
            (bead, Value::String(shown))
        })
        .collect();
    let doc = store.document();
    json!({
        "active": view.active(),
        "cleared_generations": view.cleared_generations(),
        "mode": "readonly",
        "ok": true,
        "pane_identity": panes,
        "pending_completion_events": view.pending_completion_events(),
        "persistence_generation": view.generation(),
        "session_name": doc.session_name,
        "stats": serde_json::to_value(view.stats()).unwrap(),
        "updated_at": gojson::format_time(&doc.updated_at),
        "version": doc.version,
    })
}

/// NTM's `read.json` as we compare it: for a refused store, only `ok` and the reason after
/// NTM's `[ASSIGN] read-only load failed at <path>: ` prefix.
fn expected_read(folder: &str) -> Value {
    let want: Value =
        serde_json::from_slice(&fs::read(golden(folder).join("read.json")).unwrap()).unwrap();
    if want["ok"] == false {
        let error = want["error"].as_str().unwrap();
        let reason = error.split_once("assignments.json: ").unwrap().1;
        return json!({"ok": false, "error": reason});
    }
    want
}

fn canonical(v: &Value) -> String {
    // Key order does not matter in read.json (Python wrote it sorted); compare sorted.
    let sorted: Value = serde_json::from_str(&serde_json::to_string(v).unwrap()).unwrap();
    gojson::encode(
        &gojson::go_map(sorted.as_object().unwrap()),
        Style::DOCUMENT,
    )
}

#[test]
fn every_folder_reads_as_ntm_reads_it_and_reading_writes_nothing() {
    for folder in FOLDERS {
        let (root, dir) = session_from(folder);
        let before = listing(&dir);
        let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
        assert_eq!(
            canonical(&read_like_ntm(&store)),
            canonical(&expected_read(folder)),
            "{folder}"
        );
        assert_eq!(listing(&dir), before, "{folder}: reading wrote something");
        assert!(
            store.is_read_only(),
            "{folder}: the seed-era methods never write schema 9"
        );
        for name in ["assignments.json", "assignments.json.bak"] {
            let bytes = fs::read(dir.join(name)).unwrap();
            assert_eq!(
                StoreDocument::from_bytes(&bytes).unwrap().to_bytes(),
                bytes,
                "{folder}/{name} round-trips byte for byte"
            );
        }
    }
}

#[test]
fn the_seven_statuses_and_every_field_group_are_typed() {
    let (root, _dir) = session_from("00-start");
    let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
    let view = store.ntm().unwrap();
    let row = |b: &str| view.row(b).unwrap();
    let statuses: Vec<&str> = view
        .rows()
        .iter()
        .map(|r| r.status().unwrap().as_str())
        .collect();
    assert_eq!(
        statuses,
        ["assigned", "working", "claimed", "claiming", "failed"]
    );
    let wa01 = row("wa-01");
    assert_eq!(wa01.fields.reservation.reserved_paths, ["src/api.go"]);
    assert_eq!(wa01.fields.reservation.ids, [101]);
    assert_eq!(wa01.fields.dispatch.duration_nanos, 1_234_567);
    assert_eq!(wa01.fields.claim.attempts, 1);
    assert!(wa01.fields.claim.requires_non_terminal);
    let wa03 = row("wa-03");
    assert_eq!(
        wa03.fields.dispatch.state.as_ref().unwrap().as_str(),
        "pending"
    );
    assert_eq!(wa03.pane_id().as_deref(), Some("%4"));
    let wa04 = row("wa-04");
    assert_eq!(wa04.claim_state().unwrap().as_str(), "unknown");
    assert_eq!(
        wa04.fields.claim.error,
        "br update --claim: signal: killed (simulated)"
    );
    let wa05 = row("wa-05");
    assert!(wa05.unacknowledged_event().unwrap().ends_with("/failed"));
    assert_eq!(view.cleared_generations()["wa-08"], 1);
}

fn fixed_clock() -> (Clock, GoTime) {
    let now = gojson::parse_time("2026-12-01T08:30:15.123456789Z").unwrap();
    (Clock::from_fn(move || now), now)
}

/// Replaces each of `times` (as written) by `<now>`.
fn mask(text: &str, times: &[String]) -> String {
    times.iter().fold(text.to_owned(), |t, time| {
        t.replace(&format!("\"{time}\""), "\"<now>\"")
    })
}

fn field(bytes: &[u8], bead: &str, key: &str) -> String {
    let v: Value = serde_json::from_slice(bytes).unwrap();
    let at = if bead.is_empty() {
        &v[key]
    } else {
        &v["assignments"][bead][key]
    };
    at.as_str().unwrap().to_owned()
}

/// The text of one record in an indented store file, and where it is.
fn record_span(text: &str, bead: &str) -> std::ops::Range<usize> {
    let start = text.find(&format!("    \"{bead}\": {{\n")).unwrap();
    let end = start + text[start..].find("\n    }").unwrap();
    start..end
}

/// Runs a direct write on a copy of 00-start and returns (primary, backup) bytes.
fn write_on_start(
    op: impl FnOnce(&NtmWriter, &AssignmentStore),
) -> (Vec<u8>, Vec<u8>, PathBuf, tempfile::TempDir) {
    let (root, dir) = session_from("00-start");
    let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
    let writer = NtmWriter::new(root.path(), "webapp")
        .unwrap()
        .with_clock(fixed_clock().0);
    op(&writer, &store);
    let primary = fs::read(dir.join("assignments.json")).unwrap();
    let backup = fs::read(dir.join("assignments.json.bak")).unwrap();
    (primary, backup, dir, root)
}

#[test]
fn start_writes_what_ntm_writes() {
    let (ours, backup, dir, _root) = write_on_start(|w, s| {
        let out = w.start(s.get("wa-01").unwrap()).unwrap();
        assert_eq!(out.record.status.as_str(), "working");
        assert_eq!(out.generation, 39);
    });
    // NTM's 02 folder is start then fail of wa-01 (generation 40); its start alone is that file
    // without the fail: status working, no failed_at / fail_reason, generation 39.
    let ntm = fs::read(golden("02-start-then-fail").join("assignments.json")).unwrap();
    let mut want = String::from_utf8(ntm.clone()).unwrap();
    let span = record_span(&want, "wa-01");
    let record: String = want[span.clone()]
        .replace("\"status\": \"failed\"", "\"status\": \"working\"")
        .lines()
        .filter(|l| !l.contains("\"failed_at\"") && !l.contains("\"fail_reason\""))
        .collect::<Vec<_>>()
        .join("\n");
    want.replace_range(span, &record);
    let want = want.replace(
        "\"persistence_generation\": 40",
        "\"persistence_generation\": 39",
    );
    let ntm_times = [
        field(&ntm, "wa-01", "started_at"),
        field(&ntm, "", "updated_at"),
    ];
    let our_now = gojson::format_time(&fixed_clock().1);
    assert_eq!(
        mask(&String::from_utf8(ours.clone()).unwrap(), &[our_now]),
        mask(&want, &ntm_times)
    );
    assert_eq!(
        backup, ours,
        "the backup is the same new snapshot, published first"
    );
    assert_mode_600(&dir);
}

#[test]
fn the_fail_request_is_what_ntm_writes() {
    let (ours, backup, dir, _root) = write_on_start(|w, s| {
        let out = w
            .request_fail(s.get("wa-01").unwrap(), "beadboard: operator gave up")
            .unwrap();
        assert_eq!(
            out.record.status.as_str(),
            "assigned",
            "a request, not a bare status"
        );
    });
    let ntm = fs::read(golden("09-terminal-barrier").join("assignments.json")).unwrap();
    let ntm_times = [
        field(&ntm, "wa-01", "clear_started_at"),
        field(&ntm, "", "updated_at"),
    ];
    let our_now = gojson::format_time(&fixed_clock().1);
    assert_eq!(
        mask(&String::from_utf8(ours.clone()).unwrap(), &[our_now]),
        mask(&String::from_utf8(ntm).unwrap(), &ntm_times)
    );
    assert_eq!(backup, ours);
    assert_mode_600(&dir);
}

#[test]
fn the_complete_request_is_ntms_request_with_status_completed_and_no_reason() {
    let (ours, _, _, _root) = write_on_start(|w, s| {
        w.request_complete(s.get("wa-02").unwrap()).unwrap();
    });
    // NTM's request lines (09, on wa-01), on wa-02, as `completed` with no reason (omitted).
    let ntm = String::from_utf8(
        fs::read(golden("09-terminal-barrier").join("assignments.json")).unwrap(),
    )
    .unwrap();
    let ntm_lines: Vec<&str> = ntm[record_span(&ntm, "wa-01")]
        .lines()
        .filter(|l| l.contains("\"clear_state\"") || l.contains("\"clear_started_at\""))
        .collect();
    let base =
        String::from_utf8(fs::read(golden("00-start").join("assignments.json")).unwrap()).unwrap();
    let mut want = base.clone();
    let span = record_span(&want, "wa-02");
    let record = format!(
        "{},\n{}\n      \"pending_terminal_status\": \"completed\"",
        &want[span.clone()],
        ntm_lines.join("\n")
    );
    want.replace_range(span, &record);
    let want = want.replace(
        "\"persistence_generation\": 38",
        "\"persistence_generation\": 39",
    );
    let times = [
        field(ntm.as_bytes(), "wa-01", "clear_started_at"),
        field(base.as_bytes(), "", "updated_at"),
    ];
    let our_now = gojson::format_time(&fixed_clock().1);
    assert_eq!(
        mask(&String::from_utf8(ours).unwrap(), &[our_now]),
        mask(&want, &times)
    );
}

fn assert_mode_600(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for name in ["assignments.json", "assignments.json.bak"] {
        let mode = fs::metadata(dir.join(name)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name}");
    }
    let stray: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn the_store_after_ntms_races_reads_as_ntm_read_it() {
    // races.jsonl ends with NTM's own read of races-final (only the primary is kept).
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("sessions/webapp");
    fs::create_dir_all(&dir).unwrap();
    fs::copy(
        common::fixture("upstream/ntm-v9/races-final/assignments.json"),
        dir.join("assignments.json"),
    )
    .unwrap();
    let races = fs::read_to_string(common::fixture("upstream/ntm-v9/races.jsonl")).unwrap();
    let want: Value = serde_json::from_str(races.lines().last().unwrap()).unwrap();
    assert_eq!(want["op"], "read");
    let store = AssignmentStore::load_store(root.path(), "webapp").unwrap();
    let view = store.ntm().unwrap();
    assert_eq!(view.choice.refusal, None);
    assert_eq!(json!(view.generation()), want["persistence_generation"]);
    assert_eq!(serde_json::to_value(view.stats()).unwrap(), want["stats"]);
    assert_eq!(json!(view.active()), want["active"]);
    assert_eq!(
        json!(view.pending_completion_events()),
        want["pending_completion_events"]
    );
    assert_eq!(
        json!(view.cleared_generations()),
        want["cleared_generations"]
    );
}

#[test]
fn ntms_transition_table_of_schema_9() {
    use beadboard::persist::assignment::v9::NtmStatus;
    let table = fs::read_to_string(common::fixture("upstream/ntm-v9/transitions.tsv")).unwrap();
    let mut pairs = 0;
    for line in table.lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        let (from, to) = (
            NtmStatus::parse(cells[0]).unwrap(),
            NtmStatus::parse(cells[1]).unwrap(),
        );
        assert_eq!(from.can_move_to(to), cells[2] == "yes", "{line}");
        pairs += 1;
    }
    assert_eq!(pairs, 49);
}
