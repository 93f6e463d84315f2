//! Long lines are summarised in bounded memory (issue 18, item 7): a session with a 12 MB line
//! (a tool's output, a pasted image) is summarised by reading the file with buffers of at most
//! [`LONG`] + [`CHUNK`] + 1 MiB (at most 3 MiB), never the line gathered whole, and the summary is the one the
//! whole line read in memory gives: the long line's tool result closes its call, its image is
//! counted at its whole size in the prompt, its time is the last.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::persist::session::{
    Agent, CHUNK, LONG, LineReader, SessionFile, SessionSource, Summarizer, TurnState,
    summarize_with,
};
use serde_json::json;

/// A string of about 12 MB that escapes nothing.
fn big(unit: &str) -> String {
    unit.repeat(12_000_000 / unit.len())
}

/// Summarises `lines` written as a session file, and checks that the summary is the one a
/// summariser fed the whole text in memory gives, read with bounded buffers.
fn check(agent: Agent, lines: &[serde_json::Value]) -> Summarizer {
    let mut text = String::new();
    for l in lines {
        text.push_str(&l.to_string());
        text.push('\n');
    }
    assert!(text.lines().any(|l| l.len() > 12_000_000));
    let dir = tempfile::tempdir().unwrap();
    let chats = dir.path().join("tmp/project/chats");
    std::fs::create_dir_all(&chats).unwrap();
    let path = chats.join("session.jsonl");
    std::fs::write(&path, &text).unwrap();
    let listed = SessionFile {
        agent,
        source: SessionSource::Lines(path.clone()),
        id_hint: None,
        stamp: None,
    };
    let mut reader = LineReader::new();
    let read = summarize_with(&listed, None, &mut reader).unwrap();
    let mut whole = Summarizer::new(agent, SessionSource::Lines(path));
    whole.feed(text.as_bytes());
    assert_eq!(read.summary(), whole.summary());
    assert_eq!(read.summary().read_to, text.len() as u64);
    // The reader's own bound, and far below any long line whatever the constants say.
    let bound = (LONG + CHUNK + (1 << 20)).min(3 << 20);
    assert!(
        reader.most_held() <= bound,
        "held {} bytes reading a {} byte file",
        reader.most_held(),
        text.len()
    );
    read
}

#[test]
fn a_claude_tool_output_of_12_mb_closes_its_call() {
    let at = |s: u32| format!("2026-12-01T10:00:{s:02}Z");
    let s = check(
        Agent::Claude,
        &[
            json!({"type": "user", "sessionId": "c1", "cwd": "/w", "timestamp": at(1),
                "message": {"role": "user", "content": format!("fix bd-42 {}", big("please "))}}),
            json!({"type": "assistant", "timestamp": at(2), "message": {"id": "m1",
                "model": "claude-x", "stop_reason": "tool_use",
                "usage": {"input_tokens": 5, "output_tokens": 7},
                "content": [{"type": "tool_use", "id": "t1", "name": "Bash", "input": {"command": "cat log"}}]}}),
            json!({"type": "user", "timestamp": at(3), "message": {"role": "user",
                "content": [{"type": "tool_result", "tool_use_id": "t1", "content": big("log line\n")}]}}),
            json!({"type": "assistant", "timestamp": at(4), "message": {"id": "m2",
                "model": "claude-x", "stop_reason": "end_turn",
                "usage": {"input_tokens": 1, "output_tokens": 2},
                "content": [{"type": "text", "text": "done"}]}}),
        ],
    );
    let s = s.summary();
    assert_eq!(s.turn, TurnState::Ended, "the long line's result closed t1");
    assert!(s.prompt_head.starts_with("fix bd-42 please"));
    assert_eq!(s.prompt_ids, vec!["bd-42".to_owned()]);
    assert_eq!(s.tokens.total(), 15);
}

#[test]
fn a_codex_image_of_9_mb_is_counted_whole_in_the_prompt() {
    let url = format!("data:image/png;base64,{}", big("QUJD"));
    let s = check(
        Agent::Codex,
        &[
            json!({"id": "x1", "timestamp": "2026-12-01T10:00:00Z", "instructions": null}),
            json!({"type": "message", "role": "user", "content": [
                {"type": "input_text", "text": "what is on this screen?"},
                {"type": "input_image", "image_url": url}]}),
            json!({"type": "function_call", "name": "shell", "call_id": "c1", "arguments": "{}"}),
            json!({"type": "function_call_output", "call_id": "c1", "output": big("out\\n")}),
            json!({"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "ok"}]}),
        ],
    );
    let s = s.summary();
    assert_eq!(s.prompt_head, "what is on this screen?\n[image png 9.0 MB]");
    assert_eq!(s.turn, TurnState::Ended);
}

#[test]
fn a_gemini_image_of_9_mb_is_counted_whole_in_the_prompt() {
    let s = check(
        Agent::Gemini,
        &[
            json!({"sessionId": "g1", "startTime": "2026-12-01T10:00:00Z",
                "lastUpdated": "2026-12-01T10:00:00Z", "directories": ["/w"]}),
            json!({"id": "u1", "type": "user", "timestamp": "2026-12-01T10:00:01Z",
                "content": [{"text": "see"}, {"inlineData": {"mimeType": "image/png", "data": big("QUJD")}}]}),
            json!({"id": "a1", "type": "gemini", "timestamp": "2026-12-01T10:00:02Z",
                "content": big("words "), "model": "gemini-x",
                "tokens": {"input": 3, "output": 4, "cached": 0, "thoughts": 0}}),
        ],
    );
    let s = s.summary();
    assert_eq!(s.prompt_head, "see\n[image png 9.0 MB]");
    assert_eq!(s.model.as_deref(), Some("gemini-x"));
    assert_eq!(s.turn, TurnState::Ended);
}
