//! What a card and the card detail say about a row of today's NTM (schema 9): the short facts
//! that explain what NTM is doing with it (claim, dispatch, reservation, clear, requested
//! outcome, completion event, pane identity), and labelled detail lines. No terminal code; the
//! caller draws them, and passes `now` at draw time so relative times are true when shown.
//! Agent- and tool-written text passes through [`sanitize::one_line`].

use crate::persist::assignment::v9::{
    ClearState, DispatchState, NtmRow, NtmSource, NtmStatus, NtmView, PaneIdentity,
    ReservationState,
};
use crate::present::{sanitize, time};
use chrono::{DateTime, Utc};

/// How much a fact asks for attention (every tone also has words, never colour alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tone {
    /// Plain information.
    Info,
    /// NTM is in the middle of something for this row.
    Pending,
    /// Something the user should look at.
    Warn,
    /// NTM (and so beadboard) will not act on the row, or the session, until it is resolved.
    Block,
}

/// One short fact about a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// How much it asks for attention.
    pub tone: Tone,
    /// The words, e.g. `dispatch pending → %12`.
    pub text: String,
}

fn fact(tone: Tone, text: impl Into<String>) -> Fact {
    Fact {
        tone,
        text: text.into(),
    }
}

/// The glyph of each of NTM's seven statuses (the seed's five keep NTM's own ○ ▶ ✓ ✗ →).
#[must_use]
pub fn status_glyph(status: NtmStatus) -> &'static str {
    match status {
        NtmStatus::Claiming => "◌",
        NtmStatus::Claimed => "◍",
        NtmStatus::Assigned => "○",
        NtmStatus::Working => "▶",
        NtmStatus::Completed => "✓",
        NtmStatus::Failed => "✗",
        NtmStatus::Reassigned => "→",
    }
}

fn paths(n: usize) -> String {
    if n == 1 {
        "1 path".to_owned()
    } else {
        format!("{n} paths")
    }
}

fn target(text: &str) -> String {
    if text.trim().is_empty() {
        "?".to_owned()
    } else {
        sanitize::one_line(text.trim())
    }
}

/// A warning `label: text` when `text` is not empty.
fn warn_if(out: &mut Vec<Fact>, label: &str, text: &str) {
    if !text.is_empty() {
        out.push(fact(
            Tone::Warn,
            format!("{label}: {}", sanitize::one_line(text)),
        ));
    }
}

/// The short facts a card shows, most important first.
#[must_use]
pub fn card_facts(row: &NtmRow) -> Vec<Fact> {
    let mut out = Vec::new();
    let f = &row.fields;
    if let Some(problem) = &row.problem {
        out.push(fact(
            Tone::Block,
            format!("unreadable: {}", sanitize::one_line(&problem.to_string())),
        ));
    }
    match row.pane_identity() {
        PaneIdentity::Missing { pane, .. } if row.blocks_session() => out.push(fact(
            Tone::Block,
            format!("no %N pane identity (pane {pane}): blocks NTM's assignments in this session"),
        )),
        PaneIdentity::Missing { pane, .. } => {
            out.push(fact(
                Tone::Warn,
                format!("no %N pane identity (legacy pane {pane})"),
            ));
        }
        PaneIdentity::Pane(_) => {}
    }
    if row.unacknowledged_event().is_some() {
        out.push(fact(Tone::Warn, "unacknowledged completion event"));
    }
    match (row.terminal_request(), &f.outbox.clear_state) {
        (Some(r), _) if r.status == "completed" => {
            out.push(fact(Tone::Pending, "completion requested"))
        }
        (Some(r), _) if r.reason.is_empty() => out.push(fact(Tone::Pending, "failure requested")),
        (Some(r), _) => out.push(fact(
            Tone::Pending,
            format!("failure requested: {}", sanitize::one_line(&r.reason)),
        )),
        (None, Some(state)) => {
            out.push(fact(Tone::Pending, format!("clearing: {}", state.as_str())))
        }
        (None, None) => {}
    }
    warn_if(&mut out, "clear failed", &f.outbox.clear_error);
    if row.status() == Some(NtmStatus::Claiming) {
        let claim = f.claim.state.as_ref().map_or("unsettled", |c| c.as_str());
        out.push(fact(Tone::Block, format!("claiming: {claim} claim")));
    }
    match &f.dispatch.state {
        Some(DispatchState::Sending) => out.push(fact(
            Tone::Block,
            format!(
                "dispatch sending → {} (outcome unknown)",
                target(&f.dispatch.target)
            ),
        )),
        Some(DispatchState::Pending) => out.push(fact(
            Tone::Pending,
            format!("dispatch pending → {}", target(&f.dispatch.target)),
        )),
        _ => {}
    }
    if f.dispatch.state != Some(DispatchState::Sent) {
        warn_if(&mut out, "dispatch error", &f.dispatch.last_error);
    }
    match &f.reservation.state {
        Some(ReservationState::Reserved) => out.push(fact(
            Tone::Info,
            format!(
                "reservation reserved: {}",
                paths(f.reservation.reserved_paths.len())
            ),
        )),
        Some(ReservationState::Released) | None => {}
        // Without `reservation_required`, NTM records `pending` for a lease it never needs.
        Some(_) if !f.reservation.required => {}
        Some(other) => out.push(fact(
            if matches!(other, ReservationState::Failed | ReservationState::Unknown) {
                Tone::Warn
            } else {
                Tone::Pending
            },
            format!("reservation {}", other.as_str()),
        )),
    }
    warn_if(&mut out, "reservation error", &f.reservation.error);
    out
}

