//! One normalised event model for the dashboard and for scripts (`beadboard watch --json`):
//! run state changes, new transcript entries, bead transitions, and attention changes. The
//! [`Observer`] turns successive looks at the data (a run reloaded, a store re-read, the clock
//! moving on) into these events; it remembers what it saw, each item's [`Condition`], which
//! situations were already announced (so nothing is announced twice), and which the user
//! acknowledged. No terminal code.

mod observer;

pub use observer::{FORGET_AFTER, HostBead, Observer, last_assigned, run_name};

use crate::present::attention::{Condition, Level, ReasonCode};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::path::PathBuf;

/// A run or a bead.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    /// A run, by its directory.
    Run(PathBuf),
    /// A bead of a session's store.
    Bead {
        /// The session.
        session: String,
        /// The bead id.
        bead: String,
    },
    /// A bead of another host's session store, standing as that host judged it.
    HostBead {
        /// The host.
        host: String,
        /// The session there.
        session: String,
        /// The bead id.
        bead: String,
    },
}

impl Item {
    /// Its kind: a host's bead is a bead.
    #[must_use]
    pub fn kind(&self) -> ItemKind {
        match self {
            Item::Run(_) => ItemKind::Run,
            Item::Bead { .. } | Item::HostBead { .. } => ItemKind::Bead,
        }
    }
}

/// What an item is: `kind` in every JSON output (a run is an agentpair run or an agent
/// session).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A run: an agentpair run or an agent session.
    Run,
    /// An NTM bead assignment.
    Bead,
}

impl ItemKind {
    /// The word for it, as in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Run => "run",
            ItemKind::Bead => "bead",
        }
    }
}

impl From<&Item> for crate::persist::acks::AckedItem {
    fn from(item: &Item) -> Self {
        match item {
            Item::Run(dir) => crate::persist::acks::AckedItem::Run { dir: dir.clone() },
            Item::Bead { session, bead } => crate::persist::acks::AckedItem::Bead {
                session: session.clone(),
                bead: bead.clone(),
            },
            Item::HostBead {
                host,
                session,
                bead,
            } => crate::persist::acks::AckedItem::HostBead {
                host: host.clone(),
                session: session.clone(),
                bead: bead.clone(),
            },
        }
    }
}

impl From<crate::persist::acks::AckedItem> for Item {
    fn from(item: crate::persist::acks::AckedItem) -> Self {
        match item {
            crate::persist::acks::AckedItem::Run { dir } => Item::Run(dir),
            crate::persist::acks::AckedItem::Bead { session, bead } => Item::Bead { session, bead },
            crate::persist::acks::AckedItem::HostBead {
                host,
                session,
                bead,
            } => Item::HostBead {
                host,
                session,
                bead,
            },
        }
    }
}

/// Something that happened, as one JSON object per line in `beadboard watch --json`. `event`
/// says what happened, `kind` what it happened to; `reference` is the item's one identifier.
/// Fields marked deprecated are kept for one release.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A run appeared, changed state, or disappeared.
    Run {
        /// When it was seen.
        at: DateTime<Utc>,
        /// Always `run`.
        kind: ItemKind,
        /// The run's name, `webapp #2` ([`crate::present::naming::name`]).
        name: String,
        /// The run's reference, `<repo id>/<run id>` ([`crate::present::naming::reference`]).
        reference: String,
        /// The run directory.
        dir: PathBuf,
        /// The state before (absent when the run is new).
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        /// The state now (absent when the run is gone).
        #[serde(skip_serializing_if = "Option::is_none")]
        to: Option<String>,
        /// Deprecated (kept one release): the same as `reference`.
        #[schemars(extend("deprecated" = true))]
        run: String,
    },
    /// A new line in a run's transcript.
    Entry {
        /// When it was seen.
        at: DateTime<Utc>,
        /// Always `run`.
        kind: ItemKind,
        /// The run's name, `webapp #2`.
        name: String,
        /// The run's reference, `<repo id>/<run id>`.
        reference: String,
        /// The entry as `beadboard transcript --json` prints it, or, for a line that cannot be
        /// read, `null` with `problem` set.
        entry: serde_json::Value,
        /// Why the line cannot be read.
        #[serde(skip_serializing_if = "Option::is_none")]
        problem: Option<String>,
        /// Deprecated (kept one release): the same as `reference`.
        #[schemars(extend("deprecated" = true))]
        run: String,
    },
    /// A bead's assignment appeared, moved, or was removed.
    Bead {
        /// When it was seen.
        at: DateTime<Utc>,
        /// Always `bead`.
        kind: ItemKind,
        /// The NTM session.
        session: String,
        /// The bead id (the name of a bead).
        name: String,
        /// `<session>/<bead>`.
        reference: String,
        /// The bead's title.
        title: String,
        /// The status before (absent when new), as the store writes it.
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        /// The status now (absent when removed), as the store writes it.
        #[serde(skip_serializing_if = "Option::is_none")]
        to: Option<String>,
        /// The pane it is assigned to.
        pane: i64,
        /// The agent type.
        agent: String,
        /// Deprecated (kept one release): the same as `name`.
        #[schemars(extend("deprecated" = true))]
        bead: String,
    },
    /// An item's condition changed (see [`crate::present::attention`]).
    Attention {
        /// When it was seen.
        at: DateTime<Utc>,
        /// `run` or `bead`.
        kind: ItemKind,
        /// `webapp #2` or the bead id.
        name: String,
        /// `<repo id>/<run id>` or `<session>/<bead>`.
        reference: String,
        /// The condition now.
        level: Level,
        /// The condition before.
        previous: Level,
        /// Why, in words.
        reason: String,
        /// Why, as a stable code.
        reason_code: ReasonCode,
        /// Identifies the situation (unchanged key: same situation).
        key: String,
        /// The run's state or the bead's status.
        state: String,
        /// The NTM session (beads) or the run's tmux session; `null` when there is none.
        #[schemars(with = "crate::schema::Nullable<String>")]
        session: Option<String>,
        /// The run's repository (runs only).
        #[serde(skip_serializing_if = "Option::is_none")]
        repo: Option<String>,
        /// True the first time this situation is reported for this item (notify on these).
        new: bool,
        /// Deprecated (kept one release): the same as `reference`.
        #[schemars(extend("deprecated" = true))]
        id: String,
    },
}

/// A condition and how it is labelled, for the views.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// The item.
    pub item: Item,
    /// How it is named (`webapp #2`, `wa-1f6b`).
    pub name: String,
    /// Its condition.
    pub condition: Condition,
    /// Acknowledged by the user for this very situation.
    pub acknowledged: bool,
}

impl Standing {
    /// True when it needs attention and was not acknowledged.
    #[must_use]
    pub fn counts(&self) -> bool {
        self.condition.level == Level::Attention && !self.acknowledged
    }
}

#[cfg(test)]
mod tests;
