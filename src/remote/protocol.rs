//! The channel protocol: JSON lines over the stdio of `beadboard serve --stdio` (through ssh).
//!
//! The host speaks first: one [`Frame::Hello`] (protocol version, beadboard version,
//! capabilities), then one [`Frame::Snapshot`] (every run, bead and condition as events, read
//! by the same code as locally, sent once every watch is in place), then a [`Frame::Event`] for
//! each change as it happens, and a [`Frame::Heartbeat`] every interval. The client may send
//! [`Request`]s on the host's stdin, each with an id its answers carry: a ping (answered with a
//! [`Frame::Pong`]), a move (made on the host under its lock, [`Frame::Waiting`] while a lock is
//! busy, then [`Frame::Moved`]), a tail (a transcript's bytes from an offset, capped at
//! [`TAIL_MAX`]: [`Frame::Tail`]), a follow (a transcript's last stretch, then what is
//! appended to it, pushed as the host's file watcher sees it, as [`Frame::Tail`]s carrying the
//! follow's id, until [`Request::Unfollow`]) and a search ([`Frame::Hits`] as found, then
//! [`Frame::SearchEnd`]; a [`Request::Cancel`] stops it early, its end then saying so). Closing stdin ends the host's side, once the moves under way are made.
//! Whole transcripts are never sent.
//!
//! Compatibility: a host says what it can do in its hello's capabilities; a client asks only
//! for what its host can do (an older host is answered on the client's side), and ignores
//! fields it does not know. So a protocol change that adds a request, a capability or a field
//! keeps [`PROTOCOL`]; one that changes what an existing frame means bumps it. `follow`,
//! `facts` (a `run` event's `facts`: what the run's row shows) and `cancel` came so. Everything a request names (a session, a bead, a run, a
//! pattern) is data on the channel, never a word on a command line.

mod moves;
mod reads;

pub use moves::{Expected, Move, MoveAction, MoveOutcome, MoveResult};
pub use reads::{SearchDone, SearchSpec, TailChunk};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The protocol version this beadboard speaks. A host that says another one is refused with
/// both versions named.
pub const PROTOCOL: u32 = 1;

/// What a host can do beyond the basics, announced in its hello.
pub const CAPABILITIES: [&str; 10] = [
    "snapshot", "events", "ping", "move", "tail", "search", "run", "follow", "facts", "cancel",
];

/// The most bytes one tail answer may carry.
pub const TAIL_MAX: u64 = 64 << 10;

/// One line from the host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "frame", rename_all = "snake_case")]
pub enum Frame {
    /// The first line: who is speaking.
    Hello {
        /// The protocol version ([`PROTOCOL`] on a compatible host).
        protocol: u32,
        /// The host's beadboard version.
        version: String,
        /// What the host can do ([`CAPABILITIES`]).
        #[serde(default)]
        capabilities: Vec<String>,
    },
    /// The host's state when every watch is in place: from then on no change is missed.
    Snapshot {
        /// Every run, bead and condition, as `beadboard watch --json --snapshot` events.
        events: Vec<serde_json::Value>,
        /// How many runs are watched.
        runs: usize,
        /// How many NTM sessions are watched.
        sessions: usize,
        /// Why the host polls for changes (absent with file events).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        polling: Option<String>,
    },
    /// A change, as a `beadboard watch --json` event.
    Event {
        /// The event.
        event: serde_json::Value,
    },
    /// The host is alive and the channel open.
    Heartbeat {
        /// Counts up from 1.
        seq: u64,
        /// The host's clock when it was sent.
        at: DateTime<Utc>,
    },
    /// The answer to a [`Request::Ping`].
    Pong {
        /// The ping's id.
        id: u64,
    },
    /// A request is waiting, for a lock another program holds (`waiting for NTM's lock on
    /// wa-1`): its answer comes when it is free.
    Waiting {
        /// The request's id.
        id: u64,
        /// What it waits for, in words.
        what: String,
    },
    /// The answer to a [`Request::Move`].
    Moved {
        /// The move's id.
        id: u64,
        /// Its idempotency key.
        key: String,
        /// How it went.
        outcome: Box<MoveOutcome>,
    },
    /// The answer to a [`Request::Tail`], or what a [`Request::Follow`] pushes.
    Tail {
        /// The tail's (or the follow's) id.
        id: u64,
        /// The bytes.
        chunk: TailChunk,
    },
    /// Matches of a [`Request::Search`], as found (`beadboard search --json` lines).
    Hits {
        /// The search's id.
        id: u64,
        /// The matches.
        hits: Vec<serde_json::Value>,
    },
    /// The end of a [`Request::Search`].
    SearchEnd {
        /// The search's id.
        id: u64,
        /// How it went.
        done: SearchDone,
    },
    /// A line a [`Request::Run`] printed on its stdout.
    Output {
        /// The run's id.
        id: u64,
        /// The line, without its newline.
        line: String,
    },
    /// The end of a [`Request::Run`].
    Exit {
        /// The run's id.
        id: u64,
        /// Its exit code (see `beadboard --help`).
        code: u8,
        /// What it said on ending (empty on success).
        #[serde(default)]
        message: String,
    },
    /// A request that could not be served.
    Error {
        /// The request's id, when it had one that could be read.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// Why.
        message: String,
    },
}

