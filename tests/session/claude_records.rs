//! One of each Claude Code record the spec names, in our own words, shared by the Claude
//! session tests.

use serde_json::json;

/// One of each Claude record the spec names, in our own words.
pub fn every_record() -> Vec<serde_json::Value> {
    let base = |ty: &str, ts: &str| {
        json!({"type": ty, "sessionId": "sess-1", "cwd": "/home/dev/webapp", "timestamp": ts,
               "uuid": format!("u-{ts}"), "isSidechain": false, "version": "2.1.140"})
    };
    let with = |mut v: serde_json::Value, extra: serde_json::Value| {
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        v
    };
    let png = "A".repeat(1_600_000);
    vec![
        json!({"type": "file-history-snapshot", "messageId": "m", "snapshot": {}}),
        with(
            base("user", "2026-08-20T14:00:00Z"),
            json!({"isMeta": true,
            "message": {"role": "user", "content": "Caveat: local commands below"}}),
        ),
        with(
            base("user", "2026-08-20T14:00:03Z"),
            json!({"message": {"role": "user",
            "content": [{"type": "text", "text": "Fix the flaky login test bd-42"},
                        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": png}}]}}),
        ),
        with(
            base("assistant", "2026-08-20T14:00:05Z"),
            json!({"message": {"id": "msg_1",
            "model": "claude-sonnet-4-5", "role": "assistant", "stop_reason": null,
            "content": [{"type": "thinking", "thinking": "The cookie write races.", "signature": "SIGNATURE-NEVER-SHOWN"}],
            "usage": {"input_tokens": 3, "output_tokens": 10, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 50}}}),
        ),
        with(
            base("assistant", "2026-08-20T14:00:06Z"),
            json!({"message": {"id": "msg_1",
            "model": "claude-sonnet-4-5", "role": "assistant", "stop_reason": "tool_use",
            "content": [{"type": "tool_use", "id": "toolu_1", "name": "Bash", "input": {"command": "npm test -- login"}}],
            "usage": {"input_tokens": 3, "output_tokens": 88, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 50}}}),
        ),
        json!({"type": "progress", "data": {"type": "bash_progress"}, "timestamp": "2026-08-20T14:00:07Z"}),
        with(
            base("user", "2026-08-20T14:00:19Z"),
            json!({"message": {"role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "is_error": true,
                         "content": "<persisted-output>\nOutput too large (6.6MB). Full output saved to: /home/dev/.claude/projects/-home-dev-webapp/sess-1/tool-results/toolu_1.txt\n\nPreview (first 2KB):\n1 failing\n</persisted-output>"}]},
            "toolUseResult": {"stdout": "…", "stderr": ""}}),
        ),
        with(
            base("system", "2026-08-20T15:10:00Z"),
            json!({"subtype": "compact_boundary",
            "content": "Conversation compacted", "level": "info", "compactMetadata": {"trigger": "auto", "preTokens": 167000}}),
        ),
        json!({"type": "summary", "summary": "Login test fix", "leafUuid": "u-x"}),
        with(
            base("system", "2026-08-20T15:11:00Z"),
            json!({"subtype": "stop_hook_summary", "content": "hooks ran", "level": "info"}),
        ),
        with(
            base("system", "2026-08-20T15:12:00Z"),
            json!({"subtype": "api_error", "level": "error",
            "error": {"message": "overloaded"}, "retryAttempt": 1}),
        ),
        json!({"type": "ai-title", "aiTitle": "Fix flaky login test", "sessionId": "sess-1"}),
        json!({"type": "custom-title", "customTitle": "login flake", "sessionId": "sess-1"}),
        json!({"type": "ai-title", "aiTitle": "A later AI title", "sessionId": "sess-1"}),
        json!({"type": "queue-operation", "operation": "enqueue", "content": "also the signup test", "timestamp": "2026-08-20T15:13:00Z"}),
        json!({"type": "queue-operation", "operation": "remove", "content": "also the signup test", "timestamp": "2026-08-20T15:13:01Z"}),
        json!({"type": "permission-mode", "permissionMode": "acceptEdits"}),
        json!({"type": "last-prompt", "lastPrompt": "x"}),
        json!({"type": "agent-setting", "agent": "x"}),
        json!({"type": "attachment", "attachment": {"type": "hook_success"}}),
        json!({"type": "pr-link", "prUrl": "https://example.invalid/pr/7", "timestamp": "2026-08-20T15:14:00Z"}),
        with(
            base("user", "2026-08-20T15:15:00Z"),
            json!({"message": {"role": "user",
            "content": "<local-command-stdout>ok</local-command-stdout>"}}),
        ),
        with(
            base("assistant", "2026-08-20T15:39:00Z"),
            json!({"message": {"id": "msg_2",
            "model": "claude-sonnet-4-5", "role": "assistant", "stop_reason": "end_turn",
            "content": [{"type": "text", "text": "Fixed: the test raced the cookie write."}],
            "usage": {"input_tokens": 5, "output_tokens": 20}}}),
        ),
        json!({"type": "brand-new-thing", "payload": 1}),
        with(
            base("assistant", "2026-08-20T15:40:00Z"),
            json!({"isApiErrorMessage": true, "error": "rate_limit",
            "apiErrorStatus": 429, "message": {"model": "<synthetic>", "role": "assistant",
            "content": [{"type": "text", "text": "You've hit your session limit · resets 9:50pm"}]}}),
        ),
    ]
}
