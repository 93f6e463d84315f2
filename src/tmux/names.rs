//! Session names and targets as tmux sees them: the name tmux actually stores for a
//! requested one, exact-match targets (`=name:`), whether beadboard runs inside tmux, and
//! shell quoting for the attach command shown in the status line. Pure functions only.

use std::ffi::OsStr;
use std::fmt::Write as _;

/// Whether a `$TMUX` value means "running inside tmux": set and non-empty.
#[must_use]
pub fn inside_tmux_env(value: Option<&OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

/// The name tmux stores for a session created as `name`.
///
/// tmux turns `:` and `.` into `_` (they separate window and pane in targets) and escapes
/// backslashes and control characters C-style (`\\`, `\t`, `\n`, `\001`) and a `$` that could
/// start a variable (`\$HOME`), so a manifest that says `my.app` refers to the tmux session
/// `my_app`.
#[must_use]
pub fn stored_session_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ':' | '.' => out.push('_'),
            '$' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '_' || *n == '{') =>
            {
                out.push_str("\\$");
            }
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\{:03o}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// An exact-match target for the session stored as `stored` (see [`stored_session_name`]).
///
/// `=` stops tmux's prefix and pattern matching; the trailing `:` makes it a session even
/// for commands whose target is a window or pane (without it, `list-panes -t =web` would
/// first look for a *window* named `web` in the current session).
#[must_use]
pub fn session_target(stored: &str) -> String {
    format!("={stored}:")
}

/// `word` quoted for a POSIX shell: unchanged when it only holds characters no shell treats
/// specially, otherwise in single quotes (a `'` inside becomes `'\''`).
#[must_use]
pub fn shell_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./=:@%+,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_owned();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// The socket a `$TMUX` value names (its first comma-separated field), when it is not the
/// default one plain `tmux` would use (`${TMUX_TMPDIR:-/tmp}/tmux-<uid>/default`): an attach
/// command must then name it with `-S`.
#[must_use]
pub fn non_default_socket(
    tmux: Option<&OsStr>,
    tmpdir: Option<&OsStr>,
    uid: u32,
) -> Option<std::path::PathBuf> {
    let value = tmux?.to_string_lossy().into_owned();
    let socket = value.split(',').next().filter(|s| !s.is_empty())?;
    let base = tmpdir.filter(|t| !t.is_empty()).map_or_else(
        || std::path::PathBuf::from("/tmp"),
        std::path::PathBuf::from,
    );
    let default = base.join(format!("tmux-{uid}")).join("default");
    (std::path::Path::new(socket) != default).then(|| std::path::PathBuf::from(socket))
}

