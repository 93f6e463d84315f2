//! `beadboard assignments`, `stats`, and the changes (`assign`, `start`, `complete`, `fail`,
//! `reassign`, `retry`, `remove`), each calling exactly the store method of that transition.

use super::CliError;
use super::args::{BeadArgs, Command};
use super::json::{AssignmentJson, AssignmentListedJson, StatsJson};
use super::output::{JsonItems, Out, Table, errln, outln};
use crate::config::Roots;
use crate::persist::assignment::v9::NtmStatus;
use crate::persist::assignment::{
    self, Assignment, AssignmentStats, AssignmentStatus, AssignmentStore, StoreError,
};
use crate::present::{glyphs, sanitize, time};
use chrono::Utc;
use serde_json::Value;
use std::path::Path;

/// Opens a session's store, reporting load notes (backup recovery, null records) on stderr.
pub(super) fn open(roots: &Roots, session: &str) -> Result<AssignmentStore, CliError> {
    let store =
        AssignmentStore::load_store(&roots.ntm, session).map_err(|e| store_error(&e, None))?;
    for note in store.notes() {
        errln!("beadboard: note: {note}");
    }
    Ok(store.with_lock_wait_notice(|| {
        errln!("beadboard: waiting for assignments.json.lock held by another program…")
    }))
}

/// A named session must have a store: `assignments nosuch` is an error naming the session, the
/// file looked for and the sessions there are, not an empty list.
fn require_session(roots: &Roots, session: &str) -> Result<(), CliError> {
    assignment::validate_session_name(session).map_err(|e| store_error(&e, None))?;
    let dir = assignment::storage_dir_in(&roots.ntm);
    let store = dir.join(session).join(assignment::STORE_FILE);
    let backup = dir.join(session).join(format!(
        "{}{}",
        assignment::STORE_FILE,
        assignment::BACKUP_SUFFIX
    ));
    // As the store reads it: the file or its backup, through a link if need be.
    if store.exists() || backup.exists() {
        return Ok(());
    }
    let sessions = assignment::read_sessions(&roots.ntm)?;
    let known = if sessions.is_empty() {
        format!("there are no sessions in {}", dir.display())
    } else {
        let names: Vec<String> = sessions
            .iter()
            .map(|s| sanitize::one_line(&s.name))
            .collect();
        format!("sessions: {}", names.join(", "))
    };
    Err(CliError::not_found(format!(
        "no session {}: {} does not exist ({known})",
        sanitize::one_line(session),
        store.display()
    )))
}

/// Maps a store error to a message and exit code: refused moves (forbidden transitions with
/// upstream's exact wording, lost races, a reassignment to where the bead is) exit 3; other
/// errors name the store file.
fn store_error(e: &StoreError, path: Option<&Path>) -> CliError {
    let message = e.to_string();
    match (e, path) {
        (e, _) if e.is_invalid_transition() => CliError::refused(message),
        (StoreError::NotFound { .. }, Some(p)) => {
            CliError::not_found(format!("{}: {message}", p.display()))
        }
        (StoreError::NotFound { .. }, None) => CliError::not_found(message),
        (StoreError::InvalidSession(_), _) => CliError::usage(message),
        _ => CliError::failed(message),
    }
}

/// A record with its session (always, as everywhere): the store's own keys and its session.
fn assignment_json(record: &Assignment, session: &str) -> AssignmentJson {
    let own = match record.to_value() {
        Value::Object(mut map) => {
            map.remove("session");
            map
        }
        _ => serde_json::Map::new(),
    };
    AssignmentJson {
        own,
        session: session.to_owned(),
    }
}

