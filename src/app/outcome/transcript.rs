//! What a transcript read brings back: the lines loaded (a first window, more above, new ones
//! at the end), or why none could be.

use super::super::model::transcript::Line;
use crate::app::model::transcript::Tail;

/// A transcript read, for the opening `open`.
#[derive(Debug)]
pub struct TranscriptReply {
    /// Which opening it is for.
    pub open: u64,
    /// What was read.
    pub data: TranscriptData,
}

impl TranscriptData {
    /// The lines it carries (to fix up before they are shown).
    pub fn lines_mut(&mut self) -> Vec<&mut Vec<Line>> {
        match self {
            TranscriptData::End { loaded, .. }
            | TranscriptData::Before(loaded)
            | TranscriptData::After { loaded, .. }
            | TranscriptData::Start { loaded, .. }
            | TranscriptData::Around { loaded, .. } => vec![&mut loaded.lines],
            TranscriptData::Polled { lines, .. }
            | TranscriptData::Document { lines, .. }
            | TranscriptData::Linked(lines) => vec![lines],
            TranscriptData::Stat { .. }
            | TranscriptData::Whole { .. }
            | TranscriptData::Unterminated { .. }
            | TranscriptData::Trouble { .. }
            | TranscriptData::Failed { .. } => Vec::new(),
        }
    }
}

/// A stretch of lines read from a transcript.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The lines, in file order.
    pub lines: Vec<Line>,
    /// Offset where the stretch starts.
    pub start: u64,
    /// Offset just after its last line.
    pub end: u64,
    /// How many raw lines (blank ones included) it covers.
    pub raw_count: u64,
}

/// What a transcript read found.
#[derive(Debug)]
pub enum TranscriptData {
    /// The last lines, and the tail after them.
    End {
        /// The lines.
        loaded: Loaded,
        /// The tail, placed at the end of complete lines.
        tail: Tail,
        /// The file's length.
        len: u64,
        /// The file exists.
        exists: bool,
    },
    /// What was appended.
    Polled {
        /// The tail, back from its trip.
        tail: Tail,
        /// The lines it read (numbered from the file's start).
        lines: Vec<Line>,
        /// The file was truncated, replaced or deleted: what was shown is void.
        reset: bool,
        /// The file's length.
        len: u64,
        /// The file exists.
        exists: bool,
        /// More was appended than a window holds: show the end instead.
        overflow: bool,
    },
    /// The file's length and existence.
    Stat {
        /// Its length.
        len: u64,
        /// It exists.
        exists: bool,
    },
    /// Lines before the window.
    Before(Loaded),
    /// Lines after the window, up to the end of complete lines (`tail` when they reach it).
    After {
        /// The lines.
        loaded: Loaded,
        /// The tail, when the window now reaches the end.
        tail: Option<Tail>,
        /// The file's length.
        len: u64,
    },
    /// The first lines (`tail` when they reach the end).
    Start {
        /// The lines.
        loaded: Loaded,
        /// The tail, when they reach the end.
        tail: Option<Tail>,
    },
    /// The lines around an offset, with the index of the line at it.
    Around {
        /// The lines.
        loaded: Loaded,
        /// Index of the line at the offset.
        cursor: usize,
        /// The tail, when they reach the end.
        tail: Option<Tail>,
    },
    /// A final unterminated line, if it now reads as an entry.
    Unterminated {
        /// The tail, back from its trip.
        tail: Tail,
        /// The entry, if it is one now.
        line: Option<Line>,
    },
    /// A cut entry's whole text, in pieces of at most a few thousand characters each (so a
    /// view draws only the pieces in sight), or why it could not be read.
    Whole {
        /// Where the record's line starts.
        offset: u64,
        /// The pieces, or why not.
        text: Result<Vec<String>, String>,
    },
    /// A session read whole: every entry, in order (the offset of each is its index).
    Document {
        /// The entries as lines.
        lines: Vec<Line>,
        /// The session exists.
        exists: bool,
    },
    /// Lines with sub-agent entries, linked again to their transcripts.
    Linked(Vec<Line>),
    /// The next trouble line beyond the window, if any (its offset).
    Trouble {
        /// Where it is.
        offset: Option<u64>,
        /// Searched forwards.
        forward: bool,
        /// The look went around the end (or the start) of the transcript.
        wrapped: bool,
    },
    /// The read failed (naming the file); a tail that travelled comes back.
    Failed {
        /// Why.
        error: String,
        /// The tail, if it travelled with the job.
        tail: Option<Tail>,
    },
}
