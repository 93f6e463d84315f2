//! One line of a Claude Code transcript into [`Entry`]s: prompts, replies, thinking, tool calls
//! and results, sub-agent starts, API errors, compaction, titles and notices. Known noise is
//! [`Decoded::Skip`]; a record of an unknown type is kept, marked; invalid JSON is
//! [`Decoded::Malformed`].

use super::super::entry::{Decoded, Entry, EntryKind, SubagentLink};
use super::super::skim::{Head, Json, record};
use super::super::text::{self, args_line, display, image_label, json_time, raw_head, set_text};
use super::{Record, UserText, classify_user_text, is_subagent_tool, persisted_path};
use crate::persist::session::MAX_ENTRY_TEXT;
use chrono::{DateTime, Utc};

/// Record types that carry nothing to show.
const NOISE: [&str; 6] = [
    "file-history-snapshot",
    "progress",
    "permission-mode",
    "last-prompt",
    "agent-setting",
    "attachment",
];

/// What every entry of one line shares.
#[derive(Clone, Copy)]
struct Ctx {
    time: Option<DateTime<Utc>>,
    sidechain: bool,
}

impl Ctx {
    fn entry(self, kind: EntryKind, actor: &str) -> Entry {
        let mut e = Entry::new(kind, actor);
        e.time = self.time;
        e.sidechain = self.sidechain;
        e
    }
}

/// Decodes one line of a Claude transcript (without its newline).
#[must_use]
pub fn decode_line(line: &[u8]) -> Decoded {
    let v = match record(line) {
        Ok(v) => v,
        Err(problem) => return Decoded::Malformed { problem },
    };
    let r = Record::of(v);
    let ctx = Ctx {
        time: json_time(r.timestamp),
        sidechain: Record::flag(r.sidechain),
    };
    let ty = r.ty.and_then(Json::str).unwrap_or_default();
    let entries = match ty.as_ref() {
        "user" => user(ctx, &r),
        "assistant" if Record::flag(r.api_error) => vec![api_error(ctx, &r)],
        "assistant" => assistant(ctx, r.message),
        "system" => vec![system(ctx, &r)],
        "summary" => {
            let mut e = ctx.entry(EntryKind::Compaction, "claude");
            set_text(&mut e, r.summary.map(display).unwrap_or_default());
            vec![e]
        }
        "ai-title" | "custom-title" => {
            let mut e = ctx.entry(EntryKind::State, "claude");
            let t = if ty == "ai-title" {
                r.ai_title
            } else {
                r.custom_title
            };
            e.text = format!("title: {}", t.and_then(Json::str).unwrap_or_default());
            vec![e]
        }
        "queue-operation" if r.operation.is_some_and(|o| o.is_str("remove")) => {
            let mut e = ctx.entry(EntryKind::Prompt, "user");
            set_text(&mut e, r.content.map(display).unwrap_or_default());
            vec![e]
        }
        "queue-operation" => return Decoded::Skip,
        "pr-link" => {
            let mut e = ctx.entry(EntryKind::Signal, "claude");
            let [url, number] = v.pick(["prUrl", "prNumber"]);
            let what = url.or(number).map(|u| raw_head(u, 200).text);
            e.text = format!(
                "pull request {}",
                what.unwrap_or_default().trim_matches('"')
            );
            vec![e]
        }
        t if NOISE.contains(&t) => return Decoded::Skip,
        other => {
            let name = if other.is_empty() { "untyped" } else { other };
            let mut e = ctx.entry(EntryKind::Unknown(name.to_owned()), "claude");
            set_text(&mut e, raw_head(v, MAX_ENTRY_TEXT));
            vec![e]
        }
    };
    Decoded::from_entries(entries)
}

/// Text and images of one message, joined, with the full size when anything was cut.
#[derive(Default)]
struct Joined {
    text: String,
    full: u64,
    cut: bool,
}

impl Joined {
    fn push(&mut self, head: Head) {
        if !self.text.is_empty() {
            self.text.push('\n');
            self.full += 1;
        }
        self.full += head.cut.unwrap_or(head.text.len() as u64);
        self.cut |= head.cut.is_some();
        self.text.push_str(&head.text);
    }

    fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    fn take(&mut self) -> Head {
        let joined = std::mem::take(self);
        let mut head = text::cut(&joined.text, MAX_ENTRY_TEXT);
        if joined.cut || head.cut.is_some() {
            head.cut = Some(joined.full);
        }
        head
    }
}

