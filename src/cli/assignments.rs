//! `beadboard assignments`, `stats`, and the changes (`assign`, `start`, `complete`, `fail`,
//! `reassign`, `retry`, `remove`), each calling exactly the store method of that transition.

use super::CliError;
use super::args::{BeadArgs, Command};
use super::json::{AssignmentJson, AssignmentListedJson, StatsJson};
use super::moves::{self, Call, MoveError, Note, Notify, Said, store_error};
use super::output::{JsonItems, Out, Table, errln, outln};
use crate::config::Roots;
use crate::persist::assignment::v9::NtmStatus;
use crate::persist::assignment::{
    self, Assignment, AssignmentStats, AssignmentStatus, AssignmentStore,
};
use crate::present::{glyphs, sanitize, time};
use crate::remote::protocol::MoveAction;
use chrono::Utc;
use serde_json::Value;
use std::sync::Arc;

/// Opens a session's store, reporting load notes (backup recovery, null records) on stderr.
pub(super) fn open(roots: &Roots, session: &str) -> Result<AssignmentStore, CliError> {
    let notify: Notify = Arc::new(|note| match note {
        Note::Waiting(what) => errln!("beadboard: {what}…"),
        Note::Said(text) => errln!("beadboard: {text}"),
    });
    open_with(roots, session, &notify).map_err(CliError::from)
}

/// Opens a session's store, giving its load notes and lock waits to `notify`.
pub(super) fn open_with(
    roots: &Roots,
    session: &str,
    notify: &Notify,
) -> Result<AssignmentStore, MoveError> {
    let store =
        AssignmentStore::load_store(&roots.ntm, session).map_err(|e| store_error(&e, None))?;
    for note in store.notes() {
        notify(Note::Said(format!("note: {note}")));
    }
    let notify = Arc::clone(notify);
    Ok(store.with_lock_wait_notice(move || {
        notify(Note::Waiting(
            "waiting for assignments.json.lock held by another program".to_owned(),
        ));
    }))
}

/// A named session must have a store: `assignments nosuch` is an error naming the session, the
/// file looked for and the sessions there are, not an empty list.
pub(super) fn require_session(roots: &Roots, session: &str) -> Result<(), CliError> {
    assignment::validate_session_name(session)
        .map_err(|e| CliError::from(store_error(&e, None)))?;
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
pub(super) fn record_json(record: &Assignment, session: &str) -> Result<Value, CliError> {
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
        let claiming = view
            .rows()
            .iter()
            .filter(|r| r.status() == Some(NtmStatus::Claiming))
            .count();
        if as_json {
            let counts = AssignmentStats {
                total: s.total,
                assigned: s.assigned,
                working: s.working,
                completed: s.completed,
                failed: s.failed,
                reassigned: s.reassigned,
                claiming,
                claimed: s.claimed,
            };
            let value = StatsJson {
                session: session.to_owned(),
                counts,
            };
            out.json(&serde_json::to_value(value)?)?;
        } else {
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

/// A record in one line, as a change prints it: `wa-1 ▶ working · pane 2 · claude/Ana`.
pub(super) fn show_line(record: &Assignment) -> String {
    format!(
        "{} {} · pane {} · {}",
        sanitize::one_line(&record.bead_id),
        status_label(&record.status),
        record.pane,
        agent_label(record)
    )
}

/// The move a changing subcommand asks for: its session, bead and action, and whether it
/// prints JSON or only the `ntm` command lines (`--dry-run`).
pub(super) fn move_of(command: &Command) -> Option<(&BeadArgs, MoveAction, bool)> {
    match command {
        Command::Start(a) => Some((a, MoveAction::Start, false)),
        Command::Complete(a) => Some((a, MoveAction::Complete, false)),
        Command::Fail { bead, reason } => Some((
            bead,
            MoveAction::Fail {
                reason: reason.clone(),
            },
            false,
        )),
        Command::Reassign {
            bead,
            pane,
            agent_type,
            agent_name,
            route,
        } => Some((
            bead,
            MoveAction::Reassign {
                pane: pane.clone(),
                agent_type: agent_type.clone(),
                agent_name: agent_name.clone(),
            },
            route.dry_run,
        )),
        Command::Retry { bead, route } => Some((bead, MoveAction::Retry, route.dry_run)),
        Command::Remove { bead, route, force } => {
            Some((bead, MoveAction::Remove { force: *force }, route.dry_run))
        }
        _ => None,
    }
}

/// The session, bead, action, `--json` and `--dry-run` of a changing subcommand.
pub(super) fn call_of(command: &Command) -> Option<(String, String, MoveAction, bool, bool)> {
    if let Command::Assign {
        session,
        bead,
        title,
        pane,
        agent_type,
        agent_name,
        prompt,
        json,
        route,
    } = command
    {
        let action = MoveAction::Assign {
            pane: pane.clone(),
            title: title.clone(),
            agent_type: agent_type.clone(),
            agent_name: agent_name.clone(),
            prompt: prompt.clone(),
        };
        return Some((session.clone(), bead.clone(), action, *json, route.dry_run));
    }
    move_of(command).map(|(args, action, dry_run)| {
        (
            args.session.clone(),
            args.bead.clone(),
            action,
            args.json,
            dry_run,
        )
    })
}

/// Prints what a move said, as the CLI does: its JSON or its lines on stdout; its error as the
/// command's (message and exit code).
pub(super) fn print_said(out: &mut Out, said: Said, as_json: bool) -> Result<(), CliError> {
    match (&said.json, as_json) {
        (Some(json), true) => out.json(json)?,
        _ if said.error.is_none() || !as_json => {
            for line in &said.lines {
                outln!(out, "{line}")?;
            }
        }
        _ => {}
    }
    said.error.map_or(Ok(()), |e| Err(e.into()))
}

/// The changing subcommands: on a store of today's NTM (schema 9) by NTM's rules (direct
/// writes for start, complete, fail; `ntm assign` for the rest), otherwise as seed-era NTM;
/// see [`super::moves`].
pub fn change(out: &mut Out, roots: &Roots, command: &Command) -> Result<(), CliError> {
    let (session, bead, action, as_json, dry_run) =
        call_of(command).ok_or_else(|| CliError::new("not a changing subcommand"))?;
    let notify: Notify = Arc::new(|note| match note {
        Note::Waiting(what) => errln!("beadboard: {what}…"),
        Note::Said(text) => errln!("beadboard: {text}"),
    });
    let call = Call {
        session: &session,
        bead: &bead,
        action: &action,
        dry_run,
        expected: None,
        precommit: None,
    };
    print_said(out, moves::make(roots, call, &notify), as_json)
}
