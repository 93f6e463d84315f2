//! `AssignmentStatus` and the transition table, exactly as NTM's seed-era `ValidTransitions`.

use std::fmt;

/// An assignment's status. Unknown strings (e.g. today's `claiming`/`claimed`) load as
/// [`AssignmentStatus::Other`] and have no legal transitions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AssignmentStatus {
    /// Prompt sent, waiting to start.
    Assigned,
    /// Agent actively working.
    Working,
    /// Bead closed successfully (terminal).
    Completed,
    /// Agent crashed or gave up (retry goes back to assigned).
    Failed,
    /// Moved to a different agent (terminal; the new assignment replaces the record).
    Reassigned,
    /// Any other status string.
    Other(String),
}

/// `ValidTransitions`: the only moves [`super::AssignmentStore::update_status`] accepts.
pub const VALID_TRANSITIONS: [(AssignmentStatus, &[AssignmentStatus]); 5] = [
    (
        AssignmentStatus::Assigned,
        &[AssignmentStatus::Working, AssignmentStatus::Failed],
    ),
    (
        AssignmentStatus::Working,
        &[
            AssignmentStatus::Completed,
            AssignmentStatus::Failed,
            AssignmentStatus::Reassigned,
        ],
    ),
    (AssignmentStatus::Failed, &[AssignmentStatus::Assigned]),
    (AssignmentStatus::Completed, &[]),
    (AssignmentStatus::Reassigned, &[]),
];

/// The statuses `from` may move to (none for unknown statuses).
#[must_use]
pub fn valid_targets(from: &AssignmentStatus) -> &'static [AssignmentStatus] {
    VALID_TRANSITIONS
        .iter()
        .find(|(f, _)| f == from)
        .map_or(&[], |(_, to)| to)
}

/// `isValidTransition`.
#[must_use]
pub fn is_valid_transition(from: &AssignmentStatus, to: &AssignmentStatus) -> bool {
    valid_targets(from).contains(to)
}

impl AssignmentStatus {
    /// The five statuses NTM's seed-era store knows, in board column order.
    pub const KNOWN: [AssignmentStatus; 5] = [
        AssignmentStatus::Assigned,
        AssignmentStatus::Working,
        AssignmentStatus::Completed,
        AssignmentStatus::Failed,
        AssignmentStatus::Reassigned,
    ];

    /// Reads a status string; never fails.
    #[must_use]
    pub fn parse(text: &str) -> AssignmentStatus {
        match text {
            "assigned" => AssignmentStatus::Assigned,
            "working" => AssignmentStatus::Working,
            "completed" => AssignmentStatus::Completed,
            "failed" => AssignmentStatus::Failed,
            "reassigned" => AssignmentStatus::Reassigned,
            other => AssignmentStatus::Other(other.to_owned()),
        }
    }

    /// The string written to disk.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            AssignmentStatus::Assigned => "assigned",
            AssignmentStatus::Working => "working",
            AssignmentStatus::Completed => "completed",
            AssignmentStatus::Failed => "failed",
            AssignmentStatus::Reassigned => "reassigned",
            AssignmentStatus::Other(s) => s,
        }
    }

    /// `ListActive`'s notion of active: assigned or working.
    #[must_use]
    pub fn is_active(&self) -> bool {
        matches!(self, AssignmentStatus::Assigned | AssignmentStatus::Working)
    }
}

impl fmt::Display for AssignmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_upstreams() {
        use AssignmentStatus::*;
        let ok = [
            (Assigned, Working),
            (Assigned, Failed),
            (Working, Completed),
            (Working, Failed),
            (Working, Reassigned),
            (Failed, Assigned),
        ];
        for from in AssignmentStatus::KNOWN {
            for to in AssignmentStatus::KNOWN {
                assert_eq!(
                    is_valid_transition(&from, &to),
                    ok.contains(&(from.clone(), to.clone())),
                    "{from} -> {to}"
                );
            }
        }
        assert!(valid_targets(&Other("claimed".into())).is_empty());
    }
}
