//! `beadboard search PATTERN [--repo R] [--since D] [--json]`: every run's transcript searched
//! at once (the runs come from the summary cache), matches printed as they are found, most
//! recently changed transcript first.

use super::CliError;
use super::args::SearchArgs;
use super::json::SearchHit;
use super::output::{Out, errln, leave, outln};
use crate::config::{Roots, cache_dir};
use crate::persist::gojson;
use crate::persist::run::{LoadOptions, Paths, RunLoader, RunSummary, summary_display_order};
use crate::present::{sanitize, time};
use crate::remote::protocol::SearchSpec;
use crate::search::{
    CorpusEvent, CorpusOutcome, CorpusSearch, Hit, Query, Target, of_repo, parse_since,
};
use chrono::Utc;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Runs the search.
///
/// # Errors
/// No match (exit 1, as grep), an empty pattern or a bad `--since` (exit 2), an unknown
/// `--repo` (exit 1), or output that cannot be written.
pub fn search(out: &mut Out, roots: &Roots, args: &SearchArgs) -> Result<(), CliError> {
    let spec = SearchSpec {
        pattern: args.pattern.clone(),
        repo: args.repo.clone(),
        since: args.since.clone(),
    };
    let offset = crate::clock::local_offset();
    let progress = find(roots, &spec, &Finding::here(), |hits, targets| {
        hits.iter().try_for_each(|h| {
            if args.json {
                out.json_line(&hit_json(h, &targets[h.target]))
            } else {
                outln!(out, "{}", text_line(h, &targets[h.target], offset))
            }
        })?;
        out.flush()
    })?
    .progress;
    // The count is for a person at a terminal; a script reads the exit code (1: no match).
    if !args.json && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let p = progress;
        errln!(
            "{} {} in {} of {} transcripts ({:.1} MB searched)",
            p.hits,
            if p.hits == 1 { "match" } else { "matches" },
            p.files_done,
            p.files,
            p.bytes_done as f64 / 1e6
        );
    }
    if progress.hits == 0 {
        // As grep: no match is exit 1.
        return Err(CliError::not_found(String::new()));
    }
    Ok(())
}

/// How a search runs: where run summaries are cached, and the flag that stops it.
#[derive(Debug, Clone, Default)]
pub struct Finding {
    /// The summary caches' directory, of runs and of sessions (`None`: none kept).
    pub cache: Option<PathBuf>,
    /// Set to stop the search (a host's client cancelled it): it ends early, said so in its
    /// outcome.
    pub cancel: Arc<AtomicBool>,
}

impl Finding {
    /// This machine's cache, and a flag no one else holds.
    #[must_use]
    pub fn here() -> Finding {
        Finding {
            cache: cache_dir(),
            cancel: Arc::default(),
        }
    }
}

/// Searches every run's transcript on this machine, giving the matches to `found` as they
/// are found (with the runs they index); an error from `found` (a reader gone away) ends the
/// search and is returned. Problems with single transcripts are said on stderr. Setting
/// `how.cancel` stops it: its outcome then says it was cancelled, and how far it got.
///
/// # Errors
/// An empty pattern or a bad `since` (exit 2), an unknown repo (exit 1), or `found`'s error.
pub fn find(
    roots: &Roots,
    spec: &SearchSpec,
    how: &Finding,
    mut found: impl FnMut(&[Hit], &[Target]) -> Result<(), CliError>,
) -> Result<CorpusOutcome, CliError> {
    if spec.pattern.is_empty() {
        return Err(usage("the pattern is empty"));
    }
    let now = crate::clock::now();
    let since = spec
        .since
        .as_deref()
        .map(|d| parse_since(d, now).map_err(|why| usage(&format!("--since {why}"))))
        .transpose()?;
    let query = Query::new(&spec.pattern)?;
    let options = LoadOptions::new(now).with_cache(how.cache.clone());
    let loader = RunLoader::open(&Paths::new(&roots.agentpair), &options);
    // Cancelled while the runs were listed: nothing is searched (listing is not cut short).
    let cancelled = || how.cancel.load(Ordering::Relaxed);
    if cancelled() {
        leave(loader);
        return Ok(CorpusOutcome::before_start());
    }
    for problem in loader.problems() {
        errln!("beadboard: skipped {problem}");
    }
    let of_this_repo = |r: &RunSummary| {
        spec.repo
            .as_deref()
            .is_none_or(|repo| of_repo(r.repo_path(), &r.repo_key, repo))
    };
    let stale_after = crate::config::DEFAULT_STALE_AFTER;
    let sessions = super::agents::sessions_cached_in(roots, stale_after, now, how.cache.clone());
    if cancelled() {
        leave(sessions);
        leave(loader);
        return Ok(CorpusOutcome::before_start());
    }
    let mut runs: Vec<&Arc<RunSummary>> = loader
        .pending_shared()
        .chain(sessions.iter())
        .filter(|r| of_this_repo(r))
        .collect();
    // Agentpair runs come in display order already; sessions join them in it.
    runs.sort_by(|a, b| summary_display_order(a, b));
    let targets: Vec<Target> = runs
        .into_iter()
        .map(|r| Target::new(Arc::clone(r)))
        .collect();
    leave(sessions);
    leave(loader);
    if let Some(repo) = &spec.repo
        && targets.is_empty()
    {
        return Err(CliError::not_found(format!(
            "no runs of repo {repo:?} (give its path, directory name or a repo id prefix, as `beadboard runs` shows)"
        )));
    }
    let mut search = CorpusSearch::new(query);
    search.since = since;
    search.cancel = Arc::clone(&how.cancel);
    let mut failed: Option<CliError> = None;
    let outcome = search.run(&targets, |event| match event {
        CorpusEvent::Hits(hits) if failed.is_none() => {
            if let Err(e) = found(&hits, &targets) {
                // A reader that went away (`| head`) ends the search, quietly.
                search.cancel.store(true, Ordering::Relaxed);
                failed = Some(e);
            }
        }
        CorpusEvent::Hits(_) | CorpusEvent::Progress(_) => {}
        CorpusEvent::Problem(why) => errln!("beadboard: {why}"),
    });
    failed.map_or(Ok(outcome), Err)
}

fn usage(message: &str) -> CliError {
    CliError::usage(message)
}

/// A match as its `--json` record.
pub fn hit_json(h: &Hit, t: &Target) -> serde_json::Value {
    let hit = SearchHit {
        kind: crate::events::ItemKind::Run,
        name: t.name(),
        reference: t.reference(),
        line: h.line,
        entry_type: h.entry_type.clone(),
        time: h.time.map(|t| gojson::format_time(&t)),
        text: h.text.clone(),
        offset: h.offset,
        run: t.name(),
    };
    serde_json::to_value(&hit).unwrap_or_default()
}

fn text_line(h: &Hit, t: &Target, offset: chrono::FixedOffset) -> String {
    let when = h.time.map_or_else(
        || "--:--:--".to_owned(),
        |t| time::stamp(t.with_timezone(&Utc), crate::clock::now(), offset),
    );
    let place = if t.session().is_some() {
        t.run_key().chars().take(8).collect::<String>()
    } else {
        let short: String = t.repo_key().chars().take(8).collect();
        format!("{short}/{}", t.run_key())
    };
    format!(
        "{place}:{}  {}  {when}  {:<9} {}",
        h.line,
        t.name(),
        sanitize::one_line(&h.entry_type),
        sanitize::one_line(&h.text)
    )
}
