//! Codex CLI's sessions: `sessions/YYYY/MM/DD/rollout-<local time>-<uuid>.jsonl` under
//! `$CODEX_HOME`, one `{timestamp, type, payload}` line per rollout item, appended while the
//! process holds the file open; cold rollouts may be compressed to `.jsonl.zst` (read in
//! memory, never rewritten). See `../shared/spec/agent-sessions.md` §2.
//!
//! Codex writes each message twice: as a `response_item` (what the model saw, with injected
//! context) and as an `event_msg` (what the person typed and read, what `codex resume` replays).
//! Only the event stream's messages are shown; the oldest rollouts, which have no event
//! stream, show their bare response items.
//!
//! - [`decode_line`]: a line into entries.
//! - The summary (`summary`): turns (`task_started`), tokens (`token_count` totals), the turn's
//!   state, sub-agents and the parent of a sub-agent rollout.
//! - [`decompress`]: a `.jsonl.zst` into memory, capped; [`Decompressed`]: the same as a
//!   stream in bounded memory.
//! - [`subagents`]: a sub-agent thread's own rollout, found from its parent's.
//! - Listing (`list`): stat only, each day directory on its own thread.

mod decode;
pub(super) mod list;
pub mod subagents;
pub(super) mod summary;
mod zst;

pub use decode::decode_line;
pub(crate) use zst::forward_reader as zst_forward_reader;
pub use zst::{Decompressed, MAX_DECOMPRESSED, decompress};

use super::skim::Json;

super::skim::fields! {
    /// The top-level fields of a rollout line (`id` is the oldest rollouts' first line).
    Line {
        ty = "type",
        timestamp = "timestamp",
        payload = "payload",
        id = "id",
    }
}

/// The response item types a rollout writes (bare, without the wrapper, in the oldest ones).
pub(crate) const RESPONSE_ITEMS: [&str; 13] = [
    "message",
    "reasoning",
    "function_call",
    "function_call_output",
    "custom_tool_call",
    "custom_tool_call_output",
    "local_shell_call",
    "web_search_call",
    "tool_search_call",
    "tool_search_call_output",
    "image_generation_call",
    "compaction",
    "context_compaction",
];

/// Injected context Codex sends as a user message (never a person's prompt).
pub(crate) fn is_injected(text: &str) -> bool {
    let t = text.trim_start();
    [
        "<environment_context>",
        "<user_instructions>",
        "<permissions instructions>",
        "# AGENTS.md instructions",
        "<user_shell_command>",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// The session a sub-agent rollout belongs to, from its `session_meta` payload:
/// `source.subagent.thread_spawn.parent_thread_id`, `parent_thread_id`, or `?` when it only
/// says it is a sub-agent (`thread_source: "subagent"`, a `source` naming one).
pub(crate) fn parent_of(meta: Json<'_>) -> Option<String> {
    let [source, parent, thread_source] =
        meta.pick(["source", "parent_thread_id", "thread_source"]);
    let s = |j: Option<Json<'_>>| j.and_then(Json::str).map(|s| s.into_owned());
    let spawn = source
        .and_then(|s| s.get("subagent"))
        .and_then(|s| s.get("thread_spawn"))
        .and_then(|t| t.get("parent_thread_id"));
    s(spawn).or_else(|| s(parent)).or_else(|| {
        let flagged = thread_source.is_some_and(|t| t.is_str("subagent"))
            || source.is_some_and(|s| {
                s.get("subagent").is_some() || s.str().is_some_and(|t| t.contains("subagent"))
            });
        flagged.then(|| "?".to_owned())
    })
}

/// The sub-agent thread an `event_msg` payload of type `ty` says was started, with what
/// names it: a `sub_agent_activity` of kind `started` (`agent_thread_id`, named by its
/// `agent_path`), or the older `collab_tool_call` (`new_thread_id`, named by its `tool`).
pub(crate) fn started_thread(ty: &str, payload: Json<'_>) -> Option<(String, String)> {
    let s = |j: Option<Json<'_>>| j.and_then(Json::str).map(|s| s.into_owned());
    let [kind, thread, path, new_thread, tool] = payload.pick([
        "kind",
        "agent_thread_id",
        "agent_path",
        "new_thread_id",
        "tool",
    ]);
    match ty {
        "sub_agent_activity" if kind.is_some_and(|k| k.is_str("started")) => {
            Some((s(thread)?, s(path).unwrap_or_default()))
        }
        "collab_tool_call" => Some((s(new_thread)?, s(tool).unwrap_or_default())),
        _ => None,
    }
}

/// The text of a message's content items (`input_text`, `output_text`, images as labels).
pub(crate) fn content_text(content: Json<'_>) -> super::skim::Head {
    if content.is_string() {
        return super::text::display(content);
    }
    let mut parts: Vec<String> = Vec::new();
    let mut full = 0u64;
    for item in content.items() {
        let [ty, text, url] = item.pick(["type", "text", "image_url"]);
        let part = if ty.is_some_and(|t| t.is_str("input_image")) {
            url.map_or_else(|| data_url_label_of(""), data_url_label)
        } else {
            let head = text.map(super::text::display).unwrap_or_default();
            full += head.cut.unwrap_or(head.text.len() as u64);
            head.text
        };
        parts.push(part);
    }
    let text = parts.join("\n");
    let mut head = super::text::cut(&text, super::MAX_ENTRY_TEXT);
    if full > text.len() as u64 {
        head.cut = Some(full);
    }
    head
}

/// `[image png 1.2 MB]` for a `data:image/png;base64,…` URL, the URL itself otherwise.
pub(crate) fn data_url_label(url: Json<'_>) -> String {
    let text = url.str().unwrap_or_default();
    // A URL cut in a squeezed line: its data counted whole.
    let left_out = url.cut_len().map_or(0, |whole| {
        usize::try_from(whole).map_or(0, |w| w.saturating_sub(text.len()))
    });
    match text
        .strip_prefix("data:")
        .and_then(|rest| rest.split_once(";base64,"))
    {
        Some((media, data)) => super::text::image_label(media, data.len() + left_out),
        None => data_url_label_of(&text),
    }
}

/// The label of a URL that is no data URL.
fn data_url_label_of(url: &str) -> String {
    format!("[image {url}]")
}
