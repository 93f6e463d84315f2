//! The headless CLI's runs and transcripts, run as a real process against copies of the golden
//! files. (Assignments, moves and stores: `cli_stores.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::run::{Manager, Paths, RunConfig, repo_id_from_path};
use common::cli::on_roots as beadboard;
use common::dash::Home;
use common::{copy_fixture, fixture, run};
use serde_json::Value;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

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
