//! The requests a host serves on its channel: a move (made by [`crate::cli::moves`] under the
//! journal's lock, its waits reported as they happen), a tail (a transcript's bytes from an
//! offset, whole lines where it can, at most [`TAIL_MAX`]; a follow reads the same way, see
//! [`super::follow`]) and a search (the CLI's search,
//! its matches sent as found, then its end), and a run of a subcommand that only reads (its
//! stdout sent line by line). Moves, searches and runs go on their own threads, so a ping is
//! answered while a move waits for a lock.

use super::journal::{Journal, Written};
use super::searches::Ticket;
use super::send;
use crate::cli::moves::{self, Call, Note, Notify, Said};
use crate::cli::output::{LineSink, Out};
use crate::cli::search;
use crate::cli::transcript::{Picked, resolve_any};
use crate::cli::{Cli, CliError, Command, exit};
use crate::config::Roots;
use crate::persist::assignment::v9::WriteOutcome;
use crate::persist::assignment::{Assignment, AssignmentStore, Precommit};
use crate::persist::run::TRANSCRIPT_FILE;
use crate::remote::protocol::{
    Frame, Move, MoveOutcome, MoveResult, SearchDone, SearchSpec, TAIL_MAX, TailChunk,
};
use clap::Parser as _;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The answer to a move: made once for its key (see [`Journal`]).
pub fn make_move(roots: &Roots, journal: Option<&Journal>, id: u64, key: &str, mv: &Move) -> Frame {
    let notes = Arc::new(Mutex::new(Vec::new()));
    let said = Arc::clone(&notes);
    let notify: Notify = Arc::new(move |note| match note {
        Note::Waiting(what) => {
            let _ = send(&Frame::Waiting { id, what });
        }
        Note::Said(text) => {
            if let Ok(mut notes) = said.lock() {
                notes.push(text);
            }
        }
    });
    let make = |precommit: &Precommit| {
        let said = moves::make(roots, call_of(mv, precommit), &notify);
        let notes = notes.lock().map(|n| n.clone()).unwrap_or_default();
        outcome(mv, said, notes)
    };
    let outcome = match journal {
        Some(journal) => journal.once(
            key,
            mv,
            crate::clock::now,
            || {
                let _ = send(&Frame::Waiting {
                    id,
                    what: "waiting for another move on this host".to_owned(),
                });
            },
            |written| recover(roots, mv, written),
            make,
        ),
        None => MoveOutcome::not_applied(
            mv,
            MoveResult::Failed,
            "journal",
            "no home directory to keep the journal of moves in; nothing was moved".to_owned(),
        ),
    };
    Frame::Moved {
        id,
        key: key.to_owned(),
        outcome: Box::new(outcome),
    }
}

/// The outcome of a move whose key was recorded with what it wrote, but not its outcome (the
/// process ended between the store's write and the outcome's): applied if the bead's record is
/// as that write left it, said as the first try said it (on today's NTM, a direct write's line,
/// with the store's generation now); `None`: not written, or changed since by another writer
/// (the move is made again, and refused as stale if the bead is no longer as its board saw it).
fn recover(roots: &Roots, mv: &Move, written: &Written) -> Option<MoveOutcome> {
    let store = AssignmentStore::load_store(&roots.ntm, &mv.session).ok()?;
    if store.get(&mv.bead).map(Assignment::to_value) != written.after {
        return None;
    }
    let shown = written.after.as_ref().or(written.before.as_ref())?;
    let record = Assignment::from_value(shown.clone()).ok()?;
    let said = match store.ntm() {
        Some(view) => {
            let landed = WriteOutcome {
                record,
                generation: view.generation(),
                unchanged: false,
                note: None,
            };
            let quiet: Notify = Arc::new(|_| {});
            crate::cli::ntm9::report(&mv.action, &landed, &mv.session, &quiet)
        }
        None => moves::applied(&mv.action, &mv.session, &record),
    };
    Some(outcome(mv, said.ok()?, Vec::new()))
}

/// `mv` as a call of [`moves::make`], recording `precommit` with its write.
fn call_of<'a>(mv: &'a Move, precommit: &'a Precommit) -> Call<'a> {
    Call {
        session: &mv.session,
        bead: &mv.bead,
        action: &mv.action,
        dry_run: false,
        expected: Some(&mv.expected),
        precommit: Some(precommit),
    }
}

/// What a move said, as its outcome.
fn outcome(mv: &Move, said: Said, notes: Vec<String>) -> MoveOutcome {
    let mut outcome = match said.error {
        None => MoveOutcome::of(mv, MoveResult::Applied),
        Some(e) => MoveOutcome::not_applied(mv, e.result, e.code, e.message),
    };
    outcome.lines = said.lines;
    outcome.json = said.json;
    outcome.notes = notes;
    outcome
}

