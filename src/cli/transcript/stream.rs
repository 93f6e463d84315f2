//! Reading a transcript file (agentpair's, or an append-only agent session's) a window at a
//! time, as the Transcript pane does, so memory does not grow with the file: the last N lines
//! are found from the end (the pane opens there), every line from a start is printed as it is
//! read, and `--follow` then polls a tail each time the file's directory changes, until the
//! reader of the output goes away.

use super::super::CliError;
use super::super::output::{Out, on_reader_gone};
use super::print::Printer;
use crate::app::model::transcript::{Format, Line, Tail};
use crate::app::work::transcript::link;
use crate::app::work::{tail, window};
use crate::persist::run::TranscriptTail;
use std::path::Path;
use std::time::Duration;

/// Where printing starts: a line's offset, and how many of the entries read from it to leave
/// out (an agent session's line may hold several).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Start {
    /// The raw line's offset.
    pub offset: u64,
    /// Entries of that line not printed.
    pub skip: usize,
}

/// How far the printing got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reached {
    /// The end of the complete lines read.
    pub end: u64,
    /// Lines before `end`, when known (printing started at the file's start).
    pub lines: Option<u64>,
}

fn read_error(path: &Path, e: &std::io::Error) -> CliError {
    CliError::failed(format!("{}: {e}", path.display()))
}

/// Where the last `n` lines that `counts` before `end` (a line start) begin, found from the end
/// a window at a time.
///
/// # Errors
/// The file cannot be read.
pub fn last(
    path: &Path,
    format: Format,
    end: u64,
    n: usize,
    counts: impl Fn(&Line) -> bool,
) -> Result<Start, CliError> {
    let mut wanted = n;
    let mut before = end;
    if n == 0 {
        return Ok(Start {
            offset: end,
            skip: 0,
        });
    }
    while before > 0 {
        let loaded = window::before(path, before, format).map_err(|e| read_error(path, &e))?;
        if loaded.raw_count == 0 {
            break;
        }
        let lines = &loaded.lines;
        let mut counted = 0;
        for (i, l) in lines.iter().enumerate().rev() {
            counted += usize::from(counts(l));
            if counted == wanted {
                // Entries of the same raw line before it are left out.
                let offset = l.offset;
                let skip = lines[..i]
                    .iter()
                    .rev()
                    .take_while(|l| l.offset == offset)
                    .count();
                return Ok(Start { offset, skip });
            }
        }
        wanted -= counted;
        before = loaded.start;
    }
    Ok(Start::default())
}

/// Prints the complete lines of `path` (all, or the last `last` entries), a window at a time.
///
/// # Errors
/// The file cannot be read; output that cannot be written.
pub fn print_lines(
    out: &mut Out,
    printer: &mut Printer,
    path: &Path,
    format: Format,
    last_n: Option<usize>,
) -> Result<Reached, CliError> {
    let (end, _) = window::complete_end(path).map_err(|e| read_error(path, &e))?;
    let start = match last_n {
        Some(n) => last(path, format, end, n, |l| printer.shows(l))?,
        None => Start::default(),
    };
    let mut lines = (start.offset == 0).then_some(0);
    let mut pos = start.offset;
    let mut skip = start.skip;
    while pos < end {
        let mut loaded = window::after(path, pos, end, lines.map(|n| n + 1), format)
            .map_err(|e| read_error(path, &e))?;
        if loaded.raw_count == 0 {
            break;
        }
        link(path, format, &mut loaded.lines);
        for l in &loaded.lines {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            printer.line(out, l)?;
        }
        lines = lines.map(|n| n + loaded.raw_count);
        pos = loaded.end;
    }
    Ok(Reached { end: pos, lines })
}

