//! The optional config file: TOML at `$XDG_CONFIG_HOME/beadboard/config.toml` (else
//! `~/.config/beadboard/config.toml`), or the file given with `--config`/`BEADBOARD_CONFIG`.
//! Unknown settings are errors, so a typo never goes unnoticed. `assets/config.toml` documents
//! every option.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One key or several, as the `[keys]` table accepts them (`follow = "F"` or `["F", "End"]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    /// A single key.
    One(String),
    /// Several keys.
    Many(Vec<String>),
}

impl KeyList {
    /// The keys as a list.
    #[must_use]
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            KeyList::One(k) => vec![k.clone()],
            KeyList::Many(v) => v.clone(),
        }
    }
}

/// `[theme]`: colour names (`red`, `lightblue`, `#ff8800`, or a 0–255 palette index).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    /// Focus and titles.
    pub accent: Option<String>,
    /// Success, PASS, completed.
    pub good: Option<String>,
    /// Warnings, stale, assigned.
    pub warn: Option<String>,
    /// Errors, FAIL, failed.
    pub bad: Option<String>,
    /// Working, information.
    pub info: Option<String>,
    /// Secondary text.
    pub muted: Option<String>,
}

/// `[sources]`: agent session sources switched on (`true`, the default) or off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesConfig {
    /// Claude Code sessions.
    pub claude: Option<bool>,
    /// Codex CLI sessions.
    pub codex: Option<bool>,
    /// Gemini CLI sessions.
    pub gemini: Option<bool>,
    /// OpenCode sessions.
    pub opencode: Option<bool>,
}

/// The file's settings; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// agentpair's data directory.
    pub agentpair_dir: Option<PathBuf>,
    /// NTM's data directory.
    pub ntm_dir: Option<PathBuf>,
    /// A beads `issues.jsonl`.
    pub beads: Option<PathBuf>,
    /// Claude Code's config directory (sessions under `projects/`).
    pub claude_dir: Option<PathBuf>,
    /// Codex's home (sessions under `sessions/`).
    pub codex_dir: Option<PathBuf>,
    /// Gemini's `.gemini` directory (chats under `tmp/<project>/chats/`).
    pub gemini_dir: Option<PathBuf>,
    /// OpenCode's database file.
    pub opencode_db: Option<PathBuf>,
    /// Agent session sources switched on or off.
    #[serde(default)]
    pub sources: SourcesConfig,
    /// How long a non-terminal run may be quiet before it is stale (`10m`).
    pub stale_after: Option<String>,
    /// Poll for changes instead of using file events.
    pub poll: Option<bool>,
    /// Let the mouse select, scroll and click keys (on unless `false`).
    pub mouse: Option<bool>,
    /// Ask `y`/`n` before a move the transition table cannot reverse (on unless `false`).
    pub confirm_moves: Option<bool>,
    /// How long a bead may stay assigned but not started before it needs attention (`10m`).
    pub unstarted_after: Option<String>,
    /// How long a failure, a stale run or a waiting bead counts as needing attention (`24h`);
    /// older, it is history: shown, not counted.
    pub attention_window: Option<String>,
    /// How many review FAILs in a row a run may iterate on before it needs attention (3).
    pub fail_streak: Option<u32>,
    /// Colours.
    #[serde(default)]
    pub theme: ThemeConfig,
    /// Key overrides: action name → key or keys.
    #[serde(default)]
    pub keys: BTreeMap<String, KeyList>,
    /// Notifications (bell, desktop, hook).
    #[serde(default)]
    pub notify: crate::notification::NotifyConfig,
}

/// A problem with the configuration; each names the file and the cause.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but cannot be read (or was asked for and is missing).
    #[error("cannot read config {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML or has unknown settings.
    #[error("{}: {message}", path.display())]
    // (`message` is toml's, over several lines: where, the line, a caret under the cause.)
    Parse {
        /// The file.
        path: PathBuf,
        /// The TOML error, with line and column.
        message: String,
    },
    /// A setting has a value that cannot be used.
    #[error("{}: {setting}: {message}", path.display())]
    Value {
        /// The file, or the flag/variable the value came from.
        path: PathBuf,
        /// The setting.
        setting: String,
        /// Why.
        message: String,
    },
}

