//! The headless subcommands (design §3). They share the persistence layer with the dashboard,
//! print text or JSON (`--json`), and exit 0 (done), 1 (an error naming the file and cause),
//! 2 (bad usage, from clap) or 3 (a transition the table forbids, in upstream's wording).

mod args;
mod assignments;
mod output;
mod runs;

pub use args::{Cli, Command};

use crate::config::{RootChoices, Roots, home_dir};
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
    /// The roots from flags and environment variables over `configured` and `$HOME`.
    ///
    /// # Errors
    /// When a root has no value and there is no home directory.
    pub fn roots(&self, configured: &RootChoices) -> Result<Roots, CliError> {
        let explicit = RootChoices {
            agentpair: self.agentpair_dir.clone(),
            ntm: self.ntm_dir.clone(),
            beads: self.beads.clone(),
        };
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        Ok(Roots::resolve(
            &explicit,
            configured,
            home_dir().as_deref(),
            &cwd,
        )?)
    }
}

/// Runs a headless subcommand. `stale_after` is how long a non-terminal run may be quiet
/// before it is called stale.
///
/// # Errors
/// A [`CliError`] carrying the message and exit code.
pub fn run_command(
    command: &Command,
    roots: &Roots,
    stale_after: std::time::Duration,
) -> Result<(), CliError> {
    match command {
        Command::Runs { all, json } => runs::list(roots, *all, *json, stale_after),
        Command::Transcript { run, follow, json } => runs::transcript(roots, run, *follow, *json),
        Command::Assignments {
            session,
            status,
            json,
        } => assignments::list(roots, session.as_deref(), status.as_deref(), *json),
        Command::Stats { session, json } => assignments::stats(roots, session, *json),
        other => assignments::change(roots, other),
    }
}
