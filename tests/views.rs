//! Snapshot tests of every view (TestBackend + insta), empty and populated, at 80×24, 120×40
//! and 200×50 (plus 120×30 and a too-small terminal), with a fixed clock and fixed file times.
//! The sidebar sizes (64×45, 80×50, 90×30) are in `layout.rs`.
//! Style tests check that states never rely on colour alone and that `NO_COLOR` uses none.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::act as apply;
use beadboard::app::action::Action;
use beadboard::app::model::{Model, Pane};
use common::dash::{Home, draw, now, screen};
use insta::assert_snapshot;
use ratatui::style::{Color, Modifier};

fn act(model: &mut Model, actions: &[Action]) {
    for a in actions {
        apply(model, *a, now());
    }
}

fn focus(model: &mut Model, pane: Pane) {
    model.focus = pane;
}

#[test]
fn runs_80x24() {
    let home = Home::golden();
    assert_snapshot!("runs_80x24", screen(&home.model(80, 24, true)));
}

#[test]
fn runs_empty_80x24() {
    let home = Home::empty();
    let text = screen(&home.model(80, 24, true));
    assert_snapshot!(
        "runs_empty_80x24",
        text.replace(&home.dir.path().display().to_string(), "[HOME]")
    );
}

#[test]
fn runs_filtered_active_only_80x24() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    act(&mut m, &[Action::ToggleActiveOnly]);
    m.runs.set_filter("api".into());
    m.runs.ensure_selection();
    assert_snapshot!("runs_filtered_active_only_80x24", screen(&m));
}

#[test]
fn transcript_80x24() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    act(&mut m, &[Action::Last, Action::OpenTranscript]);
    assert_snapshot!("transcript_80x24", screen(&m));
}

#[test]
fn transcript_scrolled_with_search_80x24() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    act(
        &mut m,
        &[Action::Last, Action::OpenTranscript, Action::First],
    );
    m.transcript.search_for("limiter");
    let effects = m.take_effects();
    beadboard::app::settle(&mut m, effects, now());
    act(&mut m, &[Action::First, Action::NextMatch]);
    assert_snapshot!("transcript_scrolled_with_search_80x24", screen(&m));
}

#[test]
fn transcript_empty_80x24() {
    let home = Home::empty();
    let mut m = home.model(80, 24, true);
    focus(&mut m, Pane::Transcript);
    assert_snapshot!("transcript_empty_80x24", screen(&m));
}

#[test]
fn transcript_expanded_entry_80x24() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    act(
        &mut m,
        &[
            Action::Last,
            Action::OpenTranscript,
            Action::First,
            Action::Down,
            Action::Down,
            Action::Down,
            Action::Down,
            Action::ExpandEntry,
        ],
    );
    assert_snapshot!("transcript_expanded_entry_80x24", screen(&m));
}

#[test]
fn board_80x24() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    act(&mut m, &[Action::ShowBoard]);
    assert_snapshot!("board_80x24", screen(&m));
}

#[test]
fn board_empty_80x24() {
    let home = Home::empty();
    let mut m = home.model(80, 24, true);
    act(&mut m, &[Action::ShowBoard]);
    assert_snapshot!(
        "board_empty_80x24",
        screen(&m).replace(&home.dir.path().display().to_string(), "[HOME]")
    );
}

#[test]
fn dialogs_80x24() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    act(
        &mut m,
        &[Action::ShowBoard, Action::ColumnRight, Action::Remove],
    );
    assert_snapshot!("confirm_remove_80x24", screen(&m));
    act(&mut m, &[Action::Cancel, Action::Fail]);
    assert_snapshot!("fail_form_80x24", screen(&m));
    act(&mut m, &[Action::Cancel, Action::ToggleHelp]);
    assert_snapshot!("help_80x24", screen(&m));
}

#[test]
fn too_small() {
    let home = Home::golden();
    assert_snapshot!("too_small_50x12", screen(&home.model(50, 12, true)));
}

#[test]
fn medium_120x30() {
    let home = Home::golden();
    let mut m = home.model(120, 30, true);
    assert_snapshot!("medium_120x30", screen(&m));
    act(&mut m, &[Action::ShowBoard]);
    assert_snapshot!("medium_board_120x30", screen(&m));
}

