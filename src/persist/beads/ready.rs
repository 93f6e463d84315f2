//! Which beads are ready to hand to an agent, and why the others are not: an index over the
//! beads (O(1) lookups by id, children by parent, and the set blocked through dependencies,
//! computed once) and the ready rule described in [`super`].

use super::model::Bead;
use super::reason::{Blocker, NotReady};
use chrono::{DateTime, FixedOffset};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet, VecDeque};

/// Everything about a set of beads that deciding readiness needs, built once in O(beads +
/// dependencies). When ids repeat, the last bead with an id is the one indexed.
#[derive(Debug, Clone, Default)]
pub struct BeadIndex<'a> {
    beads: Vec<&'a Bead>,
    by_id: HashMap<&'a str, &'a Bead>,
    children: HashMap<&'a str, Vec<&'a Bead>>,
    /// Blocked through a blocking dependency, directly or by way of a blocked parent.
    dep_blocked: HashSet<&'a str>,
}

impl<'a> BeadIndex<'a> {
    /// Indexes the beads.
    #[must_use]
    pub fn new(all: &'a [Bead]) -> Self {
        let mut by_id: HashMap<&'a str, &'a Bead> = HashMap::with_capacity(all.len());
        for bead in all {
            by_id.insert(bead.id.as_str(), bead);
        }
        let beads: Vec<&'a Bead> = all
            .iter()
            .filter(|b| {
                by_id
                    .get(b.id.as_str())
                    .is_some_and(|c| std::ptr::eq(*c, *b))
            })
            .collect();
        let mut children: HashMap<&'a str, Vec<&'a Bead>> = HashMap::new();
        for &bead in &beads {
            let mut parents: Vec<&'a str> = bead.parents().collect();
            parents.sort_unstable();
            parents.dedup();
            for parent in parents {
                children.entry(parent).or_default().push(bead);
            }
        }
        let unfinished = |id: &str| by_id.get(id).is_none_or(|t| !t.is_terminal());
        let mut dep_blocked: HashSet<&'a str> = HashSet::new();
        let mut queue: VecDeque<&'a str> = VecDeque::new();
        for &bead in &beads {
            let direct = bead
                .dependencies
                .iter()
                .any(|d| d.is_blocking() && unfinished(&d.depends_on_id));
            if direct && dep_blocked.insert(bead.id.as_str()) {
                queue.push_back(bead.id.as_str());
            }
        }
        while let Some(parent) = queue.pop_front() {
            for child in children.get(parent).into_iter().flatten() {
                if dep_blocked.insert(child.id.as_str()) {
                    queue.push_back(child.id.as_str());
                }
            }
        }
        BeadIndex {
            beads,
            by_id,
            children,
            dep_blocked,
        }
    }

    /// The bead with this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&'a Bead> {
        self.by_id.get(id).copied()
    }

    /// The indexed beads (one per id), in slice order.
    #[must_use]
    pub fn beads(&self) -> &[&'a Bead] {
        &self.beads
    }

    /// How many distinct ids are indexed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.beads.len()
    }

    /// True when there are no beads.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.beads.is_empty()
    }

    /// The beads with a `parent-child` dependency on `id`, in slice order.
    #[must_use]
    pub fn children(&self, id: &str) -> &[&'a Bead] {
        self.children.get(id).map_or(&[], Vec::as_slice)
    }

    /// The ready beads, best first (see [`ready_order`]).
    #[must_use]
    pub fn ready(&self, taken: &dyn Fn(&str) -> bool, now: DateTime<FixedOffset>) -> Vec<&'a Bead> {
        let mut out: Vec<&'a Bead> = self
            .beads
            .iter()
            .copied()
            .filter(|b| b.is_ready(self, taken, now))
            .collect();
        out.sort_by(|a, b| ready_order(a, b));
        out
    }

    fn unfinished(&self, id: &str) -> Option<Option<&'a str>> {
        match self.by_id.get(id) {
            None => Some(None),
            Some(t) if !t.is_terminal() => Some(Some(t.status.as_str())),
            Some(_) => None,
        }
    }
}

impl Bead {
    /// Every reason this bead is blocked (empty when it is not), in dependency order, then
    /// open children in file order.
    #[must_use]
    pub fn blocked_by<'a>(&'a self, index: &BeadIndex<'a>) -> Vec<Blocker<'a>> {
        let mut out: Vec<Blocker<'a>> = Vec::new();
        for dep in &self.dependencies {
            let id = dep.depends_on_id.as_str();
            let reason = if dep.is_blocking() {
                index.unfinished(id).map(|status| Blocker::Dependency {
                    id,
                    kind: &dep.kind,
                    status,
                })
            } else if dep.is_parent() && id != self.id && index.dep_blocked.contains(id) {
                Some(Blocker::Parent { id })
            } else {
                None
            };
            // A bead lists few dependencies, so this check stays cheap; children are distinct.
            if let Some(reason) = reason.filter(|r| !out.contains(r)) {
                out.push(reason);
            }
        }
        out.extend(
            index
                .children(&self.id)
                .iter()
                .filter(|c| !c.is_terminal())
                .map(|c| Blocker::OpenChild {
                    id: &c.id,
                    status: &c.status,
                }),
        );
        out
    }

