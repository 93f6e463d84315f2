//! The changing subcommands on a store of today's NTM (schema 9), the way `ntm-v9.md` allows:
//! `start`, `complete`, `fail` write directly by NTM's protocol (complete and fail as NTM's
//! terminal-reconciliation request); `assign`, `reassign`, `retry`, `remove` run `ntm assign`
//! (`--dry-run` prints the command line instead). Nothing falls back to writing the file.

use super::CliError;
use super::args::{BeadArgs, Command};
use super::assignments::{show, status_label};
use super::output::{Out, errln, outln};
use crate::config::{Roots, home_dir};
use crate::ntm::{self, Plan, PlanError, ReassignTo, RunError, StepEvent, Target};
use crate::persist::assignment::v9::{NtmRow, NtmWriteError, NtmWriter, WriteOutcome};
use crate::persist::assignment::{Assignment, AssignmentStore};
use crate::present::sanitize;
use serde_json::{Value, json};

fn usage(message: String) -> CliError {
    CliError::usage(message)
}

fn refused(e: impl std::fmt::Display) -> CliError {
    CliError::refused(e.to_string())
}

fn write_error(e: &NtmWriteError) -> CliError {
    if e.is_refusal() {
        refused(e)
    } else {
        CliError::new(e.to_string())
    }
}

fn plan_error(e: PlanError) -> CliError {
    match e {
        PlanError::Refused(_) => refused(e),
        PlanError::BadPane(_) | PlanError::NeedsPane(_) => usage(e.to_string()),
        PlanError::UnreachableRoot(_) => CliError::new(e.to_string()),
    }
}

fn record<'a>(store: &'a AssignmentStore, bead: &str) -> Result<&'a Assignment, CliError> {
    store.get(bead).ok_or_else(|| {
        CliError::not_found(format!(
            "{}: [ASSIGN] Assignment not found: {bead}",
            store.path().display()
        ))
    })
}

/// Runs one changing subcommand on `store`, which is of schema 9.
pub fn change(
    out: &mut Out,
    roots: &Roots,
    command: &Command,
    store: &AssignmentStore,
) -> Result<(), CliError> {
    let Some(view) = store.ntm() else {
        return Err(CliError::new("not a schema-9 store"));
    };
    let writer = || NtmWriter::for_store(store).on_wait(|what| errln!("beadboard: {what}…"));
    match command {
        Command::Start(a) => {
            let done = writer()
                .start(record(store, &a.bead)?)
                .map_err(|e| write_error(&e))?;
            report(out, &done, a, "started")
        }
        Command::Complete(a) => {
            let done = writer()
                .request_complete(record(store, &a.bead)?)
                .map_err(|e| write_error(&e))?;
            report(out, &done, a, "completion requested")
        }
        Command::Fail { bead, reason } => {
            let done = writer()
                .request_fail(record(store, &bead.bead)?, reason)
                .map_err(|e| write_error(&e))?;
            report(
                out,
                &done,
                bead,
                &format!("failure requested ({})", sanitize::one_line(reason)),
            )
        }
        Command::Assign {
            session,
            bead,
            pane,
            prompt,
            json,
            route,
            ..
        } => {
            let plan = ntm::plan_assign(
                &target(roots, session)?,
                bead,
                pane,
                Some(prompt),
                Some(&view),
            )
            .map_err(plan_error)?;
            execute(out, &plan, route.dry_run, *json)
        }
        Command::Reassign {
            bead,
            pane,
            agent_type,
            route,
            ..
        } => {
            let to = match (pane, agent_type) {
                (Some(p), _) => ReassignTo::Pane(p.clone()),
                (None, Some(t)) => ReassignTo::AgentType(t.clone()),
                (None, None) => {
                    return Err(usage(
                        "reassign needs --pane %N (or --agent-type T for any idle agent of that type)".to_owned(),
                    ));
                }
            };
            let row = NtmRow::new(record(store, &bead.bead)?);
            let plan =
                ntm::plan_reassign(&target(roots, &bead.session)?, &row, &to, None, Some(&view))
                    .map_err(plan_error)?;
            execute(out, &plan, route.dry_run, bead.json)
        }
        Command::Retry { bead, route } => {
            let row = NtmRow::new(record(store, &bead.bead)?);
            let plan = ntm::plan_retry(&target(roots, &bead.session)?, &row, Some(&view))
                .map_err(plan_error)?;
            execute(out, &plan, route.dry_run, bead.json)
        }
        Command::Remove { bead, route, force } => {
            let row = NtmRow::new(record(store, &bead.bead)?);
            let plan =
                ntm::plan_remove(&target(roots, &bead.session)?, &row).map_err(plan_error)?;
            if let Some(confirm) = &plan.confirm
                && !force
                && !route.dry_run
            {
                return Err(usage(format!(
                    "{confirm}; run again with --force to confirm"
                )));
            }
            execute(out, &plan, route.dry_run, bead.json)
        }
        _ => Err(CliError::new("not a changing subcommand")),
    }
}

fn target(roots: &Roots, session: &str) -> Result<Target, CliError> {
    Target::new(&roots.ntm, session, home_dir().as_deref()).map_err(plan_error)
}

fn report(
    out: &mut Out,
    outcome: &WriteOutcome,
    args: &BeadArgs,
    done: &str,
) -> Result<(), CliError> {
    if let Some(note) = &outcome.note {
        errln!("beadboard: note: {note}");
    }
    if args.json {
        return show(out, &outcome.record, true);
    }
    let row = NtmRow::new(&outcome.record);
    let finish = if row.terminal_request().is_some() {
        "; NTM's watcher (ntm assign --watch) or coordinator finishes it"
    } else {
        ""
    };
    outln!(
        out,
        "{}: {done}{finish} · {} · generation {}",
        sanitize::one_line(&outcome.record.bead_id),
        status_label(&outcome.record.status),
        outcome.generation
    )?;
    Ok(())
}

fn execute(out: &mut Out, plan: &Plan, dry_run: bool, as_json: bool) -> Result<(), CliError> {
    for w in &plan.warnings {
        errln!("beadboard: warning: {w}");
    }
    if dry_run {
        if let Some(confirm) = &plan.confirm {
            errln!("beadboard: note: {confirm}");
        }
        for line in plan.command_lines() {
            outln!(out, "{line}")?;
        }
        return Ok(());
    }
    let outcome = ntm::run_plan(plan, &ntm::RunOptions::default(), |event| {
        if let StepEvent::Started { command, .. } = event {
            errln!("beadboard: running: {command}");
        }
    });
    if as_json {
        let steps: Vec<Value> = outcome
            .steps
            .iter()
            .map(|(line, result)| match result {
                Ok(ran) => {
                    json!({"command": line, "exit_code": ran.code, "envelope": ran.envelope.raw})
                }
                Err(e) => json!({"command": line, "error": e.to_string()}),
            })
            .collect();
        out.json(&Value::Array(steps))?;
    }
    for (index, (line, result)) in outcome.steps.iter().enumerate() {
        let purpose = &plan.steps[index].purpose;
        match result {
            Ok(ran) if ran.succeeded() => {
                if !as_json {
                    outln!(out, "{purpose}: {}", ran.summary())?;
                }
            }
            Ok(ran) => {
                return Err(CliError::new(format!("{line}: {}", ran.summary())));
            }
            Err(RunError::NotInstalled) => return Err(CliError::new(ntm::NOT_INSTALLED)),
            Err(e) => return Err(CliError::new(e.to_string())),
        }
    }
    Ok(())
}
