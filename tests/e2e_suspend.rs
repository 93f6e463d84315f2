//! End to end, the real binary in tmux, as a user moves it around: Ctrl-Z and `fg` from a job-
//! control shell (and an external SIGTSTP), Ctrl-Z where no shell could resume it, a tmux
//! detach and re-attach from a client of another size, and the README's `display-popup`
//! binding. The clients are real: an outer tmux server's pane runs `tmux attach`, so what the
//! client shows is read with `capture-pane` too. Waits on screen text and process state only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dash::Home;
use common::terminal::{
    alive, kill, laid_out_for, open, pids_with_marker, state, wait_gone, wait_layout, wait_state,
};
use common::tmux::{EXITED, Session};
use rustix::process::Signal;
use std::path::Path;
use std::time::Duration;

/// The popup binding the README documents.
const POPUP_BINDING: &str = "bind-key B display-popup -E -w 90% -h 90% beadboard";

/// An interactive bash with job control (no rc files) in a `w`×`h` pane, prompt `shell$ `.
fn shell(home: &Home, w: u16, h: u16) -> Session {
    let (socket, marker) = Session::fresh_names();
    let cmd = format!(
        "env -i PATH='{}' HOME='{}' PS1='shell$ ' bash --norc --noprofile -i",
        std::env::var("PATH").unwrap_or_default(),
        home.dir.path().display()
    );
    let s = Session::start_shell(w, h, None, &cmd, socket, marker);
    s.wait_for("shell$");
    s
}

/// Types the dashboard's command line into `s`'s shell and waits for the first frame.
fn run_in(s: &Session, home: &Home, w: u16, h: u16) -> u32 {
    let env = home.env(&[]);
    let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    s.type_text(&Session::command_line(&s.marker, &[], &env));
    s.send(&["Enter"]);
    wait_layout(s, w, h);
    s.pid()
}

fn stopped(s: &Session, pid: u32, times: usize) -> String {
    wait_state(pid, |st| st == Some('T'), "beadboard stopped");
    let screen = s.wait_until(
        |screen| {
            screen.matches("Stopped").count() == times && screen.trim_end().ends_with("shell$")
        },
        "the shell's prompt after the stop",
    );
    assert!(
        !s.alternate_on(),
        "suspended with the alternate screen on:\n{screen}"
    );
    assert!(
        !screen.contains("q quit · ? help"),
        "dashboard left on the shell's screen:\n{screen}"
    );
    screen
}

#[test]
fn ctrl_z_then_fg_from_a_shell_in_the_pane() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = shell(&home, 100, 30);
    let pid = run_in(&s, &home, 100, 30);
    s.send(&["C-z"]);
    stopped(&s, pid, 1);
    // The shell is usable while beadboard waits, and the window changes size meanwhile.
    s.type_text("echo typed-meanwhile");
    s.send(&["Enter"]);
    s.wait_for("typed-meanwhile\nshell$");
    s.tmux(&["resize-window", "-t", "main", "-x", "120", "-y", "40"]);
    s.type_text("fg");
    s.send(&["Enter"]);
    wait_layout(&s, 120, 40);
    assert!(s.alternate_on());
    assert_ne!(state(pid), Some('T'));
    // Raw mode is back: single keys work again.
    s.send(&["?"]);
    s.wait_for("keys · type to filter");
    s.send(&["Escape"]);
    wait_layout(&s, 120, 40);

    // SIGTSTP from outside does the same.
    kill(pid, Signal::TSTP);
    stopped(&s, pid, 2);
    s.type_text("fg");
    s.send(&["Enter"]);
    wait_layout(&s, 120, 40);

    s.send(&["q"]);
    wait_gone(pid, "q");
    s.type_text("echo status-$?");
    s.send(&["Enter"]);
    let screen = s.wait_for("status-0");
    assert!(!s.alternate_on(), "{screen}");
}

/// As a tmux pane's own command there is no shell to `fg` it: its process group is orphaned,
/// and a stop would freeze the pane for good. Ctrl-Z and SIGTSTP say so and change nothing.
#[test]
fn ctrl_z_without_a_job_control_shell_says_so_and_keeps_running() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let (s, pid) = open(&home, 100, 30);
    s.send(&["C-z"]);
    s.wait_for("not suspended: no shell here could bring beadboard back with fg");
    kill(pid, Signal::TSTP);
    wait_layout(&s, 100, 30);
    assert!(alive(pid));
    assert_ne!(state(pid), Some('T'));
    assert!(s.alternate_on());
    s.send(&["q"]);
    s.wait_for(&format!("{EXITED}-0"));
    assert!(!s.alternate_on());
}