    /// True when [`Bead::blocked_by`] would name anything (without building the list).
    #[must_use]
    pub fn is_blocked(&self, index: &BeadIndex<'_>) -> bool {
        self.dependencies.iter().any(|d| {
            let id = d.depends_on_id.as_str();
            (d.is_blocking() && index.unfinished(id).is_some())
                || (d.is_parent() && id != self.id && index.dep_blocked.contains(id))
        }) || index.children(&self.id).iter().any(|c| !c.is_terminal())
    }

    /// `None` when the bead is ready at `now`, otherwise the first reason it is not; `taken`
    /// says whether a bead id already has an assignment record.
    #[must_use]
    pub fn why_not_ready<'a>(
        &'a self,
        index: &BeadIndex<'a>,
        taken: &dyn Fn(&str) -> bool,
        now: DateTime<FixedOffset>,
    ) -> Option<NotReady<'a>> {
        if let Some(held) = self.held(now) {
            return Some(held);
        }
        if self.is_blocked(index) {
            return Some(NotReady::Blocked(self.blocked_by(index)));
        }
        taken(&self.id).then_some(NotReady::Taken)
    }

    /// True when [`Bead::why_not_ready`] is `None`, without building any reason.
    #[must_use]
    pub fn is_ready(
        &self,
        index: &BeadIndex<'_>,
        taken: &dyn Fn(&str) -> bool,
        now: DateTime<FixedOffset>,
    ) -> bool {
        self.held(now).is_none() && !self.is_blocked(index) && !taken(&self.id)
    }

    /// True when the bead is ready at some moment while no store has a record of it: open,
    /// shown and unblocked. Whether it is ready then depends only on [`Bead::deferred_at`]
    /// and on `taken` (what the dashboard keeps up to date per store change).
    #[must_use]
    pub fn may_be_ready(&self, index: &BeadIndex<'_>) -> bool {
        self.held_whenever().is_none() && !self.is_blocked(index)
    }

    /// True when the bead's `defer_until` is still to come at `now` (it is not ready yet).
    #[must_use]
    pub fn deferred_at(&self, now: DateTime<FixedOffset>) -> bool {
        self.defer_until.is_some_and(|t| t > now)
    }

    /// The reasons that need nothing but the bead itself: status, hidden kinds, deferral.
    fn held(&self, now: DateTime<FixedOffset>) -> Option<NotReady<'_>> {
        self.held_whenever().or_else(|| {
            self.defer_until
                .filter(|t| *t > now)
                .map(NotReady::Deferred)
        })
    }

    /// The reasons that need nothing but the bead itself and hold at any time: status and
    /// hidden kinds.
    fn held_whenever(&self) -> Option<NotReady<'_>> {
        if !self.is_open() {
            return Some(NotReady::Status(&self.status));
        }
        let hidden = [
            (self.pinned, "pinned"),
            (self.ephemeral, "ephemeral"),
            (self.is_template, "a template"),
            (self.id.contains("-wisp-"), "a wisp"),
        ];
        hidden
            .iter()
            .find(|(yes, _)| *yes)
            .map(|(_, what)| NotReady::Hidden(what))
    }

    /// Its place in the ready order, as a key that sorts as [`ready_order`] compares.
    #[must_use]
    pub fn ready_key(&self) -> ReadyKey {
        ReadyKey {
            priority: self.priority,
            undated: self.created_at.is_none(),
            created_at: self.created_at,
            id: self.id.clone(),
        }
    }
}

/// A bead's place in the ready order (priority, then oldest `created_at`, unknown last, then
/// id), as a key a sorted map can hold: keys sort exactly as [`ready_order`] compares their
/// beads (times compare as instants, whatever their offsets).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReadyKey {
    priority: i64,
    undated: bool,
    created_at: Option<DateTime<FixedOffset>>,
    id: String,
}

impl ReadyKey {
    /// The bead's id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The order of ready work: priority (0 first), then `created_at` (oldest first, unknown last),
/// then id.
#[must_use]
pub fn ready_order(a: &Bead, b: &Bead) -> Ordering {
    let age = match (&a.created_at, &b.created_at) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    a.priority
        .cmp(&b.priority)
        .then(age)
        .then_with(|| a.id.cmp(&b.id))
}

/// The beads ready to hand to an agent now, best first; `taken(id)` is true for a bead that
/// already has an assignment record.
#[must_use]
pub fn ready<'a>(beads: &'a [Bead], taken: &dyn Fn(&str) -> bool) -> Vec<&'a Bead> {
    ready_at(beads, taken, crate::clock::now().fixed_offset())
}

/// [`ready`] at a given time (which decides only whether a `defer_until` has passed).
#[must_use]
pub fn ready_at<'a>(
    beads: &'a [Bead],
    taken: &dyn Fn(&str) -> bool,
    now: DateTime<FixedOffset>,
) -> Vec<&'a Bead> {
    BeadIndex::new(beads).ready(taken, now)
}
