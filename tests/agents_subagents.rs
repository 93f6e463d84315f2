//! Sub-agents read live (issue 18): while a Claude session is shown, its side directory is
//! watched (a Gemini one's `chats/<session id>/`; Codex's day directories always are); a
//! sub-agent whose transcript appears after its parent's entry was read is linked to it, and a
//! sub-agent opened under its parent reads what is appended to it, as the parent does. A
//! sub-agent is never a run. Headless (every read inline, a fixed clock), and with the real
//! watcher.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "agents/support.rs"]
mod support;

use beadboard::app::action::Action;
use beadboard::app::effect::Effect;
use beadboard::app::event::{Change, Msg};
use beadboard::app::model::{LineContent, Model};
use beadboard::app::watch::Watch;
use beadboard::app::{act, settle, step};
use beadboard::persist::session::EntryKind;
use common::dash::{Home, now};
use common::transcript::session_texts;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::select;

const WEBAPP: &str = "88a8d761-7b9a-4bf1-a8ca-c1febe6bf358";

/// The webapp session's side directory (`<id>/`, with `subagents/`).
fn side(home: &Home) -> PathBuf {
    home.claude().join("projects/-home-dev-webapp").join(WEBAPP)
}

fn append(path: &Path, line: &str) {
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    writeln!(f, "{line}").unwrap();
}

/// The sub-agent's entry in the transcript shown.
fn subagent_entry(m: &Model) -> beadboard::persist::session::Entry {
    m.transcript
        .lines()
        .iter()
        .find_map(|l| match &l.content {
            LineContent::Session(e) if e.kind == EntryKind::Subagent => Some((**e).clone()),
            _ => None,
        })
        .expect("a sub-agent entry")
}

/// Opens the transcript of the session named `name`, and reads it; where its sub-agents
/// write is watched while it is shown (`side`: `None` when nothing more needs watching).
fn open_watching(m: &mut Model, name: &str, side: Option<&Path>) {
    select(m, name);
    beadboard::app::update::apply(m, Action::OpenTranscript, now());
    let effects = m.take_effects();
    let asked = effects.iter().find_map(|e| match e {
        Effect::WatchSubagents(s) => Some(s.as_deref()),
        _ => None,
    });
    assert_eq!(asked.flatten(), side, "{effects:?}");
    settle(m, effects, now());
}

/// Appends `line` to `file`, tells the model of `change`, and finds `text` shown.
fn reads_on(m: &mut Model, file: &Path, line: &str, change: Change, text: &str) {
    append(file, line);
    step(m, Msg::Disk(change), now());
    assert!(
        session_texts(m).iter().any(|t| t == text),
        "{:?}",
        session_texts(m)
    );
}

