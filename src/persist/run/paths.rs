//! agentpair's directory layout (`config.Paths`) and repo ids.

use sha2::{Digest, Sha256};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The manifest's file name inside a run directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The transcript's file name inside a run directory.
pub const TRANSCRIPT_FILE: &str = "transcript.jsonl";
/// The bridge's file name inside a run directory.
pub const BRIDGE_FILE: &str = "bridge.jsonl";

/// Where agentpair keeps its data: `<base>/runs/<repo id>/<run id>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    base: PathBuf,
}

impl Paths {
    /// Paths under `base` (agentpair's default is `$HOME/.agentpair`).
    #[must_use]
    pub fn new(base: impl Into<PathBuf>) -> Paths {
        Paths { base: base.into() }
    }

    /// The base directory.
    #[must_use]
    pub fn base_dir(&self) -> &Path {
        &self.base
    }

    /// `<base>/runs`.
    #[must_use]
    pub fn runs_dir(&self) -> PathBuf {
        self.base.join("runs")
    }

    /// `<base>/runs/<repo id of repo_path>`.
    #[must_use]
    pub fn repo_dir(&self, repo_path: &str) -> PathBuf {
        self.runs_dir().join(repo_id_from_path(repo_path))
    }

    /// `<base>/runs/<repo id>/<run id>`.
    #[must_use]
    pub fn run_dir(&self, repo_path: &str, run_id: i64) -> PathBuf {
        self.repo_dir(repo_path).join(run_id.to_string())
    }

    /// The run's `manifest.json`.
    #[must_use]
    pub fn manifest_path(&self, repo_path: &str, run_id: i64) -> PathBuf {
        self.run_dir(repo_path, run_id).join(MANIFEST_FILE)
    }

    /// The run's `transcript.jsonl`.
    #[must_use]
    pub fn transcript_path(&self, repo_path: &str, run_id: i64) -> PathBuf {
        self.run_dir(repo_path, run_id).join(TRANSCRIPT_FILE)
    }

    /// The run's `bridge.jsonl`.
    #[must_use]
    pub fn bridge_path(&self, repo_path: &str, run_id: i64) -> PathBuf {
        self.run_dir(repo_path, run_id).join(BRIDGE_FILE)
    }
}

/// agentpair's repo id: the first 8 bytes of SHA-256 of the path string, as 16 lowercase hex
/// digits. No normalisation: `/a/b` and `/a/b/` differ.
#[must_use]
pub fn repo_id_from_path(repo_path: &str) -> String {
    let digest = Sha256::digest(repo_path.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The repo path agentpair would record for the current directory: Go's `os.Getwd`, which is
/// `$PWD` when that is absolute and names the same directory, else the physical path.
///
/// # Errors
/// When the current directory cannot be determined.
pub fn current_repo_path() -> io::Result<String> {
    let physical = std::env::current_dir()?;
    if let Some(pwd) = std::env::var_os("PWD").map(PathBuf::from)
        && pwd.is_absolute()
        && let (Ok(a), Ok(b)) = (std::fs::metadata(&pwd), std::fs::metadata(&physical))
        && a.dev() == b.dev()
        && a.ino() == b.ino()
    {
        return Ok(pwd.to_string_lossy().into_owned());
    }
    Ok(physical.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_ids_match_agentpair() {
        assert_eq!(
            repo_id_from_path("/home/dev/src/webapp"),
            "43d7567239bfd176"
        );
        assert_eq!(
            repo_id_from_path("/home/dev/src/webapp/"),
            "e388ca8cd2e313ff"
        );
        assert_eq!(repo_id_from_path("/home/dev/src/api"), "ea93126eefee3546");
        let p = Paths::new("/h/.agentpair");
        assert_eq!(
            p.transcript_path("/home/dev/src/webapp", 3),
            PathBuf::from("/h/.agentpair/runs/43d7567239bfd176/3/transcript.jsonl")
        );
    }
}
