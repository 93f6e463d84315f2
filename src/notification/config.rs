//! The `[notify]` table of the config file, and building the configured channels from it.
//!
//! ```toml
//! [notify]
//! bell = true                  # default false
//! desktop = "osc9"             # "off" (default) | "osc9" | "osc777"
//! hook = "notify-send \"$BEADBOARD_TITLE\" \"$BEADBOARD_BODY\""   # default none
//! hook_timeout = "10s"         # seconds (10) or a duration ("10s", "1m"); default 10s
//! on = ["attention"]           # default ["attention", "finished"]
//! selected = true              # default false
//! ```

use super::{
    DEFAULT_HOOK_TIMEOUT, Desktop, Fanout, HookNotifier, NoticeKind, Notifier, TerminalNotifier,
};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::io::Write;
use std::time::Duration;

/// How the user wants to be notified; every setting is optional.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NotifyConfig {
    /// Ring the terminal bell (`BEL`). Default `false`.
    pub bell: bool,
    /// Desktop notifications through the terminal: `"off"`, `"osc9"` or `"osc777"` (see
    /// [`Desktop`]). Default `"off"`.
    pub desktop: Desktop,
    /// A shell command run with `sh -c` for each notice, the notice as JSON on its stdin (see
    /// [`HookNotifier`]). Default none; an empty or blank command is none too.
    pub hook: Option<String>,
    /// How long the hook may run before it is killed: whole seconds (`10`) or a duration
    /// (`"10s"`, `"1m 30s"`); must be more than zero. Default 10 seconds.
    #[serde(deserialize_with = "de_timeout")]
    pub hook_timeout: Duration,
    /// Which kinds of notice to deliver: `"attention"`, `"finished"`. Default both.
    pub on: Vec<NoticeKind>,
    /// Also notify about the item the user has selected (the dashboard applies this; it does
    /// not notify about what the user is looking at unless this is on). Default `false`.
    pub selected: bool,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            bell: false,
            desktop: Desktop::Off,
            hook: None,
            hook_timeout: DEFAULT_HOOK_TIMEOUT,
            on: vec![NoticeKind::Attention, NoticeKind::Finished],
            selected: false,
        }
    }
}

impl NotifyConfig {
    /// The hook command, unless none (or a blank one) is configured.
    #[must_use]
    pub fn hook_command(&self) -> Option<&str> {
        self.hook.as_deref().filter(|c| !c.trim().is_empty())
    }

    /// True when some channel is configured and some kind of notice wanted.
    #[must_use]
    pub fn is_enabled(&self) -> bool {
        let channel = self.bell || self.desktop != Desktop::Off || self.hook_command().is_some();
        channel && !self.on.is_empty()
    }

    /// True when notices of `kind` are wanted.
    #[must_use]
    pub fn wants(&self, kind: NoticeKind) -> bool {
        self.on.contains(&kind)
    }

    /// The configured channels, delivering only the wanted kinds: the terminal channel writing
    /// to `out` (when the bell or desktop notifications are on; `inside_tmux` as from
    /// [`super::inside_tmux`]), and the hook (when configured) reporting its failures through
    /// `report`. Empty when nothing is configured.
    pub fn build<W: Write + Send + 'static>(
        &self,
        out: W,
        inside_tmux: bool,
        report: impl Fn(String) + Send + 'static,
    ) -> Fanout {
        let mut notifiers: Vec<Box<dyn Notifier + Send>> = Vec::new();
        if self.bell || self.desktop != Desktop::Off {
            notifiers.push(Box::new(TerminalNotifier::new(
                out,
                self.bell,
                self.desktop,
                inside_tmux,
            )));
        }
        if let Some(command) = self.hook_command() {
            notifiers.push(Box::new(HookNotifier::new(
                command,
                self.hook_timeout,
                report,
            )));
        }
        Fanout::new(notifiers).only(&self.on)
    }
}

fn de_timeout<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    struct Timeout;
    impl Visitor<'_> for Timeout {
        type Value = Duration;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a number of seconds or a duration like \"10s\"")
        }
        fn visit_u64<E: de::Error>(self, secs: u64) -> Result<Duration, E> {
            positive(Duration::from_secs(secs))
        }
        fn visit_i64<E: de::Error>(self, secs: i64) -> Result<Duration, E> {
            let secs = u64::try_from(secs).map_err(|_| E::custom("hook_timeout is negative"))?;
            self.visit_u64(secs)
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<Duration, E> {
            humantime::parse_duration(text.trim())
                .map_err(|e| E::custom(format!("hook_timeout {text:?}: {e}")))
                .and_then(positive)
        }
    }
    d.deserialize_any(Timeout)
}

fn positive<E: de::Error>(timeout: Duration) -> Result<Duration, E> {
    if timeout.is_zero() {
        Err(E::custom("hook_timeout must be more than zero"))
    } else {
        Ok(timeout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<NotifyConfig, toml::de::Error> {
        toml::from_str(text)
    }

    #[test]
    fn defaults_when_empty() {
        let config = parse("").unwrap();
        assert_eq!(config, NotifyConfig::default());
        assert!(!config.bell && !config.selected && config.hook.is_none());
        assert_eq!(config.desktop, Desktop::Off);
        assert_eq!(config.hook_timeout, Duration::from_secs(10));
        assert!(config.wants(NoticeKind::Attention) && config.wants(NoticeKind::Finished));
        assert!(!config.is_enabled());
    }

    #[test]
    fn every_key_parses() {
        let config = parse(
            "bell = true\ndesktop = \"osc777\"\nhook = \"true\"\nhook_timeout = \"1m 30s\"\n\
             on = [\"attention\"]\nselected = true\n",
        )
        .unwrap();
        assert!(config.bell && config.selected && config.is_enabled());
        assert_eq!(config.desktop, Desktop::Osc777);
        assert_eq!(config.hook_command(), Some("true"));
        assert_eq!(config.hook_timeout, Duration::from_secs(90));
        assert_eq!(config.on, vec![NoticeKind::Attention]);
        assert!(!config.wants(NoticeKind::Finished));
        assert_eq!(
            parse("hook_timeout = 3").unwrap().hook_timeout,
            Duration::from_secs(3)
        );
        assert_eq!(parse("desktop = \"osc9\"").unwrap().desktop, Desktop::Osc9);
    }

    #[test]
    fn mistakes_are_errors() {
        for bad in [
            "bel = true",
            "desktop = \"growl\"",
            "hook_timeout = 0",
            "hook_timeout = -1",
            "hook_timeout = \"soon\"",
            "on = [\"always\"]",
        ] {
            assert!(parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn build_makes_only_the_configured_channels() {
        let none = NotifyConfig::default().build(Vec::new(), false, |_| {});
        assert!(none.is_empty());
        let blank_hook = NotifyConfig {
            hook: Some("  ".into()),
            ..NotifyConfig::default()
        };
        assert!(blank_hook.build(Vec::new(), false, |_| {}).is_empty());
        let both = NotifyConfig {
            bell: true,
            hook: Some("true".into()),
            ..NotifyConfig::default()
        };
        assert_eq!(both.build(Vec::new(), true, |_| {}).len(), 2);
        let nothing_wanted = NotifyConfig {
            bell: true,
            on: Vec::new(),
            ..NotifyConfig::default()
        };
        assert!(nothing_wanted.build(Vec::new(), false, |_| {}).is_empty());
        assert!(!nothing_wanted.is_enabled());
    }
}
