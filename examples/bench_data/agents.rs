//! A month of agent sessions, as a heavy user keeps them: 50 sessions a day for 30 days for each
//! of Claude Code, Codex, Gemini and OpenCode (6,000 in all, about 4 GB), in the agents' own
//! on-disk shapes and record mixes: Claude's `projects/<enc>/<uuid>.jsonl` with sub-agents and
//! persisted tool outputs, Codex's `sessions/YYYY/MM/DD/rollout-*.jsonl`, Gemini's
//! `tmp/<slug>/chats/session-*.jsonl` (upserts, `$set`), and an OpenCode SQLite database. Some
//! tool results are single lines of 12 MB; one Claude session is 1 GiB and ends with
//! [`super::LAST`], one Codex rollout is over 500 MB. The needle is in one session of each
//! agent (the last record of the Codex one).

#[path = "agents/claude.rs"]
mod claude;
#[path = "agents/codex.rs"]
mod codex;
#[path = "agents/gemini.rs"]
mod gemini;
#[path = "agents/opencode.rs"]
mod opencode;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// What to generate.
pub struct Agents {
    /// Sessions per agent per day.
    pub per_day: usize,
    /// Days of history.
    pub days: usize,
    /// Megabytes of ordinary sessions per agent (the huge ones come on top).
    pub mb: [u64; 4],
    /// Size of the big Claude session, in MiB (0: none).
    pub big_mb: u64,
}

/// The text of the needle the search benchmark looks for.
pub const NEEDLE: &str = "needle-zebra-42";

/// Lines agents print: compiler and test output, diffs, logs.
const OUTPUT: [&str; 10] = [
    "   Compiling webapp v0.3.1 (/home/dev/src/webapp)\n",
    "warning: unused variable: `retry`\n  --> src/worker.rs:118:9\n   |\n118 |     let retry = 3;\n   |         ^^^^^ help: prefix it with an underscore: `_retry`\n",
    "test auth::login::remembers_user ... \u{1b}[32mok\u{1b}[0m\n",
    "test importer::idempotent_rerun ... \u{1b}[31mFAILED\u{1b}[0m\n",
    "@@ -41,7 +41,9 @@ fn parse(s: &str) -> Result<Config, Error> {\n-    let v = serde_json::from_str(s)?;\n+    let v: Value = serde_json::from_str(s)\n+        .map_err(|e| Error::Parse(e.to_string()))?;\n",
    "2026-11-30T10:14:02.118Z INFO  api::server listening on 0.0.0.0:8080 (\"prod\" profile)\n",
    "src/app/worker.rs:212:    // TODO: back off with jitter; see RFC 7231 §6.6\n",
    "FAIL tests/login.spec.ts > remembers user\n  AssertionError: expected 'session=abc' to equal undefined\n",
    "The café's naïve → naive fixture and the 日本語 strings load ✅ C:\\Users\\dev\\app\n",
    "    Finished `release` profile [optimized] target(s) in 41.07s\n",
];

/// Sentences agents say.
const PROSE: [&str; 6] = [
    "I'll start by reading the failing test and the handler it exercises. ",
    "The retry loop in worker.rs never backs off; I'll add jitter and a cap. ",
    "The migration adds an index on (customer_id, created_at), so the query becomes an index-only scan. ",
    "All 318 tests pass now, and clippy is clean. ",
    "I split the 900-line module into parser.rs, lexer.rs and eval.rs, keeping the public API. ",
    "The flaky test raced the cookie write; awaiting the write fixes it. ",
];

/// Commands and tools agents run.
const COMMANDS: [&str; 6] = [
    "cargo test --release",
    "npm test -- login",
    "rg -n 'fn retry' src",
    "git diff --stat",
    "go test ./...",
    "pytest -x tests/test_importer.py",
];

/// What one session writer is told.
pub struct Plan {
    /// Its index among the agent's sessions (0 = newest day).
    pub index: usize,
    /// A uuid-shaped id.
    pub id: String,
    /// The working directory.
    pub cwd: String,
    /// A bead id its first prompt names.
    pub bead: String,
    /// When it started.
    pub start: SystemTime,
    /// About how many bytes to write.
    pub bytes: u64,
    /// Whether it holds the search needle.
    pub needle: bool,
    /// Whether one tool result is a single 12 MB line.
    pub huge_line: bool,
    /// Whether it is the big one (ends with [`super::LAST`]).
    pub last_marker: bool,
}

