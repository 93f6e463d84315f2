//! Putting the settings together: flags and environment variables (already merged by the
//! command-line parser) over the config file over the defaults.

use super::{ConfigError, FileConfig, RootChoices, Roots};
use crate::app::keymap::Keymap;
use crate::ui::Theme;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// What flags and environment variables set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--agentpair-dir` / `--ntm-dir` / `--beads` and their variables.
    pub roots: RootChoices,
    /// `--stale-after` / `BEADBOARD_STALE_AFTER`.
    pub stale_after: Option<String>,
    /// `--poll` / `BEADBOARD_POLL`.
    pub poll: Option<bool>,
    /// `--unstarted-after` / `BEADBOARD_UNSTARTED_AFTER`.
    pub unstarted_after: Option<String>,
    /// `--attention-window` / `BEADBOARD_ATTENTION_WINDOW`.
    pub attention_window: Option<String>,
    /// `--config` / `BEADBOARD_CONFIG`: this file must exist.
    pub config: Option<PathBuf>,
    /// `--claude-dir`, `--claude=off` … and their variables.
    pub sources: super::SourceChoices,
    /// Where the agents keep their sessions by their own variables and defaults (see
    /// `SessionRoots::discover`); empty: none.
    pub agent_defaults: crate::persist::session::SessionRoots,
}

/// The settings in effect.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Data roots.
    pub roots: Roots,
    /// The stale threshold.
    pub stale_after: Duration,
    /// How long a bead may wait assigned but not started before it needs attention.
    pub unstarted_after: Duration,
    /// How long a situation counts as needing attention.
    pub attention_window: Duration,
    /// How many review FAILs in a row need attention.
    pub fail_streak: u32,
    /// Poll instead of watching.
    pub poll: bool,
    /// The mouse selects, scrolls and clicks keys.
    pub mouse: bool,
    /// Start and complete ask `y`/`n` first.
    pub confirm_moves: bool,
    /// Key bindings.
    pub keymap: Keymap,
    /// Colours (none under `NO_COLOR`).
    pub theme: Theme,
    /// How to notify.
    pub notify: crate::notification::NotifyConfig,
    /// The config file that was read, if any.
    pub config_file: Option<PathBuf>,
}

impl Resolved {
    /// The limits attention is judged by.
    #[must_use]
    pub fn thresholds(&self) -> crate::present::attention::Thresholds {
        crate::present::attention::Thresholds {
            stale_after: self.stale_after,
            unstarted_after: self.unstarted_after,
            window: self.attention_window,
            fail_streak: self.fail_streak,
        }
    }
}

/// The default stale threshold (also the default for beads waiting to be started).
pub const DEFAULT_STALE_AFTER: Duration = Duration::from_secs(600);

fn duration(text: &str, source: &Path, setting: &str) -> Result<Duration, ConfigError> {
    humantime::parse_duration(text.trim()).map_err(|e| ConfigError::Value {
        path: source.to_path_buf(),
        setting: setting.to_owned(),
        message: format!("cannot read {text:?} as a duration like 10m or 90s ({e})"),
    })
}

fn color(
    text: &Option<String>,
    fallback: ratatui::style::Color,
    path: &Path,
    setting: &str,
) -> Result<ratatui::style::Color, ConfigError> {
    match text {
        None => Ok(fallback),
        Some(t) => ratatui::style::Color::from_str(t.trim()).map_err(|_| ConfigError::Value {
            path: path.to_path_buf(),
            setting: format!("theme.{setting}"),
            message: format!(
                "{t:?} is not a colour (try a name like \"cyan\", \"#ff8800\" or 0-255)"
            ),
        }),
    }
}

