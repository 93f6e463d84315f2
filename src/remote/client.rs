//! The client side of a host's channel: a [`Connection`] runs one supervisor thread per host
//! that spawns the channel (see [`super::quote::channel_argv`]) as a [`Channel`] (its own
//! process group, stopped on drop), reads its frames on a reader thread, pings it for the
//! latency, judges its silence, and reopens it after a [`Backoff`] when it closes. Every
//! change of state and everything the host reports is sent as an [`Update`]. One host's
//! trouble never holds up another's: each has its own threads and deadlines.

use super::failure::{DownReason, classify};
use super::host::Host;
use super::protocol::{Frame, PROTOCOL, Request};
use super::quote::channel_argv;
use super::state::{Backoff, HostState, Silence, Verdict};
use crate::process::{Channel, GRACE};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{ChildStdin, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What a host's connection reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    /// Its state changed (or, live, its latency was measured again).
    State {
        /// The host.
        host: String,
        /// The state now.
        state: HostState,
    },
    /// Its state once every watch is in place (after each (re)connection).
    Snapshot {
        /// The host.
        host: String,
        /// Every run, bead and condition, as `watch --json` events.
        events: Vec<serde_json::Value>,
    },
    /// A change on the host, as a `watch --json` event.
    Event {
        /// The host.
        host: String,
        /// The event.
        event: serde_json::Value,
    },
}

/// How connections behave (the defaults are for real use; tests shorten them).
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Waits between tries.
    pub backoff: Backoff,
    /// ssh's `ServerAliveInterval`.
    pub alive_interval: Duration,
    /// The seed of the backoff's jitter (`None`: a random one).
    pub seed: Option<u64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            backoff: Backoff::default(),
            alive_interval: Duration::from_secs(15),
            seed: None,
        }
    }
}

/// What the supervisor hears: a line or the end of a channel's stdout (tagged with the
/// channel's generation, so a late word from a closed channel is ignored), or stop.
enum Heard {
    Line(u64, String),
    End(u64),
    Stop,
}

/// A host's channel, kept open (and reopened) until dropped.
#[derive(Debug)]
pub struct Connection {
    stop: Sender<Heard>,
    pid: Arc<AtomicU32>,
    thread: Option<JoinHandle<()>>,
}

