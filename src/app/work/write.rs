//! Store changes on a worker: the session's store is read, then each move runs exactly one
//! store method (taking the lock, re-reading, validating, publishing, logging), one after the
//! other, each record under the lock on its own. A wait for another program's lock is reported
//! as it starts, and ends early when the user cancels it; the moves not made by then are not
//! made.

use super::Sink;
use crate::app::effect::{Move, StoreOp, WriteJob};
use crate::app::outcome::{MoveDone, Outcome, WriteFailure, WriteReply};
use crate::persist::assignment::{Assignment, AssignmentStore, StoreError};
use crate::persist::lock::LockError;
use std::sync::atomic::Ordering;

/// What a lock wait is for, in words: `NTM's lock on qa` (or `the lock on qa`).
#[must_use]
pub fn lock_name(session: &str) -> String {
    format!("NTM's lock on {session}")
}

/// A store error as the board reports it.
#[must_use]
pub fn failure(e: StoreError) -> WriteFailure {
    match (e.brief(), e) {
        (_, StoreError::Lock(e @ LockError::Cancelled { .. })) => {
            WriteFailure::Cancelled(e.to_string())
        }
        (Some(brief), e) => WriteFailure::Refused {
            text: e.to_string(),
            brief,
        },
        (None, e) => WriteFailure::Error(e.to_string()),
    }
}

/// Makes the changes `job` asks for, reporting a lock wait as it starts and then the results.
pub fn run(job: WriteJob, sink: &Sink) {
    let WriteJob {
        id,
        ntm,
        session,
        moves,
        cancel,
        lock_timeout,
    } = job;
    let reply = |store, moves, history_problem| {
        Outcome::WriteDone(Box::new(WriteReply {
            id,
            session: session.clone(),
            store,
            moves,
            history_problem,
            message: None,
        }))
    };
    let mut store = match AssignmentStore::load_store(&ntm, &session) {
        Ok(store) => store,
        Err(e) => {
            let why = e.to_string();
            let done = moves
                .into_iter()
                .map(|m| MoveDone {
                    bead: m.bead,
                    result: Err(WriteFailure::Error(why.clone())),
                    changes: Vec::new(),
                })
                .collect();
            return sink.done(reply(None, done, None));
        }
    };
    let notice = sink.clone();
    let what = lock_name(&session);
    store = store
        .with_lock_timeout(lock_timeout)
        .with_cancel(std::sync::Arc::clone(&cancel))
        .with_lock_wait_notice(move || {
            notice.done(Outcome::WriteWaiting {
                id,
                what: what.clone(),
            });
        });
    let mut done = Vec::with_capacity(moves.len());
    let mut problems = Vec::new();
    for m in moves {
        let result = if cancel.load(Ordering::Relaxed) {
            Err(WriteFailure::Cancelled(
                "stopped before this move started".to_owned(),
            ))
        } else {
            apply(&mut store, &m).map_err(failure)
        };
        problems.extend(store.take_history_problem());
        done.push(MoveDone {
            bead: m.bead,
            result,
            changes: store.take_changes(),
        });
    }
    problems.dedup();
    let history_problem = (!problems.is_empty()).then(|| problems.join("; "));
    sink.done(reply(Some(store), done, history_problem));
}

fn apply(store: &mut AssignmentStore, m: &Move) -> Result<Option<Assignment>, StoreError> {
    let bead = m.bead.as_str();
    if let Some(seen) = &m.seen {
        store.expect(bead, seen.clone());
    }
    match &m.op {
        StoreOp::Start => store.mark_working(bead).map(Some),
        StoreOp::Complete => store.mark_completed(bead).map(Some),
        StoreOp::Fail(reason) => store.mark_failed(bead, reason).map(Some),
        StoreOp::Reassign {
            pane,
            agent_type,
            agent_name,
        } => store
            .reassign(bead, *pane, agent_type, agent_name)
            .map(Some),
        StoreOp::Retry => store.retry(bead).map(Some),
        StoreOp::Remove => store.remove(bead).map(|_| None),
        StoreOp::Undo(change) => store.revert(change, false),
        StoreOp::Redo(change) => store.revert(change, true),
        StoreOp::Assign {
            title,
            pane,
            agent_type,
            agent_name,
            prompt,
        } => store
            .assign(bead, title, *pane, agent_type, agent_name, prompt)
            .map(Some),
    }
}
