//! The mouse, headless with a fixed clock: a click selects a run, a card, a column or a pane
//! tab; a double-click opens; the wheel scrolls the pane under the pointer; a click on a
//! footer key does what the key does; in the session picker a click selects a session and a
//! double-click opens its board. Positions are found on the drawn screen, as a user
//! would aim.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::event::Msg;
use beadboard::app::model::{Model, Overlay, Pane};
use common::dash::{Home, now, press, screen};
use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

/// Where `text` first appears on the screen (column, row).
fn find(m: &Model, text: &str) -> (u16, u16) {
    let shown = screen(m);
    for (y, line) in shown.lines().enumerate() {
        if let Some(byte) = line.find(text) {
            let x = unicode_width::UnicodeWidthStr::width(&line[..byte]);
            return (u16::try_from(x).unwrap(), u16::try_from(y).unwrap());
        }
    }
    panic!("{text:?} not on screen:\n{shown}");
}

fn mouse(m: &mut Model, kind: MouseEventKind, (x, y): (u16, u16), at: chrono::Duration) {
    let event = MouseEvent {
        kind,
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    };
    beadboard::app::step(m, Msg::Mouse(event), now() + at);
}

fn click(m: &mut Model, at: (u16, u16)) {
    mouse(
        m,
        MouseEventKind::Down(MouseButton::Left),
        at,
        chrono::Duration::zero(),
    );
}

#[test]
fn a_click_selects_a_run_and_a_double_click_opens_it() {
    let home = Home::golden();
    let mut m = home.model(120, 40, true);
    let at = find(&m, "api #1");
    click(&mut m, at);
    assert_eq!(m.focus, Pane::Runs);
    let selected = beadboard::present::naming::name(m.runs.selected().unwrap());
    assert_eq!(selected, "api #1");
    let at = find(&m, "webapp #3");
    click(&mut m, at);
    mouse(
        &mut m,
        MouseEventKind::Down(MouseButton::Left),
        at,
        chrono::Duration::milliseconds(200),
    );
    assert_eq!(
        m.focus,
        Pane::Transcript,
        "double-click opened the transcript"
    );
    assert_eq!(m.transcript.reference, "webapp #3");
}

#[test]
fn a_click_on_a_tab_a_column_and_a_card_selects_them() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    let tab = find(&m, "3 Board");
    click(&mut m, tab);
    assert_eq!(m.focus, Pane::Board);
    let card = find(&m, "wa-5tq0");
    click(&mut m, card);
    assert_eq!(m.board.selected_card().unwrap().bead_id, "wa-5tq0");
    // Double-click on the card: the card in full.
    mouse(
        &mut m,
        MouseEventKind::Down(MouseButton::Left),
        card,
        chrono::Duration::milliseconds(100),
    );
    assert!(matches!(&m.overlay, Some(Overlay::Card { bead, .. }) if bead == "wa-5tq0"));
    press(&mut m, "Esc");
    // Every column is reachable by clicking, the hidden ones through the `more ▸` marker.
    let count = m.board.columns().len();
    for _ in 0..count {
        let shown = screen(&m);
        let Some(marker) = shown.lines().find(|l| l.contains("more ▸")) else {
            break;
        };
        let _ = marker;
        let at = find(&m, "more ▸");
        let before = m.board.column;
        click(&mut m, at);
        assert!(
            m.board.column > before,
            "the marker brought a hidden column in"
        );
    }
    assert_eq!(m.board.column, count - 1, "the last column reached");
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let home = Home::golden();
    let mut m = home.model(120, 40, true);
    press(&mut m, "Enter");
    assert!(m.transcript.follow);
    let cursor = m.transcript.cursor;
    let at = find(&m, "Transcript api #2");
    let inside = (at.0 + 2, at.1 + 3);
    mouse(
        &mut m,
        MouseEventKind::ScrollUp,
        inside,
        chrono::Duration::zero(),
    );
    assert_eq!(m.transcript.cursor, cursor - 3);
    assert!(!m.transcript.follow, "scrolling up pauses following");
    // Over the Runs pane the wheel moves the run selection, not the transcript.
    let runs = find(&m, "api #1");
    let before = m.runs.selected_index().unwrap();
    mouse(
        &mut m,
        MouseEventKind::ScrollDown,
        runs,
        chrono::Duration::zero(),
    );
    assert_eq!(m.runs.selected_index(), Some(before + 3));
    assert_eq!(
        m.focus,
        Pane::Transcript,
        "the wheel does not move the focus"
    );
}

#[test]
fn a_click_on_a_footer_key_does_what_the_key_does() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    let help = find(&m, "? help");
    click(&mut m, help);
    assert!(
        matches!(m.overlay, Some(Overlay::Help { .. })),
        "{}",
        screen(&m)
    );
}

/// In the session picker a click selects a session, a double-click opens its board, and the
/// wheel moves the selection.
#[test]
fn in_the_session_picker_a_double_click_opens_the_session() {
    let home = Home::sessions();
    let mut m = home.model(120, 40, true);
    press(&mut m, "3 S");
    let selected = |m: &Model| match &m.overlay {
        Some(Overlay::Sessions(p)) => p
            .selected_row()
            .and_then(|r| p.session(r))
            .map(|s| s.name.clone()),
        other => panic!("the picker is not open: {other:?}"),
    };
    assert_eq!(selected(&m).as_deref(), Some("api"));
    let wheel_at = find(&m, "webapp ");
    mouse(
        &mut m,
        MouseEventKind::ScrollDown,
        wheel_at,
        chrono::Duration::zero(),
    );
    assert_eq!(selected(&m).as_deref(), Some("webapp"));
    let at = find(&m, "billing");
    click(&mut m, at);
    assert_eq!(selected(&m).as_deref(), Some("billing"));
    mouse(
        &mut m,
        MouseEventKind::Down(MouseButton::Left),
        at,
        chrono::Duration::milliseconds(200),
    );
    assert!(m.overlay.is_none());
    assert_eq!(m.board.session.as_deref(), Some("billing"));
}
