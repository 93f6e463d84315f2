//! Where the data lives and how beadboard is set up: command-line flags, then environment
//! variables, then the config file (`$XDG_CONFIG_HOME/beadboard/config.toml`), then defaults.

mod file;
mod resolve;

pub use file::{ConfigError, FileConfig, KeyList, SourcesConfig, ThemeConfig, default_config_path};
pub use resolve::{DEFAULT_STALE_AFTER, Overrides, Resolved, resolve};

use crate::persist::session::{Agent, SessionRoots};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod sources;

pub use sources::SourceChoices;

/// The data roots beadboard reads (and, for stores and closing runs, writes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roots {
    /// agentpair's base directory (runs are under `runs/`).
    pub agentpair: PathBuf,
    /// NTM's directory (stores are under `sessions/`).
    pub ntm: PathBuf,
    /// A beads `issues.jsonl`, when one is configured or found.
    pub beads: Option<PathBuf>,
    /// Where agent sessions are read from (Claude Code, Codex, Gemini, OpenCode), and which
    /// sources are switched off. Read-only, always.
    pub agents: SessionRoots,
}

/// Roots given explicitly (flag or environment variable, already merged by the CLI parser),
/// or from the config file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RootChoices {
    /// `--agentpair-dir` / `BEADBOARD_AGENTPAIR_DIR`.
    pub agentpair: Option<PathBuf>,
    /// `--ntm-dir` / `BEADBOARD_NTM_DIR`.
    pub ntm: Option<PathBuf>,
    /// `--beads` / `BEADBOARD_BEADS`.
    pub beads: Option<PathBuf>,
}

/// Why the roots could not be determined.
#[derive(Debug, thiserror::Error)]
pub enum RootsError {
    /// No flag, variable or config value, and no home directory to default to.
    #[error("cannot find the {what} directory: $HOME is not set; pass --{flag} or set {var}")]
    NoHome {
        /// Which root.
        what: &'static str,
        /// Its flag.
        flag: &'static str,
        /// Its environment variable.
        var: &'static str,
    },
}

/// Expands a leading `~/` with `home`.
#[must_use]
pub fn expand_home(path: &Path, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

/// The home directory from `$HOME`, if set and non-empty.
#[must_use]
pub fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// Where caches live: `$BEADBOARD_CACHE_DIR`, else `$XDG_CACHE_HOME/beadboard`, else
/// `~/.cache/beadboard` (`None` without a home). Deleting it only costs time.
#[must_use]
pub fn cache_dir() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).map(PathBuf::from);
    crate::persist::run::cache::default_cache_dir(
        var("BEADBOARD_CACHE_DIR").as_deref(),
        var("XDG_CACHE_HOME").as_deref(),
        home_dir().as_deref(),
    )
}

/// Where beadboard keeps state worth keeping (the journal of moves made for other machines):
/// `$XDG_STATE_HOME/beadboard`, else `~/.local/state/beadboard` (`None` without either).
#[must_use]
pub fn state_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_STATE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| home_dir().map(|h| h.join(".local/state")))
        .map(|d| d.join("beadboard"))
}

impl Roots {
    /// Resolves the roots: `explicit` (flags/env) first, then `configured` (config file), then
    /// `$HOME/.agentpair` and `$HOME/.ntm`; the beads file defaults to `.beads/issues.jsonl` in
    /// the current directory when that file exists.
    ///
    /// # Errors
    /// [`RootsError::NoHome`] when a root has no value and there is no home directory.
    pub fn resolve(
        explicit: &RootChoices,
        configured: &RootChoices,
        home: Option<&Path>,
        cwd: &Path,
    ) -> Result<Roots, RootsError> {
        let pick = |a: &Option<PathBuf>, b: &Option<PathBuf>| {
            a.clone()
                .or_else(|| b.clone())
                .map(|p| expand_home(&p, home))
        };
        let agentpair = match pick(&explicit.agentpair, &configured.agentpair) {
            Some(p) => p,
            None => home
                .map(|h| h.join(".agentpair"))
                .ok_or(RootsError::NoHome {
                    what: "agentpair",
                    flag: "agentpair-dir",
                    var: "BEADBOARD_AGENTPAIR_DIR",
                })?,
        };
        let ntm = match pick(&explicit.ntm, &configured.ntm) {
            Some(p) => p,
            None => home.map(|h| h.join(".ntm")).ok_or(RootsError::NoHome {
                what: "NTM",
                flag: "ntm-dir",
                var: "BEADBOARD_NTM_DIR",
            })?,
        };
        let beads = pick(&explicit.beads, &configured.beads).or_else(|| {
            let found = cwd.join(".beads").join("issues.jsonl");
            found.is_file().then_some(found)
        });
        // Absolute (relative to the current directory) but not canonical: a root reached through
        // a symbolic link keeps the name it was given everywhere, watcher included.
        let absolute = |p: PathBuf| std::path::absolute(&p).unwrap_or(p);
        Ok(Roots {
            agentpair: absolute(agentpair),
            ntm: absolute(ntm),
            beads: beads.map(absolute),
            agents: SessionRoots::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_defaults() {
        let home = Path::new("/h");
        let cwd = Path::new("/nowhere");
        let explicit = RootChoices {
            agentpair: Some("/flag".into()),
            ..RootChoices::default()
        };
        let configured = RootChoices {
            agentpair: Some("/conf".into()),
            ntm: Some("~/ntm".into()),
            beads: None,
        };
        let roots = Roots::resolve(&explicit, &configured, Some(home), cwd).unwrap();
        assert_eq!(roots.agentpair, PathBuf::from("/flag"));
        assert_eq!(roots.ntm, PathBuf::from("/h/ntm"));
        assert_eq!(roots.beads, None);
        let defaults = Roots::resolve(
            &RootChoices::default(),
            &RootChoices::default(),
            Some(home),
            cwd,
        )
        .unwrap();
        assert_eq!(
            (defaults.agentpair, defaults.ntm),
            (PathBuf::from("/h/.agentpair"), PathBuf::from("/h/.ntm"))
        );
        let err = Roots::resolve(&RootChoices::default(), &RootChoices::default(), None, cwd)
            .unwrap_err();
        assert!(err.to_string().contains("--agentpair-dir"));
    }
}
