//! The Runs pane's list: every run's summary in the chosen order (by default unfinished first,
//! then finished, each newest start first: rows hold still while runs write), which of them the filter and the active-only toggle let through, and
//! the widest name among those. Built for a year of history: what passes the filter is judged
//! once per run when the run or the filter changes, not on every draw.

use crate::persist::run::{Activity, Peek, RunOrder, RunSummary};
use crate::present::{naming, text};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

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
    entries: Vec<Entry>,
    /// Indexes into `entries` of the runs shown, in order.
    shown: Vec<usize>,
    filter: String,
    active_only: bool,
    longest: usize,
    order: RunOrder,
}

impl RunList {
    fn entry(&self, run: Arc<RunSummary>) -> Entry {
        Entry {
            passes: naming::filter(&run, &self.filter).is_some(),
            name_width: text::width(&naming::name(&run)),
            run,
        }
    }

    /// Every run, in display order.
    pub fn all(&self) -> impl ExactSizeIterator<Item = &RunSummary> + Clone {
        self.entries.iter().map(|e| &*e.run)
    }

    /// How many runs are listed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    fn position(&self, dir: &Path) -> Option<usize> {
        self.entries.iter().position(|e| e.run.dir == dir)
    }

    /// The run in `dir`.
    pub fn get(&self, dir: &Path) -> Option<&Arc<RunSummary>> {
        self.entries
            .iter()
            .find(|e| e.run.dir == dir)
            .map(|e| &e.run)
    }

    /// Every run, shared, in display order.
    pub fn all_shared(&self) -> impl ExactSizeIterator<Item = &Arc<RunSummary>> {
        self.entries.iter().map(|e| &e.run)
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
        for e in &mut self.entries {
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
        let fresh: Vec<bool> = {
            let known: HashSet<&Path> = self.entries.iter().map(|e| e.run.dir.as_path()).collect();
            runs.iter()
                .map(|r| !known.contains(r.dir.as_path()))
                .collect()
        };
        let mut added = Vec::with_capacity(runs.len());
        self.entries.reserve(runs.len());
        for (run, fresh) in runs.into_iter().zip(fresh) {
            if fresh {
                added.push(Arc::clone(&run));
                let entry = self.entry(run);
                self.entries.push(entry);
            }
        }
        self.sort();
        added
    }

    /// Replaces the agentpair runs with a rescan's, keeping the last good copy of each listed
    /// run that `unreadable` says could not be read this time (agent sessions stay: they are
    /// listed by the agents worker).
    pub fn replace(&mut self, runs: Vec<Arc<RunSummary>>, unreadable: impl Fn(&Path) -> bool) {
        let kept: Vec<Entry> = std::mem::take(&mut self.entries)
            .into_iter()
            .filter(|e| e.run.session().is_some() || unreadable(&e.run.dir))
            .collect();
        self.entries = runs.into_iter().map(|r| self.entry(r)).collect();
        self.entries.extend(kept);
        self.sort();
    }

    /// Adds or replaces one run.
    pub fn upsert(&mut self, run: RunSummary) {
        self.upsert_shared(Arc::new(run));
    }

    /// Adds or replaces one run, shared.
    pub fn upsert_shared(&mut self, run: Arc<RunSummary>) {
        let entry = self.entry(run);
        match self.position(&entry.run.dir) {
            Some(i) => self.entries[i] = entry,
            None => self.entries.push(entry),
        }
        self.sort();
    }

    /// Replaces every agent session listed with `runs` (agentpair runs stay); returns the
    /// sessions that were not listed before.
    pub fn replace_sessions(&mut self, runs: Vec<Arc<RunSummary>>) -> Vec<Arc<RunSummary>> {
        let known: HashSet<std::path::PathBuf> = self
            .entries
            .iter()
            .filter(|e| e.run.session().is_some())
            .map(|e| e.run.dir.clone())
            .collect();
        self.entries.retain(|e| e.run.session().is_none());
        let added = runs
            .iter()
            .filter(|r| !known.contains(&r.dir))
            .cloned()
            .collect();
        let fresh: Vec<Entry> = runs.into_iter().map(|r| self.entry(r)).collect();
        self.entries.extend(fresh);
        self.sort();
        added
    }

    /// Changes the listed runs that `which` picks (each copied away from the summary it
    /// shares with the observer), then sorts again. Returns how many changed.
    pub fn update(
        &mut self,
        which: impl Fn(&RunSummary) -> bool,
        mut change: impl FnMut(&mut RunSummary),
    ) -> usize {
        let picked: Vec<usize> = (0..self.entries.len())
            .filter(|&i| which(&self.entries[i].run))
            .collect();
        for &i in &picked {
            let mut copy = (*self.entries[i].run).clone();
            change(&mut copy);
            self.entries[i] = self.entry(Arc::new(copy));
        }
        if !picked.is_empty() {
            self.sort();
        }
        picked.len()
    }

    /// Removes one run.
    pub fn remove(&mut self, dir: &Path) {
        if let Some(i) = self.position(dir) {
            self.entries.remove(i);
            self.refresh();
        }
    }

    /// Takes one run's new file activity, and its peek while it is unfinished. Only the
    /// activity order moves the row for it.
    pub fn touch(&mut self, dir: &Path, activity: Activity, peek: Option<Peek>) {
        if let Some(i) = self.position(dir) {
            let run = Arc::make_mut(&mut self.entries[i].run);
            run.activity = Some(activity);
            if !run.is_complete() {
                run.peek = peek.map(Box::new);
            }
            if self.order == RunOrder::Activity {
                self.sort();
            }
        }
    }

    fn sort(&mut self) {
        let order = self.order;
        self.entries.sort_by(|a, b| order.compare(&a.run, &b.run));
        self.refresh();
    }

    /// What the runs are listed by.
    pub fn order(&self) -> RunOrder {
        self.order
    }

    /// Lists the runs by `order`.
    pub fn set_order(&mut self, order: RunOrder) {
        if order != self.order {
            self.order = order;
            self.sort();
        }
    }

    /// Works out again which runs are shown, and the widest name among them.
    fn refresh(&mut self) {
        let active_only = self.active_only;
        self.shown = (0..self.entries.len())
            .filter(|&i| {
                let e = &self.entries[i];
                e.passes && !(active_only && e.run.is_complete())
            })
            .collect();
        self.longest = self
            .shown
            .iter()
            .map(|&i| self.entries[i].name_width)
            .max()
            .unwrap_or(0);
    }

    /// How many runs are shown.
    pub fn shown_len(&self) -> usize {
        self.shown.len()
    }

    /// The runs shown, in order.
    pub fn shown(&self) -> impl ExactSizeIterator<Item = &RunSummary> + Clone {
        self.shown.iter().map(|&i| &*self.entries[i].run)
    }

    /// The shown run at `index`.
    pub fn shown_at(&self, index: usize) -> Option<&RunSummary> {
        self.shown.get(index).map(|&i| &*self.entries[i].run)
    }

    /// Where the run in `dir` is among the shown runs.
    pub fn shown_position(&self, dir: &Path) -> Option<usize> {
        self.shown
            .iter()
            .position(|&i| self.entries[i].run.dir == dir)
    }

    /// The widest name among the shown runs, in columns.
    pub fn longest_name(&self) -> usize {
        self.longest
    }
}
