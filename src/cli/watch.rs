//! `beadboard watch`: the dashboard's event stream without the dashboard. The same watcher
//! (file events, or polling) and the same [`Observer`] turn changes on disk into run state
//! changes, new transcript entries, bead transitions and attention changes, printed as they
//! happen: one JSON object per line with `--json`, else one readable line each. A `ready`
//! event comes first (after the snapshot, with `--snapshot`), once every watch is in place:
//! from then on nothing is missed, and a directory that appears is watched before it is read.

mod agents;
mod describe;
mod printed;
mod snapshot;
mod tails;

pub use describe::{Ready, describe};

use agents::NewFile;
use printed::Printed;
use tails::Tails;

use super::CliError;
use super::output::{Out, errln, on_reader_gone};
use crate::app::event::{Change, Msg};
use crate::app::watch::Watch;
use crate::config::Roots;
use crate::events::{Event, Observer};
use crate::persist::assignment::{self, AssignmentStore, list_sessions};
use crate::persist::run::{Paths, RunRecord, RunSummary, TailEvent, ToSummary, scan_runs};
use crate::present::attention::Thresholds;
use crate::present::naming;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

/// How the stream is set up.
#[derive(Debug, Clone, Copy)]
pub struct WatchOptions {
    /// One JSON object per line.
    pub json: bool,
    /// Start with the current state (every run, bead and condition) as events.
    pub snapshot: bool,
    /// Leave out transcript entries.
    pub no_entries: bool,
    /// Poll instead of using file events.
    pub poll: bool,
}

struct Stream {
    options: WatchOptions,
    roots: Roots,
    observer: Observer,
    tails: Tails,
    /// Where each session's history log has been read up to (later changes to it come as
    /// events, and only what they append is read).
    histories: HashMap<String, assignment::HistoryCursor>,
    /// Agent sessions.
    agents: agents::Sessions,
    /// The file watcher (or poller).
    watch: Watch,
    /// Where the watcher reports to (a watch that cannot be added is reported there too).
    tx: Sender<Msg>,
    /// The repo directories and NTM sessions seen so far (the runs are in `tails`).
    known: Known,
    /// True once `ready` is printed: from then on a directory first seen is watched before it
    /// is read (see [`Watch::cover`]).
    ready: bool,
    /// How many runs and NTM sessions the last full look found.
    listed: (usize, usize),
    /// The runs looked at since the last events were sent (for [`Sink::runs`]), and whether
    /// a full look (every run) was among them.
    looked: (Vec<Arc<RunSummary>>, bool),
}

/// What the stream has seen, to tell a directory that just appeared.
#[derive(Default)]
struct Known {
    repos: HashSet<PathBuf>,
    sessions: HashSet<String>,
}

/// Where the stream's events go: printed lines for `beadboard watch`, frames for a host's
/// channel (`beadboard serve --stdio`).
pub(crate) trait Sink {
    /// Events (the starting state before [`Sink::ready`], changes after).
    fn events(&mut self, events: &[Event]) -> Result<(), CliError>;
    /// Every watch is in place and the starting state is read.
    fn ready(&mut self, ready: &Ready) -> Result<(), CliError>;
    /// The runs looked at since the last [`Sink::events`] (every run listed when `complete`),
    /// told just before it: a sink that says more of a run than its state changes (a host's
    /// channel: the facts its row shows) takes them here.
    fn runs(&mut self, _runs: Vec<Arc<RunSummary>>, _complete: bool) {}
    /// A change on disk the stream took (after its events): a host's channel follows
    /// transcripts by them.
    fn changed(&mut self, _change: &Change) -> Result<(), CliError> {
        Ok(())
    }
}

impl Stream {
    fn emit(&mut self, sink: &mut dyn Sink, events: &[Event]) -> Result<(), CliError> {
        let (runs, complete) = std::mem::take(&mut self.looked);
        sink.runs(runs, complete);
        if self.options.no_entries {
            let kept: Vec<Event> = events
                .iter()
                .filter(|e| !matches!(e, Event::Entry { .. }))
                .cloned()
                .collect();
            return sink.events(&kept);
        }
        sink.events(events)
    }

