//! Fake hosts for the command transport (no sshd): each fake host's `ssh_command` is a small
//! script that, like ssh, joins the remote command line into one string for `sh -c`, with the
//! host's own HOME holding its own runs and stores, and runs the local beadboard binary there.
//! [`Fleet::relayed`] hosts run the remote side in its own session behind a relay, so killing
//! the channel (the "ssh" process group) drops the connection while the remote beadboard goes
//! on, as when a network link drops. [`Watcher`] reads the connections' updates with a
//! generous deadline, never the clock.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::common;
use beadboard::persist::lock::FileLock;
use beadboard::remote::client::Options;
use beadboard::remote::{Backoff, Connection, DownReason, Host, HostState, Update};
use rustix::process::{Pid, Signal, kill_process_group};
use serde_json::Value;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_beadboard");

/// A directory of fake hosts (`<root>/<destination>` is each one's HOME) and the fake ssh.
pub struct Fleet {
    pub root: tempfile::TempDir,
}

impl Fleet {
    pub fn new() -> Fleet {
        let fleet = Fleet {
            root: tempfile::tempdir().unwrap(),
        };
        let hosts = fleet.root.path().join("hosts");
        std::fs::create_dir_all(&hosts).unwrap();
        let quoted = shlex::try_quote(hosts.to_str().unwrap())
            .unwrap()
            .into_owned();
        // Options up to the destination and --, then the command line joined into one string
        // for a shell, as ssh and sshd do, in the destination's own HOME.
        let prelude = format!(
            "#!/bin/sh\n\
             while [ \"$#\" -gt 0 ] && [ \"$1\" != \"--\" ]; do dest=$1; shift; done\n\
             shift\n\
             HOME={quoted}/\"$dest\"; export HOME\n\
             XDG_CONFIG_HOME=\"$HOME/.config\"; XDG_CACHE_HOME=\"$HOME/.cache\"; XDG_STATE_HOME=\"$HOME/.local/state\"\n\
             export XDG_CONFIG_HOME XDG_CACHE_HOME XDG_STATE_HOME\n\
             unset BEADBOARD_AGENTPAIR_DIR BEADBOARD_NTM_DIR BEADBOARD_CONFIG BEADBOARD_POLL BEADBOARD_CACHE_DIR\n\
             cd \"$HOME\" || exit 255\n"
        );
        fleet.script("fake-ssh", &format!("{prelude}exec sh -c \"$*\"\n"));
        // The same, with the remote side in its own session behind a relay (two `cat`s): the
        // channel's process group is only the relay.
        fleet.script(
            "relay-ssh",
            &format!(
                "{prelude}\
                 d=$(mktemp -d) || exit 255\n\
                 mkfifo \"$d/in\" \"$d/out\" || exit 255\n\
                 setsid sh -c \"$*\" <\"$d/in\" >\"$d/out\" 2>\"$d/err\" &\n\
                 cat <\"$d/out\" &\n\
                 exec cat >\"$d/in\"\n"
            ),
        );
        fleet
    }

