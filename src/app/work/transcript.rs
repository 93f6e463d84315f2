//! The transcript worker's reads: the end of the file with a tail after it, what the tail
//! finds appended, stretches before, after or around an offset, the next trouble line beyond
//! the window, and a session read whole. Each returns plain data; the pane decides what to
//! show. Lines decode in the transcript's own format (agentpair entries, or an agent's
//! records).

use super::tail;
use super::window;
use crate::app::effect::{TranscriptJob, TranscriptRead};
use crate::app::model::transcript::{Format, Line, LineContent, Source, Tail};
use crate::app::outcome::{Loaded, TranscriptData, TranscriptReply};
use crate::persist::session::{Decoded, Entry};
use std::path::Path;

/// Appended bytes above which the pane jumps to the end instead of reading them all.
pub const BACKLOG_LIMIT: u64 = 16 * 1024 * 1024;

/// How far back the end of a session is read for its first screen when the last stretch
/// holds nothing to show (a burst of progress records).
const SHOWABLE_BACK: u64 = 16 * 1024 * 1024;

fn failed(path: &Path, e: &std::io::Error, tail: Option<Tail>) -> TranscriptData {
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

/// Links a Claude session's sub-agent entries (in lines just read) to their transcripts.
pub fn link(path: &Path, format: Format, lines: &mut [Line]) {
    let Format::Session(agent) = format else {
        return;
    };
    let mut entries: Vec<Entry> = lines
        .iter()
        .filter_map(|l| match &l.content {
            LineContent::Session(e) if e.subagent.is_some() => Some((**e).clone()),
            _ => None,
        })
        .collect();
    if entries.is_empty() {
        return;
    }
    super::formats::link_subagents(agent, path, &mut entries);
    let mut linked = entries.into_iter();
    for l in lines.iter_mut() {
        if let LineContent::Session(e) = &mut l.content
            && e.subagent.is_some()
            && let Some(done) = linked.next()
        {
            **e = done;
        }
    }
}

/// Reads what `job` asks for.
#[must_use]
pub fn read(job: TranscriptJob) -> TranscriptReply {
    let TranscriptJob {
        open,
        path,
        source,
        read,
    } = job;
    let format = source.format();
    let data = match read {
        TranscriptRead::End => end(&path, format),
        TranscriptRead::Poll(tail) => poll(&path, tail),
        TranscriptRead::Stat => {
            let (len, exists) = file_len(&path);
            TranscriptData::Stat { len, exists }
        }
        TranscriptRead::Before(offset) => match window::before(&path, offset, format) {
            Ok(loaded) => TranscriptData::Before(loaded),
            Err(e) => failed(&path, &e, None),
        },
        TranscriptRead::After { from, first } => after(&path, from, first, format),
        TranscriptRead::Start => start(&path, format),
        TranscriptRead::Around(offset) => around(&path, offset, format),
        TranscriptRead::Unterminated(tail) => unterminated(tail),
        TranscriptRead::Trouble {
            from,
            to,
            forward,
            wrapped,
        } => TranscriptData::Trouble {
            offset: crate::app::search::find_trouble(&path, from, to, forward, format),
            forward,
            wrapped,
        },
        TranscriptRead::Document => document(&source),
        // Linked below, as every read's lines are.
        TranscriptRead::Link(lines) => TranscriptData::Linked(lines),
        TranscriptRead::Whole { offset, size } => TranscriptData::Whole {
            offset,
            text: whole(&path, format, offset, size),
        },
    };
    let mut data = data;
    for lines in data.lines_mut() {
        link(&path, format, lines);
    }
    TranscriptReply { open, data }
}

/// A final line without a newline taken as complete, if it reads as an entry now.
fn unterminated(mut tail: Tail) -> TranscriptData {
    let line = match &mut tail {
        Tail::Agentpair(t) => t.take_unterminated(true).and_then(tail::event_line),
        // Agents write whole lines: a session's tail never holds one back.
        Tail::Lines(_) => None,
    };
    TranscriptData::Unterminated { tail, line }
}

/// The last lines, and a tail placed after them (numbered when the window reaches the start).
/// A session's end that holds nothing to show (only progress records) is read further back.
fn end(path: &Path, format: Format) -> TranscriptData {
    let (end, len) = match window::complete_end(path) {
        Ok(v) => v,
        Err(e) => return failed(path, &e, None),
    };
    let mut loaded = match window::before(path, end, format) {
        Ok(loaded) => loaded,
        Err(e) => return failed(path, &e, None),
    };
    while loaded.lines.is_empty() && loaded.start > 0 && end - loaded.start < SHOWABLE_BACK {
        match window::before(path, loaded.start, format) {
            Ok(more) => {
                loaded.lines = more.lines;
                loaded.raw_count += more.raw_count;
                loaded.start = more.start;
            }
            Err(e) => return failed(path, &e, None),
        }
    }
    let lines_before = if loaded.start == 0 {
        loaded.raw_count
    } else {
        0
    };
    TranscriptData::End {
        tail: Tail::starting_at(format, path, end, lines_before),
        loaded,
        len,
        exists: path.exists(),
    }
}

fn poll(path: &Path, mut tail: Tail) -> TranscriptData {
    let (len, exists) = file_len(path);
    if len.saturating_sub(tail.offset()) > BACKLOG_LIMIT {
        // A burst bigger than a window (say 1 GB appended at once): show its end rather than
        // parse all of it.
        return TranscriptData::Polled {
            tail,
            lines: Vec::new(),
            reset: false,
            len,
            exists,
            overflow: true,
        };
    }
    match tail::poll(&mut tail) {
        Ok(polled) => {
            let (len, exists) = file_len(path);
            TranscriptData::Polled {
                tail,
                lines: polled.lines,
                reset: polled.reset,
                len,
                exists,
                overflow: false,
            }
        }
        Err(e) => failed(path, &e, Some(tail)),
    }
}

fn after(path: &Path, from: u64, first: Option<u64>, format: Format) -> TranscriptData {
    let (complete, len) = match window::complete_end(path) {
        Ok(v) => v,
        Err(e) => return failed(path, &e, None),
    };
    match window::after(path, from, complete, first, format) {
        Ok(loaded) => {
            let tail = (loaded.end >= complete).then(|| {
                let lines_before = loaded
                    .lines
                    .last()
                    .and_then(|l| l.number)
                    .or(first.map(|f| f.saturating_sub(1)))
                    .unwrap_or(0);
                Tail::starting_at(format, path, loaded.end, lines_before)
            });
            TranscriptData::After { loaded, tail, len }
        }
        Err(e) => failed(path, &e, None),
    }
}

fn start(path: &Path, format: Format) -> TranscriptData {
    let result = window::complete_end(path)
        .and_then(|(end, _)| Ok((window::after(path, 0, end, Some(1), format)?, end)));
    match result {
        Ok((loaded, end)) => {
            let tail = (loaded.end >= end).then(|| {
                let lines = loaded.lines.last().and_then(|l| l.number).unwrap_or(0);
                Tail::starting_at(format, path, loaded.end, lines)
            });
            TranscriptData::Start { loaded, tail }
        }
        Err(e) => failed(path, &e, None),
    }
}

fn around(path: &Path, offset: u64, format: Format) -> TranscriptData {
    let result = window::complete_end(path).and_then(|(end, _)| {
        let before = window::before(path, offset, format)?;
        // A session's lines are numbered as they are read (records with nothing to show
        // count too); agentpair's by their place in the window, as they always were.
        let first =
            (before.start == 0 && format != Format::Agentpair).then_some(before.raw_count + 1);
        let after = window::after(path, offset, end, first, format)?;
        Ok((before, after, end))
    });
    match result {
        Ok((before, after, end)) => {
            let first_number = (before.start == 0).then_some(1);
            let cursor = before.lines.len();
            let start = before.start;
            let mut lines = before.lines;
            lines.extend(after.lines);
            match (first_number, format) {
                (Some(first), Format::Agentpair) => {
                    for (i, l) in lines.iter_mut().enumerate() {
                        l.number = l.number.or(Some(first + i as u64));
                    }
                }
                (Some(_), Format::Session(_)) | (None, _) => {}
            }
            let at_end = after.end >= end;
            let lines_before = lines.last().and_then(|l| l.number).unwrap_or(0);
            let tail = at_end.then(|| Tail::starting_at(format, path, after.end, lines_before));
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

/// Longest piece of a whole text handed to a view.
const PIECE: usize = 4096;

/// The whole text of the entry cut from `size` bytes in the record at `offset`, in pieces:
/// its lines, each long line split (never inside a character).
fn whole(path: &Path, format: Format, offset: u64, size: u64) -> Result<Vec<String>, String> {
    if format == Format::Agentpair {
        return Err("only an agent session's entries are cut".to_owned());
    }
    let failed = |e: std::io::Error| format!("{}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(failed)?;
    let len = file.metadata().map_err(failed)?.len();
    let raw = crate::persist::run::lines::read_after(
        &file,
        offset,
        len,
        1,
        usize::MAX,
        crate::persist::run::DEFAULT_MAX_LINE,
    )
    .map_err(failed)?;
    let Some(crate::persist::run::lines::RawLine::Line { bytes, .. }) = raw.into_iter().next()
    else {
        return Err(format!(
            "{}: the line at byte {offset} is longer than the limit",
            path.display()
        ));
    };
    let text = super::formats::whole_text(&bytes, size)
        .ok_or_else(|| format!("{}: the line at byte {offset} changed", path.display()))?;
    let plain = crate::present::sanitize::plain(&text);
    let mut pieces = Vec::new();
    for line in plain.lines() {
        let mut rest = line;
        while rest.len() > PIECE {
            let mut cut = PIECE;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            pieces.push(rest[..cut].to_owned());
            rest = &rest[cut..];
        }
        pieces.push(rest.to_owned());
    }
    Ok(pieces)
}

/// A session read whole: each entry a line whose offset is its index.
fn document(source: &Source) -> TranscriptData {
    let Source::Document { source, .. } = source else {
        return TranscriptData::Document {
            lines: Vec::new(),
            exists: false,
        };
    };
    match super::formats::read_document(source) {
        Ok(items) => TranscriptData::Document {
            lines: document_lines(items),
            exists: true,
        },
        Err(e) => TranscriptData::Failed {
            error: e.to_string(),
            tail: None,
        },
    }
}

/// A session's records read whole, as lines (a malformed record shown as unreadable, in
/// place): each line's offset is its index.
#[must_use]
pub fn document_lines(items: Vec<Decoded>) -> Vec<Line> {
    items
        .into_iter()
        .flat_map(|item| window::decoded_contents(item, ""))
        .enumerate()
        .map(|(i, content)| Line {
            offset: i as u64,
            size: 0,
            number: Some(i as u64 + 1),
            content,
        })
        .collect()
}
