//! Several hosts over a command transport, no sshd: each fake host's `ssh_command` is a small
//! script that, like ssh, joins the remote command line into one string for `sh -c`, with the
//! host's own HOME holding its own runs and stores, and runs the local beadboard binary there.
//! Covers framing, hello, snapshot and a change arriving, two hosts at once, a killed host going
//! down and coming back, a stopped host going stale then down while the other stays live,
//! exit 127, an old hello, hostile names, and `beadboard hosts --json`. Waits on states, never
//! on the clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "remote/fleet.rs"]
mod fleet;

use beadboard::remote::{DownReason, Host, HostState, Update};
use fleet::{BIN, Fleet, Watcher};
use rustix::process::Signal;
use serde_json::Value;

/// Completes `bead` of session webapp on a host's own disk, as a program there would.
fn complete_on(home: &std::path::Path, bead: &str) {
    let (code, _, err) = common::run(
        common::beadboard(home)
            .arg("--agentpair-dir")
            .arg(home.join(".agentpair"))
            .arg("--ntm-dir")
            .arg(home.join(".ntm"))
            .args(["complete", "webapp", bead]),
    );
    assert_eq!(code, 0, "{err}");
}

fn beads_in(events: &[Value], bead: &str) -> Vec<Value> {
    events
        .iter()
        .filter(|e| e["event"] == "bead" && e["bead"] == bead)
        .cloned()
        .collect()
}

#[test]
fn two_hosts_send_hello_snapshot_and_changes() {
    let fleet = Fleet::new();
    let (a, b) = (fleet.host("alpha"), fleet.host("beta"));
    let mut w = Watcher::start(&[a, b]);
    for host in ["alpha", "beta"] {
        let version = w.state(host, "live", |s| matches!(s, HostState::Live { .. }));
        assert_eq!(version.version(), Some(env!("CARGO_PKG_VERSION")));
        let Update::Snapshot { events, .. } =
            w.until(host, "snapshot", |u| matches!(u, Update::Snapshot { .. }))
        else {
            unreachable!()
        };
        let bead = beads_in(&events, "wa-5tq0");
        assert_eq!(bead.len(), 1, "{events:#?}");
        assert_eq!(bead[0]["to"], "working");
        assert!(events.iter().any(|e| e["event"] == "run"), "{events:#?}");
        // No transcript is ever sent whole.
        assert!(!events.iter().any(|e| e["event"] == "entry"), "{events:#?}");
    }
    w.live_with_latency("alpha");
    // A change on alpha's disk arrives from alpha.
    complete_on(&fleet.home("alpha"), "wa-5tq0");
    let Update::Event { event, .. } = w.until("alpha", "the bead's move", |u| {
        matches!(u, Update::Event { event, .. } if event["bead"] == "wa-5tq0" && event["event"] == "bead")
    }) else {
        unreachable!()
    };
    assert_eq!(
        (event["from"].as_str(), event["to"].as_str()),
        (Some("working"), Some("completed"))
    );
}

#[test]
fn a_killed_host_goes_down_and_comes_back() {
    let fleet = Fleet::new();
    let mut w = Watcher::start(&[fleet.host("alpha")]);
    w.live_with_latency("alpha");
    let first = w.connections[0].child_pid();
    w.signal(0, Signal::KILL);
    let why = w.down("alpha");
    assert!(matches!(why, DownReason::Ended { .. }), "{why}");
    assert!(why.to_string().contains("killed by signal 9"), "{why}");
    w.state("alpha", "connecting again", |s| {
        matches!(s, HostState::Connecting { attempt: 2, .. })
    });
    w.live_with_latency("alpha");
    assert_ne!(w.connections[0].child_pid(), first, "a new channel");
}

