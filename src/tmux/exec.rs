//! Running one tmux command with a deadline: the child is killed when it does not finish in
//! time, so a hung server never freezes the dashboard's key handling.

use super::error::TmuxError;
use std::ffi::OsString;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

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
    let deadline = Instant::now() + timeout;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => TmuxError::NotInstalled {
                program: program.to_path_buf(),
            },
            _ => TmuxError::Spawn {
                program: program.to_path_buf(),
                source,
            },
        })?;
    let timed_out = || TmuxError::Timeout {
        command: command.to_owned(),
        after: timeout,
    };
    let readers = (reader(child.stdout.take()), reader(child.stderr.take()));
    let (Ok(out_rx), Ok(err_rx)) = readers else {
        kill(&mut child);
        return Err(TmuxError::Spawn {
            program: program.to_path_buf(),
            source: std::io::Error::other("could not start a thread to read tmux's output"),
        });
    };
    // Both pipes reach end of file when tmux exits; a hung tmux keeps them open.
    let (Some(stdout), Some(stderr)) = (receive(&out_rx, deadline), receive(&err_rx, deadline))
    else {
        kill(&mut child);
        return Err(timed_out());
    };
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(1)),
            Ok(None) => {
                kill(&mut child);
                return Err(timed_out());
            }
            Err(source) => {
                kill(&mut child);
                return Err(TmuxError::Spawn {
                    program: program.to_path_buf(),
                    source,
                });
            }
        }
    };
    Ok(Finished {
        status,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).trim().to_owned(),
    })
}

/// Reads `pipe` to its end on a thread; the bytes arrive on the returned channel.
fn reader(pipe: Option<impl Read + Send + 'static>) -> std::io::Result<Receiver<Vec<u8>>> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("tmux-output".to_owned())
        .spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut buf);
            }
            let _ = tx.send(buf);
        })?;
    Ok(rx)
}

/// The bytes from `rx`, or `None` when `deadline` passes first.
fn receive(rx: &Receiver<Vec<u8>>, deadline: Instant) -> Option<Vec<u8>> {
    rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        .ok()
}

/// Kills and reaps `child` (errors ignored: it may have exited meanwhile).
fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn tmux_exec_kills_a_hung_command() {
        let started = Instant::now();
        let err = run(
            Path::new("sleep"),
            &args(&["10"]),
            "list-panes",
            Duration::from_millis(200),
        )
        .unwrap_err();
        assert!(matches!(err, TmuxError::Timeout { .. }), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5));
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
