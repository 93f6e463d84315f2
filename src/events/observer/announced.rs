//! What the observer has announced, kept no longer than it can matter: each item it watches
//! remembers the last few situations announced for it ([`Keys`], inside the item's record, so
//! it goes when the item goes), and the items it stopped watching (settled, or gone) are
//! remembered a while longer in a bounded queue ([`Forgotten`]), so one that comes back soon
//! (a store read as gone for a moment, a finished run resumed) is not announced again. Nothing
//! here grows with the history: the memory is a few keys per watched item, plus [`FORGET_AFTER`]
//! items at most.

use super::Item;
use std::collections::{HashMap, VecDeque};

/// Situations remembered per item: an item's keys embed times and offsets that only move
/// forward, so an older situation comes back only when an older record does (an undo, a
/// store read as gone for a moment), and then one of the last few.
pub(super) const KEYS_PER_ITEM: usize = 8;

/// Items no longer watched whose announcements are still remembered.
pub const FORGET_AFTER: usize = 512;

/// The last [`KEYS_PER_ITEM`] situations announced for one item, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Keys(Vec<String>);

impl Keys {
    /// Notes `key` as announced; true when it was not already.
    pub(super) fn announce(&mut self, key: &str) -> bool {
        if self.0.iter().any(|k| k == key) {
            return false;
        }
        if self.0.len() == KEYS_PER_ITEM {
            self.0.remove(0);
        }
        self.0.push(key.to_owned());
        true
    }

    /// How many situations are remembered.
    pub(super) fn len(&self) -> usize {
        self.0.len()
    }
}

/// The announcements of the last [`FORGET_AFTER`] items no longer watched.
#[derive(Debug, Clone, Default)]
pub(super) struct Forgotten {
    /// Item → its keys, and the stamp of its place in `order`.
    keys: HashMap<Item, (u64, Keys)>,
    /// Items in the order they were forgotten, with their stamps (an item taken back and
    /// forgotten again has a newer stamp; its older place in the queue is then void).
    order: VecDeque<(u64, Item)>,
    stamp: u64,
}

impl Forgotten {
    /// Remembers a while what was announced for an item no longer watched.
    pub(super) fn remember(&mut self, item: Item, keys: Keys) {
        if keys.0.is_empty() {
            return;
        }
        self.stamp += 1;
        self.order.push_back((self.stamp, item.clone()));
        self.keys.insert(item, (self.stamp, keys));
        while self.order.len() > FORGET_AFTER {
            let Some((stamp, item)) = self.order.pop_front() else {
                break;
            };
            if self.keys.get(&item).is_some_and(|(s, _)| *s == stamp) {
                self.keys.remove(&item);
            }
        }
    }

    /// What was announced for an item watched again (nothing when it was never announced, or
    /// forgotten long ago).
    pub(super) fn take(&mut self, item: &Item) -> Keys {
        self.keys.remove(item).map(|(_, k)| k).unwrap_or_default()
    }

    /// How many situations are remembered.
    pub(super) fn len(&self) -> usize {
        self.keys.values().map(|(_, k)| k.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_keeps_its_last_few_keys() {
        let mut k = Keys::default();
        assert!(k.announce("a"));
        assert!(!k.announce("a"));
        for n in 1..=KEYS_PER_ITEM {
            assert!(k.announce(&n.to_string()));
        }
        assert_eq!(k.len(), KEYS_PER_ITEM);
        assert!(k.announce("a"), "the oldest was let go");
    }

    #[test]
    fn forgotten_items_are_kept_a_while_then_let_go() {
        let mut f = Forgotten::default();
        let item = |n: usize| Item::Run(std::path::PathBuf::from(format!("/r/{n}")));
        let keys = |k: &str| {
            let mut keys = Keys::default();
            keys.announce(k);
            keys
        };
        f.remember(item(0), Keys::default());
        assert_eq!(f.len(), 0, "nothing announced, nothing kept");
        // One item forgotten, taken back and forgotten again many times stays one entry.
        for _ in 0..3 * FORGET_AFTER {
            f.remember(item(0), keys("x"));
            assert_eq!(f.take(&item(0)), keys("x"));
        }
        f.remember(item(0), keys("x"));
        assert!(f.order.len() <= FORGET_AFTER);
        for n in 1..=FORGET_AFTER {
            f.remember(item(n), keys("y"));
        }
        assert_eq!(f.len(), FORGET_AFTER);
        assert!(f.order.len() <= FORGET_AFTER);
        assert_eq!(f.take(&item(0)), Keys::default(), "the oldest was let go");
        assert_eq!(f.take(&item(FORGET_AFTER)), keys("y"));
    }
}
