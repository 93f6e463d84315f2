//! The jobs that change a store: a move (or several) under the store's lock, today's NTM's
//! plans and runs, and tmux's calls.

use crate::persist::assignment::{AssignmentStatus, RecordChange};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Store changes to make in one session, one after the other, each under the lock.
#[derive(Debug, Clone)]
pub struct WriteJob {
    /// Which write (the model's pending-write id).
    pub id: u64,
    /// The NTM root.
    pub ntm: PathBuf,
    /// The session.
    pub session: String,
    /// The moves, in order.
    pub moves: Vec<Move>,
    /// Set by Esc to stop waiting for a lock (the moves not made yet are not made).
    pub cancel: Arc<AtomicBool>,
    /// How long to wait for another program's lock at most.
    pub lock_timeout: Duration,
}

/// One move of one bead.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    /// The bead.
    pub bead: String,
    /// Its status as the board showed it (`Some(None)`: no record, a ready bead), so a move
    /// that lost a race to another writer is refused in words; `None` for an undo or redo,
    /// which compare the whole record.
    pub seen: Option<Option<AssignmentStatus>>,
    /// The change.
    pub op: StoreOp,
}

/// A store method, with its arguments: a board key calls exactly one.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreOp {
    /// `MarkWorking`.
    Start,
    /// `MarkCompleted`.
    Complete,
    /// `MarkFailed` with a reason.
    Fail(String),
    /// `Reassign` to another pane and agent.
    Reassign {
        /// The new pane.
        pane: i64,
        /// The new agent type.
        agent_type: String,
        /// The new agent name.
        agent_name: String,
    },
    /// Retry a failed bead.
    Retry,
    /// `Remove`.
    Remove,
    /// Take a change back exactly (see [`AssignmentStore::revert`](crate::persist::assignment::AssignmentStore::revert)).
    Undo(Box<RecordChange>),
    /// Make an undone change again exactly (the undo's own change, taken back).
    Redo(Box<RecordChange>),
    /// `Assign` a ready bead.
    Assign {
        /// Its title.
        title: String,
        /// The pane.
        pane: i64,
        /// The agent type.
        agent_type: String,
        /// The agent name.
        agent_name: String,
        /// The prompt.
        prompt: String,
    },
}

impl StoreOp {
    /// The past tense the status line uses.
    #[must_use]
    pub fn verb(&self) -> &'static str {
        match self {
            StoreOp::Start => "started",
            StoreOp::Complete => "completed",
            StoreOp::Fail(_) => "failed",
            StoreOp::Reassign { .. } => "reassigned",
            StoreOp::Retry => "retried",
            StoreOp::Remove => "removed",
            StoreOp::Undo(_) => "undone",
            StoreOp::Redo(_) => "redone",
            StoreOp::Assign { .. } => "assigned",
        }
    }
}

/// A direct write to a schema-9 store.
#[derive(Debug, Clone)]
pub struct NtmWriteJob {
    /// Which change (the model's pending-write id).
    pub id: u64,
    /// The NTM root.
    pub ntm: PathBuf,
    /// The session.
    pub session: String,
    /// The row exactly as the user saw it (the generation check compares against it).
    pub card: crate::persist::assignment::Assignment,
    /// What to write.
    pub op: NtmWriteOp,
    /// Set by Esc to stop waiting for NTM's locks.
    pub cancel: Arc<AtomicBool>,
    /// How long to wait for NTM's locks at most.
    pub lock_timeout: Duration,
}

/// The writes a third party may make to a schema-9 store (ntm-v9.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NtmWriteOp {
    /// assigned → working.
    Start,
    /// NTM's terminal-reconciliation request for completed.
    Complete,
    /// The same request for failed, with the reason.
    Fail(String),
}

impl NtmWriteOp {
    /// What it does, in words.
    #[must_use]
    pub fn verb(&self) -> &'static str {
        match self {
            NtmWriteOp::Start => "started",
            NtmWriteOp::Complete => "completion requested",
            NtmWriteOp::Fail(_) => "failure requested",
        }
    }
}

/// An operation `ntm assign` carries out on a schema-9 store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NtmPlanOp {
    /// Assign a ready bead to a pane, with a prompt.
    Assign {
        /// The pane (`%N`, or an index).
        pane: String,
        /// The prompt.
        prompt: String,
    },
    /// Move the bead to a pane or any idle agent of a type.
    Reassign(crate::ntm::ReassignTo),
    /// Retry a failed bead.
    Retry,
    /// Clear the bead's assignment.
    Remove,
}

/// An operation to plan.
#[derive(Debug, Clone)]
pub struct NtmPlanJob {
    /// The NTM root.
    pub ntm: PathBuf,
    /// The user's home (NTM always works on `$HOME/.ntm`).
    pub home: Option<PathBuf>,
    /// The session.
    pub session: String,
    /// The bead.
    pub bead: String,
    /// The operation.
    pub op: NtmPlanOp,
}

/// Confirmed commands to run.
#[derive(Debug, Clone)]
pub struct NtmRunJob {
    /// Which change (the model's pending-write id).
    pub id: u64,
    /// The NTM root (the store is read again afterwards).
    pub ntm: PathBuf,
    /// The session.
    pub session: String,
    /// The bead.
    pub bead: String,
    /// What to run.
    pub plan: crate::ntm::Plan,
    /// Set by Esc to stop (the running `ntm` is killed).
    pub cancel: Arc<AtomicBool>,
}

/// Where `T` goes in tmux.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TmuxJob {
    /// A session (switch the client there, or say how to attach).
    Session {
        /// The session name.
        session: String,
        /// beadboard runs inside tmux.
        inside: bool,
    },
    /// A pane by its id (`%12`).
    PaneId {
        /// The pane id.
        id: String,
        /// beadboard runs inside tmux.
        inside: bool,
    },
    /// A pane by session and index.
    Pane {
        /// The session.
        session: String,
        /// The pane index.
        pane: i64,
        /// beadboard runs inside tmux.
        inside: bool,
    },
}
