//! What a Claude line changes in a session's summary. Only the few fields that matter are
//! looked at ([`Json::pick`] skips a 12 MB tool output with `memchr`), so a whole 1 GB file is
//! summarised at about the speed it is read.

use super::super::skim::Json;
use super::super::summary::{SessionSummary, Tokens, note_prompt, note_time};
use super::super::text::json_time;
use super::super::{SubagentLink, TurnState};
use super::{Record, UserText, classify_user_text, is_subagent_tool};

/// How many recent response ids are remembered to count each response's usage once (a
/// response's lines are adjacent, with at most a few sidechain lines between them).
const RECENT: usize = 16;

/// At most this many open tool calls and sub-agents are tracked.
const MAX_TRACKED: usize = 256;

/// What a Claude summary keeps besides the summary itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Progress {
    /// Recent response ids, oldest first, with the usage counted for each (the last line of a
    /// response replaces what its earlier lines counted).
    pub recent: Vec<(String, Tokens)>,
    /// Tool calls without a result yet.
    pub open: Vec<String>,
    /// The tool call id that started each of the summary's sub-agents, in the same order.
    pub spawns: Vec<String>,
    /// The title is a person's (`custom-title`), which an `ai-title` does not replace.
    pub custom_title: bool,
}

/// Feeds one line's value (`None`: not JSON).
pub(crate) fn feed(v: Option<Json<'_>>, s: &mut SessionSummary, p: &mut Progress) {
    let Some(v) = v.filter(|v| v.is_object()) else {
        return;
    };
    let r = Record::of(v);
    note_time(s, json_time(r.timestamp));
    if s.id.is_empty()
        && let Some(id) = r.session_id.and_then(Json::str)
    {
        s.id = id.into_owned();
    }
    let ty = r.ty.and_then(Json::str).unwrap_or_default();
    if Record::flag(r.sidechain) {
        // A sub-agent's lines inside the parent's file: its usage is real, the rest is the
        // sub-agent's own turn.
        if ty == "assistant" {
            count_usage(s, p, r.message);
        }
        return;
    }
    if let Some(cwd) = r.cwd.and_then(Json::str).filter(|c| !c.is_empty())
        && s.cwd != cwd
    {
        s.cwd = cwd.into_owned();
    }
    let text = |j: Option<Json<'_>>| j.and_then(Json::str).map(|t| t.into_owned());
    match ty.as_ref() {
        "user" => user(s, p, &r),
        "assistant" if Record::flag(r.api_error) => {
            let why = r
                .message
                .and_then(|m| m.get("content"))
                .and_then(|c| c.items().find_map(|b| b.get("text")))
                .and_then(|t| t.head(200))
                .map_or_else(|| "API error".to_owned(), |h| h.text);
            s.turn = TurnState::Failed(why);
        }
        "assistant" => assistant(s, p, r.message),
        "system" => {
            let failed = r.subtype.is_some_and(|t| t.is_str("api_error"))
                || r.level.is_some_and(|l| l.is_str("error"));
            if failed {
                let why = r
                    .content
                    .and_then(|c| c.head(200))
                    .map_or_else(|| "API error".to_owned(), |h| h.text);
                s.turn = TurnState::Failed(why);
            }
        }
        "ai-title" if !p.custom_title => s.title = text(r.ai_title).or(s.title.take()),
        "custom-title" => {
            s.title = text(r.custom_title).or(s.title.take());
            p.custom_title = true;
        }
        "summary" if s.title.is_none() => s.title = text(r.summary),
        "queue-operation" if r.operation.is_some_and(|o| o.is_str("remove")) => {
            let head = r
                .content
                .and_then(|c| c.head(crate::persist::session::MAX_ENTRY_TEXT));
            note_prompt(s, &head.unwrap_or_default().text);
            s.turn = TurnState::Working;
        }
        _ => {}
    }
}

