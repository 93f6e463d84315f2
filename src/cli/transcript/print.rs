//! How `transcript` prints each line, whatever wrote it: an agentpair entry or an agent
//! session's entry as text (the glyphs, labels and headlines of the Transcript pane) or as
//! JSON (an array written item by item, or one entry per line while following), and an
//! unreadable line in its place (text) or on stderr (JSON).

use super::super::CliError;
use super::super::output::{JsonItems, Out, errln, outln};
use crate::app::model::transcript::{Line, LineContent};
use crate::persist::gojson;
use crate::persist::run::{EntryType, TranscriptEntry};
use crate::persist::session::{Entry, EntryKind};
use crate::present::summary::{self, session};
use crate::present::{sanitize, text, time};
use chrono::Utc;
use serde_json::{Value, json};

/// How entries are written.
#[derive(Debug)]
enum Mode {
    /// Readable lines.
    Text,
    /// One JSON array.
    Array(JsonItems),
    /// One JSON entry per line (following).
    Lines,
}

/// Prints a transcript's lines.
#[derive(Debug)]
pub struct Printer {
    mode: Mode,
    /// The run's name and reference, added to each JSON entry under `beadboard` (as `runs
    /// --json` adds its facts; agentpair's readers ignore the key).
    run: Value,
    /// The local time zone, for text.
    offset: chrono::FixedOffset,
    /// The file, to name it in a note on stderr.
    path: String,
    /// Tools by call id, to name results after their calls.
    calls: session::CallNames,
}

/// An agent session's entry as JSON, with the run's name and reference under `beadboard`.
#[must_use]
pub fn entry_json(e: &Entry, run: &Value) -> Value {
    json!({
        "kind": e.kind.as_str(),
        "time": e.time.map(|t| gojson::format_time(&t.fixed_offset())),
        "actor": e.actor,
        "tool": e.tool,
        "call_id": e.call_id,
        "text": e.text,
        "cut": e.cut,
        "is_error": e.is_error,
        "model": e.model,
        "sidechain": e.sidechain,
        "subagent": e.subagent.as_ref().map(|s| json!({
            "id": s.id,
            "description": s.description,
            "path": s.path.as_ref().map(|p| p.to_string_lossy()),
        })),
        "saved_output": e.saved_output.as_ref().map(|p| p.to_string_lossy()),
        "beadboard": run,
    })
}

impl Printer {
    /// A printer of the run named `name` (`reference`) whose lines come from `path`: text, or
    /// JSON (an array, or with `follow` one entry per line).
    #[must_use]
    pub fn new(json: bool, follow: bool, (name, reference): (String, String), path: &str) -> Self {
        Printer {
            mode: match (json, follow) {
                (false, _) => Mode::Text,
                (true, false) => Mode::Array(JsonItems::default()),
                (true, true) => Mode::Lines,
            },
            run: json!({"name": name, "reference": reference}),
            offset: crate::clock::local_offset(),
            path: path.to_owned(),
            calls: session::CallNames::default(),
        }
    }

    /// True when printing text (a header is wanted).
    #[must_use]
    pub fn is_text(&self) -> bool {
        matches!(self.mode, Mode::Text)
    }

    /// Whether `l` is printed on stdout (what `-n` counts): an unreadable line is, in its place,
    /// as text; as JSON it is said on stderr.
    #[must_use]
    pub fn shows(&self, l: &Line) -> bool {
        self.is_text() || !matches!(l.content, LineContent::Unreadable { .. })
    }

