//! Snapshot tests (TestBackend + insta, fixed clock) of the dashboard with two hosts besides
//! this machine: `gpu1` live with runs and cards of its own (the same names as this machine's,
//! kept apart by host), `vm` down. The Runs pane's HOST column and host line, the board's
//! `gpu1:` cards, and the header's host strip, at 80×24, 120×40 and 200×50.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::event::Msg;
use beadboard::app::model::{HostNews, HostStatus, Model, Pane};
use beadboard::app::step;
use beadboard::remote::Update;
use common::dash::{Home, now, press, screen};
use insta::assert_snapshot;
use serde_json::{Value, json};

fn run(reference: &str, name: &str, to: &str) -> Value {
    json!({"event": "run", "at": "2026-11-22T16:04:00Z", "kind": "run", "name": name,
        "reference": reference, "run": reference, "to": to,
        "dir": format!("/home/dev/.agentpair/runs/{reference}")})
}

fn bead(session: &str, bead: &str, title: &str, to: &str, pane: i64, agent: &str) -> Value {
    json!({"event": "bead", "at": "2026-11-22T16:04:00Z", "kind": "bead", "session": session,
        "name": bead, "reference": format!("{session}/{bead}"), "title": title, "to": to,
        "pane": pane, "agent": agent, "bead": bead})
}

fn attention(kind: &str, reference: &str, name: &str, code: &str, state: &str) -> Value {
    json!({"event": "attention", "at": "2026-11-22T16:04:00Z", "kind": kind, "name": name,
        "reference": reference, "level": "attention", "previous": "fine",
        "reason": format!("{state}: agent gave up"), "reason_code": code,
        "key": format!("{code}@1"), "state": state, "session": null,
        "repo": "/home/dev/src/api", "new": true, "id": reference})
}

fn news(m: &mut Model, news: HostNews) {
    step(m, Msg::Host(news), now());
}

/// gpu1's snapshot of `events`.
fn gpu1_said(m: &mut Model, events: Vec<Value>) {
    let host = "gpu1".to_owned();
    news(
        m,
        HostNews::Said(Box::new(Update::Snapshot { host, events })),
    );
}

/// `host` is live, 12 ms away.
fn live(m: &mut Model, host: &str) {
    let status = HostStatus::Live {
        version: "0.1.0".to_owned(),
        latency: Some(std::time::Duration::from_millis(12)),
    };
    news(
        m,
        HostNews::Status {
            host: host.to_owned(),
            status,
        },
    );
}

/// The golden data here, `gpu1` live with two runs and three cards, `vm` down.
fn model(w: u16, h: u16) -> (Home, Model) {
    let home = Home::golden();
    let mut m = home.model(w, h, true);
    m.show_hosts(true, &["gpu1".to_owned(), "vm".to_owned()], now());
    live(&mut m, "gpu1");
    gpu1_said(
        &mut m,
        vec![
            run("43d7567239bfd176/2", "api #2", "working"),
            run("43d7567239bfd176/7", "api #7", "failed"),
            attention("run", "43d7567239bfd176/7", "api #7", "failed", "failed"),
            bead(
                "webapp",
                "wa-9p4e",
                "Upgrade React Router to v7",
                "assigned",
                3,
                "codex",
            ),
            bead("webapp", "wa-1f6b", "Add CSV export", "failed", 6, "claude"),
            attention("bead", "webapp/wa-1f6b", "wa-1f6b", "failed", "failed"),
            bead("ml", "ml-2", "Train the ranker", "working", 1, "claude"),
        ],
    );
    let at = now() - chrono::Duration::seconds(3);
    news(
        &mut m,
        HostNews::Status {
            host: "vm".to_owned(),
            status: HostStatus::Down {
                why: beadboard::remote::DownReason::Ended {
                    host: "vm".to_owned(),
                    how: "exit 255".to_owned(),
                    detail: "ssh: connect to host vm port 22: Connection refused".to_owned(),
                },
                at,
                retry_at: now() + chrono::Duration::seconds(8),
            },
        },
    );
    (home, m)
}