/// A user line: a prompt (one more turn), tool results, or notices.
fn user(s: &mut SessionSummary, p: &mut Progress, r: &Record<'_>) {
    let Some(content) = r.message.and_then(|m| m.get("content")) else {
        return;
    };
    let spawned = r.spawned();
    let mut prompt: Option<Json<'_>> = None;
    let mut media = false;
    if content.is_string() {
        prompt = Some(content);
    } else {
        for block in content.items() {
            let [ty, id, text] = block.pick(["type", "tool_use_id", "text"]);
            let Some(ty) = ty else { continue };
            if ty.is_str("tool_result") {
                let id = id.and_then(Json::str).unwrap_or_default();
                p.open.retain(|o| *o != id);
                if let Some(agent) = &spawned
                    && let Some(i) = p.spawns.iter().position(|c| *c == id)
                    && let Some(link) = s.subagents.get_mut(i)
                {
                    agent.as_ref().clone_into(&mut link.id);
                }
                s.turn = TurnState::Working;
            } else if ty.is_str("text") {
                prompt = prompt.or(text);
            } else if ty.is_str("image") || ty.is_str("document") {
                media = true;
            }
        }
    }
    let head = prompt.and_then(|t| t.head(crate::persist::session::MAX_ENTRY_TEXT));
    if head.is_none() && !media {
        return;
    }
    let head = head.unwrap_or_default();
    let (meta, compact) = (Record::flag(r.meta), Record::flag(r.compact_summary));
    match classify_user_text(&head.text, meta, compact) {
        UserText::Prompt => {
            let text = if head.text.is_empty() {
                "[image]"
            } else {
                &head.text
            };
            note_prompt(s, text);
            p.open.clear();
            s.turn = TurnState::Working;
        }
        UserText::Interrupted => {
            p.open.clear();
            s.turn = TurnState::Ended;
        }
        UserText::Meta | UserText::CommandOutput | UserText::CompactSummary => {}
    }
}

/// An assistant line: usage (once per response), the model, tool calls, and whether the
/// turn ended.
fn assistant(s: &mut SessionSummary, p: &mut Progress, message: Option<Json<'_>>) {
    let Some(message) = message else { return };
    count_usage(s, p, Some(message));
    let [model, content, stop] = message.pick(["model", "content", "stop_reason"]);
    if let Some(model) = model.and_then(Json::str).filter(|m| m != "<synthetic>") {
        s.model = Some(model.into_owned());
    }
    for block in content.into_iter().flat_map(Json::items) {
        let [ty, id, name, input] = block.pick(["type", "id", "name", "input"]);
        if !ty.is_some_and(|t| t.is_str("tool_use") || t.is_str("server_tool_use")) {
            continue;
        }
        let id = id.and_then(Json::str).unwrap_or_default().into_owned();
        let name = name.and_then(Json::str).unwrap_or_default();
        if is_subagent_tool(&name) && p.spawns.len() < MAX_TRACKED {
            let [kind, description] =
                input.map_or([None; 2], |i| i.pick(["subagent_type", "description"]));
            let kind = kind.and_then(Json::str).unwrap_or_default();
            let description = description.and_then(Json::str).unwrap_or_default();
            s.subagents.push(SubagentLink {
                id: id.clone(),
                description: if kind.is_empty() {
                    description.into_owned()
                } else {
                    format!("{kind}: {description}")
                },
                path: None,
            });
            p.spawns.push(id.clone());
        }
        if p.open.len() < MAX_TRACKED && !p.open.contains(&id) {
            p.open.push(id);
        }
    }
    let ended = stop.is_some_and(|r| {
        r.is_str("end_turn") || r.is_str("stop_sequence") || r.is_str("max_tokens")
    });
    s.turn = if ended && p.open.is_empty() {
        TurnState::Ended
    } else {
        TurnState::Working
    };
}

/// Adds a response's usage, once per response id (its last line's usage wins).
fn count_usage(s: &mut SessionSummary, p: &mut Progress, message: Option<Json<'_>>) {
    let Some(message) = message else { return };
    let [id, usage] = message.pick(["id", "usage"]);
    let Some(usage) = usage.filter(|u| u.is_object()) else {
        return;
    };
    let [input, output, read, write] = usage.pick([
        "input_tokens",
        "output_tokens",
        "cache_read_input_tokens",
        "cache_creation_input_tokens",
    ]);
    let n = |j: Option<Json<'_>>| j.and_then(Json::u64).unwrap_or(0);
    let tokens = Tokens {
        input: n(input),
        output: n(output),
        cache_read: n(read),
        cache_write: n(write),
    };
    let Some(id) = id.and_then(Json::str) else {
        s.tokens += tokens;
        return;
    };
    if let Some(seen) = p.recent.iter_mut().find(|(i, _)| *i == id) {
        s.tokens = s.tokens.saturating_sub(seen.1);
        s.tokens += tokens;
        seen.1 = tokens;
        return;
    }
    s.tokens += tokens;
    p.recent.push((id.into_owned(), tokens));
    if p.recent.len() > RECENT {
        p.recent.remove(0);
    }
}
