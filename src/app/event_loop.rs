//! The event loop: one thread owns the model and waits on nothing but its channel. After a
//! burst of messages it draws once; `update`'s effects go to the workers, except lending the
//! terminal to the pager or the editor, which only this loop can do (it owns the terminal).
//! While the terminal is lent, nothing is drawn and the input reader is parked; when the
//! program ends the terminal is taken back and redrawn in full.

use super::effect::Effect;
use super::event::{Change, Msg};
use super::model::Model;
use super::terminal::gate::InputGate;
use super::terminal::lend::{self, Lent};
use super::terminal::{self, Tty};
use super::worker::Workers;
use super::{notices, update};
use crate::ui;

use color_eyre::eyre::Result;
use std::collections::HashSet;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};

/// What the loop works with besides the model.
pub struct Parts<'a> {
    /// The terminal.
    pub tty: &'a mut Tty,
    /// The colours.
    pub theme: &'a ui::Theme,
    /// The channel.
    pub rx: &'a Receiver<Msg>,
    /// For the program the terminal is lent to, to report its end.
    pub tx: &'a Sender<Msg>,
    /// The workers.
    pub workers: &'a Workers,
    /// The input reader's gate.
    pub gate: &'a InputGate,
    /// The notification channels.
    pub notifier: &'a mut crate::notification::Fanout,
}

/// Drains a burst: the first message (waiting up to the model's next wake-up), then whatever
/// else is already queued, with repeated disk changes merged.
fn next_batch(model: &Model, rx: &Receiver<Msg>) -> Option<Vec<Msg>> {
    let first = match update::next_wakeup(model, crate::clock::now()) {
        Some(timeout) => match rx.recv_timeout(timeout) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => Msg::Tick,
            Err(RecvTimeoutError::Disconnected) => return None,
        },
        None => rx.recv().ok()?,
    };
    let mut batch = vec![first];
    batch.extend(rx.try_iter());
    let mut seen: HashSet<Change> = HashSet::new();
    batch.retain(|m| match m {
        Msg::Disk(change) => seen.insert(change.clone()),
        _ => true,
    });
    Some(batch)
}

/// Runs until the user quits, a stop arrives or the terminal is lost.
///
/// # Errors
/// None today: a terminal that cannot be written is recorded as the reason to stop.
pub fn run(model: &mut Model, parts: Parts<'_>) -> Result<()> {
    let Parts {
        tty,
        theme,
        rx,
        tx,
        workers,
        gate,
        notifier,
    } = parts;
    let mut dirty = true;
    let mut lent: Option<Lent> = None;
    let result = loop {
        if dirty && lent.is_none() {
            let now = crate::clock::now();
            // A failed write: the terminal is gone, recorded as the reason `run` returns.
            if tty
                .draw(|frame| ui::render(frame, model, theme, now))
                .is_err()
            {
                break Ok(());
            }
            dirty = false;
            super::debug_fault();
            terminal::debug_stall();
        }
        let Some(mut batch) = next_batch(model, rx) else {
            break Ok(());
        };
        terminal::coalesce_resizes(&mut batch);
        let mut gone = false;
        for msg in batch {
            let follow = if lent.is_some() {
                // The terminal is lent: another program draws on it and handles its resizes;
                // taking it back redraws everything at the size it has then.
                match &msg {
                    Msg::Returned(_) => {
                        lent = None;
                        let resumed = tty.resume();
                        gate.open();
                        match resumed {
                            Ok((w, h)) => vec![Msg::Resize(w, h)],
                            Err(_) => {
                                gone = true;
                                break;
                            }
                        }
                    }
                    _ => Vec::new(),
                }
            } else {
                // Resize, suspend and resume, before `update` sees the message.
                match terminal::react(tty, model, &msg) {
                    Ok(follow) => follow,
                    Err(_) => {
                        gone = true;
                        break;
                    }
                }
            };
            for msg in std::iter::once(msg).chain(follow) {
                for effect in update::update(model, msg, crate::clock::now()) {
                    match effect {
                        Effect::Foreground(what) if lent.is_none() => {
                            if tty.leave().is_err() {
                                gone = true;
                            }
                            lent = Some(lend::start(what, gate, tx.clone()));
                        }
                        Effect::Foreground(_) => {}
                        Effect::Clipboard(text) => {
                            if lent.is_none() && tty.copy(&text).is_err() {
                                gone = true;
                            }
                        }
                        other => workers.run(other),
                    }
                }
            }
            dirty = true;
        }
        if gone {
            break Ok(());
        }
        if lent.is_none() {
            notices::deliver(model, notifier);
        }
        if model.quit {
            break Ok(());
        }
    };
    if let Some(lent) = lent {
        // Stopping while the pager or editor runs: it ends too.
        lent.end();
        gate.open();
    }
    result
}
