//! A run on another host stands as that host judged it: its attention event's level, reason
//! code, reason and key (the host runs the same code on its own data and clock). A host that
//! has said nothing of a run's condition leaves it fine, named by its state. Its beads stand
//! the same way ([`judged`]).

use super::{Condition, Level, ReasonCode};
use crate::persist::run::RemoteRun;
use crate::present::sanitize;

/// The condition of a run on another host.
#[must_use]
pub fn condition(run: &RemoteRun) -> Condition {
    match &run.attention {
        Some(said) => judged(&said.level, &said.code, &said.reason, &said.key),
        None => Condition::fine(run.state.as_run_state().as_str()),
    }
}

/// The condition a host judged for one of its items, as its attention event says it (its
/// `level`, `reason_code`, `reason` and `key`).
#[must_use]
pub fn judged(level: &str, code: &str, reason: &str, key: &str) -> Condition {
    let level = match level {
        "attention" => Level::Attention,
        "finished" => Level::Finished,
        _ => Level::Fine,
    };
    // A code this beadboard does not know (a newer host's) still counts by its level.
    let code =
        serde_json::from_value(serde_json::Value::String(code.to_owned())).unwrap_or(match level {
            Level::Attention => ReasonCode::Failed,
            Level::Finished => ReasonCode::Finished,
            Level::Fine => ReasonCode::Fine,
        });
    Condition {
        level,
        code,
        reason: sanitize::one_line(reason),
        key: key.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::run::{RemoteAttention, RemoteState, State};

    fn run(attention: Option<RemoteAttention>) -> RemoteRun {
        RemoteRun {
            host: "gpu1".to_owned(),
            name: "api #4".to_owned(),
            reference: "abc/4".to_owned(),
            dir: "/r/abc/4".into(),
            state: RemoteState::Agentpair(State::Failed),
            attention,
            repo: String::new(),
            tmux_session: String::new(),
            facts: None,
            seen_at: chrono::DateTime::default(),
            prefixed: true,
        }
    }

    #[test]
    fn the_hosts_judgement_is_taken_as_said() {
        let c = condition(&run(Some(RemoteAttention {
            level: "attention".to_owned(),
            code: "fail_signal".to_owned(),
            reason: "FAIL\nin 3 reviews".to_owned(),
            key: "fail_signal@9".to_owned(),
        })));
        assert_eq!(c.level, Level::Attention);
        assert_eq!(c.code, ReasonCode::FailSignal);
        assert_eq!(c.key, "fail_signal@9");
        assert!(!c.reason.contains('\n'));
        let unknown = condition(&run(Some(RemoteAttention {
            level: "attention".to_owned(),
            code: "brand_new".to_owned(),
            reason: "x".to_owned(),
            key: "k".to_owned(),
        })));
        assert_eq!(unknown.level, Level::Attention);
        let silent = condition(&run(None));
        assert_eq!(
            (silent.level, silent.reason.as_str()),
            (Level::Fine, "failed")
        );
    }
}
