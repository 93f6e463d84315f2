//! End to end, the real binary in tmux: resizes (one with no key afterwards, storms of 60),
//! signals right after a resize, and losing the terminal (the tmux server killed during a
//! storm, SIGHUP, a closed pane, a stuck event loop). Each test checks the screen, the
//! process's state and the files; it waits on screen text and process state, never on a
//! fixed sleep.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dash::Home;
use common::terminal::{
    alive, bytes, kill, laid_out_for, names, open, pids_with_marker, state, wait_gone, wait_layout,
};
use common::tmux::{EXITED, Session};
use rustix::process::Signal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn store(home: &Home) -> PathBuf {
    home.ntm().join("sessions/webapp/assignments.json")
}

fn resize(s: &Session, w: u16, h: u16) {
    let out = s.tmux(&[
        "resize-window",
        "-t",
        "main",
        "-x",
        &w.to_string(),
        "-y",
        &h.to_string(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A resize with no key afterwards: the next frame is laid out for the new size, and 4 s later
/// (when the old cursor-position read timed out and killed the program) it is still there,
/// alive, and nothing on disk changed. The 4 s are the thing under test (a real-time timeout
/// inside the binary, where no clock can be injected), not a wait for something to happen. Its
/// CPU while idle is measured by `scripts/bench-idle.sh` (BENCHMARKS.md), not asserted here.
fn resize_then_wait(from: (u16, u16), to: (u16, u16)) {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let before = bytes(&store(&home));
    let (s, pid) = open(&home, from.0, from.1);
    resize(&s, to.0, to.1);
    wait_layout(&s, to.0, to.1);
    std::thread::sleep(Duration::from_secs(4));
    let screen = s.screen();
    assert!(
        laid_out_for(&screen, to.0, to.1),
        "4 s after the resize:\n{screen}"
    );
    assert!(alive(pid), "beadboard {pid} died after a resize:\n{screen}");
    assert_ne!(state(pid), Some('T'));
    assert!(!screen.contains(EXITED));
    assert_eq!(bytes(&store(&home)), before);
}

#[test]
fn a_resize_to_80x24_with_no_key_is_laid_out_and_alive_4s_later() {
    resize_then_wait((200, 50), (80, 24));
}

#[test]
fn a_resize_to_120x40_with_no_key_is_laid_out_and_alive_4s_later() {
    resize_then_wait((80, 24), (120, 40));
}

#[test]
fn a_resize_to_200x50_with_no_key_is_laid_out_and_alive_4s_later() {
    resize_then_wait((120, 40), (200, 50));
}

#[test]
fn sixty_resizes_in_two_seconds_end_in_one_correct_frame() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let before = bytes(&store(&home));
    let (s, pid) = open(&home, 120, 40);
    let sizes = [
        (80, 24),
        (200, 50),
        (120, 40),
        (64, 45),
        (160, 40),
        (100, 30),
    ];
    let start = Instant::now();
    for i in 0..60 {
        let (w, h) = sizes[i % sizes.len()];
        resize(&s, w, h);
        // Pacing, not an assertion: 60 resizes spread over about 2 s.
        let due = start + Duration::from_millis(33 * (i as u64 + 1));
        std::thread::sleep(due.saturating_duration_since(Instant::now()));
    }
    // The last size is 100×30.
    let screen = wait_layout(&s, 100, 30);
    assert!(alive(pid), "died in the storm:\n{screen}");
    assert!(!screen.contains(EXITED));
    // Still that frame, and the program still answers keys.
    s.send(&["?"]);
    s.wait_for("keys · type to filter");
    s.send(&["Escape"]);
    wait_layout(&s, 100, 30);
    assert_eq!(bytes(&store(&home)), before);
}

#[test]
fn sigterm_100ms_after_a_resize_ends_and_restores_the_terminal() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let before = bytes(&store(&home));
    let (s, pid) = open(&home, 200, 50);
    resize(&s, 80, 24);
    // The scenario: a signal 100 ms after a resize (how soon it is gone is measured by
    // `scripts/bench-resize.sh`, BENCHMARKS.md).
    std::thread::sleep(Duration::from_millis(100));
    kill(pid, Signal::TERM);
    wait_gone(pid, "SIGTERM");
    let screen = s.wait_for(&format!("{EXITED}-143"));
    assert!(!s.alternate_on(), "alternate screen left on:\n{screen}");
    assert!(screen.contains("beadboard: stopped by SIGTERM"), "{screen}");
    assert!(
        !screen.contains("webapp #2"),
        "dashboard remnants:\n{screen}"
    );
    assert_eq!(bytes(&store(&home)), before);
}

#[test]
fn sighup_ends_and_restores_the_terminal() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let (s, pid) = open(&home, 100, 30);
    kill(pid, Signal::HUP);
    wait_gone(pid, "SIGHUP");
    let screen = s.wait_for(&format!("{EXITED}-129"));
    assert!(!s.alternate_on(), "alternate screen left on:\n{screen}");
    assert!(screen.contains("beadboard: stopped by SIGHUP"), "{screen}");
}

#[test]
fn a_closed_pane_ends_the_process() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let before = bytes(&store(&home));
    let (s, pid) = open(&home, 100, 30);
    s.close_pane();
    wait_gone(pid, "its pane closed");
    assert!(pids_with_marker(&s.marker).is_empty());
    assert_eq!(bytes(&store(&home)), before);
}

