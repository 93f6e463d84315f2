//! Where each agent keeps its sessions ([`SessionRoots`]), from the agents' own environment
//! variables and the home directory; beadboard's flags, variables and config file override or
//! switch off each source (see `crate::config`). [`SourceReport`] says, for `doctor` and the
//! empty Runs pane, which sources were found and where.

use super::{Agent, Listing};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The directories (and database) agent sessions are read from; `None` or empty: switched off
/// or not found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionRoots {
    /// Claude Code config directories (`$CLAUDE_CONFIG_DIR`, else `~/.claude` and
    /// `~/.config/claude`); sessions are under each one's `projects/`.
    pub claude: Vec<PathBuf>,
    /// Codex's home (`$CODEX_HOME`, else `~/.codex`); sessions under `sessions/`.
    pub codex: Option<PathBuf>,
    /// Gemini's directory (`$GEMINI_CLI_HOME/.gemini`, else `~/.gemini`); chats under
    /// `tmp/<slug>/chats/`.
    pub gemini: Option<PathBuf>,
    /// OpenCode's database (`$OPENCODE_DB`, else `$XDG_DATA_HOME/opencode/opencode.db`).
    pub opencode: Option<PathBuf>,
    /// Agents switched off by the user: their paths are kept (for reports) but not listed.
    pub disabled: Vec<Agent>,
}

/// What was found for one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReport {
    /// The agent.
    pub agent: Agent,
    /// Where it was looked for.
    pub path: PathBuf,
    /// Whether it exists.
    pub found: bool,
    /// Switched off by the user.
    pub disabled: bool,
    /// Sessions listed there (when it was listed).
    pub sessions: Option<usize>,
}

