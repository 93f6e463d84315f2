//! The channel protocol: JSON lines over the stdio of `beadboard serve --stdio` (through ssh).
//!
//! The host speaks first: one [`Frame::Hello`] (protocol version, beadboard version,
//! capabilities), then one [`Frame::Snapshot`] (every run, bead and condition as events, read
//! by the same code as locally, sent once every watch is in place), then a [`Frame::Event`] for
//! each change as it happens, and a [`Frame::Heartbeat`] every interval. The client may send
//! [`Request`]s on the host's stdin (a ping, answered with a [`Frame::Pong`]); closing stdin
//! ends the host's side. Whole transcripts are never sent: a [`Request::Tail`] asks for bytes
//! from an offset, capped at [`TAIL_MAX`] (designed, not served yet).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The protocol version this beadboard speaks. A host that says another one is refused with
/// both versions named.
pub const PROTOCOL: u32 = 1;

/// What a host can do beyond the basics, announced in its hello.
pub const CAPABILITIES: [&str; 3] = ["snapshot", "events", "ping"];

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
    /// A transcript's bytes from an offset (not served yet: answered with an error).
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
}
