//! Codex CLI rollouts (issue 18): claude-code-log's Codex-shaped fixtures (both message
//! streams, reasoning with encrypted content, function, custom and MCP tools, sub-agents, the
//! oldest flat layout, a malformed line) and our own lines for every event the spec names:
//! turns, token totals, aborted turns, compaction, shell and search calls, failed commands,
//! images; a `.jsonl.zst` made here with the zstd encoder, read in memory, never rewritten.
//! Every test proves the files it read are byte-identical afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "session/support.rs"]
mod session;
#[path = "session_codex/subagents.rs"]
mod subagents;
#[path = "session_codex/wording.rs"]
mod wording;

use beadboard::persist::session::{
    Agent, Decoded, EntryKind, SessionError, SessionRoots, SessionSource, Tokens, TurnState,
    decode_line, list, read_document, summarize,
};
use serde_json::json;
use session::{decode_file, entries, fixture, kinds, of_kind, untouched, write_lines};
use std::path::Path;

fn codex_roots(home: &Path) -> SessionRoots {
    session::roots(Agent::Codex, home)
}

fn listed(home: &Path, id: &str) -> beadboard::persist::session::SessionFile {
    session::listed_where(Agent::Codex, home, |s| s.id_hint.as_deref() == Some(id))
}

const ONE: &str = "11111111-1111-4111-8111-111111111111";

#[test]
fn golden_rollout_shows_one_message_stream_and_never_encrypted_content() {
    let home = fixture("claude-code-log/codex");
    untouched(&home, || {
        let file = listed(&home, ONE);
        let all = entries(&decode_file(Agent::Codex, file.source.file().unwrap()));
        assert_eq!(
            kinds(&all),
            vec![
                ("state".into(), format!("session {ONE} · in /workspace/synthetic-project · codex 0.0.0-test")),
                ("prompt".into(), "List the synthetic files.".into()),
                ("thinking".into(), "I will inspect the synthetic directory.".into()),
                ("tool_call".into(), "find . -maxdepth 1 -type f".into()),
                ("tool_result".into(), "./alpha.txt\n./beta.txt".into()),
                ("tool_call".into(), "*** Begin Patch".into()),
                ("tool_result".into(), "Done!".into()),
                ("tool_call".into(), "fixture".into()),
                ("tool_result".into(), "{\"status\":\"ok\"}".into()),
                ("response".into(), "The synthetic files are alpha.txt and beta.txt.".into()),
                ("future_synthetic_record".into(), "{\"timestamp\":\"2026-01-02T03:04:16.000Z\",\"type\":\"future_synthetic_record\",\"payload\":{\"safe\":\"ignored\"}}".into()),
            ]
        );
        assert!(all.iter().all(|e| !e.text.contains("ENCRYPTED")));
        let calls = of_kind(&all, &EntryKind::ToolCall);
        assert_eq!(
            calls
                .iter()
                .map(|c| c.tool.clone().unwrap())
                .collect::<Vec<_>>(),
            vec!["exec_command", "apply_patch", "mcp__synthetic__lookup"]
        );
        assert!(
            calls[1].cut.is_some(),
            "the patch's other lines are left out, and said so"
        );
        let results = of_kind(&all, &EntryKind::ToolResult);
        assert_eq!(results[0].call_id.as_deref(), Some("call-structured-001"));
        assert_eq!(results[1].call_id, calls[1].call_id);

        let s = summarize(&file, None).unwrap().into_summary();
        assert_eq!(s.id, ONE);
        assert_eq!(s.cwd, "/workspace/synthetic-project");
        assert_eq!(s.model.as_deref(), Some("synthetic-model"));
        assert_eq!(
            (s.turns, s.prompt_head.as_str()),
            (1, "List the synthetic files.")
        );
        assert_eq!(s.turn, TurnState::Ended);
        assert_eq!(
            s.started_at.unwrap().to_rfc3339(),
            "2026-01-02T03:04:05+00:00"
        );
        assert_eq!(s.parent, None);
    });
}

#[test]
fn golden_oldest_flat_rollout_and_a_malformed_line() {
    let home = fixture("claude-code-log/codex");
    untouched(&home, || {
        let flat = listed(&home, "44444444-4444-4444-8444-444444444444");
        let all = entries(&decode_file(Agent::Codex, flat.source.file().unwrap()));
        assert_eq!(
            kinds(&all)[1..],
            [
                ("prompt".into(), "Open the synthetic legacy session.".into()),
                (
                    "response".into(),
                    "The synthetic legacy session is open.".into()
                ),
            ]
        );
        let s = summarize(&flat, None).unwrap().into_summary();
        assert_eq!(
            (s.id.as_str(), s.turns),
            ("44444444-4444-4444-8444-444444444444", 1)
        );
        assert_eq!(s.turn, TurnState::Ended);

        let bad = home.join("malformed/rollout-66666666-6666-4666-8666-666666666666.jsonl");
        let doc = read_document(&SessionSource::Lines(bad.clone())).unwrap();
        assert_eq!(doc.items.len(), 3);
        assert!(
            matches!(&doc.items[2], Decoded::Malformed { problem } if problem.starts_with("invalid JSON"))
        );
        assert_eq!(doc.summary.prompt_head, "Safe line before malformed input.");
        assert_eq!(doc.summary.id, "66666666-6666-4666-8666-666666666666");
    });
}

