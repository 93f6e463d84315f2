//! Whether tmux passes a program's clipboard escape (OSC 52) on to the terminal: its
//! `set-clipboard` option. `on` passes it; `external` and `off` do not (the text never
//! reaches the clipboard), so `y` says how to turn it on instead of claiming a copy.

use super::call::Ctx;
use super::{Tmux, TmuxError};

/// tmux's `set-clipboard`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClipboardSetting {
    /// Programs' OSC 52 reaches the terminal.
    On,
    /// tmux sets the clipboard from its own copy mode only.
    External,
    /// Neither.
    Off,
    /// A value this version does not know.
    Other(String),
}

impl ClipboardSetting {
    /// The setting `show -gv set-clipboard` printed.
    #[must_use]
    pub fn parse(text: &str) -> ClipboardSetting {
        match text.trim() {
            "on" => ClipboardSetting::On,
            "external" => ClipboardSetting::External,
            "off" => ClipboardSetting::Off,
            other => ClipboardSetting::Other(other.to_owned()),
        }
    }

    /// Its word.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            ClipboardSetting::On => "on",
            ClipboardSetting::External => "external",
            ClipboardSetting::Off => "off",
            ClipboardSetting::Other(s) => s,
        }
    }
}

impl Tmux {
    /// The server's `set-clipboard` option.
    ///
    /// # Errors
    /// No server, tmux not installed, a timeout, or another tmux failure.
    pub fn clipboard_setting(&self) -> Result<ClipboardSetting, TmuxError> {
        let out = self.run(&["show", "-gv", "set-clipboard"], Ctx::default())?;
        Ok(ClipboardSetting::parse(&out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_a_stand_in_tmux_answers() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("tmux");
        std::fs::write(
            &fake,
            "#!/bin/sh\n[ \"$2\" = show ] && [ \"$3\" = -gv ] && [ \"$4\" = set-clipboard ] && echo external\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        let tmux = Tmux::default_server().with_program(&fake);
        assert_eq!(
            tmux.clipboard_setting().unwrap(),
            ClipboardSetting::External
        );
        assert_eq!(ClipboardSetting::parse("on\n"), ClipboardSetting::On);
        assert_eq!(ClipboardSetting::parse("maybe").as_str(), "maybe");
    }
}
