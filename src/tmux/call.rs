//! Running one tmux command for [`Tmux`] and turning tmux's stderr into the
//! [`TmuxError`] it means, given what the command was about.

use super::error::{self, Complaint, TmuxError};
use super::panes::PaneTarget;
use super::{Tmux, exec, names};
use std::ffi::OsString;

/// What a failing command was about, to word its error.
#[derive(Clone, Copy, Default)]
pub(super) struct Ctx<'a> {
    /// The session (as tmux stores it).
    pub session: Option<&'a str>,
    /// The pane id.
    pub pane_id: Option<&'a str>,
}

impl<'a> Ctx<'a> {
    /// About a session.
    pub fn session(stored: &'a str) -> Ctx<'a> {
        Ctx {
            session: Some(stored),
            pane_id: None,
        }
    }

    /// About a pane (and its session).
    pub fn pane(target: &'a PaneTarget) -> Ctx<'a> {
        Ctx {
            session: Some(&target.pane.session_name),
            pane_id: Some(&target.pane.pane_id),
        }
    }
}

/// The stored form of `session`, refusing an empty name.
pub(super) fn stored(session: &str) -> Result<String, TmuxError> {
    if session.is_empty() {
        return Err(TmuxError::NoSessionName);
    }
    Ok(names::stored_session_name(session))
}

impl Tmux {
    /// Makes `target` its session's current window and active pane.
    pub(super) fn select(&self, target: &PaneTarget) -> Result<(), TmuxError> {
        let window = target.pane.window_target();
        self.run(&["select-window", "-t", &window], Ctx::pane(target))?;
        self.run(
            &["select-pane", "-t", &target.pane.target()],
            Ctx::pane(target),
        )
        .map(drop)
    }

    /// Switches the client to `target` (which tmux also selects).
    pub(super) fn switch_to(&self, target: &PaneTarget) -> Result<(), TmuxError> {
        let pane = target.pane.target();
        self.run(&["switch-client", "-t", &pane], Ctx::pane(target))
            .map(drop)
    }

    /// Runs one tmux command (`args[0]` is its name) and returns its stdout, or the error
    /// its stderr means.
    pub(super) fn run(&self, args: &[&str], ctx: Ctx<'_>) -> Result<String, TmuxError> {
        let command = args.first().copied().unwrap_or_default();
        let mut full: Vec<OsString> = vec!["-u".into()];
        if let Some(socket) = &self.socket_name {
            full.extend(["-L".into(), socket.into()]);
        }
        full.extend(args.iter().map(OsString::from));
        let done = exec::run(&self.program, &full, command, self.timeout)?;
        if done.status.success() {
            return Ok(done.stdout);
        }
        let (session, pane_id) = (
            ctx.session.map(str::to_owned),
            ctx.pane_id.map(str::to_owned),
        );
        Err(match (error::complaint(&done.stderr), session, pane_id) {
            (Complaint::NoServer, ..) => TmuxError::NoServer {
                detail: done.stderr,
            },
            (Complaint::NoSession, Some(session), _) => TmuxError::NoSuchSession { session },
            (Complaint::NoPane, _, Some(id)) => TmuxError::NoSuchPaneId { id },
            (Complaint::NoClient, Some(session), _) => TmuxError::NoClient {
                attach: names::attach_command(self.socket(), &session),
            },
            _ => TmuxError::Failed {
                command: command.to_owned(),
                status: done.status.to_string(),
                stderr: done.stderr,
            },
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn missing() -> Tmux {
        Tmux::with_socket_name("beadboard-unused").with_program("/nonexistent/beadboard-no-tmux")
    }

    #[test]
    fn tmux_not_installed_is_reported() {
        let err = missing().has_session("webapp").unwrap_err();
        assert!(matches!(err, TmuxError::NotInstalled { .. }), "{err}");
        let err = missing().open_pane("webapp", 1, true).unwrap_err();
        assert!(matches!(err, TmuxError::NotInstalled { .. }), "{err}");
    }

    #[test]
    fn tmux_refuses_bad_names_before_running_tmux() {
        let err = missing().switch_to_session("").unwrap_err();
        assert!(matches!(err, TmuxError::NoSessionName), "{err}");
        let err = missing().jump_to_pane_id("12").unwrap_err();
        assert!(matches!(err, TmuxError::InvalidPaneId { .. }), "{err}");
    }

    #[test]
    fn tmux_attach_command_uses_the_socket_and_stored_name() {
        assert_eq!(
            Tmux::default_server().attach_command("my.app"),
            "tmux attach -t my_app"
        );
        assert_eq!(
            Tmux::with_socket_name("work").attach_command("my app"),
            "tmux -L work attach -t 'my app'"
        );
    }
}
