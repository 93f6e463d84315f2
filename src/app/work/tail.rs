//! Polling the open transcript's tail on the transcript worker: what was appended since it
//! last looked, as lines ready to show, or the news that the file was truncated or replaced.
//! agentpair's tail reads entries itself; an agent session's reads complete lines and decodes
//! each in its format.

use super::window::{self, LOAD_BYTES, LOAD_LINES};
use crate::app::model::transcript::{Format, Line, LineContent, LineTail, Tail};
use crate::persist::run::lines::{self, RawLine};
use crate::persist::run::{DEFAULT_MAX_LINE, TailEvent};
use std::fs::File;
use std::io;
use std::os::unix::fs::MetadataExt;

/// What a poll found.
#[derive(Debug, Default)]
pub struct Polled {
    /// The new lines, numbered from the file's start.
    pub lines: Vec<Line>,
    /// The file was truncated, replaced or deleted: what was shown is void.
    pub reset: bool,
}

/// A tail event as a line to show (`None` for a reset).
#[must_use]
pub fn event_line(event: TailEvent) -> Option<Line> {
    match event {
        TailEvent::Reset => None,
        TailEvent::Entry {
            line,
            offset,
            len,
            entry,
        } => Some(Line {
            offset,
            size: len,
            number: Some(line),
            content: LineContent::Entry(entry),
        }),
        TailEvent::Malformed {
            line,
            offset,
            len,
            problem,
            preview,
        } => Some(Line {
            offset,
            size: len,
            number: Some(line),
            content: LineContent::Unreadable { problem, preview },
        }),
    }
}

/// Reads what was appended since the tail's offset.
///
/// # Errors
/// A read error other than the file not existing.
pub fn poll(tail: &mut Tail) -> io::Result<Polled> {
    match tail {
        Tail::Agentpair(t) => {
            let events = t.poll()?;
            let reset = events.iter().any(|e| matches!(e, TailEvent::Reset));
            Ok(Polled {
                lines: events.into_iter().filter_map(event_line).collect(),
                reset,
            })
        }
        Tail::Lines(t) => poll_lines(t),
    }
}

fn poll_lines(tail: &mut LineTail) -> io::Result<Polled> {
    let mut out = Vec::new();
    let reset = poll_lines_each(tail, |lines| out.extend(lines))?;
    Ok(Polled { lines: out, reset })
}

/// Reads what was appended to an agent session since the tail's offset, handing the lines to
/// `sink` a stretch at a time (memory does not grow with what was appended). Returns whether
/// the file was truncated, replaced or deleted instead (the tail is then back at the start).
///
/// # Errors
/// A read error other than the file not existing.
pub fn poll_lines_each(tail: &mut LineTail, mut sink: impl FnMut(Vec<Line>)) -> io::Result<bool> {
    let file = match File::open(&tail.path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let reset = tail.identity.take().is_some();
            if reset {
                tail.offset = 0;
                tail.lines = 0;
            }
            return Ok(reset);
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    let identity = (meta.dev(), meta.ino());
    if tail.identity.is_some_and(|id| id != identity) || meta.len() < tail.offset {
        tail.offset = 0;
        tail.lines = 0;
        tail.identity = None;
        return Ok(true);
    }
    tail.identity = Some(identity);
    let end = lines::complete_end(&file, meta.len())?;
    while tail.offset < end {
        let raw = lines::read_after(
            &file,
            tail.offset,
            end,
            LOAD_LINES,
            LOAD_BYTES,
            DEFAULT_MAX_LINE,
        )?;
        let Some(next) = raw.last().map(RawLine::next_offset) else {
            break;
        };
        let count = raw.len() as u64;
        sink(window::parse(
            raw,
            Some(tail.lines + 1),
            Format::Session(tail.agent),
        ));
        tail.lines += count;
        tail.offset = next;
    }
    Ok(false)
}
