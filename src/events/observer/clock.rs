//! The observer's clock: [`Observer::tick`] re-derives the conditions that change with time
//! alone (a run going stale, a failure leaving the window, a bead waiting too long) once
//! [`Observer::next_change`] says one is due, and forgets the runs that need no one again.

use super::agents;
use super::{Item, Observer, recount};
use crate::events::Event;
use crate::persist::assignment::Assignment;
use crate::persist::run::RunSummary;
use crate::present::attention::{self, Level};
use chrono::{DateTime, Utc};
use std::sync::Arc;

impl Observer {
    /// Re-derives the conditions that depend on the clock and are due by `now` (nothing to
    /// look at before [`Observer::next`]).
    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<Event> {
        if self.next.is_none_or(|n| n > now) {
            return Vec::new();
        }
        let due_runs: Vec<Arc<RunSummary>> = self
            .runs
            .values()
            .filter(|s| s.changes_at.is_some_and(|t| t <= now))
            .map(|s| Arc::clone(&s.record))
            .collect();
        let mut events = Vec::new();
        for r in due_runs {
            let condition = self.judge_run(&r, now);
            let changes_at = attention::run_changes_at(&r, now, &self.limits);
            let Some(seen) = self.runs.get_mut(&r.dir) else {
                continue;
            };
            seen.changes_at = changes_at;
            events.extend(self.set_run_condition(&r, &condition, now));
            let item = Item::Run(r.dir.clone());
            // A finished run that left the window needs no one again: forgotten, its
            // announcements kept a while in case it comes back.
            if r.is_complete()
                && condition.level != Level::Attention
                && changes_at.is_none()
                && let Some(gone) = self.runs.remove(&r.dir)
            {
                recount(&mut self.counting, gone.counts(), false);
                self.flagged.remove(&r.dir);
                self.forgotten.remember(item, gone.announced);
            }
        }
        let due_beads: Vec<(String, Assignment)> = self
            .beads
            .iter()
            .flat_map(|(session, beads)| beads.values().map(move |s| (session, s)))
            .filter(|(_, s)| s.changes_at.is_some_and(|t| t <= now))
            .map(|(session, s)| (session.clone(), s.record.clone()))
            .collect();
        for (session, a) in due_beads {
            let facts = self.agents.get(&session, &a.bead_id);
            let (condition, changes_at) =
                agents::judge(&self.limits, &self.assigned, facts, &session, &a, now);
            let Some(seen) = self
                .beads
                .get_mut(&session)
                .and_then(|beads| beads.get_mut(&a.bead_id))
            else {
                continue;
            };
            seen.changes_at = changes_at;
            let was = seen.counts();
            let before = std::mem::replace(&mut seen.condition, condition.clone());
            recount(&mut self.counting, was, seen.counts());
            events.extend(self.bead_condition_event(&session, &a, Some(&before), &condition, now));
        }
        self.next = self.earliest_change();
        events
    }
}
