//! Gemini CLI conversations (issue 18), in files written by hand in Gemini's shapes (no public
//! fixture could be copied: see `tests/fixtures/sessions/own/README.md`): the v0.39+ JSONL with
//! a message re-appended as it changes (the last copy wins, in its first place), `$set`,
//! `$rewindTo`, a tool call awaiting approval, a sub-agent in `chats/<parent>/`, images, an info
//! line, an unknown message type and a malformed line; the legacy single JSON document, read,
//! rewritten in place (also caught half-written) and read again; where each project's cwd is
//! found (`.project_root`, `projects.json`, the legacy hashed directory).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "session/support.rs"]
mod session;

use beadboard::persist::session::{
    Agent, Decoded, EntryKind, SessionError, SessionSource, Tokens, TurnState, decode_line,
    read_document, summarize,
};
use session::{fixture, kinds, untouched};
use std::path::Path;

const SID: &str = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";

fn listed(root: &Path, name: &str) -> beadboard::persist::session::SessionFile {
    session::listed_where(Agent::Gemini, root, |s| {
        s.source.key().file_name().is_some_and(|n| n == name)
    })
}

fn shown(items: &[Decoded]) -> Vec<(String, String)> {
    items
        .iter()
        .flat_map(|d| match d {
            Decoded::Entries(e) => kinds(e),
            Decoded::Malformed { .. } => vec![("malformed".to_owned(), String::new())],
            Decoded::Skip => Vec::new(),
        })
        .collect()
}

#[test]
fn upserts_rewinds_and_patches_are_applied_as_gemini_applies_them() {
    let root = fixture("own/gemini");
    untouched(&root, || {
        let file = listed(&root, "session-2026-08-20T14-00-9f1c2d3e.jsonl");
        assert!(matches!(file.source, SessionSource::Document(_)));
        let doc = read_document(&file.source).unwrap();
        let p = |k: &str, t: &str| (k.to_owned(), t.to_owned());
        assert_eq!(
            shown(&doc.items),
            vec![
                p("prompt", "Fix the flaky login test bd-9"),
                p("thinking", "Reproducing: Run the test first"),
                p("tool_call", "npm test -- login"),
                p("tool_result", "1 failing"),
                p("tool_call", "tests/login.fixture.json"),
                p("tool_result", "File not found: tests/login.fixture.json"),
                p("response", "The test raced the cookie write; fixed."),
                p("state", "rewound: 2 message(s) dropped"),
                p("prompt", "check the signup test too\n[image png 30.0 kB]"),
                p("subagent", "find the signup test"),
                p("tool_result", "found tests/signup.spec.ts"),
                p("tool_call", "tests/signup.spec.ts"),
                p("signal", "Update available: 0.40.0"),
                p("malformed", ""),
                p("banner", "a future message type"),
            ],
            "the executing copy of b2 is replaced by its finished copy; d4 and e5 are rewound"
        );
        let entries: Vec<_> = doc.entries().cloned().collect();
        let spawn = entries
            .iter()
            .find(|e| e.kind == EntryKind::Subagent)
            .unwrap();
        assert_eq!(spawn.subagent.as_ref().unwrap().id, "sub-1");
        assert_eq!(
            spawn.subagent.as_ref().unwrap().description,
            "Codebase Investigator"
        );
        let result = entries
            .iter()
            .find(|e| e.kind == EntryKind::ToolResult)
            .unwrap();
        assert_eq!(result.call_id.as_deref(), Some("run_shell_command-1"));
        let failed: Vec<_> = (entries.iter().filter(|e| e.is_error))
            .map(|e| (e.kind.clone(), e.call_id.as_deref()))
            .collect();
        assert_eq!(
            failed,
            [(EntryKind::ToolResult, Some("read_file-2"))],
            "a call that ended in `error` failed; the others did not"
        );

        let s = &doc.summary;
        assert_eq!(s.id, SID);
        assert_eq!(
            s.cwd, "/home/dev/webapp",
            "from the project's .project_root"
        );
        assert_eq!(s.title.as_deref(), Some("Fix flaky login test"));
        assert_eq!(s.turns, 2, "the rewound prompt is gone");
        assert_eq!(s.prompt_head, "Fix the flaky login test bd-9");
        assert_eq!(
            s.tokens,
            Tokens {
                input: 400 + 500 + 100,
                output: 52 + 60 + 10,
                cache_read: 1800,
                cache_write: 0
            },
            "each message's last copy counted once"
        );
        assert_eq!(s.model.as_deref(), Some("gemini-2.5-flash"));
        assert_eq!(s.turn, TurnState::Waiting("approval: write_file".into()));
        assert_eq!(
            s.last_entry_at.unwrap().to_rfc3339(),
            "2026-08-20T14:03:02+00:00"
        );
        let sub = root.join(format!("tmp/webapp/chats/{SID}/sub-1.jsonl"));
        assert_eq!(s.subagents.len(), 1);
        assert_eq!(s.subagents[0].path.as_deref(), Some(sub.as_path()));
        assert_eq!(summarize(&file, None).unwrap().into_summary(), doc.summary);

        // The sub-agent's own file: its parent is its directory's name.
        let child = read_document(&SessionSource::Document(sub)).unwrap();
        assert_eq!(child.summary.parent.as_deref(), Some(SID));
        assert_eq!(child.summary.cwd, "/home/dev/webapp");
    });
}

