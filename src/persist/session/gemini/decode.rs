//! One Gemini message record into [`Entry`]s: a person's prompt, the model's thoughts, reply and
//! tool calls with their results, info, warnings and errors. A record is one version of a
//! message: Gemini appends a message again each time it changes, and the last copy wins (see
//! `doc`).

use super::super::entry::{Entry, EntryKind, SubagentLink};
use super::super::skim::{Head, Json};
use super::super::text::{self, args_line, display, image_label, raw_head, set_text};
use super::Message;
use crate::persist::session::MAX_ENTRY_TEXT;
use chrono::{DateTime, Utc};

/// Tool call statuses that mean it has not finished.
pub(crate) const RUNNING: [&str; 4] = ["executing", "scheduled", "validating", "awaiting_approval"];

/// The text of a `PartListUnion`: a string, a part, or a list of parts (`text`, inline data as
/// a label, a function call or response as its name).
pub(crate) fn parts_text(v: Json<'_>) -> Head {
    if v.is_string() {
        return display(v);
    }
    let parts: Vec<Json<'_>> = if v.is_array() {
        v.items().collect()
    } else {
        vec![v]
    };
    let mut out: Vec<String> = Vec::new();
    let mut full = 0u64;
    for part in parts {
        if part.is_string() {
            let head = display(part);
            full += head.cut.unwrap_or(head.text.len() as u64);
            out.push(head.text);
            continue;
        }
        let [text, inline, file, call, response] = part.pick([
            "text",
            "inlineData",
            "fileData",
            "functionCall",
            "functionResponse",
        ]);
        let piece = if let Some(t) = text {
            let head = display(t);
            full += head.cut.unwrap_or(head.text.len() as u64);
            head.text
        } else if let Some(data) = inline {
            let [mime, bytes] = data.pick(["mimeType", "data"]);
            let mime = mime.and_then(Json::str).unwrap_or_default();
            image_label(&mime, bytes.map_or(0, |b| b.raw_len().saturating_sub(2)))
        } else if let Some(f) = file {
            let uri = f.get("fileUri").and_then(Json::str).unwrap_or_default();
            format!("[file {uri}]")
        } else if let Some(c) = call.or(response) {
            let name = c.get("name").and_then(Json::str).unwrap_or_default();
            format!("[{name}]")
        } else {
            continue;
        };
        out.push(piece);
    }
    let joined = out.join("\n");
    let mut head = text::cut(&joined, MAX_ENTRY_TEXT);
    if full > joined.len() as u64 {
        head.cut = Some(full);
    }
    head
}

/// A tool call's result as text: `resultDisplay` when it is text, else the function
/// response's output or error.
fn result_text(display_v: Option<Json<'_>>, result: Option<Json<'_>>) -> Head {
    if let Some(d) = display_v.filter(|d| d.is_string()) {
        return display(d);
    }
    let Some(result) = result.filter(|r| r.is_array() || r.is_object()) else {
        return Head::default();
    };
    let parts: Vec<Json<'_>> = if result.is_array() {
        result.items().collect()
    } else {
        vec![result]
    };
    for part in parts {
        if let Some(resp) = part.get("functionResponse").and_then(|f| f.get("response")) {
            let [output, error] = resp.pick(["output", "error"]);
            if let Some(v) = output.or(error) {
                return if v.is_string() {
                    display(v)
                } else {
                    raw_head(v, MAX_ENTRY_TEXT)
                };
            }
            return raw_head(resp, MAX_ENTRY_TEXT);
        }
    }
    parts_text(result)
}

/// The entries of one message record.
pub(crate) fn message_entries(m: &Message<'_>, time: Option<DateTime<Utc>>) -> Vec<Entry> {
    let entry = |kind: EntryKind, actor: &str| {
        let mut e = Entry::new(kind, actor);
        e.time = time;
        e
    };
    let ty = m.ty.and_then(Json::str).unwrap_or_default();
    let content = m.display_content.or(m.content);
    let model = m.model.and_then(Json::str).map(|s| s.into_owned());
    let mut out = Vec::new();
    match ty.as_ref() {
        "user" => {
            let mut e = entry(EntryKind::Prompt, "user");
            set_text(&mut e, content.map(parts_text).unwrap_or_default());
            out.push(e);
        }
        "gemini" => {
            for thought in m.thoughts.into_iter().flat_map(Json::items) {
                let [subject, description] = thought.pick(["subject", "description"]);
                let s =
                    |j: Option<Json<'_>>| j.and_then(Json::str).unwrap_or_default().into_owned();
                let mut e = entry(EntryKind::Thinking, "gemini");
                let (subject, description) = (s(subject), s(description));
                let t = if subject.is_empty() {
                    description
                } else {
                    format!("{subject}: {description}")
                };
                set_text(&mut e, text::cut(&t, MAX_ENTRY_TEXT));
                out.push(e);
            }
            let reply = content.map(parts_text).unwrap_or_default();
            if !reply.text.trim().is_empty() {
                let mut e = entry(EntryKind::Response, "gemini");
                set_text(&mut e, reply);
                e.model.clone_from(&model);
                out.push(e);
            }
            for call in m.tool_calls.into_iter().flat_map(Json::items) {
                out.extend(tool_call(call, time));
            }
        }
        "info" | "warning" => {
            let mut e = entry(EntryKind::Signal, "gemini");
            set_text(&mut e, content.map(parts_text).unwrap_or_default());
            out.push(e);
        }
        "error" => {
            let mut e = entry(EntryKind::Error, "gemini");
            e.is_error = true;
            set_text(&mut e, content.map(parts_text).unwrap_or_default());
            out.push(e);
        }
        other => {
            let name = if other.is_empty() { "untyped" } else { other };
            let mut e = entry(EntryKind::Unknown(name.to_owned()), "gemini");
            set_text(&mut e, content.map(parts_text).unwrap_or_default());
            out.push(e);
        }
    }
    out
}

/// A tool call (or a sub-agent it started) and, once it has finished, its result.
fn tool_call(call: Json<'_>, fallback: Option<DateTime<Utc>>) -> Vec<Entry> {
    let [
        id,
        name,
        display_name,
        args,
        result,
        status,
        ts,
        agent,
        result_display,
    ] = call.pick([
        "id",
        "name",
        "displayName",
        "args",
        "result",
        "status",
        "timestamp",
        "agentId",
        "resultDisplay",
    ]);
    let s = |j: Option<Json<'_>>| j.and_then(Json::str).map(|s| s.into_owned());
    let name = s(name).unwrap_or_default();
    let time = super::super::text::json_time(ts).or(fallback);
    let status = s(status).unwrap_or_default();
    let call_id = s(id);
    let mut e = Entry::new(EntryKind::ToolCall, &name);
    e.time = time;
    e.tool = Some(name.clone());
    e.call_id.clone_from(&call_id);
    set_text(&mut e, args.map(args_line).unwrap_or_default());
    if let Some(agent) = s(agent) {
        e.kind = EntryKind::Subagent;
        e.subagent = Some(SubagentLink {
            id: agent,
            description: s(display_name).unwrap_or_else(|| name.clone()),
            path: None,
        });
    }
    let mut out = vec![e];
    if !status.is_empty() && !RUNNING.contains(&status.as_str()) {
        let mut r = Entry::new(EntryKind::ToolResult, &name);
        r.time = time;
        r.tool = Some(name);
        r.call_id = call_id;
        r.is_error = status == "error";
        set_text(&mut r, result_text(result_display, result));
        if r.text.is_empty() {
            r.text = status;
        }
        out.push(r);
    }
    out
}
