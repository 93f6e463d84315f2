//! Agent sessions in the dashboard's model, as files come and go: checks and rescans of the
//! agentpair runs leave the sessions listed; a new session file, a file that is no session and
//! one made while the sessions are listed are each read once, with no listing asked for. (The
//! sessions as runs, the clock, the registry and search: `agents_model.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "agents/support.rs"]
mod support;

use beadboard::app::effect::{AgentTarget, Effect};
use beadboard::app::event::{Change, Msg};
use beadboard::app::model::Model;
use beadboard::app::update::update;
use beadboard::app::{settle, step};
use beadboard::present::naming;
use common::dash::{Home, now};
use std::path::PathBuf;
use support::{api_file, append, select, webapp_file};

#[test]
fn checks_and_rescans_of_the_agentpair_runs_leave_the_sessions_listed() {
    let home = Home::with_sessions();
    let mut m = home.model(120, 40, true);
    let sessions = |m: &Model| m.runs.all().filter(|r| r.session().is_some()).count();
    assert_eq!(sessions(&m), 2);
    // The minutely check against the disk, a whole rescan, and a watch set up: none of them
    // takes a session for an agentpair run that vanished.
    m.runs.verify();
    support::settle(&mut m);
    assert_eq!(sessions(&m), 2);
    m.runs.reload_all(now());
    support::settle(&mut m);
    assert_eq!(sessions(&m), 2);
    step(
        &mut m,
        Msg::Done(beadboard::app::outcome::Outcome::RunsWatched(vec![
            webapp_file(&home),
        ])),
        now(),
    );
    assert_eq!(sessions(&m), 2);
    step(&mut m, Msg::Disk(Change::Run(api_file(&home))), now());
    assert_eq!(sessions(&m), 2);
    let effects = m.take_effects();
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, beadboard::app::effect::Effect::WatchRuns(_))),
        "no session is watched as a run directory: {effects:?}"
    );
}

/// How many of `effects` list every session, and the files they ask to read as new.
fn listings_and_new_reads(effects: &[Effect]) -> (usize, Vec<PathBuf>) {
    let scans = effects
        .iter()
        .filter(|e| matches!(e, Effect::ScanAgents(_)))
        .count();
    let new = effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadAgent(load) => match &load.file {
                AgentTarget::New(path) => Some(path.clone()),
                AgentTarget::Listed(_) => None,
            },
            _ => None,
        })
        .collect();
    (scans, new)
}

#[test]
fn a_new_session_file_is_read_on_its_own_and_no_listing_is_asked_for() {
    let home = Home::sessions_only();
    let mut m = home.model(120, 40, true);
    select(&mut m, "api claude c3fb0a");
    let before = m.runs.all().count();
    let id = "5d0c7a1e-0b1b-4c5e-9a8e-3f2d1c0b9a87";
    let path = home
        .claude()
        .join("projects/-home-dev-api")
        .join(format!("{id}.jsonl"));
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"user","sessionId":"{id}","cwd":"/home/dev/api","timestamp":"2026-11-22T16:10:00.000Z","message":{{"role":"user","content":"add a health check"}}}}"#
        ) + "\n",
    )
    .unwrap();
    let effects = update(&mut m, Msg::Disk(Change::Agent(path.clone())), now());
    assert_eq!(
        listings_and_new_reads(&effects),
        (0, vec![path.clone()]),
        "one read of the new file, no listing: {effects:?}"
    );
    settle(&mut m, effects, now());
    let run = m.runs.get(&path).expect("the new session is a run");
    assert_eq!(run.session().map(|s| s.summary.id.as_str()), Some(id));
    assert_eq!(m.runs.all().count(), before + 1);
    let selected = m.runs.selected().map(naming::name);
    assert_eq!(
        selected.as_deref(),
        Some("api claude c3fb0a"),
        "selection kept"
    );
    // Listed now: its next change reads it again (from where it stopped), still no listing.
    append(
        &path,
        &format!(
            r#"{{"type":"assistant","sessionId":"{id}","cwd":"/home/dev/api","timestamp":"2026-11-22T16:10:30.000Z","message":{{"id":"msg_h1","role":"assistant","model":"claude-opus-4-1-20250805","content":[{{"type":"text","text":"Added."}}],"stop_reason":"end_turn","usage":{{"input_tokens":10,"output_tokens":5}}}}}}"#
        ),
    );
    let effects = update(&mut m, Msg::Disk(Change::Agent(path.clone())), now());
    let reads = effects
        .iter()
        .filter(|e| matches!(e, Effect::LoadAgent(l) if matches!(&l.file, AgentTarget::Listed(f) if f.source.file() == Some(&path))))
        .count();
    assert_eq!(
        (listings_and_new_reads(&effects).0, reads),
        (0, 1),
        "{effects:?}"
    );
    settle(&mut m, effects, now());
    assert_eq!(m.runs.all().count(), before + 1);
}

#[test]
fn a_file_that_is_no_session_is_read_once_and_nothing_is_listed() {
    let home = Home::sessions_only();
    let mut m = home.model(120, 40, true);
    let before = m.runs.all().count();
    // Beside the sessions: a sub-agent's older sibling file, never a session by its name.
    let sibling = home
        .claude()
        .join("projects/-home-dev-api/agent-1a2b.jsonl");
    std::fs::write(&sibling, "{}\n").unwrap();
    let effects = update(&mut m, Msg::Disk(Change::Agent(sibling.clone())), now());
    assert_eq!(listings_and_new_reads(&effects), (0, vec![sibling.clone()]));
    settle(&mut m, effects, now());
    assert_eq!(m.runs.all().count(), before);
    let effects = update(&mut m, Msg::Disk(Change::Agent(sibling)), now());
    assert!(
        effects.is_empty(),
        "its next change asks for nothing: {effects:?}"
    );
}

#[test]
fn a_file_made_while_the_sessions_are_listed_is_read_once_the_listing_lands() {
    let home = Home::sessions_only();
    let mut m = home.model(120, 40, true);
    m.runs.scan_agents(now());
    let scan = m.take_effects();
    assert_eq!(listings_and_new_reads(&scan).0, 1);
    let id = "77e0c7a1-0b1b-4c5e-9a8e-3f2d1c0b9a87";
    let path = home
        .claude()
        .join("projects/-home-dev-webapp")
        .join(format!("{id}.jsonl"));
    // The change comes while the listing is under way (and before it looks): it waits.
    let effects = update(&mut m, Msg::Disk(Change::Agent(path.clone())), now());
    assert!(effects.is_empty(), "{effects:?}");
    settle(&mut m, scan, now());
    // The file was not there when the listing looked, so it was not listed; written now,
    // it is read on its own.
    assert!(m.runs.get(&path).is_none());
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"user","sessionId":"{id}","cwd":"/home/dev/webapp","timestamp":"2026-11-22T16:10:00.000Z","message":{{"role":"user","content":"fix the header"}}}}"#
        ) + "\n",
    )
    .unwrap();
    let effects = update(&mut m, Msg::Disk(Change::Agent(path.clone())), now());
    assert_eq!(listings_and_new_reads(&effects), (0, vec![path.clone()]));
    settle(&mut m, effects, now());
    assert!(m.runs.get(&path).is_some());
}
