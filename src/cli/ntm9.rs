//! The moves on a store of today's NTM (schema 9), the way `ntm-v9.md` allows: `start`,
//! `complete`, `fail` write directly by NTM's protocol (complete and fail as NTM's
//! terminal-reconciliation request); `assign`, `reassign`, `retry`, `remove` run `ntm assign`
//! (`--dry-run` prints the command line instead). Nothing falls back to writing the file.

use super::assignments::{record_json, status_label};
use super::json::NtmStepJson;
use super::moves::{Call, MoveError, Note, Notify, Said};
use crate::config::{Roots, home_dir};
use crate::ntm::{self, Plan, PlanError, ReassignTo, RunError, StepEvent, Target};
use crate::persist::assignment::v9::{NtmRow, NtmWriteError, NtmWriter, WriteOutcome};
use crate::persist::assignment::{Assignment, AssignmentStore};
use crate::present::sanitize;
use crate::remote::protocol::{MoveAction, MoveResult};

fn write_error(e: &NtmWriteError) -> MoveError {
    let code = match e {
        NtmWriteError::Refused(_) => "not_allowed",
        NtmWriteError::Superseded { .. } => "raced",
        NtmWriteError::NotFound { .. } => "not_found",
        NtmWriteError::Lock(_) => "lock",
        _ => "error",
    };
    if e.is_refusal() {
        MoveError::refused(code, e.to_string())
    } else {
        MoveError::new(MoveResult::Failed, code, e.to_string())
    }
}

fn plan_error(e: PlanError) -> MoveError {
    match e {
        PlanError::Refused(_) => MoveError::refused("not_allowed", e.to_string()),
        PlanError::BadPane(_) | PlanError::NeedsPane(_) => MoveError::usage(e.to_string()),
        PlanError::UnreachableRoot(_) => MoveError::failed(e.to_string()),
    }
}

fn record<'a>(store: &'a AssignmentStore, bead: &str) -> Result<&'a Assignment, MoveError> {
    store.get(bead).ok_or_else(|| {
        MoveError::new(
            MoveResult::NotFound,
            "not_found",
            format!(
                "{}: [ASSIGN] Assignment not found: {bead}",
                store.path().display()
            ),
        )
    })
}

/// Makes one move on `store`, which is of schema 9.
#[must_use]
pub fn change(roots: &Roots, call: Call<'_>, store: &AssignmentStore, notify: &Notify) -> Said {
    match try_change(roots, call, store, notify) {
        Ok(said) => said,
        Err(e) => Said::error(e),
    }
}

fn try_change(
    roots: &Roots,
    call: Call<'_>,
    store: &AssignmentStore,
    notify: &Notify,
) -> Result<Said, MoveError> {
    let Some(view) = store.ntm() else {
        return Err(MoveError::failed("not a schema-9 store"));
    };
    let waits = std::sync::Arc::clone(notify);
    let writer = || {
        let waits = std::sync::Arc::clone(&waits);
        let writer =
            NtmWriter::for_store(store).on_wait(move |what| waits(Note::Waiting(what.to_string())));
        match call.precommit {
            Some(precommit) => writer.with_precommit(precommit.clone()),
            None => writer,
        }
    };
    let target =
        || Target::new(&roots.ntm, call.session, home_dir().as_deref()).map_err(plan_error);
    let (session, bead) = (call.session, call.bead);
    let landed = |written: Result<WriteOutcome, _>| {
        let done = written.map_err(|e| write_error(&e))?;
        report(call.action, &done, session, notify)
    };
    let plan = match call.action {
        MoveAction::Start => return landed(writer().start(record(store, bead)?)),
        MoveAction::Complete => return landed(writer().request_complete(record(store, bead)?)),
        MoveAction::Fail { reason } => {
            return landed(writer().request_fail(record(store, bead)?, reason));
        }
        MoveAction::Assign { pane, prompt, .. } => {
            ntm::plan_assign(&target()?, bead, pane, Some(prompt), Some(&view))
                .map_err(plan_error)?
        }
        MoveAction::Reassign {
            pane, agent_type, ..
        } => {
            let to = match (pane, agent_type) {
                (Some(p), _) => ReassignTo::Pane(p.clone()),
                (None, Some(t)) => ReassignTo::AgentType(t.clone()),
                (None, None) => {
                    return Err(MoveError::usage(
                        "reassign needs --pane %N (or --agent-type T for any idle agent of that type)",
                    ));
                }
            };
            let row = NtmRow::new(record(store, bead)?);
            ntm::plan_reassign(&target()?, &row, &to, None, Some(&view)).map_err(plan_error)?
        }
        MoveAction::Retry => {
            let row = NtmRow::new(record(store, bead)?);
            ntm::plan_retry(&target()?, &row, Some(&view)).map_err(plan_error)?
        }
        MoveAction::Remove { force } => {
            let row = NtmRow::new(record(store, bead)?);
            let plan = ntm::plan_remove(&target()?, &row).map_err(plan_error)?;
            if let Some(confirm) = &plan.confirm
                && !force
                && !call.dry_run
            {
                return Err(MoveError::usage(format!(
                    "{confirm}; run again with --force to confirm"
                )));
            }
            plan
        }
    };
    execute(&plan, call.dry_run, session, notify)
}

