//! termina's input events as the crossterm types the keymap and `update` use. The two crates
//! share crossterm's model of keys and mouse events, so this is a plain one-to-one mapping.

use crate::app::event::Msg;
use crossterm::event as ct;
use termina::event as tm;

/// The message for a parsed event: keys and mouse events; `None` for what the dashboard does
/// not ask for (focus, paste, terminal replies).
#[must_use]
pub fn message(event: termina::Event) -> Option<Msg> {
    match event {
        termina::Event::Key(key) => Some(Msg::Key(key_event(key))),
        termina::Event::Mouse(mouse) => Some(Msg::Mouse(mouse_event(mouse))),
        _ => None,
    }
}

/// A key event in crossterm's terms.
#[must_use]
pub fn key_event(key: tm::KeyEvent) -> ct::KeyEvent {
    let mut state = ct::KeyEventState::NONE;
    if key.state.contains(tm::KeyEventState::KEYPAD) {
        state |= ct::KeyEventState::KEYPAD;
    }
    if key.state.contains(tm::KeyEventState::CAPS_LOCK)
        || key.modifiers.contains(tm::Modifiers::CAPS_LOCK)
    {
        state |= ct::KeyEventState::CAPS_LOCK;
    }
    if key.state.contains(tm::KeyEventState::NUM_LOCK)
        || key.modifiers.contains(tm::Modifiers::NUM_LOCK)
    {
        state |= ct::KeyEventState::NUM_LOCK;
    }
    ct::KeyEvent {
        code: key_code(key.code),
        modifiers: modifiers(key.modifiers),
        kind: match key.kind {
            tm::KeyEventKind::Press => ct::KeyEventKind::Press,
            tm::KeyEventKind::Repeat => ct::KeyEventKind::Repeat,
            tm::KeyEventKind::Release => ct::KeyEventKind::Release,
        },
        state,
    }
}

/// A mouse event in crossterm's terms.
#[must_use]
pub fn mouse_event(mouse: tm::MouseEvent) -> ct::MouseEvent {
    let button = |b: tm::MouseButton| match b {
        tm::MouseButton::Left => ct::MouseButton::Left,
        tm::MouseButton::Right => ct::MouseButton::Right,
        tm::MouseButton::Middle => ct::MouseButton::Middle,
    };
    ct::MouseEvent {
        kind: match mouse.kind {
            tm::MouseEventKind::Down(b) => ct::MouseEventKind::Down(button(b)),
            tm::MouseEventKind::Up(b) => ct::MouseEventKind::Up(button(b)),
            tm::MouseEventKind::Drag(b) => ct::MouseEventKind::Drag(button(b)),
            tm::MouseEventKind::Moved => ct::MouseEventKind::Moved,
            tm::MouseEventKind::ScrollDown => ct::MouseEventKind::ScrollDown,
            tm::MouseEventKind::ScrollUp => ct::MouseEventKind::ScrollUp,
            tm::MouseEventKind::ScrollLeft => ct::MouseEventKind::ScrollLeft,
            tm::MouseEventKind::ScrollRight => ct::MouseEventKind::ScrollRight,
        },
        column: mouse.column,
        row: mouse.row,
        modifiers: modifiers(mouse.modifiers),
    }
}

fn modifiers(m: tm::Modifiers) -> ct::KeyModifiers {
    let pairs = [
        (tm::Modifiers::SHIFT, ct::KeyModifiers::SHIFT),
        (tm::Modifiers::CONTROL, ct::KeyModifiers::CONTROL),
        (tm::Modifiers::ALT, ct::KeyModifiers::ALT),
        (tm::Modifiers::SUPER, ct::KeyModifiers::SUPER),
        (tm::Modifiers::HYPER, ct::KeyModifiers::HYPER),
        (tm::Modifiers::META, ct::KeyModifiers::META),
    ];
    pairs
        .into_iter()
        .filter(|(t, _)| m.contains(*t))
        .fold(ct::KeyModifiers::NONE, |acc, (_, c)| acc | c)
}

fn key_code(code: tm::KeyCode) -> ct::KeyCode {
    use ct::KeyCode as C;
    use tm::KeyCode as T;
    match code {
        T::Char(c) => C::Char(c),
        T::Enter => C::Enter,
        T::Backspace => C::Backspace,
        T::Tab => C::Tab,
        T::Escape => C::Esc,
        T::Left => C::Left,
        T::Right => C::Right,
        T::Up => C::Up,
        T::Down => C::Down,
        T::Home => C::Home,
        T::End => C::End,
        T::BackTab => C::BackTab,
        T::PageUp => C::PageUp,
        T::PageDown => C::PageDown,
        T::Insert => C::Insert,
        T::Delete => C::Delete,
        T::KeypadBegin => C::KeypadBegin,
        T::CapsLock => C::CapsLock,
        T::ScrollLock => C::ScrollLock,
        T::NumLock => C::NumLock,
        T::PrintScreen => C::PrintScreen,
        T::Pause => C::Pause,
        T::Menu => C::Menu,
        T::Null => C::Null,
        T::Function(n) => C::F(n),
        T::Modifier(m) => C::Modifier(modifier_key(m)),
        T::Media(m) => C::Media(media_key(m)),
    }
}

fn modifier_key(m: tm::ModifierKeyCode) -> ct::ModifierKeyCode {
    use ct::ModifierKeyCode as C;
    use tm::ModifierKeyCode as T;
    match m {
        T::LeftShift => C::LeftShift,
        T::LeftControl => C::LeftControl,
        T::LeftAlt => C::LeftAlt,
        T::LeftSuper => C::LeftSuper,
        T::LeftHyper => C::LeftHyper,
        T::LeftMeta => C::LeftMeta,
        T::RightShift => C::RightShift,
        T::RightControl => C::RightControl,
        T::RightAlt => C::RightAlt,
        T::RightSuper => C::RightSuper,
        T::RightHyper => C::RightHyper,
        T::RightMeta => C::RightMeta,
        T::IsoLevel3Shift => C::IsoLevel3Shift,
        T::IsoLevel5Shift => C::IsoLevel5Shift,
    }
}

fn media_key(m: tm::MediaKeyCode) -> ct::MediaKeyCode {
    use ct::MediaKeyCode as C;
    use tm::MediaKeyCode as T;
    match m {
        T::Play => C::Play,
        T::Pause => C::Pause,
        T::PlayPause => C::PlayPause,
        T::Reverse => C::Reverse,
        T::Stop => C::Stop,
        T::FastForward => C::FastForward,
        T::Rewind => C::Rewind,
        T::TrackNext => C::TrackNext,
        T::TrackPrevious => C::TrackPrevious,
        T::Record => C::Record,
        T::LowerVolume => C::LowerVolume,
        T::RaiseVolume => C::RaiseVolume,
        T::MuteVolume => C::MuteVolume,
    }
}
