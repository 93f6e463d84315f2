//! Opening many transcripts cheaply: each repo directory is opened once and its runs'
//! transcripts are opened relative to it, so twenty thousand files cost twenty thousand short
//! lookups, not full path walks.

use super::Target;
use crate::persist::run::TRANSCRIPT_FILE;
use crate::persist::session::SessionSource;
use rustix::fs::{Mode, OFlags};
use std::collections::HashMap;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A transcript to search.
pub(super) struct File {
    /// Which target it belongs to.
    pub target: usize,
    /// The repo directory, opened (`None`: open by full path).
    dir: Option<Arc<OwnedFd>>,
    /// `<run dir>/transcript.jsonl` relative to the repo directory.
    relative: PathBuf,
    run_dir: PathBuf,
    /// A session's file, opened by its full path.
    session: Option<PathBuf>,
    /// A session read whole instead of by lines (an OpenCode session, a compressed rollout,
    /// Gemini's legacy document).
    pub whole: Option<SessionSource>,
    /// How its lines decode.
    pub format: crate::search::LineFormat,
}

impl File {
    /// The transcript's path (a database session's key).
    pub fn path(&self) -> PathBuf {
        match (&self.session, &self.whole) {
            (Some(path), _) => path.clone(),
            (None, Some(source)) => source.key(),
            (None, None) => self.run_dir.join(TRANSCRIPT_FILE),
        }
    }

    /// An OpenCode session: its database and id (searched with the database's other
    /// sessions, in one read of it).
    pub fn database(&self) -> Option<(&Path, &str)> {
        match &self.whole {
            Some(SessionSource::Database { db, session }) => Some((db, session)),
            _ => None,
        }
    }

    /// Opens it for reading.
    pub fn open(&self) -> std::io::Result<std::fs::File> {
        let flags = OFlags::RDONLY | OFlags::CLOEXEC;
        let fd = match (&self.dir, &self.session) {
            (Some(dir), None) => rustix::fs::openat(&**dir, &self.relative, flags, Mode::empty())?,
            _ => rustix::fs::open(self.path(), flags, Mode::empty())?,
        };
        Ok(std::fs::File::from(fd))
    }
}

/// The OpenCode databases among `files`, each with its sessions (indexes into `files`, in
/// order).
pub(super) fn databases(files: &[File]) -> Vec<(PathBuf, Vec<usize>)> {
    let mut out: Vec<(PathBuf, Vec<usize>)> = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let Some((db, _)) = file.database() else {
            continue;
        };
        match out.iter_mut().find(|(d, _)| d == db) {
            Some((_, files)) => files.push(i),
            None => out.push((db.to_path_buf(), vec![i])),
        }
    }
    out
}

/// The transcripts of `targets`, in their order.
pub(super) fn plan(targets: &[Target]) -> Vec<File> {
    let mut dirs: HashMap<&Path, Option<Arc<OwnedFd>>> = HashMap::new();
    targets
        .iter()
        .enumerate()
        .map(|(target, t)| {
            if let Some((_, source)) = &t.session {
                let lines = t.session_lines().cloned();
                return File {
                    target,
                    dir: None,
                    relative: PathBuf::new(),
                    run_dir: t.run_dir.clone(),
                    whole: lines.is_none().then(|| source.clone()),
                    session: lines,
                    format: t.format(),
                };
            }
            let dir = t.run_dir.parent().and_then(|parent| {
                dirs.entry(parent)
                    .or_insert_with(|| {
                        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                        rustix::fs::open(parent, flags, Mode::empty())
                            .ok()
                            .map(Arc::new)
                    })
                    .clone()
            });
            let relative = t
                .run_dir
                .file_name()
                .map_or_else(PathBuf::new, |n| Path::new(n).join(TRANSCRIPT_FILE));
            File {
                target,
                dir: if relative.as_os_str().is_empty() {
                    None
                } else {
                    dir
                },
                relative,
                run_dir: t.run_dir.clone(),
                session: None,
                whole: None,
                format: t.format(),
            }
        })
        .collect()
}
