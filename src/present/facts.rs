//! What the Runs pane and the CLI's text show of a run, the same for both kinds: the ITER
//! column (an agentpair run's `iteration/max`, a session's turns) and the time since it
//! started (to its end, once it has ended).

use super::time;
use crate::persist::run::{RunKind, RunSummary};
use chrono::{DateTime, Utc};

/// `3/20` for an agentpair run (iteration of the limit); `7` turns for a session.
#[must_use]
pub fn iteration(run: &RunSummary) -> String {
    if run.host().is_some() {
        // The host's events do not carry it.
        return "-".to_owned();
    }
    match run.max_iterations() {
        Some(max) => format!("{}/{max}", run.iteration()),
        None => run.iteration().to_string(),
    }
}

/// How long the run went on: from its start to its end, or to `now` while it has not ended;
/// `-` when its start is not known.
#[must_use]
pub fn elapsed(run: &RunSummary, now: DateTime<Utc>) -> String {
    let ended = match &run.kind {
        RunKind::Agentpair(m) => m.completed_at.map_or(now, |c| c.with_timezone(&Utc)),
        RunKind::Session(s) if s.state_at(now).is_terminal() => s.last_activity().unwrap_or(now),
        RunKind::Session(_) | RunKind::Remote(_) => now,
    };
    match run.started_at() {
        Some(started) => time::humanize(time::between(started, ended)),
        None => "-".to_owned(),
    }
}
