//! Moves, tails and searches on fake hosts over the command transport (no sshd; see
//! `remote/fleet.rs`): a move made under the host's lock while a local writer competes (both
//! changes kept, or the move refused as a lost race), a bead no longer as the board saw it
//! (refused as stale, a reassignment's pane and agent checked under the lock), a move on today's NTM store (NTM's protocol), an idempotent retry after the channel drops mid-write (the move made
//! once, the retry answered from the host's journal), a tail from an offset, a search streamed
//! then ended, and names with spaces, quotes, `;`, `$( )` and a newline that arrive intact and
//! run nothing. Waits on updates, never on the clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "remote/fleet.rs"]
mod fleet;

use beadboard::persist::lock::FileLock;
use beadboard::remote::Update;
use beadboard::remote::client::MoveTicket;
use beadboard::remote::protocol::{
    Expected, Move, MoveAction, MoveOutcome, MoveResult, SearchSpec, TAIL_MAX, TailChunk,
};
use fleet::{Fleet, Watcher, lock, status, store, write_field, write_status};
use rustix::process::Signal;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// How a move ended, its code and its words.
fn refusal(outcome: &MoveOutcome) -> (MoveResult, Option<&str>, Option<&str>) {
    (
        outcome.outcome,
        outcome.reason_code.as_deref(),
        outcome.reason.as_deref(),
    )
}

fn a_move(session: &str, bead: &str, action: MoveAction, expected: &str) -> Move {
    Move {
        session: session.to_owned(),
        bead: bead.to_owned(),
        action,
        expected: Expected {
            status: Some(expected.to_owned()),
            ..Expected::default()
        },
    }
}

/// Host alpha (through `ssh_command`), live, and its HOME.
fn alpha(fleet: &Fleet, ssh: fn(&Fleet, &str) -> beadboard::remote::Host) -> (PathBuf, Watcher) {
    let mut w = Watcher::start(&[ssh(fleet, "alpha")]);
    w.live_with_latency("alpha");
    (fleet.home("alpha"), w)
}

impl Watcher {
    /// Sends `mv` to alpha while the test holds its store's lock, and waits until alpha says
    /// it waits for it.
    fn locked_move(&mut self, home: &Path, mv: Move) -> (FileLock, MoveTicket) {
        let held = lock(home, &mv.session);
        let ticket = self.connections[0].send_move(mv);
        self.waiting("alpha", ticket.id, "assignments.json.lock");
        (held, ticket)
    }

    fn waiting(&mut self, host: &str, id: u64, what: &str) -> String {
        match self.until(
            host,
            what,
            |u| matches!(u, Update::Waiting { id: i, what: w, .. } if *i == id && w.contains(what)),
        ) {
            Update::Waiting { what, .. } => what,
            _ => unreachable!(),
        }
    }

    /// Alpha's transcript of `reference` from `from`, at most `max` bytes, or why not.
    fn tailed(&mut self, reference: &str, from: u64, max: u64) -> Result<TailChunk, String> {
        let id = self.connections[0].tail(reference, from, max);
        match self.until(
            "alpha",
            "the tail",
            |u| matches!(u, Update::Tail { id: i, .. } if *i == id),
        ) {
            Update::Tail { result, .. } => result,
            _ => unreachable!(),
        }
    }

    fn moved(&mut self, host: &str, id: u64) -> MoveOutcome {
        match self.until(
            host,
            "the move's answer",
            |u| matches!(u, Update::Moved { id: i, .. } if *i == id),
        ) {
            Update::Moved { outcome, .. } => outcome,
            _ => unreachable!(),
        }
    }
}

