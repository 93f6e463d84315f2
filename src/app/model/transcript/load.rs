//! Filling and bounding the window: loading the end of the file (and placing the tail after
//! it), loading older or newer lines as the cursor moves, and dropping lines at the far side so
//! the window stays within its line and byte limits.

use super::{TranscriptPane, window};
use crate::persist::run::TranscriptTail;
use window::{Loaded, WINDOW_BYTES, WINDOW_LINES};

impl TranscriptPane {
    pub(super) fn set(&mut self, loaded: Loaded, at_end: bool) {
        self.lines = loaded.lines;
        self.start = loaded.start;
        self.end = loaded.end;
        self.at_end = at_end;
        self.top = 0;
    }

    pub(super) fn fail(&mut self, e: &std::io::Error) {
        self.error = Some(format!("{}: {e}", self.path.display()));
    }

    /// Loads the last lines and positions the tail after them.
    pub(super) fn load_end(&mut self) {
        let (end, len) = match window::complete_end(&self.path) {
            Ok(v) => v,
            Err(e) => return self.fail(&e),
        };
        self.file_len = len;
        match window::before(&self.path, end) {
            Ok(loaded) => {
                let lines_before = (loaded.start == 0).then_some(loaded.raw_count);
                self.set(loaded, true);
                self.tail = Some(match lines_before {
                    Some(n) => TranscriptTail::starting_at(&self.path, end, n),
                    None => TranscriptTail::starting_at(&self.path, end, 0),
                });
                self.cursor = self.lines.len().saturating_sub(1);
                self.error = None;
            }
            Err(e) => self.fail(&e),
        }
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
            self.tail = None;
        }
    }

    /// Loads older lines before the window; returns how many.
    pub(super) fn extend_back(&mut self) -> usize {
        if self.start == 0 {
            return 0;
        }
        match window::before(&self.path, self.start) {
            Ok(loaded) => {
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
            Err(e) => {
                self.fail(&e);
                0
            }
        }
    }

    /// Loads newer lines after the window; returns how many.
    pub(super) fn extend_forward(&mut self) -> usize {
        if self.at_end {
            return 0;
        }
        let (complete, len) = match window::complete_end(&self.path) {
            Ok(v) => v,
            Err(e) => {
                self.fail(&e);
                return 0;
            }
        };
        self.file_len = len;
        let first = self.lines.last().and_then(|l| l.number).map(|n| n + 1);
        match window::after(&self.path, self.end, complete, first) {
            Ok(loaded) => {
                let n = loaded.lines.len();
                self.end = loaded.end;
                self.lines.extend(loaded.lines);
                if self.end >= complete {
                    self.at_end = true;
                    let lines_before = self.lines.last().and_then(|l| l.number).unwrap_or(0);
                    self.tail = Some(TranscriptTail::starting_at(
                        &self.path,
                        self.end,
                        lines_before,
                    ));
                }
                self.trim_front();
                n
            }
            Err(e) => {
                self.fail(&e);
                0
            }
        }
    }
}