fn runs(w: u16, h: u16) -> String {
    let (_home, mut m) = model(w, h);
    m.focus = Pane::Runs;
    screen(&m)
}

fn board(w: u16, h: u16) -> String {
    let (_home, mut m) = model(w, h);
    m.focus = Pane::Board;
    screen(&m)
}

#[test]
fn runs_with_hosts() {
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let text = runs(w, h);
        // Every size says which host each run is on, and that vm is down.
        assert!(text.contains("HOST"), "{text}");
        assert!(text.contains("gpu1  api #2"), "{text}");
        assert!(text.contains("local api #2"), "{text}");
        assert!(text.contains("vm: down 3s ago, retry in 8s"), "{text}");
        assert_snapshot!(format!("runs_hosts_{w}x{h}"), text);
    }
}

#[test]
fn board_with_hosts() {
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let text = board(w, h);
        assert!(text.contains("gpu1:wa-9p4e"), "{text}");
        assert_snapshot!(format!("board_hosts_{w}x{h}"), text);
    }
}

#[test]
fn the_host_strip_gives_way_and_says_each_state() {
    let wide = runs(200, 50);
    let header = wide.lines().next().unwrap();
    assert!(
        header.contains("local ● gpu1 ● 12ms vm ✗ down, retry in 8s"),
        "{header}"
    );
    let narrow = runs(80, 24);
    let header = narrow.lines().next().unwrap();
    assert!(header.contains("⇅2/3"), "{header}");
    // The countdown is worded when drawn: a second later it says 7s.
    let (_home, m) = model(200, 50);
    let later = common::dash::screen_at(&m, now() + chrono::Duration::seconds(1));
    assert!(
        later.lines().next().unwrap().contains("retry in 7s"),
        "{later}"
    );
}

/// A remote run whose host says its facts shows them as the same run here does: ITER,
/// ELAPSED, ACTIVITY, the repo and the prompt, worded when drawn from the moments the host
/// sent. (gpu1's `api #2` has the reference of this machine's `webapp #2`: the facts are that
/// run's, as its host would send them.)
fn with_facts(w: u16, h: u16) -> String {
    let (_home, mut m) = model(w, h);
    let local = m
        .runs
        .all()
        .find(|r| r.host().is_none() && r.reference() == "43d7567239bfd176/2")
        .expect("the local api #2")
        .clone();
    let facts = beadboard::persist::run::RunFacts::of(&local, now());
    let mut event = run("43d7567239bfd176/2", "api #2", "working");
    event["from"] = json!("working");
    event["facts"] = serde_json::to_value(&facts).unwrap();
    news(
        &mut m,
        HostNews::Said(Box::new(Update::Event {
            host: "gpu1".to_owned(),
            event,
        })),
    );
    m.focus = Pane::Runs;
    screen(&m)
}

/// The cells after the run's name on the row of `host`'s `name`.
fn cells_of<'a>(text: &'a str, host: &str, name: &str) -> &'a str {
    let row = format!("{host:<5} {name}");
    let line = text
        .lines()
        .find(|l| l.contains(&row))
        .unwrap_or_else(|| panic!("no row {row:?} in\n{text}"));
    let at = line.find(&row).unwrap() + row.len();
    let end = line[at..].find(['┃', '│']).map_or(line.len(), |e| at + e);
    line[at..end].trim_start()
}

#[test]
fn a_remote_runs_row_shows_its_facts_like_the_same_run_here() {
    for (w, h) in [(120, 40), (200, 50)] {
        let text = with_facts(w, h);
        let (remote, local) = (
            cells_of(&text, "gpu1", "api #2"),
            cells_of(&text, "local", "webapp #2"),
        );
        assert_eq!(remote, local, "{text}");
        assert!(remote.contains("2/20") && remote.contains("ago"), "{text}");
        if w == 200 {
            // ELAPSED and the prompt too.
            assert!(!remote.contains(" - "), "{text}");
        }
        assert_snapshot!(format!("runs_hosts_facts_{w}x{h}"), text);
    }
}

