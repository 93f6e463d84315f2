//! A move sent to the host that owns the store ([`super::Request::Move`]) and its answer
//! ([`super::Frame::Moved`]): the transition, with the same actions and arguments as the CLI's
//! `assign`, `start`, `complete`, `fail`, `reassign`, `retry` and `remove`; the state the
//! client expects the bead to be in (a board that is behind is refused, never obeyed); and
//! the outcome in the CLI's vocabulary (`kind`, `outcome`, `reason_code`, `reason`).

use serde::{Deserialize, Serialize};

/// A transition, as the CLI's changing subcommands take it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "snake_case")]
pub enum MoveAction {
    /// `assign SESSION BEAD --pane P [--title T] [--agent-type T] [--agent-name N] [--prompt P]`.
    Assign {
        /// The tmux pane (an index on a schema-1 store; `%N` for today's NTM).
        pane: String,
        /// The bead's title (a schema-1 store records it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        /// The agent type (a schema-1 store records it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent_type: Option<String>,
        /// The agent's name.
        #[serde(default)]
        agent_name: String,
        /// The prompt that was sent.
        #[serde(default)]
        prompt: String,
    },
    /// assigned → working.
    Start,
    /// working → completed (today's NTM: the completion request).
    Complete,
    /// assigned|working → failed, with why.
    Fail {
        /// Why it failed (not blank).
        reason: String,
    },
    /// To another pane and agent.
    Reassign {
        /// The new pane.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pane: Option<String>,
        /// The new agent type.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent_type: Option<String>,
        /// The new agent's name.
        #[serde(default)]
        agent_name: String,
    },
    /// failed → assigned.
    Retry,
    /// The bead's assignment removed (`force`: today's NTM, a completed one too).
    Remove {
        /// Confirms clearing a completed assignment on today's NTM.
        #[serde(default)]
        force: bool,
    },
}

impl MoveAction {
    /// The subcommand's name (`start`, `reassign`).
    #[must_use]
    pub fn verb(&self) -> &'static str {
        match self {
            MoveAction::Assign { .. } => "assign",
            MoveAction::Start => "start",
            MoveAction::Complete => "complete",
            MoveAction::Fail { .. } => "fail",
            MoveAction::Reassign { .. } => "reassign",
            MoveAction::Retry => "retry",
            MoveAction::Remove { .. } => "remove",
        }
    }
}

/// The bead as the client last saw it: the host refuses the move (`reason_code` `stale`) when
/// the bead is not so any more.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    /// Its status as the store writes it (`working`); `None`: it has no assignment.
    pub status: Option<String>,
    /// For a reassignment: the pane it is on now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pane: Option<i64>,
    /// For a reassignment: its agent type now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_type: Option<String>,
}

impl Expected {
    /// The bead `session`/`bead` as the host's snapshot and events (`watch --json` values, in
    /// the order they came) last showed it: its status, pane and agent type; no status when
    /// they never showed it, or showed it removed.
    #[must_use]
    pub fn from_events<'a>(
        events: impl IntoIterator<Item = &'a serde_json::Value>,
        session: &str,
        bead: &str,
    ) -> Expected {
        let mut expected = Expected::default();
        for e in events {
            if e["event"] == "bead" && e["session"] == session && e["name"] == bead {
                expected = Expected {
                    status: e["to"].as_str().map(str::to_owned),
                    pane: e["pane"].as_i64(),
                    agent_type: e["agent"].as_str().map(str::to_owned),
                };
            }
        }
        expected
    }
}

/// A move to make on a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    /// The NTM session (sent as data, never on a command line).
    pub session: String,
    /// The bead.
    pub bead: String,
    /// What to do.
    pub action: MoveAction,
    /// What the client expects the bead to be now.
    pub expected: Expected,
}

