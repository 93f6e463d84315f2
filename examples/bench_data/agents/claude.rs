//! Claude Code sessions: `projects/<encoded cwd>/<session id>.jsonl`, responses split over
//! several lines sharing `message.id` (usage repeated), tool results with `toolUseResult`,
//! persisted outputs in `<session id>/tool-results/`, sub-agents in `<session id>/subagents/`,
//! thinking, images, compactions, API errors and titles.

use super::{Clock, NEEDLE, Plan, close, command, iso, output, output_size, prose};
use serde_json::{Value, json};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Claude's directory name for a cwd.
fn encode(cwd: &str) -> String {
    cwd.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// The session's transcript.
pub fn path_of(root: &Path, p: &Plan) -> PathBuf {
    root.join("projects")
        .join(encode(&p.cwd))
        .join(format!("{}.jsonl", p.id))
}

struct Writer<'a> {
    out: BufWriter<std::fs::File>,
    plan: &'a Plan,
    rng: fastrand::Rng,
    clock: Clock,
    written: u64,
    n: u64,
    side: PathBuf,
    sidechain: Option<String>,
}

impl Writer<'_> {
    fn tick(&mut self) -> String {
        self.clock.tick(&mut self.rng);
        iso(self.clock.t)
    }

    fn line(&mut self, mut v: Value) {
        let ts = self.tick();
        if let Some(o) = v.as_object_mut() {
            o.entry("parentUuid").or_insert(Value::Null);
            o.insert("isSidechain".into(), json!(self.sidechain.is_some()));
            o.insert("userType".into(), json!("external"));
            o.insert("cwd".into(), json!(self.plan.cwd));
            o.insert("sessionId".into(), json!(self.plan.id));
            o.insert("version".into(), json!("2.1.140"));
            o.insert("gitBranch".into(), json!("main"));
            if let Some(agent) = &self.sidechain {
                o.insert("agentId".into(), json!(agent));
            }
            self.n += 1;
            o.insert("uuid".into(), json!(format!("u-{:08x}", self.n)));
            o.insert("timestamp".into(), json!(ts));
        }
        let text = serde_json::to_string(&v).unwrap();
        self.written += text.len() as u64 + 1;
        writeln!(self.out, "{text}").unwrap();
    }

    fn user_text(&mut self, text: &str) {
        self.line(json!({"type": "user", "message": {"role": "user", "content": text}}));
    }

    fn assistant(&mut self, msg: &str, block: Value, stop: &str) {
        let usage = json!({"input_tokens": 3, "cache_creation_input_tokens": 1412,
            "cache_read_input_tokens": 20310 + self.n, "output_tokens": 88, "service_tier": "standard"});
        self.line(
            json!({"type": "assistant", "requestId": format!("req_{msg}"),
            "message": {"id": msg, "type": "message", "role": "assistant",
                "model": "claude-sonnet-4-5-20250929", "content": [block],
                "stop_reason": stop, "stop_sequence": null, "usage": usage}}),
        );
    }

    fn tool_result(&mut self, id: &str, text: &str, error: bool) {
        self.line(json!({"type": "user",
            "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": id,
                "content": text, "is_error": error}]},
            "toolUseResult": {"stdout": text, "stderr": "", "interrupted": false, "isImage": false}}));
    }

    /// One turn: a prompt, thinking, a reply, tool calls and their results, a last reply.
    fn turn(&mut self, prompt: &str, huge: bool, needle: bool) {
        self.user_text(prompt);
        let msg = format!("msg_{:016x}", self.rng.u64(..));
        let thought = prose(&mut self.rng, 200);
        self.assistant(
            &msg,
            json!({"type": "thinking", "thinking": thought, "signature": "c2lnbmF0dXJl"}),
            "tool_use",
        );
        let reply = prose(&mut self.rng, 120);
        self.assistant(&msg, json!({"type": "text", "text": reply}), "tool_use");
        let calls = self.rng.usize(1..=4);
        for c in 0..calls {
            let id = format!("toolu_{:016x}", self.rng.u64(..));
            let cmd = command(&mut self.rng);
            self.assistant(
                &msg,
                json!({"type": "tool_use", "id": id, "name": "Bash", "input": {"command": cmd, "description": "Run it"}}),
                "tool_use",
            );
            let roll = self.rng.u32(..100);
            if huge && c == 0 {
                // One output of 6 MB, in the result and again in toolUseResult: a 12 MB line.
                let text = output(&mut self.rng, 6 << 20);
                self.tool_result(&id, &text, false);
            } else if roll < 1 && self.sidechain.is_none() {
                self.persisted(&id);
            } else if roll < 3 && self.sidechain.is_none() {
                self.image();
            } else {
                let size = output_size(&mut self.rng);
                let mut text = output(&mut self.rng, size);
                if needle && c == 0 {
                    text.push_str(&format!("found it: {NEEDLE}\n"));
                }
                self.tool_result(&id, &text, roll > 90);
            }
        }
        if self.rng.u32(..40) == 0 && self.sidechain.is_none() {
            self.subagent(&msg);
        }
        let done = format!("msg_{:016x}", self.rng.u64(..));
        let reply = prose(&mut self.rng, 400);
        self.assistant(&done, json!({"type": "text", "text": reply}), "end_turn");
        match self.rng.u32(..40) {
            0 => self.line(json!({"type": "system", "subtype": "compact_boundary",
                "content": "Conversation compacted", "level": "info",
                "compactMetadata": {"trigger": "auto", "preTokens": 167_000}})),
            1 => self.line(json!({"type": "assistant", "isApiErrorMessage": true,
                "error": "rate_limit", "apiErrorStatus": 429,
                "message": {"model": "<synthetic>", "role": "assistant",
                    "content": [{"type": "text", "text": "API Error: 429 rate_limit_error"}]}})),
            2 => {
                let title = format!("Work on {}", self.plan.bead);
                let text = serde_json::to_string(
                    &json!({"type": "ai-title", "aiTitle": title, "sessionId": self.plan.id}),
                )
                .unwrap();
                writeln!(self.out, "{text}").unwrap();
            }
            _ => {}
        }
    }

    /// A large output saved beside the session, the result pointing at it.
    fn persisted(&mut self, id: &str) {
        let dir = self.side.join("tool-results");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("{id}.txt"));
        let size = self.rng.usize(60_000..200_000);
        let text = output(&mut self.rng, size);
        std::fs::write(&file, &text).unwrap();
        self.written += text.len() as u64;
        let preview: String = text.chars().take(2_000).collect();
        let body = format!(
            "<persisted-output>\nOutput too large ({} KB). Full output saved to: {}\n\nPreview (first 2KB):\n{preview}\n</persisted-output>",
            text.len() / 1024,
            file.display()
        );
        self.tool_result(id, &body, false);
    }

    /// A screenshot pasted in: base64 in the user's content.
    fn image(&mut self) {
        let size = self.rng.usize(40_000..400_000);
        let data: String = (0..size)
            .map(|i| char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"[(i * 7 + size) % 32]))
            .collect();
        self.line(json!({"type": "user", "message": {"role": "user", "content": [
            {"type": "text", "text": "This is what the page shows:"},
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}}]}}));
    }

    /// A Task call and its sub-agent's transcript.
    fn subagent(&mut self, msg: &str) {
        let id = format!("toolu_{:016x}", self.rng.u64(..));
        let agent = format!("a{:06x}", self.rng.u32(..0xff_ffff));
        self.assistant(
            msg,
            json!({"type": "tool_use", "id": id, "name": "Task", "input": {"description": "Survey the module", "prompt": "Find every caller of retry()", "subagent_type": "general-purpose"}}),
            "tool_use",
        );
        let dir = self.side.join("subagents");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(format!("agent-{agent}.meta.json")),
            json!({"agentType": "general-purpose", "description": "Survey the module", "toolUseId": id}).to_string(),
        )
        .unwrap();
        let file = std::fs::File::create(dir.join(format!("agent-{agent}.jsonl"))).unwrap();
        let mut sub = Writer {
            out: BufWriter::new(file),
            plan: self.plan,
            rng: fastrand::Rng::with_seed(self.rng.u64(..)),
            clock: self.clock,
            written: 0,
            n: 0,
            side: self.side.clone(),
            sidechain: Some(agent),
        };
        for _ in 0..sub.rng.usize(1..=2) {
            sub.turn("Find every caller of retry()", false, false);
        }
        sub.out.flush().unwrap();
        self.clock = sub.clock;
        self.written += sub.written;
        self.tool_result(
            &id,
            "Found 4 callers: worker.rs:118, api.rs:40, jobs.rs:9, cli.rs:77",
            false,
        );
    }
}

