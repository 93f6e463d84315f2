//! The input gate: lets the event loop lend the terminal to a program in the foreground (the
//! pager, the user's editor) without our input thread stealing its keystrokes. Closing the
//! gate wakes the reader through a pipe it polls beside the tty; the reader then parks until
//! the gate opens again, and says it has parked, so no byte meant for the other program is
//! read by us.

use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use std::io;
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

/// Where the gate stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// The reader reads.
    Open,
    /// The loop asked the reader to stop reading.
    Closing,
    /// The reader has stopped reading and waits for the gate to open.
    Closed,
}

/// Shared by the event loop (which closes and opens it) and the input reader (which parks).
#[derive(Debug)]
pub struct InputGate {
    state: Mutex<State>,
    changed: Condvar,
    wake_read: OwnedFd,
    wake_write: OwnedFd,
}

impl InputGate {
    /// An open gate.
    ///
    /// # Errors
    /// When its wake-up pipe cannot be made.
    pub fn new() -> io::Result<InputGate> {
        let (wake_read, wake_write) = rustix::pipe::pipe()?;
        Ok(InputGate {
            state: Mutex::new(State::Open),
            changed: Condvar::new(),
            wake_read,
            wake_write,
        })
    }

    /// The fd the reader polls beside the tty: readable when the gate wants its attention.
    #[must_use]
    pub fn wake_fd(&self) -> BorrowedFd<'_> {
        self.wake_read.as_fd()
    }

    /// Asks the reader to stop reading and waits (at most `timeout`) until it has. Returns
    /// whether it did.
    pub fn close(&self, timeout: Duration) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        *state = State::Closing;
        let _ = rustix::io::write(&self.wake_write, &[1]);
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| *s == State::Closing)
            .unwrap_or_else(PoisonError::into_inner);
        *state == State::Closed
    }

    /// Lets the reader read again.
    pub fn open(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        *state = State::Open;
        self.changed.notify_all();
    }

    /// Called by the reader when the wake fd is readable: takes the wake-up byte, and if the
    /// gate is closing, parks until it opens again.
    pub fn park_if_closing(&self) {
        let mut byte = [0u8; 16];
        let _ = rustix::io::read(&self.wake_read, &mut byte);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if *state != State::Closing {
            return;
        }
        *state = State::Closed;
        self.changed.notify_all();
        let _state = self
            .changed
            .wait_while(state, |s| *s != State::Open)
            .unwrap_or_else(PoisonError::into_inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn closing_waits_for_the_reader_to_park_and_opening_releases_it() {
        let gate = Arc::new(InputGate::new().unwrap());
        let reader = {
            let gate = Arc::clone(&gate);
            std::thread::spawn(move || {
                // The reader's loop: wait until the wake fd is readable, then park.
                let wake = gate.wake_fd();
                let mut fds = [rustix::event::PollFd::new(
                    &wake,
                    rustix::event::PollFlags::IN,
                )];
                rustix::event::poll(&mut fds, None).unwrap();
                gate.park_if_closing();
                "released"
            })
        };
        assert!(gate.close(Duration::from_secs(5)), "the reader parked");
        assert!(!reader.is_finished(), "it stays parked while closed");
        gate.open();
        assert_eq!(reader.join().unwrap(), "released");
    }

    #[test]
    fn closing_without_a_reader_gives_up_after_the_timeout() {
        let gate = InputGate::new().unwrap();
        assert!(!gate.close(Duration::from_millis(20)));
    }
}
