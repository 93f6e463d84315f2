//! Where the open transcript is read from, and how: an agentpair `transcript.jsonl` or an
//! append-only agent session (Claude, Codex) by byte windows and a live tail, each line decoded
//! in its own format; or a session that must be read whole (Gemini, a Codex `.jsonl.zst`,
//! OpenCode's database) on open and on every change. The tail that travels to the worker and
//! back is a [`Tail`] of either format.

use crate::persist::run::TranscriptTail;
use crate::persist::session::{Agent, SessionSource};
use std::path::{Path, PathBuf};

/// How the lines of a file read by windows decode (search's own word for it).
pub use crate::search::LineFormat as Format;

/// Where the open transcript comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file read by windows around the cursor and followed by a tail.
    Lines(Format),
    /// A session read whole on open and on every change.
    Document {
        /// The agent.
        agent: Agent,
        /// Where its records are.
        source: SessionSource,
    },
}

impl Source {
    /// The source of an agent session: windows for an append-only JSONL file, whole reads for
    /// the rest.
    #[must_use]
    pub fn of_session(agent: Agent, source: &SessionSource) -> Source {
        match source {
            SessionSource::Lines(_) => Source::Lines(Format::Session(agent)),
            other => Source::Document {
                agent,
                source: other.clone(),
            },
        }
    }

    /// How lines decode (a document's too, when one is searched by lines).
    #[must_use]
    pub fn format(&self) -> Format {
        match self {
            Source::Lines(f) => *f,
            Source::Document { agent, .. } => Format::Session(*agent),
        }
    }

    /// Read whole.
    #[must_use]
    pub fn is_document(&self) -> bool {
        matches!(self, Source::Document { .. })
    }
}

/// Follows the end of a transcript read by windows: agentpair's own tail, or one that reads
/// an agent session's complete lines.
#[derive(Debug)]
pub enum Tail {
    /// agentpair's incremental reader.
    Agentpair(TranscriptTail),
    /// An agent session's.
    Lines(LineTail),
}

impl Tail {
    /// A tail for `format` at `offset` (a line start), with `lines_before` lines before it.
    #[must_use]
    pub fn starting_at(format: Format, path: &Path, offset: u64, lines_before: u64) -> Tail {
        match format {
            Format::Agentpair => {
                Tail::Agentpair(TranscriptTail::starting_at(path, offset, lines_before))
            }
            Format::Session(agent) => Tail::Lines(LineTail {
                path: path.to_path_buf(),
                agent,
                offset,
                lines: lines_before,
                identity: None,
            }),
        }
    }

    /// Bytes consumed so far (complete lines only).
    #[must_use]
    pub fn offset(&self) -> u64 {
        match self {
            Tail::Agentpair(t) => t.offset(),
            Tail::Lines(t) => t.offset,
        }
    }

    /// Bytes of a half-written last line held back (an agent session's tail never takes one
    /// before its newline: agents write whole lines).
    #[must_use]
    pub fn pending_len(&self) -> usize {
        match self {
            Tail::Agentpair(t) => t.pending_len(),
            Tail::Lines(_) => 0,
        }
    }
}

/// Where an agent session's tail stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineTail {
    /// The file.
    pub path: PathBuf,
    /// The agent (how lines decode).
    pub agent: Agent,
    /// The start of the first line not read yet.
    pub offset: u64,
    /// Lines before it.
    pub lines: u64,
    /// (device, inode) of the file when last read.
    pub identity: Option<(u64, u64)>,
}
