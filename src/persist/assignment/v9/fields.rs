//! The per-row fields today's NTM adds to a record, in four groups (claim, reservation,
//! dispatch, clear/terminal outbox), read in typed form from the record's unknown keys with
//! Go's rules. The keys stay in the record as read, so a row round-trips byte for byte; a
//! change goes through [`set_key`], which puts a key where Go's struct order puts it.

pub use super::states::{ClaimState, ClearState, DispatchState, ReservationState};

use crate::persist::gojson::{FieldError, FieldsRef, GoTime, Object};
use serde_json::Value;

/// Idempotency and the external claim.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Claim {
    /// `idempotency_key`: the identity of this assignment generation (64 hex digits).
    pub idempotency_key: String,
    /// `claim_actor` (`<base>/ntm-<12 hex>`).
    pub actor: String,
    /// `claim_state`.
    pub state: Option<ClaimState>,
    /// `claim_status` (the tracker's status after the claim, e.g. `in_progress`).
    pub status: String,
    /// `claim_attempts`.
    pub attempts: i64,
    /// `claim_started_at`.
    pub started_at: Option<GoTime>,
    /// `claim_error`.
    pub error: String,
    /// `claimed_at`.
    pub claimed_at: Option<GoTime>,
    /// `claim_requires_non_terminal`.
    pub requires_non_terminal: bool,
}

/// The Agent Mail file reservation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reservation {
    /// `reservation_required`.
    pub required: bool,
    /// `reservation_discovery`.
    pub discovery: bool,
    /// `reservation_input_paths`.
    pub input_paths: Vec<String>,
    /// `reservation_state`.
    pub state: Option<ReservationState>,
    /// `reservation_attempts`.
    pub attempts: i64,
    /// `reservation_started_at`.
    pub started_at: Option<GoTime>,
    /// `reservation_completed`.
    pub completed: bool,
    /// `reservation_agent`.
    pub agent: String,
    /// `reservation_target`.
    pub target: String,
    /// `reservation_requested`.
    pub requested: Vec<String>,
    /// `reserved_paths`.
    pub reserved_paths: Vec<String>,
    /// `reservation_ids`.
    pub ids: Vec<i64>,
    /// `reservation_expires_at`.
    pub expires_at: Option<GoTime>,
    /// `reservation_error`.
    pub error: String,
}

/// Delivery of the prompt into the pane.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dispatch {
    /// `dispatch_state`.
    pub state: Option<DispatchState>,
    /// `dispatch_target` (normally a `%N` pane id).
    pub target: String,
    /// `occupancy_key` (the physical pane, `%N`).
    pub occupancy_key: String,
    /// `prompt_sha256`.
    pub prompt_sha256: String,
    /// `intent_sha256`.
    pub intent_sha256: String,
    /// `pending_prompt` (the prompt not yet delivered).
    pub pending_prompt: String,
    /// `dispatch_attempts`.
    pub attempts: i64,
    /// `dispatch_started_at`.
    pub started_at: Option<GoTime>,
    /// `dispatched_at`.
    pub dispatched_at: Option<GoTime>,
    /// `dispatch_receipt_id` (`<target>/<protocol>/<idempotency_key>`).
    pub receipt_id: String,
    /// `dispatch_duration`, a Go duration in nanoseconds.
    pub duration_nanos: i64,
    /// `last_dispatch_error`.
    pub last_error: String,
}

/// The clear barrier, a requested terminal outcome, and the completion-event outbox.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outbox {
    /// `clear_state`: set while claims and leases are being released.
    pub clear_state: Option<ClearState>,
    /// `clear_started_at`.
    pub clear_started_at: Option<GoTime>,
    /// `clear_error`.
    pub clear_error: String,
    /// `pending_terminal_status` (completed or failed) requested for this generation.
    pub pending_terminal_status: String,
    /// `pending_terminal_reason`.
    pub pending_terminal_reason: String,
    /// `terminal_claim_released`.
    pub terminal_claim_released: bool,
    /// `pending_completion_event_id` (`<bead>/<generation>/<status>`), not yet acknowledged.
    pub pending_completion_event_id: String,
    /// `completion_detected_at`.
    pub completion_detected_at: Option<GoTime>,
    /// `completion_consumer_token`.
    pub completion_consumer_token: String,
    /// `completion_lease_expires_at`.
    pub completion_lease_expires_at: Option<GoTime>,
}