/// Prints a last line that has no newline (legal for Go once its writer has finished), for a
/// one-shot read of agentpair's transcript.
///
/// # Errors
/// As [`print_lines`].
pub fn print_unterminated(
    out: &mut Out,
    printer: &mut Printer,
    path: &Path,
    reached: Reached,
) -> Result<(), CliError> {
    let mut last = TranscriptTail::starting_at(path, reached.end, reached.lines.unwrap_or(0));
    let events = last.poll_final().map_err(|e| read_error(path, &e))?;
    for mut l in events.into_iter().filter_map(tail::event_line) {
        if reached.lines.is_none() {
            l.number = None;
        }
        printer.line(out, &l)?;
    }
    Ok(())
}

/// Follows `path` from where printing got to: each time its directory changes, prints what
/// was appended (a stretch at a time), until the reader of the output goes away.
///
/// # Errors
/// As [`print_lines`]; a reader gone away is a quiet end ([`CliError::closed`]).
pub fn follow(
    out: &mut Out,
    printer: &mut Printer,
    path: &Path,
    format: Format,
    reached: Reached,
) -> Result<(), CliError> {
    let mut numbered = reached.lines.is_some();
    let mut tail = Tail::starting_at(format, path, reached.end, reached.lines.unwrap_or(0));
    let dir = path.parent().unwrap_or(Path::new("."));
    wait_for_changes(out, dir, |out| {
        let mut print = |out: &mut Out, mut l: Line| {
            if !numbered {
                l.number = None;
            }
            printer.line(out, &l)
        };
        let reset = match &mut tail {
            Tail::Agentpair(t) => {
                let mut reset = false;
                loop {
                    let mut events = Vec::new();
                    let more = t
                        .poll_some(window::LOAD_BYTES as u64, &mut events)
                        .map_err(|e| read_error(path, &e))?;
                    for event in events {
                        match tail::event_line(event) {
                            Some(l) => print(out, l)?,
                            None => reset = true,
                        }
                    }
                    if !more {
                        break;
                    }
                }
                reset
            }
            Tail::Lines(t) => {
                let mut failed = None;
                let reset = tail::poll_lines_each(t, |mut lines| {
                    link(path, format, &mut lines);
                    for l in lines {
                        if failed.is_none()
                            && let Err(e) = print(out, l)
                        {
                            failed = Some(e);
                        }
                    }
                })
                .map_err(|e| read_error(path, &e))?;
                if let Some(e) = failed {
                    return Err(e);
                }
                reset
            }
        };
        if reset {
            // Read from the start on the next look, with numbers from 1 again.
            printer.reset();
            numbered = true;
        }
        out.flush()
    })
}

/// What wakes a follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wake {
    /// Something in the directory changed.
    Changed,
    /// Standard output's reader went away.
    ReaderGone,
}

/// Calls `changed` each time something in `dir` changes (and once a second, for file systems
/// that drop events), until the reader of the output goes away (noticed at once, even with
/// nothing to write) or `changed` fails.
///
/// # Errors
/// The directory cannot be watched; what `changed` returns; a reader gone away is a quiet end
/// ([`CliError::closed`]).
pub fn wait_for_changes(
    out: &mut Out,
    dir: &Path,
    mut changed: impl FnMut(&mut Out) -> Result<(), CliError>,
) -> Result<(), CliError> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel();
    let gone = tx.clone();
    on_reader_gone(move || {
        let _ = gone.send(Wake::ReaderGone);
    });
    let mut watcher = notify::recommended_watcher(move |_event| {
        let _ = tx.send(Wake::Changed);
    })
    .map_err(|e| CliError::failed(format!("{}: cannot watch: {e}", dir.display())))?;
    watcher
        .watch(dir, RecursiveMode::NonRecursive)
        .map_err(|e| CliError::failed(format!("{}: cannot watch: {e}", dir.display())))?;
    out.flush()?;
    loop {
        let first = rx.recv_timeout(Duration::from_secs(1)).ok();
        if first
            .into_iter()
            .chain(rx.try_iter())
            .any(|w| w == Wake::ReaderGone)
        {
            return Err(CliError::closed());
        }
        changed(out)?;
    }
}
