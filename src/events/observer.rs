//! The [`Observer`]: what was last seen of every run and bead, turned into [`Event`]s when it
//! changes; time-driven changes (a run going stale, a bead waiting too long) come from
//! [`Observer::tick`] at the moment [`Observer::next_change`] names.

use super::{Event, Item, ItemKind};
use crate::persist::assignment::Assignment;
use crate::persist::run::{RunSummary, ToSummary};
use crate::present::attention::{self, Condition, KeyHash, Level, Succession, Thresholds};
use crate::present::naming;
use announced::{Forgotten, Keys};
use chrono::{DateTime, Utc};
use due::{Due, DueItem};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod acks;
mod agents;
mod announced;
mod assigned;
mod clock;
mod due;
mod flagged;
mod hosts;
mod made;
mod queries;

use made::{bead_event, condition_event};

pub use announced::FORGET_AFTER;
pub use assigned::last_assigned;
pub use hosts::HostBead;

/// What was seen of one item, and what the user said about it.
#[derive(Debug, Clone)]
struct Seen<T> {
    record: T,
    condition: Condition,
    /// The key of the situation the user acknowledged (it counts again once the key changes).
    acknowledged: Option<String>,
    /// The situations announced for it lately.
    announced: Keys,
}

impl<T> Seen<T> {
    /// True when it needs attention and this situation was not acknowledged.
    fn counts(&self) -> bool {
        self.condition.level == Level::Attention
            && self.acknowledged.as_deref() != Some(self.condition.key.as_str())
    }
}

/// How an item is named in its attention events.
struct Label {
    id: String,
    name: String,
    state: String,
    session: Option<String>,
    repo: Option<String>,
}

impl Label {
    fn run(r: &RunSummary) -> Label {
        Label {
            id: r.reference(),
            name: run_name(r),
            state: r.state().as_str().to_owned(),
            session: Some(r.tmux_session().to_owned()).filter(|s| !s.is_empty()),
            repo: Some(r.repo_path().to_owned()).filter(|s| !s.is_empty()),
        }
    }

    fn bead(session: &str, a: &Assignment) -> Label {
        Label {
            id: format!("{session}/{}", a.bead_id),
            name: a.bead_id.clone(),
            state: a.status.as_str().to_owned(),
            session: Some(session.to_owned()),
            repo: None,
        }
    }
}

/// Remembers what was seen and reports what changed.
#[derive(Debug, Clone, Default)]
pub struct Observer {
    limits: Thresholds,
    /// The runs, each summary shared with whoever showed it (the dashboard's list).
    /// (Boxed, as the beads: a map's spare room then costs a pointer a slot.)
    runs: HashMap<PathBuf, Box<Seen<Arc<RunSummary>>>>,
    /// Session → bead id → what was seen.
    beads: HashMap<String, HashMap<String, Box<Seen<Assignment>>>>,
    /// Other hosts' beads that need a look, as their hosts judged them (`observer/hosts.rs`).
    hosts: HashMap<Item, Box<Seen<hosts::HostBead>>>,
    /// What was announced for items no longer watched (settled or gone), kept a while.
    forgotten: Forgotten,
    /// When beads became assigned, beyond the store's `assigned_at` (retries).
    assigned: assigned::Assigned,
    /// What is known of each bead's agent (session → bead id → facts).
    agents: agents::Agents,
    /// When each watched run's and bead's condition next changes by itself, in time order:
    /// the clock's tick costs nothing until one is due, and then looks only at those due,
    /// however many sessions and beads are watched.
    due: Due,
    /// When the latest run of each bead and of each repo and prompt started: a failed run a
    /// later one took over needs nobody.
    succession: Succession,
    /// Acknowledgements read back from the last session, by item, for items not seen yet
    /// (each is taken when its item is seen in the very situation acknowledged, else dropped).
    restored: HashMap<Item, String>,
    /// The watched runs that need attention, by the succession keys they depend on: a start
    /// that moves a key, or a bead id named or dropped, judges again only the runs under it.
    flagged: flagged::Flagged,
    /// How many watched items count ([`Seen::counts`]), kept as conditions and
    /// acknowledgements change: the header asks on every frame, and walks nothing.
    counting: usize,
}

