//! What a listed run is: an agentpair run (its manifest's small fields) or an agent session
//! (Claude Code, Codex, Gemini, OpenCode; its [`SessionSummary`] and what is known of its
//! process). [`RunState`] is the state word, glyph and colour key of either.

use super::ManifestSummary;
use crate::persist::run::State;
use crate::persist::session::{Agent, AgentState, SessionSummary, TurnState};
use chrono::{DateTime, Utc};
use std::time::{Duration, SystemTime};

/// The two kinds of run.
#[derive(Debug, Clone, PartialEq)]
pub enum RunKind {
    /// An agentpair run: what its manifest says.
    Agentpair(ManifestSummary),
    /// An agent session (boxed: agentpair runs are the many, and every summary pays for the
    /// room of the larger arm).
    Session(Box<SessionRun>),
    /// A run another host reported over its channel (boxed, as sessions are).
    Remote(Box<super::RemoteRun>),
}

/// An agent session as a run: its summary, what is known of its process, and its state as
/// last decided.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRun {
    /// What the session's records say.
    pub summary: SessionSummary,
    /// When its file last changed (`None` for a database session, or not known).
    pub modified: Option<SystemTime>,
    /// Its process: `Some(true)` running, `Some(false)` gone, `None` not known (no registry
    /// names it, no pane is bound).
    pub alive: Option<bool>,
    /// What its live registry says it is doing (Claude's `sessions/<pid>.json` `status`), which
    /// wins over what the transcript's end says.
    pub live_turn: Option<TurnState>,
    /// How long without a write, with no known process, counts as finished (the stale
    /// threshold).
    pub quiet: Duration,
    /// The state as decided at the last look (see [`SessionRun::decide`]); the Runs pane sorts
    /// and filters by it and decides again when [`SessionRun::changes_at`] comes.
    pub state: AgentState,
    /// The tmux pane the session's agent runs in, when it is bound to one (`%N`).
    pub pane: Option<String>,
    /// The bead the bound pane is assigned, when there is one.
    pub bead: Option<String>,
}

impl SessionRun {
    /// A session run decided at `now`.
    #[must_use]
    pub fn new(
        summary: SessionSummary,
        modified: Option<SystemTime>,
        quiet: Duration,
        now: DateTime<Utc>,
    ) -> SessionRun {
        let mut run = SessionRun {
            summary,
            modified,
            alive: None,
            live_turn: None,
            quiet,
            state: AgentState::Idle,
            pane: None,
            bead: None,
        };
        run.decide(now);
        run
    }

    /// The latest sign of life: the last record's time or the file's change, whichever is
    /// later.
    #[must_use]
    pub fn last_activity(&self) -> Option<DateTime<Utc>> {
        let file = self.modified.map(DateTime::<Utc>::from);
        file.max(self.summary.last_entry_at)
    }

    /// What the turn is doing: the live registry's word when there is one, else the
    /// transcript's end (a failed turn stays failed whatever the registry says).
    #[must_use]
    pub fn turn(&self) -> &TurnState {
        match (&self.summary.turn, &self.live_turn) {
            (TurnState::Failed(_), _) | (_, None) => &self.summary.turn,
            (_, Some(live)) => live,
        }
    }

    /// The state at `now` (see [`AgentState::decide`]), without keeping it.
    #[must_use]
    pub fn state_at(&self, now: DateTime<Utc>) -> AgentState {
        AgentState::decide(
            self.turn(),
            self.alive,
            self.last_activity(),
            now,
            self.quiet,
        )
    }

    /// Decides the state at `now` and keeps it.
    pub fn decide(&mut self, now: DateTime<Utc>) {
        self.state = self.state_at(now);
    }

    /// When the state would change with nothing written (a session with no known process
    /// turns finished once quiet for the threshold), if ever.
    #[must_use]
    pub fn changes_at(&self) -> Option<DateTime<Utc>> {
        if self.state.is_terminal() || self.alive.is_some() {
            return None;
        }
        // Just past the threshold: a session is finished once quiet for longer than it.
        let quiet =
            chrono::Duration::from_std(self.quiet).ok()? + chrono::Duration::milliseconds(1);
        self.last_activity().map(|t| t + quiet)
    }

    /// The agent.
    #[must_use]
    pub fn agent(&self) -> Agent {
        self.summary.agent
    }
}

/// A run's state, whichever kind it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState<'a> {
    /// An agentpair run's manifest state.
    Agentpair(&'a State),
    /// An agent session's state.
    Agent(AgentState),
}

impl RunState<'_> {
    /// The word: agentpair's state string, or `working`, `waiting`, `idle`, `finished`,
    /// `failed`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            RunState::Agentpair(s) => s.as_str(),
            RunState::Agent(a) => a.as_str(),
        }
    }

    /// Nothing more will happen without a person: completed, failed or cancelled; finished
    /// or failed.
    #[must_use]
    pub fn is_terminal(&self) -> bool {
        match self {
            RunState::Agentpair(s) => s.is_terminal(),
            RunState::Agent(a) => a.is_terminal(),
        }
    }
}
