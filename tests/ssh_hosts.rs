//! Hosts over real OpenSSH on 127.0.0.1: each host is its own `sshd -D` on a free high port
//! with temporary host keys, client key, known_hosts and ssh_config (`tests/common/sshd.rs`),
//! and its own data (its sessions' HOME, set by sshd). Through the `[[hosts]]` config and
//! `beadboard hosts --json`, as a user would: a live host with its version and latency; exit
//! 255 when nothing listens; an unknown host key, with a clear message and no hang; a missing
//! remote binary (exit 127); and the remote binary given as a `~/` path with a space. Through
//! the client's channel: each host's snapshot is its own data. Skipped, saying so, where sshd
//! is not installed; under `BEADBOARD_REQUIRE_ALL` (CI) that is a failure instead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::remote::client::Options;
use beadboard::remote::{Backoff, Connection, Host, Update};
use common::sshd::{DEADLINE, Kind, Lab, Sshd};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_beadboard");

/// A config file with these hosts (name, remote beadboard command), all through the lab's
/// ssh_config.
fn config(lab: &Lab, hosts: &[(&str, &str)]) -> std::path::PathBuf {
    let ssh: Vec<String> = lab.ssh_command();
    let mut text = String::new();
    for (name, beadboard) in hosts {
        text += &format!(
            "[[hosts]]\nname = {name:?}\nssh_command = {ssh:?}\nbeadboard = {beadboard:?}\nheartbeat = \"1s\"\n"
        );
    }
    let path = lab.dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// `beadboard hosts --json` with `config`, validated against its schema; its rows by host.
fn hosts_json(lab: &Lab, config: &Path) -> Vec<Value> {
    let home = lab.dir.path().join("client-home");
    std::fs::create_dir_all(&home).unwrap();
    let started = Instant::now();
    let mut cmd = common::beadboard(&home);
    cmd.arg("--config")
        .arg(config)
        .args(["hosts", "--json", "--timeout", "60s"]);
    let (code, out, err) = common::run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    // Every host was answered (none left connecting until the deadline): no hang.
    assert!(
        started.elapsed() < DEADLINE,
        "hosts took {:?}",
        started.elapsed()
    );
    let rows: Value = serde_json::from_str(&out).unwrap();
    common::schema::check("hosts", &rows);
    rows.as_array().unwrap().clone()
}

fn row<'a>(rows: &'a [Value], host: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["host"] == host)
        .unwrap_or_else(|| panic!("no row for {host}: {rows:#?}"))
}

/// Every case `beadboard hosts` tells apart over real ssh, in one run (the hosts are tried at
/// once).
#[test]
fn hosts_over_real_ssh_say_live_or_why_not() {
    if !common::require("sshd") {
        return;
    }
    let lab = Lab::new();
    let alpha = lab.host("alpha", Kind::Trusted);
    alpha.with_data();
    // A beadboard installed under the host's HOME, in a directory with a space.
    let tilde = lab.host("tilde", Kind::Trusted);
    let bin = tilde.home.join("my bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(BIN, bin.join("bead board")).unwrap();
    let missing = lab.host("missing", Kind::Trusted);
    let _nobody = lab.host("nobody", Kind::NotListening);
    let stranger = lab.host("stranger", Kind::UnknownKey);
    let config = config(
        &lab,
        &[
            ("alpha", BIN),
            ("tilde", "~/my bin/bead board"),
            ("missing", "/nonexistent/beadboard"),
            ("nobody", BIN),
            ("stranger", BIN),
        ],
    );
    let rows = hosts_json(&lab, &config);
    let logs = || format!("{}{}", alpha.log(), stranger.log());

    for live in ["alpha", "tilde"] {
        let r = row(&rows, live);
        assert_eq!(r["state"], "live", "{r}\n{}", logs());
        assert_eq!(r["version"], env!("CARGO_PKG_VERSION"), "{r}");
        assert!(r["latency_ms"].as_f64().is_some(), "latency measured: {r}");
        assert!(r["why"].is_null(), "{r}");
    }
    let why = |host: &str| {
        let r = row(&rows, host);
        assert_eq!(r["state"], "down", "{r}");
        assert!(r["version"].is_null() && r["latency_ms"].is_null(), "{r}");
        r["why"].as_str().unwrap().to_owned()
    };
    // The remote shell finds no such command: exit 127, and what to do.
    let not_installed = why("missing");
    assert!(
        not_installed.contains("beadboard is not installed on missing"),
        "{not_installed}"
    );
    // Nothing listens: ssh's own exit 255, with its words.
    let refused = why("nobody");
    assert!(refused.contains("exit 255"), "{refused}");
    assert!(refused.contains("Connection refused"), "{refused}");
    // A host key ssh does not know: said, never accepted, never asked about.
    let untrusted = why("stranger");
    assert!(
        untrusted.contains("ssh does not trust stranger's host key")
            && untrusted.contains(&format!(
                "run `ssh -F {} stranger`",
                lab.ssh_config().display()
            )),
        "{untrusted}"
    );
    assert!(
        !std::fs::read_to_string(lab.dir.path().join("known_hosts"))
            .unwrap()
            .contains(&format!(":{}]", stranger.port)),
        "the unknown key was not added"
    );
    drop(missing);
}

/// The first snapshot `host` sends over its channel.
fn snapshot(host: Host) -> Vec<Value> {
    let (tx, rx) = std::sync::mpsc::channel();
    let options = Options {
        backoff: Backoff {
            first: Duration::from_millis(50),
            cap: Duration::from_millis(400),
        },
        alive_interval: Duration::from_secs(15),
        seed: Some(21),
    };
    let name = host.name.clone();
    let _connection = Connection::start(host, options, tx).unwrap();
    let deadline = Instant::now() + DEADLINE;
    let mut states = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Update::Snapshot { host, events }) if host == name => return events,
            Ok(Update::State { state, .. }) => states.push(state),
            Ok(_) => {}
            Err(_) => panic!("{name}: no snapshot; states: {states:#?}"),
        }
    }
}

