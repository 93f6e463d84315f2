//! Helpers shared by the integration tests (a fixed clock, fixture paths, temp homes).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::persist::assignment::{AssignmentStore, Clock};
use beadboard::persist::gojson::{self, GoTime};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// The real binary with a clean environment (only `PATH`) and `home` as `HOME`, so no setting
/// of the machine running the tests leaks in. Its clock reads [`dash::now`] (moving on from
/// there), never the day the tests run, and the golden data's situations count as news (see
/// [`dash::GOLDEN_WINDOW`]).
pub fn beadboard(home: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_beadboard"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home);
    for (k, v) in dash::pinned() {
        cmd.env(k, v);
    }
    cmd
}

/// Runs a command to its end: its exit code, stdout and stderr.
pub fn run(cmd: &mut std::process::Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The repository's fixture directory.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// A clock that starts at 2026-11-22T10:00:00Z and advances one second per reading.
pub fn ticking_clock() -> Clock {
    let counter = Arc::new(AtomicI64::new(0));
    Clock::from_fn(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        at(n)
    })
}

/// 2026-11-22T10:00:00Z plus `seconds`.
pub fn at(seconds: i64) -> GoTime {
    gojson::parse_time("2026-11-22T10:00:00Z").unwrap() + chrono::Duration::seconds(seconds)
}

/// A store for session `s` in a fresh temp NTM root, with a ticking clock.
pub fn new_store() -> (tempfile::TempDir, AssignmentStore) {
    let home = tempfile::tempdir().unwrap();
    let store = AssignmentStore::new(home.path(), "s")
        .unwrap()
        .with_clock(ticking_clock());
    (home, store)
}

/// Copies a fixture tree into a fresh temp directory and returns it.
pub fn copy_fixture(rel: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(rel), dir.path());
    dir
}

/// Recursively copies `from` into `to`, making every copy writable.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            let mut perms = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).unwrap();
        }
    }
}

pub mod needs;
#[allow(unused_imports)] // Not every test binary skips.
pub use needs::require;

pub mod terminal;

pub mod cli;

pub mod schema;

/// NTM's strict read of a schema-9 store, written out from the spec.
pub mod strict;

/// Real OpenSSH servers on 127.0.0.1 for the tests of hosts over ssh.
pub mod sshd;

pub mod watch;

/// OpenCode databases written from SQL.
pub mod opencode;

/// The Transcript pane's entries, as text.
pub mod transcript;

/// A dashboard model on copies of fixtures, with deterministic times, for view and key tests.
pub mod dash;

/// The sidebar fixture: bead ids 11–14 characters long in every column.
pub mod sidebar;

/// Stores written by today's NTM (schema 9) for dashboard tests.
pub mod ntm9;

/// Several sessions, for the session picker and the all-sessions board.
pub mod sessions;

/// Text measured differently by terminals, and a run that shows it.
pub mod widths;

/// Driving the real binary inside a private tmux server.
pub mod tmux;
