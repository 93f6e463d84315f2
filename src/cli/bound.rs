//! The run of each assignment, for `assignments --json`, as the dashboard's `t` finds it: the
//! session bound to its pane (the same binding the dashboard does, `crate::binding`, done here
//! synchronously), else the newest run whose prompt names its bead. The panes are looked at
//! only when some record is active; the runs and sessions are listed (through the summary
//! caches) only when there is a record.

use super::json::EntryRun;
use super::output::errln;
use crate::binding::{self, Candidate, PaneRef};
use crate::config::{Roots, cache_dir};
use crate::persist::assignment::{Assignment, AssignmentStatus};
use crate::persist::run::{LoadOptions, Paths, RunLoader, RunSummary};
use crate::present::{link, naming};
use crate::tmux::Tmux;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

/// Whether an assignment's pane is looked at (it is not finished).
fn active(a: &Assignment) -> bool {
    !matches!(
        a.status,
        AssignmentStatus::Completed | AssignmentStatus::Failed | AssignmentStatus::Reassigned
    )
}

/// `{"name", "reference"}` of each record's run, by (session, bead): the one bound to its
/// pane, else the newest whose prompt names its bead; a record left out has none (`null`).
/// Why the panes could not be looked at is said on stderr.
#[must_use]
pub fn runs(
    roots: &Roots,
    records: &[(&str, &Assignment)],
    stale_after: Duration,
    now: DateTime<Utc>,
) -> HashMap<(String, String), EntryRun> {
    if records.is_empty() {
        return HashMap::new();
    }
    let sessions = super::agents::sessions(roots, stale_after, now);
    let mut out = bound(roots, records, &sessions, now);
    let loader = RunLoader::open(
        &Paths::new(&roots.agentpair),
        &LoadOptions::new(now).with_cache(cache_dir()),
    );
    let unlinked: HashSet<&str> = records
        .iter()
        .filter(|(s, a)| !out.contains_key(&((*s).to_owned(), a.bead_id.clone())))
        .map(|(_, a)| a.bead_id.as_str())
        .collect();
    let mut newest: HashMap<&str, &RunSummary> = HashMap::new();
    for run in loader.pending().chain(sessions.iter().map(|r| &**r)) {
        for bead in link::named_beads(run, &unlinked) {
            let slot = newest.entry(bead).or_insert(run);
            if run.started_at() >= slot.started_at() {
                *slot = run;
            }
        }
    }
    for (session, a) in records {
        let key = ((*session).to_owned(), a.bead_id.clone());
        if let (false, Some(run)) = (out.contains_key(&key), newest.get(a.bead_id.as_str())) {
            out.insert(key, entry_run(run));
        }
    }
    out
}

fn entry_run(r: &RunSummary) -> EntryRun {
    EntryRun {
        name: naming::name(r),
        reference: naming::reference(r),
    }
}

/// The runs bound to the active records' panes.
fn bound(
    roots: &Roots,
    records: &[(&str, &Assignment)],
    sessions: &[Arc<RunSummary>],
    now: DateTime<Utc>,
) -> HashMap<(String, String), EntryRun> {
    let mut out = HashMap::new();
    let wanted: Vec<(&str, &Assignment, PaneRef)> = records
        .iter()
        .filter(|(_, a)| active(a))
        .map(|(s, a)| (*s, *a, PaneRef::of(s, a)))
        .collect();
    if wanted.is_empty() {
        return out;
    }
    let scene = match binding::gather(&Tmux::default_server(), &roots.agents.claude) {
        Ok(scene) => scene,
        Err(why) => {
            errln!("beadboard: panes not looked at: {why}");
            return out;
        }
    };
    if scene.agents.is_empty() {
        return out;
    }
    let candidates: Vec<Candidate> = sessions.iter().filter_map(Candidate::of).collect();
    let panes: Vec<PaneRef> = wanted.iter().map(|(_, _, p)| p.clone()).collect();
    let canonical = |cwd: &str| {
        std::path::Path::new(cwd)
            .canonicalize()
            .unwrap_or_else(|_| cwd.into())
    };
    let bindings = binding::decide(&scene, &panes, &candidates, &canonical, now);
    for (session, a, pane) in wanted {
        let run = bindings
            .get(&pane)
            .and_then(|s| s.bound())
            .and_then(|b| b.key.as_ref())
            .and_then(|key| sessions.iter().find(|r| &r.dir == key));
        if let Some(r) = run {
            out.insert((session.to_owned(), a.bead_id.clone()), entry_run(r));
        }
    }
    out
}
