//! The orders runs are listed in. The default ([`RunOrder::State`]) holds still: unfinished
//! runs first, then finished ones, each newest start first, ties by id as a number and then
//! by repo. Activity changes what a row says, not where it is; only the `activity` order
//! (chosen by the user) moves rows as runs write.

use super::RunSummary;
use crate::persist::natural::{self, NaturalKey};
use chrono::{DateTime, Utc};
use std::cmp::{Ordering, Reverse};

/// What runs are listed by (`o` in the Runs pane cycles through them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RunOrder {
    /// Unfinished first, then finished; newest start first; then id.
    #[default]
    State,
    /// Newest start first, finished or not; then id.
    Started,
    /// Latest activity first (rows move as runs write); then as [`RunOrder::State`].
    Activity,
    /// By repo path, then id.
    Repo,
    /// By id as a number, then repo.
    Id,
}

impl RunOrder {
    /// Every order, in the order `o` visits them.
    pub const ALL: [RunOrder; 5] = [
        RunOrder::State,
        RunOrder::Started,
        RunOrder::Activity,
        RunOrder::Repo,
        RunOrder::Id,
    ];

    /// The order after this one.
    #[must_use]
    pub fn next(self) -> RunOrder {
        let i = RunOrder::ALL.iter().position(|o| *o == self).unwrap_or(0);
        RunOrder::ALL[(i + 1) % RunOrder::ALL.len()]
    }

    /// Its name, as the Runs title shows it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RunOrder::State => "state",
            RunOrder::Started => "started",
            RunOrder::Activity => "activity",
            RunOrder::Repo => "repo",
            RunOrder::Id => "id",
        }
    }

    /// The order named `name` (as [`RunOrder::as_str`] says it).
    #[must_use]
    pub fn parse(name: &str) -> Option<RunOrder> {
        RunOrder::ALL.into_iter().find(|o| o.as_str() == name)
    }

    /// How `a` and `b` compare in this order (total: the run directory breaks any tie).
    #[must_use]
    pub fn compare(self, a: &RunSummary, b: &RunSummary) -> Ordering {
        let newest_first = |r: &RunSummary| Reverse(r.started_at());
        let by_id = || natural::compare(&a.run_key, &b.run_key);
        let by_repo = || natural::compare(&a.repo_key, &b.repo_key);
        let first = match self {
            RunOrder::State => return display_order(a, b),
            RunOrder::Started => newest_first(a)
                .cmp(&newest_first(b))
                .then_with(by_id)
                .then_with(by_repo),
            RunOrder::Activity => Reverse(a.last_activity())
                .cmp(&Reverse(b.last_activity()))
                .then_with(|| display_order(a, b)),
            RunOrder::Repo => natural::compare(a.repo_path(), b.repo_path())
                .then_with(by_id)
                .then_with(by_repo),
            RunOrder::Id => by_id().then_with(by_repo),
        };
        first.then_with(|| a.dir.cmp(&b.dir))
    }
}

/// The default order's key: unfinished before finished, newest start first (unknown starts
/// last), then the id as a number, then the repo.
pub type DisplayKey = (bool, Reverse<Option<DateTime<Utc>>>, NaturalKey, NaturalKey);

/// The key of a run that is `complete`, started at `started`, with these directory names.
#[must_use]
pub fn display_key(
    complete: bool,
    started: Option<DateTime<Utc>>,
    run_key: &str,
    repo_key: &str,
) -> DisplayKey {
    (
        complete,
        Reverse(started),
        NaturalKey(run_key.to_owned()),
        NaturalKey(repo_key.to_owned()),
    )
}

/// [`RunOrder::State`], compared in place (no key built).
#[must_use]
pub fn display_order(a: &RunSummary, b: &RunSummary) -> Ordering {
    a.is_complete()
        .cmp(&b.is_complete())
        .then_with(|| Reverse(a.started_at()).cmp(&Reverse(b.started_at())))
        .then_with(|| natural::compare(&a.run_key, &b.run_key))
        .then_with(|| natural::compare(&a.repo_key, &b.repo_key))
        .then_with(|| a.dir.cmp(&b.dir))
}
