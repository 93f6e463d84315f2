//! `beadboard assignments`, `stats`, and the changes (`assign`, `start`, `complete`, `fail`,
//! `reassign`, `retry`, `remove`), each calling exactly the store method of that transition.

use super::CliError;
use super::args::{BeadArgs, Command};
use super::output::{Table, print_json};
use crate::config::Roots;
use crate::persist::assignment::{self, Assignment, AssignmentStatus, AssignmentStore, StoreError};
use crate::present::{glyphs, sanitize, time};
use chrono::Utc;
use serde_json::Value;
use std::path::Path;

/// Opens a session's store, reporting load notes (backup recovery, null records) on stderr.
fn open(roots: &Roots, session: &str) -> Result<AssignmentStore, CliError> {
    let store =
        AssignmentStore::load_store(&roots.ntm, session).map_err(|e| store_error(&e, None))?;
    for note in store.notes() {
        eprintln!("beadboard: note: {note}");
    }
    Ok(store.with_lock_wait_notice(|| {
        eprintln!("beadboard: waiting for assignments.json.lock held by another program…")
    }))
}

/// Maps a store error to a message and exit code: forbidden transitions exit 3 with upstream's
/// exact wording; other errors name the store file.
fn store_error(e: &StoreError, path: Option<&Path>) -> CliError {
    let message = e.to_string();
    match (e, path) {
        (StoreError::InvalidTransition(_), _) => CliError { message, code: 3 },
        (StoreError::NotFound { .. }, Some(p)) => {
            CliError::new(format!("{}: {message}", p.display()))
        }
        _ => CliError::new(message),
    }
}

fn record_json(record: &Assignment, session: Option<&str>) -> Value {
    let mut value = record.to_value();
    if let (Some(session), Value::Object(map)) = (session, &mut value)
        && !map.contains_key("session")
    {
        map.insert("session".to_owned(), Value::String(session.to_owned()));
    }
    value
}

fn agent_label(a: &Assignment) -> String {
    let name = sanitize::one_line(&a.agent_name);
    let kind = sanitize::one_line(&a.agent_type);
    if name.is_empty() {
        kind
    } else {
        format!("{kind}/{name}")
    }
}

fn status_label(status: &AssignmentStatus) -> String {
    format!(
        "{} {}",
        glyphs::assignment_status(status),
        sanitize::one_line(glyphs::word(status.as_str()))
    )
}

/// `assignments [SESSION] [--status S] [--json]`.
pub fn list(
    roots: &Roots,
    session: Option<&str>,
    status: Option<&str>,
    as_json: bool,
) -> Result<(), CliError> {
    let sessions: Vec<String> = match session {
        Some(s) => vec![s.to_owned()],
        // An unreadable sessions directory is named, as `runs` names an unreadable runs
        // directory, instead of looking like a root without sessions.
        None => match assignment::read_sessions(&roots.ntm) {
            Ok(found) => found.into_iter().map(|s| s.name).collect(),
            Err(e) => {
                eprintln!("beadboard: {e}");
                Vec::new()
            }
        },
    };
    let wanted = status.map(AssignmentStatus::parse);
    let now = Utc::now();
    let mut items = Vec::new();
    let mut table = Table::new(&[
        "SESSION", "BEAD", "STATUS", "PANE", "AGENT", "AGE", "RETRY", "TITLE",
    ]);
    for name in &sessions {
        let store = match open(roots, name) {
            Ok(s) => s,
            Err(e) if session.is_none() => {
                eprintln!("beadboard: skipped session {name}: {}", e.message);
                continue;
            }
            Err(e) => return Err(e),
        };
        for a in store
            .list()
            .into_iter()
            .filter(|a| wanted.as_ref().is_none_or(|w| &a.status == w))
        {
            if as_json {
                items.push(record_json(a, session.is_none().then_some(name.as_str())));
                continue;
            }
            let mut title = sanitize::one_line(&a.bead_title);
            if !a.reason().is_empty() {
                title = format!("{title} — {}", sanitize::one_line(a.reason()));
            }
            table.row(vec![
                sanitize::one_line(name),
                sanitize::one_line(&a.bead_id),
                status_label(&a.status),
                a.pane.to_string(),
                agent_label(a),
                time::ago(now, a.assigned_at.with_timezone(&Utc))
                    .trim_end_matches(" ago")
                    .to_owned(),
                if a.retry_count > 0 {
                    a.retry_count.to_string()
                } else {
                    String::new()
                },
                title,
            ]);
        }
    }
    if as_json {
        print_json(&Value::Array(items))?;
    } else if table.is_empty() {
        let place = assignment::storage_dir_in(&roots.ntm);
        match session {
            Some(s) => println!(
                "No assignments in session {s} ({}).",
                place.join(s).join(assignment::STORE_FILE).display()
            ),
            None => println!(
                "No assignments in {} (looked for sessions/*/assignments.json).",
                place.display()
            ),
        }
    } else {
        table.print()?;
    }
    Ok(())
}

