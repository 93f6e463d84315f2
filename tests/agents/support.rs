//! Helpers of the agent-session tests: sessions of Codex, Gemini and OpenCode given as their
//! summaries (what the agents worker hands the Runs pane), and their transcripts as entries
//! (what a whole read hands the Transcript pane), so the views can be drawn for every agent.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::dash::now;
use beadboard::app::effect::{Effect, TranscriptRead};
use beadboard::app::model::Model;
use beadboard::app::outcome::{AgentsFound, Outcome, TranscriptData, TranscriptReply};
use beadboard::app::work::agents::{Judge, Liveness, as_run};
use beadboard::persist::run::RunSummary;
use beadboard::persist::session::{
    Agent, Entry, EntryKind, SessionSource, SessionSummary, SubagentLink, Summarizer, Tokens,
    TurnState,
};
use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Runs the work the model asked for, inline, until it asks for nothing more.
pub fn settle(model: &mut Model) {
    let effects = model.take_effects();
    beadboard::app::settle(model, effects, now());
}

fn at(hms: &str) -> DateTime<Utc> {
    format!("2026-11-22T{hms}Z").parse().unwrap()
}

fn summary(agent: Agent, id: &str, cwd: &str, source: SessionSource) -> SessionSummary {
    let mut s = Summarizer::new(agent, source).into_summary();
    s.id = id.to_owned();
    s.cwd = cwd.to_owned();
    s
}

/// A Codex session (a compressed rollout, read whole) at work, a Gemini one waiting for
/// approval, and an OpenCode one finished long ago.
pub fn others() -> Vec<SessionSummary> {
    let mut codex = summary(
        Agent::Codex,
        "0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f",
        "/home/dev/webapp",
        SessionSource::Document(PathBuf::from(
            "/h/.codex/sessions/2026/11/22/rollout-2026-11-22T15-50-01-0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f.jsonl.zst",
        )),
    );
    codex.prompt_head = "Port the session store to Redis (bd-31)".into();
    codex.model = Some("gpt-5-codex".into());
    codex.started_at = Some(at("15:50:01"));
    codex.last_entry_at = Some(at("16:04:30"));
    codex.turns = 2;
    codex.tokens = Tokens {
        input: 51_234,
        output: 812,
        cache_read: 40_960,
        cache_write: 0,
    };
    codex.turn = TurnState::Working;
    let mut gemini = summary(
        Agent::Gemini,
        "9f1c2d3e-4a5b-4c6d-8e7f-001122334455",
        "/home/dev/docs-site",
        SessionSource::Document(PathBuf::from(
            "/h/.gemini/tmp/docs-site/chats/session-2026-11-22T15-30-9f1c2d3e.jsonl",
        )),
    );
    gemini.prompt_head = "Rewrite the install page for the new CLI".into();
    gemini.model = Some("gemini-2.5-pro".into());
    gemini.started_at = Some(at("15:30:00"));
    gemini.last_entry_at = Some(at("16:03:00"));
    gemini.turns = 1;
    gemini.tokens = Tokens {
        input: 1_200,
        output: 40,
        cache_read: 800,
        cache_write: 0,
    };
    gemini.turn = TurnState::Waiting("approval of run_shell_command".into());
    let mut opencode = summary(
        Agent::OpenCode,
        "ses_5b1e2c3d9ffeAbCdEfGhIjKl",
        "/home/dev/cli-tool",
        SessionSource::Database {
            db: PathBuf::from("/h/.local/share/opencode/opencode.db"),
            session: "ses_5b1e2c3d9ffeAbCdEfGhIjKl".into(),
        },
    );
    opencode.prompt_head = "Add --json to the list command".into();
    opencode.model = Some("claude-sonnet-4-5".into());
    opencode.started_at = Some(at("14:02:00"));
    opencode.last_entry_at = Some(at("15:20:00"));
    opencode.turns = 3;
    opencode.turn = TurnState::Ended;
    vec![codex, gemini, opencode]
}

/// The sessions as the agents worker hands them over, decided at the views' clock.
pub fn as_runs(summaries: Vec<SessionSummary>) -> Vec<Arc<RunSummary>> {
    let judge = Judge {
        quiet: Duration::from_secs(600),
        now: now(),
    };
    summaries
        .into_iter()
        .map(|s| Arc::new(as_run(s, None, &Liveness::new(), &judge)))
        .collect()
}

/// Selects the run named `name`.
pub fn select(model: &mut Model, name: &str) {
    let at = model
        .runs
        .visible()
        .position(|r| beadboard::present::naming::name(r) == name)
        .unwrap_or_else(|| panic!("no run {name}"));
    model.runs.select_index(at);
}

/// Adds a Codex, a Gemini and an OpenCode session to the sessions already listed (Claude's,
/// read from the fixture), as one scan would list them all.
pub fn four_agents(model: &mut Model) {
    list(model, others());
}

/// Adds `sessions` to the sessions already listed, as one scan would list them all.
pub fn list(model: &mut Model, sessions: Vec<SessionSummary>) {
    let mut runs: Vec<Arc<RunSummary>> = model
        .runs
        .all_shared()
        .filter(|r| r.session().is_some())
        .cloned()
        .collect();
    runs.extend(as_runs(sessions));
    let found = AgentsFound {
        runs,
        ..AgentsFound::default()
    };
    beadboard::app::step(
        model,
        beadboard::app::event::Msg::Done(Outcome::AgentsScanned(Box::new(found))),
        now(),
    );
    settle(model);
}

