//! `beadboard runs`: runs, active first, named as everywhere (`api #4`).

use super::CliError;
use super::output::{Out, Table, errln, leave, outln};
use crate::config::{Roots, cache_dir, home_dir};
use crate::persist::parallel;
use crate::persist::run::{self, LoadOptions, Paths, RunLoader, RunRecord};
use crate::present::{glyphs, naming, sanitize, text, time};
use chrono::Utc;
use serde_json::{Value, json};
use std::time::Duration;

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
    let now = Utc::now();
    let shown = if all {
        // Every run in full: one parallel read of every manifest.
        let report = run::scan_runs(&paths);
        for problem in &report.problems {
            errln!("beadboard: skipped {problem}");
        }
        report.runs
    } else {
        active_and_recent(&paths, now)
    };
    if as_json {
        let items: Vec<Value> = shown
            .iter()
            .map(|r| run_json(r, now, stale_after))
            .collect();
        out.json(&Value::Array(items))?;
        return Ok(());
    }
    if shown.is_empty() {
        outln!(
            out,
            "No agentpair runs in {} (looked for runs/*/*/manifest.json).",
            paths.runs_dir().display()
        )?;
        return Ok(());
    }
    let home = home_dir();
    let mut table = Table::new(&[
        "RUN", "REPO", "STATE", "ITER", "ELAPSED", "ACTIVITY", "PROMPT",
    ]);
    for r in &shown {
        let m = &r.manifest;
        let mut state = format!(
            "{} {}",
            glyphs::run_state(&m.state),
            sanitize::one_line(glyphs::word(m.state.as_str()))
        );
        if r.is_stale(now, stale_after) {
            state.push_str(" ⚠ stale");
        }
        let started = m.created_at.with_timezone(&Utc);
        let ended = m.completed_at.map_or(now, |t| t.with_timezone(&Utc));
        table.row(vec![
            naming::name(r),
            text::short_path(&sanitize::one_line(&m.repo_path), home.as_deref(), 24),
            state,
            format!("{}/{}", r.iteration(), m.max_iterations),
            if started.timestamp() > 0 {
                time::humanize(time::between(started, ended))
            } else {
                "-".to_owned()
            },
            r.last_activity()
                .map_or_else(|| "-".to_owned(), |t| time::ago(now, t)),
            sanitize::one_line(&m.prompt),
        ]);
    }
    table.print(out)?;
    Ok(())
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

fn run_json(r: &RunRecord, now: chrono::DateTime<Utc>, stale_after: Duration) -> Value {
    let mut value = r.manifest.to_value();
    let derived = json!({
        "name": naming::name(r),
        "reference": naming::reference(r),
        "dir": r.dir.to_string_lossy(),
        "last_activity_at": r.last_activity().map(|t| crate::persist::gojson::format_time(&t.fixed_offset())),
        "stale": r.is_stale(now, stale_after),
        "transcript_bytes": r.activity.transcript_len,
    });
    if let Value::Object(map) = &mut value {
        map.insert("beadboard".to_owned(), derived);
    }
    value
}
