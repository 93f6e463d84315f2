//! The watched runs that need attention, indexed by the succession keys their condition
//! depends on ([`Flagged`]): when a later run moves a key's latest start, or a store names (or
//! drops) a bead id, only the runs under those keys are judged again, never every watched run.
//! It holds the few flagged runs, never the history.

use crate::persist::run::RunSummary;
use crate::present::attention::{KeyHash, Succession};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The flagged runs by key, and each flagged run's keys (to take it out again).
#[derive(Debug, Clone, Default)]
pub(super) struct Flagged {
    /// Key → the directories of the flagged runs that have it.
    by_key: HashMap<KeyHash, HashSet<PathBuf>>,
    /// Flagged run's directory → its keys.
    keys: HashMap<PathBuf, Vec<KeyHash>>,
}

impl Flagged {
    /// Files `run` under its keys when `flagged`, else takes it out (it may have been filed
    /// with other keys: its record changed).
    pub(super) fn set(&mut self, run: &RunSummary, flagged: bool) {
        self.remove(&run.dir);
        if !flagged {
            return;
        }
        let keys = Succession::keys_of(run);
        for k in &keys {
            self.by_key.entry(*k).or_default().insert(run.dir.clone());
        }
        self.keys.insert(run.dir.clone(), keys);
    }

    /// Takes the run in `dir` out (it is no longer watched, or no longer flagged).
    pub(super) fn remove(&mut self, dir: &Path) {
        let Some(keys) = self.keys.remove(dir) else {
            return;
        };
        for k in keys {
            if let Some(dirs) = self.by_key.get_mut(&k) {
                dirs.remove(dir);
                if dirs.is_empty() {
                    self.by_key.remove(&k);
                }
            }
        }
    }

    /// The flagged runs filed under any of `keys`, each once, in a stable order.
    pub(super) fn under(&self, keys: impl IntoIterator<Item = KeyHash>) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = keys
            .into_iter()
            .filter_map(|k| self.by_key.get(&k))
            .flatten()
            .cloned()
            .collect();
        dirs.sort();
        dirs.dedup();
        dirs
    }

    /// The directories of every flagged run, sorted (to compare with a walk, in tests).
    #[cfg(test)]
    pub(super) fn dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self.keys.keys().cloned().collect();
        dirs.sort();
        let mut filed: Vec<PathBuf> = self.by_key.values().flatten().cloned().collect();
        filed.sort();
        filed.dedup();
        assert_eq!(dirs, filed, "every run filed is a flagged run, and back");
        dirs
    }
}
