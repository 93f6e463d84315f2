//! Helpers of the agent-session tests: the Claude fixture's two sessions and appending to them,
//! reads run inline, a run selected by name, and sessions
//! of Codex, Gemini and OpenCode given as their summaries (what the agents worker hands the
//! Runs pane), for tests of the pane's layout that need sessions no fixture has.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::dash::{Home, now};
use beadboard::app::model::Model;
use beadboard::app::outcome::{AgentsFound, Outcome};
use beadboard::app::work::agents::{Judge, Liveness, as_run};
use beadboard::persist::run::RunSummary;
use beadboard::persist::session::{
    Agent, SessionSource, SessionSummary, Summarizer, Tokens, TurnState,
};
use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The Claude fixture's `webapp` session.
pub const WEBAPP: &str = "88a8d761-7b9a-4bf1-a8ca-c1febe6bf358";
/// The Claude fixture's `api` session.
pub const API: &str = "c3fb0a4e-2d1f-4e55-9a0b-7d2e8f6a1b90";

/// The `webapp` session's file in `home`.
pub fn webapp_file(home: &Home) -> PathBuf {
    home.claude()
        .join("projects/-home-dev-webapp")
        .join(format!("{WEBAPP}.jsonl"))
}

/// The `api` session's file in `home`.
pub fn api_file(home: &Home) -> PathBuf {
    home.claude()
        .join("projects/-home-dev-api")
        .join(format!("{API}.jsonl"))
}

/// Appends `line` to the session file `path`, as the agent would.
pub fn append(path: &std::path::Path, line: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    writeln!(f, "{line}").unwrap();
}

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
