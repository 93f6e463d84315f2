//! The demo's past: finished runs and a run that died long ago, written as agentpair would
//! have written them, and finished Claude Code and Codex sessions, with past timestamps and
//! file times to match.

use super::catalog::Bead;
use super::corpus::Corpus;
use super::session::{Kind, Session};
use crate::persist::gojson::Object;
use crate::persist::run::{
    BRIDGE_FILE, EntryType, MANIFEST_FILE, Manager, Paths, RunConfig, State, TRANSCRIPT_FILE,
    TranscriptEntry,
};
use chrono::{Duration as Span, Utc};
use std::fs::File;
use std::path::Path;

/// What writing the past can fail with.
pub type Failure = Box<dyn std::error::Error + Send + Sync>;

pub fn entry(
    kind: EntryType,
    at: chrono::DateTime<Utc>,
    run_id: i64,
    fill: impl FnOnce(&mut TranscriptEntry),
) -> TranscriptEntry {
    let mut e = TranscriptEntry::new(kind);
    e.timestamp = at.fixed_offset();
    e.run_id = run_id;
    fill(&mut e);
    e
}

fn set_times(dir: &Path, at: chrono::DateTime<Utc>) -> std::io::Result<()> {
    let when = std::time::SystemTime::from(at);
    for name in [MANIFEST_FILE, TRANSCRIPT_FILE, BRIDGE_FILE] {
        if let Ok(f) = File::options().append(true).open(dir.join(name)) {
            f.set_modified(when)?;
        }
    }
    Ok(())
}

/// A finished session of `kind` on `bead` (completed), started at `start`, stepped a minute
/// or so apart; returns when it ended. Its file's time is its last record's.
pub fn write_session(
    agents: &Path,
    kind: Kind,
    bead: &Bead,
    start: chrono::DateTime<Utc>,
    corpus: &Corpus,
    rng: &mut fastrand::Rng,
) -> Result<chrono::DateTime<Utc>, Failure> {
    let mut session = Session::begin(agents, kind, bead, false, rng, start)?;
    let mut t = start;
    while session.outcome.is_none() {
        t += Span::seconds(rng.i64(40..100));
        session.step(corpus, rng, t)?;
    }
    File::options()
        .append(true)
        .open(session.file())?
        .set_modified(std::time::SystemTime::from(t))?;
    Ok(t)
}