/// Every view at the medium and wide sizes the brief names (80×24 is above); 120×40 pins
/// the layout priorities: Runs keeps ITER, ELAPSED and ACTIVITY over PROMPT and REPO.
#[test]
fn views_at_120x40_and_200x50() {
    let home = Home::golden();
    for (w, h) in [(120, 40), (200, 50)] {
        let size = format!("{w}x{h}");
        let mut m = home.model(w, h, true);
        if w == 120 {
            assert_snapshot!(format!("runs_{size}"), screen(&m));
        }
        act(&mut m, &[Action::Last, Action::OpenTranscript]);
        assert_snapshot!(format!("transcript_{size}"), screen(&m));
        act(
            &mut m,
            &[
                Action::First,
                Action::Down,
                Action::Down,
                Action::Down,
                Action::Down,
                Action::ExpandEntry,
            ],
        );
        assert_snapshot!(format!("transcript_expanded_entry_{size}"), screen(&m));
        act(&mut m, &[Action::Dismiss, Action::ShowBoard]);
        assert_snapshot!(format!("board_{size}"), screen(&m));
        act(&mut m, &[Action::ColumnRight, Action::Remove]);
        assert_snapshot!(format!("confirm_remove_{size}"), screen(&m));
        act(&mut m, &[Action::Cancel, Action::Fail]);
        assert_snapshot!(format!("fail_form_{size}"), screen(&m));
        act(&mut m, &[Action::Cancel, Action::ToggleHelp]);
        assert_snapshot!(format!("help_{size}"), screen(&m));
    }
    let empty = Home::empty();
    let text = screen(&empty.model(120, 40, true));
    assert_snapshot!(
        "runs_empty_120x40",
        text.replace(&empty.dir.path().display().to_string(), "[HOME]")
    );
}

#[test]
fn wide_200x50() {
    let home = Home::golden();
    assert_snapshot!("wide_200x50", screen(&home.model(200, 50, true)));
}

#[test]
fn wide_empty_200x50() {
    let home = Home::empty();
    let text = screen(&home.model(200, 50, true));
    assert_snapshot!(
        "wide_empty_200x50",
        text.replace(&home.dir.path().display().to_string(), "[HOME]")
    );
}

#[test]
fn wide_board_focus_links_runs_200x50() {
    let home = Home::golden();
    let mut m = home.model(200, 50, true);
    act(
        &mut m,
        &[Action::ShowBoard, Action::ColumnRight, Action::ColumnRight],
    );
    assert_snapshot!("wide_board_focus_200x50", screen(&m));
}

/// Every state reads through a glyph and a word; with `NO_COLOR` no colour is used at all.
#[test]
fn no_color_uses_no_colour_but_keeps_glyphs_and_selection() {
    let home = Home::golden();
    let m = home.model(200, 50, false);
    let terminal = draw(&m);
    let buf = terminal.backend().buffer();
    for cell in buf.content() {
        assert_eq!(
            cell.fg,
            Color::Reset,
            "a colour was used under NO_COLOR: {cell:?}"
        );
        assert_eq!(cell.bg, Color::Reset);
    }
    let text = screen(&m);
    for word in [
        "▶ working",
        "✓ completed",
        "✗ failed",
        "○ assigned",
        "→ reassigned",
    ] {
        assert!(text.contains(word), "{word} missing");
    }
    let selected_row = (0..buf.area.height)
        .find(|&y| (0..buf.area.width).any(|x| buf[(x, y)].modifier.contains(Modifier::REVERSED)));
    assert!(
        selected_row.is_some(),
        "the selection shows without colour (reverse video)"
    );
}

#[test]
fn colours_follow_state() {
    let home = Home::golden();
    let m = home.model(200, 50, true);
    let terminal = draw(&m);
    let buf = terminal.backend().buffer();
    let find = |needle: &str| {
        for y in 0..buf.area.height {
            let row: String = (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_owned())
                .collect();
            if let Some(col) = row.find(needle) {
                let x = row[..col].chars().count();
                return buf[(u16::try_from(x).unwrap(), y)].fg;
            }
        }
        panic!("{needle} not on screen");
    };
    assert_eq!(find("✗ failed"), Color::Red);
    assert_eq!(find("✓ completed"), Color::Green);
}

