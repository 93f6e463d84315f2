//! A card's facts about a row of today's NTM: its badges ([`card_facts`]) and the one longer
//! line it has room for ([`card_note`]).

use super::{
    CLAIM, DISPATCH, ERROR, EVENT, NO_PANE, REQUESTED, RESERVATION, RowFact, Tone, UNREADABLE,
    paths, row_fact, target,
};
use crate::persist::assignment::v9::{
    ClaimState, DispatchState, NtmRow, NtmStatus, PaneIdentity, ReservationState,
};
use crate::present::sanitize;

/// The facts a card shows as badges, most important first: an unreadable row, a missing `%N`
/// pane identity, a requested outcome or a clear under way, an unacknowledged completion event,
/// an unsettled claim, a dispatch not sent, and the file reservation.
#[must_use]
pub fn card_facts(row: &NtmRow) -> Vec<RowFact> {
    let mut out = Vec::new();
    let f = &row.fields;
    if let Some(problem) = &row.problem {
        out.push(row_fact(
            Tone::Block,
            UNREADABLE,
            "unreadable",
            format!("unreadable: {}", sanitize::one_line(&problem.to_string())),
        ));
    }
    match row.pane_identity() {
        PaneIdentity::Missing { pane, .. } if row.blocks_session() => out.push(row_fact(
            Tone::Block,
            NO_PANE,
            "no %N pane",
            format!("no %N pane identity (pane {pane}): blocks NTM's assignments in this session"),
        )),
        PaneIdentity::Missing { pane, .. } => out.push(row_fact(
            Tone::Warn,
            NO_PANE,
            "no %N pane",
            format!("no %N pane identity (legacy pane {pane})"),
        )),
        PaneIdentity::Pane(_) => {}
    }
    match (row.terminal_request(), &f.outbox.clear_state) {
        (Some(r), _) if r.status == "completed" => out.push(row_fact(
            Tone::Pending,
            REQUESTED,
            "completion requested",
            "completion requested",
        )),
        (Some(r), _) if r.reason.is_empty() => out.push(row_fact(
            Tone::Pending,
            REQUESTED,
            "failure requested",
            "failure requested",
        )),
        (Some(r), _) => out.push(row_fact(
            Tone::Pending,
            REQUESTED,
            "failure requested",
            format!("failure requested: {}", sanitize::one_line(&r.reason)),
        )),
        (None, Some(state)) => out.push(row_fact(
            Tone::Pending,
            REQUESTED,
            "clearing",
            format!("clearing: {}", sanitize::one_line(state.as_str())),
        )),
        (None, None) => {}
    }
    if row.unacknowledged_event().is_some() {
        out.push(row_fact(
            Tone::Warn,
            EVENT,
            "unacked event",
            "unacknowledged completion event",
        ));
    }
    let claim = f.claim.state.as_ref().map_or_else(
        || "unsettled".to_owned(),
        |c| sanitize::one_line(c.as_str()),
    );
    let terminal = row.status().is_some_and(NtmStatus::is_terminal);
    if row.status() == Some(NtmStatus::Claiming) {
        out.push(row_fact(
            Tone::Block,
            CLAIM,
            format!("claim {claim}"),
            format!("claiming: {claim} claim"),
        ));
    } else if !terminal && !matches!(f.claim.state, None | Some(ClaimState::Claimed)) {
        out.push(row_fact(
            Tone::Warn,
            CLAIM,
            format!("claim {claim}"),
            format!("claim {claim}"),
        ));
    }
    match &f.dispatch.state {
        Some(DispatchState::Sending) => out.push(row_fact(
            Tone::Block,
            DISPATCH,
            format!("sending {}", target(&f.dispatch.target)),
            format!(
                "dispatch sending → {} (outcome unknown)",
                target(&f.dispatch.target)
            ),
        )),
        Some(DispatchState::Pending) => out.push(row_fact(
            Tone::Pending,
            DISPATCH,
            format!("pending {}", target(&f.dispatch.target)),
            format!("dispatch pending → {}", target(&f.dispatch.target)),
        )),
        _ => {}
    }
    match &f.reservation.state {
        Some(ReservationState::Reserved) => {
            let n = paths(f.reservation.reserved_paths.len());
            out.push(row_fact(
                Tone::Info,
                RESERVATION,
                format!("reserved {n}"),
                format!("reservation reserved: {n}"),
            ));
        }
        Some(ReservationState::Released) | None => {}
        // Without `reservation_required`, NTM records `pending` for a lease it never needs.
        Some(_) if !f.reservation.required => {}
        Some(other) => {
            let (tone, badge) = match other {
                ReservationState::Failed => (Tone::Warn, "reserve failed".to_owned()),
                ReservationState::Unknown => (Tone::Warn, "reserve unknown".to_owned()),
                ReservationState::Pending | ReservationState::Reserving => {
                    (Tone::Pending, "reserving".to_owned())
                }
                ReservationState::Other(s) => (Tone::Warn, format!("reserve {s}")),
                ReservationState::Reserved | ReservationState::Released => {
                    (Tone::Info, String::new())
                }
            };
            out.push(row_fact(
                tone,
                RESERVATION,
                sanitize::one_line(&badge),
                format!("reservation {}", sanitize::one_line(other.as_str())),
            ));
        }
    }
    out
}

/// The one longer line a card has room for: why the row is unreadable, the reason of a
/// requested failure, or an error NTM recorded (clear, claim, dispatch not sent, reservation),
/// the first that applies.
#[must_use]
pub fn card_note(row: &NtmRow) -> Option<RowFact> {
    let f = &row.fields;
    if let Some(problem) = &row.problem {
        let text = sanitize::one_line(&problem.to_string());
        return Some(row_fact(Tone::Block, UNREADABLE, "", text));
    }
    if let Some(r) = row.terminal_request().filter(|r| !r.reason.is_empty()) {
        let text = format!("reason: {}", sanitize::one_line(&r.reason));
        return Some(row_fact(Tone::Pending, REQUESTED, "", text));
    }
    let dispatch_error = if f.dispatch.state == Some(DispatchState::Sent) {
        ""
    } else {
        f.dispatch.last_error.as_str()
    };
    [
        ("clear", f.outbox.clear_error.as_str()),
        ("claim", f.claim.error.as_str()),
        ("dispatch", dispatch_error),
        ("reservation", f.reservation.error.as_str()),
    ]
    .into_iter()
    .find(|(_, e)| !e.trim().is_empty())
    .map(|(what, e)| {
        row_fact(
            Tone::Warn,
            ERROR,
            "",
            format!("{what}: {}", sanitize::one_line(e)),
        )
    })
}
