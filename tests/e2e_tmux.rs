//! End to end: the real binary in a real tmux, typed at with send-keys, read with
//! capture-pane, waiting on screen text (never fixed sleeps); checked on screen and on disk.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::{AssignmentStatus, AssignmentStore};
use beadboard::persist::run::Transcript;
use common::dash::Home;
use common::tmux::{EXITED, Session};
use std::fs;

fn open(home: &Home, w: u16, h: u16) -> Session {
    Session::open(home, w, h, &[], &[])
}

#[test]
fn starts_at_both_sizes_and_q_restores_the_terminal() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let small = open(&home, 80, 24);
    // Wait for the whole condition: tmux may show a frame while it is still being drawn.
    small.wait_until(
        |s| {
            s.contains("webapp #2")
                && s.contains("▶ working")
                && s.contains("✗ failed")
                && s.contains("1 Runs")
        },
        "the first screen",
    );
    assert!(small.alternate_on());
    small.send(&["q"]);
    let after = small.wait_for(&format!("{EXITED}-0"));
    assert!(!small.alternate_on(), "alternate screen left on:\n{after}");
    assert!(
        !after.contains("webapp #2"),
        "dashboard remnants on the restored screen:\n{after}"
    );

    let wide = open(&home, 200, 50);
    wide.wait_until(
        |s| {
            s.contains("Board webapp")
                && s.contains("Transcript api #2")
                && s.contains("→ reassigned")
        },
        "the wide screen",
    );
    wide.send(&["C-c"]);
    wide.wait_for(&format!("{EXITED}-0"));
    assert!(!wide.alternate_on());
}

#[test]
fn a_line_appended_to_a_transcript_appears() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = open(&home, 100, 30);
    s.wait_for("webapp #2");
    s.send(&["Enter"]);
    s.wait_for("following");
    let transcript = Transcript::new(
        home.agentpair()
            .join("runs/ea93126eefee3546/2/transcript.jsonl"),
        2,
    );
    transcript.log_error("loop", 3, "agent crashed").unwrap();
    s.wait_for("agent crashed");
    transcript.log_signal("claude", 3, "PASS").unwrap();
    s.wait_until(
        |screen| screen.contains("PASS") && screen.contains("14 lines"),
        "the second appended line",
    );
}

#[test]
fn c_on_a_working_card_writes_completed() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = open(&home, 100, 30);
    s.wait_for("webapp #2");
    s.send(&["3", "l"]);
    s.wait_for("▶ working 2");
    s.send(&["c"]);
    // It cannot be reversed by the table: it asks first.
    s.wait_for("y yes");
    s.send(&["y"]);
    s.wait_for("wa-5tq0 completed");
    let store = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    assert_eq!(
        store.get("wa-5tq0").unwrap().status,
        AssignmentStatus::Completed
    );
    assert!(
        fs::read_to_string(home.ntm().join("sessions/webapp/assignments.json"))
            .unwrap()
            .contains("\"status\": \"completed\"")
    );
    s.wait_for("✓ completed 3");
}

#[test]
fn a_forbidden_move_leaves_the_file_byte_identical() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let path = home.ntm().join("sessions/webapp/assignments.json");
    let before = fs::read(&path).unwrap();
    let s = open(&home, 100, 30);
    s.wait_for("webapp #2");
    s.send(&["3", "l", "l"]);
    s.wait_for("✓ completed 2");
    s.send(&["s"]);
    s.wait_for("[ASSIGN] Invalid transition completed -> working for wa-3kd9");
    assert_eq!(fs::read(&path).unwrap(), before);
    assert!(
        !home
            .ntm()
            .join("sessions/webapp/assignments.json.bak")
            .exists()
    );
}

#[test]
fn a_change_by_another_program_shows_up_live() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = open(&home, 100, 30);
    s.wait_for("webapp #2");
    s.send(&["3"]);
    s.wait_for("○ assigned 1");
    let mut store = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    store
        .assign("wa-new1", "Added by NTM while we watch", 8, "codex", "", "")
        .unwrap();
    s.wait_for("○ assigned 2");
    s.wait_for("wa-new1");
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    for signal in ["TERM", "HUP"] {
        let s = open(&home, 80, 24);
        s.wait_for("webapp #2");
        let pid = s.pid();
        let status = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let screen = s.wait_for(EXITED);
        assert!(
            !s.alternate_on(),
            "SIG{signal} left the alternate screen on:\n{screen}"
        );
    }
}

