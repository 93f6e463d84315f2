//! Every run under an agentpair root as compact [`RunSummary`]s, fast: the directories are
//! listed and the manifests' identities read on every core, unchanged manifests come from the
//! summary cache and only changed ones are read; then the runs are handed out in display order,
//! the active ones and the most recent finished ones first and the rest in pages, so a screen
//! can show what matters at once and take history in the background.
//!
//! ```no_run
//! # use beadboard::persist::run::{Paths, RunLoader, LoadOptions};
//! let options = LoadOptions::new(chrono::Utc::now());
//! let mut loader = RunLoader::open(&Paths::new("/home/me/.agentpair"), &options);
//! for page in &mut loader {
//!     // page.runs: in display order, after every run of the pages before
//!     println!("{} of {}", page.loaded, page.total);
//! }
//! ```

mod listing;
mod verify;

pub use verify::{RunChanges, changed_runs};

use super::cache::{CachedRun, FileStamp, SummaryCache};
use super::summary::{ManifestSummary, RunKind, RunSummary};
use super::{Activity, MANIFEST_FILE, Manifest, Paths, Peek, RunError};
use crate::persist::parallel;
use chrono::{DateTime, Utc};
use listing::find_runs;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Runs whose transcript has not changed for this long are not peeked at (they are idle; the
/// manifest's iteration is as good).
const PEEK_RECENT: Duration = Duration::from_secs(3600);

/// How a load goes.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The time attention, staleness and the cache's "quiet for a moment" rule are judged by.
    pub now: DateTime<Utc>,
    /// Where the summary cache lives (`None`: no cache).
    pub cache_dir: Option<PathBuf>,
    /// Finished runs in the first page (after every active run).
    pub first_finished: usize,
    /// Runs per later page.
    pub page_size: usize,
    /// Threads for the scan.
    pub threads: usize,
}

impl LoadOptions {
    /// No cache, 100 finished runs in the first page, pages of 1,000, every core.
    #[must_use]
    pub fn new(now: DateTime<Utc>) -> LoadOptions {
        LoadOptions {
            now,
            cache_dir: None,
            first_finished: 100,
            page_size: 1000,
            threads: parallel::threads(),
        }
    }

    /// With the summary cache in `dir`.
    #[must_use]
    pub fn with_cache(mut self, dir: Option<PathBuf>) -> LoadOptions {
        self.cache_dir = dir;
        self
    }
}

/// How the scan went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadStats {
    /// Runs found.
    pub runs: usize,
    /// Of those, summaries taken from the cache.
    pub from_cache: usize,
    /// Of those, manifests read (new, changed, or not cached).
    pub read: usize,
    /// Why the cache file was not used, if it was not.
    pub cache_problem: Option<String>,
    /// The cache file was (re)written.
    pub cache_written: bool,
    /// Why the cache could not be written, if it could not.
    pub cache_error: Option<String>,
}

/// Runs handed out together.
#[derive(Debug, Clone)]
pub struct RunPage {
    /// In display order; every one sorts after every run of the earlier pages. Activity is
    /// read for each.
    /// Each summary is its own allocation, handed on as is (a year of history is never
    /// held twice while it moves from the loader to a list).
    pub runs: Vec<Arc<RunSummary>>,
    /// The first page: every active run, then the most recent finished ones.
    pub first: bool,
    /// Runs handed out so far, this page included.
    pub loaded: usize,
    /// Runs in all.
    pub total: usize,
}

impl RunPage {
    /// True when this is the last page.
    #[must_use]
    pub fn is_last(&self) -> bool {
        self.loaded == self.total
    }
}

/// The runs of one root in display order, handed out page by page (also an [`Iterator`] of
/// pages). Cheap to move to a worker thread.
#[derive(Debug)]
pub struct RunLoader {
    /// Runs not handed out yet, in reverse display order (the next is last), so a page is
    /// split off the end and the storage shrinks as pages leave.
    pending: Vec<Arc<RunSummary>>,
    total: usize,
    first_finished: usize,
    page_size: usize,
    started: bool,
    problems: Vec<RunError>,
    stats: LoadStats,
}

