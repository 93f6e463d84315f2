//! Transcript benchmarks: opening at the end (window load), search throughput, live tail.
//! Run with `cargo bench --bench transcript`; figures are recorded in BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::app::model::TranscriptPane;
use beadboard::app::search::{SearchRequest, scan};
use beadboard::persist::run::{TRANSCRIPT_FILE, TranscriptTail};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::io::Write;
use std::sync::Arc;

const SIZE: usize = 64 * 1024 * 1024;

fn line(n: usize) -> String {
    let content = "Refactored the handler, ran the suite: 42 passing. Next the migration.\\n"
        .repeat(8 + n % 24);
    format!(
        "{{\"type\":\"result\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"run_id\":1,\"iteration\":{n},\"agent\":\"codex\",\"content\":\"{content}\",\"duration\":4000000000}}\n"
    )
}

fn big_file() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut out =
        std::io::BufWriter::new(std::fs::File::create(dir.path().join(TRANSCRIPT_FILE)).unwrap());
    let mut written = 0;
    let mut n = 0;
    while written < SIZE {
        n += 1;
        let l = if n == 3 {
            line(n).replace("migration.", "migration. needle-zebra-42")
        } else {
            line(n)
        };
        written += l.len();
        out.write_all(l.as_bytes()).unwrap();
    }
    out.flush().unwrap();
    dir
}

fn benches(c: &mut Criterion) {
    let dir = big_file();
    let path = dir.path().join(TRANSCRIPT_FILE);
    let len = std::fs::metadata(&path).unwrap().len();
    let mut group = c.benchmark_group("transcript");
    group.sample_size(20);
    group.bench_function("open a 64 MiB transcript at its end", |b| {
        b.iter(|| {
            let mut pane = TranscriptPane::default();
            pane.open(dir.path().to_path_buf(), "bench".into());
            assert!(!pane.is_empty());
        });
    });
    group.throughput(Throughput::Bytes(len));
    group.bench_function("search 64 MiB (rare needle)", |b| {
        b.iter(|| {
            let request = SearchRequest {
                id: 1,
                path: path.clone(),
                query: "needle-zebra".into(),
                until: len,
                cancel: Arc::default(),
                format: beadboard::search::LineFormat::Agentpair,
            };
            let mut found = 0;
            scan(&request, |u| found += u.offsets.len());
            assert_eq!(found, 1);
        });
    });
    group.bench_function("search 64 MiB (needle on every line)", |b| {
        b.iter(|| {
            let request = SearchRequest {
                id: 1,
                path: path.clone(),
                query: "migration".into(),
                until: len,
                cancel: Arc::default(),
                format: beadboard::search::LineFormat::Agentpair,
            };
            let mut found = 0;
            scan(&request, |u| found += u.offsets.len());
            assert!(found > 1000);
        });
    });
    group.finish();
    let mut group = c.benchmark_group("tail");
    let lines: String = (0..1000).map(line).collect();
    group.throughput(Throughput::Elements(1000));
    group.bench_function("read 1000 appended lines", |b| {
        b.iter_batched(
            || {
                let d = tempfile::tempdir().unwrap();
                std::fs::write(d.path().join("t.jsonl"), &lines).unwrap();
                d
            },
            |d| {
                let events = TranscriptTail::new(d.path().join("t.jsonl"))
                    .poll()
                    .unwrap();
                assert_eq!(events.len(), 1000);
            },
            criterion::BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(transcript, benches);
criterion_main!(transcript);
