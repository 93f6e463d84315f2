//! The audit log beside the store, `assignments.history.jsonl`: one compact JSON line per
//! change (time, bead, operation, from, to, pane and agent before and after, reason). NTM keeps
//! one record per bead and forgets reassignments; this is where that history lives.

use crate::persist::atomic;
use crate::persist::gojson::{self, Fields, GoTime, ObjectBuilder, Style};
use std::path::Path;

mod follow;

pub use follow::{HistoryCursor, HistoryTail, read_history_since};

/// The history file's name inside a session directory.
pub const HISTORY_FILE: &str = "assignments.history.jsonl";

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRecord {
    /// When the change was committed.
    pub time: GoTime,
    /// The bead.
    pub bead_id: String,
    /// `assign`, `start`, `complete`, `fail`, `retry`, `reassign`, `update_status`, `remove`,
    /// `clear`, and `undo`/`redo` (a move taken back or made again exactly).
    pub op: String,
    /// Status before (empty for a bead that had no record).
    pub from: String,
    /// Status after (empty when the record was removed).
    pub to: String,
    /// Pane before, if there was a record.
    pub pane_before: Option<i64>,
    /// Pane after, if there is a record.
    pub pane_after: Option<i64>,
    /// Agent type before.
    pub agent_type_before: String,
    /// Agent type after.
    pub agent_type_after: String,
    /// Agent name before.
    pub agent_name_before: String,
    /// Agent name after.
    pub agent_name_after: String,
    /// Fail reason or other note.
    pub reason: String,
}

impl HistoryRecord {
    /// The JSONL line (compact, ending in `\n`).
    #[must_use]
    pub fn to_line(&self) -> String {
        let mut b = ObjectBuilder::new()
            .time("time", &self.time)
            .string("bead_id", &self.bead_id)
            .string("op", &self.op)
            .string_omitempty("from", &self.from)
            .string_omitempty("to", &self.to);
        if let Some(p) = self.pane_before {
            b = b.int("pane_before", p);
        }
        if let Some(p) = self.pane_after {
            b = b.int("pane_after", p);
        }
        let value = b
            .string_omitempty("agent_type_before", &self.agent_type_before)
            .string_omitempty("agent_type_after", &self.agent_type_after)
            .string_omitempty("agent_name_before", &self.agent_name_before)
            .string_omitempty("agent_name_after", &self.agent_name_after)
            .string_omitempty("reason", &self.reason)
            .string("by", "beadboard")
            .build();
        let mut line = gojson::encode(&value, Style::LINE);
        line.push('\n');
        line
    }

    fn parse(line: &[u8]) -> Option<HistoryRecord> {
        let value = gojson::parse_document(line).ok()?;
        let mut f = Fields::from_value(value, "history").ok()?;
        let pane = |f: &mut Fields, k: &str| f.take(k).and_then(|v| v.as_i64());
        Some(HistoryRecord {
            time: f.time("time").ok()?,
            bead_id: f.string("bead_id").ok()?,
            op: f.string("op").ok()?,
            from: f.string("from").ok()?,
            to: f.string("to").ok()?,
            pane_before: pane(&mut f, "pane_before"),
            pane_after: pane(&mut f, "pane_after"),
            agent_type_before: f.string("agent_type_before").ok()?,
            agent_type_after: f.string("agent_type_after").ok()?,
            agent_name_before: f.string("agent_name_before").ok()?,
            agent_name_after: f.string("agent_name_after").ok()?,
            reason: f.string("reason").ok()?,
        })
    }
}

/// Appends records, one line each, in a single durable write.
///
/// # Errors
/// Any I/O error.
pub fn append(path: &Path, records: &[HistoryRecord]) -> std::io::Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let text: String = records.iter().map(HistoryRecord::to_line).collect();
    atomic::append_durably(path, text.as_bytes(), 0o644)
}

/// Reads the history leniently (unreadable lines are skipped); missing file = no history.
///
/// # Errors
/// An unreadable file.
pub fn read_history(path: &Path) -> std::io::Result<Vec<HistoryRecord>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(bytes
            .split(|b| *b == b'\n')
            .filter_map(HistoryRecord::parse)
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}
