//! One simulated agentpair run: the paired loop, written step by step exactly as agentpair
//! writes it (manifest saves at state changes only, transcript lines in loop order, bridge
//! task/result/review messages), through the persistence layer.

use super::corpus::Corpus;
use crate::persist::run::{Bridge, BridgeMessage, Manager, Run, RunConfig, RunError, State};
use std::time::Instant;

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
    started: Instant,
    step_started: Instant,
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

impl Script {
    /// `Manager.Create` and the transcript's `start` line, as agentpair's `Loop.Run` begins.
    ///
    /// # Errors
    /// Any write error.
    pub fn begin(
        manager: &Manager,
        prompt: &str,
        bead: Option<String>,
        rng: &mut fastrand::Rng,
    ) -> Result<Script, RunError> {
        let config = RunConfig::default();
        let run = manager.create(prompt, &config)?;
        let mut md = crate::persist::gojson::Object::new();
        md.insert("max_iterations".into(), config.max_iterations.into());
        md.insert("primary_agent".into(), config.primary_agent.clone().into());
        md.insert("review_mode".into(), config.review_mode.clone().into());
        run.transcript.log_start(prompt, md)?;
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
            started: Instant::now(),
            step_started: Instant::now(),
            outcome: None,
        })
    }

    /// True once the run ended.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.phase == Phase::Finished
    }

    fn send(&self, kind: &str, from: &str, to: &str, content: &str) -> Result<(), RunError> {
        let mut m = BridgeMessage::new(kind, from, to, content, self.iteration);
        self.run.bridge.send(&mut m)
    }

    fn finish(&mut self, outcome: Outcome) {
        self.outcome = Some(outcome);
        self.phase = Phase::Finished;
    }

    /// Writes the next step of the loop (one or a few lines).
    ///
    /// # Errors
    /// Any write error.
    pub fn step(&mut self, corpus: &Corpus, rng: &mut fastrand::Rng) -> Result<(), RunError> {
        let n = self.iteration;
        match self.phase {
            Phase::GoWorking => {
                self.run.manifest.codex_session_id = format!("sess_{:016x}", rng.u64(..));
                self.run.save()?;
                self.run.manifest.set_state(State::Working);
                self.run.transcript.log_state(&State::Working)?;
                self.run.save()?;
                let prompt = self.run.manifest.prompt.clone();
                self.send("task", "system", "codex", &prompt)?;
                self.phase = Phase::Iterate;
            }
            Phase::Iterate => {
                self.iteration += 1;
                self.run.manifest.increment_iteration();
                self.run.transcript.log_iteration(self.iteration)?;
                self.phase = Phase::ExecPrimary;
            }
            Phase::ExecPrimary => {
                let count = messages_for(&self.run.bridge, "codex");
                self.run
                    .transcript
                    .log_execute("codex", n, &format!("{count} messages"))?;
                self.step_started = Instant::now();
                self.phase = Phase::ResultPrimary;
            }
            Phase::ResultPrimary => {
                if self.error_on == Some(n) {
                    let error = Corpus::pick(&corpus.errors, rng);
                    self.run.transcript.log_error("loop", n, &error)?;
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
                self.run
                    .transcript
                    .log_result("codex", n, &output, self.step_started.elapsed())?;
                self.send("result", "codex", "claude", &output)?;
                if self.said_done {
                    self.run.transcript.log_signal("codex", n, "DONE")?;
                    self.run.manifest.set_state(State::Reviewing);
                    self.run.transcript.log_state(&State::Reviewing)?;
                    self.run.save()?;
                }
                self.phase = Phase::ExecSecondary;
            }
            Phase::ExecSecondary => {
                let count = messages_for(&self.run.bridge, "claude");
                self.run
                    .transcript
                    .log_execute("claude", n, &format!("{count} messages"))?;
                self.step_started = Instant::now();
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
                self.run.transcript.log_result(
                    "claude",
                    n,
                    &review,
                    self.step_started.elapsed(),
                )?;
                self.send("review", "claude", "codex", &review)?;
                self.phase = Phase::Signals;
            }
            Phase::Signals => {
                if self.said_done {
                    self.run.transcript.log_signal("codex", n, "PASS")?;
                    self.run.transcript.log_signal("claude", n, "PASS")?;
                    self.run.manifest.set_state(State::Completed);
                    self.run
                        .transcript
                        .log_end(&State::Completed, self.started.elapsed())?;
                    self.run.save()?;
                    self.finish(Outcome::Completed);
                } else {
                    self.run.transcript.log_signal("claude", n, "FAIL")?;
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
        let mut script = Script::begin(
            &manager,
            "Work on bead dm-1: x",
            Some("dm-1".into()),
            &mut rng,
        )
        .unwrap();
        for _ in 0..200 {
            if script.is_finished() {
                break;
            }
            script.step(&corpus, &mut rng).unwrap();
        }
        assert!(script.outcome.is_some());
        let entries = Transcript::new(script.run.transcript.path(), 1)
            .read_all()
            .unwrap();
        assert_eq!(entries[0].entry_type, EntryType::Start);
        assert_eq!(entries[1].entry_type, EntryType::State);
        let manifest = crate::persist::run::load_manifest_by_path(script.run.dir()).unwrap();
        assert!(manifest.is_complete());
        let (messages, bad) = script.run.bridge.read_all().unwrap();
        assert_eq!((messages[0].message_type.as_str(), bad), ("task", 0));
    }
}