#[test]
fn listing_finds_main_conversations_only_and_prefers_the_migrated_jsonl() {
    let root = fixture("own/gemini");
    untouched(&root, || {
        let names = session::listed_names(Agent::Gemini, &root);
        assert_eq!(
            names,
            vec![
                "session-2026-06-01T08-00-bbbb2222.json",
                "session-2026-07-01T09-00-aaaa1111.json",
                "session-2026-07-02T10-00-cccc3333.jsonl",
                "session-2026-08-20T14-00-9f1c2d3e.jsonl",
            ]
        );
        let migrated = summarize(
            &listed(&root, "session-2026-07-02T10-00-cccc3333.jsonl"),
            None,
        )
        .unwrap();
        assert_eq!(migrated.summary().turns, 2);
        assert_eq!(
            migrated.summary().cwd,
            "/home/dev/api",
            "from projects.json"
        );
        let old = summarize(
            &listed(&root, "session-2026-06-01T08-00-bbbb2222.json"),
            None,
        )
        .unwrap();
        assert_eq!(
            old.summary().cwd,
            "/home/dev/legacy",
            "the legacy directory is the root's SHA-256"
        );
    });
}

#[test]
fn the_legacy_document_is_read_rewritten_in_place_and_read_again() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("own/gemini"), dir.path());
    let path = dir
        .path()
        .join("tmp/api/chats/session-2026-07-01T09-00-aaaa1111.json");
    let source = SessionSource::Document(path.clone());
    let doc = untouched(dir.path(), || read_document(&source).unwrap());
    assert_eq!(
        kinds(&doc.entries().cloned().collect::<Vec<_>>()),
        vec![
            ("prompt".into(), "Add a health endpoint".into()),
            ("response".into(), "Added GET /health.".into()),
            ("tool_call".into(), "src/health.ts".into()),
            ("tool_result".into(), "Wrote src/health.ts".into()),
        ]
    );
    assert_eq!(doc.summary.cwd, "/home/dev/api");
    assert_eq!(
        doc.summary.tokens,
        Tokens {
            input: 900,
            output: 30,
            ..Tokens::default()
        }
    );
    assert_eq!(doc.summary.turn, TurnState::Ended);
    let file = listed(dir.path(), "session-2026-07-01T09-00-aaaa1111.json");
    let first = summarize(&file, None).unwrap();

    // Gemini rewrites the whole document (same file, truncated and written again).
    let mut value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    value["messages"].as_array_mut().unwrap().push(serde_json::json!({
        "id": "m3", "timestamp": "2026-07-01T09:06:00.000Z", "type": "user", "content": "and a readiness one"}));
    value["lastUpdated"] = "2026-07-01T09:06:00.000Z".into();
    let text = serde_json::to_string_pretty(&value).unwrap();
    let ino = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&path).unwrap());
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    let err = read_document(&source).unwrap_err();
    assert!(matches!(err, SessionError::Format { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("session-2026-07-01T09-00-aaaa1111.json"),
        "{err}"
    );
    assert!(err.to_string().contains("being rewritten"), "{err}");
    std::fs::write(&path, &text).unwrap();
    assert_eq!(
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&path).unwrap()),
        ino
    );
    let again = read_document(&source).unwrap();
    assert_eq!(again.entries().count(), 5);
    assert_eq!(again.summary.turns, 2);
    assert_eq!(again.summary.turn, TurnState::Working);
    let file = listed(dir.path(), "session-2026-07-01T09-00-aaaa1111.json");
    let grown = summarize(&file, Some(first)).unwrap();
    assert_eq!(
        grown.summary().turns,
        2,
        "a rewritten document is read again whole"
    );
}

#[test]
fn single_lines_decode_on_their_own() {
    let line = |s: &str| decode_line(Agent::Gemini, s.as_bytes());
    assert!(matches!(
        line(r#"{"$set":{"lastUpdated":"x"}}"#),
        Decoded::Skip
    ));
    let Decoded::Entries(e) = line(r#"{"$rewindTo":"a1"}"#) else {
        panic!()
    };
    assert_eq!(e[0].text, "rewound to a1");
    let Decoded::Entries(e) =
        line(r#"{"sessionId":"s","projectHash":"h","startTime":"2026-08-20T14:00:00Z"}"#)
    else {
        panic!()
    };
    assert_eq!(
        (e[0].kind.clone(), e[0].text.as_str()),
        (EntryKind::State, "session s")
    );
    let Decoded::Entries(e) = line(r#"{"id":"e","type":"error","content":"quota"}"#) else {
        panic!()
    };
    assert!(e[0].is_error && e[0].kind == EntryKind::Error);
    assert!(matches!(line("{"), Decoded::Malformed { .. }));
}

#[test]
fn a_sub_agent_entry_is_linked_to_its_file_in_chats_session_id() {
    let root = fixture("own/gemini");
    untouched(&root, || {
        let file = listed(&root, "session-2026-08-20T14-00-9f1c2d3e.jsonl");
        let path = file.source.file().unwrap().to_path_buf();
        let mut all = session::entries(&read_document(&file.source).unwrap().items);
        beadboard::persist::session::gemini::place::link(&path, &mut all);
        let link = all
            .iter()
            .find(|e| e.kind == EntryKind::Subagent)
            .and_then(|e| e.subagent.clone())
            .unwrap();
        assert_eq!(link.id, "sub-1");
        let side = path.with_file_name(SID);
        assert_eq!(link.path, Some(side.join("sub-1.jsonl")));
        assert_eq!(
            beadboard::persist::session::gemini::place::side_dir(&path, SID),
            Some(side.clone())
        );
        // A sub-agent's own sub-agents would be in `chats/<its id>/`, beside its parent's.
        assert_eq!(
            beadboard::persist::session::gemini::place::side_dir(
                &side.join("sub-1.jsonl"),
                "sub-1"
            ),
            Some(path.with_file_name("sub-1"))
        );
        assert_eq!(
            beadboard::persist::session::gemini::place::side_dir(&path, "../x"),
            None
        );
    });
}
