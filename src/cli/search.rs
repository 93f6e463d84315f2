//! `beadboard search PATTERN [--repo R] [--since D] [--json]`: every run's transcript searched
//! at once (the runs come from the summary cache), matches printed as they are found, most
//! recently changed transcript first.

use super::CliError;
use super::args::SearchArgs;
use super::output::leave;
use crate::config::{Roots, cache_dir};
use crate::persist::gojson;
use crate::persist::run::{LoadOptions, Paths, RunLoader, RunSummary, summary_display_order};
use crate::present::{sanitize, time};
use crate::search::{CorpusEvent, CorpusSearch, Hit, Query, Target, of_repo, parse_since};
use chrono::{Local, Offset as _, Utc};
use serde_json::json;
use std::io::Write;

/// Runs the search.
///
/// # Errors
/// An empty pattern or a bad `--since` (exit 2), an unknown `--repo`, or output that cannot be
/// written.
pub fn search(roots: &Roots, args: &SearchArgs) -> Result<(), CliError> {
    if args.pattern.is_empty() {
        return Err(usage("the pattern is empty"));
    }
    let now = Utc::now();
    let since = args
        .since
        .as_deref()
        .map(|d| parse_since(d, now).map_err(|why| usage(&format!("--since {why}"))))
        .transpose()?;
    let query = Query::new(&args.pattern)?;
    let options = LoadOptions::new(now).with_cache(cache_dir());
    let loader = RunLoader::open(&Paths::new(&roots.agentpair), &options);
    for problem in loader.problems() {
        eprintln!("beadboard: skipped {problem}");
    }
    let of_this_repo = |r: &RunSummary| {
        args.repo
            .as_deref()
            .is_none_or(|repo| of_repo(r.repo_path(), &r.repo_key, repo))
    };
    let sessions = super::agents::sessions(roots, crate::config::DEFAULT_STALE_AFTER, now);
    let mut runs: Vec<&RunSummary> = loader
        .pending()
        .chain(sessions.iter().map(|r| &**r))
        .filter(|r| of_this_repo(r))
        .collect();
    // Agentpair runs come in display order already; sessions join them in it.
    runs.sort_by(|a, b| summary_display_order(a, b));
    let targets: Vec<Target> = runs.into_iter().map(Target::of).collect();
    leave(sessions);
    leave(loader);
    if let Some(repo) = &args.repo
        && targets.is_empty()
    {
        return Err(CliError::new(format!(
            "no runs of repo {repo:?} (give its path, directory name or a repo id prefix, as `beadboard runs` shows)"
        )));
    }
    let mut search = CorpusSearch::new(query);
    search.since = since;
    let offset = Local::now().offset().fix();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed: Option<std::io::Error> = None;
    let outcome = search.run(&targets, |event| match event {
        CorpusEvent::Hits(hits) if failed.is_none() => {
            let written = hits.iter().try_for_each(|h| {
                let line = if args.json {
                    json_line(h, &targets[h.target])
                } else {
                    text_line(h, &targets[h.target], offset)
                };
                writeln!(out, "{line}")
            });
            if let Err(e) = written.and_then(|()| out.flush()) {
                // A reader that went away (`| head`) ends the search quietly.
                search
                    .cancel
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                failed = Some(e);
            }
        }
        CorpusEvent::Hits(_) | CorpusEvent::Progress(_) => {}
        CorpusEvent::Problem(why) => eprintln!("beadboard: {why}"),
    });
    match failed {
        Some(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
        Some(_) => return Ok(()),
        None => {}
    }
    if !args.json {
        let p = outcome.progress;
        eprintln!(
            "{} {} in {} of {} transcripts ({:.1} MB searched)",
            p.hits,
            if p.hits == 1 { "match" } else { "matches" },
            p.files_done,
            p.files,
            p.bytes_done as f64 / 1e6
        );
    }
    Ok(())
}

fn usage(message: &str) -> CliError {
    CliError {
        message: message.to_owned(),
        code: 2,
    }
}

fn json_line(h: &Hit, t: &Target) -> String {
    let value = json!({
        "run": t.name(),
        "reference": t.reference(),
        "line": h.line,
        "type": h.entry_type,
        "time": h.time.map(|t| gojson::format_time(&t)),
        "text": h.text,
        "offset": h.offset,
    });
    value.to_string()
}

fn text_line(h: &Hit, t: &Target, offset: chrono::FixedOffset) -> String {
    let when = h.time.map_or_else(
        || "--:--:--".to_owned(),
        |t| time::clock(t.with_timezone(&Utc), offset),
    );
    let place = if t.session.is_some() {
        t.run_key.chars().take(8).collect::<String>()
    } else {
        let short: String = t.repo_key.chars().take(8).collect();
        format!("{short}/{}", t.run_key)
    };
    format!(
        "{place}:{}  {}  {when}  {:<9} {}",
        h.line,
        t.name(),
        sanitize::one_line(&h.entry_type),
        sanitize::one_line(&h.text)
    )
}