/// `stats SESSION [--json]`.
pub fn stats(roots: &Roots, session: &str, as_json: bool) -> Result<(), CliError> {
    let store = open(roots, session)?;
    let s = store.stats();
    if as_json {
        print_json(&serde_json::to_value(s)?)?;
    } else {
        println!(
            "{session}: {} total · ○ {} assigned · ▶ {} working · ✓ {} completed · ✗ {} failed · → {} reassigned",
            s.total, s.assigned, s.working, s.completed, s.failed, s.reassigned
        );
    }
    Ok(())
}

fn show(record: &Assignment, as_json: bool) -> Result<(), CliError> {
    if as_json {
        print_json(&record.to_value())?;
    } else {
        println!(
            "{} {} · pane {} · {}",
            sanitize::one_line(&record.bead_id),
            status_label(&record.status),
            record.pane,
            agent_label(record)
        );
    }
    Ok(())
}

/// A store method applied to a bead.
type StoreCall =
    Box<dyn FnOnce(&mut AssignmentStore, &str) -> Result<Option<Assignment>, StoreError>>;

/// The changing subcommands.
pub fn change(roots: &Roots, command: &Command) -> Result<(), CliError> {
    let (args, apply): (&BeadArgs, StoreCall) = match command {
        Command::Assign {
            session,
            bead,
            title,
            pane,
            agent_type,
            agent_name,
            prompt,
            json,
        } => {
            let mut store = open(roots, session)?;
            let path = store.path().to_path_buf();
            let record = store
                .assign(bead, title, *pane, agent_type, agent_name, prompt)
                .map_err(|e| store_error(&e, Some(&path)))?;
            report_history(&mut store);
            return show(&record, *json);
        }
        Command::Start(a) => (a, Box::new(|s, b| s.mark_working(b).map(Some))),
        Command::Complete(a) => (a, Box::new(|s, b| s.mark_completed(b).map(Some))),
        Command::Fail { bead, reason } => {
            let reason = reason.clone();
            (
                bead,
                Box::new(move |s, b| s.mark_failed(b, &reason).map(Some)),
            )
        }
        Command::Reassign {
            bead,
            pane,
            agent_type,
            agent_name,
        } => {
            let (pane, kind, name) = (*pane, agent_type.clone(), agent_name.clone());
            (
                bead,
                Box::new(move |s, b| s.reassign(b, pane, &kind, &name).map(Some)),
            )
        }
        Command::Retry(a) => (a, Box::new(|s, b| s.retry(b).map(Some))),
        Command::Remove(a) => (a, Box::new(|s, b| s.remove(b))),
        Command::Runs { .. }
        | Command::Transcript { .. }
        | Command::Assignments { .. }
        | Command::Stats { .. }
        | Command::Sessions { .. }
        | Command::Search(_)
        | Command::Status { .. }
        | Command::Watch { .. }
        | Command::Demo { .. }
        | Command::Keys { .. } => {
            return Err(CliError::new("not a changing subcommand"));
        }
    };
    let mut store = open(roots, &args.session)?;
    let path = store.path().to_path_buf();
    let result = apply(&mut store, &args.bead).map_err(|e| store_error(&e, Some(&path)))?;
    report_history(&mut store);
    match result {
        Some(record) if matches!(command, Command::Remove(_)) => {
            if args.json {
                print_json(&record.to_value())?;
            } else {
                println!(
                    "removed {} ({})",
                    sanitize::one_line(&record.bead_id),
                    status_label(&record.status)
                );
            }
            Ok(())
        }
        Some(record) => show(&record, args.json),
        None => Err(store_error(
            &StoreError::NotFound {
                bead_id: args.bead.clone(),
            },
            Some(&path),
        )),
    }
}

fn report_history(store: &mut AssignmentStore) {
    if let Some(problem) = store.take_history_problem() {
        eprintln!("beadboard: warning: {problem}");
    }
}
