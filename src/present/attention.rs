//! Where the user is needed: every run and every bead gets a derived [`Condition`] — needs
//! attention, finished, or fine — with the reason in words and a key that identifies the
//! evidence, so an acknowledged item counts again only when something about it changes.
//!
//! A run needs attention when it failed, when its transcript ends in an error entry or a FAIL
//! signal that nothing resolved, when it reached its iteration limit without finishing, or when
//! it is stale (not finished and quiet too long). An agent session needs attention when its
//! last turn failed, when it waits for approval or input, or when it is working but quiet too
//! long; a finished one is finished. A bead needs attention when it failed, or
//! when it was assigned (or retried) but not started for too long. Completed and cancelled runs and
//! completed beads are finished.

use crate::persist::assignment::{Assignment, AssignmentStatus};
use crate::persist::run::{RunKind, RunSummary, State};
use crate::present::{sanitize, text, time};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::time::Duration;

/// How an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Someone should look at it.
    Attention,
    /// It ended (completed, cancelled).
    Finished,
    /// Nothing to do.
    Fine,
}

impl Level {
    /// The word for it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Attention => "attention",
            Level::Finished => "finished",
            Level::Fine => "fine",
        }
    }
}

/// Why an item stands as it does, for scripts: a stable snake_case word (`reason_code` in every
/// JSON output, beside `reason` in words). New codes may be added; none is renamed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// The run, session or bead failed.
    Failed,
    /// A run's transcript ends in an error entry that nothing resolved.
    Error,
    /// A run's transcript ends in a FAIL signal that nothing resolved.
    FailSignal,
    /// A run reached its iteration limit without finishing.
    IterationLimit,
    /// Not finished and quiet too long.
    Stale,
    /// An agent session waits for approval or input.
    Waiting,
    /// A bead assigned (or retried) but not started for too long.
    NotStarted,
    /// The run or bead completed.
    Completed,
    /// The run was cancelled.
    Cancelled,
    /// The agent session finished.
    Finished,
    /// Nothing to do.
    Fine,
}

impl ReasonCode {
    /// The word for it, as in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::Failed => "failed",
            ReasonCode::Error => "error",
            ReasonCode::FailSignal => "fail_signal",
            ReasonCode::IterationLimit => "iteration_limit",
            ReasonCode::Stale => "stale",
            ReasonCode::Waiting => "waiting",
            ReasonCode::NotStarted => "not_started",
            ReasonCode::Completed => "completed",
            ReasonCode::Cancelled => "cancelled",
            ReasonCode::Finished => "finished",
            ReasonCode::Fine => "fine",
        }
    }
}

/// An item's derived condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// How it stands.
    pub level: Level,
    /// Why, as a code.
    pub code: ReasonCode,
    /// Why, in words (safe to print).
    pub reason: String,
    /// Identifies the evidence: the code and what it rests on (`failed@<time>`,
    /// `fail_signal@<offset>`, `stale@<time>`, …): the same key means the same situation, so an
    /// acknowledgement holds until the key changes.
    pub key: String,
}

impl Condition {
    fn new(
        level: Level,
        code: ReasonCode,
        reason: impl Into<String>,
        evidence: impl std::fmt::Display,
    ) -> Condition {
        Condition {
            level,
            code,
            reason: reason.into(),
            key: format!("{}@{evidence}", code.as_str()),
        }
    }

    fn fine(reason: impl Into<String>) -> Condition {
        Condition {
            level: Level::Fine,
            code: ReasonCode::Fine,
            reason: reason.into(),
            key: "fine".to_owned(),
        }
    }
}

/// The time limits conditions depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// A run that has not finished and is quiet this long is stale.
    pub stale_after: Duration,
    /// A bead assigned but not started for this long needs attention.
    pub unstarted_after: Duration,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            stale_after: Duration::from_secs(600),
            unstarted_after: Duration::from_secs(600),
        }
    }
}

