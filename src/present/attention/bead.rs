//! Beads' conditions: failed, assigned but not started, and a working bead's agent (see
//! [`agent`]), each news only while it is recent; and when a bead's condition next changes by
//! itself.

use super::{Condition, Level, ReasonCode, Thresholds, agent, next_after, past, recent};
use crate::persist::assignment::{Assignment, AssignmentStatus};
use crate::present::{sanitize, time};
use chrono::{DateTime, Utc};

/// A bead's condition at `now`, counting an assigned bead's wait from the store's
/// `assigned_at` (see [`bead_condition_since`] when more is known).
#[must_use]
pub fn bead_condition(a: &Assignment, now: DateTime<Utc>, limits: &Thresholds) -> Condition {
    bead_condition_since(a, a.assigned_at.with_timezone(&Utc), now, limits)
}

/// When a failed bead failed (its `failed_at`, else when it was assigned).
fn failed_at(a: &Assignment) -> DateTime<Utc> {
    a.failed_at.unwrap_or(a.assigned_at).with_timezone(&Utc)
}

/// A bead's condition at `now`, with an assigned bead waiting since `since` or the store's
/// `assigned_at`, whichever is later. The store keeps `assigned_at` across a retry (failed →
/// assigned), so a retried bead's wait counts from the retry, which the history log (or
/// having seen the retry happen) tells.
#[must_use]
pub fn bead_condition_since(
    a: &Assignment,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    limits: &Thresholds,
) -> Condition {
    bead_condition_with(a, since, None, now, limits)
}

/// As [`bead_condition_since`], with what is known of the bead's agent: a working bead is
/// flagged when its facts say so (see [`agent::agent_flag`]).
#[must_use]
pub fn bead_condition_with(
    a: &Assignment,
    since: DateTime<Utc>,
    facts: Option<&agent::AgentFacts>,
    now: DateTime<Utc>,
    limits: &Thresholds,
) -> Condition {
    if a.status == AssignmentStatus::Working
        && let Some(f) = facts
        && let Some(c) = agent::condition(f, now, limits)
        && agent_news(&c, f, a, now, limits)
    {
        return c;
    }
    let stamp =
        |t: Option<crate::persist::gojson::GoTime>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    match &a.status {
        AssignmentStatus::Failed if !recent(Some(failed_at(a)), now, limits) => {
            Condition::fine("failed")
        }
        AssignmentStatus::Failed => {
            let reason = match a.reason() {
                "" => "failed".to_owned(),
                r => format!("failed: {}", sanitize::one_line(r)),
            };
            Condition::new(
                Level::Attention,
                ReasonCode::Failed,
                reason,
                stamp(a.failed_at),
            )
        }
        AssignmentStatus::Completed => Condition::new(
            Level::Finished,
            ReasonCode::Completed,
            "completed",
            stamp(a.completed_at),
        ),
        AssignmentStatus::Assigned => {
            let since = since.max(a.assigned_at.with_timezone(&Utc));
            let waited = time::between(since, now);
            if waited > limits.unstarted_after && recent(Some(since), now, limits) {
                let what = if since > a.assigned_at.with_timezone(&Utc) && a.retry_count > 0 {
                    "retried"
                } else {
                    "assigned"
                };
                Condition::new(
                    Level::Attention,
                    ReasonCode::NotStarted,
                    format!("{what} {} ago, not started", time::humanize(waited)),
                    since.to_rfc3339(),
                )
            } else {
                Condition::fine("assigned")
            }
        }
        other => Condition::fine(other.as_str()),
    }
}

/// Whether a working bead's agent flag is news at `now`. A pane gone, or an issue closed at no
/// known time, says nothing of when it happened, so it counts only while the bead's work (its
/// start, else its assignment) is within [`Thresholds::window`]: a store of last month whose
/// panes are long gone is history, not a card to act on today. An issue closed at a known
/// time counts while that time is recent; the other flags (exited, waiting, quiet) are what
/// the bead's live agent does now.
fn agent_news(
    c: &Condition,
    facts: &agent::AgentFacts,
    a: &Assignment,
    now: DateTime<Utc>,
    limits: &Thresholds,
) -> bool {
    let worked = a.started_at.unwrap_or(a.assigned_at).with_timezone(&Utc);
    match c.code {
        ReasonCode::PaneGone => recent(Some(worked), now, limits),
        ReasonCode::IssueClosed => recent(
            Some(facts.issue_closed.flatten().unwrap_or(worked)),
            now,
            limits,
        ),
        _ => true,
    }
}

/// The next moment after `now` a bead's condition changes with no file changing (waiting too
/// long to start, or its situation leaving the window).
#[must_use]
pub fn bead_changes_at(
    a: &Assignment,
    now: DateTime<Utc>,
    limits: &Thresholds,
) -> Option<DateTime<Utc>> {
    bead_changes_at_since(a, a.assigned_at.with_timezone(&Utc), now, limits)
}

/// As [`bead_changes_at`], with the wait counted as [`bead_condition_since`] counts it.
#[must_use]
pub fn bead_changes_at_since(
    a: &Assignment,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    limits: &Thresholds,
) -> Option<DateTime<Utc>> {
    bead_changes_at_with(a, since, None, now, limits)
}

/// As [`bead_changes_at_since`], with what is known of the bead's agent (a working bead's agent
/// goes quiet).
#[must_use]
pub fn bead_changes_at_with(
    a: &Assignment,
    since: DateTime<Utc>,
    facts: Option<&agent::AgentFacts>,
    now: DateTime<Utc>,
    limits: &Thresholds,
) -> Option<DateTime<Utc>> {
    match a.status {
        AssignmentStatus::Working => {
            let facts = facts?;
            // Also when a pane gone (or an issue closed) leaves the window (see `agent_news`).
            let worked = a.started_at.unwrap_or(a.assigned_at).with_timezone(&Utc);
            let closed = facts.issue_closed.flatten().unwrap_or(worked);
            next_after(
                now,
                [
                    agent::changes_at(facts, limits),
                    Some(past(worked, limits.window)),
                    Some(past(closed, limits.window)),
                ]
                .into_iter()
                .flatten(),
            )
        }
        AssignmentStatus::Assigned => {
            let since = since.max(a.assigned_at.with_timezone(&Utc));
            next_after(
                now,
                [
                    past(since, limits.unstarted_after),
                    past(since, limits.window),
                ],
            )
        }
        AssignmentStatus::Failed => next_after(now, [past(failed_at(a), limits.window)]),
        _ => None,
    }
}
