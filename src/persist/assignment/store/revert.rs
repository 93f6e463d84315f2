//! Taking a move back exactly (undo), and making it again exactly (redo): a compare-and-restore
//! under the lock. Every change a store makes is kept as a [`RecordChange`] (the record before
//! and after, and the document's `updated_at` before and after); [`AssignmentStore::revert`]
//! puts the record back as it was before, provided the record on disk is still byte for byte
//! what the change left, and otherwise refuses, naming what differs and who changed it as far
//! as the history log says. Nothing else is touched: no counter goes up, no time is set anew,
//! and when nobody saved the store since, its `updated_at` goes back too, so the file is
//! exactly what it was. Each is logged to the history as `undo` or `redo`.

use super::AssignmentStore;
use super::change::history_record;
use crate::persist::assignment::history::{HistoryRecord, read_history};
use crate::persist::assignment::{Assignment, StoreError};
use crate::persist::gojson::{self, GoTime, Style};
use serde_json::Value;
use std::path::Path;

/// What one change did to one record: enough to take it back exactly, or to make it again.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordChange {
    /// The bead.
    pub bead_id: String,
    /// Its record before (`None`: it had none).
    pub before: Option<Assignment>,
    /// Its record after (`None`: it was removed).
    pub after: Option<Assignment>,
    /// The store's `updated_at` before (`None`: there was no store file).
    pub updated_before: Option<GoTime>,
    /// The store's `updated_at` the change wrote.
    pub updated_after: GoTime,
    /// The operation, as the history log names it (`start`, `undo`, …).
    pub op: String,
    /// When it was made (its history entry's time).
    pub time: GoTime,
}

/// A record's exact bytes (what "still exactly what the move wrote" compares).
fn bytes_of(record: Option<&Assignment>) -> Option<String> {
    record.map(|r| gojson::encode(&r.to_value(), Style::LINE))
}

/// A value in a few characters, or `None` when it is too long to be worth quoting.
fn short(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (text.chars().count() <= 24 && !text.contains('\n')).then_some(text)
}

/// What differs between the record a change left (`was`) and the one found, field by field:
/// `status working → completed, completed_at set`.
#[must_use]
pub fn describe_difference(was: Option<&Assignment>, found: Option<&Assignment>) -> String {
    let (was, found) = match (was, found) {
        (Some(w), Some(f)) => (w.to_value(), f.to_value()),
        (Some(_), None) => return "the record was removed".to_owned(),
        (None, Some(f)) => return format!("it has a record again, {}", f.status),
        (None, None) => return "nothing".to_owned(),
    };
    let (Value::Object(was), Value::Object(found)) = (was, found) else {
        return "the record".to_owned();
    };
    let mut keys: Vec<&String> = was.keys().collect();
    keys.extend(found.keys().filter(|k| !was.contains_key(*k)));
    let parts: Vec<String> = keys
        .into_iter()
        .filter_map(|k| match (was.get(k), found.get(k)) {
            (Some(a), Some(b)) if a == b => None,
            (Some(a), Some(b)) => Some(match (short(a), short(b)) {
                (Some(a), Some(b)) => format!("{k} {a} → {b}"),
                _ => format!("{k} changed"),
            }),
            (None, Some(_)) => Some(format!("{k} set")),
            (Some(_), None) => Some(format!("{k} cleared")),
            (None, None) => None,
        })
        .collect();
    if parts.is_empty() {
        // Same values, different bytes (a time written with another offset, say).
        "its bytes differ".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Who changed the bead since `change`, as far as the history log says.
fn changed_by(history: &Path, change: &RecordChange) -> String {
    let records = read_history(history).unwrap_or_default();
    let own = |r: &&HistoryRecord| {
        r.bead_id == change.bead_id && r.time == change.time && r.op == change.op
    };
    // Entries after the change's own (in file order; by time if its own is not there).
    let since: Vec<&HistoryRecord> = match records.iter().rposition(|r| own(&r)) {
        Some(at) => records[at + 1..].iter().collect(),
        None => records.iter().filter(|r| r.time > change.time).collect(),
    };
    let later = since
        .into_iter()
        .rev()
        .find(|r| r.bead_id == change.bead_id);
    match later {
        Some(r) => format!(
            "by beadboard's {} at {} (history log)",
            r.op,
            gojson::format_time(&r.time)
        ),
        None => "not by beadboard (nothing in the history log since; NTM or another program?)"
            .to_owned(),
    }
}

impl AssignmentStore {
    /// Takes `change` back (undo) or, for the change an undo made, makes the move again (redo):
    /// under the lock, if the bead's record on disk is still exactly `change.after`, it becomes
    /// `change.before` again, and the store's `updated_at` goes back to `change.updated_before`
    /// when nobody saved the store since `change` (else it is now). Logged as `undo` or `redo`;
    /// returns the record as it is now. Not an upstream method; the file stays one upstream
    /// reads as written.
    ///
    /// # Errors
    /// [`StoreError::Changed`] when the record changed since (nothing written); read-only,
    /// lock and I/O errors.
    pub fn revert(
        &mut self,
        change: &RecordChange,
        redo: bool,
    ) -> Result<Option<Assignment>, StoreError> {
        let (op, done) = if redo {
            ("redo", "redone")
        } else {
            ("undo", "undone")
        };
        let path = self.path().to_path_buf();
        let history = self.history_path();
        let bead = change.bead_id.as_str();
        self.change_stamped(None, |doc, now| {
            let found = doc.assignments.get(bead);
            if bytes_of(found) != bytes_of(change.after.as_ref()) {
                return Err(StoreError::Changed {
                    path: path.clone(),
                    bead_id: bead.to_owned(),
                    what: describe_difference(change.after.as_ref(), found),
                    by: changed_by(&history, change),
                    op: done,
                });
            }
            match &change.before {
                Some(record) => {
                    doc.assignments.insert(bead.to_owned(), record.clone());
                }
                None => {
                    doc.assignments.remove(bead);
                }
            }
            let untouched =
                gojson::format_time(&doc.updated_at) == gojson::format_time(&change.updated_after);
            let stamp = change.updated_before.filter(|_| untouched);
            let log = history_record(
                op,
                bead,
                change.after.as_ref(),
                change.before.as_ref(),
                "",
                now,
            );
            Ok((change.before.clone(), vec![log], stamp))
        })
    }
}
