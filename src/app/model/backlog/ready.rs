//! What the ready column keeps between events, so a store change costs what that store holds
//! and not what every store and the beads file hold: which beads of the file may be ready
//! (worked out once per read of the file), when the deferred ones come due, and how many
//! stores have a record of each bead id (kept from the one store that changed).

use crate::persist::beads::{Bead, BeadIndex, BeadsFile};
use chrono::{DateTime, FixedOffset};
use std::collections::{HashMap, HashSet};

/// One read of the beads file as the ready rule sees it, apart from the stores and the time.
#[derive(Debug, Clone, Default)]
pub struct Readiness {
    /// The beads ready whenever no store has a record of them and they are not deferred
    /// (open, shown, unblocked: [`Bead::may_be_ready`]), by id: their place in the file.
    may: HashMap<String, usize>,
    /// Those of them with a `defer_until`, soonest first, with their place in the file.
    deferred: Vec<(DateTime<FixedOffset>, usize)>,
    /// How many of `deferred` have come due at `at` (their time is not after it).
    due: usize,
    /// The moment the column was last worked out for.
    at: Option<DateTime<FixedOffset>>,
}

impl Readiness {
    /// Works out which beads of `file` may be ready (the file's readiness index is built here,
    /// once per read), as of `now`.
    #[must_use]
    pub fn new(file: &BeadsFile, now: DateTime<FixedOffset>) -> Readiness {
        let index = BeadIndex::new(&file.beads);
        let mut may = HashMap::new();
        let mut deferred = Vec::new();
        for (place, bead) in file.beads.iter().enumerate() {
            let indexed = index.get(&bead.id).is_some_and(|b| std::ptr::eq(b, bead));
            if indexed && bead.may_be_ready(&index) {
                may.insert(bead.id.clone(), place);
                if let Some(t) = bead.defer_until {
                    deferred.push((t, place));
                }
            }
        }
        deferred.sort_unstable();
        let mut readiness = Readiness {
            may,
            deferred,
            due: 0,
            at: None,
        };
        readiness.advance(now);
        readiness
    }

    /// Whether `bead` (of the file read) is ready at the last moment worked out, when `taken`
    /// says whether a store has a record of an id.
    #[must_use]
    pub fn is_ready(&self, bead: &Bead, taken: &Taken) -> bool {
        self.may.contains_key(&bead.id)
            && !self.at.is_some_and(|at| bead.deferred_at(at))
            && !taken.contains(&bead.id)
    }

    /// The place in the file of the bead with this id, when it may be ready.
    #[must_use]
    pub fn place(&self, id: &str) -> Option<usize> {
        self.may.get(id).copied()
    }

    /// Every ready bead's place in the file (in no set order).
    pub fn ready<'a>(
        &'a self,
        file: &'a BeadsFile,
        taken: &'a Taken,
    ) -> impl Iterator<Item = usize> + 'a {
        self.may.values().copied().filter(move |&place| {
            file.beads
                .get(place)
                .is_some_and(|b| self.is_ready(b, taken))
        })
    }

    /// Moves the moment worked out to `now`: the places of the beads that came due, or (when
    /// the clock went back) that are deferred again. Only those are looked at: the next
    /// moment anything can change is the first deferral still to come.
    pub fn advance(&mut self, now: DateTime<FixedOffset>) -> Vec<usize> {
        let mut moved = Vec::new();
        while let Some(&(t, place)) = self.deferred.get(self.due)
            && t <= now
        {
            moved.push(place);
            self.due += 1;
        }
        while let Some(&(t, place)) = self.due.checked_sub(1).and_then(|i| self.deferred.get(i))
            && t > now
        {
            moved.push(place);
            self.due -= 1;
        }
        self.at = Some(now);
        moved
    }
}

/// How many stores have a record of each bead id, and the ids that went from none to some or
/// back since they were last taken in.
#[derive(Debug, Clone, Default)]
pub struct Taken {
    counts: HashMap<String, usize>,
    flipped: Vec<String>,
}

impl Taken {
    /// Whether some store has a record of `id`.
    #[must_use]
    pub fn contains(&self, id: &str) -> bool {
        self.counts.contains_key(id)
    }

    /// One store named `before` and names `after` now.
    pub fn change(&mut self, before: &HashSet<&str>, after: &HashSet<&str>) {
        for &id in before.difference(after) {
            if let Some(n) = self.counts.get_mut(id) {
                *n -= 1;
                if *n == 0 {
                    self.counts.remove(id);
                    self.flipped.push(id.to_owned());
                }
            }
        }
        for &id in after.difference(before) {
            let n = self.counts.entry(id.to_owned()).or_default();
            *n += 1;
            if *n == 1 {
                self.flipped.push(id.to_owned());
            }
        }
    }

    /// The ids that went from no store to some, or back, since the last call.
    pub fn take_flipped(&mut self) -> Vec<String> {
        std::mem::take(&mut self.flipped)
    }
}
