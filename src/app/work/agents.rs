//! The runs worker's reads of agent sessions: listing every session under the session roots
//! and summarising the ones that changed (a session whose file has the identity it had when
//! last summarised is kept as it was), reading one session again after its file changed, and
//! asking the live registries which sessions' processes are alive. Each session's state is
//! decided as of the moment read.

use super::formats;
use crate::app::outcome::{AgentRead, AgentsFound, Outcome};
use crate::persist::parallel;
use crate::persist::run::cache::FileStamp;
use crate::persist::run::{RunKind, RunSummary, SessionRun};
use crate::persist::session::{
    self, Agent, Resume, SessionCache, SessionFile, SessionRoots, SessionSummary, Summarizer,
    TurnState,
};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// Where each unfinished session's reading stopped, by key: all that is kept to read on. Its
/// summary so far is its run's, joined back ([`rejoin`]) only when its file grows, so no
/// summary is held twice, and a session that finishes lets go of its entry.
pub type Resumes = HashMap<PathBuf, Box<Resume>>;

/// A session's summariser put back together from its run's summary and where its reading
/// stopped (`None` for a run that is no session).
#[must_use]
pub fn rejoin(run: &RunSummary, resume: Box<Resume>) -> Option<Summarizer> {
    run.session()
        .map(|s| Summarizer::join(s.summary.clone(), *resume))
}

/// What a scan reads a session on from.
enum Before {
    /// Where its last reading stopped (its summary is its known run's).
    Resume(Box<Resume>),
    /// Its summariser from the summary cache (the first scan).
    Cached(Box<Summarizer>),
}

impl Before {
    /// Where the reading stopped, its summary let go.
    fn resume(self) -> Box<Resume> {
        match self {
            Before::Resume(r) => r,
            Before::Cached(s) => Box::new(s.split().1),
        }
    }

    /// The summariser to read on with (`None`: read from the start).
    fn summarizer(self, known: Option<&Arc<RunSummary>>) -> Option<Summarizer> {
        match self {
            Before::Resume(r) => known.and_then(|run| rejoin(run, r)),
            Before::Cached(s) => Some(*s),
        }
    }
}

/// What is known of a session's process, by its id.
pub type Liveness = HashMap<String, (Option<bool>, Option<TurnState>)>;

/// What a scan or a read is judged by.
#[derive(Debug, Clone)]
pub struct Judge {
    /// Quiet this long with no known process: finished.
    pub quiet: Duration,
    /// The moment of the look.
    pub now: DateTime<Utc>,
}

/// What every live registry says (Claude's `sessions/<pid>.json`).
#[must_use]
pub fn liveness(roots: &SessionRoots) -> Liveness {
    if roots.claude.is_empty() {
        return Liveness::new();
    }
    formats::claude_registry(&roots.claude)
}

/// A session as a run, its state decided by `judge` with what `live` says of its process.
#[must_use]
pub fn as_run(
    summary: SessionSummary,
    stamp: Option<FileStamp>,
    live: &Liveness,
    judge: &Judge,
) -> RunSummary {
    let key = summary.source.key();
    let modified = stamp.map(|s| {
        SystemTime::UNIX_EPOCH + Duration::from_nanos(u64::try_from(s.mtime_ns).unwrap_or_default())
    });
    let id = summary.id.clone();
    let mut run = SessionRun::new(summary, modified, judge.quiet, judge.now);
    if let Some((alive, turn)) = live.get(&id) {
        run.alive = *alive;
        run.live_turn.clone_from(turn);
        run.decide(judge.now);
    }
    RunSummary {
        dir: key,
        repo_key: Default::default(),
        run_key: id,
        kind: RunKind::Session(Box::new(run)),
        activity: None,
        peek: None,
        stamp,
    }
}

