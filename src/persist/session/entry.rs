//! The one transcript entry model every agent's records are turned into ([`Entry`]), and what
//! decoding one line of a JSONL session file gives ([`Decoded`]).

use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// How much of an entry's text is kept for display; the rest is read on demand (`Enter` on a
/// cut entry reads the whole line again from its offset). A 12 MB tool output keeps this much
/// and its size in [`Entry::cut`].
pub const MAX_ENTRY_TEXT: usize = 64 * 1024;

/// What an entry is, for every agent alike.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum EntryKind {
    /// Text a person typed (or steering text queued while the agent worked).
    Prompt,
    /// The agent's reply text.
    Response,
    /// The agent's reasoning (collapsed by default; never an encrypted blob or a signature).
    Thinking,
    /// A tool call: [`Entry::tool`] and a one-line summary of its arguments.
    ToolCall,
    /// A tool's output, linked to its call by [`Entry::call_id`]; [`Entry::is_error`] when the
    /// tool failed.
    ToolResult,
    /// An API failure, a rate limit, an aborted turn.
    Error,
    /// The conversation was compacted (earlier entries stay on disk and on screen).
    Compaction,
    /// A sub-agent was started here ([`Entry::subagent`] says which).
    Subagent,
    /// A lifecycle change: a turn started or ended, a title, a mode.
    State,
    /// Any other notice worth a line (hook summaries, info and warning messages).
    #[default]
    Signal,
    /// A record of a type this version does not know: shown marked, in place, never dropped.
    Unknown(String),
}

impl EntryKind {
    /// The word shown and used in JSON: `prompt`, `response`, `thinking`, `tool_call`,
    /// `tool_result`, `error`, `compaction`, `subagent`, `state`, `signal`, or the unknown type.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            EntryKind::Prompt => "prompt",
            EntryKind::Response => "response",
            EntryKind::Thinking => "thinking",
            EntryKind::ToolCall => "tool_call",
            EntryKind::ToolResult => "tool_result",
            EntryKind::Error => "error",
            EntryKind::Compaction => "compaction",
            EntryKind::Subagent => "subagent",
            EntryKind::State => "state",
            EntryKind::Signal => "signal",
            EntryKind::Unknown(t) => t,
        }
    }
}

/// Where a sub-agent's own transcript is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubagentLink {
    /// The sub-agent's id (Claude's agent id, Codex's thread id, Gemini's session id, OpenCode's
    /// child session id).
    pub id: String,
    /// Its description or type, when the parent says (`general-purpose: Survey the web module`).
    pub description: String,
    /// Its transcript file, when it is known (or the database for OpenCode).
    pub path: Option<PathBuf>,
}

/// One entry of an agent session, in the one event model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entry {
    /// What it is.
    pub kind: EntryKind,
    /// When it was written (`None` when the record has no time).
    pub time: Option<DateTime<Utc>>,
    /// Who: `user`, the agent's word (`claude`), or the tool's name for tool entries.
    pub actor: String,
    /// The tool's name, for tool calls and results.
    pub tool: Option<String>,
    /// Links a tool result to its call (Claude `tool_use_id`, Codex `call_id`, …).
    pub call_id: Option<String>,
    /// The text shown: the prompt, the reply, the call's arguments, the output (at most
    /// [`MAX_ENTRY_TEXT`] bytes; never base64 image data, never encrypted content). Raw: it is
    /// sanitised when drawn.
    pub text: String,
    /// The text's full size in bytes when it was cut to [`MAX_ENTRY_TEXT`] (or the line was
    /// too long to read whole); `None` when `text` is all of it.
    pub cut: Option<u64>,
    /// A failed tool result or an error entry.
    pub is_error: bool,
    /// The model that wrote it, for responses.
    pub model: Option<String>,
    /// An inline sidechain record (a sub-agent's line inside its parent's file).
    pub sidechain: bool,
    /// The sub-agent it started, for [`EntryKind::Subagent`].
    pub subagent: Option<SubagentLink>,
    /// A file the full output was saved to (`<persisted-output>`), to read on demand.
    pub saved_output: Option<PathBuf>,
}

impl Entry {
    /// An entry of `kind` by `actor`, with nothing else set yet.
    #[must_use]
    pub fn new(kind: EntryKind, actor: &str) -> Entry {
        Entry {
            kind,
            actor: actor.to_owned(),
            ..Entry::default()
        }
    }
}

/// What one line of a JSONL session file decodes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// Entries to show, in order (most lines give one; a line with several content blocks may
    /// give several).
    Entries(Vec<Entry>),
    /// A record that carries nothing to show (file-history snapshots, progress ticks, metadata
    /// patches): known, and deliberately not shown.
    Skip,
    /// A line that is not a record: invalid JSON, a wrong type. Shown as an unreadable line.
    Malformed {
        /// Why, in words.
        problem: String,
    },
}

impl Decoded {
    /// [`Decoded::Entries`], or [`Decoded::Skip`] when there are none.
    #[must_use]
    pub fn from_entries(entries: Vec<Entry>) -> Decoded {
        if entries.is_empty() {
            Decoded::Skip
        } else {
            Decoded::Entries(entries)
        }
    }
}
