//! Searching every run's transcript at once (`beadboard search`, and the dashboard's search of
//! all runs): the same raw-bytes scanner as the transcript pane, over many files on every
//! core. Results stream in a fixed order (the targets' order, line order within a transcript),
//! with progress, and stop at once when cancelled.
//!
//! A worker thread drives it like this:
//!
//! ```no_run
//! # use beadboard::search::{CorpusSearch, CorpusEvent, Query, Target};
//! # let runs: Vec<beadboard::persist::run::RunSummary> = Vec::new();
//! let targets: Vec<Target> = runs.iter().map(Target::of).collect();
//! let search = CorpusSearch::new(Query::new("timeout").unwrap());
//! let cancel = search.cancel.clone(); // set it from the UI thread (Esc)
//! let outcome = search.run(&targets, |event| match event {
//!     CorpusEvent::Hits(hits) => { /* send to the UI: hits[i].target indexes `targets` */ }
//!     CorpusEvent::Progress(p) => { /* p.files_done of p.files */ }
//!     CorpusEvent::Problem(why) => { /* a transcript that could not be read */ }
//! });
//! ```

mod database;
mod plan;
mod target;
mod whole;

pub use target::Target;

use super::query::{Query, line_text};
use super::scanner::{Event, Lines};
use crate::persist::gojson::GoTime;
use crate::persist::parallel;
use crate::persist::session::codex::Decompressed;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

/// A matching line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Which target (index into the slice searched).
    pub target: usize,
    /// Where the line starts in the transcript.
    pub offset: u64,
    /// Its 1-based line number.
    pub line: u64,
    /// The entry type (`result`, `error`, …), or `unreadable` for a line that is not an entry.
    pub entry_type: String,
    /// The entry's time (`None` for an unreadable line or a zero time).
    pub time: Option<GoTime>,
    /// A piece of the entry's readable text around the match.
    pub text: String,
}

/// How far a search has got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CorpusProgress {
    /// Transcripts searched.
    pub files_done: usize,
    /// Transcripts to search.
    pub files: usize,
    /// Bytes searched (transcripts left out by `since` are not counted).
    pub bytes_done: u64,
    /// Matches found.
    pub hits: usize,
}

/// What a running search reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorpusEvent {
    /// The matches of one transcript, in line order (transcripts in the search's order).
    Hits(Vec<Hit>),
    /// Progress, about every 50 ms.
    Progress(CorpusProgress),
    /// A transcript that could not be read, naming it and the cause.
    Problem(String),
}

/// How a search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorpusOutcome {
    /// The final progress.
    pub progress: CorpusProgress,
    /// It was cancelled before the end (not when the cancel came after its last transcript).
    pub cancelled: bool,
}

impl CorpusOutcome {
    /// A search cancelled before it knew what it had to search.
    #[must_use]
    pub fn before_start() -> CorpusOutcome {
        CorpusOutcome {
            progress: CorpusProgress::default(),
            cancelled: true,
        }
    }
}

/// What the workers of one search share.
struct Work<'a> {
    /// Every transcript, in the search's order.
    files: &'a plan::Plan<'a>,
    /// The OpenCode databases, each searched whole by one worker.
    databases: &'a [(PathBuf, Vec<usize>)],
    /// The next batch of `files` to take.
    next: AtomicUsize,
    /// The next database to take.
    next_database: AtomicUsize,
}

/// A search of many transcripts.
#[derive(Debug, Clone)]
pub struct CorpusSearch {
    /// What to find.
    pub query: Query,
    /// Only entries at or after this time (transcripts unchanged since then are not read).
    pub since: Option<DateTime<Utc>>,
    /// Worker threads.
    pub threads: usize,
    /// Set to stop: checked between transcripts, before each read of 256 KiB inside one (see
    /// [`super::scanner::Lines::scan`]), every few thousand rows of a database, and before
    /// each transcript's findings are given out (none are once it is set).
    pub cancel: Arc<AtomicBool>,
    /// Characters of text around each match.
    pub context: usize,
}

/// How often progress is reported.
const REPORT_EVERY: Duration = Duration::from_millis(50);

/// The most buffer a worker keeps from one transcript to the next.
const KEEP_BUFFER: usize = 4 << 20;

/// Transcripts a worker takes at a time (fewer hand-offs between threads).
const BATCH: usize = 32;

/// What a worker found in one transcript.
struct Done {
    bytes: u64,
    hits: Result<Vec<Hit>, String>,
}

impl Done {
    /// Nothing found in `bytes`.
    fn nothing(bytes: u64) -> Done {
        Done {
            bytes,
            hits: Ok(Vec::new()),
        }
    }
}

/// What a worker sends back: transcripts, each with its position in the search's order.
type Batch = Vec<(usize, Done)>;

impl CorpusSearch {
    /// A search for `query` in everything, on every core.
    #[must_use]
    pub fn new(query: Query) -> CorpusSearch {
        CorpusSearch {
            query,
            since: None,
            threads: parallel::threads(),
            cancel: Arc::default(),
            context: 120,
        }
    }