/// The tmux server is killed with `kill -9` in the middle of a resize storm (the terminal
/// vanishes while the program redraws): no beadboard process is left. Repeated, as
/// the moment of the kill varies.
#[test]
fn killing_the_tmux_server_during_a_resize_storm_leaves_no_process() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let before = bytes(&store(&home));
    let dir = home.ntm().join("sessions/webapp");
    let files = names(&dir);
    for round in 0..3 {
        let (s, pid) = open(&home, 120, 40);
        let server: u32 =
            String::from_utf8_lossy(&s.tmux(&["display-message", "-p", "#{pid}"]).stdout)
                .trim()
                .parse()
                .unwrap();
        let socket = s.socket().to_owned();
        let storm = std::thread::spawn(move || {
            for i in 0..200_u16 {
                let ok = std::process::Command::new("tmux")
                    .args(["-L", &socket, "resize-window", "-t", "main", "-x"])
                    .arg((80 + i % 3 * 60).to_string())
                    .args(["-y", &(24 + i % 3 * 13).to_string()])
                    .output()
                    .is_ok_and(|o| o.status.success());
                if !ok {
                    return i;
                }
            }
            200
        });
        // Let the storm run a little (a different moment each round), then kill the server: the
        // moment of the kill is the scenario, not a wait for something.
        std::thread::sleep(Duration::from_millis(150 + 70 * round));
        kill(server, Signal::KILL);
        let resizes = storm.join().unwrap();
        assert!(resizes > 0, "the storm never started");
        wait_gone(pid, "the tmux server was killed");
        assert!(
            pids_with_marker(&s.marker).is_empty(),
            "a beadboard process is left after the server died (round {round})"
        );
        let _ = std::fs::remove_file(format!(
            "/tmp/tmux-{}/{}",
            rustix::process::getuid().as_raw(),
            s.socket()
        ));
    }
    assert_eq!(bytes(&store(&home)), before);
    assert_eq!(names(&dir), files, "no temp or lock file left behind");
}

/// Debug builds park the event loop for good after the first frame (`BEADBOARD_DEBUG_STALL`):
/// SIGTERM still ends the program, the watchdog restoring the terminal.
#[test]
fn a_stuck_event_loop_still_ends_on_sigterm() {
    if !common::require("tmux") || !common::require("a debug build") {
        return;
    }
    let home = Home::golden();
    let s = Session::open(
        &home,
        100,
        30,
        &[],
        &[("BEADBOARD_DEBUG_STALL", "1".into())],
    );
    // The loop stalls right after its first frame, drawn before the data has been read.
    s.wait_until(
        |screen| common::terminal::laid_out_for(screen, 100, 30),
        "the first frame",
    );
    let pid = s.pid();
    kill(pid, Signal::TERM);
    wait_gone(pid, "SIGTERM to a stuck loop");
    let screen = s.wait_for(&format!("{EXITED}-143"));
    assert!(!s.alternate_on(), "alternate screen left on:\n{screen}");
    assert!(screen.contains("the watchdog ended it"), "{screen}");
    s.type_text("echo typed-back");
    s.send(&["Enter"]);
    s.wait_for("typed-back");
}

#[test]
fn the_layout_check_tells_sizes_apart() {
    use unicode_width::UnicodeWidthStr;
    let row = |s: &str, w: usize| format!("{s}{}", " ".repeat(w - s.width()));
    let frame = |w: usize, h: usize| {
        let mut lines = vec![format!(
            "{}1 Runs  2 Transcript  3 Board",
            row("beadboard", w - 30)
        )];
        lines.extend((1..h - 3).map(|_| String::new()));
        lines.push(format!("┗{}┛", "━".repeat(w - 2)));
        lines.push("runs ~/ap".into());
        lines.push(format!("{}q quit · ? help", row("Enter open", w - 15)));
        lines.join("\n")
    };
    assert!(laid_out_for(&frame(80, 24), 80, 24));
    assert!(!laid_out_for(&frame(80, 24), 100, 24));
    assert!(!laid_out_for(&frame(80, 24), 80, 30));
    assert!(!laid_out_for(&frame(100, 40), 100, 30));
}
