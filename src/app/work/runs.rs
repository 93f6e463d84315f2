//! The runs worker's reads and the run writes: scanning the root, reading one run again or
//! just its file activity, deciding whether a run may be closed, and closing it.

use crate::app::outcome::{Outcome, RunRead};
use crate::persist::parallel;
use crate::persist::run::RunSummary;
use crate::persist::run::cache::FileStamp;
use crate::persist::run::{
    self, Activity, LoadOptions, Paths, Peek, RunError, RunLoader, RunRecord, State, ToSummary,
};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The run directory a scan problem is about.
fn problem_dir(problem: &RunError) -> PathBuf {
    match problem {
        RunError::Io { path, .. }
        | RunError::Syntax { path, .. }
        | RunError::Field { path, .. } => {
            if path.ends_with(run::MANIFEST_FILE) {
                path.parent().map(Path::to_path_buf).unwrap_or_default()
            } else {
                path.clone()
            }
        }
        _ => PathBuf::new(),
    }
}

/// Every run under the root, page by page: each page goes to `send` as it is ready (the first,
/// with every active run, as soon as the root is scanned).
pub fn scan(
    agentpair: &Path,
    cache_dir: Option<PathBuf>,
    now: DateTime<Utc>,
    send: impl Fn(Outcome),
) {
    let options = LoadOptions::new(now).with_cache(cache_dir);
    let mut loader = RunLoader::open(&Paths::new(agentpair), &options);
    let mut problems: Vec<(PathBuf, String)> = loader
        .problems()
        .iter()
        .map(|p| (problem_dir(p), p.to_string()))
        .collect();
    while let Some(page) = loader.next_page() {
        send(Outcome::RunsPage {
            runs: page.runs,
            first: page.first,
            loaded: page.loaded,
            total: page.total,
            problems: std::mem::take(&mut problems),
        });
    }
}

/// The runs under the root that differ from `known` (see [`run::changed_runs`]).
pub fn verify(agentpair: &Path, known: &[Arc<RunSummary>], unreadable: &[PathBuf]) -> Outcome {
    let known: Vec<(&Path, Option<FileStamp>)> = known
        .iter()
        .map(|r| (r.dir.as_path(), r.stamp))
        .chain(unreadable.iter().map(|d| (d.as_path(), None)))
        .collect();
    let found = run::changed_runs(&Paths::new(agentpair), &known, parallel::threads());
    Outcome::RunsVerified {
        changed: found.changed,
        unborn: found.unborn,
    }
}

/// One run read again; its manifest is stat'ed first, so the stamp kept is never newer than
/// what was read.
pub fn load(dir: PathBuf, retry: bool) -> Outcome {
    let manifest = dir.join(run::MANIFEST_FILE);
    let read = match std::fs::metadata(&manifest) {
        Ok(meta) => match RunRecord::load(&dir) {
            Ok(record) => {
                let mut summary = record.to_summary().into_owned();
                summary.stamp = Some(FileStamp::of(&meta));
                RunRead::Loaded(Box::new(summary))
            }
            Err(e) => RunRead::Failed(e.to_string()),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => RunRead::Gone,
        Err(e) => RunRead::Failed(format!("{}: {e}", manifest.display())),
    };
    Outcome::RunLoaded { dir, read, retry }
}

/// One run's file activity, and its transcript's end when it is not finished.
pub fn touch(dir: PathBuf, active: bool) -> Outcome {
    let activity = if active {
        Activity::read(&dir)
    } else {
        Activity::read_finished(&dir)
    };
    let peek = if active { Peek::read(&dir) } else { None };
    Outcome::RunTouched {
        dir,
        activity,
        peek,
    }
}

/// Whether the run in `dir` looks live (its files or its tmux session).
pub fn check_close(dir: PathBuf, recent: Duration) -> Outcome {
    let liveness = match RunRecord::load(&dir) {
        Ok(record) => run::liveness(&record, recent),
        Err(e) => run::Liveness::Live(format!("its manifest cannot be read: {e}")),
    };
    Outcome::CloseChecked { dir, liveness }
}

/// Closes the run in `dir` as cancelled (refused if it turned live meanwhile).
pub fn close(dir: PathBuf, recent: Duration) -> Outcome {
    let result = run::close_run(
        &dir,
        State::Cancelled,
        "closed from beadboard (stale)",
        false,
        recent,
    )
    .map(|_| ())
    .map_err(|e| e.to_string());
    Outcome::RunClosed { dir, result }
}
