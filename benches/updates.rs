//! Per-event cost against the size of the history: one event through `update` (a run's
//! activity, a run's manifest read, a run finishing and resuming) in a dashboard that lists
//! 1,000 or 20,000 runs, and a session's history log growing by one line when it holds 1,000
//! or 20,000 lines (followed, as the dashboard and `watch` do, and read whole, as they did).
//! Flat means the figure for 20,000 is the figure for 1,000.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::app::event::Msg;
use beadboard::app::keymap::Keymap;
use beadboard::app::model::{Model, Settings};
use beadboard::app::outcome::{Outcome, RunRead};
use beadboard::config::Roots;
use beadboard::events::Observer;
use beadboard::persist::assignment::{HistoryCursor, read_history, read_history_since};
use beadboard::persist::run::{Activity, Manifest, RunRecord, RunSummary, State, ToSummary};
use beadboard::present::attention::Thresholds;
use chrono::{DateTime, Duration, Utc};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

const SIZES: [usize; 2] = [1_000, 20_000];

/// Runs active at once.
const ACTIVE: usize = 20;

fn start() -> DateTime<Utc> {
    "2026-03-30T00:00:00Z".parse().unwrap()
}

/// Run `n`: the first [`ACTIVE`] working, the rest completed a minute apart before them.
fn run(n: usize, state: State, at: DateTime<Utc>) -> RunSummary {
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

/// A dashboard listing `size` runs.
fn model(size: usize) -> Model {
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
            let ago = Duration::minutes(i64::try_from(n).unwrap());
            let state = if n < ACTIVE {
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
    model
}

fn events(c: &mut Criterion) {
    let mut group = c.benchmark_group("one event, by runs listed");
    group.sample_size(30);
    for size in SIZES {
        let mut m = model(size);
        let mut tick = 0i64;
        group.bench_with_input(BenchmarkId::new("run activity", size), &size, |b, _| {
            b.iter(|| {
                tick += 1;
                let n = usize::try_from(tick).unwrap() % ACTIVE;
                let when = start() + Duration::seconds(tick);
                let activity = Activity {
                    transcript_modified: Some(when.into()),
                    ..Activity::default()
                };
                let dir = run(n, State::Working, when).dir;
                let touched = Outcome::RunTouched {
                    dir,
                    activity,
                    peek: None,
                };
                beadboard::app::update::update(&mut m, Msg::Done(touched), when)
            });
        });
        group.bench_with_input(BenchmarkId::new("run read", size), &size, |b, _| {
            b.iter(|| {
                tick += 1;
                let n = usize::try_from(tick).unwrap() % ACTIVE;
                let when = start() + Duration::seconds(tick);
                let read = RunRead::Loaded(Box::new(run(n, State::Working, when)));
                let dir = run(n, State::Working, when).dir;
                let loaded = Outcome::RunLoaded {
                    dir,
                    read,
                    retry: false,
                };
                beadboard::app::update::update(&mut m, Msg::Done(loaded), when)
            });
        });
        group.bench_with_input(
            BenchmarkId::new("run finishes and resumes", size),
            &size,
            |b, _| {
                b.iter(|| {
                    tick += 1;
                    let n = usize::try_from(tick).unwrap() % ACTIVE;
                    let when = start() + Duration::seconds(tick);
                    for state in [State::Completed, State::Working] {
                        let read = RunRead::Loaded(Box::new(run(n, state.clone(), when)));
                        let dir = run(n, state, when).dir;
                        let loaded = Outcome::RunLoaded {
                            dir,
                            read,
                            retry: false,
                        };
                        beadboard::app::update::update(&mut m, Msg::Done(loaded), when);
                    }
                });
            },
        );
    }
    group.finish();
}

/// Line `n` of a history log: bead `n % 500` assigned, a second after the line before.
fn history_line(n: usize) -> String {
    let time = start() + Duration::seconds(i64::try_from(n).unwrap());
    let time = time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let bead = n % 500;
    format!(r#"{{"time":"{time}","bead_id":"bb-{bead:05}","op":"assign","to":"assigned"}}"#)
}

fn history(c: &mut Criterion) {
    let mut group = c.benchmark_group("history log grows by a line, by lines");
    group.sample_size(30);
    for size in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("assignments.history.jsonl");
        let text: String = (0..size).map(|n| history_line(n) + "\n").collect();
        std::fs::write(&path, &text).unwrap();
        let line = history_line(size);
        let mut log = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        let now = start() + Duration::days(1);
        let mut observer = Observer::new(Thresholds::default());
        let first = read_history_since(&path, HistoryCursor::default()).unwrap();
        assert_eq!(first.records.len(), size, "every line reads");
        let mut cursor = first.cursor;
        group.bench_with_input(BenchmarkId::new("followed", size), &size, |b, _| {
            b.iter(|| {
                writeln!(log, "{line}").unwrap();
                let tail = read_history_since(&path, cursor).unwrap();
                cursor = tail.cursor;
                observer.history_read("s", &tail, now)
            });
        });
        // How it was: the whole log read again (the log is cut back to its size first).
        std::fs::write(&path, &text).unwrap();
        group.bench_with_input(BenchmarkId::new("read whole", size), &size, |b, _| {
            b.iter(|| {
                let all = read_history(&path).unwrap();
                observer.history("s", &all, now)
            });
        });
    }
    group.finish();
}

criterion_group!(updates, events, history);
criterion_main!(updates);