impl Connection {
    /// Starts connecting to `host`, reporting to `updates`.
    ///
    /// # Errors
    /// The supervisor thread cannot be started.
    pub fn start(
        host: Host,
        options: Options,
        updates: Sender<Update>,
    ) -> std::io::Result<Connection> {
        let (tx, rx) = mpsc::channel();
        let pid = Arc::new(AtomicU32::new(0));
        let supervisor = Supervisor {
            rng: options
                .seed
                .map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed),
            host,
            options,
            updates,
            heard: tx.clone(),
            rx,
            pid: Arc::clone(&pid),
            generation: 0,
        };
        let thread = std::thread::Builder::new()
            .name(format!("host-{}", supervisor.host.name))
            .spawn(move || supervisor.run())?;
        Ok(Connection {
            stop: tx,
            pid,
            thread: Some(thread),
        })
    }

    /// The process id of the channel's child (its process group's too), while one runs.
    #[must_use]
    pub fn child_pid(&self) -> Option<u32> {
        Some(self.pid.load(Ordering::SeqCst)).filter(|&p| p != 0)
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let _ = self.stop.send(Heard::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Connects to `host` once and reports how it went: live with its latency, down with why, or
/// still connecting at `deadline` (for `beadboard hosts`).
#[must_use]
pub fn probe(host: &Host, deadline: Duration) -> HostState {
    let (tx, rx) = mpsc::channel();
    let until = Instant::now() + deadline;
    let mut last = HostState::Connecting {
        since: Instant::now(),
        attempt: 1,
    };
    let Ok(connection) = Connection::start(host.clone(), Options::default(), tx) else {
        return last;
    };
    while let Ok(update) = rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
        if let Update::State { state, .. } = update {
            let done = matches!(
                state,
                HostState::Live {
                    latency: Some(_),
                    ..
                } | HostState::Down { .. }
            );
            last = state;
            if done {
                break;
            }
        }
    }
    drop(connection);
    last
}

/// How one channel ended.
enum Outcome {
    /// Dropped: stop.
    Stopped,
    /// Closed; whether it had been up long enough to count as stable.
    Down(DownReason, bool),
}

struct Supervisor {
    host: Host,
    options: Options,
    rng: fastrand::Rng,
    updates: Sender<Update>,
    heard: Sender<Heard>,
    rx: Receiver<Heard>,
    pid: Arc<AtomicU32>,
    generation: u64,
}

impl Supervisor {
    fn run(mut self) {
        let mut failures = 0u32;
        loop {
            self.state(HostState::Connecting {
                since: Instant::now(),
                attempt: failures + 1,
            });
            let (why, stable) = match self.session() {
                Outcome::Stopped => return,
                Outcome::Down(why, stable) => (why, stable),
            };
            self.pid.store(0, Ordering::SeqCst);
            failures = if stable { 1 } else { failures + 1 };
            let at = Instant::now();
            let retry_at = at + self.options.backoff.delay(failures, &mut self.rng);
            self.state(HostState::Down { why, at, retry_at });
            loop {
                match self
                    .rx
                    .recv_timeout(retry_at.saturating_duration_since(Instant::now()))
                {
                    Ok(Heard::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                    Err(RecvTimeoutError::Timeout) => break,
                    Ok(_) => {}
                }
            }
        }
    }

    fn state(&self, state: HostState) {
        let _ = self.updates.send(Update::State {
            host: self.host.name.clone(),
            state,
        });
    }

    fn report(&self, update: Update) {
        let _ = self.updates.send(update);
    }

    fn down(&self, why: DownReason) -> Outcome {
        Outcome::Down(why, false)
    }

    /// Opens the channel and follows it until it closes (or the connection is dropped).
    fn session(&mut self) -> Outcome {
        let host = self.host.clone();
        let argv = match channel_argv(&host, self.options.alive_interval) {
            Ok(argv) => argv,
            Err(e) => {
                return self.down(DownReason::Protocol {
                    host: host.name.clone(),
                    detail: e.to_string(),
                });
            }
        };
        let mut command = Command::new(&argv[0]);
        command.args(&argv[1..]);
        let (channel, stdin, stdout) = match Channel::spawn(command) {
            Ok(spawned) => spawned,
            Err(e) => {
                return self.down(DownReason::CannotStart {
                    host: host.name.clone(),
                    program: argv[0].clone(),
                    detail: e.to_string(),
                });
            }
        };
        self.pid.store(channel.id(), Ordering::SeqCst);
        self.generation += 1;
        let generation = self.generation;
        let heard = self.heard.clone();
        let reader = std::thread::Builder::new()
            .name(format!("host-{}-reader", host.name))
            .spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if heard.send(Heard::Line(generation, line)).is_err() {
                        return;
                    }
                }
                let _ = heard.send(Heard::End(generation));
            });
        if let Err(e) = reader {
            return self.down(DownReason::CannotStart {
                host: host.name.clone(),
                program: argv[0].clone(),
                detail: e.to_string(),
            });
        }
        let mut open = Open {
            stdin,
            pings: HashMap::new(),
            next_ping: 1,
            version: None,
            live_since: None,
            stale: false,
        };
        let outcome = self.follow(&mut open, generation);
        let stable = open
            .live_since
            .is_some_and(|t| t.elapsed() >= self.options.backoff.cap);
        match outcome {
            Followed::Stopped => Outcome::Stopped,
            Followed::Closed => {
                let ended = channel.finish(GRACE * 5);
                let why = match (&open.version, ended.status.and_then(|s| s.code())) {
                    // It said hello, so the remote beadboard ran: its end is not a missing binary.
                    (Some(_), Some(127)) => {
                        classify(&host.name, &host.destination, None, &ended.stderr)
                    }
                    _ => classify(&host.name, &host.destination, ended.status, &ended.stderr),
                };
                Outcome::Down(why, stable)
            }
            Followed::GiveUp(why) => {
                drop(channel.finish(Duration::ZERO));
                Outcome::Down(why, stable)
            }
        }
    }

    /// Reads frames until the channel closes, the host goes silent or speaks another protocol,
    /// or the connection is dropped.
    fn follow(&mut self, open: &mut Open, generation: u64) -> Followed {
        let silence = Silence {
            heartbeat: self.host.heartbeat,
        };
        let mut last = Instant::now();
        loop {
            let wait = silence
                .next_check(last, Instant::now())
                .saturating_duration_since(Instant::now());
            let line = match self.rx.recv_timeout(wait) {
                Ok(Heard::Stop) | Err(RecvTimeoutError::Disconnected) => return Followed::Stopped,
                Ok(Heard::End(g)) if g == generation => return Followed::Closed,
                Ok(Heard::Line(g, line)) if g == generation => line,
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => {
                    match silence.judge(last, Instant::now()) {
                        Verdict::Fresh => {}
                        Verdict::Stale => {
                            if let (Some(version), false) = (&open.version, open.stale) {
                                open.stale = true;
                                self.state(HostState::Stale {
                                    version: version.clone(),
                                    last_data: last,
                                });
                            }
                        }
                        Verdict::Down => {
                            return Followed::GiveUp(DownReason::Silent {
                                host: self.host.name.clone(),
                                quiet: last.elapsed(),
                            });
                        }
                    }
                    continue;
                }
            };
            last = Instant::now();
            if let Some(end) = self.frame(open, &line) {
                return end;
            }
        }
    }

    /// Handles one line from the host.
    fn frame(&mut self, open: &mut Open, line: &str) -> Option<Followed> {
        let host = self.host.name.clone();
        let frame = match serde_json::from_str::<Frame>(line) {
            Ok(frame) => frame,
            Err(e) => {
                return Some(Followed::GiveUp(DownReason::Protocol {
                    host,
                    detail: format!("cannot read a frame ({e})"),
                }));
            }
        };
        if open.version.is_none() && !matches!(frame, Frame::Hello { .. }) {
            return Some(Followed::GiveUp(DownReason::Protocol {
                host,
                detail: "its first line is not a hello".to_owned(),
            }));
        }
        if open.stale {
            open.stale = false;
            self.live(open, None);
        }
        match frame {
            Frame::Hello {
                protocol, version, ..
            } => {
                if protocol != PROTOCOL {
                    return Some(Followed::GiveUp(DownReason::Incompatible {
                        host,
                        theirs: protocol,
                        version,
                    }));
                }
                open.version = Some(version);
                open.live_since = Some(Instant::now());
                self.live(open, None);
                open.ping();
            }
            Frame::Snapshot { events, .. } => self.report(Update::Snapshot { host, events }),
            Frame::Event { event } => self.report(Update::Event { host, event }),
            Frame::Heartbeat { .. } => open.ping(),
            Frame::Pong { id } => {
                if let Some(sent) = open.pings.remove(&id) {
                    self.live(open, Some(sent.elapsed()));
                }
            }
            Frame::Error { .. } => {}
        }
        None
    }

    fn live(&self, open: &Open, latency: Option<Duration>) {
        if let Some(version) = &open.version {
            self.state(HostState::Live {
                version: version.clone(),
                latency,
            });
        }
    }
}

/// How following a channel ended.
enum Followed {
    Stopped,
    Closed,
    GiveUp(DownReason),
}

/// An open channel's side of the conversation.
struct Open {
    stdin: ChildStdin,
    /// Pings sent and not yet answered, by id.
    pings: HashMap<u64, Instant>,
    next_ping: u64,
    version: Option<String>,
    live_since: Option<Instant>,
    stale: bool,
}

impl Open {
    /// Sends a ping (one outstanding at a time; a host that does not read is judged by its
    /// silence, not by a write that blocks).
    fn ping(&mut self) {
        if !self.pings.is_empty() {
            return;
        }
        let id = self.next_ping;
        self.next_ping += 1;
        let Ok(line) = super::protocol::line(&Request::Ping { id }) else {
            return;
        };
        if writeln!(self.stdin, "{line}")
            .and_then(|()| self.stdin.flush())
            .is_ok()
        {
            self.pings.insert(id, Instant::now());
        }
    }
}
