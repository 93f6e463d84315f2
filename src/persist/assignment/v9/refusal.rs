//! Why beadboard will not act on a schema-9 row, in words a user can act on.

use super::row::TerminalRequest;
use super::status::NtmStatus;
use std::fmt;

/// What a user may ask of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowAction {
    /// assigned → working (a direct write).
    Start,
    /// Request completion (a direct write of NTM's terminal-reconciliation request).
    Complete,
    /// Request failure with a reason (the same request).
    Fail,
    /// Move the bead to another pane (`ntm assign --reassign`, or clear then assign).
    Reassign,
    /// A failed bead again (`ntm assign --retry`).
    Retry,
    /// Clear the bead's assignment (`ntm assign --clear`).
    Remove,
}

impl RowAction {
    /// The word for the action.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RowAction::Start => "start",
            RowAction::Complete => "complete",
            RowAction::Fail => "fail",
            RowAction::Reassign => "reassign",
            RowAction::Retry => "retry",
            RowAction::Remove => "remove",
        }
    }

    /// The statuses the action applies to (NTM's own rules: start is its `MarkWorkingIfCurrent`,
    /// complete and fail its terminal-reconciliation barrier, reassign its `--reassign` from
    /// working or clear-then-assign from assigned, retry its `--retry`, remove its `--clear`).
    #[must_use]
    pub fn allowed_from(self) -> &'static [NtmStatus] {
        use NtmStatus::{Assigned, Claimed, Completed, Failed, Reassigned, Working};
        match self {
            RowAction::Start => &[Assigned],
            // NTM's transitions have no claimed → completed (its watcher would never finish
            // that request: `Mark*IfCurrent` reports not_applied), but claimed → failed.
            RowAction::Complete => &[Assigned, Working],
            RowAction::Fail => &[Claimed, Assigned, Working],
            RowAction::Reassign => &[Assigned, Working],
            RowAction::Retry => &[Failed],
            RowAction::Remove => &[Claimed, Assigned, Working, Completed, Failed, Reassigned],
        }
    }
}

impl fmt::Display for RowAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reason not to touch a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A schema-9 field has the wrong type.
    Unreadable {
        /// The bead.
        bead: String,
        /// Which field and why.
        problem: String,
    },
    /// The row is `claiming`: NTM has not settled the external claim.
    Claiming {
        /// The bead.
        bead: String,
        /// `claim_state` (may be empty).
        claim_state: String,
    },
    /// `dispatch_state` is `sending`: the prompt's delivery outcome is unknown.
    MidDispatch {
        /// The bead.
        bead: String,
        /// `dispatch_target`.
        target: String,
    },
    /// A completion event nobody has acknowledged.
    UnacknowledgedEvent {
        /// The bead.
        bead: String,
        /// `pending_completion_event_id`.
        event_id: String,
    },
    /// Neither `occupancy_key` nor `dispatch_target` is a `%N` pane id.
    NoPaneIdentity {
        /// The bead.
        bead: String,
        /// The legacy pane index.
        pane: i64,
    },
    /// A clear or terminal request is in progress.
    Retiring {
        /// The bead.
        bead: String,
        /// The requested outcome, if any.
        request: Option<TerminalRequest>,
        /// `clear_state`.
        clear_state: String,
    },
    /// The action does not apply to the row's status.
    WrongStatus {
        /// The bead.
        bead: String,
        /// The row's status.
        status: String,
        /// The action asked for.
        action: RowAction,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Unreadable { bead, problem } => write!(
                f,
                "{bead} cannot be read as NTM reads it ({problem}); NTM refuses this store too"
            ),
            Refusal::Claiming { bead, claim_state } => {
                let claim = if claim_state.is_empty() {
                    "unsettled"
                } else {
                    claim_state
                };
                write!(
                    f,
                    "{bead} is claiming (claim {claim}): NTM has not settled its claim in br; \
                     nothing may act on it until NTM does"
                )
            }
            Refusal::MidDispatch { bead, target } => write!(
                f,
                "{bead} is mid-dispatch (sending → {}): whether the prompt arrived is unknown \
                 until NTM reconciles it",
                if target.is_empty() { "?" } else { target }
            ),
            Refusal::UnacknowledgedEvent { bead, event_id } => write!(
                f,
                "{bead} has an unacknowledged completion event ({event_id}): NTM keeps it as \
                 it is until the event's consumer acknowledges it"
            ),
            Refusal::NoPaneIdentity { bead, pane } => write!(
                f,
                "{bead} has no %N pane identity (legacy pane index {pane}): NTM refuses to \
                 act on it until occupancy_key or dispatch_target names a %N tmux pane id"
            ),
            Refusal::Retiring {
                bead,
                request: Some(r),
                ..
            } => {
                let what = if r.status == "completed" {
                    "completion"
                } else {
                    "failure"
                };
                write!(
                    f,
                    "{bead} already has a {what} requested: NTM's watcher (ntm assign --watch) \
                     or coordinator finishes it"
                )
            }
            Refusal::Retiring {
                bead, clear_state, ..
            } => write!(
                f,
                "{bead} is being cleared ({clear_state}): NTM is releasing its claim and leases"
            ),
            Refusal::WrongStatus {
                bead,
                status,
                action,
            } => {
                let allowed: Vec<&str> = action.allowed_from().iter().map(|s| s.as_str()).collect();
                write!(
                    f,
                    "{bead} is {status}: {action} applies to {} rows",
                    allowed.join(" or ")
                )
            }
        }
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every status an action that moves a row applies to is one NTM's `ValidTransitions`
    /// allows that move from (reassign from `assigned` is clear-then-assign, not a move).
    #[test]
    fn actions_apply_only_where_ntm_allows_the_move() {
        let moves = [
            (RowAction::Start, NtmStatus::Working),
            (RowAction::Complete, NtmStatus::Completed),
            (RowAction::Fail, NtmStatus::Failed),
            (RowAction::Retry, NtmStatus::Assigned),
        ];
        for (action, to) in moves {
            for from in action.allowed_from() {
                assert!(from.can_move_to(to), "{action} from {from}");
            }
        }
        assert!(NtmStatus::Working.can_move_to(NtmStatus::Reassigned));
        assert!(
            !RowAction::Complete
                .allowed_from()
                .contains(&NtmStatus::Claimed)
        );
    }
}
