//! Why a bead is not ready, in words the board can show: each [`Blocker`] names the other bead
//! involved, and [`NotReady`] gives the first reason a bead is held back.

use chrono::{DateTime, FixedOffset};
use std::fmt;

/// One reason a bead is blocked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocker<'a> {
    /// A blocking dependency on an issue that is not closed; `status` is `None` when the file
    /// has no issue with that id (br counts an unknown target as a blocker).
    Dependency {
        /// The issue depended on.
        id: &'a str,
        /// The dependency type (`blocks`, `conditional-blocks`, `waits-for`).
        kind: &'a str,
        /// Its status, if it is in the file.
        status: Option<&'a str>,
    },
    /// The parent (by `parent-child`) is itself blocked; blocking propagates down.
    Parent {
        /// The parent.
        id: &'a str,
    },
    /// A child that is not closed yet (br blocks a parent until its children are done).
    OpenChild {
        /// The child.
        id: &'a str,
        /// Its status.
        status: &'a str,
    },
}

impl<'a> Blocker<'a> {
    /// The other bead this reason names.
    #[must_use]
    pub fn id(&self) -> &'a str {
        match *self {
            Blocker::Dependency { id, .. }
            | Blocker::Parent { id }
            | Blocker::OpenChild { id, .. } => id,
        }
    }
}

impl fmt::Display for Blocker<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Blocker::Dependency {
                id,
                kind,
                status: Some(status),
            } => write!(f, "{id} ({kind}, {status})"),
            Blocker::Dependency {
                id,
                kind,
                status: None,
            } => {
                write!(f, "{id} ({kind}, not in the file)")
            }
            Blocker::Parent { id } => write!(f, "parent {id} is blocked"),
            Blocker::OpenChild { id, status } => write!(f, "child {id} is {status}"),
        }
    }
}

/// Why a bead is not ready (the first reason found, in this order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotReady<'a> {
    /// Its status is not `open`.
    Status(&'a str),
    /// Never ready work: `pinned`, `ephemeral`, `a template` or `a wisp`.
    Hidden(&'static str),
    /// Deferred until a time still to come.
    Deferred(DateTime<FixedOffset>),
    /// Blocked, with every reason.
    Blocked(Vec<Blocker<'a>>),
    /// It already has an assignment record.
    Taken,
}

impl fmt::Display for NotReady<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotReady::Status(status) => write!(f, "status is {status}"),
            NotReady::Hidden(what) => write!(f, "{what}"),
            NotReady::Deferred(until) => write!(f, "deferred until {}", until.to_rfc3339()),
            NotReady::Blocked(why) => {
                f.write_str("blocked by ")?;
                for (i, b) in why.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{b}")?;
                }
                Ok(())
            }
            NotReady::Taken => f.write_str("already assigned"),
        }
    }
}
