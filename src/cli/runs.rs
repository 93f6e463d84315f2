//! `beadboard runs`: runs, active first, named as everywhere (`api #4`,
//! `webapp claude 88a8d7`): agentpair runs and agent sessions alike.

use super::CliError;
use super::agents;
use super::json::RunJson;
use super::output::{JsonItems, Out, Table, errln, leave, outln};
use crate::config::{Roots, cache_dir, home_dir};
use crate::persist::parallel;
use crate::persist::run::{
    self, LoadOptions, Paths, RunLoader, RunRecord, RunSummary, ToSummary, summary_display_order,
};
use crate::present::{facts, glyphs, naming, sanitize, text, time};
use chrono::Utc;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// A run as listed: its summary (what it is ordered and shown by), and for an agentpair run
/// its whole record (the JSON carries every manifest key).
struct Row {
    summary: Arc<RunSummary>,
    record: Option<RunRecord>,
}

/// How many finished runs `runs` shows without `--all`.
const RECENT_FINISHED: usize = 5;

/// `runs [--all] [--json]`.
pub fn list(
    out: &mut Out,
    roots: &Roots,
    all: bool,
    as_json: bool,
    stale_after: Duration,
) -> Result<(), CliError> {
    let paths = Paths::new(&roots.agentpair);
    let now = crate::clock::now();
    let records = if all {
        // Every run in full: one parallel read of every manifest.
        let report = run::scan_runs(&paths);
        for problem in &report.problems {
            errln!("beadboard: skipped {problem}");
        }
        report.runs
    } else {
        active_and_recent(&paths, now)
    };
    let mut shown: Vec<Row> = records
        .into_iter()
        .map(|r| Row {
            summary: r.to_shared(),
            record: Some(r),
        })
        .collect();
    shown.extend(
        agents::sessions(roots, stale_after, now)
            .into_iter()
            .map(|summary| Row {
                summary,
                record: None,
            }),
    );
    shown.sort_by(|a, b| summary_display_order(&a.summary, &b.summary));
    if !all {
        let mut finished = 0;
        shown.retain(|r| {
            finished += usize::from(r.summary.is_complete());
            !r.summary.is_complete() || finished <= RECENT_FINISHED
        });
    }
    if as_json {
        // Item by item: never the whole output in memory.
        let mut array = JsonItems::default();
        for r in &shown {
            let item = match &r.record {
                Some(record) => run_json(record, &r.summary, now, stale_after)?,
                None => agents::session_json(&r.summary, now, stale_after)?,
            };
            array.item(out, &item)?;
        }
        return array.end(out);
    }
    if shown.is_empty() {
        outln!(
            out,
            "No agentpair runs in {} (looked for runs/*/*/manifest.json), and no agent sessions (see `beadboard doctor`).",
            paths.runs_dir().display()
        )?;
        return Ok(());
    }
    let home = home_dir();
    // Row by row: each is made, written and let go before the next.
    let headers = [
        "RUN", "REPO", "STATE", "ITER", "ELAPSED", "ACTIVITY", "PROMPT",
    ];
    Table::stream(out, &headers, &shown, |row| {
        let r = &row.summary;
        let state_now = r.state_at(now);
        let mut state = format!(
            "{} {}",
            glyphs::state_of(state_now),
            sanitize::one_line(glyphs::word(state_now.as_str()))
        );
        if r.is_stale(now, stale_after) {
            state.push_str(" ⚠ stale");
        }
        let prompt = match &row.record {
            Some(record) => sanitize::one_line(&record.manifest.prompt),
            None => sanitize::one_line(r.prompt_head()),
        };
        vec![
            naming::name(&**r),
            text::short_path(&sanitize::one_line(r.repo_path()), home.as_deref(), 24),
            state,
            facts::iteration(r),
            facts::elapsed(r, now),
            r.last_activity()
                .map_or_else(|| "-".to_owned(), |t| time::ago(now, t)),
            prompt,
        ]
    })
}

/// The active runs and the most recent finished ones, from the summary cache, then read in full
/// (the whole prompt, every manifest key).
fn active_and_recent(paths: &Paths, now: chrono::DateTime<Utc>) -> Vec<RunRecord> {
    let mut options = LoadOptions::new(now).with_cache(cache_dir());
    options.first_finished = RECENT_FINISHED;
    let mut loader = RunLoader::open(paths, &options);
    for problem in loader.problems() {
        errln!("beadboard: skipped {problem}");
    }
    let summaries = loader.next_page().map(|page| page.runs).unwrap_or_default();
    leave(loader);
    let records = parallel::map(&summaries, parallel::threads(), |s| s.to_record());
    let mut shown = Vec::with_capacity(records.len());
    for record in records {
        match record {
            Ok(r) => shown.push(r),
            Err(problem) => errln!("beadboard: skipped {problem}"),
        }
    }
    shown
}

fn run_json(
    r: &RunRecord,
    summary: &RunSummary,
    now: chrono::DateTime<Utc>,
    stale_after: Duration,
) -> Result<Value, CliError> {
    let own = match r.manifest.to_value() {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    let mut beadboard = agents::facts(summary, now, stale_after);
    beadboard.dir = Some(r.dir.to_string_lossy().into_owned());
    beadboard.transcript_bytes = Some(r.activity.transcript_len);
    Ok(serde_json::to_value(RunJson { own, beadboard })?)
}