    /// Says that every watch is in place and the starting state is read: whatever changes
    /// from now on is reported.
    fn ready(&mut self, sink: &mut dyn Sink) -> Result<(), CliError> {
        self.ready = true;
        sink.ready(&Ready {
            at: crate::clock::now(),
            runs: self.listed.0,
            sessions: self.listed.1,
            polling: self.watch.polling.clone(),
        })
    }

    fn rescan(&mut self, now: DateTime<Utc>) -> Vec<Event> {
        let paths = Paths::new(&self.roots.agentpair);
        self.cover_new_repos(&paths);
        let report = scan_runs(&paths);
        for p in &report.problems {
            errln!("beadboard: skipped {p}");
        }
        let mut all: Vec<Arc<RunSummary>> = report.runs.iter().map(ToSummary::to_shared).collect();
        all.extend(self.agents.rescan(now));
        let mut events = self.observer.runs(&all, now);
        self.looked.0.extend(all.iter().cloned());
        self.looked.1 = true;
        for r in &report.runs {
            if self.tails.see(&r.dir, None) && self.ready {
                // Read again once watched: what it wrote before the watch was added.
                self.cover(&r.dir);
                events.extend(self.run(&r.dir, true, now));
            }
        }
        let sessions = list_sessions(&self.roots.ntm);
        self.listed = (all.len(), sessions.len());
        for session in sessions {
            if self.known.sessions.insert(session.name.clone()) && self.ready {
                self.cover(&assignment::storage_dir_in(&self.roots.ntm).join(&session.name));
            }
            events.extend(self.store(&session.name, now));
        }
        events
    }

    /// Watches repo directories that appeared since the last look, before their runs are
    /// listed (a run made in one before notify watched it would raise no event).
    fn cover_new_repos(&mut self, paths: &Paths) {
        let Ok(dir) = std::fs::read_dir(paths.runs_dir()) else {
            return;
        };
        for repo in dir.flatten() {
            let path = repo.path();
            if repo.file_type().is_ok_and(|t| t.is_dir())
                && self.known.repos.insert(path.clone())
                && self.ready
            {
                self.cover(&path);
            }
        }
    }

    /// Watches a directory that just appeared, now (see [`Watch::cover`]); a watch that cannot
    /// be added (a watch limit) turns the stream to polling.
    fn cover(&mut self, dir: &Path) {
        if let Err(why) = self.watch.cover(dir) {
            let _ = self.tx.send(Msg::WatchFailed(why));
        }
    }

    fn store(&mut self, session: &str, now: DateTime<Utc>) -> Vec<Event> {
        match AssignmentStore::load_store(&self.roots.ntm, session) {
            Ok(store) => {
                // The history first, so that a retried bead is not flagged for one event.
                let mut events = Vec::new();
                if !self.histories.contains_key(session) {
                    events = self.history(session, now);
                }
                events.extend(self.observer.store(session, &store.list(), now));
                events
            }
            Err(_) if !self.roots.ntm.join("sessions").join(session).exists() => {
                self.observer.store(session, &[], now)
            }
            Err(e) => {
                errln!("beadboard: {e}");
                Vec::new()
            }
        }
    }

    /// Reads a session's history log: a retried bead's wait counts from the retry.
    fn history(&mut self, session: &str, now: DateTime<Utc>) -> Vec<Event> {
        let path = assignment::storage_dir_in(&self.roots.ntm)
            .join(session)
            .join(assignment::HISTORY_FILE);
        let cursor = self.histories.get(session).copied().unwrap_or_default();
        match assignment::read_history_since(&path, cursor) {
            Ok(tail) => {
                self.histories.insert(session.to_owned(), tail.cursor);
                self.observer.history_read(session, &tail, now)
            }
            Err(e) => {
                errln!("beadboard: {}: {e}", path.display());
                Vec::new()
            }
        }
    }

