//! Store changes on a worker: the session's store is read, then exactly one store method runs
//! (taking the lock, re-reading, validating, publishing, logging). A wait for another
//! program's lock is reported as it starts, and ends early when the user cancels it.

use super::Sink;
use crate::app::effect::{StoreOp, WriteJob};
use crate::app::outcome::{Outcome, WriteFailure, WriteReply};
use crate::persist::assignment::{Assignment, AssignmentStore, StoreError};
use crate::persist::lock::LockError;

/// What a lock wait is for, in words: `NTM's lock on qa` (or `the lock on qa`).
#[must_use]
pub fn lock_name(session: &str) -> String {
    format!("NTM's lock on {session}")
}

/// Makes the change `job` asks for, reporting a lock wait as it starts and then the result.
pub fn run(job: WriteJob, sink: &Sink) {
    let WriteJob {
        id,
        ntm,
        session,
        bead,
        op,
        cancel,
        lock_timeout,
    } = job;
    let reply = |store, result, history_problem| {
        Outcome::WriteDone(Box::new(WriteReply {
            id,
            session: session.clone(),
            bead: bead.clone(),
            store,
            result,
            history_problem,
            message: None,
        }))
    };
    let mut store = match AssignmentStore::load_store(&ntm, &session) {
        Ok(store) => store,
        Err(e) => return sink.done(reply(None, Err(WriteFailure::Error(e.to_string())), None)),
    };
    let notice = sink.clone();
    let what = lock_name(&session);
    store = store
        .with_lock_timeout(lock_timeout)
        .with_cancel(cancel)
        .with_lock_wait_notice(move || {
            notice.done(Outcome::WriteWaiting {
                id,
                what: what.clone(),
            });
        });
    let result = apply(&mut store, &bead, &op);
    let history_problem = store.take_history_problem();
    let result = result.map_err(|e| match e {
        StoreError::Lock(e @ LockError::Cancelled { .. }) => WriteFailure::Cancelled(e.to_string()),
        other => WriteFailure::Error(other.to_string()),
    });
    sink.done(reply(Some(store), result, history_problem));
}

fn apply(
    store: &mut AssignmentStore,
    bead: &str,
    op: &StoreOp,
) -> Result<Option<Assignment>, StoreError> {
    match op {
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
        StoreOp::Restore(record) => store.restore(record).map(Some),
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