/// Every schema-9 field of one row, typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NtmFields {
    /// Idempotency and claim.
    pub claim: Claim,
    /// File reservation.
    pub reservation: Reservation,
    /// Prompt dispatch.
    pub dispatch: Dispatch,
    /// Clear / terminal outbox.
    pub outbox: Outbox,
}

/// The schema-9 record keys, in the Go struct's order (after the seed's `prompt_sent`).
pub const KEYS: [&str; 45] = [
    "idempotency_key",
    "claim_actor",
    "claim_state",
    "claim_status",
    "claim_attempts",
    "claim_started_at",
    "claim_error",
    "claimed_at",
    "claim_requires_non_terminal",
    "reservation_required",
    "reservation_discovery",
    "reservation_input_paths",
    "reservation_state",
    "reservation_attempts",
    "reservation_started_at",
    "reservation_completed",
    "reservation_agent",
    "reservation_target",
    "reservation_requested",
    "reserved_paths",
    "reservation_ids",
    "reservation_expires_at",
    "reservation_error",
    "dispatch_state",
    "dispatch_target",
    "occupancy_key",
    "prompt_sha256",
    "intent_sha256",
    "pending_prompt",
    "dispatch_attempts",
    "dispatch_started_at",
    "dispatched_at",
    "dispatch_receipt_id",
    "dispatch_duration",
    "last_dispatch_error",
    "clear_state",
    "clear_started_at",
    "clear_error",
    "pending_terminal_status",
    "pending_terminal_reason",
    "terminal_claim_released",
    "pending_completion_event_id",
    "completion_detected_at",
    "completion_consumer_token",
    "completion_lease_expires_at",
];

impl NtmFields {
    /// Reads the schema-9 fields out of a record's unknown keys (which are left as they are).
    ///
    /// # Errors
    /// A field of the wrong type, named (Go's strict load rejects such a store).
    pub fn parse(extra: &Object) -> Result<NtmFields, FieldError> {
        let mut f = FieldsRef::new(extra);
        let claim = Claim {
            idempotency_key: f.string("idempotency_key")?,
            actor: f.string("claim_actor")?,
            state: ClaimState::parse(&f.string("claim_state")?),
            status: f.string("claim_status")?,
            attempts: f.int("claim_attempts")?,
            started_at: f.optional_time("claim_started_at")?,
            error: f.string("claim_error")?,
            claimed_at: f.optional_time("claimed_at")?,
            requires_non_terminal: f.bool("claim_requires_non_terminal")?,
        };
        let reservation = Reservation {
            required: f.bool("reservation_required")?,
            discovery: f.bool("reservation_discovery")?,
            input_paths: f.strings("reservation_input_paths")?,
            state: ReservationState::parse(&f.string("reservation_state")?),
            attempts: f.int("reservation_attempts")?,
            started_at: f.optional_time("reservation_started_at")?,
            completed: f.bool("reservation_completed")?,
            agent: f.string("reservation_agent")?,
            target: f.string("reservation_target")?,
            requested: f.strings("reservation_requested")?,
            reserved_paths: f.strings("reserved_paths")?,
            ids: f.ints("reservation_ids")?,
            expires_at: f.optional_time("reservation_expires_at")?,
            error: f.string("reservation_error")?,
        };
        let dispatch = Dispatch {
            state: DispatchState::parse(&f.string("dispatch_state")?),
            target: f.string("dispatch_target")?,
            occupancy_key: f.string("occupancy_key")?,
            prompt_sha256: f.string("prompt_sha256")?,
            intent_sha256: f.string("intent_sha256")?,
            pending_prompt: f.string("pending_prompt")?,
            attempts: f.int("dispatch_attempts")?,
            started_at: f.optional_time("dispatch_started_at")?,
            dispatched_at: f.optional_time("dispatched_at")?,
            receipt_id: f.string("dispatch_receipt_id")?,
            duration_nanos: f.int("dispatch_duration")?,
            last_error: f.string("last_dispatch_error")?,
        };
        let outbox = Outbox {
            clear_state: ClearState::parse(&f.string("clear_state")?),
            clear_started_at: f.optional_time("clear_started_at")?,
            clear_error: f.string("clear_error")?,
            pending_terminal_status: f.string("pending_terminal_status")?,
            pending_terminal_reason: f.string("pending_terminal_reason")?,
            terminal_claim_released: f.bool("terminal_claim_released")?,
            pending_completion_event_id: f.string("pending_completion_event_id")?,
            completion_detected_at: f.optional_time("completion_detected_at")?,
            completion_consumer_token: f.string("completion_consumer_token")?,
            completion_lease_expires_at: f.optional_time("completion_lease_expires_at")?,
        };
        Ok(NtmFields {
            claim,
            reservation,
            dispatch,
            outbox,
        })
    }
}