/// The real watcher of `home`'s roots, also watching `side` (where the sub-agents of a
/// session shown write), and where it reports.
fn watching(home: &Home, side: &Path) -> (Watch, std::sync::mpsc::Receiver<Msg>) {
    let roots = beadboard::config::Roots {
        agentpair: home.agentpair(),
        ntm: home.ntm(),
        beads: None,
        agents: home.agents(),
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watch = Watch::start(&roots, &tx, None);
    assert!(watch.polling.is_none(), "{:?}", watch.polling);
    watch.watch_side(Some(side.to_path_buf())).unwrap();
    (watch, rx)
}

const MORE: &str = r#"{"parentUuid":"s4","isSidechain":true,"cwd":"/home/dev/webapp","sessionId":"88a8d761-7b9a-4bf1-a8ca-c1febe6bf358","agentId":"a1b2c3","type":"assistant","message":{"id":"msg_s3","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[{"type":"text","text":"And one more in src/legacy.js"}],"stop_reason":"end_turn"},"uuid":"s5","timestamp":"2026-11-22T15:01:40.000Z"}"#;

#[test]
fn a_subagent_written_later_is_linked_and_reads_live_under_its_parent() {
    let home = Home::sessions_only();
    let side = side(&home);
    // The sub-agent's transcript is not written yet when its parent is read.
    let later = home.dir.path().join("later");
    std::fs::rename(side.join("subagents"), &later).unwrap();
    let mut m = home.model(120, 40, true);
    open_watching(&mut m, "webapp claude 88a8d7", Some(&side));
    assert!(subagent_entry(&m).subagent.unwrap().path.is_none());

    // It appears: the entry is linked to it.
    std::fs::rename(&later, side.join("subagents")).unwrap();
    let file = side.join("subagents/agent-a1b2c3.jsonl");
    step(&mut m, Msg::Disk(Change::Subagent(file.clone())), now());
    assert_eq!(
        subagent_entry(&m).subagent.unwrap().path,
        Some(file.clone())
    );

    // Opened under its parent, it reads on as it grows.
    act(&mut m, Action::First, now());
    while m.transcript.subagent_here().is_none() {
        act(&mut m, Action::Down, now());
    }
    act(&mut m, Action::ExpandEntry, now());
    assert_eq!(m.transcript.crumbs().len(), 1);
    assert!(
        session_texts(&m)
            .iter()
            .any(|t| t.contains("Found 3 cookie writes"))
    );
    assert_eq!(m.subagent_side(), Some(side.clone()));
    act(&mut m, Action::Last, now());
    append(&file, MORE);
    // A change to another file beside it is no reason to read.
    step(
        &mut m,
        Msg::Disk(Change::Subagent(side.join("subagents/agent-zz.jsonl"))),
        now(),
    );
    assert!(
        !session_texts(&m)
            .iter()
            .any(|t| t.contains("src/legacy.js"))
    );
    step(&mut m, Msg::Disk(Change::Subagent(file)), now());
    assert!(
        session_texts(&m)
            .iter()
            .any(|t| t == "And one more in src/legacy.js"),
        "{:?}",
        session_texts(&m)
    );
    // Back at the parent, the same directory stays watched; another run's transcript asks
    // for none.
    act(&mut m, Action::Dismiss, now());
    assert_eq!(m.subagent_side(), Some(side));
    assert!(m.take_effects().is_empty());
}

#[test]
fn the_real_watcher_reports_a_subagent_growing_beside_the_session_shown() {
    let home = Home::sessions_only();
    let side = side(&home);
    let (watch, rx) = watching(&home, &side);
    let file = side.join("subagents/agent-a1b2c3.jsonl");
    append(&file, MORE);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let msg = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("no event within 5 s");
        if matches!(&msg, Msg::Disk(Change::Subagent(p)) if *p == file) {
            break;
        }
    }
    drop(watch);
}

const PARENT: &str = "0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f";
const THREAD: &str = "0198c7a2-6c2f-7d4e-8a21-3b5c7d9e1f20";
const GEMINI: &str = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";

/// The Codex fixture's sub-agent thread's rollout.
fn thread_rollout(home: &Home) -> PathBuf {
    home.dir.path().join(format!(
        "codex/sessions/2026/08/20/rollout-2026-08-20T16-00-05-{THREAD}.jsonl"
    ))
}

fn names(m: &Model) -> Vec<String> {
    m.runs
        .visible()
        .map(beadboard::present::naming::name)
        .collect()
}

/// Opens the sub-agent under the cursor's entry, from the top of the transcript shown.
fn open_subagent(m: &mut Model) {
    act(m, Action::First, now());
    while m.transcript.subagent_here().is_none() {
        act(m, Action::Down, now());
    }
    act(m, Action::ExpandEntry, now());
    assert_eq!(m.transcript.crumbs().len(), 1);
}

#[test]
fn a_codex_sub_agent_thread_nests_under_its_parent_and_reads_live() {
    let home = Home::sessions_only();
    common::copy_tree(
        &common::fixture("sessions/own/codex"),
        &home.dir.path().join("codex"),
    );
    let thread = thread_rollout(&home);
    // The thread's rollout is not written yet when its parent is read.
    let later = home.dir.path().join("later.jsonl");
    std::fs::rename(&thread, &later).unwrap();
    let mut m = home.model(120, 40, true);
    open_watching(&mut m, "webapp codex 8d0e1f", None);
    let shown = m.transcript.path().unwrap().to_string_lossy().into_owned();
    assert!(shown.ends_with(&format!("{PARENT}.jsonl")), "{shown}");
    let link = subagent_entry(&m).subagent.unwrap();
    assert_eq!((link.id.as_str(), link.path), (THREAD, None));

    // It appears in the day directory: the entry is linked to it, and it is no run.
    std::fs::rename(&later, &thread).unwrap();
    step(&mut m, Msg::Disk(Change::Agent(thread.clone())), now());
    assert_eq!(
        subagent_entry(&m).subagent.unwrap().path,
        Some(thread.clone())
    );
    assert!(
        !names(&m).iter().any(|n| n.contains("9e1f20")),
        "a sub-agent is never a run: {:?}",
        names(&m)
    );

    // Opened under its parent, it reads on as it grows.
    open_subagent(&mut m);
    assert!(
        session_texts(&m)
            .iter()
            .any(|t| t.contains("tests/cookie.spec.ts"))
    );
    act(&mut m, Action::Last, now());
    let line = r#"{"timestamp":"2026-08-20T14:00:31.000Z","type":"event_msg","payload":{"type":"agent_message","message":"and tests/signup.spec.ts too"}}"#;
    let change = Change::Agent(thread.clone());
    reads_on(
        &mut m,
        &thread,
        line,
        change,
        "and tests/signup.spec.ts too",
    );
    act(&mut m, Action::Dismiss, now());
    assert!(m.transcript.crumbs().is_empty());
    assert_eq!(
        m.subagent_side(),
        None,
        "Codex's day directories are watched anyway"
    );
}

