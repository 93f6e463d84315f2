//! Keys power users expect, headless with a fixed clock: sideways scrolling of cut lines,
//! yank, undo, confirmations that need `y`, forms that edit like a line editor, Ctrl-C that
//! closes a form, and `o` on a ready bead saying the true reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::run::Transcript;
use common::dash::{Home, press, screen, status};

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
    for _ in 0..12 {
        press(&mut m, "l");
    }
    let scrolled = screen(&m);
    assert!(scrolled.contains("END-OF-THE-LINE"), "{scrolled}");
    assert!(scrolled.contains("from column 97"), "{scrolled}");
    for _ in 0..12 {
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
