//! What the simulator keeps moving: an agentpair run ([`Script`]) or a Claude Code or Codex
//! session ([`Session`]), whichever the bead's pane runs (see [`Work::kind_for_pane`]).

use super::catalog::Bead;
use super::corpus::Corpus;
use super::script::{Outcome, Script};
use super::session::{Kind, Session};
use crate::persist::run::{Manager, Paths};
use chrono::{DateTime, Utc};
use std::path::Path;

/// One piece of work in progress.
#[derive(Debug)]
pub enum Work {
    /// An agentpair run.
    Run(Box<Script>),
    /// An agent's own session.
    Session(Session),
}

impl Work {
    /// What pane `pane` runs: pane 1 a Claude Code session, pane 3 a Codex session (each
    /// agent's own files), the others agentpair runs.
    #[must_use]
    pub fn kind_for_pane(pane: i64) -> Option<Kind> {
        match pane {
            1 => Some(Kind::Claude),
            3 => Some(Kind::Codex),
            _ => None,
        }
    }

    /// Starts the work on `bead` in pane `pane` at `now`: a session under `agents`, or a run
    /// under `paths`.
    ///
    /// # Errors
    /// Why the work could not start (a write error).
    pub fn begin(
        paths: &Paths,
        agents: &Path,
        bead: &Bead,
        pane: i64,
        rng: &mut fastrand::Rng,
        now: DateTime<Utc>,
    ) -> Result<Work, String> {
        match Work::kind_for_pane(pane) {
            Some(kind) => Session::begin(agents, kind, bead, true, rng, now)
                .map(Work::Session)
                .map_err(|e| e.to_string()),
            None => {
                let manager = Manager::new(paths.clone(), bead.repo.clone());
                Script::begin(&manager, &bead.prompt(), Some(bead.id.clone()), rng, now)
                    .map(|s| Work::Run(Box::new(s)))
                    .map_err(|e| e.to_string())
            }
        }
    }

    /// Writes the next step at `now`; how it ended once it has (a write error ends it too).
    pub fn step(
        &mut self,
        corpus: &Corpus,
        rng: &mut fastrand::Rng,
        now: DateTime<Utc>,
    ) -> Option<Outcome> {
        let (written, outcome) = match self {
            Work::Run(s) => (
                s.step(corpus, rng, now).map_err(|e| e.to_string()),
                &s.outcome,
            ),
            Work::Session(s) => (
                s.step(corpus, rng, now).map_err(|e| e.to_string()),
                &s.outcome,
            ),
        };
        match written {
            Ok(()) => outcome.clone(),
            Err(e) => Some(Outcome::Failed(format!("the run's files: {e}"))),
        }
    }

    /// The bead it works on.
    #[must_use]
    pub fn bead(&self) -> Option<&str> {
        match self {
            Work::Run(s) => s.bead.as_deref(),
            Work::Session(s) => s.bead.as_deref(),
        }
    }
}
