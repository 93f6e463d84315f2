//! One line of a Codex rollout into [`Entry`]s. Never shown: `base_instructions`,
//! `encrypted_content`, the duplicate message streams (see the module's documentation),
//! `token_count` (folded into the summary) and the `*_end` events that repeat a tool call.

use super::super::entry::{Decoded, Entry, EntryKind, SubagentLink};
use super::super::skim::{Head, Json, record};
use super::super::text::{self, args_line, display, first_line, json_time, raw_head, set_text};
use super::{
    Line, RESPONSE_ITEMS, content_text, data_url_label, is_injected, parent_of, started_thread,
};
use crate::persist::session::MAX_ENTRY_TEXT;
use chrono::{DateTime, Utc};

/// Event messages that carry nothing to show.
const QUIET_EVENTS: [&str; 12] = [
    "token_count",
    "agent_reasoning",
    "agent_reasoning_raw_content",
    "agent_reasoning_section_break",
    "exec_command_begin",
    "exec_command_end",
    "patch_apply_begin",
    "patch_apply_end",
    "mcp_tool_call_begin",
    "mcp_tool_call_end",
    "web_search_end",
    "image_generation_end",
];

/// Decodes one line of a Codex rollout (without its newline).
#[must_use]
pub fn decode_line(line: &[u8]) -> Decoded {
    let v = match record(line) {
        Ok(v) => v,
        Err(problem) => return Decoded::Malformed { problem },
    };
    let l = Line::of(v);
    let time = json_time(l.timestamp);
    let ty = l.ty.and_then(Json::str).unwrap_or_default();
    let entry = |kind: EntryKind, actor: &str| {
        let mut e = Entry::new(kind, actor);
        e.time = time;
        e
    };
    let entries = match (ty.as_ref(), l.payload) {
        ("session_meta", Some(p)) => vec![session_meta(time, p)],
        ("turn_context", _) => return Decoded::Skip,
        ("response_item", Some(p)) => response_item(time, p, false),
        ("event_msg", Some(p)) => return event(time, p),
        ("compacted", p) => {
            let mut e = entry(EntryKind::Compaction, "codex");
            let message = p.and_then(|p| p.get("message")).map(display);
            set_text(&mut e, message.unwrap_or_default());
            if e.text.is_empty() {
                e.text = "context compacted".to_owned();
            }
            vec![e]
        }
        ("world_state", _) => return Decoded::Skip,
        ("inter_agent_communication", p) => {
            let mut e = entry(EntryKind::Signal, "codex");
            set_text(&mut e, raw_head(p.unwrap_or(v), MAX_ENTRY_TEXT));
            vec![e]
        }
        // The oldest rollouts: bare response items after a `{id, timestamp}` line.
        (t, _) if RESPONSE_ITEMS.contains(&t) => response_item(time, v, true),
        ("", _) if l.id.is_some() => vec![session_meta(time, v)],
        (other, _) => {
            let name = if other.is_empty() { "untyped" } else { other };
            let mut e = entry(EntryKind::Unknown(name.to_owned()), "codex");
            set_text(&mut e, raw_head(v, MAX_ENTRY_TEXT));
            vec![e]
        }
    };
    Decoded::from_entries(entries)
}

fn session_meta(time: Option<DateTime<Utc>>, p: Json<'_>) -> Entry {
    let [id, cwd, version] = p.pick(["id", "cwd", "cli_version"]);
    let s = |j: Option<Json<'_>>| j.and_then(Json::str).unwrap_or_default().into_owned();
    let mut e = Entry::new(EntryKind::State, "codex");
    e.time = time;
    let mut text = format!("session {}", s(id));
    for (label, value) in [("in", s(cwd)), ("codex", s(version))] {
        if !value.is_empty() {
            text.push_str(&format!(" · {label} {value}"));
        }
    }
    if let Some(parent) = parent_of(p) {
        text.push_str(&format!(" · sub-agent of {parent}"));
    }
    e.text = text;
    e
}

/// A tool's output: text, or content items; `is_error` when a structured output says so.
fn output(v: Option<Json<'_>>) -> (Head, bool) {
    let Some(v) = v else {
        return (Head::default(), false);
    };
    if v.is_array() {
        return (content_text(v), false);
    }
    if v.is_object() {
        let [content, success] = v.pick(["content", "success"]);
        let failed = success.and_then(Json::bool) == Some(false);
        return (content.map(content_text).unwrap_or_default(), failed);
    }
    let head = display(v);
    // Newer builds wrap a command's output: {"output": "...", "metadata": {"exit_code": 1}}.
    if let Some(inner) = v.str().as_deref().and_then(|s| {
        let j = Json::new(s.as_bytes())?;
        let [out, meta] = j.pick(["output", "metadata"]);
        let code = meta.and_then(|m| m.get("exit_code")).and_then(Json::f64);
        Some((out.map(display)?, code.is_some_and(|c| c != 0.0)))
    }) {
        return inner;
    }
    let failed = head
        .text
        .strip_prefix("Exit code: ")
        .and_then(|rest| rest.lines().next())
        .is_some_and(|code| code.trim() != "0");
    (head, failed)
}

