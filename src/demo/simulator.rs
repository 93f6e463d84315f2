//! The demo's simulator: a thread that keeps the sandbox moving the way real tools would.
//! Beads are started (their runs created and advanced step by step, a line every second or
//! two), completed or failed when their runs end, sometimes reassigned or retried, and new beads
//! are assigned from the backlog. Every write goes through the persistence layer: the store's
//! own transition methods, and agentpair's run files.

use super::corpus::Corpus;
use super::sandbox::{Bead, SESSION, Sandbox, agent_for_pane};
use super::script::{Outcome, Script};
use crate::persist::assignment::{AssignmentStatus, AssignmentStore, StoreError};
use crate::persist::run::{Manager, Paths};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How many runs work at once.
const PARALLEL_RUNS: usize = 3;

/// The simulator's state.
#[derive(Debug)]
pub struct Simulator {
    corpus: Corpus,
    rng: fastrand::Rng,
    paths: Paths,
    store: AssignmentStore,
    beads: Vec<Bead>,
    backlog: Vec<Bead>,
    scripts: Vec<Script>,
    speed: f64,
    ticks: u64,
}

impl Simulator {
    /// A simulator for `sandbox`, seeded, at `speed` (1.0 = a step every second or two).
    ///
    /// # Errors
    /// When the sandbox's store cannot be opened.
    pub fn new(
        sandbox: &Sandbox,
        corpus: Corpus,
        seed: u64,
        speed: f64,
    ) -> Result<Simulator, StoreError> {
        let roots = sandbox.roots();
        Ok(Simulator {
            corpus,
            rng: fastrand::Rng::with_seed(seed.wrapping_add(1)),
            paths: Paths::new(&roots.agentpair),
            store: AssignmentStore::load_store(&roots.ntm, SESSION)?,
            beads: sandbox.beads.clone(),
            backlog: sandbox.backlog.clone(),
            scripts: Vec::new(),
            speed: speed.max(0.01),
            ticks: 0,
        })
    }

    /// Runs until `stop` is set, pausing a second or two (divided by the speed) between steps.
    pub fn run(mut self, stop: &AtomicBool) {
        while !stop.load(Ordering::SeqCst) {
            self.tick();
            let pause = Duration::from_secs_f64((0.8 + self.rng.f64() * 0.9) / self.speed);
            let until = Instant::now() + pause;
            while Instant::now() < until && !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20).min(pause));
            }
        }
    }

    fn bead(&self, id: &str) -> Option<Bead> {
        self.beads.iter().find(|b| b.id == id).cloned()
    }

    /// One step of the world.
    pub fn tick(&mut self) {
        self.ticks += 1;
        let _ = self.store.load();
        self.start_waiting_beads();
        let active: Vec<usize> = (0..self.scripts.len())
            .filter(|&i| !self.scripts[i].is_finished())
            .collect();
        if !active.is_empty() {
            let i = active[self.rng.usize(..active.len())];
            if self.scripts[i].step(&self.corpus, &mut self.rng).is_err() {
                return;
            }
            if self.scripts[i].is_finished() {
                self.settle(i);
            }
        }
        if self.ticks.is_multiple_of(9) {
            self.assign_from_backlog();
        }
        if self.ticks.is_multiple_of(13) {
            self.retry_a_failed_bead();
        }
    }

    fn start_waiting_beads(&mut self) {
        let running = self.scripts.iter().filter(|s| !s.is_finished()).count();
        if running >= PARALLEL_RUNS {
            return;
        }
        let waiting: Vec<String> = self
            .store
            .list_by_status(&AssignmentStatus::Assigned)
            .iter()
            .map(|a| a.bead_id.clone())
            .collect();
        for bead_id in waiting.into_iter().take(PARALLEL_RUNS - running) {
            let Some(bead) = self.bead(&bead_id) else {
                continue;
            };
            if self.store.mark_working(&bead.id).is_err() {
                continue;
            }
            let manager = Manager::new(self.paths.clone(), bead.repo.clone());
            if let Ok(script) = Script::begin(
                &manager,
                &bead.prompt(),
                Some(bead.id.clone()),
                &mut self.rng,
            ) {
                self.scripts.push(script);
            }
        }
    }

    fn settle(&mut self, index: usize) {
        let (Some(bead), Some(outcome)) = (
            self.scripts[index].bead.clone(),
            self.scripts[index].outcome.clone(),
        ) else {
            return;
        };
        match outcome {
            Outcome::Completed => {
                let _ = self.store.mark_completed(&bead);
            }
            Outcome::Failed(error) => {
                if self.rng.bool() {
                    let pane = self.rng.i64(1..=6);
                    let (kind, name) = agent_for_pane(pane);
                    let _ = self.store.reassign(&bead, pane, kind, &name);
                } else {
                    let _ = self.store.mark_failed(&bead, &error);
                }
            }
        }
    }

    fn assign_from_backlog(&mut self) {
        if self.backlog.is_empty() {
            return;
        }
        let bead = self.backlog.remove(0);
        let pane = self.rng.i64(1..=6);
        let (kind, name) = agent_for_pane(pane);
        let _ = self
            .store
            .assign(&bead.id, &bead.title, pane, kind, &name, &bead.prompt());
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_world_moves() {
        let corpus = Corpus::load().unwrap();
        let sandbox = Sandbox::create(42, &corpus).unwrap();
        let mut sim = Simulator::new(&sandbox, corpus, 42, 100.0).unwrap();
        let before = crate::persist::run::scan_runs(&Paths::new(sandbox.roots().agentpair))
            .runs
            .len();
        for _ in 0..60 {
            sim.tick();
        }
        let report = crate::persist::run::scan_runs(&Paths::new(sandbox.roots().agentpair));
        assert!(report.runs.len() > before, "runs were started");
        assert!(report.problems.is_empty());
        let store = AssignmentStore::load_store(&sandbox.roots().ntm, SESSION).unwrap();
        assert!(store.stats().total > 7, "backlog beads were assigned");
        let history = crate::persist::assignment::read_history(&store.history_path()).unwrap();
        assert!(history.iter().any(|h| h.op == "start"));
    }
}