/// Where a run's summary comes from.
enum Source {
    /// The cache's entry at this index.
    Cached(usize),
    /// The manifest, read just now (boxed: most runs come from the cache, and the results of
    /// twenty thousand lookups stay small).
    Read(Box<ManifestSummary>),
}

impl RunLoader {
    /// Scans `paths` (see the module documentation). Active runs get their activity and
    /// transcript peek now; finished ones when their page is handed out. A missing root is no
    /// runs; unreadable manifests are [`RunLoader::problems`].
    #[must_use]
    pub fn open(paths: &Paths, options: &LoadOptions) -> RunLoader {
        let runs_dir = paths.runs_dir();
        let mut problems = Vec::new();
        let found = find_runs(&runs_dir, options.threads, &mut problems);
        let mut cache = options
            .cache_dir
            .as_deref()
            .map(|dir| SummaryCache::load(dir, &runs_dir));
        let now = std::time::SystemTime::from(options.now);
        let read = parallel::map(&found, options.threads, |f| {
            match cache
                .as_ref()
                .and_then(|c| c.lookup(&f.repo_key, &f.run_key, &f.stamp))
            {
                Some(i) => Ok(Source::Cached(i)),
                None => Manifest::load(&f.dir.join(MANIFEST_FILE))
                    .map(|m| Source::Read(Box::new(ManifestSummary::of(&m))))
                    .map_err(Box::new),
            }
        });
        let mut stats = LoadStats {
            cache_problem: cache.as_ref().and_then(|c| c.problem().map(str::to_owned)),
            ..LoadStats::default()
        };
        let mut runs = Vec::with_capacity(found.len());
        let mut entries = Vec::with_capacity(found.len());
        let mut repo_paths = Interned::default();
        let (mut stored_hits, mut stored_reads) = (0, 0);
        for (f, result) in found.into_iter().zip(read) {
            let manifest = match result {
                Ok(Source::Read(m)) => {
                    stats.read += 1;
                    if f.stamp.settled(now) {
                        stored_reads += 1;
                        entries.push((runs.len(), f.stamp));
                    }
                    *m
                }
                Ok(Source::Cached(i)) => {
                    let Some(m) = cache.as_mut().and_then(|c| c.take(i)) else {
                        continue;
                    };
                    stats.from_cache += 1;
                    stored_hits += 1;
                    entries.push((runs.len(), f.stamp));
                    m
                }
                Err(e) => {
                    problems.push(*e);
                    continue;
                }
            };
            let mut manifest = manifest;
            manifest.repo_path = repo_paths.get(&manifest.repo_path);
            runs.push(Arc::new(RunSummary {
                dir: f.dir,
                repo_key: f.repo_key,
                run_key: f.run_key,
                kind: RunKind::Agentpair(manifest),
                activity: None,
                peek: None,
                stamp: Some(f.stamp),
            }));
        }
        if let Some(cache) = &cache {
            // Hits are exactly the file's entries; a changed manifest or a run gone changes it.
            let differs =
                cache.problem().is_some() || stored_reads > 0 || stored_hits != cache.len();
            if differs {
                save_cache(cache, &runs, &entries, &mut stats);
            }
        }
        drop(cache);
        // What attention depends on: the activity of runs not finished (or with no finish
        // time, which their last entry's time stands for).
        let needs_activity: Vec<usize> = (0..runs.len())
            .filter(|&i| {
                runs[i]
                    .manifest()
                    .is_none_or(|m| !m.is_complete() || m.completed_at.is_none())
            })
            .collect();
        let filled = parallel::map(&needs_activity, options.threads, |&i| {
            look_at(&runs[i], options.now)
        });
        for (i, (activity, peek)) in needs_activity.into_iter().zip(filled) {
            // Not shared yet: made mutable in place.
            let run = Arc::make_mut(&mut runs[i]);
            run.activity = Some(activity);
            run.peek = peek.map(Box::new);
        }
        runs.sort_by_cached_key(|r| r.display_key());
        runs.reverse();
        stats.runs = runs.len();
        RunLoader {
            total: runs.len(),
            pending: runs,
            first_finished: options.first_finished,
            page_size: options.page_size.max(1),
            started: false,
            problems,
            stats,
        }
    }

