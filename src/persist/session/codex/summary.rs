//! What a Codex line changes in a session's summary: the session's id, cwd and parent
//! (`session_meta`), the model (`turn_context`), turns (`task_started`, or typed prompts in
//! rollouts without tasks), token totals (`token_count`), the turn's state and sub-agents.

use super::super::skim::Json;
use super::super::summary::{SessionSummary, Tokens, first_prompt, note_time};
use super::super::text::json_time;
use super::super::{SubagentLink, TurnState};
use super::{Line, RESPONSE_ITEMS, content_text, is_injected, parent_of, started_thread};
use crate::persist::session::MAX_ENTRY_TEXT;

/// At most this many open tool calls and sub-agents are tracked.
const MAX_TRACKED: usize = 256;

/// What a Codex summary keeps besides the summary itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Progress {
    /// `task_started` events seen (each a turn).
    pub tasks: u64,
    /// Prompts a person typed (the turns of a rollout without task events).
    pub prompts: u64,
    /// Tool calls without their output yet.
    pub open: Vec<String>,
}

/// Feeds one line's value (`None`: not JSON).
pub(crate) fn feed(v: Option<Json<'_>>, s: &mut SessionSummary, p: &mut Progress) {
    let Some(v) = v.filter(|v| v.is_object()) else {
        return;
    };
    let l = Line::of(v);
    note_time(s, json_time(l.timestamp));
    let ty = l.ty.and_then(Json::str).unwrap_or_default();
    match (ty.as_ref(), l.payload) {
        ("session_meta", Some(m)) => meta(s, m),
        ("turn_context", Some(c)) => {
            let [cwd, model] = c.pick(["cwd", "model"]);
            if let Some(cwd) = cwd.and_then(Json::str).filter(|c| !c.is_empty()) {
                s.cwd = cwd.into_owned();
            }
            if let Some(model) = model.and_then(Json::str).filter(|m| !m.is_empty()) {
                s.model = Some(model.into_owned());
            }
        }
        ("event_msg", Some(e)) => event(s, p, e),
        ("response_item", Some(r)) => item(s, p, r, false),
        (t, _) if RESPONSE_ITEMS.contains(&t) => item(s, p, v, true),
        ("", _) if l.id.is_some() => meta(s, v),
        _ => {}
    }
    s.turns = if p.tasks > 0 { p.tasks } else { p.prompts };
}

fn meta(s: &mut SessionSummary, m: Json<'_>) {
    let [id, cwd, time] = m.pick(["id", "cwd", "timestamp"]);
    if let Some(id) = id.and_then(Json::str).filter(|_| s.id.is_empty()) {
        s.id = id.into_owned();
    }
    if let Some(cwd) = cwd.and_then(Json::str).filter(|c| !c.is_empty()) {
        s.cwd = cwd.into_owned();
    }
    if let Some(t) = json_time(time) {
        s.started_at = Some(s.started_at.map_or(t, |old| old.min(t)));
    }
    if let Some(parent) = parent_of(m) {
        s.parent = Some(parent);
    }
}

fn event(s: &mut SessionSummary, p: &mut Progress, e: Json<'_>) {
    let [ty, message, reason, info] = e.pick(["type", "message", "reason", "info"]);
    let ty = ty.and_then(Json::str).unwrap_or_default();
    match ty.as_ref() {
        "user_message" => {
            p.prompts += 1;
            let head = message
                .and_then(|m| m.head(MAX_ENTRY_TEXT))
                .unwrap_or_default();
            first_prompt(s, &head.text);
            if p.tasks == 0 {
                s.turn = TurnState::Working;
            }
        }
        "agent_message" if p.tasks == 0 => s.turn = TurnState::Ended,
        "task_started" | "turn_started" => {
            p.tasks += 1;
            p.open.clear();
            s.turn = TurnState::Working;
        }
        "task_complete" | "turn_complete" => {
            p.open.clear();
            s.turn = TurnState::Ended;
        }
        "turn_aborted" => {
            p.open.clear();
            let reason = reason.and_then(Json::str).unwrap_or_default();
            s.turn = if reason == "interrupted" {
                TurnState::Ended
            } else {
                TurnState::Failed(format!("turn aborted: {reason}"))
            };
        }
        "token_count" => {
            let Some(total) = info.and_then(|i| i.get("total_token_usage")) else {
                return;
            };
            let [input, cached, output] =
                total.pick(["input_tokens", "cached_input_tokens", "output_tokens"]);
            let n = |j: Option<Json<'_>>| j.and_then(Json::u64).unwrap_or(0);
            s.tokens = Tokens {
                input: n(input).saturating_sub(n(cached)),
                output: n(output),
                cache_read: n(cached),
                cache_write: 0,
            };
        }
        t if s.subagents.len() < MAX_TRACKED => {
            if let Some((id, description)) = started_thread(t, e) {
                s.subagents.push(SubagentLink {
                    id,
                    description,
                    path: None,
                });
            }
        }
        _ => {}
    }
}

fn item(s: &mut SessionSummary, p: &mut Progress, r: Json<'_>, bare: bool) {
    let [ty, call_id, role, content] = r.pick(["type", "call_id", "role", "content"]);
    let ty = ty.and_then(Json::str).unwrap_or_default();
    let call_id = call_id.and_then(Json::str).unwrap_or_default();
    match ty.as_ref() {
        "message" if bare => {
            if role.is_some_and(|r| r.is_str("assistant")) {
                s.turn = TurnState::Ended;
            } else if role.is_some_and(|r| r.is_str("user")) {
                let head = content.map(content_text).unwrap_or_default();
                if !is_injected(&head.text) {
                    p.prompts += 1;
                    first_prompt(s, &head.text);
                    s.turn = TurnState::Working;
                }
            }
        }
        t if t.ends_with("_output") => p.open.retain(|c| c != call_id.as_ref()),
        t if t.ends_with("_call") && !call_id.is_empty() => {
            if p.open.len() < MAX_TRACKED {
                p.open.push(call_id.into_owned());
            }
            s.turn = TurnState::Working;
        }
        _ => {}
    }
}