/// Resolves every setting. `config_path` is where the file is looked for when `--config` is
/// not given; `no_color` is whether `NO_COLOR` is set.
///
/// # Errors
/// An unreadable or invalid config file, a bad duration, colour or key override (naming the
/// file or flag), or no home directory for a default root.
pub fn resolve(
    overrides: &Overrides,
    config_path: Option<&Path>,
    home: Option<&Path>,
    cwd: &Path,
    no_color: bool,
) -> Result<Resolved, ConfigError> {
    let (file, path) = match (&overrides.config, config_path) {
        (Some(given), _) => (FileConfig::load(given, true)?, Some(given.clone())),
        (None, Some(default)) => {
            let c = FileConfig::load(default, false)?;
            (c, default.exists().then(|| default.to_path_buf()))
        }
        (None, None) => (FileConfig::default(), None),
    };
    let file_label = path.clone().unwrap_or_else(|| PathBuf::from("config"));
    let configured = RootChoices {
        agentpair: file.agentpair_dir.clone(),
        ntm: file.ntm_dir.clone(),
        beads: file.beads.clone(),
    };
    let mut roots = Roots::resolve(&overrides.roots, &configured, home, cwd).map_err(|e| {
        ConfigError::Value {
            path: file_label.clone(),
            setting: "roots".to_owned(),
            message: e.to_string(),
        }
    })?;
    roots.agents = overrides.sources.resolve(
        &file.source_choices(),
        overrides.agent_defaults.clone(),
        home,
    );
    let stale_after = match (&overrides.stale_after, &file.stale_after) {
        (Some(flag), _) => duration(flag, Path::new("--stale-after"), "stale_after")?,
        (None, Some(conf)) => duration(conf, &file_label, "stale_after")?,
        (None, None) => DEFAULT_STALE_AFTER,
    };
    let unstarted_after = match (&overrides.unstarted_after, &file.unstarted_after) {
        (Some(flag), _) => duration(flag, Path::new("--unstarted-after"), "unstarted_after")?,
        (None, Some(conf)) => duration(conf, &file_label, "unstarted_after")?,
        (None, None) => DEFAULT_STALE_AFTER,
    };
    let attention_window = match (&overrides.attention_window, &file.attention_window) {
        (Some(flag), _) => duration(flag, Path::new("--attention-window"), "attention_window")?,
        (None, Some(conf)) => duration(conf, &file_label, "attention_window")?,
        (None, None) => crate::present::attention::DEFAULT_WINDOW,
    };
    let fail_streak = match file.fail_streak {
        Some(0) => {
            return Err(ConfigError::Value {
                path: file_label.clone(),
                setting: "fail_streak".to_owned(),
                message: "must be at least 1 (1 flags every FAIL)".to_owned(),
            });
        }
        Some(n) => n,
        None => crate::present::attention::DEFAULT_FAIL_STREAK,
    };
    let key_lists: Vec<(String, Vec<String>)> = file
        .keys
        .iter()
        .map(|(a, k)| (a.clone(), k.to_vec()))
        .collect();
    let keymap = Keymap::with_overrides(key_lists.iter().map(|(a, k)| (a.as_str(), k.as_slice())))
        .map_err(|e| ConfigError::Value {
            path: file_label.clone(),
            setting: "keys".to_owned(),
            message: e.to_string(),
        })?;
    let d = Theme::default();
    let t = &file.theme;
    let theme = Theme {
        color: !no_color,
        accent: color(&t.accent, d.accent, &file_label, "accent")?,
        good: color(&t.good, d.good, &file_label, "good")?,
        warn: color(&t.warn, d.warn, &file_label, "warn")?,
        bad: color(&t.bad, d.bad, &file_label, "bad")?,
        info: color(&t.info, d.info, &file_label, "info")?,
        muted: color(&t.muted, d.muted, &file_label, "muted")?,
        agents: d.agents,
    };
    Ok(Resolved {
        roots,
        stale_after,
        unstarted_after,
        attention_window,
        fail_streak,
        poll: overrides.poll.or(file.poll).unwrap_or(false),
        mouse: file.mouse.unwrap_or(true),
        confirm_moves: file.confirm_moves.unwrap_or(true),
        keymap,
        theme,
        notify: file.notify.clone(),
        config_file: path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_config_beats_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("config.toml");
        std::fs::write(&conf, "agentpair_dir = \"/conf/ap\"\nntm_dir = \"~/conf-ntm\"\nstale_after = \"5m\"\npoll = true\n").unwrap();
        let home = Path::new("/home/u");
        let flags = Overrides {
            roots: RootChoices {
                agentpair: Some("/flag/ap".into()),
                ..RootChoices::default()
            },
            stale_after: Some("90s".into()),
            ..Overrides::default()
        };
        let r = resolve(&flags, Some(&conf), Some(home), dir.path(), false).unwrap();
        assert_eq!(r.roots.agentpair, PathBuf::from("/flag/ap"));
        assert_eq!(r.roots.ntm, PathBuf::from("/home/u/conf-ntm"));
        assert_eq!(r.stale_after, Duration::from_secs(90));
        assert!(r.poll);
        assert_eq!(r.config_file.as_deref(), Some(conf.as_path()));
        let r = resolve(
            &Overrides::default(),
            Some(&conf),
            Some(home),
            dir.path(),
            true,
        )
        .unwrap();
        assert_eq!(
            (r.roots.agentpair.as_path(), r.stale_after),
            (Path::new("/conf/ap"), Duration::from_secs(300))
        );
        assert!(!r.theme.color, "NO_COLOR wins over any theme");
        let none = resolve(
            &Overrides::default(),
            Some(&dir.path().join("missing.toml")),
            Some(home),
            dir.path(),
            false,
        )
        .unwrap();
        assert_eq!(
            (none.roots.agentpair, none.stale_after, none.poll),
            (
                PathBuf::from("/home/u/.agentpair"),
                DEFAULT_STALE_AFTER,
                false
            )
        );
    }

    #[test]
    fn bad_values_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("config.toml");
        let home = Some(Path::new("/h"));
        for (text, expect) in [
            (
                "[keys]\ntoggle_follow = \"w\"\n",
                "keys: key w would mean both toggle_follow and toggle_wrap in Transcript",
            ),
            ("[keys]\nfly = \"x\"\n", "keys: unknown action \"fly\""),
            (
                "stale_after = \"soon\"\n",
                "stale_after: cannot read \"soon\"",
            ),
            (
                "[theme]\naccent = \"blurple\"\n",
                "theme.accent: \"blurple\" is not a colour",
            ),
        ] {
            std::fs::write(&conf, text).unwrap();
            let err = resolve(&Overrides::default(), Some(&conf), home, dir.path(), false)
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with(&conf.display().to_string()) && err.contains(expect),
                "{err}"
            );
        }
        let flags = Overrides {
            config: Some(dir.path().join("nope.toml")),
            ..Overrides::default()
        };
        assert!(
            resolve(&flags, None, home, dir.path(), false)
                .unwrap_err()
                .to_string()
                .contains("cannot read config")
        );
    }
}
