//! The Runs pane's list: every run's summary in the chosen order (by default unfinished
//! first, then finished, each newest start first: rows hold still while runs write), which
//! of them the filter and the active-only toggle let through, and the widest name among
//! those. Built for a year of history, kept in step one run at a time: a run is found by its
//! directory in a map; the rows are in an ordered tree with positions ([`ranked`]), by the
//! chosen [`RunOrder`], each marked shown (it passes the filter and the active-only toggle) or
//! unfinished, so a run that changes or moves, the row at a position and a run's row each cost
//! O(log n), however many runs it passes or are unfinished. Only whole-list operations (a page
//! of the first scan, a rescan, a new filter, another order) go through every run.

use crate::persist::run::{Activity, Peek, RunOrder, RunSummary};
use crate::present::{naming, text};
use chrono::{DateTime, Utc};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod counts;
mod follow;
mod key;
mod ranked;
mod restless;

use key::DirKey;
use ranked::{Among, Ranked};

pub use counts::StateCounts;

/// One listed run.
#[derive(Debug)]
struct Entry {
    /// Shared with the observer, which judges attention from the same summary.
    run: Arc<RunSummary>,
    /// It passes the filter.
    passes: bool,
    /// Its name's width, in columns.
    name_width: usize,
}

/// The runs and what is shown of them.
#[derive(Debug, Default)]
pub struct RunList {
    /// Each run by its directory (the key shares the run: no path is copied).
    entries: HashMap<DirKey, Entry>,
    /// Every run, in display order, marked [`SHOWN`] and [`UNFINISHED`].
    rows: Ranked<Arc<RunSummary>, 2>,
    /// Name width → how many shown runs have it.
    widths: BTreeMap<usize, usize>,
    /// The agent sessions' directories (keys); only asked whether one is there, so hashed
    /// (a session read changes it: kept in order, it cost comparisons of paths that grew with
    /// the sessions listed).
    sessions: HashSet<DirKey>,
    /// The agent sessions whose state may change with no change to their file (see
    /// [`restless`]): the clock or a process can still change them. Finished sessions with no
    /// known process leave it, so it holds the few recent ones, never the history.
    restless: BTreeSet<DirKey>,
    /// The restless sessions whose state the clock changes, by when it does, the soonest
    /// first: the next change and the ones due are found without looking at the others.
    due: BTreeSet<(DateTime<Utc>, PathBuf)>,
    /// How many restless sessions have a live process (asked after while any has).
    alive: usize,
    /// How many finished runs are in each state.
    finished: StateCounts,
    /// How many unfinished runs are in each state (a session's as last decided).
    unfinished_counts: StateCounts,
    /// The unfinished runs by their last sign of life, the quietest first (none: first of
    /// all), so the stale ones are found without looking at every active run.
    quiet: BTreeSet<(Option<DateTime<Utc>>, PathBuf)>,
    filter: String,
    active_only: bool,
    order: RunOrder,
    /// The newest run naming the bead of the card open, kept as runs change ([`follow`]).
    follow: Option<follow::Follow>,
}

/// Whether `run` is an agent session whose state the clock can still change, or whose
/// process is known (it is asked after).
fn restless(run: &RunSummary) -> bool {
    run.session()
        .is_some_and(|s| s.alive.is_some() || s.changes_at().is_some())
}

/// `order`, made total by the directory.
fn rank(order: RunOrder, a: &RunSummary, b: &RunSummary) -> Ordering {
    order.compare(a, b).then_with(|| a.dir.cmp(&b.dir))
}

/// The rows' order: `order` on the runs the rows share.
fn by(order: RunOrder) -> impl Fn(&Arc<RunSummary>, &Arc<RunSummary>) -> Ordering {
    move |a, b| rank(order, a, b)
}

/// The mark of the rows shown.
const SHOWN: usize = 0;
/// The mark of the unfinished runs' rows.
const UNFINISHED: usize = 1;

/// An entry's marks: shown when it passes the filter and is not hidden by `active_only`.
fn marks(e: &Entry, active_only: bool) -> u8 {
    let complete = e.run.is_complete();
    let shown = e.passes && !(active_only && complete);
    (u8::from(shown) << SHOWN) | (u8::from(!complete) << UNFINISHED)
}

