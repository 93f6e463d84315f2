//! The workers: where effects run, off the event loop's thread (gitui's asyncgit split, on
//! our one channel). Three lanes (runs, the open transcript, the board) each run their
//! effects one at a time and in order, dropping a request that a later identical one makes
//! redundant; effects that may wait (store writes with their lock waits, searches, tmux,
//! closing a run) get a thread of their own; watch effects go to the watch keeper. Every
//! result comes back as a message on the loop's channel.

use super::effect::{Effect, Lane};
use super::work::{self, Sink};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

/// The running workers.
#[derive(Debug)]
pub struct Workers {
    lanes: HashMap<Lane, Sender<Effect>>,
    watch: Option<Sender<Effect>>,
    sink: Sink,
}

impl Workers {
    /// Starts the lanes; `watch` receives watch effects (the watch keeper), `sink` every
    /// result.
    #[must_use]
    pub fn start(sink: Sink, watch: Option<Sender<Effect>>) -> Workers {
        let lanes = [Lane::Runs, Lane::Agents, Lane::Transcript, Lane::Board]
            .into_iter()
            .filter_map(|lane| {
                let (tx, rx) = mpsc::channel();
                let sink = sink.clone();
                thread::Builder::new()
                    .name(format!("beadboard-{lane:?}").to_lowercase())
                    .spawn(move || run_lane(&rx, &sink))
                    .ok()
                    .map(|_| (lane, tx))
            })
            .collect();
        Workers { lanes, watch, sink }
    }

    /// Hands `effect` to its worker.
    pub fn run(&self, effect: Effect) {
        let lane = effect.lane();
        match lane {
            Lane::Watch => match &self.watch {
                Some(watch) => {
                    let _ = watch.send(effect);
                }
                None => work::execute(effect, &self.sink),
            },
            Lane::Own => self.spawn(effect),
            // The event loop keeps these for itself (see `app.rs`); here there is no terminal.
            Lane::Terminal => {}
            _ => match self.lanes.get(&lane) {
                Some(tx) => {
                    if let Err(mpsc::SendError(effect)) = tx.send(effect) {
                        self.spawn(effect);
                    }
                }
                // The lane's thread could not be started: run it on a thread of its own.
                None => self.spawn(effect),
            },
        }
    }

    /// Hands every effect to its worker, in order.
    pub fn run_all(&self, effects: Vec<Effect>) {
        for effect in effects {
            self.run(effect);
        }
    }

    fn spawn(&self, effect: Effect) {
        let sink = self.sink.clone();
        let spawned = thread::Builder::new()
            .name("beadboard-job".to_owned())
            .spawn(move || work::execute(effect, &sink));
        if let Err(e) = spawned {
            self.sink
                .report(format!("cannot start a worker thread: {e}"));
        }
    }
}

/// What makes two queued requests the same, so the earlier can be dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Same {
    Scan,
    Verify,
    Run(PathBuf),
    Touch(PathBuf),
    Sessions,
    Store(String),
    Observe(bool),
    Beads,
}

fn same(effect: &Effect) -> Option<Same> {
    match effect {
        Effect::ScanRuns { .. } => Some(Same::Scan),
        Effect::VerifyRuns { .. } => Some(Same::Verify),
        Effect::LoadRun { dir, retry: false } => Some(Same::Run(dir.clone())),
        Effect::TouchRun { dir, .. } => Some(Same::Touch(dir.clone())),
        Effect::ListSessions {
            open_newest: false, ..
        } => Some(Same::Sessions),
        Effect::LoadStore { session, .. } => Some(Same::Store(session.clone())),
        Effect::ObserveSessions {
            announce: true,
            whole,
            ..
        } => Some(Same::Observe(*whole)),
        Effect::ReadBeads(_) => Some(Same::Beads),
        _ => None,
    }
}

/// Keeps the last of identical requests, in the order of their last occurrence (a burst of
/// file events asking for the same read costs one read).
fn coalesce(batch: Vec<Effect>) -> Vec<Effect> {
    let mut last: HashMap<Same, usize> = HashMap::new();
    for (i, e) in batch.iter().enumerate() {
        if let Some(key) = same(e) {
            last.insert(key, i);
        }
    }
    batch
        .into_iter()
        .enumerate()
        .filter(|(i, e)| same(e).is_none_or(|key| last.get(&key) == Some(i)))
        .map(|(_, e)| e)
        .collect()
}

fn run_lane(rx: &Receiver<Effect>, sink: &Sink) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        for effect in coalesce(batch) {
            work::execute(effect, sink);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_requests_in_a_burst_cost_one_read_in_the_latest_place() {
        let dir = |n: &str| PathBuf::from(format!("/runs/r/{n}"));
        let batch = vec![
            Effect::TouchRun {
                dir: dir("1"),
                active: true,
            },
            Effect::LoadRun {
                dir: dir("2"),
                retry: false,
            },
            Effect::TouchRun {
                dir: dir("1"),
                active: true,
            },
            Effect::LoadRun {
                dir: dir("2"),
                retry: true,
            },
        ];
        let kept: Vec<String> = coalesce(batch).iter().map(|e| format!("{e:?}")).collect();
        assert_eq!(kept.len(), 3, "{kept:?}");
        assert!(kept[0].starts_with("LoadRun") && kept[0].contains("retry: false"));
        assert!(kept[1].starts_with("TouchRun"));
        assert!(
            kept[2].contains("retry: true"),
            "a retry is never merged away"
        );
    }
}
