//! Keys power users expect, headless with a fixed clock: sideways scrolling of cut lines,
//! yank, undo, confirmations that need `y`, forms that edit like a line editor, Ctrl-C that
//! closes a form, and `T` on a ready bead saying the true reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::run::Transcript;
use common::dash::{Home, press, screen, status, type_text};

/// A transcript line far wider than the pane, with a marker at its end.
fn long_line_home() -> Home {
    let home = Home::golden();
    let run = home.agentpair().join("runs/43d7567239bfd176/2");
    let filler = "abcdefghij".repeat(12);
    Transcript::new(run.join("transcript.jsonl"), 2)
        .log_error("claude", 3, &format!("{filler} END-OF-THE-LINE"))
        .unwrap();
    home
}

#[test]
fn cut_lines_end_in_an_ellipsis_and_scroll_sideways() {
    let home = long_line_home();
    let mut m = home.model(80, 24, true);
    // Rows hold still while runs write: the run is selected where it is.
    m.runs
        .select_dir(&home.agentpair().join("runs/43d7567239bfd176/2"));
    press(&mut m, "Enter");
    press(&mut m, "w");
    let cut = screen(&m);
    assert!(!cut.contains("END-OF-THE-LINE"), "{cut}");
    assert!(
        cut.lines()
            .any(|l| l.contains("abcdefghij") && l.trim_end().ends_with("…┃")
                || l.contains("abcdefghij") && l.trim_end().ends_with('…')),
        "a cut line ends in …:\n{cut}"
    );
    // `l` scrolls 8 columns at a time until the end is in sight (how many presses that takes
    // depends on the time column: the appended line is dated by the wall clock).
    let mut presses = 0;
    while !screen(&m).contains("END-OF-THE-LINE") {
        assert!(presses < 30, "l never reached the end:\n{}", screen(&m));
        press(&mut m, "l");
        presses += 1;
    }
    let scrolled = screen(&m);
    let column = format!("from column {}", presses * 8 + 1);
    assert!(scrolled.contains(&column), "{column}:\n{scrolled}");
    for _ in 0..presses {
        press(&mut m, "h");
    }
    assert_eq!(screen(&m), cut, "h scrolls back to the start");
    press(&mut m, "w");
    press(&mut m, "l");
    assert!(
        status(&m).contains("w turns wrapping off"),
        "{}",
        status(&m)
    );
}

/// Presses one key and returns the effects `update` asked for (run nothing).
fn effects_of(
    m: &mut beadboard::app::model::Model,
    key: &str,
) -> Vec<beadboard::app::effect::Effect> {
    use beadboard::app::event::Msg;
    use beadboard::app::keymap::Key;
    use crossterm::event::{KeyEvent, KeyModifiers};
    let key = Key::parse(key).unwrap();
    let mods = if key.ctrl {
        KeyModifiers::CONTROL
    } else {
        KeyModifiers::NONE
    };
    beadboard::app::update::update(
        m,
        Msg::Key(KeyEvent::new(key.code, mods)),
        common::dash::now(),
    )
}

#[test]
fn y_copies_what_is_selected_in_each_place() {
    use beadboard::app::effect::Effect;
    let home = Home::golden();
    let mut m = home.model(120, 40, true);
    let copied = |effects: Vec<Effect>| {
        effects
            .into_iter()
            .find_map(|e| match e {
                Effect::Clipboard(text) => Some(text),
                _ => None,
            })
            .unwrap_or_default()
    };
    let run = beadboard::present::naming::name(m.runs.selected().unwrap());
    assert_eq!(copied(effects_of(&mut m, "y")), run, "a run's name in Runs");
    assert!(
        status(&m).contains(&format!("sent run {run} to the clipboard with OSC 52")),
        "{}",
        status(&m)
    );
    press(&mut m, "3");
    m.board.follow_bead("wa-5tq0");
    assert_eq!(
        copied(effects_of(&mut m, "y")),
        "wa-5tq0",
        "a bead id on the board"
    );
    press(&mut m, "Enter");
    let prompt = m.board.selected_card().unwrap().prompt_sent.clone();
    assert!(!prompt.is_empty());
    assert_eq!(
        copied(effects_of(&mut m, "y")),
        prompt,
        "the prompt on an open card"
    );
    press(&mut m, "Esc 1 Enter");
    let entry = copied(effects_of(&mut m, "y"));
    assert!(!entry.is_empty() && !entry.contains('\u{1b}'), "{entry:?}");
}

#[test]
fn o_opens_the_pager_at_the_selected_line_and_ctrl_o_the_editor() {
    use beadboard::app::effect::Effect;
    use beadboard::app::terminal::lend::Foreground;
    let home = Home::golden();
    let mut m = home.model(120, 40, true);
    press(&mut m, "Enter k k");
    let at = m.transcript.lines()[m.transcript.cursor].clone();
    let asked: Vec<Foreground> = effects_of(&mut m, "O")
        .into_iter()
        .filter_map(|e| match e {
            Effect::Foreground(f) => Some(f),
            _ => None,
        })
        .collect();
    assert_eq!(
        asked,
        vec![Foreground::Pager {
            path: m.transcript.path().unwrap().to_path_buf(),
            line: at.number,
            offset: at.offset,
        }]
    );
    assert!(at.number.is_some());
    // Ctrl-O in the fail form: the reason in the editor; what it saved comes back.
    press(&mut m, "3");
    m.board.follow_bead("wa-5tq0");
    press(&mut m, "x");
    type_text(&mut m, "first draft");
    let asked = effects_of(&mut m, "C-o");
    assert!(
        matches!(&asked[..], [Effect::Foreground(Foreground::Editor { field: 0, text })] if text == "first draft"),
        "{asked:?}"
    );
    beadboard::app::step(
        &mut m,
        beadboard::app::event::Msg::Returned(beadboard::app::terminal::lend::Returned::Editor {
            field: 0,
            result: Ok("written in the editor".to_owned()),
        }),
        common::dash::now(),
    );
    match &m.overlay {
        Some(beadboard::app::model::Overlay::Form(f)) => {
            assert_eq!(f.value(0), "written in the editor");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn forms_edit_like_a_line_and_ctrl_c_closes_them_not_the_program() {
    let home = Home::golden();
    let mut m = home.model(120, 40, true);
    press(&mut m, "3");
    m.board.follow_bead("wa-5tq0");
    press(&mut m, "r");
    let form = |m: &beadboard::app::model::Model| match &m.overlay {
        Some(beadboard::app::model::Overlay::Form(f)) => f.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(form(&m).value(0), "5", "prefilled with the card's pane");
    type_text(&mut m, "7");
    assert_eq!(form(&m).value(0), "7", "typing replaces a prefilled value");
    press(&mut m, "Home");
    type_text(&mut m, "1");
    press(&mut m, "End");
    type_text(&mut m, "2");
    press(&mut m, "Left Backspace");
    assert_eq!(
        form(&m).value(0),
        "12",
        "Home, End, ← and Backspace edit in place"
    );
    press(&mut m, "C-c");
    assert!(m.overlay.is_none(), "Ctrl-C closed the form");
    assert!(!m.quit, "and not the program");
}

#[test]
fn t_on_a_ready_bead_says_it_has_no_pane_yet() {
    let home = Home::golden();
    let beads = home.ntm().join("beads/issues.jsonl");
    let mut m = home.model_with(120, 40, true, Some(beads));
    press(&mut m, "3 g");
    let ready = m.board.selected_ready().unwrap().id.clone();
    press(&mut m, "T");
    assert!(
        status(&m).contains(&format!("{ready} is ready, not assigned")),
        "{}",
        status(&m)
    );
}
