//! One OpenCode message (its `data` and its parts' `data`) into [`Entry`]s, and what it counts
//! for in the summary. A `task` tool's call is its sub-agent's entry (see `super::task`).

use super::super::TurnState;
use super::super::entry::{Entry, EntryKind, SubagentLink};
use super::super::skim::Json;
use super::super::summary::Tokens;
use super::super::text::{self, args_line, display, from_millis, image_label, raw_head, set_text};
use crate::persist::session::MAX_ENTRY_TEXT;

/// What a message counts for.
#[derive(Debug, Default)]
pub(crate) struct Counts {
    pub user: bool,
    pub prompt: Option<String>,
    pub tokens: Tokens,
    pub model: Option<String>,
    pub cwd: Option<String>,
    pub turn: Option<TurnState>,
}

/// A message's entries and counts, from its `data` and its parts' `data` (JSON text).
pub(crate) fn message(data: &[u8], parts: &[Vec<u8>]) -> (Vec<Entry>, Counts) {
    let mut m = Message::new(data);
    for part in parts {
        m.part(part);
    }
    m.finish()
}

/// A message being read: its `data`, then its parts' `data` one at a time, in order (memory
/// holds one part, never all of them).
pub(crate) struct Message<'a> {
    m: Option<Json<'a>>,
    data: &'a [u8],
    out: Vec<Entry>,
    c: Counts,
    running: bool,
}

