//! The incremental transcript reader for live use.
//!
//! It remembers how far it has read, returns only complete new lines, holds back a half-written
//! last line until its newline arrives, reports a malformed line and keeps reading past it,
//! tolerates `\r\n` and blank lines, reads lines up to [`DEFAULT_MAX_LINE`] (longer ones are
//! skipped and reported without being buffered), and notices a truncated or replaced file and
//! starts over (reporting [`TailEvent::Reset`] so the consumer can clear what it showed).

use super::{TranscriptEntry, TranscriptLine};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};

/// Longest line read (64 MiB); agentpair itself reads lines under 10 MiB.
pub const DEFAULT_MAX_LINE: usize = 64 * 1024 * 1024;

const CHUNK: usize = 1024 * 1024;

/// What a poll found.
#[derive(Debug, Clone, PartialEq)]
pub enum TailEvent {
    /// The file was truncated, replaced or deleted: everything read before is void and
    /// reading restarts at the beginning.
    Reset,
    /// A readable entry.
    Entry {
        /// 1-based line number.
        line: u64,
        /// Byte offset of the line's first byte.
        offset: u64,
        /// Length of the line in bytes, without its newline.
        len: u64,
        /// The entry.
        entry: Box<TranscriptEntry>,
    },
    /// A line that is not a valid entry.
    Malformed {
        /// 1-based line number.
        line: u64,
        /// Byte offset of the line's first byte.
        offset: u64,
        /// Length of the line in bytes, without its newline.
        len: u64,
        /// Why it could not be read.
        problem: String,
        /// The start of the raw line, lossily decoded.
        preview: String,
    },
}

impl TailEvent {
    /// The line this event carries, if any.
    #[must_use]
    pub fn into_line(self) -> Option<TranscriptLine> {
        match self {
            TailEvent::Reset => None,
            TailEvent::Entry { entry, .. } => Some(TranscriptLine::Entry(entry)),
            TailEvent::Malformed {
                line,
                problem,
                preview,
                ..
            } => Some(TranscriptLine::Malformed {
                line,
                problem,
                preview,
            }),
        }
    }
}

/// Follows one transcript file.
#[derive(Debug)]
pub struct TranscriptTail {
    path: PathBuf,
    /// File offset of the first byte not yet consumed (the start of `pending`).
    offset: u64,
    /// Bytes of an incomplete last line.
    pending: Vec<u8>,
    /// Lines consumed so far.
    line: u64,
    /// (device, inode) of the file being followed.
    identity: Option<(u64, u64)>,
    /// The byte just before `offset`, to detect a file rewritten in place.
    last_byte: Option<u8>,
    /// While skipping an over-long line: its offset and the bytes seen so far.
    oversize: Option<(u64, u64)>,
    /// The last byte of the over-long line seen so far (to take it as a final line).
    oversize_last: Option<u8>,
    /// Set after an unterminated final line was accepted: its `\n` may still arrive.
    swallow_newline: bool,
    max_line: usize,
}

impl TranscriptTail {
    /// A reader at the start of `path` (the file need not exist yet).
    #[must_use]
    pub fn new(path: impl Into<PathBuf>) -> TranscriptTail {
        TranscriptTail {
            path: path.into(),
            offset: 0,
            pending: Vec::new(),
            line: 0,
            identity: None,
            last_byte: None,
            oversize: None,
            oversize_last: None,
            swallow_newline: false,
            max_line: DEFAULT_MAX_LINE,
        }
    }

    /// A reader that starts at `offset`, which must be the start of a line (e.g. the end of a
    /// file indexed elsewhere); `lines_before` is how many lines precede it.
    #[must_use]
    pub fn starting_at(path: impl Into<PathBuf>, offset: u64, lines_before: u64) -> TranscriptTail {
        let mut tail = TranscriptTail::new(path);
        tail.offset = offset;
        tail.line = lines_before;
        if offset > 0 {
            tail.last_byte = Some(b'\n');
        }
        tail
    }

    /// Changes the longest line read (lines beyond it are reported and skipped).
    #[must_use]
    pub fn with_max_line(mut self, max_line: usize) -> TranscriptTail {
        self.max_line = max_line.max(1);
        self
    }

    /// The file followed.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bytes consumed so far (complete lines only).
    #[must_use]
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Lines consumed so far.
    #[must_use]
    pub fn lines_read(&self) -> u64 {
        self.line
    }

