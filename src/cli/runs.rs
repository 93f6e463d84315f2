//! `beadboard runs` and `beadboard transcript`.

use super::CliError;
use super::output::{Table, leave, print_json, print_json_line};
use crate::config::{Roots, cache_dir, home_dir};
use crate::persist::parallel;
use crate::persist::run::{
    self, LoadOptions, MANIFEST_FILE, Paths, RunLoader, RunRecord, RunSummary, TRANSCRIPT_FILE,
    TailEvent, TranscriptTail,
};
use crate::present::{glyphs, sanitize, summary, text, time};
use chrono::{Local, Utc};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How many finished runs `runs` shows without `--all`.
const RECENT_FINISHED: usize = 5;

/// `runs [--all] [--json]`.
pub fn list(
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
            eprintln!("beadboard: skipped {problem}");
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
        print_json(&Value::Array(items))?;
        return Ok(());
    }
    if shown.is_empty() {
        println!(
            "No agentpair runs in {} (looked for runs/*/*/manifest.json).",
            paths.runs_dir().display()
        );
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
            short_reference(r),
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
    table.print()?;
    Ok(())
}

/// The active runs and the most recent finished ones, from the summary cache, then read in full
/// (the whole prompt, every manifest key).
fn active_and_recent(paths: &Paths, now: chrono::DateTime<Utc>) -> Vec<RunRecord> {
    let mut options = LoadOptions::new(now).with_cache(cache_dir());
    options.first_finished = RECENT_FINISHED;
    let mut loader = RunLoader::open(paths, &options);
    for problem in loader.problems() {
        eprintln!("beadboard: skipped {problem}");
    }
    let summaries = loader.next_page().map(|page| page.runs).unwrap_or_default();
    leave(loader);
    let records = parallel::map(&summaries, parallel::threads(), RunSummary::to_record);
    let mut shown = Vec::with_capacity(records.len());
    for record in records {
        match record {
            Ok(r) => shown.push(r),
            Err(problem) => eprintln!("beadboard: skipped {problem}"),
        }
    }
    shown
}

/// `<first 8 of the repo dir>/<run dir>`; `transcript` accepts it back (as a prefix).
fn short_reference(r: &RunRecord) -> String {
    let repo: String = r.repo_key.chars().take(8).collect();
    format!("{repo}/{}", r.run_key)
}

