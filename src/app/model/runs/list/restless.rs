//! The Runs list's indexes of the runs that can still change without their files changing:
//! the unfinished runs by last sign of life (for the stale count a frame asks for) and the
//! restless agent sessions by their next state change (for the timed and per-event work), so
//! none of it walks the history.

use super::RunList;
use crate::persist::run::RunSummary;
use chrono::{DateTime, Utc};
use std::path::PathBuf;

impl RunList {
    /// How many unfinished runs are stale at `now` (see [`RunSummary::is_stale`]). Only the
    /// runs quiet for longer than `threshold` are looked at, never every active run: the
    /// header asks on every frame.
    pub fn stale(&self, now: DateTime<Utc>, threshold: std::time::Duration) -> usize {
        let quiet_for = chrono::Duration::from_std(threshold).unwrap_or(chrono::Duration::MAX);
        self.quiet
            .iter()
            .take_while(|(last, _)| last.is_none_or(|t| now.signed_duration_since(t) > quiet_for))
            .filter(|(_, dir)| {
                self.entries
                    .get(dir.as_path())
                    .is_some_and(|e| e.run.is_stale(now, threshold))
            })
            .count()
    }

    /// The agent sessions whose state the clock can still change or whose process is known,
    /// in no particular order: the few that per-event and timed work looks at (never the whole
    /// history).
    pub fn restless(&self) -> impl Iterator<Item = &RunSummary> {
        self.restless
            .iter()
            .filter_map(|dir| self.entries.get(dir).map(|e| &*e.run))
    }

    /// When the first restless session's state changes with the clock alone.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.due.first().map(|(t, _)| *t)
    }

    /// Whether any restless session has a live process.
    pub fn any_alive(&self) -> bool {
        self.alive > 0
    }

    /// Changes the sessions whose state the clock changes by `now` (each copied away from
    /// the summary it shares with the observer); only those are looked at. Returns how many
    /// changed.
    pub fn update_due(&mut self, now: DateTime<Utc>, change: impl FnMut(&mut RunSummary)) -> usize {
        let picked: Vec<PathBuf> = self
            .due
            .iter()
            .take_while(|(t, _)| *t <= now)
            .map(|(_, dir)| dir.clone())
            .collect();
        self.change(picked, change)
    }

    /// Changes the restless agent sessions (see [`RunList::restless`]) that `which` picks
    /// (each copied away from the summary it shares with the observer). Returns how many
    /// changed.
    pub fn update_restless(
        &mut self,
        which: impl Fn(&RunSummary) -> bool,
        change: impl FnMut(&mut RunSummary),
    ) -> usize {
        let picked: Vec<PathBuf> = self
            .restless
            .iter()
            .filter(|dir| self.entries.get(*dir).is_some_and(|e| which(&e.run)))
            .map(|dir| dir.0.dir.clone())
            .collect();
        self.change(picked, change)
    }
}
