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

/// A transcript to search: its target (borrowed, not copied) and its repo directory.
pub(super) struct File<'a> {
    /// Which target it belongs to.
    pub target: usize,
    /// That target.
    of: &'a Target,
    /// The repo directory, opened (`None`: open by full path).
    dir: Option<Arc<OwnedFd>>,
}

impl File<'_> {
    /// A session's file searched by lines (`None`: an agentpair run, or a session read whole).
    fn session(&self) -> Option<&Path> {
        self.of.session_lines()
    }

    /// A session not searched by lines (an OpenCode session, Gemini's legacy document).
    pub fn whole(&self) -> Option<&SessionSource> {
        match self.of.session() {
            Some((_, source)) if self.session().is_none() => Some(source),
            _ => None,
        }
    }

    /// Its lines are compressed (a `.jsonl.zst` rollout): searched as they decompress.
    pub fn compressed(&self) -> bool {
        self.session()
            .is_some_and(|p| p.extension().is_some_and(|e| e == "zst"))
    }

    /// How its lines decode.
    pub fn format(&self) -> crate::search::LineFormat {
        self.of.format()
    }

    /// The transcript's path (a database session's key).
    pub fn path(&self) -> PathBuf {
        match (self.session(), self.whole()) {
            (Some(path), _) => path.to_path_buf(),
            (None, Some(source)) => source.key(),
            (None, None) => self.of.run_dir().join(TRANSCRIPT_FILE),
        }
    }

    /// An OpenCode session: its database and id (searched with the database's other
    /// sessions, in one read of it).
    pub fn database(&self) -> Option<(&Path, &str)> {
        match self.whole() {
            Some(SessionSource::Database { db, session }) => Some((db, session)),
            _ => None,
        }
    }

    /// Opens it for reading.
    pub fn open(&self) -> std::io::Result<std::fs::File> {
        let flags = OFlags::RDONLY | OFlags::CLOEXEC;
        let fd = match (&self.dir, self.of.run_dir().file_name()) {
            (Some(dir), Some(name)) if self.of.session().is_none() => {
                let relative = Path::new(name).join(TRANSCRIPT_FILE);
                rustix::fs::openat(&**dir, &relative, flags, Mode::empty())?
            }
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
pub(super) fn plan(targets: &[Target]) -> Vec<File<'_>> {
    let mut dirs: HashMap<&Path, Option<Arc<OwnedFd>>> = HashMap::new();
    targets
        .iter()
        .enumerate()
        .map(|(target, t)| {
            let parent = t.run_dir().parent();
            let dir = match parent {
                Some(parent) if t.session().is_none() && t.run_dir().file_name().is_some() => dirs
                    .entry(parent)
                    .or_insert_with(|| {
                        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                        rustix::fs::open(parent, flags, Mode::empty())
                            .ok()
                            .map(Arc::new)
                    })
                    .clone(),
                _ => None,
            };
            File { target, of: t, dir }
        })
        .collect()
}
