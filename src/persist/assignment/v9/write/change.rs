//! The two direct changes (start; the complete/fail request), what they require of the row,
//! and how the read-back decides whether they landed.

use super::super::fields::set_key;
use super::super::refusal::{Refusal, RowAction};
use super::super::row::NtmRow;
use super::NtmWriteError;
use crate::persist::assignment::history::HistoryRecord;
use crate::persist::assignment::{Assignment, AssignmentStatus};
use crate::persist::gojson::{GoTime, format_time};
use serde_json::Value;

/// A direct change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// assigned → working, `started_at` now.
    Start,
    /// NTM's terminal-reconciliation request.
    Terminal {
        /// `completed` or `failed`.
        status: &'static str,
        /// The reason (empty: none).
        reason: String,
    },
}

impl Change {
    fn op(&self) -> &'static str {
        match self {
            Change::Start => "start",
            Change::Terminal {
                status: "completed",
                ..
            } => "request-complete",
            Change::Terminal { .. } => "request-fail",
        }
    }

    /// True when `row` already carries exactly this request.
    fn pending_on(&self, row: &NtmRow) -> bool {
        match (self, row.terminal_request()) {
            (Change::Terminal { status, reason }, Some(r)) => {
                r.status == *status && r.reason == *reason
            }
            _ => false,
        }
    }
}

fn describe(row: &NtmRow) -> String {
    let key = row.fields.claim.idempotency_key.trim();
    let generation = if key.is_empty() {
        format!("assigned at {}", format_time(&row.record.assigned_at))
    } else {
        format!("generation {}…", &key[..key.len().min(12)])
    };
    format!("it is now {} ({generation})", row.record.status)
}

/// The generation check and the refusals, on the row as read under the locks.
///
/// # Errors
/// [`NtmWriteError::Superseded`] or [`NtmWriteError::Refused`].
pub fn check(
    current: &NtmRow,
    observed: &NtmRow,
    action: RowAction,
    change: &Change,
) -> Result<(), NtmWriteError> {
    if !current.same_generation(observed) {
        return Err(NtmWriteError::Superseded {
            bead: current.bead().to_owned(),
            now: describe(current),
        });
    }
    match current.refusal(action) {
        Some(Refusal::Retiring { .. }) if change.pending_on(current) => Ok(()),
        Some(refusal) => Err(refusal.into()),
        None => Ok(()),
    }
}

/// The changed record, or `None` when the identical request is already there.
#[must_use]
pub fn apply(current: &Assignment, change: &Change, now: GoTime) -> Option<Assignment> {
    if change.pending_on(&NtmRow::new(current)) {
        return None;
    }
    let mut next = current.clone();
    match change {
        Change::Start => {
            next.status = AssignmentStatus::Working;
            next.started_at = Some(now);
        }
        Change::Terminal { status, reason } => {
            let text = |s: &str| Some(s).filter(|s| !s.is_empty()).map(Value::from);
            let e = &mut next.extra;
            set_key(e, "clear_state", text("reservation_releasing"));
            set_key(e, "clear_started_at", text(&format_time(&now)));
            set_key(e, "clear_error", None);
            set_key(e, "pending_terminal_status", text(status));
            set_key(e, "pending_terminal_reason", text(reason));
            set_key(e, "terminal_claim_released", None);
            set_key(e, "pending_completion_event_id", None);
            set_key(e, "completion_detected_at", None);
            set_key(e, "completion_consumer_token", None);
            set_key(e, "completion_lease_expires_at", None);
        }
    }
    Some(next)
}

/// The audit line for the change.
#[must_use]
pub fn history_record(
    before: &Assignment,
    after: &Assignment,
    change: &Change,
    now: GoTime,
) -> HistoryRecord {
    let reason = match change {
        Change::Start => String::new(),
        Change::Terminal { reason, .. } => reason.clone(),
    };
    HistoryRecord {
        time: now,
        bead_id: before.bead_id.clone(),
        op: change.op().to_owned(),
        from: before.status.as_str().to_owned(),
        to: after.status.as_str().to_owned(),
        pane_before: Some(before.pane),
        pane_after: Some(after.pane),
        agent_type_before: before.agent_type.clone(),
        agent_type_after: after.agent_type.clone(),
        agent_name_before: before.agent_name.clone(),
        agent_name_after: after.agent_name.clone(),
        reason,
    }
}

/// Whether the read-back shows the change: `Ok(note)` if it does (the note says when NTM has
/// already moved the row on), `Err(what the store says)` if not.
///
/// # Errors
/// What the store shows instead of the change.
pub fn landed(
    observed: &Assignment,
    record: Option<&Assignment>,
    change: &Change,
    now: GoTime,
    unchanged: bool,
) -> Result<Option<String>, String> {
    let Some(record) = record else {
        return Err("the row is gone".to_owned());
    };
    let row = NtmRow::new(record);
    if !row.same_generation(&NtmRow::new(observed)) {
        return Err(describe(&row));
    }
    let status = record.status.as_str();
    match change {
        Change::Start if record.started_at == Some(now) => {
            Ok((status != "working").then(|| format!("NTM has since moved it to {status}")))
        }
        Change::Start => Err(format!("it is {status}, not working")),
        Change::Terminal { .. } if change.pending_on(&row) => {
            Ok(unchanged
                .then(|| "the same request was already pending; nothing written".to_owned()))
        }
        Change::Terminal { status: wanted, .. } if status == *wanted => {
            Ok(Some(format!("NTM has already finished it: {status}")))
        }
        Change::Terminal { .. } => Err(format!(
            "it is {status} with no pending request (NTM's merge keeps a terminal status already on disk)"
        )),
    }
}
