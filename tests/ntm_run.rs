//! Running `ntm` the way a dashboard worker does (`beadboard::ntm::run`, `run_plan`): a
//! stand-in `ntm` on a private PATH; cancellation and the deadline stop it; each step's start
//! and end are reported; a plan stops at the first failure; nothing is printed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::ntm::{self, NtmCommand, Plan, RunError, RunOptions, StepEvent};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

fn standin(dir: &Path, body: &str) {
    let script = dir.join("ntm");
    fs::write(&script, format!("#!/bin/sh\n{body}\n")).unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
}

fn options(dir: &Path) -> RunOptions {
    RunOptions {
        path: Some(format!("{}:/usr/bin:/bin", dir.display()).into()),
        ..RunOptions::default()
    }
}

fn command(args: &[&str]) -> NtmCommand {
    NtmCommand {
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        home: None,
        purpose: "test".to_owned(),
    }
}

#[test]
fn cancelling_stops_ntm() {
    let dir = tempfile::tempdir().unwrap();
    let started = dir.path().join("started");
    standin(
        dir.path(),
        &format!("touch '{}'; exec sleep 1000", started.display()),
    );
    let opts = options(dir.path());
    let cancel = Arc::clone(&opts.cancel);
    // Cancels once ntm is running (it would otherwise sleep far longer than any test).
    let canceller = std::thread::spawn(move || {
        let until = Instant::now() + Duration::from_secs(30);
        while !started.exists() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(10));
        }
        cancel.store(true, Ordering::SeqCst);
    });
    let err = ntm::run(&command(&["assign", "s", "--retry", "b", "--json"]), &opts).unwrap_err();
    canceller.join().unwrap();
    assert!(matches!(err, RunError::Cancelled { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "cancelled: ntm assign s --retry b --json was stopped"
    );
}

#[test]
fn the_deadline_stops_ntm_and_its_group() {
    let dir = tempfile::tempdir().unwrap();
    let pgid = dir.path().join("pgid");
    standin(
        dir.path(),
        &format!(
            "echo $$ > '{}'; sleep 1000 & exec sleep 1000",
            pgid.display()
        ),
    );
    let opts = RunOptions {
        deadline: Duration::from_millis(200),
        ..options(dir.path())
    };
    let err = ntm::run(&command(&["assign", "s"]), &opts).unwrap_err();
    assert!(matches!(err, RunError::TimedOut { .. }), "{err}");
    common::terminal::wait_group_gone(fs::read_to_string(&pgid).unwrap().trim().parse().unwrap());
}

/// An `ntm` that leaves a grandchild holding its stdout open and exits: its answer comes back
/// long before the deadline (nothing waits for the pipe's end), and the grandchild is stopped
/// with ntm's group.
#[test]
fn a_grandchild_holding_stdout_does_not_hold_up_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let pgid = dir.path().join("pgid");
    standin(
        dir.path(),
        &format!(
            "echo $$ > '{}'; sleep 1000 &\necho '{}'",
            pgid.display(),
            r#"{"command":"assign","session":"s","timestamp":"t","success":true,"warnings":[]}"#
        ),
    );
    let opts = RunOptions {
        deadline: Duration::from_secs(3600),
        ..options(dir.path())
    };
    let ran = ntm::run(&command(&["assign", "s"]), &opts).unwrap();
    assert!(ran.succeeded(), "{}", ran.summary());
    common::terminal::wait_group_gone(fs::read_to_string(&pgid).unwrap().trim().parse().unwrap());
}

#[test]
fn no_envelope_and_no_ntm_are_named() {
    let dir = tempfile::tempdir().unwrap();
    standin(dir.path(), "echo 'Error: unknown flag --beads' >&2; exit 1");
    let err = ntm::run(&command(&["assign"]), &options(dir.path())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "ntm assign exited 1: ntm printed nothing on stdout (stderr: Error: unknown flag --beads)"
    );
    let empty = tempfile::tempdir().unwrap();
    let err = ntm::run(&command(&["assign"]), &options(empty.path())).unwrap_err();
    assert!(matches!(err, RunError::NotInstalled));
}

#[test]
fn a_plan_reports_each_step_and_stops_at_the_first_failure() {
    let dir = tempfile::tempdir().unwrap();
    standin(
        dir.path(),
        r#"case "$3" in
  --clear) echo '{"command":"assign","session":"s","timestamp":"t","success":true,"warnings":["lease kept"]}' ;;
  *) echo '{"command":"assign","session":"s","timestamp":"t","success":false,"warnings":[],"error":{"code":"INVALID_STATE","message":"bead b is not assignable"}}'; exit 1 ;;
esac"#,
    );
    let plan = Plan {
        steps: vec![
            command(&["assign", "s", "--clear", "b", "--json"]),
            command(&["assign", "s", "--pane=%1", "--beads=b", "--json"]),
            command(&["assign", "s", "--never-runs"]),
        ],
        confirm: None,
        warnings: Vec::new(),
    };
    let mut events = Vec::new();
    let outcome = ntm::run_plan(&plan, &options(dir.path()), |e| {
        events.push(match e {
            StepEvent::Started { index, of, command } => format!("start {index}/{of} {command}"),
            StepEvent::Finished { index, result } => format!(
                "end {index} {}",
                result
                    .as_ref()
                    .map_or_else(ToString::to_string, |r| r.summary())
            ),
        });
    });
    assert_eq!(
        events,
        [
            "start 0/3 ntm assign s --clear b --json",
            "end 0 done; warning: lease kept",
            "start 1/3 ntm assign s --pane=%1 --beads=b --json",
            "end 1 the bead's assignment is not in a state this operation applies to (INVALID_STATE): bead b is not assignable",
        ]
    );
    assert_eq!(outcome.steps.len(), 2);
    assert!(!outcome.succeeded(&plan));
    let (_, second) = &outcome.steps[1];
    assert_eq!(second.as_ref().unwrap().code, Some(1));
}

/// Everything a dashboard worker owns can move to its thread.
#[test]
fn the_worker_types_are_send() {
    fn send<T: Send + Sync + 'static>() {}
    send::<beadboard::persist::assignment::v9::NtmWriter>();
    send::<beadboard::persist::assignment::v9::WriteOutcome>();
    send::<beadboard::persist::assignment::v9::NtmWriteError>();
    send::<Plan>();
    send::<RunOptions>();
    send::<ntm::Ran>();
    send::<RunError>();
}
