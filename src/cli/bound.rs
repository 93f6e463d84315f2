//! The run bound to each assignment's pane, for `assignments --json`: the same binding the
//! dashboard does (`crate::binding`), done here synchronously. The panes are looked at only
//! when some record is active, and the sessions listed (read-only, no cache written) only when
//! an agent runs in some pane.

use super::output::errln;
use crate::app::work::agents::{self, Judge};
use crate::binding::{self, Candidate, PaneRef};
use crate::config::Roots;
use crate::persist::assignment::{Assignment, AssignmentStatus};
use crate::present::naming;
use crate::tmux::Tmux;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;

/// Whether an assignment's pane is looked at (it is not finished).
fn active(a: &Assignment) -> bool {
    !matches!(
        a.status,
        AssignmentStatus::Completed | AssignmentStatus::Failed | AssignmentStatus::Reassigned
    )
}

/// `{"name", "reference"}` of the run bound to each record's pane, by (session, bead); a
/// record left out has none (`null`). Why the panes could not be looked at is said on stderr.
#[must_use]
pub fn runs(
    roots: &Roots,
    records: &[(&str, &Assignment)],
    stale_after: Duration,
    now: DateTime<Utc>,
) -> HashMap<(String, String), Value> {
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
    let judge = Judge {
        quiet: stale_after,
        now,
    };
    let found = agents::scan(&roots.agents, &HashMap::new(), HashMap::new(), &judge, None);
    let candidates: Vec<Candidate> = found.runs.iter().filter_map(|r| Candidate::of(r)).collect();
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
            .and_then(|key| found.runs.iter().find(|r| &r.dir == key));
        if let Some(r) = run {
            let value = json!({"name": naming::name(&**r), "reference": naming::reference(&**r)});
            out.insert((session.to_owned(), a.bead_id.clone()), value);
        }
    }
    out
}