/// Where the server an attach command must name listens: a `-L` name, or a `-S` path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Socket<'a> {
    /// The default socket: nothing to name.
    Default,
    /// `tmux -L name`.
    Name(&'a str),
    /// `tmux -S path`.
    Path(&'a std::path::Path),
}

/// The `tmux attach` command for the session stored as `stored`, naming `socket` (`-L` or
/// `-S`) when it is not the default.
///
/// The plain name is used (tmux prefers an exact match) unless it starts with a character
/// tmux reads as an id or an exact-match marker (`$`, `@`, `%`, `=`), which gets a `=`.
#[must_use]
pub fn attach_command(socket: Socket<'_>, stored: &str) -> String {
    let mut cmd = String::from("tmux");
    match socket {
        Socket::Default => {}
        Socket::Name(name) => {
            cmd.push_str(" -L ");
            cmd.push_str(&shell_quote(name));
        }
        Socket::Path(path) => {
            cmd.push_str(" -S ");
            cmd.push_str(&shell_quote(&path.to_string_lossy()));
        }
    }
    let target = if stored.starts_with(['$', '@', '%', '=']) {
        format!("={stored}")
    } else {
        stored.to_owned()
    };
    cmd.push_str(" attach -t ");
    cmd.push_str(&shell_quote(&target));
    cmd
}

/// Whether `id` is a tmux pane id: `%` followed by decimal digits.
#[must_use]
pub fn is_pane_id(id: &str) -> bool {
    id.strip_prefix('%')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_non_default_socket_is_named_in_the_attach_command() {
        let env = |v: &str| Some(OsStr::new(v).to_owned());
        let default = env("/tmp/tmux-1000/default,123,0");
        assert_eq!(non_default_socket(default.as_deref(), None, 1000), None);
        let other = env("/tmp/tmux-1000/work,123,0");
        let socket = non_default_socket(other.as_deref(), None, 1000).unwrap();
        assert_eq!(socket, std::path::Path::new("/tmp/tmux-1000/work"));
        assert_eq!(
            attach_command(Socket::Path(&socket), "webapp"),
            "tmux -S /tmp/tmux-1000/work attach -t webapp"
        );
        // TMUX_TMPDIR moves the default.
        let moved = env("/run/t/tmux-7/default,1,0");
        let tmpdir = env("/run/t");
        assert_eq!(
            non_default_socket(moved.as_deref(), tmpdir.as_deref(), 7),
            None
        );
        assert!(non_default_socket(moved.as_deref(), None, 7).is_some());
        assert_eq!(non_default_socket(None, None, 7), None);
    }

    #[test]
    fn tmux_inside_needs_a_non_empty_value() {
        assert!(!inside_tmux_env(None));
        assert!(!inside_tmux_env(Some(OsStr::new(""))));
        assert!(inside_tmux_env(Some(OsStr::new(
            "/tmp/tmux-1000/default,123,0"
        ))));
    }

    #[test]
    fn tmux_stored_names_follow_tmux() {
        assert_eq!(stored_session_name("webapp"), "webapp");
        assert_eq!(stored_session_name("my app"), "my app");
        assert_eq!(stored_session_name("my.app:x"), "my_app_x");
        assert_eq!(stored_session_name("a\\b"), "a\\\\b");
        assert_eq!(stored_session_name("c\td\ne"), "c\\td\\ne");
        assert_eq!(stored_session_name("o\u{1}o\u{7f}"), "o\\001o\\177");
        assert_eq!(
            stored_session_name("a\u{7}\u{8}\u{b}\u{c}\r"),
            "a\\a\\b\\v\\f\\r"
        );
        assert_eq!(stored_session_name("é ü"), "é ü");
        assert_eq!(
            stored_session_name("$HOME $_ ${x} $1 $"),
            "\\$HOME \\$_ \\${x} $1 $"
        );
    }

    #[test]
    fn tmux_session_targets_are_exact() {
        assert_eq!(session_target("web"), "=web:");
        assert_eq!(session_target("my app"), "=my app:");
    }

    #[test]
    fn tmux_shell_quoting() {
        assert_eq!(shell_quote("webapp"), "webapp");
        assert_eq!(shell_quote("agentpair-3"), "agentpair-3");
        assert_eq!(shell_quote("my app"), "'my app'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote("$HOME"), "'$HOME'");
        assert_eq!(shell_quote("~x"), "'~x'");
        assert_eq!(shell_quote("a;b"), "'a;b'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn tmux_attach_commands() {
        assert_eq!(
            attach_command(Socket::Default, "webapp"),
            "tmux attach -t webapp"
        );
        assert_eq!(
            attach_command(Socket::Default, "my app"),
            "tmux attach -t 'my app'"
        );
        assert_eq!(
            attach_command(Socket::Default, "$3"),
            "tmux attach -t '=$3'"
        );
        assert_eq!(attach_command(Socket::Default, "%1"), "tmux attach -t =%1");
        assert_eq!(
            attach_command(Socket::Name("work space"), "it's"),
            r"tmux -L 'work space' attach -t 'it'\''s'"
        );
    }

    #[test]
    fn tmux_pane_ids() {
        assert!(is_pane_id("%0"));
        assert!(is_pane_id("%12"));
        assert!(!is_pane_id("%"));
        assert!(!is_pane_id("12"));
        assert!(!is_pane_id("%1a"));
        assert!(!is_pane_id("%-1"));
    }
}
