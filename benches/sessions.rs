//! Agent-session benchmarks: decoding a 12 MB Claude tool-result line, summarising a large
//! Claude transcript (the 1 GB case scaled down to 256 MB; the rate is what matters), and
//! listing 6,000 Claude sessions (stat only). Run with `cargo bench --bench sessions`; figures
//! are recorded in BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::persist::session::{
    Agent, SessionFile, SessionRoots, SessionSource, decode_line, list, summarize,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::io::Write;

/// A tool result line of about `size` bytes (escaped newlines, as real outputs have).
fn tool_result(size: usize) -> String {
    let body = "src/app.rs:42: warning: unused variable `x`\\n".repeat(size / 46 + 1);
    format!(
        r#"{{"parentUuid":"p","isSidechain":false,"cwd":"/home/dev/webapp","sessionId":"s","type":"user","message":{{"role":"user","content":[{{"type":"tool_result","tool_use_id":"toolu_1","content":"{body}"}}]}},"uuid":"u","timestamp":"2026-08-20T14:00:19.001Z","toolUseResult":{{"stdout":"{body}"}}}}"#
    )
}

fn assistant(n: usize) -> String {
    format!(
        r#"{{"type":"assistant","sessionId":"s","cwd":"/home/dev/webapp","timestamp":"2026-08-20T14:00:07.904Z","message":{{"id":"msg_{n}","model":"claude-sonnet-4-5","role":"assistant","stop_reason":"tool_use","content":[{{"type":"tool_use","id":"toolu_{n}","name":"Bash","input":{{"command":"npm test"}}}}],"usage":{{"input_tokens":3,"cache_creation_input_tokens":1412,"cache_read_input_tokens":20310,"output_tokens":88}}}}}}"#
    )
}

/// A Claude transcript of about `size` bytes: prompts, responses and tool results from 2 KB to
/// 1 MB.
fn transcript(size: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut out =
        std::io::BufWriter::new(std::fs::File::create(dir.path().join("s.jsonl")).unwrap());
    let (mut written, mut n) = (0, 0);
    while written < size {
        n += 1;
        let line = match n % 4 {
            0 => tool_result(2_000 << (n % 10)),
            1 => r#"{"type":"user","sessionId":"s","message":{"role":"user","content":"go on"},"timestamp":"2026-08-20T14:00:03Z"}"#.to_owned(),
            _ => assistant(n),
        };
        written += line.len() + 1;
        writeln!(out, "{line}").unwrap();
    }
    out.flush().unwrap();
    dir
}

fn bench(c: &mut Criterion) {
    let line = tool_result(12_000_000);
    let mut g = c.benchmark_group("sessions");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(line.len() as u64));
    g.bench_function("decode a 12 MB tool result line", |b| {
        b.iter(|| decode_line(Agent::Claude, line.as_bytes()));
    });

    let size = 256 << 20;
    let dir = transcript(size);
    let file = SessionFile {
        agent: Agent::Claude,
        source: SessionSource::Lines(dir.path().join("s.jsonl")),
        id_hint: None,
        stamp: None,
    };
    g.throughput(Throughput::Bytes(size as u64));
    g.bench_function("summarise a 256 MB Claude transcript", |b| {
        b.iter(|| summarize(&file, None).unwrap());
    });

    let home = tempfile::tempdir().unwrap();
    for p in 0..60 {
        let project = home.path().join(format!("projects/-home-dev-project-{p}"));
        std::fs::create_dir_all(&project).unwrap();
        for s in 0..100 {
            std::fs::write(
                project.join(format!("{p:04}{s:04}-0000-4000-8000-000000000000.jsonl")),
                "{}\n",
            )
            .unwrap();
        }
    }
    let roots = SessionRoots {
        claude: vec![home.path().to_path_buf()],
        ..SessionRoots::default()
    };
    g.throughput(Throughput::Elements(6_000));
    g.bench_function("list 6,000 Claude sessions", |b| {
        b.iter(|| assert_eq!(list(&roots).sessions.len(), 6_000));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
