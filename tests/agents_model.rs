//! The dashboard with agent sessions, headless (every read run inline, a fixed clock): a line
//! appended to a session reaches its transcript and its run; the live registry and the clock
//! decide states (working, waiting, idle, finished, failed) and what needs attention; a cut
//! entry says so; search and error jumps go through the session's own records. (Session files
//! that come and go while the runs are checked and listed: `agents_model_files.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "agents/support.rs"]
mod support;

use beadboard::app::action::Action;
use beadboard::app::event::{Change, Msg};
use beadboard::app::model::{LineContent, Model};
use beadboard::app::{act, step};
use beadboard::persist::session::{AgentState, EntryKind};
use beadboard::present::attention::Level;
use beadboard::present::naming;
use chrono::{DateTime, Utc};
use common::dash::{Home, now};
use support::{API, WEBAPP, api_file, append, select, webapp_file};

/// Appends `line` as written at `at` (the file's time too: the clock is fixed).
fn append_at(path: &std::path::Path, line: &str, at: DateTime<Utc>) {
    append(path, line);
    let f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.set_modified(std::time::SystemTime::from(at)).unwrap();
}

fn state_of(m: &Model, name: &str, at: DateTime<Utc>) -> String {
    let run = m
        .runs
        .all()
        .find(|r| naming::name(r) == name)
        .unwrap_or_else(|| panic!("no run {name}"));
    run.state_at(at).as_str().to_owned()
}

fn later(minutes: i64) -> DateTime<Utc> {
    now() + chrono::Duration::minutes(minutes)
}

#[test]
fn sessions_are_runs_with_their_state() {
    let home = Home::with_sessions();
    let m = home.model(120, 40, true);
    // A failed last turn (an API error at its end); a tool call with no result yet.
    assert_eq!(state_of(&m, "webapp claude 88a8d7", now()), "failed");
    assert_eq!(state_of(&m, "api claude c3fb0a", now()), "working");
    let webapp = m
        .runs
        .all()
        .find(|r| r.run_key == WEBAPP)
        .unwrap()
        .session()
        .unwrap()
        .clone();
    assert_eq!(webapp.summary.turns, 1);
    assert_eq!(
        webapp.summary.model.as_deref(),
        Some("claude-sonnet-4-5-20250929")
    );
    // No sub-agent is a run of its own; agentpair runs are still there.
    assert_eq!(m.runs.all().filter(|r| r.session().is_some()).count(), 2);
    assert!(m.runs.all().any(|r| naming::name(r) == "webapp #3"));
    // What needs attention: the failed session says why.
    let (c, _) = m
        .observer
        .run_condition(&webapp_file(&home), now())
        .unwrap();
    assert_eq!(c.level, Level::Attention);
    assert!(c.reason.contains("session limit"), "{}", c.reason);
    // Quiet longer than the stale threshold with no process known: finished.
    assert_eq!(state_of(&m, "api claude c3fb0a", later(11)), "finished");
}

#[test]
fn the_clock_alone_finishes_a_quiet_session() {
    let home = Home::sessions_only();
    let mut m = home.model(120, 40, true);
    let api = api_file(&home);
    assert_eq!(
        m.runs.get(&api).unwrap().state(),
        beadboard::persist::run::RunState::Agent(AgentState::Working)
    );
    // Nothing written; the loop wakes when the state is due to change.
    let wake = beadboard::app::update::next_wakeup(&m, now()).unwrap();
    assert!(wake <= std::time::Duration::from_secs(6 * 60), "{wake:?}");
    step(&mut m, Msg::Tick, later(11));
    assert_eq!(
        m.runs.get(&api).unwrap().state(),
        beadboard::persist::run::RunState::Agent(AgentState::Finished)
    );
    // Finished and needing no look: the observer lets it go, as a finished run.
    assert!(m.observer.run_condition(&api, later(11)).is_none());
}

#[test]
fn a_session_the_clock_finishes_lets_go_of_where_its_reading_stopped() {
    let home = Home::sessions_only();
    let mut m = home.model(120, 40, true);
    let api = api_file(&home);
    let sessions = |m: &Model| {
        m.runs
            .all()
            .filter(|r| r.session().is_some() && !r.is_complete())
            .count()
    };
    let unfinished = sessions(&m);
    assert!(unfinished > 0);
    assert_eq!(
        m.runs.sessions_read_on(),
        unfinished,
        "one per unfinished session"
    );
    // Read on from where it stopped (its summary is its run's): one more turn.
    let turns = |m: &Model| m.runs.get(&api).unwrap().session().unwrap().summary.turns;
    let before = turns(&m);
    append_at(
        &api,
        r#"{"type":"user","sessionId":"c3fb0a4e-2d1f-4e55-9a0b-7d2e8f6a1b90","cwd":"/home/dev/api","timestamp":"2026-11-22T16:05:00.000Z","message":{"role":"user","content":"and the docs"}}"#,
        now(),
    );
    step(&mut m, Msg::Disk(Change::Agent(api.clone())), now());
    assert_eq!(turns(&m), before + 1);
    assert_eq!(m.runs.sessions_read_on(), unfinished);
    // Finished by the clock, with nothing read: nothing is kept for it.
    step(&mut m, Msg::Tick, later(30));
    assert_eq!(sessions(&m), 0);
    assert_eq!(m.runs.sessions_read_on(), 0);
    // Its file grows again: read whole, the same summary as reading on would have made.
    append_at(
        &api,
        r#"{"type":"user","sessionId":"c3fb0a4e-2d1f-4e55-9a0b-7d2e8f6a1b90","cwd":"/home/dev/api","timestamp":"2026-11-22T16:40:00.000Z","message":{"role":"user","content":"one more"}}"#,
        later(30),
    );
    step(&mut m, Msg::Disk(Change::Agent(api.clone())), later(30));
    assert_eq!(turns(&m), before + 2);
}

