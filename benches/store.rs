//! Store benchmarks at 10, 1,000 and 10,000 beads: load, and one durable transition (lock,
//! re-read, validate, temp file + fsync + rename + directory fsync, history append).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/fixtures.rs"]
mod fixtures;

use beadboard::persist::assignment::AssignmentStore;
use beadboard::persist::assignment::v9::NtmWriter;
use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};

fn store_with(beads: usize) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    fixtures::write_store(home.path(), &fixtures::store("bench", beads, 2));
    home
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("store");
    group.sample_size(30);
    for beads in [10, 1000, 10_000] {
        let home = store_with(beads);
        group.bench_with_input(BenchmarkId::new("load", beads), &beads, |b, _| {
            b.iter(|| AssignmentStore::load_store(home.path(), "bench").unwrap());
        });
        // As on disk after NTM's (or our) first save: a `.bak` beside it, whose schema the
        // load peeks at.
        let with_bak = store_with(beads);
        let dir = with_bak.path().join("sessions/bench");
        std::fs::copy(
            dir.join("assignments.json"),
            dir.join("assignments.json.bak"),
        )
        .unwrap();
        group.bench_with_input(
            BenchmarkId::new("load (with .bak)", beads),
            &beads,
            |b, _| {
                b.iter(|| AssignmentStore::load_store(with_bak.path(), "bench").unwrap());
            },
        );
        group.bench_with_input(
            BenchmarkId::new("transition (durable)", beads),
            &beads,
            |b, _| {
                b.iter_batched(
                    || {
                        let copy = tempfile::tempdir().unwrap();
                        let dir = copy.path().join("sessions/bench");
                        std::fs::create_dir_all(&dir).unwrap();
                        std::fs::copy(
                            home.path().join("sessions/bench/assignments.json"),
                            dir.join("assignments.json"),
                        )
                        .unwrap();
                        let store = AssignmentStore::load_store(copy.path(), "bench").unwrap();
                        (copy, store)
                    },
                    |(copy, mut store)| {
                        store.mark_working("bb-00000").unwrap();
                        copy
                    },
                    BatchSize::PerIteration,
                );
            },
        );
    }
    group.finish();
    schema9(c);
}

/// Today's NTM stores: both files read and NTM's strict rules checked on each load; a direct
/// `start` through both of NTM's locks, published backup first.
fn schema9(c: &mut Criterion) {
    let mut group = c.benchmark_group("store schema 9");
    group.sample_size(20);
    for beads in [10, 1000, 10_000] {
        let home = tempfile::tempdir().unwrap();
        fixtures::write_v9_store(home.path(), "bench", beads);
        group.bench_with_input(BenchmarkId::new("load", beads), &beads, |b, _| {
            b.iter(|| AssignmentStore::load_store(home.path(), "bench").unwrap());
        });
        group.bench_with_input(
            BenchmarkId::new("start (durable)", beads),
            &beads,
            |b, _| {
                b.iter_batched(
                    || {
                        let copy = tempfile::tempdir().unwrap();
                        fixtures::write_v9_store(copy.path(), "bench", beads);
                        let store = AssignmentStore::load_store(copy.path(), "bench").unwrap();
                        let row = store.get("bb-00000").unwrap().clone();
                        (copy, row)
                    },
                    |(copy, row)| {
                        NtmWriter::new(copy.path(), "bench")
                            .unwrap()
                            .start(&row)
                            .unwrap();
                        copy
                    },
                    BatchSize::PerIteration,
                );
            },
        );
    }
    group.finish();
}

criterion_group!(store, benches);
criterion_main!(store);
