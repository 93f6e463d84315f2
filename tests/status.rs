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

/// A failed run whose prompt names the selected card keeps its attention flag beside the link
/// marker: each has its own place.
#[test]
fn the_link_marker_never_hides_the_attention_flag() {
    let home = Home::golden();
    let manifest = home
        .agentpair()
        .join("runs/43d7567239bfd176/3/manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let prompt_at = text.find("\"prompt\": \"").unwrap() + "\"prompt\": \"".len();
    let mut edited = text.clone();
    edited.insert_str(prompt_at, "Work on bead wa-5tq0: ");
    std::fs::write(&manifest, edited).unwrap();
    common::dash::freeze_times(home.dir.path());
    let mut m = home.model(200, 50, true);
    press(&mut m, "3");
    m.board.follow_bead("wa-5tq0");
    let row = screen(&m)
        .lines()
        .find(|l| l.contains("webapp #3"))
        .unwrap()
        .to_owned();
    assert!(row.contains("⚑⇄✗ failed"), "{row}");
}

/// A reason on screen is worked out when drawn: an hour later the stale run's reason and its
/// ACTIVITY column agree, with no event in between.
#[test]
fn a_stale_reason_reads_the_same_time_as_its_activity_column() {
    let home = Home::golden();
    let mut m = home.model(200, 50, true);
    // The clock tick that found it stale came an hour in; the frame is drawn 3 minutes later.
    beadboard::app::step(
        &mut m,
        beadboard::app::event::Msg::Tick,
        now() + chrono::Duration::hours(1),
    );
    let later = now() + chrono::Duration::minutes(63);
    let shown = screen_at(&m, later);
    let row = shown
        .lines()
        .find(|l| l.contains("▶ working") && l.contains("webapp #2"))
        .unwrap();
    assert!(row.contains("⚠ stale 1h "), "{row}");
    // The selected run's reason below the list, drawn at the same moment.
    let reason = shown
        .lines()
        .find(|l| l.contains("⚑ stale: quiet for"))
        .unwrap_or_default();
    assert!(reason.contains("quiet for 1h08m"), "{shown}");
}

/// Reassigning produces `assigned` (as upstream does), so a `→ reassigned` column would always
/// be empty: it shows only when a record really is reassigned.
#[test]
fn the_reassigned_column_shows_only_when_a_record_is_reassigned() {
    use beadboard::persist::assignment::AssignmentStore;
    let home = Home::golden();
    let mut store = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    store.remove("wa-2c9d").unwrap();
    let mut m = home.model(200, 50, true);
    press(&mut m, "3");
    assert!(!screen(&m).contains("reassigned"), "{}", screen(&m));
    let golden = Home::golden();
    let mut g = golden.model(200, 50, true);
    press(&mut g, "3");
    assert!(screen(&g).contains("→ reassigned 1"), "{}", screen(&g));
}

/// `i` walks to an item the filter hides: it clears the filter to show it, and says so.
#[test]
fn i_says_when_it_clears_a_filter_to_show_an_item() {
    let home = Home::golden();
    let mut m = home.model(120, 40, true);
    press(&mut m, "/");
    type_text(&mut m, "api");
    press(&mut m, "Enter");
    assert!(!m.runs.filter().is_empty());
    for _ in 0..6 {
        press(&mut m, "i");
        if common::dash::status(&m).contains("cleared to show it") {
            break;
        }
    }
    assert!(
        common::dash::status(&m).contains("(the filter /api cleared to show it)"),
        "{}",
        common::dash::status(&m)
    );
    assert!(m.runs.filter().is_empty());
}

/// `M` keeps the last 100 messages with their times, newest first, errors included: an
/// error that expired from the status line can still be read.
#[test]
fn m_shows_the_last_hundred_messages_with_their_times() {
    use beadboard::app::model::StatusKind;
    let home = Home::golden();
    let mut m = home.model(120, 40, true);
    m.say(StatusKind::Error, "the oldest, forgotten");
    m.say(
        StatusKind::Error,
        "cannot write assignments.json: disk full",
    );
    for n in 0..99 {
        m.say(StatusKind::Info, format!("note {n}"));
    }
    assert_eq!(m.messages.len(), 100);
    // Long after: the status line has moved on, M still has the error.
    let later = now() + chrono::Duration::minutes(3);
    assert!(!screen_at(&m, later).contains("disk full"));
    common::dash::press_at(&mut m, "M", later);
    let shown = screen_at(&m, later);
    assert!(shown.contains("last 100 · newest first"), "{shown}");
    assert!(shown.contains("note 98"), "{shown}");
    assert!(!shown.contains("the oldest"), "{shown}");
    press(&mut m, "G");
    let end = screen_at(&m, later);
    let error = end
        .lines()
        .find(|l| l.contains("disk full"))
        .unwrap_or_else(|| panic!("{end}"));
    assert!(
        error.contains("16:05:00") && error.contains("3m ago") && error.contains('✗'),
        "{error}"
    );
}