#[test]
fn a_stopped_host_goes_stale_then_down_while_the_other_stays_live() {
    let fleet = Fleet::new();
    let mut w = Watcher::start(&[fleet.host("alpha"), fleet.host("beta")]);
    w.live_with_latency("alpha");
    w.live_with_latency("beta");
    let before = w.history.len();
    w.signal(0, Signal::STOP);
    let stale = w.state("alpha", "stale", |s| !matches!(s, HostState::Live { .. }));
    assert!(matches!(stale, HostState::Stale { .. }), "{stale:?}");
    let why = w.down("alpha");
    assert!(matches!(why, DownReason::Silent { .. }), "{why}");
    assert!(
        why.to_string().starts_with("alpha sent nothing for "),
        "{why}"
    );
    // It comes back once the stopped channel is gone (its group was killed).
    w.live_with_latency("alpha");
    let beta: Vec<_> = w.history[before..]
        .iter()
        .filter(|(h, _)| h == "beta")
        .map(|(_, s)| s.label())
        .collect();
    assert!(beta.iter().all(|&s| s == "live"), "beta: {beta:?}");
}

#[test]
fn a_missing_binary_an_old_hello_and_ssh_refusals_say_what_to_do() {
    let fleet = Fleet::new();
    let missing = Host {
        beadboard: "/nonexistent/beadboard".to_owned(),
        ..fleet.host("alpha")
    };
    let old = fleet.script(
        "old-beadboard",
        "#!/bin/sh\necho '{\"frame\":\"hello\",\"protocol\":0,\"version\":\"0.0.1\",\"capabilities\":[]}'\nexec cat\n",
    );
    let old = Host {
        beadboard: old.display().to_string(),
        ..fleet.host("beta")
    };
    let refusing = |name: &str, said: &str| Host {
        ssh_command: vec![
            fleet
                .script(
                    &format!("ssh-{name}"),
                    &format!("#!/bin/sh\necho '{said}' >&2\nexit 255\n"),
                )
                .display()
                .to_string(),
        ],
        ..Host::named(name)
    };
    let unknown = refusing("gamma", "Host key verification failed.");
    let refused = refusing("delta", "me@delta: Permission denied (publickey).");
    let mut w = Watcher::start(&[missing, old, unknown, refused]);
    let why = w.down("gamma").to_string();
    // The whole ssh command the host is reached by, then its destination.
    assert!(
        why.contains("/ssh-gamma gamma` once in a terminal"),
        "{why}"
    );
    let why = w.down("delta").to_string();
    assert!(
        why.contains("ssh-add") && why.contains("BatchMode=yes"),
        "{why}"
    );
    let why = w.down("alpha");
    assert_eq!(
        why,
        DownReason::NotInstalled {
            host: "alpha".to_owned()
        }
    );
    assert!(
        why.to_string().contains("set `beadboard = \"/path\"`"),
        "{why}"
    );
    let why = w.down("beta").to_string();
    assert!(
        why.contains("beadboard 0.0.1, which speaks protocol 0")
            && why.contains("speaks protocol 1"),
        "{why}"
    );
}

#[test]
fn hostile_names_on_the_command_line_arrive_intact_and_run_nothing() {
    let fleet = Fleet::new();
    let host = fleet.host("we ird");
    let home = fleet.home("we ird");
    let dir = home.join("bin dir 'q' \"dq\"; $(touch pwned) `touch pwned2` \n touch pwned4");
    std::fs::create_dir_all(&dir).unwrap();
    let bin = dir.join("beadboard; touch pwned3");
    std::os::unix::fs::symlink(BIN, &bin).unwrap();
    let host = Host {
        beadboard: bin.display().to_string(),
        ..host
    };
    let mut w = Watcher::start(&[host]);
    w.live_with_latency("we ird");
    drop(w);
    for marker in ["pwned", "pwned2", "pwned3", "pwned4"] {
        assert!(!home.join(marker).exists(), "{marker} ran");
    }
}

