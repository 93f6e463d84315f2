//! One simulated agentpair run: the paired loop, written step by step exactly as agentpair
//! writes it (manifest saves at state changes only, transcript lines in loop order, bridge
//! task/result/review messages), through the persistence layer. Transcript times and
//! durations come from the simulator's clock.

use super::corpus::Corpus;
use super::history;
use crate::persist::run::{
    Bridge, BridgeMessage, EntryType, Manager, Run, RunConfig, RunError, State, TranscriptEntry,
};
use chrono::{DateTime, Utc};

/// How a run ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Both agents agreed it is done.
    Completed,
    /// An error ended it (the message).
    Failed(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    GoWorking,
    Iterate,
    ExecPrimary,
    ResultPrimary,
    ExecSecondary,
    ResultSecondary,
    Signals,
    Finished,
}

/// A run in progress.
#[derive(Debug)]
pub struct Script {
    /// The run's files.
    pub run: Run,
    /// The bead the run works on, if any.
    pub bead: Option<String>,
    phase: Phase,
    iteration: i64,
    pass_on: i64,
    error_on: Option<i64>,
    said_done: bool,
    started: DateTime<Utc>,
    step_started: DateTime<Utc>,
    /// Set once the run has ended.
    pub outcome: Option<Outcome>,
}

fn messages_for(bridge: &Bridge, agent: &str) -> usize {
    bridge
        .read_all()
        .map(|(m, _)| {
            m.iter()
                .filter(|m| m.to.is_empty() || m.to == agent)
                .count()
        })
        .unwrap_or(0)
}

/// The time from `from` to `to`, never negative.
fn between(from: DateTime<Utc>, to: DateTime<Utc>) -> std::time::Duration {
    (to - from).to_std().unwrap_or_default()
}

impl Script {
    /// `Manager.Create` and the transcript's `start` line at `now`, as agentpair's `Loop.Run`
    /// begins.
    ///
    /// # Errors
    /// Any write error.
    pub fn begin(
        manager: &Manager,
        prompt: &str,
        bead: Option<String>,
        rng: &mut fastrand::Rng,
        now: DateTime<Utc>,
    ) -> Result<Script, RunError> {
        let config = RunConfig::default();
        let run = manager.create(prompt, &config)?;
        let mut md = crate::persist::gojson::Object::new();
        md.insert("max_iterations".into(), config.max_iterations.into());
        md.insert("primary_agent".into(), config.primary_agent.clone().into());
        md.insert("review_mode".into(), config.review_mode.clone().into());
        let start = history::entry(EntryType::Start, now, run.manifest.id, |e| {
            e.content = prompt.to_owned();
            e.metadata = md;
        });
        run.transcript.append_as_is(&start)?;
        let pass_on = rng.i64(1..=3);
        let error_on = (rng.u8(..100) < 18).then(|| rng.i64(1..=pass_on));
        Ok(Script {
            run,
            bead,
            phase: Phase::GoWorking,
            iteration: 0,
            pass_on,
            error_on,
            said_done: false,
            started: now,
            step_started: now,
            outcome: None,
        })
    }

    fn send(&self, kind: &str, from: &str, to: &str, content: &str) -> Result<(), RunError> {
        let mut m = BridgeMessage::new(kind, from, to, content, self.iteration);
        self.run.bridge.send(&mut m)
    }

    /// Appends an entry of this run stamped `at`, as agentpair's loggers write it.
    fn log(
        &self,
        kind: EntryType,
        at: DateTime<Utc>,
        fill: impl FnOnce(&mut TranscriptEntry),
    ) -> Result<(), RunError> {
        let entry = history::entry(kind, at, self.run.manifest.id, fill);
        self.run.transcript.append_as_is(&entry)
    }

    fn signal(&self, agent: &str, signal: &str, at: DateTime<Utc>) -> Result<(), RunError> {
        let n = self.iteration;
        self.log(EntryType::Signal, at, |e| {
            e.agent = agent.to_owned();
            e.iteration = n;
            e.signal = signal.to_owned();
        })
    }

    fn state(&self, state: State, at: DateTime<Utc>) -> Result<(), RunError> {
        self.log(EntryType::State, at, |e| e.state = Some(state))
    }

    fn execute(&mut self, agent: &str, at: DateTime<Utc>) -> Result<(), RunError> {
        let count = messages_for(&self.run.bridge, agent);
        let n = self.iteration;
        self.log(EntryType::Execute, at, |e| {
            e.agent = agent.to_owned();
            e.iteration = n;
            e.content = format!("{count} messages");
        })?;
        self.step_started = at;
        Ok(())
    }

    fn result(&self, agent: &str, output: &str, at: DateTime<Utc>) -> Result<(), RunError> {
        let n = self.iteration;
        let took = between(self.step_started, at);
        self.log(EntryType::Result, at, |e| {
            e.agent = agent.to_owned();
            e.iteration = n;
            e.content = output.to_owned();
            e.duration = i64::try_from(took.as_nanos()).unwrap_or(i64::MAX);
        })
    }

    fn finish(&mut self, outcome: Outcome) {
        self.outcome = Some(outcome);
        self.phase = Phase::Finished;
    }

