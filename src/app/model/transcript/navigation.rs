//! Moving through the transcript: the cursor by lines and pages, the first and last line,
//! jumping to an offset (a search hit), and the next or previous error. Each loads more of the
//! file into the window when the move leaves it.

use super::{TranscriptPane, window};
use crate::persist::run::TranscriptTail;
use window::Loaded;

/// How far e/E look past the window for the next error, per key press.
const ERROR_SCAN_BYTES: u64 = 256 * 1024 * 1024;

impl TranscriptPane {
    /// Moves the cursor, loading more of the file as needed; moving up stops following.
    /// Returns true if following was paused.
    pub fn move_by(&mut self, delta: isize) -> bool {
        if self.lines.is_empty() {
            return false;
        }
        let mut target = isize::try_from(self.cursor).unwrap_or(0) + delta;
        while target < 0 && self.start > 0 {
            let n = self.extend_back();
            if n == 0 {
                break;
            }
            target += isize::try_from(n).unwrap_or(0);
        }
        while usize::try_from(target).is_ok_and(|t| t >= self.lines.len()) && !self.at_end {
            if self.extend_forward() == 0 {
                break;
            }
        }
        self.cursor = usize::try_from(target.max(0))
            .unwrap_or(0)
            .min(self.lines.len() - 1);
        let paused = self.follow && delta < 0;
        if delta < 0 {
            self.follow = false;
        }
        paused
    }

    /// Goes to the first line (stops following).
    pub fn first(&mut self) {
        self.follow = false;
        if self.start > 0 {
            match window::complete_end(&self.path)
                .and_then(|(end, _)| window::after(&self.path, 0, end, Some(1)))
            {
                Ok(loaded) => {
                    let at_end =
                        loaded.end >= window::complete_end(&self.path).map_or(0, |(e, _)| e);
                    self.set(loaded, at_end);
                    if !at_end {
                        self.tail = None;
                    }
                }
                Err(e) => self.fail(&e),
            }
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

    /// Loads the window around the line at `offset` and puts the cursor on it.
    pub(super) fn jump_to(&mut self, offset: u64) {
        if let Some(i) = self.lines.iter().position(|l| l.offset == offset) {
            self.cursor = i;
            self.follow = false;
            return;
        }
        let loaded = window::complete_end(&self.path).and_then(|(end, _)| {
            let before = window::before(&self.path, offset)?;
            let after = window::after(&self.path, offset, end, None)?;
            Ok((before, after, end))
        });
        match loaded {
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
                self.set(
                    Loaded {
                        lines,
                        start,
                        end: after.end,
                        raw_count: 0,
                    },
                    at_end,
                );
                self.tail = at_end.then(|| TranscriptTail::starting_at(&self.path, after.end, 0));
                self.cursor = cursor.min(self.lines.len().saturating_sub(1));
                self.top = self.cursor.saturating_sub(3);
                self.follow = false;
            }
            Err(e) => self.fail(&e),
        }
    }

    /// Moves to the next (or previous) error, FAIL or unreadable line: first in memory, then
    /// looking through the file beyond (up to 256 MiB per press). Returns false if none.
    pub fn step_error(&mut self, forward: bool) -> bool {
        let found = if forward {
            (self.cursor + 1..self.lines.len()).find(|&i| self.lines[i].is_trouble())
        } else {
            (0..self.cursor).rev().find(|&i| self.lines[i].is_trouble())
        };
        if let Some(i) = found {
            self.cursor = i;
            self.follow = false;
            return true;
        }
        let beyond = if forward {
            (!self.at_end).then_some((self.end, self.end + ERROR_SCAN_BYTES))
        } else {
            (self.start > 0).then_some((self.start.saturating_sub(ERROR_SCAN_BYTES), self.start))
        };
        let Some((from, to)) = beyond else {
            return false;
        };
        match crate::app::search::find_trouble(&self.path, from, to, forward) {
            Some(offset) => {
                self.jump_to(offset);
                true
            }
            None => false,
        }
    }
}
