//! [`RunSummary`]: the compact form of a run that lists, `status` and attention need — the
//! manifest's small fields and the head of its prompt, file activity and the transcript's
//! last word — so that tens of thousands of runs fit in a few MiB. Details (the whole prompt,
//! the error text, unknown keys) are read on demand with [`RunSummary::load_manifest`].
//!
//! The derived facts (iteration, last activity, staleness, when it finished, display order) are
//! computed here once, for summaries and for full [`RunRecord`]s alike.

use super::cache::FileStamp;
use super::{Activity, MANIFEST_FILE, Manifest, Peek, RunError, RunRecord, State};
use crate::persist::gojson::GoTime;
use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

mod kind;
mod order;
mod remote;
mod to_summary;

pub use kind::{RunKind, RunState, SessionRun};
pub use order::{DisplayKey, RunOrder, display_key, display_order};
pub use remote::{RemoteAttention, RemoteRun, RemoteState, RunFacts, remote_key};
pub use to_summary::ToSummary;

/// How much of the prompt a summary keeps (in characters): more than a wide screen's row.
pub const PROMPT_HEAD: usize = 240;

/// The manifest fields a summary keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestSummary {
    /// The run id.
    pub id: i64,
    /// The working directory agentpair ran in (shared by the runs of one repo: a listing of
    /// twenty thousand runs in forty repos holds forty copies, not twenty thousand).
    pub repo_path: Arc<str>,
    /// The first [`PROMPT_HEAD`] characters of the prompt.
    pub prompt_head: String,
    /// True when the prompt is longer than its head.
    pub prompt_cut: bool,
    /// When the prompt is cut: its words that may be ids (see [`id_words`]), so that a bead id
    /// past the head still links the run to its bead. Empty when the head is the whole prompt.
    pub prompt_ids: Vec<String>,
    /// The run state.
    pub state: State,
    /// The iteration limit.
    pub max_iterations: i64,
    /// The iteration counter as last saved.
    pub current_iteration: i64,
    /// The tmux session name (empty when none).
    pub tmux_session: String,
    /// Creation time.
    pub created_at: GoTime,
    /// Time of the last save.
    pub updated_at: GoTime,
    /// When the run reached a terminal state.
    pub completed_at: Option<GoTime>,
}

impl ManifestSummary {
    /// The summary of a full manifest.
    #[must_use]
    pub fn of(m: &Manifest) -> ManifestSummary {
        let (prompt_head, prompt_cut) = match m.prompt.char_indices().nth(PROMPT_HEAD) {
            Some((cut, _)) => (m.prompt[..cut].to_owned(), true),
            None => (m.prompt.clone(), false),
        };
        let prompt_ids = if prompt_cut {
            id_words(&m.prompt)
        } else {
            Vec::new()
        };
        ManifestSummary {
            id: m.id,
            repo_path: m.repo_path.as_str().into(),
            prompt_head,
            prompt_cut,
            prompt_ids,
            state: m.state.clone(),
            max_iterations: m.max_iterations,
            current_iteration: m.current_iteration,
            tmux_session: m.tmux_session.clone(),
            created_at: m.created_at,
            updated_at: m.updated_at,
            completed_at: m.completed_at,
        }
    }

    /// `IsComplete`: completed, failed or cancelled.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.state.is_terminal()
    }
}

/// Whether `c` can be part of an id word: a letter, a digit, `-`, `_` or `.`.
#[must_use]
pub fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_' || c == '.'
}

/// The words of `text` (runs of [`is_id_char`]) that may be ids, because they hold a digit,
/// `-` or `_`, each once, in order of first appearance.
#[must_use]
pub fn id_words(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    text.split(|c: char| !is_id_char(c))
        .filter(|w| w.contains(|c: char| c.is_ascii_digit() || c == '-' || c == '_'))
        .filter(|w| seen.insert(*w))
        .map(str::to_owned)
        .collect()
}

