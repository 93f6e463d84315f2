//! Requests on a host's channel: the [`Connection`] methods that ask (a move, a tail, a
//! follow and its end, a search and its cancel), and the supervisor's side that sends them when the channel is open, re-sends moves
//! after a reconnection, and turns the answers into [`Update`]s.

use super::{Connection, Heard, Supervisor, Update};
use crate::remote::protocol::{
    self, Frame, Move, MoveOutcome, MoveResult, Request, SearchDone, SearchSpec, TAIL_MAX,
};
use std::io::Write;
use std::process::ChildStdin;
use std::sync::atomic::Ordering;

/// A move handed to a connection: the id its answer ([`Update::Moved`]) carries, and its
/// idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveTicket {
    /// The id of the answer.
    pub id: u64,
    /// The key the host remembers the move by.
    pub key: String,
}

/// A key no other move shares: this process, the time, a count and randomness.
#[must_use]
pub fn new_key(id: u64) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{:x}-{nanos:x}-{id:x}-{:016x}",
        std::process::id(),
        fastrand::u64(..)
    )
}

impl Connection {
    fn next(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::SeqCst)
    }

    fn ask(&self, request: Request) {
        // A connection whose supervisor is gone answers nothing; the caller's updates end.
        let _ = self.stop.send(Heard::Send(Box::new(request)));
    }

    /// The host's name.
    #[must_use]
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Sends `mv` to be made on the host, under its lock, with a new idempotency key. The
    /// answer comes as [`Update::Moved`] (and [`Update::Waiting`] while a lock is busy); if the
    /// channel drops first, the move is sent again with the same key once it is back.
    #[must_use]
    pub fn send_move(&self, mv: Move) -> MoveTicket {
        let id = self.next();
        let key = new_key(id);
        self.send_move_with_key(mv, key.clone(), id);
        MoveTicket { id, key }
    }

    /// As [`Self::send_move`] with the caller's key and id (a dashboard numbering its own
    /// writes): a move the caller tries again with the same key is made once. The id need not
    /// differ from this connection's own ids (tails, searches, runs): answers are matched by
    /// kind and id.
    pub fn send_move_with_key(&self, mv: Move, key: String, id: u64) {
        self.ask(Request::Move { id, key, mv });
    }

    /// Asks for the transcript of the run `reference` (an agentpair run's `<repo id>/<run id>`
    /// or an agent session's reference) from byte `from`, at most `max` bytes (capped at
    /// [`TAIL_MAX`]). The answer comes as [`Update::Tail`], or [`Update::Lost`].
    #[must_use]
    pub fn tail(&self, reference: &str, from: u64, max: u64) -> u64 {
        let id = self.next();
        self.ask(Request::Tail {
            id,
            run: reference.to_owned(),
            from,
            max: max.min(TAIL_MAX),
        });
        id
    }

    /// Follows the transcript of the run `reference` with the caller's `id` (unique among its
    /// follows): its bytes from `from` (`None`: its last stretch) come at once as
    /// [`Update::Tail`]s carrying `id`, then what is appended there, pushed as the host sees it,
    /// until [`Self::unfollow`]. The channel dropping ends it ([`Update::Lost`]): follow again.
    /// A host too old to follow answers with an error here.
    pub fn follow(&self, reference: &str, from: Option<u64>, id: u64) {
        self.ask(Request::Follow {
            id,
            run: reference.to_owned(),
            from,
        });
    }

    /// Stops the follow `id` (nothing more is pushed for it; nothing answers).
    pub fn unfollow(&self, id: u64) {
        self.ask(Request::Unfollow { id });
    }

    /// Runs a reading subcommand on the host (see [`Request::Run`]), naming the host `name` in
    /// its JSON records (and before its lines of text with `prefixed`). Its lines come as
    /// [`Update::Output`], then [`Update::Exit`] (or [`Update::Lost`]).
    #[must_use]
    pub fn run(&self, args: Vec<String>, prefixed: bool) -> u64 {
        let id = self.next();
        self.ask(Request::Run {
            id,
            args,
            host: self.host.clone(),
            prefixed,
        });
        id
    }

    /// Searches every transcript on the host. Matches come as [`Update::Hits`] as they are
    /// found, then [`Update::SearchEnd`] (or [`Update::Lost`]).
    #[must_use]
    pub fn search(&self, spec: SearchSpec) -> u64 {
        let id = self.next();
        self.search_with_id(spec, id);
        id
    }

    /// As [`Self::search`] with the caller's id (a dashboard numbering its own searches; the
    /// caller keeps it apart from this connection's own ids, answers being matched by kind and
    /// id).
    pub fn search_with_id(&self, spec: SearchSpec, id: u64) {
        self.ask(Request::Search { id, spec });
    }

    /// Stops the search `id` (its matches are no longer wanted): on a host that can cancel
    /// (its hello lists `cancel`) it ends soon with [`Update::SearchEnd`] saying it was
    /// cancelled; one not sent yet (the channel is down) is never sent, and ends so at once;
    /// an older host searches on (nothing is sent to it). An id that is no search under way
    /// is ignored.
    pub fn cancel_search(&self, id: u64) {
        self.ask(Request::Cancel { id });
    }
}