/// What a direct write (`start`, `complete`, `fail`) that landed says, its note (if any) told
/// to `notify`: its line and its record as JSON, as the CLI prints them.
///
/// # Errors
/// The record cannot be shown as JSON.
pub fn report(
    action: &MoveAction,
    outcome: &WriteOutcome,
    session: &str,
    notify: &Notify,
) -> Result<Said, MoveError> {
    if let Some(note) = &outcome.note {
        notify(Note::Said(format!("note: {note}")));
    }
    let done = match action {
        MoveAction::Start => "started".to_owned(),
        MoveAction::Complete => "completion requested".to_owned(),
        MoveAction::Fail { reason } => {
            format!("failure requested ({})", sanitize::one_line(reason))
        }
        _ => "written".to_owned(),
    };
    let row = NtmRow::new(&outcome.record);
    let finish = if row.terminal_request().is_some() {
        "; NTM's watcher (ntm assign --watch) or coordinator finishes it"
    } else {
        ""
    };
    Ok(Said {
        lines: vec![format!(
            "{}: {done}{finish} · {} · generation {}",
            sanitize::one_line(&outcome.record.bead_id),
            status_label(&outcome.record.status),
            outcome.generation
        )],
        json: Some(record_json(&outcome.record, session).map_err(MoveError::from)?),
        error: None,
    })
}

/// Runs (or with `dry_run` lists) the plan's `ntm` commands on `session`'s store.
fn execute(plan: &Plan, dry_run: bool, session: &str, notify: &Notify) -> Result<Said, MoveError> {
    for w in &plan.warnings {
        notify(Note::Said(format!("warning: {w}")));
    }
    if dry_run {
        if let Some(confirm) = &plan.confirm {
            notify(Note::Said(format!("note: {confirm}")));
        }
        return Ok(Said {
            lines: plan.command_lines(),
            json: None,
            error: None,
        });
    }
    let outcome = ntm::run_plan(plan, &ntm::RunOptions::default(), |event| {
        if let StepEvent::Started { command, .. } = event {
            notify(Note::Said(format!("running: {command}")));
        }
    });
    let steps: Vec<NtmStepJson> = outcome
        .steps
        .iter()
        .map(|(line, result)| NtmStepJson {
            session: session.to_owned(),
            command: line.clone(),
            exit_code: result.as_ref().ok().map(|ran| ran.code),
            envelope: result.as_ref().ok().map(|ran| ran.envelope.raw.clone()),
            error: result.as_ref().err().map(ToString::to_string),
        })
        .collect();
    let mut said = Said {
        lines: Vec::new(),
        json: Some(serde_json::to_value(steps).map_err(|e| MoveError::failed(e.to_string()))?),
        error: None,
    };
    for (index, (line, result)) in outcome.steps.iter().enumerate() {
        let purpose = &plan.steps[index].purpose;
        let failed = match result {
            Ok(ran) if ran.succeeded() => {
                said.lines.push(format!("{purpose}: {}", ran.summary()));
                continue;
            }
            Ok(ran) => format!("{line}: {}", ran.summary()),
            Err(RunError::NotInstalled) => ntm::NOT_INSTALLED.to_owned(),
            Err(e) => e.to_string(),
        };
        said.error = Some(MoveError::new(MoveResult::Failed, "ntm", failed));
        break;
    }
    Ok(said)
}
