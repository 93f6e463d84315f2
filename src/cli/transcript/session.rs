//! `beadboard transcript` of an agent session: an append-only JSONL session (Claude, Codex)
//! is read a window at a time like agentpair's transcript (see [`super::stream`]); a session
//! that must be read whole (Gemini, a compressed Codex rollout, OpenCode's database) is read
//! whole by design, bounded by its size, and on every change while following (the entries
//! beyond those printed are printed).

use super::super::CliError;
use super::super::output::{Out, outln};
use super::print::Printer;
use super::{Options, stream};
use crate::app::model::transcript::{Format, Source};
use crate::app::work::formats;
use crate::persist::run::RunSummary;
use crate::persist::session::SessionSource;
use crate::present::{glyphs, naming, sanitize};
use std::path::Path;

/// Prints the transcript of the session `run`, and with `--follow` keeps printing.
///
/// # Errors
/// The session cannot be read; output that cannot be written (a reader gone away is a quiet
/// end).
pub fn print(out: &mut Out, run: &RunSummary, options: Options) -> Result<(), CliError> {
    let Some(s) = run.session() else {
        return Err(CliError::failed("not an agent session"));
    };
    let agent = s.agent();
    let mut printer = Printer::new(
        options.json,
        options.follow,
        (naming::name(run), naming::reference(run)),
        &s.summary.source.key().display().to_string(),
    );
    if printer.is_text() {
        let model = s.summary.model.as_deref().unwrap_or("-");
        outln!(
            out,
            "{} · {} {} · {} turn{} · {} · model {model} · {} tokens",
            naming::name(run),
            glyphs::agent_state(s.state),
            s.state.as_str(),
            s.summary.turns,
            if s.summary.turns == 1 { "" } else { "s" },
            sanitize::one_line(&s.summary.cwd),
            s.summary.tokens.total()
        )?;
        outln!(
            out,
            "prompt: {}\n",
            sanitize::one_line(&s.summary.prompt_head)
        )?;
    }
    match (
        Source::of_session(agent, &s.summary.source),
        &s.summary.source,
    ) {
        (Source::Lines(format @ Format::Session(_)), SessionSource::Lines(path)) => {
            let reached = stream::print_lines(out, &mut printer, path, format, options.last())?;
            printer.finish(out)?;
            if options.follow {
                stream::follow(out, &mut printer, path, format, reached)?;
            }
        }
        (_, source) => {
            let mut printed = read_whole(out, source, &mut printer, Printed::Last(options.last()))?;
            printer.finish(out)?;
            if options.follow {
                let file = source.file().cloned().unwrap_or_else(|| source.key());
                let dir = file.parent().unwrap_or(Path::new("."));
                stream::wait_for_changes(out, dir, |out| {
                    printed = read_whole(out, source, &mut printer, Printed::First(printed))?;
                    out.flush()
                })?;
            }
        }
    }
    Ok(())
}

/// Which entries of a session read whole are printed.
#[derive(Debug, Clone, Copy)]
enum Printed {
    /// The last N (all when `None`).
    Last(Option<usize>),
    /// All but the first N (printed before).
    First(usize),
}

/// Reads a session whole and prints the entries chosen; returns how many it has.
fn read_whole(
    out: &mut Out,
    source: &SessionSource,
    printer: &mut Printer,
    which: Printed,
) -> Result<usize, CliError> {
    let items = formats::read_document(source).map_err(|e| CliError::failed(e.to_string()))?;
    let lines = crate::app::work::transcript::document_lines(items);
    let skip = match which {
        Printed::Last(Some(0)) => lines.len(),
        Printed::Last(Some(n)) => {
            // From the n-th line from the end that is printed on stdout.
            let mut counted = 0;
            lines
                .iter()
                .rposition(|l| {
                    counted += usize::from(printer.shows(l));
                    counted == n
                })
                .unwrap_or(0)
        }
        Printed::Last(None) => 0,
        Printed::First(n) => n,
    };
    for l in lines.iter().skip(skip) {
        printer.line(out, l)?;
    }
    Ok(lines.len().max(skip))
}
