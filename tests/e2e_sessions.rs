//! End to end, in tmux, on the real binary with four sessions (`api`, `webapp`, `billing` and
//! an unreadable `broken`): `S` opens the session picker, most recently changed first with
//! counts; typing filters it; Enter shows the chosen session's board; the "all sessions" entry
//! shows every session's cards, each naming its session; a key on one of those cards writes
//! that card's own session's store. Every step waits on screen text, never a fixed sleep.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dash::Home;
use common::tmux::Session;

/// The rows of the picker, as on screen (inside its double border).
fn picker_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|l| {
            let inner = l.split('║').nth(1)?;
            Some(inner.trim().trim_start_matches('▌').trim().to_owned())
        })
        .filter(|r| !r.is_empty() && !r.starts_with("session "))
        .collect()
}

fn pick_filter_switch_and_merge(w: u16, h: u16) {
    let home = Home::sessions();
    let s = Session::open(&home, w, h, &[], &[]);
    // The newest session's board opens at start.
    s.wait_for("api 3 beads");
    s.send(&["3"]);
    s.wait_for("Board api");
    s.send(&["S"]);
    let listed = s.wait_until(
        |s| s.contains("all sessions (4)") && s.contains("broken"),
        "the picker's list",
    );
    let rows = picker_rows(&listed);
    let order: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.split_whitespace().next())
        .collect();
    assert_eq!(
        order,
        ["all", "api", "webapp", "billing", "broken"],
        "most recently changed first:\n{listed}"
    );
    let api = rows.iter().find(|r| r.starts_with("api")).unwrap();
    let counts: Vec<&str> = api.split_whitespace().skip(3).collect();
    assert_eq!(counts, ["1", "1", "1", "0", "3"], "{listed}");
    s.type_text("bil");
    let filtered = s.wait_for("/bil");
    let rows = picker_rows(&s.wait_until(
        |s| picker_rows(s).iter().all(|r| !r.starts_with("api")),
        "the filtered list",
    ));
    assert_eq!(rows.len(), 1, "{filtered}");
    assert!(rows[0].starts_with("billing"), "{filtered}");
    s.send(&["Enter"]);
    s.wait_until(
        |s| s.contains("Board billing") && s.contains("bl-1") && !s.contains("╔ sessions"),
        "billing's board, the picker closed",
    );
    // The all-sessions board: every session's cards with the session on each.
    s.send(&["S"]);
    s.wait_for("all sessions (4)");
    s.send(&["Home", "Enter"]);
    // (At 80×24 billing's cards are below the fold: the working cards' flags take rows.)
    let merged = s.wait_until(
        |s| s.contains("Board · every session (4)") && s.contains("@api") && s.contains("@webapp"),
        "the all-sessions board",
    );
    assert!(merged.contains("✗ broken:"), "{merged}");
    // `/api-1` filters to api's assigned card; `s` starts it in api's store.
    s.send(&["/"]);
    s.type_text("api-1");
    s.send(&["Enter"]);
    s.wait_until(
        |s| s.contains("@api") && !s.contains("@webapp") && !s.contains("@billing"),
        "the filtered board",
    );
    s.send(&["s"]);
    // It cannot be reversed by the table: it asks first.
    s.wait_for("y yes");
    s.send(&["y"]);
    s.wait_for("▶ working 1");
    let api: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(home.ntm().join("sessions/api/assignments.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(api["assignments"]["api-1"]["status"], "working");
    s.send(&["q"]);
    s.wait_for(common::tmux::EXITED);
}

#[test]
fn the_session_picker_and_the_all_sessions_board_at_120x40() {
    if !common::require("tmux") {
        return;
    }
    pick_filter_switch_and_merge(120, 40);
}

#[test]
fn the_session_picker_and_the_all_sessions_board_at_80x24() {
    if !common::require("tmux") {
        return;
    }
    pick_filter_switch_and_merge(80, 24);
}