/// Writes one request line; false when the channel's stdin is closed.
pub(super) fn write(stdin: &mut ChildStdin, request: &Request) -> bool {
    let Ok(line) = protocol::line(request) else {
        return false;
    };
    writeln!(stdin, "{line}")
        .and_then(|()| stdin.flush())
        .is_ok()
}

/// What a request is, for matching its answers (ids are unique within a kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    Move,
    Tail,
    Follow,
    Search,
    Run,
    Ping,
}

/// Where a request waits for its answer.
pub(super) fn slot(request: &Request) -> (Kind, u64) {
    let kind = match request {
        Request::Move { .. } => Kind::Move,
        Request::Tail { .. } => Kind::Tail,
        Request::Follow { .. } | Request::Unfollow { .. } => Kind::Follow,
        Request::Search { .. } | Request::Cancel { .. } => Kind::Search,
        Request::Run { .. } => Kind::Run,
        Request::Ping { .. } => Kind::Ping,
    };
    (kind, request.id())
}

impl Supervisor {
    /// A request from the caller: kept until answered, and sent now if the channel is open
    /// (and the host can serve it).
    pub(super) fn request(&mut self, request: Request, open: Option<(&mut ChildStdin, &[String])>) {
        if let Request::Unfollow { id } = request {
            // Not sent yet (the channel is down): never sent.
            let sent = self.pending.remove(&(Kind::Follow, id)).is_some();
            if let (true, Some((stdin, capabilities))) = (sent, open)
                && capabilities.iter().any(|c| c == "follow")
            {
                write(stdin, &request);
            }
            return;
        }
        if let Request::Cancel { id } = request {
            self.cancel(id, open);
            return;
        }
        if let Some((stdin, capabilities)) = open {
            if self.refuse_unsupported(&request, capabilities) {
                // Answered here: nothing waits for the host.
                return;
            }
            write(stdin, &request);
        }
        if !matches!(request, Request::Ping { .. }) {
            self.pending.insert(slot(&request), request);
        }
    }

    /// Sends every request waiting for the channel (after the hello).
    pub(super) fn send_pending(&mut self, stdin: &mut ChildStdin, capabilities: &[String]) {
        let waiting: Vec<Request> = self.pending.values().cloned().collect();
        for request in waiting {
            if !self.refuse_unsupported(&request, capabilities) {
                write(stdin, &request);
            }
        }
    }

    /// Cancels the search `id`: sent to a host that can cancel while it runs there (its end
    /// answers it); one waiting for the channel is dropped and ended here as cancelled,
    /// having searched nothing.
    fn cancel(&mut self, id: u64, open: Option<(&mut ChildStdin, &[String])>) {
        let slot = (Kind::Search, id);
        if !self.pending.contains_key(&slot) {
            return;
        }
        match open {
            Some((stdin, capabilities)) => {
                if capabilities.iter().any(|c| c == "cancel") {
                    write(stdin, &Request::Cancel { id });
                }
            }
            None => {
                self.pending.remove(&slot);
                let done = SearchDone {
                    cancelled: true,
                    ..SearchDone::default()
                };
                let host = self.host.name.clone();
                self.report(Update::SearchEnd { host, id, done });
            }
        }
    }

