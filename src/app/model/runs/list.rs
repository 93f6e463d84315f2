//! The Runs pane's list: every run's summary in the chosen order (by default unfinished
//! first, then finished, each newest start first: rows hold still while runs write), which
//! of them the filter and the active-only toggle let through, and the widest name among
//! those. Built for a year of history, kept in step one run at a time: a run is found by its
//! directory in a map; the order is a sorted vector searched by the chosen [`RunOrder`], kept
//! upside down (the first row last), because in the default order the runs that change (the
//! active ones) and the runs that arrive (new ones) are at the top, so moving one shifts only
//! the few runs above it, never the history below. Only whole-list operations (a page of the
//! first scan, a rescan, a new filter, another order) go through every run.

use crate::persist::run::{Activity, Peek, RunOrder, RunSummary};
use crate::present::{naming, text};
use chrono::{DateTime, Utc};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod counts;
mod follow;
mod key;
mod restless;

use key::DirKey;

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
    /// Every run, last row first (see the module's doc).
    runs: Vec<Arc<RunSummary>>,
    /// The runs shown, last row first.
    shown: Vec<Arc<RunSummary>>,
    /// The unfinished runs, last row first.
    unfinished: Vec<Arc<RunSummary>>,
    /// Name width → how many shown runs have it.
    widths: BTreeMap<usize, usize>,
    /// The agent sessions' directories (keys).
    sessions: BTreeSet<DirKey>,
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

/// Where `run` is (`Ok`) or goes (`Err`) in a vector kept last row first by `order`.
fn place(order: RunOrder, runs: &[Arc<RunSummary>], run: &RunSummary) -> Result<usize, usize> {
    runs.binary_search_by(|probe| rank(order, run, probe))
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
        e.passes && !(self.active_only && e.run.is_complete())
    }

    /// Every run, in display order.
    pub fn all(&self) -> impl ExactSizeIterator<Item = &RunSummary> + Clone {
        self.runs.iter().rev().map(|r| &**r)
    }

    /// The runs that have not finished, in display order.
    pub fn active(&self) -> impl Iterator<Item = &RunSummary> {
        self.unfinished.iter().rev().map(|r| &**r)
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
        self.runs.len()
    }

    /// The run in `dir`.
    pub fn get(&self, dir: &Path) -> Option<&Arc<RunSummary>> {
        self.entries.get(dir).map(|e| &e.run)
    }

    /// Every run, shared, in display order.
    pub fn all_shared(&self) -> impl ExactSizeIterator<Item = &Arc<RunSummary>> {
        self.runs.iter().rev()
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
        let order = self.order;
        if let Ok(i) = place(order, &self.runs, &entry.run) {
            self.runs.remove(i);
        }
        if !entry.run.is_complete() {
            if let Ok(i) = place(order, &self.unfinished, &entry.run) {
                self.unfinished.remove(i);
            }
            self.unfinished_counts.count(&entry.run, false);
            self.quiet
                .remove(&(entry.run.last_activity(), entry.run.dir.clone()));
        }
        if self.is_shown(&entry) {
            if let Ok(i) = place(order, &self.shown, &entry.run) {
                self.shown.remove(i);
            }
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
        let order = self.order;
        if let Err(i) = place(order, &self.runs, &entry.run) {
            self.runs.insert(i, Arc::clone(&entry.run));
        }
        if !entry.run.is_complete() {
            if let Err(i) = place(order, &self.unfinished, &entry.run) {
                self.unfinished.insert(i, Arc::clone(&entry.run));
            }
            self.unfinished_counts.count(&entry.run, true);
            self.quiet
                .insert((entry.run.last_activity(), entry.run.dir.clone()));
        }
        if self.is_shown(&entry) {
            if let Err(i) = place(order, &self.shown, &entry.run) {
                self.shown.insert(i, Arc::clone(&entry.run));
            }
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
        self.runs = self.entries.values().map(|e| Arc::clone(&e.run)).collect();
        self.runs.sort_by(|a, b| rank(order, b, a));
        self.unfinished = self
            .runs
            .iter()
            .filter(|r| !r.is_complete())
            .cloned()
            .collect();
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
        for r in &self.runs {
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
        let mut shown = Vec::new();
        let mut widths = BTreeMap::new();
        for run in &self.runs {
            if let Some(e) = self.entries.get(run.dir.as_path())
                && self.is_shown(e)
            {
                shown.push(Arc::clone(run));
                *widths.entry(e.name_width).or_default() += 1;
            }
        }
        self.shown = shown;
        self.widths = widths;
    }

    /// How many runs are shown.
    pub fn shown_len(&self) -> usize {
        self.shown.len()
    }

    /// The runs shown, in order.
    pub fn shown(&self) -> impl ExactSizeIterator<Item = &RunSummary> + Clone {
        self.shown.iter().rev().map(|r| &**r)
    }

    /// The shown run at `index`.
    pub fn shown_at(&self, index: usize) -> Option<&RunSummary> {
        let i = self.shown.len().checked_sub(index + 1)?;
        self.shown.get(i).map(|r| &**r)
    }

    /// Where the run in `dir` is among the shown runs.
    pub fn shown_position(&self, dir: &Path) -> Option<usize> {
        let e = self.entries.get(dir)?;
        if !self.is_shown(e) {
            return None;
        }
        let i = place(self.order, &self.shown, &e.run).ok()?;
        Some(self.shown.len() - 1 - i)
    }

    /// The widest name among the shown runs, in columns.
    pub fn longest_name(&self) -> usize {
        self.widths.last_key_value().map_or(0, |(w, _)| *w)
    }
}

#[cfg(test)]
mod tests;