/// A panic (a debug-build hook fires one after the first frame) still restores the terminal
/// and prints a readable report instead of leaving the pane in raw mode on the alternate screen.
#[test]
fn a_panic_restores_the_terminal_and_reports() {
    if !common::require("tmux") || !common::require("a debug build") {
        return;
    }
    let home = Home::golden();
    let s = Session::open(
        &home,
        100,
        30,
        &[],
        &[
            ("BEADBOARD_DEBUG_PANIC", "1".into()),
            ("RUST_BACKTRACE", "0".into()),
        ],
    );
    let screen = s.wait_for(&format!("{EXITED}-101"));
    assert!(
        !s.alternate_on(),
        "a panic left the alternate screen on:\n{screen}"
    );
    assert!(
        screen.contains("deliberate panic"),
        "the report is on the restored screen:\n{screen}"
    );
    assert!(
        !screen.contains("webapp #2"),
        "dashboard remnants:\n{screen}"
    );
    s.type_text("echo typed-back");
    s.send(&["Enter"]);
    s.wait_for("typed-back");
}

/// A worker's panic (a debug-build hook fires one in the first read of a store) is an error in
/// the status line, the dashboard stays on its screen, and the worker does later jobs: the
/// store written again is read and its cards shown.
#[test]
fn a_worker_panic_is_shown_and_the_worker_goes_on() {
    if !common::require("tmux") || !common::require("a debug build") {
        return;
    }
    let home = Home::golden();
    let s = Session::open(
        &home,
        200,
        50,
        &[],
        &[("BEADBOARD_DEBUG_PANIC", "worker".into())],
    );
    let screen = s.wait_until(
        |s| s.contains("internal error") && s.contains("webapp #2"),
        "the error and the runs",
    );
    assert!(screen.contains("deliberate panic"), "{screen}");
    assert!(
        !screen.contains("→ reassigned"),
        "no store was read:\n{screen}"
    );
    assert!(s.alternate_on(), "the dashboard is still on its screen");
    let store = home.ntm().join("sessions/webapp/assignments.json");
    fs::write(&store, fs::read(&store).unwrap()).unwrap();
    s.wait_for("→ reassigned");
    s.send(&["q"]);
    s.wait_for(&format!("{EXITED}-0"));
}

/// Closing the tmux pane (SIGHUP from the terminal going away) ends the process instead of
/// leaving it running without a terminal.
#[test]
fn a_closed_pane_ends_the_process() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = open(&home, 80, 24);
    s.wait_for("webapp #2");
    let pid = s.pid();
    s.close_pane();
    let deadline = std::time::Instant::now() + common::tmux::timeout();
    while std::path::Path::new(&format!("/proc/{pid}")).exists() {
        let state = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if state.split(' ').nth(2) == Some("Z") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "beadboard {pid} still running after its pane closed"
        );
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}