#[test]
fn a_move_is_made_under_the_hosts_lock_while_a_local_writer_competes() {
    let fleet = Fleet::new();
    let (home, mut w) = alpha(&fleet, Fleet::host);

    // The store is locked by a local writer: the move waits, and says so.
    let complete = a_move("webapp", "wa-5tq0", MoveAction::Complete, "working");
    let (held, ticket) = w.locked_move(&home, complete);
    // Meanwhile the local writer moves another bead; the host's move, made after it under
    // the lock, keeps that change.
    write_status(&home, "webapp", "wa-7hq2", "completed");
    drop(held);
    let outcome = w.moved("alpha", ticket.id);
    assert_eq!(outcome.outcome, MoveResult::Applied, "{outcome:#?}");
    assert_eq!(outcome.reference, "webapp/wa-5tq0");
    assert!(
        outcome.lines[0].starts_with("wa-5tq0 ✓ completed"),
        "{outcome:#?}"
    );
    assert_eq!(outcome.json.as_ref().unwrap()["status"], "completed");
    assert_eq!(status(&home, "webapp", "wa-5tq0"), "completed");
    assert_eq!(status(&home, "webapp", "wa-7hq2"), "completed");

    // The local writer gets there first on the same bead: the move is refused, in words.
    let start = a_move("webapp", "wa-9p4e", MoveAction::Start, "assigned");
    let (held, ticket) = w.locked_move(&home, start);
    write_status(&home, "webapp", "wa-9p4e", "failed");
    drop(held);
    let outcome = w.moved("alpha", ticket.id);
    assert_eq!(outcome.outcome, MoveResult::Refused, "{outcome:#?}");
    assert_eq!(outcome.reason_code.as_deref(), Some("raced"));
    assert_eq!(
        outcome.reason.as_deref(),
        Some("wa-9p4e was already failed by someone else (now failed)")
    );
    assert_eq!(status(&home, "webapp", "wa-9p4e"), "failed");

    // A board that is behind is refused before anything, as stale; a forbidden move in the
    // store's own words.
    let behind = a_move("webapp", "wa-1f6b", MoveAction::Start, "assigned");
    let id = w.connections[0].send_move(behind).id;
    let outcome = w.moved("alpha", id);
    assert_eq!(
        refusal(&outcome),
        (
            MoveResult::Refused,
            Some("stale"),
            Some("stale: wa-1f6b is now failed")
        )
    );
    let forbidden = a_move("webapp", "wa-3kd9", MoveAction::Start, "completed");
    let id = w.connections[0].send_move(forbidden).id;
    let outcome = w.moved("alpha", id);
    assert_eq!(outcome.reason_code.as_deref(), Some("invalid_transition"));
    assert_eq!(
        outcome.reason.as_deref(),
        Some("[ASSIGN] Invalid transition completed -> working for wa-3kd9")
    );
}

#[test]
fn a_reassignment_whose_bead_moved_between_the_check_and_the_lock_is_refused() {
    let fleet = Fleet::new();
    let (home, mut w) = alpha(&fleet, Fleet::host);
    // The board saw wa-7hq2 working on pane 4 for codex, and so it is when the move arrives;
    // while the move waits for the lock, another writer puts it on pane 5.
    let mv = Move {
        expected: Expected {
            status: Some("working".to_owned()),
            pane: Some(4),
            agent_type: Some("codex".to_owned()),
        },
        ..a_move(
            "webapp",
            "wa-7hq2",
            MoveAction::Reassign {
                pane: Some("7".to_owned()),
                agent_type: Some("claude".to_owned()),
                agent_name: String::new(),
            },
            "working",
        )
    };
    let (held, ticket) = w.locked_move(&home, mv);
    write_field(&home, "webapp", "wa-7hq2", "pane", Value::from(5));
    drop(held);
    let outcome = w.moved("alpha", ticket.id);
    assert_eq!(
        refusal(&outcome),
        (
            MoveResult::Refused,
            Some("stale"),
            Some("stale: wa-7hq2 is now on pane 5, codex")
        ),
        "{outcome:#?}"
    );
    let doc: Value =
        serde_json::from_slice(&std::fs::read(store(&home, "webapp")).unwrap()).unwrap();
    assert_eq!(doc["assignments"]["wa-7hq2"]["pane"], 5);
    assert_eq!(status(&home, "webapp", "wa-7hq2"), "working");
}

