//! A run another host reported over its channel ([`RemoteRun`]): what its `watch --json`
//! events say of it (name, reference, directory there, state, the condition the host judged
//! with the same code, and the facts its row shows: [`RunFacts`]), and which host it is on. Nothing of it is read from this
//! machine's disk: its summary's `dir` is a key of its own ([`remote_key`]), never a path here,
//! so two hosts' `api #4` are two runs.

use super::{RunKind, RunState, RunSummary};
use crate::persist::run::State;
use crate::persist::session::AgentState;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A run on another host.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteRun {
    /// The host's name (as configured).
    pub host: String,
    /// How the host names the run (`api #4`).
    pub name: String,
    /// The host's reference for it (`<repo id>/<run id>`, or a session's id).
    pub reference: String,
    /// Its directory on the host.
    pub dir: PathBuf,
    /// Its state as the host reported it.
    pub state: RemoteState,
    /// The condition the host judged, when it reported one.
    pub attention: Option<RemoteAttention>,
    /// The repository the host named for it (empty when not said).
    pub repo: String,
    /// Its tmux session on the host (empty when none was said).
    pub tmux_session: String,
    /// What its row shows, as the host last said it (`None`: an older host that does not say).
    pub facts: Option<RunFacts>,
    /// When the host last said anything of it.
    pub seen_at: DateTime<Utc>,
    /// Its name is shown with the host's in front (`gpu1:api #4`): more than one host is shown.
    pub prefixed: bool,
}

impl RemoteRun {
    /// Its working directory there: as its facts say, else as its condition said.
    #[must_use]
    pub fn repo_path(&self) -> &str {
        match &self.facts {
            Some(f) if !f.repo.is_empty() => &f.repo,
            _ => &self.repo,
        }
    }

    /// Its tmux session there: as its facts say, else as its condition said.
    #[must_use]
    pub fn tmux_session(&self) -> &str {
        match &self.facts {
            Some(f) if !f.tmux_session.is_empty() => &f.tmux_session,
            _ => &self.tmux_session,
        }
    }
}

/// What a host says of one of its runs beyond its state, for its row: the iteration (and its
/// limit), when it started and ended, its last sign of life, the head of its prompt, its
/// directory and tmux session. Moments are absolute (worded when drawn, on this machine's
/// clock), never words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunFacts {
    /// The iteration it is on (a session's turns).
    #[serde(default)]
    pub iteration: i64,
    /// The iteration limit (`None`: a session, which has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_iterations: Option<i64>,
    /// When it started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended (`None`: it goes on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<DateTime<Utc>>,
    /// Its latest sign of life.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_activity: Option<DateTime<Utc>>,
    /// The head of its prompt (at most [`super::PROMPT_HEAD`] characters).
    #[serde(default)]
    pub prompt: String,
    /// The prompt is longer than its head.
    #[serde(default)]
    pub prompt_cut: bool,
    /// Its working directory there.
    #[serde(default)]
    pub repo: String,
    /// Its tmux session there (empty: none).
    #[serde(default)]
    pub tmux_session: String,
}

impl RunFacts {
    /// What `run` shows at `now` (a session's end depends on the moment).
    #[must_use]
    pub fn of(run: &RunSummary, now: DateTime<Utc>) -> RunFacts {
        RunFacts {
            iteration: run.iteration(),
            max_iterations: run.max_iterations(),
            started_at: run.started_at(),
            ended_at: run.ended_at(now),
            last_activity: run.last_activity(),
            prompt: run.prompt_head().to_owned(),
            prompt_cut: run.prompt_cut(),
            repo: run.repo_path().to_owned(),
            tmux_session: run.tmux_session().to_owned(),
        }
    }
}

/// A remote run's state: an agentpair run's or an agent session's word.
#[derive(Debug, Clone, PartialEq)]
pub enum RemoteState {
    /// An agentpair run's state.
    Agentpair(State),
    /// An agent session's state.
    Agent(AgentState),
}

