//! Where each agent keeps its sessions ([`SessionRoots`]), from the agents' own environment
//! variables and the home directory; beadboard's flags, variables and config file override or
//! switch off each source (see `crate::config`). [`SourceReport`] says, for `doctor` and the
//! empty Runs pane, which sources were found and where.

use super::Agent;
use std::path::PathBuf;

/// The directories (and database) agent sessions are read from; `None` or empty: switched off
/// or not found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionRoots {
    /// Claude Code config directories (`$CLAUDE_CONFIG_DIR`, else `~/.claude` and
    /// `~/.config/claude`); sessions are under each one's `projects/`.
    pub claude: Vec<PathBuf>,
    /// Codex's home (`$CODEX_HOME`, else `~/.codex`); sessions under `sessions/`.
    pub codex: Option<PathBuf>,
    /// Gemini's directory (`$GEMINI_CLI_HOME/.gemini`, else `~/.gemini`); chats under
    /// `tmp/<slug>/chats/`.
    pub gemini: Option<PathBuf>,
    /// OpenCode's database (`$OPENCODE_DB`, else `$XDG_DATA_HOME/opencode/opencode.db`).
    pub opencode: Option<PathBuf>,
}

/// What was found for one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReport {
    /// The agent.
    pub agent: Agent,
    /// Where it was looked for.
    pub path: PathBuf,
    /// Whether it exists.
    pub found: bool,
    /// Switched off by the user.
    pub disabled: bool,
    /// Sessions listed there (when it was listed).
    pub sessions: Option<usize>,
}