/// The transcript file of the run `reference`.
pub(super) fn transcript_of(roots: &Roots, reference: &str) -> Result<PathBuf, String> {
    let picked =
        resolve_any(roots, reference, crate::config::DEFAULT_STALE_AFTER).map_err(|e| e.message)?;
    match picked {
        Picked::Agentpair(dir) => Ok(dir.join(TRANSCRIPT_FILE)),
        Picked::Session(run) => run
            .session()
            .and_then(|s| s.summary.source.file().cloned())
            .ok_or_else(|| {
                format!("{reference} is kept in a database, not a file: it has no byte offsets")
            }),
    }
}

/// The bytes of the transcript at `path` from `from` (`None`: its last stretch of at most
/// [`TAIL_MAX`] bytes), at most `max` (and [`TAIL_MAX`]), cut after the last whole line: a line
/// still being written is left for the next read, unless one line alone fills them.
pub(super) fn read_chunk(
    path: &std::path::Path,
    reference: &str,
    from: Option<u64>,
    max: u64,
) -> Result<TailChunk, String> {
    let named = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut file = std::fs::File::open(path).map_err(named)?;
    let size = file.metadata().map_err(named)?.len();
    let start = from
        .unwrap_or_else(|| size.saturating_sub(TAIL_MAX))
        .min(size);
    file.seek(SeekFrom::Start(start)).map_err(named)?;
    let max = max.min(TAIL_MAX);
    let mut bytes = Vec::new();
    file.take(max).read_to_end(&mut bytes).map_err(named)?;
    match bytes.iter().rposition(|&b| b == b'\n') {
        Some(end) => bytes.truncate(end + 1),
        None if (bytes.len() as u64) < max => bytes.clear(),
        None => {}
    }
    Ok(TailChunk::new(reference, start, &bytes, size))
}

/// The answer to a tail: the bytes of `reference`'s transcript from `from` (see
/// [`read_chunk`]).
pub fn tail(roots: &Roots, id: u64, reference: &str, from: u64, max: u64) -> Frame {
    let read = transcript_of(roots, reference)
        .and_then(|path| read_chunk(&path, reference, Some(from), max));
    match read {
        Ok(chunk) => Frame::Tail { id, chunk },
        Err(message) => Frame::Error {
            id: Some(id),
            message,
        },
    }
}

/// Runs the search of `ticket`, giving `send` its matches as found, then its end (a cancelled
/// one's says so, and how far it got). Its ticket is given back (its entry removed) before the
/// end is sent: a client that reads the end finds the search gone.
pub fn search(
    roots: &Roots,
    spec: &SearchSpec,
    ticket: Ticket,
    cache: Option<PathBuf>,
    mut send: impl FnMut(&Frame) -> Result<(), CliError>,
) {
    let id = ticket.id();
    let how = search::Finding {
        cache,
        cancel: Arc::clone(&ticket.cancel),
    };
    let found = search::find(roots, spec, &how, |hits, targets| {
        let hits = hits
            .iter()
            .map(|h| search::hit_json(h, &targets[h.target]))
            .collect();
        send(&Frame::Hits { id, hits })
    });
    drop(ticket);
    let done = match found {
        Ok(outcome) => {
            let p = outcome.progress;
            SearchDone {
                hits: p.hits as u64,
                files: p.files_done as u64,
                total: p.files as u64,
                cancelled: outcome.cancelled,
                error: None,
                code: if p.hits == 0 {
                    exit::NOT_FOUND
                } else {
                    exit::OK
                },
            }
        }
        Err(CliError { message, code }) => SearchDone {
            error: Some(message),
            code,
            ..SearchDone::default()
        },
    };
    let _ = send(&Frame::SearchEnd { id, done });
}

/// The subcommands a client may run on this machine: those that only read.
fn reads_only(command: &Command) -> bool {
    matches!(
        command,
        Command::Runs { .. }
            | Command::Transcript { .. }
            | Command::Assignments { .. }
            | Command::Status { .. }
            | Command::Watch { .. }
            | Command::Sessions { .. }
            | Command::Search(_)
            | Command::Stats { .. }
            | Command::Doctor { .. }
    )
}

/// Runs a reading subcommand here for a client: its arguments read by the command line
/// parser (never a shell), its settings this machine's, its stdout sent line by line, then its
/// exit code.
pub fn run(id: u64, args: &[String], host: &str, prefixed: bool) {
    let parsed =
        Cli::try_parse_from(std::iter::once("beadboard".to_owned()).chain(args.iter().cloned()));
    let ended = match parsed {
        Err(e) => Err(CliError::usage(e.to_string().trim_end().to_owned())),
        Ok(Cli {
            command: Some(command),
            ..
        }) if !reads_only(&command) => Err(CliError::usage(format!(
            "{} is not a subcommand that only reads: it cannot be run for another machine",
            args.first().map_or("", String::as_str)
        ))),
        Ok(cli) => cli.resolve().and_then(|settings| {
            let lines =
                LineSink::new(move |line| send(&Frame::Output { id, line }).map_err(|_| ()));
            let mut out = Out::to(Box::new(lines), None).for_host(host, prefixed);
            let done = match &cli.command {
                Some(command) => crate::cli::dispatch(command, &settings, &mut out),
                None => Err(CliError::usage("no subcommand")),
            };
            done.and(out.flush())
        }),
    };
    let (code, message) = match ended {
        Ok(()) => (exit::OK, String::new()),
        Err(CliError { message, code }) => (code, message),
    };
    let _ = send(&Frame::Exit { id, code, message });
}

