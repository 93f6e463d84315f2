//! The beads backlog behind the board's ready column: the beads file is read (by the board
//! worker) when the dashboard starts and whenever it changes; ready beads are the open, unblocked ones that no
//! session's store has a record of yet, recomputed whenever a store or the file changes.

use super::Model;
use crate::app::effect::Effect;
use crate::persist::beads::{BeadIndex, BeadsFile};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// What was read from the beads file.
#[derive(Debug, Clone, Default)]
pub struct Backlog {
    /// The file, when it could be read.
    pub file: Option<BeadsFile>,
    /// Why it could not be read (naming it).
    pub problem: Option<String>,
    /// The file's closed issues by id, and when each closed (its last update when the close
    /// is not stamped): made once per read, not per event.
    pub closed: HashMap<String, Option<DateTime<Utc>>>,
}

/// The closed issues of `file` by id; where an id is written twice, the last one counts (as in
/// [`BeadIndex`]).
fn closed(file: &BeadsFile) -> HashMap<String, Option<DateTime<Utc>>> {
    let mut closed = HashMap::new();
    for b in &file.beads {
        if b.status == "closed" {
            let at = b.closed_at.or(b.updated_at).map(|t| t.with_timezone(&Utc));
            closed.insert(b.id.clone(), at);
        } else {
            closed.remove(&b.id);
        }
    }
    closed
}

impl Model {
    /// Asks for the beads file to be read again (it changed, or at start).
    pub fn reload_beads(&mut self) {
        if let Some(path) = self.roots.beads.clone() {
            self.outbox.push(Effect::ReadBeads(path));
        }
    }

    /// Takes the beads file as read.
    pub fn apply_beads(&mut self, read: Result<BeadsFile, String>, now: DateTime<Utc>) {
        self.backlog = match read {
            Ok(file) => Backlog {
                closed: closed(&file),
                file: Some(file),
                problem: None,
            },
            Err(problem) => Backlog {
                file: None,
                problem: Some(problem),
                closed: HashMap::new(),
            },
        };
        self.refresh_ready(now);
    }

    /// Recomputes the ready column from the beads file and every store seen.
    pub fn refresh_ready(&mut self, now: DateTime<Utc>) {
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
        if let Some(merged) = &self.board.merged {
            for store in merged.stores.values() {
                taken.extend(store.list().iter().map(|a| a.bead_id.as_str()));
            }
        }
        let index = BeadIndex::new(&file.beads);
        let ready = index
            .ready(&|id| taken.contains(id), now.fixed_offset())
            .into_iter()
            .cloned()
            .collect();
        self.board.set_ready(ready);
    }
}