/// Each host's channel carries that host's own data: the HOME sshd gives its sessions.
#[test]
fn each_host_over_ssh_sends_its_own_data() {
    if !common::require("sshd") {
        return;
    }
    let lab = Lab::new();
    let full = lab.host("full", Kind::Trusted);
    full.with_data();
    let empty = lab.host("empty", Kind::Trusted);
    let host = |sshd: &Sshd| Host {
        ssh_command: lab.ssh_command(),
        beadboard: BIN.to_owned(),
        heartbeat: Duration::from_millis(500),
        ..Host::named(&sshd.name)
    };
    let events = snapshot(host(&full));
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "bead" && e["bead"] == "wa-5tq0"),
        "{events:#?}"
    );
    assert!(events.iter().any(|e| e["event"] == "run"), "{events:#?}");
    let events = snapshot(host(&empty));
    assert!(
        !events
            .iter()
            .any(|e| e["event"] == "bead" || e["event"] == "run"),
        "{events:#?}"
    );
}

/// A move on a host over real ssh (`beadboard start|complete … --host`), as a user runs it:
/// it lands in that host's schema-9 store, which NTM's strict read still takes, one
/// generation on per write; a move the store refuses leaves both files as they were.
#[test]
fn a_move_over_ssh_leaves_a_store_ntm_strictly_reads() {
    if !common::require("sshd") {
        return;
    }
    let lab = Lab::new();
    let alpha = lab.host("alpha", Kind::Trusted);
    let store = alpha.home.join(".ntm/sessions/webapp");
    std::fs::create_dir_all(&store).unwrap();
    let from = common::fixture("upstream/ntm-v9/00-start");
    for name in ["assignments.json", "assignments.json.bak"] {
        std::fs::copy(from.join(name), store.join(name)).unwrap();
    }
    let config = config(&lab, &[("alpha", BIN)]);
    let home = lab.dir.path().join("client-home");
    std::fs::create_dir_all(&home).unwrap();
    let on_alpha = |args: &[&str]| {
        let mut cmd = common::beadboard(&home);
        cmd.arg("--config").arg(&config).args(args);
        cmd.args(["--host", "alpha"]);
        common::run(&mut cmd)
    };
    let strict = || common::strict::strict_rules(&store, "webapp");
    let mut generation = strict().unwrap();
    for args in [
        ["start", "webapp", "wa-01"],
        ["complete", "webapp", "wa-02"],
    ] {
        let (code, out, err) = on_alpha(&[&args[..], &["--json"]].concat());
        assert_eq!(code, 0, "{args:?}: {out}{err}\n{}", alpha.log());
        let record: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(record["host"], "alpha", "{record}");
        let after = strict().unwrap_or_else(|e| panic!("{args:?} broke NTM's strict read: {e}"));
        assert_eq!(after, generation + 1, "{args:?}: one generation on");
        generation = after;
    }
    let rows = beadboard::persist::assignment::AssignmentStore::load_store(
        &alpha.home.join(".ntm"),
        "webapp",
    )
    .unwrap();
    assert_eq!(rows.get("wa-01").unwrap().status.as_str(), "working");
    // Refused in the store's own words (exit 3): both files byte for byte as they were.
    let before = ["assignments.json", "assignments.json.bak"]
        .map(|name| std::fs::read(store.join(name)).unwrap());
    let (code, out, err) = on_alpha(&["start", "webapp", "wa-05"]);
    assert_eq!(code, 3, "{out}{err}");
    assert!(err.contains("wa-05"), "{err}");
    let after = ["assignments.json", "assignments.json.bak"]
        .map(|name| std::fs::read(store.join(name)).unwrap());
    assert!(before == after, "a refused move wrote nothing");
    assert_eq!(strict(), Ok(generation));
}
