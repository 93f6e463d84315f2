//! One bead (a beads issue) as beadboard uses it, its dependencies, and the short badges the
//! board shows for priority and type (plain strings, no terminal code).

use chrono::{DateTime, FixedOffset};

/// br's priority for an issue that has none (`Priority::MEDIUM`); bd creates issues at 2 too.
pub const DEFAULT_PRIORITY: i64 = 2;

/// A beads issue: the fields beadboard shows or needs to decide readiness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bead {
    /// The issue id, e.g. `wa-0rr8` or `wa-7hq2.1`; opaque.
    pub id: String,
    /// One-line summary.
    pub title: String,
    /// Longer text.
    pub description: String,
    /// Lifecycle status, trimmed and lower-cased (`open`, `in_progress`, `blocked`, `deferred`,
    /// `closed`, `tombstone`, or a custom one); `open` when missing.
    pub status: String,
    /// 0 (highest) to 4 (backlog); [`DEFAULT_PRIORITY`] when missing or unreadable.
    pub priority: i64,
    /// `task`, `bug`, `feature`, `chore`, `epic`, ... lower-cased; `task` when missing.
    pub issue_type: String,
    /// Who beads says holds it (an Agent Mail name, a user); empty when unassigned.
    pub assignee: String,
    /// Labels in file order.
    pub labels: Vec<String>,
    /// What this issue depends on, in file order.
    pub dependencies: Vec<Dependency>,
    /// When it was created, if the file says (and says it readably).
    pub created_at: Option<DateTime<FixedOffset>>,
    /// When it last changed, if the file says.
    pub updated_at: Option<DateTime<FixedOffset>>,
    /// When it was closed, if the file says.
    pub closed_at: Option<DateTime<FixedOffset>>,
    /// Hidden from ready work until this time, if set.
    pub defer_until: Option<DateTime<FixedOffset>>,
    /// A persistent anchor, never ready work.
    pub pinned: bool,
    /// A short-lived issue (a wisp), never ready work.
    pub ephemeral: bool,
    /// A template for other issues, never ready work.
    pub is_template: bool,
    /// The 1-based line it was read from (0 when built in code).
    pub line: usize,
}

impl Default for Bead {
    /// An empty open task at the default priority, with br's defaults.
    fn default() -> Self {
        Bead {
            id: String::new(),
            title: String::new(),
            description: String::new(),
            status: "open".to_owned(),
            priority: DEFAULT_PRIORITY,
            issue_type: "task".to_owned(),
            assignee: String::new(),
            labels: Vec::new(),
            dependencies: Vec::new(),
            created_at: None,
            updated_at: None,
            closed_at: None,
            defer_until: None,
            pinned: false,
            ephemeral: false,
            is_template: false,
            line: 0,
        }
    }
}

/// One dependency edge: the bead it sits on depends on `depends_on_id`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Dependency {
    /// The issue depended on (for `parent-child`, the parent).
    pub depends_on_id: String,
    /// The edge type, lower-cased: `blocks`, `parent-child`, `related`, `discovered-from`, ...
    pub kind: String,
}

impl Dependency {
    /// True for the types that block while their target is not closed: `blocks`,
    /// `conditional-blocks` and `waits-for` (br's direct blockers).
    #[must_use]
    pub fn is_blocking(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "blocks" | "conditional-blocks" | "waits-for"
        )
    }

    /// True for a `parent-child` edge (the target is the parent).
    #[must_use]
    pub fn is_parent(&self) -> bool {
        self.kind == "parent-child"
    }
}

impl Bead {
    /// True when the status is `open`.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.status == "open"
    }

    /// True when the issue is finished for good (`closed` or `tombstone`) and blocks nothing.
    #[must_use]
    pub fn is_terminal(&self) -> bool {
        matches!(self.status.as_str(), "closed" | "tombstone")
    }

    /// The parents named by `parent-child` dependencies (never the bead itself).
    pub fn parents(&self) -> impl Iterator<Item = &str> {
        self.dependencies
            .iter()
            .filter(|d| d.is_parent() && d.depends_on_id != self.id)
            .map(|d| d.depends_on_id.as_str())
    }

    /// [`priority_badge`] of this bead.
    #[must_use]
    pub fn priority_badge(&self) -> String {
        priority_badge(self.priority)
    }

    /// [`type_short`] of this bead.
    #[must_use]
    pub fn type_short(&self) -> &str {
        type_short(&self.issue_type)
    }
}

/// The priority as the trackers show it: `P0` … `P4` (any other number as `P<n>`).
#[must_use]
pub fn priority_badge(priority: i64) -> String {
    format!("P{priority}")
}

/// A short name for an issue type: `bug`, `feat`, `task`, `chore`, `epic`, `docs`, `ask`;
/// any other type is returned as it is.
#[must_use]
pub fn type_short(issue_type: &str) -> &str {
    match issue_type {
        "feature" => "feat",
        "question" => "ask",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges() {
        assert_eq!(priority_badge(0), "P0");
        assert_eq!(priority_badge(4), "P4");
        assert_eq!(priority_badge(-1), "P-1");
        for (t, s) in [
            ("bug", "bug"),
            ("feature", "feat"),
            ("task", "task"),
            ("chore", "chore"),
            ("epic", "epic"),
            ("question", "ask"),
            ("merge-request", "merge-request"),
        ] {
            assert_eq!(type_short(t), s);
        }
        let b = Bead {
            priority: 1,
            issue_type: "feature".into(),
            ..Bead::default()
        };
        assert_eq!(
            (b.priority_badge().as_str(), b.type_short()),
            ("P1", "feat")
        );
    }

    #[test]
    fn defaults_follow_br() {
        let b = Bead::default();
        assert!(b.is_open() && !b.is_terminal());
        assert_eq!((b.priority, b.issue_type.as_str()), (2, "task"));
    }

    #[test]
    fn dependency_kinds() {
        let dep = |k: &str| Dependency {
            depends_on_id: "x".into(),
            kind: k.into(),
        };
        for k in ["blocks", "conditional-blocks", "waits-for"] {
            assert!(dep(k).is_blocking());
        }
        for k in ["parent-child", "related", "discovered-from", ""] {
            assert!(!dep(k).is_blocking());
        }
        assert!(dep("parent-child").is_parent());
    }
}
