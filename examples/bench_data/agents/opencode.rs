//! OpenCode's database (`opencode.db`, WAL): `session`, `message` and `part` rows with JSON
//! `data`, as OpenCode 1.2+ writes them: user messages with a text part, assistant messages
//! with step, reasoning, text and tool parts and their token counts, a child session now and
//! then (a sub-agent).

use super::{Clock, NEEDLE, Plan, command, millis, output, output_size, prose};
use rusqlite::{Connection, params};
use serde_json::json;
use std::path::Path;
use std::time::SystemTime;

const SCHEMA: &str = "
    PRAGMA journal_mode = WAL;
    CREATE TABLE IF NOT EXISTS session (id TEXT PRIMARY KEY, project_id TEXT NOT NULL,
        workspace_id TEXT, parent_id TEXT, slug TEXT NOT NULL, directory TEXT NOT NULL,
        title TEXT NOT NULL, version TEXT NOT NULL, share_url TEXT, time_created INTEGER NOT NULL,
        time_updated INTEGER NOT NULL, time_compacting INTEGER, time_archived INTEGER);
    CREATE TABLE IF NOT EXISTS message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL,
        time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS part (id TEXT PRIMARY KEY, message_id TEXT NOT NULL,
        session_id TEXT NOT NULL, time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL,
        data TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS session_project_idx ON session(project_id);
    CREATE INDEX IF NOT EXISTS session_parent_idx ON session(parent_id);
    CREATE INDEX IF NOT EXISTS message_session_idx ON message(session_id);
    CREATE INDEX IF NOT EXISTS part_message_idx ON part(message_id);
    CREATE INDEX IF NOT EXISTS part_session_idx ON part(session_id);";

struct Writer<'c> {
    conn: &'c Connection,
    rng: fastrand::Rng,
    clock: Clock,
    written: u64,
    n: u64,
}

impl Writer<'_> {
    fn id(&mut self, prefix: &str) -> String {
        self.n += 1;
        format!("{prefix}_{:012x}{:08}", self.rng.u64(..1 << 48), self.n)
    }

    fn tick(&mut self) -> i64 {
        self.clock.tick(&mut self.rng);
        millis(self.clock.t)
    }

    fn message(&mut self, session: &str, data: &serde_json::Value) -> String {
        let id = self.id("msg");
        let at = self.tick();
        let text = data.to_string();
        self.written += text.len() as u64;
        self.conn
            .execute(
                "INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?1, ?2, ?3, ?3, ?4)",
                params![id, session, at, text],
            )
            .unwrap();
        id
    }

    fn part(&mut self, session: &str, message: &str, data: &serde_json::Value) {
        let id = self.id("prt");
        let at = self.tick();
        let text = data.to_string();
        self.written += text.len() as u64;
        self.conn
            .execute(
                "INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
                params![id, message, session, at, text],
            )
            .unwrap();
    }

    fn turn(&mut self, session: &str, cwd: &str, prompt: &str, needle: bool, finish: bool) {
        let created = millis(self.clock.t);
        let user = self.message(
            session,
            &json!({"role": "user", "time": {"created": created}, "agent": "build",
                "model": {"providerID": "anthropic", "modelID": "claude-sonnet-4-5"}}),
        );
        self.part(
            session,
            &user,
            &json!({"type": "text", "text": prompt, "time": {"start": created}}),
        );
        let start = millis(self.clock.t);
        let mut data = json!({"role": "assistant", "time": {"created": start}, "parentID": user,
            "modelID": "claude-sonnet-4-5", "providerID": "anthropic", "mode": "build",
            "path": {"cwd": cwd, "root": cwd}, "cost": 0.0123,
            "tokens": {"input": 1200, "output": 88, "reasoning": 0, "cache": {"read": 20310, "write": 1412}}});
        if finish {
            data["time"]["completed"] = json!(start + 60_000);
            data["finish"] = json!("stop");
        }
        let reply = self.message(session, &data);
        self.part(session, &reply, &json!({"type": "step-start"}));
        let thought = prose(&mut self.rng, 160);
        self.part(
            session,
            &reply,
            &json!({"type": "reasoning", "text": thought, "time": {"start": start}}),
        );
        for c in 0..self.rng.usize(1..=4) {
            let n = output_size(&mut self.rng);
            let mut out = output(&mut self.rng, n);
            if needle && c == 0 {
                out.push_str(&format!("found it: {NEEDLE}\n"));
            }
            let cmd = command(&mut self.rng);
            let call = format!("toolu_{:016x}", self.rng.u64(..));
            let (s, e) = (self.tick(), self.tick());
            let status = if finish { "completed" } else { "running" };
            self.part(
                session,
                &reply,
                &json!({"type": "tool", "callID": call, "tool": "bash", "state": {"status": status,
                    "input": {"command": cmd}, "output": out, "title": cmd, "metadata": {},
                    "time": {"start": s, "end": e}}}),
            );
        }
        if finish {
            let text = prose(&mut self.rng, 400);
            self.part(
                session,
                &reply,
                &json!({"type": "text", "text": text, "time": {"start": start}}),
            );
            self.part(
                session,
                &reply,
                &json!({"type": "step-finish", "reason": "stop", "cost": 0.0123,
                    "tokens": {"input": 1200, "output": 88, "reasoning": 0, "cache": {"read": 20310, "write": 1412}}}),
            );
        }
    }
}

fn session_row(conn: &Connection, id: &str, parent: Option<&str>, p: &Plan, end: SystemTime) {
    conn.execute(
        "INSERT INTO session (id, project_id, parent_id, slug, directory, title, version, time_created, time_updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, '1.2.4', ?7, ?8)",
        params![id, format!("prj_{}", &p.cwd[p.cwd.len() - 2..]), parent, &id[4..12], p.cwd,
            format!("Work on bead {}", p.bead), millis(p.start), millis(end)],
    )
    .unwrap();
}

/// Writes every session of `plans` into a new database at `db`.
pub fn write_all(db: &Path, plans: &[Plan], seed: u64) {
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(db);
    let conn = Connection::open(db).unwrap();
    conn.execute_batch(SCHEMA).unwrap();
    let now = SystemTime::now();
    conn.execute_batch("BEGIN").unwrap();
    for (i, p) in plans.iter().enumerate() {
        let mut w = Writer {
            conn: &conn,
            rng: fastrand::Rng::with_seed(seed * 1_000_003 + i as u64),
            clock: Clock::of(p, 3000, now),
            written: 0,
            n: 0,
        };
        let id = format!("ses_{}", p.id.replace('-', ""));
        let first = format!(
            "Work on bead {}: make the importer idempotent and cover the retry path.",
            p.bead
        );
        w.turn(&id, &p.cwd, &first, false, true);
        let mut needle = p.needle;
        while w.written < p.bytes {
            w.turn(
                &id,
                &p.cwd,
                "Go on; run the suite after the fix.",
                needle,
                true,
            );
            needle = false;
        }
        if p.index == 0 {
            w.turn(
                &id,
                &p.cwd,
                "Check the retry path under load.",
                false,
                false,
            );
        }
        if i % 10 == 3 {
            let child = format!("ses_{:032x}", w.rng.u128(..));
            w.turn(&child, &p.cwd, "Find every caller of retry()", false, true);
            session_row(&conn, &child, Some(&id), p, w.clock.t);
        }
        session_row(&conn, &id, None, p, w.clock.t.min(now));
        if i % 100 == 99 {
            conn.execute_batch("COMMIT; BEGIN").unwrap();
        }
    }
    conn.execute_batch("COMMIT; PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
}
