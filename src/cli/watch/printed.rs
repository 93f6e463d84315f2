//! `beadboard watch`'s printed stream: one readable line, or one JSON object, per event. The
//! snapshot (`--snapshot`) also says each finished run that needs no one, which the observer
//! leaves out (it forgets settled runs), so it holds every run the listing shows, as a host's
//! snapshot does.

use super::{Ready, Sink, describe};
use crate::cli::CliError;
use crate::cli::output::Out;
use crate::events::{Event, ItemKind};
use crate::persist::run::RunSummary;
use crate::present::naming;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// Where `beadboard watch` prints.
pub(super) struct Printed<'a> {
    out: &'a mut Out,
    json: bool,
    /// The runs the snapshot looked at, until it is printed; `None` once `ready` is.
    snapshot: Option<Vec<Arc<RunSummary>>>,
}

impl<'a> Printed<'a> {
    pub(super) fn new(out: &'a mut Out, json: bool) -> Printed<'a> {
        Printed {
            out,
            json,
            snapshot: Some(Vec::new()),
        }
    }

    fn print(&mut self, event: &Event) -> Result<(), CliError> {
        if self.json {
            self.out.json_line(&serde_json::to_value(event)?)
        } else {
            self.out.line(format_args!("{}", describe(event)))
        }
    }
}

/// A `run` event for a run first seen in the state it is in.
fn seen(run: &RunSummary, at: chrono::DateTime<chrono::Utc>) -> Event {
    Event::Run {
        at,
        kind: ItemKind::Run,
        run: run.reference(),
        name: naming::name(run),
        reference: run.reference(),
        dir: run.dir.clone(),
        from: None,
        to: Some(run.state().as_str().to_owned()),
    }
}

impl Sink for Printed<'_> {
    fn runs(&mut self, runs: Vec<Arc<RunSummary>>, _complete: bool) {
        if let Some(snapshot) = &mut self.snapshot {
            snapshot.extend(runs);
        }
    }

    fn events(&mut self, events: &[Event]) -> Result<(), CliError> {
        for event in events {
            self.print(event)?;
        }
        if let Some(looked) = self.snapshot.as_mut().map(std::mem::take) {
            let said: HashSet<&Path> = events
                .iter()
                .filter_map(|e| match e {
                    Event::Run { dir, .. } => Some(dir.as_path()),
                    _ => None,
                })
                .collect();
            let mut unsaid = HashSet::new();
            let now = crate::clock::now();
            let quiet: Vec<Event> = looked
                .iter()
                .filter(|r| !said.contains(r.dir.as_path()) && unsaid.insert(r.dir.clone()))
                .map(|r| seen(r, now))
                .collect();
            for event in &quiet {
                self.print(event)?;
            }
        }
        self.out.flush()
    }

    fn ready(&mut self, ready: &Ready) -> Result<(), CliError> {
        self.snapshot = None;
        if self.json {
            self.out.json_line(&serde_json::to_value(ready)?)?;
        } else {
            self.out.line(format_args!("{}", ready.describe()))?;
        }
        self.out.flush()
    }
}
