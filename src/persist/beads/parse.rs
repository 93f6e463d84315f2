//! Turning the bytes of an `issues.jsonl` into beads plus notes, line by line. Whatever the
//! bytes, this never panics and never fails: an unusable line is skipped with a note, a field of
//! the wrong type takes its default with a note. Missing and `null` fields take br's defaults
//! silently; unknown keys are ignored.

use super::fields::Fields;
use super::model::Bead;
use crate::persist::gojson::describe;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Where notes go, and which line they are about.
pub(super) struct Notes<'a> {
    path: &'a str,
    pub(super) line: usize,
    out: &'a mut Vec<String>,
}

impl Notes<'_> {
    pub(super) fn push(&mut self, cause: impl std::fmt::Display) {
        self.out
            .push(format!("{}:{}: {cause}", self.path, self.line));
    }
}

/// Parses every line; returns the beads (a duplicate id replaced in place by its later line)
/// and the notes in file order.
pub(super) fn parse_lines(path: &str, bytes: &[u8]) -> (Vec<Bead>, Vec<String>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut beads: Vec<Bead> = Vec::new();
    let mut notes = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut start = 0usize;
    let mut line = 0usize;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        line += 1;
        let raw = &bytes[start..end];
        start = end + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let mut n = Notes {
            path,
            line,
            out: &mut notes,
        };
        let Some(bead) = parse_line(raw, &mut n) else {
            continue;
        };
        if let Some(&at) = seen.get(&bead.id) {
            let earlier = beads.get(at).map_or(0, |b| b.line);
            n.push(format_args!(
                "duplicate id {:?} (earlier on line {earlier}); the later line wins, as in br",
                bead.id
            ));
            if let Some(slot) = beads.get_mut(at) {
                *slot = bead;
            }
        } else {
            seen.insert(bead.id.clone(), beads.len());
            beads.push(bead);
        }
    }
    (beads, notes)
}

/// One line to a bead, or `None` (with a note unless the line is blank).
fn parse_line(raw: &[u8], n: &mut Notes<'_>) -> Option<Bead> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let text = match std::str::from_utf8(raw) {
        Ok(text) => text,
        Err(e) => {
            n.push(format_args!(
                "skipped: not valid UTF-8 (bad byte at column {})",
                e.valid_up_to() + 1
            ));
            return None;
        }
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            n.push(format_args!("skipped: invalid JSON: {e}"));
            return None;
        }
    };
    let Value::Object(map) = value else {
        n.push(format_args!(
            "skipped: {} is not a JSON object",
            describe(&value)
        ));
        return None;
    };
    decode(&map, n)
}

/// The fields of one issue object. `None` when the object has no usable `id`.
fn decode(map: &Map<String, Value>, n: &mut Notes<'_>) -> Option<Bead> {
    let id = match map.get("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id.clone(),
        Some(Value::String(_)) => {
            n.push("skipped: the issue has an empty \"id\"");
            return None;
        }
        None | Some(Value::Null) => {
            n.push("skipped: the issue has no \"id\"");
            return None;
        }
        Some(other) => {
            n.push(format_args!(
                "skipped: \"id\" is {}, not a string",
                describe(other)
            ));
            return None;
        }
    };
    // Fields are taken in the key order bd and br write, so a line's notes read left to right.
    let mut f = Fields { map, id: &id, n };
    let title = f.text("title").unwrap_or_default();
    let description = f.text("description").unwrap_or_default();
    let status = f.text("status").map(|s| normalize_status(&s));
    let priority = f.priority();
    let issue_type = f.text("issue_type").map(|t| t.trim().to_lowercase());
    let defaults = Bead::default();
    Some(Bead {
        title,
        description,
        status: status.unwrap_or(defaults.status),
        priority,
        issue_type: issue_type.unwrap_or(defaults.issue_type),
        assignee: f.text("assignee").unwrap_or_default(),
        created_at: f.time("created_at"),
        updated_at: f.time("updated_at"),
        closed_at: f.time("closed_at"),
        defer_until: f.time("defer_until"),
        labels: f.labels(),
        dependencies: f.dependencies(),
        pinned: f.flag("pinned"),
        ephemeral: f.flag("ephemeral"),
        is_template: f.flag("is_template"),
        line: f.n.line,
        id,
    })
}

/// br reads statuses case-insensitively and accepts `inprogress` for `in_progress`.
fn normalize_status(status: &str) -> String {
    let status = status.trim().to_lowercase();
    if status == "inprogress" {
        "in_progress".to_owned()
    } else {
        status
    }
}