impl RunList {
    fn entry(&self, run: Arc<RunSummary>) -> Entry {
        Entry {
            passes: naming::filter(&run, &self.filter).is_some(),
            name_width: text::width(&naming::name(&run)),
            run,
        }
    }

    fn is_shown(&self, e: &Entry) -> bool {
        marks(e, self.active_only) & (1 << SHOWN) != 0
    }

    /// Every run, in display order.
    pub fn all(&self) -> impl ExactSizeIterator<Item = &RunSummary> + Clone {
        self.rows.iter(Among::All).targets()
    }

    /// The runs that have not finished, in display order.
    pub fn active(&self) -> impl Iterator<Item = &RunSummary> {
        self.rows.iter(Among::Marked(UNFINISHED)).targets()
    }

    /// How many finished runs are in each state.
    pub fn finished(&self) -> &StateCounts {
        &self.finished
    }

    /// How many unfinished runs are in each state.
    pub fn unfinished_counts(&self) -> &StateCounts {
        &self.unfinished_counts
    }

    /// How many runs are listed.
    pub fn len(&self) -> usize {
        self.rows.len(Among::All)
    }

    /// The run in `dir`.
    pub fn get(&self, dir: &Path) -> Option<&Arc<RunSummary>> {
        self.entries.get(dir).map(|e| &e.run)
    }

    /// Every run, shared, in display order.
    pub fn all_shared(&self) -> impl ExactSizeIterator<Item = &Arc<RunSummary>> {
        self.rows.iter(Among::All)
    }

    /// The filter.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Sets the filter and judges every run by it.
    pub fn set_filter(&mut self, filter: String) {
        if filter == self.filter {
            return;
        }
        self.filter = filter;
        for e in self.entries.values_mut() {
            e.passes = naming::filter(&e.run, &self.filter).is_some();
        }
        self.refresh();
    }

    /// Only unfinished runs are shown.
    pub fn active_only(&self) -> bool {
        self.active_only
    }

    /// Shows only unfinished runs, or all.
    pub fn set_active_only(&mut self, on: bool) {
        self.active_only = on;
        self.refresh();
    }

    /// Adds runs (a page of the first scan); a run already listed (read again since the scan
    /// looked) keeps its newer copy. Returns the runs added.
    pub fn append(&mut self, runs: Vec<Arc<RunSummary>>) -> Vec<Arc<RunSummary>> {
        let mut added = Vec::with_capacity(runs.len());
        for run in runs {
            if !self.entries.contains_key(run.dir.as_path()) {
                added.push(Arc::clone(&run));
                let entry = self.entry(run);
                self.insert(entry);
            }
        }
        self.rebuild();
        added
    }

    /// Replaces the agentpair runs with a rescan's, keeping the last good copy of each listed
    /// run that `unreadable` says could not be read this time (agent sessions stay: they are
    /// listed by the agents worker; so do other hosts' runs: they come from their hosts).
    pub fn replace(&mut self, runs: Vec<Arc<RunSummary>>, unreadable: impl Fn(&Path) -> bool) {
        self.entries
            .retain(|_, e| e.run.manifest().is_none() || unreadable(&e.run.dir));
        for run in runs {
            let entry = self.entry(run);
            self.insert(entry);
        }
        self.rebuild();
    }

    /// Adds or replaces one run.
    pub fn upsert(&mut self, run: RunSummary) {
        self.upsert_shared(Arc::new(run));
    }

    /// Adds or replaces one run, shared.
    pub fn upsert_shared(&mut self, run: Arc<RunSummary>) {
        self.take(&run.dir);
        let entry = self.entry(run);
        self.put(entry);
    }

