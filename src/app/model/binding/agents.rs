//! What each active card shows of its agent and what attention knows of each working bead's
//! agent, kept in step with what changed: everything after a look, a listing of every session
//! or a read of the beads file; one store's cards when that store changes; only the cards bound
//! to a session's run when that session is read again.

use super::named::Named;
use super::{CardAgent, Known, active};
use crate::app::model::Model;
use crate::binding::{PaneRef, PaneState};
use crate::persist::assignment::{Assignment, AssignmentStatus};
use crate::present::attention::agent::{AgentFacts, RunFacts};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Each card's agent, by session, then bead (no session without a card).
pub(super) type Cards = HashMap<String, HashMap<String, CardAgent>>;

/// Each working bead's agent facts, by session, then bead.
type Facts = HashMap<String, HashMap<String, AgentFacts>>;

/// What an active card names and shows: its pane, its agent once the pane is looked at, and
/// the facts attention knows of that agent when the card is working.
pub(super) type CardFacts = (PaneRef, Option<CardAgent>, Option<AgentFacts>);

/// The key of the run a card's pane is bound to.
fn bound_key(card: &CardAgent) -> Option<&PathBuf> {
    card.state.bound().and_then(|b| b.key.as_ref())
}

impl Model {
    /// The pane an active card names, what it shows of its agent (`None` before its pane is
    /// looked at) and, when it is working, what attention knows of that agent; `None` for a
    /// card not active.
    pub(super) fn card_agent(&self, session: &str, a: &Assignment) -> Option<CardFacts> {
        if !active(&a.status) {
            return None;
        }
        let pane = PaneRef::of(session, a);
        let state = match &self.binder.known {
            Known::Panes(b) => b.get(&pane).cloned(),
            Known::Nothing | Known::Failed(_) => None,
        };
        let run = state
            .as_ref()
            .and_then(PaneState::bound)
            .and_then(|b| b.key.as_ref())
            .and_then(|key| self.runs.get(key));
        let card = state.as_ref().map(|state| CardAgent {
            pane: pane.clone(),
            state: state.clone(),
            run: run.map(|r| (crate::present::naming::name(r), r.dir.clone())),
        });
        if a.status != AssignmentStatus::Working {
            return Some((pane, card, None));
        }
        let facts = AgentFacts {
            pane_name: pane.short(),
            pane: state,
            run: run.and_then(|r| r.session()).map(|s| RunFacts {
                turn: s.turn().clone(),
                alive: s.alive,
                last_activity: s.last_activity(),
            }),
            issue_closed: self.backlog.closed.get(&a.bead_id).copied(),
        };
        Some((pane, card, Some(facts)))
    }

    /// Every active card's agent and pane and every working bead's facts, worked out from
    /// scratch into `cards` and `named` (emptied first).
    fn all_card_agents(&self, cards: &mut Cards, named: &mut Named) -> Facts {
        cards.clear();
        named.clear();
        let mut facts = Facts::new();
        for (session, a) in self.observer.records() {
            let Some((pane, card, f)) = self.card_agent(session, a) else {
                continue;
            };
            named.insert(session, &a.bead_id, pane);
            if let Some(card) = card {
                let of = cards.entry(session.to_owned()).or_default();
                of.insert(a.bead_id.clone(), card);
            }
            if let Some(f) = f {
                let of = facts.entry(session.to_owned()).or_default();
                of.insert(a.bead_id.clone(), f);
            }
        }
        facts
    }

    /// Works out again what every active card shows of its agent and what attention knows of
    /// every working bead's agent (after a look, a listing of every session, every store's
    /// read or a read of the beads file).
    pub fn refresh_agents(&mut self, now: DateTime<Utc>) {
        // Filled again in the same table: a second one beside it, for the thousands of active
        // cards of a busy board, would double its room at the dashboard's peak.
        let mut cards = std::mem::take(&mut self.binder.cards);
        let mut named = std::mem::take(&mut self.binder.named);
        let facts = self.all_card_agents(&mut cards, &mut named);
        self.binder.named = named;
        self.binder.by_run.clear();
        for (session, beads) in &cards {
            for (bead, card) in beads {
                self.binder.bind_card(session, bead, card);
            }
        }
        self.binder.cards = cards;
        let events = self.observer.agents(facts, now);
        self.tell_agents(events);
    }