    /// Prints one line.
    ///
    /// # Errors
    /// Output that cannot be written (a reader gone away is a quiet end).
    pub fn line(&mut self, out: &mut Out, l: &Line) -> Result<(), CliError> {
        match &l.content {
            LineContent::Entry(entry) => match &mut self.mode {
                Mode::Text => agentpair_text(out, entry, self.offset),
                mode => emit(out, mode, &agentpair_json(entry, &self.run)),
            },
            LineContent::Session(e) => {
                self.calls.note(e);
                let mut named;
                let e = if e.tool.is_none() {
                    named = (**e).clone();
                    self.calls.name(&mut named);
                    &named
                } else {
                    &**e
                };
                match &mut self.mode {
                    Mode::Text => session_text(out, e, self.offset),
                    mode => emit(out, mode, &entry_json(e, &self.run)),
                }
            }
            LineContent::Unreadable { problem, preview } => {
                let place = l.place();
                if self.is_text() {
                    outln!(
                        out,
                        "          ⚠ {place} unreadable: {problem}: {}",
                        sanitize::one_line(preview)
                    )
                } else {
                    errln!("beadboard: {} {place}: unreadable: {problem}", self.path);
                    Ok(())
                }
            }
        }
    }

    /// Says on stderr that the file was truncated or replaced and is read again.
    pub fn reset(&self) {
        errln!(
            "beadboard: {} was truncated or replaced; reading it again from the start",
            self.path
        );
    }

    /// Ends what was printed so far (closes a JSON array) and sends it; what follows is
    /// printed one entry per line.
    ///
    /// # Errors
    /// As [`Printer::line`].
    pub fn finish(&mut self, out: &mut Out) -> Result<(), CliError> {
        if let Mode::Array(items) = &mut self.mode {
            std::mem::take(items).end(out)?;
            self.mode = Mode::Lines;
        }
        out.flush()
    }
}

fn emit(out: &mut Out, mode: &mut Mode, value: &Value) -> Result<(), CliError> {
    match mode {
        Mode::Array(items) => items.item(out, value),
        _ => out.json_line(value),
    }
}

fn agentpair_json(entry: &TranscriptEntry, run: &Value) -> Value {
    let mut value = entry.to_value();
    if let Value::Object(map) = &mut value {
        map.insert("beadboard".to_owned(), run.clone());
    }
    value
}

fn agentpair_text(
    out: &mut Out,
    entry: &TranscriptEntry,
    offset: chrono::FixedOffset,
) -> Result<(), CliError> {
    let s = summary::summarize(entry);
    let when = if entry.timestamp.timestamp() > 0 {
        time::stamp(
            entry.timestamp.with_timezone(&Utc),
            crate::clock::now(),
            offset,
        )
    } else {
        "--:--:--".to_owned()
    };
    let iteration = if entry.iteration > 0 {
        format!("#{}", entry.iteration)
    } else {
        String::new()
    };
    let agent = sanitize::one_line(&entry.agent);
    let head = if s.body.is_some() && entry.entry_type == EntryType::Result {
        format!("({})", time::humanize_nanos(entry.duration))
    } else {
        s.headline.clone()
    };
    outln!(
        out,
        "{when}  {:>4}  {}  {} {}  {head}",
        iteration,
        text::fit(&agent, 7),
        s.glyph,
        text::fit(&s.label, 9)
    )?;
    if let Some(body) = &s.body {
        for line in body.trim_end().lines() {
            outln!(out, "            │ {line}")?;
        }
    }
    Ok(())
}

/// One session entry as a line of text (and its body below).
fn session_text(out: &mut Out, e: &Entry, offset: chrono::FixedOffset) -> Result<(), CliError> {
    let s = session::summarize(e);
    let when = e.time.map_or_else(
        || "--:--:--".to_owned(),
        |t| time::stamp(t, crate::clock::now(), offset),
    );
    let label = format!("{} {}", s.glyph, text::fit(&s.label, 9));
    let indent = if e.kind == EntryKind::ToolResult {
        " "
    } else {
        ""
    };
    // With a body, its first line heads the entry and the rest follows below.
    let head = s
        .body
        .as_deref()
        .and_then(|b| b.lines().next())
        .map_or_else(|| s.headline.clone(), sanitize::one_line);
    outln!(
        out,
        "{when}  {}  {indent}{label}  {head}",
        text::fit(&sanitize::one_line(&e.actor), 7),
    )?;
    if let Some(body) = &s.body {
        for line in body.trim_end().lines().skip(1) {
            outln!(out, "            │ {line}")?;
        }
    }
    for note in session::notes(e) {
        outln!(out, "            │ {note}")?;
    }
    Ok(())
}
