//! Running a child process: the one way tmux, `ntm`, notify hooks, the pager and the editor are
//! run, with no terminal code.
//!
//! A child runs in a process group of its own (unless it is a [`Child::foreground`] program,
//! which must stay in the terminal's foreground group to read keys). It is stopped at its
//! deadline or when its cancel flag is set: its whole group gets SIGTERM, then SIGKILL after
//! [`GRACE`]. Its stdout and stderr are read on threads into at most [`Child::keep`] bytes
//! each (the rest is drained and dropped, so a chatty child never blocks on a full pipe), and
//! nothing ever waits for their end of file past a short grace once the child has exited: a
//! grandchild still holding a pipe open is stopped with the rest of the group, and its reader
//! thread is left to end by itself. The child's exit is noticed without reaping it
//! (`waitid(WNOWAIT)`), so its group id cannot be reused before the group is stopped.

mod channel;
mod pipes;

pub use channel::{Channel, Ended};

use pipes::Capture;
use rustix::process::{Pid, Signal, WaitId, WaitIdOptions};
use std::io;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a stopped child (and its group) has between SIGTERM and SIGKILL, and how long its
/// pipes have to reach end of file once it exited.
pub const GRACE: Duration = Duration::from_millis(200);

/// How much of each of stdout and stderr is kept unless told otherwise.
pub const DEFAULT_KEEP: usize = 16 << 20;

/// The longest pause between two looks at a running child.
const LONGEST_NAP: Duration = Duration::from_millis(20);

