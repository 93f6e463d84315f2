//! Snapshots of the Runs pane and the Transcript pane with agent sessions (Claude Code read
//! from the dashboard's own fixture; Codex, Gemini and OpenCode sessions given as their
//! summaries and entries, as their readers hand them over) at 80×24, 120×40 and 200×50, with a
//! fixed clock and fixed file times; and the pane's behaviour on them: states, sub-agents,
//! cut entries, search and error jumps.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "agents/support.rs"]
mod support;

use beadboard::app::act as apply;
use beadboard::app::action::Action;
use beadboard::app::model::{Model, Pane};
use common::dash::{Home, now, screen};
use insta::assert_snapshot;
use support::{four_agents, open_document, select, settle};

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 50)];

fn act(model: &mut Model, actions: &[Action]) {
    for a in actions {
        apply(model, *a, now());
    }
    settle(model);
}

/// The screen with the temp home's path replaced.
fn shown(home: &Home, m: &Model) -> String {
    screen(m).replace(&home.dir.path().display().to_string(), "[HOME]")
}

#[test]
fn runs_with_every_agent() {
    let home = Home::with_sessions();
    for (w, h) in SIZES {
        let mut m = home.model(w, h, true);
        four_agents(&mut m);
        // A session selected: its model and tokens show under the list.
        select(&mut m, "webapp codex 8d0e1f");
        assert_snapshot!(format!("runs_agents_{w}x{h}"), shown(&home, &m));
    }
}

#[test]
fn claude_transcript() {
    let home = Home::sessions_only();
    for (w, h) in SIZES {
        let mut m = home.model(w, h, true);
        // The webapp session: its last record is an API error, so it failed.
        select(&mut m, "webapp claude 88a8d7");
        act(&mut m, &[Action::OpenTranscript]);
        assert_snapshot!(format!("transcript_claude_{w}x{h}"), shown(&home, &m));
    }
}

#[test]
fn document_transcripts_of_the_other_agents() {
    let home = Home::empty();
    for (w, h) in SIZES {
        let mut m = home.model(w, h, true);
        four_agents(&mut m);
        for agent in ["codex", "gemini", "opencode"] {
            open_document(&mut m, agent);
            assert_snapshot!(format!("transcript_{agent}_{w}x{h}"), shown(&home, &m));
        }
    }
}

#[test]
fn a_subagent_opens_under_its_parent_and_esc_returns() {
    let home = Home::sessions_only();
    let mut m = home.model(120, 40, true);
    select(&mut m, "webapp claude 88a8d7");
    act(&mut m, &[Action::OpenTranscript, Action::First]);
    // Down to the sub-agent's entry.
    while m.transcript.subagent_here().is_none() {
        act(&mut m, &[Action::Down]);
    }
    let at = m.transcript.cursor;
    act(&mut m, &[Action::ExpandEntry]);
    assert_eq!(m.transcript.crumbs().len(), 1);
    assert!(
        m.transcript
            .reference
            .starts_with("webapp claude 88a8d7 › "),
        "{}",
        m.transcript.reference
    );
    assert_snapshot!("transcript_subagent_120x40", shown(&home, &m));
    act(&mut m, &[Action::Dismiss]);
    assert!(m.transcript.crumbs().is_empty());
    assert_eq!(m.transcript.reference, "webapp claude 88a8d7");
    assert_eq!(m.transcript.cursor, at, "back at the sub-agent's entry");
    assert_eq!(m.focus, Pane::Transcript);
}

#[test]
fn a_run_name_that_fills_its_column_keeps_a_space_before_the_next() {
    let home = Home::empty();
    let mut m = home.model(200, 50, true);
    let mut runs = support::others();
    // Names of 25 columns (the widest column the RUN column gets) and of 24.
    for (cwd, id) in [
        (
            "/home/dev/example-apps",
            "0198c7a2-0000-7000-9000-000000aaaaaa",
        ),
        (
            "/home/dev/example-app",
            "0198c7a2-0000-7000-9000-000000bbbbbb",
        ),
    ] {
        let mut s = runs[0].clone();
        s.cwd = cwd.to_owned();
        s.id = id.to_owned();
        // Its own file: a session is listed by where it is kept.
        s.source = beadboard::persist::session::SessionSource::Document(
            format!("/h/.codex/sessions/rollout-{id}.jsonl").into(),
        );
        runs.push(s);
    }
    support::list(&mut m, runs);
    let screen = shown(&home, &m);
    let row = |name: &str| {
        screen
            .lines()
            .find(|l| l.contains(name) && l.contains("▶ working"))
            .unwrap_or_else(|| panic!("{name}'s row in\n{screen}"))
            .to_owned()
    };
    // Cut one column short of the next, with `…`.
    assert!(
        row("example-apps codex aaaa").contains("example-apps codex aaaa… /home/dev/example-apps"),
        "{screen}"
    );
    // Exactly as wide as the column less its gap: shown whole, then the gap.
    assert!(
        row("example-app codex bbbbbb").contains("example-app codex bbbbbb /home/dev/example-app"),
        "{screen}"
    );
}
