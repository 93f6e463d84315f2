//! The default key bindings of the lists drawn over the panes: the `?` help, the results of a
//! search of every transcript, and the session picker (typing filters the help and the picker).

use super::{Row, c, k};
use crate::app::action::Action;
use crate::app::keymap::{Key, Scope};
use crossterm::event::KeyCode;

/// The overlays' bindings, after the panes' and dialogs' in the table.
pub const OVERLAY_BINDINGS: &[Row] = &[
    (
        Scope::Help,
        &[k(KeyCode::Esc)],
        Action::Dismiss,
        "clear filter / close",
        true,
    ),
    (
        Scope::Help,
        &[c('?'), k(KeyCode::Enter)],
        Action::ToggleHelp,
        "close",
        false,
    ),
    (Scope::Help, &[k(KeyCode::Down)], Action::Down, "down", true),
    (Scope::Help, &[k(KeyCode::Up)], Action::Up, "up", true),
    (
        Scope::Help,
        &[k(KeyCode::PageDown), Key::ctrl('d')],
        Action::PageDown,
        "page down",
        false,
    ),
    (
        Scope::Help,
        &[k(KeyCode::PageUp), Key::ctrl('u')],
        Action::PageUp,
        "page up",
        false,
    ),
    (
        Scope::Help,
        &[k(KeyCode::Home)],
        Action::First,
        "top",
        false,
    ),
    (
        Scope::Help,
        &[k(KeyCode::End)],
        Action::Last,
        "bottom",
        false,
    ),
    (
        Scope::Results,
        &[k(KeyCode::Enter)],
        Action::OpenTranscript,
        "open at this entry",
        true,
    ),
    (
        Scope::Results,
        &[k(KeyCode::Esc), c('q')],
        Action::Dismiss,
        "stop, then close",
        true,
    ),
    (
        Scope::Results,
        &[c('F')],
        Action::SearchAll,
        "new search",
        true,
    ),
    (
        Scope::Results,
        &[c('j'), k(KeyCode::Down)],
        Action::Down,
        "down",
        true,
    ),
    (
        Scope::Results,
        &[c('k'), k(KeyCode::Up)],
        Action::Up,
        "up",
        true,
    ),
    (
        Scope::Results,
        &[k(KeyCode::PageDown), Key::ctrl('d'), c(' ')],
        Action::PageDown,
        "page down",
        false,
    ),
    (
        Scope::Results,
        &[k(KeyCode::PageUp), Key::ctrl('u')],
        Action::PageUp,
        "page up",
        false,
    ),
    (
        Scope::Results,
        &[c('g'), k(KeyCode::Home)],
        Action::First,
        "first",
        false,
    ),
    (
        Scope::Results,
        &[c('G'), k(KeyCode::End)],
        Action::Last,
        "last",
        false,
    ),
    (
        Scope::Picker,
        &[k(KeyCode::Enter)],
        Action::Confirm,
        "open",
        true,
    ),
    (
        Scope::Picker,
        &[k(KeyCode::Esc)],
        Action::Dismiss,
        "close",
        true,
    ),
    (
        Scope::Picker,
        &[k(KeyCode::Down), Key::ctrl('n')],
        Action::Down,
        "down",
        true,
    ),
    (
        Scope::Picker,
        &[k(KeyCode::Up), Key::ctrl('p')],
        Action::Up,
        "up",
        true,
    ),
    (
        Scope::Picker,
        &[k(KeyCode::PageDown), Key::ctrl('d')],
        Action::PageDown,
        "page down",
        false,
    ),
    (
        Scope::Picker,
        &[k(KeyCode::PageUp)],
        Action::PageUp,
        "page up",
        false,
    ),
    (
        Scope::Picker,
        &[k(KeyCode::Home)],
        Action::First,
        "first",
        false,
    ),
    (
        Scope::Picker,
        &[k(KeyCode::End)],
        Action::Last,
        "last",
        false,
    ),
];
