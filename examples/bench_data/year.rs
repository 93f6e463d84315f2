//! The "year of history" case: tens of thousands of runs over many repos (a few still active),
//! each with a realistic transcript (several iterations of agent output with quotes,
//! backslashes, Unicode and colour escapes), file times spread over the past year, and
//! hundreds of NTM sessions of a few beads each.

use beadboard::persist::assignment::{Assignment, AssignmentStatus, StoreDocument};
use beadboard::persist::gojson::GoTime;
use beadboard::persist::run::{EntryType, Manifest, State, TranscriptEntry, repo_id_from_path};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// What to generate.
pub struct Year {
    pub runs: usize,
    pub repos: usize,
    pub active: usize,
    pub sessions: usize,
    pub beads: usize,
}

/// Found by the search benchmark: in three transcripts (one of them in the very last line).
pub const NEEDLE: &str = "needle-zebra-42";
/// Runs (by index) whose transcripts hold the needle.
const NEEDLE_RUNS: [usize; 3] = [137, 9_999, 19_876];

const PARAGRAPHS: [&str; 6] = [
    "Refactored the handler and ran the suite: \u{1b}[32m42 passing\u{1b}[0m, \u{1b}[33m1 pending\u{1b}[0m. Next the migration; the index on (customer_id, created_at) makes the query an index-only scan.\n",
    "```rust\nfn parse(s: &str) -> Result<Config, Error> {\n\tlet v: Value = serde_json::from_str(s)?; // \"strict\" mode\n\tOk(Config::from(v))\n}\n```\n",
    "The Windows path C:\\Users\\dev\\src\\app failed with \"access denied\"; the café's menu test now uses UTF-8 (naïve → naive) ✅ and the 日本語 fixture loads.\n",
    "Reviewed the diff: LGTM except the retry loop in worker.go, which never backs off. Please add jitter and a cap; see RFC 7231 §6.6.\n",
    "$ cargo test --release\n   Compiling app v0.3.1\n    Finished `release` profile [optimized] target(s) in 41.07s\n     Running unittests src/lib.rs\ntest result: ok. 318 passed; 0 failed; 2 ignored\n",
    "I'll split the 900-line module into parser.rs, lexer.rs and eval.rs, keeping the public API; the <Token> enum moves with the lexer & its tests.\n",
];

fn at(t: SystemTime) -> GoTime {
    chrono::DateTime::<chrono::Utc>::from(t).fixed_offset()
}

fn entry(kind: EntryType, run: i64, n: i64, t: SystemTime) -> TranscriptEntry {
    let mut e = TranscriptEntry::new(kind);
    e.timestamp = at(t);
    e.run_id = run;
    e.iteration = n;
    e
}

fn agent_output(rng: &mut fastrand::Rng, paragraphs: usize) -> String {
    (0..paragraphs)
        .map(|_| PARAGRAPHS[rng.usize(..PARAGRAPHS.len())])
        .collect()
}

/// A transcript as agentpair writes it: start, iterations of execute/result/signal, then the
/// end the state calls for. Returns the lines.
fn transcript(rng: &mut fastrand::Rng, run: i64, state: &State, start: SystemTime) -> Vec<String> {
    let mut t = start;
    let mut tick = |secs: u64| {
        t += Duration::from_secs(secs);
        t
    };
    let mut lines = Vec::new();
    let mut push = |e: TranscriptEntry| lines.push(e.to_line());
    let mut s = entry(EntryType::Start, run, 0, tick(0));
    s.content = format!("Work on bead bb-{run:05}: make the importer idempotent");
    push(s);
    let mut w = entry(EntryType::State, run, 0, tick(1));
    w.state = Some(State::Working);
    push(w);
    let iterations = rng.i64(1..=6);
    for n in 1..=iterations {
        push(entry(EntryType::Iteration, run, n, tick(1)));
        for (agent, size) in [("codex", rng.usize(4..=18)), ("claude", rng.usize(1..=5))] {
            let mut x = entry(EntryType::Execute, run, n, tick(1));
            x.agent = agent.into();
            x.content = format!("{n} messages");
            push(x);
            let mut r = entry(EntryType::Result, run, n, tick(rng.u64(20..400)));
            r.agent = agent.into();
            r.content = agent_output(rng, size);
            r.duration = 4_000_000_000;
            push(r);
        }
        let mut sig = entry(EntryType::Signal, run, n, tick(1));
        sig.agent = "claude".into();
        sig.signal = if n == iterations { "PASS" } else { "FAIL" }.into();
        push(sig);
    }
    match state {
        State::Completed => {
            let mut e = entry(EntryType::End, run, 0, tick(1));
            e.state = Some(State::Completed);
            e.duration = 460_018_297_999;
            push(e);
        }
        State::Failed => {
            let mut e = entry(EntryType::Error, run, iterations, tick(1));
            e.agent = "codex".into();
            e.error = "codex: request timed out after 5m0s".into();
            push(e);
        }
        _ => {}
    }
    lines
}

