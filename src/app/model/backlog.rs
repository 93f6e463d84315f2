//! The beads backlog behind the board's ready column: the beads file is read (by the board
//! worker) when the dashboard starts and whenever it changes; ready beads are the open, unblocked ones that no
//! session's store has a record of yet. The file's readiness is worked out once per read; a
//! store change puts in or takes out only the beads it named or stopped naming (and those whose
//! deferral came due meanwhile), in `backlog/ready.rs`.

use super::Model;
use crate::app::effect::Effect;
use crate::persist::assignment::Assignment;
use crate::persist::beads::BeadsFile;
use chrono::{DateTime, Utc};
use ready::{Readiness, Taken};
use std::collections::{HashMap, HashSet};

mod ready;
#[cfg(test)]
mod tests;

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
    /// Which beads of the file may be ready, and when the deferred ones come due.
    readiness: Readiness,
    /// How many stores have a record of each bead id (kept across reads of the file).
    taken: Taken,
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

impl Backlog {
    /// Notes that one session's store had the records `before` and has `after` now: the
    /// ready column follows at the next [`Model::refresh_ready`].
    pub(super) fn store_names(&mut self, before: &[&Assignment], after: &[&Assignment]) {
        fn ids<'a>(records: &[&'a Assignment]) -> HashSet<&'a str> {
            records.iter().map(|a| a.bead_id.as_str()).collect()
        }
        self.taken.change(&ids(before), &ids(after));
    }
}

impl Model {
    /// Asks for the beads file to be read again (it changed, or at start).
    pub fn reload_beads(&mut self) {
        if let Some(path) = self.roots.beads.clone() {
            self.outbox.push(Effect::ReadBeads(path));
        }
    }

    /// Takes the beads file as read, and lays the ready column out again from it.
    pub fn apply_beads(&mut self, read: Result<BeadsFile, String>, now: DateTime<Utc>) {
        let backlog = &mut self.backlog;
        match read {
            Ok(file) => {
                backlog.closed = closed(&file);
                backlog.readiness = Readiness::new(&file, now.fixed_offset());
                backlog.file = Some(file);
                backlog.problem = None;
            }
            Err(problem) => {
                backlog.file = None;
                backlog.problem = Some(problem);
                backlog.closed = HashMap::new();
                backlog.readiness = Readiness::default();
            }
        }
        self.lay_out_ready(now, true);
    }

    /// Brings the ready column up to date after a store change: only the beads whose record
    /// came or went, or whose deferral came due, are looked at.
    pub fn refresh_ready(&mut self, now: DateTime<Utc>) {
        self.lay_out_ready(now, false);
    }

    /// The ready column from the beads file, the stores and the time: every bead (`whole`,
    /// after a read of the file) or only those that may have changed.
    fn lay_out_ready(&mut self, now: DateTime<Utc>, whole: bool) {
        let flipped = self.backlog.taken.take_flipped();
        if self.roots.beads.is_none() {
            return;
        }
        if !self.board.backlog {
            // The ready column appears: lay the columns out again.
            self.board.backlog = true;
            self.board.fix_selection();
        }
        let backlog = &mut self.backlog;
        let Some(file) = &backlog.file else {
            self.board.set_ready(Vec::new());
            return;
        };
        let came_due = backlog.readiness.advance(now.fixed_offset());
        let (readiness, taken) = (&backlog.readiness, &backlog.taken);
        if whole {
            let ready = readiness
                .ready(file, taken)
                .filter_map(|p| file.beads.get(p));
            self.board.set_ready(ready.cloned().collect());
            return;
        }
        let places = came_due
            .into_iter()
            .chain(flipped.iter().filter_map(|id| readiness.place(id)));
        let changes: Vec<_> = places
            .filter_map(|p| file.beads.get(p))
            .map(|b| {
                (
                    b.id.clone(),
                    readiness.is_ready(b, taken).then(|| b.clone()),
                )
            })
            .collect();
        if !changes.is_empty() {
            self.board.change_ready(changes);
        }
    }
}