#[test]
fn a_retry_after_the_channel_drops_mid_write_is_answered_from_the_journal() {
    let fleet = Fleet::new();
    let (home, mut w) = alpha(&fleet, Fleet::relayed);
    // The host is making the move (waiting for the store's lock) when the link drops.
    let start = a_move("webapp", "wa-9p4e", MoveAction::Start, "assigned");
    let (held, ticket) = w.locked_move(&home, start);
    w.signal(0, Signal::KILL);
    w.down("alpha");
    // The client sends the move again with the same key on the new channel: it waits for the
    // first try, which still holds the host's journal.
    w.waiting("alpha", ticket.id, "another move on this host");
    drop(held);
    let outcome = w.moved("alpha", ticket.id);
    assert_eq!(outcome.outcome, MoveResult::Applied, "{outcome:#?}");
    assert!(outcome.replayed, "{outcome:#?}");
    assert_eq!(status(&home, "webapp", "wa-9p4e"), "working");
    // Made once: one line in the store's history.
    let history =
        std::fs::read_to_string(home.join(".ntm/sessions/webapp/assignments.history.jsonl"))
            .unwrap_or_default();
    let starts = history
        .lines()
        .filter(|l| l.contains("\"wa-9p4e\"") && l.contains("\"start\""))
        .count();
    assert_eq!(starts, 1, "{history}");
    // The journal is beadboard's, on the host, never in NTM's directory.
    let journal = std::fs::read_to_string(home.join(".local/state/beadboard/moves.jsonl")).unwrap();
    assert!(journal.contains(&ticket.key), "{journal}");
}

#[test]
fn tails_and_searches_come_from_the_host() {
    let fleet = Fleet::new();
    let (_, mut w) = alpha(&fleet, Fleet::host);
    let Update::Snapshot { events, .. } = w.until("alpha", "snapshot", |u| {
        matches!(u, Update::Snapshot { .. })
    }) else {
        unreachable!()
    };
    let run = events
        .iter()
        .find(|e| e["event"] == "run" && e["agent"] == "agentpair")
        .or_else(|| events.iter().find(|e| e["event"] == "run"))
        .unwrap();
    let reference = run["reference"].as_str().unwrap().to_owned();
    let tail = |w: &mut Watcher, from: u64, max: u64| w.tailed(&reference, from, max).unwrap();
    let first = tail(&mut w, 0, 300);
    let bytes = first.bytes().unwrap();
    assert!(!bytes.is_empty() && bytes.ends_with(b"\n"), "{first:?}");
    assert!(bytes.len() <= 300);
    assert_eq!(first.next, bytes.len() as u64);
    let second = tail(&mut w, first.next, 1 << 30);
    assert_eq!(second.from, first.next);
    assert!(second.next <= second.size);
    // Every byte from the offset, exactly as on disk.
    let dir = run["dir"].as_str().map(PathBuf::from);
    if let Some(dir) = dir {
        let on_disk = std::fs::read(dir.join("transcript.jsonl")).unwrap();
        let got: Vec<u8> = [bytes, second.bytes().unwrap()].concat();
        assert_eq!(got, on_disk[..got.len()]);
    }
    // An unknown run is an error naming it.
    let result = w.tailed("nope/99", 0, 10);
    assert!(result.unwrap_err().contains("nope/99"));

    // A search: matches as found, then its end.
    let id = w.connections[0].search(SearchSpec {
        pattern: "work on it".to_owned(),
        ..SearchSpec::default()
    });
    let mut hits = Vec::new();
    let done = loop {
        match w.until("alpha", "hits", |u| {
            matches!(u, Update::Hits { id: i, .. } | Update::SearchEnd { id: i, .. } if *i == id)
        }) {
            Update::Hits { hits: more, .. } => hits.extend(more),
            Update::SearchEnd { done, .. } => break done,
            _ => unreachable!(),
        }
    };
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h["kind"] == "run" && h["text"].as_str().unwrap().contains("work on it")),
        "{hits:#?}"
    );
    assert_eq!(
        (done.hits, done.code, done.error.as_deref()),
        (hits.len() as u64, 0, None)
    );
    assert!(
        !done.cancelled && done.files == done.total && done.total > 0,
        "{done:?}"
    );
}

