//! What a host's `watch --json` events say, read back: a run's state, a bead's status, an
//! item's condition. Transcript entries and events this beadboard does not know are left out
//! (a newer host may send more); an event without the fields it needs is left out too, never
//! guessed at.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::path::PathBuf;

/// One event from a host.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Said {
    /// A run appeared, changed state, or disappeared.
    Run {
        /// When the host saw it.
        at: DateTime<Utc>,
        /// `api #4`.
        name: String,
        /// `<repo id>/<run id>`, or a session's id.
        reference: String,
        /// Its directory on the host.
        dir: PathBuf,
        /// The state now (absent: the run is gone).
        #[serde(default)]
        to: Option<String>,
        /// What its row shows (absent: an older host that does not say).
        #[serde(default)]
        facts: Option<crate::persist::run::RunFacts>,
    },
    /// A bead's assignment appeared, moved, or was removed.
    Bead {
        /// When the host saw it.
        at: DateTime<Utc>,
        /// The NTM session.
        session: String,
        /// The bead id.
        name: String,
        /// The bead's title.
        #[serde(default)]
        title: String,
        /// The status now (absent: removed).
        #[serde(default)]
        to: Option<String>,
        /// The pane it is assigned to.
        #[serde(default)]
        pane: i64,
        /// The agent type.
        #[serde(default)]
        agent: String,
    },
    /// An item's condition changed.
    Attention {
        /// When the host saw it.
        at: DateTime<Utc>,
        /// `run` or `bead`.
        kind: String,
        /// The item's name.
        name: String,
        /// The item's reference.
        reference: String,
        /// `attention`, `finished` or `fine`.
        level: String,
        /// Why, in words.
        reason: String,
        /// Why, as a code.
        reason_code: String,
        /// The situation's key.
        key: String,
        /// The run's state or the bead's status.
        state: String,
        /// The NTM session (beads) or the run's tmux session.
        #[serde(default)]
        session: Option<String>,
        /// The run's repository.
        #[serde(default)]
        repo: Option<String>,
    },
}

impl Said {
    /// The event `value` says, if it is one this beadboard reads.
    #[must_use]
    pub fn read(value: &serde_json::Value) -> Option<Said> {
        Said::deserialize(value).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_runs_beads_and_conditions_and_leaves_the_rest() {
        let run = json!({"event": "run", "at": "2026-01-02T03:04:05Z", "kind": "run",
            "name": "api #4", "reference": "abc/4", "dir": "/r/abc/4", "to": "working",
            "run": "abc/4", "extra": 1});
        assert!(matches!(Said::read(&run), Some(Said::Run { to: Some(t), .. }) if t == "working"));
        let gone = json!({"event": "run", "at": "2026-01-02T03:04:05Z", "name": "api #4",
            "reference": "abc/4", "dir": "/r/abc/4", "from": "working"});
        assert!(matches!(
            Said::read(&gone),
            Some(Said::Run { to: None, .. })
        ));
        let entry = json!({"event": "entry", "at": "2026-01-02T03:04:05Z"});
        assert_eq!(Said::read(&entry), None);
        let broken = json!({"event": "run", "name": "api #4"});
        assert_eq!(Said::read(&broken), None);
    }
}
