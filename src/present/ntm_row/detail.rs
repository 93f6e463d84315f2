//! The card detail's lines for a row of today's NTM (schema 9): labelled facts about its
//! status, pane identity, generation, claim, reservation (with its paths), dispatch, clear
//! barrier, requested outcome and completion event, with times relative to the `now` the
//! caller draws at.

use super::{status_glyph, target};
use crate::persist::assignment::v9::{ClearState, NtmRow, PaneIdentity};
use crate::persist::gojson::GoTime;
use crate::present::{sanitize, time};
use chrono::{DateTime, Utc};

fn when(now: DateTime<Utc>, t: Option<&GoTime>) -> Option<String> {
    t.map(|t| time::ago(now, t.to_utc()))
}

fn joined(parts: Vec<Option<String>>) -> String {
    parts.into_iter().flatten().collect::<Vec<_>>().join(", ")
}

/// An idempotency key as the detail shows it: its first 8 and last 4 characters (NTM's keys
/// are 64 hex digits; two generations of one bead differ anywhere in them).
fn short_key(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() <= 13 {
        return sanitize::one_line(key);
    }
    let head: String = chars[..8].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    sanitize::one_line(&format!("{head}…{tail}"))
}

/// An event id (`<bead>/<idempotency key>/<status>`) with its key shortened.
fn short_event(event: &str) -> String {
    match event.split('/').collect::<Vec<_>>().as_slice() {
        [bead, key, status] => sanitize::one_line(&format!("{bead}/{}/{status}", short_key(key))),
        _ => sanitize::one_line(event),
    }
}

/// Labelled lines for the card detail (label, text), relative to `now`.
#[must_use]
pub fn detail_facts(row: &NtmRow, now: DateTime<Utc>) -> Vec<(&'static str, String)> {
    let f = &row.fields;
    let mut out: Vec<(&'static str, String)> = Vec::new();
    if let Some(s) = row.status() {
        out.push(("status", format!("{} {s}", status_glyph(s))));
    }
    if let Some(problem) = &row.problem {
        out.push((
            "unreadable",
            sanitize::one_line(&format!("{problem}; NTM's strict read refuses the store")),
        ));
    }
    let pane = match row.pane_identity() {
        PaneIdentity::Pane(p) => format!("{p} (pane index {})", row.record.pane),
        missing => {
            let why = missing.migration_error(row.bead()).unwrap_or_default();
            let blocks = if row.blocks_session() {
                "⊗ blocks NTM's assignments in this session: "
            } else {
                "⊗ "
            };
            sanitize::one_line(&format!("{blocks}{why}"))
        }
    };
    out.push(("pane", pane));
    let key = f.claim.idempotency_key.trim();
    if !key.is_empty() {
        out.push(("generation", short_key(key)));
    }
    if f.claim.state.is_some() || !f.claim.actor.is_empty() {
        out.push((
            "claim",
            joined(vec![
                f.claim.state.as_ref().map(|c| c.as_str().to_owned()),
                (!f.claim.actor.is_empty())
                    .then(|| format!("by {}", sanitize::one_line(&f.claim.actor))),
                (f.claim.attempts > 1).then(|| format!("{} attempts", f.claim.attempts)),
                when(now, f.claim.claimed_at.as_ref()).map(|t| format!("claimed {t}")),
            ]),
        ));
    }
    if !f.claim.error.is_empty() {
        out.push(("claim error", sanitize::one_line(&f.claim.error)));
    }
    if let Some(state) = &f.reservation.state {
        let listed = if f.reservation.reserved_paths.is_empty() {
            &f.reservation.requested
        } else {
            &f.reservation.reserved_paths
        };
        out.push((
            "reservation",
            joined(vec![
                Some(state.as_str().to_owned()),
                (!listed.is_empty()).then(|| sanitize::one_line(&listed.join(" "))),
                when(now, f.reservation.expires_at.as_ref()).map(|t| format!("expires {t}")),
            ]),
        ));
    }
    if !f.reservation.error.is_empty() {
        out.push((
            "reservation error",
            sanitize::one_line(&f.reservation.error),
        ));
    }
    if let Some(state) = &f.dispatch.state {
        out.push((
            "dispatch",
            joined(vec![
                Some(format!(
                    "{} → {}",
                    state.as_str(),
                    target(&f.dispatch.target)
                )),
                (f.dispatch.attempts > 1).then(|| format!("{} attempts", f.dispatch.attempts)),
                when(now, f.dispatch.dispatched_at.as_ref()).map(|t| format!("sent {t}")),
                (f.dispatch.duration_nanos > 0)
                    .then(|| format!("took {}", time::humanize_nanos(f.dispatch.duration_nanos))),
            ]),
        ));
    }
    if !f.dispatch.last_error.is_empty() {
        out.push(("dispatch error", sanitize::one_line(&f.dispatch.last_error)));
    }
    if !f.dispatch.pending_prompt.is_empty() {
        out.push((
            "pending prompt",
            sanitize::one_line(&f.dispatch.pending_prompt),
        ));
    }
    if let Some(state) = &f.outbox.clear_state {
        let word = match state {
            ClearState::ReservationReleasing => "releasing reservations",
            ClearState::LeasesReleased => "leases released",
            ClearState::Other(s) => s.as_str(),
        };
        out.push((
            "clear",
            joined(vec![
                Some(word.to_owned()),
                when(now, f.outbox.clear_started_at.as_ref()).map(|t| format!("since {t}")),
            ]),
        ));
    }
    if !f.outbox.clear_error.is_empty() {
        out.push(("clear error", sanitize::one_line(&f.outbox.clear_error)));
    }
    if let Some(r) = row.terminal_request() {
        let what = if r.status == "completed" {
            "completion"
        } else {
            "failure"
        };
        let reason = if r.reason.is_empty() {
            String::new()
        } else {
            format!(": {}", sanitize::one_line(&r.reason))
        };
        out.push((
            "requested",
            format!("⇥ {what}{reason}; NTM's watcher or coordinator finishes it"),
        ));
    }
    if let Some(event) = row.unacknowledged_event() {
        out.push((
            "completion event",
            joined(vec![
                Some(format!("✉ {} unacknowledged", short_event(event))),
                when(now, f.outbox.completion_detected_at.as_ref())
                    .map(|t| format!("detected {t}")),
            ]),
        ));
    }
    out
}
