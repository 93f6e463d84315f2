//! Talking to tmux for the dashboard's `T` key: switch the tmux client to a run's session,
//! or select an NTM assignment's pane (by session and `pane_index`, or by pane id `%N`) and
//! switch there; outside tmux, say how to attach instead. No terminal code.
//!
//! Every call runs `tmux` synchronously with a deadline ([`DEFAULT_TIMEOUT`]); a tmux that
//! does not answer is killed and reported, so a key press never hangs the dashboard.
//! Sessions are matched exactly (`=name:` targets, never tmux's prefix matching), names are
//! mapped the way tmux stores them (`my.app` lives as `my_app`), and panes are targeted by
//! their unique ids once found, so `base-index` and `pane-base-index` are honoured as tmux
//! reports them.

mod call;
mod clipboard;
mod error;
mod exec;
mod live;
mod names;
mod open;
mod outcome;
mod panes;

pub use clipboard::ClipboardSetting;
pub use error::TmuxError;
pub use live::LivePane;
pub use names::{Socket, inside_tmux_env, non_default_socket, shell_quote, stored_session_name};
pub use outcome::Outcome;
pub use panes::{PaneInfo, PaneTarget, choose_pane};

use call::{Ctx, stored};
use error::Complaint;
use panes::PANE_FORMAT;
use std::path::PathBuf;
use std::time::Duration;

/// How long one tmux command may take before it is killed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// Whether beadboard runs inside tmux: `$TMUX` is set and non-empty.
#[must_use]
pub fn inside_tmux() -> bool {
    inside_tmux_env(std::env::var_os("TMUX").as_deref())
}

/// A tmux server to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tmux {
    program: PathBuf,
    socket_name: Option<String>,
    /// The socket of the server beadboard runs in, when `$TMUX` names one that is not the
    /// default: attach commands shown to the user name it (`tmux -S <socket> attach …`).
    attach_socket: Option<PathBuf>,
    timeout: Duration,
}

impl Default for Tmux {
    fn default() -> Tmux {
        Tmux::default_server()
    }
}

