//! Acknowledgements that outlive the dashboard: the observer hands out every item acknowledged
//! in the situation it is in now (to be kept in the cache directory), and takes them back at
//! the next start. One read back is taken when its item is seen in the very situation that
//! was acknowledged; an item seen in another situation, or never seen once everything has
//! been read, loses it, so the file only ever holds what still applies.

use super::{Observer, Seen};
use crate::events::Item;
use crate::present::attention::{Condition, Level};
use std::collections::HashMap;

/// The acknowledgement read back for `item`, if it was of this very situation (taken either
/// way: a changed situation needs a new look).
pub(super) fn take(
    restored: &mut HashMap<Item, String>,
    item: &Item,
    condition: &Condition,
) -> Option<String> {
    let key = restored.remove(item)?;
    (condition.level == Level::Attention && key == condition.key).then_some(key)
}

/// The key an item's acknowledgement holds for, while it still applies.
fn standing_ack<T>(seen: &Seen<T>) -> Option<&String> {
    seen.acknowledged
        .as_ref()
        .filter(|k| seen.condition.level == Level::Attention && **k == seen.condition.key)
}

impl Observer {
    /// See [`take`].
    pub(super) fn take_restored(&mut self, item: &Item, condition: &Condition) -> Option<String> {
        take(&mut self.restored, item, condition)
    }

    /// A seen item's condition and its acknowledgement, to read and set together (`None`:
    /// the item has not been seen).
    pub(super) fn acknowledgement_of(
        &mut self,
        item: &Item,
    ) -> Option<(&Condition, &mut Option<String>)> {
        match item {
            Item::Run(dir) => self
                .runs
                .get_mut(dir)
                .map(|s| (&s.condition, &mut s.acknowledged)),
            Item::Bead { session, bead } => self
                .beads
                .get_mut(session)
                .and_then(|b| b.get_mut(bead))
                .map(|s| (&s.condition, &mut s.acknowledged)),
            Item::HostBead { .. } => self
                .hosts
                .get_mut(item)
                .map(|s| (&s.condition, &mut s.acknowledged)),
        }
    }

    /// Takes back acknowledgements kept from an earlier session: an item seen already gets
    /// its own at once when its situation is the one acknowledged; the others wait until
    /// their item is seen.
    pub fn restore_acknowledged(&mut self, acks: impl IntoIterator<Item = (Item, String)>) {
        for (item, key) in acks {
            let counted = match self.acknowledgement_of(&item) {
                Some((condition, acknowledged)) => {
                    let applies = condition.level == Level::Attention && condition.key == key;
                    let counted = applies && acknowledged.as_deref() != Some(key.as_str());
                    if applies {
                        *acknowledged = Some(key);
                    }
                    counted
                }
                None => {
                    self.restored.insert(item, key);
                    false
                }
            };
            super::recount(&mut self.counting, counted, false);
        }
    }

    /// Drops the acknowledgements read back whose item was never seen (it is gone, or needs
    /// nobody now): call once every run and store has been read.
    pub fn forget_unseen_acknowledgements(&mut self) -> bool {
        let any = !self.restored.is_empty();
        self.restored.clear();
        any
    }

    /// Every acknowledgement that still applies (its item needs attention in the situation
    /// acknowledged), and those read back and not yet matched, in a stable order.
    #[must_use]
    pub fn acknowledgements(&self) -> Vec<(Item, String)> {
        let runs = self
            .runs
            .iter()
            .filter_map(|(dir, s)| standing_ack(s).map(|k| (Item::Run(dir.clone()), k.clone())));
        let beads = self.beads.iter().flat_map(|(session, beads)| {
            beads.iter().filter_map(move |(bead, s)| {
                let item = Item::Bead {
                    session: session.clone(),
                    bead: bead.clone(),
                };
                standing_ack(s).map(|k| (item, k.clone()))
            })
        });
        let hosts = self
            .hosts
            .iter()
            .filter_map(|(item, s)| standing_ack(s).map(|k| (item.clone(), k.clone())));
        let restored = self.restored.iter().map(|(i, k)| (i.clone(), k.clone()));
        let mut all: Vec<(Item, String)> = runs.chain(beads).chain(hosts).chain(restored).collect();
        all.sort();
        all
    }
}