/// Applies fresh liveness to a run already summarised (its state decided again).
fn relive(run: &Arc<RunSummary>, live: &Liveness, judge: &Judge) -> Arc<RunSummary> {
    let mut run = Arc::clone(run);
    let updated = Arc::make_mut(&mut run);
    if let RunKind::Session(s) = &mut updated.kind {
        let (alive, turn) = live.get(&s.summary.id).cloned().unwrap_or_default();
        s.alive = alive;
        s.live_turn = turn;
        s.quiet = judge.quiet;
        s.decide(judge.now);
    }
    run
}

/// Every top-level session under `roots`, summarised: those in `known` whose file is
/// unchanged are kept (only their state is decided again); the rest are read, from where
/// `previous` stopped when there is one (with the summary of their run in `known`). The first scan (nothing known) reads from the summary
/// cache in `cache_dir` (a session unchanged since is not read, one that grew is read from
/// where it stopped) and writes it back.
///
/// Each summary moves into its run as it is read; beside it only where its reading stopped is
/// kept (the cache is written from both), and only unfinished sessions get that back to read
/// on: no summary is held twice.
#[must_use]
pub fn scan(
    roots: &SessionRoots,
    known: &HashMap<PathBuf, Arc<RunSummary>>,
    mut previous: Resumes,
    judge: &Judge,
    cache_dir: Option<&Path>,
) -> AgentsFound {
    let listing = session::list(roots);
    let live = liveness(roots);
    let mut cache = cache_dir
        .filter(|_| known.is_empty())
        .map(|dir| SessionCache::load(dir, roots));
    // Where each session's reading stopped, handed to the thread that reads it.
    let files: Vec<(&SessionFile, Mutex<Option<Before>>)> = listing
        .sessions
        .iter()
        .map(|f| {
            let before = previous
                .remove(&f.source.key())
                .map(Before::Resume)
                .or_else(|| {
                    let cached = cache.as_mut().and_then(|c| c.take(f));
                    cached.map(|s| Before::Cached(Box::new(s)))
                });
            (f, Mutex::new(before))
        })
        .collect();
    drop(previous);
    if let Some(cache) = cache.as_mut() {
        cache.forget_the_rest();
    }
    let read = parallel::map(&files, parallel::threads(), |(file, before)| {
        let key = file.source.key();
        let before = before.lock().ok().and_then(|mut b| b.take());
        match known.get(&key) {
            Some(run) if file.stamp.is_some() && run.stamp == file.stamp => {
                // Unchanged: where its reading stopped is kept to read on later.
                Ok((relive(run, &live, judge), before.map(Before::resume)))
            }
            run => {
                let before = before.and_then(|b| b.summarizer(run));
                summarize(file, before, &live, judge).map(|(run, mut resume)| {
                    if run.is_complete() {
                        resume.slim();
                    }
                    (run, Some(Box::new(resume)))
                })
            }
        }
    });
    drop(files);
    let mut problems = listing.problems.clone();
    // Nothing listed and nothing cached: no cache file is made (a command run where no agent
    // keeps sessions writes nothing).
    if let Some(cache) = cache
        .as_ref()
        .filter(|c| !listing.sessions.is_empty() || !c.is_empty() || c.any_file())
    {
        let read_now = read.iter().filter_map(|r| {
            let (run, resume) = r.as_ref().ok()?;
            Some((&run.session()?.summary, &**resume.as_ref()?))
        });
        if let Err(e) = cache.save(read_now) {
            problems.push((cache.dir().to_path_buf(), format!("summary cache: {e}")));
        }
    }
    let mut runs = Vec::with_capacity(read.len());
    let mut summarizers = Vec::new();
    for (result, file) in read.into_iter().zip(&listing.sessions) {
        match result {
            Ok((run, resume)) if run.session().is_some_and(|s| s.summary.parent.is_none()) => {
                if let Some(resume) = resume.filter(|_| !run.is_complete()) {
                    summarizers.push((run.dir.clone(), resume));
                }
                runs.push(run);
            }
            // A sub-agent is never a run of its own.
            Ok(_) => {}
            Err(why) => problems.push((file.source.key(), why)),
        }
    }
    AgentsFound {
        runs,
        summarizers,
        reports: formats::reports(roots, &listing),
        problems,
    }
}

