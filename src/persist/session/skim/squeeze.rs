//! A long line squeezed as it streams in: its bytes copied as they are, except that every
//! string is cut once [`KEEP`] bytes of it are decoded, with the whole string's sizes kept
//! beside the cut ([`Cut`]). A summary reads at most the first
//! [`MAX_ENTRY_TEXT`](crate::persist::session::MAX_ENTRY_TEXT) bytes of any text (and the sizes
//! of images), so it reads a squeezed line as it would read the whole one, while a 12 MB tool
//! output or image is never gathered: the squeezed line is the structure and the heads.
//!
//! The string's end is found as [`super::Json`] finds it (a quote after an even run of
//! backslashes) and its decoded size counted as `Json::head` decodes it, escape by escape. What
//! `serde_json` rejects in the part left out (a control character, a bad escape) is kept as a
//! control character before the closing quote, so a line found malformed whole is found
//! malformed squeezed.

use super::unescape;
use memchr::memchr2;

/// How much of each string is kept, decoded: more than any summary reads of a text.
pub(crate) const KEEP: u64 = crate::persist::session::MAX_ENTRY_TEXT as u64 + 16;

/// One string cut short in a squeezed line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cut {
    /// Where its opening quote is in the squeezed bytes.
    pub start: usize,
    /// Where its closing quote is in the squeezed bytes.
    pub end: usize,
    /// The whole string's size as written, quotes included.
    pub raw: u64,
    /// The whole string's size decoded.
    pub decoded: u64,
}

/// A squeezed line: its bytes and the strings cut in it, in order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Squeezed {
    /// The line with its long strings cut (still JSON when the line was).
    pub bytes: Vec<u8>,
    /// The strings cut, by position.
    pub cuts: Vec<Cut>,
}

impl Squeezed {
    /// The cut string whose closing quote is at `end`.
    pub(crate) fn cut_ending_at(&self, end: usize) -> Option<&Cut> {
        let at = self.cuts.binary_search_by_key(&end, |c| c.end).ok()?;
        self.cuts.get(at)
    }

    /// The bytes left out of the strings cut between `start` and `end` (offsets in `bytes`).
    pub(crate) fn left_out(&self, start: usize, end: usize) -> u64 {
        let from = self.cuts.partition_point(|c| c.start < start);
        self.cuts[from..]
            .iter()
            .take_while(|c| c.end < end)
            .map(|c| c.raw - (c.end + 1 - c.start) as u64)
            .sum()
    }
}

/// A string being read.
#[derive(Debug, Default)]
struct Str {
    /// Where its opening quote is in the squeezed bytes.
    start: usize,
    /// Its raw bytes so far (the quotes aside).
    raw: u64,
    /// Its decoded size so far (the escape pending aside).
    decoded: u64,
    /// The run of backslashes just read (an odd run escapes a quote).
    backslashes: usize,
    /// An escape not yet decoded (it can take 12 bytes: a surrogate pair).
    pending: [u8; 12],
    pending_len: usize,
    /// Past [`KEEP`]: the rest is counted, not kept.
    cutting: bool,
    /// Something `serde_json` rejects was left out.
    invalid: bool,
}

impl Str {
    /// Decodes the escapes pending: all of them at the string's end, else while the first is
    /// whole (what it decodes to can no longer change).
    fn decode_pending(&mut self, all: bool) {
        while self.pending_len > 0 && (all || whole(&self.pending[..self.pending_len])) {
            let p = &self.pending[..self.pending_len];
            let used = if p[0] == b'\\' {
                let (ch, used) = unescape(p);
                self.decoded += ch.len_utf8() as u64;
                if self.cutting && !serde_accepts(&p[..used]) {
                    self.invalid = true;
                }
                used
            } else {
                self.decoded += 1;
                1
            };
            self.pending.copy_within(used..self.pending_len, 0);
            self.pending_len -= used;
            // What is left up to the next backslash is plain.
            while self.pending_len > 0 && self.pending[0] != b'\\' {
                self.decoded += 1;
                self.pending.copy_within(1..self.pending_len, 0);
                self.pending_len -= 1;
            }
        }
    }
}

/// Whether the escape at the start of `p` decodes as it will whatever follows: a `\\u` escape
/// once its four digits are there (and the next escape too after a high surrogate), any
/// other once its letter is.
fn whole(p: &[u8]) -> bool {
    match p {
        [_, b'u', digits @ ..] if digits.len() >= 4 => {
            let code = std::str::from_utf8(&digits[..4])
                .ok()
                .and_then(|d| u32::from_str_radix(d, 16).ok());
            !matches!(code, Some(0xD800..=0xDBFF)) || p.len() >= 12
        }
        [_, b'u', ..] => false,
        [_, _, ..] => true,
        _ => false,
    }
}

/// Whether `serde_json` takes the escape `e` (a backslash and what follows it, as decoded).
fn serde_accepts(e: &[u8]) -> bool {
    match e {
        [
            b'\\',
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't',
        ] => true,
        [b'\\', b'u', hex @ ..] if hex.len() == 4 => hex.iter().all(u8::is_ascii_hexdigit),
        [b'\\', b'u', a @ .., b'\\', b'u', b, c, d, e2] if a.len() == 4 => {
            a.iter().chain([b, c, d, e2]).all(u8::is_ascii_hexdigit)
        }
        _ => false,
    }
}

/// Squeezes one line fed in pieces (without its newline): see the module's documentation.
#[derive(Debug)]
pub(crate) struct Squeezer {
    out: Squeezed,
    /// How much of each string is kept, decoded ([`KEEP`]).
    keep: u64,
    /// The most the squeezed line may hold; past it the line is only counted.
    max: usize,
    over: bool,
    string: Option<Str>,
}

