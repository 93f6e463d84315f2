//! Agent sessions tied to panes: what the binding found of each listed session's agent (its
//! pane, the bead that pane is doing, whether its process still runs) goes onto the session's
//! run, and stays there as the session is read again, listed again or its registry asked again
//! (each of those makes the run afresh, so every path through here ties it again).

use super::RunsPane;
use crate::persist::run::{RunKind, RunSummary};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// What the binding knows of a session's agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tie {
    /// The pane its agent runs in (`None`: it ran in one, and has exited).
    pub pane: Option<String>,
    /// The bead that pane is doing.
    pub bead: Option<String>,
    /// Its process.
    pub pid: u32,
    /// Whether its process runs.
    pub alive: bool,
}

/// Puts `tie` on a run (a session; an agentpair run is left alone), deciding its state again.
pub(super) fn put(run: &mut RunSummary, tie: Option<&Tie>, now: DateTime<Utc>) {
    let RunKind::Session(s) = &mut run.kind else {
        return;
    };
    s.pane = tie.and_then(|t| t.pane.clone());
    s.bead = tie.and_then(|t| t.bead.clone());
    if let Some(t) = tie {
        // The binding saw the process itself: it knows better than a registry that is silent.
        s.alive = Some(t.alive);
        s.decide(now);
    }
}

/// Whether `run` already carries `tie`.
fn carries(run: &RunSummary, tie: Option<&Tie>) -> bool {
    let Some(s) = run.session() else {
        return true;
    };
    match tie {
        None => s.pane.is_none() && s.bead.is_none(),
        Some(t) => s.pane == t.pane && s.bead == t.bead && s.alive == Some(t.alive),
    }
}

impl RunsPane {
    /// The tie of a listed session, if it has one.
    #[must_use]
    pub fn tie(&self, key: &std::path::Path) -> Option<&Tie> {
        self.ties.get(key)
    }

    /// Every tie, by run key.
    #[must_use]
    pub fn ties(&self) -> &HashMap<PathBuf, Tie> {
        &self.ties
    }

    /// Takes what the binding now knows of the runs keyed in `changes` (the other ties stay);
    /// returns the keys whose run changed. Every tied run is asked whether it carries its tie
    /// (never every run listed), and only those that do not are copied (a look usually changes
    /// none).
    pub fn change_ties(
        &mut self,
        changes: Vec<(PathBuf, Tie)>,
        now: DateTime<Utc>,
    ) -> Vec<PathBuf> {
        self.ties.extend(changes);
        let mut changed = Vec::new();
        let ties = &self.ties;
        let stale: Vec<PathBuf> = ties
            .iter()
            .filter(|(key, tie)| self.list.get(key).is_some_and(|r| !carries(r, Some(tie))))
            .map(|(key, _)| key.clone())
            .collect();
        self.list.update_among(
            stale,
            |r| !carries(r, ties.get(&r.dir)),
            |r| {
                put(r, ties.get(&r.dir), now);
                changed.push(r.dir.clone());
            },
        );
        // In the order of their keys, whatever the order of the tables.
        changed.sort_unstable();
        if !changed.is_empty() {
            self.ensure_selection();
            self.let_go_finished(&changed);
        }
        changed
    }

    /// Ties a run the workers made afresh (copied only when it carries a tie).
    pub(super) fn tied(&self, run: Arc<RunSummary>, now: DateTime<Utc>) -> Arc<RunSummary> {
        let tie = self.ties.get(&run.dir);
        if carries(&run, tie) {
            return run;
        }
        let mut run = run;
        put(Arc::make_mut(&mut run), tie, now);
        run
    }
}
