//! Every state has a glyph and a word, so nothing relies on colour alone.

use crate::persist::assignment::AssignmentStatus;
use crate::persist::assignment::v9::NtmStatus;
use crate::persist::run::{EntryType, RunState, State};
use crate::persist::session::{AgentState, EntryKind};
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

/// Every agent session state, in the order counts show them.
pub const AGENT_STATES: [AgentState; 5] = [
    AgentState::Working,
    AgentState::Waiting,
    AgentState::Idle,
    AgentState::Finished,
    AgentState::Failed,
];

/// The glyph of an agent session's state.
#[must_use]
pub fn agent_state(state: AgentState) -> &'static str {
    match state {
        AgentState::Working => "▶",
        AgentState::Waiting => "◐",
        AgentState::Idle => "○",
        AgentState::Finished => "■",
        AgentState::Failed => "✗",
    }
}

/// The glyph of a run's state, whichever kind of run it is.
#[must_use]
pub fn state_of(state: RunState<'_>) -> &'static str {
    match state {
        RunState::Agentpair(s) => run_state(s),
        RunState::Agent(a) => agent_state(a),
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

/// The glyph of an agent session's entry kind.
#[must_use]
pub fn entry_kind(kind: &EntryKind) -> &'static str {
    match kind {
        EntryKind::Prompt => "❯",
        EntryKind::Response => "✉",
        EntryKind::Thinking => "∴",
        EntryKind::ToolCall => "▸",
        EntryKind::ToolResult => "◂",
        EntryKind::Error => "✗",
        EntryKind::Compaction => "⇊",
        EntryKind::Subagent => "↳",
        EntryKind::State => "↻",
        EntryKind::Signal => "⚑",
        EntryKind::Unknown(_) => "·",
    }
}

/// The word shown for a state: its own string, or `(empty)` when blank.
#[must_use]
pub fn word(text: &str) -> &str {
    if text.is_empty() { "(empty)" } else { text }
}

/// What every glyph on screen means, by where it appears: the `?` help's legend. Tests check
/// that every glyph of the functions above, and every glyph in the view snapshots, is in it.
pub const LEGEND: &[(&str, &[(&str, &str)])] = &[
    (
        "runs",
        &[
            ("◌", "submitted"),
            ("▶", "working"),
            ("◎", "reviewing"),
            ("✓", "completed"),
            ("✗", "failed"),
            ("⊘", "cancelled"),
            ("?", "a state this version does not know"),
            ("◐", "agent session waiting: it asks for approval or input"),
            ("○", "agent session idle: its turn ended, its process runs"),
            (
                "■",
                "agent session finished: its process is gone, or quiet long",
            ),
            (
                "⚠",
                "stale: not finished, but quiet longer than the stale limit",
            ),
            (
                "⇄",
                "the selected card's run: its agent runs in the card's pane, or its prompt names the bead",
            ),
            ("●", "marked (Space marks or unmarks, Esc clears)"),
        ],
    ),
    (
        "board",
        &[
            ("◇", "ready: open, unblocked, in no session yet"),
            ("◌", "claiming: today's NTM is claiming the bead (schema 9)"),
            ("◍", "claimed: claimed in br, not dispatched yet (schema 9)"),
            ("○", "assigned"),
            ("▶", "working"),
            ("✓", "completed"),
            ("✗", "failed (and why), or a row NTM cannot read"),
            ("→", "reassigned"),
            ("↻", "retried (↻2: twice)"),
            (
                "⊗",
                "no %N pane identity: NTM refuses new assignments in the session",
            ),
            (
                "⇥",
                "completion or failure requested (NTM's watcher finishes it), or a clear under way",
            ),
            ("✉", "a completion event nobody has acknowledged yet"),
            (
                "◔",
                "the claim in br is not settled (unknown, pending, failed)",
            ),
            (
                "⇢",
                "the prompt's dispatch to that %N pane: pending or sending",
            ),
            (
                "⊡",
                "files reserved for the agent, or how far the reservation got",
            ),
            (
                "⚠",
                "an error NTM recorded for the row (clear, claim, dispatch, reservation)",
            ),
            (
                "⇄",
                "the run its agent is, bound to its pane (t opens its transcript)",
            ),
            ("∎", "working, but its issue is closed in beads"),
            ("⊠", "working, but its pane is gone"),
            ("⊖", "working, but its agent has exited"),
            ("◐", "working, and its agent waits for approval or input"),
            (
                "◷",
                "working, but its agent has been quiet longer than the stale limit",
            ),
            ("P0", "priority, P0 highest"),
            ("▎", "a card"),
            ("●", "a marked card: a move applies to every marked one"),
            ("▌", "the selected card"),
            ("━", "the selected column's rule"),
            ("◂", "columns out of view to the left (h)"),
            ("▸", "columns out of view to the right (l)"),
            ("↑", "cards above (↓ below) out of view"),
        ],
    ),
    (
        "hosts",
        &[
            (
                "⇅",
                "hosts live of those shown (⇅2/3), when other hosts are configured",
            ),
            ("●", "a host live (its latency beside it)"),
            ("◌", "a host connecting"),
            (
                "◐",
                "a host stale: silent, its last data kept (with its age)",
            ),
            ("✗", "a host down (why, and when it is tried again)"),
        ],
    ),
    (
        "attention",
        &[
            ("⚑", "needs you (i goes to the next, A acknowledges)"),
            ("⚐", "needed you, acknowledged"),
        ],
    ),
    (
        "transcript",
        &[
            ("●", "start"),
            ("#", "iteration"),
            ("✉", "message; an agent's reply"),
            ("▸", "execute; an agent's tool call"),
            ("◂", "result; a tool's output, under its call"),
            ("⚑", "signal (PASS, FAIL, DONE)"),
            ("↻", "state change"),
            ("✗", "error or unreadable line"),
            ("■", "end"),
            (
                "·",
                "another entry type, or a record this version does not know",
            ),
            ("❯", "agent session: a prompt a person gave"),
            ("∴", "agent session: the agent's thinking (Enter shows it)"),
            ("⇊", "agent session: the conversation was compacted"),
            (
                "↳",
                "agent session: a sub-agent (Enter opens its transcript, Esc returns)",
            ),
            (
                "⑂",
                "agent session: a sub-agent's record kept in its parent's file",
            ),
            (
                "›",
                "agent session: a sub-agent's transcript, after its parent's name",
            ),
            ("│", "continues the entry above"),
            ("█", "scroll bar: where the view is in the transcript"),
        ],
    ),
    (
        "search every transcript (F)",
        &[
            ("⋯", "searching (Esc stops)"),
            ("✓", "every transcript searched"),
            ("■", "stopped before the end"),
            ("⚠", "transcripts that could not be read"),
            ("▌", "the selected match"),
        ],
    ),
    (
        "header and status line",
        &[
            ("●", "live: file events arrive"),
            ("◌", "polling (why: status line and this help)"),
            ("⏸", "live updates paused (p)"),
            ("⋯", "a change being written"),
            ("ℹ", "information"),
            ("✓", "done"),
            ("⚠", "warning"),
            ("✗", "refused or failed"),
            ("…", "text cut here: more than fits"),
            ("▏", "where what you type goes"),
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn in_legend(glyph: &str) -> bool {
        LEGEND
            .iter()
            .flat_map(|(_, entries)| entries.iter())
            .any(|(g, _)| *g == glyph)
    }

    #[test]
    fn every_state_glyph_is_in_the_legend() {
        let runs = [
            State::Submitted,
            State::Working,
            State::Reviewing,
            State::Completed,
            State::Failed,
            State::Cancelled,
            State::Other("x".into()),
        ];
        for s in &runs {
            assert!(in_legend(run_state(s)), "{s:?}");
        }
        for a in AGENT_STATES {
            assert!(in_legend(agent_state(a)), "{a:?}");
        }
        let mut statuses = AssignmentStatus::KNOWN.to_vec();
        statuses.push(AssignmentStatus::Other("claimed".into()));
        for s in &statuses {
            assert!(in_legend(assignment_status(s)), "{s:?}");
        }
        use crate::present::ntm_row as n;
        for glyph in [
            n::NO_PANE,
            n::REQUESTED,
            n::EVENT,
            n::CLAIM,
            n::DISPATCH,
            n::RESERVATION,
            n::ERROR,
            n::UNREADABLE,
            crate::present::attention::agent::ISSUE_CLOSED,
            crate::present::attention::agent::PANE_GONE,
            crate::present::attention::agent::AGENT_EXITED,
            crate::present::attention::agent::AGENT_WAITING,
            crate::present::attention::agent::AGENT_QUIET,
        ] {
            assert!(in_legend(glyph), "{glyph}");
        }
        for k in [
            EntryKind::Prompt,
            EntryKind::Response,
            EntryKind::Thinking,
            EntryKind::ToolCall,
            EntryKind::ToolResult,
            EntryKind::Error,
            EntryKind::Compaction,
            EntryKind::Subagent,
            EntryKind::State,
            EntryKind::Signal,
            EntryKind::Unknown("x".into()),
        ] {
            assert!(in_legend(entry_kind(&k)), "{k:?}");
        }
        for e in [
            EntryType::Start,
            EntryType::Iteration,
            EntryType::Message,
            EntryType::Execute,
            EntryType::Result,
            EntryType::Signal,
            EntryType::State,
            EntryType::Error,
            EntryType::End,
            EntryType::Other("x".into()),
        ] {
            assert!(in_legend(entry_type(&e)), "{e:?}");
        }
    }
}
