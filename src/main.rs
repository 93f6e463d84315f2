//! The `beadboard` binary: parses the command line, installs color-eyre, and runs either a
//! headless subcommand or the dashboard.

use beadboard::app::{self, Options, keymap::Keymap, model::Settings};
use beadboard::cli::{Cli, run_command};
use beadboard::config::{RootChoices, home_dir};
use beadboard::ui::Theme;
use chrono::Offset as _;
use clap::Parser;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    if let Err(e) = color_eyre::install() {
        eprintln!("beadboard: cannot install error reporting: {e}");
    }
    let cli = Cli::parse();
    let roots = match cli.roots(&RootChoices::default()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("beadboard: {}", e.message);
            return ExitCode::from(e.code);
        }
    };
    let Some(command) = &cli.command else {
        let settings = Settings {
            home: home_dir(),
            display_offset: chrono::Local::now().offset().fix(),
            ..Settings::default()
        };
        let options = Options {
            settings,
            keymap: Keymap::default(),
            theme: Theme::from_env(),
            force_poll: None,
        };
        return match app::run(roots, options) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("beadboard: {e:?}");
                ExitCode::from(1)
            }
        };
    };
    match run_command(command, &roots, Duration::from_secs(600)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("beadboard: {}", e.message);
            ExitCode::from(e.code)
        }
    }
}
