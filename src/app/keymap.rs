//! The one table of key bindings. It drives dispatch ([`Keymap::resolve`]), the footer hints
//! ([`Keymap::hints`]) and the `?` help ([`Keymap::help`]); the README's key table is checked
//! against it by a test. Users may override keys per action in the config file.

mod key;

pub use key::Key;

use super::action::Action;
use crossterm::event::KeyCode;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Everywhere, even in dialogs (Ctrl-C).
    Always,
    /// Everywhere outside dialogs and overlays.
    Global,
    /// Any list (runs, transcript entries, board cards).
    List,
    /// The Runs pane.
    Runs,
    /// The Transcript pane.
    Transcript,
    /// The Board pane.
    Board,
    /// A yes/no dialog.
    Confirm,
    /// A form with text fields (also a filter or search line).
    Prompt,
    /// The help overlay and the expanded entry.
    Overlay,
}

impl Scope {
    /// Whether the config file may change this scope's keys. Dialogs, overlays and Ctrl-C keep
    /// fixed keys, so a form can always be typed into and the program always quit.
    #[must_use]
    pub fn is_rebindable(self) -> bool {
        matches!(
            self,
            Scope::Global | Scope::List | Scope::Runs | Scope::Transcript | Scope::Board
        )
    }

    /// The heading used in the help overlay and the README.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Scope::Always | Scope::Global => "everywhere",
            Scope::List => "lists",
            Scope::Runs => "Runs",
            Scope::Transcript => "Transcript",
            Scope::Board => "Board",
            Scope::Confirm => "confirm dialog",
            Scope::Prompt => "forms, filter and search",
            Scope::Overlay => "help and expanded entry",
        }
    }
}

/// One binding: in `scope`, any of `keys` means `action`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// Where it applies.
    pub scope: Scope,
    /// The keys (the first is shown first).
    pub keys: Vec<Key>,
    /// What it does.
    pub action: Action,
    /// A short label for the footer and help.
    pub label: &'static str,
    /// Shown in the footer (the help always shows everything).
    pub footer: bool,
}

const fn c(ch: char) -> Key {
    Key::char(ch)
}

const fn k(code: KeyCode) -> Key {
    Key::code(code)
}

