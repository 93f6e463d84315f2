//! [`SessionSummary`]: what the Runs pane, `status`, attention and the JSON records need of a
//! session, built incrementally by a [`Summarizer`] fed the session's records in order, so a
//! growing file is summarised by reading only what was appended.

use super::{Agent, SessionSource, SubagentLink, TurnState};
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// Token totals, each API response counted once (Claude repeats a response's usage on every
/// line of it; Gemini re-appends a message as it changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tokens {
    /// Input tokens (not counting cache reads).
    pub input: u64,
    /// Output tokens (reasoning included where the agent counts it so).
    pub output: u64,
    /// Tokens read from the prompt cache.
    pub cache_read: u64,
    /// Tokens written to the prompt cache.
    pub cache_write: u64,
}

impl Tokens {
    /// Everything counted.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.input + self.output + self.cache_read + self.cache_write
    }
}

/// One agent session, compactly.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionSummary {
    /// Which agent wrote it.
    pub agent: Agent,
    /// The provider's session id (Claude `sessionId`, Codex `session_meta.id`, Gemini
    /// `sessionId`, OpenCode `ses_…`).
    pub id: String,
    /// Where it is read from.
    pub source: SessionSource,
    /// The working directory the agent ran in (from the records: Claude's encoding of it in the
    /// directory name cannot be reversed).
    pub cwd: String,
    /// The session's title when the agent gave it one (Claude `ai-title`, OpenCode `title`).
    pub title: Option<String>,
    /// The first prompt's first [`crate::persist::run::PROMPT_HEAD`] characters.
    pub prompt_head: String,
    /// Id-like words of the whole first prompt when it is longer than its head (see
    /// [`crate::persist::run::id_words`]), so a bead id past the head still links.
    pub prompt_ids: Vec<String>,
    /// The model of the last response.
    pub model: Option<String>,
    /// The first record's time.
    pub started_at: Option<DateTime<Utc>>,
    /// The last record's time.
    pub last_entry_at: Option<DateTime<Utc>>,
    /// Turns: prompts a person gave (ITER in the Runs pane).
    pub turns: u64,
    /// Token totals.
    pub tokens: Tokens,
    /// What the transcript's end says.
    pub turn: TurnState,
    /// Sub-agents started by this session (they are never runs of their own).
    pub subagents: Vec<SubagentLink>,
    /// The session this one is a sub-agent of, when it is one.
    pub parent: Option<String>,
    /// Bytes of the file read so far (complete lines only); 0 for a database.
    pub read_to: u64,
}

/// Builds a [`SessionSummary`] from a session's records, in order, one complete line at a
/// time; it can be kept and fed what is appended later.
#[derive(Debug, Clone)]
pub struct Summarizer {
    summary: SessionSummary,
}

impl Summarizer {
    /// A summariser for a session read from `source`.
    #[must_use]
    pub fn new(agent: Agent, source: SessionSource) -> Summarizer {
        Summarizer {
            summary: SessionSummary {
                agent,
                id: String::new(),
                source,
                cwd: String::new(),
                title: None,
                prompt_head: String::new(),
                prompt_ids: Vec::new(),
                model: None,
                started_at: None,
                last_entry_at: None,
                turns: 0,
                tokens: Tokens::default(),
                turn: TurnState::Unknown,
                subagents: Vec::new(),
                parent: None,
                read_to: 0,
            },
        }
    }

    /// The summary so far.
    #[must_use]
    pub fn summary(&self) -> &SessionSummary {
        &self.summary
    }

    /// The file the summary is read from, when it is a file.
    #[must_use]
    pub fn path(&self) -> Option<&PathBuf> {
        self.summary.source.file()
    }
}
