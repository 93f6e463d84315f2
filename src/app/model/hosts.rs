//! The hosts the dashboard shows: this machine (unless `--host` left it out) and each
//! configured host, with how each is doing ([`HostStatus`]: connecting, live with its latency,
//! stale with the age of its last data, down with why and when the next try is; every time
//! is a moment, worded when drawn) and what it reported. A host's snapshot and events
//! ([`HostNews`], decoded in `hosts/said.rs`) become runs in the Runs list, each keyed by its
//! host (`runs/remote.rs`), so the filter, attention and notices span hosts. Nothing here waits
//! on a host: the news arrives as messages.

mod apply;
mod moves;
mod said;

pub use moves::action_of;
pub use said::Said;

use crate::remote::Update;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// How a host is doing, as of the moments it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostStatus {
    /// Its channel is being opened.
    Connecting {
        /// Since when.
        since: DateTime<Utc>,
        /// Which try this is (1 for the first).
        attempt: u32,
    },
    /// Its channel is open and it speaks.
    Live {
        /// Its beadboard version.
        version: String,
        /// The last ping's round trip (`None`: none answered yet).
        latency: Option<Duration>,
    },
    /// Its channel is open but it has been silent too long: its last data is still shown.
    Stale {
        /// Its beadboard version.
        version: String,
        /// When it last sent anything.
        last_data: DateTime<Utc>,
    },
    /// Its channel is closed.
    Down {
        /// Why, in words that say what to do.
        why: String,
        /// When it went down.
        at: DateTime<Utc>,
        /// When the next try is.
        retry_at: DateTime<Utc>,
    },
}

impl HostStatus {
    /// `connecting`, `live`, `stale` or `down`.
    #[must_use]
    pub fn label(&self) -> &'static str {
        match self {
            HostStatus::Connecting { .. } => "connecting",
            HostStatus::Live { .. } => "live",
            HostStatus::Stale { .. } => "stale",
            HostStatus::Down { .. } => "down",
        }
    }
}

/// What a host's connection reported, as a message for the event loop: its state (its
/// moments on the wall clock), or what it said, as the client reports it (a snapshot, a
/// change, a move's wait or answer, a tail, a lost request).
#[derive(Debug, Clone, PartialEq)]
pub enum HostNews {
    /// Its state changed (or, live, its latency was measured again).
    Status {
        /// The host.
        host: String,
        /// The state now.
        status: HostStatus,
    },
    /// Anything else it reported (never [`Update::State`], which comes as `Status`; boxed: a
    /// move's answer is large).
    Said(Box<Update>),
}

/// One configured host as the dashboard knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct HostView {
    /// Its name.
    pub name: String,
    /// How it is doing.
    pub status: HostStatus,
    /// When its last snapshot or event arrived (`None`: nothing yet).
    pub last_data: Option<DateTime<Utc>>,
    /// Its runs: the host's reference → the key it is listed by.
    pub(super) runs: BTreeMap<String, PathBuf>,
    /// How many snapshots it sent (the first one's findings are shown, not announced).
    pub snapshots: u32,
}

/// Every host shown.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hosts {
    /// This machine is shown.
    pub local: bool,
    /// The configured hosts shown, in the config's order.
    pub list: Vec<HostView>,
}

impl Hosts {
    /// Only this machine (no host configured).
    #[must_use]
    pub fn local_only() -> Hosts {
        Hosts {
            local: true,
            list: Vec::new(),
        }
    }

    /// This machine when `local`, and the hosts `names`, each connecting since `now`.
    #[must_use]
    pub fn new(local: bool, names: &[String], now: DateTime<Utc>) -> Hosts {
        Hosts {
            local,
            list: names
                .iter()
                .map(|name| HostView {
                    name: name.clone(),
                    status: HostStatus::Connecting {
                        since: now,
                        attempt: 1,
                    },
                    last_data: None,
                    runs: BTreeMap::new(),
                    snapshots: 0,
                })
                .collect(),
        }
    }

    /// More than one host is shown: every run and card then says which host it is on.
    #[must_use]
    pub fn several(&self) -> bool {
        usize::from(self.local) + self.list.len() > 1
    }

    /// The host named `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&HostView> {
        self.list.iter().find(|h| h.name == name)
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut HostView> {
        self.list.iter_mut().find(|h| h.name == name)
    }

    /// Whether a host's line moves with the clock (a wait, an age or a countdown is shown).
    #[must_use]
    pub fn shows_clock(&self) -> bool {
        self.list
            .iter()
            .any(|h| !matches!(h.status, HostStatus::Live { .. }))
    }

    /// How many hosts are in each state: live, and not live (connecting, stale or down).
    #[must_use]
    pub fn counts(&self) -> (usize, usize) {
        let live = self
            .list
            .iter()
            .filter(|h| matches!(h.status, HostStatus::Live { .. }))
            .count();
        (live, self.list.len() - live)
    }
}

#[cfg(test)]
mod tests;
