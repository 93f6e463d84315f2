//! Where the user is needed: every run and every bead gets a derived [`Condition`] — needs
//! attention, finished, or fine — with the reason in words and a key that identifies the
//! evidence, so an acknowledged item counts again only when something about it changes.
//!
//! Attention means "needs a person now". A run needs attention when it failed (and no later run
//! of the same bead, or of the same repo and prompt, has started since), when its transcript
//! ends in an error entry, when its reviews said FAIL in [`Thresholds::fail_streak`] iterations
//! in a row (one FAIL is agentpair's loop at work: the run goes on to fix it), when it reached
//! its iteration limit without finishing, or when it is stale (not finished and quiet too
//! long). An agent session needs attention when its last turn failed (and nothing took over),
//! when it waits for approval or input, or when it is working but quiet too long; a finished
//! one is finished. A bead needs attention when it failed, when it was assigned (or retried)
//! but not started for too long, or, while working, when the truth about its agent says so
//! (`attention/agent.rs`: its issue closed, its pane gone, its agent exited, waiting or quiet).
//! Every one of these is news only while it is recent: a situation older than
//! [`Thresholds::window`] is history, shown but not counted. Completed and cancelled runs and
//! completed beads are finished.

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
    /// A run's reviews said FAIL in `fail_streak` iterations in a row, and nothing resolved it.
    FailSignal,
    /// A run reached its iteration limit without finishing.
    IterationLimit,
    /// Not finished and quiet too long.
    Stale,
    /// An agent session waits for approval or input.
    Waiting,
    /// A bead assigned (or retried) but not started for too long.
    NotStarted,
    /// A working bead's issue is closed in the beads file.
    IssueClosed,
    /// A working bead's tmux pane is gone.
    PaneGone,
    /// No agent runs in a working bead's pane any more.
    AgentExited,
    /// A working bead's agent waits for approval or input.
    AgentWaiting,
    /// A working bead's agent has been quiet longer than the stale limit.
    AgentQuiet,
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
            ReasonCode::IssueClosed => "issue_closed",
            ReasonCode::PaneGone => "pane_gone",
            ReasonCode::AgentExited => "agent_exited",
            ReasonCode::AgentWaiting => "agent_waiting",
            ReasonCode::AgentQuiet => "agent_quiet",
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

/// The limits conditions depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// A run that has not finished and is quiet this long is stale.
    pub stale_after: Duration,
    /// A bead assigned but not started for this long needs attention.
    pub unstarted_after: Duration,
    /// A situation older than this is history: shown, not counted (24 h by default).
    pub window: Duration,
    /// A run whose reviews said FAIL in this many iterations in a row needs a look while it
    /// still iterates (3 by default).
    pub fail_streak: u32,
}

/// How long a situation counts as news by default.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// How many FAIL iterations in a row need a look by default.
pub const DEFAULT_FAIL_STREAK: u32 = 3;

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            stale_after: Duration::from_secs(600),
            unstarted_after: Duration::from_secs(600),
            window: DEFAULT_WINDOW,
            fail_streak: DEFAULT_FAIL_STREAK,
        }
    }
}

fn after(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_add_signed(chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The moment a threshold of `d` from `t` has been passed: every condition changes only once
/// its threshold is exceeded, never at the threshold itself, so the moment named for the
/// clock's tick is just past it (a tick landing on the threshold itself would still see the
/// old condition, and would then name no later change).
fn past(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    let end = after(t, d);
    end.checked_add_signed(chrono::Duration::milliseconds(1))
        .unwrap_or(end)
}

/// Whether a situation that began at `t` is still news at `now` (one of unknown age is).
fn recent(t: Option<DateTime<Utc>>, now: DateTime<Utc>, limits: &Thresholds) -> bool {
    t.is_none_or(|t| now <= after(t, limits.window))
}

/// The earliest of `times` after `now`.
fn next_after(
    now: DateTime<Utc>,
    times: impl IntoIterator<Item = DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    times.into_iter().filter(|t| *t > now).min()
}

/// A run's condition at `now`; `superseded` says a later run of the same bead, or of the same
/// repo and prompt, has started (see [`Succession`]).
#[must_use]
pub fn run_condition(
    run: &RunSummary,
    now: DateTime<Utc>,
    limits: &Thresholds,
    superseded: bool,
) -> Condition {
    let m = match &run.kind {
        RunKind::Agentpair(m) => m,
        RunKind::Session(s) => return session::condition(s, now, limits, superseded),
        RunKind::Remote(r) => return remote::condition(r),
    };
    let ended = m.completed_at.map(|t| t.to_rfc3339()).unwrap_or_default();
    match &m.state {
        State::Failed if superseded => {
            return Condition::fine("failed; a later run has started");
        }
        State::Failed if !recent(run.finished_at(), now, limits) => {
            return Condition::fine("failed");
        }
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
    let last = run.last_activity();
    if !recent(last, now, limits) {
        // Quiet for longer than the window: history, whatever it was doing.
        return Condition::fine(m.state.as_str());
    }
    if let Some(t) = run.peek.as_ref().and_then(|p| p.trouble.as_ref()) {
        let who = sanitize::one_line(&t.agent);
        let flagged = match &t.error {
            Some(e) => Some((
                ReasonCode::Error,
                format!(
                    "error from {who} in iteration {}: {}",
                    t.iteration,
                    sanitize::one_line(e)
                ),
                t.offset.to_string(),
            )),
            None if t.fails >= limits.fail_streak.max(1) => Some((
                ReasonCode::FailSignal,
                if t.fails > 1 {
                    format!(
                        "FAIL from {who} in {} iterations in a row (iteration {})",
                        t.fails, t.iteration
                    )
                } else {
                    format!("FAIL signal from {who} in iteration {}", t.iteration)
                },
                t.since.to_string(),
            )),
            // Fewer FAILs: the run is iterating on them, as agentpair's loop does.
            None => None,
        };
        if let Some((code, reason, evidence)) = flagged {
            return Condition::new(
                Level::Attention,
                code,
                text::truncate(&reason, 200),
                evidence,
            );
        }
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

/// The next moment after `now` a run's condition changes with no file changing (it turns
/// stale, or its situation leaves the window), if ever.
#[must_use]
pub fn run_changes_at(
    run: &RunSummary,
    now: DateTime<Utc>,
    limits: &Thresholds,
) -> Option<DateTime<Utc>> {
    if let Some(s) = run.session() {
        return session::changes_at(s, now, limits);
    }
    match run.manifest().map(|m| &m.state) {
        Some(State::Failed) => next_after(now, run.finished_at().map(|t| past(t, limits.window))),
        _ if run.is_complete() => None,
        _ => {
            let last = run.last_activity()?;
            next_after(
                now,
                [past(last, limits.stale_after), past(last, limits.window)],
            )
        }
    }
}

mod bead;

pub mod agent;
pub mod remote;
mod session;
mod succession;

pub use bead::{
    bead_changes_at, bead_changes_at_since, bead_changes_at_with, bead_condition,
    bead_condition_since, bead_condition_with,
};
pub use succession::{KeyHash, Succession};

#[cfg(test)]
mod tests;
