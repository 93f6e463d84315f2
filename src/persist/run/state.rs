//! `run.State`: the six states agentpair knows, plus any other string, kept as it is.

use std::fmt;

/// A run's state. Unknown strings load and are shown as they are ([`State::Other`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    /// Created, agents not yet working (also where runs that failed to start stay forever).
    Submitted,
    /// The primary agent is working.
    Working,
    /// The secondary agent is reviewing.
    Reviewing,
    /// Finished successfully (terminal).
    Completed,
    /// Finished with an error (terminal).
    Failed,
    /// Closed without finishing (terminal); agentpair reads it but never writes it.
    Cancelled,
    /// Any other state string, including the empty one.
    Other(String),
}

impl State {
    /// Every state agentpair defines, in lifecycle order.
    pub const KNOWN: [State; 6] = [
        State::Submitted,
        State::Working,
        State::Reviewing,
        State::Completed,
        State::Failed,
        State::Cancelled,
    ];

    /// Reads a state string; never fails.
    #[must_use]
    pub fn parse(text: &str) -> State {
        match text {
            "submitted" => State::Submitted,
            "working" => State::Working,
            "reviewing" => State::Reviewing,
            "completed" => State::Completed,
            "failed" => State::Failed,
            "cancelled" => State::Cancelled,
            other => State::Other(other.to_owned()),
        }
    }

    /// The string written to disk.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            State::Submitted => "submitted",
            State::Working => "working",
            State::Reviewing => "reviewing",
            State::Completed => "completed",
            State::Failed => "failed",
            State::Cancelled => "cancelled",
            State::Other(s) => s,
        }
    }

    /// `IsComplete`: completed, failed or cancelled.
    #[must_use]
    pub fn is_terminal(&self) -> bool {
        matches!(self, State::Completed | State::Failed | State::Cancelled)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
