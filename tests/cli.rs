//! The headless CLI, run as a real process against copies of the golden files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::run::{Manager, Paths, RunConfig, repo_id_from_path};
use common::dash::Home;
use common::{copy_fixture, fixture};
use serde_json::Value;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The binary on these roots, with `home` (each test's own) as its HOME.
fn beadboard(home: &Path, agentpair: &Path, ntm: &Path) -> Command {
    let mut cmd = common::beadboard(home);
    cmd.env("BEADBOARD_AGENTPAIR_DIR", agentpair)
        .env("BEADBOARD_NTM_DIR", ntm);
    cmd
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    (
        status.code().unwrap(),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

#[test]
fn runs_lists_active_first_and_json_keeps_manifest_keys() {
    let private = tempfile::tempdir().unwrap();
    let ap = fixture("upstream/agentpair/home-agentpair");
    let (code, out, err) =
        run(beadboard(private.path(), &ap, Path::new("/none")).args(["runs", "--all"]));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("RUN"));
    assert!(
        lines[1].contains("▶ working") && lines[2].contains("▶ working"),
        "{out}"
    );
    assert!(out.contains("✗ failed") && out.contains("Task 3: implement <feature> & tests"));
    let (code, out, _) =
        run(beadboard(private.path(), &ap, Path::new("/none")).args(["runs", "--json"]));
    assert_eq!(code, 0);
    let runs: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(runs.len(), 5);
    let first = runs[0].as_object().unwrap();
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(
        &keys[..5],
        ["id", "repo_path", "repo_id", "prompt", "state"]
    );
    // beadboard's facts, then the machine the record is from.
    assert_eq!(keys[keys.len() - 2..], ["beadboard", "host"]);
    assert_eq!(first["host"], "local");
    assert_eq!(first["state"], "working");
    assert!(
        first["beadboard"]["reference"]
            .as_str()
            .unwrap()
            .ends_with("/2")
    );
}

#[test]
fn a_corrupt_manifest_is_named_and_skipped() {
    let private = tempfile::tempdir().unwrap();
    let home = copy_fixture("upstream/agentpair/home-agentpair");
    let bad = home.path().join("runs/43d7567239bfd176/3/manifest.json");
    fs::write(&bad, "{\"id\": \"3\"}").unwrap();
    let (code, out, err) =
        run(beadboard(private.path(), home.path(), Path::new("/none")).args(["runs", "--all"]));
    assert_eq!(code, 0);
    assert!(
        err.contains(&format!(
            "skipped {}: field \"id\": expected an integer",
            bad.display()
        )),
        "{err}"
    );
    assert_eq!(out.lines().count(), 5, "header + 4 readable runs: {out}");
}

#[test]
fn missing_roots_are_not_errors() {
    let private = tempfile::tempdir().unwrap();
    let (code, out, _) = run(beadboard(
        private.path(),
        Path::new("/nonexistent/ap"),
        Path::new("/nonexistent/ntm"),
    )
    .arg("runs"));
    assert_eq!(code, 0);
    assert!(
        out.contains("No agentpair runs in /nonexistent/ap/runs"),
        "{out}"
    );
    let (code, out, _) = run(beadboard(
        private.path(),
        Path::new("/nonexistent/ap"),
        Path::new("/nonexistent/ntm"),
    )
    .arg("assignments"));
    assert_eq!(code, 0);
    assert!(
        out.contains("No assignments in /nonexistent/ntm/sessions"),
        "{out}"
    );
}

#[test]
fn transcript_json_is_the_entries_upstream_reads() {
    let private = tempfile::tempdir().unwrap();
    let ap = fixture("upstream/agentpair/home-agentpair");
    let expected: Value = serde_json::from_slice(
        &fs::read(fixture("upstream/agentpair/upstream-read.json")).unwrap(),
    )
    .unwrap();
    let (code, out, err) = run(beadboard(private.path(), &ap, Path::new("/none")).args([
        "transcript",
        "43d7/3",
        "--json",
    ]));
    assert_eq!(code, 0, "{err}");
    let mut entries: Value = serde_json::from_str(&out).unwrap();
    // Each entry carries the run's name and reference under "beadboard" (upstream ignores it).
    for entry in entries.as_array_mut().unwrap() {
        assert_eq!(
            entry.as_object_mut().unwrap().remove("host").unwrap(),
            "local"
        );
        let ours = entry.as_object_mut().unwrap().remove("beadboard").unwrap();
        assert_eq!(
            ours,
            serde_json::json!({"name": "webapp #3", "reference": "43d7567239bfd176/3"})
        );
    }
    assert_eq!(entries, expected["43d7567239bfd176"][2]["entries"]);
    let (code, out, _) = run(beadboard(private.path(), &ap, Path::new("/none"))
        .args(["transcript", "43d7567239bfd176/1"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("⚑ signal     FAIL") && out.contains("completed after 42s"),
        "{out}"
    );
    assert!(
        !out.contains('\u{1b}'),
        "agent escape sequences never reach the terminal"
    );
    let (code, _, err) =
        run(beadboard(private.path(), &ap, Path::new("/none")).args(["transcript", "zzzz/1"]));
    assert_eq!(code, 1);
    assert!(
        err.contains("no run zzzz/1: no repo id starting with \"zzzz\""),
        "{err}"
    );
}

#[test]
fn transcript_by_id_uses_the_current_directory() {
    let private = tempfile::tempdir().unwrap();
    let ap = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();
    let repo_path = repo.path().to_str().unwrap().to_owned();
    let run_ = Manager::new(Paths::new(ap.path()), repo_path.clone())
        .create("hello", &RunConfig::default())
        .unwrap();
    run_.transcript.log_iteration(1).unwrap();
    fs::write(
        run_.transcript.path(),
        format!(
            "{}not json\n",
            fs::read_to_string(run_.transcript.path()).unwrap()
        ),
    )
    .unwrap();
    let (code, out, err) = run(beadboard(private.path(), ap.path(), Path::new("/none"))
        .current_dir(repo.path())
        .env("PWD", &repo_path)
        .args(["transcript", "1"]));
    assert_eq!(code, 0, "{err}");
    let base = repo.path().file_name().unwrap().to_str().unwrap();
    assert!(out.starts_with(&format!("run {base} #1 · ")), "{out}");
    assert!(
        out.contains("iteration 1") && out.contains("line 2 unreadable"),
        "{out}"
    );
}

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
fn transcript_follow_prints_appended_entries() {
    let private = tempfile::tempdir().unwrap();
    let ap = tempfile::tempdir().unwrap();
    let run_ = Manager::new(Paths::new(ap.path()), "/repo")
        .create("p", &RunConfig::default())
        .unwrap();
    run_.transcript.log_iteration(1).unwrap();
    let reference = format!("{}/1", repo_id_from_path("/repo"));
    let mut child = beadboard(private.path(), ap.path(), Path::new("/none"))
        .args(["transcript", &reference, "--follow", "--json"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["iteration"], 1);
    run_.transcript.log_signal("claude", 1, "PASS").unwrap();
    let second: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(second["signal"], "PASS");
    child.kill().unwrap();
    child.wait().unwrap();
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

/// Every way of naming a run picks the same run; an ambiguous or unknown name says why.
#[test]
fn transcript_takes_a_run_by_name_or_reference() {
    let private = tempfile::tempdir().unwrap();
    let ap = fixture("upstream/agentpair/home-agentpair");
    let nowhere = tempfile::tempdir().unwrap();
    let bb = |args: &[&str]| {
        run(beadboard(private.path(), &ap, Path::new("/none"))
            .current_dir(nowhere.path())
            .env("PWD", nowhere.path())
            .args(args))
    };
    let (code, by_reference, err) = bb(&["transcript", "43d7567239bfd176/3", "--json"]);
    assert_eq!(code, 0, "{err}");
    for name in ["webapp #3", "WEBAPP #3", "webapp#3", "#3", "3", "43d7/3"] {
        let (code, out, err) = bb(&["transcript", name, "--json"]);
        assert_eq!((code, &out), (0, &by_reference), "{name}: {err}");
    }
    let (code, out, _) = bb(&["transcript", "webapp #3"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("run webapp #3 · "), "{out}");
    // Two repos have a run 1: `#1` could be either (a bad value: exit 2); the message names
    // both.
    let (code, out, err) = bb(&["transcript", "#1"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("#1 could be any of 2 runs:")
            && err.contains("webapp #1 (43d7567239bfd176/1)")
            && err.contains("api #1"),
        "{err}"
    );
    let (code, _, err) = bb(&["transcript", "api #3"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no run api #3: no repo named \"api\" has it; runs with id 3: webapp #3"),
        "{err}"
    );
    let (code, _, err) = bb(&["transcript", "webapp"]);
    assert_eq!(code, 2, "not a name at all: a bad value");
    assert!(err.contains("\"webapp\" is not a run name"), "{err}");
}

/// `runs --json`, `status --json` and `runs` agree on what a run is called.
#[test]
fn json_outputs_name_runs_alike() {
    let private = tempfile::tempdir().unwrap();
    let home = Home::golden();
    let bb =
        |args: &[&str]| run(beadboard(private.path(), &home.agentpair(), &home.ntm()).args(args));
    let (code, out, err) = bb(&["runs", "--all", "--json"]);
    assert_eq!(code, 0, "{err}");
    let runs: Vec<Value> = serde_json::from_str(&out).unwrap();
    let names: Vec<(String, String)> = runs
        .iter()
        .map(|r| {
            (
                r["beadboard"]["name"].as_str().unwrap().to_owned(),
                r["beadboard"]["reference"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        names.contains(&("webapp #3".to_owned(), "43d7567239bfd176/3".to_owned())),
        "{names:?}"
    );
    let (code, out, err) = bb(&["status", "--json"]);
    assert_eq!(code, 0, "{err}");
    let status: Value = serde_json::from_str(&out).unwrap();
    let flagged: Vec<&Value> = status["needs_attention"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "run")
        .collect();
    assert!(!flagged.is_empty(), "{status}");
    for f in flagged {
        let pair = (
            f["name"].as_str().unwrap().to_owned(),
            f["reference"].as_str().unwrap().to_owned(),
        );
        assert!(names.contains(&pair), "{pair:?} not in {names:?}");
        assert_eq!(f["id"], f["reference"]);
    }
    let (_, text, _) = bb(&["runs", "--all"]);
    for (name, _) in &names {
        assert!(text.contains(name.as_str()), "{name} missing from {text}");
    }
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
