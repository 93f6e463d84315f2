//! End to end, the dashboard reaching out: `o` moves a real tmux client (the dashboard runs
//! inside a private tmux server whose windows and panes count from 1, with a client attached
//! from an outer server) to a run's session or a card's pane; a notify hook from the config
//! file receives a notice as JSON when a run newly needs attention.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::run::Transcript;
use common::dash::Home;
use common::tmux::{Session, timeout};
use std::path::Path;
use std::time::Instant;

fn out(s: &Session, args: &[&str]) -> String {
    String::from_utf8_lossy(&s.tmux(args).stdout)
        .trim()
        .to_owned()
}

fn wait_until(what: &str, check: impl Fn() -> bool) {
    let deadline = Instant::now() + timeout();
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}

#[test]
fn t_moves_the_tmux_client_to_a_cards_pane_and_a_runs_session() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let conf = home.dir.path().join("tmux.conf");
    std::fs::write(&conf, "set -g base-index 1\nset -g pane-base-index 1\n").unwrap();
    let env = home.env(&[]);
    let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let (socket, marker) = Session::fresh_names();
    let command = Session::command_line(&marker, &[], &env);
    let inner = Session::start_shell(120, 30, Some(&conf), &command, socket, marker);
    for session in ["webapp", "agentpair-2"] {
        out(
            &inner,
            &["new-session", "-d", "-s", session, "-x", "80", "-y", "24"],
        );
    }
    out(&inner, &["split-window", "-t", "=webapp:"]);
    out(&inner, &["split-window", "-t", "=webapp:"]);
    out(&inner, &["select-pane", "-t", "=webapp:.1"]);
    assert_eq!(
        out(
            &inner,
            &["list-panes", "-t", "=webapp:", "-F", "#{pane_index}"]
        ),
        "1\n2\n3"
    );
    // A client, as a user attached to the inner server would be.
    let (outer_socket, outer_marker) = Session::fresh_names();
    let attach = format!("env -u TMUX tmux -L {} attach -t =main", inner.socket());
    let outer = Session::start_shell(120, 30, None, &attach, outer_socket, outer_marker);
    outer.wait_for("webapp #2");
    let client = || out(&inner, &["list-clients", "-F", "#{client_session}"]);
    assert_eq!(client(), "main");

    // The card wa-9p4e sits on pane 3 of session webapp.
    inner.send(&["3"]);
    inner.type_text("/");
    inner.type_text("wa-9p4e");
    inner.send(&["Enter"]);
    inner.wait_for("· /wa-9p4e");
    inner.send(&["T"]);
    wait_until("the client on webapp", || client() == "webapp");
    assert_eq!(
        out(
            &inner,
            &["display-message", "-p", "-t", "=webapp:", "#{pane_index}"]
        ),
        "3"
    );
    let said = inner.wait_for("selected webapp pane 3");
    assert!(said.contains("(window 1)"), "{said}");

    // Back to the dashboard; the run webapp #2 recorded tmux session agentpair-2.
    out(&inner, &["switch-client", "-t", "=main"]);
    inner.send(&["1", "g"]);
    inner.wait_for("webapp #2");
    inner.send(&["T"]);
    wait_until("the client on agentpair-2", || client() == "agentpair-2");
    inner.wait_for("switched to agentpair-2");
    drop(outer);
}

#[test]
fn t_names_a_missing_pane_instead_of_guessing() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let s = Session::open(&home, 120, 30, &[], &[]);
    out(&s, &["new-session", "-d", "-s", "webapp"]);
    s.wait_for("webapp #2");
    s.send(&["3"]);
    s.type_text("/");
    s.type_text("wa-9p4e");
    s.send(&["Enter"]);
    s.wait_for("· /wa-9p4e");
    s.send(&["T"]);
    s.wait_for("tmux session \"webapp\" has no pane 3 (panes: 0)");
}

