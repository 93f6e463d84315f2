//! OpenCode sessions (issue 18) in databases made here with OpenCode's schema
//! (`session.sql.ts`, `message-v2.ts`): every part type, message errors, sub-agent sessions,
//! tables and columns a build lacks, and a session read again and again while another
//! connection writes to the same WAL database in a loop: the reader sees whole transactions
//! only, never fails, and never blocks or fails the writer. A database only read is left
//! byte-identical (no journal, no lock file, no `-shm` made).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "session_opencode/order.rs"]
mod order;
#[path = "session_opencode/search.rs"]
mod search;
#[path = "session/support.rs"]
mod session;
#[path = "session_opencode/subagents.rs"]
mod subagents;

use beadboard::persist::session::{
    Agent, Decoded, SessionSource, Tokens, TurnState, list, read_document, summarize,
};
use common::opencode::{create, message_row, part_row, session_row};
use rusqlite::{Connection, params};
use serde_json::json;
use session::{kinds, untouched};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// A session with every part type, an assistant error, and a sub-agent session.
fn every_part(db: &Path) {
    let c = create(db);
    session_row(&c, "ses_1", None, "Fix flaky login test", 1_755_698_470_000);
    session_row(
        &c,
        "ses_2",
        Some("ses_1"),
        "explore the tests",
        1_755_698_460_000,
    );
    message_row(
        &c,
        "ses_1",
        "msg_01",
        1_755_698_403_000,
        &json!({"role": "user", "time": {"created": 1_755_698_403_000i64}}),
    );
    part_row(
        &c,
        "ses_1",
        "msg_01",
        "prt_01",
        &json!({"type": "text", "text": "Fix the flaky login test bd-3"}),
    );
    part_row(
        &c,
        "ses_1",
        "msg_01",
        "prt_02",
        &json!({"type": "file", "mime": "image/png", "filename": "shot.png",
        "url": format!("data:image/png;base64,{}", "A".repeat(4_000))}),
    );
    part_row(
        &c,
        "ses_1",
        "msg_01",
        "prt_03",
        &json!({"type": "text", "text": "<file contents>", "synthetic": true}),
    );
    message_row(
        &c,
        "ses_1",
        "msg_02",
        1_755_698_404_000,
        &json!({"role": "assistant",
        "time": {"created": 1_755_698_404_000i64, "completed": 1_755_698_460_551i64}, "modelID": "claude-sonnet-4-5",
        "providerID": "anthropic", "path": {"cwd": "/home/dev/webapp", "root": "/home/dev/webapp"},
        "tokens": {"input": 1200, "output": 88, "reasoning": 12, "cache": {"read": 20310, "write": 1412}}, "finish": "tool-calls"}),
    );
    for (id, part) in [
        ("prt_04", json!({"type": "step-start"})),
        (
            "prt_05",
            json!({"type": "reasoning", "text": "Run the test first."}),
        ),
        (
            "prt_06",
            json!({"type": "tool", "callID": "toolu_1", "tool": "bash", "state": {"status": "completed",
            "input": {"command": "npm test -- login"}, "output": "1 failing", "title": "npm test",
            "time": {"start": 1_755_698_409_300i64, "end": 1_755_698_421_870i64}}}),
        ),
        (
            "prt_07",
            json!({"type": "tool", "callID": "toolu_2", "tool": "read", "state": {"status": "error",
            "input": {"filePath": "/nope"}, "error": "ENOENT"}}),
        ),
        (
            "prt_08",
            json!({"type": "text", "text": "Fixed: the test raced the cookie write."}),
        ),
        (
            "prt_09",
            json!({"type": "patch", "hash": "abc", "files": ["a.ts", "b.ts"]}),
        ),
        (
            "prt_10",
            json!({"type": "subtask", "prompt": "find the signup test", "description": "explore", "agent": "general"}),
        ),
        ("prt_11", json!({"type": "compaction", "auto": true})),
        (
            "prt_12",
            json!({"type": "retry", "attempt": 1, "error": {"name": "APIError"}}),
        ),
        ("prt_13", json!({"type": "future-part", "x": 1})),
        ("prt_14", json!({"type": "step-finish", "tokens": {}})),
    ] {
        part_row(&c, "ses_1", "msg_02", id, &part);
    }
    message_row(
        &c,
        "ses_1",
        "msg_03",
        1_755_698_470_000,
        &json!({"role": "assistant",
        "time": {"created": 1_755_698_470_000i64}, "modelID": "claude-sonnet-4-5",
        "error": {"name": "APIError", "data": {"message": "rate limited"}}}),
    );
}

