//! Gemini CLI conversations (v0.39+ JSONL): `tmp/<slug>/chats/session-<minute>-<id8>.jsonl`,
//! a metadata line, then user and model messages, each model message appended again as its
//! tool calls finish (an upsert by id), `$set` of `lastUpdated` after each, thoughts, token
//! counts and an occasional error; `projects.json` and `.project_root` name each slug's root.

use super::{Clock, NEEDLE, Plan, close, command, iso, output, output_size, prose};
use serde_json::{Value, json};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::SystemTime;

struct Writer {
    out: BufWriter<std::fs::File>,
    rng: fastrand::Rng,
    clock: Clock,
    written: u64,
    n: u64,
}

impl Writer {
    fn raw(&mut self, v: &Value) {
        let text = serde_json::to_string(v).unwrap();
        self.written += text.len() as u64 + 1;
        writeln!(self.out, "{text}").unwrap();
    }

    fn now(&mut self) -> String {
        self.clock.tick(&mut self.rng);
        iso(self.clock.t)
    }

    fn id(&mut self) -> String {
        self.n += 1;
        format!("m{:06}-{:08x}", self.n, self.rng.u32(..))
    }

    fn set_updated(&mut self) {
        let at = iso(self.clock.t);
        self.raw(&json!({"$set": {"lastUpdated": at}}));
    }

    fn turn(&mut self, prompt: &str, needle: bool) {
        let (id, at) = (self.id(), self.now());
        self.raw(
            &json!({"id": id, "timestamp": at, "type": "user", "content": [{"text": prompt}]}),
        );
        self.set_updated();
        for c in 0..self.rng.usize(1..=3) {
            let (id, at) = (self.id(), self.now());
            let call = format!("run_shell_command-{}", self.rng.u64(..));
            let cmd = command(&mut self.rng);
            let thought = prose(&mut self.rng, 120);
            let mut message = json!({"id": id, "timestamp": at, "type": "gemini", "content": "",
                "toolCalls": [{"id": call, "name": "run_shell_command", "args": {"command": cmd},
                    "status": "executing", "timestamp": at, "displayName": "Shell"}],
                "thoughts": [{"subject": "Checking", "description": thought, "timestamp": at}],
                "model": "gemini-2.5-pro"});
            self.raw(&message);
            let n = output_size(&mut self.rng);
            let mut text = output(&mut self.rng, n);
            if needle && c == 0 {
                text.push_str(&format!("found it: {NEEDLE}\n"));
            }
            message["toolCalls"][0]["status"] = json!("success");
            message["toolCalls"][0]["result"] = json!([{"functionResponse": {"id": call,
                "name": "run_shell_command", "response": {"output": text}}}]);
            message["tokens"] = json!({"input": 1200, "output": 40, "cached": 800, "thoughts": 12, "tool": 0, "total": 1252});
            self.now();
            self.raw(&message);
            self.set_updated();
        }
        let (id, at) = (self.id(), self.now());
        let reply = prose(&mut self.rng, 400);
        self.raw(&json!({"id": id, "timestamp": at, "type": "gemini", "content": reply,
            "tokens": {"input": 1400, "output": 120, "cached": 900, "thoughts": 30, "tool": 0, "total": 1550},
            "model": "gemini-2.5-pro"}));
        if self.rng.u32(..30) == 0 {
            let (id, at) = (self.id(), self.now());
            self.raw(&json!({"id": id, "timestamp": at, "type": "error", "content": "API quota exceeded; retrying in 30s"}));
        }
        self.set_updated();
    }
}

fn write(root: &Path, p: &Plan, seed: u64, now: SystemTime) {
    let slug = p.cwd.rsplit('/').next().unwrap_or("project").to_owned();
    let chats = root.join("tmp").join(&slug).join("chats");
    std::fs::create_dir_all(&chats).unwrap();
    let t = chrono::DateTime::<chrono::Utc>::from(p.start);
    let path = chats.join(format!(
        "session-{}-{}.jsonl",
        t.format("%Y-%m-%dT%H-%M"),
        &p.id[..8]
    ));
    let mut w = Writer {
        out: BufWriter::with_capacity(1 << 20, std::fs::File::create(&path).unwrap()),
        rng: fastrand::Rng::with_seed(seed),
        clock: Clock::of(p, 4000, now),
        written: 0,
        n: 0,
    };
    w.raw(&json!({"sessionId": p.id, "projectHash": format!("{:064x}", seed), "startTime": iso(p.start),
        "lastUpdated": iso(p.start), "kind": "main"}));
    w.turn(
        &format!(
            "Work on bead {}: make the importer idempotent and cover the retry path.",
            p.bead
        ),
        false,
    );
    let mut needle = p.needle;
    while w.written < p.bytes {
        w.turn("Go on; run the suite after the fix.", needle);
        needle = false;
    }
    close(w.out, &path, w.clock.t, now);
}

/// Writes every conversation of `plans` under the Gemini root, with its project registry.
pub fn write_all(root: &Path, plans: &[Plan], seed: u64) {
    let now = SystemTime::now();
    let mut projects = serde_json::Map::new();
    for (i, p) in plans.iter().enumerate() {
        write(root, p, seed * 1_000_003 + i as u64, now);
        let slug = p.cwd.rsplit('/').next().unwrap_or("project");
        if !projects.contains_key(&p.cwd) {
            projects.insert(p.cwd.clone(), json!(slug));
            std::fs::write(root.join("tmp").join(slug).join(".project_root"), &p.cwd).unwrap();
        }
    }
    std::fs::write(
        root.join("projects.json"),
        json!({ "projects": projects }).to_string(),
    )
    .unwrap();
}
