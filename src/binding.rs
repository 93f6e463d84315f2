//! Tying NTM assignments to the agents doing them: for each assignment's pane (its `%N`
//! `occupancy_key`/`dispatch_target`, else its pane index in the NTM session's tmux session),
//! the agent process in that pane's process tree, then that agent's session
//! (`../shared/spec/agent-sessions.md` §6, §10.3). No terminal code.
//!
//! - [`gather`]: one look at tmux (`list-panes -a`), the processes (`/proc`, or `ps`/`lsof`)
//!   and Claude's live registry: a [`Scene`]. Run on a worker (the dashboard) or inline (the
//!   CLI), never on the event loop.
//! - [`decide`]: which session is whose, from a scene and the sessions listed, with nothing
//!   read: the rules below, testable with made-up process trees.
//!
//! The agent in a pane is the first process, breadth first from the pane's own, whose first
//! three words name `claude`, `codex`, `gemini` or `opencode` (the word's last path component,
//! so `node …/claude` counts), or the same agent it runs in turn (a wrapper's child). Its
//! session is, in this order:
//!
//! 1. the one Claude's registry (`sessions/<pid>.json`) names for its pid, when the file's
//!    `procStart` is this process's start (a reused pid's old file names another session);
//! 2. the session file it holds open (a Codex rollout);
//! 3. the one its command line names (`--resume <id>`, `resume <id>`, `--session-id <id>`,
//!    `--session <id>`);
//! 4. the newest top-level session of its agent whose cwd is within the process's cwd (both
//!    canonical) and which started after the process did, when no other agent of its kind whose
//!    session is not known by 1–3 shares that cwd. Several do: unbound, never a guess.
//!
//! A session is bound to one pane at most (a claim set, rules in the order above, panes in
//! `%N` order; a session a live Claude elsewhere names is claimed by it), and a sub-agent's
//! session never is.

mod decide;
mod detect;
mod gather;

pub use decide::decide;
pub use detect::{agent_of, argv_session, find_agent};
pub use gather::{bind, gather};

use crate::persist::assignment::Assignment;
use crate::persist::assignment::v9::NtmRow;
use crate::persist::run::RunSummary;
use crate::persist::session::live::Process;
use crate::persist::session::{Agent, SessionSummary};
use crate::tmux::LivePane;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How often the dashboard looks again while any card has a pane (panes and processes change
/// with no file event to say so).
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(3);

/// Which pane an assignment names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaneRef {
    /// A tmux pane id, `%N` (today's NTM's `occupancy_key`, else `dispatch_target`).
    Id(String),
    /// A pane index in the NTM session's tmux session (seed-era NTM; a row with no `%N`).
    Index {
        /// The NTM session (its tmux session has the same name).
        session: String,
        /// The pane index.
        index: i64,
    },
}

impl PaneRef {
    /// The pane `a` (in `session`'s store) names: its `%N` when it has one, else its index.
    #[must_use]
    pub fn of(session: &str, a: &Assignment) -> PaneRef {
        match NtmRow::new(a).pane_id() {
            Some(id) => PaneRef::Id(id),
            None => PaneRef::Index {
                session: session.to_owned(),
                index: a.pane,
            },
        }
    }
}

impl PaneRef {
    /// What follows "pane" in a sentence: `%3`, or `2 of webapp`.
    #[must_use]
    pub fn short(&self) -> String {
        match self {
            PaneRef::Id(id) => id.clone(),
            PaneRef::Index { session, index } => format!("{index} of {session}"),
        }
    }
}

impl fmt::Display for PaneRef {
    /// `%3`, or `pane 2 of webapp`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaneRef::Id(id) => f.write_str(id),
            PaneRef::Index { session, index } => write!(f, "pane {index} of {session}"),
        }
    }
}

/// The agent found in a pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Which agent.
    pub agent: Agent,
    /// Its process, with its cwd and (but for Claude, which opens its file only to write)
    /// its open files.
    pub process: Process,
}

/// What a Claude registry file says, and whether its process still runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The Claude process.
    pub pid: u32,
    /// The session it names.
    pub session: String,
    /// The process's start as the file recorded it (`procStart`).
    pub proc_start: Option<String>,
    /// Whether that process still runs (`None`: cannot be told).
    pub alive: Option<bool>,
}

/// One look at the panes, the agents in them and Claude's registry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scene {
    /// Every tmux pane.
    pub panes: Vec<LivePane>,
    /// The agent in each pane that has one, by pane id.
    pub agents: BTreeMap<String, Found>,
    /// Claude's registry files.
    pub registry: Vec<Hint>,
}

/// A session that may be bound: its run as the listing holds it, shared rather than copied (a
/// copy of each session's key, id, working directory and file cost megabytes with a month of
/// sessions listed).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The listed run; always an agent session's (see [`Candidate::of`]).
    run: Arc<RunSummary>,
}

