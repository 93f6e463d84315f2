//! The headless subcommands (design §3). They share the persistence layer with the dashboard,
//! print text or JSON (`--json`) through one writer ([`output::Out`]), and exit as the table in
//! [`exit`] says.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod across;
mod agents;
mod args;
mod assignments;
mod bound;
mod doctor;
pub mod exit;
pub mod generated;
mod hosts;
pub mod json;
mod moves;
mod ntm9;
pub mod output;
mod runs;
mod search;
mod serve;
mod sessions;
mod status;
mod transcript;
pub mod watch;

pub use args::{Cli, Command, SearchArgs};

use crate::config::{Overrides, Resolved, RootChoices, default_config_path, home_dir, resolve};
use std::path::PathBuf;

/// How a command ended early: what to print on stderr, and the exit code (see [`exit`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// The message (already naming the file and the cause); empty for a quiet end.
    pub message: String,
    /// The exit code, from [`exit`].
    pub code: u8,
}

impl CliError {
    /// An error (exit code [`exit::FAILED`]).
    pub fn new(message: impl Into<String>) -> CliError {
        CliError::failed(message)
    }

    /// An error: a file that cannot be read or written, a command that failed
    /// ([`exit::FAILED`]).
    pub fn failed(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            code: exit::FAILED,
        }
    }

    /// Nothing found: no match, or no such run, session or bead ([`exit::NOT_FOUND`]).
    pub fn not_found(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            code: exit::NOT_FOUND,
        }
    }

    /// Bad usage or a bad value ([`exit::USAGE`]).
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            code: exit::USAGE,
        }
    }

    /// A move refused ([`exit::REFUSED`]).
    pub fn refused(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            code: exit::REFUSED,
        }
    }

    /// The reader of the output went away: the command ends quietly with [`exit::OK`].
    #[must_use]
    pub fn closed() -> CliError {
        CliError {
            message: String::new(),
            code: exit::OK,
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
            attention_window: self.attention_window.clone(),
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
        resolve(
            &overrides,
            default_path.as_deref(),
            home.as_deref(),
            &cwd,
            no_color,
        )
        .map_err(|e| config_error(&e))
    }
}

/// A bad setting is a bad value (exit 2), as a bad flag is; a config file that is there but
/// cannot be read is an error (exit 4).
fn config_error(e: &crate::config::ConfigError) -> CliError {
    use crate::config::ConfigError;
    match e {
        ConfigError::Read { source, .. } if source.kind() != std::io::ErrorKind::NotFound => {
            CliError::failed(e.to_string())
        }
        _ => CliError::usage(e.to_string()),
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

/// Runs a headless subcommand with the settings in effect, writing through one [`output::Out`].
///
/// # Errors
/// A [`CliError`] carrying the message and exit code (a reader gone away is a quiet code 0).
pub fn run_command(command: &Command, settings: &Resolved) -> Result<(), CliError> {
    run_command_on(command, settings, &[])
}

/// As [`run_command`], on the hosts named by `--host` (none: this machine).
///
/// # Errors
/// As [`run_command`]; an unknown host is a bad value (exit 2).
pub fn run_command_on(
    command: &Command,
    settings: &Resolved,
    hosts: &[String],
) -> Result<(), CliError> {
    let mut out = output::Out::stdout();
    let done = if hosts.is_empty() {
        dispatch(command, settings, &mut out)
    } else {
        across::run(&mut out, settings, command, hosts)
    };
    let flushed = out.flush();
    done.and(flushed)
}

pub(crate) fn dispatch(
    command: &Command,
    settings: &Resolved,
    out: &mut output::Out,
) -> Result<(), CliError> {
    let roots = &settings.roots;
    let stale_after = settings.stale_after;
    let limits = settings.thresholds();
    match command {
        Command::Status { short, json, all } => {
            status::status(out, roots, limits, *short, *json, *all)
        }
        Command::Watch {
            json,
            snapshot,
            no_entries,
        } => watch::watch(
            out,
            roots,
            limits,
            watch::WatchOptions {
                json: *json,
                snapshot: *snapshot,
                no_entries: *no_entries,
                poll: settings.poll,
            },
        ),
        Command::Runs { all, json } => runs::list(out, roots, *all, *json, stale_after),
        Command::Transcript {
            run,
            follow,
            json,
            last,
        } => transcript::transcript(
            out,
            roots,
            run,
            transcript::Options {
                follow: *follow,
                json: *json,
                last: *last,
            },
            stale_after,
        ),
        Command::Assignments {
            session,
            status,
            json,
        } => assignments::list(
            out,
            roots,
            session.as_deref(),
            status.as_deref(),
            *json,
            stale_after,
        ),
        Command::Stats { session, json } => assignments::stats(out, roots, session, *json),
        Command::Sessions { json } => sessions::list(out, roots, *json),
        Command::Doctor { json } => doctor::doctor(out, settings, *json),
        Command::Search(args) => search::search(out, roots, args),
        Command::Serve { heartbeat_ms, .. } => serve::serve(
            roots,
            limits,
            settings.poll,
            std::time::Duration::from_millis(*heartbeat_ms),
        ),
        Command::Hosts { json, timeout } => hosts::hosts(
            out,
            &settings.hosts,
            *json,
            humantime::parse_duration(timeout.trim())
                .map_err(|e| CliError::usage(e.to_string()))?,
        ),
        Command::Keys { markdown } => out.text(&if *markdown {
            settings.keymap.markdown()
        } else {
            settings.keymap.text()
        }),
        Command::Completions { shell } => out.text(&generated::completions(*shell)),
        Command::Man { dir } => generated::man(out, dir.as_deref()),
        Command::Demo { .. } => Err(CliError::new(
            "demo opens the dashboard; it is not a headless command",
        )),
        other => assignments::change(out, roots, other),
    }
}