/// Moves `count` by one item going from counting (`was`) to counting (`now`) or not.
fn recount(count: &mut usize, was: bool, now: bool) {
    match (was, now) {
        (true, false) => *count = count.saturating_sub(1),
        (false, true) => *count += 1,
        _ => {}
    }
}

/// How a run is named in events and notices: its name, [`crate::present::naming::name`].
#[must_use]
pub fn run_name<R: naming::Named + ?Sized>(run: &R) -> String {
    naming::name(run)
}

impl Observer {
    /// An observer that has seen nothing yet.
    #[must_use]
    pub fn new(limits: Thresholds) -> Observer {
        Observer {
            limits,
            ..Observer::default()
        }
    }

    /// Takes everything seen so far as already announced: what needs attention at start is
    /// shown, but not announced as news.
    pub fn settle(&mut self) {
        // Only what needs a look can be announced: fine items are not remembered.
        let runs = self.runs.values_mut().map(|s| &mut **s);
        let beads = self
            .beads
            .values_mut()
            .flat_map(|b| b.values_mut().map(|s| &mut **s));
        let hosts = self.hosts.values_mut().map(|s| &mut **s);
        for (condition, announced) in runs
            .map(|s| (&s.condition, &mut s.announced))
            .chain(beads.map(|s| (&s.condition, &mut s.announced)))
            .chain(hosts.map(|s| (&s.condition, &mut s.announced)))
        {
            if condition.level != Level::Fine {
                announced.announce(&condition.key);
            }
        }
    }

    /// Looks at one run (`None`: its directory or manifest is gone), from a full record or a
    /// summary. A finished run that needs no look, and will not by itself, is not remembered:
    /// a year of history costs nothing here. Seeing one again (a rescan, a read) is no news;
    /// one that was remembered (it was running, or needed a look) finishing is.
    pub fn run<R: ToSummary>(
        &mut self,
        dir: &Path,
        record: Option<&R>,
        at: DateTime<Utc>,
    ) -> Vec<Event> {
        let item = Item::Run(dir.to_path_buf());
        let Some(record) = record else {
            let Some(gone) = self.runs.remove(dir) else {
                return Vec::new();
            };
            recount(&mut self.counting, gone.counts(), false);
            self.flagged.remove(dir);
            self.due.set(DueItem::Run(dir.to_path_buf()), None);
            let event = Event::Run {
                at,
                kind: ItemKind::Run,
                run: gone.record.reference(),
                name: run_name(&*gone.record),
                reference: gone.record.reference(),
                dir: dir.to_path_buf(),
                from: Some(gone.record.state().as_str().to_owned()),
                to: None,
            };
            self.forgotten.remember(item, gone.announced);
            return vec![event];
        };
        let record = record.to_shared();
        let moved = self.succession.note_moved(&record);
        let condition = self.judge_run(&record, at);
        let label = Label::run(&record);
        let to = record.state().as_str().to_owned();
        let changes_at = attention::run_changes_at(&record, at, &self.limits);
        let settled =
            record.is_complete() && condition.level != Level::Attention && changes_at.is_none();
        let before = self.runs.remove(dir);
        if let Some(b) = &before {
            recount(&mut self.counting, b.counts(), false);
            self.flagged.remove(dir);
            self.due.set(DueItem::Run(dir.to_path_buf()), None);
        }
        if settled && before.is_none() {
            // Not remembered, but its start may take over a failure all the same.
            return self.rejudge_runs(moved, at);
        }
        let (from, before_condition, acknowledged, mut announced) = match before {
            Some(b) => {
                let b = *b;
                let from = Some(b.record.state().as_str().to_owned());
                (from, Some(b.condition), b.acknowledged, b.announced)
            }
            None => {
                let acknowledged = if settled {
                    None
                } else {
                    self.take_restored(&item, &condition)
                };
                (None, None, acknowledged, self.forgotten.take(&item))
            }
        };
        let mut events = Vec::new();
        if from.as_deref() != Some(to.as_str()) {
            events.push(Event::Run {
                at,
                kind: ItemKind::Run,
                run: label.id.clone(),
                name: label.name.clone(),
                reference: label.id.clone(),
                dir: dir.to_path_buf(),
                from,
                to: Some(to),
            });
        }
        let before = before_condition.as_ref();
        events.extend(condition_event(
            &item,
            label,
            before,
            &condition,
            at,
            &mut announced,
        ));
        if settled {
            // Settled: forgotten, its announcements kept a while in case it comes back.
            self.forgotten.remember(item, announced);
        } else {
            self.due.set(DueItem::Run(dir.to_path_buf()), changes_at);
            let seen = Seen {
                record,
                condition,
                acknowledged,
                announced,
            };
            recount(&mut self.counting, false, seen.counts());
            self.flagged
                .set(&seen.record, seen.condition.level == Level::Attention);
            self.runs.insert(dir.to_path_buf(), Box::new(seen));
        }
        if !moved.is_empty() {
            events.extend(self.rejudge_runs(moved, at));
        }
        events
    }

