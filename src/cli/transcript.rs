//! `beadboard transcript RUN`: a run's transcript as text or JSON, once or followed, with the
//! run named any way people name it (see [`naming::resolve`]).

mod session;

pub use session::entry_json;

use super::CliError;
use super::output::{print_json, print_json_line};
use crate::config::Roots;
use crate::persist::run::{
    self, MANIFEST_FILE, Paths, RunRecord, RunSummary, TRANSCRIPT_FILE, TailEvent, ToSummary,
    TranscriptTail,
};
use crate::present::{glyphs, naming, sanitize, summary, text, time};
use chrono::Utc;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// A run picked by name: an agentpair run's directory, or an agent session.
pub enum Picked {
    /// The run directory.
    Agentpair(PathBuf),
    /// The session.
    Session(Arc<RunSummary>),
}

/// Finds a run from any name for it (see [`naming::resolve`]): `api #4`, `#4` or `4` (the
/// current directory's repo first), `REPO_ID/ID` (REPO_ID may be a unique prefix), a run
/// directory's path, or an agent session's name (`webapp claude 88a8d7`), id, or a prefix of
/// its id of 6 characters or more.
///
/// # Errors
/// When nothing, or more than one run, matches, saying which; a run whose manifest cannot be
/// read is named with the reason.
pub fn resolve_any(
    roots: &Roots,
    spec: &str,
    stale_after: std::time::Duration,
) -> Result<Picked, CliError> {
    let as_path = Path::new(spec);
    if as_path.join(MANIFEST_FILE).is_file() {
        return Ok(Picked::Agentpair(as_path.to_path_buf()));
    }
    let paths = Paths::new(&roots.agentpair);
    let report = run::scan_runs(&paths);
    let here = run::current_repo_path()
        .ok()
        .map(|p| run::repo_id_from_path(&p));
    let mut all: Vec<Arc<RunSummary>> = report.runs.iter().map(ToSummary::to_shared).collect();
    all.extend(super::agents::sessions(
        roots,
        stale_after,
        crate::clock::now(),
    ));
    match naming::resolve(spec, &all, here.as_deref()) {
        Ok(found) if found.session().is_some() => Ok(Picked::Session(Arc::clone(found))),
        Ok(found) => Ok(Picked::Agentpair(found.dir.clone())),
        Err(e @ naming::NameError::Unknown { .. }) => {
            // A run that is there but cannot be read is named with the reason.
            let unreadable = naming::Spec::parse(spec).and_then(|wanted| {
                report
                    .problems
                    .iter()
                    .find(|p| unreadable_run(p).is_some_and(|found| names(wanted, found)))
            });
            Err(match unreadable {
                Some(problem) => CliError::new(format!(
                    "no readable run {}: {problem}",
                    sanitize::one_line(spec.trim())
                )),
                None => CliError::new(format!("{e} (runs in {})", paths.runs_dir().display())),
            })
        }
        Err(e) => Err(CliError::new(e.to_string())),
    }
}

/// The repo and run directory names of a run whose manifest could not be read.
fn unreadable_run(problem: &run::RunError) -> Option<(String, String)> {
    let (run::RunError::Io { path, .. }
    | run::RunError::Syntax { path, .. }
    | run::RunError::Field { path, .. }) = problem
    else {
        return None;
    };
    let run_dir = path.parent()?;
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    Some((name(run_dir.parent()?)?, name(run_dir)?))
}

/// Could `wanted` name the run in `repo_key/run_key` (whose manifest, and so repo name, is
/// unknown)?
fn names(wanted: naming::Spec<'_>, (repo_key, run_key): (String, String)) -> bool {
    match wanted {
        naming::Spec::Reference { repo, id } => run_key == id && repo_key.starts_with(repo),
        other => run_key == other.id(),
    }
}

/// `transcript RUN [--follow] [--json]`.
pub fn transcript(
    roots: &Roots,
    spec: &str,
    (follow, as_json): (bool, bool),
    stale_after: std::time::Duration,
) -> Result<(), CliError> {
    let dir = match resolve_any(roots, spec, stale_after)? {
        Picked::Agentpair(dir) => dir,
        Picked::Session(run) => return session::print(&run, follow, as_json),
    };
    let record = RunRecord::load(&dir)?;
    let path = dir.join(TRANSCRIPT_FILE);
    let mut tail = TranscriptTail::new(&path);
    let events = if follow {
        tail.poll()
    } else {
        tail.poll_final()
    }
    .map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
    let printer = Printer {
        path: path.clone(),
        offset: crate::clock::local_offset(),
        run: json!({"name": naming::name(&record), "reference": naming::reference(&record)}),
    };
    let mut entries = Vec::new();
    if !as_json {
        print_header(&record);
    }
    for event in events {
        printer.handle(event, as_json && !follow, as_json && follow, &mut entries);
    }
    if as_json && !follow {
        print_json(&Value::Array(entries))?;
        return Ok(());
    }
    if follow {
        follow_file(&dir, &mut tail, as_json, &printer)?;
    }
    Ok(())
}

/// How a transcript's events are printed.
struct Printer {
    /// The transcript.
    path: PathBuf,
    /// The local time zone, for text.
    offset: chrono::FixedOffset,
    /// The run's name and reference, added to each JSON entry under `beadboard` (as `runs
    /// --json` adds its facts; agentpair's readers ignore the key).
    run: Value,
}

fn print_header(record: &RunRecord) {
    let m = &record.manifest;
    println!(
        "run {} · {} {} · iteration {}/{} · {}",
        naming::name(record),
        glyphs::run_state(&m.state),
        sanitize::one_line(glyphs::word(m.state.as_str())),
        record.iteration(),
        m.max_iterations,
        sanitize::one_line(&m.repo_path)
    );
    println!("prompt: {}", sanitize::one_line(&m.prompt));
    println!();
}

impl Printer {
    fn json(&self, entry: &run::TranscriptEntry) -> Value {
        let mut value = entry.to_value();
        if let Value::Object(map) = &mut value {
            map.insert("beadboard".to_owned(), self.run.clone());
        }
        value
    }

    fn handle(&self, event: TailEvent, collect: bool, stream: bool, entries: &mut Vec<Value>) {
        let path = &self.path;
        match event {
            TailEvent::Entry { entry, .. } => {
                if collect {
                    entries.push(self.json(&entry));
                } else if stream {
                    let _ = print_json_line(&self.json(&entry));
                } else {
                    print_entry(&entry, self.offset);
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
}

fn print_entry(entry: &run::TranscriptEntry, offset: chrono::FixedOffset) {
    let s = summary::summarize(entry);
    let when = if entry.timestamp.timestamp() > 0 {
        // Not today: with its date (and year, when not this year).
        time::stamp(
            entry.timestamp.with_timezone(&Utc),
            crate::clock::now(),
            offset,
        )
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
    tail: &mut TranscriptTail,
    as_json: bool,
    printer: &Printer,
) -> Result<(), CliError> {
    let path = &printer.path;
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
            printer.handle(event, false, as_json, &mut entries);
        }
    }
}
