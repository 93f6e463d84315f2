//! The journal of moves made for other machines: each move's idempotency key and its outcome,
//! in beadboard's own state directory (`~/.local/state/beadboard/moves.jsonl`; never in NTM's
//! directory). A move holds the journal's lock from the look-up of its key, through the move
//! (which takes the store's own locks), to the writing of its outcome: a retry of the same key
//! waits for the first try and gets its answer, and the move is made once. On a schema-1 store,
//! and for today's NTM's direct writes (`start`, `complete`, `fail`, under NTM's locks), the
//! move's key is also recorded under the store's lock, just before the store is written, with
//! the record it writes ([`Written`]): if the process ends between the store's write and the
//! outcome's, a retry finds the store as that write left it, and answers as the first try
//! would have (never refused as stale by its own write); a store not so was not written, or was
//! changed since by another writer, and the move is made then (refused as stale if the bead is
//! no longer as its board saw it). The moves `ntm assign` makes on today's NTM are written by
//! NTM alone: a retry after a crash there is refused as stale. The journal keeps the last [`KEEP`] moves of the last [`KEEP_FOR`];
//! older keys are dropped as it is rewritten.

use crate::config::state_dir;
use crate::persist::assignment::{Precommit, StoreError};
use crate::persist::atomic;
use crate::persist::lock::FileLock;
use crate::remote::protocol::{Move, MoveOutcome, MoveResult};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The most moves the journal keeps.
pub const KEEP: usize = 1000;

/// How long a move's key is remembered.
pub const KEEP_FOR: Duration = Duration::from_secs(7 * 24 * 3600);

/// How long a move waits for another move's hold on the journal (a move may wait 45 s for
/// NTM's locks, or run `ntm` for as long).
const LOCK_WAIT: Duration = Duration::from_secs(300);

/// What a move wrote to its bead's record, recorded under the store's lock before the write
/// (the records as the store writes them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Written {
    /// The record before (`None`: there was none).
    pub before: Option<serde_json::Value>,
    /// The record after (`None`: removed).
    pub after: Option<serde_json::Value>,
}

/// One move remembered: its outcome, or (its outcome not written yet) what it wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    key: String,
    at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<MoveOutcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    written: Option<Written>,
}

/// The journal in `dir`.
#[derive(Debug, Clone)]
pub struct Journal {
    dir: PathBuf,
    keep: usize,
}

impl Entry {
    fn done(key: &str, at: DateTime<Utc>, outcome: &MoveOutcome) -> Entry {
        Entry {
            key: key.to_owned(),
            at,
            outcome: Some(outcome.clone()),
            written: None,
        }
    }
}

impl Journal {
    /// The journal in beadboard's state directory (`None` without a home).
    #[must_use]
    pub fn default_place() -> Option<Journal> {
        state_dir().map(|dir| Journal::at(&dir))
    }

    /// The journal in `dir`.
    #[must_use]
    pub fn at(dir: &Path) -> Journal {
        Journal {
            dir: dir.to_path_buf(),
            keep: KEEP,
        }
    }

    /// Keeps at most `keep` moves (tests).
    #[cfg(test)]
    #[must_use]
    pub fn keeping(mut self, keep: usize) -> Journal {
        self.keep = keep;
        self
    }

    fn file(&self) -> PathBuf {
        self.dir.join("moves.jsonl")
    }

    /// Makes `mv` once for `key`: the recorded outcome if the key is known (marked
    /// `replayed`), else `make`'s, recorded before the journal's lock is let go. `make` is
    /// given what to record under the store's lock before its write; a key found with what it
    /// wrote and no outcome (the process ended between the two) is answered by `recover`, which
    /// says the outcome if the store is as that write left it (`None`: it was not written, and
    /// the move is made now). `on_wait` is called when another move holds the journal.
    pub fn once(
        &self,
        key: &str,
        mv: &Move,
        now: impl Fn() -> DateTime<Utc>,
        on_wait: impl FnMut(),
        recover: impl FnOnce(&Written) -> Option<MoveOutcome>,
        make: impl FnOnce(&Precommit) -> MoveOutcome,
    ) -> MoveOutcome {
        let failed = |why: String| MoveOutcome::not_applied(mv, MoveResult::Failed, "journal", why);
        if let Err(e) = std::fs::create_dir_all(&self.dir) {
            return failed(format!(
                "{}: cannot keep the journal of moves: {e}; nothing was moved",
                self.dir.display()
            ));
        }
        let lock = match FileLock::acquire(&self.dir.join("moves.lock"), LOCK_WAIT, on_wait) {
            Ok(lock) => lock,
            Err(e) => return failed(format!("{e}; nothing was moved")),
        };
        let mut entries = self.read();
        let at = now();
        if let Some(found) = entries.iter().position(|e| e.key == key) {
            let entry = entries.remove(found);
            let outcome = match (entry.outcome, &entry.written) {
                (Some(outcome), _) => Some(outcome),
                (None, Some(written)) => recover(written),
                (None, None) => None,
            };
            if let Some(outcome) = outcome {
                let _ = self.write(&entries, Entry::done(key, entry.at, &outcome));
                return MoveOutcome {
                    replayed: true,
                    ..outcome
                };
            }
        }
        let oldest = at - chrono::Duration::from_std(KEEP_FOR).unwrap_or_default();
        entries.retain(|e| e.at >= oldest);
        let precommit = self.precommit(key, &mv.bead, at, entries.clone());
        let outcome = make(&precommit);
        let written = self.write(&entries, Entry::done(key, at, &outcome));
        drop(lock);
        match written {
            Ok(()) => outcome,
            Err(e) => {
                let mut outcome = outcome;
                outcome.notes.push(format!(
                    "warning: {}: the move's outcome was not recorded ({e}); a retry is judged by the store as it is",
                    self.file().display()
                ));
                outcome
            }
        }
    }