#[test]
fn the_live_registry_says_waiting_and_a_gone_process_finishes() {
    let home = Home::sessions_only();
    let mut m = home.model(120, 40, true);
    let registry = home.claude().join("sessions");
    std::fs::create_dir_all(&registry).unwrap();
    let me = std::process::id();
    std::fs::write(
        registry.join(format!("{me}.json")),
        format!(
            r#"{{"pid":{me},"sessionId":"{API}","cwd":"/home/dev/api","status":"waiting","waitingFor":"approval of Edit","updatedAt":1795363200000}}"#
        ),
    )
    .unwrap();
    step(&mut m, Msg::Disk(Change::AgentLive), now());
    assert_eq!(state_of(&m, "api claude c3fb0a", now()), "waiting");
    let (c, _) = m.observer.run_condition(&api_file(&home), now()).unwrap();
    assert_eq!(
        (c.level, c.reason.as_str()),
        (Level::Attention, "waiting for approval of Edit")
    );
    // A live process keeps an idle session idle however long it is quiet.
    std::fs::write(
        registry.join(format!("{me}.json")),
        format!(r#"{{"pid":{me},"sessionId":"{API}","status":"idle"}}"#),
    )
    .unwrap();
    step(&mut m, Msg::Disk(Change::AgentLive), now());
    assert_eq!(state_of(&m, "api claude c3fb0a", later(60)), "idle");
    // The process exits: finished.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let gone = child.id();
    child.wait().unwrap();
    std::fs::remove_file(registry.join(format!("{me}.json"))).unwrap();
    std::fs::write(
        registry.join(format!("{gone}.json")),
        format!(r#"{{"pid":{gone},"sessionId":"{API}","status":"busy"}}"#),
    )
    .unwrap();
    step(&mut m, Msg::Disk(Change::AgentLive), now());
    assert_eq!(state_of(&m, "api claude c3fb0a", now()), "finished");
}

#[test]
fn an_appended_line_reaches_the_run_and_its_transcript() {
    let home = Home::sessions_only();
    let mut m = home.model(120, 40, true);
    select(&mut m, "api claude c3fb0a");
    act(&mut m, Action::OpenTranscript, now());
    let before = m.transcript.len();
    let path = api_file(&home);
    append(
        &path,
        &format!(
            r#"{{"type":"user","sessionId":"{API}","cwd":"/home/dev/api","timestamp":"2026-11-22T16:04:00.000Z","message":{{"role":"user","content":[{{"type":"tool_result","tool_use_id":"toolu_b1","content":"edited src/login.rs"}}]}}}}"#
        ),
    );
    append(
        &path,
        &format!(
            r#"{{"type":"assistant","sessionId":"{API}","cwd":"/home/dev/api","timestamp":"2026-11-22T16:04:30.000Z","message":{{"id":"msg_b2","role":"assistant","model":"claude-opus-4-1-20250805","content":[{{"type":"text","text":"Rate limiting is in."}}],"stop_reason":"end_turn","usage":{{"input_tokens":10,"output_tokens":5}}}}}}"#
        ),
    );
    step(&mut m, Msg::Disk(Change::Agent(path.clone())), now());
    let lines = m.transcript.lines();
    assert_eq!(lines.len(), before + 2, "both new entries, in place");
    let LineContent::Session(result) = &lines[before].content else {
        panic!("{:?}", lines[before])
    };
    assert_eq!(
        (result.kind.clone(), result.tool.as_deref()),
        (EntryKind::ToolResult, Some("Edit")),
        "a result is named after its call"
    );
    assert!(m.transcript.follow);
    assert_eq!(m.transcript.cursor, before + 1);
    // The run took the change too: its turn ended, its process unknown and it is recent.
    assert_eq!(state_of(&m, "api claude c3fb0a", now()), "idle");
}

#[test]
fn a_cut_entry_says_so_and_search_and_errors_go_through_the_records() {
    let home = Home::sessions_only();
    let mut m = home.model(120, 40, true);
    let path = webapp_file(&home);
    let big = "x".repeat(100 * 1024);
    append(
        &path,
        &format!(
            r#"{{"type":"user","sessionId":"{WEBAPP}","timestamp":"2026-11-22T15:50:00.000Z","message":{{"role":"user","content":[{{"type":"tool_result","tool_use_id":"toolu_09","content":"{big}"}}]}}}}"#
        ),
    );
    select(&mut m, "webapp claude 88a8d7");
    act(&mut m, Action::OpenTranscript, now());
    let cut = m
        .transcript
        .lines()
        .iter()
        .find_map(|l| match &l.content {
            LineContent::Session(e) if e.cut.is_some() => Some(e.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(cut.cut, Some(100 * 1024));
    assert!(cut.text.len() < big.len());
    // Enter reads it whole, on the worker; the expanded entry shows all of it.
    let at = m
        .transcript
        .lines()
        .iter()
        .position(|l| matches!(&l.content, LineContent::Session(e) if e.cut.is_some()))
        .unwrap();
    m.transcript.follow = false;
    m.transcript.cursor = at;
    act(&mut m, Action::ExpandEntry, now());
    let offset = m.transcript.lines()[at].offset;
    let pieces = m.transcript.whole.pieces(offset, 100 * 1024).unwrap();
    assert_eq!(pieces.concat(), big);
    let screen = common::dash::screen(&m);
    assert!(screen.contains("whole text (25 pieces)"), "{screen}");
    act(&mut m, Action::Dismiss, now());
    // `/`: the session's text, not its keys.
    m.transcript.search_for("cookie");
    support::settle(&mut m);
    let s = m.transcript.search.as_ref().unwrap();
    assert!(s.done && !s.matches.is_empty());
    m.transcript.search_for("cache_read_input_tokens");
    support::settle(&mut m);
    assert!(
        m.transcript.search.as_ref().unwrap().matches.is_empty(),
        "keys never match"
    );
    // `e` from the top: the failed test run, the unreadable line, the API error.
    act(&mut m, Action::First, now());
    let mut found = Vec::new();
    for _ in 0..3 {
        act(&mut m, Action::NextError, now());
        let l = &m.transcript.lines()[m.transcript.cursor];
        found.push(match &l.content {
            LineContent::Session(e) => e.kind.as_str().to_owned(),
            LineContent::Unreadable { .. } => "unreadable".to_owned(),
            LineContent::Entry(_) => "agentpair".to_owned(),
        });
    }
    assert_eq!(found, ["tool_result", "unreadable", "error"]);
}

#[test]
fn a_gemini_session_is_read_whole_and_again_when_it_changes() {
    let home = Home::empty();
    let gemini = home.dir.path().join("gemini");
    common::copy_tree(&common::fixture("sessions/own/gemini"), &gemini);
    common::dash::freeze_times(home.dir.path());
    let mut m = home.model(120, 40, true);
    select(&mut m, "webapp gemini 9f1c2d");
    act(&mut m, Action::OpenTranscript, now());
    assert!(m.transcript.source().is_document());
    let kinds = |m: &Model| -> Vec<String> {
        m.transcript
            .lines()
            .iter()
            .map(|l| match &l.content {
                LineContent::Session(e) => e.kind.as_str().to_owned(),
                LineContent::Unreadable { .. } => "unreadable".to_owned(),
                LineContent::Entry(_) => "agentpair".to_owned(),
            })
            .collect()
    };
    let before = kinds(&m);
    assert!(before.iter().any(|k| k == "prompt"), "{before:?}");
    assert!(
        !before.iter().any(|k| k == "error"),
        "the rewind dropped the error: {before:?}"
    );
    // The cursor stays on its entry while the file is appended to.
    act(&mut m, Action::First, now());
    act(&mut m, Action::Down, now());
    let on = m.transcript.lines()[m.transcript.cursor].clone();
    let path = home
        .dir
        .path()
        .join("gemini/tmp/webapp/chats/session-2026-08-20T14-00-9f1c2d3e.jsonl");
    append(
        &path,
        r#"{"id":"k11","timestamp":"2026-08-20T14:04:00.000Z","type":"user","content":"and the logout test"}"#,
    );
    step(&mut m, Msg::Disk(Change::Agent(path)), now());
    let after = kinds(&m);
    assert!(after.len() > before.len(), "{after:?}");
    assert_eq!(m.transcript.lines()[m.transcript.cursor], on);
    // Searched in memory: the document is whole.
    m.transcript.search_for("logout");
    support::settle(&mut m);
    assert_eq!(m.transcript.search.as_ref().unwrap().matches.len(), 1);
}

#[test]
fn searching_every_transcript_finds_and_opens_a_session_s_match() {
    let home = Home::with_sessions();
    let mut m = home.model(120, 40, true);
    common::dash::press(&mut m, "F");
    common::dash::type_text(&mut m, "cookie write");
    common::dash::press(&mut m, "Enter");
    let hits: Vec<String> = m
        .corpus
        .as_ref()
        .unwrap()
        .hits
        .iter()
        .map(|h| m.corpus.as_ref().unwrap().targets[h.target].name())
        .collect();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|n| n == "webapp claude 88a8d7"), "{hits:?}");
    common::dash::press(&mut m, "Enter");
    assert_eq!(m.transcript.reference, "webapp claude 88a8d7");
    let LineContent::Session(e) = &m.transcript.lines()[m.transcript.cursor].content else {
        panic!("not on a session's entry");
    };
    assert!(e.text.to_lowercase().contains("cookie write"), "{e:?}");
}
