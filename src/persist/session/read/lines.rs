//! A session file's lines fed to its summariser in bounded memory ([`LineReader`]): the file is
//! read [`CHUNK`] at a time, and a line longer than [`LONG`] is never gathered: it is squeezed
//! as it is read (its long strings cut to their heads, their sizes kept: see
//! [`Squeezer`]), which gives the summary the whole line gives. A 12 MB tool output costs the
//! reader no more than a short line.

use super::super::SessionError;
use super::super::skim::Squeezer;
use super::super::summary::Summarizer;
use super::io_error;
use std::io::Read;
use std::path::Path;

/// How much is read at a time. Small: the read buffer ([`LONG`] + [`CHUNK`]) is made for each
/// file, and a large block freed on a reading thread raises glibc's threshold for the blocks
/// it gives back to the system (what is under it stays in the thread's arena once freed).
pub const CHUNK: usize = 128 << 10;

/// A line longer than this is squeezed as it is read rather than gathered (a shorter one is
/// read at memory speed where it lies: squeezing costs more per byte).
pub const LONG: usize = 1 << 20;

/// The most a squeezed line may hold: a line with more than this of structure and heads
/// (not one long text: thousands of short strings) is stepped over by the summary.
pub const MAX_SQUEEZED: usize = 4 << 20;

/// The buffers a session's lines are read with: a read buffer of at most [`LONG`] +
/// [`CHUNK`] bytes and a squeezed long line of at most [`MAX_SQUEEZED`].
#[derive(Debug)]
pub struct LineReader {
    buf: Vec<u8>,
    squeezer: Squeezer,
    /// The raw length of the long line being squeezed, while one is.
    long: Option<u64>,
    most_held: usize,
}

impl Default for LineReader {
    fn default() -> LineReader {
        LineReader::new()
    }
}

impl LineReader {
    /// A reader holding nothing yet.
    #[must_use]
    pub fn new() -> LineReader {
        LineReader {
            buf: Vec::new(),
            squeezer: Squeezer::new(MAX_SQUEEZED),
            long: None,
            most_held: 0,
        }
    }

    /// The most its buffers held at once, in bytes of room (the read buffer's and the
    /// squeezed line's).
    #[must_use]
    pub fn most_held(&self) -> usize {
        self.most_held
    }

    fn note_held(&mut self) {
        let held = self.buf.capacity() + self.squeezer.capacity();
        self.most_held = self.most_held.max(held);
    }

    /// Feeds `s` every complete line `reader` gives, from the summariser's `read_to` on (a last
    /// line without its newline is left unread).
    pub(crate) fn feed(
        &mut self,
        s: &mut Summarizer,
        mut reader: impl Read,
        path: &Path,
    ) -> Result<(), SessionError> {
        self.buf.clear();
        self.long = None;
        self.buf.reserve_exact(LONG + CHUNK);
        loop {
            let n = (&mut reader)
                .take(CHUNK as u64)
                .read_to_end(&mut self.buf)
                .map_err(io_error(path))?;
            self.note_held();
            if n == 0 {
                return Ok(());
            }
            if let Some(raw) = self.long {
                let Some(nl) = memchr::memchr(b'\n', &self.buf) else {
                    self.squeezer.push(&self.buf);
                    self.long = Some(raw + self.buf.len() as u64);
                    self.buf.clear();
                    self.note_held();
                    continue;
                };
                self.squeezer.push(&self.buf[..nl]);
                self.note_held();
                if let Some(line) = self.squeezer.finish() {
                    s.feed_squeezed(line);
                }
                s.step_over(raw + nl as u64 + 1);
                self.buf.drain(..=nl);
                self.long = None;
            }
            let used = s.feed(&self.buf);
            self.buf.drain(..used);
            if self.buf.len() >= LONG {
                self.squeezer.reset();
                self.squeezer.push(&self.buf);
                self.long = Some(self.buf.len() as u64);
                self.buf.clear();
                self.note_held();
            }
        }
    }
}
