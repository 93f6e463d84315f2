//! A home for the binding tests: session `api` of seed-era NTM with a card per situation, the
//! Claude sessions its agents write, a registry file, a beads file, and the look at tmux those
//! agents would give (a made-up scene: panes, their agents, what Claude's registry says).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::common::dash::{Home, freeze_times, now};
use beadboard::app::event::Msg;
use beadboard::app::model::Model;
use beadboard::app::outcome::{Looked, Outcome};
use beadboard::binding::{self, Candidate, Found, Hint, PaneRef, Scene};
use beadboard::persist::session::Agent;
use beadboard::persist::session::live::Process;
use beadboard::tmux::{LivePane, PaneInfo};
use chrono::{DateTime, Duration, Utc};
use std::path::{Path, PathBuf};

/// The cards: (bead, status, pane index, title).
pub const CARDS: [(&str, &str, i64, &str); 7] = [
    ("api-1", "working", 1, "Rate limit the login endpoint"),
    ("api-2", "working", 2, "Rotate the signing keys"),
    ("api-3", "working", 3, "Paginate the audit log"),
    ("api-4", "working", 4, "Drop the legacy tokens table"),
    ("api-5", "working", 5, "Cache the feature flags"),
    ("api-6", "working", 6, "Fix the flaky health check"),
    ("api-7", "assigned", 7, "Document the admin API"),
];

/// Session ids: bound to api-1, waiting (api-4), quiet (api-5), api-6's, and one whose first
/// prompt names api-3.
pub const BOUND: &str = "11111111-aaaa-4bbb-8ccc-000000000001";
pub const WAITING: &str = "44444444-aaaa-4bbb-8ccc-000000000004";
pub const QUIET: &str = "55555555-aaaa-4bbb-8ccc-000000000005";
pub const CLOSED: &str = "66666666-aaaa-4bbb-8ccc-000000000006";
pub const NAMES_API3: &str = "33333333-aaaa-4bbb-8ccc-000000000003";

pub const CWD: &str = "/home/dev/api";

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A Claude session: a prompt at `start`, a finished reply a minute later.
pub fn claude_session(home: &Home, id: &str, prompt: &str, start: DateTime<Utc>) -> PathBuf {
    let dir = home.claude().join("projects/-home-dev-api");
    std::fs::create_dir_all(&dir).unwrap();
    let user = serde_json::json!({
        "type": "user", "cwd": CWD, "sessionId": id, "uuid": format!("{id}-u"),
        "timestamp": stamp(start),
        "message": {"role": "user", "content": prompt},
    });
    let reply = serde_json::json!({
        "type": "assistant", "cwd": CWD, "sessionId": id, "uuid": format!("{id}-a"),
        "timestamp": stamp(start + Duration::minutes(1)),
        "message": {"id": format!("{id}-m"), "type": "message", "role": "assistant",
            "model": "claude-sonnet-4-5", "stop_reason": "end_turn",
            "content": [{"type": "text", "text": "On it."}],
            "usage": {"input_tokens": 10, "output_tokens": 5}},
    });
    let path = dir.join(format!("{id}.jsonl"));
    std::fs::write(&path, format!("{user}\n{reply}\n")).unwrap();
    path
}

/// Sets a file's modification time.
pub fn set_mtime(path: &Path, t: DateTime<Utc>) {
    let at = std::time::SystemTime::UNIX_EPOCH
        + std::time::Duration::from_millis(u64::try_from(t.timestamp_millis()).unwrap());
    std::fs::File::options()
        .append(true)
        .open(path)
        .unwrap()
        .set_modified(at)
        .unwrap();
}