/// A host's roots under `dir` (agentpair/ and ntm/, no beads file, no agent sessions), for
/// the tests.
#[cfg(test)]
fn roots_under(dir: &std::path::Path) -> Roots {
    Roots {
        agentpair: dir.join("agentpair"),
        ntm: dir.join("ntm"),
        beads: None,
        agents: crate::persist::session::SessionRoots::default(),
    }
}

#[cfg(test)]
mod search_tests;
#[cfg(test)]
mod v9_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::protocol::{Expected, MoveAction};

    /// A host's roots with the store files `names` of the fixture directory `from` (under
    /// tests/fixtures) as session `webapp`.
    pub(super) fn host_with(from: &str, names: &[&str]) -> (tempfile::TempDir, Roots) {
        let dir = tempfile::tempdir().unwrap();
        let sessions = dir.path().join("ntm/sessions/webapp");
        std::fs::create_dir_all(&sessions).unwrap();
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(from);
        for name in names {
            std::fs::copy(from.join(name), sessions.join(name)).unwrap();
        }
        let roots = roots_under(dir.path());
        (dir, roots)
    }

    /// A host's roots with the example store of session `webapp` (schema 1).
    fn host() -> (tempfile::TempDir, Roots) {
        host_with("examples/ntm/sessions/webapp", &["assignments.json"])
    }

    pub(super) fn moved(frame: Frame) -> MoveOutcome {
        match frame {
            Frame::Moved { outcome, .. } => *outcome,
            other => panic!("not a move's answer: {other:?}"),
        }
    }

    #[test]
    fn a_retry_after_a_crash_between_the_stores_write_and_the_journals_answers_as_the_first() {
        let (dir, roots) = host();
        let journal = Journal::at(&dir.path().join("state"));
        let mv = Move {
            session: "webapp".to_owned(),
            bead: "wa-9p4e".to_owned(),
            action: MoveAction::Start,
            expected: Expected {
                status: Some("assigned".to_owned()),
                ..Expected::default()
            },
        };
        // The first try writes the store, then the process ends before the outcome is
        // recorded (a panic unwinds through the journal, which records nothing more).
        let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            journal.once(
                "k1",
                &mv,
                crate::clock::now,
                || {},
                |_| None,
                |precommit| {
                    let notify: crate::cli::moves::Notify = Arc::new(|_| {});
                    let said = moves::make(&roots, call_of(&mv, precommit), &notify);
                    assert!(said.error.is_none(), "{said:?}");
                    panic!("the process ends here");
                },
            )
        }));
        assert!(crashed.is_err());
        let store = || AssignmentStore::load_store(&roots.ntm, "webapp").unwrap();
        let after = store().get("wa-9p4e").unwrap().clone();
        assert_eq!(after.status.as_str(), "working");
        // The retry: answered as the first try would have been, and not made again.
        let retry = moved(make_move(&roots, Some(&journal), 2, "k1", &mv));
        assert_eq!(retry.outcome, MoveResult::Applied, "{retry:#?}");
        assert!(retry.replayed);
        assert!(
            retry.lines[0].starts_with("wa-9p4e ▶ working"),
            "{retry:#?}"
        );
        assert_eq!(store().get("wa-9p4e"), Some(&after));
        // And again, from the outcome now recorded.
        let again = moved(make_move(&roots, Some(&journal), 3, "k1", &mv));
        assert_eq!(again, retry);

        // A crash before the store's write: the retry makes the move.
        let mv = Move {
            bead: "wa-7hq2".to_owned(),
            action: MoveAction::Complete,
            expected: Expected {
                status: Some("working".to_owned()),
                ..Expected::default()
            },
            ..mv
        };
        let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            journal.once(
                "k2",
                &mv,
                crate::clock::now,
                || {},
                |_| None,
                |_| panic!("the process ends before the move"),
            )
        }));
        assert!(crashed.is_err());
        let first = moved(make_move(&roots, Some(&journal), 4, "k2", &mv));
        assert_eq!(first.outcome, MoveResult::Applied, "{first:#?}");
        assert!(!first.replayed);
        assert_eq!(store().get("wa-7hq2").unwrap().status.as_str(), "completed");
    }
}
