//! The observer's clock: [`Observer::tick`] re-derives the conditions that change with time
//! alone (a run going stale, a failure leaving the window, a bead waiting too long) once
//! [`Observer::next_change`] says one is due, looking only at the items due, and forgets the
//! runs that need no one again.

use super::agents;
use super::due::DueItem;
use super::{Item, Observer, recount};
use crate::events::Event;
use crate::present::attention::{self, Level};
use chrono::{DateTime, Utc};
use std::path::Path;
use std::sync::Arc;

impl Observer {
    /// Re-derives the conditions that depend on the clock and are due by `now`.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<Event> {
        let mut events = Vec::new();
        for item in self.due.by(now) {
            match item {
                DueItem::Run(dir) => events.extend(self.tick_run(&dir, now)),
                DueItem::Bead { session, bead } => {
                    events.extend(self.tick_bead(&session, &bead, now));
                }
            }
        }
        events
    }

    /// Judges a due run again; a finished run that left the window needs no one again:
    /// forgotten, its announcements kept a while in case it comes back.
    fn tick_run(&mut self, dir: &Path, now: DateTime<Utc>) -> Vec<Event> {
        let Some(r) = self.runs.get(dir).map(|s| Arc::clone(&s.record)) else {
            self.due.set(DueItem::Run(dir.to_path_buf()), None);
            return Vec::new();
        };
        let condition = self.judge_run(&r, now);
        let changes_at = attention::run_changes_at(&r, now, &self.limits);
        self.due.set(DueItem::Run(dir.to_path_buf()), changes_at);
        let events = self
            .set_run_condition(&r, &condition, now)
            .into_iter()
            .collect();
        if r.is_complete()
            && condition.level != Level::Attention
            && changes_at.is_none()
            && let Some(gone) = self.runs.remove(dir)
        {
            recount(&mut self.counting, gone.counts(), false);
            self.flagged.remove(dir);
            self.forgotten
                .remember(Item::Run(dir.to_path_buf()), gone.announced);
        }
        events
    }

    /// Judges a due bead again.
    fn tick_bead(&mut self, session: &str, bead: &str, now: DateTime<Utc>) -> Option<Event> {
        let Some(a) = self
            .beads
            .get(session)
            .and_then(|beads| beads.get(bead))
            .map(|s| s.record.clone())
        else {
            self.due.set(DueItem::bead(session, bead), None);
            return None;
        };
        let facts = self.agents.get(session, bead);
        let (condition, changes_at) =
            agents::judge(&self.limits, &self.assigned, facts, session, &a, now);
        self.due.set(DueItem::bead(session, bead), changes_at);
        let seen = self.beads.get_mut(session)?.get_mut(bead)?;
        let was = seen.counts();
        let before = std::mem::replace(&mut seen.condition, condition.clone());
        recount(&mut self.counting, was, seen.counts());
        self.bead_condition_event(session, &a, Some(&before), &condition, now)
    }
}
