//! Giving the terminal back: the sequences that leave (and re-enter) the alternate screen, and
//! the terminal modes from before beadboard started. Written straight to a duplicate of the
//! fds, so the panic hook and the watchdog can use it whatever the main thread holds.

use crossterm::{cursor, event as ct, queue, terminal as ct_terminal};
use rustix::termios::{OptionalActions, Termios, tcsetattr};
use std::io::{self, Write};
use std::os::fd::AsFd;

/// Writes `bytes` to the terminal through a duplicate of stdout: no lock shared with the
/// drawing code, so a panic hook or the watchdog can use it whatever the main thread holds.
pub(super) fn write_tty(bytes: &[u8]) -> io::Result<()> {
    let mut out = std::fs::File::from(io::stdout().as_fd().try_clone_to_owned()?);
    out.write_all(bytes)?;
    out.flush()
}

/// What giving the terminal back takes; shared with the panic hook and the watchdog.
#[derive(Debug)]
pub struct Restore {
    original: Termios,
    mouse: bool,
}

impl Restore {
    /// What restores `original` (the modes read before raw mode), with mouse reporting turned
    /// off again if `mouse`.
    #[must_use]
    pub fn new(original: Termios, mouse: bool) -> Self {
        Restore { original, mouse }
    }
}

impl Restore {
    /// Mouse reporting off (if we turned it on), cursor shown, main screen back.
    fn leave_sequence(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        if self.mouse {
            let _ = queue!(bytes, ct::DisableMouseCapture);
        }
        let _ = queue!(bytes, cursor::Show, ct_terminal::LeaveAlternateScreen);
        bytes
    }

    /// Alternate screen, cleared, cursor hidden, mouse reporting on if asked for.
    pub(super) fn enter_sequence(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        let _ = queue!(
            bytes,
            ct_terminal::EnterAlternateScreen,
            ct_terminal::Clear(ct_terminal::ClearType::All),
            cursor::Hide
        );
        if self.mouse {
            let _ = queue!(bytes, ct::EnableMouseCapture);
        }
        bytes
    }

    pub(super) fn raw_mode(&self) -> io::Result<()> {
        let mut raw = self.original.clone();
        raw.make_raw();
        Ok(tcsetattr(io::stdin(), OptionalActions::Now, &raw)?)
    }

    /// Gives the terminal back: the screen as it was, and the terminal modes as they were
    /// before beadboard started. Tries both even if the first fails.
    ///
    /// # Errors
    /// The first failure (on a dead terminal, both fail).
    pub fn restore(&self) -> io::Result<()> {
        let written = write_tty(&self.leave_sequence());
        let modes = tcsetattr(io::stdin(), OptionalActions::Now, &self.original);
        written?;
        Ok(modes?)
    }
}
