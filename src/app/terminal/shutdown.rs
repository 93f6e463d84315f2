//! Stopping for sure. Whoever needs the program to end (a signal, lost input, the event loop
//! itself) records why with [`Shutdown::request`]; the event loop is also told by message and
//! normally finishes at once. A watchdog thread gives it [`GRACE`]: if the loop is still busy or
//! parked after that, the watchdog restores the terminal best-effort (bounded, a dead or stalled
//! tty cannot hold it) and exits the process with the reason's status.

use super::Restore;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How long the event loop has to finish after a stop is requested.
pub const GRACE: Duration = Duration::from_millis(500);

/// How long the watchdog's restore and farewell may take before it exits regardless.
pub const RESTORE_LIMIT: Duration = Duration::from_millis(250);

/// Why the program stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// The user quit.
    Quit,
    /// A signal (SIGTERM, SIGINT, SIGHUP) asked it to.
    Signal(i32),
    /// The terminal is gone (end of input, EIO, hangup, a failed write).
    Lost(String),
}

impl Stop {
    /// The exit status: 0 for a quit, 128 + the signal's number as shells report a signal,
    /// 4 for a lost terminal (an error, as the CLI's exit code table says).
    #[must_use]
    pub fn status(&self) -> u8 {
        match self {
            Stop::Quit => 0,
            Stop::Signal(n) => u8::try_from(128 + n).unwrap_or(4),
            Stop::Lost(_) => 4,
        }
    }
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Quit => write!(f, "quit"),
            Stop::Signal(n) => write!(
                f,
                "stopped by {}",
                signal_hook::low_level::signal_name(*n).unwrap_or("a signal")
            ),
            Stop::Lost(why) => write!(f, "{why}"),
        }
    }
}

#[derive(Default)]
struct State {
    stop: Option<Stop>,
    finished: bool,
    restore: Option<Arc<Restore>>,
}

#[derive(Default)]
struct Inner {
    state: Mutex<State>,
    changed: Condvar,
}

/// The shared stop request, and the watchdog that enforces it.
#[derive(Clone, Default)]
pub struct Shutdown(Arc<Inner>);

impl Shutdown {
    /// A shutdown with nothing requested yet and no watchdog.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.0.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Asks the program to stop; the first reason wins. Arms the watchdog.
    pub fn request(&self, stop: Stop) {
        let mut state = self.lock();
        if state.stop.is_none() {
            state.stop = Some(stop);
        }
        drop(state);
        self.0.changed.notify_all();
    }

    /// The reason recorded, if any.
    #[must_use]
    pub fn requested(&self) -> Option<Stop> {
        self.lock().stop.clone()
    }

    /// What the watchdog restores when it has to (`None` while the terminal is not ours).
    pub fn set_restore(&self, restore: Option<Arc<Restore>>) {
        self.lock().restore = restore;
    }

    /// The event loop is done and the terminal restored: the watchdog stands down.
    pub fn finish(&self) {
        self.lock().finished = true;
        self.0.changed.notify_all();
    }

    /// Starts the watchdog: once a stop is requested and the event loop has not finished
    /// within `grace`, `expire` runs with the reason and the restore to do (in the program,
    /// [`exit_now`]).
    ///
    /// # Errors
    /// When the thread cannot be started.
    pub fn spawn_watchdog(
        &self,
        grace: Duration,
        expire: impl FnOnce(Stop, Option<Arc<Restore>>) + Send + 'static,
    ) -> std::io::Result<()> {
        let this = self.clone();
        std::thread::Builder::new()
            .name("watchdog".into())
            .spawn(move || {
                if let Some((stop, restore)) = this.overdue(grace) {
                    expire(stop, restore);
                }
            })?;
        Ok(())
    }

    /// Waits for a request, then up to `grace` for the loop to finish; the reason and restore
    /// when it did not.
    fn overdue(&self, grace: Duration) -> Option<(Stop, Option<Arc<Restore>>)> {
        let mut state = self.lock();
        while state.stop.is_none() && !state.finished {
            state = self
                .0
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        let deadline = Instant::now() + grace;
        while !state.finished {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            state = self
                .0
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        if state.finished {
            return None;
        }
        Some((state.stop.clone()?, state.restore.clone()))
    }
}

/// The watchdog's way out: restores the terminal and says why on a helper thread, waiting at
/// most [`RESTORE_LIMIT`] for it, then ends the process at once with the reason's status (no
/// destructors or buffered-output flushes that could block on the tty).
pub fn exit_now(stop: Stop, restore: Option<Arc<Restore>>) -> ! {
    let status = stop.status();
    let (done, wait) = std::sync::mpsc::channel();
    let farewell = std::thread::Builder::new().spawn(move || {
        if let Some(restore) = restore {
            let _ = restore.restore();
        }
        if stop != Stop::Quit {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "beadboard: {stop} (the event loop did not finish within {} ms; the watchdog ended it)",
                GRACE.as_millis()
            );
        }
        let _ = done.send(());
    });
    if farewell.is_ok() {
        let _ = wait.recv_timeout(RESTORE_LIMIT);
    }
    signal_hook::low_level::exit(i32::from(status))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn watched(grace: Duration) -> (Shutdown, mpsc::Receiver<Stop>) {
        let shutdown = Shutdown::new();
        let (tx, rx) = mpsc::channel();
        shutdown
            .spawn_watchdog(grace, move |stop, _| {
                let _ = tx.send(stop);
            })
            .unwrap();
        (shutdown, rx)
    }

    #[test]
    fn the_watchdog_fires_when_the_loop_does_not_finish() {
        let (shutdown, fired) = watched(Duration::from_millis(20));
        shutdown.request(Stop::Signal(15));
        shutdown.request(Stop::Quit);
        assert_eq!(
            fired.recv().unwrap(),
            Stop::Signal(15),
            "the first reason wins"
        );
    }

    #[test]
    fn the_watchdog_stands_down_when_the_loop_finishes() {
        let (shutdown, fired) = watched(Duration::from_secs(30));
        shutdown.request(Stop::Lost("gone".into()));
        shutdown.finish();
        // The watchdog thread ends without firing: its sender is dropped unused.
        assert_eq!(fired.recv(), Err(mpsc::RecvError));
    }

    #[test]
    fn a_finish_without_a_request_also_ends_the_watchdog() {
        let (shutdown, fired) = watched(Duration::ZERO);
        shutdown.finish();
        assert_eq!(fired.recv(), Err(mpsc::RecvError));
        assert_eq!(shutdown.requested(), None);
    }

    #[test]
    fn statuses_follow_shell_conventions() {
        assert_eq!(Stop::Quit.status(), 0);
        assert_eq!(Stop::Signal(15).status(), 143);
        assert_eq!(Stop::Signal(1).status(), 129);
        assert_eq!(Stop::Signal(2).status(), 130);
        assert_eq!(Stop::Lost("x".into()).status(), 4);
        assert_eq!(Stop::Signal(15).to_string(), "stopped by SIGTERM");
    }
}