/// Why a child gave no [`Finished`].
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    /// The program does not exist.
    #[error("not found: {0}")]
    NotFound(#[source] io::Error),
    /// It could not be started (or its pipes' threads could not).
    #[error("cannot start it: {0}")]
    Spawn(#[source] io::Error),
    /// It ran past its deadline and was stopped.
    #[error("it ran longer than {} and was stopped", humantime::format_duration(*.0))]
    TimedOut(Duration),
    /// Its cancel flag was set and it was stopped.
    #[error("cancelled")]
    Cancelled,
    /// It could not be waited for (it was stopped).
    #[error("cannot wait for it: {0}")]
    Wait(#[source] io::Error),
}

/// A child that ran to its end.
#[derive(Debug)]
pub struct Finished {
    /// How it exited.
    pub status: ExitStatus,
    /// The start of its stdout (empty unless captured).
    pub stdout: Vec<u8>,
    /// The start of its stderr (empty unless captured).
    pub stderr: Vec<u8>,
}

/// A child to run (a builder; see the module documentation).
#[derive(Debug)]
pub struct Child {
    command: Command,
    deadline: Option<Duration>,
    cancel: Option<Arc<AtomicBool>>,
    input: Option<Vec<u8>>,
    keep: usize,
    capture: (bool, bool),
    foreground: bool,
}

impl Child {
    /// `command` with stdin from /dev/null and stdout and stderr captured, in a group of its
    /// own, with no deadline.
    #[must_use]
    pub fn new(command: Command) -> Child {
        Child {
            command,
            deadline: None,
            cancel: None,
            input: None,
            keep: DEFAULT_KEEP,
            capture: (true, true),
            foreground: false,
        }
    }

    /// Stops the child when it runs longer than `deadline`.
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Child {
        self.deadline = Some(deadline);
        self
    }

    /// Stops the child as soon as `cancel` is set.
    #[must_use]
    pub fn cancel(mut self, cancel: Arc<AtomicBool>) -> Child {
        self.cancel = Some(cancel);
        self
    }

    /// Gives the child `bytes` on its stdin (written on a thread: a child that never reads
    /// cannot hold anything up).
    #[must_use]
    pub fn input(mut self, bytes: Vec<u8>) -> Child {
        self.input = Some(bytes);
        self
    }

    /// Keeps at most `bytes` of each of stdout and stderr.
    #[must_use]
    pub fn keep(mut self, bytes: usize) -> Child {
        self.keep = bytes;
        self
    }

    /// Sends the child's stdout to /dev/null.
    #[must_use]
    pub fn discard_stdout(mut self) -> Child {
        self.capture.0 = false;
        self
    }

    /// A program that uses the terminal (pager, editor): its stdio is ours, it stays in our
    /// process group (the terminal's foreground group), and only it is signalled when stopped.
    #[must_use]
    pub fn foreground(mut self) -> Child {
        self.foreground = true;
        self
    }

    /// Runs the child to its end, its deadline or its cancellation.
    ///
    /// # Errors
    /// See [`ProcessError`]; the child (and its group) is stopped and reaped in every case.
    pub fn run(self) -> Result<Finished, ProcessError> {
        let mut command = self.command;
        let piped = |on: bool| if on { Stdio::piped() } else { Stdio::null() };
        if !self.foreground {
            command
                .stdin(if self.input.is_some() {
                    Stdio::piped()
                } else {
                    Stdio::null()
                })
                .stdout(piped(self.capture.0))
                .stderr(piped(self.capture.1));
            std::os::unix::process::CommandExt::process_group(&mut command, 0);
        }
        let (mut child, running) = Running::spawn(&mut command, !self.foreground)?;
        let started = (|| {
            if let (Some(bytes), Some(pipe)) = (self.input, child.stdin.take()) {
                pipes::feed(pipe, bytes)?;
            }
            Ok::<_, io::Error>((
                Capture::start(child.stdout.take(), self.keep)?,
                Capture::start(child.stderr.take(), self.keep)?,
            ))
        })();
        let (out, err) = match started {
            Ok(captures) => captures,
            Err(e) => {
                running.stop(&mut child);
                return Err(ProcessError::Spawn(e));
            }
        };
        let since = Instant::now();
        let mut nap = Duration::from_millis(1);
        loop {
            match running.exited() {
                Ok(true) => break,
                Ok(false) => {}
                Err(e) => {
                    running.stop(&mut child);
                    return Err(ProcessError::Wait(e));
                }
            }
            if self
                .cancel
                .as_ref()
                .is_some_and(|c| c.load(Ordering::SeqCst))
            {
                running.stop(&mut child);
                return Err(ProcessError::Cancelled);
            }
            if let Some(deadline) = self.deadline.filter(|d| since.elapsed() >= *d) {
                running.stop(&mut child);
                return Err(ProcessError::TimedOut(deadline));
            }
            std::thread::sleep(nap);
            nap = (nap * 2).min(LONGEST_NAP);
        }
        // It exited (not yet reaped). What it wrote is in the pipes; a grandchild that still
        // holds them open is stopped with the group, which closes them.
        let ends = Instant::now() + GRACE;
        if !(out.wait_end(ends) && err.wait_end(ends)) && running.group {
            running.signal(Signal::KILL);
        }
        let status = child.wait().map_err(ProcessError::Wait)?;
        Ok(Finished {
            status,
            stdout: out.take(),
            stderr: err.take(),
        })
    }
}

/// A started child's pid, and whether it leads a group of its own.
struct Running {
    pid: Pid,
    group: bool,
}

impl Running {
    /// Starts `command` (already set up) and keeps its pid.
    fn spawn(
        command: &mut Command,
        group: bool,
    ) -> Result<(std::process::Child, Running), ProcessError> {
        let child = command.spawn().map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => ProcessError::NotFound(e),
            _ => ProcessError::Spawn(e),
        })?;
        let pid = Pid::from_child(&child);
        Ok((child, Running { pid, group }))
    }

    /// Whether the child has exited (it stays unreaped, keeping its group id taken).
    fn exited(&self) -> io::Result<bool> {
        let options = WaitIdOptions::EXITED | WaitIdOptions::NOHANG | WaitIdOptions::NOWAIT;
        rustix::process::waitid(WaitId::Pid(self.pid), options)
            .map(|status| status.is_some())
            .map_err(io::Error::from)
    }

    /// Sends `signal` to the child's group (or to the child alone, in the foreground).
    fn signal(&self, signal: Signal) {
        let _ = if self.group {
            rustix::process::kill_process_group(self.pid, signal)
        } else {
            rustix::process::kill_process(self.pid, signal)
        };
    }

    /// SIGTERM, up to [`GRACE`] for the child to exit, SIGKILL, then reaps it.
    fn stop(&self, child: &mut std::process::Child) {
        self.signal(Signal::TERM);
        let until = Instant::now() + GRACE;
        while Instant::now() < until && !self.exited().unwrap_or(true) {
            std::thread::sleep(Duration::from_millis(5));
        }
        self.signal(Signal::KILL);
        let _ = child.wait();
    }
}
