//! The stream's events as frames on a host's channel: the starting state gathered into one
//! snapshot, then one frame per change. Every run the listing shows is said, each `run` event
//! with the facts its row shows ([`RunFacts`]: iteration, start and end, last activity,
//! prompt), and said again (`from` = `to`) whenever those change, though its state did not; a
//! finished run that needs no one (which the observer leaves out) is said too, and its going.
//! An older client reads these as the `run` events it knows (extra fields are ignored).

use super::follow::Follows;
use super::send;
use crate::app::event::Change;
use crate::cli::CliError;
use crate::cli::watch::{Ready, Sink};
use crate::events::{Event, ItemKind};
use crate::persist::run::{RunFacts, RunSummary};
use crate::present::naming;
use crate::remote::protocol::Frame;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// What was said of a run: enough to say it again, or its going.
#[derive(Debug, Clone, PartialEq)]
struct Said {
    name: String,
    reference: String,
    state: String,
    facts: RunFacts,
}

/// The host's side of the stream.
pub(super) struct Framed {
    snapshot: Vec<serde_json::Value>,
    ready: bool,
    /// What each run was last said to be, by directory.
    said: HashMap<PathBuf, Said>,
    /// The runs looked at since the last events, and whether every run was.
    looked: (Vec<Arc<RunSummary>>, bool),
    /// The transcripts the client follows.
    follows: Follows,
}

impl Framed {
    pub(super) fn new(follows: Follows) -> Framed {
        Framed {
            snapshot: Vec::new(),
            ready: false,
            said: HashMap::new(),
            looked: (Vec::new(), false),
            follows,
        }
    }

    /// `events` as JSON, each `run` event with its run's facts, then a `run` event for each run
    /// looked at whose state or facts changed unsaid, and (after a full look) for each run said
    /// before and now gone.
    fn values(
        &mut self,
        events: &[Event],
        now: DateTime<Utc>,
    ) -> Result<Vec<serde_json::Value>, CliError> {
        let (runs, complete) = std::mem::take(&mut self.looked);
        // The latest look at each run, in the order first looked at.
        let mut order = Vec::new();
        let mut latest: HashMap<PathBuf, Arc<RunSummary>> = HashMap::new();
        for run in runs {
            if latest.insert(run.dir.clone(), Arc::clone(&run)).is_none() {
                order.push(run.dir.clone());
            }
        }
        let mut values = Vec::with_capacity(events.len());
        for event in events {
            let mut value = serde_json::to_value(event)?;
            if let Event::Run {
                dir,
                to,
                name,
                reference,
                ..
            } = event
            {
                match (to, latest.get(dir)) {
                    (Some(to), Some(run)) => {
                        let facts = RunFacts::of(run, now);
                        value["facts"] = serde_json::to_value(&facts)?;
                        let said = Said {
                            name: name.clone(),
                            reference: reference.clone(),
                            state: to.clone(),
                            facts,
                        };
                        self.said.insert(dir.clone(), said);
                    }
                    (Some(_), None) => {}
                    (None, _) => {
                        self.said.remove(dir);
                    }
                }
            }
            values.push(value);
        }
        for dir in &order {
            let Some(run) = latest.get(dir) else { continue };
            let said = Said {
                name: naming::name(&**run),
                reference: run.reference(),
                state: run.state().as_str().to_owned(),
                facts: RunFacts::of(run, now),
            };
            let before = self.said.get(dir);
            if before == Some(&said) {
                continue;
            }
            let from = before.map(|b| b.state.clone());
            values.push(run_value(dir, &said, from, true, now)?);
            self.said.insert(dir.clone(), said);
        }
        if complete {
            let gone: Vec<PathBuf> = self
                .said
                .keys()
                .filter(|d| !latest.contains_key(*d))
                .cloned()
                .collect();
            for dir in gone {
                if let Some(said) = self.said.remove(&dir) {
                    let from = Some(said.state.clone());
                    values.push(run_value(&dir, &said, from, false, now)?);
                }
            }
        }
        Ok(values)
    }
}

