//! Agent sessions in `beadboard watch`: listed with the runs, read again when their file
//! changes (from where their summary stopped), and their new entries turned into entry events
//! like an agentpair transcript's (each with the session's name and id). A session made after
//! the stream is ready is read from its start; one that was there before, from where its file
//! ended when it was first seen. A session's state
//! that the clock alone changes is decided again when the observer's next change comes.

use crate::app::model::transcript::{Format, LineContent, LineTail};
use crate::app::outcome::{AgentRead, Outcome};
use crate::app::work::agents::{self, Judge, Resumes, rejoin};
use crate::app::work::tail;
use crate::cli::output::errln;
use crate::events::Event;
use crate::persist::run::{RunKind, RunSummary};
use crate::persist::session::{SessionFile, SessionRoots, SessionSource};
use crate::present::naming;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// What a file not listed turned out to be.
#[derive(Debug)]
pub enum NewFile {
    /// A top-level session, now listed.
    Session(Arc<RunSummary>),
    /// No session of its own (a sub-agent's rollout, another file), or gone already.
    NotSession,
    /// It could not be read: every session is listed again, as before.
    Unknown,
}

/// What the stream keeps of the agent sessions.
#[derive(Default)]
pub struct Sessions {
    roots: SessionRoots,
    quiet: Duration,
    /// Every session listed, by key.
    runs: HashMap<PathBuf, Arc<RunSummary>>,
    /// Where the reading of each unfinished session stopped (its summary is its run's).
    resumes: Resumes,
    /// The sessions whose state the clock can still change (see [`Sessions::redecide`]):
    /// the recent ones, never the history.
    restless: HashSet<PathBuf>,
    /// Files found to be no session of their own: their changes ask for nothing again (until
    /// a rescan, which lists what is a session).
    not_sessions: HashSet<PathBuf>,
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
        let previous = std::mem::take(&mut self.resumes);
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
        self.resumes.extend(found.summarizers);
        self.runs.clear();
        self.restless.clear();
        self.not_sessions.clear();
        for r in &found.runs {
            self.list(Arc::clone(r));
        }
        found.runs
    }

    /// Lists one session (new, or read again), and follows its entries from where its file
    /// ends when first seen (from its start when made since the stream was ready).
    fn list(&mut self, r: Arc<RunSummary>) {
        if r.session().is_some_and(|s| s.changes_at().is_some()) {
            self.restless.insert(r.dir.clone());
        } else {
            self.restless.remove(&r.dir);
            self.resumes.remove(&r.dir);
        }
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
        self.runs.insert(r.dir.clone(), r);
    }

    /// A file not listed, read on its own (a new session's, as a rule): found from its path
    /// alone, as a listing would, and nothing else is listed.
    pub fn load_new(&mut self, path: &Path, now: DateTime<Utc>) -> NewFile {
        let key = SessionSource::Lines(path.to_path_buf()).key();
        if self.not_sessions.contains(&key) {
            return NewFile::NotSession;
        }
        let Outcome::AgentLoaded { read, .. } =
            agents::load_new(&self.roots, path, &self.judge(now))
        else {
            return NewFile::Unknown;
        };
        match read {
            AgentRead::Loaded(run, resume) => {
                if let Some(r) = resume.filter(|_| !run.is_complete()) {
                    self.resumes.insert(run.dir.clone(), r);
                }
                self.list(Arc::clone(&run));
                NewFile::Session(run)
            }
            AgentRead::NotSession => {
                self.not_sessions.insert(key);
                NewFile::NotSession
            }
            AgentRead::Gone => NewFile::NotSession,
            AgentRead::Failed(_) => NewFile::Unknown,
        }
    }

    /// The session whose file is `path`, read again (`None`: not listed, or not read).
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
        let previous = self.resumes.remove(&key).and_then(|r| rejoin(run, r));
        let Outcome::AgentLoaded { read, .. } =
            agents::load(&self.roots, &file, previous, &self.judge(now))
        else {
            return None;
        };
        match read {
            AgentRead::Loaded(run, resume) => {
                if let Some(r) = resume.filter(|_| !run.is_complete()) {
                    self.resumes.insert(key, r);
                }
                self.list(Arc::clone(&run));
                Some(run)
            }
            AgentRead::Gone | AgentRead::Failed(_) | AgentRead::NotSession => None,
        }
    }

    /// Whether the session whose file is `path` is listed.
    #[must_use]
    pub fn is_listed(&self, path: &Path) -> bool {
        let key = SessionSource::Lines(path.to_path_buf()).key();
        self.runs.contains_key(&key)
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
    /// Only the restless sessions are looked at, never the history; a session the clock can
    /// change no more leaves them, and lets go of where its reading stopped.
    pub fn redecide(&mut self, now: DateTime<Utc>) -> Vec<Arc<RunSummary>> {
        let mut changed = Vec::new();
        let mut settled = Vec::new();
        for key in &self.restless {
            let Some(run) = self.runs.get_mut(key) else {
                settled.push(key.clone());
                continue;
            };
            let due = run.session().map(|s| s.changes_at().map(|t| t <= now));
            match due {
                Some(Some(true)) => {
                    let updated = Arc::make_mut(run);
                    if let RunKind::Session(s) = &mut updated.kind {
                        s.decide(now);
                    }
                    changed.push(Arc::clone(run));
                }
                Some(Some(false)) => {}
                Some(None) | None => settled.push(key.clone()),
            }
        }
        for r in &changed {
            if r.session().is_none_or(|s| s.changes_at().is_none()) {
                settled.push(r.dir.clone());
            }
        }
        for key in settled {
            self.restless.remove(&key);
            if self.runs.get(&key).is_none_or(|r| r.is_complete()) {
                self.resumes.remove(&key);
            }
        }
        changed
    }

    /// How many sessions are listed, restless, and keep where their reading stopped.
    #[cfg(test)]
    pub(crate) fn kept(&self) -> (usize, usize, usize) {
        (self.runs.len(), self.restless.len(), self.resumes.len())
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use chrono::TimeZone;

    /// A session read on its own keeps where its reading stopped and is restless while the
    /// clock can still finish it; once finished by the clock it keeps neither, so what the
    /// stream keeps beside each listed session does not grow with the history.
    #[test]
    fn a_session_finished_by_the_clock_keeps_nothing_beside_its_run() {
        let dir = tempfile::tempdir().unwrap();
        let claude = dir.path().join("claude");
        let project = claude.join("projects/-home-dev-api");
        std::fs::create_dir_all(&project).unwrap();
        let id = "5e55105e-0000-4000-8000-000000000002";
        let path = project.join(format!("{id}.jsonl"));
        std::fs::write(
            &path,
            format!(
                r#"{{"cwd":"/home/dev/api","sessionId":"{id}","type":"user","message":{{"role":"user","content":"add a health check"}},"uuid":"u1","timestamp":"2026-11-22T16:20:00.000Z"}}"#
            ) + "\n",
        )
        .unwrap();
        let written = Utc.with_ymd_and_hms(2026, 11, 22, 16, 20, 0).unwrap();
        let f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.set_modified(SystemTime::from(written)).unwrap();
        let roots = SessionRoots {
            claude: vec![claude],
            ..SessionRoots::default()
        };
        let mut sessions = Sessions::new(&roots, Duration::from_secs(600));
        let now = written + chrono::Duration::minutes(1);
        assert!(matches!(sessions.load_new(&path, now), NewFile::Session(_)));
        assert_eq!(sessions.kept(), (1, 1, 1));
        assert!(sessions.redecide(now).is_empty(), "nothing due yet");
        let later = written + chrono::Duration::minutes(30);
        let changed = sessions.redecide(later);
        assert_eq!(changed.len(), 1);
        assert!(changed[0].is_complete());
        assert_eq!(sessions.kept(), (1, 0, 0));
        assert!(sessions.redecide(later).is_empty());
    }
}
