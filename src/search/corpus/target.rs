//! A search's target: one run's transcript or one agent session, shared with the listing that
//! holds the run, and what names it.

use crate::persist::run::{RunKind, RunSummary, SessionRun};
use crate::persist::session::{Agent, SessionSource, Summarizer};
use crate::present::{naming, sanitize, text};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// One run's transcript to search, and what names the run: the run itself, shared with the
/// listing that holds it (26,000 copies of paths and names cost megabytes while a search runs).
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    run: Arc<RunSummary>,
}

impl Target {
    /// The target of a run shared with its listing.
    #[must_use]
    pub fn new(run: Arc<RunSummary>) -> Target {
        Target { run }
    }

    /// The target of a run (copied, for a run not shared).
    #[must_use]
    pub fn of(run: &RunSummary) -> Target {
        Target::new(Arc::new(run.clone()))
    }

    /// The target of an agent session known only by where its records are (a search outside
    /// any listing): its id and working directory name it.
    #[must_use]
    pub fn of_session(agent: Agent, source: SessionSource, id: &str, cwd: &str) -> Target {
        let dir = source.key();
        let mut summary = Summarizer::new(agent, source).into_summary();
        id.clone_into(&mut summary.id);
        cwd.clone_into(&mut summary.cwd);
        // Its state is not looked at by a search: decided at the epoch, not read from a clock.
        let run = SessionRun::new(summary, None, Duration::ZERO, chrono::DateTime::UNIX_EPOCH);
        Target::new(Arc::new(RunSummary {
            dir,
            repo_key: Default::default(),
            run_key: id.to_owned(),
            kind: RunKind::Session(Box::new(run)),
            activity: None,
            peek: None,
            stamp: None,
        }))
    }

    /// The run.
    #[must_use]
    pub fn run(&self) -> &RunSummary {
        &self.run
    }

    /// The run directory (the transcript is `transcript.jsonl` in it); a session's key.
    #[must_use]
    pub fn run_dir(&self) -> &Path {
        &self.run.dir
    }

    /// The repo directory's name (the repo id).
    #[must_use]
    pub fn repo_key(&self) -> &str {
        &self.run.repo_key
    }

    /// The run directory's name (the run id); a session's id.
    #[must_use]
    pub fn run_key(&self) -> &str {
        &self.run.run_key
    }

    /// The repo's path, from the manifest; a session's working directory.
    #[must_use]
    pub fn repo_path(&self) -> &str {
        self.run.repo_path()
    }

    /// An agent session: its agent and where its records are (`None`: an agentpair run, whose
    /// transcript is `transcript.jsonl` in its directory).
    #[must_use]
    pub fn session(&self) -> Option<(Agent, &SessionSource)> {
        self.run.session().map(|s| (s.agent(), &s.summary.source))
    }

    /// The file a session's records are searched in line by line (Claude's and Codex's
    /// files, a compressed rollout as it decompresses, Gemini's JSONL); `None` for an
    /// agentpair run and for a session searched otherwise (an OpenCode session with its
    /// database, Gemini's legacy document message by message).
    #[must_use]
    pub fn session_lines(&self) -> Option<&Path> {
        match self.session() {
            Some((_, SessionSource::Lines(p))) => Some(p),
            Some((Agent::Gemini, SessionSource::Document(p))) if has_extension(p, "jsonl") => {
                Some(p)
            }
            Some((Agent::Claude | Agent::Codex, SessionSource::Document(p)))
                if has_extension(p, "zst") =>
            {
                Some(p)
            }
            _ => None,
        }
    }

    /// The run as the screen names it (`webapp #3`, `webapp claude 88a8d7`).
    #[must_use]
    pub fn name(&self) -> String {
        // Another host's run, named as the Runs list names it (`gpu1:api #4`).
        if self.run.remote_run().is_some() {
            return naming::name(&*self.run);
        }
        match self.session() {
            Some((agent, _)) => naming::session_name(self.repo_path(), agent, self.run_key()),
            None => text::run_name(
                &sanitize::one_line(self.repo_path()),
                &sanitize::one_line(self.run_key()),
            ),
        }
    }

    /// `<repo dir>/<run dir>`, as `beadboard transcript` accepts it; a session's id.
    #[must_use]
    pub fn reference(&self) -> String {
        match self.session() {
            Some(_) => self.run_key().to_owned(),
            None => format!("{}/{}", self.repo_key(), self.run_key()),
        }
    }

    /// How its lines decode.
    #[must_use]
    pub fn format(&self) -> crate::search::LineFormat {
        match self.session() {
            Some((agent, _)) => crate::search::LineFormat::Session(agent),
            None => crate::search::LineFormat::Agentpair,
        }
    }
}

fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension().is_some_and(|e| e == extension)
}