fn run_json(r: &RunRecord, now: chrono::DateTime<Utc>, stale_after: Duration) -> Value {
    let mut value = r.manifest.to_value();
    let derived = json!({
        "reference": r.reference(),
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

/// Finds a run directory from `ID`, `REPO_ID/ID` (REPO_ID may be a unique prefix), or a path.
///
/// # Errors
/// When nothing, or more than one run, matches.
pub fn resolve_run(roots: &Roots, spec: &str) -> Result<PathBuf, CliError> {
    let as_path = Path::new(spec);
    if as_path.join(MANIFEST_FILE).is_file() {
        return Ok(as_path.to_path_buf());
    }
    let paths = Paths::new(&roots.agentpair);
    if let Some((repo, id)) = spec.split_once('/') {
        let repos = run::list_all_repos(&paths)?;
        let matches: Vec<&String> = if repos.iter().any(|r| r == repo) {
            repos.iter().filter(|r| *r == repo).collect()
        } else {
            repos.iter().filter(|r| r.starts_with(repo)).collect()
        };
        return match matches.as_slice() {
            [one] => existing_run(paths.runs_dir().join(one).join(id), spec),
            [] => Err(CliError::new(format!(
                "no repo {repo:?} under {} (see `beadboard runs`)",
                paths.runs_dir().display()
            ))),
            many => Err(CliError::new(format!(
                "{repo:?} matches {} repos; give more of the id",
                many.len()
            ))),
        };
    }
    let repo_path = run::current_repo_path()?;
    let dir = paths.repo_dir(&repo_path).join(spec);
    existing_run(dir, spec).map_err(|_| {
        CliError::new(format!(
            "no run {spec} for the current directory {repo_path} (repo id {}); use REPO_ID/ID as `beadboard runs` shows it",
            run::repo_id_from_path(&repo_path)
        ))
    })
}

/// A run directory is one with something named `manifest.json` in it; if that is not a
/// readable file, loading it says why (rather than claiming that it does not exist).
fn existing_run(dir: PathBuf, spec: &str) -> Result<PathBuf, CliError> {
    if dir.join(MANIFEST_FILE).exists() {
        Ok(dir)
    } else {
        Err(CliError::new(format!(
            "no run {spec}: {} does not exist",
            dir.join(MANIFEST_FILE).display()
        )))
    }
}

/// `transcript RUN [--follow] [--json]`.
pub fn transcript(roots: &Roots, spec: &str, follow: bool, as_json: bool) -> Result<(), CliError> {
    let dir = resolve_run(roots, spec)?;
    let record = RunRecord::load(&dir)?;
    let path = dir.join(TRANSCRIPT_FILE);
    let mut tail = TranscriptTail::new(&path);
    let events = if follow {
        tail.poll()
    } else {
        tail.poll_final()
    }
    .map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
    let offset = Local::now().offset().fix();
    let mut entries = Vec::new();
    if !as_json {
        print_header(&record);
    }
    for event in events {
        handle_event(
            event,
            &path,
            as_json && !follow,
            as_json && follow,
            offset,
            &mut entries,
        );
    }
    if as_json && !follow {
        print_json(&Value::Array(entries))?;
        return Ok(());
    }
    if follow {
        follow_file(&dir, &path, &mut tail, as_json, offset)?;
    }
    Ok(())
}

use chrono::Offset as _;

fn print_header(record: &RunRecord) {
    let m = &record.manifest;
    println!(
        "run {} · {} {} · iteration {}/{} · {}",
        record.reference(),
        glyphs::run_state(&m.state),
        sanitize::one_line(glyphs::word(m.state.as_str())),
        record.iteration(),
        m.max_iterations,
        sanitize::one_line(&m.repo_path)
    );
    println!("prompt: {}", sanitize::one_line(&m.prompt));
    println!();
}

fn handle_event(
    event: TailEvent,
    path: &Path,
    collect: bool,
    stream: bool,
    offset: chrono::FixedOffset,
    entries: &mut Vec<Value>,
) {
    match event {
        TailEvent::Entry { entry, .. } => {
            if collect {
                entries.push(entry.to_value());
            } else if stream {
                let _ = print_json_line(&entry.to_value());
            } else {
                print_entry(&entry, offset);
            }
        }
        TailEvent::Malformed {
            line,
            problem,
            preview,
            ..
        } => {
            if collect || stream {
                eprintln!(
                    "beadboard: {} line {line}: unreadable: {problem}",
                    path.display()
                );
            } else {
                println!(
                    "          ⚠ line {line} unreadable: {problem}: {}",
                    sanitize::one_line(&preview)
                );
            }
        }
        TailEvent::Reset => {
            eprintln!(
                "beadboard: {} was truncated or replaced; reading it again from the start",
                path.display()
            );
        }
    }
}

fn print_entry(entry: &run::TranscriptEntry, offset: chrono::FixedOffset) {
    let s = summary::summarize(entry);
    let when = if entry.timestamp.timestamp() > 0 {
        time::clock(entry.timestamp.with_timezone(&Utc), offset)
    } else {
        "--:--:--".to_owned()
    };
    let iteration = if entry.iteration > 0 {
        format!("#{}", entry.iteration)
    } else {
        String::new()
    };
    let agent = sanitize::one_line(&entry.agent);
    let head = if s.body.is_some() && entry.entry_type == run::EntryType::Result {
        format!("({})", time::humanize_nanos(entry.duration))
    } else {
        s.headline.clone()
    };
    println!(
        "{when}  {:>4}  {}  {} {}  {head}",
        iteration,
        text::fit(&agent, 7),
        s.glyph,
        text::fit(&s.label, 9)
    );
    if let Some(body) = &s.body {
        for line in body.trim_end().lines() {
            println!("            │ {line}");
        }
    }
}

fn follow_file(
    dir: &Path,
    path: &Path,
    tail: &mut TranscriptTail,
    as_json: bool,
    offset: chrono::FixedOffset,
) -> Result<(), CliError> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |_event| {
        let _ = tx.send(());
    })?;
    watcher.watch(dir, RecursiveMode::NonRecursive)?;
    let mut entries = Vec::new();
    loop {
        // Woken by the watcher; the timeout is a safety net for file systems that drop events.
        let _ = rx.recv_timeout(Duration::from_secs(1));
        while rx.try_recv().is_ok() {}
        let events = tail
            .poll()
            .map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
        for event in events {
            handle_event(event, path, false, as_json, offset, &mut entries);
        }
    }
}