#[test]
fn attention_spans_hosts() {
    use beadboard::events::Item;
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let (_home, mut m) = model(w, h);
        // gpu1's failed card counts with this machine's (5 here, 1 there)…
        assert_eq!(m.observer.attention_count(), 6);
        // …and `i` walks to it, selecting it on the board and saying why.
        let gpu1 = Item::HostBead {
            host: "gpu1".to_owned(),
            session: "webapp".to_owned(),
            bead: "wa-1f6b".to_owned(),
        };
        let mut steps = 0;
        while m.selected_item() != Some(gpu1.clone()) {
            assert!(steps < 10, "i never reached gpu1's card");
            m.next_attention();
            steps += 1;
        }
        let text = screen(&m);
        assert!(text.contains("gpu1:wa-1f6b"), "{text}");
        assert_snapshot!(format!("attention_hosts_{w}x{h}"), text);
        // Acknowledged, it stops counting and its flag is hollow.
        m.acknowledge(&[gpu1]);
        assert_eq!(m.observer.attention_count(), 5);
        let text = screen(&m);
        assert!(text.contains("⚐ failed: agent ga"), "{text}");
    }
}

/// This machine with no NTM session at all, `gpu1` live with beads in two sessions.
fn remote_sessions_only(w: u16, h: u16) -> (Home, Model) {
    let home = Home::empty();
    let mut m = home.model(w, h, true);
    m.show_hosts(true, &["gpu1".to_owned()], now());
    live(&mut m, "gpu1");
    gpu1_said(
        &mut m,
        vec![
            bead(
                "webapp",
                "wa-9p4e",
                "Upgrade React Router",
                "assigned",
                3,
                "codex",
            ),
            bead(
                "webapp",
                "wa-1f6b",
                "Add CSV export",
                "working",
                6,
                "claude",
            ),
            bead("ml", "ml-2", "Train the ranker", "completed", 1, "claude"),
        ],
    );
    press(&mut m, "3");
    (home, m)
}

/// The screen with the temp home's path as `[HOME]`.
fn shot(home: &Home, m: &Model) -> String {
    screen(m).replace(&home.dir.path().display().to_string(), "[HOME]")
}

#[test]
fn a_hosts_sessions_show_when_this_machine_has_none() {
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let (home, mut m) = remote_sessions_only(w, h);
        // The board shows gpu1's cards, and says this machine has no session.
        let text = shot(&home, &m);
        assert!(!text.contains("no NTM sessions"), "{text}");
        assert!(!text.contains("No assignment stores in"), "{text}");
        assert!(text.contains("gpu1:wa-1f6b"), "{text}");
        assert!(text.contains("gpu1 2 sessions 3 beads"), "{text}");
        assert!(text.contains("No NTM session on this machine"), "{text}");
        assert_snapshot!(format!("remote_sessions_only_{w}x{h}"), text);
        // The picker lists each of gpu1's sessions with its host and counts.
        press(&mut m, "S");
        let text = shot(&home, &m);
        assert!(text.contains("gpu1:webapp"), "{text}");
        assert!(text.contains("gpu1:ml"), "{text}");
        assert_snapshot!(format!("remote_sessions_picker_{w}x{h}"), text);
        // Picked, one host's session is shown alone.
        press(&mut m, "End Enter");
        assert_eq!(
            m.board.host_session,
            Some(("gpu1".to_owned(), "webapp".to_owned()))
        );
        let text = shot(&home, &m);
        assert!(text.contains("gpu1:webapp 2 beads"), "{text}");
        assert!(!text.contains("gpu1:ml-2"), "{text}");
        assert_snapshot!(format!("remote_session_picked_{w}x{h}"), text);
    }
}