    /// Whether `word` is the id of a bead some store has a record of.
    fn is_bead(&self, word: &str) -> bool {
        self.beads.values().any(|b| b.contains_key(word))
    }

    /// A run's condition at `at`, a later run taking over a failure counted in.
    fn judge_run(&self, run: &RunSummary, at: DateTime<Utc>) -> Condition {
        let superseded = self.succession.superseded(run, |w| self.is_bead(w));
        attention::run_condition(run, at, &self.limits, superseded)
    }

    /// Judges again the remembered runs that need attention and depend on one of `keys` (a
    /// later run moved their latest start, or a store named or dropped their bead ids: a
    /// failure may have been taken over). The others cannot have changed: only the flagged
    /// runs under those keys are looked at, however many runs are watched.
    fn rejudge_runs(
        &mut self,
        keys: impl IntoIterator<Item = KeyHash>,
        at: DateTime<Utc>,
    ) -> Vec<Event> {
        let flagged: Vec<Arc<RunSummary>> = self
            .flagged
            .under(keys)
            .iter()
            .filter_map(|dir| self.runs.get(dir))
            .filter(|s| s.condition.level == Level::Attention)
            .map(|s| Arc::clone(&s.record))
            .collect();
        let mut events = Vec::new();
        for r in flagged {
            let condition = self.judge_run(&r, at);
            let Some(seen) = self.runs.get_mut(&r.dir) else {
                continue;
            };
            if seen.condition == condition {
                continue;
            }
            events.extend(self.set_run_condition(&r, &condition, at));
        }
        events
    }

    /// Gives a watched run its condition as judged again at `at`: the attention count, the
    /// flagged runs and its announcements follow, and what changed is told (nothing for a run
    /// not watched).
    fn set_run_condition(
        &mut self,
        r: &RunSummary,
        condition: &Condition,
        at: DateTime<Utc>,
    ) -> Option<Event> {
        let seen = self.runs.get_mut(&r.dir)?;
        let was = seen.counts();
        let before = std::mem::replace(&mut seen.condition, condition.clone());
        recount(&mut self.counting, was, seen.counts());
        self.flagged
            .set(r, seen.condition.level == Level::Attention);
        condition_event(
            &Item::Run(r.dir.clone()),
            Label::run(r),
            Some(&before),
            condition,
            at,
            &mut seen.announced,
        )
    }

    /// Looks at one run as found by the first scan: what needs attention is shown but not
    /// announced (it was there before anyone was watching).
    pub fn run_quietly<R: ToSummary>(&mut self, dir: &Path, record: &R, at: DateTime<Utc>) {
        self.run(dir, Some(record), at);
        if let Some(seen) = self.runs.get_mut(dir)
            && seen.condition.level != Level::Fine
        {
            // Only what needs a look can be announced; a fine run is not remembered here.
            seen.announced.announce(&seen.condition.key);
        }
    }

    /// Looks at every run at once (a rescan): new, changed and vanished runs.
    pub fn runs<R: ToSummary>(&mut self, records: &[R], at: DateTime<Utc>) -> Vec<Event> {
        let present: HashSet<&Path> = records.iter().map(ToSummary::run_dir).collect();
        let gone: Vec<PathBuf> = self
            .runs
            .keys()
            .filter(|d| !present.contains(d.as_path()))
            .cloned()
            .collect();
        let mut events = Vec::new();
        for dir in gone {
            events.extend(self.run::<RunSummary>(&dir, None, at));
        }
        for r in records {
            events.extend(self.run(r.run_dir(), Some(r), at));
        }
        events
    }

