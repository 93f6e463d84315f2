//! Symbolic links leading out of the data roots: reading through them is fine, writing through
//! them never happens (refused, or the link itself is replaced).

use crate::common::{copy_tree, fixture};
use crate::support::{FAILED, Snapshot, assert_names, assign_args, cli, empty_home};
use beadboard::persist::assignment::{AssignmentStore, StoreError};
use beadboard::persist::run::{
    Manager, Paths, RunConfig, RunError, State, Transcript, close_run, load_manifest_by_path,
    repo_id_from_path,
};
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A data root and a directory outside it.
struct Place {
    _dir: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
}

fn place() -> Place {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    let outside = dir.path().join("outside");
    fs::create_dir_all(&root).unwrap();
    fs::create_dir_all(&outside).unwrap();
    Place {
        root,
        outside,
        _dir: dir,
    }
}

const STORE: &str = "examples/ntm/sessions/webapp/assignments.json";

#[test]
fn a_session_dir_leading_outside_is_never_written() {
    let p = place();
    let ntm = p.root.join("ntm");
    fs::create_dir_all(ntm.join("sessions")).unwrap();
    copy_tree(
        &fixture("examples/ntm/sessions/webapp"),
        &p.outside.join("evil"),
    );
    symlink(p.outside.join("evil"), ntm.join("sessions/evil")).unwrap();
    let outside = Snapshot::take(&p.outside);
    let inside = Snapshot::take(&p.root);

    // Reading through the link is fine.
    let mut store = AssignmentStore::load_store(&ntm, "evil").unwrap();
    assert_eq!(store.stats().total, 8);
    let refused = |e: StoreError| {
        assert!(matches!(e, StoreError::OutsideRoot { .. }), "{e}");
        assert_names(
            &e.to_string(),
            &ntm.join("sessions/evil"),
            &["refusing to write: it leads to ", "outside"],
        );
    };
    refused(store.assign("b", "t", 1, "claude", "", "").unwrap_err());
    refused(store.mark_working("wa-5tq0").unwrap_err());
    refused(store.remove("wa-5tq0").unwrap_err());
    refused(store.clear().unwrap_err());
    let mut fresh = AssignmentStore::new(&ntm, "evil").unwrap();
    refused(fresh.assign("b", "t", 1, "claude", "", "").unwrap_err());

    let bin_home = empty_home();
    let none = p.root.join("no-ap");
    let bb = |args: &[&str]| cli(&none, &ntm, bin_home.path(), args);
    let listed = bb(&["assignments", "evil"]);
    assert_eq!(listed.code, 0, "{listed:?}");
    assert_eq!(listed.out.lines().count(), 1 + 8);
    for args in [
        &assign_args("evil")[..],
        &["start", "evil", "wa-5tq0"],
        &["remove", "evil", "wa-5tq0"],
    ] {
        let out = bb(args);
        assert_eq!(out.code, FAILED, "{args:?}: {out:?}");
        assert_names(&out.err, &ntm.join("sessions/evil"), &["refusing to write"]);
    }
    outside.assert_same(&Snapshot::take(&p.outside), "writes through a session link");
    inside.assert_same(&Snapshot::take(&p.root), "refused writes");
}

