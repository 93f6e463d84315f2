//! The search of every run's transcript (`F`): what was asked, the runs searched, the matches
//! as they stream in from the worker, how far it has got, and the selection in the results
//! list. Updates carry the search's id; those of an older search are dropped. At most
//! [`MAX_KEPT`] matches are kept (the list says how many more there were). Other hosts are
//! searched at the same time, each on its own channel, their matches merged as they arrive
//! (`corpus/hosts.rs`).

mod hosts;

pub use hosts::{HOST_SEARCH_IDS, HostSearch, HostSearchState};

use crate::app::outcome::{CorpusEnd, CorpusUpdate};
use crate::search::{CorpusProgress, Hit, Target};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The most matches kept for the list; more are counted, not kept (memory stays bounded).
pub const MAX_KEPT: usize = 5000;

/// Where a search is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorpusState {
    /// The worker is searching.
    Running,
    /// Esc asked the worker to stop; it has not said it did yet.
    Stopping,
    /// The worker stopped early (Esc, or the list was closed).
    Stopped,
    /// Every transcript was searched.
    Done,
    /// The search could not run: why.
    Failed(String),
}

/// A search of every transcript and its results.
#[derive(Debug, Clone)]
pub struct CorpusResults {
    /// Which search (updates of older ones are dropped).
    pub id: u64,
    /// What was typed (with any `repo:`/`since:` words), to offer again.
    pub typed: String,
    /// What is looked for.
    pub pattern: String,
    /// The runs searched, in the order their results arrive (a hit's `target` indexes it).
    pub targets: Arc<[Target]>,
    /// The matches kept, in arrival order (at most [`MAX_KEPT`]).
    pub hits: Vec<Hit>,
    /// How far the worker has got (its `hits` counts every match, kept or not).
    pub progress: CorpusProgress,
    /// Where the search is.
    pub state: CorpusState,
    /// Transcripts that could not be read: how many, and the first one's problem.
    pub problems: (usize, Option<String>),
    /// The selected match.
    pub selected: usize,
    /// The first row shown (kept by `update` so the selection stays in view).
    pub top: usize,
    /// The widest run name among the matches kept (the list's first column).
    pub name_width: usize,
    /// Set to stop the worker.
    cancel: Arc<AtomicBool>,
    /// The runs of other hosts' matches (a hit's `target` past `targets` indexes this).
    host_targets: Vec<Target>,
    /// Each other host shown, and how its search is going.
    pub hosts: Vec<HostSearch>,
}

impl CorpusResults {
    /// A search that has just been asked for.
    #[must_use]
    pub fn new(
        id: u64,
        typed: String,
        pattern: String,
        targets: Arc<[Target]>,
        cancel: Arc<AtomicBool>,
    ) -> CorpusResults {
        let files = targets.len();
        CorpusResults {
            id,
            typed,
            pattern,
            targets,
            hits: Vec::new(),
            progress: CorpusProgress {
                files,
                ..CorpusProgress::default()
            },
            state: CorpusState::Running,
            problems: (0, None),
            selected: 0,
            top: 0,
            name_width: 0,
            cancel,
            host_targets: Vec::new(),
            hosts: Vec::new(),
        }
    }

    /// The run of target `index`: this machine's, or the run of another host's match.
    #[must_use]
    pub fn target(&self, index: usize) -> Option<&Target> {
        match index.checked_sub(self.targets.len()) {
            None => self.targets.get(index),
            Some(i) => self.host_targets.get(i),
        }
    }

    /// The worker, or a host, has not finished yet (or not said it stopped).
    #[must_use]
    pub fn is_running(&self) -> bool {
        matches!(self.state, CorpusState::Running | CorpusState::Stopping)
            || self.hosts_searching()
            || self.hosts_cancelling()
    }

    /// Asks the worker to stop (Esc, a new search, the list closed), and stops taking the
    /// hosts' matches; what was found stays. Returns the hosts still searching that
    /// `can_cancel`, to be told to stop (the others search on, unheard).
    pub fn stop(&mut self, can_cancel: impl Fn(&str) -> bool) -> Vec<String> {
        self.cancel.store(true, Ordering::Relaxed);
        if self.state == CorpusState::Running {
            self.state = CorpusState::Stopping;
        }
        self.stop_hosts(can_cancel)
    }

    /// The selected match and its run.
    #[must_use]
    pub fn selected_hit(&self) -> Option<(&Hit, &Target)> {
        let hit = self.hits.get(self.selected)?;
        Some((hit, self.target(hit.target)?))
    }

    /// Takes an update from the worker; returns false when it is for another search. Once
    /// stopping, only the worker's word that it ended is taken (the list stays as it was).
    pub fn apply(&mut self, update: CorpusUpdate) -> bool {
        if update.id != self.id {
            return false;
        }
        if self.state == CorpusState::Running {
            self.progress = update.progress;
            for hit in &update.hits {
                if let Some(t) = self.targets.get(hit.target) {
                    self.name_width = self.name_width.max(crate::present::text::width(&t.name()));
                }
            }
            self.keep(update.hits);
            if let Some(first) = update.problems.first()
                && self.problems.1.is_none()
            {
                self.problems.1 = Some(first.clone());
            }
            self.problems.0 += update.problems.len();
        }
        match update.end {
            None => {}
            Some(CorpusEnd::Finished) if self.state == CorpusState::Running => {
                self.state = CorpusState::Done;
            }
            Some(CorpusEnd::Failed(why)) => self.state = CorpusState::Failed(why),
            Some(_) => self.state = CorpusState::Stopped,
        }
        true
    }

    /// Keeps `hits`, as many as there is room for.
    fn keep(&mut self, hits: Vec<Hit>) {
        let room = MAX_KEPT.saturating_sub(self.hits.len());
        self.hits.extend(hits.into_iter().take(room));
    }

    /// Moves the selection by `delta` (clamped).
    pub fn move_by(&mut self, delta: isize) {
        let last = self.hits.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Selects match `index` (clamped).
    pub fn select(&mut self, index: usize) {
        self.selected = index.min(self.hits.len().saturating_sub(1));
    }

    /// Keeps the selection inside a window of `height` rows.
    pub fn scroll_to_selection(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.top {
            self.top = self.selected;
        } else if self.selected >= self.top + height {
            self.top = self.selected + 1 - height;
        }
        self.top = self.top.min(self.hits.len().saturating_sub(height));
    }
}
