//! The dashboard's event loop. One thread owns the model and waits on nothing but its
//! channel: input, the file watcher, signals and the workers send messages on it; `update`
//! turns each into effects that the workers carry out; after a burst of messages the screen
//! is drawn once; with nothing changing the loop sleeps (it wakes once a second only while a
//! visible clock needs it). The terminal is restored on every exit path, panics included.

pub mod action;
pub mod effect;
pub mod event;
mod event_loop;
mod inline;
pub mod keymap;
pub mod model;
pub mod notices;
pub mod outcome;
pub mod search;
pub mod terminal;
pub mod update;
pub mod watch;
pub mod work;
pub mod worker;

pub use inline::{act, settle, settle_pending, step};

use crate::config::Roots;
use crate::ui;
use color_eyre::eyre::{Result, WrapErr};
use event::Msg;
use keymap::Keymap;
use model::{Live, Model, Settings};
use std::sync::Arc;
use std::sync::mpsc;
use terminal::Tty;
use terminal::gate::InputGate;
use terminal::shutdown::{self, Shutdown, Stop};
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
    /// Turn mouse reporting on.
    pub mouse: bool,
    /// How to notify (bell, desktop notification, hook).
    pub notify: crate::notification::NotifyConfig,
    /// The configured hosts shown (`--host` narrows them; none: this machine only).
    pub hosts: Vec<crate::remote::Host>,
    /// This machine is shown (`--host` without `local` leaves it out).
    pub local: bool,
}

/// Opens the dashboard on `roots` and runs until the user quits ([`Stop::Quit`]), a signal
/// stops it or the terminal is lost; returns which (the binary exits with [`Stop::status`]).
///
/// # Errors
/// When the terminal cannot be set up or drawn to.
pub fn run(roots: Roots, options: Options) -> Result<Stop> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(color_eyre::eyre::eyre!(
            "the dashboard needs a terminal, and stdin or stdout is not one; for scripts use the headless commands (beadboard runs --json, beadboard assignments --json, …)"
        ));
    }
    let (tx, rx) = mpsc::channel();
    // Terminal (issue 10): stop requests are enforced by the watchdog from here on.
    let shutdown = Shutdown::new();
    shutdown
        .spawn_watchdog(shutdown::GRACE, |stop, restore| {
            shutdown::exit_now(stop, restore)
        })
        .wrap_err("cannot start the shutdown watchdog")?;
    terminal::signals::spawn(tx.clone(), shutdown.clone())
        .wrap_err("cannot install signal handlers")?;
    let sink = {
        let tx = tx.clone();
        Sink::new(move |msg| {
            let _ = tx.send(msg);
        })
    };
    // This machine's files are watched only when it is shown (`--host` can leave it out).
    let keeper = if options.local {
        watch::spawn_keeper(roots.clone(), tx.clone(), options.force_poll.clone())
    } else {
        None
    };
    // Each host's channel on threads of its own; dropped (every child stopped) on the way out.
    let links = work::hosts::HostLinks::start(
        &options.hosts,
        crate::remote::client::Options::default(),
        sink.clone(),
    );
    let workers = Workers::start(sink.clone(), keeper).with_hosts(links.clone());
    let size = terminal::size().unwrap_or((80, 24));
    let mut model = Model::new(
        roots,
        options.settings,
        options.keymap,
        size,
        crate::clock::now(),
    );
    if let Some(reason) = &options.force_poll {
        model.live = Live::Polling(reason.clone());
    }
    let names: Vec<String> = options.hosts.iter().map(|h| h.name.clone()).collect();
    model.show_hosts(options.local, &names, crate::clock::now());
    workers.run_all(model.take_effects());
    let report = tx.clone();
    let mut notifier = options.notify.build(
        std::io::stdout(),
        crate::notification::inside_tmux(),
        move |text| {
            let _ = report.send(Msg::Report(text));
        },
    );
    let mut tty = Tty::enter(options.mouse, &shutdown).wrap_err("cannot set up the terminal")?;
    let gate = Arc::new(InputGate::new().wrap_err("cannot set up reading the terminal")?);
    terminal::input::spawn(tx.clone(), shutdown.clone(), Arc::clone(&gate))
        .wrap_err("cannot start reading the terminal")?;
    let result = event_loop::run(
        &mut model,
        event_loop::Parts {
            tty: &mut tty,
            theme: &options.theme,
            rx: &rx,
            tx: &tx,
            workers: &workers,
            gate: &gate,
            notifier: &mut notifier,
        },
    );
    drop(links);
    finish(&mut tty, &shutdown, result)
}

/// Gives the terminal back (bounded by the watchdog, armed first) and says how the dashboard
/// ended. After a signal or a lost terminal, failing to restore it is no news.
fn finish(tty: &mut Tty, shutdown: &Shutdown, result: Result<()>) -> Result<Stop> {
    shutdown.request(match &result {
        Ok(()) => Stop::Quit,
        Err(e) => Stop::Lost(format!("{e:#}")),
    });
    let restored = tty.leave();
    shutdown.finish();
    result?;
    match shutdown.requested() {
        Some(Stop::Quit) | None => restored
            .wrap_err("cannot restore the terminal")
            .map(|()| Stop::Quit),
        Some(stop) => Ok(stop),
    }
}

/// Debug builds only: `BEADBOARD_DEBUG_PANIC=1` panics after a frame is drawn, so the tests can
/// prove the terminal is restored after a panic (`=worker` panics in a worker instead: see
/// `worker.rs`). Release builds contain no such hook.
#[cfg(debug_assertions)]
#[allow(clippy::panic)]
pub(crate) fn debug_fault() {
    if std::env::var_os("BEADBOARD_DEBUG_PANIC").is_some_and(|v| v != "worker") {
        panic!("BEADBOARD_DEBUG_PANIC: a deliberate panic to test terminal restoration");
    }
}

#[cfg(not(debug_assertions))]
pub(crate) fn debug_fault() {}
