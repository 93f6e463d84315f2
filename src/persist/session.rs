//! Agent CLI sessions, read live and read-only: Claude Code, Codex CLI, Gemini CLI and
//! OpenCode each write their whole conversation to disk as they work. This module tree finds
//! those sessions, reads them in their own formats and turns them into one event model: a
//! [`SessionSummary`] (what the Runs pane, `status` and attention need) and [`Entry`]s (what the
//! Transcript pane shows), the same kinds of entry for every agent.
//!
//! Nothing here writes an agent's file, ever: files are opened read-only, the OpenCode database
//! with a read-only connection that never blocks OpenCode's writers, and a Codex `.jsonl.zst` is
//! decompressed in memory, never rewritten. Formats, where they live and how to tell a live
//! session are described in `../shared/spec/agent-sessions.md`; each tool has its own module:
//!
//! - [`claude`]: `projects/<encoded cwd>/<session id>.jsonl`, sub-agents, `tool-results/`,
//!   the live registry `sessions/<pid>.json`.
//! - [`codex`]: `sessions/YYYY/MM/DD/rollout-*.jsonl` (and `.jsonl.zst`).
//! - [`gemini`]: `tmp/<slug>/chats/session-*.jsonl` (upserts, `$set`, `$rewindTo`) and the
//!   legacy single JSON document.
//! - [`opencode`]: the SQLite database (`session`, `message`, `part`).
//!
//! Shared: [`Agent`], the [`Entry`] model, [`SessionRoots`] (where to look), the [`listing`]
//! of session files (stat only), [`decode_line`] for append-only files, [`read_document`] for a
//! session read whole, the incremental [`Summarizer`] with [`summarize`] (from scratch, or on
//! from where an earlier summary stopped), the [`SessionCache`] of summaries, liveness
//! ([`live`]) and the per-session [`AgentState`]. JSON is looked into with a zero-copy skimmer
//! (`skim`), so a 12 MB line costs a scan, not a copy.

#![warn(missing_docs)]

mod cache;
pub mod claude;
pub mod codex;
mod document;
mod entry;
mod error;
pub mod gemini;
pub mod listing;
pub mod live;
pub mod opencode;
mod read;
mod roots;
mod skim;
mod state;
mod summary;
mod text;

pub use cache::{SESSION_CACHE_FILE, SESSION_CACHE_VERSION, SessionCache, summarize_all};
pub use document::{Document, MAX_DOCUMENT, read_document, read_items};
pub use entry::{Decoded, Entry, EntryKind, MAX_ENTRY_TEXT, SubagentLink};
pub use error::SessionError;
pub use listing::{Listing, SessionFile, SessionSource, list};
pub use read::{CHUNK, LONG, LineReader, MAX_SQUEEZED, decode_line, summarize, summarize_with};
pub use roots::{SessionRoots, SourceReport};
pub use state::{AgentState, TurnState};
pub use summary::{Resume, SessionSummary, Summarizer, Tokens};
pub use text::{image_label, size_words, whole_text};

use std::fmt;

/// Which agent CLI wrote a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Agent {
    /// Claude Code (NTM type `cc`).
    Claude,
    /// Codex CLI (NTM type `cod`).
    Codex,
    /// Gemini CLI (NTM type `gmi`).
    Gemini,
    /// OpenCode (NTM type `oc`).
    OpenCode,
}

impl Agent {
    /// Every agent, in the order sources are listed.
    pub const ALL: [Agent; 4] = [Agent::Claude, Agent::Codex, Agent::Gemini, Agent::OpenCode];

    /// The word used in names, JSON and flags: `claude`, `codex`, `gemini`, `opencode`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Agent::Claude => "claude",
            Agent::Codex => "codex",
            Agent::Gemini => "gemini",
            Agent::OpenCode => "opencode",
        }
    }

    /// Reads an agent word, or an NTM agent type (`cc`, `cod`, `gmi`, `oc`).
    #[must_use]
    pub fn parse(text: &str) -> Option<Agent> {
        match text.to_ascii_lowercase().as_str() {
            "claude" | "cc" | "claude-code" | "claude_code" => Some(Agent::Claude),
            "codex" | "cod" => Some(Agent::Codex),
            "gemini" | "gmi" => Some(Agent::Gemini),
            "opencode" | "oc" => Some(Agent::OpenCode),
            _ => None,
        }
    }
}

impl fmt::Display for Agent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Agent;

    #[test]
    fn agent_words_and_ntm_types_read_back() {
        for agent in Agent::ALL {
            assert_eq!(Agent::parse(agent.as_str()), Some(agent));
        }
        assert_eq!(Agent::parse("cc"), Some(Agent::Claude));
        assert_eq!(Agent::parse("cod"), Some(Agent::Codex));
        assert_eq!(Agent::parse("gmi"), Some(Agent::Gemini));
        assert_eq!(Agent::parse("oc"), Some(Agent::OpenCode));
        assert_eq!(Agent::parse("aider"), None);
    }
}
