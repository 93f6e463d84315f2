//! Searching the sessions once read whole, now read as streams in bounded memory (issue 18): a
//! Codex `.jsonl.zst` rollout is searched line by line as it decompresses, and Gemini's legacy
//! single JSON document message by message. Both find the records reading the session whole
//! finds, for several queries, on the fixtures and on files made to hold the awkward cases
//! (long lines with and without a match, a message re-written under its id, messages that are
//! not objects, a document caught half-rewritten).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "session/support.rs"]
mod session;

use beadboard::persist::session::{Agent, Decoded, SessionSource, read_document};
use beadboard::search::{CorpusEvent, CorpusSearch, Hit, Query, Target, session_text};
use serde_json::json;
use session::{fixture, untouched};
use std::path::{Path, PathBuf};

/// Every hit of searching `source` for `q`, and the problems reported.
fn search(root: &Path, agent: Agent, source: SessionSource, q: &str) -> (Vec<Hit>, Vec<String>) {
    let target = Target::of_session(agent, source, "s", "/p");
    let (mut hits, mut problems) = (Vec::new(), Vec::new());
    untouched(root, || {
        CorpusSearch::new(Query::new(q).unwrap()).run(&[target], |e| match e {
            CorpusEvent::Hits(h) => hits.extend(h),
            CorpusEvent::Problem(p) => problems.push(p),
            CorpusEvent::Progress(_) => {}
        })
    });
    (hits, problems)
}

/// What reading `source` whole finds for `q`: each record with an entry holding the text, as
/// (its place among the records, its first such entry's type, time and text around the match).
fn whole(source: &SessionSource, q: &str) -> Vec<(u64, String, Option<String>, String)> {
    let query = Query::new(q).unwrap();
    let items = read_document(source).unwrap().items;
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let Decoded::Entries(entries) = item else {
                return None;
            };
            let e = entries
                .iter()
                .find(|e| query.matches_text(&session_text(e)))?;
            Some((
                i as u64 + 1,
                e.kind.as_str().to_owned(),
                e.time.map(|t| t.to_rfc3339()),
                query.snippet(&session_text(e), 120),
            ))
        })
        .collect()
}

fn facts(hits: &[Hit]) -> Vec<(u64, String, Option<String>, String)> {
    hits.iter()
        .map(|h| {
            (
                h.line,
                h.entry_type.clone(),
                h.time.map(|t| t.to_utc().to_rfc3339()),
                h.text.clone(),
            )
        })
        .collect()
}

/// Whether the rollout line's entries were cut (reading it whole searches their cut text).
fn cut(line: &[u8]) -> bool {
    match beadboard::persist::session::decode_line(Agent::Codex, line) {
        Decoded::Entries(entries) => entries.iter().any(|e| e.cut.is_some()),
        _ => false,
    }
}

fn compress(text: &[u8], to: &Path) {
    let packed =
        ruzstd::encoding::compress_to_vec(text, ruzstd::encoding::CompressionLevel::Fastest);
    std::fs::write(to, packed).unwrap();
}

/// A rollout made to hold long lines: a tool output of several megabytes with the needle at its
/// end (gathered whole after being passed over), one without it (passed over), and short lines
/// around them.
fn long_rollout() -> String {
    let line = |payload: serde_json::Value| {
        json!({"timestamp": "2026-08-20T14:00:02.000Z", "type": "event_msg", "payload": payload})
            .to_string()
    };
    let output = |call: &str, text: String| {
        json!({"timestamp": "2026-08-20T14:00:09.000Z", "type": "response_item",
            "payload": {"type": "function_call_output", "call_id": call, "output": text}})
        .to_string()
    };
    let lines = [
        json!({"timestamp": "2026-08-20T14:00:01.000Z", "type": "session_meta",
            "payload": {"id": "0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f", "cwd": "/home/dev/webapp"}})
        .to_string(),
        line(json!({"type": "user_message", "message": "find the needle in the logs"})),
        output(
            "c1",
            format!("{}needle at the very end", "log line\\n".repeat(150_000)),
        ),
        output("c2", "nothing to see\n".repeat(100_000)),
        line(json!({"type": "agent_message", "message": "the needle was in the first log"})),
        line(json!({"type": "task_complete", "turn_id": "1"})),
    ];
    lines.join("\n") + "\n"
}