/// Sets (or, with `None`, removes) a schema-9 key of a record, as Go would write it: every
/// other spelling of the key (Go matches keys ignoring case) is removed, and the key goes
/// before the first known key that follows it in the struct, so every other key keeps its
/// place. `None` is Go's `omitempty` for a zero value.
pub fn set_key(extra: &mut Object, key: &str, value: Option<Value>) {
    let spellings: Vec<String> = extra
        .keys()
        .filter(|k| k.eq_ignore_ascii_case(key))
        .cloned()
        .collect();
    for k in spellings {
        extra.shift_remove(&k);
    }
    let Some(value) = value else {
        return;
    };
    let rank = |k: &str| KEYS.iter().position(|known| *known == k);
    let mine = rank(key).unwrap_or(KEYS.len());
    let at = extra
        .keys()
        .position(|k| rank(k).is_some_and(|r| r > mine))
        .unwrap_or(extra.len());
    extra.shift_insert(at, key.to_owned(), value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_go_where_go_writes_them() {
        let Value::Object(mut extra) = json!({
            "idempotency_key": "k", "dispatch_state": "sent", "mine": 1,
            "pending_completion_event_id": "e", "Clear_Error": "x"
        }) else {
            unreachable!()
        };
        set_key(
            &mut extra,
            "clear_state",
            Some(json!("reservation_releasing")),
        );
        set_key(&mut extra, "clear_error", None);
        let keys: Vec<&str> = extra.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "idempotency_key",
                "dispatch_state",
                "mine",
                "clear_state",
                "pending_completion_event_id"
            ]
        );
    }

    #[test]
    fn typed_groups_and_wrong_types() {
        let Value::Object(extra) = json!({
            "claim_state": "unknown", "reservation_ids": [101], "dispatch_duration": 5,
            "clear_state": "leases_released", "claim_attempts": 2, "weird": true
        }) else {
            unreachable!()
        };
        let f = NtmFields::parse(&extra).unwrap();
        assert_eq!(f.claim.state, Some(ClaimState::Unknown));
        assert_eq!(f.claim.attempts, 2);
        assert_eq!(f.reservation.ids, vec![101]);
        assert_eq!(f.dispatch.duration_nanos, 5);
        assert_eq!(f.outbox.clear_state, Some(ClearState::LeasesReleased));
        assert_eq!(
            DispatchState::parse("later"),
            Some(DispatchState::Other("later".into()))
        );
        let Value::Object(bad) = json!({"claim_attempts": "2"}) else {
            unreachable!()
        };
        assert_eq!(NtmFields::parse(&bad).unwrap_err().field, "claim_attempts");
    }
}
