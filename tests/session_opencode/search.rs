//! Searching every transcript reads an OpenCode database once, with one connection, and reads
//! whole only the sessions whose rows may hold the text: its matches are exactly those of
//! every session read whole and matched entry by entry (the slow way, done here for each
//! query), for text in every kind of part, JSON escapes, words the entries show of their own
//! (labels, counts, errors, kinds), case, and text only a sub-agent's session holds.

use super::{create, every_part, message_row, part_row, session_row};
use beadboard::persist::session::{Agent, Decoded, SessionSource, read_document};
use beadboard::search::{CorpusEvent, CorpusSearch, Hit, Query, Target, session_text};
use rusqlite::{Connection, params};
use serde_json::json;
use std::path::Path;

/// A target for OpenCode session `id` of `db`.
pub(super) fn target(db: &Path, id: &str) -> Target {
    let source = SessionSource::Database {
        db: db.to_path_buf(),
        session: id.into(),
    };
    Target::of_session(Agent::OpenCode, source, id, "/home/dev/webapp")
}

/// The hits of a search of `targets`, and the problems told.
pub(super) fn search(targets: &[Target], text: &str) -> (Vec<Hit>, Vec<String>, u64) {
    let mut hits = Vec::new();
    let mut problems = Vec::new();
    let outcome = CorpusSearch::new(Query::new(text).unwrap()).run(targets, |e| match e {
        CorpusEvent::Hits(h) => hits.extend(h),
        CorpusEvent::Problem(p) => problems.push(p),
        CorpusEvent::Progress(_) => {}
    });
    assert_eq!(outcome.progress.files_done, targets.len());
    (hits, problems, outcome.progress.bytes_done)
}

/// The hits of every session read whole and matched entry by entry: for each record, its
/// first entry whose readable text holds the query.
pub(super) fn slow_way(targets: &[Target], text: &str) -> Vec<Hit> {
    let query = Query::new(text).unwrap();
    let mut hits = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        let (_, source) = t.session().unwrap();
        let doc = read_document(source).unwrap();
        for (n, item) in doc.items.iter().enumerate() {
            let Decoded::Entries(entries) = item else {
                continue;
            };
            if let Some(e) = entries
                .iter()
                .find(|e| query.matches_text(&session_text(e)))
            {
                hits.push(Hit {
                    target: i,
                    offset: 0,
                    line: n as u64 + 1,
                    entry_type: e.kind.as_str().to_owned(),
                    time: e.time.map(|t| t.fixed_offset()),
                    text: query.snippet(&session_text(e), 120),
                });
            }
        }
    }
    hits
}

/// A part row whose JSON is written as is (key order, escapes, or not JSON at all).
fn raw_part(c: &Connection, session: &str, message: &str, id: &str, data: &str) {
    c.execute(
        "INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (?1, ?2, ?3, 0, 0, ?4)",
        params![id, message, session, data],
    )
    .unwrap();
}

/// Besides `every_part`'s session and its sub-agent's: a session with escapes, a type that is
/// not the first key, a part and a message that are not JSON, and bookkeeping parts; a
/// session with nothing but a step; and a session not searched.
fn more_sessions(db: &Path) {
    let c = Connection::open(db).unwrap();
    session_row(&c, "ses_3", None, "escapes", 1_755_698_500_000);
    message_row(
        &c,
        "ses_3",
        "msg_31",
        1_755_698_500_000,
        &json!({"role": "user", "time": {"created": 1_755_698_500_000i64}}),
    );
    raw_part(
        &c,
        "ses_3",
        "msg_31",
        "prt_31",
        r#"{"text":"caf\u00e9 au lait, \"quoted\", a\/b, needle-zebra-42","type":"text"}"#,
    );
    raw_part(
        &c,
        "ses_3",
        "msg_31",
        "prt_32",
        r#"{"type":"text","text":"broken needle-zebra-42"#,
    );
    c.execute(
        "INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES ('msg_32', 'ses_3', 1755698501000, 1755698501000, 'not json, needle-zebra-42 in a message')",
        [],
    )
    .unwrap();
    message_row(
        &c,
        "ses_3",
        "msg_33",
        1_755_698_502_000,
        &json!({"role": "assistant", "time": {"created": 1_755_698_502_000i64}}),
    );
    raw_part(
        &c,
        "ses_3",
        "msg_33",
        "prt_33",
        r#"{"type":"step-finish","reason":"needle-zebra-42 in a step"}"#,
    );
    raw_part(
        &c,
        "ses_3",
        "msg_33",
        "prt_34",
        r#"{"callID":"c1","type":"tool","tool":"grep","state":{"status":"completed","input":{"pattern":"Needle"},"output":"src/a.rs:1: NEEDLE-zebra-42\n2 matches"}}"#,
    );
    session_row(&c, "ses_4", None, "quiet", 1_755_698_600_000);
    message_row(
        &c,
        "ses_4",
        "msg_41",
        1_755_698_600_000,
        &json!({"role": "assistant", "time": {"created": 1_755_698_600_000i64}}),
    );
    part_row(
        &c,
        "ses_4",
        "msg_41",
        "prt_41",
        &json!({"type": "step-start"}),
    );
    session_row(&c, "ses_5", None, "not searched", 1_755_698_700_000);
    message_row(
        &c,
        "ses_5",
        "msg_51",
        1_755_698_700_000,
        &json!({"role": "user", "time": {"created": 1_755_698_700_000i64}}),
    );
    part_row(
        &c,
        "ses_5",
        "msg_51",
        "prt_51",
        &json!({"type": "text", "text": "cookie write needle-zebra-42"}),
    );
    // The sub-agent's own words.
    message_row(
        &c,
        "ses_2",
        "msg_21",
        1_755_698_450_000,
        &json!({"role": "assistant", "time": {"created": 1_755_698_450_000i64}}),
    );
    part_row(
        &c,
        "ses_2",
        "msg_21",
        "prt_21",
        &json!({"type": "text", "text": "only the sub-agent says marmalade"}),
    );
}

