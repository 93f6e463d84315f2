//! The raw-bytes scanner every search uses: a transcript is read in large chunks, the query's
//! raw pattern finds candidate lines, and each candidate is verified against its readable text
//! (see [`super::verify`]). Only matching lines cost more than a memory scan.

use super::LineFormat;
use super::query::Query;
use super::verify::line_matches;
use crate::persist::run::TranscriptEntry;
use std::io::{self, Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, Ordering};

/// Bytes read at a time where whole lines are wanted from one read (the error jumps).
pub const CHUNK: usize = 8 * 1024 * 1024;
/// Bytes the scanner reads at a time: small enough that the kernel's copy lands in the CPU's
/// cache and is searched there (an 8 MiB buffer spent half the scan's time in that copy).
const READ: usize = 256 * 1024;
/// A line longer than this (agentpair never writes one over 10 MiB) is skipped, not buffered.
const MAX_LINE: usize = 128 * 1024 * 1024;
/// A line longer than this with no candidate in it so far is passed over as it is read (only
/// its last bytes kept, where a candidate may begin), not gathered whole: a 12 MB tool output
/// costs a scan, not 12 MB. One with a candidate is read again from its start, whole. (1 MiB
/// before: each of `F`'s workers then kept 1.25 MiB in an arena of its own thread for the
/// search's length; issue 18 in BENCHMARKS.md.)
const LONG_LINE: usize = 256 * 1024;

/// Makes `buf` at least `len` long. Up to a long line and a read (512 KiB) it grows only as far
/// as needed (doubling took each search worker's buffer to 2 MiB, kept for the search's
/// length: issue 18 in BENCHMARKS.md); a line gathered whole beyond that grows it
/// by doubling, so a 100 MB line is not copied at every read.
fn grow(buf: &mut Vec<u8>, len: usize) {
    if buf.len() >= len {
        return;
    }
    if len <= LONG_LINE + READ {
        buf.reserve_exact(len - buf.len());
    }
    buf.resize(len, 0);
}

/// What a scan of one file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scanned {
    /// The file offset scanning reached.
    pub to: u64,
    /// It stopped because it was cancelled.
    pub cancelled: bool,
}

/// Scratch state of one scan.
struct Context {
    /// Lines before the current region, when known (and wanted).
    lines: Option<u64>,
    /// The current region is the file's last (its lines need not be counted to the end).
    last: bool,
}

/// What a scan reports, as it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'l> {
    /// A matching line (without its newline) at this file offset, with its 1-based number
    /// when lines are numbered and the scan started at the file's beginning.
    Line(u64, Option<u64>, &'l [u8]),
    /// Everything before this file offset has been scanned.
    Progress(u64),
}

/// Where to scan and what to do with matches.
pub struct Lines<'a> {
    /// What to look for.
    pub query: &'a Query,
    /// Checked before each chunk.
    pub cancel: &'a AtomicBool,
    /// Also search a last line with no newline if it is a complete entry (a half-written line
    /// is not one); a live view that searches only up to the end of complete lines says no.
    pub complete_tail: bool,
    /// Number the matching lines (an extra pass over files larger than a chunk).
    pub numbers: bool,
    /// How the lines decode.
    pub format: LineFormat,
}

