//! Filling and bounding the window: asking for the end of the file (with the tail placed
//! after it), for older or newer lines as the cursor moves, and dropping lines at the far side
//! so the window stays within its line and byte limits.

use super::TranscriptPane;
use crate::app::effect::TranscriptRead;
use crate::app::outcome::Loaded;

/// Most lines kept at once.
pub const WINDOW_LINES: usize = 3000;
/// Most bytes (as on disk) kept at once.
pub const WINDOW_BYTES: u64 = 16 * 1024 * 1024;

impl TranscriptPane {
    pub(super) fn set(&mut self, loaded: Loaded, at_end: bool) {
        self.lines = loaded.lines;
        self.start = loaded.start;
        self.end = loaded.end;
        self.at_end = at_end;
        self.top = 0;
    }

    /// Asks for a window read, unless one is already in flight.
    pub(super) fn ask(&mut self, read: TranscriptRead) -> bool {
        if self.window_busy {
            return false;
        }
        self.window_busy = true;
        self.outbox.push(read);
        true
    }

    /// Asks for the last lines, with the tail placed after them. A read of the end replaces
    /// whatever window read was in flight.
    pub(super) fn load_end(&mut self) {
        if self.run.is_none() {
            return;
        }
        self.want_move = 0;
        if self.source.is_document() {
            self.window_busy = false;
            return self.reload_document();
        }
        self.window_busy = true;
        self.outbox.push(TranscriptRead::End);
    }

    pub(super) fn window_bytes(&self) -> u64 {
        self.end.saturating_sub(self.start)
    }

    /// Drops lines from the front while the window is too big (keeping the cursor).
    pub(super) fn trim_front(&mut self) {
        let mut drop = 0;
        let mut bytes = self.window_bytes();
        while self.lines.len() - drop > WINDOW_LINES
            || (bytes > WINDOW_BYTES && self.lines.len() - drop > 1)
        {
            if drop + 200 >= self.cursor.max(self.top) {
                break;
            }
            bytes = bytes.saturating_sub(self.lines[drop].size + 1);
            drop += 1;
        }
        if drop > 0 {
            self.start = self.lines[drop].offset;
            self.lines.drain(..drop);
            self.cursor -= drop;
            self.top = self.top.saturating_sub(drop);
        }
    }

    /// Drops lines from the back while the window is too big (keeping the cursor).
    pub(super) fn trim_back(&mut self) {
        let mut keep = self.lines.len();
        let mut bytes = self.window_bytes();
        while keep > WINDOW_LINES || (bytes > WINDOW_BYTES && keep > 1) {
            if keep <= self.cursor + 200 {
                break;
            }
            keep -= 1;
            bytes = bytes.saturating_sub(self.lines[keep].size + 1);
        }
        if keep < self.lines.len() {
            self.end = self.lines[keep].offset;
            self.lines.truncate(keep);
            self.at_end = false;
            self.drop_tail();
        }
    }

    /// The window no longer reaches the end: the tail is not needed (one away comes back and
    /// is dropped then).
    pub(super) fn drop_tail(&mut self) {
        self.tail = None;
        self.poll_again = false;
        self.held_since = None;
    }

    /// Takes older lines read before the window; returns how many.
    pub(super) fn extend_back(&mut self, loaded: Loaded) -> usize {
        if loaded.end != self.start {
            // The window moved meanwhile: this stretch does not join it.
            return 0;
        }
        let n = loaded.lines.len();
        let renumber = loaded.start == 0;
        self.start = loaded.start;
        let mut lines = loaded.lines;
        if renumber {
            // Now that the window reaches the start, every line's number is known.
            let base = loaded.raw_count;
            for (next, l) in (base + 1..).zip(self.lines.iter_mut()) {
                l.number = Some(next);
            }
        }
        lines.append(&mut self.lines);
        self.lines = lines;
        self.cursor += n;
        self.top += n;
        self.trim_back();
        n
    }

    /// Takes newer lines read after the window; returns how many.
    pub(super) fn extend_forward(
        &mut self,
        loaded: Loaded,
        tail: Option<super::Tail>,
        len: u64,
    ) -> usize {
        self.file_len = len;
        if loaded.start != self.end || self.at_end {
            return 0;
        }
        let n = loaded.lines.len();
        self.end = loaded.end;
        self.lines.extend(loaded.lines);
        if let Some(tail) = tail {
            self.at_end = true;
            self.tail_offset = tail.offset();
            self.tail = Some(tail);
        }
        self.trim_front();
        n
    }
}