/// One run, compactly: an agentpair run or an agent session.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSummary {
    /// The run directory; for an agent session, the key it is known by everywhere
    /// ([`crate::persist::session::SessionSource::key`]).
    pub dir: PathBuf,
    /// The repo directory's name (normally the 16-hex repo id); empty for a session. Shared by
    /// the runs of one repo, as [`ManifestSummary::repo_path`] is.
    pub repo_key: Arc<str>,
    /// The run directory's name (normally the decimal run id); a session's id.
    pub run_key: String,
    /// What the manifest says, or what the session's records say.
    pub kind: RunKind,
    /// File activity; `None` while not read (a finished run's, until its page is loaded).
    pub activity: Option<Activity>,
    /// What the transcript's end says, for runs that are not finished and changed recently
    /// (boxed: few runs have one, and every summary pays for the room).
    pub peek: Option<Box<Peek>>,
    /// The manifest's identity when this summary was taken, stat'ed before it was read
    /// (`None`: not known); a listing that finds another identity means it changed since.
    pub stamp: Option<FileStamp>,
}

impl RunSummary {
    /// An agentpair run's manifest fields (`None` for a session).
    #[must_use]
    pub fn manifest(&self) -> Option<&ManifestSummary> {
        match &self.kind {
            RunKind::Agentpair(m) => Some(m),
            RunKind::Session(_) | RunKind::Remote(_) => None,
        }
    }

    /// An agent session's summary and state (`None` for an agentpair run).
    #[must_use]
    pub fn session(&self) -> Option<&SessionRun> {
        match &self.kind {
            RunKind::Session(s) => Some(s),
            RunKind::Agentpair(_) | RunKind::Remote(_) => None,
        }
    }

    /// The agent that wrote a session (`None` for an agentpair run).
    #[must_use]
    pub fn agent(&self) -> Option<crate::persist::session::Agent> {
        self.session().map(SessionRun::agent)
    }

