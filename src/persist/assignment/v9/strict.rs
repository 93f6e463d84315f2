//! NTM's strict decoding rules for one store file (its `decodeAssignmentSnapshot`): the
//! session must match, the schema must not be newer than 9, schema 9 must carry a persistence
//! generation and older schemas must not, no record may be `null`, every schema-9 field must
//! have its Go type, and each row's completion outbox must be consistent. The messages are
//! NTM's own, so what the board says matches what `ntm` says.

use super::fields::NtmFields;
use super::status::NtmStatus;
use crate::persist::assignment::StoreDocument;
use crate::persist::gojson::{FieldError, FieldsRef, GoTime, zero_time};
use chrono::Offset;
use serde_json::Value;
use std::collections::BTreeMap;

/// The schema today's NTM writes, and the first with a persistence generation.
pub const SCHEMA: i64 = 9;

fn top_fields(doc: &StoreDocument) -> FieldsRef<'_> {
    FieldsRef::new(&doc.extra)
}

impl StoreDocument {
    /// `persistence_generation` (0 when absent, as Go reads it).
    ///
    /// # Errors
    /// A value that is not an unsigned integer.
    pub fn persistence_generation(&self) -> Result<u64, FieldError> {
        top_fields(self).uint("persistence_generation")
    }

    /// `cleared_generations`: bead → how many explicit clears completed.
    ///
    /// # Errors
    /// A value that is not an object of unsigned integers.
    pub fn cleared_generations(&self) -> Result<BTreeMap<String, u64>, FieldError> {
        top_fields(self).uint_map("cleared_generations")
    }

    /// Sets `persistence_generation` (written where Go writes it, before `updated_at`).
    pub fn set_persistence_generation(&mut self, generation: u64) {
        super::fields::set_key(
            &mut self.extra,
            "persistence_generation",
            Some(Value::from(generation)),
        );
    }
}

fn check_timestamp(name: &str, t: Option<&GoTime>) -> Result<(), String> {
    match t {
        Some(t) if *t != zero_time() => {
            if t.offset().fix().local_minus_utc() == 0 {
                Ok(())
            } else {
                Err(format!("completion {name} timestamp must be UTC"))
            }
        }
        _ => Err(format!("completion {name} timestamp is invalid")),
    }
}

/// NTM's `validateCompletionOutboxAssignment` for one row.
///
/// # Errors
/// NTM's message for the first inconsistency.
pub fn check_outbox(status: Option<NtmStatus>, fields: &NtmFields) -> Result<(), String> {
    let o = &fields.outbox;
    let event = o.pending_completion_event_id.trim();
    let token = o.completion_consumer_token.trim();
    if !o.pending_completion_event_id.is_empty() && event.is_empty() {
        return Err("pending completion event ID is blank".to_owned());
    }
    if !o.completion_consumer_token.is_empty() && token.is_empty() {
        return Err("completion consumer token is blank".to_owned());
    }
    let has_event = !event.is_empty();
    if has_event != o.completion_detected_at.is_some() {
        return Err(
            "pending completion event ID and detection timestamp must appear together".to_owned(),
        );
    }
    let terminal = matches!(status, Some(NtmStatus::Completed | NtmStatus::Failed));
    if o.completion_detected_at.is_some() {
        check_timestamp("detection", o.completion_detected_at.as_ref())?;
        let pending_terminal = o.clear_state.is_some()
            && matches!(o.pending_terminal_status.as_str(), "completed" | "failed");
        if !terminal && !pending_terminal {
            return Err(
                "pending completion event requires a terminal assignment outcome".to_owned(),
            );
        }
    }
    let has_token = !token.is_empty();
    if has_token != o.completion_lease_expires_at.is_some() {
        return Err("completion consumer token and lease expiry must appear together".to_owned());
    }
    if !has_token {
        return Ok(());
    }
    if !has_event {
        return Err("completion consumer lease requires a pending completion event".to_owned());
    }
    if !terminal {
        return Err("completion consumer lease requires a terminal assignment status".to_owned());
    }
    if o.clear_state.is_some() {
        return Err(
            "completion consumer lease requires completed terminal reconciliation".to_owned(),
        );
    }
    check_timestamp("lease expiry", o.completion_lease_expires_at.as_ref())
}

/// Checks a decoded file against NTM's strict rules for session `expected_session`.
///
/// # Errors
/// NTM's message for the first rule broken.
pub fn validate(doc: &StoreDocument, expected_session: &str) -> Result<(), String> {
    let generation = doc.persistence_generation().map_err(|e| e.to_string())?;
    doc.cleared_generations().map_err(|e| e.to_string())?;
    if !expected_session.is_empty() && doc.session_name != expected_session {
        return Err(format!(
            "ledger session {:?} does not match requested session {expected_session:?}",
            doc.session_name
        ));
    }
    if doc.version > SCHEMA {
        return Err(format!(
            "ledger schema version {} is newer than supported version {SCHEMA}",
            doc.version
        ));
    }
    if doc.version >= SCHEMA && generation == 0 {
        return Err(format!(
            "schema version {} is missing persistence generation",
            doc.version
        ));
    }
    if doc.version < SCHEMA && generation != 0 {
        return Err(format!(
            "legacy schema version {} has persistence generation {generation}",
            doc.version
        ));
    }
    if let Some(bead) = doc.null_records.first() {
        return Err(format!(
            "assignment {bead:?} completion outbox: assignment is null"
        ));
    }
    for (bead, record) in &doc.assignments {
        let fields =
            NtmFields::parse(&record.extra).map_err(|e| format!("assignment {bead:?}: {e}"))?;
        check_outbox(NtmStatus::of(&record.status), &fields)
            .map_err(|e| format!("assignment {bead:?} completion outbox: {e}"))?;
    }
    Ok(())
}