/// `[image png 1.2 MB]` for an image or document block.
fn media_label(block: Json<'_>, kind: &str) -> String {
    let source = block.get("source");
    let [media, data, url] = source.map_or([None; 3], |s| s.pick(["media_type", "data", "url"]));
    if let Some(url) = url.and_then(Json::str) {
        return format!("[{kind} {url}]");
    }
    let media = media.and_then(Json::str).unwrap_or_default();
    let media = if media.is_empty() {
        format!("{kind}/?")
    } else {
        media.into_owned()
    };
    image_label(&media, data.map_or(0, |d| d.raw_len().saturating_sub(2)))
}

/// A tool result's content (a string, or text and image blocks) as text.
fn result_text(content: Option<Json<'_>>) -> Head {
    let Some(content) = content else {
        return Head::default();
    };
    if !content.is_array() {
        return display(content);
    }
    let mut joined = Joined::default();
    for block in content.items() {
        let ty = block.get("type").and_then(Json::str).unwrap_or_default();
        match ty.as_ref() {
            "text" => joined.push(block.get("text").map(display).unwrap_or_default()),
            "image" | "document" => joined.push(text::cut(&media_label(block, &ty), 200)),
            _ => joined.push(raw_head(block, MAX_ENTRY_TEXT)),
        }
    }
    joined.take()
}

fn user(ctx: Ctx, r: &Record<'_>) -> Vec<Entry> {
    let mut out = Vec::new();
    let Some(content) = r.message.and_then(|m| m.get("content")) else {
        return out;
    };
    let (meta, compact) = (Record::flag(r.meta), Record::flag(r.compact_summary));
    let spawned = r.spawned();
    let mut prompt = Joined::default();
    let flush = |prompt: &mut Joined, out: &mut Vec<Entry>| {
        if prompt.is_empty() {
            return;
        }
        let head = prompt.take();
        let (kind, actor) = match classify_user_text(&head.text, meta, compact) {
            UserText::Prompt => (EntryKind::Prompt, "user"),
            UserText::Interrupted => (EntryKind::State, "user"),
            UserText::CompactSummary => (EntryKind::Compaction, "claude"),
            UserText::Meta | UserText::CommandOutput => (EntryKind::Signal, "system"),
        };
        let mut e = ctx.entry(kind, actor);
        set_text(&mut e, head);
        out.push(e);
    };
    if !content.is_array() {
        prompt.push(display(content));
        flush(&mut prompt, &mut out);
        return out;
    }
    for block in content.items() {
        let ty = block.get("type").and_then(Json::str).unwrap_or_default();
        match ty.as_ref() {
            "text" => prompt.push(block.get("text").map(display).unwrap_or_default()),
            "image" | "document" => prompt.push(text::cut(&media_label(block, &ty), 200)),
            "tool_result" => {
                flush(&mut prompt, &mut out);
                let [id, body, is_error] = block.pick(["tool_use_id", "content", "is_error"]);
                let mut e = ctx.entry(EntryKind::ToolResult, "tool");
                e.call_id = id.and_then(Json::str).map(|s| s.into_owned());
                e.is_error = is_error.and_then(Json::bool).unwrap_or(false);
                set_text(&mut e, result_text(body));
                e.saved_output = persisted_path(&e.text);
                e.subagent = spawned.as_ref().map(|id| SubagentLink {
                    id: id.clone().into_owned(),
                    description: String::new(),
                    path: None,
                });
                out.push(e);
            }
            other => {
                flush(&mut prompt, &mut out);
                let mut e = ctx.entry(EntryKind::Unknown(other.to_owned()), "user");
                set_text(&mut e, raw_head(block, MAX_ENTRY_TEXT));
                out.push(e);
            }
        }
    }
    flush(&mut prompt, &mut out);
    out
}

