//! One move of one bead, made the same way wherever it is asked for: by the changing
//! subcommands here (`assign`, `start`, `complete`, `fail`, `reassign`, `retry`, `remove`) and
//! by `serve --stdio` for a beadboard on another machine. Each calls exactly the store method of
//! its transition (a schema-1 store), or NTM's protocol (today's NTM, schema 9: see
//! [`super::ntm9`]), and says what happened as [`Said`]: the lines and JSON the CLI prints, or
//! why not, as a [`MoveError`] with a stable code. With [`Expected`] (a remote board's move),
//! a bead that is no longer as the board saw it is refused first, as `stale`.

use super::CliError;
use super::assignments::{open_with, record_json, require_session, show_line, status_label};
use super::exit;
use crate::config::Roots;
use crate::persist::assignment::{
    Assignment, AssignmentStatus, AssignmentStore, Precommit, StoreError,
};
use crate::present::sanitize;
use crate::remote::protocol::{Expected, MoveAction, MoveResult};
use serde_json::Value;
use std::sync::Arc;

/// Something a move says while it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// It waits for a lock another program holds (`waiting for NTM's lock on wa-1`).
    Waiting(String),
    /// A note or warning (`note: …`, `warning: …`, `running: ntm …`), as the CLI says it on
    /// stderr after `beadboard: `.
    Said(String),
}

/// Where a move's notes go, as they happen (the CLI's stderr, or the channel).
pub type Notify = Arc<dyn Fn(Note) + Send + Sync>;

/// A move not made (or made in part: an `ntm` step that failed), with a stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveError {
    /// How it ended.
    pub result: MoveResult,
    /// `stale`, `invalid_transition`, `raced`, `same_target`, `not_allowed`, `not_found`,
    /// `bad_usage`, `lock`, `ntm`, `error`.
    pub code: &'static str,
    /// In the CLI's words.
    pub message: String,
}

impl MoveError {
    /// A move error.
    pub fn new(result: MoveResult, code: &'static str, message: impl Into<String>) -> MoveError {
        MoveError {
            result,
            code,
            message: message.into(),
        }
    }

    /// A bad argument.
    pub fn usage(message: impl Into<String>) -> MoveError {
        MoveError::new(MoveResult::BadUsage, "bad_usage", message)
    }

    /// An error (a file, a command).
    pub fn failed(message: impl Into<String>) -> MoveError {
        MoveError::new(MoveResult::Failed, "error", message)
    }

    /// A refusal.
    pub fn refused(code: &'static str, message: impl Into<String>) -> MoveError {
        MoveError::new(MoveResult::Refused, code, message)
    }
}

impl From<MoveError> for CliError {
    fn from(e: MoveError) -> CliError {
        CliError {
            message: e.message,
            code: exit_code(e.result),
        }
    }
}

/// The CLI's exit code for an outcome.
#[must_use]
pub fn exit_code(result: MoveResult) -> u8 {
    match result {
        MoveResult::Applied => exit::OK,
        MoveResult::Refused => exit::REFUSED,
        MoveResult::NotFound => exit::NOT_FOUND,
        MoveResult::BadUsage => exit::USAGE,
        MoveResult::Failed => exit::FAILED,
    }
}

/// A CLI error as a move error (the code from its exit code).
impl From<CliError> for MoveError {
    fn from(e: CliError) -> MoveError {
        let (result, code) = match e.code {
            exit::REFUSED => (MoveResult::Refused, "not_allowed"),
            exit::NOT_FOUND => (MoveResult::NotFound, "not_found"),
            exit::USAGE => (MoveResult::BadUsage, "bad_usage"),
            _ => (MoveResult::Failed, "error"),
        };
        MoveError::new(result, code, e.message)
    }
}

