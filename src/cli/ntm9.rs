//! The changing subcommands on a store of today's NTM (schema 9), the way `ntm-v9.md` allows:
//! `start`, `complete`, `fail` write directly by NTM's protocol (complete and fail as NTM's
//! terminal-reconciliation request); `assign`, `reassign`, `retry`, `remove` run `ntm assign`
//! (`--dry-run` prints the command line instead). Nothing falls back to writing the file.

use super::CliError;
use super::args::{BeadArgs, Command};
use super::assignments::{show, status_label};
use super::output::print_json;
use crate::config::{Roots, home_dir};
use crate::ntm::{self, Plan, PlanError, ReassignTo, RunError, StepEvent, Target};
use crate::persist::assignment::v9::{NtmRow, NtmWriteError, NtmWriter, WriteOutcome};
use crate::persist::assignment::{Assignment, AssignmentStore};
use crate::present::sanitize;
use serde_json::{Value, json};

fn usage(message: String) -> CliError {
    CliError { message, code: 2 }
}

fn refused(e: impl std::fmt::Display) -> CliError {
    CliError {
        message: e.to_string(),
        code: 3,
    }
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
        CliError::new(format!(
            "{}: [ASSIGN] Assignment not found: {bead}",
            store.path().display()
        ))
    })
}

/// Runs one changing subcommand on `store`, which is of schema 9.
pub fn change(roots: &Roots, command: &Command, store: &AssignmentStore) -> Result<(), CliError> {
    let Some(view) = store.ntm() else {
        return Err(CliError::new("not a schema-9 store"));
    };
    let writer = || NtmWriter::for_store(store).on_wait(|what| eprintln!("beadboard: {what}…"));
    match command {
        Command::Start(a) => {
            let out = writer()
                .start(record(store, &a.bead)?)
                .map_err(|e| write_error(&e))?;
            report(&out, a, "started")
        }
        Command::Complete(a) => {
            let out = writer()
                .request_complete(record(store, &a.bead)?)
                .map_err(|e| write_error(&e))?;
            report(&out, a, "completion requested")
        }
        Command::Fail { bead, reason } => {
            let out = writer()
                .request_fail(record(store, &bead.bead)?, reason)
                .map_err(|e| write_error(&e))?;
            report(
                &out,
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
            execute(&plan, route.dry_run, *json)
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
            execute(&plan, route.dry_run, bead.json)
        }
        Command::Retry { bead, route } => {
            let row = NtmRow::new(record(store, &bead.bead)?);
            let plan = ntm::plan_retry(&target(roots, &bead.session)?, &row, Some(&view))
                .map_err(plan_error)?;
            execute(&plan, route.dry_run, bead.json)
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
            execute(&plan, route.dry_run, bead.json)
        }
        _ => Err(CliError::new("not a changing subcommand")),
    }
}

fn target(roots: &Roots, session: &str) -> Result<Target, CliError> {
    Target::new(&roots.ntm, session, home_dir().as_deref()).map_err(plan_error)
}

fn report(out: &WriteOutcome, args: &BeadArgs, done: &str) -> Result<(), CliError> {
    if let Some(note) = &out.note {
        eprintln!("beadboard: note: {note}");
    }
    if args.json {
        return show(&out.record, true);
    }
    let row = NtmRow::new(&out.record);
    let finish = if row.terminal_request().is_some() {
        "; NTM's watcher (ntm assign --watch) or coordinator finishes it"
    } else {
        ""
    };
    println!(
        "{}: {done}{finish} · {} · generation {}",
        sanitize::one_line(&out.record.bead_id),
        status_label(&out.record.status),
        out.generation
    );
    Ok(())
}

fn execute(plan: &Plan, dry_run: bool, as_json: bool) -> Result<(), CliError> {
    for w in &plan.warnings {
        eprintln!("beadboard: warning: {w}");
    }
    if dry_run {
        if let Some(confirm) = &plan.confirm {
            eprintln!("beadboard: note: {confirm}");
        }
        for line in plan.command_lines() {
            println!("{line}");
        }
        return Ok(());
    }
    let outcome = ntm::run_plan(plan, &ntm::RunOptions::default(), |event| {
        if let StepEvent::Started { command, .. } = event {
            eprintln!("beadboard: running: {command}");
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
        print_json(&Value::Array(steps))?;
    }
    for (index, (line, result)) in outcome.steps.iter().enumerate() {
        let purpose = &plan.steps[index].purpose;
        match result {
            Ok(ran) if ran.succeeded() => {
                if !as_json {
                    println!("{purpose}: {}", ran.summary());
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
