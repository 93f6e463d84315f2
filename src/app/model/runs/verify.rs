//! Checking the listed runs against the disk without reading them again: after watching
//! starts (whatever changed between the first scan and the watch is caught) and now and then
//! (a finished run resumed where no watch looks). The worker lists the root and compares each
//! manifest's stamp with the one its summary was taken from; only the runs that differ are
//! read again, and a whole rescan happens only when very many did.

use super::RunsPane;
use crate::app::effect::Effect;
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// More changed runs than this are read by one rescan rather than one by one.
const RESCAN_OVER: usize = 500;

/// How often the runs are checked against the disk while the dashboard runs: a finished run
/// has no watch of its own, and agentpair can resume one.
pub const VERIFY_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

impl RunsPane {
    /// Asks the runs worker which listed runs differ from the disk; while the first scan is
    /// still handing out pages, asks once its last page is in.
    pub fn verify(&mut self) {
        if self.loading || self.progress.is_some() || self.staged.is_some() {
            self.verify_due = true;
            return;
        }
        self.verify_due = false;
        self.outbox.push(Effect::VerifyRuns {
            agentpair: self.paths.base_dir().to_path_buf(),
            // Agent sessions are listed by the agents worker, not under the agentpair root.
            known: self
                .list
                .all_shared()
                .filter(|r| r.manifest().is_some())
                .cloned()
                .collect(),
            unreadable: self.problems.keys().cloned().collect(),
        });
    }

    /// A verification asked for while pages were arriving is due now that they are all in.
    pub(super) fn verify_if_due(&mut self) {
        if self.verify_due && !self.loading && self.progress.is_none() {
            self.verify();
        }
    }

    /// Asks for every unfinished run's file activity (its transcript may have grown unseen).
    pub fn touch_unfinished(&mut self) {
        let dirs: Vec<PathBuf> = self
            .list
            .active()
            .filter(|r| r.manifest().is_some())
            .map(|r| r.dir.clone())
            .collect();
        for dir in dirs {
            self.outbox.push(Effect::TouchRun { dir, active: true });
        }
    }

    /// Asks for a watch on every unfinished run that has none yet (each is read again once
    /// its watch is in place; see `Outcome::RunsWatched`).
    pub fn watch_unwatched(&mut self) {
        let dirs: Vec<PathBuf> = self
            .list
            .active()
            .filter(|r| r.manifest().is_some() && !self.watched.contains(&r.dir))
            .map(|r| r.dir.clone())
            .collect();
        if !dirs.is_empty() {
            self.watched.extend(dirs.iter().cloned());
            self.outbox.push(Effect::WatchRuns(dirs));
        }
    }

    /// Asks for a watch on the run in `dir` (just read) if it is unfinished and has none yet:
    /// one run read costs one lookup, however many runs are listed.
    pub fn watch_if_unwatched(&mut self, dir: &std::path::Path) {
        let unwatched = self.list.get(dir).is_some_and(|r| {
            r.manifest().is_some() && !r.is_complete() && !self.watched.contains(dir)
        });
        if unwatched {
            self.watched.insert(dir.to_path_buf());
            self.outbox.push(Effect::WatchRuns(vec![dir.to_path_buf()]));
        }
    }

    /// Drops the watch of the run in `dir` if it has finished (just read, and observed, so its
    /// end is reported): finished runs are checked against the disk every
    /// [`VERIFY_EVERY`] instead, so the watches, here and in the watch keeper, are as many as
    /// the unfinished runs, not every run ever seen. The run whose transcript is open (`open`)
    /// keeps its watch until it is closed, for its last lines.
    pub fn unwatch_if_finished(&mut self, dir: &std::path::Path, open: Option<&std::path::Path>) {
        let finished = self
            .list
            .get(dir)
            .is_some_and(|r| r.session().is_none() && r.is_complete());
        if finished && open != Some(dir) && self.watched.remove(dir) {
            self.outbox
                .push(Effect::UnwatchRuns(vec![dir.to_path_buf()]));
        }
    }

    /// Drops the watch of every watched run that has finished (see
    /// [`RunsPane::unwatch_if_finished`]), after a rescan or a check against the disk. Walks
    /// the watched runs, which are the unfinished ones, not the whole list.
    pub fn unwatch_finished(&mut self, open: Option<&std::path::Path>) {
        let list = &self.list;
        let done: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|dir| {
                open != Some(dir.as_path())
                    && list
                        .get(dir)
                        .is_some_and(|r| r.session().is_none() && r.is_complete())
            })
            .cloned()
            .collect();
        if !done.is_empty() {
            for dir in &done {
                self.watched.remove(dir);
            }
            self.outbox.push(Effect::UnwatchRuns(done));
        }
    }

    /// How many run directories have a watch of their own.
    #[must_use]
    pub fn watches(&self) -> usize {
        self.watched.len()
    }

    /// Asks for a watch on a run directory that is not listed (just made, its manifest not
    /// yet written).
    pub fn watch_new_dir(&mut self, dir: &std::path::Path) {
        if self.list.get(dir).is_none() && self.watched.insert(dir.to_path_buf()) {
            self.outbox.push(Effect::WatchRuns(vec![dir.to_path_buf()]));
        }
    }

    /// Whether a watch of its own was asked for the run directory `dir`.
    #[must_use]
    pub fn watch_asked(&self, dir: &std::path::Path) -> bool {
        self.watched.contains(dir)
    }

    /// When the next check against the disk is due, if one is planned.
    #[must_use]
    pub fn next_verify(&self) -> Option<DateTime<Utc>> {
        self.next_verify
    }

    /// Checks against the disk if that is due at `now`.
    pub fn verify_due(&mut self, now: DateTime<Utc>) {
        if self.next_verify.is_some_and(|at| at <= now) {
            self.next_verify = None;
            self.verify();
        }
    }

    /// Takes what a verification found: each run read again, or everything rescanned. The
    /// next check is planned [`VERIFY_EVERY`] from `now`.
    pub fn apply_verified(&mut self, changed: Vec<PathBuf>, now: DateTime<Utc>) {
        self.next_verify = Some(now + chrono::Duration::from_std(VERIFY_EVERY).unwrap_or_default());
        self.forget_not_sessions();
        if changed.len() > RESCAN_OVER {
            self.reload_all(now);
            return;
        }
        for dir in changed {
            self.reload_run(&dir);
        }
    }
}
