//! The newest listed run that names one bead ([`Follow`]): the card open in the dashboard asks
//! for it on every frame (and `t` opens it), so it is kept as runs come, change and go, and
//! neither a frame nor a run's change looks through every run. Only following another bead, a
//! whole-list change, or the newest itself going (or coming back older, or no longer naming
//! the bead) looks through them all.

use super::RunList;
use crate::persist::run::RunSummary;
use crate::present::link;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The bead followed and the newest run naming it.
#[derive(Debug, Default)]
pub(super) struct Follow {
    pub(super) bead: String,
    newest: Option<Arc<RunSummary>>,
    /// The newest, taken out of the list to be put back (a change): its directory and start.
    taken: Option<(PathBuf, Option<DateTime<Utc>>)>,
}

/// Which run is newer: the later start, then the greater directory (ties told apart the same
/// way every time).
fn rank(run: &RunSummary) -> (Option<DateTime<Utc>>, &Path) {
    (run.started_at(), run.dir.as_path())
}

impl RunList {
    /// Follows the newest run naming `bead` (`None`: none), looking through every run once
    /// when it is another bead than the one followed.
    pub fn follow_bead(&mut self, bead: Option<&str>) {
        match bead {
            None => self.follow = None,
            Some(b) if self.follow.as_ref().is_some_and(|f| f.bead == b) => {}
            Some(b) => {
                self.follow = Some(Follow {
                    bead: b.to_owned(),
                    ..Follow::default()
                });
                self.follow_walk();
            }
        }
    }

    /// The newest listed run naming `bead` (by start, see [`link::run_mentions`]), when `bead`
    /// is the bead followed; `None` for another bead (ask [`RunList::newest_naming_walked`]).
    pub fn newest_naming(&self, bead: &str) -> Option<Option<&RunSummary>> {
        let f = self.follow.as_ref().filter(|f| f.bead == bead)?;
        Some(f.newest.as_deref())
    }

    /// The newest listed run naming `bead`, found by looking through every run.
    pub fn newest_naming_walked(&self, bead: &str) -> Option<&RunSummary> {
        self.entries
            .values()
            .map(|e| &*e.run)
            .filter(|r| link::run_mentions(r, bead))
            .max_by(|a, b| rank(a).cmp(&rank(b)))
    }

    /// The newest is found again by looking through every run.
    pub(super) fn follow_walk(&mut self) {
        let newest = match &self.follow {
            Some(f) => self
                .newest_naming_walked(&f.bead)
                .and_then(|r| self.entries.get(r.dir.as_path()))
                .map(|e| Arc::clone(&e.run)),
            None => return,
        };
        if let Some(f) = &mut self.follow {
            f.newest = newest;
            f.taken = None;
        }
    }

    /// A run is taken out of the list: if it is the newest, it is remembered until put back.
    pub(super) fn follow_taken(&mut self, run: &RunSummary) {
        if let Some(f) = &mut self.follow
            && f.newest.as_ref().is_some_and(|n| n.dir == run.dir)
        {
            f.newest = None;
            f.taken = Some((run.dir.clone(), run.started_at()));
        }
    }

    /// A run is put in the list (after [`RunList::follow_taken`] when it changed): it is the
    /// newest if it names the bead and is newer. The newest put back older, or no longer
    /// naming the bead, leaves the answer to a walk.
    pub(super) fn follow_put(&mut self, run: &Arc<RunSummary>) {
        let Some(f) = &mut self.follow else { return };
        let names = link::run_mentions(run, &f.bead);
        if let Some((dir, started)) = f.taken.take()
            && (dir != run.dir || !names || run.started_at() < started)
        {
            self.follow_walk();
            return;
        }
        if names && f.newest.as_ref().is_none_or(|n| rank(run) > rank(n)) {
            f.newest = Some(Arc::clone(run));
        }
    }

    /// A run was removed: if it was the newest, the next newest is found by a walk.
    pub(super) fn follow_removed(&mut self) {
        if self.follow.as_ref().is_some_and(|f| f.taken.is_some()) {
            self.follow_walk();
        }
    }
}