/// A store error as a move error: refusals (exit 3) with their kind, a missing bead (exit 1),
/// a bad session name (exit 2), the rest errors naming the store file.
pub(super) fn store_error(e: &StoreError, path: Option<&std::path::Path>) -> MoveError {
    let message = e.to_string();
    let code = match e {
        StoreError::InvalidTransition(_) => "invalid_transition",
        StoreError::Raced { .. } | StoreError::Changed { .. } => "raced",
        StoreError::Moved { .. } => "stale",
        StoreError::SameTarget { .. } => "same_target",
        StoreError::Lock(_) => "lock",
        _ => "error",
    };
    match (e, path) {
        (e, _) if e.is_invalid_transition() => MoveError::refused(code, message),
        (StoreError::NotFound { .. }, Some(p)) => MoveError::new(
            MoveResult::NotFound,
            "not_found",
            format!("{}: {message}", p.display()),
        ),
        (StoreError::NotFound { .. }, None) => {
            MoveError::new(MoveResult::NotFound, "not_found", message)
        }
        (StoreError::InvalidSession(_), _) => MoveError::usage(message),
        _ => MoveError::new(MoveResult::Failed, code, message),
    }
}

/// What a move says: the CLI's lines (text) or JSON, and, if it went wrong, why.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Said {
    /// The text lines on success (or the dry run's command lines).
    pub lines: Vec<String>,
    /// What `--json` prints (the record, or the `ntm` steps, printed even when a step failed).
    pub json: Option<Value>,
    /// Why it did not (fully) happen.
    pub error: Option<MoveError>,
}

impl Said {
    /// A move that failed before saying anything.
    #[must_use]
    pub fn error(e: MoveError) -> Said {
        Said {
            error: Some(e),
            ..Said::default()
        }
    }
}

/// One move to make.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// The session.
    pub session: &'a str,
    /// The bead.
    pub bead: &'a str,
    /// What to do.
    pub action: &'a MoveAction,
    /// Print the `ntm` command lines instead of running them (today's NTM).
    pub dry_run: bool,
    /// How a remote board saw the bead (`None` from the CLI: it reads the bead itself).
    pub expected: Option<&'a Expected>,
    /// What to record with the write, under the store's lock (a host's journal of moves): on a
    /// schema-1 store, and on today's NTM for the direct writes (`start`, `complete`, `fail`,
    /// under NTM's locks); the moves `ntm assign` makes are written by NTM alone, unrecorded.
    pub precommit: Option<&'a Precommit>,
}

/// Makes the move; see the module documentation.
#[must_use]
pub fn make(roots: &Roots, call: Call<'_>, notify: &Notify) -> Said {
    match try_make(roots, call, notify) {
        Ok(said) => said,
        Err(e) => Said::error(e),
    }
}

fn try_make(roots: &Roots, call: Call<'_>, notify: &Notify) -> Result<Said, MoveError> {
    if !matches!(call.action, MoveAction::Assign { .. }) {
        // Only `assign` may start a session's store.
        require_session(roots, call.session)?;
    }
    let store = open_with(roots, call.session, notify)?;
    if let Some(expected) = call.expected {
        check_expected(&store, call.bead, call.action, expected)?;
    }
    if store.ntm().is_some() {
        return Ok(super::ntm9::change(roots, call, &store, notify));
    }
    if call.dry_run {
        return Err(MoveError::usage(format!(
            "--dry-run prints the ntm command of a schema-9 store; session {} is a schema-1 store (seed-era NTM), which beadboard changes directly",
            call.session
        )));
    }
    seed_change(store, call, notify)
}

/// Refuses a move whose bead is not as the remote board saw it (`stale: wa-1 is now failed`).
fn check_expected(
    store: &AssignmentStore,
    bead: &str,
    action: &MoveAction,
    expected: &Expected,
) -> Result<(), MoveError> {
    let record = store.get(bead);
    let now = record.map(|r| r.status.as_str().to_owned());
    let bead = sanitize::one_line(bead);
    if now != expected.status {
        return Err(MoveError::refused(
            "stale",
            match &now {
                Some(status) => format!("stale: {bead} is now {status}"),
                None => format!("stale: {bead} has no assignment now"),
            },
        ));
    }
    if let (MoveAction::Reassign { .. }, Some(r)) = (action, record) {
        let moved = expected.pane.is_some_and(|p| p != r.pane)
            || expected
                .agent_type
                .as_ref()
                .is_some_and(|t| *t != r.agent_type);
        if moved {
            return Err(MoveError::refused(
                "stale",
                format!(
                    "stale: {bead} is now on pane {}, {}",
                    r.pane,
                    sanitize::one_line(&r.agent_type)
                ),
            ));
        }
    }
    Ok(())
}