#[test]
fn hostile_session_and_bead_names_reach_the_host_intact_and_run_nothing() {
    let fleet = Fleet::new();
    let home = fleet.home("alpha");
    let host = fleet.host("alpha");
    let session = "we ird 'q' \"dq\"; $(touch pwned) `touch pwned2`\n touch pwned3";
    let bead = "b 'x'; $(touch pwned4)\nbad";
    let dir = home.join(".ntm/sessions").join(session);
    std::fs::create_dir_all(&dir).unwrap();
    let mut doc: Value =
        serde_json::from_slice(&std::fs::read(store(&home, "webapp")).unwrap()).unwrap();
    let mut record = doc["assignments"]["wa-9p4e"].take();
    record["bead_id"] = Value::from(bead);
    doc["assignments"] = serde_json::json!({ bead: record });
    doc["session_name"] = Value::from(session);
    std::fs::write(
        dir.join("assignments.json"),
        serde_json::to_vec(&doc).unwrap(),
    )
    .unwrap();
    let mut w = Watcher::start(&[host]);
    w.live_with_latency("alpha");
    let id = w.connections[0]
        .send_move(a_move(session, bead, MoveAction::Start, "assigned"))
        .id;
    let outcome = w.moved("alpha", id);
    assert_eq!(outcome.outcome, MoveResult::Applied, "{outcome:#?}");
    assert_eq!(outcome.session, session);
    assert_eq!(outcome.name, bead);
    assert_eq!(status(&home, session, bead), "working");
    // A run and a pattern with the same characters, as data too.
    let result = w.tailed(session, 0, 10);
    assert!(result.is_err());
    let id = w.connections[0].search(SearchSpec {
        pattern: session.to_owned(),
        ..SearchSpec::default()
    });
    w.until(
        "alpha",
        "the end",
        |u| matches!(u, Update::SearchEnd { id: i, .. } if *i == id),
    );
    drop(w);
    for marker in ["pwned", "pwned2", "pwned3", "pwned4"] {
        assert!(!home.join(marker).exists(), "{marker} ran");
    }
}

#[test]
fn a_move_on_todays_ntm_store_is_made_by_ntms_protocol_on_the_host() {
    let fleet = Fleet::new();
    let (home, mut w) = alpha(&fleet, Fleet::host);
    // alpha's webapp is a store of today's NTM.
    let dir = home.join(".ntm/sessions/webapp");
    let from = common::fixture("upstream/ntm-v9/00-start");
    for name in ["assignments.json", "assignments.json.bak"] {
        if from.join(name).exists() {
            std::fs::copy(from.join(name), dir.join(name)).unwrap();
        }
    }
    let id = w.connections[0]
        .send_move(a_move("webapp", "wa-01", MoveAction::Start, "assigned"))
        .id;
    let outcome = w.moved("alpha", id);
    assert_eq!(outcome.outcome, MoveResult::Applied, "{outcome:#?}");
    assert!(
        outcome.lines[0].starts_with("wa-01: started"),
        "{outcome:#?}"
    );
    // The store is one generation on, as NTM's strict read takes it.
    let store =
        beadboard::persist::assignment::AssignmentStore::load_store(&home.join(".ntm"), "webapp")
            .unwrap();
    assert!(store.ntm().is_some());
    assert_eq!(store.get("wa-01").unwrap().status.as_str(), "working");
    // A board that saw wa-02 as assigned is behind: refused, nothing written.
    let id = w.connections[0]
        .send_move(a_move("webapp", "wa-02", MoveAction::Start, "assigned"))
        .id;
    let outcome = w.moved("alpha", id);
    assert_eq!(
        (outcome.reason_code.as_deref(), outcome.reason.as_deref()),
        (Some("stale"), Some("stale: wa-02 is now working"))
    );
}

