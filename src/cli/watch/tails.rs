//! Where `watch` reads each run's transcript from: a reader for each transcript being read,
//! and for every run seen only a mark of where its reading stopped, so that what the stream
//! holds per run does not grow with the runs that finished.

use crate::persist::run::{TRANSCRIPT_FILE, TailEvent, TranscriptTail, lines};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where a run's transcript is read from next when it has no reader of its own: the end of
/// its complete lines when it was first seen (a run seen at start), or where the reader of a
/// finished run stopped. A run first seen later is read from the start (`0`, `0`).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Mark {
    /// A byte offset (the end of the complete lines is found from it).
    offset: u64,
    /// Lines before it, for the line numbers of unreadable lines.
    lines: u64,
}

/// Every run seen, and a reader for each transcript being read: an unfinished run's, or a
/// finished run's while a change to it is read. A finished run keeps only its [`Mark`] (a few
/// bytes beside its directory), and gets a reader again, from there, if its transcript grows:
/// what the stream holds per run does not grow with the runs that finished.
#[derive(Default)]
pub(super) struct Tails {
    seen: HashMap<PathBuf, Mark>,
    live: HashMap<PathBuf, TranscriptTail>,
}

impl Tails {
    /// Notes a run seen; true when it is new. `start` is its transcript's size, for a run seen
    /// at start (its entries until then are not news).
    pub(super) fn see(&mut self, dir: &Path, start: Option<u64>) -> bool {
        if self.seen.contains_key(dir) {
            return false;
        }
        let mark = Mark {
            offset: start.unwrap_or(0),
            lines: 0,
        };
        self.seen.insert(dir.to_path_buf(), mark);
        true
    }

    /// Forgets a run that is gone (seen as new if it comes back).
    pub(super) fn forget(&mut self, dir: &Path) {
        self.seen.remove(dir);
        self.live.remove(dir);
    }

    /// New entries of the run in `dir` since the last look (from its [`Mark`] when it has no
    /// reader).
    pub(super) fn read(&mut self, dir: &Path) -> Vec<TailEvent> {
        let path = dir.join(TRANSCRIPT_FILE);
        let mark = self.seen.get(dir).copied().unwrap_or_default();
        let tail = self.live.entry(dir.to_path_buf()).or_insert_with(|| {
            let end = std::fs::File::open(&path)
                .and_then(|f| lines::complete_end(&f, mark.offset))
                .unwrap_or(0);
            TranscriptTail::starting_at(&path, end, mark.lines)
        });
        let events = tail.poll().unwrap_or_default();
        if matches!(events.as_slice(), [TailEvent::Reset]) {
            // Truncated or replaced: read the new content from its start.
            return tail.poll().unwrap_or_default();
        }
        events
    }

    /// Lets go of the reader of a finished run (its entries so far reported), keeping where it
    /// stopped.
    pub(super) fn finished(&mut self, dir: &Path) {
        if let Some(tail) = self.live.remove(dir)
            && let Some(mark) = self.seen.get_mut(dir)
        {
            *mark = Mark {
                offset: tail.offset(),
                lines: tail.lines_read(),
            };
        }
    }
}
