//! Sub-agents read live (issue 18): while a Claude session is shown, its side directory is
//! watched; a sub-agent whose transcript appears after its parent's entry was read is linked to
//! it, and a sub-agent opened under its parent reads what is appended to it, as the parent
//! does. Headless (every read inline, a fixed clock), and once with the real watcher.
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

fn texts(m: &Model) -> Vec<String> {
    m.transcript
        .lines()
        .iter()
        .filter_map(|l| match &l.content {
            LineContent::Session(e) => Some(e.text.clone()),
            _ => None,
        })
        .collect()
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
    select(&mut m, "webapp claude 88a8d7");
    beadboard::app::update::apply(&mut m, Action::OpenTranscript, now());
    let effects = m.take_effects();
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::WatchSubagents(Some(s)) if *s == side)),
        "the session's side directory is watched while it is shown: {effects:?}"
    );
    settle(&mut m, effects, now());
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
        texts(&m)
            .iter()
            .any(|t| t.contains("Found 3 cookie writes"))
    );
    assert_eq!(m.transcript.subagent_side(), Some(side.clone()));
    act(&mut m, Action::Last, now());
    append(&file, MORE);
    // A change to another file beside it is no reason to read.
    step(
        &mut m,
        Msg::Disk(Change::Subagent(side.join("subagents/agent-zz.jsonl"))),
        now(),
    );
    assert!(!texts(&m).iter().any(|t| t.contains("src/legacy.js")));
    step(&mut m, Msg::Disk(Change::Subagent(file)), now());
    assert!(
        texts(&m)
            .iter()
            .any(|t| t == "And one more in src/legacy.js"),
        "{:?}",
        texts(&m)
    );
    // Back at the parent, the same directory stays watched; another run's transcript asks
    // for none.
    act(&mut m, Action::Dismiss, now());
    assert_eq!(m.transcript.subagent_side(), Some(side));
    assert!(m.take_effects().is_empty());
}

#[test]
fn the_real_watcher_reports_a_subagent_growing_beside_the_session_shown() {
    let home = Home::sessions_only();
    let side = side(&home);
    let roots = beadboard::config::Roots {
        agentpair: home.agentpair(),
        ntm: home.ntm(),
        beads: None,
        agents: home.agents(),
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watch = Watch::start(&roots, &tx, None);
    assert!(watch.polling.is_none(), "{:?}", watch.polling);
    watch.watch_side(Some(side.clone())).unwrap();
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
