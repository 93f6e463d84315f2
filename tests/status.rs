//! The status line tells the truth: a message expires after a few seconds (the loop wakes to
//! take it down), and a message about a state is gone the moment that state changes, so it
//! never contradicts a pane. Headless, with a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::model::{Model, Pane};
use beadboard::app::update::next_wakeup;
use chrono::{DateTime, Utc};
use common::dash::{Home, now, press, screen, type_text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Duration;

/// The screen as drawn at `at`.
fn screen_at(model: &Model, at: DateTime<Utc>) -> String {
    let mut terminal = Terminal::new(TestBackend::new(model.size.0, model.size.1)).unwrap();
    terminal
        .draw(|f| beadboard::ui::render(f, model, &common::dash::theme(), at))
        .unwrap();
    let buf = terminal.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

fn last_row(screen: &str, from_bottom: usize) -> String {
    let rows: Vec<&str> = screen.lines().collect();
    rows[rows.len() - from_bottom].trim_end().to_owned()
}

#[test]
fn a_message_expires_and_the_loop_wakes_to_take_it_down() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    press(&mut m, "a");
    let said = "showing active runs only";
    assert!(screen_at(&m, now()).contains(said));
    assert!(screen_at(&m, now() + chrono::Duration::seconds(4)).contains(said));
    let later = screen_at(&m, now() + chrono::Duration::seconds(6));
    assert!(!later.contains(said), "{later}");
    assert!(
        next_wakeup(&m, now()).unwrap() <= Duration::from_secs(5),
        "the loop wakes when the message expires"
    );
}

#[test]
fn follow_paused_goes_when_following_resumes() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    press(&mut m, "Enter");
    assert_eq!(m.focus, Pane::Transcript);
    press(&mut m, "k");
    assert!(
        screen(&m).contains("follow paused while you scroll"),
        "{}",
        screen(&m)
    );
    press(&mut m, "G");
    let shown = screen(&m);
    assert!(shown.contains("● following"), "{shown}");
    assert!(!shown.contains("paused"), "{shown}");
}

#[test]
fn match_n_of_m_goes_when_esc_clears_the_search() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    press(&mut m, "G Enter /");
    type_text(&mut m, "pass");
    press(&mut m, "Enter");
    press(&mut m, "n");
    assert!(screen(&m).contains(" of "), "{}", screen(&m));
    press(&mut m, "Esc");
    assert!(m.transcript.search.is_none());
    let shown = screen(&m);
    assert!(
        !shown.contains("match ") && !shown.contains("matches"),
        "{shown}"
    );
}

#[test]
fn a_refusal_does_not_linger_under_a_form() {
    let home = Home::golden();
    let mut m = home.model(120, 40, true);
    press(&mut m, "3");
    m.board.follow_bead("wa-3kd9");
    press(&mut m, "s");
    assert!(screen(&m).contains("Invalid transition"), "{}", screen(&m));
    m.board.follow_bead("wa-5tq0");
    press(&mut m, "x");
    let shown = screen(&m);
    assert!(shown.contains("Fail wa-5tq0"), "{shown}");
    assert!(!shown.contains("Invalid transition"), "{shown}");
    // Accepting without a reason: the form's own error, and nothing else.
    press(&mut m, "Enter");
    let shown = screen(&m);
    assert!(shown.contains("a reason is required"), "{shown}");
    assert!(!shown.contains("Invalid transition"), "{shown}");
    assert!(!last_row(&shown, 2).contains('✗'), "{shown}");
}
