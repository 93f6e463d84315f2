//! Agent sessions for the headless commands: every session under the session roots as a run
//! (listed, summarised and decided as of now, with what the live registries say), and the
//! facts every `--json` run record carries, for both kinds of run alike: `name`,
//! `reference`, `agent`, `cwd`, `state`, `started_at`, `last_activity`.

use super::output::errln;
use crate::app::work::agents::{self, Judge};
use crate::config::Roots;
use crate::persist::gojson;
use crate::persist::run::RunSummary;
use crate::present::naming;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Every agent session under the roots, decided as of `now`; what could not be read is said
/// on stderr.
#[must_use]
pub fn sessions(roots: &Roots, stale_after: Duration, now: DateTime<Utc>) -> Vec<Arc<RunSummary>> {
    let judge = Judge {
        quiet: stale_after,
        now,
    };
    let cache = crate::config::cache_dir();
    let found = agents::scan(
        &roots.agents,
        &HashMap::new(),
        HashMap::new(),
        &judge,
        cache.as_deref(),
    );
    for (path, why) in &found.problems {
        errln!("beadboard: skipped {}: {why}", path.display());
    }
    found.runs
}

fn time(t: Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, |t| {
        Value::String(gojson::format_time(&t.fixed_offset()))
    })
}

/// What every run record says of its run, agentpair run or agent session alike.
#[must_use]
pub fn facts(r: &RunSummary, now: DateTime<Utc>, stale_after: Duration) -> Value {
    json!({
        "name": naming::name(r),
        "reference": naming::reference(r),
        "agent": r.agent().map_or("agentpair", |a| a.as_str()),
        "cwd": r.repo_path(),
        "state": r.state_at(now).as_str(),
        "started_at": time(r.started_at()),
        "last_activity": time(r.last_activity()),
        "stale": r.is_stale(now, stale_after),
    })
}

/// An agent session's record: what its summary says, with [`facts`] under `beadboard` (as an
/// agentpair run's manifest keys are).
#[must_use]
pub fn session_json(r: &RunSummary, now: DateTime<Utc>, stale_after: Duration) -> Value {
    let Some(s) = r.session() else {
        return facts(r, now, stale_after);
    };
    let sum = &s.summary;
    let source = match &sum.source {
        crate::persist::session::SessionSource::Lines(p)
        | crate::persist::session::SessionSource::Document(p) => {
            json!({"path": p.to_string_lossy()})
        }
        crate::persist::session::SessionSource::Database { db, session } => {
            json!({"database": db.to_string_lossy(), "session": session})
        }
    };
    let mut beadboard = facts(r, now, stale_after);
    if let Value::Object(map) = &mut beadboard {
        map.insert("key".to_owned(), json!(r.dir.to_string_lossy()));
        map.insert(
            "process".to_owned(),
            json!(match s.alive {
                Some(true) => "alive",
                Some(false) => "gone",
                None => "unknown",
            }),
        );
    }
    json!({
        "agent": sum.agent.as_str(),
        "id": sum.id,
        "cwd": sum.cwd,
        "title": sum.title,
        "prompt": sum.prompt_head,
        "model": sum.model,
        "started_at": time(sum.started_at),
        "last_entry_at": time(sum.last_entry_at),
        "turns": sum.turns,
        "tokens": {
            "input": sum.tokens.input,
            "output": sum.tokens.output,
            "cache_read": sum.tokens.cache_read,
            "cache_write": sum.tokens.cache_write,
            "total": sum.tokens.total(),
        },
        "subagents": sum.subagents.len(),
        "source": source,
        "beadboard": beadboard,
    })
}