impl Tmux {
    /// The server plain `tmux` talks to: the one beadboard runs in when `$TMUX` is set,
    /// otherwise the default socket.
    #[must_use]
    pub fn default_server() -> Tmux {
        Tmux {
            program: PathBuf::from("tmux"),
            socket_name: None,
            attach_socket: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The server plain `tmux` talks to from here, with the socket `$TMUX` names kept for the
    /// attach commands shown to the user when it is not the default one.
    #[must_use]
    pub fn from_env() -> Tmux {
        let var = |name| std::env::var_os(name);
        Tmux {
            attach_socket: non_default_socket(
                var("TMUX").as_deref(),
                var("TMUX_TMPDIR").as_deref(),
                rustix::process::getuid().as_raw(),
            ),
            ..Tmux::default_server()
        }
    }

    /// The server on the named socket (`tmux -L name`), for several servers and for tests.
    #[must_use]
    pub fn with_socket_name(name: impl Into<String>) -> Tmux {
        Tmux {
            socket_name: Some(name.into()),
            ..Tmux::default_server()
        }
    }

    /// Uses `program` instead of `tmux` from `$PATH`.
    #[must_use]
    pub fn with_program(mut self, program: impl Into<PathBuf>) -> Tmux {
        self.program = program.into();
        self
    }

    /// Allows each tmux command `timeout` instead of [`DEFAULT_TIMEOUT`].
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Tmux {
        self.timeout = timeout;
        self
    }

    /// The `-L` socket name, if any.
    #[must_use]
    pub fn socket_name(&self) -> Option<&str> {
        self.socket_name.as_deref()
    }

    /// The socket an attach command names: the `-L` name, else the non-default socket
    /// `$TMUX` named.
    #[must_use]
    pub fn socket(&self) -> Socket<'_> {
        match (&self.socket_name, &self.attach_socket) {
            (Some(name), _) => Socket::Name(name),
            (None, Some(path)) => Socket::Path(path),
            (None, None) => Socket::Default,
        }
    }

    /// The shell command that attaches to `session` (shell-quoted, with `-L` or `-S` when the
    /// server is not the default one), for the status line when beadboard is not inside tmux.
    #[must_use]
    pub fn attach_command(&self, session: &str) -> String {
        names::attach_command(self.socket(), &stored_session_name(session))
    }

    /// Whether the session exists (exact name).
    ///
    /// # Errors
    /// No server, tmux not installed, a timeout, or another tmux failure.
    pub fn has_session(&self, session: &str) -> Result<bool, TmuxError> {
        let stored = stored(session)?;
        let target = names::session_target(&stored);
        match self.run(&["has-session", "-t", &target], Ctx::default()) {
            Ok(_) => Ok(true),
            Err(TmuxError::Failed { stderr, .. })
                if error::complaint(&stderr) == Complaint::NoSession =>
            {
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Every pane of the session, in tmux's order (by window, then pane).
    ///
    /// # Errors
    /// [`TmuxError::NoSuchSession`], no server, or another tmux failure.
    pub fn panes(&self, session: &str) -> Result<Vec<PaneInfo>, TmuxError> {
        let stored = stored(session)?;
        let target = names::session_target(&stored);
        let ctx = Ctx::session(&stored);
        let out = self.run(&["list-panes", "-s", "-t", &target, "-F", PANE_FORMAT], ctx)?;
        panes::parse_panes(&out, "list-panes")
    }

    /// The pane of the session with this `pane_index` (see [`choose_pane`] for several).
    ///
    /// # Errors
    /// [`TmuxError::NoSuchPane`] listing the panes there are, [`TmuxError::NoSuchSession`], …
    pub fn find_pane(&self, session: &str, pane_index: i64) -> Result<PaneTarget, TmuxError> {
        let panes = self.panes(session)?;
        choose_pane(&stored_session_name(session), &panes, pane_index)
    }

    /// The pane with this id (`%12`), in the first session that holds its window.
    ///
    /// # Errors
    /// [`TmuxError::InvalidPaneId`], [`TmuxError::NoSuchPaneId`], no server, …
    pub fn find_pane_id(&self, id: &str) -> Result<PaneTarget, TmuxError> {
        if !names::is_pane_id(id) {
            return Err(TmuxError::InvalidPaneId { id: id.to_owned() });
        }
        let out = self.run(&["list-panes", "-a", "-F", PANE_FORMAT], Ctx::default())?;
        let all = panes::parse_panes(&out, "list-panes")?;
        let pane = all
            .iter()
            .find(|p| p.pane_id == id)
            .ok_or_else(|| TmuxError::NoSuchPaneId { id: id.to_owned() })?;
        let mut windows: Vec<&str> = all
            .iter()
            .filter(|p| p.session_id == pane.session_id)
            .map(|p| p.window_id.as_str())
            .collect();
        windows.sort_unstable();
        windows.dedup();
        Ok(PaneTarget {
            pane: pane.clone(),
            windows: windows.len(),
            matches: 1,
        })
    }

    /// Makes the pane with `pane_index` the session's current window and active pane (no
    /// client needed: whoever attaches next lands there).
    ///
    /// # Errors
    /// As [`Tmux::find_pane`], or the selection failing.
    pub fn select_pane(&self, session: &str, pane_index: i64) -> Result<PaneTarget, TmuxError> {
        let target = self.find_pane(session, pane_index)?;
        self.select(&target)?;
        Ok(target)
    }

    /// As [`Tmux::select_pane`] for the pane with this id (`%12`).
    ///
    /// # Errors
    /// As [`Tmux::find_pane_id`], or the selection failing.
    pub fn select_pane_id(&self, id: &str) -> Result<PaneTarget, TmuxError> {
        let target = self.find_pane_id(id)?;
        self.select(&target)?;
        Ok(target)
    }

    /// Switches the tmux client (the one beadboard runs in, else the most recent) to the
    /// session.
    ///
    /// # Errors
    /// [`TmuxError::NoClient`] (with the attach command) when no client is attached,
    /// [`TmuxError::NoSuchSession`], no server, …
    pub fn switch_to_session(&self, session: &str) -> Result<(), TmuxError> {
        let stored = stored(session)?;
        let target = names::session_target(&stored);
        let ctx = Ctx::session(&stored);
        match self.run(&["switch-client", "-t", &target], ctx) {
            Ok(_) => Ok(()),
            // tmux looks for the client before the session: say which one is missing.
            Err(TmuxError::NoClient { .. }) if !self.has_session(session)? => {
                Err(TmuxError::NoSuchSession { session: stored })
            }
            Err(e) => Err(e),
        }
    }

    /// Selects the session's pane with `pane_index` and switches the client to it.
    ///
    /// # Errors
    /// As [`Tmux::select_pane`] and [`Tmux::switch_to_session`]; on [`TmuxError::NoClient`]
    /// the pane has been selected already.
    pub fn jump_to_pane(&self, session: &str, pane_index: i64) -> Result<PaneTarget, TmuxError> {
        let target = self.select_pane(session, pane_index)?;
        self.switch_to(&target)?;
        Ok(target)
    }

    /// Selects the pane with this id (`%12`, as NTM v9 stores may carry) and switches the
    /// client to it.
    ///
    /// # Errors
    /// As [`Tmux::select_pane_id`] and [`Tmux::switch_to_session`].
    pub fn jump_to_pane_id(&self, id: &str) -> Result<PaneTarget, TmuxError> {
        let target = self.select_pane_id(id)?;
        self.switch_to(&target)?;
        Ok(target)
    }
}
