//! An agent session's condition: its state decided at the moment asked (a session with no
//! known process finishes once quiet for the threshold, with no event to say so). As for runs,
//! a failure a later session took over, and anything older than the window, is history.

use super::{Condition, Level, Thresholds, after, next_after, recent};
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
        AgentState::Failed if superseded => {
            Condition::new(Level::Fine, "failed; a later run has started", "fine")
        }
        AgentState::Failed | AgentState::Waiting | AgentState::Working if history => {
            Condition::new(Level::Fine, state.as_str(), "fine")
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
                text::truncate(&why, 200),
                format!("failed@{}", stamp(last)),
            )
        }
        AgentState::Finished => Condition::new(
            Level::Finished,
            "finished",
            format!("finished@{}", stamp(last)),
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
                text::truncate(&why, 200),
                format!("waiting@{}", stamp(last)),
            )
        }
        AgentState::Working if last.is_none_or(|t| after(t, limits.stale_after) < now) => {
            let quiet = last.map_or_else(
                || "no activity yet".to_owned(),
                |t| format!("quiet for {}", time::humanize(time::between(t, now))),
            );
            Condition::new(
                Level::Attention,
                format!("stale: {quiet}"),
                format!("stale@{}", stamp(last)),
            )
        }
        AgentState::Working | AgentState::Idle => {
            Condition::new(Level::Fine, state.as_str(), "fine")
        }
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
        .then(|| last.map(|t| after(t, limits.stale_after)))
        .flatten();
    let window = matches!(
        s.state,
        AgentState::Working | AgentState::Waiting | AgentState::Failed
    )
    .then(|| last.map(|t| after(t, limits.window)))
    .flatten();
    next_after(now, [s.changes_at(), stale, window].into_iter().flatten())
}