#[test]
fn an_agent_sessions_transcript_is_tailed_by_its_reference() {
    let fleet = Fleet::new();
    let host = fleet.host("alpha");
    let claude = fleet.home("alpha").join(".claude");
    common::copy_tree(&common::fixture("sessions/app/claude"), &claude);
    // The session's reference, as `runs` names it on alpha.
    let (code, out, err) = common::run(
        common::beadboard(&fleet.home("alpha"))
            .env("BEADBOARD_CLAUDE_DIR", &claude)
            .args(["runs", "--all", "--json"]),
    );
    assert_eq!(code, 0, "{err}");
    let runs: Vec<Value> = serde_json::from_str(&out).unwrap();
    let session = &runs
        .iter()
        .find(|r| r["beadboard"]["agent"] == "claude")
        .unwrap_or_else(|| panic!("no Claude session in {out}"))["beadboard"];
    let mut w = Watcher::start(&[host]);
    let reference = session["reference"].as_str().unwrap();
    let result = w.tailed(reference, 0, 1 << 20);
    let chunk = result.unwrap();
    let bytes = chunk.bytes().unwrap();
    assert!(!bytes.is_empty() && bytes.len() as u64 <= TAIL_MAX);
    // The session's own file, from its first byte.
    let files: Vec<Vec<u8>> = walk(&claude)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert!(files.iter().any(|f| f.starts_with(&bytes)), "{chunk:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn a_host_too_old_for_moves_is_answered_here_and_nothing_is_sent() {
    let fleet = Fleet::new();
    let host = fleet.old("alpha", &["snapshot", "events", "ping"]);
    let mut w = Watcher::start(&[host]);
    let id = w.connections[0]
        .send_move(a_move("webapp", "wa-9p4e", MoveAction::Start, "assigned"))
        .id;
    let outcome = w.moved("alpha", id);
    assert_eq!(
        (outcome.outcome, outcome.reason_code.as_deref()),
        (MoveResult::Failed, Some("unsupported"))
    );
    assert!(
        outcome
            .reason
            .as_deref()
            .unwrap()
            .contains("alpha's beadboard cannot move remotely"),
        "{outcome:#?}"
    );
    let tail = w.connections[0].tail("x/1", 0, 10);
    w.until(
        "alpha",
        "lost",
        |u| matches!(u, Update::Lost { id, .. } if *id == tail),
    );
    drop(w);
    let sent = std::fs::read_to_string(fleet.home("alpha").join("requests")).unwrap_or_default();
    assert!(
        !sent.contains("\"move\"") && !sent.contains("\"tail\""),
        "{sent}"
    );
}

#[test]
fn a_dashboards_move_may_share_its_id_with_a_tail_and_is_still_sent_again() {
    let fleet = Fleet::new();
    let (home, mut w) = alpha(&fleet, Fleet::relayed);
    let held = lock(&home, "webapp");
    // The dashboard numbers its own writes: this move is 1, as the connection's first tail is.
    let start = a_move("webapp", "wa-9p4e", MoveAction::Start, "assigned");
    w.connections[0].send_move_with_key(start, "board-write-1".to_owned(), 1);
    w.waiting("alpha", 1, "assignments.json.lock");
    let tail = w.connections[0].tail("nope/1", 0, 10);
    assert_eq!(tail, 1);
    assert!(w.tailed("nope/2", 0, 10).is_err());
    // The link drops with the move under way: it is sent again, and answered once.
    w.signal(0, Signal::KILL);
    w.down("alpha");
    w.waiting("alpha", 1, "another move on this host");
    drop(held);
    let outcome = w.moved("alpha", 1);
    assert_eq!(
        (outcome.outcome, outcome.replayed),
        (MoveResult::Applied, true)
    );
}
