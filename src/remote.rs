//! Several hosts at once, over SSH: the hosts in the config ([`host`]), the versioned JSON-lines
//! protocol a remote `beadboard serve --stdio` speaks ([`protocol`]), the command line that
//! starts it, quoted for the remote shell ([`quote`]), and the client that keeps one channel
//! per host and says how each host is doing ([`client`], [`state`]). No terminal code; typed
//! errors. The dashboard does not use it yet.

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
