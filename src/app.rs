//! The dashboard's event loop. One thread owns the model and waits on nothing but its
//! channel: input, the file watcher, signals and the workers send messages on it; `update`
//! turns each into effects that the workers carry out; after a burst of messages the screen
//! is drawn once; with nothing changing the loop sleeps (it wakes once a second only while a
//! visible clock needs it). The terminal is restored on every exit path, panics included.

pub mod action;
pub mod effect;
pub mod event;
pub mod keymap;
pub mod model;
pub mod notices;
pub mod outcome;
pub mod search;
pub mod update;
pub mod watch;
pub mod work;
pub mod worker;

use crate::config::Roots;
use crate::ui;
use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, WrapErr};
use effect::Effect;
use event::{Change, Msg};
use keymap::Keymap;
use model::{Live, Model, Settings};
use ratatui::DefaultTerminal;
use std::collections::{HashSet, VecDeque};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use work::Sink;
use worker::Workers;

/// How the dashboard is set up.
#[derive(Debug, Clone)]
pub struct Options {
    /// Display settings (stale threshold, time offset, home).
    pub settings: Settings,
    /// Key bindings (defaults plus overrides).
    pub keymap: Keymap,
    /// Colours.
    pub theme: ui::Theme,
    /// Poll instead of using file events, with the reason shown in the header.
    pub force_poll: Option<String>,
    /// How to notify (bell, desktop notification, hook).
    pub notify: crate::notification::NotifyConfig,
}

/// Opens the dashboard on `roots` and runs until the user quits.
///
/// # Errors
/// When the terminal cannot be set up or drawn to.
pub fn run(roots: Roots, options: Options) -> Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(color_eyre::eyre::eyre!(
            "the dashboard needs a terminal, and stdin or stdout is not one; for scripts use the headless commands (beadboard runs --json, beadboard assignments --json, …)"
        ));
    }
    let (tx, rx) = mpsc::channel();
    event::spawn_signals(tx.clone()).wrap_err("cannot install signal handlers")?;
    let sink = {
        let tx = tx.clone();
        Sink::new(move |msg| {
            let _ = tx.send(msg);
        })
    };
    let keeper = watch::spawn_keeper(roots.clone(), tx.clone(), options.force_poll.clone());
    let workers = Workers::start(sink, keeper);
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let mut model = Model::new(roots, options.settings, options.keymap, size);
    if let Some(reason) = &options.force_poll {
        model.live = Live::Polling(reason.clone());
    }
    workers.run_all(model.take_effects());
    let report = tx.clone();
    let mut notifier = options.notify.build(
        std::io::stdout(),
        crate::notification::inside_tmux(),
        move |text| {
            let _ = report.send(Msg::Report(text));
        },
    );
    let mut terminal = ratatui::try_init().wrap_err("cannot set up the terminal")?;
    event::spawn_input(tx.clone());
    let result = event_loop(
        &mut terminal,
        &mut model,
        &options.theme,
        &rx,
        &workers,
        &mut notifier,
    );
    let restored = ratatui::try_restore();
    result?;
    restored.wrap_err("cannot restore the terminal")
}

/// Debug builds only: `BEADBOARD_DEBUG_PANIC=1` panics after a frame is drawn, so the tests can
/// prove the terminal is restored after a panic. Release builds contain no such hook.
#[cfg(debug_assertions)]
#[allow(clippy::panic)]
fn debug_fault() {
    if std::env::var_os("BEADBOARD_DEBUG_PANIC").is_some() {
        panic!("BEADBOARD_DEBUG_PANIC: a deliberate panic to test terminal restoration");
    }
}

#[cfg(not(debug_assertions))]
fn debug_fault() {}

/// Runs `effects` right here, on this thread, feeding every outcome back through `update`
/// until no work is left: the workers' code, without the threads. For tests and headless use,
/// never for the event loop.
pub fn settle(model: &mut Model, effects: Vec<Effect>, now: DateTime<Utc>) {
    let queue: Arc<Mutex<VecDeque<Msg>>> = Arc::default();
    let sink = {
        let queue = Arc::clone(&queue);
        Sink::new(move |msg| {
            queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push_back(msg);
        })
    };
    let mut pending: VecDeque<Effect> = effects.into();
    // A bound on rounds, in case replies kept asking for more forever (they do not).
    for _ in 0..10_000 {
        while let Some(effect) = pending.pop_front() {
            work::execute(effect, &sink);
        }
        let messages: Vec<Msg> = queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain(..)
            .collect();
        if messages.is_empty() {
            return;
        }
        for msg in messages {
            pending.extend(update::update(model, msg, now));
        }
    }
}

/// Does, right here, whatever work the model has asked for since its last update (see
/// [`settle`]): for tests that call model methods directly.
pub fn settle_pending(model: &mut Model, now: DateTime<Utc>) {
    let effects = model.take_effects();
    settle(model, effects, now);
}

/// One action through `update::apply`, with the work it asks for done at once (see
/// [`settle`]).
pub fn act(model: &mut Model, action: action::Action, now: DateTime<Utc>) {
    update::apply(model, action, now);
    let effects = model.take_effects();
    settle(model, effects, now);
}

/// One message through `update`, with the work it asks for done at once (see [`settle`]).
pub fn step(model: &mut Model, msg: Msg, now: DateTime<Utc>) {
    let effects = update::update(model, msg, now);
    settle(model, effects, now);
}

/// Drains a burst: the first message (waiting up to the model's next wake-up), then whatever
/// else is already queued, with repeated disk changes merged.
fn next_batch(model: &Model, rx: &Receiver<Msg>) -> Option<Vec<Msg>> {
    let first = match update::next_wakeup(model, Utc::now()) {
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

fn event_loop(
    terminal: &mut DefaultTerminal,
    model: &mut Model,
    theme: &ui::Theme,
    rx: &Receiver<Msg>,
    workers: &Workers,
    notifier: &mut crate::notification::Fanout,
) -> Result<()> {
    let mut dirty = true;
    loop {
        if dirty {
            let now = Utc::now();
            terminal
                .draw(|frame| ui::render(frame, model, theme, now))
                .wrap_err("cannot draw")?;
            dirty = false;
            debug_fault();
        }
        let Some(batch) = next_batch(model, rx) else {
            return Ok(());
        };
        for msg in batch {
            if let Msg::Resize(w, h) = &msg {
                // `resize` clears and redraws everything without asking the terminal where its
                // cursor is (`clear` does, and the reply races the input thread: after two
                // seconds it gave up and the program ended on a resize).
                terminal
                    .resize(ratatui::layout::Rect::new(0, 0, *w, *h))
                    .wrap_err("cannot clear after resize")?;
            }
            workers.run_all(update::update(model, msg, Utc::now()));
            dirty = true;
        }
        notices::deliver(model, notifier);
        if model.quit {
            return Ok(());
        }
    }
}
