//! The ready column's beads: replaced whole when the beads file is read, and changed bead by
//! bead when a store names a bead or stops naming it. One bead coming or going is put in or
//! taken out of the laid-out column where it sorts, and the widest row is kept as a count of
//! widths, so the column is not laid out again (unless the selection is the bead that moves).

use super::order::ready_width;
use super::{BoardPane, CardKey};
use crate::persist::beads::{Bead, ReadyKey};
use std::collections::BTreeMap;

impl BoardPane {
    /// Replaces the ready beads (each id once) and rebuilds the columns, unless they are the
    /// ones shown.
    pub fn set_ready(&mut self, ready: Vec<Bead>) {
        let ready: BTreeMap<ReadyKey, Bead> =
            ready.into_iter().map(|b| (b.ready_key(), b)).collect();
        if ready == self.ready {
            return;
        }
        self.ready_index = ready
            .keys()
            .map(|k| (k.id().to_owned(), k.clone()))
            .collect();
        self.ready = ready;
        self.fix_selection();
    }

    /// Puts ready beads in (`Some`) or takes them out (`None`, by id): what a store change
    /// does, bead by bead. The laid-out column follows each one where it sorts; it is laid
    /// out whole only when the selection may have to move (it is one of these beads, or
    /// there is none).
    pub fn change_ready(&mut self, changes: Vec<(String, Option<Bead>)>) {
        let in_place = self.backlog
            && !self.order.is_empty()
            && self
                .selected
                .as_ref()
                .is_some_and(|s| !(s.is_ready() && changes.iter().any(|(id, _)| *id == s.bead)));
        let mut changed = false;
        for (id, bead) in changes {
            let key = bead.as_ref().map(Bead::ready_key);
            if self.ready_index.get(&id) == key.as_ref()
                && key.as_ref().and_then(|k| self.ready.get(k)) == bead.as_ref()
            {
                continue;
            }
            changed = true;
            if let Some(old) = self.ready_index.get(&id).cloned() {
                if in_place {
                    self.unshow_ready(&old);
                }
                self.ready_index.remove(&id);
                self.ready.remove(&old);
            }
            if let (Some(key), Some(bead)) = (key, bead) {
                if in_place {
                    self.show_ready(&key, &bead);
                }
                self.ready_index.insert(id, key.clone());
                self.ready.insert(key, bead);
            }
        }
        if changed && !in_place {
            self.fix_selection();
        }
    }

    /// The row of the laid-out ready column where `key` is or would be.
    fn ready_row(&self, key: &ReadyKey) -> usize {
        self.order[0]
            .1
            .partition_point(|k| self.ready_index.get(&k.bead).is_some_and(|at| at < key))
    }

    /// Puts a bead coming into the ready list in the laid-out column (if the filter shows it).
    fn show_ready(&mut self, key: &ReadyKey, bead: &Bead) {
        if !self.matches_bead(bead) {
            return;
        }
        let row = self.ready_row(key);
        self.order[0].1.insert(row, CardKey::ready(&bead.id));
        *self.ready_widths.entry(ready_width(bead)).or_default() += 1;
        self.widest.1 = self.widest.1.max(ready_width(bead));
    }

    /// Takes a ready bead out of the laid-out column (where it is shown).
    fn unshow_ready(&mut self, key: &ReadyKey) {
        let Some(bead) = self.ready.get(key) else {
            return;
        };
        if !self.matches_bead(bead) {
            return;
        }
        let width = ready_width(bead);
        let row = self.ready_row(key);
        if self.order[0].1.get(row).is_some_and(|k| k.bead == key.id()) {
            self.order[0].1.remove(row);
        }
        if let Some(n) = self.ready_widths.get_mut(&width) {
            *n -= 1;
            if *n == 0 {
                self.ready_widths.remove(&width);
            }
        }
        self.widest.1 = self.ready_widths.keys().next_back().copied().unwrap_or(0);
    }

    /// The ready beads, in ready order.
    pub fn ready_beads(&self) -> impl Iterator<Item = &Bead> {
        self.ready.values()
    }

    /// A ready bead by id.
    #[must_use]
    pub fn ready_bead(&self, id: &str) -> Option<&Bead> {
        self.ready_index.get(id).and_then(|k| self.ready.get(k))
    }

    /// The selected ready bead, when the selection is in the ready column.
    #[must_use]
    pub fn selected_ready(&self) -> Option<&Bead> {
        let key = self.selected.as_ref().filter(|k| k.is_ready())?;
        self.ready_bead(&key.bead).filter(|b| self.matches_bead(b))
    }
}
