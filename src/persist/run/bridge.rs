//! `bridge.jsonl`: agent-to-agent messages, with agentpair's message id algorithm. We only
//! create the empty file (as `Manager.Create` does), append messages in the demo, and count
//! them for display; a bad line is counted, never fatal (agentpair's own reader fails on it).

use super::{RunError, transcript::JSONL_MODE};
use crate::persist::gojson::{self, Fields, GoTime, Object, ObjectBuilder, Style};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// One bridge message. Field order is the Go struct's.
#[derive(Debug, Clone, PartialEq)]
pub struct BridgeMessage {
    /// 64 hex digits: SHA-256 of the message's identifying fields (see [`message_id`]).
    pub id: String,
    /// `task`, `result`, `review`, `signal` or `chat`.
    pub message_type: String,
    /// Sender (`system`, `codex`, `claude`, ...).
    pub from: String,
    /// Recipient; empty means everyone (omitted when empty).
    pub to: String,
    /// Always written, possibly empty.
    pub content: String,
    /// DONE / PASS / FAIL on `signal` messages (omitted when empty).
    pub signal: String,
    /// Omitted when empty.
    pub metadata: Object,
    /// Creation time.
    pub timestamp: GoTime,
    /// The run id.
    pub run_id: i64,
    /// Always written; 0 for the initial task.
    pub iteration: i64,
    /// Unknown keys, kept as read.
    pub extra: Object,
}

impl BridgeMessage {
    /// A message created now, as agentpair's `NewMessage` does (id filled in on send).
    #[must_use]
    pub fn new(
        message_type: &str,
        from: &str,
        to: &str,
        content: &str,
        iteration: i64,
    ) -> BridgeMessage {
        BridgeMessage {
            id: String::new(),
            message_type: message_type.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
            content: content.to_owned(),
            signal: String::new(),
            metadata: Object::new(),
            timestamp: gojson::now(),
            run_id: 0,
            iteration,
            extra: Object::new(),
        }
    }

    /// The message as an ordered JSON object.
    #[must_use]
    pub fn to_value(&self) -> Value {
        ObjectBuilder::new()
            .string("id", &self.id)
            .string("type", &self.message_type)
            .string("from", &self.from)
            .string_omitempty("to", &self.to)
            .string("content", &self.content)
            .string_omitempty("signal", &self.signal)
            .map_omitempty("metadata", &self.metadata)
            .time("timestamp", &self.timestamp)
            .int("run_id", self.run_id)
            .int("iteration", self.iteration)
            .extra(&self.extra)
            .build()
    }

    /// Decodes one line with Go's rules.
    ///
    /// # Errors
    /// A message saying what is wrong with the line.
    pub fn parse_line(line: &[u8]) -> Result<BridgeMessage, String> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let value = gojson::parse_document(line).map_err(|e| e.to_string())?;
        let mut f = Fields::from_value(value, "message").map_err(|e| e.to_string())?;
        let read = |f: &mut Fields| -> Result<BridgeMessage, gojson::FieldError> {
            Ok(BridgeMessage {
                id: f.string("id")?,
                message_type: f.string("type")?,
                from: f.string("from")?,
                to: f.string("to")?,
                content: f.string("content")?,
                signal: f.string("signal")?,
                metadata: f.object("metadata")?,
                timestamp: f.time("timestamp")?,
                run_id: f.int("run_id")?,
                iteration: f.int("iteration")?,
                extra: Object::new(),
            })
        };
        let mut message = read(&mut f).map_err(|e| e.to_string())?;
        message.extra = f.into_rest();
        Ok(message)
    }
}

/// agentpair's message id: SHA-256 (hex) of the compact, HTML-escaped Go encoding of
/// `{"type","from","to","content","signal","ts"}`, where `ts` is the timestamp in Unix
/// nanoseconds.
#[must_use]
pub fn message_id(message: &BridgeMessage) -> String {
    let ts = message.timestamp.timestamp_nanos_opt().unwrap_or(0);
    let input = ObjectBuilder::new()
        .string("type", &message.message_type)
        .string("from", &message.from)
        .string("to", &message.to)
        .string("content", &message.content)
        .string("signal", &message.signal)
        .int("ts", ts)
        .build();
    let digest = Sha256::digest(gojson::encode(&input, Style::COMPACT_HTML).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Message counts, as agentpair's `Bridge.Status` reports them, plus unreadable lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BridgeStatus {
    /// Readable messages.
    pub total_messages: usize,
    /// Messages per sender.
    pub by_agent: BTreeMap<String, usize>,
    /// Messages per type.
    pub by_type: BTreeMap<String, usize>,
    /// A `signal` message with DONE exists.
    pub has_done_signal: bool,
    /// `signal` messages with PASS.
    pub pass_count: usize,
    /// `signal` messages with FAIL.
    pub fail_count: usize,
    /// Lines that are not valid messages (agentpair would fail the run on its next drain).
    pub unreadable_lines: usize,
}

/// A run's bridge file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bridge {
    path: PathBuf,
    run_id: i64,
}