fn entry(kind: EntryKind, actor: &str, hms: &str, text: &str) -> Entry {
    Entry {
        kind,
        actor: actor.to_owned(),
        time: Some(at(hms)),
        text: text.to_owned(),
        ..Entry::default()
    }
}

/// What a whole read of each agent's session gives.
pub fn entries(agent: &str) -> Vec<Entry> {
    let call = |tool: &str, id: &str, hms: &str, text: &str| Entry {
        tool: Some(tool.to_owned()),
        call_id: Some(id.to_owned()),
        ..entry(EntryKind::ToolCall, tool, hms, text)
    };
    let result = |id: &str, hms: &str, text: &str, failed: bool| Entry {
        call_id: Some(id.to_owned()),
        is_error: failed,
        ..entry(EntryKind::ToolResult, "tool", hms, text)
    };
    match agent {
        "codex" => vec![
            entry(EntryKind::State, "codex", "15:50:02", "turn started"),
            entry(
                EntryKind::Prompt,
                "user",
                "15:50:02",
                "Port the session store to Redis (bd-31)",
            ),
            entry(
                EntryKind::Thinking,
                "codex",
                "15:50:09",
                "Find where sessions are stored\nthen swap the backend",
            ),
            call(
                "exec_command",
                "call_7Qx",
                "15:50:09",
                "rg -n SessionStore src/",
            ),
            result(
                "call_7Qx",
                "15:50:21",
                "src/session.rs:12: pub struct SessionStore\nsrc/main.rs:40: SessionStore::open",
                false,
            ),
            call(
                "apply_patch",
                "call_8Rz",
                "16:02:40",
                "*** Update File: src/session.rs",
            ),
            result(
                "call_8Rz",
                "16:02:41",
                "patch rejected: hunk 2 does not apply",
                true,
            ),
            entry(EntryKind::Compaction, "codex", "16:03:00", ""),
            entry(
                EntryKind::Unknown("world_state".into()),
                "codex",
                "16:04:00",
                "{\"cwd\":\"/home/dev/webapp\"}",
            ),
            entry(
                EntryKind::Response,
                "codex",
                "16:04:30",
                "Retrying the patch against the new layout.",
            ),
        ],
        "gemini" => vec![
            entry(
                EntryKind::Prompt,
                "user",
                "15:30:04",
                "Rewrite the install page for the new CLI",
            ),
            entry(
                EntryKind::Response,
                "gemini",
                "15:31:00",
                "I'll read the current page first.\nThen I'll check the CLI's --help.",
            ),
            call(
                "run_shell_command",
                "run_shell_command-1724",
                "16:03:00",
                "beadboard --help",
            ),
            entry(
                EntryKind::State,
                "gemini",
                "16:03:00",
                "awaiting approval of run_shell_command",
            ),
        ],
        _ => vec![
            entry(
                EntryKind::Prompt,
                "user",
                "14:02:00",
                "Add --json to the list command",
            ),
            Entry {
                subagent: Some(SubagentLink {
                    id: "ses_child01".into(),
                    description: "explore: find the list command".into(),
                    path: Some(PathBuf::from("/h/.local/share/opencode/opencode.db")),
                }),
                tool: Some("task".into()),
                call_id: Some("toolu_t1".into()),
                ..entry(
                    EntryKind::Subagent,
                    "task",
                    "14:02:30",
                    "explore: find the list command",
                )
            },
            result("toolu_t1", "14:05:00", "src/cmd/list.rs", false),
            entry(
                EntryKind::Error,
                "opencode",
                "14:40:00",
                "provider overloaded; retrying",
            ),
            Entry {
                model: Some("claude-sonnet-4-5".into()),
                ..entry(
                    EntryKind::Response,
                    "opencode",
                    "15:20:00",
                    "Done: list --json prints one object per item.",
                )
            },
        ],
    }
}

/// Selects the session of `agent`, opens its transcript, and answers its whole read with
/// [`entries`] (the other reads run as the workers would run them).
pub fn open_document(model: &mut Model, agent: &str) {
    let at = model
        .runs
        .visible()
        .position(|r| r.agent().is_some_and(|a| a.as_str() == agent))
        .unwrap();
    model.runs.select_index(at);
    // Opened already when it was listed first (and its read was run): open it afresh.
    model.transcript.close();
    beadboard::app::update::apply(model, beadboard::app::action::Action::OpenTranscript, now());
    let mut rest = Vec::new();
    for effect in model.take_effects() {
        match effect {
            Effect::Transcript(job) if matches!(job.read, TranscriptRead::Document) => {
                let items = vec![beadboard::persist::session::Decoded::Entries(entries(
                    agent,
                ))];
                let lines = beadboard::app::work::transcript::document_lines(items);
                let reply = TranscriptReply {
                    open: job.open,
                    data: TranscriptData::Document {
                        lines,
                        exists: true,
                    },
                };
                beadboard::app::step(
                    model,
                    beadboard::app::event::Msg::Done(Outcome::Transcript(reply)),
                    now(),
                );
            }
            other => rest.push(other),
        }
    }
    beadboard::app::settle(model, rest, now());
}