fn assistant(ctx: Ctx, message: Option<Json<'_>>) -> Vec<Entry> {
    let mut out = Vec::new();
    let Some(message) = message else {
        return out;
    };
    let [model, content] = message.pick(["model", "content"]);
    let model = model
        .and_then(Json::str)
        .filter(|m| m != "<synthetic>")
        .map(|m| m.into_owned());
    let Some(content) = content else {
        return out;
    };
    if content.is_string() {
        let mut e = ctx.entry(EntryKind::Response, "claude");
        set_text(&mut e, display(content));
        e.model = model;
        out.push(e);
        return out;
    }
    for block in content.items() {
        let ty = block.get("type").and_then(Json::str).unwrap_or_default();
        let mut e = match ty.as_ref() {
            "text" => {
                let mut e = ctx.entry(EntryKind::Response, "claude");
                set_text(&mut e, block.get("text").map(display).unwrap_or_default());
                if e.text.trim().is_empty() {
                    continue;
                }
                e
            }
            "thinking" => {
                let mut e = ctx.entry(EntryKind::Thinking, "claude");
                set_text(
                    &mut e,
                    block.get("thinking").map(display).unwrap_or_default(),
                );
                e
            }
            "redacted_thinking" => {
                let mut e = ctx.entry(EntryKind::Thinking, "claude");
                e.text = "[redacted thinking]".to_owned();
                e
            }
            "tool_use" | "server_tool_use" => tool_use(ctx, block),
            t if t.ends_with("_tool_result") => {
                let [id, body] = block.pick(["tool_use_id", "content"]);
                let mut e = ctx.entry(EntryKind::ToolResult, "tool");
                e.call_id = id.and_then(Json::str).map(|s| s.into_owned());
                set_text(&mut e, result_text(body));
                e
            }
            other => {
                let mut e = ctx.entry(EntryKind::Unknown(other.to_owned()), "claude");
                set_text(&mut e, raw_head(block, MAX_ENTRY_TEXT));
                e
            }
        };
        e.model.clone_from(&model);
        out.push(e);
    }
    out
}

/// A tool call, or a sub-agent start for `Task`/`Agent`.
fn tool_use(ctx: Ctx, block: Json<'_>) -> Entry {
    let [id, name, input] = block.pick(["id", "name", "input"]);
    let name = name.and_then(Json::str).unwrap_or_default().into_owned();
    let call_id = id.and_then(Json::str).map(|s| s.into_owned());
    if is_subagent_tool(&name) {
        let [kind, description, prompt] = input.map_or([None; 3], |i| {
            i.pick(["subagent_type", "description", "prompt"])
        });
        let s = |j: Option<Json<'_>>| j.and_then(Json::str).unwrap_or_default().into_owned();
        let (kind, description) = (s(kind), s(description));
        let mut e = ctx.entry(EntryKind::Subagent, &name);
        e.tool = Some(name);
        e.call_id = call_id;
        let line = if description.is_empty() {
            text::first_line(&s(prompt))
        } else {
            text::cut(&description, text::ONE_LINE)
        };
        set_text(&mut e, line);
        e.subagent = Some(SubagentLink {
            id: String::new(),
            description: match (kind.is_empty(), description.is_empty()) {
                (false, false) => format!("{kind}: {description}"),
                (true, _) => description,
                (false, true) => kind,
            },
            path: None,
        });
        return e;
    }
    let mut e = ctx.entry(EntryKind::ToolCall, &name);
    e.tool = Some(name);
    e.call_id = call_id;
    set_text(&mut e, input.map(args_line).unwrap_or_default());
    e
}

fn api_error(ctx: Ctx, r: &Record<'_>) -> Entry {
    let mut e = ctx.entry(EntryKind::Error, "claude");
    e.is_error = true;
    let body = r.message.and_then(|m| m.get("content"));
    let what = result_text(body);
    let code = r.error.map(|c| match c.str() {
        Some(s) => s.into_owned(),
        None => raw_head(c, 200).text,
    });
    let status = r.status.map(|s| raw_head(s, 40).text);
    let prefix: Vec<String> = code.into_iter().chain(status).collect();
    e.text = if prefix.is_empty() {
        what.text
    } else {
        format!("{}: {}", prefix.join(" "), what.text)
    };
    e.cut = what.cut;
    e
}

fn system(ctx: Ctx, r: &Record<'_>) -> Entry {
    let subtype = r.subtype.and_then(Json::str).unwrap_or_default();
    let text = r
        .content
        .map(display)
        .filter(|h| !h.text.is_empty())
        .or_else(|| r.error.map(|e| raw_head(e, MAX_ENTRY_TEXT)))
        .unwrap_or_else(|| text::cut(&subtype, 200));
    let is_error = subtype == "api_error" || r.level.is_some_and(|l| l.is_str("error"));
    let kind = if subtype == "compact_boundary" {
        EntryKind::Compaction
    } else if is_error {
        EntryKind::Error
    } else {
        EntryKind::Signal
    };
    let mut e = ctx.entry(kind, "system");
    e.is_error = is_error;
    set_text(&mut e, text);
    if let Some(meta) = r.compact_meta.filter(|_| subtype == "compact_boundary") {
        let [trigger, pre] = meta.pick(["trigger", "preTokens"]);
        let trigger = trigger.and_then(Json::str).unwrap_or_default();
        if let Some(pre) = pre.and_then(Json::u64) {
            e.text = format!("{} ({trigger}, {pre} tokens before)", e.text);
        }
    }
    e
}
