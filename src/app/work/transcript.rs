//! The transcript worker's reads: the end of the file with a tail after it, what the tail
//! finds appended, stretches before, after or around an offset, and the next trouble line
//! beyond the window. Each returns plain data; the pane decides what to show.

use super::window;
use crate::app::effect::{TranscriptJob, TranscriptRead};
use crate::app::outcome::{Loaded, TranscriptData, TranscriptReply};
use crate::persist::run::TranscriptTail;
use std::path::Path;

/// Appended bytes above which the pane jumps to the end instead of reading them all.
pub const BACKLOG_LIMIT: u64 = 16 * 1024 * 1024;

fn failed(path: &Path, e: &std::io::Error, tail: Option<TranscriptTail>) -> TranscriptData {
    TranscriptData::Failed {
        error: format!("{}: {e}", path.display()),
        tail,
    }
}

fn file_len(path: &Path) -> (u64, bool) {
    match std::fs::metadata(path) {
        Ok(m) => (m.len(), true),
        Err(_) => (0, false),
    }
}

/// Reads what `job` asks for.
#[must_use]
pub fn read(job: TranscriptJob) -> TranscriptReply {
    let TranscriptJob { open, path, read } = job;
    let data = match read {
        TranscriptRead::End => end(&path),
        TranscriptRead::Poll(tail) => poll(&path, tail),
        TranscriptRead::Stat => {
            let (len, exists) = file_len(&path);
            TranscriptData::Stat { len, exists }
        }
        TranscriptRead::Before(offset) => match window::before(&path, offset) {
            Ok(loaded) => TranscriptData::Before(loaded),
            Err(e) => failed(&path, &e, None),
        },
        TranscriptRead::After { from, first } => after(&path, from, first),
        TranscriptRead::Start => start(&path),
        TranscriptRead::Around(offset) => around(&path, offset),
        TranscriptRead::Unterminated(mut tail) => {
            let event = tail.take_unterminated(true);
            TranscriptData::Unterminated { tail, event }
        }
        TranscriptRead::Trouble { from, to, forward } => TranscriptData::Trouble {
            offset: crate::app::search::find_trouble(&path, from, to, forward),
            forward,
        },
    };
    TranscriptReply { open, data }
}

/// The last lines, and a tail placed after them (numbered when the window reaches the start).
fn end(path: &Path) -> TranscriptData {
    let (end, len) = match window::complete_end(path) {
        Ok(v) => v,
        Err(e) => return failed(path, &e, None),
    };
    match window::before(path, end) {
        Ok(loaded) => {
            let lines_before = if loaded.start == 0 {
                loaded.raw_count
            } else {
                0
            };
            TranscriptData::End {
                tail: TranscriptTail::starting_at(path, end, lines_before),
                loaded,
                len,
                exists: path.exists(),
            }
        }
        Err(e) => failed(path, &e, None),
    }
}

fn poll(path: &Path, mut tail: TranscriptTail) -> TranscriptData {
    let (len, exists) = file_len(path);
    if len.saturating_sub(tail.offset()) > BACKLOG_LIMIT {
        // A burst bigger than a window (say 1 GB appended at once): show its end rather than
        // parse all of it.
        return TranscriptData::Polled {
            tail,
            events: Vec::new(),
            len,
            exists,
            overflow: true,
        };
    }
    match tail.poll() {
        Ok(events) => {
            let (len, exists) = file_len(path);
            TranscriptData::Polled {
                tail,
                events,
                len,
                exists,
                overflow: false,
            }
        }
        Err(e) => failed(path, &e, Some(tail)),
    }
}

fn after(path: &Path, from: u64, first: Option<u64>) -> TranscriptData {
    let (complete, len) = match window::complete_end(path) {
        Ok(v) => v,
        Err(e) => return failed(path, &e, None),
    };
    match window::after(path, from, complete, first) {
        Ok(loaded) => {
            let tail = (loaded.end >= complete).then(|| {
                let lines_before = loaded
                    .lines
                    .last()
                    .and_then(|l| l.number)
                    .or(first.map(|f| f.saturating_sub(1)))
                    .unwrap_or(0);
                TranscriptTail::starting_at(path, loaded.end, lines_before)
            });
            TranscriptData::After { loaded, tail, len }
        }
        Err(e) => failed(path, &e, None),
    }
}

fn start(path: &Path) -> TranscriptData {
    let result = window::complete_end(path)
        .and_then(|(end, _)| Ok((window::after(path, 0, end, Some(1))?, end)));
    match result {
        Ok((loaded, end)) => {
            let tail = (loaded.end >= end).then(|| {
                let lines = loaded.lines.last().and_then(|l| l.number).unwrap_or(0);
                TranscriptTail::starting_at(path, loaded.end, lines)
            });
            TranscriptData::Start { loaded, tail }
        }
        Err(e) => failed(path, &e, None),
    }
}

fn around(path: &Path, offset: u64) -> TranscriptData {
    let result = window::complete_end(path).and_then(|(end, _)| {
        let before = window::before(path, offset)?;
        let after = window::after(path, offset, end, None)?;
        Ok((before, after, end))
    });
    match result {
        Ok((before, after, end)) => {
            let first_number = (before.start == 0).then_some(1);
            let cursor = before.lines.len();
            let start = before.start;
            let mut lines = before.lines;
            lines.extend(after.lines);
            if let Some(first) = first_number {
                for (i, l) in lines.iter_mut().enumerate() {
                    l.number = l.number.or(Some(first + i as u64));
                }
            }
            let at_end = after.end >= end;
            let lines_before = lines.last().and_then(|l| l.number).unwrap_or(0);
            let tail = at_end.then(|| TranscriptTail::starting_at(path, after.end, lines_before));
            TranscriptData::Around {
                loaded: Loaded {
                    lines,
                    start,
                    end: after.end,
                    raw_count: 0,
                },
                cursor,
                tail,
            }
        }
        Err(e) => failed(path, &e, None),
    }
}