impl Bridge {
    /// The bridge at `path` for run `run_id`.
    #[must_use]
    pub fn new(path: impl Into<PathBuf>, run_id: i64) -> Bridge {
        Bridge {
            path: path.into(),
            run_id,
        }
    }

    /// The file path.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Creates the file empty if it does not exist (as opening it for append does upstream).
    ///
    /// # Errors
    /// Any I/O error.
    pub fn open(&self) -> Result<(), RunError> {
        OpenOptions::new()
            .create(true)
            .append(true)
            .mode(JSONL_MODE)
            .open(&self.path)
            .map(drop)
            .map_err(RunError::io(&self.path))
    }

    /// Appends a message: forces the run id, computes the id, writes one line and fsyncs.
    ///
    /// # Errors
    /// An I/O error or a line of 10 MiB or more.
    pub fn send(&self, message: &mut BridgeMessage) -> Result<(), RunError> {
        message.run_id = self.run_id;
        message.id = message_id(message);
        let mut line = gojson::encode(&message.to_value(), Style::LINE);
        line.push('\n');
        super::transcript::append_line(&self.path, &line)
    }

    /// Every readable message, and the number of unreadable lines (blank lines are skipped).
    ///
    /// # Errors
    /// An unreadable file (a missing one has no messages).
    pub fn read_all(&self) -> Result<(Vec<BridgeMessage>, usize), RunError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
            Err(e) => {
                return Err(RunError::Io {
                    path: self.path.clone(),
                    source: e,
                });
            }
        };
        let mut messages = Vec::new();
        let mut bad = 0;
        for line in bytes
            .split(|b| *b == b'\n')
            .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        {
            match BridgeMessage::parse_line(line) {
                Ok(m) => messages.push(m),
                Err(_) => bad += 1,
            }
        }
        Ok((messages, bad))
    }

    /// `Status`: counts by sender and type, and signal counts.
    ///
    /// # Errors
    /// An unreadable file.
    pub fn status(&self) -> Result<BridgeStatus, RunError> {
        let (messages, unreadable_lines) = self.read_all()?;
        let mut status = BridgeStatus {
            total_messages: messages.len(),
            unreadable_lines,
            ..BridgeStatus::default()
        };
        for m in &messages {
            *status.by_agent.entry(m.from.clone()).or_default() += 1;
            *status.by_type.entry(m.message_type.clone()).or_default() += 1;
            if m.message_type == "signal" {
                match m.signal.as_str() {
                    "DONE" => status.has_done_signal = true,
                    "PASS" => status.pass_count += 1,
                    "FAIL" => status.fail_count += 1,
                    _ => {}
                }
            }
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_agentpair_example() {
        let line = r#"{"id":"443e8a9e6e3ddd0612fb8b751ce2f3a61b49dbe046d7b19dfb302ced02e5f584","type":"task","from":"system","to":"codex","content":"Add rate limiting to POST /api/login (5 attempts per minute per client IP) & cover it with tests","timestamp":"2026-03-30T09:12:04.408737745Z","run_id":3,"iteration":0}"#;
        let m = BridgeMessage::parse_line(line.as_bytes()).unwrap();
        assert_eq!(message_id(&m), m.id);
        assert_eq!(gojson::encode(&m.to_value(), Style::LINE), line);
    }

    #[test]
    fn send_and_status() {
        let dir = tempfile::tempdir().unwrap();
        let b = Bridge::new(dir.path().join("bridge.jsonl"), 4);
        b.open().unwrap();
        assert_eq!(b.status().unwrap().total_messages, 0);
        let mut m = BridgeMessage::new("result", "codex", "claude", "done <x>", 1);
        b.send(&mut m).unwrap();
        let mut s = BridgeMessage::new("signal", "claude", "", "", 1);
        s.signal = "PASS".into();
        b.send(&mut s).unwrap();
        std::fs::write(dir.path().join("x"), "").unwrap();
        let status = b.status().unwrap();
        assert_eq!(status.total_messages, 2);
        assert_eq!(status.pass_count, 1);
        assert_eq!(status.by_agent.get("codex"), Some(&1));
        let (read, _) = b.read_all().unwrap();
        assert_eq!(read[0].run_id, 4);
        assert_eq!(message_id(&read[0]), read[0].id);
    }
}