fn response_item(time: Option<DateTime<Utc>>, p: Json<'_>, bare: bool) -> Vec<Entry> {
    let [
        ty,
        name,
        args,
        input,
        call_id,
        role,
        content,
        summary,
        output_v,
        action,
    ] = p.pick([
        "type",
        "name",
        "arguments",
        "input",
        "call_id",
        "role",
        "content",
        "summary",
        "output",
        "action",
    ]);
    let ty = ty.and_then(Json::str).unwrap_or_default();
    let name = name.and_then(Json::str).map(|n| n.into_owned());
    let call_id = call_id.and_then(Json::str).map(|c| c.into_owned());
    let entry = |kind: EntryKind, actor: &str| {
        let mut e = Entry::new(kind, actor);
        e.time = time;
        e.call_id.clone_from(&call_id);
        e
    };
    let e = match ty.as_ref() {
        "message" if !bare => return Vec::new(),
        "message" => {
            let head = content.map(content_text).unwrap_or_default();
            let user = role.is_some_and(|r| r.is_str("user"));
            if role.is_some_and(|r| r.is_str("developer")) || (user && is_injected(&head.text)) {
                return Vec::new();
            }
            let (kind, actor) = if user {
                (EntryKind::Prompt, "user")
            } else {
                (EntryKind::Response, "codex")
            };
            let mut e = entry(kind, actor);
            set_text(&mut e, head);
            e
        }
        "reasoning" => {
            let mut parts = summary.into_iter().flat_map(Json::items);
            let text: Vec<String> = parts
                .by_ref()
                .filter_map(|s| s.get("text").and_then(Json::str).map(|t| t.into_owned()))
                .collect();
            if text.is_empty() {
                return Vec::new(); // only encrypted content: nothing to show
            }
            let mut e = entry(EntryKind::Thinking, "codex");
            let text = unbold_header(&text.join("\n\n"));
            set_text(&mut e, text::cut(&text, MAX_ENTRY_TEXT));
            e
        }
        "function_call" | "custom_tool_call" | "tool_search_call" => {
            let tool = name.unwrap_or_else(|| ty.replace("_call", ""));
            let mut e = entry(EntryKind::ToolCall, &tool);
            e.tool = Some(tool);
            let arg = args.or(input);
            let line = match arg.and_then(Json::str) {
                Some(s) => match Json::new(s.as_bytes()) {
                    Some(j) if j.is_object() => args_line(j),
                    _ => first_line(&s),
                },
                None => arg.map(args_line).unwrap_or_default(),
            };
            set_text(&mut e, line);
            e
        }
        "local_shell_call" | "web_search_call" | "image_generation_call" => {
            let tool = match ty.as_ref() {
                "local_shell_call" => "shell",
                "web_search_call" => "web_search",
                _ => "image_generation",
            };
            let mut e = entry(EntryKind::ToolCall, tool);
            e.tool = Some(tool.to_owned());
            set_text(&mut e, action.map(args_line).unwrap_or_default());
            e
        }
        t if t.ends_with("_output") => {
            let mut e = entry(EntryKind::ToolResult, "tool");
            let (head, failed) = output(output_v);
            set_text(&mut e, head);
            e.is_error = failed;
            e
        }
        "compaction" | "context_compaction" => {
            let mut e = entry(EntryKind::Compaction, "codex");
            e.text = "context compacted".to_owned();
            e
        }
        other => {
            let mut e = entry(EntryKind::Unknown(other.to_owned()), "codex");
            set_text(&mut e, raw_head(p, MAX_ENTRY_TEXT));
            e
        }
    };
    vec![e]
}