#[test]
fn every_part_type_maps_to_its_entry_kind_and_the_summary_follows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("opencode.db");
    every_part(&db);
    let (listing, doc) = untouched(dir.path(), || {
        let listing = list(&session::roots(Agent::OpenCode, &db));
        let doc = read_document(&listing.sessions[0].source).unwrap();
        (listing, doc)
    });
    assert!(listing.problems.is_empty(), "{:?}", listing.problems);
    assert_eq!(
        listing.sessions.len(),
        1,
        "the sub-agent session is not listed"
    );
    assert_eq!(listing.sessions[0].source.key(), db.join("ses_1"));
    let entries: Vec<_> = doc.entries().cloned().collect();
    let p = |k: &str, t: &str| (k.to_owned(), t.to_owned());
    assert_eq!(
        kinds(&entries),
        vec![
            p("prompt", "Fix the flaky login test bd-3"),
            p("prompt", "[image png 3.0 kB]"),
            p("signal", "<file contents>"),
            p("thinking", "Run the test first."),
            p("tool_call", "npm test -- login"),
            p("tool_result", "1 failing"),
            p("tool_call", r#"{"filePath":"/nope"}"#),
            p("tool_result", "ENOENT"),
            p("response", "Fixed: the test raced the cookie write."),
            p("signal", "patch: 2 file(s)"),
            p("subagent", "find the signup test"),
            p("compaction", "conversation compacted"),
            p(
                "signal",
                r#"{"type":"retry","attempt":1,"error":{"name":"APIError"}}"#
            ),
            p("future-part", r#"{"type":"future-part","x":1}"#),
            p("error", "APIError: rate limited"),
        ]
    );
    assert!(entries[7].is_error);
    assert_eq!(entries[5].call_id.as_deref(), Some("toolu_1"));
    let s = &doc.summary;
    assert_eq!(
        (s.id.as_str(), s.cwd.as_str()),
        ("ses_1", "/home/dev/webapp")
    );
    assert_eq!(s.title.as_deref(), Some("Fix flaky login test"));
    assert_eq!(
        (s.turns, s.prompt_head.as_str()),
        (1, "Fix the flaky login test bd-3\n[image png 3.0 kB]")
    );
    assert_eq!(
        s.tokens,
        Tokens {
            input: 1200,
            output: 100,
            cache_read: 20310,
            cache_write: 1412
        }
    );
    assert_eq!(s.model.as_deref(), Some("claude-sonnet-4-5"));
    assert_eq!(s.turn, TurnState::Failed("APIError: rate limited".into()));
    assert_eq!(s.subagents.len(), 1);
    assert_eq!(
        (
            s.subagents[0].id.as_str(),
            s.subagents[0].description.as_str()
        ),
        ("ses_2", "explore the tests")
    );
    assert_eq!(s.started_at.unwrap().timestamp_millis(), 1_755_698_400_000);
    let summary = summarize(&listing.sessions[0], None).unwrap();
    assert_eq!(summary.summary(), s);
    let child = read_document(&SessionSource::Database {
        db: db.clone(),
        session: "ses_2".into(),
    })
    .unwrap();
    assert_eq!(child.summary.parent.as_deref(), Some("ses_1"));
}

#[test]
fn tables_and_columns_a_build_lacks_read_as_empty() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("opencode.db");
    let c = Connection::open(&db).unwrap();
    c.execute_batch("CREATE TABLE session (id TEXT PRIMARY KEY, title TEXT); INSERT INTO session VALUES ('ses_9', 'bare');").unwrap();
    drop(c);
    let listing = untouched(dir.path(), || list(&session::roots(Agent::OpenCode, &db)));
    assert!(listing.problems.is_empty(), "{:?}", listing.problems);
    assert_eq!(listing.sessions.len(), 1);
    let doc = read_document(&listing.sessions[0].source).unwrap();
    assert!(doc.items.is_empty());
    assert_eq!(doc.summary.title.as_deref(), Some("bare"));

    let missing = list(&session::roots(
        Agent::OpenCode,
        &dir.path().join("none.db"),
    ));
    assert!(missing.sessions.is_empty() && missing.problems.is_empty());
    std::fs::write(
        dir.path().join("junk.db"),
        b"not a database, just bytes that go on and on",
    )
    .unwrap();
    let junk = list(&session::roots(
        Agent::OpenCode,
        &dir.path().join("junk.db"),
    ));
    assert_eq!(junk.problems.len(), 1);
    assert!(junk.problems[0].0.ends_with("junk.db"));
}

#[test]
fn a_session_read_while_opencode_writes_is_always_whole_and_never_in_the_way() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("opencode.db");
    let c = create(&db);
    session_row(&c, "ses_1", None, "live", 1);
    drop(c);
    const ROUNDS: usize = 300;
    let done = AtomicBool::new(false);
    let source = SessionSource::Database {
        db: db.clone(),
        session: "ses_1".into(),
    };
    std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let w = Connection::open(&db).unwrap();
            w.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
            for i in 0..ROUNDS {
                let id = format!("msg_{i:05}");
                let tx = w.unchecked_transaction().unwrap();
                message_row(&tx, "ses_1", &id, i as i64, &json!({"role": "assistant",
                    "time": {"created": i, "completed": i}, "tokens": {"input": 1, "output": 1}}));
                part_row(&tx, "ses_1", &id, &format!("prt_{i:05}_a"), &json!({"type": "text", "text": format!("reply {i}")}));
                part_row(&tx, "ses_1", &id, &format!("prt_{i:05}_b"), &json!({"type": "tool", "callID": id,
                    "tool": "bash", "state": {"status": "completed", "input": {"command": "true"}, "output": ""}}));
                tx.execute("UPDATE session SET time_updated = ?1 WHERE id = 'ses_1'", params![i as i64]).unwrap();
                tx.commit().unwrap();
            }
            done.store(true, Ordering::SeqCst);
        });
        let mut seen = 0;
        let mut reads = 0;
        while !done.load(Ordering::SeqCst) || reads == 0 {
            let doc = read_document(&source).unwrap();
            reads += 1;
            assert!(doc.items.len() >= seen, "a read went back in time");
            seen = doc.items.len();
            for item in &doc.items {
                let Decoded::Entries(e) = item else {
                    panic!("{item:?}")
                };
                assert_eq!(e.len(), 3, "a message without all its parts: {e:?}");
            }
            assert_eq!(
                doc.summary.tokens.input, seen as u64,
                "tokens of whole messages only"
            );
        }
        writer.join().unwrap();
        assert!(reads > 0);
    });
    let last = read_document(&source).unwrap();
    assert_eq!(last.items.len(), ROUNDS, "every write landed");
    assert_eq!(last.summary.turn, TurnState::Ended);
}
