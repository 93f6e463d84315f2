//! Closing a run that is no longer live, the way agentpair itself would record it: state
//! `cancelled` (or `failed`) with `completed_at`, then `state` and `end` transcript entries.
//! A run still counts as live while its files changed recently or its tmux session exists;
//! closing a live run needs force, because agentpair would overwrite our change at its next
//! save.

use super::{
    EntryType, MANIFEST_FILE, Manifest, RunError, RunRecord, State, TRANSCRIPT_FILE, Transcript,
    TranscriptLine,
};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Whether a run may still have a live agentpair process writing to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Liveness {
    /// It looks live, for the reason given.
    Live(String),
    /// Nothing suggests a live process.
    NotLive,
}

/// How long asking tmux about a session may take (a hung server is no answer).
const TMUX_DEADLINE: Duration = Duration::from_secs(5);

/// Does tmux have a session named exactly `name`? `None` when tmux cannot be run or does not
/// answer in time.
#[must_use]
pub fn tmux_has_session(name: &str) -> Option<bool> {
    let mut command = Command::new("tmux");
    command.args(["has-session", "-t", &format!("={name}")]);
    crate::process::Child::new(command)
        .deadline(TMUX_DEADLINE)
        .keep(0)
        .run()
        .ok()
        .map(|done| done.status.success())
}

/// Decides whether `record` looks live: any file changed within `recent`, or its tmux
/// session exists.
#[must_use]
pub fn liveness(record: &RunRecord, recent: Duration) -> Liveness {
    if let Some(last) = record.last_activity() {
        let age = crate::clock::now().signed_duration_since(last);
        if age.to_std().map_or(true, |age| age < recent) {
            return Liveness::Live(format!(
                "its files changed {}s ago",
                age.num_seconds().max(0)
            ));
        }
    }
    let session = &record.manifest.tmux_session;
    if !session.is_empty() && tmux_has_session(session) == Some(true) {
        return Liveness::Live(format!("tmux session {session} exists"));
    }
    Liveness::NotLive
}

/// The iteration agentpair's own counter is on, which is what it would save if the run ended
/// now. The manifest lags: agentpair adds one to `current_iteration` in memory as it writes
/// each `iteration` entry, and saves only at state changes. So the counter is the saved value
/// plus the `iteration` entries written since that save (`updated_at`) in the latest session
/// (after the last `start` entry: a resume reloads the saved value). The transcript numbers
/// iterations from 1 again after a resume, so its highest number there is a floor, never more.
#[must_use]
pub fn live_iteration(manifest: &Manifest, lines: &[TranscriptLine]) -> i64 {
    let last_start = lines
        .iter()
        .rposition(|l| matches!(l, TranscriptLine::Entry(e) if e.entry_type == EntryType::Start));
    let session = &lines[last_start.map_or(0, |i| i + 1)..];
    let (mut since_save, mut highest) = (0, 0);
    for line in session {
        if let TranscriptLine::Entry(e) = line
            && e.entry_type == EntryType::Iteration
        {
            highest = highest.max(e.iteration);
            if e.timestamp > manifest.updated_at {
                since_save += 1;
            }
        }
    }
    manifest
        .current_iteration
        .saturating_add(since_save)
        .max(highest)
}

/// Closes the run in `run_dir` as `state` (cancelled or failed). The manifest is saved first
/// (atomically, with `completed_at` and `updated_at` = now, `error` = `reason` when failed,
/// `current_iteration` brought up to the iteration the transcript shows it on, as agentpair's
/// own save at that point would, and `metadata.closed_by`/`close_reason`), then `state` and
/// `end` entries are appended.
/// Refuses a finished run, a live one unless `force`, and one whose transcript is a symbolic
/// link (which could not be appended to: nothing is written then).
///
/// # Errors
/// [`RunError::AlreadyFinished`], [`RunError::Live`], or any read/write error.
pub fn close_run(
    run_dir: &Path,
    state: State,
    reason: &str,
    force: bool,
    recent: Duration,
) -> Result<Manifest, RunError> {
    if !matches!(state, State::Cancelled | State::Failed) {
        return Err(RunError::NotAClosingState(state.to_string()));
    }
    let runs_dir = run_dir.parent().and_then(Path::parent).unwrap_or(run_dir);
    if let (Ok(real_run), Ok(real_runs)) = (
        std::fs::canonicalize(run_dir),
        std::fs::canonicalize(runs_dir),
    ) && real_run.parent().and_then(Path::parent) != Some(real_runs.as_path())
    {
        return Err(RunError::OutsideRoot {
            path: run_dir.to_path_buf(),
            target: real_run,
        });
    }
    // The transcript entries are appended after the manifest is saved; a transcript that
    // cannot be appended to (a symbolic link) would leave the close half done, so refuse first.
    let transcript_path = run_dir.join(TRANSCRIPT_FILE);
    crate::persist::atomic::refuse_symlink(&transcript_path)
        .map_err(RunError::io(&transcript_path))?;
    let record = RunRecord::load(run_dir)?;
    let path = run_dir.join(MANIFEST_FILE);
    let mut manifest = record.manifest.clone();
    if manifest.is_complete() {
        return Err(RunError::AlreadyFinished {
            path,
            id: manifest.id,
            state: manifest.state.to_string(),
        });
    }
    if !force && let Liveness::Live(reason) = liveness(&record, recent) {
        return Err(RunError::Live {
            path,
            id: manifest.id,
            reason,
        });
    }
    let lines = Transcript::new(&transcript_path, manifest.id).read_lines()?;
    manifest.current_iteration = live_iteration(&manifest, &lines);
    drop(lines);
    manifest.set_state(state.clone());
    if state == State::Failed {
        manifest.error = if reason.is_empty() {
            "closed by beadboard".to_owned()
        } else {
            reason.to_owned()
        };
    }
    manifest
        .metadata
        .insert("closed_by".to_owned(), "beadboard".into());
    if !reason.is_empty() {
        manifest
            .metadata
            .insert("close_reason".to_owned(), reason.into());
    }
    manifest.save(&path)?;
    let transcript = Transcript::new(transcript_path, manifest.id);
    let total = crate::clock::now()
        .signed_duration_since(manifest.created_at)
        .to_std()
        .unwrap_or_default();
    transcript.log_state(&state)?;
    transcript.log_end(
        &state,
        if manifest.created_at.timestamp() > 0 {
            total
        } else {
            Duration::ZERO
        },
    )?;
    Ok(manifest)
}

#[cfg(test)]
mod tests;
