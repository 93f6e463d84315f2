//! Several hosts at once, over SSH: the hosts in the config ([`host`]), the versioned JSON-lines
//! protocol a remote `beadboard serve --stdio` speaks ([`protocol`]), the command line that
//! starts it, quoted for the remote shell ([`quote`]), and the client that keeps one channel
//! per host and says how each host is doing ([`client`], [`state`]). On the open channel a
//! client asks for moves (made on the host under its lock, once per idempotency key), tails
//! and searches: [`Connection::send_move`], [`Connection::tail`], [`Connection::search`], whose
//! answers come as [`Update`]s. No terminal code; typed errors.

pub mod client;
pub mod failure;
pub mod host;
pub mod protocol;
pub mod quote;
pub mod state;

pub use client::{Connection, Update, probe};
pub use failure::DownReason;
pub use host::{Host, HostEntry, HostError, LOCAL};
pub use state::{Backoff, HostState};
