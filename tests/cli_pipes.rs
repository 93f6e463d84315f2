//! Every subcommand in a pipe whose reader goes away, as `| head -1` does: it ends with exit 0
//! and nothing on stderr, as ripgrep does. Each runs twice: once with the reader gone before it
//! starts (its first write fails), and once with a small pipe (4 KiB) whose reader goes away
//! after the first bytes arrive, with the command still writing or waiting for news
//! (`--follow`, `watch`: nothing more is written, so only noticing the closed reader ends them).
//! The deadlines are generous (a busy machine's debug build), not claims about speed: the
//! product notices a closed reader at once (a thread waits in poll(2) on stdout), and a command
//! that did not would never end.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::Setup;
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use std::io::{PipeReader, PipeWriter};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a command may take to start and print its first bytes, or to end once its reader
/// is gone (a busy machine's debug build; not a claim about speed).
const DEADLINE: Duration = Duration::from_secs(60);

const RUN: &str = "43d7567239bfd176/3";
// (Without unreadable lines: their notes on stderr are not about the pipe.)
const SESSION: &str = "api claude c3fb0a";

/// Listings, reports and help.
const LISTINGS: &[&[&str]] = &[
    &["runs"],
    &["runs", "--all"],
    &["runs", "--all", "--json"],
    &["assignments"],
    &["assignments", "webapp", "--json"],
    &["stats", "webapp"],
    &["stats", "webapp", "--json"],
    &["sessions"],
    &["sessions", "--json"],
    &["status"],
    &["status", "--short"],
    &["status", "--json"],
    &["search", "PASS"],
    &["search", "PASS", "--json"],
    &["doctor"],
    &["doctor", "--json"],
    &["hosts"],
    &["hosts", "--json"],
    &["keys"],
    &["keys", "--markdown"],
    &["--help"],
    &["runs", "--help"],
    &["--version"],
];

/// Transcripts, once and followed.
const TRANSCRIPTS: &[&[&str]] = &[
    &["transcript", RUN],
    &["transcript", RUN, "--json"],
    &["transcript", RUN, "-n", "3"],
    &["transcript", RUN, "-n", "3", "--json"],
    &["transcript", SESSION],
    &["transcript", SESSION, "--json"],
    &["transcript", SESSION, "--follow"],
    &["transcript", SESSION, "--follow", "--json"],
    &["transcript", RUN, "--follow"],
    &["transcript", RUN, "--follow", "--json"],
];

/// `watch` in every form.
const WATCHES: &[&[&str]] = &[
    &["watch"],
    &["watch", "--json"],
    &["watch", "--snapshot"],
    &["watch", "--snapshot", "--json"],
    &["watch", "--json", "--no-entries"],
    // A host's channel: its hello is the first bytes.
    &["serve", "--stdio"],
];

/// Generated text.
const GENERATED: &[&[&str]] = &[
    &["completions", "bash"],
    &["completions", "zsh"],
    &["completions", "fish"],
    &["man"],
];

/// Changes to the NTM store (made even though nobody reads that they were).
const CHANGES: &[&[&str]] = &[
    &[
        "assign",
        "webapp",
        "wa-new",
        "--title",
        "T",
        "--pane",
        "3",
        "--agent-type",
        "claude",
    ],
    &["start", "webapp", "wa-9p4e"],
    &["complete", "webapp", "wa-5tq0", "--json"],
    &["fail", "webapp", "wa-5tq0", "--reason", "hangs"],
    &[
        "reassign",
        "webapp",
        "wa-5tq0",
        "--pane",
        "4",
        "--agent-type",
        "codex",
    ],
    &["retry", "webapp", "wa-6wz3"],
    &["remove", "webapp", "wa-6wz3", "--json"],
];

/// Waits for the child to end, at most `within`; kills it if it does not.
fn ended(child: std::process::Child, within: Duration, what: &str) -> Output {
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(within) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("{what}: still running {within:?} after its reader went away");
        }
    }
}

/// No input; stderr captured (it must stay silent).
fn quiet(mut cmd: Command) -> Command {
    cmd.stdin(Stdio::null()).stderr(Stdio::piped());
    cmd
}

fn pipe() -> (PipeReader, PipeWriter) {
    std::io::pipe().unwrap()
}

/// Runs `args` with a reader gone before it starts, then with a reader that goes away after
/// the first bytes; both must end with 0 and a silent stderr.
fn quiet_when_the_reader_goes(args: &[&str]) {
    quiet_when_the_reader_goes_on(args, || {
        let setup = Setup::new();
        let cmd = setup.command(args);
        (Box::new(setup), cmd)
    });
}

