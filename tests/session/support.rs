//! Helpers of the agent-session tests: fixture paths, whole files decoded line by line, and
//! the proof that reading changed nothing on disk (a byte snapshot of the tree, before and
//! after, with the hostile tests' [`crate::support::Snapshot`]).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::persist::session::{Agent, Decoded, Entry, EntryKind, decode_line};
use std::path::{Path, PathBuf};

/// A file or directory under `tests/fixtures/sessions/`.
pub fn fixture(rel: &str) -> PathBuf {
    crate::common::fixture("sessions").join(rel)
}

/// Each line of a file (without its newline; a last line without one included).
pub fn lines(path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap();
    bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

/// Every line of a file decoded.
pub fn decode_file(agent: Agent, path: &Path) -> Vec<Decoded> {
    lines(path).iter().map(|l| decode_line(agent, l)).collect()
}

/// The entries of decoded lines, in order.
pub fn entries(decoded: &[Decoded]) -> Vec<Entry> {
    decoded
        .iter()
        .flat_map(|d| match d {
            Decoded::Entries(e) => e.clone(),
            _ => Vec::new(),
        })
        .collect()
}

/// `(kind, text)` of each entry, for compact assertions.
pub fn kinds(entries: &[Entry]) -> Vec<(String, String)> {
    entries
        .iter()
        .map(|e| (e.kind.as_str().to_owned(), e.text.clone()))
        .collect()
}

/// The entries of one kind.
pub fn of_kind(entries: &[Entry], kind: &EntryKind) -> Vec<Entry> {
    entries
        .iter()
        .filter(|e| &e.kind == kind)
        .cloned()
        .collect()
}

/// Runs `f`, then checks that nothing under `root` changed (bytes, modes, files added or
/// removed).
pub fn untouched<R>(root: &Path, f: impl FnOnce() -> R) -> R {
    let before = crate::support::Snapshot::take(root);
    let result = f();
    before.assert_same(&crate::support::Snapshot::take(root), "reading sessions");
    result
}

/// Writes `lines` (each followed by a newline) to `path`, making its directory.
pub fn write_lines(path: &Path, lines: &[String]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(path, text).unwrap();
}
