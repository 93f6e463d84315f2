//! The headless subcommands (design §3). They share the persistence layer with the dashboard,
//! print text or JSON (`--json`), and exit 0 (done), 1 (an error naming the file and cause),
//! 2 (bad usage, from clap) or 3 (a transition the table forbids, in upstream's wording).

mod agents;
mod args;
mod assignments;
mod bound;
mod doctor;
mod ntm9;
mod output;
mod runs;
mod search;
mod sessions;
mod status;
mod transcript;
pub mod watch;

pub use args::{Cli, Command, SearchArgs};

use crate::config::{Overrides, Resolved, RootChoices, default_config_path, home_dir, resolve};
use std::path::PathBuf;

/// A failed command: what to print on stderr, and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// The message (already naming the file and the cause).
    pub message: String,
    /// 1 for errors, 3 for forbidden transitions.
    pub code: u8,
}

impl CliError {
    /// An ordinary error (exit code 1).
    pub fn new(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            code: 1,
        }
    }
}

impl<E: std::fmt::Display> From<E> for CliError {
    fn from(e: E) -> CliError {
        CliError::new(e.to_string())
    }
}

impl Cli {
    /// Every setting: flags and environment variables over the config file over defaults.
    ///
    /// # Errors
    /// A bad config file or value, naming where it came from.
    pub fn resolve(&self) -> Result<Resolved, CliError> {
        let overrides = Overrides {
            roots: RootChoices {
                agentpair: self.agentpair_dir.clone(),
                ntm: self.ntm_dir.clone(),
                beads: self.beads.clone(),
            },
            stale_after: self.stale_after.clone(),
            unstarted_after: self.unstarted_after.clone(),
            poll: self.poll,
            config: self.config.clone(),
            sources: self.source_choices(),
            agent_defaults: crate::app::work::formats::discover(home_dir().as_deref(), |name| {
                std::env::var_os(name)
            }),
        };
        let home = home_dir();
        let xdg = std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from);
        let default_path = default_config_path(xdg.as_deref(), home.as_deref());
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Ok(resolve(
            &overrides,
            default_path.as_deref(),
            home.as_deref(),
            &cwd,
            no_color,
        )?)
    }
}

impl Cli {
    /// The agent session sources chosen by flags and `BEADBOARD_*` variables.
    fn source_choices(&self) -> crate::config::SourceChoices {
        crate::config::SourceChoices::of(
            [
                self.claude_dir.clone(),
                self.codex_dir.clone(),
                self.gemini_dir.clone(),
                self.opencode_db.clone(),
            ],
            [self.claude, self.codex, self.gemini, self.opencode],
        )
    }
}

/// Runs a headless subcommand with the settings in effect.
///
/// # Errors
/// A [`CliError`] carrying the message and exit code.
pub fn run_command(command: &Command, settings: &Resolved) -> Result<(), CliError> {
    let roots = &settings.roots;
    let stale_after = settings.stale_after;
    let limits = settings.thresholds();
    match command {
        Command::Status { short, json } => status::status(roots, limits, *short, *json),
        Command::Watch {
            json,
            snapshot,
            no_entries,
        } => watch::watch(
            roots,
            limits,
            watch::WatchOptions {
                json: *json,
                snapshot: *snapshot,
                no_entries: *no_entries,
                poll: settings.poll,
            },
        ),
        Command::Runs { all, json } => runs::list(roots, *all, *json, stale_after),
        Command::Transcript { run, follow, json } => {
            transcript::transcript(roots, run, (*follow, *json), stale_after)
        }
        Command::Assignments {
            session,
            status,
            json,
        } => assignments::list(
            roots,
            session.as_deref(),
            status.as_deref(),
            *json,
            stale_after,
        ),
        Command::Stats { session, json } => assignments::stats(roots, session, *json),
        Command::Sessions { json } => sessions::list(roots, *json),
        Command::Doctor { json } => doctor::doctor(settings, *json),
        Command::Search(args) => search::search(roots, args),
        Command::Demo { .. } => Err(CliError::new(
            "demo opens the dashboard; it is not a headless command",
        )),
        Command::Keys { .. } => Err(CliError::new("keys needs the resolved key bindings")),
        other => assignments::change(roots, other),
    }
}
