//! The errors of talking to tmux, worded so a user can act on them, and the mapping from
//! tmux's own stderr to them.

use std::path::PathBuf;
use std::time::Duration;

/// Why a tmux action failed.
#[derive(Debug, thiserror::Error)]
pub enum TmuxError {
    /// The tmux program could not be found.
    #[error("tmux is not installed (could not run {})", program.display())]
    NotInstalled {
        /// The program that was tried.
        program: PathBuf,
    },
    /// The tmux program exists but could not be started.
    #[error("could not run {}: {source}", program.display())]
    Spawn {
        /// The program that was tried.
        program: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// No tmux server is running (on this socket).
    #[error("no tmux server is running (tmux: {detail})")]
    NoServer {
        /// tmux's message, which names the socket.
        detail: String,
    },
    /// An empty session name was given.
    #[error("no tmux session name given")]
    NoSessionName,
    /// The session does not exist.
    #[error("tmux session {session:?} does not exist")]
    NoSuchSession {
        /// The session name as tmux stores it.
        session: String,
    },
    /// The session has no pane with that index.
    #[error("tmux session {session:?} has no pane {pane} (panes: {})", list(panes))]
    NoSuchPane {
        /// The session name as tmux stores it.
        session: String,
        /// The pane index asked for.
        pane: i64,
        /// The pane indexes the session has, ascending.
        panes: Vec<i64>,
    },
    /// Not a pane id of the form `%N`.
    #[error("{id:?} is not a tmux pane id (expected %N, e.g. %12)")]
    InvalidPaneId {
        /// What was given.
        id: String,
    },
    /// No pane has that id.
    #[error("tmux pane {id} does not exist")]
    NoSuchPaneId {
        /// The pane id asked for.
        id: String,
    },
    /// Switching needs a tmux client, and none is attached (beadboard is not inside tmux).
    #[error("no tmux client to switch (not inside tmux?): attach with {attach}")]
    NoClient {
        /// The command that attaches to the session.
        attach: String,
    },
    /// tmux did not answer in time and was killed.
    #[error("tmux {command} did not answer within {:.1}s (killed)", after.as_secs_f64())]
    Timeout {
        /// The tmux command (e.g. `list-panes`).
        command: String,
        /// The time allowed.
        after: Duration,
    },
    /// tmux reported an error not covered above.
    #[error("tmux {command} failed ({status}): {stderr}")]
    Failed {
        /// The tmux command (e.g. `select-pane`).
        command: String,
        /// How it exited.
        status: String,
        /// tmux's stderr, trimmed.
        stderr: String,
    },
    /// tmux printed something this version of beadboard does not understand.
    #[error("unexpected output from tmux {command}: {line:?}")]
    Unexpected {
        /// The tmux command.
        command: String,
        /// The line that could not be read.
        line: String,
    },
}

/// `1, 2, 3`, or `none`.
fn list(panes: &[i64]) -> String {
    if panes.is_empty() {
        return "none".to_owned();
    }
    panes
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What tmux's stderr says went wrong, when it is one of the failures callers handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Complaint {
    /// No server on the socket.
    NoServer,
    /// `can't find session: …`.
    NoSession,
    /// `can't find pane: …` or `can't find window: …`.
    NoPane,
    /// `no current client` / `no client`.
    NoClient,
    /// Anything else.
    Other,
}

/// Sorts tmux's stderr into a [`Complaint`].
pub(crate) fn complaint(stderr: &str) -> Complaint {
    let s = stderr.trim();
    let no_socket = s.starts_with("error connecting to")
        && (s.contains("No such file or directory") || s.contains("Connection refused"));
    if s.starts_with("no server running") || no_socket {
        Complaint::NoServer
    } else if s.contains("can't find session") {
        Complaint::NoSession
    } else if s.contains("can't find pane") || s.contains("can't find window") {
        Complaint::NoPane
    } else if s.contains("no current client") || s.contains("can't find client") {
        Complaint::NoClient
    } else {
        Complaint::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tmux_complaints_are_recognised() {
        let cases = [
            (
                "no server running on /tmp/tmux-1000/x\n",
                Complaint::NoServer,
            ),
            (
                "error connecting to /tmp/tmux-0/x (No such file or directory)\n",
                Complaint::NoServer,
            ),
            ("can't find session: web\n", Complaint::NoSession),
            ("can't find pane: %7\n", Complaint::NoPane),
            ("can't find window: zz\n", Complaint::NoPane),
            ("no current client\n", Complaint::NoClient),
            (
                "error connecting to /tmp/tmux-0/x (Permission denied)",
                Complaint::Other,
            ),
            ("server exited unexpectedly", Complaint::Other),
        ];
        for (stderr, want) in cases {
            assert_eq!(complaint(stderr), want, "{stderr}");
        }
    }

    #[test]
    fn tmux_error_messages_are_actionable() {
        let e = TmuxError::NoSuchPane {
            session: "webapp".into(),
            pane: 7,
            panes: vec![1, 2, 3],
        };
        assert_eq!(
            e.to_string(),
            r#"tmux session "webapp" has no pane 7 (panes: 1, 2, 3)"#
        );
        let e = TmuxError::NoSuchSession {
            session: "x".into(),
        };
        assert_eq!(e.to_string(), r#"tmux session "x" does not exist"#);
        let e = TmuxError::NoClient {
            attach: "tmux attach -t webapp".into(),
        };
        assert_eq!(
            e.to_string(),
            "no tmux client to switch (not inside tmux?): attach with tmux attach -t webapp"
        );
        let e = TmuxError::Timeout {
            command: "list-panes".into(),
            after: Duration::from_secs(2),
        };
        assert_eq!(
            e.to_string(),
            "tmux list-panes did not answer within 2.0s (killed)"
        );
    }
}
