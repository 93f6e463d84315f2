//! Claude Code's sessions: `projects/<encoded cwd>/<session id>.jsonl` under each Claude
//! config directory, one JSON record per line, appended (see
//! `../shared/spec/agent-sessions.md` §1).
//!
//! - [`decode_line`]: a line into entries, for the Transcript pane.
//! - The summary (`summary`): turns, tokens (each response counted once, though Claude repeats
//!   its usage on every line of it), the turn's state.
//! - [`subagents`]: sub-agent transcripts (`<session id>/subagents/**/agent-<id>.jsonl` with
//!   their `.meta.json`, and the older sibling `agent-<id>.jsonl`), linked to the parent's
//!   `Task`/`Agent` calls; they are never sessions of their own.
//! - [`registry`]: the live registry `sessions/<pid>.json` (pid, session id, status).
//! - Listing (`list`): stat only, every project directory on its own thread.

mod decode;
pub(super) mod list;
pub mod registry;
pub mod subagents;
pub(super) mod summary;

pub use decode::decode_line;

use super::skim::Json;
use std::path::PathBuf;

super::skim::fields! {
    /// The top-level fields of a Claude record that anything here reads.
    Record {
        ty = "type",
        timestamp = "timestamp",
        session_id = "sessionId",
        cwd = "cwd",
        sidechain = "isSidechain",
        meta = "isMeta",
        message = "message",
        api_error = "isApiErrorMessage",
        error = "error",
        status = "apiErrorStatus",
        subtype = "subtype",
        level = "level",
        content = "content",
        ai_title = "aiTitle",
        custom_title = "customTitle",
        operation = "operation",
        summary = "summary",
        compact_summary = "isCompactSummary",
        compact_meta = "compactMetadata",
        tool_use_result = "toolUseResult",
        agent_id = "agentId",
    }
}

impl<'a> Record<'a> {
    /// A boolean field that is `true`.
    pub(crate) fn flag(field: Option<Json<'_>>) -> bool {
        field.and_then(Json::bool).unwrap_or(false)
    }

    /// The agent a tool result line names as the sub-agent it ran (`toolUseResult.agentId`,
    /// or the line's own `agentId` on a line that is not itself a sidechain).
    pub(crate) fn spawned(&self) -> Option<std::borrow::Cow<'a, str>> {
        let own = self.agent_id.filter(|_| !Record::flag(self.sidechain));
        self.tool_use_result
            .and_then(|t| t.get("agentId"))
            .or(own)
            .and_then(Json::str)
    }
}

/// What a user line's text is (Claude writes more than a person's prompts as user lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UserText {
    /// A prompt a person gave (a turn).
    Prompt,
    /// `isMeta` text: command caveats, skill bodies.
    Meta,
    /// A local command's output (`<local-command-stdout>`).
    CommandOutput,
    /// `[Request interrupted by user]`: the turn was stopped by the person.
    Interrupted,
    /// The summary that follows a compaction (`isCompactSummary`).
    CompactSummary,
}

/// Classifies a user line's text from its start and its flags.
pub(crate) fn classify_user_text(text: &str, meta: bool, compact: bool) -> UserText {
    let start = text.trim_start();
    if compact {
        UserText::CompactSummary
    } else if meta {
        UserText::Meta
    } else if start.starts_with("<local-command-stdout>")
        || start.starts_with("<local-command-stderr>")
        || start.starts_with("<local-command-caveat>")
    {
        UserText::CommandOutput
    } else if start.starts_with("[Request interrupted by user") {
        UserText::Interrupted
    } else {
        UserText::Prompt
    }
}

/// The tools that start a sub-agent.
pub(crate) fn is_subagent_tool(name: &str) -> bool {
    name == "Task" || name == "Agent"
}

/// The file a `<persisted-output>` tool result was saved to (its text names it:
/// `Full output saved to: <path>` or `Output has been saved to <path>`).
pub(crate) fn persisted_path(text: &str) -> Option<PathBuf> {
    let body = text.trim_start().strip_prefix("<persisted-output>")?;
    let at = body.find("saved to")?;
    let rest = body[at + "saved to".len()..]
        .trim_start_matches(':')
        .trim_start();
    let path = rest.lines().next()?.trim();
    (!path.is_empty()).then(|| PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_and_persisted_output() {
        assert_eq!(classify_user_text("fix it", false, false), UserText::Prompt);
        assert_eq!(classify_user_text("x", true, false), UserText::Meta);
        assert_eq!(
            classify_user_text("[Request interrupted by user for tool use]", false, false),
            UserText::Interrupted
        );
        let text = "<persisted-output>\nOutput too large (6.6MB). Full output saved to: \
                    /h/.claude/projects/-p/s/tool-results/b1.txt\n\nPreview (first 2KB):\n{";
        assert_eq!(
            persisted_path(text),
            Some(PathBuf::from(
                "/h/.claude/projects/-p/s/tool-results/b1.txt"
            ))
        );
        assert_eq!(persisted_path("plain output"), None);
    }
}