    /// Manifests that could not be read (and directories that could not be listed).
    #[must_use]
    pub fn problems(&self) -> &[RunError] {
        &self.problems
    }

    /// How the scan went.
    #[must_use]
    pub fn stats(&self) -> &LoadStats {
        &self.stats
    }

    /// Runs in all.
    #[must_use]
    pub fn total(&self) -> usize {
        self.total
    }

    /// Runs not handed out yet, in display order. Active runs have their activity; finished
    /// ones may not yet (`activity` is `None` until their page is handed out).
    pub fn pending(&self) -> impl ExactSizeIterator<Item = &RunSummary> {
        self.pending.iter().rev().map(|r| &**r)
    }

    /// [`Self::pending`], shared (a search's targets hold them without copying).
    pub fn pending_shared(&self) -> impl ExactSizeIterator<Item = &Arc<RunSummary>> {
        self.pending.iter().rev()
    }

    /// The next page: first every active run and the most recent finished ones, then pages of
    /// finished runs, oldest last. `None` when every run has been handed out.
    pub fn next_page(&mut self) -> Option<RunPage> {
        if self.started && self.pending.is_empty() {
            return None;
        }
        let first = !self.started;
        self.started = true;
        let count = if first {
            let active = self
                .pending
                .iter()
                .rev()
                .take_while(|r| !r.is_complete())
                .count();
            active + self.first_finished
        } else {
            self.page_size
        };
        let count = count.min(self.pending.len());
        let mut runs = self.pending.split_off(self.pending.len() - count);
        runs.reverse();
        if self.pending.capacity() > 2 * self.pending.len() + self.page_size {
            // What was handed out is the caller's now: give back the room it took here.
            self.pending.shrink_to_fit();
        }
        for r in runs.iter_mut().filter(|r| r.activity.is_none()) {
            let activity = if r.is_complete() {
                Activity::read_finished(&r.dir)
            } else {
                Activity::read(&r.dir)
            };
            Arc::make_mut(r).activity = Some(activity);
        }
        Some(RunPage {
            runs,
            first,
            loaded: self.total - self.pending.len(),
            total: self.total,
        })
    }
}

impl Iterator for RunLoader {
    type Item = RunPage;

    fn next(&mut self) -> Option<RunPage> {
        self.next_page()
    }
}

/// Strings many runs repeat (their repo's path), one copy of each shared by all.
#[derive(Default)]
struct Interned(std::collections::HashSet<Arc<str>>);

impl Interned {
    /// The shared copy of `s`.
    fn get(&mut self, s: &Arc<str>) -> Arc<str> {
        match self.0.get(&**s) {
            Some(shared) => Arc::clone(shared),
            None => {
                self.0.insert(Arc::clone(s));
                Arc::clone(s)
            }
        }
    }
}

/// A run's file activity, and for an unfinished run whose transcript changed within the last
/// hour, what the transcript's end says.
fn look_at(run: &RunSummary, now: DateTime<Utc>) -> (Activity, Option<Peek>) {
    let activity = if run.is_complete() {
        Activity::read_finished(&run.dir)
    } else {
        Activity::read(&run.dir)
    };
    let recent = activity.transcript_modified.is_some_and(|t| {
        DateTime::<Utc>::from(t) + chrono::Duration::from_std(PEEK_RECENT).unwrap_or_default() > now
    });
    let peek = (!run.is_complete() && recent)
        .then(|| Peek::read(&run.dir))
        .flatten();
    (activity, peek)
}

/// Writes the cache: an entry for each run at `entries` (index into `runs`, and the stamp of
/// its manifest, which had settled when it was read).
fn save_cache(
    cache: &SummaryCache,
    runs: &[Arc<RunSummary>],
    entries: &[(usize, FileStamp)],
    stats: &mut LoadStats,
) {
    let entries: Vec<CachedRun> = entries
        .iter()
        .filter_map(|&(i, stamp)| {
            Some(CachedRun {
                key: runs[i].reference(),
                stamp,
                manifest: runs[i].manifest()?.clone(),
            })
        })
        .collect();
    match cache.save(&entries) {
        Ok(()) => stats.cache_written = true,
        Err(e) => stats.cache_error = Some(format!("{}: {e}", cache.file().display())),
    }
}
