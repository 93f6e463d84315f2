//! The Runs pane's state: every run under the agentpair root, the selection (kept by run
//! directory across reloads), the active-only toggle and the filter. Reloads are incremental:
//! one run's manifest, or just its file activity. The pane never reads a file itself: it asks
//! for reads (effects, run by the runs worker) and takes their results.

use crate::app::effect::Effect;
use crate::app::outcome::RunRead;
use crate::persist::run::{self, Activity, Paths, Peek, RunRecord};
use crate::present::naming;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Runs and how they are listed.
#[derive(Debug)]
pub struct RunsPane {
    paths: Paths,
    records: Vec<RunRecord>,
    problems: BTreeMap<PathBuf, String>,
    /// Show only runs that have not finished.
    pub active_only: bool,
    /// What shown runs must match: a run name (`api #4`, `#4`), or text found, ignoring case,
    /// in the name, reference, repo, prompt, state or session (see [`naming::filter`]).
    pub filter: String,
    selected: Option<PathBuf>,
    /// First visible row.
    pub offset: usize,
    /// Manifests that failed to read (perhaps caught mid-write), to read again soon.
    retry: Vec<(PathBuf, DateTime<Utc>)>,
    /// The first scan has not arrived yet.
    pub loading: bool,
    /// Reads asked for, for the event loop to hand to the runs worker.
    pub outbox: Vec<Effect>,
}

/// How soon an unreadable manifest is read again.
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_millis(150);

impl RunsPane {
    /// An empty pane that has asked for the root to be scanned.
    #[must_use]
    pub fn new(agentpair: &Path) -> RunsPane {
        let mut pane = RunsPane {
            paths: Paths::new(agentpair),
            records: Vec::new(),
            problems: BTreeMap::new(),
            active_only: false,
            filter: String::new(),
            selected: None,
            offset: 0,
            retry: Vec::new(),
            loading: true,
            outbox: Vec::new(),
        };
        pane.reload_all();
        pane
    }

    /// Where runs are looked for.
    #[must_use]
    pub fn runs_dir(&self) -> PathBuf {
        self.paths.runs_dir()
    }

    /// Every run, active first.
    #[must_use]
    pub fn all(&self) -> &[RunRecord] {
        &self.records
    }

    /// Manifests that could not be read: run directory → why.
    #[must_use]
    pub fn problems(&self) -> &BTreeMap<PathBuf, String> {
        &self.problems
    }

    /// Asks for a rescan of everything (a repo appeared, or after a pause).
    pub fn reload_all(&mut self) {
        self.outbox.push(Effect::ScanRuns {
            agentpair: self.paths.base_dir().to_path_buf(),
        });
    }

    /// Takes a scan. A manifest that cannot be read (say, caught mid-write) keeps its last
    /// good copy on screen, with the problem noted.
    pub fn apply_scan(&mut self, runs: Vec<RunRecord>, problems: Vec<(PathBuf, String)>) {
        self.loading = false;
        let problems: BTreeMap<PathBuf, String> = problems.into_iter().collect();
        let kept: Vec<RunRecord> = self
            .records
            .drain(..)
            .filter(|r| problems.contains_key(&r.dir))
            .collect();
        self.records = runs;
        self.records.extend(kept);
        run::sort_for_display(&mut self.records);
        self.problems = problems;
        self.ensure_selection();
    }

    /// Asks for one run's manifest to be read again (it changed, appeared or vanished).
    pub fn reload_run(&mut self, dir: &Path) {
        self.outbox.push(Effect::LoadRun {
            dir: dir.to_path_buf(),
            retry: false,
        });
    }

    /// Takes one run read again. An unreadable manifest is read once more shortly after (it
    /// may have been caught mid-write), unless this was that retry.
    pub fn apply_run(&mut self, dir: &Path, read: RunRead, retry: bool, now: DateTime<Utc>) {
        let position = self.records.iter().position(|r| r.dir == dir);
        match read {
            RunRead::Gone => {
                if let Some(i) = position {
                    self.records.remove(i);
                }
                self.problems.remove(dir);
            }
            RunRead::Loaded(record) => {
                self.problems.remove(dir);
                match position {
                    Some(i) => self.records[i] = *record,
                    None => self.records.push(*record),
                }
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
        run::sort_for_display(&mut self.records);
        self.ensure_selection();
    }

    /// When an unreadable manifest is due to be read again.
    #[must_use]
    pub fn next_check(&self, now: DateTime<Utc>) -> Option<std::time::Duration> {
        self.retry
            .iter()
            .map(|(_, due)| due.signed_duration_since(now).to_std().unwrap_or_default())
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
        match self.records.iter().find(|r| r.dir == dir) {
            Some(record) => self.outbox.push(Effect::TouchRun {
                dir: dir.to_path_buf(),
                active: !record.manifest.is_complete(),
            }),
            None => self.reload_run(dir),
        }
    }

    /// Takes one run's file activity and peek.
    pub fn apply_touch(&mut self, dir: &Path, activity: Activity, peek: Option<Peek>) {
        if let Some(record) = self.records.iter_mut().find(|r| r.dir == dir) {
            record.activity = activity;
            if !record.manifest.is_complete() {
                record.peek = peek;
            }
            run::sort_for_display(&mut self.records);
        }
    }

    fn matches(&self, r: &RunRecord) -> bool {
        if self.active_only && r.manifest.is_complete() {
            return false;
        }
        naming::filter(r, &self.filter).is_some()
    }

    /// The runs shown, in order.
    #[must_use]
    pub fn visible(&self) -> Vec<&RunRecord> {
        self.records.iter().filter(|r| self.matches(r)).collect()
    }

    /// The selected run, if any is shown.
    #[must_use]
    pub fn selected(&self) -> Option<&RunRecord> {
        let dir = self.selected.as_ref()?;
        self.records
            .iter()
            .find(|r| &r.dir == dir && self.matches(r))
    }

    /// The selected run's position among the shown runs.
    #[must_use]
    pub fn selected_index(&self) -> Option<usize> {
        let dir = self.selected.as_ref()?;
        self.visible().iter().position(|r| &r.dir == dir)
    }

    /// Selects the shown run at `index` (clamped).
    pub fn select_index(&mut self, index: usize) {
        let visible = self.visible();
        let pick = visible
            .get(index.min(visible.len().saturating_sub(1)))
            .map(|r| r.dir.clone());
        self.selected = pick;
    }

    /// Selects the run in `dir`, if it is shown.
    pub fn select_dir(&mut self, dir: &Path) {
        if self.visible().iter().any(|r| r.dir == dir) {
            self.selected = Some(dir.to_path_buf());
        }
    }

    /// Moves the selection by `delta` rows.
    pub fn move_by(&mut self, delta: isize) {
        let current = self.selected_index().unwrap_or(0);
        self.select_index(current.saturating_add_signed(delta));
    }

    /// Keeps a valid selection after the list changed.
    pub fn ensure_selection(&mut self) {
        if self.selected().is_none() {
            let index = self.selected_index().unwrap_or(0);
            self.select_index(index);
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
        let max_offset = self.visible().len().saturating_sub(height.max(1));
        self.offset = self.offset.min(max_offset);
    }
}