/// `$name` when it is set and not empty.
fn var(env: &impl Fn(&str) -> Option<OsString>, name: &str) -> Option<PathBuf> {
    env(name).filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// `$name` when it is an absolute path (the XDG base directory rule).
fn xdg(env: &impl Fn(&str) -> Option<OsString>, name: &str) -> Option<PathBuf> {
    var(env, name).filter(|p| p.is_absolute())
}

impl SessionRoots {
    /// Where each agent keeps its sessions, from the agents' own variables (read through
    /// `env`, so tests never touch the real environment) and `home`:
    ///
    /// - Claude: `$CLAUDE_CONFIG_DIR`, else `~/.claude` and `$XDG_CONFIG_HOME/claude`
    ///   (default `~/.config/claude`);
    /// - Codex: `$CODEX_HOME`, else `~/.codex`;
    /// - Gemini: `$GEMINI_CLI_HOME/.gemini` (that variable replaces the home), else `~/.gemini`;
    /// - OpenCode: `$OPENCODE_DB` (absolute, or a name under the data directory), else
    ///   `$XDG_DATA_HOME/opencode/opencode.db` (default `~/.local/share/opencode/opencode.db`).
    ///
    /// Nothing is checked on disk: [`SessionRoots::reports`] says what exists.
    #[must_use]
    pub fn discover(home: Option<&Path>, env: impl Fn(&str) -> Option<OsString>) -> SessionRoots {
        let home = home.filter(|h| !h.as_os_str().is_empty());
        let under = |rel: &str| home.map(|h| h.join(rel));
        let claude = match var(&env, "CLAUDE_CONFIG_DIR") {
            Some(dir) => vec![dir],
            None => {
                let xdg_config = xdg(&env, "XDG_CONFIG_HOME").or_else(|| under(".config"));
                under(".claude")
                    .into_iter()
                    .chain(xdg_config.map(|c| c.join("claude")))
                    .collect()
            }
        };
        let codex = var(&env, "CODEX_HOME").or_else(|| under(".codex"));
        let gemini = var(&env, "GEMINI_CLI_HOME")
            .map(|h| h.join(".gemini"))
            .or_else(|| under(".gemini"));
        let data = xdg(&env, "XDG_DATA_HOME")
            .or_else(|| under(".local/share"))
            .map(|d| d.join("opencode"));
        let opencode = match var(&env, "OPENCODE_DB") {
            Some(db) if db.is_absolute() => Some(db),
            Some(name) => data.map(|d| d.join(name)),
            None => data.map(|d| d.join("opencode.db")),
        };
        SessionRoots {
            claude,
            codex,
            gemini,
            opencode,
            disabled: Vec::new(),
        }
    }

    /// Switches an agent's sessions off (its paths stay, for [`SessionRoots::reports`]).
    pub fn disable(&mut self, agent: Agent) {
        if !self.disabled.contains(&agent) {
            self.disabled.push(agent);
        }
    }

    /// Whether an agent's sessions are listed.
    #[must_use]
    pub fn enabled(&self, agent: Agent) -> bool {
        !self.disabled.contains(&agent)
    }

    /// Every place looked at, agent by agent (one per Claude root), with whether it exists.
    #[must_use]
    pub fn reports(&self) -> Vec<SourceReport> {
        let mut out = Vec::new();
        let mut add = |agent: Agent, path: &Path, found: bool| {
            out.push(SourceReport {
                agent,
                path: path.to_path_buf(),
                found,
                disabled: !self.enabled(agent),
                sessions: None,
            });
        };
        for root in &self.claude {
            add(Agent::Claude, root, root.join("projects").is_dir());
        }
        if let Some(codex) = &self.codex {
            add(Agent::Codex, codex, codex.join("sessions").is_dir());
        }
        if let Some(gemini) = &self.gemini {
            add(Agent::Gemini, gemini, gemini.join("tmp").is_dir());
        }
        if let Some(db) = &self.opencode {
            add(Agent::OpenCode, db, db.is_file());
        }
        out
    }

    /// [`SessionRoots::reports`] with how many sessions `listing` found for each source.
    #[must_use]
    pub fn reports_with(&self, listing: &Listing) -> Vec<SourceReport> {
        let mut reports = self.reports();
        for r in &mut reports {
            if r.disabled || !r.found {
                continue;
            }
            let n = listing
                .sessions
                .iter()
                .filter(|s| s.agent == r.agent)
                .filter(|s| s.source.key().starts_with(&r.path))
                .count();
            r.sessions = Some(n);
        }
        reports
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            vars.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn defaults_come_from_home() {
        let r = SessionRoots::discover(Some(Path::new("/h")), env(&[]));
        let p = PathBuf::from;
        assert_eq!(r.claude, vec![p("/h/.claude"), p("/h/.config/claude")]);
        assert_eq!(r.codex, Some(p("/h/.codex")));
        assert_eq!(r.gemini, Some(p("/h/.gemini")));
        assert_eq!(r.opencode, Some(p("/h/.local/share/opencode/opencode.db")));
        assert_eq!(
            SessionRoots::discover(None, env(&[])),
            SessionRoots::default()
        );
    }

    #[test]
    fn the_agents_variables_win() {
        let r = SessionRoots::discover(
            Some(Path::new("/h")),
            env(&[
                ("CLAUDE_CONFIG_DIR", "/c"),
                ("CODEX_HOME", "/x"),
                ("GEMINI_CLI_HOME", "/g"),
                ("XDG_DATA_HOME", "/d"),
                ("OPENCODE_DB", "opencode-beta.db"),
                ("XDG_CONFIG_HOME", "relative"),
            ]),
        );
        let p = PathBuf::from;
        assert_eq!(r.claude, vec![p("/c")]);
        assert_eq!(r.codex, Some(p("/x")));
        assert_eq!(r.gemini, Some(p("/g/.gemini")));
        assert_eq!(r.opencode, Some(p("/d/opencode/opencode-beta.db")));
        let r = SessionRoots::discover(
            Some(Path::new("/h")),
            env(&[
                ("OPENCODE_DB", "/abs.db"),
                ("XDG_CONFIG_HOME", "rel"),
                ("CODEX_HOME", ""),
            ]),
        );
        assert_eq!(r.opencode, Some(p("/abs.db")));
        assert_eq!(
            r.claude[1],
            p("/h/.config/claude"),
            "a relative XDG path is ignored"
        );
        assert_eq!(r.codex, Some(p("/h/.codex")), "an empty variable is unset");
    }

    #[test]
    fn reports_say_what_exists_and_what_is_off() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".claude/projects")).unwrap();
        let mut r = SessionRoots::discover(Some(home.path()), |_| None);
        r.disable(Agent::Codex);
        let reports = r.reports();
        let get = |a: Agent| reports.iter().find(|r| r.agent == a).unwrap();
        assert!(get(Agent::Claude).found);
        assert!(!get(Agent::Gemini).found);
        assert!(get(Agent::Codex).disabled);
        assert_eq!(reports.len(), 5);
    }
}