fn required<'a>(value: Option<&'a String>, flag: &str) -> Result<&'a str, MoveError> {
    value.map(String::as_str).ok_or_else(|| {
        MoveError::usage(format!(
            "the following required arguments were not provided: {flag} (a schema-1 store records it)"
        ))
    })
}

/// A tmux pane index: a number, never negative (tmux counts panes from 0 or 1).
fn pane_index(text: &str) -> Result<i64, MoveError> {
    match text.trim().parse::<i64>() {
        Ok(n) if n >= 0 => Ok(n),
        _ => Err(MoveError::usage(format!(
            "invalid value '{text}' for '--pane <N>': a schema-1 store records the pane index (a number, 0 or more)"
        ))),
    }
}

/// A move on a schema-1 store: the store method of its transition, under its lock, refused
/// if another writer moved the bead since it was read.
fn seed_change(
    mut store: AssignmentStore,
    call: Call<'_>,
    notify: &Notify,
) -> Result<Said, MoveError> {
    let path = store.path().to_path_buf();
    let bead = call.bead;
    if let Some(precommit) = call.precommit {
        store = store.with_precommit(precommit.clone());
    }
    // As read a moment ago (or as the remote board saw it): another writer's move in between
    // is refused in words, checked under the store's lock.
    match (call.expected, call.action) {
        (Some(e), _) => {
            store.expect(bead, e.status.as_deref().map(AssignmentStatus::parse));
            if matches!(call.action, MoveAction::Reassign { .. }) {
                store.expect_place(bead, e.pane, e.agent_type.clone());
            }
        }
        (None, MoveAction::Assign { .. }) => {}
        (None, _) => {
            if let Some(seen) = store.get(bead).map(|r| r.status.clone()) {
                store.expect(bead, Some(seen));
            }
        }
    }
    let fail = |e: StoreError| store_error(&e, Some(&path));
    let result = match call.action {
        MoveAction::Assign {
            pane,
            title,
            agent_type,
            agent_name,
            prompt,
        } => {
            let title = required(title.as_ref(), "--title <T>")?;
            let agent_type = required(agent_type.as_ref(), "--agent-type <T>")?;
            let pane = pane_index(pane)?;
            store
                .assign(bead, title, pane, agent_type, agent_name, prompt)
                .map(Some)
        }
        MoveAction::Start => store.mark_working(bead).map(Some),
        MoveAction::Complete => store.mark_completed(bead).map(Some),
        MoveAction::Fail { reason } => store.mark_failed(bead, reason).map(Some),
        MoveAction::Reassign {
            pane,
            agent_type,
            agent_name,
        } => {
            let pane = pane_index(required(pane.as_ref(), "--pane <N>")?)?;
            let kind = required(agent_type.as_ref(), "--agent-type <T>")?;
            store.reassign(bead, pane, kind, agent_name).map(Some)
        }
        MoveAction::Retry => store.retry(bead).map(Some),
        MoveAction::Remove { .. } => store.remove(bead),
    }
    .map_err(fail)?;
    if let Some(problem) = store.take_history_problem() {
        notify(Note::Said(format!("warning: {problem}")));
    }
    let Some(record) = result else {
        return Err(store_error(
            &StoreError::NotFound {
                bead_id: bead.to_owned(),
            },
            Some(&path),
        ));
    };
    applied(call.action, call.session, &record)
}

/// What a move made on a schema-1 store says: its line and its record as JSON (the removed
/// one for a removal), as the CLI prints them.
///
/// # Errors
/// The record cannot be shown as JSON.
pub fn applied(action: &MoveAction, session: &str, record: &Assignment) -> Result<Said, MoveError> {
    let line = if matches!(action, MoveAction::Remove { .. }) {
        format!(
            "removed {} ({})",
            sanitize::one_line(&record.bead_id),
            status_label(&record.status)
        )
    } else {
        show_line(record)
    };
    Ok(Said {
        lines: vec![line],
        json: Some(record_json(record, session).map_err(MoveError::from)?),
        error: None,
    })
}
