//! End to end, in tmux, on the real binary: `y` puts the selection on the clipboard with OSC
//! 52 (tmux, with `set-clipboard on`, keeps it as a buffer), `O` hands the terminal to the
//! pager at the selected line and takes it back, Ctrl-O edits a form field in the editor, `u`
//! undoes a removal, and Esc goes back from a transcript to Runs; a pager that does not exist
//! gives the terminal back with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::AssignmentStore;
use common::dash::Home;
use common::tmux::{EXITED, Session};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// A script at `path` that runs `body` (as /bin/sh).
fn script(path: &Path, body: &str) {
    fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// beadboard on `home` at 120×40 with `extra` in its environment, on a tmux server that keeps
/// what programs put on the clipboard.
fn open(home: &Home, extra: &[(&str, PathBuf)]) -> Session {
    let conf = home.dir.path().join("tmux.conf");
    fs::write(&conf, "set -g set-clipboard on\n").unwrap();
    let env = home.env(extra);
    let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let (socket, marker) = Session::fresh_names();
    let command = Session::command_line(&marker, &[], &env);
    let shell = format!("{command}; echo {EXITED}-$?; sleep 60");
    let s = Session::start_shell(120, 40, Some(&conf), &shell, socket, marker);
    s.wait_for("webapp #2");
    s
}

#[test]
fn y_puts_the_selection_on_the_clipboard() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = open(&home, &[]);
    s.send(&["3"]);
    s.wait_for("▶ working");
    s.send(&["y"]);
    let said = s.wait_for("sent bead id");
    let bead = said
        .split("sent bead id ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_owned();
    s.wait_until(
        |_| String::from_utf8_lossy(&s.tmux(&["show-buffer"]).stdout) == bead,
        "the bead id in tmux's buffer",
    );
}

/// Inside a tmux whose `set-clipboard` keeps programs' OSC 52 from the terminal, `y` says so
/// and how to turn it on, instead of claiming a copy.
#[test]
fn y_says_how_to_turn_the_clipboard_on_when_tmux_keeps_it() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = open(&home, &[]);
    for setting in ["external", "off"] {
        assert!(
            s.tmux(&["set", "-g", "set-clipboard", setting])
                .status
                .success()
        );
        s.send(&["y"]);
        let said = s.wait_for(&format!("tmux's set-clipboard is {setting};"));
        assert!(
            said.contains("run api #2 did not reach the clipboard"),
            "{said}"
        );
        // M shows it whole (the status line cuts it at 120 columns), with how to turn it on.
        s.send(&["M"]);
        s.wait_for("tmux set -g set-clipboard on");
        s.send(&["Escape"]);
        // Esc and a key typed at once read as Alt and the key: wait for the list to close.
        s.wait_until(|x| !x.contains("newest first"), "the messages closed");
    }
}

#[test]
fn o_lends_the_terminal_to_the_pager_at_the_line_and_takes_it_back() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let calls = home.dir.path().join("pager-args");
    let pager = home.dir.path().join("pager");
    script(
        &pager,
        &format!(
            "printf '%s|' \"$@\" > '{}'; echo PAGER-RUNNING; read answer",
            calls.display()
        ),
    );
    let s = open(&home, &[("PAGER", pager)]);
    s.send(&["Enter"]);
    s.wait_for("following");
    s.send(&["k", "O"]);
    s.wait_for("PAGER-RUNNING");
    let args = fs::read_to_string(&calls).unwrap();
    assert!(args.contains("transcript.jsonl|"), "{args}");
    assert!(args.starts_with('+'), "the line to open at: {args}");
    // Keys go to the pager while it runs, not to beadboard.
    s.type_text("q");
    s.send(&["Enter"]);
    s.wait_until(
        |x| x.contains("Transcript api #2") && !x.contains("PAGER-RUNNING"),
        "the dashboard redrawn",
    );
    // And to beadboard again once it is back.
    s.send(&["q"]);
    s.wait_for(&format!("{EXITED}-0"));
}

/// A pager that does not exist: the terminal comes back at once (the alternate screen, keys
/// to beadboard) and the status line says why.
#[test]
fn o_with_a_missing_pager_gives_the_terminal_back_and_says_why() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = open(&home, &[("PAGER", PathBuf::from("/nonexistent/pager"))]);
    s.send(&["Enter"]);
    s.wait_for("following");
    s.send(&["k", "O"]);
    let screen = s.wait_for("\"/nonexistent/pager\" was not found");
    assert!(screen.contains("the pager:"), "{screen}");
    assert!(screen.contains("Transcript api #2"), "{screen}");
    assert!(s.alternate_on(), "the dashboard has its screen back");
    // Keys reach beadboard again.
    s.send(&["q"]);
    s.wait_for(&format!("{EXITED}-0"));
}

