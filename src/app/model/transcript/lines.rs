//! What the Transcript pane holds: its lines ([`Line`], [`LineContent`]), how times are shown
//! ([`Timestamps`]), and a search under way ([`Search`]).

use crate::persist::run::TranscriptEntry;
use crate::persist::session::{Entry, EntryKind};
use crate::present::{sanitize, summary};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// What one transcript line holds.
#[derive(Debug, Clone, PartialEq)]
pub enum LineContent {
    /// A readable agentpair entry.
    Entry(Box<TranscriptEntry>),
    /// An agent session's entry (one of the entries its record gave).
    Session(Box<Entry>),
    /// A line that could not be read, shown as such.
    Unreadable {
        /// Why.
        problem: String,
        /// The start of the raw text.
        preview: String,
    },
}

/// One line of the transcript file.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Byte offset of the line in the file.
    pub offset: u64,
    /// Its size on disk, without the newline.
    pub size: u64,
    /// 1-based line number, when known (the window reaches back to the file's start).
    pub number: Option<u64>,
    /// Its content.
    pub content: LineContent,
}

impl Line {
    /// True for error entries, FAIL signals, failed tool results and unreadable lines.
    #[must_use]
    pub fn is_trouble(&self) -> bool {
        match &self.content {
            LineContent::Entry(e) => summary::is_trouble(e),
            LineContent::Session(e) => e.is_error || e.kind == EntryKind::Error,
            LineContent::Unreadable { .. } => true,
        }
    }

    /// The readable text of an entry that search looks in (sanitised).
    #[must_use]
    pub fn searchable_entry(e: &TranscriptEntry) -> String {
        crate::search::searchable_text(e)
    }

    /// The text search looks in (sanitised).
    #[must_use]
    pub fn searchable(&self) -> String {
        match &self.content {
            LineContent::Entry(e) => Line::searchable_entry(e),
            LineContent::Session(e) => crate::search::session_text(e),
            LineContent::Unreadable { problem, preview } => {
                sanitize::plain(&format!("{problem}\n{preview}"))
            }
        }
    }

    /// Where it is, for people: `line 12`, or `byte 1048576` when its number is not known.
    #[must_use]
    pub fn place(&self) -> String {
        self.number
            .map_or_else(|| format!("byte {}", self.offset), |n| format!("line {n}"))
    }
}

/// How times are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timestamps {
    /// Time of day.
    Absolute,
    /// `5m ago`.
    Relative,
    /// Not shown.
    Off,
}

/// An active search: its matches (line offsets, ascending) arrive while the file is scanned.
#[derive(Debug, Clone)]
pub struct Search {
    /// Which search (updates of older ones are ignored).
    pub id: u64,
    /// What is searched for (smart case).
    pub query: String,
    /// Offsets of matching lines, ascending.
    pub matches: Vec<u64>,
    /// Which match the cursor is on.
    pub current: Option<usize>,
    /// Bytes scanned / to scan.
    pub scanned: u64,
    /// Bytes to scan.
    pub total: u64,
    /// The scan has finished.
    pub done: bool,
    /// The scan stopped at [`MAX_MATCHES`]: `matches` are the first ones, not all.
    pub capped: bool,
    /// Set to stop the scan.
    pub cancel: Arc<AtomicBool>,
}

/// The most matches a search keeps: a search for `e` in a gigabyte would otherwise keep a
/// match for nearly every line. The pane then says `first 10000 matches`.
pub const MAX_MATCHES: usize = 10_000;

impl PartialEq for Search {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.matches == other.matches
            && self.current == other.current
            && self.done == other.done
            && self.capped == other.capped
    }
}

impl Search {
    /// How many matches there are, in words: `42`, or `the first 10000` when the search
    /// stopped at [`MAX_MATCHES`].
    #[must_use]
    pub fn count(&self) -> String {
        if self.capped {
            format!("the first {}", self.matches.len())
        } else {
            self.matches.len().to_string()
        }
    }
}