/// Agent text full of escape sequences is drawn inert: no control character reaches a cell.
#[test]
fn hostile_agent_text_is_drawn_inert() {
    use beadboard::persist::run::{Manager, Paths, RunConfig};
    let home = Home::empty();
    let run = Manager::new(Paths::new(home.agentpair()), "/repo/evil")
        .create("title \u{1b}]0;pwned\u{7}change", &RunConfig::default())
        .unwrap();
    let hostile = "ok \u{1b}[2J\u{1b}[H\u{1b}]0;owned\u{7}\u{1b}[200~paste\u{1b}[201~ \u{9b}31m c1 \u{202e}rtl\u{1b}[31mred\u{1b}[0m\r\nnext \u{7}bell \u{0}nul";
    run.transcript
        .log_result("codex", 1, hostile, std::time::Duration::from_secs(1))
        .unwrap();
    run.transcript
        .log_error(
            "codex",
            1,
            "\u{1b}]8;;http://evil\u{1b}\\click\u{1b}]8;;\u{1b}\\",
        )
        .unwrap();
    let mut m = home.model(120, 30, true);
    act(&mut m, &[Action::OpenTranscript]);
    let terminal = draw(&m);
    for cell in terminal.backend().buffer().content() {
        assert!(
            cell.symbol()
                .chars()
                .all(|c| !beadboard::present::sanitize::is_unsafe(c)),
            "unsafe character drawn: {:?}",
            cell.symbol()
        );
    }
    let text = screen(&m);
    assert!(
        text.contains("ok paste  c1 rtlred")
            && text.contains("next bell nul")
            && text.contains("click"),
        "{text}"
    );
    // The Runs pane shows the prompt where it has room for it (at 120 columns it keeps the
    // iteration, elapsed time and activity instead).
    m.size = (200, 50);
    let wide = screen(&m);
    assert!(
        wide.contains("title change") && !wide.contains("pwned"),
        "{wide}"
    );
    m.size = (120, 30);
    act(&mut m, &[Action::First, Action::ExpandEntry]);
    for cell in draw(&m).backend().buffer().content() {
        assert!(
            cell.symbol()
                .chars()
                .all(|c| !beadboard::present::sanitize::is_unsafe(c))
        );
    }
}

/// A column with more cards than fit scrolls to the selection and says how many are above.
#[test]
fn a_long_column_scrolls_to_the_selection_80x24() {
    use beadboard::persist::assignment::AssignmentStore;
    let home = Home::empty();
    // Assigned on the fixed clock, five minutes before the frame's `now`: the ages never depend on
    // the day the test runs.
    let mut store = AssignmentStore::new(&home.ntm(), "many")
        .unwrap()
        .with_clock(beadboard::persist::assignment::Clock::from_fn(|| {
            (now() - chrono::Duration::minutes(5)).fixed_offset()
        }));
    for i in 0..9 {
        store
            .assign(
                &format!("mn-{i:02}"),
                &format!("Bead number {i} with a longer title"),
                i,
                "codex",
                "",
                "",
            )
            .unwrap();
    }
    let mut m = home.model(80, 24, true);
    act(&mut m, &[Action::ShowBoard, Action::Last]);
    let text = screen(&m);
    assert!(
        text.contains("○ assigned 9") && text.contains("↑6 ━━━"),
        "{text}"
    );
    assert!(text.contains("mn-08"), "the selected (last) card is shown");
    assert_snapshot!("board_scrolled_80x24", text);
}

/// The board with a beads file: the ready column first; a card in full with its history; the
/// form `n` opens.
#[test]
fn backlog_card_and_assign_views() {
    use beadboard::persist::assignment::AssignmentStore;
    let home = Home::golden();
    let beads = Some(home.ntm().join("beads/issues.jsonl"));
    let mut store = AssignmentStore::load_store(&home.ntm(), "webapp")
        .unwrap()
        .with_clock(common::ticking_clock());
    store.retry("wa-1f6b").unwrap();
    store.mark_working("wa-1f6b").unwrap();
    store
        .reassign("wa-1f6b", 4, "codex", "webapp_codex_4")
        .unwrap();
    store.mark_working("wa-1f6b").unwrap();
    store.mark_failed("wa-1f6b", "tests still red").unwrap();
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let mut m = home.model_with(w, h, true, beads.clone());
        focus(&mut m, Pane::Board);
        m.board.follow_bead("wa-0rr8");
        assert_snapshot!(format!("board_ready_{w}x{h}"), screen(&m));
        act(&mut m, &[Action::AssignReady]);
        assert_snapshot!(format!("assign_form_{w}x{h}"), screen(&m));
        act(&mut m, &[Action::Cancel]);
        m.board.follow_bead("wa-1f6b");
        act(&mut m, &[Action::CardDetails]);
        assert_snapshot!(format!("card_details_{w}x{h}"), screen(&m));
    }
}

