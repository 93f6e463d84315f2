//! Running one tmux command with a deadline (through [`crate::process`]): the command and its
//! group are killed when it does not finish in time, so a hung server never freezes the
//! dashboard's key handling.

use super::error::TmuxError;
use crate::process::{Child, ProcessError};
use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, ExitStatus};
use std::time::Duration;

/// What a finished tmux command printed.
#[derive(Debug)]
pub(crate) struct Finished {
    /// How it exited.
    pub status: ExitStatus,
    /// Its stdout (lossy UTF-8).
    pub stdout: String,
    /// Its stderr (lossy UTF-8, trimmed).
    pub stderr: String,
}

/// Runs `program args…` with stdin from /dev/null, waiting at most `timeout`. `command` names
/// the tmux command for error messages.
pub(crate) fn run(
    program: &Path,
    args: &[OsString],
    command: &str,
    timeout: Duration,
) -> Result<Finished, TmuxError> {
    let mut cmd = Command::new(program);
    cmd.args(args);
    let done = Child::new(cmd)
        .deadline(timeout)
        .run()
        .map_err(|e| match e {
            ProcessError::NotFound(_) => TmuxError::NotInstalled {
                program: program.to_path_buf(),
            },
            ProcessError::TimedOut(_) | ProcessError::Cancelled => TmuxError::Timeout {
                command: command.to_owned(),
                after: timeout,
            },
            ProcessError::Spawn(source) | ProcessError::Wait(source) => TmuxError::Spawn {
                program: program.to_path_buf(),
                source,
            },
        })?;
    Ok(Finished {
        status: done.status,
        stdout: String::from_utf8_lossy(&done.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&done.stderr).trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn tmux_exec_kills_a_hung_command() {
        let err = run(
            Path::new("sleep"),
            &args(&["10"]),
            "list-panes",
            Duration::from_millis(200),
        )
        .unwrap_err();
        assert!(matches!(err, TmuxError::Timeout { .. }), "{err}");
    }

    #[test]
    fn tmux_exec_collects_output() {
        let done = run(
            Path::new("sh"),
            &args(&["-c", "echo out; echo ' err ' >&2; exit 3"]),
            "x",
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(done.stdout, "out\n");
        assert_eq!(done.stderr, "err");
        assert_eq!(done.status.code(), Some(3));
    }

    #[test]
    fn tmux_exec_missing_program() {
        let err = run(
            Path::new("/nonexistent/beadboard-no-tmux"),
            &[],
            "x",
            Duration::from_secs(1),
        )
        .unwrap_err();
        assert!(matches!(err, TmuxError::NotInstalled { .. }), "{err}");
        assert!(err.to_string().starts_with("tmux is not installed"));
    }
}
