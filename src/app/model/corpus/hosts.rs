//! Other hosts' part of a search of every transcript (`F`): each live host searches its own
//! transcripts on its channel while this machine's worker searches here; their matches are
//! merged into the one list as they arrive, each with its run named by its host. A host that
//! is down or still connecting is not waited for: the list says it was not searched and why.
//! Esc stops taking the hosts' matches (what came stays), and each host still searching that
//! can cancel is told to stop (its end then says it did); an older host searches on, its
//! matches dropped.

use super::CorpusResults;
use crate::remote::protocol::SearchDone;
use crate::search::{Hit, Target};

/// The ids of this dashboard's searches on hosts: a search's own id added to this, far from
/// the connection's own ids (from 1) and from the dashboard's moves (`app::work::MOVE_IDS`).
pub const HOST_SEARCH_IDS: u64 = 1 << 47;

/// How a host's part of a search is going.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostSearchState {
    /// Asked; its matches come as found.
    Searching,
    /// It searched every transcript it has.
    Done {
        /// Its matches.
        hits: u64,
        /// Its transcripts searched.
        files: u64,
    },
    /// It was not asked: why (down, connecting), in words.
    NotSearched(String),
    /// It could not search, or its channel closed first: why.
    Failed(String),
    /// Esc (or a newer search, or the list closed): it was told to stop, and has not said it
    /// did yet; its matches are no longer taken.
    Cancelling,
    /// It stopped when told to, before searching everything.
    Cancelled {
        /// Its transcripts searched.
        files: u64,
        /// Its transcripts there were to search (0: it did not say).
        total: u64,
    },
    /// Esc, on a host too old to be told to stop: its matches are no longer taken, and it
    /// searches on to its end.
    Stopped,
}

/// One host's part of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSearch {
    /// The host.
    pub host: String,
    /// How it is going.
    pub state: HostSearchState,
    /// Its matches taken so far.
    pub hits: usize,
}

impl CorpusResults {
    /// The id this search's requests carry on every host.
    #[must_use]
    pub fn host_request_id(&self) -> u64 {
        HOST_SEARCH_IDS + self.id
    }

    /// Whether a host is still searching.
    #[must_use]
    pub fn hosts_searching(&self) -> bool {
        self.hosts
            .iter()
            .any(|h| h.state == HostSearchState::Searching)
    }

    /// Whether a host was told to stop and has not said it did yet.
    #[must_use]
    pub fn hosts_cancelling(&self) -> bool {
        self.hosts
            .iter()
            .any(|h| h.state == HostSearchState::Cancelling)
    }

    /// Stops taking the hosts' matches: each host still searching that `can_cancel` is to be
    /// told to stop (returned); the others search on, unheard.
    pub(super) fn stop_hosts(&mut self, can_cancel: impl Fn(&str) -> bool) -> Vec<String> {
        let mut told = Vec::new();
        for h in &mut self.hosts {
            if h.state == HostSearchState::Searching {
                h.state = if can_cancel(&h.host) {
                    told.push(h.host.clone());
                    HostSearchState::Cancelling
                } else {
                    HostSearchState::Stopped
                };
            }
        }
        told
    }

    /// `host`'s part of this search, while it takes answers to request `id` (its matches
    /// only while `searching`; its end also while cancelling).
    fn part(&mut self, host: &str, id: u64, ending: bool) -> Option<&mut HostSearch> {
        let ours = id == self.host_request_id();
        self.hosts.iter_mut().find(|h| {
            ours && h.host == host
                && (h.state == HostSearchState::Searching
                    || (ending && h.state == HostSearchState::Cancelling))
        })
    }

    /// `host`'s part of this search, while it takes matches of request `id`.
    fn searching(&mut self, host: &str, id: u64) -> Option<&mut HostSearch> {
        self.part(host, id, false)
    }

    /// Takes matches `host` found for request `id`, each with its run; false when they are
    /// not this search's (or it stopped taking them).
    pub fn host_hits(&mut self, host: &str, id: u64, found: Vec<(Target, Hit)>) -> bool {
        let Some(part) = self.searching(host, id) else {
            return false;
        };
        part.hits += found.len();
        let mut hits = Vec::with_capacity(found.len());
        for (target, mut hit) in found {
            let at = match self
                .host_targets
                .iter()
                .position(|t| t.run_dir() == target.run_dir())
            {
                Some(at) => at,
                None => {
                    let width = crate::present::text::width(&target.name());
                    self.name_width = self.name_width.max(width);
                    self.host_targets.push(target);
                    self.host_targets.len() - 1
                }
            };
            hit.target = self.targets.len() + at;
            hits.push(hit);
        }
        self.keep(hits);
        true
    }

    /// `host` finished request `id`, or could not run it.
    /// A host told to stop says how it ended: cancelled, or finished (the end crossed the
    /// cancel on the channel).
    pub fn host_end(&mut self, host: &str, id: u64, done: SearchDone) {
        if let Some(part) = self.part(host, id, true) {
            part.state = match done.error {
                Some(why) => HostSearchState::Failed(why),
                None if done.cancelled => HostSearchState::Cancelled {
                    files: done.files,
                    total: done.total,
                },
                None => HostSearchState::Done {
                    hits: done.hits,
                    files: done.files,
                },
            };
        }
    }

    /// `host`'s channel lost request `id`; false when it was not this search's.
    pub fn host_lost(&mut self, host: &str, id: u64, why: &str) -> bool {
        match self.part(host, id, true) {
            Some(part) => {
                part.state = HostSearchState::Failed(why.to_owned());
                true
            }
            None => id == self.host_request_id(),
        }
    }
}