/// The home: the store, the sessions (api-5's written 40 minutes ago, the others five), the
/// registry file saying this very process (alive) waits in WAITING, and the beads file where
/// api-6 is closed. Returns it and the beads file.
pub fn home() -> (Home, PathBuf) {
    let home = Home::empty();
    std::fs::create_dir_all(home.agentpair()).unwrap();
    let dir = home.ntm().join("sessions/api");
    std::fs::create_dir_all(&dir).unwrap();
    let mut assignments = serde_json::Map::new();
    for (bead, status, pane, title) in CARDS {
        assignments.insert(
            bead.to_owned(),
            serde_json::json!({
                "bead_id": bead, "bead_title": title, "pane": pane, "agent_type": "claude",
                "status": status, "assigned_at": "2026-11-22T15:00:00Z",
                "started_at": "2026-11-22T15:01:00Z",
                "prompt_sent": format!("Work on bead {bead}: {title}."),
            }),
        );
    }
    let store = serde_json::json!({
        "session_name": "api", "assignments": assignments,
        "created_at": "2026-11-22T15:00:00Z", "updated_at": "2026-11-22T15:01:00Z",
    });
    std::fs::write(
        dir.join("assignments.json"),
        serde_json::to_string_pretty(&store).unwrap(),
    )
    .unwrap();
    let early = now() - Duration::minutes(50);
    claude_session(&home, BOUND, "Rate limit the login endpoint", early);
    claude_session(&home, WAITING, "Drop the legacy tokens table", early);
    let quiet = claude_session(&home, QUIET, "Cache the feature flags", early);
    claude_session(&home, CLOSED, "Fix the flaky health check", early);
    claude_session(&home, NAMES_API3, "Work on bead api-3: paginate", early);
    let registry = home.claude().join("sessions");
    std::fs::create_dir_all(&registry).unwrap();
    let me = std::process::id();
    std::fs::write(
        registry.join(format!("{me}.json")),
        serde_json::json!({
            "pid": me, "sessionId": WAITING, "cwd": CWD, "status": "waiting",
            "waitingFor": "approval of Bash(psql -c 'drop table tokens')",
        })
        .to_string(),
    )
    .unwrap();
    let beads = home.dir.path().join("issues.jsonl");
    let mut lines = String::new();
    for (bead, _, _, title) in CARDS {
        let (status, closed) = if bead == "api-6" {
            ("closed", r#","closed_at":"2026-11-22T15:55:00Z""#)
        } else {
            ("in_progress", "")
        };
        lines.push_str(&format!(
            r#"{{"id":"{bead}","title":"{title}","status":"{status}","priority":2,"issue_type":"task"{closed}}}"#
        ));
        lines.push('\n');
    }
    std::fs::write(&beads, lines).unwrap();
    freeze_times(home.dir.path());
    // Written to last 40 minutes ago: quiet longer than the 10-minute stale limit.
    set_mtime(&quiet, now() - Duration::minutes(40));
    (home, beads)
}

fn pane(id: &str, index: i64) -> LivePane {
    LivePane {
        info: PaneInfo {
            session_id: "$1".into(),
            session_name: "api".into(),
            window_id: "@1".into(),
            window_index: 1,
            window_active: true,
            window_name: "agents".into(),
            pane_id: id.into(),
            pane_index: index,
            pane_active: false,
        },
        pid: 1000 + u32::try_from(index).unwrap(),
        path: CWD.into(),
    }
}

fn claude(pid: u32, cwd: &str) -> Found {
    Found {
        agent: Agent::Claude,
        process: Process {
            pid,
            ppid: 1,
            argv: vec!["claude".into()],
            cwd: Some(cwd.into()),
            started_at: Some(now() - Duration::hours(1)),
            start_ticks: None,
            open_files: Vec::new(),
        },
    }
}

/// What tmux and the processes would show: pane index 2 is gone; `%13` (index 3) has no
/// agent; `%17` (index 7) and `%18` run two Claudes in one cwd; the others run Claudes whose
/// registry files name their sessions.
pub fn scene() -> Scene {
    let mut s = Scene::default();
    for (id, index) in [
        ("%11", 1),
        ("%13", 3),
        ("%14", 4),
        ("%15", 5),
        ("%16", 6),
        ("%17", 7),
        ("%18", 8),
    ] {
        s.panes.push(pane(id, index));
    }
    for (id, pid, session) in [
        ("%11", 201, Some(BOUND)),
        ("%14", 204, Some(WAITING)),
        ("%15", 205, Some(QUIET)),
        ("%16", 206, Some(CLOSED)),
        ("%17", 207, None),
        ("%18", 208, None),
    ] {
        s.agents.insert(id.into(), claude(pid, "/home/dev/shared"));
        if let Some(session) = session {
            s.registry.push(Hint {
                pid,
                session: session.into(),
                proc_start: None,
                alive: Some(true),
            });
        }
    }
    s
}

/// The panes the cards name.
pub fn wanted() -> Vec<PaneRef> {
    CARDS
        .iter()
        .map(|(_, _, pane, _)| PaneRef::Index {
            session: "api".into(),
            index: *pane,
        })
        .collect()
}

/// Hands the model the look `scene` gives, as the worker would, at `at`.
pub fn look(model: &mut Model, scene: &Scene, at: DateTime<Utc>) {
    let candidates: Vec<Candidate> = model.runs.all_shared().filter_map(Candidate::of).collect();
    let bindings = binding::decide(scene, &wanted(), &candidates, &|c: &str| c.into(), at);
    let looked = Looked {
        result: Ok(bindings),
        gone: Vec::new(),
    };
    beadboard::app::step(model, Msg::Done(Outcome::Bound(Box::new(looked))), at);
}
