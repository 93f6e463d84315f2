//! The beads backlog behind the board's ready column: the beads file is read when the
//! dashboard starts and whenever it changes; ready beads are the open, unblocked ones that no
//! session's store has a record of yet, recomputed whenever a store or the file changes.

use super::Model;
use crate::persist::beads::{BeadIndex, BeadsFile, read_beads};
use std::collections::HashSet;

/// What was read from the beads file.
#[derive(Debug, Clone, Default)]
pub struct Backlog {
    /// The file, when it could be read.
    pub file: Option<BeadsFile>,
    /// Why it could not be read (naming it).
    pub problem: Option<String>,
}

impl Model {
    /// Reads the beads file again (it changed, or at start).
    pub fn reload_beads(&mut self) {
        let Some(path) = self.roots.beads.clone() else {
            return;
        };
        self.backlog = match read_beads(&path) {
            Ok(file) => Backlog {
                file: Some(file),
                problem: None,
            },
            Err(e) => Backlog {
                file: None,
                problem: Some(e.to_string()),
            },
        };
        self.refresh_ready();
    }

    /// Recomputes the ready column from the beads file and every store seen.
    pub fn refresh_ready(&mut self) {
        if self.roots.beads.is_none() {
            return;
        }
        if !self.board.backlog {
            // The ready column appears: lay the columns out again.
            self.board.backlog = true;
            self.board.fix_selection();
        }
        let Some(file) = &self.backlog.file else {
            self.board.set_ready(Vec::new());
            return;
        };
        let mut taken: HashSet<&str> = self.observer.bead_ids();
        if let Some(store) = &self.board.store {
            taken.extend(store.list().iter().map(|a| a.bead_id.as_str()));
        }
        let index = BeadIndex::new(&file.beads);
        let now = chrono::Utc::now().fixed_offset();
        let ready = index
            .ready(&|id| taken.contains(id), now)
            .into_iter()
            .cloned()
            .collect();
        self.board.set_ready(ready);
    }
}