fn line(ty: &str, ts: &str, payload: serde_json::Value) -> String {
    json!({"timestamp": ts, "type": ty, "payload": payload}).to_string()
}

/// A rollout with every event the spec names, in our own words.
fn every_event() -> Vec<String> {
    let png = format!("data:image/png;base64,{}", "A".repeat(40_000));
    vec![
        line(
            "session_meta",
            "2026-08-20T14:00:01.120Z",
            json!({"id": "0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f",
            "timestamp": "2026-08-20T14:00:01.100Z", "cwd": "/home/dev/webapp", "cli_version": "0.137.0",
            "source": "cli", "base_instructions": {"text": "SECRET BASE INSTRUCTIONS"}, "git": {"branch": "main"}}),
        ),
        line(
            "turn_context",
            "2026-08-20T14:00:02.004Z",
            json!({"cwd": "/home/dev/webapp", "model": "gpt-5-codex", "approval_policy": "never"}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:00:02.010Z",
            json!({"type": "task_started", "turn_id": "1"}),
        ),
        line(
            "response_item",
            "2026-08-20T14:00:02.011Z",
            json!({"type": "message", "role": "user",
            "content": [{"type": "input_text", "text": "<environment_context>cwd</environment_context>"}]}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:00:02.012Z",
            json!({"type": "user_message", "message": "Fix the flaky login test bd-7", "images": [png]}),
        ),
        line(
            "response_item",
            "2026-08-20T14:00:03Z",
            json!({"type": "reasoning", "summary": [], "encrypted_content": "gAAAA"}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:00:03Z",
            json!({"type": "agent_reasoning", "text": "thinking"}),
        ),
        line(
            "response_item",
            "2026-08-20T14:00:09.300Z",
            json!({"type": "function_call", "name": "exec_command",
            "arguments": "{\"cmd\":\"npm test -- login\"}", "call_id": "call_7"}),
        ),
        line(
            "response_item",
            "2026-08-20T14:00:21.870Z",
            json!({"type": "function_call_output", "call_id": "call_7",
            "output": "{\"output\":\"1 failing\",\"metadata\":{\"exit_code\":1,\"duration_seconds\":1.2}}"}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:00:21.900Z",
            json!({"type": "exec_command_end", "call_id": "call_7"}),
        ),
        line(
            "response_item",
            "2026-08-20T14:00:22Z",
            json!({"type": "local_shell_call", "call_id": "call_8",
            "action": {"type": "exec", "command": ["bash", "-lc", "ls"]}}),
        ),
        line(
            "response_item",
            "2026-08-20T14:00:23Z",
            json!({"type": "web_search_call", "action": {"type": "search", "query": "cookie race"}}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:00:30.002Z",
            json!({"type": "token_count", "info": {
            "total_token_usage": {"input_tokens": 51234, "cached_input_tokens": 40960, "output_tokens": 812, "reasoning_output_tokens": 256, "total_tokens": 52046},
            "last_token_usage": {"input_tokens": 9120, "cached_input_tokens": 8704, "output_tokens": 140, "total_tokens": 9260}}}),
        ),
        line(
            "compacted",
            "2026-08-20T14:01:00Z",
            json!({"message": "summary of the work so far"}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:01:00Z",
            json!({"type": "context_compacted"}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:02:40.551Z",
            json!({"type": "agent_message", "message": "Fixed: the test raced the cookie write."}),
        ),
        line(
            "response_item",
            "2026-08-20T14:02:40.552Z",
            json!({"type": "message", "role": "assistant",
            "content": [{"type": "output_text", "text": "Fixed: the test raced the cookie write."}]}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:02:40.560Z",
            json!({"type": "task_complete", "turn_id": "1"}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:03:00Z",
            json!({"type": "entered_review_mode"}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:03:01Z",
            json!({"type": "thread_rolled_back", "num_turns": 1}),
        ),
        line("world_state", "2026-08-20T14:03:02Z", json!({"x": 1})),
        line(
            "event_msg",
            "2026-08-20T14:04:00Z",
            json!({"type": "task_started", "turn_id": "2"}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:04:01Z",
            json!({"type": "user_message", "message": "now the signup test"}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:05:00Z",
            json!({"type": "turn_aborted", "reason": "interrupted"}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:06:00Z",
            json!({"type": "task_started", "turn_id": "3"}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:06:01Z",
            json!({"type": "brand_new_event"}),
        ),
        line(
            "event_msg",
            "2026-08-20T14:07:00Z",
            json!({"type": "turn_aborted", "reason": "review_ended"}),
        ),
    ]
}

#[test]
fn every_event_maps_to_its_entry_kind_and_the_summary_follows() {
    let decoded: Vec<Decoded> = every_event()
        .iter()
        .map(|l| decode_line(Agent::Codex, l.as_bytes()))
        .collect();
    let shown: Vec<String> = decoded
        .iter()
        .map(|d| match d {
            Decoded::Skip => "skip".to_owned(),
            Decoded::Malformed { .. } => "malformed".to_owned(),
            Decoded::Entries(e) => e
                .iter()
                .map(|e| e.kind.as_str())
                .collect::<Vec<_>>()
                .join("+"),
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            "state",
            "skip",
            "state",
            "skip",
            "prompt",
            "skip",
            "skip",
            "tool_call",
            "tool_result",
            "skip",
            "tool_call",
            "tool_call",
            "skip",
            "compaction",
            "compaction",
            "response",
            "skip",
            "state",
            "state",
            "state",
            "skip",
            "state",
            "prompt",
            "state",
            "state",
            "brand_new_event",
            "error",
        ]
    );
    let all = entries(&decoded);
    assert!(
        all.iter()
            .all(|e| !e.text.contains("SECRET") && !e.text.contains("gAAAA"))
    );
    let prompt = &of_kind(&all, &EntryKind::Prompt)[0];
    assert_eq!(
        prompt.text,
        "Fix the flaky login test bd-7\n[image png 30.0 kB]"
    );
    let failed = &of_kind(&all, &EntryKind::ToolResult)[0];
    assert!(failed.is_error, "exit code 1");
    assert_eq!(failed.text, "1 failing");
    let calls = of_kind(&all, &EntryKind::ToolCall);
    assert_eq!(
        (calls[1].tool.as_deref(), calls[1].text.as_str()),
        (Some("shell"), "bash -lc ls")
    );
    assert_eq!(calls[2].text, "cookie race");
    assert_eq!(
        of_kind(&all, &EntryKind::Error)[0].text,
        "turn aborted: review_ended"
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sessions/2026/08/20/rollout-2026-08-20T16-00-01-0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f.jsonl");
    write_lines(&path, &every_event());
    let s = untouched(dir.path(), || {
        summarize(
            &listed(dir.path(), "0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f"),
            None,
        )
        .unwrap()
    });
    let s = s.summary();
    assert_eq!(s.turns, 3, "three task_started");
    assert_eq!(s.prompt_head, "Fix the flaky login test bd-7");
    assert_eq!(s.model.as_deref(), Some("gpt-5-codex"));
    assert_eq!(
        s.tokens,
        Tokens {
            input: 51234 - 40960,
            output: 812,
            cache_read: 40960,
            cache_write: 0
        }
    );
    assert_eq!(
        s.turn,
        TurnState::Failed("turn aborted: review_ended".into())
    );
    let mut interrupted = every_event();
    interrupted.truncate(24);
    let mut sum =
        beadboard::persist::session::Summarizer::new(Agent::Codex, SessionSource::Lines(path));
    for l in &interrupted {
        sum.feed_line(l.as_bytes());
    }
    assert_eq!(
        sum.summary().turn,
        TurnState::Ended,
        "stopped by the user is not a failure"
    );
}

#[test]
fn a_compressed_rollout_is_read_in_memory_and_the_plain_file_wins() {
    let dir = tempfile::tempdir().unwrap();
    let day = dir.path().join("sessions/2026/08/20");
    let name = "rollout-2026-08-20T16-00-01-0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f.jsonl";
    let text = every_event().join("\n") + "\n";
    std::fs::create_dir_all(&day).unwrap();
    let packed = ruzstd::encoding::compress_to_vec(
        text.as_bytes(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    std::fs::write(day.join(format!("{name}.zst")), &packed).unwrap();
    let id = "0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f";
    untouched(dir.path(), || {
        let file = listed(dir.path(), id);
        assert!(
            matches!(&file.source, SessionSource::Document(p) if p.ends_with(format!("{name}.zst")))
        );
        assert_eq!(file.source.key(), day.join(name), "known by its plain name");
        let doc = read_document(&file.source).unwrap();
        let plain: Vec<Decoded> = every_event()
            .iter()
            .map(|l| decode_line(Agent::Codex, l.as_bytes()))
            .filter(|d| *d != Decoded::Skip)
            .collect();
        assert_eq!(doc.items, plain);
        let summary = summarize(&file, None).unwrap().into_summary();
        assert_eq!(summary.turns, 3);
        assert_eq!(summary, doc.summary);
    });
    std::fs::write(day.join(name), &text).unwrap();
    let listing = list(&codex_roots(dir.path()));
    assert_eq!(listing.sessions.len(), 1);
    assert!(matches!(
        listing.sessions[0].source,
        SessionSource::Lines(_)
    ));

    std::fs::write(day.join("rollout-broken.jsonl.zst"), b"not zstd at all").unwrap();
    let broken = SessionSource::Document(day.join("rollout-broken.jsonl.zst"));
    let err = read_document(&broken).unwrap_err();
    assert!(matches!(err, SessionError::Format { .. }));
    assert!(
        err.to_string().contains("rollout-broken.jsonl.zst"),
        "{err}"
    );
}
