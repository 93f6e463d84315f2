//! `beadboard demo` as a newcomer runs it, in tmux: alive within 3 s, changing on its own
//! within 6 s, `q` quits and restores the terminal, nothing is written to `$HOME`, and the
//! sandbox (under the temp dir, named for the demo and its process) is removed unless `--keep`
//! is given (which prints a command that reopens it), or by the next demo when it was killed;
//! still moving after ten minutes at `--speed 4`; and in it, `i`, `A` and `n` work as on real
//! data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::tmux::{EXITED, Session};
use std::path::Path;
use std::time::{Duration, Instant};

fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn the_demo_comes_alive_and_cleans_up() {
    if !common::require("tmux") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    for (w, h) in [(80, 24), (200, 50)] {
        let s = Session::start(
            w,
            h,
            &["demo", "--seed", "11"],
            &[("HOME", home.path()), ("TMPDIR", tmp.path())],
        );
        let first = s.wait_until(
            |screen| screen.contains("▶ working") && screen.contains("Runs"),
            "the demo's first screen",
        );
        assert!(
            first.contains("⚠") && first.contains("stale"),
            "the demo shows a stale run:\n{first}"
        );
        s.wait_until(|screen| screen != first, "the screen to change on its own");
        assert_eq!(
            entries(tmp.path()).len(),
            1,
            "one sandbox under the temp dir: {:?}",
            entries(tmp.path())
        );
        s.send(&["q"]);
        s.wait_for(&format!("{EXITED}-0"));
        assert!(!s.alternate_on());
        assert!(
            entries(home.path()).is_empty(),
            "the demo wrote to $HOME: {:?}",
            entries(home.path())
        );
        assert!(
            entries(tmp.path()).is_empty(),
            "the sandbox was not removed: {:?}",
            entries(tmp.path())
        );
    }
}

#[test]
fn keep_leaves_the_sandbox_and_says_where() {
    if !common::require("tmux") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let s = Session::start(
        100,
        30,
        &["demo", "--keep", "--speed", "4"],
        &[("HOME", home.path()), ("TMPDIR", tmp.path())],
    );
    s.wait_for("▶ working");
    s.send(&["q"]);
    let screen = s.wait_for(EXITED);
    let kept = entries(tmp.path());
    assert_eq!(kept.len(), 1);
    assert!(screen.contains("demo sandbox kept at"), "{screen}");
    let dir = tmp.path().join(&kept[0]);
    assert!(
        dir.join("agentpair/runs").is_dir()
            && dir.join("ntm/sessions/demo/assignments.json").is_file()
            && dir.join(".beads/issues.jsonl").is_file()
    );
    // The printed command reopens everything: both roots, the beads file and the sessions.
    let joined = s.tmux(&["capture-pane", "-p", "-J", "-t", "main"]);
    let joined = String::from_utf8_lossy(&joined.stdout);
    let command = joined
        .lines()
        .skip_while(|l| !l.starts_with("reopen it with:"))
        .nth(1)
        .unwrap_or_else(|| panic!("no reopen command:\n{joined}"));
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words[0], "beadboard", "{command}");
    let flag = |name: &str| {
        let at = words.iter().position(|w| *w == name).unwrap();
        Path::new(words[at + 1]).to_path_buf()
    };
    assert_eq!(flag("--agentpair-dir"), dir.join("agentpair"));
    assert_eq!(flag("--ntm-dir"), dir.join("ntm"));
    assert_eq!(flag("--beads"), dir.join(".beads/issues.jsonl"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_beadboard"))
        .args(&words[1..])
        .args(["runs", "--all", "--json"])
        .env("HOME", home.path())
        .env("TMPDIR", tmp.path())
        .output()
        .unwrap();
    let runs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let runs = runs.as_array().unwrap();
    assert!(runs.len() >= 5, "the kept sandbox holds real runs");
    for agent in ["claude", "codex"] {
        assert!(
            runs.iter()
                .map(|r| &r["beadboard"])
                .any(|r| r["agent"] == agent
                    && r["name"].as_str().is_some_and(|n| n.contains(agent))),
            "the reopened sandbox lists its {agent} sessions: {runs:?}"
        );
    }
    // A later demo leaves a kept sandbox alone.
    let again = Session::start(
        80,
        24,
        &["demo"],
        &[("HOME", home.path()), ("TMPDIR", tmp.path())],
    );
    again.wait_for("▶ working");
    assert!(dir.is_dir(), "a later demo removed the kept sandbox");
    again.send(&["q"]);
    again.wait_for(&format!("{EXITED}-0"));
}

/// A scratch directory for a sandbox, in memory where there is one: the demo syncs every
/// write, and a fast demo makes many.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::tempdir_in(shm)
    {
        return dir;
    }
    tempfile::tempdir().unwrap()
}

