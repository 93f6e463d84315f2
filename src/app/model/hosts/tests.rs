//! Hosts' news through `update`, with made-up frames: runs of two hosts kept apart, states,
//! changes, a snapshot after a reconnection, and attention announced across hosts.

use super::*;
use crate::app::event::Msg;
use crate::app::model::{Model, Settings};
use crate::app::{settle, step};
use crate::events::Event;
use crate::present::attention::Level;
use crate::present::naming;
use crate::remote::Update;
use serde_json::{Value, json};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// A model on roots that hold nothing, at 120×40, at the tests' `now`, before any host is
/// shown.
fn fresh() -> (Model, DateTime<Utc>) {
    let roots = crate::config::Roots {
        agentpair: "/nowhere/ap".into(),
        ntm: "/nowhere/ntm".into(),
        beads: None,
        agents: Default::default(),
    };
    let now = at("2026-03-30T09:00:00Z");
    let m = Model::new(
        roots,
        Settings::default(),
        crate::app::keymap::Keymap::default(),
        (120, 40),
        now,
    );
    (m, now)
}

/// This machine and `hosts`, settled.
fn model(hosts: &[&str]) -> Model {
    let (mut m, now) = fresh();
    let names: Vec<String> = hosts.iter().map(|h| (*h).to_owned()).collect();
    m.show_hosts(true, &names, now);
    let effects = m.take_effects();
    settle(&mut m, effects, now);
    m
}

fn run(reference: &str, name: &str, to: Option<&str>) -> Value {
    let mut v = json!({"event": "run", "at": "2026-03-30T08:59:00Z", "kind": "run",
        "name": name, "reference": reference, "run": reference,
        "dir": format!("/home/me/.agentpair/runs/{reference}")});
    if let Some(to) = to {
        v["to"] = json!(to);
    }
    v
}

fn attention(reference: &str, name: &str, level: &str, code: &str, state: &str) -> Value {
    json!({"event": "attention", "at": "2026-03-30T08:59:00Z", "kind": "run", "name": name,
        "reference": reference, "level": level, "previous": "fine", "reason": format!("{code} here"),
        "reason_code": code, "key": format!("{code}@1"), "state": state, "session": null,
        "repo": "/home/me/api", "new": true, "id": reference})
}

/// What a host reported, as the event loop's message.
fn said(update: Update) -> Msg {
    Msg::Host(HostNews::Said(Box::new(update)))
}

fn snapshot(host: &str, events: Vec<Value>) -> Msg {
    said(Update::Snapshot {
        host: host.to_owned(),
        events,
    })
}

fn event(host: &str, event: Value) -> Msg {
    said(Update::Event {
        host: host.to_owned(),
        event,
    })
}

fn names(m: &Model) -> Vec<String> {
    let mut names: Vec<String> = m.runs.all().map(naming::name).collect();
    names.sort();
    names
}

#[test]
fn two_hosts_same_run_are_two_rows_named_by_host() {
    let mut m = model(&["gpu1", "gpu2"]);
    let now = at("2026-03-30T09:00:01Z");
    for host in ["gpu1", "gpu2"] {
        step(
            &mut m,
            snapshot(host, vec![run("abc/4", "api #4", Some("working"))]),
            now,
        );
    }
    assert_eq!(names(&m), ["gpu1:api #4", "gpu2:api #4"]);
    let hosts: Vec<_> = m.runs.all().map(|r| r.host().unwrap().to_owned()).collect();
    assert_eq!(hosts.len(), 2);
    assert!(m.hosts.several());
    assert_eq!(m.hosts.get("gpu1").unwrap().last_data, Some(now));
    // The filter spans hosts: the host's name finds its runs.
    m.runs.set_filter("gpu2".to_owned());
    let shown: Vec<String> = m.runs.visible().map(naming::name).collect();
    assert_eq!(shown, ["gpu2:api #4"]);
}

