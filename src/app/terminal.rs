//! The terminal, as the event loop owns it: raw mode and the alternate screen on the way in;
//! the same given back on every way out (quit, error, panic, signal, watchdog) and around a
//! suspend; resizes applied without asking the terminal anything. Our own threads read the
//! input ([`input`]) and turn signals into messages ([`signals`]); [`shutdown`] makes sure a
//! stop always wins.

mod backend;
pub mod gate;
pub mod input;
pub mod job;
mod keys;
pub mod lend;
mod restore;
pub mod shutdown;
pub mod signals;

pub use backend::TtyBackend;
pub use restore::Restore;

use crate::app::event::Msg;
use crate::app::keymap::Key;
use crate::app::model::Model;
use ratatui::layout::Rect;
use ratatui::{Frame, Terminal};
use rustix::termios::{tcgetattr, tcgetwinsize};
use std::io::{self, Write};
use std::sync::Arc;

use shutdown::{Shutdown, Stop};

/// Terminal happenings only the event loop acts on (`update` ignores them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TtyEvent {
    /// SIGTSTP from outside (`kill -TSTP`): suspend as Ctrl-Z does.
    Suspend,
    /// SIGCONT: the process was stopped and continued; take the terminal back, redraw fully.
    Continued,
}

/// The terminal's size (columns, rows), by ioctl on stdout.
///
/// # Errors
/// When stdout is not a terminal any more.
pub fn size() -> io::Result<(u16, u16)> {
    let ws = tcgetwinsize(io::stdout())?;
    Ok((ws.ws_col, ws.ws_row))
}

/// The dashboard's terminal: raw mode, the alternate screen and a ratatui terminal on it.
/// Every failure to write it means the terminal is gone: it is recorded as the reason to stop
/// with the [`Shutdown`] (so the caller just ends its loop; no error report is built while the
/// terminal is dying).
pub struct Tty {
    terminal: Terminal<TtyBackend>,
    restore: Arc<Restore>,
    active: bool,
    shutdown: Shutdown,
    /// Rows of the last frame holding a cluster the terminal may have laid out otherwise
    /// than ratatui (see `ui::redraw`): redrawn whole in the next frame.
    unsure_rows: Vec<u16>,
}

impl Tty {
    /// Takes the terminal: remembers its modes, installs a panic hook that gives them back
    /// (unless the panic is a worker's, caught and reported: see [`crate::panics`]),
    /// enters raw mode and the alternate screen, and hands `shutdown`'s watchdog what to
    /// restore. `mouse` turns mouse reporting on.
    ///
    /// # Errors
    /// When the terminal's modes cannot be read or set, or it cannot be written to.
    pub fn enter(mouse: bool, shutdown: &Shutdown) -> io::Result<Tty> {
        let original = tcgetattr(io::stdin())?;
        let restore = Arc::new(Restore::new(original, mouse));
        let for_panics = Arc::clone(&restore);
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // A worker's panic is caught and shown as an error: the dashboard goes on, so
            // the terminal stays as it is and nothing is printed over the screen.
            if crate::panics::caught_here() {
                crate::panics::record(info);
                return;
            }
            let _ = for_panics.restore();
            previous(info);
        }));
        let entered = restore
            .raw_mode()
            .and_then(|()| restore::write_tty(&restore.enter_sequence()))
            .and_then(|()| Terminal::new(TtyBackend::new()));
        match entered {
            Ok(terminal) => {
                shutdown.set_restore(Some(Arc::clone(&restore)));
                Ok(Tty {
                    terminal,
                    restore,
                    active: true,
                    shutdown: shutdown.clone(),
                    unsure_rows: Vec::new(),
                })
            }
            Err(e) => {
                let _ = restore.restore();
                Err(e)
            }
        }
    }

    /// Records a failure as the terminal being gone.
    fn gone<T>(&self, doing: &str, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result {
            self.shutdown
                .request(Stop::Lost(format!("the terminal is gone ({doing}: {e})")));
        }
        result
    }

    /// Draws a frame (laid out for the size the terminal has now).
    ///
    /// # Errors
    /// When the terminal cannot be written to (recorded as the reason to stop).
    pub fn draw(&mut self, render: impl FnOnce(&mut Frame)) -> io::Result<()> {
        let last = std::mem::take(&mut self.unsure_rows);
        let mut unsure = Vec::new();
        let drawn = self
            .terminal
            .draw(|frame| {
                render(frame);
                unsure = crate::ui::redraw::mark(frame.buffer_mut(), &last);
            })
            .map(|_| ());
        self.unsure_rows = unsure;
        self.gone("cannot draw", drawn)
    }

    /// Takes a new size: the screen is cleared and the next frame redraws every cell. Reads
    /// nothing from the terminal.
    ///
    /// # Errors
    /// When the terminal cannot be written to.
    pub fn resize(&mut self, width: u16, height: u16) -> io::Result<()> {
        let resized = self.terminal.resize(Rect::new(0, 0, width, height));
        self.gone("cannot redraw after a resize", resized)
    }

    /// Puts `text` on the clipboard with OSC 52, which terminals (and tmux with
    /// `set-clipboard on`, and SSH, being just bytes) pass on to the system clipboard.
    ///
    /// # Errors
    /// When the terminal cannot be written to.
    pub fn copy(&mut self, text: &str) -> io::Result<()> {
        use base64::Engine as _;
        let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
        let sequence = format!("\x1b]52;c;{encoded}\x07");
        let written = restore::write_tty(sequence.as_bytes());
        self.gone("cannot write to the clipboard", written)
    }

    /// Gives the terminal back (idempotent).
    ///
    /// # Errors
    /// When the terminal cannot be written to or its modes set.
    pub fn leave(&mut self) -> io::Result<()> {
        if !self.active {
            return Ok(());
        }
        self.active = false;
        let flushed = Write::flush(self.terminal.backend_mut());
        self.restore.restore()?;
        flushed
    }

    /// Takes the terminal back after a stop: raw mode and the alternate screen again, then a
    /// full redraw at the size it has now. Returns that size.
    ///
    /// # Errors
    /// When the terminal cannot be written to or its modes set.
    pub fn resume(&mut self) -> io::Result<(u16, u16)> {
        let entered = self
            .restore
            .raw_mode()
            .and_then(|()| restore::write_tty(&self.restore.enter_sequence()));
        self.gone("cannot take the terminal back", entered)?;
        self.active = true;
        let (w, h) = self.gone("cannot read its size", size())?;
        self.resize(w, h)?;
        Ok((w, h))
    }

    /// Gives the terminal back and stops the process as SIGTSTP's default action would;
    /// returns once it is continued. The caller then resumes, also when this returns a reason
    /// it did not stop: nothing could continue it (see [`job`]), or the stop failed.
    ///
    /// # Errors
    /// When the terminal cannot be given back or the process not stopped.
    pub fn suspend(&mut self) -> io::Result<Option<String>> {
        if let Some(why) = job::cannot_stop() {
            return Ok(Some(why.to_owned()));
        }
        let left = self.leave();
        self.gone("cannot give the terminal back", left)?;
        let stopped = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP);
        Ok(stopped.err().map(|e| format!("not suspended: {e}")))
    }
}

