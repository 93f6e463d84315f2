//! The journal of moves made for other machines: each move's idempotency key and its outcome,
//! in beadboard's own state directory (`~/.local/state/beadboard/moves.jsonl`; never in NTM's
//! directory). A move holds the journal's lock from the look-up of its key, through the move
//! (which takes the store's own locks), to the writing of its outcome: a retry of the same key
//! waits for the first try and gets its answer, and the move is made once. The journal keeps
//! the last [`KEEP`] moves of the last [`KEEP_FOR`]; older keys are dropped as it is rewritten.

use crate::config::state_dir;
use crate::persist::atomic;
use crate::persist::lock::FileLock;
use crate::remote::protocol::{Move, MoveOutcome, MoveResult};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The most moves the journal keeps.
pub const KEEP: usize = 1000;

/// How long a move's key is remembered.
pub const KEEP_FOR: Duration = Duration::from_secs(7 * 24 * 3600);

/// How long a move waits for another move's hold on the journal (a move may wait 45 s for
/// NTM's locks, or run `ntm` for as long).
const LOCK_WAIT: Duration = Duration::from_secs(300);

/// One move remembered.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    key: String,
    at: DateTime<Utc>,
    outcome: MoveOutcome,
}

/// The journal in `dir`.
#[derive(Debug, Clone)]
pub struct Journal {
    dir: PathBuf,
    keep: usize,
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
    /// `replayed`), else `make`'s, recorded before the journal's lock is let go. `on_wait` is
    /// called when another move holds the journal.
    pub fn once(
        &self,
        key: &str,
        mv: &Move,
        now: impl Fn() -> DateTime<Utc>,
        on_wait: impl FnMut(),
        make: impl FnOnce() -> MoveOutcome,
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
        if let Some(entry) = entries.iter().find(|e| e.key == key) {
            return MoveOutcome {
                replayed: true,
                ..entry.outcome.clone()
            };
        }
        let outcome = make();
        let at = now();
        let oldest = at - chrono::Duration::from_std(KEEP_FOR).unwrap_or_default();
        entries.retain(|e| e.at >= oldest);
        entries.push(Entry {
            key: key.to_owned(),
            at,
            outcome: outcome.clone(),
        });
        let skip = entries.len().saturating_sub(self.keep);
        let mut bytes = Vec::new();
        for entry in &entries[skip..] {
            if let Ok(line) = serde_json::to_string(entry) {
                bytes.extend_from_slice(line.as_bytes());
                bytes.push(b'\n');
            }
        }
        let written = atomic::write_atomic(&self.file(), &bytes, 0o600);
        drop(lock);
        match written {
            Ok(()) => outcome,
            Err(e) => {
                let mut outcome = outcome;
                outcome.notes.push(format!(
                    "warning: {}: the move's key was not recorded ({e}); a retry would be refused as stale",
                    self.file().display()
                ));
                outcome
            }
        }
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
            || {
                made += 1;
                applied()
            },
        );
        assert!(!first.replayed);
        let again = journal.once("k1", &mv(), || t0, || {}, || unreachable!());
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
        journal.once("k2", &mv(), || later, || {}, applied);
        let keys: Vec<String> = journal.read().into_iter().map(|e| e.key).collect();
        assert_eq!(keys, ["k2"]);
        // At most so many keys.
        let journal = journal.keeping(3);
        for i in 0..5 {
            journal.once(&format!("n{i}"), &mv(), || later, || {}, applied);
        }
        let kept: Vec<String> = journal.read().into_iter().map(|e| e.key).collect();
        assert_eq!(kept, ["n2", "n3", "n4"]);
    }
}