/// One line to the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "snake_case")]
pub enum Request {
    /// Answer with a pong at once (latency on the open channel).
    Ping {
        /// Echoed in the pong.
        id: u64,
    },
    /// Make a move under the host's lock. A repeated key is answered with the first try's
    /// outcome, and the move is not made again.
    Move {
        /// Echoed in the answer.
        id: u64,
        /// The idempotency key: unique to this move, the same on every retry of it.
        key: String,
        /// The move.
        #[serde(rename = "move")]
        mv: Move,
    },
    /// A transcript's bytes from an offset: an agentpair run or an agent session, by reference.
    Tail {
        /// Echoed in the answer.
        id: u64,
        /// The run's reference, `<repo id>/<run id>`.
        run: String,
        /// The byte offset to start at.
        from: u64,
        /// At most this many bytes (capped at [`TAIL_MAX`]).
        max: u64,
    },
    /// Follow a transcript: its bytes from `from` (`None`: its last stretch, at most
    /// [`TAIL_MAX`] bytes before its end) at once, then whatever is appended to it, as the
    /// host's watcher sees it, each a [`Frame::Tail`] with this id (at most [`TAIL_MAX`] bytes,
    /// whole lines), until [`Request::Unfollow`] or the channel's end. Nothing else is sent of a
    /// transcript no one follows.
    Follow {
        /// Carried by every [`Frame::Tail`] it sends.
        id: u64,
        /// The run's reference, `<repo id>/<run id>` (or an agent session's).
        run: String,
        /// The byte offset to start at (`None`: the last stretch).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<u64>,
    },
    /// Stop following (the pane no longer shows the run). Answered by nothing.
    Unfollow {
        /// The follow's id.
        id: u64,
    },
    /// Run a reading subcommand on the host (`runs`, `transcript`, `assignments`, `status`,
    /// `watch`, `sessions`, `search`, `stats`, `doctor`): its arguments as data, read by the
    /// host's own command line parser (no shell); its stdout comes back line by line
    /// ([`Frame::Output`]), then its exit code ([`Frame::Exit`]).
    Run {
        /// Echoed in the answers.
        id: u64,
        /// The subcommand and its arguments (`["runs", "--json"]`).
        args: Vec<String>,
        /// The name the client gives the host: every JSON record says it as `host`.
        host: String,
        /// Put `host:` before every line of text (several hosts are shown).
        #[serde(default)]
        prefixed: bool,
    },
    /// Search every transcript on the host.
    Search {
        /// Echoed in the answers.
        id: u64,
        /// What to look for.
        #[serde(flatten)]
        spec: SearchSpec,
    },
    /// Stop the search `id` (no one wants its matches any more): it stops within a bounded
    /// amount of reading and ends with its [`Frame::SearchEnd`], saying it was cancelled
    /// ([`SearchDone::cancelled`]). An id no search under way has (unknown, or already ended)
    /// is ignored. Answered by nothing but the search's end.
    Cancel {
        /// The search's id.
        id: u64,
    },
}

