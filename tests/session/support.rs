//! Helpers of the agent-session tests: fixture paths, whole files decoded line by line, and
//! the proof that reading changed nothing on disk (a byte snapshot of the tree, before and
//! after, with the hostile tests' [`hostile::Snapshot`]).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../hostile/support.rs"]
mod hostile;

use beadboard::persist::session::{
    Agent, Decoded, Entry, EntryKind, SessionFile, SessionRoots, decode_line, list,
};
use std::path::{Path, PathBuf};

/// Roots with only `agent`'s source, at `root`.
pub fn roots(agent: Agent, root: &Path) -> SessionRoots {
    let mut roots = SessionRoots::default();
    match agent {
        Agent::Claude => roots.claude = vec![root.to_path_buf()],
        Agent::Codex => roots.codex = Some(root.to_path_buf()),
        Agent::Gemini => roots.gemini = Some(root.to_path_buf()),
        Agent::OpenCode => roots.opencode = Some(root.to_path_buf()),
    }
    roots
}

/// The file names of every session of `agent` under `root`, sorted (no problem allowed).
pub fn listed_names(agent: Agent, root: &Path) -> Vec<String> {
    let listing = list(&roots(agent, root));
    assert!(listing.problems.is_empty(), "{:?}", listing.problems);
    let mut names: Vec<String> = listing
        .sessions
        .iter()
        .map(|s| {
            s.source
                .key()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// The session of `agent` under `root` that `pick` chooses.
pub fn listed_where(agent: Agent, root: &Path, pick: impl Fn(&SessionFile) -> bool) -> SessionFile {
    let listing = list(&roots(agent, root));
    assert!(listing.problems.is_empty(), "{:?}", listing.problems);
    listing
        .sessions
        .into_iter()
        .find(|s| pick(s))
        .unwrap_or_else(|| panic!("not listed under {}", root.display()))
}

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
    let before = hostile::Snapshot::take(root);
    let result = f();
    before.assert_same(&hostile::Snapshot::take(root), "reading sessions");
    result
}

/// Writes `lines` (each followed by a newline) to `path`, making its directory.
pub fn write_lines(path: &Path, lines: &[String]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(path, text).unwrap();
}
