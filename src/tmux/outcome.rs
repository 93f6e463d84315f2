//! What the dashboard's `o` key did in tmux, as a value and as a status-line message.

use super::panes::PaneTarget;
use std::fmt;

/// The result of opening a run's session or an assignment's pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The tmux client now shows this session.
    Switched {
        /// The session name as tmux stores it.
        session: String,
    },
    /// The pane was selected and the tmux client now shows it.
    Selected {
        /// The pane.
        target: PaneTarget,
    },
    /// Not inside tmux, so nothing could be switched: here is how to attach. When a pane was
    /// asked for, it was selected already, so attaching lands on it.
    Attach {
        /// The session name as tmux stores it.
        session: String,
        /// The shell command that attaches (`tmux attach -t webapp`).
        command: String,
        /// The pane selected in the session, if a pane was asked for.
        selected: Option<PaneTarget>,
    },
}

impl fmt::Display for Outcome {
    /// `switched to webapp`, `selected webapp pane 2 (window 1)`, or
    /// `not inside tmux: attach with tmux attach -t webapp`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Switched { session } => write!(f, "switched to {session}"),
            Outcome::Selected { target } => write!(f, "selected {target}"),
            Outcome::Attach {
                command, selected, ..
            } => {
                if let Some(target) = selected {
                    write!(f, "selected {target}; ")?;
                }
                write!(f, "not inside tmux: attach with {command}")
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::tmux::PaneInfo;

    fn target(matches: usize) -> PaneTarget {
        PaneTarget {
            pane: PaneInfo {
                session_id: "$1".into(),
                session_name: "webapp".into(),
                window_id: "@1".into(),
                window_index: 1,
                window_active: true,
                window_name: "bash".into(),
                pane_id: "%2".into(),
                pane_index: 2,
                pane_active: true,
            },
            windows: 3,
            matches,
        }
    }

    #[test]
    fn tmux_status_line_messages() {
        let o = Outcome::Switched {
            session: "webapp".into(),
        };
        assert_eq!(o.to_string(), "switched to webapp");
        let o = Outcome::Selected { target: target(1) };
        assert_eq!(o.to_string(), "selected webapp pane 2 (window 1)");
        let o = Outcome::Selected { target: target(2) };
        assert_eq!(
            o.to_string(),
            "selected webapp pane 2 of window 1 (the session has 3 windows)"
        );
        let o = Outcome::Attach {
            session: "webapp".into(),
            command: "tmux attach -t webapp".into(),
            selected: None,
        };
        assert_eq!(
            o.to_string(),
            "not inside tmux: attach with tmux attach -t webapp"
        );
        let o = Outcome::Attach {
            session: "webapp".into(),
            command: "tmux attach -t webapp".into(),
            selected: Some(target(1)),
        };
        assert_eq!(
            o.to_string(),
            "selected webapp pane 2 (window 1); not inside tmux: attach with tmux attach -t webapp"
        );
    }
}
