//! The workers: where effects run, off the event loop's thread (gitui's asyncgit split, on
//! our one channel). Three lane threads (runs and agent sessions, the open transcript, the
//! board) each run their effects one at a time and in order, dropping a request that a later identical one makes
//! redundant; effects that may wait (store writes with their lock waits, searches, tmux,
//! closing a run) get a thread of their own; watch effects go to the watch keeper. Every
//! result comes back as a message on the loop's channel. A job that panics becomes an error
//! message ([`Msg::Failed`](super::event::Msg::Failed)) and its worker goes on with the next.

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
    hosts: super::work::hosts::HostLinks,
}

impl Workers {
    /// Starts the lanes; `watch` receives watch effects (the watch keeper), `sink` every
    /// result.
    #[must_use]
    pub fn start(sink: Sink, watch: Option<Sender<Effect>>) -> Workers {
        let lanes = [Lane::Runs, Lane::Transcript, Lane::Board]
            .into_iter()
            .filter_map(|lane| {
                let (tx, rx) = mpsc::channel();
                let sink = sink.clone();
                thread::Builder::new()
                    .name(format!("beadboard-{lane:?}").to_lowercase())
                    .spawn(move || run_lane(&rx, &sink, execute))
                    .ok()
                    .map(|_| (lane, tx))
            })
            .collect();
        Workers {
            lanes,
            watch,
            sink,
            hosts: super::work::hosts::HostLinks::default(),
        }
    }

    /// Hands host requests to `hosts`' channels.
    #[must_use]
    pub fn with_hosts(mut self, hosts: super::work::hosts::HostLinks) -> Workers {
        self.hosts = hosts;
        self
    }

    /// Hands `effect` to its worker.
    pub fn run(&self, effect: Effect) {
        let lane = effect.lane();
        match lane {
            Lane::Watch => match &self.watch {
                Some(watch) => {
                    let _ = watch.send(effect);
                }
                None => execute(effect, &self.sink),
            },
            Lane::Own => self.spawn(effect),
            // A send to the host's own threads: nothing here waits.
            Lane::Hosts => self.hosts.execute(effect, &self.sink),
            // The event loop keeps these for itself (see `app.rs`); here there is no terminal.
            Lane::Terminal => {}
            _ => match self.lanes.get(&thread_of(lane)) {
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
            .spawn(move || execute(effect, &sink));
        if let Err(e) = spawned {
            self.sink
                .report(format!("cannot start a worker thread: {e}"));
        }
    }
}

/// The thread a lane's effects run on. Agent sessions share the runs' thread: at the start
/// their scan waits for the runs' anyway, and with a thread of its own glibc gave it an arena
/// of its own, which kept what the scan freed beside the runs' (3–4 MiB of the dashboard's
/// peak with a year of runs and a month of sessions; issue 18 in BENCHMARKS.md). Their reads
/// are short (a session read on from where it stopped, a look at the live registries).
fn thread_of(lane: Lane) -> Lane {
    match lane {
        Lane::Agents => Lane::Runs,
        other => other,
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

/// Does the work of `effect`; a panic in it becomes an error message, never the end of the
/// worker (or of the dashboard).
fn execute(effect: Effect, sink: &Sink) {
    caught(effect, sink, work::execute);
}

/// Does `work` for `effect`, turning its panic into an error message.
fn caught(effect: Effect, sink: &Sink, work: impl FnOnce(Effect, &Sink)) {
    if let Err(panic) = crate::panics::catch(|| {
        debug_fault(&effect);
        work(effect, sink);
    }) {
        sink.failed(format!("a worker stopped on a bug: {panic}"));
    }
}

/// Debug builds only: with `BEADBOARD_DEBUG_PANIC=worker` the first read of a store panics, so
/// the tests can prove a worker's panic is shown and later jobs still run. Release builds
/// contain no such hook.
#[cfg(debug_assertions)]
#[allow(clippy::panic)]
fn debug_fault(effect: &Effect) {
    static FIRED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if matches!(effect, Effect::LoadStore { .. })
        && std::env::var_os("BEADBOARD_DEBUG_PANIC").is_some_and(|v| v == "worker")
        && !FIRED.swap(true, std::sync::atomic::Ordering::SeqCst)
    {
        panic!("BEADBOARD_DEBUG_PANIC: a deliberate panic in a worker");
    }
}

#[cfg(not(debug_assertions))]
fn debug_fault(_: &Effect) {}

fn run_lane(rx: &Receiver<Effect>, sink: &Sink, execute: impl Fn(Effect, &Sink)) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        for effect in coalesce(batch) {
            execute(effect, sink);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::event::Msg;

    /// A lane whose job panics reports it as an error and then does its next jobs.
    #[test]
    fn a_panicking_job_is_reported_and_the_lane_goes_on() {
        let (tx, rx) = mpsc::channel();
        let sink = Sink::new(move |m| {
            let _ = tx.send(m);
        });
        let (jobs, lane) = mpsc::channel();
        let worker = thread::spawn(move || {
            run_lane(&lane, &sink, |effect, sink| {
                caught(effect, sink, |effect, sink| match effect {
                    Effect::Rewatch => panic!("a bug in a job"),
                    other => work::execute(other, sink),
                });
            });
        });
        jobs.send(Effect::Rewatch).unwrap();
        jobs.send(Effect::ReadBeads(PathBuf::from(
            "/nonexistent/issues.jsonl",
        )))
        .unwrap();
        jobs.send(Effect::Rewatch).unwrap();
        drop(jobs);
        worker.join().expect("the lane never dies of a job's panic");
        let said: Vec<Msg> = rx.try_iter().collect();
        assert_eq!(said.len(), 3, "{said:?}");
        for failed in [&said[0], &said[2]] {
            assert!(
                matches!(failed, Msg::Failed(text) if text.contains("a bug in a job")),
                "{said:?}"
            );
        }
        assert!(
            matches!(
                &said[1],
                Msg::Done(crate::app::outcome::Outcome::BeadsRead(_))
            ),
            "the job after a panic still ran: {said:?}"
        );
    }

    /// Every lane of ordered effects has a thread (agent sessions the runs' one), so none
    /// falls back to a thread of its own per effect.
    #[test]
    fn every_ordered_lane_has_a_thread_and_agents_share_the_runs_one() {
        let workers = Workers::start(Sink::new(|_| {}), None);
        for lane in [Lane::Runs, Lane::Agents, Lane::Transcript, Lane::Board] {
            assert!(workers.lanes.contains_key(&thread_of(lane)), "{lane:?}");
        }
        assert_eq!(thread_of(Lane::Agents), Lane::Runs);
        assert_eq!(workers.lanes.len(), 3, "one thread fewer than lanes");
    }

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