    /// An executable script in the fleet's directory.
    pub fn script(&self, name: &str, text: &str) -> PathBuf {
        let path = self.root.path().join(name);
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    /// A host with the golden runs and the example store, reached through the fake ssh.
    pub fn host(&self, name: &str) -> Host {
        let home = self.home(name);
        common::copy_tree(
            &common::fixture("upstream/agentpair/home-agentpair"),
            &home.join(".agentpair"),
        );
        common::copy_tree(&common::fixture("examples/ntm"), &home.join(".ntm"));
        Host {
            ssh_command: vec![self.root.path().join("fake-ssh").display().to_string()],
            beadboard: BIN.to_owned(),
            heartbeat: Duration::from_millis(500),
            ..Host::named(name)
        }
    }

    /// As [`Fleet::host`], its beadboard an older one that says hello with `capabilities` and
    /// keeps every request it is sent in `$HOME/requests`, answering none.
    pub fn old(&self, name: &str, capabilities: &[&str]) -> Host {
        let hello = serde_json::json!({"frame": "hello", "protocol": 1, "version": "0.0.9",
            "capabilities": capabilities});
        let old = self.script(
            &format!("old-beadboard-{name}"),
            &format!("#!/bin/sh\necho '{hello}'\nexec cat >\"$HOME/requests\"\n"),
        );
        Host {
            beadboard: old.display().to_string(),
            ..self.host(name)
        }
    }

    /// As [`Fleet::host`], reached through the relay.
    pub fn relayed(&self, name: &str) -> Host {
        Host {
            ssh_command: vec![self.root.path().join("relay-ssh").display().to_string()],
            ..self.host(name)
        }
    }

    pub fn home(&self, name: &str) -> PathBuf {
        self.root.path().join("hosts").join(name)
    }
}

/// Connections and the updates they send, read with a generous deadline.
pub struct Watcher {
    rx: Receiver<Update>,
    pub connections: Vec<Connection>,
    /// Every state each host went through, in order.
    pub history: Vec<(String, HostState)>,
    /// Snapshots and events not asked for yet (states are read in order and passed over).
    pending: Vec<Update>,
}

pub fn options() -> Options {
    Options {
        backoff: Backoff {
            first: Duration::from_millis(50),
            cap: Duration::from_millis(400),
        },
        alive_interval: Duration::from_secs(15),
        seed: Some(21),
    }
}

impl Watcher {
    pub fn start(hosts: &[Host]) -> Watcher {
        let (tx, rx) = mpsc::channel();
        let connections = hosts
            .iter()
            .map(|h| Connection::start(h.clone(), options(), tx.clone()).unwrap())
            .collect();
        Watcher {
            rx,
            connections,
            history: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// Reads updates until one of `host` satisfies `wanted`.
    pub fn until(
        &mut self,
        host: &str,
        what: &str,
        mut wanted: impl FnMut(&Update) -> bool,
    ) -> Update {
        let kept = |u: &Update| !matches!(u, Update::State { .. }) && host_of(u) == host;
        if let Some(at) = self.pending.iter().position(|u| kept(u) && wanted(u)) {
            return self.pending.remove(at);
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(update) = self.rx.recv_timeout(left) else {
                panic!("{host}: no {what}; states so far: {:#?}", self.history);
            };
            if let Update::State { host, state } = &update {
                self.history.push((host.clone(), state.clone()));
            }
            if host_of(&update) == host && wanted(&update) {
                return update;
            }
            if !matches!(update, Update::State { .. }) {
                self.pending.push(update);
            }
        }
    }

    /// Waits for a state of `host` that satisfies `wanted`.
    pub fn state(
        &mut self,
        host: &str,
        what: &str,
        wanted: impl Fn(&HostState) -> bool,
    ) -> HostState {
        match self.until(
            host,
            what,
            |u| matches!(u, Update::State { state, .. } if wanted(state)),
        ) {
            Update::State { state, .. } => state,
            _ => unreachable!(),
        }
    }

    pub fn live_with_latency(&mut self, host: &str) {
        self.state(host, "live with a latency", |s| {
            matches!(
                s,
                HostState::Live {
                    latency: Some(_),
                    ..
                }
            )
        });
    }

    pub fn down(&mut self, host: &str) -> DownReason {
        match self.state(host, "down", |s| matches!(s, HostState::Down { .. })) {
            HostState::Down { why, .. } => why,
            _ => unreachable!(),
        }
    }

    /// The updates read and not asked for yet (states aside), taken.
    pub fn take_unasked(&mut self) -> Vec<Update> {
        std::mem::take(&mut self.pending)
    }

    pub fn signal(&self, index: usize, signal: Signal) {
        let pid = self.connections[index].child_pid().unwrap();
        kill_process_group(Pid::from_raw(pid.try_into().unwrap()).unwrap(), signal).unwrap();
    }
}

/// The host an update is from.
pub fn host_of(update: &Update) -> &str {
    match update {
        Update::State { host, .. }
        | Update::Capabilities { host, .. }
        | Update::Snapshot { host, .. }
        | Update::Event { host, .. }
        | Update::Waiting { host, .. }
        | Update::Moved { host, .. }
        | Update::Tail { host, .. }
        | Update::Hits { host, .. }
        | Update::SearchEnd { host, .. }
        | Update::Output { host, .. }
        | Update::Exit { host, .. }
        | Update::Lost { host, .. } => host,
    }
}

/// The store of `session` in `home`.
pub fn store(home: &Path, session: &str) -> PathBuf {
    home.join(".ntm/sessions")
        .join(session)
        .join("assignments.json")
}

pub fn lock(home: &Path, session: &str) -> FileLock {
    let mut path = store(home, session).into_os_string();
    path.push(".lock");
    FileLock::acquire(Path::new(&path), Duration::from_secs(60), || {}).unwrap()
}

pub fn status(home: &Path, session: &str, bead: &str) -> String {
    let doc: Value = serde_json::from_slice(&std::fs::read(store(home, session)).unwrap()).unwrap();
    doc["assignments"][bead]["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Another program's write of a bead's status, made while the test holds the store's lock.
pub fn write_status(home: &Path, session: &str, bead: &str, to: &str) {
    write_field(home, session, bead, "status", Value::from(to));
}

/// Another program's write of one field of a bead's record.
pub fn write_field(home: &Path, session: &str, bead: &str, field: &str, to: Value) {
    let path = store(home, session);
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    doc["assignments"][bead][field] = to;
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
}
