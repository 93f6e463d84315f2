//! An agent session's condition: its state decided at the moment asked (a session with no
//! known process finishes once quiet for the threshold, with no event to say so). As for runs,
//! a failure a later session took over, and anything older than the window, is history.

use super::{Condition, Level, ReasonCode, Thresholds, after, next_after, past, recent};
use crate::persist::run::SessionRun;
use crate::persist::session::{AgentState, TurnState};
use crate::present::{sanitize, text, time};
use chrono::{DateTime, Utc};

fn stamp(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339()).unwrap_or_default()
}

/// The session's condition at `now` (`superseded`: a later run of the same bead, or of the
/// same directory and prompt, has started).
pub(super) fn condition(
    s: &SessionRun,
    now: DateTime<Utc>,
    limits: &Thresholds,
    superseded: bool,
) -> Condition {
    let last = s.last_activity();
    let state = s.state_at(now);
    let history = !recent(last, now, limits);
    match state {
        AgentState::Failed if superseded => Condition::fine("failed; a later run has started"),
        AgentState::Failed | AgentState::Waiting | AgentState::Working if history => {
            Condition::fine(state.as_str())
        }
        AgentState::Failed => {
            let why = match s.turn() {
                TurnState::Failed(why) if !why.is_empty() => {
                    format!("failed: {}", sanitize::one_line(why))
                }
                _ => "failed".to_owned(),
            };
            Condition::new(
                Level::Attention,
                ReasonCode::Failed,
                text::truncate(&why, 200),
                stamp(last),
            )
        }
        AgentState::Finished => Condition::new(
            Level::Finished,
            ReasonCode::Finished,
            "finished",
            stamp(last),
        ),
        AgentState::Waiting => {
            let why = match s.turn() {
                TurnState::Waiting(what) if !what.is_empty() => {
                    format!("waiting for {}", sanitize::one_line(what))
                }
                _ => "waiting for approval or input".to_owned(),
            };
            Condition::new(
                Level::Attention,
                ReasonCode::Waiting,
                text::truncate(&why, 200),
                stamp(last),
            )
        }
        AgentState::Working if last.is_none_or(|t| after(t, limits.stale_after) < now) => {
            let quiet = last.map_or_else(
                || "no activity yet".to_owned(),
                |t| format!("quiet for {}", time::humanize(time::between(t, now))),
            );
            Condition::new(
                Level::Attention,
                ReasonCode::Stale,
                format!("stale: {quiet}"),
                stamp(last),
            )
        }
        AgentState::Working | AgentState::Idle => Condition::fine(state.as_str()),
    }
}

/// The next moment after `now` the session's condition changes with nothing written: it
/// finishes once quiet (no known process), turns stale while working, or its situation
/// leaves the window.
pub(super) fn changes_at(
    s: &SessionRun,
    now: DateTime<Utc>,
    limits: &Thresholds,
) -> Option<DateTime<Utc>> {
    let last = s.last_activity();
    let stale = (s.state == AgentState::Working)
        .then(|| last.map(|t| past(t, limits.stale_after)))
        .flatten();
    let window = matches!(
        s.state,
        AgentState::Working | AgentState::Waiting | AgentState::Failed
    )
    .then(|| last.map(|t| past(t, limits.window)))
    .flatten();
    next_after(now, [s.changes_at(), stale, window].into_iter().flatten())
}