/// A tmux client in a pane of an outer tmux server, attached to `inner`'s session.
fn client(inner: &Session, w: u16, h: u16, conf: Option<&Path>) -> Session {
    let (socket, marker) = Session::fresh_names();
    let attach = format!("env -u TMUX tmux -L {} attach -t main", inner.socket());
    let outer = Session::start_shell(w, h, conf, &attach, socket, marker);
    let deadline = std::time::Instant::now() + common::tmux::timeout();
    while inner.tmux(&["list-clients"]).stdout.is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the client never attached"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    outer
}

fn window_size(s: &Session) -> (u16, u16) {
    let out = s.tmux(&[
        "display-message",
        "-p",
        "-t",
        "main",
        "#{window_width} #{window_height}",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace().map(|n| n.parse().unwrap());
    (parts.next().unwrap(), parts.next().unwrap())
}

#[test]
fn detach_and_reattach_from_a_client_of_another_size_redraws() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let (inner, pid) = open(&home, 200, 50);
    let small = client(&inner, 100, 30, None);
    // The client shows tmux's status line: the window is one row shorter than its pane.
    assert_eq!(window_size(&inner), (100, 29));
    wait_layout(&inner, 100, 29);
    small.wait_for("q quit · ? help");
    assert!(
        inner
            .tmux(&["detach-client", "-s", "main"])
            .status
            .success()
    );
    drop(small);
    let big = client(&inner, 170, 45, None);
    assert_eq!(window_size(&inner), (170, 44));
    let screen = wait_layout(&inner, 170, 44);
    assert!(
        screen.contains("Board webapp"),
        "all three panes at 170×44:\n{screen}"
    );
    big.wait_for("Board webapp");
    assert!(alive(pid));
}

/// The popup's inside, as `capture-pane` would show it: the rows between its border lines,
/// trailing blanks trimmed. Finds the border as a run of `─` as wide as the popup (pane
/// borders always carry a title).
fn popup(screen: &str) -> Option<(String, u16, u16)> {
    let rows: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    for (top, row) in rows.iter().enumerate() {
        let Some(left) = row.iter().position(|&c| c == '┌') else {
            continue;
        };
        let run = row[left + 1..].iter().take_while(|&&c| c == '─').count();
        if run < 20 || row.get(left + 1 + run) != Some(&'┐') {
            continue;
        }
        let bottom = (top + 1..rows.len()).find(|&r| rows[r].get(left) == Some(&'└'))?;
        let inside: Vec<String> = rows[top + 1..bottom]
            .iter()
            .map(|r| {
                let cells: String = r.iter().skip(left + 1).take(run).collect();
                cells.trim_end().to_owned()
            })
            .collect();
        let h = u16::try_from(inside.len()).ok()?;
        return Some((inside.join("\n"), u16::try_from(run).ok()?, h));
    }
    None
}

#[test]
fn the_readme_popup_binding_opens_the_dashboard_in_a_popup() {
    if !common::require("tmux") {
        return;
    }
    assert!(
        include_str!("../README.md").contains(POPUP_BINDING),
        "the README documents `{POPUP_BINDING}`"
    );
    let home = Home::golden();
    let (socket, marker) = Session::fresh_names();
    let bin = Path::new(env!("CARGO_BIN_EXE_beadboard")).parent().unwrap();
    let conf = home.dir.path().join("tmux.conf");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut lines = vec![format!("set-environment -g PATH '{path}'")];
    for (k, v) in home.env(&[]) {
        lines.push(format!("set-environment -g {k} '{}'", v.display()));
    }
    lines.push(format!("set-environment -g BEADBOARD_E2E_MARKER {marker}"));
    lines.push(POPUP_BINDING.to_owned());
    std::fs::write(&conf, lines.join("\n") + "\n").unwrap();
    let inner = Session::start_shell(100, 30, Some(&conf), "sh", socket, marker.clone());
    let outer = client(&inner, 100, 30, None);
    outer.send(&["C-b", "B"]);
    let screen = outer.wait_until(
        |s| popup(s).is_some_and(|(inside, w, h)| laid_out_for(&inside, w, h)),
        "the dashboard laid out inside the popup",
    );
    let (_, w, h) = popup(&screen).unwrap();
    // 90% of the 100×30 client, less the popup's border.
    assert_eq!((w, h), (88, 25), "{screen}");
    let pids = pids_with_marker(&marker);
    assert_eq!(pids.len(), 1);
    outer.send(&["q"]);
    wait_gone(pids[0], "q in the popup");
    let after = outer.wait_until(|s| popup(s).is_none(), "the popup closed");
    assert!(!after.contains("q quit · ? help"), "{after}");
}