    /// Bytes of a half-written last line held back.
    #[must_use]
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    fn reset(&mut self) {
        self.offset = 0;
        self.pending.clear();
        self.line = 0;
        self.last_byte = None;
        self.oversize = None;
        self.oversize_last = None;
        self.swallow_newline = false;
    }

    /// Reads whatever complete lines were appended since the last call. After a truncation or
    /// replacement it returns just [`TailEvent::Reset`]; the next call reads from the start.
    ///
    /// # Errors
    /// An I/O error other than the file not existing (a missing file reads as empty).
    pub fn poll(&mut self) -> io::Result<Vec<TailEvent>> {
        let mut events = Vec::new();
        self.poll_into(&mut events, u64::MAX)?;
        Ok(events)
    }

    /// Like [`TranscriptTail::poll`], but reads at most about `budget` bytes; returns whether
    /// more data is waiting, so a caller can spread a large backlog over several turns.
    ///
    /// # Errors
    /// As [`TranscriptTail::poll`].
    pub fn poll_some(&mut self, budget: u64, events: &mut Vec<TailEvent>) -> io::Result<bool> {
        self.poll_into(events, budget)
    }

    /// Reads everything, then also takes a final line that has no newline (legal for Go when
    /// the writer has finished). Meant for one-shot reads of a whole file.
    ///
    /// # Errors
    /// As [`TranscriptTail::poll`].
    pub fn poll_final(&mut self) -> io::Result<Vec<TailEvent>> {
        let mut events = self.poll()?;
        events.extend(self.take_unterminated(false));
        Ok(events)
    }

    /// Takes the held-back unterminated last line as a complete line. With `only_if_valid`, it
    /// is taken only when it parses as an entry (a live writer may still be writing it).
    /// An over-long last line is taken too (reported as skipped), so a one-shot read never
    /// drops it silently; it is never valid.
    pub fn take_unterminated(&mut self, only_if_valid: bool) -> Option<TailEvent> {
        if let Some((start, seen)) = self.oversize {
            if only_if_valid {
                return None;
            }
            self.oversize = None;
            self.line += 1;
            let event = TailEvent::Malformed {
                line: self.line,
                offset: start,
                len: seen,
                problem: self.too_long(seen),
                preview: String::new(),
            };
            self.offset = start + seen;
            self.last_byte = self.oversize_last.take();
            self.swallow_newline = true;
            return Some(event);
        }
        if self.pending.is_empty() {
            return None;
        }
        if !only_if_valid && self.pending.iter().all(u8::is_ascii_whitespace) {
            // A blank last line is skipped, as blank lines are (not reported as unreadable).
            let bytes = std::mem::take(&mut self.pending);
            self.line += 1;
            self.advance(bytes.len() as u64, bytes.last().copied());
            self.swallow_newline = true;
            return None;
        }
        let parsed = TranscriptEntry::parse_line(&self.pending);
        if only_if_valid && parsed.is_err() {
            return None;
        }
        let bytes = std::mem::take(&mut self.pending);
        let event = self.line_event(&bytes, parsed);
        self.advance(bytes.len() as u64, bytes.last().copied());
        self.swallow_newline = true;
        event
    }

    fn advance(&mut self, consumed: u64, last: Option<u8>) {
        self.offset += consumed;
        if last.is_some() {
            self.last_byte = last;
        }
    }

