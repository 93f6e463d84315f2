//! A long-lived child spoken to over its stdin and stdout (a remote host's channel): started
//! in a process group of its own, its stderr kept (the start of it) for the reason it ended,
//! and its whole group stopped (SIGTERM, then SIGKILL after [`GRACE`]) and reaped when it is
//! dropped, so no ssh or grandchild outlives its owner.

use super::pipes::Capture;
use super::{GRACE, ProcessError, Running};
use std::io;
use std::process::{ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How much of a channel child's stderr is kept.
const STDERR_KEEP: usize = 64 << 10;

/// A running channel child (see the module documentation).
pub struct Channel {
    child: std::process::Child,
    running: Running,
    stderr: Option<Capture>,
    reaped: bool,
}

impl std::fmt::Debug for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Channel")
            .field("pid", &self.child.id())
            .finish_non_exhaustive()
    }
}

/// How a channel child ended.
#[derive(Debug)]
pub struct Ended {
    /// Its exit status (`None` when it could not be waited for).
    pub status: Option<ExitStatus>,
    /// The start of its stderr.
    pub stderr: Vec<u8>,
}

impl Channel {
    /// Starts `command` with piped stdin, stdout and stderr, in a group of its own; gives the
    /// ends to write requests to and read frames from.
    ///
    /// # Errors
    /// [`ProcessError::NotFound`] or [`ProcessError::Spawn`].
    pub fn spawn(mut command: Command) -> Result<(Channel, ChildStdin, ChildStdout), ProcessError> {
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let (mut child, running) = Running::spawn(&mut command, true)?;
        let pipes = (child.stdin.take(), child.stdout.take());
        let stderr = Capture::start(child.stderr.take(), STDERR_KEEP);
        let mut channel = Channel {
            child,
            running,
            stderr: None,
            reaped: false,
        };
        match (pipes, stderr) {
            ((Some(stdin), Some(stdout)), Ok(stderr)) => {
                channel.stderr = Some(stderr);
                Ok((channel, stdin, stdout))
            }
            (_, Err(e)) => Err(ProcessError::Spawn(e)),
            _ => Err(ProcessError::Spawn(io::Error::other(
                "no pipes to the child",
            ))),
        }
    }

    /// The child's process id (also its group's).
    #[must_use]
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Ends the channel: waits up to `patience` for the child to exit by itself (its stdout
    /// reached its end), else stops its group; then reaps it.
    #[must_use]
    pub fn finish(mut self, patience: Duration) -> Ended {
        let until = Instant::now() + patience;
        let mut nap = Duration::from_millis(1);
        while Instant::now() < until && !self.running.exited().unwrap_or(true) {
            std::thread::sleep(nap);
            nap = (nap * 2).min(Duration::from_millis(20));
        }
        if self.running.exited().unwrap_or(true) {
            // Whatever is left of the group (a grandchild holding stderr) goes too.
            self.running.signal(rustix::process::Signal::KILL);
        } else {
            self.running.stop(&mut self.child);
        }
        let status = self.child.wait().ok();
        self.reaped = true;
        let stderr = match self.stderr.take() {
            Some(capture) => {
                capture.wait_end(Instant::now() + GRACE);
                capture.take()
            }
            None => Vec::new(),
        };
        Ended { status, stderr }
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        if !self.reaped {
            self.running.stop(&mut self.child);
        }
    }
}
