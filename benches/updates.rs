//! Per-event cost against the size of the history: one event through `update` (a run's
//! activity, a run's manifest read, a run finishing and resuming) in a dashboard that lists
//! 1,000 or 20,000 runs, and a session's history log growing by one line when it holds 1,000
//! or 20,000 lines (followed, as the dashboard and `watch` do, and read whole, as they did);
//! and, beside 1,000 runs, one agent session read again and one 200×50 frame drawn while
//! 100, 2,000 or 20,000 sessions are unfinished (the soak's window: a session counts as
//! unfinished until it is quiet for 10 minutes). Flat means the figure for the larger size is
//! the figure for the smaller.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::app::event::Msg;
use beadboard::app::model::Model;
use beadboard::app::outcome::{Outcome, RunRead};
use beadboard::events::Observer;
use beadboard::persist::assignment::{HistoryCursor, read_history, read_history_since};
use beadboard::persist::run::{Activity, State};
use beadboard::present::attention::Thresholds;
use chrono::Duration;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

#[path = "support/runs.rs"]
mod runs;
use runs::{run, session, start};
use std::io::Write;

const SIZES: [usize; 2] = [1_000, 20_000];

/// Runs active at once.
const ACTIVE: usize = 20;

/// A dashboard listing `size` runs (see [`runs::dashboard`]).
fn model(size: usize) -> Model {
    runs::dashboard(size, ACTIVE)
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

/// Sizes of the window of unfinished agent sessions.
const WINDOW: [usize; 3] = [100, 2_000, 20_000];

/// A dashboard listing 1,000 runs and `window` unfinished agent sessions.
fn with_sessions(window: usize) -> Model {
    let mut m = model(1_000);
    let now = start();
    let runs = (0..window)
        .map(|n| session(n, now, i64::try_from(n % 500).unwrap()))
        .collect();
    let found = beadboard::app::outcome::AgentsFound {
        runs,
        ..Default::default()
    };
    beadboard::app::update::update(
        &mut m,
        Msg::Done(Outcome::AgentsScanned(Box::new(found))),
        now,
    );
    let unfinished = m
        .runs
        .all()
        .filter(|r| r.session().is_some_and(|_| !r.is_complete()));
    assert_eq!(unfinished.count(), window, "every session unfinished");
    m
}

fn sessions(c: &mut Criterion) {
    let mut group = c.benchmark_group("one session event, by sessions unfinished");
    group.sample_size(30);
    for window in WINDOW {
        let mut m = with_sessions(window);
        let mut tick = 0i64;
        group.bench_with_input(BenchmarkId::new("session read", window), &window, |b, _| {
            b.iter(|| {
                tick += 1;
                let n = usize::try_from(tick).unwrap() % window;
                let when = start() + Duration::milliseconds(tick);
                let run = session(n, when, 0);
                let loaded = Outcome::AgentLoaded {
                    key: run.dir.clone(),
                    read: beadboard::app::outcome::AgentRead::Loaded(run, None),
                };
                beadboard::app::update::update(&mut m, Msg::Done(loaded), when)
            });
        });
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 50)).unwrap();
        let theme = beadboard::ui::Theme::default();
        group.bench_with_input(BenchmarkId::new("frame drawn", window), &window, |b, _| {
            b.iter(|| {
                let when = start() + Duration::milliseconds(tick);
                terminal
                    .draw(|f| beadboard::ui::render(f, &m, &theme, when))
                    .map(|_| ())
            });
        });
    }
    group.finish();
}

criterion_group!(updates, events, history, sessions);
criterion_main!(updates);
