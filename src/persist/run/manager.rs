//! `run.Manager` and `run.Run`: creating runs (claiming ids safely), loading and listing them.

use super::{BRIDGE_FILE, MANIFEST_FILE, TRANSCRIPT_FILE, repo_id_from_path};
use super::{Bridge, Manifest, Paths, RunError, Transcript};
use std::fs::{self, DirBuilder};
use std::io;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

/// The settings a new run takes from agentpair's config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunConfig {
    /// `codex` (default) or `claude`.
    pub primary_agent: String,
    /// `claudex` (default), `claude` or `codex`.
    pub review_mode: String,
    /// Iteration limit (default 20).
    pub max_iterations: i64,
    /// Done signal (default `DONE`).
    pub done_signal: String,
    /// Proof command (default none).
    pub proof: String,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            primary_agent: "codex".to_owned(),
            review_mode: "claudex".to_owned(),
            max_iterations: 20,
            done_signal: "DONE".to_owned(),
            proof: String::new(),
        }
    }
}

/// Handles the runs of one repository, as agentpair's `Manager` does.
#[derive(Debug, Clone)]
pub struct Manager {
    paths: Paths,
    repo_path: String,
}

/// A run with its resources.
#[derive(Debug, Clone)]
pub struct Run {
    /// The manifest as loaded or created.
    pub manifest: Manifest,
    /// The run's transcript.
    pub transcript: Transcript,
    /// The run's bridge file.
    pub bridge: Bridge,
    dir: PathBuf,
}

impl Run {
    /// The run directory.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Saves the manifest (atomically; `updated_at` becomes now).
    ///
    /// # Errors
    /// Any I/O error; the file is then unchanged.
    pub fn save(&mut self) -> Result<(), RunError> {
        self.manifest.save(&self.dir.join(MANIFEST_FILE))
    }
}

impl Manager {
    /// `NewManager`: the runs of `repo_path` under `paths`.
    #[must_use]
    pub fn new(paths: Paths, repo_path: impl Into<String>) -> Manager {
        Manager {
            paths,
            repo_path: repo_path.into(),
        }
    }

    /// The repository path this manager serves.
    #[must_use]
    pub fn repo_path(&self) -> &str {
        &self.repo_path
    }

    /// `Create`: claims the next run id, writes the manifest (`submitted`) and an empty
    /// `bridge.jsonl`. Unlike agentpair, the id is claimed with a non-recursive `mkdir` that
    /// fails if the directory exists, retried, so two creators never share an id.
    ///
    /// # Errors
    /// Any I/O error creating the directories or files.
    pub fn create(&self, prompt: &str, config: &RunConfig) -> Result<Run, RunError> {
        let repo_dir = self.paths.repo_dir(&self.repo_path);
        DirBuilder::new()
            .recursive(true)
            .mode(0o755)
            .create(&repo_dir)
            .map_err(RunError::io(&repo_dir))?;
        let mut claimed = None;
        for _ in 0..1000 {
            let next = self.list()?.last().copied().unwrap_or(0) + 1;
            let dir = repo_dir.join(next.to_string());
            match DirBuilder::new().mode(0o755).create(&dir) {
                Ok(()) => {
                    claimed = Some((next, dir));
                    break;
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(RunError::Io {
                        path: dir,
                        source: e,
                    });
                }
            }
        }
        let Some((id, dir)) = claimed else {
            return Err(RunError::NoFreeRunId { path: repo_dir });
        };
        let mut manifest = Manifest::new(
            id,
            &self.repo_path,
            &repo_id_from_path(&self.repo_path),
            prompt,
        );
        manifest.primary_agent.clone_from(&config.primary_agent);
        manifest.review_mode.clone_from(&config.review_mode);
        manifest.max_iterations = config.max_iterations;
        manifest.done_signal.clone_from(&config.done_signal);
        manifest.proof_command.clone_from(&config.proof);
        manifest.save(&dir.join(MANIFEST_FILE))?;
        let bridge = Bridge::new(dir.join(BRIDGE_FILE), id);
        bridge.open()?;
        Ok(Run {
            manifest,
            transcript: Transcript::new(dir.join(TRANSCRIPT_FILE), id),
            bridge,
            dir,
        })
    }

    /// `Load`: loads run `id` of this repository.
    ///
    /// # Errors
    /// A missing or unreadable manifest.
    pub fn load(&self, id: i64) -> Result<Run, RunError> {
        let dir = self.paths.run_dir(&self.repo_path, id);
        let manifest = Manifest::load(&dir.join(MANIFEST_FILE))?;
        Ok(Run {
            transcript: Transcript::new(dir.join(TRANSCRIPT_FILE), id),
            bridge: Bridge::new(dir.join(BRIDGE_FILE), id),
            manifest,
            dir,
        })
    }