#[test]
fn a_store_file_leading_outside_is_replaced_not_written_through() {
    let p = place();
    let ntm = p.root.join("ntm");
    let dir = ntm.join("sessions/linked");
    fs::create_dir_all(&dir).unwrap();
    fs::copy(fixture(STORE), p.outside.join("store.json")).unwrap();
    symlink(p.outside.join("store.json"), dir.join("assignments.json")).unwrap();
    let outside = Snapshot::take(&p.outside);

    let bin_home = empty_home();
    let out = cli(
        &p.root,
        &ntm,
        bin_home.path(),
        &["complete", "linked", "wa-5tq0"],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let primary = fs::symlink_metadata(dir.join("assignments.json")).unwrap();
    assert!(
        primary.is_file(),
        "the link itself was replaced by the new state"
    );
    let mut store = AssignmentStore::load_store(&ntm, "linked").unwrap();
    store.mark_failed("wa-9p4e", "gone").unwrap();
    outside.assert_same(&Snapshot::take(&p.outside), "writes through a store link");
}

fn quiet_run(paths: &Paths, repo: &str) -> PathBuf {
    let mut run = Manager::new(paths.clone(), repo)
        .create("quiet", &RunConfig::default())
        .unwrap();
    run.manifest.set_state(State::Working);
    run.save().unwrap();
    run.transcript.log_iteration(1).unwrap();
    run.dir().to_path_buf()
}

#[test]
fn a_run_dir_leading_outside_is_never_closed() {
    let p = place();
    let paths = Paths::new(p.root.join("ap"));
    let elsewhere = Paths::new(p.outside.join("ap"));
    // runs/<repo>/1 is a link to a run outside; runs/<other repo> is a link to a repo outside.
    let real_run = quiet_run(&elsewhere, "/repo");
    let real_repo = quiet_run(&elsewhere, "/other")
        .parent()
        .unwrap()
        .to_path_buf();
    fs::create_dir_all(paths.repo_dir("/repo")).unwrap();
    let linked_run = paths.repo_dir("/repo").join("1");
    symlink(&real_run, &linked_run).unwrap();
    symlink(&real_repo, paths.repo_dir("/other")).unwrap();
    let outside = Snapshot::take(&p.outside);
    let inside = Snapshot::take(&p.root);

    assert_eq!(load_manifest_by_path(&linked_run).unwrap().prompt, "quiet");
    for run_dir in [linked_run.clone(), paths.repo_dir("/other").join("1")] {
        for force in [false, true] {
            let err =
                close_run(&run_dir, State::Cancelled, "x", force, Duration::ZERO).unwrap_err();
            assert!(matches!(err, RunError::OutsideRoot { .. }), "{err}");
            assert_names(
                &err.to_string(),
                &run_dir,
                &[
                    "refusing to write: it leads to ",
                    "outside the runs directory",
                ],
            );
        }
    }
    outside.assert_same(&Snapshot::take(&p.outside), "closing a linked run");
    inside.assert_same(&Snapshot::take(&p.root), "refused closes");
}

#[test]
fn a_transcript_leading_outside_is_never_appended_to() {
    let p = place();
    let paths = Paths::new(p.root.join("ap"));
    let dir = quiet_run(&paths, "/repo");
    let transcript = dir.join("transcript.jsonl");
    fs::rename(&transcript, p.outside.join("t.jsonl")).unwrap();
    symlink(p.outside.join("t.jsonl"), &transcript).unwrap();
    let outside = Snapshot::take(&p.outside);
    let inside = Snapshot::take(&p.root);

    // Reading through the link is fine.
    let t = Transcript::new(&transcript, 1);
    assert_eq!(t.read_all().unwrap().len(), 1);
    let bin_home = empty_home();
    let reference = format!("{}/1", repo_id_from_path("/repo"));
    let shown = cli(
        paths.base_dir(),
        &p.root,
        bin_home.path(),
        &["transcript", &reference],
    );
    assert_eq!(shown.code, 0, "{shown:?}");
    assert!(shown.out.contains("iteration 1"), "{}", shown.out);

    let err = t.log_iteration(2).unwrap_err();
    assert_names(
        &err.to_string(),
        &transcript,
        &["is a symbolic link (to ", "refusing to write through it"],
    );
    // Closing the run must not half-happen: refused before the manifest is saved.
    let err = close_run(&dir, State::Cancelled, "x", true, Duration::ZERO).unwrap_err();
    assert_names(
        &err.to_string(),
        &transcript,
        &["is a symbolic link (to ", "refusing to write through it"],
    );
    outside.assert_same(&Snapshot::take(&p.outside), "appending through a link");
    inside.assert_same(&Snapshot::take(&p.root), "refused appends");
}

#[test]
fn a_manifest_leading_outside_is_replaced_not_written_through() {
    let p = place();
    let paths = Paths::new(p.root.join("ap"));
    let manager = Manager::new(paths.clone(), "/repo");
    let dirs: Vec<PathBuf> = (0..2).map(|_| quiet_run(&paths, "/repo")).collect();
    for (i, dir) in dirs.iter().enumerate() {
        let outside = p.outside.join(format!("manifest-{i}.json"));
        fs::rename(dir.join("manifest.json"), &outside).unwrap();
        symlink(&outside, dir.join("manifest.json")).unwrap();
    }
    let outside = Snapshot::take(&p.outside);

    let mut run = manager.load(1).unwrap();
    assert_eq!(run.manifest.prompt, "quiet", "read through the link");
    run.manifest.prompt = "changed".into();
    run.save().unwrap();
    let closed = close_run(&dirs[1], State::Failed, "gone", true, Duration::ZERO).unwrap();
    assert_eq!(closed.state, State::Failed);
    outside.assert_same(&Snapshot::take(&p.outside), "saving a linked manifest");
    for (dir, prompt) in dirs.iter().zip(["changed", "quiet"]) {
        let link = dir.join("manifest.json");
        assert!(
            fs::symlink_metadata(&link).unwrap().is_file(),
            "link replaced"
        );
        assert_eq!(load_manifest_by_path(dir).unwrap().prompt, prompt);
    }
    assert!(Path::new(&p.outside).join("manifest-0.json").is_file());
}