impl<'a> Message<'a> {
    /// A message whose `data` is this.
    pub(crate) fn new(data: &'a [u8]) -> Message<'a> {
        let mut c = Counts::default();
        let m = Json::new(data).filter(|m| m.is_object());
        if let Some(m) = m {
            let [role, model, path] = m.pick(["role", "modelID", "path"]);
            c.user = role.is_some_and(|r| r.is_str("user"));
            c.model = model.and_then(Json::str).map(|s| s.into_owned());
            c.cwd = path
                .and_then(|p| p.get("cwd"))
                .and_then(Json::str)
                .map(|s| s.into_owned());
        }
        Message {
            m,
            data,
            out: Vec::new(),
            c,
            running: false,
        }
    }

    /// Its next part's `data`.
    pub(crate) fn part(&mut self, part: &[u8]) {
        if self.m.is_none() {
            return;
        }
        if let Some(part) = Json::new(part) {
            let (user, model) = (self.c.user, self.c.model.as_deref());
            self.out
                .extend(part_entries(part, user, model, &mut self.running));
        }
    }

    /// Its entries and what it counts for.
    pub(crate) fn finish(self) -> (Vec<Entry>, Counts) {
        let Message {
            m,
            data,
            mut out,
            mut c,
            running,
        } = self;
        let Some(m) = m else {
            let mut e = Entry::new(EntryKind::Unknown("message".to_owned()), "opencode");
            e.text = String::from_utf8_lossy(&data[..data.len().min(400)]).into_owned();
            return (vec![e], c);
        };
        let [time, tokens, error] = m.pick(["time", "tokens", "error"]);
        let ms = |key: &str| time.and_then(|t| t.get(key)).and_then(Json::f64);
        // A part without a time of its own is stamped when its message completed (a reply's
        // text comes after the tools it ran), else when the message was created.
        let when = ms("completed")
            .or(ms("created"))
            .and_then(|ms| from_millis(ms as i64));
        finish(time, tokens, error, when, running, &mut out, &mut c);
        (out, c)
    }
}

/// The rest of [`Message::finish`]: times, and the prompt or the tokens and the turn.
fn finish(
    time: Option<Json<'_>>,
    tokens: Option<Json<'_>>,
    error: Option<Json<'_>>,
    when: Option<chrono::DateTime<chrono::Utc>>,
    running: bool,
    out: &mut Vec<Entry>,
    c: &mut Counts,
) {
    for e in out.iter_mut() {
        e.time = e.time.or(when);
    }
    if c.user {
        let text: Vec<&str> = out
            .iter()
            .filter(|e| e.kind == EntryKind::Prompt)
            .map(|e| e.text.as_str())
            .collect();
        c.prompt = Some(text.join("\n"));
        c.turn = Some(TurnState::Working);
        return;
    }
    if let Some(t) = tokens.filter(|t| t.is_object()) {
        let [input, output, reasoning, cache] = t.pick(["input", "output", "reasoning", "cache"]);
        let [read, write] = cache.map_or([None; 2], |c| c.pick(["read", "write"]));
        let n = |j: Option<Json<'_>>| j.and_then(Json::u64).unwrap_or(0);
        c.tokens = Tokens {
            input: n(input),
            output: n(output) + n(reasoning),
            cache_read: n(read),
            cache_write: n(write),
        };
    }
    let completed = time.and_then(|t| t.get("completed")).and_then(Json::f64);
    c.turn = Some(if let Some(err) = error.filter(|e| e.is_object()) {
        let [name, data] = err.pick(["name", "data"]);
        let message = data
            .and_then(|d| d.get("message"))
            .and_then(Json::str)
            .map(|s| s.into_owned());
        let name = name.and_then(Json::str).unwrap_or_default().into_owned();
        let aborted = name == "MessageAbortedError";
        let mut e = Entry::new(
            if aborted {
                EntryKind::State
            } else {
                EntryKind::Error
            },
            "opencode",
        );
        e.time = when;
        e.is_error = !aborted;
        e.text = match message {
            Some(m) if !m.is_empty() => format!("{name}: {m}"),
            _ if aborted => "aborted by the user".to_owned(),
            _ => name,
        };
        let turn = if aborted {
            TurnState::Ended
        } else {
            TurnState::Failed(e.text.clone())
        };
        out.push(e);
        turn
    } else if running || completed.is_none() {
        TurnState::Working
    } else {
        TurnState::Ended
    });
}

/// One part's entries (none for bookkeeping parts: step starts and finishes, snapshots).
pub(super) fn part_entries(
    part: Json<'_>,
    user: bool,
    model: Option<&str>,
    running: &mut bool,
) -> Vec<Entry> {
    let [
        ty,
        text_v,
        synthetic,
        tool,
        call_id,
        state,
        mime,
        filename,
        url,
        description,
        agent,
        prompt,
    ] = part.pick([
        "type",
        "text",
        "synthetic",
        "tool",
        "callID",
        "state",
        "mime",
        "filename",
        "url",
        "description",
        "agent",
        "prompt",
    ]);
    let ty = ty.and_then(Json::str).unwrap_or_default();
    let s = |j: Option<Json<'_>>| j.and_then(Json::str).unwrap_or_default().into_owned();
    let mut e = match ty.as_ref() {
        "step-start" | "step-finish" | "snapshot" => return Vec::new(),
        "text" => {
            let kind = match (user, synthetic.and_then(Json::bool).unwrap_or(false)) {
                (_, true) => EntryKind::Signal,
                (true, false) => EntryKind::Prompt,
                (false, false) => EntryKind::Response,
            };
            let mut e = Entry::new(kind, if user { "user" } else { "opencode" });
            set_text(&mut e, text_v.map(display).unwrap_or_default());
            if !user {
                e.model = model.map(str::to_owned);
            }
            e
        }
        "reasoning" => {
            let mut e = Entry::new(EntryKind::Thinking, "opencode");
            set_text(&mut e, text_v.map(display).unwrap_or_default());
            e
        }
        "file" => {
            let mut e = Entry::new(
                if user {
                    EntryKind::Prompt
                } else {
                    EntryKind::Signal
                },
                "user",
            );
            let url = s(url);
            let label = match url
                .strip_prefix("data:")
                .and_then(|r| r.split_once(";base64,"))
            {
                Some((media, data)) => image_label(media, data.len()),
                None => format!("[file {} {}]", s(mime), s(filename)),
            };
            e.text = label;
            e
        }
        "tool" => return tool_entries(s(tool), s(call_id), state, running),
        "subtask" | "agent" => {
            let mut e = Entry::new(EntryKind::Subagent, "opencode");
            let who = s(agent);
            e.text = text::first_line(&s(prompt).max(s(description))).text;
            // Named as the task it becomes is (`super::task`), so the two are paired.
            e.subagent = Some(SubagentLink {
                id: String::new(),
                description: super::task::describe(who, s(description)),
                path: None,
            });
            e
        }
        "compaction" => {
            let mut e = Entry::new(EntryKind::Compaction, "opencode");
            e.text = "conversation compacted".to_owned();
            e
        }
        "patch" => {
            let files = part.get("files").map_or(0, |f| f.items().count());
            let mut e = Entry::new(EntryKind::Signal, "opencode");
            e.text = format!("patch: {files} file(s)");
            e
        }
        "retry" => {
            let mut e = Entry::new(EntryKind::Signal, "opencode");
            set_text(&mut e, raw_head(part, MAX_ENTRY_TEXT));
            e
        }
        other => {
            let mut e = Entry::new(EntryKind::Unknown(other.to_owned()), "opencode");
            set_text(&mut e, raw_head(part, MAX_ENTRY_TEXT));
            e
        }
    };
    // The part's own time (`time.start`, else `time.end`), where OpenCode records one.
    let ms = |key: &str| {
        part.get("time")
            .and_then(|t| t.get(key))
            .and_then(Json::f64)
    };
    e.time = ms("start")
        .or(ms("end"))
        .and_then(|ms| from_millis(ms as i64));
    vec![e]
}

/// A tool part: its call and, once it has finished, its output or error.
fn tool_entries(
    tool: String,
    call_id: String,
    state: Option<Json<'_>>,
    running: &mut bool,
) -> Vec<Entry> {
    let [status, input, output, error, time] = state.map_or([None; 5], |s| {
        s.pick(["status", "input", "output", "error", "time"])
    });
    let status = status.and_then(Json::str).unwrap_or_default();
    if status == "pending" || status == "running" {
        *running = true;
    }
    let ms = |key: &str| time.and_then(|t| t.get(key)).and_then(Json::f64);
    let entry = |kind: EntryKind, at: Option<f64>| {
        let mut e = Entry::new(kind, &tool);
        e.tool = Some(tool.clone());
        e.call_id = (!call_id.is_empty()).then(|| call_id.clone());
        e.time = at.and_then(|ms| from_millis(ms as i64));
        e
    };
    let mut call = entry(EntryKind::ToolCall, ms("start"));
    set_text(&mut call, input.map(args_line).unwrap_or_default());
    if tool == super::task::TOOL {
        super::task::subagent_call(&mut call, input, state);
    }
    if status != "completed" && status != "error" {
        return vec![call];
    }
    let mut result = entry(EntryKind::ToolResult, ms("end").or(ms("start")));
    result.is_error = status == "error";
    let mut head = output.or(error).map(display).unwrap_or_default();
    if tool == super::task::TOOL && output.is_some() {
        head.text = super::task::result_text(&head.text);
    }
    set_text(&mut result, head);
    vec![call, result]
}

#[cfg(test)]
mod tests;