impl Lines<'_> {
    /// Scans `reader` (a file, or a compressed file's decompressed bytes) from `from` (a line
    /// start) up to `until`, telling `sink` each matching line and the progress after each
    /// chunk. `buf` is reused between calls. A read must come back short only at the end, as a
    /// regular file's does.
    ///
    /// # Errors
    /// A read error.
    pub fn scan(
        &self,
        mut reader: impl Read + Seek,
        from: u64,
        until: u64,
        buf: &mut Vec<u8>,
        mut sink: impl FnMut(Event<'_>),
    ) -> io::Result<Scanned> {
        if from > 0 {
            reader.seek(SeekFrom::Start(from))?;
        }
        let mut remaining = until.saturating_sub(from);
        // `buf[..filled]` holds the bytes read and not yet searched (a partial last line);
        // the rest of `buf` is space, kept between calls so it is cleared only once.
        let mut filled = 0;
        let mut base = from;
        let mut skipping = false;
        // A long line being passed over (where it starts), and the long line known to hold a
        // candidate (gathered whole, however long).
        let mut passing: Option<u64> = None;
        let mut gathered: Option<u64> = None;
        let keep = self.query.raw_max_len().max(1);
        let every_line = self.query.text().is_empty();
        let mut ctx = Context {
            lines: (from == 0 && self.numbers).then_some(0),
            last: false,
        };
        loop {
            if self.cancel.load(Ordering::Relaxed) {
                return Ok(Scanned {
                    to: base,
                    cancelled: true,
                });
            }
            let want = usize::try_from(remaining.min(READ as u64)).unwrap_or(READ);
            grow(buf, filled + want);
            let n = reader.read(&mut buf[filled..filled + want])?;
            remaining -= n as u64;
            // A regular file reads short only at its end.
            let last = n < want || remaining == 0;
            ctx.last = last;
            let before = filled;
            filled += n;
            let mut start = 0;
            if let Some(line) = passing {
                // Only the line's last bytes and what was just read are here.
                let newline = memchr::memchr(b'\n', &buf[..filled]);
                let upto = newline.unwrap_or(filled);
                if self.query.raw().is_match(&buf[..upto]) {
                    // A candidate: the line is read again from its start, whole.
                    passing = None;
                    gathered = Some(line);
                    reader.seek(SeekFrom::Start(line))?;
                    remaining = until.saturating_sub(line);
                    base = line;
                    filled = 0;
                    continue;
                }
                match newline {
                    Some(i) => {
                        // It ended with nothing to find: on with the lines after it.
                        passing = None;
                        if let Some(n) = &mut ctx.lines {
                            *n += 1;
                        }
                        start = i + 1;
                    }
                    None => {
                        let drop = filled.saturating_sub(keep);
                        buf.copy_within(drop..filled, 0);
                        base += drop as u64;
                        filled -= drop;
                        sink(Event::Progress(base));
                        if last {
                            break;
                        }
                        continue;
                    }
                }
            }
            if skipping {
                match memchr::memchr(b'\n', &buf[before..filled]) {
                    Some(i) => {
                        start = before + i + 1;
                        skipping = false;
                        // The skipped line's number is unknown from here on.
                        ctx.lines = None;
                    }
                    None => start = filled,
                }
            }
            let from_here = before.max(start);
            let last_newline = memchr::memrchr(b'\n', &buf[from_here..filled]);
            // A long partial line: passed over while it holds no candidate.
            let line_at = base + start as u64;
            let pass = last_newline.is_none()
                && filled - start > LONG_LINE
                && !every_line
                && gathered != Some(line_at)
                && {
                    let candidate = self.query.raw().is_match(&buf[start..filled]);
                    if candidate {
                        gathered = Some(line_at);
                    }
                    !candidate
                };
            match last_newline {
                Some(i) => {
                    let end = from_here + i + 1;
                    self.region(&buf[start..end], base + start as u64, &mut ctx, &mut sink);
                    base += end as u64;
                    buf.copy_within(end..filled, 0);
                    filled -= end;
                }
                None if pass => {
                    passing = Some(line_at);
                    let drop = filled - keep.min(filled - start);
                    buf.copy_within(drop..filled, 0);
                    base += drop as u64;
                    filled -= drop;
                }
                None if filled - start > MAX_LINE => {
                    base += filled as u64;
                    filled = 0;
                    skipping = true;
                }
                // A line longer than a read: gathered, moved to the front only once.
                None if start > 0 => {
                    base += start as u64;
                    buf.copy_within(start..filled, 0);
                    filled -= start;
                }
                None => {}
            }
            sink(Event::Progress(base));
            if last {
                break;
            }
        }
        if self.complete_tail && !skipping && passing.is_none() && filled > 0 {
            let tail = &buf[..filled];
            let complete = match self.format {
                LineFormat::Agentpair => TranscriptEntry::parse_line(tail).is_ok(),
                LineFormat::Session(agent) => !matches!(
                    crate::persist::session::decode_line(agent, tail),
                    crate::persist::session::Decoded::Malformed { .. }
                ),
            };
            if complete {
                self.region(tail, base, &mut ctx, &mut sink);
            }
        }
        Ok(Scanned {
            to: base + filled as u64,
            cancelled: false,
        })
    }

    /// Finds the matching lines in `region` (lines, the last possibly without a newline),
    /// which starts at file offset `base`; counts its lines.
    fn region(
        &self,
        region: &[u8],
        base: u64,
        ctx: &mut Context,
        sink: &mut impl FnMut(Event<'_>),
    ) {
        let raw = self.query.raw();
        let every_line = self.query.text().is_empty();
        let mut at = 0;
        let mut counted = 0;
        let mut count = |lines: &mut Option<u64>, to: usize| {
            if let Some(n) = lines {
                *n += memchr::memchr_iter(b'\n', &region[counted..to]).count() as u64;
            }
            counted = to;
        };
        while at < region.len() {
            let Some(m) = raw.find_at(region, at) else {
                break;
            };
            let start = memchr::memrchr(b'\n', &region[at..m.start()]).map_or(at, |i| at + i + 1);
            let end =
                memchr::memchr(b'\n', &region[m.start()..]).map_or(region.len(), |i| m.start() + i);
            let line = &region[start..end];
            // The first occurrence, then (only if it does not decide) the others in the line.
            let first = (m.start() - start, m.end() - start);
            let rest_from = m.end().max(m.start() + 1).min(end);
            let rest = raw
                .find_iter(&region[rest_from..end])
                .map(|o| (o.start() + rest_from - start, o.end() + rest_from - start));
            let matches = match self.format {
                LineFormat::Agentpair => {
                    line_matches(line, std::iter::once(first).chain(rest), self.query)
                }
                LineFormat::Session(agent) => {
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    super::session_line_text(agent, line)
                        .is_some_and(|(_, text)| self.query.matches_text(&text))
                }
            };
            if every_line || matches {
                count(&mut ctx.lines, start);
                let number = ctx.lines.map(|n| n + 1);
                sink(Event::Line(base + start as u64, number, line));
            }
            at = end + 1;
        }
        if !ctx.last {
            count(&mut ctx.lines, region.len());
        }
    }
}

#[cfg(test)]
mod tests;
