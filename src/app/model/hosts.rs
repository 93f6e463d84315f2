//! The hosts the dashboard shows: this machine (unless `--host` left it out) and each
//! configured host, with how each is doing ([`HostStatus`]: the client's host state on the
//! wall clock, each time a moment worded when drawn) and what it reported. A host's snapshot and events
//! ([`HostNews`], decoded in `hosts/said.rs`) become runs in the Runs list, each keyed by its
//! host (`runs/remote.rs`), so the filter, attention and notices span hosts. Nothing here waits
//! on a host: the news arrives as messages.

mod apply;
mod moves;
mod said;
mod search;

pub use moves::action_of;
pub use said::Said;

use crate::remote::{HostState, Update};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// How a host is doing, its moments on the wall clock: the client's own [`HostState`], each
/// moment placed where it stands (`app::work::hosts`), so the screen words ages and waits when
/// drawn.
pub type HostStatus = HostState<DateTime<Utc>>;

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
    /// What it can do, as its last hello listed it (empty before one).
    pub capabilities: Vec<String>,
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
                    capabilities: Vec::new(),
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

    /// Whether `host`'s last hello listed `capability`.
    #[must_use]
    pub fn can(&self, host: &str, capability: &str) -> bool {
        self.get(host)
            .is_some_and(|h| h.capabilities.iter().any(|c| c == capability))
    }

    /// Whether a host's line moves with the clock (a wait, an age or a countdown is shown).
    #[must_use]
    pub fn shows_clock(&self) -> bool {
        self.list.iter().any(|h| !h.status.is_live())
    }

    /// How many hosts are in each state: live, and not live (connecting, stale or down).
    #[must_use]
    pub fn counts(&self) -> (usize, usize) {
        let live = self.list.iter().filter(|h| h.status.is_live()).count();
        (live, self.list.len() - live)
    }
}

#[cfg(test)]
mod tests;
