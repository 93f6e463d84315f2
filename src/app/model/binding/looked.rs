//! Taking a look's result: each bound session's run is tied to its pane and bead, and the cards
//! whose pane the look found changed (or whose bound run's tie changed) are worked out again,
//! and no other: a look usually finds the same panes bound to the same sessions, so applying it
//! costs what changed, not every card.

use super::{Binder, CardAgent, Known, Looking};
use crate::app::model::Model;
use crate::app::model::runs::Tie;
use crate::app::outcome::Looked;
use crate::binding::{Bindings, EVERY, PaneRef};
use chrono::{DateTime, Utc};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

/// What a card's pane holds by what a look found: every pane when it found bindings, none
/// otherwise (nothing looked at yet, or the look failed).
fn bindings(known: &Known) -> Option<&Bindings> {
    match known {
        Known::Panes(b) => Some(b),
        Known::Nothing | Known::Failed(_) => None,
    }
}

/// The panes whose state differs between two looks' findings (asked about in one and not the
/// other, or found holding something else).
fn changed_panes(old: &Bindings, new: &Bindings) -> Vec<PaneRef> {
    let mut changed: Vec<PaneRef> = new
        .panes
        .iter()
        .filter(|(pane, state)| old.get(pane) != Some(*state))
        .map(|(pane, _)| pane.clone())
        .collect();
    let left = old.panes.keys().filter(|p| !new.panes.contains_key(*p));
    changed.extend(left.cloned());
    changed
}

impl Model {
    /// Takes a look: the sessions' runs are tied to their panes, the cards to their runs, and
    /// attention is told. Only the cards whose pane the look found changed since the last look,
    /// or whose bound run's tie changed, are worked out again; every card is when the look
    /// finds bindings after none were known (the first look, or one after a failed look) or
    /// fails after bindings were known.
    pub fn apply_bound(&mut self, looked: Looked, now: DateTime<Utc>) {
        let again = self.binder.looking == Looking::Again;
        self.binder.looking = Looking::Idle;
        let known = match looked.result {
            Ok(b) => Known::Panes(b),
            Err(why) => Known::Failed(why),
        };
        let before = std::mem::replace(&mut self.binder.known, known);
        let ties = self.tie_changes(&looked.gone);
        let tied = self.runs.change_ties(ties, now);
        for key in &tied {
            self.observe_run(key, now);
        }
        match (bindings(&before), bindings(&self.binder.known)) {
            (Some(old), Some(new)) if !self.binder.first => {
                let panes = changed_panes(old, new);
                self.refresh_looked_agents(&panes, &tied, now);
            }
            (None, None) => self.refresh_looked_agents(&[], &tied, now),
            _ => self.refresh_agents(now),
        }
        if again {
            self.ask_bind(now);
        } else if !self.binder.wanted.asked_none() {
            self.binder.next = Some(now + chrono::Duration::from_std(EVERY).unwrap_or_default());
        }
    }

    /// The cards naming `panes` (whose state a look changed) and those bound to the runs keyed
    /// `tied` (whose tie it changed) are worked out again, and no other.
    fn refresh_looked_agents(&mut self, panes: &[PaneRef], tied: &[PathBuf], now: DateTime<Utc>) {
        let mut touched: BTreeSet<(String, String)> = BTreeSet::new();
        for pane in panes {
            touched.extend(self.binder.named.cards(pane).cloned());
        }
        for key in tied {
            touched.extend(self.binder.by_run.get(key).into_iter().flatten().cloned());
        }
        self.refresh_cards(touched, now);
    }

    /// What a look changes of the ties: each bound session's pane and bead; a session tied
    /// before and bound no more keeps its pid, alive unless its process is among `gone`. Only
    /// the ties that differ from those kept are made (nothing when the look failed).
    pub(super) fn tie_changes(&self, gone: &[u32]) -> Vec<(PathBuf, Tie)> {
        let Known::Panes(bindings) = &self.binder.known else {
            return Vec::new();
        };
        let ties = self.runs.ties();
        // Each bound session's pane, bead and process (the last pane bound to it, in order).
        let mut bound: HashMap<&PathBuf, (&str, Option<&str>, u32)> = HashMap::new();
        for (pane, state) in &bindings.panes {
            let Some(b) = state.bound() else { continue };
            let Some(key) = &b.key else { continue };
            bound.insert(key, (&b.pane, self.binder.named.bead(pane), b.pid));
        }
        let mut changes = Vec::new();
        for (key, &(pane, bead, pid)) in &bound {
            let kept = ties.get(*key).is_some_and(|t| {
                let same = t.pane.as_deref() == Some(pane) && t.bead.as_deref() == bead;
                same && t.pid == pid && t.alive
            });
            if !kept {
                let tie = Tie {
                    pane: Some(pane.to_owned()),
                    bead: bead.map(str::to_owned),
                    pid,
                    alive: true,
                };
                changes.push(((*key).clone(), tie));
            }
        }
        for (key, t) in ties {
            if bound.contains_key(key) {
                continue;
            }
            let alive = t.alive && !gone.contains(&t.pid);
            if t.pane.is_some() || t.bead.is_some() || t.alive != alive {
                let tie = Tie {
                    pane: None,
                    bead: None,
                    pid: t.pid,
                    alive,
                };
                changes.push((key.clone(), tie));
            }
        }
        changes
    }
}

impl Binder {
    /// Puts what `session`'s card `bead` now shows of its agent (`None`: nothing, its pane not
    /// looked at) in place of what it showed, and notes the run it is bound to.
    pub(super) fn set_card(&mut self, session: &str, bead: &str, card: Option<CardAgent>) {
        let old = self.cards.get_mut(session).and_then(|of| of.remove(bead));
        if let Some(old) = &old {
            self.unbind_card(session, bead, old);
        }
        match card {
            Some(card) => {
                self.bind_card(session, bead, &card);
                let of = self.cards.entry(session.to_owned()).or_default();
                of.insert(bead.to_owned(), card);
            }
            None => {
                if self.cards.get(session).is_some_and(|of| of.is_empty()) {
                    self.cards.remove(session);
                }
            }
        }
    }
}
