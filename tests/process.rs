//! The child runner (`beadboard::process`): output, input, caps, a missing program, the
//! deadline, cancellation, SIGTERM ignored, and a grandchild holding a pipe open, with `sh` as
//! the child; afterwards no process of the child's group is left.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::process::{Child, ProcessError};
use common::terminal::wait_group_gone;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

fn sh(script: &str) -> Child {
    let mut command = Command::new("sh");
    command.arg("-c").arg(script);
    Child::new(command)
}

/// The group id a child printed as its first line (`echo $$`: it leads its group).
fn first_line_pid(bytes: &[u8]) -> i32 {
    String::from_utf8_lossy(bytes)
        .lines()
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn output_and_status_are_collected() {
    let done = sh("echo out; echo ' err ' >&2; exit 3").run().unwrap();
    assert_eq!(done.stdout, b"out\n");
    assert_eq!(done.stderr, b" err \n");
    assert_eq!(done.status.code(), Some(3));
}

#[test]
fn input_reaches_the_child_and_output_is_capped() {
    let done = sh("cat; head -c 100000 /dev/zero")
        .input(b"hello".to_vec())
        .keep(8)
        .run()
        .unwrap();
    assert_eq!(
        done.stdout, b"hello\0\0\0",
        "the first 8 bytes, the rest drained"
    );
    assert!(done.status.success(), "a chatty child never blocks");
}

#[test]
fn a_missing_program_is_not_found() {
    let err = Child::new(Command::new("/nonexistent/beadboard-no-such"))
        .run()
        .unwrap_err();
    assert!(matches!(err, ProcessError::NotFound(_)), "{err}");
}

#[test]
fn the_deadline_stops_the_whole_group() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let err = sh(&format!(
        "echo $$ > '{}'; sleep 1000 & sleep 1000",
        pid_file.display()
    ))
    .deadline(Duration::from_millis(300))
    .run()
    .unwrap_err();
    assert!(matches!(err, ProcessError::TimedOut(_)), "{err}");
    assert_eq!(err.to_string(), "it ran longer than 300ms and was stopped");
    wait_group_gone(first_line_pid(&std::fs::read(&pid_file).unwrap()));
}

#[test]
fn a_grandchild_holding_stdout_does_not_hold_up_the_result() {
    // The shell prints and exits at once; its background child keeps stdout open. With no
    // deadline at all, the run must still come back (and stop the group).
    let done = sh("echo $$; sleep 1000 & echo done").run().unwrap();
    assert!(done.status.success());
    let text = String::from_utf8_lossy(&done.stdout).into_owned();
    assert!(text.ends_with("done\n"), "{text}");
    wait_group_gone(first_line_pid(&done.stdout));
}

#[test]
fn cancelling_stops_the_child() {
    let err = sh("sleep 1000")
        .cancel(Arc::new(AtomicBool::new(true)))
        .run()
        .unwrap_err();
    assert!(matches!(err, ProcessError::Cancelled), "{err}");
}

#[test]
fn a_child_that_ignores_sigterm_is_killed() {
    let err = sh("trap '' TERM; sleep 1000")
        .deadline(Duration::from_millis(100))
        .run()
        .unwrap_err();
    assert!(matches!(err, ProcessError::TimedOut(_)), "{err}");
}