    fn poll_into(&mut self, events: &mut Vec<TailEvent>, budget: u64) -> io::Result<bool> {
        let mut file = match File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if self.identity.take().is_some() {
                    self.reset();
                    events.push(TailEvent::Reset);
                }
                return Ok(false);
            }
            Err(e) => return Err(e),
        };
        let meta = file.metadata()?;
        let identity = (meta.dev(), meta.ino());
        let len = meta.len();
        let read_so_far =
            self.offset + self.pending.len() as u64 + self.oversize.map_or(0, |(_, n)| n);
        let replaced = self.identity.is_some_and(|id| id != identity);
        let shrunk = len < read_so_far;
        let rewritten = !replaced && !shrunk && self.offset > 0 && {
            let mut byte = [0u8; 1];
            file.read_exact_at(&mut byte, self.offset - 1).is_ok()
                && Some(byte[0]) != self.last_byte
        };
        if replaced || shrunk || rewritten {
            // Report the reset on its own: the consumer decides where to read from next (from
            // the start, or only the end of a huge file); the next poll reads from offset 0.
            self.reset();
            self.identity = None;
            events.push(TailEvent::Reset);
            return Ok(true);
        }
        self.identity = Some(identity);
        let start = self.offset + self.pending.len() as u64 + self.oversize.map_or(0, |(_, n)| n);
        if len <= start {
            return Ok(false);
        }
        file.seek(SeekFrom::Start(start))?;
        let mut remaining = len - start;
        let mut read_now = 0u64;
        let mut chunk = vec![0u8; CHUNK.min(usize::try_from(remaining).unwrap_or(CHUNK))];
        while remaining > 0 && read_now < budget {
            let left_in_budget = budget - read_now;
            let want = chunk
                .len()
                .min(usize::try_from(remaining).unwrap_or(chunk.len()))
                .min(usize::try_from(left_in_budget).unwrap_or(chunk.len()));
            let got = file.read(&mut chunk[..want])?;
            if got == 0 {
                break;
            }
            remaining -= got as u64;
            read_now += got as u64;
            self.consume(&chunk[..got], events);
        }
        Ok(remaining > 0)
    }

    fn consume(&mut self, mut data: &[u8], events: &mut Vec<TailEvent>) {
        if self.swallow_newline && !data.is_empty() {
            self.swallow_newline = false;
            if data[0] == b'\n' {
                self.advance(1, Some(b'\n'));
                data = &data[1..];
            }
        }
        while !data.is_empty() {
            if let Some((start, seen)) = self.oversize {
                match memchr::memchr(b'\n', data) {
                    Some(nl) => {
                        let total = seen + nl as u64;
                        self.oversize = None;
                        self.line += 1;
                        events.push(TailEvent::Malformed {
                            line: self.line,
                            offset: start,
                            len: total,
                            problem: self.too_long(total),
                            preview: String::new(),
                        });
                        self.offset = start + total + 1;
                        self.last_byte = Some(b'\n');
                        data = &data[nl + 1..];
                    }
                    None => {
                        self.oversize = Some((start, seen + data.len() as u64));
                        self.oversize_last = data.last().copied();
                        return;
                    }
                }
                continue;
            }
            match memchr::memchr(b'\n', data) {
                Some(nl) => {
                    let line_len = self.pending.len() + nl;
                    if line_len > self.max_line {
                        self.oversize = Some((self.offset, self.pending.len() as u64));
                        self.pending.clear();
                        continue;
                    }
                    if self.pending.is_empty() {
                        self.complete_line(&data[..nl], events);
                    } else {
                        let mut line = std::mem::take(&mut self.pending);
                        line.extend_from_slice(&data[..nl]);
                        self.complete_line(&line, events);
                    }
                    data = &data[nl + 1..];
                }
                None => {
                    if self.pending.len() + data.len() > self.max_line {
                        let seen = (self.pending.len() + data.len()) as u64;
                        self.oversize = Some((self.offset, seen));
                        self.oversize_last = data.last().copied();
                        self.pending.clear();
                    } else {
                        self.pending.extend_from_slice(data);
                    }
                    return;
                }
            }
        }
    }

    fn too_long(&self, len: u64) -> String {
        format!(
            "line of {len} bytes is longer than the {} MiB limit; skipped",
            self.max_line / (1024 * 1024)
        )
    }

    fn complete_line(&mut self, bytes: &[u8], events: &mut Vec<TailEvent>) {
        let blank = bytes.iter().all(u8::is_ascii_whitespace);
        if blank {
            self.line += 1;
        } else {
            let parsed = TranscriptEntry::parse_line(bytes);
            events.extend(self.line_event(bytes, parsed));
        }
        self.advance(bytes.len() as u64 + 1, Some(b'\n'));
    }

    fn line_event(
        &mut self,
        bytes: &[u8],
        parsed: Result<TranscriptEntry, String>,
    ) -> Option<TailEvent> {
        self.line += 1;
        let (line, offset, len) = (self.line, self.offset, bytes.len() as u64);
        Some(match parsed {
            Ok(entry) => TailEvent::Entry {
                line,
                offset,
                len,
                entry: Box::new(entry),
            },
            Err(problem) => TailEvent::Malformed {
                line,
                offset,
                len,
                problem,
                preview: preview(bytes),
            },
        })
    }
}

/// The first 120 characters of a raw line, lossily decoded, for showing an unreadable line.
#[must_use]
pub fn preview(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(480)];
    String::from_utf8_lossy(head).chars().take(120).collect()
}

#[cfg(test)]
mod tests;