    /// Answers here a request the host cannot serve (an older beadboard); true if it did.
    fn refuse_unsupported(&mut self, request: &Request, capabilities: &[String]) -> bool {
        let needs = match request {
            Request::Ping { .. } => return false,
            Request::Move { .. } => "move",
            Request::Tail { .. } => "tail",
            Request::Follow { .. } | Request::Unfollow { .. } => "follow",
            Request::Search { .. } => "search",
            Request::Cancel { .. } => "cancel",
            Request::Run { .. } => "run",
        };
        if capabilities.iter().any(|c| c == needs) {
            return false;
        }
        let why = format!(
            "{}'s beadboard cannot {needs} remotely: install the same beadboard version on both",
            self.host.name
        );
        self.pending.remove(&slot(request));
        let host = self.host.name.clone();
        self.report(match request {
            Request::Move { id, key, mv } => Update::Moved {
                host,
                id: *id,
                key: key.clone(),
                outcome: MoveOutcome::not_applied(mv, MoveResult::Failed, "unsupported", why),
            },
            Request::Follow { id, .. } => Update::Tail {
                host,
                id: *id,
                result: Err(why),
            },
            other => Update::Lost {
                host,
                id: other.id(),
                why,
            },
        });
        true
    }

    /// The tails and searches under way when the channel closed are lost (moves stay, to be
    /// sent again with their keys).
    pub(super) fn lose_reads(&mut self, why: &str) {
        let lost: Vec<(Kind, u64)> = self
            .pending
            .keys()
            .filter(|(kind, _)| *kind != Kind::Move)
            .copied()
            .collect();
        for (kind, id) in lost {
            self.pending.remove(&(kind, id));
            self.report(Update::Lost {
                host: self.host.name.clone(),
                id,
                why: why.to_owned(),
            });
        }
    }

    /// The request an error answers: a read's first (a move is answered by a `moved` frame
    /// even when it fails).
    fn take_errored(&mut self, id: u64) -> Option<Request> {
        [
            Kind::Tail,
            Kind::Follow,
            Kind::Search,
            Kind::Run,
            Kind::Move,
        ]
        .into_iter()
        .find_map(|kind| self.pending.remove(&(kind, id)))
    }

    /// An answer frame as an update; `None` for a frame that answers no request.
    pub(super) fn answer(&mut self, frame: Frame) -> Option<Frame> {
        let host = self.host.name.clone();
        let update = match frame {
            Frame::Waiting { id, what } => Update::Waiting { host, id, what },
            Frame::Moved { id, key, outcome } => {
                self.pending.remove(&(Kind::Move, id));
                Update::Moved {
                    host,
                    id,
                    key,
                    outcome: *outcome,
                }
            }
            Frame::Tail { id, chunk } => {
                // A follow's pushes come until it is ended; a tail's answer comes once.
                if !self.pending.contains_key(&(Kind::Follow, id)) {
                    self.pending.remove(&(Kind::Tail, id));
                }
                Update::Tail {
                    host,
                    id,
                    result: Ok(chunk),
                }
            }
            Frame::Hits { id, hits } => Update::Hits { host, id, hits },
            Frame::Output { id, line } => Update::Output { host, id, line },
            Frame::Exit { id, code, message } => {
                self.pending.remove(&(Kind::Run, id));
                Update::Exit {
                    host,
                    id,
                    code,
                    message,
                }
            }
            Frame::SearchEnd { id, done } => {
                self.pending.remove(&(Kind::Search, id));
                Update::SearchEnd { host, id, done }
            }
            Frame::Error {
                id: Some(id),
                message,
            } => match self.take_errored(id) {
                Some(Request::Tail { .. } | Request::Follow { .. }) => Update::Tail {
                    host,
                    id,
                    result: Err(message),
                },
                Some(Request::Move { key, mv, .. }) => Update::Moved {
                    host,
                    id,
                    key,
                    outcome: MoveOutcome::not_applied(&mv, MoveResult::Failed, "error", message),
                },
                _ => Update::Lost {
                    host,
                    id,
                    why: message,
                },
            },
            other => return Some(other),
        };
        self.report(update);
        None
    }
}
