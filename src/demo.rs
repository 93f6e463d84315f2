//! `beadboard demo`: the dashboard on a simulated sandbox, so a new user sees it alive with no
//! other tool installed, for as long as they watch. The sandbox lives under the system temp dir
//! (`beadboard-demo-<pid>-…`) and is removed on exit unless `--keep` is given (then the command
//! that reopens it is printed); one left by a killed demo is removed by the next. `--seed`
//! repeats a demo; `--speed` scales its pace (any positive factor).

mod catalog;
mod corpus;
mod history;
mod sandbox;
mod script;
mod session;
mod simulator;
mod work;

pub use catalog::{Bead, Catalog};
pub use corpus::Corpus;
pub use sandbox::{PREFIX, SESSION, Sandbox, remove_abandoned};
pub use simulator::{Elapsed, Simulator};

use crate::app::terminal::shutdown::Stop;
use crate::app::{self, Options};
use crate::config::Resolved;
use color_eyre::eyre::{Result, WrapErr, eyre};
use std::sync::Arc;

/// How long quitting waits for the sandbox's removal (the rest is the next demo's to remove).
const REMOVE_BUDGET: std::time::Duration = std::time::Duration::from_millis(500);
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
    if !(options.speed.is_finite() && options.speed > 0.0) {
        return Err(eyre!(
            "--speed must be a positive number, such as 0.5 or 4 (got {})",
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
    let roots = sandbox.roots();
    let stop = Arc::new(AtomicBool::new(false));
    // Named, so a profile or `scripts/soak.sh` tells its time from the dashboard's.
    let worker = {
        let stop = Arc::clone(&stop);
        std::thread::Builder::new()
            .name("demo-simulator".to_owned())
            .spawn(move || simulator.run(&stop))
            .wrap_err("cannot start the demo's simulator thread")?
    };
    let dashboard = Options {
        // The sandbox is thrown away: a cache of it would only be litter.
        settings: app::model::Settings {
            cache_dir: None,
            // The demo's cards name panes of no real tmux session.
            bind_panes: None,
            ..settings
        },
        keymap: resolved.keymap.clone(),
        theme: resolved.theme.clone(),
        force_poll: resolved.poll.then(|| "requested".to_owned()),
        mouse: resolved.mouse,
        notify: resolved.notify.clone(),
        // The demo's sandbox is this machine only.
        hosts: Vec::new(),
        local: true,
    };
    let result = app::run(roots.clone(), dashboard);
    stop.store(true, Ordering::SeqCst);
    let _ = worker.join();
    if options.keep {
        let (path, marked) = sandbox.keep();
        // Through the CLI's writer: a reader gone away is no reason to panic.
        let mut out = crate::cli::output::Out::stdout();
        let _ = crate::cli::output::outln!(
            out,
            "demo sandbox kept at {} (seed {seed})",
            path.display()
        )
        .and_then(|()| {
            crate::cli::output::outln!(out, "reopen it with:\n  {}", reopen_command(&roots))
        })
        .and_then(|()| out.flush());
        if let Err(e) = marked {
            crate::cli::output::errln!(
                "beadboard: cannot mark it kept ({e}); the next demo may remove it"
            );
        }
    } else {
        // Bounded: the user asked to quit; what is left, the next demo removes.
        sandbox.dispose(REMOVE_BUDGET);
    }
    result
}

/// The command line that opens the dashboard on `roots` again: every root, the beads file and
/// the agents' session directories included (the sources the sandbox has none of switched
/// off), quoted for a POSIX shell.
#[must_use]
pub fn reopen_command(roots: &crate::config::Roots) -> String {
    let mut words = vec![
        "beadboard".to_owned(),
        "--agentpair-dir".to_owned(),
        shell_quote(&roots.agentpair.to_string_lossy()),
        "--ntm-dir".to_owned(),
        shell_quote(&roots.ntm.to_string_lossy()),
    ];
    if let Some(beads) = &roots.beads {
        words.push("--beads".to_owned());
        words.push(shell_quote(&beads.to_string_lossy()));
    }
    // The agents' sessions of the sandbox, and no others (not the user's own).
    let agents = &roots.agents;
    for (flag, off, dir) in [
        ("--claude-dir", "--claude=off", agents.claude.first()),
        ("--codex-dir", "--codex=off", agents.codex.as_ref()),
        ("--gemini-dir", "--gemini=off", agents.gemini.as_ref()),
        ("--opencode-db", "--opencode=off", agents.opencode.as_ref()),
    ] {
        match dir {
            Some(dir) => {
                words.push(flag.to_owned());
                words.push(shell_quote(&dir.to_string_lossy()));
            }
            None => words.push(off.to_owned()),
        }
    }
    words.join(" ")
}

/// `word` as one POSIX shell word: as is when it is plain, else in single quotes.
fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+,:=@%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn the_reopen_command_names_every_root_quoted() {
        let roots = crate::config::Roots {
            agentpair: PathBuf::from("/tmp/beadboard-demo-1-x/agentpair"),
            ntm: PathBuf::from("/tmp/it's here/ntm"),
            beads: Some(PathBuf::from("/tmp/beadboard-demo-1-x/.beads/issues.jsonl")),
            agents: crate::persist::session::SessionRoots {
                claude: vec![PathBuf::from("/tmp/beadboard-demo-1-x/claude")],
                codex: Some(PathBuf::from("/tmp/beadboard-demo-1-x/codex")),
                ..Default::default()
            },
        };
        assert_eq!(
            reopen_command(&roots),
            "beadboard --agentpair-dir /tmp/beadboard-demo-1-x/agentpair --ntm-dir '/tmp/it'\\''s here/ntm' --beads /tmp/beadboard-demo-1-x/.beads/issues.jsonl --claude-dir /tmp/beadboard-demo-1-x/claude --codex-dir /tmp/beadboard-demo-1-x/codex --gemini=off --opencode=off"
        );
    }
}
