//! When each watched item's condition next changes by itself (a run going stale, a failure
//! leaving the window, a bead waiting too long), kept in time order: the clock's tick takes
//! the items due and names the next change without looking at any other item, however many
//! runs and beads are watched.

use chrono::{DateTime, Utc};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

/// A watched item whose condition the clock can change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum DueItem {
    /// A run, by its directory.
    Run(PathBuf),
    /// A session's bead.
    Bead {
        /// The NTM session.
        session: String,
        /// The bead id.
        bead: String,
    },
}

impl DueItem {
    /// A session's bead.
    pub(super) fn bead(session: &str, bead: &str) -> DueItem {
        DueItem::Bead {
            session: session.to_owned(),
            bead: bead.to_owned(),
        }
    }
}

/// Each item's next change, and the items by it.
#[derive(Debug, Clone, Default)]
pub(super) struct Due {
    /// The items by when their condition changes, the soonest first.
    by_time: BTreeSet<(DateTime<Utc>, DueItem)>,
    /// When each item's condition changes.
    of: HashMap<DueItem, DateTime<Utc>>,
}

impl Due {
    /// Says when `item`'s condition next changes by itself (`None`: never, or it is no longer
    /// watched).
    pub(super) fn set(&mut self, item: DueItem, at: Option<DateTime<Utc>>) {
        if self.of.get(&item) == at.as_ref() {
            return;
        }
        if let Some(was) = self.of.remove(&item) {
            self.by_time.remove(&(was, item.clone()));
        }
        if let Some(at) = at {
            self.by_time.insert((at, item.clone()));
            self.of.insert(item, at);
        }
    }

    /// The item's next change, if any.
    #[cfg(test)]
    pub(super) fn of(&self, item: &DueItem) -> Option<DateTime<Utc>> {
        self.of.get(item).copied()
    }

    /// The first change of any item.
    pub(super) fn first(&self) -> Option<DateTime<Utc>> {
        self.by_time.first().map(|(at, _)| *at)
    }

    /// The items whose change is due by `now`, the soonest first.
    pub(super) fn by(&self, now: DateTime<Utc>) -> Vec<DueItem> {
        self.by_time
            .iter()
            .take_while(|(at, _)| *at <= now)
            .map(|(_, item)| item.clone())
            .collect()
    }

    /// How many items have a change to come.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        debug_assert_eq!(self.of.len(), self.by_time.len());
        self.of.len()
    }
}
