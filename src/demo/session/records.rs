//! The records of a demo session, in each agent's format (see
//! `shared/spec/agent-sessions.md` §1.2 and §2.2): Claude's `user`/`assistant` lines with their
//! envelope (`uuid`, `parentUuid`, `sessionId`, `cwd`, `version`, `timestamp`), one response's
//! blocks on lines sharing `message.id` and `usage`; Codex's `session_meta`, `turn_context`,
//! `event_msg` and `response_item` lines.

use super::Kind;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

/// Writes one session's records, keeping what links them (ids, the open call, token totals).
#[derive(Debug)]
pub struct Records {
    kind: Kind,
    id: String,
    cwd: String,
    /// Records written (Claude's `uuid`s are numbered by it).
    n: u64,
    /// The current response's id (Claude) and tool call's id.
    message: String,
    call: String,
    tokens: u64,
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl Records {
    /// The records of session `id` in `cwd`.
    pub fn new(kind: Kind, id: String, cwd: String) -> Records {
        Records {
            kind,
            id,
            cwd,
            n: 0,
            message: String::new(),
            call: String::new(),
            tokens: 0,
        }
    }

    /// A Claude line: `body` in the envelope every user and assistant line carries.
    fn claude(&mut self, mut body: Value, at: DateTime<Utc>) -> String {
        let parent = (self.n > 0).then(|| format!("{}-{:04}", &self.id[..8], self.n));
        self.n += 1;
        if let Some(o) = body.as_object_mut() {
            for (k, v) in [
                ("parentUuid", json!(parent)),
                ("isSidechain", json!(false)),
                ("userType", json!("external")),
                ("cwd", json!(self.cwd)),
                ("sessionId", json!(self.id)),
                ("version", json!("2.1.140")),
                ("gitBranch", json!("main")),
                ("uuid", json!(format!("{}-{:04}", &self.id[..8], self.n))),
                ("timestamp", json!(stamp(at))),
            ] {
                o.insert(k.to_owned(), v);
            }
        }
        body.to_string()
    }

    /// A Codex line.
    fn codex(&mut self, ty: &str, payload: Value, at: DateTime<Utc>) -> String {
        self.n += 1;
        json!({"timestamp": stamp(at), "type": ty, "payload": payload}).to_string()
    }

    /// One block of the current Claude response.
    fn assistant(&mut self, block: Value, stop: &str, at: DateTime<Utc>) -> String {
        self.tokens += 120;
        let usage = json!({"input_tokens": 4, "cache_creation_input_tokens": 1_412,
            "cache_read_input_tokens": 20_000 + self.tokens, "output_tokens": 96,
            "service_tier": "standard"});
        let message = json!({"id": self.message, "type": "message", "role": "assistant",
            "model": "claude-sonnet-4-5-20250929", "content": [block], "stop_reason": stop,
            "usage": usage});
        self.claude(
            json!({"type": "assistant", "message": message, "requestId": format!("req_{}", self.message)}),
            at,
        )
    }

    /// The session's start, up to NTM's prompt.
    pub fn prompt(&mut self, prompt: &str, at: DateTime<Utc>) -> Vec<String> {
        match self.kind {
            Kind::Claude => vec![self.claude(
                json!({"type": "user", "message": {"role": "user", "content": prompt}}),
                at,
            )],
            Kind::Codex => {
                let meta = json!({"id": self.id, "timestamp": stamp(at), "cwd": self.cwd,
                    "originator": "codex_cli_rs", "cli_version": "0.42.0", "source": "cli",
                    "model_provider": "openai"});
                let context = json!({"cwd": self.cwd, "model": "gpt-5-codex",
                    "approval_policy": "on-request", "sandbox_policy": {"type": "workspace-write"}});
                let item = json!({"type": "message", "role": "user",
                    "content": [{"type": "input_text", "text": prompt}]});
                vec![
                    self.codex("session_meta", meta, at),
                    self.codex("turn_context", context, at),
                    self.codex(
                        "event_msg",
                        json!({"type": "task_started", "model_context_window": 272_000}),
                        at,
                    ),
                    self.codex("response_item", item, at),
                    self.codex(
                        "event_msg",
                        json!({"type": "user_message", "message": prompt, "images": []}),
                        at,
                    ),
                ]
            }
        }
    }

    /// The agent thinks (a new Claude response begins).
    pub fn thinking(&mut self, thought: &str, at: DateTime<Utc>) -> Vec<String> {
        match self.kind {
            Kind::Claude => {
                self.message = format!("msg_{}_{:03}", &self.id[..8], self.n);
                let block =
                    json!({"type": "thinking", "thinking": thought, "signature": "ZGVtbw=="});
                vec![self.assistant(block, "tool_use", at)]
            }
            Kind::Codex => {
                let summary = json!([{"type": "summary_text", "text": thought}]);
                vec![
                    self.codex(
                        "response_item",
                        json!({"type": "reasoning", "summary": summary, "content": null,
                            "encrypted_content": "gAAAAABdemo"}),
                        at,
                    ),
                    self.codex(
                        "event_msg",
                        json!({"type": "agent_reasoning", "text": thought}),
                        at,
                    ),
                ]
            }
        }
    }

    /// A tool call running `command`.
    pub fn call(&mut self, command: &str, at: DateTime<Utc>) -> Vec<String> {
        self.call = format!("call_{}_{:03}", &self.id[..8], self.n);
        match self.kind {
            Kind::Claude => {
                let block = json!({"type": "tool_use", "id": self.call, "name": "Bash",
                    "input": {"command": command, "description": "Run it"}});
                vec![self.assistant(block, "tool_use", at)]
            }
            Kind::Codex => {
                let arguments = json!({"cmd": command, "workdir": self.cwd}).to_string();
                let call = json!({"type": "function_call", "name": "exec_command",
                    "arguments": arguments, "call_id": self.call});
                vec![self.codex("response_item", call, at)]
            }
        }
    }

    /// The open call's output.
    pub fn output(&mut self, text: &str, failed: bool, at: DateTime<Utc>) -> Vec<String> {
        match self.kind {
            Kind::Claude => {
                let content = json!([{"type": "tool_result", "tool_use_id": self.call,
                    "content": text, "is_error": failed}]);
                vec![self.claude(
                    json!({"type": "user", "message": {"role": "user", "content": content},
                        "toolUseResult": {"stdout": text, "stderr": "", "interrupted": false}}),
                    at,
                )]
            }
            Kind::Codex => {
                self.tokens += 4_000;
                let total = json!({"input_tokens": 20_000 + self.tokens,
                    "cached_input_tokens": 16_000 + self.tokens / 2, "output_tokens": self.tokens / 20});
                let output = json!({"type": "function_call_output", "call_id": self.call,
                    "output": json!({"output": text, "metadata": {"exit_code": i32::from(failed)}}).to_string()});
                vec![
                    self.codex("response_item", output, at),
                    self.codex(
                        "event_msg",
                        json!({"type": "token_count", "info": {"total_token_usage": total}}),
                        at,
                    ),
                ]
            }
        }
    }

    /// The reply that ends the turn.
    pub fn reply(&mut self, text: &str, at: DateTime<Utc>) -> Vec<String> {
        match self.kind {
            Kind::Claude => {
                self.message = format!("msg_{}_{:03}", &self.id[..8], self.n);
                vec![self.assistant(json!({"type": "text", "text": text}), "end_turn", at)]
            }
            Kind::Codex => {
                let item = json!({"type": "message", "role": "assistant",
                    "content": [{"type": "output_text", "text": text}]});
                vec![
                    self.codex(
                        "event_msg",
                        json!({"type": "agent_message", "message": text}),
                        at,
                    ),
                    self.codex("response_item", item, at),
                    self.codex(
                        "event_msg",
                        json!({"type": "task_complete", "last_agent_message": text}),
                        at,
                    ),
                ]
            }
        }
    }

    /// Claude's synthetic line for a failed API call (a rate limit, an overload).
    pub fn api_error(&mut self, text: &str, at: DateTime<Utc>) -> Vec<String> {
        let status = if text.contains("429") { 429 } else { 529 };
        vec![self.claude(
            json!({"type": "assistant", "isApiErrorMessage": true,
                "error": if status == 429 { "rate_limit" } else { "server_error" },
                "apiErrorStatus": status,
                "message": {"model": "<synthetic>", "role": "assistant",
                    "content": [{"type": "text", "text": text}]}}),
            at,
        )]
    }
}
