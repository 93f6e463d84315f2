//! Messages, and the threads that produce them. One thread owns the model; input, the file
//! watcher and signals only send [`Msg`]s on one channel.

use crossterm::event::{self, Event, KeyEvent};
use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::thread;

/// What changed on disk, already classified by path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Change {
    /// Something under the runs root that needs a full rescan (a repo directory appeared).
    Runs,
    /// A run's directory or manifest changed: reload that run.
    Run(PathBuf),
    /// A run's bridge changed: refresh its activity only.
    RunActivity(PathBuf),
    /// A run's transcript grew (or was replaced): read the new lines, refresh activity.
    Transcript(PathBuf),
    /// A session directory appeared or vanished.
    Sessions,
    /// A session's store changed.
    Store(String),
    /// A session's history log changed.
    History(String),
    /// A data root appeared or vanished: set up watching again and rescan.
    Roots,
    /// The beads `issues.jsonl` changed.
    Beads,
}

/// Everything the event loop reacts to.
#[derive(Debug)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// The terminal was resized.
    Resize(u16, u16),
    /// A file changed.
    Disk(Change),
    /// Watching failed; the loop falls back to polling (the reason).
    WatchFailed(String),
    /// A background task has something to say (a notify hook failed).
    Report(String),
    /// Time passed (sent by the loop itself when a visible clock needs it).
    Tick,
    /// A worker finished (or made progress on) some work.
    Done(crate::app::outcome::Outcome),
    /// A signal or the end of input asks the program to stop (the reason).
    Stop(String),
}

/// Reads terminal events on a thread of its own and forwards keys and resizes.
pub fn spawn_input(tx: Sender<Msg>) {
    thread::spawn(move || {
        loop {
            let msg = match event::read() {
                Ok(Event::Key(key)) => Msg::Key(key),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                Ok(_) => continue,
                Err(e) => Msg::Stop(format!("terminal input failed: {e}")),
            };
            let stop = matches!(msg, Msg::Stop(_));
            if tx.send(msg).is_err() || stop {
                return;
            }
        }
    });
}

/// Turns SIGTERM, SIGHUP (a closed tmux pane) and SIGINT into a [`Msg::Stop`], so the terminal
/// is restored on those exits too.
pub fn spawn_signals(tx: Sender<Msg>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let name = match signal {
                SIGTERM => "SIGTERM",
                SIGHUP => "SIGHUP",
                _ => "SIGINT",
            };
            let _ = tx.send(Msg::Stop(format!("received {name}")));
        }
    });
    Ok(())
}
