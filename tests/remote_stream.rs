//! What a fake host streams over the command transport (no sshd; see `remote/fleet.rs`):
//! a snapshot with every run its listing shows, each with the facts its row shows; and a
//! followed transcript: the last stretch at once, then each append pushed by the host as its
//! file watcher sees it, with no further request; a large append in pieces of at most
//! `TAIL_MAX`; and nothing at all of a transcript no one follows, or one unfollowed. Waits on
//! updates, never on the clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "remote/fleet.rs"]
mod fleet;

use beadboard::persist::run::TRANSCRIPT_FILE;
use beadboard::remote::Update;
use beadboard::remote::protocol::{TAIL_MAX, TailChunk};
use fleet::{Fleet, Watcher};
use serde_json::Value;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Agentpair runs of the golden data on alpha: `(reference, transcript)`.
const API_2: &str = "ea93126eefee3546/2";
const WEBAPP_2: &str = "43d7567239bfd176/2";

fn transcript(home: &Path, reference: &str) -> PathBuf {
    home.join(".agentpair/runs")
        .join(reference)
        .join(TRANSCRIPT_FILE)
}

fn append(path: &Path, text: &str) {
    let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

/// The next chunk the follow `id` pushes.
fn pushed(w: &mut Watcher, id: u64) -> TailChunk {
    match w.until(
        "alpha",
        "a pushed chunk",
        |u| matches!(u, Update::Tail { id: i, .. } if *i == id),
    ) {
        Update::Tail { result, .. } => result.unwrap(),
        _ => unreachable!(),
    }
}

fn line(n: usize) -> String {
    format!("{{\"seq\":{n},\"text\":\"appended on the host\"}}\n")
}

#[test]
fn appends_are_pushed_to_a_follower_and_nothing_is_sent_unfollowed() {
    let fleet = Fleet::new();
    let mut w = Watcher::start(&[fleet.host("alpha")]);
    w.live_with_latency("alpha");
    w.until("alpha", "snapshot", |u| {
        matches!(u, Update::Snapshot { .. })
    });
    let home = fleet.home("alpha");
    let (api, webapp) = (transcript(&home, API_2), transcript(&home, WEBAPP_2));
    let size = std::fs::metadata(&api).unwrap().len();

    // The last stretch (here the whole short file) at once.
    w.connections[0].follow(API_2, None, 7);
    let first = pushed(&mut w, 7);
    assert_eq!((first.from, first.next, first.size), (0, size, size));
    assert_eq!(first.bytes().unwrap(), std::fs::read(&api).unwrap());

    // An append there arrives with no further request.
    append(&api, &line(1));
    let next = pushed(&mut w, 7);
    assert_eq!(next.from, size);
    assert_eq!(next.bytes().unwrap(), line(1).as_bytes());

    // A large append comes in pieces of at most TAIL_MAX, each from where the last ended.
    let big: String = (2..4000).map(line).collect();
    append(&api, &big);
    let mut got = Vec::new();
    let mut at = next.next;
    while got.len() < big.len() {
        let chunk = pushed(&mut w, 7);
        assert_eq!(chunk.from, at);
        let bytes = chunk.bytes().unwrap();
        assert!(bytes.len() as u64 <= TAIL_MAX, "{}", bytes.len());
        assert!(bytes.ends_with(b"\n"));
        at = chunk.next;
        got.extend(bytes);
    }
    assert_eq!(got, big.as_bytes());

    // Unfollowed, and another transcript never followed: appends to both send nothing. (Then
    // a third, followed, is appended to twice: its second push comes after anything the host
    // would have sent for the first two.)
    w.connections[0].unfollow(7);
    w.connections[0].follow(WEBAPP_2, None, 8);
    pushed(&mut w, 8);
    let _ = w.take_unasked();
    append(&api, &line(5000));
    let other = home
        .join(".agentpair/runs/43d7567239bfd176/1")
        .join(TRANSCRIPT_FILE);
    append(&other, &line(5001));
    for n in [5002, 5003] {
        append(&webapp, &line(n));
        let chunk = pushed(&mut w, 8);
        assert_eq!(chunk.bytes().unwrap(), line(n).as_bytes());
    }
    let tails: Vec<Update> = w
        .take_unasked()
        .into_iter()
        .filter(|u| matches!(u, Update::Tail { .. }))
        .collect();
    assert!(tails.is_empty(), "{tails:#?}");
}

#[test]
fn following_an_unknown_run_is_an_error_naming_it() {
    let fleet = Fleet::new();
    let mut w = Watcher::start(&[fleet.host("alpha")]);
    w.connections[0].follow("nope/99", None, 3);
    let Update::Tail { result, .. } = w.until("alpha", "the error", |u| {
        matches!(u, Update::Tail { id: 3, .. })
    }) else {
        unreachable!()
    };
    assert!(result.unwrap_err().contains("nope/99"));
}

/// The references of `runs --json` run on `host` (the same listing as there, locally).
fn listed_on(w: &mut Watcher, host: usize, name: &str) -> Vec<String> {
    let id = w.connections[host].run(vec!["runs".to_owned(), "--json".to_owned()], false);
    let mut lines = Vec::new();
    loop {
        match w.until(
            name,
            "the listing",
            |u| matches!(u, Update::Output { id: i, .. } | Update::Exit { id: i, .. } if *i == id),
        ) {
            Update::Output { line, .. } => lines.push(line),
            Update::Exit { code, message, .. } => {
                assert_eq!(code, 0, "{message}");
                break;
            }
            _ => unreachable!(),
        }
    }
    let text = lines.join("\n");
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let mut refs: Vec<String> = value
        .as_array()
        .unwrap_or_else(|| panic!("{text}"))
        .iter()
        .map(|r| r["beadboard"]["reference"].as_str().unwrap().to_owned())
        .collect();
    refs.sort();
    refs
}

#[test]
fn the_snapshot_holds_every_listed_run_with_the_facts_its_row_shows() {
    let fleet = Fleet::new();
    let mut w = Watcher::start(&[fleet.host("alpha")]);
    let Update::Snapshot { events, .. } = w.until("alpha", "snapshot", |u| {
        matches!(u, Update::Snapshot { .. })
    }) else {
        unreachable!()
    };
    let runs: Vec<&Value> = events
        .iter()
        .filter(|e| e["event"] == "run" && e["to"].is_string())
        .collect();
    let mut said: Vec<String> = runs
        .iter()
        .map(|e| e["reference"].as_str().unwrap().to_owned())
        .collect();
    said.sort();
    said.dedup();
    // Finished runs that need no one are there too: every run the listing shows.
    let listed = listed_on(&mut w, 0, "alpha");
    assert!(listed.len() > 3, "{listed:?}");
    assert_eq!(said, listed);
    assert!(runs.iter().any(|e| e["to"] == "completed"), "{runs:#?}");
    // Each with the facts its row shows.
    for e in &runs {
        let facts = &e["facts"];
        assert!(facts["iteration"].is_i64(), "{e:#}");
        assert!(facts["started_at"].is_string(), "{e:#}");
        assert!(facts["last_activity"].is_string(), "{e:#}");
    }
}
