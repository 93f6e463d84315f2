//! The `beadboard` binary: parses the command line, installs color-eyre, resolves settings
//! (flags > environment > config file > defaults), and runs a headless subcommand, the demo, or
//! the dashboard. Exit codes: see `beadboard::cli::exit`.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use beadboard::app::terminal::shutdown::Stop;
use beadboard::app::{self, Options, model::Settings};
use beadboard::cli::output::err_line;
use beadboard::cli::{Cli, Command, exit, run_command_on};
use beadboard::config::{cache_dir, home_dir};
use beadboard::demo::{self, DemoOptions};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    if let Err(e) = color_eyre::install() {
        err_line(format_args!(
            "beadboard: cannot install error reporting: {e}"
        ));
    }
    let cli = Cli::parse();
    let resolved = match cli.resolve() {
        Ok(r) => r,
        Err(e) => return failed(&e),
    };
    let settings = Settings {
        stale_after: resolved.stale_after,
        unstarted_after: resolved.unstarted_after,
        attention_window: resolved.attention_window,
        fail_streak: resolved.fail_streak,
        notify_selected: resolved.notify.selected,
        display_offset: beadboard::clock::local_offset(),
        home: home_dir(),
        cache_dir: cache_dir(),
        bind_panes: Some(beadboard::tmux::Tmux::default_server()),
        confirm_moves: resolved.confirm_moves,
        ..Settings::default()
    };
    let outcome = match &cli.command {
        None => {
            let (local, hosts) = match app::work::hosts::choose(&resolved.hosts, &cli.host) {
                Ok(chosen) => chosen,
                Err(message) => {
                    err_line(format_args!("beadboard: {message}"));
                    return ExitCode::from(exit::USAGE);
                }
            };
            app::run(
                resolved.roots.clone(),
                Options {
                    settings,
                    keymap: resolved.keymap.clone(),
                    theme: resolved.theme.clone(),
                    force_poll: resolved.poll.then(|| "requested".to_owned()),
                    mouse: resolved.mouse,
                    notify: resolved.notify.clone(),
                    hosts,
                    local,
                },
            )
        }
        Some(Command::Demo { seed, speed, keep }) => demo::run(
            &resolved,
            settings,
            DemoOptions {
                seed: *seed,
                speed: *speed,
                keep: *keep,
            },
        ),
        Some(command) => {
            return match run_command_on(command, &resolved, &cli.host) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => failed(&e),
            };
        }
    };
    match outcome {
        // A signal or a lost terminal: said in one line; the status is 128 + the signal's
        // number, as shells report it, or 1.
        // The terminal may be gone: a failed write to stderr is no reason to panic.
        Ok(stop) => {
            if stop != Stop::Quit {
                err_line(format_args!("beadboard: {stop}"));
            }
            ExitCode::from(stop.status())
        }
        Err(e) => {
            err_line(format_args!("beadboard: {e:#}"));
            ExitCode::from(exit::FAILED)
        }
    }
}

/// A command that ended early: its message (none for a reader that went away) and its code.
fn failed(e: &beadboard::cli::CliError) -> ExitCode {
    if !e.message.is_empty() {
        err_line(format_args!("beadboard: {}", e.message));
    }
    ExitCode::from(e.code)
}
