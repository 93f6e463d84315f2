//! A session's state, decided the same way for every agent: what its transcript's end says
//! ([`TurnState`]), whether its process is alive, and how long it has been quiet.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// What the end of a session's transcript says about its last turn.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TurnState {
    /// A turn or a tool is in progress (a prompt without a reply yet, a tool call without a
    /// result, Codex's `task_started` without `task_complete`).
    Working,
    /// The agent asked for approval or input (Claude's registry `waiting`, a Gemini tool call
    /// `awaiting_approval`, …), with what it waits for when known.
    Waiting(String),
    /// The last turn ended normally.
    Ended,
    /// The last turn ended on an error (an API error, a rate limit, an aborted turn), in words.
    Failed(String),
    /// Nothing read yet, or nothing that says.
    #[default]
    Unknown,
}

/// A session's state as shown: a glyph, a word and a colour each, like an agentpair run's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgentState {
    /// A turn or a tool is in progress.
    Working,
    /// It needs approval or input.
    Waiting,
    /// The turn has ended and the process is alive.
    Idle,
    /// The process is gone, or nothing was written for long and no process remains.
    Finished,
    /// The last turn ended on an error.
    Failed,
}

impl AgentState {
    /// The word: `working`, `waiting`, `idle`, `finished`, `failed`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            AgentState::Working => "working",
            AgentState::Waiting => "waiting",
            AgentState::Idle => "idle",
            AgentState::Finished => "finished",
            AgentState::Failed => "failed",
        }
    }

    /// Finished or failed: nothing more will happen without a person.
    #[must_use]
    pub fn is_terminal(self) -> bool {
        matches!(self, AgentState::Finished | AgentState::Failed)
    }

    /// Decides the state from the transcript's end, the process and the clock.
    ///
    /// - `alive`: `Some(true)` when the session's process is known to be running,
    ///   `Some(false)` when it is known to be gone, `None` when no process is known (no
    ///   registry, no pane bound).
    /// - `last_activity`: the last write to the session.
    /// - `quiet`: how long without a write, with no known process, counts as finished.
    #[must_use]
    pub fn decide(
        turn: &TurnState,
        alive: Option<bool>,
        last_activity: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        quiet: Duration,
    ) -> AgentState {
        let quiet_for_long = last_activity.is_none_or(|t| {
            now.signed_duration_since(t)
                > chrono::Duration::from_std(quiet).unwrap_or(chrono::Duration::MAX)
        });
        match (turn, alive) {
            (TurnState::Failed(_), _) => AgentState::Failed,
            (_, Some(false)) => AgentState::Finished,
            (_, None) if quiet_for_long => AgentState::Finished,
            (TurnState::Waiting(_), _) => AgentState::Waiting,
            (TurnState::Working, _) => AgentState::Working,
            (TurnState::Ended | TurnState::Unknown, _) => AgentState::Idle,
        }
    }
}
