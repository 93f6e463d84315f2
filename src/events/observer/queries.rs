//! What the observer can be asked: each item's condition, what needs attention (and how
//! many), when the next condition changes by itself, and acknowledging an item.

use super::{Observer, run_name};
use crate::events::{Item, Standing};
use crate::present::attention::{Condition, Level};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::path::Path;

impl Observer {
    /// The next moment a condition changes by itself (see [`Observer::tick`]).
    #[must_use]
    pub fn next_change(&self) -> Option<DateTime<Utc>> {
        let runs = self.runs.values().filter_map(|s| s.changes_at);
        let beads = self.beads.values().filter_map(|s| s.changes_at);
        runs.chain(beads).min()
    }

    /// How an item stands now.
    #[must_use]
    pub fn standing(&self, item: &Item) -> Option<Standing> {
        let (name, condition) = match item {
            Item::Run(dir) => {
                let s = self.runs.get(dir)?;
                (run_name(&s.record), s.condition.clone())
            }
            Item::Bead { session, bead } => {
                let s = self.beads.get(&(session.clone(), bead.clone()))?;
                (bead.clone(), s.condition.clone())
            }
        };
        Some(Standing {
            acknowledged: self.acks.get(item) == Some(&condition.key),
            item: item.clone(),
            name,
            condition,
        })
    }

    /// The condition of the run in `dir`, and whether it was acknowledged.
    #[must_use]
    pub fn run_condition(&self, dir: &Path) -> Option<(&Condition, bool)> {
        let s = self.runs.get(dir)?;
        let acked = self.acks.get(&Item::Run(dir.to_path_buf())) == Some(&s.condition.key);
        Some((&s.condition, acked))
    }

    /// The condition of a bead, and whether it was acknowledged.
    #[must_use]
    pub fn bead_condition(&self, session: &str, bead: &str) -> Option<(&Condition, bool)> {
        let s = self.beads.get(&(session.to_owned(), bead.to_owned()))?;
        let item = Item::Bead {
            session: session.to_owned(),
            bead: bead.to_owned(),
        };
        Some((&s.condition, self.acks.get(&item) == Some(&s.condition.key)))
    }

    /// True when `item` with `condition` needs attention and was not acknowledged.
    fn counts(&self, item: &Item, condition: &Condition) -> bool {
        condition.level == Level::Attention
            && (self.acks.is_empty() || self.acks.get(item) != Some(&condition.key))
    }

    /// Every item that needs attention and was not acknowledged, in a stable order.
    #[must_use]
    pub fn needing_attention(&self) -> Vec<Item> {
        let runs = self
            .runs
            .iter()
            .map(|(dir, s)| (Item::Run(dir.clone()), &s.condition));
        let beads = self.beads.iter().map(|((session, bead), s)| {
            let item = Item::Bead {
                session: session.clone(),
                bead: bead.clone(),
            };
            (item, &s.condition)
        });
        let mut items: Vec<Item> = runs
            .chain(beads)
            .filter(|(item, condition)| self.counts(item, condition))
            .map(|(item, _)| item)
            .collect();
        items.sort();
        items
    }

    /// How many items need attention and were not acknowledged (cheap: no list is built
    /// while nothing is acknowledged).
    #[must_use]
    pub fn attention_count(&self) -> usize {
        let waiting = |c: &Condition| c.level == Level::Attention;
        if self.acks.is_empty() {
            let runs = self.runs.values().filter(|s| waiting(&s.condition)).count();
            let beads = self
                .beads
                .values()
                .filter(|s| waiting(&s.condition))
                .count();
            return runs + beads;
        }
        self.needing_attention().len()
    }

    /// The ids of every bead some session's store has a record of.
    #[must_use]
    pub fn bead_ids(&self) -> HashSet<&str> {
        self.beads.keys().map(|(_, bead)| bead.as_str()).collect()
    }

    /// Acknowledges an item's current situation: it stops counting until its condition
    /// changes. Returns false when the item does not need attention.
    pub fn acknowledge(&mut self, item: &Item) -> bool {
        match self.standing(item) {
            Some(s) if s.condition.level == Level::Attention => {
                self.acks.insert(item.clone(), s.condition.key);
                true
            }
            _ => false,
        }
    }
}