    /// Looks at a session's store (`records` empty when the store is gone or emptied).
    pub fn store(
        &mut self,
        session: &str,
        records: &[&Assignment],
        at: DateTime<Utc>,
    ) -> Vec<Event> {
        let mut events = Vec::new();
        let present: HashSet<&str> = records.iter().map(|a| a.bead_id.as_str()).collect();
        let seen = self.beads.entry(session.to_owned()).or_default();
        let gone: Vec<String> = seen
            .keys()
            .filter(|b| !present.contains(b.as_str()))
            .cloned()
            .collect();
        // The bead ids named or dropped: runs whose words they are may be taken over, or not.
        let mut named: Vec<KeyHash> = Vec::new();
        for bead in gone {
            if let Some(b) = seen.remove(&bead) {
                recount(&mut self.counting, b.counts(), false);
                self.due.set(DueItem::bead(session, &bead), None);
                named.push(Succession::word_key(&bead));
                self.assigned.forget(session, &bead, !records.is_empty());
                events.push(bead_event(session, &b.record, Some(&b.record), None, at));
                let item = Item::Bead {
                    session: session.to_owned(),
                    bead,
                };
                self.forgotten.remember(item, b.announced);
            }
        }
        let mut changed = Vec::new();
        let restored = &mut self.restored;
        for a in records {
            if seen.get(&a.bead_id).is_some_and(|b| b.record == **a) {
                continue;
            }
            let before = seen.remove(&a.bead_id).map(|b| *b);
            match &before {
                Some(b) => recount(&mut self.counting, b.counts(), false),
                None => named.push(Succession::word_key(&a.bead_id)),
            }
            self.assigned
                .observe(session, before.as_ref().map(|b| &b.record), a, at);
            let facts = self.agents.get(session, &a.bead_id);
            let (condition, changes_at) =
                agents::judge(&self.limits, &self.assigned, facts, session, a, at);
            let (before, acknowledged, announced) = match before {
                Some(b) => (Some((b.record, b.condition)), b.acknowledged, b.announced),
                None => {
                    let item = Item::Bead {
                        session: session.to_owned(),
                        bead: a.bead_id.clone(),
                    };
                    let acknowledged = acks::take(restored, &item, &condition);
                    (None, acknowledged, self.forgotten.take(&item))
                }
            };
            let fresh = Seen {
                record: (*a).clone(),
                condition: condition.clone(),
                acknowledged,
                announced,
            };
            self.due.set(DueItem::bead(session, &a.bead_id), changes_at);
            recount(&mut self.counting, false, fresh.counts());
            seen.insert(a.bead_id.clone(), Box::new(fresh));
            let (before_record, before_condition) = before.unzip();
            if before_record.as_ref().map(|b| &b.status) != Some(&a.status) {
                events.push(bead_event(session, a, before_record.as_ref(), Some(a), at));
            }
            changed.push((*a, before_condition, condition));
        }
        if seen.is_empty() {
            self.beads.remove(session);
        }
        for (a, before, condition) in changed {
            events.extend(self.bead_condition_event(session, a, before.as_ref(), &condition, at));
        }
        // New bead ids may tie a failed run to a later run of the same bead.
        events.extend(self.rejudge_runs(named, at));
        events
    }

    /// The attention event of a watched bead whose condition went from `before` to `current`.
    fn bead_condition_event(
        &mut self,
        session: &str,
        a: &Assignment,
        before: Option<&Condition>,
        current: &Condition,
        at: DateTime<Utc>,
    ) -> Option<Event> {
        let seen = self.beads.get_mut(session)?.get_mut(&a.bead_id)?;
        let item = Item::Bead {
            session: session.to_owned(),
            bead: a.bead_id.clone(),
        };
        let label = Label::bead(session, a);
        condition_event(&item, label, before, current, at, &mut seen.announced)
    }
}

#[cfg(test)]
mod tests;