#[test]
fn hosts_lists_local_and_each_host_with_state_version_and_latency() {
    let fleet = Fleet::new();
    let good = fleet.host("alpha");
    let ssh = &good.ssh_command[0];
    let config = fleet.root.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[[hosts]]\nname = \"alpha\"\nssh_command = [{ssh:?}]\nbeadboard = {BIN:?}\n\
             [[hosts]]\nname = \"gone\"\ndestination = \"alpha\"\nssh_command = [{ssh:?}]\nbeadboard = \"/nonexistent/beadboard\"\n"
        ),
    )
    .unwrap();
    let mut cmd = common::beadboard(fleet.root.path());
    cmd.arg("--config")
        .arg(&config)
        .args(["hosts", "--json", "--timeout", "60s"]);
    let (code, out, err) = common::run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    let rows: Value = serde_json::from_str(&out).unwrap();
    common::schema::check("hosts", &rows);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3, "{out}");
    assert_eq!(
        (rows[0]["host"].as_str(), rows[0]["state"].as_str()),
        (Some("local"), Some("live"))
    );
    assert_eq!(rows[1]["host"], "alpha");
    assert_eq!(rows[1]["state"], "live", "{out}");
    assert_eq!(rows[1]["version"], env!("CARGO_PKG_VERSION"));
    assert!(rows[1]["latency_ms"].as_f64().is_some(), "{out}");
    assert_eq!(rows[2]["state"], "down", "{out}");
    assert!(
        rows[2]["why"]
            .as_str()
            .unwrap()
            .contains("not installed on gone"),
        "{out}"
    );
    // The text form names the same.
    let mut cmd = common::beadboard(fleet.root.path());
    cmd.arg("--config")
        .arg(&config)
        .args(["hosts", "--timeout", "60s"]);
    let (code, text, _) = common::run(&mut cmd);
    assert_eq!(code, 0);
    assert!(
        text.lines()
            .any(|l| l.starts_with("alpha") && l.contains(" live ")),
        "{text}"
    );
}

/// A config naming `hosts` (each reached through the fake ssh) and one whose beadboard is
/// missing (`gone`).
fn config_for(fleet: &Fleet, hosts: &[&str]) -> std::path::PathBuf {
    let mut text = String::new();
    for name in hosts {
        let host = fleet.host(name);
        let ssh = &host.ssh_command[0];
        text.push_str(&format!(
            "[[hosts]]\nname = \"{name}\"\nssh_command = [{ssh:?}]\nbeadboard = {BIN:?}\nheartbeat = \"500ms\"\n"
        ));
    }
    let ssh = fleet.root.path().join("fake-ssh").display().to_string();
    text.push_str(&format!(
        "[[hosts]]\nname = \"gone\"\ndestination = \"{}\"\nssh_command = [{ssh:?}]\nbeadboard = \"/nonexistent/beadboard\"\n",
        hosts[0]
    ));
    let config = fleet.root.path().join("config.toml");
    std::fs::write(&config, text).unwrap();
    config
}

fn on_hosts(fleet: &Fleet, config: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let mut cmd = common::beadboard(fleet.root.path());
    cmd.arg("--config").arg(config).args(args);
    common::run(&mut cmd)
}

