//! Agent sessions in `beadboard watch`: listed with the runs, read again when their file
//! changes (from where their summary stopped), and their new entries turned into entry events
//! like an agentpair transcript's (each with the session's name and id). A session made after
//! the stream is ready is read from its start; one that was there before, from where its file
//! ended when it was first seen. A session's state
//! that the clock alone changes is decided again when the observer's next change comes.

use crate::app::model::transcript::{Format, LineContent, LineTail};
use crate::app::work::agents::{self, Judge};
use crate::app::work::tail;
use crate::cli::output::errln;
use crate::events::Event;
use crate::persist::run::{RunKind, RunSummary};
use crate::persist::session::{SessionFile, SessionRoots, SessionSource, Summarizer};
use crate::present::naming;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// What the stream keeps of the agent sessions.
#[derive(Default)]
pub struct Sessions {
    roots: SessionRoots,
    quiet: Duration,
    /// Every session listed, by key.
    runs: HashMap<PathBuf, Arc<RunSummary>>,
    /// Summarisers of unfinished sessions.
    summarizers: HashMap<PathBuf, Summarizer>,
    /// Where each session's entries have been read up to (by its file).
    tails: HashMap<PathBuf, LineTail>,
    /// Once the stream is ready: a session file made after this is read from its start (all
    /// of it is news), any other from where it ends when first seen.
    new_since: Option<SystemTime>,
}

impl Sessions {
    /// Sessions under `roots`, decided with `quiet` as the threshold (nothing listed yet).
    #[must_use]
    pub fn new(roots: &SessionRoots, quiet: Duration) -> Sessions {
        Sessions {
            roots: roots.clone(),
            quiet,
            ..Sessions::default()
        }
    }

    /// From now on, a session whose file was made at or after `since` is followed from its
    /// start when first seen.
    pub fn new_since(&mut self, since: SystemTime) {
        self.new_since = Some(since);
    }

    fn judge(&self, now: DateTime<Utc>) -> Judge {
        Judge {
            quiet: self.quiet,
            now,
        }
    }

    /// Lists every session again; returns them all (for the observer's look at every run).
    /// A session's entries are followed from where its file ends when it is first seen.
    pub fn rescan(&mut self, now: DateTime<Utc>) -> Vec<Arc<RunSummary>> {
        let previous = std::mem::take(&mut self.summarizers);
        let cache = crate::config::cache_dir();
        let found = agents::scan(
            &self.roots,
            &self.runs,
            previous,
            &self.judge(now),
            cache.as_deref(),
        );
        for (path, why) in &found.problems {
            errln!("beadboard: skipped {}: {why}", path.display());
        }
        self.summarizers.extend(found.summarizers);
        self.runs = found
            .runs
            .iter()
            .map(|r| (r.dir.clone(), Arc::clone(r)))
            .collect();
        for r in &found.runs {
            if let Some((agent, SessionSource::Lines(path))) =
                r.session().map(|s| (s.agent(), &s.summary.source))
            {
                let made_since = |since: SystemTime| {
                    std::fs::metadata(path)
                        .and_then(|m| m.created())
                        .is_ok_and(|made| made >= since)
                };
                let from_start = self.new_since.is_some_and(made_since);
                self.tails.entry(path.clone()).or_insert_with(|| LineTail {
                    path: path.clone(),
                    agent,
                    offset: if from_start { 0 } else { file_end(path) },
                    lines: 0,
                    identity: None,
                });
            }
        }
        found.runs
    }

    /// The session whose file is `path`, read again (`None`: not listed; list them again).
    pub fn reload(&mut self, path: &Path, now: DateTime<Utc>) -> Option<Arc<RunSummary>> {
        let key = SessionSource::Lines(path.to_path_buf()).key();
        let run = self.runs.get(&key)?;
        let s = run.session()?;
        let file = SessionFile {
            agent: s.agent(),
            source: s.summary.source.clone(),
            id_hint: Some(s.summary.id.clone()),
            stamp: None,
        };
        let previous = self.summarizers.remove(&key);
        let crate::app::outcome::Outcome::AgentLoaded { read, .. } =
            agents::load(&self.roots, &file, previous, &self.judge(now))
        else {
            return None;
        };
        match read {
            crate::app::outcome::AgentRead::Loaded(run, summarizer) => {
                if let Some(s) = summarizer.filter(|_| !run.is_complete()) {
                    self.summarizers.insert(key.clone(), *s);
                }
                self.runs.insert(key, Arc::clone(&run));
                Some(run)
            }
            crate::app::outcome::AgentRead::Gone
            | crate::app::outcome::AgentRead::Failed(_)
            | crate::app::outcome::AgentRead::NotSession => None,
        }
    }

    /// The new entries of the session whose file is `path`, as entry events.
    pub fn entries(&mut self, path: &Path, at: DateTime<Utc>) -> Vec<Event> {
        let key = SessionSource::Lines(path.to_path_buf()).key();
        let Some(run) = self.runs.get(&key) else {
            return Vec::new();
        };
        let Some(tail) = self.tails.get_mut(path) else {
            return Vec::new();
        };
        let (name, reference) = (naming::name(&**run), naming::reference(&**run));
        let run_value = crate::cli::json::EntryRun {
            name: name.clone(),
            reference: reference.clone(),
        };
        let mut events = Vec::new();
        let agent = tail.agent;
        let _ = tail::poll_lines_each(tail, |mut lines| {
            crate::app::work::transcript::link(path, Format::Session(agent), &mut lines);
            for l in &mut lines {
                // Followed from where the file ended when first seen: lines are not counted.
                l.number = None;
                let place = l.place();
                let (entry, problem) = match &l.content {
                    LineContent::Session(e) => {
                        (super::super::transcript::entry_json(e, &run_value), None)
                    }
                    LineContent::Unreadable { problem, .. } => {
                        (serde_json::Value::Null, Some(format!("{place}: {problem}")))
                    }
                    LineContent::Entry(_) => continue,
                };
                events.push(Event::Entry {
                    at,
                    kind: crate::events::ItemKind::Run,
                    run: reference.clone(),
                    name: name.clone(),
                    reference: reference.clone(),
                    entry,
                    problem,
                });
            }
        });
        events
    }

    /// Decides again the sessions whose state the clock has changed by `now`; returns them.
    pub fn redecide(&mut self, now: DateTime<Utc>) -> Vec<Arc<RunSummary>> {
        let mut changed = Vec::new();
        for run in self.runs.values_mut() {
            if run
                .session()
                .is_some_and(|s| s.changes_at().is_some_and(|t| t <= now))
            {
                let updated = Arc::make_mut(run);
                if let RunKind::Session(s) = &mut updated.kind {
                    s.decide(now);
                }
                changed.push(Arc::clone(run));
            }
        }
        changed
    }
}

/// Where the complete lines of `path` end now (0 when it cannot be read).
fn file_end(path: &Path) -> u64 {
    std::fs::File::open(path)
        .and_then(|f| {
            let len = f.metadata()?.len();
            crate::persist::run::lines::complete_end(&f, len)
        })
        .unwrap_or(0)
}
