//! The exit code table (`beadboard::cli::exit`): `--help` and the README show the same table,
//! and each row is what the commands do, case by case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::cli::exit;
use common::cli::Setup;
use std::process::{Output, Stdio};

const README: &str = include_str!("../README.md");

/// Asserts the exit code, and returns stdout and stderr.
fn expect(out: &Output, code: u8, what: &str) -> (String, String) {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(i32::from(code)),
        "{what}: {stderr}{stdout}"
    );
    (stdout, stderr)
}

#[test]
fn help_and_readme_show_the_same_table() {
    let start =
        README.find("<!-- exit-codes:start -->\n").unwrap() + "<!-- exit-codes:start -->\n".len();
    let end = README.find("<!-- exit-codes:end -->").unwrap();
    assert_eq!(&README[start..end], exit::markdown());
    let setup = Setup::new();
    let (help, _) = expect(&setup.run(&["--help"]), exit::OK, "--help");
    assert!(help.contains(&exit::help_text()), "{help}");
    for (code, meaning) in exit::TABLE {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(code) && l.ends_with(meaning)),
            "{code} {meaning} in {help}"
        );
    }
    // Every code the table names has its row.
    let codes: Vec<&str> = exit::TABLE.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, ["0", "1", "2", "3", "4", "128+N"]);
}

#[test]
fn zero_is_success_and_a_reader_gone_away() {
    let setup = Setup::new();
    let (out, _) = expect(&setup.run(&["runs", "--all"]), exit::OK, "runs");
    assert!(out.contains("webapp #3"), "{out}");
    let (out, _) = expect(&setup.run(&["search", "PASS"]), exit::OK, "a match");
    assert!(out.contains("signal    PASS"), "{out}");
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = setup
        .command(&["runs", "--all", "--json"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let (_, err) = expect(&out, exit::OK, "a reader gone away");
    assert_eq!(err, "");
}

#[test]
fn one_is_nothing_found() {
    let setup = Setup::new();
    // No match, as grep: nothing printed, nothing on stderr.
    let (out, err) = expect(
        &setup.run(&["search", "no such text anywhere"]),
        exit::NOT_FOUND,
        "search without a match",
    );
    assert_eq!((out.as_str(), err.as_str()), ("", ""));
    let (out, _) = expect(
        &setup.run(&["search", "no such text anywhere", "--json"]),
        exit::NOT_FOUND,
        "search --json without a match",
    );
    assert_eq!(out, "");
    for (args, says) in [
        (&["transcript", "ffff/9"][..], "no run"),
        (&["stats", "nosuch"], "no session nosuch"),
        (&["assignments", "nosuch"], "no session nosuch"),
        (&["start", "nosuch", "wa-9p4e"], "no session nosuch"),
        (
            &["start", "webapp", "wa-none"],
            "Assignment not found: wa-none",
        ),
        (&["search", "PASS", "--repo", "nope"], "no runs of repo"),
    ] {
        let (out, err) = expect(&setup.run(args), exit::NOT_FOUND, &args.join(" "));
        assert_eq!(out, "", "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn two_is_bad_usage_or_a_bad_value_in_clap_words() {
    let setup = Setup::new();
    let before = setup.store();
    for (args, says) in [
        (
            &["demo", "--speed", "0"][..],
            "invalid value '0' for '--speed <X>'",
        ),
        (
            &["demo", "--speed", "fast"],
            "invalid value 'fast' for '--speed <X>'",
        ),
        (
            &["status", "--stale-after", "abc"],
            "invalid value 'abc' for '--stale-after <DURATION>'",
        ),
        (
            &["runs", "--unstarted-after", "soon"],
            "invalid value 'soon' for '--unstarted-after <DURATION>'",
        ),
        (
            &["assignments", "--status", "bogus"],
            "invalid value 'bogus'",
        ),
        (&["runs", "--bogus"], "unexpected argument '--bogus'"),
        (
            &["fail", "webapp", "wa-5tq0", "--reason", " "],
            "must not be empty",
        ),
        (&["transcript", "#1"], "could be any of 2 runs"),
        (&["completions", "tcsh"], "invalid value 'tcsh'"),
    ] {
        let (out, err) = expect(&setup.run(args), exit::USAGE, &args.join(" "));
        assert_eq!(out, "", "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // A variable and the config file are checked alike.
    let out = setup
        .command(&["status"])
        .env("BEADBOARD_STALE_AFTER", "abc")
        .output()
        .unwrap();
    let (_, err) = expect(&out, exit::USAGE, "BEADBOARD_STALE_AFTER=abc");
    assert!(
        err.contains("invalid value 'abc' for '--stale-after <DURATION>'"),
        "{err}"
    );
    let config = setup.home.path().join("bad.toml");
    std::fs::write(&config, "stale_after = \"soon\"\n").unwrap();
    let out = setup
        .command(&["status", "--config", config.to_str().unwrap()])
        .output()
        .unwrap();
    let (_, err) = expect(&out, exit::USAGE, "a bad config value");
    assert!(
        err.contains("bad.toml") && err.contains("\"soon\""),
        "{err}"
    );
    assert_eq!(setup.store(), before, "nothing written");
}

#[test]
fn three_is_a_move_refused_and_nothing_written() {
    let setup = Setup::new();
    let before = setup.store();
    let (out, err) = expect(
        &setup.run(&["start", "webapp", "wa-3kd9"]),
        exit::REFUSED,
        "start a completed bead",
    );
    assert_eq!(out, "");
    assert!(
        err.contains("[ASSIGN] Invalid transition completed -> working for wa-3kd9"),
        "{err}"
    );
    assert_eq!(setup.store(), before);
}

#[test]
fn four_is_an_error_naming_the_file() {
    let setup = Setup::new();
    let store = setup.ntm.path().join("sessions/webapp/assignments.json");
    std::fs::write(&store, b"{ not json").unwrap();
    let (out, err) = expect(
        &setup.run(&["assignments", "webapp"]),
        exit::FAILED,
        "an unreadable store",
    );
    assert_eq!(out, "");
    assert!(err.contains(&store.display().to_string()), "{err}");
    // A directory that cannot be written into.
    let (_, err) = expect(
        &setup.run(&["man", "--dir", "/nonexistent/dir"]),
        exit::FAILED,
        "man --dir into nowhere",
    );
    assert!(err.contains("/nonexistent/dir/beadboard.1"), "{err}");
}

#[test]
fn a_signal_is_128_plus_its_number_as_shells_report_it() {
    use std::io::BufRead as _;
    use std::os::unix::process::ExitStatusExt as _;
    let setup = Setup::new();
    let mut child = setup
        .command(&["watch", "--snapshot"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Started: its snapshot has begun.
    // (The reader stays open: a reader gone away would end it with 0 first.)
    let mut first = String::new();
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    reader.read_line(&mut first).unwrap();
    assert!(!first.is_empty());
    let pid = rustix::process::Pid::from_raw(i32::try_from(child.id()).unwrap()).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
    let status = child.wait().unwrap();
    drop(reader);
    // Ended by the signal itself, which a shell reports as 128 + 15 = 143. (The dashboard
    // restores the terminal first and exits with 128 + N itself: tests/e2e_terminal.rs.)
    assert_eq!(status.signal(), Some(15), "{status:?}");
}