#[test]
fn host_flags_merge_reads_from_each_host_and_name_the_host_everywhere() {
    let fleet = Fleet::new();
    let config = config_for(&fleet, &["alpha", "beta"]);
    // JSON: one array of both hosts' records, each saying its host.
    let (code, out, err) = on_hosts(
        &fleet,
        &config,
        &[
            "runs", "--all", "--json", "--host", "alpha", "--host", "beta",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let runs: Vec<Value> = serde_json::from_str(&out).unwrap();
    let from = |h: &str| runs.iter().filter(|r| r["host"] == h).count();
    assert!(from("alpha") > 0 && from("alpha") == from("beta"), "{out}");
    assert_eq!(from("alpha") + from("beta"), runs.len());
    // Text: every line says its host.
    let (code, out, err) = on_hosts(
        &fleet,
        &config,
        &["assignments", "webapp", "--host", "alpha", "--host", "beta"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().any(|l| l.starts_with("alpha:webapp")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("beta:webapp")), "{out}");
    assert!(
        out.lines()
            .all(|l| l.is_empty() || l.starts_with("alpha:") || l.starts_with("beta:")),
        "{out}"
    );
    // A search runs on each host, the matches as found.
    let (code, out, err) = on_hosts(
        &fleet,
        &config,
        &[
            "search",
            "work on it",
            "--json",
            "--host",
            "alpha",
            "--host",
            "beta",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let hits: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(hits.iter().any(|h| h["host"] == "alpha") && hits.iter().any(|h| h["host"] == "beta"));
    // A host that is down is said to be, with what to do; the others' records are there.
    let (code, out, err) = on_hosts(
        &fleet,
        &config,
        &["sessions", "--json", "--host", "alpha", "--host", "gone"],
    );
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("beadboard: gone: beadboard is not installed on gone"),
        "{err}"
    );
    let sessions: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(
        !sessions.is_empty() && sessions.iter().all(|s| s["host"] == "alpha"),
        "{out}"
    );
    // An unknown host is a bad value.
    let (code, _, err) = on_hosts(&fleet, &config, &["runs", "--host", "nope"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no such host (hosts: local, alpha, beta, gone"),
        "{err}"
    );
}

#[test]
fn a_move_with_host_is_made_on_that_host_and_answered_as_a_local_one() {
    let fleet = Fleet::new();
    let config = config_for(&fleet, &["alpha", "beta"]);
    let status = |host: &str, bead: &str| -> String {
        let path = fleet
            .home(host)
            .join(".ntm/sessions/webapp/assignments.json");
        let doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        doc["assignments"][bead]["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (code, out, err) = on_hosts(
        &fleet,
        &config,
        &["complete", "webapp", "wa-5tq0", "--json", "--host", "alpha"],
    );
    assert_eq!(code, 0, "{err}");
    let record: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (record["status"].as_str(), record["host"].as_str()),
        (Some("completed"), Some("alpha"))
    );
    assert_eq!(status("alpha", "wa-5tq0"), "completed");
    assert_eq!(
        status("beta", "wa-5tq0"),
        "working",
        "only alpha's file changed"
    );
    // A refusal in the store's own words, exit 3, nothing written.
    let (code, out, err) = on_hosts(
        &fleet,
        &config,
        &["start", "webapp", "wa-3kd9", "--host", "beta"],
    );
    assert_eq!(code, 3, "{out}{err}");
    assert!(
        err.contains("[ASSIGN] Invalid transition completed -> working for wa-3kd9"),
        "{err}"
    );
    assert_eq!(status("beta", "wa-3kd9"), "completed");
    let (code, _, err) = on_hosts(
        &fleet,
        &config,
        &[
            "start", "webapp", "wa-9p4e", "--host", "alpha", "--host", "beta",
        ],
    );
    assert_eq!(code, 2, "{err}");
}

#[test]
fn watch_with_hosts_streams_each_hosts_events_as_they_happen() {
    let fleet = Fleet::new();
    let config = config_for(&fleet, &["alpha", "beta"]);
    let mut cmd = common::beadboard(fleet.root.path());
    cmd.arg("--config").arg(&config).args([
        "watch",
        "--json",
        "--no-entries",
        "--host",
        "alpha",
        "--host",
        "beta",
    ]);
    let stream = common::watch::Stream::spawn(&mut cmd);
    let mut ready = Vec::new();
    stream.expect("both hosts ready", |e| {
        if e["event"] == "ready" {
            ready.push(e["host"].as_str().unwrap().to_owned());
        }
        ready.len() == 2
    });
    ready.sort();
    assert_eq!(ready, ["alpha", "beta"]);
    // A change on alpha's disk arrives, from alpha.
    complete_on(&fleet.home("alpha"), "wa-5tq0");
    let moved = stream.expect("the bead's move", |e| {
        e["event"] == "bead" && e["name"] == "wa-5tq0"
    });
    assert_eq!(
        (moved["host"].as_str(), moved["to"].as_str()),
        (Some("alpha"), Some("completed"))
    );
}
