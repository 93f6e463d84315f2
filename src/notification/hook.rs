//! The hook channel: the user's shell command, run with `sh -c` and the notice as one JSON
//! object (and a newline) on its stdin, without ever blocking the dashboard's thread.
//!
//! Each notice gets a background thread that spawns the hook, feeds its stdin, and waits for it.
//! A hook that outlives its timeout is killed with its whole process group (it runs in a group
//! of its own, through [`crate::process`]); so is a background process it leaves holding its
//! stderr open when it exits. Failures (a command that cannot start or is not found, a non-zero exit, a
//! signal, a timeout) are reported as one line of text through the report callback given at
//! construction, never returned from [`Notifier::notify`]. At most [`MAX_RUNNING_HOOKS`] hooks
//! run at once; notices beyond that are dropped with a report, so a burst cannot fork-bomb.
//!
//! The hook's environment is the dashboard's plus `BEADBOARD_EVENT` (`attention` or `finished`)
//! and, for hooks that do not parse JSON, `BEADBOARD_ITEM`, `BEADBOARD_TITLE` and
//! `BEADBOARD_BODY` (one line each, control characters removed). Its stdout is discarded; the
//! start of its stderr is quoted in a failure report.

use super::{Notice, Notifier, NotifyError};
use crate::present::sanitize::one_line;
use crate::process::{Child, ProcessError};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

/// How long a hook may run before it is killed, unless configured otherwise.
pub const DEFAULT_HOOK_TIMEOUT: Duration = Duration::from_secs(10);
/// How many hooks may run at once; notices beyond that are dropped (and reported).
pub const MAX_RUNNING_HOOKS: usize = 4;

/// How much of a failed hook's stderr is kept for its report.
const STDERR_KEEP: usize = 4096;
/// How many characters of stderr a report quotes.
const STDERR_QUOTE_CHARS: usize = 160;

type Report = Arc<Mutex<Box<dyn Fn(String) + Send>>>;

/// Runs a shell command for each notice (see the module documentation).
pub struct HookNotifier {
    command: String,
    timeout: Duration,
    report: Report,
    running: Arc<AtomicUsize>,
}

impl std::fmt::Debug for HookNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HookNotifier")
            .field("command", &self.command)
            .field("timeout", &self.timeout)
            .field("running", &self.running())
            .finish_non_exhaustive()
    }
}

impl HookNotifier {
    /// Runs `command` with `sh -c` for each notice, killing it after `timeout`; `report` gets
    /// one line of text for each failure (called from background threads; the dashboard
    /// typically sends it into its event channel to show in the status line).
    pub fn new(
        command: impl Into<String>,
        timeout: Duration,
        report: impl Fn(String) + Send + 'static,
    ) -> Self {
        HookNotifier {
            command: command.into(),
            timeout,
            report: Arc::new(Mutex::new(Box::new(report))),
            running: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// The command, as given.
    #[must_use]
    pub fn command(&self) -> &str {
        &self.command
    }

    /// How many hooks are running now.
    #[must_use]
    pub fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }
}

impl Notifier for HookNotifier {
    /// Starts the hook on a background thread and returns at once. Only a thread that cannot
    /// be started is an error here; everything else goes to the report callback.
    fn notify(&mut self, notice: &Notice) -> Result<(), NotifyError> {
        let mut stdin = notice.to_json()?.into_bytes();
        stdin.push(b'\n');
        let claimed = self
            .running
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < MAX_RUNNING_HOOKS).then_some(n + 1)
            });
        if claimed.is_err() {
            send(
                &self.report,
                format!(
                    "notify hook skipped for {}: {MAX_RUNNING_HOOKS} hooks still running",
                    one_line(&notice.item)
                ),
            );
            return Ok(());
        }
        let slot = Slot(Arc::clone(&self.running));
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(&self.command)
            .env("BEADBOARD_EVENT", notice.event.as_str())
            .env("BEADBOARD_ITEM", one_line(&notice.item))
            .env("BEADBOARD_TITLE", one_line(&notice.title))
            .env("BEADBOARD_BODY", one_line(&notice.body));
        let timeout = self.timeout;
        let report = Arc::clone(&self.report);
        thread::Builder::new()
            .name("notify-hook".into())
            .spawn(move || {
                if let Err(problem) = run(cmd, stdin, timeout) {
                    send(&report, problem);
                }
                drop(slot);
            })
            .map(drop)
            .map_err(NotifyError::Thread)
    }
}

/// A claim on one of the [`MAX_RUNNING_HOOKS`] places, given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn send(report: &Report, message: String) {
    (report.lock().unwrap_or_else(PoisonError::into_inner))(message);
}

/// Runs one hook to its end (or its timeout), through [`crate::process`]: in a group of its
/// own, killed with the group at the timeout, and never held up by a grandchild that keeps its
/// stderr open. The error is the report's text.
fn run(cmd: Command, stdin: Vec<u8>, timeout: Duration) -> Result<(), String> {
    let done = Child::new(cmd)
        .input(stdin)
        .discard_stdout()
        .keep(STDERR_KEEP)
        .deadline(timeout)
        .run()
        .map_err(|e| match e {
            ProcessError::TimedOut(_) => format!(
                "notify hook timed out after {} and was killed",
                humantime::format_duration(timeout)
            ),
            ProcessError::Wait(e) => format!("notify hook could not be waited for: {e}"),
            other => format!("notify hook could not start: {other}"),
        })?;
    if done.status.success() {
        return Ok(());
    }
    Err(failure(
        done.status,
        &quote(&String::from_utf8_lossy(&done.stderr)),
    ))
}

/// The report of a hook that ended badly.
fn failure(status: ExitStatus, said: &str) -> String {
    let how = match (status.code(), status.signal()) {
        (Some(127), _) => "failed: command not found (exit status 127)".to_owned(),
        (Some(code), _) => format!("failed with exit status {code}"),
        (None, Some(signal)) => format!("was killed by signal {signal}"),
        (None, None) => format!("failed: {status}"),
    };
    if said.is_empty() {
        format!("notify hook {how}")
    } else {
        format!("notify hook {how}: {said}")
    }
}

/// One line of the hook's stderr, safe for the status line and not too long.
fn quote(text: &str) -> String {
    let line = one_line(text);
    let line = line.trim();
    if line.chars().count() <= STDERR_QUOTE_CHARS {
        return line.to_owned();
    }
    let mut cut: String = line.chars().take(STDERR_QUOTE_CHARS - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_read_well() {
        let exit = |code: i32| ExitStatus::from_raw(code << 8);
        assert_eq!(
            failure(exit(3), ""),
            "notify hook failed with exit status 3"
        );
        assert_eq!(
            failure(exit(127), "sh: 1: nope: not found"),
            "notify hook failed: command not found (exit status 127): sh: 1: nope: not found"
        );
        assert_eq!(
            failure(ExitStatus::from_raw(9), ""),
            "notify hook was killed by signal 9"
        );
    }

    #[test]
    fn stderr_quotes_are_one_safe_capped_line() {
        assert_eq!(quote("oops\n\u{1b}[31mred\u{1b}[0m\n"), "oops ⏎ red");
        let long = quote(&"é".repeat(500));
        assert_eq!(long.chars().count(), STDERR_QUOTE_CHARS);
        assert!(long.ends_with('…'));
    }
}
