//! The input reader: our own thread owns the tty's input fd, waits with poll(2), reads the
//! bytes itself and parses them with `termina::Parser`. Nothing else reads the terminal, so
//! nothing can race it for a cursor-position reply. End of file, EIO/ENXIO and
//! POLLHUP/POLLERR/POLLNVAL end the reader with a [`Lost`] (the program then stops); it never
//! retries a dead fd, so it cannot spin.

use super::gate::InputGate;
use super::keys;
use super::shutdown::{Shutdown, Stop};
use crate::app::event::Msg;
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::io::Errno;
use std::collections::VecDeque;
use std::fmt;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;

/// How long an Esc that ended a full read waits for the rest of its sequence before it counts
/// as typed as is. (An Esc that ends a shorter read is Esc at once, as crossterm and termina's
/// own reader decide: a terminal writes each escape sequence whole, so a read that stopped
/// short has all of it; unfinished sequences such as `ESC [ 1 ;` wait for their end anyway.)
pub const ESC_WAIT: Duration = Duration::from_millis(25);

/// Why the terminal's input is gone for good.
#[derive(Debug)]
pub enum Lost {
    /// `read` returned 0: the other end is closed.
    EndOfFile,
    /// poll reported POLLHUP, POLLERR or POLLNVAL and nothing more can be read.
    Hangup(&'static str),
    /// `read` or `poll` failed (EIO and ENXIO when the terminal is gone).
    Error(Errno),
}

impl fmt::Display for Lost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lost::EndOfFile => write!(f, "the terminal is gone (end of input)"),
            Lost::Hangup(what) => write!(f, "the terminal is gone ({what})"),
            Lost::Error(e) => write!(f, "the terminal is gone (reading input failed: {e})"),
        }
    }
}

/// Keys and mouse events from any fd (the tty; a pipe or a pty in tests).
pub struct Reader<F> {
    fd: F,
    parser: termina::Parser,
    chunk: Vec<u8>,
    /// The last read filled the buffer: more of its last sequence may follow.
    unsettled: bool,
    ready: VecDeque<Msg>,
    /// Lets the event loop lend the terminal to another program (see [`InputGate`]).
    gate: Option<Arc<InputGate>>,
}

impl<F: AsFd> Reader<F> {
    /// A reader of `fd`.
    pub fn new(fd: F) -> Self {
        Self::with_chunk(fd, 1024)
    }

    /// A reader that reads at most `chunk` bytes at a time (tests use tiny chunks to split
    /// escape sequences across reads).
    pub fn with_chunk(fd: F, chunk: usize) -> Self {
        Reader {
            fd,
            parser: termina::Parser::default(),
            chunk: vec![0; chunk.max(1)],
            unsettled: false,
            ready: VecDeque::new(),
            gate: None,
        }
    }

    /// Also watches `gate`: when it closes, the reader parks until it opens again.
    #[must_use]
    pub fn with_gate(mut self, gate: Arc<InputGate>) -> Self {
        self.gate = Some(gate);
        self
    }

    /// The next key or mouse event. Blocks until one arrives, or fails once the input is gone.
    ///
    /// # Errors
    /// [`Lost`] when the fd reaches end of file, hangs up or fails; call no more after that.
    pub fn next_event(&mut self) -> Result<Msg, Lost> {
        loop {
            if let Some(msg) = self.ready.pop_front() {
                return Ok(msg);
            }
            self.fill()?;
        }
    }

    /// Waits for input and parses what arrives (or, after [`ESC_WAIT`] of quiet following a
    /// full read, settles its end: a lone Esc becomes Esc).
    fn fill(&mut self) -> Result<(), Lost> {
        let wait = self
            .unsettled
            .then(|| Timespec::try_from(ESC_WAIT).unwrap_or_default());
        let revents = {
            let gate = self.gate.as_deref();
            let wake = gate.map(InputGate::wake_fd);
            let mut fds = vec![PollFd::new(&self.fd, PollFlags::IN)];
            if let Some(wake) = &wake {
                fds.push(PollFd::new(wake, PollFlags::IN));
            }
            let polled = poll(&mut fds, wait.as_ref());
            if let (Some(gate), Some(w)) = (gate, fds.get(1))
                && !w.revents().is_empty()
            {
                // Another program has the terminal now: read nothing until it is ours again.
                gate.park_if_closing();
                return Ok(());
            }
            match polled {
                Ok(0) => {
                    self.parser.parse(&[], false);
                    self.unsettled = false;
                    self.take_parsed();
                    return Ok(());
                }
                Ok(_) => fds[0].revents(),
                Err(Errno::INTR) => return Ok(()),
                Err(e) => return Err(Lost::Error(e)),
            }
        };
        if revents.contains(PollFlags::NVAL) {
            return Err(Lost::Hangup("POLLNVAL: the input fd is not open"));
        }
        // On POLLHUP or POLLERR, read anyway: what was typed before the hangup is still
        // delivered, and the read then reports the end (0, EIO) instead of us guessing.
        match rustix::io::read(&self.fd, &mut self.chunk) {
            Ok(0) => Err(Lost::EndOfFile),
            Ok(n) => {
                self.unsettled = n == self.chunk.len();
                self.parser.parse(&self.chunk[..n], self.unsettled);
                self.take_parsed();
                Ok(())
            }
            Err(Errno::INTR) => Ok(()),
            Err(Errno::AGAIN) if !revents.intersects(PollFlags::HUP | PollFlags::ERR) => Ok(()),
            Err(Errno::AGAIN) => Err(Lost::Hangup(if revents.contains(PollFlags::ERR) {
                "POLLERR"
            } else {
                "POLLHUP"
            })),
            Err(e) => Err(Lost::Error(e)),
        }
    }

    fn take_parsed(&mut self) {
        while let Some(event) = self.parser.pop() {
            if let Some(msg) = keys::message(event) {
                self.ready.push_back(msg);
            }
        }
    }
}

/// Reads the terminal (a duplicate of stdin) on a thread of its own and forwards keys and
/// mouse events. When the input is lost it records why with `shutdown` (arming the watchdog)
/// and sends [`Msg::Stop`], then ends.
///
/// # Errors
/// When stdin cannot be duplicated or the thread cannot be started.
pub fn spawn(tx: Sender<Msg>, shutdown: Shutdown, gate: Arc<InputGate>) -> std::io::Result<()> {
    let fd = std::io::stdin().as_fd().try_clone_to_owned()?;
    std::thread::Builder::new()
        .name("input".into())
        .spawn(move || forward(Reader::new(fd).with_gate(gate), &tx, &shutdown))?;
    Ok(())
}

/// Forwards `reader`'s events to `tx` until the input is lost or nobody listens.
pub fn forward<F: AsFd>(mut reader: Reader<F>, tx: &Sender<Msg>, shutdown: &Shutdown) {
    loop {
        match reader.next_event() {
            Ok(msg) => {
                if tx.send(msg).is_err() {
                    return;
                }
            }
            Err(lost) => {
                let reason = lost.to_string();
                shutdown.request(Stop::Lost(reason.clone()));
                let _ = tx.send(Msg::Stop(reason));
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests;