    /// One session's store changed: its cards' agents are worked out again, and no other's.
    pub fn refresh_store_agents(&mut self, session: &str, now: DateTime<Utc>) {
        if let Some(old) = self.binder.cards.remove(session) {
            for (bead, card) in &old {
                self.binder.unbind_card(session, bead, card);
            }
        }
        let mut named = std::mem::take(&mut self.binder.named);
        named.forget_session(session);
        let mut cards = HashMap::new();
        let mut facts = HashMap::new();
        for a in self.observer.records_of(session) {
            let Some((pane, card, f)) = self.card_agent(session, a) else {
                continue;
            };
            named.insert(session, &a.bead_id, pane);
            if let Some(card) = card {
                cards.insert(a.bead_id.clone(), card);
            }
            if let Some(f) = f {
                facts.insert(a.bead_id.clone(), f);
            }
        }
        self.binder.named = named;
        for (bead, card) in &cards {
            self.binder.bind_card(session, bead, card);
        }
        if !cards.is_empty() {
            self.binder.cards.insert(session.to_owned(), cards);
        }
        let events = self.observer.session_agents(session, facts, now);
        self.tell_agents(events);
    }

    /// The session keyed `key` was read again (or is listed no more): the cards bound to its
    /// run are worked out again, and no other.
    pub fn refresh_run_agents(&mut self, key: &Path, now: DateTime<Utc>) {
        let Some(bound) = self.binder.by_run.get(key) else {
            return;
        };
        let bound: Vec<(String, String)> = bound.iter().cloned().collect();
        self.refresh_cards(bound, now);
    }

    /// Works out again the `cards` named (session, bead), and no other, and tells the observer
    /// what changed of their agents.
    pub(super) fn refresh_cards(
        &mut self,
        cards: impl IntoIterator<Item = (String, String)>,
        now: DateTime<Utc>,
    ) {
        let mut changes = Vec::new();
        for (session, bead) in cards {
            let Some(a) = self.observer.record(&session, &bead) else {
                continue;
            };
            let Some((_, card, facts)) = self.card_agent(&session, a) else {
                continue;
            };
            self.binder.set_card(&session, &bead, card);
            changes.push((session, bead, facts));
        }
        let events = self.observer.agent_changes(changes, now);
        self.tell_agents(events);
    }

    /// Announces what changed of the agents, or settles it: what the first reads and the first
    /// look find was there before the dashboard started (shown, not announced). Before the
    /// stores' first read the events are dropped, not announced: each situation they tell was
    /// noted as announced when its event was made, so it is not announced later either, and
    /// the other items are as they were (settling every watched item, as the first look does,
    /// would walk them all on every session read).
    pub(super) fn tell_agents(&mut self, events: Vec<crate::events::Event>) {
        let first_look = self.binder.first && matches!(self.binder.known, Known::Panes(_));
        if first_look {
            self.binder.first = false;
            self.observer.settle();
        } else if self.sessions_observed {
            self.queue_notices(events);
        }
    }
}

impl super::Binder {
    /// Notes that `card` (of `session`'s `bead`) is bound to its run, if it is.
    pub(super) fn bind_card(&mut self, session: &str, bead: &str, card: &CardAgent) {
        if let Some(key) = bound_key(card) {
            let of = self.by_run.entry(key.clone()).or_default();
            of.insert((session.to_owned(), bead.to_owned()));
        }
    }

    /// Forgets that `card` (of `session`'s `bead`) is bound to its run.
    pub(super) fn unbind_card(&mut self, session: &str, bead: &str, card: &CardAgent) {
        let Some(key) = bound_key(card) else { return };
        if let Some(of) = self.by_run.get_mut(key) {
            of.remove(&(session.to_owned(), bead.to_owned()));
            if of.is_empty() {
                self.by_run.remove(key);
            }
        }
    }
}

/// Whether the cards and facts kept incrementally are those a full refresh would make now.
#[cfg(test)]
pub(super) fn in_step(model: &Model) -> bool {
    let mut cards = Cards::new();
    let mut named = Named::default();
    let facts = model.all_card_agents(&mut cards, &mut named);
    let mut by_run: HashMap<PathBuf, std::collections::HashSet<(String, String)>> = HashMap::new();
    for (session, beads) in &cards {
        for (bead, card) in beads {
            if let Some(key) = bound_key(card) {
                by_run
                    .entry(key.clone())
                    .or_default()
                    .insert((session.clone(), bead.clone()));
            }
        }
    }
    cards == model.binder.cards
        && named == model.binder.named
        && &facts == model.observer.all_agent_facts()
        && by_run == model.binder.by_run
}

#[cfg(test)]
mod tests;
