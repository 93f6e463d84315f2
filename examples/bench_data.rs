//! Generates the large fixtures the benchmarks use, encoded with beadboard's own types:
//! an agentpair root with many runs (one of them with a huge transcript), and NTM stores of
//! 1,000 and 10,000 beads.
//!
//! ```sh
//! cargo run --release --example bench_data -- bench-data [--runs 2000] [--transcript-mb 1024]
//! cargo run --release --example bench_data -- bench-data --year [--runs 20000] [--repos 40] \
//!     [--active 20] [--sessions 300] [--beads 20]     # writes bench-data/year/
//! cargo run --release --example bench_data -- bench-data --agents [--per-day 50] [--days 30] \
//!     [--claude-mb 480] [--codex-mb 420] [--gemini-mb 340] [--opencode-mb 220] \
//!     [--big-mb 1024]                                  # writes bench-data/agents/
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::persist::assignment::{Assignment, AssignmentStatus, StoreDocument};
use beadboard::persist::gojson;
use beadboard::persist::run::{EntryType, Manifest, State, TranscriptEntry, repo_id_from_path};
use std::io::{BufWriter, Write};
use std::path::Path;

/// Put once near the start of the big transcript, for the search benchmark.
const NEEDLE: &str = "needle-zebra-42";
/// The content of the big transcript's last entry.
const LAST: &str = "THE-LAST-LINE-MARKER";

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn entry(kind: EntryType, run: i64, n: i64, seconds: i64) -> TranscriptEntry {
    let mut e = TranscriptEntry::new(kind);
    e.timestamp =
        gojson::parse_time("2026-11-01T00:00:00Z").unwrap() + chrono::Duration::seconds(seconds);
    e.run_id = run;
    e.iteration = n;
    e
}

fn write_run(
    root: &Path,
    repo: &str,
    id: i64,
    state: State,
    transcript: impl FnOnce(&mut dyn Write),
) {
    let dir = root
        .join("runs")
        .join(repo_id_from_path(repo))
        .join(id.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let mut m = Manifest::new(
        id,
        repo,
        &repo_id_from_path(repo),
        &format!("Work on bead bb-{id:04}: benchmark task {id}"),
    );
    m.state = state.clone();
    m.current_iteration = 2;
    if state.is_terminal() {
        m.completed_at = Some(m.created_at);
    }
    m.save_as_is(&dir.join("manifest.json")).unwrap();
    std::fs::write(dir.join("bridge.jsonl"), b"").unwrap();
    let mut out = BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(dir.join("transcript.jsonl")).unwrap(),
    );
    transcript(&mut out);
    out.flush().unwrap();
}

fn small_transcript(out: &mut dyn Write, run: i64) {
    for (i, kind) in [
        EntryType::Start,
        EntryType::State,
        EntryType::Iteration,
        EntryType::Execute,
        EntryType::Result,
        EntryType::Signal,
    ]
    .into_iter()
    .enumerate()
    {
        let mut e = entry(kind, run, 1, i64::try_from(i).unwrap());
        e.content = "benchmark".into();
        out.write_all(e.to_line().as_bytes()).unwrap();
    }
}

fn big_transcript(out: &mut dyn Write, run: i64, bytes: u64) {
    let paragraph = "Refactored the handler, ran the suite: \u{1b}[32m42 passing\u{1b}[0m. Next the migration; the index on (customer_id, created_at) makes the query use an index-only scan.\n";
    let mut written = 0u64;
    let mut n = 0i64;
    while written < bytes {
        n += 1;
        let mut lines = Vec::new();
        lines.push(entry(EntryType::Iteration, run, n, n * 10));
        let mut exec = entry(EntryType::Execute, run, n, n * 10 + 1);
        exec.agent = "codex".into();
        exec.content = format!("{n} messages");
        lines.push(exec);
        let mut result = entry(EntryType::Result, run, n, n * 10 + 5);
        result.agent = "codex".into();
        result.duration = 4_000_000_000;
        result.content = paragraph.repeat(8 + usize::try_from(n % 24).unwrap());
        if n == 3 {
            result.content.push_str(NEEDLE);
        }
        lines.push(result);
        let mut signal = entry(EntryType::Signal, run, n, n * 10 + 6);
        signal.agent = "claude".into();
        signal.signal = if n % 7 == 0 { "FAIL" } else { "PASS" }.into();
        lines.push(signal);
        for l in lines {
            let text = l.to_line();
            written += text.len() as u64;
            out.write_all(text.as_bytes()).unwrap();
        }
    }
    let mut last = entry(EntryType::Result, run, n, n * 10 + 9);
    last.agent = "claude".into();
    last.content = LAST.into();
    out.write_all(last.to_line().as_bytes()).unwrap();
}

