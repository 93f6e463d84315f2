//! The one table of key bindings. It drives dispatch ([`Keymap::resolve`]), the footer hints
//! ([`Keymap::hints`]) and the `?` help ([`Keymap::help`]); the README's key table is checked
//! against it by a test. Users may override keys per action in the config file.

mod defaults;
mod describe;
mod key;

pub use defaults::{Row, default_bindings};
pub use describe::keys_text;
pub use key::Key;

use super::action::Action;

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
    /// The expanded entry and the card in full.
    Overlay,
    /// The `?` help (typing filters it).
    Help,
    /// The session picker (typing filters it).
    Picker,
    /// The results of a search of every transcript.
    Results,
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
            Scope::Overlay => "expanded entry and card",
            Scope::Help => "help (type to filter)",
            Scope::Picker => "session picker (type to filter)",
            Scope::Results => "search results (every transcript)",
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
            bindings: default_bindings()
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
        self.hints_where(scopes, |_| true)
    }

    /// As [`Keymap::hints`], of the actions `offered` accepts only (the footer offers what
    /// applies to the selection).
    #[must_use]
    pub fn hints_where(
        &self,
        scopes: &[Scope],
        offered: impl Fn(Action) -> bool,
    ) -> Vec<(String, &'static str)> {
        self.hint_actions_where(scopes, offered)
            .into_iter()
            .map(|(keys, label, _)| (keys, label))
            .collect()
    }

    /// As [`Keymap::hints_where`], with each hint's action (a click on a hint does it).
    #[must_use]
    pub fn hint_actions_where(
        &self,
        scopes: &[Scope],
        offered: impl Fn(Action) -> bool,
    ) -> Vec<(String, &'static str, Action)> {
        let mut shown_actions = Vec::new();
        let mut shown_keys: Vec<Key> = Vec::new();
        let mut out = Vec::new();
        for scope in scopes {
            for b in self
                .bindings
                .iter()
                .filter(|b| b.scope == *scope && b.footer && offered(b.action))
            {
                if shown_actions.contains(&b.action)
                    || b.keys.iter().any(|k| shown_keys.contains(k))
                {
                    continue;
                }
                shown_actions.push(b.action);
                shown_keys.extend(&b.keys);
                out.push((keys_text(&b.keys), b.label, b.action));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