/// Data roots reached through a symbolic link, and given as relative paths, behave exactly
/// like plain ones: each run is listed once and appended lines appear live.
#[test]
fn roots_through_a_symlink_or_relative_path_update_live() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let link = home.dir.path().join("linked-ap");
    std::os::unix::fs::symlink(home.agentpair(), &link).unwrap();
    let mut env = common::dash::pinned().to_vec();
    env.push(("HOME", home.dir.path().to_path_buf()));
    let env: Vec<(&str, &std::path::Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let ap = link.to_str().unwrap().to_owned();
    let ntm = home.ntm().to_str().unwrap().to_owned();
    let s = Session::start(100, 30, &["--agentpair-dir", &ap, "--ntm-dir", &ntm], &env);
    let screen = s.wait_until(
        |s| s.contains("webapp #2") && s.contains("webapp #1") && s.contains("Transcript"),
        "the runs",
    );
    assert_eq!(
        screen.matches("api #2").count(),
        2,
        "listed once (and named once in the title):\n{screen}"
    );
    s.send(&["Enter"]);
    s.wait_for("following");
    Transcript::new(link.join("runs/ea93126eefee3546/2/transcript.jsonl"), 2)
        .log_error("loop", 3, "via the link")
        .unwrap();
    s.wait_for("via the link");
    let screen = s.screen();
    assert_eq!(
        screen.matches("api #2").count(),
        2,
        "no duplicate after a change:\n{screen}"
    );
    drop(s);
    // The same through relative paths, started from the home directory.
    let mut relative = std::process::Command::new("tmux");
    let sock = format!("beadboard-test-rel-{}", std::process::id());
    let cmd = format!(
        "cd '{home}' && HOME='{home}' BEADBOARD_NOW={} BEADBOARD_ATTENTION_WINDOW=400days '{}' --agentpair-dir linked-ap --ntm-dir ntm",
        common::dash::NOW,
        env!("CARGO_BIN_EXE_beadboard"),
        home = home.dir.path().display(),
    );
    assert!(
        relative
            .args([
                "-L",
                &sock,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "main",
                "-x",
                "100",
                "-y",
                "30",
                &cmd
            ])
            .status()
            .unwrap()
            .success()
    );
    let capture = || {
        String::from_utf8_lossy(
            &std::process::Command::new("tmux")
                .args(["-L", &sock, "capture-pane", "-p", "-t", "main"])
                .output()
                .unwrap()
                .stdout,
        )
        .into_owned()
    };
    let deadline = std::time::Instant::now() + common::tmux::timeout();
    while !capture().contains("webapp #2") {
        assert!(std::time::Instant::now() < deadline, "{}", capture());
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    std::process::Command::new("tmux")
        .args(["-L", &sock, "send-keys", "-t", "main", "Enter"])
        .status()
        .unwrap();
    Transcript::new(link.join("runs/ea93126eefee3546/2/transcript.jsonl"), 2)
        .log_error("loop", 4, "relative too")
        .unwrap();
    while !capture().contains("relative too") {
        assert!(std::time::Instant::now() < deadline, "{}", capture());
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    let _ = std::process::Command::new("tmux")
        .args(["-L", &sock, "kill-server"])
        .status();
}

/// Writes a working run's manifest into `dir`, dated the fixtures' fixed time.
fn write_working_run(dir: &std::path::Path, id: i64, repo_path: &str) {
    let mut m = beadboard::persist::run::Manifest::new(id, repo_path, "r", "a fresh task");
    let at = common::dash::now().fixed_offset();
    (m.created_at, m.updated_at) = (at, at);
    m.state = beadboard::persist::run::State::Working;
    fs::write(dir.join("manifest.json"), m.to_bytes()).unwrap();
}

/// The dashboard watches only the repo directories and unfinished runs, not every run of the
/// history: a run started meanwhile, in a known repo (its directory made before its manifest
/// is written) or in a repo never seen, is listed live, and its transcript follows live.
#[test]
fn runs_started_while_it_runs_appear_and_follow_live() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = open(&home, 120, 30);
    s.wait_for("webapp #2");
    // A new run directory first; its manifest only once the dashboard has seen the directory.
    let dir = home.agentpair().join("runs/43d7567239bfd176/9");
    fs::create_dir_all(&dir).unwrap();
    let pid = s.pid();
    s.wait_until(
        |_| common::terminal::watching(pid, &dir),
        "the dashboard to watch the new run directory",
    );
    write_working_run(&dir, 9, "/home/dev/src/webapp");
    s.wait_for("webapp #9");
    // A repo never seen: its directory and run appear together.
    let other = home.agentpair().join("runs/0123456789abcdef/1");
    fs::create_dir_all(&other).unwrap();
    write_working_run(&other, 1, "/home/dev/src/newrepo");
    s.wait_for("newrepo #1");
    // The new run's transcript follows live once opened.
    s.send(&["/"]);
    s.type_text("webapp #9");
    s.send(&["Enter", "Enter"]);
    s.wait_for("Transcript webapp #9");
    Transcript::new(dir.join("transcript.jsonl"), 9)
        .log_error("loop", 1, "line from the fresh run")
        .unwrap();
    s.wait_for("line from the fresh run");
}
