//! `beadboard watch`: the dashboard's event stream without the dashboard. The same watcher
//! (file events, or polling) and the same [`Observer`] turn changes on disk into run state
//! changes, new transcript entries, bead transitions and attention changes, printed as they
//! happen: one JSON object per line with `--json`, else one readable line each.

mod agents;

use super::CliError;
use super::output::print_json_line;
use crate::app::event::{Change, Msg};
use crate::app::watch::Watch;
use crate::config::Roots;
use crate::events::{Event, Observer};
use crate::persist::assignment::{self, AssignmentStore, list_sessions};
use crate::persist::run::{
    Paths, RunRecord, TRANSCRIPT_FILE, TailEvent, ToSummary, TranscriptTail, lines, scan_runs,
};
use crate::present::attention::{Level, Thresholds};
use crate::present::{naming, sanitize, summary, time};
use chrono::{Offset as _, Utc};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
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

/// Where each run's transcript has been read up to.
struct Tails {
    tails: HashMap<PathBuf, TranscriptTail>,
    /// Transcript sizes at start, for runs whose tail is not made yet.
    start: HashMap<PathBuf, u64>,
}

impl Tails {
    fn new(runs: &[RunRecord]) -> Tails {
        let start = runs
            .iter()
            .map(|r| (r.dir.clone(), r.activity.transcript_len.unwrap_or(0)))
            .collect();
        Tails {
            tails: HashMap::new(),
            start,
        }
    }

    /// New entries of the run in `dir` since the last look (from where the file ended at
    /// start, for a run seen then; from the beginning for a new run).
    fn read(&mut self, dir: &Path) -> Vec<TailEvent> {
        let path = dir.join(TRANSCRIPT_FILE);
        let tail = self.tails.entry(dir.to_path_buf()).or_insert_with(|| {
            let at = self.start.get(dir).copied().unwrap_or(0);
            let end = std::fs::File::open(&path)
                .and_then(|f| lines::complete_end(&f, at))
                .unwrap_or(0);
            TranscriptTail::starting_at(&path, end, 0)
        });
        let events = tail.poll().unwrap_or_default();
        if matches!(events.as_slice(), [TailEvent::Reset]) {
            // Truncated or replaced: read the new content from its start.
            return tail.poll().unwrap_or_default();
        }
        events
    }
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
}

impl Stream {
    fn emit(&self, events: &[Event]) -> std::io::Result<()> {
        for event in events {
            if self.options.no_entries && matches!(event, Event::Entry { .. }) {
                continue;
            }
            if self.options.json {
                let value = serde_json::to_value(event).map_err(std::io::Error::other)?;
                print_json_line(&value)?;
            } else {
                let mut out = std::io::stdout().lock();
                writeln!(out, "{}", describe(event))?;
                out.flush()?;
            }
        }
        Ok(())
    }

    fn rescan(&mut self, now: chrono::DateTime<Utc>) -> Vec<Event> {
        let report = scan_runs(&Paths::new(&self.roots.agentpair));
        for p in &report.problems {
            eprintln!("beadboard: skipped {p}");
        }
        let mut all: Vec<std::sync::Arc<crate::persist::run::RunSummary>> =
            report.runs.iter().map(ToSummary::to_shared).collect();
        all.extend(self.agents.rescan(now));
        let mut events = self.observer.runs(&all, now);
        for session in list_sessions(&self.roots.ntm) {
            events.extend(self.store(&session.name, now));
        }
        events
    }

    fn store(&mut self, session: &str, now: chrono::DateTime<Utc>) -> Vec<Event> {
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
                eprintln!("beadboard: {e}");
                Vec::new()
            }
        }
    }

    /// Reads a session's history log: a retried bead's wait counts from the retry.
    fn history(&mut self, session: &str, now: chrono::DateTime<Utc>) -> Vec<Event> {
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
                eprintln!("beadboard: {}: {e}", path.display());
                Vec::new()
            }
        }
    }

    fn run(&mut self, dir: &Path, entries: bool, now: chrono::DateTime<Utc>) -> Vec<Event> {
        let mut events = Vec::new();
        let record = RunRecord::load(dir).ok();
        if entries && let Some(r) = &record {
            let name = naming::name(r);
            for e in self.tails.read(dir) {
                events.extend(entry_event(e, r, &name, now));
            }
        }
        match record {
            Some(r) => events.extend(self.observer.run(dir, Some(&r), now)),
            None if !dir.join(crate::persist::run::MANIFEST_FILE).exists() => {
                events.extend(self.observer.run::<RunRecord>(dir, None, now));
            }
            // Caught mid-write: the next change reads it again.
            None => {}
        }
        events
    }

    fn change(&mut self, change: Change, now: chrono::DateTime<Utc>) -> Vec<Event> {
        match change {
            Change::Runs | Change::Roots | Change::Sessions => self.rescan(now),
            Change::Run(dir) | Change::RunActivity(dir) => self.run(&dir, false, now),
            Change::Transcript(dir) => self.run(&dir, true, now),
            Change::Store(session) => self.store(&session, now),
            Change::History(session) => self.history(&session, now),
            Change::Beads => Vec::new(),
            Change::Agent(path) => match self.agents.reload(&path, now) {
                Some(run) => {
                    let mut events = self.agents.entries(&path, now);
                    events.extend(self.observer.run(&run.dir, Some(&run), now));
                    events
                }
                // Not listed: a new session (or a moved one).
                None => self.rescan(now),
            },
            Change::AgentDirs | Change::AgentLive => self.rescan(now),
        }
    }
}

