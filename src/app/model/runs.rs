//! The Runs pane's state: every run under the agentpair root as a compact summary, the
//! selection (kept by run directory across reloads), the active-only toggle and the filter.
//! Runs arrive page by page from a scan (active and recent first, history behind), then change
//! one at a time: one run's manifest, or just its file activity. The pane never reads a file
//! itself: it asks for reads (effects, run by the runs worker) and takes their results. The
//! list itself, with what passes the filter, is in [`list`].

mod agents;
mod list;
mod remote;
mod ties;
mod verify;

pub use ties::Tie;

use crate::app::effect::Effect;
use crate::app::outcome::RunRead;
use crate::persist::run::{Activity, Paths, Peek, RunSummary};
use chrono::{DateTime, Utc};
use list::RunList;
pub use list::StateCounts;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Runs and how they are listed.
#[derive(Debug)]
pub struct RunsPane {
    paths: Paths,
    cache_dir: Option<PathBuf>,
    list: RunList,
    problems: BTreeMap<PathBuf, String>,
    selected: Option<PathBuf>,
    /// First visible row.
    pub offset: usize,
    /// Manifests that failed to read (perhaps caught mid-write), to read again soon.
    retry: Vec<(PathBuf, DateTime<Utc>)>,
    /// No page of the first scan has arrived yet.
    pub loading: bool,
    /// The first scan is still handing out pages: runs listed so far, of how many.
    pub progress: Option<(usize, usize)>,
    /// A rescan's pages, gathered until its last one arrives (the list shown stays whole).
    staged: Option<Staged>,
    /// A check against the disk was asked for while pages were arriving (see [`verify`]).
    verify_due: bool,
    /// When the runs are next checked against the disk (after the first check).
    next_verify: Option<DateTime<Utc>>,
    /// Run directories a watch was asked for.
    watched: std::collections::HashSet<PathBuf>,
    /// The agent sessions' side: where they are, what was found, what is being read.
    agents: agents::Agents,
    /// What the binding knows of sessions' agents, by run key (see `runs/ties.rs`).
    ties: std::collections::HashMap<PathBuf, Tie>,
    /// Reads asked for, for the event loop to hand to the runs worker.
    pub outbox: Vec<Effect>,
    /// Marked runs (Space), by directory.
    pub marked: std::collections::BTreeSet<PathBuf>,
}

/// A rescan in progress.
#[derive(Debug)]
struct Staged {
    runs: Vec<Arc<RunSummary>>,
    problems: Vec<(PathBuf, String)>,
}

/// What a page did, for attention.
#[derive(Debug, PartialEq)]
pub enum PageTaken {
    /// A page of the first scan, with these runs new to the list (seen, not announced).
    Initial(Vec<Arc<RunSummary>>),
    /// A rescan's page, held back until the rest arrives.
    Staged,
    /// The last page of a rescan: the list was replaced by what it found.
    Replaced,
}

/// How soon an unreadable manifest is read again.
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_millis(150);

impl RunsPane {
    /// An empty pane that has asked for the root to be scanned as of `now`, with the run
    /// summary cache in `cache_dir`.
    #[must_use]
    pub fn new(agentpair: &Path, cache_dir: Option<PathBuf>, now: DateTime<Utc>) -> RunsPane {
        let mut pane = RunsPane {
            paths: Paths::new(agentpair),
            cache_dir,
            list: RunList::default(),
            problems: BTreeMap::new(),
            selected: None,
            offset: 0,
            retry: Vec::new(),
            loading: true,
            progress: None,
            staged: None,
            verify_due: false,
            next_verify: None,
            watched: std::collections::HashSet::new(),
            agents: agents::Agents::default(),
            ties: std::collections::HashMap::new(),
            outbox: Vec::new(),
            marked: std::collections::BTreeSet::new(),
        };
        pane.reload_all(now);
        pane
    }

    /// Where runs are looked for.
    #[must_use]
    pub fn runs_dir(&self) -> PathBuf {
        self.paths.runs_dir()
    }

    /// Every run listed, active first.
    pub fn all(&self) -> impl ExactSizeIterator<Item = &RunSummary> + Clone {
        self.list.all()
    }

    /// The runs that have not finished, in display order.
    pub fn active(&self) -> impl Iterator<Item = &RunSummary> {
        self.list.active()
    }

    /// How many finished runs are in each state.
    #[must_use]
    pub fn finished(&self) -> &StateCounts {
        self.list.finished()
    }

    /// How many unfinished runs are in each state.
    #[must_use]
    pub fn unfinished_counts(&self) -> &StateCounts {
        self.list.unfinished_counts()
    }

    /// How many unfinished runs are stale at `now` (quiet longer than `threshold`), found
    /// without looking at every active run.
    #[must_use]
    pub fn stale(&self, now: DateTime<Utc>, threshold: std::time::Duration) -> usize {
        self.list.stale(now, threshold)
    }