#[test]
fn changes_move_and_remove_runs_and_a_new_snapshot_replaces_them() {
    let mut m = model(&["gpu1"]);
    let now = at("2026-03-30T09:00:01Z");
    step(
        &mut m,
        snapshot(
            "gpu1",
            vec![
                run("abc/4", "api #4", Some("working")),
                run("abc/5", "api #5", Some("working")),
            ],
        ),
        now,
    );
    step(
        &mut m,
        event("gpu1", run("abc/4", "api #4", Some("completed"))),
        now,
    );
    let done = m
        .runs
        .all()
        .find(|r| r.run_key == "4")
        .map(|r| r.state().as_str().to_owned());
    assert_eq!(done.as_deref(), Some("completed"));
    step(&mut m, event("gpu1", run("abc/5", "api #5", None)), now);
    assert_eq!(names(&m), ["gpu1:api #4"]);
    // A reconnection's snapshot is the whole truth: what it leaves out is gone.
    step(
        &mut m,
        snapshot("gpu1", vec![run("abc/6", "api #6", Some("submitted"))]),
        now,
    );
    assert_eq!(names(&m), ["gpu1:api #6"]);
    assert_eq!(m.hosts.get("gpu1").unwrap().runs.len(), 1);
    // Unknown events and other hosts' names change nothing.
    step(&mut m, event("gpu1", json!({"event": "entry"})), now);
    step(
        &mut m,
        event("nohost", run("x/1", "x #1", Some("working"))),
        now,
    );
    assert_eq!(names(&m), ["gpu1:api #6"]);
}

#[test]
fn a_hosts_conditions_count_and_are_announced_after_its_first_snapshot() {
    let mut m = model(&["gpu1"]);
    let now = at("2026-03-30T09:00:01Z");
    // What the first snapshot finds is shown, not announced.
    step(
        &mut m,
        snapshot(
            "gpu1",
            vec![
                run("abc/4", "api #4", Some("failed")),
                attention("abc/4", "api #4", "attention", "failed", "failed"),
                run("abc/5", "api #5", Some("working")),
            ],
        ),
        now,
    );
    assert_eq!(m.observer.needing_attention().len(), 1);
    assert!(m.notices.is_empty(), "{:?}", m.notices);
    // A change after it is news, named with its host.
    step(
        &mut m,
        event("gpu1", run("abc/5", "api #5", Some("working"))),
        now,
    );
    step(
        &mut m,
        event(
            "gpu1",
            attention("abc/5", "api #5", "attention", "stale", "working"),
        ),
        now,
    );
    assert_eq!(m.observer.needing_attention().len(), 2);
    let announced: Vec<&str> = m
        .notices
        .iter()
        .filter_map(|e| match e {
            Event::Attention {
                name,
                level: Level::Attention,
                ..
            } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(announced, ["gpu1:api #5"]);
    // `i` walks to it across hosts.
    let order = m.attention_order();
    assert_eq!(order.len(), 2);
}

#[test]
fn states_are_kept_as_reported() {
    let mut m = model(&["gpu1", "vm"]);
    let now = at("2026-03-30T09:00:01Z");
    let down = HostStatus::Down {
        why: crate::remote::DownReason::Ended {
            host: "vm".to_owned(),
            how: "exit 255".to_owned(),
            detail: "ssh: connect to host vm: Connection refused".to_owned(),
        },
        at: now,
        retry_at: now + chrono::Duration::seconds(8),
    };
    step(
        &mut m,
        Msg::Host(HostNews::Status {
            host: "vm".to_owned(),
            status: down.clone(),
        }),
        now,
    );
    step(
        &mut m,
        Msg::Host(HostNews::Status {
            host: "gpu1".to_owned(),
            status: HostStatus::Live {
                version: "0.1.0".to_owned(),
                latency: Some(std::time::Duration::from_millis(12)),
            },
        }),
        now,
    );
    assert_eq!(m.hosts.get("vm").unwrap().status, down);
    assert_eq!(m.hosts.counts(), (1, 1));
    assert!(m.hosts.shows_clock());
    // Only this machine: nothing is prefixed and there is no clock to keep.
    let alone = model(&[]);
    assert!(!alone.hosts.several() && !alone.hosts.shows_clock());
}

mod attention;
mod cards;
mod sessions;
