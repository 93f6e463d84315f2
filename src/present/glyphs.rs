//! Every state has a glyph and a word, so nothing relies on colour alone.

use crate::persist::assignment::AssignmentStatus;
use crate::persist::assignment::v9::NtmStatus;
use crate::persist::run::{EntryType, State};
use crate::present::ntm_row::status_glyph;

/// The glyph of a run state.
#[must_use]
pub fn run_state(state: &State) -> &'static str {
    match state {
        State::Submitted => "◌",
        State::Working => "▶",
        State::Reviewing => "◎",
        State::Completed => "✓",
        State::Failed => "✗",
        State::Cancelled => "⊘",
        State::Other(_) => "?",
    }
}

/// The glyph of an assignment status (NTM's own: ○ ▶ ✓ ✗ →; today's NTM adds ◌ claiming and
/// ◍ claimed).
#[must_use]
pub fn assignment_status(status: &AssignmentStatus) -> &'static str {
    match status {
        AssignmentStatus::Assigned => "○",
        AssignmentStatus::Working => "▶",
        AssignmentStatus::Completed => "✓",
        AssignmentStatus::Failed => "✗",
        AssignmentStatus::Reassigned => "→",
        AssignmentStatus::Other(other) => NtmStatus::parse(other).map_or("?", status_glyph),
    }
}

/// The glyph of a transcript entry type.
#[must_use]
pub fn entry_type(entry_type: &EntryType) -> &'static str {
    match entry_type {
        EntryType::Start => "●",
        EntryType::Iteration => "#",
        EntryType::Message => "✉",
        EntryType::Execute => "▸",
        EntryType::Result => "◂",
        EntryType::Signal => "⚑",
        EntryType::State => "↻",
        EntryType::Error => "✗",
        EntryType::End => "■",
        EntryType::Other(_) => "·",
    }
}

/// The word shown for a state: its own string, or `(empty)` when blank.
#[must_use]
pub fn word(text: &str) -> &str {
    if text.is_empty() { "(empty)" } else { text }
}