    /// The run in `dir`, if listed.
    #[must_use]
    pub fn get(&self, dir: &Path) -> Option<&RunSummary> {
        self.list.get(dir).map(|r| &**r)
    }

    /// Follows the newest run naming `bead` (see [`RunList::follow_bead`]).
    pub fn follow_bead(&mut self, bead: Option<&str>) {
        self.list.follow_bead(bead);
    }

    /// The newest listed run naming `bead` when it is the bead followed (see
    /// [`RunList::newest_naming`]), else `None`.
    #[must_use]
    pub fn newest_naming(&self, bead: &str) -> Option<Option<&RunSummary>> {
        self.list.newest_naming(bead)
    }

    /// The newest listed run naming `bead`, found by looking through every run.
    #[must_use]
    pub fn newest_naming_walked(&self, bead: &str) -> Option<&RunSummary> {
        self.list.newest_naming_walked(bead)
    }

    /// The run in `dir`, shared (what the observer keeps).
    #[must_use]
    pub fn get_shared(&self, dir: &Path) -> Option<&Arc<RunSummary>> {
        self.list.get(dir)
    }

    /// Every run listed, shared, active first.
    pub fn all_shared(&self) -> impl ExactSizeIterator<Item = &Arc<RunSummary>> {
        self.list.all_shared()
    }