fn event(time: Option<DateTime<Utc>>, p: Json<'_>) -> Decoded {
    let [ty, message, reason, images, tool, goal, turns] = p.pick([
        "type",
        "message",
        "reason",
        "images",
        "tool",
        "goal",
        "num_turns",
    ]);
    let ty = ty.and_then(Json::str).unwrap_or_default();
    if QUIET_EVENTS.contains(&ty.as_ref()) {
        return Decoded::Skip;
    }
    let entry = |kind: EntryKind, actor: &str| {
        let mut e = Entry::new(kind, actor);
        e.time = time;
        e
    };
    let state = |text: &str| {
        let mut e = entry(EntryKind::State, "codex");
        e.text = text.to_owned();
        e
    };
    let s = |j: Option<Json<'_>>| j.and_then(Json::str).unwrap_or_default().into_owned();
    if let Some((id, description)) = started_thread(&ty, p) {
        let mut e = entry(EntryKind::Subagent, "codex");
        e.tool = tool.and_then(Json::str).map(|t| t.into_owned());
        e.call_id = p.get("call_id").and_then(Json::str).map(|c| c.into_owned());
        e.text = format!("sub-agent {id}");
        e.subagent = Some(SubagentLink {
            id,
            description,
            path: None,
        });
        return Decoded::Entries(vec![e]);
    }
    let e = match ty.as_ref() {
        "user_message" => {
            let mut e = entry(EntryKind::Prompt, "user");
            set_text(&mut e, message.map(display).unwrap_or_default());
            for image in images.into_iter().flat_map(Json::items) {
                let label = data_url_label(image);
                e.text = if e.text.is_empty() {
                    label
                } else {
                    format!("{}\n{label}", e.text)
                };
            }
            e
        }
        "agent_message" => {
            let mut e = entry(EntryKind::Response, "codex");
            set_text(&mut e, message.map(display).unwrap_or_default());
            e
        }
        "task_started" | "turn_started" => state("turn started"),
        "task_complete" | "turn_complete" => state("turn ended"),
        "turn_aborted" if reason.is_some_and(|r| r.is_str("interrupted")) => {
            state("turn interrupted by the user")
        }
        "turn_aborted" => {
            let mut e = entry(EntryKind::Error, "codex");
            e.is_error = true;
            e.text = format!("turn aborted: {}", s(reason));
            e
        }
        "stream_error" | "error" => {
            let mut e = entry(EntryKind::Error, "codex");
            e.is_error = true;
            set_text(&mut e, message.map(display).unwrap_or_default());
            e
        }
        "context_compacted" => {
            let mut e = entry(EntryKind::Compaction, "codex");
            e.text = "context compacted".to_owned();
            e
        }
        "entered_review_mode" => state("review mode entered"),
        "exited_review_mode" => state("review mode exited"),
        "thread_rolled_back" => state(&format!(
            "rolled back {} turn(s)",
            turns.map_or_else(|| "?".to_owned(), |n| raw_head(n, 20).text)
        )),
        "thread_goal_updated" => state(&format!(
            "goal: {}",
            goal.map(|g| raw_head(g, 200).text).unwrap_or_default()
        )),
        "sub_agent_activity" => {
            let mut e = entry(EntryKind::Signal, "codex");
            e.text = sub_agent_activity(p);
            e
        }
        "warning" | "item_completed" | "plan_update" | "collab_tool_call" => {
            let mut e = entry(EntryKind::Signal, "codex");
            set_text(
                &mut e,
                message.map_or_else(|| raw_head(p, MAX_ENTRY_TEXT), display),
            );
            e
        }
        other => {
            let name = if other.is_empty() { "event_msg" } else { other };
            let mut e = entry(EntryKind::Unknown(name.to_owned()), "codex");
            set_text(&mut e, raw_head(p, MAX_ENTRY_TEXT));
            e
        }
    };
    Decoded::Entries(vec![e])
}

/// A reasoning summary whose first line is a markdown header in bold (`**Reproducing**`, as
/// Codex writes them) with that line as plain words (`Reproducing`): it is the collapsed
/// thinking entry's one line. The rest is left as written.
fn unbold_header(text: &str) -> String {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let words = first
        .trim()
        .strip_prefix("**")
        .and_then(|f| f.strip_suffix("**"))
        .filter(|w| !w.trim().is_empty() && !w.contains("**"));
    match words {
        Some(words) if rest.is_empty() => words.trim().to_owned(),
        Some(words) => format!("{}\n{rest}", words.trim()),
        None => text.to_owned(),
    }
}

/// A `sub_agent_activity` event other than the start (which is the sub-agent's entry) in
/// words: `sub-agent /root/tests: interacted`, named by its path, else its thread.
fn sub_agent_activity(p: Json<'_>) -> String {
    let [path, thread, kind] = p.pick(["agent_path", "agent_thread_id", "kind"]);
    let s = |j: Option<Json<'_>>| {
        j.and_then(Json::str)
            .map(|s| s.into_owned())
            .filter(|s| !s.is_empty())
    };
    let who = s(path)
        .or_else(|| s(thread))
        .unwrap_or_else(|| "?".to_owned());
    let what = s(kind).unwrap_or_else(|| "activity".to_owned());
    text::cut(&format!("sub-agent {who}: {what}"), text::ONE_LINE).text
}
