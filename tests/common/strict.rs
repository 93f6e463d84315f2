//! NTM's strict load rules for a schema-9 pair (`assignments.json` and `.bak`), as
//! ntm-store.md §2 and ntm-v9.md state them, written out independently of beadboard's own
//! reader: Go's MarshalIndent layout, every field's type, and which of the two files NTM takes.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Map, Value};
use std::fs;
use std::path::Path;

const STRINGS: [&str; 27] = [
    "bead_id",
    "bead_title",
    "agent_type",
    "agent_name",
    "status",
    "fail_reason",
    "failure_reason",
    "prompt_sent",
    "idempotency_key",
    "claim_actor",
    "claim_state",
    "claim_status",
    "claim_error",
    "reservation_state",
    "reservation_agent",
    "reservation_target",
    "reservation_error",
    "dispatch_state",
    "dispatch_target",
    "occupancy_key",
    "prompt_sha256",
    "intent_sha256",
    "pending_prompt",
    "dispatch_receipt_id",
    "last_dispatch_error",
    "clear_state",
    "clear_error",
];
const MORE_STRINGS: [&str; 4] = [
    "pending_terminal_status",
    "pending_terminal_reason",
    "pending_completion_event_id",
    "completion_consumer_token",
];
const INTS: [&str; 6] = [
    "pane",
    "retry_count",
    "claim_attempts",
    "reservation_attempts",
    "dispatch_attempts",
    "dispatch_duration",
];
const BOOLS: [&str; 5] = [
    "claim_requires_non_terminal",
    "reservation_required",
    "reservation_discovery",
    "reservation_completed",
    "terminal_claim_released",
];
const TIMES: [&str; 13] = [
    "assigned_at",
    "started_at",
    "completed_at",
    "failed_at",
    "claim_started_at",
    "claimed_at",
    "reservation_started_at",
    "reservation_expires_at",
    "dispatch_started_at",
    "dispatched_at",
    "clear_started_at",
    "completion_detected_at",
    "completion_lease_expires_at",
];
const STRING_LISTS: [&str; 4] = [
    "reservation_input_paths",
    "reservation_requested",
    "reserved_paths",
    "reservation_ids",
];

fn text<'a>(r: &'a Map<String, Value>, k: &str) -> &'a str {
    r.get(k).and_then(Value::as_str).unwrap_or("").trim()
}

fn check_record(bead: &str, r: &Value) -> Result<(), String> {
    let r = r
        .as_object()
        .ok_or(format!("{bead}: a record must be an object (never null)"))?;
    for k in STRINGS.iter().chain(MORE_STRINGS.iter()) {
        if r.get(*k).is_some_and(|v| !v.is_string()) {
            return Err(format!("{bead}.{k}: not a string"));
        }
    }
    for k in INTS {
        if r.get(k).is_some_and(|v| v.as_i64().is_none()) {
            return Err(format!("{bead}.{k}: not an integer"));
        }
    }
    for k in BOOLS {
        if r.get(k).is_some_and(|v| !v.is_boolean()) {
            return Err(format!("{bead}.{k}: not a boolean"));
        }
    }
    for k in TIMES {
        if let Some(v) = r.get(k) {
            let t = v.as_str().ok_or(format!("{bead}.{k}: not a time"))?;
            chrono::DateTime::parse_from_rfc3339(t).map_err(|e| format!("{bead}.{k}: {e}"))?;
        }
    }
    for k in STRING_LISTS {
        if r.get(k).is_some_and(|v| !v.is_array()) {
            return Err(format!("{bead}.{k}: not an array"));
        }
    }
    // The completion outbox must be consistent; its timestamps must be UTC.
    let status = text(r, "status");
    let terminal = status == "completed" || status == "failed";
    let event = !text(r, "pending_completion_event_id").is_empty();
    let detected = r.get("completion_detected_at").and_then(Value::as_str);
    if event != detected.is_some() {
        return Err(format!(
            "{bead}: completion event and its detection time must come together"
        ));
    }
    if let Some(t) = detected {
        if !t.ends_with('Z') {
            return Err(format!("{bead}: completion detection time must be UTC"));
        }
        let pending = matches!(text(r, "pending_terminal_status"), "completed" | "failed")
            && !text(r, "clear_state").is_empty();
        if !terminal && !pending {
            return Err(format!(
                "{bead}: a completion event needs a terminal outcome"
            ));
        }
    }
    let token = !text(r, "completion_consumer_token").is_empty();
    let lease = r.get("completion_lease_expires_at").and_then(Value::as_str);
    if token != lease.is_some() {
        return Err(format!(
            "{bead}: consumer token and lease expiry must come together"
        ));
    }
    if token && (!event || !terminal || !text(r, "clear_state").is_empty()) {
        return Err(format!(
            "{bead}: a consumer lease needs a finished terminal event"
        ));
    }
    if lease.is_some_and(|t| !t.ends_with('Z')) {
        return Err(format!("{bead}: lease expiry must be UTC"));
    }
    Ok(())
}

