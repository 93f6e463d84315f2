//! The headless CLI's NTM side, run as a real process against copies of the golden files:
//! assignments and stats, moves written to the store (and refused ones leaving it untouched),
//! many writers at once, bad input, and status's bead counts. (Runs and transcripts: `cli.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::on_roots as beadboard;
use common::{copy_fixture, fixture, run};
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::Command;

#[test]
fn assignments_and_stats() {
    let private = tempfile::tempdir().unwrap();
    let ntm = fixture("examples/ntm");
    let (code, out, _) = run(beadboard(private.path(), Path::new("/none"), &ntm).args([
        "assignments",
        "webapp",
        "--status",
        "failed",
        "--json",
    ]));
    assert_eq!(code, 0);
    let records: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(records.len(), 2);
    let keys: Vec<&str> = records[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "bead_id",
            "bead_title",
            "pane",
            "agent_type",
            "agent_name",
            "status",
            "assigned_at",
            "started_at",
            "failed_at",
            "fail_reason",
            "retry_count",
            "prompt_sent",
            // Where a session applies, it is there (the store's own keys first), and the
            // machine the record is from.
            "session",
            "run",
            "host"
        ]
    );
    // A failed record's pane is not looked at: no run is bound to it.
    assert!(records.iter().all(|r| r["run"].is_null()), "{out}");
    let (_, out, _) =
        run(beadboard(private.path(), Path::new("/none"), &ntm).args(["assignments", "--json"]));
    let all: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(all.iter().all(|r| r["session"] == "webapp") && all.len() == 8);
    let (_, out, _) = run(
        beadboard(private.path(), Path::new("/none"), &ntm).args(["stats", "webapp", "--json"])
    );
    assert_eq!(
        out,
        "{\n  \"session\": \"webapp\",\n  \"total\": 8,\n  \"assigned\": 1,\n  \"working\": 2,\n  \"completed\": 2,\n  \"failed\": 2,\n  \"reassigned\": 1,\n  \"host\": \"local\"\n}\n"
    );
    let (_, out, _) = run(beadboard(private.path(), Path::new("/none"), &ntm).arg("assignments"));
    assert!(
        out.contains("wa-6wz3  ✗ failed") && out.contains("agent gave up"),
        "{out}"
    );
}

#[test]
fn changes_write_the_store_and_forbidden_moves_exit_3_untouched() {
    let private = tempfile::tempdir().unwrap();
    let ntm = copy_fixture("examples/ntm");
    let store = ntm.path().join("sessions/webapp/assignments.json");
    let bb =
        |args: &[&str]| run(beadboard(private.path(), Path::new("/none"), ntm.path()).args(args));
    let before = fs::read(&store).unwrap();
    let (code, out, err) = bb(&["start", "webapp", "wa-3kd9"]);
    assert_eq!((code, out.as_str()), (3, ""));
    assert_eq!(
        err,
        "beadboard: [ASSIGN] Invalid transition completed -> working for wa-3kd9\n"
    );
    assert_eq!(
        fs::read(&store).unwrap(),
        before,
        "a forbidden move leaves the file byte-identical"
    );
    assert_eq!(bb(&["complete", "webapp", "wa-5tq0"]).0, 0);
    assert!(fs::read_to_string(&store).unwrap().contains(
        "\"status\": \"completed\",\n      \"assigned_at\": \"2026-02-04T10:02:44.905517362Z\""
    ));
    assert_eq!(
        fs::read(ntm.path().join("sessions/webapp/assignments.json.bak")).unwrap(),
        before
    );
    assert_eq!(
        bb(&["fail", "webapp", "wa-9p4e", "--reason", "pane <gone>"]).0,
        0
    );
    let (code, out, _) = bb(&["retry", "webapp", "wa-9p4e", "--json"]);
    assert_eq!(code, 0);
    let record: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (record["status"].as_str(), record["retry_count"].as_i64()),
        (Some("assigned"), Some(1))
    );
    assert_eq!(
        bb(&[
            "reassign",
            "webapp",
            "wa-7hq2",
            "--pane",
            "6",
            "--agent-type",
            "claude"
        ])
        .0,
        0
    );
    assert_eq!(
        bb(&[
            "assign",
            "webapp",
            "wa-new",
            "--title",
            "New & <shiny>",
            "--pane",
            "0",
            "--agent-type",
            "codex"
        ])
        .0,
        0
    );
    assert!(
        fs::read_to_string(&store)
            .unwrap()
            .contains("\"bead_title\": \"New \\u0026 \\u003cshiny\\u003e\"")
    );
    assert_eq!(bb(&["remove", "webapp", "wa-new"]).0, 0);
    let (code, _, err) = bb(&["remove", "webapp", "wa-new"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("assignments.json: [ASSIGN] Assignment not found: wa-new"),
        "{err}"
    );
    let (code, _, err) = bb(&["start", "ghost-session", "b"]);
    assert_eq!(code, 1, "{err}");
    assert!(!ntm.path().join("sessions/ghost-session").exists());
    assert_eq!(bb(&["start", "webapp"]).0, 2, "usage errors exit 2");
    let history =
        fs::read_to_string(ntm.path().join("sessions/webapp/assignments.history.jsonl")).unwrap();
    assert_eq!(history.lines().count(), 6, "{history}");
}

