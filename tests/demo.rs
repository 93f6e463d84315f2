//! `beadboard demo` as a newcomer runs it, in tmux: alive within 3 s, changing on its own
//! within 6 s, `q` quits and restores the terminal, nothing is written to `$HOME`, and the
//! sandbox (under the temp dir) is removed unless `--keep` is given; and in it, `i`, `A` and `n`
//! work as on real data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::tmux::{EXITED, Session, available};
use std::path::Path;
use std::time::{Duration, Instant};

fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn the_demo_comes_alive_and_cleans_up() {
    if !available() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    for (w, h) in [(80, 24), (200, 50)] {
        let s = Session::start(
            w,
            h,
            &["demo", "--seed", "11"],
            &[("HOME", home.path()), ("TMPDIR", tmp.path())],
        );
        let started = Instant::now();
        let first = s.wait_until(
            |screen| screen.contains("▶ working") && screen.contains("Runs"),
            "the demo's first screen",
        );
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "first screen took {:?}",
            started.elapsed()
        );
        assert!(
            first.contains("⚠") && first.contains("stale"),
            "the demo shows a stale run:\n{first}"
        );
        let changed = Instant::now();
        s.wait_until(|screen| screen != first, "the screen to change on its own");
        assert!(
            changed.elapsed() < Duration::from_secs(6),
            "no change for {:?}",
            changed.elapsed()
        );
        assert_eq!(
            entries(tmp.path()).len(),
            1,
            "one sandbox under the temp dir: {:?}",
            entries(tmp.path())
        );
        s.send(&["q"]);
        s.wait_for(&format!("{EXITED}-0"));
        assert!(!s.alternate_on());
        assert!(
            entries(home.path()).is_empty(),
            "the demo wrote to $HOME: {:?}",
            entries(home.path())
        );
        assert!(
            entries(tmp.path()).is_empty(),
            "the sandbox was not removed: {:?}",
            entries(tmp.path())
        );
    }
}

#[test]
fn keep_leaves_the_sandbox_and_says_where() {
    if !available() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let s = Session::start(
        100,
        30,
        &["demo", "--keep", "--speed", "4"],
        &[("HOME", home.path()), ("TMPDIR", tmp.path())],
    );
    s.wait_for("▶ working");
    s.send(&["q"]);
    let screen = s.wait_for(EXITED);
    let kept = entries(tmp.path());
    assert_eq!(kept.len(), 1);
    assert!(screen.contains("demo sandbox kept at"), "{screen}");
    let dir = tmp.path().join(&kept[0]);
    assert!(
        dir.join("agentpair/runs").is_dir()
            && dir.join("ntm/sessions/demo/assignments.json").is_file()
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_beadboard"))
        .args(["runs", "--all", "--json", "--agentpair-dir"])
        .arg(dir.join("agentpair"))
        .env("HOME", home.path())
        .output()
        .unwrap();
    let runs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        runs.as_array().unwrap().len() >= 5,
        "the kept sandbox holds real agentpair runs"
    );
}

/// The demo shows where you are needed, and its ready beads can be assigned: `i` names the
/// first item needing attention, `A` acknowledges it, `n` on the first ready bead writes an
/// assignment into the sandbox's store.
#[test]
fn the_demo_shows_where_you_are_needed() {
    if !available() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let s = Session::start(
        200,
        50,
        &["demo", "--seed", "5"],
        &[("HOME", home.path()), ("TMPDIR", tmp.path())],
    );
    s.wait_for("need you (i)");
    s.send(&["i"]);
    s.wait_for("needs attention (1/");
    s.send(&["A"]);
    s.wait_for("acknowledged");
    s.send(&["3"]);
    for _ in 0..6 {
        s.send(&["h"]);
    }
    s.send(&["g", "n"]);
    s.wait_for("to an agent");
    s.type_text("9");
    s.send(&["Enter"]);
    s.wait_for("assigned: now assigned (pane 9");
    let sandbox = tmp.path().join(&entries(tmp.path())[0]);
    let store =
        std::fs::read_to_string(sandbox.join("ntm/sessions/demo/assignments.json")).unwrap();
    assert!(store.contains("\"pane\": 9"), "{store}");
    s.send(&["q"]);
    s.wait_for(&format!("{EXITED}-0"));
}
