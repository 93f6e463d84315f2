//! The seven statuses of today's NTM, their board order, and NTM's merge rank.

use crate::persist::assignment::AssignmentStatus;
use std::fmt;

/// A status of today's NTM (schema 9). The seed's [`AssignmentStatus`] keeps `claiming` and
/// `claimed` as [`AssignmentStatus::Other`]; [`NtmStatus::of`] names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NtmStatus {
    /// A durable intent exists; the outcome of the external `br` claim may need reconciling.
    Claiming,
    /// The bead is claimed; reservation or dispatch may still be pending.
    Claimed,
    /// The prompt was sent; waiting for the agent to start.
    Assigned,
    /// The agent is working.
    Working,
    /// Closed successfully (terminal).
    Completed,
    /// Crashed or given up (terminal; NTM retries to a new generation).
    Failed,
    /// Moved to another agent (terminal).
    Reassigned,
}

impl NtmStatus {
    /// Every status, in board column order.
    pub const ALL: [NtmStatus; 7] = [
        NtmStatus::Claiming,
        NtmStatus::Claimed,
        NtmStatus::Assigned,
        NtmStatus::Working,
        NtmStatus::Completed,
        NtmStatus::Failed,
        NtmStatus::Reassigned,
    ];

    /// The status named by `status`, if it is one of the seven.
    #[must_use]
    pub fn of(status: &AssignmentStatus) -> Option<NtmStatus> {
        NtmStatus::parse(status.as_str())
    }

    /// Reads a status string.
    #[must_use]
    pub fn parse(text: &str) -> Option<NtmStatus> {
        NtmStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The string on disk.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            NtmStatus::Claiming => "claiming",
            NtmStatus::Claimed => "claimed",
            NtmStatus::Assigned => "assigned",
            NtmStatus::Working => "working",
            NtmStatus::Completed => "completed",
            NtmStatus::Failed => "failed",
            NtmStatus::Reassigned => "reassigned",
        }
    }

    /// The seed type's form of this status.
    #[must_use]
    pub fn to_assignment_status(self) -> AssignmentStatus {
        AssignmentStatus::parse(self.as_str())
    }

    /// Completed, failed or reassigned.
    #[must_use]
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            NtmStatus::Completed | NtmStatus::Failed | NtmStatus::Reassigned
        )
    }

    /// NTM's rank in a merge: claiming 1 < claimed 2 < assigned 3 < working 4 < terminal 5.
    #[must_use]
    pub fn rank(self) -> u8 {
        match self {
            NtmStatus::Claiming => 1,
            NtmStatus::Claimed => 2,
            NtmStatus::Assigned => 3,
            NtmStatus::Working => 4,
            NtmStatus::Completed | NtmStatus::Failed | NtmStatus::Reassigned => 5,
        }
    }

    /// NTM's `ValidTransitions` of schema 9 (claiming has no entry; NTM sets it directly).
    #[must_use]
    pub fn can_move_to(self, to: NtmStatus) -> bool {
        use NtmStatus::{Assigned, Claimed, Completed, Failed, Reassigned, Working};
        matches!(
            (self, to),
            (Claimed, Assigned | Failed)
                | (Assigned, Working | Completed | Failed)
                | (Working, Completed | Failed | Reassigned)
                | (Failed, Assigned)
        )
    }
}

impl fmt::Display for NtmStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_statuses_round_trip_and_rank() {
        for s in NtmStatus::ALL {
            assert_eq!(NtmStatus::parse(s.as_str()), Some(s));
            assert_eq!(NtmStatus::of(&s.to_assignment_status()), Some(s));
        }
        assert_eq!(NtmStatus::parse("queued"), None);
        assert!(NtmStatus::Claiming.rank() < NtmStatus::Working.rank());
        assert!(NtmStatus::Assigned.can_move_to(NtmStatus::Completed));
        assert!(!NtmStatus::Claiming.can_move_to(NtmStatus::Claimed));
    }
}