impl RemoteState {
    /// The state named `word`, for a run whose reference is `reference`: an agentpair run's
    /// reference has a `/` (`<repo id>/<run id>`), a session's is its id.
    #[must_use]
    pub fn parse(reference: &str, word: &str) -> RemoteState {
        let agent = [
            AgentState::Working,
            AgentState::Waiting,
            AgentState::Idle,
            AgentState::Finished,
            AgentState::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == word);
        match agent {
            Some(a) if !reference.contains('/') => RemoteState::Agent(a),
            _ => RemoteState::Agentpair(State::parse(word)),
        }
    }

    /// As a run's state.
    #[must_use]
    pub fn as_run_state(&self) -> RunState<'_> {
        match self {
            RemoteState::Agentpair(s) => RunState::Agentpair(s),
            RemoteState::Agent(a) => RunState::Agent(*a),
        }
    }
}

/// The condition a host judged for one of its runs, as its attention event said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteAttention {
    /// `attention`, `finished` or `fine`.
    pub level: String,
    /// The reason code (`failed`, `stale`, …).
    pub code: String,
    /// Why, in words.
    pub reason: String,
    /// The situation's key (the same key: the same situation).
    pub key: String,
}

/// The key a remote run is listed by: `<host>:<its directory there>`. It is never an absolute
/// path, so it never names a run of this machine, and the host in front keeps hosts apart.
#[must_use]
pub fn remote_key(host: &str, dir: &Path) -> PathBuf {
    PathBuf::from(format!("{host}:{}", dir.display()))
}

impl RunSummary {
    /// The summary of a run another host reported.
    #[must_use]
    pub fn remote(run: RemoteRun) -> RunSummary {
        let (repo_key, run_key) = match run.reference.split_once('/') {
            Some((repo, id)) => (repo.into(), id.to_owned()),
            None => (Default::default(), run.reference.clone()),
        };
        RunSummary {
            dir: remote_key(&run.host, &run.dir),
            repo_key,
            run_key,
            kind: RunKind::Remote(Box::new(run)),
            activity: None,
            peek: None,
            stamp: None,
        }
    }

    /// The run another host reported (`None` for this machine's runs).
    #[must_use]
    pub fn remote_run(&self) -> Option<&RemoteRun> {
        match &self.kind {
            RunKind::Remote(r) => Some(r),
            _ => None,
        }
    }

    /// The host the run is on (`None`: this machine).
    #[must_use]
    pub fn host(&self) -> Option<&str> {
        self.remote_run().map(|r| r.host.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(host: &str, reference: &str, state: &str) -> RemoteRun {
        RemoteRun {
            host: host.to_owned(),
            name: "api #4".to_owned(),
            reference: reference.to_owned(),
            dir: PathBuf::from("/home/me/.agentpair/runs/abc/4"),
            state: RemoteState::parse(reference, state),
            attention: None,
            repo: String::new(),
            tmux_session: String::new(),
            facts: None,
            seen_at: DateTime::<Utc>::default(),
            prefixed: true,
        }
    }

    #[test]
    fn two_hosts_same_run_are_two_keys_never_a_local_path() {
        let a = RunSummary::remote(run("gpu1", "abc/4", "working"));
        let b = RunSummary::remote(run("gpu2", "abc/4", "working"));
        assert_ne!(a.dir, b.dir);
        assert!(!a.dir.is_absolute());
        assert_eq!(a.host(), Some("gpu1"));
        assert_eq!((&*a.repo_key, a.run_key.as_str()), ("abc", "4"));
        assert_eq!(a.reference(), "abc/4");
    }

    #[test]
    fn states_follow_the_kind_of_reference() {
        assert_eq!(
            RemoteState::parse("abc/4", "working"),
            RemoteState::Agentpair(State::Working)
        );
        assert_eq!(
            RemoteState::parse("88a8d761", "working"),
            RemoteState::Agent(AgentState::Working)
        );
        assert_eq!(
            RemoteState::parse("88a8d761", "reviewing"),
            RemoteState::Agentpair(State::Reviewing)
        );
        let done = RunSummary::remote(run("gpu1", "abc/4", "completed"));
        assert!(done.is_complete());
        assert!(done.manifest().is_none() && done.session().is_none());
    }
}
