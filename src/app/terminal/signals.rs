//! Signals become messages on the one channel: SIGWINCH a [`Msg::Resize`] with the size read by
//! ioctl, SIGTSTP and SIGCONT a [`Msg::Tty`], and SIGTERM, SIGINT and SIGHUP a [`Msg::Stop`],
//! recorded with the [`Shutdown`] first so the watchdog enforces it even if the event loop never
//! reads the message.

use super::TtyEvent;
use super::shutdown::{Shutdown, Stop};
use crate::app::event::Msg;
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGTERM, SIGTSTP, SIGWINCH};
use std::sync::mpsc::Sender;

/// The message for `signal`, or `None` when there is nothing to say (a size that cannot be
/// read: the input reader reports a dead terminal).
fn message(signal: i32, shutdown: &Shutdown) -> Option<Msg> {
    match signal {
        SIGWINCH => super::size().ok().map(|(w, h)| Msg::Resize(w, h)),
        SIGTSTP => Some(Msg::Tty(TtyEvent::Suspend)),
        SIGCONT => Some(Msg::Tty(TtyEvent::Continued)),
        _ => {
            let stop = Stop::Signal(signal);
            let text = stop.to_string();
            shutdown.request(stop);
            Some(Msg::Stop(text))
        }
    }
}

/// Handles the signals above on a thread of their own for the rest of the process's life.
///
/// # Errors
/// When the handlers cannot be installed or the thread started.
pub fn spawn(tx: Sender<Msg>, shutdown: Shutdown) -> std::io::Result<()> {
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP, SIGWINCH, SIGTSTP, SIGCONT])?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if let Some(msg) = message(signal, &shutdown) {
                    // Once the loop is gone, stop requests still reach the shutdown above.
                    let _ = tx.send(msg);
                }
            }
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_signals_are_recorded_before_they_are_sent() {
        let shutdown = Shutdown::new();
        assert_eq!(
            format!("{:?}", message(SIGTERM, &shutdown)),
            format!("{:?}", Some(Msg::Stop("stopped by SIGTERM".into())))
        );
        assert_eq!(shutdown.requested(), Some(Stop::Signal(SIGTERM)));
        assert_eq!(
            format!("{:?}", message(SIGTSTP, &shutdown)),
            format!("{:?}", Some(Msg::Tty(TtyEvent::Suspend)))
        );
        assert_eq!(
            format!("{:?}", message(SIGCONT, &shutdown)),
            format!("{:?}", Some(Msg::Tty(TtyEvent::Continued)))
        );
    }
}
