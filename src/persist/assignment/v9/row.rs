//! One record of a schema-9 store seen the way today's NTM sees it: its status among the
//! seven, its typed fields, its pane identity, whether it is active or blocks the session, and
//! whether (and why not) an action may touch it.

use super::fields::{ClaimState, ClearState, DispatchState, NtmFields};
use super::refusal::{Refusal, RowAction};
use super::status::NtmStatus;
use crate::persist::assignment::Assignment;
use crate::persist::gojson::FieldError;

/// A row's physical tmux pane, as NTM requires it for acting on the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaneIdentity {
    /// A `%N` pane id (from `occupancy_key`, else `dispatch_target`).
    Pane(String),
    /// Neither names a `%N` pane: a legacy row NTM will not act on.
    Missing {
        /// The legacy pane index.
        pane: i64,
        /// `occupancy_key` as stored (may be empty).
        occupancy_key: String,
        /// `dispatch_target` as stored (may be empty).
        dispatch_target: String,
    },
}

impl PaneIdentity {
    /// NTM's own words for a row without a `%N` identity (its `PaneIdentityMigrationError`);
    /// `None` when the row has one.
    #[must_use]
    pub fn migration_error(&self, bead: &str) -> Option<String> {
        match self {
            PaneIdentity::Pane(_) => None,
            PaneIdentity::Missing { pane, .. } => Some(format!(
                "assignment requires canonical pane identity migration: assignment {bead} has \
                 no physical tmux pane ID (legacy pane index {pane}); migrate occupancy_key or \
                 dispatch_target to a %N tmux pane ID"
            )),
        }
    }
}

/// True for a physical tmux pane id as NTM accepts it: `%` then decimal digits, no leading
/// zero, in range.
#[must_use]
pub fn is_pane_id(text: &str) -> bool {
    let text = text.trim();
    let Some(digits) = text.strip_prefix('%') else {
        return false;
    };
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !(digits.len() > 1 && digits.starts_with('0'))
        && digits.parse::<u64>().is_ok()
}

/// A terminal outcome requested for a row and not yet finished by NTM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalRequest {
    /// `completed` or `failed` (as stored).
    pub status: String,
    /// The reason (may be empty).
    pub reason: String,
}

/// A record with its schema-9 fields read.
#[derive(Debug, Clone)]
pub struct NtmRow<'a> {
    /// The record as loaded.
    pub record: &'a Assignment,
    /// Its schema-9 fields (defaults where [`Self::problem`] is set).
    pub fields: NtmFields,
    /// A schema-9 field of the wrong type, if any (NTM's strict load rejects the store).
    pub problem: Option<FieldError>,
}

impl<'a> NtmRow<'a> {
    /// Reads the schema-9 fields of `record`.
    #[must_use]
    pub fn new(record: &'a Assignment) -> NtmRow<'a> {
        match NtmFields::parse(&record.extra) {
            Ok(fields) => NtmRow {
                record,
                fields,
                problem: None,
            },
            Err(e) => NtmRow {
                record,
                fields: NtmFields::default(),
                problem: Some(e),
            },
        }
    }

    /// The bead (the record's map key).
    #[must_use]
    pub fn bead(&self) -> &str {
        &self.record.bead_id
    }

    /// The status, if it is one of NTM's seven.
    #[must_use]
    pub fn status(&self) -> Option<NtmStatus> {
        NtmStatus::of(&self.record.status)
    }

    /// The `%N` pane NTM acts on: `occupancy_key` when set (it must then be `%N`), else
    /// `dispatch_target` when it is `%N`.
    #[must_use]
    pub fn pane_identity(&self) -> PaneIdentity {
        let d = &self.fields.dispatch;
        let occupancy = d.occupancy_key.trim();
        let target = d.target.trim();
        let chosen = if occupancy.is_empty() {
            Some(target).filter(|t| is_pane_id(t))
        } else {
            Some(occupancy).filter(|o| is_pane_id(o))
        };
        match chosen {
            Some(pane) => PaneIdentity::Pane(pane.to_owned()),
            None => PaneIdentity::Missing {
                pane: self.record.pane,
                occupancy_key: d.occupancy_key.clone(),
                dispatch_target: d.target.clone(),
            },
        }
    }

    /// The `%N` pane, if the row has one.
    #[must_use]
    pub fn pane_id(&self) -> Option<String> {
        match self.pane_identity() {
            PaneIdentity::Pane(p) => Some(p),
            PaneIdentity::Missing { .. } => None,
        }
    }

    /// NTM's `ListActive`: claiming, claimed, assigned or working, or being cleared.
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.fields.outbox.clear_state.is_some()
            || self
                .status()
                .is_some_and(|s| s.rank() <= NtmStatus::Working.rank())
    }