#[test]
fn a_notify_hook_receives_news_as_json() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let received = home.dir.path().join("notices.jsonl");
    let config = home.dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "fail_streak = 1\n[notify]\nhook = 'cat >> {} && echo \"$BEADBOARD_EVENT\" >> {}.env'\n",
            received.display(),
            received.display()
        ),
    )
    .unwrap();
    let s = Session::open(&home, 120, 30, &[], &[("BEADBOARD_CONFIG", config.clone())]);
    s.wait_for("webapp #2");
    // The selected run is the first one (api #2); webapp #2 is not selected.
    let dir = home.agentpair().join("runs/43d7567239bfd176/2");
    Transcript::new(dir.join("transcript.jsonl"), 2)
        .log_signal("claude", 5, "FAIL")
        .unwrap();
    wait_until("the hook's file", || {
        std::fs::read_to_string(&received).is_ok_and(|t| t.ends_with('\n'))
    });
    let text = std::fs::read_to_string(&received).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    let notice: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(notice["kind"], "attention");
    assert_eq!(notice["item_kind"], "run");
    assert_eq!(notice["id"], "43d7567239bfd176/2");
    assert_eq!(notice["body"], "FAIL signal from claude in iteration 5");
    wait_until("the event variable", || {
        std::fs::read_to_string(format!("{}.env", received.display()))
            .is_ok_and(|t| t.trim() == "attention")
    });
}

#[test]
fn i_a_n_and_enter_work_in_the_real_program() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let beads = home.ntm().join("beads/issues.jsonl");
    let s = Session::open(&home, 120, 30, &[], &[("BEADBOARD_BEADS", beads)]);
    s.wait_for("need you (i)");
    // The working cards' panes are on no tmux server: once looked at, each is flagged (pane
    // gone) and needs attention too. Count after that look.
    s.send(&["3"]);
    s.wait_until(
        |sc| sc.matches("⊠ pane gone").count() == 2,
        "both working cards flagged",
    );
    s.send(&["1"]);
    let first = s.wait_until(|sc| sc.contains("┏ Runs"), "the Runs pane focused");
    let count = |screen: &str| -> usize {
        let at = screen.find("⚑ ").unwrap();
        screen[at + "⚑ ".len()..]
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let before = count(&first);
    // i walks to the next run needing attention; A asks, then acknowledges what the Runs
    // pane shows that needs attention: the one failed run (the clock reads five minutes
    // after the runs' last writes, so none is stale yet).
    s.send(&["i"]);
    s.wait_for("needs attention (");
    s.send(&["A"]);
    s.wait_for("Acknowledge webapp #3?");
    s.send(&["Enter"]);
    assert!(
        s.screen().contains("Acknowledge webapp #3?"),
        "Enter is not yes"
    );
    s.send(&["y"]);
    let after = s.wait_for("acknowledged 1;");
    assert_eq!(count(&after), before - 1, "{after}");
    assert!(
        after.contains(&format!("{} still need attention", before - 1)),
        "{after}"
    );

    // The board's ready column: n on the first ready bead, pane 4.
    s.send(&["3"]);
    for _ in 0..6 {
        s.send(&["h"]);
    }
    s.send(&["g"]);
    s.wait_for("◇ ready 4");
    s.send(&["n"]);
    s.wait_for("Assign wa-0rr8 to an agent");
    s.type_text("4");
    s.send(&["Enter"]);
    s.wait_for("wa-0rr8 assigned (pane 4, claude)");
    let store =
        std::fs::read_to_string(home.ntm().join("sessions/webapp/assignments.json")).unwrap();
    assert!(store.contains("\"bead_id\": \"wa-0rr8\""), "{store}");
    assert!(
        store.contains("\"agent_name\": \"webapp_claude_4\""),
        "{store}"
    );
    s.wait_for("◇ ready 3");

    // Enter shows the card with its history (the assign just made).
    s.send(&["Enter"]);
    // The history is read on a worker: the card says so until it arrives.
    s.wait_for("History (assignments.history.jsonl)");
    s.wait_until(
        |card| card.contains("assign") && card.contains("→ assigned"),
        "the card's history with the assign just made",
    );
    s.send(&["Escape"]);
    // Esc and a key typed at once read as Alt and the key (as in every terminal program):
    // wait for the card to close first.
    s.wait_until(|x| !x.contains("Esc closes"), "the card closed");
    s.send(&["q"]);
    s.wait_for(&format!("{}-0", common::tmux::EXITED));
}
