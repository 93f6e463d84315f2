//! What the observer can be asked: each item's condition, what needs attention (and how
//! many), when the next condition changes by itself, and acknowledging an item. Lookups take
//! borrowed keys, so the views can ask for every row and card on every frame for free.

use super::{Observer, Seen, run_name};
use crate::events::{Item, Standing};
use crate::present::attention::{Condition, Level};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The observed condition, in the words it has at draw time when it is still the same
/// situation (same level and key); otherwise as observed, until the observer catches up.
fn reworded(observed: &Condition, fresh: Condition) -> Condition {
    if fresh.level == observed.level && fresh.key == observed.key {
        fresh
    } else {
        observed.clone()
    }
}

impl Observer {
    /// The next moment a watched item's condition changes by itself (see [`Observer::tick`]).
    #[must_use]
    pub fn next_change(&self) -> Option<DateTime<Utc>> {
        self.due.first()
    }

    fn bead(
        &self,
        session: &str,
        bead: &str,
    ) -> Option<&Seen<crate::persist::assignment::Assignment>> {
        self.beads.get(session)?.get(bead).map(|b| &**b)
    }

    /// How an item stands now.
    #[must_use]
    pub fn standing(&self, item: &Item) -> Option<Standing> {
        let (name, condition, acknowledged) = match item {
            Item::Run(dir) => {
                let s = self.runs.get(dir)?;
                (run_name(&*s.record), s.condition.clone(), !s.counts())
            }
            Item::Bead { session, bead } => {
                let s = self.bead(session, bead)?;
                (bead.clone(), s.condition.clone(), !s.counts())
            }
            Item::HostBead { .. } => {
                let s = self.host_bead_seen(item)?;
                (s.record.name.clone(), s.condition.clone(), !s.counts())
            }
        };
        Some(Standing {
            acknowledged: acknowledged && condition.level == Level::Attention,
            item: item.clone(),
            name,
            condition,
        })
    }

    /// The condition of the run in `dir` as it reads at `now`, and whether it was
    /// acknowledged. The situation is the one last observed; its words (`quiet for 35m`) are
    /// worked out again at `now`, so a reason on screen never goes stale.
    #[must_use]
    pub fn run_condition(&self, dir: &Path, now: DateTime<Utc>) -> Option<(Condition, bool)> {
        let s = self.runs.get(dir)?;
        let fresh = self.judge_run(&s.record, now);
        Some((
            reworded(&s.condition, fresh),
            s.acknowledged.as_deref() == Some(s.condition.key.as_str()),
        ))
    }

    /// The condition of a bead as it reads at `now`, and whether it was acknowledged (see
    /// [`Observer::run_condition`]).
    #[must_use]
    pub fn bead_condition(
        &self,
        session: &str,
        bead: &str,
        now: DateTime<Utc>,
    ) -> Option<(Condition, bool)> {
        let s = self.bead(session, bead)?;
        let facts = self.agents.get(session, bead);
        let (fresh, _) =
            super::agents::judge(&self.limits, &self.assigned, facts, session, &s.record, now);
        Some((
            reworded(&s.condition, fresh),
            s.acknowledged.as_deref() == Some(s.condition.key.as_str()),
        ))
    }

    /// Every item that needs attention and was not acknowledged, in a stable order.
    #[must_use]
    pub fn needing_attention(&self) -> Vec<Item> {
        let runs = self
            .runs
            .iter()
            .filter(|(_, s)| s.counts())
            .map(|(dir, _)| Item::Run(dir.clone()));
        let beads = self.beads.iter().flat_map(|(session, beads)| {
            beads
                .iter()
                .filter(|(_, s)| s.counts())
                .map(|(bead, _)| Item::Bead {
                    session: session.clone(),
                    bead: bead.clone(),
                })
        });
        let hosts = self
            .hosts
            .iter()
            .filter(|(_, s)| s.counts())
            .map(|(item, _)| item.clone());
        let mut items: Vec<Item> = runs.chain(beads).chain(hosts).collect();
        items.sort();
        items
    }

    /// How many items need attention and were not acknowledged (kept as conditions and
    /// acknowledgements change: nothing is walked).
    #[must_use]
    pub fn attention_count(&self) -> usize {
        self.counting
    }

    /// [`Observer::attention_count`], found by a walk over every watched item (what the
    /// count kept must equal, in tests).
    #[cfg(test)]
    pub(super) fn attention_walked(&self) -> usize {
        let runs = self.runs.values().filter(|s| s.counts()).count();
        let beads: usize = self
            .beads
            .values()
            .map(|b| b.values().filter(|s| s.counts()).count())
            .sum();
        let hosts = self.hosts.values().filter(|s| s.counts()).count();
        runs + beads + hosts
    }

    /// How many announced situations are remembered (so none is announced twice): a few per
    /// item watched, and those of the last [`super::FORGET_AFTER`] items no longer watched.
    #[must_use]
    pub fn announcements_remembered(&self) -> usize {
        let runs: usize = self.runs.values().map(|s| s.announced.len()).sum();
        let beads: usize = self
            .beads
            .values()
            .flat_map(|b| b.values())
            .map(|s| s.announced.len())
            .sum();
        let hosts: usize = self.hosts.values().map(|s| s.announced.len()).sum();
        runs + beads + hosts + self.forgotten.len()
    }

    /// How many runs and beads are watched (remembered as they were last seen).
    #[must_use]
    pub fn watched(&self) -> usize {
        self.runs.len() + self.beads.values().map(HashMap::len).sum::<usize>() + self.hosts.len()
    }

    /// Every bead record of every session's store, as last seen (in no set order).
    pub fn records(&self) -> impl Iterator<Item = (&str, &crate::persist::assignment::Assignment)> {
        self.beads
            .iter()
            .flat_map(|(session, beads)| beads.values().map(move |s| (session.as_str(), &s.record)))
    }

    /// Every bead record of one session's store, as last seen (in no set order).
    pub fn records_of(
        &self,
        session: &str,
    ) -> impl Iterator<Item = &crate::persist::assignment::Assignment> {
        self.beads
            .get(session)
            .into_iter()
            .flat_map(|b| b.values().map(|s| &s.record))
    }

    /// One bead's record in one session's store, as last seen.
    #[must_use]
    pub fn record(
        &self,
        session: &str,
        bead: &str,
    ) -> Option<&crate::persist::assignment::Assignment> {
        Some(&self.beads.get(session)?.get(bead)?.record)
    }

    /// The ids of every bead some session's store has a record of.
    #[must_use]
    pub fn bead_ids(&self) -> HashSet<&str> {
        self.beads
            .values()
            .flat_map(|b| b.keys().map(String::as_str))
            .collect()
    }

    /// Acknowledges an item's current situation: it stops counting until its condition
    /// changes. Returns false when the item does not need attention.
    pub fn acknowledge(&mut self, item: &Item) -> bool {
        let counted = match self.acknowledgement_of(item) {
            Some((condition, acknowledged)) if condition.level == Level::Attention => {
                let counted = acknowledged.as_deref() != Some(condition.key.as_str());
                *acknowledged = Some(condition.key.clone());
                counted
            }
            _ => return false,
        };
        super::recount(&mut self.counting, counted, false);
        true
    }
}