    /// True when no run is listed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.list.len() == 0
    }

    /// Manifests that could not be read: run directory → why.
    #[must_use]
    pub fn problems(&self) -> &BTreeMap<PathBuf, String> {
        &self.problems
    }

    /// What shown runs must match (see [`crate::present::naming::filter`]).
    #[must_use]
    pub fn filter(&self) -> &str {
        self.list.filter()
    }

    /// Sets the filter: a run name (`api #4`, `#4`), or text found, ignoring case, in the
    /// name, reference, repo, prompt, state or session.
    pub fn set_filter(&mut self, filter: String) {
        self.list.set_filter(filter);
        self.ensure_selection();
    }

    /// Whether only runs that have not finished are shown.
    #[must_use]
    pub fn active_only(&self) -> bool {
        self.list.active_only()
    }

    /// Shows only runs that have not finished, or every run.
    pub fn set_active_only(&mut self, on: bool) {
        self.list.set_active_only(on);
        self.ensure_selection();
    }

    /// What the runs are listed by.
    #[must_use]
    pub fn order(&self) -> crate::persist::run::RunOrder {
        self.list.order()
    }

    /// Lists the runs by the next order (`o`), keeping the selected run selected.
    pub fn cycle_order(&mut self) {
        self.list.set_order(self.list.order().next());
        self.ensure_selection();
    }

    /// Asks for a rescan of everything as of `now` (a repo appeared, or after a pause).
    pub fn reload_all(&mut self, now: DateTime<Utc>) {
        self.outbox.push(Effect::ScanRuns {
            agentpair: self.paths.base_dir().to_path_buf(),
            cache_dir: self.cache_dir.clone(),
            now,
        });
    }

    /// Takes one page of a scan. The first scan's pages are listed as they come; a rescan's
    /// are gathered and replace the list at its last page, so the list never shows half of
    /// it. A manifest that cannot be read (say, caught mid-write) keeps its last good copy on
    /// screen, with the problem noted.
    pub fn apply_page(
        &mut self,
        runs: Vec<Arc<RunSummary>>,
        first: bool,
        (loaded, total): (usize, usize),
        problems: Vec<(PathBuf, String)>,
    ) -> PageTaken {
        let last = loaded >= total;
        let initial = self.loading || self.progress.is_some();
        if initial {
            if first {
                self.problems = problems.into_iter().collect();
            }
            self.loading = false;
            self.progress = (!last).then_some((loaded, total));
            let added = self.list.append(runs);
            self.ensure_selection();
            self.verify_if_due();
            return PageTaken::Initial(added);
        }
        let staged = match (first, self.staged.take()) {
            (true, _) | (false, None) => Staged { runs, problems },
            (false, Some(mut s)) => {
                s.runs.extend(runs);
                s.problems.extend(problems);
                s
            }
        };
        if !last {
            self.staged = Some(staged);
            return PageTaken::Staged;
        }
        let problems: BTreeMap<PathBuf, String> = staged.problems.into_iter().collect();
        self.list
            .replace(staged.runs, |dir| problems.contains_key(dir));
        self.problems = problems;
        self.ensure_selection();
        self.verify_if_due();
        PageTaken::Replaced
    }

    /// Asks for one run's manifest to be read again (it changed, appeared or vanished).
    pub fn reload_run(&mut self, dir: &Path) {
        if self.list.get(dir).is_some_and(|r| r.manifest().is_none()) {
            return;
        }
        self.outbox.push(Effect::LoadRun {
            dir: dir.to_path_buf(),
            retry: false,
        });
    }

    /// Takes one run read again. An unreadable manifest is read once more shortly after (it
    /// may have been caught mid-write), unless this was that retry.
    pub fn apply_run(&mut self, dir: &Path, read: RunRead, retry: bool, now: DateTime<Utc>) {
        match read {
            RunRead::Gone => {
                self.list.remove(dir);
                self.problems.remove(dir);
            }
            RunRead::Loaded(summary) => {
                self.problems.remove(dir);
                self.list.upsert(*summary);
            }
            RunRead::Failed(problem) => {
                if !retry {
                    self.problems.insert(dir.to_path_buf(), problem);
                    if !self.retry.iter().any(|(d, _)| d == dir) {
                        let due = now + chrono::Duration::from_std(RETRY_AFTER).unwrap_or_default();
                        self.retry.push((dir.to_path_buf(), due));
                    }
                }
            }
        }
        self.ensure_selection();
    }

    /// When an unreadable manifest is due to be read again, or the runs checked against the disk.
    #[must_use]
    pub fn next_check(&self, now: DateTime<Utc>) -> Option<std::time::Duration> {
        self.retry
            .iter()
            .map(|(_, due)| *due)
            .chain(self.next_verify)
            .chain(self.next_agent_check())
            .map(|due| due.signed_duration_since(now).to_std().unwrap_or_default())
            .min()
    }

    /// Asks to read again the manifests whose retry is due (each is retried once; a later
    /// change event reads it again anyway).
    pub fn retry_due(&mut self, now: DateTime<Utc>) {
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.retry)
            .into_iter()
            .partition(|(_, at)| *at <= now);
        self.retry = later;
        for (dir, _) in due {
            self.outbox.push(Effect::LoadRun { dir, retry: true });
        }
    }

    /// Asks for one run's file activity (its transcript or bridge grew); an unknown run is
    /// read in full.
    pub fn touch(&mut self, dir: &Path) {
        match self.list.get(dir) {
            // An agent session's changes come as its own (see `agent_changed`); another
            // host's come from that host.
            Some(run) if run.manifest().is_none() => {}
            Some(run) => self.outbox.push(Effect::TouchRun {
                dir: dir.to_path_buf(),
                active: !run.is_complete(),
            }),
            None => self.reload_run(dir),
        }
    }

    /// Takes one run's file activity and peek.
    pub fn apply_touch(&mut self, dir: &Path, activity: Activity, peek: Option<Peek>) {
        self.list.touch(dir, activity, peek);
        self.ensure_selection();
    }

    /// How many runs are shown.
    #[must_use]
    pub fn visible_len(&self) -> usize {
        self.list.shown_len()
    }

    /// The runs shown, in order.
    pub fn visible(&self) -> impl ExactSizeIterator<Item = &RunSummary> + Clone {
        self.list.shown()
    }

    /// The widest run name among the shown runs, in columns.
    #[must_use]
    pub fn longest_name(&self) -> usize {
        self.list.longest_name()
    }

    /// The selected run, if any is shown.
    #[must_use]
    pub fn selected(&self) -> Option<&RunSummary> {
        let dir = self.selected.as_ref()?;
        self.list.shown_position(dir)?;
        self.list.get(dir).map(|r| &**r)
    }

    /// The selected run's position among the shown runs.
    #[must_use]
    pub fn selected_index(&self) -> Option<usize> {
        self.list.shown_position(self.selected.as_ref()?)
    }

    /// Selects the shown run at `index` (clamped).
    pub fn select_index(&mut self, index: usize) {
        let last = self.list.shown_len().saturating_sub(1);
        self.selected = self.list.shown_at(index.min(last)).map(|r| r.dir.clone());
    }

    /// Selects the run in `dir`, if it is shown.
    pub fn select_dir(&mut self, dir: &Path) {
        if self.list.shown_position(dir).is_some() {
            self.selected = Some(dir.to_path_buf());
        }
    }

    /// Moves the selection by `delta` rows.
    pub fn move_by(&mut self, delta: isize) {
        let current = self.selected_index().unwrap_or(0);
        self.select_index(current.saturating_add_signed(delta));
    }

    /// Keeps a valid selection after the list changed: the same run while it is shown, else
    /// the first.
    pub fn ensure_selection(&mut self) {
        if self.selected().is_none() {
            self.select_index(0);
        }
    }

    /// Keeps the selected row inside a window of `height` rows.
    pub fn scroll_to_selection(&mut self, height: usize) {
        let index = self.selected_index().unwrap_or(0);
        if index < self.offset {
            self.offset = index;
        } else if height > 0 && index >= self.offset + height {
            self.offset = index + 1 - height;
        }
        let max_offset = self.list.shown_len().saturating_sub(height.max(1));
        self.offset = self.offset.min(max_offset);
    }
}
