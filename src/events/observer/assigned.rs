//! When each bead last became assigned. The store keeps `assigned_at` across a retry (failed →
//! assigned, as upstream does), so a retried bead would seem to have waited since it was first
//! assigned. The history log (`assignments.history.jsonl`) says when the retry happened; a
//! retry seen as it happened, before the history says so, counts from when it was seen.

use super::{Observer, attention};
use crate::events::Event;
use crate::persist::assignment::{Assignment, AssignmentStatus, HistoryRecord, HistoryTail};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Bead id → time.
type Times = HashMap<String, DateTime<Utc>>;

/// Bead id → when a move to assigned was seen, and the history's time for the bead then.
type Sightings = HashMap<String, (DateTime<Utc>, Option<DateTime<Utc>>)>;

/// What is known, per session, about when beads became assigned.
#[derive(Debug, Clone, Default)]
pub(super) struct Assigned {
    /// The latest move to `assigned` the history log records for each bead.
    history: HashMap<String, Times>,
    /// A move to `assigned` seen live with the store's `assigned_at` left as it was, before
    /// the history recorded it: when it was seen, and the history's time for the bead then.
    seen: HashMap<String, Sightings>,
}

/// The latest time each bead moved to `assigned`, by the history log's records. An undo or
/// redo puts back a record exactly as it was, so it is not a new move: its entry is skipped.
#[must_use]
pub fn last_assigned(records: &[HistoryRecord]) -> Times {
    let mut out = Times::new();
    for r in records
        .iter()
        .filter(|r| r.to == "assigned" && r.op != "undo" && r.op != "redo")
    {
        let t = r.time.with_timezone(&Utc);
        let latest = out.entry(r.bead_id.clone()).or_insert(t);
        *latest = (*latest).max(t);
    }
    out
}

/// The latest time a record carries.
fn latest_stamp(a: &Assignment) -> DateTime<Utc> {
    [a.started_at, a.completed_at, a.failed_at]
        .into_iter()
        .flatten()
        .chain([a.assigned_at])
        .map(|t| t.with_timezone(&Utc))
        .max()
        .unwrap_or_else(|| a.assigned_at.with_timezone(&Utc))
}

impl Assigned {
    fn history_time(&self, session: &str, bead: &str) -> Option<DateTime<Utc>> {
        self.history.get(session)?.get(bead).copied()
    }

    /// Since when `a` has been assigned: the store's `assigned_at`, or later if the history or
    /// a live sighting says so.
    pub(super) fn since(&self, session: &str, a: &Assignment) -> DateTime<Utc> {
        let store = a.assigned_at.with_timezone(&Utc);
        let history = self.history_time(session, &a.bead_id);
        let seen = self
            .seen
            .get(session)
            .and_then(|s| s.get(&a.bead_id))
            .map(|(t, _)| *t);
        [Some(store), history, seen]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(store)
    }

    /// Notes a record seen at `at` that was `before`: a move to assigned that kept the old
    /// `assigned_at`, not yet in the history, counts from now.
    pub(super) fn observe(
        &mut self,
        session: &str,
        before: Option<&Assignment>,
        a: &Assignment,
        at: DateTime<Utc>,
    ) {
        let Some(before) = before else { return };
        let moved = a.status == AssignmentStatus::Assigned
            && (before.status != AssignmentStatus::Assigned || before.retry_count != a.retry_count);
        if !moved || a.assigned_at != before.assigned_at {
            return;
        }
        let history = self.history_time(session, &a.bead_id);
        let known = latest_stamp(before).max(self.since(session, before));
        if history.is_some_and(|h| h > known) {
            return; // the history already has it, exactly
        }
        self.seen
            .entry(session.to_owned())
            .or_default()
            .insert(a.bead_id.clone(), (at, history));
    }

    /// Forgets a bead that is gone; with `from_history`, also when the history last assigned
    /// it (it left a store that is still there: removed, or cleared away). A bead put back
    /// later is assigned anew, and the history says so again; only one put back exactly by
    /// an undo counts its wait from the store's `assigned_at` then.
    pub(super) fn forget(&mut self, session: &str, bead: &str, from_history: bool) {
        if let Some(s) = self.seen.get_mut(session) {
            s.remove(bead);
        }
        if from_history && let Some(h) = self.history.get_mut(session) {
            h.remove(bead);
        }
    }