    /// The state: the manifest's, or the session's as last decided.
    #[must_use]
    pub fn state(&self) -> RunState<'_> {
        match &self.kind {
            RunKind::Agentpair(m) => RunState::Agentpair(&m.state),
            RunKind::Session(s) => RunState::Agent(s.state),
            RunKind::Remote(r) => r.state.as_run_state(),
        }
    }

    /// The state at `now`: the manifest's, or the session's decided afresh (a session with no
    /// known process finishes once quiet, with nothing written to say so).
    #[must_use]
    pub fn state_at(&self, now: DateTime<Utc>) -> RunState<'_> {
        match &self.kind {
            RunKind::Agentpair(m) => RunState::Agentpair(&m.state),
            RunKind::Session(s) => RunState::Agent(s.state_at(now)),
            RunKind::Remote(r) => r.state.as_run_state(),
        }
    }

    /// `IsComplete`: completed, failed or cancelled; a session finished or failed.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.state().is_terminal()
    }

    /// The working directory: agentpair's repo path, or the session's cwd.
    #[must_use]
    pub fn repo_path(&self) -> &str {
        match &self.kind {
            RunKind::Agentpair(m) => &m.repo_path,
            RunKind::Session(s) => &s.summary.cwd,
            RunKind::Remote(r) => r.repo_path(),
        }
    }

    /// The head of the prompt (a session's first prompt).
    #[must_use]
    pub fn prompt_head(&self) -> &str {
        match &self.kind {
            RunKind::Agentpair(m) => &m.prompt_head,
            RunKind::Session(s) => &s.summary.prompt_head,
            RunKind::Remote(r) => r.facts.as_ref().map_or("", |f| f.prompt.as_str()),
        }
    }

    /// True when the prompt is longer than its head.
    #[must_use]
    pub fn prompt_cut(&self) -> bool {
        match &self.kind {
            RunKind::Agentpair(m) => m.prompt_cut,
            RunKind::Session(s) => !s.summary.prompt_ids.is_empty(),
            RunKind::Remote(r) => r.facts.as_ref().is_some_and(|f| f.prompt_cut),
        }
    }

    /// The id words of a cut prompt (see [`id_words`]).
    #[must_use]
    pub fn prompt_ids(&self) -> &[String] {
        match &self.kind {
            RunKind::Agentpair(m) => &m.prompt_ids,
            RunKind::Session(s) => &s.summary.prompt_ids,
            RunKind::Remote(_) => &[],
        }
    }

    /// The tmux session name (empty when none is known).
    #[must_use]
    pub fn tmux_session(&self) -> &str {
        match &self.kind {
            RunKind::Agentpair(m) => &m.tmux_session,
            RunKind::Session(_) => "",
            RunKind::Remote(r) => r.tmux_session(),
        }
    }

    /// The iteration limit (`None` for a session, which has none; a remote run's as its host
    /// said).
    #[must_use]
    pub fn max_iterations(&self) -> Option<i64> {
        match &self.kind {
            RunKind::Agentpair(m) => Some(m.max_iterations),
            RunKind::Session(_) => None,
            RunKind::Remote(r) => r.facts.as_ref().and_then(|f| f.max_iterations),
        }
    }

    /// When the run started (`None` when not known).
    #[must_use]
    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        match &self.kind {
            RunKind::Agentpair(m) => {
                Some(m.created_at.with_timezone(&Utc)).filter(|t| t.timestamp() > 0)
            }
            RunKind::Session(s) => s.summary.started_at,
            RunKind::Remote(r) => r.facts.as_ref().and_then(|f| f.started_at),
        }
    }

    /// `<repo dir>/<run dir>`, the unambiguous way to name a run across repos; a session's id.
    #[must_use]
    pub fn reference(&self) -> String {
        match &self.kind {
            RunKind::Agentpair(_) => format!("{}/{}", self.repo_key, self.run_key),
            RunKind::Session(s) => s.summary.id.clone(),
            RunKind::Remote(r) => r.reference.clone(),
        }
    }

    /// Reads the whole manifest again (the details a summary leaves out).
    ///
    /// # Errors
    /// An unreadable or invalid manifest (an agent session has none).
    pub fn load_manifest(&self) -> Result<Manifest, RunError> {
        Manifest::load(&self.dir.join(MANIFEST_FILE))
    }

    /// The full record: the whole manifest read again, and the activity read if it was not.
    ///
    /// # Errors
    /// An unreadable or invalid manifest (an agent session has none).
    pub fn to_record(&self) -> Result<RunRecord, RunError> {
        Ok(RunRecord {
            manifest: self.load_manifest()?,
            dir: self.dir.clone(),
            repo_key: self.repo_key.to_string(),
            run_key: self.run_key.clone(),
            activity: self.activity.unwrap_or_else(|| Activity::read(&self.dir)),
            peek: self.peek.as_deref().cloned(),
        })
    }

    /// The iteration the run is on: the transcript's if it is ahead of the lagging manifest;
    /// a session's turns.
    #[must_use]
    pub fn iteration(&self) -> i64 {
        match &self.kind {
            RunKind::Agentpair(m) => iteration(self.peek.as_deref(), m.current_iteration),
            RunKind::Session(s) => i64::try_from(s.summary.turns).unwrap_or(i64::MAX),
            RunKind::Remote(r) => r.facts.as_ref().map_or(0, |f| f.iteration),
        }
    }

    /// The latest sign of life: a file change or the manifest's `updated_at`; for a finished
    /// run, its last entry's time (or when it finished); a session's last record or file
    /// change.
    #[must_use]
    pub fn last_activity(&self) -> Option<DateTime<Utc>> {
        match &self.kind {
            RunKind::Agentpair(m) => last_activity(
                self.activity.as_ref(),
                &m.updated_at,
                m.is_complete().then_some(m.completed_at.as_ref()),
            ),
            RunKind::Session(s) => s.last_activity(),
            RunKind::Remote(r) => r.facts.as_ref().and_then(|f| f.last_activity),
        }
    }

    /// When the run ended, for its elapsed time: an agentpair run's `completed_at`, a session's
    /// last sign of life once it has ended at `now`, a remote run's as its host said; `None`
    /// while it goes on.
    #[must_use]
    pub fn ended_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match &self.kind {
            RunKind::Agentpair(m) => m.completed_at.map(|c| c.with_timezone(&Utc)),
            RunKind::Session(s) if s.state_at(now).is_terminal() => s.last_activity(),
            RunKind::Session(_) => None,
            RunKind::Remote(r) => r.facts.as_ref().and_then(|f| f.ended_at),
        }
    }

    /// Not finished, and nothing about it changed for `threshold`. A session is stale only
    /// while it is working (an idle agent waits at its prompt; a waiting one is flagged as
    /// waiting).
    #[must_use]
    pub fn is_stale(&self, now: DateTime<Utc>, threshold: Duration) -> bool {
        match &self.kind {
            RunKind::Agentpair(m) => {
                is_stale(m.is_complete(), self.last_activity(), now, threshold)
            }
            RunKind::Session(s) => {
                s.state_at(now) == crate::persist::session::AgentState::Working
                    && is_stale(false, self.last_activity(), now, threshold)
            }
            // The host judges its own runs' staleness (its attention says so).
            RunKind::Remote(r) => r.attention.as_ref().is_some_and(|a| a.code == "stale"),
        }
    }

    /// When the run finished, or `None` while it is active.
    #[must_use]
    pub fn finished_at(&self) -> Option<DateTime<Utc>> {
        finished_at(
            self.is_complete(),
            self.manifest().and_then(|m| m.completed_at.as_ref()),
            || self.last_activity(),
        )
    }

    /// The summary of `m` alone (no file read), as the run `/ap/runs/<repo id>/<id>` (tests).
    #[cfg(test)]
    #[must_use]
    pub(crate) fn of_manifest(m: &Manifest) -> RunSummary {
        RunSummary {
            dir: format!("/ap/runs/{}/{}", m.repo_id, m.id).into(),
            repo_key: m.repo_id.as_str().into(),
            run_key: m.id.to_string(),
            kind: RunKind::Agentpair(ManifestSummary::of(m)),
            activity: None,
            peek: None,
            stamp: None,
        }
    }

    /// The key runs are listed by in the default order (see [`DisplayKey`]).
    #[must_use]
    pub fn display_key(&self) -> DisplayKey {
        display_key(
            self.is_complete(),
            self.started_at(),
            &self.run_key,
            &self.repo_key,
        )
    }
}

