//! The session picker: `S` on the board opens it at once and asks a worker for the list
//! (every store is read there, never here), other hosts' sessions listed after this
//! machine's as their cards say; typing filters it, ↑/↓ move, Enter shows the chosen
//! session's board or the all-sessions board, Esc closes it. While it is open, a change to a
//! store reads its session's row again, a change to the sessions the whole list (one read of
//! it at a time).

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::keymap::Key;
use crate::app::model::{Model, Overlay, Pane, PickRow, SessionPicker, StatusKind};
use crate::present::sanitize::one_line;
use crossterm::event::KeyCode;

/// `S`: opens the picker (it says it is reading until the list arrives).
pub fn open(model: &mut Model) {
    let current = match &model.board.host_session {
        Some((host, session)) => Some(crate::present::naming::on_host(host, session)),
        None if model.board.is_merged() => None,
        None => model.board.session.clone(),
    };
    let mut p = SessionPicker::new(current);
    p.set_hosts(model.board.host_sessions());
    model.overlay = Some(Overlay::Sessions(Box::new(p)));
    model.outbox.push(Effect::SessionOverview {
        ntm: model.roots.ntm.clone(),
        only: None,
    });
}

/// The open picker.
fn picker(model: &mut Model) -> Option<&mut SessionPicker> {
    match &mut model.overlay {
        Some(Overlay::Sessions(p)) => Some(p),
        _ => None,
    }
}

/// Keeps the selection in view at the current terminal size.
fn settle(model: &mut Model) {
    let shown = crate::ui::picker_rows_in_view(model);
    if let Some(p) = picker(model) {
        p.scroll(shown);
    }
}

/// An action while the picker is open.
pub fn action(model: &mut Model, action: Action) {
    let page = isize::try_from(crate::ui::picker_rows_in_view(model))
        .unwrap_or(10)
        .saturating_sub(1)
        .max(1);
    let Some(p) = picker(model) else {
        return;
    };
    match action {
        Action::ForceQuit => model.quit = true,
        Action::Dismiss => model.overlay = None,
        Action::Confirm => choose(model),
        Action::Down => p.move_by(1),
        Action::Up => p.move_by(-1),
        Action::PageDown => p.move_by(page),
        Action::PageUp => p.move_by(-page),
        Action::First => p.select(0),
        Action::Last => p.select(usize::MAX),
        _ => {}
    }
    settle(model);
}

/// A key no binding took, typed into the filter; returns whether the picker is open.
pub fn type_key(model: &mut Model, key: Key) -> bool {
    let Some(p) = picker(model) else {
        return false;
    };
    let mut filter = p.filter.clone();
    match key.code {
        KeyCode::Char('u') if key.ctrl => filter.clear(),
        KeyCode::Char(c) if !key.ctrl && !c.is_control() => filter.push(c),
        KeyCode::Backspace => {
            filter.pop();
        }
        _ => return true,
    }
    p.set_filter(filter);
    settle(model);
    true
}

/// A click on row `row` of the list: selects it, and opens it on a double-click.
pub fn click(model: &mut Model, row: usize, double: bool) {
    if let Some(p) = picker(model) {
        p.select(row);
    }
    if double {
        choose(model);
    }
    settle(model);
}

/// Enter: the selected session's board, or the all-sessions board.
fn choose(model: &mut Model) {
    let Some(Overlay::Sessions(p)) = model.overlay.take() else {
        return;
    };
    match p.selected_row() {
        Some(PickRow::All) => {
            model.board.open_all();
            model.focus = Pane::Board;
            model.say(
                StatusKind::Info,
                "all sessions: every session's cards, each acting in its own session (S picks one)",
            );
        }
        Some(row) if p.host_session(row).is_some() => {
            let Some((host, session)) = p.host_session(row) else {
                return;
            };
            model.board.open_host_session(host, session);
            model.focus = Pane::Board;
            let name = crate::present::naming::on_host(host, session);
            model.say(
                StatusKind::Info,
                format!("session {name}: its moves go to {}", one_line(host)),
            );
        }
        Some(row) => {
            let Some(name) = p.session(row).map(|s| s.name.clone()) else {
                return;
            };
            if model.board.is_merged() || model.board.session.as_deref() != Some(name.as_str()) {
                model.board.open_session(&name);
            }
            model.focus = Pane::Board;
            model.say(StatusKind::Info, format!("session {}", one_line(&name)));
        }
        // Nothing matches the filter: nothing to open, the picker stays.
        None => model.overlay = Some(Overlay::Sessions(p)),
    }
}

/// The list arrived: the picker shows it (and reads again if something changed meanwhile).
pub fn arrived(
    model: &mut Model,
    list: Result<Vec<crate::persist::assignment::SessionOverview>, String>,
) {
    let ntm = model.roots.ntm.clone();
    let Some(p) = picker(model) else {
        return;
    };
    p.apply(list);
    if std::mem::take(&mut p.again) {
        p.reading = true;
        model
            .outbox
            .push(Effect::SessionOverview { ntm, only: None });
    }
    settle(model);
}

/// One session's row was read again (its store changed).
pub fn arrived_one(
    model: &mut Model,
    session: &str,
    overview: Option<crate::persist::assignment::SessionOverview>,
) {
    if let Some(p) = picker(model) {
        p.apply_one(session, overview);
    }
    settle(model);
}

/// A store (`Some`: that session's) or the sessions changed: while the picker is open, that
/// session's row, or the whole list, is read again. During a read of the whole list, which
/// may have seen the store before it changed, the whole list is read again after it.
pub fn changed(model: &mut Model, session: Option<&str>) {
    let ntm = model.roots.ntm.clone();
    let Some(p) = picker(model) else {
        return;
    };
    if p.reading {
        p.again = true;
    } else if let Some(session) = session {
        let only = Some(session.to_owned());
        model.outbox.push(Effect::SessionOverview { ntm, only });
    } else {
        p.reading = true;
        model
            .outbox
            .push(Effect::SessionOverview { ntm, only: None });
    }
}