    /// Takes a session's whole history. A live sighting gives way once the history has
    /// something newer for that bead than it had then (the exact time of the move).
    fn set_history(&mut self, session: &str, records: &[HistoryRecord]) {
        let times = last_assigned(records);
        if let Some(seen) = self.seen.get_mut(session) {
            seen.retain(|bead, (_, then)| times.get(bead).copied() <= *then);
        }
        self.history.insert(session.to_owned(), times);
    }

    /// Takes records appended to a session's history since it was last read (as
    /// [`Assigned::set_history`] would with all of them); false when none moved a bead to
    /// assigned.
    fn add_history(&mut self, session: &str, records: &[HistoryRecord]) -> bool {
        let added = last_assigned(records);
        if added.is_empty() {
            return false;
        }
        let times = self.history.entry(session.to_owned()).or_default();
        for (bead, t) in added {
            let latest = times.entry(bead).or_insert(t);
            *latest = (*latest).max(t);
        }
        if let Some(seen) = self.seen.get_mut(session) {
            seen.retain(|bead, (_, then)| times.get(bead).copied() <= *then);
        }
        true
    }
}

impl Observer {
    /// Reads a session's history log (`assignments.history.jsonl`, all of it) for when each
    /// bead last became assigned, and re-derives the conditions that depend on it: a retried
    /// bead's wait counts from the retry, not from its first assignment. Call it at start and
    /// whenever the log is replaced; [`Observer::history_added`] takes what is appended.
    pub fn history(
        &mut self,
        session: &str,
        records: &[HistoryRecord],
        at: DateTime<Utc>,
    ) -> Vec<Event> {
        self.assigned.set_history(session, records);
        self.rederive_waiting(session, at)
    }

    /// Takes the records appended to a session's history log since it was last read (see
    /// [`Observer::history`], which takes it whole): the log grows with every change, so
    /// following it costs only what was added.
    pub fn history_added(
        &mut self,
        session: &str,
        records: &[HistoryRecord],
        at: DateTime<Utc>,
    ) -> Vec<Event> {
        if !self.assigned.add_history(session, records) {
            return Vec::new();
        }
        self.rederive_waiting(session, at)
    }

    /// Takes a read of a session's history log: all of it ([`Observer::history`]), or what was
    /// appended since the last read ([`Observer::history_added`]).
    pub fn history_read(
        &mut self,
        session: &str,
        read: &HistoryTail,
        at: DateTime<Utc>,
    ) -> Vec<Event> {
        if read.whole {
            self.history(session, &read.records, at)
        } else {
            self.history_added(session, &read.records, at)
        }
    }

    /// Re-derives the conditions of a session's beads waiting to start.
    fn rederive_waiting(&mut self, session: &str, at: DateTime<Utc>) -> Vec<Event> {
        let Some(beads) = self.beads.get(session) else {
            return Vec::new();
        };
        let waiting: Vec<Assignment> = beads
            .values()
            .filter(|s| s.record.status == AssignmentStatus::Assigned)
            .map(|s| s.record.clone())
            .collect();
        let mut events = Vec::new();
        for a in waiting {
            let since = self.assigned.since(session, &a);
            let condition = attention::bead_condition_since(&a, since, at, &self.limits);
            let changes_at = attention::bead_changes_at_since(&a, since, at, &self.limits);
            let Some(seen) = self
                .beads
                .get_mut(session)
                .and_then(|b| b.get_mut(&a.bead_id))
            else {
                continue;
            };
            let was = seen.counts();
            let before = std::mem::replace(&mut seen.condition, condition.clone());
            super::recount(&mut self.counting, was, seen.counts());
            self.due
                .set(super::DueItem::bead(session, &a.bead_id), changes_at);
            events.extend(self.bead_condition_event(session, &a, Some(&before), &condition, at));
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(op: &str, to: &str, at: &str) -> HistoryRecord {
        HistoryRecord {
            time: crate::persist::gojson::parse_time(at).unwrap(),
            bead_id: "b".to_owned(),
            op: op.to_owned(),
            from: String::new(),
            to: to.to_owned(),
            pane_before: None,
            pane_after: None,
            agent_type_before: String::new(),
            agent_type_after: String::new(),
            agent_name_before: String::new(),
            agent_name_after: String::new(),
            reason: String::new(),
        }
    }

    #[test]
    fn an_undo_back_to_assigned_is_not_a_new_wait() {
        let records = [
            entry("retry", "assigned", "2026-11-22T10:00:00Z"),
            entry("start", "working", "2026-11-22T10:05:00Z"),
            entry("undo", "assigned", "2026-11-22T10:06:00Z"),
        ];
        let times = last_assigned(&records);
        assert_eq!(
            times["b"],
            "2026-11-22T10:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }
}