#[test]
fn ctrl_o_edits_a_field_in_the_editor() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = open(&home, &[("EDITOR", PathBuf::from("sed -i s/draft/final/"))]);
    s.send(&["3"]);
    s.wait_for("▶ working");
    s.send(&["/"]);
    s.type_text("wa-5tq0");
    s.send(&["Enter", "x"]);
    s.wait_for("Fail wa-5tq0");
    s.type_text("draft reason");
    s.send(&["C-o"]);
    s.wait_for("final reason");
    s.send(&["Enter"]);
    s.wait_for("wa-5tq0 failed");
    let store = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    assert_eq!(store.get("wa-5tq0").unwrap().reason(), "final reason");
}

#[test]
fn u_undoes_a_removal_and_esc_goes_back_to_runs() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = open(&home, &[]);
    let before = AssignmentStore::load_store(&home.ntm(), "webapp")
        .unwrap()
        .get("wa-2c9d")
        .cloned()
        .unwrap();
    s.send(&["3", "/"]);
    s.type_text("wa-2c9d");
    s.send(&["Enter", "d"]);
    s.wait_for("Remove wa-2c9d?");
    s.send(&["Enter"]);
    assert!(s.screen().contains("Remove wa-2c9d?"), "Enter is not yes");
    s.send(&["y"]);
    s.wait_for("removed wa-2c9d");
    s.send(&["u"]);
    s.wait_for("wa-2c9d: removed undone; back to reassigned exactly as before");
    let after = AssignmentStore::load_store(&home.ntm(), "webapp")
        .unwrap()
        .get("wa-2c9d")
        .cloned();
    assert_eq!(after, Some(before));
    // Esc: the filter first, then back to Runs (at 120×40 the board has the screen alone).
    s.send(&["Escape"]);
    s.wait_until(|x| !x.contains("/wa-2c9d"), "the filter cleared");
    s.send(&["Escape"]);
    s.wait_until(
        |x| x.contains("STATE") && x.contains("webapp #2"),
        "Runs again",
    );
}

/// Where `text` is on `screen`, 1-based as a terminal reports mouse positions.
fn position(screen: &str, text: &str) -> (usize, usize) {
    for (y, line) in screen.lines().enumerate() {
        if let Some(byte) = line.find(text) {
            let x = unicode_width::UnicodeWidthStr::width(&line[..byte]);
            return (x + 1, y + 1);
        }
    }
    panic!("{text:?} not on screen:\n{screen}");
}

/// Sends an SGR mouse event (`button` 0: left, 64/65: wheel up/down), pressed then released.
fn mouse(s: &Session, button: u8, (x, y): (usize, usize)) {
    s.type_text(&format!("\x1b[<{button};{x};{y}M"));
    if button < 64 {
        s.type_text(&format!("\x1b[<{button};{x};{y}m"));
    }
}

#[test]
fn the_mouse_selects_opens_and_scrolls() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = open(&home, &[]);
    // A click on a tab, then on a card: selected (the footer offers its moves).
    let screen = s.wait_for("3 Board");
    mouse(&s, 0, position(&screen, "3 Board"));
    let board = s.wait_until(
        |x| x.contains("▶ working") && x.contains("wa-5tq0"),
        "the board with its cards",
    );
    mouse(&s, 0, position(&board, "wa-5tq0"));
    // A double-click on it: the card in full.
    mouse(&s, 0, position(&board, "wa-5tq0"));
    s.wait_for("Paginate admin");
    s.wait_for("History (assignments.history.jsonl)");
    s.send(&["Escape"]);
    s.wait_until(|x| !x.contains("History (assignments"), "the card closed");
    // Back to Runs; a double-click on a run opens its transcript; the wheel scrolls it.
    s.send(&["1"]);
    let runs = s.wait_for("api #1");
    mouse(&s, 0, position(&runs, "api #1"));
    mouse(&s, 0, position(&runs, "api #1"));
    let transcript = s.wait_for("Transcript api #1");
    let at = position(&transcript, "Transcript api #1");
    mouse(&s, 64, (at.0 + 2, at.1 + 4));
    s.wait_for("paused (G follows)");
}

#[test]
fn the_pane_of_an_assignment_is_checked_against_the_live_tmux_panes() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let beads = home.ntm().join("beads/issues.jsonl");
    let s = open(&home, &[("BEADBOARD_BEADS", beads)]);
    s.send(&["3", "g"]);
    s.wait_for("◇ ready");
    s.send(&["n"]);
    s.wait_for("to an agent");
    // The session this test's tmux has (`main`, one pane: 0), and a pane it does not have.
    s.send(&["BTab", "C-u"]);
    s.type_text("main");
    s.send(&["Tab"]);
    s.type_text("9");
    s.send(&["Enter"]);
    s.wait_for("no pane 9 in tmux session main (its panes: 0)");
    assert!(
        !home.ntm().join("sessions/main").exists(),
        "nothing written"
    );
    s.send(&["C-u"]);
    s.type_text("0");
    s.send(&["Enter"]);
    // Said as `… assigned in session main (pane 0, …)`, or without the session when the board
    // has moved to it by then.
    s.wait_until(
        |x| x.contains(" assigned") && x.contains("(pane 0, "),
        "the assignment to pane 0",
    );
    let store = AssignmentStore::load_store(&home.ntm(), "main").unwrap();
    assert_eq!(store.list().len(), 1);
    assert_eq!(store.list()[0].pane, 0);
}
