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
    let home = fleet.home("alpha");
    let (code, _, err) = common::run(
        common::beadboard(&home)
            .arg("--agentpair-dir")
            .arg(home.join(".agentpair"))
            .arg("--ntm-dir")
            .arg(home.join(".ntm"))
            .args(["complete", "webapp", "wa-5tq0"]),
    );
    assert_eq!(code, 0, "{err}");
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
    assert!(why.contains("run `ssh gamma` once in a terminal"), "{why}");
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
