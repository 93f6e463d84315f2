//! The `beadboard` binary: parses the command line, installs color-eyre, and runs either a
//! headless subcommand or the dashboard.

use beadboard::cli::{Cli, run_command};
use beadboard::config::RootChoices;
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
        eprintln!(
            "beadboard: the dashboard is not available in this build; see `beadboard --help`"
        );
        return ExitCode::from(1);
    };
    match run_command(command, &roots, Duration::from_secs(600)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("beadboard: {}", e.message);
            ExitCode::from(e.code)
        }
    }
}
