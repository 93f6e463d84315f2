//! Listing Claude sessions: `projects/<encoded cwd>/*.jsonl` in every Claude root, each project
//! directory on its own thread, stat only. The older sibling sub-agent files
//! (`agent-*.jsonl`) are not sessions; the side directories (`<session id>/`) are skipped.

use super::super::listing::dir::{self, Problem};
use super::super::{Agent, SessionFile, SessionSource};
use std::path::{Path, PathBuf};

/// Whether a file in a project directory is a session transcript.
fn is_session(name: &str) -> bool {
    name.ends_with(".jsonl") && !name.starts_with("agent-")
}

/// The session a file at `path` (directly in a project directory of one of `roots`) is, as
/// [`list`] would list it, or `None` when it is none (a sub-agent's file, another file).
pub(crate) fn one(roots: &[PathBuf], path: &Path) -> Option<SessionFile> {
    let project = path.parent()?;
    let name = path.file_name()?.to_str()?;
    let listed = roots
        .iter()
        .any(|root| project.parent() == Some(root.join("projects").as_path()));
    (listed && is_session(name)).then(|| SessionFile {
        agent: Agent::Claude,
        id_hint: name.strip_suffix(".jsonl").map(str::to_owned),
        source: SessionSource::Lines(path.to_path_buf()),
        stamp: dir::stamp(path),
    })
}

/// Every session under `roots` (each root's `projects/`; a root seen twice through a link is
/// listed once).
pub(crate) fn list(roots: &[PathBuf]) -> (Vec<SessionFile>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    let mut projects = Vec::new();
    for root in roots {
        let dir = root.join("projects");
        let Ok(meta) = std::fs::metadata(&dir) else {
            continue;
        };
        let key = (
            std::os::unix::fs::MetadataExt::dev(&meta),
            std::os::unix::fs::MetadataExt::ino(&meta),
        );
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let (found, mut p) = dir::read(&dir, |_| false);
        problems.append(&mut p);
        projects.extend(dir::dirs(&found).map(|f| f.path.clone()));
    }
    let (sessions, mut more) = dir::each(&projects, |project| {
        let (found, problems) = dir::read(project, is_session);
        let sessions: Vec<SessionFile> = dir::files(&found)
            .map(|(f, stamp)| SessionFile {
                agent: Agent::Claude,
                id_hint: f.name.strip_suffix(".jsonl").map(str::to_owned),
                source: SessionSource::Lines(f.path.clone()),
                stamp: Some(stamp),
            })
            .collect();
        (sessions, problems)
    });
    problems.append(&mut more);
    (sessions, problems)
}
