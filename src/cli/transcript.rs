//! `beadboard transcript RUN`: a run's transcript as text or JSON, once or followed, with the
//! run named any way people name it (see [`naming::resolve`]).

mod print;
mod session;
mod stream;

pub use print::entry_json;

use super::CliError;
use super::output::{Out, outln};
use crate::app::model::transcript::Format;
use crate::config::Roots;
use crate::persist::run::{
    self, MANIFEST_FILE, Paths, RunRecord, RunSummary, TRANSCRIPT_FILE, ToSummary,
};
use crate::present::{glyphs, naming, sanitize};
use print::Printer;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
                Some(problem) => CliError::failed(format!(
                    "no readable run {}: {problem}",
                    sanitize::one_line(spec.trim())
                )),
                None => {
                    CliError::not_found(format!("{e} (runs in {})", paths.runs_dir().display()))
                }
            })
        }
        // Not a name, too short a prefix, or one that names several runs: a bad value.
        Err(e) => Err(CliError::usage(e.to_string())),
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

/// How many entries `--follow` starts with, as `tail -f` does (unless `-n` says otherwise).
pub const FOLLOW_LAST: usize = 10;

/// What `transcript` is asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Keep printing what is appended.
    pub follow: bool,
    /// JSON: an array, or one entry per line while following.
    pub json: bool,
    /// Only the last N entries (`-n`).
    pub last: Option<usize>,
}

impl Options {
    /// How many entries from the end to start with: `-n`, else 10 when following, else all.
    #[must_use]
    pub fn last(&self) -> Option<usize> {
        self.last.or(self.follow.then_some(FOLLOW_LAST))
    }
}

/// `transcript RUN [--follow] [--json] [-n N]`: printed entry by entry, a window of the file
/// at a time, so memory does not grow with the transcript.
///
/// # Errors
/// No such run (exit 1), a bad name (exit 2), a file that cannot be read (exit 4), output
/// that cannot be written; a reader gone away is a quiet end.
pub fn transcript(
    out: &mut Out,
    roots: &Roots,
    spec: &str,
    options: Options,
    stale_after: std::time::Duration,
) -> Result<(), CliError> {
    let dir = match resolve_any(roots, spec, stale_after)? {
        Picked::Agentpair(dir) => dir,
        Picked::Session(run) => return session::print(out, &run, options),
    };
    let record = RunRecord::load(&dir).map_err(|e| CliError::failed(e.to_string()))?;
    let path = dir.join(TRANSCRIPT_FILE);
    let mut printer = Printer::new(
        options.json,
        options.follow,
        (naming::name(&record), naming::reference(&record)),
        &path.display().to_string(),
    );
    if printer.is_text() {
        print_header(out, &record)?;
    }
    let format = Format::Agentpair;
    let reached = stream::print_lines(out, &mut printer, &path, format, options.last())?;
    if !options.follow {
        stream::print_unterminated(out, &mut printer, &path, reached)?;
    }
    printer.finish(out)?;
    if options.follow {
        stream::follow(out, &mut printer, &path, format, reached)?;
    }
    Ok(())
}

fn print_header(out: &mut Out, record: &RunRecord) -> Result<(), CliError> {
    let m = &record.manifest;
    outln!(
        out,
        "run {} · {} {} · iteration {}/{} · {}",
        naming::name(record),
        glyphs::run_state(&m.state),
        sanitize::one_line(glyphs::word(m.state.as_str())),
        record.iteration(),
        m.max_iterations,
        sanitize::one_line(&m.repo_path)
    )?;
    outln!(out, "prompt: {}", sanitize::one_line(&m.prompt))?;
    outln!(out)
}
