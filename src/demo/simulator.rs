//! The demo's simulator: keeps the sandbox moving the way real tools would, for as long as the
//! demo runs. New beads are filed (so there are always ready ones), the best ready bead is
//! handed to an agent when one is free, assigned beads are started (their runs created and
//! advanced step by step), completed or failed when their runs end, sometimes reassigned or
//! retried; old completed records are cleared away so a long demo stays small. Every write goes
//! through the persistence layer: the store's own transition methods, and agentpair's run files.
//!
//! Time comes from a clock the simulator is given: the real demo's runs on the monotonic clock,
//! a test's is driven by hand, so forty minutes of demo take a few seconds.

use super::catalog::Catalog;
use super::corpus::Corpus;
use super::sandbox::{SESSION, Sandbox, agent_for_pane};
use super::script::Outcome;
use super::work::Work;
use crate::persist::assignment::{AssignmentStatus, AssignmentStore, Clock, StoreError};
use crate::persist::run::Paths;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How many runs work at once.
const PARALLEL_RUNS: usize = 3;

/// Ready beads kept on the board; a new one is filed when there are fewer.
const READY_TARGET: usize = 4;

/// Steps between two new beads, at least.
const FILE_EVERY: u64 = 6;

/// Steps between two assignments, at least.
const ASSIGN_EVERY: u64 = 5;

/// Completed records the store keeps; older ones are removed (as someone tidying up would).
const KEEP_COMPLETED: usize = 16;

/// Steps run at most per call to [`Simulator::advance`]: a simulator that fell behind (a slow
/// disk, a huge `--speed`) skips ahead instead of never catching up.
const MAX_CATCH_UP: u32 = 16;

/// The least time between two steps, whatever the speed.
const MIN_PAUSE: Duration = Duration::from_millis(2);

/// How long the demo has been running.
pub type Elapsed = Arc<dyn Fn() -> Duration + Send + Sync>;

/// The simulator's state.
pub struct Simulator {
    corpus: Corpus,
    rng: fastrand::Rng,
    paths: Paths,
    /// Where the sessions of Claude Code and Codex are written (`claude/`, `codex/`).
    agents: std::path::PathBuf,
    store: AssignmentStore,
    catalog: Catalog,
    scripts: Vec<Work>,
    speed: f64,
    ticks: u64,
    last_filed: u64,
    last_assigned: u64,
    /// The wall time when the clock read zero.
    base: DateTime<Utc>,
    clock: Elapsed,
    /// When the next step is due (by the clock).
    due: Duration,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("ticks", &self.ticks)
            .field("speed", &self.speed)
            .field("runs", &self.scripts.len())
            .finish_non_exhaustive()
    }
}

impl Simulator {
    /// A simulator for `sandbox`, seeded, at `speed` (1.0 = a step every second or two), on
    /// the real clock.
    ///
    /// # Errors
    /// When the sandbox's store cannot be opened.
    pub fn new(
        sandbox: &Sandbox,
        corpus: Corpus,
        seed: u64,
        speed: f64,
    ) -> Result<Simulator, StoreError> {
        let started = Instant::now();
        let clock: Elapsed = Arc::new(move || started.elapsed());
        Simulator::with_clock(sandbox, corpus, seed, speed, crate::clock::now(), clock)
    }

    /// As [`Simulator::new`], on `clock` (time since `base`).
    ///
    /// # Errors
    /// When the sandbox's store cannot be opened.
    pub fn with_clock(
        sandbox: &Sandbox,
        corpus: Corpus,
        seed: u64,
        speed: f64,
        base: DateTime<Utc>,
        clock: Elapsed,
    ) -> Result<Simulator, StoreError> {
        let roots = sandbox.roots();
        let store_clock = {
            let clock = Arc::clone(&clock);
            Clock::from_fn(move || {
                (base + chrono::Duration::from_std(clock()).unwrap_or_default()).fixed_offset()
            })
        };
        Ok(Simulator {
            corpus,
            rng: fastrand::Rng::with_seed(seed.wrapping_add(1)),
            paths: Paths::new(&roots.agentpair),
            agents: sandbox.agents_dir(),
            store: AssignmentStore::load_store(&roots.ntm, SESSION)?.with_clock(store_clock),
            catalog: sandbox.catalog.clone(),
            scripts: Vec::new(),
            speed: if speed.is_finite() && speed > 0.0 {
                speed
            } else {
                1.0
            },
            ticks: 0,
            last_filed: 0,
            last_assigned: 0,
            base,
            due: clock(),
            clock,
        })
    }

    /// Runs until `stop` is set, a step every second or two divided by the speed.
    pub fn run(mut self, stop: &AtomicBool) {
        while !stop.load(Ordering::SeqCst) {
            let wait = self.advance();
            let until = Instant::now() + wait;
            while !stop.load(Ordering::SeqCst) {
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                std::thread::sleep(left.min(Duration::from_millis(20)));
            }
        }
    }

    /// Runs the steps that are due by the clock; returns how long until the next one.
    pub fn advance(&mut self) -> Duration {
        let now = (self.clock)();
        let mut ran = 0;
        while self.due <= now && ran < MAX_CATCH_UP {
            self.tick();
            ran += 1;
            let pause = Duration::from_secs_f64((0.8 + self.rng.f64() * 0.9) / self.speed);
            self.due += pause.max(MIN_PAUSE);
        }
        if self.due <= now {
            self.due = now + MIN_PAUSE;
        }
        self.due - now
    }