/// One file's rules; returns its persistence generation.
fn check_file(bytes: &[u8], session: &str) -> Result<u64, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
    if !text.starts_with("{\n  \"session_name\": ") || text.ends_with('\n') {
        return Err("not Go's MarshalIndent layout".to_owned());
    }
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let top = v.as_object().ok_or("not an object")?;
    let order: Vec<&str> = top.keys().map(String::as_str).collect();
    let want: Vec<&str> = [
        "session_name",
        "assignments",
        "cleared_generations",
        "persistence_generation",
        "updated_at",
        "version",
    ]
    .into_iter()
    .filter(|k| top.contains_key(*k))
    .collect();
    if order != want {
        return Err(format!("top-level keys out of Go's order: {order:?}"));
    }
    if top.get("session_name").and_then(Value::as_str) != Some(session) {
        return Err("session_name is not the session".to_owned());
    }
    let version = top
        .get("version")
        .and_then(Value::as_i64)
        .ok_or("no integer version")?;
    let generation = match top.get("persistence_generation") {
        None => 0,
        Some(g) => g.as_u64().ok_or("persistence_generation is not a uint64")?,
    };
    if version > 9 {
        return Err("schema newer than 9".to_owned());
    }
    if version >= 9 && generation == 0 {
        return Err("schema 9 without a persistence generation".to_owned());
    }
    if version < 9 && generation != 0 {
        return Err("a legacy schema with a persistence generation".to_owned());
    }
    if let Some(cleared) = top.get("cleared_generations") {
        let ok = cleared
            .as_object()
            .is_some_and(|m| m.values().all(|g| g.as_u64().is_some()));
        if !ok {
            return Err("cleared_generations is not a map of uint64".to_owned());
        }
    }
    match top.get("assignments") {
        Some(Value::Object(records)) => {
            for (bead, r) in records {
                check_record(bead, r)?;
            }
        }
        Some(Value::Null) | None => {}
        Some(_) => return Err("assignments is not an object".to_owned()),
    }
    Ok(generation)
}

/// NTM's strict load of the pair; returns the generation it would use.
pub fn strict_rules(dir: &Path, session: &str) -> Result<u64, String> {
    let read = |name: &str| fs::read(dir.join(name)).ok();
    let (primary, backup) = (read("assignments.json"), read("assignments.json.bak"));
    let pg = primary
        .as_deref()
        .map(|b| check_file(b, session))
        .transpose()
        .map_err(|e| format!("primary: {e}"))?;
    let bg = backup
        .as_deref()
        .map(|b| check_file(b, session))
        .transpose()
        .map_err(|e| format!("backup: {e}"))?;
    match (pg, bg) {
        (None, None) => Ok(0),
        (None, Some(1)) => Ok(1),
        (None, Some(g)) => Err(format!("primary missing, backup generation {g} is not 1")),
        (Some(p), None) => Ok(p),
        (Some(p), Some(b)) if b == p + 1 => Ok(b),
        (Some(p), Some(b)) if b > p => Err(format!("backup {b} skips past primary {p}")),
        (Some(p), Some(b)) if b < p => Ok(p),
        (Some(p), Some(_)) if primary == backup => Ok(p),
        (Some(p), Some(_)) => Err(format!("diverged at generation {p}")),
    }
}
