//! The snapshot's runs that the observer leaves out: a finished run that needs no one is
//! forgotten by the [`crate::events::Observer`] (so a year of history costs nothing to watch),
//! but a snapshot says every run the listing shows. Both sinks take these events as they take
//! the observer's: the printed stream prints them, a host's channel adds each run's facts.

use crate::events::{Event, ItemKind};
use crate::persist::run::RunSummary;
use crate::present::naming;
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// A `run` event (first seen, in the state it is in) for each run `looked` at that `events`
/// say nothing of, in the order looked at, each once.
pub(super) fn unsaid_runs(
    events: &[Event],
    looked: &[Arc<RunSummary>],
    at: DateTime<Utc>,
) -> Vec<Event> {
    let mut said: HashSet<&Path> = events
        .iter()
        .filter_map(|e| match e {
            Event::Run { dir, .. } => Some(dir.as_path()),
            _ => None,
        })
        .collect();
    looked
        .iter()
        .filter(|r| said.insert(r.dir.as_path()))
        .map(|r| Event::Run {
            at,
            kind: ItemKind::Run,
            run: r.reference(),
            name: naming::name(&**r),
            reference: r.reference(),
            dir: r.dir.clone(),
            from: None,
            to: Some(r.state().as_str().to_owned()),
        })
        .collect()
}