/// A record as JSON, as a change prints it.
fn record_json(record: &Assignment, session: &str) -> Result<Value, CliError> {
    Ok(serde_json::to_value(assignment_json(record, session))?)
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

pub(super) fn status_label(status: &AssignmentStatus) -> String {
    format!(
        "{} {}",
        glyphs::assignment_status(status),
        sanitize::one_line(glyphs::word(status.as_str()))
    )
}

/// `assignments [SESSION] [--status S] [--json]`.
pub fn list(
    out: &mut Out,
    roots: &Roots,
    session: Option<&str>,
    status: Option<&str>,
    as_json: bool,
    stale_after: std::time::Duration,
) -> Result<(), CliError> {
    let sessions: Vec<String> = match session {
        Some(s) => {
            require_session(roots, s)?;
            vec![s.to_owned()]
        }
        // An unreadable sessions directory is named, as `runs` names an unreadable runs
        // directory, instead of looking like a root without sessions.
        None => match assignment::read_sessions(&roots.ntm) {
            Ok(found) => found.into_iter().map(|s| s.name).collect(),
            Err(e) => {
                errln!("beadboard: {e}");
                Vec::new()
            }
        },
    };
    let wanted = status.map(AssignmentStatus::parse);
    let now = crate::clock::now();
    let mut stores = Vec::new();
    for name in &sessions {
        match open(roots, name) {
            Ok(s) => stores.push((name.as_str(), s)),
            Err(e) if session.is_none() => {
                errln!("beadboard: skipped session {name}: {}", e.message);
            }
            Err(e) => return Err(e),
        }
    }
    let listed: Vec<(&str, &Assignment)> = stores
        .iter()
        .flat_map(|(name, store)| store.list().into_iter().map(move |a| (*name, a)))
        .filter(|(_, a)| wanted.as_ref().is_none_or(|w| &a.status == w))
        .collect();
    if as_json {
        // Each record's bound run (one look at the panes, for these records only).
        let mut runs = super::bound::runs(roots, &listed, stale_after, now);
        // Record by record: never the whole output in memory.
        let mut items = JsonItems::default();
        for (name, a) in listed {
            let record = AssignmentListedJson {
                record: assignment_json(a, name),
                run: runs.remove(&(name.to_owned(), a.bead_id.clone())),
            };
            items.item(out, &serde_json::to_value(record)?)?;
        }
        return items.end(out);
    }
    if listed.is_empty() {
        let place = assignment::storage_dir_in(&roots.ntm);
        return match session {
            Some(s) => outln!(
                out,
                "No assignments in session {s} ({}).",
                place.join(s).join(assignment::STORE_FILE).display()
            ),
            None => outln!(
                out,
                "No assignments in {} (looked for sessions/*/assignments.json).",
                place.display()
            ),
        };
    }
    // Row by row: each is made, written and let go before the next.
    let headers = [
        "SESSION", "BEAD", "STATUS", "PANE", "AGENT", "AGE", "RETRY", "TITLE",
    ];
    Table::stream(out, &headers, &listed, |(name, a)| {
        let mut title = sanitize::one_line(&a.bead_title);
        if !a.reason().is_empty() {
            title = format!("{title} — {}", sanitize::one_line(a.reason()));
        }
        vec![
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
        ]
    })
}

/// `stats SESSION [--json]`.
pub fn stats(out: &mut Out, roots: &Roots, session: &str, as_json: bool) -> Result<(), CliError> {
    require_session(roots, session)?;
    let store = open(roots, session)?;
    if let Some(view) = store.ntm() {
        let s = view.stats();
        if as_json {
            let counts = AssignmentStats {
                total: s.total,
                assigned: s.assigned,
                working: s.working,
                completed: s.completed,
                failed: s.failed,
                reassigned: s.reassigned,
            };
            let value = StatsJson {
                session: session.to_owned(),
                counts,
                claimed: Some(s.claimed),
            };
            out.json(&serde_json::to_value(value)?)?;
        } else {
            let claiming = view
                .rows()
                .iter()
                .filter(|r| r.status() == Some(NtmStatus::Claiming))
                .count();
            outln!(
                out,
                "{session}: {} total · ◌ {claiming} claiming · ◍ {} claimed · ○ {} assigned · ▶ {} working · ✓ {} completed · ✗ {} failed · → {} reassigned · generation {}",
                s.total,
                s.claimed,
                s.assigned,
                s.working,
                s.completed,
                s.failed,
                s.reassigned,
                view.generation()
            )?;
        }
        return Ok(());
    }
    let s = store.stats();
    if as_json {
        let value = StatsJson {
            session: session.to_owned(),
            counts: s,
            claimed: None,
        };
        out.json(&serde_json::to_value(value)?)?;
    } else {
        outln!(
            out,
            "{session}: {} total · ○ {} assigned · ▶ {} working · ✓ {} completed · ✗ {} failed · → {} reassigned",
            s.total,
            s.assigned,
            s.working,
            s.completed,
            s.failed,
            s.reassigned
        )?;
    }
    Ok(())
}

pub(super) fn show(
    out: &mut Out,
    record: &Assignment,
    session: &str,
    as_json: bool,
) -> Result<(), CliError> {
    if as_json {
        out.json(&record_json(record, session)?)?;
    } else {
        outln!(
            out,
            "{} {} · pane {} · {}",
            sanitize::one_line(&record.bead_id),
            status_label(&record.status),
            record.pane,
            agent_label(record)
        )?;
    }
    Ok(())
}

/// A store method applied to a bead.
type StoreCall =
    Box<dyn FnOnce(&mut AssignmentStore, &str) -> Result<Option<Assignment>, StoreError>>;

/// A usage error (exit code 2), in clap's manner.
fn usage(message: String) -> CliError {
    CliError::usage(message)
}

fn required<'a>(value: Option<&'a String>, flag: &str) -> Result<&'a str, CliError> {
    value.map(String::as_str).ok_or_else(|| {
        usage(format!(
            "the following required arguments were not provided: {flag} (a schema-1 store records it)"
        ))
    })
}