impl Squeezer {
    /// A squeezer whose squeezed line holds at most `max` bytes.
    pub(crate) fn new(max: usize) -> Squeezer {
        Squeezer::keeping(KEEP, max)
    }

    /// A squeezer that keeps `keep` decoded bytes of each string.
    pub(crate) fn keeping(keep: u64, max: usize) -> Squeezer {
        Squeezer {
            out: Squeezed::default(),
            keep,
            max,
            over: false,
            string: None,
        }
    }

    /// Starts a new line.
    pub(crate) fn reset(&mut self) {
        self.out.bytes.clear();
        self.out.cuts.clear();
        self.over = false;
        self.string = None;
    }

    /// The squeezed line's room, in bytes (what it holds in memory).
    pub(crate) fn capacity(&self) -> usize {
        self.out.bytes.capacity() + self.out.cuts.capacity() * std::mem::size_of::<Cut>()
    }

    /// Feeds the next piece of the line.
    pub(crate) fn push(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() && !self.over {
            let used = match self.string.take() {
                None => self.outside(bytes),
                Some(s) => self.inside(s, bytes),
            };
            bytes = &bytes[used..];
            if self.out.bytes.len() > self.max {
                self.over = true;
            }
        }
    }

    /// The squeezed line, once all of it is fed; `None` when it outgrew its room.
    pub(crate) fn finish(&mut self) -> Option<&Squeezed> {
        if let Some(s) = self.string.as_mut() {
            // Cut off inside a string: what was kept stays unclosed, as the line is.
            s.decode_pending(true);
        }
        (!self.over).then_some(&self.out)
    }

    /// Copies up to and including the next opening quote.
    fn outside(&mut self, bytes: &[u8]) -> usize {
        match memchr::memchr(b'"', bytes) {
            None => {
                self.out.bytes.extend_from_slice(bytes);
                bytes.len()
            }
            Some(q) => {
                self.out.bytes.extend_from_slice(&bytes[..q]);
                self.string = Some(Str {
                    start: self.out.bytes.len(),
                    ..Str::default()
                });
                self.out.bytes.push(b'"');
                q + 1
            }
        }
    }

    /// Reads a string's bytes: a run of plain bytes at once, an escape byte by byte.
    fn inside(&mut self, mut s: Str, bytes: &[u8]) -> usize {
        if s.pending_len == 0 {
            let run = memchr2(b'"', b'\\', bytes).unwrap_or(bytes.len());
            if run > 0 {
                self.plain(&mut s, &bytes[..run]);
                s.backslashes = 0;
                self.string = Some(s);
                return run;
            }
            if let [b'\\', c, ..] = bytes
                && *c != b'u'
            {
                // An escape of one letter, whole at once.
                self.simple_escape(&mut s, &bytes[..2]);
                self.string = Some(s);
                return 2;
            }
        }
        let b = bytes[0];
        if b == b'"' && s.backslashes.is_multiple_of(2) {
            s.decode_pending(true);
            if s.invalid {
                self.out.bytes.push(0x01);
            }
            if s.cutting {
                self.out.cuts.push(Cut {
                    start: s.start,
                    end: self.out.bytes.len(),
                    raw: s.raw + 2,
                    decoded: s.decoded,
                });
            }
            self.out.bytes.push(b'"');
            return 1;
        }
        if !s.cutting && s.decoded >= self.keep {
            // Past what is kept, amid escapes (a string of escapes has no plain run): the cut
            // comes where the escape pending starts, the last bytes kept, which are left out.
            let kept = self.out.bytes.len() - s.pending_len;
            self.out.bytes.truncate(kept);
            s.cutting = true;
        }
        if s.cutting {
            s.invalid |= b < 0x20;
        } else {
            self.out.bytes.push(b);
        }
        s.raw += 1;
        s.backslashes = if b == b'\\' { s.backslashes + 1 } else { 0 };
        if s.pending_len == 0 && b != b'\\' {
            // A plain byte after an escape was decoded.
            s.decoded += 1;
        } else {
            s.pending[s.pending_len] = b;
            s.pending_len += 1;
            s.decode_pending(false);
        }
        self.string = Some(s);
        1
    }

    /// An escape of one letter (`\\n`, `\\"`, …), the escape pending none.
    fn simple_escape(&mut self, s: &mut Str, e: &[u8]) {
        if !s.cutting && s.decoded >= self.keep {
            s.cutting = true;
        }
        if s.cutting {
            s.invalid |= !serde_accepts(e);
        } else {
            self.out.bytes.extend_from_slice(e);
        }
        s.raw += 2;
        s.decoded += unescape(e).0.len_utf8() as u64;
        s.backslashes = 0;
    }

    /// A run of plain bytes (no quote, no backslash), kept up to [`KEEP`] (cut before a
    /// character, never inside one).
    fn plain(&mut self, s: &mut Str, run: &[u8]) {
        s.raw += run.len() as u64;
        let before = s.decoded;
        s.decoded += run.len() as u64;
        let mut keep = if s.cutting {
            0
        } else {
            usize::try_from(self.keep.saturating_sub(before)).unwrap_or(usize::MAX)
        };
        if keep >= run.len() {
            self.out.bytes.extend_from_slice(run);
            return;
        }
        if !s.cutting {
            // Never inside a character.
            while keep < run.len() && run[keep] & 0xC0 == 0x80 {
                keep += 1;
            }
            self.out.bytes.extend_from_slice(&run[..keep]);
            s.cutting = keep < run.len();
        }
        if run[keep..].iter().any(|&b| b < 0x20) {
            s.invalid = true;
        }
    }
}

#[cfg(test)]
mod tests;