    /// Writes the next step of the loop (one or a few lines) at `now`.
    ///
    /// # Errors
    /// Any write error.
    pub fn step(
        &mut self,
        corpus: &Corpus,
        rng: &mut fastrand::Rng,
        now: DateTime<Utc>,
    ) -> Result<(), RunError> {
        let n = self.iteration;
        match self.phase {
            Phase::GoWorking => {
                self.run.manifest.codex_session_id = format!("sess_{:016x}", rng.u64(..));
                self.run.save()?;
                self.run.manifest.set_state(State::Working);
                self.state(State::Working, now)?;
                self.run.save()?;
                let prompt = self.run.manifest.prompt.clone();
                self.send("task", "system", "codex", &prompt)?;
                self.phase = Phase::Iterate;
            }
            Phase::Iterate => {
                self.iteration += 1;
                self.run.manifest.increment_iteration();
                let n = self.iteration;
                self.log(EntryType::Iteration, now, |e| e.iteration = n)?;
                self.phase = Phase::ExecPrimary;
            }
            Phase::ExecPrimary => {
                self.execute("codex", now)?;
                self.phase = Phase::ResultPrimary;
            }
            Phase::ResultPrimary => {
                if self.error_on == Some(n) {
                    let error = Corpus::pick(&corpus.errors, rng);
                    self.log(EntryType::Error, now, |e| {
                        e.agent = "loop".to_owned();
                        e.iteration = n;
                        e.error.clone_from(&error);
                    })?;
                    self.run.manifest.set_state(State::Failed);
                    self.run.manifest.error.clone_from(&error);
                    self.run.save()?;
                    self.finish(Outcome::Failed(error));
                    return Ok(());
                }
                self.said_done = n >= self.pass_on;
                let output = Corpus::pick(
                    if self.said_done {
                        &corpus.primary_done
                    } else {
                        &corpus.primary
                    },
                    rng,
                );
                self.result("codex", &output, now)?;
                self.send("result", "codex", "claude", &output)?;
                if self.said_done {
                    self.signal("codex", "DONE", now)?;
                    self.run.manifest.set_state(State::Reviewing);
                    self.state(State::Reviewing, now)?;
                    self.run.save()?;
                }
                self.phase = Phase::ExecSecondary;
            }
            Phase::ExecSecondary => {
                self.execute("claude", now)?;
                self.phase = Phase::ResultSecondary;
            }
            Phase::ResultSecondary => {
                let pass = self.said_done;
                let review = Corpus::pick(
                    if pass {
                        &corpus.review_pass
                    } else {
                        &corpus.review_fail
                    },
                    rng,
                );
                self.result("claude", &review, now)?;
                self.send("review", "claude", "codex", &review)?;
                self.phase = Phase::Signals;
            }
            Phase::Signals => {
                if self.said_done {
                    self.signal("codex", "PASS", now)?;
                    self.signal("claude", "PASS", now)?;
                    self.run.manifest.set_state(State::Completed);
                    let total = between(self.started, now);
                    self.log(EntryType::End, now, |e| {
                        e.state = Some(State::Completed);
                        e.duration = i64::try_from(total.as_nanos()).unwrap_or(i64::MAX);
                    })?;
                    self.run.save()?;
                    self.finish(Outcome::Completed);
                } else {
                    self.signal("claude", "FAIL", now)?;
                    self.run.manifest.set_state(State::Working);
                    self.run.save()?;
                    if n >= self.run.manifest.max_iterations {
                        self.run.manifest.set_state(State::Failed);
                        self.run.manifest.error = "max iterations reached".to_owned();
                        self.run.save()?;
                        self.finish(Outcome::Failed("max iterations reached".to_owned()));
                    } else {
                        self.phase = Phase::Iterate;
                    }
                }
            }
            Phase::Finished => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::run::{EntryType, Paths, Transcript};

    #[test]
    fn a_run_plays_the_loop_to_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::load().unwrap();
        let mut rng = fastrand::Rng::with_seed(7);
        let manager = Manager::new(Paths::new(dir.path()), "/home/dev/src/webapp");
        let t0: DateTime<Utc> = "2026-03-30T09:00:00Z".parse().unwrap();
        let mut script = Script::begin(
            &manager,
            "Work on bead dm-1: x",
            Some("dm-1".into()),
            &mut rng,
            t0,
        )
        .unwrap();
        for i in 1..200 {
            if script.outcome.is_some() {
                break;
            }
            script
                .step(&corpus, &mut rng, t0 + chrono::Duration::seconds(i * 7))
                .unwrap();
        }
        assert!(script.outcome.is_some());
        let entries = Transcript::new(script.run.transcript.path(), 1)
            .read_all()
            .unwrap();
        assert_eq!(entries[0].entry_type, EntryType::Start);
        assert_eq!(entries[1].entry_type, EntryType::State);
        // Stamped by the simulator's clock, results timed by it.
        assert_eq!(entries[0].timestamp.to_utc(), t0);
        assert!(entries.windows(2).all(|w| w[0].timestamp <= w[1].timestamp));
        let result = entries
            .iter()
            .find(|e| e.entry_type == EntryType::Result)
            .unwrap();
        assert_eq!(result.duration, 7_000_000_000);
        let manifest = crate::persist::run::load_manifest_by_path(script.run.dir()).unwrap();
        assert!(manifest.is_complete());
        let (messages, bad) = script.run.bridge.read_all().unwrap();
        assert_eq!((messages[0].message_type.as_str(), bad), ("task", 0));
    }
}