fn store(root: &Path, session: &str, beads: usize) {
    let now = gojson::parse_time("2026-11-01T00:00:00Z").unwrap();
    let mut doc = StoreDocument::new(session, now);
    for i in 0..beads {
        let id = format!("bb-{i:05}");
        let mut a = Assignment::new(
            &id,
            &format!("Benchmark bead {i}"),
            i64::try_from(i % 8).unwrap(),
            "claude",
            "",
            "Work on it",
            now + chrono::Duration::seconds(i64::try_from(i).unwrap()),
        );
        a.status = AssignmentStatus::KNOWN[i % 4].clone();
        doc.assignments.insert(id, a);
    }
    let dir = root.join("sessions").join(session);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("assignments.json"), doc.to_bytes()).unwrap();
}

#[path = "bench_data/year.rs"]
mod year;

#[path = "bench_data/agents.rs"]
mod agents;

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bench-data".to_owned());
    let out = Path::new(&out);
    if std::env::args().any(|a| a == "--agents") {
        let a = agents::Agents {
            per_day: usize::try_from(arg("--per-day", 50)).unwrap(),
            days: usize::try_from(arg("--days", 30)).unwrap(),
            mb: [
                arg("--claude-mb", 480),
                arg("--codex-mb", 420),
                arg("--gemini-mb", 340),
                arg("--opencode-mb", 220),
            ],
            big_mb: arg("--big-mb", 1024),
        };
        let dir = out.join("agents");
        let big = agents::generate(&dir, &a);
        println!(
            "agents: {} sessions a day for {} days for each of 4 agents in {}",
            a.per_day,
            a.days,
            dir.display()
        );
        if let Some(big) = big {
            println!("big claude session: {}", big.display());
        }
        return;
    }
    if std::env::args().any(|a| a == "--year") {
        let size = |name, default| usize::try_from(arg(name, default)).unwrap();
        let y = year::Year {
            runs: size("--runs", 20_000),
            repos: size("--repos", 40),
            active: size("--active", 20),
            sessions: size("--sessions", 300),
            beads: size("--beads", 20),
        };
        year::generate(&out.join("year"), &y, std::time::SystemTime::now());
        println!(
            "year: {} runs over {} repos ({} active), {} sessions of {} beads in {}",
            y.runs,
            y.repos,
            y.active,
            y.sessions,
            y.beads,
            out.join("year").display()
        );
        return;
    }
    let runs = arg("--runs", 2000);
    let mb = arg("--transcript-mb", 1024);
    let ap = out.join("agentpair");
    let big_dir = out.join("big-agentpair");
    for r in 0..runs {
        let repo = format!("/home/dev/src/repo{:02}", r % 20);
        let state = if r % 10 == 0 {
            State::Working
        } else {
            State::Completed
        };
        write_run(&ap, &repo, i64::try_from(r / 20 + 1).unwrap(), state, |w| {
            small_transcript(w, i64::try_from(r).unwrap())
        });
    }
    write_run(&big_dir, "/home/dev/src/huge", 1, State::Working, |w| {
        big_transcript(w, 1, mb * 1024 * 1024)
    });
    store(&out.join("ntm"), "bench1k", 1000);
    store(&out.join("ntm"), "bench10k", 10_000);
    let big = big_dir
        .join("runs")
        .join(repo_id_from_path("/home/dev/src/huge"))
        .join("1/transcript.jsonl");
    println!("runs: {} in {}", runs, ap.display());
    println!(
        "big transcript: {} ({} bytes)",
        big.display(),
        std::fs::metadata(&big).unwrap().len()
    );
    println!("stores: {}", out.join("ntm/sessions").display());
}