/// A `run` event for `said` (`here`: it is there now, in `said.state`; else it is gone).
fn run_value(
    dir: &std::path::Path,
    said: &Said,
    from: Option<String>,
    here: bool,
    at: DateTime<Utc>,
) -> Result<serde_json::Value, CliError> {
    let event = Event::Run {
        at,
        kind: ItemKind::Run,
        name: said.name.clone(),
        reference: said.reference.clone(),
        dir: dir.to_path_buf(),
        from,
        to: here.then(|| said.state.clone()),
        run: said.reference.clone(),
    };
    let mut value = serde_json::to_value(&event)?;
    if here {
        value["facts"] = serde_json::to_value(&said.facts)?;
    }
    Ok(value)
}

impl Sink for Framed {
    fn runs(&mut self, runs: Vec<Arc<RunSummary>>, complete: bool) {
        self.looked.0.extend(runs);
        self.looked.1 |= complete;
    }

    fn events(&mut self, events: &[Event]) -> Result<(), CliError> {
        let values = self.values(events, crate::clock::now())?;
        if !self.ready {
            self.snapshot.extend(values);
            return Ok(());
        }
        for event in values {
            send(&Frame::Event { event })?;
        }
        Ok(())
    }

    fn ready(&mut self, ready: &Ready) -> Result<(), CliError> {
        self.ready = true;
        send(&Frame::Snapshot {
            events: std::mem::take(&mut self.snapshot),
            runs: ready.runs,
            sessions: ready.sessions,
            polling: ready.polling.clone(),
        })
    }

    fn changed(&mut self, change: &Change) -> Result<(), CliError> {
        self.follows.changed(change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::run::{Manifest, State};

    fn run(id: i64, state: State, iteration: i64) -> Arc<RunSummary> {
        let mut m = Manifest::new(id, "api", "0123456789abcdef", "fix the bug");
        m.state = state;
        m.current_iteration = iteration;
        let at = "2026-12-01T09:00:00Z".parse::<DateTime<Utc>>().unwrap();
        (m.created_at, m.updated_at) = (at.fixed_offset(), at.fixed_offset());
        Arc::new(RunSummary::of_manifest(&m))
    }

    fn said(values: &[serde_json::Value]) -> Vec<(String, String, String)> {
        values
            .iter()
            .map(|v| {
                let word = |k: &str| v[k].as_str().unwrap_or("-").to_owned();
                (word("reference"), word("from"), word("to"))
            })
            .collect()
    }

    #[test]
    fn every_run_is_said_with_its_facts_again_when_they_change_and_its_going() {
        let now = "2026-12-01T10:00:00Z".parse().unwrap();
        let mut framed = Framed::new(Follows::default());
        // A finished run the observer leaves out is said all the same, with its facts.
        framed.runs(
            vec![run(1, State::Working, 1), run(2, State::Completed, 3)],
            true,
        );
        let first = framed.values(&[], now).unwrap();
        assert_eq!(
            said(&first),
            [
                ("0123456789abcdef/1".into(), "-".into(), "working".into()),
                ("0123456789abcdef/2".into(), "-".into(), "completed".into()),
            ]
        );
        assert_eq!(first[1]["facts"]["iteration"], 3);
        assert_eq!(first[1]["facts"]["prompt"], "fix the bug");
        // Nothing changed: nothing said.
        framed.runs(vec![run(1, State::Working, 1)], false);
        assert!(framed.values(&[], now).unwrap().is_empty());
        // Its iteration moved on, its state did not: said again.
        framed.runs(vec![run(1, State::Working, 2)], false);
        let again = framed.values(&[], now).unwrap();
        assert_eq!(
            said(&again),
            [(
                "0123456789abcdef/1".into(),
                "working".into(),
                "working".into()
            )]
        );
        assert_eq!(again[0]["facts"]["iteration"], 2);
        // A full look without run 2: it is gone.
        framed.runs(vec![run(1, State::Working, 2)], true);
        let gone = framed.values(&[], now).unwrap();
        assert_eq!(
            said(&gone),
            [("0123456789abcdef/2".into(), "completed".into(), "-".into())]
        );
    }
}