    /// Replaces every agent session listed with `runs` (agentpair runs stay); returns the
    /// sessions that were not listed before.
    pub fn replace_sessions(&mut self, runs: Vec<Arc<RunSummary>>) -> Vec<Arc<RunSummary>> {
        let known = std::mem::take(&mut self.sessions);
        self.entries.retain(|_, e| e.run.session().is_none());
        let added = runs
            .iter()
            .filter(|r| !known.contains(r.dir.as_path()))
            .cloned()
            .collect();
        drop(known);
        for run in runs {
            let entry = self.entry(run);
            self.insert(entry);
        }
        self.rebuild();
        added
    }

    /// Changes the listed runs among `dirs` that `which` picks (each copied away from the
    /// summary it shares with the observer); asks only those. Returns how many changed.
    pub fn update_among(
        &mut self,
        dirs: impl IntoIterator<Item = PathBuf>,
        which: impl Fn(&RunSummary) -> bool,
        change: impl FnMut(&mut RunSummary),
    ) -> usize {
        let picked: Vec<PathBuf> = dirs
            .into_iter()
            .filter(|d| self.entries.get(d.as_path()).is_some_and(|e| which(&e.run)))
            .collect();
        self.change(picked, change)
    }

    /// Changes the runs in `picked`, each taken out and put back in its place.
    fn change(&mut self, picked: Vec<PathBuf>, mut change: impl FnMut(&mut RunSummary)) -> usize {
        for dir in &picked {
            if let Some(old) = self.take(dir) {
                let mut copy = (*old.run).clone();
                change(&mut copy);
                let entry = self.entry(Arc::new(copy));
                self.put(entry);
            }
        }
        picked.len()
    }

    /// Removes one run.
    pub fn remove(&mut self, dir: &Path) {
        self.take(dir);
        self.follow_removed();
    }

    /// Takes one run's new file activity, and its peek while it is unfinished. Only the
    /// activity order moves the row for it (the run is taken out and put back where its
    /// order's key now says).
    pub fn touch(&mut self, dir: &Path, activity: Activity, peek: Option<Peek>) {
        if let Some(mut entry) = self.take(dir) {
            let run = Arc::make_mut(&mut entry.run);
            run.activity = Some(activity);
            if !run.is_complete() {
                run.peek = peek.map(Box::new);
            }
            self.put(entry);
        }
    }

    /// Takes a run out of the list (and out of every index).
    fn take(&mut self, dir: &Path) -> Option<Entry> {
        let entry = self.entries.remove(dir)?;
        self.follow_taken(&entry.run);
        self.rows.remove(&entry.run, &by(self.order));
        if !entry.run.is_complete() {
            self.unfinished_counts.count(&entry.run, false);
            self.quiet
                .remove(&(entry.run.last_activity(), entry.run.dir.clone()));
        }
        if self.is_shown(&entry) {
            self.count_width(entry.name_width, false);
        }
        if let Some(s) = entry.run.session() {
            self.sessions.remove(dir);
            if self.restless.remove(dir) {
                self.alive -= usize::from(s.alive == Some(true));
            }
            if let Some(t) = s.changes_at() {
                self.due.remove(&(t, dir.to_path_buf()));
            }
        }
        if entry.run.is_complete() {
            self.finished.count(&entry.run, false);
        }
        Some(entry)
    }

    /// Puts a run in its place in the list (and in every index).
    fn put(&mut self, entry: Entry) {
        let marks = marks(&entry, self.active_only);
        self.rows
            .insert(Arc::clone(&entry.run), marks, &by(self.order));
        if !entry.run.is_complete() {
            self.unfinished_counts.count(&entry.run, true);
            self.quiet
                .insert((entry.run.last_activity(), entry.run.dir.clone()));
        }
        if self.is_shown(&entry) {
            self.count_width(entry.name_width, true);
        }
        if entry.run.session().is_some() {
            self.sessions.replace(DirKey::of(&entry.run));
        }
        if restless(&entry.run) && self.restless.replace(DirKey::of(&entry.run)).is_none() {
            let s = entry.run.session();
            self.alive += usize::from(s.is_some_and(|s| s.alive == Some(true)));
            if let Some(t) = s.and_then(|s| s.changes_at()) {
                self.due.insert((t, entry.run.dir.clone()));
            }
        }
        if entry.run.is_complete() {
            self.finished.count(&entry.run, true);
        }
        let run = Arc::clone(&entry.run);
        self.insert(entry);
        self.follow_put(&run);
    }

