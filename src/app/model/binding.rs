//! The cards tied to the agents doing them (`crate::binding`): which panes the active cards
//! name, asking a worker to look at them (every few seconds while any card has a pane, and at
//! once when the cards or the sessions listed change), and taking the look: each bound session's
//! run carries its pane and bead, each card its run, and attention learns the truth about each
//! working bead's agent (see [`crate::present::attention::agent`]).

use super::Model;
use crate::app::effect::{BindJob, Effect};
use crate::binding::{Bindings, Candidate, PaneRef, PaneState};
use crate::persist::assignment::AssignmentStatus;
use crate::persist::run::RunSummary;
use crate::tmux::Tmux;
use candidates::Candidates;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod agents;
mod candidates;
mod looked;
mod named;
mod wanted;

/// Whether a look is under way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Looking {
    /// None.
    #[default]
    Idle,
    /// One is.
    Running,
    /// One is, and another was asked for meanwhile.
    Again,
}

/// What the last look found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Known {
    /// No look has ended yet (or binding is off).
    #[default]
    Nothing,
    /// Each pane's state.
    Panes(Bindings),
    /// The look failed (tmux cannot be asked, …): nothing is said of any pane.
    Failed(String),
}

/// What a card shows of its agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardAgent {
    /// The pane the card names.
    pub pane: PaneRef,
    /// What the pane held at the last look.
    pub state: PaneState,
    /// The bound session's run: its name and key (when it is listed).
    pub run: Option<(String, PathBuf)>,
}

/// The binding's side of the model.
#[derive(Debug, Default)]
pub struct Binder {
    /// The tmux server whose panes are looked at (`None`: binding is off).
    tmux: Option<Tmux>,
    looking: Looking,
    /// When the panes are next looked at (while any card has one).
    next: Option<DateTime<Utc>>,
    /// The panes the active cards name, kept per store change, and at the last ask.
    wanted: wanted::Wanted,
    /// The sessions that may be bound, kept as each session changes.
    candidates: Candidates,
    /// What the last look found.
    pub known: Known,
    /// Each active card's agent, by session and bead.
    cards: agents::Cards,
    /// The pane each active card names, by card and by pane.
    named: named::Named,
    /// The cards whose pane is bound to each session's run, by its key (what a read of that
    /// session changes).
    by_run: HashMap<PathBuf, HashSet<(String, String)>>,
    /// No look has been taken in yet (its findings were there before the dashboard started).
    first: bool,
}

impl Binder {
    /// Binding on `tmux`'s panes (`None`: off).
    #[must_use]
    pub fn new(tmux: Option<Tmux>) -> Binder {
        Binder {
            tmux,
            first: true,
            ..Binder::default()
        }
    }

    /// What a card shows of its agent, once its pane has been looked at.
    #[must_use]
    pub fn card(&self, session: &str, bead: &str) -> Option<&CardAgent> {
        self.cards.get(session)?.get(bead)
    }

    /// The sessions that may be bound (the listed runs, shared), sorted by key.
    #[must_use]
    pub fn candidates(&self) -> Arc<Vec<Candidate>> {
        self.candidates.shared()
    }

    /// Every session was listed again: the candidates are made again from `runs` (nothing is
    /// kept while binding is off).
    pub fn sessions_listed<'a>(&mut self, runs: impl Iterator<Item = &'a Arc<RunSummary>>) {
        if self.tmux.is_some() {
            self.candidates.replace(runs);
        }
    }

    /// One session was read (`run`: as it is listed now; `None`: no longer listed): its
    /// candidate changes, and no other.
    pub fn session_read(&mut self, key: &Path, run: Option<&Arc<RunSummary>>) {
        if self.tmux.is_some() {
            self.candidates.set(key, run);
        }
    }

    /// One session's store had the records `before` and has `after` now: the panes its
    /// active cards name change, and no other store's (nothing is kept while binding is off).
    pub fn store_cards(
        &mut self,
        session: &str,
        before: &[&crate::persist::assignment::Assignment],
        after: &[&crate::persist::assignment::Assignment],
    ) {
        if self.tmux.is_some() {
            self.wanted.store_cards(session, before, after);
        }
    }

    /// How long until the next look is due (`None`: none is).
    #[must_use]
    pub fn next_check(&self, now: DateTime<Utc>) -> Option<std::time::Duration> {
        let at = self.next.filter(|_| self.looking == Looking::Idle)?;
        Some(at.signed_duration_since(now).to_std().unwrap_or_default())
    }
}

/// Whether an assignment's card is doing work (its pane is looked at).
pub(super) fn active(status: &AssignmentStatus) -> bool {
    match status {
        AssignmentStatus::Assigned | AssignmentStatus::Working => true,
        AssignmentStatus::Other(s) => matches!(s.as_str(), "claimed" | "claiming"),
        AssignmentStatus::Completed | AssignmentStatus::Failed | AssignmentStatus::Reassigned => {
            false
        }
    }
}

impl Model {
    /// Asks for a look at the active cards' panes (none while one is under way: it is asked
    /// again when that one ends); nothing when binding is off or no card is active.
    pub fn ask_bind(&mut self, now: DateTime<Utc>) {
        let Some(tmux) = self.binder.tmux.clone() else {
            return;
        };
        let wanted = self.binder.wanted.ask();
        if wanted.is_empty() {
            self.binder.next = None;
            return;
        }
        match self.binder.looking {
            Looking::Running | Looking::Again => {
                self.binder.looking = Looking::Again;
                return;
            }
            Looking::Idle => self.binder.looking = Looking::Running,
        }
        let pids = self
            .runs
            .ties()
            .values()
            .filter(|t| t.alive)
            .map(|t| t.pid)
            .collect();
        self.binder.next = None;
        self.outbox.push(Effect::Bind(Box::new(BindJob {
            tmux,
            claude: self.runs.agent_roots().claude.clone(),
            wanted: wanted.into_iter().collect(),
            candidates: self.binder.candidates.shared(),
            pids,
            at: now,
        })));
    }

    /// Asks again when the active cards name other panes than at the last ask.
    pub fn bind_if_cards_changed(&mut self, now: DateTime<Utc>) {
        if self.binder.tmux.is_none() {
            return;
        }
        if self.binder.wanted.changed() {
            self.ask_bind(now);
        }
    }

    /// The periodic look, when it is due.
    pub fn bind_due(&mut self, now: DateTime<Utc>) {
        if self.binder.next.is_some_and(|at| at <= now) {
            self.ask_bind(now);
        }
    }
}
