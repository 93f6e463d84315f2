//! The run doing a card, one answer for `t` (which opens it) and the card's details (which
//! show it): the session bound to the card's pane, else the newest run whose prompt names the
//! bead.

use super::Model;
use crate::present::naming;
use std::path::PathBuf;

/// How a card's run was told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkedBy {
    /// Its agent runs in the card's pane (see [`crate::binding`]).
    Pane,
    /// Its prompt names the card's bead.
    Prompt,
}

/// The run doing a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRun {
    /// Its name (`webapp #3`, `webapp claude 88a8d7`).
    pub name: String,
    /// Its key in the Runs pane.
    pub dir: PathBuf,
    /// How it was told.
    pub by: LinkedBy,
}

impl Model {
    /// The run doing the card of `bead` in `session`'s store: the one bound to its pane, else
    /// the newest listed whose prompt names the bead (the latest start; of two started at
    /// once, the greater directory).
    #[must_use]
    pub fn card_run(&self, session: &str, bead: &str) -> Option<CardRun> {
        let bound = self
            .binder
            .card(session, bead)
            .and_then(|a| a.run.as_ref())
            .map(|(name, dir)| CardRun {
                name: name.clone(),
                dir: dir.clone(),
                by: LinkedBy::Pane,
            });
        bound.or_else(|| {
            // The card open is followed as runs change; another is looked for in every run.
            let newest = self
                .runs
                .newest_naming(bead)
                .unwrap_or_else(|| self.runs.newest_naming_walked(bead));
            newest.map(|r| CardRun {
                name: naming::name(r),
                dir: r.dir.clone(),
                by: LinkedBy::Prompt,
            })
        })
    }

    /// Follows the newest run naming the bead of the card open (none when no card is open),
    /// so [`Model::card_run`] costs a frame nothing however many runs are listed.
    pub fn follow_card(&mut self) {
        let bead = match &self.overlay {
            Some(super::Overlay::Card { bead, .. }) => Some(bead.as_str()),
            _ => None,
        };
        self.runs.follow_bead(bead);
    }
}
