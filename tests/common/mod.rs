//! Helpers shared by the integration tests (a fixed clock, fixture paths, temp homes).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::persist::assignment::{AssignmentStore, Clock};
use beadboard::persist::gojson::{self, GoTime};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

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