    /// `List`: the run ids of this repository (subdirectories whose names parse as integers,
    /// as Go's `strconv.Atoi` reads them), ascending. A missing repo directory is no runs.
    ///
    /// # Errors
    /// An unreadable repo directory.
    pub fn list(&self) -> Result<Vec<i64>, RunError> {
        let repo_dir = self.paths.repo_dir(&self.repo_path);
        let entries = match fs::read_dir(&repo_dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(RunError::Io {
                    path: repo_dir,
                    source: e,
                });
            }
        };
        let mut ids: Vec<i64> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<i64>().ok()))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// `ListActive`: manifests of runs not yet completed, failed or cancelled; unreadable
    /// manifests are skipped, as upstream does.
    ///
    /// # Errors
    /// An unreadable repo directory.
    pub fn list_active(&self) -> Result<Vec<Manifest>, RunError> {
        Ok(self
            .list()?
            .into_iter()
            .filter_map(|id| Manifest::load(&self.paths.manifest_path(&self.repo_path, id)).ok())
            .filter(|m| !m.is_complete())
            .collect())
    }

    /// `FindBySessionID`: the run whose Claude or Codex session id is `session_id`.
    ///
    /// # Errors
    /// [`RunError::SessionNotFound`] when none matches.
    pub fn find_by_session_id(&self, session_id: &str) -> Result<Run, RunError> {
        for id in self.list()? {
            let Ok(m) = Manifest::load(&self.paths.manifest_path(&self.repo_path, id)) else {
                continue;
            };
            if m.claude_session_id == session_id || m.codex_session_id == session_id {
                return self.load(id);
            }
        }
        Err(RunError::SessionNotFound(session_id.to_owned()))
    }
}

/// `ListAllRepos`: the repo-id directories under `<base>/runs` (none when it is missing).
///
/// # Errors
/// An unreadable runs directory.
pub fn list_all_repos(paths: &Paths) -> Result<Vec<String>, RunError> {
    let runs = paths.runs_dir();
    let entries = match fs::read_dir(&runs) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(RunError::Io {
                path: runs,
                source: e,
            });
        }
    };
    let mut repos: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    repos.sort();
    Ok(repos)
}

/// `LoadManifestByPath`: the manifest inside a run directory.
///
/// # Errors
/// A missing, unreadable or invalid manifest.
pub fn load_manifest_by_path(run_dir: &Path) -> Result<Manifest, RunError> {
    Manifest::load(&run_dir.join(MANIFEST_FILE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::run::State;

    #[test]
    fn create_list_load_find() {
        let home = tempfile::tempdir().unwrap();
        let paths = Paths::new(home.path());
        let m = Manager::new(paths.clone(), "/home/dev/src/webapp");
        assert!(m.list().unwrap().is_empty());
        let mut first = m.create("one", &RunConfig::default()).unwrap();
        let second = m
            .create(
                "two",
                &RunConfig {
                    proof: "make".into(),
                    ..RunConfig::default()
                },
            )
            .unwrap();
        assert_eq!((first.manifest.id, second.manifest.id), (1, 2));
        assert_eq!(second.manifest.proof_command, "make");
        assert_eq!(fs::read(second.dir().join(BRIDGE_FILE)).unwrap(), b"");
        assert!(!second.dir().join(TRANSCRIPT_FILE).exists());
        fs::create_dir(paths.repo_dir("/home/dev/src/webapp").join("007")).unwrap();
        fs::create_dir(paths.repo_dir("/home/dev/src/webapp").join("notes")).unwrap();
        assert_eq!(m.list().unwrap(), vec![1, 2, 7]);
        assert_eq!(
            m.create("three", &RunConfig::default())
                .unwrap()
                .manifest
                .id,
            8
        );
        first.manifest.codex_session_id = "sess-1".into();
        first.manifest.set_state(State::Completed);
        first.save().unwrap();
        assert_eq!(
            m.find_by_session_id("sess-1").unwrap().manifest.prompt,
            "one"
        );
        assert!(matches!(
            m.find_by_session_id("nope"),
            Err(RunError::SessionNotFound(_))
        ));
        assert_eq!(
            m.list_active()
                .unwrap()
                .iter()
                .map(|m| m.id)
                .collect::<Vec<_>>(),
            vec![2, 8]
        );
        assert_eq!(
            list_all_repos(&paths).unwrap(),
            vec!["43d7567239bfd176".to_owned()]
        );
        assert_eq!(load_manifest_by_path(second.dir()).unwrap().prompt, "two");
    }

    #[test]
    fn concurrent_creators_never_share_an_id() {
        let home = tempfile::tempdir().unwrap();
        let paths = Paths::new(home.path());
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let m = Manager::new(paths.clone(), "/repo");
                std::thread::spawn(move || {
                    (0..5)
                        .map(|_| m.create("p", &RunConfig::default()).unwrap().manifest.id)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut ids: Vec<i64> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        ids.sort_unstable();
        assert_eq!(ids, (1..=40).collect::<Vec<_>>());
    }
}