    /// Searches the targets' transcripts in the targets' order, telling `sink` what it finds
    /// as it goes (on the calling thread). A run without a transcript has nothing to find.
    pub fn run(&self, targets: &[Target], mut sink: impl FnMut(CorpusEvent)) -> CorpusOutcome {
        let files = plan::Plan::new(targets);
        let databases = files.databases();
        let mut progress = CorpusProgress {
            files: files.len(),
            ..CorpusProgress::default()
        };
        let work = Work {
            files: &files,
            databases: &databases,
            next: AtomicUsize::new(0),
            next_database: AtomicUsize::new(0),
        };
        let jobs = files.len().div_ceil(BATCH) + databases.len();
        let (tx, rx) = mpsc::channel::<Batch>();
        std::thread::scope(|s| {
            for _ in 0..self.threads.clamp(1, jobs.max(1)) {
                let tx = tx.clone();
                let work = &work;
                s.spawn(move || self.work(work, &tx));
            }
            drop(tx);
            // Each transcript's findings wait here until those before it are out.
            let mut waiting: BTreeMap<usize, Done> = BTreeMap::new();
            let mut emit = 0;
            let mut last = Instant::now();
            // Once cancelled nothing more is given out, even what the workers had already
            // read: the search ends where its reader stopped wanting it.
            'batches: for batch in rx {
                waiting.extend(batch);
                while let Some(done) = waiting.remove(&emit) {
                    if self.cancel.load(Ordering::Relaxed) {
                        break 'batches;
                    }
                    emit += 1;
                    progress.files_done += 1;
                    progress.bytes_done += done.bytes;
                    match done.hits {
                        Ok(hits) if hits.is_empty() => {}
                        Ok(hits) => {
                            progress.hits += hits.len();
                            sink(CorpusEvent::Hits(hits));
                        }
                        Err(why) => sink(CorpusEvent::Problem(why)),
                    }
                }
                if last.elapsed() >= REPORT_EVERY {
                    sink(CorpusEvent::Progress(progress));
                    last = Instant::now();
                }
            }
        });
        sink(CorpusEvent::Progress(progress));
        CorpusOutcome {
            progress,
            // A cancel after the last transcript stopped nothing.
            cancelled: self.cancel.load(Ordering::Relaxed) && progress.files_done < progress.files,
        }
    }

    /// A worker: takes a database to search whole (while one is left), then the next batch
    /// of transcripts until none are left (or the search is cancelled), and sends back what
    /// each held.
    fn work(&self, work: &Work<'_>, tx: &mpsc::Sender<Batch>) {
        let lines_of = |format| Lines {
            query: &self.query,
            cancel: &self.cancel,
            complete_tail: true,
            numbers: true,
            format,
        };
        let since = self.since.map(SystemTime::from);
        let mut buf = Vec::new();
        loop {
            if self.cancel.load(Ordering::Relaxed) {
                return;
            }
            let d = work.next_database.fetch_add(1, Ordering::Relaxed);
            if let Some((db, sessions)) = work.databases.get(d) {
                let done = self.database(db, work.files, sessions);
                if tx.send(done).is_err() {
                    return;
                }
                continue;
            }
            let first = work.next.fetch_add(BATCH, Ordering::Relaxed);
            let files = work.files;
            if first >= files.len() {
                return;
            }
            let mut done = Vec::with_capacity(BATCH);
            for file in files.files(first, first + BATCH) {
                let i = file.target;
                if self.cancel.load(Ordering::Relaxed) {
                    return;
                }
                if file.database().is_some() {
                    continue; // searched with its database
                }
                if let Some(source) = file.whole() {
                    done.push((i, self.whole(file.target, source, since)));
                    continue;
                }
                let mut hits = Vec::new();
                let mut bytes = 0;
                let result = file.open().and_then(|f| {
                    if let Some(since) = since
                        && f.metadata()?.modified()? < since
                    {
                        return Ok(()); // nothing written since
                    }
                    let format = file.format();
                    let sink = |event: Event<'_>| {
                        if let Event::Line(offset, number, line) = event {
                            hits.extend(self.hit(file.target, format, offset, number, line));
                        }
                    };
                    let lines = lines_of(format);
                    let scanned = if file.compressed() {
                        let decompressed = Decompressed::new(f)?;
                        lines.scan(decompressed, 0, u64::MAX, &mut buf, sink)?
                    } else {
                        lines.scan(&f, 0, u64::MAX, &mut buf, sink)?
                    };
                    bytes = scanned.to;
                    Ok(())
                });
                let hits = match result {
                    Ok(()) => Ok(hits),
                    // A run without a transcript (yet) has nothing to find.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
                    Err(e) => Err(format!("{}: {e}", file.path().display())),
                };
                done.push((i, Done { bytes, hits }));
                // A line of many megabytes grew the buffer: given back, not kept for the
                // thread's other files.
                if buf.capacity() > KEEP_BUFFER {
                    buf = Vec::new();
                }
            }
            if tx.send(done).is_err() {
                return;
            }
        }
    }

    /// The hit for a matching line (`None` when its entry is older than `since`).
    fn hit(
        &self,
        target: usize,
        format: super::LineFormat,
        offset: u64,
        number: Option<u64>,
        line: &[u8],
    ) -> Option<Hit> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let (entry_type, time, text) = match format {
            super::LineFormat::Agentpair => {
                let (entry, text) = line_text(line);
                let time = entry
                    .as_ref()
                    .map(|e| e.timestamp)
                    .filter(|t| t.timestamp() > 0);
                let kind = entry.map_or_else(
                    || "unreadable".to_owned(),
                    |e| e.entry_type.as_str().to_owned(),
                );
                (kind, time, text)
            }
            super::LineFormat::Session(agent) => {
                let (entries, text) = super::session_line_text(agent, line)?;
                let hit = entries
                    .iter()
                    .find(|e| self.query.matches_text(&super::session_text(e)));
                let kind =
                    hit.map_or_else(|| "unreadable".to_owned(), |e| e.kind.as_str().to_owned());
                let time = hit.and_then(|e| e.time).map(|t| t.fixed_offset());
                (kind, time, text)
            }
        };
        if let Some(since) = self.since
            && time.is_none_or(|t| t < since)
        {
            return None;
        }
        Some(Hit {
            target,
            offset,
            line: number.unwrap_or(0),
            entry_type,
            time,
            text: self.query.snippet(&text, self.context),
        })
    }
}
