//! Moving through the transcript: the cursor by lines and pages, the first and last line,
//! and the next or previous error. A move that leaves the window asks for more of the file
//! and finishes when it arrives.

use super::TranscriptPane;
use crate::app::effect::TranscriptRead;

/// How far e/E look past the window for the next error, per key press.
const ERROR_SCAN_BYTES: u64 = 256 * 1024 * 1024;

/// Where `e`/`E` found the next trouble line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// In the window: the cursor is on it.
    Here,
    /// In the window, past the end (or the start), from the other end: the cursor is on it.
    Wrapped,
    /// Looking beyond the window (the answer comes as a reply).
    Looking,
    /// Nowhere in the transcript.
    Nowhere,
}

impl TranscriptPane {
    /// Moves the cursor, asking for more of the file when the move leaves the window; moving
    /// up stops following. Returns true if following was paused.
    pub fn move_by(&mut self, delta: isize) -> bool {
        if self.lines.is_empty() {
            return false;
        }
        let paused = self.follow && delta < 0;
        if delta < 0 {
            self.follow = false;
        }
        let target = isize::try_from(self.cursor).unwrap_or(0) + delta;
        let last = isize::try_from(self.lines.len() - 1).unwrap_or(0);
        if target < 0 && self.start > 0 {
            self.cursor = 0;
            if self.ask(TranscriptRead::Before(self.start)) {
                self.want_move = target;
            }
        } else if target > last && !self.at_end {
            self.cursor = self.lines.len() - 1;
            let first = self.lines.last().and_then(|l| l.number).map(|n| n + 1);
            if self.ask(TranscriptRead::After {
                from: self.end,
                first,
            }) {
                self.want_move = target - last;
            }
        } else {
            self.cursor = usize::try_from(target.clamp(0, last)).unwrap_or(0);
        }
        paused
    }

    /// Goes to the first line (stops following).
    pub fn first(&mut self) {
        self.follow = false;
        if self.start > 0 {
            self.window_busy = false;
            self.want_move = 0;
            self.ask(TranscriptRead::Start);
        }
        self.cursor = 0;
        self.top = 0;
    }

    /// Goes to the last line and follows again.
    pub fn last(&mut self) {
        if !self.at_end {
            self.load_end();
        }
        self.cursor = self.lines.len().saturating_sub(1);
        self.follow = true;
    }

    /// Moves to the next (or previous) error, FAIL or unreadable line: first in memory, then
    /// looking through the file beyond (up to 256 MiB per press); past the last (or first),
    /// it wraps around to the first (or last), as `n`/`N` do.
    pub fn step_error(&mut self, forward: bool) -> Found {
        let found = if forward {
            (self.cursor + 1..self.lines.len()).find(|&i| self.lines[i].is_trouble())
        } else {
            (0..self.cursor).rev().find(|&i| self.lines[i].is_trouble())
        };
        if let Some(i) = found {
            self.cursor = i;
            self.follow = false;
            return Found::Here;
        }
        let beyond = if forward {
            (!self.at_end).then_some((self.end, self.end + ERROR_SCAN_BYTES))
        } else {
            (self.start > 0).then_some((self.start.saturating_sub(ERROR_SCAN_BYTES), self.start))
        };
        let Some((from, to)) = beyond else {
            return self.wrap_error(forward);
        };
        self.window_busy = false;
        self.ask(TranscriptRead::Trouble {
            from,
            to,
            forward,
            wrapped: false,
        });
        Found::Looking
    }

    /// `e` past the last trouble line goes on from the transcript's top (`E` past the first,
    /// from its end): first in the part of the file beyond the window on that side, then in
    /// the window up to the cursor.
    pub fn wrap_error(&mut self, forward: bool) -> Found {
        let beyond = if forward {
            (self.start > 0).then_some((0, self.start.min(ERROR_SCAN_BYTES)))
        } else {
            (!self.at_end && self.file_len > self.end).then_some((
                self.end.max(self.file_len.saturating_sub(ERROR_SCAN_BYTES)),
                self.file_len,
            ))
        };
        if let Some((from, to)) = beyond {
            self.window_busy = false;
            self.ask(TranscriptRead::Trouble {
                from,
                to,
                forward,
                wrapped: true,
            });
            return Found::Looking;
        }
        self.wrap_in_window(forward)
    }

    /// The wrapped search's last part: the window from its far end up to the cursor (the
    /// cursor's own line included: it may be the only one).
    pub fn wrap_in_window(&mut self, forward: bool) -> Found {
        let last = self.lines.len().saturating_sub(1);
        let cursor = self.cursor.min(last);
        let found = if forward {
            (0..=cursor).find(|&i| self.lines.get(i).is_some_and(super::Line::is_trouble))
        } else {
            (cursor..self.lines.len())
                .rev()
                .find(|&i| self.lines[i].is_trouble())
        };
        match found {
            Some(i) => {
                self.cursor = i;
                self.follow = false;
                Found::Wrapped
            }
            None => Found::Nowhere,
        }
    }
}