#[test]
fn a_gemini_sub_agent_nests_under_its_parent_and_reads_live() {
    let home = Home::sessions_only();
    common::copy_tree(
        &common::fixture("sessions/own/gemini"),
        &home.dir.path().join("gemini"),
    );
    let side = home.dir.path().join("gemini/tmp/webapp/chats").join(GEMINI);
    let file = side.join("sub-1.jsonl");
    // The sub-agent's file is not written yet when its parent is read.
    let later = home.dir.path().join("later");
    std::fs::rename(&side, &later).unwrap();
    let mut m = home.model(120, 40, true);
    open_watching(&mut m, "webapp gemini 9f1c2d", Some(&side));
    assert_eq!(subagent_entry(&m).subagent.unwrap().path, None);

    // It appears: the entry is linked to it.
    std::fs::rename(&later, &side).unwrap();
    step(&mut m, Msg::Disk(Change::Subagent(side.clone())), now());
    assert_eq!(
        subagent_entry(&m).subagent.unwrap().path,
        Some(file.clone())
    );

    // Opened under its parent, it reads on as it grows; its parent's directory stays watched.
    open_subagent(&mut m);
    assert!(
        session_texts(&m)
            .iter()
            .any(|t| t.contains("tests/signup.spec.ts"))
    );
    assert_eq!(m.subagent_side(), Some(side.clone()));
    let line = r#"{"id":"s3","timestamp":"2026-08-20T14:02:39.500Z","type":"gemini","content":"and tests/signup-2.spec.ts","model":"gemini-2.5-flash"}"#;
    let change = Change::Subagent(file.clone());
    reads_on(&mut m, &file, line, change, "and tests/signup-2.spec.ts");
    act(&mut m, Action::Dismiss, now());
    assert_eq!(m.subagent_side(), Some(side));
    assert!(
        !names(&m).iter().any(|n| n.contains("sub-1")),
        "a sub-agent is never a run: {:?}",
        names(&m)
    );
}

#[test]
fn the_real_watcher_reports_codex_and_gemini_sub_agents_growing() {
    let home = Home::sessions_only();
    let codex = home.dir.path().join("codex");
    let gemini = home.dir.path().join("gemini");
    common::copy_tree(&common::fixture("sessions/own/codex"), &codex);
    common::copy_tree(&common::fixture("sessions/own/gemini"), &gemini);
    let side = gemini.join("tmp/webapp/chats").join(GEMINI);
    let (watch, rx) = watching(&home, &side);
    let thread = thread_rollout(&home);
    let sub = side.join("sub-1.jsonl");
    append(
        &thread,
        r#"{"timestamp":"2026-08-20T14:00:31.000Z","type":"event_msg","payload":{"type":"agent_message","message":"more"}}"#,
    );
    append(
        &sub,
        r#"{"id":"s3","timestamp":"2026-08-20T14:02:39.500Z","type":"gemini","content":"more"}"#,
    );
    let (mut codex_seen, mut gemini_seen) = (false, false);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !(codex_seen && gemini_seen) {
        let msg = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("no event within 5 s");
        codex_seen |= matches!(&msg, Msg::Disk(Change::Agent(p)) if *p == thread);
        gemini_seen |= matches!(&msg, Msg::Disk(Change::Subagent(p)) if *p == sub);
    }
    drop(watch);
}