#[test]
fn a_compressed_rollout_is_searched_as_it_decompresses_with_the_matches_of_reading_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let day = dir.path().join("sessions/2026/01/02");
    std::fs::create_dir_all(&day).unwrap();
    let codex = "claude-code-log/codex/sessions/2026";
    let mut texts: Vec<(String, Vec<u8>)> = [
        "01/02/rollout-2026-01-02T03-04-05-11111111-1111-4111-8111-111111111111.jsonl",
        "01/03/rollout-2026-01-03T04-05-06-22222222-2222-4222-8222-222222222222.jsonl",
        "01/03/rollout-2026-01-03T04-05-10-33333333-3333-4333-8333-333333333333.jsonl",
    ]
    .iter()
    .map(|rel| {
        let path = fixture(&format!("{codex}/{rel}"));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        (name, std::fs::read(path).unwrap())
    })
    .collect();
    texts.push((
        "rollout-2026-08-20T16-00-01-0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f.jsonl".to_owned(),
        long_rollout().into_bytes(),
    ));
    let mut checked = 0;
    for (name, text) in &texts {
        let plain = day.join(format!("plain-{name}"));
        std::fs::write(&plain, text).unwrap();
        let packed: PathBuf = day.join(format!("{name}.zst"));
        compress(text, &packed);
        let packed = SessionSource::Document(packed);
        for q in [
            "synthetic",
            "alpha.txt",
            "exec_command",
            "needle",
            "LIST",
            "task",
            "zzz",
        ] {
            let (hits, problems) = search(dir.path(), Agent::Codex, packed.clone(), q);
            assert!(problems.is_empty(), "{problems:?}");
            // The same hits as the plain file's, line numbers and offsets included.
            let (plain_hits, _) = search(
                dir.path(),
                Agent::Codex,
                SessionSource::Lines(plain.clone()),
                q,
            );
            assert_eq!(hits, plain_hits, "{name} {q}");
            // The records reading it whole finds (numbered there by their place among the
            // records, here by their line), and those whose entry was cut there (a patch's
            // body, a long output), which are searched whole here as in a plain rollout.
            let strip = |v: Vec<(u64, String, Option<String>, String)>| {
                v.into_iter()
                    .map(|(_, k, t, s)| (k, t, s))
                    .collect::<Vec<_>>()
            };
            let (streamed, read_whole) = (strip(facts(&hits)), strip(whole(&packed, q)));
            let mut rest = read_whole.iter().peekable();
            for (hit, fact) in hits.iter().zip(&streamed) {
                if rest.peek() == Some(&fact) {
                    rest.next();
                } else {
                    let line = text[hit.offset as usize..]
                        .split(|b| *b == b'\n')
                        .next()
                        .unwrap();
                    assert!(
                        cut(line),
                        "{name} {q}: {fact:?} is found only here, yet not cut"
                    );
                }
            }
            assert_eq!(
                rest.next(),
                None,
                "{name} {q}: every record read whole is found"
            );
            checked += hits.len();
        }
    }
    assert!(checked > 15, "the queries find something: {checked}");
}

fn legacy(messages: &[serde_json::Value]) -> String {
    serde_json::to_string_pretty(&json!({
        "sessionId": "aaaa1111-2222-4333-8444-555566667777",
        "projectHash": "beef",
        "startTime": "2026-07-01T09:00:00.000Z",
        "summary": {"messages": [{"id": "not-a-message", "type": "user", "content": "needle"}]},
        "messages": messages,
        "lastUpdated": "2026-07-01T09:05:00.000Z",
    }))
    .unwrap()
}

#[test]
fn a_legacy_gemini_document_is_searched_message_by_message_with_the_matches_of_reading_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let chats = dir.path().join("tmp/api/chats");
    std::fs::create_dir_all(&chats).unwrap();
    let message = |id: &str, ty: &str, text: &str| json!({"id": id, "timestamp": "2026-07-01T09:00:10.000Z", "type": ty, "content": text});
    let made = legacy(&[
        message("m1", "user", "find the needle"),
        json!("a message that is not an object, needle"),
        json!({"type": "user", "content": "no id: taken as metadata, needle"}),
        message("m2", "gemini", "not here yet"),
        json!({"id": "m3", "timestamp": "2026-07-01T09:01:00.000Z", "type": "gemini", "content": "",
            "toolCalls": [{"id": "t1", "name": "run_shell_command", "args": {"command": "grep needle"},
                "status": "success", "resultDisplay": format!("{}needle found", "x".repeat(300_000))}]}),
        message("m2", "gemini", "rewritten in place: needle"),
        message("m4", "error", "API quota exceeded"),
        message("m5", "user", &"big prompt with no match ".repeat(40_000)),
    ]);
    std::fs::write(chats.join("session-2026-07-01T09-00-made1111.json"), made).unwrap();
    let own = fixture("own/gemini/tmp");
    let mut docs = vec![chats.join("session-2026-07-01T09-00-made1111.json")];
    for rel in [
        "api/chats/session-2026-07-01T09-00-aaaa1111.json",
        "api/chats/session-2026-07-02T10-00-cccc3333.json",
        "04382e3e2136986122415aa03b903f429a5c2f7ea590135bac4ab947b97dc809/chats/session-2026-06-01T08-00-bbbb2222.json",
    ] {
        let to = chats.join(Path::new(rel).file_name().unwrap());
        std::fs::copy(own.join(rel), &to).unwrap();
        docs.push(to);
    }
    let mut checked = 0;
    for doc in &docs {
        let source = SessionSource::Document(doc.clone());
        for q in [
            "needle",
            "health",
            "write_file",
            "quota",
            "Gemini",
            "user",
            "zzz",
        ] {
            let (hits, problems) = search(dir.path(), Agent::Gemini, source.clone(), q);
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(facts(&hits), whole(&source, q), "{} {q}", doc.display());
            checked += hits.len();
        }
    }
    assert!(checked > 10, "the queries find something: {checked}");

    // Caught half-rewritten: one problem naming the file, as reading it whole says.
    let half = chats.join("session-2026-07-03T09-00-half1111.json");
    let whole_text = std::fs::read_to_string(&docs[0]).unwrap();
    std::fs::write(&half, &whole_text[..whole_text.len() / 2]).unwrap();
    let (hits, problems) = search(
        dir.path(),
        Agent::Gemini,
        SessionSource::Document(half),
        "needle",
    );
    assert!(hits.is_empty());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("half1111.json"), "{problems:?}");
    assert!(problems[0].contains("being rewritten?"), "{problems:?}");
}