#[test]
fn many_processes_hammering_one_store_lose_nothing() {
    let private = tempfile::tempdir().unwrap();
    let ntm = tempfile::tempdir().unwrap();
    let workers = 6;
    let children: Vec<_> = (0..workers)
        .map(|w| {
            let script = (0..4)
                .map(|b| {
                    let bin = env!("CARGO_BIN_EXE_beadboard");
                    format!("{bin} assign s w{w}b{b} --title t --pane {w} --agent-type claude >/dev/null && {bin} start s w{w}b{b} >/dev/null && {bin} complete s w{w}b{b} >/dev/null")
                })
                .collect::<Vec<_>>()
                .join(" && ");
            Command::new("sh")
                .args(["-c", &script])
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("HOME", private.path())
                .env("BEADBOARD_NTM_DIR", ntm.path())
                .env("BEADBOARD_AGENTPAIR_DIR", "/none")
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let (code, out, _) =
        run(beadboard(private.path(), Path::new("/none"), ntm.path())
            .args(["stats", "s", "--json"]));
    assert_eq!(code, 0);
    let stats: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (stats["total"].as_i64(), stats["completed"].as_i64()),
        (Some(24), Some(24)),
        "{out}"
    );
}

#[test]
fn a_blank_fail_reason_is_a_usage_error_and_stores_nothing() {
    let private = tempfile::tempdir().unwrap();
    let ntm = copy_fixture("examples/ntm");
    let store = ntm.path().join("sessions/webapp/assignments.json");
    let history = ntm.path().join("sessions/webapp/assignments.history.jsonl");
    let before = fs::read(&store).unwrap();
    for reason in ["", "   ", "\t"] {
        let (code, out, err) = run(beadboard(private.path(), Path::new("/none"), ntm.path())
            .args(["fail", "webapp", "wa-9p4e", "--reason", reason]));
        assert_eq!((code, out.as_str()), (2, ""), "{reason:?}: {err}");
        assert!(
            err.contains("--reason") && err.contains("must not be empty"),
            "{reason:?}: {err}"
        );
        assert_eq!(fs::read(&store).unwrap(), before, "{reason:?}");
        assert!(!history.exists(), "{reason:?}: nothing is logged");
    }
    let (code, _, err) = run(
        beadboard(private.path(), Path::new("/none"), ntm.path()).args([
            "fail",
            "webapp",
            "wa-9p4e",
            "--reason",
            "pane gone",
        ]),
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn assignments_name_a_bad_status_or_an_unknown_session() {
    let private = tempfile::tempdir().unwrap();
    let ntm = fixture("examples/ntm");
    let bb = |args: &[&str]| run(beadboard(private.path(), Path::new("/none"), &ntm).args(args));
    let (code, out, err) = bb(&["assignments", "webapp", "--status", "bogus"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(
        err.contains("invalid value 'bogus' for '--status <S>'") && err.contains("failed"),
        "{err}"
    );
    for args in [
        &["assignments", "nosuch"][..],
        &["assignments", "nosuch", "--json"],
        &["stats", "nosuch"],
    ] {
        let (code, out, err) = bb(args);
        assert_eq!((code, out.as_str()), (1, ""), "{args:?}: {err}");
        assert!(
            err.contains("no session nosuch:")
                && err.contains("sessions/nosuch/assignments.json does not exist")
                && err.contains("sessions: webapp"),
            "{args:?}: {err}"
        );
    }
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) =
        run(beadboard(private.path(), Path::new("/none"), empty.path()).args(["assignments", "x"]));
    assert_eq!(code, 1);
    assert!(err.contains("there are no sessions in"), "{err}");
    // A status with no records in a session that exists is an empty answer, not an error.
    let (code, out, err) = bb(&["assignments", "webapp", "--status", "claimed", "--json"]);
    assert_eq!((code, out.trim()), (0, "[]"), "{err}");
}

/// Right after a retry the bead is not "assigned for weeks, not started": the store keeps the
/// first `assigned_at`, and the history log says when the retry was.
#[test]
fn status_counts_a_retried_bead_from_the_retry() {
    let private = tempfile::tempdir().unwrap();
    let ntm = copy_fixture("examples/ntm");
    let bb =
        |args: &[&str]| run(beadboard(private.path(), Path::new("/none"), ntm.path()).args(args));
    let flags = |out: &str| -> Vec<String> {
        let status: Value = serde_json::from_str(out).unwrap();
        status["needs_attention"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["name"] == "wa-6wz3")
            .map(|f| f["reason"].as_str().unwrap().to_owned())
            .collect()
    };
    let (code, out, err) = bb(&["status", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        flags(&out),
        ["failed: agent gave up: blocked on wa-0rr8 (missing sanitizer dependency)"]
    );
    let (code, out, err) = bb(&["retry", "webapp", "wa-6wz3", "--json"]);
    assert_eq!(code, 0, "{err}");
    let record: Value = serde_json::from_str(&out).unwrap();
    assert!(
        record["assigned_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-02"),
        "the store keeps the first assignment time: {record}"
    );
    let (code, out, err) = bb(&["status", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(flags(&out), Vec::<String>::new(), "{out}");
}

/// `status --json` lists each session's beads under its name, the names in natural order
/// (`bd-2` before `bd-10`), as every listing orders ids.
#[test]
fn status_lists_sessions_in_natural_order() {
    let private = tempfile::tempdir().unwrap();
    let ntm = tempfile::tempdir().unwrap();
    let store = fixture("examples/ntm/sessions/webapp");
    for name in ["bd-10", "bd-2", "bd-1", "bd-9"] {
        common::copy_tree(&store, &ntm.path().join("sessions").join(name));
    }
    let (code, out, err) =
        run(beadboard(private.path(), Path::new("/none"), ntm.path()).args(["status", "--json"]));
    assert_eq!(code, 0, "{err}");
    let status: Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&String> = status["beads"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["bd-1", "bd-2", "bd-9", "bd-10"], "{out}");
}