impl Request {
    /// The request's id.
    #[must_use]
    pub fn id(&self) -> u64 {
        match self {
            Request::Ping { id }
            | Request::Move { id, .. }
            | Request::Tail { id, .. }
            | Request::Follow { id, .. }
            | Request::Unfollow { id }
            | Request::Run { id, .. }
            | Request::Search { id, .. }
            | Request::Cancel { id } => *id,
        }
    }
}

/// The hello this beadboard sends.
#[must_use]
pub fn hello() -> Frame {
    Frame::Hello {
        protocol: PROTOCOL,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        capabilities: CAPABILITIES.iter().map(|&c| c.to_owned()).collect(),
    }
}

/// One frame as its line (without the newline).
///
/// # Errors
/// Only if the frame cannot be serialised (it always can).
pub fn line<T: Serialize>(frame: &T) -> serde_json::Result<String> {
    serde_json::to_string(frame)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_and_requests_are_tagged_json_lines() {
        let hello = line(&hello()).unwrap();
        assert!(
            hello.starts_with("{\"frame\":\"hello\",\"protocol\":1,"),
            "{hello}"
        );
        assert_eq!(
            serde_json::from_str::<Frame>(&hello).unwrap(),
            super::hello()
        );
        let ping = line(&Request::Ping { id: 7 }).unwrap();
        assert_eq!(ping, "{\"request\":\"ping\",\"id\":7}");
        // A newer host's extra fields are ignored; an unknown frame is an error.
        let newer = "{\"frame\":\"pong\",\"id\":3,\"extra\":true}";
        assert_eq!(
            serde_json::from_str::<Frame>(newer).unwrap(),
            Frame::Pong { id: 3 }
        );
        assert!(serde_json::from_str::<Frame>("{\"frame\":\"nope\"}").is_err());
    }

    #[test]
    fn a_cancel_and_a_cancelled_end_go_round_and_an_older_peer_reads_them() {
        assert!(CAPABILITIES.contains(&"cancel"), "announced in the hello");
        let cancel = line(&Request::Cancel { id: 9 }).unwrap();
        assert_eq!(cancel, "{\"request\":\"cancel\",\"id\":9}");
        assert_eq!(
            serde_json::from_str::<Request>(&cancel).unwrap(),
            Request::Cancel { id: 9 }
        );
        let done = SearchDone {
            hits: 3,
            files: 120,
            total: 5000,
            cancelled: true,
            ..SearchDone::default()
        };
        let end = line(&Frame::SearchEnd {
            id: 9,
            done: done.clone(),
        })
        .unwrap();
        assert!(end.contains("\"cancelled\":true"), "{end}");
        assert_eq!(
            serde_json::from_str::<Frame>(&end).unwrap(),
            Frame::SearchEnd { id: 9, done }
        );
        // An older host's end (no `total`, no `cancelled`) reads as a search that finished.
        let old =
            "{\"frame\":\"search_end\",\"id\":4,\"done\":{\"hits\":1,\"files\":5,\"code\":0}}";
        let Frame::SearchEnd { done, .. } = serde_json::from_str::<Frame>(old).unwrap() else {
            panic!("not an end")
        };
        assert_eq!((done.files, done.total, done.cancelled), (5, 0, false));
        // A finished search's end says nothing of cancelling (older clients see what they knew).
        let finished = line(&SearchDone::default()).unwrap();
        assert!(!finished.contains("cancelled"), "{finished}");
    }
}