    /// What a move records under its store's lock before the write: its key and the record it
    /// writes, after `entries`. Failing to, it stops the write.
    fn precommit(
        &self,
        key: &str,
        bead: &str,
        at: DateTime<Utc>,
        entries: Vec<Entry>,
    ) -> Precommit {
        let (journal, key, bead) = (self.clone(), key.to_owned(), bead.to_owned());
        Precommit(Arc::new(move |before, after| {
            let record = |doc: &crate::persist::assignment::StoreDocument| {
                doc.assignments.get(&bead).map(|a| a.to_value())
            };
            let entry = Entry {
                key: key.clone(),
                at,
                outcome: None,
                written: Some(Written {
                    before: record(before),
                    after: record(after),
                }),
            };
            journal.write(&entries, entry).map_err(|e| {
                StoreError::from(crate::persist::assignment::PersistenceError {
                    operation: "journal",
                    path: journal.file(),
                    cause: e.into(),
                })
            })
        }))
    }

    /// Writes `entries` and `last` (at most [`Journal::keep`] of them, the newest).
    fn write(&self, entries: &[Entry], last: Entry) -> std::io::Result<()> {
        let all: Vec<&Entry> = entries.iter().chain(std::iter::once(&last)).collect();
        let skip = all.len().saturating_sub(self.keep);
        let mut bytes = Vec::new();
        for entry in &all[skip..] {
            if let Ok(line) = serde_json::to_string(entry) {
                bytes.extend_from_slice(line.as_bytes());
                bytes.push(b'\n');
            }
        }
        atomic::write_atomic(&self.file(), &bytes, 0o600)
    }

    /// The entries on disk (an unreadable line is skipped: the journal only ever loses a key).
    fn read(&self) -> Vec<Entry> {
        let Ok(text) = std::fs::read_to_string(self.file()) else {
            return Vec::new();
        };
        text.lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::protocol::{Expected, MoveAction};

    fn mv() -> Move {
        Move {
            session: "s".to_owned(),
            bead: "b".to_owned(),
            action: MoveAction::Start,
            expected: Expected::default(),
        }
    }

    #[test]
    fn a_key_is_made_once_and_old_keys_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path());
        let t0 = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z")
            .unwrap()
            .to_utc();
        let mut made = 0;
        let applied = || MoveOutcome::of(&mv(), MoveResult::Applied);
        let first = journal.once(
            "k1",
            &mv(),
            || t0,
            || {},
            |_| None,
            |_| {
                made += 1;
                applied()
            },
        );
        assert!(!first.replayed);
        let again = journal.once("k1", &mv(), || t0, || {}, |_| None, |_| unreachable!());
        assert_eq!(
            again,
            MoveOutcome {
                replayed: true,
                ..first
            }
        );
        assert_eq!(made, 1);
        // Eight days later, k1 is forgotten when another move is recorded.
        let later = t0 + chrono::Duration::days(8);
        journal.once("k2", &mv(), || later, || {}, |_| None, |_| applied());
        let keys: Vec<String> = journal.read().into_iter().map(|e| e.key).collect();
        assert_eq!(keys, ["k2"]);
        // At most so many keys.
        let journal = journal.keeping(3);
        for i in 0..5 {
            journal.once(
                &format!("n{i}"),
                &mv(),
                || later,
                || {},
                |_| None,
                |_| applied(),
            );
        }
        let kept: Vec<String> = journal.read().into_iter().map(|e| e.key).collect();
        assert_eq!(kept, ["n2", "n3", "n4"]);
    }
}