fn when(now: DateTime<Utc>, t: Option<&crate::persist::gojson::GoTime>) -> Option<String> {
    t.map(|t| time::ago(now, t.to_utc()))
}

fn joined(parts: Vec<Option<String>>) -> String {
    parts.into_iter().flatten().collect::<Vec<_>>().join(", ")
}

/// Labelled lines for the card detail (label, text), relative to `now`.
#[must_use]
pub fn detail_facts(row: &NtmRow, now: DateTime<Utc>) -> Vec<(&'static str, String)> {
    let f = &row.fields;
    let mut out: Vec<(&'static str, String)> = Vec::new();
    if let Some(s) = row.status() {
        out.push(("status", format!("{} {s}", status_glyph(s))));
    }
    let pane = match row.pane_identity() {
        PaneIdentity::Pane(p) => p,
        missing => sanitize::one_line(&missing.migration_error(row.bead()).unwrap_or_default()),
    };
    out.push(("pane", pane));
    let key = f.claim.idempotency_key.trim();
    if !key.is_empty() {
        out.push(("generation", format!("{}…", &key[..key.len().min(12)])));
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
            format!("{what}{reason}; NTM's watcher or coordinator finishes it"),
        ));
    }
    if let Some(event) = row.unacknowledged_event() {
        out.push((
            "completion event",
            joined(vec![
                Some(format!("{} unacknowledged", sanitize::one_line(event))),
                when(now, f.outbox.completion_detected_at.as_ref())
                    .map(|t| format!("detected {t}")),
            ]),
        ));
    }
    out
}

/// Facts about the store as a whole: where the shown content came from, why NTM refuses it,
/// and which rows block NTM's assignments in the session.
#[must_use]
pub fn store_facts(view: &NtmView) -> Vec<Fact> {
    let mut out = vec![fact(
        Tone::Info,
        format!("schema 9 · generation {}", view.generation()),
    )];
    match &view.choice.source {
        NtmSource::BackupAhead { primary_generation } => out.push(fact(
            Tone::Pending,
            format!("showing the backup: one generation ahead of the primary ({primary_generation}); NTM promotes it on its next load"),
        )),
        NtmSource::BackupOnly => out.push(fact(Tone::Pending, "showing the backup: NTM's first save, primary not written yet")),
        NtmSource::BackupInstead => out.push(fact(Tone::Warn, "showing the backup: the primary cannot be used")),
        NtmSource::Primary | NtmSource::Empty => {}
    }
    if let Some(why) = &view.choice.refusal {
        out.push(fact(
            Tone::Block,
            format!(
                "read-only: NTM refuses this store: {}",
                sanitize::one_line(why)
            ),
        ));
    }
    let blocking = view.blocking_rows();
    if !blocking.is_empty() {
        out.push(fact(
            Tone::Block,
            format!(
                "{} without a %N pane identity: NTM refuses new assignments in this session",
                sanitize::one_line(&blocking.join(", "))
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests;