/// Sets a file's modification time.
pub fn set_time(path: &Path, t: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

/// Writes the case under `out` (`agentpair/` and `ntm/`), a year up to `now`.
pub fn generate(out: &Path, y: &Year, now: SystemTime) {
    let mut rng = fastrand::Rng::with_seed(2026);
    let year = Duration::from_secs(365 * 24 * 3600);
    let root = out.join("agentpair").join("runs");
    let mut next_id = vec![0i64; y.repos];
    for r in 0..y.runs {
        let repo_index = r % y.repos;
        let repo = format!("/home/dev/src/project-{repo_index:02}");
        next_id[repo_index] += 1;
        let id = next_id[repo_index];
        let active = r >= y.runs - y.active;
        // Older runs first; the active ones started in the last hour.
        let start = if active {
            now - Duration::from_secs(rng.u64(60..3600))
        } else {
            now - year + year.mul_f64(r as f64 / y.runs as f64)
        };
        let state = if active {
            [State::Working, State::Reviewing, State::Submitted][r % 3].clone()
        } else if r % 11 == 0 {
            State::Failed
        } else if r % 97 == 0 {
            State::Cancelled
        } else {
            State::Completed
        };
        let dir = root.join(repo_id_from_path(&repo)).join(id.to_string());
        std::fs::create_dir_all(&dir).unwrap();
        let mut lines = transcript(&mut rng, id, &state, start);
        if let Some(k) = NEEDLE_RUNS.iter().position(|&n| n == r % y.runs.max(1)) {
            let mut e = entry(EntryType::Result, id, 1, start);
            e.agent = "codex".into();
            e.content = format!("found it: {NEEDLE}");
            // First run: the first line; second: the middle; third: the very last line.
            match k {
                0 => lines.insert(0, e.to_line()),
                1 => lines.insert(lines.len() / 2, e.to_line()),
                _ => lines.push(e.to_line()),
            }
        }
        let end = start + Duration::from_secs(60 * lines.len() as u64);
        let end = if active {
            now - Duration::from_secs(5)
        } else {
            end
        };
        let transcript_path = dir.join("transcript.jsonl");
        let mut w = BufWriter::new(std::fs::File::create(&transcript_path).unwrap());
        for l in &lines {
            w.write_all(l.as_bytes()).unwrap();
        }
        w.flush().unwrap();
        drop(w);
        let mut m = Manifest::new(
            id,
            &repo,
            &repo_id_from_path(&repo),
            &format!(
                "Work on bead bb-{r:05}: make the importer idempotent and cover the retry path. {}",
                "Keep the public API; add tests for the edge cases. ".repeat(r % 5)
            ),
        );
        m.created_at = at(start);
        m.updated_at = at(end);
        m.state = state.clone();
        m.current_iteration = 2;
        m.tmux_session = format!("agentpair-project-{repo_index:02}-{id}");
        if state.is_terminal() {
            m.completed_at = Some(at(end));
        }
        if state == State::Failed {
            m.error = "max iterations reached".into();
        }
        let manifest = dir.join("manifest.json");
        m.save_as_is(&manifest).unwrap();
        std::fs::write(dir.join("bridge.jsonl"), b"").unwrap();
        for f in [&manifest, &transcript_path, &dir.join("bridge.jsonl")] {
            set_time(f, end);
        }
    }
    let sessions = out.join("ntm").join("sessions");
    for s in 0..y.sessions {
        let name = format!("proj-{s:03}");
        let changed = now - year + year.mul_f64(s as f64 / y.sessions.max(1) as f64);
        let when = at(changed);
        let mut doc = StoreDocument::new(&name, when);
        for b in 0..y.beads {
            let id = format!("bd-{s:03}-{b:02}");
            let mut a = Assignment::new(
                &id,
                &format!("Bead {b} of session {s}"),
                i64::try_from(b % 4).unwrap(),
                "claude",
                "",
                "Work on it",
                when,
            );
            a.status = AssignmentStatus::KNOWN[(s + b) % 4].clone();
            doc.assignments.insert(id, a);
        }
        let dir = sessions.join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("assignments.json");
        std::fs::write(&path, doc.to_bytes()).unwrap();
        set_time(&path, changed);
    }
}