impl Candidate {
    /// A listed run as a candidate, sharing it (`None` for an agentpair run).
    #[must_use]
    pub fn of(run: &Arc<RunSummary>) -> Option<Candidate> {
        run.session()?;
        Some(Candidate {
            run: Arc::clone(run),
        })
    }

    /// The listed run it is.
    #[must_use]
    pub fn run(&self) -> &Arc<RunSummary> {
        &self.run
    }

    fn summary(&self) -> Option<&SessionSummary> {
        self.run.session().map(|s| &s.summary)
    }

    /// The key it is listed by (its run's `dir`).
    #[must_use]
    pub fn key(&self) -> &PathBuf {
        &self.run.dir
    }

    /// The provider's session id.
    #[must_use]
    pub fn id(&self) -> &str {
        self.summary().map_or("", |s| s.id.as_str())
    }

    /// Its agent.
    #[must_use]
    pub fn agent(&self) -> Option<Agent> {
        self.run.agent()
    }

    /// Its working directory, as its records say.
    #[must_use]
    pub fn cwd(&self) -> &str {
        self.summary().map_or("", |s| s.cwd.as_str())
    }

    /// Its first record's time.
    #[must_use]
    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        self.summary().and_then(|s| s.started_at)
    }

    /// Its file (`None`: a database session).
    #[must_use]
    pub fn file(&self) -> Option<&Path> {
        self.summary()
            .and_then(|s| s.source.file())
            .map(PathBuf::as_path)
    }

    /// A sub-agent's session (never bound).
    #[must_use]
    pub fn subagent(&self) -> bool {
        self.summary().is_some_and(|s| s.parent.is_some())
    }
}

/// Which rule bound a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Claude's registry names it for the process.
    Registry,
    /// The process holds its file open.
    OpenFile,
    /// The process's command line names it.
    Argv,
    /// The newest session in the process's cwd started after it.
    CwdTime,
}

impl Rule {
    /// In words: `registry`, `open file`, `command line`, `cwd and start`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Registry => "registry",
            Rule::OpenFile => "open file",
            Rule::Argv => "command line",
            Rule::CwdTime => "cwd and start",
        }
    }
}

/// An agent tied to its session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// The pane (`%N`).
    pub pane: String,
    /// The agent.
    pub agent: Agent,
    /// Its process.
    pub pid: u32,
    /// The session id.
    pub session: String,
    /// The session's run key, when it is listed (a session Claude named but has not written
    /// yet is not).
    pub key: Option<PathBuf>,
    /// Which rule said so.
    pub rule: Rule,
}

/// Why an agent's session is not known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unbound {
    /// Other agents of its kind share its working directory and nothing tells them apart.
    Shared {
        /// How many agents of its kind share it, this one included.
        agents: usize,
        /// The directory.
        cwd: PathBuf,
    },
    /// No session fits.
    NoSession,
    /// The session that fits is another pane's (or another live Claude's).
    Taken {
        /// The session.
        session: String,
        /// Who has it: a pane id, or `pid N`.
        by: String,
    },
}

impl fmt::Display for Unbound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unbound::Shared { agents, cwd } => {
                write!(f, "{agents} agents of its kind share {}", cwd.display())
            }
            Unbound::NoSession => f.write_str("no session of its own found"),
            Unbound::Taken { session, by } => {
                let short: String = session.chars().take(8).collect();
                write!(f, "its session {short} is {by}'s")
            }
        }
    }
}

/// What an assignment's pane holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaneState {
    /// No live tmux pane has this identity.
    Gone,
    /// The pane index is in several windows of the session: which one is meant cannot be
    /// told.
    Ambiguous {
        /// How many windows have a pane with that index.
        windows: usize,
    },
    /// The pane is alive, and no agent runs in it.
    NoAgent {
        /// The pane (`%N`).
        pane: String,
    },
    /// An agent runs in the pane, tied to its session.
    Bound(Bound),
    /// An agent runs in the pane; its session is not known.
    Unbound {
        /// The pane (`%N`).
        pane: String,
        /// The agent.
        agent: Agent,
        /// Its process.
        pid: u32,
        /// Why not.
        why: Unbound,
    },
}

impl PaneState {
    /// The bound session, if any.
    #[must_use]
    pub fn bound(&self) -> Option<&Bound> {
        match self {
            PaneState::Bound(b) => Some(b),
            _ => None,
        }
    }
}

/// Every wanted pane's state, as of one look.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bindings {
    /// When the look was taken.
    pub at: Option<DateTime<Utc>>,
    /// Each pane asked about.
    pub panes: BTreeMap<PaneRef, PaneState>,
}

impl Bindings {
    /// What `pane` holds, if it was asked about.
    #[must_use]
    pub fn get(&self, pane: &PaneRef) -> Option<&PaneState> {
        self.panes.get(pane)
    }
}

#[cfg(test)]
mod tests;