    /// The wall time now, by the clock.
    fn now(&self) -> DateTime<Utc> {
        self.base + chrono::Duration::from_std((self.clock)()).unwrap_or_default()
    }

    /// Steps taken so far.
    #[must_use]
    pub fn ticks(&self) -> u64 {
        self.ticks
    }

    /// One step of the world.
    pub fn tick(&mut self) {
        self.ticks += 1;
        if self.store.load().is_err() {
            return;
        }
        let now = self.now();
        self.start_waiting_beads(now);
        self.step_a_run(now);
        self.file_new_beads(now);
        self.hand_out_a_bead();
        if self.ticks.is_multiple_of(13) {
            self.retry_a_failed_bead();
        }
        self.tidy_up();
        let _ = self.catalog.write(&self.store);
        // The store keeps what each change did, for an undo; nothing here takes one back, and
        // kept they would grow with every move of a long demo.
        drop(self.store.take_changes());
    }

    fn running(&self) -> usize {
        self.scripts.len()
    }

    fn start_waiting_beads(&mut self, now: DateTime<Utc>) {
        if self.running() >= PARALLEL_RUNS {
            return;
        }
        let waiting: Vec<(String, i64)> = self
            .store
            .list_by_status(&AssignmentStatus::Assigned)
            .iter()
            .map(|a| (a.bead_id.clone(), a.pane))
            .collect();
        for (bead_id, pane) in waiting.into_iter().take(PARALLEL_RUNS - self.running()) {
            let Some(bead) = self.catalog.get(&bead_id).cloned() else {
                continue;
            };
            if self.store.mark_working(&bead.id).is_err() {
                continue;
            }
            match Work::begin(&self.paths, &self.agents, &bead, pane, &mut self.rng, now) {
                Ok(work) => self.scripts.push(work),
                Err(e) => {
                    let _ = self
                        .store
                        .mark_failed(&bead_id, &format!("run not started: {e}"));
                }
            }
        }
    }

    /// Advances one of the runs; a run that ended (or cannot be written) settles its bead.
    fn step_a_run(&mut self, now: DateTime<Utc>) {
        if self.scripts.is_empty() {
            return;
        }
        let i = self.rng.usize(..self.scripts.len());
        let outcome = self.scripts[i].step(&self.corpus, &mut self.rng, now);
        if let Some(outcome) = outcome {
            let work = self.scripts.swap_remove(i);
            if let Some(bead) = work.bead() {
                self.settle(bead, outcome);
            }
        }
    }

    fn settle(&mut self, bead: &str, outcome: Outcome) {
        match outcome {
            Outcome::Completed => {
                let _ = self.store.mark_completed(bead);
            }
            Outcome::Failed(error) => {
                if self.rng.bool() {
                    let pane = self.rng.i64(1..=6);
                    let (kind, name) = agent_for_pane(pane);
                    let _ = self.store.reassign(bead, pane, kind, &name);
                } else {
                    let _ = self.store.mark_failed(bead, &error);
                }
            }
        }
    }

    /// Files a new bead now and then while fewer than [`READY_TARGET`] are ready.
    fn file_new_beads(&mut self, now: DateTime<Utc>) {
        if self.ticks - self.last_filed < FILE_EVERY
            || self.catalog.ready(&self.store).len() >= READY_TARGET
        {
            return;
        }
        self.catalog.add(&self.corpus, &mut self.rng, Some(now));
        self.last_filed = self.ticks;
    }

    /// Hands the best ready bead to an agent when a run could start for it soon (at once
    /// when nothing is running).
    fn hand_out_a_bead(&mut self) {
        // Beads it knows (one assigned from elsewhere, unknown to it, is never started).
        let waiting = self
            .store
            .list_by_status(&AssignmentStatus::Assigned)
            .iter()
            .filter(|a| self.catalog.get(&a.bead_id).is_some())
            .count();
        let idle = self.running() == 0 && waiting == 0;
        if !idle && (waiting > 0 || self.ticks - self.last_assigned < ASSIGN_EVERY) {
            return;
        }
        let Some(bead) = self
            .catalog
            .ready(&self.store)
            .first()
            .map(|b| (*b).clone())
        else {
            return;
        };
        let pane = self.rng.i64(1..=6);
        let (kind, name) = agent_for_pane(pane);
        if self
            .store
            .assign(&bead.id, &bead.title, pane, kind, &name, &bead.prompt())
            .is_ok()
        {
            self.last_assigned = self.ticks;
        }
    }

    fn retry_a_failed_bead(&mut self) {
        let failed: Vec<String> = self
            .store
            .list_by_status(&AssignmentStatus::Failed)
            .iter()
            .map(|a| a.bead_id.clone())
            .collect();
        if let Some(bead) = failed.first() {
            let _ = self.store.retry(bead);
        }
    }

    /// Removes the oldest completed records beyond [`KEEP_COMPLETED`].
    fn tidy_up(&mut self) {
        let mut done: Vec<(DateTime<Utc>, String)> = self
            .store
            .list_by_status(&AssignmentStatus::Completed)
            .iter()
            .map(|a| {
                let at = a.completed_at.unwrap_or(a.assigned_at);
                (at.to_utc(), a.bead_id.clone())
            })
            .collect();
        if done.len() <= KEEP_COMPLETED {
            return;
        }
        done.sort();
        for (_, bead) in &done[..done.len() - KEEP_COMPLETED] {
            let _ = self.store.remove(bead);
        }
    }
}

#[cfg(test)]
mod tests;
