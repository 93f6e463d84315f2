//! Opening many transcripts cheaply: each repo directory is opened once and its runs'
//! transcripts are opened relative to it, so twenty thousand files cost twenty thousand short
//! lookups, not full path walks. The plan holds only the repo directories (a few dozen): each
//! transcript's [`File`] is made when it is searched, not kept for the search's length (26,000
//! of them cost 0.6 MB, in an arena of the search's own thread).

use super::Target;
use crate::persist::run::TRANSCRIPT_FILE;
use crate::persist::session::SessionSource;
use rustix::fs::{Mode, OFlags};
use std::collections::HashMap;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

/// A transcript to search: its target (borrowed, not copied) and its repo directory.
pub(super) struct File<'a> {
    /// Which target it belongs to.
    pub target: usize,
    /// That target.
    of: &'a Target,
    /// The repo directory, opened (`None`: open by full path).
    dir: Option<&'a OwnedFd>,
}

impl<'a> File<'a> {
    /// A session's file searched by lines (`None`: an agentpair run, or a session read whole).
    fn session(&self) -> Option<&'a Path> {
        self.of.session_lines()
    }

    /// A session not searched by lines (an OpenCode session, Gemini's legacy document).
    pub fn whole(&self) -> Option<&'a SessionSource> {
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
    pub fn database(&self) -> Option<(&'a Path, &'a str)> {
        match self.whole() {
            Some(SessionSource::Database { db, session }) => Some((db, session)),
            _ => None,
        }
    }

    /// Opens it for reading.
    pub fn open(&self) -> std::io::Result<std::fs::File> {
        let flags = OFlags::RDONLY | OFlags::CLOEXEC;
        let fd = match (self.dir, self.of.run_dir().file_name()) {
            (Some(dir), Some(name)) if self.of.session().is_none() => {
                let relative = Path::new(name).join(TRANSCRIPT_FILE);
                rustix::fs::openat(dir, &relative, flags, Mode::empty())?
            }
            _ => rustix::fs::open(self.path(), flags, Mode::empty())?,
        };
        Ok(std::fs::File::from(fd))
    }
}

/// The transcripts of some targets, in their order: each repo directory opened once.
pub(super) struct Plan<'a> {
    targets: &'a [Target],
    /// Each agentpair run's repo directory, opened (`None`: it could not be).
    dirs: HashMap<&'a Path, Option<OwnedFd>>,
}

impl<'a> Plan<'a> {
    /// The plan of `targets`: their repo directories opened.
    pub fn new(targets: &'a [Target]) -> Plan<'a> {
        let mut dirs: HashMap<&Path, Option<OwnedFd>> = HashMap::new();
        for t in targets {
            if let Some(parent) = repo_dir(t) {
                dirs.entry(parent).or_insert_with(|| {
                    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                    rustix::fs::open(parent, flags, Mode::empty()).ok()
                });
            }
        }
        Plan { targets, dirs }
    }

    /// How many transcripts.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// The transcript of target `target` (`None` past the end).
    pub fn file(&self, target: usize) -> Option<File<'_>> {
        let of = self.targets.get(target)?;
        let dir = repo_dir(of).and_then(|d| self.dirs.get(d)?.as_ref());
        Some(File { target, of, dir })
    }

    /// The transcripts from `from` up to `to`, in order.
    pub fn files(&self, from: usize, to: usize) -> impl Iterator<Item = File<'_>> {
        (from..to.min(self.len())).filter_map(|i| self.file(i))
    }

    /// The OpenCode databases among the transcripts, each with its sessions (target indexes,
    /// in order).
    pub fn databases(&self) -> Vec<(PathBuf, Vec<usize>)> {
        let mut out: Vec<(PathBuf, Vec<usize>)> = Vec::new();
        for file in self.files(0, self.len()) {
            let Some((db, _)) = file.database() else {
                continue;
            };
            match out.iter_mut().find(|(d, _)| d == db) {
                Some((_, files)) => files.push(file.target),
                None => out.push((db.to_path_buf(), vec![file.target])),
            }
        }
        out
    }
}

/// The repo directory an agentpair run's transcript is opened relative to (`None`: a
/// session, opened by its full path).
fn repo_dir(t: &Target) -> Option<&Path> {
    if t.session().is_some() || t.run_dir().file_name().is_none() {
        return None;
    }
    t.run_dir().parent()
}
