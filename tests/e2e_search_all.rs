//! End to end, in tmux, on the real binary: `F` searches every run's transcript for text that
//! one entry of one run holds (`sliding-window`, line 5 of the worked example, `webapp #4`);
//! the result row appears; Enter opens that run's transcript with the cursor on that entry.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dash::Home;
use common::tmux::Session;

/// The rows the transcript's cursor (`▌`) is on, joined.
fn cursor_rows(screen: &str) -> String {
    screen
        .lines()
        .filter(|l| l.contains('▌'))
        .map(|l| l.split('▌').nth(1).unwrap_or_default().trim())
        .collect::<Vec<_>>()
        .join(" ")
}

fn search_and_open(w: u16, h: u16) {
    let home = Home::golden();
    let s = Session::open(&home, w, h, &[], &[]);
    s.wait_until(
        |s| s.contains("webapp #2") && s.contains("webapp #4"),
        "the runs",
    );
    s.send(&["F"]);
    s.wait_for("F search all:");
    s.type_text("sliding-window");
    s.send(&["Enter"]);
    let listed = s.wait_until(
        |s| s.contains("✓ 1 match in 6 transcripts") && s.contains("webapp #4 line 5"),
        "the result row",
    );
    assert!(listed.contains("sliding-window"), "{listed}");
    s.send(&["Enter"]);
    let opened = s.wait_until(
        |s| {
            s.contains("Transcript webapp #4")
                && s.contains("webapp #4, line 5")
                && cursor_rows(s).contains("sliding-window")
        },
        "the transcript of webapp #4 with the cursor on the matching entry",
    );
    assert!(
        !opened.contains("╔ search every transcript"),
        "the list closed:\n{opened}"
    );
    assert!(cursor_rows(&opened).contains("result"), "{opened}");
}

#[test]
fn f_finds_an_entry_and_enter_opens_its_run_there_at_80x24() {
    if !common::require("tmux") {
        return;
    }
    search_and_open(80, 24);
}

#[test]
fn f_finds_an_entry_and_enter_opens_its_run_there_at_200x50() {
    if !common::require("tmux") {
        return;
    }
    search_and_open(200, 50);
}