/// A transcript line one column wider than the text column loses no character: wrapped, the
/// last character moves to the next row; cut, the row ends in `…`. (At 80×24 the text column is
/// 44 wide: 80 − 2 borders − 1 cursor gutter − 33 of time, iteration, agent and type.)
#[test]
fn transcript_line_one_column_too_wide_keeps_every_character_80x24() {
    use beadboard::persist::run::{EntryType, Manager, Paths, RunConfig, TranscriptEntry};
    let home = Home::empty();
    let run = Manager::new(Paths::new(home.agentpair()), "/repo/api")
        .create("wrap", &RunConfig::default())
        .unwrap();
    let exact = "diff --git a/src/server.ts b/src/server.ts 1";
    let over = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHI";
    let spaced = "the tests all pass now and the build is clear done";
    assert_eq!((exact.len(), over.len()), (44, 45));
    let content = format!("{exact}\n{over}\n{spaced}");
    let mut entry = TranscriptEntry::new(EntryType::Result);
    entry.timestamp = common::at(0);
    entry.run_id = 1;
    entry.agent = "codex".into();
    entry.iteration = 1;
    entry.content = content;
    run.transcript.append_as_is(&entry).unwrap();
    let mut m = home.model(80, 24, false);
    act(&mut m, &[Action::OpenTranscript]);
    let wrapped = screen(&m);
    assert!(wrapped.contains(&format!("{exact}┃")), "{wrapped}");
    assert!(wrapped.contains(&format!("{}┃", &over[..44])), "{wrapped}");
    assert!(wrapped.contains("│ I"), "{wrapped}");
    assert!(wrapped.contains("│ clear done"), "{wrapped}");
    act(&mut m, &[Action::ToggleWrap]);
    let cut = screen(&m);
    assert!(cut.contains(&format!("{exact}┃")), "{cut}");
    assert!(cut.contains(&format!("{}…┃", &over[..43])), "{cut}");
    assert!(cut.contains(&format!("{}…┃", &spaced[..43])), "{cut}");
}

/// The cells of row `y` whose text is marked (underlined: the search-match style without colour).
fn marked_text(buf: &ratatui::buffer::Buffer, y: u16) -> String {
    (0..buf.area.width)
        .filter(|&x| buf[(x, y)].modifier.contains(Modifier::UNDERLINED))
        .map(|x| buf[(x, y)].symbol().to_owned())
        .collect()
}

fn row_with(buf: &ratatui::buffer::Buffer, needle: &str) -> u16 {
    (0..buf.area.height)
        .find(|&y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_owned())
                .collect::<String>()
                .contains(needle)
        })
        .unwrap_or_else(|| panic!("{needle} not on screen"))
}

/// `/api #2` and `/#2` pick runs by name and mark the name; other text marks where it matched.
#[test]
fn runs_filtered_by_name_80x24() {
    let home = Home::golden();
    let mut m = home.model(80, 24, false);
    m.runs.set_filter("api #2".into());
    m.runs.ensure_selection();
    assert_snapshot!("runs_filtered_by_name_80x24", screen(&m));
    let terminal = draw(&m);
    let buf = terminal.backend().buffer();
    assert_eq!(
        marked_text(buf, row_with(buf, "working   api #2")),
        "api #2"
    );
    m.runs.set_filter("#2".into());
    m.runs.ensure_selection();
    let shown = screen(&m);
    assert!(
        shown.contains("webapp #2") && shown.contains("api #2") && !shown.contains("#1"),
        "{shown}"
    );
    let terminal = draw(&m);
    let buf = terminal.backend().buffer();
    assert_eq!(marked_text(buf, row_with(buf, "webapp #2")), "#2");
    m.runs.set_filter("FAILED".into());
    m.runs.ensure_selection();
    let terminal = draw(&m);
    let buf = terminal.backend().buffer();
    assert_eq!(marked_text(buf, row_with(buf, "✗ failed")), "failed");
    m.runs.set_filter("rate".into());
    m.runs.ensure_selection();
    let terminal = draw(&m);
    let buf = terminal.backend().buffer();
    assert_eq!(marked_text(buf, row_with(buf, "webapp #4")), "rate");
}

/// A filter that matches nothing keeps the column header and says what was asked for.
#[test]
fn runs_filter_matching_nothing_80x24() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    m.runs.set_filter("api #9".into());
    m.runs.ensure_selection();
    assert_snapshot!("runs_filter_matching_nothing_80x24", screen(&m));
    act(&mut m, &[Action::ToggleActiveOnly]);
    m.runs.set_filter(String::new());
    m.runs.ensure_selection();
    let shown = screen(&m);
    assert!(shown.contains("STATE") && shown.contains("RUN"), "{shown}");
}