/// How a move ended, with the CLI's exit codes in mind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveResult {
    /// It was made (exit 0).
    Applied,
    /// Not allowed from the bead's state, or made first elsewhere; nothing written (exit 3).
    Refused,
    /// No such session or bead (exit 1).
    NotFound,
    /// A bad argument (exit 2).
    BadUsage,
    /// An error: a file, a lock, `ntm` failing (exit 4).
    Failed,
}

/// The answer to a move, as the local CLI would have given it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveOutcome {
    /// What the move was about: `bead`.
    pub kind: String,
    /// The session.
    pub session: String,
    /// The bead.
    pub name: String,
    /// `<session>/<bead>`.
    pub reference: String,
    /// How it ended.
    pub outcome: MoveResult,
    /// Why it was not applied, as a stable code (`stale`, `invalid_transition`, `raced`,
    /// `same_target`, `not_allowed`, `not_found`, `bad_usage`, `lock`, `ntm`, `error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// Why, in the local CLI's words (`[ASSIGN] Invalid transition completed -> working for
    /// wa-1`, `stale: wa-1 is now completed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What the local CLI prints on success (one line each; `wa-1: started · ▶ working · …`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
    /// What the local CLI says on stderr meanwhile (notes, warnings, `running: ntm …`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What the local CLI prints with `--json`: the record after the move (the removed one
    /// after a removal), or the `ntm` steps on today's NTM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<serde_json::Value>,
    /// True when this is the recorded answer to an earlier try with the same key (the move
    /// was not made again).
    #[serde(default)]
    pub replayed: bool,
}

impl MoveOutcome {
    /// An outcome of `mv` with no words yet.
    #[must_use]
    pub fn of(mv: &Move, outcome: MoveResult) -> MoveOutcome {
        MoveOutcome {
            kind: "bead".to_owned(),
            session: mv.session.clone(),
            name: mv.bead.clone(),
            reference: format!("{}/{}", mv.session, mv.bead),
            outcome,
            reason_code: None,
            reason: None,
            lines: Vec::new(),
            notes: Vec::new(),
            json: None,
            replayed: false,
        }
    }

    /// A move not applied, with its code and words.
    #[must_use]
    pub fn not_applied(mv: &Move, outcome: MoveResult, code: &str, reason: String) -> MoveOutcome {
        MoveOutcome {
            reason_code: Some(code.to_owned()),
            reason: Some(reason),
            ..MoveOutcome::of(mv, outcome)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::protocol::{Request, line};
    use serde_json::json;

    #[test]
    fn a_move_is_a_json_line_and_its_expected_state_comes_from_the_events() {
        let events = [
            json!({"event": "bead", "session": "s", "name": "b", "to": "assigned", "pane": 1, "agent": "codex"}),
            json!({"event": "bead", "session": "other", "name": "b", "to": "failed", "pane": 9, "agent": "x"}),
            json!({"event": "bead", "session": "s", "name": "b", "from": "assigned", "to": "working", "pane": 2, "agent": "claude"}),
        ];
        let expected = Expected::from_events(&events, "s", "b");
        assert_eq!(
            expected,
            Expected {
                status: Some("working".to_owned()),
                pane: Some(2),
                agent_type: Some("claude".to_owned()),
            }
        );
        assert_eq!(
            Expected::from_events(&events, "s", "nope"),
            Expected::default()
        );
        let request = Request::Move {
            id: 4,
            key: "k".to_owned(),
            mv: Move {
                session: "s; $(x)\n".to_owned(),
                bead: "b".to_owned(),
                action: MoveAction::Fail {
                    reason: "it's \"bad\"".to_owned(),
                },
                expected,
            },
        };
        let text = line(&request).unwrap();
        assert!(!text.contains('\n'), "{text}");
        assert!(
            text.starts_with(r#"{"request":"move","id":4,"key":"k","move":{"session":"s; $(x)\n","bead":"b","action":{"name":"fail","#),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<Request>(&text).unwrap(), request);
    }
}