/// Writes one session.
fn write(root: &Path, p: &Plan, seed: u64, now: SystemTime) {
    let path = path_of(root, p);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut w = Writer {
        out: BufWriter::with_capacity(1 << 20, std::fs::File::create(&path).unwrap()),
        plan: p,
        rng: fastrand::Rng::with_seed(seed),
        clock: Clock::of(p, 5000, now),
        written: 0,
        n: 0,
        side: path.with_extension(""),
        sidechain: None,
    };
    writeln!(
        w.out,
        r#"{{"type":"file-history-snapshot","messageId":"m0","snapshot":{{"trackedFileBackups":{{}}}},"isSnapshotUpdate":false}}"#
    )
    .unwrap();
    let first = format!(
        "Work on bead {}: make the importer idempotent and cover the retry path. Keep the public API.",
        p.bead
    );
    w.turn(&first, false, false);
    let mut huge = p.huge_line;
    let mut needle = p.needle;
    while w.written < p.bytes {
        // The 12 MB line near the end, where opening the session shows it.
        let last_stretch = w.written + (16 << 20) > p.bytes;
        let big = huge && (last_stretch || p.bytes < 24 << 20);
        w.turn("Go on; run the suite again after the fix.", big, needle);
        huge &= !big;
        needle = false;
    }
    if p.index == 0 {
        // The newest session is working: a tool call with no result yet.
        w.user_text("One more: check the retry path under load.");
        w.assistant(
            "msg_live",
            json!({"type": "tool_use", "id": "toolu_live", "name": "Bash", "input": {"command": "cargo test --release"}}),
            "tool_use",
        );
    }
    if p.last_marker {
        w.assistant(
            "msg_last",
            json!({"type": "text", "text": super::super::LAST}),
            "end_turn",
        );
    }
    close(w.out, &path, w.clock.t, now);
}

/// Writes every session of `plans` under the Claude root.
pub fn write_all(root: &Path, plans: &[Plan], seed: u64) {
    super::each(plans, seed, |p, seed, now| write(root, p, seed, now));
}
