//! The truth about a working bead's agent: its pane gone, its agent exited, waiting for
//! approval, or quiet longer than the stale limit, or the bead's issue closed in the beads
//! tracker while the assignment still says working. Each is an [`AgentFlag`] with a stable
//! code, a glyph and a word for the card's badge, and a reason in words, all worked out from
//! facts with times ([`AgentFacts`]) at the moment asked, never kept as text.

use super::{Condition, Level, ReasonCode, Thresholds, after, past};
use crate::binding::PaneState;
use crate::persist::session::{AgentState, TurnState};
use crate::present::{sanitize, time};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// What is known of the run a bead's pane is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunFacts {
    /// What its records' end says of the turn (the live registry's word when there is one).
    pub turn: TurnState,
    /// Its process: running, gone, or not known.
    pub alive: Option<bool>,
    /// Its last write.
    pub last_activity: Option<DateTime<Utc>>,
}

/// What is known of a bead's agent, with the times that make it true.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentFacts {
    /// The assignment's pane, as it follows "pane" in a sentence (`%N`, or `2 of webapp`).
    pub pane_name: String,
    /// What the pane held at the last look (`None`: not looked at, or tmux could not be
    /// asked: nothing is said).
    pub pane: Option<PaneState>,
    /// The run bound to the pane, when it is listed.
    pub run: Option<RunFacts>,
    /// The bead's issue is closed in the beads file (when it says, since when).
    pub issue_closed: Option<Option<DateTime<Utc>>>,
}

/// Why a working bead's card is flagged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentFlag {
    /// A stable code: `issue_closed`, `pane_gone`, `agent_exited`, `agent_waiting`,
    /// `agent_quiet`.
    pub code: ReasonCode,
    /// The badge's glyph (in the help's legend).
    pub glyph: &'static str,
    /// The badge's word(s).
    pub badge: String,
    /// The reason in words.
    pub reason: String,
    /// Identifies the evidence (`code@…`): the same key is the same situation.
    pub key: String,
}

/// The beads tracker closed the bead's issue.
pub const ISSUE_CLOSED: &str = "∎";
/// The assignment's pane is gone.
pub const PANE_GONE: &str = "⊠";
/// No agent runs in the pane any more.
pub const AGENT_EXITED: &str = "⊖";
/// The agent waits for approval or input.
pub const AGENT_WAITING: &str = "◐";
/// The agent's session has been quiet longer than the stale limit.
pub const AGENT_QUIET: &str = "◷";

fn stamp(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339()).unwrap_or_default()
}

fn flag(
    code: ReasonCode,
    glyph: &'static str,
    badge: impl Into<String>,
    reason: impl Into<String>,
    evidence: impl std::fmt::Display,
) -> AgentFlag {
    AgentFlag {
        code,
        glyph,
        badge: badge.into(),
        reason: reason.into(),
        key: format!("{}@{evidence}", code.as_str()),
    }
}

impl RunFacts {
    /// The run's state at `now`, its process and the clock considered (see
    /// [`AgentState::decide`]).
    #[must_use]
    pub fn state_at(&self, now: DateTime<Utc>, quiet: Duration) -> AgentState {
        AgentState::decide(&self.turn, self.alive, self.last_activity, now, quiet)
    }
}

/// What a working bead's card is flagged for at `now`, most telling first: its issue closed,
/// its pane gone, its agent exited (no agent left in the pane, or the bound session's process
/// gone), waiting for approval or input, or quiet longer than the stale limit.
#[must_use]
pub fn agent_flag(
    facts: &AgentFacts,
    now: DateTime<Utc>,
    limits: &Thresholds,
) -> Option<AgentFlag> {
    if let Some(at) = facts.issue_closed {
        return Some(flag(
            ReasonCode::IssueClosed,
            ISSUE_CLOSED,
            "issue closed",
            "its issue is closed in beads; the assignment still says working",
            stamp(at),
        ));
    }
    let pane = sanitize::one_line(&facts.pane_name);
    match facts.pane.as_ref()? {
        PaneState::Gone => {
            return Some(flag(
                ReasonCode::PaneGone,
                PANE_GONE,
                "pane gone",
                format!("its pane {pane} is gone"),
                &pane,
            ));
        }
        PaneState::NoAgent { pane: id } => {
            return Some(flag(
                ReasonCode::AgentExited,
                AGENT_EXITED,
                "agent exited",
                format!(
                    "no agent runs in its pane {} any more",
                    sanitize::one_line(id)
                ),
                id,
            ));
        }
        PaneState::Ambiguous { .. } | PaneState::Unbound { .. } => return None,
        PaneState::Bound(_) => {}
    }
    let run = facts.run.as_ref()?;
    let last = run.last_activity;
    if run.alive == Some(false) {
        return Some(flag(
            ReasonCode::AgentExited,
            AGENT_EXITED,
            "agent exited",
            "its agent's process has exited",
            stamp(last),
        ));
    }
    if run.state_at(now, limits.stale_after) == AgentState::Waiting {
        let reason = match &run.turn {
            TurnState::Waiting(what) if !what.is_empty() => {
                format!("its agent waits for {}", sanitize::one_line(what))
            }
            _ => "its agent waits for approval or input".to_owned(),
        };
        return Some(flag(
            ReasonCode::AgentWaiting,
            AGENT_WAITING,
            "waiting",
            reason,
            stamp(last),
        ));
    }
    let quiet_since = last.filter(|t| after(*t, limits.stale_after) < now)?;
    let short = time::ago(now, quiet_since);
    Some(flag(
        ReasonCode::AgentQuiet,
        AGENT_QUIET,
        format!("quiet {}", short.trim_end_matches(" ago")),
        format!(
            "its agent has been quiet for {}",
            time::humanize(time::between(quiet_since, now))
        ),
        stamp(last),
    ))
}

/// The condition of a working bead with these facts at `now`, when one of them flags it.
#[must_use]
pub fn condition(facts: &AgentFacts, now: DateTime<Utc>, limits: &Thresholds) -> Option<Condition> {
    agent_flag(facts, now, limits).map(|f| Condition {
        level: Level::Attention,
        code: f.code,
        reason: f.reason,
        key: f.key,
    })
}

/// When a working bead with these facts is next flagged with nothing else changing: once its
/// agent's session has been quiet for the stale limit.
#[must_use]
pub fn changes_at(facts: &AgentFacts, limits: &Thresholds) -> Option<DateTime<Utc>> {
    if facts.issue_closed.is_some() || !matches!(facts.pane, Some(PaneState::Bound(_))) {
        return None;
    }
    let run = facts.run.as_ref().filter(|r| r.alive != Some(false))?;
    run.last_activity.map(|t| past(t, limits.stale_after))
}
