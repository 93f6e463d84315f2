//! Reading the stretches of lines the Transcript pane keeps in memory, on the transcript
//! worker: from the end of the file on open, backwards or forwards as the cursor moves, or
//! around any offset (a search hit). Each read is bounded by lines and bytes, so a transcript
//! of any size costs the same to show.

use crate::app::model::transcript::{Format, Line, LineContent};
pub use crate::app::outcome::Loaded;
use crate::persist::run::lines::{self, RawLine};
use crate::persist::run::{DEFAULT_MAX_LINE, TranscriptEntry, preview};
use crate::persist::session::{Agent, Decoded};
use std::fs::File;
use std::io;
use std::path::Path;

/// Lines read by one load.
pub const LOAD_LINES: usize = 600;
/// Bytes read by one load (at least one line is always read).
pub const LOAD_BYTES: usize = 4 * 1024 * 1024;

/// What one raw line shows as: nothing (blank, or a record with nothing to show), or one or
/// more contents (a session's line may hold several entries).
fn contents(r: RawLine, format: Format) -> Vec<LineContent> {
    match r {
        RawLine::Line { bytes, .. } if bytes.iter().all(u8::is_ascii_whitespace) => Vec::new(),
        RawLine::Line { bytes, .. } => match format {
            Format::Agentpair => vec![match TranscriptEntry::parse_line(&bytes) {
                Ok(entry) => LineContent::Entry(Box::new(entry)),
                Err(problem) => LineContent::Unreadable {
                    problem,
                    preview: preview(&bytes),
                },
            }],
            Format::Session(agent) => session_contents(agent, &bytes),
        },
        RawLine::TooLong { len, .. } => vec![LineContent::Unreadable {
            problem: format!(
                "line of {len} bytes is longer than the {} MiB limit; skipped",
                DEFAULT_MAX_LINE / (1024 * 1024)
            ),
            preview: String::new(),
        }],
    }
}

/// A session line's entries, or the line shown as unreadable.
fn session_contents(agent: Agent, bytes: &[u8]) -> Vec<LineContent> {
    decoded_contents(super::formats::decode_line(agent, bytes), &preview(bytes))
}

/// What a decoded record shows as: its entries, nothing, or an unreadable line with the start
/// of its raw text.
#[must_use]
pub fn decoded_contents(decoded: Decoded, raw: &str) -> Vec<LineContent> {
    match decoded {
        Decoded::Entries(entries) => entries
            .into_iter()
            .map(|e| LineContent::Session(Box::new(e)))
            .collect(),
        Decoded::Skip => Vec::new(),
        Decoded::Malformed { problem } => vec![LineContent::Unreadable {
            problem,
            preview: raw.to_owned(),
        }],
    }
}

/// Turns raw lines into transcript lines (blank lines and records with nothing to show
/// dropped; a session line with several entries gives a line each, sharing its offset),
/// numbering them from `first` when the first raw line's number is known.
pub fn parse(raw: Vec<RawLine>, first: Option<u64>, format: Format) -> Vec<Line> {
    let mut out = Vec::with_capacity(raw.len());
    for (i, r) in raw.into_iter().enumerate() {
        let number = first.map(|f| f + i as u64);
        let size = r.next_offset() - r.offset() - 1;
        let offset = r.offset();
        out.extend(contents(r, format).into_iter().map(|content| Line {
            offset,
            size,
            number,
            content,
        }));
    }
    out
}

/// The last lines ending at `end` (a line start, normally the end of complete lines).
///
/// # Errors
/// Read errors.
pub fn before(path: &Path, end: u64, format: Format) -> io::Result<Loaded> {
    let file = match File::open(path) {
        Ok(file) => file,
        // Not written yet (agentpair writes the manifest first): an empty window.
        Err(e) if e.kind() == io::ErrorKind::NotFound && end == 0 => {
            return Ok(Loaded {
                lines: Vec::new(),
                start: 0,
                end: 0,
                raw_count: 0,
            });
        }
        Err(e) => return Err(e),
    };
    let raw = lines::read_before(&file, end, LOAD_LINES, LOAD_BYTES, DEFAULT_MAX_LINE)?;
    let start = raw.first().map_or(end, RawLine::offset);
    let raw_count = raw.len() as u64;
    let first = (start == 0).then_some(1);
    Ok(Loaded {
        lines: parse(raw, first, format),
        start,
        end,
        raw_count,
    })
}

/// The lines starting at `from`, up to `until` (the end of complete lines). `first` is the
/// number of the line at `from`, when known.
///
/// # Errors
/// Read errors.
pub fn after(
    path: &Path,
    from: u64,
    until: u64,
    first: Option<u64>,
    format: Format,
) -> io::Result<Loaded> {
    let file = File::open(path)?;
    let raw = lines::read_after(&file, from, until, LOAD_LINES, LOAD_BYTES, DEFAULT_MAX_LINE)?;
    let end = raw.last().map_or(from, RawLine::next_offset);
    let raw_count = raw.len() as u64;
    Ok(Loaded {
        lines: parse(raw, first, format),
        start: from,
        end,
        raw_count,
    })
}

/// The end of complete lines in the file (and the file's length).
///
/// # Errors
/// Read errors (a missing file is length 0).
pub fn complete_end(path: &Path) -> io::Result<(u64, u64)> {
    match File::open(path) {
        Ok(file) => {
            let len = file.metadata()?.len();
            Ok((lines::complete_end(&file, len)?, len))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok((0, 0)),
        Err(e) => Err(e),
    }
}
