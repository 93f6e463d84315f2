//! The panes the active cards name, kept per store change: how many active cards of every
//! store name each pane, and how far that set is from the one the last look was asked for,
//! so a store change costs what that store holds and not every record of every store.

use super::active;
use crate::binding::PaneRef;
use crate::persist::assignment::Assignment;
use std::collections::{BTreeMap, BTreeSet};

/// The panes wanted now and at the last ask.
#[derive(Debug, Clone, Default)]
pub(super) struct Wanted {
    /// How many active cards (of every store) name each pane.
    named: BTreeMap<PaneRef, usize>,
    /// The panes the last look was asked for.
    asked: BTreeSet<PaneRef>,
    /// How many panes are in one of `named` and `asked` and not the other.
    differ: usize,
}

impl Wanted {
    /// One session's store had the records `before` and has `after` now.
    pub(super) fn store_cards(
        &mut self,
        session: &str,
        before: &[&Assignment],
        after: &[&Assignment],
    ) {
        let panes = |records: &[&Assignment]| -> Vec<PaneRef> {
            records
                .iter()
                .filter(|a| active(&a.status))
                .map(|a| PaneRef::of(session, a))
                .collect()
        };
        let (before, after) = (panes(before), panes(after));
        for pane in before {
            self.unname(pane);
        }
        for pane in after {
            self.name(pane);
        }
    }

    /// One more active card names `pane`.
    fn name(&mut self, pane: PaneRef) {
        let asked = self.asked.contains(&pane);
        let n = self.named.entry(pane).or_default();
        *n += 1;
        if *n == 1 {
            // In `named` now: in step with the ask exactly when the ask had it.
            self.flip(asked);
        }
    }

    /// One active card fewer names `pane`.
    fn unname(&mut self, pane: PaneRef) {
        let Some(n) = self.named.get_mut(&pane) else {
            return;
        };
        *n -= 1;
        if *n == 0 {
            self.named.remove(&pane);
            // Out of `named` now: in step with the ask exactly when the ask did not have it.
            self.flip(!self.asked.contains(&pane));
        }
    }

    /// A pane came into `named` or left it, and now agrees with the ask or not (it did the
    /// opposite before).
    fn flip(&mut self, agrees: bool) {
        if agrees {
            self.differ -= 1;
        } else {
            self.differ += 1;
        }
    }

    /// Whether they are other panes than at the last ask.
    pub(super) fn changed(&self) -> bool {
        self.differ != 0
    }

    /// The look is asked for the panes the active cards name now: those panes.
    pub(super) fn ask(&mut self) -> BTreeSet<PaneRef> {
        self.asked = self.named.keys().cloned().collect();
        self.differ = 0;
        self.asked.clone()
    }

    /// Whether the last look was asked for no pane.
    pub(super) fn asked_none(&self) -> bool {
        self.asked.is_empty()
    }
}

#[cfg(test)]
impl super::Binder {
    /// The panes kept as named now, those of the last ask, and whether they differ (for the
    /// tests' walk to compare).
    pub(crate) fn wanted_kept(&self) -> (BTreeSet<PaneRef>, BTreeSet<PaneRef>, bool) {
        let named = self.wanted.named.keys().cloned().collect();
        (named, self.wanted.asked.clone(), self.wanted.changed())
    }
}