fn after(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// A run's condition at `now`.
#[must_use]
pub fn run_condition(run: &RunSummary, now: DateTime<Utc>, limits: &Thresholds) -> Condition {
    let m = match &run.kind {
        RunKind::Agentpair(m) => m,
        RunKind::Session(s) => return session::condition(s, now, limits),
    };
    let ended = m.completed_at.map(|t| t.to_rfc3339()).unwrap_or_default();
    match &m.state {
        State::Failed => {
            let why = run
                .peek
                .as_ref()
                .and_then(|p| p.trouble.as_ref())
                .and_then(|t| t.error.as_deref())
                .map_or_else(|| "failed".to_owned(), |e| format!("failed: {e}"));
            return Condition::new(
                Level::Attention,
                ReasonCode::Failed,
                sanitize::one_line(&why),
                ended,
            );
        }
        State::Completed | State::Cancelled => {
            let code = if m.state == State::Completed {
                ReasonCode::Completed
            } else {
                ReasonCode::Cancelled
            };
            return Condition::new(Level::Finished, code, m.state.as_str(), ended);
        }
        _ => {}
    }
    if let Some(t) = run.peek.as_ref().and_then(|p| p.trouble.as_ref()) {
        let who = sanitize::one_line(&t.agent);
        let (code, reason) = match &t.error {
            Some(e) => (
                ReasonCode::Error,
                format!(
                    "error from {who} in iteration {}: {}",
                    t.iteration,
                    sanitize::one_line(e)
                ),
            ),
            None => (
                ReasonCode::FailSignal,
                format!("FAIL signal from {who} in iteration {}", t.iteration),
            ),
        };
        return Condition::new(
            Level::Attention,
            code,
            text::truncate(&reason, 200),
            t.offset,
        );
    }
    let iteration = run.iteration();
    if m.max_iterations > 0 && iteration >= m.max_iterations {
        return Condition::new(
            Level::Attention,
            ReasonCode::IterationLimit,
            format!("at its iteration limit ({iteration}/{})", m.max_iterations),
            iteration,
        );
    }
    if run.is_stale(now, limits.stale_after) {
        let last = run.last_activity();
        let quiet = last.map_or_else(
            || "no activity yet".to_owned(),
            |t| format!("quiet for {}", time::humanize(time::between(t, now))),
        );
        return Condition::new(
            Level::Attention,
            ReasonCode::Stale,
            format!("stale: {quiet}"),
            last.map(|t| t.to_rfc3339()).unwrap_or_default(),
        );
    }
    Condition::fine(m.state.as_str())
}

/// When a run's condition would change with no file changing (it turns stale), if ever.
#[must_use]
pub fn run_changes_at(run: &RunSummary, limits: &Thresholds) -> Option<DateTime<Utc>> {
    if let Some(s) = run.session() {
        return session::changes_at(s, limits);
    }
    if run.is_complete() {
        return None;
    }
    run.last_activity().map(|t| after(t, limits.stale_after))
}

/// A bead's condition at `now`, counting an assigned bead's wait from the store's
/// `assigned_at` (see [`bead_condition_since`] when more is known).
#[must_use]
pub fn bead_condition(a: &Assignment, now: DateTime<Utc>, limits: &Thresholds) -> Condition {
    bead_condition_since(a, a.assigned_at.with_timezone(&Utc), now, limits)
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
    let stamp =
        |t: Option<crate::persist::gojson::GoTime>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    match &a.status {
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
            if waited > limits.unstarted_after {
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

/// When a bead's condition would change with no file changing (waiting too long to start).
#[must_use]
pub fn bead_changes_at(a: &Assignment, limits: &Thresholds) -> Option<DateTime<Utc>> {
    bead_changes_at_since(a, a.assigned_at.with_timezone(&Utc), limits)
}

/// As [`bead_changes_at`], with the wait counted as [`bead_condition_since`] counts it.
#[must_use]
pub fn bead_changes_at_since(
    a: &Assignment,
    since: DateTime<Utc>,
    limits: &Thresholds,
) -> Option<DateTime<Utc>> {
    (a.status == AssignmentStatus::Assigned).then(|| {
        after(
            since.max(a.assigned_at.with_timezone(&Utc)),
            limits.unstarted_after,
        )
    })
}

mod session;

#[cfg(test)]
mod tests;
