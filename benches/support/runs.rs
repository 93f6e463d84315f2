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

/// Agent session `n`, written to last `seconds` before `at` (all within the quiet window).
pub fn session(n: usize, at: DateTime<Utc>, seconds: i64) -> std::sync::Arc<RunSummary> {
    use beadboard::app::work::agents::{Judge, Liveness, as_run};
    use beadboard::persist::session::{Agent, SessionSource, Summarizer};
    use chrono::Duration;
    use std::sync::Arc;
    let file = PathBuf::from(format!("/bench/claude/projects/-src-repo/{n:08}.jsonl"));
    let mut summary = Summarizer::new(Agent::Claude, SessionSource::Lines(file)).into_summary();
    summary.id = format!("{n:08}-0000-4000-8000-000000000000");
    summary.cwd = format!("/src/repo{}", n % 40);
    summary.prompt_head = format!("Work on bead bb-{n:05}");
    summary.started_at = Some(at - Duration::minutes(9));
    summary.last_entry_at = Some(at - Duration::seconds(seconds));
    summary.turns = 1;
    let judge = Judge {
        quiet: std::time::Duration::from_secs(600),
        now: at,
    };
    Arc::new(as_run(summary, None, &Liveness::new(), &judge))
}

/// A dashboard listing `size` runs, the first `active` of them working and the rest completed,
/// one a minute back from [`start`], its stores read once (none here), as the dashboard has
/// them a moment after it starts: until then each read settles every item.
pub fn dashboard(size: usize, active: usize) -> beadboard::app::model::Model {
    use beadboard::app::event::Msg;
    use beadboard::app::keymap::Keymap;
    use beadboard::app::model::{Model, Settings};
    use beadboard::app::outcome::Outcome;
    use beadboard::config::Roots;
    use std::sync::Arc;
    let roots = Roots {
        agentpair: "/bench/ap".into(),
        ntm: "/bench/ntm".into(),
        beads: None,
        agents: Default::default(),
    };
    let now = start();
    let mut model = Model::new(
        roots,
        Settings::default(),
        Keymap::default(),
        (200, 50),
        now,
    );
    model.take_effects();
    let runs: Vec<Arc<RunSummary>> = (0..size)
        .map(|n| {
            let ago = chrono::Duration::minutes(i64::try_from(n).unwrap());
            let state = if n < active {
                State::Working
            } else {
                State::Completed
            };
            Arc::new(run(n, state, now - ago))
        })
        .collect();
    let page = Outcome::RunsPage {
        runs,
        first: true,
        loaded: size,
        total: size,
        problems: Vec::new(),
    };
    beadboard::app::update::update(&mut model, Msg::Done(page), now);
    let observed = Outcome::SessionsObserved {
        sessions: Vec::new(),
        announce: false,
    };
    beadboard::app::update::update(&mut model, Msg::Done(observed), now);
    model
}
