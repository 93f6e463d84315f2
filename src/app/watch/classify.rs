//! The classifier: which changed path means which [`Change`] (a run's manifest or transcript,
//! a store, the beads file, an agent session), and which paths the watch covers.

use super::AgentDirs;
use crate::app::event::Change;
use crate::persist::assignment::{BACKUP_SUFFIX, HISTORY_FILE, STORE_FILE};
use crate::persist::run::{BRIDGE_FILE, MANIFEST_FILE, TRANSCRIPT_FILE};
use notify::RecursiveMode;
use std::path::{Component, Path, PathBuf};

/// Maps changed paths to what needs reloading.
#[derive(Debug, Clone)]
pub struct Classifier {
    agentpair: PathBuf,
    runs: PathBuf,
    ntm: PathBuf,
    sessions: PathBuf,
    beads: Option<PathBuf>,
    /// Only the runs directory, its repo directories and listed run directories are watched
    /// (see [`Classifier::with_listed_runs`]); otherwise the whole agentpair root.
    listed_runs: bool,
    /// Where agent sessions are.
    agents: AgentDirs,
}

/// The path made absolute without resolving symbolic links, so changed paths are reported
/// under the roots exactly as the rest of the program names them.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn parts(path: &Path, base: &Path) -> Option<Vec<String>> {
    let rest = path.strip_prefix(base).ok()?;
    Some(
        rest.components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect(),
    )
}

impl Classifier {
    /// A classifier for the two roots.
    #[must_use]
    pub fn new(agentpair: &Path, ntm: &Path) -> Classifier {
        let (agentpair, ntm) = (absolute(agentpair), absolute(ntm));
        Classifier {
            runs: agentpair.join("runs"),
            sessions: ntm.join("sessions"),
            agentpair,
            ntm,
            beads: None,
            listed_runs: false,
            agents: AgentDirs::default(),
        }
    }

    /// Also watches the agent sessions under `roots`.
    #[must_use]
    pub fn with_agents(mut self, roots: &crate::persist::session::SessionRoots) -> Classifier {
        self.agents = AgentDirs::of(roots);
        self
    }

    /// Watches the agentpair root's runs directory and repo directories only, not every run
    /// directory under them: runs appearing and vanishing raise events, and the run
    /// directories the dashboard asks for ([`Watch::watch_runs`]) are watched one by one.
    #[must_use]
    pub fn with_listed_runs(mut self) -> Classifier {
        self.listed_runs = true;
        self
    }

    /// Also reports changes to a beads `issues.jsonl`.
    #[must_use]
    pub fn with_beads(mut self, beads: Option<&Path>) -> Classifier {
        self.beads = beads.map(absolute);
        self
    }

    /// What a change at `path` means, if anything.
    #[must_use]
    pub fn classify(&self, path: &Path) -> Option<Change> {
        if self.beads.as_deref() == Some(path) {
            return Some(Change::Beads);
        }
        if let Some(change) = self.agents.classify(path) {
            return Some(change);
        }
        if let Some(p) = parts(path, &self.runs) {
            return match p.as_slice() {
                [] | [_] => Some(Change::Runs),
                [repo, run] => Some(Change::Run(self.runs.join(repo).join(run))),
                [repo, run, file] => {
                    let dir = self.runs.join(repo).join(run);
                    match file.as_str() {
                        MANIFEST_FILE => Some(Change::Run(dir)),
                        TRANSCRIPT_FILE => Some(Change::Transcript(dir)),
                        BRIDGE_FILE => Some(Change::RunActivity(dir)),
                        _ => None,
                    }
                }
                _ => None,
            };
        }
        if let Some(p) = parts(path, &self.sessions) {
            return match p.as_slice() {
                [] | [_] => Some(Change::Sessions),
                [session, file]
                    if file == STORE_FILE || *file == format!("{STORE_FILE}{BACKUP_SUFFIX}") =>
                {
                    Some(Change::Store(session.clone()))
                }
                [session, file] if file == HISTORY_FILE => Some(Change::History(session.clone())),
                _ => None,
            };
        }
        let is_root = |root: &Path| path == root || root.starts_with(path);
        (is_root(&self.agentpair) || is_root(&self.ntm)).then_some(Change::Roots)
    }

    /// The directories to watch: each root if it exists (recursively), else its nearest
    /// existing ancestor (not recursively), to notice the root appearing.
    #[must_use]
    pub fn targets(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut out = Vec::new();
        for root in [&self.agentpair, &self.ntm] {
            if root.is_dir() && self.listed_runs && *root == self.agentpair {
                out.push((root.clone(), RecursiveMode::NonRecursive));
                if self.runs.is_dir() {
                    out.push((self.runs.clone(), RecursiveMode::NonRecursive));
                    let repos = std::fs::read_dir(&self.runs)
                        .into_iter()
                        .flatten()
                        .flatten();
                    let mut dirs: Vec<PathBuf> = repos
                        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                        .map(|e| e.path())
                        .collect();
                    dirs.sort();
                    out.extend(dirs.into_iter().map(|d| (d, RecursiveMode::NonRecursive)));
                }
            } else if root.is_dir() {
                out.push((root.clone(), RecursiveMode::Recursive));
            } else if let Some(parent) = root.ancestors().skip(1).find(|a| a.is_dir()) {
                out.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
            }
        }
        if let Some(dir) = self.beads.as_deref().and_then(Path::parent)
            && dir.is_dir()
            && !out
                .iter()
                .any(|(root, mode)| *mode == RecursiveMode::Recursive && dir.starts_with(root))
        {
            out.push((dir.to_path_buf(), RecursiveMode::NonRecursive));
        }
        for dir in self.agents.targets() {
            let covered = out
                .iter()
                .any(|(root, mode)| *mode == RecursiveMode::Recursive && dir.starts_with(root));
            if !covered {
                out.push((dir, RecursiveMode::NonRecursive));
            }
        }
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }
}