/// A finished run written as agentpair would have written it, starting at `start`.
pub fn write_history(
    paths: &Paths,
    bead: &Bead,
    start: chrono::DateTime<Utc>,
    failed: bool,
    corpus: &Corpus,
    rng: &mut fastrand::Rng,
) -> Result<chrono::DateTime<Utc>, Failure> {
    let run = Manager::new(paths.clone(), bead.repo.clone())
        .create(&bead.prompt(), &RunConfig::default())?;
    let id = run.manifest.id;
    let mut t = start;
    let mut jitter = fastrand::Rng::with_seed(rng.u64(..));
    let mut step = |minutes: i64, secs: i64| {
        t += Span::minutes(minutes) + Span::seconds(secs) + Span::milliseconds(jitter.i64(0..999));
        t
    };
    let mut lines = Vec::new();
    let mut md = Object::new();
    md.insert("max_iterations".into(), 20.into());
    md.insert("primary_agent".into(), "codex".into());
    md.insert("review_mode".into(), "claudex".into());
    lines.push(entry(EntryType::Start, step(0, 1), id, |e| {
        e.content = bead.prompt();
        e.metadata = md;
    }));
    lines.push(entry(EntryType::State, step(0, 1), id, |e| {
        e.state = Some(State::Working)
    }));
    let iterations = if failed { 1 } else { 2 };
    for n in 1..=iterations {
        lines.push(entry(EntryType::Iteration, step(0, 1), id, |e| {
            e.iteration = n
        }));
        lines.push(entry(EntryType::Execute, step(0, 1), id, |e| {
            e.agent = "codex".into();
            e.iteration = n;
            e.content = format!("{} messages", n * 2 - 1);
        }));
        let done = n == iterations && !failed;
        let took = (4 + n * 3, 17);
        let out = Corpus::pick(
            if done {
                &corpus.primary_done
            } else {
                &corpus.primary
            },
            rng,
        );
        lines.push(entry(EntryType::Result, step(took.0, took.1), id, |e| {
            e.agent = "codex".into();
            e.iteration = n;
            e.content = out;
            e.duration = (took.0 * 60 + took.1) * 1_000_000_000;
        }));
        if failed {
            lines.push(entry(EntryType::Error, step(0, 2), id, |e| {
                e.agent = "loop".into();
                e.iteration = n;
                e.error = corpus.errors[0].clone();
            }));
            break;
        }
        if done {
            lines.push(entry(EntryType::Signal, step(0, 0), id, |e| {
                e.agent = "codex".into();
                e.iteration = n;
                e.signal = "DONE".into();
            }));
        }
        lines.push(entry(EntryType::Execute, step(0, 1), id, |e| {
            e.agent = "claude".into();
            e.iteration = n;
            e.content = format!("{} messages", n * 2 - 1);
        }));
        let review = Corpus::pick(
            if done {
                &corpus.review_pass
            } else {
                &corpus.review_fail
            },
            rng,
        );
        lines.push(entry(EntryType::Result, step(1, 12), id, |e| {
            e.agent = "claude".into();
            e.iteration = n;
            e.content = review;
            e.duration = 72_000_000_000;
        }));
        let signal = if done { "PASS" } else { "FAIL" };
        lines.push(entry(EntryType::Signal, step(0, 0), id, |e| {
            e.agent = "claude".into();
            e.iteration = n;
            e.signal = signal.into();
        }));
    }
    let end = step(0, 1);
    if !failed {
        let total = (end - start).num_nanoseconds().unwrap_or(0);
        lines.push(entry(EntryType::End, end, id, |e| {
            e.state = Some(State::Completed);
            e.duration = total;
        }));
    }
    for line in &lines {
        run.transcript.append_as_is(line)?;
    }
    let mut manifest = run.manifest.clone();
    manifest.created_at = start.fixed_offset();
    manifest.codex_session_id = format!("sess_{:016x}", rng.u64(..));
    manifest.current_iteration = iterations;
    manifest.state = if failed {
        State::Failed
    } else {
        State::Completed
    };
    manifest.completed_at = Some(end.fixed_offset());
    manifest.updated_at = (end + Span::milliseconds(3)).fixed_offset();
    if failed {
        manifest.error = corpus.errors[0].clone();
    }
    manifest.save_as_is(&run.dir().join(MANIFEST_FILE))?;
    set_times(run.dir(), end)?;
    Ok(end)
}

/// A run whose process died after sending its first request: `working`, quiet since.
pub fn write_stale(
    paths: &Paths,
    bead: &Bead,
    start: chrono::DateTime<Utc>,
) -> Result<(), Failure> {
    let run = Manager::new(paths.clone(), bead.repo.clone())
        .create(&bead.prompt(), &RunConfig::default())?;
    let id = run.manifest.id;
    let at = |m: i64| start + Span::minutes(m);
    run.transcript
        .append_as_is(&entry(EntryType::Start, at(0), id, |e| {
            e.content = bead.prompt()
        }))?;
    run.transcript
        .append_as_is(&entry(EntryType::State, at(0), id, |e| {
            e.state = Some(State::Working)
        }))?;
    run.transcript
        .append_as_is(&entry(EntryType::Iteration, at(1), id, |e| e.iteration = 1))?;
    run.transcript
        .append_as_is(&entry(EntryType::Execute, at(15), id, |e| {
            e.agent = "codex".into();
            e.iteration = 1;
            e.content = "1 messages".into();
        }))?;
    let mut manifest = run.manifest.clone();
    manifest.created_at = start.fixed_offset();
    manifest.state = State::Working;
    manifest.updated_at = at(1).fixed_offset();
    manifest.save_as_is(&run.dir().join(MANIFEST_FILE))?;
    set_times(run.dir(), at(15))?;
    Ok(())
}
