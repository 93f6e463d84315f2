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

impl RunsPane {
    /// Asks the runs worker which listed runs differ from the disk; while the first scan is
    /// still handing out pages, asks once its last page is in.
    pub fn verify(&mut self) {
        if self.loading || self.progress.is_some() || self.staged.is_some() {
            self.verify_due = true;
            return;
        }
        self.verify_due = false;
        let known = self
            .list
            .all()
            .map(|r| (r.dir.clone(), r.stamp))
            .chain(self.problems.keys().map(|d| (d.clone(), None)))
            .collect();
        self.outbox.push(Effect::VerifyRuns {
            agentpair: self.paths.base_dir().to_path_buf(),
            known,
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
            .all()
            .filter(|r| !r.manifest.is_complete())
            .map(|r| r.dir.clone())
            .collect();
        for dir in dirs {
            self.outbox.push(Effect::TouchRun { dir, active: true });
        }
    }

    /// Takes what a verification found: each run read again, or everything rescanned.
    pub fn apply_verified(&mut self, changed: Vec<PathBuf>, now: DateTime<Utc>) {
        if changed.len() > RESCAN_OVER {
            self.reload_all(now);
            return;
        }
        for dir in changed {
            self.reload_run(&dir);
        }
    }
}