    /// Puts `entry` in the map under a key that shares its run (an entry there before is
    /// dropped with its key: a map keeps its old key on insert, which would keep the old run).
    fn insert(&mut self, entry: Entry) {
        self.entries.remove(entry.run.dir.as_path());
        self.entries.insert(DirKey::of(&entry.run), entry);
    }

    fn count_width(&mut self, width: usize, add: bool) {
        let n = self.widths.entry(width).or_default();
        if add {
            *n += 1;
        } else {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.widths.remove(&width);
            }
        }
    }

    /// What the runs are listed by.
    pub fn order(&self) -> RunOrder {
        self.order
    }

    /// Lists the runs by `order`.
    pub fn set_order(&mut self, order: RunOrder) {
        if order != self.order {
            self.order = order;
            self.rebuild();
        }
    }

    /// Builds the order and every index again from the entries.
    fn rebuild(&mut self) {
        let order = self.order;
        let mut rows: Vec<(Arc<RunSummary>, u8)> = self
            .entries
            .values()
            .map(|e| (Arc::clone(&e.run), marks(e, self.active_only)))
            .collect();
        rows.sort_by(|(a, _), (b, _)| rank(order, a, b));
        self.rows.build(rows);
        self.sessions = self
            .entries
            .iter()
            .filter(|(_, e)| e.run.session().is_some())
            .map(|(dir, _)| dir.clone())
            .collect();
        self.restless = BTreeSet::new();
        self.due = BTreeSet::new();
        self.alive = 0;
        for e in self.entries.values().filter(|e| restless(&e.run)) {
            self.restless.insert(DirKey::of(&e.run));
            let s = e.run.session();
            self.alive += usize::from(s.is_some_and(|s| s.alive == Some(true)));
            if let Some(t) = s.and_then(|s| s.changes_at()) {
                self.due.insert((t, e.run.dir.clone()));
            }
        }
        self.finished = StateCounts::default();
        self.unfinished_counts = StateCounts::default();
        self.quiet = BTreeSet::new();
        for r in self.rows.iter(Among::All) {
            if r.is_complete() {
                self.finished.count(r, true);
            } else {
                self.unfinished_counts.count(r, true);
                self.quiet.insert((r.last_activity(), r.dir.clone()));
            }
        }
        self.refresh();
        self.follow_walk();
    }

    /// Works out again which runs are shown, and the widest name among them.
    fn refresh(&mut self) {
        let mut widths = BTreeMap::new();
        let (entries, active_only) = (&self.entries, self.active_only);
        self.rows.remark(|run| {
            let Some(e) = entries.get(run.dir.as_path()) else {
                return 0;
            };
            let marks = marks(e, active_only);
            if marks & (1 << SHOWN) != 0 {
                *widths.entry(e.name_width).or_default() += 1;
            }
            marks
        });
        self.widths = widths;
    }

    /// How many runs are shown.
    pub fn shown_len(&self) -> usize {
        self.rows.len(Among::Marked(SHOWN))
    }

    /// The runs shown, in order; skipping ahead (to the first row drawn) takes O(log n).
    pub fn shown(&self) -> impl ExactSizeIterator<Item = &RunSummary> + Clone {
        self.rows.iter(Among::Marked(SHOWN)).targets()
    }

    /// The shown run at `index`.
    pub fn shown_at(&self, index: usize) -> Option<&RunSummary> {
        self.rows.at(Among::Marked(SHOWN), index).map(|r| &**r)
    }

    /// Where the run in `dir` is among the shown runs.
    pub fn shown_position(&self, dir: &Path) -> Option<usize> {
        let e = self.entries.get(dir)?;
        self.rows
            .position(&e.run, Among::Marked(SHOWN), &by(self.order))
    }

    /// The widest name among the shown runs, in columns.
    pub fn longest_name(&self) -> usize {
        self.widths.last_key_value().map_or(0, |(w, _)| *w)
    }
}

#[cfg(test)]
mod tests;