/// As [`quiet_when_the_reader_goes`], on the data `make` sets up (kept until the command ends)
/// with the command it gives.
fn quiet_when_the_reader_goes_on(
    args: &[&str],
    make: impl Fn() -> (Box<dyn std::any::Any>, Command),
) {
    let what = args.join(" ");
    // 1. The reader is gone before the command writes anything.
    let (setup, cmd) = make();
    let (reader, writer) = pipe();
    drop(reader);
    let child = quiet(cmd).stdout(writer).spawn().unwrap();
    let out = ended(child, DEADLINE, &what);
    drop(setup);
    check(&what, "reader gone before start", &out);
    // 2. The reader reads nothing past the first bytes, then goes away.
    let (_setup, cmd) = make();
    let (reader, writer) = pipe();
    // A small pipe: a command with more to say than 4 KiB is blocked writing when the reader
    // goes.
    let _ = rustix::pipe::fcntl_setpipe_size(&writer, 4096);
    let mut cmd = quiet(cmd);
    let child = cmd.stdout(writer).spawn().unwrap();
    drop(cmd);
    let mut fds = [PollFd::new(&reader, PollFlags::IN)];
    let timeout = Timespec::try_from(DEADLINE).unwrap();
    assert_eq!(
        poll(&mut fds, Some(&timeout)).unwrap(),
        1,
        "{what}: no output"
    );
    drop(reader);
    let out = ended(child, DEADLINE, &what);
    check(&what, "reader gone after the first bytes", &out);
}

fn check(what: &str, case: &str, out: &Output) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{what} ({case}): {err}");
    assert_eq!(err, "", "{what} ({case}): stderr must be silent");
}

#[test]
fn listings_end_quietly() {
    for args in LISTINGS {
        quiet_when_the_reader_goes(args);
    }
}

#[test]
fn transcripts_end_quietly_followed_or_not() {
    for args in TRANSCRIPTS {
        quiet_when_the_reader_goes(args);
    }
}

#[test]
fn watch_ends_quietly_even_with_nothing_to_write() {
    // Its `ready` line is the first bytes; with no change on disk nothing follows, so only the
    // closed reader can end it.
    for args in WATCHES {
        quiet_when_the_reader_goes(args);
    }
}

/// Every subcommand is in a case above (the dashboard's `demo` has no output to pipe).
#[test]
fn every_subcommand_is_tried() {
    use clap::CommandFactory as _;
    let tried: Vec<&str> = [LISTINGS, TRANSCRIPTS, WATCHES, GENERATED, CHANGES]
        .concat()
        .iter()
        .map(|args| args[0])
        .collect();
    for sub in beadboard::cli::Cli::command().get_subcommands() {
        let name = sub.get_name();
        assert!(
            name == "demo" || tried.contains(&name),
            "`{name}` is not tried with a closed pipe"
        );
    }
}

#[test]
fn generated_text_ends_quietly() {
    for args in GENERATED {
        quiet_when_the_reader_goes(args);
    }
}

#[test]
fn changes_end_quietly_and_are_made() {
    for args in CHANGES {
        quiet_when_the_reader_goes(args);
    }
    // The change is made even though nobody read that it was.
    let setup = Setup::new();
    let (reader, writer) = pipe();
    drop(reader);
    let out = quiet(setup.command(&["start", "webapp", "wa-9p4e"]))
        .stdout(writer)
        .output()
        .unwrap();
    check("start", "reader gone before start", &out);
    let store: serde_json::Value = serde_json::from_slice(&setup.store()).unwrap();
    let record = &store["assignments"]["wa-9p4e"];
    assert_eq!(record["status"], "working");
}

/// Listings far longer than the pipe and the output's 64 KiB buffer (600 runs, 1,000 sessions
/// and their 12,000 records, a few of each needing attention): each is written row by row, so
/// each is still writing when its reader goes away mid-table, and ends quietly then.
#[test]
fn long_listings_end_quietly_mid_stream() {
    let data = tempfile::tempdir().unwrap();
    let agentpair = data.path().join("agentpair");
    for id in 1..=600 {
        let dir = agentpair.join(format!("runs/0123456789abcdef/{id}"));
        std::fs::create_dir_all(&dir).unwrap();
        let prompt = format!("task {id} {}", "words ".repeat(40));
        std::fs::write(
            dir.join("manifest.json"),
            format!(
                r#"{{"id":{id},"repo_path":"/src/api","repo_id":"0123456789abcdef","prompt":"{prompt}","state":"failed","max_iterations":9,"current_iteration":1,"created_at":"2026-11-22T10:00:00Z","updated_at":"2026-11-22T10:00:00Z","completed_at":"2026-11-22T10:00:00Z"}}"#
            ),
        )
        .unwrap();
    }
    let ntm = data.path().join("ntm");
    let store = std::fs::read_to_string(common::fixture(
        "examples/ntm/sessions/webapp/assignments.json",
    ))
    .unwrap();
    for i in 1..=1000 {
        let dir = ntm.join(format!("sessions/s-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let named = store.replace(
            r#""session_name": "webapp""#,
            &format!(r#""session_name": "s-{i}""#),
        );
        std::fs::write(dir.join("assignments.json"), named).unwrap();
    }
    for args in [
        &["runs", "--all"][..],
        &["sessions"],
        &["assignments"],
        &["status", "--all"],
    ] {
        quiet_when_the_reader_goes_on(args, || {
            let home = tempfile::tempdir().unwrap();
            let mut cmd = common::beadboard(home.path());
            cmd.env("BEADBOARD_AGENTPAIR_DIR", &agentpair)
                .env("BEADBOARD_NTM_DIR", &ntm)
                .current_dir(home.path())
                .args(args);
            (Box::new(home), cmd)
        });
    }
}