/// The number after `Runs` in the Runs pane's title.
fn runs_shown(screen: &str) -> usize {
    // `Runs 20` or, when the list is longer than the pane, `Runs 12/20` (the position first).
    screen
        .split("Runs ")
        .skip(1)
        .find_map(|rest| {
            let count: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '/' || *c == ',')
                .collect();
            let total = count
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .replace(',', "");
            total.parse().ok()
        })
        .unwrap_or(0)
}

/// The demo never runs dry: at a high speed, past what ten minutes at `--speed 4` would show
/// (forty minutes of demo, some 160 runs), runs still start and the screen still changes on
/// its own.
#[test]
fn the_demo_is_still_moving_after_ten_minutes() {
    if !common::require("tmux") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let tmp = scratch();
    let s = Session::start(
        200,
        50,
        &["demo", "--seed", "3", "--speed", "400"],
        &[("HOME", home.path()), ("TMPDIR", tmp.path())],
    );
    s.wait_for("▶ working");
    // Forty demo minutes take seconds at this speed (longer where writes are slow to sync).
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut screen = s.screen();
    while runs_shown(&screen) < 200 {
        assert!(
            Instant::now() < deadline,
            "the demo stopped starting runs:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(200));
        screen = s.screen();
    }
    for _ in 0..3 {
        let before = s.screen();
        let after = s.wait_until(|now| now != before, "the screen to change on its own");
        assert!(runs_shown(&after) >= runs_shown(&before), "{after}");
    }
    let later = s.wait_until(
        |now| runs_shown(now) > runs_shown(&screen) + 10,
        "more runs to start",
    );
    assert!(
        later.contains("▶ working") && later.contains("◇ ready"),
        "runs are working and beads are ready:\n{later}"
    );
    s.send(&["q"]);
    s.wait_for(&format!("{EXITED}-0"));
}

/// A demo killed outright cannot remove its sandbox; the next demo does, and only that one.
#[test]
fn a_killed_demo_is_cleaned_up_by_the_next() {
    if !common::require("tmux") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let env = [("HOME", home.path()), ("TMPDIR", tmp.path())];
    let first = Session::start(80, 24, &["demo", "--seed", "2"], &env);
    first.wait_for("▶ working");
    let pid = first.pid();
    let left = entries(tmp.path());
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(
        left[0].starts_with(&format!("beadboard-demo-{pid}-")),
        "the sandbox says what it is and whose: {left:?}"
    );
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // A killed demo leaves its last frame on the alternate screen, so the shell's line may
    // wrap anywhere: look for the marker with the line breaks taken out.
    let killed = format!("{EXITED}-137");
    first.wait_until(|s| s.replace('\n', "").contains(&killed), &killed);
    assert_eq!(
        entries(tmp.path()),
        left,
        "a killed demo leaves its sandbox"
    );
    let second = Session::start(80, 24, &["demo", "--seed", "2"], &env);
    second.wait_for("▶ working");
    let now = entries(tmp.path());
    assert_eq!(now.len(), 1, "{now:?}");
    assert!(
        now[0].starts_with(&format!("beadboard-demo-{}-", second.pid())),
        "the killed demo's sandbox was removed: {now:?}"
    );
    second.send(&["q"]);
    second.wait_for(&format!("{EXITED}-0"));
    assert!(entries(tmp.path()).is_empty());
}

/// `beadboard demo --seed <seed>` in a 200×50 tmux pane, with its own home and temp dir
/// (`None` without tmux).
fn demo_at_200x50(seed: &str) -> Option<(Session, tempfile::TempDir, tempfile::TempDir)> {
    if !common::require("tmux") {
        return None;
    }
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let s = Session::start(
        200,
        50,
        &["demo", "--seed", seed],
        &[("HOME", home.path()), ("TMPDIR", tmp.path())],
    );
    Some((s, home, tmp))
}

/// The demo shows where you are needed, and its ready beads can be assigned: `i` names the
/// first item needing attention, `A` acknowledges it, `n` on the first ready bead writes an
/// assignment into the sandbox's store.
#[test]
fn the_demo_shows_where_you_are_needed() {
    let Some((s, _home, tmp)) = demo_at_200x50("5") else {
        return;
    };
    s.wait_for("need you (i)");
    s.send(&["i"]);
    s.wait_for("needs attention (");
    s.send(&["A"]);
    s.wait_for("Acknowledge ");
    s.send(&["y"]);
    s.wait_for("acknowledged");
    s.send(&["3"]);
    for _ in 0..6 {
        s.send(&["h"]);
    }
    s.send(&["g", "n"]);
    s.wait_for("to an agent");
    s.type_text("9");
    s.send(&["Enter"]);
    s.wait_for("assigned (pane 9");
    let sandbox = tmp.path().join(&entries(tmp.path())[0]);
    let store =
        std::fs::read_to_string(sandbox.join("ntm/sessions/demo/assignments.json")).unwrap();
    assert!(store.contains("\"pane\": 9"), "{store}");
    s.send(&["q"]);
    s.wait_for(&format!("{EXITED}-0"));
}

/// The demo's Claude Code and Codex sessions are runs beside the agentpair runs, written in
/// the agents' own layouts and read by the session readers; a session is linked to its card by
/// its prompt naming the bead: with that card selected on the board, its row is marked `⇄`.
#[test]
fn the_demo_s_claude_and_codex_sessions_are_runs_linked_to_their_cards() {
    let Some((s, _home, tmp)) = demo_at_200x50("5") else {
        return;
    };
    let named = |agent: &'static str| {
        let re =
            regex::Regex::new(&format!(r"\b(webapp|api|infra) {agent} [0-9a-f]{{6}}\b")).unwrap();
        move |screen: &str| re.is_match(screen)
    };
    let (claude, codex) = (named("claude"), named("codex"));
    s.wait_until(
        |screen| claude(screen) && codex(screen),
        "a Claude and a Codex session",
    );
    // The history's Claude session, found where Claude keeps it: its bead and its name.
    let sandbox = tmp.path().join(&entries(tmp.path())[0]);
    let projects = sandbox.join("claude/projects");
    let project = std::fs::read_dir(&projects)
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let file = std::fs::read_dir(project.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let first = std::fs::read_to_string(file.path()).unwrap();
    let prompt: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    let text = prompt["message"]["content"].as_str().unwrap();
    let bead = text["Work on bead ".len()..].split(':').next().unwrap();
    let short = file.file_name().to_string_lossy()[..6].to_owned();
    // Runs narrowed to that session, the board to its bead: the session's row is linked.
    s.send(&["1", "/"]);
    s.type_text(&short);
    s.send(&["Enter", "3", "/"]);
    s.type_text(bead);
    s.send(&["Enter"]);
    s.wait_until(
        |screen| {
            screen
                .lines()
                .any(|l| l.contains('⇄') && l.contains(&format!("claude {short}")))
        },
        "the session's row marked as linked to the selected card",
    );
    s.send(&["Escape", "Escape", "q"]);
    s.wait_for(&format!("{EXITED}-0"));
}
