//! Files that cannot be read (permissions), and directories and files in each other's place.

use crate::common::dash::{Home, screen};
use crate::support::{
    FAILED, Snapshot, Unprivileged, assert_names, assign_args, cli, cli_unprivileged, empty_home,
    open_up, unprivileged,
};
use beadboard::persist::assignment::{AssignmentStore, list_sessions};
use beadboard::persist::run::{
    Manager, Paths, Transcript, TranscriptTail, list_all_repos, load_manifest_by_path, scan_runs,
};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const REPO_ID: &str = "43d7567239bfd176";

fn run_file(home: &Home, run: u32, name: &str) -> std::path::PathBuf {
    home.agentpair()
        .join("runs")
        .join(REPO_ID)
        .join(run.to_string())
        .join(name)
}

#[test]
fn unreadable_files_are_named_and_the_rest_still_works() {
    let found = unprivileged();
    let check = found.as_ref().map(drop).map_err(Clone::clone);
    let (true, Ok(how)) = (
        crate::common::needs::runnable("to run the binary without privileges", check),
        found,
    ) else {
        return;
    };
    let home = Home::golden();
    let store = home.ntm().join("sessions/locked/assignments.json");
    fs::create_dir_all(store.parent().unwrap()).unwrap();
    fs::copy(home.ntm().join("sessions/webapp/assignments.json"), &store).unwrap();
    open_up(home.dir.path());
    let manifest = run_file(&home, 2, "manifest.json");
    let transcript = run_file(&home, 1, "transcript.jsonl");
    for locked in [&manifest, &transcript, &store] {
        fs::set_permissions(locked, fs::Permissions::from_mode(0o000)).unwrap();
    }
    let before = Snapshot::take(home.dir.path());
    let denied = "Permission denied";

    if matches!(how, Unprivileged::Direct) {
        let err = load_manifest_by_path(manifest.parent().unwrap()).unwrap_err();
        assert_names(&err.to_string(), &manifest, &[denied]);
        let err = Transcript::new(&transcript, 1).read_lines().unwrap_err();
        assert_names(&err.to_string(), &transcript, &[denied]);
        let err = AssignmentStore::load_store(&home.ntm(), "locked").unwrap_err();
        assert_names(&err.to_string(), &store, &[denied]);
        let model = home.model(160, 40, false);
        assert_eq!(model.runs.problems().len(), 1);
        assert_eq!(model.runs.all().len(), 5);
    }

    let bin_home = empty_home();
    let bb = |args: &[&str]| {
        cli_unprivileged(&how, &home.agentpair(), &home.ntm(), bin_home.path(), args)
    };
    let runs = bb(&["runs", "--all"]);
    assert_eq!(runs.code, 0, "{runs:?}");
    assert!(runs.err.contains(&format!(
        "beadboard: skipped {}: {denied}",
        manifest.display()
    )));
    assert_eq!(
        runs.out.lines().count(),
        1 + 5,
        "the other runs: {}",
        runs.out
    );
    let shown = bb(&["transcript", &format!("{REPO_ID}/1")]);
    assert_eq!(shown.code, FAILED, "{shown:?}");
    assert_names(&shown.err, &transcript, &[denied]);
    let all = bb(&["assignments"]);
    assert_eq!(all.code, 0, "{all:?}");
    assert!(
        all.err
            .contains("beadboard: skipped session locked: [ASSIGN] load failed at ")
    );
    assert_names(&all.err, &store, &[denied]);
    assert_eq!(
        all.out.lines().count(),
        1 + 8,
        "webapp's records: {}",
        all.out
    );
    for args in [
        &["assignments", "locked"][..],
        &["stats", "locked"],
        &["start", "locked", "wa-5tq0"],
    ] {
        let out = bb(args);
        assert_eq!(out.code, FAILED, "{args:?}: {out:?}");
        assert_names(&out.err, &store, &[denied]);
    }

    before.assert_same(&Snapshot::take(home.dir.path()), "reading unreadable files");
}