/// Puts summaries in the default order (see [`RunOrder::State`]).
pub fn sort_summaries(runs: &mut [RunSummary]) {
    runs.sort_by(display_order);
}

pub(super) fn iteration(peek: Option<&Peek>, saved: i64) -> i64 {
    peek.map_or(saved, |p| p.iteration.max(saved))
}

/// The latest sign of life. `finished` is `Some(completed_at)` for a finished run: its
/// activity is its last entry's time, else when it finished, else its last save, never a
/// file's time (which says when the file was last copied or touched).
pub(super) fn last_activity(
    activity: Option<&Activity>,
    updated_at: &GoTime,
    finished: Option<Option<&GoTime>>,
) -> Option<DateTime<Utc>> {
    let updated = Some(updated_at.with_timezone(&Utc)).filter(|t| t.timestamp() > 0);
    if let Some(completed_at) = finished {
        return activity
            .and_then(|a| a.last_entry)
            .or_else(|| completed_at.map(|t| t.with_timezone(&Utc)))
            .filter(|t| t.timestamp() > 0)
            .or(updated);
    }
    let files = activity
        .and_then(Activity::last_change)
        .map(DateTime::<Utc>::from);
    files.max(updated)
}

pub(super) fn is_stale(
    complete: bool,
    last: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    threshold: Duration,
) -> bool {
    if complete {
        return false;
    }
    let threshold = chrono::Duration::from_std(threshold).unwrap_or(chrono::Duration::MAX);
    last.is_none_or(|t| now.signed_duration_since(t) > threshold)
}

pub(super) fn finished_at(
    complete: bool,
    completed_at: Option<&GoTime>,
    last: impl FnOnce() -> Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    if !complete {
        return None;
    }
    completed_at.map(|t| t.with_timezone(&Utc)).or_else(last)
}

#[cfg(test)]
mod tests;
