//! Shell completions and man pages, generated from the same clap definitions as the parser
//! (`beadboard completions bash|zsh|fish|elvish|powershell`, `beadboard man [--dir DIR]`), so
//! they never drift from the flags.

use super::output::{Out, outln};
use super::{Cli, CliError};
use clap::CommandFactory;
use std::path::Path;

/// The completion script for `shell`.
#[must_use]
pub fn completions(shell: clap_complete::Shell) -> String {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "beadboard", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

/// The man page of `command` (its title in capitals, as man pages have it).
fn page(command: clap::Command) -> clap_mangen::Man {
    let mut command = command;
    command.build();
    let title = command
        .get_display_name()
        .unwrap_or_else(|| command.get_name())
        .to_uppercase();
    clap_mangen::Man::new(command)
        .title(title)
        .source(concat!("beadboard ", env!("CARGO_PKG_VERSION")))
}

fn render(man: &clap_mangen::Man) -> Result<Vec<u8>, CliError> {
    let mut roff = Vec::new();
    man.render(&mut roff)
        .map_err(|e| CliError::failed(format!("cannot render the man page: {e}")))?;
    Ok(roff)
}

/// The command the pages describe: clap's `help` subcommand has no page of its own.
fn described() -> clap::Command {
    Cli::command().disable_help_subcommand(true)
}

/// `beadboard.1`, in roff.
///
/// # Errors
/// Never in practice (it is written to memory).
pub fn man_page() -> Result<String, CliError> {
    Ok(String::from_utf8_lossy(&render(&page(described()))?).into_owned())
}

/// `man`: `beadboard.1` on stdout, or with `dir` that page and one per subcommand
/// (`beadboard-runs.1`, …) written into `dir`, each path printed.
///
/// # Errors
/// A page that cannot be written, naming it.
pub fn man(out: &mut Out, dir: Option<&Path>) -> Result<(), CliError> {
    let Some(dir) = dir else {
        return out.text(&man_page()?);
    };
    let mut top = described();
    top.build();
    let subcommands: Vec<clap::Command> = top.get_subcommands().cloned().collect();
    for man in std::iter::once(page(top)).chain(subcommands.into_iter().map(page)) {
        let path = dir.join(man.get_filename());
        std::fs::write(&path, render(&man)?)
            .map_err(|e| CliError::failed(format!("{}: {e}", path.display())))?;
        outln!(out, "{}", path.display())?;
    }
    Ok(())
}
