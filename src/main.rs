//! The `beadboard` binary: parses the command line, installs color-eyre, resolves settings
//! (flags > environment > config file > defaults), and runs a headless subcommand, the demo, or
//! the dashboard.

use beadboard::app::terminal::shutdown::Stop;
use beadboard::app::{self, Options, model::Settings};
use beadboard::cli::{Cli, Command, run_command};
use beadboard::config::{cache_dir, home_dir};
use beadboard::demo::{self, DemoOptions};
use chrono::Offset as _;
use clap::Parser;
use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    if let Err(e) = color_eyre::install() {
        eprintln!("beadboard: cannot install error reporting: {e}");
    }
    let cli = Cli::parse();
    let resolved = match cli.resolve() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("beadboard: {}", e.message);
            return ExitCode::from(e.code);
        }
    };
    let settings = Settings {
        stale_after: resolved.stale_after,
        unstarted_after: resolved.unstarted_after,
        notify_selected: resolved.notify.selected,
        display_offset: chrono::Local::now().offset().fix(),
        home: home_dir(),
        cache_dir: cache_dir(),
        bind_panes: Some(beadboard::tmux::Tmux::default_server()),
        confirm_moves: resolved.confirm_moves,
        ..Settings::default()
    };
    let outcome = match &cli.command {
        None => app::run(
            resolved.roots.clone(),
            Options {
                settings,
                keymap: resolved.keymap.clone(),
                theme: resolved.theme.clone(),
                force_poll: resolved.poll.then(|| "requested".to_owned()),
                mouse: resolved.mouse,
                notify: resolved.notify.clone(),
            },
        ),
        Some(Command::Keys { markdown }) => {
            let map = &resolved.keymap;
            print!(
                "{}",
                if *markdown {
                    map.markdown()
                } else {
                    map.text()
                }
            );
            return ExitCode::SUCCESS;
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
            return match run_command(command, &resolved) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("beadboard: {}", e.message);
                    ExitCode::from(e.code)
                }
            };
        }
    };
    match outcome {
        // A signal or a lost terminal: said in one line; the status is 128 + the signal's
        // number, as shells report it, or 1.
        // The terminal may be gone: a failed write to stderr is no reason to panic.
        Ok(stop) => {
            if stop != Stop::Quit {
                let _ = writeln!(std::io::stderr(), "beadboard: {stop}");
            }
            ExitCode::from(stop.status())
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "beadboard: {e:#}");
            ExitCode::from(1)
        }
    }
}