fn entry_event(
    e: TailEvent,
    r: &RunRecord,
    name: &str,
    at: chrono::DateTime<Utc>,
) -> Option<Event> {
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
        run: naming::reference(r),
        name: name.to_owned(),
        reference: naming::reference(r),
        entry,
        problem,
    })
}

/// One readable line for an event.
#[must_use]
pub fn describe(event: &Event) -> String {
    let offset = chrono::Local::now().offset().fix();
    let clock = |at: &chrono::DateTime<Utc>| time::clock(*at, offset);
    match event {
        Event::Run {
            at, name, from, to, ..
        } => match (from, to) {
            (None, Some(to)) => format!("{}  run {name}: new, {to}", clock(at)),
            (Some(from), Some(to)) => format!("{}  run {name}: {from} → {to}", clock(at)),
            (_, None) => format!("{}  run {name}: gone", clock(at)),
        },
        Event::Entry {
            at,
            name,
            entry,
            problem,
            ..
        } => match problem {
            Some(p) => format!("{}  {name}: ⚠ unreadable {p}", clock(at)),
            // An agent session's entry.
            None if entry.get("kind").is_some() => {
                let word = |k: &str| entry.get(k).and_then(|v| v.as_str()).unwrap_or_default();
                let glyph = session_kind(word("kind"))
                    .map_or("·", |k| crate::present::glyphs::entry_kind(&k));
                format!(
                    "{}  {name}: {glyph} {} {} {}",
                    clock(at),
                    sanitize::one_line(word("kind")),
                    sanitize::one_line(word("actor")),
                    sanitize::one_line(word("text"))
                )
            }
            None => {
                let parsed = crate::persist::run::TranscriptEntry::from_value(entry.clone());
                match parsed {
                    Ok(e) => {
                        let s = summary::summarize(&e);
                        let agent = sanitize::one_line(&e.agent);
                        format!(
                            "{}  {name}: {} {} {agent} {}",
                            clock(at),
                            s.glyph,
                            s.label,
                            s.headline
                        )
                    }
                    Err(_) => format!("{}  {name}: entry", clock(at)),
                }
            }
        },
        Event::Bead {
            at,
            session,
            bead,
            from,
            to,
            ..
        } => {
            let bead = sanitize::one_line(bead);
            match (from, to) {
                (None, Some(to)) => format!("{}  bead {session}/{bead}: new, {to}", clock(at)),
                (Some(from), Some(to)) => {
                    format!("{}  bead {session}/{bead}: {from} → {to}", clock(at))
                }
                (_, None) => format!("{}  bead {session}/{bead}: removed", clock(at)),
            }
        }
        Event::Attention {
            at,
            kind,
            name,
            level,
            reason,
            ..
        } => {
            let mark = match level {
                Level::Attention => "⚑ needs attention",
                Level::Finished => "✓ finished",
                Level::Fine => "· fine again",
            };
            format!(
                "{}  {mark}: {kind} {}: {reason}",
                clock(at),
                sanitize::one_line(name)
            )
        }
    }
}

/// The entry kind a word names.
fn session_kind(word: &str) -> Option<crate::persist::session::EntryKind> {
    use crate::persist::session::EntryKind as K;
    [
        K::Prompt,
        K::Response,
        K::Thinking,
        K::ToolCall,
        K::ToolResult,
        K::Error,
        K::Compaction,
        K::Subagent,
        K::State,
        K::Signal,
    ]
    .into_iter()
    .find(|k| k.as_str() == word)
}

/// Streams events until interrupted (or until stdout is closed).
///
/// # Errors
/// Only when nothing can be watched at all; a closed stdout ends the stream quietly.
pub fn watch(roots: &Roots, limits: Thresholds, options: WatchOptions) -> Result<(), CliError> {
    let (tx, rx) = mpsc::channel::<Msg>();
    let force = options.poll.then(|| "requested".to_owned());
    let mut watch = Watch::start(roots, &tx, force);
    if let Some(why) = &watch.polling {
        eprintln!(
            "beadboard: polling every {} s ({why})",
            crate::app::watch::POLL_INTERVAL.as_secs()
        );
    }
    let report = scan_runs(&Paths::new(&roots.agentpair));
    let mut stream = Stream {
        options,
        roots: roots.clone(),
        observer: Observer::new(limits),
        tails: Tails::new(&report.runs),
        histories: HashMap::new(),
        agents: agents::Sessions::new(&roots.agents, limits.stale_after),
    };
    let first = stream.rescan(Utc::now());
    if options.snapshot && stream.emit(&first).is_err() {
        return Ok(());
    }
    stream.observer.settle();
    loop {
        let timeout = stream
            .observer
            .next_change()
            .map_or(Duration::from_secs(3600), |t| {
                t.signed_duration_since(Utc::now())
                    .to_std()
                    .unwrap_or_default()
            });
        let first = match rx.recv_timeout(timeout) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        let now = Utc::now();
        let mut events = Vec::new();
        for run in stream.agents.redecide(now) {
            events.extend(stream.observer.run(&run.dir, Some(&run), now));
        }
        events.extend(stream.observer.tick(now));
        let mut seen = std::collections::HashSet::new();
        for msg in first.into_iter().chain(rx.try_iter()) {
            match msg {
                Msg::Disk(change) if seen.insert(change.clone()) => {
                    if matches!(change, Change::Roots | Change::AgentDirs) {
                        let _ = watch.attach();
                    }
                    events.extend(stream.change(change, now));
                }
                Msg::WatchFailed(why) if watch.polling.is_none() => {
                    eprintln!("beadboard: file events failed ({why}); polling instead");
                    watch = Watch::start(roots, &tx, Some(why));
                }
                _ => {}
            }
        }
        if stream.emit(&events).is_err() {
            return Ok(());
        }
    }
}