/// The default bindings: (scope, keys, action, label, shown in footer).
pub const DEFAULT_BINDINGS: &[(Scope, &[Key], Action, &str, bool)] = &[
    (
        Scope::Always,
        &[Key::ctrl('c')],
        Action::ForceQuit,
        "quit now",
        false,
    ),
    (Scope::Global, &[c('q')], Action::Quit, "quit", true),
    (Scope::Global, &[c('?')], Action::ToggleHelp, "help", true),
    (
        Scope::Global,
        &[k(KeyCode::Tab)],
        Action::NextPane,
        "next pane",
        true,
    ),
    (
        Scope::Global,
        &[k(KeyCode::BackTab)],
        Action::PreviousPane,
        "previous pane",
        false,
    ),
    (Scope::Global, &[c('1')], Action::ShowRuns, "Runs", false),
    (
        Scope::Global,
        &[c('2')],
        Action::ShowTranscript,
        "Transcript",
        false,
    ),
    (Scope::Global, &[c('3')], Action::ShowBoard, "Board", false),
    (
        Scope::Global,
        &[c('p')],
        Action::TogglePause,
        "pause live updates",
        false,
    ),
    (
        Scope::Global,
        &[k(KeyCode::Esc)],
        Action::Dismiss,
        "clear / back",
        false,
    ),
    (
        Scope::List,
        &[c('j'), k(KeyCode::Down)],
        Action::Down,
        "down",
        true,
    ),
    (
        Scope::List,
        &[c('k'), k(KeyCode::Up)],
        Action::Up,
        "up",
        true,
    ),
    (
        Scope::List,
        &[c('g'), k(KeyCode::Home)],
        Action::First,
        "first",
        false,
    ),
    (
        Scope::List,
        &[c('G'), k(KeyCode::End)],
        Action::Last,
        "last",
        false,
    ),
    (
        Scope::List,
        &[k(KeyCode::PageDown), Key::ctrl('d')],
        Action::PageDown,
        "page down",
        false,
    ),
    (
        Scope::List,
        &[k(KeyCode::PageUp), Key::ctrl('u')],
        Action::PageUp,
        "page up",
        false,
    ),
    (Scope::List, &[c('/')], Action::Filter, "filter", true),
    (
        Scope::Runs,
        &[k(KeyCode::Enter)],
        Action::OpenTranscript,
        "open transcript",
        true,
    ),
    (
        Scope::Runs,
        &[c('a')],
        Action::ToggleActiveOnly,
        "active/all",
        true,
    ),
    (
        Scope::Runs,
        &[c('C')],
        Action::CloseStaleRun,
        "close stale run",
        true,
    ),
    (
        Scope::Transcript,
        &[c('f')],
        Action::ToggleFollow,
        "follow",
        true,
    ),
    (
        Scope::Transcript,
        &[c('G'), k(KeyCode::End)],
        Action::Last,
        "end + follow",
        false,
    ),
    (Scope::Transcript, &[c('/')], Action::Search, "search", true),
    (
        Scope::Transcript,
        &[c('n')],
        Action::NextMatch,
        "next match",
        false,
    ),
    (
        Scope::Transcript,
        &[c('N')],
        Action::PreviousMatch,
        "previous match",
        false,
    ),
    (
        Scope::Transcript,
        &[c('e')],
        Action::NextError,
        "next error",
        true,
    ),
    (
        Scope::Transcript,
        &[c('E')],
        Action::PreviousError,
        "previous error",
        false,
    ),
    (
        Scope::Transcript,
        &[c('w')],
        Action::ToggleWrap,
        "wrap",
        true,
    ),
    (
        Scope::Transcript,
        &[c('t')],
        Action::CycleTimestamps,
        "timestamps",
        true,
    ),
    (
        Scope::Transcript,
        &[k(KeyCode::Enter)],
        Action::ExpandEntry,
        "expand entry",
        true,
    ),
    (
        Scope::Board,
        &[c('h'), k(KeyCode::Left)],
        Action::ColumnLeft,
        "column left",
        false,
    ),
    (
        Scope::Board,
        &[c('l'), k(KeyCode::Right)],
        Action::ColumnRight,
        "column right",
        false,
    ),
    (Scope::Board, &[c('s')], Action::Start, "start", true),
    (Scope::Board, &[c('c')], Action::Complete, "complete", true),
    (Scope::Board, &[c('x')], Action::Fail, "fail", true),
    (Scope::Board, &[c('r')], Action::Reassign, "reassign", true),
    (Scope::Board, &[c('R')], Action::Retry, "retry", true),
    (Scope::Board, &[c('d')], Action::Remove, "remove", true),
    (
        Scope::Board,
        &[c('S')],
        Action::NextSession,
        "next session",
        true,
    ),
    (
        Scope::Confirm,
        &[c('y'), k(KeyCode::Enter)],
        Action::Confirm,
        "yes",
        true,
    ),
    (
        Scope::Confirm,
        &[c('n'), k(KeyCode::Esc)],
        Action::Cancel,
        "no",
        true,
    ),
    (
        Scope::Prompt,
        &[k(KeyCode::Enter)],
        Action::Confirm,
        "accept",
        true,
    ),
    (
        Scope::Prompt,
        &[k(KeyCode::Esc)],
        Action::Cancel,
        "cancel",
        true,
    ),
    (
        Scope::Prompt,
        &[k(KeyCode::Tab), k(KeyCode::Down)],
        Action::NextField,
        "next field",
        true,
    ),
    (
        Scope::Prompt,
        &[k(KeyCode::BackTab), k(KeyCode::Up)],
        Action::PreviousField,
        "previous field",
        false,
    ),
    (
        Scope::Overlay,
        &[k(KeyCode::Esc), c('q'), c('?'), k(KeyCode::Enter)],
        Action::Dismiss,
        "close",
        true,
    ),
    (
        Scope::Overlay,
        &[c('j'), k(KeyCode::Down)],
        Action::Down,
        "down",
        true,
    ),
    (
        Scope::Overlay,
        &[c('k'), k(KeyCode::Up)],
        Action::Up,
        "up",
        true,
    ),
    (
        Scope::Overlay,
        &[k(KeyCode::PageDown), Key::ctrl('d'), c(' ')],
        Action::PageDown,
        "page down",
        false,
    ),
    (
        Scope::Overlay,
        &[k(KeyCode::PageUp), Key::ctrl('u')],
        Action::PageUp,
        "page up",
        false,
    ),
    (
        Scope::Overlay,
        &[c('g'), k(KeyCode::Home)],
        Action::First,
        "top",
        false,
    ),
    (
        Scope::Overlay,
        &[c('G'), k(KeyCode::End)],
        Action::Last,
        "bottom",
        false,
    ),
];

/// The bindings in effect (the defaults, possibly with user overrides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