impl Drop for Tty {
    fn drop(&mut self) {
        let _ = self.leave();
    }
}

/// Debug builds only: `BEADBOARD_DEBUG_STALL=1` parks the event loop for good after its first
/// frame, so the tests can prove that a signal still ends the program (by the watchdog) while
/// the loop is stuck. Release builds contain no such hook.
#[cfg(debug_assertions)]
pub fn debug_stall() {
    if std::env::var_os("BEADBOARD_DEBUG_STALL").is_some() {
        loop {
            std::thread::park();
        }
    }
}

/// Release builds: nothing.
#[cfg(not(debug_assertions))]
pub fn debug_stall() {}

/// Keeps only the last resize of a burst: the size that is true now. A storm of resizes then
/// costs one frame.
pub fn coalesce_resizes(batch: &mut Vec<Msg>) {
    let Some(last) = batch.iter().rposition(|m| matches!(m, Msg::Resize(..))) else {
        return;
    };
    let mut index = 0;
    batch.retain(|m| {
        let keep = index == last || !matches!(m, Msg::Resize(..));
        index += 1;
        keep
    });
}

/// Whether `msg` is the key bound to suspending, where the model is now.
fn is_suspend(model: &Model, msg: &Msg) -> bool {
    let Msg::Key(event) = msg else {
        return false;
    };
    Key::from_event(event).is_some_and(|key| {
        model.keymap.resolve(&model.scopes(), key) == Some(crate::app::action::Action::Suspend)
    })
}

/// What the event loop does with `msg` before `update` sees it: apply a resize, suspend on
/// the suspend key or SIGTSTP, take the terminal back on SIGCONT. Returns messages for
/// `update`: the size after a resume, or why a suspend was refused.
///
/// # Errors
/// When the terminal cannot be written to: it is gone, and that is recorded as the reason to
/// stop; the loop just ends.
pub fn react(tty: &mut Tty, model: &Model, msg: &Msg) -> io::Result<Vec<Msg>> {
    match msg {
        Msg::Resize(w, h) => {
            tty.resize(*w, *h)?;
            Ok(Vec::new())
        }
        Msg::Tty(TtyEvent::Continued) => {
            let (w, h) = tty.resume()?;
            Ok(vec![Msg::Resize(w, h)])
        }
        Msg::Tty(TtyEvent::Suspend) => suspend(tty),
        _ if is_suspend(model, msg) => suspend(tty),
        _ => Ok(Vec::new()),
    }
}

fn suspend(tty: &mut Tty) -> io::Result<Vec<Msg>> {
    let refused = tty.suspend()?;
    let (w, h) = tty.resume()?;
    let mut msgs = vec![Msg::Resize(w, h)];
    msgs.extend(refused.map(Msg::Report));
    Ok(msgs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_keeps_its_last_resize_and_everything_else() {
        let mut batch = vec![
            Msg::Resize(80, 24),
            Msg::Tick,
            Msg::Resize(200, 50),
            Msg::Report("x".into()),
            Msg::Resize(120, 40),
        ];
        coalesce_resizes(&mut batch);
        assert_eq!(
            format!("{:?}", batch),
            format!(
                "{:?}",
                vec![Msg::Tick, Msg::Report("x".into()), Msg::Resize(120, 40)]
            )
        );
        let mut none = vec![Msg::Tick];
        coalesce_resizes(&mut none);
        assert_eq!(format!("{:?}", none), format!("{:?}", vec![Msg::Tick]));
    }
}