    /// True when NTM counts the row as occupying its pane (active, or mid-dispatch).
    #[must_use]
    pub fn occupies_pane(&self) -> bool {
        self.is_active() || self.is_mid_dispatch()
    }

    /// True when the row stops NTM from assigning anything in the session: it occupies a pane
    /// but has no `%N` identity, so NTM cannot tell which pane.
    #[must_use]
    pub fn blocks_session(&self) -> bool {
        self.occupies_pane() && self.pane_id().is_none()
    }

    /// `dispatch_state` is `sending`: the delivery's outcome is unknown.
    #[must_use]
    pub fn is_mid_dispatch(&self) -> bool {
        self.fields.dispatch.state == Some(DispatchState::Sending)
    }

    /// The claim is still being settled (`claiming`).
    #[must_use]
    pub fn claim_state(&self) -> Option<&ClaimState> {
        self.fields.claim.state.as_ref()
    }

    /// The id of a completion event nobody has acknowledged yet.
    #[must_use]
    pub fn unacknowledged_event(&self) -> Option<&str> {
        Some(self.fields.outbox.pending_completion_event_id.trim()).filter(|e| !e.is_empty())
    }

    /// NTM's `ListPendingCompletionEvents` membership: an unacknowledged event on a finished
    /// completed or failed row.
    #[must_use]
    pub fn has_pending_completion_event(&self) -> bool {
        self.unacknowledged_event().is_some()
            && self.fields.outbox.clear_state.is_none()
            && matches!(
                self.status(),
                Some(NtmStatus::Completed | NtmStatus::Failed)
            )
    }

    /// The clear barrier, if set.
    #[must_use]
    pub fn clear_state(&self) -> Option<&ClearState> {
        self.fields.outbox.clear_state.as_ref()
    }

    /// A requested completion or failure that NTM's watcher has not finished yet.
    #[must_use]
    pub fn terminal_request(&self) -> Option<TerminalRequest> {
        let o = &self.fields.outbox;
        (o.clear_state.is_some() && !o.pending_terminal_status.is_empty()).then(|| {
            TerminalRequest {
                status: o.pending_terminal_status.clone(),
                reason: o.pending_terminal_reason.clone(),
            }
        })
    }

    /// NTM's `SameAssignmentGeneration`: the same bead and the same `idempotency_key` (when
    /// either row has one), else the same non-zero `assigned_at`.
    #[must_use]
    pub fn same_generation(&self, other: &NtmRow) -> bool {
        if self.bead() != other.bead() {
            return false;
        }
        let mine = self.fields.claim.idempotency_key.trim();
        let theirs = other.fields.claim.idempotency_key.trim();
        if !mine.is_empty() || !theirs.is_empty() {
            return !mine.is_empty() && mine == theirs;
        }
        self.record.assigned_at != crate::persist::gojson::zero_time()
            && self.record.assigned_at == other.record.assigned_at
    }

    /// Why `action` may not touch this row (`None`: it may). Checked in this order: unreadable
    /// fields, `claiming`, mid-dispatch, an unacknowledged completion event, no `%N` pane
    /// identity, then what the action needs of the status and the clear barrier.
    #[must_use]
    pub fn refusal(&self, action: RowAction) -> Option<Refusal> {
        let bead = self.bead().to_owned();
        if let Some(problem) = &self.problem {
            return Some(Refusal::Unreadable {
                bead,
                problem: problem.to_string(),
            });
        }
        let status = self.status();
        if status == Some(NtmStatus::Claiming) {
            return Some(Refusal::Claiming {
                bead,
                claim_state: self
                    .claim_state()
                    .map_or_else(String::new, |c| c.as_str().to_owned()),
            });
        }
        if self.is_mid_dispatch() {
            return Some(Refusal::MidDispatch {
                bead,
                target: self.fields.dispatch.target.clone(),
            });
        }
        if let Some(event) = self.unacknowledged_event() {
            return Some(Refusal::UnacknowledgedEvent {
                bead,
                event_id: event.to_owned(),
            });
        }
        if let PaneIdentity::Missing { pane, .. } = self.pane_identity() {
            return Some(Refusal::NoPaneIdentity { bead, pane });
        }
        let clearing = self.clear_state().is_some();
        let wrong = |bead: String| Refusal::WrongStatus {
            bead,
            status: self.record.status.as_str().to_owned(),
            action,
        };
        let retiring = |bead: String| Refusal::Retiring {
            bead,
            request: self.terminal_request(),
            clear_state: self
                .clear_state()
                .map_or_else(String::new, |c| c.as_str().to_owned()),
        };
        match action {
            RowAction::Remove => None,
            _ if clearing => Some(retiring(bead)),
            _ if status.is_some_and(|s| action.allowed_from().contains(&s)) => None,
            _ => Some(wrong(bead)),
        }
    }
}
