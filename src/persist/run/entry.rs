//! `run.TranscriptEntry` and `run.EntryType`: one line of `transcript.jsonl`.

use super::State;
use crate::persist::gojson::{self, Fields, GoTime, Object, ObjectBuilder, Style};
use std::fmt;

mod fast;

/// What a transcript entry records. Unknown type strings load as [`EntryType::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EntryType {
    /// The run started (prompt and metadata).
    Start,
    /// An iteration began.
    Iteration,
    /// Defined by agentpair but never written.
    Message,
    /// A request was sent to an agent.
    Execute,
    /// An agent's output.
    Result,
    /// A DONE / PASS / FAIL signal.
    Signal,
    /// A run state change.
    State,
    /// An error.
    Error,
    /// The run ended.
    End,
    /// Any other type string.
    Other(String),
}

impl EntryType {
    /// Reads a type string; never fails.
    #[must_use]
    pub fn parse(text: &str) -> EntryType {
        match text {
            "start" => EntryType::Start,
            "iteration" => EntryType::Iteration,
            "message" => EntryType::Message,
            "execute" => EntryType::Execute,
            "result" => EntryType::Result,
            "signal" => EntryType::Signal,
            "state" => EntryType::State,
            "error" => EntryType::Error,
            "end" => EntryType::End,
            other => EntryType::Other(other.to_owned()),
        }
    }

    /// The string written to disk.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            EntryType::Start => "start",
            EntryType::Iteration => "iteration",
            EntryType::Message => "message",
            EntryType::Execute => "execute",
            EntryType::Result => "result",
            EntryType::Signal => "signal",
            EntryType::State => "state",
            EntryType::Error => "error",
            EntryType::End => "end",
            EntryType::Other(s) => s,
        }
    }
}

impl fmt::Display for EntryType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of the audit log. Empty fields are omitted on write, as Go's `omitempty` does.
#[derive(Debug, Clone, PartialEq)]
pub struct TranscriptEntry {
    /// The kind of entry.
    pub entry_type: EntryType,
    /// When it was appended (set by `Transcript::append`).
    pub timestamp: GoTime,
    /// The run id (set by `Transcript::append`).
    pub run_id: i64,
    /// The loop iteration (0 = none).
    pub iteration: i64,
    /// The agent (`codex`, `claude`, `loop`, ...).
    pub agent: String,
    /// The run state, for `state` and `end` entries.
    pub state: Option<State>,
    /// Prompt, message count, or the agent's full output.
    pub content: String,
    /// DONE / PASS / FAIL.
    pub signal: String,
    /// Error text.
    pub error: String,
    /// A Go `time.Duration`: integer nanoseconds (0 = none).
    pub duration: i64,
    /// Free-form metadata (only on `start`); written with sorted keys.
    pub metadata: Object,
    /// Keys agentpair does not know, kept as read.
    pub extra: Object,
}

impl TranscriptEntry {
    /// An entry of the given type with every other field empty.
    #[must_use]
    pub fn new(entry_type: EntryType) -> TranscriptEntry {
        TranscriptEntry {
            entry_type,
            timestamp: gojson::zero_time(),
            run_id: 0,
            iteration: 0,
            agent: String::new(),
            state: None,
            content: String::new(),
            signal: String::new(),
            error: String::new(),
            duration: 0,
            metadata: Object::new(),
            extra: Object::new(),
        }
    }

    /// Decodes one JSON value with Go's rules, keeping unknown keys.
    ///
    /// # Errors
    /// A non-object or a field of the wrong type.
    pub fn from_value(value: serde_json::Value) -> Result<TranscriptEntry, gojson::FieldError> {
        let mut f = Fields::from_value(value, "entry")?;
        let state = f.string("state")?;
        Ok(TranscriptEntry {
            entry_type: EntryType::parse(&f.string("type")?),
            timestamp: f.time("timestamp")?,
            run_id: f.int("run_id")?,
            iteration: f.int("iteration")?,
            agent: f.string("agent")?,
            state: (!state.is_empty()).then(|| State::parse(&state)),
            content: f.string("content")?,
            signal: f.string("signal")?,
            error: f.string("error")?,
            duration: f.int("duration")?,
            metadata: f.object("metadata")?,
            extra: f.into_rest(),
        })
    }

    /// Parses one line (without its newline; a trailing `\r` is tolerated).
    ///
    /// # Errors
    /// A message saying what is wrong with the line.
    pub fn parse_line(line: &[u8]) -> Result<TranscriptEntry, String> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        // Valid UTF-8 (nearly always) is checked fast; anything else becomes U+FFFD, as in Go.
        let text = std::str::from_utf8(line).map_or_else(
            |_| String::from_utf8_lossy(line),
            std::borrow::Cow::Borrowed,
        );
        if let Some(entry) = fast::parse(&text) {
            return Ok(entry);
        }
        let value = gojson::parse_document(text.as_bytes()).map_err(|e| e.to_string())?;
        TranscriptEntry::from_value(value).map_err(|e| e.to_string())
    }

    /// The entry as an ordered JSON object in Go's field order.
    #[must_use]
    pub fn to_value(&self) -> serde_json::Value {
        ObjectBuilder::new()
            .string("type", self.entry_type.as_str())
            .time("timestamp", &self.timestamp)
            .int("run_id", self.run_id)
            .int_omitempty("iteration", self.iteration)
            .string_omitempty("agent", &self.agent)
            .string_omitempty("state", self.state.as_ref().map_or("", State::as_str))
            .string_omitempty("content", &self.content)
            .string_omitempty("signal", &self.signal)
            .string_omitempty("error", &self.error)
            .int_omitempty("duration", self.duration)
            .map_omitempty("metadata", &self.metadata)
            .extra(&self.extra)
            .build()
    }

    /// The JSONL line: compact, `<>&` not escaped, ending in `\n`.
    #[must_use]
    pub fn to_line(&self) -> String {
        let mut line = gojson::encode(&self.to_value(), Style::LINE);
        line.push('\n');
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_line_round_trips() {
        let line = r#"{"type":"result","timestamp":"2026-03-30T09:15:45.925360352Z","run_id":3,"iteration":1,"agent":"codex","content":"a & <b>\n\u001b[31m","duration":221513278708}"#;
        let e = TranscriptEntry::parse_line(line.as_bytes()).unwrap();
        assert_eq!(e.entry_type, EntryType::Result);
        assert_eq!(e.duration, 221_513_278_708);
        assert_eq!(e.to_line(), format!("{line}\n"));
    }

    #[test]
    fn unknown_types_load() {
        let e = TranscriptEntry::parse_line(br#"{"type":"tool_call","run_id":1,"tool":"bash"}"#)
            .unwrap();
        assert_eq!(e.entry_type, EntryType::Other("tool_call".into()));
        assert!(e.to_line().contains(r#""tool":"bash""#));
        assert!(TranscriptEntry::parse_line(b"null").is_err());
        assert!(TranscriptEntry::parse_line(br#"{"run_id":"x"}"#).is_err());
    }
}
