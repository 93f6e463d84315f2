//! `beadboard demo`: the dashboard on a simulated sandbox, so a new user sees it alive with no
//! other tool installed. The sandbox lives under the system temp dir and is removed on exit
//! unless `--keep` is given; `--seed` repeats a demo; `--speed` scales its pace.

mod corpus;
mod sandbox;
mod script;
mod simulator;

pub use corpus::Corpus;
pub use sandbox::{SESSION, Sandbox};
pub use simulator::Simulator;

use crate::app::terminal::shutdown::Stop;
use crate::app::{self, Options};
use crate::config::Resolved;
use color_eyre::eyre::{Result, WrapErr, eyre};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// How the demo runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemoOptions {
    /// Repeat a demo exactly (a random seed otherwise).
    pub seed: Option<u64>,
    /// Pace multiplier (2.0 is twice as fast).
    pub speed: f64,
    /// Keep the sandbox after exit and print its path.
    pub keep: bool,
}

/// Creates the sandbox, starts the simulator, runs the dashboard on it, and cleans up; returns
/// how the dashboard ended.
///
/// # Errors
/// When the sandbox cannot be created or the dashboard fails.
pub fn run(
    resolved: &Resolved,
    settings: app::model::Settings,
    options: DemoOptions,
) -> Result<Stop> {
    if !(options.speed.is_finite() && options.speed > 0.0 && options.speed <= 100.0) {
        return Err(eyre!(
            "--speed must be between 0 and 100 (got {})",
            options.speed
        ));
    }
    let seed = options.seed.unwrap_or_else(|| fastrand::u64(..));
    let corpus = Corpus::load().wrap_err("the built-in demo text is broken")?;
    let sandbox = Sandbox::create(seed, &corpus).map_err(|e| {
        eyre!(
            "cannot create the demo sandbox in {}: {e}",
            std::env::temp_dir().display()
        )
    })?;
    let mut simulator = Simulator::new(&sandbox, corpus, seed, options.speed)
        .wrap_err("cannot open the demo store")?;
    // Start the first runs before the dashboard opens, so it opens on live work.
    for _ in 0..3 {
        simulator.tick();
    }
    let stop = Arc::new(AtomicBool::new(false));
    let worker = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || simulator.run(&stop))
    };
    let dashboard = Options {
        settings,
        keymap: resolved.keymap.clone(),
        theme: resolved.theme.clone(),
        force_poll: resolved.poll.then(|| "requested".to_owned()),
        notify: resolved.notify.clone(),
    };
    let result = app::run(sandbox.roots(), dashboard);
    stop.store(true, Ordering::SeqCst);
    let _ = worker.join();
    if options.keep {
        let path = sandbox.keep();
        println!("demo sandbox kept at {} (seed {seed})", path.display());
        println!(
            "  beadboard --agentpair-dir {0}/agentpair --ntm-dir {0}/ntm",
            path.display()
        );
    }
    result
}