#[test]
fn directories_where_files_should_be_are_named() {
    let home = Home::golden();
    let manifest = run_file(&home, 3, "manifest.json");
    let transcript = run_file(&home, 1, "transcript.jsonl");
    let store = home.ntm().join("sessions/dir/assignments.json");
    for path in [&manifest, &transcript] {
        fs::remove_file(path).unwrap();
    }
    for path in [&manifest, &transcript, &store] {
        fs::create_dir_all(path).unwrap();
    }
    let before = Snapshot::take(home.dir.path());
    let is_dir = "Is a directory";

    let report = scan_runs(&Paths::new(home.agentpair()));
    assert_eq!(report.runs.len(), 5);
    assert_eq!(report.problems.len(), 1);
    assert_names(&report.problems[0].to_string(), &manifest, &[is_dir]);
    let err = load_manifest_by_path(manifest.parent().unwrap()).unwrap_err();
    assert_names(&err.to_string(), &manifest, &[is_dir]);
    let err = Transcript::new(&transcript, 1).read_all().unwrap_err();
    assert_names(&err.to_string(), &transcript, &[is_dir]);
    let err = Transcript::new(&transcript, 1).read_lines().unwrap_err();
    assert_names(&err.to_string(), &transcript, &[is_dir]);
    assert!(TranscriptTail::new(&transcript).poll().is_err());
    let err = AssignmentStore::load_store(&home.ntm(), "dir").unwrap_err();
    assert_names(&err.to_string(), &store, &[is_dir]);

    let bin_home = empty_home();
    let bb = |args: &[&str]| cli(&home.agentpair(), &home.ntm(), bin_home.path(), args);
    let runs = bb(&["runs", "--all"]);
    assert_eq!(runs.code, 0, "{runs:?}");
    assert!(runs.err.contains(&format!(
        "beadboard: skipped {}: {is_dir}",
        manifest.display()
    )));
    assert_eq!(runs.out.lines().count(), 1 + 5);
    for (run, path) in [(1, &transcript), (3, &manifest)] {
        let shown = bb(&["transcript", &format!("{REPO_ID}/{run}")]);
        assert_eq!(shown.code, FAILED, "{shown:?}");
        assert_names(&shown.err, path, &[is_dir]);
    }
    let all = bb(&["assignments"]);
    assert_eq!(all.code, 0, "{all:?}");
    assert_names(&all.err, &store, &["skipped session dir: ", is_dir]);
    assert_eq!(all.out.lines().count(), 1 + 8);
    let one = bb(&["start", "dir", "wa-5tq0"]);
    assert_eq!(one.code, FAILED, "{one:?}");
    assert_names(&one.err, &store, &[is_dir]);

    let mut model = home.model(160, 40, false);
    assert_eq!(model.runs.all().len(), 5);
    assert_eq!(model.runs.problems().len(), 1);
    model.runs.select_dir(transcript.parent().unwrap());
    model.open_selected_transcript();
    beadboard::app::settle_pending(&mut model, crate::common::dash::now());
    assert_names(
        model.transcript.error.as_deref().unwrap(),
        &transcript,
        &[is_dir],
    );
    model.board.open_session("dir");
    beadboard::app::settle_pending(&mut model, crate::common::dash::now());
    assert_names(model.board.error.as_deref().unwrap(), &store, &[is_dir]);
    let screen = screen(&model);
    assert!(
        screen.contains("The transcript cannot be read:"),
        "{screen}"
    );

    before.assert_same(&Snapshot::take(home.dir.path()), "reading directories");
}

#[test]
fn roots_that_are_files_are_named() {
    let home = Home::empty();
    fs::create_dir_all(home.agentpair()).unwrap();
    fs::create_dir_all(home.ntm()).unwrap();
    let runs_dir = home.agentpair().join("runs");
    let sessions = home.ntm().join("sessions");
    fs::write(&runs_dir, "not a directory").unwrap();
    fs::write(&sessions, "not a directory").unwrap();
    let before = Snapshot::take(home.dir.path());
    let not_dir = "Not a directory";

    let paths = Paths::new(home.agentpair());
    let report = scan_runs(&paths);
    assert!(report.runs.is_empty());
    assert_eq!(report.problems.len(), 1);
    assert_names(&report.problems[0].to_string(), &runs_dir, &[not_dir]);
    assert_names(
        &list_all_repos(&paths).unwrap_err().to_string(),
        &runs_dir,
        &[not_dir],
    );
    let err = Manager::new(paths, "/repo").list().unwrap_err();
    assert_names(&err.to_string(), &runs_dir, &[not_dir]);
    assert!(list_sessions(&home.ntm()).is_empty());
    let err = beadboard::persist::assignment::read_sessions(&home.ntm()).unwrap_err();
    assert_names(&err.to_string(), &sessions, &[not_dir]);
    let err = AssignmentStore::load_store(&home.ntm(), "s").unwrap_err();
    assert_names(&err.to_string(), &sessions, &[not_dir]);

    let bin_home = empty_home();
    let bb = |args: &[&str]| cli(&home.agentpair(), &home.ntm(), bin_home.path(), args);
    let runs = bb(&["runs"]);
    assert_eq!(runs.code, 0, "{runs:?}");
    assert!(runs.err.contains(&format!(
        "beadboard: skipped {}: {not_dir}",
        runs_dir.display()
    )));
    let all = bb(&["assignments"]);
    assert_eq!(all.code, 0, "{all:?}");
    assert_names(&all.err, &sessions, &[not_dir]);
    for args in [&["assignments", "s"][..], &["start", "s", "b"]] {
        let out = bb(args);
        assert_eq!(out.code, FAILED, "{out:?}");
        assert_names(&out.err, &sessions, &[not_dir]);
    }
    let assign = bb(&assign_args("s"));
    assert_eq!(assign.code, FAILED, "{assign:?}");
    assert_names(&assign.err, &sessions, &[not_dir]);

    let model = home.model(160, 40, false);
    assert_eq!(model.runs.problems().len(), 1);
    assert!(screen(&model).contains("unreadable"));

    before.assert_same(&Snapshot::take(home.dir.path()), "roots that are files");
    assert!(Path::new(&sessions).is_file());
}
