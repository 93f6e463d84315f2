//! Running `ntm` for a worker thread: found on PATH (or a clear message when it is not),
//! with a deadline and a cancel flag (through [`crate::process`]), its envelope parsed, its
//! outcome returned as a value (nothing is printed here).

use super::envelope::{Envelope, parse_envelope};
use super::plan::{NtmCommand, Plan};
use super::words;
use crate::process::{Child, ProcessError};
use std::ffi::{OsStr, OsString};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// How long `ntm` may run unless told otherwise (NTM's own timeout for tmux, br and Agent
/// Mail calls is 30 s; its bead lock can be held about as long).
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Kill `ntm` if it runs longer.
    pub deadline: Duration,
    /// Kill `ntm` as soon as this is set.
    pub cancel: Arc<AtomicBool>,
    /// The directory to run in (NTM finds the bead repository from it); `None`: ours.
    pub cwd: Option<PathBuf>,
    /// The `PATH` to search; `None`: the environment's.
    pub path: Option<OsString>,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            deadline: DEFAULT_DEADLINE,
            cancel: Arc::new(AtomicBool::new(false)),
            cwd: None,
            path: None,
        }
    }
}

/// Why a command did not produce an outcome.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// `ntm` is not on PATH.
    #[error("{}", words::NOT_INSTALLED)]
    NotInstalled,
    /// It could not be started.
    #[error("could not run {command}: {source}")]
    Spawn {
        /// The command line.
        command: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Cancelled by the user; `ntm` was stopped.
    #[error("cancelled: {command} was stopped")]
    Cancelled {
        /// The command line.
        command: String,
    },
    /// Ran past the deadline; `ntm` was stopped.
    #[error("{command} ran longer than {}s and was stopped", .after.as_secs())]
    TimedOut {
        /// The command line.
        command: String,
        /// The deadline.
        after: Duration,
    },
    /// It ran but printed no envelope.
    #[error("{command} exited {}: {problem}{}", code_text(*.code), stderr_text(.stderr))]
    NoEnvelope {
        /// The command line.
        command: String,
        /// Its exit code (`None`: killed by a signal).
        code: Option<i32>,
        /// What was wrong with stdout.
        problem: String,
        /// What it printed on stderr.
        stderr: String,
    },
}

fn code_text(code: Option<i32>) -> String {
    code.map_or_else(|| "by a signal".to_owned(), |c| c.to_string())
}

fn stderr_text(stderr: &str) -> String {
    let line = stderr.trim();
    if line.is_empty() {
        String::new()
    } else {
        format!(" (stderr: {line})")
    }
}

/// A command that ran and printed an envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct Ran {
    /// The command line.
    pub command: String,
    /// The exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// NTM's envelope.
    pub envelope: Envelope,
    /// What it printed on stderr.
    pub stderr: String,
}

impl Ran {
    /// Success: exit 0 and `success: true`.
    #[must_use]
    pub fn succeeded(&self) -> bool {
        self.code == Some(0) && self.envelope.success
    }

    /// The outcome in words: `done` (with NTM's warnings), or NTM's error code and message.
    #[must_use]
    pub fn summary(&self) -> String {
        if self.succeeded() {
            let mut text = "done".to_owned();
            for w in &self.envelope.warnings {
                text.push_str(&format!("; warning: {w}"));
            }
            return text;
        }
        match &self.envelope.error {
            Some(e) => words::describe(&e.code, &e.message),
            None if self.envelope.success => {
                format!(
                    "ntm exited {} although it reported success",
                    code_text(self.code)
                )
            }
            None => format!(
                "ntm reported failure (exit {}) without an error",
                code_text(self.code)
            ),
        }
    }
}