/// A problem with key overrides from the config file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    /// The action name is not an action.
    #[error(
        "unknown action {0:?} in [keys] (see `beadboard --help` and the README for action names)"
    )]
    UnknownAction(String),
    /// The key name cannot be read.
    #[error("cannot read key {key:?} for {action} in [keys]")]
    BadKey {
        /// The action.
        action: String,
        /// The key text.
        key: String,
    },
    /// The action only has fixed keys (dialogs, overlays, Ctrl-C).
    #[error("{0} cannot be rebound: dialog, overlay and Ctrl-C keys are fixed")]
    NotRebindable(String),
    /// Two actions would share a key in one scope.
    #[error("key {key} would mean both {first} and {second} in {scope}")]
    Conflict {
        /// The key.
        key: String,
        /// The scope title.
        scope: &'static str,
        /// One action.
        first: &'static str,
        /// The other.
        second: &'static str,
    },
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bindings: DEFAULT_BINDINGS
                .iter()
                .map(|(scope, keys, action, label, footer)| Binding {
                    scope: *scope,
                    keys: keys.to_vec(),
                    action: *action,
                    label,
                    footer: *footer,
                })
                .collect(),
        }
    }
}

impl Keymap {
    /// The defaults with `overrides` (action name → key names) applied: an overridden action
    /// gets exactly the given keys in the pane, list and global scopes where it is bound
    /// (dialog and overlay keys stay fixed).
    ///
    /// # Errors
    /// An unknown action or key, or a key that would then mean two things in one scope.
    pub fn with_overrides<'a>(
        overrides: impl IntoIterator<Item = (&'a str, &'a [String])>,
    ) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::default();
        for (name, keys) in overrides {
            let action = Action::from_name(name)
                .ok_or_else(|| KeymapError::UnknownAction(name.to_owned()))?;
            let parsed = keys
                .iter()
                .map(|k| {
                    Key::parse(k).ok_or_else(|| KeymapError::BadKey {
                        action: name.to_owned(),
                        key: k.clone(),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let mut rebound = false;
            for binding in map
                .bindings
                .iter_mut()
                .filter(|b| b.action == action && b.scope.is_rebindable())
            {
                binding.keys.clone_from(&parsed);
                rebound = true;
            }
            if !rebound {
                return Err(KeymapError::NotRebindable(name.to_owned()));
            }
        }
        map.check()?;
        Ok(map)
    }

    /// Checks that no key means two actions in one scope.
    ///
    /// # Errors
    /// The first conflict found.
    pub fn check(&self) -> Result<(), KeymapError> {
        let mut seen: std::collections::HashMap<(Scope, Key), Action> =
            std::collections::HashMap::new();
        for b in &self.bindings {
            for key in &b.keys {
                if let Some(other) = seen.insert((b.scope, *key), b.action)
                    && other != b.action
                {
                    return Err(KeymapError::Conflict {
                        key: key.to_string(),
                        scope: b.scope.title(),
                        first: other.name(),
                        second: b.action.name(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Every binding.
    #[must_use]
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The action `key` means, trying `scopes` in order.
    #[must_use]
    pub fn resolve(&self, scopes: &[Scope], key: Key) -> Option<Action> {
        scopes.iter().find_map(|scope| {
            self.bindings
                .iter()
                .find(|b| b.scope == *scope && b.keys.contains(&key))
                .map(|b| b.action)
        })
    }

    /// The first key bound to `action` in `scope`, for messages like "press f to follow".
    #[must_use]
    pub fn key_for(&self, scope: Scope, action: Action) -> Option<Key> {
        self.bindings
            .iter()
            .find(|b| b.scope == scope && b.action == action)
            .and_then(|b| b.keys.first().copied())
    }

    /// Footer hints for `scopes`: `(keys, label)` of bindings marked for the footer, the first
    /// scope's first, without repeating an action or a key already shown.
    #[must_use]
    pub fn hints(&self, scopes: &[Scope]) -> Vec<(String, &'static str)> {
        let mut shown_actions = Vec::new();
        let mut shown_keys: Vec<Key> = Vec::new();
        let mut out = Vec::new();
        for scope in scopes {
            for b in self
                .bindings
                .iter()
                .filter(|b| b.scope == *scope && b.footer)
            {
                if shown_actions.contains(&b.action)
                    || b.keys.iter().any(|k| shown_keys.contains(k))
                {
                    continue;
                }
                shown_actions.push(b.action);
                shown_keys.extend(&b.keys);
                out.push((keys_text(&b.keys), b.label));
            }
        }
        out
    }

    /// Every binding grouped by scope, for the help overlay: `(scope title, [(keys, label)])`.
    #[must_use]
    pub fn help(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        let mut groups: Vec<(&'static str, Vec<(String, &'static str)>)> = Vec::new();
        for b in &self.bindings {
            let entry = (keys_text(&b.keys), b.label);
            match groups
                .iter_mut()
                .find(|(title, _)| *title == b.scope.title())
            {
                Some((_, items)) => items.push(entry),
                None => groups.push((b.scope.title(), vec![entry])),
            }
        }
        groups
    }
}

impl Keymap {
    /// The key table as Markdown (the README embeds exactly this; a test checks it).
    #[must_use]
    pub fn markdown(&self) -> String {
        let mut out = String::from("| where | keys | what |\n|---|---|---|\n");
        for b in &self.bindings {
            let keys = b
                .keys
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" ");
            out.push_str(&format!("| {} | {keys} | {} |\n", b.scope.title(), b.label));
        }
        out
    }

    /// The key table as plain text, one binding per line.
    #[must_use]
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (scope, items) in self.help() {
            out.push_str(scope);
            out.push('\n');
            for (keys, label) in items {
                out.push_str(&format!("  {keys:<24}{label}\n"));
            }
        }
        out
    }
}

/// Keys joined with `/`: `j/↓`.
#[must_use]
pub fn keys_text(keys: &[Key]) -> String {
    keys.iter()
        .map(Key::to_string)
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_means_two_things_in_one_scope() {
        Keymap::default().check().unwrap();
        let mut seen = std::collections::HashSet::new();
        for (scope, keys, _, _, _) in DEFAULT_BINDINGS {
            for key in *keys {
                assert!(
                    seen.insert((*scope, *key)),
                    "{key} bound twice in {scope:?}"
                );
            }
        }
    }

    #[test]
    fn every_action_has_a_binding() {
        let map = Keymap::default();
        for action in Action::ALL {
            assert!(
                map.bindings()
                    .iter()
                    .any(|b| b.action == action && !b.keys.is_empty()),
                "{action:?} has no key"
            );
            assert_eq!(Action::from_name(action.name()), Some(action));
        }
    }

    #[test]
    fn pane_scopes_come_before_lists_and_global() {
        let map = Keymap::default();
        let transcript = [Scope::Always, Scope::Transcript, Scope::List, Scope::Global];
        assert_eq!(
            map.resolve(&transcript, Key::char('/')),
            Some(Action::Search)
        );
        assert_eq!(map.resolve(&transcript, Key::char('j')), Some(Action::Down));
        assert_eq!(map.resolve(&transcript, Key::char('q')), Some(Action::Quit));
        assert_eq!(
            map.resolve(
                &[Scope::Always, Scope::Runs, Scope::List, Scope::Global],
                Key::char('/')
            ),
            Some(Action::Filter)
        );
        assert_eq!(
            map.resolve(&[Scope::Always, Scope::Confirm], Key::char('q')),
            None
        );
        assert_eq!(
            map.resolve(&[Scope::Always, Scope::Confirm], Key::ctrl('c')),
            Some(Action::ForceQuit)
        );
    }

    #[test]
    fn overrides_apply_and_conflicts_are_rejected() {
        let keys = vec!["F".to_owned()];
        let map = Keymap::with_overrides([("toggle_follow", keys.as_slice())]).unwrap();
        assert_eq!(
            map.resolve(&[Scope::Transcript], Key::char('F')),
            Some(Action::ToggleFollow)
        );
        assert_eq!(map.resolve(&[Scope::Transcript], Key::char('f')), None);
        let clash = vec!["w".to_owned()];
        let err = Keymap::with_overrides([("toggle_follow", clash.as_slice())]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "key w would mean both toggle_follow and toggle_wrap in Transcript"
        );
        assert!(matches!(
            Keymap::with_overrides([("fly", keys.as_slice())]),
            Err(KeymapError::UnknownAction(_))
        ));
        assert!(matches!(
            Keymap::with_overrides([("confirm", keys.as_slice())]),
            Err(KeymapError::NotRebindable(_))
        ));
        assert!(matches!(
            Keymap::with_overrides([("force_quit", keys.as_slice())]),
            Err(KeymapError::NotRebindable(_))
        ));
        let j = vec!["J".to_owned()];
        let map = Keymap::with_overrides([("down", j.as_slice())]).unwrap();
        assert_eq!(
            map.resolve(&[Scope::Overlay], Key::char('j')),
            Some(Action::Down),
            "overlay keys stay fixed"
        );
        let bad = vec!["Ctrl-".to_owned()];
        assert!(matches!(
            Keymap::with_overrides([("quit", bad.as_slice())]),
            Err(KeymapError::BadKey { .. })
        ));
    }

    #[test]
    fn hints_follow_scope_order() {
        let hints = Keymap::default().hints(&[Scope::Board, Scope::List, Scope::Global]);
        assert_eq!(hints[0], ("s".to_owned(), "start"));
        assert!(hints.iter().any(|(k, l)| k == "q" && *l == "quit"));
    }
}
