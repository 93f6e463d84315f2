//! Agent sessions for the headless commands: every session under the session roots as a run
//! (listed, summarised and decided as of now, with what the live registries say), and the
//! facts every `--json` run record carries under `beadboard`, for both kinds of run alike:
//! `name`, `reference`, `agent`, `cwd`, `state`, `started_at`, `last_activity_at`, `stale`.

use super::json::{RunFacts, RunJson};
use super::output::errln;
use crate::app::work::agents::{self, Judge};
use crate::config::Roots;
use crate::persist::gojson;
use crate::persist::run::RunSummary;
use crate::present::naming;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Every agent session under the roots, decided as of `now`; what could not be read is said
/// on stderr.
#[must_use]
pub fn sessions(roots: &Roots, stale_after: Duration, now: DateTime<Utc>) -> Vec<Arc<RunSummary>> {
    sessions_cached_in(roots, stale_after, now, crate::config::cache_dir())
}

/// As [`sessions`], their summaries cached in `cache` (`None`: none kept).
#[must_use]
pub fn sessions_cached_in(
    roots: &Roots,
    stale_after: Duration,
    now: DateTime<Utc>,
    cache: Option<PathBuf>,
) -> Vec<Arc<RunSummary>> {
    let judge = Judge {
        quiet: stale_after,
        now,
    };
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

fn time(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| gojson::format_time(&t.fixed_offset()))
}

/// What every run record says of its run, agentpair run or agent session alike (the fields
/// only one kind has are left for the caller).
#[must_use]
pub fn facts(r: &RunSummary, now: DateTime<Utc>, stale_after: Duration) -> RunFacts {
    let last = time(r.last_activity());
    RunFacts {
        name: naming::name(r),
        reference: naming::reference(r),
        agent: r.agent().map_or("agentpair", |a| a.as_str()).to_owned(),
        cwd: r.repo_path().to_owned(),
        state: r.state_at(now).as_str().to_owned(),
        started_at: time(r.started_at()),
        last_activity_at: last.clone(),
        stale: r.is_stale(now, stale_after),
        dir: None,
        transcript_bytes: None,
        key: None,
        process: None,
        last_activity: last,
    }
}

/// An agent session's record: what its summary says, with [`facts`] under `beadboard` (as an
/// agentpair run's manifest keys are).
///
/// # Errors
/// None in practice: the record is made of strings and numbers.
pub fn session_json(
    r: &RunSummary,
    now: DateTime<Utc>,
    stale_after: Duration,
) -> Result<Value, serde_json::Error> {
    let mut beadboard = facts(r, now, stale_after);
    let Some(s) = r.session() else {
        return serde_json::to_value(RunJson {
            own: Map::new(),
            beadboard,
        });
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
    beadboard.key = Some(r.dir.to_string_lossy().into_owned());
    beadboard.process = Some(
        match s.alive {
            Some(true) => "alive",
            Some(false) => "gone",
            None => "unknown",
        }
        .to_owned(),
    );
    let own = json!({
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
    });
    let own = match own {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    serde_json::to_value(RunJson { own, beadboard })
}