/// The `ntm` executable on `path` (or the environment's `PATH`).
#[must_use]
pub fn find_ntm(path: Option<&OsStr>) -> Option<PathBuf> {
    let path = path.map_or_else(
        || std::env::var_os("PATH").unwrap_or_default(),
        OsStr::to_owned,
    );
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join("ntm"))
        .find(|p| {
            p.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// How much of `ntm`'s stdout and stderr is kept: its envelope is small, and a runaway process
/// cannot fill our memory.
const KEEP: usize = 16 << 20;

/// Runs one command to its end, the deadline, or cancellation (through [`crate::process`]: in
/// a process group of its own, stopped with its whole group, never waiting on a pipe that a
/// grandchild holds open).
///
/// # Errors
/// See [`RunError`]. A failure NTM reports (exit 1, `success: false`) is not an error: it is
/// a [`Ran`] whose [`Ran::succeeded`] is false.
pub fn run(command: &NtmCommand, options: &RunOptions) -> Result<Ran, RunError> {
    let shown = command.display();
    let program = find_ntm(options.path.as_deref()).ok_or(RunError::NotInstalled)?;
    let mut cmd = Command::new(program);
    cmd.args(&command.args);
    if let Some(home) = &command.home {
        cmd.env("HOME", home);
    }
    if let Some(dir) = &options.cwd {
        cmd.current_dir(dir);
    }
    let done = Child::new(cmd)
        .deadline(options.deadline)
        .cancel(Arc::clone(&options.cancel))
        .keep(KEEP)
        .run()
        .map_err(|e| match e {
            ProcessError::Cancelled => RunError::Cancelled {
                command: shown.clone(),
            },
            ProcessError::TimedOut(after) => RunError::TimedOut {
                command: shown.clone(),
                after,
            },
            ProcessError::NotFound(source)
            | ProcessError::Spawn(source)
            | ProcessError::Wait(source) => RunError::Spawn {
                command: shown.clone(),
                source,
            },
        })?;
    let stderr = String::from_utf8_lossy(&done.stderr).into_owned();
    match parse_envelope(&done.stdout) {
        Ok(envelope) => Ok(Ran {
            command: shown,
            code: done.status.code(),
            envelope,
            stderr,
        }),
        Err(problem) => Err(RunError::NoEnvelope {
            command: shown,
            code: done.status.code(),
            problem,
            stderr,
        }),
    }
}

/// Progress of a plan, for a worker to stream to the screen.
#[derive(Debug)]
pub enum StepEvent<'a> {
    /// Step `index` (0-based) of `of` is about to run.
    Started {
        /// Which step.
        index: usize,
        /// How many.
        of: usize,
        /// The command.
        command: &'a NtmCommand,
    },
    /// Step `index` ended.
    Finished {
        /// Which step.
        index: usize,
        /// Its outcome.
        result: &'a Result<Ran, RunError>,
    },
}

/// The outcome of a plan: each step that ran, in order.
#[derive(Debug)]
pub struct PlanOutcome {
    /// (command line, outcome) of each step that ran; a failed step is the last.
    pub steps: Vec<(String, Result<Ran, RunError>)>,
}

impl PlanOutcome {
    /// Every step ran and succeeded.
    #[must_use]
    pub fn succeeded(&self, plan: &Plan) -> bool {
        self.steps.len() == plan.steps.len()
            && self
                .steps
                .iter()
                .all(|(_, r)| r.as_ref().is_ok_and(Ran::succeeded))
    }
}

/// Runs the plan's steps in order, stopping at the first that fails or does not run.
pub fn run_plan(
    plan: &Plan,
    options: &RunOptions,
    mut on_step: impl FnMut(StepEvent),
) -> PlanOutcome {
    let mut steps = Vec::new();
    let of = plan.steps.len();
    for (index, command) in plan.steps.iter().enumerate() {
        on_step(StepEvent::Started { index, of, command });
        let result = run(command, options);
        on_step(StepEvent::Finished {
            index,
            result: &result,
        });
        let go_on = result.as_ref().is_ok_and(Ran::succeeded);
        steps.push((command.display(), result));
        if !go_on {
            break;
        }
    }
    PlanOutcome { steps }
}
