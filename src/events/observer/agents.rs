//! What the observer knows of each bead's agent ([`AgentFacts`]: its pane, its bound run, its
//! issue in the beads file), and re-deriving the conditions of the beads whose facts changed.

use super::Observer;
use crate::events::Event;
use crate::persist::assignment::Assignment;
use crate::present::attention::agent::AgentFacts;
use crate::present::attention::{self, Condition, Thresholds};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Session → bead id → facts.
#[derive(Debug, Clone, Default)]
pub(super) struct Agents(HashMap<String, HashMap<String, AgentFacts>>);

impl Agents {
    /// The facts of a bead, when any are known.
    pub(super) fn get(&self, session: &str, bead: &str) -> Option<&AgentFacts> {
        self.0.get(session)?.get(bead)
    }
}

/// A bead's condition at `at` and when it next changes by itself (after `at`), from its record,
/// when it became assigned and what is known of its agent.
pub(super) fn judge(
    limits: &Thresholds,
    assigned: &super::assigned::Assigned,
    facts: Option<&AgentFacts>,
    session: &str,
    a: &Assignment,
    at: DateTime<Utc>,
) -> (Condition, Option<DateTime<Utc>>) {
    let since = assigned.since(session, a);
    let condition = attention::bead_condition_with(a, since, facts, at, limits);
    let changes_at = attention::bead_changes_at_with(a, since, facts, at, limits);
    (condition, changes_at)
}

impl Observer {
    /// The facts known of a bead's agent.
    #[must_use]
    pub fn agent_facts(&self, session: &str, bead: &str) -> Option<&AgentFacts> {
        self.agents.get(session, bead)
    }

    /// Takes what is now known of every bead's agent (session → bead → facts; a bead left out
    /// has none) and re-derives the conditions of the beads whose facts changed.
    pub fn agents(
        &mut self,
        facts: HashMap<String, HashMap<String, AgentFacts>>,
        at: DateTime<Utc>,
    ) -> Vec<Event> {
        let mut touched: Vec<(String, String)> = Vec::new();
        for (session, beads) in &facts {
            for (bead, f) in beads {
                if self.agents.get(session, bead) != Some(f) {
                    touched.push((session.clone(), bead.clone()));
                }
            }
        }
        for (session, beads) in &self.agents.0 {
            for bead in beads.keys() {
                if facts.get(session).is_none_or(|b| !b.contains_key(bead)) {
                    touched.push((session.clone(), bead.clone()));
                }
            }
        }
        self.agents = Agents(facts);
        self.rejudge(touched, at)
    }

    /// Takes what is now known of one session's beads' agents (bead → facts; a bead left out
    /// has none) and re-derives the conditions of its beads whose facts changed; other
    /// sessions' are not looked at.
    pub fn session_agents(
        &mut self,
        session: &str,
        facts: HashMap<String, AgentFacts>,
        at: DateTime<Utc>,
    ) -> Vec<Event> {
        let mut changes: Vec<(String, String, Option<AgentFacts>)> = self
            .agents
            .0
            .get(session)
            .map(|old| {
                old.keys()
                    .filter(|b| !facts.contains_key(*b))
                    .map(|b| (session.to_owned(), b.clone(), None))
                    .collect()
            })
            .unwrap_or_default();
        changes.extend(
            facts
                .into_iter()
                .map(|(b, f)| (session.to_owned(), b, Some(f))),
        );
        self.agent_changes(changes, at)
    }

    /// Takes what is now known of some beads' agents ((session, bead, facts); `None`: none)
    /// and re-derives the conditions of those whose facts changed; other beads are not looked
    /// at.
    pub fn agent_changes(
        &mut self,
        changes: Vec<(String, String, Option<AgentFacts>)>,
        at: DateTime<Utc>,
    ) -> Vec<Event> {
        let mut touched: Vec<(String, String)> = Vec::new();
        for (session, bead, f) in changes {
            if self.agents.get(&session, &bead) == f.as_ref() {
                continue;
            }
            match f {
                Some(f) => {
                    self.agents
                        .0
                        .entry(session.clone())
                        .or_default()
                        .insert(bead.clone(), f);
                }
                None => {
                    if let Some(beads) = self.agents.0.get_mut(&session) {
                        beads.remove(&bead);
                        if beads.is_empty() {
                            self.agents.0.remove(&session);
                        }
                    }
                }
            }
            touched.push((session, bead));
        }
        self.rejudge(touched, at)
    }

    /// Every bead's agent facts as known (session → bead → facts; no session without any).
    #[must_use]
    pub fn all_agent_facts(&self) -> &HashMap<String, HashMap<String, AgentFacts>> {
        &self.agents.0
    }

    /// Re-derives the conditions of the `touched` beads from their agents' facts.
    fn rejudge(&mut self, touched: Vec<(String, String)>, at: DateTime<Utc>) -> Vec<Event> {
        let mut events = Vec::new();
        for (session, bead) in touched {
            let Some(seen) = self.beads.get(&session).and_then(|b| b.get(&bead)) else {
                continue;
            };
            let record = seen.record.clone();
            let facts = self.agents.get(&session, &bead);
            let (condition, changes_at) =
                judge(&self.limits, &self.assigned, facts, &session, &record, at);
            let Some(seen) = self.beads.get_mut(&session).and_then(|b| b.get_mut(&bead)) else {
                continue;
            };
            let was = seen.counts();
            let before = std::mem::replace(&mut seen.condition, condition.clone());
            super::recount(&mut self.counting, was, seen.counts());
            self.due
                .set(super::DueItem::bead(&session, &bead), changes_at);
            events.extend(self.bead_condition_event(
                &session,
                &record,
                Some(&before),
                &condition,
                at,
            ));
        }
        events
    }
}
