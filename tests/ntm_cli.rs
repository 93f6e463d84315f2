//! The headless commands on a store of today's NTM (schema 9), run as the real binary:
//! assign, reassign, retry and remove run `ntm assign` (a stand-in `ntm` on PATH records its
//! argv and answers with NTM's envelope), `--dry-run` prints the command line, a missing `ntm`
//! is named with how to get it, and the store file is never written on that route; start,
//! complete and fail write directly, and wait (saying so) while NTM holds a lock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::v9::bead_lock_path;
use beadboard::persist::lock::FileLock;
use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A home with `.ntm/sessions/webapp` holding NTM's `00-start` store, and a directory for the
/// stand-in `ntm`.
struct Setup {
    home: tempfile::TempDir,
    bin: PathBuf,
}

const STANDIN: &str = r#"#!/bin/sh
dir="$(dirname "$0")"
n=$(cat "$dir/count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$dir/count"
{ printf 'HOME=%s' "$HOME"; for a in "$@"; do printf ' [%s]' "$a"; done; echo; } >> "$dir/calls"
cat "$dir/reply-$n.json" 2>/dev/null
exit "$(cat "$dir/exit-$n" 2>/dev/null || echo 0)"
"#;

impl Setup {
    fn new() -> Setup {
        Setup::with_root(".ntm")
    }

    fn with_root(root: &str) -> Setup {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join(root).join("sessions/webapp");
        fs::create_dir_all(&dir).unwrap();
        let golden = common::fixture("upstream/ntm-v9/00-start");
        for name in ["assignments.json", "assignments.json.bak"] {
            fs::copy(golden.join(name), dir.join(name)).unwrap();
        }
        let bin = home.path().join("bin");
        fs::create_dir_all(&bin).unwrap();
        let script = bin.join("ntm");
        fs::write(&script, STANDIN).unwrap();
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
        Setup { home, bin }
    }

    fn ntm_root(&self) -> PathBuf {
        self.home.path().join(".ntm")
    }

    fn store(&self) -> PathBuf {
        self.ntm_root().join("sessions/webapp/assignments.json")
    }

    fn session_files(&self) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(self.store().parent().unwrap())
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }

    fn reply(&self, n: usize, json: &str, exit: i32) {
        fs::write(
            self.bin.join(format!("reply-{n}.json")),
            format!("{json}\n"),
        )
        .unwrap();
        fs::write(self.bin.join(format!("exit-{n}")), exit.to_string()).unwrap();
    }

    fn calls(&self) -> Vec<String> {
        fs::read_to_string(self.bin.join("calls"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn command(&self, with_ntm: bool, args: &[&str]) -> Command {
        let mut cmd = common::beadboard(self.home.path());
        let path = if with_ntm {
            format!("{}:/usr/bin:/bin", self.bin.display())
        } else {
            "/usr/bin:/bin".to_owned()
        };
        cmd.env("PATH", path)
            .env("BEADBOARD_NTM_DIR", self.ntm_root())
            .env("BEADBOARD_AGENTPAIR_DIR", self.home.path().join("none"))
            .args(args);
        cmd
    }

    fn run(&self, with_ntm: bool, args: &[&str]) -> (i32, String, String) {
        let out = self.command(with_ntm, args).output().unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }
}

fn ok_envelope(subject: &str) -> String {
    format!(
        r#"{{"command":"assign","session":"webapp","timestamp":"2026-11-29T23:41:25Z","success":true,"data":{{"bead":"{subject}"}},"warnings":[]}}"#
    )
}

#[test]
fn dry_run_prints_the_command_lines_and_runs_nothing() {
    let s = Setup::new();
    let before = s.session_files();
    let cases: [(&[&str], &str); 5] = [
        (
            &["assign", "webapp", "wa-09", "--pane", "%10", "--dry-run"],
            "ntm assign webapp --pane=%10 --beads=wa-09 --json\n",
        ),
        (
            &["reassign", "webapp", "wa-02", "--pane", "%11", "--dry-run"],
            "ntm assign webapp --reassign wa-02 --to-pane=%11 --json\n",
        ),
        (
            &["reassign", "webapp", "wa-01", "--pane", "%7", "--dry-run"],
            "ntm assign webapp --clear wa-01 --json\nntm assign webapp --pane=%7 --beads=wa-01 --json\n",
        ),
        (
            &[
                "reassign",
                "webapp",
                "wa-02",
                "--agent-type",
                "codex",
                "--dry-run",
            ],
            "ntm assign webapp --reassign wa-02 --to-type=codex --json\n",
        ),
        (
            &["remove", "webapp", "wa-01", "--dry-run"],
            "ntm assign webapp --clear wa-01 --json\n",
        ),
    ];
    for (args, want) in cases {
        let (code, out, err) = s.run(true, args);
        assert_eq!((code, out.as_str()), (0, want), "{args:?}: {err}");
    }
    assert!(s.calls().is_empty(), "nothing ran");
    assert_eq!(s.session_files(), before, "nothing written");
}

#[test]
fn a_success_envelope_is_done_and_the_argv_is_exact() {
    let s = Setup::new();
    let before = s.session_files();
    s.reply(1, &ok_envelope("wa-09"), 0);
    let (code, out, err) = s.run(
        true,
        &[
            "assign",
            "webapp",
            "wa-09",
            "--pane",
            "%10",
            "--prompt",
            "Go <now> & then",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "assign wa-09 to pane %10: done\n");
    assert!(err.contains("beadboard: running: ntm assign webapp --pane=%10 --beads=wa-09 '--prompt=Go <now> & then' --json"), "{err}");
    assert_eq!(
        s.calls(),
        [format!(
            "HOME={} [assign] [webapp] [--pane=%10] [--beads=wa-09] [--prompt=Go <now> & then] [--json]",
            s.home.path().display()
        )]
    );
    assert_eq!(
        s.session_files(),
        before,
        "beadboard never writes what ntm does"
    );
}

#[test]
fn a_failure_envelope_is_shown_in_words_with_ntms_code() {
    let s = Setup::new();
    let before = s.session_files();
    s.reply(
        1,
        r#"{"command":"assign","session":"webapp","timestamp":"t","success":false,"warnings":[],"error":{"code":"TARGET_BUSY","message":"pane %3 already has assignment wa-02","details":{"pane":"%3"}}}"#,
        1,
    );
    let (code, out, err) = s.run(true, &["reassign", "webapp", "wa-02", "--pane", "%3"]);
    // ntm failing is an error (exit 4).
    assert_eq!((code, out.as_str()), (4, ""));
    assert!(
        err.contains("the target pane already has active work (TARGET_BUSY): pane %3 already has assignment wa-02"),
        "{err}"
    );
    assert_eq!(s.session_files(), before);
}

#[test]
fn a_two_step_reassign_stops_when_the_clear_fails_and_json_shows_each_step() {
    let s = Setup::new();
    s.reply(
        1,
        r#"{"command":"assign","subcommand":"clear","session":"webapp","timestamp":"t","success":false,"warnings":[],"error":{"code":"CLEAR_FAILED","message":"release failed"}}"#,
        1,
    );
    let (code, out, err) = s.run(
        true,
        &["reassign", "webapp", "wa-01", "--pane", "%7", "--json"],
    );
    assert_eq!(code, 4, "{err}");
    assert_eq!(s.calls().len(), 1, "the assign step did not run");
    let steps: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        steps[0]["command"],
        "ntm assign webapp --clear wa-01 --json"
    );
    assert_eq!(steps[0]["envelope"]["error"]["code"], "CLEAR_FAILED");
    assert!(err.contains("(CLEAR_FAILED): release failed"), "{err}");
}

#[test]
fn without_ntm_on_path_it_says_so_and_writes_nothing() {
    let s = Setup::new();
    assert!(beadboard::ntm::find_ntm(Some("/usr/bin:/bin".as_ref())).is_none());
    let before = s.session_files();
    let (code, _, err) = s.run(false, &["retry", "webapp", "wa-02"]);
    assert_eq!(
        code, 3,
        "wa-02 is working: refused before looking for ntm: {err}"
    );
    let (code, _, err) = s.run(false, &["remove", "webapp", "wa-01"]);
    assert_eq!(code, 4);
    assert!(err.contains("ntm is not on PATH"), "{err}");
    assert!(
        err.contains("brew install dicklesworthstone/tap/ntm"),
        "{err}"
    );
    assert_eq!(s.session_files(), before);
}

#[test]
fn rows_that_may_not_be_touched_are_refused_before_running_ntm() {
    let s = Setup::new();
    let (code, _, err) = s.run(true, &["retry", "webapp", "wa-05"]);
    assert_eq!(code, 3);
    assert!(
        err.contains("wa-05 has an unacknowledged completion event"),
        "{err}"
    );
    let (code, _, err) = s.run(true, &["remove", "webapp", "wa-04"]);
    assert_eq!(code, 3);
    assert!(err.contains("wa-04 is claiming (claim unknown)"), "{err}");
    let (code, _, err) = s.run(true, &["start", "webapp", "wa-04"]);
    assert_eq!(code, 3, "{err}");
    assert!(s.calls().is_empty());
}

#[test]
fn a_root_elsewhere_is_reached_by_running_ntm_with_its_home() {
    let s = Setup::with_root("team/.ntm");
    let root = s.home.path().join("team/.ntm");
    let mut cmd = s.command(
        true,
        &["assign", "webapp", "wa-09", "--pane", "%10", "--dry-run"],
    );
    cmd.env("BEADBOARD_NTM_DIR", &root);
    let out = cmd.output().unwrap();
    let want = format!(
        "HOME={} ntm assign webapp --pane=%10 --beads=wa-09 --json\n",
        s.home.path().join("team").display()
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), want);
}

#[test]
fn a_schema_1_store_rejects_dry_run_and_otherwise_works_as_before() {
    let ntm = common::copy_fixture("examples/ntm");
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = common::beadboard(home.path())
            .env("BEADBOARD_NTM_DIR", ntm.path())
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, err) = run(&["retry", "webapp", "wa-9p4e", "--dry-run"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("schema-1 store"), "{err}");
    let (code, err) = run(&[
        "assign",
        "webapp",
        "x",
        "--pane",
        "%3",
        "--title",
        "t",
        "--agent-type",
        "claude",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("pane index"), "{err}");
    let (code, err) = run(&[
        "assign",
        "webapp",
        "x",
        "--pane",
        "3",
        "--agent-type",
        "claude",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--title"), "{err}");
}

#[test]
fn start_complete_and_fail_write_directly_by_ntms_protocol() {
    let s = Setup::new();
    let (code, out, err) = s.run(true, &["start", "webapp", "wa-01"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "wa-01: started · ▶ working · generation 39\n");
    let (code, out, err) = s.run(true, &["fail", "webapp", "wa-01", "--reason", "gave up"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("wa-01: failure requested (gave up); NTM's watcher"),
        "{out}"
    );
    let text = fs::read_to_string(s.store()).unwrap();
    assert!(text.contains("\"pending_terminal_reason\": \"gave up\""));
    assert!(text.contains("\"persistence_generation\": 40"));
    let (code, _, err) = s.run(true, &["complete", "webapp", "wa-01"]);
    assert_eq!(code, 3);
    assert!(
        err.contains("wa-01 already has a failure requested"),
        "{err}"
    );
    let (code, _, err) = s.run(true, &["complete", "webapp", "nope"]);
    assert_eq!(code, 1);
    assert!(err.contains("[ASSIGN] Assignment not found: nope"), "{err}");
    assert!(s.calls().is_empty(), "direct writes never run ntm");
}

/// Spawns `beadboard start webapp wa-01` and returns it with a channel of its stderr lines.
fn start_in_background(s: &Setup) -> (std::process::Child, mpsc::Receiver<String>) {
    let mut child = s
        .command(true, &["start", "webapp", "wa-01"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Which of NTM's locks a test holds.
enum Held {
    Bead,
    Store,
}

fn held_lock_blocks_the_write_until_released(which: Held, says: &str) {
    let s = Setup::new();
    let before = fs::read(s.store()).unwrap();
    let lock_path = match which {
        Held::Bead => bead_lock_path(&s.store(), "wa-01"),
        Held::Store => PathBuf::from(format!("{}.lock", s.store().display())),
    };
    let held = FileLock::acquire(&lock_path, Duration::from_secs(1), || {}).unwrap();
    let (mut child, lines) = start_in_background(&s);
    let line = lines
        .recv_timeout(Duration::from_secs(20))
        .expect("a wait notice");
    assert!(line.contains(says), "{line}");
    assert!(child.try_wait().unwrap().is_none(), "still waiting");
    assert_eq!(
        fs::read(s.store()).unwrap(),
        before,
        "nothing written while the lock is held"
    );
    drop(held);
    let status = child.wait().unwrap();
    assert!(status.success());
    assert!(
        fs::read_to_string(s.store())
            .unwrap()
            .contains("\"status\": \"working\"")
    );
}

#[test]
fn a_held_bead_lock_blocks_the_write_and_the_wait_is_reported() {
    held_lock_blocks_the_write_until_released(Held::Bead, "waiting for NTM's lock on wa-01");
}

#[test]
fn a_held_store_lock_blocks_the_write_and_the_wait_is_reported() {
    held_lock_blocks_the_write_until_released(
        Held::Store,
        "waiting for NTM's store lock (assignments.json.lock)",
    );
}