/// Text of about `n` bytes from `pool`, picked by `rng`.
pub fn text_of(rng: &mut fastrand::Rng, pool: &[&str], n: usize) -> String {
    let mut s = String::with_capacity(n + 256);
    while s.len() < n {
        s.push_str(pool[rng.usize(..pool.len())]);
    }
    s
}

/// Tool output of about `n` bytes.
pub fn output(rng: &mut fastrand::Rng, n: usize) -> String {
    text_of(rng, &OUTPUT, n)
}

/// A reply of about `n` bytes.
pub fn prose(rng: &mut fastrand::Rng, n: usize) -> String {
    text_of(rng, &PROSE, n)
}

/// A command.
pub fn command(rng: &mut fastrand::Rng) -> &'static str {
    COMMANDS[rng.usize(..COMMANDS.len())]
}

/// The size of one tool output: mostly small, some large.
pub fn output_size(rng: &mut fastrand::Rng) -> usize {
    match rng.u32(..100) {
        0..60 => rng.usize(80..2_000),
        60..90 => rng.usize(2_000..20_000),
        90..99 => rng.usize(20_000..120_000),
        _ => rng.usize(120_000..600_000),
    }
}

/// A uuid-shaped id.
pub fn uuid(rng: &mut fastrand::Rng) -> String {
    let h = |rng: &mut fastrand::Rng, n: usize| -> String {
        (0..n)
            .map(|_| char::from_digit(rng.u32(..16), 16).unwrap_or('0'))
            .collect()
    };
    format!(
        "{}-{}-4{}-8{}-{}",
        h(rng, 8),
        h(rng, 4),
        h(rng, 3),
        h(rng, 3),
        h(rng, 12)
    )
}

/// RFC 3339 with milliseconds and `Z`, as Claude, Codex and Gemini write.
pub fn iso(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t)
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// Milliseconds since the epoch, as OpenCode and Claude's registry write.
pub fn millis(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0))
}

pub use super::year::set_time;

/// Flushes and closes a session's file, then dates it at its last record (never in the future).
pub fn close(mut out: BufWriter<std::fs::File>, path: &Path, last: SystemTime, now: SystemTime) {
    out.flush().unwrap();
    drop(out);
    set_time(path, last.min(now));
}

/// Writes each of `plans` with `write(plan, its seed, now)`.
pub fn each(plans: &[Plan], seed: u64, mut write: impl FnMut(&Plan, u64, SystemTime)) {
    let now = SystemTime::now();
    for (i, p) in plans.iter().enumerate() {
        write(p, seed * 1_000_003 + i as u64, now);
    }
}

/// The session sizes of one agent: `count` sizes averaging `total / count`, mostly small, some
/// several times the average.
fn sizes(rng: &mut fastrand::Rng, count: usize, total: u64) -> Vec<u64> {
    let raw: Vec<f64> = (0..count)
        .map(|_| match rng.u32(..100) {
            0..60 => 0.15 + rng.f64() * 0.45,
            60..90 => 0.6 + rng.f64() * 1.9,
            _ => 2.5 + rng.f64() * 3.5,
        })
        .collect();
    let sum: f64 = raw.iter().sum();
    raw.iter()
        .map(|r| (r / sum * total as f64) as u64)
        .collect()
}

/// The plans of one agent's sessions, newest first: `per_day` a day over `days` days, the
/// newest few started minutes ago.
fn plans(rng: &mut fastrand::Rng, a: &Agents, total: u64, now: SystemTime) -> Vec<Plan> {
    let count = a.per_day * a.days;
    let sizes = sizes(rng, count, total);
    let day = Duration::from_secs(24 * 3600);
    (0..count)
        .map(|i| {
            let start = if i < 4 {
                now - Duration::from_secs(120 + 600 * i as u64)
            } else {
                now - day.mul_f64(i as f64 / a.per_day as f64)
                    - Duration::from_secs(rng.u64(600..3600))
            };
            let repo = i % 24;
            Plan {
                index: i,
                id: uuid(rng),
                cwd: format!("/home/dev/src/project-{repo:02}"),
                bead: format!("bd-{:03}-{:02}", (i * 7) % 300, i % 20),
                start,
                bytes: sizes[i],
                needle: i == count / 3,
                huge_line: i % 400 == 17,
                last_marker: false,
            }
        })
        .collect()
}