    fn run(&mut self, dir: &Path, entries: bool, now: DateTime<Utc>) -> Vec<Event> {
        let mut events = Vec::new();
        let record = RunRecord::load(dir).ok();
        if entries && let Some(r) = &record {
            let name = naming::name(r);
            for e in self.tails.read(dir) {
                events.extend(entry_event(e, r, &name, now));
            }
        }
        match record {
            Some(r) => {
                self.looked.0.push(r.to_shared());
                events.extend(self.observer.run(dir, Some(&r), now));
                if r.manifest.is_complete() {
                    // Its end and its entries so far are reported: its reader is let go.
                    self.tails.finished(dir);
                }
            }
            None if !dir.join(crate::persist::run::MANIFEST_FILE).exists() => {
                // Gone (or not a run yet): watched again if it comes back.
                self.tails.forget(dir);
                events.extend(self.observer.run::<RunRecord>(dir, None, now));
            }
            // Caught mid-write: the next change reads it again.
            None => {}
        }
        events
    }

    fn change(&mut self, change: Change, now: DateTime<Utc>) -> Vec<Event> {
        match change {
            Change::Runs | Change::Roots | Change::Sessions => self.rescan(now),
            Change::Run(dir) | Change::RunActivity(dir) | Change::Transcript(dir)
                if self.tails.see(&dir, None) =>
            {
                // A run directory that just appeared: watched first, then read in full.
                self.cover(&dir);
                self.run(&dir, true, now)
            }
            Change::Run(dir) | Change::RunActivity(dir) => self.run(&dir, false, now),
            Change::Transcript(dir) => self.run(&dir, true, now),
            Change::Store(session) => self.store(&session, now),
            Change::History(session) => self.history(&session, now),
            // Sub-agents are not runs of their own; the headless watch reports their parents.
            Change::Beads | Change::Subagent(_) => Vec::new(),
            // Not listed: a new session, read on its own (nothing else is listed again), with
            // what it wrote so far; a file that cannot be told lists them all.
            Change::Agent(path) if !self.agents.is_listed(&path) => {
                match self.agents.load_new(&path, now) {
                    NewFile::Session(run) => {
                        let mut events = self.agents.entries(&path, now);
                        events.extend(self.observer.run(&run.dir, Some(&run), now));
                        events
                    }
                    NewFile::NotSession => Vec::new(),
                    NewFile::Unknown => {
                        let mut events = self.rescan(now);
                        events.extend(self.agents.entries(&path, now));
                        events
                    }
                }
            }
            Change::Agent(path) => match self.agents.reload(&path, now) {
                Some(run) => {
                    self.looked.0.push(Arc::clone(&run));
                    let mut events = self.agents.entries(&path, now);
                    events.extend(self.observer.run(&run.dir, Some(&run), now));
                    events
                }
                // Gone (moved, perhaps) or unreadable: every session is listed again.
                None => {
                    let mut events = self.rescan(now);
                    events.extend(self.agents.entries(&path, now));
                    events
                }
            },
            Change::AgentDirs | Change::AgentLive => self.rescan(now),
        }
    }
}

fn entry_event(e: TailEvent, r: &RunRecord, name: &str, at: DateTime<Utc>) -> Option<Event> {
    let (entry, problem) = match e {
        TailEvent::Entry { entry, .. } => (entry.to_value(), None),
        TailEvent::Malformed { line, problem, .. } => (
            serde_json::Value::Null,
            Some(format!("line {line}: {problem}")),
        ),
        TailEvent::Reset => return None,
    };
    Some(Event::Entry {
        at,
        kind: crate::events::ItemKind::Run,
        run: naming::reference(r),
        name: name.to_owned(),
        reference: naming::reference(r),
        entry,
        problem,
    })
}

