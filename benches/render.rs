//! Frame benchmarks: building and rendering a 200×50 frame with a 10,000-bead board and a large
//! transcript open (the window keeps the cost independent of the file's size).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::app::event::{Change, Msg};
use beadboard::app::model::Pane;
use beadboard::persist::assignment::{AssignmentStatus, StoreDocument};
use beadboard::persist::run::{Manager, Paths, RunConfig};
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "support/fixtures.rs"]
mod fixtures;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::io::Write;

fn setup() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let run = Manager::new(Paths::new(home.path().join("ap")), "/home/dev/src/huge")
        .create("Work on bead bb-00001: big", &RunConfig::default())
        .unwrap();
    let mut out = std::io::BufWriter::new(std::fs::File::create(run.transcript.path()).unwrap());
    for n in 0..50_000 {
        let content =
            "Refactored the handler; \\u001b[32m42 passing\\u001b[0m.\\nNext the migration.\\n"
                .repeat(1 + n % 6);
        writeln!(out, "{{\"type\":\"result\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"run_id\":1,\"iteration\":{n},\"agent\":\"codex\",\"content\":\"{content}\",\"duration\":4000000000}}").unwrap();
    }
    out.flush().unwrap();
    fixtures::write_store(
        &home.path().join("ntm"),
        &fixtures::store("bench10k", 10_000, 4),
    );
    home
}

fn benches(c: &mut Criterion) {
    let home = setup();
    let mut model = fixtures::model(home.path());
    model.focus = Pane::Board;
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    let now = chrono::Utc::now();
    c.bench_function("frame 200x50: 10k beads + big transcript", |b| {
        b.iter(|| {
            terminal
                .draw(|f| beadboard::ui::render(f, &model, &beadboard::ui::Theme::default(), now))
                .unwrap();
        });
    });
    c.bench_function("board: move the selection (10k beads)", |b| {
        b.iter(|| {
            model.board.move_row(1);
            model.board.move_row(-1);
        });
    });
    // Another program changed one bead: re-read the store, re-derive attention, rebuild the
    // columns (the file is rewritten outside the timing).
    let path = home.path().join("ntm/sessions/bench10k/assignments.json");
    let mut doc = StoreDocument::from_bytes(&std::fs::read(&path).unwrap()).unwrap();
    let mut flip = 0usize;
    let mut group = c.benchmark_group("store changed on disk");
    group.sample_size(20);
    group.bench_function("reload + attention, 10k beads", |b| {
        b.iter_batched(
            || {
                flip += 1;
                let id = format!("bb-{:05}", flip % 10_000);
                if let Some(a) = doc.assignments.get_mut(&id) {
                    a.status = AssignmentStatus::KNOWN[flip % 4].clone();
                }
                std::fs::write(&path, doc.to_bytes()).unwrap();
            },
            |()| {
                let change = Msg::Disk(Change::Store("bench10k".into()));
                beadboard::app::step(&mut model, change, now);
            },
            criterion::BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(render, benches, board_key);
criterion_main!(render);

/// A board key through `update`, as the event loop runs it: resolve, store transition (lock,
/// re-read, write, fsync, rename, history), re-sort the board.
fn board_key(c: &mut Criterion) {
    use beadboard::app::event::Msg;
    use crossterm::event::{KeyCode, KeyEvent};
    let doc = fixtures::store("bench1k", 1000, 4);
    let bytes = doc.to_bytes();
    let mut group = c.benchmark_group("board key");
    group.sample_size(30);
    group.bench_function("s on a 1000-bead board (durable)", |b| {
        b.iter_batched(
            || {
                let home = tempfile::tempdir().unwrap();
                let dir = home.path().join("ntm/sessions/bench1k");
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join("assignments.json"), &bytes).unwrap();
                let mut model = fixtures::model(home.path());
                model.focus = Pane::Board;
                (home, model)
            },
            |(home, mut model)| {
                beadboard::app::step(
                    &mut model,
                    Msg::Key(KeyEvent::from(KeyCode::Char('s'))),
                    chrono::Utc::now(),
                );
                assert_eq!(
                    model.status.as_ref().map(|s| s.kind),
                    Some(beadboard::app::model::StatusKind::Success)
                );
                home
            },
            criterion::BatchSize::PerIteration,
        );
    });
    group.finish();
}
