//! The pane each active card names, kept as the stores change: by card (so a store read forgets
//! its own cards' panes without a walk) and by pane (so a look that changed a pane finds the
//! cards naming it, and the bead a bound pane is doing, without parsing every card's NTM fields
//! again).

use crate::binding::PaneRef;
use std::collections::HashMap;

/// The panes the active cards name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Named {
    /// Each active card's pane, by session, then bead.
    by_card: HashMap<String, HashMap<String, PaneRef>>,
    /// The active cards (session, bead) naming each pane, in order: a sorted vector, as a pane
    /// is named by one card but for a store's mistake (a set's node would cost half a
    /// kilobyte a pane).
    by_pane: HashMap<PaneRef, Vec<(String, String)>>,
}

impl Named {
    /// Forgets every card.
    pub(super) fn clear(&mut self) {
        self.by_card.clear();
        self.by_pane.clear();
    }

    /// Notes that `session`'s active card `bead` names `pane`.
    pub(super) fn insert(&mut self, session: &str, bead: &str, pane: PaneRef) {
        let cards = self.by_pane.entry(pane.clone()).or_default();
        let card = (session.to_owned(), bead.to_owned());
        if let Err(at) = cards.binary_search(&card) {
            cards.insert(at, card);
        }
        let of = self.by_card.entry(session.to_owned()).or_default();
        of.insert(bead.to_owned(), pane);
    }

    /// Forgets every card of `session`.
    pub(super) fn forget_session(&mut self, session: &str) {
        let Some(beads) = self.by_card.remove(session) else {
            return;
        };
        for (bead, pane) in beads {
            if let Some(cards) = self.by_pane.get_mut(&pane) {
                if let Ok(at) = cards.binary_search(&(session.to_owned(), bead)) {
                    cards.remove(at);
                }
                if cards.is_empty() {
                    self.by_pane.remove(&pane);
                }
            }
        }
    }

    /// The active cards naming `pane` (session, bead), in order.
    pub(super) fn cards(&self, pane: &PaneRef) -> impl Iterator<Item = &(String, String)> {
        self.by_pane.get(pane).into_iter().flatten()
    }

    /// The bead `pane` is doing: that of the first active card naming it (several cards naming
    /// one pane is a store's mistake; one of them is as good as another).
    pub(super) fn bead(&self, pane: &PaneRef) -> Option<&str> {
        self.cards(pane).next().map(|(_, bead)| bead.as_str())
    }
}