/// Streams events until interrupted, or until stdout's reader goes away (noticed at once, even
/// with nothing to write). Once every watch is in place and the starting state is read, a
/// `ready` event says so: nothing that changes after it is missed.
///
/// # Errors
/// Only when nothing can be watched at all; a reader gone away ends the stream quietly
/// ([`CliError::closed`]).
pub fn watch(
    out: &mut Out,
    roots: &Roots,
    limits: Thresholds,
    options: WatchOptions,
) -> Result<(), CliError> {
    let (tx, rx) = mpsc::channel::<Msg>();
    let gone = tx.clone();
    on_reader_gone(move || {
        let _ = gone.send(Msg::Stop("stdout's reader went away".to_owned()));
    });
    let mut printed = Printed {
        out,
        json: options.json,
    };
    stream(&mut printed, roots, limits, options, (tx, rx))
}

/// The stream itself, into `sink`, until a [`Msg::Stop`] arrives on `channel` (whose sender
/// the caller may clone to stop it) or the sink fails.
pub(crate) fn stream(
    sink: &mut dyn Sink,
    roots: &Roots,
    limits: Thresholds,
    options: WatchOptions,
    channel: (Sender<Msg>, mpsc::Receiver<Msg>),
) -> Result<(), CliError> {
    let (tx, rx) = channel;
    let force = options.poll.then(|| "requested".to_owned());
    // A session file made from here on is news from its first line. (A second earlier: file
    // times come from a coarser clock; an early one is reported, never one missed.)
    let now = std::time::SystemTime::now();
    let started = now.checked_sub(Duration::from_secs(1)).unwrap_or(now);
    // Watching first, then reading: a change made while the state is read raises an event.
    let watch = Watch::start(roots, &tx, force);
    if let Some(why) = &watch.polling {
        errln!(
            "beadboard: polling every {} s ({why})",
            crate::app::watch::POLL_INTERVAL.as_secs()
        );
    }
    let report = scan_runs(&Paths::new(&roots.agentpair));
    let mut tails = Tails::default();
    for r in &report.runs {
        tails.see(&r.dir, Some(r.activity.transcript_len.unwrap_or(0)));
    }
    drop(report);
    let mut stream = Stream {
        options,
        roots: roots.clone(),
        observer: Observer::new(limits),
        tails,
        histories: HashMap::new(),
        agents: agents::Sessions::new(&roots.agents, limits.stale_after),
        watch,
        tx,
        known: Known::default(),
        ready: false,
        listed: (0, 0),
        looked: (Vec::new(), false),
    };
    let at = crate::clock::now();
    let mut first = stream.rescan(at);
    if options.snapshot {
        first.extend(snapshot::unsaid_runs(&first, &stream.looked.0, at));
        stream.emit(sink, &first)?;
    }
    stream.observer.settle();
    stream.agents.new_since(started);
    stream.ready(sink)?;
    loop {
        let timeout = stream
            .observer
            .next_change()
            .map_or(Duration::from_secs(3600), |t| {
                t.signed_duration_since(crate::clock::now())
                    .to_std()
                    .unwrap_or_default()
            });
        let first = match rx.recv_timeout(timeout) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        let now = crate::clock::now();
        let mut events = Vec::new();
        for run in stream.agents.redecide(now) {
            events.extend(stream.observer.run(&run.dir, Some(&run), now));
            stream.looked.0.push(run);
        }
        events.extend(stream.observer.tick(now));
        let mut seen = HashSet::new();
        for msg in first.into_iter().chain(rx.try_iter()) {
            match msg {
                Msg::Disk(change) if seen.insert(change.clone()) => {
                    if matches!(change, Change::Roots | Change::AgentDirs) {
                        let _ = stream.watch.attach();
                    }
                    events.extend(stream.change(change, now));
                }
                Msg::Stop(_) => return Err(CliError::closed()),
                Msg::WatchFailed(why) if stream.watch.polling.is_none() => {
                    errln!("beadboard: file events failed ({why}); polling instead");
                    stream.watch = Watch::start(roots, &stream.tx, Some(why));
                    // What changed before the poller's first look is read now.
                    events.extend(stream.rescan(now));
                }
                _ => {}
            }
        }
        stream.emit(sink, &events)?;
        for change in &seen {
            sink.changed(change)?;
        }
    }
}
