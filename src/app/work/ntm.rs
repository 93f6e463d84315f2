//! Acting on a schema-9 store on a worker, the way ntm-v9.md allows: the direct writes (start,
//! and the complete/fail request) by NTM's lock and publish protocol, and everything else
//! through `ntm assign` — first planned (the row as it is on disk now, and whether `ntm` is
//! installed) so the board can show the exact command line to confirm, then run with each step
//! reported and Esc killing it.

use super::Sink;
use crate::app::effect::{NtmPlanJob, NtmPlanOp, NtmRunJob, NtmWriteJob, NtmWriteOp};
use crate::app::outcome::{MoveDone, Outcome, WriteFailure, WriteReply};
use crate::ntm::{self, Plan, RunOptions, StepEvent, Target};
use crate::persist::assignment::AssignmentStore;
use crate::persist::assignment::v9::{NtmRow, NtmWriteError, NtmWriter, WaitingFor};
use crate::persist::lock::LockError;
use crate::present::sanitize::one_line;

/// The store as it is now, for the board after a change (`None` when it cannot be read).
fn reread(ntm: &std::path::Path, session: &str) -> Option<AssignmentStore> {
    AssignmentStore::load_store(ntm, session).ok()
}

/// Makes a direct write, reporting lock waits as they start.
pub fn write(job: NtmWriteJob, sink: &Sink) {
    let NtmWriteJob {
        id,
        ntm,
        session,
        card,
        op,
        cancel,
        lock_timeout,
    } = job;
    let notice = sink.clone();
    let bead = card.bead_id.clone();
    let result = NtmWriter::new(&ntm, &session).and_then(|writer| {
        let writer = writer
            .with_cancel(cancel)
            .with_timeout(lock_timeout)
            .on_wait(move |waiting: &WaitingFor| {
                let text = waiting.to_string();
                notice.done(Outcome::WriteWaiting {
                    id,
                    what: text
                        .strip_prefix("waiting for ")
                        .unwrap_or(&text)
                        .to_owned(),
                });
            });
        match &op {
            NtmWriteOp::Start => writer.start(&card),
            NtmWriteOp::Complete => writer.request_complete(&card),
            NtmWriteOp::Fail(reason) => writer.request_fail(&card, reason),
        }
    });
    let (result, message, note) = match result {
        Ok(out) => {
            let finish = if NtmRow::new(&out.record).terminal_request().is_some() {
                "; NTM's watcher finishes it"
            } else {
                ""
            };
            let message = format!(
                "{} {}{finish} (generation {})",
                one_line(&out.record.bead_id),
                op.verb(),
                out.generation
            );
            (Ok(Some(out.record)), Some(message), out.note)
        }
        Err(e @ NtmWriteError::Lock(LockError::Cancelled { .. })) => {
            (Err(WriteFailure::Cancelled(e.to_string())), None, None)
        }
        Err(e) => (Err(WriteFailure::Error(e.to_string())), None, None),
    };
    sink.done(Outcome::WriteDone(Box::new(WriteReply {
        id,
        store: reread(&ntm, &session),
        session,
        moves: vec![MoveDone {
            bead,
            result,
            changes: Vec::new(),
        }],
        history_problem: note,
        message,
    })));
}

/// Works out the command(s) for an operation from the store as it is on disk now.
pub fn plan(job: &NtmPlanJob) -> Outcome {
    let NtmPlanJob {
        ntm,
        home,
        session,
        bead,
        op,
    } = job;
    let verb = match op {
        NtmPlanOp::Assign { .. } => "assign",
        NtmPlanOp::Reassign(_) => "reassign",
        NtmPlanOp::Retry => "retry",
        NtmPlanOp::Remove => "remove",
    };
    let result = (|| -> Result<Plan, String> {
        let target = Target::new(ntm, session, home.as_deref()).map_err(|e| e.to_string())?;
        let store = AssignmentStore::load_store(ntm, session).map_err(|e| e.to_string())?;
        let view = store.ntm();
        let plan = match op {
            NtmPlanOp::Assign { pane, prompt } => {
                ntm::plan_assign(&target, bead, pane, Some(prompt), view.as_ref())
            }
            other => {
                let record = store
                    .get(bead)
                    .ok_or_else(|| format!("{bead} is no longer in {}", store.path().display()))?;
                let row = NtmRow::new(record);
                match other {
                    NtmPlanOp::Reassign(to) => {
                        ntm::plan_reassign(&target, &row, to, None, view.as_ref())
                    }
                    NtmPlanOp::Retry => ntm::plan_retry(&target, &row, view.as_ref()),
                    _ => ntm::plan_remove(&target, &row),
                }
            }
        }
        .map_err(|e| e.to_string())?;
        if ntm::find_ntm(None).is_none() {
            return Err(ntm::NOT_INSTALLED.to_owned());
        }
        Ok(plan)
    })();
    Outcome::NtmPlanned {
        session: session.clone(),
        bead: bead.clone(),
        verb: verb.to_owned(),
        result,
    }
}

/// Runs confirmed commands, reporting each step, then the outcome in words.
pub fn run(job: NtmRunJob, sink: &Sink) {
    let NtmRunJob {
        id,
        ntm,
        session,
        bead,
        plan,
        cancel,
    } = job;
    let options = RunOptions {
        cancel,
        ..RunOptions::default()
    };
    let outcome = ntm::run_plan(&plan, &options, |event| {
        if let StepEvent::Started { index, of, command } = event {
            let step = if of > 1 {
                format!("step {} of {of}: ", index + 1)
            } else {
                String::new()
            };
            sink.done(Outcome::WriteStep {
                id,
                text: format!("running {step}{}", command.display()),
            });
        }
    });
    let succeeded = outcome.succeeded(&plan);
    let last = outcome.steps.last().map(|(line, result)| match result {
        Ok(ran) => format!("{line}: {}", ran.summary()),
        Err(e) => format!("{line}: {e}"),
    });
    let result = if succeeded {
        Ok(None)
    } else if options.cancel.load(std::sync::atomic::Ordering::Relaxed) {
        Err(WriteFailure::Cancelled(
            "stopped: ntm was killed before it finished".to_owned(),
        ))
    } else {
        Err(WriteFailure::Error(one_line(
            &last.clone().unwrap_or_else(|| "nothing ran".to_owned()),
        )))
    };
    let message = succeeded.then(|| {
        format!(
            "{bead}: ntm done ({})",
            plan.steps
                .iter()
                .map(|s| s.purpose.clone())
                .collect::<Vec<_>>()
                .join(", then ")
        )
    });
    sink.done(Outcome::WriteDone(Box::new(WriteReply {
        id,
        store: reread(&ntm, &session),
        session,
        moves: vec![MoveDone {
            bead,
            result,
            changes: Vec::new(),
        }],
        history_problem: None,
        message,
    })));
}
