//! Where agent sessions are read from: each agent's own default (its environment variables,
//! then its directory under home), pointed elsewhere or switched off the same three ways as
//! the other roots: a flag (`--claude-dir DIR`, `--claude=off`), an environment variable
//! (`BEADBOARD_CLAUDE_DIR`, `BEADBOARD_CLAUDE=off`), or the config file (`claude_dir = "…"`,
//! `[sources] claude = false`), flags first.

use super::{Agent, BTreeMap, Path, PathBuf, SessionRoots, expand_home};

/// The choices made for the session sources by one layer (flags and variables, or the file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceChoices {
    /// Where an agent's sessions are: Claude's config directory, Codex's home, Gemini's
    /// `.gemini` directory, OpenCode's database file.
    pub dir: BTreeMap<Agent, PathBuf>,
    /// An agent's sessions switched on (`true`) or off.
    pub on: BTreeMap<Agent, bool>,
}

impl SourceChoices {
    /// Choices from each agent's directory and switch, in [`Agent::ALL`]'s order.
    #[must_use]
    pub fn of(dirs: [Option<PathBuf>; 4], on: [Option<bool>; 4]) -> SourceChoices {
        SourceChoices {
            dir: Agent::ALL
                .into_iter()
                .zip(dirs)
                .filter_map(|(a, d)| d.map(|d| (a, d)))
                .collect(),
            on: Agent::ALL
                .into_iter()
                .zip(on)
                .filter_map(|(a, o)| o.map(|o| (a, o)))
                .collect(),
        }
    }

    /// The session roots: `defaults` (the agents' own), with `self` (flags and variables)
    /// over `configured` (the file) over them; `~/` expanded with `home`, relative paths made
    /// absolute.
    #[must_use]
    pub fn resolve(
        &self,
        configured: &SourceChoices,
        mut defaults: SessionRoots,
        home: Option<&Path>,
    ) -> SessionRoots {
        let absolute = |p: &PathBuf| {
            let p = expand_home(p, home);
            std::path::absolute(&p).unwrap_or(p)
        };
        for agent in Agent::ALL {
            if let Some(dir) = self.dir.get(&agent).or_else(|| configured.dir.get(&agent)) {
                let dir = absolute(dir);
                match agent {
                    Agent::Claude => defaults.claude = vec![dir],
                    Agent::Codex => defaults.codex = Some(dir),
                    Agent::Gemini => defaults.gemini = Some(dir),
                    Agent::OpenCode => defaults.opencode = Some(dir),
                }
            }
            let on = self.on.get(&agent).or_else(|| configured.on.get(&agent));
            if on == Some(&false) {
                crate::app::work::formats::disable(&mut defaults, agent);
            }
        }
        defaults
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_the_file_beats_the_agents_defaults() {
        let defaults = SessionRoots {
            claude: vec!["/h/.claude".into(), "/h/.config/claude".into()],
            codex: Some("/h/.codex".into()),
            gemini: Some("/h/.gemini".into()),
            opencode: Some("/h/.local/share/opencode/opencode.db".into()),
            ..SessionRoots::default()
        };
        let flags = SourceChoices {
            dir: [(Agent::Claude, PathBuf::from("/flag/claude"))].into(),
            on: [(Agent::Gemini, true)].into(),
        };
        let file = SourceChoices {
            dir: [
                (Agent::Claude, PathBuf::from("/file/claude")),
                (Agent::Codex, PathBuf::from("~/codex")),
            ]
            .into(),
            on: [(Agent::Gemini, false), (Agent::OpenCode, false)].into(),
        };
        let roots = flags.resolve(&file, defaults, Some(Path::new("/h")));
        assert_eq!(roots.claude, vec![PathBuf::from("/flag/claude")]);
        assert_eq!(roots.codex, Some(PathBuf::from("/h/codex")));
        assert_eq!(
            roots.gemini,
            Some(PathBuf::from("/h/.gemini")),
            "the flag wins"
        );
    }
}
