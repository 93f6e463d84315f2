//! Runs for the per-event benches and the growth test: run `n` of a history, as a summary
//! (its directory under `/bench/ap`, its prompt naming bead `bb-n`).
#![allow(dead_code)]

use beadboard::persist::run::{Activity, Manifest, RunRecord, RunSummary, State, ToSummary};
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// The moment the history starts.
pub fn start() -> DateTime<Utc> {
    "2026-03-30T00:00:00Z".parse().unwrap()
}

/// Run `n`, in `state`, started (and, when finished, finished) at `at`.
pub fn run(n: usize, state: State, at: DateTime<Utc>) -> RunSummary {
    let repo = format!("repo{}", n % 40);
    let mut m = Manifest::new(
        i64::try_from(n).unwrap(),
        &format!("/src/{repo}"),
        &repo,
        &format!("Work on bead bb-{n:05}: a task"),
    );
    m.completed_at = state.is_terminal().then_some(at.fixed_offset());
    m.state = state;
    m.created_at = at.fixed_offset();
    m.updated_at = at.fixed_offset();
    RunRecord {
        dir: PathBuf::from(format!("/bench/ap/runs/{repo}/{n}")),
        repo_key: repo,
        run_key: n.to_string(),
        manifest: m,
        activity: Activity::default(),
        peek: None,
    }
    .to_summary()
    .into_owned()
}
