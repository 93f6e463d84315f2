//! The client side of a host's channel: a [`Connection`] runs one supervisor thread per host
//! that spawns the channel (see [`super::quote::channel_argv`]) as a [`Channel`] (its own
//! process group, stopped on drop), reads its frames on a reader thread, pings it for the
//! latency, judges its silence, and reopens it after a [`Backoff`] when it closes. Every
//! change of state and everything the host reports is sent as an [`Update`]. One host's
//! trouble never holds up another's: each has its own threads and deadlines.
//!
//! Requests ([`Connection::send_move`], [`Connection::tail`], [`Connection::search`]) return
//! at once with an id; their answers arrive as updates carrying it. A request made while the
//! host is down waits for the channel. A move is sent again, with the same idempotency key,
//! after every reconnection until it is answered, so a dropped channel never loses it and
//! never makes it twice; a tail or search under way when the channel drops is answered with
//! [`Update::Lost`].

mod requests;
mod session;

pub use requests::{MoveTicket, new_key};

use super::failure::DownReason;
use super::host::Host;
use super::state::{Backoff, HostState};
use crate::remote::protocol::{MoveOutcome, Request, SearchDone, TailChunk};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
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
    /// What it can do, as its hello listed it (after each (re)connection, before anything it
    /// sends then).
    Capabilities {
        /// The host.
        host: String,
        /// The capabilities ([`crate::remote::protocol::CAPABILITIES`] on this version).
        capabilities: Vec<String>,
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
    /// A request waits on the host for a lock another program holds.
    Waiting {
        /// The host.
        host: String,
        /// The request's id.
        id: u64,
        /// What it waits for, in words.
        what: String,
    },
    /// A move's answer (from the host, or from this side when the host cannot make moves).
    Moved {
        /// The host.
        host: String,
        /// The move's id.
        id: u64,
        /// Its idempotency key.
        key: String,
        /// How it went.
        outcome: MoveOutcome,
    },
    /// A tail's answer.
    Tail {
        /// The host.
        host: String,
        /// The tail's id.
        id: u64,
        /// The bytes, or why there are none (no such run, not a file).
        result: Result<TailChunk, String>,
    },
    /// Matches of a search, as found (`beadboard search --json` lines).
    Hits {
        /// The host.
        host: String,
        /// The search's id.
        id: u64,
        /// The matches.
        hits: Vec<serde_json::Value>,
    },
    /// The end of a search on the host.
    SearchEnd {
        /// The host.
        host: String,
        /// The search's id.
        id: u64,
        /// How it went.
        done: SearchDone,
    },
    /// A line a run printed.
    Output {
        /// The host.
        host: String,
        /// The run's id.
        id: u64,
        /// The line.
        line: String,
    },
    /// The end of a run.
    Exit {
        /// The host.
        host: String,
        /// The run's id.
        id: u64,
        /// Its exit code.
        code: u8,
        /// What it said on ending.
        message: String,
    },
    /// A tail, search or run lost: the channel closed before its answer (ask again), or the host
    /// could not read the request.
    Lost {
        /// The host.
        host: String,
        /// The request's id.
        id: u64,
        /// Why, in words.
        why: String,
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
/// channel's generation, so a late word from a closed channel is ignored), a request to send,
/// or stop.
enum Heard {
    Line(u64, String),
    End(u64),
    Send(Box<Request>),
    Stop,
}

/// A host's channel, kept open (and reopened) until dropped.
#[derive(Debug)]
pub struct Connection {
    host: String,
    stop: Sender<Heard>,
    pid: Arc<AtomicU32>,
    next_id: AtomicU64,
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
            pending: BTreeMap::new(),
        };
        let supervisor_name = supervisor.host.name.clone();
        let thread = std::thread::Builder::new()
            .name(format!("host-{}", supervisor.host.name))
            .spawn(move || supervisor.run())?;
        Ok(Connection {
            host: supervisor_name,
            stop: tx,
            pid,
            next_id: AtomicU64::new(1),
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
    /// Requests not answered yet, by id: sent on the open channel, or waiting for one.
    /// By kind and id: a dashboard's move may share its id with a tail (see
    /// [`Connection::send_move_with_key`]).
    pending: BTreeMap<(requests::Kind, u64), Request>,
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
            self.lose_reads(&why.to_string());
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
                    Ok(Heard::Send(request)) => {
                        self.pending.insert(requests::slot(&request), *request);
                    }
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
}
