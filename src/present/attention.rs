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

use crate::persist::assignment::{Assignment, AssignmentStatus};
use crate::persist::run::{RunKind, RunSummary, State};
use crate::present::{sanitize, text, time};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::time::Duration;

/// How an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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

/// An item's derived condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// How it stands.
    pub level: Level,
    /// Why, in words (safe to print).
    pub reason: String,
    /// Identifies the evidence (`failed@<time>`, `trouble@<offset>`, `stale@<time>`, …): the
    /// same key means the same situation, so an acknowledgement holds until the key changes.
    pub key: String,
}

impl Condition {
    /// The stable code of the situation: its key up to `@` (`failed`, `stale`, `unstarted`,
    /// `pane_gone`, `agent_exited`, …; `fine` when nothing is wrong).
    #[must_use]
    pub fn code(&self) -> &str {
        self.key.split('@').next().unwrap_or_default()
    }

    fn new(level: Level, reason: impl Into<String>, key: impl Into<String>) -> Condition {
        Condition {
            level,
            reason: reason.into(),
            key: key.into(),
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
    };
    let ended = m.completed_at.map(|t| t.to_rfc3339()).unwrap_or_default();
    match &m.state {
        State::Failed if superseded => {
            return Condition::new(Level::Fine, "failed; a later run has started", "fine");
        }
        State::Failed if !recent(run.finished_at(), now, limits) => {
            return Condition::new(Level::Fine, "failed", "fine");
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
                sanitize::one_line(&why),
                format!("failed@{ended}"),
            );
        }
        State::Completed | State::Cancelled => {
            return Condition::new(
                Level::Finished,
                m.state.as_str(),
                format!("{}@{ended}", m.state.as_str()),
            );
        }
        _ => {}
    }
    let last = run.last_activity();
    if !recent(last, now, limits) {
        // Quiet for longer than the window: history, whatever it was doing.
        return Condition::new(Level::Fine, m.state.as_str(), "fine");
    }
    if let Some(t) = run.peek.as_ref().and_then(|p| p.trouble.as_ref()) {
        let who = sanitize::one_line(&t.agent);
        let flagged = match &t.error {
            Some(e) => Some((
                format!(
                    "error from {who} in iteration {}: {}",
                    t.iteration,
                    sanitize::one_line(e)
                ),
                format!("trouble@{}", t.offset),
            )),
            None if t.fails >= limits.fail_streak.max(1) => Some((
                if t.fails > 1 {
                    format!(
                        "FAIL from {who} in {} iterations in a row (iteration {})",
                        t.fails, t.iteration
                    )
                } else {
                    format!("FAIL signal from {who} in iteration {}", t.iteration)
                },
                format!("fails@{}", t.since),
            )),
            // Fewer FAILs: the run is iterating on them, as agentpair's loop does.
            None => None,
        };
        if let Some((reason, key)) = flagged {
            return Condition::new(Level::Attention, text::truncate(&reason, 200), key);
        }
    }
    let iteration = run.iteration();
    if m.max_iterations > 0 && iteration >= m.max_iterations {
        return Condition::new(
            Level::Attention,
            format!("at its iteration limit ({iteration}/{})", m.max_iterations),
            format!("limit@{iteration}"),
        );
    }
    if run.is_stale(now, limits.stale_after) {
        let quiet = last.map_or_else(
            || "no activity yet".to_owned(),
            |t| format!("quiet for {}", time::humanize(time::between(t, now))),
        );
        return Condition::new(
            Level::Attention,
            format!("stale: {quiet}"),
            format!("stale@{}", last.map(|t| t.to_rfc3339()).unwrap_or_default()),
        );
    }
    Condition::new(Level::Fine, m.state.as_str(), "fine")
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
        Some(State::Failed) => next_after(now, run.finished_at().map(|t| after(t, limits.window))),
        _ if run.is_complete() => None,
        _ => {
            let last = run.last_activity()?;
            next_after(
                now,
                [after(last, limits.stale_after), after(last, limits.window)],
            )
        }
    }
}

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
            Condition::new(Level::Fine, "failed", "fine")
        }
        AssignmentStatus::Failed => {
            let reason = match a.reason() {
                "" => "failed".to_owned(),
                r => format!("failed: {}", sanitize::one_line(r)),
            };
            Condition::new(
                Level::Attention,
                reason,
                format!("failed@{}", stamp(a.failed_at)),
            )
        }
        AssignmentStatus::Completed => Condition::new(
            Level::Finished,
            "completed",
            format!("completed@{}", stamp(a.completed_at)),
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
                    format!("{what} {} ago, not started", time::humanize(waited)),
                    format!("unstarted@{}", since.to_rfc3339()),
                )
            } else {
                Condition::new(Level::Fine, "assigned", "fine")
            }
        }
        other => Condition::new(Level::Fine, other.as_str(), "fine"),
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
    match c.code() {
        "pane_gone" => recent(Some(worked), now, limits),
        "issue_closed" => recent(
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
                    Some(after(worked, limits.window)),
                    Some(after(closed, limits.window)),
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
                    after(since, limits.unstarted_after),
                    after(since, limits.window),
                ],
            )
        }
        AssignmentStatus::Failed => next_after(now, [after(failed_at(a), limits.window)]),
        _ => None,
    }
}

pub mod agent;
mod session;
mod succession;

pub use succession::Succession;

#[cfg(test)]
mod tests;
