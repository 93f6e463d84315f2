//! Taking the transcript worker's replies: the end of the file, new lines from the tail,
//! stretches before, after or around an offset, and the next trouble line. A reply for an
//! earlier opening, or a tail that came back after the window left the end, is dropped.

use super::{Line, Tail, TranscriptPane};
use crate::app::effect::TranscriptRead;
use crate::app::outcome::{TranscriptData, TranscriptReply};
use chrono::{DateTime, Utc};

/// What a reply means for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Nothing to say.
    Quiet,
    /// `e`/`E` found nothing beyond the window in that direction: wrap around next.
    NoTrouble {
        /// Searched forwards.
        forward: bool,
    },
    /// `e`/`E` went around the end (or the start) and found one.
    Wrapped {
        /// Searched forwards.
        forward: bool,
    },
    /// `e`/`E` went all the way around and found none.
    Nowhere,
}

impl TranscriptPane {
    /// Takes a reply from the transcript worker.
    pub fn apply(&mut self, reply: TranscriptReply, now: DateTime<Utc>) -> Note {
        if reply.open != self.open_id || self.run.is_none() {
            return Note::Quiet;
        }
        match reply.data {
            TranscriptData::End {
                loaded,
                tail,
                len,
                exists,
            } => {
                self.window_busy = false;
                self.set(loaded, true);
                self.install_tail(tail);
                self.cursor = self.lines.len().saturating_sub(1);
                self.error = None;
                self.file_len = len;
                self.exists = exists;
                // Pick up what was appended meanwhile and any unfinished last line.
                self.refresh();
            }
            TranscriptData::Polled {
                tail,
                lines,
                reset,
                len,
                exists,
                overflow,
            } => self.polled(tail, lines, reset, (len, exists), overflow, now),
            TranscriptData::Stat { len, exists } => {
                self.exists = exists;
                if len < self.end {
                    // Truncated or replaced while we looked elsewhere: start over at the end.
                    self.load_end();
                }
                self.file_len = len;
            }
            TranscriptData::Before(loaded) => {
                self.window_busy = false;
                self.extend_back(loaded);
                self.finish_move();
            }
            TranscriptData::After { loaded, tail, len } => {
                self.window_busy = false;
                self.extend_forward(loaded, tail, len);
                self.finish_move();
            }
            TranscriptData::Start { loaded, tail } => {
                self.window_busy = false;
                let at_end = tail.is_some();
                self.set(loaded, at_end);
                match tail {
                    Some(tail) => self.install_tail(tail),
                    None => self.drop_tail(),
                }
                self.cursor = 0;
                self.top = 0;
            }
            TranscriptData::Around {
                loaded,
                cursor,
                tail,
            } => {
                self.window_busy = false;
                let at_end = tail.is_some();
                self.set(loaded, at_end);
                match tail {
                    Some(tail) => self.install_tail(tail),
                    None => self.drop_tail(),
                }
                self.cursor = cursor.min(self.lines.len().saturating_sub(1));
                self.top = self.cursor.saturating_sub(3);
                self.follow = false;
            }
            TranscriptData::Unterminated { tail, line } => {
                if self.take_back(tail) {
                    let numbered = self.start == 0;
                    if let Some(line) = line {
                        self.push_line(line, numbered);
                    }
                    self.end = self.tail.as_ref().map_or(self.end, Tail::offset);
                    self.resume_polling();
                }
            }
            TranscriptData::Document { lines, exists } => self.apply_document(lines, exists),
            TranscriptData::Whole { offset, text } => self.apply_whole(offset, text),
            TranscriptData::Linked(lines) => self.apply_linked(lines),
            TranscriptData::Trouble {
                offset,
                forward,
                wrapped,
            } => {
                self.window_busy = false;
                match (offset, wrapped) {
                    (Some(offset), false) => self.jump_to(offset),
                    (Some(offset), true) => {
                        self.jump_to(offset);
                        return Note::Wrapped { forward };
                    }
                    (None, false) => return Note::NoTrouble { forward },
                    (None, true) => {
                        return match self.wrap_in_window(forward) {
                            super::Found::Nowhere => Note::Nowhere,
                            _ => Note::Wrapped { forward },
                        };
                    }
                }
            }
            TranscriptData::Failed { error, tail } => {
                self.window_busy = false;
                if let Some(tail) = tail {
                    self.take_back(tail);
                }
                self.error = Some(error);
            }
        }
        if self.source.format() != super::Format::Agentpair {
            self.name_results();
        }
        Note::Quiet
    }

    /// A fresh tail for the window's end; one still away is stale and dropped on return.
    fn install_tail(&mut self, tail: Tail) {
        if self.tail_away {
            self.stale_tail_away = true;
        }
        self.tail_offset = tail.offset();
        self.tail = Some(tail);
    }

    /// A tail back from its trip: kept if it is still the window's tail. Returns whether it
    /// was kept.
    fn take_back(&mut self, tail: Tail) -> bool {
        self.tail_away = false;
        if std::mem::take(&mut self.stale_tail_away) || !self.at_end {
            self.resume_polling();
            return false;
        }
        self.tail_offset = tail.offset();
        self.tail = Some(tail);
        true
    }

    /// Polls again if a change arrived while the tail was away.
    fn resume_polling(&mut self) {
        if std::mem::take(&mut self.poll_again) {
            self.refresh();
        }
    }

    fn polled(
        &mut self,
        tail: Tail,
        lines: Vec<Line>,
        reset: bool,
        (len, exists): (u64, bool),
        overflow: bool,
        now: DateTime<Utc>,
    ) {
        if !self.take_back(tail) {
            return;
        }
        self.exists = exists;
        if overflow || reset {
            return self.load_end();
        }
        let numbered = self.start == 0;
        for line in lines {
            self.push_line(line, numbered);
        }
        if let Some(t) = &self.tail {
            self.end = t.offset();
        }
        if len < self.end {
            // Truncated or replaced: start over at the end.
            return self.load_end();
        }
        self.file_len = len;
        self.held_since = match (self.tail.as_ref().map(Tail::pending_len), self.held_since) {
            (Some(n), since) if n > 0 && self.at_end => Some(since.unwrap_or(now)),
            _ => None,
        };
        self.resume_polling();
    }

    /// A line read by the tail, numbered only when the window reaches the file's start.
    fn push_line(&mut self, mut line: Line, numbered: bool) {
        if !numbered {
            line.number = None;
        }
        self.push(line);
    }

    /// Finishes a move that ran past the window, now that more lines are in.
    fn finish_move(&mut self) {
        let rest = std::mem::take(&mut self.want_move);
        if rest != 0 {
            self.move_by(rest);
        }
    }

    /// Asks for the stretch around `offset` (the start of a line: a search hit or a trouble
    /// line), or moves there at once when it is in the window. Following stops.
    pub fn jump_to(&mut self, offset: u64) {
        if let Some(i) = self.lines.iter().position(|l| l.offset == offset) {
            self.cursor = i;
            self.follow = false;
            return;
        }
        self.follow = false;
        self.window_busy = false;
        self.ask(TranscriptRead::Around(offset));
    }
}