/// Where each agent's sessions are written under `out`.
pub struct Roots {
    /// `CLAUDE_CONFIG_DIR`.
    pub claude: PathBuf,
    /// `CODEX_HOME`.
    pub codex: PathBuf,
    /// Gemini's root (`~/.gemini`).
    pub gemini: PathBuf,
    /// OpenCode's database.
    pub opencode: PathBuf,
}

impl Roots {
    /// Under `out`.
    pub fn under(out: &Path) -> Roots {
        Roots {
            claude: out.join("claude"),
            codex: out.join("codex"),
            gemini: out.join("gemini"),
            opencode: out.join("opencode/opencode.db"),
        }
    }
}

/// Writes the month under `out`; returns the big Claude session's path.
pub fn generate(out: &Path, a: &Agents) -> Option<PathBuf> {
    let roots = Roots::under(out);
    let now = SystemTime::now();
    let mut rng = fastrand::Rng::with_seed(4242);
    let mut claude_plans = plans(&mut rng, a, a.mb[0] << 20, now);
    let mut codex_plans = plans(&mut rng, a, a.mb[1] << 20, now);
    let gemini_plans = plans(&mut rng, a, a.mb[2] << 20, now);
    let opencode_plans = plans(&mut rng, a, a.mb[3] << 20, now);
    // The huge ones: a 1 GiB Claude session a day old, and a rollout over 500 MB.
    let mut big = None;
    if a.big_mb > 0 {
        if let Some(p) = claude_plans.get_mut(a.per_day + 1) {
            p.bytes = a.big_mb << 20;
            p.last_marker = true;
            p.huge_line = true;
            big = Some(claude::path_of(&roots.claude, p));
        }
        if let Some(p) = claude_plans.get_mut(3 * a.per_day + 5) {
            p.bytes = (a.big_mb / 2 + 8) << 20;
        }
        if let Some(p) = codex_plans.get_mut(2 * a.per_day + 3) {
            p.bytes = (a.big_mb / 2 + 16) << 20;
        }
    }
    std::thread::scope(|s| {
        s.spawn(|| claude::write_all(&roots.claude, &claude_plans, 1));
        s.spawn(|| codex::write_all(&roots.codex, &codex_plans, 2));
        s.spawn(|| gemini::write_all(&roots.gemini, &gemini_plans, 3));
        s.spawn(|| opencode::write_all(&roots.opencode, &opencode_plans, 4));
    });
    big
}

/// A session's clock: each record a little later, never past the session's end (a few seconds
/// ago for the newest sessions, else minutes to hours after its start, and never in the future).
#[derive(Clone, Copy)]
pub struct Clock {
    /// The time of the last record.
    pub t: SystemTime,
    end: SystemTime,
    step: Duration,
}

impl Clock {
    /// The clock of `p`, for records of about `record` bytes.
    pub fn of(p: &Plan, record: u64, now: SystemTime) -> Clock {
        let span = if p.index < 4 {
            now.duration_since(p.start).unwrap_or_default()
        } else {
            Duration::from_secs(600 + p.bytes / 2_000).min(Duration::from_secs(6 * 3600))
        };
        let end = (p.start + span).min(now - Duration::from_secs(3));
        let records = u32::try_from(p.bytes / record + 12).unwrap_or(u32::MAX);
        Clock {
            t: p.start,
            end,
            step: span / records,
        }
    }

    /// The next record's time.
    pub fn tick(&mut self, rng: &mut fastrand::Rng) -> SystemTime {
        self.t = (self.t + self.step.mul_f64(0.5 + rng.f64())).min(self.end);
        self.t
    }
}
