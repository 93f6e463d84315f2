//! Nothing grows with time beside the runs' own rows (issue 20, item 8), headless: a dashboard
//! that sees many agentpair runs and agent sessions start, finish and go quiet keeps, beside
//! each run's row in the list, only what its active runs need. The observer watches only the
//! unfinished, the sessions keep where their reading stopped only while unfinished, and the
//! announcements remembered stay bounded, however many have come and gone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::app::event::Msg;
use beadboard::app::keymap::Keymap;
use beadboard::app::model::{Model, Settings};
use beadboard::app::outcome::{AgentRead, Outcome, RunRead};
use beadboard::app::update::update;
use beadboard::app::work::agents::{Judge, Liveness, as_run};
use beadboard::config::Roots;
use beadboard::persist::run::{RunSummary, State};
use beadboard::persist::session::{Agent, SessionSource, Summarizer};
use chrono::{DateTime, Duration, Utc};
use std::path::PathBuf;
use std::sync::Arc;

#[path = "../benches/support/runs.rs"]
mod runs;
use runs::{run, start};

/// Session `n` as read at `at`, last written then, and where its reading stopped.
fn session(n: usize, at: DateTime<Utc>) -> AgentRead {
    let file = PathBuf::from(format!("/growth/claude/projects/-src-api/{n:08}.jsonl"));
    let (mut summary, resume) = Summarizer::new(Agent::Claude, SessionSource::Lines(file)).split();
    summary.id = format!("{n:08}-0000-4000-8000-000000000000");
    summary.cwd = "/src/api".to_owned();
    summary.prompt_head = format!("Work on bead bb-{n:05}");
    summary.started_at = Some(at);
    summary.last_entry_at = Some(at);
    let judge = Judge {
        quiet: std::time::Duration::from_secs(600),
        now: at,
    };
    let run = as_run(summary, None, &Liveness::new(), &judge);
    AgentRead::Loaded(Arc::new(run), Some(Box::new(resume)))
}

fn model() -> Model {
    let roots = Roots {
        agentpair: "/bench/ap".into(),
        ntm: "/bench/ntm".into(),
        beads: None,
        agents: Default::default(),
    };
    let mut m = Model::new(
        roots,
        Settings::default(),
        Keymap::default(),
        (200, 50),
        start(),
    );
    m.take_effects();
    let page = Outcome::RunsPage {
        runs: Vec::new(),
        first: true,
        loaded: 0,
        total: 0,
        problems: Vec::new(),
    };
    update(&mut m, Msg::Done(page), start());
    m
}

fn loaded(dir: PathBuf, run: RunSummary) -> Msg {
    Msg::Done(Outcome::RunLoaded {
        dir,
        read: RunRead::Loaded(Box::new(run)),
        retry: false,
    })
}

/// Every minute for `minutes`, a run and a session start, and the run of the minute before
/// finishes; sessions finish by the clock once quiet for 10 minutes. What the dashboard keeps
/// beside the rows follows the runs and sessions active, never all that came and went.
#[test]
fn what_is_kept_beside_the_rows_follows_the_active_runs_not_the_history() {
    let mut m = model();
    let minutes = 300;
    for k in 0..minutes {
        let now = start() + Duration::minutes(i64::try_from(k).unwrap());
        let fresh = run(k, State::Working, now);
        update(&mut m, loaded(fresh.dir.clone(), fresh), now);
        if k > 0 {
            let done = run(k - 1, State::Completed, now);
            update(&mut m, loaded(done.dir.clone(), done), now);
        }
        let read = session(k, now);
        let AgentRead::Loaded(run, _) = &read else {
            unreachable!()
        };
        let key = run.dir.clone();
        update(&mut m, Msg::Done(Outcome::AgentLoaded { key, read }), now);
        update(&mut m, Msg::Tick, now);
        let unfinished = m.runs.all().filter(|r| !r.is_complete()).count();
        // One run working, and the sessions of the last 10 minutes.
        assert!(unfinished <= 1 + 11, "minute {k}: {unfinished} unfinished");
        assert_eq!(m.observer.watched(), unfinished, "minute {k}");
        let sessions = m
            .runs
            .all()
            .filter(|r| r.session().is_some() && !r.is_complete())
            .count();
        assert_eq!(m.runs.sessions_read_on(), sessions, "minute {k}");
    }
    assert_eq!(m.runs.all().count(), 2 * minutes, "every row listed");
    // Bounded by the items watched and the last few forgotten, not by the 600 that came.
    assert!(
        m.observer.announcements_remembered() <= 8 * 12 + 512,
        "{}",
        m.observer.announcements_remembered()
    );
    // Quiet for an hour: only the working run is left to watch.
    let later = start() + Duration::minutes(i64::try_from(minutes).unwrap() + 60);
    update(&mut m, Msg::Tick, later);
    assert_eq!(m.runs.sessions_read_on(), 0);
    assert_eq!(m.observer.watched(), 1);
}