#[test]
fn search_of_every_transcript_finds_what_reading_each_session_whole_finds() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("opencode.db");
    every_part(&db);
    more_sessions(&db);
    let targets: Vec<Target> = ["ses_1", "ses_3", "ses_4"]
        .iter()
        .map(|id| target(&db, id))
        .collect();
    let queries = [
        "cookie write",
        "1 failing",
        "npm test",
        "ENOENT",
        "nope",
        "Run the test",
        "bd-3",
        "[image png 3.0 kB]",
        "png",
        "patch: 2 file(s)",
        "conversation compacted",
        "signup",
        "general",
        "future-part",
        "APIError: rate",
        "rate limited",
        "retry",
        "attempt\":1",
        "response",
        "prompt",
        "user",
        "opencode",
        "tool_call",
        "sult",
        "Fix",
        "FIX",
        "café",
        "CAFÉ au",
        "\"quoted\"",
        "a/b",
        "needle-zebra-42",
        "Needle-Zebra",
        "2 matches",
        "claude-sonnet",
        "marmalade",
        "cookie write needle",
        "in a step",
        "no such words anywhere",
        "e",
    ];
    let mut found = 0;
    for q in queries {
        let (hits, problems, _) = untouched_search(dir.path(), &targets, q);
        assert!(problems.is_empty(), "{q}: {problems:?}");
        assert_eq!(hits, slow_way(&targets, q), "{q:?}");
        found += hits.len();
    }
    assert!(found > 40, "the queries find things: {found}");
    let (needles, _, bytes) = search(&targets, "needle-zebra-42");
    let lines: Vec<(usize, u64, &str)> = needles
        .iter()
        .map(|h| (h.target, h.line, h.entry_type.as_str()))
        .collect();
    assert_eq!(
        lines,
        vec![(1, 1, "prompt"), (1, 2, "message"), (1, 3, "tool_result")],
        "escapes decoded, a broken part and a step show nothing, a message that is not JSON \
         is shown as it is"
    );
    assert!(bytes > 4_000, "the rows' bytes are counted: {bytes}");
    assert!(search(&targets, "marmalade").0.is_empty());
}

/// The search, with the proof that it changed nothing on disk.
fn untouched_search(root: &Path, targets: &[Target], q: &str) -> (Vec<Hit>, Vec<String>, u64) {
    super::session::untouched(root, || search(targets, q))
}

#[test]
fn a_database_that_cannot_be_read_is_one_problem_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("opencode.db");
    std::fs::write(&db, b"not a database, just bytes that go on and on").unwrap();
    let targets = [target(&db, "ses_1"), target(&db, "ses_2")];
    let (hits, problems, _) = search(&targets, "anything");
    assert!(hits.is_empty());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("opencode.db"), "{problems:?}");
}

#[test]
fn a_database_without_parts_or_messages_has_nothing_to_find() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("opencode.db");
    let c = Connection::open(&db).unwrap();
    c.execute_batch("CREATE TABLE session (id TEXT PRIMARY KEY, title TEXT); INSERT INTO session VALUES ('ses_9', 'bare needle');").unwrap();
    drop(c);
    let (hits, problems, _) = search(&[target(&db, "ses_9")], "needle");
    assert!(
        hits.is_empty() && problems.is_empty(),
        "{hits:?} {problems:?}"
    );
    // The schema the tests use, with no rows: the same.
    let other = dir.path().join("empty.db");
    drop(create(&other));
    let (hits, problems, _) = search(&[target(&other, "ses_1")], "needle");
    assert!(
        hits.is_empty() && problems.is_empty(),
        "{hits:?} {problems:?}"
    );
}
