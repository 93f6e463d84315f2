//! Least privilege: files and directories we create get upstream's modes minus the umask and
//! never wider (manifest 0600, transcript 0644, directories 0755, store 0644 and its history
//! 0644, lock 0600), whatever the umask; and the headless commands write nothing outside the
//! data roots (HOME and the temp dir stay as they were).
//!
//! The umask is process-wide, so each umask is tried in a child process (this test binary
//! running its ignored writer test under `sh -c 'umask …; exec …'`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::AssignmentStore;
use beadboard::persist::run::{Manager, Paths, RunConfig, State};
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The writer: not a test of its own; `modes_follow_upstream_under_every_umask` runs it.
#[test]
#[ignore = "helper process for modes_follow_upstream_under_every_umask"]
fn mode_writer_process() {
    let Ok(root) = std::env::var("BEADBOARD_MODES_ROOT") else {
        return;
    };
    let root = Path::new(&root);
    let mut run = Manager::new(Paths::new(root.join("ap")), "/repo/x")
        .create("modes", &RunConfig::default())
        .unwrap();
    run.transcript.log_state(&State::Working).unwrap();
    run.manifest.set_state(State::Working);
    run.save().unwrap();
    run.bridge.open().unwrap();
    let mut store = AssignmentStore::new(&root.join("ntm"), "s").unwrap();
    store.assign("a", "A", 1, "claude", "", "").unwrap();
    store.mark_working("a").unwrap();
}

/// Every file and directory under `root` with its permission bits.
fn modes(root: &Path) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let name = path.strip_prefix(root).unwrap().display().to_string();
            out.insert(name, meta.permissions().mode() & 0o7777);
            if meta.is_dir() {
                stack.push(path);
            }
        }
    }
    out
}

/// The upstream mode for a path we create.
fn upstream_mode(name: &str, is_dir: bool) -> u32 {
    let file = name.rsplit('/').next().unwrap_or(name);
    match file {
        _ if is_dir => 0o755,
        "manifest.json" => 0o600,
        "assignments.json.lock" => 0o600,
        "transcript.jsonl"
        | "bridge.jsonl"
        | "assignments.json"
        | "assignments.json.bak"
        | "assignments.history.jsonl" => 0o644,
        other => panic!("unexpected file {other} created"),
    }
}

#[test]
fn modes_follow_upstream_under_every_umask() {
    let exe = std::env::current_exe().unwrap();
    for umask in [0o000, 0o002, 0o022, 0o027, 0o077] {
        let root = tempfile::tempdir().unwrap();
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask:03o}; exec \"$0\" mode_writer_process --exact --ignored --test-threads=1"
            ))
            .arg(&exe)
            .env("BEADBOARD_MODES_ROOT", root.path())
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "writer under umask {umask:03o} failed");
        let found = modes(root.path());
        assert!(
            found.keys().any(|k| k.ends_with("manifest.json"))
                && found.keys().any(|k| k.ends_with("transcript.jsonl"))
                && found.keys().any(|k| k.ends_with("assignments.json.bak")),
            "the writer created the files: {found:?}"
        );
        for (name, mode) in &found {
            let is_dir = root.path().join(name).is_dir();
            let expected = upstream_mode(name, is_dir) & !umask;
            assert_eq!(
                *mode, expected,
                "{name} under umask {umask:03o}: {mode:o}, expected {expected:o}"
            );
        }
    }
}

/// Paths and bytes of every file under `dir` (empty when `dir` is empty or missing).
fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    out
}

#[test]
fn commands_write_only_inside_the_data_roots() {
    let outside = tempfile::tempdir().unwrap();
    let home = outside.path().join("home");
    let tmp = outside.path().join("tmp");
    let config = outside.path().join("config");
    for d in [&home, &tmp, &config] {
        std::fs::create_dir(d).unwrap();
    }
    std::fs::write(home.join(".profile"), "untouched").unwrap();
    let data = common::copy_fixture("examples/ntm");
    let agentpair = common::copy_fixture("upstream/agentpair/home-agentpair");
    let before_home = contents(&home);
    let commands: [&[&str]; 7] = [
        &["runs", "--all", "--json"],
        &["assignments", "--json"],
        &["stats", "webapp"],
        &[
            "assign",
            "webapp",
            "wa-new",
            "--title",
            "New",
            "--pane",
            "3",
            "--agent-type",
            "claude",
        ],
        &["start", "webapp", "wa-new"],
        &["complete", "webapp", "wa-new"],
        &["transcript", "--json", "43d7567239bfd176/3"],
    ];
    for args in commands {
        let out = common::beadboard(&home)
            .args(["--agentpair-dir"])
            .arg(agentpair.path())
            .arg("--ntm-dir")
            .arg(data.path())
            .args(args)
            .current_dir(outside.path())
            .env("TMPDIR", &tmp)
            .env("XDG_CONFIG_HOME", &config)
            .output()
            .unwrap();
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(contents(&home), before_home, "HOME unchanged");
    assert!(contents(&tmp).is_empty(), "nothing left in the temp dir");
    assert!(contents(&config).is_empty(), "no config file created");
    let top: Vec<_> = std::fs::read_dir(outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(top.len(), 3, "nothing created beside them: {top:?}");
    let store =
        std::fs::read_to_string(data.path().join("sessions/webapp/assignments.json")).unwrap();
    assert!(
        store.contains("\"wa-new\""),
        "the changes landed in the root"
    );
}
