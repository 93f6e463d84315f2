//! Snapshots of the Runs pane and the Transcript pane with sessions of all four agents, every
//! one read through the real readers from files and a database (Claude Code's, Codex's and
//! Gemini's fixtures, an OpenCode database written from SQL: see `agents/every.rs`) at 80×24,
//! 120×40 and 200×50, with a fixed clock and fixed file times; and the pane's behaviour on
//! them: states, sub-agents, cut entries, search and error jumps.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "agents/every.rs"]
mod every;
#[path = "agents/support.rs"]
mod support;

use beadboard::app::act as apply;
use beadboard::app::action::Action;
use beadboard::app::model::{Model, Pane};
use common::dash::{Home, now, screen};
use every::every_agent;
use insta::assert_snapshot;
use ratatui::style::Color;
use support::{select, settle};

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
    let home = every_agent();
    for (w, h) in SIZES {
        let mut m = home.model(w, h, true);
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

/// Selects the session whose id is `id` and opens its transcript, read as the workers read it.
fn open(m: &mut Model, id: &str) {
    let at = m
        .runs
        .visible()
        .position(|r| r.session().is_some_and(|s| s.summary.id == id))
        .unwrap_or_else(|| panic!("no session {id}"));
    m.runs.select_index(at);
    // Opened already when it was listed first: open it afresh.
    m.transcript.close();
    act(m, &[Action::OpenTranscript]);
}

#[test]
fn transcripts_of_the_other_agents() {
    let home = every_agent();
    for (w, h) in SIZES {
        let mut m = home.model(w, h, true);
        for (agent, id) in [
            ("codex", "0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f"),
            ("gemini", "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"),
            ("opencode", every::OPENCODE),
        ] {
            open(&mut m, id);
            assert_eq!(m.transcript.reference, naming_of(&m, id), "{agent}");
            assert_snapshot!(format!("transcript_{agent}_{w}x{h}"), shown(&home, &m));
            if w == 200 {
                errors_are_highlighted(&m, agent);
            }
        }
    }
}

/// The failed tool result and the error of `agent`'s session are labelled in the error
/// colour; a result that did not fail is not. (Gemini's error was rewound away.)
fn errors_are_highlighted(m: &Model, agent: &str) {
    let rows: &[(&str, &str, bool)] = match agent {
        "codex" => &[
            ("Exit code: 1", "◂ result", true),
            ("stream disconnected", "✗ error", true),
            ("spawn_agent:", "◂ result", false),
        ],
        "gemini" => &[
            ("File not found", "◂ result", true),
            ("1 failing", "◂ result", false),
        ],
        _ => &[
            ("ENOENT", "◂ read", true),
            ("APIError: Overloaded", "✗ error", true),
            ("test result: ok", "◂ bash", false),
        ],
    };
    for (text, label, failed) in rows {
        let colour = label_colour(m, text, label).unwrap_or_else(|| panic!("{agent}: {text}"));
        assert_eq!(
            colour == Color::Red,
            *failed,
            "{agent}: {text} in {colour:?}"
        );
    }
}

/// The colour of `label` on the row of the Transcript pane that shows `text`.
fn label_colour(m: &Model, text: &str, label: &str) -> Option<Color> {
    let terminal = common::dash::draw(m);
    let buf = terminal.backend().buffer();
    (0..buf.area.height).find_map(|y| {
        let cells: Vec<&str> = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        let row = cells.concat();
        row.contains(text).then_some(())?;
        let at = row.find(label)?;
        let x = row[..at].chars().count();
        Some(buf[(u16::try_from(x).unwrap(), y)].fg)
    })
}

/// The display name of the session whose id is `id`.
fn naming_of(m: &Model, id: &str) -> String {
    let run = m
        .runs
        .all()
        .find(|r| r.session().is_some_and(|s| s.summary.id == id))
        .unwrap();
    beadboard::present::naming::name(run)
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
