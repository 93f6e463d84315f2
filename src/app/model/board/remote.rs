//! Other hosts' cards on the board: what each host's bead events say of its assignments (id,
//! title, status, pane, agent) and the condition it judged, keyed by host, session and bead, so
//! a host's `webapp/wa-1` is never this machine's. Nothing of them is read or written here:
//! [`super::BoardPane::card`] knows only this machine's stores, so no key acts on a local
//! store for a remote card. Each host's sessions are summed up from its cards
//! ([`HostSession`]) for the header and the session picker, where one can be picked to be
//! shown alone.

use super::{BoardPane, CardKey};
use crate::persist::assignment::{AssignmentStats, AssignmentStatus};
use chrono::{DateTime, Utc};

/// A card on another host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteCard {
    /// The host.
    pub host: String,
    /// The NTM session there.
    pub session: String,
    /// The bead id.
    pub bead: String,
    /// The bead's title.
    pub title: String,
    /// The status, as the host's store writes it.
    pub status: AssignmentStatus,
    /// The pane it is assigned to.
    pub pane: i64,
    /// The agent type.
    pub agent: String,
    /// What the host judged of it (`None`: fine, or nothing said).
    pub attention: Option<String>,
    /// When the host last said anything of it.
    pub seen_at: DateTime<Utc>,
}

impl RemoteCard {
    /// Its key.
    #[must_use]
    pub fn key(&self) -> CardKey {
        CardKey::on_host(&self.host, &self.session, &self.bead)
    }

    /// Whether it passes the lowercase filter `needle` (the host and session count).
    #[must_use]
    pub fn matches(&self, needle: &str) -> bool {
        needle.is_empty()
            || [
                self.bead.as_str(),
                &self.title,
                &self.agent,
                self.status.as_str(),
                &self.host,
                &self.session,
                self.attention.as_deref().unwrap_or(""),
            ]
            .iter()
            .any(|f| f.to_lowercase().contains(needle))
    }
}

/// A session of another host, summed up from its cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSession {
    /// The host.
    pub host: String,
    /// The session there.
    pub session: String,
    /// Its cards' counts per status.
    pub stats: AssignmentStats,
}

impl HostSession {
    /// `gpu1:webapp`.
    #[must_use]
    pub fn name(&self) -> String {
        crate::present::naming::on_host(&self.host, &self.session)
    }
}

impl BoardPane {
    /// Whether any other host's card is known.
    #[must_use]
    pub fn has_remote(&self) -> bool {
        !self.remote.is_empty()
    }

    /// Every other host's session that has cards, by host then session.
    #[must_use]
    pub fn host_sessions(&self) -> Vec<HostSession> {
        let mut by: std::collections::BTreeMap<(&str, &str), Vec<&AssignmentStatus>> =
            std::collections::BTreeMap::new();
        for card in self.remote.values() {
            by.entry((card.host.as_str(), card.session.as_str()))
                .or_default()
                .push(&card.status);
        }
        by.into_iter()
            .map(|((host, session), statuses)| HostSession {
                host: host.to_owned(),
                session: session.to_owned(),
                stats: AssignmentStats::tally(statuses),
            })
            .collect()
    }

    /// Shows another host's session alone (picked with `S`): none of this machine's stores.
    pub fn open_host_session(&mut self, host: &str, session: &str) {
        self.merged = None;
        self.session = None;
        self.store = None;
        self.error = None;
        self.loading = false;
        self.marked.clear();
        self.selected = None;
        self.column = 0;
        self.host_session = Some((host.to_owned(), session.to_owned()));
        self.fix_selection();
    }

    /// Whether `card` is shown: every host's card, unless one host's session is shown alone.
    pub(super) fn shows_remote(&self, card: &RemoteCard) -> bool {
        self.host_session
            .as_ref()
            .is_none_or(|(h, s)| *h == card.host && *s == card.session)
    }

    /// A card on another host.
    #[must_use]
    pub fn remote_card(&self, key: &CardKey) -> Option<&RemoteCard> {
        self.remote.get(key)
    }

    /// The selected card, when it is on another host.
    #[must_use]
    pub fn selected_remote(&self) -> Option<&RemoteCard> {
        self.selected_key().and_then(|k| self.remote.get(k))
    }

    /// Shows (or shows again) a card of another host.
    pub fn put_remote_card(&mut self, card: RemoteCard) {
        self.remote.insert(card.key(), card);
        self.fix_selection();
    }

    /// Takes a card off that its host no longer has.
    pub fn drop_remote_card(&mut self, key: &CardKey) {
        if self.remote.remove(key).is_some() {
            self.fix_selection();
        }
    }

    /// Replaces every card of `host` (its snapshot after a (re)connection).
    pub fn replace_host_cards(&mut self, host: &str, cards: Vec<RemoteCard>) {
        self.remote.retain(|k, _| k.host.as_deref() != Some(host));
        for card in cards {
            self.remote.insert(card.key(), card);
        }
        self.fix_selection();
    }
}