/// One session read (from where `previous` stopped) and decided: its run (the summary moved
/// into it) and where its reading stopped.
fn summarize(
    file: &SessionFile,
    previous: Option<Summarizer>,
    live: &Liveness,
    judge: &Judge,
) -> Result<(Arc<RunSummary>, Resume), String> {
    let (summarizer, stamp) = formats::summarize(file, previous).map_err(|e| e.to_string())?;
    let stamp = stamp.or(file.stamp);
    let (summary, resume) = summarizer.split();
    Ok((Arc::new(as_run(summary, stamp, live, judge)), resume))
}

/// One session read again after its file changed (from where `previous` stopped: see
/// [`rejoin`]); where its reading stopped is handed back while it is unfinished.
#[must_use]
pub fn load(
    roots: &SessionRoots,
    file: &SessionFile,
    previous: Option<Summarizer>,
    judge: &Judge,
) -> Outcome {
    let key = file.source.key();
    // Gone, or moved (a Codex rollout compressed): the model lists the sessions again.
    let gone = file.source.file().is_some_and(|p| !p.exists());
    let read = if gone {
        AgentRead::Gone
    } else {
        let live = match file.agent {
            Agent::Claude => liveness(roots),
            _ => Liveness::new(),
        };
        match summarize(file, previous, &live, judge) {
            Ok((run, resume)) => {
                let resume = (!run.is_complete()).then(|| Box::new(resume));
                AgentRead::Loaded(run, resume)
            }
            Err(why) => AgentRead::Failed(why),
        }
    };
    Outcome::AgentLoaded { key, read }
}

/// A file not listed read for the first time (a new session's, as a rule): what it is is found
/// from its path alone, as a listing would find it, and nothing else is listed. A file that is
/// no top-level session (by its place and name, or a sub-agent by its first record) is
/// [`AgentRead::NotSession`].
#[must_use]
pub fn load_new(roots: &SessionRoots, path: &Path, judge: &Judge) -> Outcome {
    let Some(file) = session::listing::file(roots, path) else {
        let key = session::SessionSource::Lines(path.to_path_buf()).key();
        let read = if path.exists() {
            AgentRead::NotSession
        } else {
            AgentRead::Gone
        };
        return Outcome::AgentLoaded { key, read };
    };
    match load(roots, &file, None, judge) {
        Outcome::AgentLoaded {
            key,
            read: AgentRead::Loaded(run, _),
        } if run.session().is_some_and(|s| s.summary.parent.is_some()) => Outcome::AgentLoaded {
            key,
            read: AgentRead::NotSession,
        },
        other => other,
    }
}

/// Which of the sessions named (key, id) have a live process, and what they are doing.
#[must_use]
pub fn check_alive(roots: &SessionRoots, sessions: Vec<(PathBuf, String)>) -> Outcome {
    let live = liveness(roots);
    let updates = sessions
        .into_iter()
        .map(|(key, id)| {
            let (alive, turn) = live.get(&id).cloned().unwrap_or_default();
            (key, alive, turn)
        })
        .collect();
    Outcome::AgentsAlive(updates)
}

/// The look a [`crate::app::effect::BindJob`] asks for: the cards' panes bound, and which of
/// the processes named have exited.
#[must_use]
pub fn bind(job: &crate::app::effect::BindJob) -> Outcome {
    let result = crate::binding::bind(&job.tmux, &job.claude, &job.wanted, &job.candidates, job.at);
    let gone = job
        .pids
        .iter()
        .copied()
        .filter(|pid| !session::live::pid_alive(*pid))
        .collect();
    Outcome::Bound(Box::new(crate::app::outcome::Looked { result, gone }))
}
