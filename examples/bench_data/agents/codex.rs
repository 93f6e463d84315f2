//! Codex rollouts: `sessions/YYYY/MM/DD/rollout-<local time>-<uuid>.jsonl`, lines of
//! `{timestamp, type, payload}`: `session_meta` (with its long base instructions), turn
//! contexts, task start and completion, user and assistant messages (and their `event_msg`
//! twins), reasoning with encrypted content, function calls and their outputs, token counts,
//! an occasional aborted turn.

use super::{Clock, NEEDLE, Plan, close, command, iso, output, output_size, prose};
use serde_json::{Value, json};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

fn path_of(root: &Path, p: &Plan) -> PathBuf {
    let t = chrono::DateTime::<chrono::Utc>::from(p.start);
    root.join("sessions")
        .join(t.format("%Y/%m/%d").to_string())
        .join(format!(
            "rollout-{}-{}.jsonl",
            t.format("%Y-%m-%dT%H-%M-%S"),
            p.id
        ))
}

struct Writer {
    out: BufWriter<std::fs::File>,
    rng: fastrand::Rng,
    clock: Clock,
    written: u64,
    turn: u64,
    tokens: u64,
}

impl Writer {
    fn line(&mut self, kind: &str, payload: Value) {
        self.clock.tick(&mut self.rng);
        let text = serde_json::to_string(
            &json!({"timestamp": iso(self.clock.t), "type": kind, "payload": payload}),
        )
        .unwrap();
        self.written += text.len() as u64 + 1;
        writeln!(self.out, "{text}").unwrap();
    }

    fn event(&mut self, payload: Value) {
        self.line("event_msg", payload);
    }

    fn item(&mut self, payload: Value) {
        self.line("response_item", payload);
    }

    fn turn(&mut self, cwd: &str, prompt: &str, huge: bool, finish: bool) {
        self.turn += 1;
        let turn = self.turn.to_string();
        self.line(
            "turn_context",
            json!({"cwd": cwd, "model": "gpt-5-codex", "approval_policy": "never",
                "sandbox_policy": {"type": "workspace-write"}, "effort": "high", "summary": "auto"}),
        );
        self.event(
            json!({"type": "task_started", "turn_id": turn, "model_context_window": 272_000}),
        );
        self.item(json!({"type": "message", "role": "user", "content": [{"type": "input_text", "text": prompt}]}));
        self.event(json!({"type": "user_message", "message": prompt, "images": []}));
        for c in 0..self.rng.usize(1..=5) {
            let summary = prose(&mut self.rng, 160);
            let secret: String = (0..600)
                .map(|i| if i % 3 == 0 { 'Q' } else { 'z' })
                .collect();
            self.item(
                json!({"type": "reasoning", "summary": [{"type": "summary_text", "text": summary}],
                "content": null, "encrypted_content": secret}),
            );
            self.event(json!({"type": "agent_reasoning", "text": summary}));
            let call = format!("call_{:016x}", self.rng.u64(..));
            let cmd = command(&mut self.rng);
            self.item(json!({"type": "function_call", "name": "exec_command",
                "arguments": json!({"cmd": cmd, "workdir": cwd}).to_string(), "call_id": call}));
            let text = if huge && c == 0 {
                output(&mut self.rng, 12 << 20)
            } else {
                let n = output_size(&mut self.rng);
                output(&mut self.rng, n)
            };
            self.item(json!({"type": "function_call_output", "call_id": call, "output": text}));
            self.tokens += 9_000;
            let total = self.tokens;
            self.event(json!({"type": "token_count", "info": {
                "total_token_usage": {"input_tokens": total, "cached_input_tokens": total * 4 / 5, "output_tokens": total / 60, "reasoning_output_tokens": total / 200, "total_tokens": total + total / 60},
                "last_token_usage": {"input_tokens": 9120, "cached_input_tokens": 8704, "output_tokens": 140, "reasoning_output_tokens": 64, "total_tokens": 9260},
                "model_context_window": 272_000}, "rate_limits": {}}));
        }
        if !finish {
            return;
        }
        let reply = prose(&mut self.rng, 500);
        self.item(json!({"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": reply}]}));
        self.event(json!({"type": "agent_message", "message": reply}));
        if self.rng.u32(..30) == 0 {
            self.event(json!({"type": "turn_aborted", "reason": "interrupted"}));
        } else {
            self.event(
                json!({"type": "task_complete", "turn_id": turn, "last_agent_message": reply}),
            );
        }
    }
}

fn write(root: &Path, p: &Plan, seed: u64, now: SystemTime) {
    let path = path_of(root, p);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut w = Writer {
        out: BufWriter::with_capacity(1 << 20, std::fs::File::create(&path).unwrap()),
        rng: fastrand::Rng::with_seed(seed),
        clock: Clock::of(p, 4000, now),
        written: 0,
        turn: 0,
        tokens: 0,
    };
    let instructions = prose(&mut w.rng, 22_000);
    w.line(
        "session_meta",
        json!({"id": p.id, "timestamp": iso(p.start), "cwd": p.cwd, "originator": "codex_cli_rs",
            "cli_version": "0.137.0", "source": "cli", "model_provider": "openai",
            "base_instructions": {"text": instructions},
            "git": {"commit_hash": "a1b2c3d", "branch": "main", "repository_url": "git@example.com:dev/app.git"}}),
    );
    let first = format!(
        "Work on bead {}: make the importer idempotent and cover the retry path.",
        p.bead
    );
    w.turn(&p.cwd, &first, false, true);
    let mut huge = p.huge_line;
    while w.written < p.bytes {
        let last = w.written + (16 << 20) > p.bytes || p.bytes < 24 << 20;
        let big = huge && last;
        w.turn(&p.cwd, "Go on; run the suite after the fix.", big, true);
        huge &= !big;
    }
    if p.needle {
        // The needle is in the very last record of its session.
        let text = format!("found it: {NEEDLE}");
        w.item(json!({"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": text}]}));
        w.event(json!({"type": "agent_message", "message": text}));
    }
    // The newest rollout is mid-turn.
    if p.index == 0 {
        w.turn(&p.cwd, "Check the retry path under load.", false, false);
    }
    close(w.out, &path, w.clock.t, now);
}

/// Writes every rollout of `plans` under the Codex home.
pub fn write_all(root: &Path, plans: &[Plan], seed: u64) {
    super::each(plans, seed, |p, seed, now| write(root, p, seed, now));
}