/// Where the config file is looked for when none is given.
#[must_use]
pub fn default_config_path(xdg_config_home: Option<&Path>, home: Option<&Path>) -> Option<PathBuf> {
    let base = xdg_config_home
        .filter(|p| p.is_absolute())
        .map(Path::to_path_buf)
        .or_else(|| home.map(|h| h.join(".config")))?;
    Some(base.join("beadboard").join("config.toml"))
}

impl FileConfig {
    /// The file's choices for the agent session sources.
    #[must_use]
    pub fn source_choices(&self) -> super::SourceChoices {
        let s = &self.sources;
        super::SourceChoices::of(
            [
                self.claude_dir.clone(),
                self.codex_dir.clone(),
                self.gemini_dir.clone(),
                self.opencode_db.clone(),
            ],
            [s.claude, s.codex, s.gemini, s.opencode],
        )
    }

    /// Reads `path`. A missing file is an empty config unless `required`.
    ///
    /// # Errors
    /// An unreadable file, invalid TOML, or an unknown setting.
    pub fn load(path: &Path, required: bool) -> Result<FileConfig, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                return Ok(FileConfig::default());
            }
            Err(e) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    source: e,
                });
            }
        };
        toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            // toml's message keeps its lines: the line and column, the line itself and a caret
            // under the cause.
            message: e.to_string().trim_end().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_settings_and_rejects_unknown_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "stale_after = \"5m\"\npoll = true\n[theme]\naccent = \"magenta\"\n[keys]\ntoggle_follow = \"F\"\nquit = [\"q\", \"Q\"]\n").unwrap();
        let c = FileConfig::load(&path, true).unwrap();
        assert_eq!(c.stale_after.as_deref(), Some("5m"));
        assert_eq!(c.keys["quit"].to_vec(), vec!["q", "Q"]);
        std::fs::write(&path, "stale_afterr = \"5m\"\n").unwrap();
        let err = FileConfig::load(&path, true).unwrap_err().to_string();
        assert!(
            err.contains("config.toml") && err.contains("stale_afterr"),
            "{err}"
        );
        assert_eq!(
            FileConfig::load(&dir.path().join("none.toml"), false).unwrap(),
            FileConfig::default()
        );
        assert!(FileConfig::load(&dir.path().join("none.toml"), true).is_err());
        assert_eq!(
            default_config_path(Some(Path::new("/x")), Some(Path::new("/h"))),
            Some(PathBuf::from("/x/beadboard/config.toml"))
        );
        assert_eq!(
            default_config_path(Some(Path::new("rel")), Some(Path::new("/h"))),
            Some(PathBuf::from("/h/.config/beadboard/config.toml"))
        );
    }
}

#[cfg(test)]
mod shipped {
    use super::FileConfig;
    use crate::app::action::Action;

    /// The documented config in assets/ parses as is and, uncommented, too; it names every action.
    #[test]
    fn the_shipped_config_is_valid_and_complete() {
        let text = include_str!("../../assets/config.toml");
        assert_eq!(
            toml::from_str::<FileConfig>(text).unwrap(),
            FileConfig::default()
        );
        let uncommented: String = text
            .lines()
            .map(|l| {
                let setting = l.strip_prefix("# ").filter(|rest| {
                    rest.split_once(" = ").is_some_and(|(name, _)| {
                        !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    })
                });
                setting.unwrap_or(if l.starts_with('#') { "" } else { l })
            })
            .map(|l| l.split("  #").next().unwrap_or(l).to_owned() + "\n")
            .collect();
        let full: FileConfig = toml::from_str(&uncommented).unwrap();
        assert!(
            full.agentpair_dir.is_some()
                && full.stale_after.is_some()
                && full.theme.accent.is_some()
        );
        let defaults = crate::app::keymap::Keymap::default();
        for action in Action::ALL {
            if defaults
                .bindings()
                .iter()
                .any(|b| b.action == action && b.scope.is_rebindable())
            {
                assert!(
                    full.keys.contains_key(action.name()),
                    "{} is not documented in assets/config.toml",
                    action.name()
                );
            }
        }
        let overrides: Vec<(String, Vec<String>)> = full
            .keys
            .iter()
            .map(|(a, k)| (a.clone(), k.to_vec()))
            .collect();
        let map = crate::app::keymap::Keymap::with_overrides(
            overrides.iter().map(|(a, k)| (a.as_str(), k.as_slice())),
        )
        .unwrap();
        assert_eq!(
            map,
            crate::app::keymap::Keymap::default(),
            "the documented keys are the defaults"
        );
    }
}