fn pane_index(text: &str) -> Result<i64, CliError> {
    text.trim().parse().map_err(|_| {
        usage(format!(
            "invalid value '{text}' for '--pane <N>': a schema-1 store records the pane index (a number)"
        ))
    })
}

/// The session a changing subcommand names.
fn session_of(command: &Command) -> Option<&str> {
    match command {
        Command::Assign { session, .. } => Some(session),
        Command::Start(a) | Command::Complete(a) => Some(&a.session),
        Command::Fail { bead, .. }
        | Command::Reassign { bead, .. }
        | Command::Retry { bead, .. }
        | Command::Remove { bead, .. } => Some(&bead.session),
        _ => None,
    }
}

/// The changing subcommands: on a store of today's NTM (schema 9) by NTM's rules (direct
/// writes for start, complete, fail; `ntm assign` for the rest), otherwise as seed-era NTM.
pub fn change(out: &mut Out, roots: &Roots, command: &Command) -> Result<(), CliError> {
    let session = session_of(command).ok_or_else(|| CliError::new("not a changing subcommand"))?;
    if !matches!(command, Command::Assign { .. }) {
        // Only `assign` may start a session's store.
        require_session(roots, session)?;
    }
    let store = open(roots, session)?;
    if store.ntm().is_some() {
        return super::ntm9::change(out, roots, command, &store);
    }
    let dry_run = match command {
        Command::Assign { route, .. }
        | Command::Reassign { route, .. }
        | Command::Retry { route, .. }
        | Command::Remove { route, .. } => route.dry_run,
        _ => false,
    };
    if dry_run {
        return Err(usage(format!(
            "--dry-run prints the ntm command of a schema-9 store; session {session} is a schema-1 store (seed-era NTM), which beadboard changes directly"
        )));
    }
    seed_change(out, store, command)
}

fn seed_change(
    out: &mut Out,
    mut store: AssignmentStore,
    command: &Command,
) -> Result<(), CliError> {
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
            ..
        } => {
            let title = required(title.as_ref(), "--title <T>")?;
            let agent_type = required(agent_type.as_ref(), "--agent-type <T>")?;
            let pane = pane_index(pane)?;
            let path = store.path().to_path_buf();
            let record = store
                .assign(bead, title, pane, agent_type, agent_name, prompt)
                .map_err(|e| store_error(&e, Some(&path)))?;
            report_history(&mut store);
            return show(out, &record, session, *json);
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
            ..
        } => {
            let pane = pane_index(required(pane.as_ref(), "--pane <N>")?)?;
            let kind = required(agent_type.as_ref(), "--agent-type <T>")?.to_owned();
            let name = agent_name.clone();
            (
                bead,
                Box::new(move |s, b| s.reassign(b, pane, &kind, &name).map(Some)),
            )
        }
        Command::Retry { bead, .. } => (bead, Box::new(|s, b| s.retry(b).map(Some))),
        Command::Remove { bead, .. } => (bead, Box::new(|s, b| s.remove(b))),
        Command::Runs { .. }
        | Command::Transcript { .. }
        | Command::Assignments { .. }
        | Command::Stats { .. }
        | Command::Sessions { .. }
        | Command::Doctor { .. }
        | Command::Serve { .. }
        | Command::Hosts { .. }
        | Command::Search(_)
        | Command::Status { .. }
        | Command::Watch { .. }
        | Command::Demo { .. }
        | Command::Keys { .. }
        | Command::Completions { .. }
        | Command::Man { .. } => {
            return Err(CliError::new("not a changing subcommand"));
        }
    };
    let path = store.path().to_path_buf();
    // As read a moment ago: another writer's move in between is refused in words.
    if let Some(seen) = store.get(&args.bead).map(|r| r.status.clone()) {
        store.expect(&args.bead, Some(seen));
    }
    let result = apply(&mut store, &args.bead).map_err(|e| store_error(&e, Some(&path)))?;
    report_history(&mut store);
    match result {
        Some(record) if matches!(command, Command::Remove { .. }) => {
            if args.json {
                out.json(&record_json(&record, &args.session)?)?;
            } else {
                outln!(
                    out,
                    "removed {} ({})",
                    sanitize::one_line(&record.bead_id),
                    status_label(&record.status)
                )?;
            }
            Ok(())
        }
        Some(record) => show(out, &record, &args.session, args.json),
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
        errln!("beadboard: warning: {problem}");
    }
}
