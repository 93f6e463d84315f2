//! What the Runs pane and the CLI's text show of a run, the same for both kinds: the ITER
//! column (an agentpair run's `iteration/max`, a session's turns) and the time since it
//! started (to its end, once it has ended).

use super::time;
use crate::persist::run::RunSummary;
use chrono::{DateTime, Utc};

/// `3/20` for an agentpair run (iteration of the limit); `7` turns for a session.
#[must_use]
pub fn iteration(run: &RunSummary) -> String {
    if run.remote_run().is_some_and(|r| r.facts.is_none()) {
        // The host did not say (an older beadboard).
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
    match (run.started_at(), run.ended_at(now)) {
        (Some(started), Some(ended)) => time::humanize(time::between(started, ended)),
        // Still going: whole seconds, as the 1 Hz clock redraws it (never `18ms`, then `1s`).
        (Some(started), None) => match time::between(started, now).as_secs() {
            0 => "0s".to_owned(),
            secs => time::humanize(std::time::Duration::from_secs(secs)),
        },
        (None, _) => "-".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::run::{Manifest, ManifestSummary, RunKind, State};

    fn run(state: State, started: &str, ended: &str) -> RunSummary {
        let at = |t: &str| t.parse::<DateTime<Utc>>().unwrap().fixed_offset();
        let mut m = Manifest::new(4, "api", "0123456789abcdef", "p");
        let terminal = state.is_terminal();
        m.state = state;
        m.created_at = at(started);
        if terminal {
            m.completed_at = Some(at(ended));
        }
        RunSummary {
            dir: "/ap/runs/0123456789abcdef/4".into(),
            repo_key: "0123456789abcdef".into(),
            run_key: "4".into(),
            kind: RunKind::Agentpair(ManifestSummary::of(&m)),
            activity: None,
            peek: None,
            stamp: None,
        }
    }

    #[test]
    fn a_running_item_counts_whole_seconds_and_an_ended_one_its_exact_span() {
        let now: DateTime<Utc> = "2026-12-01T10:00:00.018Z".parse().unwrap();
        let t0 = "2026-12-01T10:00:00Z";
        assert_eq!(elapsed(&run(State::Working, t0, t0), now), "0s");
        let later = now + chrono::Duration::milliseconds(7_500);
        assert_eq!(elapsed(&run(State::Working, t0, t0), later), "7s");
        let done = run(State::Completed, t0, "2026-12-01T10:00:00.018Z");
        assert_eq!(elapsed(&done, later), "18ms");
    }
}
